// Preflight's static app: import a checklist, work through a run, sign it off, export reports.
// The checklist itself is drawn by ChecklistView (view.js); this module owns the page around it:
// importing, the library, exports, filters and keyboard shortcuts.
import { ready, Checklist, splitReport, reportTemplateSha256 } from "./engine.js";
import { Store } from "./store.js";
import { h, now, Notice, download } from "./dom.js";
import { ChecklistView, latestRun, downloadRun, originLabel } from "./view.js";

const $ = (id) => document.getElementById(id);
const MAX_BYTES = 20 * 1024 * 1024;

let store = null;
let view = null;
const notice = new Notice($("notice"));

/**
 * Show `run` of `checklist`. `origin`: where a checklist from a link came from (it is then not
 * kept until the user says so). Resolves false when the user chose to stay with unsaved work.
 */
async function open(checklist, run, name, model, { origin = null, keep = true } = {}) {
  if (!(await mayLeave())) return false;
  await view.open(checklist, run, name, model, { origin, keep });
  if (!$("library").hidden) renderLibrary();
  return true;
}

/** Nothing in memory is dropped while storage refuses it: ask first (download, or stay). */
async function mayLeave() {
  if (!view?.unsaved || !view.run) return true;
  await view.save(); // storage may have room again
  if (!view.unsaved) return true;
  const dialog = $("unsaved-dialog");
  $("unsaved-name").textContent = `“${view.run.name}”`;
  dialog.returnValue = "";
  dialog.showModal();
  const answer = await new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true }));
  if (answer === "download") { downloadRun(view.run); return true; }
  return answer === "discard";
}

function newRunName(model) {
  const version = model.metadata.find((m) => /^version$/i.test(m.key))?.value;
  return version ? `v${version.replace(/^v/i, "")} — ${new Date().toLocaleDateString()}` : `Run of ${new Date().toLocaleDateString()}`;
}

/** The encoding a byte-order mark names: UTF-16 is what Windows PowerShell 5's `>` and Notepad's
 * "Unicode" write, and read as UTF-8 it would be noise (and full of zero bytes). */
const utf16 = (bytes) => bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : null;
const decode = (bytes) => new TextDecoder(utf16(bytes) || "utf-8").decode(bytes);

/**
 * Import bytes from a file, a drop, a paste or ?src= (`origin` then names the link). Bad input
 * gets a message, never a blank page.
 */
async function importBytes(bytes, name, origin = null) {
  try { return await importChecked(bytes, name, origin); } catch (e) {
    notice.show(`Could not import ${name}: ${e.message || e.name || "the file is not what Preflight expected"}.`, "error");
  }
}

async function importChecked(bytes, name, origin) {
  if (bytes.length > MAX_BYTES) return notice.show(`${name} is ${(bytes.length / 1048576).toFixed(1)} MB; Preflight imports checklists up to 20 MB.`, "error");
  const zeros = bytes.subarray(0, 8192).filter((b) => b === 0).length;
  if (zeros > 8 && !utf16(bytes)) return notice.show(`${name} looks like a binary file, not a Markdown checklist.`, "error");
  // Only a filled report carries a summary block; other text need not cross into the engine twice.
  const text = decode(bytes);
  let report;
  try { report = text.includes("preflight:summary:begin") ? splitReport(text) : undefined; } catch (e) {
    // Edited beyond ticking boxes: its own checklist, when kept here, still reads it.
    const sha = reportTemplateSha256(text);
    const info = sha && store ? await store.templateInfo(sha).catch(() => null) : null;
    const why = e.name === "PreflightWrongTemplateError" ? "its text was changed beyond ticking boxes and filling in blanks" : e.message;
    if (!info) throw new Error(`${why}. Import the checklist it was made from first, then the report`);
    const checklist = await store.loadTemplate(sha);
    notice.clear();
    return open(checklist, checklist.runFromMarkdown(text), info.name, undefined, { origin: info.origin });
  }
  if (report) {
    // A filled report: rebuild its template and continue its run.
    notice.clear();
    return open(Checklist.parse(report.template), report.run, name, undefined, { origin, keep: !origin });
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
  const freshRun = () => checklist.newRun(crypto.randomUUID(), newRunName(model), now());
  // A link's checklist meets nothing kept until the user keeps it, unless this very text is
  // kept already (the user imported or kept it before): then it continues its own run.
  const known = origin && store ? await store.templateInfo(checklist.sourceSha256).catch(() => null) : null;
  const keep = !origin || Boolean(known);
  if (known) origin = known.origin;
  const kept = keep ? await latestRun(store, checklist).catch((e) => { notice.show(e.message); return null; }) : null;
  const run = kept || freshRun();
  if (!(await open(checklist, run, name, model, { origin, keep }))) return;
  const problems = model.diagnostics.filter((d) => d.severity === "error");
  const undecodable = problems.find((d) => d.code === "invalid-utf8");
  const carry = kept || !keep ? null : await carryOffer(checklist, model, name, origin);
  if (carry) {
    showCarryOffer(carry, checklist, run, name, model);
  } else if (tables.length) {
    notice.show(`${tableSentence(tables)} `, "warning", convertButton(checklist, name));
  } else if (checklist.hasMojibake()) {
    notice.show("Some text looks mis-decoded (like “âœ…” for ✅). ", "warning",
      h("button", { type: "button", onclick: () => importBytes(new TextEncoder().encode(checklist.repairedText()), name, origin) }, "Repair the text"));
  } else if (undecodable) {
    // Most often a file saved in a legacy single-byte encoding: offer to read it as the usual one.
    notice.show(`${name} is not valid UTF-8 (${undecodable.message.replace(/^the file is not valid UTF-8: /, "")}, line ${undecodable.span.line}); unreadable characters show as �. `, "warning",
      h("button", { type: "button", onclick: () => importBytes(new TextEncoder().encode(new TextDecoder("windows-1252").decode(bytes)), name, origin) }, "Read it as Windows-1252"));
  } else if (problems.length) {
    notice.show(`${problems.length} problem(s) in ${name}: ${problems[0].message} (line ${problems[0].span.line}).`);
  }
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

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
  return h("button", { type: "button", id: "convert-tables", onclick: () => {
    notice.clear();
    importBytes(new TextEncoder().encode(checklist.tablesAsTasks()), name);
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
  try { entries = (await store.library()).templates; } catch { return null; }
  const earlier = entries.filter((t) => t.sha256 !== checklist.sourceSha256 && t.runs.length && sameSource(t.origin, origin) && (t.title === model.title || t.name === name))
    .sort((a, b) => b.runs[0].updatedAt.localeCompare(a.runs[0].updatedAt))[0];
  const from = earlier && await store.loadRun(earlier.sha256, earlier.runs[0].id).catch(() => null);
  if (!from) return null;
  const fromName = from.name;
  const carried = checklist.carryOver(from, crypto.randomUUID(), fromName, now());
  from.free();
  if (!carried.carried) { carried.run.free(); return null; }
  return { ...carried, fromName, fromFile: earlier.name };
}

/** What carrying over would bring, item by item, with the choice to do it. */
function showCarryOffer(carry, checklist, fresh, name, model) {
  const state = carry.run.toObject();
  const texts = new Map([...model.items, ...(model.slots || [])].map((i) => [i.id, i.text || i.role || i.id]));
  const lines = [
    ...Object.entries(state.items).map(([id, s]) => `${s.status === "done" ? "✓" : s.status === "na" ? "N/A" : s.status === "blocked" ? "Blocked" : "Note"} · ${texts.get(id) || id}`),
    ...Object.entries(state.fields).map(([id, f]) => `Field · ${texts.get(id) || id}: ${f.value}`),
    ...Object.entries(state.sections).map(([id, sec]) => `Section ${sec.on ? "switched on" : "switched off"} · ${model.sections.find((s) => s.id === id)?.title || id}`),
  ];
  notice.show(`An earlier version of this checklist (${carry.fromFile}) has a run, “${carry.fromName}”: ${carry.carried === 1 ? "1 entry of it matches" : `${carry.carried} entries of it match`} this version.`
    + (carry.left.length ? ` ${plural(carry.left.length, "entry matches", "entries match")} nothing here and would stay in that run.` : "")
    + (carry.signaturesLeft ? ` ${plural(carry.signaturesLeft, "signature", "signatures")} vouched for the earlier version and would not be carried.` : "") + " ", "info",
    h("details", { class: "carry-list" }, h("summary", {}, "What would be carried"), h("ul", {}, lines.map((l) => h("li", {}, l)))),
    h("button", { type: "button", id: "carry-over", onclick: async () => {
      notice.clear();
      const untouched = view.run === fresh && fresh.toJson() === checklist.newRun(fresh.id, fresh.name, fresh.createdAt).toJson();
      if (!(await open(checklist, carry.run, name, model))) return;
      if (untouched) await store?.deleteRun(checklist.sourceSha256, fresh.id).catch(() => {});
      notice.show(`Carried ${plural(carry.carried, "entry", "entries")} over from “${carry.fromName}”.`, "info");
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
    notice.show(`Could not load ${url.href}: ${e.message}. The server may not allow other sites to read it (CORS); download the file and import it instead.`, "error");
  }
}

// ---- library: the checklists and runs kept in this browser ------------------------------------

let undo = null; // the last deleted run, until the next deletion or reload

async function openRun(sha, runId) {
  try {
    const info = await store.templateInfo(sha);
    const checklist = info && await store.loadTemplate(sha);
    const run = checklist && await store.loadRun(sha, runId);
    if (!checklist || !run) return notice.show("That run is no longer in this browser.", "error");
    notice.clear();
    if (await open(checklist, run, info.name, undefined, { origin: info.origin })) toggleLibrary(false);
  } catch (e) { notice.show(`That run could not be opened: ${e.message}`, "error"); }
}

/** A file's text (a run or report as JSON). */
async function textOf(file) { return decode(new Uint8Array(await file.arrayBuffer())); }

/** A button that picks a file: a real button (keyboard and screen readers) over a hidden input. */
function fileButton(label, accept, onfile, id) {
  const input = h("input", { type: "file", accept, hidden: true, onchange: async (e) => { const f = e.target.files[0]; e.target.value = ""; if (f) await onfile(f); } });
  return [h("button", { type: "button", id, onclick: () => input.click() }, label), input];
}

async function importRunFile(file) {
  try {
    const obj = JSON.parse(await textOf(file));
    const run = obj.run || obj; // a run, or a report that carries one
    const checklist = await store.loadTemplate(String(run.templateSha256 || ""));
    if (!checklist) throw new Error("its checklist is not in this browser: import the checklist first");
    const imported = checklist.runFromJson(JSON.stringify(run));
    await store.saveRun(imported);
    await openRun(run.templateSha256, run.id);
  } catch (err) { notice.show(`Could not import ${file.name}: ${err.message}`, "error"); }
}

async function restoreFile(file) {
  try {
    const counts = await store.restore(await textOf(file));
    notice.show(`Restored ${plural(counts.templates, "checklist", "checklists")} and ${plural(counts.runs, "run", "runs")} from ${file.name}, merged with what was here.`
      + (counts.problems.length ? ` ${plural(counts.problems.length, "entry was", "entries were")} refused: ${counts.problems.slice(0, 3).join("; ")}${counts.problems.length > 3 ? "; …" : ""}.` : ""), counts.problems.length ? "warning" : "info");
    renderLibrary();
  } catch (e) { notice.show(`Could not restore ${file.name}: ${e.message}`, "error"); }
}

async function renderLibrary() {
  const panel = $("library");
  if (!store) return panel.replaceChildren(h("p", {}, "This browser gives Preflight no storage, so there is no library."));
  let library, quarantined, persisted;
  try { [library, quarantined, persisted] = await Promise.all([store.library(), store.quarantined(), store.persisted()]); } catch (e) {
    return panel.replaceChildren(h("h2", {}, "Library"), h("p", {}, `The library could not be read: ${e.message}`));
  }
  const current = view.run && view.keep ? view.run.id : null;
  const runLine = (t, r) => h("li", { class: r.id === current ? "current" : "" },
    h("span", { class: "name" }, r.name, r.id === current ? h("span", { class: "tag" }, " (open)") : null, " ", h("span", { class: "muted" }, `· last change ${new Date(r.updatedAt).toLocaleString()}`)),
    h("button", { type: "button", onclick: () => openRun(t.sha256, r.id) }, "Open"),
    h("button", { type: "button", onclick: () => renameRun(t.sha256, r) }, "Rename"),
    h("button", { type: "button", onclick: async () => {
      const copy = (await store.loadRun(t.sha256, r.id)).duplicate(crypto.randomUUID(), `${r.name} (copy)`);
      await store.saveRun(copy); renderLibrary();
    } }, "Duplicate"),
    h("button", { type: "button", onclick: async () => downloadRun(await store.loadRun(t.sha256, r.id)) }, "Export JSON"),
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
        const run = checklist.newRun(crypto.randomUUID(), newRunName(checklist.model()), now());
        await store.saveRun(run); openRun(t.sha256, run.id);
      } }, "New run"),
      h("ul", { class: "runs" }, t.runs.map((r) => runLine(t, r))))),
    library.orphans.length ? h("div", { class: "template" },
      h("h3", {}, "Runs whose checklist is not in this browser"),
      h("p", { class: "muted" }, "Import the checklist (or restore a backup) to open them; each can be exported as it is."),
      h("ul", { class: "runs" }, library.orphans.map((r) => h("li", {}, h("span", { class: "name" }, r.name),
        h("button", { type: "button", onclick: async () => downloadRun(await store.loadRun(r.templateSha256, r.id)) }, "Export JSON"))))) : null,
  ];
  panel.replaceChildren(...h("div", {}, ...children).childNodes);
}

async function renameRun(sha, r) {
  const name = await askName("New name for the run", r.name);
  if (!name) return;
  const run = await store.loadRun(sha, r.id);
  run.rename(name, now());
  await store.saveRun(run);
  if (view.run?.id === r.id) { view.run.rename(name, now()); view.render(); }
  renderLibrary();
}

/** A name asked in a dialog (never prompt(), which some embeds forbid). */
function askName(label, value) {
  const dialog = $("name-dialog");
  $("name-label").textContent = label;
  $("name-text").value = value;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok" ? $("name-text").value.trim() : null), { once: true }));
}

async function deleteRun(sha, r) {
  try {
    const run = await store.loadRun(sha, r.id);
    undo = { sha, json: run.toJson(), name: r.name };
    await store.deleteRun(sha, r.id);
    if (view.run?.id === r.id) {
      // The open run is gone: show a fresh one of the same checklist rather than the deleted one.
      const checklist = view.checklist;
      view.unsaved = false;
      await open(checklist, checklist.newRun(crypto.randomUUID(), newRunName(view.model), now()), view.name, undefined, { origin: view.origin });
    }
    renderLibrary();
    notice.show(`Deleted “${r.name}”. `, "warning", h("button", { type: "button", id: "undo", onclick: async () => {
      const checklist = await store.loadTemplate(undo.sha);
      await store.saveRun(checklist.runFromJson(undo.json)); undo = null; notice.clear(); renderLibrary();
    } }, "Undo"));
  } catch (e) { notice.show(`Could not delete “${r.name}”: ${e.message}`, "error"); }
}

function toggleLibrary(show = $("library").hidden) {
  $("library").hidden = !show;
  $("library-button").setAttribute("aria-expanded", String(show));
  if (show) renderLibrary();
}

// ---- keyboard -------------------------------------------------------------------------------

function focusedItem() { return document.activeElement?.closest?.("li.item"); }

function onKey(e) {
  // Never while typing, in a dialog, or among an item's editors and marks (their boxes are not the item's).
  if (e.ctrlKey || e.metaKey || e.altKey || e.target.matches("input:not([type=checkbox]), textarea, select") || e.target.closest?.(".editors, .reading, .corrections") || document.querySelector("dialog[open]")) return;
  const boxes = [...document.querySelectorAll("#view li.item > .row input[type=checkbox]")].filter((b) => b.offsetParent);
  const at = boxes.indexOf(focusedItem()?.querySelector(":scope > .row input[type=checkbox]"));
  if (e.key === "j" || e.key === "k") { e.preventDefault(); boxes[Math.max(0, Math.min(boxes.length - 1, at + (e.key === "j" ? 1 : -1)))]?.focus(); }
  else if ((e.key === "n" || e.key === "b") && focusedItem()) {
    e.preventDefault();
    [...focusedItem().querySelectorAll(":scope > .row .item-tools button")].find((b) => b.textContent === (e.key === "n" ? "N/A" : "Blocked"))?.click();
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
  await ready();
  try { store = await Store.open("app"); } catch (e) {
    notice.show(`This browser gives Preflight no storage (${e.message}); your progress lives in this tab only — export it before closing.`);
  }
  let lastPointer = "";
  view = new ChecklistView($("view"), {
    store, notice,
    afterSave: (v) => {
      const pointer = `${v.checklist.sourceSha256}/${v.run.id}`;
      if (pointer !== lastPointer) { lastPointer = pointer; store.setLast(v.checklist.sourceSha256, v.run.id).catch(() => { lastPointer = ""; }); }
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
  $("file").addEventListener("change", async (e) => { const f = e.target.files[0]; e.target.value = ""; if (f) importBytes(new Uint8Array(await f.arrayBuffer()), f.name); });
  $("import").addEventListener("click", () => $("file").click());
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", async (e) => { e.preventDefault(); const f = e.dataTransfer.files[0]; if (f) importBytes(new Uint8Array(await f.arrayBuffer()), f.name); });
  $("paste").addEventListener("click", () => { $("paste-text").value = ""; $("paste-dialog").showModal(); });
  $("paste-dialog").addEventListener("close", () => {
    if ($("paste-dialog").returnValue === "ok" && $("paste-text").value.trim()) importBytes(new TextEncoder().encode($("paste-text").value), "pasted checklist");
  });
  for (const format of ["md", "html", "json"]) $(`export-${format}`).addEventListener("click", () => view.downloadReport(format));
  $("print").addEventListener("click", () => window.print());
  $("library-button").addEventListener("click", () => toggleLibrary());
  // Cancel closes without a value; Enter in a field submits the dialog's one submit button.
  for (const b of document.querySelectorAll("dialog button.cancel")) b.addEventListener("click", () => b.closest("dialog").close(""));
  $("filter-open").addEventListener("change", (e) => $("view").classList.toggle("only-open", e.target.checked));
  $("filter-critical").addEventListener("change", (e) => $("view").classList.toggle("only-critical", e.target.checked));
  document.addEventListener("keydown", onKey);
  // Leaving with changes storage refused: the browser asks first.
  window.addEventListener("beforeunload", (e) => { if (view.unsaved) e.preventDefault(); });

  offline();
  (window.requestIdleCallback || setTimeout)(warmUp);

  const src = new URLSearchParams(location.search).get("src");
  if (src) return importFromUrl(src);
  await reopenLast();
}

/** Open the run last worked on; whatever storage holds, the app starts (the sample at worst). */
async function reopenLast() {
  if (store) {
    try {
      const last = await store.last();
      const info = last && await store.templateInfo(last.sha256);
      const checklist = info && await store.loadTemplate(last.sha256);
      const run = checklist && await store.loadRun(last.sha256, last.run);
      if (run) return void await open(checklist, run, info.name, undefined, { origin: info.origin });
    } catch (e) { notice.show(`Your last run could not be reopened: ${e.message}`); }
    if (store.movedAside.length) notice.show(`${plural(store.movedAside.length, "damaged value was", "damaged values were")} found in storage and kept aside (Library → Download them). Everything else opened as usual.`);
  }
  const sample = Checklist.sample();
  // The sample is shown, not kept: visiting stores nothing until the user works on it.
  await view.open(sample, sample.newRun(crypto.randomUUID(), newRunName(sample.model()), now()), "DEPLOYMENT_CHECKLIST.md (sample)", undefined, { keep: "on-change" });
}

main().catch((e) => notice.show(`Preflight could not start: ${e.message}`, "error"));
