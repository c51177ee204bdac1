//! `kubectl create -f` and the `create <kind>` generators.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/create/{create.go, create_namespace.go,
//! create_deployment.go, create_configmap.go, create_secret.go, create_service.go,
//! create_serviceaccount.go} (v1.34): what each generator builds, the `kind/name created`
//! line, and the `Error from server (…): error when creating "<file>": …` form.

use std::sync::Arc;

use api::Object;
use cluster::apiserver::CreateOptions;
use serde_json::{Map, Value, json};

use super::printing::{self, name_of};
use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::render::OutputFormat;
use crate::{Env, Outcome, manifest};

/// The annotation `apply` keeps its last configuration in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// `kubectl create -f …`.
///
/// # Errors
/// Usage errors; per-object failures are printed and set the exit status.
pub fn run_files(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let filenames = ctx.filenames();
    if !p.args.is_empty() {
        return Err(ctx.usage(format!("Unexpected args: [{}]", p.args.join(" "))));
    }
    if filenames.is_empty() {
        out.err("Error: must specify one of -f and -k\n");
        let cmd = crate::commands::find(crate::commands::COMMANDS, "create");
        if let Some(cmd) = cmd {
            out.err(crate::help::command_help("kubectl create", cmd).trim_end());
        }
        out.exit_code = 1;
        return Ok(());
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
        let mut obj = decoded.object;
        if p.bool("save-config") {
            let ns = object_namespace(&obj, ctx)?;
            let cfg = last_applied_text(&obj, obj.kind_info().namespaced.then_some(ns.as_str()));
            set_annotation(&mut obj, LAST_APPLIED, &cfg);
        }
        if let Err(e) = send(obj, ctx, env, out, dry, &format, Some(&doc.source)) {
            out.err(e.to_string());
            out.exit_code = 1;
        }
    }
    Ok(())
}

/// Creates one object and prints kubectl's confirmation.
///
/// # Errors
/// The namespace mismatch error, or the store's error worded for `source`.
pub fn send(
    obj: Object,
    ctx: &Ctx,
    env: &mut Env<'_>,
    out: &mut Outcome,
    dry: DryRun,
    format: &OutputFormat,
    source: Option<&str>,
) -> Result<Arc<Object>, KubectlError> {
    let info = obj.kind_info();
    let ns = object_namespace(&obj, ctx)?;
    let ns = if info.namespaced { Some(ns) } else { None };
    let created = if dry == DryRun::Client {
        let mut o = obj.clone();
        if let Some(n) = &ns {
            o.meta_mut().namespace = Some(n.clone());
        }
        Arc::new(o)
    } else {
        env.store
            .create(
                ns.as_deref(),
                obj,
                &CreateOptions {
                    dry_run: dry == DryRun::Server,
                },
            )
            .map_err(|e| server_error(e, "creating", source))?
    };
    print_result(&created, "created", dry, format, out);
    Ok(created)
}

/// Prints `kind/name <verb>` or the object in the `-o` format.
pub fn print_result(
    obj: &Arc<Object>,
    verb: &str,
    dry: DryRun,
    format: &OutputFormat,
    out: &mut Outcome,
) {
    if format.is_table() {
        out.out(format!("{} {verb}{}", name_of(obj), dry.suffix()));
    } else {
        printing::print_structured(std::slice::from_ref(obj), true, format, out);
    }
}

/// `Error from server (R): error when <verb> "<file>": <msg>`; Invalid keeps its own form.
pub fn server_error(e: cluster::StoreError, verb: &str, source: Option<&str>) -> KubectlError {
    match (source, e.reason()) {
        (_, "Invalid") | (None, _) => KubectlError::from(e),
        (Some(src), reason) => KubectlError::Raw(format!(
            "Error from server ({reason}): error when {verb} \"{src}\": {e}"
        )),
    }
}

/// The namespace an object goes to: its own, else `-n`/the context's; a conflict with an
/// explicit `-n` is kubectl's error.
///
/// # Errors
/// The namespace mismatch message of cli-runtime's builder.
pub fn object_namespace(obj: &Object, ctx: &Ctx) -> Result<String, KubectlError> {
    match obj.namespace().filter(|n| !n.is_empty()) {
        Some(n) if ctx.explicit_namespace && n != ctx.namespace && obj.kind_info().namespaced => {
            Err(KubectlError::msg(format!(
                "the namespace from the provided object \"{n}\" does not match the namespace \"{}\". You must pass '--namespace={n}' to perform this operation.",
                ctx.namespace
            )))
        }
        Some(n) => Ok(n.to_string()),
        None => Ok(ctx.namespace.clone()),
    }
}

/// The JSON kubectl stores in the last-applied annotation: the configuration as sent (the
/// namespace filled in, the annotation itself removed but its map kept, as apply.go's
/// `GetModifiedConfiguration` leaves `"annotations":{}`), keys sorted, with a trailing newline.
pub fn last_applied_text(obj: &Object, namespace: Option<&str>) -> String {
    let mut v = obj.to_value();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        let ann = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(a) = ann.as_object_mut() {
            a.remove(LAST_APPLIED);
        }
        if let Some(ns) = namespace {
            meta.insert("namespace".into(), Value::String(ns.to_string()));
        }
    }
    let mut s = serde_json::to_string(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// Sets one annotation.
pub fn set_annotation(obj: &mut Object, key: &str, value: &str) {
    obj.meta_mut()
        .annotations
        .get_or_insert_with(Default::default)
        .insert(key.to_string(), value.to_string());
}

/// `kubectl create namespace|deployment|configmap|secret generic|serviceaccount|service …`.
///
/// # Errors
/// Usage errors with kubectl's texts, and the store's errors.
pub fn run_generator(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let name = match p.args_len_at_dash.map_or(p.args.len(), |n| n) {
        1 => p.args[0].clone(),
        n => return Err(ctx.usage(format!("exactly one NAME is required, got {n}"))),
    };
    let command: Vec<String> = p
        .args_len_at_dash
        .map(|n| p.args[n..].to_vec())
        .unwrap_or_default();
    let format = super::get::output_format(p.string("output").unwrap_or(""), env)?;
    let dry = ctx.dry_run()?;
    let value = match ctx.path.as_str() {
        "kubectl create namespace" => {
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        }
        "kubectl create serviceaccount" => {
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}})
        }
        "kubectl create deployment" => deployment(&name, ctx, &command)?,
        "kubectl create configmap" => {
            let data = collect_data(ctx, env, false)?;
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data})
        }
        "kubectl create secret generic" => {
            let data = collect_data(ctx, env, true)?;
            let t = p
                .string("type")
                .filter(|t| !t.is_empty())
                .unwrap_or("Opaque");
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "data": data, "type": t})
        }
        path => service(&name, ctx, path.rsplit(' ').next().unwrap_or("clusterip"))?,
    };
    let mut obj = Object::from_value(value).map_err(|e| KubectlError::msg(e.to_string()))?;
    if p.bool("save-config") {
        let ns = ctx.namespace.clone();
        let cfg = last_applied_text(&obj, obj.kind_info().namespaced.then_some(ns.as_str()));
        set_annotation(&mut obj, LAST_APPLIED, &cfg);
    }
    send(obj, ctx, env, out, dry, &format, None)?;
    Ok(())
}

/// The container name kubectl derives from an image (`nginx:1.25` → `nginx`,
/// `registry:5000/team/app@sha256:…` → `app`).
pub fn container_name_from_image(image: &str) -> String {
    let base = image.rsplit('/').next().unwrap_or(image);
    let base = base.split('@').next().unwrap_or(base);
    base.split(':').next().unwrap_or(base).to_string()
}

fn deployment(name: &str, ctx: &Ctx, command: &[String]) -> Result<Value, KubectlError> {
    let p = &ctx.parsed;
    let images = p.all("image");
    if images.is_empty() {
        return Err(KubectlError::msg("required flag(s) \"image\" not set"));
    }
    if images.len() > 1 && !command.is_empty() {
        return Err(KubectlError::msg(
            "cannot specify multiple --image options and command",
        ));
    }
    let mut containers = Vec::new();
    for image in &images {
        let mut c = Map::new();
        c.insert("name".into(), json!(container_name_from_image(image)));
        c.insert("image".into(), json!(image));
        c.insert("resources".into(), json!({}));
        if !command.is_empty() {
            c.insert("command".into(), json!(command));
        }
        if let Some(port) = p.int("port").filter(|p| *p >= 0) {
            c.insert("ports".into(), json!([{"containerPort": port}]));
        }
        containers.push(Value::Object(c));
    }
    let replicas = p.int("replicas").unwrap_or(1);
    Ok(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}},
        },
    }))
}

fn service(name: &str, ctx: &Ctx, kind: &str) -> Result<Value, KubectlError> {
    let p = &ctx.parsed;
    let mut ports = Vec::new();
    for spec in p.all("tcp") {
        let (port, target) = spec
            .split_once(':')
            .unwrap_or((spec.as_str(), spec.as_str()));
        let port_n: i64 = port
            .parse()
            .map_err(|_| KubectlError::msg(format!("invalid port: {port}")))?;
        let target_v = match target.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => json!(target),
        };
        let mut pm = json!({"name": format!("{port}-{target}"), "port": port_n, "protocol": "TCP", "targetPort": target_v});
        if let Some(np) = p.int("node-port").filter(|n| *n > 0) {
            pm["nodePort"] = json!(np);
        }
        ports.push(pm);
    }
    let t = match kind {
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        _ => "ClusterIP",
    };
    if ports.is_empty() && kind != "clusterip" {
        return Err(KubectlError::msg(
            "at least one tcp port specifier must be provided",
        ));
    }
    let mut spec = json!({"ports": ports, "selector": {"app": name}, "type": t});
    if let Some(ip) = p.string("clusterip").filter(|s| !s.is_empty()) {
        spec["clusterIP"] = json!(ip);
    }
    Ok(
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": {"app": name}}, "spec": spec}),
    )
}

/// `--from-literal`, `--from-file`, `--from-env-file` into a data map (base64 for secrets).
fn collect_data(
    ctx: &Ctx,
    env: &Env<'_>,
    encode: bool,
) -> Result<Map<String, Value>, KubectlError> {
    let p = &ctx.parsed;
    let mut data = Map::new();
    let put = |k: String, v: String, data: &mut Map<String, Value>| -> Result<(), KubectlError> {
        if data.contains_key(&k) {
            return Err(KubectlError::msg(format!(
                "cannot add key {k}, another key by that name already exists in Data for ConfigMap \"\""
            )));
        }
        let v = if encode { base64(v.as_bytes()) } else { v };
        data.insert(k, Value::String(v));
        Ok(())
    };
    for lit in p.all("from-literal") {
        let Some((k, v)) = lit.split_once('=') else {
            return Err(KubectlError::msg(format!(
                "invalid literal source {lit}, expected key=value"
            )));
        };
        let v = v.trim_matches('"').trim_matches('\'');
        put(k.to_string(), v.to_string(), &mut data)?;
    }
    for spec in p.all("from-file") {
        let (key, path) = match spec.split_once('=') {
            Some((k, p)) => (Some(k.to_string()), p.to_string()),
            None => (None, spec.clone()),
        };
        if env.files.is_dir(&path) {
            for f in env.files.list_files(&path, false) {
                let text = env
                    .files
                    .read(&f)
                    .map_err(|e| KubectlError::msg(e.to_string()))?;
                let k = f.rsplit('/').next().unwrap_or(&f).to_string();
                put(k, text, &mut data)?;
            }
        } else {
            let text = env
                .files
                .read(&path)
                .map_err(|e| KubectlError::msg(e.to_string()))?;
            let k = key.unwrap_or_else(|| path.rsplit('/').next().unwrap_or(&path).to_string());
            put(k, text, &mut data)?;
        }
    }
    for path in p.all("from-env-file") {
        let text = env
            .files
            .read(&path)
            .map_err(|e| KubectlError::msg(e.to_string()))?;
        for line in text.lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once('=') {
                Some((k, v)) => put(k.to_string(), v.to_string(), &mut data)?,
                None => put(line.to_string(), String::new(), &mut data)?,
            }
        }
    }
    Ok(data)
}

/// Standard base64 with padding, as Secrets carry `data`.
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(container_name_from_image("nginx:1.25"), "nginx");
        assert_eq!(
            container_name_from_image("172.21.51.143:5000/myblog:v2"),
            "myblog"
        );
        assert_eq!(base64(b"admin"), "YWRtaW4=");
        assert_eq!(base64(b"ab"), "YWI=");
    }
}
