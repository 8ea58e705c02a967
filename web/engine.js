// The engine as the served app loads it: the ES module glue fetches pkg/preflight_bg.wasm.
// Single-file and embed builds swap this module for engine-inline.js (scripts/bundle.mjs).
import init from "./pkg/preflight.js";
export { Checklist, Stored, runFromFile, textFromBytes, looksBinary, percent } from "./pkg/preflight.js";
let started = null;
/** The engine, instantiated once however often this is called (the app and its store both wait on it). */
export const ready = () => (started ||= init());

/** What the second module offers; web/extra-worker.js answers exactly these. */
const CALLS = ["exportReport", "runFromMarkdown", "splitReport", "reportTemplateSha256", "explain", "tablesAsTasks"];

let extraStarted = null;
/**
 * The engine's second module (reports, report import, explain, fix: pkg/preflight_extra_bg.wasm),
 * fetched and compiled on first use, once; a failed fetch (offline, before the service worker
 * has it) is tried again on the next use. web/extra.js is what the app calls.
 *
 * Each call runs in a worker of its own (web/extra-worker.js), ended when it answers: a wasm
 * instance's memory never shrinks, and an export of a 10 MB checklist held 60 MiB in the
 * second module, which the page then kept. A worker also keeps a long export off the page's
 * thread. Where a worker cannot start (no Worker, a host's policy), the module runs in the page.
 */
export function extra() {
  extraStarted ||= compileExtra()
    .then((module) => Object.fromEntries(CALLS.map((call) => [call, (...args) => inWorker(module, call, args)])))
    .catch((e) => { extraStarted = null; throw e; });
  return extraStarted;
}

async function compileExtra() {
  const response = await fetch(new URL("./pkg/preflight_extra_bg.wasm", import.meta.url));
  if (!response.ok) throw new Error(`the engine's second module could not be fetched (${response.status})`);
  return WebAssembly.compile(await response.arrayBuffer());
}

let inPage = null;
/** The second module instantiated in the page: only where no worker could start. */
function extraInPage(module) {
  inPage ||= import("./pkg/preflight_extra.js")
    .then(async (glue) => { await glue.default({ module_or_path: module }); return glue; })
    .catch((e) => { inPage = null; throw e; });
  return inPage;
}

function inWorker(module, call, args) {
  let worker;
  try {
    worker = new Worker(new URL("./extra-worker.js", import.meta.url), { type: "module" });
  } catch {
    return extraInPage(module).then((glue) => glue[call](...args));
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      worker.terminate();
      if (data?.error) reject(Object.assign(new Error(data.error.message), { name: data.error.name }));
      else resolve(data?.value);
    };
    // The worker's script failed to load or run (it posts every error of the call itself):
    // the call is made in the page instead.
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      extraInPage(module).then((glue) => glue[call](...args)).then(resolve, reject);
    };
    worker.postMessage({ module, call, args });
  });
}
