//! The EndpointSlice controller: discovery.k8s.io/v1 slices for each selector Service.
//!
//! Mirrors pkg/controller/endpointslice/endpointslice_controller.go and
//! staging/src/k8s.io/endpointslice/{reconciler.go,utils.go} (v1.34): every pod with an IP
//! that is not terminal is listed, terminating ones included, with conditions
//! `serving` = pod Ready, `terminating` = being deleted, and
//! `ready` = `publishNotReadyAddresses` || (serving && !terminating). Slices carry the
//! `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by` labels and a
//! controller reference to the Service, and are named `<service>-<random>`.
//!
//! Created and updated slices carry `endpoints.kubernetes.io/last-change-trigger-time`
//! (reconciler.go `setTriggerTimeAnnotation`, from `triggertime::TriggerTimeTracker`).
//!
//! Each port list's endpoints are spread over slices of at most 100 (`MAX_ENDPOINTS_PER_SLICE`)
//! as the reconciler fills them (`fill_slices`).
//!
//! Each endpoint carries its node's `topology.kubernetes.io/zone`; `hints` sets the topology
//! hints (`service.kubernetes.io/topology-mode: Auto`, `spec.trafficDistribution`). Node
//! changes resync the Services with `Auto` hints whose zones became overloaded
//! (endpointslice_controller.go `checkNodeTopologyDistribution`).
//!
//! Deliberate gaps: IPv4 only; a pod on a node that does not exist is still listed.

mod hints;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::endpoint::{
    find_port, selected_pods, service_selector, services_for_pod, should_pod_be_in_endpoints,
};
use super::kind_of;
use super::plan::{EventRecord, Plan, SyncError, Write};
use super::podutil;
use super::runner::{ObjectKey, Reconciler, controller_owner_key};
use super::triggertime::{self, TriggerTimeTracker};
use crate::apiserver::{ListOptions, Store, WatchEvent};
use crate::time::SimTime;

/// `kubernetes.io/service-name`.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// `endpointslice.kubernetes.io/managed-by`.
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
/// This controller's value of the managed-by label.
pub const CONTROLLER_NAME: &str = "endpointslice-controller.k8s.io";

/// The runner's handle on the EndpointSlice controller, with its trigger-time memory and
/// its topology cache.
#[derive(Debug, Default)]
pub struct EndpointSliceController {
    triggers: TriggerTimeTracker,
    topology: RefCell<TopologyCache>,
}

/// What the controller remembers about topology between syncs.
#[derive(Debug, Default)]
struct TopologyCache {
    /// Each node's (ready, zone) as last seen, to notice the changes that matter.
    nodes: BTreeMap<String, (bool, Option<String>)>,
    /// `namespace/name` → endpoints hinted per zone, for Services with `Auto` hints.
    hinted: BTreeMap<String, BTreeMap<String, usize>>,
}

/// What `sync_endpoint_slices` reads: the namespace's pods and the Service's slices.
#[derive(Debug, Clone, Default)]
pub struct EndpointSliceView {
    pub pods: Vec<Arc<Object>>,
    pub slices: Vec<discoveryv1::EndpointSlice>,
    /// This sync's `last-change-trigger-time`, if any.
    pub trigger: Option<SimTime>,
    /// The `topology.kubernetes.io/zone` of the pods' nodes.
    pub zones: BTreeMap<String, String>,
    /// For `topology-mode: Auto`: the zones' CPU shares, or why there are none.
    pub cpu_ratios: Option<Result<BTreeMap<String, f64>, &'static str>>,
    /// Whether the Service had `Auto` hints after the last sync.
    pub hints_populated: bool,
}

/// The Service's `Auto` hints after a sync: hinted endpoints per zone, or none.
pub type HintedZones = Option<BTreeMap<String, usize>>;

impl Reconciler for EndpointSliceController {
    fn name(&self) -> &'static str {
        // The event source upstream's recorder names (endpointslice_controller.go).
        "endpoint-slice-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Service>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![
            kind_of::<corev1::Pod>(),
            kind_of::<discoveryv1::EndpointSlice>(),
            kind_of::<corev1::Node>(),
        ]
    }

    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        match &*event.object {
            Object::EndpointSlice(_) => controller_owner_key(&event.object, self.primary())
                .into_iter()
                .collect(),
            Object::Pod(p) => services_for_pod(p, event.event_type, store),
            Object::Node(n) => self.node_changed(n, event.event_type, store),
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            // Slices are garbage-collected through their owner reference.
            self.triggers.forget(key.namespace.as_deref(), &key.name);
            let service_key = format!("{}/{}", key.namespace.as_deref().unwrap_or_default(), key.name);
            self.topology.borrow_mut().hinted.remove(&service_key);
            return Ok(Plan::none());
        };
        let Object::Service(svc) = &*obj else {
            return Ok(Plan::none());
        };
        let list = |info: &KindInfo| {
            store
                .list(info, key.namespace.as_deref(), &ListOptions::default())
                .map(|l| l.items)
                .map_err(|e| SyncError::Transient(e.to_string()))
        };
        let uid = svc.metadata.uid.clone().unwrap_or_default();
        let slices = list(kind_of::<discoveryv1::EndpointSlice>())?
            .iter()
            .filter_map(|o| match &**o {
                Object::EndpointSlice(s)
                    if super::replicaset::controller_uid(&s.metadata) == Some(uid.as_str()) =>
                {
                    Some(s.clone())
                }
                _ => None,
            })
            .collect();
        let pods = super::endpoint::service_pods(store, svc)?;
        // Computed on every sync (endpointslice_controller.go), written only with a change.
        let trigger = service_selector(svc)
            .map(|_| self.triggers.compute(svc, &selected_pods(svc, &pods)))
            .unwrap_or_default();
        let zones = node_zones(store, &selected_pods(svc, &pods));
        let cpu_ratios = hints::auto_enabled(svc).then(|| {
            let nodes = list(kind_of::<corev1::Node>()).unwrap_or_default();
            let nodes: Vec<&corev1::Node> = nodes
                .iter()
                .filter_map(|o| match &**o {
                    Object::Node(n) => Some(n),
                    _ => None,
                })
                .collect();
            hints::cpu_ratios(&nodes)
        });
        let service_key = format!("{}/{}", key.namespace.as_deref().unwrap_or_default(), key.name);
        let hints_populated = self.topology.borrow().hinted.contains_key(&service_key);
        let (plan, hinted) = sync_endpoint_slices(
            svc,
            &EndpointSliceView {
                pods,
                slices,
                trigger,
                zones,
                cpu_ratios,
                hints_populated,
            },
        );
        let mut topology = self.topology.borrow_mut();
        match hinted {
            Some(h) => topology.hinted.insert(service_key, h),
            None => topology.hinted.remove(&service_key),
        };
        Ok(plan)
    }
}

impl EndpointSliceController {
    /// `updateNode`/`checkNodeTopologyDistribution`: when a node's readiness or zone changes,
    /// the Services whose `Auto` hints no longer fit the zones' CPU shares sync again.
    fn node_changed(&self, node: &corev1::Node, event: crate::apiserver::WatchEventType, store: &Store) -> Vec<ObjectKey> {
        let name = node.metadata.name.clone().unwrap_or_default();
        let seen = (
            hints::node_ready(node),
            node.metadata.labels.as_ref().and_then(|l| l.get(crate::network::proxy::ZONE_LABEL)).cloned(),
        );
        let mut topology = self.topology.borrow_mut();
        let changed = if event == crate::apiserver::WatchEventType::Deleted {
            topology.nodes.remove(&name).is_some()
        } else {
            topology.nodes.insert(name, seen.clone()) != Some(seen)
        };
        if !changed || topology.hinted.is_empty() {
            return Vec::new();
        }
        let nodes = store
            .list(kind_of::<corev1::Node>(), None, &ListOptions::default())
            .map(|l| l.items)
            .unwrap_or_default();
        let nodes: Vec<&corev1::Node> = nodes
            .iter()
            .filter_map(|o| match &**o {
                Object::Node(n) => Some(n),
                _ => None,
            })
            .collect();
        let ratios = hints::cpu_ratios(&nodes);
        topology
            .hinted
            .iter()
            .filter(|(_, h)| hints::overloaded(h, &ratios))
            .filter_map(|(k, _)| {
                let (ns, name) = k.split_once('/')?;
                Some(ObjectKey {
                    namespace: Some(ns.to_string()),
                    name: name.to_string(),
                })
            })
            .collect()
    }
}

/// The zone label of each node the pods run on (reconciler.go reads the node of every pod
/// for `podToEndpoint`).
fn node_zones(store: &Store, pods: &[&corev1::Pod]) -> BTreeMap<String, String> {
    let mut zones = BTreeMap::new();
    for node in pods.iter().filter_map(|p| podutil::node_name(p)) {
        if zones.contains_key(node) {
            continue;
        }
        if let Ok(obj) = store.get(kind_of::<corev1::Node>(), None, node)
            && let Object::Node(n) = &*obj
            && let Some(zone) = n.metadata.labels.as_ref().and_then(|l| l.get(crate::network::proxy::ZONE_LABEL))
        {
            zones.insert(node.to_string(), zone.clone());
        }
    }
    zones
}

/// Mirrors the reconciler: the desired slices (one per distinct port list), matched to the
/// existing ones by ports; changed ones are updated, missing ones created, extra ones deleted.
/// Also returns the Service's `Auto` hints per zone, if it has any now.
pub fn sync_endpoint_slices(svc: &corev1::Service, view: &EndpointSliceView) -> (Plan, HintedZones) {
    let mut plan = Plan::none();
    if service_selector(svc).is_none() || svc.metadata.deletion_timestamp.is_some() {
        return (plan, None);
    }
    let spec = svc.spec.clone().unwrap_or_default();
    let publish = spec.publish_not_ready_addresses == Some(true);
    let svc_name = svc.metadata.name.clone().unwrap_or_default();

    // (ports, endpoints) groups in order of first appearance (pods are in name order).
    let mut desired: Vec<(Vec<discoveryv1::EndpointPort>, Vec<discoveryv1::Endpoint>)> = Vec::new();
    for p in selected_pods(svc, &view.pods) {
        if !should_pod_be_in_endpoints(p, true) {
            continue;
        }
        let ports: Vec<discoveryv1::EndpointPort> = spec
            .ports
            .iter()
            .flatten()
            .filter_map(|sp| {
                Some(discoveryv1::EndpointPort {
                    name: Some(sp.name.clone().unwrap_or_default()),
                    port: Some(find_port(p, sp)?),
                    protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".into())),
                    app_protocol: sp.app_protocol.clone(),
                })
            })
            .collect();
        let serving = podutil::is_pod_ready(p);
        let terminating = p.metadata.deletion_timestamp.is_some();
        let pod_spec = p.spec.as_ref();
        let hostname = pod_spec
            .and_then(|s| s.hostname.clone())
            .filter(|h| !h.is_empty())
            .filter(|_| pod_spec.and_then(|s| s.subdomain.as_deref()) == Some(svc_name.as_str()));
        let ports = sort_ports(ports);
        let i = match desired.iter().position(|(k, _)| *k == ports) {
            Some(i) => i,
            None => {
                desired.push((ports, Vec::new()));
                desired.len() - 1
            }
        };
        desired[i].1.push(discoveryv1::Endpoint {
            addresses: vec![
                p.status
                    .as_ref()
                    .and_then(|s| s.pod_ip.clone())
                    .unwrap_or_default(),
            ],
            conditions: Some(discoveryv1::EndpointConditions {
                ready: Some(publish || (serving && !terminating)),
                serving: Some(serving),
                terminating: Some(terminating),
            }),
            hostname,
            zone: podutil::node_name(p).and_then(|n| view.zones.get(n)).cloned(),
            node_name: podutil::node_name(p).map(str::to_string),
            target_ref: Some(corev1::ObjectReference {
                kind: Some("Pod".into()),
                namespace: p.metadata.namespace.clone(),
                name: p.metadata.name.clone(),
                uid: p.metadata.uid.clone(),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    // A Service with no endpoints still gets one (empty) slice.
    if desired.is_empty() {
        let ports: Vec<discoveryv1::EndpointPort> = spec
            .ports
            .iter()
            .flatten()
            .filter_map(|sp| {
                let port = match sp.target_port.clone() {
                    Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(_)) => {
                        return None;
                    }
                    Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n)) => n,
                    None => sp.port,
                };
                Some(discoveryv1::EndpointPort {
                    name: Some(sp.name.clone().unwrap_or_default()),
                    port: Some(port),
                    protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".into())),
                    app_protocol: sp.app_protocol.clone(),
                })
            })
            .collect();
        desired.push((sort_ports(ports), Vec::new()));
    }
    let hinted = set_hints(svc, view, &mut desired, &mut plan);

    let mut labels = svc.metadata.labels.clone().unwrap_or_default();
    // endpointslice's `setEndpointSliceLabels` marks a headless Service's slices.
    if super::endpoint::is_service_ip_set(svc) {
        labels.remove(super::endpoint::HEADLESS_LABEL);
    } else {
        labels.insert(super::endpoint::HEADLESS_LABEL.into(), String::new());
    }
    labels.insert(SERVICE_NAME_LABEL.into(), svc_name.clone());
    labels.insert(MANAGED_BY_LABEL.into(), CONTROLLER_NAME.into());
    let mut existing: Vec<&discoveryv1::EndpointSlice> = view.slices.iter().collect();
    existing.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let new_metadata = || {
        let mut metadata = metav1::ObjectMeta {
            generate_name: Some(format!("{svc_name}-")),
            namespace: svc.metadata.namespace.clone(),
            labels: Some(labels.clone()),
            owner_references: Some(vec![metav1::OwnerReference {
                api_version: "v1".into(),
                kind: "Service".into(),
                name: svc_name.clone(),
                uid: svc.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        };
        triggertime::set_annotation(&mut metadata, view.trigger);
        metadata
    };
    for (ports, endpoints) in desired {
        let (mine, others): (Vec<_>, Vec<_>) = existing
            .into_iter()
            .partition(|s| sort_ports(s.ports.clone().unwrap_or_default()) == ports);
        existing = others;
        let (filled, emptied) = fill_slices(&mine, endpoints, &labels, &ports);
        for slice in filled {
            let mut endpoints = slice.endpoints;
            endpoints.sort_by(|a, b| a.addresses.cmp(&b.addresses));
            match slice.existing {
                Some(_) if !slice.changed => {}
                Some(cur) => {
                    let mut s = cur.clone();
                    s.endpoints = endpoints;
                    s.ports = Some(ports.clone());
                    s.metadata.labels = Some(labels.clone());
                    triggertime::set_annotation(&mut s.metadata, view.trigger);
                    plan.push(Write::Update(Object::EndpointSlice(s)));
                }
                None => {
                    plan.push(Write::create(Object::EndpointSlice(
                        discoveryv1::EndpointSlice {
                            metadata: new_metadata(),
                            address_type: "IPv4".into(),
                            endpoints,
                            ports: Some(ports.clone()),
                        },
                    )));
                }
            }
        }
        existing.extend(emptied);
    }
    for s in existing {
        plan.push(Write::Delete {
            kind: kind_of::<discoveryv1::EndpointSlice>(),
            namespace: s.metadata.namespace.clone(),
            name: s.metadata.name.clone().unwrap_or_default(),
            uid: s.metadata.uid.clone(),
            grace_period_seconds: None,
        });
    }
    (plan, hinted)
}

/// reconciler.go's hint step: `Auto` hints from the topology cache (with its events), else
/// `trafficDistribution`'s, else none.
fn set_hints(
    svc: &corev1::Service,
    view: &EndpointSliceView,
    desired: &mut [(Vec<discoveryv1::EndpointPort>, Vec<discoveryv1::Endpoint>)],
    plan: &mut Plan,
) -> HintedZones {
    let mut endpoints: Vec<&mut discoveryv1::Endpoint> =
        desired.iter_mut().flat_map(|(_, e)| e.iter_mut()).collect();
    let about = Object::Service(svc.clone());
    let with_type = |m: &str| format!("{m}, addressType: IPv4");
    if let Some(ratios) = view.cpu_ratios.as_ref().filter(|_| hints::auto_enabled(svc)) {
        return match hints::add_auto_hints(&mut endpoints, ratios) {
            Ok(hinted) => {
                if !view.hints_populated {
                    plan.event(EventRecord::normal(&about, "TopologyAwareHintsEnabled", with_type(hints::HINTS_ENABLED)));
                }
                Some(hinted)
            }
            Err(message) => {
                plan.event(EventRecord::warning(&about, "TopologyAwareHintsDisabled", with_type(&message)));
                None
            }
        };
    }
    if view.hints_populated {
        plan.event(EventRecord::warning(&about, "TopologyAwareHintsDisabled", with_type(hints::HINTS_DISABLED)));
    }
    match hints::distribution(svc) {
        Some(d) => hints::prefer_close(&mut endpoints, d == hints::Distribution::SameNode),
        None => hints::clear(&mut endpoints),
    }
    None
}

/// upstream's maxEndpointsPerSlice default (kube-controller-manager
/// `--max-endpoints-per-slice`).
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;

/// One slice of a port list after filling: an existing one (changed or not) or a new one.
struct FilledSlice<'a> {
    existing: Option<&'a discoveryv1::EndpointSlice>,
    endpoints: Vec<discoveryv1::Endpoint>,
    changed: bool,
}

/// reconciler.go `reconcileByPortMapping` for one port list: endpoints stay in the slice that
/// holds them (updated when they changed); the new ones fill the changed slices first (fullest
/// first), then, if they all fit, the fullest unchanged slice that can take them, then new
/// slices of at most `MAX_ENDPOINTS_PER_SLICE`. A slice left empty is deleted, or reused for
/// a new one (`finalize` turns a create plus a delete into an update). A port list with no
/// endpoints keeps one empty slice (the placeholder). Returns the slices and the emptied ones.
fn fill_slices<'a>(
    current: &[&'a discoveryv1::EndpointSlice],
    mut remaining: Vec<discoveryv1::Endpoint>,
    labels: &std::collections::BTreeMap<String, String>,
    ports: &[discoveryv1::EndpointPort],
) -> (Vec<FilledSlice<'a>>, Vec<&'a discoveryv1::EndpointSlice>) {
    let placeholder = remaining.is_empty();
    let mut kept: Vec<FilledSlice<'a>> = Vec::new();
    let mut emptied: Vec<&'a discoveryv1::EndpointSlice> = Vec::new();
    for s in current {
        // An empty port list is stored as none (Go's encoding leaves it out).
        let mut changed = s.metadata.labels.as_ref() != Some(labels)
            || s.ports.as_deref().unwrap_or_default() != ports;
        let mut endpoints = Vec::new();
        for e in &s.endpoints {
            match remaining.iter().position(|d| d.addresses == e.addresses) {
                Some(i) => {
                    let d = remaining.remove(i);
                    changed |= d != *e;
                    endpoints.push(d);
                }
                None => changed = true,
            }
        }
        if endpoints.is_empty() {
            emptied.push(s);
        } else {
            kept.push(FilledSlice { existing: Some(s), endpoints, changed });
        }
    }
    // The changed slices take new endpoints first, the fullest first.
    let mut order: Vec<usize> = (0..kept.len()).filter(|&i| kept[i].changed).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(kept[i].endpoints.len()));
    for i in order {
        while !remaining.is_empty() && kept[i].endpoints.len() < MAX_ENDPOINTS_PER_SLICE {
            kept[i].endpoints.push(remaining.remove(0));
        }
    }
    while !remaining.is_empty() {
        // `getSliceToFill`: the fullest unchanged slice that has room for all that is left.
        let fits = (remaining.len() < MAX_ENDPOINTS_PER_SLICE)
            .then(|| {
                (0..kept.len())
                    .filter(|&i| {
                        !kept[i].changed
                            && kept[i].endpoints.len() + remaining.len() <= MAX_ENDPOINTS_PER_SLICE
                    })
                    .max_by_key(|&i| (kept[i].endpoints.len(), std::cmp::Reverse(i)))
            })
            .flatten();
        let i = match fits {
            Some(i) => i,
            None => {
                kept.push(FilledSlice {
                    existing: (!emptied.is_empty()).then(|| emptied.remove(0)),
                    endpoints: Vec::new(),
                    changed: true,
                });
                kept.len() - 1
            }
        };
        kept[i].changed = true;
        while !remaining.is_empty() && kept[i].endpoints.len() < MAX_ENDPOINTS_PER_SLICE {
            kept[i].endpoints.push(remaining.remove(0));
        }
    }
    if placeholder && kept.is_empty() {
        let existing = (!emptied.is_empty()).then(|| emptied.remove(0));
        let changed = existing.is_none_or(|s| {
            !s.endpoints.is_empty()
                || s.metadata.labels.as_ref() != Some(labels)
                || s.ports.as_deref().unwrap_or_default() != ports
        });
        kept.push(FilledSlice { existing, endpoints: Vec::new(), changed });
    }
    (kept, emptied)
}

fn sort_ports(mut ports: Vec<discoveryv1::EndpointPort>) -> Vec<discoveryv1::EndpointPort> {
    ports.sort_by(|a, b| (&a.name, a.port, &a.protocol).cmp(&(&b.name, b.port, &b.protocol)));
    ports
}

#[cfg(test)]
mod tests {
    use api::Object;
    use k8s_openapi::api::apps::v1 as appsv1;
    use k8s_openapi::api::discovery::v1 as discoveryv1;

    use super::MAX_ENDPOINTS_PER_SLICE;
    use crate::controller::kind_of;
    use crate::controller::testutil::{apply, patch_replicas};
    use crate::time::SimDuration;

    /// Endpoint counts of the Service's slices, by slice name.
    fn slice_sizes(c: &crate::sim::Cluster) -> Vec<(String, usize)> {
        c.list(kind_of::<discoveryv1::EndpointSlice>(), Some("default"))
            .iter()
            .filter_map(|o| match &**o {
                Object::EndpointSlice(s)
                    if s.metadata.name.as_deref().is_some_and(|n| n.starts_with("web-")) =>
                {
                    Some((s.metadata.name.clone().unwrap_or_default(), s.endpoints.len()))
                }
                _ => None,
            })
            .collect()
    }

    // staging/src/k8s.io/endpointslice/reconciler.go (v1.34): at most 100 endpoints a slice;
    // endpoints stay where they are and a shrinking Service empties and deletes slices.
    #[test]
    fn endpoints_split_into_slices_of_at_most_one_hundred() {
        let mut c = crate::presets::multinode(7);
        apply(
            &mut c,
            r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 150
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"#,
        );
        c.advance(SimDuration::from_secs(120));
        let mut sizes: Vec<usize> = slice_sizes(&c).into_iter().map(|(_, n)| n).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, vec![50, MAX_ENDPOINTS_PER_SLICE]);

        // Scaling to 30 keeps the survivors where they were: no slice exceeds 100, none is
        // empty, and together they hold all 30.
        patch_replicas(&mut c, kind_of::<appsv1::Deployment>(), "web", 30);
        c.advance(SimDuration::from_secs(60));
        let sizes = slice_sizes(&c);
        assert!(sizes.iter().all(|(_, n)| *n > 0 && *n <= MAX_ENDPOINTS_PER_SLICE), "{sizes:?}");
        assert_eq!(sizes.iter().map(|(_, n)| n).sum::<usize>(), 30, "{sizes:?}");

        // Back to 150: the new endpoints fill the slices there are first, and the slices the
        // earlier ones live in are kept (no slice is emptied and recreated).
        let before: Vec<String> = sizes.iter().map(|(n, _)| n.clone()).collect();
        patch_replicas(&mut c, kind_of::<appsv1::Deployment>(), "web", 150);
        c.advance(SimDuration::from_secs(120));
        let sizes = slice_sizes(&c);
        assert_eq!(sizes.iter().map(|(_, n)| n).sum::<usize>(), 150, "{sizes:?}");
        assert!(sizes.iter().all(|(_, n)| *n > 0 && *n <= MAX_ENDPOINTS_PER_SLICE), "{sizes:?}");
        assert!(before.iter().all(|b| sizes.iter().any(|(n, _)| n == b)), "{before:?} {sizes:?}");
    }
}
