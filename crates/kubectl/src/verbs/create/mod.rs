//! `kubectl create -f` and the `create <kind>` generators.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/create/ (v1.34): create.go here, one module
//! per group of generators (`workloads`: deployment, job, cronjob; `config`: configmap,
//! secrets, namespace, serviceaccount, quota; `rbac`: roles and bindings; `network`:
//! services and ingress; `policy`: poddisruptionbudget, priorityclass). A generator builds
//! the object as kubectl's typed Go value would serialize it (so `--dry-run=client -o yaml`
//! prints the same `status: {}` and `resources: {}`), names the namespace only when `-n`
//! was given, and wraps server errors the way its upstream file does
//! (`failed to create job: …`).

use std::sync::Arc;

use api::Object;
use cluster::apiserver::CreateOptions;
use serde_json::{Map, Value};

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
            let cfg = last_applied_text(
                &decoded.value,
                obj.kind_info().namespaced.then_some(ns.as_str()),
            );
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
///
/// `doc` is the object as kubectl holds it: for a file the document as decoded (kubectl
/// v1.34 staging/src/k8s.io/kubectl/pkg/util/apply.go encodes the unstructured object, so
/// `cpu: 0.5` stays the number 0.5 and fields the server would default or drop stay as
/// written); for a generator its typed object. Go's encoder escapes `<`, `>` and `&`.
pub fn last_applied_text(doc: &Value, namespace: Option<&str>) -> String {
    let mut v = doc.clone();
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
    let mut s = crate::render::json::go_escape(&serde_json::to_string(&v).unwrap_or_default());
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

mod config;
mod network;
mod policy;
mod rbac;
mod workloads;

/// What a generator built.
pub struct Generated {
    /// The object as JSON, as kubectl's typed value serializes it.
    pub value: Value,
    /// kubectl's wrapper for server errors, e.g. `failed to create job: ` (None: the
    /// server's error is printed as it is).
    pub failure: Option<&'static str>,
}

impl Generated {
    fn new(value: Value, failure: &'static str) -> Generated {
        Generated {
            value,
            failure: Some(failure),
        }
    }

    fn plain(value: Value) -> Generated {
        Generated {
            value,
            failure: None,
        }
    }
}

/// The NAME argument and the words after `--` (NameFromCommandArgs).
pub(crate) struct Args {
    pub name: String,
    pub command: Vec<String>,
}

/// `kubectl create <generator> NAME …`.
///
/// # Errors
/// Usage errors and kubectl's messages; server errors as the generator words them.
pub fn run_generator(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let sub = ctx.path.trim_start_matches("kubectl create ");
    required_flags(ctx, sub)?;
    let n = p.args_len_at_dash.unwrap_or(p.args.len());
    if n != 1 {
        return Err(ctx.usage(format!("exactly one NAME is required, got {n}")));
    }
    let args = Args {
        name: p.args[0].clone(),
        command: p.args[1..].to_vec(),
    };
    let format = super::get::output_format(p.string("output").unwrap_or(""), env)?;
    let dry = ctx.dry_run()?;
    let generated = match sub {
        "deployment" => workloads::deployment(&args, ctx)?,
        "job" => workloads::job(&args, ctx, env)?,
        "cronjob" => workloads::cron_job(&args, ctx)?,
        "namespace" => config::namespace(&args),
        "serviceaccount" => config::service_account(&args),
        "configmap" => config::config_map(&args, ctx, env)?,
        "secret generic" => config::secret_generic(&args, ctx, env)?,
        "secret tls" => config::secret_tls(&args, ctx, env)?,
        "secret docker-registry" => config::secret_docker_registry(&args, ctx, env)?,
        "quota" => config::quota(&args, ctx)?,
        "role" => rbac::role(&args, ctx, out)?,
        "clusterrole" => rbac::cluster_role(&args, ctx, out)?,
        "rolebinding" => rbac::role_binding(&args, ctx)?,
        "clusterrolebinding" => rbac::cluster_role_binding(&args, ctx)?,
        "ingress" => network::ingress(&args, ctx)?,
        "poddisruptionbudget" => policy::pod_disruption_budget(&args, ctx)?,
        "priorityclass" => policy::priority_class(&args, ctx)?,
        service => network::service(
            &args,
            ctx,
            service.rsplit(' ').next().unwrap_or("clusterip"),
        )?,
    };
    send_generated(generated, ctx, env, out, dry, &format)
}

/// cobra's MarkFlagRequired, checked before anything else.
fn required_flags(ctx: &Ctx, sub: &str) -> Result<(), KubectlError> {
    let required: &[&str] = match sub {
        "deployment" => &["image"],
        "cronjob" => &["image", "schedule"],
        "clusterrolebinding" => &["clusterrole"],
        "service externalname" => &["external-name"],
        _ => &[],
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|f| !ctx.parsed.has(f))
        .map(|f| format!("\"{f}\""))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(KubectlError::msg(format!(
            "required flag(s) {} not set",
            missing.join(", ")
        )))
    }
}

/// Creates (or, with `--dry-run=client`, only prints) a generated object.
fn send_generated(
    generated: Generated,
    ctx: &Ctx,
    env: &mut Env<'_>,
    out: &mut Outcome,
    dry: DryRun,
    format: &OutputFormat,
) -> Result<(), KubectlError> {
    let mut value = generated.value;
    // The generators name the namespace only when `-n` was given (EnforceNamespace).
    let namespaced = api::by_gvk(
        value["apiVersion"].as_str().unwrap_or(""),
        value["kind"].as_str().unwrap_or(""),
    )
    .is_some_and(|i| i.namespaced);
    if namespaced && ctx.explicit_namespace {
        value["metadata"]["namespace"] = Value::String(ctx.namespace.clone());
    }
    let mut obj = Object::from_value(value).map_err(|e| KubectlError::msg(e.to_string()))?;
    if ctx.parsed.bool("save-config") {
        let ns = obj.namespace().map(str::to_string);
        let cfg = last_applied_text(&obj.to_value(), ns.as_deref());
        set_annotation(&mut obj, LAST_APPLIED, &cfg);
    }
    let shown = if dry == DryRun::Client {
        Arc::new(obj)
    } else {
        let ns = namespaced.then(|| ctx.namespace.clone());
        env.store
            .create(
                ns.as_deref(),
                obj,
                &CreateOptions {
                    dry_run: dry == DryRun::Server,
                },
            )
            .map_err(|e| match generated.failure {
                Some(prefix) => KubectlError::msg(format!("{prefix}{e}")),
                None => KubectlError::from(e),
            })?
    };
    print_result(&shown, "created", dry, format, out);
    Ok(())
}

/// The container name kubectl derives from an image (`nginx:1.25` → `nginx`,
/// `registry:5000/team/app@sha256:…` → `app`).
pub fn container_name_from_image(image: &str) -> String {
    let base = image.rsplit('/').next().unwrap_or(image);
    let base = base.split('@').next().unwrap_or(base);
    base.split(':').next().unwrap_or(base).to_string()
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
