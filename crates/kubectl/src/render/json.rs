//! JSON output as `kubectl -o json` writes it: Go's `json.MarshalIndent` with four blanks, map
//! keys sorted (kubectl prints unstructured objects), and `<`, `>`, `&` escaped as Go does.

use serde_json::Value;

/// The JSON text of `value`, ending with a newline.
pub fn to_json(value: &Value) -> String {
    let sorted = sort_keys(value);
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    // Serializing a Value into memory cannot fail.
    let _ = serde::Serialize::serialize(&sorted, &mut ser);
    let text = String::from_utf8(buf).unwrap_or_default();
    let mut out = go_escape(&text);
    out.push('\n');
    out
}

/// Go's encoder escapes these inside strings (HTML safety); they never occur outside strings.
pub fn go_escape(text: &str) -> String {
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn sort_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            machinery::sort::sort(&mut keys);
            let mut out = serde_json::Map::new();
            for k in keys {
                out.insert(k.clone(), sort_keys(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn four_blank_indent_sorted() {
        assert_eq!(
            to_json(&json!({"kind": "Pod", "apiVersion": "v1", "a": [], "b": {}, "m": "<x>"})),
            "{\n    \"a\": [],\n    \"apiVersion\": \"v1\",\n    \"b\": {},\n    \"kind\": \"Pod\",\n    \"m\": \"\\u003cx\\u003e\"\n}\n"
        );
    }
}
