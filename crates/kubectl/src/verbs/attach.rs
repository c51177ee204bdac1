//! `kubectl run -i/-t/--attach/--rm`: waiting for the new pod, attaching to it, and removing
//! it afterwards.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/run/run.go (v1.34) `Run` with `Attach`:
//! kubectl waits for the pod to run (`handleAttachPod`), prints the logs instead when it
//! already completed, attaches (a shell becomes the lab terminal's [`ShellSession`]; any
//! other command's output is what the container printed), and with `--restart=Never|
//! OnFailure` waits for the exit code: a failed pod ends with `pod NS/NAME terminated
//! (REASON)` and the container's exit status. `--rm` deletes the pod last (a deferred call
//! upstream), printing `pod "NAME" deleted from NS namespace`.
//!
//! kubectl cannot let simulated time pass, so [`Attach`] is handed to the lab, which runs
//! the simulation until [`Attach::ready`] and then calls [`Attach::finish`].

use api::Object;
use cluster::Store;
use cluster::apiserver::DeleteOptions;
use k8s_openapi::api::core::v1 as corev1;

use super::exec::{ShellSession, shell_prompt};
use crate::{Env, Outcome};

/// A `kubectl run` waiting for its pod before attaching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attach {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// `-i`: the terminal's input goes to the container.
    pub stdin: bool,
    /// `-t`.
    pub tty: bool,
    /// `--rm`.
    pub remove: bool,
    /// `Always`, `OnFailure` or `Never`.
    pub restart: String,
    /// The container's command, when it is an interactive shell (`sh`, `bash`).
    pub shell: Option<String>,
    /// `-q`: no "If you don't see a command prompt" hint.
    pub quiet: bool,
}

impl Attach {
    /// Whether kubectl stops waiting now: the pod is gone, has ended, or (for a shell) runs;
    /// a command must also have ended once, as its whole output is printed at once here.
    pub fn ready(&self, store: &Store) -> bool {
        let Some(pod) = self.current(store) else {
            return true;
        };
        let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending");
        if phase == "Succeeded" || phase == "Failed" {
            return true;
        }
        let status = self.container_status(&pod);
        if self.shell.is_some() && self.stdin {
            return status.is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()));
        }
        status.is_some_and(|s| {
            s.restart_count > 0 || s.state.as_ref().is_some_and(|st| st.terminated.is_some())
        })
    }

    /// What kubectl prints once [`Attach::ready`] holds (or the lab stopped waiting).
    pub fn finish(self, env: &mut Env<'_>) -> Outcome {
        let mut out = Outcome::default();
        let pod = self.current(env.store);
        let phase = pod
            .as_ref()
            .and_then(|p| p.status.as_ref())
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Pending".into());
        let running = pod
            .as_ref()
            .and_then(|p| self.container_status(p))
            .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()));
        if let (Some(argv0), true, true) = (&self.shell, self.stdin, running) {
            if self.tty && !self.quiet {
                out.err("If you don't see a command prompt, try pressing enter.");
            }
            out.shell = Some(ShellSession {
                namespace: self.namespace.clone(),
                prompt: if self.tty {
                    shell_prompt(argv0, &self.pod)
                } else {
                    String::new()
                },
                pod: self.pod.clone(),
                container: self.container.clone(),
                remove_on_exit: self.remove,
                session_ended_hint: self.tty && self.restart == "Always",
            });
            return out;
        }
        if pod.is_none() {
            out.err(format!("error: pods \"{}\" not found", self.pod));
            out.exit_code = 1;
            return out;
        }
        if phase == "Pending" {
            // --pod-running-timeout ran out.
            out.err("error: timed out waiting for the condition");
            out.exit_code = 1;
            self.remove_pod(env, &mut out);
            return out;
        }
        self.print_output(env, pod.as_ref(), &mut out);
        self.remove_pod(env, &mut out);
        // The exit code matters only when the pod is not restarted for ever.
        if self.restart != "Always"
            && let Some(p) = &pod
            && phase == "Failed"
        {
            let term = self
                .container_status(p)
                .and_then(|s| s.state.and_then(|st| st.terminated));
            let (reason, message, code) = term
                .map(|t| (t.reason.unwrap_or_default(), t.message.unwrap_or_default(), t.exit_code))
                .unwrap_or_default();
            out.err(format!("pod {}/{} terminated ({reason})", self.namespace, self.pod));
            if !message.is_empty() {
                out.err(message);
            }
            out.exit_code = if code == 0 { 1 } else { code };
        }
        out
    }

    /// The pod kubectl created, if it still exists.
    fn current(&self, store: &Store) -> Option<corev1::Pod> {
        let info = api::resolve_resource("pods")?;
        match &*store.get(info, Some(&self.namespace), &self.pod).ok()? {
            Object::Pod(p) => Some(p.clone()),
            _ => None,
        }
    }

    fn container_status(&self, pod: &corev1::Pod) -> Option<corev1::ContainerStatus> {
        pod.status
            .as_ref()?
            .container_statuses
            .as_ref()?
            .iter()
            .find(|c| c.name == self.container)
            .cloned()
    }

    /// What the container printed: the finished instance's log (the previous one when it
    /// was restarted since).
    fn print_output(&self, env: &mut Env<'_>, pod: Option<&corev1::Pod>, out: &mut Outcome) {
        let restarted_running = pod
            .and_then(|p| self.container_status(p))
            .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.terminated.is_none()));
        let lines = env
            .pods
            .logs(&self.namespace, &self.pod, &self.container, restarted_running)
            .or_else(|| env.pods.logs(&self.namespace, &self.pod, &self.container, false))
            .unwrap_or_default();
        for l in lines {
            out.out(l.text);
        }
    }

    /// `--rm`: delete the pod, as kubectl's deferred `removeCreatedObjects` does.
    fn remove_pod(&self, env: &mut Env<'_>, out: &mut Outcome) {
        if self.remove {
            remove(env.store, &self.namespace, &self.pod, out);
        }
    }
}

/// The end of an attached shell session (`exit`): kubectl's hint to re-attach when the pod
/// goes on running, and the `--rm` deletion.
pub fn end_session(shell: &ShellSession, store: &mut Store) -> Outcome {
    let mut out = Outcome::default();
    if shell.session_ended_hint {
        out.out(format!(
            "Session ended, resume using 'kubectl attach {} -c {} -i -t' command when the pod is running",
            shell.pod, shell.container
        ));
    }
    if shell.remove_on_exit {
        remove(store, &shell.namespace, &shell.pod, &mut out);
    }
    out
}

fn remove(store: &mut Store, namespace: &str, pod: &str, out: &mut Outcome) {
    let Some(info) = api::resolve_resource("pods") else {
        return;
    };
    match store.delete(info, Some(namespace), pod, &DeleteOptions::default()) {
        Ok(r) => {
            out.out(super::delete::deletion_line(
                info,
                pod,
                Some(namespace),
                false,
                super::DryRun::None,
            ));
            if !r.removed {
                out.wait_gone.push(crate::GoneKey {
                    info,
                    namespace: Some(namespace.to_string()),
                    name: pod.to_string(),
                    uid: r.object.meta().uid.clone().unwrap_or_default(),
                });
            }
        }
        Err(e) => out.fail(&e.into()),
    }
}
