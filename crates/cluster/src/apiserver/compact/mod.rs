//! The compact form of a stored pod or event: its serialization in `api::wire`, decoded
//! again on read.
//!
//! A k8s-openapi `Pod` is mostly inline room for fields a pod never sets (one `Container` is
//! 2 KB before any string), so a store of 150,000 decoded pods costs about 7 KB each. The
//! store keeps recently written objects decoded and turns older pods into this form, which
//! is about a tenth of that (see `Slab` in `index` and docs/benchmarks.md, "API store"). The
//! watch history's entry for a compacted pod's last write then holds the same bytes
//! (`watch::Written`), so the decoded pod is freed as it is compacted.
//! Every pod create of a big cluster eventually pays one encode, and every read of an old pod
//! one decode, so the form is a binary one: what the pod's JSON says, without JSON's quoting
//! and escaping to write and scan.
//!
//! Events are kept in this form from their first write: each is a whole `api::Object` (3.5
//! KB inline, whatever the kind) for a few hundred bytes of data, a cluster records about six
//! per pod, and nothing but `get events`, `describe` and the recorder's own aggregation reads
//! them back.
//!
//! The form must give back exactly the object that went in. It does for every pod field
//! except timestamps: `metav1.Time` is written with whole seconds (as the API server stores
//! it, apimachinery meta/v1 time_proto.go v1.34). The store cuts stored times to whole
//! seconds (`timestamps`), so this only keeps decoded a pod that reached it otherwise.

mod event;

use std::sync::Arc;

use api::Object;
use api::wire;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

/// The first byte of the compact form: which type the rest decodes to.
const POD: u8 = b'P';
const EVENT: u8 = b'E';

/// The compact bytes of `obj`, or None when it must stay decoded (neither a pod nor an
/// event, or one whose timestamps the form cannot carry exactly).
pub(crate) fn encode(obj: &Object) -> Option<Arc<[u8]>> {
    let bytes = match obj {
        Object::Pod(pod) if pod_times_whole(pod) => wire::to_bytes(POD, pod).ok()?,
        Object::Event(event) if event_times_exact(event) => {
            wire::to_bytes(EVENT, &event::EventForm(event)).ok()?
        }
        _ => return None,
    };
    debug_assert_eq!(
        decode(&bytes).as_ref(),
        Some(obj),
        "compact form must round-trip"
    );
    Some(bytes)
}

#[cfg(test)]
thread_local! {
    /// How many compact pods this thread decoded (tests of the list paths count them).
    pub(crate) static DECODES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The object `encode` was given.
pub(crate) fn decode(bytes: &[u8]) -> Option<Object> {
    #[cfg(test)]
    DECODES.with(|d| d.set(d.get() + 1));
    match bytes.split_first()? {
        (&POD, rest) => wire::from_bytes::<corev1::Pod>(rest).ok().map(Object::Pod),
        (&EVENT, rest) => wire::from_bytes::<corev1::Event>(rest).ok().map(Object::Event),
        _ => None,
    }
}

/// The object `encode` was given, as stored objects are handed out.
///
/// `encode` checked that its bytes decode to the same object, so the fallback (an empty pod)
/// is unreachable.
pub(crate) fn decode_shared(bytes: &[u8]) -> Arc<Object> {
    Arc::new(decode(bytes).unwrap_or_else(|| Object::Pod(Default::default())))
}

/// A compact pod or event read in place: the few fields a watch filters by (namespace,
/// labels, selectable fields) come straight from the bytes, so a watcher decodes only the
/// changes it delivers (see `watch::Watcher::matches_compact`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peek<'a> {
    pub kind: Kind,
    pub top: wire::View<'a>,
    /// `metadata.namespace` and `metadata.labels`, when set.
    pub namespace: Option<wire::View<'a>>,
    pub labels: Option<wire::View<'a>>,
}

/// Which type compact bytes hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pod,
    Event,
}

/// Where a compact object's namespace and labels are in its bytes: found once for a change
/// of the watch history, so each further watcher that filters it starts there.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MetaAt {
    namespace: Option<usize>,
    labels: Option<usize>,
}

impl MetaAt {
    /// The places in `bytes` (nothing for bytes `encode` did not write).
    pub fn of(bytes: &[u8]) -> MetaAt {
        let Some(peek) = Peek::new(bytes) else {
            return MetaAt::default();
        };
        let at = |v: Option<wire::View<'_>>| v.and_then(|v| v.offset_in(bytes));
        MetaAt {
            namespace: at(peek.namespace),
            labels: at(peek.labels),
        }
    }
}

impl<'a> Peek<'a> {
    /// The object `encode` wrote into `bytes`, to read in place; None for bytes `encode` did
    /// not write.
    pub fn new(bytes: &'a [u8]) -> Option<Peek<'a>> {
        let (kind, top) = Peek::top(bytes)?;
        let [namespace, labels] = top
            .get("metadata")
            .map_or([None, None], |m| m.get_many(["namespace", "labels"]));
        Some(Peek {
            kind,
            top,
            namespace,
            labels,
        })
    }

    /// `new` for bytes whose namespace and labels were found before (`MetaAt::of`).
    pub fn known(bytes: &'a [u8], at: &MetaAt) -> Option<Peek<'a>> {
        let (kind, top) = Peek::top(bytes)?;
        let view = |offset: Option<usize>| offset.and_then(|o| wire::View::at(bytes, o));
        Some(Peek {
            kind,
            top,
            namespace: view(at.namespace),
            labels: view(at.labels),
        })
    }

    fn top(bytes: &'a [u8]) -> Option<(Kind, wire::View<'a>)> {
        match bytes.split_first()? {
            (&POD, rest) => Some((Kind::Pod, wire::View::new(rest))),
            (&EVENT, rest) => Some((Kind::Event, wire::View::new(rest))),
            _ => None,
        }
    }

    /// The string at `path` (struct field names from the top), if set.
    pub fn str_at(&self, path: &[&str]) -> Option<&'a str> {
        path.iter()
            .try_fold(self.top, |v, name| v.get(name))?
            .str()
    }

    /// The boolean at `path`, if set.
    pub fn bool_at(&self, path: &[&str]) -> Option<bool> {
        path.iter()
            .try_fold(self.top, |v, name| v.get(name))?
            .bool()
    }
}

fn whole(t: Option<&metav1::Time>) -> bool {
    t.is_none_or(|t| t.0.subsec_nanosecond() == 0)
}

/// Whether the event's times come back exactly: `metav1.Time`s with whole seconds and
/// `MicroTime`s with whole microseconds, as the form writes them.
fn event_times_exact(event: &corev1::Event) -> bool {
    let micro = |t: Option<&metav1::MicroTime>| {
        t.is_none_or(|t| t.0.subsec_nanosecond() % 1000 == 0)
    };
    let m = &event.metadata;
    whole(m.creation_timestamp.as_ref())
        && whole(m.deletion_timestamp.as_ref())
        && m.managed_fields
            .iter()
            .flatten()
            .all(|f| whole(f.time.as_ref()))
        && whole(event.first_timestamp.as_ref())
        && whole(event.last_timestamp.as_ref())
        && micro(event.event_time.as_ref())
        && micro(event.series.as_ref().and_then(|s| s.last_observed_time.as_ref()))
}

/// Whether every `metav1.Time` of the pod (the v1.34 Pod type's complete list) has whole
/// seconds.
fn pod_times_whole(pod: &corev1::Pod) -> bool {
    let m = &pod.metadata;
    let meta_ok = whole(m.creation_timestamp.as_ref())
        && whole(m.deletion_timestamp.as_ref())
        && m.managed_fields
            .iter()
            .flatten()
            .all(|f| whole(f.time.as_ref()));
    let Some(status) = &pod.status else {
        return meta_ok;
    };
    let state_ok = |s: Option<&corev1::ContainerState>| {
        s.is_none_or(|s| {
            whole(s.running.as_ref().and_then(|r| r.started_at.as_ref()))
                && s.terminated
                    .as_ref()
                    .is_none_or(|t| whole(t.started_at.as_ref()) && whole(t.finished_at.as_ref()))
        })
    };
    let containers_ok = |list: Option<&Vec<corev1::ContainerStatus>>| {
        list.into_iter()
            .flatten()
            .all(|c| state_ok(c.state.as_ref()) && state_ok(c.last_state.as_ref()))
    };
    meta_ok
        && whole(status.start_time.as_ref())
        && status
            .conditions
            .iter()
            .flatten()
            .all(|c| whole(c.last_probe_time.as_ref()) && whole(c.last_transition_time.as_ref()))
        && containers_ok(status.container_statuses.as_ref())
        && containers_ok(status.init_container_statuses.as_ref())
        && containers_ok(status.ephemeral_container_statuses.as_ref())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use api::Object;
    use k8s_openapi::api::core::v1 as corev1;
    use serde_json::json;

    use super::DECODES;
    use crate::apiserver::{
        CreateOptions, DeleteOptions, ListOptions, Store, UpdateOptions, WatchOptions,
    };
    use crate::rng::SimRng;
    use crate::time::SimTime;

    fn pod(name: &str, app: &str) -> Object {
        Object::from_value(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": {"app": app}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.25",
                "ports": [{"containerPort": 80}]}]}}))
        .expect("pod")
    }

    /// Everything a client can observe of a run of requests, as text.
    fn scenario(store: &mut Store) -> Vec<String> {
        let pods = api::by_gvk("v1", "Pod").expect("pods");
        let mut seen = Vec::new();
        let show = |o: &Arc<Object>| serde_json::to_string(&o.to_value()).unwrap_or_default();
        store.set_now(SimTime(2_000));
        for i in 0..6 {
            let app = if i % 2 == 0 { "web" } else { "db" };
            let created = store.create(
                Some("default"),
                pod(&format!("p{i}"), app),
                &CreateOptions::default(),
            );
            seen.push(format!("{:?}", created.map(|o| show(&o))));
        }
        // A sub-second timestamp: this pod cannot be compacted and must stay exact.
        store.set_now(SimTime(2_500));
        let _ = store.create(
            Some("default"),
            pod("late", "web"),
            &CreateOptions::default(),
        );
        let mut p1 = (*store.get(pods, Some("default"), "p1").expect("p1")).clone();
        if let Object::Pod(p) = &mut p1 {
            p.spec.get_or_insert_with(Default::default).node_name = Some("n1".into());
            p.status = Some(corev1::PodStatus {
                phase: Some("Running".into()),
                ..Default::default()
            });
        }
        seen.push(format!(
            "{:?}",
            store
                .update(None, p1, &UpdateOptions::default())
                .map(|o| show(&o))
        ));
        let _ = store.delete(pods, Some("default"), "p2", &DeleteOptions::default());
        for selector in ["app=web", "app=db", "app!=web", ""] {
            let list = store.list(
                pods,
                None,
                &ListOptions {
                    label_selector: selector.into(),
                    ..Default::default()
                },
            );
            seen.push(format!(
                "{selector}: {:?}",
                list.map(|l| l.items.iter().map(show).collect::<Vec<_>>())
            ));
        }
        let page = store.list(
            pods,
            Some("default"),
            &ListOptions {
                limit: Some(2),
                ..Default::default()
            },
        );
        seen.push(format!(
            "{:?}",
            page.map(|l| (l.items.len(), l.continue_token, l.remaining_item_count))
        ));
        seen.push(format!(
            "{:?}",
            store
                .pods_on_node("n1")
                .iter()
                .map(show)
                .collect::<Vec<_>>()
        ));
        seen.push(format!(
            "{:?}",
            store.get(pods, Some("default"), "late").map(|o| show(&o))
        ));
        seen
    }

    /// Two stores from the same seed: one keeps every object decoded, the other compacts pods
    /// from their first write.
    fn decoded_and_compact() -> (Store, Store) {
        let decoded = Store::new(SimRng::seeded(7));
        let mut compact = Store::new(SimRng::seeded(7));
        compact.set_hot_limit(0);
        (decoded, compact)
    }

    #[test]
    fn compact_pods_read_back_as_written() {
        let (mut decoded, mut compact) = decoded_and_compact();
        assert_eq!(scenario(&mut decoded), scenario(&mut compact));
        // The stores hold the same objects, and the compact one really is compact.
        let pods = api::by_gvk("v1", "Pod").expect("pods");
        let a = decoded.get(pods, Some("default"), "p0").expect("p0");
        let b = compact.get(pods, Some("default"), "p0").expect("p0");
        assert_eq!(a, b);
        assert!(!Arc::ptr_eq(
            &b,
            &compact.get(pods, Some("default"), "p0").expect("p0")
        ));
    }

    /// A watch resumed from a resourceVersion older than pods the store has since compacted
    /// sees exactly the events of a store that keeps every pod decoded (types, objects,
    /// resourceVersions, order; a pod that stops matching a selector included), and the
    /// history keeps those pods only in the compact form it shares with the store.
    #[test]
    fn a_watch_from_before_compaction_sees_the_same_events() {
        let pods = api::by_gvk("v1", "Pod").expect("pods");
        let run = |store: &mut Store| {
            store.set_now(SimTime(2_000));
            let start = store.resource_version().to_string();
            let mut held = Vec::new();
            for i in 0..4 {
                let created = store
                    .create(Some("default"), pod(&format!("p{i}"), "web"), &CreateOptions::default())
                    .expect("create");
                held.push(created);
            }
            let mut p1 = (*store.get(pods, Some("default"), "p1").expect("p1")).clone();
            p1.meta_mut().labels = Some([("app".to_string(), "db".to_string())].into());
            store.update(None, p1, &UpdateOptions::default()).expect("relabel");
            store
                .delete(pods, Some("default"), "p2", &DeleteOptions::default())
                .expect("delete");
            let mut seen = Vec::new();
            for selector in ["", "app=web", "app=db"] {
                let id = store
                    .watch(pods, Some("default"), &WatchOptions {
                        label_selector: selector.into(),
                        resource_version: Some(start.clone()),
                        ..Default::default()
                    })
                    .expect("watch");
                for e in store.poll(id).expect("poll") {
                    seen.push(format!(
                        "{selector}: {} {}",
                        e.event_type.as_str(),
                        serde_json::to_string(&e.object.to_value()).unwrap_or_default()
                    ));
                }
            }
            (seen, held)
        };
        let (mut decoded, mut compact) = decoded_and_compact();
        let (want, _) = run(&mut decoded);
        let (got, held) = run(&mut compact);
        assert_eq!(got, want);
        assert_eq!(want.len(), 13, "{want:#?}");
        // The history's entries of the compacted creates are their compact bytes: the pods
        // the creates returned are held by nobody else.
        for (i, obj) in held.iter().enumerate() {
            assert_eq!(Arc::strong_count(obj), 1, "p{i}");
        }
    }

    #[test]
    fn only_pods_with_whole_second_times_are_compacted() {
        let mut p = match pod("a", "web") {
            Object::Pod(p) => p,
            _ => unreachable!(),
        };
        p.metadata.creation_timestamp = Some(SimTime(3_000).to_time());
        let bytes = super::encode(&Object::Pod(p.clone())).expect("whole seconds compact");
        assert_eq!(super::decode(&bytes), Some(Object::Pod(p.clone())));
        p.metadata.creation_timestamp = Some(SimTime(3_001).to_time());
        assert_eq!(super::encode(&Object::Pod(p)), None);
        assert_eq!(super::encode(&Object::Namespace(Default::default())), None);
    }

    /// Every kind of value a pod holds comes back as it went in: strings JSON would escape,
    /// numbers of both signs and at their limits, int-or-strings, quantities, empty lists and
    /// maps, whole-second times; and bytes that are not a pod decode to nothing, never a panic.
    #[test]
    fn the_compact_form_carries_every_value_a_pod_holds() {
        let obj = Object::from_value(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "odd", "namespace": "default", "generation": 9_007_199_254_740_993_i64,
                "labels": {"app": "web", "empty": ""},
                "annotations": {"note": "quote \" backslash \\ newline \n tab \t nul \u{0} ü 世界 😀"},
                "finalizers": [], "creationTimestamp": "2026-01-02T03:04:05Z"},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.25",
                "args": ["-c", "echo \"$(HOME)\"", ""],
                "ports": [{"containerPort": 65535, "hostPort": 0}],
                "env": [{"name": "N", "value": "-1"}],
                "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"cpu": "1"}},
                "livenessProbe": {"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 10},
                "readinessProbe": {"tcpSocket": {"port": 8080}, "failureThreshold": 2147483647},
                "securityContext": {"runAsUser": -5, "privileged": false}}],
                "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                        "labelSelector": {"matchLabels": {"app": "web"}}}}]}},
                "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoExecute",
                    "tolerationSeconds": -9_223_372_036_854_775_807_i64}],
                "nodeSelector": {}},
            "status": {"phase": "Running", "startTime": "2026-01-02T03:04:06Z",
                "conditions": [{"type": "Ready", "status": "True",
                    "lastTransitionTime": "2026-01-02T03:04:07Z"}],
                "containerStatuses": [{"name": "c", "ready": true, "restartCount": 3, "image": "nginx:1.25",
                    "imageID": "", "state": {"running": {"startedAt": "2026-01-02T03:04:06Z"}}}]}}))
        .expect("pod");
        let bytes = super::encode(&obj).expect("whole seconds compact");
        assert_eq!(super::decode(&bytes), Some(obj));
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(super::decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert_eq!(super::decode(&longer), None);
        assert_eq!(super::decode(&[255, 1, 2]), None);
    }

    /// An event is stored compact from its first write and reads back as written: its
    /// series, micro-second times and the recorder's aggregation all come back the same.
    #[test]
    fn events_are_kept_compact_and_read_back_as_written() {
        let event = Object::from_value(json!({"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "web.1", "namespace": "default",
                "creationTimestamp": "2026-01-02T03:04:05Z"},
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
            "reason": "BackOff", "message": "Back-off restarting failed container \"c\"",
            "type": "Warning", "count": 7,
            "firstTimestamp": "2026-01-02T03:04:05Z", "lastTimestamp": "2026-01-02T03:09:05Z",
            "eventTime": "2026-01-02T03:04:05.123456Z",
            "series": {"count": 3, "lastObservedTime": "2026-01-02T03:09:05.000001Z"},
            "source": {"component": "kubelet", "host": "n1"}}))
        .expect("event");
        let bytes = super::encode(&event).expect("exact times compact");
        assert_eq!(super::decode(&bytes), Some(event));

        let mut store = Store::new(SimRng::seeded(7));
        let source = crate::apiserver::EventSource {
            component: "kubelet".into(),
            host: "n1".into(),
        };
        let involved = corev1::ObjectReference {
            kind: Some("Pod".into()),
            name: Some("web".into()),
            namespace: Some("default".into()),
            ..Default::default()
        };
        let warn = crate::apiserver::EventType::Warning;
        let first = store
            .record_event(&involved, warn, "BackOff", "back-off", &source, SimTime(1_000))
            .expect("recorded");
        let again = store
            .record_event(&involved, warn, "BackOff", "back-off", &source, SimTime(9_000))
            .expect("aggregated");
        let events = api::by_gvk("v1", "Event").expect("events");
        let read = store.get(events, Some("default"), first.name()).expect("stored");
        assert_eq!(read, again);
        let Object::Event(e) = &*read else {
            unreachable!()
        };
        assert_eq!(e.count, Some(2));
        // Decoded on each read: the store keeps no decoded copy.
        let reread = store.get(events, Some("default"), first.name()).expect("stored");
        assert!(!Arc::ptr_eq(&read, &reread));
    }

    /// A limited list answered from an index decodes the page it returns (and the one item
    /// that shows a next page exists), not every match, and gives the same page and token as
    /// a store that keeps every pod decoded.
    #[test]
    fn an_indexed_list_with_a_limit_decodes_only_its_page() {
        let pods = api::by_gvk("v1", "Pod").expect("pods");
        let fill = |store: &mut Store| {
            store.set_now(SimTime(2_000));
            for i in 0..60 {
                let app = if i % 3 == 0 { "db" } else { "web" };
                let _ = store.create(
                    Some("default"),
                    pod(&format!("p{i:02}"), app),
                    &CreateOptions::default(),
                );
            }
        };
        let (mut decoded, mut compact) = decoded_and_compact();
        fill(&mut decoded);
        fill(&mut compact);
        let page = |store: &Store, token: Option<String>| {
            let l = store
                .list(
                    pods,
                    Some("default"),
                    &ListOptions {
                        label_selector: "app=web".into(),
                        limit: Some(5),
                        continue_token: token,
                        ..Default::default()
                    },
                )
                .expect("list");
            let names: Vec<String> = l.items.iter().map(|o| o.name().to_string()).collect();
            (names, l.continue_token)
        };
        DECODES.with(|d| d.set(0));
        let first = page(&compact, None);
        assert_eq!(DECODES.with(std::cell::Cell::get), 6);
        assert_eq!(first, page(&decoded, None));
        assert_eq!(first.0, ["p01", "p02", "p04", "p05", "p07"]);
        DECODES.with(|d| d.set(0));
        let second = page(&compact, first.1.clone());
        assert_eq!(DECODES.with(std::cell::Cell::get), 6);
        assert_eq!(second, page(&decoded, first.1));
        assert_eq!(second.0, ["p08", "p10", "p11", "p13", "p14"]);
    }

    /// Pods written while every pod stays decoded (no bytes made as they were written) are
    /// encoded when the limit drops, and those written under a limit carry the bytes made at
    /// their write: both read back as written.
    #[test]
    fn pods_compacted_with_and_without_bytes_made_at_their_write_read_back_the_same() {
        let pods = api::by_gvk("v1", "Pod").expect("pods");
        let mut store = Store::new(SimRng::seeded(7));
        store.set_now(SimTime(2_000));
        store.set_hot_limit(usize::MAX);
        let mut want = Vec::new();
        for i in 0..6 {
            if i == 3 {
                store.set_hot_limit(1);
            }
            let created = store
                .create(Some("default"), pod(&format!("p{i}"), "web"), &CreateOptions::default())
                .expect("create");
            want.push((*created).clone());
        }
        store.set_hot_limit(0);
        DECODES.with(|d| d.set(0));
        let listed = store.list(pods, Some("default"), &ListOptions::default()).expect("list");
        assert_eq!(DECODES.with(std::cell::Cell::get), 6);
        let got: Vec<Object> = listed.items.iter().map(|o| (**o).clone()).collect();
        assert_eq!(got, want);
    }

    /// Only pod writes age pods out of the decoded set: a big cluster writes Leases, node
    /// status and events all the time, and those must not turn its few thousand pods compact.
    #[test]
    fn writes_of_other_kinds_keep_pods_decoded() {
        let pods = api::by_gvk("v1", "Pod").expect("pods");
        let mut store = Store::new(SimRng::seeded(7));
        store.set_hot_limit(2);
        store.set_now(SimTime(2_000));
        for i in 0..2 {
            let _ = store.create(Some("default"), pod(&format!("p{i}"), "web"), &CreateOptions::default());
        }
        for i in 0..10 {
            let cm = Object::from_value(json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": format!("cm{i}")}}))
            .expect("configmap");
            let _ = store.create(Some("default"), cm, &CreateOptions::default());
        }
        // A pod written again and again counts once.
        for phase in ["Pending", "Running", "Pending", "Running"] {
            let mut p1 = (*store.get(pods, Some("default"), "p1").expect("p1")).clone();
            if let Object::Pod(p) = &mut p1 {
                p.status = Some(corev1::PodStatus {
                    phase: Some(phase.into()),
                    ..Default::default()
                });
            }
            store.update(None, p1, &UpdateOptions::default()).expect("update");
        }
        DECODES.with(|d| d.set(0));
        let listed = store.list(pods, Some("default"), &ListOptions::default()).expect("list");
        assert_eq!(listed.items.len(), 2);
        assert_eq!(DECODES.with(std::cell::Cell::get), 0);
        // A third pod does push the oldest out.
        let _ = store.create(Some("default"), pod("p2", "web"), &CreateOptions::default());
        DECODES.with(|d| d.set(0));
        let _ = store.list(pods, Some("default"), &ListOptions::default()).expect("list");
        assert_eq!(DECODES.with(std::cell::Cell::get), 1);
    }

    /// Varied pods and events: namespaces, labels (none, empty, several), every selectable
    /// field set, unset or empty, from a fixed seed.
    fn varied_objects() -> Vec<Object> {
        let mut rng = SimRng::seeded(0x2545_f491);
        let mut next = move |n: u64| u64::from(rng.below(u32::try_from(n).expect("small")));
        let mut out = Vec::new();
        for i in 0..240 {
            let pick = |n: u64, options: &[&str], roll: u64| -> Option<String> {
                let at = usize::try_from(roll % (n + 1)).unwrap_or(0);
                options.get(at).map(|s| (*s).to_string())
            };
            let mut meta = json!({"name": format!("o{i}"), "creationTimestamp": "2026-01-02T03:04:05Z"});
            if let Some(ns) = pick(3, &["default", "other", ""], next(4)) {
                meta["namespace"] = json!(ns);
            }
            match next(4) {
                0 => {}
                1 => meta["labels"] = json!({}),
                2 => meta["labels"] = json!({"app": "web", "tier": "", "rank": "5"}),
                _ => meta["labels"] = json!({"app": pick(2, &["db", "web"], next(3)).unwrap_or_default(),
                    "rank": format!("{}", next(9)), "pod-template-hash": "7854ff8877"}),
            }
            if next(2) == 0 {
                meta["annotations"] = json!({"namespace": "decoy", "labels": "decoy"});
            }
            let obj = if next(3) > 0 {
                let mut spec = json!({"containers": [{"name": "c", "image": "nginx:1.25"}]});
                for (field, options) in [
                    ("nodeName", &["n1", "n2", ""][..]),
                    ("restartPolicy", &["Always", "Never"]),
                    ("schedulerName", &["default-scheduler", "other"]),
                    ("serviceAccountName", &["default", "builder"]),
                ] {
                    if let Some(v) = pick(options.len() as u64, options, next(5)) {
                        spec[field] = json!(v);
                    }
                }
                match next(3) {
                    0 => {}
                    1 => spec["hostNetwork"] = json!(true),
                    _ => spec["hostNetwork"] = json!(false),
                }
                let mut pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta,
                    "spec": spec});
                if next(3) > 0 {
                    let mut status = json!({});
                    for (field, options) in [
                        ("phase", &["Pending", "Running", "Succeeded"][..]),
                        ("podIP", &["10.0.0.1", ""]),
                        ("nominatedNodeName", &["n2"]),
                    ] {
                        if let Some(v) = pick(options.len() as u64, options, next(5)) {
                            status[field] = json!(v);
                        }
                    }
                    pod["status"] = status;
                }
                pod
            } else {
                let mut involved = json!({});
                for (field, options) in [
                    ("kind", &["Pod", "Node"][..]),
                    ("namespace", &["default", ""]),
                    ("name", &["web", "o1"]),
                    ("uid", &["u-1"]),
                    ("apiVersion", &["v1"]),
                    ("resourceVersion", &["12"]),
                    ("fieldPath", &["spec.containers{c}"]),
                ] {
                    if let Some(v) = pick(options.len() as u64, options, next(4)) {
                        involved[field] = json!(v);
                    }
                }
                let mut event = json!({"apiVersion": "v1", "kind": "Event", "metadata": meta,
                    "involvedObject": involved});
                for (field, options) in [
                    ("reason", &["Killing", "BackOff"][..]),
                    ("reportingComponent", &["kubelet", ""]),
                    ("type", &["Normal", "Warning"]),
                ] {
                    if let Some(v) = pick(options.len() as u64, options, next(4)) {
                        event[field] = json!(v);
                    }
                }
                match next(3) {
                    0 => {}
                    1 => event["source"] = json!({}),
                    _ => event["source"] = json!({"component": "kubelet", "host": "n1"}),
                }
                event
            };
            out.push(Object::from_value(obj).expect("object"));
        }
        out
    }

    /// Every selectable field read from a compact pod's or event's bytes has the value the
    /// decoded object gives, and every watch filter (namespace, label selectors of each
    /// operator, field selectors) decides the same on the bytes as on the decoded object.
    #[test]
    fn compact_objects_read_in_place_agree_with_decoding() {
        let objects = varied_objects();
        let pods = api::by_gvk("v1", "Pod").expect("pods");
        let events = api::by_gvk("v1", "Event").expect("events");
        let label_selectors = ["", "app=web", "app!=web", "app in (db,web)", "app notin (db)",
            "tier", "!tier", "rank>3", "rank<3", "app=web,rank>1", "pod-template-hash=7854ff8877"];
        let field_selectors = ["", "metadata.name=o7", "metadata.namespace=default",
            "spec.nodeName=n1", "spec.nodeName=", "spec.hostNetwork=true", "spec.hostNetwork!=true",
            "status.phase=Running,spec.restartPolicy!=Never", "status.podIP=",
            "status.nominatedNodeName=n2", "spec.schedulerName=other",
            "spec.serviceAccountName=builder", "involvedObject.name=web,reason=Killing",
            "source=kubelet", "source=", "type!=Normal", "reportingComponent=",
            "involvedObject.kind=Pod", "involvedObject.namespace=default",
            "involvedObject.uid=u-1", "involvedObject.apiVersion=v1",
            "involvedObject.resourceVersion=12", "involvedObject.fieldPath=spec.containers{c}"];
        let (mut seen_pods, mut matched) = (0, 0);
        for obj in &objects {
            let bytes = super::encode(obj).expect("compact");
            let fresh = super::Peek::new(&bytes).expect("readable");
            let known = super::Peek::known(&bytes, &super::MetaAt::of(&bytes)).expect("readable");
            let info = if matches!(obj, Object::Pod(_)) { pods } else { events };
            seen_pods += usize::from(matches!(obj, Object::Pod(_)));
            let mut fields = vec!["metadata.name", "metadata.namespace"];
            fields.extend(super::super::fieldsel::kind_fields(info.group, info.kind));
            for field in fields {
                assert_eq!(
                    super::super::fieldsel::compact_value(&fresh, field),
                    super::super::fieldsel::value(obj, field),
                    "{field} of {obj:?}"
                );
            }
            for namespace in [None, Some("default"), Some("other"), Some("")] {
                for labels in label_selectors {
                    for fields in field_selectors {
                        let fields = machinery::fields::parse(fields).expect("fields");
                        if super::super::fieldsel::check_supported(info, &fields).is_err() {
                            continue;
                        }
                        let watcher = crate::apiserver::watch::Watcher {
                            kind: 0,
                            served: None,
                            namespace: namespace.map(str::to_string),
                            labels: machinery::labels::parse(labels).expect("labels"),
                            fields,
                            cursor: 0,
                            initial: Default::default(),
                        };
                        let want = watcher.matches(obj);
                        matched += usize::from(want);
                        for peek in [&fresh, &known] {
                            assert_eq!(watcher.matches_compact(peek), want, "{namespace:?} {labels} {obj:?}");
                        }
                    }
                }
            }
        }
        // The objects are varied enough to both pass and fail filters of both kinds.
        assert!(seen_pods > 60 && seen_pods < objects.len() - 30, "{seen_pods}");
        assert!(matched > 1_000, "{matched}");
    }

    /// Watchers of a store that keeps every pod compact filter its changes by namespace,
    /// labels and fields from their bytes: they see exactly the events of a store that keeps
    /// every pod decoded, and decode only the changes they deliver (none, for a watch that
    /// matches nothing).
    #[test]
    fn watches_filter_compact_changes_as_decoded_ones_and_decode_only_what_they_deliver() {
        let pods = api::by_gvk("v1", "Pod").expect("pods");
        let run = |store: &mut Store| {
            store.set_now(SimTime(2_000));
            let start = store.resource_version().to_string();
            for i in 0..8 {
                let ns = if i % 3 == 0 { "kube-public" } else { "default" };
                let app = if i % 2 == 0 { "web" } else { "db" };
                store
                    .create(Some(ns), pod(&format!("p{i}"), app), &CreateOptions::default())
                    .expect("create");
            }
            let mut p1 = (*store.get(pods, Some("default"), "p1").expect("p1")).clone();
            if let Object::Pod(p) = &mut p1 {
                p.spec.get_or_insert_with(Default::default).node_name = Some("n1".into());
                p.status = Some(corev1::PodStatus {
                    phase: Some("Running".into()),
                    ..Default::default()
                });
            }
            store.update(None, p1, &UpdateOptions::default()).expect("bind");
            let mut p2 = (*store.get(pods, Some("default"), "p2").expect("p2")).clone();
            p2.meta_mut().labels = Some([("app".to_string(), "db".to_string())].into());
            store.update(None, p2, &UpdateOptions::default()).expect("relabel");
            store
                .delete(pods, Some("default"), "p4", &DeleteOptions::default())
                .expect("delete");
            let mut seen = Vec::new();
            let mut decodes = Vec::new();
            for (ns, labels, fields) in [
                (None, "", ""),
                (Some("default"), "app=web", ""),
                (Some("kube-public"), "", ""),
                (None, "app=db", "spec.nodeName=n1"),
                (Some("default"), "", "status.phase=Pending,metadata.name!=p7"),
                (None, "app!=web", "metadata.name!=p5"),
                (None, "", "metadata.namespace=kube-public,spec.hostNetwork=false"),
                (None, "app=none", ""),
                (Some("elsewhere"), "", ""),
                (None, "", "spec.nodeName=n9"),
            ] {
                let id = store
                    .watch(pods, ns, &WatchOptions {
                        label_selector: labels.into(),
                        field_selector: fields.into(),
                        resource_version: Some(start.clone()),
                    })
                    .expect("watch");
                DECODES.with(|d| d.set(0));
                let events = store.poll(id).expect("poll");
                decodes.push((events.len(), DECODES.with(std::cell::Cell::get)));
                for e in events {
                    seen.push(format!(
                        "{ns:?} {labels} {fields}: {} {}",
                        e.event_type.as_str(),
                        serde_json::to_string(&e.object.to_value()).unwrap_or_default()
                    ));
                }
            }
            (seen, decodes)
        };
        let (mut decoded, mut compact) = decoded_and_compact();
        let (want, _) = run(&mut decoded);
        let (got, decodes) = run(&mut compact);
        assert_eq!(got, want);
        assert_eq!(want.len(), 34);
        for (i, (delivered, decoded)) in decodes.iter().enumerate() {
            assert!(decoded <= delivered, "watch {i}: {decodes:?}");
        }
        assert_eq!(decodes[7..], [(0, 0), (0, 0), (0, 0)]);
    }

    /// The watch history keeps an Event's writes in the form the store keeps the Event,
    /// compact; every watcher turns each of those changes into the same watch event as it
    /// would from the decoded objects (created, repeated, relabelled, retyped, deleted).
    #[test]
    fn event_changes_kept_compact_convert_as_decoded_ones() {
        use crate::apiserver::watch::{Change, Watcher, Written};
        use crate::apiserver::{EventSource, EventType};
        let events = api::by_gvk("v1", "Event").expect("events");
        let mut store = Store::new(SimRng::seeded(7));
        for i in 0..60_u32 {
            // Five aggregation keys with three messages each: every Event is written four times.
            let k = i % 5;
            let involved = corev1::ObjectReference {
                kind: Some(["Pod", "Node"][(k % 2) as usize].into()),
                name: Some(format!("o{k}")),
                namespace: Some(["default", "kube-public"][(k % 3 % 2) as usize].into()),
                uid: Some(format!("u-{k}")),
                api_version: Some("v1".into()),
                ..Default::default()
            };
            let source = EventSource {
                component: ["kubelet", "default-scheduler"][(k % 2) as usize].into(),
                host: ["n1", ""][(k % 3 % 2) as usize].into(),
            };
            let kind = [EventType::Normal, EventType::Warning][(k % 4 % 2) as usize];
            let reason = ["Pulled", "BackOff", "Killing"][(k % 3) as usize];
            let message = format!("m{}", i % 3);
            let now = SimTime(1_000 * u64::from(i));
            let written = store
                .record_event(&involved, kind, reason, &message, &source, now)
                .expect("recorded");
            if i % 13 == 4 {
                let mut changed = (*written).clone();
                changed.meta_mut().labels = Some([("tier".to_string(), "web".to_string())].into());
                if let Object::Event(e) = &mut changed {
                    e.type_ = Some("Warning".into());
                    e.reason = Some("Killing".into());
                }
                store.update(None, changed, &UpdateOptions::default()).expect("update");
            }
            if i % 17 == 10 {
                store
                    .delete(events, written.namespace(), written.name(), &DeleteOptions::default())
                    .expect("delete");
            }
        }
        let t = store.table_index(events);
        let changes: Vec<Change> = store.tables[t].log.changes.iter().cloned().collect();
        let compact = |w: &Option<Written>| matches!(w, Some(Written::Compact(_)));
        assert!(changes.iter().filter(|c| compact(&c.new)).count() > 50);
        assert!(changes.iter().filter(|c| compact(&c.old)).count() > 10);
        let decoded = |w: &Option<Written>| w.as_ref().map(|w| Written::Decoded(w.obj()));
        let mut delivered = std::collections::BTreeMap::new();
        for namespace in [None, Some("default"), Some("kube-public")] {
            for labels in ["", "tier=web", "tier!=web", "!tier"] {
                for fields in ["", "type=Warning", "reason!=Killing", "involvedObject.kind=Pod",
                    "source=kubelet,involvedObject.name=o1", "metadata.namespace=default"] {
                    let watcher = Watcher {
                        kind: t,
                        served: None,
                        namespace: namespace.map(str::to_string),
                        labels: machinery::labels::parse(labels).expect("labels"),
                        fields: machinery::fields::parse(fields).expect("fields"),
                        cursor: 0,
                        initial: Default::default(),
                    };
                    for change in &changes {
                        let plain = Change {
                            rv: change.rv,
                            old: decoded(&change.old),
                            new: decoded(&change.new),
                        };
                        let got = watcher.convert(change);
                        assert_eq!(got, watcher.convert(&plain), "{namespace:?} {labels} {fields}");
                        if let Some(e) = got {
                            *delivered.entry(e.event_type.as_str()).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
        // Every kind of watch event came out of the comparison, a stopped match among them.
        assert!(delivered.values().all(|n| *n > 20) && delivered.len() == 3, "{delivered:?}");
    }
}
