//! `kubectl label` and `kubectl annotate`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/{label/label.go, annotate/annotate.go} (v1.34):
//! `key=value` sets, `key-` removes; changing an existing value needs `--overwrite`
//! (`error: 'env' already has a value (debug), and --overwrite is false`; annotate names every
//! clashing key and always lets `kubernetes.io/change-cause` change); the result line
//! is `pod/x labeled` / `annotated`, or `not labeled` when nothing changed.

use cluster::apiserver::PatchOptions;
use cluster::apiserver::patch::PatchType;
use serde_json::{Map, Value, json};

use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::{Env, Outcome};

/// Which map the command edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Labels,
    Annotations,
}

/// Runs `label` or `annotate`.
///
/// # Errors
/// Usage errors and the store's errors.
pub fn run(
    ctx: &Ctx,
    env: &mut Env<'_>,
    out: &mut Outcome,
    field: Field,
) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let (word, done) = match field {
        Field::Labels => ("label", "labeled"),
        Field::Annotations => ("annotation", "annotated"),
    };
    // cmdutil.GetResourcesAndPairs: an argument with `=` (not first) or ending in `-` is a
    // change (`app.kubernetes.io/tier-` too); resources come first.
    let is_change = |a: &str| (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
    let split = p.args.iter().position(|a| is_change(a)).unwrap_or(p.args.len());
    let (res_args, changes) = p.args.split_at(split);
    if let Some(late) = changes.iter().find(|a| !is_change(a)) {
        return Err(KubectlError::msg(format!(
            "all resources must be specified before {word} changes: {late}"
        )));
    }
    if res_args.is_empty() {
        return Err(ctx.usage(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    if changes.is_empty() && !p.bool("list") {
        return Err(ctx.usage(format!("at least one {word} update is required")));
    }
    let mut set: Vec<(String, String)> = Vec::new();
    let mut remove: Vec<String> = Vec::new();
    for c in changes {
        if let Some((k, v)) = c.split_once('=') {
            set.push((k.to_string(), v.to_string()));
        } else if let Some(k) = c.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(KubectlError::msg(format!("invalid {word} format: {c}")));
        }
    }
    let dry = ctx.dry_run()?;
    let selector = p.string("selector").unwrap_or("").to_string();
    let mut targets = Vec::new();
    for t in resources::resolve_args(res_args)? {
        match t {
            Target::Named(info, name) => targets.push((info, name)),
            Target::All(info) => {
                if !p.bool("all") && selector.is_empty() {
                    return Err(KubectlError::msg(
                        "resource(s) were provided, but no name was specified",
                    ));
                }
                let opts = cluster::apiserver::ListOptions {
                    label_selector: selector.clone(),
                    ..Default::default()
                };
                for o in env.store.list(info, ctx.ns_for(info), &opts)?.items {
                    targets.push((info, o.name().to_string()));
                }
            }
        }
    }
    for (info, name) in targets {
        let ns = ctx.ns_for(info);
        let obj = env.store.get(info, ns, &name)?;
        let meta = obj.meta();
        let current = match field {
            Field::Labels => meta.labels.clone(),
            Field::Annotations => meta.annotations.clone(),
        }
        .unwrap_or_default();
        if p.bool("list") {
            for (k, v) in &current {
                out.out(format!("{k}={v}"));
            }
            continue;
        }
        if field == Field::Annotations && !p.bool("overwrite") {
            annotation_overwrites(&current, &set)?;
        }
        let mut patch = Map::new();
        let mut changed = false;
        for (k, v) in &set {
            if let Some(old) = current.get(k) {
                if old != v && !p.bool("overwrite") && field == Field::Labels {
                    return Err(KubectlError::msg(format!(
                        "'{k}' already has a value ({old}), and --overwrite is false"
                    )));
                }
                if old == v {
                    continue;
                }
            }
            changed = true;
            patch.insert(k.clone(), json!(v));
        }
        for k in &remove {
            if current.contains_key(k) {
                changed = true;
                patch.insert(k.clone(), Value::Null);
            }
        }
        let kind = info.qualified_kind_lower();
        // annotate has no "not annotated": it reports every object it visited.
        if !changed && field == Field::Labels {
            out.out(format!("{kind}/{name} not {done}{}", dry.suffix()));
            continue;
        }
        if changed && dry != DryRun::Client {
            let key = match field {
                Field::Labels => "labels",
                Field::Annotations => "annotations",
            };
            let body = json!({"metadata": {key: Value::Object(patch)}});
            env.store.patch(
                info,
                ns,
                &name,
                PatchType::Merge,
                &body,
                &PatchOptions {
                    dry_run: dry == DryRun::Server,
                },
            )?;
        }
        out.out(format!("{kind}/{name} {done}{}", dry.suffix()));
    }
    Ok(())
}

/// The kubernetes.io/change-cause annotation, which `annotate` may always overwrite.
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// Refuses annotations that would change an existing value without `--overwrite`, naming
/// them all at once; the change cause is exempt.
///
/// Mirrors staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go
/// validateNoAnnotationOverwrites (v1.34).
fn annotation_overwrites(
    current: &std::collections::BTreeMap<String, String>,
    set: &[(String, String)],
) -> Result<(), KubectlError> {
    let clashes: Vec<String> = set
        .iter()
        .filter(|(k, _)| k != CHANGE_CAUSE)
        .filter_map(|(k, v)| {
            let old = current.get(k)?;
            (old != v).then(|| format!("'{k}' already has a value ({old})"))
        })
        .collect();
    if clashes.is_empty() {
        return Ok(());
    }
    Err(KubectlError::msg(format!(
        "--overwrite is false but found the following declared annotation(s): {}",
        clashes.join("; ")
    )))
}
