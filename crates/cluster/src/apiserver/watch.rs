//! Watches: per-kind change logs with pull-based cursors.
//!
//! Every write appends one `Change` (old and new object, both shared) to its kind's bounded
//! log. A watcher is a cursor (the last resourceVersion it saw) plus its filters; `poll`
//! returns the matching changes since the cursor. Nothing is pushed, so a discrete-event loop
//! drains watchers when it chooses, and an idle watcher costs nothing.
//!
//! Mirrors the filtering of apiserver pkg/storage/cacher/cache_watcher.go
//! `convertToWatchEvent` (v1.34): an object that starts matching arrives as `ADDED`, one that
//! stops matching as `DELETED` (its previous state, at the event's resourceVersion).

use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

use api::Object;
use api::wire::View;
use machinery::fields::FieldSelector;
use machinery::labels::Selector;

use super::{compact, fieldsel};

/// The type of a watch event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

impl WatchEventType {
    /// The wire name, e.g. `ADDED`.
    pub fn as_str(self) -> &'static str {
        match self {
            WatchEventType::Added => "ADDED",
            WatchEventType::Modified => "MODIFIED",
            WatchEventType::Deleted => "DELETED",
        }
    }
}

/// One event delivered to a watcher.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEvent {
    pub event_type: WatchEventType,
    pub object: Arc<Object>,
}

/// Handle of an open watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WatchId(pub u64);

/// One write to a kind: `old` None for a create, `new` None for a removal.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub rv: u64,
    pub old: Option<Written>,
    pub new: Option<Written>,
}

/// An object a change replaced or wrote, as the store holds it: decoded (shared with the
/// store while the object is current and recently written) or, for an object the store keeps
/// compact (every event, and a store's older pods), its compact bytes (shared with the stored
/// entry), which watchers filter in place and decode only for a watcher that delivers the
/// change.
#[derive(Debug, Clone)]
pub(crate) enum Written {
    Decoded(Arc<Object>),
    /// Boxed, so a change of a history of decoded objects (a running `Cluster`'s) stays small.
    Compact(Box<Compacted>),
}

/// A compact object of the history: the bytes it shares with the store, and where their
/// namespace and labels are, found by the first watcher that filters the change.
#[derive(Debug, Clone)]
pub(crate) struct Compacted {
    bytes: Arc<[u8]>,
    at: OnceLock<compact::MetaAt>,
}

impl Written {
    /// An object kept in its compact form.
    pub fn compact(bytes: &Arc<[u8]>) -> Written {
        Written::Compact(Box::new(Compacted {
            bytes: Arc::clone(bytes),
            at: OnceLock::new(),
        }))
    }

    /// The written object.
    pub fn obj(&self) -> Arc<Object> {
        match self {
            Written::Decoded(obj) => Arc::clone(obj),
            Written::Compact(c) => compact::decode_shared(&c.bytes),
        }
    }
}

/// A kind's bounded change history.
#[derive(Debug, Default)]
pub(crate) struct ChangeLog {
    pub changes: VecDeque<Change>,
    /// Whether changes were ever dropped from the front (so old versions are unavailable).
    pub truncated: bool,
}

impl ChangeLog {
    pub fn push(&mut self, change: Change, limit: usize) {
        self.changes.push_back(change);
        while self.changes.len() > limit {
            self.changes.pop_front();
            self.truncated = true;
        }
    }

    /// Mirrors the watch cache check `resourceVersion < oldest-1`: whether watching from `rv`
    /// would miss dropped changes. Returns the `(requested, oldest-1)` pair for the message.
    pub fn too_old(&self, rv: u64, current: u64) -> Option<(u64, u64)> {
        if !self.truncated {
            return None;
        }
        let oldest = self.changes.front().map_or(current + 1, |c| c.rv);
        (rv + 1 < oldest).then_some((rv, oldest - 1))
    }

    /// The resourceVersion of the latest change kept, if any.
    pub fn last_rv(&self) -> Option<u64> {
        self.changes.back().map(|c| c.rv)
    }

    /// Changes with a resourceVersion greater than `rv`, oldest first.
    pub fn since(&self, rv: u64) -> impl Iterator<Item = &Change> {
        let start = self.changes.partition_point(|c| c.rv <= rv);
        self.changes.range(start..)
    }

    /// Has the change that wrote `obj` hold `bytes` (its compact form) instead, so the
    /// decoded object is freed once no reader holds it. Does nothing when that change has
    /// left the history or wrote another value.
    pub fn share_compact(&mut self, obj: &Arc<Object>, bytes: &Arc<[u8]>) {
        let Some(rv) = obj
            .meta()
            .resource_version
            .as_deref()
            .and_then(|v| v.parse::<u64>().ok())
        else {
            return;
        };
        let at = self.changes.partition_point(|c| c.rv < rv);
        if let Some(change) = self.changes.get_mut(at)
            && let Some(Written::Decoded(new)) = &change.new
            && Arc::ptr_eq(new, obj)
        {
            change.new = Some(Written::compact(bytes));
        }
    }
}

/// An open watch: which kind and objects, and how far it has read.
#[derive(Debug)]
pub(crate) struct Watcher {
    pub kind: usize,
    /// The registry row the watch was opened for, when it differs from the stored kind's
    /// (events.k8s.io Events are stored as core Events).
    pub served: Option<&'static api::KindInfo>,
    pub namespace: Option<String>,
    pub labels: Selector,
    pub fields: FieldSelector,
    /// Last resourceVersion delivered.
    pub cursor: u64,
    /// Synthetic `ADDED` events not yet delivered (unversioned start).
    pub initial: VecDeque<WatchEvent>,
}

impl Watcher {
    /// Whether `obj` passes the watcher's namespace, label and field filters.
    pub fn matches(&self, obj: &Object) -> bool {
        if let Some(ns) = &self.namespace
            && obj.namespace() != Some(ns.as_str())
        {
            return false;
        }
        let empty = std::collections::BTreeMap::new();
        let labels = obj.meta().labels.as_ref().unwrap_or(&empty);
        self.labels.matches(labels) && self.fields.matches(&|f| fieldsel::value(obj, f))
    }

    /// `matches` for a compact object, read from its bytes: the namespace, labels and
    /// selectable fields without decoding the rest, so a watcher decodes only the changes it
    /// delivers (filtering a compact pod's change by decoding it cost 70 times a decoded
    /// one's in the API benchmark's watch fan-out).
    pub fn matches_compact(&self, obj: &compact::Peek<'_>) -> bool {
        if let Some(ns) = &self.namespace
            && obj.namespace.and_then(View::str) != Some(ns.as_str())
        {
            return false;
        }
        self.labels
            .matches_by(|key| obj.labels.and_then(|l| l.get(key)).and_then(View::str))
            && self.fields.matches(&|f| fieldsel::compact_value(obj, f))
    }

    /// Whether the object `written` passes the filters, reading a compact one in place.
    fn matches_written(&self, written: &Written) -> bool {
        // The components' watches filter nothing: nothing to read.
        if self.namespace.is_none() && self.labels.is_empty() && self.fields.is_empty() {
            return true;
        }
        match written {
            Written::Decoded(obj) => self.matches(obj),
            Written::Compact(c) => {
                let at = c.at.get_or_init(|| compact::MetaAt::of(&c.bytes));
                match compact::Peek::known(&c.bytes, at) {
                    Some(peek) => self.matches_compact(&peek),
                    None => self.matches(&written.obj()),
                }
            }
        }
    }

    /// The event (if any) this watcher sees for `change`.
    pub fn convert(&self, change: &Change) -> Option<WatchEvent> {
        let mut event = self.convert_stored(change)?;
        if let Some(info) = self.served {
            event.object = super::versions::as_served(info, event.object);
        }
        Some(event)
    }

    fn convert_stored(&self, change: &Change) -> Option<WatchEvent> {
        // Decoded only when delivered: the old object only for a DELETED event.
        let old = change.old.as_ref().filter(|w| self.matches_written(w));
        let new = change
            .new
            .as_ref()
            .filter(|w| self.matches_written(w))
            .map(Written::obj);
        let new = new.as_ref();
        match (old, new) {
            (_, Some(n)) if change.old.is_none() => Some(event(WatchEventType::Added, n)),
            (Some(o), None) if change.new.is_none() => {
                Some(event(WatchEventType::Deleted, &o.obj()))
            }
            (Some(_), Some(n)) => Some(event(WatchEventType::Modified, n)),
            (None, Some(n)) => Some(event(WatchEventType::Added, n)),
            (Some(o), None) => {
                // Stopped matching: the previous state, stamped with this change's version.
                let mut prev = (*o.obj()).clone();
                prev.meta_mut().resource_version = Some(change.rv.to_string());
                Some(WatchEvent {
                    event_type: WatchEventType::Deleted,
                    object: Arc::new(prev),
                })
            }
            (None, None) => None,
        }
    }
}

fn event(event_type: WatchEventType, obj: &Arc<Object>) -> WatchEvent {
    WatchEvent {
        event_type,
        object: Arc::clone(obj),
    }
}
