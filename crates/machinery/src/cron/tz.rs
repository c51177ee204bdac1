//! Time zones and civil time for cron schedules, without a clock or a tz database.
//!
//! kubelab needs wall-clock arithmetic in the zone a CronJob names (`spec.timeZone`,
//! `CRON_TZ=`). Rather than embed the whole IANA database in the wasm bundle, this module knows
//! UTC, fixed offsets and a small table of common zones with their current daylight-saving
//! rules (US since 2007 and 1987–2006, EU since 1996, Australia since 2008, Brazil 2008–2019).
//! Older history is not modeled: earlier years use the oldest rule listed. Unknown names fail
//! with Go's `unknown time zone <name>`.
//!
//! Date arithmetic follows Go's `time.Date`: out-of-range fields carry over, a wall time that
//! falls in a spring-forward gap resolves to the offset in force after the gap, and an
//! ambiguous fall-back time resolves to the first (daylight) occurrence.

use std::fmt;

const DAY: i64 = 86_400;

/// A time zone: UTC, a fixed offset, or one of the named zones kubelab knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Utc,
    /// Seconds east of UTC.
    Fixed(i32),
    Named(&'static NamedZone),
}

/// A named zone: its standard offset and daylight-saving rule.
#[derive(Debug, PartialEq, Eq)]
pub struct NamedZone {
    pub name: &'static str,
    /// Standard offset, seconds east of UTC.
    pub std_offset: i32,
    rule: Rule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    None,
    /// United States: +1h from the 2nd Sunday of March to the 1st Sunday of November at 02:00
    /// local (1987–2006: 1st Sunday of April to last Sunday of October).
    Us,
    /// European Union: +1h from the last Sunday of March to the last Sunday of October at 01:00 UTC.
    Eu,
    /// South-east Australia: +1h from the 1st Sunday of October (02:00 standard) to the
    /// 1st Sunday of April (03:00 daylight).
    AuSouth,
    /// Brazil (São Paulo) 2008–2019: +1h from the 3rd Sunday of October (2018: 1st Sunday of
    /// November) to the 3rd Sunday of February (4th in the carnival years 2012 and 2015), both
    /// at local midnight. No daylight saving since 2019.
    Brazil,
}

const H: i32 = 3600;

macro_rules! zones {
    ($($name:literal => $off:expr, $rule:ident;)*) => {
        static ZONES: &[NamedZone] = &[$(NamedZone { name: $name, std_offset: $off, rule: Rule::$rule }),*];
    };
}

zones! {
    "America/New_York" => -5 * H, Us;
    "America/Detroit" => -5 * H, Us;
    "America/Toronto" => -5 * H, Us;
    "US/Eastern" => -5 * H, Us;
    "America/Chicago" => -6 * H, Us;
    "US/Central" => -6 * H, Us;
    "America/Denver" => -7 * H, Us;
    "US/Mountain" => -7 * H, Us;
    "America/Phoenix" => -7 * H, None;
    "America/Los_Angeles" => -8 * H, Us;
    "US/Pacific" => -8 * H, Us;
    "America/Vancouver" => -8 * H, Us;
    "America/Anchorage" => -9 * H, Us;
    "Pacific/Honolulu" => -10 * H, None;
    "America/Sao_Paulo" => -3 * H, Brazil;
    "America/Argentina/Buenos_Aires" => -3 * H, None;
    "America/Mexico_City" => -6 * H, None;
    "Europe/London" => 0, Eu;
    "Europe/Dublin" => 0, Eu;
    "Europe/Lisbon" => 0, Eu;
    "Europe/Berlin" => H, Eu;
    "Europe/Paris" => H, Eu;
    "Europe/Madrid" => H, Eu;
    "Europe/Rome" => H, Eu;
    "Europe/Amsterdam" => H, Eu;
    "Europe/Brussels" => H, Eu;
    "Europe/Vienna" => H, Eu;
    "Europe/Zurich" => H, Eu;
    "Europe/Stockholm" => H, Eu;
    "Europe/Oslo" => H, Eu;
    "Europe/Copenhagen" => H, Eu;
    "Europe/Warsaw" => H, Eu;
    "Europe/Prague" => H, Eu;
    "Europe/Budapest" => H, Eu;
    "Europe/Athens" => 2 * H, Eu;
    "Europe/Helsinki" => 2 * H, Eu;
    "Europe/Kiev" => 2 * H, Eu;
    "Europe/Kyiv" => 2 * H, Eu;
    "Europe/Bucharest" => 2 * H, Eu;
    "Europe/Istanbul" => 3 * H, None;
    "Europe/Moscow" => 3 * H, None;
    "Africa/Cairo" => 2 * H, None;
    "Africa/Johannesburg" => 2 * H, None;
    "Africa/Lagos" => H, None;
    "Asia/Dubai" => 4 * H, None;
    "Asia/Karachi" => 5 * H, None;
    "Asia/Kolkata" => 5 * H + 30 * 60, None;
    "Asia/Calcutta" => 5 * H + 30 * 60, None;
    "Asia/Bangkok" => 7 * H, None;
    "Asia/Jakarta" => 7 * H, None;
    "Asia/Shanghai" => 8 * H, None;
    "Asia/Hong_Kong" => 8 * H, None;
    "Asia/Singapore" => 8 * H, None;
    "Asia/Taipei" => 8 * H, None;
    "Asia/Tokyo" => 9 * H, None;
    "Asia/Seoul" => 9 * H, None;
    "Australia/Brisbane" => 10 * H, None;
    "Australia/Sydney" => 10 * H, AuSouth;
    "Australia/Melbourne" => 10 * H, AuSouth;
    "Pacific/Auckland" => 12 * H, None;
}

/// Why a zone name is unknown; Display is Go's `time.LoadLocation` text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0}")]
pub struct UnknownZoneError(pub String);

impl Zone {
    /// Mirrors `time.LoadLocation` for the zones kubelab knows. `""`, `UTC` and `Local` are UTC
    /// (the simulated cluster runs on UTC).
    ///
    /// # Errors
    /// [`UnknownZoneError`] for other names.
    pub fn load(name: &str) -> Result<Zone, UnknownZoneError> {
        match name {
            "" | "UTC" | "Etc/UTC" | "GMT" | "Etc/GMT" | "Local" => Ok(Zone::Utc),
            _ => ZONES
                .iter()
                .find(|z| z.name == name)
                .map(Zone::Named)
                .ok_or_else(|| UnknownZoneError(name.to_string())),
        }
    }

    /// The offset in force at `unix` (seconds east of UTC).
    pub fn offset_at(&self, unix: i64) -> i32 {
        self.lookup(unix).0
    }

    /// `(offset, start, end)`: the offset at `unix` and the span `[start, end)` it holds for.
    fn lookup(&self, unix: i64) -> (i32, i64, i64) {
        let z = match self {
            Zone::Utc => return (0, i64::MIN, i64::MAX),
            Zone::Fixed(o) => return (*o, i64::MIN, i64::MAX),
            Zone::Named(z) => z,
        };
        let year = civil_from_days((unix + i64::from(z.std_offset)).div_euclid(DAY)).0;
        let mut transitions: Vec<(i64, i32)> = Vec::new();
        for y in year - 1..=year + 1 {
            transitions.extend(z.transitions(y));
        }
        transitions.sort_unstable();
        let mut offset = match transitions.first() {
            Some(&(_, after)) if after != z.std_offset => z.std_offset,
            Some(_) => z.std_offset + H,
            None => return (z.std_offset, i64::MIN, i64::MAX),
        };
        let mut start = i64::MIN;
        for &(at, after) in &transitions {
            if at > unix {
                return (offset, start, at);
            }
            offset = after;
            start = at;
        }
        (offset, start, i64::MAX)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Utc => f.write_str("UTC"),
            Zone::Fixed(o) => write!(f, "{}", format_offset(*o)),
            Zone::Named(z) => f.write_str(z.name),
        }
    }
}

impl NamedZone {
    /// This year's transitions as `(UTC instant, offset after)`.
    fn transitions(&self, year: i64) -> Vec<(i64, i32)> {
        let std = i64::from(self.std_offset);
        let dst = std + i64::from(H);
        let dst_off = self.std_offset + H;
        let at = |month, day, local_secs: i64, offset: i64| {
            days_from_civil(year, month, day) * DAY + local_secs - offset
        };
        match self.rule {
            Rule::None => Vec::new(),
            Rule::Us => {
                let (start, end) = if year >= 2007 {
                    (nth_sunday(year, 3, 2), nth_sunday(year, 11, 1))
                } else {
                    (nth_sunday(year, 4, 1), last_sunday(year, 10))
                };
                vec![
                    (at(start.0, start.1, 2 * 3600, std), dst_off),
                    (at(end.0, end.1, 2 * 3600, dst), self.std_offset),
                ]
            }
            Rule::Eu => {
                let s = last_sunday(year, 3);
                let e = last_sunday(year, 10);
                vec![
                    (at(s.0, s.1, 3600, 0), dst_off),
                    (at(e.0, e.1, 3600, 0), self.std_offset),
                ]
            }
            Rule::AuSouth => {
                let e = nth_sunday(year, 4, 1);
                let s = nth_sunday(year, 10, 1);
                vec![
                    (at(e.0, e.1, 3 * 3600, dst), self.std_offset),
                    (at(s.0, s.1, 2 * 3600, std), dst_off),
                ]
            }
            Rule::Brazil => {
                let mut v = Vec::new();
                if (2008..=2019).contains(&year) {
                    let e = nth_sunday(year, 2, if year == 2012 || year == 2015 { 4 } else { 3 });
                    v.push((at(e.0, e.1, 0, dst), self.std_offset));
                }
                if (2008..=2018).contains(&year) {
                    let s = if year == 2018 {
                        nth_sunday(year, 11, 1)
                    } else {
                        nth_sunday(year, 10, 3)
                    };
                    v.push((at(s.0, s.1, 0, std), dst_off));
                }
                v
            }
        }
    }
}

/// An instant (whole seconds since the Unix epoch) seen in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZonedTime {
    pub unix: i64,
    pub zone: Zone,
}

/// Calendar fields of a [`ZonedTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Sunday.
    pub weekday: u32,
    /// Seconds east of UTC.
    pub offset: i32,
}

impl ZonedTime {
    pub fn new(unix: i64, zone: Zone) -> ZonedTime {
        ZonedTime { unix, zone }
    }

    /// Mirrors `time.Date(y, mo, d, h, mi, s, 0, zone)`, with Go's normalisation.
    pub fn from_civil(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        minute: i64,
        second: i64,
        zone: Zone,
    ) -> ZonedTime {
        let m0 = month - 1;
        let y = year + m0.div_euclid(12);
        let m = m0.rem_euclid(12) + 1;
        let wall =
            (days_from_civil(y, m as u32, 1) + day - 1) * DAY + hour * 3600 + minute * 60 + second;
        let (offset, start, end) = zone.lookup(wall);
        let mut unix = wall - i64::from(offset);
        if offset != 0 && (unix < start || unix >= end) {
            unix = wall - i64::from(zone.lookup(unix).0);
        }
        ZonedTime { unix, zone }
    }

    /// The same instant in another zone.
    pub fn in_zone(self, zone: Zone) -> ZonedTime {
        ZonedTime {
            unix: self.unix,
            zone,
        }
    }

    pub fn civil(&self) -> Civil {
        let offset = self.zone.offset_at(self.unix);
        let local = self.unix + i64::from(offset);
        let days = local.div_euclid(DAY);
        let secs = local.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs / 60 % 60) as u32,
            second: (secs % 60) as u32,
            weekday: (days + 4).rem_euclid(7) as u32,
            offset,
        }
    }

    /// Adds whole seconds.
    pub fn add_seconds(self, s: i64) -> ZonedTime {
        ZonedTime {
            unix: self.unix + s,
            zone: self.zone,
        }
    }

    /// Mirrors `AddDate`: calendar arithmetic on the wall clock.
    pub fn add_date(self, years: i64, months: i64, days: i64) -> ZonedTime {
        let c = self.civil();
        ZonedTime::from_civil(
            c.year + years,
            i64::from(c.month) + months,
            i64::from(c.day) + days,
            i64::from(c.hour),
            i64::from(c.minute),
            i64::from(c.second),
            self.zone,
        )
    }

    /// RFC 3339 with a numeric offset, e.g. `2012-03-11T03:00:00-04:00`.
    pub fn to_rfc3339(&self) -> String {
        let c = self.civil();
        let off = if c.offset == 0 {
            "Z".to_string()
        } else {
            format_offset(c.offset)
        };
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{off}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn format_offset(o: i32) -> String {
    let sign = if o < 0 { '-' } else { '+' };
    let a = o.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 3600, a / 60 % 60)
}

/// `(month, day)` of the n-th Sunday of a month.
fn nth_sunday(year: i64, month: u32, n: u32) -> (u32, u32) {
    let first = days_from_civil(year, month, 1);
    let wd = (first + 4).rem_euclid(7) as u32;
    (month, 1 + (7 - wd) % 7 + 7 * (n - 1))
}

/// `(month, day)` of the last Sunday of a month.
fn last_sunday(year: i64, month: u32) -> (u32, u32) {
    let next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month + 1, 1)
    };
    let last = next - 1;
    let wd = (last + 4).rem_euclid(7);
    let (_, m, d) = civil_from_days(last - wd);
    (m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        zone: &'static str,
        civil: (i64, i64, i64, i64, i64),
        want: &'static str,
    }

    #[test]
    fn wall_clock_resolution() {
        let cases = [
            Case {
                name: "winter",
                zone: "America/New_York",
                civil: (2012, 1, 15, 12, 0),
                want: "2012-01-15T12:00:00-05:00",
            },
            Case {
                name: "summer",
                zone: "America/New_York",
                civil: (2012, 7, 15, 12, 0),
                want: "2012-07-15T12:00:00-04:00",
            },
            // Go resolves a time in the spring-forward gap with the offset after the gap.
            Case {
                name: "gap",
                zone: "America/New_York",
                civil: (2012, 3, 11, 2, 30),
                want: "2012-03-11T01:30:00-05:00",
            },
            // And an ambiguous fall-back time to the first (daylight) occurrence.
            Case {
                name: "overlap",
                zone: "America/New_York",
                civil: (2012, 11, 4, 1, 30),
                want: "2012-11-04T01:30:00-04:00",
            },
            Case {
                name: "eu summer",
                zone: "Europe/Berlin",
                civil: (2024, 6, 1, 0, 0),
                want: "2024-06-01T00:00:00+02:00",
            },
            Case {
                name: "brazil 2018",
                zone: "America/Sao_Paulo",
                civil: (2018, 11, 10, 9, 0),
                want: "2018-11-10T09:00:00-02:00",
            },
            Case {
                name: "month carry",
                zone: "UTC",
                civil: (2012, 13, 32, 0, 0),
                want: "2013-02-01T00:00:00Z",
            },
        ];
        for c in cases {
            let z = Zone::load(c.zone).unwrap();
            let (y, mo, d, h, mi) = c.civil;
            assert_eq!(
                ZonedTime::from_civil(y, mo, d, h, mi, 0, z).to_rfc3339(),
                c.want,
                "case {}",
                c.name
            );
        }
    }

    #[test]
    fn calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(15_340), (2012, 1, 1));
        assert_eq!(ZonedTime::new(0, Zone::Utc).civil().weekday, 4);
        assert_eq!(
            Zone::load("Mars/Olympus").unwrap_err().to_string(),
            "unknown time zone Mars/Olympus"
        );
    }
}
