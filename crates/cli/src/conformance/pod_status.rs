//! Checker for `pod_status.jsonl`: READY, STATUS and RESTARTS through the apiserver's pod
//! printer (`cluster::apiserver::printers::print_pod`).
//!
//! Each row describes a pod in shorthand (container counts, statuses, and termination times
//! as seconds before "now"); the checker builds the k8s-openapi Pod, prints it at a fixed
//! `now` and compares the three cells. Rows carry the v1.34 expectation in `expect`
//! (`expect_v1_28` is the older printer and is not checked).

use cluster::SimTime;
use cluster::apiserver::printers::{PrintOptions, print_pod};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use serde_json::Value;

use super::Outcome;
use super::util;

/// The instant every row is printed at: 30 days into the simulation, so "seconds ago" values
/// up to 20 days stay after the cluster epoch.
const NOW: SimTime = SimTime(30 * 24 * 3600 * 1000);

pub fn check(row: &Value) -> Outcome {
    let Some(expect) = row.get("expect") else {
        return util::unsupported(row, "no expect");
    };
    let pod = match build_pod(row) {
        Ok(p) => p,
        Err(what) => return util::unsupported(row, what),
    };
    let printed = print_pod(&pod, &PrintOptions::default(), NOW);
    let cell = |i: usize| {
        printed
            .cells
            .get(i)
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let got = (cell(1), cell(2), cell(3));
    let field = |k: &str| {
        expect
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    util::compare((field("ready"), field("status"), field("restarts")), got)
}

fn build_pod(row: &Value) -> Result<corev1::Pod, &'static str> {
    let spec = row.get("spec").ok_or("no spec")?;
    let containers = (0..spec.get("containers").and_then(Value::as_u64).unwrap_or(0))
        .map(|i| corev1::Container {
            name: format!("c{i}"),
            ..Default::default()
        })
        .collect();
    let init_containers = match spec.get("initContainers") {
        None => Vec::new(),
        Some(Value::Number(n)) => (0..n.as_u64().unwrap_or(0))
            .map(|i| corev1::Container {
                name: format!("init{i}"),
                ..Default::default()
            })
            .collect(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|c| corev1::Container {
                name: util::str_field(c, "name").to_string(),
                restart_policy: c
                    .get("restartPolicy")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                ..Default::default()
            })
            .collect(),
        Some(_) => return Err("initContainers is neither a count nor a list"),
    };
    let status = row.get("status").ok_or("no status")?;
    let conditions = status
        .get("conditions")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| corev1::PodCondition {
                    type_: util::str_field(c, "type").to_string(),
                    status: util::str_field(c, "status").to_string(),
                    reason: c.get("reason").and_then(Value::as_str).map(str::to_string),
                    ..Default::default()
                })
                .collect()
        });
    let statuses = |key: &str| {
        status
            .get(key)
            .and_then(Value::as_array)
            .map(|list| list.iter().map(container_status).collect::<Vec<_>>())
    };
    Ok(corev1::Pod {
        metadata: metav1::ObjectMeta {
            name: Some(util::str_field(row, "name").to_string()),
            creation_timestamp: Some(SimTime::ZERO.to_time()),
            deletion_timestamp: row
                .get("deletionTimestampSet")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                .then(|| NOW.to_time()),
            ..Default::default()
        },
        spec: Some(corev1::PodSpec {
            containers,
            init_containers: Some(init_containers).filter(|v| !v.is_empty()),
            ..Default::default()
        }),
        status: Some(corev1::PodStatus {
            phase: status
                .get("phase")
                .and_then(Value::as_str)
                .map(str::to_string),
            reason: status
                .get("reason")
                .and_then(Value::as_str)
                .map(str::to_string),
            conditions,
            init_container_statuses: statuses("initContainerStatuses"),
            container_statuses: statuses("containerStatuses"),
            ..Default::default()
        }),
    })
}

fn container_status(c: &Value) -> corev1::ContainerStatus {
    let state = c.get("state");
    let terminated = |v: &Value| corev1::ContainerStateTerminated {
        reason: v.get("reason").and_then(Value::as_str).map(str::to_string),
        exit_code: v.get("exitCode").and_then(Value::as_i64).unwrap_or(0) as i32,
        signal: v.get("signal").and_then(Value::as_i64).map(|s| s as i32),
        finished_at: v
            .get("finishedAtSecondsAgo")
            .and_then(Value::as_u64)
            .map(|s| {
                NOW.saturating_sub(cluster::SimDuration::from_secs(s))
                    .to_time()
            }),
        ..Default::default()
    };
    corev1::ContainerStatus {
        name: util::str_field(c, "name").to_string(),
        ready: c.get("ready").and_then(Value::as_bool).unwrap_or(false),
        restart_count: c.get("restartCount").and_then(Value::as_i64).unwrap_or(0) as i32,
        started: c.get("started").and_then(Value::as_bool),
        state: state.map(|s| corev1::ContainerState {
            running: s
                .get("running")
                .map(|_| corev1::ContainerStateRunning::default()),
            waiting: s.get("waiting").map(|w| corev1::ContainerStateWaiting {
                reason: w.get("reason").and_then(Value::as_str).map(str::to_string),
                message: w.get("message").and_then(Value::as_str).map(str::to_string),
            }),
            terminated: s.get("terminated").map(terminated),
        }),
        last_state: c
            .get("lastTerminationState")
            .and_then(|l| l.get("terminated"))
            .map(|t| corev1::ContainerState {
                terminated: Some(terminated(t)),
                ..Default::default()
            }),
        ..Default::default()
    }
}
