//! A small signed arbitrary-precision integer, just enough for `Quantity`'s slow path.
//!
//! Upstream keeps large quantities in `inf.Dec` (a `big.Int` plus a scale). kubelab only needs
//! parsing, scaling by powers of two and ten, division by powers of ten, comparison, addition
//! and Go's `Int64()` truncation, so it carries its own instead of a dependency.

use std::cmp::Ordering;

/// Sign and magnitude; the magnitude is little-endian base 2^32 with no trailing zero limbs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct BigInt {
    neg: bool,
    mag: Vec<u32>,
}

impl BigInt {
    pub(crate) fn zero() -> BigInt {
        BigInt::default()
    }

    pub(crate) fn from_i64(v: i64) -> BigInt {
        let mut b = BigInt::from_u64(v.unsigned_abs());
        b.neg = v < 0 && !b.mag.is_empty();
        b
    }

    pub(crate) fn from_u64(v: u64) -> BigInt {
        let mut b = BigInt {
            neg: false,
            mag: vec![v as u32, (v >> 32) as u32],
        };
        b.trim();
        b
    }

    /// Parses a non-empty run of ASCII digits.
    pub(crate) fn parse_digits(s: &str) -> Option<BigInt> {
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut b = BigInt::zero();
        for chunk in s.as_bytes().chunks(9) {
            let mut v = 0u32;
            for c in chunk {
                v = v * 10 + u32::from(c - b'0');
            }
            b.mul_small(10u32.pow(chunk.len() as u32));
            b.add_small(v);
        }
        Some(b)
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.mag.is_empty()
    }

    pub(crate) fn is_negative(&self) -> bool {
        self.neg
    }

    pub(crate) fn negated(mut self) -> BigInt {
        if !self.mag.is_empty() {
            self.neg = !self.neg;
        }
        self
    }

    pub(crate) fn abs(mut self) -> BigInt {
        self.neg = false;
        self
    }

    /// Multiplies by 10^k.
    pub(crate) fn mul_pow10(&mut self, mut k: u32) {
        while k >= 9 {
            self.mul_small(1_000_000_000);
            k -= 9;
        }
        if k > 0 {
            self.mul_small(10u32.pow(k));
        }
    }

    /// Multiplies by 2^k.
    pub(crate) fn shl(&mut self, k: u32) {
        if self.mag.is_empty() {
            return;
        }
        let limbs = (k / 32) as usize;
        let bits = k % 32;
        if bits > 0 {
            let mut carry = 0u32;
            for l in &mut self.mag {
                let v = (u64::from(*l) << bits) | u64::from(carry);
                *l = v as u32;
                carry = (v >> 32) as u32;
            }
            if carry > 0 {
                self.mag.push(carry);
            }
        }
        if limbs > 0 {
            let mut v = vec![0u32; limbs];
            v.extend_from_slice(&self.mag);
            self.mag = v;
        }
    }

    /// Divides the magnitude by 10^k, truncating; reports whether anything was cut off.
    pub(crate) fn div_pow10(&self, mut k: u32) -> (BigInt, bool) {
        let mut q = self.clone();
        let mut inexact = false;
        while k > 0 && !q.mag.is_empty() {
            let step = k.min(9);
            if q.divmod_small(10u32.pow(step)) != 0 {
                inexact = true;
            }
            k -= step;
        }
        if q.mag.is_empty() {
            q.neg = false;
        }
        (q, inexact)
    }

    /// Removes every factor `f` (> 1) and counts them, as upstream's removeBigIntFactors.
    pub(crate) fn remove_factors(&self, f: u32) -> (BigInt, i32) {
        let mut cur = self.clone();
        let mut times = 0;
        while !cur.is_zero() {
            let mut q = cur.clone();
            if q.divmod_small(f) != 0 {
                break;
            }
            cur = q;
            times += 1;
        }
        (cur, times)
    }

    /// Go's `big.Int.Int64()`: the low 64 bits of the magnitude, negated when negative.
    pub(crate) fn go_int64(&self) -> i64 {
        let lo = u64::from(self.mag.first().copied().unwrap_or(0))
            | (u64::from(self.mag.get(1).copied().unwrap_or(0)) << 32);
        let v = lo as i64;
        if self.neg { v.wrapping_neg() } else { v }
    }

    pub(crate) fn add(&self, other: &BigInt) -> BigInt {
        if self.neg == other.neg {
            let mut r = BigInt {
                neg: self.neg,
                mag: add_mag(&self.mag, &other.mag),
            };
            r.trim();
            return r;
        }
        match cmp_mag(&self.mag, &other.mag) {
            Ordering::Equal => BigInt::zero(),
            Ordering::Greater => {
                let mut r = BigInt {
                    neg: self.neg,
                    mag: sub_mag(&self.mag, &other.mag),
                };
                r.trim();
                r
            }
            Ordering::Less => {
                let mut r = BigInt {
                    neg: other.neg,
                    mag: sub_mag(&other.mag, &self.mag),
                };
                r.trim();
                r
            }
        }
    }

    /// Decimal digits of the magnitude, without sign.
    pub(crate) fn magnitude_string(&self) -> String {
        if self.mag.is_empty() {
            return "0".to_string();
        }
        let mut chunks = Vec::new();
        let mut q = self.clone();
        while !q.mag.is_empty() {
            chunks.push(q.divmod_small(1_000_000_000));
        }
        let mut s = chunks.pop().map(|c| c.to_string()).unwrap_or_default();
        while let Some(c) = chunks.pop() {
            s.push_str(&format!("{c:09}"));
        }
        s
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for l in &mut self.mag {
            let v = u64::from(*l) * u64::from(m) + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.mag.push(carry as u32);
        }
        self.trim();
    }

    fn add_small(&mut self, a: u32) {
        let mut carry = u64::from(a);
        for l in &mut self.mag {
            if carry == 0 {
                break;
            }
            let v = u64::from(*l) + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.mag.push(carry as u32);
        }
    }

    /// Divides the magnitude in place, returning the remainder.
    fn divmod_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for l in self.mag.iter_mut().rev() {
            let cur = (rem << 32) | u64::from(*l);
            *l = (cur / u64::from(d)) as u32;
            rem = cur % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    fn trim(&mut self) {
        while self.mag.last() == Some(&0) {
            self.mag.pop();
        }
        if self.mag.is_empty() {
            self.neg = false;
        }
    }
}

impl Ord for BigInt {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => cmp_mag(&self.mag, &other.mag),
            (true, true) => cmp_mag(&other.mag, &self.mag),
        }
    }
}

impl PartialOrd for BigInt {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for BigInt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.neg {
            f.write_str("-")?;
        }
        f.write_str(&self.magnitude_string())
    }
}

fn cmp_mag(a: &[u32], b: &[u32]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

fn add_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0u64;
    for i in 0..a.len().max(b.len()) {
        let v = u64::from(a.get(i).copied().unwrap_or(0))
            + u64::from(b.get(i).copied().unwrap_or(0))
            + carry;
        out.push(v as u32);
        carry = v >> 32;
    }
    if carry > 0 {
        out.push(carry as u32);
    }
    out
}

/// `a - b` for magnitudes with `a >= b`.
fn sub_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i64;
    for (i, &x) in a.iter().enumerate() {
        let mut v = i64::from(x) - i64::from(b.get(i).copied().unwrap_or(0)) - borrow;
        borrow = 0;
        if v < 0 {
            v += 1 << 32;
            borrow = 1;
        }
        out.push(v as u32);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        input: &'static str,
        want: &'static str,
    }

    #[test]
    fn parse_print_round_trip() {
        let cases = [
            Case {
                name: "zero",
                input: "0",
                want: "0",
            },
            Case {
                name: "leading zeros",
                input: "000123",
                want: "123",
            },
            Case {
                name: "u64 max",
                input: "18446744073709551615",
                want: "18446744073709551615",
            },
            Case {
                name: "huge",
                input: "123456789012345678901234567890123",
                want: "123456789012345678901234567890123",
            },
        ];
        for case in cases {
            let b = BigInt::parse_digits(case.input).expect(case.name);
            assert_eq!(b.to_string(), case.want, "case {}", case.name);
        }
    }

    #[test]
    fn arithmetic() {
        let mut b = BigInt::from_i64(3);
        b.shl(60);
        assert_eq!(b.to_string(), "3458764513820540928");
        b.mul_pow10(3);
        assert_eq!(b.go_int64(), i64::MIN);
        let (q, inexact) = BigInt::from_i64(-1500).div_pow10(3);
        assert_eq!((q.to_string().as_str(), inexact), ("-1", true));
        assert_eq!(
            BigInt::from_i64(5).add(&BigInt::from_i64(-7)).to_string(),
            "-2"
        );
        assert_eq!(BigInt::from_i64(12000).remove_factors(10).1, 3);
    }
}
