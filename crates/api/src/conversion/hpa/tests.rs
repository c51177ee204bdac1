//! Cases after pkg/apis/autoscaling/v1/conversion_test.go (v1.34): the CPU target through
//! the field, everything else through the round-trip annotations.

use serde_json::{Value, json};

use super::*;

fn v1(value: Value) -> autoscalingv1::HorizontalPodAutoscaler {
    serde_json::from_value(value).expect("a v1 HorizontalPodAutoscaler")
}

fn v2(value: Value) -> autoscalingv2::HorizontalPodAutoscaler {
    serde_json::from_value(value).expect("a v2 HorizontalPodAutoscaler")
}

fn json_of<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).expect("serializes")
}

const TARGET: &str = r#"{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}"#;

fn target_ref() -> Value {
    serde_json::from_str(TARGET).expect("json")
}

#[test]
fn the_v1_cpu_target_is_a_v2_resource_metric() {
    let got = to_v2(v1(json!({
        "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": target_ref(), "maxReplicas": 5, "targetCPUUtilizationPercentage": 50},
    })));
    assert_eq!(
        json_of(&got.spec),
        json!({"scaleTargetRef": target_ref(), "maxReplicas": 5, "metrics": [
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}
        ]})
    );
    assert_eq!(got.status, None, "an empty v1 status is no status");
}

#[test]
fn a_v1_object_without_a_target_gets_the_default_cpu_metric() {
    let got = to_v2(v1(json!({
        "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": target_ref(), "maxReplicas": 5},
    })));
    let metrics = json_of(&got.spec.expect("spec").metrics);
    assert_eq!(
        metrics,
        json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}])
    );
}

/// A v2 object with what v1 has no fields for.
fn rich_v2() -> autoscalingv2::HorizontalPodAutoscaler {
    v2(json!({
        "metadata": {"name": "web", "annotations": {"team": "a", METRICS: "[]"}},
        "spec": {
            "scaleTargetRef": target_ref(), "minReplicas": 1, "maxReplicas": 5,
            "metrics": [
                {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "200Mi"}}},
                {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "10"}}},
                {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}},
            ],
            "behavior": {
                "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
                    {"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]},
                "scaleDown": {"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]},
            },
        },
        "status": {
            "currentReplicas": 2, "desiredReplicas": 3,
            "currentMetrics": [
                {"type": "Resource", "resource": {"name": "memory", "current": {"averageValue": "100Mi"}}},
                {"type": "Resource", "resource": {"name": "cpu", "current": {"averageValue": "120m", "averageUtilization": 75}}},
            ],
            "conditions": [
                {"type": "AbleToScale", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z",
                 "reason": "ReadyForNewScale", "message": "recommended size matches current size"},
            ],
        },
    }))
}

#[test]
fn v2_only_fields_travel_in_annotations() {
    let got = to_v1(rich_v2());
    let spec = got.spec.as_ref().expect("spec");
    assert_eq!(spec.target_cpu_utilization_percentage, Some(60));
    let status = got.status.as_ref().expect("status");
    assert_eq!(status.current_cpu_utilization_percentage, Some(75));
    assert_eq!((status.current_replicas, status.desired_replicas), (2, 3));
    let a = got.metadata.annotations.as_ref().expect("annotations");
    assert_eq!(a["team"], "a");
    assert_eq!(
        a[METRICS],
        r#"[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"200Mi"}},{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"10"}}]"#
    );
    assert_eq!(
        a[CURRENT_METRICS],
        r#"[{"type":"Resource","resource":{"name":"memory","currentAverageValue":"100Mi"}},{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":75,"currentAverageValue":"120m"}}]"#
    );
    assert_eq!(
        a[CONDITIONS],
        r#"[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"ReadyForNewScale","message":"recommended size matches current size"}]"#
    );
    assert_eq!(
        a[BEHAVIOR],
        r#"{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":{"StabilizationWindowSeconds":null,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null}}"#
    );
}

#[test]
fn a_v1_read_modify_write_keeps_the_v2_fields() {
    let original = rich_v2();
    let back = to_v2(to_v1(original.clone()));
    // The annotations are dropped again (the one a v2 client set included).
    assert_eq!(json_of(&back.metadata.annotations), json!({"team": "a"}));
    assert_eq!(json_of(&back.spec), json_of(&original.spec));
    assert_eq!(json_of(&back.status), json_of(&original.status));
}

#[test]
fn a_cpu_metric_by_value_is_no_v1_target() {
    let got = to_v1(v2(json!({
        "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": target_ref(), "maxReplicas": 5, "metrics": [
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "AverageValue", "averageValue": "500m"}}},
        ]},
    })));
    assert_eq!(
        got.spec
            .as_ref()
            .expect("spec")
            .target_cpu_utilization_percentage,
        None
    );
    let a = got.metadata.annotations.expect("annotations");
    assert_eq!(
        a[METRICS],
        r#"[{"type":"Resource","resource":{"name":"cpu","targetAverageValue":"500m"}}]"#
    );
    // v1's status is a struct: always there.
    assert_eq!(
        json_of(&got.status),
        json!({"currentReplicas": 0, "desiredReplicas": 0})
    );
}
