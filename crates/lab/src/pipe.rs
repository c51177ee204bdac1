//! The later stages of a pipeline whose command goes on printing (`kubectl get pods -w |
//! grep Running &`, `kubectl logs -f web | head -3`): bash keeps the pipe open, so every
//! line the command prints later goes through `grep` as the first ones did.
//!
//! A `Pipe` keeps all the command has written into it and, when more comes, runs the later
//! stages again over the whole of it (the text tools are pure functions of their input). A
//! line filter (`grep`, `head`, `awk` without `END`) only ever adds lines at the end of its
//! output, and those new lines are what the terminal gets. A stage that reports when its
//! input ends (`wc`, `tail`, `grep -c`/`-l`, `awk` with `END`, [`reports_at_end`]) holds
//! the pipeline's output, from the first lines on, until the command ends by itself
//! ([`Pipe::finish`]); Ctrl+C or `kill` ends the whole pipeline and it never prints. A stage
//! that is not a text tool (`xargs`, `kubectl … -f -`) gets nothing later: the lab does not
//! run commands from a pipe that outlives its line.
//!
//! `head` exits once it has printed its lines; the command's next write into the pipe then
//! kills it with SIGPIPE ([`Pipe::closed`]), and its job ends (`Done`: bash reports the last
//! stage's status).

use crate::fs::LabFs;
use crate::session::{filters, Output};

/// The stages after the command that goes on printing, and what went through them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pipe {
    /// The stages' expanded words, in order.
    stages: Vec<Vec<String>>,
    /// Everything the command wrote into the pipe so far.
    fed: String,
    /// The last stage's output lines the terminal has had.
    shown: Vec<String>,
    /// Whether the command's errors go into the pipe too (`2>&1` on it).
    pub errors_too: bool,
    /// Whether a stage prints only at the end of its input.
    holds: bool,
}

impl Pipe {
    /// A pipe into `stages` that has already carried `fed` (what the command printed while
    /// its line ran; the stages' output for it was shown then, unless they hold it).
    pub fn new(stages: Vec<Vec<String>>, fed: String, errors_too: bool, fs: &LabFs) -> Pipe {
        let holds = holds(&stages);
        let shown = if holds { Vec::new() } else { run(&stages, &fed, fs) };
        Pipe { stages, fed, shown, errors_too, holds }
    }

    /// Writes `lines` into the pipe; returns the lines the last stage prints for them.
    pub fn feed(&mut self, lines: &[String], fs: &LabFs) -> Vec<String> {
        if lines.is_empty() {
            return Vec::new();
        }
        for line in lines {
            self.fed.push_str(line);
            self.fed.push('\n');
        }
        if self.holds {
            return Vec::new();
        }
        let out = run(&self.stages, &self.fed, fs);
        if out.starts_with(&self.shown) {
            let new = out[self.shown.len()..].to_vec();
            self.shown = out;
            new
        } else {
            Vec::new()
        }
    }

    /// Whether the command's writes into the pipe fail now (SIGPIPE): a `head` in it has
    /// printed its lines and exited, and more than it read came after.
    pub fn closed(&self, fs: &LabFs) -> bool {
        let mut text = self.fed.clone();
        for stage in &self.stages {
            if let Some(n) = head_lines(stage) {
                return text.lines().count() > n;
            }
            match run_stage(stage, &text, fs) {
                Some(out) => text = out,
                None => return false,
            }
        }
        false
    }

    /// The command ended by itself and closed the pipe: what the stages print at the end of
    /// their input that the terminal has not had (a held count, in full).
    pub fn finish(&mut self, fs: &LabFs) -> Vec<String> {
        let out = run(&self.stages, &self.fed, fs);
        let new = if out.starts_with(&self.shown) { out[self.shown.len()..].to_vec() } else { out.clone() };
        self.shown = out;
        new
    }
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
        Some("wc" | "tail") => true,
        Some("grep") => flags().any(|w| {
            matches!(w.as_str(), "--count" | "--files-with-matches" | "--files-without-match")
                || (w.starts_with('-') && !w.starts_with("--") && w[1..].chars().any(|c| matches!(c, 'c' | 'l' | 'L')))
        }),
        Some("awk") => words[1..].iter().any(|w| w.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| t == "END")),
        _ => false,
    }
}

/// The text tools the lab runs on a pipe's input: `None` for any other command.
pub(crate) fn text_tool(words: &[&str], stdin: Option<&str>, fs: &LabFs) -> Option<Output> {
    Some(match words {
        ["grep", rest @ ..] => crate::grep::run(rest, stdin, fs),
        ["head", rest @ ..] => filters::head_tail(rest, stdin, fs, true),
        ["tail", rest @ ..] => filters::head_tail(rest, stdin, fs, false),
        ["wc", rest @ ..] => filters::wc(rest, stdin),
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

/// The last stage's standard output for `input` (errors were shown on the first run).
fn run(stages: &[Vec<String>], input: &str, fs: &LabFs) -> Vec<String> {
    let mut text = input.to_string();
    for stage in stages {
        match run_stage(stage, &text, fs) {
            Some(out) => text = out,
            None => return Vec::new(),
        }
    }
    text.lines().map(str::to_string).collect()
}

/// One stage's standard output for `input`; None for a command that is not a text tool.
fn run_stage(stage: &[String], input: &str, fs: &LabFs) -> Option<String> {
    let words: Vec<&str> = stage.iter().map(String::as_str).collect();
    let out = match words.as_slice() {
        // `cat` with no file passes its input on.
        ["cat"] | ["cat", "-"] => Output::stdout(input.trim_end_matches('\n')),
        _ => text_tool(&words, Some(input), fs)?,
    };
    Some(
        out.lines
            .iter()
            .filter(|l| l.stream == crate::session::Stream::Stdout)
            .map(|l| format!("{}\n", l.text))
            .collect(),
    )
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
        assert!(!pipe.closed(&fs));
        pipe.feed(&["b".to_string()], &fs);
        assert!(!pipe.closed(&fs), "head has its two lines and exits; nothing was written since");
        pipe.feed(&["c".to_string()], &fs);
        assert!(pipe.closed(&fs));
        let files = Pipe::new(stages(&["head", "-n", "1", "f.txt"]), "a\nb\n".into(), false, &fs);
        assert!(!files.closed(&fs), "head reading a file does not read the pipe");
        let bytes = Pipe::new(stages(&["head", "-c", "1"]), "a\nb\n".into(), false, &fs);
        assert!(!bytes.closed(&fs));
        let default = Pipe::new(stages(&["head"]), "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n".into(), false, &fs);
        assert!(default.closed(&fs));
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
                name: "wc -l counts at the end",
                stages: &[&["cat"], &["wc", "-l"]],
                batches: &[&["one"], &["two", "three"]],
                want: &[&[], &["3"]],
            },
            Case {
                name: "a command that is not a text tool gets nothing",
                stages: &[&["xargs", "echo"]],
                batches: &[&["a"], &["b"]],
                want: &[&[], &[]],
            },
        ];
        for case in &cases {
            check(case);
        }
    }
}
