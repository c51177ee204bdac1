//! Nodes: conditions, addresses, capacity, system info, the pods on the node and what they
//! request. Mirrors describe.go `describeNode`, `describeNodeLease` and
//! `describeNodeResource` (v1.34).

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use machinery::quantity::Quantity;

use super::Describe;
use super::writer::{self, LEVEL_0, LEVEL_1, PrefixWriter, time_text, w};

const ZERO_TIME: &str = "Mon, 01 Jan 0001 00:00:00 +0000";

pub fn describe(node: &corev1::Node, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let meta = &node.metadata;
    let name = meta.name.as_deref().unwrap_or("");
    let spec = node.spec.clone().unwrap_or_default();
    let status = node.status.clone().unwrap_or_default();
    w!(w, LEVEL_0, "Name:\t{name}\n");
    // findNodeRoles: node-role.kubernetes.io/<role> and kubernetes.io/role=<role>.
    let mut roles: Vec<String> = meta
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, v)| {
            if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
                (!r.is_empty()).then(|| r.to_string())
            } else if k == "kubernetes.io/role" && !v.is_empty() {
                Some(v.clone())
            } else {
                None
            }
        })
        .collect();
    machinery::sort::sort(&mut roles);
    roles.dedup();
    let roles = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    };
    w!(w, LEVEL_0, "Roles:\t{roles}\n");
    writer::labels(&mut w, "Labels", meta.labels.as_ref());
    writer::annotations(&mut w, "Annotations", meta.annotations.as_ref());
    w!(
        w,
        LEVEL_0,
        "CreationTimestamp:\t{}\n",
        meta.creation_timestamp
            .as_ref()
            .map_or_else(|| ZERO_TIME.into(), time_text)
    );
    writer::taints(&mut w, "Taints", spec.taints.as_ref());
    w!(
        w,
        LEVEL_0,
        "Unschedulable:\t{}\n",
        spec.unschedulable.unwrap_or(false)
    );
    let lease = d
        .list("Lease", "coordination.k8s.io/v1", Some("kube-node-lease"))
        .into_iter()
        .find(|o| o.name() == name);
    match lease.as_deref() {
        Some(Object::Lease(l)) => {
            let spec = l.spec.clone().unwrap_or_default();
            w!(w, LEVEL_0, "Lease:\n");
            w!(
                w,
                LEVEL_1,
                "HolderIdentity:\t{}\n",
                spec.holder_identity.as_deref().unwrap_or("<unset>")
            );
            let t = |x: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime>| {
                x.map_or_else(
                    || "<unset>".to_string(),
                    |t| t.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string(),
                )
            };
            w!(
                w,
                LEVEL_1,
                "AcquireTime:\t{}\n",
                t(spec.acquire_time.as_ref())
            );
            w!(w, LEVEL_1, "RenewTime:\t{}\n", t(spec.renew_time.as_ref()));
        }
        _ => w!(
            w,
            LEVEL_0,
            "Lease:\tFailed to get lease: leases.coordination.k8s.io \"{name}\" not found\n"
        ),
    }
    if let Some(conds) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w!(
            w,
            LEVEL_0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n"
        );
        w!(
            w,
            LEVEL_1,
            "----\t------\t-----------------\t------------------\t------\t-------\n"
        );
        for c in conds {
            w!(
                w,
                LEVEL_1,
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                c.type_,
                c.status,
                c.last_heartbeat_time
                    .as_ref()
                    .map_or_else(|| ZERO_TIME.into(), time_text),
                c.last_transition_time
                    .as_ref()
                    .map_or_else(|| ZERO_TIME.into(), time_text),
                c.reason.as_deref().unwrap_or(""),
                c.message.as_deref().unwrap_or("")
            );
        }
    }
    w!(w, LEVEL_0, "Addresses:\n");
    for a in status.addresses.iter().flatten() {
        w!(w, LEVEL_1, "{}:\t{}\n", a.type_, a.address);
    }
    for (title, list) in [
        ("Capacity", &status.capacity),
        ("Allocatable", &status.allocatable),
    ] {
        if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
            w!(w, LEVEL_0, "{title}:\n");
            for (k, q) in list {
                w!(w, LEVEL_0, "  {k}:\t{}\n", writer::quantity_text(q));
            }
        }
    }
    let info = status.node_info.clone().unwrap_or_default();
    w!(w, LEVEL_0, "System Info:\n");
    w!(w, LEVEL_0, "  Machine ID:\t{}\n", info.machine_id);
    w!(w, LEVEL_0, "  System UUID:\t{}\n", info.system_uuid);
    w!(w, LEVEL_0, "  Boot ID:\t{}\n", info.boot_id);
    w!(w, LEVEL_0, "  Kernel Version:\t{}\n", info.kernel_version);
    w!(w, LEVEL_0, "  OS Image:\t{}\n", info.os_image);
    w!(
        w,
        LEVEL_0,
        "  Operating System:\t{}\n",
        info.operating_system
    );
    w!(w, LEVEL_0, "  Architecture:\t{}\n", info.architecture);
    w!(
        w,
        LEVEL_0,
        "  Container Runtime Version:\t{}\n",
        info.container_runtime_version
    );
    w!(w, LEVEL_0, "  Kubelet Version:\t{}\n", info.kubelet_version);
    w!(
        w,
        LEVEL_0,
        "  Kube-Proxy Version:\t{}\n",
        info.kube_proxy_version
    );
    if let Some(c) = spec.pod_cidr.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "PodCIDR:\t{c}\n");
    }
    if let Some(c) = spec.pod_cidrs.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "PodCIDRs:\t{}\n", c.join(","));
    }
    if let Some(p) = spec.provider_id.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "ProviderID:\t{p}\n");
    }
    let pods: Vec<corev1::Pod> = d
        .list("Pod", "v1", None)
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p)
                if p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(name)
                    && !matches!(
                        p.status.as_ref().and_then(|s| s.phase.as_deref()),
                        Some("Succeeded" | "Failed")
                    ) =>
            {
                Some(p.clone())
            }
            _ => None,
        })
        .collect();
    let allocatable = status
        .allocatable
        .clone()
        .filter(|a| !a.is_empty())
        .or(status.capacity.clone())
        .unwrap_or_default();
    resources(&mut w, &pods, &allocatable, d);
    if d.show_events {
        d.events(&mut w, &Object::Node(node.clone()));
    }
    w.finish()
}

fn q(s: &k8s_openapi::apimachinery::pkg::api::resource::Quantity) -> Quantity {
    Quantity::parse(&s.0).unwrap_or_else(|_| Quantity::zero())
}

/// resourcehelper.PodRequestsAndLimits: the sum over containers, raised to any init
/// container's value, plus the pod overhead.
fn pod_requests_limits(
    p: &corev1::Pod,
) -> (BTreeMap<String, Quantity>, BTreeMap<String, Quantity>) {
    let spec = p.spec.clone().unwrap_or_default();
    let mut reqs: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut lims: BTreeMap<String, Quantity> = BTreeMap::new();
    for c in &spec.containers {
        let r = c.resources.clone().unwrap_or_default();
        for (k, v) in r.requests.iter().flatten() {
            reqs.entry(k.clone())
                .or_insert_with(Quantity::zero)
                .add(&q(v));
        }
        for (k, v) in r.limits.iter().flatten() {
            lims.entry(k.clone())
                .or_insert_with(Quantity::zero)
                .add(&q(v));
        }
    }
    for c in spec.init_containers.iter().flatten() {
        let r = c.resources.clone().unwrap_or_default();
        for (map, src) in [(&mut reqs, &r.requests), (&mut lims, &r.limits)] {
            for (k, v) in src.iter().flatten() {
                let v = q(v);
                let cur = map.entry(k.clone()).or_insert_with(Quantity::zero);
                if v.milli_value() > cur.milli_value() {
                    *cur = v;
                }
            }
        }
    }
    for (k, v) in spec.overhead.iter().flatten() {
        reqs.entry(k.clone())
            .or_insert_with(Quantity::zero)
            .add(&q(v));
        if lims.contains_key(k) {
            lims.entry(k.clone())
                .or_insert_with(Quantity::zero)
                .add(&q(v));
        }
    }
    (reqs, lims)
}

fn pct(part: i64, whole: i64) -> i64 {
    if whole == 0 {
        0
    } else {
        (part as f64 / whole as f64 * 100.0) as i64
    }
}

/// `describeNodeResource`.
fn resources(
    w: &mut PrefixWriter,
    pods: &[corev1::Pod],
    allocatable: &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    d: &Describe<'_, '_>,
) {
    let alloc = |k: &str| allocatable.get(k).map(q).unwrap_or_else(Quantity::zero);
    let (cpu_a, mem_a, eph_a) = (alloc("cpu"), alloc("memory"), alloc("ephemeral-storage"));
    w!(
        w,
        LEVEL_0,
        "Non-terminated Pods:\t({} in total)\n",
        pods.len()
    );
    w!(
        w,
        LEVEL_1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n"
    );
    w!(
        w,
        LEVEL_1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n"
    );
    let mut total_r: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut total_l: BTreeMap<String, Quantity> = BTreeMap::new();
    for p in pods {
        let (r, l) = pod_requests_limits(p);
        let get = |m: &BTreeMap<String, Quantity>, k: &str| {
            m.get(k).cloned().unwrap_or_else(Quantity::zero)
        };
        let (cr, cl, mr, ml) = (
            get(&r, "cpu"),
            get(&l, "cpu"),
            get(&r, "memory"),
            get(&l, "memory"),
        );
        // describe.go divides by allocatable without a zero check here: Go's float division
        // gives +Inf/NaN, and int64 of those is the minimum int64.
        let frac = |a: i64, b: i64| if b == 0 { i64::MIN } else { pct(a, b) };
        w!(
            w,
            LEVEL_1,
            "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
            p.metadata.namespace.as_deref().unwrap_or(""),
            p.metadata.name.as_deref().unwrap_or(""),
            cr,
            frac(cr.milli_value(), cpu_a.milli_value()),
            cl,
            frac(cl.milli_value(), cpu_a.milli_value()),
            mr,
            frac(mr.value(), mem_a.value()),
            ml,
            frac(ml.value(), mem_a.value()),
            writer::since(d.now, p.metadata.creation_timestamp.as_ref())
        );
        for (k, v) in r {
            total_r.entry(k).or_insert_with(Quantity::zero).add(&v);
        }
        for (k, v) in l {
            total_l.entry(k).or_insert_with(Quantity::zero).add(&v);
        }
    }
    w!(
        w,
        LEVEL_0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
    );
    w!(w, LEVEL_1, "Resource\tRequests\tLimits\n");
    w!(w, LEVEL_1, "--------\t--------\t------\n");
    let get =
        |m: &BTreeMap<String, Quantity>, k: &str| m.get(k).cloned().unwrap_or_else(Quantity::zero);
    for (name, whole, milli) in [
        ("cpu", &cpu_a, true),
        ("memory", &mem_a, false),
        ("ephemeral-storage", &eph_a, false),
    ] {
        let (r, l) = (get(&total_r, name), get(&total_l, name));
        let (rv, lv, wv) = if milli {
            (r.milli_value(), l.milli_value(), whole.milli_value())
        } else {
            (r.value(), l.value(), whole.value())
        };
        w!(
            w,
            LEVEL_1,
            "{name}\t{r} ({}%)\t{l} ({}%)\n",
            pct(rv, wv),
            pct(lv, wv)
        );
    }
    for k in allocatable.keys() {
        if k.starts_with("hugepages-") {
            let (r, l, a) = (get(&total_r, k), get(&total_l, k), alloc(k));
            w!(
                w,
                LEVEL_1,
                "{k}\t{r} ({}%)\t{l} ({}%)\n",
                pct(r.value(), a.value()),
                pct(l.value(), a.value())
            );
        }
    }
    for k in allocatable.keys() {
        let standard = matches!(
            k.as_str(),
            "cpu" | "memory" | "ephemeral-storage" | "pods" | "storage"
        ) || k.starts_with("hugepages-")
            || k.starts_with("requests.")
            || k.starts_with("limits.");
        if !standard {
            w!(
                w,
                LEVEL_1,
                "{k}\t{}\t{}\n",
                get(&total_r, k),
                get(&total_l, k)
            );
        }
    }
}
