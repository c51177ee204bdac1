//! The resource metrics pipeline: what metrics-server would serve from the kubelets.
//!
//! Every [`SCRAPE_INTERVAL`] the simulation copies each running pod's simulated usage
//! (the image catalog's steady CPU and memory per container, plus its share of any load put
//! on a Service) into the store's [`PodMetrics`] table, which the HPA controller reads as the
//! `metrics.k8s.io` API. Load is spread evenly over the Service's ready endpoints, as a
//! round-robin kube-proxy does.

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::Store;
use crate::controller::kind_of;
use crate::kubelet::Kubelets;
use crate::time::{SimDuration, SimTime};

/// metrics-server's `--metric-resolution` in minikube's addon.
pub const SCRAPE_INTERVAL: SimDuration = SimDuration::from_secs(15);

/// One container's usage: CPU in millicores, memory in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub cpu_millis: i64,
    pub memory_bytes: i64,
}

/// A pod's usage per container, as of `timestamp`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodUsage {
    pub timestamp: SimTime,
    pub containers: BTreeMap<String, Usage>,
}

impl PodUsage {
    /// The pod's total.
    pub fn total(&self) -> Usage {
        self.containers.values().fold(Usage::default(), |a, u| Usage {
            cpu_millis: a.cpu_millis + u.cpu_millis,
            memory_bytes: a.memory_bytes + u.memory_bytes,
        })
    }
}

/// The latest scrape: pods keyed by (namespace, pod name), and nodes by name.
#[derive(Debug, Clone, Default)]
pub struct PodMetrics {
    pub pods: BTreeMap<(String, String), PodUsage>,
    /// Each running node's usage: its pods' plus [`SYSTEM_USAGE`], as the kubelet's
    /// node-level cgroup reports it to metrics-server.
    pub nodes: BTreeMap<String, NodeUsage>,
}

/// A node's usage, as of `timestamp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NodeUsage {
    pub timestamp: SimTime,
    pub usage: Usage,
}

/// What a node uses outside its pods (kubelet, container runtime, the OS): a modelled
/// constant, so `kubectl top node` of an idle node is not zero.
pub const SYSTEM_USAGE: Usage = Usage {
    cpu_millis: 50,
    memory_bytes: 400 * 1024 * 1024,
};

impl PodMetrics {
    /// A pod's usage, if it was running at the last scrape.
    pub fn get(&self, namespace: &str, name: &str) -> Option<&PodUsage> {
        self.pods.get(&(namespace.to_string(), name.to_string()))
    }
}

/// Load put on Services: (namespace, service) → what all its clients cost.
#[derive(Debug, Clone, Default)]
pub struct Loads {
    pub by_service: BTreeMap<(String, String), Usage>,
}

/// Reads every running container's usage from the kubelets and adds the Services' loads.
pub fn scrape(kubelets: &Kubelets, store: &Store, loads: &Loads, now: SimTime) -> PodMetrics {
    let mut out = PodMetrics::default();
    let mut node_of: BTreeMap<(String, String), String> = BTreeMap::new();
    for k in kubelets.nodes.values() {
        if !k.running {
            continue;
        }
        out.nodes.insert(
            k.name.clone(),
            NodeUsage {
                timestamp: now,
                usage: SYSTEM_USAGE,
            },
        );
        for w in k.workers.values() {
            let ns = w.pod.metadata.namespace.clone().unwrap_or_default();
            let name = w.pod.metadata.name.clone().unwrap_or_default();
            let mut containers = BTreeMap::new();
            for c in w.running() {
                containers.insert(
                    c.spec.name.clone(),
                    Usage {
                        cpu_millis: c.image.map_or(1, |i| i.cpu.max(1)),
                        memory_bytes: c.image.map_or(1 << 20, |i| i.memory.max(1 << 20)),
                    },
                );
            }
            if !containers.is_empty() {
                node_of.insert((ns.clone(), name.clone()), k.name.clone());
                out.pods.insert(
                    (ns, name),
                    PodUsage {
                        timestamp: now,
                        containers,
                    },
                );
            }
        }
    }
    for ((ns, svc), load) in &loads.by_service {
        let targets = ready_endpoints(store, ns, svc);
        if targets.is_empty() {
            continue;
        }
        let n = targets.len() as i64;
        for pod in targets {
            let Some(u) = out.pods.get_mut(&(ns.clone(), pod)) else {
                continue;
            };
            // The first container serves the traffic.
            if let Some(c) = u.containers.values_mut().next() {
                c.cpu_millis += load.cpu_millis / n;
                c.memory_bytes += load.memory_bytes / n;
            }
        }
    }
    for (key, pod) in &out.pods {
        if let Some(n) = node_of.get(key).and_then(|node| out.nodes.get_mut(node)) {
            let t = pod.total();
            n.usage.cpu_millis += t.cpu_millis;
            n.usage.memory_bytes += t.memory_bytes;
        }
    }
    out
}

/// The names of the ready pods a Service selects.
fn ready_endpoints(store: &Store, ns: &str, svc: &str) -> Vec<String> {
    let Ok(obj) = store.get(kind_of::<corev1::Service>(), Some(ns), svc) else {
        return Vec::new();
    };
    let Object::Service(s) = &*obj else {
        return Vec::new();
    };
    let Some(selector) = s.spec.as_ref().and_then(|s| s.selector.clone()) else {
        return Vec::new();
    };
    if selector.is_empty() {
        return Vec::new();
    }
    let Ok(list) = store.list(kind_of::<corev1::Pod>(), Some(ns), &Default::default()) else {
        return Vec::new();
    };
    list.items
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p)
                if p.metadata.deletion_timestamp.is_none()
                    && crate::controller::podutil::is_pod_ready(p)
                    && p.metadata.labels.as_ref().is_some_and(|l| {
                        selector.iter().all(|(k, v)| l.get(k) == Some(v))
                    }) =>
            {
                p.metadata.name.clone()
            }
            _ => None,
        })
        .collect()
}
