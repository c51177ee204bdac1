//! `Plan`: what a decision function wants written, in order, and when to look again.
//!
//! Decision functions build plans; only the [`Runner`](super::Runner) (or another loop's
//! applier) turns them into store calls. A plan is plain data, so tests compare plans.

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::EventType;
use crate::apiserver::events::object_reference;

use crate::time::SimDuration;

/// One intended write to the API store.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// Create an object (its `metadata.namespace` says where; `generateName` is honoured),
    /// then record `announce` if given, with [`CREATED_NAME`] in its message replaced by the
    /// name the store chose (`Created pod: web-x7k2p`).
    Create {
        object: Object,
        announce: Option<EventRecord>,
    },
    /// Replace an object's spec and metadata (optimistic: a stale `resourceVersion` conflicts).
    Update(Object),
    /// Replace an object's status subresource.
    UpdateStatus(Object),
    /// Delete an object, optionally only if its uid still matches.
    Delete {
        kind: &'static KindInfo,
        namespace: Option<String>,
        name: String,
        /// Precondition: delete only this incarnation.
        uid: Option<String>,
        /// None: the object's default grace period.
        grace_period_seconds: Option<i64>,
    },
    /// Patch an object's metadata or spec with a strategic merge patch (e.g. the Job
    /// controller's `$deleteFromPrimitiveList/finalizers`); an object already gone is fine.
    Patch {
        kind: &'static KindInfo,
        namespace: Option<String>,
        name: String,
        patch: serde_json::Value,
    },
    /// Record an Event about an object.
    Event(EventRecord),
}

/// Placeholder in an announce event's message for the created object's name.
pub const CREATED_NAME: &str = "{created}";

impl Write {
    /// A plain create.
    pub fn create(object: Object) -> Write {
        Write::Create {
            object,
            announce: None,
        }
    }
}

/// An Event to record about `involved`.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// The object the event is about (with `fieldPath` for container-level events).
    pub involved: corev1::ObjectReference,
    pub event_type: EventType,
    pub reason: String,
    pub message: String,
}

impl EventRecord {
    /// A `Normal` event about `obj`.
    pub fn normal(obj: &Object, reason: &str, message: impl Into<String>) -> EventRecord {
        EventRecord::about(obj, EventType::Normal, reason, message.into())
    }

    /// A `Warning` event about `obj`.
    pub fn warning(obj: &Object, reason: &str, message: impl Into<String>) -> EventRecord {
        EventRecord::about(obj, EventType::Warning, reason, message.into())
    }

    /// The same event, about a field of the object (e.g. `spec.containers{web}`).
    pub fn at_field(mut self, field_path: impl Into<String>) -> EventRecord {
        self.involved.field_path = Some(field_path.into());
        self
    }

    fn about(obj: &Object, event_type: EventType, reason: &str, message: String) -> EventRecord {
        EventRecord {
            involved: object_reference(obj),
            event_type,
            reason: reason.to_string(),
            message,
        }
    }
}

/// When the runner should sync the same key again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requeue {
    /// Only when a watched object changes.
    OnChange,
    /// After this much simulated time (and on any change before that).
    After(SimDuration),
}

/// The outcome of a decision: ordered writes plus a requeue choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub writes: Vec<Write>,
    pub requeue: Requeue,
}

impl Plan {
    /// Nothing to write; wait for a change.
    pub fn none() -> Plan {
        Plan {
            writes: Vec::new(),
            requeue: Requeue::OnChange,
        }
    }

    /// Appends a write.
    pub fn push(&mut self, w: Write) -> &mut Plan {
        self.writes.push(w);
        self
    }

    /// Appends an event.
    pub fn event(&mut self, e: EventRecord) -> &mut Plan {
        self.writes.push(Write::Event(e));
        self
    }

    /// Asks to be synced again after `d` (the earlier of two requests wins).
    pub fn requeue_after(&mut self, d: SimDuration) -> &mut Plan {
        self.requeue = match self.requeue {
            Requeue::After(old) if old <= d => Requeue::After(old),
            _ => Requeue::After(d),
        };
        self
    }
}

impl Default for Plan {
    fn default() -> Plan {
        Plan::none()
    }
}

/// Why a decision function could not produce a plan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyncError {
    /// The view is inconsistent (e.g. a referenced object is missing); retry with back-off.
    #[error("{0}")]
    Transient(String),
    /// The object can never be synced as it stands (e.g. an invalid selector); not retried
    /// until it changes.
    #[error("{0}")]
    Permanent(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requeue_keeps_the_earliest() {
        let mut p = Plan::none();
        p.requeue_after(SimDuration::from_secs(10));
        p.requeue_after(SimDuration::from_secs(30));
        assert_eq!(p.requeue, Requeue::After(SimDuration::from_secs(10)));
        p.requeue_after(SimDuration::from_secs(5));
        assert_eq!(p.requeue, Requeue::After(SimDuration::from_secs(5)));
    }
}
