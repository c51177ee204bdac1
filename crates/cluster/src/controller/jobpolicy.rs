//! What a Job's `podFailurePolicy` says about a failed pod, and whether its `successPolicy`
//! is met.
//!
//! Mirrors pkg/controller/job/pod_failure_policy.go (`matchPodFailurePolicy`,
//! `matchOnExitCodes`, `matchOnPodConditions`) and success_policy.go (`matchSuccessPolicy`,
//! `matchSucceededIndexesRule`) of v1.34.

use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::core::v1 as corev1;

/// The action of the rule a failed pod matched (`PodFailurePolicyAction`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureAction {
    /// `FailJob`, with the message the Job's conditions carry.
    FailJob(String),
    /// `FailIndex`: the pod's index is given up at once.
    FailIndex,
    /// `Ignore`: the failure does not count towards any limit.
    Ignore,
    /// `Count`: the default handling.
    Count,
}

impl FailureAction {
    /// Whether the failure counts towards `backoffLimit` (and `status.failed`).
    pub fn counts(&self) -> bool {
        !matches!(self, FailureAction::Ignore)
    }
}

/// The first rule of `policy` a failed pod matches, if any (rules are tried in order; a rule
/// with an action this version does not know is skipped, as clients are told to).
pub fn match_pod_failure_policy(
    policy: &batchv1::PodFailurePolicy,
    pod: &corev1::Pod,
) -> Option<FailureAction> {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let status = pod.status.as_ref()?;
    for (index, rule) in policy.rules.iter().enumerate() {
        let cause = if let Some(req) = &rule.on_exit_codes {
            match_on_exit_codes(status, req).map(|(container, code)| {
                format!(
                    "Container {container} for pod {namespace}/{name} failed with exit code {code} matching {} rule at index {index}",
                    rule.action
                )
            })
        } else if let Some(patterns) = &rule.on_pod_conditions {
            match_on_pod_conditions(status, patterns).map(|type_| {
                format!(
                    "Pod {namespace}/{name} has condition {type_} matching {} rule at index {index}",
                    rule.action
                )
            })
        } else {
            None
        };
        let Some(message) = cause else {
            continue;
        };
        match rule.action.as_str() {
            "FailJob" => return Some(FailureAction::FailJob(message)),
            "FailIndex" => return Some(FailureAction::FailIndex),
            "Ignore" => return Some(FailureAction::Ignore),
            "Count" => return Some(FailureAction::Count),
            _ => {}
        }
    }
    None
}

/// The first terminated container (then init container) with a non-zero exit code the
/// requirement selects: its name and exit code.
fn match_on_exit_codes(
    status: &corev1::PodStatus,
    req: &batchv1::PodFailurePolicyOnExitCodesRequirement,
) -> Option<(String, i32)> {
    let containers = status.container_statuses.iter().flatten();
    let init = status.init_container_statuses.iter().flatten();
    containers.chain(init).find_map(|cs| {
        let code = cs.state.as_ref()?.terminated.as_ref()?.exit_code;
        let selected = req.container_name.as_ref().is_none_or(|n| *n == cs.name);
        let listed = req.values.contains(&code);
        let matches = match req.operator.as_str() {
            "In" => listed,
            "NotIn" => !listed,
            _ => false,
        };
        (selected && code != 0 && matches).then(|| (cs.name.clone(), code))
    })
}

/// The type of the first pod condition some pattern matches (type and status).
fn match_on_pod_conditions(
    status: &corev1::PodStatus,
    patterns: &[batchv1::PodFailurePolicyOnPodConditionsPattern],
) -> Option<String> {
    status.conditions.iter().flatten().find_map(|c| {
        patterns
            .iter()
            .any(|p| p.type_ == c.type_ && p.status == c.status)
            .then(|| c.type_.clone())
    })
}

/// `Matched rules at index N` for the first rule the succeeded indexes satisfy.
///
/// `succeeded` is the sorted list of succeeded indexes; a rule whose `succeededIndexes` does
/// not parse is skipped.
pub fn match_success_policy(
    policy: &batchv1::SuccessPolicy,
    completions: i32,
    succeeded: &[i32],
) -> Option<String> {
    if succeeded.is_empty() {
        return None;
    }
    let met = |index: usize| Some(format!("Matched rules at index {index}"));
    for (index, rule) in policy.rules.iter().enumerate() {
        if let Some(indexes) = &rule.succeeded_indexes {
            let Ok(required) = api::validation::parse_indexes(indexes, completions) else {
                continue;
            };
            if required.is_empty() {
                continue;
            }
            let total: i32 = required.iter().map(|(x, y)| y - x + 1).sum();
            let contained = succeeded
                .iter()
                .filter(|i| required.iter().any(|(x, y)| (x..=y).contains(i)))
                .count() as i32;
            let enough = match rule.succeeded_count {
                Some(n) => contained >= n,
                None => contained == total,
            };
            if enough {
                return met(index);
            }
        } else if let Some(n) = rule.succeeded_count
            && succeeded.len() as i32 >= n
        {
            return met(index);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed_pod(exit_codes: &[(&str, i32)], conditions: &[(&str, &str)]) -> corev1::Pod {
        let statuses = exit_codes
            .iter()
            .map(|(name, code)| corev1::ContainerStatus {
                name: (*name).into(),
                state: Some(corev1::ContainerState {
                    terminated: Some(corev1::ContainerStateTerminated {
                        exit_code: *code,
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect();
        let conditions = conditions
            .iter()
            .map(|(t, s)| corev1::PodCondition {
                type_: (*t).into(),
                status: (*s).into(),
                ..Default::default()
            })
            .collect();
        corev1::Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some("x".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            status: Some(corev1::PodStatus {
                phase: Some("Failed".into()),
                container_statuses: Some(statuses),
                conditions: Some(conditions),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn policy(rules: serde_json::Value) -> batchv1::PodFailurePolicy {
        serde_json::from_value(serde_json::json!({ "rules": rules })).expect("policy")
    }

    // Mirrors cases of TestMatchPodFailurePolicy (pod_failure_policy_test.go, v1.34).
    #[test]
    fn rules_match_in_order() {
        let p = policy(serde_json::json!([
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
            {"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}},
            {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [1]}},
        ]));
        assert_eq!(
            match_pod_failure_policy(&p, &failed_pod(&[("main", 42)], &[])),
            Some(FailureAction::FailJob(
                "Container main for pod default/x failed with exit code 42 matching FailJob rule at index 1".into()
            ))
        );
        assert_eq!(
            match_pod_failure_policy(
                &p,
                &failed_pod(&[("main", 42)], &[("DisruptionTarget", "True")])
            ),
            Some(FailureAction::Ignore)
        );
        assert_eq!(
            match_pod_failure_policy(&p, &failed_pod(&[("side", 42)], &[])),
            Some(FailureAction::Count)
        );
        assert_eq!(
            match_pod_failure_policy(&p, &failed_pod(&[("side", 1)], &[])),
            None
        );
        let on_condition = policy(serde_json::json!([
            {"action": "FailJob", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
        ]));
        assert_eq!(
            match_pod_failure_policy(
                &on_condition,
                &failed_pod(
                    &[("main", 137)],
                    &[("Ready", "False"), ("DisruptionTarget", "True")]
                )
            ),
            Some(FailureAction::FailJob(
                "Pod default/x has condition DisruptionTarget matching FailJob rule at index 0"
                    .into()
            ))
        );
    }

    // Mirrors cases of TestMatchSuccessPolicy (success_policy_test.go, v1.34).
    #[test]
    fn success_rules() {
        let p: batchv1::SuccessPolicy = serde_json::from_value(serde_json::json!({"rules": [
            {"succeededIndexes": "0,2-3", "succeededCount": 2},
            {"succeededCount": 4},
        ]}))
        .expect("policy");
        assert_eq!(match_success_policy(&p, 6, &[]), None);
        assert_eq!(match_success_policy(&p, 6, &[1, 2]), None);
        assert_eq!(
            match_success_policy(&p, 6, &[0, 3]).as_deref(),
            Some("Matched rules at index 0")
        );
        assert_eq!(
            match_success_policy(&p, 6, &[1, 2, 4, 5]).as_deref(),
            Some("Matched rules at index 1")
        );
        let all: batchv1::SuccessPolicy =
            serde_json::from_value(serde_json::json!({"rules": [{"succeededIndexes": "1-2"}]}))
                .expect("policy");
        assert_eq!(match_success_policy(&all, 3, &[1]), None);
        assert_eq!(
            match_success_policy(&all, 3, &[1, 2]).as_deref(),
            Some("Matched rules at index 0")
        );
    }
}
