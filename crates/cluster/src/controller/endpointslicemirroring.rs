//! The EndpointSlice mirroring controller: slices for the Endpoints someone wrote by hand for a
//! Service without a selector.
//!
//! Mirrors pkg/controller/endpointslicemirroring (v1.34): endpointslicemirroring_controller.go
//! (`syncEndpoints`, `shouldMirror`), reconciler.go (`reconcile`, `reconcileByPortMapping`),
//! reconciler_helpers.go (`desiredCalc`, `recycleSlices`) and utils.go (`newEndpointSlice`,
//! `addressToEndpoint`). An Endpoints object is mirrored when it has no
//! `endpointslice.kubernetes.io/skip-mirror: "true"` label and no leader-election annotation,
//! and a Service of its name exists without a selector. Each distinct (address type, port
//! list) of its subsets gets one slice named `<endpoints>-<random>`, owned by the Endpoints,
//! with the Endpoints' labels plus `kubernetes.io/service-name` and
//! `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`, its
//! annotations but `last-change-trigger-time` and `last-applied-configuration`, and endpoints
//! whose only condition is `ready` (true for `addresses`, false for `notReadyAddresses`). At
//! most 1000 addresses of a subset are mirrored; invalid IPs are skipped; both are reported as
//! Warning events on the Endpoints.
//!
//! Deliberate gap: upstream takes endpoints out of a set in random order; kubelab keeps the
//! order of the Endpoints object.

use std::collections::BTreeMap;
use std::net::IpAddr;

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::endpoint::{SKIP_MIRROR_LABEL, service_selector};
use super::endpointslice::{MANAGED_BY_LABEL, SERVICE_NAME_LABEL};
use super::kind_of;
use super::plan::{EventRecord, Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::{ListOptions, Store, WatchEvent};
use crate::time::SimTime;

/// The managed-by value of mirrored slices (`controllerName`).
pub const CONTROLLER_NAME: &str = "endpointslicemirroring-controller.k8s.io";
/// `--mirroring-max-endpoints-per-subset`'s default.
pub const MAX_ENDPOINTS_PER_SUBSET: usize = 1000;
/// client-go's resourcelock `LeaderElectionRecordAnnotationKey`: such Endpoints are locks.
pub const LEADER_ANNOTATION: &str = "control-plane.alpha.kubernetes.io/leader";
/// Annotations the slices do not copy (corev1.EndpointsLastChangeTriggerTime and
/// LastAppliedConfigAnnotation).
const UNCOPIED_ANNOTATIONS: [&str; 2] = [
    "endpoints.kubernetes.io/last-change-trigger-time",
    "kubectl.kubernetes.io/last-applied-configuration",
];

/// The runner's handle on the mirroring controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct EndpointSliceMirroringController;

/// What `sync_mirrored_slices` reads besides the Endpoints.
#[derive(Debug, Clone, Default)]
pub struct MirroringView {
    /// The Service of the Endpoints' name, if any.
    pub service: Option<corev1::Service>,
    /// The slices this controller made for that name, in name order.
    pub slices: Vec<discoveryv1::EndpointSlice>,
}

impl Reconciler for EndpointSliceMirroringController {
    fn name(&self) -> &'static str {
        "endpoint-slice-mirroring-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Endpoints>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![
            kind_of::<corev1::Service>(),
            kind_of::<discoveryv1::EndpointSlice>(),
        ]
    }

    fn keys_for(&self, event: &WatchEvent, _store: &Store) -> Vec<ObjectKey> {
        match &*event.object {
            // A Service gaining or losing its selector (or coming and going) decides mirroring.
            Object::Service(_) => vec![ObjectKey::of(&event.object)],
            Object::EndpointSlice(s) if is_mirrored(s) => {
                let ns = s.metadata.namespace.as_deref();
                label(&s.metadata, SERVICE_NAME_LABEL)
                    .filter(|n| !n.is_empty())
                    .map(|n| ObjectKey::new(ns, n))
                    .into_iter()
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let ns = key.namespace.as_deref();
        let opts = ListOptions {
            label_selector: format!(
                "{SERVICE_NAME_LABEL}={},{MANAGED_BY_LABEL}={CONTROLLER_NAME}",
                key.name
            ),
            ..Default::default()
        };
        let mut slices: Vec<discoveryv1::EndpointSlice> = store
            .list(kind_of::<discoveryv1::EndpointSlice>(), ns, &opts)
            .map_err(|e| SyncError::Transient(e.to_string()))?
            .items
            .iter()
            .filter_map(|o| match &**o {
                Object::EndpointSlice(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        machinery::sort::sort_by(&mut slices, |a, b| a.metadata.name.cmp(&b.metadata.name));
        let endpoints = store
            .get(self.primary(), ns, &key.name)
            .ok()
            .and_then(|o| match &*o {
                Object::Endpoints(e) => Some(e.clone()),
                _ => None,
            });
        let service = store
            .get(kind_of::<corev1::Service>(), ns, &key.name)
            .ok()
            .and_then(|o| match &*o {
                Object::Service(s) => Some(s.clone()),
                _ => None,
            });
        let view = MirroringView { service, slices };
        Ok(match endpoints {
            Some(e) => sync_mirrored_slices(&e, &view),
            None => delete_all(&view.slices),
        })
    }
}

/// Mirrors `syncEndpoints`: the slices that make `view.slices` mirror `endpoints`, or none at
/// all when it should not be mirrored.
pub fn sync_mirrored_slices(endpoints: &corev1::Endpoints, view: &MirroringView) -> Plan {
    let mirrored = should_mirror(endpoints)
        && view
            .service
            .as_ref()
            .is_some_and(|svc| service_selector(svc).is_none());
    if !mirrored {
        return delete_all(&view.slices);
    }
    let mut plan = Plan::none();
    let desired = desired_groups(endpoints, &mut plan);

    let mut to_create: Vec<discoveryv1::EndpointSlice> = Vec::new();
    let mut to_update: Vec<discoveryv1::EndpointSlice> = Vec::new();
    let mut to_delete: Vec<&discoveryv1::EndpointSlice> = Vec::new();
    let mut existing_by_key: Vec<(GroupKey, Vec<&discoveryv1::EndpointSlice>)> = Vec::new();
    for s in &view.slices {
        let k = group_key(&s.address_type, s.ports.as_deref().unwrap_or_default());
        match existing_by_key.iter_mut().find(|(ek, _)| *ek == k) {
            Some((_, v)) => v.push(s),
            None => existing_by_key.push((k, vec![s])),
        }
    }
    for group in &desired {
        let existing = existing_by_key
            .iter()
            .find(|(k, _)| *k == group.key)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default();
        if group.endpoints.is_empty() {
            to_delete.extend(existing.iter().copied());
            continue;
        }
        let Some((first, rest)) = existing.split_first() else {
            to_create.push(new_slice(endpoints, group, None));
            continue;
        };
        to_delete.extend(rest.iter().copied());
        if !up_to_date(first, endpoints, &group.endpoints) {
            to_update.push(new_slice(endpoints, group, Some(first)));
        }
    }
    for (k, slices) in &existing_by_key {
        if !desired.iter().any(|g| g.key == *k) {
            to_delete.extend(slices.iter().copied());
        }
    }

    // recycleSlices: a slice to delete becomes the one to create, when their types agree.
    let mut creates = Vec::new();
    for new in to_create {
        match to_delete
            .iter()
            .position(|old| old.address_type == new.address_type)
        {
            Some(i) => {
                let old = to_delete.remove(i);
                to_update.push(with_identity_of(new, old));
            }
            None => creates.push(new),
        }
    }
    // No new slices for Endpoints on their way out.
    if endpoints.metadata.deletion_timestamp.is_none() {
        for s in creates {
            plan.push(Write::create(Object::EndpointSlice(s)));
        }
    }
    for s in to_update {
        plan.push(Write::Update(Object::EndpointSlice(s)));
    }
    for s in to_delete {
        plan.push(delete(s));
    }
    plan
}

/// Mirrors `shouldMirror`: not labelled skip-mirror and not a leader-election lock.
pub fn should_mirror(endpoints: &corev1::Endpoints) -> bool {
    label(&endpoints.metadata, SKIP_MIRROR_LABEL) != Some("true")
        && !endpoints
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key(LEADER_ANNOTATION))
}

/// Whether this controller manages `slice`.
pub fn is_mirrored(slice: &discoveryv1::EndpointSlice) -> bool {
    label(&slice.metadata, MANAGED_BY_LABEL) == Some(CONTROLLER_NAME)
}

fn label<'a>(meta: &'a metav1::ObjectMeta, key: &str) -> Option<&'a str> {
    meta.labels.as_ref()?.get(key).map(String::as_str)
}

/// addrTypePortMapKey: the address type and the ports in a fixed order.
type GroupKey = (String, Vec<(String, i32, String)>);

fn group_key(address_type: &str, ports: &[discoveryv1::EndpointPort]) -> GroupKey {
    let mut ps: Vec<(String, i32, String)> = ports
        .iter()
        .map(|p| {
            (
                p.name.clone().unwrap_or_default(),
                p.port.unwrap_or_default(),
                p.protocol.clone().unwrap_or_default(),
            )
        })
        .collect();
    machinery::sort::sort(&mut ps);
    (address_type.to_string(), ps)
}

/// One desired slice: its key, ports (as the subset lists them) and endpoints.
struct Group {
    key: GroupKey,
    address_type: String,
    ports: Vec<discoveryv1::EndpointPort>,
    endpoints: Vec<discoveryv1::Endpoint>,
}

/// Mirrors `reconcile`'s desired state: each subset's addresses (ready first, then not ready,
/// at most [`MAX_ENDPOINTS_PER_SUBSET`]) under its ports, per address type; warns on the
/// Endpoints about what it skipped.
fn desired_groups(endpoints: &corev1::Endpoints, plan: &mut Plan) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut invalid = 0usize;
    let mut skipped = 0usize;
    for subset in endpoints.subsets.iter().flatten() {
        let ports: Vec<discoveryv1::EndpointPort> = subset
            .ports
            .iter()
            .flatten()
            .map(|p| discoveryv1::EndpointPort {
                name: Some(p.name.clone().unwrap_or_default()),
                port: Some(p.port),
                protocol: Some(p.protocol.clone().unwrap_or_default()),
                app_protocol: p.app_protocol.clone(),
            })
            .collect();
        // initPorts: both address types get a (maybe empty) group for these ports.
        for address_type in ["IPv4", "IPv6"] {
            let key = group_key(address_type, &ports);
            match groups.iter_mut().find(|g| g.key == key) {
                Some(g) => g.ports = ports.clone(),
                None => groups.push(Group {
                    key,
                    address_type: address_type.to_string(),
                    ports: ports.clone(),
                    endpoints: Vec::new(),
                }),
            }
        }
        let ready = subset.addresses.iter().flatten().map(|a| (a, true));
        let not_ready = subset
            .not_ready_addresses
            .iter()
            .flatten()
            .map(|a| (a, false));
        let mut added = 0usize;
        let mut total = 0usize;
        for (address, is_ready) in ready.chain(not_ready) {
            total += 1;
            if added >= MAX_ENDPOINTS_PER_SUBSET {
                continue;
            }
            let Some((endpoint, address_type)) = address_to_endpoint(address, is_ready) else {
                invalid += 1;
                continue;
            };
            added += 1;
            let key = group_key(address_type, &ports);
            if let Some(g) = groups.iter_mut().find(|g| g.key == key)
                && !g.endpoints.contains(&endpoint)
            {
                g.endpoints.push(endpoint);
            }
        }
        skipped += total - added;
    }
    let obj = Object::Endpoints(endpoints.clone());
    if invalid > 0 {
        plan.event(EventRecord::warning(
            &obj,
            "InvalidIPAddress",
            format!("Skipped {invalid} invalid IP addresses when mirroring to EndpointSlices"),
        ));
    }
    if skipped > invalid {
        plan.event(EventRecord::warning(
            &obj,
            "TooManyAddressesToMirror",
            format!(
                "A max of {MAX_ENDPOINTS_PER_SUBSET} addresses can be mirrored to EndpointSlices per Endpoints subset. {skipped} addresses were skipped"
            ),
        ));
    }
    groups
}

/// Mirrors `addressToEndpoint`: the address as a slice endpoint whose only condition is
/// `ready`, and its address type; None for an address that is not an IP.
fn address_to_endpoint(
    address: &corev1::EndpointAddress,
    ready: bool,
) -> Option<(discoveryv1::Endpoint, &'static str)> {
    let ip: IpAddr = address.ip.parse().ok()?;
    let address_type = if ip.is_ipv4() { "IPv4" } else { "IPv6" };
    let endpoint = discoveryv1::Endpoint {
        addresses: vec![ip.to_string()],
        conditions: Some(discoveryv1::EndpointConditions {
            ready: Some(ready),
            serving: None,
            terminating: None,
        }),
        hostname: address.hostname.clone().filter(|h| !h.is_empty()),
        node_name: address.node_name.clone(),
        target_ref: address.target_ref.clone(),
        ..Default::default()
    };
    Some((endpoint, address_type))
}

/// Whether `slice` already mirrors `endpoints`: the same endpoints, the Endpoints' labels and
/// the annotations it copies (`reconcileByPortMapping`'s early return).
fn up_to_date(
    slice: &discoveryv1::EndpointSlice,
    endpoints: &corev1::Endpoints,
    desired: &[discoveryv1::Endpoint],
) -> bool {
    let same_endpoints = slice.endpoints.len() == desired.len()
        && slice.endpoints.iter().all(|e| desired.contains(e));
    let mut labels = slice.metadata.labels.clone().unwrap_or_default();
    labels.remove(MANAGED_BY_LABEL);
    labels.remove(SERVICE_NAME_LABEL);
    same_endpoints
        && labels == endpoints.metadata.labels.clone().unwrap_or_default()
        && slice.metadata.annotations.clone().unwrap_or_default() == copied_annotations(endpoints)
}

fn copied_annotations(endpoints: &corev1::Endpoints) -> BTreeMap<String, String> {
    let mut a = endpoints.metadata.annotations.clone().unwrap_or_default();
    for k in UNCOPIED_ANNOTATIONS {
        a.remove(k);
    }
    a
}

/// Mirrors `newEndpointSlice`: the slice for `group`, under `existing`'s name when it replaces
/// one, else named after the Endpoints with a random suffix.
fn new_slice(
    endpoints: &corev1::Endpoints,
    group: &Group,
    existing: Option<&discoveryv1::EndpointSlice>,
) -> discoveryv1::EndpointSlice {
    let name = endpoints.metadata.name.clone().unwrap_or_default();
    let mut labels = endpoints.metadata.labels.clone().unwrap_or_default();
    labels.insert(SERVICE_NAME_LABEL.into(), name.clone());
    labels.insert(MANAGED_BY_LABEL.into(), CONTROLLER_NAME.into());
    let annotations = copied_annotations(endpoints);
    let slice = discoveryv1::EndpointSlice {
        metadata: metav1::ObjectMeta {
            generate_name: Some(format!("{name}-")),
            namespace: endpoints.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: (!annotations.is_empty()).then_some(annotations),
            owner_references: Some(vec![metav1::OwnerReference {
                api_version: "v1".into(),
                kind: "Endpoints".into(),
                name,
                uid: endpoints.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        address_type: group.address_type.clone(),
        endpoints: group
            .endpoints
            .iter()
            .take(MAX_ENDPOINTS_PER_SUBSET)
            .cloned()
            .collect(),
        ports: Some(group.ports.clone()),
    };
    match existing {
        Some(old) => with_identity_of(slice, old),
        None => slice,
    }
}

/// `new` written over `old`: its name and the metadata the API server keeps.
fn with_identity_of(
    mut new: discoveryv1::EndpointSlice,
    old: &discoveryv1::EndpointSlice,
) -> discoveryv1::EndpointSlice {
    let m = &old.metadata;
    new.metadata.generate_name = m.generate_name.clone();
    new.metadata.name = m.name.clone();
    new.metadata.uid = m.uid.clone();
    new.metadata.resource_version = m.resource_version.clone();
    new.metadata.creation_timestamp = m.creation_timestamp.clone();
    new.metadata.generation = m.generation;
    new.metadata.managed_fields = m.managed_fields.clone();
    new
}

fn delete(s: &discoveryv1::EndpointSlice) -> Write {
    Write::Delete {
        kind: kind_of::<discoveryv1::EndpointSlice>(),
        namespace: s.metadata.namespace.clone(),
        name: s.metadata.name.clone().unwrap_or_default(),
        uid: s.metadata.uid.clone(),
        grace_period_seconds: None,
    }
}

/// `deleteMirroredSlices`.
fn delete_all(slices: &[discoveryv1::EndpointSlice]) -> Plan {
    let mut plan = Plan::none();
    for s in slices {
        plan.push(delete(s));
    }
    plan
}

#[cfg(test)]
mod tests;
