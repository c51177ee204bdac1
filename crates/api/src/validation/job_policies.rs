//! A Job's `podFailurePolicy`, `successPolicy` and `podReplacementPolicy`.
//!
//! Mirrors `validatePodFailurePolicy`, `validatePodFailurePolicyRule*`, `validateSuccessPolicy*`,
//! `validatePodReplacementPolicy` and `validateIndexesFormat` in
//! pkg/apis/batch/validation/validation.go (v1.34). Where upstream prints the whole Go struct
//! as the bad value (a successPolicy on a NonIndexed Job), kubelab prints the type name only.

use std::collections::BTreeSet;

use k8s_openapi::api::batch::v1 as batchv1;
use machinery::validation as v;
use machinery::validation::field::{ErrorList, FieldError, quote};

/// maxPodFailurePolicyRules.
const MAX_RULES: usize = 20;
/// maxPodFailurePolicyOnExitCodesValues.
const MAX_EXIT_CODE_VALUES: usize = 255;
/// maxPodFailurePolicyOnPodConditionsPatterns.
const MAX_CONDITION_PATTERNS: usize = 20;
/// maxSuccessPolicyRule.
const MAX_SUCCESS_RULES: usize = 20;
/// maxJobSuccessPolicySucceededIndexesLimit.
const MAX_SUCCEEDED_INDEXES_LEN: usize = 64 * 1024;

/// The actions, operators and statuses upstream accepts, sorted as `sets.List` returns them.
const ACTIONS: [&str; 4] = ["Count", "FailIndex", "FailJob", "Ignore"];
const OPERATORS: [&str; 2] = ["In", "NotIn"];
const STATUSES: [&str; 3] = ["False", "True", "Unknown"];

/// Go's `%q` of a string slice: `["a" "b"]`.
fn quoted_list(values: &[&str]) -> String {
    let q: Vec<String> = values.iter().map(|s| quote(s)).collect();
    format!("[{}]", q.join(" "))
}

/// Go's `%#v` of an `[]int32`: `[]int32{1, 2}`.
fn go_int32_slice(values: &[i32]) -> String {
    let parts: Vec<String> = values.iter().map(i32::to_string).collect();
    format!("[]int32{{{}}}", parts.join(", "))
}

/// The policy checks of `validateJobSpec`, in upstream's order.
pub fn validate(spec: &batchv1::JobSpec, path: &str, errs: &mut ErrorList) {
    if let Some(policy) = &spec.pod_failure_policy {
        pod_failure_policy(spec, policy, &format!("{path}.podFailurePolicy"), errs);
    }
    if let Some(policy) = &spec.success_policy {
        let ppath = format!("{path}.successPolicy");
        if spec.completion_mode.as_deref() != Some("Indexed") {
            errs.push(FieldError::invalid(
                ppath,
                "batch.SuccessPolicy{...}",
                "requires indexed completion mode",
            ));
        } else {
            success_policy(spec, policy, &ppath, errs);
        }
    }
    pod_replacement_policy(spec, &format!("{path}.podReplacementPolicy"), errs);
}

fn pod_failure_policy(
    spec: &batchv1::JobSpec,
    policy: &batchv1::PodFailurePolicy,
    path: &str,
    errs: &mut ErrorList,
) {
    let rules_path = format!("{path}.rules");
    if policy.rules.len() > MAX_RULES {
        errs.push(FieldError::too_many(
            &rules_path,
            policy.rules.len() as i64,
            MAX_RULES as i64,
        ));
    }
    let containers: BTreeSet<&str> = machinery::sort::set_of(
        spec.template
            .spec
            .iter()
            .flat_map(|s| {
                s.containers
                    .iter()
                    .chain(s.init_containers.iter().flatten())
            })
            .map(|c| c.name.as_str()),
    );
    for (i, rule) in policy.rules.iter().enumerate() {
        pod_failure_policy_rule(spec, rule, &format!("{rules_path}[{i}]"), &containers, errs);
    }
}

fn pod_failure_policy_rule(
    spec: &batchv1::JobSpec,
    rule: &batchv1::PodFailurePolicyRule,
    path: &str,
    containers: &BTreeSet<&str>,
    errs: &mut ErrorList,
) {
    let action_path = format!("{path}.action");
    if rule.action.is_empty() {
        errs.push(FieldError::required(
            &action_path,
            format!("valid values: {}", quoted_list(&ACTIONS)),
        ));
    } else if rule.action == "FailIndex" {
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::invalid_str(
                &action_path,
                &rule.action,
                "requires the backoffLimitPerIndex to be set",
            ));
        }
    } else if !ACTIONS.contains(&rule.action.as_str()) {
        errs.push(FieldError::not_supported(
            &action_path,
            quote(&rule.action),
            &ACTIONS,
        ));
    }
    if let Some(on_exit_codes) = &rule.on_exit_codes {
        exit_codes(
            on_exit_codes,
            &format!("{path}.onExitCodes"),
            containers,
            errs,
        );
    }
    let patterns = rule.on_pod_conditions.as_deref().unwrap_or_default();
    if !patterns.is_empty() {
        pod_conditions(patterns, &format!("{path}.onPodConditions"), errs);
    }
    // field.OmitValueType: the message carries no value.
    let omit = |detail: &str| FieldError {
        value: None,
        ..FieldError::invalid(path, "", detail)
    };
    if rule.on_exit_codes.is_some() && !patterns.is_empty() {
        errs.push(omit(
            "specifying both OnExitCodes and OnPodConditions is not supported",
        ));
    }
    if rule.on_exit_codes.is_none() && patterns.is_empty() {
        errs.push(omit(
            "specifying one of OnExitCodes and OnPodConditions is required",
        ));
    }
}

fn pod_conditions(
    patterns: &[batchv1::PodFailurePolicyOnPodConditionsPattern],
    path: &str,
    errs: &mut ErrorList,
) {
    if patterns.len() > MAX_CONDITION_PATTERNS {
        errs.push(FieldError::too_many(
            path,
            patterns.len() as i64,
            MAX_CONDITION_PATTERNS as i64,
        ));
    }
    for (j, pattern) in patterns.iter().enumerate() {
        let ppath = format!("{path}[{j}]");
        for msg in v::is_qualified_name(&pattern.type_) {
            errs.push(FieldError::invalid_str(
                format!("{ppath}.type"),
                &pattern.type_,
                msg,
            ));
        }
        let status_path = format!("{ppath}.status");
        if pattern.status.is_empty() {
            errs.push(FieldError::required(
                status_path,
                format!("valid values: {}", quoted_list(&STATUSES)),
            ));
        } else if !STATUSES.contains(&pattern.status.as_str()) {
            errs.push(FieldError::not_supported(
                status_path,
                quote(&pattern.status),
                &STATUSES,
            ));
        }
    }
}

fn exit_codes(
    req: &batchv1::PodFailurePolicyOnExitCodesRequirement,
    path: &str,
    containers: &BTreeSet<&str>,
    errs: &mut ErrorList,
) {
    let operator_path = format!("{path}.operator");
    if req.operator.is_empty() {
        errs.push(FieldError::required(
            operator_path,
            format!("valid values: {}", quoted_list(&OPERATORS)),
        ));
    } else if !OPERATORS.contains(&req.operator.as_str()) {
        errs.push(FieldError::not_supported(
            operator_path,
            quote(&req.operator),
            &OPERATORS,
        ));
    }
    if let Some(name) = &req.container_name
        && !containers.contains(name.as_str())
    {
        errs.push(FieldError::invalid_str(
            format!("{path}.containerName"),
            name,
            "must be one of the container or initContainer names in the pod template",
        ));
    }
    let values_path = format!("{path}.values");
    if req.values.is_empty() {
        errs.push(FieldError::invalid(
            &values_path,
            go_int32_slice(&req.values),
            "at least one value is required",
        ));
    } else if req.values.len() > MAX_EXIT_CODE_VALUES {
        errs.push(FieldError::too_many(
            &values_path,
            req.values.len() as i64,
            MAX_EXIT_CODE_VALUES as i64,
        ));
    }
    let mut seen = BTreeSet::new();
    for (j, value) in req.values.iter().enumerate() {
        let vpath = format!("{values_path}[{j}]");
        if req.operator == "In" && *value == 0 {
            errs.push(FieldError::invalid(
                &vpath,
                "0",
                "must not be 0 for the In operator",
            ));
        }
        if !seen.insert(*value) {
            errs.push(FieldError::duplicate(&vpath, value.to_string()));
        }
    }
    if req.values.windows(2).any(|w| w[0] > w[1]) {
        errs.push(FieldError::invalid(
            values_path,
            go_int32_slice(&req.values),
            "must be ordered",
        ));
    }
}

fn success_policy(
    spec: &batchv1::JobSpec,
    policy: &batchv1::SuccessPolicy,
    path: &str,
    errs: &mut ErrorList,
) {
    let rules_path = format!("{path}.rules");
    if policy.rules.is_empty() {
        errs.push(FieldError::required(
            &rules_path,
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    if policy.rules.len() > MAX_SUCCESS_RULES {
        errs.push(FieldError::too_many(
            &rules_path,
            policy.rules.len() as i64,
            MAX_SUCCESS_RULES as i64,
        ));
    }
    let completions = spec.completions.unwrap_or(0);
    for (i, rule) in policy.rules.iter().enumerate() {
        let rpath = format!("{rules_path}[{i}]");
        if rule.succeeded_count.is_none() && rule.succeeded_indexes.is_none() {
            errs.push(FieldError::required(
                &rpath,
                "at least one of succeededCount or succeededIndexes must be specified",
            ));
        }
        let mut total = 0;
        if let Some(indexes) = &rule.succeeded_indexes {
            let ipath = format!("{rpath}.succeededIndexes");
            if indexes.len() > MAX_SUCCEEDED_INDEXES_LEN {
                errs.push(FieldError::too_long(
                    &ipath,
                    MAX_SUCCEEDED_INDEXES_LEN as i64,
                ));
            }
            match parse_indexes(indexes, completions) {
                Ok(ranges) => total = ranges.iter().map(|(x, y)| y - x + 1).sum(),
                Err(e) => errs.push(FieldError::invalid_str(
                    &ipath,
                    indexes,
                    format!("error parsing succeededIndexes: {e}"),
                )),
            }
        }
        if let Some(count) = rule.succeeded_count {
            let cpath = format!("{rpath}.succeededCount");
            if count < 0 {
                errs.push(FieldError::invalid(
                    &cpath,
                    count.to_string(),
                    "must be greater than or equal to 0",
                ));
            }
            if count > completions {
                errs.push(FieldError::invalid(
                    &cpath,
                    count.to_string(),
                    format!(
                        "must be less than or equal to {completions} (the number of specified completions)"
                    ),
                ));
            }
            if rule.succeeded_indexes.is_some() && count > total {
                errs.push(FieldError::invalid(
                    &cpath,
                    count.to_string(),
                    format!(
                        "must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"
                    ),
                ));
            }
        }
    }
}

/// Mirrors `validatePodReplacementPolicy`: with a podFailurePolicy only `Failed`.
fn pod_replacement_policy(spec: &batchv1::JobSpec, path: &str, errs: &mut ErrorList) {
    let Some(policy) = spec.pod_replacement_policy.as_deref() else {
        return;
    };
    if spec.pod_failure_policy.is_some() {
        if policy != "Failed" {
            errs.push(FieldError::not_supported(path, quote(policy), &["Failed"]));
        }
    } else if policy != "Failed" && policy != "TerminatingOrFailed" {
        errs.push(FieldError::not_supported(
            path,
            quote(policy),
            &["Failed", "TerminatingOrFailed"],
        ));
    }
}

/// Mirrors `validateIndexesFormat` / `parseIndexInterval`: `1,3-5` as sorted, disjoint
/// intervals below `completions`. Also what the Job controller reads `succeededIndexes` with.
///
/// # Errors
/// Upstream's parse error text.
pub fn parse_indexes(s: &str, completions: i32) -> Result<Vec<(i32, i32)>, String> {
    let mut out: Vec<(i32, i32)> = Vec::new();
    if s.is_empty() {
        return Ok(out);
    }
    for interval in s.split(',') {
        let (x, y) = parse_interval(interval, completions)?;
        if let Some((_, last)) = out.last()
            && *last >= x
        {
            return Err(format!(
                "non-increasing order, previous: {last}, current: {x}"
            ));
        }
        out.push((x, y));
    }
    Ok(out)
}

fn parse_interval(interval: &str, completions: i32) -> Result<(i32, i32), String> {
    let limits: Vec<&str> = interval.split('-').collect();
    if limits.len() > 2 {
        return Err(format!(
            "the fragment {} violates the requirement that an index interval can have at most two parts separated by '-'",
            quote(interval)
        ));
    }
    let number = |s: &str| -> Result<i32, String> {
        let n: i64 = go_atoi(s)
            .ok_or_else(|| format!("cannot convert string to integer for index: {}", quote(s)))?;
        if n >= i64::from(completions) {
            return Err(format!("too large index: {}", quote(s)));
        }
        Ok(n as i32)
    };
    let x = number(limits[0])?;
    match limits.get(1) {
        None => Ok((x, x)),
        Some(second) => {
            let y = number(second)?;
            if x >= y {
                return Err(format!("non-increasing order, previous: {x}, current: {y}"));
            }
            Ok((x, y))
        }
    }
}

/// strconv.Atoi: an optional sign and decimal digits.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_parse_as_upstream() {
        assert_eq!(parse_indexes("0,2-4", 5), Ok(vec![(0, 0), (2, 4)]));
        assert_eq!(parse_indexes("", 5), Ok(vec![]));
        assert_eq!(parse_indexes("5", 5), Err("too large index: \"5\"".into()));
        assert_eq!(
            parse_indexes("3,1", 5),
            Err("non-increasing order, previous: 3, current: 1".into())
        );
        assert_eq!(
            parse_indexes("1-2-3", 5),
            Err("the fragment \"1-2-3\" violates the requirement that an index interval can have at most two parts separated by '-'".into())
        );
        assert_eq!(
            parse_indexes("a", 5),
            Err("cannot convert string to integer for index: \"a\"".into())
        );
    }
}
