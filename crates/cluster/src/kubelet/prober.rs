//! Probe workers: when each probe runs and when its result flips.
//!
//! Mirrors pkg/kubelet/prober/worker.go (v1.34): a worker ticks every `periodSeconds` from a
//! random offset within the first period; ticks before `initialDelaySeconds` since the
//! container started are skipped; the result changes only after `failureThreshold`
//! consecutive failures or `successThreshold` consecutive successes. Initial results:
//! readiness Failure, liveness Success, startup Unknown.

use k8s_openapi::api::core::v1 as corev1;

use crate::time::{SimDuration, SimTime};

/// Which probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

/// What one attempt did to the probe's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeResult {
    Success,
    Failure,
    Unchanged,
}

/// One container probe's schedule and counters.
#[derive(Debug, Clone)]
pub struct ProbeWorker {
    pub kind: ProbeKind,
    pub spec: corev1::Probe,
    period: SimDuration,
    next: SimTime,
    successes: i32,
    failures: i32,
    last: Option<bool>,
    stopped: bool,
}

impl ProbeWorker {
    /// A worker whose first tick is a random fraction of the period after `now`.
    pub fn new(
        kind: ProbeKind,
        spec: corev1::Probe,
        now: SimTime,
        jitter: &mut impl FnMut(u32) -> u32,
    ) -> ProbeWorker {
        let period = SimDuration::from_secs(spec.period_seconds.unwrap_or(10).max(1) as u64);
        let offset = SimDuration::from_millis(u64::from(jitter(
            period.as_millis().min(u64::from(u32::MAX)) as u32,
        )));
        ProbeWorker {
            kind,
            spec,
            period,
            next: now + offset,
            successes: 0,
            failures: 0,
            last: None,
            stopped: false,
        }
    }

    /// Clears the counters for a new container instance.
    pub fn reset(&mut self) {
        self.successes = 0;
        self.failures = 0;
        self.last = None;
        self.stopped = false;
    }

    /// Stops probing until the container restarts.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// The next tick, unless stopped.
    pub fn next_at(&self) -> Option<SimTime> {
        (!self.stopped).then_some(self.next)
    }

    /// Skips ticks up to `now` (probe gated by startup).
    pub fn skip_until(&mut self, now: SimTime) {
        while self.next <= now {
            self.next += self.period;
        }
    }

    /// The next due tick at or before `now` past the initial delay, consuming it.
    pub fn due(&mut self, now: SimTime, started: SimTime) -> Option<SimTime> {
        if self.stopped {
            return None;
        }
        let delay =
            SimDuration::from_secs(self.spec.initial_delay_seconds.unwrap_or(0).max(0) as u64);
        while self.next <= now {
            let at = self.next;
            self.next += self.period;
            if at - started >= delay && at >= started {
                return Some(at);
            }
        }
        None
    }

    /// Records an attempt; returns the flip, if any.
    pub fn record(&mut self, ok: bool) -> ProbeResult {
        let success_threshold = self.spec.success_threshold.unwrap_or(1).max(1);
        let failure_threshold = self.spec.failure_threshold.unwrap_or(3).max(1);
        if ok {
            self.failures = 0;
            self.successes += 1;
            if self.successes >= success_threshold && self.last != Some(true) {
                self.last = Some(true);
                return ProbeResult::Success;
            }
        } else {
            self.successes = 0;
            self.failures += 1;
            if self.failures >= failure_threshold && self.last != Some(false) {
                self.last = Some(false);
                // Liveness and startup start over after a kill.
                if self.kind != ProbeKind::Readiness {
                    self.failures = 0;
                }
                return ProbeResult::Failure;
            }
        }
        ProbeResult::Unchanged
    }
}
