// The engine as the served app loads it: the ES module glue fetches pkg/preflight_bg.wasm.
// Single-file and embed builds swap this module for engine-inline.js (scripts/bundle.mjs).
import init from "./pkg/preflight.js";
export { Checklist, Stored, splitReport, reportTemplateSha256, runFromFile, textFromBytes, looksBinary, percent } from "./pkg/preflight.js";
export const ready = () => init();
