//! YAML syntax check with libyaml (through serde_norway), worded as go-yaml words it.
//!
//! go-yaml is a port of libyaml, so both report the same problem strings ("mapping values are
//! not allowed in this context"). What differs is the line: go-yaml v2 `parser.fail()` (the
//! version behind sigs.k8s.io/yaml in kubectl v1.34) prints the 0-based problem line for parser
//! errors and the 1-based line for scanner errors, and prints no line at all when the 0-based
//! problem line is 0 (falling back to the 0-based context line). This module reproduces that.

use serde::Deserialize;

/// A syntax problem as go-yaml reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxProblem {
    /// The line go-yaml prints after `yaml: line `, relative to the document; None when it
    /// prints none.
    pub go_line: Option<usize>,
    /// The 1-based line of the problem within the document, for editors.
    pub line: usize,
    /// The 1-based column of the problem, for editors.
    pub column: usize,
    /// The libyaml problem text.
    pub problem: String,
}

/// Checks the first YAML document of `text`.
///
/// # Errors
/// The first syntax problem, or an alias/recursion limit hit.
pub fn check(text: &str) -> Result<(), SyntaxProblem> {
    let Some(document) = serde_norway::Deserializer::from_str(text).next() else {
        return Ok(());
    };
    match serde::de::IgnoredAny::deserialize(document) {
        Ok(_) => Ok(()),
        Err(err) => Err(reword(&err)),
    }
}

/// Parser (not scanner) problems of libyaml's parser.c; every other problem is a scanner
/// problem. The distinction decides which line go-yaml prints.
const PARSER_PROBLEMS: &[&str] = &[
    "did not find expected <document start>",
    "did not find expected node content",
    "did not find expected key",
    "did not find expected '-' indicator",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "found undefined tag handle",
    "found duplicate %YAML directive",
    "found incompatible YAML document",
    "found duplicate %TAG directive",
];

fn reword(err: &serde_norway::Error) -> SyntaxProblem {
    let text = err.to_string();
    let (line, column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let (problem, context) = split_message(&text);
    let problem = match problem.as_str() {
        // serde_norway's own guards; go-yaml words its alias guard this way.
        p if p.starts_with("repetition limit exceeded") => {
            "document contains excessive aliasing".to_string()
        }
        p if p.starts_with("recursion limit exceeded") => "exceeded max depth of 10000".to_string(),
        p if p.starts_with("unknown anchor") => "unknown anchor referenced".to_string(),
        _ => problem,
    };
    let problem_line0 = line.saturating_sub(1);
    let context_line0 = context
        .map(|c| c.saturating_sub(1))
        .unwrap_or(problem_line0);
    let scanner = !PARSER_PROBLEMS.contains(&problem.as_str());
    let go_line = if problem_line0 != 0 {
        Some(if scanner {
            problem_line0 + 1
        } else {
            problem_line0
        })
    } else if context_line0 != 0 {
        Some(context_line0)
    } else {
        None
    };
    SyntaxProblem {
        go_line,
        line: line.max(1),
        column: column.max(1),
        problem,
    }
}

/// Splits serde_norway's `problem at line L column C, context at line L2 column C2` into the
/// problem text and the context line (when printed).
fn split_message(text: &str) -> (String, Option<usize>) {
    let problem_end = [" at line ", " at position "]
        .iter()
        .filter_map(|m| text.find(m))
        .min()
        .or_else(|| text.find(", "))
        .unwrap_or(text.len());
    let problem = text[..problem_end].to_string();
    let context_line = text[problem_end..].split_once(", ").and_then(|(_, ctx)| {
        let (_, at) = ctx.split_once(" at line ")?;
        at.split(' ').next()?.parse().ok()
    });
    (problem, context_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_yaml_lines() {
        struct Case {
            name: &'static str,
            input: &'static str,
            want: Option<(Option<usize>, &'static str)>,
        }
        let cases = [
            Case {
                name: "valid",
                input: "a: 1\nb: [1, 2]\n",
                want: None,
            },
            Case {
                name: "mapping values (scanner, 1-based)",
                input: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    image: b: c\n",
                want: Some((Some(8), "mapping values are not allowed in this context")),
            },
            Case {
                name: "did not find expected key (parser, 0-based)",
                input: "a:\n  b: 1\n c: 2\n",
                want: Some((Some(2), "did not find expected key")),
            },
            Case {
                name: "tab (scanner)",
                input: "a:\n\tb: 1\n",
                want: Some((Some(2), "found character that cannot start any token")),
            },
            Case {
                name: "first line scanner error has no line",
                input: "a: b: c\n",
                want: Some((None, "mapping values are not allowed in this context")),
            },
            Case {
                name: "unclosed flow sequence",
                input: "a: [1, 2\nb: 3\n",
                // A parser error on the second line: go-yaml prints the 0-based line.
                want: Some((Some(1), "did not find expected ',' or ']'")),
            },
        ];
        for case in &cases {
            let got = check(case.input).err().map(|p| (p.go_line, p.problem));
            let want = case.want.map(|(l, p)| (l, p.to_string()));
            assert_eq!(got, want, "case {}", case.name);
        }
    }
}
