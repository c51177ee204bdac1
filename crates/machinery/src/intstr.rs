//! Int-or-string values (`maxSurge: 25%`, `targetPort: http`).
//!
//! Mirrors pkg/util/intstr/intstr.go @kubernetes-1.34.0.

use std::fmt;

/// Either an integer or a string; percentages are strings ending in `%`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IntOrString {
    Int(i32),
    String(String),
}

impl IntOrString {
    /// Mirrors IntValue: the integer, or the string parsed as one (0 when it is not).
    pub fn int_value(&self) -> i32 {
        match self {
            IntOrString::Int(i) => *i,
            IntOrString::String(s) => s.parse().unwrap_or(0),
        }
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::String(s) => f.write_str(s),
        }
    }
}

impl From<i32> for IntOrString {
    fn from(i: i32) -> Self {
        IntOrString::Int(i)
    }
}

impl From<&str> for IntOrString {
    fn from(s: &str) -> Self {
        IntOrString::String(s.to_string())
    }
}

/// Mirrors GetScaledValueFromIntOrPercent: an int as is, or `p%` of `total`, rounded up
/// (`ceil`) or down (`floor`). Upstream computes in float64; so does this.
///
/// # Errors
/// `invalid value for IntOrString: invalid type: string is not a percentage` for a string
/// without `%`, or `invalid value for IntOrString: invalid value "x%": strconv.Atoi: …`.
pub fn get_scaled_value_from_int_or_percent(
    v: &IntOrString,
    total: i32,
    round_up: bool,
) -> Result<i32, String> {
    let wrap = |e: String| format!("invalid value for IntOrString: {e}");
    match v {
        IntOrString::Int(i) => Ok(*i),
        IntOrString::String(s) => {
            let Some(num) = s.strip_suffix('%') else {
                return Err(wrap("invalid type: string is not a percentage".into()));
            };
            let p = go_atoi(num)
                .map_err(|e| wrap(format!("invalid value {}: {e}", crate::gofmt::quote(s))))?;
            let scaled = f64::from(p) * f64::from(total) / 100.0;
            Ok(if round_up {
                scaled.ceil()
            } else {
                scaled.floor()
            } as i32)
        }
    }
}

/// Mirrors intstr.ValueOrDefault.
pub fn value_or_default(v: Option<&IntOrString>, default: IntOrString) -> IntOrString {
    v.cloned().unwrap_or(default)
}

/// Go's `strconv.Atoi` with its error text (for the int-sized inputs kubelab sees).
fn go_atoi(s: &str) -> Result<i32, String> {
    let q = crate::gofmt::quote(s);
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {q}: invalid syntax"));
    }
    s.parse::<i64>()
        .ok()
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| format!("strconv.Atoi: parsing {q}: value out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        value: IntOrString,
        total: i32,
        round_up: bool,
        want: Result<i32, &'static str>,
    }

    // Mirrors TestGetScaledValueFromIntOrPercent in pkg/util/intstr/intstr_test.go @kubernetes-1.34.0.
    #[test]
    fn scaled_values() {
        let cases = [
            Case {
                name: "int",
                value: 1.into(),
                total: 0,
                round_up: false,
                want: Ok(1),
            },
            Case {
                name: "percent",
                value: "90%".into(),
                total: 100,
                round_up: true,
                want: Ok(90),
            },
            Case {
                name: "ceil",
                value: "90%".into(),
                total: 95,
                round_up: true,
                want: Ok(86),
            },
            Case {
                name: "floor",
                value: "90%".into(),
                total: 95,
                round_up: false,
                want: Ok(85),
            },
            Case {
                name: "empty",
                value: "%".into(),
                total: 0,
                round_up: false,
                want: Err(
                    "invalid value for IntOrString: invalid value \"%\": strconv.Atoi: parsing \"\": invalid syntax",
                ),
            },
            Case {
                name: "no percent",
                value: "90".into(),
                total: 0,
                round_up: false,
                want: Err(
                    "invalid value for IntOrString: invalid type: string is not a percentage",
                ),
            },
        ];
        for c in cases {
            let got = get_scaled_value_from_int_or_percent(&c.value, c.total, c.round_up);
            assert_eq!(got, c.want.map_err(str::to_string), "case {}", c.name);
        }
    }
}
