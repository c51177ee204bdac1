//! GNU xargs (findutils 4.9) as the lab runs it: the commands it builds from its input,
//! known as soon as it has read enough for one. `-n N` (at most N arguments a command),
//! `-L N` (the arguments of N lines), `-I R` (one command a line, R in the initial
//! arguments replaced by the line), `-r` (no command for empty input), `-t` (each command
//! on standard error before it runs), `-d D`/`-0` (items end at D, or NUL, quotes taken as
//! they are), `-E S` (input ends at an argument S), `-P N` (accepted: the lab runs the
//! commands one after another, in order, one of the orders N processes could print in).
//! Without them every argument goes to one command, run when the input ends. Arguments are
//! split at blanks and newlines, with `'…'`, `"…"` and `\` quoting as xargs reads them; the
//! limit on a command line's length is not modelled. `-p` asks on the terminal, which has
//! no keyboard input for commands here: it is refused plainly.

/// What `xargs ARGS` was asked to do, and the arguments it has read but not used yet.
#[derive(Debug, Clone)]
pub(crate) struct Xargs {
    /// The command and its initial arguments (`echo` without one).
    command: Vec<String>,
    per: Per,
    no_run_if_empty: bool,
    /// `-t`: print each command before running it.
    pub trace: bool,
    /// Arguments read and not used by a command yet.
    waiting: Vec<String>,
    /// Lines read since the last command (`-L`).
    lines: usize,
    /// Whether a command was built yet.
    ran: bool,
    /// `-d`/`-0`: the character ending an item; None splits at blanks with quoting.
    delimiter: Option<char>,
    /// Input since the last delimiter (`-d`): an item still being read.
    partial: String,
    /// `-E`: the argument that ends the input.
    eof: Option<String>,
    /// The `-E` argument was read: the rest of the input is ignored.
    at_eof: bool,
}

/// How much input makes one command.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Per {
    /// Everything: one command at the end.
    All,
    /// `-n N`.
    Args(usize),
    /// `-L N`.
    Lines(usize),
    /// `-I R`: one command a line.
    Replace(String),
}

impl Xargs {
    /// Reads xargs' options and its command.
    ///
    /// # Errors
    /// xargs' complaint about a bad option or number, as its first line of standard error.
    pub fn parse(args: &[&str]) -> Result<Xargs, String> {
        let mut per = Per::All;
        let mut no_run_if_empty = false;
        let mut trace = false;
        let mut delimiter = None;
        let mut eof = None;
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            if !a.starts_with('-') || a == "-" {
                break;
            }
            i += 1;
            if a == "--" {
                break;
            }
            let mut value = |flag: &str, inline: &str| -> Result<String, String> {
                if !inline.is_empty() {
                    return Ok(inline.to_string());
                }
                i += 1;
                args.get(i - 1)
                    .map(|s| s.to_string())
                    .ok_or_else(|| format!("xargs: option requires an argument -- '{flag}'"))
            };
            match a {
                "-r" | "--no-run-if-empty" => no_run_if_empty = true,
                "-t" | "--verbose" => trace = true,
                _ if a.starts_with("--max-args=") => per = Per::Args(count('n', &a["--max-args=".len()..])?),
                _ if a.starts_with("--max-lines=") => per = Per::Lines(count('L', &a["--max-lines=".len()..])?),
                _ if a.starts_with("--replace=") => per = Per::Replace(a["--replace=".len()..].to_string()),
                "--replace" | "-i" => per = Per::Replace("{}".to_string()),
                "-0" | "--null" => delimiter = Some('\0'),
                "-p" | "--interactive" => {
                    return Err("xargs: -p asks on the terminal before each command, and this lab's terminal has no keyboard input for commands; run without -p".into());
                }
                _ if a.starts_with("--delimiter=") => delimiter = Some(delimiter_char(&a["--delimiter=".len()..])?),
                _ if a.starts_with("--eof=") => eof = Some(a["--eof=".len()..].to_string()),
                _ if a.starts_with("--max-procs=") => {
                    count_procs(&a["--max-procs=".len()..])?;
                }
                _ if a.starts_with("-d") => delimiter = Some(delimiter_char(&value("d", &a[2..])?)?),
                _ if a.starts_with("-E") => eof = Some(value("E", &a[2..])?),
                _ if a.starts_with("-P") => {
                    count_procs(&value("P", &a[2..])?)?;
                }
                _ if a.starts_with("-n") => per = Per::Args(count('n', &value("n", &a[2..])?)?),
                _ if a.starts_with("-L") => per = Per::Lines(count('L', &value("L", &a[2..])?)?),
                _ if a.starts_with("-I") => per = Per::Replace(value("I", &a[2..])?),
                _ if a.starts_with("-i") => per = Per::Replace(a[2..].to_string()),
                _ => return Err(format!("xargs: invalid option -- '{}'", a.trim_start_matches('-'))),
            }
        }
        let mut command: Vec<String> = args[i..].iter().map(|s| s.to_string()).collect();
        if command.is_empty() {
            command.push("echo".to_string());
        }
        Ok(Xargs {
            command,
            per,
            no_run_if_empty,
            trace,
            waiting: Vec::new(),
            lines: 0,
            ran: false,
            delimiter,
            partial: String::new(),
            eof,
            at_eof: false,
        })
    }

    /// Reads one line of input; returns the commands it has enough for now.
    pub fn push_line(&mut self, line: &str) -> Vec<Vec<String>> {
        if self.at_eof {
            return Vec::new();
        }
        let Some(d) = self.delimiter else {
            return self.push_items(line, split(line));
        };
        // Items end at the delimiter, wherever the lines end; the newline is input too.
        self.partial.push_str(line);
        self.partial.push('\n');
        let mut built = Vec::new();
        while let Some(end) = self.partial.find(d) {
            let item: String = self.partial.drain(..end + d.len_utf8()).take(end).collect();
            built.extend(self.push_items(&item, vec![item.clone()]));
        }
        built
    }

    /// The arguments of one line (or one delimited item) added; the commands they complete.
    fn push_items(&mut self, line: &str, mut items: Vec<String>) -> Vec<Vec<String>> {
        if let Some(eof) = &self.eof
            && let Some(at) = items.iter().position(|a| a == eof)
        {
            items.truncate(at);
            self.at_eof = true;
            if items.is_empty() {
                return Vec::new();
            }
        }
        let mut built = Vec::new();
        match &self.per {
            Per::Replace(r) => {
                // Each line, without its leading blanks, is one argument: blanks in it stay,
                // quotes are still taken away (a delimited item is taken as it is).
                let arg = match self.delimiter {
                    Some(_) => line.to_string(),
                    None => unquote(line.trim_start()),
                };
                if arg.is_empty() {
                    return built;
                }
                let r = r.clone();
                let command = self.command.iter().map(|w| w.replace(&r, &arg)).collect();
                built.push(command);
            }
            Per::All => self.waiting.extend(items),
            Per::Args(n) => {
                let n = *n;
                self.waiting.extend(items);
                while self.waiting.len() >= n {
                    let rest = self.waiting.split_off(n);
                    let args = std::mem::replace(&mut self.waiting, rest);
                    built.push(self.with(args));
                }
            }
            Per::Lines(n) => {
                let n = *n;
                let words = items;
                if words.is_empty() {
                    return built;
                }
                self.waiting.extend(words);
                self.lines += 1;
                // A line ending in a blank goes on on the next one.
                if self.lines >= n && !line.ends_with([' ', '\t']) {
                    self.lines = 0;
                    let args = std::mem::take(&mut self.waiting);
                    built.push(self.with(args));
                }
            }
        }
        self.ran |= !built.is_empty();
        built
    }

    /// The input ended: the command for the arguments left (without any input, one command
    /// without arguments unless `-r` or `-I`).
    pub fn finish(&mut self) -> Vec<Vec<String>> {
        let mut built = Vec::new();
        if !self.partial.is_empty() && !self.at_eof {
            // The last item needs no delimiter after it.
            let item = std::mem::take(&mut self.partial);
            built = self.push_items(&item, vec![item.clone()]);
        }
        let args = std::mem::take(&mut self.waiting);
        let none_yet = !self.ran && !self.no_run_if_empty && !matches!(self.per, Per::Replace(_));
        if args.is_empty() && !none_yet {
            return built;
        }
        self.ran = true;
        built.push(self.with(args));
        built
    }

    /// Every command for `input`, read whole (a pipe whose command already ended).
    pub fn commands(&mut self, input: &str) -> Vec<Vec<String>> {
        let mut all: Vec<Vec<String>> = input.lines().flat_map(|l| self.push_line(l)).collect();
        all.extend(self.finish());
        all
    }

    /// The bytes of input read and not used yet.
    #[cfg(test)]
    pub fn retained(&self) -> usize {
        self.waiting.iter().map(String::len).sum()
    }

    fn with(&self, args: Vec<String>) -> Vec<String> {
        let mut command = self.command.clone();
        command.extend(args);
        command
    }
}

/// GNU xargs' exit status for the commands' statuses: 0, 123 when one failed, 127 when
/// the command was not found.
pub(crate) fn status(statuses: &[i32]) -> i32 {
    if statuses.contains(&127) {
        127
    } else if statuses.iter().any(|s| *s != 0) {
        123
    } else {
        0
    }
}

/// `-n`/`-L`'s number: at least 1.
fn count(flag: char, value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        Ok(_) => Err(format!("xargs: value {value} for -{flag} option should be >= 1")),
        Err(_) => Err(format!("xargs: invalid number \"{value}\" for -{flag} option")),
    }
}

/// `-d`'s character: one character, or a C escape (`\n`, `\t`, `\\`, `\0`, `\xHH`).
fn delimiter_char(value: &str) -> Result<char, String> {
    let mut chars = value.chars();
    let c = match (chars.next(), chars.as_str()) {
        (Some('\\'), "n") => '\n',
        (Some('\\'), "t") => '\t',
        (Some('\\'), "\\") => '\\',
        (Some('\\'), "0") => '\0',
        (Some('\\'), hex) if hex.len() == 3 && hex.starts_with('x') => u8::from_str_radix(&hex[1..], 16)
            .map(char::from)
            .map_err(|_| format!("xargs: invalid escape sequence {value} in input delimiter specification."))?,
        (Some(c), "") => c,
        _ => {
            return Err(format!(
                "xargs: invalid input delimiter specification {value}: the delimiter must be either a single character or an escape sequence starting with \\."
            ));
        }
    };
    Ok(c)
}

/// `-P`'s number: 0 or more.
fn count_procs(value: &str) -> Result<usize, String> {
    value.parse::<usize>().map_err(|_| format!("xargs: invalid number \"{value}\" for -P option"))
}

/// A line of input as one argument (`-I`): quotes and backslashes removed, blanks kept.
fn unquote(line: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => out.extend(chars.next()),
            (None, c) => out.push(c),
        }
    }
    out
}

/// The arguments on one line of input: blank-separated, quotes and backslashes removed.
fn split(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut started = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, '\\') => {
                current.extend(chars.next());
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    args.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            (None, c) => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        args.push(current);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        args: &'static [&'static str],
        input: &'static [&'static str],
        /// The commands after each line, then at the end.
        want: &'static [&'static [&'static str]],
    }

    fn check(case: &Case) {
        let mut x = Xargs::parse(case.args).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let mut got: Vec<String> = Vec::new();
        for line in case.input {
            got.extend(x.push_line(line).iter().map(|c| c.join(" ")));
            got.push("|".into());
        }
        got.extend(x.finish().iter().map(|c| c.join(" ")));
        let want: Vec<String> = case.want.iter().flat_map(|b| b.iter().map(|s| s.to_string())).collect();
        assert_eq!(got, want, "{}", case.name);
    }

    #[test]
    fn builds_commands_as_the_input_comes() {
        let cases = [
            Case {
                name: "plain: one command at the end",
                args: &["kubectl", "delete", "po"],
                input: &["a", "b c"],
                want: &[&["|", "|", "kubectl delete po a b c"]],
            },
            Case {
                name: "-n1: a command for each argument as it is read",
                args: &["-n1", "kubectl", "describe"],
                input: &["a b", "c"],
                want: &[&["kubectl describe a", "kubectl describe b", "|", "kubectl describe c", "|"]],
            },
            Case {
                name: "-n 2 keeps the odd one for the end",
                args: &["-n", "2", "echo"],
                input: &["a b c"],
                want: &[&["echo a b", "|", "echo c"]],
            },
            Case {
                name: "-I: each line replaces the string",
                args: &["-I", "{}", "kubectl", "get", "{}", "-o", "name"],
                input: &["  pod/a", "", "deployment \"web\" rolled out"],
                want: &[&["kubectl get pod/a -o name", "|", "|", "kubectl get deployment web rolled out -o name", "|"]],
            },
            Case {
                name: "-L 1: a line a command",
                args: &["-L", "1", "echo"],
                input: &["a b", "c"],
                want: &[&["echo a b", "|", "echo c", "|"]],
            },
            Case {
                name: "without input one command runs, without arguments",
                args: &["echo", "none"],
                input: &[],
                want: &[&["echo none"]],
            },
            Case {
                name: "-r: no command without input",
                args: &["-r", "echo"],
                input: &[],
                want: &[],
            },
            Case {
                name: "quotes and backslashes",
                args: &[],
                input: &["'a b' \"c d\" e\\ f"],
                want: &[&["|", "echo a b c d e f"]],
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn delimited_items_and_the_end_of_file_string() {
        let cases = [
            Case {
                name: "-d '\\n': a line an item, quotes and blanks kept",
                args: &["-d", "\\n", "-n1", "echo"],
                input: &["a 'b'", "c"],
                want: &[&["echo a 'b'", "|", "echo c", "|"]],
            },
            Case {
                name: "-d ,: items across lines, the newline part of the last",
                args: &["-d,", "echo"],
                input: &["a,b", "c"],
                want: &[&["|", "|", "echo a b\nc\n"]],
            },
            Case {
                name: "-0 without NULs: the whole input is one item",
                args: &["-0", "-n1", "echo"],
                input: &["a b"],
                want: &[&["|", "echo a b\n"]],
            },
            Case {
                name: "-E: the input ends at the argument",
                args: &["-E", "STOP", "-n1", "echo"],
                input: &["a STOP b", "c"],
                want: &[&["echo a", "|", "|"]],
            },
            Case {
                name: "-P: accepted, the commands run in order",
                args: &["-P", "4", "-n1", "echo"],
                input: &["a b"],
                want: &[&["echo a", "echo b", "|"]],
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn bad_options_are_refused() {
        assert!(Xargs::parse(&["-p", "echo"]).err().is_some_and(|e| e.contains("no keyboard input")));
        assert!(Xargs::parse(&["-d", "ab", "echo"]).err().is_some_and(|e| e.contains("invalid input delimiter")));
        assert_eq!(Xargs::parse(&["-P", "x", "echo"]).err().as_deref(), Some("xargs: invalid number \"x\" for -P option"));
        assert_eq!(Xargs::parse(&["-n", "0", "echo"]).err().as_deref(), Some("xargs: value 0 for -n option should be >= 1"));
        assert!(Xargs::parse(&["-n"]).is_err());
        assert!(Xargs::parse(&["-z", "echo"]).is_err());
    }

    #[test]
    fn per_argument_commands_keep_nothing_read() {
        let mut x = Xargs::parse(&["-n1", "echo"]).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..20_000 {
            assert_eq!(x.push_line(&format!("pod-{i}")).len(), 1);
            assert_eq!(x.retained(), 0);
        }
    }
}
