//! `kubectl patch`: strategic merge, JSON merge and JSON patches, on the object or on its
//! `status` / `scale` subresource.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go (v1.34): the patch text may be
//! JSON or YAML (`yaml.ToJSON`), the result prints `<kind>/<name> patched` or
//! `patched (no change)` when the stored object did not change.

use std::sync::Arc;

use api::{KindInfo, Object};
use cluster::apiserver::patch::{self, PatchError, PatchType};
use cluster::apiserver::{PatchOptions, StoreError, UpdateOptions};
use serde_json::Value;

use super::{Ctx, DryRun, printing};
use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::{Env, Outcome};

/// Parses patch text as kubectl does: JSON, else YAML converted to JSON.
///
/// # Errors
/// `unable to parse "<text>": <cause>`.
pub(crate) fn parse_patch(text: &str) -> Result<Value, KubectlError> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Ok(v);
    }
    api::decode::yaml_to_json(text)
        .map_err(|e| KubectlError::msg(format!("unable to parse {text:?}: {e}")))
}

fn patch_type(ctx: &Ctx) -> Result<PatchType, KubectlError> {
    match ctx
        .parsed
        .string("type")
        .unwrap_or("strategic")
        .to_ascii_lowercase()
        .as_str()
    {
        "strategic" => Ok(PatchType::Strategic),
        "merge" => Ok(PatchType::Merge),
        "json" => Ok(PatchType::Json),
        other => Err(KubectlError::msg(format!(
            "--type must be one of [json merge strategic], not {:?}",
            ctx.parsed.string("type").unwrap_or(other)
        ))),
    }
}

/// Runs `kubectl patch`.
///
/// # Errors
/// kubectl's validation errors, parse errors and the store's.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let inline = p.string("patch").unwrap_or("");
    let file = p.string("patch-file").unwrap_or("");
    if !inline.is_empty() && !file.is_empty() {
        return Err(KubectlError::msg(
            "cannot specify --patch and --patch-file together",
        ));
    }
    if inline.is_empty() && file.is_empty() {
        return Err(KubectlError::msg(
            "must specify --patch or --patch-file containing the contents of the patch",
        ));
    }
    let dry = ctx.dry_run()?;
    if p.bool("local") && !p.args.is_empty() {
        return Err(KubectlError::msg(
            "cannot specify --local and server resources",
        ));
    }
    if p.bool("local") && dry == DryRun::Server {
        return Err(KubectlError::msg(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    let ptype = patch_type(ctx)?;
    let subresource = p.string("subresource").unwrap_or("");
    if !subresource.is_empty() && !matches!(subresource, "status" | "scale") {
        return Err(KubectlError::msg(format!(
            "invalid subresource value: {subresource:?}. Must be one of [status scale]"
        )));
    }
    let format = super::get::output_format(p.string("output").unwrap_or(""), env)?;
    let text = if file.is_empty() {
        inline.to_string()
    } else {
        env.files
            .read(file)
            .map_err(|e| KubectlError::msg(format!("unable to read patch file: {e}")))?
    };
    let body = parse_patch(&text)?;
    let cause = super::set::record(ctx, env, out);
    let targets = targets(ctx, env)?;
    if targets.is_empty() {
        return Err(ctx.usage("must specify one or more resources"));
    }
    for (info, name) in targets {
        let ns = ctx.ns_for(info);
        let before = env.store.get(info, ns, &name)?;
        let after = match subresource {
            "" => {
                let mut body = body.clone();
                if let (Some(c), PatchType::Strategic | PatchType::Merge) = (&cause, ptype) {
                    body["metadata"]["annotations"][super::rollout::CHANGE_CAUSE] =
                        Value::String(c.clone());
                }
                if dry == DryRun::Client {
                    Arc::new(locally(&before, ptype, &body)?)
                } else {
                    env.store.patch(
                        info,
                        ns,
                        &name,
                        ptype,
                        &body,
                        &PatchOptions {
                            dry_run: dry == DryRun::Server,
                        },
                    )?
                }
            }
            "status" => {
                let edited = locally(&before, ptype, &body)?;
                if dry == DryRun::Client {
                    Arc::new(edited)
                } else {
                    env.store.update_status(
                        ns,
                        edited,
                        &UpdateOptions {
                            dry_run: dry == DryRun::Server,
                        },
                    )?
                }
            }
            _ => scale(env, info, ns, &name, ptype, &body, dry)?,
        };
        let changed = before.to_value() != after.to_value();
        if !format.is_table() {
            printing::print_structured(&[after], true, &format, out);
            continue;
        }
        let op = if changed {
            "patched"
        } else {
            "patched (no change)"
        };
        out.out(format!(
            "{}/{name} {op}{}",
            info.qualified_kind_lower(),
            dry.suffix()
        ));
    }
    Ok(())
}

/// The objects to patch: `TYPE NAME`, `TYPE/NAME` or `-f FILE`.
fn targets(ctx: &Ctx, env: &mut Env<'_>) -> Result<Vec<(&'static KindInfo, String)>, KubectlError> {
    let mut out = Vec::new();
    let files = ctx.filenames();
    if !files.is_empty() {
        for doc in crate::manifest::read(&files, ctx.parsed.bool("recursive"), env)? {
            let decoded = doc.result.map_err(|e| {
                KubectlError::Raw(crate::manifest::decode_error_text(&e, "patching"))
            })?;
            let obj = decoded.object;
            out.push((obj.kind_info(), obj.name().to_string()));
        }
        return Ok(out);
    }
    for t in resources::resolve_args(&ctx.parsed.args)? {
        match t {
            Target::Named(info, name) => out.push((info, name)),
            Target::All(_) => {
                return Err(KubectlError::msg(
                    "resource(s) were provided, but no name was specified",
                ));
            }
        }
    }
    Ok(out)
}

/// Applies a patch to an object without the server (client dry run, status patches).
fn locally(obj: &Object, ptype: PatchType, body: &Value) -> Result<Object, KubectlError> {
    let mut doc = obj.to_value();
    let r = match ptype {
        PatchType::Json => patch::json::apply(&mut doc, body),
        PatchType::Merge => {
            patch::merge::apply(&mut doc, body);
            Ok(())
        }
        PatchType::Strategic => patch::strategic::apply(&mut doc, body, obj.kind()),
    };
    r.map_err(|e| match e {
        PatchError::Malformed(m) => KubectlError::from(StoreError::BadRequest(m)),
        other => KubectlError::msg(other.to_string()),
    })?;
    Object::from_value(doc).map_err(|e| KubectlError::msg(e.to_string()))
}

/// `--subresource=scale`: the patch applies to the Scale object.
fn scale(
    env: &mut Env<'_>,
    info: &'static KindInfo,
    ns: Option<&str>,
    name: &str,
    ptype: PatchType,
    body: &Value,
    dry: DryRun,
) -> Result<Arc<Object>, KubectlError> {
    let current = env.store.get_scale(info, ns, name)?;
    let mut doc = api::wire::to_value(&current).unwrap_or(Value::Null);
    let r = match ptype {
        PatchType::Json => patch::json::apply(&mut doc, body),
        PatchType::Merge => {
            patch::merge::apply(&mut doc, body);
            Ok(())
        }
        PatchType::Strategic => patch::strategic::apply(&mut doc, body, "Scale"),
    };
    r.map_err(|e| KubectlError::msg(e.to_string()))?;
    let wanted: k8s_openapi::api::autoscaling::v1::Scale =
        api::typed::from_value(&doc).map_err(|e| KubectlError::msg(e.to_string()))?;
    if dry != DryRun::Client {
        env.store.update_scale(
            info,
            ns,
            name,
            &wanted,
            &UpdateOptions {
                dry_run: dry == DryRun::Server,
            },
        )?;
    }
    Ok(env.store.get(info, ns, name)?)
}
