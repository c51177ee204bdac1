//! `curl` and `wget` on the learner's machine: node IPs, NodePorts, LoadBalancer IPs (with
//! `minikube tunnel`), Ingress hosts (named in the lab's `/etc/hosts` or with `--resolve`/
//! `-H Host:`), and `localhost` ports that `kubectl port-forward` and `kubectl proxy` opened.

use cluster::Cluster;
use cluster::controller::kind_of;
use k8s_openapi::api::core::v1 as corev1;
use cluster::network::dns::Record;
use cluster::network::tools::{self, ConnectError, Lookup, Net};
use cluster::network::{Fabric, Request, Response};

use crate::fs::LabFs;
use crate::session::{Output, OutputLine, Stream};

/// The machine's resolver: `/etc/hosts`, then nothing (cluster names do not resolve here).
struct HostNet<'a> {
    fabric: Fabric<'a>,
    hosts: Vec<(String, String)>,
    /// A `kubectl proxy` serving the API on a local port.
    proxy: Option<&'a kubectl::ApiProxy>,
    /// Local ports whose listener (a port-forward, the proxy) Ctrl+Z stopped: the socket is
    /// still open, so connections are accepted, but nothing reads them.
    stopped: &'a [u16],
    /// The stopped listener's port a request was left queued at.
    queued_at: Option<u16>,
    /// Only finding out whether a request would queue ([`queued`]): nothing else is sent.
    probe: bool,
}

impl HostNet<'_> {
    /// Whether `ip:port` is a local socket held by a stopped process.
    fn stopped_listener(&self, ip: &str, port: u16) -> bool {
        let local = ip.starts_with("127.") || self.proxy.is_some_and(|p| p.address == ip);
        local && self.stopped.contains(&port)
    }
}

impl Net for HostNet<'_> {
    fn lookup(&mut self, name: &str, srv: bool) -> Lookup {
        if let Some((ip, _)) = self.hosts.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)) {
            return Lookup::Found {
                name: name.to_string(),
                records: vec![Record::A {
                    name: name.to_string(),
                    ip: ip.clone(),
                }],
            };
        }
        self.fabric.lookup(name, srv)
    }
    fn request(&mut self, req: &Request) -> Result<Response, ConnectError> {
        if self.stopped_listener(&req.ip, req.port) {
            self.queued_at = Some(req.port);
            return Err(ConnectError::Unanswered);
        }
        if self.probe {
            return Err(ConnectError::Refused);
        }
        if let Some(p) = self.proxy
            && req.port == p.port
            && (req.ip.starts_with("127.") || req.ip == p.address)
        {
            if let Some(target) = p.pod_proxy_target(&req.path) {
                return Ok(self.pod_proxy(&target, req));
            }
            let r = p.serve(self.fabric.store, &req.method, &req.path);
            return Ok(Response {
                status: r.status,
                headers: vec![("Content-Type".into(), r.content_type.into())],
                body: r.body,
            });
        }
        self.fabric.request(req)
    }
    fn ping(&mut self, ip: &str) -> bool {
        !self.probe && self.fabric.ping(ip)
    }
    fn connect(&mut self, ip: &str, port: u16) -> Result<(), ConnectError> {
        if self.stopped_listener(ip, port) {
            return Err(ConnectError::Unanswered);
        }
        if self.probe {
            return Err(ConnectError::Refused);
        }
        self.fabric.connect(ip, port)
    }
    fn dns_server(&self) -> String {
        "192.168.49.1".into()
    }
    fn lookup_at(&mut self, server: &str, name: &str, srv: bool) -> Lookup {
        if server == self.dns_server() {
            return self.lookup(name, srv);
        }
        // A node's shell reaches the cluster DNS through kube-proxy; the learner's machine
        // does not.
        self.fabric.lookup_at(server, name, srv)
    }
    fn wait(&mut self, d: cluster::SimDuration) {
        self.fabric.wait(d);
    }
}

impl HostNet<'_> {
    /// The API server passing a request on to a pod (`…/pods/NAME:PORT/proxy/PATH`): the
    /// pod's IP and port (a number, a container port's name, or the first container port),
    /// then whatever the pod answers (pkg/registry/core/pod/strategy.go `ResourceLocation`).
    fn pod_proxy(&mut self, t: &kubectl::PodProxyTarget, req: &Request) -> Response {
        let pod = match self
            .fabric
            .store
            .get(kind_of::<corev1::Pod>(), Some(&t.namespace), &t.pod)
            .as_deref()
        {
            Ok(api::Object::Pod(p)) => p.clone(),
            _ => {
                return status_response(
                    404,
                    "NotFound",
                    &format!("pods \"{}\" not found", t.pod),
                    Some(("pods", &t.pod)),
                );
            }
        };
        let ports: Vec<(Option<String>, i32)> = pod
            .spec
            .iter()
            .flat_map(|s| &s.containers)
            .flat_map(|c| c.ports.iter().flatten())
            .map(|p| (p.name.clone(), p.container_port))
            .collect();
        let port = if t.port.is_empty() {
            ports.first().map_or(Some(80), |(_, n)| Some(*n))
        } else if let Ok(n) = t.port.parse::<i32>() {
            Some(n)
        } else {
            ports.iter().find(|(name, _)| name.as_deref() == Some(t.port.as_str())).map(|(_, n)| *n)
        };
        let Some(port) = port.and_then(|p| u16::try_from(p).ok()) else {
            return status_response(
                503,
                "ServiceUnavailable",
                &format!("no such port: {}", t.port),
                None,
            );
        };
        let ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
        if ip.is_empty() {
            return status_response(
                503,
                "ServiceUnavailable",
                &format!("pod {} does not have an IP address", t.pod),
                None,
            );
        }
        let inner = Request {
            ip: ip.clone(),
            host: format!("{ip}:{port}"),
            port,
            path: t.path.clone(),
            ..req.clone()
        };
        let host = std::mem::replace(&mut self.fabric.client, cluster::network::Client::Host);
        self.fabric.as_apiserver();
        let answer = self.fabric.request(&inner);
        self.fabric.client = host;
        match answer {
            Ok(r) => r,
            // The API server's proxy answers 503 with the dial error in the body.
            Err(_) => Response {
                status: 503,
                headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
                body: format!("Error trying to reach service: 'dial tcp {ip}:{port}: connect: connection refused'"),
            },
        }
    }
}

/// An API `Status` answer.
fn status_response(code: u16, reason: &str, message: &str, details: Option<(&str, &str)>) -> Response {
    let mut status = cluster::apiserver::rest::failure_status(code, reason, message);
    if let Some((kind, name)) = details {
        status["details"] = serde_json::json!({"name": name, "kind": kind});
    }
    Response {
        status: code,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_string_pretty(&status).unwrap_or_default(),
    }
}

/// `/etc/hosts` entries: (address, name).
fn hosts_file(fs: &LabFs) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in fs.read("/etc/hosts").unwrap_or("").lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        if let Some(ip) = words.next() {
            for name in words {
                out.push((ip.to_string(), name.to_string()));
            }
        }
    }
    out
}

/// A request a background tool left in a stopped listener's queue (its socket accepted the
/// connection; the kernel keeps the request until the process reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Queued {
    /// The local port of the stopped listener.
    pub port: u16,
    /// When the tool gives up by itself (`curl --max-time`, wget's timeout), and what it
    /// prints and exits with then; None when it waits until it is killed.
    pub gives_up: Option<(cluster::SimDuration, Output)>,
}

/// Whether a network tool would leave its request queued at a stopped listener, and how it
/// would give up; it runs without touching the cluster, the files or the clock.
pub(crate) fn queued(
    cluster: &mut Cluster,
    fs: &LabFs,
    proxy: Option<&kubectl::ApiProxy>,
    stopped: &[u16],
    words: &[&str],
) -> Option<Queued> {
    let args: Vec<String> = words[1..].iter().map(|s| s.to_string()).collect();
    let mut net =
        HostNet { fabric: cluster.host_net(), hosts: hosts_file(fs), proxy, stopped, queued_at: None, probe: true };
    let result = tools::run(words[0], &args, &mut net).unwrap_or_default();
    let port = net.queued_at?;
    let waited = net.fabric.elapsed;
    let gives_up = (waited > cluster::SimDuration::ZERO).then(|| {
        let mut out = Output { status: result.status, ..Output::default() };
        for (err, text) in result.lines {
            out.lines.push(OutputLine { stream: if err { Stream::Stderr } else { Stream::Stdout }, text });
        }
        (waited, out)
    });
    Some(Queued { port, gives_up })
}

/// Runs a network tool (`curl`, `wget`, `ping`, `nc`, `nslookup`) on the learner's machine;
/// `stopped` are the local ports whose listener is a stopped job.
pub fn run(
    cluster: &mut Cluster,
    fs: &mut LabFs,
    proxy: Option<&kubectl::ApiProxy>,
    stopped: &[u16],
    words: &[&str],
) -> Output {
    let args: Vec<String> = words[1..].iter().map(|s| s.to_string()).collect();
    let hosts = hosts_file(fs);
    let result = {
        let mut net = HostNet {
            fabric: cluster.host_net(),
            hosts,
            proxy,
            stopped,
            queued_at: None,
            probe: false,
        };
        let out = tools::run(words[0], &args, &mut net).unwrap_or_default();
        (out, net.fabric.elapsed)
    };
    let (result, waited) = result;
    cluster.settle();
    if waited > cluster::SimDuration::ZERO {
        // The prompt comes back once the tool gave up waiting.
        cluster.advance(waited);
    }
    for (path, text) in result.files {
        fs.write(&path, &text, false);
    }
    let mut out = Output {
        status: result.status,
        ..Output::default()
    };
    for (err, text) in result.lines {
        out.lines.push(OutputLine {
            stream: if err { Stream::Stderr } else { Stream::Stdout },
            text,
        });
    }
    out
}
