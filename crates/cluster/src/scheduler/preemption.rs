//! DefaultPreemption: when a pod fits nowhere, find a node where evicting lower-priority pods
//! would make room.
//!
//! Mirrors pkg/scheduler/framework/preemption/preemption.go and plugins/defaultpreemption
//! (v1.34): candidates are nodes that failed with a resolvable status; on each, every
//! lower-priority pod is removed, the filters run again, then victims are reprieved from the
//! highest priority down while the pod still fits. The candidate with the lowest highest-victim
//! priority, then the smallest priority sum, then the fewest victims wins.
//!
//! Deliberate gaps: PodDisruptionBudgets are not consulted and there is no
//! `preemptionPolicy: Never` check beyond skipping the search.

use machinery::scheduling::{self as sch, FilterCode};

use super::filter::{self, FilterContext};
use super::types::{NodeInfo, PodInfo};
use super::{FitError, NodeInfos};

/// A node where preemption makes room, and the pods to evict there.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub node: String,
    pub victims: Vec<PodInfo>,
}

/// Runs the preemption dry run for `pod` after `fit` failed.
///
/// # Errors
/// The PostFilter message (`preemption: 0/3 nodes are available: …`) when no node helps.
pub fn preempt(pod: &PodInfo, nodes: &NodeInfos, fit: &FitError) -> Result<Candidate, String> {
    if pod.spec.preemption_policy.as_deref() == Some("Never") {
        return Err("preemption: not eligible due to preemptionPolicy=Never.".into());
    }
    let mut candidates = Vec::new();
    let mut codes = Vec::new();
    for (name, rejection) in &fit.rejections {
        if rejection.code == FilterCode::UnschedulableAndUnresolvable {
            codes.push(FilterCode::UnschedulableAndUnresolvable);
            continue;
        }
        match nodes
            .nodes
            .get(name)
            .and_then(|n| select_victims(pod, n, nodes))
        {
            Some(victims) => candidates.push(Candidate {
                node: name.clone(),
                victims,
            }),
            None => codes.push(FilterCode::Unschedulable),
        }
    }
    candidates.sort_by_key(|c| {
        let max = c
            .victims
            .iter()
            .map(|v| v.priority)
            .max()
            .unwrap_or(i32::MIN);
        let sum: i64 = c.victims.iter().map(|v| i64::from(v.priority)).sum();
        (max, sum, c.victims.len(), c.node.clone())
    });
    match candidates.into_iter().next() {
        Some(c) => Ok(c),
        None => Err(sch::preemption_message(fit.num_all_nodes, &codes)),
    }
}

/// Mirrors selectVictimsOnNode: the smallest set of lower-priority pods to remove.
fn select_victims(pod: &PodInfo, node: &NodeInfo, nodes: &NodeInfos) -> Option<Vec<PodInfo>> {
    let mut trial = node.clone();
    let mut potential: Vec<PodInfo> = node
        .pods
        .values()
        .filter(|p| p.priority < pod.priority)
        .cloned()
        .collect();
    if potential.is_empty() {
        return None;
    }
    for p in &potential {
        trial.remove_pod(&p.key());
    }
    let mut all = nodes.nodes.clone();
    all.insert(trial.name.clone(), trial.clone());
    let fits = |t: &NodeInfo, all: &std::collections::BTreeMap<String, NodeInfo>| {
        let ctx = FilterContext::new(pod, all);
        filter::run_filters(pod, t, &ctx).is_ok()
    };
    if !fits(&trial, &all) {
        return None;
    }
    // Reprieve the most important pods first.
    potential.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.key().cmp(&b.key())));
    let mut victims = Vec::new();
    for p in potential {
        trial.add_pod(p.clone());
        all.insert(trial.name.clone(), trial.clone());
        if !fits(&trial, &all) {
            trial.remove_pod(&p.key());
            all.insert(trial.name.clone(), trial.clone());
            victims.push(p);
        }
    }
    Some(victims)
}
