//! One pod's life on a node: sandbox, image pulls, init containers, app containers, probes,
//! restarts with back-off, status, graceful termination.
//!
//! Mirrors pkg/kubelet/pod_workers.go + kuberuntime_manager.go `SyncPod` (v1.34) as a state
//! machine driven by simulated time: [`PodWorker::sync`] advances everything due at `now`,
//! returns the writes (events, status) and the next instant it needs to be woken.
//!
//! Timing facts (fidelity §5): restart back-off 10 s doubling to 300 s, reset after 10 minutes
//! without a crash (`flowcontrol.Backoff`, keyed per container, measured from `finishedAt`;
//! the first crash restarts at once); image pull back-off the same; probe defaults period
//! 10 s, timeout 1 s, thresholds 1/3; the first probe waits a random fraction of the period.
//!
//! Stopping a container mirrors kuberuntime_container.go `killContainer`: the `Killing`
//! event, the preStop hook (see [`super::lifecycle`]), SIGTERM, and SIGKILL when the grace
//! period ends. A server that handles SIGTERM exits shortly after it with the catalog's exit
//! code (0, or 143 for a process the signal ends); anything else ignores it as PID 1 does
//! and is killed: exit 137, reason `Error`. A container whose simulated memory (the image's
//! steady usage plus what its processes allocated, e.g. `stress --vm`) exceeds its memory
//! limit is OOM-killed at once: exit 137, reason `OOMKilled`, then restarted per policy.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1 as corev1;

use super::images::{self, ImageInfo};
use super::lifecycle;
use super::prober::{ProbeKind, ProbeResult, ProbeWorker};
use super::runtime::{self, Env, Process, Step};
use super::{env as kenv, vars, volumes};
use crate::controller::EventRecord;
use crate::time::{SimDuration, SimTime};

/// `backOffPeriod`.
pub const BACKOFF_INITIAL: SimDuration = SimDuration::from_secs(10);
/// `MaxContainerBackOff`.
pub const BACKOFF_MAX: SimDuration = SimDuration::from_secs(300);
/// The pod worker's retry after a failed sync (`backOffPeriod`; upstream adds up to 50 %
/// jitter, left out here).
pub const CONFIG_RETRY: SimDuration = SimDuration::from_secs(10);
/// Time to create the pod sandbox and set up its network.
pub const SANDBOX_DELAY: SimDuration = SimDuration::from_millis(800);

/// Whether `pod` is the mirror of a static pod (pkg/kubelet/pod `IsMirrorPod`: the
/// `kubernetes.io/config.mirror` annotation).
pub(super) fn is_mirror_pod(pod: &corev1::Pod) -> bool {
    pod.metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"))
}

/// A terminated container instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub exit_code: i32,
    pub reason: String,
    pub started: SimTime,
    pub finished: SimTime,
}

/// Where a container stands.
#[derive(Debug, Clone, PartialEq)]
pub enum CState {
    Waiting {
        reason: String,
        message: Option<String>,
        wait: Wait,
    },
    Running {
        since: SimTime,
    },
    Terminated(Term),
}

/// What a waiting container waits for.
#[derive(Debug, Clone, PartialEq)]
pub enum Wait {
    /// Earlier containers (init) or the sandbox.
    Blocked,
    /// Ready to begin: pull or start.
    Start,
    Pulling {
        done_at: SimTime,
        began: SimTime,
        waited_from: SimTime,
    },
    PullFailed {
        until: SimTime,
    },
    CrashBackOff {
        until: SimTime,
    },
    /// `CreateContainerConfigError`: the pod worker retries the sync after its back-off.
    ConfigRetry {
        until: SimTime,
    },
}

/// `flowcontrol.Backoff` for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Backoff {
    pub delay: Option<SimDuration>,
    pub last_update: SimTime,
}

impl Backoff {
    /// Whether `event_time + delay` has not yet passed at `now` (IsInBackOffSince).
    pub fn in_backoff_since(&self, event_time: SimTime, now: SimTime) -> Option<SimTime> {
        let d = self.delay?;
        if event_time - self.last_update > SimDuration(BACKOFF_MAX.0 * 2) {
            return None;
        }
        let until = event_time + d;
        (now < until).then_some(until)
    }

    /// Next: the first entry (or one expired after 10 minutes) is 10 s, then doubled to 300 s.
    pub fn next(&mut self, event_time: SimTime, now: SimTime) {
        self.delay = match self.delay {
            Some(d) if event_time - self.last_update <= SimDuration(BACKOFF_MAX.0 * 2) => {
                Some(SimDuration(d.0.saturating_mul(2).min(BACKOFF_MAX.0)))
            }
            _ => Some(BACKOFF_INITIAL),
        };
        self.last_update = now;
    }
}

/// One container of the pod.
#[derive(Debug, Clone)]
pub struct Ctr {
    pub spec: ContainerSpec,
    pub init: bool,
    pub sidecar: bool,
    pub state: CState,
    pub last: Option<Term>,
    pub restarts: i32,
    pub ready: bool,
    pub started: bool,
    pub logs: Vec<String>,
    pub previous_logs: Vec<String>,
    /// When each line of `logs` / `previous_logs` was written (`kubectl logs --timestamps`).
    pub log_times: Vec<SimTime>,
    pub previous_log_times: Vec<SimTime>,
    stamped_instance: u32,
    pub instance: u32,
    pub container_id: String,
    pub image: Option<&'static ImageInfo>,
    pub image_full: String,
    pub(crate) proc: Option<Process>,
    pub(crate) env: Env,
    proc_wake: Option<SimTime>,
    pub(crate) server: bool,
    pub(crate) hits: u32,
    /// CPU time its server has spent on requests so far, in milliseconds (never reset, so
    /// the metrics scrape can take the difference between two readings).
    pub(crate) request_cpu_ms: u64,
    kill: Option<Kill>,
    backoff: Backoff,
    pull_backoff: Backoff,
    pub probes: Vec<ProbeWorker>,
}

/// A scheduled end of a running container: when, its exit code and the reason it reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Kill {
    at: SimTime,
    code: i32,
    reason: &'static str,
}

/// The pod-level facts a hook or a kill needs.
#[derive(Debug, Clone, Copy)]
struct PodCx<'a> {
    format_pod: &'a str,
    /// The pod's name, its containers' host name.
    hostname: &'a str,
    ip: &'a str,
    /// The pod's termination grace period in seconds.
    grace: u64,
}

/// The time a server that handles SIGTERM takes to exit.
const SIGTERM_EXIT_DELAY: SimDuration = SimDuration::from_millis(200);

/// What the sync wants written and when it wants to run again.
#[derive(Debug, Default)]
pub struct SyncOutput {
    pub events: Vec<EventRecord>,
    pub wake: Option<SimTime>,
}

/// Per-node facts the worker needs.
#[derive(Debug)]
pub struct NodeCtx<'a> {
    pub node: &'a str,
    pub images: &'a mut std::collections::BTreeSet<String>,
    /// The node's serialized image puller.
    pub puller: &'a mut images::SerialPuller,
    /// What env and volumes read (ConfigMaps, Secrets, Services, claims).
    pub store: &'a crate::apiserver::Store,
    pub host_ip: &'a str,
    /// The node's root file system (hostPath volumes).
    pub node_fs: &'a volumes::NodeFs,
    pub shared_volumes: &'a mut volumes::SharedVolumes,
    /// The environment maps containers share.
    pub shared_vars: &'a mut vars::SharedVars,
}

/// A pod as the kubelet last saw it: the store's shared object rather than a copy (a copy per
/// watch event and per sync was a third of the kubelet's time with 150,000 pods).
#[derive(Debug, Clone)]
pub struct PodRef(Arc<api::Object>);

impl PodRef {
    /// `obj` if it is a pod.
    pub fn new(obj: Arc<api::Object>) -> Option<PodRef> {
        matches!(*obj, api::Object::Pod(_)).then_some(PodRef(obj))
    }

    /// The pod as an API object (the subject of its events).
    pub fn object(&self) -> &api::Object {
        &self.0
    }
}

impl std::ops::Deref for PodRef {
    type Target = corev1::Pod;

    fn deref(&self) -> &corev1::Pod {
        match &*self.0 {
            api::Object::Pod(p) => p,
            _ => unreachable!("PodRef::new admits pods only"),
        }
    }
}

/// A container's spec as the kubelet started it: the container of a stored pod version,
/// shared rather than copied (a copy was 3 to 4 KB per pod). The worker moves it to each
/// newer version whose container is still the same ([`PodWorker::follow`]), so it keeps an
/// older version alive only while the pod's spec of it differs. Dereferences to the container.
#[derive(Debug, Clone)]
pub struct ContainerSpec {
    pod: PodRef,
    init: bool,
    index: usize,
}

impl ContainerSpec {
    /// Container `index` of `pod`'s init containers or containers; `None` past the end.
    fn of(pod: &PodRef, init: bool, index: usize) -> Option<ContainerSpec> {
        let spec = ContainerSpec {
            pod: pod.clone(),
            init,
            index,
        };
        spec.get().is_some().then_some(spec)
    }

    fn get(&self) -> Option<&corev1::Container> {
        let spec = self.pod.spec.as_ref()?;
        if self.init {
            spec.init_containers.as_ref()?.get(self.index)
        } else {
            spec.containers.get(self.index)
        }
    }

    /// The same container in `pod` when it is unchanged there.
    fn in_version(&self, pod: &PodRef) -> Option<ContainerSpec> {
        let same = ContainerSpec::of(pod, self.init, self.index)?;
        (same.get() == self.get()).then_some(same)
    }
}

impl std::ops::Deref for ContainerSpec {
    type Target = corev1::Container;

    fn deref(&self) -> &corev1::Container {
        match self.get() {
            Some(c) => c,
            None => unreachable!("ContainerSpec::of checks the container exists"),
        }
    }
}

/// A pod on this node.
#[derive(Debug, Clone)]
pub struct PodWorker {
    pub pod: PodRef,
    pub uid: String,
    pub ip: Option<String>,
    pub sandbox_ready_at: Option<SimTime>,
    pub start_time: SimTime,
    pub ctrs: Vec<Ctr>,
    /// Deadline of the graceful stop, once termination began.
    pub terminating: bool,
    pub finished: bool,
    pub phase_failed_init: bool,
    pub probe_phase: SimDuration,
    pub volumes: volumes::PodVolumes,
}

impl PodWorker {
    /// A worker for a newly admitted pod; `jitter(n)` draws in `0..n` for probe offsets.
    pub fn new(pod: PodRef, now: SimTime, mut jitter: impl FnMut(u32) -> u32) -> PodWorker {
        let mut ctrs = Vec::new();
        if let Some(spec) = pod.spec.as_ref() {
            let init = spec.init_containers.as_ref().map_or(0, Vec::len);
            // Exactly one slot per container: a `Ctr` is most of a kilobyte, and a vector
            // grown by pushes starts with room for four.
            ctrs.reserve_exact(init + spec.containers.len());
            let specs = (0..init)
                .filter_map(|i| ContainerSpec::of(&pod, true, i))
                .chain((0..spec.containers.len()).filter_map(|i| ContainerSpec::of(&pod, false, i)));
            for c in specs {
                let init = c.init;
                ctrs.push(Ctr::new(c, init, &mut jitter, now));
            }
        }
        PodWorker {
            uid: pod.metadata.uid.clone().unwrap_or_default(),
            pod,
            ip: None,
            sandbox_ready_at: None,
            start_time: now,
            ctrs,
            terminating: false,
            finished: false,
            phase_failed_init: false,
            probe_phase: SimDuration::ZERO,
            volumes: volumes::PodVolumes::default(),
        }
    }

    /// Takes `pod`, a newer version of the worker's pod, and has each container's spec
    /// follow it where the container is unchanged.
    pub fn follow(&mut self, pod: PodRef) {
        for c in &mut self.ctrs {
            if let Some(spec) = c.spec.in_version(&pod) {
                c.spec = spec;
            }
        }
        self.pod = pod;
    }

    fn restart_policy(&self) -> &str {
        self.pod
            .spec
            .as_ref()
            .and_then(|s| s.restart_policy.as_deref())
            .unwrap_or("Always")
    }

    fn format_pod(&self) -> String {
        format!(
            "{}_{}({})",
            self.pod.metadata.name.as_deref().unwrap_or(""),
            self.pod.metadata.namespace.as_deref().unwrap_or(""),
            self.uid
        )
    }

    /// Advances the pod to `now`.
    pub fn sync(
        &mut self,
        node: &mut NodeCtx<'_>,
        ip_alloc: &mut dyn FnMut() -> String,
        now: SimTime,
    ) -> SyncOutput {
        let mut out = SyncOutput::default();
        if self.finished {
            return out;
        }
        if self.pod.metadata.deletion_timestamp.is_some() {
            self.terminate(now, &mut out);
            return out;
        }
        // Volumes are mounted before the sandbox starts.
        if !self.mount_volumes(node, now, &mut out) {
            return out;
        }
        // Sandbox. A static pod's sandbox is already up when its mirror pod appears: the
        // kubelet starts static pods from its manifest directory without waiting for the API
        // server (pkg/kubelet/config/file.go), and posts the mirror pod afterwards.
        let delay = if is_mirror_pod(&self.pod) {
            SimDuration::ZERO
        } else {
            SANDBOX_DELAY
        };
        let ready_at = *self.sandbox_ready_at.get_or_insert(now + delay);
        if now < ready_at {
            wake(&mut out, ready_at);
            return out;
        }
        if self.ip.is_none() {
            self.ip = Some(ip_alloc());
        }
        // Init containers in order, then app containers together.
        let mut blocked = false;
        let n = self.ctrs.len();
        for i in 0..n {
            let is_init = self.ctrs[i].init;
            if blocked {
                continue;
            }
            self.advance(i, node, now, &mut out);
            if is_init {
                let c = &self.ctrs[i];
                let done = if c.sidecar {
                    c.started
                } else {
                    matches!(&c.state, CState::Terminated(t) if t.exit_code == 0)
                };
                if !done {
                    blocked = true;
                }
            }
        }
        for i in 0..n {
            if blocked && !self.ctrs[i].init {
                let c = &mut self.ctrs[i];
                if matches!(c.state, CState::Waiting { .. }) {
                    c.state = CState::Waiting {
                        reason: "PodInitializing".into(),
                        message: None,
                        wait: Wait::Blocked,
                    };
                }
            }
        }
        out
    }

    fn advance(&mut self, i: usize, node: &mut NodeCtx<'_>, now: SimTime, out: &mut SyncOutput) {
        let pod_ref = self.pod.clone();
        let pod_obj = pod_ref.object();
        let policy = self.restart_policy().to_string();
        let format_pod = self.format_pod();
        let hostname = self.pod.metadata.name.clone().unwrap_or_default();
        let ip = self.ip.clone().unwrap_or_default();
        let grace = pod_grace(&self.pod);
        let cx = PodCx {
            format_pod: &format_pod,
            hostname: &hostname,
            ip: &ip,
            grace,
        };
        let c = &mut self.ctrs[i];
        let field = if c.init {
            format!("spec.initContainers{{{}}}", c.spec.name)
        } else {
            format!("spec.containers{{{}}}", c.spec.name)
        };
        let ev = |reason: &str, msg: String, warn: bool| {
            let e = if warn {
                EventRecord::warning(pod_obj, reason, msg)
            } else {
                EventRecord::normal(pod_obj, reason, msg)
            };
            e.at_field(field.clone())
        };
        let image = c.spec.image.clone().unwrap_or_default();
        // Waiting states.
        if let CState::Waiting { wait, .. } = &c.state {
            match wait.clone() {
                Wait::Blocked | Wait::Start => {
                    let pull_policy = c
                        .spec
                        .image_pull_policy
                        .clone()
                        .unwrap_or_else(|| images::default_pull_policy(&image).into());
                    let Some(r) = images::parse_ref(&image) else {
                        c.state = waiting(
                            "InvalidImageName",
                            Some(format!(
                                "Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format"
                            )),
                            Wait::Blocked,
                        );
                        out.events.push(ev("InspectFailed", format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format"), true));
                        return;
                    };
                    c.image_full = r.full.clone();
                    let present = node.images.contains(&r.full);
                    if present && pull_policy != "Always" {
                        c.image = images::resolve(&r).ok();
                        out.events.push(ev(
                            "Pulled",
                            format!("Container image \"{image}\" already present on machine"),
                            false,
                        ));
                        let setup = container_setup(pod_obj, &c.spec, node, &ip, &self.volumes, out);
                        c.start(now, cx, out, &ev, setup, node.shared_vars);
                    } else if pull_policy == "Never" {
                        let msg = format!(
                            "Container image \"{image}\" is not present with pull policy of Never"
                        );
                        c.state = waiting("ErrImageNeverPull", Some(msg.clone()), Wait::Blocked);
                        out.events.push(ev("ErrImageNeverPull", msg, true));
                    } else {
                        let download_ms = images::resolve(&r).ok().map(|info| info.pull_ms);
                        let images::PullSlot { began, done_at } =
                            node.puller.schedule(now, &r, present, download_ms);
                        out.events
                            .push(ev("Pulling", format!("Pulling image \"{image}\""), false));
                        c.state = waiting(
                            "ContainerCreating",
                            None,
                            Wait::Pulling {
                                done_at,
                                began,
                                waited_from: now,
                            },
                        );
                        wake(out, done_at);
                    }
                    return;
                }
                Wait::Pulling {
                    done_at,
                    began,
                    waited_from,
                } => {
                    if now < done_at {
                        wake(out, done_at);
                        return;
                    }
                    let r = images::parse_ref(&image);
                    match r.as_ref().map(images::resolve) {
                        Some(Ok(info)) => {
                            c.image = Some(info);
                            if let Some(r) = &r {
                                node.images.insert(r.full.clone());
                            }
                            let took = go_dur(done_at - began);
                            let waited = go_dur(done_at - waited_from);
                            out.events.push(ev("Pulled", format!("Successfully pulled image \"{image}\" in {took} ({waited} including waiting). Image size: {} bytes.", info.size), false));
                            let setup =
                                container_setup(pod_obj, &c.spec, node, &ip, &self.volumes, out);
                            c.start(now, cx, out, &ev, setup, node.shared_vars);
                        }
                        Some(Err(e)) => {
                            out.events.push(ev(
                                "Failed",
                                format!("Failed to pull image \"{image}\": {e}"),
                                true,
                            ));
                            out.events
                                .push(ev("Failed", "Error: ErrImagePull".into(), true));
                            c.pull_backoff.next(now, now);
                            let until = now + c.pull_backoff.delay.unwrap_or(BACKOFF_INITIAL);
                            c.state = waiting(
                                "ErrImagePull",
                                Some(e.to_string()),
                                Wait::PullFailed { until },
                            );
                            // The next sync reports the back-off.
                            wake(out, now + SimDuration::from_secs(1));
                        }
                        None => {}
                    }
                    return;
                }
                Wait::PullFailed { until } => {
                    if now >= until {
                        c.state = waiting("ContainerCreating", None, Wait::Start);
                        self.advance(i, node, now, out);
                        return;
                    }
                    if let CState::Waiting {
                        reason, message, ..
                    } = &mut c.state
                        && reason == "ErrImagePull"
                    {
                        let err = message.clone().unwrap_or_default();
                        *reason = "ImagePullBackOff".into();
                        *message = Some(format!(
                            "Back-off pulling image \"{image}\": ErrImagePull: {err}"
                        ));
                        out.events.push(ev(
                            "BackOff",
                            format!("Back-off pulling image \"{image}\""),
                            false,
                        ));
                        out.events
                            .push(ev("Failed", "Error: ImagePullBackOff".into(), true));
                    }
                    wake(out, until);
                    return;
                }
                Wait::ConfigRetry { until } => {
                    if now >= until {
                        c.state = waiting("ContainerCreating", None, Wait::Start);
                        self.advance(i, node, now, out);
                    } else {
                        wake(out, until);
                    }
                    return;
                }
                Wait::CrashBackOff { until } => {
                    if now >= until {
                        let last_finished = c.last.as_ref().map_or(now, |t| t.finished);
                        c.backoff.next(last_finished, now);
                        c.state = waiting("ContainerCreating", None, Wait::Start);
                        self.advance(i, node, now, out);
                    } else {
                        wake(out, until);
                    }
                    return;
                }
            }
        }
        // Running: the process, probes, kills.
        if let CState::Running { since } = c.state.clone() {
            if let Some(k) = c.kill {
                if now >= k.at {
                    c.exit_as(k.code, k.reason, since, k.at);
                } else {
                    wake(out, k.at);
                    return;
                }
            } else {
                if c.proc_wake.is_some_and(|t| t <= now) {
                    c.step_process(now);
                }
                if let CState::Running { .. } = c.state {
                    c.run_probes(now, cx, out, &ev);
                }
            }
            if let Some(t) = c.next_wake() {
                wake(out, t);
            }
        }
        // Terminated: restart per policy.
        if let CState::Terminated(t) = c.state.clone() {
            let restart = c.sidecar
                || match policy.as_str() {
                    "Always" => true,
                    "OnFailure" => t.exit_code != 0,
                    _ => false,
                };
            if c.init && !c.sidecar && t.exit_code == 0 {
                return;
            }
            if !restart {
                return;
            }
            c.last = Some(t.clone());
            match c.backoff.in_backoff_since(t.finished, now) {
                Some(until) => {
                    let d = c.backoff.delay.unwrap_or(BACKOFF_INITIAL);
                    c.state = waiting(
                        "CrashLoopBackOff",
                        Some(format!(
                            "back-off {} restarting failed container={} pod={format_pod}",
                            go_dur(d),
                            c.spec.name
                        )),
                        Wait::CrashBackOff { until },
                    );
                    out.events.push(ev(
                        "BackOff",
                        format!(
                            "Back-off restarting failed container {} in pod {format_pod}",
                            c.spec.name
                        ),
                        true,
                    ));
                    wake(out, until);
                }
                None => {
                    c.backoff.next(t.finished, now);
                    c.state = waiting("ContainerCreating", None, Wait::Start);
                    self.advance(i, node, now, out);
                }
            }
        }
    }

    fn terminate(&mut self, now: SimTime, out: &mut SyncOutput) {
        let grace = self
            .pod
            .metadata
            .deletion_grace_period_seconds
            .unwrap_or(30)
            .max(0) as u64;
        let pod_ref = self.pod.clone();
        let pod_obj = pod_ref.object();
        let format_pod = self.format_pod();
        let hostname = self.pod.metadata.name.clone().unwrap_or_default();
        let ip = self.ip.clone().unwrap_or_default();
        let cx = PodCx {
            format_pod: &format_pod,
            hostname: &hostname,
            ip: &ip,
            grace,
        };
        if !self.terminating {
            self.terminating = true;
            for c in &mut self.ctrs {
                // A container already being killed (a failed liveness probe) keeps its kill.
                if let CState::Running { .. } = c.state
                    && c.kill.is_none()
                {
                    let field = format!(
                        "spec.{}{{{}}}",
                        if c.init {
                            "initContainers"
                        } else {
                            "containers"
                        },
                        c.spec.name
                    );
                    let ev = |reason: &str, msg: String, warn: bool| {
                        let e = if warn {
                            EventRecord::warning(pod_obj, reason, msg)
                        } else {
                            EventRecord::normal(pod_obj, reason, msg)
                        };
                        e.at_field(field.clone())
                    };
                    out.events.push(ev(
                        "Killing",
                        format!("Stopping container {}", c.spec.name),
                        false,
                    ));
                    c.begin_stop(now, grace, cx, out, &ev);
                }
            }
        }
        let mut all_done = true;
        for c in &mut self.ctrs {
            match (&c.state, c.kill) {
                (CState::Running { since }, Some(k)) => {
                    if now >= k.at {
                        let since = *since;
                        c.exit_as(k.code, k.reason, since, k.at);
                    } else {
                        all_done = false;
                        wake(out, k.at);
                    }
                }
                (CState::Waiting { .. }, _) => {
                    c.state = CState::Terminated(Term {
                        exit_code: 0,
                        reason: "ContainerStatusUnknown".into(),
                        started: now,
                        finished: now,
                    });
                }
                _ => {}
            }
        }
        if all_done {
            self.finished = true;
        }
    }

    /// Whether any container is running (for resource usage).
    pub fn running(&self) -> impl Iterator<Item = &Ctr> {
        self.ctrs
            .iter()
            .filter(|c| matches!(c.state, CState::Running { .. }))
    }
}

/// The pod's `terminationGracePeriodSeconds` (default 30).
fn pod_grace(pod: &corev1::Pod) -> u64 {
    pod.spec
        .as_ref()
        .and_then(|s| s.termination_grace_period_seconds)
        .unwrap_or(30)
        .max(0) as u64
}

/// The environment and mounts of a container about to start; warnings become pod events.
fn container_setup(
    pod_obj: &api::Object,
    spec: &corev1::Container,
    node: &NodeCtx<'_>,
    ip: &str,
    vols: &volumes::PodVolumes,
    out: &mut SyncOutput,
) -> Result<(kenv::ResolvedEnv, Vec<volumes::Mount>), String> {
    let api::Object::Pod(pod) = pod_obj else {
        return Err("not a pod".into());
    };
    let cx = kenv::EnvContext {
        store: node.store,
        pod,
        pod_ip: ip,
        host_ip: node.host_ip,
    };
    let resolved = kenv::container_env(&cx, spec)?;
    for (reason, msg) in &resolved.warnings {
        out.events
            .push(EventRecord::warning(pod_obj, reason, msg.clone()));
    }
    Ok((resolved, vols.mounts_for(spec)))
}

fn waiting(reason: &str, message: Option<String>, wait: Wait) -> CState {
    CState::Waiting {
        reason: reason.into(),
        message,
        wait,
    }
}

fn wake(out: &mut SyncOutput, at: SimTime) {
    if out.wake.is_none_or(|w| at < w) {
        out.wake = Some(at);
    }
}

/// The seed of a container's programs' randomness: FNV-1a over the pod (name, namespace and
/// UID, which the cluster's seeded RNG made), the container and its start count.
fn program_seed(pod: &str, container: &str, instance: u32) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in pod.bytes().chain([0]).chain(container.bytes()).chain(instance.to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Go's `time.Duration.String()` of a span truncated to milliseconds (`2.3s`, `850ms`).
pub fn go_dur(d: SimDuration) -> String {
    machinery::duration::go_duration_string(
        i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 1_000_000) * 1_000_000,
    )
}

impl Ctr {
    fn new(
        spec: ContainerSpec,
        init: bool,
        jitter: &mut impl FnMut(u32) -> u32,
        now: SimTime,
    ) -> Ctr {
        let sidecar = init && spec.restart_policy.as_deref() == Some("Always");
        let mut probes = Vec::new();
        for (kind, p) in [
            (ProbeKind::Startup, &spec.startup_probe),
            (ProbeKind::Liveness, &spec.liveness_probe),
            (ProbeKind::Readiness, &spec.readiness_probe),
        ] {
            if let Some(p) = p {
                if init && !sidecar {
                    continue;
                }
                probes.push(ProbeWorker::new(kind, p.clone(), now, jitter));
            }
        }
        Ctr {
            init,
            sidecar,
            state: waiting(
                if init {
                    "PodInitializing"
                } else {
                    "ContainerCreating"
                },
                None,
                Wait::Blocked,
            ),
            last: None,
            restarts: -1,
            ready: false,
            started: false,
            logs: Vec::new(),
            previous_logs: Vec::new(),
            log_times: Vec::new(),
            previous_log_times: Vec::new(),
            stamped_instance: 0,
            instance: 0,
            container_id: String::new(),
            image: None,
            image_full: String::new(),
            proc: None,
            env: Env::default(),
            proc_wake: None,
            server: false,
            hits: 0,
            request_cpu_ms: 0,
            kill: None,
            backoff: Backoff::default(),
            pull_backoff: Backoff::default(),
            probes,
            spec,
        }
    }

    fn start(
        &mut self,
        now: SimTime,
        cx: PodCx<'_>,
        out: &mut SyncOutput,
        ev: &dyn Fn(&str, String, bool) -> EventRecord,
        setup: Result<(kenv::ResolvedEnv, Vec<volumes::Mount>), String>,
        shared_vars: &mut vars::SharedVars,
    ) {
        let hostname = cx.hostname;
        let (resolved, mounts) = match setup {
            Ok(s) => s,
            Err(msg) => {
                // kuberuntime startContainer: generateContainerConfig failed.
                out.events.push(ev("Failed", format!("Error: {msg}"), true));
                let until = now + CONFIG_RETRY;
                self.state = waiting(
                    "CreateContainerConfigError",
                    Some(msg),
                    Wait::ConfigRetry { until },
                );
                wake(out, until);
                return;
            }
        };
        out.events.push(ev(
            "Created",
            format!("Created container: {}", self.spec.name),
            false,
        ));
        out.events.push(ev(
            "Started",
            format!("Started container {}", self.spec.name),
            false,
        ));
        self.instance += 1;
        self.restarts += 1;
        self.container_id = format!(
            "containerd://{:016x}{:048x}",
            u64::from(self.instance) ^ 0x5eed_c0de,
            (hostname.len() as u64) << 8 | u64::from(self.instance)
        );
        if !self.logs.is_empty() || self.instance > 1 {
            self.previous_logs = std::mem::take(&mut self.logs);
        }
        self.state = CState::Running { since: now };
        self.started = self.probes.iter().all(|p| p.kind != ProbeKind::Startup);
        // prober_manager.go UpdatePodStatus: a started container without a readiness probe
        // is ready in the first status that shows it running (v1.34).
        self.ready = self.started && self.probes.iter().all(|p| p.kind != ProbeKind::Readiness);
        self.kill = None;
        self.hits = 0;
        for p in &mut self.probes {
            p.reset();
        }
        // Environment: the kubelet's resolved variables over the image's; the runtime sets
        // HOME from the user's passwd entry when neither does (root: /root).
        let mut env = Env {
            hostname: hostname.to_string(),
            mounts,
            files: self.image.map(|i| Arc::clone(&i.files)).unwrap_or_default(),
            workdir: self
                .spec
                .working_dir
                .clone()
                .filter(|d| !d.is_empty())
                .or_else(|| self.image.map(|i| i.workdir.clone()))
                .unwrap_or_default(),
            programs: self.image.map(|i| i.programs.clone()).unwrap_or_default(),
            seed: program_seed(cx.format_pod, &self.spec.name, self.instance),
            ..Default::default()
        };
        let mut vars = BTreeMap::new();
        vars.insert("HOSTNAME".into(), hostname.to_string());
        vars.insert(
            "PATH".into(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
        );
        if let Some(info) = self.image {
            vars.extend(info.env.iter().cloned());
        }
        vars.extend(resolved.vars.iter().cloned());
        vars.entry("HOME".into()).or_insert_with(|| "/root".into());
        // A container with a terminal gets TERM from the runtime (containerd's WithTTY).
        if self.spec.tty == Some(true) {
            vars.entry("TERM".into()).or_insert_with(|| "xterm".into());
        }
        env.vars = shared_vars.vars(vars);
        self.env = env;
        let tag = self
            .spec
            .image
            .as_deref()
            .and_then(super::images::parse_ref)
            .map(|r| r.tag)
            .unwrap_or_default();
        let run = self
            .image
            .map(|i| i.run_for(&tag).clone())
            .unwrap_or_default();
        let command = self.spec.command.clone().unwrap_or_default();
        let args = self.spec.args.clone().unwrap_or_default();
        let args = kenv::expand_command(&args, &resolved.vars);
        // Docker's ENTRYPOINT/CMD: without `command`, an image with an entrypoint runs it
        // with the container's `args`, else with its own CMD.
        let entry_args = match &run.cmd {
            Some(cmd) if command.is_empty() => Some(if args.is_empty() {
                cmd.clone()
            } else {
                args.clone()
            }),
            _ => None,
        };
        let argv = if entry_args.is_some() {
            Vec::new()
        } else {
            let mut argv = kenv::expand_command(&command, &resolved.vars);
            argv.extend(args);
            argv
        };
        self.server = false;
        self.proc = None;
        self.proc_wake = None;
        let starts_server = run.serves(&argv)
            || run
                .server
                .as_ref()
                .is_some_and(|s| s.started_by(&argv, self.spec.command.is_some()));
        if argv.is_empty() || starts_server {
            if let Some(info) = self.image {
                self.logs
                    .extend(info.logs.iter().map(|l| images::log_line(l, hostname, now)));
            }
            if run.server.is_some() {
                self.server = true;
                self.check_memory(now);
                self.post_start(now, cx, out, ev);
                return;
            }
            let script = run.script.unwrap_or_else(|| "exit 0".into());
            self.proc = Process::new(&script)
                .ok()
                .map(|p| p.with_args(entry_args.unwrap_or_default()));
        } else {
            // A bare shell with stdin attached (`kubectl run -it … -- sh`) reads its input
            // from the attached terminal, so it runs until that session ends; the commands
            // typed there run through exec. Without stdin it exits at once.
            let script = if self.spec.stdin == Some(true) && is_bare_shell(&argv) {
                "while true; do sleep 3600; done".to_string()
            } else {
                runtime::script_for(&argv)
            };
            self.proc = Process::new(&script).ok().map(|p| p.in_shell(runtime::is_shell(&argv)));
            if self.proc.is_none() {
                self.exit(2, now, now);
                return;
            }
        }
        self.proc_wake = Some(now);
        self.step_process(now);
        self.post_start(now, cx, out, ev);
    }

    /// Runs the postStart hook of a container that just started; a failure kills it
    /// (kuberuntime_container.go startContainer).
    fn post_start(
        &mut self,
        now: SimTime,
        cx: PodCx<'_>,
        out: &mut SyncOutput,
        ev: &dyn Fn(&str, String, bool) -> EventRecord,
    ) {
        let Some(h) = self.spec.lifecycle.as_ref().and_then(|l| l.post_start.clone()) else {
            return;
        };
        if !matches!(self.state, CState::Running { .. }) || self.kill.is_some() {
            return;
        }
        let ports = self.listening_ports();
        let target = lifecycle::Target {
            pod_ip: cx.ip,
            ports: &ports,
        };
        let r = lifecycle::run(&h, &self.spec, cx.format_pod, target, &mut self.env, now, None);
        if let Some(msg) = r.error {
            out.events.push(ev("FailedPostStartHook", msg, true));
            out.events
                .push(ev("Killing", "FailedPostStartHook".into(), false));
            self.begin_stop(r.finished, cx.grace, cx, out, ev);
        }
    }

    /// The ports the container's server listens on (none for a script).
    fn listening_ports(&self) -> Vec<i32> {
        if !self.server {
            return Vec::new();
        }
        self.server_ports()
    }

    /// The ports of the image's server: the `listen` ports of its configuration file when
    /// the image reads one (nginx, whose file a container may have edited), else the
    /// catalog's.
    pub fn server_ports(&self) -> Vec<i32> {
        let Some(server) = self.image.and_then(|i| i.run.server.as_ref()) else {
            return Vec::new();
        };
        server
            .listen_config
            .as_deref()
            .and_then(|f| self.env.read_file(f))
            .map(|conf| super::nginx::listen_ports(&conf))
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| server.ports.clone())
    }

    /// Starts stopping a running container as killContainer does after its `Killing` event:
    /// the preStop hook when the grace period allows one, then SIGTERM, then SIGKILL at the
    /// end of what is left of the grace period (at least 2 s).
    fn begin_stop(
        &mut self,
        now: SimTime,
        grace: u64,
        cx: PodCx<'_>,
        out: &mut SyncOutput,
        ev: &dyn Fn(&str, String, bool) -> EventRecord,
    ) {
        let mut sigterm_at = now;
        let mut left = grace;
        if grace > 0
            && let Some(h) = self.spec.lifecycle.as_ref().and_then(|l| l.pre_stop.clone())
        {
            let ports = self.listening_ports();
            let target = lifecycle::Target {
                pod_ip: cx.ip,
                ports: &ports,
            };
            let deadline = now + SimDuration::from_secs(grace);
            let r = lifecycle::run(
                &h,
                &self.spec,
                cx.format_pod,
                target,
                &mut self.env,
                now,
                Some(deadline),
            );
            if r.error.is_some() {
                // Upstream keeps the hook's output out of the event.
                out.events
                    .push(ev("FailedPreStopHook", "PreStopHook failed".into(), true));
            }
            left = lifecycle::grace_after_hook(grace, r.finished - now);
            sigterm_at = r.finished;
        }
        let left = left.max(lifecycle::MIN_GRACE_SECS);
        let on_sigterm = self
            .image
            .and_then(|i| i.run.server.as_ref())
            .filter(|_| self.server)
            .and_then(images::Server::sigterm_exit);
        self.kill = Some(match on_sigterm {
            Some(code) => Kill {
                at: sigterm_at + SIGTERM_EXIT_DELAY,
                code,
                reason: if code == 0 { "Completed" } else { "Error" },
            },
            None => Kill {
                at: sigterm_at + SimDuration::from_secs(left),
                code: 137,
                reason: "Error",
            },
        });
        // A stopping container keeps its readiness until it exits (prober/worker.go keeps
        // probing readiness of a terminating pod; without a probe, running means ready):
        // `kubectl get pods` shows `1/1 Terminating`, while the EndpointSlice controller
        // already takes the endpoint out for the deletion.
    }

    /// The container's simulated memory: the image's steady usage plus what its processes
    /// allocated.
    pub fn memory_bytes(&self) -> i64 {
        self.image
            .map_or(0, |i| i.memory)
            .saturating_add(self.env.allocated_bytes)
    }

    /// OOM-kills the container when its memory exceeds `resources.limits.memory`.
    fn check_memory(&mut self, now: SimTime) {
        let Some(limit) = self
            .spec
            .resources
            .as_ref()
            .and_then(|r| r.limits.as_ref())
            .and_then(|l| l.get("memory"))
            .and_then(|q| machinery::quantity::Quantity::parse(&q.0).ok())
            .map(|q| q.value())
        else {
            return;
        };
        if let CState::Running { since } = self.state
            && self.memory_bytes() > limit
        {
            self.exit_as(137, "OOMKilled", since, now);
        }
    }

    /// Stamps log lines written since the last call with `now`, rotating the stamps when a
    /// new instance started (its old lines became `previous_logs`).
    pub(crate) fn stamp_logs(&mut self, now: SimTime) {
        if self.stamped_instance != self.instance {
            if self.instance > 1 || !self.previous_logs.is_empty() {
                self.previous_log_times = std::mem::take(&mut self.log_times);
            }
            self.previous_log_times.resize(self.previous_logs.len(), now);
            self.stamped_instance = self.instance;
        }
        self.log_times.truncate(self.logs.len());
        self.log_times.resize(self.logs.len(), now);
    }

    fn step_process(&mut self, now: SimTime) {
        let Some(p) = &mut self.proc else { return };
        let since = match self.state {
            CState::Running { since } => since,
            _ => return,
        };
        match p.run(&mut self.env, now, &mut self.logs) {
            Step::Sleep(t) => {
                self.proc_wake = Some(t);
                self.check_memory(now);
            }
            Step::Exit(code) => self.exit(code, since, now),
            Step::Exec => {
                let argv = p.take_exec().unwrap_or_default();
                self.exec_program(&argv, since, now);
            }
        }
    }

    /// The container's shell ran `exec ARGV`: the program takes the process's place (the
    /// image's server, e.g. `exec nginx -g 'daemon off;'`, or another command).
    fn exec_program(&mut self, argv: &[String], since: SimTime, now: SimTime) {
        let server = self.image.and_then(|i| i.run.server.as_ref());
        if server.is_some_and(|s| s.started_by(argv, true)) {
            self.proc = None;
            self.proc_wake = None;
            self.server = true;
            self.check_memory(now);
            return;
        }
        match Process::for_argv(argv) {
            Ok(p) => {
                self.proc = Some(p);
                self.step_process(now);
            }
            Err(_) => self.exit(2, since, now),
        }
    }

    fn exit(&mut self, code: i32, since: SimTime, now: SimTime) {
        let reason = if code == 0 { "Completed" } else { "Error" };
        self.exit_as(code, reason, since, now);
    }

    fn exit_as(&mut self, code: i32, reason: &str, since: SimTime, now: SimTime) {
        self.state = CState::Terminated(Term {
            exit_code: code,
            reason: reason.into(),
            started: since,
            finished: now,
        });
        self.ready = false;
        self.proc = None;
        self.proc_wake = None;
        self.kill = None;
    }

    fn next_wake(&self) -> Option<SimTime> {
        let mut w = self.proc_wake;
        if let Some(k) = self.kill {
            w = Some(w.map_or(k.at, |x| x.min(k.at)));
        }
        for p in &self.probes {
            if let Some(t) = p.next_at() {
                w = Some(w.map_or(t, |x| x.min(t)));
            }
        }
        w
    }

    fn run_probes(
        &mut self,
        now: SimTime,
        cx: PodCx<'_>,
        out: &mut SyncOutput,
        ev: &dyn Fn(&str, String, bool) -> EventRecord,
    ) {
        let since = match self.state {
            CState::Running { since } => since,
            _ => return,
        };
        let has_readiness = self.probes.iter().any(|p| p.kind == ProbeKind::Readiness);
        if !has_readiness && self.started {
            self.ready = true;
        }
        for i in 0..self.probes.len() {
            let kind = self.probes[i].kind;
            if kind != ProbeKind::Startup && !self.started {
                self.probes[i].skip_until(now);
                continue;
            }
            if kind == ProbeKind::Startup && self.started {
                continue;
            }
            while let Some(at) = self.probes[i].due(now, since) {
                let (ok, msg) = self.probe_once(i, cx.ip, at);
                let label = match kind {
                    ProbeKind::Liveness => "Liveness",
                    ProbeKind::Readiness => "Readiness",
                    ProbeKind::Startup => "Startup",
                };
                if !ok {
                    out.events.push(ev(
                        "Unhealthy",
                        format!("{label} probe failed: {msg}"),
                        true,
                    ));
                }
                match self.probes[i].record(ok) {
                    ProbeResult::Success => match kind {
                        ProbeKind::Readiness => self.ready = true,
                        ProbeKind::Startup => {
                            self.started = true;
                            if !has_readiness {
                                self.ready = true;
                            }
                        }
                        ProbeKind::Liveness => {}
                    },
                    ProbeResult::Failure => match kind {
                        ProbeKind::Readiness => self.ready = false,
                        ProbeKind::Liveness | ProbeKind::Startup => {
                            let which = if kind == ProbeKind::Liveness {
                                "liveness"
                            } else {
                                "startup"
                            };
                            out.events.push(ev(
                                "Killing",
                                format!(
                                    "Container {} failed {which} probe, will be restarted",
                                    self.spec.name
                                ),
                                false,
                            ));
                            // The probe-level grace period overrides the pod's.
                            let grace = self.probes[i]
                                .spec
                                .termination_grace_period_seconds
                                .map_or(cx.grace, |g| g.max(0) as u64);
                            self.begin_stop(at, grace, cx, out, ev);
                            for p in &mut self.probes {
                                p.stop();
                            }
                            return;
                        }
                    },
                    ProbeResult::Unchanged => {}
                }
            }
        }
    }

    /// One probe attempt: (success, failure output).
    fn probe_once(&mut self, i: usize, ip: &str, at: SimTime) -> (bool, String) {
        let spec = self.probes[i].spec.clone();
        if let Some(exec) = &spec.exec {
            let argv = exec.command.clone().unwrap_or_default();
            let (status, lines) = runtime::run_once(&runtime::script_for(&argv), &mut self.env, at);
            return (status == 0, lines.join("\n"));
        }
        let ports: Vec<i32> = self.listening_ports();
        let resolve = |p: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString| match p {
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n) => *n,
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(name) => self
                .spec
                .ports
                .iter()
                .flatten()
                .find(|cp| cp.name.as_deref() == Some(name.as_str()))
                .map_or(0, |cp| cp.container_port),
        };
        if let Some(h) = &spec.http_get {
            let port = resolve(&h.port);
            let path = h.path.clone().unwrap_or_else(|| "/".into());
            let scheme = h
                .scheme
                .clone()
                .unwrap_or_else(|| "HTTP".into())
                .to_lowercase();
            if !ports.contains(&port) {
                return (
                    false,
                    format!(
                        "Get \"{scheme}://{ip}:{port}{path}\": dial tcp {ip}:{port}: connect: connection refused"
                    ),
                );
            }
            self.hits += 1;
            let fail_after = self
                .image
                .and_then(|i| i.run.server.as_ref())
                .and_then(|s| s.fail_after);
            if fail_after.is_some_and(|n| self.hits > n) {
                return (false, "HTTP probe failed with statuscode: 500".into());
            }
            return (true, String::new());
        }
        if let Some(g) = &spec.grpc {
            return self.grpc_probe(ip, g, &ports, spec.timeout_seconds);
        }
        if let Some(t) = &spec.tcp_socket {
            let port = resolve(&t.port);
            if !ports.contains(&port) {
                return (
                    false,
                    format!("dial tcp {ip}:{port}: connect: connection refused"),
                );
            }
            return (true, String::new());
        }
        (true, String::new())
    }
}

impl Ctr {
    /// A gRPC health check as pkg/probe/grpc/grpc.go (v1.34) makes it: a blocking dial, then
    /// `grpc.health.v1.Health/Check` for `service`. A port that does not listen, or that does
    /// not speak gRPC, never gets the connection ready, so the dial runs out of time.
    fn grpc_probe(
        &self,
        ip: &str,
        g: &corev1::GRPCAction,
        ports: &[i32],
        timeout_seconds: Option<i32>,
    ) -> (bool, String) {
        let addr = format!("{ip}:{}", g.port);
        let timeout = go_seconds(timeout_seconds.unwrap_or(1).max(1));
        let grpc_ports = self
            .image
            .and_then(|i| i.run.server.as_ref())
            .map(|s| s.grpc_health.clone())
            .unwrap_or_default();
        if !ports.contains(&g.port) || !grpc_ports.contains(&g.port) {
            return (
                false,
                format!(
                    "timeout: failed to connect service {} within {timeout}: context deadline exceeded",
                    machinery::validation::field::quote(&addr)
                ),
            );
        }
        match g.service.as_deref().unwrap_or_default() {
            "" => (true, "service healthy".into()),
            _ => (
                false,
                "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"
                    .into(),
            ),
        }
    }
}

/// Go's `time.Duration` text for whole seconds: `1s`, `1m30s`, `1h0m0s`.
fn go_seconds(secs: i32) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}

/// `sh`, `/bin/bash`, `ash -i`: a shell with no script to run.
fn is_bare_shell(argv: &[String]) -> bool {
    let [cmd, rest @ ..] = argv else { return false };
    let base = cmd.rsplit('/').next().unwrap_or(cmd);
    matches!(base, "sh" | "bash" | "ash") && rest.iter().all(|a| a.starts_with('-') && a != "-c")
}
