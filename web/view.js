// The checklist view: a run of one checklist rendered into a container (in the page, the embed
// page, or the shadow root of <preflight-checklist>), kept in step with the engine and saved
// after every change. Every decision (what an item is, the score, the verdict) is the engine's.
// The run is shown as its stages (stages.js), each with its sections and its sign-offs
// (signoffs.js); every inferred mark can be explained and corrected (reading.js).
import { Checklist } from "./engine.js";
import { h, inline, percent, now, download, fileBase } from "./dom.js";
import { signOffPanel } from "./signoffs.js";
import { STAGE_NAMES, whyButton, sectionReading, slotReading, itemMarks, latestOnly, documentValue, describe } from "./reading.js";
import { stagesOf, progress, stageStrip, stageHeader, stageFooter, contingencyFold, timelinePanel, verdictChip, when } from "./stages.js";

// Long checklists render progressively: the first items at once, the rest in document order in
// chunks between frames, so a 10,000-item checklist is on screen and usable immediately.
const EAGER_ITEMS = 300;
const CHUNK_ITEMS = 1000;

/** The reports the view can export: engine method, file extension, media type. */
const REPORTS = {
  md: ["exportMarkdown", "md", "text/markdown"],
  html: ["exportHtml", "html", "text/html"],
  json: ["exportJson", "json", "application/json"],
};

/** The most recently changed run of `checklist` kept in `store`, if any. */
export async function latestRun(store, checklist) {
  const runs = store ? await store.runsOf(checklist.sourceSha256) : [];
  return runs.length ? store.loadRun(checklist.sourceSha256, runs[0].id) : null;
}

/** Where a checklist came from, as people read it: "host/path" (nothing for a local file). */
export function originLabel(origin) {
  if (!origin) return "";
  try { const u = new URL(origin.url); return u.protocol === "file:" ? u.pathname : `${u.host}${u.pathname}`; } catch { return origin.url; }
}

/** Offer a run as a JSON file (when storage fails, or from the library). */
export function downloadRun(run) {
  download(`${fileBase(run.name)}.run.json`, run.toJson(), "application/json");
}

export class ChecklistView {
  /**
   * @param {HTMLElement} container where the view renders (its children are replaced)
   * @param {object} options
   *   store: a Store or null; notice: a Notice; compact: hide notes, evidence and reasons;
   *   titleTag: the heading for the checklist title; afterSave(view), onChange(view, card, cause)
   *   (card: the before gate's, "may we deploy?"); onNewVersion(text, name): open a new version
   *   of the checklist (offered after its corrections are written into it); onKeep(view): the
   *   user kept a checklist from a link
   */
  constructor(container, { store = null, notice, compact = false, titleTag = "h1", afterSave, onChange, onNewVersion, onKeep } = {}) {
    Object.assign(this, { container, store, notice, compact, titleTag, afterSave, onChange, onNewVersion, onKeep });
    container.classList.add("pf-view");
    this.checklist = null;
    this.drafts = new Map();
    this.openPanels = new Set(); // ids of the panels (editors, readings) shown open
    this.kept = []; // corrections kept with the template
    this.who = readWho(store);
    this.pending = [];
    this.lastPart = new Map();
    this.job = 0;
    this.delegate();
  }

  /** The element with this id in the view's document or shadow root. */
  byId(id) { return this.container.getRootNode().getElementById(id); }

  /**
   * Show `run` of `checklist`; pass `model` when the caller already has checklist.model(). The
   * corrections kept with this template are applied first (the checklist is read again with
   * them), so every way of opening a checklist reads it the same.
   */
  async open(checklist, run, name, model, { origin = null, keep = true } = {}) {
    this.run = run;
    this.name = name;
    // Where it came from (null: the user's own file) and whether it may be kept: a checklist
    // from a link is kept only once the user says so (keepNow); "on-change" (the sample) is
    // kept with the first change, so merely looking stores nothing.
    this.origin = origin;
    this.keep = keep === true;
    this.keepOnChange = keep === "on-change";
    this.templateKept = false;
    this.unsaved = false;
    this.openPanels = new Set();
    this.kept = keep ? await this.loadKept(checklist.sourceSha256) : [];
    if (this.kept.length) this.use(Checklist.parseWithCorrections(checklist.text, this.kept));
    else this.use(checklist, model);
    this.render("open");
    if (this.keep) await this.save();
  }

  /** The user keeps a checklist that came from a link: from now on it and its run are saved. */
  keepNow() {
    this.keep = true;
    return this.save();
  }

  /** Make `checklist` the one shown (after opening or correcting it). */
  use(checklist, model = checklist.model()) {
    this.checklist = checklist;
    this.model = model;
    this.items = model.items;
    this.slots = model.slots || [];
    this.byItemId = new Map([...this.items, ...this.slots].map((i) => [i.id, i]));
    this.sectionById = new Map(model.sections.map((s) => [s.id, s]));
  }

  /** The corrections kept for a template; a damaged copy is reported and set aside, never in the way. */
  async loadKept(sha) {
    if (!this.store) return this.checklist?.sourceSha256 === sha ? this.kept : [];
    try { return await this.store.loadCorrections(sha); } catch (e) {
      this.notice.show(`The corrections kept for this checklist could not be read (${e.message}). It reads as its text says; new corrections are kept as usual.`);
      return [];
    }
  }

  /**
   * Save now (saves run one after another, each the run as it is then, merged with what another
   * tab stored). The checklist goes with the run until it is kept. On a failure: say so, offer
   * the run as a file and a retry, keep working in memory, and mark the view `unsaved` so nothing
   * discards it without asking. Resolves when stored (or refused).
   */
  save() {
    if (this.keepOnChange && !this.keep) { this.keep = true; this.keepOnChange = false; }
    if (!this.store || !this.run || !this.keep) return Promise.resolve();
    const run = this.run;
    const template = this.templateKept ? null : { checklist: this.checklist, name: this.name, origin: this.origin };
    const attempt = async () => {
      try {
        const { merged } = await this.store.saveRun(run, template);
        if (run !== this.run) return;
        this.templateKept = true;
        this.unsaved = false;
        this.afterSave?.(this);
        this.notice.clear("save");
        if (merged) this.render("merge");
      } catch (e) {
        if (run !== this.run) return;
        this.unsaved = true;
        const full = e.name === "PreflightQuotaError";
        this.notice.show(full ? "Browser storage is full: your changes are kept in this tab only. Free some space, then try again. " : `Could not save: ${e.message}. `, "error",
          h("button", { type: "button", id: "save-retry", onclick: () => this.save() }, "Try again"), " ",
          h("button", { type: "button", onclick: () => downloadRun(this.run) }, "Download the run"));
        this.notice.kind = "save";
      }
    };
    this.saving = (this.saving || Promise.resolve()).then(attempt);
    return this.saving;
  }

  /** The report of this run as text: format "md", "html" or "json" (anything else: "md"). */
  report(format) {
    const [method] = REPORTS[format] ?? REPORTS.md;
    return this.checklist[method](this.run, now());
  }

  /** The report of this run as a downloaded file. */
  downloadReport(format) {
    const [, ext, type] = REPORTS[format] ?? REPORTS.md;
    download(`${fileBase(this.run.name)}.${ext}`, this.report(format), type);
  }

  /** Another tab (or embed) saved this run or corrected this checklist: take its changes, keep ours. */
  watch() {
    this.store?.watch(async (sha, runId) => {
      if (!this.run || !this.keep || (sha !== null && sha !== this.checklist.sourceSha256)) return;
      const mine = this.checklist.sourceSha256;
      if (runId === null) this.applyKept(await this.loadKept(mine));
      if (runId !== null && runId !== this.run.id) return;
      try {
        const theirs = await this.store.loadRun(mine, this.run.id);
        if (theirs) { this.run.merge(theirs); theirs.free(); }
      } catch { /* damaged: the store moved it aside; ours is saved on the next change */ }
      this.render("merge");
    });
  }

  /**
   * A change that may reshape the page (fields, sections, sign-offs, stages): save and re-render.
   * `focusId`: where focus goes afterwards when the control used is replaced (Sign → Unsign).
   */
  change(fn, focusId) {
    try { fn(); } catch (e) { this.notice.show(e.message, "error"); return; }
    this.save();
    this.render("change");
    if (focusId) this.byId(focusId)?.focus();
  }

  // ---- corrections: the checklist's reading, kept with the template ------------------------

  /**
   * Correct one mark ({id, what, value}); a value that is what the document itself says drops
   * the correction instead. Kept with the template, applied at once: the verdict follows.
   */
  correct(correction, focusId) {
    const own = Checklist.parse(this.checklist.text); // the document's reading, its own preflight: block included
    const said = documentValue(own.model(), correction);
    own.free();
    const kept = this.kept.filter((k) => !(k.id === correction.id && k.what === correction.what));
    if (said !== correction.value) kept.push({ ...correction, line: 0 });
    this.setKept(kept, focusId);
  }

  /** Keep `kept` as this template's corrections, read the checklist again with them, re-render. */
  setKept(kept, focusId) {
    if (this.store && this.keep) {
      this.store.saveCorrections(this.checklist.sourceSha256, kept).catch((e) => {
        this.notice.show(e.name === "PreflightQuotaError" ? "Browser storage is full: the correction applies in this tab only. " : `The correction could not be kept: ${e.message}. It applies in this tab only.`, "error");
      });
    }
    this.applyKept(kept);
    this.render("correct");
    if (focusId) this.byId(focusId)?.focus();
  }

  applyKept(kept) {
    this.kept = kept;
    this.use(kept.length ? Checklist.parseWithCorrections(this.checklist.text, kept) : Checklist.parse(this.checklist.text));
  }

  /** The text with every correction in a preflight: front-matter block, as a file: a new version. */
  writeCorrections() {
    const text = this.checklist.withCorrectionsBlock(latestOnly(this.checklist.corrections()));
    const name = /\.(md|markdown|txt)$/i.test(this.name) ? this.name : `${fileBase(this.name)}.md`;
    download(name, text, "text/markdown");
    this.notice.show(`Saved ${name} with the corrections in its front matter (a preflight: block), so every tool reads it the same way. `, "info",
      this.onNewVersion ? h("button", { type: "button", id: "open-new-version", onclick: () => { this.notice.clear(); this.onNewVersion(text, name); } }, "Open it as a new version") : null);
  }

  /** The corrections kept for this checklist, each with an undo, and the way into the document. */
  correctionsBar() {
    if (this.compact || !this.kept.length) return null;
    const n = this.kept.length;
    const bar = h("details", { class: "corrections", id: "corrections", open: this.openPanels.has("corrections") },
      h("summary", {}, `${n} ${n === 1 ? "correction" : "corrections"} to how this checklist is read, kept in this browser`),
      h("ul", {}, this.kept.map((k, i) => h("li", {}, describe(this.model, k), " ",
        h("button", { type: "button", id: `uncorrect-${i}`, "aria-label": `Undo: ${describe(this.model, k)}`,
          onclick: () => this.setKept(this.kept.filter((x) => x !== k), this.kept.length > 1 ? "corrections-summary" : "view-title") }, "Undo")))),
      h("button", { type: "button", id: "write-corrections", onclick: () => this.writeCorrections() }, "Write corrections into the document"));
    bar.firstChild.id = "corrections-summary";
    bar.addEventListener("toggle", () => { if (bar.open) this.openPanels.add("corrections"); else this.openPanels.delete("corrections"); });
    return bar;
  }

  /** Show or hide the reading panel of a section or sign-off slot under its why button. */
  toggleReading(button, target, kind) {
    const id = `reading-${kind}-${target.id}`;
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    if (open) button.setAttribute("aria-controls", id); else button.removeAttribute("aria-controls");
    const existing = this.byId(id);
    if (open) {
      this.openPanels.add(id);
      if (!existing) this.readingAnchor(button).after(kind === "section" ? sectionReading(this, target) : slotReading(this, target));
    } else {
      this.openPanels.delete(id);
      existing?.remove();
    }
  }

  /** Where a reading panel goes: after the heading or the sign-off row its button sits in. */
  readingAnchor(button) { return button.closest(".signoff, .record, h2, h3, h4, h5"); }

  /** A slot's reading panel when it is open (rebuilt open after a re-render), else nothing. */
  readingPanel(target, kind) {
    return this.openPanels.has(`reading-${kind}-${target.id}`) ? (kind === "section" ? sectionReading(this, target) : slotReading(this, target)) : null;
  }

  // ---- the run's steps: pass a gate, start a contingency, close ------------------------------

  /** Ask who (and why) in a dialog; resolves to {who, why?} or null when cancelled. */
  ask({ title, submit, why }) {
    const field = (id, label, value, empty) => {
      const input = h("input", { id: `ask-${id}`, required: true, value: value || "", autocomplete: id === "who" ? "name" : "off",
        oninput: (e) => e.target.setCustomValidity(e.target.value.trim() ? "" : empty) });
      input.setCustomValidity(input.value.trim() ? "" : empty);
      return [h("label", { for: input.id }, label), input];
    };
    const fields = [field("who", "Your name", this.who, "Say who you are."), why ? field("why", why, "", "Say why.") : []];
    const dialog = h("dialog", { id: "action-dialog", "aria-labelledby": "action-title" }, h("form", { method: "dialog" },
      h("h2", { id: "action-title" }, title), ...fields.flat(),
      h("menu", {}, h("button", { type: "button", class: "cancel", onclick: () => dialog.close("") }, "Cancel"), h("button", { value: "ok", id: "action-ok" }, submit))));
    this.container.after(dialog);
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => {
        const value = (id) => this.byId(`ask-${id}`)?.value.trim();
        const answer = dialog.returnValue === "ok" ? { who: value("who"), why: why ? value("why") : undefined } : null;
        dialog.remove();
        if (answer) { this.who = answer.who; saveWho(this.store, answer.who); }
        resolve(answer);
      });
      dialog.showModal();
    });
  }

  /** Pass a stage's gate ("before" declares GO): asks who, records when. */
  async passGate(gate, label) {
    const answer = await this.ask({ title: `${label}: ${STAGE_NAMES[gate]}`, submit: label });
    if (answer) this.change(() => this.run.passGate(this.checklist, gate, answer.who, now()), `stage-state-${gate}`);
  }

  /** Start a contingency procedure: asks who and why, then unfolds it. */
  async startContingency(section, label) {
    const answer = await this.ask({ title: `${label}: ${section.title}`, submit: label, why: `Why does “${section.title}” start?` });
    if (answer) this.change(() => this.run.startContingency(this.checklist, section.id, answer.why, answer.who, now()), `section-${section.id}`);
  }

  async closeRun() {
    const answer = await this.ask({ title: `Close run “${this.run.name}”`, submit: "Close run" });
    if (answer) this.change(() => this.run.close(answer.who, now()), "timeline-title");
  }

  /** A change to one item: update its row, the stage figures and the section figures in place. */
  changeItem(id, fn) {
    try { fn(); } catch (e) { this.notice.show(e.message, "error"); return; }
    this.save();
    // Only the item's own section and those above it can move: a click costs the same on a
    // checklist of 50,000 sections as on one of five. `gates` holds every stage's card.
    const card = this.checklist.scoreForItem(this.run, id);
    this.runState = this.run.toObject();
    const item = this.byItemId.get(id);
    const old = this.byId(`item-${id}`);
    // An optional item (or one in a switched-off section) moves in or out of the score with its
    // own status; the card's `inactive` covers the before gate, the rest follows the same rule.
    const status = this.runState.items[id]?.status || "todo";
    const inactive = item.gate === card.gate ? card.inactive.includes(id)
      : status !== "done" && (item.optional || this.offSections.has(this.model.sections[item.section]?.id));
    if (!old || inactive !== this.inactiveSet.has(id)) return this.render("change");
    const focus = this.container.getRootNode().activeElement?.id;
    const fresh = this.itemNode(Number(old.dataset.index));
    old.replaceWith(fresh);
    this.refreshStages(card);
    for (const s of card.sections) {
      for (const label of this.sectionLabels.get(s.id) || []) label.textContent = sectionProgress(s);
    }
    // Only signatures can turn stale; with none, nothing in the sign-off panels depends on this item.
    if (Object.values(this.runState.signOffs).some((s) => s.signature)) {
      const all = this.checklist.scoreGate(this.run, "all");
      const stale = new Set(all.staleSignOffs);
      for (const entry of this.signOffPanels.values()) { const fresh = entry.make(stale); entry.el.replaceWith(fresh); entry.el = fresh; }
    }
    if (focus) this.byId(focus)?.focus();
    this.onChange?.(this, beforeGate(card), "change");
  }

  /** The summary and every stage's header and pause point, from a card's `gates`. */
  refreshStages(card) {
    const stages = stagesOf(card);
    const where = progress(stages, this.runState);
    this.container.querySelector(".summary").replaceWith(this.summary(stages, where));
    stages.forEach((g, i) => {
      const at = where.stages.get(g.gate);
      this.byId(`stage-head-${g.gate}`)?.replaceWith(stageHeader(this, g, at, stages.length > 1 ? i + 1 : 0, where));
      this.byId(`pause-${g.gate}`)?.replaceWith(stageFooter(this, g, at, where));
    });
    this.byId("stage-head-contingency")?.replaceWith(this.contingencyHeader(card.gates.find((x) => x.gate === "contingency")));
  }

  askReason(label) {
    if (!this.dialog) {
      this.reasonInput = h("input", { id: "reason-text", required: true });
      this.reasonLabel = h("label", { for: "reason-text" }, "Reason");
      const cancel = h("button", { type: "button", class: "cancel", onclick: () => this.dialog.close("") }, "Cancel");
      this.dialog = h("dialog", { id: "reason-dialog" }, h("form", { method: "dialog" }, this.reasonLabel, this.reasonInput,
        h("menu", {}, cancel, h("button", { value: "ok" }, "Save"))));
      this.container.after(this.dialog);
    }
    return new Promise((resolve) => {
      this.reasonLabel.textContent = label;
      this.reasonInput.value = "";
      this.dialog.onclose = () => resolve(this.dialog.returnValue === "ok" ? this.reasonInput.value.trim() : null);
      this.dialog.returnValue = "";
      this.dialog.showModal();
    });
  }

  // ---- rendering ---------------------------------------------------------------------------

  /** The header: title, run, the stages in order, and where the run stands now. */
  summary(stages, where) {
    const head = stages.find((g) => g.gate === where.current) || stages[0];
    const fill = h("span");
    fill.style.width = `${(head?.scoreTenths || 0) / 10}%`; // CSSOM, which the CSP allows (style attributes it would not)
    return h("section", { class: "summary", "aria-label": "Readiness" },
      h(this.titleTag, { id: "view-title", tabindex: "-1" }, this.model.title),
      this.compact ? null : h("p", { class: "muted" }, `Run “${this.run.name}” · ${this.name}`, where.closed ? ` · closed ${when(where.closed.at)}` : ""),
      this.provenance(),
      this.compact ? null : stageStrip(this, stages, where),
      head ? [
        h("p", { class: "headline" },
          stages.length > 1 ? h("span", { class: "stage-name" }, STAGE_NAMES[head.gate]) : null,
          verdictChip(head.verdict, "verdict"),
          h("span", { class: "score", id: "score" }, percent(head.scoreTenths)),
          h("span", { id: "band" }, head.band.label)),
        h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(head.scoreTenths / 10), "aria-label": `Score: ${STAGE_NAMES[head.gate]}` }, fill),
        h("p", { id: "counts" }, `${head.counts.done}/${head.counts.applicable} items done · ${head.counts.na} N/A · ${head.counts.blocked} blocked · ${head.signOffs.signed}/${head.signOffs.total} sign-offs signed`),
      ] : h("p", { id: "counts" }, "Nothing to check."));
  }

  /**
   * Where a checklist from a link or a host page came from, always in view; a link's checklist
   * is not kept (nor is anything carried into it) until the user says so here.
   */
  provenance() {
    if (!this.origin) return null;
    const from = originLabel(this.origin);
    if (this.origin.kind !== "link") return h("p", { class: "provenance", id: "provenance" }, "From ", h("strong", {}, from));
    if (this.keep) return h("p", { class: "provenance", id: "provenance" }, "From a link: ", h("strong", {}, from), " · kept in this browser");
    return h("p", { class: "provenance unkept", id: "provenance", role: "note" },
      "From a link: ", h("strong", {}, from), ". Nothing of it is kept in this browser, and nothing is carried into it, until you keep it. ",
      h("button", { type: "button", id: "keep-link", onclick: async () => {
        await this.keepNow();
        this.render("keep");
        this.byId("view-title")?.focus();
        this.onKeep?.(this);
      } }, "Keep it in this browser"));
  }

  /** A section's progress figure, kept current by changeItem wherever it is shown. */
  progressLabel(score) {
    const el = h("span", { class: "section-progress" }, sectionProgress(score));
    if (!this.sectionLabels.has(score.id)) this.sectionLabels.set(score.id, []);
    this.sectionLabels.get(score.id).push(el);
    return el;
  }

  /** The sections with items, each with its progress, linking to the section. */
  outline(scores) {
    if (this.compact) return null;
    const rows = this.model.sections.map((s, index) => [s, index, scores.get(s.id)])
      .filter(([s, index, score]) => index > 0 && score?.counts.total && !this.isTitle(s) && !this.underFold(s));
    if (rows.length < 2) return null;
    const top = Math.min(...rows.map(([s]) => s.level));
    const list = h("ol", {}, rows.map(([s, , score]) => h("li", { class: `depth-${Math.min(s.level - top, 3)}` },
      h("a", { href: `#section-${s.id}`, onclick: (e) => this.reveal(e, `section-${s.id}`) }, s.title), " ", this.progressLabel(score))));
    // Open when it fits on a screen; a long checklist's outline is one click away.
    return h("details", { class: "outline", open: rows.length <= 15 },
      h("summary", {}, `Sections (${rows.length})`), h("nav", { "aria-label": "Sections" }, list));
  }

  /** Is section `s` inside a folded contingency procedure (so not on the page)? */
  underFold(s) {
    for (let p = s.parent; p !== null && p !== undefined; p = this.model.sections[p].parent) if (this.folded.has(this.model.sections[p].id)) return true;
    return false;
  }

  /** Follow a link inside a shadow root, where the URL fragment cannot reach. */
  reveal(event, elementId) {
    const target = this.byId(elementId);
    if (!target || this.container.getRootNode() === document) return;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.querySelector("input, button")?.focus();
  }

  block(b) {
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
      case "list": return h("ul", {}, b.entries.map((e) => h("li", {}, inline(e.text.inline))));
      default: return null;
    }
  }

  /** Status changes; N/A and blocked ask for the reason first. */
  async setStatus(item, status) {
    let reason;
    if (status === "na" || status === "blocked") {
      reason = await this.askReason(status === "na" ? "Why does this not apply?" : "What blocks it?");
      if (!reason) return;
    }
    this.changeItem(item.id, () => this.run.setStatus(this.checklist, item.id, status, reason, undefined, now()));
  }

  /** The item whose row holds `el`, if any. */
  itemOf(el) {
    const li = el.closest("li.item");
    return li && this.items[Number(li.dataset.index)];
  }

  /** One listener per kind of event for all items (10,000 rows need no 50,000 closures). */
  delegate() {
    this.container.addEventListener("change", (e) => {
      const item = this.itemOf(e.target);
      if (!item) return;
      if (e.target.matches(".row > input[type=checkbox]")) this.setStatus(item, e.target.checked ? "done" : "todo");
      else if (e.target.dataset.mark) this.correct({ id: item.id, what: e.target.dataset.mark, value: String(e.target.checked) }, e.target.id);
      else if (e.target.dataset.edit === "note") this.changeItem(item.id, () => this.run.setNote(this.checklist, item.id, e.target.value, undefined, now()));
      else if (e.target.dataset.edit === "evidence") this.changeItem(item.id, () => this.run.setEvidence(this.checklist, item.id, e.target.value, undefined, now()));
    });
    this.container.addEventListener("click", (e) => {
      const why = e.target.closest("button[data-reading]");
      if (why) {
        const target = why.dataset.reading === "section" ? this.sectionById.get(why.dataset.target) : this.byItemId.get(why.dataset.target);
        if (target) this.toggleReading(why, target, why.dataset.reading);
        return;
      }
      const button = e.target.closest("button[data-status], button.more, button[data-why]");
      const item = button && this.itemOf(button);
      if (!item) return;
      if (button.dataset.status) this.setStatus(item, button.dataset.status);
      else if (button.dataset.why) {
        // A mark's tag opens the item's marks, focused on that mark.
        const more = button.closest("li.item").querySelector(":scope > button.more");
        this.editors(more, true, `mark-${button.dataset.why}-${item.id}`);
      } else this.editors(button, button.getAttribute("aria-expanded") !== "true", true);
    });
  }

  /**
   * Show or hide an item's note, evidence and marks. They are built when first opened:
   * 10,000 idle textareas (or <details> elements, each with its own shadow tree) would triple
   * the time to render a long checklist. `li`: the row, while it is being built.
   */
  editors(toggle, open, focus, li = null) {
    const item = li ? this.items[Number(li.dataset.index)] : this.itemOf(toggle);
    toggle.setAttribute("aria-expanded", String(open));
    const id = `editors-${item.id}`;
    if (open) this.openPanels.add(id); else this.openPanels.delete(id);
    let editors = toggle.nextElementSibling?.classList.contains("editors") ? toggle.nextElementSibling : null;
    if (!editors && open) {
      const st = this.runState.items[item.id] || {};
      editors = h("div", { class: "editors", id },
        h("label", {}, "Note", h("textarea", { id: `note-${item.id}`, rows: 2, "data-edit": "note" }, st.note || "")),
        h("label", {}, "Evidence (command output)", h("textarea", { id: `evidence-${item.id}`, rows: 4, "data-edit": "evidence" }, st.evidence || "")),
        itemMarks(this, item), this.history(item.id));
      toggle.after(editors);
      toggle.setAttribute("aria-controls", editors.id);
    } else if (editors) editors.hidden = !open;
    if (open && focus) (typeof focus === "string" ? this.byId(focus) : editors.querySelector("textarea"))?.focus();
  }

  /**
   * What happened to one item or slot, from the run's hash-linked log (oldest first): when, who,
   * what changed from what to what. The same log `preflight verify` checks link by link.
   */
  history(id) {
    const entries = (this.runState.log || []).filter((e) => e.target === id);
    if (!entries.length) return h("p", { class: "history muted", id: `history-${id}` }, "No changes yet.");
    const says = (e) => {
      const cut = (v) => v === undefined || v === null ? "—" : v.length > 80 ? `${v.slice(0, 79)}…` : v;
      const change = e.before !== undefined || e.after !== undefined ? `: ${cut(e.before)} → ${cut(e.after)}` : "";
      return `${e.what}${change}`;
    };
    return h("details", { class: "history", id: `history-${id}` },
      h("summary", {}, `History (${entries.length} ${entries.length === 1 ? "change" : "changes"})`),
      h("ol", {}, entries.map((e) => h("li", {}, h("time", { datetime: e.at }, when(e.at)), e.by ? ` · ${e.by}` : "", ` · ${says(e)}`))));
  }

  /** The parts every item row has, built once and cloned: far cheaper than building each. */
  rowTemplate() {
    return this.template ||= h("li", { class: "item" },
      h("div", { class: "row" },
        h("input", { type: "checkbox" }),
        h("label"),
        h("span", { class: "item-tools" }, h("button", { type: "button", "data-status": "na" }, "N/A"), h("button", { type: "button", "data-status": "blocked" }, "Blocked"))),
      this.compact ? null : h("button", { type: "button", class: "more", "aria-expanded": "false" }, "Note, evidence, marks"));
  }

  itemNode(index) {
    const item = this.items[index];
    if (item.kind === "signOff") return null;
    const st = this.runState.items[item.id] || { status: "todo" };
    const li = this.rowTemplate().cloneNode(true);
    li.className = `item ${st.status}${this.inactiveSet.has(item.id) ? " inactive" : ""}${item.critical ? " critical" : ""}`;
    li.id = `item-${item.id}`;
    li.dataset.index = index;
    const row = li.firstChild;
    const [box, label, tools] = row.children;
    box.id = label.htmlFor = `cb-${item.id}`;
    box.checked = st.status === "done";
    label.append(...inline(item.inline));
    if (item.critical) tools.before(this.markTag("critical", "tag critical"));
    if (item.optional) tools.before(this.markTag("optional", "tag"));
    if (st.status === "na" || st.status === "blocked") tools.replaceChildren(h("button", { type: "button", "data-status": "todo" }, "Reopen"));
    const more = row.nextSibling; // null when compact
    if (more && (st.note || st.evidence)) more.textContent = "Note, evidence, marks ✎";
    const extra = [
      st.reason ? h("div", { class: "reason" }, `${st.status === "na" ? "N/A" : "Blocked"}: ${st.reason}`) : null,
      item.details.length ? h("ul", {}, item.details.map((d) => h("li", {}, inline(d.text.inline)))) : null,
      ...item.blocks.map((b) => this.block(b)),
    ].filter(Boolean);
    if (extra.length) row.after(...extra);
    if (more && this.openPanels.has(`editors-${item.id}`)) this.editors(more, true, false, li);
    if (item.children.length) li.append(h("ul", { class: "items" }, item.children.map((c) => this.itemNode(c))));
    return li;
  }

  /** A mark the engine inferred on an item, as a button that shows why and lets it be corrected. */
  markTag(what, className) {
    if (this.compact) return h("span", { class: className }, what);
    return h("button", { type: "button", class: `${className} mark`, "data-why": what, "aria-label": `${what}: why, and correct it` }, what);
  }

  queueItem(list, index) {
    if (this.built < EAGER_ITEMS) {
      const node = this.itemNode(index);
      if (node) { list.append(node); this.built += 1 + this.countDescendants(index); }
    } else this.pending.push([list, index]);
  }

  countDescendants(index) {
    let n = 0; const stack = [...this.items[index].children];
    while (stack.length) { const i = stack.pop(); n++; stack.push(...this.items[i].children); }
    return n;
  }

  /**
   * Rows after the first screen go into parts of their list, one `ul.items.part` per chunk,
   * each skipped by layout while off screen (view.css). Appended to one list, a flat section
   * of 10,000 items was laid out whole for every chunk: 2.2 s to show them all, 17 s for 50,000.
   */
  pump(job) {
    if (job !== this.job) return;
    const chunk = this.pending.splice(0, CHUNK_ITEMS);
    const parts = new Map();
    for (const [list, index] of chunk) {
      const node = this.itemNode(index);
      if (!node) continue;
      let part = parts.get(list);
      if (!part) {
        part = h("ul", { class: "items part" });
        (this.lastPart.get(list) || list).after(part);
        this.lastPart.set(list, part);
        parts.set(list, part);
      }
      part.append(node);
    }
    if (this.pending.length) setTimeout(() => this.pump(job), 0);
    else performance.measure("preflight-render-complete", "preflight-render-start");
  }

  /**
   * Where section `index`'s own content belongs: its gate, or null (notes, references); the
   * text before the first heading and under the title is the "preamble" unless it has a gate
   * (a flat checklist's items sit there).
   */
  ownPart(index) {
    const s = this.model.sections[index];
    return s.gate ?? (index === 0 || this.isTitle(s) ? "preamble" : null);
  }

  isTitle(s) { return s.level === 1 && s.title === this.model.title; } // already the view's title

  /**
   * Which parts (PART bits) each section's subtree holds, so that drawing one part visits only
   * the sections that have something in it: one pass, children after their parents.
   */
  partMasks() {
    const sections = this.model.sections;
    const mask = new Uint8Array(sections.length);
    for (let i = sections.length - 1; i >= 0; i--) {
      mask[i] |= PART[this.ownPart(i)];
      const p = sections[i].parent;
      if (p !== null && p !== undefined) mask[p] |= mask[i];
    }
    return mask;
  }

  /** Is `item` inside section `section` (or one of its subsections)? */
  inSection(item, section) {
    const sections = this.model.sections;
    for (let i = item.section; i !== null && i !== undefined; i = sections[i].parent) if (sections[i] === section) return true;
    return false;
  }

  /**
   * Section `index` as far as it belongs to `part` (a gate, null for no stage, or "preamble"):
   * its heading, items, blocks and fields when its own content belongs there, only its heading
   * (as context, no id) when only some subsections do; null when nothing of it does.
   */
  sectionNode(index, scores, part) {
    if (!(this.masks[index] & PART[part])) return null;
    const s = this.model.sections[index];
    const own = this.ownPart(index) === part;
    const children = s.children.map((c) => this.sectionNode(c, scores, part)).filter(Boolean);
    if (!own && !children.length) return null;
    const content = [];
    const fields = [];
    if (own) {
      let items = null;
      for (const b of s.blocks) {
        if (b.type === "item") {
          if (this.items[b.item].kind === "signOff") continue;
          if (!items) { items = h("ul", { class: "items" }); content.push(items); }
          this.queueItem(items, b.item);
        } else { items = null; content.push(this.block(b)); }
      }
      for (const f of this.model.fields.filter((f) => f.section === index)) {
        const value = this.runState.fields[f.id]?.value || "";
        fields.push(h("div", { class: "field" }, h("label", { for: `field-${f.id}` }, f.label),
          h("input", { id: `field-${f.id}`, value, onchange: (e) => this.change(() => this.run.setField(this.checklist, f.id, e.target.value, undefined, now())) })));
      }
    }
    // A section whose only items are sign-offs (shown in their stage's panel) has nothing to show.
    if (own && !content.length && !fields.length && !children.length && s.blocks.length) return null;
    const level = Math.min(Math.max(s.level + 1, 3), 5);
    const score = scores.get(s.id);
    let heading = null;
    if (index > 0 && !this.isTitle(s)) {
      heading = own
        ? h(`h${level}`, { id: `section-${s.id}`, tabindex: s.gate === "contingency" ? "-1" : null }, s.title, score && score.counts.total ? this.progressLabel(score) : null,
          s.conditional && s.gate !== "contingency" && (index === 0 || !this.model.sections[s.parent]?.conditional) ? h("label", { class: "section-progress" },
            h("input", { type: "checkbox", checked: score?.active, onchange: (e) => this.change(() => this.run.setSection(this.checklist, s.id, e.target.checked, undefined, now())) }), " applies to this deployment") : null,
          this.compact ? null : whyButton(this, s, "section"))
        : h(`h${level}`, { class: "context" }, s.title);
    }
    const reading = own && heading && !this.compact ? this.readingPanel(s, "section") : null;
    return h("section", { class: `checklist-section${own ? "" : " context"}` }, heading, reading, content, fields, children);
  }

  /** The sign-off slots (task lines and others) of one gate (null: none), in document order. */
  slotsOf(gate) {
    return [...this.items.filter((i) => i.kind === "signOff"), ...this.slots]
      .filter((i) => (i.gate ?? null) === gate).sort((a, b) => a.span.start - b.span.start);
  }

  /** A sign-off panel that changeItem can rebuild when a signature may have turned stale. */
  trackedSignOffs(key, slots, stale, options) {
    const make = (st) => signOffPanel(this, slots, st, options);
    const el = make(stale);
    if (el) this.signOffPanels.set(key, { el, make });
    return el;
  }

  /** One stage: its header, its sections, its sign-offs in place, and its pause point. */
  stageNode(g, i, stages, where, scores, stale, anySlots) {
    const at = where.stages.get(g.gate);
    const name = STAGE_NAMES[g.gate];
    const panel = this.trackedSignOffs(g.gate, this.slotsOf(g.gate), stale,
      { title: stages.length > 1 ? `Sign-off: ${name}` : "Sign-off", empty: i === 0 && !anySlots ? "This checklist has no sign-off lines." : null });
    return h("section", { class: `stage ${g.gate}${at.current && !where.closed ? " current" : ""}${at.passed ? " passed" : ""}`, "aria-labelledby": `stage-${g.gate}` },
      stageHeader(this, g, at, stages.length > 1 ? i + 1 : 0, where),
      this.sectionNode(0, scores, g.gate), panel, stageFooter(this, g, at, where));
  }

  /**
   * The contingency procedures (rollback, incident): each folded until someone starts it, then
   * shown with who started it, when and why, and counted in the contingency gate.
   */
  contingencyNode(card, scores, stale) {
    const sections = this.model.sections;
    const tops = sections.map((s, i) => [s, i]).filter(([s]) => s.gate === "contingency" && sections[s.parent]?.gate !== "contingency");
    if (!tops.length) return null;
    const timeline = this.runState.timeline || [];
    let started = 0;
    const parts = tops.map(([s, i]) => {
      const event = timeline.find((e) => e.event === "contingency-started" && e.section === s.id);
      if (!event && !(s.conditional && this.runState.sections[s.id]?.on)) {
        this.folded.add(s.id);
        const fold = contingencyFold(this, s, this.compact ? null : whyButton(this, s, "section"));
        fold.querySelector("h3").after(this.readingPanel(s, "section") || "");
        return fold;
      }
      started++;
      const node = this.sectionNode(i, scores, "contingency");
      if (node && event) node.querySelector(":scope > h3, :scope > h4, :scope > h5")?.after(
        h("p", { class: "started" }, `Started${event.by ? ` by ${event.by}` : ""}, `, h("time", { datetime: event.at }, when(event.at)), event.note ? `: ${event.note}` : ""));
      return node;
    });
    this.contingencyStarted = started;
    return h("section", { class: "stage contingency", "aria-labelledby": "stage-contingency" },
      this.contingencyHeader(card.gates.find((x) => x.gate === "contingency")),
      parts, started ? this.trackedSignOffs("contingency", this.slotsOf("contingency"), stale, { title: "Sign-off: Contingency" }) : null);
  }

  /** The contingency gate's header: its figures once a procedure has started. */
  contingencyHeader(g) {
    const started = this.contingencyStarted && g;
    return h("header", { class: "stage-head", id: "stage-head-contingency" },
      h("h2", { id: "stage-contingency", tabindex: "-1" }, STAGE_NAMES.contingency, " ",
        started ? [verdictChip(g.verdict), g.verdict === null ? null : h("span", { class: "stage-score" }, `${percent(g.scoreTenths)} · ${g.band.label}`)] : null),
      h("p", { class: "muted" }, started ? `${g.counts.done}/${g.counts.applicable} steps done · ${g.counts.na} N/A · ${g.counts.blocked} blocked. Procedures not started stay folded.`
        : "Rollback and incident procedures stay folded until someone starts one."));
  }

  /** Parts of the document in no stage (notes, references, contacts), after the stages. */
  otherParts(scores, stale) {
    const body = this.sectionNode(0, scores, null);
    const panel = this.trackedSignOffs("none", this.slotsOf(null), stale, { title: "Other sign-offs" });
    if (!body && !panel) return null;
    return h("section", { class: "stage other", "aria-labelledby": "stage-other" },
      h("header", { class: "stage-head" }, h("h2", { id: "stage-other" }, "Notes and references")), body, panel);
  }

  render(cause = "render") {
    performance.mark("preflight-render-start");
    const card = this.checklist.scoreGate(this.run, "all");
    this.inactiveSet = new Set(card.inactive);
    this.runState = this.run.toObject(); // once per render, not once per item
    const scores = new Map(card.sections.map((s) => [s.id, s]));
    this.offSections = new Set(card.sections.filter((s) => s.conditional && !s.active).map((s) => s.id));
    const stages = stagesOf(card);
    const where = progress(stages, this.runState);
    const focus = this.container.getRootNode().activeElement?.id;
    this.sectionLabels = new Map();
    this.signOffPanels = new Map();
    this.folded = new Set();
    this.masks = this.partMasks();
    this.built = 0;
    this.pending = [];
    this.lastPart = new Map();
    const job = ++this.job;
    const stale = new Set(card.staleSignOffs);
    const anySlots = this.slots.length > 0 || this.items.some((i) => i.kind === "signOff");
    // Built in document order of the page, so that rows render progressively in that order.
    const preamble = this.sectionNode(0, scores, "preamble");
    const stageNodes = stages.map((g, i) => this.stageNode(g, i, stages, where, scores, stale, anySlots));
    const contingency = this.contingencyNode(card, scores, stale);
    const other = this.otherParts(scores, stale);
    this.container.replaceChildren(this.summary(stages, where), this.correctionsBar() || "", this.outline(scores) || "",
      preamble || "", ...stageNodes, contingency || "", other || "", timelinePanel(this, stages, where, this.runState));
    if (focus) this.byId(focus)?.focus();
    performance.measure("preflight-render", "preflight-render-start");
    if (this.pending.length) setTimeout(() => this.pump(job), 0);
    else performance.measure("preflight-render-complete", "preflight-render-start");
    this.onChange?.(this, beforeGate(card), cause);
  }
}

/** Bits for the parts of the page a section's content can belong to (ChecklistView.partMasks). */
const PART = { preamble: 1, before: 2, during: 4, after: 8, contingency: 16, null: 32 };

/** The before gate's card ("may we deploy?"): what onChange and the element's events report. */
function beforeGate(card) {
  return card.gates.find((g) => g.gate === "before") || card;
}

/** The name last given in a who-dialog, remembered per storage namespace. */
function whoKey(store) { return `preflight/1/${store?.namespace || "app"}/who`; }
function readWho(store) { try { return localStorage.getItem(whoKey(store)) || ""; } catch { return ""; } }
function saveWho(store, who) { try { localStorage.setItem(whoKey(store), who); } catch { /* remembered for this page only */ } }

function sectionProgress(score) {
  const shown = score.counts.applicable ? percent(score.scoreTenths) : score.conditional && !score.active ? "off" : "—";
  return `${score.counts.done}/${score.counts.applicable} · ${shown}`;
}
