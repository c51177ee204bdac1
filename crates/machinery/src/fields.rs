//! Field selectors (`metadata.name=web,status.phase!=Running`).
//!
//! Mirrors pkg/fields/selector.go @kubernetes-1.34.0 `ParseSelector`: terms split on
//! unescaped `,`, sorted, each `field=value`, `field==value` or `field!=value`, with `\`
//! escaping `\`, `,` and `=` in values. Which fields a kind supports is the caller's concern.

use std::fmt;

/// Why a field selector did not parse; Display is upstream's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldSelectorError {
    #[error("invalid selector: '{selector}'; can't understand '{term}'")]
    Term { selector: String, term: String },
    #[error("invalid field selector: invalid escape sequence: {0}")]
    InvalidEscape(String),
    #[error("invalid field selector: unescaped character in value: {0}")]
    Unescaped(char),
}

/// One `field op value` term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTerm {
    pub field: String,
    /// `true` for `!=`.
    pub negated: bool,
    /// The unescaped value.
    pub value: String,
}

/// A conjunction of field terms; empty matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector {
    terms: Vec<FieldTerm>,
}

impl FieldSelector {
    /// Matches everything.
    pub fn everything() -> FieldSelector {
        FieldSelector::default()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn terms(&self) -> &[FieldTerm] {
        &self.terms
    }

    /// Mirrors Selector.Matches: `get` returns a field's value; a missing field counts as
    /// the empty string, as upstream's `Fields.Get` does.
    pub fn matches(&self, get: &dyn Fn(&str) -> Option<String>) -> bool {
        self.terms.iter().all(|t| {
            let v = get(&t.field).unwrap_or_default();
            (v == t.value) != t.negated
        })
    }

    /// Mirrors RequiresExactMatch: the value of a `field=value` term.
    pub fn requires_exact_match(&self, field: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| t.field == field && !t.negated)
            .map(|t| t.value.as_str())
    }
}

impl fmt::Display for FieldSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| {
                format!(
                    "{}{}{}",
                    t.field,
                    if t.negated { "!=" } else { "=" },
                    escape_value(&t.value)
                )
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl std::str::FromStr for FieldSelector {
    type Err = FieldSelectorError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

/// Mirrors fields.ParseSelector.
///
/// # Errors
/// [`FieldSelectorError`], e.g. `invalid selector: 'x'; can't understand 'x'`.
pub fn parse(selector: &str) -> Result<FieldSelector, FieldSelectorError> {
    let mut parts = split_terms(selector);
    parts.sort();
    let mut terms = Vec::new();
    for part in parts {
        if part.is_empty() {
            continue;
        }
        let Some((lhs, op, rhs)) = split_term(part) else {
            return Err(FieldSelectorError::Term {
                selector: selector.into(),
                term: part.into(),
            });
        };
        let value = unescape_value(rhs)?;
        terms.push(FieldTerm {
            field: lhs.to_string(),
            negated: op == "!=",
            value,
        });
    }
    Ok(FieldSelector { terms })
}

/// Mirrors EscapeValue: `\` → `\\`, `,` → `\,`, `=` → `\=`.
pub fn escape_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | ',' | '=') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Mirrors UnescapeValue.
///
/// # Errors
/// An unknown escape, a trailing `\`, or a bare `,` or `=`.
pub fn unescape_value(s: &str) -> Result<String, FieldSelectorError> {
    let mut out = String::with_capacity(s.len());
    let mut in_slash = false;
    for c in s.chars() {
        if in_slash {
            if !matches!(c, '\\' | ',' | '=') {
                return Err(FieldSelectorError::InvalidEscape(format!("\\{c}")));
            }
            out.push(c);
            in_slash = false;
            continue;
        }
        match c {
            '\\' => in_slash = true,
            ',' | '=' => return Err(FieldSelectorError::Unescaped(c)),
            _ => out.push(c),
        }
    }
    if in_slash {
        return Err(FieldSelectorError::InvalidEscape("\\".into()));
    }
    Ok(out)
}

fn split_terms(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut start = 0;
    let mut in_slash = false;
    for (i, c) in s.char_indices() {
        if in_slash {
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' {
            terms.push(&s[start..i]);
            start = i + 1;
        }
    }
    terms.push(&s[start..]);
    terms
}

/// The first operator occurrence wins; at one position `!=` and `==` beat `=`.
fn split_term(term: &str) -> Option<(&str, &'static str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for op in ["!=", "==", "="] {
            if rest.starts_with(op) {
                return Some((&term[..i], op, &term[i + op.len()..]));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        input: &'static str,
        want: Result<&'static str, &'static str>,
    }

    fn check(case: &Case) {
        let got = parse(case.input)
            .map(|s| s.to_string())
            .map_err(|e| e.to_string());
        assert_eq!(
            got,
            case.want.map(str::to_string).map_err(str::to_string),
            "case {}",
            case.name
        );
    }

    // Mirrors TestSelectorParse and TestEscapeValue in pkg/fields/selector_test.go @kubernetes-1.34.0.
    #[test]
    fn parse_and_print() {
        let cases = [
            Case {
                name: "empty",
                input: "",
                want: Ok(""),
            },
            Case {
                name: "sorted",
                input: "b=1,a!=2",
                want: Ok("a!=2,b=1"),
            },
            Case {
                name: "double equals",
                input: "x==y",
                want: Ok("x=y"),
            },
            Case {
                name: "escaped",
                input: r"x=a\,b\=c\\d",
                want: Ok(r"x=a\,b\=c\\d"),
            },
            Case {
                name: "no op",
                input: "x",
                want: Err("invalid selector: 'x'; can't understand 'x'"),
            },
            Case {
                name: "bad escape",
                input: r"x=a\b",
                want: Err(r"invalid field selector: invalid escape sequence: \b"),
            },
            Case {
                name: "bare equals",
                input: "x=a=b",
                want: Err("invalid field selector: unescaped character in value: ="),
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn matching() {
        let sel = parse("metadata.name=web,status.phase!=Running").unwrap();
        let get = |f: &str| match f {
            "metadata.name" => Some("web".to_string()),
            "status.phase" => Some("Pending".to_string()),
            _ => None,
        };
        assert!(sel.matches(&get));
        assert!(!parse("spec.nodeName=n1").unwrap().matches(&get));
        assert!(parse("spec.nodeName=").unwrap().matches(&get));
    }
}
