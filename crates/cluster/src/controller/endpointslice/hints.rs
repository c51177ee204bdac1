//! Topology hints on EndpointSlice endpoints (`hints.forZones`, `hints.forNodes`), which
//! kube-proxy follows to keep traffic in the client's zone or on its node.
//!
//! Two sources, as in staging/src/k8s.io/endpointslice (v1.34):
//! - the `service.kubernetes.io/topology-mode: Auto` annotation (`topologycache`): each zone
//!   gets a share of the ready endpoints proportional to its nodes' allocatable CPU
//!   (control-plane nodes and not-ready nodes left out), within a 20 % overload threshold;
//!   endpoints of zones with more than their share are handed to zones with less. Hints are
//!   dropped (with a `TopologyAwareHintsDisabled` event) when a node lacks a zone or CPU,
//!   nodes are ready in one zone only, there are fewer endpoints than zones, or the minimum
//!   shares cannot be met;
//! - `spec.trafficDistribution` (`trafficdist`, ignored when the annotation is on):
//!   `PreferClose`/`PreferSameZone` hint each ready endpoint for its own zone,
//!   `PreferSameNode` also for its own node.
//!
//! Upstream keeps the hints of slices it does not otherwise touch and only redistributes
//! the endpoints of slices it writes; here every sync hints all endpoints afresh, which is
//! what a fresh controller would write. Ties that upstream breaks by Go map order are broken
//! by zone name.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::discovery::v1 as discoveryv1;

use crate::network::proxy::ZONE_LABEL;

/// `service.kubernetes.io/topology-mode`.
pub const TOPOLOGY_MODE_ANNOTATION: &str = "service.kubernetes.io/topology-mode";
/// The annotation it replaced, still honoured when the new one is absent.
pub const DEPRECATED_HINTS_ANNOTATION: &str = "service.kubernetes.io/topology-aware-hints";

/// The most an endpoint may be overloaded by the hints (topologycache `overloadThreshold`).
const OVERLOAD_THRESHOLD: f64 = 0.2;

/// topologycache/event.go messages.
pub const HINTS_ENABLED: &str = "Topology Aware Hints has been enabled";
pub const HINTS_DISABLED: &str = "Topology Aware Hints has been disabled";
const NO_ZONE_SPECIFIED: &str = "One or more endpoints do not have a zone specified";
const NO_ALLOCATED_HINTS: &str = "No hints allocated for zones";
const INSUFFICIENT_NODE_INFO: &str =
    "Insufficient Node information: allocatable CPU or zone not specified on one or more nodes";
const INSUFFICIENT_ENDPOINTS: &str = "Insufficient number of endpoints";
const MIN_ALLOCATION_EXCEEDS: &str =
    "Unable to allocate minimum required endpoints to each zone without exceeding overload threshold";

/// reconciler.go `hintsEnabled`: the topology-mode annotation (or the deprecated one when
/// it is absent) says `Auto`.
pub fn auto_enabled(svc: &corev1::Service) -> bool {
    let annotations = svc.metadata.annotations.as_ref();
    let value = annotations
        .and_then(|a| a.get(TOPOLOGY_MODE_ANNOTATION).or_else(|| a.get(DEPRECATED_HINTS_ANNOTATION)));
    matches!(value.map(String::as_str), Some("Auto" | "auto"))
}

/// What `spec.trafficDistribution` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distribution {
    SameZone,
    SameNode,
}

/// A supported `spec.trafficDistribution` (v1.34: `PreferClose`, `PreferSameZone`, and
/// `PreferSameNode` with the PreferSameTrafficDistribution gate on by default).
pub fn distribution(svc: &corev1::Service) -> Option<Distribution> {
    match svc.spec.as_ref()?.traffic_distribution.as_deref()? {
        "PreferClose" | "PreferSameZone" => Some(Distribution::SameZone),
        "PreferSameNode" => Some(Distribution::SameNode),
        _ => None,
    }
}

/// The nodes' topology as the topology cache keeps it (`SetNodes`): each zone's share of
/// the allocatable CPU of the ready worker nodes, or why hints cannot be given.
pub fn cpu_ratios(nodes: &[&corev1::Node]) -> Result<BTreeMap<String, f64>, &'static str> {
    let mut by_zone: BTreeMap<String, i64> = BTreeMap::new();
    for node in nodes {
        let labels = node.metadata.labels.clone().unwrap_or_default();
        if labels.contains_key("node-role.kubernetes.io/control-plane")
            || labels.contains_key("node-role.kubernetes.io/master")
            || !node_ready(node)
        {
            continue;
        }
        let cpu = node
            .status
            .as_ref()
            .and_then(|s| s.allocatable.as_ref())
            .and_then(|a| a.get("cpu"))
            .and_then(|q| machinery::quantity::Quantity::parse(&q.0).ok())
            .map_or(0, |q| q.milli_value());
        match labels.get(ZONE_LABEL) {
            Some(zone) if !zone.is_empty() && cpu > 0 => *by_zone.entry(zone.clone()).or_default() += cpu,
            // One node without a zone or CPU disables hints for every Service.
            _ => return Err(INSUFFICIENT_NODE_INFO),
        }
    }
    let total: i64 = by_zone.values().sum();
    if total == 0 || by_zone.len() < 2 {
        return Err(INSUFFICIENT_NODE_INFO);
    }
    Ok(by_zone
        .into_iter()
        .map(|(zone, cpu)| (zone, cpu as f64 / total as f64))
        .collect())
}

/// Whether the node's Ready condition is True (topologycache `isNodeReady`).
pub fn node_ready(node: &corev1::Node) -> bool {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True")
}

/// How many endpoints a zone should get.
#[derive(Debug, Clone, Copy)]
struct Allocation {
    minimum: usize,
    maximum: usize,
    desired: f64,
}

/// topologycache `getAllocations`.
fn allocations(ratios: &BTreeMap<String, f64>, endpoints: usize) -> Result<BTreeMap<String, Allocation>, String> {
    let zones = ratios.len();
    if zones > endpoints {
        return Err(format!("{INSUFFICIENT_ENDPOINTS} ({endpoints} endpoints, {zones} zones)"));
    }
    let mut out = BTreeMap::new();
    let mut min_total = 0;
    for (zone, ratio) in ratios {
        let desired = ratio * endpoints as f64;
        let minimum = (desired * (1.0 / (1.0 + OVERLOAD_THRESHOLD))).ceil() as usize;
        min_total += minimum;
        if min_total > endpoints {
            return Err(format!("{MIN_ALLOCATION_EXCEEDS} ({endpoints} endpoints, {zones} zones)"));
        }
        out.insert(
            zone.clone(),
            Allocation {
                minimum,
                maximum: 0,
                desired: desired.max(minimum as f64),
            },
        );
    }
    for a in out.values_mut() {
        a.maximum = a.minimum + endpoints - min_total;
    }
    Ok(out)
}

fn ready(e: &discoveryv1::Endpoint) -> bool {
    e.conditions.as_ref().and_then(|c| c.ready) == Some(true)
}

fn zone_hint(zone: &str) -> Option<discoveryv1::EndpointHints> {
    Some(discoveryv1::EndpointHints {
        for_zones: Some(vec![discoveryv1::ForZone { name: zone.to_string() }]),
        for_nodes: None,
    })
}

/// `AddHints` for the `Auto` mode over every endpoint of the Service; on success the hinted
/// count per zone, else the event message (and no endpoint keeps a hint).
pub fn add_auto_hints(
    endpoints: &mut [&mut discoveryv1::Endpoint],
    ratios: &Result<BTreeMap<String, f64>, &'static str>,
) -> Result<BTreeMap<String, usize>, String> {
    let result = auto_hints(endpoints, ratios);
    if result.is_err() {
        clear(endpoints);
    }
    result
}

fn auto_hints(
    endpoints: &mut [&mut discoveryv1::Endpoint],
    ratios: &Result<BTreeMap<String, f64>, &'static str>,
) -> Result<BTreeMap<String, usize>, String> {
    let ratios = ratios.as_ref().map_err(|m| (*m).to_string())?;
    let total = endpoints.iter().filter(|e| ready(e)).count();
    let allocations = allocations(ratios, total)?;
    // Step 1: every ready endpoint is hinted for its own zone.
    let mut hinted: BTreeMap<String, usize> = BTreeMap::new();
    for e in endpoints.iter_mut() {
        if !ready(e) {
            e.hints = None;
            continue;
        }
        let Some(zone) = e.zone.clone().filter(|z| !z.is_empty()) else {
            return Err(NO_ZONE_SPECIFIED.to_string());
        };
        *hinted.entry(zone.clone()).or_default() += 1;
        e.hints = zone_hint(&zone);
    }
    // Steps 2 and 3: zones over their share give endpoints to zones under it.
    let (mut giving, mut receiving) = giving_and_receiving(&allocations, &hinted);
    for e in endpoints.iter_mut() {
        if giving.is_empty() || receiving.is_empty() {
            break;
        }
        if !ready(e) {
            continue;
        }
        let Some(from) = e.zone.clone() else { continue };
        if giving.get(&from).is_none_or(|n| *n == 0) {
            continue;
        }
        let Some(to) = receiving.iter().find(|(_, n)| **n > 0).map(|(z, _)| z.clone()) else {
            continue;
        };
        e.hints = zone_hint(&to);
        for (map, zone) in [(&mut giving, &from), (&mut receiving, &to)] {
            let n = map.get_mut(zone).map_or(0, |n| {
                *n -= 1;
                *n
            });
            if n == 0 {
                map.remove(zone);
            }
        }
        *hinted.entry(to).or_default() += 1;
        if let Some(n) = hinted.get_mut(&from) {
            *n -= 1;
        }
    }
    if hinted.is_empty() {
        return Err(NO_ALLOCATED_HINTS.to_string());
    }
    Ok(hinted)
}

/// topologycache `getGivingAndReceivingZones`: whole endpoints each zone gives or receives.
fn giving_and_receiving(
    allocations: &BTreeMap<String, Allocation>,
    hinted: &BTreeMap<String, usize>,
) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let mut give_desired: BTreeMap<String, f64> = BTreeMap::new();
    let mut receive_desired: BTreeMap<String, f64> = BTreeMap::new();
    for (zone, a) in allocations {
        let have = hinted.get(zone).copied().unwrap_or(0) as f64;
        if have > a.desired {
            give_desired.insert(zone.clone(), have - a.desired);
        } else if have < a.desired {
            receive_desired.insert(zone.clone(), a.desired - have);
        }
    }
    let mut giving = BTreeMap::new();
    let mut receiving = BTreeMap::new();
    while let (Some((from, give)), Some((to, receive))) = (most(&give_desired), most(&receive_desired)) {
        if (give < 1.0 && receive < 1.0) || give < 0.5 || receive < 0.5 {
            break;
        }
        *giving.entry(from.clone()).or_insert(0) += 1;
        *give_desired.entry(from).or_insert(0.0) -= 1.0;
        *receiving.entry(to.clone()).or_insert(0) += 1;
        *receive_desired.entry(to).or_insert(0.0) -= 1.0;
    }
    (giving, receiving)
}

/// The zone with the largest positive amount (the first by name on a tie).
fn most(zones: &BTreeMap<String, f64>) -> Option<(String, f64)> {
    let mut best: Option<(String, f64)> = None;
    for (zone, n) in zones {
        if *n > best.as_ref().map_or(0.0, |(_, b)| *b) {
            best = Some((zone.clone(), *n));
        }
    }
    best
}

/// Whether a Service with these hinted counts per zone needs its hints recomputed under
/// the nodes' new CPU shares (topologycache `serviceOverloaded`).
pub fn overloaded(hinted: &BTreeMap<String, usize>, ratios: &Result<BTreeMap<String, f64>, &'static str>) -> bool {
    if hinted.is_empty() {
        return false;
    }
    let Ok(ratios) = ratios else { return true };
    let total: usize = hinted.values().sum();
    ratios.iter().any(|(zone, ratio)| {
        let min = (total as f64 * ratio * (1.0 / (1.0 + OVERLOAD_THRESHOLD))).ceil() as usize;
        hinted.get(zone).is_none_or(|n| *n < min)
    })
}

/// trafficdist `preferCloseHeuristic.update`: each ready endpoint is hinted for its own zone
/// (and, for `PreferSameNode`, its own node); others have none.
pub fn prefer_close(endpoints: &mut [&mut discoveryv1::Endpoint], same_node: bool) {
    for e in endpoints.iter_mut() {
        if !ready(e) {
            e.hints = None;
            continue;
        }
        let for_zones = e.zone.clone().map(|z| vec![discoveryv1::ForZone { name: z }]);
        let for_nodes = e
            .node_name
            .clone()
            .filter(|_| same_node)
            .map(|n| vec![discoveryv1::ForNode { name: n }]);
        e.hints = (for_zones.is_some() || for_nodes.is_some()).then_some(discoveryv1::EndpointHints {
            for_zones,
            for_nodes,
        });
    }
}

/// No hints at all (`RemoveHintsFromSlices`, the default heuristic).
pub fn clear(endpoints: &mut [&mut discoveryv1::Endpoint]) {
    for e in endpoints.iter_mut() {
        e.hints = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(zone: &str) -> discoveryv1::Endpoint {
        discoveryv1::Endpoint {
            addresses: vec!["10.0.0.1".into()],
            conditions: Some(discoveryv1::EndpointConditions {
                ready: Some(true),
                ..Default::default()
            }),
            zone: Some(zone.into()),
            ..Default::default()
        }
    }

    fn hints_for(endpoints: &[discoveryv1::Endpoint]) -> Vec<String> {
        endpoints
            .iter()
            .map(|e| {
                e.hints
                    .as_ref()
                    .and_then(|h| h.for_zones.as_ref())
                    .map(|z| z.iter().map(|z| z.name.clone()).collect::<Vec<_>>().join(","))
                    .unwrap_or_default()
            })
            .collect()
    }

    fn ratios(pairs: &[(&str, f64)]) -> Result<BTreeMap<String, f64>, &'static str> {
        Ok(pairs.iter().map(|(z, r)| (z.to_string(), *r)).collect())
    }

    // topologycache.go AddHints: with two equal zones and one endpoint in each, each
    // endpoint is hinted for its own zone.
    #[test]
    fn balanced_zones_keep_their_own_endpoints() {
        let mut eps = vec![endpoint("zone-a"), endpoint("zone-b")];
        let mut refs: Vec<&mut discoveryv1::Endpoint> = eps.iter_mut().collect();
        let got = add_auto_hints(&mut refs, &ratios(&[("zone-a", 0.5), ("zone-b", 0.5)]));
        assert!(got.is_ok(), "{got:?}");
        assert_eq!(hints_for(&eps), vec!["zone-a", "zone-b"]);
    }

    // AddHints: with equal CPU and three of four endpoints in zone-a, one of zone-a's
    // endpoints is handed to zone-b.
    #[test]
    fn a_crowded_zone_gives_endpoints_to_the_other() {
        let mut eps = vec![endpoint("zone-a"), endpoint("zone-a"), endpoint("zone-a"), endpoint("zone-b")];
        let mut refs: Vec<&mut discoveryv1::Endpoint> = eps.iter_mut().collect();
        let got = add_auto_hints(&mut refs, &ratios(&[("zone-a", 0.5), ("zone-b", 0.5)])).unwrap();
        assert_eq!(got.get("zone-a"), Some(&2));
        assert_eq!(got.get("zone-b"), Some(&2));
        assert_eq!(hints_for(&eps), vec!["zone-b", "zone-a", "zone-a", "zone-b"]);
    }

    // getAllocations: fewer endpoints than zones, or minimums that cannot all be met.
    #[test]
    fn too_few_endpoints_disable_hints() {
        let mut eps = vec![endpoint("zone-a")];
        let mut refs: Vec<&mut discoveryv1::Endpoint> = eps.iter_mut().collect();
        let got = add_auto_hints(&mut refs, &ratios(&[("zone-a", 0.5), ("zone-b", 0.5)]));
        assert_eq!(got, Err("Insufficient number of endpoints (1 endpoints, 2 zones)".to_string()));
        assert_eq!(hints_for(&eps), vec![""]);

        let mut eps = [endpoint("zone-a"), endpoint("zone-a"), endpoint("zone-b")];
        let mut refs: Vec<&mut discoveryv1::Endpoint> = eps.iter_mut().collect();
        let got = add_auto_hints(&mut refs, &ratios(&[("zone-a", 0.34), ("zone-b", 0.33), ("zone-c", 0.33)]));
        assert!(got.is_ok(), "{got:?}");
        let mut eps = [endpoint("zone-a"), endpoint("zone-b"), endpoint("zone-c")];
        let mut refs: Vec<&mut discoveryv1::Endpoint> = eps.iter_mut().collect();
        let got = add_auto_hints(&mut refs, &ratios(&[("zone-a", 0.1), ("zone-b", 0.1), ("zone-c", 0.8)]));
        assert_eq!(
            got,
            Err("Unable to allocate minimum required endpoints to each zone without exceeding overload threshold (3 endpoints, 3 zones)".to_string())
        );
    }

    #[test]
    fn prefer_close_hints_each_endpoint_for_its_zone() {
        let mut eps = vec![endpoint("zone-a"), endpoint("zone-b")];
        eps[1].conditions.as_mut().unwrap().ready = Some(false);
        let mut refs: Vec<&mut discoveryv1::Endpoint> = eps.iter_mut().collect();
        prefer_close(&mut refs, false);
        assert_eq!(hints_for(&eps), vec!["zone-a", ""]);
    }
}
