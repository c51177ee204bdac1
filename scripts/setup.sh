#!/usr/bin/env bash
# One idempotent set-up for kubelab: everything a fresh Debian bookworm machine needs to build
# the lab for wasm32 and to run every test, from the package registries only.
# Each step checks whether it is already done; a failing step stops the script and names itself.
set -euo pipefail

# ---- versions, pinned in one place ----------------------------------------------------------
TRUNK_VERSION=0.22.1
BINARYEN_VERSION=132          # npm package; Debian's binaryen 108 cannot parse rustc 1.96 output
# fonts-wqy-microhei: a CJK font, so the page's 中文 renders (not as boxes) in headless Chromium.
APT_PACKAGES="rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rust-web-clippy chromium chromium-driver fonts-wqy-microhei"
WASM_STD_DIR=/usr/lib/rustlib/wasm32-unknown-unknown/lib

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# Made by the step below that names it; read by scripts/build-page.sh.
PAGE_SYSROOT=$ROOT/target/page-sysroot
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

step() { CURRENT_STEP="$1"; echo "==> setup: $1"; }
trap 'echo "setup FAILED in step: ${CURRENT_STEP:-start}" >&2' ERR
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The wasm-bindgen CLI must equal the library version in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

step "Debian packages ($APT_PACKAGES)"
missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

# Builds the wasm32 standard library from rust-web-src into DEST (a sysroot's target lib dir),
# compiled with EXTRA_RUSTFLAGS and the std FEATURES given (none: std's defaults), unless
# DEST's stamp says it was built by this rustc, flags and features.
build_wasm_std() {
  local dest=$1 crates=$2 opt_level=$3 extra_rustflags=$4 features=$5 sudo=$6
  local stamp
  stamp=$(/usr/bin/rustc --version)
  [ "$opt_level" = 3 ] && [ -z "$extra_rustflags$features" ] \
    || stamp="$stamp opt-level=$opt_level $extra_rustflags${features:+ features=$features}"
  if [ -f "$dest/.kubelab-std-stamp" ] && [ "$(cat "$dest/.kubelab-std-stamp")" = "$stamp" ]; then
    return
  fi
  local work
  work=$(mktemp -d)
  mkdir -p "$work/src"
  printf '[package]\nname = "stdbuild"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n' > "$work/Cargo.toml"
  echo "" > "$work/src/lib.rs"
  (cd "$work" && RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc \
     RUSTFLAGS="-Cembed-bitcode=yes -Zforce-unstable-if-unmarked $extra_rustflags" \
     CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt_level" \
     CARGO_HOME="$work/cargo-home" \
     /usr/bin/cargo build --quiet --release --target wasm32-unknown-unknown \
     -Zbuild-std="$crates" ${features:+-Zbuild-std-features="$features"})
  $sudo mkdir -p "$dest"
  # A build for another rustc or flags leaves crates of other hashes, which rustc would find
  # as a second candidate for the same crate.
  $sudo rm -f "$dest"/lib*.rlib
  for f in "$work"/target/wasm32-unknown-unknown/release/deps/lib*.rlib; do
    case "$(basename "$f")" in libstdbuild-*) continue ;; esac
    $sudo cp "$f" "$dest/"
  done
  echo "$stamp" | $sudo tee "$dest/.kubelab-std-stamp" >/dev/null
  rm -rf "$work"
}

step "wasm32 standard library from rust-web-src"
build_wasm_std "$WASM_STD_DIR" std,panic_abort,panic_unwind,proc_macro,test 3 "" "" as_root

# The page's release build (scripts/build-page.sh) links a standard library of its own, where a
# panic aborts at once: in the page a panic's message reaches no console, so formatting it and
# the source locations it names are dead weight in the download. Its `optimize_for_size`
# feature picks std's small sorts and number formatting, built again for every element type.
step "the page's wasm32 standard library (panics abort at once, built for size)"
build_wasm_std "$PAGE_SYSROOT/lib/rustlib/wasm32-unknown-unknown/lib" std,panic_abort z \
  "-Zunstable-options -Cpanic=immediate-abort" optimize_for_size ""

step "rustup toolchain 'web' linked to /usr"
if ! rustup toolchain list | grep -q '^web'; then
  rustup toolchain link web /usr
fi

step "wasm-bindgen-cli (same version as Cargo.lock)"
wb=$(wasm_bindgen_version)
[ -n "$wb" ] || { echo "no wasm-bindgen in Cargo.lock" >&2; false; }
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
  cargo +stable install wasm-bindgen-cli --version "=$wb" --force
fi

step "trunk $TRUNK_VERSION"
if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  cargo +nightly install trunk --version "$TRUNK_VERSION" --locked --force
fi

step "npm packages (binaryen@$BINARYEN_VERSION for wasm-opt, playwright-core)"
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

step "crates fetched for offline builds"
cargo fetch --quiet

echo "==> setup: done"
