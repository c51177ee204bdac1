//! An Event's compact bytes, written with its `metav1.Time`s formatted by hand.
//!
//! k8s-openapi's `Serialize` for `metav1.Time` formats through jiff's strftime, about 1,300
//! instructions a time; an Event carries three (created, first and last seen) and every
//! Event the cluster records, or repeats, is encoded as it is written, so those were a third
//! of an Event's encode. `EventForm` serializes the same fields in the same order as
//! k8s-openapi's `Event` and `ObjectMeta` (v1_34, generated code), so the bytes are the ones
//! `wire::to_bytes` writes for the Event itself; a test compares them. Metadata with managed
//! fields, and times this does not format, take k8s-openapi's own path.

use k8s_openapi::Resource;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::cron::tz::civil_from_days;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Serializes as the Event it holds.
pub(super) struct EventForm<'a>(pub &'a corev1::Event);

impl Serialize for EventForm<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let len = 4
            + usize::from(e.action.is_some())
            + usize::from(e.count.is_some())
            + usize::from(e.event_time.is_some())
            + usize::from(e.first_timestamp.is_some())
            + usize::from(e.last_timestamp.is_some())
            + usize::from(e.message.is_some())
            + usize::from(e.reason.is_some())
            + usize::from(e.related.is_some())
            + usize::from(e.reporting_component.is_some())
            + usize::from(e.reporting_instance.is_some())
            + usize::from(e.series.is_some())
            + usize::from(e.source.is_some())
            + usize::from(e.type_.is_some());
        let mut s = serializer.serialize_struct(corev1::Event::KIND, len)?;
        s.serialize_field("apiVersion", corev1::Event::API_VERSION)?;
        s.serialize_field("kind", corev1::Event::KIND)?;
        optional(&mut s, "action", e.action.as_ref())?;
        optional(&mut s, "count", e.count.as_ref())?;
        optional(&mut s, "eventTime", e.event_time.as_ref())?;
        optional(&mut s, "firstTimestamp", e.first_timestamp.as_ref().map(TimeText))?;
        s.serialize_field("involvedObject", &e.involved_object)?;
        optional(&mut s, "lastTimestamp", e.last_timestamp.as_ref().map(TimeText))?;
        optional(&mut s, "message", e.message.as_ref())?;
        s.serialize_field("metadata", &MetaForm(&e.metadata))?;
        optional(&mut s, "reason", e.reason.as_ref())?;
        optional(&mut s, "related", e.related.as_ref())?;
        optional(&mut s, "reportingComponent", e.reporting_component.as_ref())?;
        optional(&mut s, "reportingInstance", e.reporting_instance.as_ref())?;
        optional(&mut s, "series", e.series.as_ref())?;
        optional(&mut s, "source", e.source.as_ref())?;
        optional(&mut s, "type", e.type_.as_ref())?;
        s.end()
    }
}

/// Serializes as the ObjectMeta it holds.
struct MetaForm<'a>(&'a metav1::ObjectMeta);

impl Serialize for MetaForm<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        // Managed fields hold times of their own; the recorder never writes them.
        if m.managed_fields.is_some() {
            return m.serialize(serializer);
        }
        let len = usize::from(m.annotations.is_some())
            + usize::from(m.creation_timestamp.is_some())
            + usize::from(m.deletion_grace_period_seconds.is_some())
            + usize::from(m.deletion_timestamp.is_some())
            + usize::from(m.finalizers.is_some())
            + usize::from(m.generate_name.is_some())
            + usize::from(m.generation.is_some())
            + usize::from(m.labels.is_some())
            + usize::from(m.name.is_some())
            + usize::from(m.namespace.is_some())
            + usize::from(m.owner_references.is_some())
            + usize::from(m.resource_version.is_some())
            + usize::from(m.self_link.is_some())
            + usize::from(m.uid.is_some());
        let mut s = serializer.serialize_struct("ObjectMeta", len)?;
        optional(&mut s, "annotations", m.annotations.as_ref())?;
        optional(&mut s, "creationTimestamp", m.creation_timestamp.as_ref().map(TimeText))?;
        optional(&mut s, "deletionGracePeriodSeconds", m.deletion_grace_period_seconds.as_ref())?;
        optional(&mut s, "deletionTimestamp", m.deletion_timestamp.as_ref().map(TimeText))?;
        optional(&mut s, "finalizers", m.finalizers.as_ref())?;
        optional(&mut s, "generateName", m.generate_name.as_ref())?;
        optional(&mut s, "generation", m.generation.as_ref())?;
        optional(&mut s, "labels", m.labels.as_ref())?;
        optional(&mut s, "name", m.name.as_ref())?;
        optional(&mut s, "namespace", m.namespace.as_ref())?;
        optional(&mut s, "ownerReferences", m.owner_references.as_ref())?;
        optional(&mut s, "resourceVersion", m.resource_version.as_ref())?;
        optional(&mut s, "selfLink", m.self_link.as_ref())?;
        optional(&mut s, "uid", m.uid.as_ref())?;
        s.end()
    }
}

/// Writes a field that is set; k8s-openapi leaves out the ones that are not.
fn optional<S: SerializeStruct, T: Serialize>(
    s: &mut S,
    key: &'static str,
    value: Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(v) => s.serialize_field(key, &v),
        None => Ok(()),
    }
}

/// Serializes as the `metav1.Time` it holds.
struct TimeText<'a>(&'a metav1::Time);

impl Serialize for TimeText<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match rfc3339_seconds(self.0) {
            Some(text) => {
                let text = std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?;
                serializer.serialize_newtype_struct("Time", text)
            }
            None => self.0.serialize(serializer),
        }
    }
}

/// The text k8s-openapi writes for `t` (strftime's `%Y-%m-%dT%H:%M:%SZ`: fraction dropped),
/// for times from 1970 to the end of 9999; None for others (before 1970 the second rounds
/// differently, and strftime pads years otherwise).
fn rfc3339_seconds(t: &metav1::Time) -> Option<[u8; 20]> {
    const END_OF_9999: i64 = 253_402_300_800;
    let secs = t.0.as_second();
    if !(0..END_OF_9999).contains(&secs) {
        return None;
    }
    let (year, month, day) = civil_from_days(secs / 86_400);
    let in_day = secs % 86_400;
    let mut out = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, digits: usize, mut v: u64| {
        for i in (at..at + digits).rev() {
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, year as u64);
    put(5, 2, month.into());
    put(8, 2, day.into());
    put(11, 2, (in_day / 3600) as u64);
    put(14, 2, (in_day / 60 % 60) as u64);
    put(17, 2, (in_day % 60) as u64);
    Some(out)
}

#[cfg(test)]
mod tests {
    use api::wire;
    use k8s_openapi::api::core::v1 as corev1;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
    use k8s_openapi::jiff::Timestamp;
    use serde_json::json;

    use super::{EventForm, rfc3339_seconds};

    fn time(secs: i64, nanos: i32) -> metav1::Time {
        metav1::Time(Timestamp::new(secs, nanos).expect("in range"))
    }

    #[test]
    fn times_are_written_as_strftime_writes_them() {
        let mut secs: Vec<i64> = vec![0, 59, 60, 3_599, 86_399, 86_400, 951_782_400, 4_107_542_399];
        // Days around leap years and century ends, and a spread of times of day.
        let last = Timestamp::MAX.as_second();
        let mut s = 0i64;
        while s < last {
            secs.push(s);
            s += 7_919_993;
        }
        secs.push(last);
        for secs in secs {
            for nanos in [0, 1, 999_999_999] {
                let Ok(t) = Timestamp::new(secs, nanos).map(metav1::Time) else {
                    continue;
                };
                let want = k8s_openapi::jiff::fmt::strtime::format("%Y-%m-%dT%H:%M:%SZ", t.0)
                    .expect("formats");
                let got = rfc3339_seconds(&t).expect("in the formatted range");
                assert_eq!(std::str::from_utf8(&got).unwrap(), want, "{secs}.{nanos}");
            }
        }
        assert!(rfc3339_seconds(&time(-1, 0)).is_none());
        assert!(rfc3339_seconds(&metav1::Time(Timestamp::MIN)).is_none());
    }

    /// Every field set and unset, managed fields, and times this formats and leaves to
    /// k8s-openapi: the bytes are those of the Event itself.
    #[test]
    fn event_form_writes_the_events_own_bytes() {
        let full: corev1::Event = serde_json::from_value(json!({
            "metadata": {"name": "web.1", "namespace": "default", "uid": "u-1",
                "resourceVersion": "12", "creationTimestamp": "2026-01-02T03:04:05Z",
                "deletionTimestamp": "2026-01-02T03:05:05Z", "deletionGracePeriodSeconds": 30,
                "annotations": {"a": "b"}, "labels": {"app": "web"}, "finalizers": ["f"],
                "generateName": "web.", "generation": 2, "selfLink": "/x",
                "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": "web",
                    "uid": "p-1", "controller": true}]},
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web",
                "uid": "p-1", "apiVersion": "v1", "resourceVersion": "7",
                "fieldPath": "spec.containers{web}"},
            "reason": "Pulled", "message": "pulled", "type": "Normal", "count": 3,
            "source": {"component": "kubelet", "host": "node-1"},
            "firstTimestamp": "2026-01-02T03:04:05Z", "lastTimestamp": "2099-12-31T23:59:59Z",
            "eventTime": "2026-01-02T03:04:05.123456Z", "action": "Pull",
            "related": {"kind": "Node", "name": "node-1"},
            "reportingComponent": "kubelet", "reportingInstance": "node-1",
            "series": {"count": 2, "lastObservedTime": "2026-01-02T03:09:05.000001Z"}
        }))
        .expect("an event");
        let mut managed = full.clone();
        managed.metadata.managed_fields = Some(vec![metav1::ManagedFieldsEntry {
            manager: Some("kubelet".into()),
            operation: Some("Update".into()),
            time: Some(time(1_767_323_045, 0)),
            ..Default::default()
        }]);
        let mut old_times = full.clone();
        old_times.first_timestamp = Some(time(-86_401, 0));
        old_times.metadata.creation_timestamp = Some(time(-1, 0));
        let mut bare = corev1::Event::default();
        bare.involved_object.name = Some("web".into());
        for event in [full, managed, old_times, bare, corev1::Event::default()] {
            let want = wire::to_bytes(b'E', &event).expect("encodes");
            let got = wire::to_bytes(b'E', &EventForm(&event)).expect("encodes");
            assert_eq!(got, want, "{event:?}");
        }
    }
}
