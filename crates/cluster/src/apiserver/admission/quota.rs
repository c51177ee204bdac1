//! ResourceQuota: what objects in a namespace use, and the admission check against `hard`.
//!
//! Mirrors pkg/quota/v1/evaluator/core (pods.go `podComputeUsageHelper`, services.go,
//! persistent_volume_claims.go, object counts) and plugin/pkg/admission/resourcequota
//! controller.go `checkRequest` (v1.34): usage is recomputed from the objects, a request that
//! would pass `hard` fails with `exceeded quota: <name>, requested: …, used: …, limited: …`,
//! and a pod without a request or limit the quota tracks fails with `failed quota: <name>:
//! must specify …`. The resourcequota controller writes the same usage to `status`.

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use machinery::quantity::Quantity;

use crate::apiserver::Store;
use crate::controller::kind_of;

/// Resource name → amount.
pub type Usage = BTreeMap<String, Quantity>;

fn add(u: &mut Usage, k: &str, q: &Quantity) {
    u.entry(k.to_string()).or_insert_with(Quantity::zero).add(q);
}

fn one() -> Quantity {
    Quantity::parse("1").unwrap_or_else(|_| Quantity::zero())
}

fn parse(q: &k8s_openapi::apimachinery::pkg::api::resource::Quantity) -> Quantity {
    Quantity::parse(&q.0).unwrap_or_else(|_| Quantity::zero())
}

/// The compute names a container's requests and limits count toward.
fn container_usage(c: &corev1::Container) -> Usage {
    let mut u = Usage::new();
    let res = c.resources.clone().unwrap_or_default();
    for (k, v) in res.requests.iter().flatten() {
        let q = parse(v);
        add(&mut u, &format!("requests.{k}"), &q);
        if k == "cpu" || k == "memory" || k == "ephemeral-storage" {
            add(&mut u, k, &q);
        }
    }
    for (k, v) in res.limits.iter().flatten() {
        add(&mut u, &format!("limits.{k}"), &parse(v));
    }
    u
}

/// What one object counts for.
pub fn object_usage(obj: &Object) -> Usage {
    let info = obj.kind_info();
    let mut u = Usage::new();
    let count = if info.group.is_empty() {
        format!("count/{}", info.plural)
    } else {
        format!("count/{}.{}", info.plural, info.group)
    };
    add(&mut u, &count, &one());
    match obj {
        Object::Pod(p) => {
            let phase = crate::controller::podutil::phase(p);
            if matches!(phase, "Succeeded" | "Failed") {
                return Usage::new();
            }
            add(&mut u, "pods", &one());
            for c in p.spec.iter().flat_map(|s| s.containers.iter()) {
                for (k, v) in container_usage(c) {
                    add(&mut u, &k, &v);
                }
            }
        }
        Object::Service(s) => {
            add(&mut u, "services", &one());
            let spec = s.spec.clone().unwrap_or_default();
            let ty = spec.type_.as_deref().unwrap_or("ClusterIP");
            let ports = spec.ports.as_ref().map_or(0, Vec::len) as i64;
            if ty == "NodePort" || ty == "LoadBalancer" {
                add(
                    &mut u,
                    "services.nodeports",
                    &Quantity::parse(&ports.to_string()).unwrap_or_else(|_| Quantity::zero()),
                );
            }
            if ty == "LoadBalancer" {
                add(&mut u, "services.loadbalancers", &one());
            }
        }
        Object::ConfigMap(_) => add(&mut u, "configmaps", &one()),
        Object::Secret(_) => add(&mut u, "secrets", &one()),
        Object::ReplicationController(_) => add(&mut u, "replicationcontrollers", &one()),
        Object::ResourceQuota(_) => add(&mut u, "resourcequotas", &one()),
        Object::PersistentVolumeClaim(c) => {
            add(&mut u, "persistentvolumeclaims", &one());
            let spec = c.spec.clone().unwrap_or_default();
            if let Some(q) = spec
                .resources
                .as_ref()
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
            {
                add(&mut u, "requests.storage", &parse(q));
                if let Some(class) = spec.storage_class_name.as_deref().filter(|c| !c.is_empty()) {
                    add(
                        &mut u,
                        &format!("{class}.storageclass.storage.k8s.io/requests.storage"),
                        &parse(q),
                    );
                    add(
                        &mut u,
                        &format!("{class}.storageclass.storage.k8s.io/persistentvolumeclaims"),
                        &one(),
                    );
                }
            }
        }
        _ => {}
    }
    u
}

/// What a namespace uses of the resources `hard` names.
pub fn namespace_usage(store: &Store, ns: &str, hard: &Usage) -> Usage {
    let mut used: Usage = hard.keys().map(|k| (k.clone(), Quantity::zero())).collect();
    for info in api::kinds::KINDS.iter().filter(|k| k.namespaced) {
        let tracked = hard.keys().any(|k| {
            k.starts_with("count/")
                || matches!(
                    (k.as_str(), info.kind),
                    ("pods" | "cpu" | "memory" | "ephemeral-storage", "Pod")
                        | (
                            "services" | "services.nodeports" | "services.loadbalancers",
                            "Service"
                        )
                        | ("configmaps", "ConfigMap")
                        | ("secrets", "Secret")
                        | ("replicationcontrollers", "ReplicationController")
                        | ("resourcequotas", "ResourceQuota")
                        | (
                            "persistentvolumeclaims" | "requests.storage",
                            "PersistentVolumeClaim"
                        )
                )
                || (info.kind == "Pod" && (k.starts_with("requests.") || k.starts_with("limits.")))
                || (info.kind == "PersistentVolumeClaim"
                    && k.contains(".storageclass.storage.k8s.io/"))
        });
        if !tracked {
            continue;
        }
        let Ok(list) = store.list(info, Some(ns), &Default::default()) else {
            continue;
        };
        for obj in &list.items {
            for (k, v) in object_usage(obj) {
                if let Some(u) = used.get_mut(&k) {
                    u.add(&v);
                }
            }
        }
    }
    used
}

/// The quota's `hard`, parsed.
pub fn hard_of(q: &corev1::ResourceQuota) -> Usage {
    q.spec
        .iter()
        .flat_map(|s| s.hard.iter().flatten())
        .map(|(k, v)| (k.clone(), parse(v)))
        .collect()
}

fn pretty(u: &Usage) -> String {
    u.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

const COMPUTE: &[&str] = &[
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
];

/// Checks a create against every quota of its namespace.
///
/// # Errors
/// The quota failure message.
pub fn validate(store: &Store, obj: &Object) -> Result<(), String> {
    let Some(ns) = obj.namespace().map(str::to_string) else {
        return Ok(());
    };
    let kind = kind_of::<corev1::ResourceQuota>();
    // Most clusters hold none: every create asks, so skip the list and the usage then.
    if store.count(kind) == 0 {
        return Ok(());
    }
    let quotas: Vec<corev1::ResourceQuota> = store
        .list(
            kind,
            Some(&ns),
            &Default::default(),
        )
        .map(|l| l.items)
        .unwrap_or_default()
        .iter()
        .filter_map(|o| match &**o {
            Object::ResourceQuota(q) => Some(q.clone()),
            _ => None,
        })
        .collect();
    let delta = object_usage(obj);
    for q in quotas {
        let name = q.metadata.name.clone().unwrap_or_default();
        let hard = hard_of(&q);
        if let Object::Pod(p) = obj {
            let required: Vec<&str> = COMPUTE
                .iter()
                .copied()
                .filter(|r| hard.contains_key(*r))
                .collect();
            let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
            let spec = p.spec.clone().unwrap_or_default();
            for c in spec
                .init_containers
                .iter()
                .flatten()
                .chain(spec.containers.iter())
            {
                let have = container_usage(c);
                for r in &required {
                    if !have.contains_key(*r) {
                        missing
                            .entry(r.to_string())
                            .or_default()
                            .push(c.name.clone());
                    }
                }
            }
            if !missing.is_empty() {
                let parts: Vec<String> = missing
                    .iter()
                    .map(|(r, cs)| format!("{r} for: {}", cs.join(",")))
                    .collect();
                return Err(format!(
                    "failed quota: {name}: must specify {}",
                    parts.join("; ")
                ));
            }
        }
        let requested: Usage = delta
            .iter()
            .filter(|(k, _)| hard.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if requested.is_empty() {
            continue;
        }
        let used = namespace_usage(store, &ns, &hard);
        let mut exceeded = Vec::new();
        for (k, r) in &requested {
            let mut total = used.get(k).cloned().unwrap_or_else(Quantity::zero);
            total.add(r);
            if hard.get(k).is_some_and(|h| total > *h) {
                exceeded.push(k.clone());
            }
        }
        if !exceeded.is_empty() {
            let mask = |u: &Usage| -> Usage {
                exceeded
                    .iter()
                    .map(|k| (k.clone(), u.get(k).cloned().unwrap_or_else(Quantity::zero)))
                    .collect()
            };
            return Err(format!(
                "exceeded quota: {name}, requested: {}, used: {}, limited: {}",
                pretty(&mask(&requested)),
                pretty(&mask(&used)),
                pretty(&mask(&hard))
            ));
        }
    }
    Ok(())
}
