//! Pod spec validation.
//!
//! Mirrors pkg/apis/core/validation/validation.go `ValidatePodSpec` (v1.34) for volumes,
//! containers (names, images, ports, volume mounts, probes, resources), restart and DNS
//! policies. Not modeled yet: security contexts, affinity, topology spread, ephemeral
//! containers, host ports conflicts and resize policies.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1 as corev1;
use machinery::quantity::Quantity;
use machinery::validation as v;
use machinery::validation::field::{ErrorList, FieldError, quote};

const RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];
const DNS_POLICIES: &[&str] = &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];
const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];

/// Validates a pod spec found at `path` (`spec`, `spec.template.spec`).
pub fn pod_spec(spec: &corev1::PodSpec, path: &str, errs: &mut ErrorList) {
    let volumes = volumes(
        spec.volumes.as_deref().unwrap_or(&[]),
        &format!("{path}.volumes"),
        errs,
    );
    let mut names = BTreeSet::new();
    if let Some(init) = spec.init_containers.as_deref() {
        containers(
            init,
            &volumes,
            &format!("{path}.initContainers"),
            &mut names,
            errs,
        );
    }
    if spec.containers.is_empty() {
        errs.push(FieldError::required(format!("{path}.containers"), ""));
    }
    containers(
        &spec.containers,
        &volumes,
        &format!("{path}.containers"),
        &mut names,
        errs,
    );
    let restart = spec.restart_policy.as_deref().unwrap_or("");
    if restart.is_empty() {
        errs.push(FieldError::required(format!("{path}.restartPolicy"), ""));
    } else if !RESTART_POLICIES.contains(&restart) {
        errs.push(FieldError::not_supported(
            format!("{path}.restartPolicy"),
            quote(restart),
            RESTART_POLICIES,
        ));
    }
    let dns = spec.dns_policy.as_deref().unwrap_or("");
    if dns.is_empty() {
        errs.push(FieldError::required(format!("{path}.dnsPolicy"), ""));
    } else if !DNS_POLICIES.contains(&dns) {
        errs.push(FieldError::not_supported(
            format!("{path}.dnsPolicy"),
            quote(dns),
            DNS_POLICIES,
        ));
    }
    if let Some(grace) = spec.termination_grace_period_seconds
        && grace < 0
    {
        errs.push(FieldError::invalid(
            format!("{path}.terminationGracePeriodSeconds"),
            grace.to_string(),
            "must be greater than or equal to 0",
        ));
    }
    if let Some(deadline) = spec.active_deadline_seconds
        && deadline <= 0
    {
        errs.push(FieldError::invalid(
            format!("{path}.activeDeadlineSeconds"),
            deadline.to_string(),
            "must be between 1 and 2147483647, inclusive",
        ));
    }
    if let Some(selector) = spec.node_selector.as_ref() {
        super::meta::labels(Some(selector), &format!("{path}.nodeSelector"), errs);
    }
}

/// Mirrors `ValidateVolumes`: names are DNS labels and unique. Returns the valid names.
fn volumes(volumes: &[corev1::Volume], path: &str, errs: &mut ErrorList) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, vol) in volumes.iter().enumerate() {
        // Paths are spelled out only for an error: a valid pod is the common case.
        let name_path = || format!("{path}[{i}].name");
        if vol.name.is_empty() {
            errs.push(FieldError::required(name_path(), ""));
            continue;
        }
        for msg in v::is_dns1123_label(&vol.name) {
            errs.push(FieldError::invalid(name_path(), quote(&vol.name), msg));
        }
        if !names.insert(vol.name.clone()) {
            errs.push(FieldError::duplicate(name_path(), quote(&vol.name)));
        }
    }
    names
}

fn containers(
    list: &[corev1::Container],
    volumes: &BTreeSet<String>,
    path: &str,
    names: &mut BTreeSet<String>,
    errs: &mut ErrorList,
) {
    for (i, c) in list.iter().enumerate() {
        let cpath = format!("{path}[{i}]");
        if c.name.is_empty() {
            errs.push(FieldError::required(format!("{cpath}.name"), ""));
        } else {
            for msg in v::is_dns1123_label(&c.name) {
                errs.push(FieldError::invalid(
                    format!("{cpath}.name"),
                    quote(&c.name),
                    msg,
                ));
            }
            if !names.insert(c.name.clone()) {
                errs.push(FieldError::duplicate(
                    format!("{cpath}.name"),
                    quote(&c.name),
                ));
            }
        }
        if c.image.as_deref().is_none_or(|i| i.trim().is_empty()) {
            errs.push(FieldError::required(format!("{cpath}.image"), ""));
        }
        if let Some(policy) = c.image_pull_policy.as_deref()
            && !PULL_POLICIES.contains(&policy)
        {
            errs.push(FieldError::not_supported(
                format!("{cpath}.imagePullPolicy"),
                quote(policy),
                PULL_POLICIES,
            ));
        }
        ports(
            c.ports.as_deref().unwrap_or(&[]),
            &format!("{cpath}.ports"),
            errs,
        );
        volume_mounts(
            c.volume_mounts.as_deref().unwrap_or(&[]),
            volumes,
            &format!("{cpath}.volumeMounts"),
            errs,
        );
        if let Some(p) = c.liveness_probe.as_ref() {
            probe(p, &format!("{cpath}.livenessProbe"), true, errs);
        }
        if let Some(p) = c.readiness_probe.as_ref() {
            probe(p, &format!("{cpath}.readinessProbe"), false, errs);
        }
        if let Some(p) = c.startup_probe.as_ref() {
            probe(p, &format!("{cpath}.startupProbe"), true, errs);
        }
        if let Some(resources) = c.resources.as_ref() {
            self::resources(resources, &format!("{cpath}.resources"), errs);
        }
        for (j, env) in c.env.iter().flatten().enumerate() {
            if env.name.is_empty() {
                errs.push(FieldError::required(format!("{cpath}.env[{j}].name"), ""));
            }
        }
    }
}

/// `path[i]`, spelled out only when an error names it (a valid pod is the common case).
#[derive(Clone, Copy)]
struct PathAt<'a> {
    path: &'a str,
    i: usize,
}

impl std::fmt::Display for PathAt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.path, self.i)
    }
}

/// Mirrors `validateContainerPorts`: port numbers, unique names, protocols.
fn ports(ports: &[corev1::ContainerPort], path: &str, errs: &mut ErrorList) {
    let mut names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let ppath = PathAt { path, i };
        if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
            for msg in v::is_valid_port_name(name) {
                errs.push(FieldError::invalid(
                    format!("{ppath}.name"),
                    quote(name),
                    msg,
                ));
            }
            if !names.insert(name.to_string()) {
                errs.push(FieldError::duplicate(format!("{ppath}.name"), quote(name)));
            }
        }
        if p.container_port == 0 {
            errs.push(FieldError::required(format!("{ppath}.containerPort"), ""));
        } else {
            for msg in v::is_valid_port_num(p.container_port) {
                errs.push(FieldError::invalid(
                    format!("{ppath}.containerPort"),
                    p.container_port.to_string(),
                    msg,
                ));
            }
        }
        if let Some(host) = p.host_port
            && host != 0
        {
            for msg in v::is_valid_port_num(host) {
                errs.push(FieldError::invalid(
                    format!("{ppath}.hostPort"),
                    host.to_string(),
                    msg,
                ));
            }
        }
        match p.protocol.as_deref() {
            None | Some("") => errs.push(FieldError::required(format!("{ppath}.protocol"), "")),
            Some(proto) if !PROTOCOLS.contains(&proto) => {
                errs.push(FieldError::not_supported(
                    format!("{ppath}.protocol"),
                    quote(proto),
                    PROTOCOLS,
                ));
            }
            Some(_) => {}
        }
    }
}

/// Mirrors `ValidateVolumeMounts`: the volume must exist; mountPath is required and unique.
fn volume_mounts(
    mounts: &[corev1::VolumeMount],
    volumes: &BTreeSet<String>,
    path: &str,
    errs: &mut ErrorList,
) {
    let mut paths = BTreeSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let mpath = PathAt { path, i };
        if m.name.is_empty() {
            errs.push(FieldError::required(format!("{mpath}.name"), ""));
        } else if !volumes.contains(&m.name) {
            errs.push(FieldError::not_found(
                format!("{mpath}.name"),
                quote(&m.name),
            ));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(format!("{mpath}.mountPath"), ""));
        } else if !paths.insert(m.mount_path.clone()) {
            errs.push(FieldError::invalid(
                format!("{mpath}.mountPath"),
                quote(&m.mount_path),
                "must be unique",
            ));
        }
    }
}

/// Mirrors `validateProbe` and `validateHandler`: exactly one handler, non-negative timings,
/// and `successThreshold` 1 for liveness and startup probes.
fn probe(p: &corev1::Probe, path: &str, success_must_be_one: bool, errs: &mut ErrorList) {
    let handlers = [
        p.exec.is_some(),
        p.http_get.is_some(),
        p.tcp_socket.is_some(),
        p.grpc.is_some(),
    ]
    .iter()
    .filter(|h| **h)
    .count();
    if handlers == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    } else if handlers > 1 {
        errs.push(FieldError::forbidden(
            path,
            "may not specify more than 1 handler type",
        ));
    }
    let timings = [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("periodSeconds", p.period_seconds),
        ("successThreshold", p.success_threshold),
        ("failureThreshold", p.failure_threshold),
    ];
    for (field, value) in timings {
        if let Some(value) = value
            && value < 0
        {
            errs.push(FieldError::invalid(
                format!("{path}.{field}"),
                value.to_string(),
                "must be greater than or equal to 0",
            ));
        }
    }
    if success_must_be_one
        && let Some(s) = p.success_threshold
        && s != 1
    {
        errs.push(FieldError::invalid(
            format!("{path}.successThreshold"),
            s.to_string(),
            "must be 1",
        ));
    }
}

/// Mirrors `ValidateResourceRequirements`: parsable, non-negative quantities and requests not
/// above limits.
fn resources(r: &corev1::ResourceRequirements, path: &str, errs: &mut ErrorList) {
    let limits = parsed(r.limits.as_ref(), &format!("{path}.limits"), errs);
    let requests = parsed(r.requests.as_ref(), &format!("{path}.requests"), errs);
    for (name, request) in &requests {
        if let Some(limit) = limits.get(name)
            && request > limit
        {
            errs.push(FieldError::invalid(
                format!("{path}.requests"),
                quote(&request.to_string()),
                format!("must be less than or equal to {name} limit of {limit}"),
            ));
        }
    }
}

fn parsed(
    list: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
    path: &str,
    errs: &mut ErrorList,
) -> BTreeMap<String, Quantity> {
    let mut out = BTreeMap::new();
    for (name, q) in list.into_iter().flatten() {
        match Quantity::parse(&q.0) {
            Ok(quantity) => {
                if quantity.sign() < 0 {
                    errs.push(FieldError::invalid(
                        format!("{path}.{name}"),
                        quote(&q.0),
                        "must be greater than or equal to 0",
                    ));
                }
                out.insert(name.clone(), quantity);
            }
            Err(_) => errs.push(FieldError::invalid(
                format!("{path}.{name}"),
                quote(&q.0),
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            )),
        }
    }
    out
}
