//! Resource quantities (`500m`, `128Mi`, `1e3`) with upstream's parsing, canonical form,
//! rounding and overflow behaviour.
//!
//! Mirrors pkg/api/resource/{quantity.go,amount.go,suffix.go,scale_int.go} @kubernetes-1.34.0.
//! Like upstream, a quantity is either a fast `int64 × 10^scale` amount or an exact decimal
//! (here a small big integer plus a scale). Which one a value uses matters: `value()` and
//! `milli_value()` overflow differently on each, and kubelab reproduces both.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::bigint::BigInt;

/// How a quantity prints: the family of its suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `e3`, `E-6`.
    DecimalExponent,
    /// `Ki`, `Mi`, … (powers of 1024).
    BinarySI,
    /// `n`, `u`, `m`, ``, `k`, `M`, …
    DecimalSI,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::DecimalExponent => "DecimalExponent",
            Format::BinarySI => "BinarySI",
            Format::DecimalSI => "DecimalSI",
        })
    }
}

/// Why a string is not a quantity; the texts are upstream's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )]
    FormatWrong,
    #[error("unable to parse quantity's numeric part")]
    Numeric,
    #[error("unable to parse quantity's suffix")]
    Suffix,
}

/// A fixed-point number with a format, e.g. `500m` CPU or `128Mi` memory.
///
/// Equality and ordering compare the numeric value only (`1Gi == 1024Mi`), as upstream `Cmp`.
#[derive(Debug, Clone)]
pub struct Quantity {
    amount: Amount,
    format: Format,
    /// The canonical text when it is known to equal the input (upstream caches it).
    cached: Option<String>,
}

#[derive(Debug, Clone)]
enum Amount {
    /// `value × 10^scale`.
    Int { value: i64, scale: i32 },
    /// `unscaled × 10^-scale` (inf.Dec's convention: scale counts decimal places).
    Dec { unscaled: BigInt, scale: i32 },
}

const NANO: i32 = -9;
/// Digits an int64 can always hold; longer numbers take the exact path.
const MAX_INT64_FACTORS: i32 = 18;

impl Quantity {
    /// Parses a quantity string as upstream `ParseQuantity` (no surrounding whitespace).
    ///
    /// # Errors
    /// [`QuantityError`] with upstream's message.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        parse_quantity(s)
    }

    /// Mirrors NewQuantity: an integer value.
    pub fn from_value(value: i64, format: Format) -> Quantity {
        Quantity {
            amount: Amount::Int { value, scale: 0 },
            format,
            cached: None,
        }
    }

    /// Mirrors NewMilliQuantity: a value in thousandths.
    pub fn from_milli(milli: i64, format: Format) -> Quantity {
        Quantity {
            amount: Amount::Int {
                value: milli,
                scale: -3,
            },
            format,
            cached: None,
        }
    }

    /// Mirrors NewScaledQuantity: `value × 10^scale`.
    pub fn from_scaled(value: i64, scale: i32) -> Quantity {
        Quantity {
            amount: Amount::Int { value, scale },
            format: Format::DecimalSI,
            cached: None,
        }
    }

    /// A zero quantity that prints as `0`.
    pub fn zero() -> Quantity {
        Quantity::from_value(0, Format::DecimalSI)
    }

    /// The format chosen from the input suffix (or by the constructor).
    pub fn format(&self) -> Format {
        self.format
    }

    /// True when the value is zero.
    pub fn is_zero(&self) -> bool {
        match &self.amount {
            Amount::Int { value, .. } => *value == 0,
            Amount::Dec { unscaled, .. } => unscaled.is_zero(),
        }
    }

    /// -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        match &self.amount {
            Amount::Int { value, .. } => value.signum() as i32,
            Amount::Dec { unscaled, .. } if unscaled.is_zero() => 0,
            Amount::Dec { unscaled, .. } => {
                if unscaled.is_negative() {
                    -1
                } else {
                    1
                }
            }
        }
    }

    /// The value rounded up to an integer (`100m` → 1). Mirrors `Value()`, including its
    /// wrap-around for values beyond int64.
    pub fn value(&self) -> i64 {
        self.scaled_value(0)
    }

    /// The value in thousandths, rounded up. Mirrors `MilliValue()`.
    pub fn milli_value(&self) -> i64 {
        self.scaled_value(-3)
    }

    /// The value in units of 10^scale, rounded up. Mirrors `ScaledValue`.
    pub fn scaled_value(&self, scale: i32) -> i64 {
        match &self.amount {
            Amount::Int { value, scale: s } => int_as_scaled_i64(*value, *s, scale).0,
            Amount::Dec { unscaled, scale: s } => dec_scaled_value(unscaled, *s, -scale),
        }
    }

    /// An approximation as f64, for scoring and display only.
    pub fn as_approximate_f64(&self) -> f64 {
        match &self.amount {
            Amount::Int { value, scale } => *value as f64 * 10f64.powi(*scale),
            Amount::Dec { unscaled, scale } => {
                let digits: f64 = unscaled.magnitude_string().parse().unwrap_or(f64::MAX);
                let v = digits * 10f64.powi(-*scale);
                if unscaled.is_negative() { -v } else { v }
            }
        }
    }

    /// Adds `y` in place. Mirrors `Quantity.Add`: a zero receiver takes `y`'s format.
    pub fn add(&mut self, y: &Quantity) {
        self.cached = None;
        if let (
            Amount::Int {
                value: a,
                scale: sa,
            },
            Amount::Int {
                value: b,
                scale: sb,
            },
        ) = (&self.amount, &y.amount)
        {
            if *a == 0 {
                self.format = y.format;
            }
            if let Some((v, s)) = int_add(*a, *sa, *b, *sb) {
                self.amount = Amount::Int { value: v, scale: s };
                return;
            }
        } else if self.is_zero() {
            self.format = y.format;
        }
        let (ua, sa) = self.as_dec();
        let (ub, sb) = y.as_dec();
        self.amount = dec_add(&ua, sa, &ub, sb);
    }

    /// Subtracts `y` in place. Mirrors `Quantity.Sub`.
    pub fn sub(&mut self, y: &Quantity) {
        self.cached = None;
        if self.is_zero() {
            self.format = y.format;
        }
        if let (
            Amount::Int {
                value: a,
                scale: sa,
            },
            Amount::Int {
                value: b,
                scale: sb,
            },
        ) = (&self.amount, &y.amount)
            && let Some((v, s)) = int_add(*a, *sa, b.wrapping_neg(), *sb)
        {
            self.amount = Amount::Int { value: v, scale: s };
            return;
        }
        let (ua, sa) = self.as_dec();
        let (ub, sb) = y.as_dec();
        self.amount = dec_add(&ua, sa, &ub.negated(), sb);
    }

    /// Negates in place. Mirrors `Quantity.Neg`.
    pub fn neg(&mut self) {
        self.cached = None;
        self.amount = match &self.amount {
            Amount::Int { value, scale } => Amount::Int {
                value: value.wrapping_neg(),
                scale: *scale,
            },
            Amount::Dec { unscaled, scale } => Amount::Dec {
                unscaled: unscaled.clone().negated(),
                scale: *scale,
            },
        };
    }

    /// The exact value as `(unscaled, inf scale)`.
    fn as_dec(&self) -> (BigInt, i32) {
        match &self.amount {
            Amount::Int { value, scale } => (BigInt::from_i64(*value), -*scale),
            Amount::Dec { unscaled, scale } => (unscaled.clone(), *scale),
        }
    }

    /// Mirrors CanonicalizeBytes: the number and the suffix of the canonical form.
    fn canonicalize(&self) -> (String, String) {
        if self.is_zero() {
            return ("0".to_string(), String::new());
        }
        let mut format = self.format;
        let mut rounded: Option<Amount> = None;
        if format == Format::BinarySI {
            let small =
                self.cmp_i64(-1024) == Ordering::Greater && self.cmp_i64(1024) == Ordering::Less;
            if small {
                format = Format::DecimalSI;
            } else {
                let (r, exact) = self.as_scale0();
                if exact {
                    rounded = Some(r);
                } else {
                    format = Format::DecimalSI;
                }
            }
        }
        match (format, rounded) {
            (Format::BinarySI, Some(r)) => {
                let (number, exponent) = canonical_base1024(&r);
                (number, binary_suffix(exponent * 10))
            }
            _ => {
                let (number, exponent) = canonical_base10(&self.amount);
                (number, decimal_suffix(exponent, format))
            }
        }
    }

    fn cmp_i64(&self, y: i64) -> Ordering {
        self.cmp(&Quantity::from_value(y, Format::DecimalSI))
    }

    /// Mirrors AsScale(0): rounds away from zero to an integer, reporting exactness.
    fn as_scale0(&self) -> (Amount, bool) {
        match &self.amount {
            Amount::Int { value, scale } if *scale >= 0 => (
                Amount::Int {
                    value: *value,
                    scale: *scale,
                },
                true,
            ),
            Amount::Int { value, scale } => {
                let (v, exact) = negative_scale_i64(*value, (-*scale) as u32);
                (Amount::Int { value: v, scale: 0 }, exact)
            }
            Amount::Dec { unscaled, scale } => {
                let (r, exact) = dec_round_up(unscaled, *scale, 0);
                (
                    Amount::Dec {
                        unscaled: r,
                        scale: 0,
                    },
                    exact,
                )
            }
        }
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.cached {
            return f.write_str(s);
        }
        let (number, suffix) = self.canonicalize();
        write!(f, "{number}{suffix}")
    }
}

impl Quantity {
    /// The value as Go's `%#v` prints a `resource.Quantity`: what a validation error shows
    /// for a bad quantity (field.Invalid dereferences the pointer, and a plain Quantity has
    /// no String method). An exact (inf.Dec) amount shows a placeholder pointer, as upstream
    /// shows an address.
    pub fn go_syntax(&self) -> String {
        let (int, dec) = match &self.amount {
            Amount::Int { value, scale } => (format!("value:{value}, scale:{scale}"), "nil"),
            Amount::Dec { .. } => ("value:0, scale:0".to_string(), "0xc000000000"),
        };
        let cached = self.cached.as_deref().unwrap_or("");
        format!(
            "resource.Quantity{{i:resource.int64Amount{{{int}}}, \
             d:resource.infDecAmount{{Dec:(*inf.Dec)({dec})}}, s:{cached:?}, Format:{:?}}}",
            self.format.to_string()
        )
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    /// Mirrors `Cmp`: an exact numeric comparison.
    fn cmp(&self, other: &Self) -> Ordering {
        if let (
            Amount::Int {
                value: a,
                scale: sa,
            },
            Amount::Int {
                value: b,
                scale: sb,
            },
        ) = (&self.amount, &other.amount)
            && sa == sb
        {
            return a.cmp(b);
        }
        let (ua, sa) = self.as_dec();
        let (ub, sb) = other.as_dec();
        let (a, b) = align(&ua, sa, &ub, sb);
        a.cmp(&b)
    }
}

impl std::ops::Add for &Quantity {
    type Output = Quantity;
    fn add(self, rhs: &Quantity) -> Quantity {
        let mut q = self.clone();
        Quantity::add(&mut q, rhs);
        q
    }
}

impl std::ops::Sub for &Quantity {
    type Output = Quantity;
    fn sub(self, rhs: &Quantity) -> Quantity {
        let mut q = self.clone();
        Quantity::sub(&mut q, rhs);
        q
    }
}

fn parse_quantity(s: &str) -> Result<Quantity, QuantityError> {
    if s.is_empty() {
        return Err(QuantityError::FormatWrong);
    }
    if s == "0" {
        return Ok(Quantity {
            amount: Amount::Int { value: 0, scale: 0 },
            format: Format::DecimalSI,
            cached: Some(s.into()),
        });
    }
    let parts = split_quantity(s)?;
    let (base, exponent, format) = interpret_suffix(parts.suffix).ok_or(QuantityError::Suffix)?;

    let (mut scale, precision, mantissa) = match format {
        Format::DecimalExponent | Format::DecimalSI => (
            exponent,
            MAX_INT64_FACTORS - (parts.num.len() + parts.denom.len()) as i32,
            1i64,
        ),
        Format::BinarySI => {
            if exponent >= 0 && parts.denom.is_empty() {
                // About 3 decimal digits per 10 binary ones; keep the fast path well in range.
                let precision =
                    15 - parts.num.len() as i32 - (exponent as f32 * 3.0 / 10.0) as i32 - 1;
                (0, precision, 1i64 << exponent.min(62))
            } else {
                (0, -1, 1)
            }
        }
    };

    if precision >= 0 {
        scale -= parts.denom.len() as i32;
        if scale >= NANO {
            // Most quantities are whole numbers (`100m`, `64Mi`): their digits need no copy.
            let joined;
            let shifted = if parts.denom.is_empty() {
                parts.num
            } else {
                joined = format!("{}{}", parts.num, parts.denom);
                joined.as_str()
            };
            let value: i64 = shifted.parse().map_err(|_| QuantityError::Numeric)?;
            if let Some(mut result) = int64_multiply(value, mantissa) {
                if !parts.positive {
                    result = result.wrapping_neg();
                }
                let reuse = match format {
                    Format::BinarySI => exponent % 10 == 0 && value & 0x07 != 0,
                    _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
                };
                return Ok(Quantity {
                    amount: Amount::Int {
                        value: result,
                        scale,
                    },
                    format,
                    cached: reuse.then(|| s.to_string()),
                });
            }
        }
    }

    // The exact path: parse the decimal, apply the suffix, round up to nano precision.
    let (mut unscaled, mut dscale) = parse_decimal(parts.value).ok_or(QuantityError::Numeric)?;
    if base == 10 {
        dscale -= exponent;
    } else {
        unscaled.shl(exponent as u32);
    }
    let negative = unscaled.is_negative();
    unscaled = unscaled.abs();
    if !unscaled.is_zero() {
        let (r, _) = dec_round_up(&unscaled, dscale, -NANO);
        unscaled = r;
        dscale = -NANO;
    }
    let mut format = format;
    if format == Format::BinarySI {
        let max = BigInt::from_i64(i64::MAX);
        let (a, m) = align(&unscaled, dscale, &max, 0);
        if a > m {
            unscaled = max;
            dscale = 0;
        }
        let (a, one) = align(&unscaled, dscale, &BigInt::from_i64(1), 0);
        if a < one && !a.is_zero() {
            format = Format::DecimalSI;
        }
    }
    if negative {
        unscaled = unscaled.negated();
    }
    Ok(Quantity {
        amount: Amount::Dec {
            unscaled,
            scale: dscale,
        },
        format,
        cached: None,
    })
}

struct Parts<'a> {
    positive: bool,
    /// Sign, digits and point as written, for the exact path.
    value: &'a str,
    /// Integer digits without leading zeros ("0" when there are none).
    num: &'a str,
    /// Fraction digits.
    denom: &'a str,
    suffix: &'a str,
}

/// Mirrors parseQuantityString: splits sign, number, fraction and suffix.
fn split_quantity(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(Parts {
            positive,
            value: "0",
            num: "0",
            denom: "",
            suffix: "",
        });
    }
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = &s[num_start..pos];
    if pos >= end {
        return Ok(Parts {
            positive,
            value: s,
            num,
            denom: "",
            suffix: "",
        });
    }
    if num.is_empty() {
        num = "0";
    }
    let mut denom = "";
    if b[pos] == b'.' {
        pos += 1;
        let d_start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[d_start..pos];
        if pos >= end {
            return Ok(Parts {
                positive,
                value: s,
                num,
                denom,
                suffix: "",
            });
        }
    }
    let value = &s[..pos];
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && matches!(b[pos], b'-' | b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::FormatWrong);
    }
    Ok(Parts {
        positive,
        value,
        num,
        denom,
        suffix: &s[suffix_start..],
    })
}

/// Mirrors suffixer.interpret: `(base, exponent, format)`.
fn interpret_suffix(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ if suffix.len() > 1 && (suffix.starts_with('e') || suffix.starts_with('E')) => {
            // Upstream parses an int64 and then truncates it to int32.
            let e: i64 = suffix[1..].parse().ok()?;
            Some((10, e as i32, Format::DecimalExponent))
        }
        _ => None,
    }
}

fn decimal_suffix(exponent: i32, format: Format) -> String {
    match format {
        Format::DecimalExponent => {
            if exponent == 0 {
                String::new()
            } else {
                format!("e{exponent}")
            }
        }
        // Upstream ignores a missing suffix, so an exponent beyond `E` prints bare.
        _ => match exponent {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => "",
        }
        .to_string(),
    }
}

fn binary_suffix(exponent: i32) -> String {
    match exponent {
        10 => "Ki",
        20 => "Mi",
        30 => "Gi",
        40 => "Ti",
        50 => "Pi",
        60 => "Ei",
        _ => "",
    }
    .to_string()
}

/// Parses `[+-]digits[.digits]` (either side may be empty, but not both) as inf.Dec does.
fn parse_decimal(s: &str) -> Option<(BigInt, i32)> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let digits = format!("{int}{frac}");
    let mut u = BigInt::parse_digits(&digits)?;
    if neg {
        u = u.negated();
    }
    Some((u, frac.len() as i32))
}

/// Brings two decimals to a common scale so their unscaled values compare directly.
fn align(a: &BigInt, sa: i32, b: &BigInt, sb: i32) -> (BigInt, BigInt) {
    let (mut a, mut b) = (a.clone(), b.clone());
    match sa.cmp(&sb) {
        Ordering::Less => a.mul_pow10((sb - sa) as u32),
        Ordering::Greater => b.mul_pow10((sa - sb) as u32),
        Ordering::Equal => {}
    }
    (a, b)
}

fn dec_add(a: &BigInt, sa: i32, b: &BigInt, sb: i32) -> Amount {
    let (x, y) = align(a, sa, b, sb);
    Amount::Dec {
        unscaled: x.add(&y),
        scale: sa.max(sb),
    }
}

/// Rounds `unscaled × 10^-scale` away from zero to `new_scale` decimal places.
fn dec_round_up(unscaled: &BigInt, scale: i32, new_scale: i32) -> (BigInt, bool) {
    if scale <= new_scale {
        let mut u = unscaled.clone();
        u.mul_pow10((new_scale - scale) as u32);
        return (u, true);
    }
    let (q, inexact) = unscaled.div_pow10((scale - new_scale) as u32);
    if !inexact {
        return (q, true);
    }
    let one = BigInt::from_i64(if unscaled.is_negative() { -1 } else { 1 });
    (q.add(&one), false)
}

/// Mirrors scaledValue in scale_int.go, including its int64 wrap-around.
fn dec_scaled_value(unscaled: &BigInt, scale: i32, new_scale: i32) -> i64 {
    let dif = scale - new_scale;
    if dif == 0 {
        return unscaled.go_int64();
    }
    if dif < 0 {
        return unscaled
            .go_int64()
            .wrapping_mul(go_pow10_i64((-dif) as u32));
    }
    if *unscaled < BigInt::from_i64(i64::MAX) && dif < 19 {
        let divide = 10i64.pow(dif as u32);
        let v = unscaled.go_int64();
        let (result, m) = (v / divide, v % divide);
        return if m != 0 {
            result.wrapping_add(1)
        } else {
            result
        };
    }
    // Euclidean division, as big.Int.DivMod: the quotient is floored for negatives.
    let (mut q, inexact) = unscaled.div_pow10(dif as u32);
    if inexact && unscaled.is_negative() {
        q = q.add(&BigInt::from_i64(-1));
    }
    if inexact {
        q.go_int64().wrapping_add(1)
    } else {
        q.go_int64()
    }
}

/// Go's `int64(math.Pow10(n))`; beyond 10^18 the float conversion saturates to MinInt64 on amd64.
fn go_pow10_i64(n: u32) -> i64 {
    if n <= 18 { 10i64.pow(n) } else { i64::MIN }
}

/// Mirrors int64Amount.AsScaledInt64: `(value, ok)`. When scaling up overflows, upstream
/// returns the wrapped product for the common scales (10^1,2,3,6,9) and 0 otherwise; callers
/// of `Value()` see that value either way.
fn int_as_scaled_i64(value: i64, scale: i32, new_scale: i32) -> (i64, bool) {
    if scale < new_scale {
        (
            negative_scale_i64(value, (new_scale - scale) as u32).0,
            true,
        )
    } else {
        positive_scale_i64(value, (scale - new_scale) as u32)
    }
}

/// Mirrors positiveScaleInt64: multiplies by 10^n.
fn positive_scale_i64(value: i64, n: u32) -> (i64, bool) {
    match n {
        0 => (value, true),
        1 | 2 | 3 | 6 | 9 => multiply_scale(value, 10i64.pow(n)),
        _ => {
            let mut v = value;
            for _ in 0..n {
                match multiply_scale(v, 10) {
                    (next, true) => v = next,
                    _ => return (0, false),
                }
            }
            (v, true)
        }
    }
}

/// Mirrors int64MultiplyScale: the wrapped product and whether it is exact.
fn multiply_scale(a: i64, b: i64) -> (i64, bool) {
    if a == 0 || a == 1 {
        return (a * b, true);
    }
    if a == i64::MIN && b != 1 {
        return (0, false);
    }
    let c = a.wrapping_mul(b);
    (c, c / b == a)
}

/// Divides by 10^n rounding away from zero; reports exactness (negativeScaleInt64).
fn negative_scale_i64(base: i64, n: u32) -> (i64, bool) {
    if n == 0 {
        return (base, true);
    }
    let mut value = base;
    let mut fraction = false;
    for _ in 0..n {
        if !fraction && value % 10 != 0 {
            fraction = true;
        }
        value /= 10;
        if value == 0 {
            if fraction {
                return (if base > 0 { 1 } else { -1 }, false);
            }
            return (0, true);
        }
    }
    if fraction {
        value = if base > 0 { value + 1 } else { value - 1 };
    }
    (value, !fraction)
}

/// Mirrors int64Multiply: fails on overflow and on MinInt64 operands.
fn int64_multiply(a: i64, b: i64) -> Option<i64> {
    if a == 0 || b == 0 || a == 1 || b == 1 {
        return Some(a.wrapping_mul(b));
    }
    if a == i64::MIN || b == i64::MIN {
        return None;
    }
    a.checked_mul(b)
}

/// Mirrors int64Amount.Add: `(value, scale)` or `None` when it would overflow.
fn int_add(a: i64, sa: i32, b: i64, sb: i32) -> Option<(i64, i32)> {
    if b == 0 {
        return Some((a, sa));
    }
    if a == 0 {
        return Some((b, sb));
    }
    match sa.cmp(&sb) {
        Ordering::Equal => Some((a.checked_add(b)?, sa)),
        Ordering::Greater => Some((scaled_exact(a, sa - sb)?.checked_add(b)?, sb)),
        Ordering::Less => Some((a.checked_add(scaled_exact(b, sb - sa)?)?, sa)),
    }
}

fn scaled_exact(v: i64, n: i32) -> Option<i64> {
    match positive_scale_i64(v, n as u32) {
        (r, true) => Some(r),
        _ => None,
    }
}

/// Mirrors AsCanonicalBytes: the mantissa and a multiple-of-3 decimal exponent.
fn canonical_base10(amount: &Amount) -> (String, i32) {
    if let Amount::Int { value, scale } = amount {
        let (mut m, times) = remove_i64_factors(*value, 10);
        let mut exponent = scale + times;
        let fits = match exponent % 3 {
            1 | -2 => int64_multiply(m, 10).map(|v| {
                m = v;
                exponent -= 1;
            }),
            2 | -1 => int64_multiply(m, 100).map(|v| {
                m = v;
                exponent -= 2;
            }),
            _ => Some(()),
        };
        if fits.is_some() {
            return (m.to_string(), exponent);
        }
    }
    let (unscaled, scale) = match amount {
        Amount::Int { value, scale } => (BigInt::from_i64(*value), -*scale),
        Amount::Dec { unscaled, scale } => (unscaled.clone(), *scale),
    };
    let (mut m, times) = unscaled.remove_factors(10);
    let mut exponent = -scale + times;
    while exponent % 3 != 0 {
        m.mul_pow10(1);
        exponent -= 1;
    }
    (m.to_string(), exponent)
}

/// Mirrors AsCanonicalBase1024Bytes on an integral amount.
fn canonical_base1024(amount: &Amount) -> (String, i32) {
    if let Amount::Int { value, scale } = amount
        && let (v, true) = int_as_scaled_i64(*value, *scale, 0)
    {
        let (m, times) = remove_i64_factors(v, 1024);
        return (m.to_string(), times);
    }
    let (unscaled, scale) = match amount {
        Amount::Int { value, scale } => (BigInt::from_i64(*value), -*scale),
        Amount::Dec { unscaled, scale } => (unscaled.clone(), *scale),
    };
    let (r, _) = dec_round_up(&unscaled, scale, 0);
    let (m, times) = r.remove_factors(1024);
    (m.to_string(), times)
}

fn remove_i64_factors(value: i64, base: i64) -> (i64, i32) {
    let negative = value < 0;
    let mut r = value.wrapping_abs();
    let mut times = 0;
    while r >= base && r % base == 0 {
        times += 1;
        r /= base;
    }
    (if negative { -r } else { r }, times)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_syntax_prints_the_struct_with_the_cached_text() {
        let q = Quantity::parse("-1").unwrap();
        assert_eq!(
            q.go_syntax(),
            "resource.Quantity{i:resource.int64Amount{value:-1, scale:0}, \
             d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"-1\", Format:\"DecimalSI\"}"
        );
        let q = Quantity::parse("-0.5").unwrap();
        assert_eq!(
            q.go_syntax(),
            "resource.Quantity{i:resource.int64Amount{value:-5, scale:-1}, \
             d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"\", Format:\"DecimalSI\"}"
        );
    }

    struct Case {
        name: &'static str,
        input: &'static str,
        canonical: &'static str,
        format: Format,
        value: i64,
        milli: i64,
    }

    fn check(case: &Case) {
        let q = Quantity::parse(case.input).unwrap_or_else(|e| panic!("case {}: {e}", case.name));
        assert_eq!(
            q.to_string(),
            case.canonical,
            "case {} canonical",
            case.name
        );
        assert_eq!(q.format(), case.format, "case {} format", case.name);
        assert_eq!(q.value(), case.value, "case {} value", case.name);
        assert_eq!(q.milli_value(), case.milli, "case {} milli", case.name);
    }

    // Mirrors TestQuantityParse and TestQuantityString in pkg/api/resource/quantity_test.go
    // @kubernetes-1.34.0 (a sample; all rows run through `kubelab conformance`).
    #[test]
    fn parse_and_print() {
        use Format::*;
        let cases = [
            Case {
                name: "binary",
                input: "1024Mi",
                canonical: "1Gi",
                format: BinarySI,
                value: 1 << 30,
                milli: 1000 << 30,
            },
            Case {
                name: "fraction",
                input: "1.5",
                canonical: "1500m",
                format: DecimalSI,
                value: 2,
                milli: 1500,
            },
            Case {
                name: "cached",
                input: "1.",
                canonical: "1.",
                format: DecimalSI,
                value: 1,
                milli: 1000,
            },
            Case {
                name: "binary fraction",
                input: "0.05Gi",
                canonical: "53687091200m",
                format: BinarySI,
                value: 53687092,
                milli: 53687091200,
            },
            Case {
                name: "tiny binary",
                input: ".000000000001Ki",
                canonical: "2n",
                format: DecimalSI,
                value: 1,
                milli: 1,
            },
            Case {
                name: "exponent",
                input: "1e14",
                canonical: "100e12",
                format: DecimalExponent,
                value: 100_000_000_000_000,
                milli: 100_000_000_000_000_000,
            },
            Case {
                name: "saturate",
                input: "9Ei",
                canonical: "9223372036854775807",
                format: BinarySI,
                value: i64::MAX,
                milli: -1000,
            },
            Case {
                name: "overflow milli",
                input: "3Ei",
                canonical: "3Ei",
                format: BinarySI,
                value: 3 << 60,
                milli: i64::MIN,
            },
            Case {
                name: "wrap",
                input: "-9999999999999999999",
                canonical: "-9999999999999999999",
                format: DecimalSI,
                value: -4477988018,
                milli: -4477988019392,
            },
            Case {
                name: "int overflow",
                input: "12E",
                canonical: "12E",
                format: DecimalSI,
                value: 0,
                milli: 0,
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn errors() {
        let cases = [
            ("", QuantityError::FormatWrong),
            ("1.1.M", QuantityError::FormatWrong),
            ("1 ", QuantityError::FormatWrong),
            ("0.1mi", QuantityError::Suffix),
            ("1K", QuantityError::Suffix),
        ];
        for (input, want) in cases {
            assert_eq!(Quantity::parse(input).unwrap_err(), want, "input {input:?}");
        }
    }

    #[test]
    fn arithmetic_and_order() {
        let mut q = Quantity::parse("100m").unwrap();
        q.add(&Quantity::parse("1").unwrap());
        assert_eq!(q.to_string(), "1100m");
        q.sub(&Quantity::parse("1100m").unwrap());
        assert!(q.is_zero());
        assert!(Quantity::parse("1Gi").unwrap() == Quantity::parse("1024Mi").unwrap());
        assert!(Quantity::parse("50m").unwrap() < Quantity::parse("100m").unwrap());
        assert_eq!(
            Quantity::from_milli(1500, Format::DecimalSI).to_string(),
            "1500m"
        );
        assert_eq!(
            Quantity::from_value(1 << 20, Format::BinarySI).to_string(),
            "1Mi"
        );
    }
}
