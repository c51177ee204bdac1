//! How minikube v1.36 prints a reason it exits for: pkg/minikube/exit/exit.go `Message`
//! (`Exiting due to ID: …`, the reason's style as its prefix, ❌ by default) and `Error`
//! (the same, plus the box asking for a GitHub issue), both through
//! pkg/minikube/out/out_reason.go `displayText`: a blank line on standard output, the reason
//! and its `💡  Suggestion:` on standard error, the issue box when the reason asks for one
//! after a blank line of its own, and a blank line on standard output again.

use crate::minikube::line;
use crate::session::{Output, Stream};

/// A reason from pkg/minikube/reason/reason.go: its ID, exit code, style prefix and advice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reason {
    pub id: &'static str,
    pub code: i32,
    /// The prefix of the reason's own style; None for style.None, which exit.Message
    /// prints as style.Failure (`❌  `) and out.Error alone as style.KnownIssue (`🧯  `).
    pub prefix: Option<&'static str>,
    pub advice: Option<&'static str>,
}

impl Reason {
    /// A reason without a style or advice of its own.
    pub const fn plain(id: &'static str, code: i32) -> Reason {
        Reason { id, code, prefix: None, advice: None }
    }
}

/// `MK_USAGE` (ExProgramUsage).
pub(crate) const USAGE: Reason = Reason::plain("MK_USAGE", 14);
/// `MK_USAGE_NO_PROFILE`, style.Caching, with its advice as reason.go writes it (a
/// newline and two tabs after the sentence, which `indentMultiLine` turns into lines).
pub(crate) const USAGE_NO_PROFILE: Reason = Reason {
    id: "MK_USAGE_NO_PROFILE",
    code: 14,
    prefix: Some("🤹  "),
    advice: Some("You can create one using 'minikube start'.\n\t\t"),
};
/// `MK_UNIMPLEMENTED` (ExProgramUnsupported).
pub(crate) const UNIMPLEMENTED: Reason = Reason::plain("MK_UNIMPLEMENTED", 16);
/// `MK_ADDON_ENABLE` (ExProgramError).
pub(crate) const ADDON_ENABLE: Reason = Reason::plain("MK_ADDON_ENABLE", 10);
/// `GUEST_NODE_RETRIEVE` (ExGuestNotFound).
pub(crate) const GUEST_NODE_RETRIEVE: Reason = Reason::plain("GUEST_NODE_RETRIEVE", 85);
/// `GUEST_NODE_DELETE` (ExGuestError).
pub(crate) const GUEST_NODE_DELETE: Reason = Reason::plain("GUEST_NODE_DELETE", 80);
/// `SVC_NOT_FOUND` (ExSvcNotFound).
pub(crate) const SVC_NOT_FOUND: Reason = Reason::plain("SVC_NOT_FOUND", 115);

/// exit.Message: the reason between blank lines; the exit status is the reason's code.
pub(crate) fn exit_message(out: &mut Output, reason: &Reason, message: &str) {
    let prefix = reason.prefix.unwrap_or("❌  ");
    display_text(out, prefix, reason, &format!("Exiting due to {}: {message}", reason.id), None);
    out.status = reason.code;
}

/// out.Error: the reason's message between blank lines, without `Exiting due to` and
/// without exiting (start.go exitIfNotForced with `--force`).
pub(crate) fn error(out: &mut Output, reason: &Reason, message: &str) {
    display_text(out, reason.prefix.unwrap_or("🧯  "), reason, message, None);
}

/// exit.Error: `msg: err` as exit.Message prints it, with the box asking for an issue;
/// `args` are the command's words after `minikube` (they name its log file).
pub(crate) fn exit_error(out: &mut Output, reason: &Reason, msg: &str, err: &str, args: &[&str]) {
    let prefix = reason.prefix.unwrap_or("❌  ");
    display_text(out, prefix, reason, &format!("Exiting due to {}: {msg}: {err}", reason.id), Some(args));
    out.status = reason.code;
}

/// out_reason.go displayText in the style `prefix` begins; `issue` holds the command's words
/// when the reason asks for a GitHub issue (NewIssueLink).
fn display_text(out: &mut Output, prefix: &str, reason: &Reason, message: &str, issue: Option<&[&str]>) {
    line(out, Stream::Stdout, "");
    // A message of several lines keeps its later lines unprefixed, as ErrT prints them.
    let text = format!("{prefix}{message}");
    for l in text.split('\n') {
        line(out, Stream::Stderr, l);
    }
    if let Some(advice) = reason.advice {
        let text = format!("💡  Suggestion: {}", indent_multi_line(advice));
        for l in text.split('\n') {
            line(out, Stream::Stderr, l);
        }
    }
    if let Some(args) = issue {
        line(out, Stream::Stderr, "");
        for l in issue_box(args) {
            line(out, Stream::Stderr, l);
        }
    }
    line(out, Stream::Stdout, "");
}

/// out_reason.go indentMultiLine: advice of several lines starts on a line of its own,
/// each line trimmed and indented by four spaces.
fn indent_multi_line(s: &str) -> String {
    if !s.contains('\n') {
        return s.to_string();
    }
    let mut lines = vec!["\n".to_string()];
    lines.extend(s.split('\n').map(|l| format!("    {}", l.trim())));
    lines.join("\n")
}

/// out.go displayGitHubIssueMessage in BoxedErr's round box (padding 4 across, 1 down):
/// the log file to attach is the command's own, `/tmp/minikube_<command>_<sha1 of the user
/// and the arguments>_0.log` (cmd/minikube/main.go logFileName; the lab's user is root).
fn issue_box(args: &[&str]) -> Vec<String> {
    let mut hashed = String::from("root");
    for a in args.iter().filter(|a| !a.starts_with('-')) {
        hashed.push_str(a);
    }
    let command = args.iter().find(|a| !a.starts_with('-')).copied().unwrap_or("");
    let sum = machinery::sha1::hex(hashed.as_bytes());
    let mut text = vec![
        "😿  If the above advice does not help, please let us know:".to_string(),
        "👉  https://github.com/kubernetes/minikube/issues/new/choose".to_string(),
        String::new(),
        "Please run `minikube logs --file=logs.txt` and attach logs.txt to the GitHub issue.".to_string(),
    ];
    if command != "start" {
        text.push("Please also attach the following file to the GitHub issue:".to_string());
        text.push(format!("- /tmp/minikube_{command}_{sum}_0.log"));
    }
    let widest = text.iter().map(|l| width(l)).max().unwrap_or(0);
    let inner = widest + 8;
    let mut lines = vec![format!("╭{}╮", "─".repeat(inner))];
    let blank = format!("│{}│", " ".repeat(inner));
    lines.push(blank.clone());
    for l in &text {
        lines.push(format!("│    {l}{}    │", " ".repeat(widest - width(l))));
    }
    lines.push(blank);
    lines.push(format!("╰{}╯", "─".repeat(inner)));
    lines
}

/// The columns a line takes in a terminal (go-runewidth): the emoji minikube prints take
/// two.
fn width(s: &str) -> usize {
    s.chars().map(|c| if u32::from(c) >= 0x1F000 { 2 } else { 1 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_of_several_lines_starts_on_its_own_line() {
        let mut out = Output::default();
        exit_message(&mut out, &USAGE_NO_PROFILE, "No minikube profile was found.");
        let lines: Vec<&str> = out.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            lines,
            [
                "",
                "🤹  Exiting due to MK_USAGE_NO_PROFILE: No minikube profile was found.",
                "💡  Suggestion: ",
                "",
                "    You can create one using 'minikube start'.",
                "    ",
                "",
            ]
        );
        assert_eq!(out.status, 14);
    }

    #[test]
    fn the_issue_box_fits_its_widest_line() {
        let lines = issue_box(&["node", "delete", "m05"]);
        let widths: Vec<usize> = lines.iter().map(|l| width(l)).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{lines:#?}");
        // The longest line is the one about `minikube logs` (83 columns) plus 4 + 4 and the sides.
        assert_eq!(widths[0], 83 + 8 + 2);
        assert!(lines[7].starts_with("│    - /tmp/minikube_node_"), "{lines:#?}");
    }
}
