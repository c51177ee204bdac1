//! The data path: how a request from a container or from the learner's machine reaches a pod.
//!
//! A [`Fabric`] is one client's view of the network at one instant: it resolves names as
//! CoreDNS would ([`dns`]), turns Service VIPs, NodePorts and LoadBalancer IPs into a ready
//! endpoint as kube-proxy would ([`proxy`]), routes node ports 80/443 to ingress-nginx
//! ([`ingress`]) and the API server's endpoint to its authorizing front ([`apiserver`]),
//! drops what NetworkPolicies deny ([`policy`]) and lets the target container answer per its
//! image's catalog entry ([`http`]). Every request is appended to the
//! [`NetState`] traffic log, which the page animates.
//!
//! What the learner's machine holds (port-forwards, `minikube tunnel`) lives in [`NetState`]
//! too, since it outlives a single command. kubectl reaches pods through [`access::PodProxy`].

pub mod access;
pub mod apiserver;
pub(crate) mod background;
pub mod dns;
pub mod http;
pub mod ingress;
pub mod policy;
pub mod proxy;
mod route;
pub mod tools;

use std::collections::BTreeMap;

use crate::apiserver::Store;
use crate::kubelet::Kubelets;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

pub use access::{ExecResult, LogLine, NoPods, PodAccess, PodProxy};
pub use http::{Request, Response, Tls};
pub use tools::{ConnectError, Lookup, Net};

/// The cluster DNS Service's address (`kube-dns` in kube-system).
pub const DNS_SERVER: &str = "10.96.0.10";
/// The cluster domain.
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// One request on the data path, for the page's traffic view and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrafficEvent {
    pub at: SimTime,
    /// Who sent it: a pod as `namespace/name`, or `host` for the learner's machine.
    pub client: String,
    /// The address it was sent to (`10.96.8.104:80`, `192.168.49.2:30123`, `127.0.0.1:8080`).
    pub destination: String,
    /// The Service it went through, as `namespace/name`, if any.
    pub service: Option<String>,
    /// The pod that answered (or would have), as `namespace/name`.
    pub pod: Option<String>,
    /// `200`, `404`…, `refused`, `timeout`.
    pub result: String,
}

/// A `kubectl port-forward` from the learner's machine to a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub namespace: String,
    pub pod: String,
    pub remote: u16,
    /// Connections accepted so far (kubectl prints `Handling connection for PORT` for each).
    pub connections: u64,
}

/// How many of the latest requests the traffic log keeps at least.
pub const TRAFFIC_KEPT: usize = 10_000;

/// Network state that outlives one request.
#[derive(Debug, Default)]
pub struct NetState {
    /// The latest requests, oldest first: at most 2 × [`TRAFFIC_KEPT`], so a load generator
    /// looping for hours does not grow the log without end.
    pub traffic: Vec<TrafficEvent>,
    /// How many older requests were dropped from the front of `traffic`.
    pub traffic_dropped: usize,
    /// ClientIP session affinity: (service key, client IP) → (endpoint IP, last used).
    affinity: BTreeMap<(String, String), (String, SimTime)>,
    /// Local port → pod, while `kubectl port-forward` runs.
    pub forwards: BTreeMap<u16, Forward>,
    /// Whether `minikube tunnel` runs (LoadBalancer Services get an external IP).
    pub tunnel: bool,
    /// The node the lab terminal is a shell on, if any (else it is the learner's machine).
    pub terminal_node: Option<String>,
    /// Draws for endpoint choice; forked from the cluster's generator on first use.
    rng: Option<SimRng>,
    /// The ingress controller's view of the Ingresses it serves (`ns/name` →
    /// resourceVersion), for its events.
    ingresses_seen: BTreeMap<String, String>,
}

impl NetState {
    fn rng(&mut self, parent: &mut SimRng) -> &mut SimRng {
        self.rng.get_or_insert_with(|| parent.fork())
    }
}

/// Who is sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Client {
    /// A container in a pod.
    Pod {
        namespace: String,
        name: String,
        ip: String,
    },
    /// The learner's machine (the lab terminal on the minikube presets), outside the
    /// cluster: no route to pod or cluster IPs, no cluster DNS.
    Host,
    /// A node's own network (the lab terminal on the kubeadm preset, where the notes type on
    /// the control plane): kube-proxy and the pod network make cluster and pod IPs
    /// reachable, but the node's resolver does not know cluster names.
    Node { name: String, ip: String },
    /// The API server proxying a request to a pod (`…/pods/NAME:PORT/proxy/`), from its
    /// advertise address: it reaches pod IPs as any node does.
    ApiServer { ip: String },
}

impl Client {
    fn label(&self) -> String {
        match self {
            Client::Pod {
                namespace, name, ..
            } => format!("{namespace}/{name}"),
            Client::Host => "host".into(),
            Client::Node { name, .. } => name.clone(),
            Client::ApiServer { .. } => "kube-apiserver".into(),
        }
    }

    fn ip(&self) -> &str {
        match self {
            Client::Pod { ip, .. } => ip,
            Client::Host => "192.168.49.1",
            Client::Node { ip, .. } | Client::ApiServer { ip } => ip,
        }
    }
}

/// One client's view of the network at one instant.
pub struct Fabric<'a> {
    pub store: &'a Store,
    pub kubelets: &'a mut Kubelets,
    pub state: &'a mut NetState,
    pub rng: &'a mut SimRng,
    pub now: SimTime,
    pub client: Client,
    /// How long the requests made so far would have taken (timeouts), for the caller's clock.
    pub elapsed: SimDuration,
}

impl Fabric<'_> {
    /// The same network seen by the API server (the first address the `kubernetes`
    /// Service lists), for the requests it proxies to pods.
    pub fn as_apiserver(&mut self) {
        let ip = crate::controller::kubernetesservice::api_servers(self.store)
            .into_iter()
            .map(|(ip, _)| ip)
            .next()
            .unwrap_or_default();
        self.client = Client::ApiServer { ip };
    }

    fn record(&mut self, destination: String, service: Option<String>, pod: Option<String>, result: String) {
        self.state.traffic.push(TrafficEvent {
            at: self.now,
            client: self.client.label(),
            destination,
            service,
            pod,
            result,
        });
        if self.state.traffic.len() >= 2 * TRAFFIC_KEPT {
            self.state.traffic.drain(..TRAFFIC_KEPT);
            self.state.traffic_dropped += TRAFFIC_KEPT;
        }
    }
}

/// Status the simulated network components write: the ingress controller's Ingress
/// addresses, and LoadBalancer ingress IPs while `minikube tunnel` runs (minikube gives
/// each LoadBalancer Service its cluster IP as external IP).
pub fn sync_status(store: &mut Store, state: &mut NetState) {
    // The controller sees an Ingress before it writes the Ingress's status.
    ingress::record_events(store, &mut state.ingresses_seen);
    ingress::sync_status(store);
    sync_load_balancers(store, state.tunnel);
}

fn sync_load_balancers(store: &mut Store, tunnel: bool) {
    use api::Object;
    use k8s_openapi::api::core::v1 as corev1;
    // After every task: a lister read, not a list request.
    for obj in store.in_namespace(crate::controller::kind_of::<corev1::Service>(), None) {
        let Object::Service(svc) = &*obj else { continue };
        // Most Services are no load balancers: look before copying anything.
        let Some(spec) = svc.spec.as_ref().filter(|s| s.type_.as_deref() == Some("LoadBalancer"))
        else {
            continue;
        };
        let want: Option<Vec<corev1::LoadBalancerIngress>> = match (&spec.cluster_ip, tunnel) {
            (Some(ip), true) if ip != "None" => Some(vec![corev1::LoadBalancerIngress {
                ip: Some(ip.clone()),
                ..Default::default()
            }]),
            _ => None,
        };
        let have = svc
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|l| l.ingress.clone());
        if have == want {
            continue;
        }
        let mut s = svc.clone();
        s.status.get_or_insert_with(Default::default).load_balancer =
            Some(corev1::LoadBalancerStatus { ingress: want });
        let ns = svc.metadata.namespace.clone();
        let _ = store.update_status(
            ns.as_deref(),
            Object::Service(s),
            &crate::apiserver::UpdateOptions::default(),
        );
    }
}

impl crate::sim::Cluster {
    /// The store and the pod subresources side by side, for a kubectl invocation.
    pub fn client(&mut self) -> (&mut Store, PodAccess<'_>) {
        let now = self.now;
        (
            &mut self.store,
            PodAccess {
                kubelets: &mut self.kubelets,
                net: &mut self.network,
                rng: &mut self.rng,
                now,
            },
        )
    }

    /// The network as the lab terminal sees it (its `curl`): the learner's machine, or the
    /// node the terminal is a shell on ([`NetState::terminal_node`]).
    pub fn host_net(&mut self) -> Fabric<'_> {
        let client = self
            .network
            .terminal_node
            .as_ref()
            .and_then(|n| self.kubelets.nodes.get(n))
            .map_or(Client::Host, |k| Client::Node {
                name: k.name.clone(),
                ip: k.internal_ip.clone(),
            });
        Fabric {
            store: &self.store,
            kubelets: &mut self.kubelets,
            state: &mut self.network,
            rng: &mut self.rng,
            now: self.now,
            client,
            elapsed: SimDuration::ZERO,
        }
    }

    /// The network's state: the traffic log, port-forwards, the tunnel.
    pub fn network(&self) -> &NetState {
        &self.network
    }

    /// Makes the lab terminal a shell on `node` (None: the learner's machine).
    pub fn set_terminal_node(&mut self, node: Option<&str>) {
        self.network.terminal_node = node.map(str::to_string);
    }

    /// Starts or stops `minikube tunnel`.
    pub fn set_tunnel(&mut self, on: bool) {
        self.network.tunnel = on;
        sync_status(&mut self.store, &mut self.network);
        self.settle();
    }

    /// Stops every port-forward (the learner interrupted them).
    pub fn stop_forwards(&mut self) {
        self.network.forwards.clear();
    }

    /// Stops the port-forward listening on `port` (its kubectl was killed).
    pub fn stop_forward(&mut self, port: u16) {
        self.network.forwards.remove(&port);
    }

    /// Node InternalIPs by node name.
    pub fn node_ips(&self) -> Vec<(String, String)> {
        self.kubelets
            .nodes
            .values()
            .map(|k| (k.name.clone(), k.internal_ip.clone()))
            .collect()
    }
}

impl crate::sim::Cluster {
    /// `minikube addons enable ingress`: installs ingress-nginx and lets time pass until its
    /// controller is ready (minikube waits, "Verifying ingress addon..."), at most `limit`.
    /// Returns whether the controller became ready.
    pub fn enable_ingress_addon(&mut self, limit: SimDuration) -> bool {
        ingress::install_addon(&mut self.store);
        self.settle();
        self.run_until(|c| !ingress::controller_nodes(&c.store).is_empty(), limit)
            .is_ok()
    }
}

#[cfg(test)]
mod tests;
