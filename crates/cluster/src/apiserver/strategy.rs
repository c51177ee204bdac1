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

/// Moves the status of `from` into `to` (same kind): a status write's merge.
pub fn move_status(to: &mut Object, from: Object) {
    macro_rules! m {
        ($($v:ident),*) => {
            match (to, from) {
                $( (Object::$v(t), Object::$v(f)) => t.status = f.status, )*
                _ => {}
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
