//! Container lifecycle hooks: postStart after a container starts, preStop before it is
//! stopped.
//!
//! Mirrors pkg/kubelet/lifecycle/handlers.go `HandlerRunner.Run` and
//! pkg/kubelet/kuberuntime/kuberuntime_container.go (`startContainer`, `executePreStopHook`,
//! `killContainer`), v1.34:
//! - a failed postStart records `FailedPostStartHook` with the handler's message, then the
//!   container is killed (a `Killing` event whose message is `FailedPostStartHook`) and waits
//!   with reason `PostStartHookError`;
//! - preStop runs when a running container is killed (deletion, liveness or startup failure,
//!   postStart failure) and the grace period is above zero; its whole seconds come off the
//!   grace period, which never drops below 2 s; a failure records `FailedPreStopHook` with
//!   the fixed message `PreStopHook failed` (upstream keeps the output out of events).
//!
//! Deliberate gap: a hook's commands all run at the instant the hook begins (their `date`
//! and `sleep` see the right virtual times, and the time they take is accounted), rather
//! than interleaved with the container's own process.

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::runtime::{self, Env, Process, Step};
use crate::time::{SimDuration, SimTime};

/// `minimumGracePeriodInSeconds`: a stopping container always gets this long after SIGTERM.
pub const MIN_GRACE_SECS: u64 = 2;

/// What the container answers on, for httpGet hooks: its listening ports.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub pod_ip: &'a str,
    pub ports: &'a [i32],
}

/// How a hook went: when it ended and, on failure, the handler's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookRun {
    pub finished: SimTime,
    pub error: Option<String>,
}

/// Runs `handler` for `container` from `now`, giving up at `deadline` (the grace period for
/// preStop). `format_pod` is kubelet's `name_namespace(uid)`.
pub fn run(
    handler: &corev1::LifecycleHandler,
    container: &corev1::Container,
    format_pod: &str,
    target: Target<'_>,
    env: &mut Env,
    now: SimTime,
    deadline: Option<SimTime>,
) -> HookRun {
    if let Some(exec) = &handler.exec {
        let argv = exec.command.clone().unwrap_or_default();
        let (finished, status, output) = run_exec(&argv, env, now, deadline);
        let error = (status != 0).then(|| {
            // kuberuntime RunInContainer: utilexec.CodeExitError "command '%s' exited with %d: %s"
            // (stderr, which the simulated shell does not separate: left empty).
            let err = format!("command '{}' exited with {status}: ", argv.join(" "));
            format!(
                "Exec lifecycle hook ([{}]) for Container {} in Pod {} failed - error: {err}, message: {}",
                argv.join(" "),
                go_quote(&container.name),
                go_quote(format_pod),
                go_quote(&output)
            )
        });
        return HookRun { finished, error };
    }
    if let Some(h) = &handler.http_get {
        let host = h
            .host
            .clone()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| target.pod_ip.to_string());
        let path = h.path.clone().unwrap_or_default();
        let error = match resolve_port(&h.port, container) {
            Err(e) => Some(e),
            Ok(port) if host == target.pod_ip && target.ports.contains(&port) => None,
            Ok(port) => {
                let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
                let sep = if path.starts_with('/') { "" } else { "/" };
                Some(format!(
                    "Get \"{scheme}://{host}:{port}{sep}{path}\": dial tcp {host}:{port}: connect: connection refused"
                ))
            }
        };
        return HookRun {
            finished: now,
            error: error.map(|e| {
                format!(
                    "HTTP lifecycle hook ({path}) for Container {} in Pod {} failed - error: {e}",
                    go_quote(&container.name),
                    go_quote(format_pod)
                )
            }),
        };
    }
    if let Some(s) = &handler.sleep {
        let end = now + SimDuration::from_secs(s.seconds.max(0) as u64);
        return HookRun {
            finished: deadline.map_or(end, |d| end.min(d)),
            error: None,
        };
    }
    HookRun {
        finished: now,
        error: Some("Cannot run handler: invalid handler".into()),
    }
}

/// Runs an exec hook's command to its end (or the deadline): (end, exit status, output).
fn run_exec(
    argv: &[String],
    env: &mut Env,
    now: SimTime,
    deadline: Option<SimTime>,
) -> (SimTime, i32, String) {
    let mut lines = Vec::new();
    let Ok(mut p) = Process::new(&runtime::script_for(argv)) else {
        return (now, 126, String::new());
    };
    let mut t = now;
    loop {
        match p.run_with(env, t, &mut lines, None) {
            Step::Exit(status) => {
                let output = lines.iter().map(|l| format!("{l}\n")).collect();
                return (t, status, output);
            }
            // Only a container's main process hands `exec` to the kubelet.
            Step::Exec => return (t, 0, lines.iter().map(|l| format!("{l}\n")).collect()),
            Step::Sleep(until) => {
                if deadline.is_some_and(|d| until >= d) {
                    // Still running when the grace period ran out: the kubelet stops waiting.
                    return (deadline.unwrap_or(until), 0, String::new());
                }
                t = until;
            }
        }
    }
}

/// handlers.go resolvePort: a number, a numeric string, or a named container port.
fn resolve_port(port: &IntOrString, c: &corev1::Container) -> Result<i32, String> {
    match port {
        IntOrString::Int(n) => Ok(*n),
        IntOrString::String(s) if s.is_empty() => Ok(80),
        IntOrString::String(s) => s.parse().or_else(|_| {
            c.ports
                .iter()
                .flatten()
                .find(|p| p.name.as_deref() == Some(s.as_str()))
                .map(|p| p.container_port)
                .ok_or_else(|| format!("couldn't find port: {s} in {}", c.name))
        }),
    }
}

/// The grace period left for SIGTERM → SIGKILL after a preStop hook that took `took`:
/// whole seconds come off, and at least [`MIN_GRACE_SECS`] remain.
pub fn grace_after_hook(grace_secs: u64, took: SimDuration) -> u64 {
    grace_secs
        .saturating_sub(took.as_millis() / 1000)
        .max(MIN_GRACE_SECS)
}

/// Go's `%q` of a string (the escapes the hook messages can contain).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exec(cmd: &[&str]) -> corev1::LifecycleHandler {
        corev1::LifecycleHandler {
            exec: Some(corev1::ExecAction {
                command: Some(cmd.iter().map(|s| (*s).to_string()).collect()),
            }),
            ..Default::default()
        }
    }

    fn ctr() -> corev1::Container {
        corev1::Container {
            name: "main".into(),
            ..Default::default()
        }
    }

    const TARGET: Target<'static> = Target {
        pod_ip: "10.244.0.5",
        ports: &[80],
    };

    #[test]
    fn failed_exec_hook_message_as_handlers_go() {
        let mut env = Env::default();
        let r = run(
            &exec(&["sh", "-c", "echo nope; exit 3"]),
            &ctr(),
            "p_default(u1)",
            TARGET,
            &mut env,
            SimTime::ZERO,
            None,
        );
        assert_eq!(
            r.error.as_deref(),
            Some(
                "Exec lifecycle hook ([sh -c echo nope; exit 3]) for Container \"main\" in Pod \"p_default(u1)\" failed - error: command 'sh -c echo nope; exit 3' exited with 3: , message: \"nope\\n\""
            )
        );
    }

    #[test]
    fn exec_hook_sleep_is_accounted_and_cut_at_the_deadline() {
        let mut env = Env::default();
        let h = exec(&["sh", "-c", "sleep 5; echo done"]);
        let r = run(&h, &ctr(), "p", TARGET, &mut env, SimTime::ZERO, None);
        assert_eq!(r.finished, SimTime::ZERO + SimDuration::from_secs(5));
        assert_eq!(r.error, None);
        let deadline = SimTime::ZERO + SimDuration::from_secs(3);
        let r = run(&h, &ctr(), "p", TARGET, &mut env, SimTime::ZERO, Some(deadline));
        assert_eq!(r.finished, deadline);
    }

    #[test]
    fn http_hook_refused_on_a_closed_port() {
        let h = corev1::LifecycleHandler {
            http_get: Some(corev1::HTTPGetAction {
                path: Some("/shutdown".into()),
                port: IntOrString::Int(8080),
                ..Default::default()
            }),
            ..Default::default()
        };
        let mut env = Env::default();
        let r = run(&h, &ctr(), "p_default(u)", TARGET, &mut env, SimTime::ZERO, None);
        assert_eq!(
            r.error.as_deref(),
            Some(
                "HTTP lifecycle hook (/shutdown) for Container \"main\" in Pod \"p_default(u)\" failed - error: Get \"http://10.244.0.5:8080/shutdown\": dial tcp 10.244.0.5:8080: connect: connection refused"
            )
        );
        let ok = corev1::LifecycleHandler {
            http_get: Some(corev1::HTTPGetAction {
                port: IntOrString::Int(80),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            run(&ok, &ctr(), "p", TARGET, &mut env, SimTime::ZERO, None).error,
            None
        );
    }

    #[test]
    fn grace_left_after_the_hook() {
        assert_eq!(grace_after_hook(30, SimDuration::from_millis(5_900)), 25);
        assert_eq!(grace_after_hook(30, SimDuration::from_secs(29)), 2);
        assert_eq!(grace_after_hook(30, SimDuration::ZERO), 30);
    }
}
