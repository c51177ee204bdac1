//! What the page draws of the cluster, derived here so the view stays a pure function of it:
//! nodes with the pods bound to them, the pods still waiting for a node, and the clock.

use api::Object;
use cluster::Cluster;
use cluster::apiserver::printers::{PrintOptions, print_pod};
use k8s_openapi::api::core::v1 as corev1;

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
}

/// One node as a card in the cluster view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub control_plane: bool,
    pub unschedulable: bool,
    pub pods: Vec<PodView>,
}

/// Everything the cluster view needs, in a stable order (nodes and pods by name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterSnapshot {
    /// Simulated milliseconds since the cluster started.
    pub now_ms: u64,
    pub nodes: Vec<NodeView>,
    /// Pods not bound to any node yet.
    pub pending: Vec<PodView>,
}

impl ClusterSnapshot {
    /// Reads the snapshot from the cluster's store. Pods of `kube-system` are left out unless
    /// `system` is set: learners look at their own workloads first.
    pub fn of(cluster: &Cluster, system: bool) -> ClusterSnapshot {
        let now = cluster.now();
        let kind = |name| api::resolve_resource(name).expect("built-in kind is registered");
        let mut nodes: Vec<NodeView> = cluster
            .list(kind("nodes"), None)
            .iter()
            .filter_map(|o| match &**o {
                Object::Node(node) => Some(node_view(node)),
                _ => None,
            })
            .collect();
        let mut pending = Vec::new();
        for object in cluster.list(kind("pods"), None) {
            let Object::Pod(pod) = &*object else { continue };
            let view = pod_view(pod, now);
            if !system && view.namespace == "kube-system" {
                continue;
            }
            match nodes.iter_mut().find(|n| Some(&n.name) == view.node.as_ref()) {
                Some(node) => node.pods.push(view),
                None => pending.push(view),
            }
        }
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        for node in &mut nodes {
            node.pods.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        }
        pending.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        ClusterSnapshot { now_ms: now.0, nodes, pending }
    }

    /// The clock as `HH:MM:SS` of simulated time.
    pub fn clock(&self) -> String {
        let s = self.now_ms / 1000;
        format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

fn node_view(node: &corev1::Node) -> NodeView {
    let labels = node.metadata.labels.as_ref();
    let ready = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True");
    NodeView {
        name: node.metadata.name.clone().unwrap_or_default(),
        ready,
        control_plane: labels.is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane")),
        unschedulable: node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false),
        pods: Vec::new(),
    }
}

fn pod_view(pod: &corev1::Pod, now: cluster::SimTime) -> PodView {
    // The chip shows exactly what `kubectl get pods` prints: NAME READY STATUS RESTARTS AGE.
    let row = print_pod(pod, &PrintOptions::default(), now);
    let cell = |i: usize| row.cells.get(i).map(ToString::to_string).unwrap_or_default();
    let is_ready = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True");
    let restarts = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map_or(0, |cs| cs.iter().map(|c| c.restart_count).sum());
    PodView {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        status: cell(2),
        ready: cell(1),
        is_ready,
        restarts,
        node: pod.spec.as_ref().and_then(|s| s.node_name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use crate::Session;

    #[test]
    fn a_deployment_shows_as_ready_pods_on_the_node() {
        let mut session = Session::with_seed(7);
        session.run_command("kubectl create deployment nginx --image=nginx --replicas=3");
        let before = session.snapshot();
        assert_eq!(before.nodes.len(), 1);
        assert_eq!(before.clock(), "00:00:00");
        session.advance(30_000);
        let after = session.snapshot();
        assert_eq!(after.clock(), "00:00:30");
        let node = &after.nodes[0];
        assert_eq!((node.name.as_str(), node.ready, node.control_plane), ("minikube", true, true));
        let pods: Vec<_> = node.pods.iter().map(|p| (p.status.as_str(), p.ready.as_str(), p.is_ready)).collect();
        assert_eq!(pods, vec![("Running", "1/1", true); 3]);
        assert!(node.pods.iter().all(|p| p.name.starts_with("nginx-")));
        assert!(after.pending.is_empty());
    }

    #[test]
    fn an_unschedulable_pod_waits_in_the_pending_lane() {
        let mut session = Session::with_seed(7);
        session.run_command("kubectl cordon minikube");
        session.run_command("kubectl run late --image=nginx");
        session.advance(5_000);
        let snap = session.snapshot();
        assert!(snap.nodes[0].unschedulable);
        let pending: Vec<_> = snap.pending.iter().map(|p| (p.name.as_str(), p.status.as_str())).collect();
        assert_eq!(pending, vec![("late", "Pending")]);
    }
}
