//! `Store::patch`: the three patch types kubectl sends, applied to the stored object's JSON and
//! stored through the update pipeline (so defaults, validation, generation and optimistic
//! concurrency apply exactly as for an update).
//!
//! Mirrors apiserver pkg/endpoints/handlers/patch.go (v1.34) for JSON patch (RFC 6902), JSON
//! merge patch (RFC 7386) and strategic merge patch (apimachinery strategicpatch, with the
//! merge keys of the core types kubectl patches).

mod decode;
pub mod json;
pub mod merge;
pub mod strategic;

use std::sync::Arc;

use api::{KindInfo, Object};
use serde_json::Value;

use super::error::StoreError;
use super::options::PatchOptions;
use super::store::Store;

/// The `Content-Type` of a patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// `application/json-patch+json`
    Json,
    /// `application/merge-patch+json`
    Merge,
    /// `application/strategic-merge-patch+json`
    Strategic,
}

/// Why a patch could not be applied; Display is the server's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    #[error("{0}")]
    Malformed(String),
    #[error("the server rejected our request due to an error in our request")]
    TestFailed,
}

impl Store {
    /// Patches an object and stores the result like an update (a `resourceVersion` in the
    /// patch makes it conditional).
    ///
    /// # Errors
    /// NotFound, BadRequest for a malformed patch or a result that is no longer an object of
    /// the kind, Invalid, Conflict.
    pub fn patch(
        &mut self,
        info: &KindInfo,
        ns: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &PatchOptions,
    ) -> Result<Arc<Object>, StoreError> {
        self.warn_request(info);
        self.authorize_request("patch", info, ns, name)?;
        // The patch's own reads and writes are part of the one authorized request.
        self.as_system(|s| s.patch_authorized(info, ns, name, patch_type, patch, opts))
            .map(|o| super::versions::as_served(info, o))
    }

    fn patch_authorized(
        &mut self,
        info: &KindInfo,
        ns: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &PatchOptions,
    ) -> Result<Arc<Object>, StoreError> {
        let current = self.get(info, ns, name)?;
        let mut doc = current.to_value();
        let result = match patch_type {
            PatchType::Json => json::apply(&mut doc, patch),
            PatchType::Merge => {
                merge::apply(&mut doc, patch);
                Ok(())
            }
            PatchType::Strategic => strategic::apply(&mut doc, patch, info.kind),
        };
        result.map_err(|e| match e {
            PatchError::TestFailed => StoreError::Invalid(api::InvalidError {
                kind: info.kind,
                group: info.group,
                name: name.to_string(),
                errors: machinery::validation::field::ErrorList::new(),
            }),
            PatchError::Malformed(m) => StoreError::BadRequest(m),
        })?;
        // The patch may not move the object to another kind, name or namespace.
        if let Value::Object(map) = &mut doc {
            map.insert("apiVersion".into(), Value::String(info.api_version()));
            map.insert("kind".into(), Value::String(info.kind.into()));
        }
        let mut obj =
            Object::from_value(doc.clone()).map_err(|e| StoreError::BadRequest(e.to_string()))?;
        if let Some(invalid) = decode::check(&mut obj, patch_type, patch, &doc) {
            return Err(StoreError::Invalid(invalid));
        }
        if obj.name() != name {
            return Err(StoreError::BadRequest(format!(
                "the name of the object ({}) does not match the name on the URL ({name})",
                obj.name()
            )));
        }
        obj.meta_mut().namespace = current.meta().namespace.clone();
        self.update_inner(ns, obj, opts.dry_run, false)
    }
}

#[cfg(test)]
mod tests;
