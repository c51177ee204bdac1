//! YAML output as `kubectl -o yaml` writes it.
//!
//! kubectl turns the object into JSON and then into YAML with sigs.k8s.io/yaml, whose emitter
//! is go-yaml v2 (libyaml's rules): map keys sorted, sequences not indented under their key,
//! strings quoted only when they would read back as something else (`"8080"`, `"true"`,
//! timestamps, `""`), single quotes when an indicator forbids a plain scalar, literal blocks
//! (`|`, `|-`, `|+`) for text with line breaks, and plain or single-quoted text folded at a
//! blank once the line passes 80 columns.

use serde_json::Value;

/// The YAML text of `value`, ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0, false),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0, false),
        other => {
            out.push_str(&scalar(other, 0, 0));
            out.push('\n');
        }
    }
    out
}

/// libyaml's `best_width`.
const WIDTH: usize = 80;

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize, inline: bool) {
    let mut keys: Vec<&String> = map.keys().collect();
    machinery::sort::sort(&mut keys);
    for (i, key) in keys.into_iter().enumerate() {
        if !(inline && i == 0) {
            push_indent(out, indent);
        }
        let k = string_scalar(key, indent, indent + 2);
        out.push_str(&k);
        out.push(':');
        let value = &map[key];
        match value {
            Value::Object(m) if !m.is_empty() => {
                out.push('\n');
                write_map(out, m, indent + 2, false);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                write_seq(out, a, indent, false);
            }
            other => {
                out.push(' ');
                let column = indent + k.chars().count() + 2;
                out.push_str(&scalar(other, column, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], indent: usize, inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if !(inline && i == 0) {
            push_indent(out, indent);
        }
        out.push('-');
        match item {
            Value::Object(m) if !m.is_empty() => {
                out.push(' ');
                write_map(out, m, indent + 2, true);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push(' ');
                write_seq(out, a, indent + 2, true);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other, indent + 2, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A scalar starting at `column`; continuation lines (folds, literal blocks) use `indent`.
fn scalar(v: &Value, column: usize, indent: usize) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_scalar(s, column, indent),
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
    }
}

fn string_scalar(s: &str, column: usize, indent: usize) -> String {
    let analysis = analyze(s);
    if s.contains('\n') && analysis.block_allowed {
        return literal(s, indent);
    }
    if s.contains('\n') || !resolves_to_string(s) {
        return double_quoted(s);
    }
    if analysis.plain_allowed {
        return fold(s, column, indent);
    }
    if analysis.single_allowed {
        let quoted = format!("'{}'", s.replace('\'', "''"));
        return fold(&quoted, column, indent);
    }
    double_quoted(s)
}

/// What libyaml's `yaml_emitter_analyze_scalar` allows for a string in block context.
struct Analysis {
    plain_allowed: bool,
    single_allowed: bool,
    block_allowed: bool,
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            plain_allowed: false,
            single_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let mut special = false;
    let mut line_breaks = false;
    let mut space_break = false;
    let mut break_space = false;
    for (i, &c) in chars.iter().enumerate() {
        let next_blank = chars
            .get(i + 1)
            .is_none_or(|n| *n == ' ' || *n == '\t' || *n == '\n');
        let prev_blank = i > 0 && matches!(chars[i - 1], ' ' | '\t' | '\n');
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if next_blank => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if next_blank => block_indicators = true,
                '#' if prev_blank => block_indicators = true,
                _ => {}
            }
        }
        if c == '\n' {
            line_breaks = true;
            if i > 0 && chars[i - 1] == ' ' {
                space_break = true;
            }
            if chars.get(i + 1) == Some(&' ') {
                break_space = true;
            }
        } else if !is_printable(c) {
            special = true;
        }
    }
    let leading_space = chars[0] == ' ';
    let trailing_space = chars.last() == Some(&' ');
    let leading_break = chars[0] == '\n';
    let trailing_break = chars.last() == Some(&'\n');
    let mut plain = !(block_indicators
        || leading_space
        || trailing_space
        || leading_break
        || trailing_break
        || line_breaks);
    let mut single = true;
    let mut block = !trailing_space;
    if break_space {
        plain = false;
        single = false;
    }
    if space_break || special {
        plain = false;
        single = false;
        block = false;
    }
    Analysis {
        plain_allowed: plain,
        single_allowed: single,
        block_allowed: block,
    }
}

fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// Whether go-yaml v2's resolver reads `s` back as a string (and not a bool, null, number,
/// timestamp or merge key); if not, the encoder double-quotes it.
fn resolves_to_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N",
        "no", "No", "NO", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if s.is_empty() || SPECIAL.contains(&s) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if first.is_ascii_digit() || matches!(first, '+' | '-' | '.') {
        let plain = s.replace('_', "");
        if go_parse_int(&plain) || go_parse_float(&plain) {
            return false;
        }
        if is_base60_float(s) || is_timestamp(s) {
            return false;
        }
    }
    true
}

/// strconv.ParseInt(s, 0, 64) or ParseUint: decimal, `0x`, `0o`, `0b`, or leading-zero octal.
fn go_parse_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() {
        return false;
    }
    let lower = body.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(bin) = lower.strip_prefix("0b") {
        return !bin.is_empty() && bin.chars().all(|c| c == '0' || c == '1');
    }
    if let Some(oct) = lower.strip_prefix("0o") {
        return !oct.is_empty() && oct.chars().all(|c| ('0'..='7').contains(&c));
    }
    if body.len() > 1 && body.starts_with('0') {
        return body.chars().all(|c| ('0'..='7').contains(&c));
    }
    body.chars().all(|c| c.is_ascii_digit())
}

/// strconv.ParseFloat: decimal floats with optional exponent, `inf`, `infinity`, `nan`.
fn go_parse_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return true;
    }
    let (mantissa, exp) = match lower.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (lower.as_str(), None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let dots = mantissa.chars().filter(|c| *c == '.').count();
    let mantissa_ok =
        digits > 0 && dots <= 1 && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.');
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exp_ok
}

/// go-yaml v2 `isBase60Float`: `[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?`.
fn is_base60_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int_part, frac) = match body.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (body, None),
    };
    let mut parts = int_part.split(':');
    let Some(head) = parts.next() else {
        return false;
    };
    let head_ok = head.starts_with(|c: char| c.is_ascii_digit())
        && head.chars().all(|c| c.is_ascii_digit() || c == '_');
    let rest: Vec<&str> = parts.collect();
    let rest_ok = !rest.is_empty()
        && rest.iter().all(|p| {
            (1..=2).contains(&p.len())
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || p.as_bytes()[0] <= b'5')
        });
    let frac_ok = frac.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit() || c == '_'));
    head_ok && rest_ok && frac_ok
}

/// The timestamp forms go-yaml v2 resolves (`2006-01-02`, `2006-01-02T15:04:05Z`, …): a date
/// followed by nothing or by a time.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 10 {
        return false;
    }
    let date_ok = b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    if !date_ok {
        return false;
    }
    let rest = &s[10..];
    rest.is_empty() || rest.starts_with(['T', 't', ' ']) && rest.len() > 1
}

/// Folds a plain or single-quoted scalar the way libyaml's writers do: at a single blank,
/// once the column has passed the width, the blank becomes a line break and indentation.
fn fold(s: &str, column: usize, indent: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut col = column;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev_space = i > 0 && chars[i - 1] == ' ';
        let next_space = chars.get(i + 1) == Some(&' ');
        if c == ' ' && !prev_space && !next_space && col > WIDTH && i + 1 < chars.len() {
            out.push('\n');
            push_indent(&mut out, indent);
            col = indent;
        } else {
            out.push(c);
            col += 1;
        }
        i += 1;
    }
    out
}

fn literal(s: &str, indent: usize) -> String {
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    // An explicit indentation indicator is needed when the text starts with a blank.
    let indicator = if s.starts_with(' ') || s.starts_with('\n') {
        "2"
    } else {
        ""
    };
    let mut out = format!("|{indicator}{chomp}");
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            push_indent(&mut out, indent);
            out.push_str(line);
        }
    }
    out
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if !is_printable(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02X}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04X}"));
                } else {
                    out.push_str(&format!("\\U{n:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(v: Value, want: &str) {
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn pod_shape() {
        check(
            json!({"kind": "Pod", "apiVersion": "v1",
                   "metadata": {"name": "x", "labels": {"app": "web"}, "creationTimestamp": "2026-01-01T00:00:00Z", "resourceVersion": ""},
                   "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 8080}], "args": ["a", "8080"]}], "nodeSelector": {}},
                   "status": {"phase": "Pending", "ready": true, "x": null}}),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n  labels:\n    app: web\n  name: x\n  resourceVersion: \"\"\nspec:\n  containers:\n  - args:\n    - a\n    - \"8080\"\n    image: nginx\n    name: c\n    ports:\n    - containerPort: 8080\n  nodeSelector: {}\nstatus:\n  phase: Pending\n  ready: true\n  x: null\n",
        );
    }

    #[test]
    fn string_styles() {
        struct Case {
            name: &'static str,
            s: &'static str,
            want: &'static str,
        }
        let cases = [
            Case {
                name: "plain",
                s: "foo bar",
                want: "k: foo bar\n",
            },
            Case {
                name: "bool word",
                s: "yes",
                want: "k: \"yes\"\n",
            },
            Case {
                name: "number",
                s: "1.5",
                want: "k: \"1.5\"\n",
            },
            Case {
                name: "hex",
                s: "0x1F",
                want: "k: \"0x1F\"\n",
            },
            Case {
                name: "leading indicator",
                s: "{\"a\":1}",
                want: "k: '{\"a\":1}'\n",
            },
            Case {
                name: "colon space",
                s: "a: b",
                want: "k: 'a: b'\n",
            },
            Case {
                name: "colon no space",
                s: "a:b",
                want: "k: a:b\n",
            },
            Case {
                name: "star",
                s: "*",
                want: "k: '*'\n",
            },
            Case {
                name: "trailing newline",
                s: "a\nb\n",
                want: "k: |\n  a\n  b\n",
            },
            Case {
                name: "no trailing newline",
                s: "a\nb",
                want: "k: |-\n  a\n  b\n",
            },
            Case {
                name: "base60",
                s: "1:20",
                want: "k: \"1:20\"\n",
            },
            Case {
                name: "image",
                s: "nginx:1.7.9",
                want: "k: nginx:1.7.9\n",
            },
            Case {
                name: "leading space",
                s: " a",
                want: "k: ' a'\n",
            },
            Case {
                name: "quote inside",
                s: "it's",
                want: "k: it's\n",
            },
        ];
        for case in &cases {
            assert_eq!(
                to_yaml(&json!({"k": case.s})),
                case.want,
                "case {}",
                case.name
            );
        }
    }

    #[test]
    fn long_plain_text_folds_after_80_columns() {
        let msg = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.";
        let got = to_yaml(&json!({"status": {"message": msg}}));
        assert_eq!(
            got,
            "status:\n  message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:\n    }, 2 Insufficient cpu.'\n"
        );
    }
}
