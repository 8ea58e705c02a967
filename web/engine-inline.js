// The engine for builds that must not fetch anything (dist/preflight.html from file://, the
// <preflight-checklist> script on any host): both wasm modules travel inside the script, gzipped
// and base64-encoded, and are compiled from those bytes. scripts/bundle.mjs provides
// "preflight:wasm" and "preflight:wasm-extra".
import init from "./pkg/preflight.js";
import initExtra, * as extraModule from "./pkg/preflight_extra.js";
import WASM_GZIP_BASE64 from "preflight:wasm";
import EXTRA_GZIP_BASE64 from "preflight:wasm-extra";
export { Checklist, Stored, runFromFile, textFromBytes, looksBinary } from "./pkg/preflight.js";

async function inflate(base64) {
  const packed = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

let started = null;
export function ready() {
  started ||= inflate(WASM_GZIP_BASE64).then((bytes) => init({ module_or_path: bytes }));
  return started;
}

let extraStarted = null;
/** The second module (reports, report import, explain, fix): inflated on first use, once. */
export function extra() {
  extraStarted ||= inflate(EXTRA_GZIP_BASE64).then((bytes) => initExtra({ module_or_path: bytes })).then(() => extraModule);
  return extraStarted;
}
