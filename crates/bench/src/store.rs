//! `kubelab bench api`: throughput and footprint of the API store at cluster scale.
//!
//! Creates ReplicaSets and their pods (owner references, labels, defaults and validation all
//! on the normal create path), then measures a label-selected list, watch fan-out and the heap
//! bytes the store holds per pod (from a counting global allocator).

use std::collections::BTreeMap;

use api::Object;
use cluster::apiserver::{CreateOptions, ListOptions, UpdateOptions, WatchOptions};
use cluster::{SimRng, SimTime, Store};
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use serde_json::json;

use crate::{Clock, Stopwatch, live_bytes};

/// What `bench api` measured.
#[derive(Debug, serde::Serialize)]
pub struct ApiBench {
    pub pods: usize,
    pub replica_sets: usize,
    pub creates_per_s: f64,
    pub selector_list_ms_150k: f64,
    pub selector_list_items: usize,
    pub unindexed_selector_list_ms: f64,
    pub namespace_list_ms: f64,
    pub watchers: usize,
    pub watch_fanout_us_per_event: f64,
    pub bytes_per_pod: f64,
}

/// Runs the API store benchmark with `pods` pods in ReplicaSets of 300.
pub fn api(pods: usize, clock: Clock) -> ApiBench {
    const PER_RS: usize = 300;
    let replica_sets = pods.div_ceil(PER_RS);
    let before = live_bytes();
    let mut store = Store::new(SimRng::seeded(1));
    store.set_now(SimTime(1_000));
    let rs_templates: Vec<Object> = (0..replica_sets)
        .map(|i| replica_set(&format!("web-{i}")))
        .collect();
    let start = Stopwatch::start(clock);
    let mut created = 0;
    for rs in rs_templates {
        let Ok(owner) = store.create(Some("default"), rs, &CreateOptions::default()) else {
            continue;
        };
        for _ in 0..PER_RS {
            if created == pods {
                break;
            }
            if store
                .create(Some("default"), pod_for(&owner), &CreateOptions::default())
                .is_ok()
            {
                created += 1;
            }
        }
    }
    let elapsed = start.read().1.max(1e-9);
    let creates_per_s = (created + replica_sets) as f64 / elapsed;
    let bytes_per_pod = (live_bytes() - before) as f64 / created.max(1) as f64;

    let pods_kind = api::by_gvk("v1", "Pod").expect("pods are registered");
    let time_list =
        |store: &Store, opts: &ListOptions, ns: Option<&str>, runs: usize| -> (f64, usize) {
            let start = Stopwatch::start(clock);
            let mut n = 0;
            for _ in 0..runs {
                n = store
                    .list(pods_kind, ns, opts)
                    .map(|l| l.items.len())
                    .unwrap_or(0);
            }
            (start.read().1 * 1000.0 / runs as f64, n)
        };
    let indexed = ListOptions {
        label_selector: format!("app=web-{}", replica_sets / 2),
        ..Default::default()
    };
    let (selector_ms, items) = time_list(&store, &indexed, None, 200);
    let unindexed = ListOptions {
        label_selector: "tier notin (db)".into(),
        field_selector: "status.phase=Pending".into(),
        limit: Some(500),
        ..Default::default()
    };
    let (unindexed_ms, _) = time_list(&store, &unindexed, None, 5);
    let (ns_ms, _) = time_list(
        &store,
        &ListOptions {
            limit: Some(500),
            ..Default::default()
        },
        Some("default"),
        20,
    );

    // Watch fan-out: one watcher per ReplicaSet label (as per-controller informers would
    // filter), then label updates on pods; cost per delivered-or-filtered event per watcher.
    let watchers = 100.min(replica_sets);
    let ids: Vec<_> = (0..watchers)
        .filter_map(|i| {
            store
                .watch(
                    pods_kind,
                    Some("default"),
                    &WatchOptions {
                        label_selector: format!("app=web-{i}"),
                        resource_version: Some(store.resource_version().to_string()),
                        ..Default::default()
                    },
                )
                .ok()
        })
        .collect();
    let victims = store
        .list(
            pods_kind,
            Some("default"),
            &ListOptions {
                limit: Some(1_000),
                ..Default::default()
            },
        )
        .map(|l| l.items)
        .unwrap_or_default();
    for p in &victims {
        let mut obj = (**p).clone();
        obj.meta_mut().annotations =
            Some(BTreeMap::from([("touched".to_string(), "1".to_string())]));
        let _ = store.update(Some("default"), obj, &UpdateOptions::default());
    }
    let start = Stopwatch::start(clock);
    let mut delivered = 0;
    for id in &ids {
        delivered += store.poll(*id).map(|e| e.len()).unwrap_or(0);
    }
    let fanout =
        start.read().1 * 1e6 / (victims.len().max(1) * ids.len().max(1)) as f64;
    let _ = delivered;

    ApiBench {
        pods: created,
        replica_sets,
        creates_per_s,
        selector_list_ms_150k: selector_ms,
        selector_list_items: items,
        unindexed_selector_list_ms: unindexed_ms,
        namespace_list_ms: ns_ms,
        watchers: ids.len(),
        watch_fanout_us_per_event: fanout,
        bytes_per_pod,
    }
}

/// The text report.
pub fn render(b: &ApiBench) -> String {
    format!(
        "pods: {} in {} ReplicaSets\ncreates/s: {:.0}\nlist app=<rs> ({} items) at {} pods: {:.3} ms\nlist unindexed selector, limit 500: {:.3} ms\nlist namespace, limit 500: {:.3} ms\nwatch fan-out ({} watchers): {:.3} us per event per watcher\nheap bytes per pod: {:.0}\n",
        b.pods,
        b.replica_sets,
        b.creates_per_s,
        b.selector_list_items,
        b.pods,
        b.selector_list_ms_150k,
        b.unindexed_selector_list_ms,
        b.namespace_list_ms,
        b.watchers,
        b.watch_fanout_us_per_event,
        b.bytes_per_pod
    )
}

/// The JSON report (one object).
pub fn to_json(b: &ApiBench) -> serde_json::Value {
    serde_json::to_value(b).unwrap_or_else(|_| json!({}))
}

fn labels(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("app".to_string(), name.to_string()),
        ("pod-template-hash".to_string(), "7854ff8877".to_string()),
    ])
}

fn pod_spec() -> corev1::PodSpec {
    corev1::PodSpec {
        containers: vec![corev1::Container {
            name: "nginx".into(),
            image: Some("nginx:1.25".into()),
            ports: Some(vec![corev1::ContainerPort {
                container_port: 80,
                ..Default::default()
            }]),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn replica_set(name: &str) -> Object {
    Object::ReplicaSet(appsv1::ReplicaSet {
        metadata: metav1::ObjectMeta {
            name: Some(name.into()),
            labels: Some(labels(name)),
            ..Default::default()
        },
        spec: Some(appsv1::ReplicaSetSpec {
            replicas: Some(300),
            selector: metav1::LabelSelector {
                match_labels: Some(labels(name)),
                ..Default::default()
            },
            template: Some(corev1::PodTemplateSpec {
                metadata: Some(metav1::ObjectMeta {
                    labels: Some(labels(name)),
                    ..Default::default()
                }),
                spec: Some(pod_spec()),
            }),
            ..Default::default()
        }),
        status: None,
    })
}

fn pod_for(owner: &Object) -> Object {
    Object::Pod(corev1::Pod {
        metadata: metav1::ObjectMeta {
            generate_name: Some(format!("{}-", owner.name())),
            labels: Some(labels(owner.name())),
            owner_references: Some(vec![metav1::OwnerReference {
                api_version: "apps/v1".into(),
                kind: "ReplicaSet".into(),
                name: owner.name().into(),
                uid: owner.meta().uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: Some(pod_spec()),
        status: None,
    })
}
