//! `kubectl proxy`: the API server on a local port, for `curl localhost:8001/api/...`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/proxy/proxy.go and pkg/proxy/proxy_server.go
//! (v1.34): `Starting to serve on 127.0.0.1:8001`; requests under `--api-prefix` go to the
//! API server as the kubeconfig's user, except what the filter refuses (by default pods'
//! exec and attach; methods only with `--reject-methods`), which gets 403 `Forbidden`. The lab keeps the
//! [`ApiProxy`] on the learner's machine until Ctrl+C and routes `localhost:PORT` to
//! [`ApiProxy::serve`]; the API side is `cluster::apiserver::rest`, which knows nothing of
//! ports or sockets.

use cluster::Store;
use cluster::apiserver::rest::{self, RestResponse};

use super::Ctx;
use crate::errors::KubectlError;
use crate::{Env, Outcome};

/// A running `kubectl proxy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiProxy {
    pub address: String,
    pub port: u16,
    /// `--api-prefix`, with a trailing `/`.
    pub api_prefix: String,
    /// `--reject-methods` as a list of method names (kubectl takes regular expressions;
    /// `^POST,^PUT` forms are understood).
    pub reject_methods: Vec<String>,
    /// Whether `--disable-filter` turned the filter off.
    pub filter: bool,
}

impl ApiProxy {
    /// The line kubectl prints once it listens.
    pub fn started_line(&self) -> String {
        format!("Starting to serve on {}:{}", self.address, self.port)
    }

    /// kubectl's error when the port is taken.
    pub fn busy_error(&self) -> String {
        format!(
            "error: listen tcp {}:{}: bind: address already in use",
            self.address, self.port
        )
    }

    /// Answers one request arriving at the proxy's port.
    pub fn serve(&self, store: &Store, method: &str, path: &str) -> RestResponse {
        let Some(rest_path) = path.strip_prefix(self.api_prefix.trim_end_matches('/')) else {
            return not_found();
        };
        let rest_path = if rest_path.is_empty() { "/" } else { rest_path };
        if self.filter && self.rejects(method, rest_path) {
            return RestResponse {
                status: 403,
                content_type: "text/plain; charset=utf-8",
                body: "Forbidden\n".into(),
                warnings: Vec::new(),
            };
        }
        rest::serve(store, method, rest_path)
    }

    /// proxy_server.go `FilterServer`'s default rules.
    fn rejects(&self, method: &str, path: &str) -> bool {
        if self.reject_methods.iter().any(|m| method.eq_ignore_ascii_case(m)) {
            return true;
        }
        let p = path.split('?').next().unwrap_or(path);
        let segs: Vec<&str> = p.split('/').collect();
        p.starts_with("/api/")
            && segs.windows(3).any(|w| w[0] == "pods" && (w[2] == "exec" || w[2] == "attach"))
    }
}

/// A request the API server passes on to a pod: `/api/v1/namespaces/NS/pods/NAME[:PORT]/proxy[/PATH]`
/// (the pod `proxy` subresource, pkg/registry/core/pod/rest/subresources.go `ProxyREST`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodProxyTarget {
    pub namespace: String,
    pub pod: String,
    /// The port as written (a number or a container port's name); empty when left out.
    pub port: String,
    /// The path the pod receives, with the query.
    pub path: String,
}

impl ApiProxy {
    /// The pod a request through this proxy is for, when it names the pod `proxy`
    /// subresource (anything else is answered by [`ApiProxy::serve`]).
    pub fn pod_proxy_target(&self, path: &str) -> Option<PodProxyTarget> {
        let rest = path.strip_prefix(self.api_prefix.trim_end_matches('/'))?;
        let (rest, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        };
        let rest = rest.strip_prefix("/api/v1/namespaces/")?;
        let mut parts = rest.splitn(5, '/');
        let (ns, pods, target, sub) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if pods != "pods" || sub != "proxy" || ns.is_empty() || target.is_empty() {
            return None;
        }
        let (pod, port) = target.split_once(':').unwrap_or((target, ""));
        let mut inner = format!("/{}", parts.next().unwrap_or(""));
        if let Some(q) = query {
            inner.push('?');
            inner.push_str(q);
        }
        Some(PodProxyTarget {
            namespace: ns.to_string(),
            pod: pod.to_string(),
            port: port.to_string(),
            path: inner,
        })
    }
}

fn not_found() -> RestResponse {
    RestResponse {
        status: 404,
        content_type: "text/plain; charset=utf-8",
        body: "404 page not found\n".into(),
        warnings: Vec::new(),
    }
}

/// Runs `kubectl proxy`.
///
/// # Errors
/// Flag errors in kubectl's words.
pub fn run(ctx: &Ctx, _env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    if p.string("unix-socket").is_some_and(|s| !s.is_empty()) {
        return Err(KubectlError::msg(
            "--unix-socket is not available in this lab; the proxy listens on a TCP port",
        ));
    }
    if p.string("www").is_some_and(|s| !s.is_empty()) {
        return Err(KubectlError::msg(
            "--www is not available in this lab: there is no static directory to serve",
        ));
    }
    let port_text = p.string("port").unwrap_or("8001");
    let port: u16 = port_text.parse().map_err(|_| {
        KubectlError::msg(format!(
            "invalid argument \"{port_text}\" for \"-p, --port\" flag: strconv.ParseInt: parsing \"{port_text}\": invalid syntax"
        ))
    })?;
    if port == 0 {
        return Err(KubectlError::msg(
            "--port=0 (a random port) is not available in this lab; name a port",
        ));
    }
    let mut api_prefix = p.string("api-prefix").unwrap_or("/").to_string();
    if !api_prefix.ends_with('/') {
        api_prefix.push('/');
    }
    let reject_methods = p
        .string("reject-methods")
        .unwrap_or("^$")
        .split(',')
        .map(|m| m.trim_start_matches('^').trim_end_matches('$').to_uppercase())
        .filter(|m| !m.is_empty())
        .collect();
    out.proxy = Some(ApiProxy {
        address: p.string("address").unwrap_or("127.0.0.1").to_string(),
        port,
        api_prefix,
        reject_methods,
        filter: !p.bool("disable-filter"),
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxy() -> ApiProxy {
        ApiProxy {
            address: "127.0.0.1".into(),
            port: 8001,
            api_prefix: "/".into(),
            reject_methods: vec!["POST".into(), "PUT".into(), "PATCH".into()],
            filter: true,
        }
    }

    #[test]
    fn filter_refuses_writes_and_exec() {
        let store = Store::new(cluster::SimRng::seeded(1));
        let p = proxy();
        assert_eq!(p.serve(&store, "POST", "/api/v1/namespaces/default/pods").status, 403);
        assert_eq!(p.serve(&store, "GET", "/api/v1/namespaces/default/pods/x/exec").status, 403);
        assert_eq!(p.serve(&store, "GET", "/version").status, 200);
    }
}
