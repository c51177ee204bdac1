//! The resource metrics pipeline: what metrics-server would serve from the kubelets.
//!
//! Every [`SCRAPE_INTERVAL`] the simulation copies each running pod's simulated usage
//! (the image catalog's steady CPU and memory per container, plus its share of any load put
//! on a Service) into the store's [`PodMetrics`] table, which the HPA controller reads as the
//! `metrics.k8s.io` API. Load is spread evenly over the Service's ready endpoints, as a
//! round-robin kube-proxy does.
//!
//! Requests really served also cost CPU: an image whose server spends CPU per request
//! (`cpuPerRequestMs`, hpa-example's index.php) adds its request rate since the previous
//! scrape times that cost, capped at the container's CPU limit as the CFS quota caps it. So a
//! `while sleep 0.01; do wget -q -O- http://php-apache; done` loop in a pod drives the
//! autoscaler as in the HorizontalPodAutoscaler walkthrough.

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::Store;
use crate::controller::kind_of;
use crate::kubelet::Kubelets;
use crate::kubelet::pod_workers::{CState, Ctr};
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
    /// Each container's CPU milliseconds spent on requests so far, to rate the next scrape.
    pub request_cpu_ms: BTreeMap<String, u64>,
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
            let previous = store.metrics.get(&ns, &name);
            let mut containers = BTreeMap::new();
            let mut request_cpu_ms = BTreeMap::new();
            for c in w.running() {
                let steady = c.image.map_or(1, |i| i.cpu.max(1));
                let serving = serving_cpu_millis(c, previous, now);
                let cpu_millis = match cpu_limit_millis(&c.spec) {
                    Some(limit) => (steady + serving).min(limit.max(steady)),
                    None => steady + serving,
                };
                containers.insert(
                    c.spec.name.clone(),
                    Usage {
                        cpu_millis,
                        memory_bytes: c.image.map_or(1 << 20, |i| i.memory.max(1 << 20)),
                    },
                );
                if c.request_cpu_ms > 0 {
                    request_cpu_ms.insert(c.spec.name.clone(), c.request_cpu_ms);
                }
            }
            if !containers.is_empty() {
                node_of.insert((ns.clone(), name.clone()), k.name.clone());
                out.pods.insert(
                    (ns, name),
                    PodUsage {
                        timestamp: now,
                        containers,
                        request_cpu_ms,
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

/// The CPU (millicores) a container spent serving requests since the previous scrape, or
/// since it started when there was none.
fn serving_cpu_millis(c: &Ctr, previous: Option<&PodUsage>, now: SimTime) -> i64 {
    if c.request_cpu_ms == 0 {
        return 0;
    }
    let CState::Running { since } = c.state else {
        return 0;
    };
    // A reading taken while this instance ran is the baseline (no entry: nothing spent yet).
    let (spent_before, from) = match previous {
        Some(p) if p.timestamp >= since => {
            let ms = p.request_cpu_ms.get(&c.spec.name).copied().unwrap_or(0);
            (ms.min(c.request_cpu_ms), p.timestamp)
        }
        _ => (0, since),
    };
    let window_ms = now.as_millis().saturating_sub(from.as_millis());
    if window_ms == 0 {
        return 0;
    }
    ((c.request_cpu_ms - spent_before) * 1000 / window_ms) as i64
}

/// The container's CPU limit in millicores, if it has one.
fn cpu_limit_millis(spec: &corev1::Container) -> Option<i64> {
    let limit = spec.resources.as_ref()?.limits.as_ref()?.get("cpu")?;
    machinery::quantity::Quantity::parse(&limit.0).ok().map(|q| q.milli_value())
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
