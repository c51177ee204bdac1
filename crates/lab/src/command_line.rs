//! Splitting a terminal line into words the way a POSIX shell does for the simple cases
//! tutorials use: blanks separate words, single quotes keep everything literal, double quotes
//! keep blanks, and a backslash escapes the next character outside single quotes.

use std::fmt;

/// Why a line could not be split into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A quote was opened and never closed; `quote` is the quote character.
    UnterminatedQuote { quote: char },
    /// An operator without what must follow it; `token` is what bash names.
    Syntax(String),
    /// `${…}` holding more than a name (bash's "bad substitution").
    BadSubstitution(String),
    /// Shell syntax the lab does not have; the text says which.
    Unsupported(String),
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Same words as bash: "unexpected EOF while looking for matching `''".
            SplitError::UnterminatedQuote { quote } => {
                write!(f, "unexpected EOF while looking for matching `{quote}'")
            }
            SplitError::Syntax(token) => write!(f, "syntax error near unexpected token `{token}'"),
            SplitError::BadSubstitution(text) => write!(f, "{text}: bad substitution"),
            SplitError::Unsupported(text) => f.write_str(text),
        }
    }
}

impl std::error::Error for SplitError {}

/// Splits `line` into shell words.
///
/// # Errors
/// Returns `SplitError::UnterminatedQuote` when a quote is left open.
pub fn split_words(line: &str) -> Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => current.push(ch),
                        None => return Err(SplitError::UnterminatedQuote { quote: '\'' }),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        // Inside double quotes a backslash only escapes these characters.
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => current.push(ch),
                            Some(ch) => {
                                current.push('\\');
                                current.push(ch);
                            }
                            None => return Err(SplitError::UnterminatedQuote { quote: '"' }),
                        },
                        Some(ch) => current.push(ch),
                        None => return Err(SplitError::UnterminatedQuote { quote: '"' }),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    current.push(ch);
                }
            }
            _ => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        line: &'static str,
        want: Result<&'static [&'static str], SplitError>,
    }

    #[test]
    fn splits_like_a_shell() {
        let cases = [
            Case {
                name: "empty",
                line: "",
                want: Ok(&[]),
            },
            Case {
                name: "blanks only",
                line: "  \t ",
                want: Ok(&[]),
            },
            Case {
                name: "plain",
                line: "kubectl get pods",
                want: Ok(&["kubectl", "get", "pods"]),
            },
            Case {
                name: "extra blanks",
                line: "  a   b ",
                want: Ok(&["a", "b"]),
            },
            Case {
                name: "single quotes keep blanks",
                line: "sh -c 'sleep 30; rm -f /tmp/x'",
                want: Ok(&["sh", "-c", "sleep 30; rm -f /tmp/x"]),
            },
            Case {
                name: "double quotes",
                line: r#"echo "a b" c"#,
                want: Ok(&["echo", "a b", "c"]),
            },
            Case {
                name: "escaped quote",
                line: r#"echo "say \"hi\"""#,
                want: Ok(&["echo", r#"say "hi""#]),
            },
            Case {
                name: "adjacent quotes join",
                line: "a'b'\"c\"",
                want: Ok(&["abc"]),
            },
            Case {
                name: "empty quoted word",
                line: "a '' b",
                want: Ok(&["a", "", "b"]),
            },
            Case {
                name: "backslash blank",
                line: r"a\ b",
                want: Ok(&["a b"]),
            },
            Case {
                name: "open single quote",
                line: "echo 'abc",
                want: Err(SplitError::UnterminatedQuote { quote: '\'' }),
            },
            Case {
                name: "open double quote",
                line: "echo \"abc",
                want: Err(SplitError::UnterminatedQuote { quote: '"' }),
            },
        ];
        for case in cases {
            let got = split_words(case.line);
            let want = case
                .want
                .clone()
                .map(|w| w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(got, want, "case {}", case.name);
        }
    }
}
