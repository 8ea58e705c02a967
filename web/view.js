// The checklist view: a run of one checklist rendered into a container (in the page, the embed
// page, or the shadow root of <preflight-checklist>), kept in step with the engine and saved
// after every change. This module coordinates: it holds the checklist and the run, saves them,
// takes other tabs' changes and the corrections kept with the template, and decides what to
// redraw after a change. Each part of the page is drawn by its own module:
//   summary.js   title, run, provenance, the stages in order; the sticky status bar
//   outline.js   the section outline with each section's progress
//   stages.js    each stage: header, sections, sign-offs, pause point; contingency; timeline
//   sections.js  a section in its stage: heading, conditional switch, items, blocks, fields
//   rows.js      one row per item; parts.js puts the rows after the first screen in place
//   details.js   the details panel: note, evidence, marks, history
//   signoffs.js  approvals and records; reading.js why and correct; dialogs.js who and why
// Every decision (what an item is, the score, the verdict) is the engine's.
import { Checklist, Stored } from "./engine.js";
import { exportReport } from "./extra.js";
import { h, now, download, fileBase, plainJson, plainParse } from "./dom.js";
import { correctedOn, unitedCorrections } from "./store.js";
import { STAGE_NAMES, documentValue, toggleReading, readingPanel, correctionsBar } from "./reading.js";
import { stagesOf, progress, stageNode, contingencyNode, otherParts, refreshStageHeads, timelinePanel } from "./stages.js";
import { summary, statusBar, originLabel } from "./summary.js";
import { outline } from "./outline.js";
import { writeJournal, dropJournal, takeJournal } from "./journal.js";
import { sectionNode, sectionProgress, partMasks, tasksUnder } from "./sections.js";
import { itemRow } from "./rows.js";
import { Parts } from "./parts.js";
import { DetailsPanel, historyOf } from "./details.js";
import { askWho, askReason, reasonTyped, readWho } from "./dialogs.js";

export { originLabel };

/** The reports the view can export: file extension, media type. */
const REPORTS = {
  md: ["md", "text/markdown"],
  html: ["html", "text/html"],
  json: ["json", "application/json"],
};

/** The most recently changed run of `checklist` kept in `store`, if any. */
export async function latestRun(store, checklist) {
  const runs = store ? await store.runsOf(checklist.sourceSha256) : [];
  return runs.length ? store.loadRun(checklist.sourceSha256, runs[0].id) : null;
}

/** Offer a run as a JSON file (when storage fails, or from the library). */
export function downloadRun(run) {
  download(`${fileBase(run.name)}.run.json`, run.toJson(), "application/json");
}

/**
 * What is typed and not yet saved, by `draftKey`, with when each was last typed. A draft goes to
 * the journal with that time, not the time the page hid: a field typed an hour ago and never
 * left must not stand over what another tab saved since.
 */
class Drafts extends Map {
  at = new Map();
  set(key, value, at = now()) { this.at.set(key, at); return super.set(key, value); }
  delete(key) { this.at.delete(key); return super.delete(key); }
  /** When the draft under `key` was last typed. */
  typedAt(key) { return this.at.get(key); }
}

/** Two lists of corrections hold the same ones (in any order). */
function sameCorrections(a, b) {
  const keys = (list) => list.map((k) => plainJson([k.id, k.what, k.value])).sort().join("\n");
  return a.length === b.length && keys(a) === keys(b);
}

/** A run's key among runs of any checklist (ids come from run files: never joined by a character). */
const runKey = (run) => plainJson([run.templateSha256, run.id]);

/**
 * The notes, evidence and fields run `copy` changed after its first `logged` history entries,
 * each as typed text now ({sha, run, kind, id, value, at}): what its stored copy lacks of them.
 */
function changedTexts(copy, logged) {
  try {
    const latest = new Map();
    for (const e of plainParse(copy.toJsonAfter(logged)).log || []) {
      if (["note", "evidence", "field"].includes(e?.what) && typeof e.target === "string") latest.set(`${e.what} ${e.target}`, e);
    }
    return [...latest.values()].map((e) => ({ sha: copy.templateSha256, run: copy.id, kind: e.what, id: e.target, value: copy.typed(e.what, e.target), at: e.at }));
  } catch { return []; }
}

/** Views made on this page: each writes a journal of its own. */
let views = 0;

export class ChecklistView {
  /**
   * @param {HTMLElement} container where the view renders (its children are replaced)
   * @param {{store?: any, notice?: any, compact?: boolean, titleTag?: string, afterSave?: Function,
   *   onChange?: Function, onNewVersion?: Function, onKeep?: Function}} [options]
   *   store: a Store or null; notice: a Notice; compact: hide notes, evidence and reasons;
   *   titleTag: the heading for the checklist title; afterSave(view), onChange(view, card, cause)
   *   (card: the before gate's, "may we deploy?"); onNewVersion(text, name): open a new version
   *   of the checklist (offered after its corrections are written into it); onKeep(view): the
   *   user kept a checklist from a link
   */
  constructor(container, { store = null, notice, compact = false, titleTag = "h1", afterSave, onChange, onNewVersion, onKeep } = {}) {
    this.container = container;
    this.store = store;
    this.notice = notice;
    this.compact = compact;
    this.titleTag = titleTag;
    this.afterSave = afterSave;
    this.onChange = onChange;
    this.onNewVersion = onNewVersion;
    this.onKeep = onKeep;
    container.classList.add("pf-view");
    // While an input method composes text (Japanese, Chinese, Korean), the box being composed
    // in must not be redrawn: another tab's change waits for the composition to end, or the
    // redrawn box keeps the half-composed keys ("にひゃく二百" for "二百").
    this.composing = false;
    this.deferred = null;
    container.addEventListener("compositionstart", () => { this.composing = true; });
    container.addEventListener("compositionend", () => {
      this.composing = false;
      const cause = this.deferred;
      this.deferred = null;
      if (cause && !this.destroyed) queueMicrotask(() => this.render(cause));
    });
    this.checklist = null;
    this.drafts = new Drafts(); // what is typed and not yet saved: sign-off slots, notes, evidence
    /** Corrections storage refused, by checklist and mark: they apply on this page still. */
    this.notKept = new Map();
    this.handedOver = new Map(); // the open run's notes, evidence and fields typed here: see `handed`
    this.signedHere = new Map(); // the open run's sign-offs signed here: slot id → when (see `signed`)
    this.leftUnsaved = new Map(); // runs left with a save refused: see `refusedAfterLeaving`
    // Per run: how many entries of its history a save stored (the rest are what storage lacks).
    this.storedLogs = new WeakMap();
    this.openPanels = new Set(); // ids of the panels (readings, corrections, outline) shown open
    this.kept = []; // corrections kept with the template
    this.who = ""; // read from the store when a run is opened (open)
    this.parts = new Parts(this);
    this.details = new DetailsPanel(this);
    this.journalSlot = String(++views);
    // Leaving the page (closing the tab, reloading, switching away on a phone): what was typed is
    // written to the journal at once (web/journal.js), then handed to the engine and saved.
    this.savesPending = 0; // saves started and not yet finished (stored or refused)
    // Every listener outside the view's own container goes when the view does (destroy).
    this.listening = new AbortController();
    const { signal } = this.listening;
    document.addEventListener("visibilitychange", () => {
      const ns = this.store?.namespace;
      if (document.visibilityState !== "hidden") return ns && dropJournal(ns, this.journalSlot);
      this.journal();
      this.details.flush();
    }, { signal });
    // A press in progress (pointer down): a change made meanwhile, such as a note handed over
    // as it loses focus to the checkbox being pressed, goes into the run and is saved at once,
    // but its redraw waits until the press has become its click. Otherwise the click lands on a
    // row already replaced, and the tick is lost. The press ends with its click (after the
    // click's own handlers), or without one: a drag, a cancelled press, a context menu, the
    // window lost; a touch's click can come ~300 ms after the finger lifts.
    this.pressed = false;
    this.afterPress = [];
    const settle = () => {
      if (!this.pressed) return;
      this.pressed = false;
      clearTimeout(this.pressTimer);
      setTimeout(() => this.runAfterPress(), 0);
    };
    // A select's list opens elsewhere and its release never comes here: not a press to wait for.
    document.addEventListener("pointerdown", (e) => {
      if (e.button === 0 && !/** @type {Element} */ (e.composedPath()[0])?.closest?.("select")) this.pressed = true;
    }, { capture: true, signal });
    document.addEventListener("click", settle, { capture: true, signal });
    document.addEventListener("pointerup", () => { clearTimeout(this.pressTimer); this.pressTimer = setTimeout(settle, 400); }, { capture: true, signal });
    for (const type of ["pointercancel", "contextmenu"]) document.addEventListener(type, settle, { capture: true, signal });
    window.addEventListener("blur", settle, { signal });
    // Leaving with work only this page holds (storage refused it, or the run is not kept) asks
    // first. The journal keeps what storage refused; a run not kept is kept nowhere by design.
    window.addEventListener("beforeunload", (e) => { if (this.run && (this.unsaved || this.unkept)) e.preventDefault(); }, { signal });
    // The list and the details panel beside it (or over it, as a sheet): the panel is built
    // once and stays in place while the list is redrawn, so nothing typed in it is disturbed.
    this.list = h("div", { class: "pf-list" });
    this.body = h("div", { class: "pf-body" }, this.list, this.details.el);
    this.top = null; // the summary, status bar, corrections and outline as placed in the container
    this.delegate();
  }

  /**
   * The view is going (an embed loads again, or is taken out of its page): what is typed goes
   * where the page's leaving would put it. Notes and evidence are handed over and saved; a field
   * not yet left and a sign-off's draft go to the journal, with the run itself while its save is
   * unfinished, and come back when the run is next opened (by the view that follows, at once).
   * Then the view stops listening to the page and to other tabs. Saves under way still finish.
   */
  destroy() {
    if (this.destroyed) return;
    this.details.flush();
    this.journal();
    this.listening.abort();
    this.parts.stopListening();
    clearTimeout(this.pressTimer);
    this.afterPress = [];
    // Still on screen until what follows it is drawn: nothing more can be typed into it.
    this.container.inert = true;
  }

  get destroyed() { return this.listening.signal.aborted; }

  /**
   * A save of a run the view has since left (`leave` saved what was typed in it) was refused.
   * It is kept in memory, written to the journal as the page hides, merged in when that run is
   * opened again here, and the user is told, with the run to download.
   */
  refusedAfterLeaving(run, e) {
    this.leftUnsaved.set(runKey(run), run);
    if (this.destroyed) return;
    this.notice.show(`Your last changes to “${run.name}” could not be saved (${e.message}). They are kept in this tab, and come back when it is opened again. `, "error",
      h("button", { type: "button", onclick: () => downloadRun(run) }, "Download the run"));
  }

  /**
   * Another run or checklist takes the view's place: what is typed in the open run goes into it
   * and is saved, as leaving the box would. An import dropped on the page, or one chosen by
   * keyboard, never takes focus from the box first, so nothing else hands it over. A sign-off's
   * draft stays a draft (signing is a person's act), kept for when the run is opened again.
   */
  leave() {
    if (!this.run || !this.checklist) return;
    this.details.flush();
    const { templateSha256: sha, id: runId } = this.run;
    let fields = null; // the run's, read once and only when one of its fields has a draft
    let changed = false;
    for (const [key, value] of this.drafts) {
      const [draftSha, draftRun, kind, id] = JSON.parse(key);
      if (kind !== "field" || draftSha !== sha || draftRun !== runId) continue;
      fields ??= this.run.toObject().fields ?? {};
      const at = this.drafts.typedAt(key) ?? now();
      this.drafts.delete(key);
      if ((fields[id]?.value || "") === value) continue;
      try { this.setTyped("field", id, value, at); changed = true; } catch { /* a field this version no longer has */ }
    }
    if (changed) this.save();
  }

  /** The element with this id in the view's document or shadow root. */
  byId(id) { return this.root.getElementById(id); }

  /**
   * Redraw now, or once the press in progress has made its click (see the constructor); a
   * press held longer than two seconds redraws then.
   */
  whenReleased(fn) {
    if (!this.pressed) return fn();
    this.afterPress.push(fn);
    clearTimeout(this.pressTimer);
    this.pressTimer = setTimeout(() => { this.pressed = false; this.runAfterPress(); }, 2000);
  }

  runAfterPress() {
    for (const fn of this.afterPress.splice(0)) fn();
  }

  /**
   * Focus was on its way to `target` when a redraw replaced it: focus its replacement (same id),
   * so the keyboard goes on where it was going rather than from the top of the page.
   */
  refocus(target) {
    if (target instanceof Element && !target.isConnected && target.id) this.byId(target.id)?.focus();
  }

  /** The view's document or shadow root. */
  get root() { return /** @type {Document | ShadowRoot} */ (this.container.getRootNode()); }

  /**
   * Show `run` of `checklist`; pass `model` when the caller already has checklist.model(). The
   * corrections kept with this template are applied first (the checklist is read again with
   * them), so every way of opening a checklist reads it the same.
   */
  /**
   * @param {any} checklist @param {any} run @param {string} name @param {any} [model]
   * `corrections`: those a shared run was read with where it was made; kept with the ones
   * kept here (which win on the same mark).
   * @param {{origin?: {kind: string, url: string} | null, keep?: boolean | "on-change", revive?: boolean, corrections?: any[]}} [how]
   */
  async open(checklist, run, name, model, { origin = null, keep = true, revive = false, corrections = [] } = {}) {
    this.leave();
    this.details.hide();
    this.handedOver = new Map();
    this.signedHere = new Map();
    this.notice.clear("conflict");
    // This run left here with a save refused: what was done then comes back with it.
    const left = this.leftUnsaved.get(runKey(run));
    if (left && left !== run) { try { run.merge(left); } catch { /* another run of one id */ } }
    this.leftUnsaved.delete(runKey(run));
    this.run = run;
    this.name = name;
    // Where it came from (null: the user's own file) and whether it may be kept: a checklist
    // from a link is kept only once the user says so (keepNow); "on-change" (the sample) is
    // kept with the first change, so merely looking stores nothing.
    this.origin = origin;
    this.keep = keep === true;
    this.keepOnChange = /** @type {boolean | string} */ (keep) === "on-change";
    this.templateKept = false;
    // A run the user brings in on purpose (an import) is kept even if this browser deleted it.
    this.reviving = revive;
    this.deleted = false;
    this.unsaved = false;
    this.unkept = false;
    this.openPanels = new Set();
    if (!this.who) this.who = await readWho(this.store);
    const kept = keep ? await this.loadKept(checklist.sourceSha256) : [];
    this.kept = unitedCorrections(kept, corrections);
    // Corrections not in storage yet (brought by a shared run, or made before the checklist
    // was kept) go there with the next save that keeps the run.
    this.keptUnsaved = this.kept.length > kept.length;
    if (this.kept.length) this.use(Checklist.parseWithCorrections(checklist.text, this.kept));
    else this.use(checklist, model);
    this.reasonAgain = null;
    if (this.restore() && this.keepOnChange) { this.keep = true; this.keepOnChange = false; }
    this.render("open");
    const again = this.reasonAgain;
    this.reasonAgain = null;
    if (again?.value.status === "contingency") this.startContingency(this.model.sections.find((s) => s.id === again.id), again.value.label || "Start", again.value.text);
    else if (again) this.setStatus(this.byItemId.get(again.id), again.value.status, again.value.text);
    if (this.keep) await this.save();
  }

  /**
   * Write this page's journal now: what is typed and not yet saved and, while a save of the open
   * run has not finished or was refused, the run itself. A tick is saved at once, but IndexedDB
   * finishes a write after the event that starts it: a page reloaded or closed within that time
   * (tens of milliseconds; more on a busy machine or with a long run) lost the tick.
   */
  journal() {
    const ns = this.store?.namespace;
    // A destroyed view wrote its journal as it went; what the next view took from it stays taken.
    if (!ns || this.destroyed) return;
    const entries = this.pending();
    const run = this.run;
    const copies = [...this.leftUnsaved.values()].filter((left) => left !== run);
    if (run && this.keep && (this.savesPending > 0 || this.unsaved)) copies.push(run);
    for (const copy of copies) {
      // The whole run, or where it is too large to keep (the history keeps each note's text
      // before and after every edit: a long run passes localStorage's few MB), what the stored
      // copy lacks: its history since the last save, which merged into that copy makes the run.
      const logged = this.storedLogs.get(copy);
      const lighter = logged ? () => copy.toJsonAfter(logged) : undefined;
      // Smaller still, where even that is too large (a megabyte of evidence replaced: the
      // history holds it before and after): the texts changed since the save, as typed.
      const typedNow = logged ? () => changedTexts(copy, logged) : undefined;
      entries.push({ sha: copy.templateSha256, run: copy.id, kind: "run", id: copy.id, value: copy.toJson(), lighter, typedNow });
    }
    writeJournal(ns, this.journalSlot, entries, now());
  }

  /**
   * What was typed and not yet saved, in every run this page has open or had open: the details
   * panel's fields, then the drafts of fields and sign-off slots. As {sha, run, kind, id, value}.
   */
  pending() {
    const out = new Map();
    for (const [key, value] of this.drafts) {
      const [sha, run, kind, id] = JSON.parse(key);
      out.set(key, { sha, run, kind: kind === "slot" ? (Array.isArray(value) ? "record" : "approval") : kind, id, value, at: this.drafts.typedAt(key) });
    }
    for (const e of this.details.pending()) out.set(this.draftKey(e.kind, e.id, e.run, e.sha), e);
    // A reason half typed into the N/A or blocked dialog: asked again, with it, when the run opens.
    const reason = this.run && reasonTyped(this);
    if (reason) out.set("reason", { sha: this.run.templateSha256, run: this.run.id, kind: "reason", id: reason.id, value: { status: reason.status, text: reason.text, ...(reason.label ? { label: reason.label } : {}) }, at: now() });
    return [...out.values()];
  }

  /**
   * Move what is typed in run `from`'s sign-offs and not yet signed ({sha, id}) to run `to`,
   * shown in its place (a carried, kept or repaired run has another id or checklist): the draft
   * is the user's, not the run's, and would otherwise wait unseen under the run left. `ids`
   * maps a slot's id in `from` to its id in `to` (a repair may change it); a slot without one,
   * signed in `to` (`signed`: its signOffs), or with a draft there already keeps its own.
   * @param {{sha: string, id: string}} from @param {{sha: string, id: string}} to
   * @param {Record<string, any>} [signed] @param {Map<string, string> | null} [ids]
   */
  moveSlotDrafts(from, to, signed = {}, ids = null) {
    for (const key of [...this.drafts.keys()]) {
      const [sha, run, kind, id] = JSON.parse(key);
      if (sha !== from.sha || run !== from.id || kind !== "slot") continue;
      const target = ids ? ids.get(id) : id;
      if (target === undefined || signed[target]?.signature) continue;
      const moved = this.draftKey(kind, target, to.id, to.sha);
      if (this.drafts.has(moved)) continue;
      this.drafts.set(moved, this.drafts.get(key), this.drafts.typedAt(key));
      this.drafts.delete(key);
    }
  }

  /**
   * The key of a draft in `drafts`: what it is ("note", "evidence", "field", or "slot" for a
   * sign-off's), of which item, field or slot, in which run of which checklist (a run file may
   * give two checklists' runs one id). Drafts belong to a run and outlive a re-open of it. Ids
   * come from documents and run files: held apart, never split on a character they may contain.
   */
  draftKey(kind, id, run = this.run.id, sha = this.run.templateSha256) {
    return plainJson([sha, run, kind, id]);
  }

  /**
   * Take back what a page left typed and unsaved in this run (web/journal.js): notes, evidence
   * and fields are set, unless the run changed them later; sign-off slots get their drafts back,
   * to be signed by hand. True when the run changed.
   */
  restore() {
    const ns = this.store?.namespace;
    if (!ns) return false;
    const entries = takeJournal(ns, this.run.id, this.run.templateSha256);
    if (!entries.length) return false;
    // The run as a page left it with a save unfinished: merged first (per entry, the later
    // change wins, as with another tab's copy), so what is typed is weighed against it.
    let runChanged = false;
    for (const e of entries) {
      if (e.kind !== "run") continue;
      try {
        const theirs = Stored.run(this.run.templateSha256, this.run.id, e.value);
        runChanged = this.run.merge(theirs) || runChanged;
        theirs.free();
      } catch { /* not this run's, or damaged: the journal is only ever a second copy */ }
    }
    const st = this.run.toObject();
    const later = (at, than) => typeof at === "string" && at > than;
    // When an item's note or evidence last changed, from the run's log: the item's own `at` moves
    // with any change to it (a tick in another tab), which says nothing of the note typed here.
    const lastChange = new Map();
    for (const l of Array.isArray(st.log) ? st.log : []) {
      if ((l?.what === "note" || l?.what === "evidence") && typeof l.target === "string" && typeof l.at === "string") {
        const key = `${l.what}\n${l.target}`;
        if (!(lastChange.get(key) >= l.at)) lastChange.set(key, l.at);
      }
    }
    let changed = 0;
    for (const e of entries) {
      try {
        if (e.kind === "run") continue;
        if (e.kind === "reason") {
          // Asked again once the run is shown (open), unless the item has that status by now, or
          // the contingency was started meanwhile.
          if (e.value.status === "contingency") {
            const started = (st.timeline ?? []).some((t) => t?.event === "contingency-started" && t.section === e.id);
            if (this.model.sections.find((s) => s.id === e.id)?.gate === "contingency" && !started) this.reasonAgain = e;
          } else if (this.byItemId.get(e.id)?.kind === "task" && st.items?.[e.id]?.status !== e.value.status) this.reasonAgain = e;
          continue;
        }
        if (e.kind === "approval" || e.kind === "record") {
          if (!st.signOffs?.[e.id]?.signature) this.drafts.set(this.draftKey("slot", e.id), e.value, e.at);
          continue;
        }
        if (e.kind === "field") {
          const field = st.fields?.[e.id];
          if ((field?.value || "") === e.value || later(field?.at, e.at)) continue;
          this.setTyped("field", e.id, e.value, e.at);
        } else {
          const item = st.items?.[e.id];
          const kept = e.kind === "note" ? e.value.trim() : e.value.replace(/^\n+/, "").trimEnd();
          // A run without a log (made before logs were kept) has only the item's time to go by.
          const partAt = st.log?.length ? lastChange.get(`${e.kind}\n${e.id}`) : item?.at;
          if ((item?.[e.kind] || "") === kept || later(partAt, e.at)) continue;
          this.setTyped(e.kind, e.id, e.value, e.at);
        }
        changed++;
      } catch { /* an item or field this version of the checklist no longer has */ }
    }
    const typed = changed ? `${changed} ${changed === 1 ? "note or field" : "notes or fields"} typed` : "";
    const made = runChanged ? "the changes made" : "";
    if (changed || runChanged) this.notice.show(`Brought back ${[made, typed].filter(Boolean).join(" and ")} in this run that were not yet saved when it was last left.`, "info");
    return changed > 0 || runChanged;
  }

  /**
   * The user keeps a checklist that came from a link: from now on it and its run are saved. When
   * a run of it was kept meanwhile (another tab or frame of the same link kept its own), this
   * run's entries join that one, the later change winning: a link's checklist has one run, the
   * one its next opening shows, rather than two where one tab's ticks could not be reached.
   */
  async keepNow() {
    const [kept] = this.store ? await this.store.runsOf(this.checklist.sourceSha256).catch(() => []) : [];
    // A signature names the run it was made in: a run signed here is kept as its own run, not
    // merged into the one another tab kept, where its signatures would vouch for nothing.
    const signed = Object.values(this.run.toObject().signOffs || {}).some((s) => s.signature);
    if (kept && kept.id !== this.run.id && !signed) {
      this.details.flush();
      this.details.hide();
      const sha = this.run.templateSha256;
      this.moveSlotDrafts({ sha, id: this.run.id }, { sha, id: kept.id });
      this.run = this.run.duplicate(kept.id, kept.name); // saving merges the kept copy in
    }
    this.keep = true;
    this.unkept = false;
    return this.save();
  }

  /** Make `checklist` the one shown (after opening or correcting it). */
  use(checklist, model = checklist.model()) {
    this.checklist = checklist;
    this.model = model;
    this.items = model.items;
    this.slots = model.slots || [];
    this.byItemId = new Map([...this.items, ...this.slots].map((i) => [i.id, i]));
    this.indexById = new Map(this.items.map((i, n) => [i.id, n]));
    this.sectionById = new Map(model.sections.map((s) => [s.id, s]));
    // Asked of every section as the page is drawn: one pass each here, not one over every item
    // or field per section (a 10 MB checklist has 17,000 sections and 41,000 items).
    this.fieldsBySection = new Map();
    for (const f of model.fields) {
      if (!this.fieldsBySection.has(f.section)) this.fieldsBySection.set(f.section, []);
      this.fieldsBySection.get(f.section).push(f);
    }
    this.tasksUnder = tasksUnder(model);
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
    // Changes to a run not kept (a link's, until kept; any, where the browser gives no storage)
    // are in this page only: leaving it asks first.
    if (!this.store || !this.run || !this.keep) { if (this.run) this.unkept = true; return Promise.resolve(); }
    const run = this.run;
    const template = this.templateKept ? null : { checklist: this.checklist, name: this.name, origin: this.origin };
    const revive = this.reviving;
    this.savesPending++;
    const attempt = async () => {
      try {
        const { merged, deleted, logged } = await this.store.saveRun(run, template, { revive });
        if (!deleted) this.storedLogs.set(run, logged);
        if (run !== this.run || this.destroyed) return;
        if (deleted) { this.unsaved = true; this.deleted = true; this.deletedElsewhere(); return; }
        if (revive) this.reviving = false;
        this.deleted = false;
        this.templateKept = true;
        if (this.keptUnsaved) {
          this.keptUnsaved = false;
          // With any kept meanwhile (another tab kept this checklist too): these win on their marks.
          const mine = this.kept, sha = this.checklist.sourceSha256;
          this.store.changeCorrections(sha, (kept) => unitedCorrections(mine, kept)).then((stored) => {
            if (this.destroyed || this.checklist?.sourceSha256 !== sha || sameCorrections(stored, this.kept)) return;
            this.applyKept(stored);
            this.render("correct");
          }, () => { this.keptUnsaved = true; });
        }
        this.unsaved = false;
        this.details.savedLater();
        this.afterSave?.(this);
        this.notice.clear("save");
        if (merged) { this.replacedElsewhere(); this.render("merge"); }
      } catch (e) {
        if (run !== this.run) return this.refusedAfterLeaving(run, e);
        if (this.destroyed) return;
        this.unsaved = true;
        const full = e.name === "PreflightQuotaError";
        this.notice.show(full ? "Browser storage is full: your changes are kept in this tab only. Free some space, then try again. " : `Could not save: ${e.message}. `, "error",
          h("button", { type: "button", id: "save-retry", onclick: () => this.save() }, "Try again"), " ",
          h("button", { type: "button", onclick: () => downloadRun(this.run) }, "Download the run"));
        this.notice.kind = "save";
      } finally {
        // A hidden page's journal holds the run only while its save is unfinished or refused.
        this.savesPending--;
        if (document.visibilityState === "hidden") this.journal();
      }
    };
    this.saving = (this.saving || Promise.resolve()).then(attempt);
    return this.saving;
  }

  /**
   * The open run was deleted elsewhere (another tab, or this page's library while a save was on
   * its way). It is not saved back by itself, so a deletion holds; but nothing shown here is lost:
   * the user can keep it again or download it, and a page with changes here asks before leaving.
   */
  deletedElsewhere() {
    this.notice.show(`“${this.run.name}” was deleted in another tab or window. ${this.unsaved ? "Your changes here are not saved" : "Changes here will not be saved"} unless you keep it. `, "warning",
      h("button", { type: "button", id: "keep-deleted", onclick: () => this.keepAgain() }, "Keep it"), " ",
      h("button", { type: "button", onclick: () => downloadRun(this.run) }, "Download the run"));
    this.notice.kind = "save";
  }

  /**
   * Keep the open run again after it was deleted elsewhere. Its name may have been given since
   * to another run of the checklist (the fresh run the deleting tab opened is named like it):
   * then it takes the next free one, and says so, so the library never shows two of one name.
   */
  async keepAgain() {
    const run = this.run, old = run.name;
    const name = await this.store.freeRunName(run.templateSha256, old, [run.id]).catch(() => old);
    if (run !== this.run) return;
    if (name !== old) run.rename(name, now());
    this.reviving = true;
    await this.save();
    if (run === this.run && name !== old && !this.unsaved) {
      this.render("change");
      this.notice.show(`Kept again as “${name}”: another run of this checklist is now named “${old}”.`, "info");
    }
  }

  /**
   * The report of this run as text: format "md", "html" or "json" (anything else: "md"). Async:
   * reports come from the engine's second module, loaded on first use (web/extra.js).
   */
  report(format) {
    return exportReport(REPORTS[format] ? format : "md", this.checklist, this.run, now());
  }

  /** The report of this run as a downloaded file. */
  async downloadReport(format) {
    const [ext, type] = REPORTS[format] ?? REPORTS.md;
    try {
      download(`${fileBase(this.run.name)}.${ext}`, await this.report(format), type);
    } catch (e) { this.notice.show(`The report could not be made: ${e.message}`, "error"); }
  }

  /** Another tab (or embed) saved this run or corrected this checklist: take its changes, keep ours. */
  watch() {
    this.store?.watch(async (sha, runId) => {
      // `open` sets the run before the checklist it is read with: a message between the two waits
      // for the save that ends `open`, which merges what is stored.
      if (!this.run || this.run.templateSha256 !== this.checklist?.sourceSha256 || !this.keep || (sha !== null && sha !== this.checklist.sourceSha256)) return;
      const mine = this.checklist.sourceSha256;
      if (runId === null) this.applyKept(this.withNotKept(await this.loadKept(mine)));
      if (runId !== null && runId !== this.run.id) return;
      const run = this.run;
      try {
        const theirs = await this.store.loadRun(mine, run.id);
        if (run !== this.run) return;
        if (theirs) {
          run.merge(theirs);
          theirs.free();
          if (this.unsaved) this.save(); else this.notice.clear("save");
          this.replacedElsewhere();
        }
        else if (this.templateKept && !this.reviving) this.deletedElsewhere();
      } catch { /* damaged: the store moved it aside; ours is saved on the next change */ }
      this.render("merge");
    }, this.listening.signal);
  }

  /** Set a note, evidence or field (`kind`) of `id` in the open run, as typed at `at`. */
  setTyped(kind, id, value, at = now()) {
    if (kind === "field") this.run.setField(this.checklist, id, value, undefined, at);
    else this.run[kind === "note" ? "setNote" : "setEvidence"](this.checklist, id, value, undefined, at);
  }

  /**
   * A note, evidence or field (`kind`) of `id` was typed here and handed to the open run: its
   * text as the run now keeps it is noted, to tell when a merge takes another's over it.
   */
  handed(kind, id) {
    this.handedOver.set(plainJson([kind, id]), this.run.typed(kind, id));
  }

  /**
   * Sign-off `id` was signed, recorded or unsigned here: a merge that puts another tab's
   * signature (or none) over it says so.
   */
  signed(id) {
    this.signedHere.set(id, this.run.toObject().signOffs?.[id]?.signature?.signedAt ?? null);
  }

  /**
   * After a merge (another tab's copy, taken as a save stores ours or as that tab announces its
   * own): where it took another's later text over a note, evidence or field typed here, the
   * later change wins, as everywhere, but not silently. The user is told whose text stands and
   * that theirs is in the history, and can put it back with one press (a change of its own).
   * Text this page still has typed and not yet handed over is its own, not another's.
   */
  replacedElsewhere() {
    if (this.destroyed) return;
    this.signedElsewhere();
    if (!this.handedOver.size) return;
    const typed = new Map(this.pending().filter((e) => e.run === this.run.id && e.sha === this.run.templateSha256)
      .map((e) => [plainJson([e.kind, e.id]), typeof e.value === "string" ? e.value.trim() : null]));
    const lost = [];
    for (const [key, mine] of this.handedOver) {
      const [kind, id] = JSON.parse(key);
      const theirs = this.run.typed(kind, id);
      if (theirs === mine) continue;
      this.handedOver.delete(key);
      if (typed.get(key) === theirs.trim()) continue; // typed here, journaled, stored by another tab
      lost.push({ kind, id, mine });
    }
    if (!lost.length) return;
    const what = ({ kind, id }) => kind === "field" ? `“${this.model.fields.find((f) => f.id === id)?.label ?? id}”`
      : `the ${kind} on “${this.byItemId.get(id)?.text ?? id}”`;
    const run = this.run;
    const keepMine = () => this.change(() => {
      if (run !== this.run) return;
      for (const { kind, id, mine } of lost) this.setTyped(kind, id, mine);
      for (const { kind, id } of lost) this.handed(kind, id);
      this.notice.clear("conflict");
    });
    this.notice.show(`Another tab or window changed ${lost.map(what).join(", ")} after you did; its text stands. Yours is in the history. `, "warning",
      h("button", { type: "button", id: "keep-mine", onclick: keepMine }, lost.length === 1 ? "Keep mine" : "Keep mine for all"));
    this.notice.kind = "conflict";
  }

  /**
   * After a merge: a sign-off signed here and signed again (or unsigned) by another tab or
   * window since. The later one stands, as for every entry, but not silently: two people
   * approving the same slot at once must learn whose signature the run now shows.
   */
  signedElsewhere() {
    if (!this.signedHere.size) return;
    const signOffs = this.run.toObject().signOffs ?? {};
    const replaced = [];
    for (const [id, at] of this.signedHere) {
      const sig = signOffs[id]?.signature;
      if ((sig?.signedAt ?? null) === at) continue;
      this.signedHere.set(id, sig?.signedAt ?? null); // told once; a later change is told again
      const role = this.byItemId.get(id)?.signOff?.role ?? id;
      replaced.push(sig ? `“${role}” was signed by ${sig.name}${sig.meaning ? ` (${sig.meaning})` : ""}` : `“${role}” was unsigned`);
    }
    if (!replaced.length) return;
    this.notice.show(`In another tab or window, after your change here, ${replaced.join("; ")}. That stands; what you did is in the history. Sign again if yours should stand.`, "warning");
    this.notice.kind = "conflict";
  }

  /**
   * A change that may reshape the page (fields, sections, sign-offs, stages): save and re-render.
   * `focusId`: where focus goes afterwards when the control used is replaced (Sign → Unsign).
   * `redraw` false: only the figures (summary, stages, sign-off panels) are brought up to date,
   * for a change that reshapes nothing (a field), so the controls around stay as they are.
   */
  change(fn, focusId, redraw = true) {
    try { fn(); } catch (e) { this.notice.show(e.message, "error"); return; }
    this.save();
    const run = this.run;
    this.whenReleased(() => {
      if (run !== this.run) return; // another run was opened meanwhile, and drawn then
      if (!redraw) {
        this.runState = this.run.toObject();
        const card = this.checklist.scoreGate(this.run, "all");
        this.refreshFigures(card);
        this.onChange?.(this, beforeGate(card), "change");
        return;
      }
      this.render("change");
      if (focusId) this.byId(focusId)?.focus();
    });
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
    this.setKept({ id: correction.id, what: correction.what }, said === correction.value ? null : { ...correction, line: 0 }, focusId);
  }

  /**
   * Keep `correction` on `mark` ({id, what}) of this template's reading, or none (null); read
   * the checklist again with the corrections, re-render. Stored as a change to what is kept, so
   * another tab's correction made meanwhile stays, and is shown here once stored.
   */
  setKept(mark, correction, focusId) {
    const kept = correctedOn(this.kept, mark, correction);
    if (this.store && this.keep) {
      const sha = this.checklist.sourceSha256;
      this.correcting = (this.correcting || 0) + 1;
      const key = plainJson([sha, mark.id, mark.what]);
      this.store.correct(sha, mark, correction).then((stored) => {
        this.notKept.delete(key);
        // The last of this tab's corrections on its way: what is kept now is what the page shows.
        if (--this.correcting > 0 || this.destroyed || this.checklist?.sourceSha256 !== sha) return;
        const shown = this.withNotKept(stored);
        if (sameCorrections(shown, this.kept)) return;
        this.applyKept(shown);
        this.render("correct");
      }, (e) => {
        this.correcting--;
        // Applies here until the page is left: a later list read from storage keeps it.
        this.notKept.set(key, { sha, mark, correction });
        this.notice.show(e.name === "PreflightQuotaError" ? "Browser storage is full: the correction applies in this tab only. " : `The correction could not be kept: ${e.message}. It applies in this tab only.`, "error");
      });
    } else {
      // Not kept yet: stored with the save that keeps the run. On a link that is when the user
      // keeps it; on the sample the correction is itself the change that keeps it.
      this.keptUnsaved = true;
      if (this.keepOnChange) this.save();
    }
    this.applyKept(kept);
    this.render("correct");
    if (focusId) this.byId(focusId)?.focus();
  }

  /** `kept` (read from storage) with the corrections storage refused here, which still apply. */
  withNotKept(kept) {
    const sha = this.checklist?.sourceSha256;
    let out = kept;
    for (const { sha: of, mark, correction } of this.notKept.values()) {
      if (of !== sha) continue;
      out = correctedOn(out, mark, correction);
    }
    return out;
  }

  applyKept(kept) {
    this.kept = kept;
    this.use(kept.length ? Checklist.parseWithCorrections(this.checklist.text, kept) : Checklist.parse(this.checklist.text));
  }

  /** A section's or slot's reading panel when it is open (rebuilt open after a re-render), else null. */
  readingPanel(target, kind) { return readingPanel(this, target, kind); }

  // ---- the run's steps: pass a gate, start a contingency, close ------------------------------

  /** Pass a stage's gate ("before" declares GO): asks who, records when. */
  async passGate(gate, label) {
    const answer = await askWho(this, { title: `${label}: ${STAGE_NAMES[gate]}`, submit: label });
    if (answer) this.change(() => this.run.passGate(this.checklist, gate, answer.who, now()), `stage-state-${gate}`);
  }

  /** Start a contingency procedure: asks who and why (`typed`: its start, brought back), then unfolds it. */
  async startContingency(section, label, typed = "") {
    const answer = await askWho(this, { title: `${label}: ${section.title}`, submit: label, why: `Why does “${section.title}” start?`,
      asking: { id: section.id, status: "contingency", label }, text: typed });
    if (answer) this.change(() => this.run.startContingency(this.checklist, section.id, answer.why, answer.who, now()), `section-${section.id}`);
  }

  async closeRun() {
    const answer = await askWho(this, { title: `Close run “${this.run.name}”`, submit: "Close run" });
    if (answer) this.change(() => this.run.close(answer.who, now()), "timeline-title");
  }

  // ---- items -----------------------------------------------------------------------------------

  /** Status changes; N/A and blocked ask for the reason first (`typed`: its start, brought back). */
  async setStatus(item, status, typed = "") {
    let reason;
    if (status === "na" || status === "blocked") {
      const from = this.root.activeElement;
      reason = await askReason(this, status === "na" ? "Why does this not apply?" : "What blocks it?", { id: item.id, title: item.text, status, text: typed });
      // The dialog gives focus back to the control that opened it; a redraw meanwhile (another
      // tab's change) replaced it, and focus fell to the page: the keyboard goes on from the row.
      if (from instanceof HTMLElement && !from.isConnected) {
        /** @type {HTMLElement | null} */ ((from.id && this.byId(from.id)) || this.rowOf(item.id)?.querySelector(":scope > .row input[type=checkbox]"))?.focus();
      }
      if (!reason) return;
    }
    this.changeItem(item.id, () => this.run.setStatus(this.checklist, item.id, status, reason, undefined, now()));
  }

  /** A change to one item: update its row, the stage figures and the section figures in place. */
  changeItem(id, fn) {
    try { fn(); } catch (e) { this.notice.show(e.message, "error"); return; }
    this.save();
    const run = this.run;
    this.whenReleased(() => { if (run === this.run) this.redrawItem(id); });
  }

  /** The item's row and the figures that follow from it, after a change to the item. */
  redrawItem(id) {
    // Only the item's own section and those above it can move: a click costs the same on a
    // checklist of 50,000 sections as on one of five. `gates` holds every stage's card.
    const item = this.byItemId.get(id);
    if (item?.kind !== "task") return this.render("change");
    const card = this.checklist.scoreForItem(this.run, id);
    this.runState = this.run.toObject();
    const old = this.byId(`item-${id}`);
    // An optional item (or one in a switched-off section) moves in or out of the score with its
    // own status; the card's `inactive` covers the before gate, the rest follows the same rule.
    const status = this.runState.items[id]?.status || "todo";
    const inactive = item.gate === card.gate ? card.inactive.includes(id)
      : status !== "done" && (item.optional || this.offSections.has(this.model.sections[item.section]?.id));
    // No row of its own (a correction made it a sign-off, or took it out): the page is redrawn.
    if (!old || old.dataset.index === undefined || inactive !== this.inactiveSet.has(id)) return this.render("change");
    const active = this.root.activeElement;
    const fresh = itemRow(this, Number(old.dataset.index));
    old.replaceWith(fresh);
    // Focus stays on the row: on the same control, or on the one that took its place (N/A → Reopen).
    if (active && old.contains(active)) {
      const same = active.id ? this.byId(active.id) : null;
      const was = /** @type {HTMLElement} */ (active);
      /** @type {HTMLElement} */ (same || fresh.querySelector(was.dataset.status ? ":scope > .row [data-status]" : ":scope > .row input"))?.focus();
    }
    this.refreshFigures(card);
    this.details.refresh();
    this.onChange?.(this, beforeGate(card), "change");
  }

  /** The figures after a change: summary, status bar, stage heads, section progress, stale sign-offs. */
  refreshFigures(card) {
    const stages = stagesOf(card);
    const where = progress(stages, this.runState);
    this.place({ summary: summary(this, stages, where), status: statusBar(this, stages, where) });
    refreshStageHeads(this, card, stages, where);
    for (const s of card.sections) {
      for (const label of this.sectionLabels.get(s.id) || []) label.textContent = sectionProgress(s);
    }
    // Only signatures can turn stale; with none, nothing in the sign-off panels depends on this change.
    if (Object.values(this.runState.signOffs).some((s) => s.signature)) {
      const all = this.checklist.scoreGate(this.run, "all");
      const stale = new Set(all.staleSignOffs);
      for (const entry of this.signOffPanels.values()) { const fresh = entry.make(stale); entry.el.replaceWith(fresh); entry.el = fresh; }
    }
  }

  /**
   * What happened to one item or slot, from the run's hash-linked log (oldest first): when, who,
   * what changed from what to what. The same log `preflight verify` checks link by link.
   */
  history(id) { return historyOf(this.runState, id); }

  /** The item whose row holds `el`, if any. */
  itemOf(el) {
    const li = el.closest("li.item");
    return li && this.items[Number(li.dataset.index)];
  }

  /** The row of item `id`, built first if it was still waiting for its part. */
  rowOf(id) {
    const index = this.indexById.get(id);
    if (index === undefined) return null;
    this.parts.ensure(index);
    return this.byId(`item-${id}`);
  }

  /** Is section `s` inside a folded contingency procedure (so not on the page)? */
  underFold(s) {
    for (let p = s.parent; p !== null && p !== undefined; p = this.model.sections[p].parent) if (this.folded.has(this.model.sections[p].id)) return true;
    return false;
  }

  /** Follow a link to a section or item; inside a shadow root the URL fragment cannot reach it. */
  reveal(event, elementId) {
    const target = this.byId(elementId) || (elementId.startsWith("item-") ? this.rowOf(elementId.slice(5)) : null);
    if (!target || this.root === document) return;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    /** @type {HTMLElement} */ (target.querySelector("input, button"))?.focus();
  }

  /** One listener per kind of event for all rows (10,000 rows need no 50,000 closures). */
  delegate() {
    this.container.addEventListener("change", (e) => {
      const target = /** @type {HTMLInputElement} */ (e.target);
      const item = this.itemOf(target);
      if (item && target.matches(".row > input[type=checkbox]")) this.setStatus(item, target.checked ? "done" : "todo");
    });
    this.container.addEventListener("click", (e) => {
      const clicked = /** @type {HTMLElement} */ (e.target);
      const why = /** @type {HTMLElement} */ (clicked.closest("button[data-reading]"));
      if (why) {
        const target = why.dataset.reading === "section" ? this.sectionById.get(why.dataset.target) : this.byItemId.get(why.dataset.target);
        if (target) toggleReading(this, why, target, why.dataset.reading);
        return;
      }
      const button = /** @type {HTMLElement} */ (clicked.closest("button[data-status], button.details-button, button[data-why]"));
      const item = button && this.itemOf(button);
      if (!item) return;
      if (button.dataset.status) this.setStatus(item, button.dataset.status);
      // A mark's tag opens the item's details, focused on that mark.
      else if (button.dataset.why) this.details.open(item.id, { focus: `mark-${button.dataset.why.replace("-", "")}-${item.id}` });
      else this.details.toggle(item.id);
    });
  }

  // ---- rendering ---------------------------------------------------------------------------

  /**
   * Put the top of the view in place (summary, status bar, corrections, outline: null for none),
   * with the list and the details panel after it. The frame is built once; each part is swapped.
   */
  place(top) {
    if (!this.top || this.body.parentNode !== this.container) {
      this.top = {};
      this.container.replaceChildren();
      for (const key of ["summary", "status", "corrections", "outline"]) this.container.append(this.top[key] = document.createComment(key));
      this.container.append(this.body);
    }
    for (const [key, node] of Object.entries(top)) {
      const next = node || document.createComment(key);
      this.top[key].replaceWith(next);
      this.top[key] = next;
    }
  }

  render(cause = "render") {
    if (this.composing && cause === "merge") { this.deferred = cause; return; }
    performance.mark("preflight-render-start");
    const card = this.checklist.scoreGate(this.run, "all");
    this.inactiveSet = new Set(card.inactive);
    this.runState = this.run.toObject(); // once per render, not once per item
    const scores = new Map(card.sections.map((s) => [s.id, s]));
    this.offSections = new Set(card.sections.filter((s) => s.conditional && !s.active).map((s) => s.id));
    const stages = stagesOf(card);
    const where = progress(stages, this.runState);
    const active = /** @type {any} */ (this.root.activeElement);
    const focus = active?.id;
    // Where the caret was in a text being typed: the redrawn box must take the next key there,
    // not at its start.
    let caret = null;
    try { caret = typeof active?.selectionStart === "number" ? [active.selectionStart, active.selectionEnd, active.selectionDirection] : null; } catch { caret = null; }
    this.sectionLabels = new Map();
    this.signOffPanels = new Map();
    this.folded = new Set();
    this.masks = partMasks(this);
    this.parts.reset();
    const stale = new Set(card.staleSignOffs);
    const anySlots = this.slots.length > 0 || this.items.some((i) => i.kind === "signOff");
    // Built in document order of the page, so that rows render progressively in that order.
    const preamble = sectionNode(this, 0, scores, "preamble");
    const stageNodes = stages.map((g, i) => stageNode(this, g, i, stages, where, scores, stale, anySlots));
    const contingency = contingencyNode(this, card, scores, stale);
    const other = otherParts(this, scores, stale);
    this.place({ summary: summary(this, stages, where), status: statusBar(this, stages, where), corrections: correctionsBar(this), outline: outline(this, scores) });
    this.list.replaceChildren(preamble || "", ...stageNodes, contingency || "", other || "", timelinePanel(this, stages, where, this.runState));
    performance.measure("preflight-render", "preflight-render-start");
    this.parts.place();
    if (focus) {
      // A row's control whose row now waits for its part: build that part first.
      const row = /^(?:cb|details-btn)-(.*)$/.exec(focus);
      if (row && !this.byId(focus)) this.rowOf(row[1]);
      const again = /** @type {any} */ (this.byId(focus));
      again?.focus();
      if (caret && again && again !== active && typeof again.setSelectionRange === "function") {
        try { again.setSelectionRange(...caret); } catch { /* a box without a caret (a date) */ }
      }
    }
    this.details.refresh();
    this.onChange?.(this, beforeGate(card), cause);
  }
}

/** The before gate's card ("may we deploy?"): what onChange and the element's events report. */
function beforeGate(card) {
  return card.gates.find((g) => g.gate === "before") || card;
}
