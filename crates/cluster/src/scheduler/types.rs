//! What the scheduler knows about nodes and pods: `NodeInfo` and `PodInfo`, reduced from the
//! API objects to the fields the plugins read.
//!
//! Mirrors pkg/scheduler/framework/types.go (`NodeInfo`, `Resource`, `HostPortInfo`) and
//! component-helpers resource/helpers.go `PodRequests` (v1.34), including the non-zero
//! defaults of pkg/scheduler/util/pod_resources.go (100m CPU, 200Mi memory per container).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as K8sQuantity;
use machinery::quantity::Quantity;
use machinery::scheduling::{Taint, Toleration};

/// `DefaultMilliCPURequest`: CPU counted for a container without a request when scoring.
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
/// `DefaultMemoryRequest`: memory counted for a container without a request (200Mi).
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// Amounts of the resources the scheduler accounts for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resource {
    pub milli_cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    pub pods: i64,
}

impl Resource {
    /// Adds `o` to `self`.
    pub fn add(&mut self, o: &Resource) {
        self.milli_cpu += o.milli_cpu;
        self.memory += o.memory;
        self.ephemeral_storage += o.ephemeral_storage;
        self.pods += o.pods;
    }

    /// Subtracts `o` from `self`.
    pub fn sub(&mut self, o: &Resource) {
        self.milli_cpu -= o.milli_cpu;
        self.memory -= o.memory;
        self.ephemeral_storage -= o.ephemeral_storage;
        self.pods -= o.pods;
    }

    /// The larger of each amount.
    pub fn max(&self, o: &Resource) -> Resource {
        Resource {
            milli_cpu: self.milli_cpu.max(o.milli_cpu),
            memory: self.memory.max(o.memory),
            ephemeral_storage: self.ephemeral_storage.max(o.ephemeral_storage),
            pods: self.pods.max(o.pods),
        }
    }

    /// Reads `cpu`, `memory`, `ephemeral-storage` and `pods` from a resource list.
    pub fn from_list(list: Option<&BTreeMap<String, K8sQuantity>>) -> Resource {
        let mut r = Resource::default();
        for (k, v) in list.into_iter().flatten() {
            let Ok(q) = Quantity::parse(&v.0) else {
                continue;
            };
            match k.as_str() {
                "cpu" => r.milli_cpu = q.milli_value(),
                "memory" => r.memory = q.value(),
                "ephemeral-storage" => r.ephemeral_storage = q.value(),
                "pods" => r.pods = q.value(),
                _ => {}
            }
        }
        r
    }
}

/// A host port a pod uses: protocol, host IP (`0.0.0.0` when unset) and port.
pub type HostPort = (String, String, i32);

/// The incoming or an assigned pod, as the plugins see it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodInfo {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub priority: i32,
    /// `PodRequests` (init containers and sidecars folded in, plus overhead); `pods` = 1.
    pub requests: Resource,
    /// The same with the non-zero defaults, for scoring.
    pub non_zero: Resource,
    pub host_ports: Vec<HostPort>,
    pub images: Vec<String>,
    pub tolerations: Vec<Toleration>,
    pub spec: SpecRef,
    /// Node the pod is bound to (assigned pods) or asks for (`spec.nodeName`).
    pub node_name: Option<String>,
    pub terminating: bool,
    /// The uid of the controlling owner (ReplicaSet, StatefulSet…), for default spreading.
    pub owner_uid: Option<String>,
    /// VolumeBinding's state for this attempt: the nodes where the pod's claims cannot be
    /// bound, with the reasons (read from the store before filtering; empty without claims).
    pub volume_conflicts: BTreeMap<String, Vec<&'static str>>,
}

impl PodInfo {
    /// Whether the pod has required anti-affinity terms.
    pub fn has_required_anti_affinity(&self) -> bool {
        self.spec
            .affinity
            .as_ref()
            .and_then(|a| a.pod_anti_affinity.as_ref())
            .and_then(|a| {
                a.required_during_scheduling_ignored_during_execution
                    .as_ref()
            })
            .is_some_and(|t| !t.is_empty())
    }

    /// The plugin view of `pod`, with `priority` already resolved.
    pub fn new(pod: &corev1::Pod, priority: i32) -> PodInfo {
        PodInfo::from_pod(pod, SpecRef::detached(pod), priority)
    }

    /// The pod's labels (read from the pod object it shares, not copied).
    pub fn labels(&self) -> &BTreeMap<String, String> {
        self.spec.labels()
    }

    /// The plugin view of a stored pod object; `None` for another kind.
    pub fn from_object(obj: &Arc<Object>, priority: i32) -> Option<PodInfo> {
        let Object::Pod(pod) = &**obj else {
            return None;
        };
        Some(PodInfo::from_pod(pod, SpecRef::of(obj), priority))
    }

    fn from_pod(pod: &corev1::Pod, spec: SpecRef, priority: i32) -> PodInfo {
        let (requests, non_zero) = pod_requests(&spec);
        let mut host_ports = Vec::new();
        for c in spec
            .containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
        {
            for p in c.ports.iter().flatten() {
                if let Some(hp) = p.host_port.filter(|p| *p > 0) {
                    let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
                    let ip = p
                        .host_ip
                        .clone()
                        .filter(|i| !i.is_empty())
                        .unwrap_or_else(|| "0.0.0.0".into());
                    host_ports.push((proto, ip, hp));
                }
            }
        }
        // The cache keeps these for every assigned pod: sized to fit, since a collect whose
        // length it cannot tell ahead starts with room for four.
        let mut images = Vec::with_capacity(spec.containers.len());
        images.extend(spec.containers.iter().filter_map(|c| c.image.clone()));
        let pod_tolerations = spec.tolerations.as_deref().unwrap_or_default();
        let mut tolerations = Vec::with_capacity(pod_tolerations.len());
        tolerations.extend(pod_tolerations.iter().map(|t| Toleration {
            key: t.key.clone().unwrap_or_default(),
            operator: t.operator.clone().unwrap_or_default(),
            value: t.value.clone().unwrap_or_default(),
            effect: t.effect.clone().unwrap_or_default(),
            toleration_seconds: t.toleration_seconds,
        }));
        PodInfo {
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            uid: pod.metadata.uid.clone().unwrap_or_default(),
            priority,
            requests,
            non_zero,
            host_ports,
            images,
            tolerations,
            node_name: spec.node_name.clone().filter(|n| !n.is_empty()),
            spec,
            terminating: pod.metadata.deletion_timestamp.is_some(),
            owner_uid: controller_uid(&pod.metadata).map(str::to_string),
            volume_conflicts: BTreeMap::new(),
        }
    }

    /// `namespace/name`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// The uid of the controlling owner reference.
fn controller_uid(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> Option<&str> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| r.uid.as_str())
}

/// A pod's spec and labels as the plugins read them: the stored pod object itself, shared with
/// the store and the kubelet rather than copied (a copy of the spec per pod was about 13 KB at
/// 150,000 pods, of the labels half a kilobyte). The cache moves it to the newest stored
/// version on every refresh, so an old version is never kept alive beside the one the kubelet
/// holds. Dereferences to the spec (an empty one when the pod has none).
#[derive(Clone, Default)]
pub struct SpecRef(Option<Arc<Object>>);

impl SpecRef {
    /// The spec and labels of `obj` (empty unless it is a pod).
    pub fn of(obj: &Arc<Object>) -> SpecRef {
        match &**obj {
            Object::Pod(_) => SpecRef(Some(Arc::clone(obj))),
            _ => SpecRef(None),
        }
    }

    /// The spec and labels of a pod that is no stored object (a pod built by hand).
    pub fn detached(pod: &corev1::Pod) -> SpecRef {
        SpecRef(Some(Arc::new(Object::Pod(corev1::Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                labels: pod.metadata.labels.clone(),
                ..Default::default()
            },
            spec: pod.spec.clone(),
            status: None,
        }))))
    }

    /// The pod's labels (empty when it has none).
    pub fn labels(&self) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        match self.0.as_deref() {
            Some(Object::Pod(pod)) => pod.metadata.labels.as_ref().unwrap_or(&EMPTY),
            _ => &EMPTY,
        }
    }
}

impl std::ops::Deref for SpecRef {
    type Target = corev1::PodSpec;

    fn deref(&self) -> &corev1::PodSpec {
        static EMPTY: OnceLock<corev1::PodSpec> = OnceLock::new();
        match self.0.as_deref() {
            Some(Object::Pod(corev1::Pod {
                spec: Some(spec), ..
            })) => spec,
            _ => EMPTY.get_or_init(Default::default),
        }
    }
}

impl PartialEq for SpecRef {
    fn eq(&self, other: &SpecRef) -> bool {
        **self == **other && self.labels() == other.labels()
    }
}

impl std::fmt::Debug for SpecRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// Mirrors PodRequests: app containers and restartable init containers (sidecars) add up;
/// a regular init container counts as its own request plus the sidecars started before it;
/// the pod needs the larger of the two, plus overhead. Returns (requests, non-zero requests).
pub fn pod_requests(spec: &corev1::PodSpec) -> (Resource, Resource) {
    let req = |c: &corev1::Container, non_zero: bool| {
        let mut r = Resource::from_list(c.resources.as_ref().and_then(|r| r.requests.as_ref()));
        if non_zero {
            if r.milli_cpu == 0 {
                r.milli_cpu = DEFAULT_MILLI_CPU_REQUEST;
            }
            if r.memory == 0 {
                r.memory = DEFAULT_MEMORY_REQUEST;
            }
        }
        r
    };
    let compute = |non_zero: bool| {
        let mut apps = Resource::default();
        for c in &spec.containers {
            apps.add(&req(c, non_zero));
        }
        let mut sidecars = Resource::default();
        let mut init_max = Resource::default();
        for c in spec.init_containers.iter().flatten() {
            let r = req(c, non_zero);
            if c.restart_policy.as_deref() == Some("Always") {
                sidecars.add(&r);
                init_max = init_max.max(&sidecars);
            } else {
                let mut with = r;
                with.add(&sidecars);
                init_max = init_max.max(&with);
            }
        }
        apps.add(&sidecars);
        let mut total = apps.max(&init_max);
        total.add(&Resource::from_list(spec.overhead.as_ref()));
        total.pods = 1;
        total
    };
    (compute(false), compute(true))
}

/// A node's taints as the scheduling rules read them.
pub fn taints_of(node: &corev1::Node) -> Vec<Taint> {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .map(|t| Taint {
            key: t.key.clone(),
            value: t.value.clone().unwrap_or_default(),
            effect: t.effect.clone(),
        })
        .collect()
}

/// A node with the pods assigned to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    pub allocatable: Resource,
    /// Sum of the assigned pods' requests.
    pub requested: Resource,
    /// Sum with the non-zero defaults.
    pub non_zero_requested: Resource,
    pub used_ports: BTreeSet<HostPort>,
    /// Images on the node (`status.images` names) with their sizes in bytes.
    pub images: BTreeMap<String, i64>,
    /// The node's conditions as type and status, to tell an update that may let pods fit
    /// from a heartbeat.
    pub conditions: Vec<(String, String)>,
    /// Assigned pods by `namespace/name`.
    pub pods: BTreeMap<String, PodInfo>,
    /// How many of them have required pod anti-affinity terms (InterPodAffinity's PreFilter
    /// only needs those, so nodes without any are skipped).
    pub required_anti_affinity_pods: usize,
    /// Non-terminating assigned pods by controller uid, then namespace: the default spreading
    /// score counts a pod's siblings on every scored node, and walking the node's pods for
    /// that made scheduling slow down as nodes filled (30 pods per node at 150,000 pods).
    pub controlled_pods: HashMap<String, Vec<(String, u32)>>,
    /// The number [`super::cache::NodeInfos`] gave the node, unique among its nodes: the
    /// cache's per-controller index names nodes by it.
    pub slot: u32,
}

impl NodeInfo {
    /// The scheduler's view of `node` with no pods.
    pub fn new(node: &corev1::Node) -> NodeInfo {
        // Borrowed, not cloned: every node status write (heartbeats) comes through here.
        let status = node.status.as_ref();
        let mut images = BTreeMap::new();
        for img in status.and_then(|s| s.images.as_ref()).into_iter().flatten() {
            for n in img.names.iter().flatten() {
                images.insert(n.clone(), img.size_bytes.unwrap_or(0));
            }
        }
        let conditions = status
            .and_then(|s| s.conditions.as_ref())
            .into_iter()
            .flatten()
            .map(|c| (c.type_.clone(), c.status.clone()))
            .collect();
        NodeInfo {
            allocatable: Resource::from_list(status.and_then(|s| s.allocatable.as_ref())),
            images,
            conditions,
            ..NodeInfo::placement(node)
        }
    }

    /// Only what placement filters read (name, labels, taints, unschedulable).
    fn placement(node: &corev1::Node) -> NodeInfo {
        let spec = node.spec.as_ref();
        NodeInfo {
            name: node.metadata.name.clone().unwrap_or_default(),
            labels: node.metadata.labels.clone().unwrap_or_default(),
            taints: taints_of(node),
            unschedulable: spec.and_then(|s| s.unschedulable).unwrap_or(false),
            ..Default::default()
        }
    }

    /// Accounts for an assigned pod.
    pub fn add_pod(&mut self, pod: PodInfo) {
        self.requested.add(&pod.requests);
        self.non_zero_requested.add(&pod.non_zero);
        for hp in &pod.host_ports {
            self.used_ports.insert(hp.clone());
        }
        if pod.has_required_anti_affinity() {
            self.required_anti_affinity_pods += 1;
        }
        self.count_controlled(&pod, true);
        if let Some(old) = self.pods.insert(pod.key(), pod) {
            if old.has_required_anti_affinity() {
                self.required_anti_affinity_pods -= 1;
            }
            self.count_controlled(&old, false);
        }
    }

    /// How many non-terminating pods of `namespace` controlled by `owner_uid` the node has.
    pub fn controlled_count(&self, owner_uid: &str, namespace: &str) -> u32 {
        self.controlled_pods
            .get(owner_uid)
            .and_then(|per_ns| per_ns.iter().find(|(ns, _)| ns == namespace))
            .map_or(0, |(_, n)| *n)
    }

    fn count_controlled(&mut self, pod: &PodInfo, added: bool) {
        let Some(owner) = pod.owner_uid.as_deref().filter(|_| !pod.terminating) else {
            return;
        };
        if added {
            let per_ns = self.controlled_pods.entry(owner.to_string()).or_default();
            match per_ns.iter_mut().find(|(ns, _)| *ns == pod.namespace) {
                Some((_, n)) => *n += 1,
                None => per_ns.push((pod.namespace.clone(), 1)),
            }
            return;
        }
        let Some(per_ns) = self.controlled_pods.get_mut(owner) else {
            return;
        };
        if let Some(i) = per_ns.iter().position(|(ns, _)| *ns == pod.namespace) {
            per_ns[i].1 -= 1;
            if per_ns[i].1 == 0 {
                per_ns.swap_remove(i);
            }
        }
        if per_ns.is_empty() {
            self.controlled_pods.remove(owner);
        }
    }

    /// Forgets an assigned pod.
    pub fn remove_pod(&mut self, key: &str) -> Option<PodInfo> {
        let pod = self.pods.remove(key)?;
        if pod.has_required_anti_affinity() {
            self.required_anti_affinity_pods -= 1;
        }
        self.count_controlled(&pod, false);
        self.requested.sub(&pod.requests);
        self.non_zero_requested.sub(&pod.non_zero);
        for hp in &pod.host_ports {
            let still = self.pods.values().any(|p| p.host_ports.contains(hp));
            if !still {
                self.used_ports.remove(hp);
            }
        }
        Some(pod)
    }

    /// Accounts for the stored version `obj` of an assigned pod. A status-only change (the
    /// kubelet's frequent writes) keeps the cached view as it is.
    pub fn refresh_pod(&mut self, key: &str, obj: &Arc<Object>, priority: i32) {
        if !matches!(&**obj, Object::Pod(_)) || self.refresh_unchanged(key, obj, priority) {
            return;
        }
        self.remove_pod(key);
        if let Some(info) = PodInfo::from_object(obj, priority) {
            self.add_pod(info);
        }
    }

    /// When the pod `key` is held and `obj` changes nothing the cached view keeps (a status
    /// write), follows the stored object, so an older version is not kept alive, and returns
    /// true; otherwise returns false and changes nothing.
    pub fn refresh_unchanged(&mut self, key: &str, obj: &Arc<Object>, priority: i32) -> bool {
        let (Object::Pod(pod), Some(cached)) = (&**obj, self.pods.get_mut(key)) else {
            return false;
        };
        let empty = BTreeMap::new();
        let same = cached.priority == priority
            && cached.terminating == pod.metadata.deletion_timestamp.is_some()
            && *cached.labels() == *pod.metadata.labels.as_ref().unwrap_or(&empty)
            && cached.uid.as_str() == pod.metadata.uid.as_deref().unwrap_or("")
            && cached.owner_uid.as_deref() == controller_uid(&pod.metadata)
            && pod.spec.as_ref().is_some_and(|s| *s == *cached.spec);
        if same {
            cached.spec = SpecRef::of(obj);
        }
        same
    }

    /// Keeps the pods (and their accounting) while taking labels, taints and capacity from
    /// a newer `node`.
    pub fn update_node(&mut self, node: &corev1::Node) {
        self.update_from(NodeInfo::new(node));
    }

    /// The same from an already converted node (its pods are ignored).
    pub fn update_from(&mut self, fresh: NodeInfo) {
        self.labels = fresh.labels;
        self.taints = fresh.taints;
        self.unschedulable = fresh.unschedulable;
        self.allocatable = fresh.allocatable;
        self.images = fresh.images;
        self.conditions = fresh.conditions;
    }

    /// Whether `fresh` differs from this node in what decides where pods fit: labels, taints,
    /// `spec.unschedulable`, allocatable or a condition's status (v1.34
    /// pkg/scheduler/framework/events.go `NodeSchedulingPropertiesChange`). A new image list
    /// or heartbeat is no such change, so it moves no unschedulable pod back to the queue.
    pub fn scheduling_properties_differ(&self, fresh: &NodeInfo) -> bool {
        self.labels != fresh.labels
            || self.taints != fresh.taints
            || self.unschedulable != fresh.unschedulable
            || self.allocatable != fresh.allocatable
            || self.conditions != fresh.conditions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(cpu: &str, restart: Option<&str>) -> corev1::Container {
        corev1::Container {
            name: "c".into(),
            restart_policy: restart.map(str::to_string),
            resources: Some(corev1::ResourceRequirements {
                requests: Some([("cpu".to_string(), K8sQuantity(cpu.into()))].into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    // Mirrors cases of TestPodRequests in component-helpers resource/helpers_test.go.
    #[test]
    fn pod_requests_table() {
        struct Case {
            name: &'static str,
            containers: Vec<&'static str>,
            init: Vec<(&'static str, Option<&'static str>)>,
            want_cpu: i64,
        }
        let cases = [
            Case {
                name: "app only",
                containers: vec!["1", "2"],
                init: vec![],
                want_cpu: 3000,
            },
            Case {
                name: "init larger",
                containers: vec!["1"],
                init: vec![("4", None)],
                want_cpu: 4000,
            },
            Case {
                name: "sidecar adds",
                containers: vec!["1"],
                init: vec![("1", Some("Always")), ("2", None)],
                want_cpu: 3000,
            },
        ];
        for c in &cases {
            let spec = corev1::PodSpec {
                containers: c.containers.iter().map(|q| container(q, None)).collect(),
                init_containers: Some(c.init.iter().map(|(q, r)| container(q, *r)).collect()),
                ..Default::default()
            };
            assert_eq!(
                pod_requests(&spec).0.milli_cpu,
                c.want_cpu,
                "case {}",
                c.name
            );
        }
    }
}
