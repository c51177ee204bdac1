//! The Ready condition a joining node's kubelet posts: NotReady until the container
//! runtime's network is up, then Ready.
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

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::{EventSource, Store, UpdateOptions};
use crate::controller::kind_of;
use crate::controller::plan::EventRecord;
use crate::controller::runner::record;
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

/// Posts `Ready=True` for `node` and records the kubelet's `NodeReady` event
/// (nodestatus.ReadyCondition's `recordEventFunc`).
pub fn post_ready(store: &mut Store, node: &str, now: SimTime) {
    let Ok(obj) = store.get(kind_of::<corev1::Node>(), None, node) else {
        return;
    };
    let Object::Node(n) = &*obj else { return };
    let mut n = n.clone();
    let Some(c) = ready_condition(&mut n) else {
        return;
    };
    if c.status == "True" {
        return;
    }
    c.status = "True".into();
    c.reason = Some("KubeletReady".into());
    c.message = Some("kubelet is posting ready status".into());
    c.last_heartbeat_time = Some(now.to_time());
    c.last_transition_time = Some(now.to_time());
    let event = EventRecord::normal(
        &Object::Node(n.clone()),
        "NodeReady",
        format!("Node {node} status is now: NodeReady"),
    );
    if store
        .update_status(None, Object::Node(n), &UpdateOptions::default())
        .is_ok()
    {
        let source = EventSource {
            component: "kubelet".into(),
            host: node.into(),
        };
        record(store, &event, &source, now);
    }
}

fn ready_condition(node: &mut corev1::Node) -> Option<&mut corev1::NodeCondition> {
    node.status
        .as_mut()?
        .conditions
        .as_mut()?
        .iter_mut()
        .find(|c| c.type_ == "Ready")
}
