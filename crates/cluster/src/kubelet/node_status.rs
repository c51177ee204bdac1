//! The status a kubelet posts for its node: its conditions (a joining node NotReady until the
//! container runtime's network is up) and images, written when they change or every 5 minutes.
//!
//! A kubelet registers its Node with the status its setters computed
//! (pkg/kubelet/kubelet_node_status.go `initialNode`, v1.34). On a fresh machine the CNI
//! plugin has not written its configuration yet, so containerd reports
//! `NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni
//! plugin not initialized`, the kubelet's runtime state keeps it as `container runtime network
//! not ready: …` (kubelet.go `updateRuntimeUp`) and `nodestatus.ReadyCondition` turns it into
//! `Ready=False` with reason `KubeletNotReady`. The API server's TaintNodesByCondition
//! admission plugin (`apiserver::admission::nodetaint`) adds `node.kubernetes.io/not-ready:
//! NoSchedule` to the Node it creates, so nothing but pods tolerating it lands there yet.
//!
//! Once the CNI DaemonSet's pod on the node (kindnet, flannel) has written its configuration,
//! the runtime reports the network ready at the kubelet's next runtime check (every 5 s) and
//! the kubelet posts `Ready=True` (`KubeletReady`) with a `NodeReady` event; the node
//! lifecycle controller then lifts the taints (`controller::nodelifecycle`). The simulation
//! has no CNI pods, so that moment is a constant: [`NETWORK_READY_AFTER`].
//!
//! After registration the kubelet computes its node's status every 10 s (plus jitter) and
//! writes it only when something changed or 5 minutes have passed ([`sync`]), so the
//! conditions' heartbeat times move every 5 minutes and `status.images` follows the images
//! the node pulls, through the image manager's cache refreshed every 30 s. A kubelet that
//! starts again writes at its first sync, flipping conditions the node lifecycle controller
//! turned Unknown.

use std::collections::BTreeSet;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::{EventSource, Store, UpdateOptions};
use crate::controller::kind_of;
use crate::controller::plan::EventRecord;
use crate::controller::runner::record;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

/// How long after joining a node turns Ready: the CNI pod starts from a preloaded image in
/// a few seconds, then the runtime check that sees its configuration comes at the second
/// 5 s tick (kubelet.go runs `updateRuntimeUp` every 5 s), about what `minikube node add`
/// shows.
pub const NETWORK_READY_AFTER: SimDuration = SimDuration::from_secs(10);

/// The Ready condition's message while the network plugin is not ready (containerd's
/// runtime condition as the kubelet prints it).
pub const NETWORK_NOT_READY: &str = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";

/// Turns a Node about to be registered into what its kubelet posts on a fresh machine at
/// `now`: `Ready=False` (network not ready), every condition first seen then. The API server
/// adds the not-ready NoSchedule taint (`apiserver::admission::nodetaint`).
pub fn registering(node: &mut corev1::Node, now: SimTime) {
    for c in node.status.iter_mut().flat_map(|s| s.conditions.iter_mut().flatten()) {
        c.last_heartbeat_time = Some(now.to_time());
        c.last_transition_time = Some(now.to_time());
    }
    if let Some(c) = ready_condition(node) {
        c.status = "False".into();
        c.reason = Some("KubeletNotReady".into());
        c.message = Some(NETWORK_NOT_READY.into());
    }
}

/// `nodeStatusUpdateFrequency`: how often the kubelet computes its node's status.
pub const NODE_STATUS_UPDATE_FREQUENCY: SimDuration = SimDuration::from_secs(10);

/// `nodeStatusReportFrequency`: how long the kubelet goes without writing an unchanged status.
pub const NODE_STATUS_REPORT_FREQUENCY: SimDuration = SimDuration::from_secs(300);

/// `nodeStatusMaxImages`: the most images `status.images` lists.
pub const NODE_STATUS_MAX_IMAGES: usize = 50;

/// How often the image manager refreshes the image list the status reads
/// (pkg/kubelet/images/image_gc_manager.go `Start`, v1.34: its cache is set every 30 s).
pub const IMAGE_CACHE_PERIOD: SimDuration = SimDuration::from_secs(30);

/// The most a status period is stretched: kubelet.go runs `syncNodeStatus` through
/// `wait.JitterUntil` with a jitter factor of 0.04, so each wait is 10 s plus up to 0.4 s, which
/// keeps nodes started together from writing together.
const JITTER_MS: u32 = 400;

/// What one kubelet keeps between node status syncs.
#[derive(Debug, Clone)]
pub struct Reporter {
    /// Whether the container runtime reports its network ready (see [`NETWORK_READY_AFTER`]).
    pub network_ready: bool,
    /// When the status was last written (`lastStatusReportTime`); None for a kubelet that
    /// has not written since it started, which writes at its first sync.
    pub last_report: Option<SimTime>,
    /// The image manager's cached list, as `status.images` shows it.
    images: Vec<corev1::ContainerImage>,
    /// How many images the node held when the cache was last set.
    cached_count: usize,
    /// When the pending status and image cache timers are due; a timer due at another
    /// instant is one a stop and start left behind.
    pub(crate) status_due: Option<SimTime>,
    pub(crate) cache_due: Option<SimTime>,
    /// The jitter of the status period, drawn per node from the cluster's seed.
    jitter: SimRng,
}

impl Default for Reporter {
    fn default() -> Reporter {
        Reporter {
            network_ready: true,
            last_report: None,
            images: Vec::new(),
            cached_count: 0,
            status_due: None,
            cache_due: None,
            jitter: SimRng::seeded(0),
        }
    }
}

impl Reporter {
    /// A reporter for `node` whose status was written at `now` (its registration), with the
    /// images it starts with in its cache.
    pub fn new(seed: u64, node: &str, images: &BTreeSet<String>, now: SimTime) -> Reporter {
        // FNV-1a of the name: each node draws its own jitter, the same in every run of a seed,
        // without drawing from the cluster's generator.
        let name_hash = node.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        Reporter {
            last_report: Some(now),
            images: image_list(images),
            cached_count: images.len(),
            jitter: SimRng::seeded(seed ^ name_hash),
            ..Reporter::default()
        }
    }

    /// The next status sync after one at `now`: the period plus its jitter.
    pub fn next_status_sync(&mut self, now: SimTime) -> SimTime {
        let jitter = SimDuration::from_millis(u64::from(self.jitter.below(JITTER_MS)));
        let at = now + NODE_STATUS_UPDATE_FREQUENCY + jitter;
        self.status_due = Some(at);
        at
    }

    /// Sets the image cache from the images on the node; the list is rebuilt only when the
    /// node holds another number of images (the simulation never removes one).
    pub fn refresh_images(&mut self, images: &BTreeSet<String>) {
        if images.len() != self.cached_count {
            self.images = image_list(images);
            self.cached_count = images.len();
        }
    }
}

/// `status.images` from the images on a node (setters.go `Images`): largest first, as the
/// image manager's cache sorts them, at most [`NODE_STATUS_MAX_IMAGES`]; ties by name so the
/// order is the same in every run.
pub fn image_list(images: &BTreeSet<String>) -> Vec<corev1::ContainerImage> {
    let mut sized: Vec<(i64, &String)> = images
        .iter()
        .map(|full| {
            let size = super::images::parse_ref(full)
                .and_then(|r| super::images::resolve(&r).ok())
                .map_or(0, |i| i.size);
            (size, full)
        })
        .collect();
    sized.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    sized
        .into_iter()
        .take(NODE_STATUS_MAX_IMAGES)
        .map(|(size, full)| corev1::ContainerImage {
            names: Some(vec![full.clone()]),
            size_bytes: Some(size),
        })
        .collect()
}

/// One node status sync (kubelet_node_status.go `tryUpdateNodeStatus`, v1.34): the status the
/// kubelet computes is written when it differs from the stored one in anything but the
/// conditions' heartbeat times (`nodeStatusHasChanged`), or when
/// [`NODE_STATUS_REPORT_FREQUENCY`] has passed since the last write; a write refreshes every
/// condition's `lastHeartbeatTime`. Condition flips are recorded as the kubelet's events.
///
/// The kubelet computes the conditions and `status.images`; the other setters' fields
/// (addresses, capacity, node info) never change in the simulation and are left as stored.
pub fn sync(store: &mut Store, node: &str, reporter: &mut Reporter, now: SimTime) {
    let Ok(obj) = store.get(kind_of::<corev1::Node>(), None, node) else {
        return;
    };
    let Object::Node(stored) = &*obj else { return };
    let due = reporter.last_report.is_none_or(|t| {
        now.as_millis() >= t.as_millis() + NODE_STATUS_REPORT_FREQUENCY.as_millis()
    });
    if !due && !has_changed(stored.status.as_ref(), reporter) {
        return;
    }
    let mut n = stored.clone();
    let flips = set_node_status(&mut n, reporter, now);
    let events: Vec<EventRecord> = flips
        .into_iter()
        .map(|reason| {
            EventRecord::normal(
                &Object::Node(n.clone()),
                reason,
                format!("Node {node} status is now: {reason}"),
            )
        })
        .collect();
    if store
        .update_status(None, Object::Node(n), &UpdateOptions::default())
        .is_ok()
    {
        reporter.last_report = Some(now);
        let source = EventSource {
            component: "kubelet".into(),
            host: node.into(),
        };
        for event in &events {
            record(store, event, &source, now);
        }
    }
}

/// A condition as one of the kubelet's setters computes it.
struct Wanted {
    type_: &'static str,
    status: &'static str,
    reason: &'static str,
    message: &'static str,
    /// The event recorded when the status flips.
    event: &'static str,
    /// The Ready setter rewrites reason and message on every sync; the pressure setters only
    /// when the status flips.
    always_rewritten: bool,
}

/// The conditions of a healthy kubelet (setters.go `MemoryPressureCondition`,
/// `DiskPressureCondition`, `PIDPressureCondition`, `ReadyCondition`), in their order.
fn wanted(network_ready: bool) -> [Wanted; 4] {
    let pressure = |type_, reason, message, event| Wanted {
        type_,
        status: "False",
        reason,
        message,
        event,
        always_rewritten: false,
    };
    let ready = if network_ready {
        ("True", "KubeletReady", "kubelet is posting ready status", "NodeReady")
    } else {
        ("False", "KubeletNotReady", NETWORK_NOT_READY, "NodeNotReady")
    };
    [
        pressure(
            "MemoryPressure",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
            "NodeHasSufficientMemory",
        ),
        pressure(
            "DiskPressure",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
            "NodeHasNoDiskPressure",
        ),
        pressure(
            "PIDPressure",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
            "NodeHasSufficientPID",
        ),
        Wanted {
            type_: "Ready",
            status: ready.0,
            reason: ready.1,
            message: ready.2,
            event: ready.3,
            always_rewritten: true,
        },
    ]
}

/// `nodeStatusHasChanged` over what the kubelet computes, without building the new status.
fn has_changed(status: Option<&corev1::NodeStatus>, reporter: &Reporter) -> bool {
    let Some(status) = status else { return true };
    let conditions = status.conditions.as_deref().unwrap_or_default();
    let condition_changed = wanted(reporter.network_ready).iter().any(|w| {
        match conditions.iter().find(|c| c.type_ == w.type_) {
            None => true,
            Some(c) if c.status != w.status => true,
            Some(c) => {
                w.always_rewritten
                    && (c.reason.as_deref() != Some(w.reason)
                        || c.message.as_deref() != Some(w.message))
            }
        }
    });
    let images = status.images.as_deref().unwrap_or_default();
    condition_changed || images != reporter.images.as_slice()
}

/// Runs the kubelet's setters over `node` at `now`; returns the events of the conditions
/// whose status flipped.
fn set_node_status(
    node: &mut corev1::Node,
    reporter: &Reporter,
    now: SimTime,
) -> Vec<&'static str> {
    let status = node.status.get_or_insert_with(Default::default);
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    let mut flips = Vec::new();
    for w in wanted(reporter.network_ready) {
        let (at, added) = match conditions.iter().position(|c| c.type_ == w.type_) {
            Some(i) => (i, false),
            None => {
                // A condition the node lacks starts Unknown, so it flips below.
                conditions.push(corev1::NodeCondition {
                    type_: w.type_.into(),
                    status: "Unknown".into(),
                    ..Default::default()
                });
                (conditions.len() - 1, true)
            }
        };
        let c = &mut conditions[at];
        c.last_heartbeat_time = Some(now.to_time());
        let flipped = c.status != w.status;
        if flipped || w.always_rewritten {
            c.status = w.status.into();
            c.reason = Some(w.reason.into());
            c.message = Some(w.message.into());
        }
        if flipped {
            c.last_transition_time = Some(now.to_time());
            // The Ready setter records an event only when an existing condition flips.
            if !(added && w.always_rewritten) {
                flips.push(w.event);
            }
        }
    }
    status.images = (!reporter.images.is_empty()).then(|| reporter.images.clone());
    flips
}

fn ready_condition(node: &mut corev1::Node) -> Option<&mut corev1::NodeCondition> {
    node.status
        .as_mut()?
        .conditions
        .as_mut()?
        .iter_mut()
        .find(|c| c.type_ == "Ready")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use api::Object;
    use k8s_openapi::api::core::v1 as corev1;

    use super::*;
    use crate::apiserver::WatchOptions;
    use crate::controller::testutil::apply;
    use crate::sim::Cluster;

    fn node(c: &Cluster, name: &str) -> corev1::Node {
        match c.store().get(kind_of::<corev1::Node>(), None, name).as_deref() {
            Ok(Object::Node(n)) => n.clone(),
            other => panic!("no node {name}: {other:?}"),
        }
    }

    /// Each condition's type with its heartbeat and transition times.
    fn times(n: &corev1::Node) -> Vec<(String, SimTime, SimTime)> {
        let at = |t: &Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>| {
            t.as_ref().and_then(SimTime::from_time).expect("time")
        };
        n.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .into_iter()
            .flatten()
            .map(|c| (c.type_.clone(), at(&c.last_heartbeat_time), at(&c.last_transition_time)))
            .collect()
    }

    fn advance_to(c: &mut Cluster, at: SimTime) {
        c.advance(SimDuration::from_millis(at.as_millis() - c.now().as_millis()));
    }

    // Mirrors tryUpdateNodeStatus in pkg/kubelet/kubelet_node_status.go (v1.34): an unchanged
    // status goes out once nodeStatusReportFrequency has passed, at the first sync after it.
    #[test]
    fn an_unchanged_status_is_written_every_five_minutes() {
        let mut c = crate::presets::minikube(7);
        let registered = times(&node(&c, "minikube"));
        let t0 = registered[0].1;
        assert!(registered.iter().all(|(_, h, t)| *h == t0 && *t == t0), "{registered:?}");
        let rv = node(&c, "minikube").metadata.resource_version;
        advance_to(&mut c, t0 + SimDuration::from_secs(290));
        assert_eq!(node(&c, "minikube").metadata.resource_version, rv, "written before it was due");
        advance_to(&mut c, t0 + SimDuration::from_secs(360));
        let after = times(&node(&c, "minikube"));
        assert_eq!(after.len(), 4);
        for (type_, heartbeat, transition) in &after {
            let since = heartbeat.as_millis() - t0.as_millis();
            // Syncs come every 10 s plus up to 0.4 s of jitter.
            assert!((300_000..310_400).contains(&since), "{type_}: heartbeat {since} ms after");
            assert_eq!(*transition, t0, "{type_}: no flip, same transition");
        }
    }

    // setters.go Images (v1.34) reads the image manager's cache, which image_gc_manager.go
    // refreshes every 30 s: a pulled image is listed at most 30 s + one sync later.
    #[test]
    fn a_pulled_image_is_listed_by_size_after_the_next_cache_refresh_and_sync() {
        let mut c = crate::presets::minikube(8);
        apply(
            &mut c,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
        );
        let listed = |c: &Cluster| {
            node(c, "minikube")
                .status
                .and_then(|s| s.images)
                .unwrap_or_default()
        };
        let has_nginx = |c: &Cluster| {
            c.kubelets().nodes["minikube"].images.contains("docker.io/library/nginx:latest")
        };
        let mut pulled = None;
        for _ in 0..120 {
            c.advance(SimDuration::from_millis(500));
            if pulled.is_none() && has_nginx(&c) {
                pulled = Some(c.now());
            }
            let nginx = "docker.io/library/nginx:latest";
            if listed(&c).iter().flat_map(|i| i.names.iter().flatten()).any(|n| n == nginx) {
                break;
            }
        }
        let pulled = pulled.expect("nginx pulled");
        let waited = c.now().as_millis() - pulled.as_millis();
        assert!(waited <= 30_000 + 10_400 + 500, "listed {waited} ms after the pull");
        let images = listed(&c);
        assert_eq!(images.len(), 9, "{images:?}");
        let sizes: Vec<i64> = images.iter().map(|i| i.size_bytes.unwrap_or(0)).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first: {sizes:?}");
        // The image changed the status, not a condition: heartbeats moved, transitions stayed.
        let n = node(&c, "minikube");
        assert!(times(&n).iter().all(|(_, h, t)| h > t), "{:?}", times(&n));
    }

    // A kubelet that starts again writes at its first sync (its lastStatusReportTime is
    // unset), flipping back the conditions the node lifecycle controller turned Unknown, each
    // flip with the kubelet's event (setters.go, v1.34).
    #[test]
    fn a_restarted_kubelet_writes_its_conditions_back_at_once() {
        let mut c = crate::presets::multinode(10);
        c.stop_node("minikube-m02");
        c.advance(SimDuration::from_secs(70));
        let stopped = node(&c, "minikube-m02");
        let statuses = |n: &corev1::Node| -> Vec<String> {
            n.status.as_ref().and_then(|s| s.conditions.as_ref()).into_iter().flatten()
                .map(|c| format!("{}={}", c.type_, c.status)).collect()
        };
        assert!(statuses(&stopped).iter().all(|s| s.ends_with("=Unknown")), "{:?}", statuses(&stopped));
        c.start_node("minikube-m02");
        let started = c.now();
        // The work due at the instant it starts: its heartbeat and first status sync.
        c.advance(SimDuration::from_millis(0));
        let n = node(&c, "minikube-m02");
        assert_eq!(
            statuses(&n),
            ["MemoryPressure=False", "DiskPressure=False", "PIDPressure=False", "Ready=True"]
        );
        assert!(times(&n).iter().all(|(_, h, t)| *h == started && *t == started), "{:?}", times(&n));
        let reasons: Vec<String> = c
            .list(kind_of::<corev1::Event>(), Some("default"))
            .iter()
            .filter_map(|o| match &**o {
                Object::Event(e) if e.involved_object.name.as_deref() == Some("minikube-m02")
                    && e.source.as_ref().and_then(|s| s.component.as_deref()) == Some("kubelet") =>
                {
                    e.reason.clone()
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            reasons,
            ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID", "NodeReady"]
        );
    }

    #[test]
    fn image_list_is_largest_first_and_capped() {
        let many: BTreeSet<String> = (0..60).map(|i| format!("example.com/img{i}:v1")).collect();
        assert_eq!(image_list(&many).len(), NODE_STATUS_MAX_IMAGES);
        let two: BTreeSet<String> =
            ["registry.k8s.io/pause:3.10", "docker.io/library/nginx:latest"].map(String::from).into();
        let names: Vec<String> = image_list(&two)
            .into_iter()
            .flat_map(|i| i.names.unwrap_or_default())
            .collect();
        assert_eq!(names, ["docker.io/library/nginx:latest", "registry.k8s.io/pause:3.10"]);
    }

    // At scale the nodes write nothing while their status stays the same, then each writes
    // once, spread by the jitter of its period rather than all at one instant.
    #[test]
    fn idle_nodes_write_only_every_five_minutes_and_not_together() {
        let mut c = crate::presets::large(9, 24);
        let names: Vec<String> = c.kubelets().nodes.keys().cloned().collect();
        let t0 = times(&node(&c, &names[0]))[0].1;
        let info = kind_of::<corev1::Node>();
        let mut watch = c.store_mut().watch(info, None, &WatchOptions::default()).expect("watch");
        // The watch opens with an ADDED event for every node.
        let (listed, _) = c.store_mut().poll_or_relist(&mut watch, info);
        assert_eq!(listed.len(), names.len());
        advance_to(&mut c, t0 + SimDuration::from_secs(295));
        let (early, _) = c.store_mut().poll_or_relist(&mut watch, info);
        assert_eq!(early.len(), 0, "node writes before the report was due");
        advance_to(&mut c, t0 + SimDuration::from_secs(320));
        let (due, _) = c.store_mut().poll_or_relist(&mut watch, info);
        let written: BTreeSet<&str> = due.iter().map(|e| e.object.name()).collect();
        assert_eq!(due.len(), names.len(), "one write per node");
        assert_eq!(written.len(), names.len());
        let heartbeats: BTreeSet<SimTime> =
            names.iter().map(|n| times(&node(&c, n))[0].1).collect();
        assert!(heartbeats.len() > 1, "every node wrote at the same second: {heartbeats:?}");
    }
}
