#!/usr/bin/env bash
# Builds everything and serves Preflight on http://127.0.0.1:${PORT:-8080} with the built-in
# sample checklist. (Until the browser app lands this serves the engine's HTML report of the
# sample and the sample itself; the web issue replaces the page with the app.)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_rust
say "building the engine and the preflight command (release)"
cargo build --release --quiet -p preflight-cli
BIN="$ROOT/target/release/preflight"
OUT="$ROOT/dist/site"
mkdir -p "$OUT"
"$BIN" sample > "$OUT/DEPLOYMENT_CHECKLIST.md"
"$BIN" report "$OUT/DEPLOYMENT_CHECKLIST.md" --format html -o "$OUT/index.html"
"$BIN" report "$OUT/DEPLOYMENT_CHECKLIST.md" --format json -o "$OUT/report.json"
"$BIN" score "$OUT/DEPLOYMENT_CHECKLIST.md" || true   # the sample is NO-GO until worked through
PORT="${PORT:-8080}"
say "serving $OUT on http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
exec python3 -m http.server --bind 127.0.0.1 "$PORT" --directory "$OUT"
