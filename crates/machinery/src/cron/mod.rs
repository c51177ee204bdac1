//! Cron schedules as Kubernetes CronJobs read them.
//!
//! Mirrors robfig/cron v3 (parser.go, spec.go, constantdelay.go @bc59245), the library the
//! CronJob controller uses through `cron.ParseStandard`. [`parse_standard`] takes the 5-field
//! form; [`parse_with_seconds`] the 6-field form of robfig's tests (seconds first, day-of-week
//! optional). Both accept descriptors (`@hourly`, `@every 1h30m`) and a `TZ=`/`CRON_TZ=` prefix.

pub mod tz;

use std::fmt;

use crate::duration::parse_go_duration;
use tz::{Zone, ZonedTime};

/// Why a schedule did not parse; Display is robfig's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CronError(String);

/// A parsed schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// A field-based schedule (crontab fields or a named descriptor).
    Spec(SpecSchedule),
    /// `@every <duration>`: a fixed delay, whole seconds, at least one second.
    Every { delay_secs: i64 },
}

/// Bit sets of allowed seconds, minutes, hours, days of month, months and days of week.
///
/// Bit 63 marks a field written as `*` or `?`, which matters for the day-of-month /
/// day-of-week rule: if either is a star, both must match; otherwise either may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecSchedule {
    pub second: u64,
    pub minute: u64,
    pub hour: u64,
    pub dom: u64,
    pub month: u64,
    pub dow: u64,
    /// `None` = the zone of the time passed to [`Schedule::next`] (robfig's `time.Local`).
    pub location: Option<Zone>,
}

const STAR_BIT: u64 = 1 << 63;

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const SECONDS: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// Mirrors cron.ParseStandard: `minute hour day-of-month month day-of-week`, or a descriptor.
///
/// # Errors
/// [`CronError`] with robfig's message, e.g. `expected exactly 5 fields, found 4: [* * * *]`.
pub fn parse_standard(spec: &str) -> Result<Schedule, CronError> {
    parse(spec, false)
}

/// Mirrors robfig's test parser `Second | Minute | Hour | Dom | Month | DowOptional | Descriptor`.
///
/// # Errors
/// [`CronError`], e.g. `expected 5 to 6 fields, found 4: [* * * *]`.
pub fn parse_with_seconds(spec: &str) -> Result<Schedule, CronError> {
    parse(spec, true)
}

impl Schedule {
    /// The zone named by a `TZ=`/`CRON_TZ=` prefix, if any. Kubernetes rejects such a prefix
    /// together with `spec.timeZone`.
    pub fn time_zone(&self) -> Option<Zone> {
        match self {
            Schedule::Spec(s) => s.location,
            Schedule::Every { .. } => None,
        }
    }

    /// Mirrors Schedule.Next: the first activation strictly after `after` (whole seconds),
    /// expressed in `after`'s zone; `None` when nothing fires within five years.
    pub fn next(&self, after: ZonedTime) -> Option<ZonedTime> {
        match self {
            Schedule::Every { delay_secs } => Some(after.add_seconds(*delay_secs)),
            Schedule::Spec(s) => s.next(after),
        }
    }
}

impl SpecSchedule {
    fn next(&self, after: ZonedTime) -> Option<ZonedTime> {
        let orig = after.zone;
        let loc = self.location.unwrap_or(orig);
        let mut t = after.in_zone(loc).add_seconds(1);
        let mut added = false;
        let year_limit = t.civil().year + 5;
        'wrap: loop {
            if t.civil().year > year_limit {
                return None;
            }
            while (1u64 << t.civil().month) & self.month == 0 {
                if !added {
                    added = true;
                    let c = t.civil();
                    t = ZonedTime::from_civil(c.year, i64::from(c.month), 1, 0, 0, 0, loc);
                }
                t = t.add_date(0, 1, 0);
                if t.civil().month == 1 {
                    continue 'wrap;
                }
            }
            while !self.day_matches(&t) {
                if !added {
                    added = true;
                    let c = t.civil();
                    t = ZonedTime::from_civil(
                        c.year,
                        i64::from(c.month),
                        i64::from(c.day),
                        0,
                        0,
                        0,
                        loc,
                    );
                }
                t = t.add_date(0, 0, 1);
                // Where midnight does not exist (DST starting at 00:00), nudge back to the
                // day's start as robfig does.
                let h = i64::from(t.civil().hour);
                if h != 0 {
                    t = if h > 12 {
                        t.add_seconds((24 - h) * 3600)
                    } else {
                        t.add_seconds(-h * 3600)
                    };
                }
                if t.civil().day == 1 {
                    continue 'wrap;
                }
            }
            while (1u64 << t.civil().hour) & self.hour == 0 {
                if !added {
                    added = true;
                    let c = t.civil();
                    t = ZonedTime::from_civil(
                        c.year,
                        i64::from(c.month),
                        i64::from(c.day),
                        i64::from(c.hour),
                        0,
                        0,
                        loc,
                    );
                }
                t = t.add_seconds(3600);
                if t.civil().hour == 0 {
                    continue 'wrap;
                }
            }
            while (1u64 << t.civil().minute) & self.minute == 0 {
                if !added {
                    added = true;
                    t = ZonedTime::new(t.unix - t.unix.rem_euclid(60), loc);
                }
                t = t.add_seconds(60);
                if t.civil().minute == 0 {
                    continue 'wrap;
                }
            }
            while (1u64 << t.civil().second) & self.second == 0 {
                added = true;
                t = t.add_seconds(1);
                if t.civil().second == 0 {
                    continue 'wrap;
                }
            }
            return Some(t.in_zone(orig));
        }
    }

    fn day_matches(&self, t: &ZonedTime) -> bool {
        let c = t.civil();
        let dom_match = (1u64 << c.day) & self.dom > 0;
        let dow_match = (1u64 << c.weekday) & self.dow > 0;
        if self.dom & STAR_BIT > 0 || self.dow & STAR_BIT > 0 {
            dom_match && dow_match
        } else {
            dom_match || dow_match
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Every { delay_secs } => write!(
                f,
                "@every {}",
                crate::duration::go_duration_string(delay_secs * 1_000_000_000)
            ),
            Schedule::Spec(s) => write!(
                f,
                "sec={:x} min={:x} hour={:x} dom={:x} month={:x} dow={:x}",
                s.second, s.minute, s.hour, s.dom, s.month, s.dow
            ),
        }
    }
}

fn parse(spec: &str, with_seconds: bool) -> Result<Schedule, CronError> {
    let err = |m: String| CronError(m);
    if spec.is_empty() {
        return Err(err("empty spec string".into()));
    }
    let mut spec = spec;
    let mut location = None;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        // Upstream slices up to the first space; without one it would panic, so report it.
        let eq = spec.find('=').unwrap_or(0);
        let Some(sp) = spec.find(' ') else {
            return Err(err(format!(
                "provided bad location {}: missing schedule after time zone",
                &spec[eq + 1..]
            )));
        };
        let name = &spec[eq + 1..sp];
        location =
            Some(Zone::load(name).map_err(|e| err(format!("provided bad location {name}: {e}")))?);
        spec = spec[sp..].trim();
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec, location);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    let (min, max) = if with_seconds { (5, 6) } else { (5, 5) };
    if fields.len() < min || fields.len() > max {
        let shown = format!("[{}]", fields.join(" "));
        return Err(err(if min == max {
            format!(
                "expected exactly {min} fields, found {}: {shown}",
                fields.len()
            )
        } else {
            format!(
                "expected {min} to {max} fields, found {}: {shown}",
                fields.len()
            )
        }));
    }
    // Seconds default to 0 in the 5-field form; a missing day-of-week defaults to `*`.
    let mut all: Vec<&str> = Vec::with_capacity(6);
    if !with_seconds {
        all.push("0");
    }
    all.extend(&fields);
    if all.len() == 5 {
        all.push("*");
    }
    Ok(Schedule::Spec(SpecSchedule {
        second: get_field(all[0], &SECONDS)?,
        minute: get_field(all[1], &MINUTES)?,
        hour: get_field(all[2], &HOURS)?,
        dom: get_field(all[3], &DOM)?,
        month: get_field(all[4], &MONTHS)?,
        dow: get_field(all[5], &DOW)?,
        location,
    }))
}

fn parse_descriptor(d: &str, location: Option<Zone>) -> Result<Schedule, CronError> {
    let spec = |second, minute, hour, dom, month, dow| {
        Ok(Schedule::Spec(SpecSchedule {
            second,
            minute,
            hour,
            dom,
            month,
            dow,
            location,
        }))
    };
    let all = |b: &Bounds| get_bits(b.min, b.max, 1) | STAR_BIT;
    match d {
        "@yearly" | "@annually" => spec(1, 1, 1, 1 << 1, 1 << 1, all(&DOW)),
        "@monthly" => spec(1, 1, 1, 1 << 1, all(&MONTHS), all(&DOW)),
        "@weekly" => spec(1, 1, 1, all(&DOM), all(&MONTHS), 1),
        "@daily" | "@midnight" => spec(1, 1, 1, all(&DOM), all(&MONTHS), all(&DOW)),
        "@hourly" => spec(1, 1, all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
        _ => {
            if let Some(rest) = d.strip_prefix("@every ") {
                let nanos = parse_go_duration(rest)
                    .map_err(|e| CronError(format!("failed to parse duration {d}: {e}")))?;
                // At least one second, truncated to whole seconds.
                let secs = (nanos.max(1_000_000_000)) / 1_000_000_000;
                return Ok(Schedule::Every { delay_secs: secs });
            }
            Err(CronError(format!("unrecognized descriptor: {d}")))
        }
    }
}

/// A comma-separated list of ranges.
fn get_field(field: &str, b: &Bounds) -> Result<u64, CronError> {
    let mut bits = 0;
    for expr in field.split(',').filter(|s| !s.is_empty()) {
        bits |= get_range(expr, b)?;
    }
    Ok(bits)
}

/// `*` | `?` | number | number-number, optionally `/step`.
fn get_range(expr: &str, b: &Bounds) -> Result<u64, CronError> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end, mut extra) = if low_and_high[0] == "*" || low_and_high[0] == "?" {
        (b.min, b.max, STAR_BIT)
    } else {
        let start = parse_int_or_name(low_and_high[0], b)?;
        let end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], b)?,
            _ => return Err(CronError(format!("too many hyphens: {expr}"))),
        };
        (start, end, 0)
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            // `N/step` means `N-max/step`.
            if single {
                end = b.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(CronError(format!("too many slashes: {expr}"))),
    };
    if start < b.min {
        return Err(CronError(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        )));
    }
    if end > b.max {
        return Err(CronError(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            b.max
        )));
    }
    if start > end {
        return Err(CronError(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        )));
    }
    if step == 0 {
        return Err(CronError(format!(
            "step of range should be a positive number: {expr}"
        )));
    }
    Ok(get_bits(start, end, step) | extra)
}

fn parse_int_or_name(expr: &str, b: &Bounds) -> Result<u32, CronError> {
    let lower = expr.to_ascii_lowercase();
    if let Some((_, v)) = b.names.iter().find(|(n, _)| *n == lower) {
        return Ok(*v);
    }
    must_parse_int(expr)
}

/// Go's `strconv.Atoi` plus robfig's non-negative check, with their messages.
fn must_parse_int(expr: &str) -> Result<u32, CronError> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    let q = crate::gofmt::quote(expr);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(CronError(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {q}: invalid syntax"
        )));
    }
    let n: i64 = expr.parse().map_err(|_| {
        CronError(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {q}: value out of range"
        ))
    })?;
    if n < 0 {
        return Err(CronError(format!(
            "negative number ({n}) not allowed: {expr}"
        )));
    }
    // Anything beyond the field's range is rejected by the caller's bounds check.
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

fn get_bits(min: u32, max: u32, step: u32) -> u64 {
    let mut bits = 0;
    let mut i = min;
    while i <= max && i < 64 {
        bits |= 1 << i;
        i += step;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> ZonedTime {
        ZonedTime::from_civil(y, mo, d, h, mi, 0, Zone::Utc)
    }

    struct Case {
        name: &'static str,
        spec: &'static str,
        at: ZonedTime,
        fires: bool,
    }

    // Mirrors TestActivation in robfig/cron spec_test.go (a sample; the table runs through
    // `kubelab conformance`).
    #[test]
    fn activation() {
        let cases = [
            Case {
                name: "step",
                spec: "5/15 * * * *",
                at: utc(2012, 7, 9, 15, 20),
                fires: true,
            },
            Case {
                name: "step miss",
                spec: "0/15 * * Jun *",
                at: utc(2012, 7, 15, 15, 0),
                fires: false,
            },
            Case {
                name: "dom or dow",
                spec: "* * 1,15 * Sun",
                at: utc(2012, 6, 15, 0, 0),
                fires: true,
            },
            Case {
                name: "weekly",
                spec: "@weekly",
                at: utc(2012, 7, 8, 0, 0),
                fires: true,
            },
            Case {
                name: "names",
                spec: "30 08 ? Jul Sun",
                at: utc(2012, 7, 15, 8, 30),
                fires: true,
            },
        ];
        for c in cases {
            let s = parse_standard(c.spec).unwrap();
            assert_eq!(
                s.next(c.at.add_seconds(-1)) == Some(c.at),
                c.fires,
                "case {}",
                c.name
            );
        }
    }

    #[test]
    fn errors() {
        let cases = [
            ("", "empty spec string"),
            ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
            (
                "5 j * * *",
                "failed to parse int from j: strconv.Atoi: parsing \"j\": invalid syntax",
            ),
            (
                "@every Xm",
                "failed to parse duration @every Xm: time: invalid duration \"Xm\"",
            ),
            ("@unrecognized", "unrecognized descriptor: @unrecognized"),
            ("60 * * * *", "end of range (60) above maximum (59): 60"),
            (
                "TZ=Nowhere/City * * * * *",
                "provided bad location Nowhere/City: unknown time zone Nowhere/City",
            ),
        ];
        for (spec, want) in cases {
            assert_eq!(
                parse_standard(spec).unwrap_err().to_string(),
                want,
                "spec {spec:?}"
            );
        }
        assert_eq!(
            parse_with_seconds("* * * *").unwrap_err().to_string(),
            "expected 5 to 6 fields, found 4: [* * * *]"
        );
    }

    #[test]
    fn time_zone_prefix() {
        let s = parse_standard("CRON_TZ=America/New_York 0 9 * * *").unwrap();
        assert_eq!(
            s.time_zone().map(|z| z.to_string()),
            Some("America/New_York".to_string())
        );
        let next = s.next(utc(2012, 7, 9, 12, 0)).unwrap();
        assert_eq!(next.to_rfc3339(), "2012-07-09T13:00:00Z");
        assert_eq!(
            parse_standard("@every 90m")
                .unwrap()
                .next(utc(2012, 1, 1, 0, 0))
                .unwrap()
                .to_rfc3339(),
            "2012-01-01T01:30:00Z"
        );
    }
}
