//! The pod table: READY, STATUS and RESTARTS computed as upstream `printPod` does.
//!
//! Mirrors pkg/printers/internalversion/printers.go @kubernetes-1.34 `printPod`:
//! - STATUS starts from the phase (or `status.reason`), `SchedulingGated` when the
//!   PodScheduled condition says so; init containers then give `Init:<reason>`,
//!   `Init:Signal:<n>`, `Init:ExitCode:<n>` or `Init:<i>/<n>`; once initialised the app
//!   containers are read last to first so the first container's reason wins; `Completed` with
//!   a running container turns back into `Running` (Ready condition) or `NotReady`.
//! - A pod being deleted prints `Unknown` when its node was lost, else `Terminating` unless
//!   the phase is already terminal (the post-1.30 rule).
//! - READY counts ready running app containers and started, ready sidecars (restartable init
//!   containers) out of app containers plus sidecars.
//! - RESTARTS adds ` (<age> ago)` of the latest `lastState.terminated.finishedAt`.

use std::collections::HashMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::{Cell, Column, PrintOptions, Row, age, col, wide};
use crate::time::SimTime;

/// NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES.
pub fn pod_columns() -> &'static [Column] {
    POD_COLUMNS
}

const POD_COLUMNS: &[Column] = &[
    col("Name"),
    col("Ready"),
    col("Status"),
    col("Restarts"),
    col("Age"),
    wide("IP"),
    wide("Node"),
    wide("Nominated Node"),
    wide("Readiness Gates"),
];

/// The reason the node lifecycle controller gives pods of an unreachable node.
const NODE_UNREACHABLE_POD_REASON: &str = "NodeLost";

/// Mirrors printPod.
pub fn print_pod(pod: &corev1::Pod, opts: &PrintOptions, now: SimTime) -> Row {
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let init_specs: &[corev1::Container] = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or(&[]);
    let containers_len = spec.map_or(0, |s| s.containers.len());
    let init_statuses: &[corev1::ContainerStatus] = status
        .and_then(|s| s.init_container_statuses.as_deref())
        .unwrap_or(&[]);
    let statuses: &[corev1::ContainerStatus] = status
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or(&[]);
    let conditions: &[corev1::PodCondition] =
        status.and_then(|s| s.conditions.as_deref()).unwrap_or(&[]);

    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("");
    let mut reason = phase.to_string();
    if let Some(r) = status
        .and_then(|s| s.reason.as_deref())
        .filter(|r| !r.is_empty())
    {
        reason = r.to_string();
    }
    if conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".into();
    }

    let sidecar: HashMap<&str, bool> = init_specs
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.restart_policy.as_deref() == Some("Always"),
            )
        })
        .collect();
    let is_sidecar = |name: &str| sidecar.get(name).copied().unwrap_or(false);
    let total = containers_len + init_specs.iter().filter(|c| is_sidecar(&c.name)).count();

    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let mut ready = 0usize;
    let mut last_restart: Option<&metav1::Time> = None;
    let mut last_sidecar_restart: Option<&metav1::Time> = None;
    let mut initializing = false;
    for (i, c) in init_statuses.iter().enumerate() {
        restarts += i64::from(c.restart_count);
        let finished = last_finished(c);
        later(&mut last_restart, finished);
        let sidecar = is_sidecar(&c.name);
        if sidecar {
            sidecar_restarts += i64::from(c.restart_count);
            later(&mut last_sidecar_restart, finished);
        }
        let state = c.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if sidecar && c.started == Some(true) {
            if c.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = terminated {
            reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None if t.signal.unwrap_or(0) != 0 => {
                    format!("Init:Signal:{}", t.signal.unwrap_or(0))
                }
                None => format!("Init:ExitCode:{}", t.exit_code),
            };
        } else if let Some(r) = waiting
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }

    let initialized = conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for c in statuses.iter().rev() {
            restarts += i64::from(c.restart_count);
            later(&mut last_restart, last_finished(c));
            let state = c.state.as_ref();
            let waiting = state.and_then(|s| s.waiting.as_ref());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(r) = waiting
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty())
            {
                reason = r.to_string();
            } else if let Some(t) = terminated {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None if t.signal.unwrap_or(0) != 0 => {
                        format!("Signal:{}", t.signal.unwrap_or(0))
                    }
                    None => format!("ExitCode:{}", t.exit_code),
                };
            } else if c.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.into();
        }
    }

    if pod.metadata.deletion_timestamp.is_some() {
        if status.and_then(|s| s.reason.as_deref()) == Some(NODE_UNREACHABLE_POD_REASON) {
            reason = "Unknown".into();
        } else if !matches!(phase, "Succeeded" | "Failed") {
            reason = "Terminating".into();
        }
    }

    let restarts_cell = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", age(Some(t), now)),
        _ => restarts.to_string(),
    };

    let mut cells: Vec<Cell> = vec![
        pod.metadata.name.clone().unwrap_or_default().into(),
        format!("{ready}/{total}").into(),
        reason.into(),
        restarts_cell.into(),
        age(pod.metadata.creation_timestamp.as_ref(), now).into(),
    ];
    if opts.wide {
        let ip = status
            .and_then(|s| s.pod_ips.as_ref())
            .and_then(|ips| ips.first())
            .map(|ip| ip.ip.clone())
            .filter(|ip| !ip.is_empty())
            .unwrap_or_else(|| "<none>".into());
        let node = spec
            .and_then(|s| s.node_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<none>".into());
        let nominated = status
            .and_then(|s| s.nominated_node_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<none>".into());
        let gates = spec
            .and_then(|s| s.readiness_gates.as_deref())
            .unwrap_or(&[]);
        let readiness = if gates.is_empty() {
            "<none>".to_string()
        } else {
            let ok = gates
                .iter()
                .filter(|g| {
                    conditions
                        .iter()
                        .find(|c| c.type_ == g.condition_type)
                        .is_some_and(|c| c.status == "True")
                })
                .count();
            format!("{ok}/{}", gates.len())
        };
        cells.extend([ip.into(), node.into(), nominated.into(), readiness.into()]);
    }
    Row {
        cells,
        object: super::workloads::object_ref_of(pod),
    }
}

fn last_finished(c: &corev1::ContainerStatus) -> Option<&metav1::Time> {
    c.last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref())
}

fn later<'a>(slot: &mut Option<&'a metav1::Time>, t: Option<&'a metav1::Time>) {
    if let Some(t) = t
        && slot.is_none_or(|cur| cur < t)
    {
        *slot = Some(t);
    }
}
