//! `create service clusterip|nodeport|loadbalancer|externalname` and `create ingress`.
//!
//! Mirrors create_service.go and create_ingress.go (v1.34): `--rule
//! host/path=service:port[,tls[=secret]]` (a path ending in `*` is a Prefix path, others
//! Exact), rules of one host merged, TLS entries grouped by secret.

use serde_json::{Map, Value, json};

use super::{Args, Ctx, Generated};
use crate::errors::KubectlError;

pub fn service(args: &Args, ctx: &Ctx, kind: &str) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let name = &args.name;
    let t = match kind {
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        "externalname" => "ExternalName",
        _ => "ClusterIP",
    };
    let cluster_ip = p.string("clusterip").unwrap_or("");
    let tcp = p.all("tcp");
    let external_name = p.string("external-name").unwrap_or("");
    if cluster_ip == "None" && t != "ClusterIP" {
        return Err(KubectlError::msg(
            "ClusterIP=None can only be used with ClusterIP service type",
        ));
    }
    if cluster_ip != "None" && tcp.is_empty() && t != "ExternalName" {
        return Err(KubectlError::msg(
            "at least one tcp port specifier must be provided",
        ));
    }
    if t == "ExternalName" && !machinery::validation::is_dns1123_subdomain(external_name).is_empty()
    {
        return Err(KubectlError::msg(format!(
            "invalid service external name {external_name}"
        )));
    }
    let mut ports = Vec::new();
    for spec in &tcp {
        // parsePorts: `port[:targetPort]`, the target a number or a port name.
        let (port, target) = spec
            .split_once(':')
            .unwrap_or((spec.as_str(), spec.as_str()));
        // utilsnet.ParsePort(port, allowZero=true): strconv.ParseUint(port, 10, 16).
        let port_n: u16 = port.parse().map_err(|_| {
            let why = if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            KubectlError::msg(format!("strconv.ParseUint: parsing {port:?}: {why}"))
        })?;
        let target_v = match target.parse::<i64>() {
            Ok(n) => {
                let errs = machinery::validation::is_valid_port_num(n as i32);
                if !errs.is_empty() {
                    return Err(KubectlError::msg(errs.join(",")));
                }
                json!(n)
            }
            Err(_) => {
                let errs = machinery::validation::is_valid_port_name(target);
                if !errs.is_empty() {
                    return Err(KubectlError::msg(errs.join(",")));
                }
                json!(target)
            }
        };
        let mut pm = json!({"name": spec.replace(':', "-"), "port": port_n, "protocol": "TCP", "targetPort": target_v});
        if let Some(np) = p.int("node-port").filter(|n| *n > 0) {
            pm["nodePort"] = json!(np);
        }
        ports.push(pm);
    }
    let mut spec = json!({"selector": {"app": name}, "type": t});
    if !ports.is_empty() {
        spec["ports"] = json!(ports);
    }
    if !external_name.is_empty() {
        spec["externalName"] = json!(external_name);
    }
    if !cluster_ip.is_empty() {
        spec["clusterIP"] = json!(cluster_ip);
    }
    let failure: &'static str = match t {
        "NodePort" => "failed to create NodePort service: ",
        "LoadBalancer" => "failed to create LoadBalancer service: ",
        "ExternalName" => "failed to create ExternalName service: ",
        _ => "failed to create ClusterIP service: ",
    };
    Ok(Generated::new(
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "labels": {"app": name}},
            "spec": spec,
            "status": {"loadBalancer": {}},
        }),
        failure,
    ))
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `rule` matches create_ingress.go's
/// `^(?P<host>[\w\*\-\.]*)(?P<path>/.*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)` (followed by
/// the optional `,tls[=secret]`, which never makes a match fail).
fn rule_matches(rule: &str) -> bool {
    let Some(slash) = rule.find('/') else {
        return false;
    };
    if !rule[..slash]
        .chars()
        .all(|c| is_word(c) || c == '*' || c == '-' || c == '.')
    {
        return false;
    }
    let rest = &rule[slash..];
    // The path is greedy: try each `=` from the last one back.
    rest.match_indices('=').rev().any(|(i, _)| {
        let svc = &rest[i + 1..];
        let name_len = svc.chars().take_while(|c| is_word(*c) || *c == '-').count();
        if name_len == 0 || !svc[name_len..].starts_with(':') {
            return false;
        }
        svc[name_len + 1..]
            .chars()
            .next()
            .is_some_and(|c| is_word(c) || c == '-')
    })
}

/// `buildIngressBackendSvc`: `name:port`, a numeric port as `number`, else `name`.
fn backend(service: &str) -> Value {
    let (name, port) = service.split_once(':').unwrap_or((service, ""));
    let port = match port.parse::<i32>() {
        Ok(n) => json!({"number": n}),
        Err(_) => json!({"name": port}),
    };
    json!({"service": {"name": name, "port": port}})
}

pub fn ingress(args: &Args, ctx: &Ctx) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let rules = p.all("rule");
    let annotations = p.all("annotation");
    let default_backend = p.string("default-backend").unwrap_or("");
    if default_backend.is_empty() && rules.is_empty() {
        return Err(KubectlError::msg(
            "not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)",
        ));
    }
    for r in &rules {
        if !rule_matches(r) {
            return Err(KubectlError::msg(format!(
                "rule {r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]"
            )));
        }
    }
    let mut ann = Map::new();
    for a in &annotations {
        let Some((k, v)) = a.split_once('=') else {
            return Err(KubectlError::msg(format!(
                "annotation {a} is invalid and should be in format key=[value]"
            )));
        };
        ann.insert(k.to_string(), json!(v));
    }
    if !default_backend.is_empty() && default_backend.split(':').count() != 2 {
        return Err(KubectlError::msg(
            "default-backend should be in format servicename:serviceport",
        ));
    }
    let mut spec = Map::new();
    if let Some(class) = p.string("class").filter(|c| !c.is_empty()) {
        spec.insert("ingressClassName".into(), json!(class));
    }
    if !default_backend.is_empty() {
        spec.insert("defaultBackend".into(), backend(default_backend));
    }
    // buildTLSRules: one entry per secret, hosts appended in rule order.
    let mut tls: Vec<(String, Vec<String>)> = Vec::new();
    let mut seen_hosts: Vec<String> = Vec::new();
    for r in &rules {
        let parts: Vec<&str> = r.split(',').collect();
        if parts.len() != 2 {
            continue;
        }
        let host = r.split_once('/').map_or("", |x| x.0).to_string();
        let secret = parts[1].split('=').nth(1).unwrap_or("").to_string();
        if seen_hosts.contains(&host) {
            continue;
        }
        seen_hosts.push(host.clone());
        if let Some(entry) = tls.iter_mut().find(|(s, _)| *s == secret) {
            entry.1.push(host);
            continue;
        }
        let hosts = if host.is_empty() {
            Vec::new()
        } else {
            vec![host]
        };
        if !secret.is_empty() || !hosts.is_empty() {
            tls.push((secret, hosts));
        }
    }
    if !tls.is_empty() {
        let list: Vec<Value> = tls
            .into_iter()
            .map(|(secret, hosts)| {
                let mut t = Map::new();
                if !hosts.is_empty() {
                    t.insert("hosts".into(), json!(hosts));
                }
                if !secret.is_empty() {
                    t.insert("secretName".into(), json!(secret));
                }
                Value::Object(t)
            })
            .collect();
        spec.insert("tls".into(), Value::Array(list));
    }
    // buildIngressRules: paths of one host share a rule.
    let mut rule_list: Vec<(String, Vec<Value>)> = Vec::new();
    for r in &rules {
        let without_tls = r.split(',').next().unwrap_or("");
        let (host, path_svc) = without_tls.split_once('/').unwrap_or(("", without_tls));
        let (path, svc) = path_svc.split_once('=').unwrap_or((path_svc, ""));
        let mut path = format!("/{path}");
        let mut path_type = "Exact";
        if path.ends_with('*') {
            path_type = "Prefix";
            path.pop();
        }
        let entry = json!({"path": path, "pathType": path_type, "backend": backend(svc)});
        match rule_list.iter_mut().find(|(h, _)| h == host) {
            Some((_, paths)) => paths.push(entry),
            None => rule_list.push((host.to_string(), vec![entry])),
        }
    }
    if !rule_list.is_empty() {
        let list: Vec<Value> = rule_list
            .into_iter()
            .map(|(host, paths)| {
                let mut r = json!({"http": {"paths": paths}});
                if !host.is_empty() {
                    r["host"] = json!(host);
                }
                r
            })
            .collect();
        spec.insert("rules".into(), Value::Array(list));
    }
    let mut metadata = json!({"name": args.name});
    if !ann.is_empty() {
        metadata["annotations"] = Value::Object(ann);
    }
    Ok(Generated::new(
        json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": metadata,
            "spec": spec,
            "status": {"loadBalancer": {}},
        }),
        "failed to create ingress: ",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingress_rule_syntax() {
        assert!(rule_matches("foo.com/bar=svc1:8080,tls=my-cert"));
        assert!(rule_matches("/path=svc:port"));
        assert!(rule_matches("foo.com/a=b=svc:80"));
        assert!(!rule_matches("foo.com=svc:80"));
        assert!(!rule_matches("foo.com/bar=svc"));
        assert!(!rule_matches("foo/bar/=svc:"));
    }
}
