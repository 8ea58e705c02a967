// Preflight's static app: import a checklist, work through a run, sign it off, export reports.
// The checklist itself is drawn by ChecklistView (view.js); this module owns the page around it:
// importing, the library, exports, filters and keyboard shortcuts.
import { ready, Checklist, Store, splitReport } from "./engine.js";
import { h, now, Notice } from "./dom.js";
import { ChecklistView, latestRun, downloadRun } from "./view.js";

const $ = (id) => document.getElementById(id);
const MAX_BYTES = 20 * 1024 * 1024;
const LAST = "preflight/1/app/last";

let store = null;
let view = null;
const notice = new Notice($("notice"));

function open(checklist, run, name, model) {
  view.open(checklist, run, name, model);
  if (!$("library").hidden) renderLibrary();
}

function newRunName(model) {
  const version = model.metadata.find((m) => /^version$/i.test(m.key))?.value;
  return version ? `v${version.replace(/^v/i, "")} — ${new Date().toLocaleDateString()}` : `Run of ${new Date().toLocaleDateString()}`;
}

/** The encoding a byte-order mark names: UTF-16 is what Windows PowerShell 5's `>` and Notepad's
 * "Unicode" write, and read as UTF-8 it would be noise (and full of zero bytes). */
const utf16 = (bytes) => bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : null;
const decode = (bytes) => new TextDecoder(utf16(bytes) || "utf-8").decode(bytes);

/** Import bytes from a file, a drop, a paste or ?src=. Bad input gets a message, never a blank page. */
function importBytes(bytes, name) {
  if (bytes.length > MAX_BYTES) return notice.show(`${name} is ${(bytes.length / 1048576).toFixed(1)} MB; Preflight imports checklists up to 20 MB.`, "error");
  const zeros = bytes.subarray(0, 8192).filter((b) => b === 0).length;
  if (zeros > 8 && !utf16(bytes)) return notice.show(`${name} looks like a binary file, not a Markdown checklist.`, "error");
  // Only a filled report carries a summary block; other text need not cross into the engine twice.
  const text = decode(bytes);
  const report = text.includes("preflight:summary:begin") ? splitReport(text) : undefined;
  if (report) {
    // A filled report: rebuild its template and continue its run.
    notice.clear();
    return open(Checklist.parse(report.template), report.run, name);
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
  const kept = latestRun(store, checklist);
  const carried = kept ? null : carryFromEarlierVersion(checklist, model, name);
  open(checklist, kept || carried?.run || freshRun(), name, model);
  const problems = model.diagnostics.filter((d) => d.severity === "error");
  const undecodable = problems.find((d) => d.code === "invalid-utf8");
  if (carried) {
    notice.show(`Carried ${plural(carried.carried, "entry", "entries")} over from “${carried.fromName}”, a run of an earlier version of this checklist.`
      + (carried.left.length ? ` ${plural(carried.left.length, "entry matches nothing here any more and stays", "entries match nothing here any more and stay")} in that run.` : "")
      + (carried.signaturesLeft ? ` ${plural(carried.signaturesLeft, "signature", "signatures")} vouched for the earlier version: sign again.` : "") + " ", "info",
      h("button", { type: "button", onclick: () => { notice.clear(); open(checklist, freshRun(), name, model); } }, "Start a fresh run instead"));
  } else if (tables.length) {
    notice.show(`${tableSentence(tables)} `, "warning", convertButton(checklist, name));
  } else if (checklist.hasMojibake()) {
    notice.show("Some text looks mis-decoded (like “âœ…” for ✅). ", "warning",
      h("button", { type: "button", onclick: () => importBytes(new TextEncoder().encode(checklist.repairedText()), name) }, "Repair the text"));
  } else if (undecodable) {
    // Most often a file saved in a legacy single-byte encoding: offer to read it as the usual one.
    notice.show(`${name} is not valid UTF-8 (${undecodable.message.replace(/^the file is not valid UTF-8: /, "")}, line ${undecodable.span.line}); unreadable characters show as �. `, "warning",
      h("button", { type: "button", onclick: () => importBytes(new TextEncoder().encode(new TextDecoder("windows-1252").decode(bytes)), name) }, "Read it as Windows-1252"));
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

/** An edited checklist (same title or file name, new text) continues the latest run of the
 * version before it: every item that did not change keeps its state. The earlier run is only
 * read, never changed. Null when there is no earlier version with progress to carry. */
function carryFromEarlierVersion(checklist, model, name) {
  if (!store) return null;
  let entries;
  try { entries = store.library(); } catch { return null; }
  const earlier = entries.filter((t) => t.sha256 !== checklist.sourceSha256 && t.runs.length && (t.title === model.title || t.name === name))
    .sort((a, b) => b.runs[0].updatedAt.localeCompare(a.runs[0].updatedAt))[0];
  const from = earlier && store.loadRun(earlier.sha256, earlier.runs[0].id);
  if (!from) return null;
  const fromName = from.name;
  const carried = checklist.carryOver(from, crypto.randomUUID(), fromName, now());
  from.free();
  if (!carried.carried) { carried.run.free(); return null; }
  return { ...carried, fromName };
}

async function importFromUrl(src) {
  try {
    const response = await fetch(src, { credentials: "omit" });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    importBytes(new Uint8Array(await response.arrayBuffer()), src.split("/").pop() || src);
  } catch (e) {
    notice.show(`Could not load ${src}: ${e.message}. The server may not allow other sites to read it (CORS); download the file and import it instead.`, "error");
  }
}

// ---- library: the checklists and runs kept in this browser ------------------------------------

let undo = null; // the last deleted run, until the next deletion or reload

function openRun(sha, runId) {
  const checklist = store.loadTemplate(sha);
  const run = checklist && store.loadRun(sha, runId);
  if (!checklist || !run) return notice.show("That run is no longer in this browser.", "error");
  const name = store.library().find((t) => t.sha256 === sha)?.name || "checklist";
  notice.clear();
  open(checklist, run, name);
  toggleLibrary(false);
}

/** A file's text (a run or report as JSON). */
async function textOf(file) { return decode(new Uint8Array(await file.arrayBuffer())); }

function renderLibrary() {
  const panel = $("library");
  if (!store) return panel.replaceChildren(h("p", {}, "This browser gives Preflight no storage, so there is no library."));
  let entries = [];
  try { entries = store.library(); } catch (e) { return panel.replaceChildren(h("p", {}, `The library could not be read: ${e.message}`)); }
  const importRun = h("label", { class: "button" }, "Import a run (JSON)…", h("input", { type: "file", accept: ".json,application/json", hidden: true, onchange: async (e) => {
    const file = e.target.files[0]; if (!file) return;
    try {
      const obj = JSON.parse(await textOf(file));
      const run = obj.run || obj; // a run, or a report that carries one
      const checklist = store.loadTemplate(run.templateSha256);
      if (!checklist) throw new Error("its checklist is not in this browser: import the checklist first");
      const imported = checklist.runFromJson(JSON.stringify(run));
      store.saveRun(imported);
      openRun(run.templateSha256, run.id);
    } catch (err) { notice.show(`Could not import ${file.name}: ${err.message}`, "error"); }
  } }));
  panel.replaceChildren(...h("div", {}, h("h2", {}, "Library"), importRun,
    entries.length ? null : h("p", { class: "muted" }, "Nothing kept yet."),
    entries.map((t) => h("div", { class: "template" },
      h("h3", {}, t.title, " ", h("span", { class: "muted" }, `· ${t.name}`)),
      h("button", { type: "button", onclick: () => {
        const checklist = store.loadTemplate(t.sha256);
        const run = checklist.newRun(crypto.randomUUID(), newRunName(checklist.model()), now());
        store.saveRun(run); openRun(t.sha256, run.id);
      } }, "New run"),
      h("ul", { class: "runs" }, t.runs.map((r) => h("li", {},
        h("span", { class: "name" }, r.name, " ", h("span", { class: "muted" }, `· last change ${new Date(r.updatedAt).toLocaleString()}`)),
        h("button", { type: "button", onclick: () => openRun(t.sha256, r.id) }, "Open"),
        h("button", { type: "button", onclick: () => {
          const name = prompt("New name for the run", r.name);
          if (!name) return;
          const run = store.loadRun(t.sha256, r.id); run.rename(name, now()); store.saveRun(run);
          if (view.run?.id === r.id) view.run.rename(name, now());
          renderLibrary(); if (view.run) view.render();
        } }, "Rename"),
        h("button", { type: "button", onclick: () => {
          const copy = store.loadRun(t.sha256, r.id).duplicate(crypto.randomUUID(), `${r.name} (copy)`);
          store.saveRun(copy); renderLibrary();
        } }, "Duplicate"),
        h("button", { type: "button", onclick: () => {
          downloadRun(store.loadRun(t.sha256, r.id));
        } }, "JSON"),
        h("button", { type: "button", onclick: () => {
          undo = { sha: t.sha256, json: store.loadRun(t.sha256, r.id).toJson(), name: r.name };
          store.deleteRun(t.sha256, r.id);
          renderLibrary();
          notice.show(`Deleted “${r.name}”. `, "warning", h("button", { type: "button", id: "undo", onclick: () => {
            const checklist = store.loadTemplate(undo.sha);
            const run = checklist.runFromJson(undo.json);
            store.saveRun(run); undo = null; notice.clear(); renderLibrary();
          } }, "Undo"));
        } }, "Delete"))))))).childNodes);
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
  try { store = new Store("app"); } catch (e) {
    notice.show(`This browser gives Preflight no storage (${e.message}); your progress lives in this tab only — export it before closing.`);
  }
  view = new ChecklistView($("view"), {
    store, notice,
    afterSave: (v) => localStorage.setItem(LAST, JSON.stringify({ sha: v.checklist.sourceSha256, run: v.run.id })),
    onChange: (_v, _card, cause) => { if (cause === "change" && !$("library").hidden) renderLibrary(); },
    onNewVersion: (text, name) => importBytes(new TextEncoder().encode(text), name),
  });
  view.watch();
  $("file").addEventListener("change", async (e) => { const f = e.target.files[0]; if (f) importBytes(new Uint8Array(await f.arrayBuffer()), f.name); e.target.value = ""; });
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

  offline();
  (window.requestIdleCallback || setTimeout)(warmUp);

  const src = new URLSearchParams(location.search).get("src");
  if (src) return importFromUrl(src);
  const last = store && JSON.parse(localStorage.getItem(LAST) || "null");
  if (last) {
    try {
      const checklist = store.loadTemplate(last.sha);
      const run = checklist && store.loadRun(last.sha, last.run);
      const name = store.library().find((t) => t.sha256 === last.sha)?.name || "checklist";
      if (checklist && run) return open(checklist, run, name);
    } catch (e) { notice.show(`Your last run could not be reopened: ${e.message}`); }
  }
  const sample = Checklist.sample();
  open(sample, sample.newRun(crypto.randomUUID(), newRunName(sample.model()), now()), "DEPLOYMENT_CHECKLIST.md (sample)");
}

main().catch((e) => notice.show(`Preflight could not start: ${e.message}`, "error"));
