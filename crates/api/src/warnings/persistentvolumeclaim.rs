//! PersistentVolumeClaim warnings. Mirrors pkg/api/persistentvolumeclaim/warnings.go (v1.34)
//! GetWarningsForPersistentVolumeClaim and GetWarningsForPersistentVolumeClaimSpec; the
//! spec check also serves StatefulSet claim templates and pods' ephemeral volumes.

use k8s_openapi::api::core::v1 as corev1;

use super::fractional_bytes;

const STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

/// Mirrors GetWarningsForPersistentVolumeClaim: the deprecated storage-class annotation,
/// then the spec's warnings under `spec`.
pub fn get_warnings_for_persistent_volume_claim(
    pvc: &corev1::PersistentVolumeClaim,
) -> Vec<String> {
    let mut warnings = Vec::new();
    if pvc
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(STORAGE_CLASS_ANNOTATION))
    {
        warnings.push(format!(
            r#"metadata.annotations[{STORAGE_CLASS_ANNOTATION}]: deprecated since v1.8; use "storageClassName" attribute instead"#
        ));
    }
    if let Some(spec) = &pvc.spec {
        warnings.extend(get_warnings_for_persistent_volume_claim_spec("spec", spec));
    }
    warnings
}

/// Mirrors GetWarningsForPersistentVolumeClaimSpec: a `storage` request or limit with a
/// fraction of a byte, under `path` (e.g. `spec` or `spec.volumeClaimTemplates[0]`).
pub fn get_warnings_for_persistent_volume_claim_spec(
    path: &str,
    spec: &corev1::PersistentVolumeClaimSpec,
) -> Vec<String> {
    let resources = spec.resources.as_ref();
    [
        ("requests", resources.and_then(|r| r.requests.as_ref())),
        ("limits", resources.and_then(|r| r.limits.as_ref())),
    ]
    .into_iter()
    .filter_map(|(list, values)| {
        fractional_bytes(
            &format!("{path}.resources.{list}[storage]"),
            values.and_then(|v| v.get("storage")),
        )
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        pvc: serde_json::Value,
        want: &'static [&'static str],
    }

    // After the cases of pkg/api/persistentvolumeclaim/warnings_test.go (v1.34).
    #[test]
    fn warnings() {
        let cases = [
            Case {
                name: "no warning",
                pvc: serde_json::json!({"spec": {"resources": {"requests": {"storage": "1Gi"}}}}),
                want: &[],
            },
            Case {
                name: "storage class annotation",
                pvc: serde_json::json!({"metadata": {"annotations": {
                    "volume.beta.kubernetes.io/storage-class": "fast"}}}),
                want: &[
                    r#"metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use "storageClassName" attribute instead"#,
                ],
            },
            Case {
                name: "fractional request and limit, printed canonical",
                pvc: serde_json::json!({"spec": {"resources": {
                    "requests": {"storage": "200.5"},
                    "limits": {"storage": "0.1Gi"}}}}),
                want: &[
                    r#"spec.resources.requests[storage]: fractional byte value "200500m" is invalid, must be an integer"#,
                    r#"spec.resources.limits[storage]: fractional byte value "107374182400m" is invalid, must be an integer"#,
                ],
            },
            Case {
                name: "a fraction of a binary unit that is whole bytes",
                pvc: serde_json::json!({"spec": {"resources": {"requests": {"storage": "0.5Gi"}}}}),
                want: &[],
            },
        ];
        for case in cases {
            let pvc: corev1::PersistentVolumeClaim =
                serde_json::from_value(case.pvc).expect(case.name);
            assert_eq!(
                get_warnings_for_persistent_volume_claim(&pvc),
                case.want,
                "{}",
                case.name
            );
        }
    }
}
