//! `grep` as GNU grep 3.11 runs it on the lab's pipes and files: basic (default), extended
//! (`-E`) or fixed (`-F`) patterns, `-i -v -w -x -n -c -o -q -l -h -H -m`, several `-e`, and
//! context lines (`-A N`, `-B N`, `-C N`, `-N`) with `--` between groups. Options may come
//! after the pattern, as GNU's argument permutation allows (`grep myblog -A10 -B1`).
//!
//! Patterns are translated to `regex_lite` syntax. Back-references (`\1`) are not available;
//! `-w` is approximated by word boundaries.

use crate::fs::LabFs;
use crate::session::{Output, Stream};

/// Runs `grep ARGS` on `stdin` or the files it names.
pub fn run(args: &[&str], stdin: Option<&str>, fs: &LabFs) -> Output {
    let opts = match Options::parse(args) {
        Ok(o) => o,
        Err(msg) => return usage_error(&msg),
    };
    let regex = match opts.regex() {
        Ok(r) => r,
        Err(msg) => {
            let mut out = Output::default();
            out.push(Stream::Stderr, format!("grep: {msg}"));
            out.status = 2;
            return out;
        }
    };
    let mut out = Output::default();
    let mut selected_any = false;
    let mut trouble = false;
    let mut printer = Printer {
        opts: &opts,
        last_printed: None,
        printed_any: false,
    };
    let sources: Vec<(Option<&str>, Option<&str>)> = if opts.files.is_empty() {
        vec![(None, Some(stdin.unwrap_or("")))]
    } else {
        opts.files
            .iter()
            .map(|f| (Some(f.as_str()), if f == "-" { stdin } else { fs.read(f) }))
            .collect()
    };
    let with_name = opts.with_filename.unwrap_or(opts.files.len() > 1);
    for (name, text) in sources {
        let label = name.map(|n| if n == "-" { "(standard input)" } else { n });
        let Some(text) = text else {
            let n = name.unwrap_or("");
            let why = if fs.is_dir(n) {
                "Is a directory"
            } else {
                "No such file or directory"
            };
            out.push(Stream::Stderr, format!("grep: {n}: {why}"));
            trouble = true;
            continue;
        };
        let prefix = if with_name { label } else { None };
        let lines: Vec<&str> = text.lines().collect();
        let mut hits: Vec<bool> = lines
            .iter()
            .map(|l| regex.is_match(l) != opts.invert)
            .collect();
        if let Some(max) = opts.max_count {
            hits.iter_mut()
                .filter(|h| **h)
                .skip(max)
                .for_each(|h| *h = false);
        }
        let count = hits.iter().filter(|h| **h).count();
        selected_any |= count > 0;
        if opts.quiet {
            continue;
        }
        if opts.files_with_matches {
            if count > 0 {
                out.push(Stream::Stdout, label.unwrap_or("(standard input)"));
            }
            continue;
        }
        if opts.count {
            let text = match prefix {
                Some(p) => format!("{p}:{count}"),
                None => count.to_string(),
            };
            out.push(Stream::Stdout, text);
            continue;
        }
        printer.last_printed = None;
        printer.print(&lines, &hits, prefix, &regex, &mut out);
    }
    out.status = if trouble && !(opts.quiet && selected_any) {
        2
    } else if selected_any {
        0
    } else {
        1
    };
    out
}

/// `grep ARGS` reading a pipe line by line, as GNU grep does while its input is still
/// open: each line is matched as it comes and what it prints for it is known at once, so
/// nothing but the `-B` context waiting for a match is kept.
#[derive(Debug, Clone)]
pub(crate) struct LineGrep {
    opts: Options,
    regex: regex_lite::Regex,
    /// The next line's index in the input.
    index: usize,
    /// Lines selected so far (for `-m`).
    selected: usize,
    /// Unprinted lines that may still print as context before a match (at most `-B`).
    before: std::collections::VecDeque<(usize, String)>,
    /// Lines after the last match still owed as context.
    after_left: usize,
    last_printed: Option<usize>,
    printed_any: bool,
}

impl LineGrep {
    /// The line-by-line grep of `args`; None when it reads files, counts or lists (it
    /// prints at the end of its input then) or its arguments are wrong (its error was
    /// shown when the pipeline started).
    pub fn new(args: &[&str]) -> Option<LineGrep> {
        let opts = Options::parse(args).ok()?;
        if !opts.files.is_empty() || opts.count || opts.files_with_matches {
            return None;
        }
        let regex = opts.regex().ok()?;
        Some(LineGrep {
            opts,
            regex,
            index: 0,
            selected: 0,
            before: Default::default(),
            after_left: 0,
            last_printed: None,
            printed_any: false,
        })
    }

    /// What grep prints for the next line of its input.
    /// grep's exit status so far: 0 once a line was selected, else 1.
    pub fn status(&self) -> i32 {
        if self.selected > 0 { 0 } else { 1 }
    }

    pub fn push(&mut self, line: &str) -> Vec<String> {
        let i = self.index;
        self.index += 1;
        let o = &self.opts;
        let context = (o.before > 0 || o.after > 0) && !o.only_matching;
        let hit = self.regex.is_match(line) != o.invert && o.max_count.is_none_or(|m| self.selected < m);
        let mut out = Output::default();
        let mut printer = Printer { opts: o, last_printed: self.last_printed, printed_any: self.printed_any };
        if hit {
            self.selected += 1;
            if o.quiet {
                return Vec::new();
            }
            for (k, l) in self.before.drain(..) {
                printer.emit(k, &l, '-', None, context, &mut out);
            }
            if o.only_matching {
                if !o.invert {
                    for m in self.regex.find_iter(line).filter(|m| !m.as_str().is_empty()) {
                        printer.emit(i, m.as_str(), ':', None, false, &mut out);
                    }
                }
            } else {
                printer.emit(i, line, ':', None, context, &mut out);
            }
            self.after_left = if context { o.after } else { 0 };
        } else if self.after_left > 0 {
            printer.emit(i, line, '-', None, context, &mut out);
            self.after_left -= 1;
        } else if context && o.before > 0 {
            self.before.push_back((i, line.to_string()));
            if self.before.len() > o.before {
                self.before.pop_front();
            }
        }
        (self.last_printed, self.printed_any) = (printer.last_printed, printer.printed_any);
        out.lines.into_iter().map(|l| l.text).collect()
    }

    /// Whether grep has exited: `-q` after its first match, `-m N` after its Nth and the
    /// context after it.
    pub fn done(&self) -> bool {
        let o = &self.opts;
        (o.quiet && self.selected > 0) || o.max_count.is_some_and(|m| self.selected >= m && self.after_left == 0)
    }

    /// The bytes it keeps: the `-B` context waiting for a match.
    #[cfg(test)]
    pub fn retained(&self) -> usize {
        self.before.iter().map(|(_, l)| l.len()).sum()
    }
}

/// What the arguments asked for.
#[derive(Debug, Default, Clone)]
struct Options {
    patterns: Vec<String>,
    files: Vec<String>,
    syntax: Syntax,
    ignore_case: bool,
    invert: bool,
    words: bool,
    whole_line: bool,
    line_numbers: bool,
    count: bool,
    only_matching: bool,
    quiet: bool,
    files_with_matches: bool,
    with_filename: Option<bool>,
    before: usize,
    /// `-m NUM`: stop after NUM selected lines (trailing context is still printed).
    max_count: Option<usize>,
    after: usize,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    #[default]
    Basic,
    Extended,
    Fixed,
}

impl Options {
    /// Reads GNU-style options anywhere among the operands (until `--`).
    fn parse(args: &[&str]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut operands = Vec::new();
        let mut explicit_pattern = false;
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            i += 1;
            if a == "--" {
                operands.extend(args[i..].iter().map(|s| s.to_string()));
                break;
            }
            if let Some(long) = a.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (long, None),
                };
                let mut value = || -> Result<String, String> {
                    if let Some(v) = inline.clone() {
                        return Ok(v);
                    }
                    i += 1;
                    args.get(i - 1)
                        .map(|s| s.to_string())
                        .ok_or(format!("option '--{name}' requires an argument"))
                };
                match name {
                    "after-context" => o.after = context(&value()?)?,
                    "before-context" => o.before = context(&value()?)?,
                    "context" => {
                        let n = context(&value()?)?;
                        (o.before, o.after) = (n, n);
                    }
                    "max-count" => o.max_count = Some(max_count(&value()?)?),
                    "regexp" => {
                        o.patterns.push(value()?);
                        explicit_pattern = true;
                    }
                    "color" | "colour" => {}
                    _ if inline.is_none() && o.flag_long(name) => {}
                    _ => return Err(format!("unrecognized option '{a}'")),
                }
                continue;
            }
            let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) else {
                operands.push(a.to_string());
                continue;
            };
            let chars: Vec<char> = cluster.chars().collect();
            let mut j = 0;
            // `-5` and `-n5`: a number in a cluster is a context length (GNU's -NUM).
            let mut digits = String::new();
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                if c.is_ascii_digit() {
                    digits.push(c);
                    continue;
                }
                if matches!(c, 'A' | 'B' | 'C' | 'e' | 'm') {
                    let value: String = if j < chars.len() {
                        chars[j..].iter().collect()
                    } else {
                        i += 1;
                        args.get(i - 1)
                            .map(|s| s.to_string())
                            .ok_or(format!("option requires an argument -- '{c}'"))?
                    };
                    j = chars.len();
                    match c {
                        'A' => o.after = context(&value)?,
                        'B' => o.before = context(&value)?,
                        'C' => {
                            let n = context(&value)?;
                            (o.before, o.after) = (n, n);
                        }
                        'e' => {
                            o.patterns.push(value);
                            explicit_pattern = true;
                        }
                        _ => o.max_count = Some(max_count(&value)?),
                    }
                    continue;
                }
                if !o.flag(c) {
                    return Err(format!("invalid option -- '{c}'"));
                }
            }
            if !digits.is_empty() {
                let n = context(&digits)?;
                (o.before, o.after) = (n, n);
            }
        }
        if !explicit_pattern {
            if operands.is_empty() {
                return Err(String::new());
            }
            o.patterns.push(operands.remove(0));
        }
        o.files = operands;
        Ok(o)
    }

    /// Sets a one-letter flag; false for an unknown letter.
    fn flag(&mut self, c: char) -> bool {
        match c {
            'i' | 'y' => self.ignore_case = true,
            'v' => self.invert = true,
            'w' => self.words = true,
            'x' => self.whole_line = true,
            'n' => self.line_numbers = true,
            'c' => self.count = true,
            'o' => self.only_matching = true,
            'q' | 's' => self.quiet |= c == 'q',
            'l' => self.files_with_matches = true,
            'h' => self.with_filename = Some(false),
            'H' => self.with_filename = Some(true),
            'E' => self.syntax = Syntax::Extended,
            'F' => self.syntax = Syntax::Fixed,
            'G' => self.syntax = Syntax::Basic,
            _ => return false,
        }
        true
    }

    /// Sets a long flag without a value; false for an unknown name.
    fn flag_long(&mut self, name: &str) -> bool {
        let c = match name {
            "ignore-case" => 'i',
            "invert-match" => 'v',
            "word-regexp" => 'w',
            "line-regexp" => 'x',
            "line-number" => 'n',
            "count" => 'c',
            "only-matching" => 'o',
            "quiet" | "silent" => 'q',
            "no-messages" => 's',
            "files-with-matches" => 'l',
            "no-filename" => 'h',
            "with-filename" => 'H',
            "extended-regexp" => 'E',
            "fixed-strings" => 'F',
            "basic-regexp" => 'G',
            _ => return false,
        };
        self.flag(c)
    }

    /// One regex for all the patterns (each line of each `-e` is a pattern).
    fn regex(&self) -> Result<regex_lite::Regex, String> {
        let mut alternatives = Vec::new();
        for p in self.patterns.iter().flat_map(|p| p.split('\n')) {
            let re = match self.syntax {
                Syntax::Fixed => regex_lite::escape(p),
                Syntax::Basic => translate(p, false)?,
                Syntax::Extended => translate(p, true)?,
            };
            alternatives.push(format!("(?:{re})"));
        }
        let mut re = alternatives.join("|");
        if self.words {
            re = format!(r"\b(?:{re})\b");
        }
        if self.whole_line {
            re = format!("^(?:{re})$");
        }
        if self.ignore_case {
            re = format!("(?i){re}");
        }
        regex_lite::Regex::new(&re)
            .map_err(|_| "Unmatched ( or \\(, or an invalid regular expression".to_string())
    }
}

/// Prints selected lines with their context, GNU's way.
struct Printer<'a> {
    opts: &'a Options,
    /// Index of the last line printed from the current input.
    last_printed: Option<usize>,
    /// Whether anything was printed (a later group then starts with `--`).
    printed_any: bool,
}

impl Printer<'_> {
    fn print(
        &mut self,
        lines: &[&str],
        hits: &[bool],
        prefix: Option<&str>,
        regex: &regex_lite::Regex,
        out: &mut Output,
    ) {
        let o = self.opts;
        let context = (o.before > 0 || o.after > 0) && !o.only_matching;
        // Lines after a selected line still owed as context.
        let mut after_left = 0;
        for (i, line) in lines.iter().enumerate() {
            if hits[i] {
                let from = i.saturating_sub(if context { o.before } else { 0 });
                let from = self.last_printed.map_or(from, |l| from.max(l + 1));
                for (k, l) in lines.iter().enumerate().take(i).skip(from) {
                    self.emit(k, l, '-', prefix, context, out);
                }
                if o.only_matching {
                    if !o.invert {
                        for m in regex.find_iter(line).filter(|m| !m.as_str().is_empty()) {
                            self.emit(i, m.as_str(), ':', prefix, false, out);
                        }
                    }
                } else {
                    self.emit(i, line, ':', prefix, context, out);
                }
                after_left = if context { o.after } else { 0 };
            } else if after_left > 0 {
                self.emit(i, line, '-', prefix, context, out);
                after_left -= 1;
            }
        }
    }

    fn emit(
        &mut self,
        index: usize,
        text: &str,
        sep: char,
        prefix: Option<&str>,
        context: bool,
        out: &mut Output,
    ) {
        let gap = self.last_printed.is_none_or(|l| index > l + 1);
        if context && gap && self.printed_any {
            out.push(Stream::Stdout, "--");
        }
        let mut line = String::new();
        if let Some(p) = prefix {
            line.push_str(p);
            line.push(sep);
        }
        if self.opts.line_numbers {
            line.push_str(&(index + 1).to_string());
            line.push(sep);
        }
        line.push_str(text);
        out.lines.push(crate::OutputLine {
            stream: Stream::Stdout,
            text: line,
        });
        self.last_printed = Some(index);
        self.printed_any = true;
    }
}

/// `-m`'s number of lines.
fn max_count(value: &str) -> Result<usize, String> {
    value.parse().map_err(|_| "invalid max count".to_string())
}

/// A context length: a non-negative number.
fn context(value: &str) -> Result<usize, String> {
    value
        .parse()
        .map_err(|_| format!("{value}: invalid context length argument"))
}

/// GNU grep's complaint about its arguments, with the usage lines; status 2.
fn usage_error(msg: &str) -> Output {
    let mut out = Output::default();
    if !msg.is_empty() {
        out.push(Stream::Stderr, format!("grep: {msg}"));
    }
    // Bad option syntax comes with the usage lines; a bad number does not.
    let syntax = msg.is_empty() || msg.contains("option");
    if syntax {
        out.push(Stream::Stderr, "Usage: grep [OPTION]... PATTERNS [FILE]...");
        out.push(Stream::Stderr, "Try 'grep --help' for more information.");
    }
    out.status = 2;
    out
}

/// A POSIX basic (or, with `extended`, extended) regular expression in `regex_lite` syntax.
fn translate(pattern: &str, extended: bool) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                i += 1;
                match chars.get(i) {
                    None => return Err("Trailing backslash".into()),
                    Some('<' | '>') => out.push_str(r"\b"),
                    Some(&d @ ('w' | 'W' | 's' | 'S' | 'b' | 'B')) => {
                        out.push('\\');
                        out.push(d);
                    }
                    Some(d) if d.is_ascii_digit() => {
                        return Err("back-references are not available in this lab".into());
                    }
                    // In a basic expression these escapes are the operators (GNU extensions
                    // included); in an extended one they are literal.
                    Some(&d @ ('(' | ')' | '|' | '{' | '}' | '+' | '?')) if !extended => {
                        out.push(d)
                    }
                    Some(&d) => out.push_str(&regex_lite::escape(&d.to_string())),
                }
            }
            '(' | ')' | '|' | '{' | '}' | '+' | '?' if !extended => {
                out.push('\\');
                out.push(c);
            }
            '*' if out.is_empty()
                || out.ends_with('(')
                || out.ends_with('^')
                || out.ends_with('|') =>
            {
                out.push_str(r"\*");
            }
            '[' => i = bracket(&chars, i, &mut out),
            '.' | '^' | '$' | '*' | '(' | ')' | '|' | '{' | '}' | '+' | '?' => out.push(c),
            _ => out.push_str(&regex_lite::escape(&c.to_string())),
        }
        i += 1;
    }
    Ok(out)
}

/// Copies the bracket expression starting at `chars[i]`; returns the index of its `]` (a
/// `[` without one is literal).
fn bracket(chars: &[char], i: usize, out: &mut String) -> usize {
    let mut j = i + 1;
    let mut body = String::new();
    if chars.get(j) == Some(&'^') {
        body.push('^');
        j += 1;
    }
    if chars.get(j) == Some(&']') {
        body.push_str(r"\]");
        j += 1;
    }
    while let Some(&c) = chars.get(j) {
        match c {
            ']' => {
                out.push('[');
                out.push_str(&body);
                out.push(']');
                return j;
            }
            '[' if chars.get(j + 1) == Some(&':') => {
                let end = (j + 2..chars.len().saturating_sub(1))
                    .find(|&k| chars[k] == ':' && chars[k + 1] == ']');
                match end {
                    Some(k) => {
                        body.extend(&chars[j..=k + 1]);
                        j = k + 1;
                    }
                    None => body.push_str(r"\["),
                }
            }
            '\\' | '[' | '&' | '~' => {
                body.push('\\');
                body.push(c);
            }
            _ => body.push(c),
        }
        j += 1;
    }
    out.push_str(r"\[");
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONF: &str = "http {\n  upstream a {}\n  ## start server myblog.luffy.com\n  server {\n    server_name myblog.luffy.com ;\n    listen 80 ;\n  }\n  ## end server myblog.luffy.com\n  server {\n    server_name other ;\n  }\n}\n";

    struct Case {
        name: &'static str,
        args: &'static [&'static str],
        want: &'static str,
        status: i32,
    }

    fn check(case: &Case, fs: &LabFs) {
        let out = run(case.args, Some(CONF), fs);
        assert_eq!(out.text(), case.want, "case {}", case.name);
        assert_eq!(out.status, case.status, "case {}", case.name);
    }

    // Outputs checked against GNU grep 3.11 on the same input.
    #[test]
    fn matches_gnu_grep() {
        let mut fs = LabFs::default();
        fs.write("nginx.conf", CONF, false);
        fs.write("b.txt", "one\nserver two\n", false);
        let cases = [
            Case {
                name: "substring",
                args: &["server_name"],
                want: "    server_name myblog.luffy.com ;\n    server_name other ;\n",
                status: 0,
            },
            Case {
                name: "no match",
                args: &["nothing"],
                want: "",
                status: 1,
            },
            Case {
                name: "invert ignore case",
                args: &["-vi", "SERVER"],
                want: "http {\n  upstream a {}\n    listen 80 ;\n  }\n  }\n}\n",
                status: 0,
            },
            Case {
                name: "options after the pattern (notes)",
                args: &["myblog", "-A10", "-B1"],
                want: "  upstream a {}\n  ## start server myblog.luffy.com\n  server {\n    server_name myblog.luffy.com ;\n    listen 80 ;\n  }\n  ## end server myblog.luffy.com\n  server {\n    server_name other ;\n  }\n}\n",
                status: 0,
            },
            Case {
                name: "groups separated by --",
                args: &["-A", "1", "server_name"],
                want: "    server_name myblog.luffy.com ;\n    listen 80 ;\n--\n    server_name other ;\n  }\n",
                status: 0,
            },
            Case {
                name: "before context with numbers",
                args: &["-n", "-B1", "server_name"],
                want: "4-  server {\n5:    server_name myblog.luffy.com ;\n--\n9-  server {\n10:    server_name other ;\n",
                status: 0,
            },
            Case {
                name: "overlapping context merges",
                args: &["-C", "1", "server {"],
                want: "  ## start server myblog.luffy.com\n  server {\n    server_name myblog.luffy.com ;\n--\n  ## end server myblog.luffy.com\n  server {\n    server_name other ;\n",
                status: 0,
            },
            Case {
                name: "-n5 is -n -C5",
                args: &["-n1", "listen"],
                want: "5-    server_name myblog.luffy.com ;\n6:    listen 80 ;\n7-  }\n",
                status: 0,
            },
            Case {
                name: "count",
                args: &["-c", "server"],
                want: "6\n",
                status: 0,
            },
            Case {
                name: "basic regex anchors",
                args: &["^  server"],
                want: "  server {\n  server {\n",
                status: 0,
            },
            Case {
                name: "basic alternation",
                args: &["listen\\|upstream"],
                want: "  upstream a {}\n    listen 80 ;\n",
                status: 0,
            },
            Case {
                name: "extended alternation",
                args: &["-E", "listen|upstream"],
                want: "  upstream a {}\n    listen 80 ;\n",
                status: 0,
            },
            Case {
                name: "plus is literal in basic",
                args: &["a+"],
                want: "",
                status: 1,
            },
            Case {
                name: "fixed strings",
                args: &["-F", "a {}"],
                want: "  upstream a {}\n",
                status: 0,
            },
            Case {
                name: "only matching",
                args: &["-o", "myblog[a-z.]*"],
                want: "myblog.luffy.com\nmyblog.luffy.com\nmyblog.luffy.com\n",
                status: 0,
            },
            Case {
                name: "whole words",
                args: &["-w", "a"],
                want: "  upstream a {}\n",
                status: 0,
            },
            Case {
                name: "files get names",
                args: &["server", "b.txt", "nginx.conf", "-c"],
                want: "b.txt:1\nnginx.conf:6\n",
                status: 0,
            },
            Case {
                name: "file with context",
                args: &["-A1", "one", "b.txt"],
                want: "one\nserver two\n",
                status: 0,
            },
            Case {
                name: "missing file",
                args: &["x", "nope.txt"],
                want: "grep: nope.txt: No such file or directory\n",
                status: 2,
            },
            Case {
                name: "quiet",
                args: &["-q", "listen"],
                want: "",
                status: 0,
            },
            Case {
                name: "no pattern",
                args: &["-i"],
                want: "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
                status: 2,
            },
            Case {
                name: "missing context value",
                args: &["x", "-A"],
                want: "grep: option requires an argument -- 'A'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
                status: 2,
            },
            Case {
                name: "bad context value",
                args: &["-A", "x", "y"],
                want: "grep: x: invalid context length argument\n",
                status: 2,
            },
            Case {
                name: "unknown option",
                args: &["-Z", "x"],
                want: "grep: invalid option -- 'Z'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
                status: 2,
            },
            Case {
                name: "max count keeps trailing context",
                args: &["-m1", "-A1", "server_name"],
                want: "    server_name myblog.luffy.com ;\n    listen 80 ;\n",
                status: 0,
            },
            Case {
                name: "bad max count",
                args: &["-m", "x", "y"],
                want: "grep: invalid max count\n",
                status: 2,
            },
            Case {
                name: "double dash",
                args: &["--", "-v"],
                want: "",
                status: 1,
            },
            Case {
                name: "long options",
                args: &["--after-context=1", "--line-number", "listen"],
                want: "6:    listen 80 ;\n7-  }\n",
                status: 0,
            },
        ];
        for case in &cases {
            check(case, &fs);
        }
    }
}
