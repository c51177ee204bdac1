//! Conversions from k8s-openapi selector types to machinery's `Selector`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::labels::{Selector, SelectorError};

/// Mirrors metav1.LabelSelectorAsSelector for a present selector: `matchLabels` and
/// `matchExpressions` ANDed; an empty selector selects everything.
///
/// A missing selector (`None` in the parent) selects nothing upstream; callers decide that.
///
/// # Errors
/// `SelectorError` for an unknown operator or an invalid key/value.
pub fn label_selector_to_selector(
    selector: &metav1::LabelSelector,
) -> Result<Selector, SelectorError> {
    let labels = selector.match_labels.clone().unwrap_or_default();
    let expressions: Vec<(String, String, Vec<String>)> = selector
        .match_expressions
        .iter()
        .flatten()
        .map(|e| {
            (
                e.key.clone(),
                e.operator.clone(),
                e.values.clone().unwrap_or_default(),
            )
        })
        .collect();
    Selector::from_parts(&labels, &expressions)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn converts_and_matches() {
        let selector = metav1::LabelSelector {
            match_labels: Some(BTreeMap::from([("app".to_string(), "web".to_string())])),
            match_expressions: Some(vec![metav1::LabelSelectorRequirement {
                key: "tier".into(),
                operator: "In".into(),
                values: Some(vec!["front".into()]),
            }]),
        };
        let s = label_selector_to_selector(&selector).expect("valid");
        let labels = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert!(s.matches(&labels(&[("app", "web"), ("tier", "front")])));
        assert!(!s.matches(&labels(&[("app", "web")])));
        assert!(
            label_selector_to_selector(&metav1::LabelSelector::default())
                .expect("empty")
                .is_empty()
        );
        let bad = metav1::LabelSelector {
            match_expressions: Some(vec![metav1::LabelSelectorRequirement {
                key: "a".into(),
                operator: "Like".into(),
                values: None,
            }]),
            ..Default::default()
        };
        assert!(label_selector_to_selector(&bad).is_err());
    }
}
