#!/usr/bin/env bash
# Builds the lab page for release (trunk; extra arguments such as `--dist DIR` go to trunk)
# against the page's own wasm32 standard library, made by scripts/setup.sh: there a panic
# aborts at once (`-Cpanic=immediate-abort`, unstable, hence RUSTC_BOOTSTRAP), which leaves
# the panic messages and source locations that no console would show out of the download.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
sysroot=$ROOT/target/page-sysroot
stamp=$sysroot/lib/rustlib/wasm32-unknown-unknown/lib/.kubelab-std-stamp
[ -f "$stamp" ] || { echo "no page standard library in $sysroot: run scripts/setup.sh" >&2; exit 1; }
# Cargo does not look inside a sysroot, so crates built against an earlier build of it would
# be reused; naming the std build in every crate's metadata makes a new std rebuild them.
std_build=$(cksum < "$stamp" | cut -d' ' -f1)
# RUSTFLAGS reach the wasm crates only (trunk passes --target), not build scripts or macros.
RUSTC_BOOTSTRAP=1 \
  RUSTFLAGS="--sysroot=$sysroot -Zunstable-options -Cpanic=immediate-abort -Cmetadata=page-std-$std_build" \
  exec trunk build --release "$@"
