//! Checker for `cron.jsonl`: robfig/cron activation, next-time and parse-error cases.
//!
//! Times without a zone are in the test's `time.Local`, which kubelab takes to be UTC, so a
//! schedule without `TZ=` runs in the zone of the time it is given, as upstream.

use machinery::cron::tz::{Zone, ZonedTime};
use machinery::cron::{self, Schedule};
use serde_json::Value;

use super::Outcome;
use super::util::{self, compare};

pub fn check(row: &Value) -> Outcome {
    match util::str_field(row, "kind") {
        "activation" => activation(row),
        "next" => next(row),
        "parseError" => parse_error(row),
        "parseStandard" => compare(
            Ok(()),
            cron::parse_standard(util::str_field(row, "spec"))
                .map(|_| ())
                .map_err(|e| e.to_string()),
        ),
        _ => util::unsupported(row, "unknown kind"),
    }
}

fn activation(row: &Value) -> Outcome {
    let Some(at) = parse_time(util::str_field(row, "time")) else {
        return util::unsupported(row, "unparsed time");
    };
    let sched = match cron::parse_standard(util::str_field(row, "spec")) {
        Ok(s) => s,
        Err(e) => {
            return Outcome::Fail {
                expected: "a schedule".into(),
                got: e.to_string(),
            };
        }
    };
    let want = row
        .get("expectFiresAt")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    compare(want, sched.next(at.add_seconds(-1)) == Some(at))
}

fn next(row: &Value) -> Outcome {
    let Some(from) = parse_time(util::str_field(row, "from_time")) else {
        return util::unsupported(row, "unparsed from_time");
    };
    let sched: Schedule = match cron::parse_with_seconds(util::str_field(row, "spec6")) {
        Ok(s) => s,
        Err(e) => {
            return Outcome::Fail {
                expected: "a schedule".into(),
                got: e.to_string(),
            };
        }
    };
    let want = match row.get("expectNext").and_then(Value::as_str) {
        None => None,
        Some(s) => match parse_time(s) {
            Some(t) => Some(t.unix),
            None => return util::unsupported(row, "unparsed expectNext"),
        },
    };
    let got = sched.next(from);
    compare(
        want.map(|u| ZonedTime::new(u, Zone::Utc).to_rfc3339()),
        got.map(|t| t.in_zone(Zone::Utc).to_rfc3339()),
    )
}

fn parse_error(row: &Value) -> Outcome {
    let want = util::str_field(row, "expectErrorContains");
    match cron::parse_with_seconds(util::str_field(row, "spec")) {
        Ok(_) => Outcome::Fail {
            expected: format!("error containing {want:?}"),
            got: "parsed".into(),
        },
        Err(e) if e.to_string().contains(want) => Outcome::Pass,
        Err(e) => Outcome::Fail {
            expected: format!("error containing {want:?}"),
            got: e.to_string(),
        },
    }
}

/// The layouts robfig's tests use: `Mon Jul 9 14:45 2012`, `Mon Jul 9 14:59:59 2012`,
/// `2012-03-11T00:00:00-0500`, each optionally prefixed by `TZ=<zone> `.
fn parse_time(s: &str) -> Option<ZonedTime> {
    let (zone, value) = match s.strip_prefix("TZ=") {
        Some(rest) => {
            let (name, v) = rest.split_once(' ')?;
            (Zone::load(name).ok()?, v)
        }
        None => (Zone::Utc, s),
    };
    if let Some(t) = parse_iso(value, zone) {
        return Some(t);
    }
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_, month, day, clock, year] = parts.as_slice() else {
        return None;
    };
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months.iter().position(|m| m == month)? as i64 + 1;
    let hms: Vec<i64> = clock
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (h, mi, sec) = match hms.as_slice() {
        [h, m] => (*h, *m, 0),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    Some(ZonedTime::from_civil(
        year.parse().ok()?,
        month,
        day.parse().ok()?,
        h,
        mi,
        sec,
        zone,
    ))
}

/// `2006-01-02T15:04:05-0700`; the zone is kept when its offset agrees (Go's ParseInLocation),
/// otherwise the result carries a fixed offset.
fn parse_iso(s: &str, zone: Zone) -> Option<ZonedTime> {
    if s.len() != 24 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, sec) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    let sign = match s.as_bytes()[19] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let offset = sign * (num(20..22)? * 3600 + num(22..24)? * 60);
    let unix = ZonedTime::from_civil(y, mo, d, h, mi, sec, Zone::Utc).unix - offset;
    let zone = if i64::from(zone.offset_at(unix)) == offset {
        zone
    } else {
        Zone::Fixed(offset as i32)
    };
    Some(ZonedTime::new(unix, zone))
}
