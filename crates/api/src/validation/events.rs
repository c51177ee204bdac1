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

/// Mirrors `legacyValidateEvent`: namespaces agree with the involved object, and an event
/// with an `eventTime` (a new-style event) names its reporter, action and reason.
pub fn legacy(e: &corev1::Event, errs: &mut ErrorList) {
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
            errs.push(FieldError::required("reportingController", ""));
        }
        for msg in v::is_qualified_name(controller) {
            errs.push(FieldError::invalid(
                "reportingController",
                quote(controller),
                msg,
            ));
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
/// everything but the series and the metadata is immutable.
pub fn strict_update(new: &corev1::Event, old: &corev1::Event, errs: &mut ErrorList) {
    if new.series != old.series {
        series(new, errs);
    }
    // ValidateImmutableField shows the new value: strings quoted, numbers bare. Struct values
    // (Go's %#v of the internal type) are not modelled and are left out of the message.
    let immutable = |changed: bool, path: &str, value: Option<String>, errs: &mut ErrorList| {
        if changed {
            errs.push(match value {
                Some(value) => FieldError::invalid(path, value, "field is immutable"),
                None => FieldError {
                    path: path.to_string(),
                    kind: machinery::validation::ErrorType::Invalid,
                    value: None,
                    detail: "field is immutable".into(),
                },
            });
        }
    };
    let string = |s: &Option<String>| Some(quote(text(s)));
    immutable(
        new.involved_object != old.involved_object,
        "involvedObject",
        None,
        errs,
    );
    immutable(
        new.reason != old.reason,
        "reason",
        string(&new.reason),
        errs,
    );
    immutable(
        new.message != old.message,
        "message",
        string(&new.message),
        errs,
    );
    immutable(source_of(new) != source_of(old), "source", None, errs);
    immutable(
        new.first_timestamp != old.first_timestamp,
        "firstTimestamp",
        None,
        errs,
    );
    immutable(
        new.last_timestamp != old.last_timestamp,
        "lastTimestamp",
        None,
        errs,
    );
    let count = new.count.unwrap_or(0);
    immutable(
        count != old.count.unwrap_or(0),
        "count",
        Some(count.to_string()),
        errs,
    );
    immutable(
        new.reason != old.reason,
        "reason",
        string(&new.reason),
        errs,
    );
    immutable(new.type_ != old.type_, "type", string(&new.type_), errs);
    immutable(new.event_time != old.event_time, "eventTime", None, errs);
    immutable(
        new.action != old.action,
        "action",
        string(&new.action),
        errs,
    );
    immutable(new.related != old.related, "related", None, errs);
    immutable(
        new.reporting_component != old.reporting_component,
        "reportingController",
        string(&new.reporting_component),
        errs,
    );
    immutable(
        new.reporting_instance != old.reporting_instance,
        "reportingInstance",
        string(&new.reporting_instance),
        errs,
    );
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
        legacy(e, &mut errs);
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
        legacy(&e, &mut errs);
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
}
