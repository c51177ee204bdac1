//! `backoffLimitPerIndex` for Indexed Jobs: an index's failures travel from each failed pod
//! to its replacement in the `batch.kubernetes.io/job-index-failure-count` annotation, so they
//! survive the failed pods' deletion.
//!
//! Mirrors pkg/controller/job/indexed_job_utils.go (v1.34) `calculateFailedIndexes`,
//! `isIndexFailed`, `getPodsWithDelayedDeletionPerIndex`, `addIndexFailureCountAnnotation`,
//! `getNewIndexFailureCounts`, the annotation parsers, and backoff_utils.go
//! `getRemainingTimePerIndex` (job_controller.go `getPodCreationInfoForIndependentIndexes`).
//! The last failed pod of an index that is neither running, succeeded nor given up keeps its
//! tracking finalizer until its replacement exists: the replacement's counts are read from it.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::core::v1 as corev1;

use super::jobpolicy::{self, FailureAction};
use super::jobtracking::{self, has_tracking_finalizer, is_pod_failed};
use crate::time::{SimDuration, SimTime};

/// Failures of the pod's index before this pod that counted towards the limit.
pub const INDEX_FAILURE_COUNT: &str = "batch.kubernetes.io/job-index-failure-count";
/// Failures of the pod's index before this pod that a podFailurePolicy `Ignore` rule matched.
pub const INDEX_IGNORED_FAILURE_COUNT: &str = "batch.kubernetes.io/job-index-ignored-failure-count";

/// An annotation's count; 0 when absent, unparsable, negative or beyond int32 (`parseInt32`).
fn annotation_count(p: &corev1::Pod, key: &str) -> i32 {
    p.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|v| (0..=i64::from(i32::MAX)).contains(v))
        .map_or(0, |v| v as i32)
}

/// `getIndexFailureCount`.
pub fn failure_count(p: &corev1::Pod) -> i32 {
    annotation_count(p, INDEX_FAILURE_COUNT)
}

/// `getIndexAbsoluteFailureCount`: counted and ignored failures.
fn absolute_failure_count(p: &corev1::Pod) -> i32 {
    failure_count(p).saturating_add(annotation_count(p, INDEX_IGNORED_FAILURE_COUNT))
}

fn policy_action(spec: &batchv1::JobSpec, p: &corev1::Pod) -> Option<FailureAction> {
    spec.pod_failure_policy
        .as_ref()
        .and_then(|policy| jobpolicy::match_pod_failure_policy(policy, p))
}

/// `isIndexFailed`: the pod failed and either a FailIndex rule matched it or, counted, it was
/// the index's attempt number `backoffLimitPerIndex + 1`.
pub fn is_index_failed(spec: &batchv1::JobSpec, p: &corev1::Pod) -> bool {
    if !is_pod_failed(p, spec) {
        return false;
    }
    let counted = match policy_action(spec, p) {
        Some(FailureAction::FailIndex) => return true,
        Some(action) => action.counts(),
        None => true,
    };
    counted && failure_count(p) >= spec.backoff_limit_per_index.unwrap_or(0)
}

/// `calculateFailedIndexes`: the indexes in `status.failedIndexes` plus those of not yet
/// counted (finalizer-holding) pods that fail their index. `index_of` gives a pod's valid index.
pub fn failed_indexes(
    spec: &batchv1::JobSpec,
    previous: Vec<i32>,
    pods: &[&corev1::Pod],
    index_of: impl Fn(&corev1::Pod) -> Option<i32>,
) -> Vec<i32> {
    let mut all = previous;
    all.extend(
        pods.iter()
            .filter(|p| has_tracking_finalizer(p) && is_index_failed(spec, p))
            .filter_map(|p| index_of(p)),
    );
    all.sort_unstable();
    all.dedup();
    all
}

/// `getPodsWithDelayedDeletionPerIndex`: per index that is neither succeeded, given up nor
/// running, its failed pod with the most failures (the latest to finish among equals).
pub fn pods_with_delayed_deletion<'a>(
    spec: &batchv1::JobSpec,
    pods: &[&'a corev1::Pod],
    index_of: impl Fn(&corev1::Pod) -> Option<i32>,
    settled: impl Fn(i32) -> bool,
) -> BTreeMap<i32, &'a corev1::Pod> {
    let mut delayed: BTreeMap<i32, &corev1::Pod> = BTreeMap::new();
    for p in pods.iter().copied().filter(|p| is_pod_failed(p, spec)) {
        let Some(i) = index_of(p).filter(|i| !settled(*i)) else {
            continue;
        };
        match delayed.get(&i) {
            Some(last)
                if !(absolute_failure_count(last) <= absolute_failure_count(p)
                    && jobtracking::finished_time(p) >= jobtracking::finished_time(last)) => {}
            _ => {
                delayed.insert(i, p);
            }
        }
    }
    delayed
}

/// `getNewIndexFailureCounts`: the (counted, ignored) failures a replacement of
/// `being_replaced` carries.
pub fn new_index_failure_counts(
    spec: &batchv1::JobSpec,
    being_replaced: Option<&corev1::Pod>,
) -> (i32, i32) {
    let Some(p) = being_replaced else {
        return (0, 0);
    };
    let mut counted = failure_count(p);
    let mut ignored = annotation_count(p, INDEX_IGNORED_FAILURE_COUNT);
    if spec.pod_failure_policy.is_some() && !policy_action(spec, p).is_none_or(|a| a.counts()) {
        ignored = ignored.saturating_add(1);
    } else {
        counted = counted.saturating_add(1);
    }
    (counted, ignored)
}

/// `addIndexFailureCountAnnotation`: the counted failures always, the ignored ones when any.
pub fn annotate(
    pod: &mut corev1::Pod,
    spec: &batchv1::JobSpec,
    being_replaced: Option<&corev1::Pod>,
) {
    let (counted, ignored) = new_index_failure_counts(spec, being_replaced);
    let annotations = pod.metadata.annotations.get_or_insert_with(Default::default);
    annotations.insert(INDEX_FAILURE_COUNT.into(), counted.to_string());
    if ignored > 0 {
        annotations.insert(INDEX_IGNORED_FAILURE_COUNT.into(), ignored.to_string());
    }
}

/// `getRemainingTimePerIndex`: the back-off of the index's last failed pod, from its
/// absolute failure count plus one and when it finished. None when no wait is left.
pub fn remaining_time(last_failed: Option<&corev1::Pod>, now: SimTime) -> Option<SimDuration> {
    let p = last_failed?;
    let failures = absolute_failure_count(p).saturating_add(1) as u32;
    jobtracking::remaining_for_failures(failures, jobtracking::finished_time(p), now)
}

/// `getPodCreationInfoForIndependentIndexes`: the pending indexes whose back-off is over or,
/// when none is, the shortest wait.
pub fn indexes_past_back_off(
    pending: Vec<i32>,
    delayed: &BTreeMap<i32, &corev1::Pod>,
    now: SimTime,
) -> (Vec<i32>, Option<SimDuration>) {
    let mut wait: Option<SimDuration> = None;
    let mut ready = Vec::new();
    for i in pending {
        match remaining_time(delayed.get(&i).copied(), now) {
            Some(w) => wait = Some(wait.map_or(w, |have| have.min(w))),
            None => ready.push(i),
        }
    }
    if ready.is_empty() {
        (ready, wait)
    } else {
        (ready, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

    fn failed_pod(counted: Option<&str>, ignored: Option<&str>) -> corev1::Pod {
        let mut annotations = std::collections::BTreeMap::new();
        if let Some(c) = counted {
            annotations.insert(INDEX_FAILURE_COUNT.to_string(), c.to_string());
        }
        if let Some(i) = ignored {
            annotations.insert(INDEX_IGNORED_FAILURE_COUNT.to_string(), i.to_string());
        }
        corev1::Pod {
            metadata: metav1::ObjectMeta {
                annotations: Some(annotations),
                ..Default::default()
            },
            status: Some(corev1::PodStatus {
                phase: Some("Failed".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn spec(limit: i32) -> batchv1::JobSpec {
        batchv1::JobSpec {
            backoff_limit_per_index: Some(limit),
            ..Default::default()
        }
    }

    #[test]
    fn an_index_fails_on_attempt_limit_plus_one() {
        // indexed_job_utils_test.go TestIsIndexFailed: the annotation counts earlier failures.
        assert!(!is_index_failed(&spec(1), &failed_pod(Some("0"), None)));
        assert!(is_index_failed(&spec(1), &failed_pod(Some("1"), None)));
        assert!(is_index_failed(&spec(0), &failed_pod(None, None)));
        // A corrupt or negative annotation counts as 0.
        assert!(!is_index_failed(&spec(1), &failed_pod(Some("x"), None)));
        assert!(!is_index_failed(&spec(1), &failed_pod(Some("-3"), None)));
    }

    #[test]
    fn the_replacement_carries_one_more_failure() {
        assert_eq!(new_index_failure_counts(&spec(3), None), (0, 0));
        let p = failed_pod(Some("1"), Some("2"));
        assert_eq!(new_index_failure_counts(&spec(3), Some(&p)), (2, 2));
        let mut pod = corev1::Pod::default();
        annotate(&mut pod, &spec(3), Some(&failed_pod(Some("0"), None)));
        let a = pod.metadata.annotations.unwrap_or_default();
        assert_eq!(a.get(INDEX_FAILURE_COUNT).map(String::as_str), Some("1"));
        assert_eq!(a.get(INDEX_IGNORED_FAILURE_COUNT), None);
    }
}
