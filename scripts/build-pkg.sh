#!/usr/bin/env bash
# Builds pkg/, the npm package of the engine: the optimized .wasm, its JS glue, TypeScript
# types and package.json. Generated: never edit pkg/ by hand.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust
ensure_wasm_tools

say "building the engine for wasm32 (release)"
cargo build --quiet --release --target wasm32-unknown-unknown -p preflight-wasm
rm -rf pkg && mkdir -p pkg
# Cargo's output directory: CARGO_TARGET_DIR when set (a worktree may keep its own), else target/.
wasm-bindgen --target web --out-dir pkg --out-name preflight \
  "${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/release/preflight_wasm.wasm"
# wasm-opt from npm's binaryen; rustc's output uses these features, and --all-features would
# produce a module browsers refuse.
"$ROOT/tools/node_modules/.bin/wasm-opt" -O3 --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-multivalue --enable-reference-types \
  pkg/preflight_bg.wasm -o pkg/preflight_bg.wasm
# The IndexedDB store (web/store.js) ships beside the engine: the same file, importing the
# package's glue instead of the app's engine loader.
sed 's#from "./engine.js"#from "./preflight.js"#' web/store.js > pkg/store.js
grep -q 'from "./preflight.js"' pkg/store.js || { echo "pkg/store.js: web/store.js no longer imports ./engine.js" >&2; exit 1; }
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
cat > pkg/package.json <<JSON
{
  "name": "preflight-engine",
  "version": "$VERSION",
  "description": "Preflight's checklist engine in WebAssembly: parse Markdown checklists, score runs, sign off, export reports, keep runs in the browser.",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "./preflight.js",
  "module": "./preflight.js",
  "types": "./preflight.d.ts",
  "exports": {
    ".": { "types": "./preflight.d.ts", "default": "./preflight.js" },
    "./store.js": "./store.js",
    "./preflight_bg.wasm": "./preflight_bg.wasm"
  },
  "files": ["preflight.js", "preflight.d.ts", "preflight_bg.wasm", "preflight_bg.wasm.d.ts", "store.js"],
  "sideEffects": false
}
JSON
raw=$(stat -c %s pkg/preflight_bg.wasm); gz=$(gzip -9 -c pkg/preflight_bg.wasm | wc -c)
say "pkg/ built: preflight_bg.wasm $raw bytes, $gz gzipped"
