//! Workload, Job, CronJob and Service validation, and immutable fields on update.
//!
//! Mirrors pkg/apis/apps/validation/validation.go, pkg/apis/batch/validation/validation.go and
//! the Service parts of pkg/apis/core/validation/validation.go (v1.34). Not modeled yet:
//! StatefulSet volumeClaimTemplates, Service IP and
//! nodePort allocation checks (the cluster's allocator reports those). Where upstream prints a
//! whole Go struct as the bad value (an immutable Job template), kubelab prints the type name
//! only.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use machinery::validation as v;
use machinery::validation::field::{ErrorList, FieldError, quote};

use super::{job_policies, meta, pod};
use crate::object::Object;
use crate::selectors::label_selector_to_selector;

/// Mirrors `ValidateDeploymentSpec`.
pub fn deployment(d: &appsv1::Deployment, errs: &mut ErrorList) {
    let Some(spec) = d.spec.as_ref() else {
        errs.push(FieldError::required("spec.selector", ""));
        return;
    };
    non_negative(spec.replicas, "spec.replicas", errs);
    selector_and_template(
        Some(&spec.selector),
        Some(&spec.template),
        "deployment",
        true,
        errs,
    );
    if let Some(strategy) = spec.strategy.as_ref() {
        deployment_strategy(strategy, errs);
    }
    non_negative(spec.min_ready_seconds, "spec.minReadySeconds", errs);
    non_negative(
        spec.revision_history_limit,
        "spec.revisionHistoryLimit",
        errs,
    );
    if let Some(deadline) = spec.progress_deadline_seconds {
        non_negative(Some(deadline), "spec.progressDeadlineSeconds", errs);
        if deadline <= spec.min_ready_seconds.unwrap_or(0) {
            errs.push(FieldError::invalid(
                "spec.progressDeadlineSeconds",
                deadline.to_string(),
                "must be greater than minReadySeconds",
            ));
        }
    }
}

/// Mirrors `ValidateReplicaSetSpec`.
pub fn replica_set(rs: &appsv1::ReplicaSet, errs: &mut ErrorList) {
    let Some(spec) = rs.spec.as_ref() else {
        errs.push(FieldError::required("spec.selector", ""));
        return;
    };
    non_negative(spec.replicas, "spec.replicas", errs);
    non_negative(spec.min_ready_seconds, "spec.minReadySeconds", errs);
    selector_and_template(
        Some(&spec.selector),
        spec.template.as_ref(),
        "replicaset",
        true,
        errs,
    );
}

/// Mirrors `ValidateDaemonSetSpec`.
pub fn daemon_set(ds: &appsv1::DaemonSet, errs: &mut ErrorList) {
    let Some(spec) = ds.spec.as_ref() else {
        errs.push(FieldError::required("spec.selector", ""));
        return;
    };
    selector_and_template(
        Some(&spec.selector),
        Some(&spec.template),
        "daemonset",
        true,
        errs,
    );
    non_negative(spec.min_ready_seconds, "spec.minReadySeconds", errs);
    non_negative(
        spec.revision_history_limit,
        "spec.revisionHistoryLimit",
        errs,
    );
}

/// Mirrors `ValidateStatefulSetSpec` (the claim templates themselves are not validated).
pub fn stateful_set(sts: &appsv1::StatefulSet, errs: &mut ErrorList) {
    let Some(spec) = sts.spec.as_ref() else {
        errs.push(FieldError::required("spec.selector", ""));
        return;
    };
    if let Some(policy) = spec.pod_management_policy.as_deref()
        && policy != "OrderedReady"
        && policy != "Parallel"
    {
        errs.push(FieldError::invalid(
            "spec.podManagementPolicy",
            quote(policy),
            "must be 'OrderedReady' or 'Parallel'",
        ));
    }
    non_negative(spec.replicas, "spec.replicas", errs);
    // The controller adds a volume per volumeClaimTemplate to each pod, so mounts may name
    // the templates (upstream's ValidatePodTemplateSpecForStatefulSet leaves the volumes
    // of the template unchecked for this reason).
    let mut template = spec.template.clone();
    if let Some(pod) = template.spec.as_mut() {
        for claim in spec.volume_claim_templates.iter().flatten() {
            let name = claim.metadata.name.clone().unwrap_or_default();
            let volumes = pod.volumes.get_or_insert_with(Vec::new);
            if !name.is_empty() && !volumes.iter().any(|v| v.name == name) {
                volumes.push(corev1::Volume {
                    name: name.clone(),
                    persistent_volume_claim: Some(corev1::PersistentVolumeClaimVolumeSource {
                        claim_name: name,
                        read_only: None,
                    }),
                    ..Default::default()
                });
            }
        }
    }
    selector_and_template(
        Some(&spec.selector),
        Some(&template),
        "statefulset",
        true,
        errs,
    );
}

/// Mirrors `ValidateReplicationControllerSpec`: a non-empty selector map matching the
/// template's labels.
pub fn replication_controller(rc: &corev1::ReplicationController, errs: &mut ErrorList) {
    let Some(spec) = rc.spec.as_ref() else {
        errs.push(FieldError::required("spec.selector", ""));
        return;
    };
    non_negative(spec.min_ready_seconds, "spec.minReadySeconds", errs);
    non_negative(spec.replicas, "spec.replicas", errs);
    let selector = spec.selector.clone().unwrap_or_default();
    if selector.is_empty() {
        errs.push(FieldError::required("spec.selector", ""));
    } else {
        meta::labels(Some(&selector), "spec.selector", errs);
    }
    match spec.template.as_ref() {
        None => errs.push(FieldError::required("spec.template", "")),
        Some(template) => {
            let labels = template_labels(template);
            if !selector.is_empty() && !selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
                errs.push(FieldError::invalid(
                    "spec.template.metadata.labels",
                    go_string_map(&labels),
                    "`selector` does not match template `labels`",
                ));
            }
            pod_template(template, true, errs);
        }
    }
}

/// Mirrors `ValidateJobSpec` for the fields kubelab models.
pub fn job(job: &batchv1::Job, errs: &mut ErrorList) {
    let Some(spec) = job.spec.as_ref() else {
        errs.push(FieldError::required("spec.template", ""));
        return;
    };
    job_spec(spec, "spec", errs);
}

fn job_spec(spec: &batchv1::JobSpec, path: &str, errs: &mut ErrorList) {
    non_negative(spec.parallelism, &format!("{path}.parallelism"), errs);
    non_negative(spec.completions, &format!("{path}.completions"), errs);
    non_negative(spec.backoff_limit, &format!("{path}.backoffLimit"), errs);
    if let Some(deadline) = spec.active_deadline_seconds {
        non_negative_i64(deadline, &format!("{path}.activeDeadlineSeconds"), errs);
    }
    if let Some(ttl) = spec.ttl_seconds_after_finished {
        non_negative(Some(ttl), &format!("{path}.ttlSecondsAfterFinished"), errs);
    }
    if let Some(mode) = spec.completion_mode.as_deref()
        && mode != "NonIndexed"
        && mode != "Indexed"
    {
        errs.push(FieldError::not_supported(
            format!("{path}.completionMode"),
            quote(mode),
            &["NonIndexed", "Indexed"],
        ));
    }
    job_policies::validate(spec, path, errs);
    if let Some(selector) = spec.selector.as_ref() {
        let labels = template_labels(&spec.template);
        if let Ok(s) = label_selector_to_selector(selector)
            && !s.is_empty()
            && !s.matches(&labels)
        {
            errs.push(FieldError::invalid(
                format!("{path}.template.metadata.labels"),
                go_string_map(&labels),
                "`selector` does not match template `labels`",
            ));
        }
    }
    let tpath = format!("{path}.template");
    meta::labels(
        spec.template
            .metadata
            .as_ref()
            .and_then(|m| m.labels.as_ref()),
        &format!("{tpath}.metadata.labels"),
        errs,
    );
    match spec.template.spec.as_ref() {
        None => errs.push(FieldError::required(format!("{tpath}.spec.containers"), "")),
        Some(pod_spec) => {
            // The defaulted `Always` (or none) is reported as missing since v1.26.
            let restart = pod_spec.restart_policy.as_deref().unwrap_or("");
            let rpath = format!("{tpath}.spec.restartPolicy");
            if restart == "Always" || restart.is_empty() {
                errs.push(FieldError::required(
                    rpath,
                    "valid values: \"OnFailure\", \"Never\"",
                ));
            } else if restart != "OnFailure" && restart != "Never" {
                errs.push(FieldError::not_supported(
                    rpath,
                    quote(restart),
                    &["OnFailure", "Never"],
                ));
            } else if spec.pod_failure_policy.is_some() && restart != "Never" {
                errs.push(FieldError::invalid_str(
                    rpath,
                    restart,
                    "only \"Never\" is supported when podFailurePolicy is specified",
                ));
            }
            pod::pod_spec(pod_spec, &format!("{tpath}.spec"), errs);
        }
    }
}

/// Mirrors `validateCronJobSpec`: schedule, time zone, concurrency policy, history limits and
/// the job template.
pub fn cron_job(cj: &batchv1::CronJob, errs: &mut ErrorList) {
    let Some(spec) = cj.spec.as_ref() else {
        errs.push(FieldError::required("spec.schedule", ""));
        return;
    };
    if spec.schedule.is_empty() {
        errs.push(FieldError::required("spec.schedule", ""));
    } else {
        let schedule = spec.schedule.trim();
        if spec.time_zone.is_some()
            && (schedule.starts_with("TZ=") || schedule.starts_with("CRON_TZ="))
        {
            errs.push(FieldError::invalid(
                "spec.schedule",
                quote(&spec.schedule),
                "cannot use both timeZone field and TZ or CRON_TZ in schedule",
            ));
        } else if let Err(e) = machinery::cron::parse_standard(&spec.schedule) {
            errs.push(FieldError::invalid(
                "spec.schedule",
                quote(&spec.schedule),
                e.to_string(),
            ));
        }
    }
    if let Some(policy) = spec.concurrency_policy.as_deref()
        && !["Allow", "Forbid", "Replace"].contains(&policy)
    {
        errs.push(FieldError::not_supported(
            "spec.concurrencyPolicy",
            quote(policy),
            &["Allow", "Forbid", "Replace"],
        ));
    }
    if let Some(deadline) = spec.starting_deadline_seconds {
        non_negative_i64(deadline, "spec.startingDeadlineSeconds", errs);
    }
    non_negative(
        spec.successful_jobs_history_limit,
        "spec.successfulJobsHistoryLimit",
        errs,
    );
    non_negative(
        spec.failed_jobs_history_limit,
        "spec.failedJobsHistoryLimit",
        errs,
    );
    match spec.job_template.spec.as_ref() {
        None => errs.push(FieldError::required(
            "spec.jobTemplate.spec.template.spec.containers",
            "",
        )),
        Some(job) => job_spec(job, "spec.jobTemplate.spec", errs),
    }
}

const SERVICE_TYPES: &[&str] = &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];

/// Mirrors `ValidateService` for type, ports, selector, session affinity and traffic
/// distribution.
pub fn service(svc: &corev1::Service, errs: &mut ErrorList) {
    topology_annotations(svc, errs);
    let Some(spec) = svc.spec.as_ref() else {
        errs.push(FieldError::required("spec.ports", ""));
        return;
    };
    let type_ = spec.type_.as_deref().unwrap_or("");
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    let headless = spec.cluster_ip.as_deref() == Some("None");
    if ports.is_empty() && !headless && type_ != "ExternalName" {
        errs.push(FieldError::required("spec.ports", ""));
    }
    if type_ == "ExternalName" {
        match spec.external_name.as_deref() {
            None | Some("") => errs.push(FieldError::required("spec.externalName", "")),
            Some(name) => {
                for msg in v::is_dns1123_subdomain(name.trim_end_matches('.')) {
                    errs.push(FieldError::invalid("spec.externalName", quote(name), msg));
                }
            }
        }
    }
    let mut names = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        let name = port.name.as_deref().unwrap_or("");
        if ports.len() > 1 && name.is_empty() {
            errs.push(FieldError::required(format!("{path}.name"), ""));
        } else if !name.is_empty() {
            for msg in v::is_dns1123_label(name) {
                errs.push(FieldError::invalid(
                    format!("{path}.name"),
                    quote(name),
                    msg,
                ));
            }
            if !names.insert(name.to_string()) {
                errs.push(FieldError::duplicate(format!("{path}.name"), quote(name)));
            }
        }
        for msg in v::is_valid_port_num(port.port) {
            errs.push(FieldError::invalid(
                format!("{path}.port"),
                port.port.to_string(),
                msg,
            ));
        }
        match port.protocol.as_deref() {
            None | Some("") => errs.push(FieldError::required(format!("{path}.protocol"), "")),
            Some(p) if !PROTOCOLS.contains(&p) => {
                errs.push(FieldError::not_supported(
                    format!("{path}.protocol"),
                    quote(p),
                    PROTOCOLS,
                ));
            }
            Some(_) => {}
        }
        match port.target_port.as_ref() {
            Some(IntOrString::Int(n)) => {
                for msg in v::is_valid_port_num(*n) {
                    errs.push(FieldError::invalid(
                        format!("{path}.targetPort"),
                        n.to_string(),
                        msg,
                    ));
                }
            }
            Some(IntOrString::String(s)) => {
                for msg in v::is_valid_port_name(s) {
                    errs.push(FieldError::invalid(
                        format!("{path}.targetPort"),
                        quote(s),
                        msg,
                    ));
                }
            }
            None => {}
        }
        if let Some(node_port) = port.node_port
            && node_port != 0
            && (type_ == "ClusterIP" || type_ == "ExternalName")
        {
            errs.push(FieldError::forbidden(
                format!("{path}.nodePort"),
                format!("may not be used when `type` is '{type_}'"),
            ));
        }
    }
    if !type_.is_empty() && !SERVICE_TYPES.contains(&type_) {
        errs.push(FieldError::not_supported(
            "spec.type",
            quote(type_),
            SERVICE_TYPES,
        ));
    }
    if let Some(affinity) = spec.session_affinity.as_deref()
        && affinity != "ClientIP"
        && affinity != "None"
    {
        errs.push(FieldError::not_supported(
            "spec.sessionAffinity",
            quote(affinity),
            &["ClientIP", "None"],
        ));
    }
    session_affinity_config(spec, errs);
    meta::labels(spec.selector.as_ref(), "spec.selector", errs);
    traffic_distribution(spec, errs);
}

/// The values `spec.trafficDistribution` may take, in the order the error lists them: the
/// PreferSameTrafficDistribution gate (beta, on by default in v1.34) adds the last two.
const TRAFFIC_DISTRIBUTIONS: &[&str] = &["PreferClose", "PreferSameZone", "PreferSameNode"];

/// Mirrors `validateServiceTrafficDistribution` (pkg/apis/core/validation, v1.34), the last
/// check of ValidateService.
fn traffic_distribution(spec: &corev1::ServiceSpec, errs: &mut ErrorList) {
    if let Some(td) = spec.traffic_distribution.as_deref()
        && !TRAFFIC_DISTRIBUTIONS.contains(&td)
    {
        errs.push(FieldError::not_supported(
            "spec.trafficDistribution",
            quote(td),
            TRAFFIC_DISTRIBUTIONS,
        ));
    }
}

/// The topology-mode annotation and the deprecated topology-aware-hints one must agree when
/// both are set (ValidateService, v1.34).
fn topology_annotations(svc: &corev1::Service, errs: &mut ErrorList) {
    const MODE: &str = "service.kubernetes.io/topology-mode";
    const HINTS: &str = "service.kubernetes.io/topology-aware-hints";
    let Some(a) = svc.metadata.annotations.as_ref() else { return };
    if let (Some(mode), Some(hints)) = (a.get(MODE), a.get(HINTS))
        && mode != hints
    {
        errs.push(FieldError::invalid_str(
            format!("metadata.annotations[{MODE}]"),
            mode,
            format!("must match annotations[{HINTS}] when both are specified"),
        ));
    }
}

/// Longest ClientIP affinity a Service may ask for (`MaxClientIPServiceAffinitySeconds`).
const MAX_CLIENT_IP_AFFINITY_SECONDS: i32 = 86400;

/// Mirrors `validateClientIPAffinityConfig` and `validateAffinityTimeout` (v1.34): ClientIP
/// affinity needs a timeout in 1..=86400 seconds (defaulting fills in 10800), and
/// `sessionAffinity: None` takes no config.
fn session_affinity_config(spec: &corev1::ServiceSpec, errs: &mut ErrorList) {
    let path = "spec.sessionAffinityConfig";
    let when = "when session affinity type is ClientIP";
    match spec.session_affinity.as_deref() {
        Some("ClientIP") => {
            let Some(config) = spec.session_affinity_config.as_ref() else {
                errs.push(FieldError::required(path, when));
                return;
            };
            let Some(client_ip) = config.client_ip.as_ref() else {
                errs.push(FieldError::required(format!("{path}.clientIP"), when));
                return;
            };
            let timeout_path = format!("{path}.clientIP.timeoutSeconds");
            match client_ip.timeout_seconds {
                None => errs.push(FieldError::required(timeout_path, when)),
                Some(t) if t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS => {
                    errs.push(FieldError::invalid(
                        timeout_path,
                        t.to_string(),
                        format!(
                            "must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        Some("None") if spec.session_affinity_config.is_some() => {
            errs.push(FieldError::forbidden(
                path,
                "must not be set when session affinity is None",
            ));
        }
        _ => {}
    }
}

/// Mirrors the `ValidateImmutableField` calls of the update validators: workload selectors,
/// Job selector and template, StatefulSet service name, Service cluster IP, and the Pod
/// update rule.
pub fn immutable_fields(old: &Object, new: &Object, errs: &mut ErrorList) {
    match (old, new) {
        (Object::Deployment(o), Object::Deployment(n)) => {
            selector_immutable(
                o.spec.as_ref().map(|s| &s.selector),
                n.spec.as_ref().map(|s| &s.selector),
                errs,
            );
        }
        (Object::ReplicaSet(o), Object::ReplicaSet(n)) => {
            selector_immutable(
                o.spec.as_ref().map(|s| &s.selector),
                n.spec.as_ref().map(|s| &s.selector),
                errs,
            );
        }
        (Object::DaemonSet(o), Object::DaemonSet(n)) => {
            selector_immutable(
                o.spec.as_ref().map(|s| &s.selector),
                n.spec.as_ref().map(|s| &s.selector),
                errs,
            );
        }
        (Object::StatefulSet(o), Object::StatefulSet(n)) => {
            let (os, ns) = (o.spec.as_ref(), n.spec.as_ref());
            selector_immutable(os.map(|s| &s.selector), ns.map(|s| &s.selector), errs);
            if os.map(|s| &s.service_name) != ns.map(|s| &s.service_name) {
                errs.push(FieldError::forbidden(
                    "spec",
                    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
                ));
            }
        }
        (Object::Job(o), Object::Job(n)) => {
            let (os, ns) = (o.spec.as_ref(), n.spec.as_ref());
            let (osel, nsel) = (
                os.and_then(|s| s.selector.as_ref()),
                ns.and_then(|s| s.selector.as_ref()),
            );
            if osel.is_some() && osel != nsel {
                errs.push(FieldError::invalid(
                    "spec.selector",
                    go_label_selector(nsel),
                    "field is immutable",
                ));
            }
            if os.map(|s| &s.template) != ns.map(|s| &s.template) {
                errs.push(FieldError::invalid(
                    "spec.template",
                    "core.PodTemplateSpec{...}",
                    "field is immutable",
                ));
            }
            if os.and_then(|s| s.completions) != ns.and_then(|s| s.completions) {
                errs.push(FieldError::invalid(
                    "spec.completions",
                    ns.and_then(|s| s.completions)
                        .map_or("null".to_string(), |c| c.to_string()),
                    "field is immutable",
                ));
            }
        }
        (Object::Service(o), Object::Service(n)) => {
            let old_ip = o
                .spec
                .as_ref()
                .and_then(|s| s.cluster_ip.as_deref())
                .unwrap_or("");
            let new_ips: Vec<String> = n
                .spec
                .as_ref()
                .and_then(|s| {
                    s.cluster_ips
                        .clone()
                        .or_else(|| s.cluster_ip.clone().map(|ip| vec![ip]))
                })
                .unwrap_or_default();
            let new_ip = new_ips.first().map(String::as_str).unwrap_or("");
            let external_name = |s: &corev1::Service| {
                s.spec.as_ref().and_then(|s| s.type_.as_deref()) == Some("ExternalName")
            };
            if !old_ip.is_empty()
                && !new_ip.is_empty()
                && old_ip != new_ip
                && !external_name(o)
                && !external_name(n)
            {
                errs.push(FieldError::invalid(
                    "spec.clusterIPs[0]",
                    machinery::validation::field::string_slice(&new_ips),
                    "may not change once set",
                ));
            }
        }
        (Object::Pod(o), Object::Pod(n)) => pod_update(o, n, errs),
        _ => {}
    }
}

/// Mirrors `ValidatePodUpdate`'s rules that tolerations may only be added to (or have their
/// tolerationSeconds changed) and that only images, activeDeadlineSeconds, tolerations and
/// terminationGracePeriodSeconds may change. Upstream appends a diff of the specs to the
/// message; kubelab prints the rule only.
fn pod_update(old: &corev1::Pod, new: &corev1::Pod, errs: &mut ErrorList) {
    let (Some(os), Some(ns)) = (old.spec.as_ref(), new.spec.as_ref()) else {
        return;
    };
    // validateOnlyAddedTolerations: every old toleration stays, its tolerationSeconds aside.
    let new_tolerations = ns.tolerations.as_deref().unwrap_or_default();
    let kept = |old: &corev1::Toleration| {
        new_tolerations.iter().any(|n| {
            let mut o = old.clone();
            o.toleration_seconds = n.toleration_seconds;
            o == *n
        })
    };
    if !os.tolerations.iter().flatten().all(kept) {
        errs.push(FieldError::forbidden(
            "spec.tolerations",
            "existing toleration can not be modified except its tolerationSeconds",
        ));
    }
    let mut masked = os.clone();
    for (c, n) in masked.containers.iter_mut().zip(ns.containers.iter()) {
        c.image = n.image.clone();
    }
    for (c, n) in masked
        .init_containers
        .iter_mut()
        .flatten()
        .zip(ns.init_containers.iter().flatten())
    {
        c.image = n.image.clone();
    }
    masked.active_deadline_seconds = ns.active_deadline_seconds;
    masked.tolerations = ns.tolerations.clone();
    masked.termination_grace_period_seconds = ns.termination_grace_period_seconds;
    if masked.node_name.is_none() {
        masked.node_name = ns.node_name.clone();
    }
    if &masked != ns {
        errs.push(FieldError::forbidden(
            "spec",
            "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        ));
    }
}

fn selector_immutable(
    old: Option<&metav1::LabelSelector>,
    new: Option<&metav1::LabelSelector>,
    errs: &mut ErrorList,
) {
    if old != new {
        errs.push(FieldError::invalid(
            "spec.selector",
            go_label_selector(new),
            "field is immutable",
        ));
    }
}

/// Shared by Deployment, ReplicaSet, DaemonSet and StatefulSet: selector required, valid and
/// non-empty, template labels matching it, template pod spec valid with restartPolicy Always.
fn selector_and_template(
    selector: Option<&metav1::LabelSelector>,
    template: Option<&corev1::PodTemplateSpec>,
    kind_lower: &str,
    restart_always: bool,
    errs: &mut ErrorList,
) {
    let parsed = match selector {
        None => {
            errs.push(FieldError::required("spec.selector", ""));
            None
        }
        Some(sel) => {
            label_selector(sel, "spec.selector", errs);
            if sel.match_labels.as_ref().is_none_or(BTreeMap::is_empty)
                && sel.match_expressions.as_ref().is_none_or(Vec::is_empty)
            {
                errs.push(FieldError::invalid(
                    "spec.selector",
                    go_label_selector(Some(sel)),
                    format!("empty selector is invalid for {kind_lower}"),
                ));
            }
            label_selector_to_selector(sel).ok()
        }
    };
    let Some(template) = template else {
        errs.push(FieldError::required("spec.template", ""));
        return;
    };
    if let Some(s) = parsed
        && !s.is_empty()
    {
        let labels = template_labels(template);
        if !s.matches(&labels) {
            errs.push(FieldError::invalid(
                "spec.template.metadata.labels",
                go_string_map(&labels),
                "`selector` does not match template `labels`",
            ));
        }
    }
    pod_template(template, restart_always, errs);
}

/// Mirrors `ValidatePodTemplateSpec` plus the workload rule that restartPolicy is Always.
fn pod_template(template: &corev1::PodTemplateSpec, restart_always: bool, errs: &mut ErrorList) {
    meta::labels(
        template.metadata.as_ref().and_then(|m| m.labels.as_ref()),
        "spec.template.metadata.labels",
        errs,
    );
    let Some(spec) = template.spec.as_ref() else {
        errs.push(FieldError::required("spec.template.spec.containers", ""));
        return;
    };
    pod::pod_spec(spec, "spec.template.spec", errs);
    if restart_always {
        let restart = spec.restart_policy.as_deref().unwrap_or("");
        if !restart.is_empty() && restart != "Always" {
            errs.push(FieldError::not_supported(
                "spec.template.spec.restartPolicy",
                quote(restart),
                &["Always"],
            ));
        }
    }
    if spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        ));
    }
}

/// Mirrors metav1validation `ValidateLabelSelector`: label keys/values and operators.
fn label_selector(sel: &metav1::LabelSelector, path: &str, errs: &mut ErrorList) {
    meta::labels(
        sel.match_labels.as_ref(),
        &format!("{path}.matchLabels"),
        errs,
    );
    for (i, req) in sel.match_expressions.iter().flatten().enumerate() {
        let rpath = format!("{path}.matchExpressions[{i}]");
        let values = req.values.as_deref().unwrap_or(&[]);
        match req.operator.as_str() {
            "In" | "NotIn" => {
                if values.is_empty() {
                    errs.push(FieldError::required(
                        format!("{rpath}.values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    errs.push(FieldError::forbidden(
                        format!("{rpath}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                format!("{rpath}.operator"),
                quote(other),
                "not a valid selector operator",
            )),
        }
        for msg in v::is_qualified_name(&req.key) {
            errs.push(FieldError::invalid(
                format!("{rpath}.key"),
                quote(&req.key),
                msg,
            ));
        }
    }
}

fn template_labels(template: &corev1::PodTemplateSpec) -> BTreeMap<String, String> {
    template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default()
}

fn non_negative(value: Option<i32>, path: &str, errs: &mut ErrorList) {
    if let Some(v) = value {
        non_negative_i64(i64::from(v), path, errs);
    }
}

fn non_negative_i64(value: i64, path: &str, errs: &mut ErrorList) {
    if value < 0 {
        errs.push(FieldError::invalid(
            path,
            value.to_string(),
            "must be greater than or equal to 0",
        ));
    }
}

/// Mirrors the strategy checks of `ValidateRollingUpdateDeployment`.
fn deployment_strategy(strategy: &appsv1::DeploymentStrategy, errs: &mut ErrorList) {
    let type_ = strategy.type_.as_deref().unwrap_or("");
    match type_ {
        "Recreate" => {
            if strategy.rolling_update.is_some() {
                errs.push(FieldError::forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => {
            let Some(rolling) = strategy.rolling_update.as_ref() else {
                return;
            };
            let is_zero = |v: Option<&IntOrString>| match v {
                Some(IntOrString::Int(0)) => true,
                Some(IntOrString::String(s)) => s == "0%",
                _ => false,
            };
            for (field, value) in [
                ("maxUnavailable", &rolling.max_unavailable),
                ("maxSurge", &rolling.max_surge),
            ] {
                let path = format!("spec.strategy.rollingUpdate.{field}");
                match value {
                    Some(IntOrString::Int(n)) if *n < 0 => {
                        errs.push(FieldError::invalid(
                            &path,
                            n.to_string(),
                            "must be greater than or equal to 0",
                        ));
                    }
                    Some(IntOrString::String(s)) => {
                        for msg in v::is_valid_percent(s) {
                            errs.push(FieldError::invalid(&path, quote(s), msg));
                        }
                    }
                    _ => {}
                }
            }
            if is_zero(rolling.max_unavailable.as_ref()) && is_zero(rolling.max_surge.as_ref()) {
                let shown = match rolling.max_unavailable.as_ref() {
                    Some(IntOrString::String(s)) => quote(s),
                    _ => "0".to_string(),
                };
                errs.push(FieldError::invalid(
                    "spec.strategy.rollingUpdate.maxUnavailable",
                    shown,
                    "may not be 0 when `maxSurge` is 0",
                ));
            }
        }
        "" => errs.push(FieldError::required("spec.strategy.type", "")),
        other => errs.push(FieldError::not_supported(
            "spec.strategy.type",
            quote(other),
            &["Recreate", "RollingUpdate"],
        )),
    }
}

/// Go's `%#v` of a `map[string]string`: `map[string]string{"a":"1", "b":"2"}`.
fn go_string_map(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "map[string]string(nil)".to_string();
    }
    let body: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}:{}", quote(k), quote(v)))
        .collect();
    format!("map[string]string{{{}}}", body.join(", "))
}

/// Go's `%#v` of a `*metav1.LabelSelector` as field errors print it.
fn go_label_selector(sel: Option<&metav1::LabelSelector>) -> String {
    let Some(sel) = sel else {
        return "null".to_string();
    };
    let labels = match sel.match_labels.as_ref() {
        Some(m) if !m.is_empty() => go_string_map(m),
        _ => "map[string]string(nil)".to_string(),
    };
    let expressions = match sel.match_expressions.as_ref() {
        Some(list) if !list.is_empty() => {
            let items: Vec<String> = list
                .iter()
                .map(|r| {
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                        quote(&r.key),
                        quote(&r.operator),
                        machinery::validation::field::string_slice(
                            r.values.as_deref().unwrap_or(&[])
                        )
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
        _ => "[]v1.LabelSelectorRequirement(nil)".to_string(),
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{expressions}}}")
}
