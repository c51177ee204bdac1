//! The HorizontalPodAutoscaler controller (autoscaling/v2, resource metrics).
//!
//! Mirrors pkg/controller/podautoscaler/horizontal.go (v1.34) `reconcileAutoscaler`: every
//! 15 s (`--horizontal-pod-autoscaler-sync-period`) it reads the target's scale, computes a
//! replica count per metric from the pods' usage ([`replicas`], over the [`metrics`] the
//! simulation scrapes from the kubelets), takes the largest, applies the behavior
//! ([`behavior`]: the 300 s scale-down stabilization window and rate limits), rescales the
//! target with a `SuccessfulRescale` event, and writes the status with the `AbleToScale`,
//! `ScalingActive` and `ScalingLimited` conditions.
//!
//! Deliberate gaps: only `Resource` metrics with `Utilization` or `AverageValue` targets
//! (Pods, Object, External and ContainerResource metrics report `ScalingActive` False);
//! autoscaling/v1 objects are stored apart and not acted on.

pub mod behavior;
pub mod metrics;
pub mod metrics_server;
pub mod replicas;

use std::cell::RefCell;
use std::collections::BTreeMap;

use api::{KindInfo, Object};
use k8s_openapi::api::autoscaling::v2 as autoscalingv2;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::kind_of;
use super::plan::{EventRecord, Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::Store;
use crate::time::{SimDuration, SimTime};
use behavior::{Recommendation, ScaleEvent};

/// `--horizontal-pod-autoscaler-sync-period`.
pub const SYNC_PERIOD: SimDuration = SimDuration::from_secs(15);

/// What the controller remembers between syncs of one HPA (upstream keeps the same in
/// memory: `recommendations`, `scaleUpEvents`, `scaleDownEvents`).
#[derive(Debug, Clone, Default)]
struct Memory {
    recommendations: Vec<Recommendation>,
    events: Vec<ScaleEvent>,
}

/// The runner's handle on the HPA controller.
#[derive(Debug, Default)]
pub struct HorizontalController {
    memory: RefCell<BTreeMap<ObjectKey, Memory>>,
}

impl Reconciler for HorizontalController {
    fn name(&self) -> &'static str {
        "horizontal-pod-autoscaler"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<autoscalingv2::HorizontalPodAutoscaler>()
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            self.memory.borrow_mut().remove(key);
            return Ok(Plan::none());
        };
        let Object::HorizontalPodAutoscaler(hpa) = &*obj else {
            return Ok(Plan::none());
        };
        let mut memory = self.memory.borrow_mut();
        let mem = memory.entry(key.clone()).or_default();
        Ok(reconcile_autoscaler(hpa, store, mem, now))
    }
}

/// The scale subresource of a target: its object, replicas and pod selector.
struct Scale {
    object: Object,
    replicas: i32,
    selector: Option<metav1::LabelSelector>,
}

fn get_scale(store: &Store, ns: &str, target: &autoscalingv2::CrossVersionObjectReference) -> Result<Scale, String> {
    let api_version = target.api_version.clone().unwrap_or_default();
    let Some(info) = api::by_gvk(&api_version, &target.kind) else {
        return Err(format!(
            "the server could not find the requested resource ({} {})",
            target.kind, target.name
        ));
    };
    let obj = store
        .get(info, Some(ns), &target.name)
        .map_err(|e| e.to_string())?;
    let (replicas, selector) = match &*obj {
        Object::Deployment(d) => {
            let s = d.spec.clone().unwrap_or_default();
            (s.replicas.unwrap_or(1), Some(s.selector))
        }
        Object::ReplicaSet(r) => {
            let s = r.spec.clone().unwrap_or_default();
            (s.replicas.unwrap_or(1), Some(s.selector))
        }
        Object::StatefulSet(r) => {
            let s = r.spec.clone().unwrap_or_default();
            (s.replicas.unwrap_or(1), Some(s.selector))
        }
        Object::ReplicationController(r) => {
            let s = r.spec.clone().unwrap_or_default();
            (
                s.replicas.unwrap_or(1),
                s.selector.map(|m| metav1::LabelSelector {
                    match_labels: Some(m),
                    ..Default::default()
                }),
            )
        }
        _ => {
            return Err(format!(
                "the server could not find the requested resource ({} {})",
                target.kind, target.name
            ));
        }
    };
    Ok(Scale {
        object: (*obj).clone(),
        replicas,
        selector,
    })
}

fn with_replicas(obj: &Object, n: i32) -> Object {
    let mut obj = obj.clone();
    match &mut obj {
        Object::Deployment(d) => d.spec.get_or_insert_with(Default::default).replicas = Some(n),
        Object::ReplicaSet(d) => d.spec.get_or_insert_with(Default::default).replicas = Some(n),
        Object::StatefulSet(d) => d.spec.get_or_insert_with(Default::default).replicas = Some(n),
        Object::ReplicationController(d) => {
            d.spec.get_or_insert_with(Default::default).replicas = Some(n);
        }
        _ => {}
    }
    obj
}

/// Sets a condition, keeping its transition time when the status does not change.
fn set_condition(
    conds: &mut Vec<autoscalingv2::HorizontalPodAutoscalerCondition>,
    type_: &str,
    status: bool,
    reason: &str,
    message: String,
    now: SimTime,
) {
    let status = if status { "True" } else { "False" };
    let time = match conds.iter().find(|c| c.type_ == type_) {
        Some(c) if c.status == status => c.last_transition_time.clone(),
        _ => Some(now.to_time()),
    };
    let c = autoscalingv2::HorizontalPodAutoscalerCondition {
        type_: type_.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message),
        last_transition_time: time,
    };
    match conds.iter_mut().find(|x| x.type_ == type_) {
        Some(x) => *x = c,
        None => conds.push(c),
    }
}

/// The human name of a resource metric in events and conditions (`cpu resource utilization
/// (percentage of request)`).
fn metric_name(resource: &str, utilization: bool) -> String {
    if utilization {
        format!("{resource} resource utilization (percentage of request)")
    } else {
        format!("{resource} resource")
    }
}

/// One metric's replica proposal and its status entry.
struct MetricOutcome {
    replicas: i32,
    name: String,
    status: autoscalingv2::MetricStatus,
}

fn compute_metric(
    spec: &autoscalingv2::MetricSpec,
    current: i32,
    pods: &[&corev1::Pod],
    store: &Store,
) -> Result<MetricOutcome, String> {
    let Some(res) = spec.resource.as_ref().filter(|_| spec.type_ == "Resource") else {
        return Err(format!(
            "invalid metrics ({} type is not supported)",
            spec.type_
        ));
    };
    let resource = res.name.as_str();
    let utilization = res.target.average_utilization;
    // The metrics client lists PodMetrics before anything else; without metrics-server the
    // aggregated API is not there (metrics/client.go and replica_calculator.go, v1.34).
    if !metrics_server::api_available(store) {
        let reading = if utilization.is_some() { "utilization" } else { "usage" };
        return Err(format!(
            "failed to get {resource} {reading}: unable to get metrics for resource {resource}: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)"
        ));
    }
    let format_value = |v: i64| {
        if resource == "cpu" {
            format!("{v}m")
        } else {
            v.to_string()
        }
    };
    match utilization {
        Some(target) => {
            let calc =
                replicas::resource_replicas(current, target, resource, pods, &store.metrics)
                    .map_err(|e| format!("failed to get {resource} utilization: {e}"))?;
            Ok(MetricOutcome {
                replicas: calc.replicas,
                name: metric_name(resource, true),
                status: autoscalingv2::MetricStatus {
                    type_: "Resource".into(),
                    resource: Some(autoscalingv2::ResourceMetricStatus {
                        name: resource.into(),
                        current: autoscalingv2::MetricValueStatus {
                            average_utilization: Some(calc.utilization),
                            average_value: Some(
                                k8s_openapi::apimachinery::pkg::api::resource::Quantity(
                                    format_value(calc.raw_average),
                                ),
                            ),
                            value: None,
                        },
                    }),
                    ..Default::default()
                },
            })
        }
        None => {
            // AverageValue: usage per pod against the target value.
            let target = res
                .target
                .average_value
                .as_ref()
                .and_then(|q| q.0.parse::<machinery::quantity::Quantity>().ok())
                .map(|q| if resource == "cpu" { q.milli_value() } else { q.value() })
                .unwrap_or(0);
            let mut total = 0i64;
            let mut n = 0i64;
            for p in pods {
                let ns = p.metadata.namespace.as_deref().unwrap_or("");
                if let Some(u) = store.metrics.get(ns, p.metadata.name.as_deref().unwrap_or("")) {
                    let t = u.total();
                    total += if resource == "cpu" { t.cpu_millis } else { t.memory_bytes };
                    n += 1;
                }
            }
            if n == 0 || target == 0 {
                return Err(format!(
                    "failed to get {resource} usage: unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
                ));
            }
            let ratio = total as f64 / (target as f64 * n as f64);
            let replicas = if (1.0 - ratio).abs() <= replicas::TOLERANCE {
                current
            } else {
                (total as f64 / target as f64).ceil() as i32
            };
            Ok(MetricOutcome {
                replicas,
                name: metric_name(resource, false),
                status: autoscalingv2::MetricStatus {
                    type_: "Resource".into(),
                    resource: Some(autoscalingv2::ResourceMetricStatus {
                        name: resource.into(),
                        current: autoscalingv2::MetricValueStatus {
                            average_value: Some(
                                k8s_openapi::apimachinery::pkg::api::resource::Quantity(
                                    format_value(total / n),
                                ),
                            ),
                            ..Default::default()
                        },
                    }),
                    ..Default::default()
                },
            })
        }
    }
}

fn reconcile_autoscaler(
    hpa: &autoscalingv2::HorizontalPodAutoscaler,
    store: &Store,
    mem: &mut Memory,
    now: SimTime,
) -> Plan {
    let mut plan = Plan::none();
    plan.requeue_after(SYNC_PERIOD);
    let hpa_obj = Object::HorizontalPodAutoscaler(hpa.clone());
    let ns = hpa.metadata.namespace.clone().unwrap_or_default();
    let spec = hpa.spec.clone().unwrap_or_default();
    let old_status = hpa.status.clone().unwrap_or_default();
    let mut status = old_status.clone();
    let mut conds = status.conditions.clone().unwrap_or_default();
    let min = spec.min_replicas.unwrap_or(1);
    let max = spec.max_replicas;

    let scale = match get_scale(store, &ns, &spec.scale_target_ref) {
        Ok(s) => s,
        Err(e) => {
            let msg = format!("the HPA controller was unable to get the target's current scale: {e}");
            set_condition(&mut conds, "AbleToScale", false, "FailedGetScale", msg, now);
            plan.event(EventRecord::warning(&hpa_obj, "FailedGetScale", e));
            status.conditions = Some(conds);
            push_status(&mut plan, hpa, status, &old_status);
            return plan;
        }
    };
    let current = scale.replicas;
    status.current_replicas = Some(current);
    let mut rescale_reason = String::new();
    let desired;
    if current == 0 && min != 0 {
        desired = 0;
        set_condition(
            &mut conds,
            "ScalingActive",
            false,
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero".into(),
            now,
        );
    } else if current > max {
        rescale_reason = "Current number of replicas above Spec.MaxReplicas".into();
        desired = max;
    } else if current < min {
        rescale_reason = "Current number of replicas below Spec.MinReplicas".into();
        desired = min;
    } else {
        let pods = selected_pods(store, &ns, scale.selector.as_ref());
        let pod_refs: Vec<&corev1::Pod> = pods.iter().collect();
        let mut proposal = 0;
        let mut proposal_name = String::new();
        let mut statuses = Vec::new();
        let mut errors = Vec::new();
        for m in spec.metrics.iter().flatten() {
            match compute_metric(m, current, &pod_refs, store) {
                Ok(o) => {
                    if o.replicas > proposal || proposal_name.is_empty() {
                        proposal = o.replicas;
                        proposal_name = o.name.clone();
                    }
                    statuses.push(o.status);
                }
                Err(e) => {
                    statuses.push(autoscalingv2::MetricStatus::default());
                    errors.push(e);
                }
            }
        }
        let total = spec.metrics.as_ref().map_or(0, Vec::len);
        if let Some(first) = errors.first() {
            let resource = spec
                .metrics
                .iter()
                .flatten()
                .find_map(|m| m.resource.as_ref().map(|r| r.name.clone()))
                .unwrap_or_default();
            plan.event(EventRecord::warning(
                &hpa_obj,
                "FailedGetResourceMetric",
                first.clone(),
            ));
            plan.event(EventRecord::warning(
                &hpa_obj,
                "FailedComputeMetricsReplicas",
                format!(
                    "invalid metrics ({} invalid out of {total}), first error is: failed to get {resource} resource metric value: {first}",
                    errors.len()
                ),
            ));
            if errors.len() == total {
                set_condition(
                    &mut conds,
                    "ScalingActive",
                    false,
                    "FailedGetResourceMetric",
                    format!("the HPA was unable to compute the replica count: {first}"),
                    now,
                );
                status.current_metrics = Some(statuses).filter(|s| !s.is_empty());
                status.conditions = Some(conds);
                push_status(&mut plan, hpa, status, &old_status);
                return plan;
            }
        }
        status.current_metrics = Some(statuses).filter(|s| !s.is_empty());
        set_condition(
            &mut conds,
            "ScalingActive",
            true,
            "ValidMetricFound",
            format!("the HPA was able to successfully calculate a replica count from {proposal_name}"),
            now,
        );
        rescale_reason = if proposal > current {
            format!("{proposal_name} above target")
        } else {
            "All metrics below target".into()
        };
        // normalizeDesiredReplicasWithBehaviors.
        let (up, down) = behavior::rules(spec.behavior.as_ref());
        let stabilized =
            behavior::stabilize(&mut mem.recommendations, current, proposal, &up, &down, now);
        if stabilized == proposal {
            set_condition(
                &mut conds,
                "AbleToScale",
                true,
                "ReadyForNewScale",
                "recommended size matches current size".into(),
                now,
            );
        } else if stabilized > proposal {
            set_condition(
                &mut conds,
                "AbleToScale",
                true,
                "ScaleDownStabilized",
                "recent recommendations were higher than current one, applying the highest recent recommendation".into(),
                now,
            );
        } else {
            set_condition(
                &mut conds,
                "AbleToScale",
                true,
                "ScaleUpStabilized",
                "recent recommendations were lower than current one, applying the lowest recent recommendation".into(),
                now,
            );
        }
        let longest = up
            .policies
            .iter()
            .chain(&down.policies)
            .map(|p| p.2)
            .max()
            .unwrap_or(SimDuration::ZERO);
        mem.events.retain(|e| now - e.at <= longest);
        let limited =
            behavior::rate_limit(&mem.events, current, stabilized, min, max, &up, &down, now);
        set_condition(
            &mut conds,
            "ScalingLimited",
            limited.reason != "DesiredWithinRange",
            limited.reason,
            limited.message.into(),
            now,
        );
        desired = limited.replicas;
    }

    if desired != current {
        plan.push(Write::Update(with_replicas(&scale.object, desired)));
        plan.event(EventRecord::normal(
            &hpa_obj,
            "SuccessfulRescale",
            format!("New size: {desired}; reason: {rescale_reason}"),
        ));
        set_condition(
            &mut conds,
            "AbleToScale",
            true,
            "SucceededRescale",
            format!("the HPA controller was able to update the target scale to {desired}"),
            now,
        );
        mem.events.push(ScaleEvent {
            change: desired - current,
            at: now,
        });
        status.last_scale_time = Some(now.to_time());
    }
    status.desired_replicas = desired;
    status.observed_generation = hpa.metadata.generation;
    // Conditions in upstream's order.
    let order = |t: &str| match t {
        "AbleToScale" => 0,
        "ScalingActive" => 1,
        _ => 2,
    };
    machinery::sort::sort_by_key(&mut conds, |c| order(&c.type_));
    status.conditions = Some(conds);
    push_status(&mut plan, hpa, status, &old_status);
    plan
}

fn push_status(
    plan: &mut Plan,
    hpa: &autoscalingv2::HorizontalPodAutoscaler,
    status: autoscalingv2::HorizontalPodAutoscalerStatus,
    old: &autoscalingv2::HorizontalPodAutoscalerStatus,
) {
    if &status != old {
        let mut h = hpa.clone();
        h.status = Some(status);
        plan.push(Write::UpdateStatus(Object::HorizontalPodAutoscaler(h)));
    }
}

fn selected_pods(store: &Store, ns: &str, selector: Option<&metav1::LabelSelector>) -> Vec<corev1::Pod> {
    let Some(selector) = selector else {
        return Vec::new();
    };
    let Ok(sel) = api::selectors::label_selector_to_selector(selector) else {
        return Vec::new();
    };
    let Ok(list) = store.list(kind_of::<corev1::Pod>(), Some(ns), &Default::default()) else {
        return Vec::new();
    };
    list.items
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) if sel.matches(crate::controller::labels_of(&p.metadata)) => {
                Some(p.clone())
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
