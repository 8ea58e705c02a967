// The engine as the served app loads it: the ES module glue fetches pkg/preflight_bg.wasm.
// Single-file and embed builds swap this module for engine-inline.js (scripts/bundle.mjs).
import init from "./pkg/preflight.js";
export { Checklist, Stored, runFromFile, textFromBytes, looksBinary, percent } from "./pkg/preflight.js";
export const ready = () => init();

let started = null;
/**
 * The engine's second module (reports, report import, explain, fix: pkg/preflight_extra_bg.wasm),
 * fetched on first use, once; a failed fetch (offline, before the service worker has it) is
 * tried again on the next use. web/extra.js is what the app calls.
 */
export function extra() {
  started ||= import("./pkg/preflight_extra.js")
    .then(async (module) => { await module.default(); return module; })
    .catch((e) => { started = null; throw e; });
  return started;
}
