//! Discovery and configuration commands: api-resources, api-versions, version,
//! cluster-info, config, auth can-i.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/{apiresources, version, clusterinfo, config,
//! auth}/*.go (v1.34) for the forms the course uses.

use serde_json::{Value, json};

use super::Ctx;
use crate::errors::KubectlError;
use crate::render::{table, yaml};
use crate::{Env, Outcome};

/// The client and server version kubelab reports.
pub const KUBE_VERSION: &str = "v1.34.0";
/// The kustomize version bundled with kubectl v1.34.
pub const KUSTOMIZE_VERSION: &str = "v5.7.1";

/// `kubectl api-resources`.
///
/// # Errors
/// An unknown `-o` value.
pub fn api_resources(ctx: &Ctx, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let wide = match p.string("output").unwrap_or("") {
        "" => false,
        "wide" => true,
        "name" => {
            for k in resources(ctx) {
                out.out(k.qualified_plural());
            }
            return Ok(());
        }
        other => {
            return Err(KubectlError::msg(format!(
                "--output {other} is not available"
            )));
        }
    };
    let mut rows = Vec::new();
    if !p.bool("no-headers") {
        let mut h: Vec<String> = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if wide {
            h.push("VERBS".into());
            h.push("CATEGORIES".into());
        }
        rows.push(h);
    }
    for k in resources(ctx) {
        let mut r = vec![
            k.plural.to_string(),
            k.short_names.join(","),
            k.api_version(),
            k.namespaced.to_string(),
            k.kind.to_string(),
        ];
        if wide {
            r.push(format!("[{}]", k.verbs.join(" ")));
            r.push(k.categories.join(","));
        }
        rows.push(r);
    }
    for l in table::align(&rows) {
        out.out(l);
    }
    Ok(())
}

fn resources(ctx: &Ctx) -> Vec<&'static api::KindInfo> {
    let p = &ctx.parsed;
    let mut ks: Vec<&'static api::KindInfo> =
        api::kinds::KINDS.iter().filter(|k| k.preferred).collect();
    if p.has("namespaced") {
        let want = p.bool("namespaced");
        ks.retain(|k| k.namespaced == want);
    }
    if let Some(g) = p.string("api-group") {
        ks.retain(|k| k.group == g);
    }
    let verbs = p.all("verbs");
    ks.retain(|k| verbs.iter().all(|v| k.verbs.contains(&v.as_str())));
    match p.string("sort-by") {
        Some("name") => machinery::sort::sort_by_key(&mut ks, |k| k.plural),
        Some("kind") => machinery::sort::sort_by_key(&mut ks, |k| k.kind),
        _ => machinery::sort::sort_by_key(&mut ks, |k| (!k.group.is_empty(), k.group, k.plural)),
    }
    ks
}

/// `kubectl api-versions`: every served group/version, sorted.
///
/// # Errors
/// None today.
pub fn api_versions(out: &mut Outcome) -> Result<(), KubectlError> {
    let mut v: Vec<String> = api::kinds::KINDS.iter().map(|k| k.api_version()).collect();
    machinery::sort::sort(&mut v);
    v.dedup();
    for x in v {
        out.out(x);
    }
    Ok(())
}

/// `kubectl version`.
///
/// # Errors
/// An unknown `-o` value.
pub fn version(ctx: &Ctx, out: &mut Outcome) -> Result<(), KubectlError> {
    let client = ctx.parsed.bool("client");
    let info = |v: &str| json!({"major": "1", "minor": "34", "gitVersion": v, "gitCommit": "", "gitTreeState": "clean", "buildDate": "", "goVersion": "go1.24.6", "compiler": "gc", "platform": "linux/amd64"});
    let mut doc =
        json!({"clientVersion": info(KUBE_VERSION), "kustomizeVersion": KUSTOMIZE_VERSION});
    if !client {
        doc["serverVersion"] = info(KUBE_VERSION);
    }
    match ctx.parsed.string("output").unwrap_or("") {
        "" => {
            out.out(format!("Client Version: {KUBE_VERSION}"));
            out.out(format!("Kustomize Version: {KUSTOMIZE_VERSION}"));
            if !client {
                out.out(format!("Server Version: {KUBE_VERSION}"));
            }
        }
        "yaml" => out.out_block(&yaml::to_yaml(&doc)),
        "json" => out.out_block(&crate::render::json::to_json(&doc)),
        other => {
            return Err(KubectlError::msg(format!(
                "--output must be 'yaml' or 'json', got {other:?}"
            )));
        }
    }
    Ok(())
}

/// `kubectl cluster-info`.
///
/// # Errors
/// None today.
pub fn cluster_info(env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let server = env.config.server.clone();
    out.out(format!("Kubernetes control plane is running at {server}"));
    if let Some(info) = api::by_gvk("v1", "Service")
        && let Ok(list) = env.store.list(
            info,
            Some("kube-system"),
            &cluster::apiserver::ListOptions {
                label_selector: "kubernetes.io/cluster-service=true".into(),
                ..Default::default()
            },
        )
    {
        for svc in list.items {
            let name = svc
                .meta()
                .labels
                .as_ref()
                .and_then(|l| l.get("kubernetes.io/name"))
                .cloned()
                .unwrap_or_else(|| svc.name().to_string());
            let port = match &*svc {
                api::Object::Service(s) => s
                    .spec
                    .as_ref()
                    .and_then(|sp| sp.ports.as_ref())
                    .and_then(|p| p.first())
                    .and_then(|p| p.name.clone())
                    .map(|n| format!(":{n}"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            out.out(format!("{name} is running at {server}/api/v1/namespaces/kube-system/services/{}{port}/proxy", svc.name()));
        }
    }
    out.out("");
    out.out("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.");
    Ok(())
}

/// `kubectl config current-context|get-contexts|use-context|set-context|view`.
///
/// # Errors
/// Unknown contexts and usage errors, in kubectl's words.
pub fn config(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let cfg = &mut *env.config;
    match ctx.path.rsplit(' ').next().unwrap_or("") {
        // config/current_context.go: an unset context is an error, not an empty line.
        "current-context" if cfg.current_context.is_empty() => {
            return Err(KubectlError::msg("current-context is not set"));
        }
        "current-context" => out.out(cfg.current_context.clone()),
        "get-contexts" => {
            if p.string("output") == Some("name") {
                for n in cfg.contexts.keys() {
                    out.out(n.clone());
                }
                return Ok(());
            }
            let mut rows = Vec::new();
            if !p.bool("no-headers") {
                rows.push(
                    ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                );
            }
            for (n, c) in &cfg.contexts {
                if !p.args.is_empty() && !p.args.contains(n) {
                    continue;
                }
                let cur = if *n == cfg.current_context { "*" } else { "" };
                rows.push(vec![
                    cur.to_string(),
                    n.clone(),
                    c.cluster.clone(),
                    c.user.clone(),
                    c.namespace.clone().unwrap_or_default(),
                ]);
            }
            for l in table::align(&rows) {
                out.out(l);
            }
        }
        "use-context" => {
            let Some(name) = p.args.first() else {
                return Err(ctx.usage("Unexpected args: []"));
            };
            if !cfg.contexts.contains_key(name) {
                return Err(KubectlError::msg(format!(
                    "no context exists with the name: \"{name}\""
                )));
            }
            cfg.current_context = name.clone();
            out.out(format!("Switched to context \"{name}\"."));
        }
        "set-context" => {
            let name = if p.bool("current") {
                if !p.args.is_empty() {
                    return Err(KubectlError::msg(
                        "you cannot specify both a context name and --current",
                    ));
                }
                cfg.current_context.clone()
            } else {
                match p.args.first() {
                    Some(n) => n.clone(),
                    None => {
                        return Err(KubectlError::msg(
                            "you must specify a non-empty context name or --current",
                        ));
                    }
                }
            };
            let existed = cfg.contexts.contains_key(&name);
            // A new context starts empty (clientcmdapi.NewContext): only the flags given
            // fill it in (kubectl/pkg/cmd/config/set_context.go, modifyContext).
            let entry = cfg
                .contexts
                .entry(name.clone())
                .or_insert_with(|| crate::ContextEntry {
                    cluster: String::new(),
                    user: String::new(),
                    namespace: None,
                });
            if let Some(cluster) = p.string("cluster") {
                entry.cluster = cluster.to_string();
            }
            if let Some(user) = p.string("user") {
                entry.user = user.to_string();
            }
            if let Some(ns) = p.string("namespace") {
                entry.namespace = Some(ns.to_string());
            }
            out.out(format!(
                "Context \"{name}\" {}.",
                if existed { "modified" } else { "created" }
            ));
        }
        "view" => {
            let contexts: Vec<Value> = cfg
                .contexts
                .iter()
                .map(|(n, c)| {
                    let mut cx = json!({"cluster": c.cluster, "user": c.user});
                    if let Some(ns) = &c.namespace {
                        cx["namespace"] = json!(ns);
                    }
                    json!({"context": cx, "name": n})
                })
                .collect();
            let doc = json!({
                "apiVersion": "v1",
                "clusters": [{"cluster": {"certificate-authority-data": "DATA+OMITTED", "server": cfg.server}, "name": cfg.cluster}],
                "contexts": contexts,
                "current-context": cfg.current_context,
                "kind": "Config",
                "preferences": {},
                "users": [{"name": cfg.cluster, "user": {"client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED"}}],
            });
            match p.string("output").unwrap_or("yaml") {
                "json" => out.out_block(&crate::render::json::to_json(&doc)),
                _ => out.out_block(&yaml::to_yaml(&doc)),
            }
        }
        _ => {}
    }
    Ok(())
}
