//! Checker for `selectors.jsonl`: parse → validity, canonical string or error, matches.
//!
//! kubelab targets v1.34, so the `derived` (v1.28–v1.34) result is the expectation and
//! `derived_v1_35` is ignored.

use machinery::labels;
use serde_json::Value;

use super::Outcome;
use super::util;

pub fn check(row: &Value) -> Outcome {
    let selector = util::str_field(row, "selector");
    let valid = row
        .pointer("/derived/valid")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match (valid, labels::parse(selector)) {
        (true, Ok(sel)) => {
            let want = row
                .pointer("/derived/string")
                .and_then(Value::as_str)
                .unwrap_or("");
            if sel.to_string() != want {
                return util::compare(want.to_string(), sel.to_string());
            }
            let sets: Vec<_> = row
                .get("sets")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let want_matches: Vec<bool> = row
                .pointer("/derived/matches")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|b| b.as_bool().unwrap_or(false)).collect())
                .unwrap_or_default();
            let got: Vec<bool> = sets
                .iter()
                .map(|s| sel.matches(&util::str_map(Some(s))))
                .collect();
            if want_matches.is_empty() {
                Outcome::Pass
            } else {
                util::compare(want_matches, got)
            }
        }
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
        (false, Ok(s)) => Outcome::Fail {
            expected: "an error".into(),
            got: format!("parsed as {s:?}"),
        },
    }
}
