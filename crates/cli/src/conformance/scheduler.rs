//! Checker for `scheduler.jsonl`: taints and tolerations, node-selector terms, FitError
//! messages and LeastAllocated scores.

use std::collections::BTreeMap;

use machinery::quantity::Quantity;
use machinery::scheduling::{
    self as sch, NodeSelectorRequirement, NodeSelectorTerm, ResourceUse, Taint, Toleration,
};
use machinery::validation::field::Path;
use serde_json::Value;

use super::Outcome;
use super::util::{self, compare, str_field};

pub fn check(row: &Value) -> Outcome {
    match str_field(row, "kind") {
        "ToleratesTaint" => {
            let (Some(tol), Some(t)) = (row.get("toleration"), row.get("taint")) else {
                return util::unsupported(row, "missing toleration or taint");
            };
            compare(expect_tolerated(row), toleration(tol).tolerates(&taint(t)))
        }
        "FindMatchingUntoleratedTaint" => untolerated(row),
        "MatchNodeSelectorTerms" => node_selector_terms(row),
        "NodeSelectorRequirementsAsSelector" => requirements_as_selector(row),
        "FitErrorMessage" => fit_error(row),
        "LeastAllocatedScore" => least_allocated(row),
        _ => util::unsupported(row, "unknown kind"),
    }
}

fn expect_tolerated(row: &Value) -> bool {
    row.get("expectTolerated")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn toleration(v: &Value) -> Toleration {
    Toleration {
        key: str_field(v, "key").into(),
        operator: str_field(v, "operator").into(),
        value: str_field(v, "value").into(),
        effect: str_field(v, "effect").into(),
        toleration_seconds: util::int_field(v, "tolerationSeconds"),
    }
}

fn taint(v: &Value) -> Taint {
    Taint {
        key: str_field(v, "key").into(),
        value: str_field(v, "value").into(),
        effect: str_field(v, "effect").into(),
    }
}

fn list<T>(v: Option<&Value>, f: impl Fn(&Value) -> T) -> Vec<T> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().map(f).collect())
        .unwrap_or_default()
}

fn untolerated(row: &Value) -> Outcome {
    let taints = list(row.get("taints"), taint);
    let tolerations = list(row.get("tolerations"), toleration);
    // The table names the inclusion filter: "none" admits no taint; otherwise every taint.
    let none = |_: &Taint| false;
    let filter: Option<&dyn Fn(&Taint) -> bool> = if str_field(row, "filter") == "none" {
        Some(&none)
    } else {
        None
    };
    compare(
        expect_tolerated(row),
        sch::find_matching_untolerated_taint(&taints, &tolerations, filter).is_none(),
    )
}

fn requirement(v: &Value) -> NodeSelectorRequirement {
    NodeSelectorRequirement {
        key: str_field(v, "key").into(),
        operator: str_field(v, "operator").into(),
        values: util::str_list(v.get("values")),
    }
}

fn node_selector_terms(row: &Value) -> Outcome {
    let terms = list(row.get("terms"), |t| NodeSelectorTerm {
        match_expressions: list(t.get("matchExpressions"), requirement),
        match_fields: list(t.get("matchFields"), requirement),
    });
    let node = row.get("node").cloned().unwrap_or(Value::Null);
    let labels = util::str_map(node.get("labels"));
    let want = row.get("want").and_then(Value::as_bool).unwrap_or(false);
    compare(
        want,
        sch::match_node_selector_terms(&terms, str_field(&node, "name"), &labels),
    )
}

fn requirements_as_selector(row: &Value) -> Outcome {
    let reqs = list(row.get("requirements"), requirement);
    let got = sch::node_selector_requirements_as_selector(&reqs, &Path::new("root"));
    if let Some(want_err) = row.get("expectError").and_then(Value::as_str) {
        // The table renders the bad value itself ("derived formatting"); compare the path, the
        // error type and the detail, not the value's rendering.
        return match got {
            Err(list) => compare(mask_value(want_err), mask_value(&list.to_string())),
            Ok(s) => Outcome::Fail {
                expected: want_err.into(),
                got: s.to_string(),
            },
        };
    }
    let want = str_field(row, "expectSelector");
    match got {
        Ok(s) if want == "<Nothing: matches no node>" => compare(true, s.is_nothing()),
        Ok(s) => compare(want.to_string(), s.to_string()),
        Err(e) => Outcome::Fail {
            expected: want.into(),
            got: e.to_string(),
        },
    }
}

/// `path: Invalid value: <v>: detail` → `path: Invalid value: …: detail`.
fn mask_value(msg: &str) -> String {
    const T: &str = ": Invalid value: ";
    let Some(i) = msg.find(T) else {
        return msg.to_string();
    };
    let rest = &msg[i + T.len()..];
    let detail = rest.rfind(": ").map_or("", |j| &rest[j..]);
    format!("{}{T}…{detail}", &msg[..i])
}

fn fit_error(row: &Value) -> Outcome {
    let n = util::int_field(row, "numAllNodes").unwrap_or(0) as usize;
    let reasons: Vec<Vec<String>> = list(row.get("nodeStatusReasons"), |r| {
        vec![r.as_str().unwrap_or("").to_string()]
    });
    // Without explicit PreFilter/PostFilter messages the row describes the default profile, so
    // DefaultPreemption contributes the PostFilter message from each node's filter code.
    let post = match row.get("postFilterMsg").and_then(Value::as_str) {
        Some(p) => p.to_string(),
        None => {
            let codes: Vec<_> = reasons.iter().map(|r| sch::reason_code(&r[0])).collect();
            sch::preemption_message(n, &codes)
        }
    };
    let got = sch::fit_error_message(n, str_field(row, "preFilterMsg"), &reasons, &post);
    compare(str_field(row, "want").to_string(), got)
}

/// A quantity given as a JSON string or number. The upstream test builds cpu allocatable with
/// NewMilliQuantity, so the table's cpu numbers are already millicores.
fn amount(v: Option<&Value>) -> i64 {
    let q = match v {
        Some(Value::String(s)) => Quantity::parse(s).ok(),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(|i| Quantity::from_value(i, machinery::quantity::Format::DecimalSI)),
        _ => None,
    };
    q.map_or(0, |q| q.value())
}

fn least_allocated(row: &Value) -> Outcome {
    let pod = row.get("podRequests");
    let pod_cpu = amount(pod.and_then(|p| p.get("cpu")));
    let pod_mem = amount(pod.and_then(|p| p.get("memory")));
    let mut got = BTreeMap::new();
    for node in row
        .get("nodes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let existing = node.get("existingRequests").or(node.get("requested"));
        let cpu = ResourceUse {
            allocatable: amount(node.get("cpu")),
            requested: amount(existing.and_then(|e| e.get("cpu"))) + pod_cpu,
            weight: 1,
        };
        let mem = ResourceUse {
            allocatable: amount(node.get("memory")),
            requested: amount(existing.and_then(|e| e.get("memory"))) + pod_mem,
            weight: 1,
        };
        got.insert(
            str_field(&node, "name").to_string(),
            sch::least_allocated_score(&[cpu, mem]),
        );
    }
    let want: BTreeMap<String, i64> = row
        .get("expectedScores")
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_i64().unwrap_or(-1)))
                .collect()
        })
        .unwrap_or_default();
    compare(want, got)
}
