//! Splits a YAML stream into documents the way kubectl does, before any YAML parsing.
//!
//! Mirrors apimachinery pkg/util/yaml/decoder.go `YAMLReader.Read` (v1.34): a line that starts
//! with `---` ends the current document; the separator line itself belongs to no document, so
//! line numbers in YAML errors count from the line after it. Only spaces or a comment may follow
//! the separator. Because each document is parsed on its own, a syntax error in one document
//! does not hide the documents before it.

/// One document's text and where it starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// The document text, separator lines excluded.
    pub text: &'a str,
    /// File line (1-based) of the chunk's first line.
    pub first_line: usize,
}

/// Why splitting stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeparatorError {
    /// The text after `---` that is not a comment.
    pub trailing: String,
    /// File line (1-based) of the separator.
    pub line: usize,
}

/// Splits `text` into chunks; an invalid separator ends the list with an error and, as
/// upstream, drops the document being read when it was found.
pub fn split_documents(text: &str) -> Vec<Result<Chunk<'_>, SeparatorError>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte offset, line) of the current chunk
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line_no = i + 1;
        if let Some(after) = line.strip_prefix("---") {
            let trimmed = after.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                out.push(Err(SeparatorError {
                    trailing: trimmed.to_string(),
                    line: line_no,
                }));
                return out;
            }
            if let Some((s, first_line)) = start.take() {
                out.push(Ok(Chunk {
                    text: &text[s..offset],
                    first_line,
                }));
            }
        } else if start.is_none() {
            start = Some((offset, line_no));
        }
        offset += line.len();
    }
    if let Some((s, first_line)) = start {
        out.push(Ok(Chunk {
            text: &text[s..],
            first_line,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type Expected = Result<(&'static str, usize), (&'static str, usize)>;

    #[test]
    fn splits_like_kubectl() {
        struct Case {
            name: &'static str,
            input: &'static str,
            want: Vec<Expected>,
        }
        let cases = [
            Case {
                name: "single",
                input: "a: 1\n",
                want: vec![Ok(("a: 1\n", 1))],
            },
            Case {
                name: "leading separator",
                input: "---\na: 1\n---\nb: 2",
                want: vec![Ok(("a: 1\n", 2)), Ok(("b: 2", 4))],
            },
            Case {
                name: "separator with comment",
                input: "a: 1\n--- # next\nb: 2\n",
                want: vec![Ok(("a: 1\n", 1)), Ok(("b: 2\n", 3))],
            },
            Case {
                name: "empty documents skipped",
                input: "---\n---\na: 1\n---\n",
                want: vec![Ok(("a: 1\n", 3))],
            },
            Case {
                name: "bad separator",
                input: "a: 1\n--- b: 2\n",
                // Upstream returns the separator error before the buffered document, so the
                // document above a bad separator is lost too.
                want: vec![Err(("b: 2", 2))],
            },
            Case {
                name: "indented dashes are content",
                input: "a: |\n  ---\n",
                want: vec![Ok(("a: |\n  ---\n", 1))],
            },
        ];
        for case in &cases {
            let got: Vec<_> = split_documents(case.input)
                .into_iter()
                .map(|r| {
                    r.map(|c| (c.text, c.first_line))
                        .map_err(|e| (e.trailing, e.line))
                })
                .collect();
            let want: Vec<_> = case
                .want
                .iter()
                .map(|r| (*r).map_err(|(t, l)| (t.to_string(), l)))
                .collect();
            assert_eq!(got, want, "case {}", case.name);
        }
    }
}
