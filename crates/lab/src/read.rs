//! The `read` built-in: a line of the pipe a `… | while read x` loop reads, split into
//! variables as bash splits it with the default IFS.

use crate::session::{Output, Session};

impl Session {
    /// `read [-r] [NAME…]`: the next line of the pipe the innermost loop reads, split on
    /// blanks into the names (the last takes the rest; `REPLY` without names). Status 1 at
    /// the end of the input, with the names emptied. Without `-r` a backslash escapes the
    /// character after it.
    pub(crate) fn read(&mut self, args: &[&str]) -> Output {
        let mut raw = false;
        let mut names = Vec::new();
        for a in args {
            match *a {
                "-r" => raw = true,
                flag if flag.starts_with('-') && names.is_empty() => {
                    let mut out = Output::stderr(format!(
                        "bash: read: {flag}: invalid option\nread: usage: read [-r] [name ...]"
                    ));
                    out.status = 2;
                    return out;
                }
                name if !crate::vars::valid_name(name) => {
                    let mut out = Output::stderr(format!("bash: read: `{name}': not a valid identifier"));
                    out.status = 1;
                    return out;
                }
                name => names.push(name.to_string()),
            }
        }
        if names.is_empty() {
            names.push("REPLY".into());
        }
        let line = {
            let mut state = self.loop_state();
            match state.piped.last_mut() {
                Some(lines) => lines.pop_front(),
                None => {
                    drop(state);
                    let mut out = Output::stderr(
                        "bash: read: this lab's terminal has no keyboard input for commands; pipe text into a loop instead: kubectl get pods -o name | while read p; do …; done",
                    );
                    out.status = 1;
                    return out;
                }
            }
        };
        let Some(line) = line else {
            for name in &names {
                self.vars().set(name, "");
            }
            return Output { status: 1, ..Output::default() };
        };
        let line = if raw { line } else { unescape(&line) };
        let fields = split_read_fields(&line, names.len());
        for (i, name) in names.iter().enumerate() {
            self.vars().set(name, fields.get(i).map_or("", String::as_str));
        }
        Output::default()
    }

}

/// `read` without `-r`: a backslash keeps the character after it and is dropped.
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// A line split for `read` into at most `n` fields on runs of blanks (IFS's default): the
/// last field keeps the rest of the line, inner blanks and all, without its trailing ones.
fn split_read_fields(line: &str, n: usize) -> Vec<String> {
    let mut fields = Vec::new();
    let mut rest = line.trim_matches(|c| c == ' ' || c == '\t');
    while !rest.is_empty() {
        if fields.len() + 1 == n {
            fields.push(rest.to_string());
            break;
        }
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        fields.push(rest[..end].to_string());
        rest = rest[end..].trim_start_matches([' ', '\t']);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_on_blanks_and_the_last_keeps_the_rest() {
        assert_eq!(split_read_fields("  a  b   c d  ", 2), ["a", "b   c d"]);
        assert_eq!(split_read_fields("a b", 3), ["a", "b"]);
        assert_eq!(split_read_fields("", 1), Vec::<String>::new());
        assert_eq!(unescape(r"a\ b\\c"), r"a b\c");
    }
}
