//! `kubectl set image|env|resources|selector`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/set/{set_image.go, set_env.go,
//! set_resources.go, set_selector.go} and pkg/cmd/set/env/env_parse.go (v1.34). Each edits
//! the pod spec of a pod, a workload's pod template or a CronJob's job template, and sends
//! the result; an edit that changes nothing prints nothing, as kubectl's empty patch does.

use std::sync::Arc;

use api::{KindInfo, Object};
use cluster::apiserver::patch::PatchType;
use cluster::apiserver::{ListOptions, PatchOptions, UpdateOptions};
use serde_json::{Value, json};

use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::{Env, Outcome};

/// `--record`: pflag's deprecation notice, and the change cause to write when the flag is true
/// (genericclioptions RecordFlags.ToRecorder records only then).
///
/// The cause is record_flags.go `parseCommandArguments`: the program name, the positional
/// words (command path included) and every flag given as ` --name=value`, in typed order.
pub(crate) fn record(ctx: &Ctx, env: &Env<'_>, out: &mut Outcome) -> Option<String> {
    if !ctx.parsed.has("record") {
        return None;
    }
    out.err("Flag --record has been deprecated, --record will be removed in the future");
    if !ctx.parsed.bool("record") {
        return None;
    }
    let mut cause = String::from("kubectl");
    for w in ctx.path.split(' ').skip(1) {
        cause.push(' ');
        cause.push_str(w);
    }
    for a in &ctx.parsed.args {
        cause.push(' ');
        cause.push_str(a);
    }
    let line = env.command_line;
    let mut flags: Vec<(usize, String)> = Vec::new();
    for (name, values) in &ctx.parsed.values {
        let at = line.find(&format!("--{name}")).unwrap_or(usize::MAX);
        for v in values {
            flags.push((at, format!(" --{name}={v}")));
        }
    }
    machinery::sort::sort_by_key(&mut flags, |(at, _)| *at);
    for (_, f) in flags {
        cause.push_str(&f);
    }
    Some(cause)
}

/// Where an object keeps its pod spec, as UpdatePodSpecForObject knows it.
fn pod_spec_pointer(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("/spec"),
        "ReplicationController"
        | "Deployment"
        | "DaemonSet"
        | "ReplicaSet"
        | "StatefulSet"
        | "Job" => Some("/spec/template/spec"),
        "CronJob" => Some("/spec/jobTemplate/spec/template/spec"),
        _ => None,
    }
}

/// The objects named by `args` (or by `-l` / `--all` with a bare type).
fn objects(
    ctx: &Ctx,
    env: &mut Env<'_>,
    args: &[String],
) -> Result<Vec<(&'static KindInfo, Arc<Object>)>, KubectlError> {
    let selector = ctx.parsed.string("selector").unwrap_or("");
    let mut found = Vec::new();
    for t in resources::resolve_args(args)? {
        match t {
            Target::Named(info, name) => {
                let o = env.store.get(info, ctx.ns_for(info), &name)?;
                found.push((info, o));
            }
            Target::All(info) => {
                if selector.is_empty() && !ctx.parsed.bool("all") {
                    return Err(KubectlError::msg(
                        "resource(s) were provided, but no name was specified",
                    ));
                }
                let list = env.store.list(
                    info,
                    ctx.ns_for(info),
                    &ListOptions {
                        label_selector: selector.to_string(),
                        ..Default::default()
                    },
                )?;
                found.extend(list.items.into_iter().map(|o| (info, o)));
            }
        }
    }
    Ok(found)
}

/// Sends an edited object (unless `--dry-run=client`); None when nothing changed.
fn send(
    env: &mut Env<'_>,
    dry: DryRun,
    obj: &Object,
    edited: Value,
) -> Result<Option<()>, KubectlError> {
    if edited == obj.to_value() {
        return Ok(None);
    }
    if dry == DryRun::Client {
        return Ok(Some(()));
    }
    let new = Object::from_value(edited).map_err(|e| KubectlError::msg(e.to_string()))?;
    env.store.update(
        obj.namespace(),
        new,
        &UpdateOptions {
            dry_run: dry == DryRun::Server,
        },
    )?;
    Ok(Some(()))
}

/// Whether a container name matches `--containers` (a shell glob; kubectl uses path.Match).
fn glob(pattern: &str, name: &str) -> bool {
    fn m(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => m(&p[1..], n) || (!n.is_empty() && m(p, &n[1..])),
            (Some('?'), Some(_)) => m(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => m(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    m(&p, &n)
}

// ---- image ----

/// Runs `kubectl set image`.
///
/// # Errors
/// Usage errors, unknown containers and the store's errors.
pub fn image(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
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
    let cause = record(ctx, env, out);
    for t in resources::resolve_args(res)? {
        let Target::Named(info, name) = t else {
            return Err(KubectlError::msg(
                "resource(s) were provided, but no name was specified",
            ));
        };
        let ns = ctx.ns_for(info);
        let obj = env.store.get(info, ns, &name)?;
        let v = obj.to_value();
        let Some(ptr) = pod_spec_pointer(info.kind) else {
            return Err(KubectlError::msg(format!(
                "{}/{name} the object is not a pod or does not have a pod template: {}",
                info.qualified_kind_lower(),
                obj.kind()
            )));
        };
        let containers = v
            .pointer(&format!("{ptr}/containers"))
            .cloned()
            .unwrap_or(json!([]));
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
        let mut body = json!({"containers": patch_containers});
        for key in ptr.trim_start_matches('/').split('/').rev() {
            body = json!({ key: body });
        }
        if let Some(c) = &cause {
            body["metadata"] = json!({"annotations": {super::rollout::CHANGE_CAUSE: c}});
        }
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

// ---- env ----

/// One `KEY=VALUE` or `valueFrom` variable to set.
fn env_var(name: &str, value: Value) -> Value {
    let mut v = json!({"name": name});
    match value {
        Value::String(s) => v["value"] = Value::String(s),
        other => v["valueFrom"] = other,
    }
    v
}

/// envutil.ParseEnv: variables to set and names to remove.
fn parse_env(specs: &[String]) -> Result<(Vec<Value>, Vec<String>), KubectlError> {
    let mut set = Vec::new();
    let mut set_names = Vec::new();
    let mut remove = Vec::new();
    for s in specs {
        if let Some((k, v)) = s.split_once('=') {
            let errs = machinery::validation::is_env_var_name(k);
            if !errs.is_empty() {
                return Err(KubectlError::msg(format!(
                    "{k:?} is not a valid key name: {}",
                    errs.join(";")
                )));
            }
            set_names.push(k.to_string());
            set.push(env_var(k, Value::String(v.to_string())));
        } else if let Some(k) = s.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(KubectlError::msg(format!(
                "unknown environment variable: {s}"
            )));
        }
    }
    if remove.iter().any(|r| set_names.contains(r)) {
        return Err(KubectlError::msg(
            "can not both modify and remove an environment variable in the same command",
        ));
    }
    Ok((set, remove))
}

/// updateEnv: replace in place, append new ones, drop removed ones.
fn update_env(existing: &[Value], set: &[Value], remove: &[String]) -> Vec<Value> {
    let name = |v: &Value| v["name"].as_str().unwrap_or("").to_string();
    let mut out: Vec<Value> = Vec::new();
    for e in existing {
        let n = name(e);
        if remove.contains(&n) {
            continue;
        }
        match set.iter().find(|s| name(s) == n) {
            Some(s) => out.push(s.clone()),
            None => out.push(e.clone()),
        }
    }
    for s in set {
        if !out.iter().any(|o| name(o) == name(s)) {
            out.push(s.clone());
        }
    }
    out
}

/// envutil.GetEnvVarRefString.
fn ref_string(from: &Value) -> String {
    if let Some(r) = from.get("configMapKeyRef") {
        return format!(
            "configmap {}, key {}",
            r["name"].as_str().unwrap_or(""),
            r["key"].as_str().unwrap_or("")
        );
    }
    if let Some(r) = from.get("secretKeyRef") {
        return format!(
            "secret {}, key {}",
            r["name"].as_str().unwrap_or(""),
            r["key"].as_str().unwrap_or("")
        );
    }
    if let Some(r) = from.get("fieldRef") {
        return format!("field path {}", r["fieldPath"].as_str().unwrap_or(""));
    }
    if let Some(r) = from.get("resourceFieldRef") {
        let c = r["containerName"].as_str().unwrap_or("");
        let prefix = if c.is_empty() {
            String::new()
        } else {
            format!("{c}/")
        };
        return format!(
            "resource field {prefix}{}",
            r["resource"].as_str().unwrap_or("")
        );
    }
    "invalid valueFrom".into()
}

/// The variables `--from=configmap/x|secret/x` (with `--keys`) contributes.
fn env_from_source(ctx: &Ctx, env: &mut Env<'_>, from: &str) -> Result<Vec<Value>, KubectlError> {
    let keys = ctx.parsed.all("keys");
    let mut out = Vec::new();
    for (info, obj) in objects(ctx, env, &[from.to_string()])? {
        let (data_keys, ref_key): (Vec<String>, &str) = match &*obj {
            Object::ConfigMap(cm) => (
                cm.data
                    .as_ref()
                    .map(|d| d.keys().cloned().collect())
                    .unwrap_or_default(),
                "configMapKeyRef",
            ),
            Object::Secret(s) => (
                s.data
                    .as_ref()
                    .map(|d| d.keys().cloned().collect())
                    .unwrap_or_default(),
                "secretKeyRef",
            ),
            _ => {
                let _ = info;
                return Err(KubectlError::msg(
                    "unsupported resource specified in --from",
                ));
            }
        };
        for key in data_keys {
            if !keys.is_empty() && !keys.contains(&key) {
                continue;
            }
            let name: String = key
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            out.push(env_var(
                &name,
                json!({ ref_key: {"name": obj.name(), "key": key} }),
            ));
        }
    }
    Ok(out)
}

/// Runs `kubectl set env`.
///
/// # Errors
/// kubectl's parse and validation errors, and the store's.
pub fn env(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    if p.bool("all") && p.has("selector") {
        return Err(KubectlError::msg(
            "cannot set --all and --selector at the same time",
        ));
    }
    let split = p
        .args
        .iter()
        .position(|a| a.contains('=') || a.ends_with('-'))
        .unwrap_or(p.args.len());
    let (res, env_args) = p.args.split_at(split);
    if env_args
        .iter()
        .any(|a| !(a.contains('=') || a.ends_with('-')))
    {
        return Err(KubectlError::msg(format!(
            "all resources must be specified before environment changes: {}",
            p.args.join(" ")
        )));
    }
    if res.is_empty() {
        return Err(KubectlError::msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    let list = p.bool("list");
    if list && p.has("output") {
        return Err(KubectlError::msg(
            "--list and --output may not be specified together",
        ));
    }
    if p.has("keys") && !p.has("from") {
        return Err(KubectlError::msg(
            "when specifying --keys, a configmap or secret must be provided with --from",
        ));
    }
    let dry = ctx.dry_run()?;
    let mut specs = p.all("env");
    specs.extend(env_args.iter().cloned());
    let (mut set, remove) = parse_env(&specs)?;
    if let Some(from) = p.string("from") {
        set.extend(env_from_source(ctx, env, from)?);
    }
    if let Some(prefix) = p.string("prefix").filter(|s| !s.is_empty()) {
        for v in &mut set {
            let n = format!("{prefix}{}", v["name"].as_str().unwrap_or(""));
            v["name"] = Value::String(n);
        }
    }
    let selector = p.string("containers").unwrap_or("*").to_string();
    let overwrite = p.string("overwrite") != Some("false");
    for (info, obj) in objects(ctx, env, res)? {
        let Some(ptr) = pod_spec_pointer(info.kind) else {
            return Err(KubectlError::msg(format!(
                "{}/{} the object is not a pod or does not have a pod template: {}",
                info.qualified_kind_lower(),
                obj.name(),
                obj.kind()
            )));
        };
        let mut doc = obj.to_value();
        let mut matched = 0;
        for field in ["containers", "initContainers"] {
            let Some(cs) = doc
                .pointer_mut(&format!("{ptr}/{field}"))
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for c in cs.iter_mut() {
                let cname = c["name"].as_str().unwrap_or("").to_string();
                if !glob(&selector, &cname) {
                    continue;
                }
                matched += 1;
                let existing: Vec<Value> = c
                    .get("env")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if !overwrite {
                    for s in &set {
                        if let Some(cur) = existing.iter().find(|e| e["name"] == s["name"])
                            && cur.get("value") != s.get("value")
                        {
                            return Err(KubectlError::msg(format!(
                                "'{}' already has a value ({}), and --overwrite is false",
                                cur["name"].as_str().unwrap_or(""),
                                cur["value"].as_str().unwrap_or("")
                            )));
                        }
                    }
                }
                let updated = update_env(&existing, &set, &remove);
                if list {
                    out.out(format!(
                        "# {} {}, container {cname}",
                        obj.kind(),
                        obj.name()
                    ));
                    for e in &updated {
                        match e.get("valueFrom") {
                            None => out.out(format!(
                                "{}={}",
                                e["name"].as_str().unwrap_or(""),
                                e["value"].as_str().unwrap_or("")
                            )),
                            Some(from) => out.out(format!(
                                "# {} from {}",
                                e["name"].as_str().unwrap_or(""),
                                ref_string(from)
                            )),
                        }
                    }
                }
                if updated.is_empty() {
                    if let Some(m) = c.as_object_mut() {
                        m.remove("env");
                    }
                } else {
                    c["env"] = Value::Array(updated);
                }
            }
        }
        if matched == 0 {
            out.err(format!(
                "warning: {}/{} does not have any containers matching {selector:?}",
                obj.kind(),
                obj.name()
            ));
            continue;
        }
        if list {
            continue;
        }
        if send(env, dry, &obj, doc)?.is_none() {
            continue;
        }
        if set.is_empty() && env_args.is_empty() {
            return Err(KubectlError::msg(
                "at least one environment variable must be provided",
            ));
        }
        out.out(format!(
            "{}/{} env updated{}",
            info.qualified_kind_lower(),
            obj.name(),
            dry.suffix()
        ));
    }
    Ok(())
}

// ---- resources ----

/// `--limits` / `--requests`: `cpu=200m,memory=512Mi`.
fn parse_resource_list(raw: &str) -> Result<serde_json::Map<String, Value>, KubectlError> {
    let mut m = serde_json::Map::new();
    for part in raw.split(',').filter(|s| !s.is_empty()) {
        let Some((k, v)) = part.split_once('=') else {
            return Err(KubectlError::msg(format!("invalid argument syntax {part}")));
        };
        if machinery::quantity::Quantity::parse(v).is_err() {
            return Err(KubectlError::msg(
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            ));
        }
        m.insert(k.to_string(), Value::String(v.to_string()));
    }
    Ok(m)
}

/// Runs `kubectl set resources`.
///
/// # Errors
/// kubectl's validation errors and the store's.
pub fn resources(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    if p.args.is_empty() {
        return Err(KubectlError::msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    let limits = parse_resource_list(p.string("limits").unwrap_or(""))?;
    let requests = parse_resource_list(p.string("requests").unwrap_or(""))?;
    if limits.is_empty() && requests.is_empty() {
        return Err(KubectlError::msg(
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ));
    }
    let dry = ctx.dry_run()?;
    let selector = p.string("containers").unwrap_or("*").to_string();
    for (info, obj) in objects(ctx, env, &p.args)? {
        let Some(ptr) = pod_spec_pointer(info.kind) else {
            return Err(KubectlError::msg(format!(
                "{}/{} the object is not a pod or does not have a pod template: {}",
                info.qualified_kind_lower(),
                obj.name(),
                obj.kind()
            )));
        };
        let mut doc = obj.to_value();
        let mut matched = 0;
        for field in ["initContainers", "containers"] {
            let Some(cs) = doc
                .pointer_mut(&format!("{ptr}/{field}"))
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for c in cs.iter_mut() {
                if !glob(&selector, c["name"].as_str().unwrap_or("")) {
                    continue;
                }
                matched += 1;
                if !c.get("resources").is_some_and(Value::is_object) {
                    c["resources"] = json!({});
                }
                for (key, list) in [("limits", &limits), ("requests", &requests)] {
                    if list.is_empty() {
                        continue;
                    }
                    let r = &mut c["resources"];
                    if !r.get(key).is_some_and(Value::is_object) {
                        r[key] = json!({});
                    }
                    for (k, v) in list {
                        r[key][k] = v.clone();
                    }
                }
            }
        }
        if matched == 0 {
            out.err(format!(
                "warning: {}/{} does not have any containers matching {selector:?}",
                obj.kind(),
                obj.name()
            ));
            continue;
        }
        if send(env, dry, &obj, doc)?.is_none() {
            continue;
        }
        out.out(format!(
            "{}/{} resource requirements updated{}",
            info.qualified_kind_lower(),
            obj.name(),
            dry.suffix()
        ));
    }
    Ok(())
}

// ---- selector ----

/// Runs `kubectl set selector`.
///
/// # Errors
/// kubectl's errors for bad expressions and non-Service objects, and the store's.
pub fn selector(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let (res, expr) = match p.args.len() {
        0 => {
            return Err(ctx.usage(
                "one or more resources must be specified as <resource> <name> or <resource>/<name>",
            ));
        }
        1 if !p.has("filename") => {
            return Err(ctx.usage("selector must be specified"));
        }
        n => (&p.args[..n - 1], p.args[n - 1].clone()),
    };
    let mut selector = serde_json::Map::new();
    for term in expr.split(',').filter(|s| !s.is_empty()) {
        let Some((k, v)) = term.split_once('=') else {
            return Err(KubectlError::msg(format!(
                "invalid selector {term}: the selector must be of the form key=value"
            )));
        };
        let v = v.trim_start_matches('=');
        let errs = machinery::validation::is_valid_label_value(v);
        if !errs.is_empty() {
            return Err(KubectlError::msg(format!(
                "invalid label value: \"{k}={v}\": {}",
                errs.join("; ")
            )));
        }
        selector.insert(k.to_string(), Value::String(v.to_string()));
    }
    let dry = ctx.dry_run()?;
    for (info, obj) in objects(ctx, env, res)? {
        if info.kind != "Service" {
            return Err(KubectlError::msg(format!(
                "{}/{} setting a selector is only supported for Services",
                info.qualified_kind_lower(),
                obj.name()
            )));
        }
        let mut doc = obj.to_value();
        doc["spec"]["selector"] = Value::Object(selector.clone());
        send(env, dry, &obj, doc)?;
        out.out(format!(
            "{}/{} selector updated{}",
            info.qualified_kind_lower(),
            obj.name(),
            dry.suffix()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_globs_match_as_path_match_does() {
        for (p, n, want) in [
            ("*", "nginx", true),
            ("ngi*", "nginx", true),
            ("n?inx", "nginx", true),
            ("web", "nginx", false),
        ] {
            assert_eq!(glob(p, n), want, "{p} vs {n}");
        }
    }

    #[test]
    fn env_updates_keep_order_and_drop_removed() {
        let existing = vec![
            json!({"name":"A","value":"1"}),
            json!({"name":"B","value":"2"}),
        ];
        let (set, remove) =
            parse_env(&["B=3".to_string(), "C=4".to_string(), "A-".to_string()]).unwrap();
        let got = update_env(&existing, &set, &remove);
        assert_eq!(
            got,
            vec![
                json!({"name":"B","value":"3"}),
                json!({"name":"C","value":"4"})
            ]
        );
        assert!(parse_env(&["A=1".into(), "A-".into()]).is_err());
        assert_eq!(
            parse_env(&["1BAD=x".into()]).unwrap_err().to_string(),
            "error: \"1BAD\" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
        );
    }
}
