//! The pvc-protection and pv-protection controllers: a claim being deleted keeps its
//! finalizer while a pod uses it; a volume being deleted keeps its finalizer while it is
//! bound.
//!
//! Mirrors pkg/controller/volume/pvcprotection and pvprotection (v1.34): a pod uses a claim
//! until it has terminated (phase Succeeded or Failed) or is gone.

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;

use super::claim_names;
use crate::apiserver::admission::storageprotection::{PV_PROTECTION, PVC_PROTECTION};
use crate::apiserver::{Store, WatchEvent};
use crate::controller::kind_of;
use crate::controller::plan::{Plan, SyncError, Write};
use crate::controller::runner::{ObjectKey, Reconciler};
use crate::time::SimTime;

/// The runner's handle on the pvc-protection controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClaimProtection;

impl Reconciler for ClaimProtection {
    fn name(&self) -> &'static str {
        "pvc-protection-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::PersistentVolumeClaim>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::Pod>()]
    }

    fn keys_for(&self, event: &WatchEvent, _store: &Store) -> Vec<ObjectKey> {
        let Object::Pod(p) = &*event.object else {
            return Vec::new();
        };
        claim_names(p)
            .into_iter()
            .map(|c| ObjectKey::new(p.metadata.namespace.as_deref(), &c))
            .collect()
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let mut plan = Plan::none();
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(plan);
        };
        let Object::PersistentVolumeClaim(c) = &*obj else {
            return Ok(plan);
        };
        let protected = c
            .metadata
            .finalizers
            .iter()
            .flatten()
            .any(|f| f == PVC_PROTECTION);
        if c.metadata.deletion_timestamp.is_none() || !protected || in_use(store, c) {
            return Ok(plan);
        }
        let mut c = c.clone();
        c.metadata.resource_version = None;
        if let Some(f) = c.metadata.finalizers.as_mut() {
            f.retain(|f| f != PVC_PROTECTION);
        }
        plan.push(Write::Update(Object::PersistentVolumeClaim(c)));
        Ok(plan)
    }
}

fn in_use(store: &Store, c: &corev1::PersistentVolumeClaim) -> bool {
    let name = c.metadata.name.clone().unwrap_or_default();
    store
        .list(
            kind_of::<corev1::Pod>(),
            c.metadata.namespace.as_deref(),
            &Default::default(),
        )
        .map(|l| l.items)
        .unwrap_or_default()
        .iter()
        .any(|o| match &**o {
            Object::Pod(p) => {
                !matches!(crate::controller::podutil::phase(p), "Succeeded" | "Failed")
                    && claim_names(p).contains(&name)
            }
            _ => false,
        })
}

/// The runner's handle on the pv-protection controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct VolumeProtection;

impl Reconciler for VolumeProtection {
    fn name(&self) -> &'static str {
        "pv-protection-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::PersistentVolume>()
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let mut plan = Plan::none();
        let Ok(obj) = store.get(self.primary(), None, &key.name) else {
            return Ok(plan);
        };
        let Object::PersistentVolume(v) = &*obj else {
            return Ok(plan);
        };
        let protected = v
            .metadata
            .finalizers
            .iter()
            .flatten()
            .any(|f| f == PV_PROTECTION);
        let bound = v.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
        if v.metadata.deletion_timestamp.is_none() || !protected || bound {
            return Ok(plan);
        }
        let mut v = v.clone();
        v.metadata.resource_version = None;
        if let Some(f) = v.metadata.finalizers.as_mut() {
            f.retain(|f| f != PV_PROTECTION);
        }
        plan.push(Write::Update(Object::PersistentVolume(v)));
        Ok(plan)
    }
}
