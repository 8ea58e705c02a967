#!/usr/bin/env bash
# Builds pkg/, the npm package of the engine: the optimized .wasm, its JS glue, TypeScript
# types and package.json. Generated: never edit pkg/ by hand.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust
ensure_wasm_tools

# Two modules: preflight_bg.wasm, what every page needs (read, model, run, score, store), and
# preflight_extra_bg.wasm, what is rarely used (reports, report import, explain, fix), which the
# app loads on first use (web/engine.js).
# The single file and the element script carry the engine inside; for them pkg/all/ is one module
# with everything (the first with the `extra` feature): two modules inline would carry the
# parser twice (BENCHMARKS.md, "Two modules"). pkg/all/ is not part of the npm package.
say "building the engine for wasm32 (release): both modules, and the one-module build"
# Cargo's output directory: CARGO_TARGET_DIR when set (a worktree may keep its own), else target/.
out="${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown"
rm -rf pkg && mkdir -p pkg/all
cargo build --quiet --release --target wasm32-unknown-unknown -p preflight-wasm --features extra
wasm-bindgen --target web --out-dir pkg/all --out-name preflight "$out/release/preflight_wasm.wasm"
cargo build --quiet --release --target wasm32-unknown-unknown -p preflight-wasm
# The second module is built for size (opt-level "z", Cargo.toml's wasm-extra profile).
cargo build --quiet --profile wasm-extra --target wasm32-unknown-unknown -p preflight-wasm-extra
wasm-bindgen --target web --out-dir pkg --out-name preflight "$out/release/preflight_wasm.wasm"
wasm-bindgen --target web --out-dir pkg --out-name preflight_extra "$out/wasm-extra/preflight_wasm_extra.wasm"
grep -q exportReport pkg/all/preflight.js || { echo "pkg/all: the one-module build lacks the reports" >&2; exit 1; }
! grep -q exportReport pkg/preflight.js || { echo "pkg/: the first module carries the reports" >&2; exit 1; }
# wasm-opt from npm's binaryen; rustc's output uses these features, and --all-features would
# produce a module browsers refuse.
wasm_opt() { # wasm_opt LEVEL FILE
  "$ROOT/tools/node_modules/.bin/wasm-opt" "$1" --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue --enable-reference-types \
    "$2" -o "$2"
}
# -O3 against -Oz measured the same for the first module (within 0.1%): it keeps -O3, for speed.
wasm_opt -O3 pkg/preflight_bg.wasm
wasm_opt -Oz pkg/preflight_extra_bg.wasm
wasm_opt -O3 pkg/all/preflight_bg.wasm
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
    "./preflight_bg.wasm": "./preflight_bg.wasm",
    "./extra": { "types": "./preflight_extra.d.ts", "default": "./preflight_extra.js" },
    "./preflight_extra_bg.wasm": "./preflight_extra_bg.wasm"
  },
  "files": ["preflight.js", "preflight.d.ts", "preflight_bg.wasm", "preflight_bg.wasm.d.ts", "store.js",
    "preflight_extra.js", "preflight_extra.d.ts", "preflight_extra_bg.wasm", "preflight_extra_bg.wasm.d.ts"],
  "sideEffects": false
}
JSON
size() { echo "$(stat -c %s "$1") bytes, $(gzip -9 -c "$1" | wc -c) gzipped"; }
say "pkg/ built: preflight_bg.wasm $(size pkg/preflight_bg.wasm); preflight_extra_bg.wasm $(size pkg/preflight_extra_bg.wasm); all/preflight_bg.wasm (inline builds) $(size pkg/all/preflight_bg.wasm)"
