//! A small YAML reader that keeps the line of every node, so a bad lesson file gets an error
//! naming the line. Lesson files are plain YAML: mappings, sequences and scalars (all read as
//! text); anchors and aliases are refused, they would only make lessons harder to read.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

/// A YAML node and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub line: usize,
    pub value: Value,
}

/// What a node holds. Scalars stay text; the lesson reader decides what they mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Scalar(String),
    Seq(Vec<Node>),
    /// Entries in file order: key, the key's line, value.
    Map(Vec<(String, usize, Node)>),
}

/// A syntax problem: the line and libyaml's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub problem: String,
}

/// Lessons nest a few levels deep; anything deeper is a mistake, not a lesson.
const MAX_DEPTH: usize = 32;

/// Reads the single document of `text`; an empty file reads as an empty mapping.
///
/// # Errors
/// The first syntax problem, a duplicate key, an alias, or nesting deeper than `MAX_DEPTH`.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut reader = Reader {
        parser: Parser::new_from_str(text),
    };
    loop {
        let (event, mark) = reader.next()?;
        match event {
            Event::StreamStart | Event::DocumentStart | Event::Nothing => {}
            Event::StreamEnd | Event::DocumentEnd => {
                return Ok(Node {
                    line: 1,
                    value: Value::Map(Vec::new()),
                });
            }
            other => {
                let node = reader.node(other, mark, 0)?;
                // A second document would silently be ignored: say so instead.
                loop {
                    match reader.next()? {
                        (Event::DocumentEnd | Event::StreamEnd, _) => return Ok(node),
                        (Event::DocumentStart, mark) => {
                            return Err(SyntaxError {
                                line: mark.line(),
                                problem: "a lesson file holds one YAML document; remove this `---`"
                                    .into(),
                            });
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

struct Reader<'a> {
    parser: Parser<std::str::Chars<'a>>,
}

impl Reader<'_> {
    fn next(&mut self) -> Result<(Event, Marker), SyntaxError> {
        self.parser.next_token().map_err(|e| SyntaxError {
            line: e.marker().line(),
            problem: e.info().to_string(),
        })
    }

    fn node(&mut self, event: Event, mark: Marker, depth: usize) -> Result<Node, SyntaxError> {
        let line = mark.line();
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                line,
                problem: "nested too deeply".into(),
            });
        }
        let value = match event {
            Event::Scalar(text, ..) => Value::Scalar(text),
            Event::SequenceStart(..) => {
                let mut items = Vec::new();
                loop {
                    let (event, mark) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event, mark, depth + 1)?);
                }
                Value::Seq(items)
            }
            Event::MappingStart(..) => {
                let mut entries: Vec<(String, usize, Node)> = Vec::new();
                loop {
                    let (event, key_mark) = self.next()?;
                    let key = match event {
                        Event::MappingEnd => break,
                        Event::Scalar(key, ..) => key,
                        _ => {
                            return Err(SyntaxError {
                                line: key_mark.line(),
                                problem: "a key must be plain text".into(),
                            });
                        }
                    };
                    if let Some((_, first, _)) = entries.iter().find(|(k, ..)| *k == key) {
                        return Err(SyntaxError {
                            line: key_mark.line(),
                            problem: format!("key `{key}` is repeated (first on line {first})"),
                        });
                    }
                    let (event, mark) = self.next()?;
                    let value = self.node(event, mark, depth + 1)?;
                    entries.push((key, key_mark.line(), value));
                }
                // A block mapping's marker points at its first key's line already.
                Value::Map(entries)
            }
            Event::Alias(_) => {
                return Err(SyntaxError {
                    line,
                    problem: "aliases (*name) are not allowed in lessons".into(),
                });
            }
            _ => {
                return Err(SyntaxError {
                    line,
                    problem: "did not find expected node content".into(),
                });
            }
        };
        Ok(Node { line, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_keep_their_lines() {
        let node = parse("a: 1\nb:\n  - x\n  - y: |\n      text\n").expect("parses");
        let Value::Map(entries) = node.value else {
            panic!("map")
        };
        assert_eq!(entries[0].0, "a");
        assert_eq!(entries[1].1, 2);
        let Value::Seq(items) = &entries[1].2.value else {
            panic!("seq")
        };
        assert_eq!(items[1].line, 4);
    }

    #[test]
    fn problems_name_the_line() {
        let err = parse("a: 1\nb: [1, 2\n").expect_err("unclosed flow sequence");
        assert!(err.line >= 2, "{err:?}");
        let err = parse("a: 1\nb: 2\na: 3\n").expect_err("duplicate");
        assert_eq!(
            (err.line, err.problem.as_str()),
            (3, "key `a` is repeated (first on line 1)")
        );
        let err = parse("a: &x 1\nb: *x\n").expect_err("alias");
        assert_eq!(err.line, 2);
    }
}
