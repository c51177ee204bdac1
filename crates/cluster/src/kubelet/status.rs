//! Pod status as the kubelet reports it.
//!
//! Mirrors pkg/kubelet/kubelet_pods.go `getPhase` and `generateAPIPodStatus`, and
//! pkg/kubelet/status/generate.go (conditions), v1.34.

use k8s_openapi::api::core::v1 as corev1;

use super::pod_workers::{CState, Ctr, PodWorker};
use crate::time::SimTime;

/// Mirrors getPhase over the worker's containers.
pub fn get_phase(w: &PodWorker) -> &'static str {
    let policy = w
        .pod
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.as_deref())
        .unwrap_or("Always");
    let inits: Vec<&Ctr> = w.ctrs.iter().filter(|c| c.init && !c.sidecar).collect();
    let apps: Vec<&Ctr> = w.ctrs.iter().filter(|c| !c.init).collect();
    let mut pending_init = false;
    for c in &inits {
        match &c.state {
            CState::Terminated(t) if t.exit_code == 0 => {}
            CState::Terminated(_) if policy == "Never" => return "Failed",
            CState::Waiting { .. }
                if c.last.as_ref().is_some_and(|t| t.exit_code != 0) && policy == "Never" =>
            {
                return "Failed";
            }
            _ => pending_init = true,
        }
    }
    let (mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0);
    for c in &apps {
        match &c.state {
            CState::Running { .. } => running += 1,
            CState::Terminated(t) => {
                stopped += 1;
                if t.exit_code == 0 {
                    succeeded += 1;
                }
            }
            CState::Waiting { .. } => {
                if c.last.is_some() {
                    stopped += 1;
                } else {
                    waiting += 1;
                }
            }
        }
    }
    if pending_init && running == 0 {
        return "Pending";
    }
    if waiting > 0 {
        return "Pending";
    }
    if running > 0 {
        return "Running";
    }
    if stopped == apps.len() && !apps.is_empty() {
        if policy == "Always" {
            return "Running";
        }
        if succeeded == stopped {
            return "Succeeded";
        }
        if policy == "Never" {
            return "Failed";
        }
        return "Running";
    }
    "Pending"
}

/// The phase of a pod whose worker stopped for good (getPhase with `podIsTerminal`, v1.34):
/// Succeeded when every app container exited 0, else Failed, whatever the restart policy.
pub fn terminal_phase(w: &PodWorker) -> &'static str {
    let phase = get_phase(w);
    if matches!(phase, "Succeeded" | "Failed") {
        return phase;
    }
    let all_succeeded = w
        .ctrs
        .iter()
        .filter(|c| !c.init)
        .all(|c| matches!(&c.state, CState::Terminated(t) if t.exit_code == 0));
    if all_succeeded { "Succeeded" } else { "Failed" }
}

fn state(s: &CState) -> corev1::ContainerState {
    match s {
        CState::Waiting {
            reason, message, ..
        } => corev1::ContainerState {
            waiting: Some(corev1::ContainerStateWaiting {
                reason: Some(reason.clone()),
                message: message.clone(),
            }),
            ..Default::default()
        },
        CState::Running { since } => corev1::ContainerState {
            running: Some(corev1::ContainerStateRunning {
                started_at: Some(since.to_time()),
            }),
            ..Default::default()
        },
        CState::Terminated(t) => corev1::ContainerState {
            terminated: Some(corev1::ContainerStateTerminated {
                exit_code: t.exit_code,
                reason: Some(t.reason.clone()),
                started_at: Some(t.started.to_time()),
                finished_at: Some(t.finished.to_time()),
                container_id: None,
                message: None,
                signal: None,
            }),
            ..Default::default()
        },
    }
}

fn container_status(c: &Ctr) -> corev1::ContainerStatus {
    let running = matches!(c.state, CState::Running { .. });
    corev1::ContainerStatus {
        name: c.spec.name.clone(),
        image: c.spec.image.clone().unwrap_or_default(),
        image_id: if c.image_full.is_empty() || c.image.is_none() {
            String::new()
        } else {
            c.image_full.clone()
        },
        container_id: (!c.container_id.is_empty()).then(|| c.container_id.clone()),
        ready: c.ready && running,
        started: Some(c.started && running),
        restart_count: c.restarts.max(0),
        state: Some(state(&c.state)),
        last_state: Some(
            c.last
                .as_ref()
                .map_or_else(Default::default, |t| state(&CState::Terminated(t.clone()))),
        ),
        ..Default::default()
    }
}

/// kubetypes.PodConditionByKubelet: the condition types the kubelet writes itself. The
/// shared DisruptionTarget is not among them: one the API server set (an eviction) stays
/// through the kubelet's writes (mergePodStatus, v1.34), so a Job's podFailurePolicy sees it
/// on the Failed pod.
fn condition_by_kubelet(t: &str) -> bool {
    matches!(
        t,
        "PodScheduled" | "Ready" | "Initialized" | "ContainersReady" | "PodReadyToStartContainers"
    )
}

/// The status the kubelet would write for `w`, keeping condition transition times from
/// `old` when a condition did not change.
pub fn generate(
    w: &PodWorker,
    node_ip: &str,
    old: Option<&corev1::PodStatus>,
    now: SimTime,
) -> corev1::PodStatus {
    let phase = get_phase(w);
    let apps: Vec<&Ctr> = w.ctrs.iter().filter(|c| !c.init).collect();
    let inits: Vec<&Ctr> = w.ctrs.iter().filter(|c| c.init).collect();
    let not_ready: Vec<&str> = apps
        .iter()
        .filter(|c| !(c.ready && matches!(c.state, CState::Running { .. })))
        .map(|c| c.spec.name.as_str())
        .collect();
    let init_incomplete: Vec<&str> = inits
        .iter()
        .filter(|c| {
            if c.sidecar {
                !c.started
            } else {
                !matches!(&c.state, CState::Terminated(t) if t.exit_code == 0)
            }
        })
        .map(|c| c.spec.name.as_str())
        .collect();
    let sandbox = w.ip.is_some();
    let completed = phase == "Succeeded";
    let cond = |t: &str, ok: bool, reason: Option<String>, message: Option<String>| {
        let status = if ok { "True" } else { "False" };
        let prev = old
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == t));
        let ltt = match prev {
            Some(p) if p.status == status => p.last_transition_time.clone(),
            _ => Some(now.to_time()),
        };
        corev1::PodCondition {
            type_: t.into(),
            status: status.into(),
            reason,
            message,
            last_transition_time: ltt,
            last_probe_time: None,
            observed_generation: None,
        }
    };
    let (ready_reason, ready_msg) = if completed {
        (Some("PodCompleted".to_string()), None)
    } else if !init_incomplete.is_empty() {
        (
            Some("ContainersNotInitialized".into()),
            Some(format!(
                "containers with incomplete status: [{}]",
                init_incomplete.join(" ")
            )),
        )
    } else if !not_ready.is_empty() {
        (
            Some("ContainersNotReady".into()),
            Some(format!(
                "containers with unready status: [{}]",
                not_ready.join(" ")
            )),
        )
    } else {
        (None, None)
    };
    let containers_ready = not_ready.is_empty() && init_incomplete.is_empty() && !completed;
    // GeneratePodReadyCondition: with its containers ready, a pod is Ready only once every
    // readiness gate's condition (written by someone else) is True.
    let old_conditions: &[corev1::PodCondition] =
        old.and_then(|s| s.conditions.as_deref()).unwrap_or_default();
    let gate_messages: Vec<String> = w
        .pod
        .spec
        .iter()
        .flat_map(|s| s.readiness_gates.iter().flatten())
        .filter_map(|g| {
            match old_conditions.iter().find(|c| c.type_ == g.condition_type) {
                None => Some(format!(
                    "corresponding condition of pod readiness gate \"{}\" does not exist.",
                    g.condition_type
                )),
                Some(c) if c.status != "True" => Some(format!(
                    "the status of pod readiness gate \"{}\" is not \"True\", but {}",
                    g.condition_type, c.status
                )),
                Some(_) => None,
            }
        })
        .collect();
    let (ready, pod_ready_reason, pod_ready_msg) = if containers_ready && !gate_messages.is_empty() {
        (false, Some("ReadinessGatesNotReady".to_string()), Some(gate_messages.join(", ")))
    } else {
        (containers_ready, ready_reason.clone(), ready_msg.clone())
    };
    // mergePodStatus: conditions the kubelet does not own come first, as they were.
    let mut conditions: Vec<corev1::PodCondition> = old_conditions
        .iter()
        .filter(|c| !condition_by_kubelet(&c.type_))
        .cloned()
        .collect();
    conditions.extend([
        cond(
            "PodReadyToStartContainers",
            sandbox && !w.finished,
            None,
            None,
        ),
        cond(
            "Initialized",
            init_incomplete.is_empty() || completed,
            if init_incomplete.is_empty() || completed {
                completed.then(|| "PodCompleted".into())
            } else {
                Some("ContainersNotInitialized".into())
            },
            if init_incomplete.is_empty() {
                None
            } else {
                Some(format!(
                    "containers with incomplete status: [{}]",
                    init_incomplete.join(" ")
                ))
            },
        ),
        cond("Ready", ready, pod_ready_reason, pod_ready_msg),
        cond("ContainersReady", containers_ready, ready_reason, ready_msg),
    ]);
    // generateAPIPodStatus always sets PodScheduled=True (its time kept when unchanged),
    // even after someone replaced the conditions through the status subresource.
    match old_conditions.iter().find(|c| c.type_ == "PodScheduled") {
        Some(ps) if ps.status == "True" => conditions.push(ps.clone()),
        _ => conditions.push(cond("PodScheduled", true, None, None)),
    }
    let ip = w.ip.clone();
    corev1::PodStatus {
        phase: Some(phase.into()),
        conditions: Some(conditions),
        host_ip: Some(node_ip.into()),
        host_ips: Some(vec![corev1::HostIP { ip: node_ip.into() }]),
        pod_ip: ip.clone(),
        pod_ips: ip.map(|i| vec![corev1::PodIP { ip: i }]),
        start_time: Some(w.start_time.to_time()),
        qos_class: old.and_then(|s| s.qos_class.clone()),
        container_statuses: Some(apps.iter().map(|c| container_status(c)).collect()),
        init_container_statuses: if inits.is_empty() {
            None
        } else {
            Some(inits.iter().map(|c| container_status(c)).collect())
        },
        ..Default::default()
    }
}
