//! Where a packet from a client goes: loopback and port-forwards, Service VIPs, NodePorts
//! and LoadBalancer IPs through kube-proxy, node ports 80/443 to ingress-nginx, pod IPs
//! directly; NetworkPolicy decides at the pod. [`Fabric`] implements [`Net`] with this.

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::controller::kind_of;
use crate::time::SimDuration;

use super::apiserver;
use super::dns;
use super::http::{self, PodAnswer, Request, Response, Tls};
use super::ingress::{self, Route};
use super::policy::{self, Peer};
use super::proxy::{self, Via};
use super::tools::{ConnectError, Lookup, Net};
use super::{Client, Fabric};

use super::tools::DNS_TIMEOUT;

/// The pod at the end of a connection.
struct Hop {
    ip: String,
    port: u16,
    service: Option<String>,
    pod: Option<String>,
}

enum Target {
    Pod(Hop),
    Ingress,
    /// The API server's HTTPS port (through the `kubernetes` Service or directly).
    ApiServer,
}

impl Fabric<'_> {
    fn node_ips(&self) -> Vec<String> {
        self.kubelets
            .nodes
            .values()
            .map(|k| k.internal_ip.clone())
            .collect()
    }

    fn pod_by_ip(&self, ip: &str) -> Option<corev1::Pod> {
        let (ns, name) = http::pod_of_ip(self.kubelets, ip)?;
        match self
            .store
            .get(kind_of::<corev1::Pod>(), Some(&ns), &name)
            .as_deref()
        {
            Ok(Object::Pod(p)) => Some(p.clone()),
            _ => None,
        }
    }

    /// The node the client sits on, as kube-proxy on it sees it.
    fn client_node(&self) -> Option<String> {
        match &self.client {
            Client::Node { name, .. } => Some(name.clone()),
            Client::Pod { .. } => self
                .client_pod()
                .and_then(|p| p.spec.and_then(|s| s.node_name)),
            Client::Host | Client::ApiServer { .. } => None,
        }
    }

    /// The node whose InternalIP is `ip`.
    fn node_of_ip(&self, ip: &str) -> Option<String> {
        self.kubelets
            .nodes
            .iter()
            .find(|(_, k)| k.internal_ip == ip)
            .map(|(name, _)| name.clone())
    }

    fn client_pod(&self) -> Option<corev1::Pod> {
        match &self.client {
            Client::Pod {
                namespace, name, ..
            } => match self
                .store
                .get(kind_of::<corev1::Pod>(), Some(namespace), name)
                .as_deref()
            {
                Ok(Object::Pod(p)) => Some(p.clone()),
                _ => None,
            },
            Client::Host | Client::Node { .. } | Client::ApiServer { .. } => None,
        }
    }

    /// A connection nobody answers; the tool decides how long it waits (`Net::wait`).
    fn timeout(&mut self) -> ConnectError {
        ConnectError::Timeout
    }

    /// Whether policies let the client reach `dst` on `port`.
    fn policy_allows(&self, dst: &corev1::Pod, port: u16) -> bool {
        let src = match self.client_pod() {
            Some(p) => {
                if !policy::egress_allowed(self.store, &p, &Peer::Pod(Box::new(dst.clone())), port) {
                    return false;
                }
                Peer::Pod(Box::new(p))
            }
            None => Peer::External(self.client.ip().to_string()),
        };
        policy::ingress_allowed(self.store, &src, dst, port)
    }

    /// Opens a connection to `ip:port` as far as the pod (or the ingress controller).
    fn open(&mut self, ip: &str, port: u16) -> Result<Target, (ConnectError, Option<String>, Option<String>)> {
        let host = matches!(self.client, Client::Host);
        if ip.starts_with("127.") {
            return match &self.client {
                // A port-forward listens on the machine kubectl ran on.
                Client::Host | Client::Node { .. } => {
                    let Some(f) = self.state.forwards.get_mut(&port) else {
                        return Err((ConnectError::Refused, None, None));
                    };
                    f.connections += 1;
                    let f = f.clone();
                    let pod_ip = match self
                        .store
                        .get(kind_of::<corev1::Pod>(), Some(&f.namespace), &f.pod)
                        .as_deref()
                    {
                        Ok(Object::Pod(p)) => p.status.as_ref().and_then(|s| s.pod_ip.clone()),
                        _ => None,
                    };
                    match pod_ip {
                        Some(pip) => Ok(Target::Pod(Hop {
                            ip: pip,
                            port: f.remote,
                            service: None,
                            pod: Some(format!("{}/{}", f.namespace, f.pod)),
                        })),
                        None => Err((ConnectError::Refused, None, None)),
                    }
                }
                Client::ApiServer { .. } => Err((ConnectError::Refused, None, None)),
                Client::Pod {
                    ip: own,
                    namespace,
                    name,
                } => Ok(Target::Pod(Hop {
                    ip: own.clone(),
                    port,
                    service: None,
                    pod: Some(format!("{namespace}/{name}")),
                })),
            };
        }
        let node_ips = self.node_ips();
        if let Some((svc, _sp, via)) = proxy::find_service(self.store, ip, port, &node_ips) {
            let key = proxy::key(&svc);
            if via == Via::ClusterIp && host {
                return Err((self.timeout(), Some(key), None));
            }
            if key == "default/kubernetes" {
                // The API server keeps this Service's endpoints pointing at itself.
                return Ok(Target::ApiServer);
            }
            let sp = _sp;
            let node = match via {
                Via::ClusterIp => self.client_node(),
                Via::NodePort => self.node_of_ip(ip),
                // minikube's tunnel sends it to the cluster IP from the host's side.
                Via::LoadBalancer => None,
            };
            let eps = match proxy::backends(self.store, &svc, &sp, via, node.as_deref()) {
                proxy::Backends::Endpoints(eps) => eps,
                proxy::Backends::NoLocal => return Err((self.timeout(), Some(key), None)),
            };
            let client_ip = self.client.ip().to_string();
            let Some(ep) = proxy::choose(self.state, self.rng, self.now, &svc, &eps, &client_ip) else {
                return Err((ConnectError::Refused, Some(key), None));
            };
            return Ok(Target::Pod(Hop {
                ip: ep.ip,
                port: ep.port,
                service: Some(key),
                pod: ep.pod,
            }));
        }
        if node_ips.iter().any(|n| n == ip) {
            if apiserver::is_endpoint(self.store, ip, port) {
                return Ok(Target::ApiServer);
            }
            if (port == 80 || port == 443) && ingress::controller_nodes(self.store).iter().any(|n| n == ip) {
                return Ok(Target::Ingress);
            }
            // A pod on the host's network (hostNetwork: true) listens on the node's IP.
            if let Some((ns, name)) = http::listener(self.kubelets, ip, port) {
                return Ok(Target::Pod(Hop {
                    ip: ip.to_string(),
                    port,
                    service: None,
                    pod: Some(format!("{ns}/{name}")),
                }));
            }
            return Err((ConnectError::Refused, None, None));
        }
        if proxy::is_cluster_ip(self.store, ip) {
            return Err((self.timeout(), None, None));
        }
        if let Some(p) = self.pod_by_ip(ip)
            && !host
        {
            let key = format!(
                "{}/{}",
                p.metadata.namespace.as_deref().unwrap_or_default(),
                p.metadata.name.as_deref().unwrap_or_default()
            );
            return Ok(Target::Pod(Hop {
                ip: ip.to_string(),
                port,
                service: None,
                pod: Some(key),
            }));
        }
        Err((self.timeout(), None, None))
    }

    /// Whether egress policies let the client pod reach a CoreDNS pod on port 53.
    fn dns_reachable(&self) -> bool {
        let Some(me) = self.client_pod() else {
            return true;
        };
        let Ok(obj) = self
            .store
            .get(kind_of::<corev1::Service>(), Some("kube-system"), "kube-dns")
        else {
            return true;
        };
        let Object::Service(svc) = &*obj else {
            return true;
        };
        let servers: Vec<corev1::Pod> = svc
            .spec
            .iter()
            .flat_map(|s| s.ports.iter().flatten())
            .flat_map(|p| proxy::ready_endpoints(self.store, svc, p))
            .filter_map(|e| self.pod_by_ip(&e.ip))
            .collect();
        // With no CoreDNS pod ready (deleted, scaled to 0), kube-proxy has nothing behind
        // the VIP and queries go unanswered.
        servers
            .into_iter()
            .any(|p| policy::egress_allowed(self.store, &me, &Peer::Pod(Box::new(p)), 53))
    }

    /// Whether a DNS server answers the client at `server`: the kube-dns Service's cluster
    /// IP (through kube-proxy, as the resolver's own server) or a CoreDNS pod's IP, policies
    /// permitting. Any other address has nothing listening on port 53.
    fn dns_answers_at(&self, server: &str) -> bool {
        if matches!(self.client, Client::Host) {
            return false;
        }
        let dns_vip = match self
            .store
            .get(kind_of::<corev1::Service>(), Some("kube-system"), "kube-dns")
            .as_deref()
        {
            Ok(Object::Service(svc)) => svc.spec.as_ref().and_then(|s| s.cluster_ip.clone()),
            _ => None,
        };
        if dns_vip.as_deref() == Some(server) {
            return self.dns_reachable();
        }
        self.pod_by_ip(server).is_some_and(|p| {
            is_coredns(&p)
                && self.client_pod().is_none_or(|me| {
                    policy::egress_allowed(self.store, &me, &Peer::Pod(Box::new(p.clone())), 53)
                })
        })
    }

    /// Whether a connection landed on ingress-nginx's HTTP(S) port (through its Service or a
    /// port-forward), so the controller routes it.
    fn is_ingress_controller(&self, hop: &Hop) -> bool {
        (hop.port == 80 || hop.port == 443)
            && self.pod_by_ip(&hop.ip).is_some_and(|p| {
                p.metadata.namespace.as_deref() == Some(ingress::NAMESPACE)
                    && p.metadata
                        .labels
                        .as_ref()
                        .and_then(|l| l.get("app.kubernetes.io/component"))
                        .is_some_and(|c| c == "controller")
            })
    }

    /// Delivers an HTTP request to a pod, policy permitting.
    fn deliver(&mut self, hop: &Hop, req: &Request, loopback: bool) -> Result<Response, ConnectError> {
        let dst = self.pod_by_ip(&hop.ip);
        if !loopback
            && let Some(p) = &dst
            && !self.policy_allows(p, hop.port)
        {
            return Err(self.timeout());
        }
        // A port-forward connects from inside the pod's network namespace.
        let peer = if loopback && matches!(self.client, Client::Host | Client::Node { .. }) {
            "127.0.0.1".to_string()
        } else {
            self.client.ip().to_string()
        };
        match http::serve(self.kubelets, &hop.ip, hop.port, req, &peer, self.now) {
            PodAnswer::Response(r) => Ok(r),
            PodAnswer::Refused => Err(ConnectError::Refused),
            PodAnswer::Unreachable => Err(self.timeout()),
        }
    }

    fn via_ingress(&mut self, req: &Request) -> (Result<Response, ConnectError>, Option<String>, Option<String>) {
        match ingress::route(self.store, req) {
            Route::NotFound => (Ok(page(404, self.now)), None, None),
            Route::Redirect { location } => {
                let mut r = page(308, self.now);
                r.headers.push(("Location".into(), location));
                (Ok(r), None, None)
            }
            Route::Backend {
                namespace,
                service,
                port,
                path,
                ..
            } => {
                let key = format!("{namespace}/{service}");
                let svc = match self
                    .store
                    .get(kind_of::<corev1::Service>(), Some(&namespace), &service)
                    .as_deref()
                {
                    Ok(Object::Service(s)) => s.clone(),
                    _ => return (Ok(page(503, self.now)), Some(key), None),
                };
                let sp = svc.spec.iter().flat_map(|s| s.ports.iter().flatten()).find(|p| {
                    match (&port.number, &port.name) {
                        (Some(n), _) => p.port == *n,
                        (None, Some(name)) => p.name.as_deref() == Some(name.as_str()),
                        _ => false,
                    }
                });
                let Some(sp) = sp.cloned() else {
                    return (Ok(page(503, self.now)), Some(key), None);
                };
                let eps = proxy::ready_endpoints(self.store, &svc, &sp);
                let client_ip = self.client.ip().to_string();
                let Some(ep) = proxy::choose(self.state, self.rng, self.now, &svc, &eps, &client_ip) else {
                    return (Ok(page(503, self.now)), Some(key), None);
                };
                let mut backend_req = req.clone();
                backend_req.path = path;
                backend_req.scheme = "http".into();
                backend_req.tls = Tls::Plain;
                let hop = Hop {
                    ip: ep.ip,
                    port: ep.port,
                    service: Some(key.clone()),
                    pod: ep.pod.clone(),
                };
                let r = match self.deliver(&hop, &backend_req, false) {
                    Ok(r) => Ok(r),
                    Err(ConnectError::Refused) => Ok(page(502, self.now)),
                    Err(ConnectError::Timeout | ConnectError::Certificate { .. } | ConnectError::Unanswered) => {
                        Ok(page(504, self.now))
                    }
                };
                (r, Some(key), ep.pod)
            }
        }
    }
}

/// An nginx error page as a response.
fn page(status: u16, now: crate::time::SimTime) -> Response {
    let body = http::nginx_page(status);
    Response {
        status,
        headers: vec![
            ("Date".into(), http::http_date(now)),
            ("Content-Type".into(), "text/html".into()),
            ("Content-Length".into(), body.len().to_string()),
            ("Connection".into(), "keep-alive".into()),
        ],
        body,
    }
}

fn result_text(r: &Result<Response, ConnectError>) -> String {
    match r {
        Ok(resp) => resp.status.to_string(),
        Err(ConnectError::Refused) => "refused".into(),
        Err(ConnectError::Timeout | ConnectError::Unanswered) => "timeout".into(),
        Err(ConnectError::Certificate { .. }) => "tls-error".into(),
    }
}

/// Whether a CA bundle the client trusts is the cluster CA (what the ServiceAccount volume's
/// `ca.crt` holds), which signed the API server's certificate.
fn signs_api_server(bundle: &str) -> bool {
    bundle.contains(crate::controller::serviceaccount::CLUSTER_CA_PEM.trim())
}

/// A CoreDNS pod (the kube-dns Service's selector in kube-system).
fn is_coredns(p: &corev1::Pod) -> bool {
    p.metadata.namespace.as_deref() == Some("kube-system")
        && p.metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("k8s-app"))
            .is_some_and(|v| v == "kube-dns")
}

impl Net for Fabric<'_> {
    fn lookup_at(&mut self, server: &str, name: &str, srv: bool) -> Lookup {
        if !self.dns_answers_at(server) {
            self.elapsed = SimDuration(self.elapsed.0 + DNS_TIMEOUT.0);
            return Lookup::NoServer;
        }
        match &self.client {
            Client::Pod { namespace, .. } => match dns::resolve(self.store, name, namespace, srv) {
                Ok((name, records)) => Lookup::Found { name, records },
                Err(tried) => Lookup::NotFound { tried },
            },
            // A node's resolv.conf has no cluster search domains: the name is asked as it is.
            _ => {
                let fqdn = name.strip_suffix('.').unwrap_or(name);
                match dns::answer(self.store, fqdn, srv) {
                    records if records.is_empty() => Lookup::NotFound {
                        tried: vec![fqdn.to_string()],
                    },
                    records => Lookup::Found {
                        name: fqdn.to_string(),
                        records,
                    },
                }
            }
        }
    }

    fn lookup(&mut self, name: &str, srv: bool) -> Lookup {
        let Client::Pod { namespace, .. } = &self.client else {
            return Lookup::NotFound {
                tried: vec![name.to_string()],
            };
        };
        if !self.dns_reachable() {
            self.elapsed = SimDuration(self.elapsed.0 + DNS_TIMEOUT.0);
            return Lookup::NoServer;
        }
        match dns::resolve(self.store, name, namespace, srv) {
            Ok((name, records)) => Lookup::Found { name, records },
            Err(tried) => Lookup::NotFound { tried },
        }
    }

    fn request(&mut self, req: &Request) -> Result<Response, ConnectError> {
        let destination = format!("{}:{}", req.ip, req.port);
        let (result, service, pod) = match self.open(&req.ip, req.port) {
            Err((e, service, pod)) => (Err(e), service, pod),
            Ok(Target::ApiServer) => {
                let r = match &req.tls {
                    Tls::Verify(ca) if !ca.as_deref().is_some_and(signs_api_server) => {
                        Err(ConnectError::Certificate { self_signed: false })
                    }
                    _ => Ok(apiserver::serve(self.store, req, self.now)),
                };
                (r, Some("default/kubernetes".into()), None)
            }
            Ok(Target::Ingress | Target::Pod(_)) if matches!(req.tls, Tls::Verify(_)) => {
                // ingress-nginx's fake certificate, the learner's self-signed TLS Secrets and
                // whatever a container serves are all self-signed.
                (Err(ConnectError::Certificate { self_signed: true }), None, None)
            }
            Ok(Target::Ingress) => self.via_ingress(req),
            Ok(Target::Pod(hop)) if self.is_ingress_controller(&hop) => {
                let dst = self.pod_by_ip(&hop.ip);
                if dst.as_ref().is_some_and(|p| !self.policy_allows(p, hop.port)) {
                    (Err(self.timeout()), hop.service.clone(), hop.pod.clone())
                } else {
                    self.via_ingress(req)
                }
            }
            Ok(Target::Pod(hop)) => {
                let loopback = req.ip.starts_with("127.");
                let r = self.deliver(&hop, req, loopback);
                (r, hop.service.clone(), hop.pod.clone())
            }
        };
        let text = result_text(&result);
        self.record(destination, service, pod, text);
        result
    }

    fn ping(&mut self, ip: &str) -> bool {
        if ip.starts_with("127.") || self.node_ips().iter().any(|n| n == ip) {
            return true;
        }
        if matches!(self.client, Client::Host) {
            return false;
        }
        self.pod_by_ip(ip).is_some()
    }

    fn connect(&mut self, ip: &str, port: u16) -> Result<(), ConnectError> {
        let destination = format!("{ip}:{port}");
        let (result, service, pod) = match self.open(ip, port) {
            Err((e, service, pod)) => (Err(e), service, pod),
            Ok(Target::Ingress | Target::ApiServer) => (Ok(()), None, None),
            Ok(Target::Pod(hop)) => {
                let dst = self.pod_by_ip(&hop.ip);
                let allowed = ip.starts_with("127.")
                    || dst.as_ref().is_none_or(|p| self.policy_allows(p, hop.port));
                let r = if !allowed {
                    Err(self.timeout())
                } else if http::listener(self.kubelets, &hop.ip, hop.port).is_some() {
                    Ok(())
                } else {
                    Err(ConnectError::Refused)
                };
                (r, hop.service, hop.pod)
            }
        };
        let text = match &result {
            Ok(()) => "open".to_string(),
            Err(ConnectError::Refused) => "refused".into(),
            Err(ConnectError::Timeout | ConnectError::Unanswered) => "timeout".into(),
            Err(ConnectError::Certificate { .. }) => "tls-error".into(),
        };
        self.record(destination, service, pod, text);
        result
    }

    fn reverse(&mut self, ip: &str) -> Option<String> {
        if matches!(self.client, Client::Host | Client::Node { .. }) || !self.dns_reachable() {
            return None;
        }
        dns::reverse(self.store, ip)
    }

    fn wait(&mut self, d: SimDuration) {
        self.elapsed = SimDuration(self.elapsed.0 + d.0);
    }
}

