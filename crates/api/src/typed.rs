//! The one way a k8s-openapi type is decoded: from a JSON `Value`, through the wire format's
//! deserializer.
//!
//! Every type's `Deserialize` is built once per deserializer it meets, with that deserializer's
//! layers around each visitor, and those of the API types are most of the page's code. So every
//! decode in the workspace goes through the one deserializer the store's compact form needs
//! anyway (`wire`): the `Value` is written in that format, which is cheaper to write and read
//! than JSON text, and the reader names the field an error comes from.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::wire;

/// A value that does not decode into its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    /// serde's text, as `serde_json::from_value` words it (`invalid type: …`,
    /// `missing field …`).
    pub message: String,
    /// The field path where decoding failed: `spec.containers[0].name` (empty at the top).
    pub path: String,
}

impl std::fmt::Display for TypeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TypeError {}

/// A typed value from JSON.
///
/// # Errors
/// A [`TypeError`] with serde's message and the path of the failing field.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, TypeError> {
    let mut bytes = Vec::new();
    wire::write_value(value, &mut bytes);
    wire::from_bytes(&bytes).map_err(|err| TypeError {
        path: err.path(),
        message: err.message,
    })
}

/// A typed value from JSON text.
///
/// # Errors
/// A syntax error (without its position), or as [`from_value`].
pub fn from_json_str<T: DeserializeOwned>(text: &str) -> Result<T, TypeError> {
    let value: Value = serde_json::from_str(text).map_err(|err| TypeError {
        message: message_of(&err),
        path: String::new(),
    })?;
    from_value(&value)
}

/// A typed value from JSON bytes.
///
/// # Errors
/// As [`from_json_str`], or bytes that are not UTF-8.
pub fn from_json_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, TypeError> {
    let text = std::str::from_utf8(bytes).map_err(|e| TypeError {
        message: e.to_string(),
        path: String::new(),
    })?;
    from_json_str(text)
}

/// serde's message without the ` at line L column C` the text deserializer adds.
fn message_of(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    match text.strip_suffix(&position) {
        Some(message) if err.line() > 0 => message.to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1 as corev1;
    use k8s_openapi::api::policy::v1 as policyv1;
    use serde_json::json;

    use super::*;

    struct Case {
        name: &'static str,
        input: Value,
        /// The path of the error, or None when the input decodes.
        path: Option<&'static str>,
    }

    #[test]
    fn errors_read_as_serde_json_words_them_at_the_failing_field() {
        let pods = [
            case("wrong type", json!({"spec": {"containers": [{"name": 1}]}}),
                Some("spec.containers[0].name")),
            case("second element",
                json!({"spec": {"containers": [
                    {"name": "a"},
                    {"name": "b", "ports": [{"containerPort": "80"}]},
                ]}}),
                Some("spec.containers[1].ports[0].containerPort")),
            case("a map where a string goes", json!({"metadata": {"name": {"a": 1}}}),
                Some("metadata.name")),
            case("a string where a list goes", json!({"spec": {"containers": "x"}}),
                Some("spec.containers")),
            case("a map value", json!({"metadata": {"labels": {"app.kubernetes.io/name": 5}}}),
                Some("metadata.labels.app.kubernetes.io/name")),
            case("a bad time", json!({"metadata": {"creationTimestamp": "yesterday"}}),
                Some("metadata.creationTimestamp")),
            case("a float where an integer goes",
                json!({"spec": {"containers": [], "activeDeadlineSeconds": 1.5}}),
                Some("spec.activeDeadlineSeconds")),
            case("not an object", json!([1]), Some("")),
            case("a list where a struct goes", json!({"spec": [{"containers": []}]}),
                Some("spec")),
            case("a list where a struct goes, last",
                json!({"metadata": {"name": "a"}, "status": ["Running"]}), Some("status")),
            case("null", json!(null), Some("")),
            case("null for a required string (k8s-openapi reads it as empty)",
                json!({"spec": {"containers": [{"name": null}]}}), None),
            case("a bool where a string goes", json!({"spec": {"nodeName": true}}),
                Some("spec.nodeName")),
            case("negative numbers",
                json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": -1}]}],
                    "overhead": {"cpu": -0.5}}}),
                None),
            case("escapes and numbers",
                json!({"metadata": {"name": "a\"\n\u{2028}é"}, "spec": {"containers": [],
                    "activeDeadlineSeconds": 9007199254740993_i64, "overhead": {"cpu": 1.5}}}),
                None),
        ];
        for c in &pods {
            check::<corev1::Pod>(c);
        }
        // metav1.Condition's lastTransitionTime is one of the fields k8s-openapi requires.
        let pdbs = [
            case("missing field",
                json!({"status": {"conditions": [{"type": "Ready", "status": "True"}],
                    "currentHealthy": 1}}),
                Some("status.conditions[0]")),
            case("missing field of an empty object", json!({"status": {"conditions": [{}]}}),
                Some("status.conditions[0]")),
        ];
        for c in &pdbs {
            check::<policyv1::PodDisruptionBudget>(c);
        }
    }

    fn case(name: &'static str, input: Value, path: Option<&'static str>) -> Case {
        Case { name, input, path }
    }

    fn check<T: DeserializeOwned + PartialEq + std::fmt::Debug>(case: &Case) {
        let plain = serde_json::from_value::<T>(case.input.clone());
        let ours = from_value::<T>(&case.input);
        match (plain, ours) {
            (Ok(a), Ok(b)) => {
                assert!(case.path.is_none(), "{}: decodes", case.name);
                assert_eq!(a, b, "{}", case.name);
            }
            (Err(a), Err(b)) => {
                assert_eq!(b.message, a.to_string(), "{}", case.name);
                assert_eq!(Some(b.path.as_str()), case.path, "{}", case.name);
            }
            (a, b) => panic!("{}: {a:?} vs {b:?}", case.name),
        }
        let plain =
            serde_json::from_value::<T>(case.input.clone()).map_err(|e| e.to_string());
        let ours = from_json_str::<T>(&case.input.to_string()).map_err(|e| e.to_string());
        assert_eq!(ours, plain, "{} (text)", case.name);
    }
}
