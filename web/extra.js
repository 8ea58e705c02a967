// The rarely used half of the engine, as the app calls it: the Markdown, HTML and JSON reports,
// reading a Markdown report back, the full explain report, converting table checklists,
// carrying a run over to an edited checklist. They
// live in a second wasm module (crates/preflight-wasm-extra), loaded on first use and, in the
// served app, run in a worker per call about a long text (engine.js), so every function here
// is async. That module is a separate wasm instance: a checklist crosses as its text and kept
// corrections and is read again there, a run as its canonical JSON; runs come back as JSON and
// become the first module's Run here.
import { extra, runFromFile } from "./engine.js";

/** @typedef {import("./pkg/preflight.js").Checklist} Checklist */
/** @typedef {import("./pkg/preflight.js").Run} Run */

/** The report of `run` as text: format "md", "html" or "json". */
export async function exportReport(format, /** @type {Checklist} */ checklist, /** @type {Run} */ run, now) {
  return await (await extra()).exportReport(format, checklist.text, checklist.keptCorrections(), run.toJson(), now);
}

/** A run of `checklist` from a filled Markdown report of it. */
export async function runFromMarkdown(/** @type {Checklist} */ checklist, text) {
  return checklist.runFromJson(await (await extra()).runFromMarkdown(checklist.text, checklist.keptCorrections(), text));
}

/**
 * A filled Markdown report taken apart without its template: `{template, run, corrections}`,
 * the template's text rebuilt from the report, the run, and the corrections it was read with
 * where it was made; undefined when `text` is not a Preflight report.
 * @returns {Promise<{ template: string, run: Run, corrections: import("./pkg/preflight.js").Correction[] } | undefined>}
 */
export async function splitReport(text) {
  const split = await (await extra()).splitReport(text);
  return split && { template: split.template, run: runFromFile(split.run), corrections: Array.isArray(split.corrections) ? split.corrections : [] };
}

/** The SHA-256 of the checklist a Markdown report was made from; undefined when not a report. */
export async function reportTemplateSha256(text) {
  return await (await extra()).reportTemplateSha256(text);
}

/** How the checklist was read (`preflight.explain/1`), with why for every decision. */
export async function explain(/** @type {Checklist} */ checklist) {
  return await (await extra()).explain(checklist.text, checklist.keptCorrections());
}

/** The checklist's text with every table checklist rewritten as a task list. */
export async function tablesAsTasks(/** @type {Checklist} */ checklist) {
  return await (await extra()).tablesAsTasks(checklist.text);
}

/**
 * A new run of `checklist` carrying `run`'s state over from `from`, the earlier version `run` is
 * a run of (null when its text is not at hand: then only what kept its id is carried). `run` is
 * not changed. `{run, carried, left, signaturesLeft, eventsLeft, counterparts}`: `left` lists the
 * ids that found no counterpart, `counterparts` (a Map) each earlier id found for certain here.
 * @param {Checklist} checklist @param {Checklist | null} from @param {Run} run
 * @param {string} id @param {string} name @param {string} now
 */
export async function carryOver(checklist, from, run, id, name, now) {
  const carried = await (await extra()).carryOver(checklist.text, checklist.keptCorrections(),
    from ? from.text : undefined, from ? from.keptCorrections() : undefined, run.toJson(), id, name, now);
  return { ...carried, run: checklist.runFromJson(carried.run) };
}
