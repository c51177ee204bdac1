//! The node lifecycle controller: keeps the NoSchedule taints that follow a node's conditions
//! and cordon, and notices nodes whose kubelet stopped renewing its Lease, marks them
//! `Unknown` and taints them `node.kubernetes.io/unreachable`; the taint eviction controller
//! (`tainteviction`) then evicts their pods once the pods' tolerations run out.
//!
//! Mirrors pkg/controller/nodelifecycle/node_lifecycle_controller.go (`monitorNodeHealth`,
//! `tryUpdateNodeHealth`, `MarkPodsNotReady`, `doNoScheduleTaintingPass`,
//! `doNoExecuteTaintingPass`, v1.34): the node is checked every `nodeMonitorPeriod` (5 s);
//! after `nodeMonitorGracePeriod` (50 s since v1.32) without a renewal its conditions become
//! `Unknown` (`NodeStatusUnknown`, `Kubelet stopped posting node status.`), and it gets the
//! unreachable `NoExecute` taint and `NoSchedule` taint. Pods tolerate the NoExecute one for
//! 300 s through the DefaultTolerationSeconds admission plugin.
//!
//! The NoSchedule pass runs on every change of the node, Lease or not: each condition in
//! `nodeConditionToTaintKeyStatusMap` ([`CONDITION_TAINTS`]: Ready False or Unknown, a
//! pressure condition or NetworkUnavailable True) and `spec.unschedulable` (cordon, whichever
//! way it was set) keep their taint on the node, and lose it when they clear. A node created
//! through the API comes with the not-ready taint (`apiserver::admission::nodetaint`), which
//! this pass lifts once the node reports Ready. Every taint the controller adds carries
//! `timeAdded` (controller/util/node `SwapNodeControllerTaint`).
//!
//! A node whose kubelet reports `Ready=False` itself (a node that just joined, see
//! `kubelet::node_status`) gets the `node.kubernetes.io/not-ready` NoExecute taint as well;
//! once it reports Ready both are lifted (`markNodeAsReachable`).
//!
//! A node no kubelet renews a Lease for (one created through the API) is judged from its
//! creation: with no Ready condition it turns `Unknown` after `nodeStartupGracePeriod` (60 s),
//! its conditions added as `NodeStatusNeverUpdated` (`Kubelet never posted node status.`).
//!
//! Deliberate gaps: no zone-based rate limiting of evictions; the NoExecute taints are set
//! when the node is synced rather than through the rate-limited tainting queue; no
//! `RegisteredNode` event.

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
/// `nodeStartupGracePeriod`: how long a node may go without ever posting a Ready condition.
pub const NODE_STARTUP_GRACE_PERIOD: SimDuration = SimDuration::from_secs(60);
/// The taint key of a node whose kubelet went silent.
pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";
/// The taint key of a node whose kubelet reports it NotReady.
pub const NOT_READY_TAINT: &str = "node.kubernetes.io/not-ready";
/// The taint key of a cordoned node (`spec.unschedulable`).
pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

/// `nodeConditionToTaintKeyStatusMap`: a condition type and status, and the NoSchedule taint
/// key they call for.
pub const CONDITION_TAINTS: [(&str, &str, &str); 6] = [
    ("Ready", "False", NOT_READY_TAINT),
    ("Ready", "Unknown", UNREACHABLE_TAINT),
    ("MemoryPressure", "True", "node.kubernetes.io/memory-pressure"),
    ("DiskPressure", "True", "node.kubernetes.io/disk-pressure"),
    ("NetworkUnavailable", "True", "node.kubernetes.io/network-unavailable"),
    ("PIDPressure", "True", "node.kubernetes.io/pid-pressure"),
];

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
    let ready_condition = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"));
    // The last sign of life: the Lease's renewal or, for a node no kubelet ever registered (one
    // created through the API), its creation, with `nodeStartupGracePeriod` while it has no
    // Ready condition at all (`tryUpdateNodeHealth`).
    let (heard, grace) = match renewed {
        Some(t) => (t, NODE_MONITOR_GRACE_PERIOD),
        None => (
            node.metadata
                .creation_timestamp
                .as_ref()
                .and_then(SimTime::from_time)
                .unwrap_or(now),
            if ready_condition.is_some() {
                NODE_MONITOR_GRACE_PERIOD
            } else {
                NODE_STARTUP_GRACE_PERIOD
            },
        ),
    };
    let deadline = heard + grace;
    let ready = ready_condition.map(|c| c.status.as_str());
    let node_obj = Object::Node(node.clone());
    let name = node.metadata.name.as_deref().unwrap_or("");
    let mut status = None;
    // A kubelet that renews again after its node was marked Unknown writes its own conditions
    // back (`kubelet::node_status`); the controller only reads them.
    let observed = if now < deadline {
        ready
    } else {
        if ready != Some("Unknown") {
            let mut n = node.clone();
            set_unknown(&mut n, now);
            status = Some(n);
        }
        // Only a node seen Ready turns NotReady, with its pods (`MarkPodsNotReady`).
        if ready == Some("True") {
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
        Some("Unknown")
    };
    // The NoSchedule pass sees the conditions as just written, as upstream's does on the
    // update that write causes.
    let seen = status.clone().unwrap_or_else(|| node.clone());
    let taints = no_execute_taints(no_schedule_taints(&seen, now), observed, now);
    let retaint = taints != current_taints(node);
    if let Some(n) = &status {
        plan.push(Write::UpdateStatus(Object::Node(n.clone())));
    }
    if retaint {
        plan.push(Write::Update(Object::Node(with_taints(seen, taints))));
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

/// `doNoScheduleTaintingPass`: the node's taints with the NoSchedule taints its conditions
/// ([`CONDITION_TAINTS`]) and `spec.unschedulable` call for. Such a taint the node no longer
/// calls for goes; a missing one is appended with `timeAdded` = `now`; every other taint,
/// and one already there with its `timeAdded`, stays as it is.
pub fn no_schedule_taints(node: &corev1::Node, now: SimTime) -> Vec<corev1::Taint> {
    let mut wanted: Vec<&str> = Vec::new();
    let conditions = node.status.as_ref().and_then(|s| s.conditions.as_ref());
    for c in conditions.into_iter().flatten() {
        let key = CONDITION_TAINTS
            .iter()
            .find(|(type_, status, _)| c.type_ == *type_ && c.status == *status)
            .map(|(_, _, key)| *key);
        if let Some(key) = key.filter(|k| !wanted.contains(k)) {
            wanted.push(key);
        }
    }
    if node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
        wanted.push(UNSCHEDULABLE_TAINT);
    }
    let ours = |t: &corev1::Taint| {
        t.effect == "NoSchedule"
            && (t.key == UNSCHEDULABLE_TAINT || CONDITION_TAINTS.iter().any(|(_, _, k)| t.key == *k))
    };
    let mut taints: Vec<corev1::Taint> = current_taints(node)
        .into_iter()
        .filter(|t| !ours(t) || wanted.contains(&t.key.as_str()))
        .collect();
    for key in wanted {
        if !taints.iter().any(|t| t.key == key && t.effect == "NoSchedule") {
            taints.push(controller_taint(key, "NoSchedule", now));
        }
    }
    taints
}

/// The NoExecute half of the Ready taints (`doNoExecuteTaintingPass`,
/// `processTaintBaseEviction`, `markNodeAsReachable`): not-ready for Ready=False, unreachable
/// for Unknown, swapped when the condition changes and both removed when the node is Ready.
/// A taint already there keeps its `timeAdded`; a node with no Ready condition yet
/// (`ready` = None) gets neither.
fn no_execute_taints(
    mut taints: Vec<corev1::Taint>,
    ready: Option<&str>,
    now: SimTime,
) -> Vec<corev1::Taint> {
    let want = match ready {
        Some("False") => Some(NOT_READY_TAINT),
        Some("Unknown") => Some(UNREACHABLE_TAINT),
        _ => None,
    };
    taints.retain(|t| {
        !(t.effect == "NoExecute" && (t.key == NOT_READY_TAINT || t.key == UNREACHABLE_TAINT))
            || Some(t.key.as_str()) == want
    });
    if let Some(key) = want
        && !taints.iter().any(|t| t.key == key && t.effect == "NoExecute")
    {
        taints.push(controller_taint(key, "NoExecute", now));
    }
    taints
}

/// A taint as `SwapNodeControllerTaint` adds it: stamped with `timeAdded`.
fn controller_taint(key: &str, effect: &str, now: SimTime) -> corev1::Taint {
    corev1::Taint {
        key: key.into(),
        effect: effect.into(),
        time_added: Some(now.to_time()),
        value: None,
    }
}

fn current_taints(node: &corev1::Node) -> Vec<corev1::Taint> {
    node.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default()
}

fn with_taints(mut node: corev1::Node, taints: Vec<corev1::Taint>) -> corev1::Node {
    node.spec.get_or_insert_with(Default::default).taints = (!taints.is_empty()).then_some(taints);
    node
}

fn next_tick(deadline: SimTime, now: SimTime) -> SimTime {
    let p = NODE_MONITOR_PERIOD.as_millis();
    let t = deadline.as_millis().div_ceil(p) * p;
    SimTime(t.max(now.as_millis() + 1))
}

/// Turns the kubelet's conditions of `n` `Unknown` at `now`, as `tryUpdateNodeHealth` does when
/// it went silent; a condition it never posted is added as `NodeStatusNeverUpdated`.
/// NetworkUnavailable is left alone, as upstream leaves it.
fn set_unknown(n: &mut corev1::Node, now: SimTime) {
    let created = n.metadata.creation_timestamp.clone();
    let cs = n
        .status
        .get_or_insert_with(Default::default)
        .conditions
        .get_or_insert_with(Vec::new);
    for c in cs.iter_mut() {
        if !KUBELET_CONDITIONS.contains(&c.type_.as_str()) {
            continue;
        }
        c.status = "Unknown".into();
        c.reason = Some("NodeStatusUnknown".into());
        c.message = Some("Kubelet stopped posting node status.".into());
        c.last_transition_time = Some(now.to_time());
    }
    for type_ in KUBELET_CONDITIONS {
        if !cs.iter().any(|c| c.type_ == type_) {
            cs.push(corev1::NodeCondition {
                type_: type_.into(),
                status: "Unknown".into(),
                reason: Some("NodeStatusNeverUpdated".into()),
                message: Some("Kubelet never posted node status.".into()),
                last_heartbeat_time: created.clone(),
                last_transition_time: Some(now.to_time()),
            });
        }
    }
}

/// The conditions `tryUpdateNodeHealth` turns Unknown, in its order.
const KUBELET_CONDITIONS: [&str; 4] = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

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
        let renewed = c.lease_renewed("minikube-m03");
        c.stop_node("minikube-m03");

        c.run_until(
            |c| ready_status(&node(c, "minikube-m03")) == "Unknown",
            SimDuration::from_secs(120),
        )
        .expect("node Unknown");
        // The grace period runs from the Lease's last renewal (up to 10 s before the stop);
        // the next 5 s check (NODE_MONITOR_PERIOD) notices it.
        let unknown_after = c.now() - renewed;
        assert!(
            unknown_after >= NODE_MONITOR_GRACE_PERIOD
                && unknown_after <= SimDuration::from_secs(55),
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

    struct Case {
        name: &'static str,
        conditions: &'static [(&'static str, &'static str)],
        unschedulable: bool,
        /// `(key, effect, timeAdded in seconds)` before the pass.
        taints: &'static [(&'static str, &'static str, Option<u64>)],
        want: &'static [(&'static str, &'static str, Option<u64>)],
    }

    fn check(case: &Case, now: SimTime) -> Vec<(String, String, Option<u64>)> {
        let n = corev1::Node {
            spec: Some(corev1::NodeSpec {
                unschedulable: case.unschedulable.then_some(true),
                taints: Some(
                    case.taints
                        .iter()
                        .map(|(k, e, t)| corev1::Taint {
                            key: k.to_string(),
                            effect: e.to_string(),
                            time_added: t.map(|s| SimTime(s * 1000).to_time()),
                            value: None,
                        })
                        .collect(),
                ),
                ..Default::default()
            }),
            status: Some(corev1::NodeStatus {
                conditions: Some(
                    case.conditions
                        .iter()
                        .map(|(t, s)| corev1::NodeCondition {
                            type_: t.to_string(),
                            status: s.to_string(),
                            ..Default::default()
                        })
                        .collect(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        };
        no_schedule_taints(&n, now)
            .into_iter()
            .map(|t| {
                let added = t
                    .time_added
                    .and_then(|a| SimTime::from_time(&a))
                    .map(|a| a.as_millis() / 1000);
                (t.key, t.effect, added)
            })
            .collect()
    }

    // doNoScheduleTaintingPass over nodeConditionToTaintKeyStatusMap and spec.unschedulable
    // (node_lifecycle_controller.go, v1.34); the pass runs at t=100 s.
    #[test]
    fn no_schedule_taints_follow_conditions_and_cordon() {
        const HEALTHY: &[(&str, &str)] = &[
            ("MemoryPressure", "False"),
            ("DiskPressure", "False"),
            ("PIDPressure", "False"),
            ("Ready", "True"),
        ];
        let cases = [
            Case {
                name: "healthy node, no taints",
                conditions: HEALTHY,
                unschedulable: false,
                taints: &[],
                want: &[],
            },
            Case {
                name: "cordoned node gets the unschedulable taint with timeAdded",
                conditions: HEALTHY,
                unschedulable: true,
                taints: &[("dedicated", "NoSchedule", None)],
                want: &[
                    ("dedicated", "NoSchedule", None),
                    (UNSCHEDULABLE_TAINT, "NoSchedule", Some(100)),
                ],
            },
            Case {
                name: "cordoned node keeps the taint it has",
                conditions: HEALTHY,
                unschedulable: true,
                taints: &[(UNSCHEDULABLE_TAINT, "NoSchedule", Some(7))],
                want: &[(UNSCHEDULABLE_TAINT, "NoSchedule", Some(7))],
            },
            Case {
                name: "uncordoned node loses the unschedulable taint only",
                conditions: HEALTHY,
                unschedulable: false,
                taints: &[
                    (UNSCHEDULABLE_TAINT, "NoSchedule", Some(7)),
                    ("dedicated", "NoSchedule", None),
                    (UNSCHEDULABLE_TAINT, "NoExecute", None),
                ],
                want: &[("dedicated", "NoSchedule", None), (UNSCHEDULABLE_TAINT, "NoExecute", None)],
            },
            Case {
                name: "Ready node loses the not-ready taint admission added",
                conditions: HEALTHY,
                unschedulable: false,
                taints: &[(NOT_READY_TAINT, "NoSchedule", None)],
                want: &[],
            },
            Case {
                name: "node without conditions loses the not-ready taint too",
                conditions: &[],
                unschedulable: false,
                taints: &[(NOT_READY_TAINT, "NoSchedule", None)],
                want: &[],
            },
            Case {
                name: "pressure conditions each add their taint, in condition order",
                conditions: &[
                    ("MemoryPressure", "True"),
                    ("DiskPressure", "True"),
                    ("PIDPressure", "True"),
                    ("NetworkUnavailable", "True"),
                    ("Ready", "True"),
                ],
                unschedulable: false,
                taints: &[],
                want: &[
                    ("node.kubernetes.io/memory-pressure", "NoSchedule", Some(100)),
                    ("node.kubernetes.io/disk-pressure", "NoSchedule", Some(100)),
                    ("node.kubernetes.io/pid-pressure", "NoSchedule", Some(100)),
                    ("node.kubernetes.io/network-unavailable", "NoSchedule", Some(100)),
                ],
            },
            Case {
                name: "Ready Unknown swaps not-ready for unreachable, NoExecute left alone",
                conditions: &[("Ready", "Unknown"), ("MemoryPressure", "Unknown")],
                unschedulable: false,
                taints: &[(NOT_READY_TAINT, "NoSchedule", None), (NOT_READY_TAINT, "NoExecute", Some(3))],
                want: &[
                    (NOT_READY_TAINT, "NoExecute", Some(3)),
                    (UNREACHABLE_TAINT, "NoSchedule", Some(100)),
                ],
            },
            Case {
                name: "pressure cleared: its taint goes",
                conditions: &[("DiskPressure", "False"), ("Ready", "False")],
                unschedulable: true,
                taints: &[("node.kubernetes.io/disk-pressure", "NoSchedule", Some(5))],
                want: &[
                    (NOT_READY_TAINT, "NoSchedule", Some(100)),
                    (UNSCHEDULABLE_TAINT, "NoSchedule", Some(100)),
                ],
            },
        ];
        for case in &cases {
            let want: Vec<(String, String, Option<u64>)> = case
                .want
                .iter()
                .map(|(k, e, t)| (k.to_string(), e.to_string(), *t))
                .collect();
            assert_eq!(check(case, SimTime(100_000)), want, "{}", case.name);
        }
    }

    fn taints_with_time(n: &corev1::Node) -> Vec<(String, String, bool)> {
        n.spec
            .as_ref()
            .and_then(|s| s.taints.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key, t.effect, t.time_added.is_some()))
            .collect()
    }

    // Cordon through any path that sets spec.unschedulable: the controller adds the taint on
    // the node's update and lifts it on uncordon; a status patch of MemoryPressure=True does
    // the same for memory-pressure.
    #[test]
    fn cordon_and_pressure_conditions_taint_the_node_until_they_clear() {
        let mut c = crate::presets::minikube(5);
        assert_eq!(taints(&node(&c, "minikube")), Vec::<(String, String)>::new());
        c.cordon("minikube", true).expect("cordon");
        c.advance(SimDuration::from_secs(1));
        assert_eq!(
            taints_with_time(&node(&c, "minikube")),
            [(UNSCHEDULABLE_TAINT.into(), "NoSchedule".into(), true)]
        );
        c.cordon("minikube", false).expect("uncordon");
        c.advance(SimDuration::from_secs(1));
        assert_eq!(taints(&node(&c, "minikube")), Vec::<(String, String)>::new());

        // Just after a kubelet status sync, so the kubelet's next one, which writes its own
        // condition back (`kubelet::node_status`), is 10 s away.
        let synced = c.kubelets().nodes["minikube"].node_status.status_due.expect("sync due");
        c.advance(SimDuration::from_millis(synced.as_millis() + 1 - c.now().as_millis()));
        let mut n = node(&c, "minikube");
        for cond in n.status.as_mut().and_then(|s| s.conditions.as_mut()).expect("conditions") {
            if cond.type_ == "MemoryPressure" {
                cond.status = "True".into();
            }
        }
        c.store_mut()
            .update_status(None, Object::Node(n), &Default::default())
            .expect("status");
        c.advance(SimDuration::from_secs(1));
        assert_eq!(
            taints(&node(&c, "minikube")),
            [("node.kubernetes.io/memory-pressure".into(), "NoSchedule".into())]
        );
        // A pod that does not tolerate it stays Pending.
        apply(
            &mut c,
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: c, image: nginx}]\n",
        );
        c.advance(SimDuration::from_secs(5));
        assert!(on(&c, "minikube").iter().all(|p| p != "p"));
        // The kubelet's next sync puts MemoryPressure back to False, which lifts the taint.
        c.advance(SimDuration::from_secs(5));
        assert_eq!(taints(&node(&c, "minikube")), Vec::<(String, String)>::new());
        assert!(on(&c, "minikube").iter().any(|p| p == "p"));
    }

    // A Node created through the API gets the not-ready taint from admission. With a Ready
    // condition of False it keeps it (and gets the NoExecute one); with no conditions at all
    // the NoSchedule pass lifts it at once, and after nodeStartupGracePeriod the node turns
    // Unknown and unreachable.
    #[test]
    fn created_nodes_are_tainted_by_their_conditions() {
        let mut c = crate::presets::minikube(6);
        apply(
            &mut c,
            "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus:\n  conditions: [{type: Ready, status: 'False'}]\n",
        );
        apply(&mut c, "apiVersion: v1\nkind: Node\nmetadata: {name: n2}\n");
        c.advance(SimDuration::from_secs(1));
        assert_eq!(
            taints_with_time(&node(&c, "n1")),
            [
                (NOT_READY_TAINT.into(), "NoSchedule".into(), false),
                (NOT_READY_TAINT.into(), "NoExecute".into(), true),
            ]
        );
        assert_eq!(taints(&node(&c, "n2")), Vec::<(String, String)>::new());
        c.advance(SimDuration::from_secs(55));
        assert_eq!(ready_status(&node(&c, "n2")), "");
        c.advance(SimDuration::from_secs(10));
        let n2 = node(&c, "n2");
        let conditions: Vec<(String, String, String)> = n2
            .status
            .as_ref()
            .and_then(|s| s.conditions.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.type_, c.status, c.reason.unwrap_or_default()))
            .collect();
        let never = |t: &str| (t.to_string(), "Unknown".to_string(), "NodeStatusNeverUpdated".to_string());
        assert_eq!(
            conditions,
            [never("Ready"), never("MemoryPressure"), never("DiskPressure"), never("PIDPressure")]
        );
        assert_eq!(
            taints(&n2),
            [
                (UNREACHABLE_TAINT.into(), "NoSchedule".into()),
                (UNREACHABLE_TAINT.into(), "NoExecute".into()),
            ]
        );
    }
}
