//! The API server's own endpoints: the `kubernetes` Service in `default` lists every API
//! server's advertise address, as an Endpoints object and an EndpointSlice.
//!
//! Mirrors pkg/controlplane/controller/kubernetesservice/controller.go,
//! pkg/controlplane/reconcilers/lease.go and endpointsadapter.go (v1.34): the Endpoints
//! `kubernetes` holds one subset with each API server's IP and the port `https`, labelled
//! `endpointslice.kubernetes.io/skip-mirror: "true"`; the EndpointSlice `kubernetes` (label
//! `kubernetes.io/service-name`, address type IPv4, every endpoint ready) is written from it.
//! The API servers are the kube-apiserver static pods and the `<ip>:<port>` kubeadm notes on
//! them, so `kubectl get ep kubernetes` shows `192.168.49.2:8443` on minikube.
//!
//! A deleted `kubernetes` Service is created again (controller.go
//! `CreateOrUpdateMasterServiceIfNeeded`: cluster IP 10.96.0.1, port `https` 443 to the
//! advertised port, labels `component=apiserver`, `provider=kubernetes`) on the next tick of
//! upstream's 10 s loop (`EndpointInterval`), and its Endpoints and EndpointSlice with it.
//!
//! Deliberate gap: for the Endpoints, a change to the objects or the API server pods
//! triggers the sync at once instead of on the next tick.

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::endpoint::SKIP_MIRROR_LABEL;
use super::endpointslice::SERVICE_NAME_LABEL;
use super::kind_of;
use super::plan::{Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::{ListOptions, Store, WatchEvent};
use crate::time::SimTime;

/// The Service, Endpoints and EndpointSlice name.
pub const SERVICE_NAME: &str = "kubernetes";
/// Their namespace.
pub const NAMESPACE: &str = "default";
/// The name of the Endpoints port (`createEndpointPortSpec`).
pub const PORT_NAME: &str = "https";
/// The annotation kubeadm puts on each kube-apiserver static pod: its `<ip>:<port>`.
pub const ADVERTISE_ANNOTATION: &str =
    "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint";

/// The runner's handle on the `kubernetes` Service's endpoint reconciler.
#[derive(Debug, Clone, Copy, Default)]
pub struct KubernetesServiceController;

/// What `sync_kubernetes_endpoints` reads.
#[derive(Debug, Clone, Default)]
pub struct KubernetesServiceView {
    /// Each API server's `(ip, port)`, in address order.
    pub api_servers: Vec<(String, i32)>,
    pub endpoints: Option<corev1::Endpoints>,
    pub slice: Option<discoveryv1::EndpointSlice>,
}

impl Reconciler for KubernetesServiceController {
    fn name(&self) -> &'static str {
        "kube-apiserver"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Service>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![
            kind_of::<corev1::Endpoints>(),
            kind_of::<discoveryv1::EndpointSlice>(),
            kind_of::<corev1::Pod>(),
        ]
    }

    fn keys_for(&self, event: &WatchEvent, _store: &Store) -> Vec<ObjectKey> {
        let obj = &*event.object;
        let ours = match obj {
            Object::Service(_) | Object::Endpoints(_) | Object::EndpointSlice(_) => {
                obj.namespace() == Some(NAMESPACE) && obj.name() == SERVICE_NAME
            }
            Object::Pod(p) => advertised(p).is_some(),
            _ => false,
        };
        if ours {
            vec![ObjectKey::new(Some(NAMESPACE), SERVICE_NAME)]
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        if store
            .get(self.primary(), key.namespace.as_deref(), &key.name)
            .is_err()
        {
            return Ok(recreate_service(&api_servers(store), now));
        }
        let get = |info: &'static KindInfo| {
            store
                .get(info, Some(NAMESPACE), SERVICE_NAME)
                .ok()
                .map(|o| (*o).clone())
        };
        let endpoints = match get(kind_of::<corev1::Endpoints>()) {
            Some(Object::Endpoints(e)) => Some(e),
            _ => None,
        };
        let slice = match get(kind_of::<discoveryv1::EndpointSlice>()) {
            Some(Object::EndpointSlice(s)) => Some(s),
            _ => None,
        };
        let view = KubernetesServiceView {
            api_servers: api_servers(store),
            endpoints,
            slice,
        };
        Ok(sync_kubernetes_endpoints(&view))
    }
}

/// How often upstream's loop runs (`EndpointInterval`, 10 s).
const ENDPOINT_INTERVAL_MS: u64 = 10_000;
/// The first address of the service CIDR, which the `kubernetes` Service always has.
pub const SERVICE_IP: &str = "10.96.0.1";

/// The `kubernetes` Service as the API server creates it, its port `https` (443) sent to
/// the advertised `port` (controller.go `createPortAndServiceSpec`).
pub fn kubernetes_service(port: i32) -> corev1::Service {
    corev1::Service {
        metadata: metav1::ObjectMeta {
            name: Some(SERVICE_NAME.into()),
            namespace: Some(NAMESPACE.into()),
            labels: Some(
                [
                    ("component".to_string(), "apiserver".to_string()),
                    ("provider".to_string(), "kubernetes".to_string()),
                ]
                .into(),
            ),
            ..Default::default()
        },
        spec: Some(corev1::ServiceSpec {
            cluster_ip: Some(SERVICE_IP.into()),
            cluster_ips: Some(vec![SERVICE_IP.into()]),
            ports: Some(vec![corev1::ServicePort {
                name: Some(PORT_NAME.into()),
                port: 443,
                target_port: Some(
                    k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(port),
                ),
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            session_affinity: Some("None".into()),
            type_: Some("ClusterIP".into()),
            ..Default::default()
        }),
        status: None,
    }
}

/// With the Service gone: create it on the loop's next tick (wait until then).
fn recreate_service(api_servers: &[(String, i32)], now: SimTime) -> Plan {
    let mut plan = Plan::none();
    let Some((_, port)) = api_servers.first() else {
        return plan;
    };
    let wait =
        (ENDPOINT_INTERVAL_MS - now.as_millis() % ENDPOINT_INTERVAL_MS) % ENDPOINT_INTERVAL_MS;
    if wait > 0 {
        plan.requeue_after(crate::time::SimDuration::from_millis(wait));
    } else {
        plan.push(Write::create(Object::Service(kubernetes_service(*port))));
    }
    plan
}

/// Every API server's `(ip, port)`, from the kube-apiserver static pods in kube-system,
/// sorted by address (the lease reconciler lists them in lexicographic order).
pub fn api_servers(store: &Store) -> Vec<(String, i32)> {
    let Ok(list) = store.list(
        kind_of::<corev1::Pod>(),
        Some("kube-system"),
        &ListOptions::default(),
    ) else {
        return Vec::new();
    };
    let mut out: Vec<(String, i32)> = list
        .items
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) if p.metadata.deletion_timestamp.is_none() => advertised(p),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The lease reconciler's writes: the Endpoints and the EndpointSlice as they should be,
/// created when missing and updated when they differ (a learner's edit is undone).
pub fn sync_kubernetes_endpoints(view: &KubernetesServiceView) -> Plan {
    let mut plan = Plan::none();
    let Some(port) = view.api_servers.first().map(|(_, p)| *p) else {
        return plan;
    };
    let subsets = vec![corev1::EndpointSubset {
        addresses: Some(
            view.api_servers
                .iter()
                .map(|(ip, _)| corev1::EndpointAddress {
                    ip: ip.clone(),
                    ..Default::default()
                })
                .collect(),
        ),
        not_ready_addresses: None,
        ports: Some(vec![corev1::EndpointPort {
            name: Some(PORT_NAME.into()),
            port,
            protocol: Some("TCP".into()),
            app_protocol: None,
        }]),
    }];
    let endpoints = match &view.endpoints {
        Some(cur) => {
            let mut e = cur.clone();
            e.metadata
                .labels
                .get_or_insert_with(Default::default)
                .insert(SKIP_MIRROR_LABEL.into(), "true".into());
            e.subsets = Some(subsets);
            if &e != cur {
                plan.push(Write::Update(Object::Endpoints(e.clone())));
            }
            e
        }
        None => {
            let e = corev1::Endpoints {
                metadata: metav1::ObjectMeta {
                    name: Some(SERVICE_NAME.into()),
                    namespace: Some(NAMESPACE.into()),
                    labels: Some([(SKIP_MIRROR_LABEL.to_string(), "true".to_string())].into()),
                    ..Default::default()
                },
                subsets: Some(subsets),
            };
            plan.push(Write::create(Object::Endpoints(e.clone())));
            e
        }
    };
    let desired = slice_from_endpoints(&endpoints);
    match &view.slice {
        Some(cur) => {
            let mut s = cur.clone();
            s.metadata.labels = desired.metadata.labels;
            s.address_type = desired.address_type;
            s.endpoints = desired.endpoints;
            s.ports = desired.ports;
            if &s != cur {
                plan.push(Write::Update(Object::EndpointSlice(s)));
            }
        }
        None => {
            plan.push(Write::create(Object::EndpointSlice(desired)));
        }
    }
    plan
}

/// Mirrors endpointsadapter.go `endpointSliceFromEndpoints`: same name and namespace, the
/// service-name label, IPv4, the first subset's ports, ready addresses as ready endpoints.
fn slice_from_endpoints(e: &corev1::Endpoints) -> discoveryv1::EndpointSlice {
    let subset = e.subsets.iter().flatten().next();
    let ports = subset.map(|s| {
        s.ports
            .iter()
            .flatten()
            .map(|p| discoveryv1::EndpointPort {
                name: Some(p.name.clone().unwrap_or_default()),
                port: Some(p.port),
                protocol: p.protocol.clone(),
                app_protocol: None,
            })
            .collect()
    });
    let endpoint = |a: &corev1::EndpointAddress, ready: bool| discoveryv1::Endpoint {
        addresses: vec![a.ip.clone()],
        conditions: Some(discoveryv1::EndpointConditions {
            ready: Some(ready),
            ..Default::default()
        }),
        hostname: a.hostname.clone(),
        node_name: a.node_name.clone(),
        target_ref: a.target_ref.clone(),
        ..Default::default()
    };
    let endpoints = subset
        .map(|s| {
            let ready = s.addresses.iter().flatten().map(|a| endpoint(a, true));
            let not_ready = s
                .not_ready_addresses
                .iter()
                .flatten()
                .map(|a| endpoint(a, false));
            ready.chain(not_ready).collect()
        })
        .unwrap_or_default();
    discoveryv1::EndpointSlice {
        metadata: metav1::ObjectMeta {
            name: e.metadata.name.clone(),
            namespace: e.metadata.namespace.clone(),
            labels: Some([(SERVICE_NAME_LABEL.to_string(), SERVICE_NAME.to_string())].into()),
            ..Default::default()
        },
        address_type: "IPv4".into(),
        endpoints,
        ports,
    }
}

/// The `(ip, port)` a kube-apiserver static pod advertises, if it is one.
fn advertised(p: &corev1::Pod) -> Option<(String, i32)> {
    if p.metadata.namespace.as_deref() != Some("kube-system") {
        return None;
    }
    let value = p.metadata.annotations.as_ref()?.get(ADVERTISE_ANNOTATION)?;
    let (ip, port) = value.rsplit_once(':')?;
    Some((ip.to_string(), port.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::testutil;

    fn get(c: &crate::sim::Cluster, info: &'static KindInfo) -> Option<Object> {
        c.store()
            .get(info, Some(NAMESPACE), SERVICE_NAME)
            .ok()
            .map(|o| (*o).clone())
    }

    #[test]
    fn a_new_cluster_lists_the_api_server() {
        let c = testutil::cluster(1);
        let Some(Object::Endpoints(e)) = get(&c, kind_of::<corev1::Endpoints>()) else {
            panic!("no Endpoints kubernetes");
        };
        let subset = &e.subsets.clone().unwrap_or_default()[0];
        let ips: Vec<&str> = subset
            .addresses
            .iter()
            .flatten()
            .map(|a| a.ip.as_str())
            .collect();
        assert_eq!(ips, ["192.168.49.2"]);
        let port = &subset.ports.clone().unwrap_or_default()[0];
        assert_eq!((port.name.as_deref(), port.port), (Some("https"), 8443));
        assert_eq!(
            e.metadata
                .labels
                .unwrap_or_default()
                .get(SKIP_MIRROR_LABEL)
                .map(String::as_str),
            Some("true")
        );
        let Some(Object::EndpointSlice(s)) = get(&c, kind_of::<discoveryv1::EndpointSlice>())
        else {
            panic!("no EndpointSlice kubernetes");
        };
        assert_eq!(s.address_type, "IPv4");
        assert_eq!(
            s.metadata
                .labels
                .unwrap_or_default()
                .get(SERVICE_NAME_LABEL)
                .map(String::as_str),
            Some("kubernetes")
        );
        assert_eq!(s.endpoints[0].addresses, ["192.168.49.2"]);
        assert_eq!(
            s.endpoints[0].conditions.as_ref().and_then(|c| c.ready),
            Some(true)
        );
    }

    #[test]
    fn deleted_endpoints_come_back() {
        let mut c = testutil::cluster(1);
        c.store_mut()
            .delete(
                kind_of::<corev1::Endpoints>(),
                Some(NAMESPACE),
                SERVICE_NAME,
                &Default::default(),
            )
            .expect("delete");
        assert!(get(&c, kind_of::<corev1::Endpoints>()).is_none());
        c.advance(crate::time::SimDuration::from_secs(1));
        assert!(get(&c, kind_of::<corev1::Endpoints>()).is_some());
    }

    // After pkg/controlplane/controller/kubernetesservice/controller.go (v1.34): the loop
    // recreates a deleted Service within its 10 s interval, then the endpoints follow.
    #[test]
    fn a_deleted_service_comes_back_with_its_endpoints() {
        let mut c = testutil::cluster(1);
        // Between two ticks of the loop.
        c.advance(crate::time::SimDuration::from_secs(3));
        c.store_mut()
            .delete(
                kind_of::<corev1::Service>(),
                Some(NAMESPACE),
                SERVICE_NAME,
                &Default::default(),
            )
            .expect("delete");
        c.advance(crate::time::SimDuration::from_millis(100));
        assert!(get(&c, kind_of::<corev1::Service>()).is_none());
        c.advance(crate::time::SimDuration::from_secs(10));
        let Some(Object::Service(svc)) = get(&c, kind_of::<corev1::Service>()) else {
            panic!("no Service kubernetes");
        };
        let spec = svc.spec.unwrap_or_default();
        assert_eq!(spec.cluster_ip.as_deref(), Some(SERVICE_IP));
        assert_eq!(spec.ports.unwrap_or_default()[0].port, 443);
        assert!(get(&c, kind_of::<corev1::Endpoints>()).is_some());
        assert!(get(&c, kind_of::<discoveryv1::EndpointSlice>()).is_some());
    }

    #[test]
    fn an_unchanged_view_writes_nothing() {
        let c = testutil::cluster(1);
        let view = KubernetesServiceView {
            api_servers: api_servers(c.store()),
            endpoints: match get(&c, kind_of::<corev1::Endpoints>()) {
                Some(Object::Endpoints(e)) => Some(e),
                _ => None,
            },
            slice: match get(&c, kind_of::<discoveryv1::EndpointSlice>()) {
                Some(Object::EndpointSlice(s)) => Some(s),
                _ => None,
            },
        };
        assert!(sync_kubernetes_endpoints(&view).writes.is_empty());
    }
}
