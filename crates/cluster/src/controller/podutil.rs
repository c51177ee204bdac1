//! Pod helpers controllers share: readiness, availability, activity.
//!
//! Mirrors pkg/api/v1/pod/util.go (`IsPodReady`, `IsPodAvailable`, `GetPodReadyCondition`) and
//! pkg/controller/controller_utils.go (`IsPodActive`, `FilterActivePods`), v1.34.

use k8s_openapi::api::core::v1 as corev1;

use crate::time::{SimDuration, SimTime};

/// The pod's condition of type `t`.
pub fn get_pod_condition<'a>(pod: &'a corev1::Pod, t: &str) -> Option<&'a corev1::PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == t)
}

/// Mirrors IsPodReady: the `Ready` condition is `True`.
pub fn is_pod_ready(pod: &corev1::Pod) -> bool {
    get_pod_condition(pod, "Ready").is_some_and(|c| c.status == "True")
}

/// Mirrors IsPodAvailable: ready, and for `min_ready_seconds` at least, by `now`.
pub fn is_pod_available(pod: &corev1::Pod, min_ready_seconds: i32, now: SimTime) -> bool {
    let Some(c) = get_pod_condition(pod, "Ready").filter(|c| c.status == "True") else {
        return false;
    };
    if min_ready_seconds <= 0 {
        return true;
    }
    let Some(since) = c.last_transition_time.as_ref() else {
        return false;
    };
    now.millis_since(since) >= i64::from(min_ready_seconds) * 1000
}

/// How long until a ready pod becomes available (None when not ready or already available).
pub fn time_until_available(
    pod: &corev1::Pod,
    min_ready_seconds: i32,
    now: SimTime,
) -> Option<SimDuration> {
    let c = get_pod_condition(pod, "Ready").filter(|c| c.status == "True")?;
    let since = c.last_transition_time.as_ref()?;
    let left = i64::from(min_ready_seconds) * 1000 - now.millis_since(since);
    (left > 0).then(|| SimDuration::from_millis(left as u64))
}

/// The pod's phase, empty when unset.
pub fn phase(pod: &corev1::Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

/// Mirrors IsPodActive: not Succeeded, not Failed, not being deleted.
pub fn is_pod_active(pod: &corev1::Pod) -> bool {
    let p = phase(pod);
    p != "Succeeded" && p != "Failed" && pod.metadata.deletion_timestamp.is_none()
}

/// controller_utils.go `IsPodTerminating` (FilterTerminatingPods): being deleted and not
/// yet in a terminal phase.
pub fn is_pod_terminating(pod: &corev1::Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some() && !matches!(phase(pod), "Succeeded" | "Failed")
}

/// The node a pod is bound to, if any.
pub fn node_name(pod: &corev1::Pod) -> Option<&str> {
    pod.spec
        .as_ref()?
        .node_name
        .as_deref()
        .filter(|n| !n.is_empty())
}

/// Sum of restarts of the pod's containers.
pub fn restart_count(pod: &corev1::Pod) -> i32 {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map_or(0, |cs| cs.iter().map(|c| c.restart_count).sum())
}

/// Mirrors `UpdatePodCondition` for the `DisruptionTarget` condition (pkg/api/v1/pod/util.go):
/// sets it `True` with `reason` and `message`, keeping the transition time when it was
/// already `True`. Returns None when nothing changes (so no status write is needed).
pub fn with_disruption_target(
    pod: &corev1::Pod,
    reason: &str,
    message: &str,
    now: SimTime,
) -> Option<corev1::Pod> {
    let existing = get_pod_condition(pod, "DisruptionTarget");
    if existing.is_some_and(|c| {
        c.status == "True"
            && c.reason.as_deref() == Some(reason)
            && c.message.as_deref() == Some(message)
    }) {
        return None;
    }
    let transition = existing
        .filter(|c| c.status == "True")
        .and_then(|c| c.last_transition_time.clone())
        .unwrap_or_else(|| now.to_time());
    let mut updated = pod.clone();
    let conditions = updated
        .status
        .get_or_insert_with(Default::default)
        .conditions
        .get_or_insert_with(Vec::new);
    let condition = corev1::PodCondition {
        type_: "DisruptionTarget".into(),
        status: "True".into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_transition_time: Some(transition),
        ..Default::default()
    };
    match conditions.iter_mut().find(|c| c.type_ == "DisruptionTarget") {
        Some(c) => *c = condition,
        None => conditions.push(condition),
    }
    Some(updated)
}
