//! The `endpoints.kubernetes.io/last-change-trigger-time` annotation of Endpoints and
//! EndpointSlices: when the change that caused the write happened.
//!
//! Mirrors pkg/controller/util/endpoint/trigger_time_tracker.go (v1.34): per Service, the
//! controller remembers the trigger times it saw at its last sync (each selected pod's Ready
//! condition `lastTransitionTime`, and the Service's `creationTimestamp`); a sync reports the
//! earliest of those that changed since, or the Service's creation time on its first sync.
//! Times are compared as the informer sees them, to the second.

use std::cell::RefCell;
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use crate::time::SimTime;

/// `v1.EndpointsLastChangeTriggerTime`.
pub const LAST_CHANGE_TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";

/// What the tracker remembers of one Service's last sync.
#[derive(Debug, Clone, Default)]
struct ServiceState {
    service: Option<SimTime>,
    pods: BTreeMap<String, SimTime>,
}

/// One controller's memory of trigger times, keyed by `namespace/name` of the Service.
#[derive(Debug, Default)]
pub struct TriggerTimeTracker {
    states: RefCell<BTreeMap<String, ServiceState>>,
}

impl TriggerTimeTracker {
    /// `ComputeEndpointLastChangeTriggerTime`: the trigger time of this sync (None when nothing
    /// the tracker follows changed), remembering what it saw.
    pub fn compute(&self, svc: &corev1::Service, pods: &[&corev1::Pod]) -> Option<SimTime> {
        let key = service_key(svc);
        let mut states = self.states.borrow_mut();
        let known = states.contains_key(&key);
        let state = states.entry(key).or_default();
        let mut min_changed: Option<SimTime> = None;
        let mut seen = BTreeMap::new();
        for p in pods {
            let Some(t) = pod_trigger_time(p) else { continue };
            let name = p.metadata.name.clone().unwrap_or_default();
            if state.pods.get(&name).is_none_or(|last| t > *last) {
                min_changed = Some(min_changed.map_or(t, |m| m.min(t)));
            }
            seen.insert(name, t);
        }
        let created = svc.metadata.creation_timestamp.as_ref().and_then(to_second);
        if let Some(t) = created
            && state.service.is_none_or(|last| t > last)
        {
            min_changed = Some(min_changed.map_or(t, |m| m.min(t)));
        }
        state.pods = seen;
        state.service = created;
        if known { min_changed } else { created }
    }

    /// `DeleteService`: forgets a Service that is gone.
    pub fn forget(&self, namespace: Option<&str>, name: &str) {
        let key = format!("{}/{name}", namespace.unwrap_or_default());
        self.states.borrow_mut().remove(&key);
    }
}

/// Sets the annotation to `trigger` (RFC 3339, UTC) or removes it when there is none.
pub fn set_annotation(meta: &mut metav1::ObjectMeta, trigger: Option<SimTime>) {
    match trigger {
        Some(t) => {
            meta.annotations
                .get_or_insert_with(Default::default)
                .insert(LAST_CHANGE_TRIGGER_TIME.into(), format_time(t));
        }
        None => {
            if let Some(a) = meta.annotations.as_mut() {
                a.remove(LAST_CHANGE_TRIGGER_TIME);
            }
        }
    }
    if meta.annotations.as_ref().is_some_and(BTreeMap::is_empty) {
        meta.annotations = None;
    }
}

/// `time.RFC3339Nano` of a whole-second instant: `2026-01-01T00:00:42Z`.
fn format_time(t: SimTime) -> String {
    serde_json::to_value(t.to_time())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn service_key(svc: &corev1::Service) -> String {
    format!(
        "{}/{}",
        svc.metadata.namespace.as_deref().unwrap_or_default(),
        svc.metadata.name.as_deref().unwrap_or_default()
    )
}

/// `getPodTriggerTime`: when the pod's Ready condition last changed.
fn pod_trigger_time(p: &corev1::Pod) -> Option<SimTime> {
    p.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")?
        .last_transition_time
        .as_ref()
        .and_then(to_second)
}

/// A timestamp as the informer holds it: whole seconds.
fn to_second(t: &metav1::Time) -> Option<SimTime> {
    SimTime::from_time(t).map(|s| SimTime(s.0 - s.0 % 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> metav1::Time {
        SimTime(secs * 1000 + 250).to_time()
    }

    fn service(created: u64) -> corev1::Service {
        corev1::Service {
            metadata: metav1::ObjectMeta {
                name: Some("my-service".into()),
                namespace: Some("ns".into()),
                creation_timestamp: Some(at(created)),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn pod(name: &str, ready_since: u64) -> corev1::Pod {
        corev1::Pod {
            metadata: metav1::ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            status: Some(corev1::PodStatus {
                conditions: Some(vec![corev1::PodCondition {
                    type_: "Ready".into(),
                    status: "True".into(),
                    last_transition_time: Some(at(ready_since)),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn secs(t: Option<SimTime>) -> Option<u64> {
        t.map(|t| t.0 / 1000)
    }

    /// trigger_time_tracker_test.go `TestNewServiceExistingPods`: a new Service reports its
    /// creation, whatever its pods.
    #[test]
    fn a_new_service_reports_its_creation() {
        let t = TriggerTimeTracker::default();
        let (p1, p2, p3) = (pod("pod1", 0), pod("pod2", 1), pod("pod3", 5));
        assert_eq!(secs(t.compute(&service(3), &[&p1, &p2, &p3])), Some(3));
    }

    /// `TestPodsAdded` / `TestPodsUpdated`: the earliest changed pod time, nothing when
    /// nothing changed.
    #[test]
    fn later_syncs_report_the_earliest_change() {
        let t = TriggerTimeTracker::default();
        let svc = service(0);
        assert_eq!(secs(t.compute(&svc, &[])), Some(0));
        let (p1, p2) = (pod("pod1", 2), pod("pod2", 1));
        assert_eq!(secs(t.compute(&svc, &[&p1, &p2])), Some(1));
        assert_eq!(secs(t.compute(&svc, &[&p1, &p2])), None);
        let p1 = pod("pod1", 4);
        assert_eq!(secs(t.compute(&svc, &[&p1, &p2])), Some(4));
        t.forget(Some("ns"), "my-service");
        assert_eq!(secs(t.compute(&svc, &[&p1, &p2])), Some(0));
    }

    #[test]
    fn the_annotation_is_rfc3339_to_the_second() {
        let mut meta = metav1::ObjectMeta::default();
        set_annotation(&mut meta, Some(SimTime(42_000)));
        let a = meta.annotations.clone().unwrap_or_default();
        assert_eq!(a.get(LAST_CHANGE_TRIGGER_TIME).map(String::as_str), Some("2026-01-01T00:00:42Z"));
        set_annotation(&mut meta, None);
        assert_eq!(meta.annotations, None);
    }
}
