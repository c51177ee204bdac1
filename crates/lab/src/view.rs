//! What the page draws of the cluster, derived here so the view stays a pure function of it:
//! nodes with their pods and resource bars, the pods still waiting for a node, Services with
//! their endpoints, workloads (Deployment → ReplicaSets → pods), recent events and the clock.
//!
//! Everything is read from the store's lists (plus the scheduler's node cache for requested
//! resources) in one pass per kind, so a snapshot costs a few list calls per frame.

mod events;
mod services;
mod traffic;
mod workloads;


use api::Object;
use cluster::Cluster;
use cluster::apiserver::printers::{PrintOptions, print_pod};
use cluster::controller::kind_of;
use cluster::scheduler::types::{NodeInfo, pod_requests};
use k8s_openapi::api::core::v1 as corev1;

pub use events::{EventView, MAX_EVENTS};
pub use services::{EndpointView, ServiceView};
pub use traffic::TrafficView;
pub use workloads::{ReplicaSetView, WorkloadView};

/// A pod's status as the view groups it: each has its own colour, icon and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PodState {
    Pending,
    ContainerCreating,
    /// Running, but the Ready condition is false (probes failing or not yet passed).
    RunningNotReady,
    Ready,
    Terminating,
    CrashLoopBackOff,
    Completed,
    Error,
    ImagePullBackOff,
}

impl PodState {
    /// Groups the STATUS column of `kubectl get pods` (and the Ready condition) into a state.
    pub fn classify(status: &str, is_ready: bool) -> PodState {
        match status {
            "Terminating" => PodState::Terminating,
            "CrashLoopBackOff" | "Init:CrashLoopBackOff" => PodState::CrashLoopBackOff,
            "ImagePullBackOff"
            | "ErrImagePull"
            | "InvalidImageName"
            | "Init:ImagePullBackOff"
            | "Init:ErrImagePull" => PodState::ImagePullBackOff,
            "Completed" | "Succeeded" => PodState::Completed,
            "Running" if is_ready => PodState::Ready,
            "Running" => PodState::RunningNotReady,
            "Pending" | "SchedulingGated" => PodState::Pending,
            "ContainerCreating" | "PodInitializing" => PodState::ContainerCreating,
            s if s.starts_with("Init:") && s[5..].contains('/') => PodState::ContainerCreating,
            _ => PodState::Error,
        }
    }

    /// A stable identifier for styling and tests (`running-not-ready`, `crash-loop`…).
    pub fn slug(self) -> &'static str {
        match self {
            PodState::Pending => "pending",
            PodState::ContainerCreating => "creating",
            PodState::RunningNotReady => "running-not-ready",
            PodState::Ready => "ready",
            PodState::Terminating => "terminating",
            PodState::CrashLoopBackOff => "crash-loop",
            PodState::Completed => "completed",
            PodState::Error => "error",
            PodState::ImagePullBackOff => "image-pull",
        }
    }

    /// Every state, in the order the legend lists them.
    pub const ALL: [PodState; 9] = [
        PodState::Pending,
        PodState::ContainerCreating,
        PodState::RunningNotReady,
        PodState::Ready,
        PodState::Terminating,
        PodState::CrashLoopBackOff,
        PodState::Completed,
        PodState::Error,
        PodState::ImagePullBackOff,
    ];
}

/// The controller that owns an object (`ownerReferences` with `controller: true`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OwnerView {
    pub kind: String,
    pub name: String,
}

/// One pod as a chip in the cluster view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    /// The STATUS column of `kubectl get pods` (Running, ContainerCreating, CrashLoopBackOff…).
    pub status: String,
    /// The READY column, e.g. `1/1`.
    pub ready: String,
    /// Whether the pod's Ready condition is true.
    pub is_ready: bool,
    pub restarts: i32,
    pub node: Option<String>,
    pub state: PodState,
    /// Containers ready and containers in all (the readiness ring's fraction).
    pub containers_ready: u32,
    pub containers: u32,
    pub owner: Option<OwnerView>,
    /// The pod's effective requests (`PodRequests`): milli-CPU and bytes of memory.
    pub cpu_milli: i64,
    pub memory: i64,
    /// Why the scheduler could not place it: the `PodScheduled=False` condition's message.
    pub fit_error: Option<String>,
}

impl PodView {
    /// `namespace/name`, the key the view and the inspector use.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// One node as a card in the cluster view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub control_plane: bool,
    pub unschedulable: bool,
    /// `key=value:Effect` of each taint, as `kubectl describe node` lists them.
    pub taints: Vec<String>,
    pub cpu_allocatable_milli: i64,
    pub cpu_requested_milli: i64,
    pub memory_allocatable: i64,
    pub memory_requested: i64,
    /// Every pod bound to the node, kube-system's included (the view may leave those out).
    pub pod_count: usize,
    pub pods: Vec<PodView>,
}

impl NodeView {
    /// The ROLES column of `kubectl get nodes`.
    pub fn role(&self) -> &'static str {
        if self.control_plane {
            "control-plane"
        } else {
            "<none>"
        }
    }

    /// The STATUS column of `kubectl get nodes`.
    pub fn status(&self) -> &'static str {
        match (self.ready, self.unschedulable) {
            (true, false) => "Ready",
            (true, true) => "Ready,SchedulingDisabled",
            (false, false) => "NotReady",
            (false, true) => "NotReady,SchedulingDisabled",
        }
    }
}

/// Everything the cluster view needs, in a stable order (nodes and pods by name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterSnapshot {
    /// Simulated milliseconds since the cluster started.
    pub now_ms: u64,
    pub nodes: Vec<NodeView>,
    /// Pods not bound to any node yet.
    pub pending: Vec<PodView>,
    pub services: Vec<ServiceView>,
    pub workloads: Vec<WorkloadView>,
    /// The most recent events, oldest first (at most [`MAX_EVENTS`]).
    pub events: Vec<EventView>,
    /// Requests of the last few virtual seconds (client → Service → pod).
    pub traffic: Vec<TrafficView>,
    /// `minikube delete` removed the cluster: there is nothing to draw until `minikube start`.
    pub deleted: bool,
}

impl ClusterSnapshot {
    /// Reads the snapshot from the cluster's store. Objects of `kube-system` are left out
    /// unless `system` is set: learners look at their own workloads first.
    pub fn of(cluster: &Cluster, system: bool) -> ClusterSnapshot {
        let now = cluster.now();
        let shown = |ns: &str| system || ns != "kube-system";
        // The store lists nodes by name and the scheduler's cache is keyed by name: one walk
        // over both pairs them (5,000 searches by name were a quarter of a large redraw).
        let mut infos = cluster.scheduler().node_infos().nodes.iter().peekable();
        let mut nodes: Vec<NodeView> = cluster
            .list(kind_of::<corev1::Node>(), None)
            .iter()
            .filter_map(|o| match &**o {
                Object::Node(node) => {
                    let name = node.metadata.name.as_deref().unwrap_or("");
                    while infos.next_if(|(n, _)| n.as_str() < name).is_some() {}
                    let info = infos.next_if(|(n, _)| n.as_str() == name).map(|(_, i)| i);
                    Some(node_view(node, info))
                }
                _ => None,
            })
            .collect();
        machinery::sort::sort_by(&mut nodes, |a, b| a.name.cmp(&b.name));
        let counts = cluster.store().pod_counts_by_node();
        for node in &mut nodes {
            node.pod_count = counts.get(node.name.as_str()).copied().unwrap_or(0);
        }
        let mut pending = Vec::new();
        let mut pods = Vec::new();
        for object in shown_pods(cluster, system) {
            let Object::Pod(pod) = &*object else { continue };
            let bound = pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.as_deref())
                .and_then(|n| nodes.binary_search_by(|node| node.name.as_str().cmp(n)).ok());
            let view = pod_view(pod, now);
            match bound {
                Some(i) => nodes[i].pods.push(view.clone()),
                None => pending.push(view.clone()),
            }
            pods.push(view);
        }
        let by_key =
            |a: &PodView, b: &PodView| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name));
        for node in &mut nodes {
            machinery::sort::sort_by(&mut node.pods, by_key);
        }
        machinery::sort::sort_by(&mut pending, by_key);
        machinery::sort::sort_by(&mut pods, by_key);
        ClusterSnapshot {
            now_ms: now.0,
            services: services::services(cluster, &shown),
            workloads: workloads::workloads(cluster, &pods, &shown),
            events: events::recent(cluster, system),
            traffic: traffic::recent(cluster),
            nodes,
            pending,
            deleted: false,
        }
    }

    /// The clock as `HH:MM:SS` of simulated time.
    pub fn clock(&self) -> String {
        let s = self.now_ms / 1000;
        format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }

    /// Every pod shown, bound or pending.
    pub fn pods(&self) -> impl Iterator<Item = &PodView> {
        self.nodes
            .iter()
            .flat_map(|n| n.pods.iter())
            .chain(self.pending.iter())
    }

    /// The pod with this `namespace/name`, if it is shown.
    pub fn pod(&self, key: &str) -> Option<&PodView> {
        let (ns, name) = key.split_once('/')?;
        self.pods().find(|p| p.namespace == ns && p.name == name)
    }
}

fn condition_true(conditions: Option<&Vec<corev1::NodeCondition>>, type_: &str) -> bool {
    conditions
        .and_then(|c| c.iter().find(|c| c.type_ == type_))
        .is_some_and(|c| c.status == "True")
}

fn node_view(node: &corev1::Node, info: Option<&NodeInfo>) -> NodeView {
    let labels = node.metadata.labels.as_ref();
    // The scheduler's cache sums the requests of every pod bound to the node; a node it has
    // not seen yet (created this instant) reads its allocatable from the object.
    let fresh;
    let info = match info {
        Some(i) => i,
        None => {
            fresh = NodeInfo::new(node);
            &fresh
        }
    };
    let taints = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .map(|t| match t.value.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => format!("{}={}:{}", t.key, v, t.effect),
            None => format!("{}:{}", t.key, t.effect),
        })
        .collect();
    NodeView {
        name: node.metadata.name.clone().unwrap_or_default(),
        ready: condition_true(
            node.status.as_ref().and_then(|s| s.conditions.as_ref()),
            "Ready",
        ),
        control_plane: labels
            .is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane")),
        unschedulable: node
            .spec
            .as_ref()
            .and_then(|s| s.unschedulable)
            .unwrap_or(false),
        taints,
        cpu_allocatable_milli: info.allocatable.milli_cpu,
        cpu_requested_milli: info.requested.milli_cpu,
        memory_allocatable: info.allocatable.memory,
        memory_requested: info.requested.memory,
        pod_count: 0,
        pods: Vec::new(),
    }
}

/// The controller owner of an object, from its metadata.
pub(crate) fn controller_of(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> Option<OwnerView> {
    meta.owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
        .map(|r| OwnerView {
            kind: r.kind.clone(),
            name: r.name.clone(),
        })
}

fn pod_view(pod: &corev1::Pod, now: cluster::SimTime) -> PodView {
    // The chip shows exactly what `kubectl get pods` prints: NAME READY STATUS RESTARTS AGE.
    let row = print_pod(pod, &PrintOptions::default(), now);
    let cell = |i: usize| {
        row.cells
            .get(i)
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let status = pod.status.as_ref();
    let conditions = status.and_then(|s| s.conditions.as_ref());
    let condition = |t: &str| conditions.and_then(|c| c.iter().find(|c| c.type_ == t));
    let is_ready = condition("Ready").is_some_and(|c| c.status == "True");
    let fit_error = condition("PodScheduled")
        .filter(|c| c.status == "False")
        .and_then(|c| c.message.clone());
    let statuses = status.and_then(|s| s.container_statuses.as_ref());
    let restarts = statuses.map_or(0, |cs| cs.iter().map(|c| c.restart_count).sum());
    let containers_ready = statuses.map_or(0, |cs| cs.iter().filter(|c| c.ready).count()) as u32;
    let spec = pod.spec.clone().unwrap_or_default();
    let (requests, _) = pod_requests(&spec);
    let status_text = cell(2);
    PodView {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        state: PodState::classify(&status_text, is_ready),
        status: status_text,
        ready: cell(1),
        is_ready,
        restarts,
        node: spec.node_name.clone(),
        containers_ready,
        containers: spec.containers.len() as u32,
        owner: controller_of(&pod.metadata),
        cpu_milli: requests.milli_cpu,
        memory: requests.memory,
        fit_error,
    }
}

/// The pods the views show: every pod with `system`, else all but kube-system's.
pub(crate) fn shown_pods(cluster: &Cluster, system: bool) -> Vec<std::sync::Arc<Object>> {
    list_shown(cluster, kind_of::<corev1::Pod>(), system)
}

/// The objects of a namespaced kind the views show: all with `system`, else all but
/// kube-system's, listed namespace by namespace so that kube-system's are never read. On the
/// 5,000-node preset those are 5,000 kube-proxy pods and their 20,000 events, which the store
/// keeps compact: decoding them on every redraw was most of the page's work.
pub(crate) fn list_shown(cluster: &Cluster, info: &'static api::KindInfo, system: bool) -> Vec<std::sync::Arc<Object>> {
    if system {
        return cluster.list(info, None);
    }
    cluster
        .list(kind_of::<corev1::Namespace>(), None)
        .iter()
        .filter(|ns| ns.name() != "kube-system")
        .flat_map(|ns| cluster.list(info, Some(ns.name())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::PodState;
    use crate::Session;

    #[test]
    fn a_deployment_shows_as_ready_pods_on_the_node() {
        let mut session = Session::with_seed(7);
        session.run_command("kubectl create deployment nginx --image=nginx --replicas=3");
        let before = session.snapshot();
        assert_eq!(before.nodes.len(), 1);
        // The clock is cluster time: the preset's boot took a few seconds before the lab began.
        let booted = session.handed_over_ms();
        assert!((1_000..30_000).contains(&booted), "{booted}");
        assert_eq!(before.clock(), format!("00:00:{:02}", booted / 1000));
        session.advance(30_000);
        let after = session.snapshot();
        assert_eq!(after.clock(), format!("00:00:{:02}", (booted + 30_000) / 1000));
        let node = &after.nodes[0];
        assert_eq!(
            (node.name.as_str(), node.ready, node.control_plane),
            ("minikube", true, true)
        );
        let pods: Vec<_> = node
            .pods
            .iter()
            .map(|p| (p.status.as_str(), p.ready.as_str(), p.is_ready))
            .collect();
        assert_eq!(pods, vec![("Running", "1/1", true); 3]);
        assert!(
            node.pods
                .iter()
                .all(|p| p.name.starts_with("nginx-") && p.state == PodState::Ready)
        );
        assert!(
            node.pods
                .iter()
                .all(|p| (p.containers_ready, p.containers) == (1, 1))
        );
        assert!(
            node.pods
                .iter()
                .all(|p| p.owner.as_ref().is_some_and(|o| o.kind == "ReplicaSet"))
        );
        assert!(after.pending.is_empty());
        // minikube's own pods count on the node even though the view leaves them out.
        let bound = session.with_cluster(|c| c.store().pods_on_node("minikube").len());
        assert!(bound > 3);
        assert_eq!(node.pod_count, bound);
        assert!(node.cpu_allocatable_milli > 0 && node.cpu_requested_milli > 0);
    }

    #[test]
    fn the_events_drawer_shows_the_learners_namespaces_only() {
        let mut session = Session::with_seed(7);
        session.run_command("kubectl create namespace shop");
        session.run_command("kubectl run web --image=nginx");
        session.run_command("kubectl run cart --image=nginx -n shop");
        session.advance(20_000);
        let events = session.snapshot().events;
        let system = session.with_cluster(|c| {
            c.list(cluster::controller::kind_of::<k8s_openapi::api::core::v1::Event>(), Some("kube-system")).len()
        });
        assert!(system > 0, "the preset's system pods record events");
        assert!(events.iter().all(|e| e.namespace != "kube-system"));
        let objects: std::collections::BTreeSet<_> = events.iter().map(|e| (e.namespace.as_str(), e.object.as_str())).collect();
        assert_eq!(objects, [("default", "pod/web"), ("shop", "pod/cart")].into());
        // Oldest first, as `kubectl events` lists them.
        assert!(events.windows(2).all(|w| w[0].last_ms <= w[1].last_ms));
    }

    #[test]
    fn an_unschedulable_pod_waits_in_the_pending_lane() {
        let mut session = Session::with_seed(7);
        session.run_command("kubectl cordon minikube");
        session.run_command("kubectl run late --image=nginx");
        session.advance(5_000);
        let snap = session.snapshot();
        assert!(snap.nodes[0].unschedulable);
        assert_eq!(snap.nodes[0].status(), "Ready,SchedulingDisabled");
        let pending: Vec<_> = snap
            .pending
            .iter()
            .map(|p| (p.name.as_str(), p.status.as_str()))
            .collect();
        assert_eq!(pending, vec![("late", "Pending")]);
        assert_eq!(
            snap.pending[0].fit_error.as_deref(),
            Some(
                "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.."
            )
        );
    }

    #[test]
    fn taints_are_listed_as_describe_prints_them() {
        let mut session = Session::with_seed(7);
        session.run_command("kubectl taint nodes minikube gpu=true:NoSchedule");
        session.run_command("kubectl taint nodes minikube maintenance:NoExecute");
        let taints = &session.snapshot().nodes[0].taints;
        assert!(
            taints.contains(&"gpu=true:NoSchedule".to_string()),
            "{taints:?}"
        );
        assert!(
            taints.contains(&"maintenance:NoExecute".to_string()),
            "{taints:?}"
        );
    }

    #[test]
    fn a_request_through_a_service_shows_as_recent_traffic() {
        let mut session = Session::with_seed(7);
        session.run_command("kubectl create deployment web --image=nginx --replicas=2");
        session.run_command("kubectl expose deployment web --port=80");
        session.advance(40_000);
        session.run_command("kubectl exec deploy/web -- curl -s http://web");
        let snap = session.snapshot();
        let trip = snap
            .traffic
            .last()
            .expect("the request is in the traffic log");
        assert_eq!(trip.service.as_deref(), Some("default/web"));
        assert!(
            trip.pod
                .as_deref()
                .is_some_and(|p| p.starts_with("default/web-")),
            "{trip:?}"
        );
        assert!(trip.client.starts_with("default/web-"), "{trip:?}");
        session.advance(10_000);
        assert!(
            session.snapshot().traffic.is_empty(),
            "old requests are no longer drawn"
        );
    }

    #[test]
    fn a_large_preset_gives_one_node_view_per_node_with_its_daemon_pods_counted() {
        let mut cluster = cluster::presets::large(3, 200);
        cluster.advance(cluster::SimDuration::from_secs(5));
        let snap = super::ClusterSnapshot::of(&cluster, false);
        assert_eq!(snap.nodes.iter().filter(|n| !n.control_plane).count(), 200);
        // kube-system's pods are left out of the chips but still counted on their node.
        assert!(snap.nodes.iter().all(|n| n.pods.is_empty()));
        assert!(
            snap.nodes.iter().filter(|n| n.pod_count > 0).count() >= 200,
            "kube-proxy runs on every node"
        );
    }

    #[test]
    fn statuses_group_into_the_legend_states() {
        let cases = [
            ("Pending", false, PodState::Pending),
            ("ContainerCreating", false, PodState::ContainerCreating),
            ("Init:0/1", false, PodState::ContainerCreating),
            ("PodInitializing", false, PodState::ContainerCreating),
            ("Running", false, PodState::RunningNotReady),
            ("Running", true, PodState::Ready),
            ("Terminating", true, PodState::Terminating),
            ("CrashLoopBackOff", false, PodState::CrashLoopBackOff),
            ("Init:CrashLoopBackOff", false, PodState::CrashLoopBackOff),
            ("Completed", false, PodState::Completed),
            ("Error", false, PodState::Error),
            ("OOMKilled", false, PodState::Error),
            ("Init:Error", false, PodState::Error),
            ("ImagePullBackOff", false, PodState::ImagePullBackOff),
            ("ErrImagePull", false, PodState::ImagePullBackOff),
        ];
        for (status, ready, want) in cases {
            assert_eq!(
                PodState::classify(status, ready),
                want,
                "{status} ready={ready}"
            );
        }
    }
}
