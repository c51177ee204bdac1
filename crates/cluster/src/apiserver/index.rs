//! The store's tables and secondary indexes.
//!
//! Objects live in one slab of slots; every index holds slot numbers, so an index entry costs
//! a few bytes and never a copy of the object. Lookups use hash maps; anything that decides
//! output order goes through the `BTreeMap` of keys, which is also the API server's list order
//! (namespace, then name).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use api::{KindInfo, Object};

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

/// One stored object and its kind.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub kind: usize,
    pub obj: Arc<Object>,
}

/// The slab of stored objects.
#[derive(Debug, Default)]
pub(crate) struct Slab {
    slots: Vec<Option<Entry>>,
    free: Vec<Slot>,
}

impl Slab {
    pub fn insert(&mut self, entry: Entry) -> Slot {
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(entry);
                slot
            }
            None => {
                self.slots.push(Some(entry));
                (self.slots.len() - 1) as Slot
            }
        }
    }

    pub fn get(&self, slot: Slot) -> Option<&Entry> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    pub fn set(&mut self, slot: Slot, obj: Arc<Object>) {
        if let Some(Some(e)) = self.slots.get_mut(slot as usize) {
            e.obj = obj;
        }
    }

    pub fn remove(&mut self, slot: Slot) -> Option<Entry> {
        let e = self.slots.get_mut(slot as usize)?.take();
        if e.is_some() {
            self.free.push(slot);
        }
        e
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
