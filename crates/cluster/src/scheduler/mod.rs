//! The scheduler: assigns pending pods to nodes, one pod per cycle.
//!
//! Mirrors pkg/scheduler (v1.34): `schedule_one` is `schedulePod` (filter the nodes, score
//! the feasible ones, select the host), split into the pure [`schedule_one`] and the
//! [`Scheduler`] loop that keeps its cache and queue from watches, binds through the API
//! (`pods/binding`), records `Scheduled` / `FailedScheduling` events, sets the
//! `PodScheduled=False` condition and runs DefaultPreemption.
//!
//! Every attempt leaves an [`Explanation`]: per evaluated node the rejecting plugin and its
//! reasons, per feasible node every plugin's score.

pub mod cache;
pub mod filter;
pub mod preemption;
pub mod queue;
pub mod score;
pub mod types;

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::scheduling::v1 as schedulingv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::scheduling as sch;

use crate::apiserver::{
    CreateOptions, EventSource, EventType, Store, UpdateOptions, WatchId, WatchOptions,
};
use crate::controller::EventRecord;
use crate::controller::kind_of;
use crate::controller::runner::record;
use crate::time::SimTime;
use filter::{FilterContext, PreFilterNodes, Rejection};
use queue::SchedulingQueue;
use score::NodeScore;
pub use cache::NodeInfos;
pub use types::{NodeInfo, PodInfo, Resource};

/// The scheduler's name, as pods ask for it in `spec.schedulerName`.
pub const DEFAULT_SCHEDULER: &str = "default-scheduler";
/// `minFeasibleNodesToFind`.
pub const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
/// `minFeasibleNodesPercentageToFind`.
pub const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND: usize = 5;
/// Explanations kept (the most recent attempts, one per pod).
pub const MAX_EXPLANATIONS: usize = 1000;
/// Scored nodes kept per explanation (the best ones).
pub const MAX_SCORED_NODES_EXPLAINED: usize = 50;

/// Mirrors framework.FitError: no node passed the filters.
#[derive(Debug, Clone, PartialEq)]
pub struct FitError {
    pub num_all_nodes: usize,
    /// Per rejected node, the plugin and its reasons.
    pub rejections: BTreeMap<String, Rejection>,
    /// The PostFilter (preemption) message, empty when none.
    pub post_filter_msg: String,
    /// A PreFilter rejection (e.g. VolumeBinding), shown instead of the per-node histogram.
    pub pre_filter_msg: String,
}

impl FitError {
    /// The message exactly as upstream prints it (`0/3 nodes are available: …`).
    pub fn message(&self) -> String {
        let reasons: Vec<Vec<String>> = self
            .rejections
            .values()
            .map(|r| r.reasons.clone())
            .collect();
        sch::fit_error_message(
            self.num_all_nodes,
            &self.pre_filter_msg,
            &reasons,
            &self.post_filter_msg,
        )
    }
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// A successful placement with the evidence for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleResult {
    pub node: String,
    pub evaluated: usize,
    pub rejections: BTreeMap<String, Rejection>,
    pub scores: Vec<NodeScore>,
}

/// Mirrors numFeasibleNodesToFind with the adaptive default percentage: all nodes below
/// 100, else `50 − n/125` percent (at least 5 %), and never fewer than 100 nodes.
///
/// Worked example: 5000 nodes → 50 − 40 = 10 % → 500 nodes are filtered per pod.
pub fn num_feasible_nodes_to_find(num_all_nodes: usize) -> usize {
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND {
        return num_all_nodes;
    }
    let pct = 50usize
        .saturating_sub(num_all_nodes / 125)
        .max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
    (num_all_nodes * pct / 100).max(MIN_FEASIBLE_NODES_TO_FIND)
}

/// Mirrors schedulePod: filters nodes starting at `start` (round robin) until enough are
/// feasible, scores them and picks the best; `pick(n)` breaks ties with a value in `0..n`.
///
/// # Errors
/// `FitError` when no node passes the filters (with an empty PostFilter message).
pub fn schedule_one(
    pod: &PodInfo,
    nodes: &NodeInfos,
    start: usize,
    pick: impl FnMut(u32) -> u32,
) -> Result<ScheduleResult, FitError> {
    schedule_one_with(pod, nodes, start, pick, &mut score::ScoreScratch::default())
}

/// [`schedule_one`] with scoring buffers the caller keeps across pods.
///
/// # Errors
/// As [`schedule_one`].
pub fn schedule_one_with(
    pod: &PodInfo,
    nodes: &NodeInfos,
    start: usize,
    pick: impl FnMut(u32) -> u32,
    scratch: &mut score::ScoreScratch,
) -> Result<ScheduleResult, FitError> {
    let n = nodes.nodes.len();
    // A PreFilter result narrows the nodes to filter (findNodesThatFitPod); the others are
    // reported with the absent-node status if nothing fits.
    let only: Option<Vec<&NodeInfo>> = match filter::node_affinity_pre_filter(pod) {
        PreFilterNodes::All => None,
        PreFilterNodes::Only(names) => {
            Some(names.iter().filter_map(|name| nodes.nodes.get(name)).collect())
        }
        PreFilterNodes::Conflict => {
            return Err(rejected_by_pre_filter(nodes, filter::ERR_AFFINITY_CONFLICT))
        }
    };
    let candidates: Box<dyn Iterator<Item = &NodeInfo>> = match &only {
        None => nodes.round_robin(start),
        Some(list) if list.is_empty() => Box::new(std::iter::empty()),
        Some(list) => {
            let first = start % list.len();
            Box::new(list[first..].iter().chain(&list[..first]).copied())
        }
    };
    // Both orders are name order from `first`, wrapping once (the PreFilter's names come
    // sorted), so the k-th candidate's place in name order is `(first + k) % len`.
    let len = only.as_ref().map_or(n, Vec::len);
    let first = if len == 0 { 0 } else { start % len };
    let want = num_feasible_nodes_to_find(len);
    let ctx = FilterContext::for_cache(pod, nodes);
    let mut feasible: Vec<&NodeInfo> = Vec::new();
    let mut ranks: Vec<u32> = Vec::new();
    let mut rejections = BTreeMap::new();
    let mut evaluated = 0;
    for node in candidates {
        evaluated += 1;
        match filter::run_filters(pod, node, &ctx) {
            Ok(()) => {
                feasible.push(node);
                ranks.push(((first + evaluated - 1) % len) as u32);
                if feasible.len() >= want {
                    break;
                }
            }
            Err(r) => {
                rejections.insert(node.name.clone(), r);
            }
        }
    }
    if feasible.is_empty() {
        if only.is_some() {
            for name in nodes.nodes.keys() {
                if !rejections.contains_key(name) {
                    let absent = Rejection {
                        plugin: "NodeAffinity",
                        code: sch::FilterCode::UnschedulableAndUnresolvable,
                        reasons: vec![filter::ERR_ABSENT_NODE_AFFINITY.to_string()],
                    };
                    rejections.insert(name.clone(), absent);
                }
            }
        }
        return Err(FitError {
            num_all_nodes: n,
            rejections,
            post_filter_msg: String::new(),
            pre_filter_msg: String::new(),
        });
    }
    let (node, scores) = if feasible.len() == 1 {
        // Upstream skips scoring with a single feasible node.
        (
            feasible[0].name.clone(),
            vec![NodeScore {
                node: feasible[0].name.clone(),
                plugins: Vec::new(),
                total: 0,
            }],
        )
    } else {
        score::score_and_select(
            pod,
            &feasible,
            &ranks,
            &ctx,
            MAX_SCORED_NODES_EXPLAINED,
            pick,
            scratch,
        )
    };
    Ok(ScheduleResult {
        node,
        evaluated,
        rejections,
        scores,
    })
}

/// A PreFilter that rejects the pod rejects it on every node, with one message.
fn rejected_by_pre_filter(nodes: &NodeInfos, msg: &str) -> FitError {
    FitError {
        num_all_nodes: nodes.nodes.len(),
        rejections: nodes
            .nodes
            .keys()
            .map(|n| {
                let rejection = Rejection {
                    plugin: "NodeAffinity",
                    code: sch::FilterCode::UnschedulableAndUnresolvable,
                    reasons: vec![msg.to_string()],
                };
                (n.clone(), rejection)
            })
            .collect(),
        post_filter_msg: String::new(),
        pre_filter_msg: msg.to_string(),
    }
}

/// What happened in one scheduling attempt, for `describe` and the UI.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// `namespace/name`.
    pub pod: String,
    pub attempt: u32,
    pub at: SimTime,
    pub num_all_nodes: usize,
    /// Nodes run through the filters (fewer than all in large clusters).
    pub evaluated: usize,
    /// Per rejected node: the plugin and its reasons.
    pub rejections: BTreeMap<String, Rejection>,
    /// Feasible nodes with per-plugin scores, best first (at most 50).
    pub scores: Vec<NodeScore>,
    pub outcome: Outcome,
}

/// The result of an attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Bound to this node.
    Bound(String),
    /// No node fits; the FitError message.
    Unschedulable(String),
    /// No node fits now; victims on `node` are being preempted.
    Preempting {
        node: String,
        victims: Vec<String>,
        message: String,
    },
}

/// The scheduler loop: watches, cache, queue and explanations.
#[derive(Debug, Default)]
pub struct Scheduler {
    pod_watch: Option<WatchId>,
    node_watch: Option<WatchId>,
    /// Claims binding can unblock pods the VolumeBinding pre-filter holds back.
    claim_watch: Option<WatchId>,
    /// A new or freed volume can unblock pods the VolumeBinding filter rejected.
    volume_watch: Option<WatchId>,
    cache: NodeInfos,
    queue: SchedulingQueue,
    next_start: usize,
    explanations: BTreeMap<String, Explanation>,
    explanation_order: VecDeque<String>,
    score_scratch: score::ScoreScratch,
    /// Pods bound so far.
    pub scheduled: u64,
}

impl Scheduler {
    /// Opens the pod and node watches.
    ///
    /// # Errors
    /// A watch the store refuses.
    pub fn start(&mut self, store: &mut Store) -> Result<(), crate::apiserver::StoreError> {
        self.node_watch =
            Some(store.watch(kind_of::<corev1::Node>(), None, &WatchOptions::default())?);
        self.pod_watch =
            Some(store.watch(kind_of::<corev1::Pod>(), None, &WatchOptions::default())?);
        self.claim_watch = Some(store.watch(
            kind_of::<corev1::PersistentVolumeClaim>(),
            None,
            &WatchOptions::default(),
        )?);
        self.volume_watch = Some(store.watch(
            kind_of::<corev1::PersistentVolume>(),
            None,
            &WatchOptions::default(),
        )?);
        Ok(())
    }

    /// Applies watch events to the cache and queue. Returns whether pods wait to be tried.
    pub fn pump(&mut self, store: &mut Store, now: SimTime) -> bool {
        let mut cluster_changed = false;
        if let Some(id) = self.claim_watch.as_mut()
            && !store
                .poll_or_relist(id, kind_of::<corev1::PersistentVolumeClaim>())
                .0
                .is_empty()
        {
            cluster_changed = true;
        }
        if let Some(id) = self.volume_watch.as_mut()
            && !store
                .poll_or_relist(id, kind_of::<corev1::PersistentVolume>())
                .0
                .is_empty()
        {
            cluster_changed = true;
        }
        if let Some(id) = self.node_watch.as_mut() {
            let (events, relisted) = store.poll_or_relist(id, kind_of::<corev1::Node>());
            if relisted {
                // Nodes deleted while the watch was behind are not in the list.
                let listed: std::collections::HashSet<&str> =
                    events.iter().map(|e| e.object.name()).collect();
                let gone: Vec<String> =
                    self.cache.nodes.keys().filter(|n| !listed.contains(n.as_str())).cloned().collect();
                for n in gone {
                    self.cache.remove_node(&n);
                }
                cluster_changed = true;
            }
            for ev in events {
                let Object::Node(node) = &*ev.object else {
                    continue;
                };
                let name = node.metadata.name.clone().unwrap_or_default();
                match ev.event_type {
                    crate::apiserver::WatchEventType::Deleted => {
                        self.cache.remove_node(&name);
                        cluster_changed = true;
                    }
                    _ => cluster_changed |= self.cache.upsert_node(node),
                }
            }
        }
        if let Some(id) = self.pod_watch.as_mut() {
            let (events, relisted) = store.poll_or_relist(id, kind_of::<corev1::Pod>());
            if relisted {
                // Pods deleted while the watch was behind are not in the list: free their
                // room on the nodes. (Queued ones drop out when `process` cannot find them.)
                let listed: std::collections::HashSet<String> = events
                    .iter()
                    .map(|e| {
                        format!("{}/{}", e.object.namespace().unwrap_or(""), e.object.name())
                    })
                    .collect();
                let gone: Vec<String> =
                    self.cache.assigned.keys().filter(|k| !listed.contains(*k)).cloned().collect();
                for key in gone {
                    self.cache.forget_pod(&key);
                }
                cluster_changed = true;
            }
            for ev in events {
                let Object::Pod(pod) = &*ev.object else {
                    continue;
                };
                let key = format!(
                    "{}/{}",
                    pod.metadata.namespace.as_deref().unwrap_or(""),
                    pod.metadata.name.as_deref().unwrap_or("")
                );
                let deleted = ev.event_type == crate::apiserver::WatchEventType::Deleted;
                let node = crate::controller::podutil::node_name(pod).map(str::to_string);
                let terminal = matches!(
                    crate::controller::podutil::phase(pod),
                    "Succeeded" | "Failed"
                );
                // Drop the pod from the node that holds it unless it still runs there.
                if let Some(held) = self.cache.node_of(&key)
                    && (deleted || terminal || node.as_deref() != Some(held))
                {
                    self.cache.forget_pod(&key);
                    cluster_changed = true;
                }
                match node {
                    Some(n) => {
                        self.queue.remove(&key);
                        if !deleted && !terminal {
                            let prio = pod.spec.as_ref().and_then(|s| s.priority).unwrap_or(0);
                            self.cache.refresh_pod(&key, &n, &ev.object, prio);
                        }
                    }
                    None => {
                        let ours = pod
                            .spec
                            .as_ref()
                            .and_then(|s| s.scheduler_name.as_deref())
                            .is_none_or(|s| s == DEFAULT_SCHEDULER);
                        if deleted || terminal || pod.metadata.deletion_timestamp.is_some() || !ours
                        {
                            self.queue.remove(&key);
                        } else {
                            self.queue.add(&key, resolve_priority(pod, store));
                        }
                    }
                }
            }
        }
        if cluster_changed {
            self.queue.move_all(now);
        }
        self.queue.flush(now);
        self.queue.has_active()
    }

    /// Tries up to `max_pods` active pods once each, highest priority first; the rest stay
    /// active for a later task. Returns the next instant the queue needs a flush.
    pub fn process(
        &mut self,
        store: &mut Store,
        rng: &mut crate::rng::SimRng,
        now: SimTime,
        max_pods: usize,
    ) -> Option<SimTime> {
        store.set_now(now);
        for _ in 0..max_pods {
            let Some(qp) = self.queue.pop() else {
                break;
            };
            let (ns, name) = qp.key.split_once('/').unwrap_or(("", &qp.key));
            let Ok(obj) = store.get(kind_of::<corev1::Pod>(), Some(ns), name) else {
                self.queue.remove(&qp.key);
                continue;
            };
            let Object::Pod(pod) = &*obj else { continue };
            if crate::controller::podutil::node_name(pod).is_some() {
                self.queue.remove(&qp.key);
                continue;
            }
            let Some(mut info) = PodInfo::from_object(&obj, resolve_priority(pod, store)) else {
                continue;
            };
            info.volume_conflicts = crate::controller::volume::binding::node_conflicts(
                pod,
                store,
                self.cache.nodes.values().map(|n| (n.name.as_str(), &n.labels)),
            );
            let n = self.cache.nodes.len().max(1);
            let start = self.next_start % n;
            let result = match crate::controller::volume::binding::pre_filter(pod, store) {
                // A PreFilter rejection holds for every node.
                Some(msg) => Err(FitError {
                    num_all_nodes: self.cache.nodes.len(),
                    rejections: self
                        .cache
                        .nodes
                        .keys()
                        .map(|n| {
                            let code = sch::FilterCode::UnschedulableAndUnresolvable;
                            let reasons = vec![msg.clone()];
                            let plugin = "VolumeBinding";
                            (n.clone(), Rejection { plugin, code, reasons })
                        })
                        .collect(),
                    post_filter_msg: String::new(),
                    pre_filter_msg: msg,
                }),
                None => schedule_one_with(
                    &info,
                    &self.cache,
                    start,
                    |k| rng.below(k),
                    &mut self.score_scratch,
                ),
            };
            let source = EventSource {
                component: DEFAULT_SCHEDULER.into(),
                host: String::new(),
            };
            match result {
                Ok(res) => {
                    self.next_start = (start + res.evaluated) % n;
                    let (claims, wait) =
                        crate::controller::volume::binding::pre_bind(pod, &res.node, store);
                    for c in claims {
                        // A failed write is retried on the pod's next attempt.
                        let _ = store.update(
                            c.metadata.namespace.clone().as_deref(),
                            Object::PersistentVolumeClaim(c),
                            &crate::apiserver::UpdateOptions::default(),
                        );
                    }
                    if wait {
                        self.queue.wait_for_volumes(&qp.key, now);
                        continue;
                    }
                    self.bind(
                        store,
                        &obj,
                        pod,
                        &info,
                        res,
                        &source,
                        now,
                        qp.attempt_count(),
                    );
                }
                Err(mut fit) => {
                    self.next_start = (start + fit.num_all_nodes.max(1)) % n;
                    let outcome = match preemption::preempt(&info, &self.cache, &fit) {
                        Ok(c) => {
                            let message = fit.message();
                            self.start_preemption(store, pod, &c, &source, now);
                            Outcome::Preempting {
                                node: c.node.clone(),
                                victims: c.victims.iter().map(PodInfo::key).collect(),
                                message,
                            }
                        }
                        Err(post) => {
                            fit.post_filter_msg = post;
                            Outcome::Unschedulable(fit.message())
                        }
                    };
                    let message = match &outcome {
                        Outcome::Unschedulable(m) | Outcome::Preempting { message: m, .. } => {
                            m.clone()
                        }
                        Outcome::Bound(_) => String::new(),
                    };
                    self.mark_unschedulable(store, &obj, pod, &message, &source, now);
                    self.queue.add_unschedulable(&qp.key, now);
                    self.explain(Explanation {
                        pod: qp.key.clone(),
                        attempt: qp.attempt_count(),
                        at: now,
                        num_all_nodes: fit.num_all_nodes,
                        evaluated: fit.rejections.len(),
                        rejections: fit.rejections,
                        scores: Vec::new(),
                        outcome,
                    });
                }
            }
        }
        self.queue.flush(now)
    }

    /// The explanation of the latest attempt to schedule `namespace/name`.
    pub fn explanation(&self, namespace: &str, name: &str) -> Option<&Explanation> {
        self.explanations.get(&format!("{namespace}/{name}"))
    }

    /// Whether pods wait to be tried now ([`Scheduler::process`] left some for a later task).
    /// The next instant the queue needs a flush (a back-off ending, a 5-minute wait).
    pub fn next_flush(&self) -> Option<SimTime> {
        self.queue.next_due()
    }

    pub fn has_active(&self) -> bool {
        self.queue.has_active()
    }

    /// The scheduler's node cache.
    pub fn node_infos(&self) -> &NodeInfos {
        &self.cache
    }

    /// Pods waiting in the queue (active, backing off or unschedulable).
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    #[allow(clippy::too_many_arguments)]
    fn bind(
        &mut self,
        store: &mut Store,
        obj: &Arc<Object>,
        pod: &corev1::Pod,
        info: &PodInfo,
        res: ScheduleResult,
        source: &EventSource,
        now: SimTime,
        attempt: u32,
    ) {
        let binding = corev1::Binding {
            metadata: metav1::ObjectMeta {
                name: pod.metadata.name.clone(),
                namespace: pod.metadata.namespace.clone(),
                uid: pod.metadata.uid.clone(),
                ..Default::default()
            },
            target: corev1::ObjectReference {
                api_version: Some("v1".into()),
                kind: Some("Node".into()),
                name: Some(res.node.clone()),
                ..Default::default()
            },
        };
        let ns = pod.metadata.namespace.clone();
        match store.create(
            ns.as_deref(),
            Object::Binding(binding),
            &CreateOptions::default(),
        ) {
            Ok(_) => {
                self.scheduled += 1;
                self.queue.remove(&info.key());
                let mut assumed = info.clone();
                assumed.node_name = Some(res.node.clone());
                self.cache.assume_pod(&res.node, assumed);
                let msg = format!("Successfully assigned {} to {}", info.key(), res.node);
                record(
                    store,
                    &EventRecord::normal(obj, "Scheduled", msg),
                    source,
                    now,
                );
                // Already the best first, at most MAX_SCORED_NODES_EXPLAINED of them.
                let scores = res.scores;
                self.explain(Explanation {
                    pod: info.key(),
                    attempt,
                    at: now,
                    num_all_nodes: self.cache.nodes.len(),
                    evaluated: res.evaluated,
                    rejections: res.rejections,
                    scores,
                    outcome: Outcome::Bound(res.node),
                });
            }
            Err(_) => {
                // The pod changed under us (deleted, bound elsewhere); its next event decides.
                self.queue.add_backoff(&info.key(), now);
            }
        }
    }

    fn mark_unschedulable(
        &mut self,
        store: &mut Store,
        obj: &Arc<Object>,
        pod: &corev1::Pod,
        message: &str,
        source: &EventSource,
        now: SimTime,
    ) {
        record(
            store,
            &EventRecord::warning(obj, "FailedScheduling", message),
            source,
            now,
        );
        let current = crate::controller::podutil::get_pod_condition(pod, "PodScheduled");
        let same = current.is_some_and(|c| {
            c.status == "False"
                && c.reason.as_deref() == Some("Unschedulable")
                && c.message.as_deref() == Some(message)
        });
        if same {
            return;
        }
        let mut updated = pod.clone();
        let status = updated.status.get_or_insert_with(Default::default);
        let conditions = status.conditions.get_or_insert_with(Vec::new);
        let transition = match current {
            Some(c) if c.status == "False" => c.last_transition_time.clone(),
            _ => Some(now.to_time()),
        };
        conditions.retain(|c| c.type_ != "PodScheduled");
        conditions.push(corev1::PodCondition {
            type_: "PodScheduled".into(),
            status: "False".into(),
            reason: Some("Unschedulable".into()),
            message: Some(message.to_string()),
            last_transition_time: transition,
            last_probe_time: None,
            observed_generation: None,
        });
        if status.phase.is_none() {
            status.phase = Some("Pending".into());
        }
        let _ = store.update_status(
            pod.metadata.namespace.as_deref(),
            Object::Pod(updated),
            &UpdateOptions::default(),
        );
    }

    fn start_preemption(
        &mut self,
        store: &mut Store,
        pod: &corev1::Pod,
        c: &preemption::Candidate,
        source: &EventSource,
        now: SimTime,
    ) {
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let scheduler = pod
            .spec
            .as_ref()
            .and_then(|s| s.scheduler_name.as_deref())
            .unwrap_or("default-scheduler");
        for v in &c.victims {
            if let Ok(victim) = store.get(kind_of::<corev1::Pod>(), Some(&v.namespace), &v.name) {
                // preemption.go `PrepareCandidate`: the victim is marked a disruption target
                // before it is deleted.
                if let Object::Pod(victim_pod) = &*victim
                    && let Some(marked) = crate::controller::podutil::with_disruption_target(
                        victim_pod,
                        "PreemptionByScheduler",
                        &format!("{scheduler}: preempting to accommodate a higher priority pod"),
                        now,
                    )
                {
                    let _ = store.update_status(
                        Some(&v.namespace),
                        Object::Pod(marked),
                        &UpdateOptions::default(),
                    );
                }
                let msg = format!("Preempted by pod {uid} on node {}", c.node);
                record(
                    store,
                    &EventRecord::normal(&victim, "Preempted", msg),
                    source,
                    now,
                );
            }
            let _ = store.delete(
                kind_of::<corev1::Pod>(),
                Some(&v.namespace),
                &v.name,
                &crate::apiserver::DeleteOptions::default(),
            );
        }
        if let Ok(fresh) = store.get(
            kind_of::<corev1::Pod>(),
            pod.metadata.namespace.as_deref(),
            pod.metadata.name.as_deref().unwrap_or(""),
        ) && let Object::Pod(p) = &*fresh
        {
            {
                let mut p = p.clone();
                p.status
                    .get_or_insert_with(Default::default)
                    .nominated_node_name = Some(c.node.clone());
                let _ = store.update_status(
                    p.metadata.namespace.clone().as_deref(),
                    Object::Pod(p),
                    &UpdateOptions::default(),
                );
            }
        }
    }

    fn explain(&mut self, e: Explanation) {
        let key = e.pod.clone();
        if self.explanations.insert(key.clone(), e).is_none() {
            self.explanation_order.push_back(key);
        }
        while self.explanation_order.len() > MAX_EXPLANATIONS {
            if let Some(old) = self.explanation_order.pop_front() {
                self.explanations.remove(&old);
            }
        }
    }
}

impl queue::QueuedPod {
    /// The attempt number of this pop (1-based).
    pub fn attempt_count(&self) -> u32 {
        self.attempts
    }
}

/// The pod's priority: `spec.priority`, else its PriorityClass's value, else the global
/// default class, else 0 (the Priority admission plugin's rule, applied late).
pub fn resolve_priority(pod: &corev1::Pod, store: &Store) -> i32 {
    let spec = pod.spec.as_ref();
    if let Some(p) = spec.and_then(|s| s.priority) {
        return p;
    }
    let classes = kind_of::<schedulingv1::PriorityClass>();
    if let Some(name) = spec
        .and_then(|s| s.priority_class_name.as_deref())
        .filter(|n| !n.is_empty())
    {
        return match store.get(classes, None, name).as_deref() {
            Ok(Object::PriorityClass(pc)) => pc.value,
            _ => 0,
        };
    }
    let _ = EventType::Normal;
    0
}

#[cfg(test)]
mod tests;
