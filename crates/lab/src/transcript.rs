//! Transcripts: a script of terminal lines run through a [`Session`], printed as `$ <line>`
//! followed by what it printed, exactly as the lab terminal shows it.
//!
//! The same text is both the output of `kubelab script` and the format of the transcript
//! tests: lines before the first `$ ` are a header kept as is; a `$ ` line is typed; while
//! the session is inside a here-document the following lines are typed too (and echoed);
//! every other line is output. Replaying a transcript therefore reproduces it exactly when
//! the simulator behaves as recorded.
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

/// Runs a plain script (one command per line, here-document bodies, `# comments`; blank
/// lines are skipped) and returns the transcript.
pub fn run_script(session: &mut Session, script: &str) -> String {
    let mut out = String::new();
    for line in script.lines() {
        if session.in_heredoc() {
            out.push_str(line);
            out.push('\n');
            out.push_str(&session.run_command(line).text());
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        out.push_str("$ ");
        out.push_str(line.trim_end());
        out.push('\n');
        out.push_str(&session.run_command(line).text());
    }
    out
}

/// Replays a transcript: types its `$ ` lines (and here-document bodies) into `session` and
/// returns the transcript the session produces, for comparison with the original.
pub fn replay(session: &mut Session, transcript: &str) -> String {
    let mut script = String::new();
    let mut header = String::new();
    let mut started = false;
    let mut in_heredoc_delim: Option<String> = None;
    for line in transcript.lines() {
        if let Some(delim) = &in_heredoc_delim {
            script.push_str(line);
            script.push('\n');
            if line.trim_start_matches('\t') == delim {
                in_heredoc_delim = None;
            }
            continue;
        }
        if let Some(cmd) = line
            .strip_prefix("$ ")
            .or_else(|| (line == "$").then_some(""))
        {
            started = true;
            script.push_str(cmd);
            script.push('\n');
            in_heredoc_delim = heredoc_delimiter(cmd);
        } else if !started {
            header.push_str(line);
            header.push('\n');
        }
    }
    header + &run_script(session, &script)
}

/// The delimiter a command line opens a here-document with, if any.
fn heredoc_delimiter(cmd: &str) -> Option<String> {
    let parsed = crate::shell::parse(cmd).ok()?;
    parsed.heredoc
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
