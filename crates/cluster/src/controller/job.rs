//! The Job controller: runs pods to `completions` successes, `parallelism` at a time, and
//! gives up after `backoffLimit` failures or `activeDeadlineSeconds`.
//!
//! Mirrors pkg/controller/job/job_controller.go (v1.34) `syncJob`, `manageJob`,
//! `pastBackoffLimitOnFailure`, backoff_utils.go and indexed_job_utils.go, for both completion
//! modes (Indexed: a pod per index, `JOB_COMPLETION_INDEX`, `completedIndexes`). As in
//! v1.31+, a failing Job first gets the `FailureTarget` condition while its active pods are
//! deleted, and a succeeding one `SuccessCriteriaMet`; the terminal `Failed` / `Complete`
//! condition follows once no pod is left running.
//!
//! The API server generates the selector at creation (job strategy `generateSelector`, see
//! `apiserver::strategy::prepare_with_uid`): unless `manualSelector` is true, the template
//! carries `batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name`,
//! `controller-uid` and `job-name`, and the selector matches the controller uid. Pods are
//! created from the template as it stands, so they carry exactly those labels.
//!
//! Indexed Jobs honour `backoffLimitPerIndex` and `maxFailedIndexes` (`failedIndexes`; an
//! index's failures and back-off come from the `job-index-failure-count` annotation each
//! replacement carries, jobindex.rs).
//! `podFailurePolicy` (FailJob, FailIndex, Ignore, Count; jobpolicy.rs) decides how a failed
//! pod counts, and an Indexed Job's `successPolicy` can complete it early (`SuccessPolicy`).
//! Pods are counted through the `batch.kubernetes.io/job-tracking` finalizer
//! (jobtracking.rs): `status.succeeded` / `status.failed` only grow, so a pod deleted or
//! garbage-collected after it finished, or deleted while running, is still counted.
//! Pod-failure back-off follows the code (10 s doubling, capped at 10 min) rather than the
//! docs' "six minutes". The selector claims pods (refmanager.rs): orphans it matches are
//! adopted with the tracking finalizer.

use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::jobpolicy::{self, FailureAction};
use super::jobindex;
use super::jobtracking::{self, BackoffRecord, BackoffStore, has_tracking_finalizer, is_pod_failed};
use super::kind_of;
use super::plan::{CREATED_NAME, EventRecord, Plan, SyncError, Write};
use super::podutil;
use super::replicaset::controller_uid;
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::{Store, WatchEvent};
use crate::time::{SimDuration, SimTime};

/// `batch.kubernetes.io/controller-uid`.
pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
/// `batch.kubernetes.io/job-name`.
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
/// The legacy labels the apiserver still adds next to the prefixed ones.
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";
pub use super::jobtracking::{DEFAULT_JOB_POD_FAILURE_BACKOFF, MAX_JOB_POD_FAILURE_BACKOFF};

/// The runner's handle on the Job controller, with its in-memory pod-failure back-off
/// records.
#[derive(Debug, Default)]
pub struct JobController {
    backoff: BackoffStore,
}

/// What `sync_job` reads: the pods of the Job's namespace and the Job's back-off record.
#[derive(Debug, Clone, Default)]
pub struct JobView {
    pub pods: Vec<Arc<Object>>,
    pub backoff: BackoffRecord,
}

impl Reconciler for JobController {
    fn name(&self) -> &'static str {
        "job-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<batchv1::Job>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::Pod>()]
    }

    /// An orphan pod is offered to every Job whose selector matches it (`getPodJobs`, for
    /// adoption). One still holding the tracking finalizer is also queued for its release
    /// (`updatePod` → `enqueueOrphanPod`): under the Job its label names, or else under its
    /// own name, a key that names no Job and so only releases orphans.
    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        if let Some(key) = super::runner::controller_owner_key(&event.object, self.primary()) {
            return vec![key];
        }
        let mut keys = super::runner::adopters_of_orphan(
            &event.object,
            self.primary(),
            store,
            |o, labels| {
                matches!(o, Object::Job(j)
                    if job_selector(j).is_ok_and(|s| s.is_some_and(|s| s.matches(labels))))
            },
        );
        if let Object::Pod(p) = &*event.object
            && has_tracking_finalizer(p)
            && controller_uid(&p.metadata).is_none()
        {
            let name = jobtracking::job_name_label(p)
                .or(p.metadata.name.as_deref())
                .unwrap_or_default();
            let key = ObjectKey::new(p.metadata.namespace.as_deref(), name);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let pods = super::runner::namespace_pods(store, key.namespace.as_deref())?;
        let found = store.get(self.primary(), key.namespace.as_deref(), &key.name);
        let job = match found.as_deref() {
            Ok(Object::Job(job)) => Some(job),
            _ => None,
        };
        let record_key = key.to_string();
        let mut plan = match job {
            Some(job) => {
                let view = JobView {
                    pods: pods.clone(),
                    backoff: self.backoff.get(&record_key),
                };
                let (plan, record) = sync_job(job, &view, now)?;
                self.backoff.set(&record_key, record);
                plan
            }
            None => {
                self.backoff.set(&record_key, BackoffRecord::default());
                Plan::none()
            }
        };
        for write in jobtracking::orphan_releases(key, job, &pods) {
            plan.push(write);
        }
        Ok(plan)
    }
}

/// Whether the Job has a `Complete` or `Failed` condition that is `True` (IsJobFinished),
/// with its type.
pub fn finished_condition(job: &batchv1::Job) -> Option<&batchv1::JobCondition> {
    job.status
        .as_ref()?
        .conditions
        .iter()
        .flatten()
        .find(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")
}

/// Mirrors syncJob for a NonIndexed or Indexed Job: the plan, and the Job's back-off record
/// after it.
///
/// # Errors
/// Permanent for an invalid selector.
pub fn sync_job(
    job: &batchv1::Job,
    view: &JobView,
    now: SimTime,
) -> Result<(Plan, BackoffRecord), SyncError> {
    let mut plan = Plan::none();
    let uid = job.metadata.uid.clone().unwrap_or_default();
    let job_obj = Object::Job(job.clone());
    if finished_condition(job).is_some() {
        // cleanupPodFinalizers: the pods of a finished Job keep no tracking finalizer.
        let owned = view.pods.iter().filter_map(|o| match &**o {
            Object::Pod(p) if controller_uid(&p.metadata) == Some(uid.as_str()) => Some(p),
            _ => None,
        });
        for p in owned.filter(|p| has_tracking_finalizer(p)) {
            plan.push(jobtracking::release(p));
        }
        return Ok((plan, BackoffRecord::default()));
    }
    // getPodsForJob: ClaimPods with the tracking finalizer, so an orphan the selector matches
    // (left by `delete --cascade=orphan`) is adopted and counted like the Job's own pods.
    // A Job always has a selector once stored (the API server generates or requires one).
    let claimed = match job_selector(job).map_err(SyncError::Permanent)? {
        Some(selector) => super::refmanager::Claimer {
            owner: owner_reference(job),
            selector: &selector,
            deleting: job.metadata.deletion_timestamp.is_some(),
            finalizers: &[jobtracking::JOB_TRACKING_FINALIZER],
        }
        .claim(&view.pods),
        None => super::refmanager::Claimed::controlled_by(&uid, &view.pods),
    };
    for w in claimed.writes {
        plan.push(w);
    }
    let pods: Vec<&corev1::Pod> = claimed.pods.iter().map(|p| &**p).collect();
    // A Job being deleted (foreground) still counts its pods and lets them go, but starts none.
    let deleting = job.metadata.deletion_timestamp.is_some();
    let spec = job.spec.clone().unwrap_or_default();
    let indexed = spec_is_indexed(job);
    let completions = spec.completions;
    let old = job.status.clone().unwrap_or_default();
    let uncounted = old.uncounted_terminated_pods.clone().unwrap_or_default();
    let uncounted_succeeded = uncounted.succeeded.clone().unwrap_or_default();
    let uncounted_failed = uncounted.failed.clone().unwrap_or_default();
    let pod_uid = |p: &corev1::Pod| p.metadata.uid.clone().unwrap_or_default();
    let valid_index = |p: &corev1::Pod| {
        !indexed || completion_index(p).is_some_and(|i| i < completions.unwrap_or(0))
    };
    let policy_action = |p: &corev1::Pod| {
        spec.pod_failure_policy
            .as_ref()
            .and_then(|policy| jobpolicy::match_pod_failure_policy(policy, p))
    };
    let counts_as_failed = |p: &corev1::Pod| policy_action(p).is_none_or(|a| a.counts());

    let active: Vec<&corev1::Pod> = pods
        .iter()
        .copied()
        .filter(|p| podutil::is_pod_active(p))
        .collect();
    let mut terminating = pods
        .iter()
        .filter(|p| {
            p.metadata.deletion_timestamp.is_some()
                && !matches!(podutil::phase(p), "Succeeded" | "Failed")
        })
        .count() as i32;
    // getNewFinishedPods: finished pods still holding the finalizer and not yet listed as
    // uncounted.
    let new_succeeded: Vec<&corev1::Pod> = pods
        .iter()
        .copied()
        .filter(|p| has_tracking_finalizer(p) && valid_index(p))
        .filter(|p| podutil::phase(p) == "Succeeded" && !uncounted_succeeded.contains(&pod_uid(p)))
        .collect();
    let new_failed: Vec<&corev1::Pod> = pods
        .iter()
        .copied()
        .filter(|p| has_tracking_finalizer(p) && valid_index(p))
        .filter(|p| is_pod_failed(p, &spec) && !uncounted_failed.contains(&pod_uid(p)))
        .collect();
    // backoffLimitPerIndex (jobindex.rs): the indexes given up, from the failure counts the
    // pods carry in their annotations.
    let per_index = indexed && spec.backoff_limit_per_index.is_some();
    let index_of = |p: &corev1::Pod| completion_index(p).filter(|_| valid_index(p));
    let failed_indexes: Option<Vec<i32>> = per_index.then(|| {
        let previous = parse_index_list(old.failed_indexes.as_deref(), completions);
        jobindex::failed_indexes(&spec, previous, &pods, index_of)
    });
    // An Indexed Job counts each completion index once: the indexes recorded in
    // `completedIndexes` plus those of succeeded pods not yet counted
    // (indexed_job_utils.go `calculateSucceededIndexes`). A pod that succeeds for an index
    // already given up (a FailIndex rule matched another pod of it) does not complete it:
    // the API server rejects a status whose completedIndexes overlap its failedIndexes
    // (batch validation `RejectFailedIndexesOverlappingCompleted`, v1.34). Its finalizer
    // still goes, so it is counted nowhere.
    let given_up = |i: i32| failed_indexes.as_ref().is_some_and(|f| f.contains(&i));
    let succeeded_indexes = indexed.then(|| {
        let mut done = parse_index_list(old.completed_indexes.as_deref(), completions);
        done.extend(
            pods.iter()
                .filter(|p| has_tracking_finalizer(p) && valid_index(p))
                .filter(|p| podutil::phase(p) == "Succeeded")
                .filter_map(|p| completion_index(p))
                .filter(|i| !given_up(*i)),
        );
        done.sort_unstable();
        done.dedup();
        done
    });
    let succeeded = match &succeeded_indexes {
        Some(done) => done.len() as i32,
        None => {
            old.succeeded.unwrap_or(0)
                + new_succeeded.len() as i32
                + uncounted_succeeded.len() as i32
        }
    };
    let failed = old.failed.unwrap_or(0)
        + new_failed.iter().filter(|p| counts_as_failed(p)).count() as i32
        + uncounted_failed.len() as i32;
    // podFailurePolicy: what each failed pod's first matching rule says (jobpolicy.rs). An
    // ignored failure counts nowhere.
    let actions: Vec<Option<FailureAction>> = pods
        .iter()
        .map(|p| is_pod_failed(p, &spec).then(|| policy_action(p)).flatten())
        .collect();
    let fail_job_message = actions.iter().find_map(|a| match a {
        Some(FailureAction::FailJob(msg)) => Some(msg.clone()),
        _ => None,
    });
    let backoff = view.backoff.after(&new_succeeded, &new_failed);
    let mut ready = active.iter().filter(|p| podutil::is_pod_ready(p)).count() as i32;
    // The last failed pod of each index waiting for a replacement: it keeps its finalizer
    // and gives the replacement its counts and back-off.
    let delayed = match (&failed_indexes, &succeeded_indexes) {
        (Some(given_up), Some(done)) => {
            let running: Vec<i32> = active.iter().filter_map(|p| completion_index(p)).collect();
            jobindex::pods_with_delayed_deletion(&spec, &pods, index_of, |i| {
                done.contains(&i) || given_up.contains(&i) || running.contains(&i)
            })
        }
        _ => Default::default(),
    };
    let failed_index_count = failed_indexes.as_ref().map_or(0, |f| f.len() as i32);

    let mut status = old.clone();
    let suspended = spec.suspend == Some(true);
    if status.start_time.is_none() && !suspended {
        status.start_time = Some(now.to_time());
    }

    let backoff_limit = spec.backoff_limit.unwrap_or(6);
    let parallelism = spec.parallelism.unwrap_or(1).max(0);
    let has_cond = |s: &batchv1::JobStatus, t: &str| {
        s.conditions
            .iter()
            .flatten()
            .any(|c| c.type_ == t && c.status == "True")
    };

    // Failure: an existing FailureTarget, too many failures, or the deadline.
    let mut failure: Option<(String, String)> = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "FailureTarget" && c.status == "True")
        .map(|c| {
            (
                c.reason.clone().unwrap_or_default(),
                c.message.clone().unwrap_or_default(),
            )
        });
    if failure.is_none()
        && let Some(message) = fail_job_message
    {
        failure = Some(("PodFailurePolicy".into(), message));
    }
    if failure.is_none() {
        if failed > backoff_limit || past_backoff_limit_on_failure(&spec, &active, backoff_limit) {
            failure = Some((
                "BackoffLimitExceeded".into(),
                "Job has reached the specified backoff limit".into(),
            ));
        } else if let (Some(deadline), Some(start)) =
            (spec.active_deadline_seconds, status.start_time.as_ref())
            && !suspended
        {
            let left = deadline.saturating_mul(1000) - now.millis_since(start);
            if left <= 0 {
                failure = Some((
                    "DeadlineExceeded".into(),
                    "Job was active longer than specified deadline".into(),
                ));
            } else {
                plan.requeue_after(SimDuration::from_millis(left as u64));
            }
        }
    }
    if failure.is_none()
        && let Some(given_up) = &failed_indexes
    {
        let all_done = spec
            .completions
            .is_some_and(|c| succeeded + failed_index_count >= c);
        if spec
            .max_failed_indexes
            .is_some_and(|max| failed_index_count > max)
        {
            failure = Some((
                "MaxFailedIndexesExceeded".into(),
                "Job has exceeded the specified maximal number of failed indexes".into(),
            ));
        } else if !given_up.is_empty() && all_done {
            failure = Some(("FailedIndexes".into(), "Job has failed indexes".into()));
        }
    }

    // successPolicy (Indexed Jobs): the first rule the succeeded indexes satisfy.
    let success_policy_met = match (&spec.success_policy, &succeeded_indexes) {
        (Some(policy), Some(done)) if failure.is_none() => {
            jobpolicy::match_success_policy(policy, completions.unwrap_or(0), done)
        }
        _ => None,
    };
    let complete = failure.is_none()
        && (success_policy_met.is_some()
            || match completions {
                Some(c) => succeeded >= c,
                None => succeeded > 0 && active.is_empty(),
            });

    let mut active_count = active.len() as i32;
    // The terminal condition this sync aims at: (type, reason, message).
    let mut finished: Option<(&str, String, String)> = None;
    // Pods whose finalizer `deleteJobPods` takes off along with the delete.
    let mut released: Vec<&corev1::Pod> = Vec::new();
    let ready_among =
        |ps: &[&corev1::Pod]| ps.iter().filter(|p| podutil::is_pod_ready(p)).count() as i32;
    if let Some((reason, message)) = &failure {
        if !has_cond(&status, "FailureTarget") {
            set_condition(&mut status, "FailureTarget", reason, message, now);
        }
        // deleteActivePods keeps the finalizers: the pods are counted as failed below.
        delete_pods(&job_obj, &active, &mut plan);
        terminating += active_count;
        ready -= ready_among(&active);
        active_count = 0;
        finished = Some(("Failed", reason.clone(), message.clone()));
    } else if complete {
        // Once met, the success criteria stay those first recorded.
        let recorded = status
            .conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == "SuccessCriteriaMet" && c.status == "True")
            .map(|c| {
                (
                    c.reason.clone().unwrap_or_default(),
                    c.message.clone().unwrap_or_default(),
                )
            });
        let (reason, message) = recorded.unwrap_or_else(|| match &success_policy_met {
            Some(msg) => ("SuccessPolicy".into(), msg.clone()),
            None => (
                "CompletionsReached".into(),
                "Reached expected number of succeeded pods".into(),
            ),
        });
        if !has_cond(&status, "SuccessCriteriaMet") {
            set_condition(&mut status, "SuccessCriteriaMet", &reason, &message, now);
        }
        delete_pods(&job_obj, &active, &mut plan);
        terminating += active_count;
        ready -= ready_among(&active);
        active_count = 0;
        finished = Some(("Complete", reason, message));
    } else if deleting {
        // manageJob does not run for a Job being deleted.
    } else if suspended {
        release_and_delete(&job_obj, &active, &mut plan);
        released.extend(active.iter().copied());
        terminating += active_count;
        ready -= ready_among(&active);
        active_count = 0;
    } else {
        // manageJob: how many pods should run now.
        let want_active = match completions {
            Some(c) => (c - succeeded - failed_index_count).clamp(0, parallelism),
            None if succeeded > 0 => active_count,
            None => parallelism,
        };
        // onlyReplaceFailedPods: a terminating pod is replaced only once it has failed.
        let waiting_to_fail = if jobtracking::only_replace_failed_pods(&spec) {
            terminating
        } else {
            0
        };
        let diff = want_active - active_count - waiting_to_fail;
        if active_count > want_active {
            let mut ranked = active.clone();
            ranked.sort_by_key(|p| {
                (
                    u8::from(podutil::node_name(p).is_some()),
                    u8::from(podutil::is_pod_ready(p)),
                    p.metadata.name.clone(),
                )
            });
            let surplus: Vec<&corev1::Pod> = ranked
                .into_iter()
                .take((active_count - want_active) as usize)
                .collect();
            release_and_delete(&job_obj, &surplus, &mut plan);
            terminating += surplus.len() as i32;
            ready -= ready_among(&surplus);
            released.extend(surplus);
            active_count = want_active;
        } else if diff > 0 {
            // With backoffLimitPerIndex the back-off is per index (below), not per Job.
            let job_backoff = if per_index {
                None
            } else {
                backoff.remaining(now)
            };
            match job_backoff {
                Some(wait) => {
                    plan.requeue_after(wait);
                }
                None => {
                    // An Indexed Job starts the lowest indexes neither done, running nor
                    // given up (`firstPendingIndexes`); with onlyReplaceFailedPods a
                    // terminating pod still holds its index.
                    let indexes: Vec<Option<i32>> = match &succeeded_indexes {
                        Some(done) => {
                            let terminating_held = waiting_to_fail > 0;
                            let holding: Vec<i32> = pods
                                .iter()
                                .filter(|p| {
                                    podutil::is_pod_active(p)
                                        || (terminating_held && podutil::is_pod_terminating(p))
                                })
                                .filter_map(|p| completion_index(p))
                                .collect();
                            let given_up = failed_indexes.as_deref().unwrap_or_default();
                            let pending = first_pending_indexes(
                                completions.unwrap_or(0),
                                diff as usize,
                                &[done, &holding, given_up],
                            );
                            let pending = if per_index {
                                let (now_ready, wait) =
                                    jobindex::indexes_past_back_off(pending, &delayed, now);
                                if let Some(w) = wait {
                                    plan.requeue_after(w);
                                }
                                now_ready
                            } else {
                                pending
                            };
                            pending.into_iter().map(Some).collect()
                        }
                        None => vec![None; diff as usize],
                    };
                    active_count += indexes.len() as i32;
                    for index in indexes {
                        let mut pod = pod_from_template(job);
                        if let Some(i) = index {
                            set_completion_index(&mut pod, job, i);
                            if per_index {
                                jobindex::annotate(&mut pod, &spec, delayed.get(&i).copied());
                            }
                        }
                        plan.push(Write::Create {
                            object: Object::Pod(pod),
                            announce: Some(EventRecord::normal(
                                &job_obj,
                                "SuccessfulCreate",
                                format!("Created pod: {CREATED_NAME}"),
                            )),
                        });
                    }
                }
            }
        }
    }

    // trackJobStatusAndRemoveFinalizers: list finished pods as uncounted, take their
    // finalizers off, then move them into the counters.
    let failing = failure.is_some();
    let mut uncounted_succeeded_now = uncounted_succeeded.clone();
    let mut uncounted_failed_now = uncounted_failed.clone();
    let mut releasing: Vec<&corev1::Pod> = Vec::new();
    for p in pods.iter().copied() {
        if !has_tracking_finalizer(p) || released.iter().any(|r| std::ptr::eq(*r, p)) {
            continue;
        }
        let considered_failed = is_pod_failed(p, &spec);
        let succeeded_pod = podutil::phase(p) == "Succeeded";
        // canRemoveFinalizer: the failed pod an index's replacement reads its counts from
        // keeps the finalizer until then.
        if !(deleting || finished.is_some() || succeeded_pod || considered_failed) {
            continue;
        }
        if !(deleting || finished.is_some() || succeeded_pod)
            && delayed.values().any(|d| std::ptr::eq(*d, p))
        {
            continue;
        }
        releasing.push(p);
        let id = pod_uid(p);
        if succeeded_pod && !uncounted_failed.contains(&id) {
            // An Indexed Job counts succeeded indexes, not pods.
            if !indexed && !uncounted_succeeded.contains(&id) {
                uncounted_succeeded_now.push(id);
            }
        } else if (considered_failed || failing)
            && !uncounted_failed.contains(&id)
            && valid_index(p)
            && counts_as_failed(p)
        {
            // A failing Job counts every pod it stops as failed.
            uncounted_failed_now.push(id);
        }
    }
    let nz = |v: i32| (v != 0).then_some(v);
    let listed = |uids: Vec<String>| (!uids.is_empty()).then_some(uids);
    status.active = nz(active_count);
    status.ready = Some(ready);
    status.terminating = Some(terminating);
    status.uncounted_terminated_pods = Some(batchv1::UncountedTerminatedPods {
        succeeded: listed(uncounted_succeeded_now.clone()),
        failed: listed(uncounted_failed_now.clone()),
    });
    if let Some(done) = &succeeded_indexes {
        status.succeeded = nz(done.len() as i32);
        status.completed_indexes = Some(index_ranges(done)).filter(|r| !r.is_empty());
    }
    if let Some(given_up) = &failed_indexes {
        status.failed_indexes = Some(index_ranges(given_up));
    }
    // First write: the newly finished pods are listed before any finalizer goes.
    let interim = status.clone();
    if interim != old {
        let mut j = job.clone();
        j.status = Some(interim.clone());
        plan.push(Write::UpdateStatus(Object::Job(j)));
    }
    for p in &releasing {
        plan.push(jobtracking::release(p));
    }
    // cleanUncountedPodsWithoutFinalizers: every listed pod has let go of its finalizer now.
    let moved_succeeded = uncounted_succeeded_now.len() as i32;
    let moved_failed = uncounted_failed_now.len() as i32;
    status.succeeded = nz(status.succeeded.unwrap_or(0) + moved_succeeded);
    status.failed = nz(status.failed.unwrap_or(0) + moved_failed);
    status.uncounted_terminated_pods = Some(batchv1::UncountedTerminatedPods::default());
    // enactJobFinished: the terminal condition waits for the terminating pods.
    let mut finished_event = None;
    if let Some((type_, reason, message)) = &finished
        && terminating == 0
    {
        set_condition(&mut status, type_, reason, message, now);
        if *type_ == "Complete" {
            status.completion_time = Some(now.to_time());
            if completions.is_some_and(|c| status.succeeded.unwrap_or(0) > c) {
                plan.event(EventRecord::warning(
                    &job_obj,
                    "TooManySucceededPods",
                    "Too many succeeded pods running after completion count reached",
                ));
            }
            finished_event = Some(EventRecord::normal(&job_obj, "Completed", "Job completed"));
        } else {
            finished_event = Some(EventRecord::warning(&job_obj, reason, message.clone()));
        }
    }
    if status != interim {
        let mut j = job.clone();
        // The first write changed the resourceVersion; this one follows it unconditionally.
        j.metadata.resource_version = None;
        j.status = Some(status);
        plan.push(Write::UpdateStatus(Object::Job(j)));
    }
    if let Some(e) = finished_event {
        plan.event(e);
    }
    // A finished Job's back-off record is dropped.
    let backoff = if finished.is_some() && terminating == 0 {
        BackoffRecord::default()
    } else {
        backoff
    };
    Ok((plan, backoff))
}

/// `deleteJobPods`: takes the tracking finalizer off each pod, then deletes it, so a pod the
/// Job no longer wants is never counted.
fn release_and_delete(job_obj: &Object, pods: &[&corev1::Pod], plan: &mut Plan) {
    for p in pods {
        if has_tracking_finalizer(p) {
            plan.push(jobtracking::release(p));
        }
    }
    delete_pods(job_obj, pods, plan);
}

/// Indexes from a `completedIndexes` / `failedIndexes` string, below `completions`.
fn parse_index_list(s: Option<&str>, completions: Option<i32>) -> Vec<i32> {
    let Some(s) = s else {
        return Vec::new();
    };
    api::validation::parse_indexes(s, completions.unwrap_or(0))
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(first, last)| first..=last)
        .collect()
}

/// Mirrors pastBackoffLimitOnFailure: with restartPolicy OnFailure, the container restarts
/// of the active pods count as failures.
fn past_backoff_limit_on_failure(
    spec: &batchv1::JobSpec,
    active: &[&corev1::Pod],
    backoff_limit: i32,
) -> bool {
    let policy = spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.as_deref());
    if policy != Some("OnFailure") {
        return false;
    }
    let restarts: i32 = active.iter().map(|p| podutil::restart_count(p)).sum();
    if backoff_limit == 0 {
        restarts > 0
    } else {
        restarts >= backoff_limit
    }
}

/// Deletes `pods`, recording `SuccessfulDelete` for each (RealPodControl.DeletePod).
fn delete_pods(job_obj: &Object, pods: &[&corev1::Pod], plan: &mut Plan) {
    for p in pods {
        let name = p.metadata.name.clone().unwrap_or_default();
        plan.push(Write::Delete {
            kind: kind_of::<corev1::Pod>(),
            namespace: p.metadata.namespace.clone(),
            name: name.clone(),
            uid: p.metadata.uid.clone(),
            grace_period_seconds: None,
        });
        plan.event(EventRecord::normal(
            job_obj,
            "SuccessfulDelete",
            format!("Deleted pod: {name}"),
        ));
    }
}

/// A condition set to True (an existing one of the type is replaced).
fn set_condition(
    s: &mut batchv1::JobStatus,
    type_: &str,
    reason: &str,
    message: &str,
    now: SimTime,
) {
    let cs = s.conditions.get_or_insert_with(Vec::new);
    cs.retain(|c| c.type_ != type_);
    cs.push(batchv1::JobCondition {
        type_: type_.into(),
        status: "True".into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_probe_time: Some(now.to_time()),
        last_transition_time: Some(now.to_time()),
    });
}

/// The annotation (and label) naming an Indexed Job pod's completion index.
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";

pub use super::jobindex::INDEX_FAILURE_COUNT;

fn spec_is_indexed(job: &batchv1::Job) -> bool {
    job.spec.as_ref().and_then(|s| s.completion_mode.as_deref()) == Some("Indexed")
}

/// A pod's completion index, from its annotation (`getCompletionIndex`).
fn completion_index(pod: &corev1::Pod) -> Option<i32> {
    pod.metadata
        .annotations
        .as_ref()?
        .get(COMPLETION_INDEX)?
        .parse()
        .ok()
        .filter(|i: &i32| *i >= 0)
}

/// `firstPendingIndexes`: the lowest `count` indexes below `completions` in none of `taken`.
fn first_pending_indexes(completions: i32, count: usize, taken: &[&[i32]]) -> Vec<i32> {
    (0..completions)
        .filter(|i| !taken.iter().any(|t| t.contains(i)))
        .take(count)
        .collect()
}

/// `status.completedIndexes`: sorted indexes as ranges, `0-2,4,6,7` (`orderedIntervals.String`:
/// two adjacent indexes are written as a list, not a range).
fn index_ranges(sorted: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let first = sorted[i];
        let mut last = first;
        while i + 1 < sorted.len() && sorted[i + 1] == last + 1 {
            i += 1;
            last = sorted[i];
        }
        parts.push(match last - first {
            0 => first.to_string(),
            1 => format!("{first},{last}"),
            _ => format!("{first}-{last}"),
        });
        i += 1;
    }
    parts.join(",")
}

/// What an Indexed Job gives the pod of index `i` (indexed_job_utils.go
/// `addCompletionIndexAnnotation`, `addCompletionIndexLabel`, `addCompletionIndexEnvVariables`,
/// and the job controller's hostname): `generateName: <job>-<i>-`, the index as annotation and
/// label, `JOB_COMPLETION_INDEX` from the label in every container, hostname `<job>-<i>`.
fn set_completion_index(pod: &mut corev1::Pod, job: &batchv1::Job, i: i32) {
    let name = job.metadata.name.clone().unwrap_or_default();
    pod.metadata.generate_name = Some(format!("{name}-{i}-"));
    pod.metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(COMPLETION_INDEX.into(), i.to_string());
    pod.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert(COMPLETION_INDEX.into(), i.to_string());
    let Some(spec) = pod.spec.as_mut() else {
        return;
    };
    if spec.hostname.is_none() {
        spec.hostname = Some(format!("{name}-{i}"));
    }
    let env_var = corev1::EnvVar {
        name: "JOB_COMPLETION_INDEX".into(),
        value: None,
        value_from: Some(corev1::EnvVarSource {
            field_ref: Some(corev1::ObjectFieldSelector {
                api_version: None,
                // PodIndexLabel is GA and locked on since v1.32: the env var reads the label.
                field_path: format!("metadata.labels['{COMPLETION_INDEX}']"),
            }),
            ..Default::default()
        }),
    };
    let containers = spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut());
    for c in containers {
        let env = c.env.get_or_insert_with(Vec::new);
        if !env.iter().any(|e| e.name == env_var.name) {
            env.push(env_var.clone());
        }
    }
}

/// The controller reference pointing at `job` (`metav1.NewControllerRef`).
pub fn owner_reference(job: &batchv1::Job) -> metav1::OwnerReference {
    metav1::OwnerReference {
        api_version: "batch/v1".into(),
        kind: "Job".into(),
        name: job.metadata.name.clone().unwrap_or_default(),
        uid: job.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The Job's pod selector, None when it has none.
///
/// # Errors
/// The selector's problem, for an invalid one.
pub fn job_selector(job: &batchv1::Job) -> Result<Option<machinery::labels::Selector>, String> {
    let Some(sel) = job.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
        return Ok(None);
    };
    api::selectors::label_selector_to_selector(sel)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Whether a sync of `job` adopts the orphan `pod` (ClaimPods' conditions): so its tracking
/// finalizer stays.
pub fn adopts_orphan(job: &batchv1::Job, pod: &corev1::Pod) -> bool {
    let labels = super::labels_of(&pod.metadata);
    finished_condition(job).is_none()
        && job.metadata.deletion_timestamp.is_none()
        && pod.metadata.deletion_timestamp.is_none()
        && job_selector(job).is_ok_and(|s| s.is_some_and(|s| s.matches(labels)))
}

/// A new pod for `job`: the template, `generateName: <job>-`, a controller reference and the
/// tracking finalizer.
pub fn pod_from_template(job: &batchv1::Job) -> corev1::Pod {
    let template = job
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    let name = job.metadata.name.clone().unwrap_or_default();
    let labels = tmeta.labels.unwrap_or_default();
    // appendJobCompletionFinalizerIfNotFound: the template's finalizers plus the tracking one.
    let mut finalizers = tmeta.finalizers.unwrap_or_default();
    if !finalizers.iter().any(|f| f == jobtracking::JOB_TRACKING_FINALIZER) {
        finalizers.push(jobtracking::JOB_TRACKING_FINALIZER.to_string());
    }
    corev1::Pod {
        metadata: metav1::ObjectMeta {
            generate_name: Some(format!("{name}-")),
            namespace: job.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: tmeta.annotations,
            finalizers: Some(finalizers),
            owner_references: Some(vec![owner_reference(job)]),
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::testutil::{apply, cluster, events};
    use crate::sim::Cluster;

    fn job_yaml(spec: &str, script: &str) -> String {
        format!(
            r#"
apiVersion: batch/v1
kind: Job
metadata: {{name: pi, namespace: default}}
spec:
{spec}
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: c, image: busybox, command: [sh, -c, "{script}"]}}]
"#
        )
    }

    fn job(c: &Cluster) -> Option<batchv1::Job> {
        let o = c
            .store()
            .get(kind_of::<batchv1::Job>(), Some("default"), "pi")
            .ok()?;
        match &*o {
            Object::Job(j) => Some(j.clone()),
            _ => None,
        }
    }

    fn conditions(c: &Cluster) -> Vec<(String, String, String)> {
        job(c)
            .and_then(|j| j.status)
            .and_then(|s| s.conditions)
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                (
                    c.type_,
                    c.reason.unwrap_or_default(),
                    c.message.unwrap_or_default(),
                )
            })
            .collect()
    }

    fn finished(c: &Cluster) -> bool {
        job(c).is_some_and(|j| finished_condition(&j).is_some())
    }

    #[test]
    fn runs_to_completions_with_parallelism() {
        let mut c = cluster(1);
        apply(
            &mut c,
            &job_yaml("  completions: 3\n  parallelism: 2", "sleep 5"),
        );
        c.run_until(finished, SimDuration::from_secs(300))
            .expect("completes");
        let j = job(&c).expect("job");
        let uid = j.metadata.uid.clone().unwrap_or_default();
        for p in c.list(kind_of::<corev1::Pod>(), Some("default")) {
            let labels = p.meta().labels.clone().unwrap_or_default();
            assert_eq!(labels.get(JOB_NAME_LABEL).map(String::as_str), Some("pi"));
            assert_eq!(labels.get(CONTROLLER_UID_LABEL), Some(&uid));
            assert_eq!(labels.get("controller-uid"), Some(&uid));
            assert_eq!(labels.get("job-name").map(String::as_str), Some("pi"));
        }
        let st = j.status.clone().unwrap_or_default();
        assert_eq!((st.succeeded, st.failed, st.active), (Some(3), None, None));
        assert!(st.completion_time.is_some() && st.start_time.is_some());
        let msg = "Reached expected number of succeeded pods".to_string();
        assert_eq!(
            conditions(&c),
            [
                (
                    "SuccessCriteriaMet".into(),
                    "CompletionsReached".into(),
                    msg.clone()
                ),
                ("Complete".into(), "CompletionsReached".into(), msg),
            ]
        );
        let ev = events(&c, "Job", "pi");
        let creates = ev
            .iter()
            .filter(|(r, m)| r == "SuccessfulCreate" && m.starts_with("Created pod: pi-"))
            .count();
        assert_eq!(creates, 3, "{ev:?}");
        assert_eq!(
            ev.last(),
            Some(&("Completed".to_string(), "Job completed".to_string()))
        );
    }

    #[test]
    fn api_server_generates_the_selector_unless_manual() {
        let mut c = cluster(7);
        apply(&mut c, &job_yaml("  completions: 1", "exit 0"));
        let j = job(&c).expect("job");
        let uid = j.metadata.uid.clone().unwrap_or_default();
        let spec = j.spec.clone().unwrap_or_default();
        let want_selector: std::collections::BTreeMap<String, String> =
            [(CONTROLLER_UID_LABEL.to_string(), uid.clone())].into();
        assert_eq!(
            spec.selector.and_then(|s| s.match_labels),
            Some(want_selector)
        );
        let labels = spec.template.metadata.and_then(|m| m.labels).unwrap_or_default();
        let want: std::collections::BTreeMap<String, String> = [
            (CONTROLLER_UID_LABEL, uid.as_str()),
            (JOB_NAME_LABEL, "pi"),
            (LEGACY_CONTROLLER_UID_LABEL, uid.as_str()),
            (LEGACY_JOB_NAME_LABEL, "pi"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(labels, want);

        // manualSelector: the selector and labels stay the user's.
        let mut c = cluster(8);
        apply(
            &mut c,
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi, namespace: default}\nspec:\n  manualSelector: true\n  selector: {matchLabels: {app: pi}}\n  template:\n    metadata: {labels: {app: pi}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n",
        );
        c.run_until(finished, SimDuration::from_secs(120))
            .expect("completes");
        let j = job(&c).expect("job");
        let spec = j.spec.clone().unwrap_or_default();
        assert_eq!(
            spec.selector.and_then(|s| s.match_labels),
            Some([("app".to_string(), "pi".to_string())].into())
        );
        for p in c.list(kind_of::<corev1::Pod>(), Some("default")) {
            assert_eq!(
                p.meta().labels.clone(),
                Some([("app".to_string(), "pi".to_string())].into())
            );
        }
    }

    #[test]
    fn backoff_limit_exceeded_after_backed_off_retries() {
        let mut c = cluster(2);
        apply(&mut c, &job_yaml("  backoffLimit: 2", "exit 1"));
        c.run_until(finished, SimDuration::from_secs(600))
            .expect("fails");
        let pods = c.list(kind_of::<corev1::Pod>(), Some("default"));
        assert_eq!(pods.len(), 3);
        // Each retry waits longer: 10 s after the first failure, 20 s after the second.
        let mut created: Vec<i64> = pods
            .iter()
            .filter_map(|p| {
                p.meta()
                    .creation_timestamp
                    .as_ref()
                    .map(|t| t.0.as_second())
            })
            .collect();
        created.sort_unstable();
        assert!(
            created[2] - created[1] > created[1] - created[0],
            "{created:?}"
        );
        assert!(created[1] - created[0] >= 10, "{created:?}");
        let msg = "Job has reached the specified backoff limit".to_string();
        assert_eq!(
            conditions(&c),
            [
                (
                    "FailureTarget".into(),
                    "BackoffLimitExceeded".into(),
                    msg.clone()
                ),
                ("Failed".into(), "BackoffLimitExceeded".into(), msg.clone()),
            ]
        );
        assert_eq!(
            job(&c).and_then(|j| j.status).and_then(|s| s.failed),
            Some(3)
        );
        assert!(events(&c, "Job", "pi").contains(&("BackoffLimitExceeded".into(), msg)));
    }

    #[test]
    fn active_deadline_stops_running_pods() {
        let mut c = cluster(3);
        apply(
            &mut c,
            &job_yaml("  activeDeadlineSeconds: 20", "sleep 600"),
        );
        c.run_until(finished, SimDuration::from_secs(120))
            .expect("fails");
        let at = c.now().as_millis();
        assert!((20_000..60_000).contains(&at), "{at}");
        let (t, reason, msg) = conditions(&c).pop().expect("condition");
        assert_eq!(
            (t.as_str(), reason.as_str(), msg.as_str()),
            (
                "Failed",
                "DeadlineExceeded",
                "Job was active longer than specified deadline"
            )
        );
        let ev = events(&c, "Job", "pi");
        assert!(
            ev.iter()
                .any(|(r, m)| r == "SuccessfulDelete" && m.starts_with("Deleted pod: pi-")),
            "{ev:?}"
        );
    }

    #[test]
    fn ttl_after_finished_deletes_the_job() {
        let mut c = cluster(4);
        apply(&mut c, &job_yaml("  ttlSecondsAfterFinished: 5", "true"));
        let done = c
            .run_until(finished, SimDuration::from_secs(120))
            .expect("completes");
        c.advance(SimDuration::from_secs(4));
        assert!(job(&c).is_some());
        c.advance(SimDuration::from_secs(2));
        assert!(job(&c).is_none(), "deleted 5 s after finishing at {done:?}");
    }

    fn policy_job(spec: &str, container: &str, script: &str) -> String {
        format!(
            r#"
apiVersion: batch/v1
kind: Job
metadata: {{name: pi, namespace: default}}
spec:
{spec}
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: {container}, image: busybox, command: [sh, -c, "{script}"]}}]
"#
        )
    }

    /// A Job whose python3 container exits per index (`exits` = `(index, code)`; other
    /// indexes sleep `others_sleep` seconds and succeed).
    fn indexed_python_job(spec: &str, exits: &[(i32, i32)], others_sleep: u32) -> String {
        let mut program = String::from(
            "          import os, sys, time\n          index = int(os.environ.get(\"JOB_COMPLETION_INDEX\"))\n",
        );
        for (i, code) in exits {
            program.push_str(&format!(
                "          if index == {i}:\n            sys.exit({code})\n"
            ));
        }
        program.push_str(&format!("          time.sleep({others_sleep})\n"));
        format!(
            r#"
apiVersion: batch/v1
kind: Job
metadata: {{name: pi, namespace: default}}
spec:
{spec}
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: goose-good/python:3.9.22
        command:
        - python3
        - -c
        - |
{program}"#
        )
    }

    fn pod_names(c: &Cluster) -> Vec<String> {
        c.list(kind_of::<corev1::Pod>(), Some("default"))
            .iter()
            .filter_map(|p| p.meta().name.clone())
            .collect()
    }

    #[test]
    fn pod_failure_policy_fail_job_stops_at_the_first_matching_exit_code() {
        let mut c = cluster(11);
        let spec = "  completions: 4\n  parallelism: 1\n  backoffLimit: 6\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes: {operator: In, values: [3]}\n    - action: FailJob\n      onExitCodes: {containerName: main, operator: In, values: [42]}";
        apply(&mut c, &policy_job(spec, "main", "exit 42"));
        c.run_until(finished, SimDuration::from_secs(120))
            .expect("fails");
        let names = pod_names(&c);
        assert_eq!(names.len(), 1, "no retry after FailJob: {names:?}");
        let msg = format!(
            "Container main for pod default/{} failed with exit code 42 matching FailJob rule at index 1",
            names[0]
        );
        assert_eq!(
            conditions(&c),
            [
                ("FailureTarget".into(), "PodFailurePolicy".into(), msg.clone()),
                ("Failed".into(), "PodFailurePolicy".into(), msg.clone()),
            ]
        );
        assert_eq!(job(&c).and_then(|j| j.status).and_then(|s| s.failed), Some(1));
        assert!(events(&c, "Job", "pi").contains(&("PodFailurePolicy".into(), msg)));
    }

    #[test]
    fn pod_failure_policy_ignore_does_not_count_towards_the_backoff_limit() {
        let mut c = cluster(12);
        // Exit 3 is ignored: with backoffLimit 0 the Job keeps replacing the pod.
        let spec = "  backoffLimit: 0\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes: {operator: In, values: [3]}";
        apply(&mut c, &policy_job(spec, "main", "sleep 2; exit 3"));
        c.advance(SimDuration::from_secs(60));
        assert!(!finished(&c), "{:?}", conditions(&c));
        assert!(pod_names(&c).len() >= 3, "{:?}", pod_names(&c));
        assert_eq!(job(&c).and_then(|j| j.status).and_then(|s| s.failed), None);

        // Without the rule (Count) the first failure exceeds the limit.
        let mut c = cluster(13);
        let spec = "  backoffLimit: 0\n  podFailurePolicy:\n    rules:\n    - action: Count\n      onExitCodes: {operator: In, values: [3]}";
        apply(&mut c, &policy_job(spec, "main", "exit 3"));
        c.run_until(finished, SimDuration::from_secs(120))
            .expect("fails");
        assert_eq!(
            conditions(&c).pop().map(|(t, r, _)| (t, r)),
            Some(("Failed".into(), "BackoffLimitExceeded".into()))
        );
    }

    #[test]
    fn pod_failure_policy_fail_index_gives_the_index_up_without_retry() {
        let mut c = cluster(14);
        let spec = "  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n  backoffLimitPerIndex: 2\n  podFailurePolicy:\n    rules:\n    - action: FailIndex\n      onExitCodes: {operator: In, values: [42]}";
        apply(&mut c, &indexed_python_job(spec, &[(1, 42)], 0));
        c.run_until(finished, SimDuration::from_secs(300))
            .expect("finishes");
        let st = job(&c).and_then(|j| j.status).unwrap_or_default();
        assert_eq!(st.failed_indexes.as_deref(), Some("1"));
        assert_eq!(st.completed_indexes.as_deref(), Some("0,2"));
        assert_eq!(pod_names(&c).len(), 3, "index 1 is not retried");
        assert_eq!(
            conditions(&c).pop().map(|(t, r, _)| (t, r)),
            Some(("Failed".into(), "FailedIndexes".into()))
        );
    }

    #[test]
    fn max_failed_indexes_exceeded_fails_the_job_and_stops_the_rest() {
        let mut c = cluster(16);
        let spec = "  completions: 4\n  parallelism: 4\n  completionMode: Indexed\n  backoffLimitPerIndex: 0\n  maxFailedIndexes: 1";
        apply(&mut c, &indexed_python_job(spec, &[(0, 1), (1, 1)], 600));
        c.run_until(finished, SimDuration::from_secs(120))
            .expect("fails");
        let msg = "Job has exceeded the specified maximal number of failed indexes".to_string();
        assert_eq!(
            conditions(&c),
            [
                ("FailureTarget".into(), "MaxFailedIndexesExceeded".into(), msg.clone()),
                ("Failed".into(), "MaxFailedIndexesExceeded".into(), msg),
            ]
        );
        let st = job(&c).and_then(|j| j.status).unwrap_or_default();
        // Both failed pods count, and so do the two running pods the Job stopped.
        assert_eq!((st.failed_indexes.as_deref(), st.failed), (Some("0,1"), Some(4)));
        // Only the failed pods are left: the stopped ones are deleted, and no index is retried
        // with backoffLimitPerIndex 0.
        let names = pod_names(&c);
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("pi-0-") || n.starts_with("pi-1-")), "{names:?}");
    }

    #[test]
    fn orphans_the_selector_matches_are_adopted_and_counted() {
        let mut c = cluster(17);
        let manifest = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi, namespace: default}\nspec:\n  manualSelector: true\n  selector: {matchLabels: {app: pi}}\n  completions: 2\n  template:\n    metadata: {labels: {app: pi}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox, command: [sh, -c, 'sleep 5']}]\n";
        // A finished orphan first: the Job counts it without running it again.
        apply(
            &mut c,
            "apiVersion: v1\nkind: Pod\nmetadata: {name: done, namespace: default, labels: {app: pi}}\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: busybox, command: [sh, -c, 'true']}]\n",
        );
        c.run_until(
            |c| {
                c.list(kind_of::<corev1::Pod>(), Some("default"))
                    .iter()
                    .any(|o| matches!(&**o, Object::Pod(p) if podutil::phase(p) == "Succeeded"))
            },
            SimDuration::from_secs(60),
        )
        .expect("the orphan succeeds");
        apply(&mut c, manifest);
        c.run_until(finished, SimDuration::from_secs(120))
            .expect("completes");
        let names = pod_names(&c);
        assert_eq!(names.len(), 2, "one pod made up the rest: {names:?}");
        let uid = job(&c).and_then(|j| j.metadata.uid).unwrap_or_default();
        for p in c.list(kind_of::<corev1::Pod>(), Some("default")) {
            assert_eq!(controller_uid(p.meta()), Some(uid.as_str()));
        }
        let st = job(&c).and_then(|j| j.status).unwrap_or_default();
        assert_eq!(st.succeeded, Some(2));
    }

    #[test]
    fn a_pod_relabelled_off_the_selector_is_released_and_replaced() {
        use crate::controller::testutil::{get, update};
        let mut c = cluster(18);
        apply(
            &mut c,
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi, namespace: default}\nspec:\n  manualSelector: true\n  selector: {matchLabels: {app: pi}}\n  template:\n    metadata: {labels: {app: pi}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox, command: [sh, -c, 'sleep 300']}]\n",
        );
        c.advance(SimDuration::from_secs(10));
        let first = pod_names(&c).pop().expect("a pod");
        let Object::Pod(mut p) = get(&c, kind_of::<corev1::Pod>(), &first) else {
            panic!("not a pod");
        };
        p.metadata.labels = Some([("app".to_string(), "debug".to_string())].into());
        update(&mut c, Object::Pod(p));
        c.advance(SimDuration::from_secs(5));
        // ReleasePod takes the owner reference and the tracking finalizer off.
        let Object::Pod(released) = get(&c, kind_of::<corev1::Pod>(), &first) else {
            panic!("not a pod");
        };
        assert_eq!(released.metadata.owner_references, None);
        assert_eq!(released.metadata.finalizers, None);
        assert_eq!(podutil::phase(&released), "Running");
        assert_eq!(pod_names(&c).len(), 2, "the Job made up for it: {:?}", pod_names(&c));
    }

    #[test]
    fn index_ranges_list_two_adjacent_indexes() {
        // indexed_job_utils_test.go TestIntervalsString.
        assert_eq!(index_ranges(&[]), "");
        assert_eq!(index_ranges(&[1, 2]), "1,2");
        assert_eq!(index_ranges(&[0, 1, 2, 4, 6, 7]), "0-2,4,6,7");
    }

    #[test]
    fn success_policy_completes_early_and_stops_the_rest() {
        let mut c = cluster(15);
        // Index 0 finishes at once, the others would run ten minutes.
        let spec = "  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n  successPolicy:\n    rules:\n    - succeededIndexes: '0'";
        apply(&mut c, &indexed_python_job(spec, &[(0, 0)], 600));
        c.run_until(finished, SimDuration::from_secs(120))
            .expect("completes");
        let msg = "Matched rules at index 0".to_string();
        assert_eq!(
            conditions(&c),
            [
                ("SuccessCriteriaMet".into(), "SuccessPolicy".into(), msg.clone()),
                ("Complete".into(), "SuccessPolicy".into(), msg),
            ]
        );
        let st = job(&c).and_then(|j| j.status).unwrap_or_default();
        assert_eq!((st.succeeded, st.completed_indexes.as_deref()), (Some(1), Some("0")));
        let ev = events(&c, "Job", "pi");
        let deletes = ev.iter().filter(|(r, _)| r == "SuccessfulDelete").count();
        assert_eq!(deletes, 2, "{ev:?}");
    }

    // A pod of an index already in failedIndexes that succeeds (e.g. a second pod of that
    // index, still running when a FailIndex rule gave the index up) completes nothing: the
    // index stays failed only, and the pod lets go of its tracking finalizer.
    #[test]
    fn a_pod_succeeding_for_a_failed_index_is_not_counted() {
        let mut c = cluster(17);
        let spec = "  suspend: true\n  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n  backoffLimitPerIndex: 0";
        apply(&mut c, &indexed_python_job(spec, &[], 0));
        let mut j = job(&c).expect("job");
        j.spec.as_mut().expect("spec").suspend = Some(false);
        j.status = Some(batchv1::JobStatus {
            failed: Some(1),
            failed_indexes: Some("1".into()),
            completed_indexes: Some("0".into()),
            succeeded: Some(1),
            ..Default::default()
        });
        let succeeded_pod = |name: &str, index: &str| {
            let labels = j
                .spec
                .as_ref()
                .and_then(|s| s.selector.as_ref())
                .and_then(|s| s.match_labels.clone());
            Arc::new(Object::Pod(corev1::Pod {
                metadata: metav1::ObjectMeta {
                    name: Some(name.into()),
                    namespace: Some("default".into()),
                    uid: Some(format!("uid-{name}")),
                    labels,
                    annotations: Some([(COMPLETION_INDEX.to_string(), index.to_string())].into()),
                    owner_references: Some(vec![owner_reference(&j)]),
                    finalizers: Some(vec![jobtracking::JOB_TRACKING_FINALIZER.into()]),
                    ..Default::default()
                },
                status: Some(corev1::PodStatus {
                    phase: Some("Succeeded".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }))
        };
        let view = JobView {
            pods: vec![succeeded_pod("pi-1-late", "1"), succeeded_pod("pi-2-done", "2")],
            backoff: Default::default(),
        };
        let (plan, _) = sync_job(&j, &view, c.now()).expect("sync");
        let status = plan
            .writes
            .iter()
            .rev()
            .find_map(|w| match w {
                Write::UpdateStatus(Object::Job(j)) => j.status.clone(),
                _ => None,
            })
            .expect("status written");
        assert_eq!(
            (
                status.completed_indexes.as_deref(),
                status.failed_indexes.as_deref(),
                status.succeeded
            ),
            (Some("0,2"), Some("1"), Some(2))
        );
        let released: Vec<&str> = plan
            .writes
            .iter()
            .filter_map(|w| match w {
                Write::Patch { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(released, ["pi-1-late", "pi-2-done"]);
    }
}
