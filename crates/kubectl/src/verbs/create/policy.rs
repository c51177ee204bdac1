//! `create poddisruptionbudget` and `create priorityclass`.
//!
//! Mirrors create_pdb.go and create_priorityclass.go (v1.34).

use machinery::labels::{self, Operator};
use serde_json::{Map, Value, json};

use super::{Args, Ctx, Generated};
use crate::errors::KubectlError;

/// `^[0-9]+%?$`.
fn is_count_or_percent(s: &str) -> bool {
    let digits = s.strip_suffix('%').unwrap_or(s);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// intstr.Parse: a number, else the string.
fn int_or_string(s: &str) -> Value {
    match s.parse::<i32>() {
        Ok(n) => json!(n),
        Err(_) => json!(s),
    }
}

/// metav1.ParseToLabelSelector: equality requirements become `matchLabels`, the others
/// `matchExpressions`.
fn label_selector(s: &str) -> Result<Value, KubectlError> {
    let sel = labels::parse(s).map_err(|e| KubectlError::msg(e.to_string()))?;
    let mut match_labels = Map::new();
    let mut exprs = Vec::new();
    for r in sel.requirements() {
        match r.operator() {
            Operator::Equals | Operator::DoubleEquals => {
                match_labels.insert(
                    r.key().to_string(),
                    json!(r.values().first().cloned().unwrap_or_default()),
                );
            }
            Operator::In | Operator::NotIn | Operator::NotEquals => {
                let op = if r.operator() == Operator::In {
                    "In"
                } else {
                    "NotIn"
                };
                exprs.push(json!({"key": r.key(), "operator": op, "values": r.values()}));
            }
            Operator::Exists => exprs.push(json!({"key": r.key(), "operator": "Exists"})),
            Operator::DoesNotExist => {
                exprs.push(json!({"key": r.key(), "operator": "DoesNotExist"}));
            }
            other => {
                return Err(KubectlError::msg(format!(
                    "{} is not a valid label selector operator",
                    other.as_str()
                )));
            }
        }
    }
    let mut out = Map::new();
    if !match_labels.is_empty() {
        out.insert("matchLabels".into(), Value::Object(match_labels));
    }
    if !exprs.is_empty() {
        out.insert("matchExpressions".into(), Value::Array(exprs));
    }
    Ok(Value::Object(out))
}

pub fn pod_disruption_budget(args: &Args, ctx: &Ctx) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let selector = p.string("selector").unwrap_or("");
    let min = p.string("min-available").unwrap_or("");
    let max = p.string("max-unavailable").unwrap_or("");
    if selector.is_empty() {
        return Err(KubectlError::msg("a selector must be specified"));
    }
    if min.is_empty() && max.is_empty() {
        return Err(KubectlError::msg(
            "one of min-available or max-unavailable must be specified",
        ));
    }
    if !min.is_empty() && !max.is_empty() {
        return Err(KubectlError::msg(
            "min-available and max-unavailable cannot be both specified",
        ));
    }
    if !min.is_empty() && !is_count_or_percent(min) {
        return Err(KubectlError::msg(
            "invalid format specified for min-available",
        ));
    }
    if !max.is_empty() && !is_count_or_percent(max) {
        return Err(KubectlError::msg(
            "invalid format specified for max-unavailable",
        ));
    }
    let mut spec = json!({"selector": label_selector(selector)?});
    if min.is_empty() {
        spec["maxUnavailable"] = int_or_string(max);
    } else {
        spec["minAvailable"] = int_or_string(min);
    }
    Ok(Generated::new(
        json!({
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": args.name},
            "spec": spec,
            "status": {"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0},
        }),
        "failed to create poddisruptionbudgets: ",
    ))
}

pub fn priority_class(args: &Args, ctx: &Ctx) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let value = p.int("value").unwrap_or(0);
    let value = i32::try_from(value).map_err(|_| {
        KubectlError::Raw(format!(
            "error: invalid argument \"{value}\" for \"--value\" flag: strconv.ParseInt: parsing \"{value}\": value out of range\nSee 'kubectl create priorityclass --help' for usage."
        ))
    })?;
    let mut obj = json!({
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"name": args.name},
        "value": value,
        "preemptionPolicy": p.string("preemption-policy").unwrap_or("PreemptLowerPriority"),
    });
    if p.bool("global-default") {
        obj["globalDefault"] = json!(true);
    }
    if let Some(d) = p.string("description").filter(|d| !d.is_empty()) {
        obj["description"] = json!(d);
    }
    Ok(Generated::new(obj, "failed to create priorityclass: "))
}
