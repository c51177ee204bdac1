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
        let old: Vec<corev1::Taint> = n
            .spec
            .as_ref()
            .and_then(|s| s.taints.clone())
            .unwrap_or_default();
        let mut to_add: Vec<corev1::Taint> = Vec::new();
        let mut to_remove: Vec<(String, Option<String>)> = Vec::new();
        for spec in &specs {
            if let Some(s) = spec.strip_suffix('-') {
                let (key, effect) = match s.split_once(':') {
                    Some((k, e)) => (k.split('=').next().unwrap_or(k), Some(e.to_string())),
                    None => (s.split('=').next().unwrap_or(s), None),
                };
                to_remove.push((key.to_string(), effect));
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
                to_add.push(corev1::Taint {
                    key: key.to_string(),
                    value,
                    effect: effect.to_string(),
                    time_added: None,
                });
            }
        }
        let overwrite = ctx.parsed.bool("overwrite");
        if !overwrite {
            // checkIfTaintsAlreadyExists
            let existing: Vec<&str> = to_add
                .iter()
                .filter(|t| old.iter().any(|o| o.key == t.key && o.effect == t.effect))
                .map(|t| t.key.as_str())
                .collect();
            if !existing.is_empty() {
                return Err(KubectlError::msg(format!(
                    "node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                    existing.join(",")
                )));
            }
        }
        let (word, taints) = reorganize_taints(&old, overwrite, to_add, &to_remove)?;
        // An empty list is omitted from kubectl's JSON, so the merge patch removes the field.
        let body = if taints.is_empty() {
            json!({"spec": {"taints": null}})
        } else {
            json!({"spec": {"taints": taints}})
        };
        env.store.patch(
            info,
            None,
            name,
            PatchType::Merge,
            &body,
            &PatchOptions::default(),
        )?;
        out.out(format!("node/{name} {word}"));
    }
    Ok(())
}

/// Mirrors taint/utils.go `reorganizeTaints`: the added taints first, then the old ones they
/// do not replace (same key and effect), less the removed ones (by key, or key and effect).
/// The word is `modified` when taints were both added and removed or with `--overwrite`,
/// `tainted` when some were added, `untainted` otherwise.
fn reorganize_taints(
    old: &[corev1::Taint],
    overwrite: bool,
    to_add: Vec<corev1::Taint>,
    to_remove: &[(String, Option<String>)],
) -> Result<(&'static str, Vec<corev1::Taint>), KubectlError> {
    let mut taints = to_add;
    for o in old {
        if !taints
            .iter()
            .any(|t| t.key == o.key && t.effect == o.effect)
        {
            taints.push(o.clone());
        }
    }
    let added = old.len() != taints.len();
    let mut errs = Vec::new();
    // deleteTaints reports whether the last removal removed anything.
    let mut deleted = false;
    for (key, effect) in to_remove {
        let before = taints.len();
        taints.retain(|t| !(t.key == *key && effect.as_ref().is_none_or(|e| t.effect == *e)));
        deleted = taints.len() != before;
        if !deleted {
            // Taint.ToString of a key and an optional effect.
            let shown = match effect {
                Some(e) => format!("{key}:{e}"),
                None => key.clone(),
            };
            errs.push(format!("taint {shown:?} not found"));
        }
    }
    match errs.len() {
        0 => {}
        1 => return Err(KubectlError::msg(errs.remove(0))),
        _ => return Err(KubectlError::msg(format!("[{}]", errs.join(", ")))),
    }
    let word = if (added && deleted) || overwrite {
        "modified"
    } else if added {
        "tainted"
    } else {
        "untainted"
    };
    Ok((word, taints))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: &str) -> corev1::Taint {
        corev1::Taint {
            key: key.into(),
            value: (!value.is_empty()).then(|| value.into()),
            effect: effect.into(),
            time_added: None,
        }
    }

    fn shown(taints: &[corev1::Taint]) -> Vec<String> {
        taints
            .iter()
            .map(|t| {
                format!(
                    "{}={}:{}",
                    t.key,
                    t.value.as_deref().unwrap_or(""),
                    t.effect
                )
            })
            .collect()
    }

    // taint/utils_test.go TestReorganizeTaints (v1.34): the added taints come first.
    #[test]
    fn reorganize_taints_puts_new_taints_first_and_names_the_operation() {
        let old = vec![taint("a", "1", "NoSchedule"), taint("b", "", "NoExecute")];
        let none: Vec<(String, Option<String>)> = Vec::new();
        let (word, got) =
            reorganize_taints(&old, false, vec![taint("c", "", "NoExecute")], &none).expect("ok");
        assert_eq!(word, "tainted");
        assert_eq!(
            shown(&got),
            ["c=:NoExecute", "a=1:NoSchedule", "b=:NoExecute"]
        );

        let (word, got) =
            reorganize_taints(&old, true, vec![taint("b", "2", "NoExecute")], &none).expect("ok");
        assert_eq!(word, "modified");
        assert_eq!(shown(&got), ["b=2:NoExecute", "a=1:NoSchedule"]);

        let remove_b = vec![("b".to_string(), None)];
        let (word, got) = reorganize_taints(&old, false, Vec::new(), &remove_b).expect("ok");
        assert_eq!(word, "untainted");
        assert_eq!(shown(&got), ["a=1:NoSchedule"]);

        let (word, _) =
            reorganize_taints(&old, false, vec![taint("c", "", "NoExecute")], &remove_b)
                .expect("ok");
        assert_eq!(word, "modified");

        let missing = vec![("z".to_string(), Some("NoExecute".to_string()))];
        let err = reorganize_taints(&old, false, Vec::new(), &missing).expect_err("not found");
        assert_eq!(err.to_string(), "error: taint \"z:NoExecute\" not found");
    }
}
