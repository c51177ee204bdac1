//! ingress-nginx on the data path: which Ingress rule a request matches (host, then the
//! longest path; Exact before Prefix; ImplementationSpecific as a prefix, or a regular
//! expression with `use-regex`/`rewrite-target` capture groups), the `rewrite-target`,
//! `ssl-redirect` and `force-ssl-redirect` annotations, TLS hosts, the default backend's 404
//! and 503 when a backend has no endpoints (ingress-nginx v1.12 behaviour). Also the
//! controller's status writes (Ingress ADDRESS once the controller runs) and its events.

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::networking::v1 as netv1;

use std::collections::BTreeMap;

use crate::apiserver::{EventSource, EventType, Store, UpdateOptions};
use crate::controller::kind_of;
use crate::kubelet::images;

use super::http::Request;

/// The namespace the addon installs into.
pub const NAMESPACE: &str = "ingress-nginx";
/// The IngressClass the addon registers.
pub const CLASS: &str = "nginx";

/// Where a request routed by the controller goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// To a Service port, with the path as the backend sees it.
    Backend {
        ingress: String,
        namespace: String,
        service: String,
        port: netv1::ServiceBackendPort,
        path: String,
    },
    /// A redirect to HTTPS (`ssl-redirect`).
    Redirect { location: String },
    /// No rule matched: the default backend answers 404.
    NotFound,
}

/// The controller binary of ingress-nginx, as the image catalog names it.
const CONTROLLER_PROGRAM: &str = "/nginx-ingress-controller";

/// The ingress-nginx controller a container runs (its image's server), if any.
fn controller_server(c: &corev1::Container) -> Option<&'static images::Server> {
    let r = images::parse_ref(c.image.as_deref()?)?;
    let server = images::resolve(&r).ok()?.run.server.as_ref()?;
    server.program.iter().any(|p| p == CONTROLLER_PROGRAM).then_some(server)
}

/// The ready controller pods: the minikube addon's, or one installed from ingress-nginx's
/// own manifests (catalog A's mandatory.yaml, v0.30.0).
fn controller_pods(store: &Store) -> Vec<corev1::Pod> {
    let pods = store
        .list(kind_of::<corev1::Pod>(), Some(NAMESPACE), &Default::default())
        .map(|l| l.items)
        .unwrap_or_default();
    pods.iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
        .filter(|p| {
            crate::controller::podutil::is_pod_ready(p)
                && p.spec
                    .iter()
                    .flat_map(|s| &s.containers)
                    .any(|c| controller_server(c).is_some())
        })
        .cloned()
        .collect()
}

/// The node IPs where a ready controller pod runs (minikube's addon binds hostPorts 80/443;
/// mandatory.yaml's controller uses the host's network).
pub fn controller_nodes(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for p in controller_pods(store) {
        if let Some(ip) = p.status.as_ref().and_then(|s| s.host_ip.clone())
            && !out.contains(&ip)
        {
            out.push(ip);
        }
    }
    out
}

/// `--publish-service=NS/NAME` of a controller container (`$(POD_NAMESPACE)` expanded).
fn publish_service(p: &corev1::Pod) -> Option<(String, String)> {
    let ns = p.metadata.namespace.clone().unwrap_or_default();
    p.spec.iter().flat_map(|s| &s.containers).find_map(|c| {
        let arg = c
            .command
            .iter()
            .chain(c.args.iter())
            .flatten()
            .find_map(|a| a.strip_prefix("--publish-service="))?;
        let arg = arg.replace("$(POD_NAMESPACE)", &ns);
        let (n, name) = arg.split_once('/')?;
        Some((n.to_string(), name.to_string()))
    })
}

/// The addresses the controller writes into an Ingress's status: with `--publish-service`,
/// those of that Service's load balancer (none while the Service is missing; ingress-nginx
/// internal/ingress/status), otherwise the nodes it runs on.
fn status_addresses(store: &Store) -> Vec<String> {
    let pods = controller_pods(store);
    let Some((ns, name)) = pods.iter().find_map(publish_service) else {
        return controller_nodes(store);
    };
    match store.get(kind_of::<corev1::Service>(), Some(&ns), &name).as_deref() {
        Ok(Object::Service(svc)) => svc
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|l| l.ingress.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|i| i.ip.clone())
            .collect(),
        _ => Vec::new(),
    }
}

fn ingresses(store: &Store) -> Vec<netv1::Ingress> {
    store
        .list(kind_of::<netv1::Ingress>(), None, &Default::default())
        .map(|l| l.items)
        .unwrap_or_default()
        .iter()
        .filter_map(|o| match &**o {
            Object::Ingress(i) => Some(i.clone()),
            _ => None,
        })
        .collect()
}

/// Whether the nginx controller serves this Ingress: its class, the legacy annotation, or
/// no class while `nginx` is the default IngressClass.
fn served(store: &Store, ing: &netv1::Ingress) -> bool {
    let class = ing.spec.as_ref().and_then(|s| s.ingress_class_name.clone()).or_else(|| {
        ing.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("kubernetes.io/ingress.class").cloned())
    });
    match class {
        Some(c) => c == CLASS,
        None => {
            let default = match store.get(kind_of::<netv1::IngressClass>(), None, CLASS).as_deref() {
                Ok(Object::IngressClass(c)) => c
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get("ingressclass.kubernetes.io/is-default-class"))
                    .is_some_and(|v| v == "true"),
                _ => false,
            };
            default
                || controller_pods(store).iter().any(|p| {
                    p.spec
                        .iter()
                        .flat_map(|s| &s.containers)
                        .filter_map(controller_server)
                        .any(|s| s.serves_classless_ingresses)
                })
        }
    }
}

fn annotation<'a>(ing: &'a netv1::Ingress, key: &str) -> Option<&'a str> {
    ing.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(&format!("nginx.ingress.kubernetes.io/{key}")))
        .map(String::as_str)
}

fn host_matches(rule_host: Option<&str>, host: &str) -> bool {
    match rule_host {
        None | Some("") => true,
        Some(h) if h.starts_with("*.") => host
            .split_once('.')
            .is_some_and(|(first, rest)| !first.is_empty() && rest == &h[2..]),
        Some(h) => h.eq_ignore_ascii_case(host),
    }
}

fn prefix_matches(prefix: &str, path: &str) -> bool {
    let p = prefix.trim_end_matches('/');
    if p.is_empty() {
        return true;
    }
    path == p || path.starts_with(&format!("{p}/"))
}

/// Routes a request that reached the controller.
pub fn route(store: &Store, req: &Request) -> Route {
    let host_header = req.host_header();
    let host = host_header.split(':').next().unwrap_or("").to_string();
    let (path_only, query) = match req.path.split_once('?') {
        Some((p, q)) => (p.to_string(), format!("?{q}")),
        None => (req.path.clone(), String::new()),
    };
    // Best match: (host rule is specific, exact, path length).
    let mut best: Option<((bool, bool, usize), Route)> = None;
    for ing in ingresses(store) {
        if !served(store, &ing) {
            continue;
        }
        let spec = ing.spec.clone().unwrap_or_default();
        let ns = ing.metadata.namespace.clone().unwrap_or_default();
        let name = ing.metadata.name.clone().unwrap_or_default();
        let tls_host = spec.tls.iter().flatten().any(|t| {
            t.hosts
                .iter()
                .flatten()
                .any(|h| host_matches(Some(h), &host))
        });
        let redirect = match annotation(&ing, "force-ssl-redirect") {
            Some("true") => true,
            _ => tls_host && annotation(&ing, "ssl-redirect") != Some("false"),
        };
        let rewrite = annotation(&ing, "rewrite-target");
        let use_regex = annotation(&ing, "use-regex") == Some("true") || rewrite.is_some();
        for rule in spec.rules.iter().flatten() {
            if !host_matches(rule.host.as_deref(), &host) {
                continue;
            }
            let specific = rule.host.as_deref().is_some_and(|h| !h.is_empty());
            for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
                let rule_path = p.path.clone().unwrap_or_else(|| "/".into());
                let exact = p.path_type == "Exact";
                let (hit, captures) = if exact {
                    (path_only == rule_path, Vec::new())
                } else if use_regex && p.path_type == "ImplementationSpecific" || rewrite.is_some_and(|r| r.contains('$')) {
                    match regex_lite::Regex::new(&format!("(?i)^{rule_path}")) {
                        Ok(re) => match re.captures(&path_only) {
                            Some(c) => (
                                true,
                                c.iter()
                                    .map(|m| m.map_or(String::new(), |m| m.as_str().to_string()))
                                    .collect(),
                            ),
                            None => (false, Vec::new()),
                        },
                        Err(_) => (false, Vec::new()),
                    }
                } else {
                    (prefix_matches(&rule_path, &path_only), Vec::new())
                };
                if !hit {
                    continue;
                }
                let rank = (specific, exact, rule_path.len());
                if best.as_ref().is_some_and(|(r, _)| *r >= rank) {
                    continue;
                }
                let route = if redirect && req.scheme == "http" {
                    Route::Redirect {
                        location: format!("https://{host}{}", req.path),
                    }
                } else if let Some(svc) = p.backend.service.as_ref() {
                    let path = match rewrite {
                        Some(target) => {
                            let mut t = target.to_string();
                            for (i, c) in captures.iter().enumerate().rev() {
                                t = t.replace(&format!("${i}"), c);
                            }
                            format!("{t}{query}")
                        }
                        None => req.path.clone(),
                    };
                    Route::Backend {
                        ingress: format!("{ns}/{name}"),
                        namespace: ns.clone(),
                        service: svc.name.clone(),
                        port: svc.port.clone().unwrap_or_default(),
                        path,
                    }
                } else {
                    Route::NotFound
                };
                best = Some((rank, route));
            }
        }
        if best.is_none()
            && let Some(svc) = spec.default_backend.as_ref().and_then(|b| b.service.clone())
        {
            best = Some((
                (false, false, 0),
                Route::Backend {
                    ingress: format!("{ns}/{name}"),
                    namespace: ns.clone(),
                    service: svc.name,
                    port: svc.port.unwrap_or_default(),
                    path: req.path.clone(),
                },
            ));
        }
    }
    best.map_or(Route::NotFound, |(_, r)| r)
}

/// The events the controller records about the Ingresses it serves, as its informer sees
/// them (all of them when it starts, then each change, its own status writes included):
/// ingress-nginx v1.x (internal/ingress/controller/store/store.go) records `Sync` `Scheduled
/// for sync` on an add and on every update; v0.30.0, the generation that still serves
/// Ingresses without a class, records `CREATE` / `UPDATE` with `Ingress <ns>/<name>`.
/// `seen` is the informer's memory: `namespace/name` → resourceVersion.
pub fn record_events(store: &mut Store, seen: &mut BTreeMap<String, String>) {
    let pods = controller_pods(store);
    if pods.is_empty() {
        // A controller that starts again lists every Ingress anew.
        seen.clear();
        return;
    }
    let legacy = pods.iter().any(|p| {
        p.spec
            .iter()
            .flat_map(|s| &s.containers)
            .filter_map(controller_server)
            .any(|s| s.serves_classless_ingresses)
    });
    let source = EventSource {
        component: "nginx-ingress-controller".into(),
        host: String::new(),
    };
    let now = store.now();
    let mut current = BTreeMap::new();
    for ing in ingresses(store) {
        if !served(store, &ing) {
            continue;
        }
        let ns = ing.metadata.namespace.clone().unwrap_or_default();
        let name = ing.metadata.name.clone().unwrap_or_default();
        let key = format!("{ns}/{name}");
        let rv = ing.metadata.resource_version.clone().unwrap_or_default();
        let (reason, message) = match (seen.get(&key), legacy) {
            (Some(old), _) if *old == rv => {
                current.insert(key, rv);
                continue;
            }
            (None, true) => ("CREATE", format!("Ingress {ns}/{name}")),
            (Some(_), true) => ("UPDATE", format!("Ingress {ns}/{name}")),
            (_, false) => ("Sync", "Scheduled for sync".to_string()),
        };
        let involved = crate::apiserver::events::object_reference(&Object::Ingress(ing));
        let _ = store.record_event(&involved, EventType::Normal, reason, &message, &source, now);
        current.insert(key, rv);
    }
    *seen = current;
}

/// The controller's status writes: every served Ingress lists the controller's node
/// address(es) once a controller pod is ready (and none without one).
pub fn sync_status(store: &mut Store) {
    let all = ingresses(store);
    if all.is_empty() {
        return;
    }
    let nodes = status_addresses(store);
    for ing in all {
        let want: Vec<netv1::IngressLoadBalancerIngress> = if served(store, &ing) {
            nodes
                .iter()
                .map(|ip| netv1::IngressLoadBalancerIngress {
                    ip: Some(ip.clone()),
                    ..Default::default()
                })
                .collect()
        } else {
            Vec::new()
        };
        let have = ing
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|l| l.ingress.clone())
            .unwrap_or_default();
        if have == want {
            continue;
        }
        let mut updated = ing.clone();
        updated.status = Some(netv1::IngressStatus {
            load_balancer: Some(netv1::IngressLoadBalancerStatus {
                ingress: (!want.is_empty()).then_some(want),
            }),
        });
        let ns = ing.metadata.namespace.clone();
        let _ = store.update_status(ns.as_deref(), Object::Ingress(updated), &UpdateOptions::default());
    }
}

/// The objects `minikube addons enable ingress` creates.
const ADDON_MANIFEST: &str = include_str!("manifests/ingress-nginx.yaml");

/// The images the addon uses, as minikube lists them when enabling it.
pub const ADDON_IMAGES: &[&str] = &[
    "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.3",
    "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.3",
    "registry.k8s.io/ingress-nginx/controller:v1.12.2",
];

/// Installs the ingress addon's objects (those that exist already are left alone).
/// Returns whether anything was created.
pub fn install_addon(store: &mut Store) -> bool {
    let mut created = false;
    for d in api::decode(ADDON_MANIFEST, "ingress-deploy.yaml") {
        let Ok(d) = d else { continue };
        let obj = d.object;
        let ns = obj.namespace().map(str::to_string);
        created |= store
            .create(ns.as_deref(), obj, &crate::apiserver::CreateOptions::default())
            .is_ok();
    }
    created
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_prefixes_match_as_ingress_nginx_does() {
        assert!(host_matches(Some("*.example.com"), "a.example.com"));
        assert!(!host_matches(Some("*.example.com"), "a.b.example.com"));
        assert!(host_matches(None, "anything"));
        assert!(prefix_matches("/foo", "/foo/bar"));
        assert!(!prefix_matches("/foo", "/foobar"));
        assert!(prefix_matches("/", "/x"));
    }
}
