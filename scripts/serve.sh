#!/usr/bin/env bash
# Builds everything and serves the Preflight app on http://127.0.0.1:${PORT:-8080}, opening
# with the built-in sample checklist.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust
say "building the preflight command (release)"
cargo build --release --quiet -p preflight-cli
bash scripts/build-pkg.sh
bash scripts/build-site.sh
PORT="${PORT:-8080}"
say "serving the app on http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
exec python3 -m http.server --bind 127.0.0.1 "$PORT" --directory "$ROOT/dist/site"
