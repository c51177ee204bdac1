//! DefaultTolerationSeconds: a new pod that does not already tolerate the node controller's
//! `not-ready` and `unreachable` NoExecute taints gets a toleration for each, for 300 s, so it
//! stays five minutes on a node that stops answering before it is evicted.
//!
//! Mirrors plugin/pkg/admission/defaulttolerationseconds/admission.go (v1.34, both flags at
//! their default of 300).

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

/// The taint the node lifecycle controller puts on a node whose kubelet reports NotReady.
pub const NOT_READY_TAINT: &str = "node.kubernetes.io/not-ready";
/// The taint it puts on a node that stopped reporting.
pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";
/// `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds`.
pub const DEFAULT_SECONDS: i64 = 300;

/// Appends the missing default tolerations to a new pod.
pub fn admit(obj: &mut Object) {
    let Object::Pod(pod) = obj else { return };
    let Some(spec) = pod.spec.as_mut() else { return };
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    // A toleration with an empty key (or effect) matches every key (or effect).
    let tolerates = |key: &str| {
        tolerations.iter().any(|t| {
            t.key.as_deref().is_none_or(|k| k.is_empty() || k == key)
                && t.effect.as_deref().is_none_or(|e| e.is_empty() || e == "NoExecute")
        })
    };
    let missing: Vec<&str> = [NOT_READY_TAINT, UNREACHABLE_TAINT]
        .into_iter()
        .filter(|k| !tolerates(k))
        .collect();
    for key in missing {
        tolerations.push(corev1::Toleration {
            key: Some(key.to_string()),
            operator: Some("Exists".to_string()),
            effect: Some("NoExecute".to_string()),
            toleration_seconds: Some(DEFAULT_SECONDS),
            value: None,
        });
    }
    if tolerations.is_empty() {
        spec.tolerations = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(tolerations: Option<Vec<corev1::Toleration>>) -> Object {
        Object::Pod(corev1::Pod {
            spec: Some(corev1::PodSpec {
                tolerations,
                ..Default::default()
            }),
            ..Default::default()
        })
    }

    fn keys(obj: &Object) -> Vec<(String, Option<i64>)> {
        let Object::Pod(p) = obj else { unreachable!() };
        p.spec
            .as_ref()
            .and_then(|s| s.tolerations.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key.unwrap_or_default(), t.toleration_seconds))
            .collect()
    }

    #[test]
    fn a_plain_pod_gets_both_tolerations_for_300_seconds() {
        let mut p = pod(None);
        admit(&mut p);
        assert_eq!(
            keys(&p),
            vec![(NOT_READY_TAINT.into(), Some(300)), (UNREACHABLE_TAINT.into(), Some(300))]
        );
    }

    #[test]
    fn existing_tolerations_are_kept_and_not_doubled() {
        let own = corev1::Toleration {
            key: Some(UNREACHABLE_TAINT.into()),
            operator: Some("Exists".into()),
            effect: Some("NoExecute".into()),
            toleration_seconds: Some(10),
            value: None,
        };
        let mut p = pod(Some(vec![own]));
        admit(&mut p);
        assert_eq!(
            keys(&p),
            vec![(UNREACHABLE_TAINT.into(), Some(10)), (NOT_READY_TAINT.into(), Some(300))]
        );
        // `operator: Exists` with no key tolerates every taint: nothing is added.
        let all = corev1::Toleration {
            operator: Some("Exists".into()),
            ..Default::default()
        };
        let mut p = pod(Some(vec![all]));
        admit(&mut p);
        assert_eq!(keys(&p), vec![(String::new(), None)]);
    }
}
