//! Resources served in more than one group or version but stored once, as upstream keeps
//! them in one etcd prefix: an events.k8s.io/v1 Event is a core/v1 Event in storage
//! (pkg/apis/events/v1/conversion.go, v1.34). Writes are converted to the stored form by
//! `api::conversion::to_stored`; reads through the other version convert here.
//!
//! Deliberate gap: autoscaling/v1 and v2 HorizontalPodAutoscalers are still stored apart.

use std::sync::Arc;

use api::{KindInfo, Object};

/// Whether `info` is served from another kind's storage.
fn is_events_v1(info: &KindInfo) -> bool {
    info.group == "events.k8s.io" && info.kind == "Event"
}

/// The registry row whose table holds the objects of `info`.
pub(crate) fn storage_info(info: &KindInfo) -> &KindInfo {
    if is_events_v1(info) {
        api::by_gvk("v1", "Event").unwrap_or(info)
    } else {
        info
    }
}

/// The registry row of `info` when its objects are stored as another kind's (a watch
/// remembers it to convert what it delivers), else None.
pub(crate) fn served_apart(info: &KindInfo) -> Option<&'static KindInfo> {
    is_events_v1(info)
        .then(|| api::by_gvk("events.k8s.io/v1", "Event"))
        .flatten()
}

/// A stored object as the version `info` serves it.
pub(crate) fn as_served(info: &KindInfo, obj: Arc<Object>) -> Arc<Object> {
    match &*obj {
        Object::Event(e) if is_events_v1(info) => Arc::new(Object::EventsV1Event(
            api::conversion::events::from_core(e.clone()),
        )),
        _ => obj,
    }
}
