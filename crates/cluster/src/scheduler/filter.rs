//! Filter plugins: can this pod run on this node?
//!
//! Mirrors pkg/scheduler/framework/plugins/{nodeunschedulable, nodename, tainttoleration,
//! nodeaffinity, nodeports, noderesources/fit.go, volumebinding, podtopologyspread/filtering.go,
//! interpodaffinity/filtering.go} (v1.34), in the default plugin order. A node is rejected by
//! the first failing plugin, as `RunFilterPlugins` stops there.
//!
//! Deliberate gaps: PodTopologySpread counts only `DoNotSchedule` constraints with their
//! `labelSelector` (no `matchLabelKeys`, no node inclusion policies); InterPodAffinity reads
//! `labelSelector` and `namespaces` of required terms only.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use machinery::scheduling::{self as sch, FilterCode, Taint};

use super::cache::{NodeInfos, Siblings};
use super::types::{NodeInfo, PodInfo};

/// Why a plugin rejected a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub plugin: &'static str,
    pub code: FilterCode,
    pub reasons: Vec<String>,
}

impl Rejection {
    fn new(plugin: &'static str, code: FilterCode, reason: impl Into<String>) -> Rejection {
        Rejection {
            plugin,
            code,
            reasons: vec![reason.into()],
        }
    }
}

/// Reasons, word for word as upstream's `ErrReason…` constants.
pub const ERR_UNSCHEDULABLE: &str = "node(s) were unschedulable";
pub const ERR_NODE_NAME: &str = "node(s) didn't match the requested node name";
pub const ERR_NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
pub const ERR_NODE_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";
pub const ERR_TOO_MANY_PODS: &str = "Too many pods";
pub const ERR_TOPOLOGY: &str = "node(s) didn't match pod topology spread constraints";
pub const ERR_TOPOLOGY_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";
pub const ERR_AFFINITY: &str = "node(s) didn't match pod affinity rules";
pub const ERR_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
pub const ERR_EXISTING_ANTI_AFFINITY: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// Each image's normalized name and how many nodes have it (ImageLocality's per-pod state).
pub type ImageSpread = Vec<(String, Option<i64>)>;

/// Everything filters may need beyond one node, computed once per attempt (the PreFilter
/// state): all nodes, and the assigned pods that carry required anti-affinity terms.
pub struct FilterContext<'a> {
    pub nodes: &'a BTreeMap<String, NodeInfo>,
    pub anti_affinity_pods: Vec<(&'a NodeInfo, &'a PodInfo)>,
    /// Per DoNotSchedule constraint index: matching pods per domain.
    pub spread: Vec<BTreeMap<String, i64>>,
    /// ImageLocality's per-pod state: each image's normalized name and, once a node has it,
    /// how many nodes do (counted once per pod instead of once per node).
    pub image_spread: std::cell::RefCell<Option<ImageSpread>>,
    /// The cache's count of nodes per image, when the context comes from [`NodeInfos`].
    pub image_nodes: Option<&'a std::collections::HashMap<String, i64>>,
    /// InterPodAffinity's PreScore state: per preferred term, the weighted count of matching
    /// pods in each domain (computed on first use, once per pod).
    pub preferred_pod_affinity: std::cell::RefCell<Option<Vec<DomainScores<'a>>>>,
    /// The cache's per-controller index of assigned pods, when the context comes from
    /// [`NodeInfos`].
    pub controlled: Option<&'a std::collections::HashMap<String, Vec<Siblings>>>,
    /// Default spreading's per-pod state: `(node slot, count)` of the pod's siblings (same
    /// controller and namespace), by slot (taken from `controlled` on first use).
    pub siblings: std::cell::RefCell<Option<Vec<(u32, u32)>>>,
}

impl FilterContext<'_> {
    /// How many non-terminating pods of `namespace` controlled by `owner_uid` `node` holds
    /// ([`NodeInfo::controlled_count`]), read from the cache's index when there is one.
    /// `owner_uid` and `namespace` are the scheduled pod's, the same on every call.
    pub fn controlled_count(&self, owner_uid: &str, namespace: &str, node: &NodeInfo) -> u32 {
        let Some(index) = self.controlled else {
            return node.controlled_count(owner_uid, namespace);
        };
        let mut siblings = self.siblings.borrow_mut();
        let siblings = siblings.get_or_insert_with(|| {
            let mut s: Vec<(u32, u32)> = index
                .get(owner_uid)
                .into_iter()
                .flatten()
                .filter(|s| s.namespace == namespace)
                .map(|s| (s.node, s.count))
                .collect();
            s.sort_unstable();
            s
        });
        match siblings.binary_search_by_key(&node.slot, |&(slot, _)| slot) {
            Ok(i) => siblings[i].1,
            Err(_) => 0,
        }
    }
}

/// One preferred pod (anti-)affinity term's weighted matches per value of its topology key.
#[derive(Debug, Clone)]
pub struct DomainScores<'a> {
    pub topology_key: String,
    /// Domain value → weight (negative for anti-affinity) × matching pods in that domain;
    /// domains without matching pods are absent.
    pub scores: std::collections::HashMap<&'a str, i64>,
}

impl<'a> FilterContext<'a> {
    /// Mirrors the PreFilter steps of InterPodAffinity and PodTopologySpread.
    pub fn new(pod: &PodInfo, nodes: &'a BTreeMap<String, NodeInfo>) -> FilterContext<'a> {
        FilterContext::build(pod, nodes, nodes.values(), None, None)
    }

    /// The same over the scheduler's cache, using its indexes instead of walking all nodes.
    pub fn for_cache(pod: &PodInfo, cache: &'a NodeInfos) -> FilterContext<'a> {
        FilterContext::build(
            pod,
            &cache.nodes,
            cache.anti_affinity_candidates(),
            cache.image_nodes(),
            cache.controlled(),
        )
    }

    fn build(
        pod: &PodInfo,
        nodes: &'a BTreeMap<String, NodeInfo>,
        anti_affinity_candidates: impl Iterator<Item = &'a NodeInfo>,
        image_nodes: Option<&'a std::collections::HashMap<String, i64>>,
        controlled: Option<&'a std::collections::HashMap<String, Vec<Siblings>>>,
    ) -> FilterContext<'a> {
        let mut ctx = FilterContext {
            nodes,
            anti_affinity_pods: Vec::new(),
            spread: Vec::new(),
            image_spread: std::cell::RefCell::new(None),
            image_nodes,
            preferred_pod_affinity: std::cell::RefCell::new(None),
            controlled,
            siblings: std::cell::RefCell::new(None),
        };
        for n in anti_affinity_candidates.filter(|n| n.required_anti_affinity_pods > 0) {
            for p in n.pods.values() {
                if p.has_required_anti_affinity() {
                    ctx.anti_affinity_pods.push((n, p));
                }
            }
        }
        ctx.spread = pod
            .spec
            .topology_spread_constraints
            .iter()
            .flatten()
            .map(|c| spread_counts(pod, c, &ctx))
            .collect();
        ctx
    }
}

/// Runs the filters in the default order; `Err` names the first plugin that said no.
pub fn run_filters(
    pod: &PodInfo,
    node: &NodeInfo,
    ctx: &FilterContext<'_>,
) -> Result<(), Rejection> {
    node_unschedulable(pod, node)?;
    node_name(pod, node)?;
    taint_toleration(pod, node)?;
    node_affinity(pod, node)?;
    node_ports(pod, node)?;
    node_resources_fit(pod, node)?;
    volume_binding(pod, node)?;
    pod_topology_spread(pod, node, ctx)?;
    inter_pod_affinity(pod, node, ctx)?;
    Ok(())
}

/// Mirrors volumebinding.Filter over the conflicts its PreFilter found
/// ([`crate::controller::volume::binding::node_conflicts`]).
pub fn volume_binding(pod: &PodInfo, node: &NodeInfo) -> Result<(), Rejection> {
    match pod.volume_conflicts.get(&node.name) {
        Some(reasons) if !reasons.is_empty() => Err(Rejection {
            plugin: "VolumeBinding",
            code: FilterCode::UnschedulableAndUnresolvable,
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
        }),
        _ => Ok(()),
    }
}

/// Mirrors nodeunschedulable.Filter: a cordoned node, unless the pod tolerates
/// `node.kubernetes.io/unschedulable:NoSchedule`.
pub fn node_unschedulable(pod: &PodInfo, node: &NodeInfo) -> Result<(), Rejection> {
    if !node.unschedulable {
        return Ok(());
    }
    let taint = Taint {
        key: "node.kubernetes.io/unschedulable".into(),
        value: String::new(),
        effect: "NoSchedule".into(),
    };
    if pod.tolerations.iter().any(|t| t.tolerates(&taint)) {
        return Ok(());
    }
    Err(Rejection::new(
        "NodeUnschedulable",
        FilterCode::UnschedulableAndUnresolvable,
        ERR_UNSCHEDULABLE,
    ))
}

/// Mirrors nodename.Filter.
pub fn node_name(pod: &PodInfo, node: &NodeInfo) -> Result<(), Rejection> {
    match &pod.node_name {
        Some(n) if *n != node.name => Err(Rejection::new(
            "NodeName",
            FilterCode::UnschedulableAndUnresolvable,
            ERR_NODE_NAME,
        )),
        _ => Ok(()),
    }
}

/// Mirrors tainttoleration.Filter: the first untolerated NoSchedule/NoExecute taint.
pub fn taint_toleration(pod: &PodInfo, node: &NodeInfo) -> Result<(), Rejection> {
    match sch::does_not_tolerate_blocking_taint(&node.taints, &pod.tolerations) {
        Some(t) => Err(Rejection::new(
            "TaintToleration",
            FilterCode::UnschedulableAndUnresolvable,
            sch::untolerated_taint_reason(t),
        )),
        None => Ok(()),
    }
}

/// Mirrors nodeaffinity.Filter: `nodeSelector` labels and the required node-affinity terms.
pub fn node_affinity(pod: &PodInfo, node: &NodeInfo) -> Result<(), Rejection> {
    if fits_node_affinity(pod, &node.name, &node.labels) {
        Ok(())
    } else {
        Err(Rejection::new(
            "NodeAffinity",
            FilterCode::UnschedulableAndUnresolvable,
            ERR_NODE_AFFINITY,
        ))
    }
}

/// Whether a node's name and labels satisfy the pod's `nodeSelector` and required
/// node-affinity terms: NodeAffinity's filter, for callers that hold the node itself (the
/// DaemonSet controller reads every node, and copying their labels cost more than the check).
pub fn fits_node_affinity(pod: &PodInfo, name: &str, labels: &BTreeMap<String, String>) -> bool {
    let selector_fits = pod
        .spec
        .node_selector
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let required = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| {
            na.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    selector_fits
        && required.is_none_or(|sel| {
            let terms: Vec<sch::NodeSelectorTerm> =
                sel.node_selector_terms.iter().map(term).collect();
            sch::match_node_selector_terms(&terms, name, labels)
        })
}

/// What NodeAffinity's PreFilter leaves to filter: every node, only the named ones, or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreFilterNodes {
    All,
    Only(std::collections::BTreeSet<String>),
    /// The terms name disjoint sets of nodes; the PreFilter rejects the pod.
    Conflict,
}

/// NodeAffinity's PreFilter message when the terms' node names cannot all hold.
pub const ERR_AFFINITY_CONFLICT: &str = "pod affinity terms conflict";
/// The status of nodes a PreFilter result left out (`SetAbsentNodesStatus`).
pub const ERR_ABSENT_NODE_AFFINITY: &str = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

/// Mirrors nodeaffinity.PreFilter: when every required term pins `metadata.name` with `In`
/// (as the DaemonSet controller's pods do), only those nodes are filtered at all. Within a
/// term the requirements intersect; the terms are ORed, so their sets are joined, and one
/// term without such a requirement leaves every node eligible.
pub fn node_affinity_pre_filter(pod: &PodInfo) -> PreFilterNodes {
    let Some(required) = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| na.required_during_scheduling_ignored_during_execution.as_ref())
    else {
        return PreFilterNodes::All;
    };
    let mut names: Option<std::collections::BTreeSet<String>> = None;
    for t in &required.node_selector_terms {
        let mut term_names: Option<std::collections::BTreeSet<String>> = None;
        let by_name = t
            .match_fields
            .iter()
            .flatten()
            .filter(|r| r.key == "metadata.name" && r.operator == "In");
        for r in by_name {
            let set = r.values.iter().flatten().cloned().collect();
            term_names = Some(match term_names {
                None => set,
                Some(prev) => prev.intersection(&set).cloned().collect(),
            });
        }
        let Some(term_names) = term_names else {
            return PreFilterNodes::All;
        };
        names.get_or_insert_with(Default::default).extend(term_names);
    }
    match names {
        Some(n) if n.is_empty() => PreFilterNodes::Conflict,
        Some(n) => PreFilterNodes::Only(n),
        None => PreFilterNodes::All,
    }
}

/// Converts an API node-selector term.
pub fn term(t: &corev1::NodeSelectorTerm) -> sch::NodeSelectorTerm {
    let req = |r: &corev1::NodeSelectorRequirement| sch::NodeSelectorRequirement {
        key: r.key.clone(),
        operator: r.operator.clone(),
        values: r.values.clone().unwrap_or_default(),
    };
    sch::NodeSelectorTerm {
        match_expressions: t.match_expressions.iter().flatten().map(req).collect(),
        match_fields: t.match_fields.iter().flatten().map(req).collect(),
    }
}

/// Mirrors nodeports.Fits: a wanted host port conflicts when the same protocol and port are
/// used on the same or a wildcard host IP.
pub fn node_ports(pod: &PodInfo, node: &NodeInfo) -> Result<(), Rejection> {
    for (proto, ip, port) in &pod.host_ports {
        let clash = node.used_ports.iter().any(|(p2, ip2, port2)| {
            p2 == proto && port2 == port && (ip == ip2 || ip == "0.0.0.0" || ip2 == "0.0.0.0")
        });
        if clash {
            return Err(Rejection::new(
                "NodePorts",
                FilterCode::Unschedulable,
                ERR_NODE_PORTS,
            ));
        }
    }
    Ok(())
}

/// Mirrors noderesources.fitsRequest: pod count, then every insufficient resource.
pub fn node_resources_fit(pod: &PodInfo, node: &NodeInfo) -> Result<(), Rejection> {
    let insufficient = insufficient_resources(pod, node);
    if insufficient.is_empty() {
        Ok(())
    } else {
        Err(Rejection {
            plugin: "NodeResourcesFit",
            code: FilterCode::Unschedulable,
            reasons: insufficient,
        })
    }
}

/// The reasons NodeResourcesFit would give, empty when the pod fits.
pub fn insufficient_resources(pod: &PodInfo, node: &NodeInfo) -> Vec<String> {
    let mut out = Vec::new();
    let a = &node.allocatable;
    let r = &node.requested;
    let p = &pod.requests;
    if r.pods + 1 > a.pods {
        out.push(ERR_TOO_MANY_PODS.to_string());
    }
    if p.milli_cpu > 0 && p.milli_cpu > a.milli_cpu - r.milli_cpu {
        out.push("Insufficient cpu".into());
    }
    if p.memory > 0 && p.memory > a.memory - r.memory {
        out.push("Insufficient memory".into());
    }
    if p.ephemeral_storage > 0 && p.ephemeral_storage > a.ephemeral_storage - r.ephemeral_storage {
        out.push("Insufficient ephemeral-storage".into());
    }
    out
}

/// Mirrors podtopologyspread filtering for `whenUnsatisfiable: DoNotSchedule`: placing the
/// pod must keep `count(domain) + 1 − min(count) ≤ maxSkew` (minDomains not modelled).
pub fn pod_topology_spread(
    pod: &PodInfo,
    node: &NodeInfo,
    ctx: &FilterContext<'_>,
) -> Result<(), Rejection> {
    for (i, c) in pod
        .spec
        .topology_spread_constraints
        .iter()
        .flatten()
        .enumerate()
    {
        if c.when_unsatisfiable != "DoNotSchedule" {
            continue;
        }
        let Some(domain) = node.labels.get(&c.topology_key) else {
            return Err(Rejection::new(
                "PodTopologySpread",
                FilterCode::UnschedulableAndUnresolvable,
                ERR_TOPOLOGY_LABEL,
            ));
        };
        let Some(counts) = ctx.spread.get(i) else {
            continue;
        };
        let min = counts.values().copied().min().unwrap_or(0);
        let here = counts.get(domain).copied().unwrap_or(0);
        let self_match = selector_matches(c.label_selector.as_ref(), pod.labels());
        if here + i64::from(self_match) - min > i64::from(c.max_skew) {
            return Err(Rejection::new(
                "PodTopologySpread",
                FilterCode::Unschedulable,
                ERR_TOPOLOGY,
            ));
        }
    }
    Ok(())
}

/// Matching pods per topology domain over the nodes passing the pod's node affinity.
pub fn spread_counts(
    pod: &PodInfo,
    c: &corev1::TopologySpreadConstraint,
    ctx: &FilterContext<'_>,
) -> BTreeMap<String, i64> {
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for n in ctx.nodes.values() {
        let Some(domain) = n.labels.get(&c.topology_key) else {
            continue;
        };
        if node_affinity(pod, n).is_err() {
            continue;
        }
        let matching = n
            .pods
            .values()
            .filter(|p| {
                p.namespace == pod.namespace
                    && !p.terminating
                    && selector_matches(c.label_selector.as_ref(), p.labels())
            })
            .count() as i64;
        *counts.entry(domain.clone()).or_default() += matching;
    }
    counts
}

/// Mirrors interpodaffinity filtering for required terms: the pod's affinity needs a
/// matching pod in the node's domain, its anti-affinity none, and no existing pod's
/// anti-affinity may forbid it.
pub fn inter_pod_affinity(
    pod: &PodInfo,
    node: &NodeInfo,
    ctx: &FilterContext<'_>,
) -> Result<(), Rejection> {
    let affinity = pod.spec.affinity.as_ref();
    // Existing pods' anti-affinity against the incoming pod.
    for (n, p) in &ctx.anti_affinity_pods {
        {
            let terms = p
                .spec
                .affinity
                .as_ref()
                .and_then(|a| a.pod_anti_affinity.as_ref())
                .and_then(|a| {
                    a.required_during_scheduling_ignored_during_execution
                        .as_ref()
                });
            for t in terms.into_iter().flatten() {
                if term_matches_pod(t, &p.namespace, pod) && same_domain(n, node, &t.topology_key) {
                    return Err(Rejection::new(
                        "InterPodAffinity",
                        FilterCode::Unschedulable,
                        ERR_EXISTING_ANTI_AFFINITY,
                    ));
                }
            }
        }
    }
    if affinity.is_none_or(|a| a.pod_affinity.is_none() && a.pod_anti_affinity.is_none()) {
        return Ok(());
    }
    let required_affinity = affinity
        .and_then(|a| a.pod_affinity.as_ref())
        .and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    for t in required_affinity.into_iter().flatten() {
        let any_match = ctx
            .nodes
            .values()
            .flat_map(|n| n.pods.values().map(move |p| (n, p)))
            .any(|(_, p)| term_matches_pod(t, &pod.namespace, p));
        let in_domain = ctx.nodes.values().any(|n| {
            same_domain(n, node, &t.topology_key)
                && n.pods
                    .values()
                    .any(|p| term_matches_pod(t, &pod.namespace, p))
        });
        // A pod matching its own term may be the first of its group.
        let first_of_group = !any_match && term_matches_pod(t, &pod.namespace, pod);
        if !in_domain && !first_of_group {
            return Err(Rejection::new(
                "InterPodAffinity",
                FilterCode::UnschedulableAndUnresolvable,
                ERR_AFFINITY,
            ));
        }
    }
    let required_anti = affinity
        .and_then(|a| a.pod_anti_affinity.as_ref())
        .and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    for t in required_anti.into_iter().flatten() {
        let clash = ctx.nodes.values().any(|n| {
            same_domain(n, node, &t.topology_key)
                && n.pods
                    .values()
                    .any(|p| term_matches_pod(t, &pod.namespace, p))
        });
        if clash {
            return Err(Rejection::new(
                "InterPodAffinity",
                FilterCode::Unschedulable,
                ERR_ANTI_AFFINITY,
            ));
        }
    }
    Ok(())
}

/// Whether two nodes share a value of `key` (both must carry it).
pub fn same_domain(a: &NodeInfo, b: &NodeInfo, key: &str) -> bool {
    match (a.labels.get(key), b.labels.get(key)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Whether an affinity term of a pod in `owner_ns` selects `p`.
pub fn term_matches_pod(t: &corev1::PodAffinityTerm, owner_ns: &str, p: &PodInfo) -> bool {
    let in_ns = match &t.namespaces {
        Some(list) if !list.is_empty() => list.contains(&p.namespace),
        _ => t.namespace_selector.is_some() || p.namespace == owner_ns,
    };
    in_ns && !p.terminating && selector_matches(t.label_selector.as_ref(), p.labels())
}

/// A present label selector matching `labels`; a missing one matches nothing.
pub fn selector_matches(
    sel: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
    labels: &BTreeMap<String, String>,
) -> bool {
    sel.and_then(|s| api::selectors::label_selector_to_selector(s).ok())
        .is_some_and(|s| s.matches(labels))
}
