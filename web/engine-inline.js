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
    const packed = fromBase64(WASM_GZIP_BASE64);
    const bytes = await new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    await init({ module_or_path: bytes });
  })();
  return started;
}

/**
 * Bytes of base64 text. `Uint8Array.fromBase64` where the browser has it (2-3 ms for the
 * engine's 730 KB); else a plain loop (~20 ms). `Uint8Array.from(atob(…), fn)`, a call per
 * character, took 130-210 ms of every cold start of the single file and of each embed.
 */
function fromBase64(text) {
  const native = /** @type {any} */ (Uint8Array).fromBase64;
  if (typeof native === "function") return native(text);
  const chars = atob(text), out = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) out[i] = chars.charCodeAt(i);
  return out;
}

/** What engine.js's second module offers (reports, report import, explain, fix) is in this one. */
export const extra = () => ready().then(() => engine);
