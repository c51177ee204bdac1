//! What the API server's conversion of a patched object rejects: a quantity that does not
//! parse. Upstream the patched map is converted into the typed object (strategic merge patch:
//! `DefaultUnstructuredConverter.FromUnstructuredWithValidation`; JSON and merge patches:
//! `runtime.DecodeInto`), and a failure there is an Invalid error on the field `patch` whose
//! value is the patch map printed with Go's `%+v` (strategic) or the patched object's JSON
//! (apiserver pkg/endpoints/handlers/patch.go, v1.34).
//!
//! Deliberate gap: for JSON and merge patches the patched object's JSON is kubelab's (no
//! `managedFields`), so that value differs from upstream's.

use api::{InvalidError, Object};
use machinery::validation::field::{ErrorList, FieldError, quote};
use serde_json::Value;

use super::PatchType;

/// The Invalid error for a patched object with an unparsable quantity, if it has one.
pub fn check(
    obj: &mut Object,
    patch_type: PatchType,
    patch: &Value,
    patched: &Value,
) -> Option<InvalidError> {
    let err = api::quantities::first_unparsable(obj)?;
    let value = match patch_type {
        PatchType::Strategic => go_value(patch),
        PatchType::Json | PatchType::Merge => serde_json::to_string(patched).unwrap_or_default(),
    };
    Some(InvalidError {
        kind: "",
        group: "",
        name: String::new(),
        errors: ErrorList(vec![FieldError::invalid(
            "patch",
            quote(&value),
            err.to_string(),
        )]),
    })
}

/// A JSON value as Go's `fmt.Sprintf("%+v", v)` prints the `map[string]interface{}` it
/// decodes to (integers kept as int64): `map[k:v …]` with sorted keys, `[a b]`, bare strings.
pub fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (None, Some(u), _) => u.to_string(),
            (None, None, Some(f)) => go_float(f),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(go_value).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Go's `%v` of a float64 (strconv's shortest `%g`): the shortest digits, in exponent form
/// (`1e+06`, at least two exponent digits) when the exponent is below -4 or at least 6.
fn go_float(f: f64) -> String {
    if f == 0.0 || !f.is_finite() {
        return format!("{f}");
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn prints_like_go_percent_plus_v() {
        let cases = [
            (
                json!({"spec": {"b": 1, "a": [{"x": "10 Mi"}, true, null]}}),
                "map[spec:map[a:[map[x:10 Mi] true <nil>] b:1]]",
            ),
            (json!(0.5), "0.5"),
            (json!(1e21), "1e+21"),
            (json!(1e6), "1e+06"),
            (json!(123456.5), "123456.5"),
            (json!(1.5e-7), "1.5e-07"),
        ];
        for (input, want) in cases {
            assert_eq!(go_value(&input), want, "{input}");
        }
    }
}
