//! The text tool the notes pipe kubectl's output through beyond `grep`/`head`/`tail`/`wc`:
//! `awk '{print $N}'` (fields by blanks or `-F`); `xargs` is in xargs.rs.
//!
//! Only the forms the notes use are understood; any other awk program gets a plain message
//! rather than a wrong answer.

/// What `awk ARGS` prints for `input`: `Ok(lines)` or `Err(message for stderr)`.
///
/// Understands `[-F SEP] '{print $A, $B, …}'` and `'{print}'` / `'{print $0}'`; `$NF` is the
/// last field. Fields are split on runs of blanks (awk's default) or on the literal `SEP`.
///
/// # Errors
/// A program other than a single `print` of fields.
pub fn awk(args: &[&str], input: &str) -> Result<Vec<String>, String> {
    let mut sep: Option<String> = None;
    let mut program: Option<&str> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if a == "-F" {
            sep = args.get(i + 1).map(|s| s.to_string());
            i += 1;
        } else if let Some(s) = a.strip_prefix("-F") {
            sep = Some(s.to_string());
        } else if program.is_none() {
            program = Some(a);
        }
        i += 1;
    }
    let Some(program) = program else {
        return Err("usage: awk [-F fs] 'program' [file ...]".into());
    };
    let fields = print_fields(program).ok_or_else(|| {
        format!("awk: only '{{print $N, …}}' programs are available in this lab (got '{program}')")
    })?;
    let mut out = Vec::new();
    for line in input.lines() {
        let cols: Vec<&str> = match &sep {
            Some(s) if !s.is_empty() && s != " " => line.split(s.as_str()).collect(),
            _ => line.split_whitespace().collect(),
        };
        let picked: Vec<&str> = fields
            .iter()
            .map(|f| match f {
                Field::Whole => line,
                Field::Last => cols.last().copied().unwrap_or(""),
                Field::Nth(n) => cols.get(n - 1).copied().unwrap_or(""),
            })
            .collect();
        out.push(picked.join(" "));
    }
    Ok(out)
}

/// One `$…` in a print statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Whole,
    Last,
    Nth(usize),
}

/// The fields of `{print $1, $3}`, or None for any other program.
fn print_fields(program: &str) -> Option<Vec<Field>> {
    let body = program.trim().strip_prefix('{')?.strip_suffix('}')?.trim();
    let rest = body.strip_prefix("print")?.trim();
    if rest.is_empty() {
        return Some(vec![Field::Whole]);
    }
    rest.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|f| match f.strip_prefix('$')? {
            "0" => Some(Field::Whole),
            "NF" => Some(Field::Last),
            n => n.parse().ok().filter(|&n| n > 0).map(Field::Nth),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        args: &'static [&'static str],
        input: &'static str,
        want: Result<&'static [&'static str], ()>,
    }

    #[test]
    fn awk_prints_fields() {
        let table = "NAME               READY\nkube-proxy-p8qfj   1/1\n";
        let cases = [
            Case {
                name: "first column (the notes' kube-proxy restart)",
                args: &["{print $1}"],
                input: table,
                want: Ok(&["NAME", "kube-proxy-p8qfj"]),
            },
            Case {
                name: "several fields and NF",
                args: &["{print $2, $NF, $1}"],
                input: "a b c\n",
                want: Ok(&["b c a"]),
            },
            Case {
                name: "field separator",
                args: &["-F", ":", "{print $2}"],
                input: "x:y:z\n",
                want: Ok(&["y"]),
            },
            Case {
                name: "whole line and a missing field",
                args: &["{print $0, $9}"],
                input: "a b\n",
                want: Ok(&["a b "]),
            },
            Case {
                name: "other programs are refused",
                args: &["/x/ {n++} END {print n}"],
                input: "",
                want: Err(()),
            },
        ];
        for case in cases {
            let got = awk(case.args, case.input);
            match case.want {
                Ok(lines) => assert_eq!(
                    got.as_deref(),
                    Ok(lines
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .as_slice()),
                    "case {}",
                    case.name
                ),
                Err(()) => assert!(got.is_err(), "case {}", case.name),
            }
        }
    }
}
