// One call into the engine's second module (reports, report import, explain, fix), in a worker
// of its own that engine.js ends once it has answered. A wasm instance's memory never shrinks,
// and an export of a long checklist holds the checklist's model and the report at once: in the
// page that memory stayed for as long as the page was open; here it goes with the worker.
// The worker loads the module's glue and its wasm itself, from the same build (a page open
// across a deploy gets both new, never an old compiled module with new glue).
// Messages: `{ loaded: true }` once this script runs (before it, a failure to start is the
// page's cue to make the call itself); then, for `{ call, args }`, `{ value }` or
// `{ error: { name, message } }`.
import init, * as extra from "./pkg/preflight_extra.js";
import { EXTRA_CALLS } from "./extra-calls.js";

/** The functions a page may call; nothing else of the module is reachable by name. */
const CALLS = new Set(EXTRA_CALLS);

self.onmessage = async ({ data }) => {
  try {
    const { call, args } = data ?? {};
    if (!CALLS.has(call) || !Array.isArray(args)) throw new TypeError(`not a call this worker answers: ${call}`);
    await init();
    self.postMessage({ value: extra[call](...args) });
  } catch (e) {
    self.postMessage({ error: { name: e?.name ?? "Error", message: e?.message ?? String(e) } });
  }
};
self.postMessage({ loaded: true });
