//! The scheduler's VolumeBinding plugin: PreFilter holds a pod while a claim it uses is
//! missing, being deleted, or unbound with Immediate binding; Filter rejects the nodes its
//! bound volumes do not reach, or where its unbound WaitForFirstConsumer claims find no free
//! volume and cannot be provisioned; PreBind hands the chosen node to those claims and holds
//! the pod until they are bound.
//!
//! Mirrors pkg/scheduler/framework/plugins/volumebinding/volume_binding.go `PreFilter`,
//! `Filter` and `PreBind`, and binder.go `GetPodVolumeClaims`, `FindPodVolumes` and
//! `BindPodVolumes` (v1.34); both rejections are UnschedulableAndUnresolvable, so preemption
//! cannot help. Deliberate gap: provisioning capacity (CSIStorageCapacity) is not checked.

use std::collections::{BTreeMap, BTreeSet};

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::storage::v1 as storagev1;

use super::{
    ANN_SELECTED_NODE, NodeRef, claim_class, claim_names, find_best_match_on, list_volumes,
    storage_class, volume_admits_node,
};
use crate::apiserver::Store;
use crate::controller::kind_of;

/// Filter reasons, word for word as volumebinding's `ErrReason…` constants.
pub const ERR_BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
pub const ERR_NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";
pub const ERR_PV_NOT_EXIST: &str =
    "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

/// The provisioner of classes whose volumes an administrator creates by hand.
const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// The PreFilter rejection for `pod`, if any (the FitError's pre-filter message).
pub fn pre_filter(pod: &corev1::Pod, store: &Store) -> Option<String> {
    let names = claim_names(pod);
    if names.is_empty() {
        return None;
    }
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut unbound_immediate = false;
    for name in names {
        let claim = match store
            .get(kind_of::<corev1::PersistentVolumeClaim>(), Some(ns), &name)
            .as_deref()
        {
            Ok(Object::PersistentVolumeClaim(c)) => c.clone(),
            _ => return Some(format!("persistentvolumeclaim \"{name}\" not found")),
        };
        if claim.metadata.deletion_timestamp.is_some() {
            return Some(format!("persistentvolumeclaim \"{name}\" is being deleted"));
        }
        let bound = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .is_some_and(|v| !v.is_empty());
        if bound {
            continue;
        }
        let class = claim_class(&claim);
        let wffc = !class.is_empty()
            && storage_class(store, &class).is_some_and(|sc| {
                sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer")
            });
        if !wffc {
            unbound_immediate = true;
        }
    }
    unbound_immediate.then(|| "pod has unbound immediate PersistentVolumeClaims".to_string())
}

/// PreBind for `pod` placed on `node`: the claim updates that name the node on each of its
/// unbound WaitForFirstConsumer claims not yet annotated, and whether the pod must wait (some
/// such claim is still unbound). The provisioner or the PV controller binds the claims; the
/// pod is bound once none is left waiting.
pub fn pre_bind(
    pod: &corev1::Pod,
    node: &str,
    store: &Store,
) -> (Vec<corev1::PersistentVolumeClaim>, bool) {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut updates = Vec::new();
    let mut wait = false;
    for name in claim_names(pod) {
        let Ok(Object::PersistentVolumeClaim(claim)) = store
            .get(kind_of::<corev1::PersistentVolumeClaim>(), Some(ns), &name)
            .as_deref()
            .cloned()
        else {
            continue;
        };
        let bound = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .is_some_and(|v| !v.is_empty());
        let class = claim_class(&claim);
        let wffc = !class.is_empty()
            && storage_class(store, &class).is_some_and(|sc| {
                sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer")
            });
        if bound || !wffc {
            continue;
        }
        wait = true;
        let selected = claim
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(ANN_SELECTED_NODE));
        if selected.is_none_or(|n| n != node) {
            let mut c = claim;
            c.metadata
                .annotations
                .get_or_insert_with(Default::default)
                .insert(ANN_SELECTED_NODE.into(), node.into());
            updates.push(c);
        }
    }
    (updates, wait)
}

/// VolumeBinding's Filter for each of `nodes` (binder.go `FindPodVolumes`, v1.34): the
/// nodes where the pod's claims cannot be satisfied, with the reasons. A bound claim's
/// volume must exist and admit the node (`checkBoundClaims`); each unbound
/// WaitForFirstConsumer claim needs an Available volume that matches it, admits the node and
/// is not taken by another claim of the pod (`findMatchingVolumes`), or else a class that
/// can provision there: not `kubernetes.io/no-provisioner`, and the node within its
/// `allowedTopologies` (`checkVolumeProvisions`).
pub fn node_conflicts<'n>(
    pod: &corev1::Pod,
    store: &Store,
    nodes: impl Iterator<Item = NodeRef<'n>>,
) -> BTreeMap<String, Vec<&'static str>> {
    let mut out = BTreeMap::new();
    let names = claim_names(pod);
    if names.is_empty() {
        return out;
    }
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let claims: Vec<corev1::PersistentVolumeClaim> = names
        .iter()
        .filter_map(|name| {
            match store
                .get(kind_of::<corev1::PersistentVolumeClaim>(), Some(ns), name)
                .as_deref()
            {
                Ok(Object::PersistentVolumeClaim(c)) => Some(c.clone()),
                _ => None,
            }
        })
        .collect();
    let volumes = list_volumes(store);
    let by_name = |name: &str| {
        volumes
            .iter()
            .find(|v| v.metadata.name.as_deref() == Some(name))
    };
    let mut bound: Vec<Option<&corev1::PersistentVolume>> = Vec::new();
    let mut to_bind: Vec<(&corev1::PersistentVolumeClaim, storagev1::StorageClass)> = Vec::new();
    for claim in &claims {
        let volume_name = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .filter(|v| !v.is_empty());
        if let Some(name) = volume_name {
            bound.push(by_name(name));
            continue;
        }
        let class = claim_class(claim);
        if let Some(sc) = (!class.is_empty())
            .then(|| storage_class(store, &class))
            .flatten()
            .filter(|sc| sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer"))
        {
            to_bind.push((claim, sc));
        }
    }
    if bound.is_empty() && to_bind.is_empty() {
        return out;
    }
    for node in nodes {
        let mut reasons = Vec::new();
        if bound.iter().any(Option::is_none) {
            reasons.push(ERR_PV_NOT_EXIST);
        } else if !bound.iter().flatten().all(|v| volume_admits_node(v, node)) {
            reasons.push(ERR_NODE_CONFLICT);
        }
        let mut chosen: BTreeSet<&str> = BTreeSet::new();
        let all_found = to_bind.iter().all(|(claim, sc)| {
            let free = volumes
                .iter()
                .filter(|v| !chosen.contains(v.metadata.name.as_deref().unwrap_or("")));
            match find_best_match_on(claim, free, Some(node)) {
                Some(v) => {
                    chosen.insert(v.metadata.name.as_deref().unwrap_or(""));
                    true
                }
                None => can_provision_on(sc, node.1),
            }
        });
        if !all_found {
            reasons.push(ERR_BIND_CONFLICT);
        }
        if !reasons.is_empty() {
            out.insert(node.0.to_string(), reasons);
        }
    }
    out
}

/// Whether `sc` can provision a volume for a node with `labels`: a provisioner other than
/// `kubernetes.io/no-provisioner`, and the labels within `allowedTopologies`
/// (v1helper.MatchTopologySelectorTerms: no terms admit every node).
fn can_provision_on(sc: &storagev1::StorageClass, labels: &BTreeMap<String, String>) -> bool {
    if sc.provisioner == NO_PROVISIONER {
        return false;
    }
    let terms = sc.allowed_topologies.as_deref().unwrap_or_default();
    terms.is_empty()
        || terms.iter().any(|t| {
            t.match_label_expressions.iter().flatten().all(|e| {
                labels
                    .get(&e.key)
                    .is_some_and(|v| e.values.iter().any(|w| w == v))
            })
        })
}
