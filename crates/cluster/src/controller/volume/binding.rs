//! The scheduler's VolumeBinding PreFilter: a pod waits while a claim it uses is missing,
//! being deleted, or unbound with Immediate binding.
//!
//! Mirrors pkg/scheduler/framework/plugins/volumebinding/volume_binding.go `PreFilter` and
//! binder.go `GetPodVolumeClaims` (v1.34); the status is UnschedulableAndUnresolvable, so
//! preemption cannot help.

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use super::{claim_class, claim_names, storage_class};
use crate::apiserver::Store;
use crate::controller::kind_of;

/// The PreFilter rejection for `pod`, if any (the FitError's pre-filter message).
pub fn pre_filter(pod: &corev1::Pod, store: &Store) -> Option<String> {
    let names = claim_names(pod);
    if names.is_empty() {
        return None;
    }
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut unbound_immediate = false;
    for name in names {
        let claim = match store
            .get(kind_of::<corev1::PersistentVolumeClaim>(), Some(ns), &name)
            .as_deref()
        {
            Ok(Object::PersistentVolumeClaim(c)) => c.clone(),
            _ => return Some(format!("persistentvolumeclaim \"{name}\" not found")),
        };
        if claim.metadata.deletion_timestamp.is_some() {
            return Some(format!("persistentvolumeclaim \"{name}\" is being deleted"));
        }
        let bound = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .is_some_and(|v| !v.is_empty());
        if bound {
            continue;
        }
        let class = claim_class(&claim);
        let wffc = !class.is_empty()
            && storage_class(store, &class).is_some_and(|sc| {
                sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer")
            });
        if !wffc {
            unbound_immediate = true;
        }
    }
    unbound_immediate.then(|| "pod has unbound immediate PersistentVolumeClaims".to_string())
}
