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

/// One endpoint of a Service port as kube-proxy's EndpointSliceCache holds it, with the
/// slice's conditions already defaulted (pkg/proxy/endpointslicecache.go, v1.34: `ready` unset
/// means ready, `serving` unset means `ready`, `terminating` unset means false).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SliceEndpoint {
    pub endpoint: Endpoint,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    /// The endpoint's `nodeName`, for the `Local` traffic policies.
    pub node: Option<String>,
    /// `hints.forZones` and `hints.forNodes`: where the EndpointSlice controller wants the
    /// endpoint used (topology-aware routing).
    pub zone_hints: Vec<String>,
    pub node_hints: Vec<String>,
}

/// Every endpoint of a Service port, read as kube-proxy does: from the EndpointSlices of the
/// Service's namespace labelled `kubernetes.io/service-name: <name>`, whoever manages them
/// (the EndpointSlice controller, the mirroring controller for hand-written Endpoints, or
/// anyone else), IPv4 ones only. A slice port matches by the Service port's name and needs a
/// number; an endpoint counts by its first address; an `ip:port` listed twice (two slices)
/// is kept once. Sorted by `ip:port` as the cache sorts its endpoints map.
pub fn slice_endpoints(
    store: &Store,
    svc: &corev1::Service,
    port: &corev1::ServicePort,
) -> Vec<SliceEndpoint> {
    let want = port.name.clone().unwrap_or_default();
    collect_slice_endpoints(store, svc, |slice| {
        slice
            .ports
            .iter()
            .flatten()
            .find(|p| p.name.clone().unwrap_or_default() == want)
            .and_then(|p| p.port)
            .map(|p| u16::try_from(p).unwrap_or(0))
    })
}

/// The endpoints of a Service without ports (a headless one: CoreDNS still publishes its
/// addresses), from its slices that list no ports; their port reads 0.
pub fn portless_slice_endpoints(store: &Store, svc: &corev1::Service) -> Vec<SliceEndpoint> {
    collect_slice_endpoints(store, svc, |slice| {
        slice.ports.as_ref().is_none_or(Vec::is_empty).then_some(0)
    })
}

fn collect_slice_endpoints(
    store: &Store,
    svc: &corev1::Service,
    port_of: impl Fn(&k8s_openapi::api::discovery::v1::EndpointSlice) -> Option<u16>,
) -> Vec<SliceEndpoint> {
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
    let mut by_key: std::collections::BTreeMap<String, SliceEndpoint> = Default::default();
    for obj in &list.items {
        let Object::EndpointSlice(slice) = &**obj else { continue };
        if slice.address_type != "IPv4" {
            continue;
        }
        let Some(port) = port_of(slice) else {
            continue;
        };
        for e in &slice.endpoints {
            let Some(ip) = e.addresses.first() else { continue };
            if ip.parse::<std::net::Ipv4Addr>().is_err() {
                continue;
            }
            let cond = e.conditions.clone().unwrap_or_default();
            let ready = cond.ready.unwrap_or(true);
            let ep = SliceEndpoint {
                endpoint: Endpoint {
                    ip: ip.clone(),
                    port,
                    pod: e.target_ref.as_ref().map(|r| {
                        format!(
                            "{}/{}",
                            r.namespace.as_deref().unwrap_or_default(),
                            r.name.as_deref().unwrap_or_default()
                        )
                    }),
                    hostname: e.hostname.clone(),
                },
                ready,
                serving: cond.serving.unwrap_or(ready),
                terminating: cond.terminating.unwrap_or(false),
                node: e.node_name.clone(),
                zone_hints: e
                    .hints
                    .iter()
                    .flat_map(|h| h.for_zones.iter().flatten())
                    .map(|z| z.name.clone())
                    .collect(),
                node_hints: e
                    .hints
                    .iter()
                    .flat_map(|h| h.for_nodes.iter().flatten())
                    .map(|n| n.name.clone())
                    .collect(),
            };
            by_key.entry(format!("{ip}:{port}")).or_insert(ep);
        }
    }
    by_key.into_values().collect()
}

/// The endpoints kube-proxy sends new connections of a Service port to
/// (pkg/proxy/topology.go `CategorizeEndpoints`, v1.34, cluster traffic policy): the ready
/// ones, or when none is ready, the ones still serving while they terminate.
pub fn ready_endpoints(store: &Store, svc: &corev1::Service, port: &corev1::ServicePort) -> Vec<Endpoint> {
    usable(slice_endpoints(store, svc, port).iter())
}

/// The ready endpoints, or else the serving terminating ones.
fn usable<'a>(eps: impl Iterator<Item = &'a SliceEndpoint> + Clone) -> Vec<Endpoint> {
    let ready: Vec<Endpoint> = eps.clone().filter(|e| e.ready).map(|e| e.endpoint.clone()).collect();
    if !ready.is_empty() {
        return ready;
    }
    eps.filter(|e| e.serving && e.terminating)
        .map(|e| e.endpoint.clone())
        .collect()
}

/// Where kube-proxy sends a new connection to a Service port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backends {
    /// These endpoints (none: the Service has no usable endpoint, REJECT).
    Endpoints(Vec<Endpoint>),
    /// A `Local` traffic policy and no usable endpoint on this node: DROP.
    NoLocal,
}

/// The endpoints for a connection that reached the Service `via` on `node` (the client's
/// node for a cluster IP, the node dialled for a NodePort): topology.go
/// `CategorizeEndpoints` (v1.34) with `internalTrafficPolicy: Local` for cluster-IP traffic
/// and `externalTrafficPolicy: Local` for NodePort and load-balancer traffic, which keep to
/// endpoints on that node and drop the packet when there are none. Under the `Cluster`
/// policies the slices' topology hints narrow the choice to the node's own (or its zone's)
/// endpoints when every ready endpoint has a hint and some hint names this node (zone).
pub fn backends(
    store: &Store,
    svc: &corev1::Service,
    port: &corev1::ServicePort,
    via: Via,
    node: Option<&str>,
) -> Backends {
    let all = slice_endpoints(store, svc, port);
    let spec = svc.spec.clone().unwrap_or_default();
    let local = match via {
        Via::ClusterIp => spec.internal_traffic_policy.as_deref() == Some("Local"),
        Via::NodePort | Via::LoadBalancer => {
            spec.external_traffic_policy.as_deref() == Some("Local")
        }
    };
    let Some(node) = node.filter(|_| local) else {
        let zone = node.and_then(|n| node_zone(store, n));
        return Backends::Endpoints(cluster_endpoints(&all, node, zone.as_deref()));
    };
    let here = usable(all.iter().filter(|e| e.node.as_deref() == Some(node)));
    if here.is_empty() && !usable(all.iter()).is_empty() {
        return Backends::NoLocal;
    }
    Backends::Endpoints(here)
}

/// The node's `topology.kubernetes.io/zone` label, as kube-proxy on it reads it.
fn node_zone(store: &Store, node: &str) -> Option<String> {
    match store.get(kind_of::<corev1::Node>(), None, node).as_deref() {
        Ok(Object::Node(n)) => n.metadata.labels.as_ref()?.get(ZONE_LABEL).cloned(),
        _ => None,
    }
}

/// `topology.kubernetes.io/zone`.
pub const ZONE_LABEL: &str = "topology.kubernetes.io/zone";

/// Which hints a node's kube-proxy follows for a Service (topology.go
/// `topologyModeFromHints`, v1.34 with PreferSameTrafficDistribution on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TopologyMode {
    /// Every endpoint, hints or not.
    None,
    SameNode,
    SameZone,
}

fn topology_mode(all: &[SliceEndpoint], node: Option<&str>, zone: Option<&str>) -> TopologyMode {
    let ready: Vec<&SliceEndpoint> = all.iter().filter(|e| e.ready).collect();
    if ready.is_empty() {
        return TopologyMode::None;
    }
    let node = node.unwrap_or_default();
    let zone = zone.unwrap_or_default();
    if ready.iter().all(|e| !e.node_hints.is_empty())
        && ready.iter().any(|e| e.node_hints.iter().any(|n| n == node))
    {
        return TopologyMode::SameNode;
    }
    if ready.iter().all(|e| !e.zone_hints.is_empty())
        && ready.iter().any(|e| e.zone_hints.iter().any(|z| z == zone))
    {
        return TopologyMode::SameZone;
    }
    TopologyMode::None
}

/// The `Cluster` policy's endpoints: the ready ones the topology mode allows, else (no
/// ready endpoint anywhere) the serving terminating ones.
fn cluster_endpoints(all: &[SliceEndpoint], node: Option<&str>, zone: Option<&str>) -> Vec<Endpoint> {
    let mode = topology_mode(all, node, zone);
    let allowed = |e: &&SliceEndpoint| match mode {
        TopologyMode::None => true,
        TopologyMode::SameNode => e.node_hints.iter().any(|n| Some(n.as_str()) == node),
        TopologyMode::SameZone => e.zone_hints.iter().any(|z| Some(z.as_str()) == zone),
    };
    let ready: Vec<Endpoint> = all
        .iter()
        .filter(|e| e.ready)
        .filter(allowed)
        .map(|e| e.endpoint.clone())
        .collect();
    if !ready.is_empty() {
        return ready;
    }
    usable(all.iter())
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
