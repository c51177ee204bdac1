//! The scheduler's VolumeBinding plugin: PreFilter holds a pod while a claim it uses is
//! missing, being deleted, or unbound with Immediate binding; PreBind hands the chosen node
//! to its unbound WaitForFirstConsumer claims and holds the pod until they are bound.
//!
//! Mirrors pkg/scheduler/framework/plugins/volumebinding/volume_binding.go `PreFilter` and
//! `PreBind`, and binder.go `GetPodVolumeClaims` and `BindPodVolumes` (v1.34); the PreFilter
//! status is UnschedulableAndUnresolvable, so preemption cannot help.

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use super::{ANN_SELECTED_NODE, claim_class, claim_names, storage_class};
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

/// PreBind for `pod` placed on `node`: the claim updates that name the node on each of its
/// unbound WaitForFirstConsumer claims not yet annotated, and whether the pod must wait (some
/// such claim is still unbound). The provisioner or the PV controller binds the claims; the
/// pod is bound once none is left waiting.
pub fn pre_bind(
    pod: &corev1::Pod,
    node: &str,
    store: &Store,
) -> (Vec<corev1::PersistentVolumeClaim>, bool) {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut updates = Vec::new();
    let mut wait = false;
    for name in claim_names(pod) {
        let Ok(Object::PersistentVolumeClaim(claim)) = store
            .get(kind_of::<corev1::PersistentVolumeClaim>(), Some(ns), &name)
            .as_deref()
            .cloned()
        else {
            continue;
        };
        let bound = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .is_some_and(|v| !v.is_empty());
        let class = claim_class(&claim);
        let wffc = !class.is_empty()
            && storage_class(store, &class).is_some_and(|sc| {
                sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer")
            });
        if bound || !wffc {
            continue;
        }
        wait = true;
        let selected = claim
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(ANN_SELECTED_NODE));
        if selected.is_none_or(|n| n != node) {
            let mut c = claim;
            c.metadata
                .annotations
                .get_or_insert_with(Default::default)
                .insert(ANN_SELECTED_NODE.into(), node.into());
            updates.push(c);
        }
    }
    (updates, wait)
}
