// Preflight's static app: import a checklist, work through a run, sign it off, export reports.
// Every decision (what an item is, the score, the verdict) is the engine's; this module owns the
// page: rendering, events, saving. The DOM is built from text nodes only, never innerHTML.
import init, { Checklist, Store, splitReport } from "./pkg/preflight.js";

const $ = (id) => document.getElementById(id);
const now = () => new Date().toISOString();
const MAX_BYTES = 20 * 1024 * 1024;

/** Build an element: h("a", {href, class}, "text", child…). Strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** The engine's styled runs as DOM. Links arrive already limited to http(s), mailto, relative. */
function inline(runs) {
  return runs.map((r) => {
    let node = document.createTextNode(r.text);
    if (r.code) node = h("code", {}, node);
    if (r.emphasis) node = h("em", {}, node);
    if (r.strong) node = h("strong", {}, node);
    if (r.strikethrough) node = h("del", {}, node);
    if (r.href) node = h("a", { href: r.href, rel: "noopener noreferrer", target: "_blank" }, node);
    return node;
  });
}

const percent = (tenths) => (tenths % 10 ? (tenths / 10).toFixed(1) : String(tenths / 10)) + "%";

const state = { checklist: null, model: null, run: null, store: null, name: "" };

function notice(message, kind = "warning", ...extra) {
  const el = $("notice");
  el.replaceChildren(message, ...extra);
  el.className = kind;
  el.hidden = false;
}
function clearNotice() { $("notice").hidden = true; }

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function fileBase(name = state.run?.name) { return (name || "run").replace(/[^\w.-]+/g, "-").slice(0, 60); }

/** Save at once; on any failure say so, offer the run as a file, and keep working in memory. */
function save() {
  if (!state.store || !state.run) return;
  try {
    state.store.saveRun(state.run);
    localStorage.setItem("preflight/1/app/last", JSON.stringify({ sha: state.checklist.sourceSha256, run: state.run.id }));
    if (!$("notice").hidden && $("notice").dataset.kind === "save") clearNotice();
  } catch (e) {
    const full = e.name === "PreflightQuotaError";
    notice(full ? "Browser storage is full: this change is kept in this tab only. " : `Could not save: ${e.message}. `, "error",
      h("button", { type: "button", onclick: () => download(`${fileBase()}.run.json`, state.run.toJson(), "application/json") }, "Download the run"));
    $("notice").dataset.kind = "save";
  }
}

function open(checklist, run, name) {
  state.checklist = checklist;
  state.model = checklist.model();
  state.byId = new Map(state.model.items.map((i) => [i.id, i]));
  state.run = run;
  state.name = name;
  if (state.store) {
    try { state.store.saveTemplate(checklist, name, now()); } catch (e) { notice(`The checklist could not be kept in this browser: ${e.message}`); }
  }
  save();
  render();
  if (!$("library").hidden) renderLibrary();
}

function newRunName(model) {
  const version = model.metadata.find((m) => /^version$/i.test(m.key))?.value;
  return version ? `v${version.replace(/^v/i, "")} — ${new Date().toLocaleDateString()}` : `Run of ${new Date().toLocaleDateString()}`;
}

/** Import bytes from a file, a drop, a paste or ?src=. Bad input gets a message, never a blank page. */
function importBytes(bytes, name) {
  if (bytes.length > MAX_BYTES) return notice(`${name} is ${(bytes.length / 1048576).toFixed(1)} MB; Preflight imports checklists up to 20 MB.`, "error");
  const zeros = bytes.subarray(0, 8192).filter((b) => b === 0).length;
  if (zeros > 8) return notice(`${name} looks like a binary file, not a Markdown checklist.`, "error");
  const text = new TextDecoder().decode(bytes);
  const report = splitReport(text);
  if (report) {
    // A filled report: rebuild its template and continue its run.
    clearNotice();
    return open(Checklist.parse(report.template), report.run, name);
  }
  const checklist = Checklist.fromBytes(bytes);
  const model = checklist.model();
  if (model.items.length === 0) {
    const lines = model.diagnostics.slice(0, 5).map((d) => h("li", {}, `line ${d.span.line}:${d.span.column} ${d.message}`));
    return notice(`${name} has no task items (“- [ ] …”), so there is nothing to check off.`, "error", h("ul", {}, lines));
  }
  clearNotice();
  const runs = state.store ? state.store.runsOf(checklist.sourceSha256) : [];
  const run = runs.length ? state.store.loadRun(checklist.sourceSha256, runs[0].id) : null;
  open(checklist, run || checklist.newRun(crypto.randomUUID(), newRunName(model), now()), name);
  const problems = model.diagnostics.filter((d) => d.severity === "error");
  if (checklist.hasMojibake()) {
    notice("Some text looks mis-decoded (like “âœ…” for ✅). ", "warning",
      h("button", { type: "button", onclick: () => importBytes(new TextEncoder().encode(checklist.repairedText()), name) }, "Repair the text"));
  } else if (problems.length) {
    notice(`${problems.length} problem(s) in ${name}: ${problems[0].message} (line ${problems[0].span.line}).`);
  }
}

async function importFromUrl(src) {
  try {
    const response = await fetch(src, { credentials: "omit" });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    importBytes(new Uint8Array(await response.arrayBuffer()), src.split("/").pop() || src);
  } catch (e) {
    notice(`Could not load ${src}: ${e.message}. The server may not allow other sites to read it (CORS); download the file and import it instead.`, "error");
  }
}

function change(fn) {
  try { fn(); } catch (e) { notice(e.message, "error"); return; }
  save();
  render();
}

function askReason(label) {
  return new Promise((resolve) => {
    const dialog = $("reason-dialog");
    $("reason-label").textContent = label;
    $("reason-text").value = "";
    dialog.onclose = () => resolve(dialog.returnValue === "ok" ? $("reason-text").value.trim() : null);
    dialog.returnValue = "";
    dialog.showModal();
  });
}

// ---- rendering -------------------------------------------------------------------------------

function progressFill(tenths) {
  const fill = h("span");
  fill.style.width = `${tenths / 10}%`; // CSSOM, which the CSP allows (style attributes it would not)
  return fill;
}

function summary(card) {
  const blocking = card.reasons.map((r) => h("li", {}, r.message,
    r.items?.length ? [" — ", ...r.items.slice(0, 5).flatMap((id, i) => {
      const item = state.byId.get(id);
      return [i ? ", " : "", h("a", { href: `#item-${id}` }, item?.signOff?.role || item?.text || id)];
    })] : null));
  return h("section", { class: "summary", "aria-label": "Readiness" },
    h("h1", {}, state.model.title),
    h("p", { class: "muted" }, `Run “${state.run.name}” · ${state.name}`),
    h("p", {},
      h("span", { class: `verdict ${card.verdict}`, id: "verdict" }, card.verdict === "go" ? "GO" : "NO-GO"),
      h("span", { class: "score", id: "score" }, percent(card.scoreTenths)),
      h("span", { id: "band" }, card.band.label)),
    h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(card.scoreTenths / 10), "aria-label": "Score" },
      progressFill(card.scoreTenths)),
    h("p", { id: "counts" }, `${card.counts.done}/${card.counts.applicable} items done · ${card.counts.na} N/A · ${card.counts.blocked} blocked · ${card.signOffs.signed}/${card.signOffs.total} sign-offs signed`),
    blocking.length ? h("div", { class: "reasons" }, h("strong", {}, "What blocks GO"), h("ul", { id: "reasons" }, blocking)) : h("p", {}, "Nothing blocks GO."));
}

function block(b) {
  switch (b.type) {
    case "code": {
      const pre = h("pre", { class: "code" }, h("code", {}, b.text));
      pre.prepend(h("button", { type: "button", class: "copy", "aria-label": "Copy command", onclick: async (e) => {
        try { await navigator.clipboard.writeText(b.text); e.target.textContent = "Copied"; } catch { e.target.textContent = "Select and copy"; }
      } }, "Copy"));
      return pre;
    }
    case "table":
      return h("table", {}, h("thead", {}, h("tr", {}, b.header.map((c) => h("th", {}, inline(c.inline))))),
        h("tbody", {}, b.rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, inline(c.inline)))))));
    case "paragraph": return h("p", {}, inline(b.text.inline));
    case "list": return h("ul", {}, b.entries.map((e) => h("li", { style: null }, inline(e.text.inline))));
    default: return null;
  }
}

function itemNode(index, card) {
  const item = state.model.items[index];
  if (item.kind === "signOff") return null;
  const st = state.runState.items[item.id] || { status: "todo" };
  const inactive = state.inactiveSet.has(item.id);
  const cls = ["item", st.status, inactive ? "inactive" : "", item.critical ? "critical" : ""].join(" ");
  const id = `cb-${item.id}`;
  const setStatus = async (status) => {
    let reason;
    if (status === "na" || status === "blocked") {
      reason = await askReason(status === "na" ? "Why does this not apply?" : "What blocks it?");
      if (!reason) return;
    }
    changeItem(item.id, () => state.run.setStatus(state.checklist, item.id, status, reason, undefined, now()));
  };
  // The editors are built when first opened: thousands of idle textareas would slow the page.
  const more = h("details", { class: "more", ontoggle: (e) => {
    if (!e.target.open || e.target.childElementCount > 1) return;
    e.target.append(
      h("label", {}, "Note", h("textarea", { rows: 2, onchange: (ev) => changeItem(item.id, () => state.run.setNote(state.checklist, item.id, ev.target.value, undefined, now())) }, st.note || "")),
      h("label", {}, "Evidence (command output)", h("textarea", { rows: 4, onchange: (ev) => changeItem(item.id, () => state.run.setEvidence(state.checklist, item.id, ev.target.value, undefined, now())) }, st.evidence || "")));
  } }, h("summary", {}, st.note || st.evidence ? "Note and evidence ✎" : "Note and evidence"));
  return h("li", { class: cls, id: `item-${item.id}`, "data-index": index },
    h("div", { class: "row" },
      h("input", { type: "checkbox", id, checked: st.status === "done", onchange: (e) => setStatus(e.target.checked ? "done" : "todo") }),
      h("label", { for: id }, inline(item.inline)),
      item.critical ? h("span", { class: "tag critical" }, "critical") : null,
      item.optional ? h("span", { class: "tag" }, "optional") : null,
      h("span", { class: "item-tools" },
        st.status === "na" || st.status === "blocked"
          ? h("button", { type: "button", onclick: () => setStatus("todo") }, "Reopen")
          : [h("button", { type: "button", onclick: () => setStatus("na") }, "N/A"), h("button", { type: "button", onclick: () => setStatus("blocked") }, "Blocked")])),
    st.reason ? h("div", { class: "reason" }, `${st.status === "na" ? "N/A" : "Blocked"}: ${st.reason}`) : null,
    item.details.length ? h("ul", {}, item.details.map((d) => h("li", {}, inline(d.text.inline)))) : null,
    item.blocks.map(block),
    more,
    item.children.length ? h("ul", { class: "items" }, item.children.map((c) => itemNode(c, card))) : null);
}

function remember(id, label) { state.sectionLabels.set(id, label); return label; }

function sectionProgress(s, score) {
  const shown = score.counts.applicable ? percent(score.scoreTenths) : s.conditional && !score.active ? "off" : "—";
  return `${score.counts.done}/${score.counts.applicable} · ${shown}`;
}

/** A change to one item: update its row, the header and the section figures in place. */
function changeItem(id, fn) {
  try { fn(); } catch (e) { notice(e.message, "error"); return; }
  save();
  const card = state.checklist.score(state.run);
  state.runState = state.run.toObject();
  const old = document.getElementById(`item-${id}`);
  const inactiveBefore = state.inactiveSet || new Set();
  state.inactiveSet = new Set(card.inactive);
  // Optional items move in or out of the score; anything else changing class needs a full render.
  if (!old || card.inactive.some((x) => !inactiveBefore.has(x)) || [...inactiveBefore].some((x) => !state.inactiveSet.has(x))) return render();
  const focus = document.activeElement?.id;
  old.replaceWith(itemNode(Number(old.dataset.index), card));
  document.querySelector("#view .summary").replaceWith(summary(card));
  const sections = new Map(state.model.sections.map((s) => [s.id, s]));
  for (const s of card.sections) {
    const label = state.sectionLabels.get(s.id);
    if (label) label.textContent = sectionProgress(sections.get(s.id), s);
  }
  document.querySelector(".signoffs").replaceWith(signOffPanel(card)); // stale marks may change
  if (focus && $(focus)) $(focus).focus();
  if (!$("library").hidden) renderLibrary();
}

// Long checklists render progressively: the first items at once, the rest in document order in
// chunks between frames, so a 10,000-item checklist is on screen and usable immediately.
const EAGER_ITEMS = 1500;
const CHUNK_ITEMS = 1000;
let pending = [];     // [list element, item index] still to build, in document order
let pendingJob = 0;   // bumped by every render, so a stale job stops

function queueItem(list, index, card) {
  if (state.built < EAGER_ITEMS) { const node = itemNode(index, card); if (node) { list.append(node); state.built += 1 + countDescendants(index); } }
  else pending.push([list, index]);
}

function countDescendants(index) {
  let n = 0; const stack = [...state.model.items[index].children];
  while (stack.length) { const i = stack.pop(); n++; stack.push(...state.model.items[i].children); }
  return n;
}

function pump(job, card) {
  if (job !== pendingJob) return;
  const chunk = pending.splice(0, CHUNK_ITEMS);
  for (const [list, index] of chunk) { const node = itemNode(index, card); if (node) list.append(node); }
  if (pending.length) setTimeout(() => pump(job, card), 0);
  else performance.measure("preflight-render-complete", "preflight-render-start");
}

function sectionNode(index, card, scores) {
  const s = state.model.sections[index];
  const score = scores.get(s.id);
  const content = [];
  let items = null;
  for (const b of s.blocks) {
    if (b.type === "item") {
      if (state.model.items[b.item].kind === "signOff") continue;
      if (!items) { items = h("ul", { class: "items" }); content.push(items); }
      queueItem(items, b.item, card);
    } else { items = null; content.push(block(b)); }
  }
  const fields = state.model.fields.filter((f) => f.section === index).map((f) => {
    const value = state.runState.fields[f.id]?.value || "";
    return h("div", { class: "field" }, h("label", { for: `field-${f.id}` }, f.label),
      h("input", { id: `field-${f.id}`, value, onchange: (e) => change(() => state.run.setField(state.checklist, f.id, e.target.value, undefined, now())) }));
  });
  const level = Math.min(Math.max(s.level, 2), 4);
  const isTitle = s.level === 1 && s.title === state.model.title; // already the page's h1
  const heading = index === 0 || isTitle ? null : h(`h${level}`, { id: `section-${s.id}` }, s.title,
    score && score.counts.total ? remember(s.id, h("span", { class: "section-progress" }, sectionProgress(s, score))) : null,
    s.conditional && (index === 0 || !state.model.sections[s.parent]?.conditional) ? h("label", { class: "section-progress" },
      h("input", { type: "checkbox", checked: score?.active, onchange: (e) => change(() => state.run.setSection(state.checklist, s.id, e.target.checked, undefined, now())) }), " applies to this deployment") : null);
  const children = s.children.map((c) => sectionNode(c, card, scores)).filter(Boolean);
  // A section whose only items are sign-offs (shown in the sign-off panel) has nothing to show.
  if (!content.length && !fields.length && !children.length && s.blocks.length) return null;
  return h("section", { class: "checklist-section" }, heading, content, fields, children);
}

function signOffPanel(card) {
  const run = state.runState;
  const slots = state.model.items.filter((i) => i.kind === "signOff").map((item) => {
    const sig = run.signOffs[item.id]?.signature;
    const stale = card.staleSignOffs.includes(item.id);
    const name = h("input", { "aria-label": `${item.signOff.role}: name`, placeholder: "Name", value: sig?.name || "" });
    const date = h("input", { type: "date", "aria-label": `${item.signOff.role}: date`, value: sig?.date || new Date().toISOString().slice(0, 10) });
    const meaning = h("select", { "aria-label": `${item.signOff.role}: meaning` }, ["approved", "reviewed", "deployed", "verified"].map((m) => h("option", { value: m, selected: sig?.meaning === m }, m)));
    return h("div", { class: "signoff", id: `item-${item.id}` },
      h("strong", {}, item.signOff.role), name, date, meaning,
      sig ? h("span", {}, stale ? h("span", { class: "stale" }, "stale ") : "signed ",
            h("button", { type: "button", onclick: () => change(() => state.run.unsign(state.checklist, item.id, undefined, now())) }, "Unsign"))
          : h("button", { type: "button", onclick: () => change(() => state.run.sign(state.checklist, item.id, name.value, date.value, meaning.value, undefined, name.value, now())) }, "Sign"));
  });
  return h("section", { class: "signoffs", "aria-label": "Sign-off" }, h("h2", {}, "Sign-off"),
    slots.length ? slots : h("p", { class: "muted" }, "This checklist has no sign-off lines."));
}

function render() {
  performance.mark("preflight-render-start");
  const card = state.checklist.score(state.run);
  state.inactiveSet = new Set(card.inactive);
  state.runState = state.run.toObject(); // once per render, not once per item
  const scores = new Map(card.sections.map((s) => [s.id, s]));
  const focus = document.activeElement?.id;
  state.sectionLabels = new Map();
  state.built = 0;
  pending = [];
  const job = ++pendingJob;
  $("view").replaceChildren(summary(card), sectionNode(0, card, scores), signOffPanel(card));
  if (focus && $(focus)) $(focus).focus();
  performance.measure("preflight-render", "preflight-render-start");
  if (pending.length) setTimeout(() => pump(job, card), 0);
  else performance.measure("preflight-render-complete", "preflight-render-start");
}

// ---- library: the checklists and runs kept in this browser ------------------------------------

let undo = null; // the last deleted run, until the next deletion or reload

function openRun(sha, runId) {
  const checklist = state.store.loadTemplate(sha);
  const run = checklist && state.store.loadRun(sha, runId);
  if (!checklist || !run) return notice("That run is no longer in this browser.", "error");
  const name = state.store.library().find((t) => t.sha256 === sha)?.name || "checklist";
  clearNotice();
  open(checklist, run, name);
  toggleLibrary(false);
}

function renderLibrary() {
  const panel = $("library");
  if (!state.store) return panel.replaceChildren(h("p", {}, "This browser gives Preflight no storage, so there is no library."));
  let entries = [];
  try { entries = state.store.library(); } catch (e) { return panel.replaceChildren(h("p", {}, `The library could not be read: ${e.message}`)); }
  const importRun = h("label", { class: "button" }, "Import a run (JSON)…", h("input", { type: "file", accept: ".json,application/json", hidden: true, onchange: async (e) => {
    const file = e.target.files[0]; if (!file) return;
    try {
      const obj = JSON.parse(await file.text());
      const run = obj.run || obj; // a run, or a report that carries one
      const checklist = state.store.loadTemplate(run.templateSha256);
      if (!checklist) throw new Error("its checklist is not in this browser: import the checklist first");
      const imported = checklist.runFromJson(JSON.stringify(run));
      state.store.saveRun(imported);
      openRun(run.templateSha256, run.id);
    } catch (err) { notice(`Could not import ${file.name}: ${err.message}`, "error"); }
  } }));
  panel.replaceChildren(...h("div", {}, h("h2", {}, "Library"), importRun,
    entries.length ? null : h("p", { class: "muted" }, "Nothing kept yet."),
    entries.map((t) => h("div", { class: "template" },
      h("h3", {}, t.title, " ", h("span", { class: "muted" }, `· ${t.name}`)),
      h("button", { type: "button", onclick: () => {
        const checklist = state.store.loadTemplate(t.sha256);
        const run = checklist.newRun(crypto.randomUUID(), newRunName(checklist.model()), now());
        state.store.saveRun(run); openRun(t.sha256, run.id);
      } }, "New run"),
      h("ul", { class: "runs" }, t.runs.map((r) => h("li", {},
        h("span", { class: "name" }, r.name, " ", h("span", { class: "muted" }, `· last change ${new Date(r.updatedAt).toLocaleString()}`)),
        h("button", { type: "button", onclick: () => openRun(t.sha256, r.id) }, "Open"),
        h("button", { type: "button", onclick: () => {
          const name = prompt("New name for the run", r.name);
          if (!name) return;
          const run = state.store.loadRun(t.sha256, r.id); run.rename(name, now()); state.store.saveRun(run);
          if (state.run?.id === r.id) state.run.rename(name, now());
          renderLibrary(); if (state.run) render();
        } }, "Rename"),
        h("button", { type: "button", onclick: () => {
          const copy = state.store.loadRun(t.sha256, r.id).duplicate(crypto.randomUUID(), `${r.name} (copy)`);
          state.store.saveRun(copy); renderLibrary();
        } }, "Duplicate"),
        h("button", { type: "button", onclick: () => {
          const run = state.store.loadRun(t.sha256, r.id);
          download(`${fileBase(r.name)}.run.json`, run.toJson(), "application/json");
        } }, "JSON"),
        h("button", { type: "button", onclick: () => {
          undo = { sha: t.sha256, json: state.store.loadRun(t.sha256, r.id).toJson(), name: r.name };
          state.store.deleteRun(t.sha256, r.id);
          renderLibrary();
          notice(`Deleted “${r.name}”. `, "warning", h("button", { type: "button", id: "undo", onclick: () => {
            const checklist = state.store.loadTemplate(undo.sha);
            const run = checklist.runFromJson(undo.json);
            state.store.saveRun(run); undo = null; clearNotice(); renderLibrary();
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
  if (e.ctrlKey || e.metaKey || e.altKey || e.target.matches("input:not([type=checkbox]), textarea, select") || document.querySelector("dialog[open]")) return;
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

// ---- wiring ----------------------------------------------------------------------------------

async function main() {
  await init();
  try { state.store = new Store("app"); } catch (e) {
    notice(`This browser gives Preflight no storage (${e.message}); your progress lives in this tab only — export it before closing.`);
  }
  state.store?.watch((sha, runId) => {
    if (!state.run || sha !== state.checklist.sourceSha256 || runId !== state.run.id) return;
    try { const theirs = state.store.loadRun(sha, runId); if (theirs) { state.run.merge(theirs); render(); } } catch { /* corrupt: kept aside by the store */ }
  });
  $("file").addEventListener("change", async (e) => { const f = e.target.files[0]; if (f) importBytes(new Uint8Array(await f.arrayBuffer()), f.name); e.target.value = ""; });
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", async (e) => { e.preventDefault(); const f = e.dataTransfer.files[0]; if (f) importBytes(new Uint8Array(await f.arrayBuffer()), f.name); });
  $("paste").addEventListener("click", () => { $("paste-text").value = ""; $("paste-dialog").showModal(); });
  $("paste-dialog").addEventListener("close", () => {
    if ($("paste-dialog").returnValue === "ok" && $("paste-text").value.trim()) importBytes(new TextEncoder().encode($("paste-text").value), "pasted checklist");
  });
  $("export-md").addEventListener("click", () => download(`${fileBase()}.md`, state.checklist.exportMarkdown(state.run, now()), "text/markdown"));
  $("export-html").addEventListener("click", () => download(`${fileBase()}.html`, state.checklist.exportHtml(state.run, now()), "text/html"));
  $("export-json").addEventListener("click", () => download(`${fileBase()}.json`, state.checklist.exportJson(state.run, now()), "application/json"));
  $("print").addEventListener("click", () => window.print());
  $("library-button").addEventListener("click", () => toggleLibrary());
  // Cancel closes without a value; Enter in a field submits the dialog's one submit button.
  for (const b of document.querySelectorAll("dialog button.cancel")) b.addEventListener("click", () => b.closest("dialog").close(""));
  $("filter-open").addEventListener("change", (e) => $("view").classList.toggle("only-open", e.target.checked));
  $("filter-critical").addEventListener("change", (e) => $("view").classList.toggle("only-critical", e.target.checked));
  document.addEventListener("keydown", onKey);

  const src = new URLSearchParams(location.search).get("src");
  if (src) return importFromUrl(src);
  const last = JSON.parse(localStorage.getItem("preflight/1/app/last") || "null");
  if (last && state.store) {
    try {
      const checklist = state.store.loadTemplate(last.sha);
      const run = checklist && state.store.loadRun(last.sha, last.run);
      const name = state.store.library().find((t) => t.sha256 === last.sha)?.name || "checklist";
      if (checklist && run) return open(checklist, run, name);
    } catch (e) { notice(`Your last run could not be reopened: ${e.message}`); }
  }
  const sample = Checklist.sample();
  open(sample, sample.newRun(crypto.randomUUID(), newRunName(sample.model()), now()), "DEPLOYMENT_CHECKLIST.md (sample)");
}

main().catch((e) => notice(`Preflight could not start: ${e.message}`, "error"));
