//! The CronJob controller: creates a Job for each scheduled time.
//!
//! Mirrors pkg/controller/cronjob/{cronjob_controllerv2.go,utils.go} (v1.34): `syncCronJob`,
//! `mostRecentScheduleTime`, `getJobFromTemplate2`, `cleanupFinishedJobs`. Schedules come from
//! `machinery::cron` (robfig/cron v3), in `spec.timeZone` (or a `TZ=` prefix), else UTC.
//!
//! Difference in write order: upstream records the new Job in `status.active` from the create
//! call's answer; here the create cannot hand back the uid, so `lastScheduleTime` is written
//! with the create and the Job joins `status.active` on the sync its creation triggers.

use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::cron::{self, Schedule, tz::Zone, tz::ZonedTime};

use super::kind_of;
use super::plan::{EventRecord, Plan, SyncError, Write};
use super::replicaset::controller_uid;
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::events::object_reference;
use crate::apiserver::{ListOptions, Store};
use crate::time::{SimDuration, SimTime};

/// `batch.kubernetes.io/cronjob-scheduled-timestamp`, set on each Job.
pub const SCHEDULED_TIMESTAMP_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/// The runner's handle on the CronJob controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct CronJobController;

/// What `sync_cron_job` reads: the Jobs of the CronJob's namespace.
#[derive(Debug, Clone, Default)]
pub struct CronJobView {
    pub jobs: Vec<Arc<Object>>,
}

impl Reconciler for CronJobController {
    fn name(&self) -> &'static str {
        "cronjob-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<batchv1::CronJob>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<batchv1::Job>()]
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(Plan::none());
        };
        let Object::CronJob(cj) = &*obj else {
            return Ok(Plan::none());
        };
        let jobs = store
            .list(
                kind_of::<batchv1::Job>(),
                key.namespace.as_deref(),
                &ListOptions::default(),
            )
            .map_err(|e| SyncError::Transient(e.to_string()))?
            .items;
        sync_cron_job(cj, &CronJobView { jobs }, now)
    }
}

/// Mirrors syncCronJob.
///
/// # Errors
/// Permanent for an unparseable schedule or unknown time zone (after a Warning event).
pub fn sync_cron_job(
    cj: &batchv1::CronJob,
    view: &CronJobView,
    now: SimTime,
) -> Result<Plan, SyncError> {
    let mut plan = Plan::none();
    let cj_obj = Object::CronJob(cj.clone());
    let uid = cj.metadata.uid.clone().unwrap_or_default();
    let spec = cj.spec.clone().unwrap_or_default();
    let old = cj.status.clone().unwrap_or_default();
    let mut status = old.clone();

    let mut jobs: Vec<&batchv1::Job> = view
        .jobs
        .iter()
        .filter_map(|o| match &**o {
            Object::Job(j) if controller_uid(&j.metadata) == Some(uid.as_str()) => Some(j),
            _ => None,
        })
        .collect();
    machinery::sort::sort_by(&mut jobs, |a, b| a.metadata.name.cmp(&b.metadata.name));

    // Reconcile status.active with the Jobs that exist.
    let mut active: Vec<corev1::ObjectReference> = Vec::new();
    for j in &jobs {
        let name = j.metadata.name.clone().unwrap_or_default();
        let listed = old.active.iter().flatten().any(|r| r.uid == j.metadata.uid);
        match super::job::finished_condition(j) {
            None => active.push(object_reference(&Object::Job((*j).clone()))),
            Some(c) if listed => {
                plan.event(EventRecord::normal(
                    &cj_obj,
                    "SawCompletedJob",
                    format!("Saw completed job: {name}, condition: {}", c.type_),
                ));
                if c.type_ == "Complete" {
                    let done = j.status.as_ref().and_then(|s| s.completion_time.clone());
                    if done.is_some() && later(&done, &status.last_successful_time) {
                        status.last_successful_time = done;
                    }
                }
            }
            Some(_) => {}
        }
    }
    status.active = (!active.is_empty()).then_some(active);

    if cj.metadata.deletion_timestamp.is_some() {
        write_status(cj, &old, status, &mut plan);
        return Ok(plan);
    }

    let zone = match spec.time_zone.as_deref() {
        Some(tz) => match cron::tz::Zone::load(tz) {
            Ok(z) => Some(z),
            Err(_) => {
                plan.event(EventRecord::warning(
                    &cj_obj,
                    "UnknownTimeZone",
                    format!("invalid timeZone: {tz:?}: unknown time zone {tz}"),
                ));
                return Ok(plan);
            }
        },
        None => None,
    };
    let schedule = match cron::parse_standard(&spec.schedule) {
        Ok(s) => s,
        Err(e) => {
            plan.event(EventRecord::warning(
                &cj_obj,
                "UnparseableSchedule",
                format!("unparseable schedule: {:?} : {e}", spec.schedule),
            ));
            return Ok(plan);
        }
    };
    let zone = zone.or(schedule.time_zone()).unwrap_or(Zone::Utc);

    if spec.suspend == Some(true) {
        write_status(cj, &old, status, &mut plan);
        return Ok(plan);
    }

    let now_s = now.unix_millis().div_euclid(1000);
    let (scheduled, missed) = most_recent_schedule_time(cj, &schedule, zone, now_s);
    if missed > 100 {
        plan.event(EventRecord::warning(
            &cj_obj,
            "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
        ));
    }
    requeue_next(&schedule, zone, now, &mut plan);
    let Some(scheduled) = scheduled else {
        write_status(cj, &old, status, &mut plan);
        return Ok(plan);
    };

    if let Some(sds) = spec.starting_deadline_seconds
        && scheduled + sds < now_s
    {
        let t = k8s_openapi::jiff::Timestamp::from_second(scheduled)
            .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH);
        plan.event(EventRecord::warning(
            &cj_obj,
            "MissSchedule",
            format!(
                "Missed scheduled time to start a job: {}",
                t.strftime("%a, %d %b %Y %H:%M:%S %z")
            ),
        ));
        write_status(cj, &old, status, &mut plan);
        return Ok(plan);
    }

    let job_name = format!(
        "{}-{}",
        cj.metadata.name.clone().unwrap_or_default(),
        scheduled.div_euclid(60)
    );
    let already = jobs
        .iter()
        .any(|j| j.metadata.name.as_deref() == Some(job_name.as_str()))
        || old
            .last_schedule_time
            .as_ref()
            .is_some_and(|t| t.0.as_second() >= scheduled);
    if !already {
        let running = status.active.as_ref().map_or(0, Vec::len);
        match spec.concurrency_policy.as_deref().unwrap_or("Allow") {
            "Forbid" if running > 0 => {
                plan.event(EventRecord::normal(
                    &cj_obj,
                    "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid",
                ));
                write_status(cj, &old, status, &mut plan);
                return Ok(plan);
            }
            "Replace" => {
                for r in status.active.take().unwrap_or_default() {
                    let name = r.name.clone().unwrap_or_default();
                    delete_job(
                        &cj_obj,
                        r.namespace.clone(),
                        &name,
                        r.uid.clone(),
                        &mut plan,
                    );
                }
            }
            _ => {}
        }
        let job = job_from_template(cj, &job_name, ZonedTime::new(scheduled, zone));
        plan.push(Write::create(Object::Job(job)));
        plan.event(EventRecord::normal(
            &cj_obj,
            "SuccessfulCreate",
            format!("Created job {job_name}"),
        ));
        status.last_schedule_time = Some(metav1::Time(
            k8s_openapi::jiff::Timestamp::from_second(scheduled)
                .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH),
        ));
    }

    cleanup_finished_jobs(cj, &cj_obj, &jobs, &mut plan);
    write_status(cj, &old, status, &mut plan);
    Ok(plan)
}

/// Mirrors mostRecentScheduleTime: the latest activation at or before `now_s` after the last
/// schedule (or creation, or the starting deadline), and how many were missed.
pub fn most_recent_schedule_time(
    cj: &batchv1::CronJob,
    schedule: &Schedule,
    zone: Zone,
    now_s: i64,
) -> (Option<i64>, u32) {
    let created = cj
        .metadata
        .creation_timestamp
        .as_ref()
        .map_or(0, |t| t.0.as_second());
    let mut earliest = cj
        .status
        .as_ref()
        .and_then(|s| s.last_schedule_time.as_ref())
        .map_or(created, |t| t.0.as_second());
    if let Some(sds) = cj.spec.as_ref().and_then(|s| s.starting_deadline_seconds) {
        earliest = earliest.max(now_s - sds);
    }
    let mut t = ZonedTime::new(earliest, zone);
    let (mut last, mut count) = (None, 0u32);
    while let Some(next) = schedule.next(t) {
        if next.unix > now_s {
            break;
        }
        last = Some(next.unix);
        count = count.saturating_add(1);
        t = next;
        if count > 100_000 {
            break;
        }
    }
    (last, count)
}

/// Mirrors getJobFromTemplate2: labels and annotations from `jobTemplate`, the scheduled
/// timestamp annotation, a controller reference, and `<cronjob>-<unix minutes>` as name.
pub fn job_from_template(cj: &batchv1::CronJob, name: &str, scheduled: ZonedTime) -> batchv1::Job {
    let template = cj
        .spec
        .as_ref()
        .map(|s| s.job_template.clone())
        .unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    let mut annotations = tmeta.annotations.unwrap_or_default();
    annotations.insert(
        SCHEDULED_TIMESTAMP_ANNOTATION.into(),
        scheduled.to_rfc3339(),
    );
    batchv1::Job {
        metadata: metav1::ObjectMeta {
            name: Some(name.into()),
            namespace: cj.metadata.namespace.clone(),
            labels: tmeta.labels,
            annotations: Some(annotations),
            owner_references: Some(vec![metav1::OwnerReference {
                api_version: "batch/v1".into(),
                kind: "CronJob".into(),
                name: cj.metadata.name.clone().unwrap_or_default(),
                uid: cj.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    }
}

/// Mirrors cleanupFinishedJobs: keeps the newest `successfulJobsHistoryLimit` (default 3)
/// completed and `failedJobsHistoryLimit` (default 1) failed Jobs.
fn cleanup_finished_jobs(
    cj: &batchv1::CronJob,
    cj_obj: &Object,
    jobs: &[&batchv1::Job],
    plan: &mut Plan,
) {
    let spec = cj.spec.as_ref();
    for (kind, limit) in [
        (
            "Complete",
            spec.and_then(|s| s.successful_jobs_history_limit)
                .unwrap_or(3),
        ),
        (
            "Failed",
            spec.and_then(|s| s.failed_jobs_history_limit).unwrap_or(1),
        ),
    ] {
        let mut done: Vec<&&batchv1::Job> = jobs
            .iter()
            .filter(|j| {
                j.metadata.deletion_timestamp.is_none()
                    && super::job::finished_condition(j).is_some_and(|c| c.type_ == kind)
            })
            .collect();
        let excess = done.len().saturating_sub(limit.max(0) as usize);
        // Oldest first: by start time, then name.
        machinery::sort::sort_by_key(&mut done, |j| {
            (
                j.status
                    .as_ref()
                    .and_then(|s| s.start_time.as_ref())
                    .map_or(0, |t| t.0.as_millisecond()),
                j.metadata.name.clone(),
            )
        });
        for j in done.into_iter().take(excess) {
            let name = j.metadata.name.clone().unwrap_or_default();
            delete_job(
                cj_obj,
                j.metadata.namespace.clone(),
                &name,
                j.metadata.uid.clone(),
                plan,
            );
        }
    }
}

fn delete_job(
    cj_obj: &Object,
    namespace: Option<String>,
    name: &str,
    uid: Option<String>,
    plan: &mut Plan,
) {
    plan.push(Write::Delete {
        kind: kind_of::<batchv1::Job>(),
        namespace,
        name: name.into(),
        uid,
        grace_period_seconds: None,
    });
    plan.event(EventRecord::normal(
        cj_obj,
        "SuccessfulDelete",
        format!("Deleted job {name}"),
    ));
}

/// Look again at the next activation (plus upstream's 100 ms slack).
fn requeue_next(schedule: &Schedule, zone: Zone, now: SimTime, plan: &mut Plan) {
    let now_ms = now.unix_millis();
    if let Some(next) = schedule.next(ZonedTime::new(now_ms.div_euclid(1000), zone)) {
        let wait = next.unix * 1000 - now_ms + 100;
        plan.requeue_after(SimDuration::from_millis(wait.max(1) as u64));
    }
}

fn later(a: &Option<metav1::Time>, b: &Option<metav1::Time>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.0 > b.0,
        (Some(_), None) => true,
        _ => false,
    }
}

fn write_status(
    cj: &batchv1::CronJob,
    old: &batchv1::CronJobStatus,
    status: batchv1::CronJobStatus,
    plan: &mut Plan,
) {
    if &status != old {
        let mut c = cj.clone();
        c.status = Some(status);
        plan.push(Write::UpdateStatus(Object::CronJob(c)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::testutil::{apply, cluster, events};
    use crate::sim::Cluster;

    fn cron_yaml(extra: &str, script: &str) -> String {
        format!(
            r#"
apiVersion: batch/v1
kind: CronJob
metadata: {{name: hello, namespace: default}}
spec:
  schedule: "*/1 * * * *"
{extra}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{{name: c, image: busybox, command: [sh, -c, "{script}"]}}]
"#
        )
    }

    fn job_names(c: &Cluster) -> Vec<String> {
        c.list(kind_of::<batchv1::Job>(), Some("default"))
            .iter()
            .filter(|o| o.meta().deletion_timestamp.is_none())
            .map(|o| o.name().to_string())
            .collect()
    }

    fn cron_status(c: &Cluster) -> batchv1::CronJobStatus {
        let o = c
            .store()
            .get(kind_of::<batchv1::CronJob>(), Some("default"), "hello")
            .expect("cronjob");
        match &*o {
            Object::CronJob(cj) => cj.status.clone().unwrap_or_default(),
            _ => unreachable!(),
        }
    }

    /// The simulation starts at 2026-01-01T00:00:00Z = 29_453_760 Unix minutes.
    const T0_MIN: i64 = 29_453_760;

    #[test]
    fn creates_a_job_per_minute_and_keeps_history() {
        let mut c = cluster(1);
        apply(
            &mut c,
            &cron_yaml("  successfulJobsHistoryLimit: 2", "true"),
        );
        c.advance(SimDuration::from_secs(4 * 60 + 30));
        // Jobs for minutes 1..4; at the 00:04 sync, 1..3 had completed and the oldest went
        // beyond the limit of 2 (the 00:04 Job completes later; cleanup runs on the next sync).
        let names = job_names(&c);
        let want: Vec<String> = (2..=4).map(|m| format!("hello-{}", T0_MIN + m)).collect();
        assert_eq!(names, want);
        let ev = events(&c, "CronJob", "hello");
        let want_first = (
            "SuccessfulCreate".to_string(),
            format!("Created job hello-{}", T0_MIN + 1),
        );
        assert_eq!(ev.first(), Some(&want_first), "{ev:?}");
        assert!(
            ev.contains(&(
                "SawCompletedJob".into(),
                format!(
                    "Saw completed job: hello-{}, condition: Complete",
                    T0_MIN + 1
                )
            )),
            "{ev:?}"
        );
        assert!(
            ev.contains(&(
                "SuccessfulDelete".into(),
                format!("Deleted job hello-{}", T0_MIN + 1)
            )),
            "{ev:?}"
        );
        let st = cron_status(&c);
        assert_eq!(
            st.last_schedule_time.map(|t| t.0.to_string()),
            Some("2026-01-01T00:04:00Z".into())
        );
        assert!(st.last_successful_time.is_some());
        // The Job carries the scheduled timestamp.
        let j = c
            .store()
            .get(
                kind_of::<batchv1::Job>(),
                Some("default"),
                &format!("hello-{}", T0_MIN + 4),
            )
            .expect("job");
        assert_eq!(
            j.meta()
                .annotations
                .as_ref()
                .and_then(|a| a.get(SCHEDULED_TIMESTAMP_ANNOTATION))
                .map(String::as_str),
            Some("2026-01-01T00:04:00Z")
        );
    }

    #[test]
    fn forbid_skips_while_a_job_runs() {
        let mut c = cluster(2);
        apply(
            &mut c,
            &cron_yaml("  concurrencyPolicy: Forbid", "sleep 150"),
        );
        c.advance(SimDuration::from_secs(150));
        assert_eq!(job_names(&c), [format!("hello-{}", T0_MIN + 1)]);
        assert_eq!(cron_status(&c).active.map(|a| a.len()), Some(1));
        let ev = events(&c, "CronJob", "hello");
        assert!(ev.contains(&(
            "JobAlreadyActive".into(),
            "Not starting job because prior execution is running and concurrency policy is Forbid".into()
        )), "{ev:?}");
    }

    #[test]
    fn replace_deletes_the_running_job() {
        let mut c = cluster(3);
        apply(
            &mut c,
            &cron_yaml("  concurrencyPolicy: Replace", "sleep 600"),
        );
        c.advance(SimDuration::from_secs(130));
        assert_eq!(job_names(&c), [format!("hello-{}", T0_MIN + 2)]);
        let ev = events(&c, "CronJob", "hello");
        assert!(
            ev.contains(&(
                "SuccessfulDelete".into(),
                format!("Deleted job hello-{}", T0_MIN + 1)
            )),
            "{ev:?}"
        );
    }

    #[test]
    fn suspended_creates_nothing_and_deadline_skips_missed_runs() {
        let mut c = cluster(4);
        apply(
            &mut c,
            &cron_yaml("  suspend: true\n  startingDeadlineSeconds: 10", "true"),
        );
        c.advance(SimDuration::from_secs(200));
        assert!(job_names(&c).is_empty());
        // Resumed at 00:03:20: the 00:03 run is 20 s late, past its 10 s deadline.
        let o = c
            .store()
            .get(kind_of::<batchv1::CronJob>(), Some("default"), "hello")
            .expect("cronjob");
        let Object::CronJob(mut cj) = (*o).clone() else {
            unreachable!()
        };
        cj.spec.as_mut().expect("spec").suspend = Some(false);
        c.store_mut()
            .update(
                Some("default"),
                Object::CronJob(cj),
                &crate::apiserver::UpdateOptions::default(),
            )
            .expect("update");
        c.settle();
        c.advance(SimDuration::from_secs(1));
        assert!(job_names(&c).is_empty());
        c.advance(SimDuration::from_secs(60));
        assert_eq!(job_names(&c), [format!("hello-{}", T0_MIN + 4)]);
    }
}
