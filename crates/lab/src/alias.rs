//! The lab shell's aliases and the `alias` / `unalias` built-ins, worded as bash 5 prints them
//! (builtins/alias.def).
//!
//! The lab starts with `k='kubectl'`, the alias most Kubernetes setups put in `.bashrc`; it
//! is an ordinary alias, so `alias` lists it and `unalias k` removes it. Aliases are expanded
//! when a line is parsed (`shell::parse`), so, as in bash, an alias defined on a line takes
//! effect from the next line on.

use std::collections::BTreeMap;

use crate::session::{Output, Stream};

/// The alias table: name → replacement text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aliases(BTreeMap<String, String>);

impl Default for Aliases {
    fn default() -> Self {
        Aliases(BTreeMap::from([("k".to_string(), "kubectl".to_string())]))
    }
}

impl Aliases {
    /// The replacement text of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// The alias names, sorted (for Tab completion).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// `alias [-p] [name[=value] …]`: lists, prints or defines aliases.
    pub fn alias(&mut self, args: &[&str]) -> Output {
        let mut out = Output::default();
        let args: Vec<&str> = match args {
            ["-p", rest @ ..] => rest.to_vec(),
            rest => rest.to_vec(),
        };
        if args.is_empty() {
            for (name, value) in &self.0 {
                out.push(Stream::Stdout, definition(name, value));
            }
            return out;
        }
        for arg in args {
            match arg.split_once('=') {
                Some((name, _)) if !valid_name(name) => {
                    out.push(
                        Stream::Stderr,
                        format!("bash: alias: `{name}': invalid alias name"),
                    );
                    out.status = 1;
                }
                Some((name, value)) => {
                    self.0.insert(name.to_string(), value.to_string());
                }
                None => match self.0.get(arg) {
                    Some(value) => out.push(Stream::Stdout, definition(arg, value)),
                    None => {
                        out.push(Stream::Stderr, format!("bash: alias: {arg}: not found"));
                        out.status = 1;
                    }
                },
            }
        }
        out
    }

    /// `unalias [-a] name …`: removes aliases.
    pub fn unalias(&mut self, args: &[&str]) -> Output {
        let mut out = Output::default();
        match args {
            [] => {
                out.push(
                    Stream::Stderr,
                    "unalias: usage: unalias [-a] name [name ...]",
                );
                out.status = 2;
            }
            ["-a", ..] => self.0.clear(),
            names => {
                for name in names {
                    if self.0.remove(*name).is_none() {
                        out.push(Stream::Stderr, format!("bash: unalias: {name}: not found"));
                        out.status = 1;
                    }
                }
            }
        }
        out
    }
}

/// `alias name='value'`, quoting the value as bash does (`'` becomes `'\''`).
fn definition(name: &str, value: &str) -> String {
    format!("alias {name}='{}'", value.replace('\'', r"'\''"))
}

/// Bash refuses alias names with shell metacharacters, quotes, `/`, `$` or `=`.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.chars().any(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    '/' | '$'
                        | '`'
                        | '='
                        | '\''
                        | '"'
                        | '\\'
                        | '|'
                        | '&'
                        | ';'
                        | '('
                        | ')'
                        | '<'
                        | '>'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        lines: &'static [&'static [&'static str]],
        want: &'static str,
        status: i32,
    }

    #[test]
    fn alias_and_unalias_like_bash() {
        let cases = [
            Case {
                name: "the lab starts with k",
                lines: &[&["alias"]],
                want: "alias k='kubectl'\n",
                status: 0,
            },
            Case {
                name: "define then list sorted",
                lines: &[&["alias", "kgp=kubectl get pods", "ll=ls -l"], &["alias"]],
                want: "alias k='kubectl'\nalias kgp='kubectl get pods'\nalias ll='ls -l'\n",
                status: 0,
            },
            Case {
                name: "print one, quotes escaped",
                lines: &[&["alias", "say=echo 'hi'"], &["alias", "say"]],
                want: "alias say='echo '\\''hi'\\'''\n",
                status: 0,
            },
            Case {
                name: "unknown name",
                lines: &[&["alias", "nope"]],
                want: "bash: alias: nope: not found\n",
                status: 1,
            },
            Case {
                name: "invalid name",
                lines: &[&["alias", "a/b=ls"]],
                want: "bash: alias: `a/b': invalid alias name\n",
                status: 1,
            },
            Case {
                name: "unalias removes",
                lines: &[&["unalias", "k"], &["alias"]],
                want: "",
                status: 0,
            },
            Case {
                name: "unalias unknown",
                lines: &[&["unalias", "zz"]],
                want: "bash: unalias: zz: not found\n",
                status: 1,
            },
            Case {
                name: "unalias without names",
                lines: &[&["unalias"]],
                want: "unalias: usage: unalias [-a] name [name ...]\n",
                status: 2,
            },
            Case {
                name: "unalias -a",
                lines: &[&["alias", "x=y"], &["unalias", "-a"], &["alias"]],
                want: "",
                status: 0,
            },
        ];
        for case in cases {
            let mut aliases = Aliases::default();
            let mut text = String::new();
            let mut status = 0;
            for args in case.lines {
                let out = match args.split_first() {
                    Some((&"unalias", rest)) => aliases.unalias(rest),
                    Some((_, rest)) => aliases.alias(rest),
                    None => Output::default(),
                };
                text.push_str(&out.text());
                status = out.status;
            }
            assert_eq!(text, case.want, "case {}", case.name);
            assert_eq!(status, case.status, "case {}", case.name);
        }
    }
}
