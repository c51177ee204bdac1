//! Runs `kubelab conformance` on the shared oracle tables and requires zero failing rows.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn oracle_tables_have_no_failures() {
    // The tables live next to the repository (<workspace>/../shared/oracles); a checkout
    // without them uses the copy kept in tests/oracles.
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = workspace.join("../shared/oracles");
    let oracles = if shared.is_dir() { shared } else { workspace.join("tests/oracles") };
    let out = Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .arg("conformance")
        .arg("--oracles")
        .arg(&oracles)
        .output()
        .expect("run kubelab");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        out.status.success() && last.contains(" 0 failed"),
        "conformance failed (status {:?}):\n{stdout}\n{stderr}",
        out.status
    );
}

#[test]
fn version_prints_package_version() {
    let out = Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .arg("version")
        .output()
        .expect("run kubelab");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("kubelab {}", env!("CARGO_PKG_VERSION"))
    );
}
