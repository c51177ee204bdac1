use api::Object;
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::autoscaling::v2 as autoscalingv2;

use super::metrics::Usage;
use crate::controller::kind_of;
use crate::controller::testutil::{apply, events};
use crate::sim::Cluster;
use crate::time::{SimDuration, SimTime};

const APP: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: php-apache, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {run: php-apache}}
  template:
    metadata: {labels: {run: php-apache}}
    spec:
      containers:
      - name: php-apache
        image: nginx:1.27.3
        resources: {requests: {cpu: 200m}, limits: {cpu: 500m}}
---
apiVersion: v1
kind: Service
metadata: {name: php-apache, namespace: default}
spec:
  selector: {run: php-apache}
  ports: [{port: 80}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: php-apache, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php-apache}
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
"#;

fn hpa(c: &Cluster) -> autoscalingv2::HorizontalPodAutoscaler {
    let o = c
        .store()
        .get(
            kind_of::<autoscalingv2::HorizontalPodAutoscaler>(),
            Some("default"),
            "php-apache",
        )
        .expect("hpa");
    match &*o {
        Object::HorizontalPodAutoscaler(h) => h.clone(),
        _ => unreachable!(),
    }
}

fn replicas(c: &Cluster) -> i32 {
    let o = c
        .store()
        .get(kind_of::<appsv1::Deployment>(), Some("default"), "php-apache")
        .expect("deployment");
    match &*o {
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
        _ => unreachable!(),
    }
}

fn utilization(c: &Cluster) -> Option<i32> {
    hpa(c)
        .status?
        .current_metrics?
        .first()?
        .resource
        .as_ref()?
        .current
        .average_utilization
}

fn condition(c: &Cluster, t: &str) -> Option<(String, String)> {
    hpa(c)
        .status?
        .conditions?
        .into_iter()
        .find(|x| x.type_ == t)
        .map(|x| (x.status, x.reason.unwrap_or_default()))
}

/// The message of the autoscaler's condition `type_` (empty without one).
fn condition_message(c: &Cluster, type_: &str) -> String {
    hpa(c)
        .status
        .and_then(|s| s.conditions)
        .and_then(|cs| cs.into_iter().find(|x| x.type_ == type_))
        .and_then(|x| x.message)
        .unwrap_or_default()
}

#[test]
fn scales_up_under_load_and_down_after_the_window() {
    let mut c = crate::presets::minikube(21);
    c.enable_metrics_server_addon();
    apply(&mut c, APP);
    c.advance(SimDuration::from_secs(60));
    // Idle nginx: 1m of 200m requested.
    assert_eq!(utilization(&c), Some(0));
    assert_eq!(replicas(&c), 1);
    assert_eq!(
        condition(&c, "ScalingActive"),
        Some(("True".into(), "ValidMetricFound".into()))
    );

    // 600m of load on one pod: 300 % of its request, against a 50 % target.
    c.put_load(
        "default",
        "php-apache",
        Usage {
            cpu_millis: 600,
            memory_bytes: 0,
        },
    );
    let start = c.now();
    c.run_until(|c| replicas(c) > 1, SimDuration::from_secs(60))
        .expect("scaled up");
    // At most one sync period plus one scrape after the load began.
    assert!(c.now() - start <= SimDuration::from_secs(30));
    // 1 → 5: 6 are wanted (300 % / 50 %), but the default scale-up policies allow the larger
    // of +4 pods and +100 % per 15 s.
    assert_eq!(replicas(&c), 5);
    let rescales: Vec<String> = events(&c, "HorizontalPodAutoscaler", "php-apache")
        .into_iter()
        .filter(|(r, _)| r == "SuccessfulRescale")
        .map(|(_, m)| m)
        .collect();
    assert_eq!(
        rescales,
        ["New size: 5; reason: cpu resource utilization (percentage of request) above target"]
    );
    assert_eq!(
        condition(&c, "ScalingLimited"),
        Some(("True".into(), "ScaleUpLimit".into()))
    );
    // 6 are wanted, but the sixth pod stays Pending: with metrics-server's 100m the node's
    // 2 CPUs are spoken for. The 5 running pods share 600m: 120m = 60 %, and 5 × 60 / 50
    // rounds up to the 6 already asked for.
    c.advance(SimDuration::from_secs(120));
    assert_eq!(replicas(&c), 6);
    assert_eq!(utilization(&c), Some(60));

    // Load gone: the recommendation drops to 1, but the 300 s window holds 6.
    c.put_load("default", "php-apache", Usage::default());
    let stop = c.now();
    c.advance(SimDuration::from_secs(240));
    assert_eq!(replicas(&c), 6);
    assert_eq!(
        condition(&c, "AbleToScale"),
        Some(("True".into(), "ScaleDownStabilized".into()))
    );
    c.run_until(|c| replicas(c) == 1, SimDuration::from_secs(120))
        .expect("scaled down");
    let waited = c.now() - stop;
    assert!(
        waited >= SimDuration::from_secs(300) && waited <= SimDuration::from_secs(330),
        "{waited:?}"
    );
    let last = events(&c, "HorizontalPodAutoscaler", "php-apache")
        .into_iter()
        .filter(|(r, _)| r == "SuccessfulRescale")
        .map(|(_, m)| m)
        .next_back();
    assert_eq!(
        last.as_deref(),
        Some("New size: 1; reason: All metrics below target")
    );
    let _ = SimTime::ZERO;
}

#[test]
fn missing_requests_report_the_upstream_error() {
    let mut c = crate::presets::minikube(22);
    c.enable_metrics_server_addon();
    apply(
        &mut c,
        &APP.replace("resources: {requests: {cpu: 200m}, limits: {cpu: 500m}}", "ports: [{containerPort: 80}]"),
    );
    c.advance(SimDuration::from_secs(60));
    let (status, reason) = condition(&c, "ScalingActive").expect("condition");
    assert_eq!((status.as_str(), reason.as_str()), ("False", "FailedGetResourceMetric"));
    let msg = condition_message(&c, "ScalingActive");
    assert!(
        msg.starts_with("the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container php-apache of Pod php-apache-"),
        "{msg}"
    );
}

#[test]
fn without_metrics_server_the_metrics_api_is_missing() {
    let mut c = crate::presets::minikube(23);
    apply(&mut c, APP);
    c.advance(SimDuration::from_secs(60));
    let (status, reason) = condition(&c, "ScalingActive").expect("condition");
    assert_eq!((status.as_str(), reason.as_str()), ("False", "FailedGetResourceMetric"));
    let msg = condition_message(&c, "ScalingActive");
    assert_eq!(
        msg,
        "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)"
    );
    assert_eq!(replicas(&c), 1);
}
