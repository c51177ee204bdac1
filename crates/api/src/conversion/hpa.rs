//! autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler: one resource served in two
//! versions and stored as v2 (the storage version of v1.34).
//!
//! Mirrors pkg/apis/autoscaling/v1/conversion.go (v1.34), composed with v2's conversion (v2 is
//! field for field the internal type): v1's `targetCPUUtilizationPercentage` is the first
//! `Resource` cpu metric with an `averageUtilization` target, and
//! `currentCPUUtilizationPercentage` its current value. What v1 has no field for travels in
//! annotations, so a v1 client's read-modify-write keeps it: the other metrics
//! (`autoscaling.alpha.kubernetes.io/metrics`, in v1's own metric format), the current metrics
//! (`…/current-metrics`), the conditions (`…/conditions`) and the behavior (`…/behavior`, the
//! internal Go type marshalled with its Go field names). Writing through v1 reads them back
//! and drops them, so they are never stored.
//!
//! An annotation that does not decode is ignored and dropped, as upstream's `err == nil`
//! guards do ("only move well-formed data from annotations to fields"): the request succeeds.
//!
//! Deliberate gaps: label selectors inside the annotations print their fields in k8s-openapi's
//! order (`matchExpressions` before `matchLabels`); the JSON names in the annotations are read
//! case-sensitively (Go's decoder ignores case).

use k8s_openapi::api::autoscaling::{v1 as autoscalingv1, v2 as autoscalingv2};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, Time};
use serde::{Deserialize, Serialize};

/// Annotation names of pkg/apis/autoscaling/annotations.go.
pub const METRICS: &str = "autoscaling.alpha.kubernetes.io/metrics";
pub const CURRENT_METRICS: &str = "autoscaling.alpha.kubernetes.io/current-metrics";
pub const CONDITIONS: &str = "autoscaling.alpha.kubernetes.io/conditions";
pub const BEHAVIOR: &str = "autoscaling.alpha.kubernetes.io/behavior";

/// The CPU target an autoscaling/v1 object without one gets (`DefaultCPUUtilization`).
const DEFAULT_CPU_UTILIZATION: i32 = 80;

/// An autoscaling/v1 HorizontalPodAutoscaler as the v2 object it is stored as.
pub fn to_v2(h: autoscalingv1::HorizontalPodAutoscaler) -> autoscalingv2::HorizontalPodAutoscaler {
    let mut metadata = h.metadata;
    let annotations = metadata.annotations.take().unwrap_or_default();
    let spec = h.spec.unwrap_or_default();
    let status = h.status.unwrap_or_default();

    let mut metrics: Vec<autoscalingv2::MetricSpec> =
        annotation::<Vec<V1MetricSpec>>(&annotations, METRICS)
            .unwrap_or_default()
            .into_iter()
            // The CPU utilization target comes from the field, never from the annotation.
            .filter(|m| !m.is_cpu_utilization())
            .map(V1MetricSpec::into_v2)
            .collect();
    if let Some(target) = spec.target_cpu_utilization_percentage {
        metrics.push(cpu_utilization(target));
    }
    if metrics.is_empty() {
        metrics.push(cpu_utilization(DEFAULT_CPU_UTILIZATION));
    }
    let behavior = annotation::<GoBehavior>(&annotations, BEHAVIOR)
        .filter(|b| b.scale_up.is_some() || b.scale_down.is_some())
        .map(GoBehavior::into_v2);

    let current_metrics = match annotation::<Vec<V1MetricStatus>>(&annotations, CURRENT_METRICS) {
        Some(list) => Some(list.into_iter().map(V1MetricStatus::into_v2).collect()),
        None => status.current_cpu_utilization_percentage.map(|c| {
            vec![autoscalingv2::MetricStatus {
                type_: "Resource".into(),
                resource: Some(autoscalingv2::ResourceMetricStatus {
                    name: "cpu".into(),
                    current: autoscalingv2::MetricValueStatus {
                        average_utilization: Some(c),
                        ..Default::default()
                    },
                }),
                ..Default::default()
            }]
        }),
    };
    let conditions = annotation::<Vec<V1Condition>>(&annotations, CONDITIONS)
        .map(|list| list.into_iter().map(V1Condition::into_v2).collect());

    let mut kept = annotations;
    kept.retain(|k, _| !is_round_trip(k));
    metadata.annotations = (!kept.is_empty()).then_some(kept);

    autoscalingv2::HorizontalPodAutoscaler {
        metadata,
        spec: Some(autoscalingv2::HorizontalPodAutoscalerSpec {
            behavior,
            max_replicas: spec.max_replicas,
            metrics: Some(metrics),
            min_replicas: spec.min_replicas,
            scale_target_ref: autoscalingv2::CrossVersionObjectReference {
                api_version: spec.scale_target_ref.api_version,
                kind: spec.scale_target_ref.kind,
                name: spec.scale_target_ref.name,
            },
        }),
        // v1's status is a struct, so it is always sent; an empty one is no status.
        status: Some(autoscalingv2::HorizontalPodAutoscalerStatus {
            conditions,
            current_metrics,
            current_replicas: Some(status.current_replicas).filter(|&n| n != 0),
            desired_replicas: status.desired_replicas,
            last_scale_time: status.last_scale_time,
            observed_generation: status.observed_generation,
        })
        .filter(|s| *s != autoscalingv2::HorizontalPodAutoscalerStatus::default()),
    }
}

/// A stored v2 HorizontalPodAutoscaler as autoscaling/v1 serves it.
pub fn to_v1(h: autoscalingv2::HorizontalPodAutoscaler) -> autoscalingv1::HorizontalPodAutoscaler {
    let mut metadata = h.metadata;
    let spec = h.spec.unwrap_or_default();
    let status = h.status.unwrap_or_default();
    let metrics = spec.metrics.unwrap_or_default();
    let current = status.current_metrics.unwrap_or_default();
    let conditions = status.conditions.unwrap_or_default();

    // Round-trip annotations a v2 client wrote are replaced by the ones conversion makes.
    let mut annotations = metadata.annotations.take().unwrap_or_default();
    annotations.retain(|k, _| !is_round_trip(k));
    let other: Vec<V1MetricSpec> = metrics
        .iter()
        .filter(|m| !is_cpu_utilization(m))
        .map(V1MetricSpec::from_v2)
        .collect();
    if !other.is_empty() {
        annotations.insert(METRICS.into(), go_json(&other));
    }
    if !current.is_empty() {
        let list: Vec<V1MetricStatus> = current.iter().map(V1MetricStatus::from_v2).collect();
        annotations.insert(CURRENT_METRICS.into(), go_json(&list));
    }
    if let Some(b) = &spec.behavior {
        annotations.insert(BEHAVIOR.into(), go_json(&GoBehavior::from_v2(b)));
    }
    if !conditions.is_empty() {
        let list: Vec<V1Condition> = conditions.iter().map(V1Condition::from_v2).collect();
        annotations.insert(CONDITIONS.into(), go_json(&list));
    }
    metadata.annotations = (!annotations.is_empty()).then_some(annotations);

    // The first cpu Resource metric decides the v1 target (a cpu metric by value gives none).
    let target_cpu = metrics
        .iter()
        .find_map(|m| cpu_resource(m).map(|r| r.target.average_utilization))
        .flatten();
    // Every cpu Resource status is visited; the last one with a utilization wins.
    let current_cpu = current
        .iter()
        .filter(|m| m.type_ == "Resource")
        .filter_map(|m| m.resource.as_ref())
        .filter(|r| r.name == "cpu")
        .filter_map(|r| r.current.average_utilization)
        .next_back();

    autoscalingv1::HorizontalPodAutoscaler {
        metadata,
        spec: Some(autoscalingv1::HorizontalPodAutoscalerSpec {
            max_replicas: spec.max_replicas,
            min_replicas: spec.min_replicas,
            scale_target_ref: autoscalingv1::CrossVersionObjectReference {
                api_version: spec.scale_target_ref.api_version,
                kind: spec.scale_target_ref.kind,
                name: spec.scale_target_ref.name,
            },
            target_cpu_utilization_percentage: target_cpu,
        }),
        status: Some(autoscalingv1::HorizontalPodAutoscalerStatus {
            current_cpu_utilization_percentage: current_cpu,
            current_replicas: status.current_replicas.unwrap_or(0),
            desired_replicas: status.desired_replicas,
            last_scale_time: status.last_scale_time,
            observed_generation: status.observed_generation,
        }),
    }
}

fn is_round_trip(key: &str) -> bool {
    [METRICS, CURRENT_METRICS, CONDITIONS, BEHAVIOR].contains(&key)
}

fn annotation<T: for<'de> Deserialize<'de>>(
    annotations: &std::collections::BTreeMap<String, String>,
    key: &str,
) -> Option<T> {
    crate::typed::from_json_str(annotations.get(key)?).ok()
}

/// Go's `json.Marshal`: compact, fields in declaration order (the wire format's JSON, which
/// is serde_json's text without its serializer built again for these types).
fn go_json<T: Serialize>(value: &T) -> String {
    crate::wire::to_json(value)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

fn cpu_utilization(target: i32) -> autoscalingv2::MetricSpec {
    autoscalingv2::MetricSpec {
        type_: "Resource".into(),
        resource: Some(autoscalingv2::ResourceMetricSource {
            name: "cpu".into(),
            target: autoscalingv2::MetricTarget {
                type_: "Utilization".into(),
                average_utilization: Some(target),
                ..Default::default()
            },
        }),
        ..Default::default()
    }
}

fn cpu_resource(m: &autoscalingv2::MetricSpec) -> Option<&autoscalingv2::ResourceMetricSource> {
    m.resource
        .as_ref()
        .filter(|r| m.type_ == "Resource" && r.name == "cpu")
}

/// A metric v1 carries as `targetCPUUtilizationPercentage` rather than in the annotation.
fn is_cpu_utilization(m: &autoscalingv2::MetricSpec) -> bool {
    cpu_resource(m).is_some_and(|r| r.target.average_utilization.is_some())
}

// ---- autoscaling/v1's metric types (only ever seen inside the annotations) ----

#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct V1Reference {
    kind: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_version: Option<String>,
}

impl V1Reference {
    fn from_v2(r: &autoscalingv2::CrossVersionObjectReference) -> Self {
        V1Reference {
            kind: r.kind.clone(),
            name: r.name.clone(),
            api_version: r.api_version.clone().filter(|v| !v.is_empty()),
        }
    }

    fn into_v2(self) -> autoscalingv2::CrossVersionObjectReference {
        autoscalingv2::CrossVersionObjectReference {
            api_version: self.api_version,
            kind: self.kind,
            name: self.name,
        }
    }
}

/// autoscaling/v1 `MetricSpec` (the v2beta1 shape: targets flattened into the source).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1MetricSpec {
    #[serde(rename = "type")]
    type_: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    object: Option<V1ObjectSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pods: Option<V1PodsSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource: Option<V1ResourceSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    container_resource: Option<V1ContainerResourceSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external: Option<V1ExternalSource>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1ObjectSource {
    target: V1Reference,
    metric_name: String,
    #[serde(default)]
    target_value: Quantity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selector: Option<LabelSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    average_value: Option<Quantity>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1PodsSource {
    metric_name: String,
    #[serde(default)]
    target_average_value: Quantity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selector: Option<LabelSelector>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1ResourceSource {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_average_utilization: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_average_value: Option<Quantity>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1ContainerResourceSource {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_average_utilization: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_average_value: Option<Quantity>,
    container: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1ExternalSource {
    metric_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metric_selector: Option<LabelSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_value: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_average_value: Option<Quantity>,
}

/// A v1 target as v2's: utilization when given, else the value kind the v1 source implies.
fn target(
    type_: &str,
    value: Option<Quantity>,
    average_value: Option<Quantity>,
    average_utilization: Option<i32>,
) -> autoscalingv2::MetricTarget {
    autoscalingv2::MetricTarget {
        type_: type_.into(),
        value,
        average_value,
        average_utilization,
    }
}

impl V1MetricSpec {
    fn is_cpu_utilization(&self) -> bool {
        self.type_ == "Resource"
            && self
                .resource
                .as_ref()
                .is_some_and(|r| r.name == "cpu" && r.target_average_utilization.is_some())
    }

    fn from_v2(m: &autoscalingv2::MetricSpec) -> Self {
        V1MetricSpec {
            type_: m.type_.clone(),
            object: m.object.as_ref().map(|o| V1ObjectSource {
                target: V1Reference::from_v2(&o.described_object),
                metric_name: o.metric.name.clone(),
                target_value: or_zero(o.target.value.as_ref()),
                selector: o.metric.selector.clone(),
                average_value: o.target.average_value.clone(),
            }),
            pods: m.pods.as_ref().map(|p| V1PodsSource {
                metric_name: p.metric.name.clone(),
                target_average_value: or_zero(p.target.average_value.as_ref()),
                selector: p.metric.selector.clone(),
            }),
            resource: m.resource.as_ref().map(|r| V1ResourceSource {
                name: r.name.clone(),
                target_average_utilization: r.target.average_utilization,
                target_average_value: r.target.average_value.clone(),
            }),
            container_resource: m
                .container_resource
                .as_ref()
                .map(|r| V1ContainerResourceSource {
                    name: r.name.clone(),
                    target_average_utilization: r.target.average_utilization,
                    target_average_value: r.target.average_value.clone(),
                    container: r.container.clone(),
                }),
            external: m.external.as_ref().map(|e| V1ExternalSource {
                metric_name: e.metric.name.clone(),
                metric_selector: e.metric.selector.clone(),
                target_value: e.target.value.clone(),
                target_average_value: e.target.average_value.clone(),
            }),
        }
    }

    fn into_v2(self) -> autoscalingv2::MetricSpec {
        let utilization_or_value = |u: &Option<i32>| {
            if u.is_some() {
                "Utilization"
            } else {
                "AverageValue"
            }
        };
        autoscalingv2::MetricSpec {
            type_: self.type_,
            object: self.object.map(|o| {
                let kind = if o.average_value.is_some() {
                    "AverageValue"
                } else {
                    "Value"
                };
                autoscalingv2::ObjectMetricSource {
                    described_object: o.target.into_v2(),
                    metric: autoscalingv2::MetricIdentifier {
                        name: o.metric_name,
                        selector: o.selector,
                    },
                    target: target(kind, Some(o.target_value), o.average_value, None),
                }
            }),
            pods: self.pods.map(|p| autoscalingv2::PodsMetricSource {
                metric: autoscalingv2::MetricIdentifier {
                    name: p.metric_name,
                    selector: p.selector,
                },
                target: target("AverageValue", None, Some(p.target_average_value), None),
            }),
            resource: self.resource.map(|r| autoscalingv2::ResourceMetricSource {
                target: target(
                    utilization_or_value(&r.target_average_utilization),
                    None,
                    r.target_average_value,
                    r.target_average_utilization,
                ),
                name: r.name,
            }),
            container_resource: self.container_resource.map(|r| {
                autoscalingv2::ContainerResourceMetricSource {
                    target: target(
                        utilization_or_value(&r.target_average_utilization),
                        None,
                        r.target_average_value,
                        r.target_average_utilization,
                    ),
                    name: r.name,
                    container: r.container,
                }
            }),
            external: self.external.map(|e| {
                let kind = if e.target_value.is_some() {
                    "Value"
                } else {
                    "AverageValue"
                };
                autoscalingv2::ExternalMetricSource {
                    metric: autoscalingv2::MetricIdentifier {
                        name: e.metric_name,
                        selector: e.metric_selector,
                    },
                    target: target(kind, e.target_value, e.target_average_value, None),
                }
            }),
        }
    }
}

/// autoscaling/v1 `MetricStatus`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1MetricStatus {
    #[serde(rename = "type")]
    type_: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    object: Option<V1ObjectStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pods: Option<V1PodsStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource: Option<V1ResourceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    container_resource: Option<V1ContainerResourceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external: Option<V1ExternalStatus>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1ObjectStatus {
    target: V1Reference,
    metric_name: String,
    #[serde(default)]
    current_value: Quantity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selector: Option<LabelSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    average_value: Option<Quantity>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1PodsStatus {
    metric_name: String,
    #[serde(default)]
    current_average_value: Quantity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selector: Option<LabelSelector>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1ResourceStatus {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current_average_utilization: Option<i32>,
    #[serde(default)]
    current_average_value: Quantity,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1ContainerResourceStatus {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current_average_utilization: Option<i32>,
    #[serde(default)]
    current_average_value: Quantity,
    container: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1ExternalStatus {
    metric_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metric_selector: Option<LabelSelector>,
    #[serde(default)]
    current_value: Quantity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current_average_value: Option<Quantity>,
}

/// Go's zero Quantity prints as "0".
fn or_zero(q: Option<&Quantity>) -> Quantity {
    q.cloned().unwrap_or_else(|| Quantity("0".into()))
}

impl V1MetricStatus {
    fn from_v2(m: &autoscalingv2::MetricStatus) -> Self {
        V1MetricStatus {
            type_: m.type_.clone(),
            object: m.object.as_ref().map(|o| V1ObjectStatus {
                target: V1Reference::from_v2(&o.described_object),
                metric_name: o.metric.name.clone(),
                current_value: or_zero(o.current.value.as_ref()),
                selector: o.metric.selector.clone(),
                average_value: o.current.average_value.clone(),
            }),
            pods: m.pods.as_ref().map(|p| V1PodsStatus {
                metric_name: p.metric.name.clone(),
                current_average_value: or_zero(p.current.average_value.as_ref()),
                selector: p.metric.selector.clone(),
            }),
            resource: m.resource.as_ref().map(|r| V1ResourceStatus {
                name: r.name.clone(),
                current_average_utilization: r.current.average_utilization,
                current_average_value: or_zero(r.current.average_value.as_ref()),
            }),
            container_resource: m
                .container_resource
                .as_ref()
                .map(|r| V1ContainerResourceStatus {
                    name: r.name.clone(),
                    current_average_utilization: r.current.average_utilization,
                    current_average_value: or_zero(r.current.average_value.as_ref()),
                    container: r.container.clone(),
                }),
            external: m.external.as_ref().map(|e| V1ExternalStatus {
                metric_name: e.metric.name.clone(),
                metric_selector: e.metric.selector.clone(),
                current_value: or_zero(e.current.value.as_ref()),
                current_average_value: e.current.average_value.clone(),
            }),
        }
    }

    fn into_v2(self) -> autoscalingv2::MetricStatus {
        let value = |value, average_value, average_utilization| autoscalingv2::MetricValueStatus {
            value,
            average_value,
            average_utilization,
        };
        autoscalingv2::MetricStatus {
            type_: self.type_,
            object: self.object.map(|o| autoscalingv2::ObjectMetricStatus {
                described_object: o.target.into_v2(),
                metric: autoscalingv2::MetricIdentifier {
                    name: o.metric_name,
                    selector: o.selector,
                },
                current: value(Some(o.current_value), o.average_value, None),
            }),
            pods: self.pods.map(|p| autoscalingv2::PodsMetricStatus {
                metric: autoscalingv2::MetricIdentifier {
                    name: p.metric_name,
                    selector: p.selector,
                },
                current: value(None, Some(p.current_average_value), None),
            }),
            resource: self.resource.map(|r| autoscalingv2::ResourceMetricStatus {
                name: r.name,
                current: value(
                    None,
                    Some(r.current_average_value),
                    r.current_average_utilization,
                ),
            }),
            container_resource: self.container_resource.map(|r| {
                autoscalingv2::ContainerResourceMetricStatus {
                    name: r.name,
                    container: r.container,
                    current: value(
                        None,
                        Some(r.current_average_value),
                        r.current_average_utilization,
                    ),
                }
            }),
            external: self.external.map(|e| autoscalingv2::ExternalMetricStatus {
                metric: autoscalingv2::MetricIdentifier {
                    name: e.metric_name,
                    selector: e.metric_selector,
                },
                current: value(Some(e.current_value), e.current_average_value, None),
            }),
        }
    }
}

/// autoscaling/v1 `HorizontalPodAutoscalerCondition` (a zero time marshals as null).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1Condition {
    #[serde(rename = "type")]
    type_: String,
    status: String,
    #[serde(default)]
    last_transition_time: Option<Time>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    reason: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    message: String,
}

impl V1Condition {
    fn from_v2(c: &autoscalingv2::HorizontalPodAutoscalerCondition) -> Self {
        V1Condition {
            type_: c.type_.clone(),
            status: c.status.clone(),
            last_transition_time: c.last_transition_time.clone(),
            reason: c.reason.clone().unwrap_or_default(),
            message: c.message.clone().unwrap_or_default(),
        }
    }

    fn into_v2(self) -> autoscalingv2::HorizontalPodAutoscalerCondition {
        autoscalingv2::HorizontalPodAutoscalerCondition {
            last_transition_time: self.last_transition_time,
            message: Some(self.message).filter(|m| !m.is_empty()),
            reason: Some(self.reason).filter(|r| !r.is_empty()),
            status: self.status,
            type_: self.type_,
        }
    }
}

/// The internal `HorizontalPodAutoscalerBehavior` as Go marshals it: no JSON tags, so the Go
/// field names, and nil pointers as null.
#[derive(Serialize, Deserialize)]
struct GoBehavior {
    #[serde(rename = "ScaleUp", default)]
    scale_up: Option<GoRules>,
    #[serde(rename = "ScaleDown", default)]
    scale_down: Option<GoRules>,
}

#[derive(Serialize, Deserialize)]
struct GoRules {
    #[serde(rename = "StabilizationWindowSeconds", default)]
    stabilization_window_seconds: Option<i32>,
    #[serde(rename = "SelectPolicy", default)]
    select_policy: Option<String>,
    #[serde(rename = "Policies", default)]
    policies: Option<Vec<GoPolicy>>,
    #[serde(rename = "Tolerance", default)]
    tolerance: Option<Quantity>,
}

#[derive(Serialize, Deserialize)]
struct GoPolicy {
    #[serde(rename = "Type", default)]
    type_: String,
    #[serde(rename = "Value", default)]
    value: i32,
    #[serde(rename = "PeriodSeconds", default)]
    period_seconds: i32,
}

impl GoBehavior {
    fn from_v2(b: &autoscalingv2::HorizontalPodAutoscalerBehavior) -> Self {
        let rules = |r: &autoscalingv2::HPAScalingRules| GoRules {
            stabilization_window_seconds: r.stabilization_window_seconds,
            select_policy: r.select_policy.clone(),
            policies: r.policies.as_ref().map(|ps| {
                ps.iter()
                    .map(|p| GoPolicy {
                        type_: p.type_.clone(),
                        value: p.value,
                        period_seconds: p.period_seconds,
                    })
                    .collect()
            }),
            tolerance: r.tolerance.clone(),
        };
        GoBehavior {
            scale_up: b.scale_up.as_ref().map(rules),
            scale_down: b.scale_down.as_ref().map(rules),
        }
    }

    fn into_v2(self) -> autoscalingv2::HorizontalPodAutoscalerBehavior {
        let rules = |r: GoRules| autoscalingv2::HPAScalingRules {
            policies: r.policies.map(|ps| {
                ps.into_iter()
                    .map(|p| autoscalingv2::HPAScalingPolicy {
                        type_: p.type_,
                        value: p.value,
                        period_seconds: p.period_seconds,
                    })
                    .collect()
            }),
            select_policy: r.select_policy,
            stabilization_window_seconds: r.stabilization_window_seconds,
            tolerance: r.tolerance,
        };
        autoscalingv2::HorizontalPodAutoscalerBehavior {
            scale_up: self.scale_up.map(rules),
            scale_down: self.scale_down.map(rules),
        }
    }
}

#[cfg(test)]
mod tests;
