//! The DaemonSet controller: one pod per eligible node, rolled out one node at a time.
//!
//! Mirrors pkg/controller/daemon/daemon_controller.go (`syncDaemonSet`, `manage`,
//! `podsShouldBeOnNode`, `NodeShouldRunDaemonPod`, `updateDaemonSetStatus`) and update.go
//! (`rollingUpdate`, maxSurge 0 branch), v1.34, plus pkg/controller/daemon/util
//! (`AddOrUpdateDaemonPodTolerations`, `ReplaceDaemonSetPodNodeNameNodeAffinity`).
//!
//! Eligibility uses the scheduler's NodeAffinity and TaintToleration filters, as upstream calls
//! the scheduler plugins. Pods are pinned to their node by a required `matchFields`
//! `metadata.name` term and left to the scheduler to bind.
//!
//! Each template is recorded as a ControllerRevision `<ds>-<hash>` (see [`super::history`];
//! update.go `constructHistory`), whose `controller-revision-hash` label is the hash new pods
//! carry; revisions beyond `revisionHistoryLimit` that no pod uses are pruned.
//!
//! Deliberate gaps: no maxSurge, no back-off before replacing a failed daemon pod.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::history;
use super::kind_of;
use super::plan::{CREATED_NAME, EventRecord, Plan, SyncError, Write};
use super::podutil;
use super::replicaset::controller_uid;
use super::runner::{ObjectKey, Reconciler, controller_owner_key};
use crate::apiserver::{ListOptions, Store, WatchEvent, WatchEventType};
use crate::scheduler::types::taints_of;
use crate::scheduler::{PodInfo, filter};
use crate::time::SimTime;

/// The label with the DaemonSet template's hash.
pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller-revision-hash";
/// The most pods one sync creates or deletes (`BurstReplicas`,
/// pkg/controller/daemon/daemon_controller.go, v1.34).
const BURST_REPLICAS: usize = 250;

/// The label with the DaemonSet's generation when the pod was created.
pub const POD_TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";

/// The runner's handle on the DaemonSet controller, with the labels and taints each node was
/// last seen with.
#[derive(Debug, Default)]
pub struct DaemonSetsController {
    placement: RefCell<HashMap<String, NodePlacement>>,
}

/// What of a node decides whether a daemon pod should run there.
type NodePlacement = (Option<BTreeMap<String, String>>, Option<Vec<corev1::Taint>>);

/// What `sync_daemon_set` reads: every node, and the pods of the DaemonSet's namespace.
#[derive(Debug, Clone, Default)]
pub struct DaemonSetView {
    pub nodes: Vec<Arc<Object>>,
    pub pods: Vec<Arc<Object>>,
    /// The ControllerRevisions of the namespace.
    pub revisions: Vec<Arc<Object>>,
}

impl Reconciler for DaemonSetsController {
    fn name(&self) -> &'static str {
        "daemonset-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<appsv1::DaemonSet>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![
            kind_of::<corev1::Pod>(),
            kind_of::<corev1::Node>(),
            kind_of::<appsv1::ControllerRevision>(),
        ]
    }

    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        match &*event.object {
            Object::Node(node) => {
                // Only a node that comes, goes or changes its labels or taints can change
                // where daemon pods run; its kubelet's status writes do not
                // (daemon_controller.go `shouldIgnoreNodeUpdate`, v1.34).
                let name = node.metadata.name.clone().unwrap_or_default();
                let mut placement = self.placement.borrow_mut();
                let changed = if event.event_type == WatchEventType::Deleted {
                    placement.remove(&name);
                    true
                } else {
                    let seen = (
                        node.metadata.labels.clone(),
                        node.spec.as_ref().and_then(|s| s.taints.clone()),
                    );
                    placement.get(&name) != Some(&seen) && {
                        placement.insert(name, seen);
                        true
                    }
                };
                if !changed {
                    return Vec::new();
                }
                store
                    .list(self.primary(), None, &ListOptions::default())
                    .map(|l| l.items.iter().map(|o| ObjectKey::of(o)).collect())
                    .unwrap_or_default()
            }
            _ => controller_owner_key(&event.object, self.primary())
                .into_iter()
                .collect(),
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(Plan::none());
        };
        let Object::DaemonSet(ds) = &*obj else {
            return Ok(Plan::none());
        };
        let list = |info: &KindInfo, ns: Option<&str>| {
            store
                .list(info, ns, &ListOptions::default())
                .map(|l| l.items)
                .map_err(|e| SyncError::Transient(e.to_string()))
        };
        let view = DaemonSetView {
            nodes: list(kind_of::<corev1::Node>(), None)?,
            pods: list(kind_of::<corev1::Pod>(), key.namespace.as_deref())?,
            revisions: list(
                kind_of::<appsv1::ControllerRevision>(),
                key.namespace.as_deref(),
            )?,
        };
        sync_daemon_set(ds, &view, now)
    }
}

/// Mirrors syncDaemonSet: create missing daemon pods, delete surplus and misplaced ones, roll
/// out template changes `maxUnavailable` nodes at a time, then update status.
///
/// # Errors
/// None today; the signature matches the other controllers.
pub fn sync_daemon_set(
    ds: &appsv1::DaemonSet,
    view: &DaemonSetView,
    now: SimTime,
) -> Result<Plan, SyncError> {
    let mut plan = Plan::none();
    if ds.metadata.deletion_timestamp.is_some() {
        return Ok(plan);
    }
    let ds_obj = Object::DaemonSet(ds.clone());
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let spec = ds.spec.clone().unwrap_or_default();
    let template_hash = super::deployment::util::compute_hash(
        &spec.template,
        ds.status.as_ref().and_then(|s| s.collision_count),
    );
    let revisions = history::owned_revisions(&view.revisions, &uid);
    let parent = history::Parent {
        kind: "DaemonSet",
        meta: &ds.metadata,
        template: &spec.template,
        hash: template_hash.clone(),
        hash_label: CONTROLLER_REVISION_HASH_LABEL,
        history_limit: spec.revision_history_limit,
    };
    let synced = history::sync(&parent, &revisions);
    // Pods are current when they carry the current revision's hash (IsPodUpdated).
    let hash = synced
        .current
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL))
        .cloned()
        .unwrap_or(template_hash);
    plan.writes.extend(synced.writes);
    let min_ready = spec.min_ready_seconds.unwrap_or(0);

    // Pods by the node they run on or are pinned to.
    let mut by_node: BTreeMap<String, Vec<&corev1::Pod>> = BTreeMap::new();
    for o in &view.pods {
        let Object::Pod(p) = &**o else { continue };
        if controller_uid(&p.metadata) != Some(uid.as_str()) {
            continue;
        }
        let node = podutil::node_name(p)
            .map(str::to_string)
            .or_else(|| pinned_node(p))
            .unwrap_or_default();
        by_node.entry(node).or_default().push(p);
    }

    let mut desired = 0;
    let mut current = 0;
    let mut misscheduled = 0;
    let mut ready = 0;
    let mut available = 0;
    let mut updated = 0;
    let mut old_available: Vec<&corev1::Pod> = Vec::new();
    let mut unavailable_nodes = 0;
    let mut deletes: Vec<&corev1::Pod> = Vec::new();
    let mut create_on: Vec<String> = Vec::new();

    let mut nodes: Vec<&corev1::Node> = view
        .nodes
        .iter()
        .filter_map(|o| match &**o {
            Object::Node(n) => Some(n),
            _ => None,
        })
        .collect();
    machinery::sort::sort_by(&mut nodes, |a, b| a.metadata.name.cmp(&b.metadata.name));
    let placement = Placement::of(ds);
    for node in nodes {
        let name = node.metadata.name.clone().unwrap_or_default();
        let (should_run, should_continue_running) = placement.decide(node);
        let pods = by_node.remove(&name).unwrap_or_default();
        let mut running: Vec<&corev1::Pod> = pods
            .iter()
            .copied()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .collect();
        // Failed daemon pods are deleted so they can be replaced.
        for p in running.iter().filter(|p| podutil::phase(p) == "Failed") {
            deletes.push(p);
        }
        running.retain(|p| podutil::phase(p) != "Failed");
        if !should_run {
            if !running.is_empty() {
                misscheduled += 1;
            }
            // A pod that tolerates the node's NoExecute taints stays (e.g. on an unreachable
            // node, which also has a NoSchedule taint no daemon pod tolerates).
            if !should_continue_running {
                deletes.extend(running);
            }
            continue;
        }
        desired += 1;
        if running.is_empty() {
            create_on.push(name);
            unavailable_nodes += 1;
            continue;
        }
        current += 1;
        // Keep the oldest; delete the rest.
        machinery::sort::sort_by_key(&mut running, |p| {
            (
                p.metadata
                    .creation_timestamp
                    .as_ref()
                    .map_or(0, |t| t.0.as_millisecond()),
                p.metadata.name.clone(),
            )
        });
        let keep = running[0];
        deletes.extend(running.iter().skip(1).copied());
        let is_new = keep
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL))
            == Some(&hash);
        let is_available = podutil::is_pod_available(keep, min_ready, now);
        ready += i32::from(podutil::is_pod_ready(keep));
        available += i32::from(is_available);
        updated += i32::from(is_new);
        if !is_available {
            unavailable_nodes += 1;
        }
        if !is_new {
            if is_available {
                old_available.push(keep);
            } else {
                // An unavailable old pod is replaced without using the budget.
                deletes.push(keep);
            }
        }
    }
    // Pods on nodes that no longer exist.
    for pods in by_node.values() {
        deletes.extend(
            pods.iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none()),
        );
    }

    // rollingUpdate (maxSurge 0): replace available old pods while the budget allows.
    let rolling = spec
        .update_strategy
        .as_ref()
        .is_none_or(|s| s.type_.as_deref() != Some("OnDelete"));
    if rolling {
        let max_unavailable = max_unavailable(&spec, desired);
        let budget = (max_unavailable - unavailable_nodes).max(0) as usize;
        deletes.extend(old_available.into_iter().take(budget));
    }

    // syncNodes creates and deletes at most BurstReplicas pods per sync; the pods' watch
    // events bring the next sync for the rest.
    create_on.truncate(BURST_REPLICAS);
    deletes.truncate(BURST_REPLICAS);
    for node in create_on {
        plan.push(Write::Create {
            object: Object::Pod(new_pod(ds, &node, &hash)),
            announce: Some(EventRecord::normal(
                &ds_obj,
                "SuccessfulCreate",
                format!("Created pod: {CREATED_NAME}"),
            )),
        });
    }
    for p in deletes {
        let name = p.metadata.name.clone().unwrap_or_default();
        plan.push(Write::Delete {
            kind: kind_of::<corev1::Pod>(),
            namespace: p.metadata.namespace.clone(),
            name: name.clone(),
            uid: p.metadata.uid.clone(),
            grace_period_seconds: None,
        });
        plan.event(EventRecord::normal(
            &ds_obj,
            "SuccessfulDelete",
            format!("Deleted pod: {name}"),
        ));
    }

    // cleanupHistory: old revisions no live pod uses, beyond the limit.
    // Borrowed: a sync on a large cluster reads one pod per node.
    let live_hashes: BTreeSet<&str> = view
        .pods
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p)
                if controller_uid(&p.metadata) == Some(uid.as_str())
                    && p.metadata.deletion_timestamp.is_none() =>
            {
                let labels = p.metadata.labels.as_ref()?;
                labels.get(CONTROLLER_REVISION_HASH_LABEL).map(String::as_str)
            }
            _ => None,
        })
        .collect();
    let keep: BTreeSet<String> = synced.current.metadata.name.iter().cloned().collect();
    plan.writes
        .extend(history::prune(&parent, &revisions, &keep, &|h| {
            live_hashes.contains(h)
        }));

    let old = ds.status.clone().unwrap_or_default();
    let nz = |v: i32| (v != 0).then_some(v);
    let status = appsv1::DaemonSetStatus {
        current_number_scheduled: current,
        desired_number_scheduled: desired,
        number_misscheduled: misscheduled,
        number_ready: ready,
        number_available: nz(available),
        number_unavailable: nz(desired - available),
        updated_number_scheduled: nz(updated),
        observed_generation: ds.metadata.generation,
        collision_count: old.collision_count,
        conditions: old.conditions.clone(),
    };
    if status != old {
        let mut d = ds.clone();
        d.status = Some(status);
        plan.push(Write::UpdateStatus(Object::DaemonSet(d)));
    }
    if min_ready > 0 {
        let wait = view
            .pods
            .iter()
            .filter_map(|o| match &**o {
                Object::Pod(p) if controller_uid(&p.metadata) == Some(uid.as_str()) => {
                    podutil::time_until_available(p, min_ready, now)
                }
                _ => None,
            })
            .min();
        if let Some(w) = wait {
            plan.requeue_after(w);
        }
    }
    Ok(plan)
}

/// NodeShouldRunDaemonPod's view of a DaemonSet, built once a sync: the daemon pod as
/// upstream's `NewPod` makes it for the predicates — the template with the daemon tolerations
/// and its own node selector and affinity (the `metadata.name` pin is added only to the pods
/// it creates) — pkg/controller/daemon/daemon_controller.go, v1.34.
pub struct Placement {
    pod: PodInfo,
}

impl Placement {
    pub fn of(ds: &appsv1::DaemonSet) -> Placement {
        let mut spec = ds
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.clone())
            .unwrap_or_default();
        add_or_update_daemon_pod_tolerations(&mut spec);
        let pod = corev1::Pod {
            spec: Some(spec),
            ..Default::default()
        };
        Placement {
            pod: PodInfo::new(&pod, 0),
        }
    }

    /// `(shouldRun, shouldContinueRunning)` for `node`: both need the node's name and labels to
    /// fit the pod's node selector and affinity; to run, the daemon pod must tolerate the
    /// node's NoSchedule and NoExecute taints, to keep running only its NoExecute ones.
    /// Reads the node in place: a sync asks this of every node.
    pub fn decide(&self, node: &corev1::Node) -> (bool, bool) {
        let no_labels = BTreeMap::new();
        let labels = node.metadata.labels.as_ref().unwrap_or(&no_labels);
        let name = node.metadata.name.as_deref().unwrap_or_default();
        if !filter::fits_node_affinity(&self.pod, name, labels) {
            return (false, false);
        }
        let taints = taints_of(node);
        let tolerations = &self.pod.tolerations;
        let should_run =
            machinery::scheduling::does_not_tolerate_blocking_taint(&taints, tolerations).is_none();
        let no_execute = |t: &machinery::scheduling::Taint| t.effect == "NoExecute";
        let should_continue_running = should_run
            || machinery::scheduling::find_matching_untolerated_taint(
                &taints,
                tolerations,
                Some(&no_execute),
            )
            .is_none();
        (should_run, should_continue_running)
    }
}

/// A daemon pod for `node`: the template, the daemon tolerations, a `metadata.name` node
/// affinity, and the revision labels.
pub fn new_pod(ds: &appsv1::DaemonSet, node: &str, hash: &str) -> corev1::Pod {
    let template = ds
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    let mut spec = template.spec.unwrap_or_default();
    add_or_update_daemon_pod_tolerations(&mut spec);
    replace_node_name_affinity(&mut spec, node);
    let mut labels = tmeta.labels.unwrap_or_default();
    if !hash.is_empty() {
        labels.insert(CONTROLLER_REVISION_HASH_LABEL.into(), hash.into());
    }
    if let Some(g) = ds.metadata.generation {
        labels.insert(POD_TEMPLATE_GENERATION_LABEL.into(), g.to_string());
    }
    let name = ds.metadata.name.clone().unwrap_or_default();
    corev1::Pod {
        metadata: metav1::ObjectMeta {
            generate_name: Some(format!("{name}-")),
            namespace: ds.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: tmeta.annotations,
            owner_references: Some(vec![metav1::OwnerReference {
                api_version: "apps/v1".into(),
                kind: "DaemonSet".into(),
                name,
                uid: ds.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    }
}

/// Mirrors AddOrUpdateDaemonPodTolerations: not-ready and unreachable (NoExecute), the
/// pressure and unschedulable taints (NoSchedule), and network-unavailable for host-network
/// pods.
pub fn add_or_update_daemon_pod_tolerations(spec: &mut corev1::PodSpec) {
    let mut add = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if spec.host_network == Some(true) {
        add.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for (key, effect) in add {
        tolerations
            .retain(|t| !(t.key.as_deref() == Some(key) && t.effect.as_deref() == Some(effect)));
        tolerations.push(corev1::Toleration {
            key: Some(key.into()),
            operator: Some("Exists".into()),
            effect: Some(effect.into()),
            ..Default::default()
        });
    }
}

/// Mirrors ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes one
/// term selecting `metadata.name` = `node`.
fn replace_node_name_affinity(spec: &mut corev1::PodSpec, node: &str) {
    let affinity = spec.affinity.get_or_insert_with(Default::default);
    let na = affinity.node_affinity.get_or_insert_with(Default::default);
    na.required_during_scheduling_ignored_during_execution = Some(corev1::NodeSelector {
        node_selector_terms: vec![corev1::NodeSelectorTerm {
            match_expressions: None,
            match_fields: Some(vec![corev1::NodeSelectorRequirement {
                key: "metadata.name".into(),
                operator: "In".into(),
                values: Some(vec![node.into()]),
            }]),
        }],
    });
}

/// The node a not-yet-bound daemon pod is pinned to.
fn pinned_node(p: &corev1::Pod) -> Option<String> {
    p.spec
        .as_ref()?
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms
        .iter()
        .flat_map(|t| t.match_fields.iter().flatten())
        .find(|r| r.key == "metadata.name")
        .and_then(|r| r.values.as_ref()?.first().cloned())
}

/// The rolling update's maxUnavailable against `desired` nodes (default 1; percentages round
/// down, at least 1 when both knobs resolve to 0).
fn max_unavailable(spec: &appsv1::DaemonSetSpec, desired: i32) -> i32 {
    let v = spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
        .and_then(|r| r.max_unavailable.clone())
        .unwrap_or(IntOrString::Int(1));
    let m = match v {
        IntOrString::Int(i) => i,
        IntOrString::String(s) => s
            .strip_suffix('%')
            .and_then(|p| p.parse::<i32>().ok())
            .map_or(1, |p| p * desired / 100),
    };
    m.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::testutil::{apply, events};
    use crate::sim::Cluster;
    use crate::time::SimDuration;

    const DS: &str = r#"
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ssd-monitor, namespace: default}
spec:
  selector: {matchLabels: {app: ssd-monitor}}
  template:
    metadata: {labels: {app: ssd-monitor}}
    spec:
      containers: [{name: main, image: "nginx:1.27"}]
"#;

    /// `(pod, node, image)` of the live daemon pods, by node.
    fn daemon_pods(c: &Cluster) -> Vec<(String, String, String)> {
        let mut out: Vec<(String, String, String)> = crate::controller::testutil::live_pods(c)
            .into_iter()
            .map(|p| {
                let node = podutil::node_name(&p).unwrap_or("").to_string();
                let image = p
                    .spec
                    .as_ref()
                    .and_then(|s| s.containers[0].image.clone())
                    .unwrap_or_default();
                (p.metadata.name.unwrap_or_default(), node, image)
            })
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        out
    }

    fn status(c: &Cluster) -> appsv1::DaemonSetStatus {
        let o = c
            .store()
            .get(
                kind_of::<appsv1::DaemonSet>(),
                Some("default"),
                "ssd-monitor",
            )
            .expect("ds");
        match &*o {
            Object::DaemonSet(d) => d.status.clone().unwrap_or_default(),
            _ => unreachable!(),
        }
    }

    // daemon_controller.go shouldIgnoreNodeUpdate (v1.34): a node's status writes enqueue no
    // DaemonSet; a new node or a change of its labels or taints enqueues every one.
    #[test]
    fn only_node_placement_changes_enqueue_daemon_sets() {
        let mut c = crate::presets::kubeadm(3);
        apply(&mut c, DS);
        let ctrl = DaemonSetsController::default();
        let stored = c.store().get(kind_of::<corev1::Node>(), None, "k8s-slave1").expect("node");
        let Object::Node(node) = &*stored else { unreachable!() };
        let keys = |n: &corev1::Node, event_type| {
            let event = WatchEvent {
                event_type,
                object: Arc::new(Object::Node(n.clone())),
            };
            ctrl.keys_for(&event, c.store()).len()
        };
        let all = c.list(kind_of::<appsv1::DaemonSet>(), None).len();
        assert!(all > 0);
        assert_eq!(keys(node, WatchEventType::Added), all, "first sight");
        let mut heartbeat = node.clone();
        heartbeat.status.get_or_insert_with(Default::default).images = None;
        assert_eq!(keys(&heartbeat, WatchEventType::Modified), 0, "status only");
        let mut labelled = heartbeat.clone();
        let labels = labelled.metadata.labels.get_or_insert_with(Default::default);
        labels.insert("disk".into(), "ssd".into());
        assert_eq!(keys(&labelled, WatchEventType::Modified), all, "new label");
        let mut tainted = labelled.clone();
        let taint = corev1::Taint {
            key: "k".into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        };
        tainted.spec.get_or_insert_with(Default::default).taints = Some(vec![taint]);
        assert_eq!(keys(&tainted, WatchEventType::Modified), all, "new taint");
        assert_eq!(keys(&tainted, WatchEventType::Deleted), all, "gone");
    }

    #[test]
    fn a_new_node_gets_its_daemon_pod() {
        let mut c = crate::presets::kubeadm(2);
        apply(&mut c, DS);
        c.run_until(
            |c| status(c).number_available == Some(2),
            SimDuration::from_secs(600),
        )
        .expect("daemon pods available");
        c.add_node(
            &crate::presets::NodeSpec {
                name: "k8s-slave3".into(),
                ip: "172.21.51.70".into(),
                control_plane: false,
                tainted: false,
                cpu: "2".into(),
                memory: "3912312Ki".into(),
                extra_labels: Vec::new(),
            },
            9,
        );
        c.run_until(
            |c| status(c).number_available == Some(3),
            SimDuration::from_secs(120),
        )
        .expect("the new node's pod available");
        let nodes: Vec<String> = daemon_pods(&c).into_iter().map(|p| p.1).collect();
        assert_eq!(nodes, ["k8s-slave1", "k8s-slave2", "k8s-slave3"]);
        assert_eq!(status(&c).desired_number_scheduled, 3);
    }

    #[test]
    fn one_pod_per_untainted_node() {
        let mut c = crate::presets::kubeadm(1);
        apply(&mut c, DS);
        c.run_until(
            |c| status(c).number_available == Some(2),
            SimDuration::from_secs(600),
        )
        .expect("daemon pods available");
        let pods = daemon_pods(&c);
        let nodes: Vec<&str> = pods.iter().map(|p| p.1.as_str()).collect();
        // The control plane's NoSchedule taint is not among the daemon tolerations.
        assert_eq!(nodes, ["k8s-slave1", "k8s-slave2"]);
        let st = status(&c);
        assert_eq!(
            (
                st.desired_number_scheduled,
                st.current_number_scheduled,
                st.number_ready,
                st.number_available
            ),
            (2, 2, 2, Some(2))
        );
        let ev = events(&c, "DaemonSet", "ssd-monitor");
        assert_eq!(
            ev.iter()
                .filter(
                    |(r, m)| r == "SuccessfulCreate" && m.starts_with("Created pod: ssd-monitor-")
                )
                .count(),
            2
        );
        // Daemon pods tolerate not-ready and unreachable nodes.
        let any = crate::controller::testutil::live_pods(&c)
            .pop()
            .expect("pod");
        let tol: Vec<String> = any
            .spec
            .and_then(|s| s.tolerations)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|t| t.key)
            .collect();
        assert!(
            tol.contains(&"node.kubernetes.io/unreachable".to_string()),
            "{tol:?}"
        );
    }

    // NewPod keeps the template's own node affinity for the predicates; the node-name pin
    // is added only to the pods created (daemon_controller.go, v1.34).
    #[test]
    fn the_templates_required_node_affinity_picks_the_nodes() {
        let mut c = crate::presets::kubeadm(1);
        let affinity = "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [k8s-slave2]}]\n";
        apply(&mut c, &format!("{DS}{affinity}"));
        c.run_until(
            |c| status(c).number_available == Some(1),
            SimDuration::from_secs(600),
        )
        .expect("daemon pod available");
        c.advance(SimDuration::from_secs(30));
        let nodes: Vec<String> = daemon_pods(&c).into_iter().map(|p| p.1).collect();
        assert_eq!(nodes, ["k8s-slave2"]);
        assert_eq!(status(&c).desired_number_scheduled, 1);
    }

    #[test]
    fn rolling_update_replaces_one_node_at_a_time() {
        let mut c = crate::presets::multinode(2);
        apply(&mut c, DS);
        c.run_until(
            |c| status(c).number_available == Some(3),
            SimDuration::from_secs(600),
        )
        .expect("daemon pods available");
        let o = c
            .store()
            .get(
                kind_of::<appsv1::DaemonSet>(),
                Some("default"),
                "ssd-monitor",
            )
            .expect("ds");
        let Object::DaemonSet(mut ds) = (*o).clone() else {
            unreachable!()
        };
        ds.spec
            .as_mut()
            .expect("spec")
            .template
            .spec
            .as_mut()
            .expect("pod")
            .containers[0]
            .image = Some("nginx:1.28".into());
        c.store_mut()
            .update(
                Some("default"),
                Object::DaemonSet(ds),
                &crate::apiserver::UpdateOptions::default(),
            )
            .expect("update");
        c.settle();
        let limit = c.now() + SimDuration::from_secs(600);
        let mut worst = 0;
        let done = |c: &Cluster| {
            let p = daemon_pods(c);
            p.len() == 3
                && p.iter().all(|x| x.2.ends_with(":1.28"))
                && status(c).number_available == Some(3)
        };
        while !done(&c) && c.now() < limit && c.step_to_next_event() {
            let st = status(&c);
            worst = worst.max(st.number_unavailable.unwrap_or(0));
        }
        assert!(done(&c), "{:?}", daemon_pods(&c));
        assert_eq!(worst, 1, "at most one node without an available daemon pod");
        assert_eq!(status(&c).updated_number_scheduled, Some(3));

        // Two revisions, `<ds>-<hash>`; the pods carry the newest one's hash.
        let revisions = |c: &Cluster| -> Vec<(String, i64, String)> {
            let mut v: Vec<(String, i64, String)> = c
                .list(kind_of::<appsv1::ControllerRevision>(), Some("default"))
                .iter()
                .filter_map(|o| match &**o {
                    Object::ControllerRevision(r) => Some((
                        r.metadata.name.clone().unwrap_or_default(),
                        r.revision,
                        r.metadata
                            .labels
                            .as_ref()
                            .and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL))
                            .cloned()
                            .unwrap_or_default(),
                    )),
                    _ => None,
                })
                .collect();
            v.sort_by_key(|r| r.1);
            v
        };
        let revs = revisions(&c);
        assert_eq!(revs.len(), 2, "{revs:?}");
        assert_eq!((revs[0].1, revs[1].1), (1, 2));
        for (name, _, hash) in &revs {
            assert_eq!(name, &format!("ssd-monitor-{hash}"));
        }
        for o in c.list(kind_of::<corev1::Pod>(), Some("default")) {
            let labels = o.meta().labels.clone().unwrap_or_default();
            assert_eq!(labels.get(CONTROLLER_REVISION_HASH_LABEL), Some(&revs[1].2));
        }

        // Back to the first template (what `rollout undo` writes): revision 1 becomes 3.
        let first = c
            .store()
            .get(kind_of::<appsv1::ControllerRevision>(), Some("default"), &revs[0].0)
            .expect("revision");
        let Object::ControllerRevision(first) = (*first).clone() else {
            unreachable!()
        };
        let o = c
            .store()
            .get(kind_of::<appsv1::DaemonSet>(), Some("default"), "ssd-monitor")
            .expect("ds");
        let Object::DaemonSet(mut ds) = (*o).clone() else {
            unreachable!()
        };
        ds.spec.as_mut().expect("spec").template =
            super::history::template_of(&first).expect("template");
        c.store_mut()
            .update(
                Some("default"),
                Object::DaemonSet(ds),
                &crate::apiserver::UpdateOptions::default(),
            )
            .expect("update");
        c.settle();
        c.advance(SimDuration::from_secs(120));
        let revs_after = revisions(&c);
        assert_eq!(
            revs_after,
            [
                (revs[1].0.clone(), 2, revs[1].2.clone()),
                (revs[0].0.clone(), 3, revs[0].2.clone())
            ]
        );
        assert!(daemon_pods(&c).iter().all(|p| !p.2.ends_with(":1.28")));
    }
}
