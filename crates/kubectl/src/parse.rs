//! Flag parsing with the behaviour of spf13/pflag as cobra drives it for kubectl: flags may
//! appear anywhere, `--flag=value` and `--flag value`, `-n ns`, `-nns` and `-n=ns`, grouped
//! boolean shorthands (`-it`), and `--` ends flag parsing.
//!
//! Error texts mirror pflag's flag.go (`unknown flag: --foo`, `unknown shorthand flag: 'a' in
//! -abc`, `flag needs an argument: 'n' in -n`) as kubectl v1.34 prints them.

use std::collections::BTreeMap;

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// `--watch`, `--watch=false`; never consumes the next word.
    Bool,
    /// A single value; the last occurrence wins.
    String,
    /// An integer value (`--replicas=3`), checked when parsed.
    Int,
    /// pflag's StringSlice: repeatable, and each value is split at commas (`-L a,b`).
    Slice,
    /// pflag's StringArray: repeatable, values kept whole (`--env`, `--from-literal`).
    Array,
}

/// One flag a command accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    /// Default as kubectl's help prints it (`false`, `''`, `[]`, `-1`).
    pub default: &'static str,
    pub usage: &'static str,
    /// pflag's NoOptDefVal: the value when the flag is given without `=value`; such a flag
    /// never takes the next word (`--cascade`, `--dry-run`).
    pub no_opt: Option<&'static str>,
}

impl FlagSpec {
    /// A flag with no shorthand.
    pub const fn new(
        long: &'static str,
        kind: FlagKind,
        default: &'static str,
        usage: &'static str,
    ) -> FlagSpec {
        FlagSpec {
            long,
            short: None,
            kind,
            default,
            usage,
            no_opt: None,
        }
    }

    /// The same flag with a one-letter shorthand.
    pub const fn short(mut self, c: char) -> FlagSpec {
        self.short = Some(c);
        self
    }

    /// The same flag with a value used when none is given.
    pub const fn no_opt(mut self, v: &'static str) -> FlagSpec {
        self.no_opt = Some(v);
        self
    }

    /// Whether the flag never consumes the following word.
    pub fn takes_no_word(&self) -> bool {
        self.kind == FlagKind::Bool || self.no_opt.is_some()
    }
}

/// What parsing found: positional arguments, the values of each flag seen, and where `--` was.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub args: Vec<String>,
    /// Values per long flag name, in the order given.
    pub values: BTreeMap<&'static str, Vec<String>>,
    /// Number of positional arguments before `--` (cobra's ArgsLenAtDash), if `--` was given.
    pub args_len_at_dash: Option<usize>,
}

impl Parsed {
    /// Whether the flag was given at all.
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// The last value of a flag, if given.
    pub fn string(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// A boolean flag's value (false when absent).
    pub fn bool(&self, long: &str) -> bool {
        self.string(long).is_some_and(|v| v == "true")
    }

    /// An integer flag's value; values were checked when parsed.
    pub fn int(&self, long: &str) -> Option<i64> {
        self.string(long).and_then(|v| v.parse().ok())
    }

    /// Every value of a repeatable flag (already split at commas for Slice flags).
    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }
}

/// Why a command line's flags could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("unknown flag: --{0}")]
    UnknownFlag(String),
    #[error("unknown shorthand flag: '{short}' in -{group}")]
    UnknownShorthand { short: char, group: String },
    #[error("flag needs an argument: --{0}")]
    NeedsArgument(String),
    #[error("flag needs an argument: '{short}' in -{group}")]
    ShortNeedsArgument { short: char, group: String },
    /// pflag's `invalid argument "x" for "--replicas" flag: <cause>`.
    #[error("invalid argument \"{value}\" for \"{flag}\" flag: {cause}")]
    InvalidArgument {
        value: String,
        flag: String,
        cause: String,
    },
}

/// Parses `words` against `specs`.
///
/// # Errors
/// The first `ParseError` pflag would report, scanning left to right.
pub fn parse(words: &[String], specs: &[&FlagSpec]) -> Result<Parsed, ParseError> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        if word == "--" {
            out.args_len_at_dash = Some(out.args.len());
            out.args.extend(words[i..].iter().cloned());
            break;
        }
        if let Some(rest) = word.strip_prefix("--") {
            let (name, inline) = match rest.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (rest, None),
            };
            let spec = specs
                .iter()
                .find(|s| s.long == name)
                .ok_or_else(|| ParseError::UnknownFlag(name.to_string()))?;
            let value = match (inline, spec.kind) {
                (Some(v), _) => v,
                (None, FlagKind::Bool) => "true".to_string(),
                (None, _) if spec.no_opt.is_some() => spec.no_opt.unwrap_or_default().to_string(),
                (None, _) => {
                    let Some(next) = words.get(i) else {
                        return Err(ParseError::NeedsArgument(name.to_string()));
                    };
                    i += 1;
                    next.clone()
                }
            };
            let display = format!("--{}", spec.long);
            store(&mut out, spec, value, &display)?;
        } else if word.len() > 1 && word.starts_with('-') {
            let group = &word[1..];
            let chars: Vec<(usize, char)> = group.char_indices().collect();
            let mut k = 0;
            while k < chars.len() {
                let (pos, c) = chars[k];
                let spec = specs.iter().find(|s| s.short == Some(c)).ok_or_else(|| {
                    ParseError::UnknownShorthand {
                        short: c,
                        group: group.to_string(),
                    }
                })?;
                let after = &group[pos + c.len_utf8()..];
                let display = format!("-{c}, --{}", spec.long);
                if spec.kind == FlagKind::Bool {
                    // `-w=false` sets a boolean shorthand explicitly.
                    if let Some(v) = after.strip_prefix('=') {
                        store(&mut out, spec, v.to_string(), &display)?;
                        break;
                    }
                    store(&mut out, spec, "true".to_string(), &display)?;
                    k += 1;
                    continue;
                }
                let value = if let Some(v) = after.strip_prefix('=') {
                    v.to_string()
                } else if let (true, Some(v)) = (after.is_empty(), spec.no_opt) {
                    v.to_string()
                } else if !after.is_empty() {
                    after.to_string()
                } else if let Some(next) = words.get(i) {
                    i += 1;
                    next.clone()
                } else {
                    return Err(ParseError::ShortNeedsArgument {
                        short: c,
                        group: group.to_string(),
                    });
                };
                store(&mut out, spec, value, &display)?;
                break;
            }
        } else {
            out.args.push(word.clone());
        }
    }
    Ok(out)
}

/// Finds the command path (`rollout`, `status`) among `words` without knowing the final
/// command's flags, as cobra's `stripFlags` does: a flag word without `=` is assumed to take
/// the next word as its value unless it is a known boolean flag.
pub fn leading_positionals<'a>(words: &'a [String], bools: &[&FlagSpec]) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        i += 1;
        if w == "--" {
            break;
        }
        if let Some(name) = w.strip_prefix("--") {
            let is_bool = bools.iter().any(|s| s.long == name && s.takes_no_word());
            if !name.contains('=') && !is_bool {
                i += 1;
            }
        } else if w.len() == 2 && w.starts_with('-') {
            let c = w.chars().nth(1);
            let is_bool = bools.iter().any(|s| s.short == c && s.takes_no_word());
            if !is_bool {
                i += 1;
            }
        } else if w.starts_with('-') && w.len() > 1 {
            // `-nfoo`, `-owide`: value attached.
        } else {
            out.push((i - 1, w));
        }
    }
    out
}

fn store(
    out: &mut Parsed,
    spec: &FlagSpec,
    value: String,
    display: &str,
) -> Result<(), ParseError> {
    match spec.kind {
        FlagKind::Bool => {
            let v = match value.as_str() {
                "1" | "t" | "T" | "true" | "TRUE" | "True" => "true",
                "0" | "f" | "F" | "false" | "FALSE" | "False" => "false",
                _ => {
                    return Err(ParseError::InvalidArgument {
                        value: value.clone(),
                        flag: display.to_string(),
                        cause: format!("strconv.ParseBool: parsing \"{value}\": invalid syntax"),
                    });
                }
            };
            out.values.entry(spec.long).or_default().push(v.to_string());
        }
        FlagKind::Int => {
            if value.parse::<i64>().is_err() {
                return Err(ParseError::InvalidArgument {
                    value: value.clone(),
                    flag: display.to_string(),
                    cause: format!("strconv.ParseInt: parsing \"{value}\": invalid syntax"),
                });
            }
            out.values.entry(spec.long).or_default().push(value);
        }
        FlagKind::String | FlagKind::Array => {
            out.values.entry(spec.long).or_default().push(value);
        }
        FlagKind::Slice => {
            let entry = out.values.entry(spec.long).or_default();
            if !value.is_empty() {
                entry.extend(value.split(',').map(str::to_string));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: FlagSpec = FlagSpec::new("namespace", FlagKind::String, "''", "").short('n');
    const WATCH: FlagSpec = FlagSpec::new("watch", FlagKind::Bool, "false", "").short('w');
    const TTY: FlagSpec = FlagSpec::new("tty", FlagKind::Bool, "false", "").short('t');
    const STDIN: FlagSpec = FlagSpec::new("stdin", FlagKind::Bool, "false", "").short('i');
    const COLS: FlagSpec = FlagSpec::new("label-columns", FlagKind::Slice, "[]", "").short('L');
    const REPLICAS: FlagSpec = FlagSpec::new("replicas", FlagKind::Int, "0", "");

    /// Positional arguments and flag values, or the error text.
    type Want = Result<
        (
            &'static [&'static str],
            &'static [(&'static str, &'static [&'static str])],
        ),
        &'static str,
    >;

    struct Case {
        name: &'static str,
        line: &'static str,
        want: Want,
    }

    fn check(line: &str) -> Result<Parsed, ParseError> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse(&words, &[&NS, &WATCH, &TTY, &STDIN, &COLS, &REPLICAS])
    }

    #[test]
    fn parses_like_pflag() {
        let cases = [
            Case {
                name: "long with space",
                line: "pods --namespace kube-system",
                want: Ok((&["pods"], &[("namespace", &["kube-system"])])),
            },
            Case {
                name: "long with equals",
                line: "--namespace=a pods",
                want: Ok((&["pods"], &[("namespace", &["a"])])),
            },
            Case {
                name: "short attached",
                line: "-nkube-system pods",
                want: Ok((&["pods"], &[("namespace", &["kube-system"])])),
            },
            Case {
                name: "short equals",
                line: "-n=x",
                want: Ok((&[], &[("namespace", &["x"])])),
            },
            Case {
                name: "grouped bools",
                line: "-it pod",
                want: Ok((&["pod"], &[("stdin", &["true"]), ("tty", &["true"])])),
            },
            Case {
                name: "bool then value",
                line: "-wn x",
                want: Ok((&[], &[("namespace", &["x"]), ("watch", &["true"])])),
            },
            Case {
                name: "slice splits",
                line: "-L a,b -L c",
                want: Ok((&[], &[("label-columns", &["a", "b", "c"])])),
            },
            Case {
                name: "dash ends flags",
                line: "x -- -n y",
                want: Ok((&["x", "-n", "y"], &[])),
            },
            Case {
                name: "lone dash is positional",
                line: "-",
                want: Ok((&["-"], &[])),
            },
            Case {
                name: "bool explicit false",
                line: "--watch=false",
                want: Ok((&[], &[("watch", &["false"])])),
            },
            Case {
                name: "unknown long",
                line: "--foo",
                want: Err("unknown flag: --foo"),
            },
            Case {
                name: "unknown short",
                line: "-wide",
                want: Err("unknown shorthand flag: 'd' in -wide"),
            },
            Case {
                name: "missing short value",
                line: "pods -n",
                want: Err("flag needs an argument: 'n' in -n"),
            },
            Case {
                name: "missing long value",
                line: "--namespace",
                want: Err("flag needs an argument: --namespace"),
            },
            Case {
                name: "bad int",
                line: "--replicas=x",
                want: Err(
                    "invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax",
                ),
            },
        ];
        for case in &cases {
            let got = check(case.line);
            match (&got, &case.want) {
                (Ok(p), Ok((args, flags))) => {
                    assert_eq!(p.args, args.to_vec(), "case {}", case.name);
                    let want: BTreeMap<&str, Vec<String>> = flags
                        .iter()
                        .map(|(k, v)| (*k, v.iter().map(|s| s.to_string()).collect()))
                        .collect();
                    let got: BTreeMap<&str, Vec<String>> =
                        p.values.iter().map(|(k, v)| (*k, v.clone())).collect();
                    assert_eq!(got, want, "case {}", case.name);
                }
                (Err(e), Err(msg)) => assert_eq!(e.to_string(), *msg, "case {}", case.name),
                _ => panic!("case {}: got {got:?}", case.name),
            }
        }
    }

    #[test]
    fn command_path_skips_flag_values() {
        let words: Vec<String> = "-n luffy get pods -o wide"
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let got: Vec<&str> = leading_positionals(&words, &[])
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(got, ["get", "pods"]);
    }
}
