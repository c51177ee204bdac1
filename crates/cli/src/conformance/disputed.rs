//! Oracle rows whose expectation is known to differ from real upstream output.
//!
//! A disputed row is still checked: it is reported as disputed (not passed) only while
//! kubelab's output equals the recorded upstream behaviour exactly; any other result is a
//! failure. Each entry says why and where the evidence is. Fix the oracle, then delete the entry.

/// One disputed expectation.
pub struct Dispute {
    pub file: &'static str,
    /// The row's expectation, as the checker renders it.
    pub expected: &'static str,
    /// What upstream really prints, as the checker renders it.
    pub upstream: &'static str,
    pub reason: &'static str,
}

pub const DISPUTES: &[Dispute] = &[Dispute {
    file: "scheduler.jsonl",
    expected: "\"0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.\"",
    upstream: "\"0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..\"",
    reason: "[DERIVED] row; FitError.Error appends the PostFilter message as \" %v.\" and DefaultPreemption's message already ends in '.', so real events end in \"..\" (seen in FailedScheduling events from real clusters)",
}];

/// The dispute covering a failing row, if its expectation and kubelab's output both match.
pub fn find(file: &str, expected: &str, got: &str) -> Option<&'static Dispute> {
    DISPUTES
        .iter()
        .find(|d| d.file == file && d.expected == expected && d.upstream == got)
}
