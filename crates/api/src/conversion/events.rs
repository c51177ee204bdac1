//! core/v1 Event ⇄ events.k8s.io/v1 Event: one resource served in two versions.
//!
//! Mirrors pkg/apis/events/v1/conversion.go (v1.34) `Convert_v1_Event_To_core_Event` and
//! `Convert_core_Event_To_v1_Event`, composed with core/v1's own conversion (whose
//! `reportingComponent` is the internal `ReportingController`): `note` ⇄ `message`,
//! `regarding` ⇄ `involvedObject`, `deprecatedSource` ⇄ `source`, `deprecatedCount` ⇄
//! `count`, `deprecatedFirstTimestamp`/`deprecatedLastTimestamp` ⇄
//! `firstTimestamp`/`lastTimestamp`, `reportingController` ⇄ `reportingComponent`; the other
//! fields share their names.

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::events::v1 as eventsv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;

/// An events.k8s.io/v1 Event as the core/v1 Event it is stored as.
pub fn to_core(e: eventsv1::Event) -> corev1::Event {
    corev1::Event {
        metadata: e.metadata,
        action: e.action,
        count: e.deprecated_count,
        event_time: e.event_time,
        first_timestamp: e.deprecated_first_timestamp,
        involved_object: e.regarding.unwrap_or_default(),
        last_timestamp: e.deprecated_last_timestamp,
        message: e.note,
        reason: e.reason,
        related: e.related,
        reporting_component: e.reporting_controller,
        reporting_instance: e.reporting_instance,
        series: e.series.map(|s| corev1::EventSeries {
            count: Some(s.count),
            // Go's zero time is the internal type's unset one (validateV1EventSeries).
            last_observed_time: Some(s.last_observed_time)
                .filter(|t| !crate::gozero::is_zero(&t.0)),
        }),
        source: e.deprecated_source,
        type_: e.type_,
    }
}

/// A stored core/v1 Event as events.k8s.io/v1 serves it. `regarding` is a struct upstream,
/// so it is always present.
pub fn from_core(e: corev1::Event) -> eventsv1::Event {
    eventsv1::Event {
        metadata: e.metadata,
        action: e.action,
        deprecated_count: e.count,
        deprecated_first_timestamp: e.first_timestamp,
        deprecated_last_timestamp: e.last_timestamp,
        deprecated_source: e.source,
        event_time: e.event_time,
        note: e.message,
        reason: e.reason,
        regarding: Some(e.involved_object),
        related: e.related,
        reporting_controller: e.reporting_component,
        reporting_instance: e.reporting_instance,
        series: e.series.map(|s| eventsv1::EventSeries {
            count: s.count.unwrap_or(0),
            // Go's zero time where the core series has none (read back `null`).
            last_observed_time: s
                .last_observed_time
                .unwrap_or(MicroTime(crate::gozero::zero())),
        }),
        type_: e.type_,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The same event in both versions, field for field.
    fn pair() -> (serde_json::Value, serde_json::Value) {
        let meta = json!({"name": "web.1", "namespace": "default"});
        let pod = json!({"kind": "Pod", "namespace": "default", "name": "web", "uid": "u1"});
        let core = json!({
            "apiVersion": "v1", "kind": "Event", "metadata": meta,
            "involvedObject": pod, "reason": "Pulled", "message": "Pulled image nginx",
            "source": {"component": "kubelet", "host": "minikube"},
            "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:01:00Z",
            "count": 3, "type": "Normal", "eventTime": "2026-01-01T00:00:00.000000Z",
            "series": {"count": 2, "lastObservedTime": "2026-01-01T00:01:00.000000Z"},
            "action": "Pulling", "reportingComponent": "kubelet", "reportingInstance": "minikube",
        });
        let v1 = json!({
            "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": meta,
            "regarding": pod, "reason": "Pulled", "note": "Pulled image nginx",
            "deprecatedSource": {"component": "kubelet", "host": "minikube"},
            "deprecatedFirstTimestamp": "2026-01-01T00:00:00Z",
            "deprecatedLastTimestamp": "2026-01-01T00:01:00Z",
            "deprecatedCount": 3, "type": "Normal", "eventTime": "2026-01-01T00:00:00.000000Z",
            "series": {"count": 2, "lastObservedTime": "2026-01-01T00:01:00.000000Z"},
            "action": "Pulling", "reportingController": "kubelet", "reportingInstance": "minikube",
        });
        (core, v1)
    }

    #[test]
    fn both_ways() {
        let (core, v1) = pair();
        let core_event: corev1::Event = serde_json::from_value(core.clone()).expect("core");
        let v1_event: eventsv1::Event = serde_json::from_value(v1.clone()).expect("v1");
        let as_v1 = serde_json::to_value(from_core(core_event.clone())).expect("json");
        assert_eq!(as_v1, serde_json::to_value(&v1_event).expect("json"));
        assert_eq!(to_core(v1_event), core_event);
    }

    #[test]
    fn a_core_event_without_an_object_still_has_regarding() {
        let e = from_core(corev1::Event::default());
        assert_eq!(e.regarding, Some(corev1::ObjectReference::default()));
    }
}
