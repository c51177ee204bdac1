//! Deprecated node labels. Mirrors pkg/api/node/util.go (v1.34).

use k8s_openapi::api::core::v1 as corev1;

/// Node labels that still work but are deprecated, with upstream's message for each.
const DEPRECATED_NODE_LABELS: &[(&str, &str)] = &[
    (
        "beta.kubernetes.io/arch",
        r#"deprecated since v1.14; use "kubernetes.io/arch" instead"#,
    ),
    (
        "beta.kubernetes.io/os",
        r#"deprecated since v1.14; use "kubernetes.io/os" instead"#,
    ),
    (
        "failure-domain.beta.kubernetes.io/region",
        r#"deprecated since v1.17; use "topology.kubernetes.io/region" instead"#,
    ),
    (
        "failure-domain.beta.kubernetes.io/zone",
        r#"deprecated since v1.17; use "topology.kubernetes.io/zone" instead"#,
    ),
    (
        "beta.kubernetes.io/instance-type",
        r#"deprecated since v1.17; use "node.kubernetes.io/instance-type" instead"#,
    ),
    ("app.kubernetes.io/created-by", "deprecated since v1.9"),
    (
        "scheduler.alpha.kubernetes.io/preferAvoidPods",
        "deprecated since v1.22; use Taints and Tolerations instead",
    ),
    (
        "node-role.kubernetes.io/master",
        r#"use "node-role.kubernetes.io/control-plane" instead"#,
    ),
];

/// Mirrors GetNodeLabelDeprecatedMessage: the message for a deprecated node label key.
pub fn get_node_label_deprecated_message(key: &str) -> Option<&'static str> {
    DEPRECATED_NODE_LABELS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, msg)| *msg)
}

/// Mirrors GetWarningsForNodeSelectorTerm: deprecated label keys in a term's
/// `matchExpressions` (`matchFields` name no labels), under `path`.
pub fn get_warnings_for_node_selector_term(
    term: &corev1::NodeSelectorTerm,
    path: &str,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for (i, expr) in term.match_expressions.iter().flatten().enumerate() {
        if let Some(msg) = get_node_label_deprecated_message(&expr.key) {
            warnings.push(format!(
                "{path}.matchExpressions[{i}].key: {} is {msg}",
                expr.key
            ));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deprecated_keys_in_a_term() {
        let term = corev1::NodeSelectorTerm {
            match_expressions: Some(vec![
                corev1::NodeSelectorRequirement {
                    key: "kubernetes.io/os".into(),
                    operator: "In".into(),
                    values: Some(vec!["linux".into()]),
                },
                corev1::NodeSelectorRequirement {
                    key: "beta.kubernetes.io/os".into(),
                    operator: "In".into(),
                    values: Some(vec!["linux".into()]),
                },
            ]),
            ..Default::default()
        };
        assert_eq!(
            get_warnings_for_node_selector_term(
                &term,
                "spec.nodeAffinity.required.nodeSelectorTerms[0]"
            ),
            vec![
                r#"spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[1].key: beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead"#
            ]
        );
        assert_eq!(
            get_node_label_deprecated_message("kubernetes.io/arch"),
            None
        );
    }
}
