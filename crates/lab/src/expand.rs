//! Word expansion as bash does it for the lab's words: parameters (with `${NAME:-word}`,
//! `${NAME:=word}`, `${NAME:+word}`, `${#NAME}`), arithmetic and command substitution, then
//! field splitting of what came from unquoted expansions (on blanks and newlines, the default
//! IFS). Quoted text is never split; an unquoted expansion that comes to nothing leaves no
//! word (`echo $UNSET x` has one argument). There is no pathname expansion: `*` stays as
//! typed.

use crate::shell::{ParamOp, Segment, Word};

/// Where expansions get their values.
pub trait Context {
    /// The value of `$name` (empty when unset).
    fn param(&self, name: &str) -> String;
    /// What `$(source)` prints on standard output, trailing newlines removed.
    fn command(&mut self, source: &str) -> String;
    /// Whether `name` is set (possibly to the empty string).
    fn is_set(&self, name: &str) -> bool {
        !self.param(name).is_empty()
    }
    /// `${name:=word}` sets the variable.
    fn assign(&mut self, _name: &str, _value: &str) {}
    /// An arithmetic error, in bash's words after `bash: `.
    fn error(&mut self, _message: String) {}
}

/// One segment's value, and whether it is split into fields (an unquoted expansion).
fn value(seg: &Segment, cx: &mut dyn Context) -> (String, bool) {
    match seg {
        Segment::Text(t) | Segment::Quoted(t) => (t.clone(), false),
        Segment::Param { name, quoted } => (cx.param(name), !quoted),
        Segment::Command { source, quoted } => (cx.command(source), !quoted),
        Segment::Length { name, quoted } => (cx.param(name).chars().count().to_string(), !quoted),
        Segment::Modified {
            name,
            op,
            colon,
            word,
            quoted,
        } => {
            let set = if *colon { !cx.param(name).is_empty() } else { cx.is_set(name) };
            let v = match (op, set) {
                (ParamOp::Default | ParamOp::Assign, true) => cx.param(name),
                (ParamOp::Default, false) => string(word, cx),
                (ParamOp::Assign, false) => {
                    let v = string(word, cx);
                    cx.assign(name, &v);
                    v
                }
                (ParamOp::Alternative, true) => string(word, cx),
                (ParamOp::Alternative, false) => String::new(),
            };
            (v, !quoted)
        }
        Segment::Arithmetic { source, quoted } => {
            // Parameters inside are expanded first, as bash does (`$(( $N + 1 ))`).
            let text = match crate::shell::heredoc_body(source) {
                Ok(w) => string(&w, cx),
                Err(_) => source.clone(),
            };
            let result = {
                let lookup = |n: &str| cx.param(n);
                crate::arith::eval(&text, &lookup)
            };
            match result {
                Ok(n) => (n.to_string(), !quoted),
                Err(e) => {
                    cx.error(e);
                    (String::new(), !quoted)
                }
            }
        }
    }
}

/// The fields `word` expands to.
pub fn fields(word: &Word, cx: &mut dyn Context) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut exists = false;
    for seg in &word.0 {
        let (value, split) = value(seg, cx);
        if !split {
            cur.push_str(&value);
            exists = true;
            continue;
        }
        for c in value.chars() {
            if matches!(c, ' ' | '\t' | '\n') {
                if exists {
                    fields.push(std::mem::take(&mut cur));
                    exists = false;
                }
            } else {
                cur.push(c);
                exists = true;
            }
        }
    }
    if exists {
        fields.push(cur);
    }
    fields
}

/// `word` expanded without splitting (an assignment's value, a here-document body).
pub fn string(word: &Word, cx: &mut dyn Context) -> String {
    let mut s = String::new();
    for seg in &word.0 {
        s.push_str(&value(seg, cx).0);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alias::Aliases;

    /// Variables from a table; a command substitution prints its source upper-cased.
    struct Fake(&'static [(&'static str, &'static str)]);

    impl Context for Fake {
        fn param(&self, name: &str) -> String {
            self.0
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        }
        fn command(&mut self, source: &str) -> String {
            source.to_uppercase()
        }
    }

    struct Case {
        name: &'static str,
        line: &'static str,
        want: &'static [&'static str],
    }

    #[test]
    fn expands_and_splits_like_bash() {
        let vars: &[(&str, &str)] = &[
            ("POD", "kubia-x"),
            ("TWO", "a  b"),
            ("EMPTY", ""),
            ("EDGE", " x "),
        ];
        let cases = [
            Case {
                name: "plain",
                line: "echo $POD",
                want: &["echo", "kubia-x"],
            },
            Case {
                name: "braces join text",
                line: "echo ${POD}-log",
                want: &["echo", "kubia-x-log"],
            },
            Case {
                name: "unquoted splits",
                line: "echo $TWO",
                want: &["echo", "a", "b"],
            },
            Case {
                name: "quoted keeps blanks",
                line: "echo \"$TWO\"",
                want: &["echo", "a  b"],
            },
            Case {
                name: "single quotes are literal",
                line: "echo '$POD'",
                want: &["echo", "$POD"],
            },
            Case {
                name: "unset vanishes",
                line: "echo $NOPE x",
                want: &["echo", "x"],
            },
            Case {
                name: "empty quoted stays",
                line: "echo \"$EMPTY\" x",
                want: &["echo", "", "x"],
            },
            Case {
                name: "edges split off",
                line: "echo a${EDGE}b",
                want: &["echo", "a", "x", "b"],
            },
            Case {
                name: "substitution splits",
                line: "kubectl delete $(pod/a pod/b)",
                want: &["kubectl", "delete", "POD/A", "POD/B"],
            },
            Case {
                name: "quoted substitution",
                line: "echo \"$(a b)\"",
                want: &["echo", "A B"],
            },
            Case {
                name: "backquotes",
                line: "echo `x`y",
                want: &["echo", "Xy"],
            },
        ];
        for case in cases {
            let parsed = crate::shell::parse(case.line, &Aliases::default()).expect("parse");
            let mut got = Vec::new();
            for w in &parsed.pipelines[0].1.commands[0] {
                got.extend(fields(w, &mut Fake(vars)));
            }
            assert_eq!(got, case.want, "case {}", case.name);
        }
    }

    #[test]
    fn strings_do_not_split() {
        let word = crate::shell::heredoc_body("name: $TWO\n").expect("body");
        assert_eq!(string(&word, &mut Fake(&[("TWO", "a  b")])), "name: a  b\n");
    }
}
