//! Event validation, mirroring pkg/apis/core/validation/events.go (v1.34).
//!
//! Every Event write passes the legacy rules (`legacyValidateEvent`), whichever version it
//! came through; one created or updated through events.k8s.io/v1 also passes the strict rules
//! (`ValidateEventCreate` / `ValidateEventUpdate` for a request version other than core/v1).
//! Events are stored as core/v1 Events, so the paths are the core field names (`message`,
//! `count`, `source`), as upstream reports them for either version.

use k8s_openapi::api::core::v1 as corev1;
use machinery::validation as v;
use machinery::validation::field::{ErrorList, FieldError, quote};
use super::meta::immutable;

const REPORTING_INSTANCE_LENGTH_LIMIT: usize = 128;
const ACTION_LENGTH_LIMIT: usize = 128;
const REASON_LENGTH_LIMIT: usize = 128;
const NOTE_LENGTH_LIMIT: usize = 1024;

fn text(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

fn at_most(path: &str, limit: usize) -> FieldError {
    FieldError::invalid(
        path,
        quote(""),
        format!("can have at most {limit} characters"),
    )
}

/// The API version a write came through, which names some fields in the messages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Via {
    /// core/v1 (`/api/v1/.../events`).
    CoreV1,
    /// events.k8s.io/v1.
    EventsV1,
}

/// Mirrors `legacyValidateEvent`: namespaces agree with the involved object, and an event
/// with an `eventTime` (a new-style event) names its reporter, action and reason. The
/// reporter's path is the request version's field name: `reportingComponent` through
/// core/v1, `reportingController` otherwise.
pub fn legacy(e: &corev1::Event, via: Via, errs: &mut ErrorList) {
    let controller_path = match via {
        Via::CoreV1 => "reportingComponent",
        Via::EventsV1 => "reportingController",
    };
    let namespace = text(&e.metadata.namespace);
    let involved_ns = text(&e.involved_object.namespace);
    let mismatch = || {
        FieldError::invalid(
            "involvedObject.namespace",
            quote(involved_ns),
            "does not match event.namespace",
        )
    };
    if e.event_time.is_none() {
        if involved_ns.is_empty() {
            // Or "default", for old clients.
            if !namespace.is_empty() && namespace != "default" {
                errs.push(mismatch());
            }
        } else if namespace != involved_ns {
            errs.push(mismatch());
        }
    } else {
        if involved_ns.is_empty() && namespace != "default" && namespace != "kube-system" {
            errs.push(mismatch());
        }
        let controller = text(&e.reporting_component);
        if controller.is_empty() {
            errs.push(FieldError::required(controller_path, ""));
        }
        for msg in v::is_qualified_name(controller) {
            errs.push(FieldError::invalid(controller_path, quote(controller), msg));
        }
        let instance = text(&e.reporting_instance);
        if instance.is_empty() {
            errs.push(FieldError::required("reportingInstance", ""));
        }
        if instance.len() > REPORTING_INSTANCE_LENGTH_LIMIT {
            errs.push(at_most(
                "reportingInstance",
                REPORTING_INSTANCE_LENGTH_LIMIT,
            ));
        }
        let action = text(&e.action);
        if action.is_empty() {
            errs.push(FieldError::required("action", ""));
        }
        if action.len() > ACTION_LENGTH_LIMIT {
            errs.push(at_most("action", ACTION_LENGTH_LIMIT));
        }
        let reason = text(&e.reason);
        if reason.is_empty() {
            errs.push(FieldError::required("reason", ""));
        }
        if reason.len() > REASON_LENGTH_LIMIT {
            errs.push(at_most("reason", REASON_LENGTH_LIMIT));
        }
        if text(&e.message).len() > NOTE_LENGTH_LIMIT {
            errs.push(at_most("message", NOTE_LENGTH_LIMIT));
        }
    }
    for msg in v::is_dns1123_subdomain(namespace) {
        errs.push(FieldError::invalid("namespace", quote(namespace), msg));
    }
}

/// Mirrors `validateV1EventSeries`.
fn series(e: &corev1::Event, errs: &mut ErrorList) {
    if let Some(s) = &e.series {
        if s.count.unwrap_or(0) < 2 {
            errs.push(FieldError::invalid(
                "series.count",
                quote(""),
                "should be at least 2",
            ));
        }
        if s.last_observed_time.is_none() {
            errs.push(FieldError::required("series.lastObservedTime", ""));
        }
    }
}

/// Mirrors the strict part of `ValidateEventCreate` (after the object meta, which the caller
/// checks first): an `eventTime`, a `type` of Normal or Warning, and none of the deprecated
/// fields.
pub fn strict_create(e: &corev1::Event, errs: &mut ErrorList) {
    series(e, errs);
    if e.event_time.is_none() {
        errs.push(FieldError::required("eventTime", ""));
    }
    let type_ = text(&e.type_);
    if type_ != "Normal" && type_ != "Warning" {
        errs.push(FieldError::invalid(
            "type",
            quote(""),
            format!("has invalid value: {type_}"),
        ));
    }
    let unset = |path: &str| FieldError::invalid(path, quote(""), "needs to be unset");
    if e.first_timestamp.is_some() {
        errs.push(unset("firstTimestamp"));
    }
    if e.last_timestamp.is_some() {
        errs.push(unset("lastTimestamp"));
    }
    if e.count.unwrap_or(0) != 0 {
        errs.push(unset("count"));
    }
    if let Some(source) = &e.source
        && (!text(&source.component).is_empty() || !text(&source.host).is_empty())
    {
        errs.push(unset("source"));
    }
}

/// Mirrors the strict part of `ValidateEventUpdate`: a changed series is checked again, and
/// everything but the series and the metadata is immutable. The value shown is the new one as
/// field.Error prints it: strings quoted, numbers bare, times by Go's `Time.String`, structs
/// by `%#v` of the internal type (`core.ObjectReference{…}`), a nil pointer as `null`.
pub fn strict_update(new: &corev1::Event, old: &corev1::Event, errs: &mut ErrorList) {
    if new.series != old.series {
        series(new, errs);
    }
    let string = |s: &Option<String>| quote(text(s));
    immutable(
        errs,
        reference_of(&new.involved_object) != reference_of(&old.involved_object),
        "involvedObject",
        || go_object_reference(&new.involved_object),
    );
    immutable(errs, new.reason != old.reason, "reason", || string(&new.reason));
    immutable(errs, new.message != old.message, "message", || string(&new.message));
    immutable(
        errs,
        source_of(new) != source_of(old),
        "source",
        || go_event_source(new),
    );
    immutable(
        errs,
        new.first_timestamp != old.first_timestamp,
        "firstTimestamp",
        || go_time(new.first_timestamp.as_ref().map(|t| &t.0)),
    );
    immutable(
        errs,
        new.last_timestamp != old.last_timestamp,
        "lastTimestamp",
        || go_time(new.last_timestamp.as_ref().map(|t| &t.0)),
    );
    let count = new.count.unwrap_or(0);
    immutable(
        errs,
        count != old.count.unwrap_or(0),
        "count",
        || count.to_string(),
    );
    immutable(errs, new.reason != old.reason, "reason", || string(&new.reason));
    immutable(errs, new.type_ != old.type_, "type", || string(&new.type_));
    // Sub-microsecond differences are tolerated (clients truncate when they serialize).
    let micros = |t: &Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime>| {
        t.as_ref()
            .map(|t| t.0.as_microsecond())
            .unwrap_or(i64::MIN)
    };
    immutable(
        errs,
        micros(&new.event_time) != micros(&old.event_time),
        "eventTime",
        || go_time(new.event_time.as_ref().map(|t| &t.0)),
    );
    immutable(errs, new.action != old.action, "action", || string(&new.action));
    immutable(
        errs,
        new.related.as_ref().map(reference_of) != old.related.as_ref().map(reference_of),
        "related",
        || {
            new.related
                .as_ref()
                .map_or_else(|| "null".to_string(), go_object_reference)
        },
    );
    immutable(
        errs,
        new.reporting_component != old.reporting_component,
        "reportingController",
        || string(&new.reporting_component),
    );
    immutable(
        errs,
        new.reporting_instance != old.reporting_instance,
        "reportingInstance",
        || string(&new.reporting_instance),
    );
}

/// The internal ObjectReference's fields (absent strings are empty), in its field order.
fn reference_of(r: &corev1::ObjectReference) -> [&str; 7] {
    [
        &r.kind,
        &r.namespace,
        &r.name,
        &r.uid,
        &r.api_version,
        &r.resource_version,
        &r.field_path,
    ]
    .map(|f| f.as_deref().unwrap_or_default())
}

/// Go's `%#v` of an internal `core.ObjectReference`.
fn go_object_reference(r: &corev1::ObjectReference) -> String {
    let [kind, namespace, name, uid, api_version, resource_version, field_path] = reference_of(r);
    format!(
        "core.ObjectReference{{Kind:{}, Namespace:{}, Name:{}, UID:{}, APIVersion:{}, ResourceVersion:{}, FieldPath:{}}}",
        quote(kind),
        quote(namespace),
        quote(name),
        quote(uid),
        quote(api_version),
        quote(resource_version),
        quote(field_path)
    )
}

/// Go's `%#v` of an internal `core.EventSource`.
fn go_event_source(e: &corev1::Event) -> String {
    let (component, host) = source_of(e);
    format!(
        "core.EventSource{{Component:{}, Host:{}}}",
        quote(&component),
        quote(&host)
    )
}

/// Go's `time.Time.String` of a UTC time (`2006-01-02 15:04:05.999999999 -0700 MST`); an
/// unset internal time is Go's zero time.
pub(super) fn go_time(t: Option<&k8s_openapi::jiff::Timestamp>) -> String {
    let Some(t) = t else {
        return "0001-01-01 00:00:00 +0000 UTC".to_string();
    };
    let nanos = t.subsec_nanosecond();
    let fraction = if nanos == 0 {
        String::new()
    } else {
        format!(".{nanos:09}").trim_end_matches('0').to_string()
    };
    format!(
        "{}{fraction} +0000 UTC",
        t.strftime("%Y-%m-%d %H:%M:%S")
    )
}

/// The internal source is a struct: an absent one equals an empty one.
fn source_of(e: &corev1::Event) -> (String, String) {
    let s = e.source.clone().unwrap_or_default();
    (s.component.unwrap_or_default(), s.host.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(extra: serde_json::Value) -> corev1::Event {
        let mut v = json!({
            "metadata": {"name": "e", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
            "eventTime": "2026-01-01T00:00:00.000000Z",
            "reportingComponent": "example.com/c", "reportingInstance": "i",
            "action": "Check", "reason": "Checked", "type": "Normal",
        });
        if let (Some(base), Some(more)) = (v.as_object_mut(), extra.as_object()) {
            for (k, x) in more {
                base.insert(k.clone(), x.clone());
            }
        }
        serde_json::from_value(v).expect("event")
    }

    fn create_messages(e: &corev1::Event) -> Vec<String> {
        let mut errs = ErrorList::new();
        legacy(e, Via::EventsV1, &mut errs);
        strict_create(e, &mut errs);
        errs.iter().map(ToString::to_string).collect()
    }

    // Cases after TestValidateEventForCoreV1Events / TestValidateEventForNewV1Events of
    // pkg/apis/core/validation/events_test.go (v1.34).
    #[test]
    fn strict_create_rules() {
        let long = |n: usize| json!("x".repeat(n));
        let cases: [(&str, serde_json::Value, Vec<&str>); 6] = [
            ("valid", json!({}), vec![]),
            (
                "note and names too long",
                json!({"message": long(1025), "action": long(129), "reason": long(129), "reportingInstance": long(129)}),
                vec![
                    "reportingInstance: Invalid value: \"\": can have at most 128 characters",
                    "action: Invalid value: \"\": can have at most 128 characters",
                    "reason: Invalid value: \"\": can have at most 128 characters",
                    "message: Invalid value: \"\": can have at most 1024 characters",
                ],
            ),
            (
                "a cluster-scoped object outside default and kube-system",
                json!({"metadata": {"name": "e", "namespace": "team"}, "involvedObject": {"kind": "Node", "name": "n"}}),
                vec![
                    "involvedObject.namespace: Invalid value: \"\": does not match event.namespace",
                ],
            ),
            (
                "a series needs two events and a time",
                json!({"series": {"count": 1}}),
                vec![
                    "series.count: Invalid value: \"\": should be at least 2",
                    "series.lastObservedTime: Required value",
                ],
            ),
            (
                "the deprecated fields are unset",
                json!({"firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:00:00Z"}),
                vec![
                    "firstTimestamp: Invalid value: \"\": needs to be unset",
                    "lastTimestamp: Invalid value: \"\": needs to be unset",
                ],
            ),
            (
                "a type of Normal or Warning",
                json!({"type": "Info"}),
                vec!["type: Invalid value: \"\": has invalid value: Info"],
            ),
        ];
        for (name, extra, want) in cases {
            assert_eq!(create_messages(&event(extra)), want, "case {name}");
        }
    }

    #[test]
    fn an_old_style_event_needs_matching_namespaces_only() {
        let e = event(json!({
            "eventTime": null, "reportingComponent": null, "action": null,
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "other"},
        }));
        let mut errs = ErrorList::new();
        legacy(&e, Via::CoreV1, &mut errs);
        let got: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            ["involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"]
        );
    }

    #[test]
    fn updates_keep_everything_but_series_and_metadata() {
        let old = event(json!({}));
        let mut new = event(
            json!({"series": {"count": 2, "lastObservedTime": "2026-01-01T00:01:00.000000Z"}}),
        );
        new.metadata.labels = Some([("a".to_string(), "b".to_string())].into());
        let mut errs = ErrorList::new();
        strict_update(&new, &old, &mut errs);
        assert!(errs.is_empty(), "{errs:?}");
        new.action = Some("Other".into());
        strict_update(&new, &old, &mut errs);
        let got: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            ["action: Invalid value: \"Other\": field is immutable"]
        );
    }

    /// ValidateImmutableField's values as field.Error prints them (events.go
    /// ValidateEventUpdate, v1.34): structs by `%#v` of the internal type, times by Go's
    /// `Time.String`, a nil pointer as `null`, numbers bare.
    #[test]
    fn immutable_values_print_as_upstream() {
        let old = event(json!({"related": {"kind": "Node", "name": "n1"}}));
        let new = event(json!({
            "involvedObject": {"kind": "Pod", "name": "db", "namespace": "default", "apiVersion": "v1"},
            "source": {"component": "kubelet"},
            "firstTimestamp": "2026-01-01T00:00:05Z",
            "eventTime": "2026-01-01T00:00:00.250000Z",
            "count": 3,
        }));
        let mut errs = ErrorList::new();
        strict_update(&new, &old, &mut errs);
        let got: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "involvedObject: Invalid value: core.ObjectReference{Kind:\"Pod\", Namespace:\"default\", Name:\"db\", UID:\"\", APIVersion:\"v1\", ResourceVersion:\"\", FieldPath:\"\"}: field is immutable",
                "source: Invalid value: core.EventSource{Component:\"kubelet\", Host:\"\"}: field is immutable",
                "firstTimestamp: Invalid value: 2026-01-01 00:00:05 +0000 UTC: field is immutable",
                "count: Invalid value: 3: field is immutable",
                "eventTime: Invalid value: 2026-01-01 00:00:00.25 +0000 UTC: field is immutable",
                "related: Invalid value: null: field is immutable",
            ]
        );
    }

    /// ValidateObjectMetaUpdate (apimachinery objectmeta.go, v1.34) runs for updates through
    /// events.k8s.io/v1: identity fields are immutable and the new labels are checked.
    #[test]
    fn metadata_update_rules() {
        let mut old = event(json!({}));
        old.metadata.resource_version = Some("5".into());
        old.metadata.uid = Some("u1".into());
        old.metadata.generation = Some(2);
        old.metadata.creation_timestamp = serde_json::from_value(json!("2026-01-01T00:00:00Z")).ok();
        let mut new = old.clone();
        new.metadata.uid = Some("u2".into());
        new.metadata.generation = Some(1);
        new.metadata.creation_timestamp = None;
        new.metadata.labels = Some([("app".to_string(), "-bad".to_string())].into());
        let mut errs = ErrorList::new();
        super::super::meta::object_meta_update(&new.metadata, &old.metadata, &mut errs);
        let got: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "metadata.generation: Invalid value: 1: must not be decremented",
                "metadata.uid: Invalid value: \"u2\": field is immutable",
                "metadata.creationTimestamp: Invalid value: 0001-01-01 00:00:00 +0000 UTC: field is immutable",
                "metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            ]
        );
    }
}
