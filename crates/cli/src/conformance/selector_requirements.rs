//! Checker for `selector_requirements.jsonl`: `Requirement::new` errors and strings.

use machinery::labels::Requirement;
use serde_json::Value;

use super::Outcome;
use super::util;

pub fn check(row: &Value) -> Outcome {
    let key = expand(util::str_field(row, "key"));
    let values = util::str_list(row.get("values"));
    let got = Requirement::from_strings(&key, util::str_field(row, "operator"), values);
    let valid = row
        .pointer("/derived/valid")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match (valid, got) {
        (true, Ok(r)) => util::compare(
            row.pointer("/derived/string")
                .and_then(Value::as_str)
                .unwrap_or(""),
            r.to_string().as_str(),
        ),
        (false, Err(e)) => util::compare(
            row.pointer("/derived/error")
                .and_then(Value::as_str)
                .unwrap_or(""),
            e.to_string().as_str(),
        ),
        (true, Err(e)) => Outcome::Fail {
            expected: "valid".into(),
            got: e.to_string(),
        },
        (false, Ok(r)) => Outcome::Fail {
            expected: "an error".into(),
            got: r.to_string(),
        },
    }
}

/// The table writes long keys as `a*254` (the character repeated 254 times).
fn expand(key: &str) -> String {
    if let Some((c, n)) = key.split_once('*')
        && c.chars().count() == 1
        && let Ok(n) = n.parse::<usize>()
    {
        return c.repeat(n);
    }
    key.to_string()
}
