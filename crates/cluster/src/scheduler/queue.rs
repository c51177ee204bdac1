//! The scheduling queue: active pods by priority, pods backing off, unschedulable pods.
//!
//! Mirrors pkg/scheduler/backend/queue/scheduling_queue.go (v1.34): `activeQ` ordered by
//! PrioritySort (higher priority first, then earlier enqueue), a back-off of 1 s doubling to
//! 10 s per failed attempt, and `unschedulablePods` that wait for a cluster change (or for
//! 5 minutes, `podMaxInUnschedulablePodsDuration`) before they are tried again.
//!
//! Deliberate gap: every node or pod change moves all unschedulable pods (upstream asks each
//! plugin's queueing hints whether the change could help).

use std::collections::{BTreeMap, BTreeSet};

use crate::time::{SimDuration, SimTime};

/// `podInitialBackoffDuration`.
pub const INITIAL_BACKOFF: SimDuration = SimDuration::from_secs(1);
/// `podMaxBackoffDuration`.
pub const MAX_BACKOFF: SimDuration = SimDuration::from_secs(10);
/// `podMaxInUnschedulablePodsDuration`.
pub const MAX_UNSCHEDULABLE: SimDuration = SimDuration::from_secs(300);

/// A queued pod's key (`namespace/name`) and bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedPod {
    pub key: String,
    pub priority: i32,
    pub attempts: u32,
    /// When the pod entered the queue the first time (ties in priority go first-come).
    pub seq: u64,
    pub unschedulable_since: Option<SimTime>,
}

/// The three sub-queues.
#[derive(Debug, Default)]
pub struct SchedulingQueue {
    /// (−priority, seq) → key.
    active: BTreeMap<(i64, u64), String>,
    /// (ready at, seq) → key.
    backoff: BTreeSet<(SimTime, u64, String)>,
    unschedulable: BTreeMap<String, SimTime>,
    pods: BTreeMap<String, QueuedPod>,
    next_seq: u64,
}

impl SchedulingQueue {
    /// Adds or refreshes a pending pod (it goes to `active` unless it is backing off or
    /// waiting as unschedulable).
    pub fn add(&mut self, key: &str, priority: i32) {
        if let Some(p) = self.pods.get_mut(key) {
            p.priority = priority;
            return;
        }
        self.next_seq += 1;
        let p = QueuedPod {
            key: key.to_string(),
            priority,
            attempts: 0,
            seq: self.next_seq,
            unschedulable_since: None,
        };
        self.active
            .insert((-i64::from(priority), p.seq), key.to_string());
        self.pods.insert(key.to_string(), p);
    }

    /// Forgets a pod (bound, deleted).
    pub fn remove(&mut self, key: &str) {
        if let Some(p) = self.pods.remove(key) {
            self.active.remove(&(-i64::from(p.priority), p.seq));
            self.backoff.retain(|(_, _, k)| k != key);
            self.unschedulable.remove(key);
        }
    }

    /// The next pod to try, highest priority first.
    pub fn pop(&mut self) -> Option<QueuedPod> {
        let (_, key) = self.active.pop_first()?;
        let p = self.pods.get_mut(&key)?;
        p.attempts += 1;
        Some(p.clone())
    }

    /// Parks a pod that did not fit until a cluster change (or the periodic flush).
    pub fn add_unschedulable(&mut self, key: &str, now: SimTime) {
        if let Some(p) = self.pods.get_mut(key) {
            p.unschedulable_since = Some(now);
            self.unschedulable.insert(key.to_string(), now);
        }
    }

    /// Looks at a pod again in a second without counting the attempt: the VolumeBinding
    /// PreBind polls its claims every second (binder.go `BindPodVolumes`) rather than failing.
    pub fn wait_for_volumes(&mut self, key: &str, now: SimTime) {
        if let Some(p) = self.pods.get_mut(key) {
            p.attempts = p.attempts.saturating_sub(1);
            self.backoff
                .insert((now + INITIAL_BACKOFF, p.seq, key.to_string()));
        }
    }

    /// Puts a pod whose attempt failed for a transient reason back with back-off.
    pub fn add_backoff(&mut self, key: &str, now: SimTime) {
        if let Some(p) = self.pods.get(key) {
            self.backoff
                .insert((now + backoff(p.attempts), p.seq, key.to_string()));
        }
    }

    /// Mirrors MoveAllToActiveOrBackoffQueue: every unschedulable pod goes to back-off (or
    /// straight to active when its back-off already expired).
    pub fn move_all(&mut self, now: SimTime) {
        let keys: Vec<String> = self.unschedulable.keys().cloned().collect();
        for k in keys {
            self.unschedulable.remove(&k);
            if let Some(p) = self.pods.get(&k) {
                let since = p.unschedulable_since.unwrap_or(now);
                let ready = since + backoff(p.attempts);
                if ready <= now {
                    self.active.insert((-i64::from(p.priority), p.seq), k);
                } else {
                    self.backoff.insert((ready, p.seq, k));
                }
            }
        }
    }

    /// Moves pods whose back-off ended, and pods unschedulable for more than 5 minutes,
    /// to active. Returns the next instant something becomes due, if any.
    pub fn flush(&mut self, now: SimTime) -> Option<SimTime> {
        while let Some(first) = self.backoff.first().cloned() {
            if first.0 > now {
                break;
            }
            self.backoff.pop_first();
            if let Some(p) = self.pods.get(&first.2) {
                self.active.insert((-i64::from(p.priority), p.seq), first.2);
            }
        }
        let stale: Vec<String> = self
            .unschedulable
            .iter()
            .filter(|(_, since)| **since + MAX_UNSCHEDULABLE <= now)
            .map(|(k, _)| k.clone())
            .collect();
        for k in stale {
            self.unschedulable.remove(&k);
            if let Some(p) = self.pods.get(&k) {
                self.active.insert((-i64::from(p.priority), p.seq), k);
            }
        }
        self.next_due()
    }

    /// The next instant a pod's back-off ends or an unschedulable pod has waited 5 minutes.
    pub fn next_due(&self) -> Option<SimTime> {
        let next_backoff = self.backoff.first().map(|b| b.0);
        let next_flush = self
            .unschedulable
            .values()
            .map(|s| *s + MAX_UNSCHEDULABLE)
            .min();
        match (next_backoff, next_flush) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether a pod waits to be tried now.
    pub fn has_active(&self) -> bool {
        !self.active.is_empty()
    }

    /// Number of pods the queue knows.
    pub fn len(&self) -> usize {
        self.pods.len()
    }

    /// Whether the queue is empty.
    pub fn is_empty(&self) -> bool {
        self.pods.is_empty()
    }
}

/// Mirrors calculateBackoffDuration: 1 s doubled per attempt after the first, at most 10 s.
pub fn backoff(attempts: u32) -> SimDuration {
    let mut d = INITIAL_BACKOFF.as_millis();
    for _ in 1..attempts {
        d = d.saturating_mul(2);
        if d >= MAX_BACKOFF.as_millis() {
            return MAX_BACKOFF;
        }
    }
    SimDuration::from_millis(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_then_fifo() {
        let mut q = SchedulingQueue::default();
        q.add("default/low", 0);
        q.add("default/high", 1000);
        q.add("default/low2", 0);
        let order: Vec<String> = std::iter::from_fn(|| q.pop().map(|p| p.key)).collect();
        assert_eq!(order, ["default/high", "default/low", "default/low2"]);
    }

    #[test]
    fn backoff_doubles_to_ten_seconds() {
        let got: Vec<u64> = (1..=6).map(|a| backoff(a).as_millis() / 1000).collect();
        assert_eq!(got, [1, 2, 4, 8, 10, 10]);
    }
}
