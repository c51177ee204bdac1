//! How the Job controller keeps count of its pods: the `batch.kubernetes.io/job-tracking`
//! finalizer every pod it creates carries, when a pod counts as failed, the finalizer's
//! removal, orphans letting go of it, and the pod-failure back-off record.
//!
//! Mirrors pkg/controller/job/job_controller.go (v1.34) `isPodFailed`,
//! `onlyReplaceFailedPods`, `removeTrackingFinalizerPatch`, `syncOrphanPod`, and
//! backoff_utils.go (`backoffRecord`, `newBackoffRecord`, `getFinishedTime`,
//! `getRemainingTimeForFailuresCount`). A finished pod is first listed in
//! `status.uncountedTerminatedPods`, then loses the finalizer, then moves into
//! `status.succeeded` / `status.failed`, so a pod deleted before it was counted is still
//! counted (job.rs does the sync).

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::core::v1 as corev1;

use super::kind_of;
use super::plan::Write;
use super::podutil;
use super::runner::ObjectKey;
use crate::time::{SimDuration, SimTime};

/// `batch.kubernetes.io/job-tracking` (batch.JobTrackingFinalizer).
pub const JOB_TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";

/// backoff_utils.go DefaultJobPodFailureBackOff.
pub const DEFAULT_JOB_POD_FAILURE_BACKOFF: SimDuration = SimDuration::from_secs(10);
/// backoff_utils.go MaxJobPodFailureBackOff.
pub const MAX_JOB_POD_FAILURE_BACKOFF: SimDuration = SimDuration::from_secs(600);

/// Whether the pod still holds the tracking finalizer (not yet counted in the Job status).
pub fn has_tracking_finalizer(p: &corev1::Pod) -> bool {
    p.metadata
        .finalizers
        .iter()
        .flatten()
        .any(|f| f == JOB_TRACKING_FINALIZER)
}

/// `onlyReplaceFailedPods`: with `podReplacementPolicy: Failed`, or any podFailurePolicy, a
/// terminating pod is neither replaced nor counted until it reaches the Failed phase.
pub fn only_replace_failed_pods(spec: &batchv1::JobSpec) -> bool {
    spec.pod_replacement_policy.as_deref() == Some("Failed") || spec.pod_failure_policy.is_some()
}

/// `isPodFailed`: a Failed pod, or (unless only failed pods are replaced) a pod being
/// deleted before it succeeded, so a deleted running pod counts as a failure.
pub fn is_pod_failed(p: &corev1::Pod, spec: &batchv1::JobSpec) -> bool {
    let phase = podutil::phase(p);
    if phase == "Failed" {
        return true;
    }
    if only_replace_failed_pods(spec) {
        return false;
    }
    p.metadata.deletion_timestamp.is_some() && phase != "Succeeded"
}

/// `removeTrackingFinalizerPatch`: a strategic merge patch taking the finalizer off the pod.
pub fn release(p: &corev1::Pod) -> Write {
    Write::Patch {
        kind: kind_of::<corev1::Pod>(),
        namespace: p.metadata.namespace.clone(),
        name: p.metadata.name.clone().unwrap_or_default(),
        patch: serde_json::json!({
            "metadata": {"$deleteFromPrimitiveList/finalizers": [JOB_TRACKING_FINALIZER]}
        }),
    }
}

/// `syncOrphanPod` for the pods of `key`'s namespace: a pod holding the finalizer lets go of
/// it when its controlling Job (named by `key`) is gone or replaced by a new one of the same
/// name, or when it has no controller at all (`--cascade=orphan`) and `key`'s live Job does
/// not adopt it in this sync. Another Job whose selector matches adopts it later and puts the
/// finalizer back, as upstream's orphan queue and adoption race to the same end.
pub fn orphan_releases(
    key: &ObjectKey,
    job: Option<&batchv1::Job>,
    pods: &[std::sync::Arc<Object>],
) -> Vec<Write> {
    let live_uid = job.and_then(|j| j.metadata.uid.as_deref());
    pods.iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) if has_tracking_finalizer(p) => Some(p),
            _ => None,
        })
        .filter(|p| {
            let controller = p
                .metadata
                .owner_references
                .iter()
                .flatten()
                .find(|r| r.controller == Some(true));
            match controller {
                Some(r) => {
                    r.kind == "Job"
                        && r.api_version == "batch/v1"
                        && r.name == key.name
                        && live_uid != Some(r.uid.as_str())
                }
                None => !job.is_some_and(|j| super::job::adopts_orphan(j, p)),
            }
        })
        .map(release)
        .collect()
}

/// The Job name an orphan pod carries in its labels (`batch.kubernetes.io/job-name`).
pub fn job_name_label(p: &corev1::Pod) -> Option<&str> {
    p.metadata
        .labels
        .as_ref()?
        .get(super::job::JOB_NAME_LABEL)
        .map(String::as_str)
}

/// A Job's pod-failure back-off (`backoffRecord`): failures since the last success and
/// when the last of them happened (Unix milliseconds). Kept by the controller in memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackoffRecord {
    pub failures_after_last_success: u32,
    pub last_failure: Option<i64>,
}

impl BackoffRecord {
    /// `newBackoffRecord`: the record after this sync's newly finished pods.
    pub fn after(&self, new_succeeded: &[&corev1::Pod], new_failed: &[&corev1::Pod]) -> Self {
        let mut failed: Vec<i64> = new_failed.iter().map(|p| finished_time(p)).collect();
        failed.sort_unstable();
        let last_success = new_succeeded.iter().map(|p| finished_time(p)).max();
        match last_success {
            None => match failed.last() {
                None => *self,
                Some(last) => BackoffRecord {
                    failures_after_last_success: self.failures_after_last_success
                        + failed.len() as u32,
                    last_failure: Some(*last),
                },
            },
            Some(success) => {
                let after: Vec<i64> = failed.into_iter().filter(|t| *t > success).collect();
                BackoffRecord {
                    failures_after_last_success: after.len() as u32,
                    last_failure: after.last().copied(),
                }
            }
        }
    }

    /// `getRemainingTime`: how long new pods still wait (`10 s × 2^(n−1)`, at most 10 min,
    /// from the last failure). None when no wait is left.
    pub fn remaining(&self, now: SimTime) -> Option<SimDuration> {
        remaining_for_failures(self.failures_after_last_success, self.last_failure?, now)
    }
}

/// `getRemainingTimeForFailuresCount`.
pub fn remaining_for_failures(failures: u32, last: i64, now: SimTime) -> Option<SimDuration> {
    if failures == 0 {
        return None;
    }
    let delay = DEFAULT_JOB_POD_FAILURE_BACKOFF
        .as_millis()
        .saturating_mul(1u64 << (failures - 1).min(20))
        .min(MAX_JOB_POD_FAILURE_BACKOFF.as_millis());
    let left = last + delay as i64 - now.unix_millis();
    (left > 0).then(|| SimDuration::from_millis(left as u64))
}

/// `getFinishedTime` (Unix milliseconds): the latest `finishedAt` when every container has
/// terminated, else when Ready turned False, else the moment of deletion
/// (`deletionTimestamp − grace`), else the creation time.
pub fn finished_time(p: &corev1::Pod) -> i64 {
    let status = p.status.as_ref();
    let containers: Vec<&corev1::ContainerStatus> = status
        .iter()
        .flat_map(|s| s.container_statuses.iter().flatten())
        .collect();
    let finished: Option<Vec<i64>> = containers
        .iter()
        .map(|c| {
            c.state
                .as_ref()?
                .terminated
                .as_ref()?
                .finished_at
                .as_ref()
                .map(|t| t.0.as_millisecond())
        })
        .collect();
    if let Some(latest) = finished.and_then(|f| f.into_iter().max()) {
        return latest;
    }
    let ready_false = status
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.type_ == "Ready" && c.status == "False")
        })
        .and_then(|c| c.last_transition_time.as_ref());
    if let Some(t) = ready_false {
        return t.0.as_millisecond();
    }
    if let Some(t) = &p.metadata.deletion_timestamp {
        let grace = p.metadata.deletion_grace_period_seconds.unwrap_or(0);
        return t.0.as_millisecond() - grace * 1000;
    }
    p.metadata
        .creation_timestamp
        .as_ref()
        .map_or(0, |t| t.0.as_millisecond())
}

/// The controller's back-off records, keyed by the Job's `namespace/name` (`backoffStore`).
#[derive(Debug, Default)]
pub struct BackoffStore {
    records: std::cell::RefCell<BTreeMap<String, BackoffRecord>>,
}

impl BackoffStore {
    /// The record of the Job `key` (`namespace/name`; empty when none).
    pub fn get(&self, key: &str) -> BackoffRecord {
        self.records.borrow().get(key).copied().unwrap_or_default()
    }

    /// Keeps `record` for the Job `key`; an empty record is forgotten (`removeBackoffRecord`).
    pub fn set(&self, key: &str, record: BackoffRecord) {
        let mut records = self.records.borrow_mut();
        if record == BackoffRecord::default() {
            records.remove(key);
        } else {
            records.insert(key.to_string(), record);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::{DeleteOptions, PropagationPolicy};
    use crate::controller::testutil::{apply, cluster, events};
    use crate::sim::Cluster;
    use k8s_openapi::api::batch::v1 as batchv1;

    fn job_yaml(spec: &str, pod_spec: &str, script: &str) -> String {
        format!(
            r#"
apiVersion: batch/v1
kind: Job
metadata: {{name: work, namespace: default}}
spec:
{spec}
  template:
    spec:
      restartPolicy: Never
{pod_spec}
      containers: [{{name: c, image: busybox, command: [sh, -c, "{script}"]}}]
"#
        )
    }

    fn job(c: &Cluster) -> Option<batchv1::Job> {
        let o = c
            .store()
            .get(kind_of::<batchv1::Job>(), Some("default"), "work")
            .ok()?;
        match &*o {
            Object::Job(j) => Some(j.clone()),
            _ => None,
        }
    }

    fn status(c: &Cluster) -> batchv1::JobStatus {
        job(c).and_then(|j| j.status).unwrap_or_default()
    }

    fn pods(c: &Cluster) -> Vec<corev1::Pod> {
        c.list(kind_of::<corev1::Pod>(), Some("default"))
            .iter()
            .filter_map(|o| match &**o {
                Object::Pod(p) => Some(p.clone()),
                _ => None,
            })
            .collect()
    }

    fn running(c: &Cluster) -> Vec<corev1::Pod> {
        pods(c)
            .into_iter()
            .filter(|p| podutil::phase(p) == "Running" && p.metadata.deletion_timestamp.is_none())
            .collect()
    }

    fn finished_as(c: &Cluster) -> Option<String> {
        job(c)
            .as_ref()
            .and_then(super::super::job::finished_condition)
            .map(|c| c.type_.clone())
    }

    fn delete_pod(c: &mut Cluster, name: &str) {
        // The API server stamps the deletion with the current instant.
        c.settle();
        c.store_mut()
            .delete(
                kind_of::<corev1::Pod>(),
                Some("default"),
                name,
                &DeleteOptions::default(),
            )
            .expect("delete");
        // The controllers see the change a moment later.
        c.advance(SimDuration::from_millis(500));
    }

    // job_controller_test.go TestTrackJobStatusAndRemoveFinalizers: a finished pod is counted
    // once its finalizer is gone; the pods the controller creates carry it until then.
    #[test]
    fn pods_carry_the_finalizer_until_counted() {
        let mut c = cluster(21);
        apply(
            &mut c,
            &job_yaml("  completions: 2\n  parallelism: 2", "", "sleep 5"),
        );
        c.advance(SimDuration::from_secs(2));
        let live = pods(&c);
        assert_eq!(live.len(), 2);
        assert!(live.iter().all(has_tracking_finalizer), "{live:?}");
        c.run_until(|c| finished_as(c).is_some(), SimDuration::from_secs(120))
            .expect("completes");
        let st = status(&c);
        assert_eq!(finished_as(&c).as_deref(), Some("Complete"));
        assert_eq!((st.succeeded, st.failed), (Some(2), None));
        assert_eq!(
            st.uncounted_terminated_pods,
            Some(batchv1::UncountedTerminatedPods::default())
        );
        assert!(pods(&c).iter().all(|p| !has_tracking_finalizer(p)));
    }

    // A succeeded pod deleted before the Job finished stays counted: no extra pod runs.
    #[test]
    fn a_deleted_succeeded_pod_stays_counted() {
        let mut c = cluster(22);
        apply(
            &mut c,
            &job_yaml("  completions: 2\n  parallelism: 1", "", "sleep 5"),
        );
        c.run_until(
            |c| status(c).succeeded == Some(1),
            SimDuration::from_secs(120),
        )
        .expect("first success");
        let done: Vec<String> = pods(&c)
            .iter()
            .filter(|p| podutil::phase(p) == "Succeeded")
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        assert_eq!(done.len(), 1);
        delete_pod(&mut c, &done[0]);
        assert_eq!(status(&c).succeeded, Some(1));
        c.run_until(|c| finished_as(c).is_some(), SimDuration::from_secs(120))
            .expect("completes");
        assert_eq!(status(&c).succeeded, Some(2));
        let creates = events(&c, "Job", "work")
            .iter()
            .filter(|(r, _)| r == "SuccessfulCreate")
            .count();
        assert_eq!(creates, 2);
    }

    // isPodFailed: with podReplacementPolicy TerminatingOrFailed (the default) a running pod
    // that is deleted counts as failed at once, `status.terminating` shows it while its
    // kubelet stops it, and its replacement comes after the first back-off (10 s from the
    // moment of deletion, backoff_utils.go getFinishedTime).
    #[test]
    fn a_deleted_running_pod_counts_as_failed_and_is_replaced_after_back_off() {
        let mut c = cluster(23);
        apply(
            &mut c,
            &job_yaml("  completions: 3\n  parallelism: 3", "", "sleep 40"),
        );
        // A pod never ready would count as failed when Ready last turned False.
        c.run_until(
            |c| {
                running(c)
                    .iter()
                    .filter(|p| podutil::is_pod_ready(p))
                    .count()
                    == 3
            },
            SimDuration::from_secs(120),
        )
        .expect("ready");
        c.advance(SimDuration::from_secs(5));
        let victim = running(&c)[0].metadata.name.clone().unwrap_or_default();
        delete_pod(&mut c, &victim);
        let st = status(&c);
        assert_eq!(
            (st.failed, st.active, st.terminating),
            (Some(1), Some(2), Some(1))
        );
        let gone = pods(&c)
            .into_iter()
            .find(|p| p.metadata.name.as_deref() == Some(victim.as_str()))
            .expect("still terminating");
        assert!(gone.metadata.deletion_timestamp.is_some() && !has_tracking_finalizer(&gone));
        c.advance(SimDuration::from_secs(8));
        assert_eq!(pods(&c).len(), 3, "no replacement during the back-off");
        c.advance(SimDuration::from_secs(2));
        assert_eq!(status(&c).active, Some(3), "replaced after 10 s");
        c.run_until(|c| finished_as(c).is_some(), SimDuration::from_secs(300))
            .expect("completes");
        let st = status(&c);
        assert_eq!((st.succeeded, st.failed), (Some(3), Some(1)));
        assert_eq!(finished_as(&c).as_deref(), Some("Complete"));
    }

    // onlyReplaceFailedPods: with podReplacementPolicy Failed the deleted pod is neither
    // counted nor replaced until its kubelet leaves it Failed; the finalizer keeps it
    // visible until then.
    #[test]
    fn replacement_policy_failed_waits_for_the_terminal_phase() {
        let mut c = cluster(24);
        apply(
            &mut c,
            &job_yaml(
                "  completions: 1\n  podReplacementPolicy: Failed",
                "      terminationGracePeriodSeconds: 20",
                "sleep 600",
            ),
        );
        c.run_until(|c| running(c).len() == 1, SimDuration::from_secs(120))
            .expect("running");
        let victim = running(&c)[0].metadata.name.clone().unwrap_or_default();
        delete_pod(&mut c, &victim);
        let st = status(&c);
        assert_eq!(
            (st.failed, st.active, st.terminating),
            (None, None, Some(1))
        );
        assert_eq!(pods(&c).len(), 1);
        assert!(pods(&c).iter().all(has_tracking_finalizer));
        c.run_until(|c| status(c).failed == Some(1), SimDuration::from_secs(60))
            .expect("counted once failed");
        assert_eq!(status(&c).terminating, Some(0));
        assert!(
            pods(&c)
                .iter()
                .all(|p| p.metadata.name.as_deref() != Some(victim.as_str()))
        );
        c.run_until(|c| status(c).active == Some(1), SimDuration::from_secs(60))
            .expect("replaced");
    }

    // syncOrphanPod: deleting the Job lets its pods go, whatever the propagation.
    #[test]
    fn pods_of_a_deleted_job_let_go_of_the_finalizer() {
        for (seed, policy) in [
            (25, PropagationPolicy::Background),
            (26, PropagationPolicy::Foreground),
            (27, PropagationPolicy::Orphan),
        ] {
            let mut c = cluster(seed);
            apply(&mut c, &job_yaml("  parallelism: 2", "", "sleep 600"));
            c.run_until(|c| running(c).len() == 2, SimDuration::from_secs(120))
                .expect("running");
            c.store_mut()
                .delete(
                    kind_of::<batchv1::Job>(),
                    Some("default"),
                    "work",
                    &DeleteOptions {
                        propagation_policy: Some(policy),
                        ..Default::default()
                    },
                )
                .expect("delete job");
            c.run_until(
                |c| job(c).is_none() && pods(c).iter().all(|p| !has_tracking_finalizer(p)),
                SimDuration::from_secs(120),
            )
            .unwrap_or_else(|e| panic!("{policy:?}: {e:?} {:?}", pods(&c)));
            if policy == PropagationPolicy::Orphan {
                assert_eq!(running(&c).len(), 2, "orphans keep running");
            } else {
                c.run_until(|c| pods(c).is_empty(), SimDuration::from_secs(120))
                    .unwrap_or_else(|e| panic!("{policy:?}: {e:?}"));
            }
        }
    }

    // A failing Job counts the pods it stops as failed (trackJobStatusAndRemoveFinalizers)
    // and turns Failed only once they are gone (enactJobFinished).
    #[test]
    fn a_failing_job_counts_the_pods_it_stops() {
        let mut c = cluster(28);
        apply(
            &mut c,
            &job_yaml(
                "  parallelism: 2\n  activeDeadlineSeconds: 10",
                "",
                "sleep 600",
            ),
        );
        c.run_until(|c| finished_as(c).is_some(), SimDuration::from_secs(120))
            .expect("fails");
        let st = status(&c);
        assert_eq!(finished_as(&c).as_deref(), Some("Failed"));
        assert_eq!(
            (st.failed, st.active, st.terminating),
            (Some(2), None, Some(0))
        );
        assert!(pods(&c).is_empty());
    }

    #[test]
    fn back_off_record_follows_failures_since_the_last_success() {
        let pod = |finished_s: i64, phase: &str| -> corev1::Pod {
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": "p"},
                "status": {"phase": phase, "containerStatuses": [{
                    "name": "c", "image": "i", "imageID": "", "ready": false, "restartCount": 0,
                    "state": {"terminated": {"exitCode": 1,
                        "finishedAt": format!("2026-01-01T00:00:{finished_s:02}Z")}}
                }]}
            }))
            .expect("pod")
        };
        let (f1, f2, s3, f4) = (
            pod(1, "Failed"),
            pod(2, "Failed"),
            pod(3, "Succeeded"),
            pod(4, "Failed"),
        );
        let at = |s: i64| Some(crate::time::EPOCH_UNIX_MS + s * 1000);
        let r = BackoffRecord::default().after(&[], &[&f2, &f1]);
        assert_eq!(
            r,
            BackoffRecord {
                failures_after_last_success: 2,
                last_failure: at(2)
            }
        );
        let r = r.after(&[&s3], &[&f4]);
        assert_eq!(
            r,
            BackoffRecord {
                failures_after_last_success: 1,
                last_failure: at(4)
            }
        );
        assert_eq!(r.after(&[&s3], &[]), BackoffRecord::default());
        let now = SimTime(8000);
        assert_eq!(r.remaining(now), Some(SimDuration::from_secs(6)));
        let twice = BackoffRecord {
            failures_after_last_success: 2,
            last_failure: at(4),
        };
        assert_eq!(twice.remaining(now), Some(SimDuration::from_secs(16)));
    }
}
