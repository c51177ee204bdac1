//! ClaimPods: which pods a selector-driven controller owns, adopts or lets go.
//!
//! Mirrors pkg/controller/controller_ref_manager.go (v1.34) `PodControllerRefManager`
//! (`ClaimPods`, `ClaimObject`, `AdoptPod`, `ReleasePod`), shared by the ReplicaSet (and so
//! ReplicationController) and Job controllers. A pod whose controller is the owner is kept while
//! the selector matches it and released when it no longer does; a pod without a controller that
//! the selector matches is adopted. An owner being deleted neither adopts nor releases.

use std::sync::Arc;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::labels::Selector;

use super::plan::Write;
use super::replicaset::controller_uid;

/// The owner a claim is made for.
pub struct Claimer<'a> {
    /// The controller reference adopted pods get (`NewControllerRef`).
    pub owner: metav1::OwnerReference,
    pub selector: &'a Selector,
    /// Whether the owner has a deletionTimestamp (`canAdopt` fails, nothing is released).
    pub deleting: bool,
    /// Finalizers added on adoption and taken off on release (the Job's tracking finalizer).
    pub finalizers: &'a [&'a str],
}

/// The claimed pods (adopted ones as they are after `AdoptPod`) and the writes that adopt or
/// release pods.
pub struct Claimed<'a> {
    pub pods: Vec<ClaimedPod<'a>>,
    pub writes: Vec<Write>,
}

/// A claimed pod: the stored one, or its adopted copy. The copy is boxed so the list stays
/// small: a `corev1::Pod` inline is kilobytes, and a ReplicaSet claims every pod it has on
/// each sync.
pub enum ClaimedPod<'a> {
    Kept(&'a corev1::Pod),
    Adopted(Box<corev1::Pod>),
}

impl std::ops::Deref for ClaimedPod<'_> {
    type Target = corev1::Pod;

    fn deref(&self) -> &corev1::Pod {
        match self {
            ClaimedPod::Kept(p) => p,
            ClaimedPod::Adopted(p) => p,
        }
    }
}

impl<'a> Claimed<'a> {
    /// The pods whose controller reference names `uid`, with nothing adopted or released.
    pub fn controlled_by(uid: &str, pods: &'a [Arc<Object>]) -> Self {
        let pods = pods
            .iter()
            .filter_map(|o| match &**o {
                Object::Pod(p) if controller_uid(&p.metadata) == Some(uid) => {
                    Some(ClaimedPod::Kept(p))
                }
                _ => None,
            })
            .collect();
        Claimed {
            pods,
            writes: Vec::new(),
        }
    }
}

impl Claimer<'_> {
    /// `ClaimPods` over `pods` (any objects that are not pods are skipped).
    pub fn claim<'p>(&self, pods: &'p [Arc<Object>]) -> Claimed<'p> {
        let uid = self.owner.uid.as_str();
        let mut claimed = Claimed {
            pods: Vec::with_capacity(pods.len()),
            writes: Vec::new(),
        };
        for o in pods {
            let Object::Pod(p) = &**o else { continue };
            let matches = self.selector.matches(super::labels_of(&p.metadata));
            match controller_uid(&p.metadata) {
                Some(owner) if owner == uid && matches => claimed.pods.push(ClaimedPod::Kept(p)),
                Some(owner) if owner == uid => {
                    if !self.deleting {
                        claimed.writes.push(Write::Update(Object::Pod(self.release(p))));
                    }
                }
                Some(_) => {}
                // Orphans being deleted are ignored (ClaimObject).
                None if matches && !self.deleting && p.metadata.deletion_timestamp.is_none() => {
                    let adopted = self.adopt(p);
                    claimed.writes.push(Write::Update(Object::Pod(adopted.clone())));
                    claimed.pods.push(ClaimedPod::Adopted(Box::new(adopted)));
                }
                None => {}
            }
        }
        claimed
    }

    /// `AdoptPod`: the controller reference and the claimer's finalizers added.
    fn adopt(&self, p: &corev1::Pod) -> corev1::Pod {
        let mut adopted = p.clone();
        adopted
            .metadata
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(self.owner.clone());
        let finalizers = adopted.metadata.finalizers.get_or_insert_with(Vec::new);
        for f in self.finalizers {
            if !finalizers.iter().any(|have| have == f) {
                finalizers.push((*f).to_string());
            }
        }
        adopted
    }

    /// `ReleasePod`: the owner reference and the claimer's finalizers taken off.
    fn release(&self, p: &corev1::Pod) -> corev1::Pod {
        let mut released = p.clone();
        if let Some(refs) = released.metadata.owner_references.as_mut() {
            refs.retain(|r| r.uid != self.owner.uid);
            if refs.is_empty() {
                released.metadata.owner_references = None;
            }
        }
        if let Some(fs) = released.metadata.finalizers.as_mut() {
            fs.retain(|f| !self.finalizers.contains(&f.as_str()));
            if fs.is_empty() {
                released.metadata.finalizers = None;
            }
        }
        released
    }
}
