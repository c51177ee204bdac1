//! The disruption controller: the status of PodDisruptionBudgets.
//!
//! Mirrors pkg/controller/disruption/disruption.go (v1.34) `trySync`: the pods a budget
//! selects, the expected count (the pods themselves for an integer `minAvailable`, else the
//! scale of their controllers — Deployment through its ReplicaSet, ReplicaSet, StatefulSet,
//! ReplicationController), `desiredHealthy` from `minAvailable` or `maxUnavailable`
//! (percentages round up), `currentHealthy` (Ready pods not being deleted), and
//! `disruptionsAllowed` with the `DisruptionAllowed` condition (`SufficientPods` /
//! `InsufficientPods`).
//!
//! Deliberate gap: `disruptedPods` (evictions in flight) stays empty, as the eviction API is
//! not served.

use std::collections::BTreeMap;
use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::policy::v1 as policyv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::kind_of;
use super::plan::{Plan, SyncError, Write};
use super::podutil;
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::{Store, WatchEvent};
use crate::time::SimTime;

/// The runner's handle on the disruption controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct DisruptionController;

impl Reconciler for DisruptionController {
    fn name(&self) -> &'static str {
        "controllermanager"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<policyv1::PodDisruptionBudget>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::Pod>()]
    }

    /// Budgets in the pod's namespace whose selector matches it.
    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        let Object::Pod(pod) = &*event.object else {
            return Vec::new();
        };
        let labels = super::labels_of(&pod.metadata);
        // Every pod change asks: a lister read, not a list request.
        store
            .in_namespace(self.primary(), pod.metadata.namespace.as_deref())
            .iter()
            .filter(|o| match &***o {
                Object::PodDisruptionBudget(b) => selects(b, labels),
                _ => false,
            })
            .map(|o| ObjectKey::of(o))
            .collect()
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(Plan::none());
        };
        let Object::PodDisruptionBudget(pdb) = &*obj else {
            return Ok(Plan::none());
        };
        let pods = super::runner::namespace_pods(store, key.namespace.as_deref())?;
        Ok(sync_budget(
            pdb,
            &pods,
            |kind, name| store.get(kind, key.namespace.as_deref(), name).ok(),
            now,
        ))
    }
}

fn selects(pdb: &policyv1::PodDisruptionBudget, labels: &BTreeMap<String, String>) -> bool {
    let Some(sel) = pdb.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
        return false;
    };
    // v1: an empty selector matches every pod of the namespace.
    api::selectors::label_selector_to_selector(sel).is_ok_and(|s| s.matches(labels))
}

/// The scale of a pod's controller, following a ReplicaSet up to its Deployment
/// (getPodReplicaSet / getPodDeployment / getPodStatefulSet / getPodReplicationController).
fn controller_scale(
    pod: &corev1::Pod,
    get: &dyn Fn(&'static KindInfo, &str) -> Option<Arc<Object>>,
) -> Option<(String, i32)> {
    let owner = pod
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))?;
    match owner.kind.as_str() {
        "ReplicaSet" => {
            let rs = get(kind_of::<appsv1::ReplicaSet>(), &owner.name)?;
            let Object::ReplicaSet(rs) = &*rs else { return None };
            if let Some(d) = rs
                .metadata
                .owner_references
                .iter()
                .flatten()
                .find(|r| r.controller == Some(true) && r.kind == "Deployment")
                && let Some(dep) = get(kind_of::<appsv1::Deployment>(), &d.name)
                && let Object::Deployment(dep) = &*dep
            {
                return Some((
                    dep.metadata.uid.clone().unwrap_or_default(),
                    dep.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
                ));
            }
            Some((
                rs.metadata.uid.clone().unwrap_or_default(),
                rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
            ))
        }
        "StatefulSet" => {
            let o = get(kind_of::<appsv1::StatefulSet>(), &owner.name)?;
            let Object::StatefulSet(s) = &*o else { return None };
            Some((
                s.metadata.uid.clone().unwrap_or_default(),
                s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
            ))
        }
        "ReplicationController" => {
            let o = get(kind_of::<corev1::ReplicationController>(), &owner.name)?;
            let Object::ReplicationController(s) = &*o else {
                return None;
            };
            Some((
                s.metadata.uid.clone().unwrap_or_default(),
                s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
            ))
        }
        _ => None,
    }
}

/// GetScaledValueFromIntOrPercent with rounding up.
fn scaled(v: &IntOrString, total: i32) -> i32 {
    match v {
        IntOrString::Int(n) => *n,
        IntOrString::String(s) => {
            let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            ((pct * i64::from(total) + 99) / 100) as i32
        }
    }
}

/// Mirrors trySync for one budget.
pub fn sync_budget(
    pdb: &policyv1::PodDisruptionBudget,
    namespace_pods: &[Arc<Object>],
    get: impl Fn(&'static KindInfo, &str) -> Option<Arc<Object>>,
    now: SimTime,
) -> Plan {
    let mut plan = Plan::none();
    if pdb.metadata.deletion_timestamp.is_some() {
        return plan;
    }
    let spec = pdb.spec.clone().unwrap_or_default();
    let pods: Vec<&corev1::Pod> = namespace_pods
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) if selects(pdb, super::labels_of(&p.metadata)) => {
                Some(p)
            }
            _ => None,
        })
        .collect();
    // getExpectedPodCount.
    let controllers_total = || {
        let mut seen: BTreeMap<String, i32> = BTreeMap::new();
        for p in &pods {
            if let Some((uid, n)) = controller_scale(p, &get) {
                seen.insert(uid, n);
            }
        }
        seen.values().sum::<i32>()
    };
    let (expected, desired) = match (&spec.min_available, &spec.max_unavailable) {
        (Some(IntOrString::Int(n)), _) => (pods.len() as i32, *n),
        (Some(pct), _) => {
            let expected = controllers_total();
            (expected, scaled(pct, expected))
        }
        (None, Some(max)) => {
            let expected = controllers_total();
            (expected, (expected - scaled(max, expected)).max(0))
        }
        (None, None) => (pods.len() as i32, 0),
    };
    let healthy = pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none() && podutil::is_pod_ready(p))
        .count() as i32;
    let allowed = (healthy - desired).max(0);
    let old = pdb.status.clone().unwrap_or_default();
    let (cond_status, reason) = if allowed > 0 {
        ("True", "SufficientPods")
    } else {
        ("False", "InsufficientPods")
    };
    let mut conditions = old.conditions.clone().unwrap_or_default();
    let existing = conditions.iter().position(|c| c.type_ == "DisruptionAllowed");
    let changed = existing.is_none_or(|i| conditions[i].status != cond_status);
    let cond = metav1::Condition {
        type_: "DisruptionAllowed".into(),
        status: cond_status.into(),
        reason: reason.into(),
        message: String::new(),
        observed_generation: pdb.metadata.generation,
        last_transition_time: if changed {
            now.to_time()
        } else {
            conditions[existing.unwrap_or(0)].last_transition_time.clone()
        },
    };
    match existing {
        Some(i) => conditions[i] = cond,
        None => conditions.push(cond),
    }
    let status = policyv1::PodDisruptionBudgetStatus {
        current_healthy: healthy,
        desired_healthy: desired,
        disruptions_allowed: allowed,
        expected_pods: expected,
        observed_generation: pdb.metadata.generation,
        disrupted_pods: old.disrupted_pods.clone(),
        conditions: Some(conditions),
    };
    if status != old {
        let mut b = pdb.clone();
        b.status = Some(status);
        plan.push(Write::UpdateStatus(Object::PodDisruptionBudget(b)));
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::testutil::{apply, patch_replicas};
    use crate::time::SimDuration;

    fn status(c: &crate::sim::Cluster) -> policyv1::PodDisruptionBudgetStatus {
        let o = c
            .store()
            .get(kind_of::<policyv1::PodDisruptionBudget>(), Some("default"), "web")
            .expect("pdb");
        match &*o {
            Object::PodDisruptionBudget(b) => b.status.clone().unwrap_or_default(),
            _ => unreachable!(),
        }
    }

    fn summary(c: &crate::sim::Cluster) -> (i32, i32, i32, i32, String) {
        let s = status(c);
        let reason = s
            .conditions
            .unwrap_or_default()
            .first()
            .map(|c| c.reason.clone())
            .unwrap_or_default();
        (
            s.current_healthy,
            s.desired_healthy,
            s.disruptions_allowed,
            s.expected_pods,
            reason,
        )
    }

    const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: nginx, image: 'nginx:1.27.3'}]\n";

    #[test]
    fn budget_status_follows_healthy_pods() {
        let mut c = crate::presets::minikube(31);
        apply(&mut c, WEB);
        apply(
            &mut c,
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: default}\nspec:\n  minAvailable: 2\n  selector: {matchLabels: {app: web}}\n",
        );
        c.advance(SimDuration::from_secs(60));
        assert_eq!(summary(&c), (3, 2, 1, 3, "SufficientPods".into()));
        patch_replicas(&mut c, kind_of::<appsv1::Deployment>(), "web", 2);
        c.advance(SimDuration::from_secs(60));
        assert_eq!(summary(&c), (2, 2, 0, 2, "InsufficientPods".into()));
    }

    #[test]
    fn max_unavailable_percent_uses_the_deployment_scale() {
        let mut c = crate::presets::minikube(32);
        apply(&mut c, WEB);
        apply(
            &mut c,
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: default}\nspec:\n  maxUnavailable: 50%\n  selector: {matchLabels: {app: web}}\n",
        );
        c.advance(SimDuration::from_secs(60));
        // ceil(50 % of 3) = 2 may be unavailable: 1 must stay healthy.
        assert_eq!(summary(&c), (3, 1, 2, 3, "SufficientPods".into()));
    }
}
