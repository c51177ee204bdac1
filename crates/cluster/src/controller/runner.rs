//! The shared controller runner: watch events → deduplicated keys → `Reconciler::reconcile` →
//! the returned `Plan` applied through the store, with back-off in simulated time.
//!
//! Mirrors the client-go pattern every kube-controller-manager loop follows (informer event
//! handlers → `workqueue.RateLimitingInterface` → `processNextWorkItem` → `handleErr`), v1.34:
//! keys are `namespace/name`, a key queued twice is synced once, failures are retried after
//! `5ms × 2^n` (capped at 1000 s, `DefaultControllerRateLimiter`'s per-item part) and dropped
//! after [`MAX_RETRIES`] (replicaset's `maxRetries`).
//!
//! Deliberate gap: the store is always current, so there is no informer lag and controllers
//! need no "expectations"; upstream's token-bucket part of the rate limiter is not modelled.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use api::{KindInfo, Object};

use super::plan::{CREATED_NAME, EventRecord, Plan, Requeue, SyncError, Write};
use crate::apiserver::{
    CreateOptions, DeleteOptions, EventSource, EventType, Preconditions, Store, StoreError, UpdateOptions,
    WatchEvent, WatchId, WatchOptions,
};
use crate::time::{SimDuration, SimTime};

/// Retries of one key before it is dropped (until its next change).
pub const MAX_RETRIES: u32 = 15;
/// First retry delay after a failed sync.
pub const BASE_RETRY_DELAY: SimDuration = SimDuration::from_millis(5);
/// Longest retry delay.
pub const MAX_RETRY_DELAY: SimDuration = SimDuration::from_secs(1000);

/// The work-queue key of an object: its namespace (None when cluster-scoped) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectKey {
    /// The key of `obj`.
    pub fn of(obj: &Object) -> ObjectKey {
        ObjectKey {
            namespace: obj.namespace().map(str::to_string),
            name: obj.name().to_string(),
        }
    }

    /// A key from parts.
    pub fn new(namespace: Option<&str>, name: &str) -> ObjectKey {
        ObjectKey {
            namespace: namespace.map(str::to_string),
            name: name.to_string(),
        }
    }
}

impl fmt::Display for ObjectKey {
    /// `namespace/name`, or `name` for cluster-scoped objects (cache.MetaNamespaceKeyFunc).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{ns}/{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// A controller as the runner drives it.
///
/// `reconcile` gathers a read-only view from the store and calls the controller's pure
/// decision function; it never writes.
pub trait Reconciler {
    /// The component name used as the event source, e.g. `replicaset-controller`.
    fn name(&self) -> &'static str;

    /// The kind whose keys are synced.
    fn primary(&self) -> &'static KindInfo;

    /// Other kinds whose changes enqueue primary keys through [`Reconciler::keys_for`].
    fn secondaries(&self) -> Vec<&'static KindInfo> {
        Vec::new()
    }

    /// Primary keys affected by an event on a secondary kind. The default follows the
    /// object's controller owner reference when it points at the primary kind.
    fn keys_for(&self, event: &WatchEvent, _store: &Store) -> Vec<ObjectKey> {
        controller_owner_key(&event.object, self.primary())
            .into_iter()
            .collect()
    }

    /// Decides what to write for `key` (the primary object may be gone).
    ///
    /// # Errors
    /// `SyncError` when no plan can be made now.
    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError>;
}

/// The key of `obj`'s controlling owner when that owner is of kind `owner_kind`.
pub fn controller_owner_key(obj: &Object, owner_kind: &KindInfo) -> Option<ObjectKey> {
    let owner = obj
        .meta()
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))?;
    let (group, _) = api::kinds::split_api_version(&owner.api_version);
    (owner.kind == owner_kind.kind && group == owner_kind.group).then(|| ObjectKey {
        namespace: obj.namespace().map(str::to_string),
        name: owner.name.clone(),
    })
}

/// The pods of one namespace, as the pod-owning controllers read them for their views.
///
/// # Errors
/// A store failure is transient: the runner retries the key.
pub fn namespace_pods(
    store: &Store,
    namespace: Option<&str>,
) -> Result<Vec<std::sync::Arc<Object>>, SyncError> {
    store
        .list(
            super::kind_of::<k8s_openapi::api::core::v1::Pod>(),
            namespace,
            &crate::apiserver::ListOptions::default(),
        )
        .map(|list| list.items)
        .map_err(|e| SyncError::Transient(e.to_string()))
}

/// The controllers that may adopt a pod without a controlling owner: every `owner_kind` object
/// in the pod's namespace for which `selects(owner, pod labels)` holds. Empty for pods that
/// already have a controller, and for anything that is not a pod.
pub fn adopters_of_orphan(
    obj: &Object,
    owner_kind: &KindInfo,
    store: &Store,
    selects: impl Fn(&Object, &BTreeMap<String, String>) -> bool,
) -> Vec<ObjectKey> {
    let Object::Pod(pod) = obj else {
        return Vec::new();
    };
    let owned = pod
        .metadata
        .owner_references
        .iter()
        .flatten()
        .any(|r| r.controller == Some(true));
    if owned {
        return Vec::new();
    }
    let labels = pod.metadata.labels.clone().unwrap_or_default();
    let namespace = pod.metadata.namespace.as_deref();
    let Ok(list) = store.list(
        owner_kind,
        namespace,
        &crate::apiserver::ListOptions::default(),
    ) else {
        return Vec::new();
    };
    list.items
        .iter()
        .filter(|owner| selects(owner, &labels))
        .map(|owner| ObjectKey::of(owner))
        .collect()
}

/// Why applying a plan stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApplyError {
    #[error("write {index} of the plan failed: {source}")]
    Store {
        index: usize,
        #[source]
        source: StoreError,
    },
}

/// Applies `writes` in order through the store, stopping at the first failure.
///
/// A delete of an object that is already gone succeeds (the plan's intent holds). Events are
/// recorded as `source`; a failed event write does not stop the plan, as a broadcaster drops
/// events it cannot write.
///
/// # Errors
/// The first failing write, with its index.
pub fn apply_writes(
    store: &mut Store,
    writes: impl IntoIterator<Item = Write>,
    source: &EventSource,
    now: SimTime,
) -> Result<(), ApplyError> {
    store.set_now(now);
    // The writes are moved into the store: a copy of each object was most of a create.
    for (index, w) in writes.into_iter().enumerate() {
        let result = match w {
            Write::Create { object, announce } => {
                let created = store.create(
                    object.namespace().map(str::to_owned).as_deref(),
                    object,
                    &CreateOptions::default(),
                );
                match (&created, announce) {
                    (Ok(created), Some(mut e)) => {
                        e.message = e.message.replace(CREATED_NAME, created.name());
                        record(store, &e, source, now);
                    }
                    // An announced create is a pod control's: a refusal is reported on the
                    // owner as `FailedCreate` (controller_utils.go createPods), except while
                    // the namespace terminates.
                    (Err(err), Some(e))
                        if !matches!(err, StoreError::Forbidden { detail, .. }
                            if detail.contains("because it is being terminated")) =>
                    {
                        let failed = EventRecord {
                            involved: e.involved,
                            event_type: EventType::Warning,
                            reason: "FailedCreate".into(),
                            message: format!("Error creating: {err}"),
                        };
                        record(store, &failed, source, now);
                    }
                    _ => {}
                }
                created.map(drop)
            }
            Write::Update(obj) => store
                .update(
                    obj.namespace().map(str::to_owned).as_deref(),
                    obj,
                    &UpdateOptions::default(),
                )
                .map(drop),
            Write::UpdateStatus(obj) => store
                .update_status(
                    obj.namespace().map(str::to_owned).as_deref(),
                    obj,
                    &UpdateOptions::default(),
                )
                .map(drop),
            Write::Delete {
                kind,
                namespace,
                name,
                uid,
                grace_period_seconds,
            } => {
                let opts = DeleteOptions {
                    grace_period_seconds,
                    preconditions: uid.map(|u| Preconditions {
                        uid: Some(u),
                        resource_version: None,
                    }),
                    ..Default::default()
                };
                match store.delete(kind, namespace.as_deref(), &name, &opts) {
                    Ok(_) | Err(StoreError::NotFound { .. }) => Ok(()),
                    Err(e) => Err(e),
                }
            }
            Write::Patch {
                kind,
                namespace,
                name,
                patch,
            } => {
                let opts = crate::apiserver::PatchOptions::default();
                let patched = store.patch(
                    kind,
                    namespace.as_deref(),
                    &name,
                    crate::apiserver::PatchType::Strategic,
                    &patch,
                    &opts,
                );
                match patched {
                    Ok(_) | Err(StoreError::NotFound { .. }) => Ok(()),
                    Err(e) => Err(e),
                }
            }
            Write::Event(e) => {
                record(store, &e, source, now);
                Ok(())
            }
        };
        result.map_err(|source| ApplyError::Store { index, source })?;
    }
    Ok(())
}

/// Records one event, dropping it if the store refuses (e.g. a terminating namespace).
pub fn record(store: &mut Store, e: &EventRecord, source: &EventSource, now: SimTime) {
    // A refused event is dropped, as client-go's broadcaster drops events it cannot write.
    let _ = store.record_event(
        &e.involved,
        e.event_type,
        &e.reason,
        &e.message,
        source,
        now,
    );
}

/// One controller's queue, watches and retry state.
pub struct Runner {
    reconciler: Box<dyn Reconciler>,
    source: EventSource,
    watches: Vec<RunnerWatch>,
    queue: VecDeque<ObjectKey>,
    queued: BTreeSet<ObjectKey>,
    failures: BTreeMap<ObjectKey, u32>,
    /// The earliest pending timer per key; a timer firing at another instant is stale.
    timers: BTreeMap<ObjectKey, SimTime>,
    /// The plan the last `process` call stopped in, at its write bound.
    unfinished: Option<Unfinished>,
    /// Syncs run so far (for benchmarks and tests).
    pub syncs: u64,
    /// The most recent failure, for debugging and `describe`-style views.
    pub last_error: Option<(ObjectKey, String)>,
}

impl fmt::Debug for Runner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runner")
            .field("name", &self.reconciler.name())
            .field("queued", &self.queue.len())
            .finish()
    }
}

impl Runner {
    /// A runner for `reconciler`; call [`Runner::start`] before use.
    pub fn new(reconciler: Box<dyn Reconciler>) -> Runner {
        let source = EventSource {
            component: reconciler.name().to_string(),
            host: String::new(),
        };
        Runner {
            reconciler,
            source,
            watches: Vec::new(),
            queue: VecDeque::new(),
            queued: BTreeSet::new(),
            failures: BTreeMap::new(),
            timers: BTreeMap::new(),
            unfinished: None,
            syncs: 0,
            last_error: None,
        }
    }

    /// The controller's name.
    pub fn name(&self) -> &'static str {
        self.reconciler.name()
    }

    /// Opens the watches; every existing primary object is queued once, as an informer's
    /// initial list does.
    ///
    /// # Errors
    /// A watch the store refuses.
    pub fn start(&mut self, store: &mut Store) -> Result<(), StoreError> {
        let primary = self.reconciler.primary();
        let id = store.watch(primary, None, &WatchOptions::default())?;
        self.watches.push(RunnerWatch::new(id, true, primary));
        for kind in self.reconciler.secondaries() {
            let opts = WatchOptions {
                resource_version: Some(store.resource_version().to_string()),
                ..Default::default()
            };
            let id = store.watch(kind, None, &opts)?;
            self.watches.push(RunnerWatch::new(id, false, kind));
        }
        Ok(())
    }

    /// Moves watch events into the queue. Returns whether there is work.
    pub fn pump(&mut self, store: &mut Store) -> bool {
        for i in 0..self.watches.len() {
            let RunnerWatch {
                primary: is_primary,
                kind,
                seen,
                ..
            } = self.watches[i];
            // Most pumps follow a task that wrote other kinds: a watch whose kind has not
            // changed since it last looked has nothing to read.
            if let Some(seen) = seen
                && store.last_change(kind) <= seen
            {
                self.watches[i].seen = Some(store.resource_version());
                continue;
            }
            // A relist re-queues every listed object; a deleted one's key was already handled
            // or is found missing when its sync reads the store.
            let (events, _) = store.poll_or_relist_from(&mut self.watches[i].id, kind, seen);
            self.watches[i].seen = Some(store.resource_version());
            for ev in &events {
                if is_primary {
                    self.enqueue(ObjectKey::of(&ev.object));
                } else {
                    for key in self.reconciler.keys_for(ev, store) {
                        self.enqueue(key);
                    }
                }
            }
        }
        self.has_work()
    }

    /// Queues a key unless it is already queued.
    pub fn enqueue(&mut self, key: ObjectKey) {
        // Most keys a pump finds are queued already: look before copying one.
        if !self.queued.contains(&key) {
            self.queued.insert(key.clone());
            self.queue.push_back(key);
        }
    }

    /// Whether keys are waiting, or a plan's writes ([`Runner::mid_plan`]).
    pub fn has_work(&self) -> bool {
        !self.queue.is_empty() || self.unfinished.is_some()
    }

    /// A timer for `key` set for `at` fired: queue the key unless the timer is stale.
    pub fn timer_fired(&mut self, key: ObjectKey, at: SimTime) {
        if self.timers.get(&key) == Some(&at) {
            self.timers.remove(&key);
            self.enqueue(key);
        }
    }

    /// Syncs up to `max_keys` queued keys once each, in queue order, applying each plan; the
    /// rest stay queued ([`Runner::has_work`]). At most `max_writes` writes are applied: a
    /// plan cut short there is carried on by the next call before anything else, with what
    /// was left of `max_keys`, so a run cut into several calls does what one call would have
    /// done as long as nothing else writes in between ([`Runner::mid_plan`]). Returns the
    /// timers to set, as `(instant, key)` pairs, for requeues and retries.
    pub fn process(
        &mut self,
        store: &mut Store,
        now: SimTime,
        max_keys: usize,
        max_writes: usize,
    ) -> Vec<(SimTime, ObjectKey)> {
        let mut timers = Vec::new();
        let mut writes_left = max_writes;
        let mut keys_left = max_keys;
        if let Some(rest) = self.unfinished.take() {
            keys_left = rest.keys_left;
            self.apply_and_finish(store, now, rest, &mut writes_left, &mut timers);
        }
        while self.unfinished.is_none() && keys_left > 0 {
            let Some(key) = self.queue.pop_front() else {
                break;
            };
            keys_left -= 1;
            self.queued.remove(&key);
            self.syncs += 1;
            match self.reconciler.reconcile(&key, store, now) {
                Ok(plan) => {
                    let started = Unfinished {
                        key,
                        plan,
                        applied: 0,
                        keys_left,
                    };
                    self.apply_and_finish(store, now, started, &mut writes_left, &mut timers);
                }
                Err(e) => self.finish(key, Err(RunError::Sync(e)), now, &mut timers),
            }
        }
        timers
    }

    /// Whether a plan was cut short by the write bound of [`Runner::process`] and waits for
    /// its next call. Until then the store holds part of a plan: nothing else should write,
    /// and watchers should not be told, for the run to stay as if the plan went in at once.
    pub fn mid_plan(&self) -> bool {
        self.unfinished.is_some()
    }

    /// Applies what `work`'s plan has left, within `writes_left`; then settles the key (or
    /// keeps the rest for the next call).
    fn apply_and_finish(
        &mut self,
        store: &mut Store,
        now: SimTime,
        mut work: Unfinished,
        writes_left: &mut usize,
        timers: &mut Vec<(SimTime, ObjectKey)>,
    ) {
        let now_applied = work.plan.writes.len().min(*writes_left);
        let rest = work.plan.writes.split_off(now_applied);
        let batch = std::mem::replace(&mut work.plan.writes, rest);
        let applied = apply_writes(store, batch, &self.source, now).map_err(
            |ApplyError::Store { index, source }| ApplyError::Store {
                index: index + work.applied,
                source,
            },
        );
        *writes_left -= now_applied;
        match applied {
            Err(e) => self.finish(work.key, Err(RunError::Apply(e)), now, timers),
            Ok(()) if work.plan.writes.is_empty() => {
                let requeue = work.plan.requeue;
                self.finish(work.key, Ok(requeue), now, timers);
            }
            Ok(()) => {
                work.applied += now_applied;
                self.unfinished = Some(work);
            }
        }
    }

    /// Records how a key's sync ended: clears or counts its failures and sets its next timer.
    fn finish(
        &mut self,
        key: ObjectKey,
        outcome: Result<Requeue, RunError>,
        now: SimTime,
        timers: &mut Vec<(SimTime, ObjectKey)>,
    ) {
        let next = match outcome {
            Ok(requeue) => {
                self.failures.remove(&key);
                match requeue {
                    Requeue::OnChange => None,
                    Requeue::After(d) => Some(now + d),
                }
            }
            Err(RunError::Sync(SyncError::Permanent(e))) => {
                self.last_error = Some((key.clone(), e));
                self.failures.remove(&key);
                None
            }
            Err(err) => {
                self.last_error = Some((key.clone(), err.to_string()));
                let n = self.failures.entry(key.clone()).or_insert(0);
                if *n >= MAX_RETRIES {
                    self.failures.remove(&key);
                    None
                } else {
                    let delay = retry_delay(*n);
                    *n += 1;
                    Some(now + delay)
                }
            }
        };
        if let Some(at) = next {
            let earlier = self.timers.get(&key).is_none_or(|t| at < *t || *t < now);
            if earlier {
                self.timers.insert(key.clone(), at);
                timers.push((at, key));
            }
        }
    }
}

/// One of a runner's watches.
#[derive(Debug, Clone, Copy)]
struct RunnerWatch {
    id: WatchId,
    /// On the primary kind (its events queue their own keys).
    primary: bool,
    kind: &'static KindInfo,
    /// The store's resourceVersion when the watch was last polled or found with nothing to
    /// read (None before its first poll, which delivers what it starts with).
    seen: Option<u64>,
}

impl RunnerWatch {
    fn new(id: WatchId, primary: bool, kind: &'static KindInfo) -> RunnerWatch {
        RunnerWatch {
            id,
            primary,
            kind,
            seen: None,
        }
    }
}

/// A plan [`Runner::process`] stopped applying at its write bound.
struct Unfinished {
    key: ObjectKey,
    /// The plan's writes not applied yet (the applied ones were moved into the store).
    plan: Plan,
    /// How many of the plan's writes were applied, to number a failing one in the whole plan.
    applied: usize,
    /// The keys the cut call could still have synced.
    keys_left: usize,
}

/// The delay before retry number `n` (0-based): `5ms × 2^n`, at most 1000 s.
pub fn retry_delay(n: u32) -> SimDuration {
    let ms = BASE_RETRY_DELAY
        .as_millis()
        .saturating_mul(1u64 << n.min(40));
    SimDuration::from_millis(ms.min(MAX_RETRY_DELAY.as_millis()))
}

#[derive(Debug, thiserror::Error)]
enum RunError {
    #[error("{0}")]
    Sync(SyncError),
    #[error("{0}")]
    Apply(ApplyError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_double_to_the_cap() {
        struct Case {
            name: &'static str,
            n: u32,
            want_ms: u64,
        }
        let cases = [
            Case {
                name: "first",
                n: 0,
                want_ms: 5,
            },
            Case {
                name: "second",
                n: 1,
                want_ms: 10,
            },
            Case {
                name: "tenth",
                n: 9,
                want_ms: 2560,
            },
            Case {
                name: "capped",
                n: 30,
                want_ms: 1_000_000,
            },
        ];
        for c in &cases {
            assert_eq!(retry_delay(c.n).as_millis(), c.want_ms, "case {}", c.name);
        }
    }

    #[test]
    fn key_display() {
        assert_eq!(
            ObjectKey::new(Some("default"), "web").to_string(),
            "default/web"
        );
        assert_eq!(ObjectKey::new(None, "minikube").to_string(), "minikube");
    }
}
