//! Pod subresources the API server proxies to the kubelet: `log`, `exec`, `portforward`
//! (and the file copies `kubectl cp` makes over exec). kubectl sees them through the
//! [`PodProxy`] trait; [`PodAccess`] is the cluster's implementation, borrowing the kubelets
//! and the network beside the store kubectl already holds.

use crate::apiserver::Store;
use crate::kubelet::Kubelets;
use crate::kubelet::pod_workers::{Ctr, PodWorker};
use crate::kubelet::runtime;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

use super::{Client, Fabric, Forward, NetState, dns};

/// One log line with the instant it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at: SimTime,
    pub text: String,
}

/// What an exec'd command did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecResult {
    pub status: i32,
    pub lines: Vec<String>,
    /// Simulated time the command spent waiting (network timeouts).
    pub elapsed: SimDuration,
}

/// The kubelet-backed pod subresources.
pub trait PodProxy {
    /// A container's log, current or previous instance; None when the kubelet has no such
    /// container (or no such instance).
    fn logs(&self, namespace: &str, pod: &str, container: &str, previous: bool) -> Option<Vec<LogLine>>;
    /// Runs `argv` in a running container; None when the kubelet does not run it.
    fn exec(
        &mut self,
        store: &Store,
        namespace: &str,
        pod: &str,
        container: &str,
        argv: &[String],
    ) -> Option<ExecResult>;
    /// Starts forwarding a local port of the learner's machine to a pod port. False when
    /// the local port is taken.
    fn port_forward(&mut self, namespace: &str, pod: &str, local: u16, remote: u16) -> bool;
    /// A file in a container's file system.
    fn read_file(&self, namespace: &str, pod: &str, container: &str, path: &str) -> Option<String>;
    /// Writes a file into a container's file system; false when the container is not running.
    fn write_file(&mut self, namespace: &str, pod: &str, container: &str, path: &str, text: &str) -> bool;
}

/// For callers without a cluster behind them: no pod answers.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPods;

impl PodProxy for NoPods {
    fn logs(&self, _: &str, _: &str, _: &str, _: bool) -> Option<Vec<LogLine>> {
        None
    }
    fn exec(&mut self, _: &Store, _: &str, _: &str, _: &str, _: &[String]) -> Option<ExecResult> {
        None
    }
    fn port_forward(&mut self, _: &str, _: &str, _: u16, _: u16) -> bool {
        false
    }
    fn read_file(&self, _: &str, _: &str, _: &str, _: &str) -> Option<String> {
        None
    }
    fn write_file(&mut self, _: &str, _: &str, _: &str, _: &str, _: &str) -> bool {
        false
    }
}

/// The cluster's pod proxy.
pub struct PodAccess<'a> {
    pub kubelets: &'a mut Kubelets,
    pub net: &'a mut NetState,
    pub rng: &'a mut SimRng,
    pub now: SimTime,
}

fn worker<'k>(kubelets: &'k Kubelets, namespace: &str, pod: &str) -> Option<&'k PodWorker> {
    kubelets.nodes.values().flat_map(|k| k.workers.values()).find(|w| {
        w.pod.metadata.namespace.as_deref() == Some(namespace)
            && w.pod.metadata.name.as_deref() == Some(pod)
            && !w.finished
    })
}

fn container_mut<'k>(kubelets: &'k mut Kubelets, namespace: &str, pod: &str, container: &str) -> Option<&'k mut Ctr> {
    kubelets
        .nodes
        .values_mut()
        .flat_map(|k| k.workers.values_mut())
        .find(|w| {
            w.pod.metadata.namespace.as_deref() == Some(namespace)
                && w.pod.metadata.name.as_deref() == Some(pod)
                && !w.finished
        })?
        .ctrs
        .iter_mut()
        .find(|c| c.spec.name == container)
}

fn running(c: &Ctr) -> bool {
    matches!(c.state, crate::kubelet::pod_workers::CState::Running { .. })
}

impl PodProxy for PodAccess<'_> {
    fn logs(&self, namespace: &str, pod: &str, container: &str, previous: bool) -> Option<Vec<LogLine>> {
        let w = worker(self.kubelets, namespace, pod)?;
        let c = w.ctrs.iter().find(|c| c.spec.name == container)?;
        let (lines, times) = if previous {
            if c.instance < 2 && c.previous_logs.is_empty() {
                return None;
            }
            (&c.previous_logs, &c.previous_log_times)
        } else {
            if c.instance == 0 {
                return None;
            }
            (&c.logs, &c.log_times)
        };
        Some(
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| LogLine {
                    at: times.get(i).copied().unwrap_or(self.now),
                    text: l.clone(),
                })
                .collect(),
        )
    }

    fn exec(
        &mut self,
        store: &Store,
        namespace: &str,
        pod: &str,
        container: &str,
        argv: &[String],
    ) -> Option<ExecResult> {
        let (ip, mut env, resolv) = {
            let w = worker(self.kubelets, namespace, pod)?;
            let c = w.ctrs.iter().find(|c| c.spec.name == container && running(c))?;
            (w.ip.clone().unwrap_or_default(), c.env.clone(), dns::resolv_conf_of(&w.pod))
        };
        let files = std::sync::Arc::make_mut(&mut env.files);
        files.entry("/etc/resolv.conf".into()).or_insert(resolv);
        files
            .entry("/etc/hostname".into())
            .or_insert_with(|| format!("{}\n", env.hostname));
        let mut fabric = Fabric {
            store,
            kubelets: self.kubelets,
            state: self.net,
            rng: self.rng,
            now: self.now,
            client: Client::Pod {
                namespace: namespace.to_string(),
                name: pod.to_string(),
                ip,
            },
            elapsed: SimDuration::ZERO,
        };
        let (status, lines) = runtime::run_argv_with(argv, &mut env, self.now, Some(&mut fabric));
        let elapsed = fabric.elapsed;
        if let Some(c) = container_mut(self.kubelets, namespace, pod, container) {
            c.env = env;
        }
        Some(ExecResult {
            status,
            lines,
            elapsed,
        })
    }

    fn port_forward(&mut self, namespace: &str, pod: &str, local: u16, remote: u16) -> bool {
        if self.net.forwards.contains_key(&local) {
            return false;
        }
        self.net.forwards.insert(
            local,
            Forward {
                namespace: namespace.to_string(),
                pod: pod.to_string(),
                remote,
                connections: 0,
            },
        );
        true
    }

    fn read_file(&self, namespace: &str, pod: &str, container: &str, path: &str) -> Option<String> {
        let w = worker(self.kubelets, namespace, pod)?;
        let c = w.ctrs.iter().find(|c| c.spec.name == container)?;
        c.env.read_file(path)
    }

    fn write_file(&mut self, namespace: &str, pod: &str, container: &str, path: &str, text: &str) -> bool {
        match container_mut(self.kubelets, namespace, pod, container) {
            Some(c) if running(c) => c.env.write_file(path, text, false).is_ok(),
            _ => false,
        }
    }
}
