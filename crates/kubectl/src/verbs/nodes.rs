//! `kubectl cordon`, `uncordon` and `taint`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/drain/{cordon.go, uncordon.go} and
//! cmd/taint/taint.go (v1.34): `node/x cordoned`, `already cordoned`, `node/x tainted`,
//! `untainted`.

use cluster::apiserver::PatchOptions;
use cluster::apiserver::patch::PatchType;
use k8s_openapi::api::core::v1 as corev1;
use serde_json::json;

use super::Ctx;
use crate::errors::KubectlError;
use crate::{Env, Outcome};

fn node_info() -> Result<&'static api::KindInfo, KubectlError> {
    api::by_gvk("v1", "Node")
        .ok_or_else(|| KubectlError::msg("the server doesn't have a resource type \"nodes\""))
}

/// Runs `cordon` or `uncordon`.
///
/// # Errors
/// NotFound and usage errors.
pub fn cordon(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let want = ctx.path.ends_with(" cordon");
    let info = node_info()?;
    let selector = ctx.parsed.string("selector").unwrap_or("");
    if ctx.parsed.args.is_empty() && !ctx.parsed.has("selector") {
        return Err(ctx.usage("USAGE: cordon NODE [flags]"));
    }
    if !ctx.parsed.args.is_empty() && !selector.is_empty() {
        return Err(ctx.usage("error: cannot specify both a node name and a --selector option"));
    }
    // cordon.go: `--selector` names the nodes by label.
    let names: Vec<String> = if ctx.parsed.args.is_empty() {
        env.store
            .list(
                info,
                None,
                &cluster::apiserver::ListOptions {
                    label_selector: selector.to_string(),
                    ..Default::default()
                },
            )?
            .items
            .iter()
            .map(|o| o.name().to_string())
            .collect()
    } else {
        ctx.parsed.args.clone()
    };
    if names.is_empty() {
        out.err("No resources found");
    }
    for name in &names {
        let node = env.store.get(info, None, name)?;
        let cur = match &*node {
            api::Object::Node(n) => n
                .spec
                .as_ref()
                .and_then(|s| s.unschedulable)
                .unwrap_or(false),
            _ => false,
        };
        let word = if want { "cordoned" } else { "uncordoned" };
        if cur == want {
            out.out(format!("node/{name} already {word}"));
            continue;
        }
        let body = if want {
            json!({"spec": {"unschedulable": true}})
        } else {
            json!({"spec": {"unschedulable": null}})
        };
        env.store.patch(
            info,
            None,
            name,
            PatchType::Strategic,
            &body,
            &PatchOptions::default(),
        )?;
        out.out(format!("node/{name} {word}"));
    }
    Ok(())
}

/// Runs `kubectl taint nodes NAME key=value:Effect|key:Effect-`.
///
/// # Errors
/// kubectl's taint errors.
pub fn taint(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let info = node_info()?;
    let args = &ctx.parsed.args;
    let (names, specs): (Vec<&String>, Vec<&String>) = match args.first().map(String::as_str) {
        Some("node") | Some("nodes") | Some("no") => {
            let rest: Vec<&String> = args[1..].iter().collect();
            let split = rest
                .iter()
                .position(|a| a.contains(':') || a.contains('=') || a.ends_with('-'))
                .unwrap_or(rest.len());
            (rest[..split].to_vec(), rest[split..].to_vec())
        }
        Some(other) if other.starts_with("node/") || other.starts_with("nodes/") => {
            (vec![&args[0]], args[1..].iter().collect())
        }
        Some(other) => {
            return Err(KubectlError::msg(format!(
                "invalid resource type {other}, only node types are supported"
            )));
        }
        None => return Err(ctx.usage("at least one taint update is required")),
    };
    if specs.is_empty() {
        return Err(ctx.usage("at least one taint update is required"));
    }
    for raw in names {
        let name = raw.rsplit('/').next().unwrap_or(raw);
        let node = env.store.get(info, None, name)?;
        let api::Object::Node(n) = &*node else {
            continue;
        };
        let mut taints: Vec<corev1::Taint> = n
            .spec
            .as_ref()
            .and_then(|s| s.taints.clone())
            .unwrap_or_default();
        let mut removed = false;
        for spec in &specs {
            if let Some(s) = spec.strip_suffix('-') {
                let (key, effect) = match s.split_once(':') {
                    Some((k, e)) => (k.split('=').next().unwrap_or(k), Some(e)),
                    None => (s.split('=').next().unwrap_or(s), None),
                };
                let before = taints.len();
                taints.retain(|t| !(t.key == key && effect.is_none_or(|e| t.effect == e)));
                if taints.len() == before {
                    return Err(KubectlError::msg(format!("taint {s:?} not found")));
                }
                removed = true;
            } else {
                let Some((kv, effect)) = spec.split_once(':') else {
                    return Err(KubectlError::msg(format!(
                        "invalid taint spec: {spec}, unknown taint effect"
                    )));
                };
                if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                    return Err(KubectlError::msg(format!(
                        "invalid taint effect: {effect}, unsupported taint effect"
                    )));
                }
                let (key, value) = match kv.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (kv, None),
                };
                if let Some(t) = taints
                    .iter_mut()
                    .find(|t| t.key == key && t.effect == effect)
                {
                    if !ctx.parsed.bool("overwrite") {
                        return Err(KubectlError::msg(format!(
                            "node {name} already has {key} taint(s) with same effect(s) and --overwrite is false"
                        )));
                    }
                    t.value = value;
                } else {
                    taints.push(corev1::Taint {
                        key: key.to_string(),
                        value,
                        effect: effect.to_string(),
                        time_added: None,
                    });
                }
            }
        }
        let body = json!({"spec": {"taints": taints}});
        env.store.patch(
            info,
            None,
            name,
            PatchType::Merge,
            &body,
            &PatchOptions::default(),
        )?;
        out.out(format!(
            "node/{name} {}",
            if removed { "untainted" } else { "tainted" }
        ));
    }
    Ok(())
}
