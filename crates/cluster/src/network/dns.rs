//! CoreDNS's `kubernetes` plugin as a pod sees it through its resolv.conf
//! (`search <ns>.svc.cluster.local svc.cluster.local cluster.local`, `options ndots:5`):
//! A records for Services (the cluster IP; a headless Service's ready pod IPs), per-pod
//! names of headless Services (`<hostname>.<svc>.<ns>.svc…`, as StatefulSets get), pod A
//! records (`1-2-3-4.<ns>.pod…`), ExternalName CNAMEs, SRV for named ports, NXDOMAIN
//! otherwise. (coredns/plugin/kubernetes, v1.12; kubelet's resolv.conf, pkg/kubelet/network/dns.)

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::Store;
use crate::controller::kind_of;

use super::proxy;
use super::CLUSTER_DOMAIN;

/// One answer of a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    A { name: String, ip: String },
    Cname { name: String, target: String },
    Srv { name: String, port: u16, target: String },
}

/// The resolv.conf of a pod with `dnsPolicy: Default`: the node's own, which on minikube's
/// docker driver names the docker network's gateway with Docker's options (the host's search
/// domains, none in the lab, would follow the nameserver).
pub const NODE_RESOLV_CONF: &str = "nameserver 192.168.49.1\noptions edns0 trust-ad ndots:0\n";

/// A pod's `/etc/resolv.conf` by its `dnsPolicy` (pkg/kubelet/network/dns `getPodDNSType`):
/// `Default` (and `ClusterFirst` with `hostNetwork`) gets the node's, the others the
/// cluster's.
pub fn resolv_conf_of(pod: &corev1::Pod) -> String {
    let spec = pod.spec.as_ref();
    let host_network = spec.and_then(|s| s.host_network) == Some(true);
    match spec.and_then(|s| s.dns_policy.as_deref()) {
        Some("Default") => NODE_RESOLV_CONF.to_string(),
        Some("ClusterFirst") | None if host_network => NODE_RESOLV_CONF.to_string(),
        _ => resolv_conf(pod.metadata.namespace.as_deref().unwrap_or("default")),
    }
}

/// A pod's `/etc/resolv.conf` under `ClusterFirst`.
pub fn resolv_conf(namespace: &str) -> String {
    format!(
        "search {namespace}.svc.{CLUSTER_DOMAIN} svc.{CLUSTER_DOMAIN} {CLUSTER_DOMAIN}\nnameserver {}\noptions ndots:5\n",
        super::DNS_SERVER
    )
}

/// The names a resolver tries for `name`, in order (search list first when it has fewer
/// than `ndots` dots; a trailing dot means absolute).
pub fn candidates(name: &str, namespace: &str) -> Vec<String> {
    if let Some(abs) = name.strip_suffix('.') {
        return vec![abs.to_string()];
    }
    let search = [
        format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_string(),
    ];
    let searched: Vec<String> = search.iter().map(|s| format!("{name}.{s}")).collect();
    if name.matches('.').count() >= 5 {
        std::iter::once(name.to_string()).chain(searched).collect()
    } else {
        searched.into_iter().chain(std::iter::once(name.to_string())).collect()
    }
}

/// The PTR answer for an address: a Service's cluster IP names the Service
/// (`<svc>.<ns>.svc.cluster.local`); anything else is NXDOMAIN here. CoreDNS also answers
/// for endpoint addresses of Services; that part is not modeled.
pub fn reverse(store: &Store, ip: &str) -> Option<String> {
    proxy::services(store).into_iter().find_map(|o| {
        let Object::Service(s) = &*o else { return None };
        let spec = s.spec.as_ref()?;
        let has = spec.cluster_ip.as_deref() == Some(ip)
            || spec.cluster_ips.iter().flatten().any(|c| c == ip);
        has.then(|| {
            format!(
                "{}.{}.svc.{CLUSTER_DOMAIN}",
                s.metadata.name.as_deref().unwrap_or_default(),
                s.metadata.namespace.as_deref().unwrap_or_default()
            )
        })
    })
}

/// Answers one fully-qualified name; empty means NXDOMAIN. `srv` asks for SRV records.
/// An ExternalName's CNAME to a name inside the cluster domain comes with that name's
/// answer (coredns plugin/backend_lookup.go `A`: in-zone targets are looked up in the
/// cluster; out-of-zone ones go to the upstream resolver, which the lab does not have).
pub fn answer(store: &Store, fqdn: &str, srv: bool) -> Vec<Record> {
    let mut records = answer_name(store, fqdn, srv);
    if let [Record::Cname { target, .. }] = records.as_slice() {
        let target = target.trim_end_matches('.').to_string();
        if !srv && !target.eq_ignore_ascii_case(fqdn) && target.ends_with(&format!(".{CLUSTER_DOMAIN}")) {
            let chased: Vec<Record> = answer_name(store, &target, false)
                .into_iter()
                .filter(|r| matches!(r, Record::A { .. }))
                .collect();
            records.extend(chased);
        }
    }
    records
}

fn answer_name(store: &Store, fqdn: &str, srv: bool) -> Vec<Record> {
    let lower = fqdn.to_ascii_lowercase();
    let Some(rest) = lower.strip_suffix(&format!(".{CLUSTER_DOMAIN}")) else {
        return Vec::new();
    };
    let labels: Vec<&str> = rest.split('.').collect();
    match labels.as_slice() {
        [svc, ns, "svc"] => service_records(store, fqdn, ns, svc, srv),
        [host, svc, ns, "svc"] if !host.starts_with('_') => endpoints(store, ns, svc)
            .into_iter()
            .filter(|e| e.hostname.as_deref() == Some(host))
            .map(|e| Record::A {
                name: fqdn.to_string(),
                ip: e.ip,
            })
            .collect(),
        [port, proto, svc, ns, "svc"] if port.starts_with('_') && proto.starts_with('_') => {
            let mut out = Vec::new();
            if let Some(s) = service(store, ns, svc) {
                let headless = s.spec.as_ref().and_then(|sp| sp.cluster_ip.as_deref()) == Some("None");
                for p in s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()) {
                    let pname = p.name.clone().unwrap_or_default();
                    let pproto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
                    if pname != port[1..] || !pproto.eq_ignore_ascii_case(&proto[1..]) {
                        continue;
                    }
                    let targets: Vec<String> = if headless {
                        endpoints(store, ns, svc)
                            .into_iter()
                            .map(|e| {
                                let host = e.hostname.unwrap_or_else(|| e.ip.replace('.', "-"));
                                format!("{host}.{svc}.{ns}.svc.{CLUSTER_DOMAIN}")
                            })
                            .collect()
                    } else {
                        vec![format!("{svc}.{ns}.svc.{CLUSTER_DOMAIN}")]
                    };
                    for target in targets {
                        out.push(Record::Srv {
                            name: fqdn.to_string(),
                            port: u16::try_from(p.port).unwrap_or(0),
                            target,
                        });
                    }
                }
            }
            out
        }
        [dashed, ns, "pod"] => {
            let ip = dashed.replace('-', ".");
            let exists = store.get(kind_of::<corev1::Namespace>(), None, ns).is_ok();
            if exists && ip.parse::<std::net::Ipv4Addr>().is_ok() {
                vec![Record::A {
                    name: fqdn.to_string(),
                    ip,
                }]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

fn service(store: &Store, ns: &str, name: &str) -> Option<corev1::Service> {
    match store.get(kind_of::<corev1::Service>(), Some(ns), name).as_deref() {
        Ok(Object::Service(s)) => Some(s.clone()),
        _ => None,
    }
}

/// The addresses CoreDNS publishes for a Service: its EndpointSlices' endpoints that are not
/// marked unready (CoreDNS's kubernetes plugin reads slices and has no terminating fallback),
/// in the order of the Service's ports.
fn endpoints(store: &Store, ns: &str, name: &str) -> Vec<proxy::Endpoint> {
    let Some(svc) = service(store, ns, name) else {
        return Vec::new();
    };
    let ports = svc.spec.iter().flat_map(|s| s.ports.clone().unwrap_or_default()).collect::<Vec<_>>();
    let all: Vec<proxy::SliceEndpoint> = if ports.is_empty() {
        // A headless Service without ports still publishes its addresses.
        proxy::portless_slice_endpoints(store, &svc)
    } else {
        ports.iter().flat_map(|p| proxy::slice_endpoints(store, &svc, p)).collect()
    };
    let mut seen = Vec::new();
    for e in all.into_iter().filter(|e| e.ready) {
        if !seen.iter().any(|s: &proxy::Endpoint| s.ip == e.endpoint.ip) {
            seen.push(e.endpoint);
        }
    }
    seen
}

fn service_records(store: &Store, fqdn: &str, ns: &str, name: &str, srv: bool) -> Vec<Record> {
    let Some(svc) = service(store, ns, name) else {
        return Vec::new();
    };
    let spec = svc.spec.clone().unwrap_or_default();
    if spec.type_.as_deref() == Some("ExternalName") {
        return spec
            .external_name
            .map(|target| {
                vec![Record::Cname {
                    name: fqdn.to_string(),
                    target,
                }]
            })
            .unwrap_or_default();
    }
    let headless = spec.cluster_ip.as_deref() == Some("None");
    if srv {
        let mut out = Vec::new();
        for p in spec.ports.iter().flatten() {
            if headless {
                for e in endpoints(store, ns, name) {
                    let host = e.hostname.clone().unwrap_or_else(|| e.ip.replace('.', "-"));
                    out.push(Record::Srv {
                        name: fqdn.to_string(),
                        port: u16::try_from(p.port).unwrap_or(0),
                        target: format!("{host}.{name}.{ns}.svc.{CLUSTER_DOMAIN}"),
                    });
                }
            } else {
                out.push(Record::Srv {
                    name: fqdn.to_string(),
                    port: u16::try_from(p.port).unwrap_or(0),
                    target: fqdn.to_string(),
                });
            }
        }
        return out;
    }
    if headless {
        return endpoints(store, ns, name)
            .into_iter()
            .map(|e| Record::A {
                name: fqdn.to_string(),
                ip: e.ip,
            })
            .collect();
    }
    spec.cluster_ip
        .filter(|ip| !ip.is_empty())
        .map(|ip| {
            vec![Record::A {
                name: fqdn.to_string(),
                ip,
            }]
        })
        .unwrap_or_default()
}

/// Resolves `name` for a pod in `namespace`: the first candidate with answers.
pub fn resolve(store: &Store, name: &str, namespace: &str, srv: bool) -> Result<(String, Vec<Record>), Vec<String>> {
    let tried = candidates(name, namespace);
    for c in &tried {
        let recs = answer(store, c, srv);
        if !recs.is_empty() {
            return Ok((c.clone(), recs));
        }
    }
    Err(tried)
}
