//! Small helpers shared by the table checkers.

use serde_json::Value;

use super::Outcome;

/// A one-line description of a row for failure output (without its provenance fields).
pub fn summary(row: &Value) -> String {
    let mut v = row.clone();
    if let Some(obj) = v.as_object_mut() {
        for k in [
            "source",
            "derived_by",
            "verified_by",
            "note",
            "semantics",
            "parser",
        ] {
            obj.remove(k);
        }
    }
    let s = v.to_string();
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s
    }
}

/// Compares two displayable values.
pub fn compare<T: PartialEq + std::fmt::Debug>(expected: T, got: T) -> Outcome {
    if expected == got {
        Outcome::Pass
    } else {
        Outcome::Fail {
            expected: format!("{expected:?}"),
            got: format!("{got:?}"),
        }
    }
}

/// A string field, or "" when absent.
pub fn str_field<'a>(row: &'a Value, key: &str) -> &'a str {
    row.get(key).and_then(Value::as_str).unwrap_or("")
}

/// An integer field.
pub fn int_field(row: &Value, key: &str) -> Option<i64> {
    row.get(key).and_then(Value::as_i64)
}

/// The row's `kind`, for unsupported reports.
pub fn unsupported(row: &Value, what: &str) -> Outcome {
    let kind = row.get("kind").and_then(Value::as_str).unwrap_or("row");
    Outcome::Unsupported {
        kind: format!("{kind}: {what}"),
    }
}

/// A string list field.
pub fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A `{string: string}` object as an ordered map.
pub fn str_map(v: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}
