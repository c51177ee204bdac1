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
//! Deliberate gaps: one slice per distinct port list (no 100-endpoint split), IPv4 only,
//! no topology hints or zones.

use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::endpoint::{
    find_port, selected_pods, service_selector, services_for_pod, should_pod_be_in_endpoints,
};
use super::kind_of;
use super::plan::{Plan, SyncError, Write};
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

/// The runner's handle on the EndpointSlice controller, with its trigger-time memory.
#[derive(Debug, Default)]
pub struct EndpointSliceController {
    triggers: TriggerTimeTracker,
}

/// What `sync_endpoint_slices` reads: the namespace's pods and the Service's slices.
#[derive(Debug, Clone, Default)]
pub struct EndpointSliceView {
    pub pods: Vec<Arc<Object>>,
    pub slices: Vec<discoveryv1::EndpointSlice>,
    /// This sync's `last-change-trigger-time`, if any.
    pub trigger: Option<SimTime>,
}

impl Reconciler for EndpointSliceController {
    fn name(&self) -> &'static str {
        "endpointslice-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Service>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![
            kind_of::<corev1::Pod>(),
            kind_of::<discoveryv1::EndpointSlice>(),
        ]
    }

    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        match &*event.object {
            Object::EndpointSlice(_) => controller_owner_key(&event.object, self.primary())
                .into_iter()
                .collect(),
            Object::Pod(p) => services_for_pod(p, event.event_type, store),
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            // Slices are garbage-collected through their owner reference.
            self.triggers.forget(key.namespace.as_deref(), &key.name);
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
        let pods = list(kind_of::<corev1::Pod>())?;
        // Computed on every sync (endpointslice_controller.go), written only with a change.
        let trigger = service_selector(svc)
            .map(|_| self.triggers.compute(svc, &selected_pods(svc, &pods)))
            .unwrap_or_default();
        Ok(sync_endpoint_slices(
            svc,
            &EndpointSliceView {
                pods,
                slices,
                trigger,
            },
        ))
    }
}

/// Mirrors the reconciler: the desired slices (one per distinct port list), matched to the
/// existing ones by ports; changed ones are updated, missing ones created, extra ones deleted.
pub fn sync_endpoint_slices(svc: &corev1::Service, view: &EndpointSliceView) -> Plan {
    let mut plan = Plan::none();
    if service_selector(svc).is_none() || svc.metadata.deletion_timestamp.is_some() {
        return plan;
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
    existing.sort_by_key(|s| s.metadata.name.clone());
    for (ports, mut endpoints) in desired {
        endpoints.sort_by(|a, b| a.addresses.cmp(&b.addresses));
        let ports_opt = Some(ports.clone());
        let pos = existing
            .iter()
            .position(|s| sort_ports(s.ports.clone().unwrap_or_default()) == ports);
        match pos {
            Some(i) => {
                let cur = existing.remove(i);
                if cur.endpoints != endpoints
                    || cur.ports != ports_opt
                    || cur.metadata.labels.as_ref() != Some(&labels)
                {
                    let mut s = cur.clone();
                    s.endpoints = endpoints;
                    s.ports = ports_opt;
                    s.metadata.labels = Some(labels.clone());
                    triggertime::set_annotation(&mut s.metadata, view.trigger);
                    plan.push(Write::Update(Object::EndpointSlice(s)));
                }
            }
            None => {
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
                plan.push(Write::create(Object::EndpointSlice(
                    discoveryv1::EndpointSlice {
                        metadata,
                        address_type: "IPv4".into(),
                        endpoints,
                        ports: ports_opt,
                    },
                )));
            }
        }
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
    plan
}

fn sort_ports(mut ports: Vec<discoveryv1::EndpointPort>) -> Vec<discoveryv1::EndpointPort> {
    ports.sort_by(|a, b| (&a.name, a.port, &a.protocol).cmp(&(&b.name, b.port, &b.protocol)));
    ports
}
