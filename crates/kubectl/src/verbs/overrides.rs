//! `--overrides` and `--override-type` of `kubectl run` and `kubectl expose`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/util/override_options.go (v1.34): the generated
//! object, as JSON, is patched with the inline JSON before it is sent — a JSON merge patch by
//! default, or a strategic merge patch or a JSON patch.

use cluster::apiserver::patch;
use serde_json::Value;

use crate::errors::KubectlError;
use crate::parse::Parsed;

/// The generated object with `--overrides` applied (unchanged without the flag).
///
/// # Errors
/// An unknown `--override-type`, overrides that are not JSON, a patch that does not apply.
pub fn apply(p: &Parsed, generated: Value, kind: &str) -> Result<Value, KubectlError> {
    let override_type = p.string("override-type").unwrap_or("merge");
    if !matches!(override_type, "json" | "merge" | "strategic") {
        return Err(KubectlError::msg(format!(
            "--override-type must be one of (json, merge, strategic), got {override_type}"
        )));
    }
    let Some(text) = p.string("overrides").filter(|s| !s.is_empty()) else {
        return Ok(generated);
    };
    let overrides: Value = serde_json::from_str(text).map_err(|_| {
        KubectlError::msg(match override_type {
            // evanphx/json-patch's errBadJSONPatch / errBadJSONDoc
            "merge" => "Invalid JSON Patch".to_string(),
            "json" => "invalid JSON Patch".to_string(),
            _ => "invalid JSON document".to_string(),
        })
    })?;
    let mut doc = generated;
    match override_type {
        "merge" => patch::merge::apply(&mut doc, &overrides),
        "json" => patch::json::apply(&mut doc, &overrides)
            .map_err(|e| KubectlError::msg(e.to_string()))?,
        _ => patch::strategic::apply(&mut doc, &overrides, kind)
            .map_err(|e| KubectlError::msg(e.to_string()))?,
    }
    Ok(doc)
}
