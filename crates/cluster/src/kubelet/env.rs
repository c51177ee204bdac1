//! A container's environment as the kubelet builds it before starting the container.
//!
//! Mirrors pkg/kubelet/kubelet_pods.go `makeEnvironmentVariables` (v1.34): Service variables
//! (the pod's namespace when `enableServiceLinks`, plus `kubernetes` from `default`), then
//! `envFrom` sources, then `env` entries in order with `$(VAR)` expansion
//! (third_party/forked/golang/expansion) and `valueFrom` sources; Service variables that no
//! declared variable shadows come last. `command`/`args` expand against the result
//! (kubecontainer.ExpandContainerCommandAndArgs).
//!
//! Errors carry the kubelet's words: the watch-based ConfigMap/Secret managers report a
//! missing object with the singular resource (`configmap "x" not found`).

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use machinery::envvars::{self, ServiceInfo, ServicePortInfo};
use machinery::quantity::Quantity;

use crate::apiserver::Store;
use crate::controller::kind_of;

/// What the kubelet knows besides the store when it builds an environment.
#[derive(Debug, Clone, Copy)]
pub struct EnvContext<'a> {
    pub store: &'a Store,
    pub pod: &'a corev1::Pod,
    pub pod_ip: &'a str,
    pub host_ip: &'a str,
}

/// A resolved environment: variables in the order the container sees them, and warnings the
/// kubelet records as events (reason, message).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedEnv {
    pub vars: Vec<(String, String)>,
    pub warnings: Vec<(String, String)>,
}

/// Builds the environment of `container`.
///
/// # Errors
/// The message the container waits with in `CreateContainerConfigError`.
pub fn container_env(
    cx: &EnvContext<'_>,
    container: &corev1::Container,
) -> Result<ResolvedEnv, String> {
    let ns = cx.pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut out = ResolvedEnv::default();
    let service_env = service_env(cx.store, cx.pod);
    // Declared variables in declaration order (envFrom keys, then env names).
    let mut declared: Vec<(String, String)> = Vec::new();
    let set = |declared: &mut Vec<(String, String)>, k: String, v: String| match declared
        .iter_mut()
        .find(|(n, _)| *n == k)
    {
        Some(e) => e.1 = v,
        None => declared.push((k, v)),
    };
    for from in container.env_from.iter().flatten() {
        let prefix = from.prefix.clone().unwrap_or_default();
        let (data, what, name) = if let Some(r) = &from.config_map_ref {
            match config_map(cx.store, ns, &r.name) {
                Some(cm) => (cm, "configMap", r.name.clone()),
                None if r.optional == Some(true) => continue,
                None => return Err(format!("configmap \"{}\" not found", r.name)),
            }
        } else if let Some(r) = &from.secret_ref {
            match secret(cx.store, ns, &r.name) {
                Some(s) => (s, "secret", r.name.clone()),
                None if r.optional == Some(true) => continue,
                None => return Err(format!("secret \"{}\" not found", r.name)),
            }
        } else {
            continue;
        };
        let mut invalid = Vec::new();
        for (k, v) in data {
            let key = format!("{prefix}{k}");
            if !is_relaxed_env_var_name(&key) {
                invalid.push(key);
                continue;
            }
            set(&mut declared, key, v);
        }
        if !invalid.is_empty() {
            invalid.sort();
            out.warnings.push((
                "InvalidEnvironmentVariableNames".into(),
                format!(
                    "Keys [{}] from the EnvFrom {what} {ns}/{name} were skipped since they are considered invalid environment variable names.",
                    invalid.join(", ")
                ),
            ));
        }
    }
    for e in container.env.iter().flatten() {
        let value = match (&e.value, &e.value_from) {
            (Some(v), _) if !v.is_empty() => {
                let lookup = |name: &str| -> Option<String> {
                    declared
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                        .or_else(|| {
                            service_env
                                .iter()
                                .find(|(k, _)| k == name)
                                .map(|(_, v)| v.clone())
                        })
                };
                expand(v, &lookup)
            }
            (_, Some(from)) => match value_from(cx, container, ns, from)? {
                Some(v) => v,
                None => continue,
            },
            _ => String::new(),
        };
        set(&mut declared, e.name.clone(), value);
    }
    out.vars = declared;
    for (k, v) in service_env {
        if !out.vars.iter().any(|(n, _)| *n == k) {
            out.vars.push((k, v));
        }
    }
    Ok(out)
}

/// `command` and `args` with `$(VAR)` references to the container's environment expanded.
pub fn expand_command(words: &[String], vars: &[(String, String)]) -> Vec<String> {
    let lookup = |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    words.iter().map(|w| expand(w, &lookup)).collect()
}

/// Mirrors expansion.Expand: `$(VAR)` becomes the variable's value when defined and stays as
/// written otherwise; `$$` is an escaped `$`; any other `$` is literal.
pub fn expand(input: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let bytes = input.as_bytes();
    let mut i = 0;
    let mut checkpoint = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && i + 1 < bytes.len() {
            out.push_str(&input[checkpoint..i]);
            match bytes[i + 1] {
                b'$' => {
                    out.push('$');
                    i += 2;
                }
                b'(' => match input[i + 2..].find(')') {
                    Some(end) => {
                        let name = &input[i + 2..i + 2 + end];
                        match lookup(name) {
                            Some(v) => out.push_str(&v),
                            None => out.push_str(&input[i..i + 3 + end]),
                        }
                        i += 3 + end;
                    }
                    None => {
                        // Unterminated reference: kept as written.
                        out.push_str(&input[i..]);
                        i = bytes.len();
                    }
                },
                _ => {
                    out.push('$');
                    i += 1;
                }
            }
            checkpoint = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&input[checkpoint.min(input.len())..]);
    out
}

fn value_from(
    cx: &EnvContext<'_>,
    container: &corev1::Container,
    ns: &str,
    from: &corev1::EnvVarSource,
) -> Result<Option<String>, String> {
    if let Some(r) = &from.config_map_key_ref {
        let optional = r.optional == Some(true);
        let Some(data) = config_map(cx.store, ns, &r.name) else {
            return if optional {
                Ok(None)
            } else {
                Err(format!("configmap \"{}\" not found", r.name))
            };
        };
        return match data.get(&r.key) {
            Some(v) => Ok(Some(v.clone())),
            None if optional => Ok(None),
            None => Err(format!(
                "couldn't find key {} in ConfigMap {ns}/{}",
                r.key, r.name
            )),
        };
    }
    if let Some(r) = &from.secret_key_ref {
        let optional = r.optional == Some(true);
        let Some(data) = secret(cx.store, ns, &r.name) else {
            return if optional {
                Ok(None)
            } else {
                Err(format!("secret \"{}\" not found", r.name))
            };
        };
        return match data.get(&r.key) {
            Some(v) => Ok(Some(v.clone())),
            None if optional => Ok(None),
            None => Err(format!(
                "couldn't find key {} in Secret {ns}/{}",
                r.key, r.name
            )),
        };
    }
    if let Some(f) = &from.field_ref {
        return pod_field(cx, &f.field_path).map(Some);
    }
    if let Some(r) = &from.resource_field_ref {
        let target = match r.container_name.as_deref().filter(|n| !n.is_empty()) {
            Some(n) => cx
                .pod
                .spec
                .iter()
                .flat_map(|s| {
                    s.containers
                        .iter()
                        .chain(s.init_containers.iter().flatten())
                })
                .find(|c| c.name == n)
                .ok_or_else(|| format!("container {n} not found"))?,
            None => container,
        };
        return resource_field(cx, target, r).map(Some);
    }
    Ok(Some(String::new()))
}

/// Mirrors podFieldSelectorRuntimeValue and fieldpath.ExtractFieldPathAsString.
pub fn pod_field(cx: &EnvContext<'_>, path: &str) -> Result<String, String> {
    let pod = cx.pod;
    let meta = &pod.metadata;
    let spec = pod.spec.as_ref();
    Ok(match path {
        "spec.nodeName" => spec.and_then(|s| s.node_name.clone()).unwrap_or_default(),
        "spec.serviceAccountName" => spec
            .and_then(|s| s.service_account_name.clone())
            .unwrap_or_default(),
        "status.hostIP" | "status.hostIPs" => cx.host_ip.to_string(),
        "status.podIP" | "status.podIPs" => cx.pod_ip.to_string(),
        "metadata.name" => meta.name.clone().unwrap_or_default(),
        "metadata.namespace" => meta.namespace.clone().unwrap_or_default(),
        "metadata.uid" => meta.uid.clone().unwrap_or_default(),
        "metadata.labels" => format_map(meta.labels.as_ref()),
        "metadata.annotations" => format_map(meta.annotations.as_ref()),
        _ => {
            let subscript = |prefix: &str| {
                path.strip_prefix(prefix)
                    .and_then(|r| r.strip_prefix("['"))
                    .and_then(|r| r.strip_suffix("']"))
                    .map(str::to_string)
            };
            if let Some(k) = subscript("metadata.labels") {
                meta.labels
                    .as_ref()
                    .and_then(|l| l.get(&k).cloned())
                    .unwrap_or_default()
            } else if let Some(k) = subscript("metadata.annotations") {
                meta.annotations
                    .as_ref()
                    .and_then(|l| l.get(&k).cloned())
                    .unwrap_or_default()
            } else {
                return Err(format!("unsupported fieldPath: {path}"));
            }
        }
    })
}

/// Mirrors fieldpath.FormatMap: sorted `key="value"` lines.
pub fn format_map(m: Option<&BTreeMap<String, String>>) -> String {
    m.map(|m| {
        m.iter()
            .map(|(k, v)| format!("{k}={v:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    })
    .unwrap_or_default()
}

/// Mirrors resource.ExtractContainerResourceValue with limits merged from the node's
/// allocatable (the kubelet's containerResourceRuntimeValue).
pub fn resource_field(
    cx: &EnvContext<'_>,
    container: &corev1::Container,
    r: &corev1::ResourceFieldSelector,
) -> Result<String, String> {
    let res = container.resources.as_ref();
    let (kind, name) = r
        .resource
        .split_once('.')
        .ok_or_else(|| format!("unsupported container resource : {}", r.resource))?;
    let from = match kind {
        "limits" => res.and_then(|r| r.limits.as_ref()),
        "requests" => res.and_then(|r| r.requests.as_ref()),
        _ => None,
    };
    let mut q = from.and_then(|m| m.get(name)).map(|q| q.0.clone());
    if q.is_none() && kind == "limits" {
        q = node_allocatable(cx, name);
    }
    let q = Quantity::parse(q.as_deref().unwrap_or("0")).map_err(|e| e.to_string())?;
    let divisor = r
        .divisor
        .as_ref()
        .map(|d| d.0.clone())
        .filter(|d| !d.is_empty() && d != "0")
        .unwrap_or_else(|| "1".into());
    let divisor = Quantity::parse(&divisor).map_err(|e| e.to_string())?;
    Ok(match name {
        "cpu" => {
            // convertResourceCPUToString: ceil(milli / divisor milli), at least 1.
            let d = divisor.milli_value().max(1);
            let v = (q.milli_value() + d - 1) / d;
            v.max(1).to_string()
        }
        _ => {
            let d = divisor.value().max(1);
            ((q.value() + d - 1) / d).to_string()
        }
    })
}

fn node_allocatable(cx: &EnvContext<'_>, name: &str) -> Option<String> {
    let node = cx.pod.spec.as_ref()?.node_name.as_deref()?;
    let obj = cx.store.get(kind_of::<corev1::Node>(), None, node).ok()?;
    let Object::Node(n) = &*obj else { return None };
    n.status
        .as_ref()?
        .allocatable
        .as_ref()?
        .get(name)
        .map(|q| q.0.clone())
}

/// The data of a ConfigMap (binaryData as lossy text), if it exists.
pub fn config_map(store: &Store, ns: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let obj = store
        .get(kind_of::<corev1::ConfigMap>(), Some(ns), name)
        .ok()?;
    let Object::ConfigMap(cm) = &*obj else {
        return None;
    };
    let mut data = cm.data.clone().unwrap_or_default();
    for (k, v) in cm.binary_data.iter().flatten() {
        data.insert(k.clone(), String::from_utf8_lossy(&v.0).into_owned());
    }
    Some(data)
}

/// The decoded data of a Secret (with `stringData` merged as the API server does), if it
/// exists.
pub fn secret(store: &Store, ns: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let obj = store
        .get(kind_of::<corev1::Secret>(), Some(ns), name)
        .ok()?;
    let Object::Secret(s) = &*obj else {
        return None;
    };
    let mut data: BTreeMap<String, String> = s
        .data
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), String::from_utf8_lossy(&v.0).into_owned()))
        .collect();
    for (k, v) in s.string_data.iter().flatten() {
        data.insert(k.clone(), v.clone());
    }
    Some(data)
}

/// The Service variables a pod sees, in upstream order: `getServiceEnvVarMap` takes the
/// `kubernetes` Service from `default` always and the pod's namespace's Services when
/// `enableServiceLinks` (default true); a same-named Service in the pod's namespace wins.
pub fn service_env(store: &Store, pod: &corev1::Pod) -> Vec<(String, String)> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let links = pod
        .spec
        .as_ref()
        .and_then(|s| s.enable_service_links)
        .unwrap_or(true);
    let info = kind_of::<corev1::Service>();
    let mut by_name: BTreeMap<String, ServiceInfo> = BTreeMap::new();
    let list = |ns: &str| {
        store
            .list(info, Some(ns), &Default::default())
            .map(|l| l.items)
            .unwrap_or_default()
    };
    for obj in list("default") {
        if let Object::Service(s) = &*obj
            && s.metadata.name.as_deref() == Some("kubernetes")
            && let Some(i) = service_info(s)
        {
            by_name.insert(i.name.clone(), i);
        }
    }
    if links {
        for obj in list(ns) {
            if let Object::Service(s) = &*obj
                && let Some(i) = service_info(s)
            {
                by_name.insert(i.name.clone(), i);
            }
        }
    }
    // The map's order is by name (upstream ranges over a map, then FromServices walks the
    // list it builds; sorted names are what a reproducible run can promise).
    let services: Vec<ServiceInfo> = by_name.into_values().collect();
    envvars::from_services(&services)
}

fn service_info(s: &corev1::Service) -> Option<ServiceInfo> {
    let spec = s.spec.as_ref()?;
    let ip = spec.cluster_ip.clone().unwrap_or_default();
    if ip.is_empty() || ip == "None" {
        return None;
    }
    Some(ServiceInfo {
        name: s.metadata.name.clone().unwrap_or_default(),
        cluster_ip: ip,
        ports: spec
            .ports
            .iter()
            .flatten()
            .map(|p| ServicePortInfo {
                name: p.name.clone().unwrap_or_default(),
                port: p.port,
                protocol: p.protocol.clone().unwrap_or_default(),
            })
            .collect(),
    })
}

/// Mirrors validation.IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, GA in
/// v1.34): printable ASCII without `=`, not empty.
pub fn is_relaxed_env_var_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'=')
}

#[cfg(test)]
mod tests;
