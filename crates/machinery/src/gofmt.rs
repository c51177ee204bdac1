//! Go-compatible value formatting used inside error messages.
//!
//! Upstream builds many messages with `%q` and `%#v`; kubelab must print the same bytes.

use std::fmt::Write as _;

/// Quotes `s` the way Go's `strconv.Quote` (and `%q`) does.
///
/// Printable characters stay as they are; `"` and `\` are escaped; the usual control
/// characters use their short escapes and the rest use `\x`, `\u` or `\U` forms.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Formats a string slice as Go's `%#v` does: `[]string{"a", "b"}`.
pub(crate) fn go_string_slice(values: &[String]) -> String {
    let inner: Vec<String> = values.iter().map(|v| quote(v)).collect();
    format!("[]string{{{}}}", inner.join(", "))
}

/// Approximates Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and
/// the ASCII space. Rust has no category tables in std, so non-ASCII characters count as
/// printable unless they are control, format or separator characters we know about.
fn is_go_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
        || ('\u{e000}'..='\u{f8ff}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        input: &'static str,
        want: &'static str,
    }

    // Mirrors the strconv.Quote examples in Go's strconv/quote_test.go.
    #[test]
    fn quote_matches_go() {
        let cases = [
            Case {
                name: "plain",
                input: "abc",
                want: r#""abc""#,
            },
            Case {
                name: "quote",
                input: "a\"b",
                want: r#""a\"b""#,
            },
            Case {
                name: "backslash",
                input: "a\\b",
                want: r#""a\\b""#,
            },
            Case {
                name: "newline",
                input: "a\nb",
                want: r#""a\nb""#,
            },
            Case {
                name: "nul",
                input: "\u{0}",
                want: r#""\x00""#,
            },
            Case {
                name: "del",
                input: "\u{7f}",
                want: r#""\x7f""#,
            },
            Case {
                name: "unicode",
                input: "rā",
                want: "\"rā\"",
            },
            Case {
                name: "bom",
                input: "\u{feff}",
                want: r#""\ufeff""#,
            },
        ];
        for case in cases {
            assert_eq!(quote(case.input), case.want, "case {}", case.name);
        }
    }

    #[test]
    fn string_slice_matches_go() {
        assert_eq!(go_string_slice(&[]), "[]string{}");
        assert_eq!(
            go_string_slice(&["a".to_string(), "b".to_string()]),
            r#"[]string{"a", "b"}"#
        );
    }
}
