//! The taint eviction controller: deletes the pods bound to a node with `NoExecute` taints,
//! at once when the pod does not tolerate one of them, or when the shortest
//! `tolerationSeconds` of the tolerations it uses runs out; a pod whose tolerations have no
//! `tolerationSeconds` stays.
//!
//! Mirrors pkg/controller/tainteviction/taint_eviction.go (v1.34, the
//! `taint-eviction-controller` that runs apart from the node lifecycle controller):
//! - the countdown starts when the controller sees the taint (the `CreatedAt` of its
//!   `TimedWorkerQueue` item), not at the taint's `timeAdded`: `kubectl taint` and the API
//!   server leave that unset (kubernetes/kubectl#1279);
//! - `processPodOnNode`: a pod that already has an eviction scheduled keeps it as it is; the
//!   eviction is cancelled, with a `Cancelling deletion of Pod NS/NAME` event, when the node
//!   loses its NoExecute taints, the pod tolerates them forever, the pod is gone, or a taint
//!   it does not tolerate evicts it at once;
//! - `deletePodHandler`: the `Marking for deletion Pod NS/NAME` event, the `DisruptionTarget`
//!   condition, then the delete. A fired item stays until the pod is gone (or the taints
//!   are), so a terminating pod is marked once;
//! - its events name the pod by apiVersion, kind, namespace and name only (no uid), so
//!   `kubectl describe pod` does not list them; `kubectl get events` does.
//!
//! The runner re-syncs a node on every change of its pods (upstream only on toleration or
//! node changes); the sync is idempotent, so the outcome is the same.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;

use super::plan::{EventRecord, Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use super::{kind_of, podutil};
use crate::apiserver::{EventType, Store, WatchEvent};
use crate::time::{SimDuration, SimTime};

/// The reason of every event this controller records.
pub const EVENT_REASON: &str = "TaintManagerEviction";

/// A pod's place in the eviction queue, keyed by node, namespace and name so that one
/// node's sync reads a range.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PodOnNode {
    pub node: String,
    pub namespace: String,
    pub name: String,
}

/// The queue item of one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eviction {
    /// The pod the item was made for (a new pod of the same name is another pod).
    pub uid: Option<String>,
    pub state: EvictionState,
}

/// Scheduled, or already carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvictionState {
    Scheduled { fire_at: SimTime },
    Fired,
}

/// The controller's queue of evictions.
pub type Evictions = BTreeMap<PodOnNode, Eviction>;

/// The runner's handle on the taint eviction controller.
#[derive(Debug, Default)]
pub struct TaintEvictionController {
    evictions: RefCell<Evictions>,
}

impl Reconciler for TaintEvictionController {
    fn name(&self) -> &'static str {
        "taint-eviction-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Node>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::Pod>()]
    }

    /// A pod's changes are synced with the node it is bound to.
    fn keys_for(&self, event: &WatchEvent, _store: &Store) -> Vec<ObjectKey> {
        match &*event.object {
            Object::Pod(p) => podutil::node_name(p)
                .map(|n| ObjectKey::new(None, n))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let node = store.get(self.primary(), None, &key.name).ok();
        let taints = match node.as_deref() {
            Some(Object::Node(n)) => Some(no_execute_taints(n)),
            _ => None,
        };
        let mut evictions = self.evictions.borrow_mut();
        let queued = evictions.range(node_range(&key.name)).next().is_some();
        if !queued && taints.as_ref().is_none_or(Vec::is_empty) {
            // Nothing scheduled and nothing to schedule: skip the pod list.
            return Ok(Plan::none());
        }
        let pods = store.pods_on_node(&key.name);
        Ok(sync_node_evictions(
            &key.name,
            taints.as_deref(),
            &pods,
            &mut evictions,
            now,
        ))
    }
}

/// Decides the evictions of the pods bound to `node` at `now`. `taints` are the node's
/// NoExecute taints, None when the node is gone (then scheduled evictions still fire, as
/// upstream's timers do, but nothing new is scheduled).
pub fn sync_node_evictions(
    node: &str,
    taints: Option<&[corev1::Taint]>,
    pods: &[Arc<Object>],
    evictions: &mut Evictions,
    now: SimTime,
) -> Plan {
    let mut plan = Plan::none();
    let live: BTreeMap<(&str, &str), &corev1::Pod> = pods
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) => Some((
                (
                    p.metadata.namespace.as_deref().unwrap_or(""),
                    p.metadata.name.as_deref().unwrap_or(""),
                ),
                p,
            )),
            _ => None,
        })
        .collect();
    // handlePodUpdate's NotFound: the items of pods that are gone are cancelled.
    let gone: Vec<PodOnNode> = evictions
        .range(node_range(node))
        .filter(|(k, e)| {
            live.get(&(k.namespace.as_str(), k.name.as_str()))
                .is_none_or(|p| p.metadata.uid != e.uid)
        })
        .map(|(k, _)| k.clone())
        .collect();
    for key in gone {
        cancel(&mut plan, evictions, &key);
    }
    if let Some(taints) = taints {
        for (&(namespace, name), pod) in &live {
            let key = PodOnNode {
                node: node.to_string(),
                namespace: namespace.to_string(),
                name: name.to_string(),
            };
            process_pod(&mut plan, evictions, key, pod, taints, now);
        }
    }
    // The timers that ran out: mark and delete (deletePodHandler).
    let due: Vec<PodOnNode> = evictions
        .range(node_range(node))
        .filter(|(_, e)| matches!(e.state, EvictionState::Scheduled { fire_at } if fire_at <= now))
        .map(|(k, _)| k.clone())
        .collect();
    for key in due {
        let Some(pod) = live.get(&(key.namespace.as_str(), key.name.as_str())) else {
            continue;
        };
        evict(&mut plan, &key, pod, now);
        if let Some(e) = evictions.get_mut(&key) {
            e.state = EvictionState::Fired;
        }
    }
    let next = evictions
        .range(node_range(node))
        .filter_map(|(_, e)| match e.state {
            EvictionState::Scheduled { fire_at } => Some(fire_at),
            EvictionState::Fired => None,
        })
        .min();
    if let Some(at) = next {
        plan.requeue_after(at - now);
    }
    plan
}

/// Mirrors `processPodOnNode` for a pod of a node with NoExecute `taints`.
fn process_pod(
    plan: &mut Plan,
    evictions: &mut Evictions,
    key: PodOnNode,
    pod: &corev1::Pod,
    taints: &[corev1::Taint],
    now: SimTime,
) {
    if taints.is_empty() {
        cancel(plan, evictions, &key);
        return;
    }
    let tolerations = pod
        .spec
        .as_ref()
        .and_then(|s| s.tolerations.as_deref())
        .unwrap_or_default();
    let used = used_tolerations(taints, tolerations);
    // Not every taint is tolerated: evict now, replacing a scheduled eviction.
    let immediate = used.is_none();
    let delay = match used.as_deref().map(min_toleration_seconds) {
        None => SimDuration::ZERO,
        Some(None) => {
            cancel(plan, evictions, &key);
            return;
        }
        Some(Some(secs)) => SimDuration::from_secs(secs),
    };
    match evictions.get(&key).map(|e| e.state) {
        // A scheduled eviction is kept as it is (processPodOnNode returns for an item created
        // before now; upstream's clock never repeats an instant, so "before" is every item).
        Some(EvictionState::Scheduled { .. }) if !immediate => return,
        // A fired item blocks new work until the pod or the taints are gone. (Upstream
        // fires again when a new untolerated taint arrives while the pod terminates.)
        Some(EvictionState::Fired) => return,
        Some(EvictionState::Scheduled { .. }) => cancel(plan, evictions, &key),
        None => {}
    }
    evictions.insert(
        key,
        Eviction {
            uid: pod.metadata.uid.clone(),
            state: EvictionState::Scheduled {
                fire_at: now + delay,
            },
        },
    );
}

/// Mirrors `GetMatchingTolerations`: for each taint the first toleration that tolerates it;
/// None when a taint is not tolerated.
fn used_tolerations<'a>(
    taints: &[corev1::Taint],
    tolerations: &'a [corev1::Toleration],
) -> Option<Vec<&'a corev1::Toleration>> {
    taints
        .iter()
        .map(|taint| {
            let taint = machinery::scheduling::Taint {
                key: taint.key.clone(),
                value: taint.value.clone().unwrap_or_default(),
                effect: taint.effect.clone(),
            };
            tolerations.iter().find(|t| {
                machinery::scheduling::Toleration {
                    key: t.key.clone().unwrap_or_default(),
                    operator: t.operator.clone().unwrap_or_default(),
                    value: t.value.clone().unwrap_or_default(),
                    effect: t.effect.clone().unwrap_or_default(),
                    toleration_seconds: t.toleration_seconds,
                }
                .tolerates(&taint)
            })
        })
        .collect()
}

/// Mirrors `getMinTolerationTime`: the least `tolerationSeconds` (0 for none used or one
/// that is not positive), None for tolerations that never run out.
fn min_toleration_seconds(used: &[&corev1::Toleration]) -> Option<u64> {
    if used.is_empty() {
        return Some(0);
    }
    let secs: Vec<i64> = used.iter().filter_map(|t| t.toleration_seconds).collect();
    if secs.iter().any(|s| *s <= 0) {
        return Some(0);
    }
    secs.into_iter().min().map(|s| s.unsigned_abs())
}

/// `cancelWorkWithEvent`: drops the pod's item; a scheduled one is announced as cancelled.
fn cancel(plan: &mut Plan, evictions: &mut Evictions, key: &PodOnNode) {
    if let Some(e) = evictions.remove(key)
        && matches!(e.state, EvictionState::Scheduled { .. })
    {
        plan.event(pod_event(
            key,
            format!("Cancelling deletion of Pod {}/{}", key.namespace, key.name),
        ));
    }
}

/// `deletePodHandler` and `addConditionAndDeletePod`: the event, the condition, the delete.
fn evict(plan: &mut Plan, key: &PodOnNode, pod: &corev1::Pod, now: SimTime) {
    plan.event(pod_event(
        key,
        format!("Marking for deletion Pod {}/{}", key.namespace, key.name),
    ));
    if let Some(marked) = podutil::with_disruption_target(
        pod,
        "DeletionByTaintManager",
        "Taint manager: deleting due to NoExecute taint",
        now,
    ) {
        plan.push(Write::UpdateStatus(Object::Pod(marked)));
    }
    plan.push(Write::Delete {
        kind: kind_of::<corev1::Pod>(),
        namespace: Some(key.namespace.clone()),
        name: key.name.clone(),
        uid: pod.metadata.uid.clone(),
        grace_period_seconds: None,
    });
}

/// The events' reference: `v1` `Pod` with namespace and name, as emitPodDeletionEvent builds it.
fn pod_event(key: &PodOnNode, message: String) -> EventRecord {
    EventRecord {
        involved: corev1::ObjectReference {
            api_version: Some("v1".into()),
            kind: Some("Pod".into()),
            namespace: Some(key.namespace.clone()),
            name: Some(key.name.clone()),
            ..Default::default()
        },
        event_type: EventType::Normal,
        reason: EVENT_REASON.into(),
        message,
    }
}

/// `getNoExecuteTaints`.
pub fn no_execute_taints(node: &corev1::Node) -> Vec<corev1::Taint> {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .filter(|t| t.effect == "NoExecute")
        .cloned()
        .collect()
}

/// The keys of one node's pods.
fn node_range(node: &str) -> std::ops::RangeInclusive<PodOnNode> {
    let at = |namespace: &str, name: &str| PodOnNode {
        node: node.to_string(),
        namespace: namespace.to_string(),
        name: name.to_string(),
    };
    // Namespaces and names are DNS labels/subdomains: '\u{10FFFF}' sorts after all of them.
    at("", "")..=at("\u{10FFFF}", "")
}

#[cfg(test)]
mod tests {
    use api::Object;
    use k8s_openapi::api::core::v1 as corev1;

    use super::*;
    use crate::apiserver::UpdateOptions;
    use crate::controller::testutil::{AGENT_DAEMONSET, apply, events, live_pods};
    use crate::sim::Cluster;

    fn toleration(key: &str, seconds: Option<i64>) -> corev1::Toleration {
        corev1::Toleration {
            key: Some(key.into()),
            operator: Some("Exists".into()),
            effect: Some("NoExecute".into()),
            toleration_seconds: seconds,
            value: None,
        }
    }

    fn taint(key: &str) -> corev1::Taint {
        corev1::Taint {
            key: key.into(),
            effect: "NoExecute".into(),
            ..Default::default()
        }
    }

    // GetMatchingTolerations + getMinTolerationTime (pkg/apis/core/v1/helper, taint_eviction.go).
    #[test]
    fn taint_toleration_time_is_the_least_of_the_first_matches() {
        struct Case {
            name: &'static str,
            taints: Vec<corev1::Taint>,
            tolerations: Vec<corev1::Toleration>,
            want: Option<Option<u64>>,
        }
        let cases = [
            Case {
                name: "untolerated",
                taints: vec![taint("a")],
                tolerations: vec![toleration("b", Some(60))],
                want: None,
            },
            Case {
                name: "one of two untolerated",
                taints: vec![taint("a"), taint("b")],
                tolerations: vec![toleration("a", None)],
                want: None,
            },
            Case {
                name: "forever",
                taints: vec![taint("a")],
                tolerations: vec![toleration("a", None)],
                want: Some(None),
            },
            Case {
                name: "least of two taints",
                taints: vec![taint("a"), taint("b")],
                tolerations: vec![toleration("a", Some(600)), toleration("b", Some(60))],
                want: Some(Some(60)),
            },
            Case {
                name: "forever and timed: the timed one counts",
                taints: vec![taint("a"), taint("b")],
                tolerations: vec![toleration("a", None), toleration("b", Some(60))],
                want: Some(Some(60)),
            },
            Case {
                name: "only the first matching toleration is used",
                taints: vec![taint("a")],
                tolerations: vec![toleration("a", None), toleration("a", Some(60))],
                want: Some(None),
            },
            Case {
                name: "empty key with Exists tolerates everything",
                taints: vec![taint("a"), taint("b")],
                tolerations: vec![toleration("", Some(30))],
                want: Some(Some(30)),
            },
            Case {
                name: "negative seconds evict at once",
                taints: vec![taint("a")],
                tolerations: vec![toleration("a", Some(-5))],
                want: Some(Some(0)),
            },
        ];
        for c in &cases {
            let got = used_tolerations(&c.taints, &c.tolerations)
                .map(|used| min_toleration_seconds(&used));
            assert_eq!(got, c.want, "case {}", c.name);
        }
    }

    const DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx}]
"#;

    fn pod_on(node: &str, name: &str, tolerations: &str) -> String {
        format!(
            r#"
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: default}}
spec:
  nodeName: {node}
  tolerations: {tolerations}
  containers: [{{name: c, image: nginx}}]
"#
        )
    }

    fn on(c: &Cluster, node: &str) -> Vec<String> {
        live_pods(c)
            .into_iter()
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
            .filter_map(|p| p.metadata.name)
            .collect()
    }

    /// `kubectl taint nodes NODE KEY=VALUE:NoExecute` (`-` removes it): the taints replaced
    /// through an update, without `timeAdded`, as kubectl sends them.
    fn set_taint(c: &mut Cluster, node: &str, key: &str, add: bool) {
        let obj = c
            .store()
            .get(kind_of::<corev1::Node>(), None, node)
            .expect("node");
        let Object::Node(mut n) = (*obj).clone() else {
            unreachable!()
        };
        let taints = n
            .spec
            .get_or_insert_with(Default::default)
            .taints
            .get_or_insert_with(Vec::new);
        taints.retain(|t| t.key != key);
        if add {
            taints.push(corev1::Taint {
                key: key.into(),
                value: Some("x".into()),
                effect: "NoExecute".into(),
                time_added: None,
            });
        }
        c.store_mut()
            .update(None, Object::Node(n), &UpdateOptions::default())
            .expect("update node");
        c.settle();
    }

    fn pod(c: &Cluster, name: &str) -> Option<corev1::Pod> {
        match c
            .store()
            .get(kind_of::<corev1::Pod>(), Some("default"), name)
            .ok()?
            .as_ref()
        {
            Object::Pod(p) => Some(p.clone()),
            _ => None,
        }
    }

    fn eviction_events(c: &Cluster, name: &str) -> Vec<String> {
        events(c, "Pod", name)
            .into_iter()
            .filter(|(reason, _)| reason == EVENT_REASON)
            .map(|(_, message)| message)
            .collect()
    }

    #[test]
    fn taint_no_execute_evicts_pods_that_do_not_tolerate_it_at_once() {
        let mut c = crate::presets::multinode(7);
        apply(&mut c, DEPLOYMENT);
        c.advance(SimDuration::from_secs(30));
        let victims = on(&c, "minikube-m03");
        assert!(!victims.is_empty());
        set_taint(&mut c, "minikube-m03", "dedicated", true);
        c.advance(SimDuration::ZERO);
        assert!(
            on(&c, "minikube-m03").is_empty(),
            "{:?}",
            on(&c, "minikube-m03")
        );
        let marked = pod(&c, &victims[0]).expect("terminating");
        let cond = podutil::get_pod_condition(&marked, "DisruptionTarget").expect("condition");
        assert_eq!(
            (cond.reason.as_deref(), cond.message.as_deref()),
            (
                Some("DeletionByTaintManager"),
                Some("Taint manager: deleting due to NoExecute taint")
            )
        );
        assert_eq!(
            eviction_events(&c, &victims[0]),
            [format!("Marking for deletion Pod default/{}", victims[0])]
        );
        // The Deployment's replacements avoid the tainted node.
        c.advance(SimDuration::from_secs(40));
        assert!(on(&c, "minikube-m03").is_empty());
        assert_eq!(
            live_pods(&c)
                .iter()
                .filter(|p| p
                    .metadata
                    .name
                    .as_deref()
                    .is_some_and(|n| n.starts_with("web-")))
                .count(),
            6
        );
    }

    #[test]
    fn taint_tolerated_for_a_while_evicts_when_the_toleration_seconds_run_out() {
        let mut c = crate::presets::multinode(7);
        apply(
            &mut c,
            &pod_on(
                "minikube-m02",
                "patient",
                "[{key: dedicated, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]",
            ),
        );
        apply(
            &mut c,
            &pod_on(
                "minikube-m02",
                "forever",
                "[{key: dedicated, operator: Equal, value: x, effect: NoExecute}]",
            ),
        );
        c.advance(SimDuration::from_secs(10));
        let tainted = c.now();
        set_taint(&mut c, "minikube-m02", "dedicated", true);
        c.advance(SimDuration::from_secs(59));
        assert_eq!(on(&c, "minikube-m02"), ["forever", "patient"]);
        c.run_until(
            |c| !on(c, "minikube-m02").contains(&"patient".to_string()),
            SimDuration::from_secs(10),
        )
        .expect("evicted");
        assert_eq!(c.now() - tainted, SimDuration::from_secs(60));
        assert_eq!(
            eviction_events(&c, "patient"),
            ["Marking for deletion Pod default/patient"]
        );
        // A toleration without tolerationSeconds keeps the pod.
        c.advance(SimDuration::from_secs(3600));
        assert_eq!(on(&c, "minikube-m02"), ["forever"]);
        assert!(eviction_events(&c, "forever").is_empty());
    }

    #[test]
    fn untaint_before_the_deadline_cancels_the_eviction() {
        let mut c = crate::presets::multinode(7);
        apply(
            &mut c,
            &pod_on(
                "minikube-m02",
                "patient",
                "[{key: dedicated, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]",
            ),
        );
        c.advance(SimDuration::from_secs(10));
        set_taint(&mut c, "minikube-m02", "dedicated", true);
        c.advance(SimDuration::from_secs(30));
        set_taint(&mut c, "minikube-m02", "dedicated", false);
        c.advance(SimDuration::from_secs(600));
        assert_eq!(on(&c, "minikube-m02"), ["patient"]);
        assert_eq!(
            eviction_events(&c, "patient"),
            ["Cancelling deletion of Pod default/patient"]
        );
        // Tainting again starts a new countdown.
        set_taint(&mut c, "minikube-m02", "dedicated", true);
        c.advance(SimDuration::from_secs(59));
        assert_eq!(on(&c, "minikube-m02"), ["patient"]);
        c.advance(SimDuration::from_secs(1));
        assert!(on(&c, "minikube-m02").is_empty());
    }

    #[test]
    fn taint_eviction_follows_changed_tolerations() {
        let mut c = crate::presets::multinode(7);
        apply(
            &mut c,
            &pod_on(
                "minikube-m02",
                "stays",
                "[{key: dedicated, operator: Exists, effect: NoExecute}]",
            ),
        );
        apply(
            &mut c,
            &pod_on(
                "minikube-m02",
                "reprieved",
                "[{key: dedicated, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]",
            ),
        );
        c.advance(SimDuration::from_secs(10));
        set_taint(&mut c, "minikube-m02", "dedicated", true);
        c.advance(SimDuration::from_secs(20));
        // tolerationSeconds set on a toleration that had none: evicted that long after.
        // tolerationSeconds dropped: tolerated forever, the scheduled eviction is cancelled.
        for (name, seconds) in [("stays", Some(30)), ("reprieved", None)] {
            let mut p = pod(&c, name).expect("pod");
            // Only tolerationSeconds may change (validateOnlyAddedTolerations).
            let tolerations = p.spec.as_mut().and_then(|s| s.tolerations.as_mut());
            tolerations.expect("tolerations")[0].toleration_seconds = seconds;
            c.store_mut()
                .update(Some("default"), Object::Pod(p), &UpdateOptions::default())
                .expect("update pod");
        }
        c.settle();
        let changed = c.now();
        c.run_until(
            |c| !on(c, "minikube-m02").contains(&"stays".to_string()),
            SimDuration::from_secs(120),
        )
        .expect("evicted");
        assert_eq!(c.now() - changed, SimDuration::from_secs(30));
        c.advance(SimDuration::from_secs(600));
        assert_eq!(on(&c, "minikube-m02"), ["reprieved"]);
        assert_eq!(
            eviction_events(&c, "reprieved"),
            ["Cancelling deletion of Pod default/reprieved"]
        );
        assert_eq!(
            eviction_events(&c, "stays"),
            ["Marking for deletion Pod default/stays"]
        );
    }

    // DaemonSet pods tolerate not-ready and unreachable forever
    // (AddOrUpdateDaemonPodTolerations): they stay on a stopped node.
    #[test]
    fn unreachable_taint_spares_daemon_pods_and_evicts_the_rest_after_300s() {
        let mut c = crate::presets::multinode(7);
        apply(&mut c, AGENT_DAEMONSET);
        apply(&mut c, &pod_on("minikube-m02", "plain", "[]"));
        c.advance(SimDuration::from_secs(30));
        let before = on(&c, "minikube-m02");
        assert_eq!(before.len(), 2, "{before:?}");
        c.stop_node("minikube-m02");
        c.advance(SimDuration::from_secs(400));
        let after = on(&c, "minikube-m02");
        assert_eq!(after.len(), 1, "{after:?}");
        assert!(after[0].starts_with("agent-"), "{after:?}");
        assert_eq!(
            eviction_events(&c, "plain"),
            ["Marking for deletion Pod default/plain"]
        );
    }
}
