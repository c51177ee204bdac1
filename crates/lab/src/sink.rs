//! Where a command that goes on printing sends its later lines: bash opens a command's
//! redirections once, when it starts, so `kubectl get pods -w > pods.txt &` keeps writing
//! into that file (and `> /dev/null 2>&1 &` keeps quiet) for as long as the job runs. What
//! the command printed while its line ran went through the pipeline's own redirections
//! (`Session::run_pipeline`); a `Sink` carries them on for what it prints afterwards,
//! through the pipe into the pipeline's later stages when there are some (`crate::pipe`).

use cluster::SimTime;

use crate::fs::LabFs;
use crate::pipe::{Invocation, Pipe};
use crate::session::{Output, OutputLine, Stream};

/// Where one of a command's streams goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// The terminal, shown as this stream (`>&2` shows standard output as errors).
    Terminal(Stream),
    /// `/dev/null`.
    Null,
    /// A lab file, by absolute path (a later `cd` does not move it), appended to.
    File(String),
}

impl Target {
    /// The target a redirection's expanded file name names, seen from `fs`'s working
    /// directory.
    pub fn file(path: &str, fs: &LabFs) -> Target {
        if path == "/dev/null" { Target::Null } else { Target::File(fs.resolve(path)) }
    }
}

/// Where a command's standard output and standard error go.
#[derive(Debug, Clone)]
pub(crate) struct Sink {
    /// Where standard output goes: with a pipe, where the last stage's output goes.
    pub stdout: Target,
    /// Where the command's errors go.
    pub stderr: Target,
    /// With a pipe, where the errors of the commands its last stage runs go (`2>&1` or
    /// `2> f` on that stage).
    pub last_stderr: Target,
    /// The pipeline's later stages, which the command's standard output goes through.
    pub pipe: Option<Pipe>,
    /// Until when the command a stage of the pipe ran last is still running: the next
    /// one waits for it (`crate::pipe_commands::PIPE_COMMAND_TIME`).
    pub busy_until: SimTime,
}

impl Default for Sink {
    /// Both streams to the terminal: a command without redirections.
    fn default() -> Self {
        Sink {
            stdout: Target::Terminal(Stream::Stdout),
            stderr: Target::Terminal(Stream::Stderr),
            last_stderr: Target::Terminal(Stream::Stderr),
            pipe: None,
            busy_until: SimTime::ZERO,
        }
    }
}

impl Sink {
    /// Sends `lines` where they go: the terminal's into `out`, files' into `fs`; with a
    /// pipe, standard output (and errors with `2>&1`) through the later stages first.
    pub fn deliver(&mut self, lines: Vec<OutputLine>, out: &mut Output, fs: &mut LabFs) {
        let Some(pipe) = self.pipe.as_mut() else {
            send(&self.stdout, &self.stderr, lines, out, fs);
            return;
        };
        let (piped, rest): (Vec<OutputLine>, Vec<OutputLine>) =
            lines.into_iter().partition(|l| l.stream == Stream::Stdout || pipe.errors_too);
        let piped: Vec<String> = piped.into_iter().map(|l| l.text).collect();
        let printed = pipe.feed(&piped, fs);
        send(&self.stdout, &self.stderr, rest, out, fs);
        send(&self.stdout, &self.stderr, stdout_lines(printed), out, fs);
    }

    /// Whether the command's pipe is closed (a `head` has exited): its next write kills it.
    pub fn broken(&self) -> bool {
        self.pipe.as_ref().is_some_and(Pipe::closed)
    }

    /// Sends lines the last stage printed where its output goes.
    pub fn show(&self, lines: Vec<String>, out: &mut Output, fs: &mut LabFs) {
        send(&self.stdout, &self.stderr, stdout_lines(lines), out, fs);
    }

    /// Whether a stage of the pipe has commands waiting to run.
    pub fn has_work(&self) -> bool {
        self.pipe.as_ref().is_some_and(Pipe::has_work)
    }

    /// Whether the next command of the pipe is due at `now` (the one before has had its
    /// time).
    pub fn due(&self, now: SimTime) -> bool {
        self.has_work() && now >= self.busy_until
    }

    /// When the next command of the pipe is due, if one waits.
    pub fn next_due(&self) -> Option<SimTime> {
        self.has_work().then_some(self.busy_until)
    }

    /// The next command a stage of the pipe is due to run.
    pub fn take_invocation(&mut self) -> Option<Invocation> {
        self.pipe.as_mut()?.take_invocation()
    }

    /// What the command a stage ran printed: its output goes on through the later stages,
    /// its errors to the terminal (where the pipeline's go, for the last stage).
    pub fn invoked(&mut self, stage: usize, printed: Output, out: &mut Output, fs: &mut LabFs) {
        let Some(pipe) = self.pipe.as_mut() else {
            return;
        };
        let errors_to = if pipe.is_last(stage) { self.last_stderr.clone() } else { Target::Terminal(Stream::Stderr) };
        let (lines, errors): (Vec<OutputLine>, Vec<OutputLine>) =
            printed.lines.into_iter().partition(|l| l.stream == Stream::Stdout);
        let lines = lines.into_iter().map(|l| l.text).collect();
        let shown = pipe.invoked(stage, lines, printed.status, fs);
        send(&self.stdout, &errors_to, errors, out, fs);
        send(&self.stdout, &self.stderr, stdout_lines(shown), out, fs);
    }

    /// The pipeline's status once its last stage ran a command (bash reports the last
    /// stage's).
    pub fn status(&self) -> Option<i32> {
        self.pipe.as_ref()?.status()
    }

    /// The command ended by itself: what the later stages print at the end of their input.
    pub fn finish(&mut self, out: &mut Output, fs: &mut LabFs) {
        if let Some(pipe) = self.pipe.as_mut() {
            let printed = pipe.finish(fs);
            send(&self.stdout, &self.stderr, stdout_lines(printed), out, fs);
        }
    }
}

fn stdout_lines(texts: Vec<String>) -> Vec<OutputLine> {
    texts.into_iter().map(|text| OutputLine { stream: Stream::Stdout, text }).collect()
}

/// Sends each line to its stream's target.
fn send(stdout: &Target, stderr: &Target, lines: Vec<OutputLine>, out: &mut Output, fs: &mut LabFs) {
    for line in lines {
        let target = match line.stream {
            Stream::Stdout => stdout,
            Stream::Stderr => stderr,
        };
        match target {
            Target::Terminal(stream) => out.lines.push(OutputLine { stream: *stream, text: line.text }),
            Target::Null => {}
            Target::File(path) => fs.write(path, &format!("{}\n", line.text), true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        sink: Sink,
        want_terminal: &'static str,
        want_file: Option<&'static str>,
    }

    fn lines() -> Vec<OutputLine> {
        vec![
            OutputLine { stream: Stream::Stdout, text: "out".into() },
            OutputLine { stream: Stream::Stderr, text: "err".into() },
        ]
    }

    fn check(case: &Case) {
        let mut fs = LabFs::default();
        fs.write("f", "before\n", false);
        let mut out = Output::default();
        case.sink.clone().deliver(lines(), &mut out, &mut fs);
        assert_eq!(out.text(), case.want_terminal, "{}", case.name);
        let want_file = case.want_file.map(|t| format!("before\n{t}"));
        assert_eq!(fs.read("f").map(str::to_string), Some(want_file.unwrap_or("before\n".into())), "{}", case.name);
    }

    #[test]
    fn delivers_each_stream_where_it_goes() {
        let file = || Target::File("/root/f".into());
        let cases = [
            Case { name: "no redirection", sink: Sink::default(), want_terminal: "out\nerr\n", want_file: None },
            Case {
                name: "> /dev/null",
                sink: Sink { stdout: Target::Null, ..Sink::default() },
                want_terminal: "err\n",
                want_file: None,
            },
            Case {
                name: "> /dev/null 2>&1",
                sink: Sink { stdout: Target::Null, stderr: Target::Null, ..Sink::default() },
                want_terminal: "",
                want_file: None,
            },
            Case {
                name: "> f appends after what the start wrote",
                sink: Sink { stdout: file(), ..Sink::default() },
                want_terminal: "err\n",
                want_file: Some("out\n"),
            },
            Case {
                name: "> f 2>&1",
                sink: Sink { stdout: file(), stderr: file(), ..Sink::default() },
                want_terminal: "",
                want_file: Some("out\nerr\n"),
            },
        ];
        for case in &cases {
            check(case);
        }
    }
}
