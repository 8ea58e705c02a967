// What was typed and not yet stored, written synchronously as a page is hidden or left. Runs are
// kept in IndexedDB, whose writes finish after the event that starts them: a note typed less
// than a pause before a reload, or a field left without Enter, was handed over as the page
// hid and lost as it unloaded. localStorage writes at once, so the page's drafts go there too,
// under a key of this page's own (two tabs never overwrite each other's), and the next page
// that opens the run takes them back (view.js). A page that comes back into view drops its key:
// what it holds is live again and saves as usual.
// A journal is read like anything stored: checked field by field, and ignored when it is not
// what this module writes.

import { plainJson, plainParse } from "./dom.js";
import { Stored } from "./engine.js";

const PREFIX = "preflight-journal/";
/**
 * The kinds of entry a journal holds: text the view saves by itself, sign-off drafts, the run
 * itself (its JSON) while a save of it had not finished as the page hid, and a reason being
 * typed into the N/A or blocked dialog, or why a contingency starts.
 */
export const KINDS = Object.freeze(["note", "evidence", "field", "approval", "record", "run", "reason"]);
/** Larger journals are not written (localStorage holds a few MB for the whole origin). */
const MAX_CHARS = 2 * 1024 * 1024;
/** Entries older than this are dropped unread: their run was never opened again. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

const page = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
const storage = () => { try { return globalThis.localStorage ?? null; } catch { return null; } };
/** This page's key in `namespace`; `slot` tells apart views on one page (embeds). */
const keyOf = (namespace, slot) => `${PREFIX}${namespace}/${page}-${slot}`;

/**
 * Write this view's journal for `namespace`: `entries` of {sha, run, kind, id, value, at?}, each
 * typed at its own `at` or, without one, by the journal's `at`; none removes it. A run's entry
 * may carry `lighter`: a function giving a smaller value that, merged into the stored copy,
 * makes the same run, taken when the whole does not fit. Quietly does nothing where
 * localStorage cannot be had or is full.
 */
export function writeJournal(namespace, slot, entries, at) {
  const ls = storage();
  if (!ls || !namespace) return;
  try {
    if (!entries.length) return ls.removeItem(keyOf(namespace, slot));
    const whole = entries.map(({ lighter, typedNow, ...e }) => e);
    if (put(ls, keyOf(namespace, slot), { v: 1, at, entries: whole })) return;
    // Too large, or the storage full: a long run as what its stored copy lacks.
    if (entries.some((e) => e.lighter)) {
      const lighter = entries.map(({ lighter, typedNow, ...e }) => (lighter ? { ...e, value: lighter() } : e));
      if (put(ls, keyOf(namespace, slot), { v: 1, at, entries: lighter })) return;
    }
    // Still too large: the typed text alone is smaller (what was typed and not yet handed over,
    // and the texts a run changed since its save), and a run's save is still on its way to
    // IndexedDB.
    const typed = [...entries.flatMap((e) => e.typedNow?.() ?? []), ...whole.filter((e) => e.kind !== "run")];
    if (!typed.length || !put(ls, keyOf(namespace, slot), { v: 1, at, entries: typed })) ls.removeItem(keyOf(namespace, slot));
  } catch { /* refused: the IndexedDB save still runs */ }
}

/** Store `journal` under `key`; false when it is too large or does not fit. */
function put(ls, key, journal) {
  const text = plainJson(journal);
  if (text.length > MAX_CHARS) return false;
  try { ls.setItem(key, text); return true; } catch { return false; }
}

/** Drop this view's journal (the page is in view again: what it holds is live). */
export function dropJournal(namespace, slot) {
  try { storage()?.removeItem(keyOf(namespace, slot)); } catch { /* nothing to drop */ }
}

/** One entry as written, or null. */
function entryOf(e, at) {
  if (!e || typeof e !== "object" || !KINDS.includes(e.kind)) return null;
  if (typeof e.run !== "string" || typeof e.id !== "string" || !Stored.isRunId(e.run) || e.id.length > 500) return null;
  // The run's checklist: a run file may give two checklists' runs one id. Journals written
  // before it was noted have none, and are read by the run's id alone.
  if (e.sha !== undefined && !(typeof e.sha === "string" && /^[0-9a-f]{64}$/.test(e.sha))) return null;
  const text = (v) => typeof v === "string" && v.length <= MAX_CHARS;
  // A run's entry names the run it holds; the engine checks the JSON itself as it reads it.
  if (e.kind === "run" && (e.id !== e.run || e.sha === undefined)) return null;
  const ok = e.kind === "approval" ? e.value && typeof e.value === "object" && ["name", "date", "meaning"].every((k) => e.value[k] === undefined || text(e.value[k]))
    : e.kind === "record" ? Array.isArray(e.value) && e.value.length <= 50 && e.value.every(text)
    : e.kind === "reason" ? e.value && typeof e.value === "object" && ["na", "blocked", "contingency"].includes(e.value.status) && text(e.value.text)
      && (e.value.label === undefined || (typeof e.value.label === "string" && e.value.label.length <= 200))
    : text(e.value);
  // An entry's own time (when it was typed), never after the journal's: a time from the future
  // would stand over every later change.
  const own = typeof e.at === "string" && Date.parse(e.at) <= Date.parse(at) ? new Date(Date.parse(e.at)).toISOString() : at;
  return ok ? { ...(e.sha === undefined ? {} : { sha: e.sha }), run: e.run, kind: e.kind, id: e.id, value: e.value, at: own } : null;
}

/** The keys of every page's journal in `namespace`. */
function journalKeys(ls, namespace) {
  const keys = [];
  try {
    for (let i = 0; i < ls.length; i++) { const k = ls.key(i); if (k?.startsWith(`${PREFIX}${namespace}/`)) keys.push(k); }
  } catch { return []; }
  return keys;
}

/**
 * A journal's text read as this module writes it: its time and its entries that check out, or
 * null when it is not such a journal or is past its age. Throws where the text is not JSON.
 */
function readJournal(text) {
  const raw = plainParse(text ?? "null");
  // Never later than now: a journal dated in the future would stand over every change made since.
  const at = typeof raw?.at === "string" && !Number.isNaN(Date.parse(raw.at)) ? new Date(Math.min(Date.parse(raw.at), Date.now())).toISOString() : null;
  if (raw?.v !== 1 || !at || !Array.isArray(raw.entries) || Date.now() - Date.parse(at) > MAX_AGE_MS) return null;
  return { at, entries: raw.entries.map((e) => entryOf(e, at)).filter(Boolean) };
}

/**
 * Take what every page's journal in `namespace` holds for run `runId` of checklist `sha`, oldest
 * first, and remove it from those journals (entries of other runs stay for when theirs is
 * opened). An unreadable journal, or one past its age, is removed.
 */
export function takeJournal(namespace, runId, sha) {
  const ls = storage();
  if (!ls || !namespace) return [];
  const taken = [];
  for (const key of journalKeys(ls, namespace)) {
    try {
      const journal = readJournal(ls.getItem(key));
      if (!journal) { ls.removeItem(key); continue; }
      const { at, entries } = journal;
      const ours = (e) => e.run === runId && (e.sha === undefined || e.sha === sha);
      const rest = entries.filter((e) => !ours(e));
      taken.push(...entries.filter(ours));
      if (rest.length) ls.setItem(key, plainJson({ v: 1, at, entries: rest }));
      else ls.removeItem(key);
    } catch {
      try { ls.removeItem(key); } catch { /* leave it */ }
    }
  }
  return taken.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * The ids of runs of checklist `sha` that some page's journal in `namespace` holds drafts for,
 * without taking them. A run that was shown and never stored (the sample, kept only once worked
 * on) has nothing else left of it after a reload: its next showing takes its id, and so its drafts.
 */
export function journalRuns(namespace, sha) {
  const ls = storage();
  if (!ls || !namespace) return [];
  const runs = new Set();
  for (const key of journalKeys(ls, namespace)) {
    try {
      for (const e of readJournal(ls.getItem(key))?.entries ?? []) if (e.sha === sha) runs.add(e.run);
    } catch { /* unreadable: takeJournal removes it when a run is opened */ }
  }
  return [...runs];
}
