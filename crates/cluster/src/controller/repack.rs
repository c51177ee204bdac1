//! The Endpoints controller's subsets as pkg/api/v1/endpoints/util.go (v1.34) builds them:
//! `RepackSubsets` gathers, for each port, the addresses that offer it, then makes one subset
//! per distinct set of (address, ready) with all the ports that set offers; `SortSubsets`
//! orders addresses by IP (then pod UID), and ports and subsets by the MD5 of
//! `hashutil.DeepHashObject`'s text, which is go-spew's `%#v` of the Go value. That is why a
//! Service's `https` port can come before its `http` port in `kubectl get ep`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;

/// One pod's entry: its address, whether it is ready, and the ports it offers (none for a
/// Service without ports, where upstream uses a sentinel port).
#[derive(Debug, Clone)]
pub struct PodEntry {
    pub address: corev1::EndpointAddress,
    pub ready: bool,
    pub ports: Vec<corev1::EndpointPort>,
}

/// `RepackSubsets` followed by `SortSubsets`.
pub fn repack(entries: &[PodEntry]) -> Vec<corev1::EndpointSubset> {
    // (ip, uid) → the address; port (None = sentinel) → address key → ready.
    type AddrKey = (String, String);
    let mut addrs: BTreeMap<AddrKey, corev1::EndpointAddress> = BTreeMap::new();
    let mut by_port: Vec<(Option<corev1::EndpointPort>, BTreeMap<AddrKey, bool>)> = Vec::new();
    for e in entries {
        let key = (
            e.address.ip.clone(),
            e.address
                .target_ref
                .as_ref()
                .and_then(|r| r.uid.clone())
                .unwrap_or_default(),
        );
        addrs.entry(key.clone()).or_insert_with(|| e.address.clone());
        let ports: Vec<Option<corev1::EndpointPort>> = if e.ports.is_empty() {
            vec![None]
        } else {
            e.ports.iter().cloned().map(Some).collect()
        };
        for p in ports {
            let i = match by_port.iter().position(|(q, _)| *q == p) {
                Some(i) => i,
                None => {
                    by_port.push((p, BTreeMap::new()));
                    by_port.len() - 1
                }
            };
            // Not ready always wins over ready for the same address.
            let ready = by_port[i].1.entry(key.clone()).or_insert(e.ready);
            *ready = *ready && e.ready;
        }
    }
    // Address set → the real ports offered by exactly that set.
    let mut groups: Vec<(BTreeMap<AddrKey, bool>, Vec<corev1::EndpointPort>)> = Vec::new();
    for (port, set) in by_port {
        let i = match groups.iter().position(|(s, _)| *s == set) {
            Some(i) => i,
            None => {
                groups.push((set, Vec::new()));
                groups.len() - 1
            }
        };
        if let Some(p) = port.filter(|p| p.port > 0) {
            groups[i].1.push(p);
        }
    }
    let mut subsets: Vec<corev1::EndpointSubset> = groups
        .into_iter()
        .map(|(set, mut ports)| {
            let mut ready = Vec::new();
            let mut not_ready = Vec::new();
            for (key, r) in set {
                let a = addrs[&key].clone();
                if r { ready.push(a) } else { not_ready.push(a) }
            }
            ready.sort_by(less_address);
            not_ready.sort_by(less_address);
            ports.sort_by_cached_key(|p| hash(&port_text(p)));
            corev1::EndpointSubset {
                addresses: (!ready.is_empty()).then_some(ready),
                not_ready_addresses: (!not_ready.is_empty()).then_some(not_ready),
                ports: (!ports.is_empty()).then_some(ports),
            }
        })
        .collect();
    subsets.sort_by_cached_key(|s| hash(&subset_text(s)));
    subsets
}

/// `LessEndpointAddress`: by IP bytes, then by the pod's UID.
fn less_address(a: &corev1::EndpointAddress, b: &corev1::EndpointAddress) -> std::cmp::Ordering {
    let uid = |x: &corev1::EndpointAddress| x.target_ref.as_ref().map(|r| r.uid.clone().unwrap_or_default());
    a.ip.as_bytes().cmp(b.ip.as_bytes()).then_with(|| uid(a).cmp(&uid(b)))
}

fn hash(text: &str) -> [u8; 16] {
    machinery::md5::digest(text.as_bytes())
}

/// go-spew `%#v` of a `string` field value (no quotes).
fn s(v: &str) -> String {
    format!("(string){v}")
}

/// go-spew `%#v` of a `*string`.
fn opt(v: Option<&str>) -> String {
    match v {
        Some(v) => format!("(*string){v}"),
        None => "(*string)<nil>".into(),
    }
}

/// go-spew `%#v` of a v1.EndpointPort, with the type header (a sort key on its own).
fn port_text(p: &corev1::EndpointPort) -> String {
    format!("(v1.EndpointPort){}", port_body(p))
}

fn port_body(p: &corev1::EndpointPort) -> String {
    format!(
        "{{Name:{} Port:(int32){} Protocol:(v1.Protocol){} AppProtocol:{}}}",
        s(p.name.as_deref().unwrap_or_default()),
        p.port,
        p.protocol.as_deref().unwrap_or_default(),
        opt(p.app_protocol.as_deref())
    )
}

fn address_body(a: &corev1::EndpointAddress) -> String {
    let target = match &a.target_ref {
        None => "(*v1.ObjectReference)<nil>".to_string(),
        Some(r) => format!(
            "(*v1.ObjectReference){{Kind:{} Namespace:{} Name:{} UID:(types.UID){} APIVersion:{} ResourceVersion:{} FieldPath:{}}}",
            s(r.kind.as_deref().unwrap_or_default()),
            s(r.namespace.as_deref().unwrap_or_default()),
            s(r.name.as_deref().unwrap_or_default()),
            r.uid.as_deref().unwrap_or_default(),
            s(r.api_version.as_deref().unwrap_or_default()),
            s(r.resource_version.as_deref().unwrap_or_default()),
            s(r.field_path.as_deref().unwrap_or_default()),
        ),
    };
    format!(
        "{{IP:{} Hostname:{} NodeName:{} TargetRef:{target}}}",
        s(&a.ip),
        s(a.hostname.as_deref().unwrap_or_default()),
        opt(a.node_name.as_deref()),
    )
}

/// A slice field: `([]T)<nil>` or `([]T)[e1 e2]` (elements without their type header).
fn list<T>(ty: &str, items: Option<&Vec<T>>, body: impl Fn(&T) -> String) -> String {
    match items {
        None => format!("([]{ty})<nil>"),
        Some(v) => format!("([]{ty})[{}]", v.iter().map(body).collect::<Vec<_>>().join(" ")),
    }
}

/// go-spew `%#v` of a v1.EndpointSubset.
fn subset_text(ss: &corev1::EndpointSubset) -> String {
    format!(
        "(v1.EndpointSubset){{Addresses:{} NotReadyAddresses:{} Ports:{}}}",
        list("v1.EndpointAddress", ss.addresses.as_ref(), address_body),
        list("v1.EndpointAddress", ss.not_ready_addresses.as_ref(), address_body),
        list("v1.EndpointPort", ss.ports.as_ref(), port_body),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(name: &str, port: i32) -> corev1::EndpointPort {
        corev1::EndpointPort {
            name: Some(name.into()),
            port,
            protocol: Some("TCP".into()),
            app_protocol: None,
        }
    }

    fn addr(ip: &str, uid: &str) -> corev1::EndpointAddress {
        corev1::EndpointAddress {
            ip: ip.into(),
            target_ref: Some(corev1::ObjectReference {
                kind: Some("Pod".into()),
                uid: Some(uid.into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// Kubernetes in Action's two-port kubia Service: `kubectl get endpoints kubia` lists the
    /// 8443 (https) addresses first (catalog A, E-A23), as the ports' hashes order them.
    #[test]
    fn ports_are_ordered_by_hash_not_by_name() {
        let entries: Vec<PodEntry> = ["10.244.1.10", "10.244.2.19"]
            .iter()
            .map(|ip| PodEntry {
                address: addr(ip, ip),
                ready: true,
                ports: vec![port("http", 8080), port("https", 8443)],
            })
            .collect();
        let subsets = repack(&entries);
        assert_eq!(subsets.len(), 1);
        let names: Vec<_> = subsets[0].ports.iter().flatten().map(|p| p.port).collect();
        assert_eq!(names, [8443, 8080]);
    }

    /// A port only some pods offer makes its own subset: subsets group addresses by the ports
    /// they share, and an address not ready for one port is not ready in that subset.
    #[test]
    fn addresses_are_grouped_per_port_set() {
        let entries = vec![
            PodEntry {
                address: addr("10.0.0.2", "b"),
                ready: true,
                ports: vec![port("web", 80), port("admin", 9000)],
            },
            PodEntry {
                address: addr("10.0.0.1", "a"),
                ready: false,
                ports: vec![port("web", 80)],
            },
        ];
        let subsets = repack(&entries);
        assert_eq!(subsets.len(), 2);
        let web = subsets
            .iter()
            .find(|s| s.ports.iter().flatten().any(|p| p.port == 80))
            .expect("web subset");
        assert_eq!(web.addresses.iter().flatten().map(|a| a.ip.as_str()).collect::<Vec<_>>(), ["10.0.0.2"]);
        assert_eq!(
            web.not_ready_addresses.iter().flatten().map(|a| a.ip.as_str()).collect::<Vec<_>>(),
            ["10.0.0.1"]
        );
        let admin = subsets
            .iter()
            .find(|s| s.ports.iter().flatten().any(|p| p.port == 9000))
            .expect("admin subset");
        assert_eq!(admin.ports.as_ref().map(Vec::len), Some(1));
        assert_eq!(admin.not_ready_addresses, None);
    }

    /// The text hashed for a port is go-spew's `%#v` (a known digest of it).
    #[test]
    fn port_text_is_spews() {
        assert_eq!(
            port_text(&port("http", 8080)),
            "(v1.EndpointPort){Name:(string)http Port:(int32)8080 Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}"
        );
    }
}
