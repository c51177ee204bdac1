//! Core-group tables: services, endpoints, nodes, events, namespaces, secrets, config maps,
//! service accounts, persistent volumes and claims, resource quotas and limit ranges.
//!
//! Mirrors the matching `print*` functions of pkg/printers/internalversion/printers.go
//! @kubernetes-1.34 (PV and PVC carry the VolumeAttributesClass column of that release).

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::workloads::{name_of, row};
use super::{
    Column, ColumnKind, PrintOptions, Row, age, col, format_labels, int_col, quantity_string, wide,
};
use crate::time::SimTime;

pub const SERVICE_COLUMNS: &[Column] = &[
    col("Name"),
    col("Type"),
    col("Cluster-IP"),
    col("External-IP"),
    col("Port(s)"),
    col("Age"),
    wide("Selector"),
];
pub const ENDPOINTS_COLUMNS: &[Column] = &[col("Name"), col("Endpoints"), col("Age")];
pub const NODE_COLUMNS: &[Column] = &[
    col("Name"),
    col("Status"),
    col("Roles"),
    col("Age"),
    col("Version"),
    wide("Internal-IP"),
    wide("External-IP"),
    wide("OS-Image"),
    wide("Kernel-Version"),
    wide("Container-Runtime"),
];
pub const EVENT_COLUMNS: &[Column] = &[
    col("Last Seen"),
    col("Type"),
    col("Reason"),
    col("Object"),
    wide("Subobject"),
    wide("Source"),
    col("Message"),
    wide("First Seen"),
    wide("Count"),
    wide("Name"),
];
pub const NAMESPACE_COLUMNS: &[Column] = &[col("Name"), col("Status"), col("Age")];
pub const SECRET_COLUMNS: &[Column] = &[col("Name"), col("Type"), int_col("Data"), col("Age")];
pub const CONFIGMAP_COLUMNS: &[Column] = &[col("Name"), int_col("Data"), col("Age")];
pub const SERVICEACCOUNT_COLUMNS: &[Column] = &[col("Name"), int_col("Secrets"), col("Age")];
pub const PV_COLUMNS: &[Column] = &[
    col("Name"),
    col("Capacity"),
    col("Access Modes"),
    col("Reclaim Policy"),
    col("Status"),
    col("Claim"),
    col("StorageClass"),
    col("VolumeAttributesClass"),
    col("Reason"),
    col("Age"),
    wide("VolumeMode"),
];
pub const PVC_COLUMNS: &[Column] = &[
    col("Name"),
    col("Status"),
    col("Volume"),
    col("Capacity"),
    col("Access Modes"),
    col("StorageClass"),
    col("VolumeAttributesClass"),
    col("Age"),
    wide("VolumeMode"),
];
pub const RESOURCEQUOTA_COLUMNS: &[Column] =
    &[col("Name"), col("Age"), col("Request"), col("Limit")];
/// `Name`, `Created At`: roles, cluster roles and limit ranges.
pub const CREATED_AT_COLUMNS: &[Column] = &[
    col("Name"),
    Column {
        name: "Created At",
        kind: ColumnKind::Date,
        priority: 0,
    },
];

/// Width of a load-balancer address before it is clipped (printers.go `loadBalancerWidth`).
const LOAD_BALANCER_WIDTH: usize = 16;

/// Mirrors printService.
pub fn print_service(svc: &corev1::Service, opts: &PrintOptions, now: SimTime) -> Row {
    let spec = svc.spec.clone().unwrap_or_default();
    let cluster_ip = spec
        .cluster_ips
        .as_ref()
        .and_then(|ips| ips.first().cloned())
        .unwrap_or_else(|| "<none>".into());
    let ports = spec
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port.filter(|n| *n != 0) {
                Some(np) => format!("{}:{np}/{proto}", p.port),
                None => format!("{}/{proto}", p.port),
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    let ports = if ports.is_empty() {
        "<none>".into()
    } else {
        ports
    };
    let mut cells = vec![
        name_of(&svc.metadata),
        spec.type_.clone().unwrap_or_default().into(),
        cluster_ip.into(),
        service_external_ip(svc, opts.wide).into(),
        ports.into(),
        age(svc.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.push(format_labels(spec.selector.as_ref()).into());
    }
    row(svc, cells)
}

/// Mirrors getServiceExternalIP.
fn service_external_ip(svc: &corev1::Service, wide: bool) -> String {
    let spec = svc.spec.clone().unwrap_or_default();
    let external: Vec<String> = spec.external_ips.clone().unwrap_or_default();
    match spec.type_.as_deref().unwrap_or("ClusterIP") {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".into()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let ingress = svc
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .map(|ing| {
                    ing.iter()
                        .map(|i| {
                            (
                                i.ip.clone().unwrap_or_default(),
                                i.hostname.clone().unwrap_or_default(),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let lb = load_balancer_string(&ingress, wide);
            if !external.is_empty() {
                let mut out: Vec<String> = Vec::new();
                if !lb.is_empty() {
                    out.extend(lb.split(',').map(str::to_string));
                }
                out.extend(external);
                return out.join(",");
            }
            if lb.is_empty() {
                "<pending>".into()
            } else {
                lb
            }
        }
        "ExternalName" => spec.external_name.unwrap_or_default(),
        _ => "<unknown>".into(),
    }
}

/// Mirrors loadBalancerStatusStringer: the sorted set of ingress IPs (or hostnames), clipped
/// to `first13...` unless wide.
pub(crate) fn load_balancer_string(ingress: &[(String, String)], wide: bool) -> String {
    let set: BTreeSet<&str> = ingress
        .iter()
        .filter_map(|(ip, host)| {
            if !ip.is_empty() {
                Some(ip.as_str())
            } else if !host.is_empty() {
                Some(host.as_str())
            } else {
                None
            }
        })
        .collect();
    let r = set.into_iter().collect::<Vec<_>>().join(",");
    if !wide && r.len() > LOAD_BALANCER_WIDTH {
        format!("{}...", &r[..LOAD_BALANCER_WIDTH - 3])
    } else {
        r
    }
}

/// Mirrors printEndpoints / formatEndpoints: up to three `ip:port`, then ` + N more...`.
pub fn print_endpoints(ep: &corev1::Endpoints, _opts: &PrintOptions, now: SimTime) -> Row {
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in ep.subsets.iter().flatten() {
        let addrs = ss.addresses.as_deref().unwrap_or(&[]);
        let ports = ss.ports.as_deref().unwrap_or(&[]);
        if ports.is_empty() {
            count += addrs.len();
            for a in addrs {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for p in ports {
            count += addrs.len();
            for a in addrs {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(&a.ip, p.port));
            }
        }
    }
    let mut s = list.join(",");
    if more {
        s = format!("{s} + {} more...", count - MAX);
    } else if s.is_empty() {
        s = "<none>".into();
    }
    row(
        ep,
        vec![
            name_of(&ep.metadata),
            s.into(),
            age(ep.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Go's net.JoinHostPort: IPv6 addresses are bracketed.
fn join_host_port(host: &str, port: i32) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Mirrors printNode.
pub fn print_node(node: &corev1::Node, opts: &PrintOptions, now: SimTime) -> Row {
    let status = node.status.as_ref();
    let mut states: Vec<String> = Vec::new();
    if let Some(ready) = status
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().rev().find(|c| c.type_ == "Ready"))
    {
        states.push(if ready.status == "True" {
            "Ready".into()
        } else {
            "NotReady".into()
        });
    }
    if states.is_empty() {
        states.push("Unknown".into());
    }
    if node
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
    {
        states.push("SchedulingDisabled".into());
    }
    let mut roles: BTreeSet<String> = BTreeSet::new();
    for (k, v) in node.metadata.labels.iter().flatten() {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v.clone());
        }
    }
    let roles = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.into_iter().collect::<Vec<_>>().join(",")
    };
    let info = status.and_then(|s| s.node_info.clone()).unwrap_or_default();
    let mut cells = vec![
        name_of(&node.metadata),
        states.join(",").into(),
        roles.into(),
        age(node.metadata.creation_timestamp.as_ref(), now).into(),
        info.kubelet_version.clone().into(),
    ];
    if opts.wide {
        let addr = |t: &str| {
            status
                .and_then(|s| s.addresses.as_ref())
                .and_then(|a| a.iter().find(|a| a.type_ == t))
                .map(|a| a.address.clone())
                .unwrap_or_else(|| "<none>".into())
        };
        let or_unknown = |s: &str| {
            if s.is_empty() {
                "<unknown>".to_string()
            } else {
                s.to_string()
            }
        };
        cells.extend([
            addr("InternalIP").into(),
            addr("ExternalIP").into(),
            or_unknown(&info.os_image).into(),
            or_unknown(&info.kernel_version).into(),
            or_unknown(&info.container_runtime_version).into(),
        ]);
    }
    row(node, cells)
}

/// An events.k8s.io/v1 Event prints as the core Event it is stored as: upstream prints the
/// internal type of both versions with printEvent.
pub fn print_events_v1_event(
    ev: &k8s_openapi::api::events::v1::Event,
    opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let core = api::conversion::events::to_core(ev.clone());
    Row {
        object: row(ev, Vec::new()).object,
        ..print_event(&core, opts, now)
    }
}

/// Mirrors printEvent.
pub fn print_event(ev: &corev1::Event, opts: &PrintOptions, now: SimTime) -> Row {
    let micro_age = |t: Option<&metav1::MicroTime>| match t {
        None => "<unknown>".to_string(),
        Some(t) => machinery::duration::human_duration_ms(now.unix_millis() - t.0.as_millisecond()),
    };
    let first = match &ev.first_timestamp {
        Some(t) => age(Some(t), now),
        None => micro_age(ev.event_time.as_ref()),
    };
    let mut last = match &ev.last_timestamp {
        Some(t) => age(Some(t), now),
        None => first.clone(),
    };
    let mut count = i64::from(ev.count.unwrap_or(0));
    if let Some(series) = &ev.series {
        last = micro_age(series.last_observed_time.as_ref());
        count = i64::from(series.count.unwrap_or(0));
    } else if count == 0 {
        count = 1;
    }
    let io = &ev.involved_object;
    let kind = io.kind.as_deref().unwrap_or("").to_lowercase();
    let target = match io.name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => format!("{kind}/{n}"),
        None => kind,
    };
    let message = ev.message.as_deref().unwrap_or("").trim().to_string();
    let ty = ev.type_.clone().unwrap_or_default();
    let reason = ev.reason.clone().unwrap_or_default();
    let cells = if opts.wide {
        let src = ev.source.clone().unwrap_or_default();
        let component = src
            .component
            .filter(|c| !c.is_empty())
            .or_else(|| ev.reporting_component.clone())
            .unwrap_or_default();
        let host = src
            .host
            .filter(|h| !h.is_empty())
            .or_else(|| ev.reporting_instance.clone())
            .unwrap_or_default();
        let source = if host.is_empty() {
            component
        } else {
            format!("{component}, {host}")
        };
        vec![
            last.into(),
            ty.into(),
            reason.into(),
            target.into(),
            io.field_path.clone().unwrap_or_default().into(),
            source.into(),
            message.into(),
            first.into(),
            count.into(),
            name_of(&ev.metadata),
        ]
    } else {
        vec![
            last.into(),
            ty.into(),
            reason.into(),
            target.into(),
            message.into(),
        ]
    };
    row(ev, cells)
}

/// Mirrors printNamespace.
pub fn print_namespace(ns: &corev1::Namespace, _opts: &PrintOptions, now: SimTime) -> Row {
    let phase = ns
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    row(
        ns,
        vec![
            name_of(&ns.metadata),
            phase.into(),
            age(ns.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printSecret.
pub fn print_secret(s: &corev1::Secret, _opts: &PrintOptions, now: SimTime) -> Row {
    let data =
        s.data.as_ref().map_or(0, |d| d.len()) + s.string_data.as_ref().map_or(0, |d| d.len());
    row(
        s,
        vec![
            name_of(&s.metadata),
            s.type_.clone().unwrap_or_default().into(),
            (data as i64).into(),
            age(s.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printConfigMap.
pub fn print_config_map(cm: &corev1::ConfigMap, _opts: &PrintOptions, now: SimTime) -> Row {
    let data =
        cm.data.as_ref().map_or(0, |d| d.len()) + cm.binary_data.as_ref().map_or(0, |d| d.len());
    row(
        cm,
        vec![
            name_of(&cm.metadata),
            (data as i64).into(),
            age(cm.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printServiceAccount.
pub fn print_service_account(
    sa: &corev1::ServiceAccount,
    _opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let n = sa.secrets.as_ref().map_or(0, Vec::len) as i64;
    row(
        sa,
        vec![
            name_of(&sa.metadata),
            n.into(),
            age(sa.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once.
pub fn access_modes(modes: Option<&Vec<String>>) -> String {
    let modes = modes.map(Vec::as_slice).unwrap_or(&[]);
    let has = |m: &str| modes.iter().any(|x| x == m);
    let mut out = Vec::new();
    for (long, short) in [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ] {
        if has(long) {
            out.push(short);
        }
    }
    out.join(",")
}

/// Mirrors printPersistentVolume.
pub fn print_persistent_volume(
    pv: &corev1::PersistentVolume,
    opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let spec = pv.spec.clone().unwrap_or_default();
    let claim = spec
        .claim_ref
        .as_ref()
        .map(|c| {
            format!(
                "{}/{}",
                c.namespace.as_deref().unwrap_or(""),
                c.name.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_default();
    let capacity = spec
        .capacity
        .as_ref()
        .and_then(|c| c.get("storage"))
        .map(quantity_string)
        .unwrap_or_else(|| "0".into());
    let status = pv.status.clone().unwrap_or_default();
    let phase = if pv.metadata.deletion_timestamp.is_some() {
        "Terminating".to_string()
    } else {
        status.phase.unwrap_or_default()
    };
    let mut cells = vec![
        name_of(&pv.metadata),
        capacity.into(),
        access_modes(spec.access_modes.as_ref()).into(),
        spec.persistent_volume_reclaim_policy
            .clone()
            .unwrap_or_default()
            .into(),
        phase.into(),
        claim.into(),
        spec.storage_class_name.clone().unwrap_or_default().into(),
        spec.volume_attributes_class_name
            .clone()
            .unwrap_or_else(|| "<unset>".into())
            .into(),
        status.reason.unwrap_or_default().into(),
        age(pv.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.push(
            spec.volume_mode
                .clone()
                .unwrap_or_else(|| "<unset>".into())
                .into(),
        );
    }
    row(pv, cells)
}

/// Mirrors printPersistentVolumeClaim.
pub fn print_persistent_volume_claim(
    pvc: &corev1::PersistentVolumeClaim,
    opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let spec = pvc.spec.clone().unwrap_or_default();
    let status = pvc.status.clone().unwrap_or_default();
    let phase = if pvc.metadata.deletion_timestamp.is_some() {
        "Terminating".to_string()
    } else {
        status.phase.clone().unwrap_or_default()
    };
    let volume = spec.volume_name.clone().unwrap_or_default();
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            status
                .capacity
                .as_ref()
                .and_then(|c| c.get("storage"))
                .map(quantity_string)
                .unwrap_or_default(),
            access_modes(status.access_modes.as_ref()),
        )
    };
    let mut cells = vec![
        name_of(&pvc.metadata),
        phase.into(),
        volume.into(),
        capacity.into(),
        modes.into(),
        spec.storage_class_name.clone().unwrap_or_default().into(),
        spec.volume_attributes_class_name
            .clone()
            .unwrap_or_else(|| "<unset>".into())
            .into(),
        age(pvc.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.push(
            spec.volume_mode
                .clone()
                .unwrap_or_else(|| "<unset>".into())
                .into(),
        );
    }
    row(pvc, cells)
}

/// Mirrors printResourceQuota: `resource: used/hard` pairs sorted by resource name, the
/// `limits.*` ones in LIMIT.
pub fn print_resource_quota(q: &corev1::ResourceQuota, _opts: &PrintOptions, now: SimTime) -> Row {
    let status = q.status.clone().unwrap_or_default();
    let hard = status.hard.unwrap_or_default();
    let used = status.used.unwrap_or_default();
    let mut request = Vec::new();
    let mut limit = Vec::new();
    for (name, h) in &hard {
        let u = used
            .get(name)
            .map(quantity_string)
            .unwrap_or_else(|| "0".into());
        let entry = format!("{name}: {u}/{}", quantity_string(h));
        if name.split('.').count() > 1 && name.starts_with("limits.") {
            limit.push(entry);
        } else {
            request.push(entry);
        }
    }
    row(
        q,
        vec![
            name_of(&q.metadata),
            age(q.metadata.creation_timestamp.as_ref(), now).into(),
            request.join(", ").into(),
            limit.join(", ").into(),
        ],
    )
}

/// Mirrors printLimitRange: the creation time in RFC 3339.
pub fn print_limit_range(lr: &corev1::LimitRange, _opts: &PrintOptions, _now: SimTime) -> Row {
    row(
        lr,
        vec![
            name_of(&lr.metadata),
            rfc3339(lr.metadata.creation_timestamp.as_ref()).into(),
        ],
    )
}

/// A creation timestamp as Go's `time.RFC3339` in UTC.
pub(crate) fn rfc3339(t: Option<&metav1::Time>) -> String {
    match t {
        None => "0001-01-01T00:00:00Z".into(),
        Some(t) => serde_json::to_value(t)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    }
}
