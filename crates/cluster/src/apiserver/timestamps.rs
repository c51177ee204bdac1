//! Stored timestamps have whole seconds, as the API server keeps them.
//!
//! `metav1.Time` reaches storage without its fraction (apimachinery meta/v1 time.go and
//! time_proto.go, v1.34: JSON writes RFC 3339 seconds, and the protobuf form the server
//! stores in etcd carries the seconds), so every client and controller reads whole seconds
//! back: a Job's Duration, a pod's age, a Ready condition's transition time. The simulation
//! stamps milliseconds; the store cuts them on write. `MicroTime` (an Event's `eventTime`, a
//! Lease's `renewTime`) keeps its microseconds and is left alone.

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::jiff::Timestamp;

/// Cuts the fraction of `obj`'s `metav1.Time` fields: the metadata of every kind, and every
/// `Time` of the kinds written at scale (pods and core Events).
pub(crate) fn truncate(obj: &mut Object) {
    let m = obj.meta_mut();
    cut(&mut m.creation_timestamp);
    cut(&mut m.deletion_timestamp);
    for f in m.managed_fields.iter_mut().flatten() {
        cut(&mut f.time);
    }
    match obj {
        Object::Pod(p) => truncate_pod_status(p),
        Object::Event(e) => {
            cut(&mut e.first_timestamp);
            cut(&mut e.last_timestamp);
        }
        _ => {}
    }
}

fn truncate_pod_status(pod: &mut corev1::Pod) {
    if let Some(status) = &mut pod.status {
        truncate_status(status);
    }
}

/// The same for a pod status about to be written, so a writer compares it with what the
/// store keeps rather than seeing a difference in every fraction.
pub fn truncate_status(status: &mut corev1::PodStatus) {
    cut(&mut status.start_time);
    for c in status.conditions.iter_mut().flatten() {
        cut(&mut c.last_probe_time);
        cut(&mut c.last_transition_time);
    }
    let lists = [
        &mut status.container_statuses,
        &mut status.init_container_statuses,
        &mut status.ephemeral_container_statuses,
    ];
    for c in lists.into_iter().flatten().flatten() {
        for state in [&mut c.state, &mut c.last_state].into_iter().flatten() {
            if let Some(r) = &mut state.running {
                cut(&mut r.started_at);
            }
            if let Some(t) = &mut state.terminated {
                cut(&mut t.started_at);
                cut(&mut t.finished_at);
            }
        }
    }
}

fn cut(t: &mut Option<metav1::Time>) {
    if let Some(t) = t
        && t.0.subsec_nanosecond() != 0
        && let Ok(whole) = whole_seconds(t.0)
    {
        t.0 = whole;
    }
}

/// `t` cut to its whole seconds, toward zero as `as_second` counts them: what rounding it to
/// the second in `Trunc` mode gives, without jiff's general rounding, which was three
/// quarters of the kubelet's truncation of each status it generates.
fn whole_seconds(t: Timestamp) -> Result<Timestamp, k8s_openapi::jiff::Error> {
    Timestamp::from_second(t.as_second())
}

#[cfg(test)]
mod tests {
    use api::Object;
    use serde_json::json;

    /// Whole seconds toward zero are what jiff's truncating round to the second gives, on
    /// both sides of 1970 and at the ends of the range.
    #[test]
    fn whole_seconds_is_a_truncating_round() {
        use k8s_openapi::jiff::{RoundMode, Timestamp, TimestampRound, Unit};
        let trunc = TimestampRound::new().smallest(Unit::Second).mode(RoundMode::Trunc);
        let (min, max) = (Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
        let seconds = [min, min + 1, -86_400 * 365, -2, -1, 0, 1, 59, 1_764_000_000, max - 1, max];
        let nanos = [1, 250_000_000, 500_000_000, 750_000_000, 999_999_999];
        let mut checked = 0;
        for s in seconds {
            for n in nanos {
                for (s, n) in [(s, n), (s, -n)] {
                    let Ok(t) = Timestamp::new(s, n) else {
                        continue;
                    };
                    let want = t.round(trunc).expect("rounds");
                    assert_eq!(super::whole_seconds(t).expect("in range"), want, "{s} {n}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 90, "{checked}");
    }

    #[test]
    fn pod_and_event_times_lose_their_fraction_and_micro_times_keep_it() {
        let mut pod = Object::from_value(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            "status": {"startTime": "2026-01-01T00:00:05Z",
                "conditions": [{"type": "Ready", "status": "True",
                    "lastTransitionTime": "2026-01-01T00:00:07Z"}],
                "containerStatuses": [{"name": "c", "image": "nginx", "imageID": "",
                    "ready": true, "restartCount": 1,
                    "state": {"running": {"startedAt": "2026-01-01T00:00:09Z"}},
                    "lastState": {"terminated": {"exitCode": 1,
                        "startedAt": "2026-01-01T00:00:06Z",
                        "finishedAt": "2026-01-01T00:00:08Z"}}}]}}))
        .expect("pod");
        // JSON cannot carry the fraction in, so stamp it the way the simulation does.
        let ms = |s: &str| {
            let t: k8s_openapi::jiff::Timestamp = s.parse().expect("time");
            k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                t.checked_add(k8s_openapi::jiff::SignedDuration::from_millis(750))
                    .expect("in range"),
            )
        };
        let Object::Pod(p) = &mut pod else { unreachable!() };
        p.metadata.creation_timestamp = Some(ms("2026-01-01T00:00:04Z"));
        let st = p.status.as_mut().expect("status");
        st.start_time = Some(ms("2026-01-01T00:00:05Z"));
        let cs = &mut st.container_statuses.as_mut().expect("statuses")[0];
        let term = cs.last_state.as_mut().and_then(|s| s.terminated.as_mut()).expect("term");
        term.finished_at = Some(ms("2026-01-01T00:00:08Z"));
        super::truncate(&mut pod);
        let v = pod.to_value();
        assert_eq!(v["metadata"]["creationTimestamp"], "2026-01-01T00:00:04Z");
        assert_eq!(v["status"]["startTime"], "2026-01-01T00:00:05Z");
        assert_eq!(
            v["status"]["containerStatuses"][0]["lastState"]["terminated"]["finishedAt"],
            "2026-01-01T00:00:08Z"
        );
        let Object::Pod(p) = &pod else { unreachable!() };
        assert_eq!(
            p.status.as_ref().and_then(|s| s.start_time.as_ref()).map(|t| t.0.subsec_nanosecond()),
            Some(0)
        );

        let mut ev = Object::from_value(json!({"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "e", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "p"},
            "eventTime": "2026-01-01T00:00:04.250000Z"}))
        .expect("event");
        let Object::Event(e) = &mut ev else { unreachable!() };
        e.first_timestamp = Some(ms("2026-01-01T00:00:04Z"));
        super::truncate(&mut ev);
        let Object::Event(e) = &ev else { unreachable!() };
        assert_eq!(e.first_timestamp.as_ref().map(|t| t.0.subsec_nanosecond()), Some(0));
        assert_eq!(
            e.event_time.as_ref().map(|t| t.0.subsec_nanosecond()),
            Some(250_000_000)
        );
    }
}
