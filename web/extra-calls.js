// What the engine's second module offers the app, by name: engine.js makes a function of each,
// and web/extra-worker.js answers these and nothing else of the module.
export const EXTRA_CALLS = Object.freeze(["exportReport", "runFromMarkdown", "splitReport", "reportTemplateSha256", "explain", "tablesAsTasks", "carryOver"]);
