//! `kubectl set image` and `kubectl rollout …`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go and cmd/rollout/*.go
//! (v1.34). `set image`, `pause`, `resume` and `restart` are patches to the pod template or
//! `spec.paused`; `status`, `history` and `undo` need the Deployment controller's revisions
//! and report that plainly until it runs in the simulation.

use cluster::apiserver::PatchOptions;
use cluster::apiserver::patch::PatchType;
use serde_json::{Value, json};

use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::{Env, Outcome};

/// Runs `kubectl set image`.
///
/// # Errors
/// Usage errors, unknown containers and the store's errors.
pub fn set_image(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let split = p
        .args
        .iter()
        .position(|a| a.contains('='))
        .unwrap_or(p.args.len());
    let (res, images) = p.args.split_at(split);
    if res.is_empty() || images.is_empty() {
        return Err(ctx.usage("one or more resources and container=image pairs must be specified"));
    }
    let dry = ctx.dry_run()?;
    for t in resources::resolve_args(res)? {
        let Target::Named(info, name) = t else {
            return Err(KubectlError::msg(
                "resource(s) were provided, but no name was specified",
            ));
        };
        let ns = ctx.ns_for(info);
        let obj = env.store.get(info, ns, &name)?;
        let v = obj.to_value();
        let (path, containers) = match v.pointer("/spec/template/spec/containers") {
            Some(c) => ("template", c.clone()),
            None => (
                "pod",
                v.pointer("/spec/containers").cloned().unwrap_or(json!([])),
            ),
        };
        let names: Vec<String> = containers
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
            .collect();
        let mut patch_containers = Vec::new();
        for pair in images {
            let Some((c, image)) = pair.split_once('=') else {
                continue;
            };
            if c == "*" {
                for n in &names {
                    patch_containers.push(json!({"name": n, "image": image}));
                }
            } else if names.iter().any(|n| n == c) {
                patch_containers.push(json!({"name": c, "image": image}));
            } else {
                return Err(KubectlError::msg(format!(
                    "unable to find container named \"{c}\""
                )));
            }
        }
        let body = if path == "template" {
            json!({"spec": {"template": {"spec": {"containers": patch_containers}}}})
        } else {
            json!({"spec": {"containers": patch_containers}})
        };
        if dry != DryRun::Client {
            env.store.patch(
                info,
                ns,
                &name,
                PatchType::Strategic,
                &body,
                &PatchOptions {
                    dry_run: dry == DryRun::Server,
                },
            )?;
        }
        out.out(format!(
            "{}/{name} image updated{}",
            info.qualified_kind_lower(),
            dry.suffix()
        ));
    }
    Ok(())
}

/// Runs the `rollout` subcommands.
///
/// # Errors
/// Usage errors and the store's errors.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let sub = ctx.path.rsplit(' ').next().unwrap_or("");
    if p.args.is_empty() {
        return Err(ctx.usage("required resource not specified"));
    }
    for t in resources::resolve_args(&p.args)? {
        let Target::Named(info, name) = t else {
            return Err(KubectlError::msg(
                "resource(s) were provided, but no name was specified",
            ));
        };
        let ns = ctx.ns_for(info);
        let kind = info.qualified_kind_lower();
        match sub {
            "pause" | "resume" => {
                let obj = env.store.get(info, ns, &name)?;
                let paused = obj
                    .to_value()
                    .pointer("/spec/paused")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let want = sub == "pause";
                if paused == want {
                    return Err(KubectlError::msg(format!(
                        "{}s \"{name}\" is already {}",
                        info.kind.to_lowercase(),
                        if want { "paused" } else { "resumed" }
                    )));
                }
                env.store.patch(
                    info,
                    ns,
                    &name,
                    PatchType::Strategic,
                    &json!({"spec": {"paused": want}}),
                    &PatchOptions::default(),
                )?;
                out.out(format!(
                    "{kind}/{name} {}",
                    if want { "paused" } else { "resumed" }
                ));
            }
            "restart" => {
                let at = env.store.now().to_time();
                let stamp = serde_json::to_value(&at).unwrap_or(Value::Null);
                let body = json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}});
                env.store.patch(
                    info,
                    ns,
                    &name,
                    PatchType::Strategic,
                    &body,
                    &PatchOptions::default(),
                )?;
                out.out(format!("{kind}/{name} restarted"));
            }
            _ => {
                env.store.get(info, ns, &name)?;
                return Err(KubectlError::msg(format!(
                    "rollout {sub} is not available in this lab yet: the Deployment controller that keeps revisions is still being built"
                )));
            }
        }
    }
    Ok(())
}
