//! PersistentVolume warnings. Mirrors pkg/api/persistentvolume/util.go (v1.34)
//! GetWarningsForPersistentVolume.

use k8s_openapi::api::core::v1 as corev1;

use super::node;

/// Deprecated PV annotations and what replaced them.
const DEPRECATED_ANNOTATIONS: &[(&str, &str)] = &[
    (
        "volume.beta.kubernetes.io/storage-class",
        r#"deprecated since v1.8; use "storageClassName" attribute instead"#,
    ),
    (
        "volume.beta.kubernetes.io/mount-options",
        r#"deprecated since v1.31; use "mountOptions" attribute instead"#,
    ),
];

/// Mirrors GetWarningsForPersistentVolume.
pub fn get_warnings_for_persistent_volume(pv: &corev1::PersistentVolume) -> Vec<String> {
    let mut warnings = Vec::new();
    let annotations = pv.metadata.annotations.as_ref();
    for (key, msg) in DEPRECATED_ANNOTATIONS {
        if annotations.is_some_and(|a| a.contains_key(*key)) {
            warnings.push(format!("metadata.annotations[{key}]: {msg}"));
        }
    }
    let Some(spec) = &pv.spec else {
        return warnings;
    };
    if spec.persistent_volume_reclaim_policy.as_deref() == Some("Recycle") {
        warnings.push("spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.".into());
    }
    if let Some(required) = spec
        .node_affinity
        .as_ref()
        .and_then(|a| a.required.as_ref())
    {
        for (i, term) in required.node_selector_terms.iter().enumerate() {
            warnings.extend(node::get_warnings_for_node_selector_term(
                term,
                &format!("spec.nodeAffinity.required.nodeSelectorTerms[{i}]"),
            ));
        }
    }
    // Volume plugins that are deprecated or gone.
    let plugins = [
        (
            spec.cephfs.is_some(),
            "cephfs",
            "deprecated in v1.28, non-functional in v1.31+",
        ),
        (
            spec.photon_persistent_disk.is_some(),
            "photonPersistentDisk",
            "deprecated in v1.11, non-functional in v1.16+",
        ),
        (
            spec.scale_io.is_some(),
            "scaleIO",
            "deprecated in v1.16, non-functional in v1.22+",
        ),
        (
            spec.storageos.is_some(),
            "storageOS",
            "deprecated in v1.22, non-functional in v1.25+",
        ),
        (
            spec.glusterfs.is_some(),
            "glusterfs",
            "deprecated in v1.25, non-functional in v1.26+",
        ),
        (
            spec.rbd.is_some(),
            "rbd",
            "deprecated in v1.28, non-functional in v1.31+",
        ),
    ];
    for (set, field, msg) in plugins {
        if set {
            warnings.push(format!("spec.{field}: {msg}"));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        pv: serde_json::Value,
        want: &'static [&'static str],
    }

    // Mirrors cases of TestWarnings in pkg/api/persistentvolume/util_test.go (v1.34).
    #[test]
    fn warnings() {
        let cases = [
            Case {
                name: "no warning",
                pv: serde_json::json!({"spec": {"persistentVolumeReclaimPolicy": "Retain"}}),
                want: &[],
            },
            Case {
                name: "PersistentVolumeReclaimRecycle deprecation warning",
                pv: serde_json::json!({"spec": {"persistentVolumeReclaimPolicy": "Recycle"}}),
                want: &[
                    "spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.",
                ],
            },
            Case {
                name: "storage class annotation and node affinity",
                pv: serde_json::json!({
                    "metadata": {"annotations": {"volume.beta.kubernetes.io/storage-class": "fast"}},
                    "spec": {"nodeAffinity": {"required": {"nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "beta.kubernetes.io/os", "operator": "Equal", "values": ["windows"]}]}
                    ]}}},
                }),
                want: &[
                    r#"metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use "storageClassName" attribute instead"#,
                    r#"spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key: beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead"#,
                ],
            },
            Case {
                name: "PV CephFS deprecation warning",
                pv: serde_json::json!({"spec": {"cephfs": {"monitors": []}}}),
                want: &["spec.cephfs: deprecated in v1.28, non-functional in v1.31+"],
            },
        ];
        for case in cases {
            let pv: corev1::PersistentVolume = serde_json::from_value(case.pv).expect(case.name);
            assert_eq!(
                get_warnings_for_persistent_volume(&pv),
                case.want,
                "{}",
                case.name
            );
        }
    }
}
