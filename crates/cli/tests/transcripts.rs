//! Transcript tests: every `tests/transcripts/<area>/<name>.txt` is replayed through a fresh
//! lab session and must reproduce itself byte for byte.
//!
//! A transcript's header (lines before the first `$ `) may hold `# seed: N` (the default is
//! the lab's default seed) and `# preset: NAME` (minikube unless named). On a mismatch the test names the file, the first differing
//! command, and shows a line diff (`-` expected, `+` actual).

use std::path::{Path, PathBuf};

fn transcripts(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            transcripts(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

/// A small line diff: common prefix and suffix kept, the middle shown as `-`/`+`.
fn diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let pre = w.iter().zip(&g).take_while(|(a, b)| a == b).count();
    let suf = w[pre..]
        .iter()
        .rev()
        .zip(g[pre..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = String::new();
    let last_cmd = w[..pre]
        .iter()
        .rev()
        .find(|l| l.starts_with("$ "))
        .copied()
        .unwrap_or("(start)");
    out.push_str(&format!(
        "first difference after line {pre}, in the output of `{last_cmd}`:\n"
    ));
    for l in &w[pre.saturating_sub(2)..pre] {
        out.push_str(&format!("  {l}\n"));
    }
    for l in &w[pre..w.len() - suf] {
        out.push_str(&format!("- {l}\n"));
    }
    for l in &g[pre..g.len() - suf] {
        out.push_str(&format!("+ {l}\n"));
    }
    out
}

#[test]
fn transcripts_replay_exactly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts");
    let mut files = Vec::new();
    transcripts(&root, &mut files);
    assert!(!files.is_empty(), "no transcripts under {}", root.display());
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    // TRANSCRIPTS=part replays only the files whose path contains it.
    if let Ok(part) = std::env::var("TRANSCRIPTS") {
        files.retain(|f| f.to_string_lossy().contains(&part));
    }
    let mut failures = Vec::new();
    for f in &files {
        // Shown with --nocapture: which file a slow or stuck replay is in.
        println!("replaying {}", f.display());
        let want = std::fs::read_to_string(f).unwrap_or_default();
        let mut session = lab::transcript::Header::of(&want).session();
        let got = lab::transcript::replay(&mut session, &want);
        if got != want {
            if update {
                let _ = std::fs::write(f, &got);
            } else {
                failures.push(format!("{}\n{}", f.display(), diff(&want, &got)));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} transcript(s) differ (UPDATE_TRANSCRIPTS=1 rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
