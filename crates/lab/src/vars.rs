//! The lab shell's variables and the built-ins that read or change them: `NAME=value`,
//! `export`, `unset`, `env` and `printenv`, worded as bash 5 and GNU coreutils 9 print them
//! (builtins/setattr.def, builtins/set.def, env.c, printenv.c).
//!
//! Variables live in the session and change only through command lines, so replaying the
//! lines rebuilds them. `$?` is the status of the last command line.

use std::collections::BTreeMap;

use crate::session::{Output, Stream};

/// The shell's variables and the last exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vars {
    vars: BTreeMap<String, Var>,
    /// `$?`: the exit status of the last pipeline.
    pub status: i32,
    /// `$!`: the process id of the last background job.
    pub last_background: Option<u32>,
}

/// One variable; `value` is None for `export NAME` of a variable never set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    value: Option<String>,
    exported: bool,
}

/// What `overlay` replaced, for `restore`.
pub type Saved = Vec<(String, Option<Var>)>;

impl Default for Vars {
    /// The environment a login shell of the lab's user starts with.
    fn default() -> Self {
        let home = crate::fs::HOME;
        let env = [
            ("HOME", home),
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("PWD", home),
            ("SHELL", "/bin/bash"),
            ("USER", "root"),
        ];
        let vars = env
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    Var {
                        value: Some(v.to_string()),
                        exported: true,
                    },
                )
            })
            .collect();
        Vars { vars, status: 0, last_background: None }
    }
}

impl Vars {
    /// What `$name` expands to: the value, the special parameters the lab has (`?`, `#`,
    /// `0`), or nothing for an unset variable (bash without `set -u`).
    pub fn get(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "!" => self.last_background.map(|p| p.to_string()).unwrap_or_default(),
            "#" => "0".to_string(),
            "0" => "bash".to_string(),
            // No positional parameters: `$@` and `$*` are empty.
            "@" | "*" => String::new(),
            _ => self
                .vars
                .get(name)
                .and_then(|v| v.value.clone())
                .unwrap_or_default(),
        }
    }

    /// Whether `name` holds a value (possibly empty); the special parameters always do.
    pub fn is_set(&self, name: &str) -> bool {
        match name {
            "?" | "#" | "0" => true,
            "!" => self.last_background.is_some(),
            _ => self.vars.get(name).is_some_and(|v| v.value.is_some()),
        }
    }

    /// The variables' names, sorted (for Tab completion).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.keys().map(String::as_str)
    }

    /// `NAME=value`: sets a variable, keeping it exported if it was.
    pub fn set(&mut self, name: &str, value: &str) {
        let var = self.vars.entry(name.to_string()).or_insert(Var {
            value: None,
            exported: false,
        });
        var.value = Some(value.to_string());
    }

    /// `NAME=value command`: the assignments hold, exported, for one command only.
    pub fn overlay(&mut self, assigns: &[(String, String)]) -> Saved {
        let mut saved = Vec::new();
        for (name, value) in assigns {
            saved.push((name.clone(), self.vars.get(name).cloned()));
            self.vars.insert(
                name.clone(),
                Var {
                    value: Some(value.clone()),
                    exported: true,
                },
            );
        }
        saved
    }

    /// Undoes an `overlay`.
    pub fn restore(&mut self, saved: Saved) {
        for (name, var) in saved.into_iter().rev() {
            match var {
                Some(v) => self.vars.insert(name, v),
                None => self.vars.remove(&name),
            };
        }
    }

    /// `export [-p] [NAME[=value] …]`.
    pub fn export(&mut self, args: &[&str]) -> Output {
        let mut out = Output::default();
        let args = match args {
            ["-p", rest @ ..] => rest,
            rest => rest,
        };
        if args.is_empty() {
            for (name, var) in self.vars.iter().filter(|(_, v)| v.exported) {
                let line = match &var.value {
                    Some(v) => format!("declare -x {name}=\"{}\"", escape_double_quoted(v)),
                    None => format!("declare -x {name}"),
                };
                out.push(Stream::Stdout, line);
            }
            return out;
        }
        for arg in args {
            let (name, value) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (*arg, None),
            };
            if !valid_name(name) {
                out.push(
                    Stream::Stderr,
                    format!("bash: export: `{arg}': not a valid identifier"),
                );
                out.status = 1;
                continue;
            }
            let var = self.vars.entry(name.to_string()).or_insert(Var {
                value: None,
                exported: true,
            });
            var.exported = true;
            if let Some(v) = value {
                var.value = Some(v.to_string());
            }
        }
        out
    }

    /// `unset [-v] NAME …`.
    pub fn unset(&mut self, args: &[&str]) -> Output {
        let mut out = Output::default();
        for arg in args.iter().filter(|a| **a != "-v") {
            if !valid_name(arg) {
                out.push(
                    Stream::Stderr,
                    format!("bash: unset: `{arg}': not a valid identifier"),
                );
                out.status = 1;
                continue;
            }
            self.vars.remove(*arg);
        }
        out
    }

    /// `env` without a command: the exported variables as `NAME=value`.
    pub fn env(&self) -> Output {
        let mut out = Output::default();
        for (name, value) in self.environment() {
            out.lines.push(crate::OutputLine {
                stream: Stream::Stdout,
                text: format!("{name}={value}"),
            });
        }
        out
    }

    /// `printenv [NAME …]`: every exported variable, or the values of those named (status 1
    /// when one is not in the environment).
    pub fn printenv(&self, args: &[&str]) -> Output {
        if args.is_empty() {
            return self.env();
        }
        let env: BTreeMap<&str, &str> = machinery::sort::map_of(self.environment());
        let mut out = Output::default();
        for name in args {
            match env.get(name) {
                Some(v) => out.lines.push(crate::OutputLine {
                    stream: Stream::Stdout,
                    text: v.to_string(),
                }),
                None => out.status = 1,
            }
        }
        out
    }

    /// The exported variables that have a value, by name.
    fn environment(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars
            .iter()
            .filter(|(_, v)| v.exported)
            .filter_map(|(k, v)| Some((k.as_str(), v.value.as_deref()?)))
    }
}

/// A shell variable name: a letter or `_`, then letters, digits or `_`.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A value as `export -p` shows it inside double quotes.
fn escape_double_quoted(value: &str) -> String {
    let mut s = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_export_unset() {
        let mut v = Vars::default();
        assert_eq!(v.get("NOPE"), "");
        v.set("POD", "kubia-x");
        assert_eq!(v.get("POD"), "kubia-x");
        // Not exported: env leaves it out.
        assert!(!v.env().text().contains("POD="));
        assert_eq!(v.export(&["POD"]).text(), "");
        assert!(v.env().text().contains("POD=kubia-x\n"));
        assert_eq!(v.printenv(&["POD", "HOME"]).text(), "kubia-x\n/root\n");
        assert_eq!(v.printenv(&["NOPE"]).status, 1);
        assert_eq!(v.unset(&["POD"]).text(), "");
        assert_eq!(v.get("POD"), "");
        v.status = 3;
        assert_eq!(v.get("?"), "3");
    }

    #[test]
    fn export_lists_and_refuses_bad_names() {
        let mut v = Vars::default();
        v.export(&["GREETING=say \"hi\"", "LATER"]);
        let listed = v.export(&[]).text();
        assert!(
            listed.contains("declare -x GREETING=\"say \\\"hi\\\"\"\n"),
            "{listed}"
        );
        assert!(listed.contains("declare -x LATER\n"), "{listed}");
        // A variable exported without a value is not in the environment.
        assert!(!v.env().text().contains("LATER"));
        let bad = v.export(&["1A=b"]);
        assert_eq!(bad.text(), "bash: export: `1A=b': not a valid identifier\n");
        assert_eq!(bad.status, 1);
        assert_eq!(
            v.unset(&["a-b"]).text(),
            "bash: unset: `a-b': not a valid identifier\n"
        );
    }

    #[test]
    fn an_overlay_is_undone() {
        let mut v = Vars::default();
        v.set("A", "1");
        let saved = v.overlay(&[("A".into(), "2".into()), ("B".into(), "3".into())]);
        assert!(v.env().text().contains("A=2\nB=3\n"));
        v.restore(saved);
        assert_eq!(v.get("A"), "1");
        assert_eq!(v.get("B"), "");
        assert!(!v.env().text().contains("A="));
    }
}
