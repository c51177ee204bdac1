//! Service address allocation: cluster IPs from the Service CIDR and node ports from the
//! NodePort range, as pkg/registry/core/service/storage/alloc.go and the ipallocator /
//! portallocator packages (v1.34) hand them out.
//!
//! Explicit values are honoured or refused with the API server's words; empty ones are
//! picked from the upper (dynamic) band of the range first, the lower band being reserved
//! for explicit choices. The pick is a hash of the Service's namespace and name, probed
//! linearly past taken values, so it is deterministic and draws nothing from the store's
//! generator. What is
//! allocated is exactly what stored Services hold, so a dry run allocates the same way and
//! a delete frees at once.

use std::collections::BTreeSet;

use api::{InvalidError, Object};
use k8s_openapi::api::core::v1 as corev1;
use machinery::validation::field::{ErrorList, FieldError};

use super::Store;
use crate::controller::kind_of;

/// The Service CIDR (minikube's and kubeadm's default).
pub const SERVICE_CIDR: &str = "10.96.0.0/12";
const CIDR_BASE: u32 = 0x0a60_0000; // 10.96.0.0
const CIDR_SIZE: u32 = 1 << 20;
/// The NodePort range.
pub const NODE_PORT_MIN: i32 = 30000;
pub const NODE_PORT_MAX: i32 = 32767;

/// Lower band kept for explicit IPs: min(max(16, size/16), 256) addresses.
const IP_STATIC_BAND: u32 = 256;
/// Lower band kept for explicit ports: min(max(16, size/32), 128).
const PORT_STATIC_BAND: i32 = 86;

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn in_range(ip: std::net::Ipv4Addr) -> bool {
    let v = u32::from(ip);
    v > CIDR_BASE && v < CIDR_BASE + CIDR_SIZE - 1
}

/// Cluster IPs and node ports held by stored Services, except `skip` (namespace, name).
fn used(store: &Store, skip: Option<(&str, &str)>) -> (BTreeSet<String>, BTreeSet<i32>) {
    let mut ips = BTreeSet::new();
    let mut ports = BTreeSet::new();
    let list = store
        .list(kind_of::<corev1::Service>(), None, &Default::default())
        .map(|l| l.items)
        .unwrap_or_default();
    for o in list {
        let Object::Service(s) = &*o else { continue };
        let key = (
            s.metadata.namespace.as_deref().unwrap_or_default(),
            s.metadata.name.as_deref().unwrap_or_default(),
        );
        if skip == Some(key) {
            continue;
        }
        let spec = s.spec.clone().unwrap_or_default();
        ips.extend(spec.cluster_ips.iter().flatten().cloned());
        ips.extend(spec.cluster_ip.iter().cloned());
        ports.extend(spec.ports.iter().flatten().filter_map(|p| p.node_port));
    }
    (ips, ports)
}

fn invalid(svc: &corev1::Service, errors: Vec<FieldError>) -> InvalidError {
    let mut list = ErrorList::new();
    for e in errors {
        list.push(e);
    }
    InvalidError {
        kind: "Service",
        group: "",
        name: svc.metadata.name.clone().unwrap_or_default(),
        errors: list,
    }
}

fn quoted_list(ips: &[String]) -> String {
    format!(
        "[{}]",
        ips.iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    )
}

fn needs_node_ports(spec: &corev1::ServiceSpec) -> bool {
    match spec.type_.as_deref() {
        Some("NodePort") => true,
        Some("LoadBalancer") => spec.allocate_load_balancer_node_ports != Some(false),
        _ => false,
    }
}

/// Fills in and checks a Service's cluster IP and node ports on create, or on update with
/// `old` (values the update left unset are carried over, as `patchAllocatedValues` does).
///
/// # Errors
/// Invalid, with upstream's allocation messages.
pub fn allocate(store: &Store, obj: &mut Object, old: Option<&Object>) -> Result<(), InvalidError> {
    let Object::Service(svc) = obj else {
        return Ok(());
    };
    let old = match old {
        Some(Object::Service(o)) => Some(o),
        _ => None,
    };
    let ns = svc.metadata.namespace.clone().unwrap_or_default();
    let name = svc.metadata.name.clone().unwrap_or_default();
    // Keyed by the Service's name alone: the same lab steps give the same addresses even
    // when unrelated objects (and so the uids drawn) change.
    let seed = format!("{ns}/{name}");
    let (used_ips, used_ports) = used(store, old.map(|_| (ns.as_str(), name.as_str())));
    let mut spec = svc.spec.clone().unwrap_or_default();
    let old_spec = old.and_then(|o| o.spec.clone());
    if let Some(os) = &old_spec {
        if spec.cluster_ip.as_deref().unwrap_or("").is_empty()
            && spec.cluster_ips.as_ref().is_none_or(Vec::is_empty)
            && spec.type_.as_deref() != Some("ExternalName")
        {
            spec.cluster_ip = os.cluster_ip.clone();
            spec.cluster_ips = os.cluster_ips.clone();
        }
        if needs_node_ports(&spec) {
            for p in spec.ports.iter_mut().flatten() {
                if p.node_port.is_none()
                    && let Some(op) = os.ports.iter().flatten().find(|op| {
                        op.port == p.port && op.protocol == p.protocol
                    })
                {
                    p.node_port = op.node_port;
                }
            }
        }
    }
    let mut errors = Vec::new();
    if spec.type_.as_deref() == Some("ExternalName") {
        spec.cluster_ip = None;
        spec.cluster_ips = None;
    } else {
        let wanted = spec
            .cluster_ips
            .as_ref()
            .and_then(|v| v.first().cloned())
            .or_else(|| spec.cluster_ip.clone())
            .filter(|s| !s.is_empty());
        let unchanged = old_spec
            .as_ref()
            .is_some_and(|os| os.cluster_ip.is_some() && os.cluster_ip == wanted);
        match wanted.as_deref() {
            Some("None") => {
                spec.cluster_ip = Some("None".into());
                spec.cluster_ips = Some(vec!["None".into()]);
            }
            Some(ip) if !unchanged => {
                let all = spec.cluster_ips.clone().unwrap_or_else(|| vec![ip.to_string()]);
                match ip.parse::<std::net::Ipv4Addr>() {
                    Ok(addr) if !in_range(addr) => errors.push(FieldError::invalid(
                        "spec.clusterIPs",
                        quoted_list(&all),
                        format!(
                            "failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}"
                        ),
                    )),
                    Ok(_) if used_ips.contains(ip) => errors.push(FieldError::invalid(
                        "spec.clusterIPs",
                        quoted_list(&all),
                        format!("failed to allocate IP {ip}: provided IP is already allocated"),
                    )),
                    _ => {
                        spec.cluster_ip = Some(ip.to_string());
                        spec.cluster_ips = Some(all);
                    }
                }
            }
            Some(_) => {}
            None => {
                let dynamic = CIDR_SIZE - 2 - IP_STATIC_BAND;
                let start = (fnv(&seed) % u64::from(dynamic)) as u32;
                let pick = (0..CIDR_SIZE - 2)
                    .map(|i| {
                        // Upper band first, then the static band.
                        let off = if i < dynamic {
                            IP_STATIC_BAND + 1 + (start + i) % dynamic
                        } else {
                            1 + (i - dynamic)
                        };
                        std::net::Ipv4Addr::from(CIDR_BASE + off).to_string()
                    })
                    .find(|ip| !used_ips.contains(ip));
                match pick {
                    Some(ip) => {
                        spec.cluster_ip = Some(ip.clone());
                        spec.cluster_ips = Some(vec![ip]);
                    }
                    None => errors.push(FieldError::invalid(
                        "spec.clusterIPs",
                        "[]".to_string(),
                        "failed to allocate IP: range is full",
                    )),
                }
            }
        }
        if spec.ip_families.is_none() && spec.cluster_ip.as_deref() != Some("None") {
            spec.ip_families = Some(vec!["IPv4".into()]);
        }
    }
    if !errors.is_empty() {
        // The registry allocates cluster IPs first and stops at their error.
        return Err(invalid(svc, errors));
    }
    if needs_node_ports(&spec) {
        let mut taken = used_ports.clone();
        for (i, p) in spec.ports.iter_mut().flatten().enumerate() {
            let unchanged = old_spec.as_ref().is_some_and(|os| {
                os.ports
                    .iter()
                    .flatten()
                    .any(|op| op.node_port.is_some() && op.node_port == p.node_port)
            });
            match p.node_port.filter(|n| *n != 0) {
                Some(n) if unchanged => {
                    taken.insert(n);
                }
                Some(n) if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&n) => {
                    errors.push(FieldError::invalid(
                        format!("spec.ports[{i}].nodePort"),
                        n.to_string(),
                        format!(
                            "provided port is not in the valid range. The range of valid ports is {NODE_PORT_MIN}-{NODE_PORT_MAX}"
                        ),
                    ));
                }
                Some(n) if taken.contains(&n) => {
                    errors.push(FieldError::invalid(
                        format!("spec.ports[{i}].nodePort"),
                        n.to_string(),
                        "provided port is already allocated",
                    ));
                }
                Some(n) => {
                    taken.insert(n);
                }
                None => {
                    let size = NODE_PORT_MAX - NODE_PORT_MIN + 1;
                    let dynamic = size - PORT_STATIC_BAND;
                    let start = (fnv(&format!("{seed}/{i}")) % dynamic as u64) as i32;
                    let pick = (0..size)
                        .map(|k| {
                            if k < dynamic {
                                NODE_PORT_MIN + PORT_STATIC_BAND + (start + k) % dynamic
                            } else {
                                NODE_PORT_MIN + (k - dynamic)
                            }
                        })
                        .find(|n| !taken.contains(n));
                    match pick {
                        Some(n) => {
                            taken.insert(n);
                            p.node_port = Some(n);
                        }
                        None => errors.push(FieldError::invalid(
                            format!("spec.ports[{i}].nodePort"),
                            "0".to_string(),
                            "range is full",
                        )),
                    }
                }
            }
        }
    } else {
        // ClusterIP (or ExternalName) Services hold no node ports.
        for p in spec.ports.iter_mut().flatten() {
            if spec.type_.as_deref() != Some("NodePort") && spec.type_.as_deref() != Some("LoadBalancer") {
                p.node_port = None;
            }
        }
    }
    if !errors.is_empty() {
        return Err(invalid(svc, errors));
    }
    svc.spec = Some(spec);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_cidr_excludes_network_and_broadcast() {
        assert!(!in_range("10.96.0.0".parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)));
        assert!(in_range("10.96.0.1".parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)));
        assert!(in_range("10.111.255.254".parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)));
        assert!(!in_range("10.111.255.255".parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)));
        assert!(!in_range("10.0.0.1".parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)));
    }
}
