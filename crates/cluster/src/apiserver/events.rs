//! Recording core/v1 Events with upstream's de-duplication and aggregation.
//!
//! Mirrors client-go tools/record (v1.34): `makeEvent` names an event
//! `<involved name>.<hex of the unix-nano timestamp>`; `EventCorrelator` first aggregates
//! similar events (same source, object, type and reason: after 10 distinct messages within
//! 10 minutes the message becomes `(combined from similar events): <message>`), then the
//! logger de-duplicates identical ones by bumping `count` and `lastTimestamp` on the existing
//! Event. Events of cluster-scoped objects go to `default`.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::error::StoreError;
use super::options::CreateOptions;
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

/// What the recorder remembers of the events it logged, one entry per aggregation key (source,
/// involved object, type and reason) holding the distinct messages of its window and the
/// Events it wrote: a pod's half dozen events each kept two maps of long string keys, several
/// kilobytes per pod at 150,000 pods.
#[derive(Debug, Default)]
pub(crate) struct EventCache {
    last_ms: u64,
    seq: u64,
    aggregates: HashMap<Box<str>, Aggregate>,
    /// The last few Events updated for a repeat, oldest first, as the store returned them: an
    /// event that repeats once mostly goes on repeating (a controller's aggregated
    /// `SuccessfulCreate`), and reading it back would decode it. Few, since events are kept
    /// compact for their memory; created ones are not kept, as most never repeat.
    repeated: VecDeque<Arc<Object>>,
}

/// How many repeated Events [`EventCache`] keeps decoded.
const REPEATED_EVENTS: usize = 16;

impl EventCache {
    /// The Event `namespace/name` as last updated for a repeat, if it is one of the recent ones.
    fn repeated(&self, namespace: &str, name: &str) -> Option<&Arc<Object>> {
        self.repeated
            .iter()
            .find(|e| e.name() == name && e.namespace() == Some(namespace))
    }

    fn remember_repeat(&mut self, written: &Arc<Object>) {
        let same = |e: &&mut Arc<Object>| e.name() == written.name() && e.namespace() == written.namespace();
        if let Some(last) = self.repeated.iter_mut().find(same) {
            *last = Arc::clone(written);
            return;
        }
        if self.repeated.len() == REPEATED_EVENTS {
            self.repeated.pop_front();
        }
        self.repeated.push_back(Arc::clone(written));
    }
}

/// One aggregation key's state.
#[derive(Debug)]
struct Aggregate {
    /// The distinct messages since the window last started over, sorted.
    messages: Vec<Box<str>>,
    /// When its last event came.
    last: SimTime,
    /// The Event written for each message (de-duplication by the whole event), sorted by
    /// message; kept when the window starts over, as client-go's logger keeps its cache.
    logged: Vec<(Box<str>, EventName)>,
    /// The Event the combined message goes to once the messages are aggregated.
    combined: Option<EventName>,
}

/// Where a logged Event is stored.
#[derive(Debug, Clone)]
struct EventName {
    namespace: Box<str>,
    name: Box<str>,
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
        let aggregate = match self.events.aggregates.get_mut(agg_key.as_str()) {
            Some(aggregate) => aggregate,
            None => self
                .events
                .aggregates
                .entry(agg_key.clone().into_boxed_str())
                .or_insert(Aggregate {
                    messages: Vec::new(),
                    last: now,
                    logged: Vec::new(),
                    combined: None,
                }),
        };
        let combined = note_message(aggregate, message, now) >= AGGREGATE_MAX;
        let logged = if combined {
            aggregate.combined.clone()
        } else {
            aggregate
                .logged
                .binary_search_by(|(m, _)| (**m).cmp(message))
                .ok()
                .map(|at| aggregate.logged[at].1.clone())
        };
        let raw_message = message;
        let message = if combined {
            format!("(combined from similar events): {message}")
        } else {
            message.to_string()
        };
        let info = crate::controller::kind_of::<corev1::Event>();
        if let Some(EventName { namespace, name }) = logged
            && let Ok(existing) = self.get_unless_unchanged(
                info,
                &namespace,
                &name,
                self.events.repeated(&namespace, &name),
            )
            && let Object::Event(ev) = &*existing
        {
            let mut ev = ev.clone();
            ev.count = Some(ev.count.unwrap_or(1) + 1);
            ev.last_timestamp = Some(now.to_time());
            ev.message = Some(message);
            let updated = self.update_from_stored(Some(&namespace), Object::Event(ev), &existing)?;
            self.events.remember_repeat(&updated);
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
        let written = EventName {
            namespace: ns.into_boxed_str(),
            name: name.into_boxed_str(),
        };
        if let Some(aggregate) = self.events.aggregates.get_mut(agg_key.as_str()) {
            if combined {
                aggregate.combined = Some(written);
            } else {
                match aggregate
                    .logged
                    .binary_search_by(|(m, _)| (**m).cmp(raw_message))
                {
                    Ok(at) => aggregate.logged[at].1 = written,
                    Err(at) => {
                        reserve_one(&mut aggregate.logged);
                        aggregate.logged.insert(at, (raw_message.into(), written));
                    }
                }
            }
        }
        Ok(created)
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
}

/// Makes room for a first element only: most keys keep one message and one Event, and a
/// vector's first growth makes room for four.
fn reserve_one<T>(list: &mut Vec<T>) {
    if list.capacity() == 0 {
        list.reserve_exact(1);
    }
}

/// Adds `message` to an aggregate's distinct messages at `now` (starting over once the
/// window has passed since the aggregate's last event); returns how many there are.
fn note_message(aggregate: &mut Aggregate, message: &str, now: SimTime) -> usize {
    if now - aggregate.last > AGGREGATE_WINDOW {
        aggregate.messages.clear();
    }
    aggregate.last = now;
    if let Err(at) = aggregate.messages.binary_search_by(|m| (**m).cmp(message)) {
        reserve_one(&mut aggregate.messages);
        aggregate.messages.insert(at, message.into());
    }
    aggregate.messages.len()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use super::*;
    use crate::apiserver::DeleteOptions;
    use crate::rng::SimRng;

    /// The recorder's memory as client-go keeps it (and as this store kept it before the
    /// aggregates held their own logged Events): one map of messages by aggregation key and
    /// one of Events by the whole de-duplication key. Answers which Event a call updates.
    #[derive(Default)]
    struct TwoMaps {
        aggregates: HashMap<String, (BTreeSet<String>, SimTime)>,
        logged: HashMap<String, (String, String)>,
    }

    /// The message a call writes, its de-duplication key, and the Event that key names.
    type Decision = (String, String, Option<(String, String)>);

    impl TwoMaps {
        /// (message written, the de-duplication key, the Event it names if any).
        fn decide(&mut self, agg_key: &str, message: &str, now: SimTime) -> Decision {
            let (messages, last) = self
                .aggregates
                .entry(agg_key.to_string())
                .or_insert_with(|| (BTreeSet::new(), now));
            if now - *last > AGGREGATE_WINDOW {
                messages.clear();
            }
            *last = now;
            messages.insert(message.to_string());
            let (message, key) = if messages.len() >= AGGREGATE_MAX {
                (format!("(combined from similar events): {message}"), agg_key.to_string())
            } else {
                (message.to_string(), format!("{agg_key}\u{0}{message}"))
            };
            let logged = self.logged.get(&key).cloned();
            (message, key, logged)
        }
    }

    /// A long run of events over several sources, objects, reasons and messages — repeats,
    /// more than ten distinct messages, windows that pass, logged Events deleted in between —
    /// updates and creates exactly the Events the two-map recorder names.
    #[test]
    fn aggregates_update_the_events_the_two_map_recorder_names() {
        let mut store = Store::new(SimRng::seeded(3));
        let mut model = TwoMaps::default();
        let events = crate::controller::kind_of::<corev1::Event>();
        let mut rng = SimRng::seeded(0x9e37_79b9);
        let mut roll = move |n: u64| u64::from(rng.below(u32::try_from(n).expect("small")));
        let (mut updates, mut creates, mut combined) = (0, 0, 0);
        let mut now = SimTime(1_000);
        for _ in 0..3_000 {
            // Mostly seconds apart, now and then past the aggregation window.
            let step = if roll(250) == 0 { 700_000 } else { roll(3_000) };
            now += SimDuration::from_millis(step);
            let name = format!("pod-{}", roll(2));
            let involved = corev1::ObjectReference {
                kind: Some("Pod".into()),
                name: Some(name.clone()),
                namespace: Some(["default", "kube-public"][roll(2) as usize].into()),
                uid: Some(format!("uid-{name}")),
                api_version: Some("v1".into()),
                ..Default::default()
            };
            let sources = [("kubelet", "n1"), ("default-scheduler", "")];
            let (component, host) = sources[roll(2) as usize];
            let source = EventSource {
                component: component.into(),
                host: host.into(),
            };
            let event_type = [EventType::Normal, EventType::Warning][roll(2) as usize];
            let reason = ["BackOff", "FailedScheduling"][roll(2) as usize];
            let message = format!("message {}", roll(14));
            let agg_key = [
                source.component.as_str(),
                source.host.as_str(),
                "Pod",
                involved.namespace.as_deref().unwrap_or(""),
                &name,
                involved.uid.as_deref().unwrap_or(""),
                "v1",
                event_type.as_str(),
                reason,
            ]
            .join("\u{0}");
            let (want_message, key, logged) = model.decide(&agg_key, &message, now);
            let live = logged.as_ref().and_then(|(ns, n)| store.get(events, Some(ns), n).ok());
            let got = store
                .record_event(&involved, event_type, reason, &message, &source, now)
                .expect("recorded");
            let Object::Event(ev) = &*got else {
                panic!("not an event: {got:?}")
            };
            assert_eq!(ev.message.as_deref(), Some(want_message.as_str()));
            combined += usize::from(want_message.starts_with("(combined"));
            match live.as_deref() {
                Some(Object::Event(before)) => {
                    updates += 1;
                    assert_eq!(got.name(), before.metadata.name.as_deref().unwrap_or(""));
                    assert_eq!(ev.count, Some(before.count.unwrap_or(1) + 1));
                }
                _ => {
                    creates += 1;
                    assert_eq!(ev.count, Some(1), "{key:?}");
                    let at = (got.namespace().unwrap_or("").to_string(), got.name().to_string());
                    model.logged.insert(key, at);
                }
            }
            // Now and then an Event goes away (as `kubectl delete events` does): the next
            // one of its key is created anew.
            if roll(25) == 0 {
                let gone = DeleteOptions::default();
                let _ = store.delete(events, got.namespace(), got.name(), &gone);
            }
        }
        assert!(updates > 500 && creates > 300 && combined > 100, "{updates} {creates} {combined}");
    }
}
