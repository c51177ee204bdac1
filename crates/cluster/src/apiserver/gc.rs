//! The garbage collector and the namespace finalizer, run by the simulation loop.
//!
//! Mirrors the outcomes (not the informer machinery) of pkg/controller/garbagecollector
//! (`attemptToDeleteItem`, `orphanDependents`, foreground processing) and
//! pkg/controller/namespace/deletion (v1.34):
//! - an owner removed in the background: dependents whose every owner is gone are deleted;
//!   dangling references are removed from dependents that still have a live owner;
//! - `orphan` finalizer: owner references to the owner are removed, then the finalizer;
//! - `foregroundDeletion` finalizer: dependents are deleted (in the foreground when they block
//!   the owner) and the finalizer is removed once no blocking dependent remains;
//! - a terminating namespace: everything in it is deleted, then the namespace.
//!
//! The work is queued by writes and done by [`Store::collect_garbage`], so it happens when the
//! event loop chooses, like the asynchronous controllers it stands for.

use std::collections::BTreeSet;
use std::sync::Arc;

use api::Object;

use super::nsconditions;
use super::options::{DeleteOptions, PropagationPolicy};
use super::store::{FOREGROUND_FINALIZER, ORPHAN_FINALIZER, Store, namespaces_info};

/// Work waiting for the collector.
#[derive(Debug, Default)]
pub(crate) struct GcQueue {
    removed_owners: BTreeSet<String>,
    deleting: BTreeSet<String>,
    namespaces: BTreeSet<String>,
}

impl GcQueue {
    pub fn owner_removed(&mut self, uid: &str) {
        self.removed_owners.insert(uid.to_string());
    }

    pub fn touch(&mut self, uid: Option<&str>) {
        if let Some(uid) = uid {
            self.deleting.insert(uid.to_string());
        }
    }

    pub fn namespace_changed(&mut self, ns: &str) {
        self.namespaces.insert(ns.to_string());
    }

    fn is_empty(&self) -> bool {
        self.removed_owners.is_empty() && self.deleting.is_empty() && self.namespaces.is_empty()
    }
}

impl Store {
    /// Runs the collector and namespace finalizer until nothing more can happen now.
    ///
    /// Returns how many rounds did work. Objects waiting on a grace period or on a foreign
    /// finalizer stay queued and are looked at again on the next call.
    pub fn collect_garbage(&mut self) -> usize {
        let mut rounds = 0;
        // Each round can only enable work on strictly fewer objects; the cap guards against a
        // bug turning into a hang.
        while !self.gc.is_empty() && rounds < 64 {
            let before = self.rv;
            let removed = std::mem::take(&mut self.gc.removed_owners);
            for uid in removed {
                self.process_removed_owner(&uid);
            }
            let deleting = std::mem::take(&mut self.gc.deleting);
            for uid in deleting {
                self.process_deleting(&uid);
            }
            let namespaces = std::mem::take(&mut self.gc.namespaces);
            for ns in namespaces {
                self.process_namespace(&ns);
            }
            if self.rv == before {
                break;
            }
            rounds += 1;
        }
        rounds
    }

    /// True when the collector has queued work (the loop can skip calling it otherwise).
    pub fn has_garbage(&self) -> bool {
        !self.gc.is_empty()
    }

    fn process_removed_owner(&mut self, uid: &str) {
        for dep in self.dependents_of(uid) {
            let refs = dep.meta().owner_references.clone().unwrap_or_default();
            let live: Vec<_> = refs
                .iter()
                .filter(|r| self.uids.contains(&r.uid))
                .collect();
            if live.is_empty() {
                if dep.meta().deletion_timestamp.is_none() {
                    let _ = self.delete(
                        dep.kind_info(),
                        dep.namespace(),
                        dep.name(),
                        &DeleteOptions {
                            propagation_policy: Some(PropagationPolicy::Background),
                            ..Default::default()
                        },
                    );
                }
            } else {
                let keep: Vec<_> = refs
                    .iter()
                    .filter(|r| self.uids.contains(&r.uid))
                    .cloned()
                    .collect();
                self.set_owner_refs(&dep, keep);
            }
        }
    }

    fn process_deleting(&mut self, uid: &str) {
        let Some(owner) = self.get_by_uid(uid) else {
            return;
        };
        let finalizers = owner.meta().finalizers.clone().unwrap_or_default();
        if finalizers.iter().any(|f| f == ORPHAN_FINALIZER) {
            for dep in self.dependents_of(uid) {
                let keep: Vec<_> = dep
                    .meta()
                    .owner_references
                    .iter()
                    .flatten()
                    .filter(|r| r.uid != uid)
                    .cloned()
                    .collect();
                self.set_owner_refs(&dep, keep);
            }
            self.remove_finalizer(&owner, ORPHAN_FINALIZER);
            return;
        }
        if finalizers.iter().any(|f| f == FOREGROUND_FINALIZER) {
            let mut blocking = false;
            for dep in self.dependents_of(uid) {
                let blocks = dep
                    .meta()
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|r| r.uid == uid && r.block_owner_deletion == Some(true));
                blocking |= blocks;
                if dep.meta().deletion_timestamp.is_none() {
                    let policy = if blocks {
                        PropagationPolicy::Foreground
                    } else {
                        PropagationPolicy::Background
                    };
                    let _ = self.delete(
                        dep.kind_info(),
                        dep.namespace(),
                        dep.name(),
                        &DeleteOptions {
                            propagation_policy: Some(policy),
                            ..Default::default()
                        },
                    );
                }
            }
            if blocking {
                // Still waiting: look again once dependents change.
                self.gc.touch(Some(uid));
            } else if let Some(owner) = self.get_by_uid(uid) {
                self.remove_finalizer(&owner, FOREGROUND_FINALIZER);
            }
        }
    }

    fn process_namespace(&mut self, ns: &str) {
        let nsinfo = namespaces_info();
        let Ok(nsobj) = self.get(nsinfo, None, ns) else {
            return;
        };
        if nsobj.meta().deletion_timestamp.is_none() {
            return;
        }
        for v in self.namespace_content(ns) {
            if v.meta().deletion_timestamp.is_none() {
                let _ = self.delete(
                    v.kind_info(),
                    v.namespace(),
                    v.name(),
                    &DeleteOptions::default(),
                );
            }
        }
        // What is left waits on a grace period or a finalizer; the namespace stays
        // Terminating and says so in its conditions.
        let left = self.namespace_content(ns);
        let t = self.table_index(nsinfo);
        let Some((slot, current)) = self.lookup(t, &(String::new(), ns.to_string())) else {
            return;
        };
        if left.is_empty() {
            self.commit_remove(t, slot);
            return;
        }
        let mut next = (*current).clone();
        if let Object::Namespace(n) = &mut next {
            let status = n.status.get_or_insert_with(Default::default);
            nsconditions::update(status, &left, self.now.to_time());
        }
        if next != *current {
            self.commit_replace(t, slot, next);
        }
    }

    /// Every object in namespace `ns`, kind by kind.
    fn namespace_content(&self, ns: &str) -> Vec<Arc<Object>> {
        let mut out = Vec::new();
        for table in self.tables.iter().filter(|t| t.info.namespaced) {
            for (_, slot) in table
                .by_key
                .range((ns.to_string(), String::new())..)
                .take_while(|(k, _)| k.0 == ns)
            {
                out.extend(self.slab.get(*slot).map(super::index::Entry::obj));
            }
        }
        out
    }

    fn set_owner_refs(
        &mut self,
        dep: &Object,
        refs: Vec<k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference>,
    ) {
        let t = self.table_index(dep.kind_info());
        let key = super::store::key_of(dep.kind_info(), dep.namespace(), dep.name());
        if let Some((slot, cur)) = self.lookup(t, &key) {
            let mut next = (*cur).clone();
            next.meta_mut().owner_references = if refs.is_empty() { None } else { Some(refs) };
            if next != *cur {
                self.commit_replace(t, slot, next);
            }
        }
    }

    fn remove_finalizer(&mut self, obj: &Object, finalizer: &str) {
        let t = self.table_index(obj.kind_info());
        let key = super::store::key_of(obj.kind_info(), obj.namespace(), obj.name());
        let Some((slot, cur)) = self.lookup(t, &key) else {
            return;
        };
        let mut next = (*cur).clone();
        let m = next.meta_mut();
        let mut fins = m.finalizers.take().unwrap_or_default();
        fins.retain(|f| f != finalizer);
        let done = fins.is_empty() && m.deletion_grace_period_seconds.unwrap_or(0) == 0;
        m.finalizers = if fins.is_empty() { None } else { Some(fins) };
        self.commit_replace(t, slot, next);
        if done && cur.meta().deletion_timestamp.is_some() {
            self.commit_remove(t, slot);
        }
    }
}
