// The engine for builds that must not fetch anything (dist/preflight.html from file://, the
// <preflight-checklist> script on any host): the wasm travels inside the script, gzipped and
// base64-encoded, and is compiled from those bytes. scripts/bundle.mjs provides "preflight:wasm"
// and resolves ./pkg/preflight.js to pkg/all/: one module with everything, the second module's
// functions included, since two modules inline would carry the parser twice (BENCHMARKS.md).
import init, * as engine from "./pkg/preflight.js";
import WASM_GZIP_BASE64 from "preflight:wasm";
export { Checklist, Stored, runFromFile, textFromBytes, looksBinary, percent } from "./pkg/preflight.js";

let started = null;
export function ready() {
  started ||= (async () => {
    const packed = Uint8Array.from(atob(WASM_GZIP_BASE64), (c) => c.charCodeAt(0));
    const bytes = await new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    await init({ module_or_path: bytes });
  })();
  return started;
}

/** What engine.js's second module offers (reports, report import, explain, fix) is in this one. */
export const extra = () => ready().then(() => engine);
