//! Defaults of the apps/v1, batch/v1 and autoscaling groups.
//!
//! Mirrors pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go and
//! pkg/apis/autoscaling/{v1,v2}/defaults.go (Kubernetes v1.34).

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::autoscaling::v1 as autoscalingv1;
use k8s_openapi::api::autoscaling::v2 as autoscalingv2;
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::core::{pod_template, set};

/// Mirrors `SetDefaults_Deployment`: replicas 1, RollingUpdate with 25%/25%,
/// revisionHistoryLimit 10, progressDeadlineSeconds 600.
pub fn deployment(d: &mut appsv1::Deployment) {
    let Some(spec) = d.spec.as_mut() else {
        return;
    };
    spec.replicas.get_or_insert(1);
    let strategy = spec.strategy.get_or_insert_with(Default::default);
    set(&mut strategy.type_, "RollingUpdate");
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
        rolling
            .max_unavailable
            .get_or_insert_with(|| IntOrString::String("25%".into()));
        rolling
            .max_surge
            .get_or_insert_with(|| IntOrString::String("25%".into()));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    pod_template(&mut spec.template);
}

/// Mirrors `SetDefaults_ReplicaSet`: replicas 1.
pub fn replica_set(rs: &mut appsv1::ReplicaSet) {
    let Some(spec) = rs.spec.as_mut() else {
        return;
    };
    spec.replicas.get_or_insert(1);
    if let Some(t) = spec.template.as_mut() {
        pod_template(t);
    }
}

/// Mirrors `SetDefaults_DaemonSet`: RollingUpdate with maxUnavailable 1 and maxSurge 0,
/// revisionHistoryLimit 10.
pub fn daemon_set(ds: &mut appsv1::DaemonSet) {
    let Some(spec) = ds.spec.as_mut() else {
        return;
    };
    let strategy = spec.update_strategy.get_or_insert_with(Default::default);
    set(&mut strategy.type_, "RollingUpdate");
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
        rolling.max_unavailable.get_or_insert(IntOrString::Int(1));
        rolling.max_surge.get_or_insert(IntOrString::Int(0));
    }
    spec.revision_history_limit.get_or_insert(10);
    pod_template(&mut spec.template);
}

/// Mirrors `SetDefaults_StatefulSet`: OrderedReady, RollingUpdate with partition 0, replicas 1,
/// revisionHistoryLimit 10, PVC retention Retain/Retain.
pub fn stateful_set(sts: &mut appsv1::StatefulSet) {
    let Some(spec) = sts.spec.as_mut() else {
        return;
    };
    set(&mut spec.pod_management_policy, "OrderedReady");
    let strategy = spec.update_strategy.get_or_insert_with(Default::default);
    set(&mut strategy.type_, "RollingUpdate");
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
        rolling.partition.get_or_insert(0);
    }
    let retention = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(Default::default);
    set(&mut retention.when_deleted, "Retain");
    set(&mut retention.when_scaled, "Retain");
    spec.replicas.get_or_insert(1);
    spec.revision_history_limit.get_or_insert(10);
    for claim in spec.volume_claim_templates.iter_mut().flatten() {
        let claim_spec = claim.spec.get_or_insert_with(Default::default);
        set(&mut claim_spec.volume_mode, "Filesystem");
    }
    pod_template(&mut spec.template);
}

/// Mirrors `SetDefaults_Job`: completions and parallelism 1 when both are unset (parallelism
/// 1 when only it is), backoffLimit 6 (MaxInt32 with backoffLimitPerIndex), completionMode
/// NonIndexed, suspend false, podReplacementPolicy TerminatingOrFailed (Failed with a
/// podFailurePolicy, whose pod-condition patterns get status `True`), manualSelector false.
///
/// The `controller-uid`/`job-name` selector and labels need the object's UID; the cluster's
/// Job create strategy adds them.
pub fn job(job: &mut batchv1::Job) {
    if let Some(spec) = job.spec.as_mut() {
        job_spec(spec);
    }
}

/// The Job spec part of `job`, shared with CronJob templates.
pub fn job_spec(spec: &mut batchv1::JobSpec) {
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
    }
    spec.parallelism.get_or_insert(1);
    if spec.backoff_limit.is_none() {
        spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() {
            i32::MAX
        } else {
            6
        });
    }
    set(&mut spec.completion_mode, "NonIndexed");
    spec.suspend.get_or_insert(false);
    if let Some(policy) = spec.pod_failure_policy.as_mut() {
        // A pod-condition pattern without a status matches `True`.
        let patterns = policy
            .rules
            .iter_mut()
            .flat_map(|r| r.on_pod_conditions.iter_mut().flatten());
        for pattern in patterns {
            if pattern.status.is_empty() {
                pattern.status = "True".into();
            }
        }
        set(&mut spec.pod_replacement_policy, "Failed");
    } else {
        set(&mut spec.pod_replacement_policy, "TerminatingOrFailed");
    }
    spec.manual_selector.get_or_insert(false);
    pod_template(&mut spec.template);
}

/// Mirrors `SetDefaults_CronJob`: concurrencyPolicy Allow, suspend false, history limits 3/1.
pub fn cron_job(cj: &mut batchv1::CronJob) {
    let Some(spec) = cj.spec.as_mut() else {
        return;
    };
    set(&mut spec.concurrency_policy, "Allow");
    spec.suspend.get_or_insert(false);
    spec.successful_jobs_history_limit.get_or_insert(3);
    spec.failed_jobs_history_limit.get_or_insert(1);
    if let Some(job) = spec.job_template.spec.as_mut() {
        job_template_spec(job);
    }
}

/// A CronJob's job template gets the pod template defaults but not the Job's own defaults:
/// upstream defaults `JobTemplateSpec` only through the nested PodTemplateSpec.
fn job_template_spec(spec: &mut batchv1::JobSpec) {
    pod_template(&mut spec.template);
}

/// Mirrors autoscaling/v2 `SetDefaults_HorizontalPodAutoscaler`: minReplicas 1, a CPU
/// utilization target of 80% when no metric is given, and the scaling rules filled in when a
/// behavior is given.
pub fn hpa_v2(hpa: &mut autoscalingv2::HorizontalPodAutoscaler) {
    let Some(spec) = hpa.spec.as_mut() else {
        return;
    };
    spec.min_replicas.get_or_insert(1);
    if spec.metrics.as_ref().is_none_or(Vec::is_empty) {
        spec.metrics = Some(vec![autoscalingv2::MetricSpec {
            type_: "Resource".into(),
            resource: Some(autoscalingv2::ResourceMetricSource {
                name: "cpu".into(),
                target: autoscalingv2::MetricTarget {
                    type_: "Utilization".into(),
                    average_utilization: Some(80),
                    ..Default::default()
                },
            }),
            ..Default::default()
        }]);
    }
    if let Some(behavior) = spec.behavior.as_mut() {
        let up = behavior.scale_up.get_or_insert_with(Default::default);
        up.stabilization_window_seconds.get_or_insert(0);
        set(&mut up.select_policy, "Max");
        if up.policies.is_none() {
            up.policies = Some(vec![policy("Pods", 4, 15), policy("Percent", 100, 15)]);
        }
        let down = behavior.scale_down.get_or_insert_with(Default::default);
        set(&mut down.select_policy, "Max");
        if down.policies.is_none() {
            down.policies = Some(vec![policy("Percent", 100, 15)]);
        }
    }
}

fn policy(type_: &str, value: i32, period_seconds: i32) -> autoscalingv2::HPAScalingPolicy {
    autoscalingv2::HPAScalingPolicy {
        type_: type_.into(),
        value,
        period_seconds,
    }
}

/// Mirrors autoscaling/v1 `SetDefaults_HorizontalPodAutoscaler`: minReplicas 1.
pub fn hpa_v1(hpa: &mut autoscalingv1::HorizontalPodAutoscaler) {
    if let Some(spec) = hpa.spec.as_mut() {
        spec.min_replicas.get_or_insert(1);
    }
}
