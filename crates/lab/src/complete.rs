//! Tab completion for a terminal line: the lab's programs, file names for `cat`/`ls`/`rm`,
//! and kubectl lines through `kubectl::complete`. Shared by the page and `kubelab shell`.

use crate::Session;

/// Programs and shell built-ins the lab terminal runs (the first word of a command); the
/// aliases (`k` among them) are offered too.
const PROGRAMS: &[&str] = &[
    "alias", "awk", "base64", "bg", "break", "cat", "cd", "clear", "continue", "curl", "cut", "date", "disown", "echo", "env", "export", "false",
    "fg", "for", "grep", "head", "help", "history", "jobs", "kill", "kubectl", "kubelab", "ls", "minikube", "mkdir", "nc",
    "nslookup", "ping", "printenv", "pwd", "read", "rm", "sleep", "sort", "tail", "test", "touch", "tr", "true", "unalias", "uniq",
    "unset", "until", "wait", "wc", "wget", "while", "xargs",
];

/// What Tab proposes for the word at the cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the line where the word being completed starts.
    pub start: usize,
    /// Byte offset where it ends (the cursor).
    pub end: usize,
    /// Whole replacements for the word, sorted; empty when nothing fits.
    pub candidates: Vec<String>,
}

impl Completion {
    /// The longest text all candidates share: what Tab inserts when there are several.
    pub fn common_prefix(&self) -> String {
        kubectl::complete::common_prefix(&self.candidates)
    }

    /// The line after accepting the completion: a single candidate gets a trailing space
    /// (unless it is a directory or a `--flag=`), several give their common prefix.
    pub fn apply(&self, line: &str) -> (String, usize) {
        let word = match self.candidates.as_slice() {
            [] => return (line.to_string(), self.end),
            [only] if !only.ends_with('/') && !only.ends_with('=') => format!("{only} "),
            _ => self.common_prefix(),
        };
        let word = if word.len() < self.end - self.start { line[self.start..self.end].to_string() } else { word };
        let mut out = String::with_capacity(line.len() + word.len());
        out.push_str(&line[..self.start]);
        out.push_str(&word);
        let cursor = out.len();
        out.push_str(&line[self.end..]);
        (out, cursor)
    }
}

impl Session {
    /// Candidates for the word before `cursor` (a byte offset; clamped to the line).
    pub fn complete(&self, line: &str, cursor: usize) -> Completion {
        let mut end = cursor.min(line.len());
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        let before = &line[..end];
        let start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let current = &before[start..];
        // A continued line completes as the whole command typed so far.
        let typed = self.pending_line().unwrap_or_default() + &before[..start];
        // Only the last command of a pipeline or list matters.
        let segment = typed.rsplit(['|', ';', '&']).next().unwrap_or("");
        let mut words: Vec<String> = segment.split_whitespace().map(str::to_string).collect();
        // An alias completes as what it stands for (`k get po…`, `k2 po…`).
        if let Some(text) = words.first().and_then(|w| self.aliases().get(w).map(str::to_string)) {
            words.splice(0..1, text.split_whitespace().map(str::to_string));
        }
        let aliases: Vec<String> = self.aliases().names().map(str::to_string).collect();
        let candidates = if self.in_heredoc() {
            Vec::new()
        } else if let Some(prefix) = current.strip_prefix('$') {
            // `$HO` → `$HOME`: the shell's variables, as bash completes them.
            self.vars()
                .names()
                .filter(|n| n.starts_with(prefix))
                .map(|n| format!("${n}"))
                .collect()
        } else {
            self.with_parts(|store, fs, config| match words.split_first() {
                None => {
                    let mut names: Vec<String> = PROGRAMS
                        .iter()
                        .map(|p| p.to_string())
                        .chain(aliases)
                        .filter(|p| p.starts_with(current))
                        .collect();
                    machinery::sort::sort(&mut names);
                    names.dedup();
                    names
                }
                Some((program, args)) if program == "kubectl" => {
                    let env = kubectl::complete::CompleteEnv { store, files: fs, config };
                    kubectl::complete::complete(args, current, &env)
                }
                Some((program, _)) if matches!(program.as_str(), "cat" | "ls" | "rm" | "head" | "tail" | "wc" | "grep" | "sort") => {
                    kubectl::complete::file_names(fs, current)
                }
                Some(_) => Vec::new(),
            })
        };
        Completion { start, end, candidates }
    }

    /// The namespace kubectl uses when a line names none: what the prompt shows.
    pub fn namespace(&self) -> String {
        self.with_parts(|_, _, config| config.namespace(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tab(session: &Session, line: &str) -> String {
        session.complete(line, line.len()).apply(line).0
    }

    #[test]
    fn tab_completes_verbs_types_names_flags_and_files() {
        let mut s = Session::new();
        assert_eq!(tab(&s, "kubectl get po"), "kubectl get pods ");
        assert_eq!(tab(&s, "kub"), "kube");
        assert_eq!(tab(&s, "kubectl desc"), "kubectl describe ");
        assert_eq!(tab(&s, "kubectl get pods --show-l"), "kubectl get pods --show-labels ");
        s.run_command("kubectl create deployment web --image=nginx");
        s.run_command("echo x > web.yaml");
        s.run_command("mkdir manifests");
        s.run_command("echo y > manifests/db.yaml");
        assert_eq!(tab(&s, "kubectl get deploy w"), "kubectl get deploy web ");
        assert_eq!(tab(&s, "kubectl apply -f w"), "kubectl apply -f web.yaml ");
        assert_eq!(tab(&s, "kubectl apply -f ma"), "kubectl apply -f manifests/");
        assert_eq!(tab(&s, "kubectl apply -f manifests/"), "kubectl apply -f manifests/db.yaml ");
        assert_eq!(tab(&s, "cat w"), "cat web.yaml ");
        assert_eq!(tab(&s, "kubectl get pods | gr"), "kubectl get pods | grep ");
        // Nothing fits: the line stays as it is.
        assert_eq!(tab(&s, "kubectl get zzz"), "kubectl get zzz");
    }

    #[test]
    fn aliases_built_ins_and_continued_lines_complete() {
        let mut s = Session::new();
        s.run_command("alias k2='kubectl get'");
        assert_eq!(tab(&s, "k2 po"), "k2 pods ");
        assert_eq!(tab(&s, "k get po"), "k get pods ");
        assert_eq!(tab(&s, "una"), "unalias ");
        assert_eq!(tab(&s, "exp"), "export ");
        s.run_command("POD=kubia-x");
        assert_eq!(tab(&s, "kubectl logs $PO"), "kubectl logs $POD ");
        assert_eq!(s.complete("k", 1).candidates, ["k", "k2", "kill", "kubectl", "kubelab"]);
        s.run_command("kubectl get \\");
        assert_eq!(tab(&s, "po"), "pods ");
    }

    #[test]
    fn completion_in_the_middle_of_a_line_keeps_the_rest() {
        let s = Session::new();
        let line = "kubectl get po -o wide";
        let c = s.complete(line, "kubectl get po".len());
        assert_eq!(c.apply(line), ("kubectl get pods  -o wide".to_string(), "kubectl get pods ".len()));
    }

    #[test]
    fn the_prompt_namespace_follows_the_context() {
        let mut s = Session::new();
        assert_eq!(s.namespace(), "default");
        s.run_command("kubectl create namespace dev");
        s.run_command("kubectl config set-context --current --namespace=dev");
        assert_eq!(s.namespace(), "dev");
    }
}
