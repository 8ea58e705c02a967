#!/usr/bin/env bash
# Assembles the static app in dist/site from web/ and pkg/ (build pkg/ first).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -f pkg/preflight_bg.wasm ] || bash scripts/build-pkg.sh
rm -rf dist/site && mkdir -p dist/site/pkg
cp web/* dist/site/
cp pkg/preflight.js pkg/preflight_bg.wasm dist/site/pkg/
say "dist/site assembled"
