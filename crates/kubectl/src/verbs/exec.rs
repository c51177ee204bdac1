//! `kubectl exec`, and the pod lookup shared by exec, logs, port-forward and cp.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go (v1.34): `POD -- COMMAND…` (the
//! pre-1.x form without `--` is refused), the default container chosen by
//! `podcmd.FindOrDefaultContainerByName` with its "Defaulted container" notice, completed
//! pods refused, `command terminated with exit code N`. `-it` with a shell hands the lab's
//! terminal to the container ([`ShellSession`]). TYPE/NAME finds a pod the way
//! polymorphichelpers `AttachablePodForObject` does (the most active matching pod).

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use super::Ctx;
use crate::errors::KubectlError;
use crate::{Env, Outcome};

/// The lab terminal attached to a container's shell, until `exit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellSession {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// The shell's prompt (`/ # ` for busybox sh, `root@<pod>:/# ` for bash); empty
    /// without a TTY.
    pub prompt: String,
    /// The pod to delete when the shell ends (`kubectl run --rm`).
    pub remove_on_exit: bool,
    /// Print kubectl's "Session ended, resume using 'kubectl attach …'" when the shell ends
    /// (`kubectl run -it` of a pod that restarts).
    pub session_ended_hint: bool,
}

/// The pod a `POD` or `TYPE/NAME` argument names, and how many pods the selector matched.
///
/// # Errors
/// The store's NotFound, or kubectl's words for kinds without a selector.
pub fn attachable_pod(
    ctx: &Ctx,
    env: &Env<'_>,
    arg: &str,
) -> Result<(corev1::Pod, usize), KubectlError> {
    let ns = ctx.namespace.as_str();
    let (kind_word, name) = match arg.split_once('/') {
        Some((k, n)) => (k, n),
        None => ("pods", arg),
    };
    let info = crate::resources::resolve_type(kind_word)?;
    let obj = env.store.get(info, info.namespaced.then_some(ns), name)?;
    let selector: BTreeMap<String, String> = match &*obj {
        Object::Pod(p) => return Ok((p.clone(), 1)),
        Object::Service(s) => s.spec.as_ref().and_then(|s| s.selector.clone()).unwrap_or_default(),
        Object::ReplicationController(rc) => rc
            .spec
            .as_ref()
            .and_then(|s| s.selector.clone())
            .unwrap_or_default(),
        other => {
            let sel = match other {
                Object::Deployment(d) => d.spec.as_ref().map(|s| s.selector.clone()),
                Object::ReplicaSet(r) => r.spec.as_ref().map(|s| s.selector.clone()),
                Object::StatefulSet(s) => s.spec.as_ref().map(|s| s.selector.clone()),
                Object::DaemonSet(d) => d.spec.as_ref().map(|s| s.selector.clone()),
                Object::Job(j) => j.spec.as_ref().and_then(|s| s.selector.clone()),
                _ => {
                    return Err(KubectlError::msg(format!(
                        "cannot attach to *v1.{}: selector for *v1.{} not implemented",
                        info.kind, info.kind
                    )));
                }
            };
            sel.and_then(|s| s.match_labels).unwrap_or_default()
        }
    };
    let selector_text = selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let pods = env.store.list(
        api::resolve_resource("pods").ok_or_else(|| KubectlError::msg("no pods"))?,
        Some(ns),
        &cluster::apiserver::ListOptions {
            label_selector: selector_text,
            ..Default::default()
        },
    )?;
    let mut pods: Vec<corev1::Pod> = pods
        .items
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) if p.metadata.deletion_timestamp.is_none() => Some(p.clone()),
            _ => None,
        })
        .collect();
    if pods.is_empty() {
        return Err(KubectlError::msg("timed out waiting for the condition"));
    }
    // Most active first (sort.Reverse(podutils.ActivePods)): ready, running, older.
    machinery::sort::sort_by_key(&mut pods, |p| {
        let ready = is_ready(p);
        let running = phase(p) == "Running";
        let created = p
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.as_millisecond())
            .unwrap_or(0);
        (!ready, !running, created, p.metadata.name.clone())
    });
    let n = pods.len();
    Ok((pods.swap_remove(0), n))
}

pub(crate) fn phase(p: &corev1::Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending")
}

fn is_ready(p: &corev1::Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// podcmd.AllContainerNames: `a, b, init (init)`.
fn all_container_names(p: &corev1::Pod) -> String {
    let spec = p.spec.clone().unwrap_or_default();
    let mut names: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    names.extend(
        spec.init_containers
            .iter()
            .flatten()
            .map(|c| format!("{} (init)", c.name)),
    );
    names.extend(
        spec.ephemeral_containers
            .iter()
            .flatten()
            .map(|c| format!("{} (ephem)", c.name)),
    );
    names.join(", ")
}

/// podcmd.FindOrDefaultContainerByName: the named container, else the
/// `kubectl.kubernetes.io/default-container` annotation, else the first container (with a
/// notice on stderr when there was a choice).
///
/// # Errors
/// `container x not found`.
pub fn default_container(
    pod: &corev1::Pod,
    name: Option<&str>,
    quiet: bool,
    out: &mut Outcome,
) -> Result<String, KubectlError> {
    let spec = pod.spec.clone().unwrap_or_default();
    let exists = |n: &str| {
        spec.containers.iter().any(|c| c.name == n)
            || spec.init_containers.iter().flatten().any(|c| c.name == n)
            || spec.ephemeral_containers.iter().flatten().any(|c| c.name == n)
    };
    if let Some(n) = name.filter(|n| !n.is_empty()) {
        if exists(n) {
            return Ok(n.to_string());
        }
        return Err(KubectlError::msg(format!("container {n} not found")));
    }
    let annotated = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
        .cloned();
    if let Some(n) = annotated {
        if exists(&n) {
            return Ok(n);
        }
        out.err(format!(
            "Default container name \"{n}\" not found in pod {}",
            pod.metadata.name.as_deref().unwrap_or_default()
        ));
    }
    let first = spec
        .containers
        .first()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let choices = spec.containers.len() > 1
        || spec.init_containers.as_ref().is_some_and(|v| !v.is_empty())
        || spec.ephemeral_containers.as_ref().is_some_and(|v| !v.is_empty());
    if choices && !quiet {
        out.err(format!(
            "Defaulted container \"{first}\" out of: {}",
            all_container_names(pod)
        ));
    }
    Ok(first)
}

/// Whether the container runs now (per the pod's status).
pub fn container_running(pod: &corev1::Pod, container: &str) -> bool {
    let st = pod.status.clone().unwrap_or_default();
    st.container_statuses
        .iter()
        .flatten()
        .chain(st.init_container_statuses.iter().flatten())
        .any(|c| c.name == container && c.state.as_ref().is_some_and(|s| s.running.is_some()))
}

pub(crate) fn is_shell(argv: &[String]) -> bool {
    let [cmd, rest @ ..] = argv else { return false };
    let base = cmd.rsplit('/').next().unwrap_or(cmd);
    matches!(base, "sh" | "bash" | "ash") && rest.iter().all(|a| a.starts_with('-') && a != "-c")
}

/// The prompt of a container's interactive shell.
pub fn shell_prompt(argv0: &str, pod: &str) -> String {
    if argv0.rsplit('/').next() == Some("bash") {
        format!("root@{pod}:/# ")
    } else {
        "/ # ".into()
    }
}

/// Runs `kubectl exec`.
///
/// # Errors
/// Usage errors, the store's errors, kubectl's exec errors.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    const USAGE: &str = "expected 'exec (POD | TYPE/NAME) COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD or TYPE/NAME and COMMAND are required arguments for the exec command";
    if p.args.is_empty() || p.args_len_at_dash == Some(0) {
        return Err(ctx.usage(USAGE));
    }
    let command: Vec<String> = match p.args_len_at_dash {
        Some(d) => p.args[d..].to_vec(),
        None if p.args.len() > 1 => {
            return Err(ctx.usage(
                "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
            ));
        }
        None => Vec::new(),
    };
    if command.is_empty() {
        return Err(KubectlError::msg(
            "you must specify at least one command for the container",
        ));
    }
    let (pod, _) = attachable_pod(ctx, env, &p.args[0])?;
    let phase = phase(&pod);
    if phase == "Succeeded" || phase == "Failed" {
        return Err(KubectlError::msg(format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    let container = default_container(&pod, p.string("container"), p.bool("quiet"), out)?;
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    if !container_running(&pod, &container) {
        return Err(KubectlError::msg(format!(
            "unable to upgrade connection: container not found (\"{container}\")"
        )));
    }
    if p.bool("stdin") && is_shell(&command) {
        out.shell = Some(ShellSession {
            prompt: if p.bool("tty") {
                shell_prompt(&command[0], &name)
            } else {
                String::new()
            },
            namespace: ns,
            pod: name,
            container,
            remove_on_exit: false,
            session_ended_hint: false,
        });
        return Ok(());
    }
    run_in(env, out, &ns, &name, &container, &command);
    Ok(())
}

/// Runs a command in a container and prints what it printed, with kubectl's exit-status
/// line when it failed.
pub fn run_in(env: &mut Env<'_>, out: &mut Outcome, ns: &str, pod: &str, container: &str, argv: &[String]) {
    // The container's own network calls (DNS, Service routing) read the store as cluster
    // components; their reads are not kubectl's requests and warn nobody.
    let listening = env.store.set_warnings(None);
    let result = env.pods.exec(env.store, ns, pod, container, argv);
    env.store.set_warnings(listening);
    match result {
        Some(r) => {
            out.busy = cluster::SimDuration(out.busy.0 + r.elapsed.0);
            for l in r.lines {
                out.out(l);
            }
            if r.status != 0 {
                out.err(format!("command terminated with exit code {}", r.status));
                out.exit_code = r.status;
            }
        }
        None => {
            out.err(format!(
                "error: unable to upgrade connection: container not found (\"{container}\")"
            ));
            out.exit_code = 1;
        }
    }
}
