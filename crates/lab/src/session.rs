//! The lab session: runs one terminal line at a time and remembers what was typed.

use crate::command_line::split_words;

/// Which stream a line of output belongs to; the terminal shows `Stderr` in red.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One line printed by a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    pub stream: Stream,
    pub text: String,
}

/// What a command printed, and whether it asked the terminal to clear its screen first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub clear_screen: bool,
    pub lines: Vec<OutputLine>,
}

impl Output {
    fn stdout(text: impl Into<String>) -> Output {
        let mut out = Output::default();
        out.push(Stream::Stdout, text);
        out
    }

    fn stderr(text: impl Into<String>) -> Output {
        let mut out = Output::default();
        out.push(Stream::Stderr, text);
        out
    }

    /// Appends `text`, one `OutputLine` per line of it.
    fn push(&mut self, stream: Stream, text: impl Into<String>) {
        let text = text.into();
        for line in text.lines() {
            self.lines.push(OutputLine { stream, text: line.to_string() });
        }
    }

    /// Everything printed, as the terminal would show it (streams interleaved in order).
    pub fn text(&self) -> String {
        let mut s = String::new();
        for line in &self.lines {
            s.push_str(&line.text);
            s.push('\n');
        }
        s
    }
}

/// One learner's lab.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    history: Vec<String>,
}

const HELP: &str = "\
kubelab terminal — commands available in this lab:
  help              show this list
  clear             clear the terminal (Ctrl+L does the same)
  history           list the commands typed so far
  kubelab version   print the lab's version
Use ↑/↓ to walk through earlier commands.
kubectl and the simulated cluster are not available yet in this version of the lab.";

impl Session {
    /// A fresh lab with an empty history.
    pub fn new() -> Session {
        Session::default()
    }

    /// A lab that continues an earlier history (restored from storage by the page).
    pub fn with_history(history: Vec<String>) -> Session {
        Session { history }
    }

    /// The commands typed so far, oldest first.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Runs one terminal line and returns what it printed. Blank lines do nothing and are not
    /// remembered; every other line goes into the history, even when it fails.
    pub fn run_command(&mut self, line: &str) -> Output {
        let line = line.trim();
        if line.is_empty() {
            return Output::default();
        }
        self.history.push(line.to_string());
        let words = match split_words(line) {
            Ok(words) => words,
            Err(err) => return Output::stderr(format!("bash: {err}")),
        };
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        match words.as_slice() {
            [] => Output::default(),
            ["help"] => Output::stdout(HELP),
            ["clear"] => Output { clear_screen: true, lines: Vec::new() },
            ["history"] => Output::stdout(self.numbered_history()),
            ["kubelab", "version"] | ["kubelab", "--version"] => {
                Output::stdout(format!("kubelab {}", crate::VERSION))
            }
            ["kubelab", ..] => Output::stderr(
                "kubelab: unknown subcommand; in the lab terminal only `kubelab version` is available",
            ),
            ["kubectl", ..] | ["k", ..] | ["minikube", ..] => Output::stderr(format!(
                "{}: not available yet: the simulated cluster arrives in a later version of this lab",
                words[0]
            )),
            [program, ..] => Output::stderr(format!("bash: {program}: command not found")),
        }
    }

    fn numbered_history(&self) -> String {
        self.history
            .iter()
            .enumerate()
            .map(|(i, line)| format!("{:>5}  {line}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lines: &[&str], want: &str) {
        let mut session = Session::new();
        let mut got = String::new();
        for line in lines {
            got.push_str(&session.run_command(line).text());
        }
        assert_eq!(got, want, "after {lines:?}");
    }

    #[test]
    fn version_names_the_workspace_version() {
        check(&["kubelab version"], &format!("kubelab {}\n", crate::VERSION));
    }

    #[test]
    fn unknown_programs_are_not_found() {
        check(&["frobnicate --now"], "bash: frobnicate: command not found\n");
    }

    #[test]
    fn kubectl_says_plainly_it_is_not_here_yet() {
        check(
            &["kubectl get pods"],
            "kubectl: not available yet: the simulated cluster arrives in a later version of this lab\n",
        );
    }

    #[test]
    fn unterminated_quote_is_reported_like_bash() {
        check(&["echo 'abc"], "bash: unexpected EOF while looking for matching `''\n");
    }

    #[test]
    fn history_numbers_every_non_blank_line() {
        check(&["help", "", "history"], &format!("{HELP}\n    1  help\n    2  history\n"));
    }

    #[test]
    fn clear_asks_for_a_clear_screen_and_prints_nothing() {
        let mut session = Session::new();
        let out = session.run_command("clear");
        assert!(out.clear_screen);
        assert!(out.lines.is_empty());
    }

    #[test]
    fn errors_go_to_stderr() {
        let mut session = Session::new();
        let out = session.run_command("nope");
        assert_eq!(out.lines[0].stream, Stream::Stderr);
    }
}
