//! `kubectl apply -f`: client-side apply with the last-applied-configuration annotation.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/apply/{apply.go, patcher.go} (v1.34): a
//! missing object is created with the annotation (`created`); an existing one gets a
//! three-way patch computed from the previous annotation (what to delete), the new
//! configuration and the live object (what to change), sent as a strategic merge patch
//! (`configured`); an empty patch prints `unchanged`.
//!
//! The patch is computed from the file as decoded (not the typed object), as patcher.go
//! does: see `threeway` for the rules (keyed lists element by element, `$setElementOrder`
//! when a keyed list's contents or order changed). The live object is as the server's JSON
//! shows it (the store keeps objects so, `api::omitempty`): a zero value the file spells out
//! and Go's encoding leaves out (`readOnly: false`, `args: []`) is a change on every apply,
//! as upstream.

use cluster::apiserver::PatchOptions;
use cluster::apiserver::patch::PatchType;
use serde_json::{Map, Value};

use super::create::{self, LAST_APPLIED, print_result, server_error};
use super::threeway::three_way;
use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::{Env, Outcome, manifest};

/// Runs `kubectl apply`.
///
/// # Errors
/// Usage errors; per-object failures are printed and set the exit status.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let filenames = ctx.filenames();
    if filenames.is_empty() {
        return Err(KubectlError::msg("must specify one of -f and -k"));
    }
    if !p.args.is_empty() {
        return Err(ctx.usage(format!("Unexpected args: [{}]", p.args.join(" "))));
    }
    if p.bool("server-side") {
        return Err(KubectlError::msg(
            "--server-side is not available in this lab; use client-side apply",
        ));
    }
    let format = super::get::output_format(p.string("output").unwrap_or(""), env)?;
    let dry = ctx.dry_run()?;
    for doc in manifest::read(&filenames, p.bool("recursive"), env)? {
        let decoded = match doc.result {
            Ok(d) => d,
            Err(e) => {
                out.err(manifest::decode_error_text(&e, "creating"));
                out.exit_code = 1;
                continue;
            }
        };
        if let Err(e) = apply_one(
            decoded.object,
            &decoded.value,
            &doc.source,
            ctx,
            env,
            out,
            dry,
            &format,
        ) {
            out.err(e.to_string());
            out.exit_code = 1;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn apply_one(
    mut obj: api::Object,
    doc: &Value,
    source: &str,
    ctx: &Ctx,
    env: &mut Env<'_>,
    out: &mut Outcome,
    dry: DryRun,
    format: &crate::render::OutputFormat,
) -> Result<(), KubectlError> {
    let info = obj.kind_info();
    let ns = create::object_namespace(&obj, ctx)?;
    let ns = info.namespaced.then_some(ns);
    let config = create::last_applied_text(doc, ns.as_deref());
    create::set_annotation(&mut obj, LAST_APPLIED, &config);
    let live = match env.store.get(info, ns.as_deref(), obj.name()) {
        Ok(l) => l,
        Err(e) if e.reason() == "NotFound" => {
            create::send(obj, ctx, env, out, dry, format, Some(source)).map_err(|e| match e {
                KubectlError::Server { source: se } => server_error(se, "creating", Some(source)),
                other => other,
            })?;
            return Ok(());
        }
        Err(e) => {
            return Err(server_error(
                e,
                "retrieving current configuration of",
                Some(source),
            ));
        }
    };
    let live_value = live.to_value();
    let original: Option<Value> = live
        .meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(|s| serde_json::from_str(s).ok());
    if original.is_none() {
        out.err(format!(
            "Warning: resource {}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
            info.plural,
            obj.name()
        ));
    }
    let modified = modified_config(doc, ns.as_deref(), &config);
    let mut patch = three_way(original.as_ref(), &modified, &live_value);
    strip_identity(&mut patch);
    let empty = patch.as_object().is_none_or(Map::is_empty);
    if empty {
        print_result(&live, "unchanged", dry, format, out);
        return Ok(());
    }
    if dry == DryRun::Client {
        print_result(&live, "configured", dry, format, out);
        return Ok(());
    }
    let patched = env
        .store
        .patch(
            info,
            ns.as_deref(),
            obj.name(),
            PatchType::Strategic,
            &patch,
            &PatchOptions {
                dry_run: dry == DryRun::Server,
            },
        )
        .map_err(|e| server_error(e, "applying patch", Some(source)))?;
    print_result(&patched, "configured", dry, format, out);
    Ok(())
}

/// What `kubectl apply` would make of `obj`, by the same patch sent as a server dry run
/// (diff.go `InfoObject.Merged`): the live object, if any, and the result. A new object is
/// a dry-run create; an empty patch leaves the live object as it is.
///
/// # Errors
/// The store's errors in kubectl's words.
pub(super) fn dry_run_merged(
    mut obj: api::Object,
    doc: &Value,
    source: &str,
    ctx: &Ctx,
    env: &mut Env<'_>,
) -> Result<(Option<std::sync::Arc<api::Object>>, std::sync::Arc<api::Object>), KubectlError> {
    let info = obj.kind_info();
    let ns = create::object_namespace(&obj, ctx)?;
    let ns = info.namespaced.then_some(ns);
    let config = create::last_applied_text(doc, ns.as_deref());
    create::set_annotation(&mut obj, LAST_APPLIED, &config);
    let live = match env.store.get(info, ns.as_deref(), obj.name()) {
        Ok(l) => l,
        Err(e) if e.reason() == "NotFound" => {
            let created = env
                .store
                .create(
                    ns.as_deref(),
                    obj,
                    &cluster::apiserver::CreateOptions { dry_run: true },
                )
                .map_err(|e| server_error(e, "creating", Some(source)))?;
            return Ok((None, created));
        }
        Err(e) => {
            return Err(server_error(
                e,
                "retrieving current configuration of",
                Some(source),
            ));
        }
    };
    let original: Option<Value> = live
        .meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(|s| serde_json::from_str(s).ok());
    let modified = modified_config(doc, ns.as_deref(), &config);
    let mut patch = three_way(original.as_ref(), &modified, &live.to_value());
    strip_identity(&mut patch);
    if patch.as_object().is_none_or(Map::is_empty) {
        return Ok((Some(live.clone()), live));
    }
    let merged = env
        .store
        .patch(
            info,
            ns.as_deref(),
            obj.name(),
            PatchType::Strategic,
            &patch,
            &PatchOptions { dry_run: true },
        )
        .map_err(|e| server_error(e, "applying patch", Some(source)))?;
    Ok((Some(live), merged))
}

/// patcher.go's `modified`: the file as decoded, with the builder's namespace and the new
/// last-applied annotation (util.GetModifiedConfiguration).
fn modified_config(doc: &Value, namespace: Option<&str>, config: &str) -> Value {
    let mut v = doc.clone();
    if let Some(obj) = v.as_object_mut() {
        let meta = obj
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if !meta.is_object() {
            *meta = Value::Object(Map::new());
        }
        if let Some(meta) = meta.as_object_mut() {
            if let Some(ns) = namespace {
                meta.insert("namespace".into(), Value::String(ns.to_string()));
            }
            let ann = meta
                .entry("annotations")
                .or_insert_with(|| Value::Object(Map::new()));
            if !ann.is_object() {
                *ann = Value::Object(Map::new());
            }
            if let Some(a) = ann.as_object_mut() {
                a.insert(LAST_APPLIED.into(), Value::String(config.to_string()));
            }
        }
    }
    v
}

/// `apiVersion` and `kind` never need patching; `metadata.name` neither.
fn strip_identity(patch: &mut Value) {
    if let Some(p) = patch.as_object_mut() {
        p.remove("apiVersion");
        p.remove("kind");
        if let Some(meta) = p.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("name");
            meta.remove("namespace");
            if meta.is_empty() {
                p.remove("metadata");
            }
        }
    }
}
