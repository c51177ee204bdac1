#!/usr/bin/env bash
# Runs the whole kubelab test suite: native tests, conformance against the oracle tables, wasm
# tests in headless Chromium, and the end-to-end browser tests against a fresh release build.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
scripts/setup.sh
mkdir -p target
# A full disk shows up as a linker crash deep in the wasm build; name the real cause up front.
free_gb=$(df -Pk target | awk 'NR == 2 { print int($4 / 1048576) }')
echo "free disk space for target/: ${free_gb} GB (a clean run needs about 15 GB)"
[ "$free_gb" -ge 15 ] || echo "warning: less than 15 GB free; builds may fail with linker crashes" >&2
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

summary=()
section() { echo; echo "=============== $1 ==============="; }
started=$(date +%s)

section "native tests (cargo test)"
cargo test --workspace --exclude web 2>&1 | tee target/native-tests.log
summary+=("native:     $(grep -E '^test result:' target/native-tests.log | awk '{p+=$4; f+=$6} END {print p" passed, "f" failed"}')")

section "conformance against the upstream oracle tables"
oracles=../shared/oracles
[ -d "$oracles" ] || oracles=tests/oracles
cargo run --quiet -p kubelab -- conformance --oracles "$oracles" | tee target/conformance.log
summary+=("conformance: $(tail -n 1 target/conformance.log)")

section "wasm tests in headless Chromium (wasm-bindgen-test)"
cargo test -p web --target wasm32-unknown-unknown 2>&1 | tee target/wasm-tests.log
summary+=("wasm:       $(grep -E '^test result:' target/wasm-tests.log | awk '{p+=$4; f+=$6} END {print p" passed, "f" failed"}')")

section "release build of the page (trunk)"
scripts/build-page.sh

section "end-to-end browser tests (playwright-core, offline)"
node --test --test-reporter=spec tests/e2e/ 2>&1 | tee target/e2e-tests.log
summary+=("e2e:        $(grep -E '^ℹ (pass|fail) ' target/e2e-tests.log | tr '\n' ' ')")

section "summary ($(( $(date +%s) - started )) s)"
printf '%s\n' "${summary[@]}"
