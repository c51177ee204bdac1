//! kube-proxy's part: which Service an address:port names, and which ready endpoint a new
//! connection goes to (pkg/proxy/iptables/proxier.go, v1.34: a uniformly random endpoint per
//! connection, or the client's previous one under `sessionAffinity: ClientIP` until its
//! timeout, default 10800 s; no ready endpoints → REJECT, seen as "connection refused").

use std::sync::Arc;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::Store;
use crate::controller::kind_of;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

use super::NetState;

/// A ready endpoint a connection can go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: String,
    pub port: u16,
    /// `namespace/name` of the pod behind it, when the Endpoints say.
    pub pod: Option<String>,
    pub hostname: Option<String>,
}

/// How a Service was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    ClusterIp,
    NodePort,
    LoadBalancer,
}

/// All Services, every namespace.
pub fn services(store: &Store) -> Vec<Arc<Object>> {
    store
        .list(kind_of::<corev1::Service>(), None, &Default::default())
        .map(|l| l.items)
        .unwrap_or_default()
}

/// `namespace/name` of a Service.
pub fn key(svc: &corev1::Service) -> String {
    format!(
        "{}/{}",
        svc.metadata.namespace.as_deref().unwrap_or_default(),
        svc.metadata.name.as_deref().unwrap_or_default()
    )
}

/// The Service and port an address names, and how it was reached. `node_ips` are every
/// node's InternalIP (NodePorts answer on all of them).
pub fn find_service(
    store: &Store,
    ip: &str,
    port: u16,
    node_ips: &[String],
) -> Option<(corev1::Service, corev1::ServicePort, Via)> {
    let on_node = node_ips.iter().any(|n| n == ip);
    for obj in services(store) {
        let Object::Service(svc) = &*obj else { continue };
        let Some(spec) = &svc.spec else { continue };
        let ports = spec.ports.clone().unwrap_or_default();
        let by_vip = spec
            .cluster_ips
            .iter()
            .flatten()
            .chain(spec.cluster_ip.iter())
            .any(|c| c == ip);
        let lb = svc
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|l| l.ingress.as_ref())
            .is_some_and(|ing| ing.iter().any(|i| i.ip.as_deref() == Some(ip)));
        // minikube's tunnel routes the cluster IP itself as the external IP.
        if lb && let Some(p) = ports.iter().find(|p| p.port == i32::from(port)) {
            return Some((svc.clone(), p.clone(), Via::LoadBalancer));
        }
        if by_vip {
            if let Some(p) = ports.iter().find(|p| p.port == i32::from(port)) {
                return Some((svc.clone(), p.clone(), Via::ClusterIp));
            }
            continue;
        }
        if on_node
            && let Some(p) = ports.iter().find(|p| p.node_port == Some(i32::from(port)))
        {
            return Some((svc.clone(), p.clone(), Via::NodePort));
        }
    }
    None
}

/// Whether `ip` is some Service's cluster IP (VIPs do not answer ping).
pub fn is_cluster_ip(store: &Store, ip: &str) -> bool {
    services(store).iter().any(|o| match &**o {
        Object::Service(s) => s
            .spec
            .as_ref()
            .is_some_and(|sp| sp.cluster_ip.as_deref() == Some(ip)),
        _ => false,
    })
}

/// The ready endpoints of a Service for one of its ports (by the port's name, as the
/// Endpoints controller names them).
pub fn ready_endpoints(store: &Store, svc: &corev1::Service, port: &corev1::ServicePort) -> Vec<Endpoint> {
    let ns = svc.metadata.namespace.as_deref();
    let name = svc.metadata.name.as_deref().unwrap_or_default();
    let Ok(obj) = store.get(kind_of::<corev1::Endpoints>(), ns, name) else {
        return slice_endpoints(store, svc, port);
    };
    let Object::Endpoints(eps) = &*obj else {
        return Vec::new();
    };
    let want = port.name.clone().unwrap_or_default();
    let mut out = Vec::new();
    for subset in eps.subsets.iter().flatten() {
        let Some(p) = subset
            .ports
            .iter()
            .flatten()
            .find(|p| p.name.clone().unwrap_or_default() == want)
        else {
            continue;
        };
        for a in subset.addresses.iter().flatten() {
            out.push(Endpoint {
                ip: a.ip.clone(),
                port: u16::try_from(p.port).unwrap_or(0),
                pod: a.target_ref.as_ref().map(|r| {
                    format!(
                        "{}/{}",
                        r.namespace.as_deref().unwrap_or_default(),
                        r.name.as_deref().unwrap_or_default()
                    )
                }),
                hostname: a.hostname.clone(),
            });
        }
    }
    out
}

/// The ready endpoints of the EndpointSlices labelled with the Service's name, for a
/// Service whose slices someone wrote by hand (no selector, so no Endpoints either):
/// kube-proxy reads slices (pkg/proxy/endpointslicecache.go), a port by the Service port's
/// name, an endpoint when its `ready` condition is not False.
fn slice_endpoints(store: &Store, svc: &corev1::Service, port: &corev1::ServicePort) -> Vec<Endpoint> {
    use k8s_openapi::api::discovery::v1 as discoveryv1;
    let ns = svc.metadata.namespace.as_deref();
    let name = svc.metadata.name.as_deref().unwrap_or_default();
    let opts = crate::apiserver::ListOptions {
        label_selector: format!("kubernetes.io/service-name={name}"),
        ..Default::default()
    };
    let Ok(list) = store.list(kind_of::<discoveryv1::EndpointSlice>(), ns, &opts) else {
        return Vec::new();
    };
    let want = port.name.clone().unwrap_or_default();
    let mut out = Vec::new();
    for obj in &list.items {
        let Object::EndpointSlice(slice) = &**obj else { continue };
        if slice.address_type != "IPv4" {
            continue;
        }
        let Some(p) = slice
            .ports
            .iter()
            .flatten()
            .find(|p| p.name.clone().unwrap_or_default() == want)
            .and_then(|p| p.port)
        else {
            continue;
        };
        for e in &slice.endpoints {
            if e.conditions.as_ref().and_then(|c| c.ready) == Some(false) {
                continue;
            }
            for ip in &e.addresses {
                out.push(Endpoint {
                    ip: ip.clone(),
                    port: u16::try_from(p).unwrap_or(0),
                    pod: e.target_ref.as_ref().map(|r| {
                        format!(
                            "{}/{}",
                            r.namespace.as_deref().unwrap_or_default(),
                            r.name.as_deref().unwrap_or_default()
                        )
                    }),
                    hostname: e.hostname.clone(),
                });
            }
        }
    }
    out
}

/// Picks the endpoint for a new connection from `client_ip`.
pub fn choose(
    state: &mut NetState,
    parent_rng: &mut SimRng,
    now: SimTime,
    svc: &corev1::Service,
    endpoints: &[Endpoint],
    client_ip: &str,
) -> Option<Endpoint> {
    if endpoints.is_empty() {
        return None;
    }
    let spec = svc.spec.clone().unwrap_or_default();
    let sticky = spec.session_affinity.as_deref() == Some("ClientIP");
    let affinity_key = (key(svc), client_ip.to_string());
    if sticky {
        let timeout = spec
            .session_affinity_config
            .as_ref()
            .and_then(|c| c.client_ip.as_ref())
            .and_then(|c| c.timeout_seconds)
            .unwrap_or(10800);
        if let Some((ip, last)) = state.affinity.get(&affinity_key)
            && now - *last <= SimDuration::from_secs(u64::try_from(timeout).unwrap_or(0))
            && let Some(ep) = endpoints.iter().find(|e| &e.ip == ip)
        {
            let ep = ep.clone();
            state.affinity.insert(affinity_key, (ep.ip.clone(), now));
            return Some(ep);
        }
    }
    let n = u32::try_from(endpoints.len()).unwrap_or(u32::MAX);
    let i = state.rng(parent_rng).below(n) as usize;
    let ep = endpoints[i].clone();
    if sticky {
        state.affinity.insert(affinity_key, (ep.ip.clone(), now));
    }
    Some(ep)
}
