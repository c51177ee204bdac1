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
use super::watch::{ChangeLog, Written};

/// A slot number in the slab.
pub(crate) type Slot = u32;

/// `(namespace or "", name)`.
pub(crate) type Key = (String, String);

/// Everything the store keeps about one kind.
#[derive(Debug)]
pub(crate) struct KindTable {
    pub info: &'static KindInfo,
    pub by_key: BTreeMap<Key, Slot>,
    /// Label key → value → objects carrying it (nested, so a write looks its labels up by
    /// reference and allocates keys only for a new key or value).
    pub labels: HashMap<String, HashMap<String, BTreeSet<Slot>>>,
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

    /// The keys and slots of namespace `ns` (None: every object), in key order.
    pub fn keys_in<'a>(
        &'a self,
        ns: Option<&'a str>,
    ) -> Box<dyn Iterator<Item = (&'a Key, &'a Slot)> + 'a> {
        match ns {
            Some(n) => Box::new(
                self.by_key
                    .range((n.to_string(), String::new())..)
                    .take_while(move |(k, _)| k.0 == n),
            ),
            None => Box::new(self.by_key.iter()),
        }
    }

    /// Adds `obj`'s label and node entries for `slot`.
    pub fn index(&mut self, slot: Slot, obj: &Object) {
        for (k, v) in obj.meta().labels.iter().flatten() {
            let values = match self.labels.get_mut(k) {
                Some(values) => values,
                None => self.labels.entry(k.clone()).or_default(),
            };
            match values.get_mut(v) {
                Some(set) => {
                    set.insert(slot);
                }
                None => {
                    values.insert(v.clone(), BTreeSet::from([slot]));
                }
            }
        }
        if let Some(node) = node_name(obj) {
            match self.by_node.get_mut(node) {
                Some(set) => {
                    set.insert(slot);
                }
                None => {
                    self.by_node.insert(node.to_string(), BTreeSet::from([slot]));
                }
            }
        }
    }

    /// Removes `obj`'s label and node entries for `slot`.
    pub fn unindex(&mut self, slot: Slot, obj: &Object) {
        for (k, v) in obj.meta().labels.iter().flatten() {
            let Some(values) = self.labels.get_mut(k) else {
                continue;
            };
            if let Some(set) = values.get_mut(v) {
                set.remove(&slot);
                if set.is_empty() {
                    values.remove(v);
                }
            }
            if values.is_empty() {
                self.labels.remove(k);
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

/// Slots by uid. A uid the store made (`names::new_uid`: 8-4-4-4-12 lowercase hex digits,
/// every stored object's) is kept as its 128 bits: as a string key it was a 36-byte
/// allocation and a hash over 36 bytes for every object, each of a pod's events included.
/// A uid spelled any other way has a map of its own, so a look-up finds exactly what it
/// found by text.
#[derive(Debug, Default)]
pub(crate) struct UidIndex {
    uuids: HashMap<(u64, u64), Slot>,
    other: HashMap<String, Slot>,
}

impl UidIndex {
    pub fn insert(&mut self, uid: &str, slot: Slot) {
        match uuid_bits(uid) {
            Some(bits) => self.uuids.insert(bits, slot),
            None => self.other.insert(uid.to_string(), slot),
        };
    }

    pub fn remove(&mut self, uid: &str) {
        match uuid_bits(uid) {
            Some(bits) => self.uuids.remove(&bits),
            None => self.other.remove(uid),
        };
    }

    pub fn get(&self, uid: &str) -> Option<Slot> {
        match uuid_bits(uid) {
            Some(bits) => self.uuids.get(&bits).copied(),
            None => self.other.get(uid).copied(),
        }
    }

    pub fn contains(&self, uid: &str) -> bool {
        self.get(uid).is_some()
    }
}

/// The 128 bits of a uid written as `names::new_uid` writes one; None for any other text
/// (upper-case digits, other lengths or dashes), which therefore never meets a made uid.
fn uuid_bits(uid: &str) -> Option<(u64, u64)> {
    let bytes = uid.as_bytes();
    if bytes.len() != 36 {
        return None;
    }
    let (mut hi, mut lo, mut digits) = (0_u64, 0_u64, 0);
    for (at, &c) in bytes.iter().enumerate() {
        if matches!(at, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        };
        if digits < 16 {
            hi = hi << 4 | u64::from(d);
        } else {
            lo = lo << 4 | u64::from(d);
        }
        digits += 1;
    }
    Some((hi, lo))
}

/// How many recently written pods stay decoded; older pods are kept compact.
///
/// Only a store on its own compacts pods (a running `Cluster` keeps every pod decoded), and
/// there a pod is mostly written once and read rarely, so the decoded set is small: the
/// decoded pods it holds (about 12 KB each over a few dozen allocations) still sit in the
/// CPU's caches when they leave it and are freed. At 1,024 freeing a pod that had gone cold
/// was 18 % of a create in the 150,000-pod API benchmark (docs/benchmarks.md, sixth round).
/// Watchers filter compact changes without decoding them (`Watcher::matches_compact`), so
/// a small set costs a watch only the decode of the changes it delivers. The watch history
/// shares the compact bytes of older pods (`Cooled`).
pub(crate) const DEFAULT_HOT_PODS: usize = 64;

/// One stored object and its kind.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub kind: usize,
    body: Body,
    /// The write that last made this pod one of the recently written (0: it is not); older
    /// marks in the hot queue are stale.
    hot_mark: u64,
}

#[derive(Debug, Clone)]
enum Body {
    /// A decoded object, and for a pod of a store that compacts pods its compact bytes, made
    /// as it was written (see `Slab::touch`).
    Hot(Arc<Object>, Option<Arc<[u8]>>),
    /// `compact::encode` bytes, shared with the watch history's entry for the same write.
    Cold(Arc<[u8]>),
}

/// A pod the slab just turned compact: the decoded object it held and its bytes, so the
/// store can have the watch history's entry for that write share the bytes (see
/// `ChangeLog::share_compact`) and the decoded pod is freed now rather than when the
/// history drops it.
#[derive(Debug)]
pub(crate) struct Cooled {
    pub kind: usize,
    pub obj: Arc<Object>,
    pub bytes: Arc<[u8]>,
}

impl Entry {
    pub fn new(kind: usize, obj: Arc<Object>) -> Entry {
        Entry {
            kind,
            body: Body::Hot(obj, None),
            hot_mark: 0,
        }
    }

    /// The stored object (decoded again when it is kept compact).
    pub fn obj(&self) -> Arc<Object> {
        match &self.body {
            Body::Hot(obj, _) => Arc::clone(obj),
            Body::Cold(bytes) => compact::decode_shared(bytes),
        }
    }

    /// The stored object's `metadata.resourceVersion`, read in place (a compact object is
    /// not decoded).
    pub fn resource_version(&self) -> Option<&str> {
        match &self.body {
            Body::Hot(obj, _) => obj.meta().resource_version.as_deref(),
            Body::Cold(bytes) => {
                compact::Peek::new(bytes)?.str_at(&["metadata", "resourceVersion"])
            }
        }
    }

    /// The stored object in the form it is kept, for the watch history to share: a compact
    /// one is not decoded.
    pub fn written(&self) -> Written {
        match &self.body {
            Body::Hot(obj, _) => Written::Decoded(Arc::clone(obj)),
            Body::Cold(bytes) => Written::compact(bytes),
        }
    }
}

/// The slab of stored objects.
#[derive(Debug)]
pub(crate) struct Slab {
    slots: Vec<Option<Entry>>,
    free: Vec<Slot>,
    /// Pod slots in the order of their writes, oldest first, with the write's mark; a slot
    /// written again has a newer entry, and its older ones are stale.
    hot: VecDeque<(Slot, u64)>,
    /// How many distinct pods are in `hot` (entries whose mark is current).
    hot_pods: usize,
    hot_limit: usize,
    writes: u64,
    /// Pods compacted since the store last took them (`drain_cooled`).
    cooled: Vec<Cooled>,
}

impl Default for Slab {
    fn default() -> Slab {
        Slab {
            slots: Vec::new(),
            free: Vec::new(),
            hot: VecDeque::new(),
            hot_pods: 0,
            hot_limit: DEFAULT_HOT_PODS,
            writes: 0,
            cooled: Vec::new(),
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
            e.body = Body::Hot(obj, None);
            self.touch(slot);
        }
    }

    pub fn remove(&mut self, slot: Slot) -> Option<Entry> {
        let e = self.slots.get_mut(slot as usize)?.take();
        if let Some(e) = &e {
            self.free.push(slot);
            if e.hot_mark != 0 {
                self.hot_pods -= 1;
            }
        }
        e
    }

    /// Sets how many recently written pods stay decoded (0: every pod is compacted at once).
    pub fn set_hot_limit(&mut self, limit: usize) {
        self.hot_limit = limit;
        self.cool();
    }

    /// The pods compacted since the last call (writes and `set_hot_limit` compact them), for
    /// the store to share their bytes with the watch history.
    pub fn drain_cooled(&mut self) -> std::vec::Drain<'_, Cooled> {
        self.cooled.drain(..)
    }

    /// Marks `slot` as just written, then compacts the pods that fell out of the most
    /// recently written `hot_limit`; an event is compacted as it is written. Only pods are
    /// counted, and each once however often it is written: a big cluster's stream of Lease
    /// renewals, node status, events and pod status would otherwise push every pod out in
    /// seconds (the 5,000-node preset then decoded its 5,000 kube-proxy pods on every
    /// DaemonSet sync).
    fn touch(&mut self, slot: Slot) {
        self.writes += 1;
        let Some(Some(e)) = self.slots.get_mut(slot as usize) else {
            return;
        };
        // Events go compact at once (see `compact`); the watch history holds the new one.
        if let Body::Hot(obj, _) = &e.body
            && matches!(**obj, Object::Event(_))
        {
            if let Some(bytes) = compact::encode(obj) {
                e.body = Body::Cold(bytes);
            }
            return;
        }
        let Body::Hot(obj, early) = &mut e.body else {
            return;
        };
        if !matches!(**obj, Object::Pod(_)) {
            return;
        }
        // A store that compacts pods encodes each as it is written, while the pod is still in
        // the CPU's cache: by the time `hot_limit` more pods are written it is not, and an
        // encode that reads a decoded pod (about 12 KB over a few dozen allocations) back from
        // memory was 35–45 % of a create in the 150,000-pod API benchmark (docs/benchmarks.md,
        // fifth round). A pod written again before it cools is encoded again.
        if self.hot_limit != usize::MAX && early.is_none() {
            *early = compact::encode(obj);
        }
        if e.hot_mark == 0 {
            self.hot_pods += 1;
        }
        e.hot_mark = self.writes;
        self.hot.push_back((slot, self.writes));
        self.cool();
        // Stale entries of pods written again and again would grow the queue without bound.
        if self.hot.len() > 4 * self.hot_pods.max(1024) {
            let slots = &self.slots;
            self.hot.retain(|(slot, mark)| {
                slots
                    .get(*slot as usize)
                    .and_then(Option::as_ref)
                    .is_some_and(|e| e.hot_mark == *mark)
            });
        }
    }

    fn cool(&mut self) {
        while self.hot_pods > self.hot_limit {
            let Some((slot, mark)) = self.hot.pop_front() else {
                return;
            };
            // A slot rewritten or reused since this mark is still hot.
            let Some(Some(e)) = self.slots.get_mut(slot as usize) else {
                continue;
            };
            if e.hot_mark != mark {
                continue;
            }
            e.hot_mark = 0;
            self.hot_pods -= 1;
            // A pod whose times the form cannot carry stays decoded.
            let bytes = match &mut e.body {
                Body::Hot(obj, early) => early.take().or_else(|| compact::encode(obj)),
                Body::Cold(_) => None,
            };
            if let Some(bytes) = bytes {
                let body = std::mem::replace(&mut e.body, Body::Cold(Arc::clone(&bytes)));
                if let Body::Hot(obj, _) = body {
                    self.cooled.push(Cooled {
                        kind: e.kind,
                        obj,
                        bytes,
                    });
                }
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::{Slot, UidIndex};
    use crate::rng::SimRng;

    /// Inserts, removes and look-ups over made uids and other spellings (upper case, moved
    /// or missing dashes, other lengths, non-hex) answer exactly as a map keyed by the text.
    #[test]
    fn the_uid_index_answers_as_a_map_of_the_uid_text() {
        let mut rng = SimRng::seeded(11);
        let mut uids: Vec<String> = (0..40)
            .map(|_| crate::apiserver::names::new_uid(&mut rng))
            .collect();
        let made = uids.clone();
        for uid in &made[..10] {
            uids.push(uid.to_uppercase());
            uids.push(uid.replacen('-', "", 1));
            uids.push(format!("{}-", &uid[..35]));
            uids.push(uid.replace('-', "_"));
            uids.push(format!("{}g{}", &uid[..3], &uid[4..]));
            uids.push(uid[..35].to_string());
        }
        let odd = ["", "u-1", "ns/name", "00000000-0000-0000-0000-000000000000"];
        uids.extend(odd.map(String::from));
        let mut index = UidIndex::default();
        let mut text: HashMap<String, Slot> = HashMap::new();
        let mut roll = move |n: u64| u64::from(rng.below(u32::try_from(n).expect("small")));
        let (mut found, mut missed) = (0, 0);
        for step in 0..5_000_u32 {
            let uid = &uids[roll(uids.len() as u64) as usize];
            match roll(3) {
                0 => {
                    index.insert(uid, step);
                    text.insert(uid.clone(), step);
                }
                1 => {
                    index.remove(uid);
                    text.remove(uid);
                }
                _ => {}
            }
            for probe in [uid, &uids[roll(uids.len() as u64) as usize]] {
                let want = text.get(probe).copied();
                assert_eq!(index.get(probe), want, "{probe:?}");
                assert_eq!(index.contains(probe), want.is_some());
                found += usize::from(want.is_some());
                missed += usize::from(want.is_none());
            }
        }
        assert!(found > 1_000 && missed > 1_000, "{found} {missed}");
        assert!(!index.uuids.is_empty() && !index.other.is_empty());
    }
}
