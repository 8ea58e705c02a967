# Shared by scripts/serve.sh and scripts/test.sh: install what the project needs, idempotently.
# Every step checks first and does nothing when the tool is already there.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

APT_UPDATED=""
apt_install() { # apt_install COMMAND PACKAGE...
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  say "installing $*"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo not found: this project needs a Rust toolchain" >&2; exit 2; }
  local have; have="$(rustup component list --installed 2>/dev/null || true)"
  for c in rustfmt clippy; do
    grep -q "^$c" <<<"$have" || { say "adding rustup component $c"; rustup component add "$c"; }
  done
}

ensure_wasm_tools() {
  rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$' || {
    say "adding the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown; }
  # The CLI must be exactly the wasm-bindgen version in Cargo.lock (pinned in the wasm crate).
  local want; want="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (a few minutes, once)"
    cargo install --quiet wasm-bindgen-cli --version "$want"
  fi
  ensure_node_tools
}

ensure_node_tools() {
  command -v npm >/dev/null || apt_install npm nodejs npm
  if [ ! -x "$ROOT/tools/node_modules/.bin/wasm-opt" ] || [ ! -x "$ROOT/tools/node_modules/.bin/esbuild" ] || [ "$ROOT/tools/package-lock.json" -nt "$ROOT/tools/node_modules/.package-lock.json" ]; then
    say "installing build and test tools from npm (tools/)"
    (cd "$ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_chromium() {
  apt_install chromium chromium chromium-driver
  command -v chromedriver >/dev/null || apt_install chromedriver chromium-driver
}
