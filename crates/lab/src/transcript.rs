//! Transcripts: a script of terminal lines run through a [`Session`], printed as `$ <line>`
//! followed by what it printed, exactly as the lab terminal shows it.
//!
//! The same text is both the output of `kubelab script` and the format of the transcript
//! tests: lines before the first `$ ` are a header kept as is; a `$ ` line is typed; while
//! the session is inside a here-document the following lines are typed too (and echoed);
//! every other line is output. Replaying a transcript therefore reproduces it exactly when
//! the simulator behaves as recorded.

use crate::Session;

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
