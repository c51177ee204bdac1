//! Persistent storage: the PV controller's claim and volume loops, minikube's hostpath
//! provisioner, and the scheduler's VolumeBinding PreFilter and PreBind.
//!
//! Mirrors pkg/controller/volume/persistentvolume/pv_controller.go (v1.34): `syncClaim`
//! binds a claim to the smallest Available volume that satisfies its size, access modes,
//! class, volume mode and selector (`findBestMatchForClaim`), or asks the class's external
//! provisioner; `syncVolume` marks volumes Available, Bound or Released and applies the
//! reclaim policy (Retain keeps the volume Released, Delete removes it, Recycle leaves it
//! Released for `RECYCLE_DURATION`, then makes it Available again). Claims and volumes are
//! re-examined every 15 s (`syncPeriod`) as the controller's resync does, which repeats the
//! `FailedBinding` event as upstream.
//!
//! A WaitForFirstConsumer claim waits (event `WaitForFirstConsumer`) until the scheduler has
//! picked a node for a pod using it and written `volume.kubernetes.io/selected-node`
//! (`binding::pre_bind`); then it is bound or provisioned like an Immediate one, and the
//! scheduler binds the pod.
//!
//! The chosen node constrains the volume: a WaitForFirstConsumer claim is bound only to a
//! volume whose node affinity admits its selected node, and the scheduler's VolumeBinding
//! filter (`binding::node_conflicts`) keeps pods off nodes where no such volume is left and
//! the class cannot provision one.
//!
//! Deliberate gaps: the Recycle scrubber pod is not run (data stays); the PV controller, not
//! the scheduler, binds the claim to the volume once the node is chosen (upstream's
//! scheduler writes the volume's claimRef itself); a pod waiting in PreBind waits without
//! upstream's 10-minute bind timeout.

pub mod attachdetach;
pub mod binding;
pub mod protection;
pub mod provisioner;

use std::collections::BTreeMap;

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::storage::v1 as storagev1;
use machinery::labels::Selector;
use machinery::quantity::Quantity;

use super::kind_of;
use super::plan::{EventRecord, Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::{Store, WatchEvent};
use crate::time::{SimDuration, SimTime};

/// How long the recycler takes from Released to Available. Upstream runs a
/// `recycler-for-<pv>` pod that deletes the volume's files; kubelab waits about as long as
/// that pod's start and run take, without running it.
pub const RECYCLE_DURATION: SimDuration = SimDuration::from_secs(5);

/// The PV controller's resync period (`--pvclaimbinder-sync-period`).
pub const SYNC_PERIOD: SimDuration = SimDuration::from_secs(15);

/// Annotations the binder and provisioners write.
pub const ANN_BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
pub const ANN_BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
pub const ANN_PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";
pub const ANN_STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
pub const ANN_BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
pub const ANN_DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";
/// The node the scheduler chose for a WaitForFirstConsumer claim's pod.
pub const ANN_SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

/// The claim loop of the PV controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClaimBinder;

/// The volume loop of the PV controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct VolumeBinder;

impl Reconciler for ClaimBinder {
    fn name(&self) -> &'static str {
        "persistentvolume-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::PersistentVolumeClaim>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![
            kind_of::<corev1::PersistentVolume>(),
            kind_of::<storagev1::StorageClass>(),
        ]
    }

    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        match &*event.object {
            // A new or freed volume may satisfy any pending claim.
            Object::PersistentVolume(_) | Object::StorageClass(_) => pending_claims(store),
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(Plan::none());
        };
        let Object::PersistentVolumeClaim(claim) = &*obj else {
            return Ok(Plan::none());
        };
        Ok(sync_claim(claim, store, now))
    }
}

impl Reconciler for VolumeBinder {
    fn name(&self) -> &'static str {
        "persistentvolume-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::PersistentVolume>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::PersistentVolumeClaim>()]
    }

    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        let Object::PersistentVolumeClaim(c) = &*event.object else {
            return Vec::new();
        };
        let ns = c.metadata.namespace.as_deref().unwrap_or("");
        let name = c.metadata.name.as_deref().unwrap_or("");
        list_volumes(store)
            .iter()
            .filter(|v| {
                v.spec
                    .as_ref()
                    .and_then(|s| s.claim_ref.as_ref())
                    .is_some_and(|r| {
                        r.namespace.as_deref() == Some(ns) && r.name.as_deref() == Some(name)
                    })
            })
            .map(|v| ObjectKey::new(None, v.metadata.name.as_deref().unwrap_or("")))
            .collect()
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), None, &key.name) else {
            return Ok(Plan::none());
        };
        let Object::PersistentVolume(pv) = &*obj else {
            return Ok(Plan::none());
        };
        Ok(sync_volume(pv, store, now))
    }
}

/// Mirrors GetPersistentVolumeClaimClass: `spec.storageClassName`, else the beta
/// annotation, else "".
pub fn claim_class(c: &corev1::PersistentVolumeClaim) -> String {
    c.spec
        .as_ref()
        .and_then(|s| s.storage_class_name.clone())
        .or_else(|| {
            c.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class").cloned())
        })
        .unwrap_or_default()
}

fn volume_class(v: &corev1::PersistentVolume) -> String {
    v.spec
        .as_ref()
        .and_then(|s| s.storage_class_name.clone())
        .unwrap_or_default()
}

/// The claims a pod's volumes name.
pub fn claim_names(p: &corev1::Pod) -> Vec<String> {
    p.spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
        .filter_map(|v| {
            v.persistent_volume_claim
                .as_ref()
                .map(|c| c.claim_name.clone())
        })
        .collect()
}

pub(crate) fn list_volumes(store: &Store) -> Vec<corev1::PersistentVolume> {
    store
        .list(
            kind_of::<corev1::PersistentVolume>(),
            None,
            &Default::default(),
        )
        .map(|l| l.items)
        .unwrap_or_default()
        .iter()
        .filter_map(|o| match &**o {
            Object::PersistentVolume(v) => Some(v.clone()),
            _ => None,
        })
        .collect()
}

fn pending_claims(store: &Store) -> Vec<ObjectKey> {
    store
        .list(
            kind_of::<corev1::PersistentVolumeClaim>(),
            None,
            &Default::default(),
        )
        .map(|l| l.items)
        .unwrap_or_default()
        .iter()
        .filter_map(|o| match &**o {
            Object::PersistentVolumeClaim(c)
                if c.spec
                    .as_ref()
                    .and_then(|s| s.volume_name.as_deref())
                    .is_none_or(str::is_empty) =>
            {
                Some(ObjectKey::of(o))
            }
            _ => None,
        })
        .collect()
}

/// The StorageClass named `name`, if any.
pub fn storage_class(store: &Store, name: &str) -> Option<storagev1::StorageClass> {
    match store
        .get(kind_of::<storagev1::StorageClass>(), None, name)
        .as_deref()
    {
        Ok(Object::StorageClass(sc)) => Some(sc.clone()),
        _ => None,
    }
}

/// The default StorageClass (the newest one marked default, as upstream picks).
pub fn default_class(store: &Store) -> Option<storagev1::StorageClass> {
    store
        .list(
            kind_of::<storagev1::StorageClass>(),
            None,
            &Default::default(),
        )
        .ok()?
        .items
        .iter()
        .filter_map(|o| match &**o {
            Object::StorageClass(sc)
                if sc
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| {
                        a.get(ANN_DEFAULT_CLASS)
                            .or_else(|| a.get("storageclass.beta.kubernetes.io/is-default-class"))
                    })
                    .is_some_and(|v| v == "true") =>
            {
                Some(sc.clone())
            }
            _ => None,
        })
        .max_by(|a, b| {
            a.metadata
                .creation_timestamp
                .cmp(&b.metadata.creation_timestamp)
                .then_with(|| b.metadata.name.cmp(&a.metadata.name))
        })
}

fn storage_of(
    m: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> i64 {
    m.and_then(|m| m.get("storage"))
        .and_then(|q| Quantity::parse(&q.0).ok())
        .map_or(0, |q| q.value())
}

fn claim_ref_matches(r: &corev1::ObjectReference, c: &corev1::PersistentVolumeClaim) -> bool {
    r.namespace == c.metadata.namespace
        && r.name == c.metadata.name
        && (r.uid.as_deref().is_none_or(str::is_empty) || r.uid == c.metadata.uid)
}

/// Mirrors findBestMatchForClaim: a volume pre-bound to the claim wins; otherwise the
/// smallest Available volume that satisfies the claim.
pub fn find_best_match(
    claim: &corev1::PersistentVolumeClaim,
    volumes: &[corev1::PersistentVolume],
) -> Option<corev1::PersistentVolume> {
    find_best_match_on(claim, volumes.iter(), None).cloned()
}

/// A node a volume must be reachable from: its name and labels.
pub type NodeRef<'a> = (&'a str, &'a BTreeMap<String, String>);

/// Whether `pv`'s required node affinity admits the node (volume.CheckNodeAffinity in
/// component-helpers/storage/volume; a volume without one is reachable from every node).
pub fn volume_admits_node(pv: &corev1::PersistentVolume, (name, labels): NodeRef<'_>) -> bool {
    let Some(required) = pv
        .spec
        .as_ref()
        .and_then(|s| s.node_affinity.as_ref())
        .and_then(|a| a.required.as_ref())
    else {
        return true;
    };
    let terms: Vec<machinery::scheduling::NodeSelectorTerm> = required
        .node_selector_terms
        .iter()
        .map(crate::scheduler::filter::term)
        .collect();
    machinery::scheduling::match_node_selector_terms(&terms, name, labels)
}

/// FindMatchingVolume: [`find_best_match`] among `volumes`, and with a node (the
/// scheduler's node, or a WaitForFirstConsumer claim's selected node) only among volumes
/// reachable from it; a volume pre-bound to the claim but not reachable matches nothing.
pub fn find_best_match_on<'v>(
    claim: &corev1::PersistentVolumeClaim,
    volumes: impl Iterator<Item = &'v corev1::PersistentVolume>,
    node: Option<NodeRef<'_>>,
) -> Option<&'v corev1::PersistentVolume> {
    let spec = claim.spec.clone().unwrap_or_default();
    let requested = storage_of(spec.resources.as_ref().and_then(|r| r.requests.as_ref()));
    let class = claim_class(claim);
    let mode = spec
        .volume_mode
        .clone()
        .unwrap_or_else(|| "Filesystem".into());
    let wanted_modes = spec.access_modes.clone().unwrap_or_default();
    let selector = spec.selector.as_ref().map(|s| {
        let exprs: Vec<(String, String, Vec<String>)> = s
            .match_expressions
            .iter()
            .flatten()
            .map(|e| {
                (
                    e.key.clone(),
                    e.operator.clone(),
                    e.values.clone().unwrap_or_default(),
                )
            })
            .collect();
        Selector::from_parts(&s.match_labels.clone().unwrap_or_default(), &exprs)
    });
    let mut best: Option<(i64, &corev1::PersistentVolume)> = None;
    for v in volumes {
        if v.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let reachable = node.is_none_or(|n| volume_admits_node(v, n));
        let vs = v.spec.clone().unwrap_or_default();
        let pre_bound = vs
            .claim_ref
            .as_ref()
            .is_some_and(|r| claim_ref_matches(r, claim));
        if vs.claim_ref.is_some() && !pre_bound {
            continue;
        }
        let size = storage_of(vs.capacity.as_ref());
        if vs
            .volume_mode
            .clone()
            .unwrap_or_else(|| "Filesystem".into())
            != mode
        {
            continue;
        }
        if pre_bound {
            return reachable.then_some(v);
        }
        if !reachable {
            continue;
        }
        if v.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Available") {
            continue;
        }
        if volume_class(v) != class {
            continue;
        }
        if let Some(sel) = &selector {
            match sel {
                Ok(sel) if sel.matches(v.metadata.labels.as_ref().unwrap_or(&BTreeMap::new())) => {}
                _ => continue,
            }
        }
        let have = vs.access_modes.clone().unwrap_or_default();
        if !wanted_modes.iter().all(|m| have.contains(m)) {
            continue;
        }
        if size < requested {
            continue;
        }
        if best.as_ref().is_none_or(|(s, _)| size < *s) {
            best = Some((size, v));
        }
    }
    best.map(|(_, v)| v)
}

fn claim_event(c: &corev1::PersistentVolumeClaim, warn: bool, reason: &str, msg: String) -> Write {
    let obj = Object::PersistentVolumeClaim(c.clone());
    Write::Event(if warn {
        EventRecord::warning(&obj, reason, msg)
    } else {
        EventRecord::normal(&obj, reason, msg)
    })
}

/// A node's labels (none for a node that is gone).
pub fn node_labels(store: &Store, name: &str) -> BTreeMap<String, String> {
    match store.get(kind_of::<corev1::Node>(), None, name).as_deref() {
        Ok(Object::Node(n)) => n.metadata.labels.clone().unwrap_or_default(),
        _ => BTreeMap::new(),
    }
}

/// Mirrors syncClaim.
pub fn sync_claim(claim: &corev1::PersistentVolumeClaim, store: &Store, now: SimTime) -> Plan {
    let mut plan = Plan::none();
    if claim.metadata.deletion_timestamp.is_some() {
        return plan;
    }
    let spec = claim.spec.clone().unwrap_or_default();
    let volumes = list_volumes(store);
    if let Some(name) = spec.volume_name.as_deref().filter(|n| !n.is_empty()) {
        // syncBoundClaim: the volume may be gone (Lost) or need finishing the bind.
        match volumes
            .iter()
            .find(|v| v.metadata.name.as_deref() == Some(name))
        {
            None => {
                if claim.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Lost") {
                    let mut c = claim.clone();
                    c.metadata.resource_version = None;
                    c.status.get_or_insert_with(Default::default).phase = Some("Lost".into());
                    plan.push(Write::UpdateStatus(Object::PersistentVolumeClaim(c)));
                    plan.push(claim_event(
                        claim,
                        true,
                        "ClaimLost",
                        "Bound claim has lost its PersistentVolume. Data on the volume is lost!"
                            .into(),
                    ));
                }
            }
            Some(v) => {
                let bound_here = v
                    .spec
                    .as_ref()
                    .and_then(|s| s.claim_ref.as_ref())
                    .is_some_and(|r| claim_ref_matches(r, claim));
                let claim_bound =
                    claim.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
                if !bound_here || !claim_bound {
                    bind(&mut plan, claim, v, false, now);
                }
            }
        }
        return plan;
    }
    let class_name = claim_class(claim);
    let class = (!class_name.is_empty())
        .then(|| storage_class(store, &class_name))
        .flatten();
    let wffc = class
        .as_ref()
        .is_some_and(|c| c.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer"));
    // IsDelayBindingProvisioning: the scheduler names the node once a pod needs the claim.
    if wffc && !has_selected_node(claim) {
        plan.push(claim_event(
            claim,
            false,
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding".into(),
        ));
        plan.requeue_after(SYNC_PERIOD);
        return plan;
    }
    // A WaitForFirstConsumer claim takes only a volume reachable from its pod's node.
    let selected = wffc
        .then(|| claim.metadata.annotations.as_ref()?.get(ANN_SELECTED_NODE))
        .flatten();
    let selected_labels = selected.map(|n| node_labels(store, n)).unwrap_or_default();
    let node = selected.map(|n| (n.as_str(), &selected_labels));
    if let Some(v) = find_best_match_on(claim, volumes.iter(), node) {
        bind(&mut plan, claim, v, true, now);
        return plan;
    }
    match (&class, class_name.is_empty()) {
        (_, true) => {
            plan.push(claim_event(
                claim,
                false,
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set".into(),
            ));
        }
        (None, false) => {
            plan.push(claim_event(
                claim,
                true,
                "ProvisioningFailed",
                format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
            ));
        }
        (Some(sc), false) => {
            // provisionClaim: hand the claim to the class's external provisioner.
            let annotations = claim.metadata.annotations.clone().unwrap_or_default();
            if annotations.get(ANN_STORAGE_PROVISIONER) != Some(&sc.provisioner) {
                let mut c = claim.clone();
                c.metadata.resource_version = None;
                let a = c.metadata.annotations.get_or_insert_with(Default::default);
                a.insert(ANN_BETA_STORAGE_PROVISIONER.into(), sc.provisioner.clone());
                a.insert(ANN_STORAGE_PROVISIONER.into(), sc.provisioner.clone());
                plan.push(Write::Update(Object::PersistentVolumeClaim(c)));
            }
            plan.push(claim_event(
                claim,
                false,
                "ExternalProvisioning",
                format!(
                    "Waiting for a volume to be created either by the external provisioner '{}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
                    sc.provisioner
                ),
            ));
        }
    }
    plan.requeue_after(SYNC_PERIOD);
    plan
}

/// Whether the scheduler has chosen a node for the claim (`volume.kubernetes.io/selected-node`).
fn has_selected_node(claim: &corev1::PersistentVolumeClaim) -> bool {
    claim
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.get(ANN_SELECTED_NODE).is_some_and(|n| !n.is_empty()))
}

/// Mirrors bind: the volume's claimRef and phase, then the claim's volumeName, annotations
/// and status.
fn bind(
    plan: &mut Plan,
    claim: &corev1::PersistentVolumeClaim,
    v: &corev1::PersistentVolume,
    by_controller: bool,
    now: SimTime,
) {
    let mut pv = v.clone();
    pv.metadata.resource_version = None;
    let vs = pv.spec.get_or_insert_with(Default::default);
    let needs_ref = vs
        .claim_ref
        .as_ref()
        .is_none_or(|r| r.uid != claim.metadata.uid);
    if needs_ref {
        let fresh = vs.claim_ref.is_none();
        vs.claim_ref = Some(corev1::ObjectReference {
            api_version: Some("v1".into()),
            kind: Some("PersistentVolumeClaim".into()),
            name: claim.metadata.name.clone(),
            namespace: claim.metadata.namespace.clone(),
            uid: claim.metadata.uid.clone(),
            resource_version: claim.metadata.resource_version.clone(),
            field_path: None,
        });
        if fresh {
            pv.metadata
                .annotations
                .get_or_insert_with(Default::default)
                .insert(ANN_BOUND_BY_CONTROLLER.into(), "yes".into());
        }
        plan.push(Write::Update(Object::PersistentVolume(pv.clone())));
    }
    if pv.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Bound") {
        set_volume_phase(&mut pv, "Bound", None, now);
        plan.push(Write::UpdateStatus(Object::PersistentVolume(pv.clone())));
    }
    let mut c = claim.clone();
    c.metadata.resource_version = None;
    let cs = c.spec.get_or_insert_with(Default::default);
    let volume_name = pv.metadata.name.clone().unwrap_or_default();
    if cs.volume_name.as_deref() != Some(volume_name.as_str())
        || c.metadata
            .annotations
            .as_ref()
            .is_none_or(|a| !a.contains_key(ANN_BIND_COMPLETED))
    {
        cs.volume_name = Some(volume_name);
        let a = c.metadata.annotations.get_or_insert_with(Default::default);
        a.insert(ANN_BIND_COMPLETED.into(), "yes".into());
        if by_controller {
            a.insert(ANN_BOUND_BY_CONTROLLER.into(), "yes".into());
        }
        plan.push(Write::Update(Object::PersistentVolumeClaim(c.clone())));
    }
    let pvs = pv.spec.clone().unwrap_or_default();
    let st = c.status.get_or_insert_with(Default::default);
    st.phase = Some("Bound".into());
    st.access_modes = pvs.access_modes.clone();
    st.capacity = pvs.capacity.clone();
    plan.push(Write::UpdateStatus(Object::PersistentVolumeClaim(c)));
}

fn set_volume_phase(
    pv: &mut corev1::PersistentVolume,
    phase: &str,
    message: Option<String>,
    now: SimTime,
) {
    let st = pv.status.get_or_insert_with(Default::default);
    if st.phase.as_deref() != Some(phase) {
        st.last_phase_transition_time = Some(now.to_time());
    }
    st.phase = Some(phase.into());
    st.message = message;
}

/// Mirrors syncVolume.
pub fn sync_volume(pv: &corev1::PersistentVolume, store: &Store, now: SimTime) -> Plan {
    let mut plan = Plan::none();
    if pv.metadata.deletion_timestamp.is_some() {
        return plan;
    }
    let phase = pv
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    let spec = pv.spec.clone().unwrap_or_default();
    let mut updated = pv.clone();
    updated.metadata.resource_version = None;
    let Some(r) = spec.claim_ref.as_ref() else {
        if phase != "Available" {
            set_volume_phase(&mut updated, "Available", None, now);
            plan.push(Write::UpdateStatus(Object::PersistentVolume(updated)));
        }
        return plan;
    };
    let claim = match store
        .get(
            kind_of::<corev1::PersistentVolumeClaim>(),
            r.namespace.as_deref(),
            r.name.as_deref().unwrap_or(""),
        )
        .as_deref()
    {
        Ok(Object::PersistentVolumeClaim(c)) => Some(c.clone()),
        _ => None,
    };
    let same_claim = claim
        .as_ref()
        .is_some_and(|c| r.uid.as_deref().is_none_or(str::is_empty) || r.uid == c.metadata.uid);
    if same_claim {
        let c = claim.as_ref().map(|c| c.spec.clone().unwrap_or_default());
        let points_here = c
            .and_then(|s| s.volume_name)
            .is_some_and(|n| Some(n) == pv.metadata.name);
        if points_here && phase != "Bound" {
            set_volume_phase(&mut updated, "Bound", None, now);
            plan.push(Write::UpdateStatus(Object::PersistentVolume(updated)));
        } else if !points_here && phase != "Available" && phase != "Bound" {
            // Pre-bound to a claim that has not taken it yet.
            set_volume_phase(&mut updated, "Available", None, now);
            plan.push(Write::UpdateStatus(Object::PersistentVolume(updated)));
        }
        return plan;
    }
    if r.uid.as_deref().is_none_or(str::is_empty) {
        // Pre-bound by name to a claim that does not exist yet: Available for it.
        if phase != "Available" {
            set_volume_phase(&mut updated, "Available", None, now);
            plan.push(Write::UpdateStatus(Object::PersistentVolume(updated)));
        }
        return plan;
    }
    // The bound claim is gone: Released, then the reclaim policy.
    if phase == "Failed" {
        return plan;
    }
    let policy = spec
        .persistent_volume_reclaim_policy
        .clone()
        .unwrap_or_else(|| "Retain".into());
    let pv_obj = Object::PersistentVolume(pv.clone());
    match policy.as_str() {
        "Retain" => {
            if phase != "Released" {
                set_volume_phase(&mut updated, "Released", None, now);
                plan.push(Write::UpdateStatus(Object::PersistentVolume(updated)));
            }
        }
        "Recycle" => {
            // Released first (the volume's claim is gone); the recycler then scrubs it and
            // makes it Available (recycleVolumeOperation, then unbindVolume).
            let released_at = pv
                .status
                .as_ref()
                .and_then(|s| s.last_phase_transition_time.as_ref())
                .and_then(SimTime::from_time);
            let due = match (phase.as_str(), released_at) {
                ("Released", Some(at)) => at + RECYCLE_DURATION,
                _ => {
                    set_volume_phase(&mut updated, "Released", None, now);
                    plan.push(Write::UpdateStatus(Object::PersistentVolume(updated)));
                    plan.requeue_after(RECYCLE_DURATION);
                    return plan;
                }
            };
            if now < due {
                plan.requeue_after(due - now);
                return plan;
            }
            let by_controller = pv
                .metadata
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key(ANN_BOUND_BY_CONTROLLER));
            let vs = updated.spec.get_or_insert_with(Default::default);
            if by_controller {
                vs.claim_ref = None;
                if let Some(a) = updated.metadata.annotations.as_mut() {
                    a.remove(ANN_BOUND_BY_CONTROLLER);
                }
            } else if let Some(r) = vs.claim_ref.as_mut() {
                // Pre-bound by the user: the volume stays reserved for that claim name.
                r.uid = None;
            }
            plan.push(Write::Update(Object::PersistentVolume(updated.clone())));
            set_volume_phase(&mut updated, "Available", None, now);
            plan.push(Write::UpdateStatus(Object::PersistentVolume(updated)));
            plan.push(Write::Event(EventRecord::normal(
                &pv_obj,
                "VolumeRecycled",
                "Volume recycled",
            )));
        }
        _ => {
            let provisioned = pv
                .metadata
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key(ANN_PROVISIONED_BY));
            let deletable = provisioned
                || spec
                    .host_path
                    .as_ref()
                    .is_some_and(|h| h.path.starts_with("/tmp/") && h.path.len() > 5);
            if deletable {
                // Released first: the pv-protection finalizer only lets unbound volumes go.
                if phase != "Released" {
                    let mut released = updated.clone();
                    set_volume_phase(&mut released, "Released", None, now);
                    plan.push(Write::UpdateStatus(Object::PersistentVolume(released)));
                }
                plan.push(Write::Delete {
                    kind: kind_of::<corev1::PersistentVolume>(),
                    namespace: None,
                    name: pv.metadata.name.clone().unwrap_or_default(),
                    uid: pv.metadata.uid.clone(),
                    grace_period_seconds: None,
                });
            } else {
                let msg = format!(
                    "error getting deleter volume plugin for volume \"{}\": no deletable volume plugin matched",
                    pv.metadata.name.as_deref().unwrap_or("")
                );
                set_volume_phase(&mut updated, "Failed", Some(msg.clone()), now);
                plan.push(Write::UpdateStatus(Object::PersistentVolume(updated)));
                plan.push(Write::Event(EventRecord::warning(
                    &pv_obj,
                    "VolumeFailedDelete",
                    msg,
                )));
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests;
