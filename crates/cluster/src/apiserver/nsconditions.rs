//! The conditions a terminating namespace carries while its content goes away.
//!
//! Mirrors pkg/controller/namespace/deletion/status_condition_utils.go (v1.34): the five
//! condition types the namespace deleter maintains, each either its failure variant or its
//! "ok" variant (status False). kubelab's deletes never fail, so only content still present
//! (pods in their grace period, objects held by finalizers) turns a condition True.

use std::collections::BTreeMap;
use std::sync::Arc;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

/// (type, ok reason, ok message), in upstream's `conditionTypes` order.
const OK: &[(&str, &str, &str)] = &[
    (
        "NamespaceDeletionDiscoveryFailure",
        "ResourcesDiscovered",
        "All resources successfully discovered",
    ),
    (
        "NamespaceDeletionGroupVersionParsingFailure",
        "ParsedGroupVersions",
        "All legacy kube types successfully parsed",
    ),
    (
        "NamespaceDeletionContentFailure",
        "ContentDeleted",
        "All content successfully deleted, may be waiting on finalization",
    ),
    (
        "NamespaceContentRemaining",
        "ContentRemoved",
        "All content successfully removed",
    ),
    (
        "NamespaceFinalizersRemaining",
        "ContentHasNoFinalizers",
        "All content-preserving finalizers finished",
    ),
];

/// Sets `status.conditions` for the content `left` in the namespace after a deletion pass.
/// A condition's transition time changes only when its status does (`updateConditions`).
pub(crate) fn update(
    status: &mut corev1::NamespaceStatus,
    left: &[Arc<Object>],
    now: metav1::Time,
) {
    let mut by_resource: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_finalizer: BTreeMap<String, usize> = BTreeMap::new();
    for obj in left {
        let info = obj.kind_info();
        // `gvr.Resource + "." + gvr.Group`: core resources read `pods.`.
        *by_resource
            .entry(format!("{}.{}", info.plural, info.group))
            .or_default() += 1;
        for f in obj.meta().finalizers.iter().flatten() {
            *by_finalizer.entry(f.clone()).or_default() += 1;
        }
    }
    // Upstream sorts the formatted strings, not the keys.
    let joined = |parts: Vec<String>| {
        let mut parts = parts;
        machinery::sort::sort(&mut parts);
        parts.join(", ")
    };
    let remaining = (!by_resource.is_empty()).then(|| {
        (
            "SomeResourcesRemain",
            format!(
                "Some resources are remaining: {}",
                joined(
                    by_resource
                        .iter()
                        .map(|(r, n)| format!("{r} has {n} resource instances"))
                        .collect()
                )
            ),
        )
    });
    let finalizers = (!by_finalizer.is_empty()).then(|| {
        (
            "SomeFinalizersRemain",
            format!(
                "Some content in the namespace has finalizers remaining: {}",
                joined(
                    by_finalizer
                        .iter()
                        .map(|(f, n)| format!("{f} in {n} resource instances"))
                        .collect()
                )
            ),
        )
    });
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    for (type_, ok_reason, ok_message) in OK {
        let failing = match *type_ {
            "NamespaceContentRemaining" => remaining.clone(),
            "NamespaceFinalizersRemaining" => finalizers.clone(),
            _ => None,
        };
        let (cond_status, reason, message) = match failing {
            Some((reason, message)) => ("True", reason.to_string(), message),
            None => ("False", ok_reason.to_string(), ok_message.to_string()),
        };
        match conditions.iter_mut().find(|c| c.type_ == *type_) {
            None => conditions.push(corev1::NamespaceCondition {
                type_: type_.to_string(),
                status: cond_status.into(),
                last_transition_time: Some(now.clone()),
                reason: Some(reason),
                message: Some(message),
            }),
            Some(old) => {
                if old.status != cond_status {
                    old.last_transition_time = Some(now.clone());
                    old.status = cond_status.into();
                }
                old.reason = Some(reason);
                old.message = Some(message);
            }
        }
    }
}
