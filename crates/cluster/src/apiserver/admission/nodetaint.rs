//! TaintNodesByCondition: every Node created through the API gets the
//! `node.kubernetes.io/not-ready:NoSchedule` taint, so no pod lands on it before its kubelet
//! reports Ready and the node lifecycle controller lifts the taint
//! (`controller::nodelifecycle`).
//!
//! Mirrors plugin/pkg/admission/nodetaint/admission.go (v1.34): creates only (updates and the
//! status subresource are left alone), the taint without `timeAdded`, and nothing added when a
//! taint with the same key and effect is already there.

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

/// The taint this plugin adds.
pub const NOT_READY_TAINT: &str = "node.kubernetes.io/not-ready";

/// Adds the not-ready NoSchedule taint to a new Node that lacks it.
pub fn admit(obj: &mut Object) {
    let Object::Node(node) = obj else { return };
    let taints = node
        .spec
        .get_or_insert_with(Default::default)
        .taints
        .get_or_insert_with(Vec::new);
    if !taints.iter().any(|t| t.key == NOT_READY_TAINT && t.effect == "NoSchedule") {
        taints.push(corev1::Taint {
            key: NOT_READY_TAINT.into(),
            effect: "NoSchedule".into(),
            value: None,
            time_added: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        taints: Option<Vec<(&'static str, &'static str, &'static str)>>,
        want: Vec<(&'static str, &'static str, &'static str)>,
    }

    fn check(taints: Option<Vec<(&str, &str, &str)>>) -> Vec<(String, String, String)> {
        let taint = |(k, v, e): (&str, &str, &str)| corev1::Taint {
            key: k.into(),
            value: (!v.is_empty()).then(|| v.into()),
            effect: e.into(),
            time_added: None,
        };
        let mut obj = Object::Node(corev1::Node {
            spec: Some(corev1::NodeSpec {
                taints: taints.map(|ts| ts.into_iter().map(taint).collect()),
                ..Default::default()
            }),
            ..Default::default()
        });
        admit(&mut obj);
        let Object::Node(n) = obj else { unreachable!() };
        n.spec
            .and_then(|s| s.taints)
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key, t.value.unwrap_or_default(), t.effect))
            .collect()
    }

    // Mirrors Test_nodeTaints in plugin/pkg/admission/nodetaint/admission_test.go (its cases
    // with the feature on and no admission config; a node's conditions play no part), plus
    // two of kubelab's own.
    #[test]
    fn a_new_node_gets_the_not_ready_taint_once() {
        let not_ready = (NOT_READY_TAINT, "", "NoSchedule");
        let cases = [
            Case {
                name: "notReady taint is added on creation",
                taints: None,
                want: vec![not_ready],
            },
            Case {
                name: "already tainted node is not tainted again",
                taints: Some(vec![not_ready]),
                want: vec![not_ready],
            },
            Case {
                name: "another NoSchedule taint stays first",
                taints: Some(vec![("foo", "bar", "NoSchedule")]),
                want: vec![("foo", "bar", "NoSchedule"), not_ready],
            },
            Case {
                name: "a NoExecute not-ready taint is another taint",
                taints: Some(vec![(NOT_READY_TAINT, "", "NoExecute")]),
                want: vec![(NOT_READY_TAINT, "", "NoExecute"), not_ready],
            },
        ];
        for case in cases {
            let want: Vec<(String, String, String)> = case
                .want
                .iter()
                .map(|(k, v, e)| (k.to_string(), v.to_string(), e.to_string()))
                .collect();
            assert_eq!(check(case.taints), want, "{}", case.name);
        }
    }
}
