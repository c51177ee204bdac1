//! Transcripts: a script of terminal lines run through a [`Session`], printed as `$ <line>`
//! followed by what it printed, exactly as the lab terminal shows it.
//!
//! The same text is both the output of `kubelab script` and the format of the transcript
//! tests: lines before the first `$ ` are a header kept as is; a `$ ` line is typed; while
//! the session waits for more of a line (a here-document, a trailing `\` or `|`) the
//! following lines are typed too (and echoed as typed);
//! every other line is output. Replaying a transcript therefore reproduces it exactly when
//! the simulator behaves as recorded.
//!
//! A line that is only `^C` or `^Z` is a key pressed at that point, Ctrl+C or Ctrl+Z, in
//! both formats: replaying shows it as the page's terminal does (`^C` / `^Z` on a line of
//! its own), followed by what [`Session::interrupt`] / [`Session::suspend`] print. So a
//! `$ kubectl get pods -w` followed by `$ sleep 5` (which lets the watch print on) and `^C`
//! reads as the watch stopped after five seconds; `^Z` stops it as a job instead
//! (`[1]+  Stopped …`), for `jobs`, `bg`, `fg` and `kill %1` to work on.
//!
//! Both formats may start with directives in comments: `# seed: N` and `# preset: NAME`
//! pick the cluster the text is meant for (see [`Header`]).

use crate::{Preset, Session};

/// The cluster a script or transcript asks for in its leading comment lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Header {
    /// `# seed: N`.
    pub seed: Option<u64>,
    /// `# preset: NAME` (`minikube`, `multinode`, `kubeadm`, `large-N`).
    pub preset: Option<Preset>,
}

impl Header {
    /// Reads the directives from the comment and blank lines before the first command (a
    /// transcript's `$ # …` lines count as comments).
    pub fn of(text: &str) -> Header {
        let mut header = Header::default();
        for line in text.lines() {
            let line = line.strip_prefix("$ ").unwrap_or(line).trim();
            if line.is_empty() {
                continue;
            }
            let Some(comment) = line.strip_prefix('#') else { break };
            let comment = comment.trim();
            if let Some(seed) = comment.strip_prefix("seed:") {
                header.seed = seed.trim().parse().ok().or(header.seed);
            } else if let Some(preset) = comment.strip_prefix("preset:") {
                header.preset = preset.trim().parse().ok().or(header.preset);
            }
        }
        header
    }

    /// A fresh session on the cluster this header names (minikube and the default seed
    /// unless it says otherwise).
    pub fn session(self) -> Session {
        Session::with_preset(self.preset.unwrap_or(Preset::Minikube), self.seed.unwrap_or(crate::DEFAULT_SEED))
    }
}

/// Runs a plain script (one command per line, here-document bodies and continued lines,
/// `# comments`; blank lines are skipped) and returns the transcript.
pub fn run_script(session: &mut Session, script: &str) -> String {
    let mut out = String::new();
    for line in script.lines() {
        if let Some(key) = Key::of(line) {
            press(session, key, &mut out);
        } else {
            type_line(session, line, &mut out);
        }
    }
    out
}

/// Replays a transcript: types its `$ ` lines (and the lines that continue them: here-document
/// bodies, lines after a trailing `\`) into `session` and returns the transcript the session
/// produces, for comparison with the original.
pub fn replay(session: &mut Session, transcript: &str) -> String {
    let mut header = String::new();
    let mut out = String::new();
    let mut started = false;
    for line in transcript.lines() {
        if let Some(key) = Key::of(line).filter(|_| started) {
            press(session, key, &mut out);
        } else if started && session.continuing() {
            type_line(session, line, &mut out);
        } else if let Some(cmd) = line.strip_prefix("$ ").or_else(|| (line == "$").then_some("")) {
            started = true;
            type_line(session, cmd, &mut out);
        } else if !started {
            header.push_str(line);
            header.push('\n');
        }
    }
    header + &out
}

/// A key pressed at the terminal, written as the terminal echoes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// `^C`: Ctrl+C.
    Interrupt,
    /// `^Z`: Ctrl+Z.
    Suspend,
}

impl Key {
    /// The key a line stands for: `^C` or `^Z` alone on it.
    fn of(line: &str) -> Option<Key> {
        match line.trim_end() {
            "^C" => Some(Key::Interrupt),
            "^Z" => Some(Key::Suspend),
            _ => None,
        }
    }
}

/// Presses `key` and appends its echo and what the session printed for it.
fn press(session: &mut Session, key: Key, out: &mut String) {
    match key {
        Key::Interrupt => {
            out.push_str("^C\n");
            session.interrupt();
        }
        Key::Suspend => {
            out.push_str("^Z\n");
            out.push_str(&session.suspend().text());
        }
    }
}

/// Types one script line and appends it and what it printed to the transcript: a line that
/// continues an earlier one is shown as typed, a new command after `$ `.
fn type_line(session: &mut Session, line: &str, out: &mut String) {
    if session.continuing() {
        out.push_str(line);
        out.push('\n');
        out.push_str(&session.run_command(line).text());
        return;
    }
    if line.trim().is_empty() {
        return;
    }
    out.push_str("$ ");
    out.push_str(line.trim_end());
    out.push('\n');
    out.push_str(&session.run_command(line).text());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_directives_come_from_leading_comments() {
        let h = Header::of("# The kubeadm lab.\n# preset: kubeadm\n$ # seed: 7\n$ kubectl get nodes\n# seed: 9\n");
        assert_eq!(h, Header { seed: Some(7), preset: Some(Preset::Kubeadm) });
        assert_eq!(Header::of("kubectl get pods\n# seed: 3\n"), Header::default());
    }

    #[test]
    fn continued_lines_are_typed_as_they_come() {
        let script = "echo one \\\ntwo\nkubectl get ns |\n  grep -c default\n";
        let mut s = Session::new();
        let t = run_script(&mut s, script);
        assert_eq!(t, "$ echo one \\\ntwo\none two\n$ kubectl get ns |\n  grep -c default\n1\n");
        assert_eq!(replay(&mut Session::new(), &t), t);
    }

    #[test]
    fn ctrl_c_and_ctrl_z_lines_press_the_keys() {
        let script = "kubectl get pods -w\n^C\necho $?\nkubectl get ns -w\n^Z\njobs\ncat <<EOF\n^C\necho after\n";
        let mut s = Session::new();
        let t = run_script(&mut s, script);
        let stopped = "[1]+  Stopped                 kubectl get ns -w\n";
        assert!(t.starts_with("$ kubectl get pods -w\n^C\n$ echo $?\n130\n$ kubectl get ns -w\nNAME "), "{t}");
        assert!(t.contains(&format!("^Z\n{stopped}$ jobs\n{stopped}")), "{t}");
        // Ctrl+C abandons the open here-document.
        assert!(t.ends_with("$ cat <<EOF\n^C\n$ echo after\nafter\n"), "{t}");
        assert_eq!(replay(&mut Session::new(), &t), t);
        // Before the first command a `^C` line is header text.
        assert_eq!(replay(&mut Session::new(), "^C\n$ echo x\nx\n"), "^C\n$ echo x\nx\n");
    }

    #[test]
    fn script_and_replay_agree() {
        let script = "# make a namespace\nkubectl create namespace demo\ncat > a.txt <<EOF\nhello\nEOF\ncat a.txt\n";
        let mut s = Session::new();
        let t = run_script(&mut s, script);
        assert_eq!(
            t,
            "$ # make a namespace\n$ kubectl create namespace demo\nnamespace/demo created\n$ cat > a.txt <<EOF\nhello\nEOF\n$ cat a.txt\nhello\n"
        );
        let mut again = Session::new();
        assert_eq!(
            replay(&mut again, &format!("header line\n{t}")),
            format!("header line\n{t}")
        );
    }
}
