//! Checker for `cron` rows.

use serde_json::Value;

use super::Outcome;
use super::util;

pub fn check(row: &Value) -> Outcome {
    util::unsupported(row, "not yet modeled")
}
