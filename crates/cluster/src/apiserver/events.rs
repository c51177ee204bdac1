//! Recording core/v1 Events with upstream's de-duplication and aggregation.
//!
//! Mirrors client-go tools/record (v1.34): `makeEvent` names an event
//! `<involved name>.<hex of the unix-nano timestamp>`; `EventCorrelator` first aggregates
//! similar events (same source, object, type and reason: after 10 distinct messages within
//! 10 minutes the message becomes `(combined from similar events): <message>`), then the
//! logger de-duplicates identical ones by bumping `count` and `lastTimestamp` on the existing
//! Event. Events of cluster-scoped objects go to `default`.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::error::StoreError;
use super::options::{CreateOptions, UpdateOptions};
use super::store::{Store, key_of};
use super::versions;
use crate::time::{SimDuration, SimTime};

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// Who reports an event: `kubelet` on `worker-1`, `default-scheduler`, `deployment-controller`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventSource {
    pub component: String,
    pub host: String,
}

/// Aggregation window (client-go `defaultAggregateIntervalInSeconds`).
const AGGREGATE_WINDOW: SimDuration = SimDuration::from_secs(600);
/// Distinct messages before aggregation (client-go `defaultAggregateMaxEvents`).
const AGGREGATE_MAX: usize = 10;

#[derive(Debug, Default)]
pub(crate) struct EventCache {
    last_ms: u64,
    seq: u64,
    aggregates: HashMap<String, (BTreeSet<String>, SimTime)>,
    /// De-duplication key → (namespace, event name).
    logged: HashMap<String, (String, String)>,
    /// The last few Events updated for a repeat, by de-duplication key, oldest first, as the
    /// store returned them: an event that repeats once mostly goes on repeating (a
    /// controller's aggregated `SuccessfulCreate`), and reading it back would decode it. Few,
    /// since events are kept compact for their memory; created ones are not kept, as most
    /// never repeat.
    repeated: VecDeque<(String, Arc<Object>)>,
}

/// How many repeated Events [`EventCache`] keeps decoded.
const REPEATED_EVENTS: usize = 16;

impl EventCache {
    /// The Event last updated for `dedup_key`, if it is one of the recent ones.
    fn repeated(&self, dedup_key: &str) -> Option<&Arc<Object>> {
        self.repeated
            .iter()
            .find(|(k, _)| k == dedup_key)
            .map(|(_, e)| e)
    }

    fn remember_repeat(&mut self, dedup_key: String, written: &Arc<Object>) {
        if let Some((_, last)) = self.repeated.iter_mut().find(|(k, _)| *k == dedup_key) {
            *last = Arc::clone(written);
            return;
        }
        if self.repeated.len() == REPEATED_EVENTS {
            self.repeated.pop_front();
        }
        self.repeated.push_back((dedup_key, Arc::clone(written)));
    }
}

/// An `ObjectReference` to `obj`, as events and bindings use.
pub fn object_reference(obj: &Object) -> corev1::ObjectReference {
    let info = obj.kind_info();
    let m = obj.meta();
    corev1::ObjectReference {
        api_version: Some(info.api_version()),
        kind: Some(info.kind.to_string()),
        name: m.name.clone(),
        namespace: m.namespace.clone(),
        uid: m.uid.clone(),
        resource_version: m.resource_version.clone(),
        field_path: None,
    }
}

impl Store {
    /// Records an event about `involved` at `now`, aggregated and de-duplicated as the
    /// client-go recorder does. Returns the created or updated Event.
    ///
    /// # Errors
    /// What `create`/`update` return, e.g. Forbidden in a terminating namespace.
    pub fn record_event(
        &mut self,
        involved: &corev1::ObjectReference,
        event_type: EventType,
        reason: &str,
        message: &str,
        source: &EventSource,
        now: SimTime,
    ) -> Result<Arc<Object>, StoreError> {
        self.set_now(now);
        let now = self.now;
        let ns = involved
            .namespace
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "default".into());
        let agg_key = [
            source.component.as_str(),
            source.host.as_str(),
            involved.kind.as_deref().unwrap_or(""),
            involved.namespace.as_deref().unwrap_or(""),
            involved.name.as_deref().unwrap_or(""),
            involved.uid.as_deref().unwrap_or(""),
            involved.api_version.as_deref().unwrap_or(""),
            event_type.as_str(),
            reason,
        ]
        .join("\u{0}");
        // Most events repeat a key: look it up before copying it into the map.
        let distinct = match self.events.aggregates.get_mut(&agg_key) {
            Some(aggregate) => note_message(aggregate, message, now),
            None => {
                let mut aggregate = (BTreeSet::new(), now);
                let distinct = note_message(&mut aggregate, message, now);
                self.events.aggregates.insert(agg_key.clone(), aggregate);
                distinct
            }
        };
        let (message, dedup_key) = if distinct >= AGGREGATE_MAX {
            (
                format!("(combined from similar events): {message}"),
                agg_key,
            )
        } else {
            (message.to_string(), format!("{agg_key}\u{0}{message}"))
        };
        let info = crate::controller::kind_of::<corev1::Event>();
        if let Some((ens, ename)) = self.events.logged.get(&dedup_key)
            && let Ok(existing) = self.get_unless_unchanged(
                info,
                ens,
                ename,
                self.events.repeated(&dedup_key),
            )
            && let Object::Event(ev) = &*existing
        {
            let mut ev = ev.clone();
            ev.count = Some(ev.count.unwrap_or(1) + 1);
            ev.last_timestamp = Some(now.to_time());
            ev.message = Some(message);
            let ens = ev.metadata.namespace.clone();
            let updated = self.update(ens.as_deref(), Object::Event(ev), &UpdateOptions::default())?;
            self.events.remember_repeat(dedup_key, &updated);
            return Ok(updated);
        }
        let name = format!(
            "{}.{:x}",
            involved.name.as_deref().unwrap_or(""),
            self.event_nanos(now)
        );
        let ev = corev1::Event {
            metadata: metav1::ObjectMeta {
                name: Some(name.clone()),
                namespace: Some(ns.clone()),
                ..Default::default()
            },
            involved_object: involved.clone(),
            reason: Some(reason.to_string()),
            message: Some(message),
            source: Some(corev1::EventSource {
                component: Some(source.component.clone()).filter(|s| !s.is_empty()),
                host: Some(source.host.clone()).filter(|s| !s.is_empty()),
            }),
            first_timestamp: Some(now.to_time()),
            last_timestamp: Some(now.to_time()),
            count: Some(1),
            type_: Some(event_type.as_str().to_string()),
            reporting_component: Some(source.component.clone()),
            reporting_instance: Some(source.host.clone()),
            ..Default::default()
        };
        let created = self.create(Some(&ns), Object::Event(ev), &CreateOptions::default())?;
        self.events.logged.insert(dedup_key, (ns, name));
        Ok(created)
    }

    /// Reads the Event `ns/name` as `get` does; while the stored one still has the
    /// resourceVersion of `last`, the recorder's own last write of it, it is `last` itself,
    /// so only an Event written since by someone else is decoded again.
    fn get_unless_unchanged(
        &self,
        info: &api::KindInfo,
        ns: &str,
        name: &str,
        last: Option<&Arc<Object>>,
    ) -> Result<Arc<Object>, StoreError> {
        let ns = Some(ns);
        self.warn_request(info);
        self.authorize_request("get", info, ns, name)?;
        let t = self.table_index(info);
        let entry = self.tables[t]
            .by_key
            .get(&key_of(info, ns, name))
            .and_then(|s| self.slab.get(*s))
            .ok_or_else(|| StoreError::not_found(info, name))?;
        let stored = match last {
            Some(last)
                if last.namespace() == ns
                    && last.name() == name
                    && entry.resource_version() == last.meta().resource_version.as_deref() =>
            {
                Arc::clone(last)
            }
            _ => entry.obj(),
        };
        Ok(versions::as_served(info, stored))
    }

    /// Unix nanoseconds of `now`, made unique per call: events in the same simulated
    /// millisecond get consecutive nanoseconds, where real clocks would differ anyway.
    fn event_nanos(&mut self, now: SimTime) -> u64 {
        let ms = now.unix_millis().max(0) as u64;
        if ms == self.events.last_ms {
            self.events.seq += 1;
        } else {
            self.events.last_ms = ms;
            self.events.seq = 0;
        }
        ms * 1_000_000 + self.events.seq
    }
}

/// Adds `message` to an aggregate's distinct messages at `now` (starting over once the
/// window has passed since the aggregate's last event); returns how many there are.
fn note_message(aggregate: &mut (BTreeSet<String>, SimTime), message: &str, now: SimTime) -> usize {
    let (messages, last) = aggregate;
    if now - *last > AGGREGATE_WINDOW {
        messages.clear();
    }
    *last = now;
    if !messages.contains(message) {
        messages.insert(message.to_string());
    }
    messages.len()
}
