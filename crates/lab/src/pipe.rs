//! The later stages of a pipeline whose command goes on printing (`kubectl get pods -w |
//! grep Running &`, `kubectl logs -f web | head -3`): bash keeps the pipe open, so every
//! line the command prints later goes through `grep` as the first ones did.
//!
//! Each stage keeps its own state, as the process would. A line filter (`grep` without
//! `-c`/`-l`, `head -n N`, `awk` without `END`, `cat`, `cut`, `tr`, `uniq`) reads one line
//! at a time and prints
//! what it has for it at once, keeping only what it needs for the lines still to come
//! (`grep -B`'s context, `head`'s count): a `get -w | grep` job that runs for hours holds
//! nothing more than at its start. A stage that reports when its input ends (`wc`, `tail`,
//! `sort`, `grep -c`/`-l`, `awk` with `END`, [`reports_at_end`]) keeps its input and prints, from
//! the first lines on, only once the command ends by itself ([`Pipe::finish`]); Ctrl+C or
//! `kill` ends the whole pipeline and it never prints. Any other text tool (`head -c`, a
//! `grep` of files) runs again over all its input, its new lines at the end shown.
//!
//! A stage that is not a text tool runs commands, which the session runs as it runs a typed
//! one ([`Pipe::take_invocation`], `Session::drain_pipe`), their output going on through the
//! later stages ([`Pipe::invoked`]). `xargs` builds its commands as its input comes
//! (`xargs -n1 kubectl describe`, `-I {}`: one a line as the lines arrive; plain `xargs`:
//! one at the end, `crate::xargs`); any other command (`kubectl apply -f -`) reads all its
//! input and runs when the input ends, which it only does when the command before it ends
//! by itself: Ctrl+C or `kill` ends the whole pipeline without running it, as in bash.
//!
//! `head` exits once it has printed its lines (`grep -m N` after its Nth match, `grep -q`
//! after its first, `cat FILE` at once): the stages after it read the end of their input
//! then (`get -w | head -n 5 | wc -l` prints 5), and the next line written to it fails, so
//! the command dies of SIGPIPE ([`Pipe::closed`]): its job ends (`Done`: bash reports the
//! last stage's status).

use std::collections::VecDeque;

use crate::coreutils::{self, Cut, Tr, Uniq};
use crate::fs::LabFs;
use crate::grep::LineGrep;
use crate::session::{filters, Output, OutputLine, Stream};
use crate::xargs::Xargs;

/// The stages after the command that goes on printing, each with its state.
#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    stages: Vec<Stage>,
    /// Whether the command's errors go into the pipe too (`2>&1` on it).
    pub errors_too: bool,
    /// A stage had exited when a line was written to it: the pipe is broken.
    broken: bool,
    /// Commands stages are due to run, in order.
    pending: VecDeque<Invocation>,
    /// The input has ended and the end has reached this stage (it waits while commands
    /// are due: what they print comes before the end).
    ending: Option<usize>,
    /// The end has begun: the command ended by itself, or a stage exited and closed the
    /// input of those after it.
    ended: bool,
    /// The statuses of the commands the last stage ran.
    statuses: Vec<i32>,
}

/// A command a stage of a pipe runs now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invocation {
    /// The stage's index: what the command prints goes on to the next one.
    pub stage: usize,
    pub words: Vec<String>,
    /// What it reads (None: nothing, as xargs' commands).
    pub stdin: Option<String>,
    /// `xargs -t`: the command is shown on standard error first.
    pub trace: bool,
}

impl Pipe {
    /// A pipe into `stages` (expanded words) that has already carried `fed` (what the
    /// command printed while its line ran; the stages' output for it was shown then,
    /// unless they hold it), with what the stages after one that exited on it print at the
    /// end of their input (`head` had its lines: a `wc` after it counts them now).
    pub fn open(stages: Vec<Vec<String>>, fed: String, errors_too: bool, fs: &LabFs) -> (Pipe, Vec<String>) {
        let stages = stages.into_iter().map(Stage::of).collect();
        let mut pipe =
            Pipe { stages, errors_too, broken: false, pending: VecDeque::new(), ending: None, ended: false, statuses: Vec::new() };
        pipe.run_from(0, fed.lines().map(str::to_string).collect(), fs);
        let ended = pipe.end_after_exited(fs);
        (pipe, ended)
    }

    /// [`Pipe::open`] without what the end printed.
    #[cfg(test)]
    pub fn new(stages: Vec<Vec<String>>, fed: String, errors_too: bool, fs: &LabFs) -> Pipe {
        Pipe::open(stages, fed, errors_too, fs).0
    }

    /// Writes `lines` into the pipe; returns the lines the last stage prints for them.
    pub fn feed(&mut self, lines: &[String], fs: &LabFs) -> Vec<String> {
        let mut out = self.run_from(0, lines.to_vec(), fs);
        out.extend(self.end_after_exited(fs));
        out
    }

    /// The next command a stage is due to run, taken out to run.
    pub fn take_invocation(&mut self) -> Option<Invocation> {
        self.pending.pop_front()
    }

    /// Whether commands are due to run.
    pub fn has_work(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Whether `stage` is the last one (its command's errors go where the pipeline's do).
    pub fn is_last(&self, stage: usize) -> bool {
        stage + 1 == self.stages.len()
    }

    /// The command stage `stage` ran exited with `status` after printing `lines`: they go
    /// through the stages after it; returns what the last one prints, with what the end
    /// brings once no command is due any more.
    pub fn invoked(&mut self, stage: usize, lines: Vec<String>, status: i32, fs: &LabFs) -> Vec<String> {
        if self.is_last(stage) {
            self.statuses.push(status);
        }
        let mut out = self.run_from(stage + 1, lines, fs);
        out.extend(self.end_after_exited(fs));
        out.extend(self.go_on_ending(fs));
        out
    }

    /// The pipeline's status, its last stage's: xargs' for the commands it ran, the
    /// command's own, a text tool's (`grep`: whether it selected a line; a tool that
    /// reports at the end once it has); None before any of them has one.
    pub fn status(&self) -> Option<i32> {
        match self.stages.last()? {
            Stage::Xargs(_) if !self.statuses.is_empty() => Some(crate::xargs::status(&self.statuses)),
            Stage::ReadsAll { .. } => self.statuses.last().copied(),
            Stage::Lines(LineTool::Grep(g)) => Some(g.status()),
            Stage::Lines(_) => Some(0),
            Stage::AtEnd { status, .. } => *status,
            _ => None,
        }
    }

    /// Whether the command's writes into the pipe fail now (SIGPIPE): a stage in it has
    /// exited (`head` has its lines), and more came after.
    pub fn closed(&self) -> bool {
        self.broken
    }

    /// The command ended by itself and closed the pipe: what the stages print at the end of
    /// their input (a held count, in full), each stage's end reaching the next.
    pub fn finish(&mut self, fs: &LabFs) -> Vec<String> {
        if self.ended {
            return Vec::new();
        }
        self.ended = true;
        self.ending = Some(0);
        self.go_on_ending(fs)
    }

    /// Carries the end of the input on from stage to stage while no command is due.
    fn go_on_ending(&mut self, fs: &LabFs) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(i) = self.ending {
            if self.has_work() {
                break;
            }
            let Some(stage) = self.stages.get_mut(i) else {
                self.ending = None;
                break;
            };
            let lines = stage.finish(i, fs, &mut self.pending);
            self.ending = Some(i + 1);
            out.extend(self.run_from(i + 1, lines, fs));
        }
        out
    }

    /// The bytes of input the stages keep for later (a held stage's input, `grep -B`'s
    /// context): what the pipe costs beyond its stages' state.
    #[cfg(test)]
    pub fn retained(&self) -> usize {
        self.stages.iter().map(Stage::retained).sum()
    }

    /// A stage that has exited (`head` with its lines, `grep -m`) closed its output: the
    /// stages after it read the end of their input now (`get -w | head -n 5 | wc -l` counts
    /// 5 as soon as head exits; the command itself dies at its next write).
    fn end_after_exited(&mut self, fs: &LabFs) -> Vec<String> {
        if self.ended {
            return Vec::new();
        }
        let Some(i) = self.stages.iter().position(Stage::exited) else {
            return Vec::new();
        };
        self.ended = true;
        self.ending = Some(i + 1);
        self.go_on_ending(fs)
    }

    /// Runs `lines` through the stages from `from` on.
    fn run_from(&mut self, from: usize, mut batch: Vec<String>, fs: &LabFs) -> Vec<String> {
        for (i, stage) in self.stages.iter_mut().enumerate().skip(from) {
            if batch.is_empty() {
                break;
            }
            batch = stage.push(i, batch, fs, &mut self.broken, &mut self.pending);
        }
        batch
    }
}

/// One stage of a pipe and what it keeps.
#[derive(Debug, Clone)]
enum Stage {
    /// A tool that prints as it reads, line by line.
    Lines(LineTool),
    /// A tool that prints at the end of its input: the input so far, and its exit status
    /// once it has run.
    AtEnd { words: Vec<String>, input: String, status: Option<i32> },
    /// Any other text tool: all its input, and the output lines shown from it.
    Rerun { words: Vec<String>, input: String, shown: Vec<String> },
    /// `xargs`: the commands it builds as its input comes.
    Xargs(Box<Xargs>),
    /// Any other command: it reads all its input, then runs.
    ReadsAll { words: Vec<String>, input: String },
    /// A stage that exited at once (`cat FILE`, `xargs` refusing its options): a line
    /// written to it breaks the pipe.
    Exited,
}

/// The line filters, with their state.
#[derive(Debug, Clone)]
enum LineTool {
    Grep(Box<LineGrep>),
    /// `head -n N` from standard input: the lines it still prints.
    Head(usize),
    /// `awk` with a program of `print`s (its words).
    Awk(Vec<String>),
    /// `cat` with no file.
    Cat,
    Cut(Box<Cut>),
    /// `tr` whose sets leave the newline alone.
    Tr(Box<Tr>),
    /// `uniq`: the group it has not printed yet.
    Uniq(Box<Uniq>),
}

impl Stage {
    /// Whether the stage has exited and reads no more.
    fn exited(&self) -> bool {
        match self {
            Stage::Lines(tool) => tool.done(),
            Stage::Exited => true,
            _ => false,
        }
    }

    /// The stage a command's words make.
    fn of(words: Vec<String>) -> Stage {
        let args: Vec<&str> = words.iter().skip(1).map(String::as_str).collect();
        let tool = match words.first().map(String::as_str) {
            _ if reports_at_end(&words) => None,
            Some("grep") => LineGrep::new(&args).map(|g| LineTool::Grep(Box::new(g))),
            Some("head") => head_lines(&words).map(LineTool::Head),
            Some("awk") => Some(LineTool::Awk(words.clone())),
            Some("cat") if matches!(args.as_slice(), [] | ["-"]) => Some(LineTool::Cat),
            Some("cut") => Cut::parse(&args).ok().map(|c| LineTool::Cut(Box::new(c))),
            Some("tr") => Tr::parse(&args).ok().map(|t| LineTool::Tr(Box::new(t))),
            Some("uniq") => Uniq::parse(&args).ok().map(|u| LineTool::Uniq(Box::new(u))),
            _ => None,
        };
        match tool {
            Some(tool) => Stage::Lines(tool),
            None if reports_at_end(&words) => Stage::AtEnd { words, input: String::new(), status: None },
            None if matches!(words.first().map(String::as_str), Some("grep" | "head" | "awk" | "cut" | "tr" | "uniq")) => {
                Stage::Rerun { words, input: String::new(), shown: Vec::new() }
            }
            // `cat FILE` prints the file and exits without reading the pipe.
            None if words.first().map(String::as_str) == Some("cat") => Stage::Exited,
            None if words.first().map(String::as_str) == Some("xargs") => match Xargs::parse(&args) {
                Ok(x) => Stage::Xargs(Box::new(x)),
                Err(_) => Stage::Exited,
            },
            None => Stage::ReadsAll { words, input: String::new() },
        }
    }

    /// Reads `batch` as stage `index`; returns what it prints for it, and queues the
    /// commands it runs for it on `pending`. A line written to a stage that has exited
    /// breaks the pipe (`broken`) and goes nowhere.
    fn push(
        &mut self,
        index: usize,
        batch: Vec<String>,
        fs: &LabFs,
        broken: &mut bool,
        pending: &mut VecDeque<Invocation>,
    ) -> Vec<String> {
        match self {
            Stage::Lines(tool) => {
                let mut out = Vec::new();
                for line in batch {
                    if tool.done() {
                        *broken = true;
                        break;
                    }
                    tool.push(line, &mut out);
                }
                out
            }
            Stage::AtEnd { input, .. } | Stage::ReadsAll { input, .. } => {
                append_lines(input, &batch);
                Vec::new()
            }
            Stage::Xargs(x) => {
                for line in &batch {
                    for words in x.push_line(line) {
                        pending.push_back(Invocation { stage: index, words, stdin: None, trace: x.trace });
                    }
                }
                Vec::new()
            }
            Stage::Exited => {
                *broken = true;
                Vec::new()
            }
            Stage::Rerun { words, input, shown } => {
                append_lines(input, &batch);
                let (out, _) = run_stage(words, input, fs).unwrap_or_default();
                let out: Vec<String> = out.lines().map(str::to_string).collect();
                if !out.starts_with(shown) {
                    return Vec::new();
                }
                let new = out[shown.len()..].to_vec();
                *shown = out;
                new
            }
        }
    }

    /// What stage `index` prints once its input ends, and the commands it runs then.
    fn finish(&mut self, index: usize, fs: &LabFs, pending: &mut VecDeque<Invocation>) -> Vec<String> {
        match self {
            Stage::AtEnd { words, input, status } => {
                let (out, code) = run_stage(words, input, fs).unwrap_or_default();
                input.clear();
                *status = Some(code);
                out.lines().map(str::to_string).collect()
            }
            Stage::Xargs(x) => {
                for words in x.finish() {
                    pending.push_back(Invocation { stage: index, words, stdin: None, trace: x.trace });
                }
                Vec::new()
            }
            Stage::ReadsAll { words, input } => {
                let stdin = std::mem::take(input);
                pending.push_back(Invocation { stage: index, words: words.clone(), stdin: Some(stdin), trace: false });
                Vec::new()
            }
            Stage::Lines(tool) => tool.finish(),
            Stage::Rerun { .. } | Stage::Exited => Vec::new(),
        }
    }

    #[cfg(test)]
    fn retained(&self) -> usize {
        match self {
            Stage::Lines(LineTool::Grep(g)) => g.retained(),
            Stage::AtEnd { input, .. } | Stage::Rerun { input, .. } | Stage::ReadsAll { input, .. } => input.len(),
            Stage::Xargs(x) => x.retained(),
            Stage::Lines(_) | Stage::Exited => 0,
        }
    }
}

impl LineTool {
    /// Whether the tool has exited.
    fn done(&self) -> bool {
        match self {
            LineTool::Grep(g) => g.done(),
            LineTool::Head(left) => *left == 0,
            LineTool::Awk(_) | LineTool::Cat | LineTool::Cut(_) | LineTool::Tr(_) | LineTool::Uniq(_) => false,
        }
    }

    /// What the tool prints when its input ends (`uniq`'s last group).
    fn finish(&mut self) -> Vec<String> {
        match self {
            LineTool::Uniq(u) => u.finish().into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// Reads one line; what it prints for it goes onto `out`.
    fn push(&mut self, line: String, out: &mut Vec<String>) {
        match self {
            LineTool::Grep(g) => out.extend(g.push(&line)),
            LineTool::Head(left) => {
                *left -= 1;
                out.push(line);
            }
            LineTool::Awk(words) => {
                let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
                // A program the lab cannot run was refused when the pipeline started.
                if let Ok(lines) = crate::text_tools::awk(&args, &line) {
                    out.extend(lines);
                }
            }
            LineTool::Cat => out.push(line),
            LineTool::Cut(c) => out.extend(c.line(&line)),
            LineTool::Tr(t) => out.push(t.apply(&line)),
            LineTool::Uniq(u) => out.extend(u.push(&line)),
        }
    }
}

fn append_lines(text: &mut String, lines: &[String]) {
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
}

/// Whether a later stage of a pipe runs commands from it as its input comes (`xargs`,
/// `kubectl apply -f -`): not a text tool the pipe runs itself, nor an `xargs` that refuses
/// its options and exits at once.
pub(crate) fn runs_commands(words: &[String]) -> bool {
    match words.first().map(String::as_str) {
        Some(tool) if is_text_tool(tool) => false,
        Some("xargs") => {
            let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
            Xargs::parse(&args).is_ok()
        }
        _ => true,
    }
}

/// The text tools the lab runs itself on a pipe's input.
pub(crate) fn is_text_tool(program: &str) -> bool {
    matches!(program, "grep" | "head" | "tail" | "wc" | "awk" | "cat" | "sort" | "uniq" | "cut" | "tr" | "base64")
}

/// Whether the pipeline's output waits for the end of its input: some stage reports only
/// then (`stages` as expanded words).
pub(crate) fn holds(stages: &[Vec<String>]) -> bool {
    stages.iter().any(|s| reports_at_end(s))
}

/// Whether a text tool prints only once its input ends: `wc`, `tail` (the last lines are
/// known only then), `grep` counting or naming files (`-c`, `-l`, `-L`), `awk` with an
/// `END` rule.
pub(crate) fn reports_at_end(words: &[String]) -> bool {
    let flags = || words[1..].iter().take_while(|w| *w != "--");
    match words.first().map(String::as_str) {
        Some("wc" | "tail" | "sort" | "base64") => true,
        // A `tr` that names the newline changes where lines end: it runs over all its input.
        Some("tr") => {
            let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
            Tr::parse(&args).is_ok_and(|t| t.touches_newline())
        }
        Some("grep") => flags().any(|w| {
            matches!(w.as_str(), "--count" | "--files-with-matches" | "--files-without-match")
                || (w.starts_with('-') && !w.starts_with("--") && w[1..].chars().any(|c| matches!(c, 'c' | 'l' | 'L')))
        }),
        Some("awk") => words[1..].iter().any(|w| w.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| t == "END")),
        _ => false,
    }
}

/// What a text tool reads: standard input's text so far, and whether more may come (its
/// writer goes on printing: `uniq` then holds its last group).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Input<'a> {
    pub text: Option<&'a str>,
    pub open: bool,
}

/// The text tools the lab runs on a pipe's input: `None` for any other command.
pub(crate) fn text_tool(words: &[&str], input: Input<'_>, fs: &LabFs) -> Option<Output> {
    let stdin = input.text;
    Some(match words {
        ["grep", rest @ ..] => crate::grep::run(rest, stdin, fs),
        ["head", rest @ ..] => filters::head_tail(rest, stdin, fs, true),
        ["tail", rest @ ..] => filters::head_tail(rest, stdin, fs, false),
        ["wc", rest @ ..] => filters::wc(rest, stdin),
        ["sort", rest @ ..] => {
            let input = match sort_input(rest, stdin, fs) {
                Ok(text) => text,
                Err(out) => return Some(out),
            };
            refusable(coreutils::sort(rest, &input))
        }
        ["uniq", rest @ ..] => refusable(Uniq::parse(rest).map(|u| u.run(stdin.unwrap_or(""), input.open))),
        ["cut", rest @ ..] => refusable(Cut::parse(rest).map(|c| {
            stdin.unwrap_or("").lines().filter_map(|l| c.line(l)).collect()
        })),
        ["tr", rest @ ..] => match Tr::parse(rest) {
            // tr passes its input's line ends through as they are.
            Ok(t) => {
                let text = t.apply(stdin.unwrap_or(""));
                Output::stdout(text.strip_suffix('\n').unwrap_or(&text))
            }
            Err(e) => refusable(Err(e)),
        },
        ["base64", rest @ ..] => base64(rest, stdin, fs),
        ["awk", rest @ ..] => match crate::text_tools::awk(rest, stdin.unwrap_or("")) {
            Ok(lines) => Output::stdout(lines.join("\n")),
            Err(e) => {
                let mut out = Output::stderr(e);
                out.status = 2;
                out
            }
        },
        _ => return None,
    })
}

/// `base64` over its file operand or standard input: what it printed, the end of its text
/// left open where the data has no final newline (`base64 -d` of `root`).
fn base64(args: &[&str], stdin: Option<&str>, fs: &LabFs) -> Output {
    let tool = match coreutils::Base64::parse(args) {
        Ok(tool) => tool,
        Err(e) => return refusable(Err(e)),
    };
    let input = match &tool.file {
        None => stdin.unwrap_or(""),
        Some(f) => match fs.read(f) {
            Some(text) => text,
            None => {
                let why = if fs.is_dir(f) { "Is a directory" } else { "No such file or directory" };
                let mut out = Output::stderr(format!("base64: {f}: {why}"));
                out.status = 1;
                return out;
            }
        },
    };
    let done = tool.run(input.as_bytes());
    let mut out = Output {
        lines: done.lines.into_iter().map(|text| OutputLine { stream: Stream::Stdout, text }).collect(),
        unterminated: done.unterminated,
        ..Output::default()
    };
    if let Some(e) = done.refused {
        out.push(Stream::Stderr, e.message);
        out.status = e.status;
    }
    out
}

/// A coreutils tool's lines, or its refusal on stderr with its status.
fn refusable(result: Result<Vec<String>, coreutils::Refused>) -> Output {
    match result {
        Ok(lines) => Output::stdout(lines.join("\n")),
        Err(e) => {
            let mut out = Output::stderr(e.message);
            out.status = e.status;
            out
        }
    }
}

/// What `sort` reads: its file operands in turn, or standard input without any.
fn sort_input(args: &[&str], stdin: Option<&str>, fs: &LabFs) -> Result<String, Output> {
    let files = coreutils::sort_files(args);
    if files.is_empty() {
        return Ok(stdin.unwrap_or("").to_string());
    }
    let mut text = String::new();
    for f in &files {
        let f = f.as_str();
        let read = if f == "-" { stdin } else { fs.read(f) };
        let Some(t) = read else {
            let why = if fs.is_dir(f) { "read failed: Is a directory" } else { "No such file or directory" };
            let mut out = Output::stderr(format!("sort: cannot read: {f}: {why}"));
            out.status = 2;
            return Err(out);
        };
        text.push_str(t);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    Ok(text)
}

/// One stage's standard output for `input` and its exit status; None for a command that is
/// not a text tool.
fn run_stage(stage: &[String], input: &str, fs: &LabFs) -> Option<(String, i32)> {
    let words: Vec<&str> = stage.iter().map(String::as_str).collect();
    let out = match words.as_slice() {
        // `cat` with no file passes its input on.
        ["cat"] | ["cat", "-"] => Output::stdout(input.trim_end_matches('\n')),
        _ => text_tool(&words, Input { text: Some(input), open: false }, fs)?,
    };
    let text = out
        .lines
        .iter()
        .filter(|l| l.stream == crate::session::Stream::Stdout)
        .map(|l| format!("{}\n", l.text))
        .collect();
    Some((text, out.status))
}

/// The lines `head` prints from standard input before it exits: `-n N`, `-N`,
/// `--lines=N`, 10 without one; None when it reads files, counts bytes or prints all but
/// the last lines (`-n -N`), which it does only at the end.
fn head_lines(words: &[String]) -> Option<usize> {
    if words.first().map(String::as_str) != Some("head") {
        return None;
    }
    let mut n = 10;
    let mut args = words[1..].iter();
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "-n" | "--lines" => args.next()?.clone(),
            a if a.starts_with("--lines=") => a["--lines=".len()..].to_string(),
            a if a.starts_with("-n") => a[2..].to_string(),
            a if a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) => a[1..].to_string(),
            "-" => continue,
            // Bytes, or a file to read instead of the pipe.
            _ => return None,
        };
        n = value.parse().ok()?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        stages: &'static [&'static [&'static str]],
        /// The first batch, then each later one.
        batches: &'static [&'static [&'static str]],
        /// What each later batch prints, then what the end prints.
        want: &'static [&'static [&'static str]],
    }

    fn check(case: &Case) {
        let fs = LabFs::default();
        let stages = case.stages.iter().map(|s| s.iter().map(|w| w.to_string()).collect()).collect();
        let first: String = case.batches[0].iter().map(|l| format!("{l}\n")).collect();
        let mut pipe = Pipe::new(stages, first, false, &fs);
        let mut got: Vec<Vec<String>> = Vec::new();
        for batch in &case.batches[1..] {
            let lines: Vec<String> = batch.iter().map(|l| l.to_string()).collect();
            got.push(pipe.feed(&lines, &fs));
        }
        got.push(pipe.finish(&fs));
        let want: Vec<Vec<String>> = case.want.iter().map(|b| b.iter().map(|l| l.to_string()).collect()).collect();
        assert_eq!(got, want, "{}", case.name);
    }

    #[test]
    fn head_closes_the_pipe_once_more_than_its_lines_came() {
        let fs = LabFs::default();
        let stages = |words: &[&str]| vec![words.iter().map(|w| w.to_string()).collect::<Vec<String>>()];
        let mut pipe = Pipe::new(stages(&["head", "-n", "2"]), "a\n".into(), false, &fs);
        assert!(!pipe.closed());
        pipe.feed(&["b".to_string()], &fs);
        assert!(!pipe.closed(), "head has its two lines and exits; nothing was written since");
        pipe.feed(&["c".to_string()], &fs);
        assert!(pipe.closed());
        let files = Pipe::new(stages(&["head", "-n", "1", "f.txt"]), "a\nb\n".into(), false, &fs);
        assert!(!files.closed(), "head reading a file does not read the pipe");
        let bytes = Pipe::new(stages(&["head", "-c", "1"]), "a\nb\n".into(), false, &fs);
        assert!(!bytes.closed());
        let default = Pipe::new(stages(&["head"]), "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n".into(), false, &fs);
        assert!(default.closed());
    }

    #[test]
    fn line_filters_keep_no_input() {
        let fs = LabFs::default();
        let stages = vec![
            vec!["grep".to_string(), "Running".to_string()],
            vec!["head".to_string(), "-n".to_string(), "20000".to_string()],
            vec!["awk".to_string(), "{print $1}".to_string()],
        ];
        let mut pipe = Pipe::new(stages, "NAME STATUS\n".into(), false, &fs);
        let mut printed = Vec::new();
        for i in 0..20_000 {
            let status = if i % 2 == 0 { "Running" } else { "Pending" };
            printed.extend(pipe.feed(&[format!("web-{i} {status}")], &fs));
            assert_eq!(pipe.retained(), 0, "line {i}");
        }
        assert_eq!(printed.len(), 10_000);
        assert_eq!(printed.first().map(String::as_str), Some("web-0"));
        assert_eq!(printed.last().map(String::as_str), Some("web-19998"));
        assert!(pipe.finish(&fs).is_empty());
        assert!(!pipe.closed());
        // `-B` keeps at most its context.
        let mut context = Pipe::new(vec![vec!["grep".into(), "-B2".into(), "never".into()]], String::new(), false, &fs);
        for i in 0..20_000 {
            context.feed(&[format!("line {i}")], &fs);
        }
        assert_eq!(context.retained(), "line 19998".len() + "line 19999".len());
    }

    /// The commands a pipe's stages run, as the session would run them: each prints
    /// `ran WORDS [< STDIN]` and exits 0.
    fn run_commands(pipe: &mut Pipe, fs: &LabFs, printed: &mut Vec<String>) -> Vec<String> {
        let mut ran = Vec::new();
        while let Some(inv) = pipe.take_invocation() {
            let mut line = format!("ran {}", inv.words.join(" "));
            if let Some(stdin) = &inv.stdin {
                line.push_str(&format!(" < {}", stdin.replace('\n', ",")));
            }
            ran.push(line.clone());
            printed.extend(pipe.invoked(inv.stage, vec![line], 0, fs));
        }
        ran
    }

    #[test]
    fn command_stages_run_as_their_input_comes() {
        let fs = LabFs::default();
        let words = |s: &[&[&str]]| -> Vec<Vec<String>> { s.iter().map(|w| w.iter().map(|x| x.to_string()).collect()).collect() };
        // xargs -n1: a command a line as the lines arrive; grep after it reads what they print.
        let mut pipe = Pipe::new(words(&[&["xargs", "-n1", "kubectl", "describe"], &["grep", "-w", "b"]]), "a\n".into(), false, &fs);
        let mut printed = Vec::new();
        assert_eq!(run_commands(&mut pipe, &fs, &mut printed), ["ran kubectl describe a"]);
        assert!(pipe.feed(&["b".into(), "c".into()], &fs).is_empty());
        assert_eq!(run_commands(&mut pipe, &fs, &mut printed), ["ran kubectl describe b", "ran kubectl describe c"]);
        assert_eq!(printed, ["ran kubectl describe b"]);
        assert!(pipe.finish(&fs).is_empty());
        assert!(!pipe.has_work(), "every argument was used");
        assert_eq!(pipe.status(), Some(0), "the last stage, grep, selected a line");
        // Plain xargs runs once, at the end.
        let mut pipe = Pipe::new(words(&[&["xargs", "kubectl", "delete", "pod"]]), "a\n".into(), false, &fs);
        pipe.feed(&["b".into()], &fs);
        assert!(!pipe.has_work());
        pipe.finish(&fs);
        let mut printed = Vec::new();
        assert_eq!(run_commands(&mut pipe, &fs, &mut printed), ["ran kubectl delete pod a b"]);
        assert_eq!(printed, ["ran kubectl delete pod a b"]);
        assert_eq!(pipe.status(), Some(0));
        // A command reading all its input runs at the end, and what follows it ends after it.
        let mut pipe = Pipe::new(words(&[&["kubectl", "apply", "-f", "-"], &["wc", "-l"]]), "x: 1\n".into(), false, &fs);
        pipe.feed(&["y: 2".into()], &fs);
        assert!(!pipe.has_work());
        assert!(pipe.finish(&fs).is_empty(), "wc waits for the command's output");
        let mut printed = Vec::new();
        assert_eq!(run_commands(&mut pipe, &fs, &mut printed), ["ran kubectl apply -f - < x: 1,y: 2,"]);
        assert_eq!(printed, ["1"]);
        assert!(pipe.finish(&fs).is_empty(), "the end comes once");
    }

    #[test]
    fn grep_quiet_exits_at_its_first_match() {
        let fs = LabFs::default();
        let mut pipe = Pipe::new(vec![vec!["grep".into(), "-q".into(), "x".into()]], "a\n".into(), false, &fs);
        assert!(pipe.feed(&["x".into()], &fs).is_empty());
        assert!(!pipe.closed());
        pipe.feed(&["b".into()], &fs);
        assert!(pipe.closed());
    }

    #[test]
    fn later_lines_go_through_the_stages() {
        let cases = [
            Case {
                name: "grep passes each matching line once",
                stages: &[&["grep", "Running"]],
                batches: &[&["NAME STATUS", "a Running"], &["b Pending"], &["b Running", "c Running"]],
                want: &[&[], &["b Running", "c Running"], &[]],
            },
            Case {
                name: "head stops after its lines",
                stages: &[&["head", "-n", "3"]],
                batches: &[&["NAME", "a"], &["b", "c"], &["d"]],
                want: &[&["b"], &[], &[]],
            },
            Case {
                name: "two filters in a row",
                stages: &[&["grep", "-v", "Pending"], &["awk", "{print $1}"]],
                batches: &[&["NAME STATUS"], &["a Pending", "a Running"]],
                want: &[&["a"], &[]],
            },
            Case {
                name: "a count is held until the input ends",
                stages: &[&["grep", "-c", "Running"]],
                batches: &[&["a Running"], &["b Running"], &["c Pending"]],
                want: &[&[], &[], &["2"]],
            },
            Case {
                name: "a filter before tail streams into it; tail prints at the end",
                stages: &[&["grep", "x"], &["tail", "-n", "1"]],
                batches: &[&["x1"], &["x2", "y"]],
                want: &[&[], &["x2"]],
            },
            Case {
                name: "what follows head reads the end of its input when head exits",
                stages: &[&["head", "-n", "3"], &["wc", "-l"]],
                batches: &[&["a", "b"], &["c"], &["d"]],
                want: &[&["3"], &[], &[]],
            },
            Case {
                name: "wc -l counts at the end",
                stages: &[&["cat"], &["wc", "-l"]],
                batches: &[&["one"], &["two", "three"]],
                want: &[&[], &["3"]],
            },
            Case {
                name: "grep's context: lines before a match wait for it, lines after follow it",
                stages: &[&["grep", "-n", "-B1", "-A1", "x"]],
                batches: &[&["a", "b"], &["x1"], &["c", "d", "e"], &["x2", "f"], &["g"]],
                want: &[&["2-b", "3:x1"], &["4-c"], &["--", "6-e", "7:x2", "8-f"], &[], &[]],
            },
            Case {
                name: "grep -m stops after its matches and the context after them",
                stages: &[&["grep", "-m", "1", "-A", "1", "x"]],
                batches: &[&["a"], &["x1", "x2"], &["x3"]],
                want: &[&["x1", "x2"], &[], &[]],
            },
            Case {
                name: "awk after a line filter, each line as it comes",
                stages: &[&["grep", "Running"], &["awk", "{print $2, $1}"]],
                batches: &[&[], &["a Running"], &["b Pending", "c Running"]],
                want: &[&["Running a"], &["Running c"], &[]],
            },
            Case {
                name: "a held stage prints once, and what follows it reads that",
                stages: &[&["grep", "-c", "x"], &["awk", "{print $1, $1}"]],
                batches: &[&["x"], &["x", "y"]],
                want: &[&[], &["2 2"]],
            },
        ];
        for case in &cases {
            check(case);
        }
    }
}
