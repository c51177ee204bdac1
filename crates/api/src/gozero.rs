//! Go's zero values for the few fields k8s-openapi requires but Go's decoder leaves unset.
//!
//! The API server decodes into Go structs, where a missing field is simply its zero value,
//! and leaves it to validation to object (`Required value`). k8s-openapi fills in a default
//! for most required fields itself (empty strings, zero numbers), but not for timestamps,
//! which have no default: there the whole document would fail to decode with a serde error
//! the API server never gives. Writing Go's zero time in first lets validation speak.

use serde_json::Value;

use crate::kinds::KindInfo;

/// Go's zero `time.Time` (January 1, year 1, UTC), as a MicroTime.
pub const ZERO_MICRO_TIME: &str = "0001-01-01T00:00:00.000000Z";

/// Whether a decoded timestamp is Go's zero time.
pub fn is_zero(t: &k8s_openapi::jiff::Timestamp) -> bool {
    *t == zero()
}

/// Whether `text` (a Time or MicroTime as k8s-openapi writes it) is Go's zero time, which Go
/// writes as `null`.
pub fn is_zero_text(text: &str) -> bool {
    text.starts_with("0001-01-01T00:00:00")
        && text
            .parse::<k8s_openapi::jiff::Timestamp>()
            .is_ok_and(|t| is_zero(&t))
}

/// Go's zero `time.Time`.
pub fn zero() -> k8s_openapi::jiff::Timestamp {
    ZERO_MICRO_TIME
        .parse()
        .unwrap_or(k8s_openapi::jiff::Timestamp::MIN)
}

/// Fills in the zero values `value` (a document of kind `info`) needs to decode.
pub fn fill(info: &KindInfo, value: &mut Value) {
    // events.k8s.io/v1 EventSeries.lastObservedTime (pkg/apis/events/v1 types.go: a
    // MicroTime with no omitempty): validateV1EventSeries reports a zero one as required.
    if info.group == "events.k8s.io"
        && info.kind == "Event"
        && let Some(series) = value.get_mut("series").and_then(Value::as_object_mut)
        && series.get("lastObservedTime").is_none_or(Value::is_null)
    {
        series.insert(
            "lastObservedTime".into(),
            Value::String(ZERO_MICRO_TIME.into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_series_without_its_time_decodes_with_the_zero_time() {
        let v = json!({"apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": {"name": "e"}, "eventTime": "2026-01-01T00:00:00.000000Z",
            "series": {"count": 2}});
        let crate::Object::EventsV1Event(e) = crate::Object::from_value(v).expect("decodes") else {
            panic!("not an events.k8s.io Event");
        };
        let series = e.series.expect("series");
        assert!(is_zero(&series.last_observed_time.0));
        assert!(!is_zero(&e.event_time.expect("eventTime").0));
    }
}
