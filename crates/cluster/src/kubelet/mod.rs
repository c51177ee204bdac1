//! Kubelets: one per node, running the pods bound to it with simulated containers.
//!
//! One pod watch feeds every kubelet (a per-node field-selector watch each would cost
//! O(nodes) per write at 5000 nodes). Each kubelet admits pods bound to its node, runs a
//! [`pod_workers::PodWorker`] per pod, writes status through the store, records events as
//! `kubelet` on its node, renews its Lease every 10 s, writes its Node's status when it changes
//! or every 5 minutes (`node_status`), and confirms graceful deletions.

pub mod env;
pub mod images;
pub mod lifecycle;
pub mod nginx;
pub mod node_status;
pub mod pod_workers;
pub mod prober;
pub mod runtime;
pub mod status;
pub mod vars;
pub mod volumes;

use std::collections::{BTreeMap, BTreeSet};

use api::Object;
use k8s_openapi::api::coordination::v1 as coordinationv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use crate::apiserver::{
    CreateOptions, EventSource, Store, StoreError, UpdateOptions, WatchEventType, WatchId,
    WatchOptions,
};
use crate::controller::kind_of;
use crate::controller::runner::record;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};
use pod_workers::{NodeCtx, PodRef, PodWorker};

/// Lease renew interval (`leaseDuration` 40 s × 0.25).
pub const LEASE_RENEW: SimDuration = SimDuration::from_secs(10);
/// `leaseDurationSeconds` on node Leases.
pub const LEASE_DURATION_SECONDS: i32 = 40;

/// A kubelet timer: which node and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeletTimer {
    pub node: String,
    pub what: TimerKind,
}

/// What a kubelet timer does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimerKind {
    /// Renew the node's Lease.
    Heartbeat,
    /// Sync one pod.
    Wake { uid: String },
    /// The container runtime reports its network ready: the node's Ready condition turns
    /// True (see [`node_status`]).
    NetworkReady,
    /// Compute the node's status and write it if it changed or is due ([`node_status::sync`]).
    NodeStatus,
    /// The image manager refreshes its cached image list.
    ImageCache,
}

/// One node's kubelet.
#[derive(Debug, Default)]
pub struct Kubelet {
    pub name: String,
    pub internal_ip: String,
    /// N of the pod CIDR 10.244.N.0/24.
    pub cidr_index: u32,
    /// Whether the kubelet runs (a stopped node neither heartbeats nor syncs).
    pub running: bool,
    pub images: BTreeSet<String>,
    puller: images::SerialPuller,
    next_ip: u32,
    pub workers: BTreeMap<String, PodWorker>,
    written: BTreeMap<String, WrittenStatus>,
    /// The node's root file system, which hostPath volumes reach.
    pub node_fs: volumes::NodeFs,
    /// What the node status loop keeps between syncs.
    pub node_status: node_status::Reporter,
}

/// All kubelets, fed by one pod watch.
#[derive(Debug, Default)]
pub struct Kubelets {
    pod_watch: Option<WatchId>,
    pub nodes: BTreeMap<String, Kubelet>,
    dirty: BTreeSet<(String, String)>,
    /// Volumes that outlive pods and nodes (PersistentVolumes, network disks).
    pub shared_volumes: volumes::SharedVolumes,
    /// The environment maps containers share (see `vars`).
    pub shared_vars: vars::SharedVars,
    /// The cluster's seed, from which each kubelet draws the jitter of its status period.
    pub seed: u64,
}

impl Kubelets {
    /// No kubelets yet, for a cluster seeded with `seed`.
    pub fn seeded(seed: u64) -> Kubelets {
        Kubelets {
            seed,
            ..Kubelets::default()
        }
    }

    /// Opens the pod watch.
    ///
    /// # Errors
    /// A watch the store refuses.
    pub fn start(&mut self, store: &mut Store) -> Result<(), StoreError> {
        self.pod_watch =
            Some(store.watch(kind_of::<corev1::Pod>(), None, &WatchOptions::default())?);
        Ok(())
    }

    /// Registers a kubelet for `node` (running), whose Node was just created with its status,
    /// and returns its first timers: the Lease heartbeat, the first node status sync and the
    /// image cache's next refresh. `network_ready` is false for a node whose network plugin
    /// is not up yet (see [`node_status`]).
    pub fn add_node(
        &mut self,
        name: &str,
        internal_ip: &str,
        cidr_index: u32,
        images: BTreeSet<String>,
        network_ready: bool,
        now: SimTime,
    ) -> Vec<(SimTime, KubeletTimer)> {
        let mut reporter = node_status::Reporter::new(self.seed, name, &images, now);
        reporter.network_ready = network_ready;
        reporter.status_due = Some(now);
        reporter.cache_due = Some(now + node_status::IMAGE_CACHE_PERIOD);
        let timers = vec![
            (now, timer(name, TimerKind::Heartbeat)),
            (now, timer(name, TimerKind::NodeStatus)),
            (now + node_status::IMAGE_CACHE_PERIOD, timer(name, TimerKind::ImageCache)),
        ];
        self.nodes.insert(
            name.to_string(),
            Kubelet {
                name: name.to_string(),
                internal_ip: internal_ip.to_string(),
                cidr_index,
                running: true,
                images,
                next_ip: 2,
                node_status: reporter,
                ..Default::default()
            },
        );
        timers
    }

    /// Drains the pod watch. Returns whether any kubelet has work.
    pub fn pump(&mut self, store: &mut Store) -> bool {
        let Some(id) = self.pod_watch.as_mut() else {
            return false;
        };
        let (events, relisted) = store.poll_or_relist(id, kind_of::<corev1::Pod>());
        if relisted {
            // Pods deleted while the watch was behind are not in the list: stop their workers
            // as a DELETED event would have.
            let listed: BTreeSet<&str> =
                events.iter().filter_map(|e| e.object.meta().uid.as_deref()).collect();
            for k in self.nodes.values_mut() {
                let gone: Vec<String> =
                    k.workers.keys().filter(|u| !listed.contains(u.as_str())).cloned().collect();
                for uid in gone {
                    k.workers.remove(&uid);
                    k.written.remove(&uid);
                }
            }
        }
        for ev in events {
            let Object::Pod(pod) = &*ev.object else {
                continue;
            };
            let Some(node) = crate::controller::podutil::node_name(pod) else {
                continue;
            };
            let Some(k) = self.nodes.get_mut(node) else {
                continue;
            };
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            if ev.event_type == WatchEventType::Deleted {
                k.workers.remove(&uid);
                k.written.remove(&uid);
                continue;
            }
            let Some(pod_ref) = PodRef::new(ev.object.clone()) else {
                continue;
            };
            match k.workers.get_mut(&uid) {
                Some(w) => w.follow(pod_ref),
                None => {
                    if matches!(
                        crate::controller::podutil::phase(pod),
                        "Succeeded" | "Failed"
                    ) {
                        continue;
                    }
                    // Jitter is drawn when the pod is synced (see `process`).
                    k.workers.insert(
                        uid.clone(),
                        PodWorker::new(pod_ref, SimTime::ZERO, |_| 0),
                    );
                    k.written.remove(&uid);
                    if let Some(w) = k.workers.get_mut(&uid) {
                        w.finished = false;
                        w.sandbox_ready_at = None;
                        w.probe_phase = SimDuration(u64::MAX);
                    }
                }
            }
            self.dirty.insert((node.to_string(), uid));
        }
        !self.dirty.is_empty()
    }

    /// Syncs up to `max_syncs` pods with pending work, in (node, uid) order; the rest wait
    /// for a later task ([`Kubelets::has_work`]).
    pub fn process(
        &mut self,
        store: &mut Store,
        rng: &mut SimRng,
        now: SimTime,
        max_syncs: usize,
    ) -> Vec<(SimTime, KubeletTimer)> {
        let mut timers = Vec::new();
        for _ in 0..max_syncs {
            let Some((node, uid)) = self.dirty.pop_first() else {
                break;
            };
            timers.extend(self.sync_pod(store, rng, now, &node, &uid));
        }
        timers
    }

    /// Whether pods wait for a sync ([`Kubelets::process`] left some for a later task).
    pub fn has_work(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// Runs a timer.
    pub fn timer(
        &mut self,
        store: &mut Store,
        rng: &mut SimRng,
        now: SimTime,
        t: KubeletTimer,
    ) -> Vec<(SimTime, KubeletTimer)> {
        match t.what {
            TimerKind::Heartbeat => {
                let Some(k) = self.nodes.get(&t.node) else {
                    return Vec::new();
                };
                if !k.running {
                    return Vec::new();
                }
                renew_lease(store, &t.node, now);
                vec![(now + LEASE_RENEW, t)]
            }
            TimerKind::Wake { uid } => self.sync_pod(store, rng, now, &t.node, &uid),
            TimerKind::NetworkReady => {
                // fastStatusUpdateOnce: the status goes out as soon as the node can be Ready.
                if let Some(k) = self.nodes.get_mut(&t.node) {
                    k.node_status.network_ready = true;
                    if k.running {
                        node_status::sync(store, &t.node, &mut k.node_status, now);
                    }
                }
                Vec::new()
            }
            TimerKind::NodeStatus => {
                let Some(k) = self.nodes.get_mut(&t.node) else {
                    return Vec::new();
                };
                if k.node_status.status_due != Some(now) {
                    return Vec::new();
                }
                if !k.running {
                    k.node_status.status_due = None;
                    return Vec::new();
                }
                node_status::sync(store, &t.node, &mut k.node_status, now);
                vec![(k.node_status.next_status_sync(now), t)]
            }
            TimerKind::ImageCache => {
                let Some(k) = self.nodes.get_mut(&t.node) else {
                    return Vec::new();
                };
                if k.node_status.cache_due != Some(now) {
                    return Vec::new();
                }
                if !k.running {
                    k.node_status.cache_due = None;
                    return Vec::new();
                }
                k.node_status.refresh_images(&k.images);
                let next = now + node_status::IMAGE_CACHE_PERIOD;
                k.node_status.cache_due = Some(next);
                vec![(next, t)]
            }
        }
    }

    /// Starts or stops a node's kubelet (stopping freezes its pods and heartbeats).
    pub fn set_running(
        &mut self,
        node: &str,
        running: bool,
        now: SimTime,
    ) -> Vec<(SimTime, KubeletTimer)> {
        let Some(k) = self.nodes.get_mut(node) else {
            return Vec::new();
        };
        let was = k.running;
        k.running = running;
        if running && !was {
            // A kubelet that starts again writes its status at its first sync, refreshing the
            // image cache first.
            k.node_status.last_report = None;
            k.node_status.refresh_images(&k.images);
            k.node_status.status_due = Some(now);
            k.node_status.cache_due = Some(now + node_status::IMAGE_CACHE_PERIOD);
            let mut t = vec![
                (now, timer(node, TimerKind::Heartbeat)),
                (now, timer(node, TimerKind::NodeStatus)),
                (now + node_status::IMAGE_CACHE_PERIOD, timer(node, TimerKind::ImageCache)),
            ];
            for uid in k.workers.keys() {
                t.push((
                    now,
                    KubeletTimer {
                        node: node.into(),
                        what: TimerKind::Wake { uid: uid.clone() },
                    },
                ));
            }
            return t;
        }
        Vec::new()
    }

    /// Container logs (`kubectl logs`, `--previous`).
    pub fn logs(
        &self,
        namespace: &str,
        pod: &str,
        container: Option<&str>,
        previous: bool,
    ) -> Option<Vec<String>> {
        for k in self.nodes.values() {
            for w in k.workers.values() {
                if w.pod.metadata.namespace.as_deref() == Some(namespace)
                    && w.pod.metadata.name.as_deref() == Some(pod)
                {
                    let c = match container {
                        Some(n) => w.ctrs.iter().find(|c| c.spec.name == n)?,
                        None => w.ctrs.iter().find(|c| !c.init)?,
                    };
                    return Some(if previous {
                        c.previous_logs.clone()
                    } else {
                        c.logs.clone()
                    });
                }
            }
        }
        None
    }

    /// Simulated usage of a pod: (millicores, bytes), for `kubectl top`.
    pub fn pod_usage(&self, namespace: &str, pod: &str) -> Option<(i64, i64)> {
        for k in self.nodes.values() {
            for w in k.workers.values() {
                if w.pod.metadata.namespace.as_deref() == Some(namespace)
                    && w.pod.metadata.name.as_deref() == Some(pod)
                {
                    let (mut cpu, mut mem) = (0, 0);
                    for c in w.running() {
                        cpu += c.image.map_or(1, |i| i.cpu.max(1));
                        mem += c.image.map_or(1 << 20, |i| i.memory.max(1 << 20));
                    }
                    return Some((cpu, mem));
                }
            }
        }
        None
    }

    fn sync_pod(
        &mut self,
        store: &mut Store,
        rng: &mut SimRng,
        now: SimTime,
        node: &str,
        uid: &str,
    ) -> Vec<(SimTime, KubeletTimer)> {
        let Some(k) = self.nodes.get_mut(node) else {
            return Vec::new();
        };
        if !k.running {
            return Vec::new();
        }
        let Some(w) = k.workers.get_mut(uid) else {
            return Vec::new();
        };
        if w.probe_phase == SimDuration(u64::MAX) {
            // First sync: admit with this instant and draw probe offsets.
            let pod = w.pod.clone();
            *w = PodWorker::new(pod, now, |n| rng.below(n.max(1)));
        }
        let cidr = k.cidr_index;
        let mut next_ip = k.next_ip;
        // A hostNetwork pod shares the node's address.
        let host_ip = w
            .pod
            .spec
            .as_ref()
            .is_some_and(|s| s.host_network == Some(true))
            .then(|| k.internal_ip.clone());
        let mut alloc = || {
            if let Some(ip) = &host_ip {
                return ip.clone();
            }
            let ip = format!("10.244.{cidr}.{next_ip}");
            next_ip += 1;
            ip
        };
        let mut ctx = NodeCtx {
            node,
            images: &mut k.images,
            puller: &mut k.puller,
            store: &*store,
            host_ip: &k.internal_ip,
            node_fs: &k.node_fs,
            shared_volumes: &mut self.shared_volumes,
            shared_vars: &mut self.shared_vars,
        };
        let out = w.sync(&mut ctx, &mut alloc, now);
        for c in &mut w.ctrs {
            c.stamp_logs(now);
        }
        k.next_ip = next_ip;
        if !out.events.is_empty() {
            let source = EventSource {
                component: "kubelet".into(),
                host: node.into(),
            };
            for e in &out.events {
                record(store, e, &source, now);
            }
        }
        let mut timers = Vec::new();
        if let Some(at) = out.wake {
            timers.push((
                at,
                KubeletTimer {
                    node: node.into(),
                    what: TimerKind::Wake { uid: uid.into() },
                },
            ));
        }
        let ns = w.pod.metadata.namespace.clone().unwrap_or_default();
        let name = w.pod.metadata.name.clone().unwrap_or_default();
        if w.finished {
            // Once its containers have stopped, a deleted pod gets a last status write with a
            // terminal phase before the final delete (v1.34 pkg/kubelet/kubelet.go
            // SyncTerminatingPod generates the status with podIsTerminal; the status manager
            // deletes only a pod whose phase is terminal). A watcher sees that row (`Completed`
            // or `Error`), and a pod a finalizer keeps stays in that phase. Static pods keep
            // their phase, as upstream (the TODO for #116484 in getPhase).
            let terminal = match store.get(kind_of::<corev1::Pod>(), Some(&ns), &name).as_deref() {
                Ok(Object::Pod(p)) if !pod_workers::is_mirror_pod(p) => {
                    let mut status = status::generate(w, &k.internal_ip, p.status.as_ref(), now);
                    crate::apiserver::timestamps::truncate_status(&mut status);
                    status.phase = Some(status::terminal_phase(w).to_string());
                    (p.status.as_ref() != Some(&status)).then_some(status)
                }
                _ => None,
            };
            if let Some(status) = terminal {
                let opts = UpdateOptions::default();
                let _ = store.update_status(Some(&ns), status_only_pod(&ns, &name, status), &opts);
            }
            let _ = store.confirm_pod_deleted(&ns, &name, uid);
            k.workers.remove(uid);
            k.written.remove(uid);
            return timers;
        }
        if w.terminating {
            // killPod stops every container and waits for the last one before the next status
            // (v1.34 SyncTerminatingPod writes one status before the kill and the terminal one
            // after it): a container that exits on SIGTERM while another waits out the grace
            // period still shows as it was, `2/2 Terminating`, until both have stopped.
            // Deliberate gap: upstream's prober may still turn a container unready meanwhile
            // (SetContainerReadiness); that change waits for the terminal status here.
            return timers;
        }
        let Ok(current) = store.get(kind_of::<corev1::Pod>(), Some(&ns), &name) else {
            return timers;
        };
        let Object::Pod(current) = &*current else {
            return timers;
        };
        let mut status = status::generate(w, &k.internal_ip, current.status.as_ref(), now);
        crate::apiserver::timestamps::truncate_status(&mut status);
        // Written only when there is something to write: most syncs change nothing.
        let written = k.written.get(uid).and_then(WrittenStatus::status);
        if current.status.as_ref() != Some(&status) && written != Some(&status) {
            let p = status_only_pod(&ns, &name, status.clone());
            if let Ok(stored) = store.update_status(Some(&ns), p, &UpdateOptions::default()) {
                k.written.insert(uid.to_string(), WrittenStatus::new(status, stored));
            }
        }
        timers
    }
}

/// The last status the kubelet wrote for a pod, which it does not write again.
#[derive(Debug)]
enum WrittenStatus {
    /// The stored pod the write made, whose status is the one written: shared with the
    /// store, the worker and the scheduler instead of a copy of a few kilobytes per pod.
    Stored(PodRef),
    /// A copy, when the store kept something else than what was written.
    Copy(Box<corev1::PodStatus>),
}

impl WrittenStatus {
    fn new(status: corev1::PodStatus, stored: std::sync::Arc<Object>) -> WrittenStatus {
        match PodRef::new(stored) {
            Some(pod) if pod.status.as_ref() == Some(&status) => WrittenStatus::Stored(pod),
            _ => WrittenStatus::Copy(Box::new(status)),
        }
    }

    fn status(&self) -> Option<&corev1::PodStatus> {
        match self {
            WrittenStatus::Stored(pod) => pod.status.as_ref(),
            WrittenStatus::Copy(status) => Some(status),
        }
    }
}

/// A pod status write: the status subresource takes nothing else from the object, so only
/// the pod's name goes with it (as the status manager's patch carries the status alone).
fn status_only_pod(ns: &str, name: &str, status: corev1::PodStatus) -> Object {
    Object::Pod(corev1::Pod {
        metadata: metav1::ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(ns.to_string()),
            ..Default::default()
        },
        spec: None,
        status: Some(status),
    })
}

fn timer(node: &str, what: TimerKind) -> KubeletTimer {
    KubeletTimer {
        node: node.to_string(),
        what,
    }
}

/// Creates or renews the node's Lease in `kube-node-lease`.
pub fn renew_lease(store: &mut Store, node: &str, now: SimTime) {
    let info = kind_of::<coordinationv1::Lease>();
    let micro = metav1::MicroTime(now.to_time().0);
    match store.get(info, Some("kube-node-lease"), node).as_deref() {
        Ok(Object::Lease(l)) => {
            let mut l = l.clone();
            l.spec.get_or_insert_with(Default::default).renew_time = Some(micro);
            let _ = store.update(
                Some("kube-node-lease"),
                Object::Lease(l),
                &UpdateOptions::default(),
            );
        }
        _ => {
            let lease = coordinationv1::Lease {
                metadata: metav1::ObjectMeta {
                    name: Some(node.into()),
                    namespace: Some("kube-node-lease".into()),
                    owner_references: store.get(kind_of::<corev1::Node>(), None, node).ok().map(
                        |n| {
                            vec![metav1::OwnerReference {
                                api_version: "v1".into(),
                                kind: "Node".into(),
                                name: node.into(),
                                uid: n.meta().uid.clone().unwrap_or_default(),
                                ..Default::default()
                            }]
                        },
                    ),
                    ..Default::default()
                },
                spec: Some(coordinationv1::LeaseSpec {
                    holder_identity: Some(node.into()),
                    lease_duration_seconds: Some(LEASE_DURATION_SECONDS),
                    renew_time: Some(micro),
                    ..Default::default()
                }),
            };
            let _ = store.create(
                Some("kube-node-lease"),
                Object::Lease(lease),
                &CreateOptions::default(),
            );
        }
    }
}

#[cfg(test)]
mod tests;
