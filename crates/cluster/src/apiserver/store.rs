//! `Store`: the API server's registry — the only door into the cluster's objects.
//!
//! Callers use it like a REST client: create, get, list, update, patch, delete, watch, each
//! with a request-options struct. Every write runs the registry pipeline of
//! apiserver pkg/registry/generic/registry/store.go (v1.34): strategy preparation, defaulting,
//! validation, optimistic concurrency, a new resourceVersion, and one watch event.
//!
//! # Invariants
//! - `resourceVersion` is one global counter, bumped once per stored write (never by dry runs
//!   or no-op updates).
//! - Stored objects are shared (`Arc`) and never mutated in place: a write stores a new value,
//!   so readers and watch history keep consistent snapshots.
//! - Nothing here reads a clock: the simulation sets `now` with [`Store::set_now`].

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use machinery::fields::FieldSelector;
use machinery::labels::Selector;
use machinery::validation::field::{ErrorList, FieldError};

use super::error::StoreError;
use super::events::EventCache;
use super::fieldsel;
use super::gc::GcQueue;
use super::index::{Entry, Key, KindTable, Slab, Slot, UidIndex};
use super::ipalloc;
use super::names;
use super::options::{
    CreateOptions, DeleteOptions, ListOptions, PropagationPolicy, UpdateOptions, WatchOptions,
};
use super::strategy;
use super::versions;
use super::warning::{self, Warnings};
use super::watch::{Change, WatchEvent, WatchEventType, WatchId, Watcher, Written};
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

/// Namespaces that exist from the start.
pub const INITIAL_NAMESPACES: &[&str] =
    &["default", "kube-node-lease", "kube-public", "kube-system"];

/// Namespaces that can never be deleted (namespace lifecycle admission `immortalNamespaces`).
pub const IMMORTAL_NAMESPACES: &[&str] = &["default", "kube-public", "kube-system"];

/// How many changes each kind keeps for watches resuming from an older resourceVersion.
pub const DEFAULT_HISTORY: usize = 10_000;

/// A page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectList {
    /// Matching objects in key order (namespace, then name).
    pub items: Vec<Arc<Object>>,
    /// The store's resourceVersion when the list was taken.
    pub resource_version: String,
    /// Set when `limit` cut the list short; pass it back to get the next page.
    pub continue_token: Option<String>,
    /// How many matching items follow this page, when cut short.
    pub remaining_item_count: Option<i64>,
}

/// What a delete did.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteResult {
    /// The object as removed, or as it now stands while deletion waits.
    pub object: Arc<Object>,
    /// True when the object is gone; false while a grace period or finalizers keep it.
    pub removed: bool,
}

/// The simulated API server's storage.
#[derive(Debug)]
pub struct Store {
    pub(crate) now: SimTime,
    pub(crate) rng: SimRng,
    /// Uids come from their own stream, so objects the cluster creates for itself (service
    /// accounts, root CA ConfigMaps, provisioned volumes) never shift generated names.
    pub(crate) uid_rng: SimRng,
    /// Who the current requests come from (None: a system component); see `auth`.
    pub(crate) requester: Option<crate::auth::UserInfo>,
    /// Set while the authorizer reads roles and bindings (those reads are the server's own).
    pub(crate) authorizing: std::cell::Cell<bool>,
    pub(crate) rv: u64,
    pub(crate) tables: Vec<KindTable>,
    pub(crate) slab: Slab,
    pub(crate) uids: UidIndex,
    /// Owner uid → slots of objects listing it in `ownerReferences`.
    pub(crate) dependents: HashMap<String, BTreeSet<Slot>>,
    pub(crate) watchers: BTreeMap<WatchId, Watcher>,
    pub(crate) next_watch: u64,
    pub(crate) history: usize,
    pub(crate) gc: GcQueue,
    pub(crate) events: EventCache,
    /// The resource metrics API (`metrics.k8s.io`): the latest scrape of the kubelets.
    pub metrics: crate::controller::hpa::metrics::PodMetrics,
    /// Where the warnings of requests go while a client listens (see `warning`).
    pub(crate) warnings: Option<Warnings>,
}

impl Store {
    /// An empty cluster at `SimTime::ZERO` with the four initial namespaces.
    ///
    /// `rng` supplies uids and generated names; fork it from the simulation's generator.
    pub fn new(mut rng: SimRng) -> Store {
        let tables = api::kinds::KINDS.iter().map(KindTable::new).collect();
        let uid_rng = rng.fork();
        let mut store = Store {
            now: SimTime::ZERO,
            rng,
            uid_rng,
            requester: None,
            authorizing: std::cell::Cell::new(false),
            rv: 0,
            tables,
            slab: Slab::default(),
            uids: UidIndex::default(),
            dependents: HashMap::new(),
            watchers: BTreeMap::new(),
            next_watch: 1,
            history: DEFAULT_HISTORY,
            gc: GcQueue::default(),
            events: EventCache::default(),
            metrics: Default::default(),
            warnings: None,
        };
        for ns in INITIAL_NAMESPACES {
            let obj = Object::Namespace(corev1::Namespace {
                metadata: meta(ns),
                ..Default::default()
            });
            // The initial namespaces are valid by construction.
            let created = store.create(None, obj, &CreateOptions::default());
            debug_assert!(created.is_ok(), "{created:?}");
        }
        store
    }

    /// Sets the simulated instant used for timestamps; time never goes backwards.
    pub fn set_now(&mut self, now: SimTime) {
        if now > self.now {
            self.now = now;
        }
    }

    /// The simulated instant the store stamps writes with.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The current global resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.rv
    }

    /// The name and uid generators' state. Restored with [`Store::restore_generators`] after
    /// a request that must leave no trace (the editor's live dry run), later names stay
    /// what replaying the lab's logged actions gives.
    pub fn generators(&self) -> (SimRng, SimRng) {
        (self.rng.clone(), self.uid_rng.clone())
    }

    /// Puts back generator state taken with [`Store::generators`].
    pub fn restore_generators(&mut self, (rng, uid_rng): (SimRng, SimRng)) {
        self.rng = rng;
        self.uid_rng = uid_rng;
    }

    /// Sets how many changes per kind watches can resume across (at least 1).
    pub fn set_history_limit(&mut self, limit: usize) {
        self.history = limit.max(1);
    }

    /// Sets how many of the most recently written pods stay decoded; older pods are
    /// kept in a compact form and decoded on read (see `compact`). Reads give the same
    /// objects either way; this only trades memory for decoding time.
    pub fn set_hot_limit(&mut self, limit: usize) {
        self.slab.set_hot_limit(limit);
        self.share_cooled();
    }

    /// Sends the warnings of the requests that follow to `channel` (None: drop them), and
    /// gives back the channel that was listening, so a caller can put it back.
    pub fn set_warnings(&mut self, channel: Option<Warnings>) -> Option<Warnings> {
        std::mem::replace(&mut self.warnings, channel)
    }

    /// Records a warning for the listening client, if any.
    pub(crate) fn warn(&self, text: impl FnOnce() -> Option<String>) {
        if let Some(w) = &self.warnings
            && let Some(text) = text()
        {
            w.add(text);
        }
    }

    /// Records the warnings of a request's kind (a deprecated API) before it is handled.
    pub(crate) fn warn_request(&self, info: &KindInfo) {
        self.warn(|| warning::deprecated_api(info));
    }

    /// Records the warnings of the kind's strategy for an object that passed validation.
    fn warn_object(&self, texts: impl FnOnce() -> Vec<String>) {
        if let Some(w) = &self.warnings {
            for text in texts() {
                w.add(text);
            }
        }
    }

    /// Creates `obj` in namespace `ns` (the request's namespace; None takes the object's own).
    ///
    /// Runs: namespace checks, `resourceVersion` must be empty, create preparation, name
    /// generation, defaulting, validation, the existence check.
    ///
    /// # Errors
    /// NotFound for a missing namespace, Forbidden for a terminating one, BadRequest,
    /// Invalid, AlreadyExists.
    pub fn create(
        &mut self,
        ns: Option<&str>,
        obj: Object,
        opts: &CreateOptions,
    ) -> Result<Arc<Object>, StoreError> {
        let info = obj.kind_info();
        self.warn_request(info);
        self.authorize_request("create", info, ns.or(obj.namespace()), "")?;
        // Admission and allocation read on the API server's behalf, not the requester's.
        self.as_system(|s| s.create_authorized(ns, obj, opts))
            .map(|o| versions::as_served(info, o))
    }

    fn create_authorized(
        &mut self,
        ns: Option<&str>,
        mut obj: Object,
        opts: &CreateOptions,
    ) -> Result<Arc<Object>, StoreError> {
        let info = obj.kind_info();
        if info.kind == "Binding" {
            return self.bind(ns, &obj, opts.dry_run);
        }
        check_decodable(&mut obj)?;
        let namespace = resolve_namespace(info, ns, &obj)?;
        obj.meta_mut().namespace = namespace.clone();
        if let Some(ns) = &namespace {
            self.check_namespace_accepts(info, obj.name(), ns)?;
        }
        if obj
            .meta()
            .resource_version
            .as_deref()
            .is_some_and(|v| !v.is_empty())
        {
            return Err(StoreError::BadRequest(
                "resourceVersion should not be set on objects to be created".into(),
            ));
        }
        let t = self.table_index(info);
        strategy::prepare_for_create(&mut obj);
        let key_ns = namespace.clone().unwrap_or_default();
        if obj.name().is_empty()
            && let Some(base) = obj.meta().generate_name.as_deref().filter(|b| !b.is_empty())
        {
            // v1.34 retries a generated name that is taken (RetryGenerateName, GA). Each
            // candidate is made in the key it is looked up by, so no look-up copies it.
            let mut candidate: Key = (key_ns.clone(), names::generate_name(base, &mut self.rng));
            for _ in 0..7 {
                if !self.tables[t].by_key.contains_key(&candidate) {
                    break;
                }
                candidate.1 = names::generate_name(base, &mut self.rng);
            }
            obj.meta_mut().name = Some(candidate.1);
        }
        api::conversion::to_stored(&mut obj);
        strategy::drop_disabled_fields(&mut obj, None);
        api::quantities::canonicalize(&mut obj);
        api::apply_defaults(&mut obj);
        let uid = names::new_uid(&mut self.uid_rng);
        {
            let now = self.now.to_time();
            let m = obj.meta_mut();
            m.uid = Some(uid);
            m.creation_timestamp = Some(now);
            m.deletion_timestamp = None;
            m.deletion_grace_period_seconds = None;
            m.managed_fields = None;
            m.self_link = None;
            m.generation = None;
        }
        if strategy::tracks_generation(&obj) {
            obj.meta_mut().generation = Some(1);
        }
        strategy::prepare_with_uid(&mut obj);
        super::admission::mutate(self, &mut obj)?;
        if versions::strict_events(info) {
            api::validation::validate_events_v1_create(&obj)?;
        } else {
            api::validate(&obj)?;
        }
        self.warn_object(|| warning::on_create(&obj));
        ipalloc::allocate(self, &mut obj, None)?;
        let key = (key_ns, obj.name().to_string());
        if self.tables[t].by_key.contains_key(&key) {
            return Err(StoreError::AlreadyExists {
                resource: info.qualified_plural(),
                name: key.1,
            });
        }
        super::admission::validate(self, &obj)?;
        // Stored as it reads back from a real server: Go's encoding leaves out zero values
        // of non-pointer omitempty fields and empty lists and maps.
        api::omitempty::normalize(&mut obj);
        if opts.dry_run {
            return Ok(Arc::new(obj));
        }
        Ok(self.commit_insert(t, key, obj))
    }

    /// Reads one object.
    ///
    /// # Errors
    /// NotFound.
    pub fn get(
        &self,
        info: &KindInfo,
        ns: Option<&str>,
        name: &str,
    ) -> Result<Arc<Object>, StoreError> {
        self.warn_request(info);
        self.authorize_request("get", info, ns, name)?;
        let t = self.table_index(info);
        let key = key_of(info, ns, name);
        self.tables[t]
            .by_key
            .get(&key)
            .and_then(|s| self.slab.get(*s))
            .map(|e| versions::as_served(info, e.obj()))
            .ok_or_else(|| StoreError::not_found(info, name))
    }

    /// Lists objects of a kind in `ns` (None: all namespaces) matching the selectors.
    ///
    /// Exact label terms (`app=web`) and `spec.nodeName` / `metadata.name` field terms are
    /// answered from indexes; other terms filter the candidates.
    ///
    /// # Errors
    /// BadRequest for an unparsable selector, an unsupported field label or a bad continue
    /// token.
    pub fn list(
        &self,
        info: &KindInfo,
        ns: Option<&str>,
        opts: &ListOptions,
    ) -> Result<ObjectList, StoreError> {
        self.warn_request(info);
        self.authorize_request("list", info, ns, "")?;
        let (labels, fields) = parse_selectors(info, &opts.label_selector, &opts.field_selector)?;
        let t = self.table_index(info);
        let ns = if info.namespaced { ns } else { None };
        let start_after = match &opts.continue_token {
            Some(tok) => Some(decode_continue(tok)?),
            None => None,
        };
        let table = &self.tables[t];
        let limit = opts.limit.filter(|l| *l > 0);
        let cands: Box<dyn Iterator<Item = (&Key, Arc<Object>)>> = match self
            .candidates(t, ns, &labels, &fields)
        {
            Some(mut slots) if limit.is_some_and(|l| page_walk_pays(table.by_key.len(), slots.len(), l)) => {
                // Walk the keys in order and read only the candidates the page reaches: a
                // compact pod is decoded when it is returned, not for sorting.
                slots.sort_unstable();
                let keys: Box<dyn Iterator<Item = (&Key, &Slot)>> = match &start_after {
                    Some(after) => Box::new(table.by_key.range((
                        std::ops::Bound::Excluded(after.clone()),
                        std::ops::Bound::Unbounded,
                    ))),
                    None => match ns {
                        Some(n) => Box::new(table.by_key.range((n.to_string(), String::new())..)),
                        None => Box::new(table.by_key.iter()),
                    },
                };
                Box::new(
                    keys.take_while(move |(k, _)| ns.is_none_or(|n| k.0 == n))
                        .filter(move |(_, slot)| slots.binary_search(*slot).is_ok())
                        .filter_map(|(k, slot)| self.slab.get(*slot).map(|e| (k, e.obj()))),
                )
            }
            Some(slots) => {
                let mut found: Vec<(&Key, Arc<Object>)> = Vec::with_capacity(slots.len());
                for slot in slots {
                    if let Some(e) = self.slab.get(slot) {
                        let obj = e.obj();
                        if let Some(k) = self.key_ref(table, &obj)
                            && ns.is_none_or(|n| k.0 == n)
                        {
                            found.push((k, obj));
                        }
                    }
                }
                found.sort_by(|a, b| a.0.cmp(b.0));
                Box::new(found.into_iter())
            }
            None => {
                let range = table.keys_in(ns);
                Box::new(range.filter_map(|(k, slot)| self.slab.get(*slot).map(|e| (k, e.obj()))))
            }
        };
        // Stop one past the limit: that is enough to know a next page exists.
        let take = limit.map_or(usize::MAX, |l| l + 1);
        let mut items: Vec<(&Key, Arc<Object>)> = cands
            .into_iter()
            .filter(|(k, _)| start_after.as_ref().is_none_or(|after| *k > after))
            .filter(|(_, o)| matches_selectors(o, &labels, &fields))
            .take(take)
            .collect();
        let mut continue_token = None;
        let mut remaining = None;
        if let Some(limit) = limit
            && items.len() > limit
        {
            continue_token = Some(encode_continue(items[limit - 1].0));
            // Like upstream, the remaining count is only given when no selector filters.
            if labels.is_empty() && fields.is_empty() {
                let last = items[limit - 1].0;
                let rest = match ns {
                    Some(n) => table
                        .by_key
                        .range((
                            std::ops::Bound::Excluded(last.clone()),
                            std::ops::Bound::Unbounded,
                        ))
                        .take_while(|(k, _)| k.0 == n)
                        .count(),
                    None => table
                        .by_key
                        .range((
                            std::ops::Bound::Excluded(last.clone()),
                            std::ops::Bound::Unbounded,
                        ))
                        .count(),
                };
                remaining = Some(rest as i64);
            }
            items.truncate(limit);
        }
        Ok(ObjectList {
            items: items
                .into_iter()
                .map(|(_, o)| versions::as_served(info, o))
                .collect(),
            resource_version: self.rv.to_string(),
            continue_token,
            remaining_item_count: remaining,
        })
    }

    /// Replaces an object. A non-empty `resourceVersion` must equal the stored one.
    ///
    /// Status is kept from storage for kinds with a status subresource; uid, creation and
    /// deletion stamps always are. `metadata.generation` is bumped when the spec changes.
    /// Removing the last finalizer of an object being deleted removes it.
    ///
    /// # Errors
    /// NotFound, Conflict (stale resourceVersion or uid mismatch), Invalid.
    pub fn update(
        &mut self,
        ns: Option<&str>,
        obj: Object,
        opts: &UpdateOptions,
    ) -> Result<Arc<Object>, StoreError> {
        self.update_request(ns, obj, opts.dry_run, None)
    }

    /// [`Store::update`] by a writer that holds the stored object (`stored`, as the store
    /// returned it): while it is still the stored version, the update starts from it instead
    /// of reading the object again, which for a compact object (an Event) means decoding it.
    pub(crate) fn update_from_stored(
        &mut self,
        ns: Option<&str>,
        obj: Object,
        stored: &Arc<Object>,
    ) -> Result<Arc<Object>, StoreError> {
        self.update_request(ns, obj, false, Some(stored))
    }

    /// An update as a client asks for it: warned, authorized, checked, then applied as the
    /// system, starting from `stored` when the caller holds the stored object.
    fn update_request(
        &mut self,
        ns: Option<&str>,
        mut obj: Object,
        dry_run: bool,
        stored: Option<&Arc<Object>>,
    ) -> Result<Arc<Object>, StoreError> {
        self.warn_request(obj.kind_info());
        self.authorize_request(
            "update",
            obj.kind_info(),
            ns.or(obj.namespace()),
            obj.name(),
        )?;
        check_decodable(&mut obj)?;
        let info = obj.kind_info();
        self.as_system(|s| s.update_inner_from(ns, obj, dry_run, false, stored))
            .map(|o| versions::as_served(info, o))
    }

    /// Updates only the status of an object (the `status` subresource): everything else is
    /// taken from storage.
    ///
    /// # Errors
    /// NotFound (also for kinds without a status subresource), Conflict, Invalid.
    pub fn update_status(
        &mut self,
        ns: Option<&str>,
        mut obj: Object,
        opts: &UpdateOptions,
    ) -> Result<Arc<Object>, StoreError> {
        if !strategy::has_status(&obj) {
            return Err(StoreError::NotFound {
                resource: format!("{}/status", obj.kind_info().qualified_plural()),
                name: obj.name().to_string(),
            });
        }
        self.warn_request(obj.kind_info());
        self.authorize_request(
            "update",
            obj.kind_info(),
            ns.or(obj.namespace()),
            obj.name(),
        )?;
        check_decodable(&mut obj)?;
        let info = obj.kind_info();
        self.as_system(|s| s.update_inner(ns, obj, opts.dry_run, true))
            .map(|o| versions::as_served(info, o))
    }

    /// Deletes an object, honouring preconditions, grace periods (pods), finalizers and the
    /// propagation policy.
    ///
    /// # Errors
    /// NotFound, Conflict (failed precondition), Forbidden (an immortal namespace).
    pub fn delete(
        &mut self,
        info: &KindInfo,
        ns: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<DeleteResult, StoreError> {
        self.warn_request(info);
        self.authorize_request("delete", info, ns, name)?;
        self.as_system(|s| s.delete_authorized(info, ns, name, opts))
            .map(|r| DeleteResult {
                object: versions::as_served(info, r.object),
                removed: r.removed,
            })
    }

    fn delete_authorized(
        &mut self,
        info: &KindInfo,
        ns: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<DeleteResult, StoreError> {
        let t = self.table_index(info);
        let key = key_of(info, ns, name);
        let (slot, old) = self
            .lookup(t, &key)
            .ok_or_else(|| StoreError::not_found(info, name))?;
        check_preconditions(info, name, &old, opts)?;
        if info.kind == "Namespace" && info.group.is_empty() {
            return self.delete_namespace(t, slot, old, opts.dry_run);
        }
        let policy = opts.propagation_policy.or_else(|| {
            old.meta()
                .finalizers
                .iter()
                .flatten()
                .any(|f| f == ORPHAN_FINALIZER)
                .then_some(PropagationPolicy::Orphan)
        });
        let grace = pod_grace_period(&old, opts.grace_period_seconds);
        let mut finalizers = old.meta().finalizers.clone().unwrap_or_default();
        let wanted = match policy {
            Some(PropagationPolicy::Orphan) => Some(ORPHAN_FINALIZER),
            Some(PropagationPolicy::Foreground) => Some(FOREGROUND_FINALIZER),
            _ => None,
        };
        // Switching policy on a second delete replaces the other GC finalizer.
        if policy.is_some() {
            finalizers.retain(|f| f != ORPHAN_FINALIZER && f != FOREGROUND_FINALIZER);
        }
        if let Some(f) = wanted {
            finalizers.push(f.to_string());
        }
        let already_deleting = old.meta().deletion_timestamp.is_some();
        let current_grace = old.meta().deletion_grace_period_seconds.unwrap_or(0);
        if finalizers.is_empty() && (grace == 0 || (already_deleting && current_grace == 0)) {
            if opts.dry_run {
                return Ok(DeleteResult {
                    object: old,
                    removed: true,
                });
            }
            let object = self.commit_remove(t, slot);
            return Ok(DeleteResult {
                object,
                removed: true,
            });
        }
        // Graceful deletion and/or finalizers: mark the object and keep it (only a kept
        // object is copied: a kubelet's confirming delete removes it).
        let mut obj = (*old).clone();
        let m = obj.meta_mut();
        m.finalizers = if finalizers.is_empty() {
            None
        } else {
            Some(finalizers)
        };
        if !already_deleting || grace < current_grace {
            let at = self.now + SimDuration::from_secs(grace.max(0) as u64);
            if !already_deleting && let Some(g) = m.generation.filter(|g| *g > 0) {
                m.generation = Some(g + 1);
            }
            m.deletion_timestamp = Some(at.to_time());
            m.deletion_grace_period_seconds = Some(grace.max(0));
        }
        if obj == *old {
            return Ok(DeleteResult {
                object: old,
                removed: false,
            });
        }
        if opts.dry_run {
            return Ok(DeleteResult {
                object: Arc::new(obj),
                removed: false,
            });
        }
        let object = self.commit_replace(t, slot, obj);
        self.gc.touch(object.meta().uid.as_deref());
        Ok(DeleteResult {
            object,
            removed: false,
        })
    }

    /// Removes a pod whose deletion was graceful once its kubelet has stopped it (a delete
    /// with grace 0 and the pod's uid as precondition, as the kubelet sends).
    ///
    /// # Errors
    /// NotFound, or Conflict when the uid no longer matches.
    pub fn confirm_pod_deleted(
        &mut self,
        ns: &str,
        name: &str,
        uid: &str,
    ) -> Result<DeleteResult, StoreError> {
        let info = pods_info();
        self.delete(
            info,
            Some(ns),
            name,
            &DeleteOptions {
                grace_period_seconds: Some(0),
                preconditions: Some(super::options::Preconditions {
                    uid: Some(uid.to_string()),
                    resource_version: None,
                }),
                ..Default::default()
            },
        )
    }

    /// Opens a watch on a kind in `ns` (None: all namespaces).
    ///
    /// # Errors
    /// BadRequest for bad selectors or resourceVersion; Expired when the resourceVersion is
    /// older than the kept history.
    pub fn watch(
        &mut self,
        info: &KindInfo,
        ns: Option<&str>,
        opts: &WatchOptions,
    ) -> Result<WatchId, StoreError> {
        self.warn_request(info);
        self.authorize_request("watch", info, ns, "")?;
        let (labels, fields) = parse_selectors(info, &opts.label_selector, &opts.field_selector)?;
        let t = self.table_index(info);
        let namespace = if info.namespaced {
            ns.map(str::to_string)
        } else {
            None
        };
        let mut watcher = Watcher {
            kind: t,
            served: versions::served_apart(info),
            namespace,
            labels,
            fields,
            cursor: self.rv,
            initial: VecDeque::new(),
        };
        match opts.resource_version.as_deref() {
            None | Some("") | Some("0") => {
                for slot in self.tables[t].by_key.values() {
                    if let Some(obj) = self.slab.get(*slot).map(Entry::obj)
                        && watcher.matches(&obj)
                    {
                        watcher.initial.push_back(WatchEvent {
                            event_type: WatchEventType::Added,
                            object: versions::as_served(info, obj),
                        });
                    }
                }
            }
            Some(v) => {
                let rv: u64 = v.parse().map_err(|_| {
                    StoreError::BadRequest(format!("invalid resource version: {v}"))
                })?;
                if let Some((req, oldest)) = self.tables[t].log.too_old(rv, self.rv) {
                    return Err(too_old(req, oldest));
                }
                watcher.cursor = rv;
            }
        }
        let id = WatchId(self.next_watch);
        self.next_watch += 1;
        self.watchers.insert(id, watcher);
        Ok(id)
    }

    /// Polls a watch as an informer does: when the watcher fell behind the kept history (or
    /// its watch was closed), it lists again by opening a new watch from scratch, whose first
    /// events are every current object as ADDED. The flag says the events are such a relist,
    /// so the caller can drop what it holds that the list no longer has.
    pub fn poll_or_relist(&mut self, id: &mut WatchId, info: &KindInfo) -> (Vec<WatchEvent>, bool) {
        if let Ok(events) = self.poll(*id) {
            return (events, false);
        }
        match self.watch(info, None, &WatchOptions::default()) {
            Ok(fresh) => {
                *id = fresh;
                (self.poll(fresh).unwrap_or_default(), true)
            }
            Err(_) => (Vec::new(), false),
        }
    }

    /// The resourceVersion of the latest change to objects of `info`'s kind (0 when there
    /// was none), for a watcher that polls only when its kind changed
    /// ([`Store::poll_or_relist_from`]).
    pub fn last_change(&self, info: &KindInfo) -> u64 {
        self.tables[self.table_index(info)].log.last_rv().unwrap_or(0)
    }

    /// [`Store::poll_or_relist`] for a watcher that skips polls while its kind does not
    /// change: `unchanged_through` is the resourceVersion at which it last found
    /// [`Store::last_change`] no later than what it had read. The watch's cursor moves up to
    /// it first, as the skipped polls would have moved it, so whether the watch is too old
    /// is decided as if it had polled every time.
    pub fn poll_or_relist_from(
        &mut self,
        id: &mut WatchId,
        info: &KindInfo,
        unchanged_through: Option<u64>,
    ) -> (Vec<WatchEvent>, bool) {
        if let Some(rv) = unchanged_through
            && let Some(w) = self.watchers.get_mut(id)
            && w.initial.is_empty()
        {
            w.cursor = w.cursor.max(rv);
        }
        self.poll_or_relist(id, info)
    }

    /// Returns the events of a watch since its last poll, oldest first.
    ///
    /// # Errors
    /// Gone for an unknown or stopped watch; Expired when the watcher fell behind the kept
    /// history (the watch is then closed; list again and re-watch).
    pub fn poll(&mut self, id: WatchId) -> Result<Vec<WatchEvent>, StoreError> {
        let current = self.rv;
        let Some(w) = self.watchers.get_mut(&id) else {
            return Err(StoreError::Gone(format!("watch {} is closed", id.0)));
        };
        let log = &self.tables[w.kind].log;
        // Most polls find nothing (every component polls each of its watches after every
        // task): with no change to the kind since the cursor, the history is not searched.
        // Nothing after the cursor was dropped either, so it is not too old.
        if w.initial.is_empty() && log.last_rv().is_none_or(|rv| rv <= w.cursor) {
            w.cursor = current;
            return Ok(Vec::new());
        }
        let mut out: Vec<WatchEvent> = w.initial.drain(..).collect();
        if let Some((req, oldest)) = log.too_old(w.cursor, current) {
            self.watchers.remove(&id);
            return Err(too_old(req, oldest));
        }
        out.extend(log.since(w.cursor).filter_map(|c| w.convert(c)));
        w.cursor = current;
        Ok(out)
    }

    /// Closes a watch; unknown ids are ignored.
    pub fn stop_watch(&mut self, id: WatchId) {
        self.watchers.remove(&id);
    }

    /// The pods bound to `node`, in key order (from the node index).
    pub fn pods_on_node(&self, node: &str) -> Vec<Arc<Object>> {
        let t = self.table_index(pods_info());
        let mut out: Vec<Arc<Object>> = self.tables[t]
            .by_node
            .get(node)
            .into_iter()
            .flatten()
            .filter_map(|s| self.slab.get(*s).map(Entry::obj))
            .collect();
        out.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
        out
    }

    /// How many pods are bound to each node, from the node index: no pod is read, so a view
    /// of thousands of nodes can count them every frame.
    pub fn pod_counts_by_node(&self) -> HashMap<&str, usize> {
        let t = self.table_index(pods_info());
        self.tables[t]
            .by_node
            .iter()
            .map(|(node, slots)| (node.as_str(), slots.len()))
            .collect()
    }

    /// Objects of any kind whose `ownerReferences` name `owner_uid`, sorted by kind and key.
    pub fn dependents_of(&self, owner_uid: &str) -> Vec<Arc<Object>> {
        let mut out: Vec<(usize, Arc<Object>)> = self
            .dependents
            .get(owner_uid)
            .into_iter()
            .flatten()
            .filter_map(|s| self.slab.get(*s).map(|e| (e.kind, e.obj())))
            .collect();
        out.sort_by(|a, b| {
            (a.0, a.1.namespace(), a.1.name()).cmp(&(b.0, b.1.namespace(), b.1.name()))
        });
        out.into_iter().map(|(_, o)| o).collect()
    }

    /// The objects of a kind in `ns` (None: every namespace) whose labels `selector`
    /// matches, in no particular order: what a controller's lister answers from its cache
    /// (client-go `Lister.List(selector)`), with no request, parsing or sorting around it.
    /// An exact label term is answered from the label index.
    pub fn select(
        &self,
        info: &KindInfo,
        ns: Option<&str>,
        selector: &Selector,
    ) -> Vec<Arc<Object>> {
        self.owned_or_selected(info, ns, None, selector)
    }

    /// Every object of a kind in `ns` (None: every namespace), in key order: what a list
    /// without selectors returns, read as a controller's lister reads (no request, no
    /// selector parsing), for a controller that looks at each object in a namespace.
    pub fn in_namespace(&self, info: &KindInfo, ns: Option<&str>) -> Vec<Arc<Object>> {
        let t = self.table_index(info);
        let ns = if info.namespaced { ns } else { None };
        self.tables[t]
            .keys_in(ns)
            .filter_map(|(_, slot)| self.slab.get(*slot).map(Entry::obj))
            .collect()
    }

    /// [`Store::select`], and also the objects `owner_uid` owns whether the selector matches
    /// them or not, each once: what a controller claims from (ClaimPods's candidates).
    pub fn owned_or_selected(
        &self,
        info: &KindInfo,
        ns: Option<&str>,
        owner_uid: Option<&str>,
        selector: &Selector,
    ) -> Vec<Arc<Object>> {
        let t = self.table_index(info);
        let table = &self.tables[t];
        let ns = if info.namespaced { ns } else { None };
        let mut slots: Vec<Slot> = owner_uid
            .and_then(|uid| self.dependents.get(uid))
            .into_iter()
            .flatten()
            .copied()
            .filter(|s| self.slab.get(*s).is_some_and(|e| e.kind == t))
            .collect();
        match self.candidates(t, ns, selector, &FieldSelector::everything()) {
            Some(found) => slots.extend(found),
            None => slots.extend(table.keys_in(ns).map(|(_, s)| *s)),
        }
        slots.sort_unstable();
        slots.dedup();
        let owned = |o: &Object| {
            owner_uid.is_some_and(|uid| owner_uids(o).any(|u| u == uid))
        };
        slots
            .into_iter()
            .filter_map(|s| self.slab.get(s).map(Entry::obj))
            .filter(|o| {
                ns.is_none_or(|n| o.namespace() == Some(n))
                    && (owned(o) || selector.matches(crate::controller::labels_of(o.meta())))
            })
            .collect()
    }

    /// The stored object with this uid, if any.
    pub fn get_by_uid(&self, uid: &str) -> Option<Arc<Object>> {
        self.uids
            .get(uid)
            .and_then(|s| self.slab.get(s))
            .map(Entry::obj)
    }

    /// How many objects of a kind are stored (all namespaces).
    pub fn count(&self, info: &KindInfo) -> usize {
        self.tables[self.table_index(info)].by_key.len()
    }

    // ---- internals shared with the gc, events, scale and patch modules ----

    pub(crate) fn table_index(&self, info: &KindInfo) -> usize {
        // The tables are built from `KINDS` in order: a row's index is its table.
        api::kinds::row_index(versions::storage_info(info))
            .filter(|t| *t < self.tables.len())
            .unwrap_or(0)
    }

    pub(crate) fn lookup(&self, t: usize, key: &Key) -> Option<(Slot, Arc<Object>)> {
        let slot = *self.tables[t].by_key.get(key)?;
        self.slab.get(slot).map(|e| (slot, e.obj()))
    }

    /// [`Store::lookup`], answered with `known` when that is the stored version (its
    /// resourceVersion, read in place, is the entry's): a compact entry is not decoded.
    fn lookup_known(
        &self,
        t: usize,
        key: &Key,
        known: Option<&Arc<Object>>,
    ) -> Option<(Slot, Arc<Object>)> {
        let slot = *self.tables[t].by_key.get(key)?;
        let entry = self.slab.get(slot)?;
        let obj = match known {
            Some(k)
                if std::ptr::eq(k.kind_info(), self.tables[t].info)
                    && k.meta().resource_version.is_some()
                    && entry.resource_version() == k.meta().resource_version.as_deref() =>
            {
                Arc::clone(k)
            }
            _ => entry.obj(),
        };
        Some((slot, obj))
    }

    pub(crate) fn update_inner(
        &mut self,
        ns: Option<&str>,
        obj: Object,
        dry_run: bool,
        status_only: bool,
    ) -> Result<Arc<Object>, StoreError> {
        self.update_inner_from(ns, obj, dry_run, status_only, None)
    }

    /// [`Store::update_inner`], starting from `known` when it is the stored version of the
    /// object (see [`Store::update_from_stored`]).
    fn update_inner_from(
        &mut self,
        ns: Option<&str>,
        mut obj: Object,
        dry_run: bool,
        status_only: bool,
        known: Option<&Arc<Object>>,
    ) -> Result<Arc<Object>, StoreError> {
        let info = obj.kind_info();
        // The stored version first: status merging below compares like with like.
        api::conversion::to_stored(&mut obj);
        let namespace = resolve_namespace(info, ns, &obj)?;
        let name = obj.name().to_string();
        let t = self.table_index(info);
        let key = (namespace.clone().unwrap_or_default(), name.clone());
        let (slot, old) = self
            .lookup_known(t, &key, known)
            .ok_or_else(|| StoreError::not_found(info, &name))?;
        let old_meta = old.meta();
        if let Some(rv) = obj
            .meta()
            .resource_version
            .as_deref()
            .filter(|v| !v.is_empty())
            && Some(rv) != old_meta.resource_version.as_deref()
        {
            return Err(StoreError::stale(info, &name));
        }
        if let Some(uid) = obj.meta().uid.as_deref().filter(|v| !v.is_empty())
            && Some(uid) != old_meta.uid.as_deref()
        {
            return Err(StoreError::Conflict {
                resource: info.qualified_plural(),
                name,
                detail: format!(
                    "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                    old_meta.uid.as_deref().unwrap_or("")
                ),
            });
        }
        // Go's omitempty: a finalizer list emptied (by a patch, say) is stored as absent.
        if obj.meta().finalizers.as_ref().is_some_and(Vec::is_empty) {
            obj.meta_mut().finalizers = None;
        }
        if status_only {
            // Before the merge: only the written object's status is kept, and the stored
            // metadata and spec it joins were canonicalized when they were stored.
            api::quantities::canonicalize(&mut obj);
            obj = strategy::with_status_of(&old, obj);
        } else {
            strategy::drop_disabled_fields(&mut obj, Some(&old));
            if strategy::has_status(&obj) {
                strategy::copy_status(&mut obj, &old);
            }
        }
        {
            let m = obj.meta_mut();
            m.namespace = namespace;
            m.uid = old_meta.uid.clone();
            m.creation_timestamp = old_meta.creation_timestamp.clone();
            m.deletion_timestamp = old_meta.deletion_timestamp.clone();
            m.deletion_grace_period_seconds = old_meta.deletion_grace_period_seconds;
            m.generation = old_meta.generation;
            m.resource_version = old_meta.resource_version.clone();
            m.managed_fields = None;
            m.self_link = None;
        }
        // A status write's quantities (node capacity, quota usage, claim capacity) were
        // canonicalized before the merge above.
        if !status_only {
            api::quantities::canonicalize(&mut obj);
            api::apply_defaults(&mut obj);
        }
        // As Go's encoding leaves it (see create), before the spec and the whole object are
        // compared with the stored one: an update that only spells out zero values Go leaves
        // out changes nothing, as upstream compares the encoded objects
        // (GuaranteedUpdate, k8s.io/apiserver pkg/storage/etcd3/store.go, v1.34).
        if status_only {
            api::omitempty::normalize_status(&mut obj);
        } else {
            api::omitempty::normalize(&mut obj);
        }
        if !status_only && strategy::tracks_generation(&obj) && !strategy::spec_equal(&obj, &old) {
            let g = obj.meta().generation.unwrap_or(0);
            obj.meta_mut().generation = Some(g + 1);
        }
        if !status_only {
            ipalloc::allocate(self, &mut obj, Some(&old))?;
        }
        // A status write keeps the stored spec and metadata (ResetObjectMetaForStatus,
        // apimachinery v1.34) and the rules here are theirs, so it has nothing new to check.
        let checked = if status_only {
            Ok(())
        } else if versions::strict_events(info) {
            api::validation::validate_events_v1_update(&old, &obj)
        } else {
            api::validate_update(&old, &obj)
        };
        let mut errs = match checked {
            Ok(()) => ErrorList::new(),
            Err(e) => e.errors,
        };
        if old_meta.deletion_timestamp.is_some() {
            let before: BTreeSet<&String> = old_meta.finalizers.iter().flatten().collect();
            let added: Vec<String> = obj
                .meta()
                .finalizers
                .iter()
                .flatten()
                .filter(|f| !before.contains(f))
                .cloned()
                .collect();
            if !added.is_empty() {
                errs.push(FieldError::forbidden(
                    "metadata.finalizers",
                    format!(
                        "no new finalizers can be added if the object is being deleted, found new finalizers {}",
                        machinery::validation::field::string_slice(&added)
                    ),
                ));
            }
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(api::InvalidError {
                kind: info.kind,
                group: info.group,
                name,
                errors: errs,
            }));
        }
        if !status_only {
            self.warn_object(|| warning::on_update(&obj, &old));
        }
        // A status write leaves everything but the status as stored, so a changed status
        // (the usual case) settles the comparison without walking the spec.
        let changed = status_only && !strategy::status_equal(&obj, &old);
        if !changed && obj == *old {
            return Ok(old);
        }
        if dry_run {
            return Ok(Arc::new(obj));
        }
        let done = obj.meta().deletion_timestamp.is_some()
            && obj.meta().finalizers.as_ref().is_none_or(Vec::is_empty)
            && obj.meta().deletion_grace_period_seconds.unwrap_or(0) == 0;
        let stored = self.commit_replace_of(t, slot, obj, Some(Arc::clone(&old)));
        if done {
            return Ok(self.commit_remove(t, slot));
        }
        if stored.meta().deletion_timestamp.is_some() {
            self.gc.touch(stored.meta().uid.as_deref());
        }
        Ok(stored)
    }

    /// Stores a new object: next resourceVersion, indexes, one ADDED change.
    pub(crate) fn commit_insert(&mut self, t: usize, key: Key, mut obj: Object) -> Arc<Object> {
        super::timestamps::truncate(&mut obj);
        self.rv += 1;
        obj.meta_mut().resource_version = Some(self.rv.to_string());
        let obj = Arc::new(obj);
        let slot = self.slab.insert(Entry::new(t, Arc::clone(&obj)));
        self.tables[t].by_key.insert(key, slot);
        self.tables[t].index(slot, &obj);
        if let Some(uid) = obj.meta().uid.as_deref() {
            self.uids.insert(uid, slot);
        }
        for owner in owner_uids(&obj) {
            // Most owners already have dependents: look up before allocating a key.
            match self.dependents.get_mut(owner) {
                Some(set) => {
                    set.insert(slot);
                }
                None => {
                    self.dependents
                        .insert(owner.to_string(), BTreeSet::from([slot]));
                }
            }
            // A dependent of an owner that no longer exists is garbage from the start.
            if !self.uids.contains(owner) {
                self.gc.owner_removed(owner);
            }
        }
        let written = self.slab.get(slot).map(Entry::written);
        self.log(t, None, written);
        self.share_cooled();
        obj
    }

    /// Replaces a stored object: next resourceVersion, re-index, one MODIFIED change.
    pub(crate) fn commit_replace(&mut self, t: usize, slot: Slot, obj: Object) -> Arc<Object> {
        self.commit_replace_of(t, slot, obj, None)
    }

    /// [`Store::commit_replace`] given the object stored now when the caller holds it (an
    /// update read it to check the write), so a compact one is not decoded a second time.
    fn commit_replace_of(
        &mut self,
        t: usize,
        slot: Slot,
        mut obj: Object,
        stored: Option<Arc<Object>>,
    ) -> Arc<Object> {
        super::timestamps::truncate(&mut obj);
        self.rv += 1;
        obj.meta_mut().resource_version = Some(self.rv.to_string());
        let obj = Arc::new(obj);
        let Some(entry) = self.slab.get(slot) else {
            return obj;
        };
        // The history keeps the replaced object in the form the store kept it (an event's
        // compact bytes); the decoded one serves the indexes and is dropped here.
        let old_written = entry.written();
        let old = stored.unwrap_or_else(|| entry.obj());
        self.tables[t].reindex(slot, &old, &obj);
        // Most writes (every status write) keep the owners: no sets to build then.
        if !owner_uids(&old).eq(owner_uids(&obj)) {
            self.move_dependent(slot, &old, &obj);
        }
        self.slab.set(slot, Arc::clone(&obj));
        let written = self.slab.get(slot).map(Entry::written);
        self.log(t, Some(old_written), written);
        self.share_cooled();
        obj
    }

    /// Moves `slot` from the dependents of the owners `old` names to those `new` names.
    fn move_dependent(&mut self, slot: Slot, old: &Object, new: &Object) {
        let old_owners: BTreeSet<&str> = owner_uids(old).collect();
        let new_owners: BTreeSet<&str> = owner_uids(new).collect();
        for gone in old_owners.difference(&new_owners) {
            if let Some(set) = self.dependents.get_mut(*gone) {
                set.remove(&slot);
                if set.is_empty() {
                    self.dependents.remove(*gone);
                }
            }
        }
        for added in new_owners.difference(&old_owners) {
            self.dependents
                .entry((*added).to_string())
                .or_default()
                .insert(slot);
        }
    }

    /// Removes a stored object: next resourceVersion, unindex, one DELETED change carrying
    /// the final state at that resourceVersion. Queues its dependents for the collector.
    pub(crate) fn commit_remove(&mut self, t: usize, slot: Slot) -> Arc<Object> {
        let Some(entry) = self.slab.remove(slot) else {
            return Arc::new(Object::Namespace(corev1::Namespace::default()));
        };
        self.rv += 1;
        let old = entry.obj();
        let info = self.tables[t].info;
        let key = key_of(info, old.namespace(), old.name());
        self.tables[t].by_key.remove(&key);
        self.tables[t].unindex(slot, &old);
        if let Some(uid) = old.meta().uid.as_deref() {
            self.uids.remove(uid);
            if self.dependents.contains_key(uid) {
                self.gc.owner_removed(uid);
            }
        }
        for owner in owner_uids(&old) {
            if let Some(set) = self.dependents.get_mut(owner) {
                set.remove(&slot);
                if set.is_empty() {
                    self.dependents.remove(owner);
                }
            }
        }
        if let Some(ns) = old.namespace() {
            self.gc.namespace_changed(ns);
        }
        let mut last = (*old).clone();
        last.meta_mut().resource_version = Some(self.rv.to_string());
        let last = Arc::new(last);
        self.log(t, Some(Written::Decoded(Arc::clone(&last))), None);
        last
    }

    /// Appends a change to kind `t`'s history. An object the store keeps compact is logged
    /// compact: a decoded Event is kilobytes, and the history kept the last 10,000 of them.
    fn log(&mut self, t: usize, old: Option<Written>, new: Option<Written>) {
        let limit = self.history;
        self.tables[t].log.push(Change { rv: self.rv, old, new }, limit);
    }

    /// Has the watch history hold the compact bytes of the pods the slab just compacted, so
    /// history and store keep one form of each and the decoded pod is freed now rather than
    /// when the history drops it.
    fn share_cooled(&mut self) {
        for cooled in self.slab.drain_cooled() {
            self.tables[cooled.kind]
                .log
                .share_compact(&cooled.obj, &cooled.bytes);
        }
    }

    fn key_ref<'a>(&self, table: &'a KindTable, obj: &Object) -> Option<&'a Key> {
        let key = key_of(table.info, obj.namespace(), obj.name());
        table.by_key.get_key_value(&key).map(|(k, _)| k)
    }

    /// Slots from an index that cover every match, or None when only a scan will do.
    fn candidates(
        &self,
        t: usize,
        ns: Option<&str>,
        labels: &Selector,
        fields: &FieldSelector,
    ) -> Option<Vec<Slot>> {
        let table = &self.tables[t];
        if let Some(name) = fields.requires_exact_match("metadata.name") {
            let key = key_of(table.info, ns, name);
            return Some(match (ns, table.info.namespaced) {
                (None, true) => table
                    .by_key
                    .iter()
                    .filter(|(k, _)| k.1 == name)
                    .map(|(_, s)| *s)
                    .collect(),
                _ => table.by_key.get(&key).copied().into_iter().collect(),
            });
        }
        let mut best: Option<&BTreeSet<Slot>> = None;
        let empty = BTreeSet::new();
        if let Some(node) = fields.requires_exact_match("spec.nodeName")
            && !node.is_empty()
        {
            best = Some(table.by_node.get(node).unwrap_or(&empty));
        }
        for req in labels.requirements() {
            if let Some(v) = labels.requires_exact_match(req.key()) {
                let set = table
                    .labels
                    .get(req.key())
                    .and_then(|values| values.get(v))
                    .unwrap_or(&empty);
                if best.is_none_or(|b| set.len() < b.len()) {
                    best = Some(set);
                }
            }
        }
        best.map(|s| s.iter().copied().collect())
    }

    fn check_namespace_accepts(
        &self,
        info: &KindInfo,
        name: &str,
        ns: &str,
    ) -> Result<(), StoreError> {
        let nst = self.table_index(namespaces_info());
        let Some((_, nsobj)) = self.lookup(nst, &(String::new(), ns.to_string())) else {
            return Err(StoreError::NotFound {
                resource: "namespaces".into(),
                name: ns.to_string(),
            });
        };
        if nsobj.meta().deletion_timestamp.is_some() {
            return Err(StoreError::Forbidden {
                resource: info.qualified_plural(),
                name: name.to_string(),
                detail: format!(
                    "unable to create new content in namespace {ns} because it is being terminated"
                ),
            });
        }
        Ok(())
    }

    fn delete_namespace(
        &mut self,
        t: usize,
        slot: Slot,
        old: Arc<Object>,
        dry_run: bool,
    ) -> Result<DeleteResult, StoreError> {
        let name = old.name().to_string();
        if IMMORTAL_NAMESPACES.contains(&name.as_str()) {
            return Err(StoreError::Forbidden {
                resource: "namespaces".into(),
                name,
                detail: "this namespace may not be deleted".into(),
            });
        }
        if old.meta().deletion_timestamp.is_some() || dry_run {
            return Ok(DeleteResult {
                object: old,
                removed: false,
            });
        }
        let mut obj = (*old).clone();
        if let Object::Namespace(ns) = &mut obj {
            ns.metadata.deletion_timestamp = Some(self.now.to_time());
            ns.metadata.deletion_grace_period_seconds = Some(0);
            ns.status.get_or_insert_with(Default::default).phase = Some("Terminating".into());
        }
        let object = self.commit_replace(t, slot, obj);
        self.gc.namespace_changed(&name);
        Ok(DeleteResult {
            object,
            removed: false,
        })
    }

    /// `pods/binding`: assigns a pod to a node once.
    fn bind(
        &mut self,
        ns: Option<&str>,
        obj: &Object,
        dry_run: bool,
    ) -> Result<Arc<Object>, StoreError> {
        let Object::Binding(b) = obj else {
            return Err(StoreError::Internal("not a binding".into()));
        };
        let name = b.metadata.name.clone().unwrap_or_default();
        let ns = ns.or(b.metadata.namespace.as_deref()).unwrap_or("default");
        let node = b.target.name.clone().unwrap_or_default();
        let info = pods_info();
        let t = self.table_index(info);
        let key = (ns.to_string(), name.clone());
        let (slot, old) = self
            .lookup(t, &key)
            .ok_or_else(|| StoreError::not_found(info, &name))?;
        let Object::Pod(pod) = &*old else {
            return Err(StoreError::Internal("pods table holds a non-pod".into()));
        };
        if pod.metadata.deletion_timestamp.is_some() {
            return Err(StoreError::Conflict {
                resource: "pods/binding".into(),
                name: name.clone(),
                detail: format!("pod {name} is being deleted, cannot be assigned to a host"),
            });
        }
        if let Some(current) = pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .filter(|n| !n.is_empty())
        {
            return Err(StoreError::Conflict {
                resource: "pods/binding".into(),
                name: name.clone(),
                detail: format!("pod {name} is already assigned to node \"{current}\""),
            });
        }
        let mut pod = pod.clone();
        pod.spec.get_or_insert_with(Default::default).node_name = Some(node);
        let status = pod.status.get_or_insert_with(Default::default);
        let conditions = status.conditions.get_or_insert_with(Vec::new);
        conditions.retain(|c| c.type_ != "PodScheduled");
        conditions.push(corev1::PodCondition {
            type_: "PodScheduled".into(),
            status: "True".into(),
            last_transition_time: Some(self.now.to_time()),
            ..Default::default()
        });
        if dry_run {
            return Ok(Arc::new(obj.clone()));
        }
        self.commit_replace(t, slot, Object::Pod(pod));
        Ok(Arc::new(obj.clone()))
    }
}

/// Finalizer that makes the collector orphan dependents before the owner goes.
pub const ORPHAN_FINALIZER: &str = "orphan";
/// Finalizer that keeps an owner until its blocking dependents are deleted.
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";

/// The API server decodes a request body before anything else looks at it, and a quantity
/// that does not parse fails that decode (apiserver handlers/create.go and update.go, v1.34:
/// `<Kind> in version "<v>" cannot be handled as a <Kind>: <err>`, 400).
fn check_decodable(obj: &mut Object) -> Result<(), StoreError> {
    let info = obj.kind_info();
    match api::quantities::first_unparsable(obj) {
        Some(e) => Err(StoreError::BadRequest(format!(
            "{kind} in version \"{version}\" cannot be handled as a {kind}: {e}",
            kind = info.kind,
            version = info.version
        ))),
        None => Ok(()),
    }
}

pub(crate) fn pods_info() -> &'static KindInfo {
    crate::controller::kind_of::<corev1::Pod>()
}

pub(crate) fn namespaces_info() -> &'static KindInfo {
    crate::controller::kind_of::<corev1::Namespace>()
}

/// Whether a limited list answered from an index should walk the kind's keys in order
/// (reading only the candidates up to the page) rather than read and sort every candidate.
/// Reading a compact pod costs about as much as stepping over a few hundred keys, so the walk
/// pays once the candidates beyond the page outnumber the keys by that factor's inverse.
fn page_walk_pays(keys: usize, candidates: usize, limit: usize) -> bool {
    /// Keys stepped over per object read, a conservative share of a compact pod's decode.
    const KEYS_PER_READ: usize = 64;
    let spared = candidates.saturating_sub(limit + 1);
    spared > 0 && keys <= spared.saturating_mul(KEYS_PER_READ)
}

pub(crate) fn key_of(info: &KindInfo, ns: Option<&str>, name: &str) -> Key {
    let ns = if info.namespaced {
        ns.unwrap_or("default")
    } else {
        ""
    };
    (ns.to_string(), name.to_string())
}

pub(crate) fn owner_uids(obj: &Object) -> impl Iterator<Item = &str> {
    obj.meta()
        .owner_references
        .iter()
        .flatten()
        .map(|r| r.uid.as_str())
}

pub(crate) fn matches_selectors(obj: &Object, labels: &Selector, fields: &FieldSelector) -> bool {
    let empty = BTreeMap::new();
    let l = obj.meta().labels.as_ref().unwrap_or(&empty);
    labels.matches(l) && fields.matches(&|f| fieldsel::value(obj, f))
}

fn parse_selectors(
    info: &KindInfo,
    labels: &str,
    fields: &str,
) -> Result<(Selector, FieldSelector), StoreError> {
    let labels =
        machinery::labels::parse(labels).map_err(|e| StoreError::BadRequest(e.to_string()))?;
    let fields =
        machinery::fields::parse(fields).map_err(|e| StoreError::BadRequest(e.to_string()))?;
    fieldsel::check_supported(info, &fields)?;
    Ok((labels, fields))
}

fn resolve_namespace(
    info: &KindInfo,
    request: Option<&str>,
    obj: &Object,
) -> Result<Option<String>, StoreError> {
    if !info.namespaced {
        return Ok(None);
    }
    let own = obj.namespace().filter(|n| !n.is_empty());
    match (request, own) {
        (Some(r), Some(o)) if r != o => Err(StoreError::BadRequest(
            "the namespace of the provided object does not match the namespace sent on the request"
                .into(),
        )),
        (Some(r), _) => Ok(Some(r.to_string())),
        (None, Some(o)) => Ok(Some(o.to_string())),
        (None, None) => Ok(Some("default".to_string())),
    }
}

fn check_preconditions(
    info: &KindInfo,
    name: &str,
    obj: &Object,
    opts: &DeleteOptions,
) -> Result<(), StoreError> {
    let Some(pre) = &opts.preconditions else {
        return Ok(());
    };
    let conflict = |detail: String| StoreError::Conflict {
        resource: info.qualified_plural(),
        name: name.to_string(),
        detail,
    };
    let m = obj.meta();
    if let Some(uid) = &pre.uid
        && Some(uid.as_str()) != m.uid.as_deref()
    {
        return Err(conflict(format!(
            "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
            m.uid.as_deref().unwrap_or("")
        )));
    }
    if let Some(rv) = &pre.resource_version
        && Some(rv.as_str()) != m.resource_version.as_deref()
    {
        return Err(conflict(format!(
            "Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {}",
            m.resource_version.as_deref().unwrap_or("")
        )));
    }
    Ok(())
}

/// Mirrors pod strategy `CheckGracefulDelete`: the requested grace or the pod's
/// `terminationGracePeriodSeconds` (30 by default); 0 for a pod never scheduled or already
/// terminal. Other kinds delete at once.
fn pod_grace_period(obj: &Object, requested: Option<i64>) -> i64 {
    let Object::Pod(p) = obj else {
        return 0;
    };
    let spec = p.spec.as_ref();
    let unscheduled = spec
        .and_then(|s| s.node_name.as_deref())
        .is_none_or(str::is_empty);
    let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
    if unscheduled || matches!(phase, Some("Succeeded" | "Failed")) {
        return 0;
    }
    requested
        .or_else(|| spec.and_then(|s| s.termination_grace_period_seconds))
        .unwrap_or(30)
        .max(0)
}

fn too_old(req: u64, oldest: u64) -> StoreError {
    StoreError::Expired(format!("too old resource version: {req} ({oldest})"))
}

fn encode_continue(key: &Key) -> String {
    // Opaque to clients; the escaped key keeps it printable and unambiguous.
    format!(
        "{}/{}",
        key.0.replace('%', "%25").replace('/', "%2F"),
        key.1.replace('%', "%25").replace('/', "%2F")
    )
}

fn decode_continue(token: &str) -> Result<Key, StoreError> {
    let bad = || StoreError::BadRequest(format!("invalid continue token: {token}"));
    let (ns, name) = token.split_once('/').ok_or_else(bad)?;
    let un = |s: &str| s.replace("%2F", "/").replace("%25", "%");
    Ok((un(ns), un(name)))
}

fn meta(name: &str) -> k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
    k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
        name: Some(name.to_string()),
        ..Default::default()
    }
}
