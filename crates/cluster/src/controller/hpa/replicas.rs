//! The replica calculation for resource utilization targets.
//!
//! Mirrors pkg/controller/podautoscaler/replica_calculator.go (v1.34) `GetResourceReplicas`,
//! `groupPods`, `calculatePodRequests` and metrics/utilization.go
//! `GetResourceUtilizationRatio`: ignored (deleted, failed) and unready pods are set aside,
//! pods without metrics are assumed at 100 % (scale-down) or 0 % (scale-up), and nothing
//! changes within the tolerance of 0.1.
//!
//! Deliberate gap: a CPU pod counts as unready whenever it is not Ready (upstream only within
//! `cpuInitializationPeriod` / `delayOfInitialReadinessStatus` of its start).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use machinery::quantity::Quantity;

use super::metrics::PodMetrics;
use crate::controller::podutil;

/// `--horizontal-pod-autoscaler-tolerance`.
pub const TOLERANCE: f64 = 0.1;

/// What the calculation found.
#[derive(Debug, Clone, PartialEq)]
pub struct Calculated {
    pub replicas: i32,
    /// Average utilization in percent of requests.
    pub utilization: i32,
    /// Average usage per pod (millicores or bytes).
    pub raw_average: i64,
}

/// Why no replica count could be computed (upstream's error texts).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalcError {
    #[error("unable to get metrics for resource {0}: no metrics returned from resource metrics API")]
    NoMetrics(String),
    #[error("did not receive metrics for targeted pods (pods might be unready)")]
    NoReadyMetrics,
    #[error("missing request for {resource} in container {container} of Pod {pod}")]
    MissingRequest {
        resource: String,
        container: String,
        pod: String,
    },
    #[error("no pods returned by selector while calculating replica count")]
    NoPods,
}

/// A resource's amount in the metric's unit: millicores for cpu, bytes otherwise.
fn amount(q: &k8s_openapi::apimachinery::pkg::api::resource::Quantity, resource: &str) -> i64 {
    let Ok(q) = q.0.parse::<Quantity>() else {
        return 0;
    };
    if resource == "cpu" {
        q.milli_value()
    } else {
        q.value()
    }
}

/// Mirrors GetResourceReplicas for `resource` ("cpu" or "memory").
///
/// # Errors
/// The upstream error when metrics or requests are missing.
pub fn resource_replicas(
    current_replicas: i32,
    target_utilization: i32,
    resource: &str,
    pods: &[&corev1::Pod],
    metrics: &PodMetrics,
) -> Result<Calculated, CalcError> {
    if pods.is_empty() {
        return Err(CalcError::NoPods);
    }
    let key = |p: &corev1::Pod| p.metadata.name.clone().unwrap_or_default();
    // The metric per pod, in the resource's unit.
    let mut values: BTreeMap<String, i64> = BTreeMap::new();
    for p in pods {
        let ns = p.metadata.namespace.as_deref().unwrap_or("");
        if let Some(u) = metrics.get(ns, &key(p)) {
            let t = u.total();
            values.insert(
                key(p),
                if resource == "cpu" {
                    t.cpu_millis
                } else {
                    t.memory_bytes
                },
            );
        }
    }
    if values.is_empty() {
        return Err(CalcError::NoMetrics(resource.into()));
    }
    // groupPods.
    let mut ready = 0;
    let mut unready = Vec::new();
    let mut missing = Vec::new();
    for p in pods {
        let name = key(p);
        if p.metadata.deletion_timestamp.is_some() || podutil::phase(p) == "Failed" {
            values.remove(&name);
            continue;
        }
        if podutil::phase(p) == "Pending" {
            unready.push(name);
            continue;
        }
        if !values.contains_key(&name) {
            missing.push(name);
            continue;
        }
        if resource == "cpu" && !podutil::is_pod_ready(p) {
            unready.push(name);
            continue;
        }
        ready += 1;
    }
    for n in &unready {
        values.remove(n);
    }
    if values.is_empty() {
        return Err(CalcError::NoReadyMetrics);
    }
    // calculatePodRequests.
    let mut requests: BTreeMap<String, i64> = BTreeMap::new();
    for p in pods {
        let mut total = 0;
        for c in p.spec.iter().flat_map(|s| &s.containers) {
            let req = c
                .resources
                .as_ref()
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get(resource));
            match req {
                Some(q) => total += amount(q, resource),
                None => {
                    return Err(CalcError::MissingRequest {
                        resource: resource.into(),
                        container: c.name.clone(),
                        pod: key(p),
                    });
                }
            }
        }
        requests.insert(key(p), total);
    }
    let (usage_ratio, utilization, raw) = utilization_ratio(&values, &requests, target_utilization);
    let scale_up_with_unready = !unready.is_empty() && usage_ratio > 1.0;
    let done = |replicas| Calculated {
        replicas,
        utilization,
        raw_average: raw,
    };
    if !scale_up_with_unready && missing.is_empty() {
        if (1.0 - usage_ratio).abs() <= TOLERANCE {
            return Ok(done(current_replicas));
        }
        return Ok(done((usage_ratio * f64::from(ready)).ceil() as i32));
    }
    if !missing.is_empty() {
        if usage_ratio < 1.0 {
            let fallback = i64::from(target_utilization.max(100));
            for n in &missing {
                values.insert(n.clone(), requests.get(n).copied().unwrap_or(0) * fallback / 100);
            }
        } else if usage_ratio > 1.0 {
            for n in &missing {
                values.insert(n.clone(), 0);
            }
        }
    }
    if scale_up_with_unready {
        for n in &unready {
            values.insert(n.clone(), 0);
        }
    }
    let (new_ratio, _, _) = utilization_ratio(&values, &requests, target_utilization);
    if (1.0 - new_ratio).abs() <= TOLERANCE
        || (usage_ratio < 1.0 && new_ratio > 1.0)
        || (usage_ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(done(current_replicas));
    }
    let new_replicas = (new_ratio * values.len() as f64).ceil() as i32;
    if (new_ratio < 1.0 && new_replicas > current_replicas)
        || (new_ratio > 1.0 && new_replicas < current_replicas)
    {
        return Ok(done(current_replicas));
    }
    Ok(done(new_replicas))
}

/// Mirrors GetResourceUtilizationRatio: (usage ratio, utilization %, average raw usage).
fn utilization_ratio(
    values: &BTreeMap<String, i64>,
    requests: &BTreeMap<String, i64>,
    target: i32,
) -> (f64, i32, i64) {
    let mut total = 0i64;
    let mut requested = 0i64;
    let mut n = 0i64;
    for (pod, v) in values {
        if let Some(r) = requests.get(pod) {
            total += v;
            requested += r;
            n += 1;
        }
    }
    if requested == 0 || n == 0 {
        return (0.0, 0, 0);
    }
    let utilization = (total * 100 / requested) as i32;
    (
        f64::from(utilization) / f64::from(target.max(1)),
        utilization,
        total / n,
    )
}

#[cfg(test)]
mod tests {
    use super::super::metrics::{PodUsage, Usage};
    use super::*;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity as Q;

    fn pod(name: &str, cpu_request: &str, ready: bool, phase: &str) -> corev1::Pod {
        corev1::Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: Some(corev1::PodSpec {
                containers: vec![corev1::Container {
                    name: "c".into(),
                    resources: Some(corev1::ResourceRequirements {
                        requests: Some([("cpu".to_string(), Q(cpu_request.into()))].into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            status: Some(corev1::PodStatus {
                phase: Some(phase.into()),
                conditions: Some(vec![corev1::PodCondition {
                    type_: "Ready".into(),
                    status: if ready { "True" } else { "False" }.into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
        }
    }

    fn metrics(values: &[(&str, i64)]) -> PodMetrics {
        let mut m = PodMetrics::default();
        for (name, cpu) in values {
            m.pods.insert(
                ("default".into(), name.to_string()),
                PodUsage {
                    containers: [(
                        "c".to_string(),
                        Usage {
                            cpu_millis: *cpu,
                            memory_bytes: 0,
                        },
                    )]
                    .into(),
                    ..Default::default()
                },
            );
        }
        m
    }

    #[test]
    fn upstream_replica_calculator_cases() {
        struct Case {
            name: &'static str,
            current: i32,
            target: i32,
            pods: Vec<corev1::Pod>,
            usage: Vec<(&'static str, i64)>,
            want: Result<(i32, i32), CalcError>,
        }
        let p = |n: &'static str| pod(n, "1", true, "Running");
        let cases = vec![
            // TestReplicaCalcScaleUp: 3 pods at 300/500/700m of 1 cpu, target 30 %.
            Case {
                name: "scale up",
                current: 3,
                target: 30,
                pods: vec![p("a"), p("b"), p("c")],
                usage: vec![("a", 300), ("b", 500), ("c", 700)],
                want: Ok((5, 50)),
            },
            // TestReplicaCalcScaleDown: 5 pods, target 50 %.
            Case {
                name: "scale down",
                current: 5,
                target: 50,
                pods: vec![p("a"), p("b"), p("c"), p("d"), p("e")],
                usage: vec![("a", 100), ("b", 300), ("c", 500), ("d", 250), ("e", 250)],
                want: Ok((3, 28)),
            },
            // TestReplicaCalcTolerance: 1.08 is within 0.1.
            Case {
                name: "within tolerance",
                current: 3,
                target: 100,
                pods: vec![p("a"), p("b"), p("c")],
                usage: vec![("a", 1010), ("b", 1030), ("c", 1200)],
                want: Ok((3, 108)),
            },
            // TestReplicaCalcScaleUpUnreadyLessScale: the unready pod counts as 0 %.
            Case {
                name: "scale up with an unready pod",
                current: 3,
                target: 30,
                pods: vec![pod("a", "1", false, "Running"), p("b"), p("c")],
                usage: vec![("a", 100), ("b", 500), ("c", 700)],
                want: Ok((4, 60)),
            },
            // TestReplicaCalcScaleDownIncludeUnreadyPods-like: a missing pod at 100 % holds
            // back a scale-down.
            Case {
                name: "missing metrics on scale down",
                current: 4,
                target: 50,
                pods: vec![p("a"), p("b"), p("c"), p("d")],
                usage: vec![("a", 100), ("b", 100), ("c", 100)],
                want: Ok((3, 10)),
            },
            Case {
                name: "no metrics",
                current: 1,
                target: 50,
                pods: vec![p("a")],
                usage: vec![],
                want: Err(CalcError::NoMetrics("cpu".into())),
            },
        ];
        for c in cases {
            let pods: Vec<&corev1::Pod> = c.pods.iter().collect();
            let got = resource_replicas(c.current, c.target, "cpu", &pods, &metrics(&c.usage))
                .map(|r| (r.replicas, r.utilization));
            assert_eq!(got, c.want, "case {}", c.name);
        }
    }
}
