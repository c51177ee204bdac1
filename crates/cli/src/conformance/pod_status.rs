//! Checker for `pod_status.jsonl`.
//!
//! The READY/STATUS/RESTARTS rules belong to the apiserver's pod printer, which works on
//! k8s-openapi Pods (`cluster::apiserver::printers`); `machinery` does not model them, so every
//! row is reported as unsupported until that printer exists and a checker is added here.

use serde_json::Value;

use super::Outcome;

pub fn check(_row: &Value) -> Outcome {
    Outcome::Unsupported {
        kind: "printPod: pod printer not in machinery (belongs to the apiserver printers)".into(),
    }
}
