//! The pod garbage collector's orphan sweep: pods bound to a node that no longer exists are
//! failed and force-deleted, so their controllers replace them and a deleted node leaves no
//! pods behind (its DaemonSet pods included).
//!
//! Mirrors pkg/controller/podgc/gc_controller.go (v1.34) `gcOrphaned` and
//! `markFailedAndDeletePodWithCondition`: a node missing from the cache is quarantined for
//! `quarantineTime` (40 s) before its pods go; a pod not yet terminal gets phase `Failed` and
//! the condition `DisruptionTarget` (`DeletionByPodGC`, "PodGC: node no longer exists"), then
//! is deleted with a grace period of 0. Upstream sweeps every 20 s; here the sweep of a node
//! runs when its deletion (or a pod bound to a missing node) is seen, and again when the
//! quarantine ends. The terminated-pod threshold and the out-of-service sweep are not modelled.

use std::cell::RefCell;
use std::collections::BTreeMap;

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;

use super::{kind_of, podutil};
use super::plan::{Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::{Store, WatchEvent};
use crate::time::{SimDuration, SimTime};

/// How long a node must stay missing before its pods are collected (`quarantineTime`).
pub const QUARANTINE: SimDuration = SimDuration::from_secs(40);

/// The runner's handle on the pod garbage collector. Keys are node names.
#[derive(Debug, Default)]
pub struct PodGarbageCollector {
    /// When each missing node was first seen missing (upstream's delaying `nodeQueue`).
    missing_since: RefCell<BTreeMap<String, SimTime>>,
}

impl Reconciler for PodGarbageCollector {
    fn name(&self) -> &'static str {
        "pod-garbage-collector"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Node>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::Pod>()]
    }

    /// A pod names the node it is bound to; the sweep checks whether that node exists.
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
        let mut missing = self.missing_since.borrow_mut();
        if store.get(self.primary(), None, &key.name).is_ok() {
            missing.remove(&key.name);
            return Ok(Plan::none());
        }
        let since = *missing.entry(key.name.clone()).or_insert(now);
        let pods = super::runner::namespace_pods(store, None)?;
        let bound: Vec<&corev1::Pod> = pods
            .iter()
            .filter_map(|o| match &**o {
                Object::Pod(p) => Some(p),
                _ => None,
            })
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(&key.name))
            .collect();
        if bound.is_empty() {
            missing.remove(&key.name);
            return Ok(Plan::none());
        }
        let waited = (now - since).as_millis();
        if waited < QUARANTINE.as_millis() {
            let mut plan = Plan::none();
            plan.requeue_after(SimDuration::from_millis(QUARANTINE.as_millis() - waited));
            return Ok(plan);
        }
        missing.remove(&key.name);
        Ok(collect_orphans(&bound, now))
    }
}

/// `markFailedAndDeletePodWithCondition` for every pod of a vanished node.
pub fn collect_orphans(pods: &[&corev1::Pod], now: SimTime) -> Plan {
    let mut plan = Plan::none();
    for pod in pods {
        let status = pod.status.clone().unwrap_or_default();
        let terminal = matches!(status.phase.as_deref(), Some("Succeeded" | "Failed"));
        if !terminal {
            let mut failed = (*pod).clone();
            let st = failed.status.get_or_insert_with(Default::default);
            st.phase = Some("Failed".into());
            let conditions = st.conditions.get_or_insert_with(Vec::new);
            conditions.retain(|c| c.type_ != "DisruptionTarget");
            conditions.push(corev1::PodCondition {
                type_: "DisruptionTarget".into(),
                status: "True".into(),
                reason: Some("DeletionByPodGC".into()),
                message: Some("PodGC: node no longer exists".into()),
                last_transition_time: Some(now.to_time()),
                ..Default::default()
            });
            plan.push(Write::UpdateStatus(Object::Pod(failed)));
        }
        plan.push(Write::Delete {
            kind: kind_of::<corev1::Pod>(),
            namespace: pod.metadata.namespace.clone(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            uid: pod.metadata.uid.clone(),
            grace_period_seconds: Some(0),
        });
    }
    plan
}
