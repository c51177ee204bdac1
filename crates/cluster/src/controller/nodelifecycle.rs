//! The node lifecycle controller: notices nodes whose kubelet stopped renewing its Lease,
//! marks them `Unknown` and taints them `node.kubernetes.io/unreachable`; the taint eviction
//! controller (`tainteviction`) then evicts their pods once the pods' tolerations run out.
//!
//! Mirrors pkg/controller/nodelifecycle/node_lifecycle_controller.go (`monitorNodeHealth`,
//! `tryUpdateNodeHealth`, `MarkPodsNotReady`, `doNoExecuteTaintingPass`, v1.34): the node is
//! checked every `nodeMonitorPeriod` (5 s); after `nodeMonitorGracePeriod` (50 s since
//! v1.32) without a renewal its conditions become `Unknown` (`NodeStatusUnknown`,
//! `Kubelet stopped posting node status.`), and it gets the unreachable `NoExecute` taint
//! (with `timeAdded`, as `SwapNodeControllerTaint` sets it) and `NoSchedule` taint. Pods
//! tolerate the NoExecute one for 300 s through the DefaultTolerationSeconds admission plugin.
//!
//! A node whose kubelet reports `Ready=False` itself (a node that just joined, see
//! `kubelet::node_status`) gets the `node.kubernetes.io/not-ready` NoSchedule and NoExecute
//! taints instead; once it reports Ready they are lifted (`doNoScheduleTaintingPass`,
//! `markNodeAsReachable`).
//!
//! Deliberate gaps: no zone-based rate limiting of evictions; the NoExecute taints are set
//! when the node is synced rather than through the rate-limited tainting queue; the pressure
//! conditions' taints and cordon's `node.kubernetes.io/unschedulable` taint are not kept.

use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::coordination::v1 as coordinationv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::plan::{EventRecord, Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use super::{kind_of, podutil};
use crate::apiserver::{Store, WatchEvent};
use crate::time::{SimDuration, SimTime};

/// `nodeMonitorPeriod`.
pub const NODE_MONITOR_PERIOD: SimDuration = SimDuration::from_secs(5);
/// `nodeMonitorGracePeriod`.
pub const NODE_MONITOR_GRACE_PERIOD: SimDuration = SimDuration::from_secs(50);
/// The taint key of a node whose kubelet went silent.
pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";
/// The taint key of a node whose kubelet reports it NotReady.
pub const NOT_READY_TAINT: &str = "node.kubernetes.io/not-ready";

/// The runner's handle on the node lifecycle controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct NodeLifecycleController;

/// What `sync_node_lifecycle` reads: the node's Lease and its pods.
#[derive(Debug, Clone, Default)]
pub struct NodeView {
    pub lease: Option<Arc<Object>>,
    pub pods: Vec<Arc<Object>>,
}

impl Reconciler for NodeLifecycleController {
    fn name(&self) -> &'static str {
        "node-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Node>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<coordinationv1::Lease>()]
    }

    fn keys_for(&self, event: &WatchEvent, _store: &Store) -> Vec<ObjectKey> {
        if event.object.namespace() == Some("kube-node-lease") {
            vec![ObjectKey::new(None, event.object.name())]
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), None, &key.name) else {
            return Ok(Plan::none());
        };
        let Object::Node(node) = &*obj else {
            return Ok(Plan::none());
        };
        let view = NodeView {
            lease: store
                .get(
                    kind_of::<coordinationv1::Lease>(),
                    Some("kube-node-lease"),
                    &key.name,
                )
                .ok(),
            pods: store.pods_on_node(&key.name),
        };
        sync_node_lifecycle(node, &view, now)
    }
}

/// Decides the node's health, taints and evictions at `now`.
///
/// # Errors
/// Never; the signature matches the other controllers.
pub fn sync_node_lifecycle(
    node: &corev1::Node,
    view: &NodeView,
    now: SimTime,
) -> Result<Plan, SyncError> {
    let mut plan = Plan::none();
    let renewed = view.lease.as_deref().and_then(|l| match l {
        Object::Lease(l) => l
            .spec
            .as_ref()?
            .renew_time
            .as_ref()
            .and_then(|t| SimTime::from_time(&metav1::Time(t.0))),
        _ => None,
    });
    let Some(renewed) = renewed else {
        // No Lease yet: the kubelet has not registered; look again later.
        plan.requeue_after(NODE_MONITOR_PERIOD);
        return Ok(plan);
    };
    let deadline = renewed + NODE_MONITOR_GRACE_PERIOD;
    let ready = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .map_or("Unknown", |c| c.status.as_str());
    let node_obj = Object::Node(node.clone());
    let name = node.metadata.name.as_deref().unwrap_or("");
    let mut status = None;
    let observed = if now < deadline {
        if ready == "Unknown" {
            // Renewing again after we marked it Unknown: the kubelet posts its status again.
            let mut n = node.clone();
            set_conditions(&mut n, "True", now, true);
            status = Some(n);
            plan.event(EventRecord::normal(
                &node_obj,
                "NodeReady",
                format!("Node {name} status is now: NodeReady"),
            ));
            "True"
        } else {
            ready
        }
    } else {
        if ready != "Unknown" {
            let mut n = node.clone();
            set_conditions(&mut n, "Unknown", now, false);
            status = Some(n);
            plan.event(EventRecord::normal(
                &node_obj,
                "NodeNotReady",
                format!("Node {name} status is now: NodeNotReady"),
            ));
            for p in &view.pods {
                if let Object::Pod(pod) = &**p
                    && podutil::is_pod_ready(pod)
                {
                    let mut pod = pod.clone();
                    if let Some(cs) = pod.status.as_mut().and_then(|s| s.conditions.as_mut()) {
                        for c in cs.iter_mut().filter(|c| c.type_ == "Ready") {
                            c.status = "False".into();
                            c.last_transition_time = Some(now.to_time());
                        }
                    }
                    plan.push(Write::UpdateStatus(Object::Pod(pod)));
                }
            }
        }
        "Unknown"
    };
    let taints = condition_taints(node, observed, now);
    let retaint = taints != node.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default();
    if let Some(n) = &status {
        plan.push(Write::UpdateStatus(Object::Node(n.clone())));
    }
    if retaint {
        let mut n = status.unwrap_or_else(|| node.clone());
        n.spec.get_or_insert_with(Default::default).taints =
            (!taints.is_empty()).then_some(taints);
        plan.push(Write::Update(Object::Node(n)));
    }
    if now < deadline {
        // The first monitor tick after the grace period runs out.
        plan.requeue_after(next_tick(deadline, now) - now);
    } else {
        // The pods go when their tolerations of the NoExecute taint run out: that is the
        // taint eviction controller's job (tainteviction.rs).
        plan.requeue_after(NODE_MONITOR_PERIOD);
    }
    Ok(plan)
}

/// The node's taints with the ones its Ready condition calls for: `doNoScheduleTaintingPass`
/// maps Ready=False to `not-ready:NoSchedule` and Unknown to `unreachable:NoSchedule`;
/// `doNoExecuteTaintingPass` (`processTaintBaseEviction`, `markNodeAsReachable`) does the
/// same with NoExecute taints stamped with `timeAdded`, swapping one for the other when the
/// condition changes and removing both when the node is Ready. Other taints stay in place,
/// and a taint already there keeps its `timeAdded`.
fn condition_taints(node: &corev1::Node, ready: &str, now: SimTime) -> Vec<corev1::Taint> {
    let want = match ready {
        "False" => Some(NOT_READY_TAINT),
        "Unknown" => Some(UNREACHABLE_TAINT),
        _ => None,
    };
    let current = node.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default();
    let ours = |t: &corev1::Taint| {
        (t.key == NOT_READY_TAINT || t.key == UNREACHABLE_TAINT)
            && (t.effect == "NoSchedule" || t.effect == "NoExecute")
    };
    let mut taints: Vec<corev1::Taint> = current
        .iter()
        .filter(|t| !ours(t) || Some(t.key.as_str()) == want)
        .cloned()
        .collect();
    if let Some(key) = want {
        for effect in ["NoSchedule", "NoExecute"] {
            if !taints.iter().any(|t| t.key == key && t.effect == effect) {
                taints.push(corev1::Taint {
                    key: key.into(),
                    effect: effect.into(),
                    time_added: (effect == "NoExecute").then(|| now.to_time()),
                    value: None,
                });
            }
        }
    }
    taints
}

fn next_tick(deadline: SimTime, now: SimTime) -> SimTime {
    let p = NODE_MONITOR_PERIOD.as_millis();
    let t = deadline.as_millis().div_ceil(p) * p;
    SimTime(t.max(now.as_millis() + 1))
}

fn set_conditions(n: &mut corev1::Node, status: &str, now: SimTime, healthy: bool) {
    let Some(cs) = n.status.as_mut().and_then(|s| s.conditions.as_mut()) else {
        return;
    };
    for c in cs.iter_mut() {
        if healthy {
            let (st, reason, msg) = match c.type_.as_str() {
                "Ready" => ("True", "KubeletReady", "kubelet is posting ready status"),
                "MemoryPressure" => (
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                "DiskPressure" => (
                    "False",
                    "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure",
                ),
                "PIDPressure" => (
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                ),
                _ => continue,
            };
            c.status = st.into();
            c.reason = Some(reason.into());
            c.message = Some(msg.into());
            c.last_heartbeat_time = Some(now.to_time());
        } else {
            c.status = status.into();
            c.reason = Some("NodeStatusUnknown".into());
            c.message = Some("Kubelet stopped posting node status.".into());
        }
        c.last_transition_time = Some(now.to_time());
    }
}

#[cfg(test)]
mod tests {
    use api::Object;
    use k8s_openapi::api::core::v1 as corev1;

    use super::*;
    use crate::controller::kind_of;
    use crate::controller::testutil::{apply, live_pods};

    fn node(c: &crate::sim::Cluster, name: &str) -> corev1::Node {
        match &*c.store().get(kind_of::<corev1::Node>(), None, name).expect("node") {
            Object::Node(n) => n.clone(),
            _ => unreachable!(),
        }
    }

    fn ready_status(n: &corev1::Node) -> String {
        n.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
            .map(|c| c.status.clone())
            .unwrap_or_default()
    }

    fn on(c: &crate::sim::Cluster, node: &str) -> Vec<String> {
        live_pods(c)
            .into_iter()
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
            .filter_map(|p| p.metadata.name)
            .collect()
    }

    // The timeline after `minikube node stop`: Unknown after the 50 s grace period (checked
    // every 5 s), the unreachable taints, then the pods evicted 300 s after the NoExecute
    // taint and recreated elsewhere by their ReplicaSet.
    #[test]
    fn stopped_node_turns_unknown_then_its_pods_are_evicted() {
        let mut c = crate::presets::multinode(7);
        deploy_web(&mut c, 6);
        c.advance(SimDuration::from_secs(60));
        let victims = on(&c, "minikube-m03");
        assert!(!victims.is_empty());
        let stopped = c.now();
        c.stop_node("minikube-m03");

        c.run_until(
            |c| ready_status(&node(c, "minikube-m03")) == "Unknown",
            SimDuration::from_secs(120),
        )
        .expect("node Unknown");
        let unknown_after = c.now() - stopped;
        assert!(
            unknown_after >= NODE_MONITOR_GRACE_PERIOD
                && unknown_after <= SimDuration::from_secs(65),
            "{unknown_after:?}"
        );
        c.advance(NODE_MONITOR_PERIOD);
        let n = node(&c, "minikube-m03");
        let taints: Vec<(String, String)> = n
            .spec
            .and_then(|s| s.taints)
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key, t.effect))
            .collect();
        assert!(taints.contains(&(UNREACHABLE_TAINT.into(), "NoExecute".into())), "{taints:?}");
        assert!(taints.contains(&(UNREACHABLE_TAINT.into(), "NoSchedule".into())), "{taints:?}");

        // Still there before the tolerations run out…
        let tainted = c.now();
        c.advance(SimDuration::from_secs(280));
        assert_eq!(on(&c, "minikube-m03"), victims);
        // …gone after, and replaced on the other nodes.
        c.run_until(
            |c| on(c, "minikube-m03").is_empty(),
            SimDuration::from_secs(60),
        )
        .expect("evicted");
        let evicted_after = c.now() - tainted;
        // Each victim was marked before its delete (tainteviction `addConditionAndDeletePod`).
        let marked = c
            .store()
            .get(kind_of::<corev1::Pod>(), Some("default"), &victims[0])
            .expect("terminating on the stopped node");
        let Object::Pod(marked) = &*marked else { unreachable!() };
        let cond = crate::controller::podutil::get_pod_condition(marked, "DisruptionTarget")
            .expect("DisruptionTarget");
        assert_eq!(
            (cond.status.as_str(), cond.reason.as_deref(), cond.message.as_deref()),
            (
                "True",
                Some("DeletionByTaintManager"),
                Some("Taint manager: deleting due to NoExecute taint")
            )
        );
        assert!(
            evicted_after >= SimDuration::from_secs(290)
                && evicted_after <= SimDuration::from_secs(310),
            "{evicted_after:?}"
        );
        c.advance(SimDuration::from_secs(30));
        let running = live_pods(&c)
            .iter()
            .filter(|p| p.metadata.labels.as_ref().is_some_and(|l| l.get("app").map(String::as_str) == Some("web")))
            .count();
        assert_eq!(running, 6);
    }

    /// A Deployment `web` of nginx pods.
    fn deploy_web(c: &mut crate::sim::Cluster, replicas: i32) {
        apply(
            c,
            &format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: default}}\n\
                 spec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    \
                 metadata: {{labels: {{app: web}}}}\n    spec:\n      containers: [{{name: nginx, image: nginx}}]\n"
            ),
        );
    }

    fn taints(n: &corev1::Node) -> Vec<(String, String)> {
        n.spec
            .as_ref()
            .and_then(|s| s.taints.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key, t.effect))
            .collect()
    }

    // `minikube node add`: the node registers NotReady with the not-ready NoSchedule taint,
    // gets the NoExecute one at the next monitor pass, and loses both once its kubelet
    // posts Ready; no pod but the DaemonSet's lands there before.
    #[test]
    fn joined_node_is_not_ready_and_tainted_until_its_network_is_up() {
        let mut c = crate::presets::minikube(3);
        let joined = c.now();
        let name = c.add_minikube_worker();
        let n = node(&c, &name);
        assert_eq!(ready_status(&n), "False");
        assert_eq!(taints(&n), [(NOT_READY_TAINT.into(), "NoSchedule".into())]);
        deploy_web(&mut c, 4);
        c.advance(SimDuration::from_secs(6));
        let n = node(&c, &name);
        assert_eq!(ready_status(&n), "False");
        let t = taints(&n);
        assert!(t.contains(&(NOT_READY_TAINT.into(), "NoExecute".into())), "{t:?}");
        assert_eq!(on(&c, &name), Vec::<String>::new());
        c.run_until(
            |c| ready_status(&node(c, &name)) == "True",
            SimDuration::from_secs(30),
        )
        .expect("Ready");
        assert_eq!(
            c.now() - joined,
            crate::kubelet::node_status::NETWORK_READY_AFTER
        );
        c.advance(SimDuration::from_secs(1));
        assert_eq!(taints(&node(&c, &name)), Vec::<(String, String)>::new());
        // New pods may land there now.
        apply(
            &mut c,
            r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: default}
spec:
  replicas: 4
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: nginx, image: nginx}]
"#,
        );
        c.advance(SimDuration::from_secs(5));
        assert!(!on(&c, &name).is_empty());
    }
}
