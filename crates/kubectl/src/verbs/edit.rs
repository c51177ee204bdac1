//! `kubectl edit`: the object opens in the lab's editor; saving applies it.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go (v1.34): the buffer
//! starts with kubectl's comment header; on save, comment lines are dropped, an empty or
//! unchanged buffer cancels (`Edit cancelled, no changes made.`), otherwise the object is
//! updated and `deployment.apps/web edited` printed.

use api::Object;
use cluster::apiserver::UpdateOptions;

use super::Ctx;
use super::printing::{name_of, object_value};
use crate::errors::KubectlError;
use crate::render::yaml;
use crate::resources::{self, Target};
use crate::{EditRequest, Env, Outcome};

const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// Runs `kubectl edit TYPE NAME`.
///
/// # Errors
/// Usage errors and NotFound.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let targets = resources::resolve_args(&ctx.parsed.args)?;
    let Some(Target::Named(info, name)) = targets.into_iter().next() else {
        return Err(KubectlError::msg(
            "edit requires a resource type and a name, e.g. kubectl edit deployment web",
        ));
    };
    let obj = env.store.get(info, ctx.ns_for(info), &name)?;
    let text = format!("{HEADER}{}", yaml::to_yaml(&object_value(&obj)));
    out.edit = Some(EditRequest {
        title: name_of(&obj),
        text,
        namespace: obj.namespace().map(str::to_string),
    });
    Ok(())
}

/// Applies a saved edit buffer.
///
/// # Errors
/// Decode and store errors.
pub fn save(text: &str, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    if body.trim().is_empty() {
        out.out("Edit cancelled, no changes made.");
        return Ok(());
    }
    let decoded =
        api::decode_one(&body, "edited file").map_err(|e| KubectlError::msg(e.to_string()))?;
    let obj: Object = decoded.object;
    let info = obj.kind_info();
    let ns = obj.namespace().map(str::to_string);
    let current = env.store.get(info, ns.as_deref(), obj.name())?;
    if object_value(&current) == object_value(&obj) {
        out.out("Edit cancelled, no changes made.");
        return Ok(());
    }
    let updated = env
        .store
        .update(ns.as_deref(), obj, &UpdateOptions::default())?;
    out.out(format!("{} edited", name_of(&updated)));
    Ok(())
}
