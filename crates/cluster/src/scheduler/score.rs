//! Score plugins: how good is each feasible node?
//!
//! Mirrors the default score plugins of pkg/scheduler/apis/config/v1/default_plugins.go with
//! their weights (v1.34): TaintToleration 3, NodeAffinity 2, PodTopologySpread 2,
//! InterPodAffinity 2, NodeResourcesFit (LeastAllocated, cpu 1 + memory 1) 1,
//! NodeResourcesBalancedAllocation 1, ImageLocality 1. Each plugin scores every feasible node,
//! normalizes to 0–100 as its `NormalizeScore` does, and is multiplied by its weight.
//!
//! Deliberate gaps: PodTopologySpread's system default constraints are approximated by
//! spreading pods of the same controller over hostnames (maxSkew 3), and scores are not
//! weighted by the number of domains; InterPodAffinity scores only the incoming pod's
//! preferred terms.

use std::collections::BTreeMap;

use machinery::scheduling::{self as sch, MAX_NODE_SCORE, ResourceUse};

use super::filter::{self, FilterContext};
use super::types::{NodeInfo, PodInfo};

/// One plugin's contribution to a node's score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginScore {
    pub plugin: &'static str,
    /// The plugin's score after normalization (0–100).
    pub score: i64,
    pub weight: i64,
}

/// A feasible node's scores and their weighted total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeScore {
    pub node: String,
    pub plugins: Vec<PluginScore>,
    pub total: i64,
}

/// Scores `feasible` nodes for `pod`, in the order given.
pub fn score_nodes(
    pod: &PodInfo,
    feasible: &[&NodeInfo],
    ctx: &FilterContext<'_>,
) -> Vec<NodeScore> {
    type Scorer = fn(&PodInfo, &NodeInfo, &FilterContext<'_>) -> i64;
    // (plugin, weight, raw scorer, normalization)
    let plugins: [(&'static str, i64, Scorer, Normalize); 7] = [
        (
            "TaintToleration",
            3,
            taint_toleration_raw,
            Normalize::Reverse,
        ),
        ("NodeAffinity", 2, node_affinity_raw, Normalize::Max),
        (
            "PodTopologySpread",
            2,
            topology_spread_raw,
            Normalize::Spread,
        ),
        (
            "InterPodAffinity",
            2,
            inter_pod_affinity_raw,
            Normalize::MinMax,
        ),
        ("NodeResourcesFit", 1, least_allocated, Normalize::None),
        (
            "NodeResourcesBalancedAllocation",
            1,
            balanced_allocation,
            Normalize::None,
        ),
        ("ImageLocality", 1, image_locality_raw, Normalize::None),
    ];
    let mut out: Vec<NodeScore> = feasible
        .iter()
        .map(|n| NodeScore {
            node: n.name.clone(),
            plugins: Vec::with_capacity(plugins.len()),
            total: 0,
        })
        .collect();
    for (name, weight, scorer, norm) in plugins {
        let raw: Vec<i64> = feasible.iter().map(|n| scorer(pod, n, ctx)).collect();
        let normalized = normalize(&raw, norm);
        for (i, s) in normalized.into_iter().enumerate() {
            out[i].plugins.push(PluginScore {
                plugin: name,
                score: s,
                weight,
            });
            out[i].total += s * weight;
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
enum Normalize {
    None,
    /// DefaultNormalizeScore(100, reverse=false): `s × 100 / max`.
    Max,
    /// DefaultNormalizeScore(100, reverse=true): `100 − s × 100 / max`.
    Reverse,
    /// InterPodAffinity: `(s − min) × 100 / (max − min)`.
    MinMax,
    /// PodTopologySpread: `100 × (max + min − s) / max`.
    Spread,
}

fn normalize(raw: &[i64], how: Normalize) -> Vec<i64> {
    let mut out = raw.to_vec();
    normalize_in_place(&mut out, how);
    out
}

/// [`normalize`] over the raw scores themselves.
fn normalize_in_place(scores: &mut [i64], how: Normalize) {
    if let Normalize::None = how {
        return;
    }
    let max = scores.iter().copied().max().unwrap_or(0);
    let min = scores.iter().copied().min().unwrap_or(0);
    for v in scores.iter_mut() {
        let s = *v;
        *v = match how {
            Normalize::None => s,
            Normalize::Max => {
                if max == 0 {
                    s
                } else {
                    s * MAX_NODE_SCORE / max
                }
            }
            Normalize::Reverse => {
                if max == 0 {
                    MAX_NODE_SCORE
                } else {
                    MAX_NODE_SCORE - s * MAX_NODE_SCORE / max
                }
            }
            Normalize::MinMax => {
                if max == min {
                    0
                } else {
                    (s - min) * MAX_NODE_SCORE / (max - min)
                }
            }
            Normalize::Spread => {
                if max == 0 {
                    MAX_NODE_SCORE
                } else {
                    MAX_NODE_SCORE * (max + min - s) / max
                }
            }
        };
    }
}

/// Mirrors tainttoleration.Score: intolerable `PreferNoSchedule` taints.
fn taint_toleration_raw(pod: &PodInfo, node: &NodeInfo, _: &FilterContext<'_>) -> i64 {
    node.taints
        .iter()
        .filter(|t| t.effect == "PreferNoSchedule")
        .filter(|t| {
            !pod.tolerations
                .iter()
                .filter(|tol| tol.effect.is_empty() || tol.effect == "PreferNoSchedule")
                .any(|tol| tol.tolerates(t))
        })
        .count() as i64
}

/// Mirrors nodeaffinity.Score: the summed weights of matching preferred terms.
fn node_affinity_raw(pod: &PodInfo, node: &NodeInfo, _: &FilterContext<'_>) -> i64 {
    let preferred = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| {
            na.preferred_during_scheduling_ignored_during_execution
                .as_ref()
        });
    preferred
        .into_iter()
        .flatten()
        .filter(|p| p.weight != 0)
        .filter(|p| {
            sch::match_node_selector_terms(&[filter::term(&p.preference)], &node.name, &node.labels)
        })
        .map(|p| i64::from(p.weight))
        .sum()
}

/// Soft spreading: matching pods in the node's domain per `ScheduleAnyway` constraint, or
/// pods of the same controller on the node when the pod has no constraints.
fn topology_spread_raw(pod: &PodInfo, node: &NodeInfo, ctx: &FilterContext<'_>) -> i64 {
    let constraints = pod
        .spec
        .topology_spread_constraints
        .as_deref()
        .unwrap_or(&[]);
    if constraints.is_empty() {
        let Some(owner) = controller_uid(pod) else {
            return 0;
        };
        return i64::from(ctx.controlled_count(owner, &pod.namespace, node));
    }
    let mut total = 0;
    for (i, c) in constraints.iter().enumerate() {
        if c.when_unsatisfiable != "ScheduleAnyway" {
            continue;
        }
        if let (Some(domain), Some(counts)) = (node.labels.get(&c.topology_key), ctx.spread.get(i))
        {
            total += counts.get(domain).copied().unwrap_or(0);
        }
    }
    total
}

fn controller_uid(p: &PodInfo) -> Option<&str> {
    p.owner_uid.as_deref()
}

/// Preferred pod (anti-)affinity: +weight per matching pod in the domain for affinity,
/// −weight for anti-affinity.
fn inter_pod_affinity_raw(pod: &PodInfo, node: &NodeInfo, ctx: &FilterContext<'_>) -> i64 {
    let mut state = ctx.preferred_pod_affinity.borrow_mut();
    let terms = state.get_or_insert_with(|| preferred_pod_affinity_scores(pod, ctx.nodes));
    terms
        .iter()
        .filter_map(|t| {
            let domain = node.labels.get(&t.topology_key)?;
            t.scores.get(domain.as_str()).copied()
        })
        .sum()
}

/// The PreScore half of [`inter_pod_affinity_raw`], as upstream's
/// interpodaffinity/scoring.go `PreScore` (v1.34) builds its `topologyScore` once per pod:
/// every node's matching pods are counted once into their domain, so scoring a node is a
/// lookup instead of a walk over all nodes.
fn preferred_pod_affinity_scores<'a>(
    pod: &PodInfo,
    nodes: &'a std::collections::BTreeMap<String, NodeInfo>,
) -> Vec<filter::DomainScores<'a>> {
    let Some(aff) = pod.spec.affinity.as_ref() else {
        return Vec::new();
    };
    let affinity = aff
        .pod_affinity
        .as_ref()
        .and_then(|a| a.preferred_during_scheduling_ignored_during_execution.as_ref());
    let anti_affinity = aff
        .pod_anti_affinity
        .as_ref()
        .and_then(|a| a.preferred_during_scheduling_ignored_during_execution.as_ref());
    let signed = affinity
        .into_iter()
        .flatten()
        .map(|wt| (wt, 1))
        .chain(anti_affinity.into_iter().flatten().map(|wt| (wt, -1)));
    signed
        .map(|(wt, sign)| {
            let t = &wt.pod_affinity_term;
            let mut scores = std::collections::HashMap::new();
            for n in nodes.values() {
                let Some(domain) = n.labels.get(&t.topology_key) else {
                    continue;
                };
                let matches = n
                    .pods
                    .values()
                    .filter(|p| filter::term_matches_pod(t, &pod.namespace, p))
                    .count() as i64;
                if matches > 0 {
                    *scores.entry(domain.as_str()).or_insert(0) +=
                        sign * i64::from(wt.weight) * matches;
                }
            }
            filter::DomainScores {
                topology_key: t.topology_key.clone(),
                scores,
            }
        })
        .collect()
}

/// LeastAllocated over cpu and memory, with the non-zero request defaults.
pub fn least_allocated(pod: &PodInfo, node: &NodeInfo, _: &FilterContext<'_>) -> i64 {
    sch::least_allocated_score(&resource_use(node, pod, true))
}

/// BalancedAllocation over cpu and memory, with the actual requests.
pub fn balanced_allocation(pod: &PodInfo, node: &NodeInfo, _: &FilterContext<'_>) -> i64 {
    sch::balanced_allocation_score(&resource_use(node, pod, false))
}

fn resource_use(node: &NodeInfo, pod: &PodInfo, non_zero: bool) -> [ResourceUse; 2] {
    let (req, add) = if non_zero {
        (&node.non_zero_requested, &pod.non_zero)
    } else {
        (&node.requested, &pod.requests)
    };
    [
        ResourceUse {
            allocatable: node.allocatable.milli_cpu,
            requested: req.milli_cpu + add.milli_cpu,
            weight: 1,
        },
        ResourceUse {
            allocatable: node.allocatable.memory,
            requested: req.memory + add.memory,
            weight: 1,
        },
    ]
}

const MB: i64 = 1024 * 1024;
/// imagelocality `minThreshold`.
const MIN_THRESHOLD: i64 = 23 * MB;
/// imagelocality `maxContainerThreshold`, per container.
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

/// Mirrors imagelocality.Score: sizes of the pod's images already on the node, scaled by how
/// widely each is spread, mapped between 23 MB and 1000 MB per container onto 0–100.
fn image_locality_raw(pod: &PodInfo, node: &NodeInfo, ctx: &FilterContext<'_>) -> i64 {
    let total_nodes = ctx.nodes.len().max(1) as i64;
    let mut sum = 0i64;
    let mut cache = ctx.image_spread.borrow_mut();
    let names = cache.get_or_insert_with(|| image_spreads(pod, ctx));
    if names.is_empty() && ctx.image_nodes.is_some() {
        // No node holds any of the pod's images: the sum is 0 on every node.
        return 0;
    }
    for (name, spread) in names.iter_mut() {
        if let Some(size) = node.images.get(name.as_str()) {
            let spread = *spread.get_or_insert_with(|| {
                ctx.nodes
                    .values()
                    .filter(|n| n.images.contains_key(name.as_str()))
                    .count() as i64
            });
            sum += size * spread / total_nodes;
        }
    }
    let max = MAX_CONTAINER_THRESHOLD * (pod.images.len().max(1) as i64);
    let sum = sum.clamp(MIN_THRESHOLD, max);
    MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
}

/// ImageLocality's per-pod state: each image's normalized name with how many nodes hold it.
/// With the cache's image counts, the counts are read once per pod and images no node holds
/// are left out, so a pod whose images are nowhere yet skips the per-node lookups; without
/// them (a cache built by hand) each count is taken over all nodes when first needed.
fn image_spreads(pod: &PodInfo, ctx: &FilterContext<'_>) -> Vec<(String, Option<i64>)> {
    let names = pod.images.iter().map(|img| normalized_image_name(img));
    match ctx.image_nodes {
        Some(counts) => names
            .filter_map(|name| {
                let n = counts.get(name.as_str()).copied().unwrap_or(0);
                (n > 0).then_some((name, Some(n)))
            })
            .collect(),
        None => names.map(|name| (name, None)).collect(),
    }
}

/// Mirrors normalizedImageName: a reference without a tag or digest gets `:latest`, and a
/// Docker Hub short name is expanded as node `status.images` list it.
pub fn normalized_image_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let mut name = image.to_string();
    if !last.contains(':') && !image.contains('@') {
        name.push_str(":latest");
    }
    let first = name.split('/').next().unwrap_or("");
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if has_registry {
        name
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    }
}

/// Per plugin of [`score_and_select`]'s table, the raw score every node gets when this pod
/// gives the plugin nothing to compare nodes by (no preferred terms, no spreading, none of
/// its images on any node): the nodes are then not visited for it. Each `Some` is exactly
/// what the plugin's scorer returns for every node in that case.
fn constant_raw_scores(pod: &PodInfo, ctx: &FilterContext<'_>) -> [Option<i64>; 7] {
    let affinity = pod.spec.affinity.as_ref();
    let no_preferred_node_affinity = affinity
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| na.preferred_during_scheduling_ignored_during_execution.as_ref())
        .is_none_or(|p| p.iter().all(|t| t.weight == 0));
    let no_spreading = pod
        .spec
        .topology_spread_constraints
        .as_deref()
        .is_none_or(|c| c.is_empty())
        && controller_uid(pod).is_none();
    let no_preferred_pod_affinity = affinity.is_none_or(|a| {
        let none = |t: Option<&Vec<k8s_openapi::api::core::v1::WeightedPodAffinityTerm>>| {
            t.is_none_or(|t| t.is_empty())
        };
        none(a.pod_affinity.as_ref().and_then(|a| {
            a.preferred_during_scheduling_ignored_during_execution.as_ref()
        })) && none(a.pod_anti_affinity.as_ref().and_then(|a| {
            a.preferred_during_scheduling_ignored_during_execution.as_ref()
        }))
    });
    let no_images_anywhere = ctx.image_nodes.is_some() && {
        let mut spreads = ctx.image_spread.borrow_mut();
        spreads.get_or_insert_with(|| image_spreads(pod, ctx)).is_empty()
    };
    [
        None,
        no_preferred_node_affinity.then_some(0),
        no_spreading.then_some(0),
        no_preferred_pod_affinity.then_some(0),
        None,
        None,
        // image_locality_raw's clamped sum of 0 is the minimum threshold: score 0.
        no_images_anywhere.then_some(0),
    ]
}

/// Buffers one scoring pass needs, kept by the scheduler across pods so that scoring 500
/// nodes per pod does not allocate and zero them afresh each time.
#[derive(Debug, Default, Clone)]
pub struct ScoreScratch {
    totals: Vec<i64>,
    /// Every plugin's normalized scores, plugin-major.
    normalized: Vec<i64>,
    order: Vec<u32>,
}

/// Scores the feasible nodes, picks the host as [`select_host`] does, and returns it with the
/// `keep` best scores (total descending, then name), built only for those: a 5,000-node
/// cluster scores 500 nodes per pod, and explanations keep 50.
///
/// `ranks[i]` is `feasible[i]`'s position in node-name order (the round robin visits the
/// nodes in name order from its start index, wrapping once), so equal totals are ordered
/// by comparing two integers instead of two node names.
pub fn score_and_select(
    pod: &PodInfo,
    feasible: &[&NodeInfo],
    ranks: &[u32],
    ctx: &FilterContext<'_>,
    keep: usize,
    mut pick: impl FnMut(u32) -> u32,
    scratch: &mut ScoreScratch,
) -> (String, Vec<NodeScore>) {
    type Scorer = fn(&PodInfo, &NodeInfo, &FilterContext<'_>) -> i64;
    let plugins: [(&'static str, i64, Scorer, Normalize); 7] = [
        ("TaintToleration", 3, taint_toleration_raw, Normalize::Reverse),
        ("NodeAffinity", 2, node_affinity_raw, Normalize::Max),
        ("PodTopologySpread", 2, topology_spread_raw, Normalize::Spread),
        ("InterPodAffinity", 2, inter_pod_affinity_raw, Normalize::MinMax),
        ("NodeResourcesFit", 1, least_allocated, Normalize::None),
        ("NodeResourcesBalancedAllocation", 1, balanced_allocation, Normalize::None),
        ("ImageLocality", 1, image_locality_raw, Normalize::None),
    ];
    let constant = constant_raw_scores(pod, ctx);
    debug_assert_eq!(feasible.len(), ranks.len());
    let n = feasible.len();
    let ScoreScratch {
        totals,
        normalized,
        order,
    } = scratch;
    totals.clear();
    totals.resize(n, 0);
    // Every slot is written by its scorer before it is read, so the buffer is only grown.
    if normalized.len() < plugins.len() * n {
        normalized.resize(plugins.len() * n, 0);
    }
    let normalized = &mut normalized[..plugins.len() * n];
    let chunks = normalized.chunks_mut(n.max(1));
    for (((_, weight, scorer, norm), scores), constant) in plugins.iter().zip(chunks).zip(constant)
    {
        match constant {
            Some(raw) => scores.fill(raw),
            None => {
                for (s, node) in scores.iter_mut().zip(feasible) {
                    *s = scorer(pod, node, ctx);
                }
            }
        }
        normalize_in_place(scores, *norm);
        for (t, s) in totals.iter_mut().zip(scores.iter()) {
            *t += s * weight;
        }
    }
    let totals = &totals[..];
    // Upstream's selectHost: uniform among the nodes sharing the highest total, taken in
    // the order they were found.
    let max = totals.iter().copied().max().unwrap_or(0);
    let ties = totals.iter().filter(|&&t| t == max).count();
    let nth = if ties > 1 {
        pick(ties as u32) as usize % ties
    } else {
        0
    };
    let chosen = (0..n).filter(|&i| totals[i] == max).nth(nth).unwrap_or(0);
    order.clear();
    order.extend(0..n as u32);
    let best_first = |&a: &u32, &b: &u32| {
        let (a, b) = (a as usize, b as usize);
        totals[b].cmp(&totals[a]).then(ranks[a].cmp(&ranks[b]))
    };
    // Only the `keep` best are explained: partition them out first, so the sort covers 50
    // nodes instead of all 500 feasible ones. Ranks are unique, so the order is the same
    // as sorting everything.
    if keep < n {
        order.select_nth_unstable_by(keep, best_first);
        order.truncate(keep);
    }
    order.sort_unstable_by(best_first);
    let scores = order
        .iter()
        .map(|&i| {
            let i = i as usize;
            NodeScore {
                node: feasible[i].name.clone(),
                plugins: plugins
                    .iter()
                    .enumerate()
                    .map(|(p, (name, weight, _, _))| PluginScore {
                        plugin: name,
                        score: normalized[p * n + i],
                        weight: *weight,
                    })
                    .collect(),
                total: totals[i],
            }
        })
        .collect();
    let host = feasible.get(chosen).map(|f| f.name.clone()).unwrap_or_default();
    (host, scores)
}

/// The best node: highest total; ties are broken uniformly with `pick(n)` returning a value
/// in `0..n` (upstream's reservoir sampling over equal maxima).
pub fn select_host(scores: &[NodeScore], mut pick: impl FnMut(u32) -> u32) -> Option<&NodeScore> {
    let max = scores.iter().map(|s| s.total).max()?;
    let best: Vec<&NodeScore> = scores.iter().filter(|s| s.total == max).collect();
    let i = if best.len() > 1 {
        pick(best.len() as u32) as usize
    } else {
        0
    };
    best.get(i).copied()
}

/// Counts used by explanations: raw scores are not kept, only normalized ones.
pub fn totals(scores: &[NodeScore]) -> BTreeMap<String, i64> {
    scores.iter().map(|s| (s.node.clone(), s.total)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names() {
        struct Case {
            name: &'static str,
            image: &'static str,
            want: &'static str,
        }
        let cases = [
            Case {
                name: "short",
                image: "nginx",
                want: "docker.io/library/nginx:latest",
            },
            Case {
                name: "tag",
                image: "nginx:1.27.3",
                want: "docker.io/library/nginx:1.27.3",
            },
            Case {
                name: "user",
                image: "luksa/kubia",
                want: "docker.io/luksa/kubia:latest",
            },
            Case {
                name: "registry",
                image: "registry.k8s.io/pause:3.10",
                want: "registry.k8s.io/pause:3.10",
            },
        ];
        for c in &cases {
            assert_eq!(normalized_image_name(c.image), c.want, "case {}", c.name);
        }
    }

    #[test]
    fn normalizations() {
        assert_eq!(normalize(&[0, 1, 2], Normalize::Reverse), [100, 50, 0]);
        assert_eq!(normalize(&[5, 16], Normalize::Max), [31, 100]);
        assert_eq!(normalize(&[0, 0], Normalize::Reverse), [100, 100]);
    }
}
