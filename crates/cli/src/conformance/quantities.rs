//! Checker for `quantities.jsonl`: canonical string, format, Value(), MilliValue(), errors and
//! comparisons, all against the executed v1.34 results in `derived`.

use machinery::quantity::Quantity;
use serde_json::Value;

use super::Outcome;
use super::util;

pub fn check(row: &Value) -> Outcome {
    let input = util::str_field(row, "input");
    let parsed = Quantity::parse(input);
    if let Some(want_err) = row.pointer("/derived/error").and_then(Value::as_str) {
        return match parsed {
            Err(e) => util::compare(want_err, e.to_string().as_str()),
            Ok(q) => Outcome::Fail {
                expected: want_err.into(),
                got: format!("parsed as {q}"),
            },
        };
    }
    let q = match parsed {
        Ok(q) => q,
        Err(e) => {
            return Outcome::Fail {
                expected: "valid".into(),
                got: e.to_string(),
            };
        }
    };
    let d = |k: &str| {
        row.pointer(&format!("/derived/{k}"))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let expected = (
        d("canonical").as_str().unwrap_or("").to_string(),
        d("format").as_str().unwrap_or("").to_string(),
        d("value").as_i64(),
        d("milli_value").as_i64(),
    );
    let got = (
        q.to_string(),
        q.format().to_string(),
        Some(q.value()),
        Some(q.milli_value()),
    );
    if expected != got {
        return util::compare(expected, got);
    }
    if let (Some(other), Some(cmp)) = (
        row.get("other").and_then(Value::as_str),
        util::int_field(row, "expect_cmp"),
    ) {
        let Ok(o) = Quantity::parse(other) else {
            return Outcome::Fail {
                expected: format!("{other} parses"),
                got: "error".into(),
            };
        };
        let got = match q.cmp(&o) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        };
        return util::compare(cmp, got);
    }
    Outcome::Pass
}
