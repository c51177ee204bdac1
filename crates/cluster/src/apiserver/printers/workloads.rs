//! Workload tables: replication controllers, replica sets, deployments, daemon sets,
//! stateful sets, jobs, cron jobs, pod templates and controller revisions.
//!
//! Mirrors the matching `print*` functions of pkg/printers/internalversion/printers.go
//! @kubernetes-1.34, including the Job STATUS and CronJob TIMEZONE columns of that release.

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::{Metadata, Resource};

use super::{
    Cell, Column, PrintOptions, Row, age, col, format_label_selector, format_labels, int_col, wide,
};
use crate::time::SimTime;

pub const RC_COLUMNS: &[Column] = &[
    col("Name"),
    int_col("Desired"),
    int_col("Current"),
    int_col("Ready"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
pub const RS_COLUMNS: &[Column] = RC_COLUMNS;
pub const DEPLOYMENT_COLUMNS: &[Column] = &[
    col("Name"),
    col("Ready"),
    int_col("Up-to-date"),
    int_col("Available"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
pub const DAEMONSET_COLUMNS: &[Column] = &[
    col("Name"),
    int_col("Desired"),
    int_col("Current"),
    int_col("Ready"),
    int_col("Up-to-date"),
    int_col("Available"),
    col("Node Selector"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
pub const STATEFULSET_COLUMNS: &[Column] = &[
    col("Name"),
    col("Ready"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
];
pub const JOB_COLUMNS: &[Column] = &[
    col("Name"),
    col("Status"),
    col("Completions"),
    col("Duration"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
pub const CRONJOB_COLUMNS: &[Column] = &[
    col("Name"),
    col("Schedule"),
    col("Timezone"),
    col("Suspend"),
    int_col("Active"),
    col("Last Schedule"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
pub const PODTEMPLATE_COLUMNS: &[Column] = &[
    col("Name"),
    col("Containers"),
    col("Images"),
    col("Pod Labels"),
];
pub const CONTROLLERREVISION_COLUMNS: &[Column] = &[
    col("Name"),
    col("Controller"),
    int_col("Revision"),
    col("Age"),
];

/// The row's object reference for a typed object.
pub(crate) fn object_ref_of<T: Resource + Metadata<Ty = metav1::ObjectMeta>>(
    o: &T,
) -> api::ObjectRef {
    let info = api::by_gvk(T::API_VERSION, T::KIND);
    let m = o.metadata();
    api::ObjectRef {
        resource: info.map_or("", |i| i.plural),
        group: info.map_or("", |i| i.group),
        namespace: m.namespace.clone(),
        name: m.name.clone().unwrap_or_default(),
    }
}

pub(crate) fn row<T: Resource + Metadata<Ty = metav1::ObjectMeta>>(o: &T, cells: Vec<Cell>) -> Row {
    Row {
        cells,
        object: object_ref_of(o),
    }
}

pub(crate) fn name_of(m: &metav1::ObjectMeta) -> Cell {
    m.name.clone().unwrap_or_default().into()
}

/// Mirrors layoutContainerCells: container names and images, comma-joined.
pub(crate) fn container_cells(spec: Option<&corev1::PodSpec>) -> [Cell; 2] {
    let cs = spec.map(|s| s.containers.as_slice()).unwrap_or(&[]);
    let names: Vec<&str> = cs.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = cs
        .iter()
        .map(|c| c.image.as_deref().unwrap_or(""))
        .collect();
    [names.join(",").into(), images.join(",").into()]
}

fn template_spec(t: Option<&corev1::PodTemplateSpec>) -> Option<&corev1::PodSpec> {
    t.and_then(|t| t.spec.as_ref())
}

/// Mirrors printReplicationController.
pub fn print_replication_controller(
    rc: &corev1::ReplicationController,
    opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let spec = rc.spec.as_ref();
    let status = rc.status.as_ref();
    let mut cells = vec![
        name_of(&rc.metadata),
        spec.and_then(|s| s.replicas).unwrap_or(0).into(),
        status.map_or(0, |s| s.replicas).into(),
        status.and_then(|s| s.ready_replicas).unwrap_or(0).into(),
        age(rc.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.extend(container_cells(template_spec(
            spec.and_then(|s| s.template.as_ref()),
        )));
        cells.push(format_labels(spec.and_then(|s| s.selector.as_ref())).into());
    }
    row(rc, cells)
}

/// Mirrors printReplicaSet.
pub fn print_replica_set(rs: &appsv1::ReplicaSet, opts: &PrintOptions, now: SimTime) -> Row {
    let spec = rs.spec.as_ref();
    let status = rs.status.as_ref();
    let mut cells = vec![
        name_of(&rs.metadata),
        spec.and_then(|s| s.replicas).unwrap_or(0).into(),
        status.map_or(0, |s| s.replicas).into(),
        status.and_then(|s| s.ready_replicas).unwrap_or(0).into(),
        age(rs.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.extend(container_cells(template_spec(
            spec.and_then(|s| s.template.as_ref()),
        )));
        cells.push(format_label_selector(spec.map(|s| &s.selector)).into());
    }
    row(rs, cells)
}

/// Mirrors printDeployment (SELECTOR is the plain selector string, `<invalid>` on error).
pub fn print_deployment(d: &appsv1::Deployment, opts: &PrintOptions, now: SimTime) -> Row {
    let spec = d.spec.as_ref();
    let status = d.status.as_ref();
    let desired = spec.and_then(|s| s.replicas).unwrap_or(0);
    let ready = status.and_then(|s| s.ready_replicas).unwrap_or(0);
    let mut cells = vec![
        name_of(&d.metadata),
        format!("{ready}/{desired}").into(),
        status.and_then(|s| s.updated_replicas).unwrap_or(0).into(),
        status
            .and_then(|s| s.available_replicas)
            .unwrap_or(0)
            .into(),
        age(d.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.extend(container_cells(spec.and_then(|s| s.template.spec.as_ref())));
        let selector = match spec.map(|s| api::selectors::label_selector_to_selector(&s.selector)) {
            Some(Ok(sel)) => sel.to_string(),
            Some(Err(_)) => "<invalid>".into(),
            None => String::new(),
        };
        cells.push(selector.into());
    }
    row(d, cells)
}

/// Mirrors printDaemonSet.
pub fn print_daemon_set(ds: &appsv1::DaemonSet, opts: &PrintOptions, now: SimTime) -> Row {
    let spec = ds.spec.as_ref();
    let st = ds.status.clone().unwrap_or_default();
    let tspec = spec.and_then(|s| s.template.spec.as_ref());
    let mut cells = vec![
        name_of(&ds.metadata),
        st.desired_number_scheduled.into(),
        st.current_number_scheduled.into(),
        st.number_ready.into(),
        st.updated_number_scheduled.unwrap_or(0).into(),
        st.number_available.unwrap_or(0).into(),
        format_labels(tspec.and_then(|s| s.node_selector.as_ref())).into(),
        age(ds.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.extend(container_cells(tspec));
        cells.push(format_label_selector(spec.map(|s| &s.selector)).into());
    }
    row(ds, cells)
}

/// Mirrors printStatefulSet.
pub fn print_stateful_set(sts: &appsv1::StatefulSet, opts: &PrintOptions, now: SimTime) -> Row {
    let spec = sts.spec.as_ref();
    let ready = sts
        .status
        .as_ref()
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0);
    let desired = spec.and_then(|s| s.replicas).unwrap_or(0);
    let mut cells = vec![
        name_of(&sts.metadata),
        format!("{ready}/{desired}").into(),
        age(sts.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.extend(container_cells(spec.and_then(|s| s.template.spec.as_ref())));
    }
    row(sts, cells)
}

/// Mirrors printJob, with the v1.34 STATUS column.
pub fn print_job(job: &batchv1::Job, opts: &PrintOptions, now: SimTime) -> Row {
    let spec = job.spec.as_ref();
    let status = job.status.as_ref();
    let succeeded = status.and_then(|s| s.succeeded).unwrap_or(0);
    let completions = match (
        spec.and_then(|s| s.completions),
        spec.and_then(|s| s.parallelism),
    ) {
        (Some(c), _) => format!("{succeeded}/{c}"),
        (None, Some(p)) if p > 1 => format!("{succeeded}/1 of {p}"),
        _ => format!("{succeeded}/1"),
    };
    let start = status.and_then(|s| s.start_time.as_ref());
    let duration = match (start, status.and_then(|s| s.completion_time.as_ref())) {
        (None, _) => String::new(),
        (Some(s), None) => age(Some(s), now),
        (Some(s), Some(c)) => {
            machinery::duration::human_duration_ms(c.0.as_millisecond() - s.0.as_millisecond())
        }
    };
    let has = |t: &str| {
        status
            .and_then(|s| s.conditions.as_ref())
            .into_iter()
            .flatten()
            .any(|c| c.type_ == t && c.status == "True")
    };
    let state = if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if job.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else if has("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    };
    let mut cells = vec![
        name_of(&job.metadata),
        state.into(),
        completions.into(),
        duration.into(),
        age(job.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.extend(container_cells(spec.and_then(|s| s.template.spec.as_ref())));
        cells.push(format_label_selector(spec.and_then(|s| s.selector.as_ref())).into());
    }
    row(job, cells)
}

/// Mirrors printCronJob, with the TIMEZONE column.
pub fn print_cron_job(cj: &batchv1::CronJob, opts: &PrintOptions, now: SimTime) -> Row {
    let spec = cj.spec.as_ref();
    let status = cj.status.as_ref();
    let suspend = match spec.and_then(|s| s.suspend) {
        None => "<unset>",
        Some(true) => "True",
        Some(false) => "False",
    };
    let last = match status.and_then(|s| s.last_schedule_time.as_ref()) {
        Some(t) => age(Some(t), now),
        None => "<none>".into(),
    };
    let job_spec = spec.and_then(|s| s.job_template.spec.as_ref());
    let mut cells = vec![
        name_of(&cj.metadata),
        spec.map(|s| s.schedule.clone()).unwrap_or_default().into(),
        spec.and_then(|s| s.time_zone.clone())
            .unwrap_or_else(|| "<none>".into())
            .into(),
        suspend.into(),
        (status.and_then(|s| s.active.as_ref()).map_or(0, Vec::len) as i64).into(),
        last.into(),
        age(cj.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        cells.extend(container_cells(
            job_spec.and_then(|s| s.template.spec.as_ref()),
        ));
        cells.push(format_label_selector(job_spec.and_then(|s| s.selector.as_ref())).into());
    }
    row(cj, cells)
}

/// Mirrors printPodTemplate.
pub fn print_pod_template(t: &corev1::PodTemplate, _opts: &PrintOptions, _now: SimTime) -> Row {
    let tmpl = t.template.as_ref();
    let [names, images] = container_cells(tmpl.and_then(|t| t.spec.as_ref()));
    let labels = format_labels(
        tmpl.and_then(|t| t.metadata.as_ref())
            .and_then(|m| m.labels.as_ref()),
    );
    row(t, vec![name_of(&t.metadata), names, images, labels.into()])
}

/// Mirrors printControllerRevision: CONTROLLER is `kind[.group]/name` of the controller.
pub fn print_controller_revision(
    cr: &appsv1::ControllerRevision,
    _opts: &PrintOptions,
    now: SimTime,
) -> Row {
    let controller = cr
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| {
            let group = r.api_version.split_once('/').map_or("", |(g, _)| g);
            let kind = if group.is_empty() {
                r.kind.clone()
            } else {
                format!("{}.{group}", r.kind)
            };
            format!("{}/{}", kind.to_lowercase(), r.name)
        })
        .unwrap_or_else(|| "<none>".into());
    row(
        cr,
        vec![
            name_of(&cr.metadata),
            controller.into(),
            cr.revision.into(),
            age(cr.metadata.creation_timestamp.as_ref(), now).into(),
        ],
    )
}
