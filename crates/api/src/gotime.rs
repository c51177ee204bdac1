//! How Go's `time.Parse` rejects a timestamp, for the API server's words about a bad
//! `metav1.Time` or `metav1.MicroTime`.
//!
//! `Time.UnmarshalJSON` parses with `time.RFC3339` and `MicroTime.UnmarshalJSON` with
//! `RFC3339Micro` (apimachinery pkg/apis/meta/v1 time.go, micro_time.go, v1.34), and the JSON
//! decoder passes the `*time.ParseError` on unwrapped, so the server answers
//! `parsing time "bogus" as "2006-01-02T15:04:05Z07:00": cannot parse "bogus" as "2006"`.
//! This walks the two layouts element by element as Go's `time.parse` does (go1.24
//! src/time/format.go) and words the first failure the same way; [`normalize`] also gives
//! what Go accepts in a spelling the Rust type does not read as the same instant in a plain
//! form (`timefields` runs both over every timestamp of an object before it is decoded).

use machinery::cron::tz::{civil_from_days, days_from_civil};

/// `time.RFC3339`.
pub const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
/// apimachinery's `RFC3339Micro`.
pub const RFC3339_MICRO: &str = "2006-01-02T15:04:05.000000Z07:00";

#[derive(Clone, Copy)]
enum Elem {
    Lit(&'static str),
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Micros,
    Zone,
}

impl Elem {
    fn text(self) -> &'static str {
        match self {
            Elem::Lit(s) => s,
            Elem::Year => "2006",
            Elem::Month => "01",
            Elem::Day => "02",
            Elem::Hour => "15",
            Elem::Minute => "04",
            Elem::Second => "05",
            Elem::Micros => ".000000",
            Elem::Zone => "Z07:00",
        }
    }
}

/// What `time.Parse` read from a timestamp it accepts: the fields as written, the fraction
/// in nanoseconds and the zone offset in seconds east of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoTime {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub nanos: i64,
    pub offset_seconds: i64,
}

/// Go's error for `time.Parse(layout, value)` with `layout` one of [`RFC3339`] and
/// [`RFC3339_MICRO`], or None when Go accepts `value`.
pub fn parse_error(layout: &str, value: &str) -> Option<String> {
    parse(layout, value).err()
}

/// How Go reads a timestamp the API server stores: None when `value` can be decoded as it is
/// written, the same instant in a plain UTC form when Go accepts a spelling the Rust type
/// does not (a one-digit hour, a comma before the fraction, more than nine fractional digits,
/// an offset of 24 hours or 60 minutes), or Go's error.
///
/// A timestamp Go accepts whose instant lies past the Rust type's range (the last hours of
/// year 9999, as UTC) is refused, saying so: the real API server keeps it.
///
/// # Errors
/// `time.Parse`'s message, as the API server answers it.
pub fn normalize(layout: &str, value: &str) -> Result<Option<String>, String> {
    let t = parse(layout, value)?;
    if unix_seconds(&t).is_none_or(|s| s > LATEST_UNIX_SECONDS) {
        return Err(format!(
            "parsing time {}: the instant is later than 9999-12-30T22:00:00Z, the last one this lab can store (Kubernetes keeps it)",
            quote(value)
        ));
    }
    if is_plain(value) {
        return Ok(None);
    }
    Ok(utc_text(&t))
}

/// `time.Parse(layout, value)`, walked element by element as go1.24's `time.parse` does.
///
/// # Errors
/// The message of Go's `*time.ParseError`.
pub fn parse(layout: &str, value: &str) -> Result<GoTime, String> {
    use Elem::*;
    let micro = layout == RFC3339_MICRO;
    let mut elems = vec![Year, Lit("-"), Month, Lit("-"), Day, Lit("T"), Hour, Lit(":")];
    elems.extend([Minute, Lit(":"), Second]);
    if micro {
        elems.push(Micros);
    }
    elems.push(Zone);

    let cannot = |rest: &str, elem: &str| {
        Err(format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(value),
            quote(layout),
            quote(rest),
            quote(elem)
        ))
    };
    let out_of_range = |what: &str| Err(format!("parsing time {}: {what} out of range", quote(value)));

    let mut t = GoTime {
        year: 0,
        month: 0,
        day: 0,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset_seconds: 0,
    };
    let mut rest = value;
    for elem in elems {
        let hold = rest;
        match elem {
            Lit(lit) => match rest.strip_prefix(lit) {
                Some(r) => rest = r,
                None => return cannot(rest, lit),
            },
            Year => {
                // Four characters, the first a digit: no sign, no fifth digit.
                let first_digit = rest.as_bytes().first().is_some_and(u8::is_ascii_digit);
                let Some(y) = rest.get(..4).filter(|_| first_digit).and_then(atoi) else {
                    return cannot(hold, elem.text());
                };
                t.year = y;
                rest = &rest[4..];
            }
            Month | Day | Hour | Minute | Second => {
                // Go's getnum: two digits, or one where the layout element allows it (hour).
                let Some((n, r)) = getnum(rest, !matches!(elem, Hour)) else {
                    return cannot(hold, elem.text());
                };
                rest = r;
                let range = match elem {
                    Month if !(1..=12).contains(&n) => Some("month"),
                    Hour if n >= 24 => Some("hour"),
                    Minute if n >= 60 => Some("minute"),
                    Second if n >= 60 => Some("second"),
                    _ => None,
                };
                if let Some(what) = range {
                    return out_of_range(what);
                }
                match elem {
                    Month => t.month = n,
                    Day => t.day = n,
                    Hour => t.hour = n,
                    Minute => t.minute = n,
                    _ => t.second = n,
                }
                // A fraction after the seconds is accepted even where the layout has none.
                if matches!(elem, Second) && !micro {
                    let b = rest.as_bytes();
                    if b.len() >= 2 && matches!(b[0], b'.' | b',') && b[1].is_ascii_digit() {
                        let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                        t.nanos = nanoseconds(&rest[1..n]);
                        rest = &rest[n..];
                    }
                }
            }
            Micros => {
                let ok = rest.len() >= 7
                    && matches!(rest.as_bytes()[0], b'.' | b',')
                    && rest.get(1..7).and_then(atoi).is_some();
                if !ok {
                    return cannot(hold, elem.text());
                }
                match rest.get(1..7).and_then(atoi) {
                    Some(n) if n < 0 => return out_of_range("fractional second"),
                    Some(n) => t.nanos = n * 1000,
                    None => {}
                }
                rest = &rest[7..];
            }
            Zone => {
                if let Some(r) = rest.strip_prefix('Z') {
                    rest = r;
                    continue;
                }
                // Go checks the shape, then the ranges, then the sign.
                let b = rest.as_bytes();
                let shaped = b.len() >= 6
                    && b[3] == b':'
                    && rest.is_char_boundary(1)
                    && rest.is_char_boundary(6)
                    && getnum(&rest[1..3], true).is_some()
                    && getnum(&rest[4..6], true).is_some();
                if !shaped {
                    return cannot(hold, elem.text());
                }
                let (hh, mm) = (two(&rest[1..3]), two(&rest[4..6]));
                if hh > 24 {
                    return out_of_range("time zone offset hour");
                }
                if mm > 60 {
                    return out_of_range("time zone offset minute");
                }
                let sign = match b[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return cannot(hold, elem.text()),
                };
                t.offset_seconds = sign * (hh * 3600 + mm * 60);
                rest = &rest[6..];
            }
        }
    }
    if !rest.is_empty() {
        return Err(format!("parsing time {}: extra text: {}", quote(value), quote(rest)));
    }
    if t.day < 1 || t.day > days_in(t.month, t.year) {
        return out_of_range("day");
    }
    Ok(t)
}

/// Go's parseNanoseconds for the digits after the separator: the first nine, scaled.
fn nanoseconds(digits: &str) -> i64 {
    let kept = &digits.as_bytes()[..digits.len().min(9)];
    let n = kept.iter().fold(0i64, |n, c| n * 10 + i64::from(c - b'0'));
    n * 10i64.pow(9 - kept.len() as u32)
}

/// Whether the Rust type reads `value` (which Go accepts) as written: two-digit fields, a
/// period and at most nine digits of fraction, `Z` or an offset below 24 hours whose minutes
/// are below 60. Go's own fast path (format_rfc3339.go parseRFC3339) takes the same shape.
fn is_plain(value: &str) -> bool {
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let date_time = b.len() >= 20
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && digits(11..13)
        && digits(14..16)
        && digits(17..19)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':';
    if !date_time {
        return false;
    }
    let mut rest = &b[19..];
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&n) {
            return false;
        }
        rest = &rest[1 + n..];
    }
    match rest {
        [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            let num = |a: u8, b: u8| i64::from(a - b'0') * 10 + i64::from(b - b'0');
            [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
                && num(*h1, *h2) < 24
                && num(*m1, *m2) < 60
        }
        _ => false,
    }
}

/// The last Unix second the Rust timestamp type holds (jiff's `Timestamp::MAX`,
/// 9999-12-30T22:00:00Z: room for a civil date of year 9999 at any offset).
const LATEST_UNIX_SECONDS: i64 = 253_402_207_200;

/// The Unix seconds of a parsed time.
fn unix_seconds(t: &GoTime) -> Option<i64> {
    let (month, day) = (u32::try_from(t.month).ok()?, u32::try_from(t.day).ok()?);
    let days = days_from_civil(t.year, month, day);
    Some(days * 86_400 + t.hour * 3600 + t.minute * 60 + t.second - t.offset_seconds)
}

/// The instant of `t` as `2006-01-02T15:04:05.000000000Z`, or None outside years 0 to 9999.
fn utc_text(t: &GoTime) -> Option<String> {
    let seconds = unix_seconds(t)?;
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    (0..=9999).contains(&year).then(|| {
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:09}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            t.nanos
        )
    })
}

/// Go's getnum: a leading digit, then a second one (required when `fixed`).
fn getnum(s: &str, fixed: bool) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if !digit(0) {
        return None;
    }
    if !digit(1) {
        return (!fixed).then(|| (i64::from(b[0] - b'0'), &s[1..]));
    }
    Some((i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0'), &s[2..]))
}

fn two(s: &str) -> i64 {
    getnum(s, true).map_or(0, |(n, _)| n)
}

/// Go's time.atoi: an optional sign, then decimal digits only.
fn atoi(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n = digits.bytes().fold(0i64, |n, c| n.saturating_mul(10).saturating_add(i64::from(c - b'0')));
    Some(if neg { -n } else { n })
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Go's time.quote: double quotes, `"` and `\` escaped, bytes of non-ASCII or control
/// characters as `\xNN`.
fn quote(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        if c.is_ascii() && !c.is_ascii_control() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each message as go1.24's time.Parse words it for the layout.
    #[test]
    fn go_words_each_way_a_timestamp_fails() {
        let t = |v| parse_error(RFC3339, v);
        let m = |v| parse_error(RFC3339_MICRO, v);
        assert_eq!(t("2026-01-01T00:00:05Z"), None);
        assert_eq!(t("2026-01-01T00:00:05.5Z"), None);
        assert_eq!(t("2026-01-01T00:00:05+02:00"), None);
        assert_eq!(t("2024-02-29T00:00:00Z"), None);
        assert_eq!(
            t("bogus").as_deref(),
            Some(r#"parsing time "bogus" as "2006-01-02T15:04:05Z07:00": cannot parse "bogus" as "2006""#)
        );
        assert_eq!(
            t("").as_deref(),
            Some(r#"parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006""#)
        );
        assert_eq!(
            t("2026-01-01").as_deref(),
            Some(r#"parsing time "2026-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#)
        );
        assert_eq!(
            t("2026-1-01T00:00:00Z").as_deref(),
            Some(r#"parsing time "2026-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "1-01T00:00:00Z" as "01""#)
        );
        assert_eq!(
            t("2026-13-01T00:00:00Z").as_deref(),
            Some(r#"parsing time "2026-13-01T00:00:00Z": month out of range"#)
        );
        assert_eq!(
            t("2025-02-29T00:00:00Z").as_deref(),
            Some(r#"parsing time "2025-02-29T00:00:00Z": day out of range"#)
        );
        assert_eq!(
            t("2026-01-01T24:00:00Z").as_deref(),
            Some(r#"parsing time "2026-01-01T24:00:00Z": hour out of range"#)
        );
        assert_eq!(
            t("2026-01-01T00:00:05").as_deref(),
            Some(r#"parsing time "2026-01-01T00:00:05" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00""#)
        );
        assert_eq!(
            t("2026-01-01T00:00:05Zjunk").as_deref(),
            Some(r#"parsing time "2026-01-01T00:00:05Zjunk": extra text: "junk""#)
        );
        // What the Rust parser reads but the RFC 3339 layout does not, and back.
        assert_eq!(t("2026-01-01T00:00:05,5Z"), None);
        assert_eq!(t("2026-01-01T1:00:05Z"), None);
        assert_eq!(t("2026-01-01T00:00:05+24:00"), None);
        assert_eq!(
            t("+2026-01-01T00:00:00Z").as_deref(),
            Some(r#"parsing time "+2026-01-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "+2026-01-01T00:00:00Z" as "2006""#)
        );
        assert_eq!(
            t("2026-01-01T00:00:05+25:00").as_deref(),
            Some(r#"parsing time "2026-01-01T00:00:05+25:00": time zone offset hour out of range"#)
        );
        assert_eq!(
            t("2026-01-01T00:00:05-00:61").as_deref(),
            Some(r#"parsing time "2026-01-01T00:00:05-00:61": time zone offset minute out of range"#)
        );
        assert_eq!(
            t("2026-01-01T00:00:05 Z").as_deref(),
            Some(r#"parsing time "2026-01-01T00:00:05 Z" as "2006-01-02T15:04:05Z07:00": cannot parse " Z" as "Z07:00""#)
        );
        assert_eq!(m("2026-01-01T00:00:05.250000Z"), None);
        assert_eq!(
            m("2026-01-01T00:00:05Z").as_deref(),
            Some(r#"parsing time "2026-01-01T00:00:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000""#)
        );
        assert_eq!(
            m("2026-01-01T00:00:05.25Z").as_deref(),
            Some(r#"parsing time "2026-01-01T00:00:05.25Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".25Z" as ".000000""#)
        );
        assert_eq!(
            m("2026-01-01T00:00:05.2500000Z").as_deref(),
            Some(r#"parsing time "2026-01-01T00:00:05.2500000Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "0Z" as "Z07:00""#)
        );
        assert_eq!(
            t("é").as_deref(),
            Some(r#"parsing time "\xc3\xa9" as "2006-01-02T15:04:05Z07:00": cannot parse "\xc3\xa9" as "2006""#)
        );
    }
}
