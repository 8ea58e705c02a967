// Preflight's static app: import a checklist, work through a run, sign it off, export reports.
// The checklist itself is drawn by ChecklistView (view.js); this module owns the page around it:
// importing, the library, exports, filters and keyboard shortcuts.
import { ready, Checklist, Stored, runFromFile, textFromBytes, looksBinary, percent } from "./engine.js";
import { splitReport, reportTemplateSha256, runFromMarkdown, tablesAsTasks, carryOver } from "./extra.js";
import { Store } from "./store.js";
import { h, now, today, when, Notice, download, fileBase, uuid } from "./dom.js";
import { ChecklistView, latestRun, downloadRun, originLabel } from "./view.js";
import { journalRuns } from "./journal.js";
import { changedSince, stagesOf, progress, PASSED as STAGE_PASSED } from "./stages.js";
import { STAGE_NAMES } from "./reading.js";

const $ = (id) => document.getElementById(id);
const MAX_BYTES = 20 * 1024 * 1024;

let store = null;
let view = null;
const notice = new Notice($("notice"));

/**
 * Show `run` of `checklist`. `origin`: where a checklist from a link came from (it is then not
 * kept until the user says so). Resolves false when the user chose to stay with unsaved work.
 */
async function open(checklist, run, name, model, { origin = null, keep = true, revive = false, corrections = [] } = {}) {
  if (!(await mayLeave())) return false;
  await view.open(checklist, run, name, model, { origin, keep, revive, corrections });
  if (!$("library").hidden) renderLibrary();
  return true;
}

/** Nothing in memory is dropped while storage refuses it: ask first (download, or stay). */
async function mayLeave() {
  if (!view?.unsaved || !view.run) return true;
  await view.save(); // storage may have room again
  if (!view.unsaved) return true;
  const dialog = /** @type {HTMLDialogElement} */ ($("unsaved-dialog"));
  $("unsaved-name").textContent = `“${view.run.name}”`;
  $("unsaved-why").textContent = view.deleted ? "it was deleted in another tab or window" : "browser storage refused them";
  dialog.returnValue = "";
  dialog.showModal();
  const answer = await new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true }));
  if (answer === "download") { downloadRun(view.run); return true; }
  return answer === "discard";
}

/**
 * A name for a new run of `checklist`, unlike the names of its runs kept here (`noneKept`: the
 * library is known to be empty, so there is nothing to ask storage).
 */
async function newRunName(checklist, model = checklist.model(), noneKept = false) {
  const version = model.metadata.find((m) => /^version$/i.test(m.key))?.value;
  const base = version ? `v${version.replace(/^v/i, "")} — ${today()}` : `Run of ${today()}`;
  return store && !noneKept ? store.freeRunName(checklist.sourceSha256, base).catch(() => base) : base;
}

const freshRun = async (checklist, model, noneKept = false, id = uuid()) => checklist.newRun(id, await newRunName(checklist, model, noneKept), now());

/** Whether `run` is as `checklist` starts a run: nothing done, typed or signed in it yet. */
const untouched = (checklist, run) => run.toJson() === checklist.newRun(run.id, run.name, run.createdAt).toJson();


/**
 * Import bytes from a file, a drop, a paste or ?src= (`origin` then names the link). Bad input
 * gets a message, never a blank page.
 */
async function importBytes(bytes, name, origin = null) {
  return holdingRows(async () => {
    try { return await importChecked(bytes, name, origin); } catch (e) {
      notice.show(`Could not import ${name}: ${e.message || e.name || "the file is not what Preflight expected"}.`, "error");
    }
  });
}

/**
 * `work()`, which may put another checklist on screen: meanwhile the rows of the one on screen
 * stop being built in the background (a 10,000-item list still filling took 150-250 ms from
 * the next import). If the work never replaces it (bad input, a run gone, the user stays),
 * they go on.
 */
async function holdingRows(work) {
  const held = view?.parts.hold();
  try { return await work(); } finally { view?.parts.resume(held); }
}

async function importChecked(bytes, name, origin) {
  if (bytes.length > MAX_BYTES) return notice.show(`${name} is ${(bytes.length / 1048576).toFixed(1)} MB; Preflight imports checklists up to 20 MB.`, "error");
  if (looksBinary(bytes)) return notice.show(`${name} looks like a binary file, not a Markdown checklist.`, "error");
  // The engine's decoding (UTF-16 as PowerShell and Notepad write it, invalid UTF-8 as U+FFFD).
  const text = textFromBytes(bytes);
  let report;
  try { report = text.includes("preflight:summary:begin") ? await splitReport(text) : undefined; } catch (e) {
    // Edited beyond ticking boxes: its own checklist, when kept here, still reads it.
    const sha = await reportTemplateSha256(text);
    const info = sha && store ? await store.templateInfo(sha).catch(() => null) : null;
    const why = e.name === "PreflightWrongTemplateError" ? "its text was changed beyond ticking boxes (words edited, blanks filled in or lines typed)" : e.message;
    if (!info) throw new Error(`${why}. Import the checklist it was made from first, then the report`);
    const checklist = await store.loadTemplate(sha);
    notice.clear();
    return arrive(checklist, await runFromMarkdown(checklist, text), info.name, info.origin, true);
  }
  if (report) {
    // A filled report (a shared run): rebuild its template and continue its run.
    notice.clear();
    return arrive(Checklist.parse(report.template), report.run, name, origin, !origin, checkedCorrections(report.corrections));
  }
  const checklist = Checklist.fromBytes(bytes);
  const model = checklist.model();
  const tables = checklist.tableChecklists();
  if (model.items.length === 0) {
    if (tables.length) return notice.show(`${name} has no task items (“- [ ] …”). ${tableSentence(tables)} `, "warning", convertButton(checklist, name));
    const lines = model.diagnostics.slice(0, 5).map((d) => h("li", {}, `line ${d.span.line}:${d.span.column} ${d.message}`));
    return notice.show(`${name} has no task items (“- [ ] …”), so there is nothing to check off.`, "error", h("ul", {}, lines));
  }
  notice.clear();
  // A link's checklist meets nothing kept until the user keeps it, unless this very text is
  // kept already (the user imported or kept it before): then it continues its own run.
  const known = origin && store ? await store.templateInfo(checklist.sourceSha256).catch(() => null) : null;
  const keep = !origin || Boolean(known);
  if (known) origin = known.origin;
  // The same text again while one of its kept runs is open: that run stays, not whichever of its
  // runs changed last (another tab's), where the next tick would land unnoticed.
  const same = view.keep && !view.deleted && view.run && view.checklist?.sourceSha256 === checklist.sourceSha256;
  const kept = !keep ? null : same ? view.run : await latestRun(store, checklist).catch((e) => { notice.show(e.message); return null; });
  // No run kept, yet one of this checklist may wait in a journal: worked on while storage was
  // full, the tab then closed. Its id again, and the view takes back what the journal holds.
  const journaled = !kept && keep && store ? journalRuns(store.namespace, checklist.sourceSha256)[0] : undefined;
  const run = kept || await freshRun(checklist, model, false, journaled);
  if (!(await open(checklist, run, name, model, { origin, keep }))) return;
  const problems = model.diagnostics.filter((d) => d.severity === "error");
  const undecodable = problems.find((d) => d.code === "invalid-utf8");
  // A kept run never worked on (the offer made at an earlier import was passed over) is no
  // reason not to offer again.
  const carry = (kept && !untouched(checklist, kept)) || !keep ? null : await carryOffer(checklist, model, name, origin);
  if (carry) {
    showCarryOffer(carry, checklist, run, name, model);
  } else if (tables.length) {
    notice.show(`${tableSentence(tables)} `, "warning", convertButton(checklist, name));
  } else if (checklist.hasMojibake()) {
    notice.show("Some text looks mis-decoded (like “âœ…” for ✅). ", "warning",
      h("button", { type: "button", id: "repair-text", onclick: () => repair(checklist, name, origin) }, "Repair the text"));
  } else if (undecodable) {
    // Most often a file saved in a legacy single-byte encoding: offer to read it as the usual one.
    notice.show(`${name}: ${undecodable.message} (line ${undecodable.span.line}); unreadable characters show as �. `, "warning",
      h("button", { type: "button", onclick: () => importBytes(new TextEncoder().encode(new TextDecoder("windows-1252").decode(bytes)), name, origin) }, "Read it as Windows-1252"));
  } else if (problems.length) {
    notice.show(`${problems.length} problem(s) in ${name}: ${problems[0].message} (line ${problems[0].span.line}).`);
  }
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * Repair mis-decoded text and keep the work: the open run carries over to the repaired
 * checklist (every entry whose item survived; items whose words were repaired get new ids). The
 * broken copy is forgotten when nothing of it is left behind, so the library does not hold two
 * checklists that look the same.
 */
async function repair(broken, name, origin) {
  const fixed = Checklist.parse(broken.repairedText());
  const from = view.run && view.checklist?.sourceSha256 === broken.sourceSha256 ? view.run : null;
  if (from) view.details.flush(); // what is typed in it is part of it
  let carried = null;
  // The second module carries a copy of the run: a tick made while it works is carried by
  // working again, and a user gone to another run is not pulled back.
  for (let tries = 0; from && !carried; tries++) {
    const copied = from.toJson();
    try {
      carried = await carryOver(fixed, broken, from, uuid(), from.name, now());
    } catch (e) {
      fixed.free();
      return notice.show(`Could not repair the text: ${e.message}. Nothing was changed.`, "error");
    }
    if (view.run !== from) { carried.run.free(); fixed.free(); return; }
    if (from.toJson() !== copied) { carried.run.free(); carried = null; }
    if (!carried && tries === 4) { fixed.free(); return notice.show("The run kept changing while the text was repaired: try again.", "warning"); }
  }
  const run = carried?.run || await freshRun(fixed);
  // Names typed in its sign-offs go with the run, to the slots found again in the repaired text.
  if (carried) view.moveSlotDrafts({ sha: broken.sourceSha256, id: from.id }, { sha: fixed.sourceSha256, id: run.id }, run.toObject().signOffs, carried.counterparts);
  const wasKept = view.keep;
  if (!(await open(fixed, run, name, undefined, { origin, keep: wasKept }))) return;
  // Sign-offs (records and signatures) and the timeline (GO, gates passed, a contingency,
  // closing) vouched for the unrepaired text and are not carried: a run that holds any of them
  // keeps its copy in the library, as one with entries left behind does.
  const vouched = carried ? carried.signaturesLeft + carried.eventsLeft : 0;
  let forgot = false;
  if (store && wasKept && from && !carried.left.length && !vouched) {
    const runs = await store.runsOf(broken.sourceSha256).catch(() => null);
    if (runs && runs.every((r) => r.id === from.id)) { await store.deleteTemplate(broken.sourceSha256).catch(() => {}); forgot = true; }
  }
  notice.show(`Repaired the text.${carried?.carried ? ` ${plural(carried.carried, "entry", "entries")} of your run carried over.` : ""}`
    + (carried?.left.length ? ` ${plural(carried.left.length, "entry was", "entries were")} on text that changed and stayed in the run of the unrepaired copy (in the library).` : "")
    + (vouched ? ` Sign-offs and the run's timeline are not carried over (they vouched for the unrepaired text)${wasKept ? ": they stay in the run of the unrepaired copy (in the library)" : ""}.` : "")
    + (forgot ? " The unrepaired copy was removed from the library." : ""), "info");
}

/**
 * A run arriving from a shared report or a run file. When this browser has the same run, show
 * what would come in and where the two disagree before merging; otherwise open it.
 */
async function arrive(checklist, incoming, name, origin, keep, corrections = []) {
  // A file's run whose id storage does not keep a run under is kept under a new one.
  const given = incoming.id;
  const idRefused = !Stored.isRunId(given);
  if (idRefused) { const original = incoming; incoming = original.duplicate(uuid(), original.name); original.free(); }
  const sha = checklist.sourceSha256;
  const ours = keep && store ? await store.loadRun(sha, incoming.id).catch(() => null) : null;
  // Imported on purpose: kept, even when it is a run this browser deleted (its deletion note
  // would otherwise hold it back as if another tab had deleted it meanwhile).
  if (!ours) {
    const opened = await open(checklist, incoming, name, undefined, { origin, keep, revive: true, corrections });
    if (opened && idRefused) notice.show(`The run's id in the file was ${given ? "too long to keep" : "empty"}, so it is kept under a new one: importing the same file again makes another copy.`, "info");
    return opened;
  }
  const info = await store.templateInfo(sha).catch(() => null);
  if (!(await open(checklist, ours, info?.name || name, undefined, { origin: info?.origin ?? origin, corrections }))) return;
  const plan = mergePlan(view.model, ours, incoming);
  if (!plan.in.length && !plan.conflicts.length) return notice.show(`“${incoming.name}” is already here with everything it holds.`, "info");
  const line = (c) => h("li", {}, c.text);
  notice.show(`“${incoming.name}” is a run this browser already has. ${plural(plan.in.length, "change comes", "changes come")} in`
    + (plan.conflicts.length ? `; ${plural(plan.conflicts.length, "entry differs", "entries differ")} on both sides (the later change wins).` : ".") + " ", "info",
    h("details", { class: "carry-list" }, h("summary", {}, "What would change"), h("ul", {}, [...plan.conflicts, ...plan.in].map(line))),
    h("button", { type: "button", id: "merge-run", onclick: async () => {
      notice.clear();
      view.run.merge(incoming);
      await view.save();
      view.render("merge");
      notice.show(`Merged “${incoming.name}”: ${plural(plan.in.length + plan.conflicts.length, "entry", "entries")} looked at, nothing lost.`, "info");
    } }, "Merge"), " ",
    h("button", { type: "button", id: "merge-copy", onclick: async () => {
      notice.clear();
      await open(checklist, incoming.duplicate(uuid(), `${incoming.name} (received)`, now()), info?.name || name, undefined, { origin: info?.origin ?? origin });
    } }, "Keep it as a separate run"));
}

/** Entry by entry: what `theirs` brings that `ours` lacks, and where both changed the same entry. */
function mergePlan(model, ours, theirs) {
  const a = ours.toObject(), b = theirs.toObject();
  const label = new Map([...model.items, ...(model.slots || [])].map((i) => [i.id, i.kind === "signOff" || i.signOff ? i.signOff?.role || i.text : i.text]));
  for (const f of model.fields) label.set(f.id, f.label);
  for (const sec of model.sections) label.set(sec.id, sec.title);
  const state = (kind, v) => kind === "items" ? v.status + (v.reason ? ` (${v.reason})` : "") + (v.note ? " + note" : "") + (v.evidence ? " + evidence" : "")
    : kind === "fields" ? `“${v.value}”` : kind === "signOffs" ? (v.signature ? `signed by ${v.signature.name}` : "unsigned") : v.on ? "on" : "off";
  const who = (v) => [v.by, v.at && new Date(v.at).toLocaleString()].filter(Boolean).join(", ");
  const out = { in: [], conflicts: [] };
  for (const kind of ["items", "fields", "signOffs", "sections"]) {
    for (const [id, t] of Object.entries(b[kind] || {})) {
      const o = a[kind]?.[id];
      if (o && JSON.stringify(o) === JSON.stringify(t)) continue;
      const name = label.get(id) || id;
      if (!o) out.in.push({ text: `${name}: ${state(kind, t)}${who(t) ? ` — ${who(t)}` : ""}` });
      else {
        const wins = (t.at || "") > (o.at || "") ? "theirs" : "ours";
        out.conflicts.push({ text: `${name}: here ${state(kind, o)}${who(o) ? ` (${who(o)})` : ""}; theirs ${state(kind, t)}${who(t) ? ` (${who(t)})` : ""} → ${wins === "ours" ? "this browser's" : "theirs"} is kept` });
      }
    }
  }
  return out;
}

/** Tables whose rows carry a status mark (☐ ✅ [ ]) and no checkbox, in words: how many rows, where. */
function tableSentence(tables) {
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const open = tables.reduce((n, t) => n + t.open, 0);
  const lines = tables.map((t) => t.line);
  const at = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.slice(0, -1).join(", ")} and ${lines.at(-1)}`;
  return `${tables.length === 1 ? "A table" : `${tables.length} tables`} at ${at} ${tables.length === 1 ? "is" : "are"} a checklist with no checkboxes: `
    + `${plural(rows, "row", "rows")} with a status mark (${open} open), which GitHub and Preflight do not count as items.`;
}

/** Import the text with its table checklists rewritten as task lists (every other byte kept). */
function convertButton(checklist, name) {
  return h("button", { type: "button", id: "convert-tables", onclick: async () => {
    notice.clear();
    await importBytes(new TextEncoder().encode(await tablesAsTasks(checklist)), name);
    $("view-title")?.focus(); // the button is gone: the checklist it became
  } }, "Convert to task list");
}

/** Whether two checklists share a provenance: both the user's own, or both from one origin. */
function sameSource(a, b) {
  if (!a || !b) return !a && !b;
  try { return new URL(a.url).origin === new URL(b.url).origin; } catch { return false; }
}

/**
 * An edited checklist (same title or file name, new text, same provenance) may continue the
 * latest run of the version before it: every item that did not change keeps its state. Nothing
 * is carried until the user has seen what would be. Null when there is nothing to carry.
 */
async function carryOffer(checklist, model, name, origin) {
  if (!store) return null;
  let entries;
  try { entries = (await store.library({ texts: false })).templates; } catch { return null; }
  const joins = (t) => t.sha256 !== checklist.sourceSha256 && t.runs.length && sameSource(t.origin, origin) && (t.title === model.title || t.name === name);
  // Chosen by what their info records say; each is read again from its text before it is
  // believed (a record can say anything), newest first.
  let earlier = null;
  for (const e of entries.filter(joins).sort((a, b) => b.runs[0].updatedAt.localeCompare(a.runs[0].updatedAt))) {
    const sound = await store.templateInfo(e.sha256, { reread: true }).catch(() => null);
    if (sound && joins({ ...sound, runs: e.runs })) { earlier = { ...sound, runs: e.runs }; break; }
  }
  const from = earlier && await store.loadRun(earlier.sha256, earlier.runs[0].id).catch(() => null);
  if (!from) return null;
  const fromName = from.name;
  // The earlier version's text tells apart tasks of the same words (carryOverFrom).
  const before = await store.loadTemplate(earlier.sha256).catch(() => null);
  const carried = await carryOver(checklist, before, from, uuid(), fromName, now()).catch(() => null);
  before?.free();
  from.free();
  if (!carried?.carried) { carried?.run.free(); return null; }
  // Corrections kept for the earlier version ("this item is critical") change its verdict: those
  // on an item or section found here for certain come along with the run, to where its state
  // went (an id of a repeated task names another task here); the rest stay with that version.
  const corrections = (await store.loadCorrections(earlier.sha256).catch(() => []))
    .flatMap((k) => carried.counterparts.has(k.id) ? [{ ...k, id: carried.counterparts.get(k.id) }] : []);
  return { ...carried, fromName, fromFile: earlier.name, corrections };
}

/** What carrying over would bring, item by item, with the choice to do it. */
function showCarryOffer(carry, checklist, fresh, name, model) {
  const state = carry.run.toObject();
  // A task under another is named with it ("Deploy Beta › Verify health"): tasks of the same words
  // must be told apart before the user agrees.
  const label = (i) => i.parent !== undefined && i.parent !== null && model.items[i.parent] ? `${label(model.items[i.parent])} › ${i.text}` : i.text;
  const texts = new Map([...model.items, ...(model.slots || [])].map((i) => [i.id, (i.text ? label(i) : null) || i.role || i.id]));
  const lines = [
    ...Object.entries(state.items).map(([id, s]) => `${s.status === "done" ? "✓" : s.status === "na" ? "N/A" : s.status === "blocked" ? "Blocked" : "Note"} · ${texts.get(id) || id}`),
    ...Object.entries(state.fields).map(([id, f]) => `Field · ${texts.get(id) || id}: ${f.value}`),
    ...Object.entries(state.sections).map(([id, sec]) => `Section ${sec.on ? "switched on" : "switched off"} · ${model.sections.find((s) => s.id === id)?.title || id}`),
  ];
  notice.show(`An earlier version of this checklist (${carry.fromFile}) has a run, “${carry.fromName}”: ${carry.carried === 1 ? "1 entry of it matches" : `${carry.carried} entries of it match`} this version.`
    + (carry.left.length ? ` ${plural(carry.left.length, "entry matches", "entries match")} nothing here and would stay in that run.` : "")
    + (carry.signaturesLeft ? ` ${plural(carry.signaturesLeft, "signature", "signatures")} vouched for the earlier version and would not be carried.` : "")
    // GO declared on the earlier version (and gates passed, a contingency, closing) was judged
    // on its text: this version is judged again, and its Declare GO is offered again.
    + (carry.eventsLeft ? ` Its timeline (${plural(carry.eventsLeft, "moment", "moments")}, such as GO declared) was for the earlier version and would not be carried: declare GO again on this one when it is ready.` : "")
    + (carry.corrections.length ? ` ${plural(carry.corrections.length, "correction", "corrections")} to how it is read would come along.` : "") + " ", "info",
    h("details", { class: "carry-list" }, h("summary", {}, "What would be carried"), h("ul", {}, lines.map((l) => h("li", {}, l)))),
    h("button", { type: "button", id: "carry-over", onclick: async () => {
      notice.clear();
      if (view.run === fresh) view.details.flush(); // what is typed in it is part of it
      const unused = view.run === fresh && untouched(checklist, fresh);
      // Work done in the fresh run since the offer came (a tick, a note) goes with the carried
      // entries, the later change winning, so agreeing late splits nothing into two runs.
      // The carried run then takes the fresh run's place (its id), as a merge needs one run.
      const worked = view.run === fresh && !unused;
      const run = worked ? carry.run.duplicate(fresh.id, carry.run.name) : carry.run;
      if (worked) carry.run.free();
      if (worked) run.merge(fresh);
      // A name typed in the fresh run's sign-offs (not signed: not yet the run's) goes with it.
      const sha = checklist.sourceSha256;
      if (unused) view.moveSlotDrafts({ sha, id: fresh.id }, { sha, id: run.id }, run.toObject().signOffs);
      if (!(await open(checklist, run, name, model, { corrections: carry.corrections }))) return;
      if (unused) await store?.deleteRun(checklist.sourceSha256, fresh.id).catch(() => {});
      notice.show(`Carried ${plural(carry.carried, "entry", "entries")} over from “${carry.fromName}”.`
        + (worked ? " What was done in the fresh run since is kept with them." : ""), "info");
    } }, `Carry ${plural(carry.carried, "entry", "entries")} over`), " ",
    h("button", { type: "button", onclick: () => notice.clear() }, "Keep the fresh run"));
}

/** ?src=: a checklist from a link is shown with where it came from, and kept only when the user says so. */
async function importFromUrl(src) {
  let url;
  try { url = new URL(src, location.href); } catch { return notice.show(`“${src}” is not a link Preflight can load.`, "error"); }
  if (!/^(https?|file):$/.test(url.protocol)) return notice.show(`Preflight loads checklists over http(s) only, not ${url.protocol}`, "error");
  try {
    const response = await fetch(url, { credentials: "omit" });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    await importBytes(new Uint8Array(await response.arrayBuffer()), decodeURIComponent(url.pathname.split("/").pop() || url.host), { kind: "link", url: url.href });
  } catch (e) {
    // Offline, or the server is down: a copy of this link kept in this browser is opened instead.
    if (await openKeptCopy(url.href, e)) return;
    notice.show(`Could not load ${url.href}: ${e.message}. The server may not allow other sites to read it (CORS); download the file and import it instead.`, "error");
  }
}

/**
 * Open the latest run of the checklist kept from link `href`, saying that the link itself could
 * not be loaded (`error`); false when this browser kept none.
 */
async function openKeptCopy(href, error) {
  if (!store) return false;
  let kept;
  try {
    kept = (await store.library({ texts: false })).templates
      .filter((t) => t.origin?.kind === "link" && t.origin.url === href && t.runs.length)
      .flatMap((t) => t.runs.map((r) => ({ sha: t.sha256, run: r })))
      .sort((a, b) => b.run.updatedAt.localeCompare(a.run.updatedAt))[0];
  } catch { return false; }
  if (!kept || !(await openRun(kept.sha, kept.run.id))) return false;
  notice.show(`Could not load ${href} (${error.message}): showing the copy kept in this browser, last changed ${when(kept.run.updatedAt)}.`, "warning");
  return true;
}

// ---- library: the checklists and runs kept in this browser ------------------------------------

let undo = null; // the last deleted run, until the next deletion or reload

async function openRun(sha, runId) {
  return holdingRows(() => openKeptRun(sha, runId));
}

/** Open a kept run; true when it is open. */
async function openKeptRun(sha, runId) {
  try {
    const info = await store.templateInfo(sha);
    const checklist = info && await store.loadTemplate(sha);
    const run = checklist && await store.loadRun(sha, runId);
    if (!checklist || !run) { notice.show("That run is no longer in this browser.", "error"); return false; }
    notice.clear();
    if (!(await open(checklist, run, info.name, undefined, { origin: info.origin }))) return false;
    toggleLibrary(false);
    return true;
  } catch (e) { notice.show(`That run could not be opened: ${e.message}`, "error"); return false; }
}

/** A file's text (a run or report as JSON). */
async function textOf(file) { return textFromBytes(new Uint8Array(await file.arrayBuffer())); }

/** A button that picks a file: a real button (keyboard and screen readers) over a hidden input. */
function fileButton(label, accept, onfile, id) {
  const input = h("input", { type: "file", accept, hidden: true, onchange: async (e) => { const f = e.target.files[0]; e.target.value = ""; if (f) await onfile(f); } });
  return [h("button", { type: "button", id, onclick: () => input.click() }, label), input];
}

async function importRunFile(file) {
  return holdingRows(() => importRun(file));
}

async function importRun(file) {
  try {
    const text = await textOf(file);
    const run = runFromFile(text); // a run, or a JSON report that carries one: the engine says which
    const corrections = reportCorrections(text);
    const sha = run.templateSha256;
    const info = store ? await store.templateInfo(sha).catch(() => null) : null;
    if (!info) return askForChecklist(run, file.name, corrections);
    const checklist = await store.loadTemplate(sha);
    await arrive(checklist, checklist.runFromJson(run.toJson()), info.name, info.origin, true, corrections);
  } catch (err) { notice.show(`Could not import ${file.name}: ${err.message}`, "error"); }
}

/** The corrections a JSON report was read with where it was made (none for a run file). */
function reportCorrections(text) {
  try {
    const value = JSON.parse(text);
    if (!String(value?.schema).startsWith("preflight.report/")) return [];
    return checkedCorrections(value.corrections);
  } catch { return []; }
}

/**
 * Corrections a report brought, checked as a stored list is (one that does not check out is
 * left behind, not half-applied). Those of the document's own `preflight:` block (a line of
 * their own) come with its text.
 */
function checkedCorrections(list) {
  if (!Array.isArray(list)) return [];
  try { return Stored.corrections(Stored.correctionsValue(list.filter((k) => k?.line === 0))); } catch { return []; }
}

/** A run whose checklist this browser lacks: ask for that checklist (by file), then continue it. */
function askForChecklist(run, fileName, corrections = []) {
  const pick = (file) => holdingRows(async () => {
    try {
      const checklist = Checklist.fromBytes(new Uint8Array(await file.arrayBuffer()));
      if (checklist.sourceSha256 !== run.templateSha256) {
        return notice.show(`${file.name} is not the checklist “${run.name}” was made from (another checklist, or another version of it). Choose the exact file, or import a Markdown report of the run instead.`, "error", ...fileButton("Choose another file…", ".md,.markdown,.txt,text/markdown,text/plain", pick, "choose-checklist"));
      }
      notice.clear();
      await arrive(checklist, checklist.runFromJson(run.toJson()), file.name, null, true, corrections);
    } catch (e) { notice.show(`Could not read ${file.name}: ${e.message}`, "error"); }
  });
  notice.show(`${fileName} holds the run “${run.name}”, but its checklist is not in this browser yet. Choose the checklist file it was made from, and the run continues. `, "info",
    ...fileButton("Choose the checklist…", ".md,.markdown,.txt,text/markdown,text/plain", pick, "choose-checklist"));
  $("choose-checklist")?.focus();
}

async function restoreFile(file) {
  try {
    const counts = await store.restore(await textOf(file));
    notice.show(`Restored ${plural(counts.templates, "checklist", "checklists")} and ${plural(counts.runs, "run", "runs")} from ${file.name}, merged with what was here.`
      + (counts.problems.length ? ` ${plural(counts.problems.length, "entry was", "entries were")} refused: ${counts.problems.slice(0, 3).join("; ")}${counts.problems.length > 3 ? "; …" : ""}.` : ""), counts.problems.length ? "warning" : "info");
    renderLibrary();
  } catch (e) { notice.show(`Could not restore ${file.name}: ${e.message}`, "error"); }
}

/**
 * A kept run for a library action; when another tab or window has deleted it since the library
 * was drawn, says so, draws the library again and resolves undefined.
 */
async function keptRun(sha, r) {
  const run = await store.loadRun(sha, r.id);
  if (!run) { notice.show(`“${r.name}” is no longer in this browser: it was deleted in another tab or window.`, "warning"); renderLibrary(); }
  return run;
}

/**
 * Draw the library again soon after another tab or window changed what is kept (many changes
 * at once draw it once), unless the user is renaming a run in it: that would drop the new name
 * being typed. The rename draws it when it ends.
 */
let libraryLater = null;
function refreshLibrary() {
  if ($("library").hidden || libraryLater) return;
  libraryLater = setTimeout(() => {
    libraryLater = null;
    if (!$("library").hidden && !$("library").querySelector("input.rename")) renderLibrary();
  }, 200);
}

/** Whether the run shown is run `id` of checklist `sha` (runs are kept by both). */
const isOpenRun = (sha, id) => view.run?.id === id && view.run.templateSha256 === sha;
/** The library line of run `id` of checklist `sha`, as an element id. */
const runLineId = (sha, id) => `run-${sha}/${id}`;

async function renderLibrary() {
  const panel = $("library");
  if (!store) return panel.replaceChildren(h("p", {}, "This browser gives Preflight no storage, so there is no library."));
  let library, quarantined, persisted;
  try { [library, quarantined, persisted] = await Promise.all([store.library(), store.quarantined(), store.persisted()]); } catch (e) {
    return panel.replaceChildren(h("h2", {}, "Library"), h("p", {}, `The library could not be read: ${e.message}`));
  }
  // Runs are kept by checklist and id: a run file may give two checklists' runs one id.
  const isOpen = (sha, r) => Boolean(view.run && view.keep && isOpenRun(sha, r.id));
  const standing = await runStanding(library.templates);
  const runLine = (t, r) => h("li", { class: isOpen(t.sha256, r) ? "current" : "", id: runLineId(t.sha256, r.id) },
    h("span", { class: "name" }, r.name, isOpen(t.sha256, r) ? h("span", { class: "tag" }, " (open)") : null),
    standing.get(runLineId(t.sha256, r.id)) || null,
    h("span", { class: "muted" }, `last change ${new Date(r.updatedAt).toLocaleString()}`),
    h("button", { type: "button", onclick: () => openRun(t.sha256, r.id) }, "Open"),
    h("button", { type: "button", "aria-label": `Rename “${r.name}”`, onclick: (e) => renameInPlace(e.target.closest("li"), t.sha256, r) }, "Rename"),
    h("button", { type: "button", onclick: () => duplicateRun(t.sha256, r) }, "Duplicate"),
    h("button", { type: "button", onclick: async () => { const run = await keptRun(t.sha256, r); if (run) downloadRun(run); } }, "Export JSON"),
    h("button", { type: "button", onclick: () => deleteRun(t.sha256, r) }, "Delete"));
  const children = [
    h("h2", {}, "Library"),
    h("p", { class: "muted", id: "persistence" }, persisted
      ? "This browser keeps Preflight's storage until you clear it."
      : "This browser may clear Preflight's storage when space runs short (Safari does after 7 days without a visit): keep a backup."),
    h("p", {}, ...fileButton("Import a run (JSON)…", ".json,application/json", importRunFile, "import-run"), " ",
      h("button", { type: "button", id: "backup", onclick: async () => {
        try { download(`preflight-backup-${new Date().toISOString().slice(0, 10)}.json`, await store.backup(), "application/json"); } catch (e) { notice.show(`The backup could not be made: ${e.message}`, "error"); }
      } }, "Back up everything"), " ",
      ...fileButton("Restore a backup…", ".json,application/json", restoreFile, "restore")),
    quarantined.length ? h("div", { class: "quarantine", id: "quarantine" },
      h("p", {}, `${plural(quarantined.length, "damaged value was", "damaged values were")} found in storage and kept aside, so nothing could overwrite ${quarantined.length === 1 ? "it" : "them"}: `,
        quarantined.slice(0, 3).map((q) => `${q.key} (${q.reason})`).join("; "), quarantined.length > 3 ? "; …" : ""),
      h("button", { type: "button", id: "quarantine-download", onclick: () => download("preflight-damaged-values.json", JSON.stringify(quarantined, null, 1), "application/json") }, "Download them"), " ",
      h("button", { type: "button", onclick: async () => { await store.clearQuarantine(); renderLibrary(); } }, "Delete the kept-aside copies")) : null,
    library.templates.length || library.orphans.length ? null : h("p", { class: "muted" }, "Nothing kept yet."),
    library.templates.map((t) => h("div", { class: "template" },
      h("h3", {}, t.title, " ", h("span", { class: "muted" }, `· ${t.name}`, t.origin ? ` · from ${originLabel(t.origin)}` : "")),
      h("button", { type: "button", onclick: async () => {
        const checklist = await store.loadTemplate(t.sha256);
        const run = await freshRun(checklist);
        await store.saveRun(run); openRun(t.sha256, run.id);
      } }, "New run"),
      h("ul", { class: "runs" }, t.runs.map((r) => runLine(t, r))))),
    library.orphans.length ? h("div", { class: "template" },
      h("h3", {}, "Runs whose checklist is not in this browser"),
      h("p", { class: "muted" }, "Import the checklist (or restore a backup) to open them; each can be exported as it is."),
      h("ul", { class: "runs" }, library.orphans.map((r) => h("li", {}, h("span", { class: "name" }, r.name),
        h("button", { type: "button", onclick: async () => downloadRun(await store.loadRun(r.templateSha256, r.id)) }, "Export JSON"))))) : null,
  ];
  // A re-render (another save, a persistence answer) must not take focus from the user.
  const focused = panel.contains(document.activeElement) ? document.activeElement.id : "";
  panel.replaceChildren(...h("div", {}, ...children).childNodes);
  if (focused) $(focused)?.focus();
}

/** Rename a run where its name is: Enter keeps the new name, Escape keeps the old one. */
function renameInPlace(li, sha, r) {
  const nameEl = li.querySelector(".name");
  const input = h("input", { class: "rename", value: r.name, "aria-label": `New name for “${r.name}”` });
  let done = false;
  const finish = async (keep) => {
    if (done) return;
    done = true;
    const name = input.value.trim();
    if (keep && name && name !== r.name) {
      try {
        const run = await keptRun(sha, r);
        if (!run) return; // keptRun said so and drew the library again
        run.rename(name, now());
        await store.saveRun(run);
        if (isOpenRun(sha, r.id)) { view.run.rename(name, now()); view.render(); }
      } catch (e) { notice.show(`Could not rename “${r.name}”: ${e.message}`, "error"); }
    }
    await renderLibrary();
    $(runLineId(sha, r.id))?.querySelector("button")?.focus();
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); finish(true); }
    else if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); finish(false); }
  });
  input.addEventListener("blur", () => finish(true));
  nameEl.replaceWith(input);
  input.focus();
  input.select();
}

/**
 * Where each kept run stands, as its page shows it: the checklist read with its kept
 * corrections, the stage the run is in (`stagesOf`, `progress`, as the view finds them), that
 * stage's verdict and score. Keyed by checklist and run (runLineId); a run that cannot be read
 * shows nothing.
 */
async function runStanding(templates) {
  const out = new Map();
  for (const t of templates) {
    let checklist;
    try {
      const plain = await store.loadTemplate(t.sha256);
      if (!plain) continue;
      const kept = await store.loadCorrections(t.sha256).catch(() => []);
      checklist = kept.length ? Checklist.parseWithCorrections(plain.text, kept) : plain;
      if (checklist !== plain) plain.free();
    } catch { continue; }
    for (const r of t.runs) {
      try {
        const run = await store.loadRun(t.sha256, r.id);
        const state = run.toObject();
        const card = checklist.scoreGate(run, "all");
        run.free();
        const stages = stagesOf(card);
        const where = progress(stages, state);
        const head = stages.find((g) => g.gate === where.current) || stages[0];
        const passed = head && where.stages.get(head.gate)?.passed;
        const stage = where.closed ? (changedSince(state, where.closed) ? "Closed, changed since" : "Closed")
          : !head ? "Nothing to check" : passed && head === stages.at(-1) ? STAGE_PASSED[head.gate] : STAGE_NAMES[head.gate];
        const verdict = head?.verdict;
        out.set(runLineId(t.sha256, r.id), h("span", { class: "standing" },
          h("span", { class: `verdict ${verdict || "none"}` }, verdict === "go" ? "GO" : verdict === "no-go" ? "NO-GO" : "—"),
          ` ${head && verdict ? `${percent(head.scoreTenths)} · ` : ""}${stage}`));
      } catch { /* damaged: the store moved it aside */ }
    }
    checklist.free();
  }
  return out;
}

/**
 * A copy of a kept run, as a new run: its ticks, notes, evidence, fields and switches come
 * along; its signatures and its timeline (GO declared, gates passed, closed) vouched for the
 * original and do not, as when a run is carried to an edited version. A copy that showed them
 * would show approvals nobody gave it.
 */
async function duplicateRun(sha, r) {
  const run = await keptRun(sha, r);
  if (!run) return;
  let checklist = null;
  try {
    checklist = await store.loadTemplate(sha);
    if (!checklist) throw new Error("its checklist is not in this browser");
    const name = await store.freeRunName(sha, `${r.name} (copy)`).catch(() => `${r.name} (copy)`);
    const copy = await carryOver(checklist, checklist, run, uuid(), name, now());
    await store.saveRun(copy.run);
    copy.run.free();
  } catch (e) {
    notice.show(`Could not duplicate “${r.name}”: ${e.message}`, "error");
  } finally {
    checklist?.free();
    run.free();
  }
  renderLibrary();
}

async function deleteRun(sha, r) {
  try {
    const run = await keptRun(sha, r);
    if (!run) return;
    const deleted = { sha, json: run.toJson(), name: r.name, fresh: null };
    run.free();
    undo = deleted;
    await store.deleteRun(sha, r.id);
    if (isOpenRun(sha, r.id)) {
      // The open run is gone: show a fresh one of the same checklist rather than the deleted one.
      const checklist = view.checklist;
      view.unsaved = false;
      const fresh = await freshRun(checklist, view.model);
      deleted.fresh = fresh.id;
      await open(checklist, fresh, view.name, undefined, { origin: view.origin });
    }
    renderLibrary();
    notice.show(`Deleted “${r.name}”. `, "warning", h("button", { type: "button", id: "undo", onclick: () => undoDelete(deleted) }, "Undo"));
  } catch (e) { notice.show(`Could not delete “${r.name}”: ${e.message}`, "error"); }
}

/**
 * Bring a deleted run back. When it was the open one, it is opened again in place of the fresh
 * run shown since, and that fresh run goes if nothing was done in it: otherwise the library
 * would hold two runs of one name, the open one empty. Storage is settled before the page shows
 * the run: a reload the moment it appears finds it, and no empty twin.
 */
async function undoDelete(deleted) {
  if (undo !== deleted) return; // undone already (a second click), or another deletion since
  undo = null;
  try {
    const checklist = await store.loadTemplate(deleted.sha);
    const run = checklist.runFromJson(deleted.json);
    const fresh = view.run && view.run.id === deleted.fresh ? view.run : null;
    // Names typed into the fresh run's sign-offs (drafts, not yet the run's) are work too: they
    // go to the run brought back where it has none on that sign-off; otherwise the fresh run stays.
    const signed = run.toObject().signOffs ?? {};
    const carry = () => {
      const carried = [];
      for (const key of view.drafts.keys()) {
        const [sha, runId, kind, id] = JSON.parse(key);
        if (sha !== deleted.sha || runId !== fresh.id) continue;
        const to = view.draftKey(kind, id, run.id, deleted.sha);
        if (kind !== "slot" || signed[id]?.signature || view.drafts.has(to)) return null;
        carried.push([key, to]);
      }
      return carried;
    };
    const blankRun = () => {
      view.leave(); // a note or field being typed goes into the fresh run first, and counts as work
      const blank = view.checklist.newRun(fresh.id, fresh.name, fresh.createdAt);
      const same = fresh.toJson() === blank.toJson();
      blank.free();
      return same;
    };
    const untouched = Boolean(fresh) && blankRun() && carry() !== null;
    // Its name may have gone since to another run (the fresh one, worked on; a new run).
    const name = await store.freeRunName(deleted.sha, run.name, untouched ? [run.id, fresh.id] : [run.id]).catch(() => run.name);
    if (name !== run.name) run.rename(name, now());
    await store.saveRun(run);
    if (fresh) {
      // Looked at again: the storage calls above give time to tick or type in the fresh run.
      const carried = untouched && blankRun() ? carry() : null;
      if (carried) {
        for (const [from, to] of carried) { view.drafts.set(to, view.drafts.get(from), view.drafts.typedAt(from)); view.drafts.delete(from); }
        await store.deleteRun(deleted.sha, fresh.id).catch(() => {});
        view.unsaved = false; // nothing was done in it: leaving it asks nothing
      }
      await store.setLast(deleted.sha, run.id).catch(() => {});
      await open(checklist, run, view.name, undefined, { origin: view.origin });
    }
    notice.clear();
    if (name !== deleted.name) notice.show(`Brought back as “${name}”: another run of this checklist is now named “${deleted.name}”.`, "info");
    renderLibrary();
  } catch (e) { notice.show(`Could not bring back “${deleted.name}”: ${e.message}`, "error"); }
}

function toggleLibrary(show = $("library").hidden) {
  $("library").hidden = !show;
  $("library-button").setAttribute("aria-expanded", String(show));
  if (show) renderLibrary();
}

// ---- keyboard -------------------------------------------------------------------------------

function focusedItem() { return document.activeElement?.closest?.("li.item"); }

/** The id of the item focus was last in: j and k go on from it when focus has left the list. */
let lastItemId = null;

function onKey(e) {
  // Never while typing, in a dialog, or among an item's editors and marks (their boxes are not the item's).
  if (e.ctrlKey || e.metaKey || e.altKey || e.target.matches("input:not([type=checkbox]), textarea, select") || e.target.closest?.(".editors, .reading, .corrections") || document.querySelector("dialog[open]")) return;
  const boxes = [.../** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("#view li.item > .row input[type=checkbox]"))].filter((b) => b.offsetParent);
  let at = boxes.indexOf(focusedItem()?.querySelector(":scope > .row input[type=checkbox]"));
  if (at < 0 && (e.key === "j" || e.key === "k")) {
    // Focus is on a row the filter now hides (a tick under "only open items") or fell to the page
    // (its row was redrawn): go on from where that row is, not from the top of the list.
    const from = focusedItem() ?? (lastItemId ? document.getElementById(lastItemId) : null);
    const own = from ? boxes.indexOf(from.querySelector(":scope > .row input[type=checkbox]")) : -1;
    if (own >= 0) at = own;
    else if (from) {
      const before = boxes.filter((b) => b.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING).length;
      at = e.key === "j" ? before - 1 : before;
    }
  }
  if (e.key === "j" || e.key === "k") { e.preventDefault(); boxes[Math.max(0, Math.min(boxes.length - 1, at + (e.key === "j" ? 1 : -1)))]?.focus(); }
  else if ((e.key === "n" || e.key === "b") && focusedItem()) {
    e.preventDefault();
    [.../** @type {NodeListOf<HTMLButtonElement>} */ (focusedItem().querySelectorAll(":scope > .row .item-tools button"))].find((b) => b.textContent === (e.key === "n" ? "N/A" : "Blocked"))?.click();
  }
  else if (e.key === "o") { $("filter-open").click(); }
  else if (e.key === "c") { $("filter-critical").click(); }
  else if (e.key === "l") { toggleLibrary(); }
}

/**
 * V8 compiles wasm with its baseline tier first and optimizes functions once they run hot, so
 * the first big import would pay for unoptimized code (≈1.5–2× slower). A small checklist parsed
 * while the page is idle (≈15 ms) makes the parser hot before the user's file arrives.
 */
function warmUp() {
  let text = "# Warm-up\n";
  for (let i = 0; i < 500; i++) text += (i % 20 ? "" : `\n## Phase ${i}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`) + `- [ ] Item ${i} \`code\` **bold** [link](https://example.com)\n`;
  const checklist = Checklist.parse(text);
  checklist.model();
  checklist.score(checklist.newRun("warm-up", "warm-up", now()));
  checklist.free();
}

// ---- offline --------------------------------------------------------------------------------

/** Served over http(s), a service worker keeps the app usable offline after the first visit. */
function offline() {
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // The first install is silent; a later one is a new version, which this page does not use yet.
    if (hadController) notice.show("Preflight has been updated: the new version takes effect the next time you open this page. Your progress is kept.", "info");
  });
  navigator.serviceWorker.register("sw.js").catch(() => { /* no offline copy; the app works online */ });
}

// ---- wiring ----------------------------------------------------------------------------------

async function main() {
  // Storage opens while the engine's module is fetched and compiled (its migration waits for it).
  const storing = Store.open("app");
  storing.catch(() => { /* answered below */ });
  // The first date the browser formats in its own words loads its locale data (45-60 ms): done
  // here, once the engine's fetch and compile have started off the main thread, not in the first
  // render's timeline.
  const engine = ready();
  when(now());
  await engine;
  // V8 compiles wasm functions on their first call: the first parse of anything costs 50-90 ms
  // more than the next. Paid here, it overlaps storage opening instead of delaying the first
  // screen after it.
  Checklist.parse("# Preflight\n\n## Before\n\n- [ ] Critical: backup taken\n- [ ] QA Lead: ____ Date: ____\n").free();
  try { store = await storing; } catch (e) {
    notice.show(`This browser gives Preflight no storage (${e.message}); your progress lives in this tab only — export it before closing.`);
  }
  view = new ChecklistView($("view"), {
    store, notice,
    afterSave: (v) => {
      $("welcome").hidden = true; // something is kept: work has started, the welcome has done its job
      // The run this tab works on: a reload reopens it (sessionStorage is the tab's own), and
      // the next visit opens the run worked on last in any tab. Written on every save, since
      // another tab may have moved the shared pointer to its run meanwhile.
      const pointer = JSON.stringify({ sha256: v.checklist.sourceSha256, run: v.run.id });
      try { sessionStorage.setItem(TAB_LAST, pointer); } catch { /* no session storage: the shared pointer serves */ }
      store.setLast(v.checklist.sourceSha256, v.run.id).catch(() => {});
      if (!asked) { asked = true; store.persist().then(() => { if (!$("library").hidden) renderLibrary(); }); }
    },
    onChange: (_v, _card, cause) => { if ((cause === "change" || cause === "keep") && !$("library").hidden) renderLibrary(); },
    onNewVersion: (text, name) => importBytes(new TextEncoder().encode(text), name),
    onKeep: async (v) => {
      const carry = await carryOffer(v.checklist, v.model, v.name, v.origin);
      if (carry) showCarryOffer(carry, v.checklist, v.run, v.name, v.model);
    },
  });
  let asked = false; // persistent storage is asked for once, on the first save, never at start-up
  view.watch();
  store?.watch(refreshLibrary);
  $("file").addEventListener("change", async (e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    const f = input.files[0]; input.value = ""; if (f) importBytes(new Uint8Array(await f.arrayBuffer()), f.name);
  });
  $("import").addEventListener("click", () => $("file").click());
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", async (e) => { e.preventDefault(); const f = e.dataTransfer.files[0]; if (f) importBytes(new Uint8Array(await f.arrayBuffer()), f.name); });
  const pasteDialog = /** @type {HTMLDialogElement} */ ($("paste-dialog"));
  const pasteText = /** @type {HTMLTextAreaElement} */ ($("paste-text"));
  $("paste").addEventListener("click", () => { pasteText.value = ""; pasteDialog.showModal(); });
  pasteDialog.addEventListener("close", () => {
    if (pasteDialog.returnValue === "ok" && pasteText.value.trim()) importBytes(new TextEncoder().encode(pasteText.value), "pasted checklist");
  });
  for (const format of ["md", "html", "json"]) $(`export-${format}`).addEventListener("click", () => view.downloadReport(format));
  $("share").addEventListener("click", shareRun);
  // On a phone the exports fold behind one button, so the header stays one row.
  const showExports = (open) => {
    $("export-toggle").setAttribute("aria-expanded", String(open));
    $("exports").classList.toggle("open", open);
  };
  $("export-toggle").addEventListener("click", () => showExports($("export-toggle").getAttribute("aria-expanded") !== "true"));
  // Like any menu: it closes once something is chosen, on a click elsewhere, and on Escape
  // (focus goes back to its button).
  document.addEventListener("click", (e) => {
    const target = /** @type {Element} */ (e.target);
    if ($("exports").classList.contains("open") && !target.closest?.("#export-toggle")) showExports(false);
  });
  $("exports").addEventListener("keydown", (e) => {
    if (e.key === "Escape" && $("exports").classList.contains("open")) { e.stopPropagation(); showExports(false); $("export-toggle").focus(); }
  });
  $("print").addEventListener("click", () => window.print());
  $("library-button").addEventListener("click", () => toggleLibrary());
  // Cancel closes without a value; Enter in a field submits the dialog's one submit button.
  for (const b of document.querySelectorAll("dialog button.cancel")) b.addEventListener("click", () => b.closest("dialog").close(""));
  const checked = (e) => /** @type {HTMLInputElement} */ (e.target).checked;
  $("filter-open").addEventListener("change", (e) => $("view").classList.toggle("only-open", checked(e)));
  $("filter-critical").addEventListener("change", (e) => $("view").classList.toggle("only-critical", checked(e)));
  document.addEventListener("keydown", onKey);
  $("view").addEventListener("focusin", (e) => { lastItemId = /** @type {Element} */ (e.target).closest?.("li.item")?.id ?? lastItemId; });
  // Leaving with changes storage refused: the browser asks first.

  const src = new URLSearchParams(location.search).get("src");
  if (src) await importFromUrl(src);
  else await reopenLast();
  // Not before the first screen: both took the main thread (and the service worker's precache
  // the network) from it while it was being built, 100-400 ms of a cold start.
  offline();
  (window.requestIdleCallback || setTimeout)(warmUp);
}

/** The first visit's welcome: what Preflight is, "Import your checklist" or "Try the sample". */
function welcome() {
  const panel = $("welcome");
  const close = () => { panel.hidden = true; };
  panel.replaceChildren(
    h("h2", { id: "welcome-title" }, "Work through a deployment checklist, and sign it off"),
    h("p", {}, "Preflight reads the Markdown checklist your team already keeps — phases, “- [ ]” items, sign-off lines, a readiness rubric — "
      + "and turns it into a run: tick items, note evidence, see what blocks GO at each stage, sign, and export a report that can be checked. "
      + "Everything stays in this browser; nothing is sent anywhere."),
    h("p", { class: "welcome-actions" },
      h("button", { type: "button", id: "welcome-import", class: "primary", onclick: () => { close(); $("file").click(); } }, "Import your DEPLOYMENT_CHECKLIST.md"), " ",
      h("button", { type: "button", id: "welcome-sample", onclick: () => { close(); $("view-title")?.focus(); } }, "Try the sample")));
  panel.hidden = false;
}

/** Save the open run as one file a teammate opens (or drops on the app) to continue it. */
async function shareRun() {
  if (!view.run) return;
  const name = `${fileBase(view.run.name)}.preflight.md`;
  let text;
  try { text = await view.report("md"); } catch (e) { notice.show(`The run could not be saved as a file: ${e.message}`, "error"); return; }
  download(name, text, "text/markdown");
  notice.show(`Saved ${name}: the checklist and this run in one file. A teammate imports it (or drops it on Preflight) in any browser and continues; if they already have this run, Preflight shows what comes in and merges.`, "info");
}

/** Where this tab's run is kept for a reload: sessionStorage belongs to the tab. */
const TAB_LAST = "preflight/app/tab-run";

/** The run this tab worked on before a reload (a hint: it may have been deleted since). */
function tabRun() {
  try {
    const raw = sessionStorage.getItem(TAB_LAST);
    return raw ? Stored.pointer(raw) : null;
  } catch { return null; }
}

/**
 * Open the run this tab worked on (after a reload), else the one worked on last in any tab;
 * whatever storage holds, the app starts (the sample at worst).
 */
async function reopenLast() {
  if (store) {
    try {
      const find = async (last) => {
        const info = last && await store.templateInfo(last.sha256);
        const checklist = info && await store.loadTemplate(last.sha256);
        const run = checklist && await store.loadRun(last.sha256, last.run);
        if (!run) checklist?.free();
        return run ? { info, checklist, run } : null;
      };
      const shared = await store.last(); // read (and set aside if damaged) whichever opens
      const { info, checklist, run } = (await find(tabRun()).catch(() => null)) || (await find(shared)) || {};
      if (run) {
        if (!(await open(checklist, run, info.name, undefined, { origin: info.origin }))) return;
        // A run never worked on, of a version whose earlier one has work: the offer to carry it
        // over was passed over, or the page was left before it was answered. Offered again.
        if (view.run === run && untouched(checklist, run)) {
          const carry = await carryOffer(checklist, view.model, info.name, info.origin);
          if (carry && view.run === run) showCarryOffer(carry, checklist, run, info.name, view.model);
        }
        return;
      }
    } catch (e) { notice.show(`Your last run could not be reopened: ${e.message}`); }
    if (store.movedAside.length) notice.show(`${plural(store.movedAside.length, "damaged value was", "damaged values were")} found in storage and kept aside (Library → Download them). Everything else opened as usual.`);
  }
  // A first visit (nothing kept): say what Preflight does, and offer the two ways in.
  const first = !store || !(await store.library({ texts: false }).catch(() => ({ templates: [] }))).templates.length;
  if (first) welcome();
  const sample = Checklist.sample(), model = sample.model();
  // The sample is shown, not kept: visiting stores nothing until the user works on it.
  // On a first visit, nothing to ask storage for a name: a fresh profile's first look at a range
  // of runs took 70-190 ms of the cold start.
  // A sample run worked on just before the page was left may not have been stored: what was
  // typed in it waits in the journal, under that run's id, which the sample shown now takes.
  const [typedIn] = store ? journalRuns(store.namespace, sample.sourceSha256) : [];
  // One stored after all (its save finished as the page went) opens as it is, drafts and all.
  const stored = typedIn && await store.loadRun(sample.sourceSha256, typedIn).catch(() => null);
  if (stored) return void await open(sample, stored, "DEPLOYMENT_CHECKLIST.md (sample)", model);
  await view.open(sample, await freshRun(sample, model, first, typedIn ?? (first ? firstVisitRunId() : undefined)), "DEPLOYMENT_CHECKLIST.md (sample)", model, { keep: "on-change" });
}

/** How long tabs opened together on a first visit share the sample's run. */
const FIRST_VISIT_MS = 10 * 60 * 1000;

/**
 * The id of the sample's run on a first visit: one for the tabs opened together, so that what
 * each ticks is one run (saves of one id merge) and a reload finds it all, not two runs of one
 * name, each tab's work in its own. Taken from localStorage (shared, written at once), new after
 * ten minutes; where localStorage cannot be had, a run of its own.
 */
function firstVisitRunId() {
  const key = `preflight-first-visit/${store?.namespace ?? "app"}`;
  try {
    const kept = JSON.parse(localStorage.getItem(key) || "null");
    if (kept && typeof kept.id === "string" && Stored.isRunId(kept.id) && typeof kept.at === "number" && Math.abs(Date.now() - kept.at) < FIRST_VISIT_MS) return kept.id;
    const id = uuid();
    localStorage.setItem(key, JSON.stringify({ id, at: Date.now() }));
    return id;
  } catch { return uuid(); }
}

main().catch((e) => notice.show(`Preflight could not start: ${e.message}`, "error"));
