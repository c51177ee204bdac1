//! The ReplicaSet controller: keeps `spec.replicas` active pods per ReplicaSet and reports
//! status.
//!
//! Mirrors pkg/controller/replicaset/replica_set.go (v1.34): `syncReplicaSet`, `manageReplicas`,
//! `getPodsToDelete`, and replica_set_utils.go `calculateStatus`. It is the reference
//! controller for the shared runner: `ReplicaSetController::reconcile` gathers a
//! [`ReplicaSetView`] from the store and calls the pure [`sync_replica_set`].
//!
//! Deliberate gaps: no slow-start batching (all missing pods are created in one plan), no
//! pod-deletion-cost annotation.

use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::labels::Selector;

use super::kind_of;
use super::plan::{CREATED_NAME, EventRecord, Plan, SyncError, Write};
use super::podutil;
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::Store;
use crate::time::SimTime;

/// The runner's handle on the ReplicaSet controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReplicaSetController;

/// What `sync_replica_set` reads: the pods in the ReplicaSet's namespace that it owns or
/// could adopt, in key order.
#[derive(Debug, Clone, Default)]
pub struct ReplicaSetView {
    pub pods: Vec<Arc<Object>>,
}

impl Reconciler for ReplicaSetController {
    fn name(&self) -> &'static str {
        "replicaset-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<appsv1::ReplicaSet>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::Pod>()]
    }

    fn keys_for(&self, event: &crate::apiserver::WatchEvent, store: &Store) -> Vec<ObjectKey> {
        if let Some(k) = super::runner::controller_owner_key(&event.object, self.primary()) {
            return vec![k];
        }
        // An orphan: every ReplicaSet whose selector matches may adopt it.
        super::runner::adopters_of_orphan(
            &event.object,
            self.primary(),
            store,
            |o, labels| matches!(o, Object::ReplicaSet(rs) if selector_of(rs).is_ok_and(|s| s.matches(labels))),
        )
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            // Deleted: the garbage collector removes its pods.
            return Ok(Plan::none());
        };
        let Object::ReplicaSet(rs) = &*obj else {
            return Ok(Plan::none());
        };
        let pods = claimable_pods(store, key.namespace.as_deref(), rs)?;
        sync_replica_set(rs, &ReplicaSetView { pods }, now)
    }
}

/// The pods ClaimPods can act on: those the ReplicaSet owns (from the store's owner index)
/// and those its selector matches (from the label index). Listing the whole namespace would
/// make every sync cost as much as all its pods, which at 150,000 pods is the whole cluster.
///
/// # Errors
/// A store failure is transient.
pub fn claimable_pods(
    store: &Store,
    namespace: Option<&str>,
    rs: &appsv1::ReplicaSet,
) -> Result<Vec<std::sync::Arc<Object>>, SyncError> {
    let selector = rs
        .spec
        .as_ref()
        .map(|s| api::selectors::label_selector_to_selector(&s.selector));
    let owner = rs.metadata.uid.as_deref().unwrap_or("");
    let pods = match selector {
        Some(Ok(sel)) if !sel.is_empty() => {
            store.owned_or_selected(kind_of::<corev1::Pod>(), namespace, Some(owner), &sel)
        }
        // An empty or invalid selector: let the sync see everything and decide.
        _ => return super::runner::namespace_pods(store, namespace),
    };
    // By name, as a list returns them; each name read once, not twice per comparison.
    let names: Vec<&str> = pods.iter().map(|p| p.name()).collect();
    let mut order: Vec<usize> = (0..pods.len()).collect();
    order.sort_by(|a, b| names[*a].cmp(names[*b]));
    Ok(order.into_iter().map(|i| std::sync::Arc::clone(&pods[i])).collect())
}

/// Mirrors syncReplicaSet: claim pods, create or delete the difference, update status.
///
/// # Errors
/// Permanent for an invalid selector (validation normally prevents it).
pub fn sync_replica_set(
    rs: &appsv1::ReplicaSet,
    view: &ReplicaSetView,
    now: SimTime,
) -> Result<Plan, SyncError> {
    let mut plan = Plan::none();
    let selector = selector_of(rs).map_err(SyncError::Permanent)?;
    let deleting = rs.metadata.deletion_timestamp.is_some();

    // ClaimPods (refmanager.rs): our pods that still match, plus orphans matching the
    // selector (adopted unless we are being deleted). Our pods that no longer match are
    // released, so a relabelled pod lives on unowned and the shortfall is made up with a new
    // pod.
    let claimed = super::refmanager::Claimer {
        owner: owner_reference(rs),
        selector: &selector,
        deleting,
        finalizers: &[],
    }
    .claim(&view.pods);
    for w in claimed.writes {
        plan.push(w);
    }
    let owned: Vec<&corev1::Pod> = claimed.pods.iter().map(|p| &**p).collect();
    let active: Vec<&corev1::Pod> = owned
        .iter()
        .copied()
        .filter(|p| podutil::is_pod_active(p))
        .collect();

    let want = rs
        .spec
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(1)
        .max(0) as usize;
    if !deleting {
        manage_replicas(rs, &active, want, &mut plan);
    }

    // Status after the writes above, as calculateStatus sees the world on the next sync;
    // upstream reports the pre-write pod counts too.
    let min_ready = rs
        .spec
        .as_ref()
        .and_then(|s| s.min_ready_seconds)
        .unwrap_or(0);
    let template_labels = rs
        .spec
        .as_ref()
        .and_then(|s| s.template.as_ref())
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.as_ref());
    let fully_labeled = active
        .iter()
        .filter(|p| {
            let l = p.metadata.labels.as_ref();
            template_labels
                .into_iter()
                .flatten()
                .all(|(k, v)| l.and_then(|l| l.get(k)) == Some(v))
        })
        .count();
    let ready = active.iter().filter(|p| podutil::is_pod_ready(p)).count();
    let available = active
        .iter()
        .filter(|p| podutil::is_pod_available(p, min_ready, now))
        .count();
    let old = rs.status.clone().unwrap_or_default();
    let mut status = appsv1::ReplicaSetStatus {
        replicas: active.len() as i32,
        fully_labeled_replicas: Some(fully_labeled as i32),
        ready_replicas: Some(ready as i32),
        available_replicas: Some(available as i32),
        observed_generation: rs.metadata.generation,
        conditions: old.conditions.clone(),
        terminating_replicas: old.terminating_replicas,
    };
    normalize_zero(&mut status);
    if status != old {
        let mut updated = rs.clone();
        updated.status = Some(status);
        plan.push(Write::UpdateStatus(Object::ReplicaSet(updated)));
    }

    // A ready pod that is not yet available needs another look once minReadySeconds pass.
    if min_ready > 0
        && let Some(d) = active
            .iter()
            .filter_map(|p| podutil::time_until_available(p, min_ready, now))
            .min()
    {
        plan.requeue_after(d);
    }
    Ok(plan)
}

/// Mirrors manageReplicas: create `want − active` pods or delete the surplus, ranked by
/// getPodsToDelete.
fn manage_replicas(
    rs: &appsv1::ReplicaSet,
    active: &[&corev1::Pod],
    want: usize,
    plan: &mut Plan,
) {
    if active.len() == want {
        return;
    }
    // What the events are about; most syncs have nothing to create or delete.
    let rs_obj = &Object::ReplicaSet(rs.clone());
    // A write holds a whole object inline (kilobytes): grown one push at a time, the plan
    // copied its writes over and over. A delete goes with its event, and the status write
    // that mostly follows gets its room too.
    let per_pod = if active.len() < want { 1 } else { 2 };
    plan.writes.reserve(per_pod * active.len().abs_diff(want) + 1);
    if active.len() < want {
        for _ in active.len()..want {
            let pod = pod_from_template(rs);
            plan.push(Write::Create {
                object: Object::Pod(pod),
                announce: Some(EventRecord::normal(
                    rs_obj,
                    "SuccessfulCreate",
                    format!("Created pod: {CREATED_NAME}"),
                )),
            });
        }
    } else if active.len() > want {
        let mut ranked: Vec<&corev1::Pod> = active.to_vec();
        // Each rank formats a timestamp and copies a name: built once per pod, not once
        // per comparison (the same stable order).
        ranked.sort_by_cached_key(|p| delete_rank(p));
        for p in ranked.into_iter().take(active.len() - want) {
            let name = p.metadata.name.clone().unwrap_or_default();
            plan.push(Write::Delete {
                kind: kind_of::<corev1::Pod>(),
                namespace: p.metadata.namespace.clone(),
                name: name.clone(),
                uid: p.metadata.uid.clone(),
                grace_period_seconds: None,
            });
            plan.event(EventRecord::normal(
                rs_obj,
                "SuccessfulDelete",
                format!("Deleted pod: {name}"),
            ));
        }
    }
}

/// Mirrors ActivePodsWithRanks' order (pods deleted first sort first): unassigned before
/// assigned; Pending before Unknown before Running; not ready before ready; more restarts
/// first; newer first.
fn delete_rank(p: &corev1::Pod) -> (u8, u8, u8, i32, std::cmp::Reverse<String>, String) {
    let assigned = u8::from(podutil::node_name(p).is_some());
    let phase = match podutil::phase(p) {
        "Pending" | "" => 0,
        "Unknown" => 1,
        _ => 2,
    };
    let ready = u8::from(podutil::is_pod_ready(p));
    let created = p
        .metadata
        .creation_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
        .unwrap_or_default();
    (
        assigned,
        phase,
        ready,
        -podutil::restart_count(p),
        std::cmp::Reverse(created),
        p.metadata.name.clone().unwrap_or_default(),
    )
}

/// A new pod for `rs`: the template's labels, annotations and spec, `generateName: <rs>-`
/// and a controller owner reference (controller_utils.go GetPodFromTemplate).
pub fn pod_from_template(rs: &appsv1::ReplicaSet) -> corev1::Pod {
    let template = rs
        .spec
        .as_ref()
        .and_then(|s| s.template.clone())
        .unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    let rs_name = rs.metadata.name.clone().unwrap_or_default();
    corev1::Pod {
        metadata: metav1::ObjectMeta {
            generate_name: Some(format!("{rs_name}-")),
            namespace: rs.metadata.namespace.clone(),
            labels: tmeta.labels,
            annotations: tmeta.annotations,
            finalizers: tmeta.finalizers,
            owner_references: Some(vec![owner_reference(rs)]),
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    }
}

/// The controller owner reference pointing at `rs`.
pub fn owner_reference(rs: &appsv1::ReplicaSet) -> metav1::OwnerReference {
    metav1::OwnerReference {
        api_version: "apps/v1".into(),
        kind: "ReplicaSet".into(),
        name: rs.metadata.name.clone().unwrap_or_default(),
        uid: rs.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The uid of the controlling owner, if any.
pub fn controller_uid(meta: &metav1::ObjectMeta) -> Option<&str> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| r.uid.as_str())
}

fn selector_of(rs: &appsv1::ReplicaSet) -> Result<Selector, String> {
    let sel = rs
        .spec
        .as_ref()
        .map(|s| &s.selector)
        .cloned()
        .unwrap_or_default();
    api::selectors::label_selector_to_selector(&sel).map_err(|e| e.to_string())
}

/// Upstream omits zero counts on the wire (`omitempty`); keep None for zero so a no-op status
/// compares equal to the stored one.
fn normalize_zero(s: &mut appsv1::ReplicaSetStatus) {
    for f in [
        &mut s.fully_labeled_replicas,
        &mut s.ready_replicas,
        &mut s.available_replicas,
    ] {
        if *f == Some(0) {
            *f = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn rs(name: &str, replicas: i32) -> appsv1::ReplicaSet {
        let labels: BTreeMap<String, String> = [("app".to_string(), name.to_string())].into();
        appsv1::ReplicaSet {
            metadata: metav1::ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                uid: Some(format!("uid-{name}")),
                generation: Some(1),
                ..Default::default()
            },
            spec: Some(appsv1::ReplicaSetSpec {
                replicas: Some(replicas),
                selector: metav1::LabelSelector {
                    match_labels: Some(labels.clone()),
                    ..Default::default()
                },
                template: Some(corev1::PodTemplateSpec {
                    metadata: Some(metav1::ObjectMeta {
                        labels: Some(labels),
                        ..Default::default()
                    }),
                    spec: Some(corev1::PodSpec::default()),
                }),
                ..Default::default()
            }),
            status: None,
        }
    }

    fn owned_pod(rs: &appsv1::ReplicaSet, name: &str, phase: &str) -> Arc<Object> {
        let mut p = pod_from_template(rs);
        p.metadata.name = Some(name.into());
        p.status = Some(corev1::PodStatus {
            phase: Some(phase.into()),
            ..Default::default()
        });
        Arc::new(Object::Pod(p))
    }

    fn count(plan: &Plan) -> (usize, usize, bool) {
        let creates = plan
            .writes
            .iter()
            .filter(|w| matches!(w, Write::Create { .. }))
            .count();
        let deletes = plan
            .writes
            .iter()
            .filter(|w| matches!(w, Write::Delete { .. }))
            .count();
        let status = plan
            .writes
            .iter()
            .any(|w| matches!(w, Write::UpdateStatus(_)));
        (creates, deletes, status)
    }

    #[test]
    fn manage_replicas_table() {
        struct Case {
            name: &'static str,
            replicas: i32,
            pods: &'static [(&'static str, &'static str)],
            want: (usize, usize, bool),
        }
        let cases = [
            Case {
                name: "create all",
                replicas: 3,
                pods: &[],
                want: (3, 0, true),
            },
            Case {
                name: "one missing",
                replicas: 2,
                pods: &[("a", "Running")],
                want: (1, 0, true),
            },
            Case {
                name: "terminal pods do not count",
                replicas: 1,
                pods: &[("a", "Succeeded")],
                want: (1, 0, true),
            },
            Case {
                name: "surplus deleted",
                replicas: 1,
                pods: &[("a", "Running"), ("b", "Pending")],
                want: (0, 1, true),
            },
        ];
        for c in &cases {
            let r = rs("web", c.replicas);
            let pods = c.pods.iter().map(|(n, ph)| owned_pod(&r, n, ph)).collect();
            let plan = sync_replica_set(&r, &ReplicaSetView { pods }, SimTime::ZERO).expect("sync");
            assert_eq!(count(&plan), c.want, "case {}", c.name);
        }
    }

    #[test]
    fn pending_pod_deleted_before_running() {
        let r = rs("web", 1);
        let pods = vec![owned_pod(&r, "a", "Running"), owned_pod(&r, "b", "Pending")];
        let plan = sync_replica_set(&r, &ReplicaSetView { pods }, SimTime::ZERO).expect("sync");
        let deleted: Vec<&str> = plan
            .writes
            .iter()
            .filter_map(|w| match w {
                Write::Delete { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(deleted, ["b"]);
    }
}
