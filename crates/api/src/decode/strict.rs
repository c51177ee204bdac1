//! Strict field validation: which input fields the typed object does not know.
//!
//! The v1.34 API server (fieldValidation=Strict, kubectl's default) rejects unknown fields
//! with `strict decoding error: unknown field "spec.containers[0].imagee"`. k8s-openapi types
//! silently skip unknown fields, so they are found by comparing the input with the typed
//! object serialized back: a key present in the input but absent after the round trip is one
//! the type does not have.
//!
//! Deliberate gap: a key whose input value is `null` is never reported, because k8s-openapi
//! also drops known fields set to null and the two cannot be told apart this way.

use serde_json::Value;

use super::source_map;

/// Paths of unknown fields in `input`, in the order the API server meets them in the body
/// kubectl sends: kubectl re-encodes the manifest from a map, so Go's encoder writes each
/// object's keys sorted, and the strict decoder reports fields in that body's order (keys
/// sorted at each level, list elements in order; `serde_json::Map` iterates sorted too).
pub fn unknown_fields(input: &Value, round_tripped: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(input, round_tripped, "", &mut found);
    found
}

fn walk(input: &Value, output: &Value, path: &str, found: &mut Vec<String>) {
    match (input, output) {
        (Value::Object(inp), Value::Object(out)) => {
            for (key, value) in inp {
                let child = source_map::child(path, key);
                match out.get(key) {
                    Some(out_value) => walk(value, out_value, &child, found),
                    None if value.is_null() => {}
                    None => found.push(child),
                }
            }
        }
        (Value::Array(inp), Value::Array(out)) => {
            for (i, (a, b)) in inp.iter().zip(out.iter()).enumerate() {
                walk(a, b, &source_map::index(path, i), found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_unknown_fields() {
        struct Case {
            name: &'static str,
            input: Value,
            output: Value,
            want: Vec<&'static str>,
        }
        let cases = [
            Case {
                name: "nested in list",
                input: json!({"spec": {"containers": [{"name": "a", "imagee": "x"}]}}),
                output: json!({"spec": {"containers": [{"name": "a"}]}}),
                want: vec!["spec.containers[0].imagee"],
            },
            Case {
                name: "null unknown is not reported",
                input: json!({"spec": {"foo": null}}),
                output: json!({"spec": {}}),
                want: vec![],
            },
            Case {
                name: "several, keys sorted at each level",
                input: json!({"spec": {"foo": 1, "baz": 2}}),
                output: json!({"spec": {}}),
                want: vec!["spec.baz", "spec.foo"],
            },
        ];
        for case in &cases {
            let got = unknown_fields(&case.input, &case.output);
            assert_eq!(got, case.want, "case {}", case.name);
        }
    }
}
