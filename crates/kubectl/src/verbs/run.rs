//! `kubectl run` and `kubectl expose`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/run/run.go and generate/versioned/run.go
//! (v1.34): a bare Pod labelled `run=<name>` (or `--labels`), one container named after the
//! pod, `--port`, `--env`, `--restart`, `--command`, args after `--`; and expose.go with the
//! service generator: selector and ports copied from the exposed object. Both take
//! `--overrides` (`overrides`).

use std::sync::Arc;

use api::Object;
use serde_json::{Map, Value, json};

use super::Ctx;
use super::create::send;
use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::{Env, Outcome};

/// Runs `kubectl run`.
///
/// # Errors
/// Usage errors and the store's errors.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let before_dash = p.args_len_at_dash.unwrap_or(p.args.len());
    let Some(name) = p.args.first().filter(|_| before_dash >= 1).cloned() else {
        return Err(ctx.usage("NAME is required for run"));
    };
    let image = p.string("image").unwrap_or("");
    if image.is_empty() {
        return Err(KubectlError::msg("--image is required"));
    }
    let rest: Vec<String> = p.args[1..].to_vec();
    let restart = p.string("restart").unwrap_or("Always");
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return Err(KubectlError::msg(format!(
            "invalid restart policy: {restart}"
        )));
    }
    // run.go `Run`: -i implies --attach unless --attach was given.
    let interactive = p.bool("stdin");
    let attach = if p.has("attach") { p.bool("attach") } else { interactive };
    let dry = ctx.dry_run()?;
    if dry != super::DryRun::None && (attach || interactive || p.bool("tty")) {
        return Err(KubectlError::msg(
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        ));
    }
    if p.bool("rm") && !attach {
        return Err(ctx.usage("--rm should only be used for attached containers"));
    }
    if p.bool("tty") && !interactive {
        return Err(ctx.usage("-i/--stdin is required for containers with -t/--tty=true"));
    }
    let mut labels = Map::new();
    match p.string("labels").filter(|l| !l.is_empty()) {
        Some(l) => {
            for kv in l.split(',') {
                let Some((k, v)) = kv.split_once('=') else {
                    return Err(KubectlError::msg(format!("invalid label spec: {kv}")));
                };
                labels.insert(k.to_string(), json!(v));
            }
        }
        None => {
            labels.insert("run".into(), json!(name));
        }
    }
    let mut c = Map::new();
    c.insert("name".into(), json!(name));
    c.insert("image".into(), json!(image));
    if !rest.is_empty() {
        c.insert(
            if p.bool("command") { "command" } else { "args" }.into(),
            json!(rest),
        );
    }
    if let Some(port) = p.string("port").filter(|s| !s.is_empty()) {
        let n: i64 = port.parse().map_err(|_| {
            KubectlError::msg(format!("strconv.Atoi: parsing \"{port}\": invalid syntax"))
        })?;
        c.insert("ports".into(), json!([{"containerPort": n}]));
    }
    let envs: Vec<Value> = p
        .all("env")
        .iter()
        .map(|e| match e.split_once('=') {
            Some((k, v)) => json!({"name": k, "value": v}),
            None => json!({"name": e}),
        })
        .collect();
    if !envs.is_empty() {
        c.insert("env".into(), Value::Array(envs));
    }
    if let Some(pp) = p.string("image-pull-policy").filter(|s| !s.is_empty()) {
        c.insert("imagePullPolicy".into(), json!(pp));
    }
    if interactive {
        c.insert("stdin".into(), json!(true));
        if !p.bool("leave-stdin-open") {
            c.insert("stdinOnce".into(), json!(true));
        }
    }
    if p.bool("tty") {
        c.insert("tty".into(), json!(true));
    }
    c.insert("resources".into(), json!({}));
    let mut meta = json!({"name": name, "labels": labels});
    let annotations: Map<String, Value> = p
        .all("annotations")
        .iter()
        .filter_map(|a| a.split_once('=').map(|(k, v)| (k.to_string(), json!(v))))
        .collect();
    if !annotations.is_empty() {
        meta["annotations"] = Value::Object(annotations);
    }
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": meta,
        "spec": {"containers": [Value::Object(c)], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        "status": {},
    });
    let pod = super::overrides::apply(p, pod, "Pod")?;
    let obj = Object::from_value(pod).map_err(|e| KubectlError::msg(e.to_string()))?;
    let format = super::get::output_format(p.string("output").unwrap_or(""), env)?;
    if attach {
        // kubectl prints nothing about the new pod; it waits for it and attaches.
        let mut quiet = Outcome::default();
        let created = send(obj, ctx, env, &mut quiet, dry, &format, None)?;
        out.attach = Some(super::attach::Attach {
            namespace: created.namespace().unwrap_or(&ctx.namespace).to_string(),
            pod: name.clone(),
            container: name,
            stdin: interactive,
            tty: p.bool("tty"),
            remove: p.bool("rm"),
            restart: restart.to_string(),
            shell: super::exec::is_shell(&rest).then(|| rest[0].clone()),
            quiet: p.bool("quiet"),
        });
        return Ok(());
    }
    send(obj, ctx, env, out, dry, &format, None)?;
    Ok(())
}

/// Selector, ports (number, protocol, name) and labels copied from an exposed object.
type Exposed = (
    Map<String, Value>,
    Vec<(i64, String, Option<String>)>,
    Option<Map<String, Value>>,
);

/// Runs `kubectl expose`.
///
/// # Errors
/// kubectl's expose errors and the store's errors.
pub fn expose(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    if p.args.is_empty() {
        return Err(ctx.usage("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"));
    }
    let targets = resources::resolve_args(&p.args)?;
    let Some(Target::Named(info, name)) = targets.into_iter().next() else {
        return Err(KubectlError::msg(
            "resource(s) were provided, but no name was specified",
        ));
    };
    let obj: Arc<Object> = env.store.get(info, ctx.ns_for(info), &name)?;
    let (selector, ports, labels): Exposed = match &*obj {
        Object::Pod(pod) => {
            let labels = pod.metadata.labels.clone().unwrap_or_default();
            let ports = pod
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .map(|cp| {
                    (
                        i64::from(cp.container_port),
                        cp.protocol.clone().unwrap_or_else(|| "TCP".into()),
                        cp.name.clone(),
                    )
                })
                .collect();
            (to_map(&labels), ports, Some(to_map(&labels)))
        }
        Object::Service(svc) => {
            let sel = svc
                .spec
                .as_ref()
                .and_then(|s| s.selector.clone())
                .unwrap_or_default();
            let ports = svc
                .spec
                .iter()
                .flat_map(|s| s.ports.iter().flatten())
                .map(|sp| {
                    (
                        i64::from(sp.port),
                        sp.protocol.clone().unwrap_or_else(|| "TCP".into()),
                        sp.name.clone(),
                    )
                })
                .collect();
            (
                to_map(&sel),
                ports,
                svc.metadata.labels.as_ref().map(to_map),
            )
        }
        other => {
            let v = other.to_value();
            let sel = v
                .pointer("/spec/selector/matchLabels")
                .or_else(|| v.pointer("/spec/selector"))
                .cloned()
                .unwrap_or(json!({}));
            if v.pointer("/spec/selector/matchExpressions").is_some() {
                return Err(KubectlError::msg(
                    "couldn't convert expressions - \"expressions\" to map-based selector format",
                ));
            }
            let ports = v
                .pointer("/spec/template/spec/containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|c| {
                    c.get("ports")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .filter_map(|cp| {
                    Some((
                        cp.get("containerPort")?.as_i64()?,
                        cp.get("protocol")
                            .and_then(Value::as_str)
                            .unwrap_or("TCP")
                            .to_string(),
                        cp.get("name").and_then(Value::as_str).map(str::to_string),
                    ))
                })
                .collect();
            let labels = v
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .cloned();
            (sel.as_object().cloned().unwrap_or_default(), ports, labels)
        }
    };
    let selector = match p.string("selector").filter(|s| !s.is_empty()) {
        Some(s) => s
            .split(',')
            .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.to_string(), json!(v))))
            .collect(),
        None => selector,
    };
    if selector.is_empty() {
        return Err(KubectlError::msg(format!(
            "couldn't retrieve selectors via --selector flag or introspection: the {} has no labels",
            info.kind.to_lowercase()
        )));
    }
    let target_port = p.string("target-port").filter(|s| !s.is_empty());
    let svc_ports: Vec<Value> = match p.string("port").filter(|s| !s.is_empty()) {
        Some(port) => {
            let n: i64 = port.parse().map_err(|_| {
                KubectlError::msg(format!("strconv.Atoi: parsing \"{port}\": invalid syntax"))
            })?;
            let proto = p
                .string("protocol")
                .filter(|s| !s.is_empty())
                .unwrap_or("TCP");
            vec![
                json!({"port": n, "protocol": proto, "targetPort": int_or_string(target_port.unwrap_or(port))}),
            ]
        }
        None => {
            if ports.is_empty() {
                return Err(KubectlError::msg(
                    "couldn't find port via --port flag or introspection",
                ));
            }
            let multi = ports.len() > 1;
            ports
                .iter()
                .enumerate()
                .map(|(i, (n, proto, pname))| {
                    let mut m = json!({"port": n, "protocol": proto, "targetPort": target_port.map_or(json!(n), int_or_string)});
                    if multi {
                        m["name"] = json!(pname.clone().unwrap_or_else(|| format!("port-{}", i + 1)));
                    }
                    m
                })
                .collect()
        }
    };
    let svc_name = p
        .string("name")
        .filter(|s| !s.is_empty())
        .unwrap_or(&name)
        .to_string();
    let mut spec = json!({"ports": svc_ports, "selector": selector});
    if let Some(t) = p.string("type").filter(|s| !s.is_empty()) {
        spec["type"] = json!(t);
    }
    if let Some(ip) = p.string("cluster-ip").filter(|s| !s.is_empty()) {
        spec["clusterIP"] = json!(ip);
    }
    if let Some(ip) = p.string("external-ip").filter(|s| !s.is_empty()) {
        spec["externalIPs"] = json!([ip]);
    }
    let mut meta = json!({"name": svc_name});
    if let Some(l) = labels.filter(|l| !l.is_empty()) {
        meta["labels"] = Value::Object(l);
    }
    let svc = super::overrides::apply(
        p,
        json!({"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}),
        "Service",
    )?;
    let svc = Object::from_value(svc).map_err(|e| KubectlError::msg(e.to_string()))?;
    let format = super::get::output_format(p.string("output").unwrap_or(""), env)?;
    let dry = ctx.dry_run()?;
    let created = if format.is_table() {
        let mut silent = Outcome::default();
        let c = send(svc, ctx, env, &mut silent, dry, &format, None)?;
        out.out(format!("service/{} exposed{}", c.name(), dry.suffix()));
        c
    } else {
        send(svc, ctx, env, out, dry, &format, None)?
    };
    let _ = created;
    Ok(())
}

fn to_map(m: &std::collections::BTreeMap<String, String>) -> Map<String, Value> {
    m.iter().map(|(k, v)| (k.clone(), json!(v))).collect()
}

fn int_or_string(s: &str) -> Value {
    s.parse::<i64>().map_or_else(|_| json!(s), |n| json!(n))
}
