//! ObjectMeta, name and data-key validation.
//!
//! Mirrors apimachinery pkg/api/validation/objectmeta.go `ValidateObjectMeta` and the
//! per-kind name functions chosen in pkg/apis/core/validation/validation.go (v1.34).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::validation as v;
use machinery::validation::field::{ErrorList, FieldError, quote};

use crate::kinds::KindInfo;

/// Which name rule a kind uses.
fn name_rule(info: &KindInfo) -> fn(&str) -> Vec<String> {
    match info.kind {
        "Service" => v::is_dns1035_label,
        "Namespace" => v::is_dns1123_label,
        "CronJob" => cron_job_name,
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => path_segment_name,
        _ => v::is_dns1123_subdomain,
    }
}

/// Mirrors batch validation `ValidateCronJobName`: a subdomain of at most 52 characters, so
/// that job names (`<cronjob>-<minutes>`) stay within 63.
fn cron_job_name(name: &str) -> Vec<String> {
    let mut errs = v::is_dns1123_subdomain(name);
    if name.len() > 52 {
        errs.push("must be no more than 52 characters".to_string());
    }
    errs
}

/// Mirrors path.IsValidPathSegmentName, the rule RBAC names use.
pub(super) fn path_segment_name(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    let mut errs = Vec::new();
    for bad in ["/", "%"] {
        if name.contains(bad) {
            errs.push(format!("may not contain '{bad}'"));
        }
    }
    errs
}

/// Mirrors `ValidateObjectMeta`: name or generateName, namespace presence, labels and
/// annotations.
pub fn object_meta(meta: &metav1::ObjectMeta, info: &KindInfo, errs: &mut ErrorList) {
    let rule = name_rule(info);
    let name = meta.name.as_deref().unwrap_or("");
    let generate_name = meta.generate_name.as_deref().unwrap_or("");
    if !generate_name.is_empty() {
        // A trailing dash is masked, as the server will append a suffix after it.
        let base = generate_name.strip_suffix('-').unwrap_or(generate_name);
        for msg in rule(base) {
            errs.push(FieldError::invalid(
                "metadata.generateName",
                quote(generate_name),
                msg,
            ));
        }
    }
    if name.is_empty() {
        if generate_name.is_empty() {
            errs.push(FieldError::required(
                "metadata.name",
                "name or generateName is required",
            ));
        }
    } else {
        for msg in rule(name) {
            errs.push(FieldError::invalid("metadata.name", quote(name), msg));
        }
    }
    if !info.namespaced && meta.namespace.as_deref().is_some_and(|n| !n.is_empty()) {
        errs.push(FieldError::forbidden(
            "metadata.namespace",
            "not allowed on this type",
        ));
    }
    if let Some(ns) = meta.namespace.as_deref().filter(|n| !n.is_empty()) {
        for msg in v::is_dns1123_label(ns) {
            errs.push(FieldError::invalid("metadata.namespace", quote(ns), msg));
        }
    }
    labels(meta.labels.as_ref(), "metadata.labels", errs);
    annotations(meta.annotations.as_ref(), errs);
}

/// Mirrors `ValidateObjectMetaUpdate` (apimachinery pkg/api/validation/objectmeta.go, v1.34):
/// a resource version, a generation that does not go back, the identity and deletion fields
/// immutable, then the labels and annotations of the new object. Values are shown as
/// field.Error prints them (times by Go's `Time.String`, nil pointers as `null`). No new
/// finalizers while deleting is the store's check, for every kind.
pub fn object_meta_update(
    new: &metav1::ObjectMeta,
    old: &metav1::ObjectMeta,
    errs: &mut ErrorList,
) {
    if new.resource_version.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::invalid(
            "metadata.resourceVersion",
            quote(""),
            "must be specified for an update",
        ));
    }
    let generation = new.generation.unwrap_or(0);
    if generation < old.generation.unwrap_or(0) {
        errs.push(FieldError::invalid(
            "metadata.generation",
            generation.to_string(),
            "must not be decremented",
        ));
    }
    fn text(s: &Option<String>) -> &str {
        s.as_deref().unwrap_or_default()
    }
    immutable(
        errs,
        text(&new.name) != text(&old.name),
        "metadata.name",
        || quote(text(&new.name)),
    );
    immutable(
        errs,
        text(&new.namespace) != text(&old.namespace),
        "metadata.namespace",
        || quote(text(&new.namespace)),
    );
    immutable(
        errs,
        text(&new.uid) != text(&old.uid),
        "metadata.uid",
        || quote(text(&new.uid)),
    );
    let time = |t: &Option<metav1::Time>| t.as_ref().map(|t| t.0);
    immutable(
        errs,
        time(&new.creation_timestamp) != time(&old.creation_timestamp),
        "metadata.creationTimestamp",
        || super::events::go_time(new.creation_timestamp.as_ref().map(|t| &t.0)),
    );
    immutable(
        errs,
        time(&new.deletion_timestamp) != time(&old.deletion_timestamp),
        "metadata.deletionTimestamp",
        || new.deletion_timestamp.as_ref().map_or_else(
            || "null".to_string(),
            |t| super::events::go_time(Some(&t.0)),
        ),
    );
    immutable(
        errs,
        new.deletion_grace_period_seconds != old.deletion_grace_period_seconds,
        "metadata.deletionGracePeriodSeconds",
        || new.deletion_grace_period_seconds
            .map_or_else(|| "null".to_string(), |s| s.to_string()),
    );
    labels(new.labels.as_ref(), "metadata.labels", errs);
    annotations(new.annotations.as_ref(), errs);
}

/// `field is immutable` at `path` when `changed`, with the new value as field.Error prints it:
/// formatted only then, as every update checks these fields.
pub(super) fn immutable(
    errs: &mut ErrorList,
    changed: bool,
    path: &str,
    value: impl FnOnce() -> String,
) {
    if changed {
        errs.push(FieldError::invalid(path, value(), "field is immutable"));
    }
}

/// Mirrors `ValidateLabels`: qualified-name keys and label values.
pub fn labels(labels: Option<&BTreeMap<String, String>>, path: &str, errs: &mut ErrorList) {
    for (key, value) in labels.into_iter().flatten() {
        for msg in v::is_qualified_name(key) {
            errs.push(FieldError::invalid(path, quote(key), msg));
        }
        for msg in v::is_valid_label_value(value) {
            errs.push(FieldError::invalid(path, quote(value), msg));
        }
    }
}

/// Mirrors `ValidateAnnotations`: lower-cased qualified-name keys, 256 KiB in total.
fn annotations(annotations: Option<&BTreeMap<String, String>>, errs: &mut ErrorList) {
    let mut total = 0usize;
    for (key, value) in annotations.into_iter().flatten() {
        for msg in v::is_qualified_name(&key.to_ascii_lowercase()) {
            errs.push(FieldError::invalid("metadata.annotations", quote(key), msg));
        }
        total += key.len() + value.len();
    }
    const TOTAL_ANNOTATION_SIZE_LIMIT: i64 = 256 * 1024;
    if total as i64 > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(
            "metadata.annotations",
            TOTAL_ANNOTATION_SIZE_LIMIT,
        ));
    }
}

/// Mirrors `ValidateConfigMap`: config keys, and no key in both `data` and `binaryData`.
pub fn config_map(cm: &corev1::ConfigMap, errs: &mut ErrorList) {
    for key in cm.data.iter().flat_map(|d| d.keys()) {
        for msg in v::is_config_map_key(key) {
            errs.push(FieldError::invalid(format!("data[{key}]"), quote(key), msg));
        }
    }
    for key in cm.binary_data.iter().flat_map(|d| d.keys()) {
        for msg in v::is_config_map_key(key) {
            errs.push(FieldError::invalid(
                format!("binaryData[{key}]"),
                quote(key),
                msg,
            ));
        }
        if cm.data.as_ref().is_some_and(|d| d.contains_key(key)) {
            errs.push(FieldError::invalid(
                format!("data[{key}]"),
                quote(key),
                "duplicate of key present in binaryData",
            ));
        }
    }
}

/// Mirrors `ValidateSecret`: data keys are config keys.
pub fn secret(s: &corev1::Secret, errs: &mut ErrorList) {
    let keys = s
        .data
        .iter()
        .flat_map(|d| d.keys())
        .chain(s.string_data.iter().flat_map(|d| d.keys()));
    for key in keys {
        for msg in v::is_config_map_key(key) {
            errs.push(FieldError::invalid(format!("data[{key}]"), quote(key), msg));
        }
    }
}

/// The message of the immutability rules below (`field is immutable when `immutable` is set`).
const IMMUTABLE_WHEN_SET: &str = "field is immutable when `immutable` is set";

/// Mirrors `ValidateConfigMapUpdate` (v1.34): once `immutable` is true it stays true, and
/// `data` and `binaryData` may not change (compared as stored: a missing map differs from an
/// empty one, as Go's `reflect.DeepEqual` tells nil from empty).
pub fn config_map_update(old: &corev1::ConfigMap, new: &corev1::ConfigMap, errs: &mut ErrorList) {
    if old.immutable != Some(true) {
        return;
    }
    if new.immutable != Some(true) {
        errs.push(FieldError::forbidden("immutable", IMMUTABLE_WHEN_SET));
    }
    if new.data != old.data {
        errs.push(FieldError::forbidden("data", IMMUTABLE_WHEN_SET));
    }
    if new.binary_data != old.binary_data {
        errs.push(FieldError::forbidden("binaryData", IMMUTABLE_WHEN_SET));
    }
}

/// Mirrors `ValidateSecretUpdate` (v1.34): `type` never changes, and once `immutable` is true
/// it stays true and `data` may not change. `stringData` needs no rule of its own: it was
/// merged into `data` before validation (`defaults::secret`).
pub fn secret_update(old: &corev1::Secret, new: &corev1::Secret, errs: &mut ErrorList) {
    if new.type_ != old.type_ {
        errs.push(FieldError::invalid_str(
            "type",
            new.type_.as_deref().unwrap_or(""),
            "field is immutable",
        ));
    }
    if old.immutable != Some(true) {
        return;
    }
    if new.immutable != Some(true) {
        errs.push(FieldError::forbidden("immutable", IMMUTABLE_WHEN_SET));
    }
    if new.data != old.data {
        errs.push(FieldError::forbidden("data", IMMUTABLE_WHEN_SET));
    }
}
