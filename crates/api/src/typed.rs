//! The one way a k8s-openapi type is decoded: from a JSON `Value`, through
//! `serde_path_to_error`.
//!
//! Every type's `Deserialize` is built once per deserializer it meets, and those of the API
//! types are most of the page's code, so every decode in the workspace goes through this one
//! deserializer, the one whose errors carry field paths (what `Object::from_value` reports).
//! Text is parsed into a `Value` first (`from_json_str`, `from_json_slice`).

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A typed value from JSON, or the error with the field path where it failed.
///
/// # Errors
/// The serde error (`invalid type: …`, `missing field …`) and its path.
pub fn from_value_with_path<T: DeserializeOwned>(
    value: Value,
) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_path_to_error::deserialize(value)
}

/// A typed value from JSON; the error is worded as `serde_json::from_value` words it.
///
/// # Errors
/// The serde error, without the path.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    from_value_with_path(value).map_err(serde_path_to_error::Error::into_inner)
}

/// A typed value from JSON text.
///
/// # Errors
/// The syntax error, or the serde error as [`from_value`] gives it.
pub fn from_json_str<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    from_value(serde_json::from_str::<Value>(text)?)
}

/// A typed value from JSON bytes.
///
/// # Errors
/// The syntax error, or the serde error as [`from_value`] gives it.
pub fn from_json_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    from_value(serde_json::from_slice::<Value>(bytes)?)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1 as corev1;
    use serde_json::json;

    use super::*;

    #[test]
    fn errors_read_as_serde_json_words_them() {
        struct Case {
            name: &'static str,
            input: Value,
        }
        let cases = [
            Case { name: "wrong type", input: json!({"spec": {"containers": [{"name": 1}]}}) },
            Case { name: "missing field", input: json!({"spec": {"containers": [{}]}}) },
            Case { name: "not an object", input: json!([1]) },
            Case { name: "fine", input: json!({"metadata": {"name": "a"}}) },
        ];
        for case in cases {
            let plain = serde_json::from_value::<corev1::Pod>(case.input.clone())
                .map_err(|e| e.to_string());
            let ours = from_value::<corev1::Pod>(case.input.clone()).map_err(|e| e.to_string());
            assert_eq!(ours, plain, "{}", case.name);
            let text = case.input.to_string();
            let ours = from_json_str::<corev1::Pod>(&text).map_err(|e| e.to_string());
            assert_eq!(ours, plain, "{} (text)", case.name);
        }
    }

    #[test]
    fn the_path_names_the_failing_field() {
        let err = from_value_with_path::<corev1::Pod>(json!({"spec": {"containers": [{"name": 1}]}}))
            .expect_err("a number is no name");
        assert_eq!(err.path().to_string(), "spec.containers[0].name");
    }
}
