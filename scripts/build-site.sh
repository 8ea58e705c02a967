#!/usr/bin/env bash
# Assembles the static app in dist/site from web/ and pkg/ (build pkg/ first), the single-file
# dist/preflight.html, the <preflight-checklist> script and the service worker.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -f pkg/preflight_bg.wasm ] || bash scripts/build-pkg.sh
rm -rf dist/site && mkdir -p dist/site/pkg
# engine-inline.js and element.js only exist to be bundled (scripts/bundle.mjs).
for f in web/*; do case "${f##*/}" in engine-inline.js|element.js) ;; *) cp "$f" dist/site/ ;; esac; done
cp pkg/preflight.js pkg/preflight_bg.wasm pkg/preflight_extra.js pkg/preflight_extra_bg.wasm dist/site/pkg/
node scripts/bundle.mjs
node scripts/preload.mjs
say "dist/site and dist/preflight.html assembled"
