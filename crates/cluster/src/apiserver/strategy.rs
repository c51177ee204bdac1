//! Per-kind rules the registry applies around a write: which kinds have a `status`
//! subresource, which track `metadata.generation`, and what create resets.
//!
//! Mirrors the `PrepareForCreate`/`PrepareForUpdate` methods of pkg/registry/*/strategy.go
//! (Kubernetes v1.34) for the kinds kubelab serves. Pods track generation as in v1.34
//! (PodObservedGenerationTracking, on by default).

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

macro_rules! status_kinds {
    ($m:ident) => {
        $m!(
            Pod,
            ReplicationController,
            Namespace,
            Node,
            PersistentVolume,
            PersistentVolumeClaim,
            ResourceQuota,
            Service,
            DaemonSet,
            Deployment,
            ReplicaSet,
            StatefulSet,
            HorizontalPodAutoscaler,
            HorizontalPodAutoscalerV1,
            CronJob,
            Job,
            Ingress,
            PodDisruptionBudget
        )
    };
}

macro_rules! generation_kinds {
    ($m:ident) => {
        $m!(
            Pod,
            ReplicationController,
            DaemonSet,
            Deployment,
            ReplicaSet,
            StatefulSet,
            HorizontalPodAutoscaler,
            HorizontalPodAutoscalerV1,
            CronJob,
            Job,
            Ingress,
            IngressClass,
            NetworkPolicy,
            PodDisruptionBudget
        )
    };
}

/// True when the kind has a `status` subresource, so the main resource ignores status
/// changes and `update_status` ignores everything else.
pub fn has_status(obj: &Object) -> bool {
    macro_rules! m {
        ($($v:ident),*) => { matches!(obj, $(Object::$v(_))|*) };
    }
    status_kinds!(m)
}

/// True when the kind bumps `metadata.generation` on spec changes.
pub fn tracks_generation(obj: &Object) -> bool {
    macro_rules! m {
        ($($v:ident),*) => { matches!(obj, $(Object::$v(_))|*) };
    }
    generation_kinds!(m)
}

/// Copies `from`'s status into `to` (same kind); used to keep the stored status on a main
/// resource update.
pub fn copy_status(to: &mut Object, from: &Object) {
    macro_rules! m {
        ($($v:ident),*) => {
            match (to, from) {
                $( (Object::$v(t), Object::$v(f)) => t.status = f.status.clone(), )*
                _ => {}
            }
        };
    }
    status_kinds!(m)
}

/// A status write's merge: `stored` with the status of `from` (same kind; another kind
/// leaves `stored` as it is). Every kind with a status is metadata, spec and status, so the
/// stored metadata and spec are copied into `from` and the stored status, which the write
/// replaces, is never copied: for a pod it is a third of the object.
pub fn with_status_of(stored: &Object, from: Object) -> Object {
    macro_rules! m {
        ($($v:ident),*) => {
            match (stored, from) {
                $( (Object::$v(s), Object::$v(mut f)) => {
                    f.metadata = s.metadata.clone();
                    f.spec = s.spec.clone();
                    Object::$v(f)
                } )*
                _ => stored.clone(),
            }
        };
    }
    status_kinds!(m)
}

/// Clears the status of a kind with a status subresource.
pub fn clear_status(obj: &mut Object) {
    macro_rules! m {
        ($($v:ident),*) => {
            match obj {
                $( Object::$v(o) => o.status = None, )*
                _ => {}
            }
        };
    }
    status_kinds!(m)
}

/// True when both objects (same kind) have equal statuses; true for kinds without one.
pub fn status_equal(a: &Object, b: &Object) -> bool {
    macro_rules! m {
        ($($v:ident),*) => {
            match (a, b) {
                $( (Object::$v(x), Object::$v(y)) => x.status == y.status, )*
                _ => true,
            }
        };
    }
    status_kinds!(m)
}

/// True when both objects (same kind) have equal specs.
pub fn spec_equal(a: &Object, b: &Object) -> bool {
    macro_rules! m {
        ($($v:ident),*) => {
            match (a, b) {
                $( (Object::$v(x), Object::$v(y)) => x.spec == y.spec, )*
                _ => true,
            }
        };
    }
    generation_kinds!(m)
}

/// What create resets before defaulting: status starts empty (pods start `Pending` with their
/// QoS class, as pod strategy `PrepareForCreate` sets), and namespaces start `Active`.
pub fn prepare_for_create(obj: &mut Object) {
    if has_status(obj) && !matches!(obj, Object::Node(_) | Object::Service(_)) {
        clear_status(obj);
    }
    match obj {
        Object::Pod(p) => {
            let qos = p.spec.as_ref().map(qos_class).unwrap_or("BestEffort");
            p.status = Some(corev1::PodStatus {
                phase: Some("Pending".into()),
                qos_class: Some(qos.into()),
                ..Default::default()
            });
        }
        Object::Namespace(ns) => {
            ns.status = Some(corev1::NamespaceStatus {
                phase: Some("Active".into()),
                ..Default::default()
            });
        }
        _ => {}
    }
}

/// Fields of disabled feature gates are dropped on create, and on update unless the old
/// object already uses them (`dropDisabledFields` of the registry strategies, v1.34). The
/// only one kubelab serves: a HorizontalPodAutoscaler's `behavior.scaleUp/scaleDown.tolerance`
/// (HPAConfigurableTolerance, alpha in v1.34 and off by default;
/// pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go).
pub fn drop_disabled_fields(obj: &mut Object, old: Option<&Object>) {
    let Object::HorizontalPodAutoscaler(hpa) = obj else {
        return;
    };
    if old.is_some_and(tolerance_in_use) {
        return;
    }
    let Some(behavior) = hpa.spec.as_mut().and_then(|s| s.behavior.as_mut()) else {
        return;
    };
    for rules in [behavior.scale_up.as_mut(), behavior.scale_down.as_mut()]
        .into_iter()
        .flatten()
    {
        rules.tolerance = None;
    }
}

/// `toleranceInUse`: the stored HorizontalPodAutoscaler sets a tolerance.
fn tolerance_in_use(obj: &Object) -> bool {
    let Object::HorizontalPodAutoscaler(hpa) = obj else {
        return false;
    };
    hpa.spec
        .as_ref()
        .and_then(|s| s.behavior.as_ref())
        .is_some_and(|b| {
            [b.scale_up.as_ref(), b.scale_down.as_ref()]
                .into_iter()
                .flatten()
                .any(|r| r.tolerance.is_some())
        })
}

/// What create adds once the object has its uid, before validation: a Job without
/// `manualSelector: true` gets its generated selector (pkg/registry/batch/job/strategy.go
/// `generateSelector`, v1.34): the template gains `batch.kubernetes.io/job-name`, `job-name`,
/// `batch.kubernetes.io/controller-uid` and `controller-uid` unless set, and the selector
/// matches `batch.kubernetes.io/controller-uid`. Labels the user set are kept, so a
/// conflicting one fails validation against the selector.
pub fn prepare_with_uid(obj: &mut Object) {
    let Object::Job(job) = obj else {
        return;
    };
    let name = job.metadata.name.clone().unwrap_or_default();
    let uid = job.metadata.uid.clone().unwrap_or_default();
    let Some(spec) = job.spec.as_mut() else {
        return;
    };
    if spec.manual_selector == Some(true) {
        return;
    }
    let labels = spec
        .template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default);
    for (key, value) in [
        ("job-name", &name),
        ("batch.kubernetes.io/job-name", &name),
        ("controller-uid", &uid),
        ("batch.kubernetes.io/controller-uid", &uid),
    ] {
        labels
            .entry(key.to_string())
            .or_insert_with(|| value.clone());
    }
    spec.selector
        .get_or_insert_with(Default::default)
        .match_labels
        .get_or_insert_with(Default::default)
        .entry("batch.kubernetes.io/controller-uid".to_string())
        .or_insert(uid);
}

/// Mirrors pkg/apis/core/helper/qos `GetPodQOS` for cpu and memory: Guaranteed when every
/// container sets limits equal to requests for both, BestEffort when none sets either,
/// Burstable otherwise.
///
/// Requests default to limits (as defaulting does), so a container with only limits counts as
/// requests == limits.
pub fn qos_class(spec: &corev1::PodSpec) -> &'static str {
    let containers = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter());
    let mut any = false;
    let mut guaranteed = true;
    for c in containers {
        let res = c.resources.as_ref();
        let requests = res.and_then(|r| r.requests.as_ref());
        let limits = res.and_then(|r| r.limits.as_ref());
        for name in ["cpu", "memory"] {
            let req = requests.and_then(|m| m.get(name));
            let lim = limits.and_then(|m| m.get(name));
            if req.is_some() || lim.is_some() {
                any = true;
            }
            match (req, lim) {
                (_, None) => guaranteed = false,
                (Some(r), Some(l)) if r != l => guaranteed = false,
                _ => {}
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use std::collections::BTreeMap;

    fn container(req: &[(&str, &str)], lim: &[(&str, &str)]) -> corev1::Container {
        let map = |pairs: &[(&str, &str)]| -> Option<BTreeMap<String, Quantity>> {
            if pairs.is_empty() {
                None
            } else {
                Some(
                    pairs
                        .iter()
                        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
                        .collect(),
                )
            }
        };
        corev1::Container {
            name: "c".into(),
            resources: Some(corev1::ResourceRequirements {
                requests: map(req),
                limits: map(lim),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// The merge of a status write is the stored object with the written status, for every
    /// kind with a status: the stored object's JSON with its `status` replaced.
    #[test]
    fn with_status_of_is_the_stored_object_with_the_written_status() {
        use serde_json::json;
        let kinds = [
            ("v1", "Pod", json!({"containers": [{"name": "c", "image": "nginx"}]}), json!({"phase": "Running", "podIP": "10.0.0.1"})),
            ("v1", "ReplicationController", json!({"replicas": 2}), json!({"replicas": 1})),
            ("v1", "Namespace", json!({"finalizers": ["kubernetes"]}), json!({"phase": "Active"})),
            ("v1", "Node", json!({"podCIDR": "10.244.0.0/24"}), json!({"phase": "Running"})),
            ("v1", "PersistentVolume", json!({"capacity": {"storage": "1Gi"}}), json!({"phase": "Bound"})),
            ("v1", "PersistentVolumeClaim", json!({"volumeName": "pv"}), json!({"phase": "Bound"})),
            ("v1", "ResourceQuota", json!({"hard": {"pods": "2"}}), json!({"used": {"pods": "1"}})),
            ("v1", "Service", json!({"clusterIP": "10.96.0.1"}), json!({"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}})),
            ("apps/v1", "DaemonSet", json!({"selector": {"matchLabels": {"a": "b"}}, "template": {}}), json!({"currentNumberScheduled": 1, "desiredNumberScheduled": 2, "numberMisscheduled": 0, "numberReady": 1})),
            ("apps/v1", "Deployment", json!({"replicas": 3, "selector": {}, "template": {}}), json!({"replicas": 2})),
            ("apps/v1", "ReplicaSet", json!({"replicas": 3, "selector": {}}), json!({"replicas": 2})),
            ("apps/v1", "StatefulSet", json!({"replicas": 3, "selector": {}, "template": {}}), json!({"replicas": 2, "availableReplicas": 1})),
            ("autoscaling/v2", "HorizontalPodAutoscaler", json!({"maxReplicas": 5, "scaleTargetRef": {"kind": "Deployment", "name": "d"}}), json!({"desiredReplicas": 2})),
            ("autoscaling/v1", "HorizontalPodAutoscaler", json!({"maxReplicas": 5, "scaleTargetRef": {"kind": "Deployment", "name": "d"}}), json!({"currentReplicas": 1, "desiredReplicas": 2})),
            ("batch/v1", "CronJob", json!({"schedule": "* * * * *", "jobTemplate": {}}), json!({"lastScheduleTime": "2026-01-01T00:00:00Z"})),
            ("batch/v1", "Job", json!({"template": {}}), json!({"succeeded": 1})),
            ("networking.k8s.io/v1", "Ingress", json!({"ingressClassName": "nginx"}), json!({"loadBalancer": {}})),
            ("policy/v1", "PodDisruptionBudget", json!({"minAvailable": 1}), json!({"currentHealthy": 1, "desiredHealthy": 1, "disruptionsAllowed": 0, "expectedPods": 1, "observedGeneration": 1})),
        ];
        let object = |api_version: &str, kind: &str, name: &str, spec: &serde_json::Value, status: Option<&serde_json::Value>| {
            let mut value = json!({
                "apiVersion": api_version,
                "kind": kind,
                "metadata": {"name": name, "labels": {"from": name}, "resourceVersion": "7"},
                "spec": spec,
            });
            if let Some(status) = status {
                value["status"] = status.clone();
            }
            Object::from_value(value).unwrap_or_else(|e| panic!("{kind}: {e}"))
        };
        for (api_version, kind, spec, status) in &kinds {
            let stored = object(api_version, kind, "stored", spec, Some(&json!({})));
            let stored = {
                // Stored with a status of its own, which the write replaces.
                let mut value = stored.to_value();
                value["status"] = status.clone();
                Object::from_value(value).unwrap_or_else(|e| panic!("{kind}: {e}"))
            };
            for written_status in [Some(status), None] {
                let written = object(api_version, kind, "written", &json!({}), written_status);
                let mut want = stored.to_value();
                match written.to_value().get("status") {
                    Some(s) => want["status"] = s.clone(),
                    None => {
                        want.as_object_mut().expect("object").remove("status");
                    }
                }
                let merged = with_status_of(&stored, written);
                assert_eq!(merged.to_value(), want, "{api_version} {kind}, status {written_status:?}");
            }
        }
        // A write of another kind changes nothing.
        let pod = object("v1", "Pod", "p", &kinds[0].2, Some(&kinds[0].3));
        let node = object("v1", "Node", "n", &json!({}), Some(&json!({"phase": "Running"})));
        assert_eq!(with_status_of(&pod, node), pod);
    }

    #[test]
    fn qos() {
        struct Case {
            name: &'static str,
            containers: Vec<corev1::Container>,
            want: &'static str,
        }
        let cases = [
            Case {
                name: "none",
                containers: vec![container(&[], &[])],
                want: "BestEffort",
            },
            Case {
                name: "equal",
                containers: vec![container(
                    &[("cpu", "1"), ("memory", "1Gi")],
                    &[("cpu", "1"), ("memory", "1Gi")],
                )],
                want: "Guaranteed",
            },
            Case {
                name: "requests only",
                containers: vec![container(&[("cpu", "1")], &[])],
                want: "Burstable",
            },
            Case {
                name: "limits only both",
                containers: vec![container(&[], &[("cpu", "1"), ("memory", "1Gi")])],
                want: "Guaranteed",
            },
        ];
        for case in &cases {
            let spec = corev1::PodSpec {
                containers: case.containers.clone(),
                ..Default::default()
            };
            assert_eq!(qos_class(&spec), case.want, "case {}", case.name);
        }
    }
}
