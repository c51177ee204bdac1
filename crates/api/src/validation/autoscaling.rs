//! HorizontalPodAutoscaler validation.
//!
//! Mirrors pkg/apis/autoscaling/validation/validation.go (v1.34) for the autoscaling/v2 shape
//! every HPA is stored in (autoscaling/v1 writes are converted first, so their errors name the
//! v2 fields, as upstream's internal type does). The HPAScaleToZero gate is off, as in a
//! default v1.34 cluster: minReplicas must be at least 1 unless the old object already had 0.
//! Not modeled: `tolerance` (its alpha gate is off, so upstream drops the field), extended
//! resource names (`example.com/foo`) of containerResource metrics. Where upstream lists
//! several forbidden metric sources it iterates a Go map (random order); kubelab sorts them.

use k8s_openapi::api::autoscaling::v2 as autoscalingv2;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;
use machinery::quantity::Quantity;
use machinery::validation as v;
use machinery::validation::field::{ErrorList, FieldError, quote};

use super::meta::path_segment_name;

/// The largest scaling policy period (`MaxPeriodSeconds`).
const MAX_PERIOD_SECONDS: i32 = 1800;
/// The largest stabilization window (`MaxStabilizationWindowSeconds`).
const MAX_STABILIZATION_WINDOW_SECONDS: i32 = 3600;

const METRIC_SOURCE_TYPES: [&str; 5] = [
    "ContainerResource",
    "External",
    "Object",
    "Pods",
    "Resource",
];
const SELECT_POLICIES: [&str; 3] = ["Disabled", "Max", "Min"];
const POLICY_TYPES: [&str; 2] = ["Percent", "Pods"];

/// Mirrors `ValidateHorizontalPodAutoscaler` (the spec part) on create, and
/// `ValidateHorizontalPodAutoscalerUpdate` when `old` is given: an HPA that already scales to
/// zero may keep doing so.
pub fn hpa(
    h: &autoscalingv2::HorizontalPodAutoscaler,
    old: Option<&autoscalingv2::HorizontalPodAutoscaler>,
    errs: &mut ErrorList,
) {
    let old_min_is_zero = old
        .and_then(|o| o.spec.as_ref())
        .and_then(|s| s.min_replicas)
        == Some(0);
    let min_lower_bound = if old_min_is_zero { 0 } else { 1 };
    let default_spec = autoscalingv2::HorizontalPodAutoscalerSpec::default();
    let spec = h.spec.as_ref().unwrap_or(&default_spec);
    spec_rules(spec, min_lower_bound, errs);
}

fn spec_rules(
    spec: &autoscalingv2::HorizontalPodAutoscalerSpec,
    min_lower_bound: i32,
    errs: &mut ErrorList,
) {
    if let Some(min) = spec.min_replicas
        && min < min_lower_bound
    {
        errs.push(FieldError::invalid(
            "spec.minReplicas",
            min.to_string(),
            format!("must be greater than or equal to {min_lower_bound}"),
        ));
    }
    if spec.max_replicas < 1 {
        errs.push(FieldError::invalid(
            "spec.maxReplicas",
            spec.max_replicas.to_string(),
            "must be greater than 0",
        ));
    }
    if let Some(min) = spec.min_replicas
        && spec.max_replicas < min
    {
        errs.push(FieldError::invalid(
            "spec.maxReplicas",
            spec.max_replicas.to_string(),
            "must be greater than or equal to `minReplicas`",
        ));
    }
    cross_version_object_reference(&spec.scale_target_ref, "spec.scaleTargetRef", errs);
    metrics(
        spec.metrics.as_deref().unwrap_or_default(),
        spec.min_replicas,
        errs,
    );
    if let Some(behavior) = spec.behavior.as_ref() {
        scaling_rules(behavior.scale_up.as_ref(), "spec.behavior.scaleUp", errs);
        scaling_rules(
            behavior.scale_down.as_ref(),
            "spec.behavior.scaleDown",
            errs,
        );
    }
}

/// Mirrors `ValidateCrossVersionObjectReference`.
fn cross_version_object_reference(
    r: &autoscalingv2::CrossVersionObjectReference,
    path: &str,
    errs: &mut ErrorList,
) {
    for (field, value) in [("kind", &r.kind), ("name", &r.name)] {
        if value.is_empty() {
            errs.push(FieldError::required(format!("{path}.{field}"), ""));
        } else {
            for msg in path_segment_name(value) {
                errs.push(FieldError::invalid_str(
                    format!("{path}.{field}"),
                    value,
                    msg,
                ));
            }
        }
    }
}

/// Mirrors `validateMetrics`.
fn metrics(list: &[autoscalingv2::MetricSpec], min_replicas: Option<i32>, errs: &mut ErrorList) {
    for (i, m) in list.iter().enumerate() {
        metric_spec(m, &format!("spec.metrics[{i}]"), errs);
    }
    let has_object_or_external = list
        .iter()
        .any(|m| m.type_ == "Object" || m.type_ == "External");
    if min_replicas == Some(0) && !has_object_or_external {
        errs.push(FieldError::forbidden(
            "spec.metrics",
            "must specify at least one Object or External metric to support scaling to zero replicas",
        ));
    }
}

/// Mirrors `validateMetricSpec`: the type must be known, its source given, and no other source.
fn metric_spec(m: &autoscalingv2::MetricSpec, path: &str, errs: &mut ErrorList) {
    if m.type_.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.type"),
            "must specify a metric source type",
        ));
    }
    if !METRIC_SOURCE_TYPES.contains(&m.type_.as_str()) {
        errs.push(FieldError::not_supported(
            format!("{path}.type"),
            quote(&m.type_),
            &METRIC_SOURCE_TYPES,
        ));
    }
    // The sources present, in upstream's checking order; only the first is validated.
    let mut present: Vec<&str> = Vec::new();
    if let Some(src) = m.object.as_ref() {
        present.push("object");
        object_source(src, &format!("{path}.object"), errs);
    }
    if let Some(src) = m.external.as_ref() {
        present.push("external");
        if present.len() == 1 {
            external_source(src, &format!("{path}.external"), errs);
        }
    }
    if let Some(src) = m.pods.as_ref() {
        present.push("pods");
        if present.len() == 1 {
            pods_source(src, &format!("{path}.pods"), errs);
        }
    }
    if let Some(src) = m.resource.as_ref() {
        present.push("resource");
        if present.len() == 1 {
            resource_source(src, &format!("{path}.resource"), errs);
        }
    }
    if let Some(src) = m.container_resource.as_ref() {
        present.push("containerResource");
        if present.len() == 1 {
            container_resource_source(src, &format!("{path}.containerResource"), errs);
        }
    }
    let expected = match m.type_.as_str() {
        "Object" => "object",
        "Pods" => "pods",
        "Resource" => "resource",
        "External" => "external",
        "ContainerResource" => "containerResource",
        _ => {
            errs.push(FieldError::not_supported(
                format!("{path}.type"),
                quote(&m.type_),
                &METRIC_SOURCE_TYPES,
            ));
            ""
        }
    };
    if !expected.is_empty() && !present.contains(&expected) {
        errs.push(FieldError::required(
            format!("{path}.{expected}"),
            "must populate information for the given metric source",
        ));
    }
    if present.len() != 1 {
        let mut others: Vec<&str> = present.into_iter().filter(|p| *p != expected).collect();
        others.sort_unstable();
        for other in others {
            errs.push(FieldError::forbidden(
                format!("{path}.{other}"),
                "must populate the given metric source only",
            ));
        }
    }
}

/// Mirrors `validateObjectSource`.
fn object_source(src: &autoscalingv2::ObjectMetricSource, path: &str, errs: &mut ErrorList) {
    cross_version_object_reference(
        &src.described_object,
        &format!("{path}.describedObject"),
        errs,
    );
    metric_identifier(&src.metric, &format!("{path}.metric"), errs);
    metric_target(&src.target, &format!("{path}.target"), errs);
    if src.target.value.is_none() && src.target.average_value.is_none() {
        errs.push(FieldError::required(
            format!("{path}.target.averageValue"),
            "must set either a target value or averageValue",
        ));
    }
}

/// Mirrors `validateExternalSource`.
fn external_source(src: &autoscalingv2::ExternalMetricSource, path: &str, errs: &mut ErrorList) {
    metric_identifier(&src.metric, &format!("{path}.metric"), errs);
    metric_target(&src.target, &format!("{path}.target"), errs);
    if src.target.value.is_none() && src.target.average_value.is_none() {
        errs.push(FieldError::required(
            format!("{path}.target.averageValue"),
            "must set either a target value for metric or a per-pod target",
        ));
    }
    if src.target.value.is_some() && src.target.average_value.is_some() {
        errs.push(FieldError::forbidden(
            format!("{path}.target.value"),
            "may not set both a target value for metric and a per-pod target",
        ));
    }
}

/// Mirrors `validatePodsSource`.
fn pods_source(src: &autoscalingv2::PodsMetricSource, path: &str, errs: &mut ErrorList) {
    metric_identifier(&src.metric, &format!("{path}.metric"), errs);
    metric_target(&src.target, &format!("{path}.target"), errs);
    if src.target.average_value.is_none() {
        errs.push(FieldError::required(
            format!("{path}.target.averageValue"),
            "must specify a positive target averageValue",
        ));
    }
}

/// Mirrors `validateResourceSource`.
fn resource_source(src: &autoscalingv2::ResourceMetricSource, path: &str, errs: &mut ErrorList) {
    if src.name.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.name"),
            "must specify a resource name",
        ));
    }
    metric_target(&src.target, &format!("{path}.target"), errs);
    utilization_or_value(&src.target, path, errs);
}

/// Mirrors `validateContainerResourceSource`.
fn container_resource_source(
    src: &autoscalingv2::ContainerResourceMetricSource,
    path: &str,
    errs: &mut ErrorList,
) {
    if src.name.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.name"),
            "must specify a resource name",
        ));
    } else if !src.name.contains('/') && !is_standard_container_resource(&src.name) {
        // core/v1 validation ValidateContainerResourceName.
        errs.push(FieldError::invalid_str(
            format!("{path}.name"),
            &src.name,
            "must be a standard resource for containers",
        ));
    }
    if src.container.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.container"),
            "must specify a container",
        ));
    } else {
        for msg in v::is_dns1123_label(&src.container) {
            errs.push(FieldError::invalid_str(
                format!("{path}.container"),
                &src.container,
                msg,
            ));
        }
    }
    metric_target(&src.target, &format!("{path}.target"), errs);
    utilization_or_value(&src.target, path, errs);
}

/// core helper IsStandardContainerResourceName.
fn is_standard_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-")
}

/// A resource target needs exactly one of averageUtilization and averageValue.
fn utilization_or_value(target: &autoscalingv2::MetricTarget, path: &str, errs: &mut ErrorList) {
    match (&target.average_utilization, &target.average_value) {
        (None, None) => errs.push(FieldError::required(
            format!("{path}.target.averageUtilization"),
            "must set either a target raw value or a target utilization",
        )),
        (Some(_), Some(_)) => errs.push(FieldError::forbidden(
            format!("{path}.target.averageValue"),
            "may not set both a target raw value and a target utilization",
        )),
        _ => {}
    }
}

/// Mirrors `validateMetricTarget`.
fn metric_target(t: &autoscalingv2::MetricTarget, path: &str, errs: &mut ErrorList) {
    if t.type_.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.type"),
            "must specify a metric target type",
        ));
    }
    if !matches!(t.type_.as_str(), "Utilization" | "Value" | "AverageValue") {
        errs.push(FieldError::invalid(
            format!("{path}.type"),
            quote(&t.type_),
            "must be either Utilization, Value, or AverageValue",
        ));
    }
    for (field, q) in [("value", &t.value), ("averageValue", &t.average_value)] {
        if let Some(q) = q.as_ref().and_then(parsed)
            && q.sign() != 1
        {
            errs.push(FieldError::invalid(
                format!("{path}.{field}"),
                q.go_syntax(),
                "must be positive",
            ));
        }
    }
    if let Some(u) = t.average_utilization
        && u < 1
    {
        errs.push(FieldError::invalid(
            format!("{path}.averageUtilization"),
            u.to_string(),
            "must be greater than 0",
        ));
    }
}

/// A stored quantity (already canonical, so it parses).
fn parsed(q: &ApiQuantity) -> Option<Quantity> {
    Quantity::parse(&q.0).ok()
}

/// Mirrors `validateMetricIdentifier`.
fn metric_identifier(id: &autoscalingv2::MetricIdentifier, path: &str, errs: &mut ErrorList) {
    if id.name.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.name"),
            "must specify a metric name",
        ));
    } else {
        for msg in path_segment_name(&id.name) {
            errs.push(FieldError::invalid_str(
                format!("{path}.name"),
                &id.name,
                msg,
            ));
        }
    }
}

/// Mirrors `validateScalingRules` and `validateScalingPolicy`.
fn scaling_rules(rules: Option<&autoscalingv2::HPAScalingRules>, path: &str, errs: &mut ErrorList) {
    let Some(rules) = rules else {
        return;
    };
    if let Some(w) = rules.stabilization_window_seconds {
        if w < 0 {
            errs.push(FieldError::invalid(
                format!("{path}.stabilizationWindowSeconds"),
                w.to_string(),
                "must be greater than or equal to zero",
            ));
        }
        if w > MAX_STABILIZATION_WINDOW_SECONDS {
            errs.push(FieldError::invalid(
                format!("{path}.stabilizationWindowSeconds"),
                w.to_string(),
                format!("must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}"),
            ));
        }
    }
    if let Some(select) = rules.select_policy.as_deref()
        && !SELECT_POLICIES.contains(&select)
    {
        errs.push(FieldError::not_supported(
            format!("{path}.selectPolicy"),
            quote(select),
            &SELECT_POLICIES,
        ));
    }
    let policies = rules.policies.as_deref().unwrap_or_default();
    if policies.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.policies"),
            "must specify at least one Policy",
        ));
    }
    for (i, p) in policies.iter().enumerate() {
        let at = format!("{path}.policies[{i}]");
        if !POLICY_TYPES.contains(&p.type_.as_str()) {
            errs.push(FieldError::not_supported(
                format!("{at}.type"),
                quote(&p.type_),
                &POLICY_TYPES,
            ));
        }
        if p.value <= 0 {
            errs.push(FieldError::invalid(
                format!("{at}.value"),
                p.value.to_string(),
                "must be greater than zero",
            ));
        }
        if p.period_seconds <= 0 {
            errs.push(FieldError::invalid(
                format!("{at}.periodSeconds"),
                p.period_seconds.to_string(),
                "must be greater than zero",
            ));
        }
        if p.period_seconds > MAX_PERIOD_SECONDS {
            errs.push(FieldError::invalid(
                format!("{at}.periodSeconds"),
                p.period_seconds.to_string(),
                format!("must be less than or equal to {MAX_PERIOD_SECONDS}"),
            ));
        }
    }
}
