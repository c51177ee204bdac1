//! Scheduler predicates and scores on plain values.
//!
//! Mirrors k8s.io/api core/v1/toleration.go (`ToleratesTaint`), component-helpers
//! scheduling/corev1 (`FindMatchingUntoleratedTaint`, node affinity) @kubernetes-1.34.0, and
//! v1.28 pkg/scheduler: `FitError.Error`, DefaultPreemption's message and the LeastAllocated
//! score. Node and pod objects are reduced to the fields these rules read.

use std::collections::BTreeMap;

use crate::labels::{Requirement, Selector, SelectorError};
use crate::validation::field::{self, ErrorList, FieldError, Path};

/// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
pub type TaintEffect = String;

/// A node taint.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: TaintEffect,
}

/// A pod toleration; an empty operator means `Equal`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Toleration {
    pub key: String,
    pub operator: String,
    pub value: String,
    /// Empty matches every effect.
    pub effect: TaintEffect,
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// Mirrors Toleration.ToleratesTaint: effect empty or equal, key empty or equal, and
    /// `Exists` or an equal value.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if !self.effect.is_empty() && self.effect != taint.effect {
            return false;
        }
        if !self.key.is_empty() && self.key != taint.key {
            return false;
        }
        match self.operator.as_str() {
            "" | "Equal" => self.value == taint.value,
            "Exists" => true,
            _ => false,
        }
    }
}

impl std::fmt::Display for Taint {
    /// `key=value:effect`, as `kubectl describe node` prints it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}:{}", self.key, self.effect)
        } else {
            write!(f, "{}={}:{}", self.key, self.value, self.effect)
        }
    }
}

/// Mirrors FindMatchingUntoleratedTaint: the first taint passing `filter` (all when `None`)
/// that no toleration tolerates.
pub fn find_matching_untolerated_taint<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    filter: Option<&dyn Fn(&Taint) -> bool>,
) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|t| filter.is_none_or(|f| f(t)))
        .find(|t| !tolerations.iter().any(|tol| tol.tolerates(t)))
}

/// The TaintToleration filter's scope: only `NoSchedule` and `NoExecute` taints block.
pub fn does_not_tolerate_blocking_taint<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
) -> Option<&'a Taint> {
    let f = |t: &Taint| t.effect == "NoSchedule" || t.effect == "NoExecute";
    find_matching_untolerated_taint(taints, tolerations, Some(&f))
}

/// The TaintToleration filter's failure reason, e.g.
/// `node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }`.
pub fn untolerated_taint_reason(t: &Taint) -> String {
    format!("node(s) had untolerated taint {{{}: {}}}", t.key, t.value)
}

/// A node-selector requirement (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeSelectorRequirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// One node-selector term: expressions and fields are ANDed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeSelectorTerm {
    pub match_expressions: Vec<NodeSelectorRequirement>,
    pub match_fields: Vec<NodeSelectorRequirement>,
}

/// Mirrors nodeSelectorRequirementsAsSelector: an empty list selects nothing.
///
/// # Errors
/// Every invalid requirement, with paths under `path` (e.g. `root[0].values`).
pub fn node_selector_requirements_as_selector(
    reqs: &[NodeSelectorRequirement],
    path: &Path,
) -> Result<Selector, ErrorList> {
    if reqs.is_empty() {
        return Ok(Selector::nothing());
    }
    let mut errs = ErrorList::new();
    let mut out = Vec::new();
    for (i, r) in reqs.iter().enumerate() {
        let p = path.index(i);
        let op = match r.operator.as_str() {
            "In" => "in",
            "NotIn" => "notin",
            "Exists" => "exists",
            "DoesNotExist" => "!",
            "Gt" => "gt",
            "Lt" => "lt",
            other => {
                errs.push(FieldError::not_supported(
                    p.child("operator"),
                    field::quote(other),
                    &[] as &[&str],
                ));
                continue;
            }
        };
        match Requirement::new_at(&r.key, op, r.values.clone(), &p) {
            Ok(req) => out.push(req),
            Err(SelectorError::Invalid(list)) => errs.extend(list),
            Err(SelectorError::Parse(m)) => errs.push(FieldError::invalid(&p, "", m)),
        }
    }
    errs.into_result()?;
    Ok(Selector::from_requirements(out))
}

/// Mirrors nodeaffinity's term matching: the terms are ORed; a term needs all its label
/// expressions and `metadata.name` field requirements to match; an empty or invalid term
/// matches nothing.
pub fn match_node_selector_terms(
    terms: &[NodeSelectorTerm],
    node_name: &str,
    node_labels: &BTreeMap<String, String>,
) -> bool {
    terms
        .iter()
        .any(|t| term_matches(t, node_name, node_labels))
}

fn term_matches(
    term: &NodeSelectorTerm,
    node_name: &str,
    labels: &BTreeMap<String, String>,
) -> bool {
    if term.match_expressions.is_empty() && term.match_fields.is_empty() {
        return false;
    }
    if !term.match_expressions.is_empty() {
        match node_selector_requirements_as_selector(
            &term.match_expressions,
            &Path::new("matchExpressions"),
        ) {
            Ok(sel) if sel.matches(labels) => {}
            _ => return false,
        }
    }
    for f in &term.match_fields {
        // Only In/NotIn with exactly one value are valid field requirements.
        let [v] = f.values.as_slice() else {
            return false;
        };
        let actual = if f.key == "metadata.name" {
            node_name
        } else {
            ""
        };
        let ok = match f.operator.as_str() {
            "In" => actual == v,
            "NotIn" => actual != v,
            _ => return false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Mirrors FitError.Error: `0/N nodes are available: <histogram>.` (or the PreFilter message
/// instead of the histogram), then the PostFilter message. `node_reasons` holds each failed
/// node's reasons.
pub fn fit_error_message(
    num_all_nodes: usize,
    pre_filter_msg: &str,
    node_reasons: &[Vec<String>],
    post_filter_msg: &str,
) -> String {
    let mut msg = format!("0/{num_all_nodes} nodes are available:");
    if !pre_filter_msg.is_empty() {
        msg.push_str(&format!(" {pre_filter_msg}."));
    } else {
        let mut histogram: BTreeMap<&str, usize> = BTreeMap::new();
        for r in node_reasons.iter().flatten() {
            *histogram.entry(r.as_str()).or_default() += 1;
        }
        let mut entries: Vec<String> = histogram.iter().map(|(r, n)| format!("{n} {r}")).collect();
        entries.sort();
        if !entries.is_empty() {
            msg.push_str(&format!(" {}.", entries.join(", ")));
        }
    }
    if !post_filter_msg.is_empty() {
        msg.push_str(&format!(" {post_filter_msg}."));
    }
    msg
}

/// A filter status code, as the framework's `Code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterCode {
    /// Preemption may help (e.g. `Insufficient cpu`).
    Unschedulable,
    /// Preemption cannot help (e.g. an untolerated taint).
    UnschedulableAndUnresolvable,
}

/// The code the default filter plugins attach to a reason (v1.28).
pub fn reason_code(reason: &str) -> FilterCode {
    const UNRESOLVABLE: [&str; 9] = [
        "node(s) had untolerated taint",
        "node(s) didn't match Pod's node affinity/selector",
        "node(s) were unschedulable",
        "node(s) didn't match the requested node name",
        "node(s) didn't match pod affinity rules",
        "node(s) had volume node affinity conflict",
        "node(s) didn't match pod topology spread constraints (missing required label)",
        "node(s) didn't find available persistent volumes to bind",
        "node(s) had no available volume zone",
    ];
    if UNRESOLVABLE.iter().any(|p| reason.starts_with(p)) {
        FilterCode::UnschedulableAndUnresolvable
    } else {
        FilterCode::Unschedulable
    }
}

/// DefaultPreemption's PostFilter message when no victim set helps: `preemption: ` and a second
/// FitError over the dry run, one reason per failed node by its code.
pub fn preemption_message(num_all_nodes: usize, node_codes: &[FilterCode]) -> String {
    let reasons: Vec<Vec<String>> = node_codes
        .iter()
        .map(|c| {
            vec![match c {
                FilterCode::UnschedulableAndUnresolvable => {
                    "Preemption is not helpful for scheduling".to_string()
                }
                FilterCode::Unschedulable => {
                    "No preemption victims found for incoming pod".to_string()
                }
            }]
        })
        .collect();
    format!(
        "preemption: {}",
        fit_error_message(num_all_nodes, "", &reasons, "")
    )
}

/// Highest node score.
pub const MAX_NODE_SCORE: i64 = 100;

/// One resource of a node for scoring: allocatable and requested (including the incoming pod),
/// in the resource's base unit (millicores, bytes), with the resource's weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceUse {
    pub allocatable: i64,
    pub requested: i64,
    pub weight: i64,
}

/// Mirrors the LeastAllocated scoring strategy: per resource `(alloc − req) × 100 / alloc` (0
/// when over-requested or nothing is allocatable), then the weighted integer mean.
pub fn least_allocated_score(resources: &[ResourceUse]) -> i64 {
    let mut score = 0;
    let mut weights = 0;
    for r in resources {
        let s = if r.allocatable == 0 || r.requested > r.allocatable {
            0
        } else {
            (r.allocatable - r.requested) * MAX_NODE_SCORE / r.allocatable
        };
        score += s * r.weight;
        weights += r.weight;
    }
    if weights == 0 { 0 } else { score / weights }
}

/// Mirrors the BalancedAllocation score for two or more resources:
/// `(1 − std(fractions)) × 100`, each fraction capped at 1.
pub fn balanced_allocation_score(resources: &[ResourceUse]) -> i64 {
    // Computed without collecting the fractions: the scheduler calls this for every
    // scored node of every pod.
    let fraction = |r: &ResourceUse| {
        if r.allocatable == 0 {
            0.0
        } else {
            (r.requested as f64 / r.allocatable as f64).min(1.0)
        }
    };
    let std = match resources {
        [] | [_] => 0.0,
        [a, b] => (fraction(a) - fraction(b)).abs() / 2.0,
        many => {
            let len = many.len() as f64;
            let mean = many.iter().map(fraction).sum::<f64>() / len;
            (many.iter().map(|r| (fraction(r) - mean).powi(2)).sum::<f64>() / len).sqrt()
        }
    };
    ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tol(key: &str, op: &str, value: &str, effect: &str) -> Toleration {
        Toleration {
            key: key.into(),
            operator: op.into(),
            value: value.into(),
            effect: effect.into(),
            toleration_seconds: None,
        }
    }

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: value.into(),
            effect: effect.into(),
        }
    }

    // Mirrors TestTolerationToleratesTaint in k8s.io/api core/v1/toleration_test.go @kubernetes-1.34.0.
    #[test]
    fn tolerations() {
        let cases = [
            (
                "exists no value",
                tol("foo", "Exists", "", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                true,
            ),
            (
                "empty key exists",
                tol("", "Exists", "", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                true,
            ),
            (
                "equal",
                tol("foo", "Equal", "bar", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                true,
            ),
            (
                "value differs",
                tol("foo", "Equal", "baz", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                false,
            ),
            (
                "effect differs",
                tol("foo", "Exists", "", "NoExecute"),
                taint("foo", "bar", "NoSchedule"),
                false,
            ),
        ];
        for (name, t, ta, want) in cases {
            assert_eq!(t.tolerates(&ta), want, "case {name}");
        }
    }

    // Mirrors TestFitError in pkg/scheduler/framework/types_test.go @v1.28.0.
    #[test]
    fn fit_errors() {
        let r = |s: &str| vec![s.to_string()];
        let msg = fit_error_message(3, "", &[r("A"), r("A"), r("B")], "");
        assert_eq!(msg, "0/3 nodes are available: 1 B, 2 A.");
        let msg = fit_error_message(3, "pre", &[r("A")], "post");
        assert_eq!(msg, "0/3 nodes are available: pre. post.");
    }

    #[test]
    fn scores() {
        let r = |a, q| ResourceUse {
            allocatable: a,
            requested: q,
            weight: 1,
        };
        assert_eq!(least_allocated_score(&[r(4000, 3000), r(10000, 5000)]), 37);
        assert_eq!(
            balanced_allocation_score(&[r(4000, 2000), r(10000, 5000)]),
            100
        );
    }
}
