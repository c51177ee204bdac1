//! Resources served in more than one group or version but stored once, as upstream keeps
//! them in one etcd prefix: an events.k8s.io/v1 Event is a core/v1 Event in storage
//! (pkg/apis/events/v1/conversion.go, v1.34), an autoscaling/v1 HorizontalPodAutoscaler an
//! autoscaling/v2 one (pkg/apis/autoscaling/v1/conversion.go). Writes are converted to the
//! stored form by `api::conversion::to_stored`; reads through the other version convert here.

use std::sync::Arc;

use api::{KindInfo, Object};

/// The registry row (group/version, kind) whose table holds the objects of `info`, when it
/// is another row's.
fn stored_as(info: &KindInfo) -> Option<(&'static str, &'static str)> {
    match (info.group, info.version, info.kind) {
        ("events.k8s.io", _, "Event") => Some(("v1", "Event")),
        ("autoscaling", "v1", "HorizontalPodAutoscaler") => {
            Some(("autoscaling/v2", "HorizontalPodAutoscaler"))
        }
        _ => None,
    }
}

/// Whether a write through `info` gets the strict Event rules of events.k8s.io/v1
/// (pkg/apis/core/validation/events.go: every request version but core/v1).
pub(crate) fn strict_events(info: &KindInfo) -> bool {
    info.group == "events.k8s.io" && info.kind == "Event"
}

/// The registry row whose table holds the objects of `info`.
pub(crate) fn storage_info(info: &KindInfo) -> &KindInfo {
    stored_as(info)
        .and_then(|(gv, kind)| api::by_gvk(gv, kind))
        .unwrap_or(info)
}

/// The registry row of `info` when its objects are stored as another kind's (a watch
/// remembers it to convert what it delivers), else None.
pub(crate) fn served_apart(info: &KindInfo) -> Option<&'static KindInfo> {
    stored_as(info).and_then(|_| api::by_gvk(&info.api_version(), info.kind))
}

/// A stored object as the version `info` serves it.
pub(crate) fn as_served(info: &KindInfo, obj: Arc<Object>) -> Arc<Object> {
    if stored_as(info).is_none() {
        return obj;
    }
    let mut served = match &*obj {
        Object::Event(e) => Object::EventsV1Event(api::conversion::events::from_core(e.clone())),
        Object::HorizontalPodAutoscaler(h) => {
            Object::HorizontalPodAutoscalerV1(api::conversion::hpa::to_v1(h.clone()))
        }
        _ => return obj,
    };
    // Served as Go encodes the converted object, as the stored one is.
    api::omitempty::normalize(&mut served);
    Arc::new(served)
}
