//! How Go's `time.Parse` rejects a timestamp, for the API server's words about a bad
//! `metav1.Time` or `metav1.MicroTime`.
//!
//! `Time.UnmarshalJSON` parses with `time.RFC3339` and `MicroTime.UnmarshalJSON` with
//! `RFC3339Micro` (apimachinery pkg/apis/meta/v1 time.go, micro_time.go, v1.34), and the JSON
//! decoder passes the `*time.ParseError` on unwrapped, so the server answers
//! `parsing time "bogus" as "2006-01-02T15:04:05Z07:00": cannot parse "bogus" as "2006"`.
//! This walks the two layouts element by element as Go's `time.parse` does (go1.24
//! src/time/format.go) and words the first failure the same way.

/// `time.RFC3339`.
pub const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
/// apimachinery's `RFC3339Micro`.
pub const RFC3339_MICRO: &str = "2006-01-02T15:04:05.000000Z07:00";

/// The JSON names of the v1.34 API's `MicroTime` fields (Event `eventTime`, EventSeries
/// `lastObservedTime`, Lease `acquireTime`/`renewTime`); every other timestamp is a `Time`.
const MICRO_TIME_FIELDS: [&str; 4] = ["eventTime", "lastObservedTime", "acquireTime", "renewTime"];

/// The layout Go parses the field at `path` (a dotted JSON path) with, when its last
/// segment names a timestamp field of the API.
pub fn layout_of_field(path: &str) -> Option<&'static str> {
    let last = path.rsplit('.').next()?.split('[').next()?;
    if MICRO_TIME_FIELDS.contains(&last) {
        return Some(RFC3339_MICRO);
    }
    let is_time = last.ends_with("Time")
        || last.ends_with("Timestamp")
        || last.ends_with("At")
        || matches!(last, "time" | "timeAdded");
    is_time.then_some(RFC3339)
}

/// The first `MicroTime` of an object of `kind` that Go would not parse, with its path and
/// Go's error. Checked before decoding: the Rust type takes any number of fractional digits,
/// where `RFC3339Micro` wants exactly six.
pub fn micro_time_error(kind: &str, value: &serde_json::Value) -> Option<(String, String)> {
    let paths: &[&str] = match kind {
        "Lease" => &["spec.acquireTime", "spec.renewTime"],
        "Event" => &["eventTime", "series.lastObservedTime"],
        _ => return None,
    };
    paths.iter().find_map(|path| {
        let text = path
            .split('.')
            .try_fold(value, |v, key| v.get(key))?
            .as_str()?;
        parse_error(RFC3339_MICRO, text).map(|message| ((*path).to_string(), message))
    })
}

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

/// Go's error for `time.Parse(layout, value)` with `layout` one of [`RFC3339`] and
/// [`RFC3339_MICRO`], or None when Go accepts `value`.
pub fn parse_error(layout: &str, value: &str) -> Option<String> {
    use Elem::*;
    let micro = layout == RFC3339_MICRO;
    let mut elems = vec![Year, Lit("-"), Month, Lit("-"), Day, Lit("T"), Hour, Lit(":")];
    elems.extend([Minute, Lit(":"), Second]);
    if micro {
        elems.push(Micros);
    }
    elems.push(Zone);

    let cannot = |rest: &str, elem: &str| {
        Some(format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(value),
            quote(layout),
            quote(rest),
            quote(elem)
        ))
    };
    let out_of_range = |what: &str| Some(format!("parsing time {}: {what} out of range", quote(value)));

    let (mut year, mut month, mut day) = (0i64, 0i64, 0i64);
    let mut rest = value;
    for elem in elems {
        let hold = rest;
        match elem {
            Lit(lit) => match rest.strip_prefix(lit) {
                Some(r) => rest = r,
                None => return cannot(rest, lit),
            },
            Year => {
                let Some(y) = rest.get(..4).and_then(atoi) else {
                    return cannot(hold, elem.text());
                };
                year = y;
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
                    Month => month = n,
                    Day => day = n,
                    _ => {}
                }
                // A fraction after the seconds is accepted even where the layout has none.
                if matches!(elem, Second) && !micro {
                    let b = rest.as_bytes();
                    if b.len() >= 2 && matches!(b[0], b'.' | b',') && b[1].is_ascii_digit() {
                        let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
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
                if rest.get(1..7).and_then(atoi).is_some_and(|n| n < 0) {
                    return out_of_range("fractional second");
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
                if !matches!(b[0], b'+' | b'-') {
                    return cannot(hold, elem.text());
                }
                rest = &rest[6..];
            }
        }
    }
    if !rest.is_empty() {
        return Some(format!("parsing time {}: extra text: {}", quote(value), quote(rest)));
    }
    if day < 1 || day > days_in(month, year) {
        return out_of_range("day");
    }
    None
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

    #[test]
    fn fields_name_their_layout() {
        assert_eq!(layout_of_field("spec.renewTime"), Some(RFC3339_MICRO));
        assert_eq!(layout_of_field("series.lastObservedTime"), Some(RFC3339_MICRO));
        assert_eq!(layout_of_field("metadata.creationTimestamp"), Some(RFC3339));
        assert_eq!(
            layout_of_field("status.containerStatuses[0].state.running.startedAt"),
            Some(RFC3339)
        );
        assert_eq!(layout_of_field("spec.containers[0].image"), None);
    }
}
