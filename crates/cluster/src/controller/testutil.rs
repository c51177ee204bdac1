#![allow(dead_code)]
//! Shared fixtures for the controllers' scenario tests through `sim::Cluster`.

use api::{KindInfo, Object};
use k8s_openapi::api::autoscaling::v1 as autoscalingv1;
use k8s_openapi::api::core::v1 as corev1;

use super::kind_of;
use crate::apiserver::{CreateOptions, UpdateOptions};
use crate::sim::Cluster;

/// A DaemonSet `agent` in `default`: one pod per node, named `agent-…`.
pub const AGENT_DAEMONSET: &str = r#"
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: nginx}]
"#;

/// A one-node minikube cluster (its kubelet runs pods).
pub fn cluster(seed: u64) -> Cluster {
    crate::presets::minikube(seed)
}

/// Creates every document of `yaml`, then settles.
pub fn apply(c: &mut Cluster, yaml: &str) {
    for d in api::decode(yaml, "test.yaml") {
        let d = d.expect("decode");
        c.store_mut()
            .create(None, d.object, &CreateOptions::default())
            .expect("create");
    }
    c.settle();
}

/// The object `name` of `info` in `default`.
pub fn get(c: &Cluster, info: &KindInfo, name: &str) -> Object {
    let obj = c.store().get(info, Some("default"), name).expect("get");
    (*obj).clone()
}

/// Replaces an object (as `kubectl replace`), then settles.
pub fn update(c: &mut Cluster, obj: Object) {
    c.store_mut()
        .update(Some("default"), obj, &UpdateOptions::default())
        .expect("update");
    c.settle();
}

/// Sets `spec.replicas` through the scale subresource.
pub fn patch_replicas(c: &mut Cluster, info: &KindInfo, name: &str, replicas: i32) {
    let scale = autoscalingv1::Scale {
        spec: Some(autoscalingv1::ScaleSpec {
            replicas: Some(replicas),
        }),
        ..Default::default()
    };
    c.store_mut()
        .update_scale(
            info,
            Some("default"),
            name,
            &scale,
            &UpdateOptions::default(),
        )
        .expect("scale");
    c.settle();
}

/// `(reason, message)` of the events about `kind/name` in `default`, oldest first.
pub fn events(c: &Cluster, kind: &str, name: &str) -> Vec<(String, String)> {
    let mut evs: Vec<(u64, String, String)> = c
        .list(kind_of::<corev1::Event>(), Some("default"))
        .iter()
        .filter_map(|o| match &**o {
            Object::Event(e)
                if e.involved_object.kind.as_deref() == Some(kind)
                    && e.involved_object.name.as_deref() == Some(name) =>
            {
                // Event names end in `.<hex nanos>`, unique and increasing.
                let first = e
                    .metadata
                    .name
                    .as_deref()
                    .and_then(|n| n.rsplit('.').next())
                    .and_then(|h| u64::from_str_radix(h, 16).ok())
                    .unwrap_or(0);
                Some((
                    first,
                    e.reason.clone().unwrap_or_default(),
                    e.message.clone().unwrap_or_default(),
                ))
            }
            _ => None,
        })
        .collect();
    evs.sort_by_key(|e| e.0);
    evs.into_iter().map(|(_, r, m)| (r, m)).collect()
}

/// Pods in `default` that are not being deleted.
pub fn live_pods(c: &Cluster) -> Vec<corev1::Pod> {
    c.list(kind_of::<corev1::Pod>(), Some("default"))
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) if p.metadata.deletion_timestamp.is_none() => Some(p.clone()),
            _ => None,
        })
        .collect()
}
