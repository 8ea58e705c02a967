// The engine as the served app loads it: the ES module glue fetches pkg/preflight_bg.wasm.
// Single-file and embed builds swap this module for engine-inline.js (scripts/bundle.mjs).
import init from "./pkg/preflight.js";
import { EXTRA_CALLS } from "./extra-calls.js";
export { Checklist, Stored, runFromFile, textFromBytes, looksBinary, percent } from "./pkg/preflight.js";
let started = null;
/** The engine, instantiated once however often this is called (the app and its store both wait on it). */
export const ready = () => (started ||= init());

const calls = Object.fromEntries(EXTRA_CALLS.map((call) => [call, (...args) => queued(call, args)]));

/**
 * The engine's second module (reports, report import, explain, fix: pkg/preflight_extra_bg.wasm),
 * fetched on use (web/extra.js is what the app calls).
 *
 * A call about a long text runs in a worker of its own (web/extra-worker.js), ended when it
 * answers: a wasm instance's memory never shrinks, and an export of a 10 MB checklist held
 * 60–90 MiB in the second module, which the page then kept. A worker also keeps a long export
 * off the page's thread. A call about a shorter text runs in the page, where the module stays
 * instantiated: a worker costs each call its start and the module's load and compile (~60 ms
 * on a 1 MB checklist, with the module kept compiled: see keepCompiled), and
 * what such a call leaves in the page's memory is a few MiB at most.
 * Calls run one at a time, in the order made: two exports of a long checklist at once would
 * hold two instances.
 * Where a worker cannot start (no Worker, a host's policy, its script not reachable), the
 * module runs in the page.
 */
export const extra = () => Promise.resolve(calls);

/** From this many characters of text in a call's arguments, it runs in a worker. */
const WORKER_FROM = 1 << 20;

let queue = Promise.resolve();
function queued(call, args) {
  const characters = args.reduce((n, a) => n + (typeof a === "string" ? a.length : 0), 0);
  const result = queue.then(() => (characters >= WORKER_FROM ? inWorker(call, args) : inPage(call, args)));
  queue = result.catch(() => {});
  return result;
}

let glueInPage = null;
/** The call made with the second module instantiated in the page: for short texts, and where no worker could start. */
function inPage(call, args) {
  glueInPage ||= import("./pkg/preflight_extra.js")
    .then(async (glue) => { await glue.default(); return glue; })
    .catch((e) => { glueInPage = null; throw e; });
  return glueInPage.then((glue) => glue[call](...args));
}

let compiled = null;
/**
 * The second module compiled in the page and kept for the page's life (its code only: no
 * instance, no memory). V8 (Chromium) shares a compiled module, with the optimized code its
 * calls have earned, among a process's threads, and a compile of the same bytes elsewhere in the
 * process waits for one under way: a worker compiling the module gets it, where each worker
 * alone started again from baseline code. Measured on a 1.1 MB checklist's HTML report, worker
 * calls after the first took 244–262 ms instead of 400–441 (188–200 in the page). The worker
 * still fetches and compiles the module itself, from its own glue's build: after a deploy its
 * bytes differ and nothing is shared, rather than an old module paired with new glue. Not awaited: a fetch that
 * hangs must not hold the call, and a failure only costs the speed (tried again next time).
 * Elsewhere it costs one compile and the code's memory.
 */
function keepCompiled() {
  compiled ||= Promise.resolve()
    .then(() => WebAssembly.compileStreaming(fetch(new URL("./pkg/preflight_extra_bg.wasm", import.meta.url))))
    .catch(() => { compiled = null; });
}

function inWorker(call, args) {
  keepCompiled();
  let worker;
  try {
    worker = new Worker(new URL("./extra-worker.js", import.meta.url), { type: "module" });
  } catch {
    return inPage(call, args);
  }
  return new Promise((resolve, reject) => {
    let loaded = false;
    const end = (settle, value) => { worker.terminate(); settle(value); };
    worker.onmessage = ({ data }) => {
      if (data?.loaded) { loaded = true; worker.postMessage({ call, args }); return; }
      if (data?.error) end(reject, Object.assign(new Error(data.error.message), { name: data.error.name }));
      else end(resolve, data?.value);
    };
    worker.onmessageerror = () => end(reject, new Error("the engine's answer could not be read"));
    worker.onerror = (event) => {
      event.preventDefault();
      // Before its script ran, the worker could not start: the call is made in the page. After,
      // the worker stopped during the call (out of memory, say): made again in the page, it
      // would most likely stop the page too.
      if (loaded) end(reject, new Error(`the engine stopped while working: ${event.message || "no reason given"}`));
      else { worker.terminate(); inPage(call, args).then(resolve, reject); }
    };
  });
}
