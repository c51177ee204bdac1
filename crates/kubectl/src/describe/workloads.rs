//! ReplicationController, ReplicaSet, Deployment, DaemonSet, StatefulSet, Job and CronJob.
//!
//! Mirrors describe.go `describeReplicationController`, `describeReplicaSet`,
//! `describeDeployment`, `describeDaemonSet`, `describeStatefulSet`, `describeJob`,
//! `describeCronJob` and `getPodStatusForController` (v1.34).

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use machinery::labels::Selector;

use super::writer::{self, LEVEL_0, LEVEL_1, PrefixWriter, time_text, w};
use super::{Describe, pod};

/// Pods of a controller by phase: (running, waiting, succeeded, failed).
fn pod_status(
    d: &Describe<'_, '_>,
    ns: Option<&str>,
    selector: &Selector,
    uid: Option<&str>,
) -> (usize, usize, usize, usize) {
    let mut counts = (0, 0, 0, 0);
    for o in d.list("Pod", "v1", ns) {
        let Object::Pod(p) = &*o else { continue };
        if !selector.matches(p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new())) {
            continue;
        }
        let owned = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .any(|r| r.controller == Some(true) && Some(r.uid.as_str()) == uid);
        if !owned {
            continue;
        }
        match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Running") => counts.0 += 1,
            Some("Pending") => counts.1 += 1,
            Some("Succeeded") => counts.2 += 1,
            Some("Failed") => counts.3 += 1,
            _ => {}
        }
    }
    counts
}

fn selector_of(sel: Option<&metav1::LabelSelector>) -> Selector {
    sel.and_then(|s| api::selectors::label_selector_to_selector(s).ok())
        .unwrap_or_else(Selector::nothing)
}

fn pods_status_line(w: &mut PrefixWriter, c: (usize, usize, usize, usize)) {
    w!(
        w,
        LEVEL_0,
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
        c.0,
        c.1,
        c.2,
        c.3
    );
}

fn header(w: &mut PrefixWriter, meta: &metav1::ObjectMeta) {
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        meta.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        meta.namespace.as_deref().unwrap_or("")
    );
}

fn creation(w: &mut PrefixWriter, meta: &metav1::ObjectMeta) {
    w!(
        w,
        LEVEL_0,
        "CreationTimestamp:\t{}\n",
        meta.creation_timestamp
            .as_ref()
            .map_or_else(|| "Mon, 01 Jan 0001 00:00:00 +0000".to_string(), time_text)
    );
}

/// `Conditions:` table of RC/RS/Deployment: `Type \tStatus\tReason`.
fn conditions<'a>(w: &mut PrefixWriter, conds: impl Iterator<Item = (&'a str, &'a str, &'a str)>) {
    let conds: Vec<_> = conds.collect();
    if conds.is_empty() {
        return;
    }
    w!(w, LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n");
    w!(w, LEVEL_1, "----\t------\t------\n");
    for (t, s, r) in conds {
        w!(w, LEVEL_1, "{t} \t{s}\t{r}\n");
    }
}

pub fn replication_controller(rc: &corev1::ReplicationController, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = rc.spec.clone().unwrap_or_default();
    let status = rc.status.clone().unwrap_or_default();
    header(&mut w, &rc.metadata);
    w!(
        w,
        LEVEL_0,
        "Selector:\t{}\n",
        writer::format_labels(spec.selector.as_ref())
    );
    writer::labels(&mut w, "Labels", rc.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", rc.metadata.annotations.as_ref());
    w!(
        w,
        LEVEL_0,
        "Replicas:\t{} current / {} desired\n",
        status.replicas,
        spec.replicas.unwrap_or(1)
    );
    let sel = Selector::from_set(&spec.selector.clone().unwrap_or_default());
    let counts = pod_status(
        d,
        rc.metadata.namespace.as_deref(),
        &sel,
        rc.metadata.uid.as_deref(),
    );
    pods_status_line(&mut w, counts);
    pod::template(&mut w, &spec.template.clone().unwrap_or_default());
    conditions(
        &mut w,
        status.conditions.iter().flatten().map(|c| {
            (
                c.type_.as_str(),
                c.status.as_str(),
                c.reason.as_deref().unwrap_or(""),
            )
        }),
    );
    d.maybe_events(&mut w, &Object::ReplicationController(rc.clone()));
    w.finish()
}

pub fn replica_set(rs: &appsv1::ReplicaSet, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = rs.spec.clone().unwrap_or_default();
    let status = rs.status.clone().unwrap_or_default();
    header(&mut w, &rs.metadata);
    w!(
        w,
        LEVEL_0,
        "Selector:\t{}\n",
        writer::format_label_selector(Some(&spec.selector))
    );
    writer::labels(&mut w, "Labels", rs.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", rs.metadata.annotations.as_ref());
    if let Some(c) = writer::controller_of(&rs.metadata) {
        w!(w, LEVEL_0, "Controlled By:\t{c}\n");
    }
    w!(
        w,
        LEVEL_0,
        "Replicas:\t{} current / {} desired\n",
        status.replicas,
        spec.replicas.unwrap_or(1)
    );
    let sel = selector_of(Some(&spec.selector));
    let counts = pod_status(
        d,
        rs.metadata.namespace.as_deref(),
        &sel,
        rs.metadata.uid.as_deref(),
    );
    pods_status_line(&mut w, counts);
    pod::template(&mut w, &spec.template.clone().unwrap_or_default());
    conditions(
        &mut w,
        status.conditions.iter().flatten().map(|c| {
            (
                c.type_.as_str(),
                c.status.as_str(),
                c.reason.as_deref().unwrap_or(""),
            )
        }),
    );
    d.maybe_events(&mut w, &Object::ReplicaSet(rs.clone()));
    w.finish()
}

fn int_or_string(v: Option<&IntOrString>) -> String {
    match v {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "0".into(),
    }
}

pub fn deployment(dep: &appsv1::Deployment, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = dep.spec.clone().unwrap_or_default();
    let status = dep.status.clone().unwrap_or_default();
    header(&mut w, &dep.metadata);
    creation(&mut w, &dep.metadata);
    writer::labels(&mut w, "Labels", dep.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", dep.metadata.annotations.as_ref());
    w!(
        w,
        LEVEL_0,
        "Selector:\t{}\n",
        writer::selector_string(Some(&spec.selector))
    );
    w!(
        w,
        LEVEL_0,
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
        spec.replicas.unwrap_or(1),
        status.updated_replicas.unwrap_or(0),
        status.replicas.unwrap_or(0),
        status.available_replicas.unwrap_or(0),
        status.unavailable_replicas.unwrap_or(0)
    );
    let strategy = spec.strategy.clone().unwrap_or_default();
    w!(
        w,
        LEVEL_0,
        "StrategyType:\t{}\n",
        strategy.type_.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "MinReadySeconds:\t{}\n",
        spec.min_ready_seconds.unwrap_or(0)
    );
    if let Some(ru) = &strategy.rolling_update {
        w!(
            w,
            LEVEL_0,
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            int_or_string(ru.max_unavailable.as_ref()),
            int_or_string(ru.max_surge.as_ref())
        );
    }
    pod::template(&mut w, &spec.template);
    conditions(
        &mut w,
        status.conditions.iter().flatten().map(|c| {
            (
                c.type_.as_str(),
                c.status.as_str(),
                c.reason.as_deref().unwrap_or(""),
            )
        }),
    );
    // deploymentutil.GetAllReplicaSets: the ReplicaSets this Deployment controls that match
    // its selector; the new one has its template.
    let sel = selector_of(Some(&spec.selector));
    let uid = dep.metadata.uid.clone().unwrap_or_default();
    let owned: Vec<appsv1::ReplicaSet> = d
        .list("ReplicaSet", "apps/v1", dep.metadata.namespace.as_deref())
        .iter()
        .filter_map(|o| match &**o {
            Object::ReplicaSet(rs) => Some(rs.clone()),
            _ => None,
        })
        .filter(|rs| sel.matches(rs.metadata.labels.as_ref().unwrap_or(&BTreeMap::new())))
        .filter(|rs| {
            rs.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|r| r.controller == Some(true) && r.uid == uid)
        })
        .collect();
    let new = cluster::controller::deployment::util::find_new_replica_set(dep, &owned);
    if !owned.is_empty() {
        let list = |rss: Vec<&appsv1::ReplicaSet>| {
            let s: Vec<String> = rss
                .iter()
                .map(|rs| {
                    format!(
                        "{} ({}/{} replicas created)",
                        rs.metadata.name.as_deref().unwrap_or(""),
                        rs.status.as_ref().map_or(0, |s| s.replicas),
                        rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
                    )
                })
                .collect();
            if s.is_empty() {
                "<none>".to_string()
            } else {
                s.join(", ")
            }
        };
        let old: Vec<&appsv1::ReplicaSet> = owned
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != new)
            .map(|(_, rs)| rs)
            .collect();
        w!(w, LEVEL_0, "OldReplicaSets:\t{}\n", list(old));
        w!(
            w,
            LEVEL_0,
            "NewReplicaSet:\t{}\n",
            list(new.map(|i| &owned[i]).into_iter().collect())
        );
    }
    d.maybe_events(&mut w, &Object::Deployment(dep.clone()));
    w.finish()
}

pub fn daemon_set(ds: &appsv1::DaemonSet, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = ds.spec.clone().unwrap_or_default();
    let status = ds.status.clone().unwrap_or_default();
    header(&mut w, &ds.metadata);
    w!(
        w,
        LEVEL_0,
        "Selector:\t{}\n",
        writer::selector_string(Some(&spec.selector))
    );
    w!(
        w,
        LEVEL_0,
        "Node-Selector:\t{}\n",
        writer::format_labels(
            spec.template
                .spec
                .as_ref()
                .and_then(|s| s.node_selector.as_ref())
        )
    );
    writer::labels(&mut w, "Labels", ds.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", ds.metadata.annotations.as_ref());
    w!(
        w,
        LEVEL_0,
        "Desired Number of Nodes Scheduled: {}\n",
        status.desired_number_scheduled
    );
    w!(
        w,
        LEVEL_0,
        "Current Number of Nodes Scheduled: {}\n",
        status.current_number_scheduled
    );
    w!(
        w,
        LEVEL_0,
        "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
        status.updated_number_scheduled.unwrap_or(0)
    );
    w!(
        w,
        LEVEL_0,
        "Number of Nodes Scheduled with Available Pods: {}\n",
        status.number_available.unwrap_or(0)
    );
    w!(
        w,
        LEVEL_0,
        "Number of Nodes Misscheduled: {}\n",
        status.number_misscheduled
    );
    let sel = selector_of(Some(&spec.selector));
    let counts = pod_status(
        d,
        ds.metadata.namespace.as_deref(),
        &sel,
        ds.metadata.uid.as_deref(),
    );
    pods_status_line(&mut w, counts);
    pod::template(&mut w, &spec.template);
    d.maybe_events(&mut w, &Object::DaemonSet(ds.clone()));
    w.finish()
}

pub fn stateful_set(ss: &appsv1::StatefulSet, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = ss.spec.clone().unwrap_or_default();
    let status = ss.status.clone().unwrap_or_default();
    header(&mut w, &ss.metadata);
    creation(&mut w, &ss.metadata);
    w!(
        w,
        LEVEL_0,
        "Selector:\t{}\n",
        writer::selector_string(Some(&spec.selector))
    );
    writer::labels(&mut w, "Labels", ss.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", ss.metadata.annotations.as_ref());
    w!(
        w,
        LEVEL_0,
        "Replicas:\t{} desired | {} total\n",
        spec.replicas.unwrap_or(1),
        status.replicas
    );
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    w!(
        w,
        LEVEL_0,
        "Update Strategy:\t{}\n",
        strategy.type_.as_deref().unwrap_or("")
    );
    if let Some(ru) = &strategy.rolling_update
        && let Some(p) = ru.partition
    {
        w!(w, LEVEL_1, "Partition:\t{p}\n");
        if let Some(mu) = &ru.max_unavailable {
            w!(w, LEVEL_1, "MaxUnavailable:\t{}\n", int_or_string(Some(mu)));
        }
    }
    let sel = selector_of(Some(&spec.selector));
    let counts = pod_status(
        d,
        ss.metadata.namespace.as_deref(),
        &sel,
        ss.metadata.uid.as_deref(),
    );
    pods_status_line(&mut w, counts);
    pod::template(&mut w, &spec.template);
    let templates = spec.volume_claim_templates.clone().unwrap_or_default();
    if templates.is_empty() {
        w!(w, LEVEL_0, "Volume Claims:\t<none>\n");
    } else {
        w!(w, LEVEL_0, "Volume Claims:\n");
        for pvc in &templates {
            let pspec = pvc.spec.clone().unwrap_or_default();
            w!(
                w,
                LEVEL_1,
                "Name:\t{}\n",
                pvc.metadata.name.as_deref().unwrap_or("")
            );
            w!(
                w,
                LEVEL_1,
                "StorageClass:\t{}\n",
                pspec.storage_class_name.as_deref().unwrap_or("")
            );
            writer::labels_multiline(&mut w, "  ", "Labels", "\t", pvc.metadata.labels.as_ref());
            writer::labels_multiline(
                &mut w,
                "  ",
                "Annotations",
                "\t",
                pvc.metadata.annotations.as_ref(),
            );
            let cap = pspec
                .resources
                .as_ref()
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
                .map_or_else(|| "<default>".to_string(), writer::quantity_text);
            w!(w, LEVEL_1, "Capacity:\t{cap}\n");
            w!(
                w,
                LEVEL_1,
                "Access Modes:\t{}\n",
                writer::go_slice(&pspec.access_modes.clone().unwrap_or_default())
            );
        }
    }
    d.maybe_events(&mut w, &Object::StatefulSet(ss.clone()));
    w.finish()
}

pub fn job(job: &batchv1::Job, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = job.spec.clone().unwrap_or_default();
    let status = job.status.clone().unwrap_or_default();
    header(&mut w, &job.metadata);
    w!(
        w,
        LEVEL_0,
        "Selector:\t{}\n",
        writer::selector_string(spec.selector.as_ref())
    );
    writer::labels(&mut w, "Labels", job.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", job.metadata.annotations.as_ref());
    if let Some(c) = writer::controller_of(&job.metadata) {
        w!(w, LEVEL_0, "Controlled By:\t{c}\n");
    }
    if let Some(p) = spec.parallelism {
        w!(w, LEVEL_0, "Parallelism:\t{p}\n");
    }
    match spec.completions {
        Some(c) => w!(w, LEVEL_0, "Completions:\t{c}\n"),
        None => w!(w, LEVEL_0, "Completions:\t<unset>\n"),
    }
    if let Some(m) = &spec.completion_mode {
        w!(w, LEVEL_0, "Completion Mode:\t{m}\n");
    }
    if let Some(s) = spec.suspend {
        w!(w, LEVEL_0, "Suspend:\t{s}\n");
    }
    if let Some(b) = spec.backoff_limit {
        w!(w, LEVEL_0, "Backoff Limit:\t{b}\n");
    }
    if let Some(t) = spec.ttl_seconds_after_finished {
        w!(w, LEVEL_0, "TTL Seconds After Finished:\t{t}\n");
    }
    if let Some(t) = &status.start_time {
        w!(w, LEVEL_0, "Start Time:\t{}\n", time_text(t));
    }
    if let Some(t) = &status.completion_time {
        w!(w, LEVEL_0, "Completed At:\t{}\n", time_text(t));
    }
    if let (Some(s), Some(c)) = (&status.start_time, &status.completion_time) {
        let ms = c.0.as_millisecond() - s.0.as_millisecond();
        w!(
            w,
            LEVEL_0,
            "Duration:\t{}\n",
            machinery::duration::human_duration_ms(ms)
        );
    }
    if let Some(a) = spec.active_deadline_seconds {
        w!(w, LEVEL_0, "Active Deadline Seconds:\t{a}s\n");
    }
    let (active, succeeded, failed) = (
        status.active.unwrap_or(0),
        status.succeeded.unwrap_or(0),
        status.failed.unwrap_or(0),
    );
    match status.ready {
        None => w!(
            w,
            LEVEL_0,
            "Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n"
        ),
        Some(r) => w!(
            w,
            LEVEL_0,
            "Pods Statuses:\t{active} Active ({r} Ready) / {succeeded} Succeeded / {failed} Failed\n"
        ),
    }
    if spec.completion_mode.as_deref() == Some("Indexed") {
        w!(
            w,
            LEVEL_0,
            "Completed Indexes:\t{}\n",
            cap_indexes(status.completed_indexes.as_deref().unwrap_or(""), 50)
        );
    }
    pod::template(&mut w, &spec.template);
    d.maybe_events(&mut w, &Object::Job(job.clone()));
    w.finish()
}

/// `capIndexesListOrNone`.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".into();
    }
    let bytes = indexes.as_bytes();
    let mut ix = soft_limit;
    while ix < bytes.len() && bytes[ix] != b',' {
        ix += 1;
    }
    if ix >= bytes.len() {
        indexes.to_string()
    } else {
        format!("{}...", &indexes[..=ix])
    }
}

pub fn cron_job(cj: &batchv1::CronJob, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = cj.spec.clone().unwrap_or_default();
    let status = cj.status.clone().unwrap_or_default();
    header(&mut w, &cj.metadata);
    writer::labels(&mut w, "Labels", cj.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", cj.metadata.annotations.as_ref());
    w!(w, LEVEL_0, "Schedule:\t{}\n", spec.schedule);
    w!(
        w,
        LEVEL_0,
        "Concurrency Policy:\t{}\n",
        spec.concurrency_policy.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Suspend:\t{}\n",
        writer::bool_ptr_text(spec.suspend)
    );
    let opt = |v: Option<i32>| v.map_or_else(|| "<unset>".to_string(), |v| v.to_string());
    w!(
        w,
        LEVEL_0,
        "Successful Job History Limit:\t{}\n",
        opt(spec.successful_jobs_history_limit)
    );
    w!(
        w,
        LEVEL_0,
        "Failed Job History Limit:\t{}\n",
        opt(spec.failed_jobs_history_limit)
    );
    match spec.starting_deadline_seconds {
        Some(s) => w!(w, LEVEL_0, "Starting Deadline Seconds:\t{s}s\n"),
        None => w!(w, LEVEL_0, "Starting Deadline Seconds:\t<unset>\n"),
    }
    let jt = spec.job_template.spec.clone().unwrap_or_default();
    match &jt.selector {
        Some(s) => w!(
            w,
            LEVEL_0,
            "Selector:\t{}\n",
            writer::selector_string(Some(s))
        ),
        None => w!(w, LEVEL_0, "Selector:\t<unset>\n"),
    }
    w!(w, LEVEL_0, "Parallelism:\t{}\n", opt(jt.parallelism));
    w!(w, LEVEL_0, "Completions:\t{}\n", opt(jt.completions));
    if let Some(a) = jt.active_deadline_seconds {
        w!(w, LEVEL_0, "Active Deadline Seconds:\t{a}s\n");
    }
    pod::template(&mut w, &jt.template);
    match &status.last_schedule_time {
        Some(t) => w!(w, LEVEL_0, "Last Schedule Time:\t{}\n", time_text(t)),
        None => w!(w, LEVEL_0, "Last Schedule Time:\t<unset>\n"),
    }
    w!(w, LEVEL_0, "Active Jobs:\t");
    let active: Vec<String> = status
        .active
        .iter()
        .flatten()
        .map(|r| r.name.clone().unwrap_or_default())
        .collect();
    if active.is_empty() {
        w.line("<none>");
    } else {
        w.line(&active.join(", "));
    }
    d.maybe_events(&mut w, &Object::CronJob(cj.clone()));
    w.finish()
}
