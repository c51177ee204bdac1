//! Generated names and uids.
//!
//! Mirrors apiserver pkg/storage/names/generate.go @kubernetes-1.34.0 (`SimpleNameGenerator`)
//! and apimachinery pkg/util/rand `String`: five characters from a 27-letter alphabet without
//! vowels or look-alike digits, appended to the base truncated to 58 characters.

use crate::rng::SimRng;

/// The alphabet of generated suffixes (apimachinery util/rand `alphanums`).
pub const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// Length of the random suffix.
pub const RANDOM_LENGTH: usize = 5;

/// Longest base kept before the suffix: 63 − 5.
pub const MAX_GENERATED_BASE: usize = 63 - RANDOM_LENGTH;

/// `base` truncated to 58 bytes plus five random characters.
pub fn generate_name(base: &str, rng: &mut SimRng) -> String {
    let mut out = String::with_capacity(63);
    // Names are ASCII when valid; cut on a char boundary so invalid input cannot panic and
    // is rejected later by validation instead.
    let mut cut = base.len().min(MAX_GENERATED_BASE);
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    out.push_str(&base[..cut]);
    out.push_str(&random_string(RANDOM_LENGTH, rng));
    out
}

/// `n` characters drawn uniformly from [`ALPHANUMS`].
pub fn random_string(n: usize, rng: &mut SimRng) -> String {
    (0..n)
        .map(|_| ALPHANUMS[rng.below(ALPHANUMS.len() as u32) as usize] as char)
        .collect()
}

/// A random (version 4) UUID in its canonical text form, as `uuid.NewUUID` gives objects.
pub fn new_uid(rng: &mut SimRng) -> String {
    let hi = rng.next_u64();
    let lo = rng.next_u64();
    // Version 4 in the high nibble of byte 6, RFC 4122 variant in the top bits of byte 8.
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    // `{:08x}-{:04x}-{:04x}-{:04x}-{:012x}` by hand: every object's create makes one, and
    // the formatting machinery cost as much as the rest of an Event's create path's ids.
    let mut text = String::with_capacity(36);
    for (i, digit) in (0..16).rev().map(|n| (hi >> (n * 4)) & 0xf).enumerate() {
        if matches!(i, 8 | 12) {
            text.push('-');
        }
        text.push(hex_digit(digit));
    }
    for (i, digit) in (0..16).rev().map(|n| (lo >> (n * 4)) & 0xf).enumerate() {
        if matches!(i, 0 | 4) {
            text.push('-');
        }
        text.push(hex_digit(digit));
    }
    text
}

fn hex_digit(d: u64) -> char {
    char::from(b"0123456789abcdef"[(d & 0xf) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The uid written by hand is the one `format!` writes, over many generated ones.
    #[test]
    fn uids_match_the_formatted_text() {
        let mut rng = SimRng::seeded(7);
        let mut copy = SimRng::seeded(7);
        for _ in 0..2000 {
            let uid = new_uid(&mut rng);
            let (hi, lo) = (copy.next_u64(), copy.next_u64());
            let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
            let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
            let want = format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                hi >> 32,
                (hi >> 16) & 0xffff,
                hi & 0xffff,
                lo >> 48,
                lo & 0xffff_ffff_ffff
            );
            assert_eq!(uid, want);
        }
    }

    #[test]
    fn generated_names() {
        struct Case {
            name: &'static str,
            base: String,
            want_len: usize,
        }
        let cases = [
            Case {
                name: "short",
                base: "web-".into(),
                want_len: 9,
            },
            Case {
                name: "exactly 58",
                base: "a".repeat(58),
                want_len: 63,
            },
            Case {
                name: "truncated",
                base: "b".repeat(70),
                want_len: 63,
            },
            Case {
                name: "empty",
                base: String::new(),
                want_len: 5,
            },
        ];
        let mut rng = SimRng::seeded(1);
        for case in &cases {
            let got = generate_name(&case.base, &mut rng);
            assert_eq!(got.len(), case.want_len, "case {}", case.name);
            let suffix = &got[got.len() - RANDOM_LENGTH..];
            assert!(
                suffix.bytes().all(|b| ALPHANUMS.contains(&b)),
                "case {}: {got}",
                case.name
            );
        }
    }

    #[test]
    fn uid_shape() {
        let mut rng = SimRng::seeded(3);
        let uid = new_uid(&mut rng);
        let parts: Vec<&str> = uid.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'), "{uid}");
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{uid}");
        assert_eq!(new_uid(&mut SimRng::seeded(3)), uid);
    }
}
