//! The resource quota controller: `status.hard` mirrors `spec.hard`, `status.used` is what
//! the namespace's objects use (the same counting admission does).
//!
//! Mirrors pkg/controller/resourcequota/resource_quota_controller.go `syncResourceQuota`
//! (v1.34); any change to a counted object re-syncs the quotas of its namespace.

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as Q;

use super::kind_of;
use super::plan::{Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::admission::quota;
use crate::apiserver::{Store, WatchEvent};
use crate::time::SimTime;

/// The runner's handle on the resource quota controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResourceQuotaController;

impl Reconciler for ResourceQuotaController {
    fn name(&self) -> &'static str {
        "resourcequota-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::ResourceQuota>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![
            kind_of::<corev1::Pod>(),
            kind_of::<corev1::Service>(),
            kind_of::<corev1::ConfigMap>(),
            kind_of::<corev1::Secret>(),
            kind_of::<corev1::PersistentVolumeClaim>(),
            kind_of::<corev1::ReplicationController>(),
        ]
    }

    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        let Some(ns) = event.object.namespace() else {
            return Vec::new();
        };
        // Every pod change asks: a lister read, not a list request.
        store
            .in_namespace(self.primary(), Some(ns))
            .iter()
            .map(|o| ObjectKey::of(o))
            .collect()
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let mut plan = Plan::none();
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(plan);
        };
        let Object::ResourceQuota(q) = &*obj else {
            return Ok(plan);
        };
        let hard = quota::hard_of(q);
        let ns = key.namespace.clone().unwrap_or_default();
        let used = quota::namespace_usage(store, &ns, &hard);
        let status = corev1::ResourceQuotaStatus {
            hard: q.spec.as_ref().and_then(|s| s.hard.clone()),
            used: Some(
                used.iter()
                    .map(|(k, v)| (k.clone(), Q(v.to_string())))
                    .collect(),
            ),
        };
        if q.status.as_ref() != Some(&status) {
            let mut q = q.clone();
            q.metadata.resource_version = None;
            q.status = Some(status);
            plan.push(Write::UpdateStatus(Object::ResourceQuota(q)));
        }
        Ok(plan)
    }
}
