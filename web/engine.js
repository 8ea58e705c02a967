// The engine as the served app loads it: the ES module glue fetches pkg/preflight_bg.wasm.
// Single-file and embed builds swap this module for engine-inline.js (scripts/bundle.mjs).
import init from "./pkg/preflight.js";
export { Checklist, Stored, runFromFile, textFromBytes, looksBinary, percent } from "./pkg/preflight.js";
let started = null;
/** The engine, instantiated once however often this is called (the app and its store both wait on it). */
export const ready = () => (started ||= init());

let extraStarted = null;
/**
 * The engine's second module (reports, report import, explain, fix: pkg/preflight_extra_bg.wasm),
 * fetched on first use, once; a failed fetch (offline, before the service worker has it) is
 * tried again on the next use. web/extra.js is what the app calls.
 */
export function extra() {
  extraStarted ||= import("./pkg/preflight_extra.js")
    .then(async (module) => { await module.default(); return module; })
    .catch((e) => { extraStarted = null; throw e; });
  return extraStarted;
}
