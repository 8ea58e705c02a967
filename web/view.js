// The checklist view: a run of one checklist rendered into a container (in the page, the embed
// page, or the shadow root of <preflight-checklist>), kept in step with the engine and saved
// after every change. Every decision (what an item is, the score, the verdict) is the engine's.
import { h, inline, percent, now, download, fileBase } from "./dom.js";

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
export function latestRun(store, checklist) {
  const runs = store ? store.runsOf(checklist.sourceSha256) : [];
  return runs.length ? store.loadRun(checklist.sourceSha256, runs[0].id) : null;
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
   */
  constructor(container, { store = null, notice, compact = false, titleTag = "h1", afterSave, onChange } = {}) {
    Object.assign(this, { container, store, notice, compact, titleTag, afterSave, onChange });
    container.classList.add("pf-view");
    this.checklist = null;
    this.drafts = new Map();
    this.pending = [];
    this.lastPart = new Map();
    this.job = 0;
    this.delegate();
  }

  /** The element with this id in the view's document or shadow root. */
  byId(id) { return this.container.getRootNode().getElementById(id); }

  /** Show `run` of `checklist`; pass `model` when the caller already has checklist.model(). */
  open(checklist, run, name, model = checklist.model()) {
    this.checklist = checklist;
    this.model = model;
    this.items = this.model.items;
    this.byItemId = new Map(this.items.map((i) => [i.id, i]));
    this.run = run;
    this.name = name;
    if (this.store) {
      try { this.store.saveTemplate(checklist, name, now()); } catch (e) { this.notice.show(`The checklist could not be kept in this browser: ${e.message}`); }
    }
    this.save();
    this.render("open");
  }

  /** Save at once; on any failure say so, offer the run as a file, and keep working in memory. */
  save() {
    if (!this.store || !this.run) return;
    try {
      this.store.saveRun(this.run);
      this.afterSave?.(this);
      this.notice.clear("save");
    } catch (e) {
      const full = e.name === "PreflightQuotaError";
      this.notice.show(full ? "Browser storage is full: this change is kept in this tab only. " : `Could not save: ${e.message}. `, "error",
        h("button", { type: "button", onclick: () => downloadRun(this.run) }, "Download the run"));
      this.notice.kind = "save";
    }
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

  /** Another tab (or embed) saved this run: take its changes, keep ours. */
  watch() {
    this.store?.watch((sha, runId) => {
      if (!this.run || sha !== this.checklist.sourceSha256 || runId !== this.run.id) return;
      try { const theirs = this.store.loadRun(sha, runId); if (theirs) { this.run.merge(theirs); this.render("merge"); } } catch { /* corrupt: kept aside by the store */ }
    });
  }

  /** A change that may reshape the page (fields, sections, sign-offs): save and re-render. */
  change(fn) {
    try { fn(); } catch (e) { this.notice.show(e.message, "error"); return; }
    this.save();
    this.render("change");
  }

  /** A change to one item: update its row, the header and the section figures in place. */
  changeItem(id, fn) {
    try { fn(); } catch (e) { this.notice.show(e.message, "error"); return; }
    this.save();
    // Only the item's own section and those above it can move: a click costs the same on a
    // checklist of 50,000 sections as on one of five.
    const card = this.checklist.scoreForItem(this.run, id);
    this.runState = this.run.toObject();
    const old = this.byId(`item-${id}`);
    const inactiveBefore = this.inactiveSet || new Set();
    this.inactiveSet = new Set(card.inactive);
    // Optional items move in or out of the score; anything else changing class needs a full render.
    if (!old || card.inactive.length !== inactiveBefore.size || card.inactive.some((x) => !inactiveBefore.has(x))) return this.render("change");
    const focus = this.container.getRootNode().activeElement?.id;
    const fresh = this.itemNode(Number(old.dataset.index));
    old.replaceWith(fresh);
    // Editors that were open stay open (a note was just saved from one of them).
    if (old.querySelector(":scope > button.more[aria-expanded=true]")) this.editors(fresh.querySelector(":scope > button.more"), true, false);
    this.container.querySelector(".summary").replaceWith(this.summary(card));
    for (const s of card.sections) {
      for (const label of this.sectionLabels.get(s.id) || []) label.textContent = sectionProgress(s);
    }
    // Only signatures can turn stale; with none, nothing in the panel depends on this item.
    if (card.signOffs.signed) this.container.querySelector(".signoffs").replaceWith(this.signOffPanel(card));
    if (focus) this.byId(focus)?.focus();
    this.onChange?.(this, card, "change");
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

  summary(card) {
    const blocking = card.reasons.map((r) => h("li", {}, r.message,
      r.items?.length ? [" — ", ...r.items.slice(0, 5).flatMap((id, i) => {
        const item = this.byItemId.get(id);
        return [i ? ", " : "", h("a", { href: `#item-${id}`, onclick: (e) => this.reveal(e, `item-${id}`) }, item?.signOff?.role || item?.text || id)];
      })] : null));
    const fill = h("span");
    fill.style.width = `${card.scoreTenths / 10}%`; // CSSOM, which the CSP allows (style attributes it would not)
    return h("section", { class: "summary", "aria-label": "Readiness" },
      h(this.titleTag, {}, this.model.title),
      this.compact ? null : h("p", { class: "muted" }, `Run “${this.run.name}” · ${this.name}`),
      h("p", {},
        h("span", { class: `verdict ${card.verdict}`, id: "verdict" }, card.verdict === "go" ? "GO" : "NO-GO"),
        h("span", { class: "score", id: "score" }, percent(card.scoreTenths)),
        h("span", { id: "band" }, card.band.label)),
      h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(card.scoreTenths / 10), "aria-label": "Score" }, fill),
      h("p", { id: "counts" }, `${card.counts.done}/${card.counts.applicable} items done · ${card.counts.na} N/A · ${card.counts.blocked} blocked · ${card.signOffs.signed}/${card.signOffs.total} sign-offs signed`),
      this.compact ? null : blocking.length ? h("div", { class: "reasons" }, h("strong", {}, "What blocks GO"), h("ul", { id: "reasons" }, blocking)) : h("p", {}, "Nothing blocks GO."));
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
      .filter(([s, index, score]) => index > 0 && score?.counts.total && !(s.level === 1 && s.title === this.model.title));
    if (rows.length < 2) return null;
    const top = Math.min(...rows.map(([s]) => s.level));
    const list = h("ol", {}, rows.map(([s, , score]) => h("li", { class: `depth-${Math.min(s.level - top, 3)}` },
      h("a", { href: `#section-${s.id}`, onclick: (e) => this.reveal(e, `section-${s.id}`) }, s.title), " ", this.progressLabel(score))));
    // Open when it fits on a screen; a long checklist's outline is one click away.
    return h("details", { class: "outline", open: rows.length <= 15 },
      h("summary", {}, `Sections (${rows.length})`), h("nav", { "aria-label": "Sections" }, list));
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
      else if (e.target.dataset.edit === "note") this.changeItem(item.id, () => this.run.setNote(this.checklist, item.id, e.target.value, undefined, now()));
      else if (e.target.dataset.edit === "evidence") this.changeItem(item.id, () => this.run.setEvidence(this.checklist, item.id, e.target.value, undefined, now()));
    });
    this.container.addEventListener("click", (e) => {
      const button = e.target.closest("button[data-status], button.more");
      const item = button && this.itemOf(button);
      if (!item) return;
      if (button.dataset.status) this.setStatus(item, button.dataset.status);
      else this.editors(button, button.getAttribute("aria-expanded") !== "true", true);
    });
  }

  /**
   * Show or hide an item's note and evidence editors. They are built when first opened:
   * 10,000 idle textareas (or <details> elements, each with its own shadow tree) would triple
   * the time to render a long checklist.
   */
  editors(toggle, open, focus) {
    const item = this.itemOf(toggle);
    toggle.setAttribute("aria-expanded", String(open));
    let editors = toggle.nextElementSibling?.classList.contains("editors") ? toggle.nextElementSibling : null;
    if (!editors && open) {
      const st = this.runState.items[item.id] || {};
      editors = h("div", { class: "editors", id: `editors-${item.id}` },
        h("label", {}, "Note", h("textarea", { id: `note-${item.id}`, rows: 2, "data-edit": "note" }, st.note || "")),
        h("label", {}, "Evidence (command output)", h("textarea", { id: `evidence-${item.id}`, rows: 4, "data-edit": "evidence" }, st.evidence || "")));
      toggle.after(editors);
      toggle.setAttribute("aria-controls", editors.id);
    } else if (editors) editors.hidden = !open;
    if (open && focus) editors.querySelector("textarea").focus();
  }

  /** The parts every item row has, built once and cloned: far cheaper than building each. */
  rowTemplate() {
    return this.template ||= h("li", { class: "item" },
      h("div", { class: "row" },
        h("input", { type: "checkbox" }),
        h("label"),
        h("span", { class: "item-tools" }, h("button", { type: "button", "data-status": "na" }, "N/A"), h("button", { type: "button", "data-status": "blocked" }, "Blocked"))),
      this.compact ? null : h("button", { type: "button", class: "more", "aria-expanded": "false" }, "Note and evidence"));
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
    if (item.critical) tools.before(h("span", { class: "tag critical" }, "critical"));
    if (item.optional) tools.before(h("span", { class: "tag" }, "optional"));
    if (st.status === "na" || st.status === "blocked") tools.replaceChildren(h("button", { type: "button", "data-status": "todo" }, "Reopen"));
    const more = row.nextSibling; // null when compact
    if (more && (st.note || st.evidence)) more.textContent = "Note and evidence ✎";
    const extra = [
      st.reason ? h("div", { class: "reason" }, `${st.status === "na" ? "N/A" : "Blocked"}: ${st.reason}`) : null,
      item.details.length ? h("ul", {}, item.details.map((d) => h("li", {}, inline(d.text.inline)))) : null,
      ...item.blocks.map((b) => this.block(b)),
    ].filter(Boolean);
    if (extra.length) row.after(...extra);
    if (item.children.length) li.append(h("ul", { class: "items" }, item.children.map((c) => this.itemNode(c))));
    return li;
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

  sectionNode(index, scores) {
    const s = this.model.sections[index];
    const score = scores.get(s.id);
    const content = [];
    let items = null;
    for (const b of s.blocks) {
      if (b.type === "item") {
        if (this.items[b.item].kind === "signOff") continue;
        if (!items) { items = h("ul", { class: "items" }); content.push(items); }
        this.queueItem(items, b.item);
      } else { items = null; content.push(this.block(b)); }
    }
    const fields = this.model.fields.filter((f) => f.section === index).map((f) => {
      const value = this.runState.fields[f.id]?.value || "";
      return h("div", { class: "field" }, h("label", { for: `field-${f.id}` }, f.label),
        h("input", { id: `field-${f.id}`, value, onchange: (e) => this.change(() => this.run.setField(this.checklist, f.id, e.target.value, undefined, now())) }));
    });
    const level = Math.min(Math.max(s.level, 2), 4);
    const isTitle = s.level === 1 && s.title === this.model.title; // already the view's title
    const progress = score && score.counts.total ? this.progressLabel(score) : null;
    const heading = index === 0 || isTitle ? null : h(`h${level}`, { id: `section-${s.id}` }, s.title, progress,
      s.conditional && (index === 0 || !this.model.sections[s.parent]?.conditional) ? h("label", { class: "section-progress" },
        h("input", { type: "checkbox", checked: score?.active, onchange: (e) => this.change(() => this.run.setSection(this.checklist, s.id, e.target.checked, undefined, now())) }), " applies to this deployment") : null);
    const children = s.children.map((c) => this.sectionNode(c, scores)).filter(Boolean);
    // A section whose only items are sign-offs (shown in the sign-off panel) has nothing to show.
    if (!content.length && !fields.length && !children.length && s.blocks.length) return null;
    return h("section", { class: "checklist-section" }, heading, content, fields, children);
  }

  /**
   * The sign-off slots. What someone has typed into a slot but not yet signed is a draft kept
   * by the view, so rebuilding the panel (a tick elsewhere, signing another slot, another
   * tab's change) never wipes it.
   */
  signOffPanel(card) {
    const run = this.runState;
    const stale = new Set(card.staleSignOffs);
    const slots = this.items.filter((i) => i.kind === "signOff").map((item) => {
      const sig = run.signOffs[item.id]?.signature;
      const key = `${this.run.id} ${item.id}`; // drafts outlive a re-open of the same run
      const draft = sig ? null : this.drafts.get(key);
      const keep = () => this.drafts.set(key, { name: name.value, date: date.value, meaning: meaning.value });
      const name = h("input", { "aria-label": `${item.signOff.role}: name`, placeholder: "Name", value: sig?.name || draft?.name || "", oninput: keep });
      const date = h("input", { type: "date", "aria-label": `${item.signOff.role}: date`, value: sig?.date || draft?.date || new Date().toISOString().slice(0, 10), oninput: keep });
      const chosen = sig?.meaning || draft?.meaning;
      const meaning = h("select", { "aria-label": `${item.signOff.role}: meaning`, onchange: keep }, ["approved", "reviewed", "deployed", "verified"].map((m) => h("option", { value: m, selected: chosen === m }, m)));
      return h("div", { class: "signoff", id: `item-${item.id}` },
        h("strong", {}, item.signOff.role), name, date, meaning,
        sig ? h("span", {}, stale.has(item.id) ? h("span", { class: "stale" }, "stale ") : "signed ",
              h("button", { type: "button", onclick: () => this.change(() => this.run.unsign(this.checklist, item.id, undefined, now())) }, "Unsign"))
            : h("button", { type: "button", onclick: () => this.change(() => {
              this.run.sign(this.checklist, item.id, name.value, date.value, meaning.value, undefined, name.value, now());
              this.drafts.delete(key);
            }) }, "Sign"));
    });
    return h("section", { class: "signoffs", "aria-label": "Sign-off" }, h("h2", {}, "Sign-off"),
      slots.length ? slots : h("p", { class: "muted" }, "This checklist has no sign-off lines."));
  }

  render(cause = "render") {
    performance.mark("preflight-render-start");
    const card = this.checklist.score(this.run);
    this.inactiveSet = new Set(card.inactive);
    this.runState = this.run.toObject(); // once per render, not once per item
    const scores = new Map(card.sections.map((s) => [s.id, s]));
    const focus = this.container.getRootNode().activeElement?.id;
    this.sectionLabels = new Map();
    this.built = 0;
    this.pending = [];
    this.lastPart = new Map();
    const job = ++this.job;
    this.container.replaceChildren(this.summary(card), this.outline(scores) || "", this.sectionNode(0, scores) || "", this.signOffPanel(card));
    if (focus) this.byId(focus)?.focus();
    performance.measure("preflight-render", "preflight-render-start");
    if (this.pending.length) setTimeout(() => this.pump(job), 0);
    else performance.measure("preflight-render-complete", "preflight-render-start");
    this.onChange?.(this, card, cause);
  }
}

function sectionProgress(score) {
  const shown = score.counts.applicable ? percent(score.scoreTenths) : score.conditional && !score.active ? "off" : "—";
  return `${score.counts.done}/${score.counts.applicable} · ${shown}`;
}
