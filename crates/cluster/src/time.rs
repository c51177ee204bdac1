//! Simulated time: integer milliseconds since the simulation started, and its mapping to the
//! wall timestamps objects carry.
//!
//! Nothing here reads a clock. The cluster starts at [`EPOCH_UNIX_MS`], a constant, so every
//! `creationTimestamp` is a pure function of the simulated instant.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::jiff;

/// The wall-clock instant of `SimTime::ZERO`: 2026-01-01T00:00:00Z, in Unix milliseconds.
pub const EPOCH_UNIX_MS: i64 = 1_767_225_600_000;

/// An instant of simulated time: milliseconds since the simulation started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

/// A span of simulated time in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimDuration(pub u64);

impl SimTime {
    /// The start of the simulation.
    pub const ZERO: SimTime = SimTime(0);

    /// Milliseconds since the simulation started.
    pub fn as_millis(self) -> u64 {
        self.0
    }

    /// Unix milliseconds of this instant on the simulated wall clock.
    pub fn unix_millis(self) -> i64 {
        EPOCH_UNIX_MS.saturating_add(i64::try_from(self.0).unwrap_or(i64::MAX))
    }

    /// The API timestamp (`creationTimestamp`, `lastTimestamp`…) of this instant.
    ///
    /// API timestamps have second precision on the wire; the sub-second part is kept here and
    /// dropped by serialization exactly as metav1.Time drops it.
    pub fn to_time(self) -> metav1::Time {
        let ts = jiff::Timestamp::from_millisecond(self.unix_millis())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        metav1::Time(ts)
    }

    /// The simulated instant of an API timestamp, or None before the simulation started.
    pub fn from_time(t: &metav1::Time) -> Option<SimTime> {
        let ms = t.0.as_millisecond().checked_sub(EPOCH_UNIX_MS)?;
        u64::try_from(ms).ok().map(SimTime)
    }

    /// Signed milliseconds from `t` to `self` (`self - t`), for ages computed from timestamps
    /// that may lie before the simulation or in the future.
    pub fn millis_since(self, t: &metav1::Time) -> i64 {
        self.unix_millis() - t.0.as_millisecond()
    }

    /// The later of `self` minus `d` and zero.
    pub fn saturating_sub(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_sub(d.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A span of `ms` milliseconds.
    pub const fn from_millis(ms: u64) -> SimDuration {
        SimDuration(ms)
    }

    /// A span of `s` seconds.
    pub const fn from_secs(s: u64) -> SimDuration {
        SimDuration(s.saturating_mul(1000))
    }

    /// The span in milliseconds.
    pub fn as_millis(self) -> u64 {
        self.0
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 = self.0.saturating_add(d.0);
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    /// The span between two instants, zero if `rhs` is later.
    fn sub(self, rhs: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(rhs.0))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}s", self.0 / 1000, self.0 % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        struct Case {
            name: &'static str,
            at: SimTime,
            want: &'static str,
        }
        let cases = [
            Case {
                name: "start",
                at: SimTime::ZERO,
                want: "\"2026-01-01T00:00:00Z\"",
            },
            Case {
                name: "90s",
                at: SimTime(90_500),
                want: "\"2026-01-01T00:01:30Z\"",
            },
            Case {
                name: "a day",
                at: SimTime(86_400_000),
                want: "\"2026-01-02T00:00:00Z\"",
            },
        ];
        for case in &cases {
            let got = serde_json::to_string(&case.at.to_time()).expect("serialize");
            assert_eq!(got, case.want, "case {}", case.name);
            let back = SimTime::from_time(&case.at.to_time());
            assert_eq!(back, Some(case.at), "case {}", case.name);
        }
    }

    #[test]
    fn arithmetic() {
        let t = SimTime(1_000) + SimDuration::from_secs(2);
        assert_eq!(t, SimTime(3_000));
        assert_eq!(t - SimTime(500), SimDuration(2_500));
        assert_eq!(SimTime(1) - SimTime(5), SimDuration::ZERO);
        assert_eq!(t.to_string(), "3.000s");
    }
}
