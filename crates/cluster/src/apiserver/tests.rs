//! Store behaviour tables: CRUD, errors, watch, indexes, deletion, garbage collection, events.

use std::collections::BTreeMap;

use api::{KindInfo, Object};
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::*;
use crate::rng::SimRng;
use crate::time::SimTime;

fn kind(api_version: &str, kind: &str) -> &'static KindInfo {
    api::by_gvk(api_version, kind).expect("registered kind")
}

fn pods() -> &'static KindInfo {
    kind("v1", "Pod")
}

fn store() -> Store {
    Store::new(SimRng::seeded(42))
}

/// A pod fixture with one nginx container.
struct PodBuilder(corev1::Pod);

fn pod(name: &str) -> PodBuilder {
    PodBuilder(corev1::Pod {
        metadata: metav1::ObjectMeta {
            name: Some(name.to_string()),
            ..Default::default()
        },
        spec: Some(corev1::PodSpec {
            containers: vec![corev1::Container {
                name: "c".into(),
                image: Some("nginx".into()),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    })
}

impl PodBuilder {
    fn label(mut self, k: &str, v: &str) -> Self {
        self.0
            .metadata
            .labels
            .get_or_insert_with(BTreeMap::new)
            .insert(k.into(), v.into());
        self
    }
    fn ns(mut self, ns: &str) -> Self {
        self.0.metadata.namespace = Some(ns.into());
        self
    }
    fn on_node(mut self, node: &str) -> Self {
        self.0.spec.get_or_insert_with(Default::default).node_name = Some(node.into());
        self
    }
    fn generate(mut self, base: &str) -> Self {
        self.0.metadata.name = None;
        self.0.metadata.generate_name = Some(base.into());
        self
    }
    fn owned_by(mut self, owner: &Object, block: bool) -> Self {
        let info = owner.kind_info();
        self.0
            .metadata
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(metav1::OwnerReference {
                api_version: info.api_version(),
                kind: info.kind.into(),
                name: owner.name().into(),
                uid: owner.meta().uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(block),
            });
        self
    }
    fn obj(self) -> Object {
        Object::Pod(self.0)
    }
}

fn replica_set(name: &str) -> Object {
    let labels = BTreeMap::from([("app".to_string(), name.to_string())]);
    Object::ReplicaSet(appsv1::ReplicaSet {
        metadata: metav1::ObjectMeta {
            name: Some(name.into()),
            ..Default::default()
        },
        spec: Some(appsv1::ReplicaSetSpec {
            replicas: Some(1),
            selector: metav1::LabelSelector {
                match_labels: Some(labels.clone()),
                ..Default::default()
            },
            template: Some(corev1::PodTemplateSpec {
                metadata: Some(metav1::ObjectMeta {
                    labels: Some(labels),
                    ..Default::default()
                }),
                spec: pod("x").0.spec,
            }),
            ..Default::default()
        }),
        ..Default::default()
    })
}

fn create(s: &mut Store, obj: Object) -> std::sync::Arc<Object> {
    s.create(None, obj, &CreateOptions::default())
        .expect("create")
}

fn names(list: &ObjectList) -> Vec<String> {
    list.items
        .iter()
        .map(|o| format!("{}/{}", o.namespace().unwrap_or(""), o.name()))
        .collect()
}

#[test]
fn initial_namespaces() {
    let s = store();
    let list = s
        .list(kind("v1", "Namespace"), None, &ListOptions::default())
        .expect("list");
    assert_eq!(
        names(&list),
        [
            "/default",
            "/kube-node-lease",
            "/kube-public",
            "/kube-system"
        ]
    );
    let ns = &list.items[0];
    let Object::Namespace(ns) = &**ns else {
        panic!("namespace")
    };
    assert_eq!(
        ns.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Active")
    );
}

#[test]
fn create_errors() {
    struct Case {
        name: &'static str,
        setup: fn(&mut Store),
        obj: fn() -> Object,
        ns: Option<&'static str>,
        want: &'static str,
    }
    let cases = [
        Case {
            name: "missing namespace",
            setup: |_| {},
            obj: || pod("a").ns("nope").obj(),
            ns: None,
            want: "Error from server (NotFound): namespaces \"nope\" not found",
        },
        Case {
            name: "already exists",
            setup: |s| {
                create(s, pod("a").obj());
            },
            obj: || pod("a").obj(),
            ns: None,
            want: "Error from server (AlreadyExists): pods \"a\" already exists",
        },
        Case {
            name: "grouped already exists",
            setup: |s| {
                create(s, replica_set("rs"));
            },
            obj: || replica_set("rs"),
            ns: None,
            want: "Error from server (AlreadyExists): replicasets.apps \"rs\" already exists",
        },
        Case {
            name: "namespace mismatch",
            setup: |_| {},
            obj: || pod("a").ns("kube-system").obj(),
            ns: Some("default"),
            want: "Error from server (BadRequest): the namespace of the provided object does not match the namespace sent on the request",
        },
        Case {
            name: "resourceVersion set",
            setup: |_| {},
            obj: || {
                let mut p = pod("a").obj();
                p.meta_mut().resource_version = Some("5".into());
                p
            },
            ns: None,
            want: "Error from server (BadRequest): resourceVersion should not be set on objects to be created",
        },
        Case {
            name: "invalid",
            setup: |_| {},
            obj: || pod("Bad_Name").obj(),
            ns: None,
            want: "The Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        },
        Case {
            name: "terminating namespace",
            setup: |s| {
                let ns = Object::Namespace(corev1::Namespace {
                    metadata: metav1::ObjectMeta {
                        name: Some("doomed".into()),
                        ..Default::default()
                    },
                    ..Default::default()
                });
                create(s, ns);
                create(s, pod("keep").ns("doomed").obj());
                s.delete(
                    kind("v1", "Namespace"),
                    None,
                    "doomed",
                    &DeleteOptions::default(),
                )
                .expect("delete ns");
            },
            obj: || pod("a").ns("doomed").obj(),
            ns: None,
            want: "Error from server (Forbidden): pods \"a\" is forbidden: unable to create new content in namespace doomed because it is being terminated",
        },
    ];
    for case in &cases {
        let mut s = store();
        (case.setup)(&mut s);
        let got = s
            .create(case.ns, (case.obj)(), &CreateOptions::default())
            .map(|_| ());
        let err = got.expect_err(case.name);
        assert_eq!(err.kubectl_message(), case.want, "case {}", case.name);
    }
}

#[test]
fn create_fills_system_fields() {
    let mut s = store();
    s.set_now(SimTime(90_000));
    let rv0 = s.resource_version();
    let p = create(&mut s, pod("web").obj());
    let m = p.meta();
    assert_eq!(m.namespace.as_deref(), Some("default"));
    assert_eq!(m.resource_version, Some((rv0 + 1).to_string()));
    assert_eq!(m.generation, Some(1));
    assert_eq!(m.uid.as_ref().map(String::len), Some(36));
    assert_eq!(
        serde_json::to_value(m.creation_timestamp.as_ref()).expect("json"),
        serde_json::json!("2026-01-01T00:01:30Z")
    );
    let Object::Pod(p) = &*p else { panic!("pod") };
    let status = p.status.as_ref().expect("status");
    assert_eq!(status.phase.as_deref(), Some("Pending"));
    assert_eq!(status.qos_class.as_deref(), Some("BestEffort"));
    // Defaults ran.
    assert_eq!(
        p.spec.as_ref().and_then(|s| s.restart_policy.as_deref()),
        Some("Always")
    );
    // A ConfigMap has no generation.
    let cm = Object::ConfigMap(corev1::ConfigMap {
        metadata: metav1::ObjectMeta {
            name: Some("cm".into()),
            ..Default::default()
        },
        ..Default::default()
    });
    assert_eq!(create(&mut s, cm).meta().generation, None);
}

#[test]
fn generate_name_and_dry_run() {
    let mut s = store();
    let a = create(&mut s, pod("").generate("web-").obj());
    assert!(
        a.name().starts_with("web-") && a.name().len() == 9,
        "{}",
        a.name()
    );
    let rv = s.resource_version();
    let dry = s
        .create(None, pod("dry").obj(), &CreateOptions { dry_run: true })
        .expect("dry run");
    assert_eq!(dry.name(), "dry");
    assert_eq!(dry.meta().resource_version, None);
    assert_eq!(s.resource_version(), rv, "dry run stores nothing");
    assert!(s.get(pods(), Some("default"), "dry").is_err());
    // Same seed, same names.
    let mut t = store();
    assert_eq!(
        create(&mut t, pod("").generate("web-").obj()).name(),
        a.name()
    );
}

#[test]
fn get_not_found_wording() {
    let s = store();
    struct Case {
        name: &'static str,
        kind: &'static KindInfo,
        want: &'static str,
    }
    let cases = [
        Case {
            name: "core",
            kind: pods(),
            want: "pods \"x\" not found",
        },
        Case {
            name: "apps",
            kind: kind("apps/v1", "Deployment"),
            want: "deployments.apps \"x\" not found",
        },
        Case {
            name: "cluster",
            kind: kind("v1", "Node"),
            want: "nodes \"x\" not found",
        },
    ];
    for case in &cases {
        let err = s.get(case.kind, Some("default"), "x").expect_err(case.name);
        assert_eq!(err.to_string(), case.want, "case {}", case.name);
        assert_eq!(err.code(), 404);
    }
}

#[test]
fn update_rules() {
    let mut s = store();
    let p = create(&mut s, pod("web").obj());
    // Stale resourceVersion.
    let mut stale = (*p).clone();
    stale.meta_mut().resource_version = Some("1".into());
    let err = s
        .update(None, stale, &UpdateOptions::default())
        .expect_err("conflict");
    assert_eq!(
        err.kubectl_message(),
        "Error from server (Conflict): Operation cannot be fulfilled on pods \"web\": the object has been modified; please apply your changes to the latest version and try again"
    );
    // Label change: no generation bump, new resourceVersion.
    let mut relabeled = (*p).clone();
    relabeled.meta_mut().labels = Some(BTreeMap::from([("a".into(), "b".into())]));
    let u = s
        .update(None, relabeled, &UpdateOptions::default())
        .expect("update");
    assert_eq!(u.meta().generation, Some(1));
    assert_ne!(u.meta().resource_version, p.meta().resource_version);
    // No-op update keeps the resourceVersion.
    let same = s
        .update(None, (*u).clone(), &UpdateOptions::default())
        .expect("noop");
    assert_eq!(same.meta().resource_version, u.meta().resource_version);
    // Spec change bumps generation; status in the request is ignored.
    let Object::Pod(mut changed) = (*u).clone() else {
        panic!()
    };
    changed.spec.as_mut().expect("spec").active_deadline_seconds = Some(30);
    changed.status.as_mut().expect("status").phase = Some("Running".into());
    let u2 = s
        .update(None, Object::Pod(changed), &UpdateOptions::default())
        .expect("spec update");
    assert_eq!(u2.meta().generation, Some(2));
    let Object::Pod(u2p) = &*u2 else { panic!() };
    assert_eq!(
        u2p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Pending")
    );
    // Status update changes only status.
    let Object::Pod(mut st) = (*u2).clone() else {
        panic!()
    };
    st.status.as_mut().expect("status").phase = Some("Running".into());
    st.metadata.labels = None;
    let u3 = s
        .update_status(None, Object::Pod(st), &UpdateOptions::default())
        .expect("status");
    let Object::Pod(u3p) = &*u3 else { panic!() };
    assert_eq!(
        u3p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Running")
    );
    assert!(
        u3p.metadata.labels.is_some(),
        "labels kept by a status update"
    );
    assert_eq!(u3.meta().generation, Some(2));
    // Missing object.
    let err = s
        .update(None, pod("ghost").obj(), &UpdateOptions::default())
        .expect_err("nf");
    assert_eq!(err.to_string(), "pods \"ghost\" not found");
}

#[test]
fn list_selectors_and_pages() {
    let mut s = store();
    create(&mut s, pod("b").label("app", "web").on_node("n1").obj());
    create(&mut s, pod("a").label("app", "web").obj());
    create(&mut s, pod("c").label("app", "db").on_node("n1").obj());
    create(&mut s, pod("d").label("app", "web").ns("kube-system").obj());
    struct Case {
        name: &'static str,
        ns: Option<&'static str>,
        labels: &'static str,
        fields: &'static str,
        want: Result<Vec<&'static str>, &'static str>,
    }
    let cases = [
        Case {
            name: "all in default",
            ns: Some("default"),
            labels: "",
            fields: "",
            want: Ok(vec!["default/a", "default/b", "default/c"]),
        },
        Case {
            name: "all namespaces by label",
            ns: None,
            labels: "app=web",
            fields: "",
            want: Ok(vec!["default/a", "default/b", "kube-system/d"]),
        },
        Case {
            name: "set selector",
            ns: None,
            labels: "app in (db)",
            fields: "",
            want: Ok(vec!["default/c"]),
        },
        Case {
            name: "not equal",
            ns: Some("default"),
            labels: "app!=web",
            fields: "",
            want: Ok(vec!["default/c"]),
        },
        Case {
            name: "node index",
            ns: None,
            labels: "",
            fields: "spec.nodeName=n1",
            want: Ok(vec!["default/b", "default/c"]),
        },
        Case {
            name: "node and label",
            ns: None,
            labels: "app=web",
            fields: "spec.nodeName=n1",
            want: Ok(vec!["default/b"]),
        },
        Case {
            name: "unscheduled",
            ns: None,
            labels: "",
            fields: "spec.nodeName=",
            want: Ok(vec!["default/a", "kube-system/d"]),
        },
        Case {
            name: "by name",
            ns: None,
            labels: "",
            fields: "metadata.name=d",
            want: Ok(vec!["kube-system/d"]),
        },
        Case {
            name: "phase",
            ns: Some("default"),
            labels: "",
            fields: "status.phase=Pending",
            want: Ok(vec!["default/a", "default/b", "default/c"]),
        },
        Case {
            name: "bad field",
            ns: None,
            labels: "",
            fields: "spec.foo=x",
            want: Err("Error from server (BadRequest): field label not supported: spec.foo"),
        },
        Case {
            name: "bad label",
            ns: None,
            labels: "app in (",
            fields: "",
            want: Err("bad"),
        },
    ];
    for case in &cases {
        let opts = ListOptions {
            label_selector: case.labels.into(),
            field_selector: case.fields.into(),
            ..Default::default()
        };
        let got = s.list(pods(), case.ns, &opts);
        match (&case.want, got) {
            (Ok(want), Ok(list)) => assert_eq!(names(&list), *want, "case {}", case.name),
            (Err("bad"), Err(e)) => assert_eq!(e.reason(), "BadRequest", "case {}", case.name),
            (Err(want), Err(e)) => assert_eq!(e.kubectl_message(), *want, "case {}", case.name),
            (want, got) => panic!("case {}: want {want:?}, got {got:?}", case.name),
        }
    }
    // Paging.
    let page1 = s
        .list(
            pods(),
            None,
            &ListOptions {
                limit: Some(2),
                ..Default::default()
            },
        )
        .expect("page");
    assert_eq!(names(&page1), ["default/a", "default/b"]);
    assert_eq!(page1.remaining_item_count, Some(2));
    let page2 = s
        .list(
            pods(),
            None,
            &ListOptions {
                limit: Some(2),
                continue_token: page1.continue_token,
                ..Default::default()
            },
        )
        .expect("page 2");
    assert_eq!(names(&page2), ["default/c", "kube-system/d"]);
    assert_eq!(page2.continue_token, None);
    assert_eq!(s.pods_on_node("n1").len(), 2);
}

#[test]
fn watch_events_and_filters() {
    let mut s = store();
    create(&mut s, pod("old").label("app", "web").obj());
    let rv = s.resource_version();
    let all = s
        .watch(pods(), Some("default"), &WatchOptions::default())
        .expect("watch");
    let web = s
        .watch(
            pods(),
            None,
            &WatchOptions {
                label_selector: "app=web".into(),
                resource_version: Some(rv.to_string()),
                ..Default::default()
            },
        )
        .expect("watch web");
    let p = create(&mut s, pod("new").label("app", "web").obj());
    let mut relabeled = (*p).clone();
    relabeled.meta_mut().labels = Some(BTreeMap::from([("app".into(), "db".into())]));
    s.update(None, relabeled, &UpdateOptions::default())
        .expect("update");
    s.delete(pods(), Some("default"), "new", &DeleteOptions::default())
        .expect("delete");
    let summary = |evs: Vec<WatchEvent>| -> Vec<String> {
        evs.iter()
            .map(|e| format!("{} {}", e.event_type.as_str(), e.object.name()))
            .collect()
    };
    assert_eq!(
        summary(s.poll(all).expect("poll")),
        ["ADDED old", "ADDED new", "MODIFIED new", "DELETED new"]
    );
    // The label watch sees the object leave its selector as a DELETED.
    assert_eq!(
        summary(s.poll(web).expect("poll")),
        ["ADDED new", "DELETED new"]
    );
    assert!(s.poll(web).expect("poll").is_empty(), "cursor advanced");
    s.stop_watch(web);
    assert_eq!(s.poll(web).expect_err("closed").reason(), "Gone");
}

#[test]
fn watch_too_old() {
    let mut s = store();
    s.set_history_limit(2);
    let start = s.resource_version();
    for i in 0..4 {
        create(&mut s, pod(&format!("p{i}")).obj());
    }
    let err = s
        .watch(
            pods(),
            None,
            &WatchOptions {
                resource_version: Some(start.to_string()),
                ..Default::default()
            },
        )
        .expect_err("too old");
    assert_eq!(
        err.to_string(),
        format!("too old resource version: {start} ({})", start + 2)
    );
    assert_eq!(err.code(), 410);
    // A lagging watcher is expired on poll.
    let w = s
        .watch(
            pods(),
            None,
            &WatchOptions {
                resource_version: Some(s.resource_version().to_string()),
                ..Default::default()
            },
        )
        .expect("watch");
    for i in 4..8 {
        create(&mut s, pod(&format!("p{i}")).obj());
    }
    assert_eq!(s.poll(w).expect_err("expired").reason(), "Expired");
}

/// A watcher that polls only when its kind changed (`last_change`), telling the store how
/// far it found nothing (`poll_or_relist_from`), sees what a watcher polling after every
/// write sees, relists included: among the writes, runs of other kinds and a burst of pods
/// that fills the whole kept history just after the last skipped poll.
#[test]
fn polls_skipped_while_the_kind_is_unchanged_see_the_same() {
    let mut s = store();
    s.set_history_limit(3);
    let cm = |name: &str| {
        Object::ConfigMap(corev1::ConfigMap {
            metadata: metav1::ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            ..Default::default()
        })
    };
    let opts = WatchOptions {
        resource_version: Some(s.resource_version().to_string()),
        ..Default::default()
    };
    let mut every = s.watch(pods(), None, &opts).expect("watch");
    let mut skipping = s.watch(pods(), None, &opts).expect("watch");
    let mut seen = Some(s.resource_version());
    // Each step's writes: pods ("p"), config maps ("c").
    let steps = ["p", "c", "cc", "ppp", "c", "p", "pppp", "cc", "pp", "c", "ppp", "", "p"];
    let (mut polled, mut relisted) = (0, 0);
    for (i, step) in steps.iter().enumerate() {
        for (j, what) in step.chars().enumerate() {
            let name = format!("x{i}-{j}");
            match what {
                'p' => create(&mut s, pod(&name).obj()),
                _ => create(&mut s, cm(&name)),
            };
        }
        let (want, want_relist) = s.poll_or_relist(&mut every, pods());
        let (got, got_relist) = match seen {
            Some(rv) if s.last_change(pods()) <= rv => (Vec::new(), false),
            _ => {
                polled += 1;
                s.poll_or_relist_from(&mut skipping, pods(), seen)
            }
        };
        seen = Some(s.resource_version());
        relisted += usize::from(want_relist);
        let brief = |evs: &[WatchEvent]| -> Vec<(WatchEventType, String)> {
            evs.iter().map(|e| (e.event_type, e.object.name().to_string())).collect()
        };
        assert_eq!(brief(&got), brief(&want), "step {i} ({step})");
        assert_eq!(got_relist, want_relist, "step {i} ({step})");
    }
    assert!(polled < steps.len(), "some polls were skipped");
    assert!(relisted > 0, "the history overflowed for both");
}

/// `in_namespace` reads what a list without selectors returns, in the same order.
#[test]
fn in_namespace_reads_what_a_list_returns() {
    let mut s = store();
    for (name, ns) in [("b", "default"), ("a", "default"), ("c", "kube-system"), ("a", "kube-public")] {
        create(&mut s, pod(name).ns(ns).obj());
    }
    for ns in [Some("default"), Some("kube-system"), Some("kube-node-lease"), Some("nowhere"), None] {
        for info in [pods(), kind("v1", "Namespace"), kind("v1", "ConfigMap")] {
            let listed = s.list(info, ns, &ListOptions::default()).expect("list").items;
            assert_eq!(s.in_namespace(info, ns), listed, "{} in {ns:?}", info.kind);
        }
    }
}

#[test]
fn graceful_pod_deletion() {
    let mut s = store();
    s.set_now(SimTime(1_000));
    create(&mut s, pod("bound").on_node("n1").obj());
    create(&mut s, pod("pending").obj());
    // An unscheduled pod goes at once.
    let r = s
        .delete(
            pods(),
            Some("default"),
            "pending",
            &DeleteOptions::default(),
        )
        .expect("delete");
    assert!(r.removed);
    // A bound pod waits for its kubelet.
    let r = s
        .delete(pods(), Some("default"), "bound", &DeleteOptions::default())
        .expect("delete");
    assert!(!r.removed);
    let m = r.object.meta();
    assert_eq!(m.deletion_grace_period_seconds, Some(30));
    assert_eq!(
        serde_json::to_value(&m.deletion_timestamp).expect("json"),
        serde_json::json!("2026-01-01T00:00:31Z")
    );
    assert_eq!(m.generation, Some(2));
    // Wrong uid precondition.
    let err = s
        .delete(
            pods(),
            Some("default"),
            "bound",
            &DeleteOptions {
                preconditions: Some(Preconditions {
                    uid: Some("nope".into()),
                    resource_version: None,
                }),
                ..Default::default()
            },
        )
        .expect_err("precondition");
    assert!(err.to_string().starts_with("Operation cannot be fulfilled on pods \"bound\": Precondition failed: UID in precondition: nope, UID in object meta: "), "{err}");
    let uid = m.uid.clone().expect("uid");
    let r = s
        .confirm_pod_deleted("default", "bound", &uid)
        .expect("confirm");
    assert!(r.removed);
    assert!(s.get(pods(), Some("default"), "bound").is_err());
    // Force delete.
    create(&mut s, pod("f").on_node("n1").obj());
    let r = s
        .delete(
            pods(),
            Some("default"),
            "f",
            &DeleteOptions {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
        )
        .expect("force");
    assert!(r.removed);
}

#[test]
fn finalizers_hold_objects() {
    let mut s = store();
    let mut p = pod("held").obj();
    p.meta_mut().finalizers = Some(vec!["example.com/hold".into()]);
    create(&mut s, p);
    let r = s
        .delete(pods(), Some("default"), "held", &DeleteOptions::default())
        .expect("delete");
    assert!(!r.removed);
    assert!(r.object.meta().deletion_timestamp.is_some());
    // Adding a finalizer while deleting is forbidden.
    let mut more = (*r.object).clone();
    more.meta_mut()
        .finalizers
        .as_mut()
        .expect("f")
        .push("x.io/y".into());
    let err = s
        .update(None, more, &UpdateOptions::default())
        .expect_err("forbidden");
    assert_eq!(
        err.to_string(),
        "Pod \"held\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"x.io/y\"}"
    );
    let mut released = (*r.object).clone();
    released.meta_mut().finalizers = None;
    s.update(None, released, &UpdateOptions::default())
        .expect("release");
    assert!(
        s.get(pods(), Some("default"), "held").is_err(),
        "removed with its last finalizer"
    );
}

#[test]
fn garbage_collection_policies() {
    struct Case {
        name: &'static str,
        policy: Option<PropagationPolicy>,
        block: bool,
        want_pod: &'static str,
    }
    let cases = [
        Case {
            name: "background",
            policy: None,
            block: false,
            want_pod: "gone",
        },
        Case {
            name: "orphan",
            policy: Some(PropagationPolicy::Orphan),
            block: false,
            want_pod: "orphaned",
        },
        Case {
            name: "foreground",
            policy: Some(PropagationPolicy::Foreground),
            block: true,
            want_pod: "gone",
        },
    ];
    let rs_kind = kind("apps/v1", "ReplicaSet");
    for case in &cases {
        let mut s = store();
        let rs = create(&mut s, replica_set("rs"));
        create(&mut s, pod("rs-1").owned_by(&rs, case.block).obj());
        let r = s
            .delete(
                rs_kind,
                Some("default"),
                "rs",
                &DeleteOptions {
                    propagation_policy: case.policy,
                    ..Default::default()
                },
            )
            .expect("delete");
        if case.policy.is_some() {
            assert!(
                !r.removed,
                "case {}: owner kept by its finalizer",
                case.name
            );
        }
        s.collect_garbage();
        assert!(
            s.get(rs_kind, Some("default"), "rs").is_err(),
            "case {}: owner gone",
            case.name
        );
        let got = match s.get(pods(), Some("default"), "rs-1") {
            Err(_) => "gone",
            Ok(p) if p.meta().owner_references.is_none() => "orphaned",
            Ok(_) => "still owned",
        };
        assert_eq!(got, case.want_pod, "case {}", case.name);
    }
}

#[test]
fn namespace_deletion() {
    let mut s = store();
    let ns = Object::Namespace(corev1::Namespace {
        metadata: metav1::ObjectMeta {
            name: Some("tmp".into()),
            ..Default::default()
        },
        ..Default::default()
    });
    create(&mut s, ns);
    create(&mut s, pod("a").ns("tmp").on_node("n1").obj());
    let nsk = kind("v1", "Namespace");
    let r = s
        .delete(nsk, None, "tmp", &DeleteOptions::default())
        .expect("delete");
    let Object::Namespace(n) = &*r.object else {
        panic!()
    };
    assert_eq!(
        n.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Terminating")
    );
    s.collect_garbage();
    // The bound pod is terminating gracefully, so the namespace stays, and its conditions
    // say why (namespace deleter, status_condition_utils.go v1.34).
    let Object::Namespace(n) = &*s.get(nsk, None, "tmp").expect("still there") else {
        panic!()
    };
    let conditions: Vec<String> = n
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .map(|c| {
            format!(
                "{} {} {} {}",
                c.type_,
                c.status,
                c.reason.as_deref().unwrap_or(""),
                c.message.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        conditions,
        [
            "NamespaceDeletionDiscoveryFailure False ResourcesDiscovered All resources successfully discovered",
            "NamespaceDeletionGroupVersionParsingFailure False ParsedGroupVersions All legacy kube types successfully parsed",
            "NamespaceDeletionContentFailure False ContentDeleted All content successfully deleted, may be waiting on finalization",
            "NamespaceContentRemaining True SomeResourcesRemain Some resources are remaining: pods. has 1 resource instances",
            "NamespaceFinalizersRemaining False ContentHasNoFinalizers All content-preserving finalizers finished",
        ]
    );
    let p = s.get(pods(), Some("tmp"), "a").expect("pod");
    assert!(p.meta().deletion_timestamp.is_some());
    let uid = p.meta().uid.clone().expect("uid");
    s.confirm_pod_deleted("tmp", "a", &uid).expect("kubelet");
    s.collect_garbage();
    assert!(s.get(nsk, None, "tmp").is_err());
    let err = s
        .delete(nsk, None, "default", &DeleteOptions::default())
        .expect_err("immortal");
    assert_eq!(
        err.kubectl_message(),
        "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted"
    );
}

#[test]
fn binding() {
    let mut s = store();
    create(&mut s, pod("p").obj());
    let bind = |node: &str| {
        Object::Binding(corev1::Binding {
            metadata: metav1::ObjectMeta {
                name: Some("p".into()),
                ..Default::default()
            },
            target: corev1::ObjectReference {
                kind: Some("Node".into()),
                name: Some(node.into()),
                ..Default::default()
            },
        })
    };
    s.create(Some("default"), bind("n1"), &CreateOptions::default())
        .expect("bind");
    assert_eq!(s.pods_on_node("n1").len(), 1);
    let err = s
        .create(Some("default"), bind("n2"), &CreateOptions::default())
        .expect_err("rebind");
    assert_eq!(
        err.to_string(),
        "Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"n1\""
    );
}

#[test]
fn events_aggregate() {
    let mut s = store();
    let p = create(&mut s, pod("web").obj());
    let r = events::object_reference(&p);
    let src = EventSource {
        component: "kubelet".into(),
        host: "n1".into(),
    };
    let e1 = s
        .record_event(
            &r,
            EventType::Normal,
            "Pulling",
            "Pulling image \"nginx\"",
            &src,
            SimTime(1_000),
        )
        .expect("event");
    assert_eq!(
        e1.name(),
        format!(
            "web.{:x}",
            (crate::time::EPOCH_UNIX_MS as u64 + 1_000) * 1_000_000
        )
    );
    let e2 = s
        .record_event(
            &r,
            EventType::Normal,
            "Pulling",
            "Pulling image \"nginx\"",
            &src,
            SimTime(5_000),
        )
        .expect("event");
    assert_eq!(e2.name(), e1.name());
    let Object::Event(ev) = &*e2 else { panic!() };
    assert_eq!(ev.count, Some(2));
    assert_eq!(
        serde_json::to_value(&ev.last_timestamp).expect("json"),
        serde_json::json!("2026-01-01T00:00:05Z")
    );
    assert_eq!(
        serde_json::to_value(&ev.first_timestamp).expect("json"),
        serde_json::json!("2026-01-01T00:00:01Z")
    );
    // Ten distinct messages for the same reason aggregate.
    let mut last = None;
    for i in 0..10 {
        last = Some(
            s.record_event(
                &r,
                EventType::Warning,
                "BackOff",
                &format!("m{i}"),
                &src,
                SimTime(6_000),
            )
            .expect("event"),
        );
    }
    let Some(last) = last else { panic!() };
    let Object::Event(ev) = &*last else { panic!() };
    assert_eq!(
        ev.message.as_deref(),
        Some("(combined from similar events): m9")
    );
    let listed = s
        .list(
            kind("v1", "Event"),
            Some("default"),
            &ListOptions {
                field_selector: "involvedObject.name=web,reason=Pulling".into(),
                ..Default::default()
            },
        )
        .expect("list");
    assert_eq!(listed.items.len(), 1);
}

/// A repeated event starts from the recorder's last write of it while the stored Event is
/// unchanged, and from the stored one otherwise: either way each write must be what reading
/// the Event back and updating it gives, including what others wrote in between.
#[test]
fn repeated_events_start_from_the_stored_event() {
    let mut s = store();
    let info = kind("v1", "Event");
    let p = create(&mut s, pod("web").obj());
    let r = events::object_reference(&p);
    let src = EventSource {
        component: "kubelet".into(),
        host: "n1".into(),
    };
    // More distinct events than the recorder keeps decoded, so some repeats read the store,
    // and runs of the same event, which the recorder has just written.
    let reasons: Vec<String> = (0..40).map(|i| format!("Reason{i}")).collect();
    let mut t = 1_000;
    for round in 0..4 {
        let runs = reasons.iter().flat_map(|r| std::iter::repeat_n(r, 1 + r.len() % 3));
        for (i, reason) in runs.enumerate() {
            t += 10;
            let before = s
                .list(info, Some("default"), &ListOptions::default())
                .expect("list")
                .items
                .into_iter()
                .find(|e| matches!(&**e, Object::Event(ev) if ev.reason.as_deref() == Some(reason)));
            let written = s
                .record_event(&r, EventType::Normal, reason, "same", &src, SimTime(t))
                .expect("event");
            let stored = s.get(info, Some("default"), written.name()).expect("get");
            assert_eq!(written, stored, "round {round}, {reason}: written as stored");
            let Object::Event(ev) = &*written else { panic!() };
            match before.as_deref() {
                Some(Object::Event(old)) => {
                    assert_eq!(ev.metadata.name, old.metadata.name, "{reason}: same Event");
                    assert_eq!(ev.count, Some(old.count.unwrap_or(1) + 1), "{reason}: counted");
                    assert_eq!(
                        ev.metadata.annotations, old.metadata.annotations,
                        "{reason}: what others wrote is kept"
                    );
                }
                _ => assert_eq!(ev.count, Some(1), "{reason}: a new Event"),
            }
            // Someone else changes or deletes some Events between the recorder's writes.
            let mut changed = (*stored).clone();
            match (round + i) % 5 {
                0 => {
                    changed.meta_mut().annotations =
                        Some(BTreeMap::from([("round".to_string(), round.to_string())]));
                    s.update(Some("default"), changed, &UpdateOptions::default())
                        .expect("update");
                }
                1 if i % 3 == 0 => {
                    s.delete(info, Some("default"), stored.name(), &DeleteOptions::default())
                        .expect("delete");
                }
                _ => {}
            }
        }
    }
}

/// An entry's resourceVersion read in place is the decoded object's, compact or not.
#[test]
fn entry_resource_version_is_the_objects() {
    let mut s = store();
    let p = create(&mut s, pod("web").obj());
    let r = events::object_reference(&p);
    let e = s
        .record_event(&r, EventType::Normal, "Pulled", "m", &EventSource::default(), SimTime(1_000))
        .expect("event");
    for (obj, compact) in [(&p, false), (&e, true)] {
        let info = obj.kind_info();
        let t = s.table_index(info);
        let slot = s.tables[t].by_key[&store::key_of(info, obj.namespace(), obj.name())];
        let entry = s.slab.get(slot).expect("entry");
        let decodes = compact::DECODES.with(std::cell::Cell::get);
        let decoded = entry.obj();
        let decoded_now = compact::DECODES.with(std::cell::Cell::get) - decodes;
        assert_eq!(decoded_now, usize::from(compact), "{}: kept compact", info.kind);
        assert_eq!(
            entry.resource_version(),
            decoded.meta().resource_version.as_deref(),
            "{}",
            info.kind
        );
        assert!(entry.resource_version().is_some(), "{}", info.kind);
    }
}

#[test]
fn scale_subresource() {
    let mut s = store();
    let rs_kind = kind("apps/v1", "ReplicaSet");
    create(&mut s, replica_set("rs"));
    let sc = s.get_scale(rs_kind, Some("default"), "rs").expect("scale");
    assert_eq!(sc.spec.as_ref().and_then(|s| s.replicas), Some(1));
    assert_eq!(
        sc.status
            .as_ref()
            .and_then(|s| s.selector.clone())
            .as_deref(),
        Some("app=rs")
    );
    let mut up = sc.clone();
    up.spec = Some(k8s_openapi::api::autoscaling::v1::ScaleSpec { replicas: Some(5) });
    let got = s
        .update_scale(
            rs_kind,
            Some("default"),
            "rs",
            &up,
            &UpdateOptions::default(),
        )
        .expect("update");
    assert_eq!(got.spec.and_then(|s| s.replicas), Some(5));
    let rs = s.get(rs_kind, Some("default"), "rs").expect("rs");
    assert_eq!(rs.meta().generation, Some(2));
    // The old resourceVersion is now stale.
    let err = s
        .update_scale(
            rs_kind,
            Some("default"),
            "rs",
            &up,
            &UpdateOptions::default(),
        )
        .expect_err("stale");
    assert_eq!(err.reason(), "Conflict");
    let err = s.get_scale(pods(), Some("default"), "x").expect_err("pods");
    assert_eq!(err.reason(), "NotFound");
}

#[test]
fn patch_through_store() {
    let mut s = store();
    create(&mut s, pod("web").label("app", "web").obj());
    let got = s
        .patch(pods(), Some("default"), "web", PatchType::Strategic,
            &serde_json::json!({"metadata": {"labels": {"tier": "front"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}}),
            &PatchOptions::default())
        .expect("patch");
    let Object::Pod(p) = &*got else { panic!() };
    assert_eq!(p.metadata.labels.as_ref().map(|l| l.len()), Some(2));
    assert_eq!(p.spec.as_ref().map(|s| s.containers.len()), Some(1));
    assert_eq!(
        p.spec
            .as_ref()
            .and_then(|s| s.containers[0].image.as_deref()),
        Some("nginx:1.25")
    );
    assert_eq!(got.meta().generation, Some(2));
    let err = s
        .patch(
            pods(),
            Some("default"),
            "web",
            PatchType::Merge,
            &serde_json::json!({"metadata": {"resourceVersion": "1"}}),
            &PatchOptions::default(),
        )
        .expect_err("stale");
    assert_eq!(err.reason(), "Conflict");
    let err = s
        .patch(
            pods(),
            Some("default"),
            "nope",
            PatchType::Json,
            &serde_json::json!([]),
            &PatchOptions::default(),
        )
        .expect_err("missing");
    assert_eq!(err.to_string(), "pods \"nope\" not found");
}

/// Every write stores quantities in canonical form, as upstream's encoder prints them
/// (apimachinery pkg/api/resource/quantity.go, v1.34): create, patch and a status update.
#[test]
fn quantities_are_stored_canonical() {
    let mut s = store();
    let nodes = kind("v1", "Node");
    let node = Object::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
        "status": {"capacity": {"cpu": "2000m", "memory": "1.5Gi", "pods": "110"}}
    }))
    .expect("node");
    create(&mut s, node);
    let capacity = |s: &Store| {
        s.get(nodes, None, "n1").expect("node").to_value()["status"]["capacity"].clone()
    };
    assert_eq!(
        capacity(&s),
        serde_json::json!({"cpu": "2", "memory": "1536Mi", "pods": "110"})
    );
    let Object::Node(mut n) = (*s.get(nodes, None, "n1").expect("node")).clone() else {
        panic!()
    };
    n.status.as_mut().expect("status").allocatable = Some(BTreeMap::from([(
        "cpu".to_string(),
        k8s_openapi::apimachinery::pkg::api::resource::Quantity("1.9".into()),
    )]));
    s.update_status(None, Object::Node(n), &UpdateOptions::default())
        .expect("status");
    assert_eq!(
        s.get(nodes, None, "n1").expect("node").to_value()["status"]["allocatable"],
        serde_json::json!({"cpu": "1900m"})
    );
    // A pod patched with the same request in another spelling is not changed (pod
    // resources could not be changed by an update).
    let mut web = pod("web").ns("default").0;
    web.spec.as_mut().expect("spec").containers[0].resources = Some(corev1::ResourceRequirements {
        requests: Some(BTreeMap::from([(
            "cpu".to_string(),
            k8s_openapi::apimachinery::pkg::api::resource::Quantity("0.5".into()),
        )])),
        ..Default::default()
    });
    let created = create(&mut s, Object::Pod(web));
    assert_eq!(
        created.to_value()["spec"]["containers"][0]["resources"],
        serde_json::json!({"requests": {"cpu": "500m"}})
    );
    let patched = s
        .patch(
            pods(),
            Some("default"),
            "web",
            PatchType::Strategic,
            &serde_json::json!({"spec": {"containers": [{"name": "c",
                "resources": {"requests": {"cpu": 0.5}}}]}}),
            &PatchOptions::default(),
        )
        .expect("same quantity");
    assert_eq!(
        patched.meta().resource_version,
        created.meta().resource_version
    );
    let quotas = kind("v1", "ResourceQuota");
    let quota = Object::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "ResourceQuota",
        "metadata": {"name": "q", "namespace": "default"},
        "spec": {"hard": {"cpu": "1"}}
    }))
    .expect("quota");
    create(&mut s, quota);
    let got = s
        .patch(
            quotas,
            Some("default"),
            "q",
            PatchType::Merge,
            &serde_json::json!({"spec": {"hard": {"cpu": 1.5, "memory": "1e3"}}}),
            &PatchOptions::default(),
        )
        .expect("patch");
    assert_eq!(
        got.to_value()["spec"]["hard"],
        serde_json::json!({"cpu": "1500m", "memory": "1e3"})
    );
}

/// core/v1 and events.k8s.io/v1 Events are one resource (pkg/apis/events/v1/conversion.go,
/// v1.34): written through one version, read and watched through the other.
#[test]
fn events_are_one_resource_in_two_versions() {
    let mut s = store();
    let core = kind("v1", "Event");
    let v1 = kind("events.k8s.io/v1", "Event");
    let watch = s
        .watch(v1, Some("default"), &WatchOptions::default())
        .expect("watch");
    let legacy = Object::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": "a", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
        "reason": "Legacy", "message": "from core", "count": 2
    }))
    .expect("event");
    create(&mut s, legacy);
    let seen = s.poll(watch).expect("poll");
    let Object::EventsV1Event(e) = &*seen[0].object else {
        panic!(
            "watch through events.k8s.io got {:?}",
            seen[0].object.kind_info()
        )
    };
    assert_eq!(
        (e.note.as_deref(), e.deprecated_count),
        (Some("from core"), Some(2))
    );
    let note = Object::from_value(serde_json::json!({
        "apiVersion": "events.k8s.io/v1", "kind": "Event",
        "metadata": {"name": "b", "namespace": "default"},
        "eventTime": "2026-01-01T00:00:00.000000Z",
        "regarding": {"kind": "Pod", "name": "web", "namespace": "default"},
        "reason": "Checked", "note": "from events.k8s.io", "action": "Checked",
        "reportingController": "example.com/c", "reportingInstance": "i", "type": "Normal"
    }))
    .expect("event");
    let created = create(&mut s, note);
    assert!(matches!(&*created, Object::EventsV1Event(_)));
    let Object::Event(got) = &*s.get(core, Some("default"), "b").expect("get") else {
        panic!("core get")
    };
    assert_eq!(got.message.as_deref(), Some("from events.k8s.io"));
    assert_eq!(got.reporting_component.as_deref(), Some("example.com/c"));
    let names = |info| {
        let list = s.list(info, Some("default"), &ListOptions::default());
        names(&list.expect("list"))
    };
    assert_eq!(names(core), ["default/a", "default/b"]);
    assert_eq!(names(v1), ["default/a", "default/b"]);
}

/// autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers are one resource stored as v2
/// (pkg/apis/autoscaling/v1/conversion.go, v1.34): a v1 write keeps what only v2 has, a v1
/// status write lands in the v2 status, and both versions list and watch the same objects.
#[test]
fn autoscalers_are_one_resource_in_two_versions() {
    let mut s = store();
    let v1 = kind("autoscaling/v1", "HorizontalPodAutoscaler");
    let v2 = kind("autoscaling/v2", "HorizontalPodAutoscaler");
    let watch = s
        .watch(v1, Some("default"), &WatchOptions::default())
        .expect("watch");
    let created = create(
        &mut s,
        Object::from_value(serde_json::json!({
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "maxReplicas": 5,
                "metrics": [{"type": "Resource", "resource": {"name": "memory",
                    "target": {"type": "AverageValue", "averageValue": "100Mi"}}}],
            },
        }))
        .expect("hpa"),
    );
    assert!(matches!(&*created, Object::HorizontalPodAutoscaler(_)));
    let seen = s.poll(watch).expect("poll");
    let Object::HorizontalPodAutoscalerV1(as_v1) = &*seen[0].object else {
        panic!(
            "watch through autoscaling/v1 got {:?}",
            seen[0].object.kind_info()
        )
    };
    // A v1 client's read-modify-write: a CPU target added, the memory metric kept.
    let mut changed = as_v1.clone();
    changed
        .spec
        .as_mut()
        .expect("spec")
        .target_cpu_utilization_percentage = Some(60);
    let updated = s
        .update(
            Some("default"),
            Object::HorizontalPodAutoscalerV1(changed),
            &UpdateOptions::default(),
        )
        .expect("update through v1");
    assert!(matches!(&*updated, Object::HorizontalPodAutoscalerV1(_)));
    let Object::HorizontalPodAutoscaler(stored) = &*s.get(v2, Some("default"), "web").expect("get")
    else {
        panic!("v2 get")
    };
    let metrics = serde_json::to_value(&stored.spec.as_ref().expect("spec").metrics).expect("json");
    assert_eq!(
        metrics,
        serde_json::json!([
            {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}},
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}},
        ])
    );
    assert_eq!(
        stored.metadata.annotations, None,
        "round-trip annotations are not stored"
    );
    // A v1 status write.
    let Object::HorizontalPodAutoscalerV1(mut status) =
        (*s.get(v1, Some("default"), "web").expect("get v1")).clone()
    else {
        panic!("v1 get")
    };
    status.status = Some(
        k8s_openapi::api::autoscaling::v1::HorizontalPodAutoscalerStatus {
            current_cpu_utilization_percentage: Some(30),
            current_replicas: 2,
            desired_replicas: 2,
            ..Default::default()
        },
    );
    s.update_status(
        Some("default"),
        Object::HorizontalPodAutoscalerV1(status),
        &UpdateOptions::default(),
    )
    .expect("status through v1");
    let Object::HorizontalPodAutoscaler(stored) = &*s.get(v2, Some("default"), "web").expect("get")
    else {
        panic!("v2 get")
    };
    let st = stored.status.as_ref().expect("status");
    assert_eq!((st.current_replicas, st.desired_replicas), (Some(2), 2));
    let names = |info| {
        let list = s.list(info, Some("default"), &ListOptions::default());
        names(&list.expect("list"))
    };
    assert_eq!(names(v1), ["default/web"]);
    assert_eq!(names(v2), ["default/web"]);
}

/// A quantity that does not parse fails the decode of the request body (400), for a create
/// and an update alike, before validation (apimachinery resource.Quantity.UnmarshalJSON).
#[test]
fn an_unparsable_quantity_is_a_bad_request() {
    let mut s = store();
    let with_memory = |memory: &str| {
        Object::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": "nginx",
                "resources": {"limits": {"memory": memory}}}]},
        }))
        .expect("pod")
    };
    let cases = [
        (
            "10 Mi",
            "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ),
        (
            "32MMi",
            "Pod in version \"v1\" cannot be handled as a Pod: unable to parse quantity's suffix",
        ),
    ];
    for (memory, want) in cases {
        let err = s
            .create(
                Some("default"),
                with_memory(memory),
                &CreateOptions::default(),
            )
            .expect_err("rejected");
        assert_eq!(
            (err.reason(), err.to_string()),
            ("BadRequest", want.to_string()),
            "create {memory}"
        );
    }
    create(&mut s, with_memory("64Mi"));
    let err = s
        .update(
            Some("default"),
            with_memory("abc"),
            &UpdateOptions::default(),
        )
        .expect_err("rejected");
    assert_eq!(err.reason(), "BadRequest");
}
