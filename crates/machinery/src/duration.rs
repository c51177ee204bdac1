//! Human-readable durations (the AGE column) and Go duration strings.
//!
//! Mirrors pkg/util/duration/duration.go @kubernetes-1.34.0 (`HumanDuration`,
//! `ShortHumanDuration`) and Go's `time.ParseDuration` / `Duration.String`. Durations are
//! plain integer nanoseconds so the code never touches a clock.

use crate::gofmt::quote;

const SECOND: i64 = 1_000_000_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;

/// Mirrors HumanDuration: about 2–3 significant figures (`70s`, `3m10s`, `2d1h`, `2y1d`).
///
/// Up to a second and a bit in the past prints `0s` (clock skew); earlier is `<invalid>`.
pub fn human_duration(nanos: i64) -> String {
    let seconds = nanos / SECOND;
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = nanos / MINUTE;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = nanos / HOUR;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{}h", hours / 24, h)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{}d", hours / 24 / 365, dy)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// Mirrors ShortHumanDuration: one unit only (`1m`, `3h`, `8d`, `2y`).
pub fn short_human_duration(nanos: i64) -> String {
    let seconds = nanos / SECOND;
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = nanos / MINUTE;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    let hours = nanos / HOUR;
    if hours < 24 {
        return format!("{hours}h");
    }
    if hours < 24 * 365 {
        return format!("{}d", hours / 24);
    }
    format!("{}y", hours / 24 / 365)
}

/// [`human_duration`] for a span in milliseconds (kubelab's `SimTime` unit).
pub fn human_duration_ms(ms: i64) -> String {
    human_duration(ms.saturating_mul(1_000_000))
}

/// [`short_human_duration`] for a span in milliseconds.
pub fn short_human_duration_ms(ms: i64) -> String {
    short_human_duration(ms.saturating_mul(1_000_000))
}

/// Why a Go duration string did not parse; Display is Go's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DurationError(String);

/// Mirrors Go's `time.ParseDuration`: `300ms`, `-1.5h`, `2h45m`; returns nanoseconds.
///
/// # Errors
/// Go's messages, e.g. `time: invalid duration "Xm"`, `time: missing unit in duration "1"`.
pub fn parse_go_duration(s: &str) -> Result<i64, DurationError> {
    let invalid = || DurationError(format!("time: invalid duration {}", quote(s)));
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if let Some(&c) = b.first()
        && (c == b'-' || c == b'+')
    {
        neg = c == b'-';
        i = 1;
    }
    if &s[i..] == "0" {
        return Ok(0);
    }
    if i >= b.len() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while i < b.len() {
        // The number: integer part, then an optional fraction.
        if !(b[i] == b'.' || b[i].is_ascii_digit()) {
            return Err(invalid());
        }
        let start = i;
        let mut whole: u64 = 0;
        let mut overflow = false;
        while i < b.len() && b[i].is_ascii_digit() {
            match whole
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b[i] - b'0')))
            {
                Some(v) => whole = v,
                None => overflow = true,
            }
            i += 1;
        }
        if overflow {
            return Err(invalid());
        }
        let had_whole = i > start;
        let mut frac: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut had_frac = false;
        if i < b.len() && b[i] == b'.' {
            i += 1;
            let fs = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if frac < (1 << 60) / 10 {
                    frac = frac * 10 + u64::from(b[i] - b'0');
                    scale *= 10.0;
                }
                i += 1;
            }
            had_frac = i > fs;
        }
        if !had_whole && !had_frac {
            return Err(invalid());
        }
        let us = i;
        while i < b.len() && b[i] != b'.' && !b[i].is_ascii_digit() {
            i += 1;
        }
        if us == i {
            return Err(DurationError(format!(
                "time: missing unit in duration {}",
                quote(s)
            )));
        }
        let unit_str = &s[us..i];
        let unit: u64 = match unit_str {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(DurationError(format!(
                    "time: unknown unit {} in duration {}",
                    quote(unit_str),
                    quote(s)
                )));
            }
        };
        let mut v = whole.checked_mul(unit).ok_or_else(invalid)?;
        if frac > 0 {
            v = v
                .checked_add((frac as f64 * (unit as f64 / scale)) as u64)
                .ok_or_else(invalid)?;
        }
        total = total.checked_add(v).ok_or_else(invalid)?;
        if total > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((total as i64).wrapping_neg());
    }
    if total > i64::MAX as u64 {
        return Err(invalid());
    }
    Ok(total as i64)
}

/// Mirrors Go's `Duration.String` for whole-second and larger spans (`1h30m0s`, `5m0s`,
/// `1.5s`, `300ms`).
pub fn go_duration_string(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let neg = nanos < 0;
    let u = nanos.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    if u < 1_000_000_000 {
        let (unit, div) = if u < 1_000 {
            ("ns", 1)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        return format!("{sign}{}{unit}", fmt_frac(u, div));
    }
    let h = u / 3_600_000_000_000;
    let m = (u / 60_000_000_000) % 60;
    let s_ns = u % 60_000_000_000;
    let secs = format!("{}s", fmt_frac(s_ns, 1_000_000_000));
    if h > 0 {
        format!("{sign}{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{sign}{m}m{secs}")
    } else {
        format!("{sign}{secs}")
    }
}

/// `v / div` with the fraction's trailing zeros trimmed, as Go prints durations.
fn fmt_frac(v: u64, div: u64) -> String {
    let whole = v / div;
    let frac = v % div;
    if frac == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let f = format!("{frac:0width$}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        nanos: i64,
        human: &'static str,
        short: &'static str,
    }

    fn check(case: &Case) {
        assert_eq!(
            human_duration(case.nanos),
            case.human,
            "case {} human",
            case.name
        );
        assert_eq!(
            short_human_duration(case.nanos),
            case.short,
            "case {} short",
            case.name
        );
    }

    // Mirrors TestHumanDuration and TestShortHumanDuration in
    // pkg/util/duration/duration_test.go @kubernetes-1.34.0 (a sample).
    #[test]
    fn human() {
        let cases = [
            Case {
                name: "70s",
                nanos: 70 * SECOND,
                human: "70s",
                short: "1m",
            },
            Case {
                name: "190s",
                nanos: 190 * SECOND,
                human: "3m10s",
                short: "3m",
            },
            Case {
                name: "negative",
                nanos: -2 * SECOND,
                human: "<invalid>",
                short: "<invalid>",
            },
            Case {
                name: "skew",
                nanos: -2 * SECOND + 1,
                human: "0s",
                short: "0s",
            },
            Case {
                name: "2d1h",
                nanos: 49 * HOUR,
                human: "2d1h",
                short: "2d",
            },
            Case {
                name: "2y1d",
                nanos: (365 * 2 * 24 + 25) * HOUR,
                human: "2y1d",
                short: "2y",
            },
            Case {
                name: "8y",
                nanos: (365 * 8 * 24 + 2) * HOUR,
                human: "8y",
                short: "8y",
            },
            Case {
                name: "364d",
                nanos: 365 * 24 * HOUR - 1_000_000,
                human: "364d",
                short: "364d",
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("5m"), Ok(5 * MINUTE));
        assert_eq!(parse_go_duration("1h30m"), Ok(90 * MINUTE));
        assert_eq!(parse_go_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(
            parse_go_duration("Xm").unwrap_err().to_string(),
            "time: invalid duration \"Xm\""
        );
        assert_eq!(
            parse_go_duration("1").unwrap_err().to_string(),
            "time: missing unit in duration \"1\""
        );
        assert_eq!(
            parse_go_duration("1x").unwrap_err().to_string(),
            "time: unknown unit \"x\" in duration \"1x\""
        );
        assert_eq!(go_duration_string(90 * MINUTE), "1h30m0s");
        assert_eq!(go_duration_string(1_500_000_000), "1.5s");
        assert_eq!(go_duration_string(300_000_000), "300ms");
    }
}
