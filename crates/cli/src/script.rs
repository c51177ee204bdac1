//! `kubelab script FILE [--seed N] [--preset NAME]`: runs a script of terminal lines through a
//! lab session and prints the transcript (`$ <line>` and its output), the same code path as
//! the page. The script's own `# seed:` / `# preset:` comments apply unless a flag overrides
//! them.

use std::path::Path;

use anyhow::Context as _;

/// The transcript of `file` run in a fresh lab; `seed` and `preset` override the script's
/// header.
///
/// # Errors
/// The file cannot be read.
pub fn run(file: &Path, seed: Option<u64>, preset: Option<lab::Preset>) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let mut header = lab::transcript::Header::of(&text);
    header.seed = seed.or(header.seed);
    header.preset = preset.or(header.preset);
    let mut session = header.session();
    Ok(lab::transcript::run_script(&mut session, &text))
}
