//! NetworkPolicy on the data path (networking/v1 semantics, as a conformant CNI enforces
//! them): traffic is allowed unless a policy selects the pod for that direction; then only
//! what some rule of such a policy allows gets through (`from`/`to` peers by podSelector,
//! namespaceSelector, both, or ipBlock with `except`; `ports` by number, name or range).
//! Dropped packets are never answered, so clients time out.

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::networking::v1 as netv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::apiserver::Store;
use crate::controller::kind_of;

/// One end of a connection.
#[derive(Debug, Clone)]
pub enum Peer {
    Pod(Box<corev1::Pod>),
    /// An address outside the pod network (a node, the learner's machine).
    External(String),
}

impl Peer {
    fn ip(&self) -> String {
        match self {
            Peer::Pod(p) => p
                .status
                .as_ref()
                .and_then(|s| s.pod_ip.clone())
                .unwrap_or_default(),
            Peer::External(ip) => ip.clone(),
        }
    }
}

fn labels(meta: &metav1::ObjectMeta) -> BTreeMap<String, String> {
    meta.labels.clone().unwrap_or_default()
}

fn selects(sel: &metav1::LabelSelector, l: &BTreeMap<String, String>) -> bool {
    api::selectors::label_selector_to_selector(sel).is_ok_and(|s| s.matches(l))
}

fn namespace_labels(store: &Store, ns: &str) -> BTreeMap<String, String> {
    match store.get(kind_of::<corev1::Namespace>(), None, ns).as_deref() {
        Ok(Object::Namespace(n)) => labels(&n.metadata),
        _ => BTreeMap::new(),
    }
}

fn policies(store: &Store, ns: &str) -> Vec<netv1::NetworkPolicy> {
    store
        .list(kind_of::<netv1::NetworkPolicy>(), Some(ns), &Default::default())
        .map(|l| l.items)
        .unwrap_or_default()
        .iter()
        .filter_map(|o| match &**o {
            Object::NetworkPolicy(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

/// Whether a policy applies to a direction (`policyTypes`, defaulted as the API server does:
/// Ingress always, Egress when egress rules exist).
fn has_type(p: &netv1::NetworkPolicy, ty: &str) -> bool {
    let spec = p.spec.clone().unwrap_or_default();
    match &spec.policy_types {
        Some(t) if !t.is_empty() => t.iter().any(|x| x == ty),
        _ => ty == "Ingress" || spec.egress.is_some(),
    }
}

fn ip_in(ip: &str, cidr: &str) -> bool {
    let Ok(addr) = ip.parse::<std::net::Ipv4Addr>() else {
        return false;
    };
    let (net, bits) = cidr.split_once('/').unwrap_or((cidr, "32"));
    let (Ok(net), Ok(bits)) = (net.parse::<std::net::Ipv4Addr>(), bits.parse::<u32>()) else {
        return false;
    };
    if bits == 0 {
        return true;
    }
    let mask = u32::MAX << (32 - bits.min(32));
    (u32::from(addr) & mask) == (u32::from(net) & mask)
}

fn peer_matches(store: &Store, policy_ns: &str, rule_peer: &netv1::NetworkPolicyPeer, peer: &Peer) -> bool {
    if let Some(block) = &rule_peer.ip_block {
        let ip = peer.ip();
        return ip_in(&ip, &block.cidr)
            && !block.except.iter().flatten().any(|e| ip_in(&ip, e));
    }
    let Peer::Pod(pod) = peer else {
        return false;
    };
    let pod_ns = pod.metadata.namespace.clone().unwrap_or_default();
    let ns_ok = match &rule_peer.namespace_selector {
        Some(sel) => selects(sel, &namespace_labels(store, &pod_ns)),
        None => pod_ns == policy_ns,
    };
    let pod_ok = rule_peer
        .pod_selector
        .as_ref()
        .is_none_or(|sel| selects(sel, &labels(&pod.metadata)));
    ns_ok && pod_ok
}

fn port_matches(ports: &Option<Vec<netv1::NetworkPolicyPort>>, port: u16, named: &[(String, u16)]) -> bool {
    let Some(ports) = ports.as_ref().filter(|p| !p.is_empty()) else {
        return true;
    };
    ports.iter().any(|p| {
        if p.protocol.as_deref().is_some_and(|pr| pr != "TCP") {
            return false;
        }
        match &p.port {
            None => true,
            Some(IntOrString::Int(n)) => {
                let end = p.end_port.unwrap_or(*n);
                (*n..=end).contains(&i32::from(port))
            }
            Some(IntOrString::String(name)) => named.iter().any(|(n, pt)| n == name && *pt == port),
        }
    })
}

fn named_ports(pod: &corev1::Pod) -> Vec<(String, u16)> {
    pod.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .flat_map(|c| c.ports.iter().flatten())
        .filter_map(|p| {
            Some((
                p.name.clone()?,
                u16::try_from(p.container_port).ok()?,
            ))
        })
        .collect()
}

/// Whether `dst` (a pod) accepts a TCP connection from `src` on `port`.
pub fn ingress_allowed(store: &Store, src: &Peer, dst: &corev1::Pod, port: u16) -> bool {
    let ns = dst.metadata.namespace.clone().unwrap_or_default();
    let dst_labels = labels(&dst.metadata);
    let named = named_ports(dst);
    let mut selected = false;
    for p in policies(store, &ns) {
        let spec = p.spec.clone().unwrap_or_default();
        if !has_type(&p, "Ingress") || !spec.pod_selector.as_ref().is_none_or(|sel| selects(sel, &dst_labels)) {
            continue;
        }
        selected = true;
        for rule in spec.ingress.iter().flatten() {
            let from_ok = match rule.from.as_ref().filter(|f| !f.is_empty()) {
                None => true,
                Some(peers) => peers.iter().any(|pe| peer_matches(store, &ns, pe, src)),
            };
            if from_ok && port_matches(&rule.ports, port, &named) {
                return true;
            }
        }
    }
    !selected
}

/// Whether `src` (a pod) may open a TCP/UDP connection to `dst` on `port`.
pub fn egress_allowed(store: &Store, src: &corev1::Pod, dst: &Peer, port: u16) -> bool {
    let ns = src.metadata.namespace.clone().unwrap_or_default();
    let src_labels = labels(&src.metadata);
    let named = match dst {
        Peer::Pod(p) => named_ports(p),
        Peer::External(_) => Vec::new(),
    };
    let mut selected = false;
    for p in policies(store, &ns) {
        let spec = p.spec.clone().unwrap_or_default();
        if !has_type(&p, "Egress") || !spec.pod_selector.as_ref().is_none_or(|sel| selects(sel, &src_labels)) {
            continue;
        }
        selected = true;
        for rule in spec.egress.iter().flatten() {
            let to_ok = match rule.to.as_ref().filter(|f| !f.is_empty()) {
                None => true,
                Some(peers) => peers.iter().any(|pe| peer_matches(store, &ns, pe, dst)),
            };
            let ports_ok = match &rule.ports {
                // DNS is UDP: a rule's port list must name 53 without restricting to TCP.
                Some(ps) if port == 53 => ps.iter().any(|pp| {
                    matches!(&pp.port, Some(IntOrString::Int(53)) | None)
                }),
                _ => port_matches(&rule.ports, port, &named),
            };
            if to_ok && ports_ok {
                return true;
            }
        }
    }
    !selected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_membership() {
        for (ip, cidr, want) in [
            ("10.244.1.4", "10.244.0.0/16", true),
            ("10.245.1.4", "10.244.0.0/16", false),
            ("1.2.3.4", "0.0.0.0/0", true),
            ("10.244.1.4", "10.244.1.4/32", true),
        ] {
            assert_eq!(ip_in(ip, cidr), want, "{ip} in {cidr}");
        }
    }
}
