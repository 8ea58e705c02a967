// The details panel: one item at a time, opened from its row's Details button. It holds the
// item's note and evidence (evidence takes pasted command output or a dropped text file), its
// marks with their why and corrections (reading.js), and its history from the run's log.
// Beside the list on a wide view, a sheet at the bottom of a narrow one (view.css decides by the
// view's own width). It saves as you type, but the run's log gets one entry per edit: a field
// is handed to the engine only after a pause in typing or on leaving it, and only when its text
// changed. What has been typed and not yet handed over is a draft kept by the view (view.drafts,
// as the sign-off slots' are), and the panel itself outlives every re-render of the page, so a
// tick elsewhere or another tab's merge never touches text being typed.
// It must never decide anything about the item: status, marks and history are the engine's.
import { h, now, when } from "./dom.js";
import { itemMarks } from "./reading.js";

const NOT_SAVED = "Not saved: see the message above.";

/** How long typing must pause before a field is saved. */
const PAUSE_MS = 600;
/** The largest text file taken as evidence by dropping it. */
const MAX_DROP_BYTES = 1024 * 1024;
/** The fields: label, rows, the run's method. */
const FIELDS = {
  note: ["Note", 3, "setNote"],
  evidence: ["Evidence (command output)", 6, "setEvidence"],
};
const STATUS = { todo: "Open", done: "Done", na: "N/A", blocked: "Blocked" };

export class DetailsPanel {
  constructor(view) {
    this.view = view;
    this.id = null; // the item shown, or null when closed
    this.timers = {};
    this.committed = {}; // per field: the text last handed to the engine (or read from the run)
    this.stored = {}; // per field: the run's text when the box last took it, or after a hand-over
    this.handing = null; // the field being handed to the engine right now
    this.historyOpen = true;
    // "editors": app.js's shortcuts never fire inside it.
    this.el = h("section", { class: "details editors", id: "details", "aria-label": "Details", hidden: true });
    this.el.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !e.isComposing) { e.preventDefault(); e.stopPropagation(); this.close(true); }
    });
    this.el.addEventListener("input", (e) => { if (e.target.dataset?.edit) this.edited(e.target.dataset.edit); });
    // Handed over as it loses focus (its redraw waits for a press's click: view.changeItem),
    // with focus kept where it was going: a hand-over made by Tab redraws the row and the marks
    // before focus arrives.
    this.el.addEventListener("focusout", (e) => {
      const name = e.target.dataset?.edit;
      if (!name) return;
      const next = e.relatedTarget;
      this.commit(name);
      this.view.refocus(next);
    });
    this.el.addEventListener("change", (e) => {
      if (e.target.dataset?.mark) this.view.correct({ id: this.id, what: e.target.dataset.mark, value: String(e.target.checked) }, e.target.id);
    });
    this.el.addEventListener("toggle", (e) => { if (e.target.classList?.contains("history")) this.historyOpen = e.target.open; }, true);
  }

  /** The key of a field's draft (view.draftKey). */
  key(field, id = this.id) { return this.view.draftKey(field, id); }

  area(field) { return this.id === null ? null : this.view.byId(`${field}-${this.id}`); }

  /** Open the panel on item `id`; focus goes into it (to `focus`, an element id, or the note). */
  open(id, { focus = null } = {}) {
    const item = this.view.byItemId.get(id);
    if (!item || item.kind !== "task") return;
    if (this.id !== id) {
      if (this.id !== null) { this.flush(); this.expanded(this.id, false); }
      this.id = id;
      this.runId = this.view.run.id;
      this.runSha = this.view.run.templateSha256;
      this.build(item);
      this.el.hidden = false;
      this.view.body.classList.add("with-details");
      this.expanded(id, true);
    }
    (focus ? this.view.byId(focus) : this.area("note"))?.focus();
    // A sheet covers the lower part of the screen: bring the row above it.
    if (getComputedStyle(this.el).position === "fixed") this.view.rowOf(id)?.scrollIntoView({ block: "start" });
  }

  /** Open it on `id`, or close it when it shows `id` already (the row's button toggles). */
  toggle(id) {
    if (this.id === id) this.close(true); else this.open(id);
  }

  /** Close the panel, saving what was typed; `returnFocus`: back to the item's Details button. */
  close(returnFocus = false) {
    if (this.id === null) return;
    this.flush();
    const id = this.id;
    this.hide();
    if (returnFocus) this.view.rowOf(id)?.querySelector(":scope > .row .details-button")?.focus();
  }

  /** Hide without saving (another run is opened; its drafts stay in view.drafts). */
  hide() {
    for (const t of Object.values(this.timers)) clearTimeout(t);
    this.timers = {};
    const id = this.id;
    const inside = this.el.contains(this.view.root.activeElement);
    this.id = null;
    this.el.hidden = true;
    this.el.replaceChildren();
    this.view.body?.classList.remove("with-details");
    if (id !== null) this.expanded(id, false);
    if (inside) this.view.byId("view-title")?.focus();
  }

  /** The row's Details button says whether the panel shows its item. */
  expanded(id, open) {
    this.view.byId(`details-btn-${id}`)?.setAttribute("aria-expanded", String(open));
  }

  build(item) {
    const st = this.view.runState.items[item.id] || {};
    this.committed = { note: st.note || "", evidence: st.evidence || "" };
    this.stored = { ...this.committed };
    const field = (name) => {
      const [label, rows] = FIELDS[name];
      const id = `${name}-${item.id}`;
      const draft = this.view.drafts.get(this.key(name, item.id));
      // Command output keeps its lines as they are (scrolls sideways rather than wrapping).
      const area = h("textarea", { id, rows, "data-edit": name, spellcheck: name === "note" ? null : "false", wrap: name === "evidence" ? "off" : null,
        "aria-describedby": name === "evidence" ? "details-evidence-hint" : null }, draft ?? this.committed[name]);
      return [h("label", { for: id }, label), area];
    };
    const [evidenceLabel, evidence] = field("evidence");
    evidence.addEventListener("dragover", (e) => { e.stopPropagation(); });
    evidence.addEventListener("drop", (e) => this.dropped(e, evidence));
    this.el.replaceChildren(
      h("header", { class: "details-head" },
        h("div", {}, h("p", { class: "details-kicker" }, "Details"), h("h2", { class: "details-item", id: "details-item", tabindex: "-1" })),
        h("button", { type: "button", class: "details-close", id: "details-close", "aria-label": "Close details" }, "Close")),
      h("p", { class: "details-status", id: "details-status" }),
      ...field("note"),
      evidenceLabel, evidence,
      h("p", { class: "muted details-hint", id: "details-evidence-hint" }, "Paste command output, or drop a text file here."),
      h("p", { class: "details-saved muted", id: "details-saved", role: "status" }),
      h("div", { class: "details-more" }));
    this.el.querySelector("#details-close").addEventListener("click", () => this.close(true));
    this.refresh();
  }

  /**
   * After the page was redrawn or the item changed: the item's text, status, marks and history
   * again. A field takes the run's text only when that text changed elsewhere (another tab, a
   * merge) and nothing typed is pending in it. Not after its own hand-over: the engine trims what
   * it keeps, and writing that back into the box took the space or line break just typed before
   * a pause.
   */
  refresh() {
    if (this.id === null) return;
    const item = this.view.byItemId.get(this.id);
    if (!item || item.kind !== "task" || this.view.run.id !== this.runId || this.view.run.templateSha256 !== this.runSha) return this.hide();
    const st = this.view.runState.items[item.id] || { status: "todo" };
    this.el.querySelector("#details-item").textContent = item.text;
    this.el.setAttribute("aria-label", `Details: ${item.text}`);
    const status = this.el.querySelector("#details-status");
    status.replaceChildren(h("strong", {}, STATUS[st.status] || st.status), st.reason ? `: ${st.reason}` : "",
      st.at && st.status !== "todo" ? h("span", { class: "muted" }, ` · ${st.by ? `${st.by}, ` : ""}`, h("time", { datetime: st.at }, when(st.at))) : "");
    for (const name of Object.keys(FIELDS)) {
      const area = this.area(name);
      const stored = st[name] || "";
      if (!area || name === this.handing || stored === this.stored[name]) continue;
      if (!this.view.drafts.has(this.key(name)) && area.value === this.committed[name]) {
        area.value = stored;
        this.committed[name] = stored;
        this.stored[name] = stored;
      }
    }
    const history = this.view.history(item.id);
    if (history.tagName === "DETAILS") history.open = this.historyOpen;
    this.el.querySelector(".details-more").replaceChildren(itemMarks(this.view, item), history);
  }

  /** Typing: keep the draft, and save once typing pauses. */
  edited(name) {
    const area = this.area(name);
    if (!area) return;
    this.view.drafts.set(this.key(name), area.value);
    clearTimeout(this.timers[name]);
    this.timers[name] = setTimeout(() => this.commit(name), PAUSE_MS);
    this.say("");
  }

  /** Hand a field's text to the engine if it changed since it was last handed over: one log entry. */
  commit(name) {
    clearTimeout(this.timers[name]);
    delete this.timers[name];
    const area = this.area(name);
    if (!area) return;
    const value = area.value;
    this.view.drafts.delete(this.key(name));
    if (value === this.committed[name]) return;
    this.committed[name] = value;
    const id = this.id;
    const method = FIELDS[name][2];
    this.handing = name;
    try {
      this.view.changeItem(id, () => this.view.run[method](this.view.checklist, id, value, undefined, now()));
    } finally {
      this.handing = null;
    }
    this.stored[name] = this.view.runState.items[id]?.[name] || "";
    this.view.handed(name, id);
    const view = this.view;
    Promise.resolve(view.saving).then(() => {
      if (this.id === id) this.say(view.unsaved ? NOT_SAVED : view.store && view.keep ? "Saved." : "Kept in this tab only.");
    });
  }

  /** What is typed in the panel and not yet handed over, as the view's journal keeps it. */
  pending() {
    if (this.id === null) return [];
    return Object.keys(FIELDS).map((kind) => ({ sha: this.runSha, run: this.runId, kind, id: this.id, value: this.area(kind)?.value,
      at: this.view.drafts.typedAt(this.view.draftKey(kind, this.id, this.runId, this.runSha)) }))
      .filter((e) => typeof e.value === "string" && e.value !== this.committed[e.kind]);
  }

  /** Save both fields now (closing, switching items, leaving the page; view.js calls it then). */
  flush() {
    if (this.id === null) return;
    for (const name of Object.keys(FIELDS)) this.commit(name);
  }

  say(text) {
    const el = this.el.querySelector("#details-saved");
    if (el && el.textContent !== text) el.textContent = text;
  }

  /** A later save stored the run (a retry, or storage free again): "Not saved" no longer holds. */
  savedLater() {
    const el = this.el.querySelector("#details-saved");
    if (el?.textContent === NOT_SAVED) this.say(this.view.store && this.view.keep ? "Saved." : "Kept in this tab only.");
  }

  /** A text file dropped on the evidence: its text goes where the caret is, and is saved at once. */
  async dropped(e, area) {
    e.stopPropagation(); // not the page's drop, which would import the file as a checklist
    const file = e.dataTransfer?.files?.[0];
    if (!file) return; // dropped text: the textarea inserts it itself
    e.preventDefault();
    if (file.size > MAX_DROP_BYTES) return this.say(`${file.name} is larger than 1 MB: paste the part that matters instead.`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.subarray(0, 8192).includes(0)) return this.say(`${file.name} is not a text file.`);
    const text = new TextDecoder().decode(bytes);
    if (!area.isConnected) return;
    area.focus();
    area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
    this.edited("evidence");
    this.commit("evidence");
  }
}

/**
 * What happened to one item or slot, from the run's hash-linked log (oldest first): when, who,
 * what changed from what to what. The same log `preflight verify` checks link by link.
 */
export function historyOf(runState, id) {
  const entries = (runState.log || []).filter((e) => e.target === id);
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
