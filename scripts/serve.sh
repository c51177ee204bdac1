#!/usr/bin/env bash
# Sets up (if needed), builds the lab page in release mode and serves it at
# http://127.0.0.1:8080, opening it in a browser when the machine has one.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
PORT=${PORT:-8080}

scripts/build-page.sh
url="http://127.0.0.1:$PORT/"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  for opener in xdg-open open; do
    if command -v "$opener" >/dev/null; then (sleep 1; "$opener" "$url" >/dev/null 2>&1) & break; fi
  done
fi
exec node tests/e2e/static-server.mjs dist "$PORT"
