//! The most recent events, for the events drawer and the inspector's filter.

use api::Object;
use cluster::controller::kind_of;
use cluster::{Cluster, SimTime};
use k8s_openapi::api::core::v1 as corev1;

/// How many events the drawer keeps: the newest ones.
pub const MAX_EVENTS: usize = 300;

/// One event as a row of the drawer (the columns of `kubectl events`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventView {
    pub namespace: String,
    /// Simulated milliseconds of the last occurrence.
    pub last_ms: u64,
    /// Normal or Warning.
    pub type_: String,
    pub reason: String,
    /// `kind/name` of the object, lower-case kind as `kubectl events` prints it (`pod/web-1`).
    pub object: String,
    pub message: String,
    pub count: i32,
}

/// The newest events of the namespaces shown (kube-system's only with `system`).
pub(super) fn recent(cluster: &Cluster, system: bool) -> Vec<EventView> {
    let mut out: Vec<(u64, String, EventView)> = super::list_shown(cluster, kind_of::<corev1::Event>(), system)
        .iter()
        .filter_map(|o| match &**o {
            Object::Event(e) => Some(e),
            _ => None,
        })
        .map(|e| {
            let last = e
                .last_timestamp
                .as_ref()
                .or(e.first_timestamp.as_ref())
                .and_then(SimTime::from_time)
                .map_or(0, |t| t.0);
            let involved = &e.involved_object;
            let view = EventView {
                namespace: e.metadata.namespace.clone().unwrap_or_default(),
                last_ms: last,
                type_: e.type_.clone().unwrap_or_default(),
                reason: e.reason.clone().unwrap_or_default(),
                object: format!(
                    "{}/{}",
                    involved.kind.as_deref().unwrap_or("").to_ascii_lowercase(),
                    involved.name.as_deref().unwrap_or("")
                ),
                message: e.message.clone().unwrap_or_default(),
                count: e.count.unwrap_or(1),
            };
            // Same instant: creation order, which the event name's hex suffix follows.
            (last, e.metadata.name.clone().unwrap_or_default(), view)
        })
        .collect();
    machinery::sort::sort_by(&mut out, |a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let skip = out.len().saturating_sub(MAX_EVENTS);
    out.into_iter().skip(skip).map(|(_, _, v)| v).collect()
}
