// Browser persistence that loses nothing: checklists, runs and corrections in IndexedDB.
//
// One database per namespace (`preflight/<namespace>`; the app uses "app", embeds their own):
//   templates   <sha256>          the checklist's text, name, when, and where it came from
//   runs        <sha256>/<run id> the run's canonical JSON
//   corrections <sha256>          corrections to how the checklist is read
//   quarantine  <store>/<key>#<h> a damaged value moved aside, with why and when
//   meta        last | migrated   the run last open; when localStorage was migrated
//               | who             the name last given in a who-dialog
//               | info/<sha256>   what the library shows of a kept checklist (its title and item
//                                 count need its text read), so an import need not read them all
//               | deleted/<sha256>/<run id>
//                                 when a run was deleted, so a tab that still shows it does not
//                                 save it back by itself (kept 90 days)
// Rules:
// - Every value read passes Stored (Rust, stored.rs) against its key and shape before it
//   reaches the model. A damaged value is moved to `quarantine` in the same transaction that
//   found it: never overwritten, never in the way, downloadable from the library.
// - A run is saved in one readwrite transaction that reads the stored copy, merges it into the
//   run (per entry, the later change wins) and writes the result. IndexedDB runs readwrite
//   transactions on one store one at a time, across tabs, so two tabs' ticks are never lost.
// - A run's checklist is written in the same transaction as the run whenever it is missing, so a
//   saved run is always reachable; a refused write (quota) changes nothing stored.
// - Other tabs hear about every write on a BroadcastChannel.
import { Stored, ready } from "./engine.js";

const STORES = ["templates", "runs", "corrections", "quarantine", "meta"];

/** A failure with a name the app tells apart: PreflightQuotaError, PreflightStorageError, PreflightCorruptError. */
export class StoreError extends Error {
  constructor(name, message) { super(message); this.name = name; }
}

/** Chromium and WebKit: QuotaExceededError / 22; Firefox: NS_ERROR_DOM_QUOTA_REACHED / 1014. */
export function isQuota(e) {
  return ["QuotaExceededError", "NS_ERROR_DOM_QUOTA_REACHED", "PreflightQuotaError"].includes(e?.name) || e?.code === 22 || e?.code === 1014;
}

function storageError(e, what) {
  if (e instanceof StoreError || e?.name?.startsWith?.("Preflight")) return e;
  if (isQuota(e)) return new StoreError("PreflightQuotaError", `browser storage is full: ${what} was not saved`);
  return new StoreError("PreflightStorageError", `browser storage refused ${what}${e?.name ? ` (${e.name}${e.message ? `: ${e.message}` : ""})` : ""}`);
}

/** A short, stable tag of a value (FNV-1a), so the same damaged value is kept aside once. */
function tag(raw) {
  const text = typeof raw === "string" ? raw : (() => { try { return JSON.stringify(raw) ?? String(raw); } catch { return String(raw); } })();
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

const runKey = (sha, id) => `${sha}/${id}`;
const runsOfRange = (sha) => IDBKeyRange.bound(`${sha}/`, `${sha}/\uffff`);
const infoKey = (sha) => `info/${sha}`;
/** The note of a run's deletion, by the run's key (`<sha>/<run id>`). */
const deletedKey = (key) => `deleted/${key}`;
const DELETIONS = IDBKeyRange.bound("deleted/", "deleted/\uffff");
const KEEP_DELETIONS_MS = 90 * 24 * 3600 * 1000;
const nowIso = () => new Date().toISOString();

/** `list` in groups by `keyOf`, in the order each key first comes. */
function grouped(list, keyOf) {
  const groups = new Map();
  for (const e of list) {
    const key = keyOf(e);
    if (groups.has(key)) groups.get(key).push(e); else groups.set(key, [e]);
  }
  return groups;
}

/** `kept` with `correction` on `mark` ({id, what}) in place of the one there, or none (null). */
export function correctedOn(kept, mark, correction) {
  return [...kept.filter((k) => !(k.id === mark.id && k.what === mark.what)), ...(correction ? [correction] : [])];
}

/**
 * Corrections `kept` with those of `theirs` on a mark `kept` (or an earlier one of `theirs`)
 * does not set: the kept one wins on the same item and mark.
 */
export function unitedCorrections(kept, theirs) {
  const out = [...kept];
  for (const k of theirs) if (!out.some((m) => m.id === k.id && m.what === k.what)) out.push(k);
  return out;
}

export class Store {
  /**
   * The store for `namespace`. Rejects with PreflightStorageError where the browser gives no
   * storage (private modes, sandboxed frames): the app then keeps working in memory.
   */
  static async open(namespace = "app") {
    if (!namespace || /[/\\]/.test(namespace)) throw new StoreError("PreflightError", "a namespace is a non-empty name without `/`");
    if (!globalThis.indexedDB) throw new StoreError("PreflightStorageError", "this browser context has no IndexedDB");
    const db = await new Promise((resolve, reject) => {
      let request;
      try { request = indexedDB.open(`preflight/${namespace}`, 1); } catch (e) { return reject(storageError(e, "to open storage")); }
      request.onupgradeneeded = () => {
        for (const name of STORES) if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(storageError(request.error, "to open storage"));
    });
    // A newer version of the app in another tab wants to upgrade: let it.
    db.onversionchange = () => db.close();
    const store = new Store(db, namespace);
    await store.migrate();
    return store;
  }

  constructor(db, namespace) {
    this.db = db;
    this.namespace = namespace;
    this.channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(`preflight/${namespace}`) : null;
    // A channel never hears its own messages: what this store writes for the page itself (a
    // restored backup) is told to this page's watchers here.
    this.here = new EventTarget();
    /** Damaged values moved aside since this page opened the store (for the notice). */
    this.movedAside = [];
    /** Info records made while reading (sha → record), kept after the read has committed. */
    this.records = new Map();
  }

  /**
   * Run `body(t, fail)` in one transaction. `body`'s request callbacks must be wrapped with
   * `t.guard` so an exception aborts the transaction (nothing half-written) and rejects.
   * Resolves with what `body` returned, read after the transaction committed.
   */
  tx(stores, mode, what, body) {
    return new Promise((resolve, reject) => {
      let t;
      try { t = this.db.transaction(stores, mode); } catch (e) { return reject(storageError(e, what)); }
      let failure = null;
      const fail = (e) => { failure ??= e; try { t.abort(); } catch { /* already finished */ } };
      t.guard = (fn) => (event) => { try { fn(event); } catch (e) { fail(e); } };
      let out;
      t.oncomplete = () => { if (failure) reject(failure); else resolve(out); this.keepRecords(); };
      t.onabort = () => { this.records.clear(); reject(storageError(failure || t.error, what)); };
      try { out = body(t, fail); } catch (e) { fail(e); }
    });
  }

  /** Inside a transaction: move a damaged value to quarantine, then out of its key. */
  moveAside(t, store, key, raw, error) {
    const reason = error?.message || String(error);
    t.objectStore("quarantine").put({ store, key, raw, reason, at: nowIso() }, `${store}/${key}#${tag(raw)}`);
    t.objectStore(store).delete(key);
    this.movedAside.push({ store, key, reason });
  }

  /** Read one value and check it with `check(raw)`; a damaged one is moved aside and the error thrown. */
  async read(store, key, check, what) {
    /** @type {Error | null} */
    let error = null;
    const value = await this.tx([store, "quarantine"], "readwrite", `to read ${what}`, (t) => {
      const out = {};
      const request = t.objectStore(store).get(key);
      request.onsuccess = t.guard(() => {
        if (request.result === undefined) return;
        try { out.value = check(request.result); } catch (e) {
          if (e?.name !== "PreflightCorruptError") throw e;
          error = e;
          this.moveAside(t, store, key, request.result, e);
        }
      });
      return out;
    });
    if (error) throw new StoreError("PreflightCorruptError", `${error.message}. A copy is kept aside (Library → Damaged values).`);
    return value.value;
  }

  announce(sha, run = null) {
    try { this.channel?.postMessage({ sha, run }); } catch { /* other tabs learn on their next save */ }
  }

  // ---- checklists ------------------------------------------------------------------------

  /** The kept checklist with this hash, read again; undefined when there is none. */
  loadTemplate(sha) {
    return this.read("templates", sha, (raw) => Stored.template(sha, raw), "the checklist");
  }

  /**
   * What the library shows of one kept checklist; undefined when there is none. Its title and
   * item count come from its info record when one fits; with `{ reread: true }` from its text
   * (the record is made again when it said otherwise).
   */
  async templateInfo(sha, { reread = false } = {}) {
    /** @type {Error | null} */
    let error = null;
    const out = await this.tx(["templates", "meta", "quarantine"], "readwrite", "to read the checklist", (t) => {
      const out = {};
      const record = t.objectStore("meta").get(infoKey(sha));
      const request = t.objectStore("templates").get(sha);
      request.onsuccess = t.guard(() => {
        if (request.result === undefined) return;
        try { out.value = this.infoOf(t, sha, request.result, reread ? undefined : record.result, record.result); } catch (e) {
          if (e?.name !== "PreflightCorruptError") throw e;
          error = e;
          this.moveAside(t, "templates", sha, request.result, e);
        }
      });
      return out;
    });
    if (error) throw new StoreError("PreflightCorruptError", `${error.message}. A copy is kept aside (Library → Damaged values).`);
    return out.value;
  }

  /**
   * Inside a transaction: what the library shows of a stored checklist, checked, with its info
   * record (`record`, as read) kept again, once the transaction has committed, when it was
   * missing or did not fit. `stored` is the record kept now, when `record` (undefined) was not
   * to be believed.
   */
  infoOf(t, sha, raw, record, stored = record) {
    const { record: keep, ...info } = Stored.templateInfo(sha, raw, record);
    if (keep !== undefined && keep !== stored) this.records.set(sha, keep);
    return info;
  }

  /**
   * Keep the info records made while reading, in a transaction of their own, and never mind
   * if it fails: a record only saves reading a text again, and writing it inside the read
   * would make every read fail while storage is full.
   */
  keepRecords() {
    if (!this.records.size) return;
    const records = [...this.records];
    this.records.clear();
    try {
      const t = this.db.transaction(["meta"], "readwrite");
      for (const [sha, record] of records) t.objectStore("meta").put(record, infoKey(sha));
      t.onerror = (e) => e.preventDefault();
    } catch { /* made again on the next read */ }
  }

  /** Keep a checklist (its text never changes, so an existing copy is left as it is). */
  saveTemplate(checklist, name, origin = null) {
    const sha = checklist.sourceSha256;
    const value = Stored.templateValue(checklist, name, nowIso(), origin);
    const record = Stored.templateRecord(checklist, value);
    return this.tx(["templates", "meta", "quarantine"], "readwrite", "the checklist", (t) => {
      this.putTemplateIfMissing(t, sha, value, record);
    });
  }

  /**
   * Inside a transaction on templates, meta and quarantine: keep `value` under `sha` unless a
   * sound copy is kept already (a damaged one is moved aside first). `record` is its info
   * record when the caller has the checklist at hand; otherwise it is made when first read.
   */
  putTemplateIfMissing(t, sha, value, record = undefined) {
    const templates = t.objectStore("templates");
    const kept = t.objectStore("meta").get(infoKey(sha));
    const request = templates.get(sha);
    request.onsuccess = t.guard(() => {
      if (request.result !== undefined) {
        try { this.infoOf(t, sha, request.result, kept.result); return; } catch (e) {
          if (e?.name !== "PreflightCorruptError") throw e;
          this.moveAside(t, "templates", sha, request.result, e);
        }
      }
      templates.put(value, sha);
      if (record !== undefined) t.objectStore("meta").put(record, infoKey(sha));
    });
  }

  // ---- runs ------------------------------------------------------------------------------

  /**
   * Save a run: in one transaction, merge what is stored (another tab's changes) into `run`,
   * write the result, and write its checklist too when it is not kept yet (`template`:
   * `{checklist, name, origin}`). Resolves with `{merged, deleted}`: whether the stored copy
   * brought changes `run` did not have, and whether nothing was written because the run was
   * deleted (in another tab) since it was last saved. `revive: false` is for saving what a page
   * shows as it changes: a deleted run then stays deleted until the user keeps it again; every
   * other save (an undo, an import, a rename) is the user's own word and brings it back. On any
   * failure nothing stored changed and `run` keeps what it had. `logged`: how many entries of
   * `run`'s history the stored copy now holds (they are kept; see view.js `journal`).
   */
  async saveRun(run, template = null, { revive = true } = {}) {
    const sha = run.templateSha256, key = runKey(sha, run.id);
    const templateValue = template ? Stored.templateValue(template.checklist, template.name, nowIso(), template.origin ?? null) : null;
    const record = template ? Stored.templateRecord(template.checklist, templateValue) : undefined;
    const stores = template ? ["runs", "templates", "meta", "quarantine"] : ["runs", "meta", "quarantine"];
    let merged = false, deleted = false, logged = 0;
    await this.tx(stores, "readwrite", "the run", (t) => {
      const runs = t.objectStore("runs"), meta = t.objectStore("meta");
      // Asked first, so it has answered when the run's request does.
      const tombstone = meta.get(deletedKey(key));
      const request = runs.get(key);
      request.onsuccess = t.guard(() => {
        const raw = request.result;
        if (tombstone.result !== undefined) {
          // A run stored again after its deletion (an undo elsewhere) is no longer deleted.
          if (raw === undefined && !revive) { deleted = true; return; }
          meta.delete(deletedKey(key));
        }
        if (raw !== undefined) {
          let theirs = null;
          try { theirs = Stored.run(sha, run.id, raw); } catch (e) {
            if (e?.name !== "PreflightCorruptError") throw e;
            this.moveAside(t, "runs", key, raw, e);
          }
          // Whether it brought anything, from the merge itself: comparing the run written
          // before and after cost a second write of it (5.5 ms at 10,000 log entries).
          if (theirs) { merged = run.merge(theirs); theirs.free(); }
        }
        logged = run.logLength();
        runs.put(run.toJson(), key);
        // The checklist only with its run: a refused run must not bring back a deleted checklist.
        if (template) this.putTemplateIfMissing(t, sha, templateValue, record);
      });
    });
    if (!deleted) this.announce(sha, run.id);
    return { merged, deleted, logged };
  }

  /** A kept run; undefined when there is none. */
  loadRun(sha, id) {
    return this.read("runs", runKey(sha, id), (raw) => Stored.run(sha, id, raw), "the run");
  }

  /** The runs of one checklist, newest change first. Damaged ones are moved aside. */
  runsOf(sha) {
    return this.tx(["runs", "quarantine"], "readwrite", "to read the runs", (t) => this.collectRuns(t, runsOfRange(sha)));
  }

  /**
   * `name`, or the first of "name (2)", "name (3)", … that no other kept run of the checklist
   * `sha` has (`except`: ids of runs whose names do not count: the run being named, one about
   * to go). A trailing " (n)" is counted on from, not added to.
   */
  async freeRunName(sha, name, except = []) {
    const taken = new Set((await this.runsOf(sha)).filter((r) => !except.includes(r.id)).map((r) => r.name));
    if (!taken.has(name)) return name;
    const base = name.replace(/ \(\d+\)$/, "");
    let n = 2;
    while (taken.has(`${base} (${n})`)) n++;
    return `${base} (${n})`;
  }

  collectRuns(t, range) {
    const out = [];
    const cursor = t.objectStore("runs").openCursor(range);
    cursor.onsuccess = t.guard(() => {
      const c = cursor.result;
      if (!c) return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      const [sha, ...rest] = String(c.key).split("/");
      try { out.push(Stored.runInfo(sha, rest.join("/"), c.value)); } catch (e) {
        if (e?.name !== "PreflightCorruptError") throw e;
        this.moveAside(t, "runs", c.key, c.value, e);
      }
      c.continue();
    });
    return out;
  }

  async deleteRun(sha, id) {
    await this.tx(["runs", "meta"], "readwrite", "the deletion", (t) => {
      t.objectStore("runs").delete(runKey(sha, id));
      this.markDeleted(t, [runKey(sha, id)]);
    });
    this.announce(sha, id);
  }

  /** Forget a checklist with its runs and corrections. */
  async deleteTemplate(sha) {
    await this.tx(["templates", "runs", "corrections", "meta"], "readwrite", "the deletion", (t) => {
      const runs = t.objectStore("runs").getAllKeys(runsOfRange(sha));
      runs.onsuccess = t.guard(() => this.markDeleted(t, runs.result.map(String)));
      t.objectStore("runs").delete(runsOfRange(sha));
      t.objectStore("corrections").delete(sha);
      t.objectStore("templates").delete(sha);
      t.objectStore("meta").delete(infoKey(sha));
    });
    this.announce(sha);
  }

  /**
   * Inside a transaction on meta: note when the runs under `keys` (`<sha>/<id>`) were deleted,
   * and forget notes older than 90 days: a tab left open longer is told the run is gone anyway
   * when it next hears of it, and saves it back only on its next change.
   */
  markDeleted(t, keys) {
    const meta = t.objectStore("meta"), at = nowIso();
    for (const key of keys) meta.put(at, deletedKey(key));
    const old = new Date(Date.now() - KEEP_DELETIONS_MS).toISOString();
    const cursor = meta.openCursor(DELETIONS);
    cursor.onsuccess = t.guard(() => {
      const c = cursor.result;
      if (!c) return;
      if (typeof c.value !== "string" || c.value < old) c.delete();
      c.continue();
    });
  }

  /**
   * Every kept checklist with its runs (newest change first), plus the runs whose checklist is
   * not kept (`orphans`: they stay reachable as files). Damaged values are moved aside.
   * With `{ texts: false }`, what the info records say is taken without reading each text (a
   * checklist without a sound record is read, and gets one): for choosing among them on every
   * import, where reading 10,000-item checklists again cost ~120 ms each. Whatever is chosen
   * is read (`templateInfo`, `loadTemplate`) before it is used.
   */
  async library({ texts = true } = {}) {
    const { templates, runs } = await this.tx(["templates", "runs", "meta", "quarantine"], "readwrite", "to read the library", (t) => {
      const out = { templates: [], runs: this.collectRuns(t, null) };
      const meta = t.objectStore("meta"), kept = t.objectStore("templates");
      // Both answer before anything asked after them: a transaction answers in the order asked.
      const infos = IDBKeyRange.bound("info/", "info/\uffff");
      const keys = meta.getAllKeys(infos), records = meta.getAll(infos);
      const recordOf = () => new Map(keys.result.map((k, i) => [String(k).slice("info/".length), records.result[i]]));
      const add = (sha, raw, record) => {
        try { out.templates.push({ ...this.infoOf(t, sha, raw, record), runs: [] }); } catch (e) {
          if (e?.name !== "PreflightCorruptError") throw e;
          this.moveAside(t, "templates", sha, raw, e);
        }
      };
      if (texts) {
        let bySha = null;
        const cursor = kept.openCursor();
        cursor.onsuccess = t.guard(() => {
          const c = cursor.result;
          if (!c) return;
          bySha ??= recordOf();
          add(String(c.key), c.value, bySha.get(String(c.key)));
          c.continue();
        });
      } else {
        const shas = kept.getAllKeys();
        shas.onsuccess = t.guard(() => {
          const bySha = recordOf();
          for (const key of shas.result) {
            const sha = String(key), summary = Stored.templateSummary(sha, bySha.get(sha));
            if (summary) { out.templates.push({ ...summary, runs: [] }); continue; }
            const read = kept.get(key);
            read.onsuccess = t.guard(() => { if (read.result !== undefined) add(sha, read.result, undefined); });
          }
        });
      }
      return out;
    });
    const bySha = new Map(templates.map((e) => [e.sha256, e]));
    const orphans = [];
    for (const r of runs) (bySha.get(r.templateSha256)?.runs ?? orphans).push(r);
    const latest = (e) => e.runs[0]?.updatedAt || e.importedAt;
    templates.sort((a, b) => latest(b).localeCompare(latest(a)));
    return { templates, orphans };
  }

  // ---- corrections -----------------------------------------------------------------------

  /** Corrections kept for a template (empty when none). Damaged: moved aside and thrown. */
  async loadCorrections(sha) {
    return (await this.read("corrections", sha, (raw) => Stored.corrections(raw), "corrections")) ?? [];
  }

  /**
   * Change a template's kept corrections as `change(kept)` says, read and written in one
   * transaction: two tabs correcting at once each keep theirs (each writing its own copy of the
   * list, the later lost the earlier's). Resolves to the list now kept.
   * @param {string} sha @param {(kept: any[]) => any[]} change
   */
  async changeCorrections(sha, change) {
    const out = { kept: [] };
    await this.tx(["corrections", "quarantine"], "readwrite", "the corrections", (t) => {
      this.changeCorrectionsIn(t, sha, (kept) => (out.kept = change(kept)));
    });
    this.announce(sha);
    return out.kept;
  }

  /**
   * Correct one mark ({id, what}) of a template's reading: `correction` replaces the kept one on
   * it, null drops it (the document says so itself). Resolves to the corrections now kept.
   */
  correct(sha, mark, correction) {
    return this.changeCorrections(sha, (kept) => correctedOn(kept, mark, correction));
  }

  // ---- the run last open -----------------------------------------------------------------

  async last() {
    return this.read("meta", "last", (raw) => Stored.pointer(raw), "pointer to the last run");
  }

  setLast(sha256, run) {
    return this.tx(["meta"], "readwrite", "the last run", (t) => { t.objectStore("meta").put(JSON.stringify({ sha256, run }), "last"); });
  }

  // ---- who is working here ------------------------------------------------------------------

  /**
   * The name last given in a who-dialog in this namespace ("" when none). It is only ever a
   * default in a text field, but still checked: a name, not a document. Earlier versions kept it
   * in localStorage under `preflight/1/<namespace>/who`; that copy is read once if there is none.
   */
  async who() {
    const check = (raw) => {
      if (typeof raw !== "string" || raw.length > 200 || /[\u0000-\u001f\u007f]/.test(raw)) {
        throw Object.assign(new Error("the stored name is not a name"), { name: "PreflightCorruptError" });
      }
      return raw;
    };
    let name;
    try { name = await this.read("meta", "who", check, "the name last given"); } catch (e) { if (e?.name !== "PreflightCorruptError") throw e; }
    if (name !== undefined) return name;
    try { const old = globalThis.localStorage?.getItem(`preflight/1/${this.namespace}/who`); return old ? check(old) : ""; } catch { return ""; }
  }

  setWho(name) {
    return this.tx(["meta"], "readwrite", "your name", (t) => { t.objectStore("meta").put(String(name), "who"); });
  }

  // ---- damaged values --------------------------------------------------------------------

  /** Every value kept aside: `{id, store, key, raw, reason, at}`. */
  quarantined() {
    return this.tx(["quarantine"], "readonly", "to read the damaged values", (t) => {
      const out = [];
      const cursor = t.objectStore("quarantine").openCursor();
      cursor.onsuccess = t.guard(() => {
        const c = cursor.result;
        if (!c) return;
        const v = c.value && typeof c.value === "object" ? c.value : { raw: c.value };
        out.push({ id: c.key, store: v.store, key: v.key, raw: v.raw, reason: v.reason, at: v.at });
        c.continue();
      });
      return out;
    });
  }

  clearQuarantine() {
    return this.tx(["quarantine"], "readwrite", "the deletion", (t) => { t.objectStore("quarantine").clear(); });
  }

  // ---- backup and restore ----------------------------------------------------------------

  /** Everything this namespace keeps, as `preflight.backup/1` (docs/backup-schema.md). */
  async backup() {
    const all = await this.tx(["templates", "runs", "corrections"], "readonly", "to read everything", (t) => {
      const out = { templates: [], runs: [], corrections: [] };
      for (const name of Object.keys(out)) {
        const cursor = t.objectStore(name).openCursor();
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (!c) return;
          const key = String(c.key);
          if (typeof c.value === "string") {
            if (name === "runs") { const at = key.indexOf("/"); out.runs.push({ sha256: key.slice(0, at), id: key.slice(at + 1), value: c.value }); }
            else out[name].push({ sha256: key, value: c.value });
          }
          c.continue();
        };
      }
      return out;
    });
    return JSON.stringify({ schema: "preflight.backup/1", createdAt: nowIso(), namespace: this.namespace, ...all }, null, 1);
  }

  /**
   * Merge a backup into what is kept: checklists that are missing are added, runs are merged
   * entry by entry with the kept copy (the later change wins), corrections are united (the kept
   * one wins on the same mark). Resolves with counts and the entries that were refused.
   */
  async restore(text) {
    const contents = Stored.readBackup(text);
    const counts = { templates: 0, runs: 0, corrections: 0, problems: contents.problems };
    await this.tx(["templates", "runs", "corrections", "meta", "quarantine"], "readwrite", "the backup", (t) => {
      for (const e of contents.templates) { this.putTemplateIfMissing(t, e.sha256, e.value); counts.templates++; }
      // One read and one write per run: a backup may hold a run twice (backups put together),
      // and each copy read before either is written would merge with the stored run alone, the
      // last write dropping the other copy's changes. Copies merge with each other first.
      for (const [key, [e, ...more]] of grouped(contents.runs, (e) => runKey(e.sha256, e.id))) {
        const request = t.objectStore("runs").get(key);
        request.onsuccess = t.guard(() => {
          const ours = Stored.run(e.sha256, e.id, e.value);
          for (const other of more) { const copy = Stored.run(other.sha256, other.id, other.value); ours.merge(copy); copy.free(); }
          if (request.result !== undefined) {
            try { const kept = Stored.run(e.sha256, e.id, request.result); ours.merge(kept); kept.free(); } catch (err) {
              if (err?.name !== "PreflightCorruptError") throw err;
              this.moveAside(t, "runs", key, request.result, err);
            }
          }
          t.objectStore("runs").put(ours.toJson(), key);
          t.objectStore("meta").delete(deletedKey(key)); // restored on purpose: no longer deleted
          ours.free();
          counts.runs++;
        });
      }
      for (const [sha, given] of grouped(contents.corrections, (e) => e.sha256)) { // a list given twice too
        this.uniteCorrections(t, sha, given.flatMap((e) => Stored.corrections(e.value)));
        counts.corrections++;
      }
    });
    this.announce(null);
    // The run open in this very page may be one restored: its view merges it as another tab's.
    this.here.dispatchEvent(new MessageEvent("message", { data: { sha: null, run: null } }));
    return counts;
  }

  /**
   * Inside a transaction on corrections and quarantine: add `theirs` to the corrections kept
   * for `sha` (the kept one wins on the same mark; a damaged kept list is moved aside first).
   */
  uniteCorrections(t, sha, theirs) {
    this.changeCorrectionsIn(t, sha, (kept) => unitedCorrections(kept, theirs));
  }

  /**
   * Inside a transaction on corrections and quarantine: keep `change(kept)` as the corrections
   * of `sha` (a damaged kept list is moved aside first and read as none; an empty one removes them).
   */
  changeCorrectionsIn(t, sha, change) {
    const request = t.objectStore("corrections").get(sha);
    request.onsuccess = t.guard(() => {
      let kept = [];
      if (request.result !== undefined) {
        try { kept = Stored.corrections(request.result); } catch (err) {
          if (err?.name !== "PreflightCorruptError") throw err;
          this.moveAside(t, "corrections", sha, request.result, err);
        }
      }
      const next = change(kept);
      if (next.length) t.objectStore("corrections").put(Stored.correctionsValue(next), sha);
      else t.objectStore("corrections").delete(sha);
    });
  }

  // ---- eviction --------------------------------------------------------------------------

  /**
   * Ask once for persistent storage (browsers may otherwise evict it; Safari clears script-written
   * storage after 7 days without a visit). Never awaited by start-up: Firefox asks the user.
   */
  async persist() {
    try {
      if (await navigator.storage?.persisted?.()) return true;
      return Boolean(await navigator.storage?.persist?.());
    } catch { return false; }
  }

  async persisted() {
    try { return Boolean(await navigator.storage?.persisted?.()); } catch { return false; }
  }

  /**
   * Close the connection and the channel to other tabs: the store is not used after. Saves
   * already under way finish first (IndexedDB closes a connection once its transactions end).
   */
  close() {
    try { this.channel?.close(); } catch { /* closed already */ }
    try { this.db.close(); } catch { /* closed already */ }
  }

  // ---- other tabs ------------------------------------------------------------------------

  /**
   * `callback(sha, runId)` when another tab writes a run; `callback(sha, null)` for other changes
   * (`sha` null: any checklist's), and when this page restores a backup. Until `signal` (an
   * AbortSignal) aborts.
   */
  watch(callback, signal) {
    const heard = (/** @type {any} */ e) => {
      const { sha, run } = e.data || {};
      if (typeof sha === "string" || sha === null) callback(sha, typeof run === "string" ? run : null);
    };
    this.channel?.addEventListener("message", heard, { signal });
    this.here.addEventListener("message", heard, { signal });
  }

  // ---- what localStorage held before ------------------------------------------------------

  /**
   * Copy what earlier versions kept in localStorage (`preflight/1/<namespace>/…`, and the
   * preview layout `preflight:<sha256>:<run id>`) into IndexedDB, once. Every value is checked;
   * runs merge with what is already here; damaged values go to quarantine. The originals stay
   * where they were, so an older tab still open loses nothing either.
   */
  async migrate() {
    await ready(); // a store may be opened while the engine is still on its way
    let ls;
    try { ls = globalThis.localStorage; if (!ls) return; } catch { return; }
    const done = await this.tx(["meta"], "readonly", "to read storage", (t) => {
      const out = {};
      const r = t.objectStore("meta").get("migrated");
      r.onsuccess = () => { out.value = r.result; };
      return out;
    });
    if (done.value) return;
    const prefix = `preflight/1/${this.namespace}/`;
    const entries = [];
    try {
      for (let i = 0; i < ls.length; i++) {
        const key = ls.key(i);
        if (key?.startsWith(prefix) || (this.namespace === "app" && /^preflight:[0-9a-f]{64}:[^:]+$/.test(key || ""))) entries.push([key, ls.getItem(key)]);
      }
    } catch { return; }
    await this.tx(["templates", "runs", "corrections", "quarantine", "meta"], "readwrite", "the migration", (t) => {
      const aside = (key, raw, reason) => t.objectStore("quarantine").put({ store: "localStorage", key, raw, reason, at: nowIso() }, `localStorage/${key}#${tag(raw)}`);
      // Runs are gathered first, merged with each other (an earlier version may have kept one
      // run under two keys), then each merged with a copy already in IndexedDB: one read and one
      // write per run, so no copy's write drops another's changes.
      const runs = new Map();
      const mergeRun = (run) => {
        const key = runKey(run.templateSha256, run.id);
        const other = runs.get(key);
        if (other) { other.merge(run); run.free(); } else runs.set(key, run);
      };
      for (const [key, raw] of entries) {
        const rest = key.startsWith(prefix) ? key.slice(prefix.length) : null;
        try {
          if (rest === null) { const run = Stored.previewRun(raw); if (run) mergeRun(run); continue; }
          const [kind, sha, ...id] = rest.split("/");
          if (kind === "template") { Stored.template(sha, raw).free(); this.putTemplateIfMissing(t, sha, raw); }
          else if (kind === "run") mergeRun(Stored.run(sha, id.join("/"), raw));
          else if (kind === "corrections") this.uniteCorrections(t, sha, Stored.corrections(raw)); // never over a kept list
          else if (kind === "quarantine") aside(key, raw, "kept aside by an earlier version");
          else if (kind === "last") {
            // A pointer is no one's work: one that does not read is dropped, not kept.
            try {
              const old = JSON.parse(raw), value = JSON.stringify({ sha256: old.sha, run: old.run });
              Stored.pointer(value);
              t.objectStore("meta").put(value, "last");
            } catch { /* start from the library instead */ }
          }
        } catch (e) {
          aside(key, raw, e?.message || String(e));
        }
      }
      for (const [key, run] of runs) {
        const request = t.objectStore("runs").get(key);
        request.onsuccess = t.guard(() => {
          if (request.result !== undefined) {
            try { const kept = Stored.run(run.templateSha256, run.id, request.result); run.merge(kept); kept.free(); } catch (err) {
              // Damaged, but someone's: kept aside. (Any other failure leaves it as it was, and
              // ours goes in, as before: a migration is never stopped by one run.)
              if (err?.name === "PreflightCorruptError") this.moveAside(t, "runs", key, request.result, err);
            }
          }
          t.objectStore("runs").put(run.toJson(), key);
          run.free();
        });
      }
      t.objectStore("meta").put(nowIso(), "migrated");
    });
  }
}
