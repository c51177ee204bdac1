//! Cluster presets: the nodes and kube-system workloads of a freshly started cluster.
//!
//! `minikube` (one node `minikube`, 192.168.49.2), `multinode` (`minikube`, `minikube-m02`,
//! `minikube-m03`, as `minikube start --nodes=3` names them), `kubeadm` (the course's
//! `k8s-master` with the control-plane taint plus `k8s-slave1`, `k8s-slave2`) and `large(n)`
//! (a control plane plus `n` workers, at most 5000).
//!
//! kube-system holds what `kubectl get all -A` shows on those clusters: the static pods
//! `etcd`, `kube-apiserver`, `kube-controller-manager` and `kube-scheduler` as mirror pods
//! `<component>-<node>` owned by the control-plane Node; the `coredns` Deployment (minikube
//! rescales it to one replica, kubeadm keeps two) with its ReplicaSet and pods; the
//! `kube-proxy` DaemonSet (a pod per node, also on nodes added later); and on minikube the
//! `storage-provisioner` pod. The add-on objects come from the manifests in `manifests/`.
//! On minikube the workers join after the add-ons started, so with `--nodes=3` coredns and
//! storage-provisioner run on the control-plane node `minikube`.
//!
//! A preset is handed over booted, as `minikube start` returns (or as a kubeadm cluster a
//! learner is given has been up a while): the static pods run from t=0 (their kubelet
//! started them from its manifest directory before the API server answered); the t=0 work
//! creates and binds the add-on pods; then the clock runs, instant by instant, until every
//! kube-system pod is Running and Ready (`boot`, which cites what minikube waits for): some
//! seconds, as coredns is Ready once its readiness probe first passes. The lab begins
//! there: its first command sees the system pods with an AGE of some seconds and their
//! events. What the page and `kubectl` show is cluster time, counted from the cluster's
//! start (pods' ages, the page's clock, the plots); a lab link counts its actions from the
//! hand-over (`lab::link`).
//!
//! Deliberate gaps: no CNI DaemonSet (minikube's kindnet on multinode, the course's flannel);
//! the static pods carry kubeadm's command lines but not its volumes and probes; deleted
//! mirror pods are not recreated by their kubelet.

use std::collections::{BTreeMap, BTreeSet};

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::apiserver::CreateOptions;
use crate::controller::{Write, kubernetesservice};
use crate::rng::SimRng;
use crate::sim::Cluster;
use crate::time::SimTime;

pub mod boot;

/// Most workers `large` creates.
pub const MAX_LARGE_NODES: usize = 5000;
/// The kubelet version nodes report.
pub const KUBELET_VERSION: &str = "v1.34.0";

/// A node to create.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub name: String,
    pub ip: String,
    pub control_plane: bool,
    pub tainted: bool,
    pub cpu: String,
    pub memory: String,
    /// Labels the installer adds besides the kubelet's own (minikube's `minikube.k8s.io/*`).
    pub extra_labels: Vec<(String, String)>,
}

/// One minikube node.
pub fn minikube(seed: u64) -> Cluster {
    minikube_build(seed, &MinikubeProfile::default()).finish()
}

/// Three minikube nodes.
pub fn multinode(seed: u64) -> Cluster {
    minikube_build(seed, &MinikubeProfile::multinode()).finish()
}

/// The machines `minikube start` creates for a profile: `nodes` machines named after the
/// profile (`NAME`, `NAME-m02`, … as minikube's `node.Name` does), each with `cpus` and
/// `memory` (the kubelet's capacity, a Quantity), on the driver's network from `subnet` +
/// `first_host` on (docker: 192.168.49.2, VirtualBox's host-only network: 192.168.99.100).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinikubeProfile {
    pub name: String,
    pub nodes: usize,
    pub cpus: u32,
    pub memory: String,
    pub subnet: String,
    pub first_host: u8,
}

impl Default for MinikubeProfile {
    /// `minikube start` with no flags on the docker driver.
    fn default() -> Self {
        MinikubeProfile {
            name: "minikube".into(),
            nodes: 1,
            cpus: 2,
            memory: "3912312Ki".into(),
            subnet: "192.168.49.".into(),
            first_host: 2,
        }
    }
}

impl MinikubeProfile {
    /// `minikube start --nodes=3`.
    pub fn multinode() -> MinikubeProfile {
        MinikubeProfile {
            nodes: 3,
            ..MinikubeProfile::default()
        }
    }

    /// The name of the `index`th machine (1-based), as minikube's `node.Name(index)`.
    pub fn node_name(&self, index: usize) -> String {
        if index <= 1 {
            self.name.clone()
        } else {
            format!("{}-m{index:02}", self.name)
        }
    }

    fn node(&self, index: usize) -> NodeSpec {
        let host = usize::from(self.first_host) + index - 1;
        NodeSpec {
            name: self.node_name(index),
            ip: format!("{}{}", self.subnet, host.min(254)),
            control_plane: index == 1,
            tainted: false,
            cpu: self.cpus.to_string(),
            memory: self.memory.clone(),
            extra_labels: minikube_labels(&self.name, index == 1),
        }
    }
}

/// A cluster as `minikube start` leaves a new profile (at most 200 nodes).
pub fn minikube_profile(seed: u64, profile: &MinikubeProfile) -> Cluster {
    minikube_build(seed, profile).finish()
}

/// `minikube_profile`, to build in steps.
pub fn minikube_build(seed: u64, profile: &MinikubeProfile) -> Build {
    let nodes = (1..=profile.nodes.clamp(1, 200)).map(|i| profile.node(i)).collect();
    Build::new(seed, nodes, MINIKUBE_ADDONS)
}

/// The course's kubeadm cluster: a tainted control plane and two workers.
pub fn kubeadm(seed: u64) -> Cluster {
    kubeadm_build(seed).finish()
}

/// `kubeadm`, to build in steps.
pub fn kubeadm_build(seed: u64) -> Build {
    let node = |name: &str, ip: &str, cp: bool| NodeSpec {
        name: name.into(),
        ip: ip.into(),
        control_plane: cp,
        tainted: cp,
        cpu: "2".into(),
        memory: "3861300Ki".into(),
        extra_labels: Vec::new(),
    };
    let mut b = Build::new(
        seed,
        vec![
            node("k8s-master", "172.21.51.143", true),
            node("k8s-slave1", "172.21.51.55", false),
            node("k8s-slave2", "172.21.51.67", false),
        ],
        KUBEADM_ADDONS,
    );
    // The course types its commands on the master: the terminal is a shell there.
    b.cluster.set_terminal_node(Some("k8s-master"));
    b
}

/// A tainted control plane plus `workers` worker nodes (capped at 5000).
pub fn large(seed: u64, workers: usize) -> Cluster {
    large_build(seed, workers).finish()
}

fn large_nodes(workers: usize) -> Vec<NodeSpec> {
    let mut nodes = vec![NodeSpec {
        name: "control-plane".into(),
        ip: "10.0.0.2".into(),
        control_plane: true,
        tainted: true,
        cpu: "8".into(),
        memory: "32Gi".into(),
        extra_labels: Vec::new(),
    }];
    for i in 1..=workers.min(MAX_LARGE_NODES) {
        nodes.push(NodeSpec {
            name: format!("worker-{i:04}"),
            ip: format!("10.0.{}.{}", (i + 2) / 250, (i + 2) % 250 + 2),
            control_plane: false,
            tainted: false,
            cpu: "8".into(),
            memory: "32Gi".into(),
            extra_labels: Vec::new(),
        });
    }
    nodes
}

/// The labels `minikube start` puts on every node it joins (minikube v1.36's
/// pkg/minikube/bootstrapper/kubeadm `labelAndUntaintNode`): `primary` is true on the first
/// control-plane node only, which is where the ingress addon runs. `updated_at` is the join
/// time in Go's layout `2006_01_02T15_04_05_0700`, whose `0700` is literal text.
fn minikube_labels(profile: &str, primary: bool) -> Vec<(String, String)> {
    let joined = crate::time::SimTime::ZERO.to_time().0;
    [
        ("minikube.k8s.io/commit", MINIKUBE_COMMIT.to_string()),
        ("minikube.k8s.io/name", profile.to_string()),
        ("minikube.k8s.io/primary", primary.to_string()),
        (
            "minikube.k8s.io/updated_at",
            joined.strftime("%Y_%m_%dT%H_%M_%S_0700").to_string(),
        ),
        ("minikube.k8s.io/version", MINIKUBE_VERSION.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The minikube release the lab plays (its binaries report a `-dirty` commit).
const MINIKUBE_VERSION: &str = "v1.36.0";
const MINIKUBE_COMMIT: &str = "f8f52f5de11fc6ad8244afac475e1d0f96841df1-dirty";

/// Images every node has pulled before the cluster is handed over.
fn preloaded() -> BTreeSet<String> {
    [
        "registry.k8s.io/pause:3.10",
        "registry.k8s.io/coredns/coredns:v1.12.1",
        "registry.k8s.io/etcd:3.6.4-0",
        "registry.k8s.io/kube-apiserver:v1.34.0",
        "registry.k8s.io/kube-controller-manager:v1.34.0",
        "registry.k8s.io/kube-scheduler:v1.34.0",
        "registry.k8s.io/kube-proxy:v1.34.0",
        "gcr.io/k8s-minikube/storage-provisioner:v5",
    ]
    .into_iter()
    .map(str::to_string)
    .collect()
}

/// What a preset runs in kube-system beyond the control plane.
#[derive(Debug, Clone, Copy)]
struct Addons {
    coredns_replicas: i32,
    storage_provisioner: bool,
    /// Workers join only after the control plane runs its add-ons, so those pods land on
    /// the control-plane node (`minikube start --nodes=N` adds the other nodes last).
    workers_join_last: bool,
}

/// minikube scales coredns down to one replica and installs the storage provisioner.
const MINIKUBE_ADDONS: Addons = Addons {
    coredns_replicas: 1,
    storage_provisioner: true,
    workers_join_last: true,
};
/// kubeadm keeps its default of two coredns replicas.
const KUBEADM_ADDONS: Addons = Addons {
    coredns_replicas: 2,
    storage_provisioner: false,
    workers_join_last: false,
};

const COREDNS_MANIFEST: &str = include_str!("manifests/coredns.yaml");
const KUBE_PROXY_MANIFEST: &str = include_str!("manifests/kube-proxy.yaml");
const STORAGE_PROVISIONER_MANIFEST: &str = include_str!("manifests/storage-provisioner.yaml");

/// A preset's cluster being built, in steps a caller can spread over time (the page builds
/// the 5,000-node preset across frames): the nodes join, the kube-system objects are
/// created, the t=0 work runs and the cluster boots. However it is sliced, the cluster is
/// the one the preset's function returns.
#[derive(Debug)]
pub struct Build {
    cluster: Cluster,
    nodes: Vec<NodeSpec>,
    addons: Addons,
    stage: Stage,
    joined: usize,
    system_pods: boot::SystemPods,
    /// The store's name and uid generators as the hand-over left them, kept aside while the
    /// boot draws from its own (see `Stage::Boot`).
    handed_over_generators: Option<(SimRng, SimRng)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Adding the nodes that join first (`late`: the workers that join after the add-ons),
    /// from index `next` on.
    Join { next: usize, late: bool },
    /// The API server's Services and endpoints, the static pods and the add-on manifests.
    Objects,
    /// The work due at t=0 (ReplicaSets, pods, bindings, the kubelets' first sync) runs
    /// before the cluster is handed over, so the first command sees it done; the clock does
    /// not move.
    HandOver { late: bool },
    /// Virtual time passes, instant by instant, until every kube-system pod is Running and
    /// Ready or `deadline` ([`boot::BOOT_LIMIT`] after the hand-over work) comes. `until` is
    /// the instant being run when a step stopped part-way through it.
    Boot {
        deadline: SimTime,
        until: Option<SimTime>,
    },
    Done,
}

/// `large(workers)`, to build in steps.
pub fn large_build(seed: u64, workers: usize) -> Build {
    Build::new(seed, large_nodes(workers), KUBEADM_ADDONS)
}

impl Build {
    fn new(seed: u64, nodes: Vec<NodeSpec>, addons: Addons) -> Build {
        Build {
            cluster: Cluster::new(seed),
            nodes,
            addons,
            stage: Stage::Join {
                next: 0,
                late: false,
            },
            joined: 0,
            system_pods: Default::default(),
            handed_over_generators: None,
        }
    }

    /// Nodes added so far, and how many the preset has.
    pub fn progress(&self) -> (usize, usize) {
        (self.joined, self.nodes.len())
    }

    /// Whether every node has joined and the system pods are starting (`Stage::Boot`).
    pub fn booting(&self) -> bool {
        matches!(self.stage, Stage::Boot { .. })
    }

    /// Builds for as long as `more()` allows (asked between steps). Returns true when the
    /// cluster is ready to hand over.
    pub fn step(&mut self, more: &mut dyn FnMut() -> bool) -> bool {
        loop {
            match self.stage {
                Stage::Join { next, late } => {
                    let joins_now = |n: &NodeSpec| {
                        (n.control_plane || !self.addons.workers_join_last) != late
                    };
                    let Some(i) = (next..self.nodes.len()).find(|&i| joins_now(&self.nodes[i]))
                    else {
                        self.stage = if late {
                            Stage::HandOver { late: true }
                        } else {
                            Stage::Objects
                        };
                        continue;
                    };
                    if !more() {
                        return false;
                    }
                    self.cluster.add_node(&self.nodes[i], i as u32);
                    self.joined += 1;
                    self.stage = Stage::Join { next: i + 1, late };
                }
                Stage::Objects => {
                    if !more() {
                        return false;
                    }
                    create_kube_system(&mut self.cluster, &self.nodes, self.addons);
                    self.stage = Stage::HandOver { late: false };
                }
                Stage::HandOver { late } => {
                    let now = self.cluster.now();
                    if !self.cluster.advance_toward(now, more) {
                        return false;
                    }
                    let workers_wait = self.addons.workers_join_last
                        && self.nodes.iter().any(|n| !n.control_plane);
                    self.stage = if !late && workers_wait {
                        // The add-ons were placed before the workers exist.
                        Stage::Join {
                            next: 0,
                            late: true,
                        }
                    } else {
                        Stage::Boot {
                            deadline: now + boot::BOOT_LIMIT,
                            until: None,
                        }
                    };
                }
                Stage::Boot { deadline, until } => {
                    if self.handed_over_generators.is_none() {
                        // The boot's events draw their uids from a generator of their own, so
                        // the names and uids a lab's objects get are the ones they got when
                        // presets were handed over unbooted (their draws came first then).
                        let store = self.cluster.store_mut();
                        let kept = store.generators();
                        let (mut names, mut uids) = kept.clone();
                        store.restore_generators((names.fork(), uids.fork()));
                        self.handed_over_generators = Some(kept);
                    }
                    let until = match until {
                        Some(t) => t,
                        None => {
                            let next = self.cluster.next_event_time();
                            let store = self.cluster.store_mut();
                            if self.system_pods.all_ready(store) || self.cluster.now() >= deadline
                            {
                                let store = self.cluster.store_mut();
                                self.system_pods.stop(store);
                                if let Some(kept) = self.handed_over_generators.take() {
                                    store.restore_generators(kept);
                                }
                                self.stage = Stage::Done;
                                continue;
                            }
                            next.map_or(deadline, |t| t.min(deadline))
                        }
                    };
                    // One instant at a time, so the boot ends at the first instant all run.
                    let done = self.cluster.advance_toward(until, more);
                    self.stage = Stage::Boot {
                        deadline,
                        until: (!done).then_some(until),
                    };
                    if !done {
                        return false;
                    }
                }
                Stage::Done => return true,
            }
        }
    }

    /// Builds what is left at once and hands the cluster over.
    pub fn finish(mut self) -> Cluster {
        self.step(&mut || true);
        self.cluster
    }
}

/// The API server's Services and endpoints, the control plane's static pods and the add-ons.
fn create_kube_system(c: &mut Cluster, nodes: &[NodeSpec], addons: Addons) {
    let api_port = nodes
        .iter()
        .find(|n| n.control_plane)
        .map_or(8443, apiserver_port);
    create(
        c,
        service(
            "kubernetes",
            "default",
            "10.96.0.1",
            &[("https", 443, IntOrString::Int(api_port), "TCP")],
            None,
        ),
    );
    create(
        c,
        service(
            "kube-dns",
            "kube-system",
            "10.96.0.10",
            &[
                ("dns", 53, IntOrString::Int(53), "UDP"),
                ("dns-tcp", 53, IntOrString::Int(53), "TCP"),
                ("metrics", 9153, IntOrString::Int(9153), "TCP"),
            ],
            Some("kube-dns"),
        ),
    );
    if let Some(cp) = nodes.iter().find(|n| n.control_plane) {
        let node_uid = c
            .store()
            .get(crate::controller::kind_of::<corev1::Node>(), None, &cp.name)
            .ok()
            .and_then(|n| n.meta().uid.clone())
            .unwrap_or_default();
        for component in STATIC_COMPONENTS {
            let pod = static_pod(component, cp, &node_uid, c.now());
            create(c, pod);
        }
        // The API server writes its own endpoints as it starts, before any controller runs.
        let view = kubernetesservice::KubernetesServiceView {
            api_servers: kubernetesservice::api_servers(c.store()),
            ..Default::default()
        };
        for write in kubernetesservice::sync_kubernetes_endpoints(&view).writes {
            if let Write::Create { object, .. } = write {
                create(c, object);
            }
        }
    }
    for obj in manifest(COREDNS_MANIFEST) {
        let obj = match obj {
            Object::Deployment(mut d) => {
                if let Some(s) = d.spec.as_mut() {
                    s.replicas = Some(addons.coredns_replicas);
                }
                Object::Deployment(d)
            }
            other => other,
        };
        create(c, obj);
    }
    for obj in manifest(KUBE_PROXY_MANIFEST) {
        create(c, obj);
    }
    if addons.storage_provisioner {
        for obj in manifest(STORAGE_PROVISIONER_MANIFEST) {
            create(c, obj);
        }
    }
}

/// The objects of an embedded manifest (valid by construction; a test decodes each one).
fn manifest(yaml: &str) -> Vec<Object> {
    api::decode(yaml, "preset.yaml")
        .into_iter()
        .filter_map(|d| d.ok().map(|d| d.object))
        .collect()
}

fn create(c: &mut Cluster, obj: impl Into<Object>) {
    let obj = obj.into();
    let ns = obj.namespace().map(str::to_string);
    // Preset objects are valid by construction.
    let created = c
        .store_mut()
        .create(ns.as_deref(), obj, &CreateOptions::default());
    debug_assert!(created.is_ok(), "{created:?}");
}

fn quantities(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
        .collect()
}

/// The Node object of a preset node.
pub fn node_object(n: &NodeSpec, cidr_index: u32) -> corev1::Node {
    let mut labels: BTreeMap<String, String> = [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", n.name.as_str()),
        ("kubernetes.io/os", "linux"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    labels.extend(n.extra_labels.iter().cloned());
    if n.control_plane {
        labels.insert(
            "node-role.kubernetes.io/control-plane".into(),
            String::new(),
        );
        labels.insert(
            "node.kubernetes.io/exclude-from-external-load-balancers".into(),
            String::new(),
        );
    }
    let capacity = quantities(&[
        ("cpu", n.cpu.as_str()),
        ("ephemeral-storage", "102625208Ki"),
        ("hugepages-1Gi", "0"),
        ("hugepages-2Mi", "0"),
        ("memory", n.memory.as_str()),
        ("pods", "110"),
    ]);
    let heartbeat = crate::time::SimTime::ZERO.to_time();
    let cond = |t: &str, status: &str, reason: &str, message: &str| corev1::NodeCondition {
        type_: t.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_heartbeat_time: Some(heartbeat.clone()),
        last_transition_time: Some(heartbeat.clone()),
    };
    let images = crate::kubelet::node_status::image_list(&preloaded());
    corev1::Node {
        metadata: metav1::ObjectMeta {
            name: Some(n.name.clone()),
            labels: Some(labels),
            annotations: Some(
                [
                    ("node.alpha.kubernetes.io/ttl".to_string(), "0".to_string()),
                    (
                        "volumes.kubernetes.io/controller-managed-attach-detach".to_string(),
                        "true".to_string(),
                    ),
                ]
                .into(),
            ),
            ..Default::default()
        },
        spec: Some(corev1::NodeSpec {
            pod_cidr: Some(format!("10.244.{cidr_index}.0/24")),
            pod_cidrs: Some(vec![format!("10.244.{cidr_index}.0/24")]),
            taints: n.tainted.then(|| {
                vec![corev1::Taint {
                    key: "node-role.kubernetes.io/control-plane".into(),
                    effect: "NoSchedule".into(),
                    ..Default::default()
                }]
            }),
            ..Default::default()
        }),
        status: Some(corev1::NodeStatus {
            addresses: Some(vec![
                corev1::NodeAddress {
                    type_: "InternalIP".into(),
                    address: n.ip.clone(),
                },
                corev1::NodeAddress {
                    type_: "Hostname".into(),
                    address: n.name.clone(),
                },
            ]),
            allocatable: Some(capacity.clone()),
            capacity: Some(capacity),
            conditions: Some(vec![
                cond(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                cond(
                    "DiskPressure",
                    "False",
                    "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure",
                ),
                cond(
                    "PIDPressure",
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                ),
                cond(
                    "Ready",
                    "True",
                    "KubeletReady",
                    "kubelet is posting ready status",
                ),
            ]),
            daemon_endpoints: Some(corev1::NodeDaemonEndpoints {
                kubelet_endpoint: Some(corev1::DaemonEndpoint { port: 10250 }),
            }),
            images: Some(images),
            node_info: Some(corev1::NodeSystemInfo {
                architecture: "amd64".into(),
                boot_id: format!(
                    "{:08x}-0000-4000-8000-{:012x}",
                    cidr_index + 1,
                    cidr_index + 1
                ),
                container_runtime_version: "containerd://1.7.27".into(),
                kernel_version: "6.8.0-60-generic".into(),
                kube_proxy_version: String::new(),
                kubelet_version: KUBELET_VERSION.into(),
                machine_id: format!("{:032x}", u64::from(cidr_index) + 0xabc),
                operating_system: "linux".into(),
                os_image: "Ubuntu 22.04.5 LTS".into(),
                system_uuid: format!("{:08x}-0000-4000-8000-000000000000", cidr_index + 1),
                swap: None,
            }),
            ..Default::default()
        }),
    }
}

impl Cluster {
    /// Adds a node (its object, kubelet and heartbeats) as a built cluster has it: Ready,
    /// with no not-ready taint; `cidr_index` picks 10.244.N.0/24.
    pub fn add_node(&mut self, n: &NodeSpec, cidr_index: u32) {
        create(self, node_object(n, cidr_index));
        let now = self.now();
        let t = self
            .kubelets
            .add_node(&n.name, &n.ip, cidr_index, preloaded(), true, now);
        self.schedule_kubelet(t);
        self.settle();
    }

    /// A node joining the running cluster (`minikube node add`): its kubelet registers it
    /// NotReady with the not-ready taint and posts Ready once the network plugin is up
    /// (`kubelet::node_status`). A preset's nodes were built before the hand-over and come
    /// through [`Cluster::add_node`] Ready and untainted instead.
    pub fn join_node(&mut self, n: &NodeSpec, cidr_index: u32) {
        let mut node = node_object(n, cidr_index);
        let now = self.now();
        crate::kubelet::node_status::registering(&mut node, now);
        create(self, node);
        let mut timers = self
            .kubelets
            .add_node(&n.name, &n.ip, cidr_index, preloaded(), false, now);
        let ready = (
            now + crate::kubelet::node_status::NETWORK_READY_AFTER,
            crate::kubelet::KubeletTimer {
                node: n.name.clone(),
                what: crate::kubelet::TimerKind::NetworkReady,
            },
        );
        timers.push(ready);
        self.schedule_kubelet(timers);
        self.settle();
    }

    /// Stops a node's kubelet: heartbeats cease and its containers freeze.
    pub fn stop_node(&mut self, name: &str) {
        let now = self.now();
        let t = self.kubelets.set_running(name, false, now);
        self.schedule_kubelet(t);
    }

    /// Marks a node (un)schedulable, as `kubectl cordon` / `uncordon` do.
    ///
    /// # Errors
    /// The store's error (e.g. NotFound).
    pub fn cordon(&mut self, name: &str, unschedulable: bool) -> Result<(), crate::StoreError> {
        self.edit_node(name, |n| {
            n.spec.get_or_insert_with(Default::default).unschedulable =
                unschedulable.then_some(true);
        })
    }

    /// Adds (or replaces, by key and effect) a taint on a node.
    ///
    /// # Errors
    /// The store's error (e.g. NotFound).
    pub fn taint_node(
        &mut self,
        name: &str,
        taint: corev1::Taint,
    ) -> Result<(), crate::StoreError> {
        self.edit_node(name, |n| {
            let ts = n
                .spec
                .get_or_insert_with(Default::default)
                .taints
                .get_or_insert_with(Vec::new);
            ts.retain(|t| !(t.key == taint.key && t.effect == taint.effect));
            ts.push(taint);
        })
    }

    /// Deletes a node object and its kubelet.
    ///
    /// # Errors
    /// The store's error (e.g. NotFound).
    pub fn remove_node(&mut self, name: &str) -> Result<(), crate::StoreError> {
        let info = crate::controller::kind_of::<corev1::Node>();
        self.store_mut()
            .delete(info, None, name, &Default::default())?;
        let now = self.now();
        self.kubelets.set_running(name, false, now);
        self.kubelets.nodes.remove(name);
        self.settle();
        Ok(())
    }

    /// What `minikube node delete` runs before removing a node: `kubectl drain --force
    /// --grace-period=1 --disable-eviction --ignore-daemonsets --delete-emptydir-data`, i.e.
    /// every pod bound to it except DaemonSet pods is deleted with a 1 s grace period, and the
    /// drain waits (simulated time passes, at most `limit`) until they are gone.
    pub fn drain_for_removal(&mut self, node: &str, limit: crate::SimDuration) {
        let info = crate::controller::kind_of::<corev1::Pod>();
        let Ok(list) = self.store().list(info, None, &Default::default()) else {
            return;
        };
        let doomed: Vec<(Option<String>, String, Option<String>)> = list
            .items
            .iter()
            .filter_map(|o| match &**o {
                Object::Pod(p) => Some(p),
                _ => None,
            })
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
            .filter(|p| {
                !p.metadata
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|r| r.controller == Some(true) && r.kind == "DaemonSet")
            })
            .map(|p| {
                (
                    p.metadata.namespace.clone(),
                    p.metadata.name.clone().unwrap_or_default(),
                    p.metadata.uid.clone(),
                )
            })
            .collect();
        let opts = crate::apiserver::DeleteOptions {
            grace_period_seconds: Some(1),
            ..Default::default()
        };
        for (ns, name, _) in &doomed {
            // A pod already gone is what the drain wanted.
            let _ = self.store_mut().delete(info, ns.as_deref(), name, &opts);
        }
        let gone = |c: &Cluster| {
            doomed.iter().all(|(ns, name, uid)| {
                c.store()
                    .get(info, ns.as_deref(), name)
                    .map_or(true, |o| o.meta().uid != *uid)
            })
        };
        // A drain that runs out of time leaves the rest to the pod garbage collector.
        let _ = self.run_until(gone, limit);
    }

    fn edit_node(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut corev1::Node),
    ) -> Result<(), crate::StoreError> {
        let info = crate::controller::kind_of::<corev1::Node>();
        let obj = self.store().get(info, None, name)?;
        let Object::Node(n) = &*obj else {
            return Ok(());
        };
        let mut n = n.clone();
        f(&mut n);
        self.store_mut()
            .update(None, Object::Node(n), &Default::default())?;
        self.settle();
        Ok(())
    }

    /// `minikube node add`: joins the next worker as minikube names it (`node.Name(len+1)`:
    /// `NAME-m02`, `NAME-m03`, … skipping names in use) on the next address of the
    /// profile's network and the next pod CIDR, a machine like the primary node's. Returns
    /// the node's name.
    pub fn add_minikube_worker(&mut self) -> String {
        let profile = self.minikube_profile_of_nodes();
        let taken = |name: &str, ip: &str| {
            self.kubelets
                .nodes
                .values()
                .any(|k| k.name == name || k.internal_ip == ip)
        };
        let mut index = self.kubelets.nodes.len() + 1;
        let spec = loop {
            let spec = profile.node(index);
            let host = usize::from(profile.first_host) + index - 1;
            if !taken(&spec.name, &spec.ip) || host >= 254 {
                break NodeSpec {
                    control_plane: false,
                    extra_labels: minikube_labels(&profile.name, false),
                    ..spec
                };
            }
            index += 1;
        };
        let cidr_index = self
            .kubelets
            .nodes
            .values()
            .map(|k| k.cidr_index + 1)
            .max()
            .unwrap_or(0);
        self.join_node(&spec, cidr_index);
        spec.name
    }

    /// The profile the primary minikube node (label `minikube.k8s.io/primary=true`) was
    /// created for: its name, node count, machine size and network (the default profile
    /// when there is none).
    pub fn minikube_profile_of_nodes(&self) -> MinikubeProfile {
        let mut profile = MinikubeProfile::default();
        let primary = self
            .list(crate::controller::kind_of::<corev1::Node>(), None)
            .into_iter()
            .find_map(|o| match &*o {
                Object::Node(n)
                    if n.metadata.labels.as_ref().and_then(|l| l.get("minikube.k8s.io/primary"))
                        == Some(&"true".to_string()) =>
                {
                    Some(n.clone())
                }
                _ => None,
            });
        let Some(node) = primary else {
            return profile;
        };
        profile.nodes = self.kubelets.nodes.len();
        if let Some(name) = node.metadata.labels.as_ref().and_then(|l| l.get("minikube.k8s.io/name")) {
            profile.name = name.clone();
        }
        let status = node.status.unwrap_or_default();
        if let Some(capacity) = status.capacity {
            if let Some(cpu) = capacity.get("cpu").and_then(|q| q.0.parse().ok()) {
                profile.cpus = cpu;
            }
            if let Some(memory) = capacity.get("memory") {
                profile.memory = memory.0.clone();
            }
        }
        let ip = status
            .addresses
            .unwrap_or_default()
            .into_iter()
            .find(|a| a.type_ == "InternalIP")
            .map(|a| a.address);
        if let Some((subnet, host)) = ip.as_deref().and_then(|ip| ip.rsplit_once('.'))
            && let Ok(host) = host.parse()
        {
            profile.subnet = format!("{subnet}.");
            profile.first_host = host;
        }
        profile
    }

    /// Whether a node's kubelet runs (None for an unknown node).
    pub fn node_running(&self, name: &str) -> Option<bool> {
        self.kubelets.nodes.get(name).map(|k| k.running)
    }

    /// Starts a stopped node's kubelet again.
    pub fn start_node(&mut self, name: &str) {
        let now = self.now();
        let t = self.kubelets.set_running(name, true, now);
        self.schedule_kubelet(t);
        self.settle();
    }
}

fn service(
    name: &str,
    ns: &str,
    ip: &str,
    ports: &[(&str, i32, IntOrString, &str)],
    app: Option<&str>,
) -> corev1::Service {
    corev1::Service {
        metadata: metav1::ObjectMeta {
            name: Some(name.into()),
            namespace: Some(ns.into()),
            labels: Some(match app {
                Some(a) => [
                    ("k8s-app".to_string(), a.to_string()),
                    ("kubernetes.io/cluster-service".to_string(), "true".to_string()),
                    ("kubernetes.io/name".to_string(), "CoreDNS".to_string()),
                ]
                .into(),
                None => [
                    ("component".to_string(), "apiserver".to_string()),
                    ("provider".to_string(), "kubernetes".to_string()),
                ]
                .into(),
            }),
            ..Default::default()
        },
        spec: Some(corev1::ServiceSpec {
            cluster_ip: Some(ip.into()),
            cluster_ips: Some(vec![ip.into()]),
            ports: Some(
                ports
                    .iter()
                    .map(|(n, p, t, proto)| corev1::ServicePort {
                        name: Some(n.to_string()),
                        port: *p,
                        target_port: Some(t.clone()),
                        protocol: Some(proto.to_string()),
                        ..Default::default()
                    })
                    .collect(),
            ),
            selector: app.map(|a| [("k8s-app".to_string(), a.to_string())].into()),
            type_: Some("ClusterIP".into()),
            ..Default::default()
        }),
        status: None,
    }
}

/// The control-plane components kubeadm runs as static pods.
const STATIC_COMPONENTS: [&str; 4] = [
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
];

/// The mirror pod of a control-plane static pod (kubelet's pkg/kubelet/pod/mirror_client.go:
/// named `<component>-<node>`, annotated with the static pod's hash and source, controlled by
/// the Node), as kubeadm's manifests (cmd/kubeadm/app/phases/controlplane) describe it.
/// The kube-apiserver command line kubeadm writes into the static pod's manifest, with
/// minikube's certificate directory and admission plugins on minikube nodes (kubeadm's
/// `controlplane.getAPIServerCommand`; minikube v1.36's kubeadm config), so the learner can
/// read settings such as `--service-cluster-ip-range` off the pod as the notes do.
fn apiserver_command(node: &NodeSpec) -> Vec<String> {
    let minikube = !node.extra_labels.is_empty();
    let port = apiserver_port(node);
    let (certs, plugins) = if minikube {
        (
            "/var/lib/minikube/certs",
            "NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,NodeRestriction,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota",
        )
    } else {
        ("/etc/kubernetes/pki", "NodeRestriction")
    };
    let ip = &node.ip;
    [
        "kube-apiserver".to_string(),
        format!("--advertise-address={ip}"),
        "--allow-privileged=true".into(),
        "--authorization-mode=Node,RBAC".into(),
        format!("--client-ca-file={certs}/ca.crt"),
        format!("--enable-admission-plugins={plugins}"),
        "--enable-bootstrap-token-auth=true".into(),
        format!("--etcd-cafile={certs}/etcd/ca.crt"),
        format!("--etcd-certfile={certs}/apiserver-etcd-client.crt"),
        format!("--etcd-keyfile={certs}/apiserver-etcd-client.key"),
        "--etcd-servers=https://127.0.0.1:2379".into(),
        format!("--kubelet-client-certificate={certs}/apiserver-kubelet-client.crt"),
        format!("--kubelet-client-key={certs}/apiserver-kubelet-client.key"),
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname".into(),
        format!("--proxy-client-cert-file={certs}/front-proxy-client.crt"),
        format!("--proxy-client-key-file={certs}/front-proxy-client.key"),
        "--requestheader-allowed-names=front-proxy-client".into(),
        format!("--requestheader-client-ca-file={certs}/front-proxy-ca.crt"),
        "--requestheader-extra-headers-prefix=X-Remote-Extra-".into(),
        "--requestheader-group-headers=X-Remote-Group".into(),
        "--requestheader-username-headers=X-Remote-User".into(),
        format!("--secure-port={port}"),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local".into(),
        format!("--service-account-key-file={certs}/sa.pub"),
        format!("--service-account-signing-key-file={certs}/sa.key"),
        "--service-cluster-ip-range=10.96.0.0/12".into(),
        format!("--tls-cert-file={certs}/apiserver.crt"),
        format!("--tls-private-key-file={certs}/apiserver.key"),
    ]
    .into()
}

/// The API server's secure port: minikube's 8443, kubeadm's default 6443.
fn apiserver_port(node: &NodeSpec) -> i32 {
    if node.extra_labels.is_empty() {
        6443
    } else {
        8443
    }
}

/// The kube-controller-manager command line kubeadm writes (`getControllerManagerCommand`,
/// v1.34): the pod subnet 10.244.0.0/16 the presets' node CIDRs come from, and on minikube its
/// certificate directory, cluster name `mk` and `leader-elect=false` (minikube's kubeadm
/// config).
fn controller_manager_command(node: &NodeSpec) -> Vec<String> {
    let minikube = !node.extra_labels.is_empty();
    let (certs, cluster, leader_elect) = if minikube {
        ("/var/lib/minikube/certs", "mk", "false")
    } else {
        ("/etc/kubernetes/pki", "kubernetes", "true")
    };
    let conf = "/etc/kubernetes/controller-manager.conf";
    [
        "kube-controller-manager".to_string(),
        "--allocate-node-cidrs=true".into(),
        format!("--authentication-kubeconfig={conf}"),
        format!("--authorization-kubeconfig={conf}"),
        "--bind-address=127.0.0.1".into(),
        format!("--client-ca-file={certs}/ca.crt"),
        "--cluster-cidr=10.244.0.0/16".into(),
        format!("--cluster-name={cluster}"),
        format!("--cluster-signing-cert-file={certs}/ca.crt"),
        format!("--cluster-signing-key-file={certs}/ca.key"),
        "--controllers=*,bootstrapsigner,tokencleaner".into(),
        format!("--kubeconfig={conf}"),
        format!("--leader-elect={leader_elect}"),
        format!("--requestheader-client-ca-file={certs}/front-proxy-ca.crt"),
        format!("--root-ca-file={certs}/ca.crt"),
        format!("--service-account-private-key-file={certs}/sa.key"),
        "--service-cluster-ip-range=10.96.0.0/12".into(),
        "--use-service-account-credentials=true".into(),
    ]
    .into()
}

/// The kube-scheduler command line kubeadm writes (`getSchedulerCommand`, v1.34; minikube
/// turns leader election off).
fn scheduler_command(node: &NodeSpec) -> Vec<String> {
    let minikube = !node.extra_labels.is_empty();
    let conf = "/etc/kubernetes/scheduler.conf";
    [
        "kube-scheduler".to_string(),
        format!("--authentication-kubeconfig={conf}"),
        format!("--authorization-kubeconfig={conf}"),
        "--bind-address=127.0.0.1".into(),
        format!("--kubeconfig={conf}"),
        format!("--leader-elect={}", !minikube),
    ]
    .into()
}

/// The etcd command line kubeadm writes (`getEtcdCommand` in
/// cmd/kubeadm/app/phases/etcd/local.go, v1.34, whose etcd 3.6 takes `--feature-gates` and
/// the unprefixed `--watch-progress-notify-interval`): a single member named after the node,
/// serving clients on the node's address and localhost; the flags sorted by name as
/// `ArgumentsToCommand` does. minikube keeps data and certificates under /var/lib/minikube
/// and adds `--proxy-refresh-interval=70000` (its kubeadm config's etcd extraArgs).
fn etcd_command(node: &NodeSpec) -> Vec<String> {
    let minikube = !node.extra_labels.is_empty();
    let (certs, data) = if minikube {
        ("/var/lib/minikube/certs", "/var/lib/minikube/etcd")
    } else {
        ("/etc/kubernetes/pki", "/var/lib/etcd")
    };
    let (ip, name) = (&node.ip, &node.name);
    let mut command: Vec<String> = [
        "etcd".to_string(),
        format!("--advertise-client-urls=https://{ip}:2379"),
        format!("--cert-file={certs}/etcd/server.crt"),
        "--client-cert-auth=true".into(),
        format!("--data-dir={data}"),
        "--feature-gates=InitialCorruptCheck=true".into(),
        format!("--initial-advertise-peer-urls=https://{ip}:2380"),
        format!("--initial-cluster={name}=https://{ip}:2380"),
        format!("--key-file={certs}/etcd/server.key"),
        format!("--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379"),
        "--listen-metrics-urls=http://127.0.0.1:2381".into(),
        format!("--listen-peer-urls=https://{ip}:2380"),
        format!("--name={name}"),
        format!("--peer-cert-file={certs}/etcd/peer.crt"),
        "--peer-client-cert-auth=true".into(),
        format!("--peer-key-file={certs}/etcd/peer.key"),
        format!("--peer-trusted-ca-file={certs}/etcd/ca.crt"),
        "--snapshot-count=10000".into(),
        format!("--trusted-ca-file={certs}/etcd/ca.crt"),
        "--watch-progress-notify-interval=5s".into(),
    ]
    .into();
    if minikube {
        // Sorted in between --peer-trusted-ca-file and --snapshot-count.
        let at = command
            .iter()
            .position(|f| f.starts_with("--snapshot-count"))
            .unwrap_or(command.len());
        command.insert(at, "--proxy-refresh-interval=70000".into());
    }
    command
}

fn static_pod(component: &str, node: &NodeSpec, node_uid: &str, now: SimTime) -> corev1::Pod {
    let (image, requests): (&str, &[(&str, &str)]) = match component {
        "etcd" => (
            "registry.k8s.io/etcd:3.6.4-0",
            &[("cpu", "100m"), ("memory", "100Mi")],
        ),
        "kube-apiserver" => ("registry.k8s.io/kube-apiserver:v1.34.0", &[("cpu", "250m")]),
        "kube-controller-manager" => (
            "registry.k8s.io/kube-controller-manager:v1.34.0",
            &[("cpu", "200m")],
        ),
        _ => ("registry.k8s.io/kube-scheduler:v1.34.0", &[("cpu", "100m")]),
    };
    // The kubelet hashes the static pod's file (32 hex digits); a stable digest of the
    // component and node stands in for it.
    let hash = format!(
        "{:016x}{:016x}",
        fnv64(&format!("{component}/{}", node.name)),
        fnv64(&format!("{}/{component}", node.ip))
    );
    let mut annotations: BTreeMap<String, String> = [
        ("kubernetes.io/config.hash", hash.as_str()),
        ("kubernetes.io/config.mirror", hash.as_str()),
        ("kubernetes.io/config.source", "file"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    annotations.insert(
        "kubernetes.io/config.seen".into(),
        now.to_time().0.to_string(),
    );
    match component {
        "etcd" => {
            annotations.insert(
                "kubeadm.kubernetes.io/etcd.advertise-client-urls".into(),
                format!("https://{}:2379", node.ip),
            );
        }
        "kube-apiserver" => {
            annotations.insert(
                "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint".into(),
                format!("{}:{}", node.ip, apiserver_port(node)),
            );
        }
        _ => {}
    }
    let mut c = container(component, image);
    c.command = match component {
        "kube-apiserver" => Some(apiserver_command(node)),
        "kube-controller-manager" => Some(controller_manager_command(node)),
        "kube-scheduler" => Some(scheduler_command(node)),
        _ => Some(etcd_command(node)),
    };
    c.resources = Some(corev1::ResourceRequirements {
        requests: Some(quantities(requests)),
        ..Default::default()
    });
    corev1::Pod {
        metadata: metav1::ObjectMeta {
            name: Some(format!("{component}-{}", node.name)),
            namespace: Some("kube-system".into()),
            labels: Some(
                [
                    ("component".to_string(), component.to_string()),
                    ("tier".to_string(), "control-plane".to_string()),
                ]
                .into(),
            ),
            annotations: Some(annotations),
            owner_references: Some(vec![metav1::OwnerReference {
                api_version: "v1".into(),
                kind: "Node".into(),
                name: node.name.clone(),
                uid: node_uid.into(),
                controller: Some(true),
                block_owner_deletion: None,
            }]),
            ..Default::default()
        },
        spec: Some(corev1::PodSpec {
            containers: vec![c],
            node_name: Some(node.name.clone()),
            host_network: Some(true),
            priority_class_name: Some("system-node-critical".into()),
            priority: Some(2_000_001_000),
            security_context: Some(corev1::PodSecurityContext {
                seccomp_profile: Some(corev1::SeccompProfile {
                    type_: "RuntimeDefault".into(),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            tolerations: Some(vec![corev1::Toleration {
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: None,
    }
}

/// FNV-1a, 64-bit.
fn fnv64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn container(name: &str, image: &str) -> corev1::Container {
    corev1::Container {
        name: name.into(),
        image: Some(image.into()),
        image_pull_policy: Some("IfNotPresent".into()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests;
