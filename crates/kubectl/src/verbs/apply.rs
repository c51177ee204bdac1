//! `kubectl apply -f`: client-side apply with the last-applied-configuration annotation.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/apply/{apply.go, patcher.go} (v1.34): a
//! missing object is created with the annotation (`created`); an existing one gets a
//! three-way patch computed from the previous annotation (what to delete), the new
//! configuration and the live object (what to change), sent as a strategic merge patch
//! (`configured`); an empty patch prints `unchanged`.
//!
//! Lists with a strategic merge key (containers, volumes, env, ports, ...) are compared and
//! patched element by element, matched by key, so fields the server fills in (defaults, the
//! service-account token volume) never count as a change. A keyed list the patch touches
//! carries `$setElementOrder/<field>` with the file's order. Gap: a keyed list whose order
//! alone changed is not detected, so reordering it alone is `unchanged`.

use cluster::apiserver::PatchOptions;
use cluster::apiserver::patch::PatchType;
use cluster::apiserver::patch::strategic;
use serde_json::{Map, Value};

use super::create::{self, LAST_APPLIED, print_result, server_error};
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
    let modified = obj.to_value();
    let mut patch = diff(&modified, Some(&live_value)).unwrap_or(Value::Object(Map::new()));
    if let Some(orig) = &original {
        add_deletions(orig, &modified, &mut patch);
    }
    strip_identity(&mut patch);
    add_element_order(&modified, &mut patch, None);
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
    let modified = obj.to_value();
    let mut patch = diff(&modified, Some(&live.to_value())).unwrap_or(Value::Object(Map::new()));
    if let Some(orig) = &original {
        add_deletions(orig, &modified, &mut patch);
    }
    strip_identity(&mut patch);
    add_element_order(&modified, &mut patch, None);
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

/// The parts of `modified` that `current` does not already have: maps compared key by key,
/// lists with a strategic merge key element by element (matched by key; elements only the
/// server added, such as the service-account token volume and its mount, are not a change),
/// `finalizers` as a set, other lists and scalars whole. As strategicpatch's
/// `CreateThreeWayMergePatch` with deletions ignored between current and modified
/// (apimachinery pkg/util/strategicpatch/patch.go, v1.34).
fn diff(modified: &Value, current: Option<&Value>) -> Option<Value> {
    diff_in(modified, current, None)
}

/// `diff` of a value whose field (or, inside a list element, whose list field) is `parent`:
/// the same context the server's strategic merge uses to find merge keys.
fn diff_in(modified: &Value, current: Option<&Value>, parent: Option<&str>) -> Option<Value> {
    match (modified, current) {
        (Value::Object(m), Some(Value::Object(c))) => {
            let mut out = Map::new();
            for (k, v) in m {
                let d = match (v, c.get(k)) {
                    (Value::Array(items), Some(Value::Array(cur))) => {
                        if let Some(key) = strategic::merge_key(parent, k) {
                            keyed_list_diff(items, cur, key, k)
                        } else if k == "finalizers" {
                            (!items.iter().all(|i| cur.contains(i))).then(|| v.clone())
                        } else {
                            diff_in(v, c.get(k), Some(k))
                        }
                    }
                    _ => diff_in(v, c.get(k), Some(k)),
                };
                if let Some(d) = d {
                    out.insert(k.clone(), d);
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        (m, Some(c)) if contained(m, c) => None,
        (m, _) => Some(m.clone()),
    }
}

/// The elements of keyed list `field` that differ from the live element with the same merge
/// key (new elements whole, changed ones as their own diff plus the key), or `None`.
fn keyed_list_diff(items: &[Value], current: &[Value], key: &str, field: &str) -> Option<Value> {
    let mut changed = Vec::new();
    for item in items {
        let id = item.get(key);
        let live = id.and_then(|id| current.iter().find(|c| c.get(key) == Some(id)));
        match live {
            None => changed.push(item.clone()),
            Some(live) => {
                if let Some(Value::Object(mut d)) = diff_in(item, Some(live), Some(field)) {
                    if let Some(id) = id {
                        d.insert(key.to_string(), id.clone());
                    }
                    changed.push(Value::Object(d));
                }
            }
        }
    }
    (!changed.is_empty()).then_some(Value::Array(changed))
}

/// Whether everything `a` says is also true of `b`.
fn contained(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .all(|(k, v)| y.get(k).is_some_and(|w| contained(v, w))),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| contained(v, w))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Fields in the previous configuration but not the new one become `null` (delete); elements
/// of a keyed list in the previous configuration but not the new one become
/// `{key: id, $patch: delete}` (strategicpatch's deletions from original to modified).
fn add_deletions(original: &Value, modified: &Value, patch: &mut Value) {
    add_deletions_in(original, modified, patch, None);
}

fn add_deletions_in(original: &Value, modified: &Value, patch: &mut Value, parent: Option<&str>) {
    let (Value::Object(o), Value::Object(m)) = (original, modified) else {
        return;
    };
    let Value::Object(p) = patch else {
        return;
    };
    for (k, ov) in o {
        match (ov, m.get(k)) {
            (_, None) => {
                p.insert(k.clone(), Value::Null);
            }
            (Value::Object(_), Some(mv @ Value::Object(_))) => {
                let mut sub = p.remove(k).unwrap_or_else(|| Value::Object(Map::new()));
                add_deletions_in(ov, mv, &mut sub, Some(k));
                if sub.as_object().is_some_and(|s| !s.is_empty()) {
                    p.insert(k.clone(), sub);
                }
            }
            (Value::Array(olist), Some(Value::Array(mlist))) => {
                let Some(key) = strategic::merge_key(parent, k) else {
                    continue;
                };
                let mut entries = match p.remove(k) {
                    Some(Value::Array(a)) => a,
                    _ => Vec::new(),
                };
                for oe in olist {
                    let Some(id) = oe.get(key) else { continue };
                    match mlist.iter().find(|me| me.get(key) == Some(id)) {
                        None => {
                            let mut del = Map::new();
                            del.insert(key.to_string(), id.clone());
                            del.insert("$patch".into(), Value::String("delete".into()));
                            entries.push(Value::Object(del));
                        }
                        Some(me) => {
                            // Fields dropped inside an element that stays.
                            let pos = entries.iter().position(|e| e.get(key) == Some(id));
                            let mut sub = pos.map_or_else(
                                || Value::Object(Map::new()),
                                |i| entries.remove(i),
                            );
                            add_deletions_in(oe, me, &mut sub, Some(k));
                            let changed = sub.as_object().is_some_and(|s| !s.is_empty());
                            if changed {
                                if let Value::Object(s) = &mut sub {
                                    s.insert(key.to_string(), id.clone());
                                }
                                entries.push(sub);
                            }
                        }
                    }
                }
                if !entries.is_empty() {
                    p.insert(k.clone(), Value::Array(entries));
                }
            }
            _ => {}
        }
    }
}

/// Every keyed list the patch touches also gets `$setElementOrder/<field>`: the merge keys of
/// the new configuration in its order, so the server keeps the file's order (strategicpatch
/// diffLists with `SetElementOrder`, as CreateThreeWayMergePatch asks, v1.34).
fn add_element_order(modified: &Value, patch: &mut Value, parent: Option<&str>) {
    let (Value::Object(m), Value::Object(p)) = (modified, patch) else {
        return;
    };
    let fields: Vec<String> = p.keys().cloned().collect();
    for k in fields {
        let Some(mv) = m.get(&k) else { continue };
        match (mv, p.get_mut(&k)) {
            (Value::Object(_), Some(sub @ Value::Object(_))) => {
                add_element_order(mv, sub, Some(&k));
            }
            (Value::Array(items), Some(Value::Array(entries))) => {
                let Some(key) = strategic::merge_key(parent, &k) else {
                    continue;
                };
                for entry in entries.iter_mut() {
                    let id = entry.get(key).cloned();
                    let Some(id) = id else { continue };
                    if let Some(item) = items.iter().find(|i| i.get(key) == Some(&id)) {
                        add_element_order(item, entry, Some(&k));
                    }
                }
                let order: Option<Vec<Value>> = items
                    .iter()
                    .map(|i| {
                        let id = i.get(key)?;
                        let mut only_key = Map::new();
                        only_key.insert(key.to_string(), id.clone());
                        Some(Value::Object(only_key))
                    })
                    .collect();
                if let Some(order) = order {
                    p.insert(format!("$setElementOrder/{k}"), Value::Array(order));
                }
            }
            _ => {}
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn three_way() {
        let live = json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "a", "image": "x", "imagePullPolicy": "Always"}]}}}, "metadata": {"labels": {"a": "1", "b": "2"}}});
        let same = json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}, "metadata": {"labels": {"a": "1", "b": "2"}}});
        assert_eq!(diff(&same, Some(&live)), None);
        let changed = json!({"spec": {"replicas": 2}, "metadata": {"labels": {"a": "1"}}});
        let mut p = diff(&changed, Some(&live)).expect("patch");
        add_deletions(&same, &changed, &mut p);
        assert_eq!(
            p,
            json!({"spec": {"replicas": 2, "template": null}, "metadata": {"labels": {"b": null}}})
        );
    }

    /// strategicpatch patch_test.go (v1.34): a touched keyed list carries the new order,
    /// nested lists inside a changed element too; untouched lists get none.
    #[test]
    fn touched_keyed_lists_carry_set_element_order() {
        let original = json!({"spec": {"containers": [
            {"name": "a", "image": "x", "env": [{"name": "A", "value": "1"}]},
            {"name": "b", "image": "y"}], "volumes": [{"name": "v"}]}});
        let modified = json!({"spec": {"containers": [
            {"name": "c", "image": "z"},
            {"name": "a", "image": "x", "env": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]}],
            "volumes": [{"name": "v"}]}});
        let mut p = diff(&modified, Some(&original)).expect("patch");
        add_deletions(&original, &modified, &mut p);
        add_element_order(&modified, &mut p, None);
        assert_eq!(
            p,
            json!({"spec": {
                "$setElementOrder/containers": [{"name": "c"}, {"name": "a"}],
                "containers": [
                    {"name": "c", "image": "z"},
                    {"name": "a", "env": [{"name": "B", "value": "2"}],
                     "$setElementOrder/env": [{"name": "B"}, {"name": "A"}]},
                    {"name": "b", "$patch": "delete"}]}})
        );
    }

    #[test]
    fn keyed_lists_ignore_server_added_elements() {
        let live = json!({"spec": {
            "volumes": [{"name": "html", "gitRepo": {"repository": "r"}},
                        {"name": "kube-api-access-x", "projected": {}}],
            "containers": [{"name": "web", "image": "nginx", "terminationMessagePath": "/dev/termination-log",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "volumeMounts": [{"name": "html", "mountPath": "/usr/share"},
                                 {"name": "kube-api-access-x", "mountPath": "/var/run/secrets"}]}]}});
        let same = json!({"spec": {
            "volumes": [{"name": "html", "gitRepo": {"repository": "r"}}],
            "containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}],
                "volumeMounts": [{"name": "html", "mountPath": "/usr/share"}]}]}});
        assert_eq!(diff(&same, Some(&live)), None);
        let changed = json!({"spec": {"containers": [{"name": "web", "image": "nginx:2"}]}});
        let mut p = diff(&changed, Some(&live)).expect("patch");
        assert_eq!(p, json!({"spec": {"containers": [{"name": "web", "image": "nginx:2"}]}}));
        add_deletions(&same, &changed, &mut p);
        assert_eq!(
            p,
            json!({"spec": {
                "containers": [{"name": "web", "image": "nginx:2", "ports": null, "volumeMounts": null}],
                "volumes": null}})
        );
        let two = json!({"spec": {"containers": [{"name": "web", "image": "nginx"}, {"name": "side", "image": "busybox"}]}});
        let one = json!({"spec": {"containers": [{"name": "web", "image": "nginx"}]}});
        let mut p = diff(&one, Some(&two)).unwrap_or(json!({}));
        add_deletions(&two, &one, &mut p);
        assert_eq!(
            p,
            json!({"spec": {"containers": [{"name": "side", "$patch": "delete"}]}})
        );
    }
}
