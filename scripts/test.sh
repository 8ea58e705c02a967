#!/usr/bin/env bash
# Runs every test: formatting, lints, unit/fixture/property/snapshot tests, the corpus against
# GitHub's own parser (cmark-gfm), and the CLI. Installs what it needs first.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_rust
apt_install cmark-gfm cmark-gfm   # the oracle for "what GitHub renders as a checkbox"
ensure_wasm_tools
ensure_chromium
apt_install firefox-esr firefox-esr   # the single-file app is also checked from file:// in Firefox

say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p preflight-wasm -p preflight-wasm-extra --all-targets --quiet -- -D warnings
# The one-module build the single file carries (scripts/build-pkg.sh, pkg/all/).
cargo clippy --target wasm32-unknown-unknown -p preflight-wasm --features extra --quiet -- -D warnings
say "cargo test"
# Snapshots are checked, never silently rewritten.
LOG="$(mktemp)"
INSTA_UPDATE=no cargo test --workspace --quiet 2>&1 | tee "$LOG"
say "browser tests of both wasm modules (headless Chromium)"
# Every file under tests/ is its own wasm instance: a test that measures wasm memory (which only
# grows) sits alone in its file.
for crate in preflight-wasm preflight-wasm-extra; do
  files=()
  for f in crates/$crate/tests/*.rs; do files+=(--test "$(basename "$f" .rs)"); done
  (cd "crates/$crate" && CHROMEDRIVER="$(command -v chromedriver)" \
    cargo test --target wasm32-unknown-unknown -p "$crate" "${files[@]}" 2>&1) | tee -a "$LOG"
done
say "building pkg/ and the app"
bash scripts/build-pkg.sh
bash scripts/build-site.sh
say "tsc: the engine's types against what it returns, the app's JavaScript against the types"
node scripts/check-types.mjs
tools/node_modules/.bin/tsc --noEmit -p .
say "end-to-end tests of the app (Playwright, headless Chromium)"
# A test file that hangs is cancelled after 20 minutes (the limit applies to each file as a whole;
# the longest passes in about 75 s), and nothing a failed test left open (a server, a browser)
# keeps the run waiting: CI stops a run at 90 minutes without saying what hung.
node --test --test-timeout=1200000 --test-force-exit tests/e2e/ 2>&1 | tee -a "$LOG"
# One closing line for the whole run (cargo's last line is the doc-test run's own count).
passed=$(( $(grep -o '[0-9]* passed' "$LOG" | awk '{s+=$1} END {print s+0}') + $(sed -n 's/^# pass //p' "$LOG" | awk '{s+=$1} END {print s+0}') ))
failed=$(( $(grep -o '[0-9]* failed' "$LOG" | awk '{s+=$1} END {print s+0}') + $(sed -n 's/^# fail //p' "$LOG" | awk '{s+=$1} END {print s+0}') ))
rm -f "$LOG"
echo "tests: $passed passed, $failed failed"
