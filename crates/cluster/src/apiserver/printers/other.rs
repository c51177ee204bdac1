//! Tables of the networking, autoscaling, rbac, coordination, policy, scheduling, storage and
//! discovery groups.
//!
//! Mirrors the matching `print*` functions of pkg/printers/internalversion/printers.go
//! @kubernetes-1.34.

use k8s_openapi::api::autoscaling::v1 as autoscalingv1;
use k8s_openapi::api::autoscaling::v2 as autoscalingv2;
use k8s_openapi::api::coordination::v1 as coordinationv1;
use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::api::networking::v1 as networkingv1;
use k8s_openapi::api::policy::v1 as policyv1;
use k8s_openapi::api::rbac::v1 as rbacv1;
use k8s_openapi::api::scheduling::v1 as schedulingv1;
use k8s_openapi::api::storage::v1 as storagev1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::core::{load_balancer_string, rfc3339};
use super::workloads::{name_of, row};
use super::{
    Cell, Column, ColumnKind, PrintOptions, Row, age, col, format_label_selector, int_col,
    list_with_more, quantity_string, wide,
};
use crate::time::SimTime;

pub const INGRESS_COLUMNS: &[Column] = &[
    col("Name"),
    col("Class"),
    col("Hosts"),
    col("Address"),
    col("Ports"),
    col("Age"),
];
pub const INGRESSCLASS_COLUMNS: &[Column] = &[
    col("Name"),
    col("Controller"),
    col("Parameters"),
    col("Age"),
];
pub const NETWORKPOLICY_COLUMNS: &[Column] = &[col("Name"), col("Pod-Selector"), col("Age")];
pub const HPA_COLUMNS: &[Column] = &[
    col("Name"),
    col("Reference"),
    col("Targets"),
    col("MinPods"),
    int_col("MaxPods"),
    int_col("Replicas"),
    col("Age"),
];
pub const BINDING_COLUMNS: &[Column] = &[
    col("Name"),
    col("Role"),
    col("Age"),
    wide("Users"),
    wide("Groups"),
    wide("ServiceAccounts"),
];
pub const LEASE_COLUMNS: &[Column] = &[col("Name"), col("Holder"), col("Age")];
pub const PDB_COLUMNS: &[Column] = &[
    col("Name"),
    col("Min Available"),
    col("Max Unavailable"),
    int_col("Allowed Disruptions"),
    col("Age"),
];
pub const PRIORITYCLASS_COLUMNS: &[Column] = &[
    col("Name"),
    int_col("Value"),
    Column {
        name: "Global-Default",
        kind: ColumnKind::String,
        priority: 0,
    },
    col("Preemption Policy"),
    col("Age"),
];
pub const STORAGECLASS_COLUMNS: &[Column] = &[
    col("Name"),
    col("Provisioner"),
    col("ReclaimPolicy"),
    col("VolumeBindingMode"),
    col("AllowVolumeExpansion"),
    col("Age"),
];
pub const ENDPOINTSLICE_COLUMNS: &[Column] = &[
    col("Name"),
    col("AddressType"),
    col("Ports"),
    col("Endpoints"),
    col("Age"),
];

/// Mirrors printIngress.
pub fn print_ingress(ing: &networkingv1::Ingress, opts: &PrintOptions, now: SimTime) -> Row {
    let spec = ing.spec.clone().unwrap_or_default();
    let class = spec
        .ingress_class_name
        .clone()
        .unwrap_or_else(|| "<none>".into());
    const MAX: usize = 3;
    let hosts: Vec<String> = spec
        .rules
        .iter()
        .flatten()
        .filter_map(|r| r.host.clone())
        .filter(|h| !h.is_empty())
        .collect();
    let shown: Vec<String> = hosts.iter().take(MAX).cloned().collect();
    let hosts_cell = list_with_more(&shown, hosts.len() > MAX, hosts.len(), MAX, "*");
    let ingress: Vec<(String, String)> = ing
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .map(|v| {
            v.iter()
                .map(|i| {
                    (
                        i.ip.clone().unwrap_or_default(),
                        i.hostname.clone().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let ports = if spec.tls.as_ref().is_some_and(|t| !t.is_empty()) {
        "80, 443"
    } else {
        "80"
    };
    row(
        ing,
        vec![
            name_of(&ing.metadata),
            class.into(),
            hosts_cell.into(),
            load_balancer_string(&ingress, opts.wide).into(),
            ports.into(),
            age(ing.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printIngressClass.
pub fn print_ingress_class(
    ic: &networkingv1::IngressClass,
    _opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let spec = ic.spec.clone().unwrap_or_default();
    let params = match &spec.parameters {
        None => "<none>".to_string(),
        Some(p) => match &p.api_group {
            Some(g) => format!("{}.{g}/{}", p.kind, p.name),
            None => format!("{}/{}", p.kind, p.name),
        },
    };
    row(
        ic,
        vec![
            name_of(&ic.metadata),
            spec.controller.unwrap_or_default().into(),
            params.into(),
            age(ic.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printNetworkPolicy.
pub fn print_network_policy(
    np: &networkingv1::NetworkPolicy,
    _opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let sel = np.spec.as_ref().and_then(|s| s.pod_selector.as_ref());
    row(
        np,
        vec![
            name_of(&np.metadata),
            format_label_selector(sel).into(),
            age(np.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printHorizontalPodAutoscaler.
pub fn print_hpa(
    h: &autoscalingv2::HorizontalPodAutoscaler,
    _opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let spec = h.spec.clone().unwrap_or_default();
    let status = h.status.clone().unwrap_or_default();
    let reference = format!(
        "{}/{}",
        spec.scale_target_ref.kind, spec.scale_target_ref.name
    );
    let targets = format_hpa_metrics(
        spec.metrics.as_deref().unwrap_or(&[]),
        status.current_metrics.as_deref().unwrap_or(&[]),
    );
    hpa_row(
        h,
        reference,
        targets,
        spec.min_replicas,
        spec.max_replicas,
        status.current_replicas.unwrap_or(0),
        now,
    )
}

/// The autoscaling/v1 form prints as the v2 object it is stored as (upstream prints the
/// internal object, so both versions show the same row).
pub fn print_hpa_v1(
    h: &autoscalingv1::HorizontalPodAutoscaler,
    opts: &PrintOptions,
    now: SimTime,
) -> Row {
    print_hpa(&api::conversion::hpa::to_v2(h.clone()), opts, now)
}

fn hpa_row<
    T: k8s_openapi::Resource
        + k8s_openapi::Metadata<Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>,
>(
    h: &T,
    reference: String,
    targets: String,
    min: Option<i32>,
    max: i32,
    current: i32,
    now: SimTime,
) -> Row {
    let m = h.metadata();
    let min = min.map_or_else(|| "<unset>".to_string(), |m| m.to_string());
    row(
        h,
        vec![
            name_of(m),
            reference.into(),
            targets.into(),
            min.into(),
            max.into(),
            current.into(),
            age(m.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors formatHPAMetrics: up to two `current/target` entries, resource utilisation as
/// `cpu: 50%/80%`, then ` + N more...`.
fn format_hpa_metrics(
    specs: &[autoscalingv2::MetricSpec],
    statuses: &[autoscalingv2::MetricStatus],
) -> String {
    if specs.is_empty() {
        return "<none>".into();
    }
    const MAX: usize = 2;
    let mut list = Vec::new();
    let mut more = false;
    let mut count = 0;
    let unknown = || "<unknown>".to_string();
    for (i, spec) in specs.iter().enumerate() {
        let status = statuses.get(i);
        let entry = match spec.type_.as_str() {
            "Resource" | "ContainerResource" => {
                let (name, target) = match (&spec.resource, &spec.container_resource) {
                    (Some(r), _) => (r.name.clone(), r.target.clone()),
                    (None, Some(c)) => (c.name.clone(), c.target.clone()),
                    _ => continue,
                };
                let current_value = status.and_then(|s| {
                    s.resource
                        .as_ref()
                        .map(|r| r.current.clone())
                        .or_else(|| s.container_resource.as_ref().map(|r| r.current.clone()))
                });
                if let Some(avg) = &target.average_value {
                    let current = current_value
                        .and_then(|c| c.average_value)
                        .map_or_else(unknown, |q| quantity_string(&q));
                    format!("{name}: {current}/{}", quantity_string(avg))
                } else {
                    let current = current_value
                        .and_then(|c| c.average_utilization)
                        .map_or_else(unknown, |u| format!("{u}%"));
                    let target = target
                        .average_utilization
                        .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%"));
                    format!("{name}: {current}/{target}")
                }
            }
            "Pods" => {
                let Some(p) = &spec.pods else { continue };
                let current = status
                    .and_then(|s| s.pods.as_ref())
                    .and_then(|p| p.current.average_value.clone())
                    .map_or_else(unknown, |q| quantity_string(&q));
                let target = p
                    .target
                    .average_value
                    .as_ref()
                    .map_or_else(unknown, quantity_string);
                format!("{current}/{target}")
            }
            "Object" | "External" => {
                let target = match (&spec.object, &spec.external) {
                    (Some(o), _) => o.target.clone(),
                    (None, Some(e)) => e.target.clone(),
                    _ => continue,
                };
                let current = status.and_then(|s| {
                    s.object
                        .as_ref()
                        .map(|o| o.current.clone())
                        .or_else(|| s.external.as_ref().map(|e| e.current.clone()))
                });
                match (&target.value, &target.average_value) {
                    (Some(v), _) => {
                        let c = current
                            .and_then(|c| c.value)
                            .map_or_else(unknown, |q| quantity_string(&q));
                        format!("{c}/{}", quantity_string(v))
                    }
                    (None, Some(v)) => {
                        let c = current
                            .and_then(|c| c.average_value)
                            .map_or_else(unknown, |q| quantity_string(&q));
                        format!("{c}/{} (avg)", quantity_string(v))
                    }
                    _ => "<unknown>/<unknown>".to_string(),
                }
            }
            _ => "<unknown type>".to_string(),
        };
        if list.len() < MAX {
            list.push(entry);
        } else {
            more = true;
        }
        count += 1;
    }
    list_with_more(&list, more, count, MAX, "<none>")
}

/// Mirrors printRole: name and creation time.
pub fn print_role(r: &rbacv1::Role, _opts: &PrintOptions, _now: SimTime) -> Row {
    row(
        r,
        vec![
            name_of(&r.metadata),
            rfc3339(r.metadata.creation_timestamp.as_ref()).into(),
        ],
    )
}

/// Mirrors printClusterRole.
pub fn print_cluster_role(r: &rbacv1::ClusterRole, _opts: &PrintOptions, _now: SimTime) -> Row {
    row(
        r,
        vec![
            name_of(&r.metadata),
            rfc3339(r.metadata.creation_timestamp.as_ref()).into(),
        ],
    )
}

/// Mirrors printRoleBinding.
pub fn print_role_binding(b: &rbacv1::RoleBinding, opts: &PrintOptions, now: SimTime) -> Row {
    let cells = binding_cells(
        &b.metadata,
        &b.role_ref,
        b.subjects.as_deref().unwrap_or(&[]),
        opts,
        now,
    );
    row(b, cells)
}

/// Mirrors printClusterRoleBinding.
pub fn print_cluster_role_binding(
    b: &rbacv1::ClusterRoleBinding,
    opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let cells = binding_cells(
        &b.metadata,
        &b.role_ref,
        b.subjects.as_deref().unwrap_or(&[]),
        opts,
        now,
    );
    row(b, cells)
}

fn binding_cells(
    m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    role: &rbacv1::RoleRef,
    subjects: &[rbacv1::Subject],
    opts: &PrintOptions,
    now: SimTime,
) -> Vec<Cell> {
    let mut cells = vec![
        name_of(m),
        format!("{}/{}", role.kind, role.name).into(),
        age(m.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        let mut users = Vec::new();
        let mut groups = Vec::new();
        let mut sas = Vec::new();
        for s in subjects {
            match s.kind.as_str() {
                "User" => users.push(s.name.clone()),
                "Group" => groups.push(s.name.clone()),
                "ServiceAccount" => sas.push(format!(
                    "{}/{}",
                    s.namespace.as_deref().unwrap_or(""),
                    s.name
                )),
                _ => {}
            }
        }
        cells.extend([
            users.join(", ").into(),
            groups.join(", ").into(),
            sas.join(", ").into(),
        ]);
    }
    cells
}

/// Mirrors printLease.
pub fn print_lease(l: &coordinationv1::Lease, _opts: &PrintOptions, now: SimTime) -> Row {
    let holder = l
        .spec
        .as_ref()
        .and_then(|s| s.holder_identity.clone())
        .unwrap_or_default();
    row(
        l,
        vec![
            name_of(&l.metadata),
            holder.into(),
            age(l.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printPodDisruptionBudget: `N/A` for the bound that is not set.
pub fn print_pdb(p: &policyv1::PodDisruptionBudget, _opts: &PrintOptions, now: SimTime) -> Row {
    let spec = p.spec.clone().unwrap_or_default();
    let show = |v: &Option<IntOrString>| match v {
        None => "N/A".to_string(),
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
    };
    row(
        p,
        vec![
            name_of(&p.metadata),
            show(&spec.min_available).into(),
            show(&spec.max_unavailable).into(),
            p.status
                .as_ref()
                .map_or(0, |s| s.disruptions_allowed)
                .into(),
            age(p.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printPriorityClass.
pub fn print_priority_class(
    pc: &schedulingv1::PriorityClass,
    _opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let policy = pc
        .preemption_policy
        .clone()
        .unwrap_or_else(|| "<unset>".into());
    row(
        pc,
        vec![
            name_of(&pc.metadata),
            pc.value.into(),
            pc.global_default.unwrap_or(false).to_string().into(),
            policy.into(),
            age(pc.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printStorageClass: the default class is marked `(default)`.
pub fn print_storage_class(
    sc: &storagev1::StorageClass,
    _opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let annotations = sc.metadata.annotations.as_ref();
    let is_default = annotations.is_some_and(|a| {
        a.get("storageclass.kubernetes.io/is-default-class")
            .map(String::as_str)
            == Some("true")
            || a.get("storageclass.beta.kubernetes.io/is-default-class")
                .map(String::as_str)
                == Some("true")
    });
    let mut name = sc.metadata.name.clone().unwrap_or_default();
    if is_default {
        name.push_str(" (default)");
    }
    row(
        sc,
        vec![
            name.into(),
            sc.provisioner.clone().into(),
            sc.reclaim_policy
                .clone()
                .unwrap_or_else(|| "Delete".into())
                .into(),
            sc.volume_binding_mode
                .clone()
                .unwrap_or_else(|| "Immediate".into())
                .into(),
            sc.allow_volume_expansion
                .unwrap_or(false)
                .to_string()
                .into(),
            age(sc.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}

/// Mirrors printEndpointSlice: up to three ports and addresses, `<unset>` when none.
pub fn print_endpoint_slice(
    es: &discoveryv1::EndpointSlice,
    _opts: &PrintOptions,
    now: SimTime,
) -> Row {
    const MAX: usize = 3;
    let ports = es.ports.as_deref().unwrap_or(&[]);
    let port_list: Vec<String> = ports
        .iter()
        .take(MAX)
        .map(|p| match (p.port, &p.name) {
            (Some(n), _) => n.to_string(),
            (None, Some(name)) => name.clone(),
            _ => "*".into(),
        })
        .collect();
    let ports_cell = list_with_more(&port_list, ports.len() > MAX, ports.len(), MAX, "<unset>");
    let addrs: Vec<&String> = es
        .endpoints
        .iter()
        .flat_map(|e| e.addresses.iter())
        .collect();
    let addr_list: Vec<String> = addrs.iter().take(MAX).map(|a| (*a).clone()).collect();
    let addrs_cell = list_with_more(&addr_list, addrs.len() > MAX, addrs.len(), MAX, "<unset>");
    row(
        es,
        vec![
            name_of(&es.metadata),
            es.address_type.clone().into(),
            ports_cell.into(),
            addrs_cell.into(),
            age(es.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}
