//! What the API server's v1 → internal conversion changes in an object before it is defaulted,
//! validated and stored: fields that exist only on the wire.
//!
//! Mirrors pkg/apis/core/v1/conversion.go (v1.34) for the conversions kubelab models: a
//! Secret's write-only `stringData` is merged into `data` (`Convert_v1_Secret_To_core_Secret`).
//! Resources served in two versions but stored once are converted to their stored version here
//! (`events`, `hpa`).

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1 as corev1;

use crate::object::Object;

pub mod events;
pub mod hpa;

/// Converts `obj` as it arrives in a create, update or patch into what the server stores.
/// Idempotent: a converted object is left as it is.
pub fn to_stored(obj: &mut Object) {
    match obj {
        Object::Secret(s) => secret(s),
        // One resource in two groups: stored as core/v1 (events::to_core).
        Object::EventsV1Event(e) => {
            *obj = Object::Event(events::to_core(std::mem::take(e)));
        }
        // autoscaling/v1 is stored as autoscaling/v2 (hpa::to_v2).
        Object::HorizontalPodAutoscalerV1(h) => {
            *obj = Object::HorizontalPodAutoscaler(hpa::to_v2(std::mem::take(h)));
        }
        _ => {}
    }
}

/// Mirrors `Convert_v1_Secret_To_core_Secret`: every `stringData` value is written into
/// `data` as its bytes (shown base64-encoded), overwriting a key `data` already has; the
/// internal type has no `stringData`, so it is never stored or returned. An empty
/// `stringData` leaves `data` as it was.
pub fn secret(s: &mut corev1::Secret) {
    let Some(strings) = s.string_data.take() else {
        return;
    };
    if strings.is_empty() {
        return;
    }
    let data = s.data.get_or_insert_with(Default::default);
    for (k, v) in strings {
        data.insert(k, ByteString(v.into_bytes()));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    struct Case {
        name: &'static str,
        input: Value,
        want: Value,
    }

    /// Converts a Secret given as JSON and returns it as JSON.
    fn check(input: Value) -> Value {
        let mut obj = Object::from_value(input).expect("decodes");
        to_stored(&mut obj);
        obj.to_value()
    }

    fn secret_json(data: Option<Value>, string_data: Option<Value>) -> Value {
        let mut v = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}});
        if let Some(d) = data {
            v["data"] = d;
        }
        if let Some(sd) = string_data {
            v["stringData"] = sd;
        }
        v
    }

    // Cases follow TestSecretConversion-style inputs of pkg/apis/core/v1/conversion_test.go.
    #[test]
    fn string_data_is_merged_into_data() {
        let cases = [
            Case {
                name: "stringData only",
                input: secret_json(None, Some(json!({"user": "admin"}))),
                want: secret_json(Some(json!({"user": "YWRtaW4="})), None),
            },
            Case {
                name: "stringData overwrites the same key of data",
                input: secret_json(
                    Some(json!({"user": "YWRtaW4=", "pass": "cGFzcw=="})),
                    Some(json!({"user": "root"})),
                ),
                want: secret_json(Some(json!({"pass": "cGFzcw==", "user": "cm9vdA=="})), None),
            },
            Case {
                name: "empty stringData leaves data unset",
                input: secret_json(None, Some(json!({}))),
                want: secret_json(None, None),
            },
            Case {
                name: "data only is unchanged",
                input: secret_json(Some(json!({"a": "Yg=="})), None),
                want: secret_json(Some(json!({"a": "Yg=="})), None),
            },
        ];
        for case in cases {
            let got = check(case.input);
            let want = Object::from_value(case.want)
                .expect("want decodes")
                .to_value();
            assert_eq!(got, want, "case {}", case.name);
        }
    }
}
