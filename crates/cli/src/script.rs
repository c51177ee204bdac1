//! `kubelab script FILE [--seed N]`: runs a script of terminal lines through a lab session
//! and prints the transcript (`$ <line>` and its output), the same code path as the page.

use std::path::Path;

use anyhow::Context as _;

/// The transcript of `file` run in a fresh lab seeded with `seed`.
///
/// # Errors
/// The file cannot be read.
pub fn run(file: &Path, seed: u64) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let mut session = lab::Session::with_seed(seed);
    Ok(lab::transcript::run_script(&mut session, &text))
}
