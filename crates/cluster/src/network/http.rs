//! HTTP on the data path: the request a client sends, and the answer the container listening
//! on the target port gives per its image's catalog entry (ports, body, `failAfter`, request
//! log line). `{hostname}` in a body is the pod's hostname, `{client}` in a log line the
//! peer's address.

use crate::kubelet::Kubelets;
use crate::kubelet::pod_workers::CState;
use crate::time::SimTime;

/// One HTTP request, after name resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// `http` or `https`.
    pub scheme: String,
    /// The host as the client named it (for the Host header).
    pub host: String,
    pub ip: String,
    pub port: u16,
    pub path: String,
    /// Extra headers (`-H`), in order.
    pub headers: Vec<(String, String)>,
    /// How the client checks the server's certificate.
    pub tls: Tls,
}

/// How a client treats the server's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    /// Plain HTTP.
    Plain,
    /// HTTPS without verification (`curl -k`, busybox wget).
    Insecure,
    /// HTTPS trusting this CA bundle (`--cacert`), or only the system's bundle (None), which
    /// knows neither the cluster's CA nor self-signed certificates.
    Verify(Option<String>),
}

impl Request {
    /// The Host header: an explicit one, else `host[:port]` as curl sends it.
    pub fn host_header(&self) -> String {
        if let Some((_, v)) = self
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        {
            return v.clone();
        }
        let default = if self.scheme == "https" { 443 } else { 80 };
        if self.port == default {
            self.host.clone()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// The reason phrase of the status.
    pub fn reason(&self) -> &'static str {
        reason(self.status)
    }
}

/// The standard reason phrase.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        _ => "",
    }
}

/// What a pod IP answered on a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodAnswer {
    Response(Response),
    /// Nothing listens on the port.
    Refused,
    /// No running pod has the address.
    Unreachable,
}

/// `namespace/name` of the pod that has `ip`, if a kubelet runs it.
pub fn pod_of_ip(kubelets: &Kubelets, ip: &str) -> Option<(String, String)> {
    for k in kubelets.nodes.values() {
        for w in k.workers.values() {
            if w.ip.as_deref() == Some(ip) && !w.finished {
                return Some((
                    w.pod.metadata.namespace.clone().unwrap_or_default(),
                    w.pod.metadata.name.clone().unwrap_or_default(),
                ));
            }
        }
    }
    None
}

/// Lets the container listening on `ip:port` answer `req`.
pub fn serve(kubelets: &mut Kubelets, ip: &str, port: u16, req: &Request, peer: &str, now: SimTime) -> PodAnswer {
    let running = kubelets.nodes.values().any(|k| k.running);
    let mut refused = false;
    for k in kubelets.nodes.values_mut() {
        if !k.running && running {
            continue;
        }
        for w in k.workers.values_mut() {
            if w.ip.as_deref() != Some(ip) || w.finished {
                continue;
            }
            let hostname = w
                .pod
                .spec
                .as_ref()
                .and_then(|s| s.hostname.clone())
                .or_else(|| w.pod.metadata.name.clone())
                .unwrap_or_default();
            for c in &mut w.ctrs {
                if !matches!(c.state, CState::Running { .. }) || !c.server {
                    continue;
                }
                let Some(server) = c.image.and_then(|i| i.run.server.as_ref()) else {
                    continue;
                };
                if !c.server_ports().contains(&i32::from(port)) {
                    continue;
                }
                c.hits += 1;
                c.request_cpu_ms += server.cpu_per_request_ms;
                if let Some(line) = &server.request_log {
                    c.logs.push(line.replace("{client}", peer));
                    c.stamp_logs(now);
                }
                let failing = server.fail_after.is_some_and(|n| c.hits > n);
                let docroot = server.docroot.as_deref().filter(|_| !c.env.files.is_empty() || !c.env.mounts.is_empty());
                let (status, body) = if failing {
                    (500, server.fail_body.clone())
                } else if let Some(root) = docroot {
                    // nginx serves the files of its document root (nginx.conf's `root`).
                    match crate::kubelet::nginx::static_answer(&c.env, root, &req.path) {
                        (200, Some(text)) => (200, text),
                        (code, _) => (code, nginx_page(code)),
                    }
                } else {
                    (200, server.body.replace("{hostname}", &hostname))
                };
                let mut headers = vec![("Date".to_string(), http_date(now))];
                if let Some(kind) = &server.content_type {
                    headers.push(("Content-Type".into(), kind.clone()));
                }
                headers.push(("Content-Length".into(), body.len().to_string()));
                return PodAnswer::Response(Response {
                    status,
                    headers,
                    body,
                });
            }
            // Pods on the host's network share the node's IP: another may listen on the port.
            refused = true;
        }
    }
    if refused { PodAnswer::Refused } else { PodAnswer::Unreachable }
}

/// The pod whose running server listens on `ip:port`, among those with that IP (several share
/// a node's IP when they use the host's network).
pub fn listener(kubelets: &Kubelets, ip: &str, port: u16) -> Option<(String, String)> {
    kubelets.nodes.values().flat_map(|k| k.workers.values()).find_map(|w| {
        let serves = w.ip.as_deref() == Some(ip)
            && !w.finished
            && w.ctrs.iter().any(|c| {
                matches!(c.state, CState::Running { .. })
                    && c.server
                    && c.server_ports().contains(&i32::from(port))
            });
        serves.then(|| {
            (
                w.pod.metadata.namespace.clone().unwrap_or_default(),
                w.pod.metadata.name.clone().unwrap_or_default(),
            )
        })
    })
}

/// An RFC 7231 date, as HTTP servers send it.
pub fn http_date(now: SimTime) -> String {
    let z = now
        .to_time()
        .0
        .to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC);
    z.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// An nginx error page (ingress-nginx's default backend and its own errors).
pub fn nginx_page(status: u16) -> String {
    let title = format!("{status} {}", reason(status));
    format!(
        "<html>\n<head><title>{title}</title></head>\n<body>\n<center><h1>{title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
    )
}
