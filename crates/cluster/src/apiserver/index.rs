//! The store's tables and secondary indexes.
//!
//! Objects live in one slab of slots; every index holds slot numbers, so an index entry costs
//! a few bytes and never a copy of the object. Lookups use hash maps; anything that decides
//! output order goes through the `BTreeMap` of keys, which is also the API server's list order
//! (namespace, then name).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use api::{KindInfo, Object};

use super::compact;
use super::watch::ChangeLog;

/// A slot number in the slab.
pub(crate) type Slot = u32;

/// `(namespace or "", name)`.
pub(crate) type Key = (String, String);

/// Everything the store keeps about one kind.
#[derive(Debug)]
pub(crate) struct KindTable {
    pub info: &'static KindInfo,
    pub by_key: BTreeMap<Key, Slot>,
    /// `(label key, value)` → objects carrying it.
    pub labels: HashMap<(String, String), BTreeSet<Slot>>,
    /// Pods by `spec.nodeName` (only filled for pods).
    pub by_node: HashMap<String, BTreeSet<Slot>>,
    pub log: ChangeLog,
}

impl KindTable {
    pub fn new(info: &'static KindInfo) -> KindTable {
        KindTable {
            info,
            by_key: BTreeMap::new(),
            labels: HashMap::new(),
            by_node: HashMap::new(),
            log: ChangeLog::default(),
        }
    }

    /// Adds `obj`'s label and node entries for `slot`.
    pub fn index(&mut self, slot: Slot, obj: &Object) {
        for (k, v) in obj.meta().labels.iter().flatten() {
            self.labels
                .entry((k.clone(), v.clone()))
                .or_default()
                .insert(slot);
        }
        if let Some(node) = node_name(obj) {
            self.by_node
                .entry(node.to_string())
                .or_default()
                .insert(slot);
        }
    }

    /// Removes `obj`'s label and node entries for `slot`.
    pub fn unindex(&mut self, slot: Slot, obj: &Object) {
        for (k, v) in obj.meta().labels.iter().flatten() {
            let key = (k.clone(), v.clone());
            if let Some(set) = self.labels.get_mut(&key) {
                set.remove(&slot);
                if set.is_empty() {
                    self.labels.remove(&key);
                }
            }
        }
        if let Some(node) = node_name(obj)
            && let Some(set) = self.by_node.get_mut(node)
        {
            set.remove(&slot);
            if set.is_empty() {
                self.by_node.remove(node);
            }
        }
    }

    /// Re-indexes `slot` from `old` to `new`, touching only what changed.
    pub fn reindex(&mut self, slot: Slot, old: &Object, new: &Object) {
        if old.meta().labels != new.meta().labels || node_name(old) != node_name(new) {
            self.unindex(slot, old);
            self.index(slot, new);
        }
    }
}

/// How many recent writes keep their object decoded; older pods are kept compact.
///
/// Larger than any lab or the 5,000-pod cluster benchmark, so those never decode on read;
/// the 150,000-pod API benchmark keeps this many decoded (as its watch history does anyway).
pub(crate) const DEFAULT_HOT_WRITES: usize = 8_192;

/// One stored object and its kind.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub kind: usize,
    body: Body,
    /// The write that last made this entry hot; older marks in the hot queue are stale.
    hot_mark: u64,
}

#[derive(Debug, Clone)]
enum Body {
    Hot(Arc<Object>),
    /// `compact::encode` bytes.
    Cold(Box<[u8]>),
}

impl Entry {
    pub fn new(kind: usize, obj: Arc<Object>) -> Entry {
        Entry {
            kind,
            body: Body::Hot(obj),
            hot_mark: 0,
        }
    }

    /// The stored object (decoded again when it is kept compact).
    pub fn obj(&self) -> Arc<Object> {
        match &self.body {
            Body::Hot(obj) => Arc::clone(obj),
            // `encode` checked that the bytes decode to the same object, so this fallback
            // (an empty pod) is unreachable.
            Body::Cold(bytes) => {
                Arc::new(compact::decode(bytes).unwrap_or_else(|| Object::Pod(Default::default())))
            }
        }
    }
}

/// The slab of stored objects.
#[derive(Debug)]
pub(crate) struct Slab {
    slots: Vec<Option<Entry>>,
    free: Vec<Slot>,
    /// Slots written most recently, oldest first, with the write's mark.
    hot: VecDeque<(Slot, u64)>,
    hot_limit: usize,
    writes: u64,
}

impl Default for Slab {
    fn default() -> Slab {
        Slab {
            slots: Vec::new(),
            free: Vec::new(),
            hot: VecDeque::new(),
            hot_limit: DEFAULT_HOT_WRITES,
            writes: 0,
        }
    }
}

impl Slab {
    pub fn insert(&mut self, entry: Entry) -> Slot {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(entry);
                slot
            }
            None => {
                self.slots.push(Some(entry));
                (self.slots.len() - 1) as Slot
            }
        };
        self.touch(slot);
        slot
    }

    pub fn get(&self, slot: Slot) -> Option<&Entry> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    pub fn set(&mut self, slot: Slot, obj: Arc<Object>) {
        if let Some(Some(e)) = self.slots.get_mut(slot as usize) {
            e.body = Body::Hot(obj);
            self.touch(slot);
        }
    }

    pub fn remove(&mut self, slot: Slot) -> Option<Entry> {
        let e = self.slots.get_mut(slot as usize)?.take();
        if e.is_some() {
            self.free.push(slot);
        }
        e
    }

    /// Sets how many recent writes stay decoded (0: every pod is compacted at once).
    pub fn set_hot_limit(&mut self, limit: usize) {
        self.hot_limit = limit;
        self.cool();
    }

    /// Marks `slot` as just written, then compacts what fell out of the recent writes.
    fn touch(&mut self, slot: Slot) {
        self.writes += 1;
        if let Some(Some(e)) = self.slots.get_mut(slot as usize) {
            e.hot_mark = self.writes;
        }
        self.hot.push_back((slot, self.writes));
        self.cool();
    }

    fn cool(&mut self) {
        while self.hot.len() > self.hot_limit {
            let Some((slot, mark)) = self.hot.pop_front() else {
                return;
            };
            // A slot rewritten or reused since this mark is still hot.
            if let Some(Some(e)) = self.slots.get_mut(slot as usize)
                && e.hot_mark == mark
                && let Body::Hot(obj) = &e.body
                && let Some(bytes) = compact::encode(obj)
            {
                e.body = Body::Cold(bytes);
            }
        }
    }
}

/// The node a pod is bound to, if any.
pub(crate) fn node_name(obj: &Object) -> Option<&str> {
    match obj {
        Object::Pod(p) => p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .filter(|n| !n.is_empty()),
        _ => None,
    }
}
