//! Checker for `durations.jsonl`: both HumanDuration and ShortHumanDuration on every row.

use machinery::duration::{human_duration, short_human_duration};
use serde_json::Value;

use super::Outcome;
use super::util;

pub fn check(row: &Value) -> Outcome {
    let Some(nanos) = util::int_field(row, "nanos") else {
        return util::unsupported(row, "no nanos");
    };
    let mut expected = vec![(
        util::str_field(row, "fn").to_string(),
        util::str_field(row, "want").to_string(),
    )];
    if let Some(other) = row.get("derived_other_fn").and_then(Value::as_object) {
        for (f, want) in other {
            expected.push((f.clone(), want.as_str().unwrap_or("").to_string()));
        }
    }
    let mut got = Vec::new();
    for (f, _) in &expected {
        let v = match f.as_str() {
            "HumanDuration" => human_duration(nanos),
            "ShortHumanDuration" => short_human_duration(nanos),
            other => {
                return Outcome::Unsupported {
                    kind: format!("fn {other}"),
                };
            }
        };
        got.push((f.clone(), v));
    }
    util::compare(expected, got)
}
