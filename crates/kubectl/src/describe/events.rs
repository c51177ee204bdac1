//! The Events table every describer ends with.
//!
//! Mirrors describe.go `searchEvents` (events whose involvedObject is the object) and
//! `DescribeEvents` (v1.34): sorted by last timestamp, the age of the first sighting, or
//! `<last> (xN over <first>)` for repeated events, `From` the source component.

use api::Object;
use cluster::SimTime;
use cluster::apiserver::ListOptions;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::writer::{LEVEL_0, LEVEL_1, PrefixWriter, w};
use crate::Env;

/// The core/v1 events about `obj` (by uid; a Node's events also by its name, as the kubelet
/// reports them).
pub fn about(obj: &Object, env: &Env<'_>) -> Vec<corev1::Event> {
    let uid = obj.meta().uid.clone().unwrap_or_default();
    let is_node = matches!(obj, Object::Node(_));
    let name = obj.name().to_string();
    about_uid(env, |e| {
        let inv = e.involved_object.uid.as_deref().unwrap_or("");
        (!uid.is_empty() && inv == uid)
            || (is_node && inv == name && e.involved_object.kind.as_deref() == Some("Node"))
    })
}

fn about_uid(env: &Env<'_>, keep: impl Fn(&corev1::Event) -> bool) -> Vec<corev1::Event> {
    let Some(info) = api::by_gvk("v1", "Event") else {
        return Vec::new();
    };
    env.store
        .list(info, None, &ListOptions::default())
        .map(|l| l.items)
        .unwrap_or_default()
        .iter()
        .filter_map(|o| match &**o {
            Object::Event(e) if keep(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

/// `DescribeEvents`.
pub fn write(w: &mut PrefixWriter, mut events: Vec<corev1::Event>, now: SimTime) {
    if events.is_empty() {
        w!(w, LEVEL_0, "Events:\t<none>\n");
        return;
    }
    machinery::sort::sort_by_key(&mut events, |e| e.last_timestamp.as_ref().map(|t| t.0));
    w!(w, LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w!(w, LEVEL_1, "----\t------\t----\t----\t-------\n");
    for e in events {
        let age = |t: Option<&metav1::Time>| super::writer::since(now, t);
        let first = match &e.event_time {
            Some(t) => age(Some(&metav1::Time(t.0))),
            None => age(e.first_timestamp.as_ref()),
        };
        let count = e.count.unwrap_or(0);
        let interval = if let Some(series) = &e.series {
            format!(
                "{} (x{} over {first})",
                series.last_observed_time.as_ref().map_or_else(
                    || "<unknown>".to_string(),
                    |t| age(Some(&metav1::Time(t.0)))
                ),
                series.count.unwrap_or(0)
            )
        } else if count > 1 {
            format!("{} (x{count} over {first})", age(e.last_timestamp.as_ref()))
        } else {
            first
        };
        let source = e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .filter(|c| !c.is_empty())
            .or_else(|| e.reporting_component.clone())
            .unwrap_or_default();
        w!(
            w,
            LEVEL_1,
            "{}\t{}\t{interval}\t{source}\t{}\n",
            e.type_.as_deref().unwrap_or(""),
            e.reason.as_deref().unwrap_or(""),
            e.message.as_deref().unwrap_or("").trim()
        );
    }
}
