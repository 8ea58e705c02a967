// <preflight-checklist>: the checklist view as a custom element for wiki pages and docs sites.
//   <script src="preflight-checklist.js"></script>
//   <preflight-checklist src="DEPLOYMENT_CHECKLIST.md" namespace="payments"></preflight-checklist>
// or with the Markdown inside the element (best in a <template> or
// <script type="text/markdown">, which the browser leaves as text).
// Attributes: src, namespace (whose progress: defaults to "embed"), compact, sample (the
// built-in sample checklist), from-link (src came from a link, not from the host page: the
// embed page sets it for its ?src=, so nothing of it is kept until the user says so). Events:
// preflight-ready and preflight-change, detail {score, scoreTenths, verdict, band, counts, signOffs}
// of the before gate ("may we deploy?"), as checklist.score() and `preflight score` answer.
// Everything lives in a shadow root: the host page's CSS does not reach in, ours does not leak out.
import { ready, Checklist } from "./engine.js";
import { Store } from "./store.js";
import { h, now, today, Notice, uuid } from "./dom.js";
import { ChecklistView, latestRun } from "./view.js";
import VIEW_CSS from "./view.css";

// `all: initial` stops the host's inherited font, colour and spacing at the boundary; the
// wrapper sets ours explicitly so nothing depends on what the host page inherits.
const ELEMENT_CSS = `
:host { all: initial; display: block; }
:host([hidden]) { display: none; }
.pf-root { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  text-align: start; letter-spacing: normal; word-spacing: normal; text-transform: none; padding: .5rem; }
.pf-tools { display: flex; flex-wrap: wrap; gap: .4rem; justify-content: flex-end; }
.pf-tools button { font-size: .8rem; padding: .1rem .5rem; }
:host([compact]) .summary { padding: .4rem .6rem; } :host([compact]) .score { font-size: 1.2rem; }
`;

let sheet = null;
function styles() {
  // One constructed sheet shared by every instance; constructed sheets are not blocked by a
  // host page's style-src policy the way a <style> element would be.
  if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(VIEW_CSS + ELEMENT_CSS); }
  return sheet;
}

/** Markdown placed inside the element, with the indentation of the surrounding HTML removed. */
export function inlineMarkdown(el) {
  const holder = el.querySelector(':scope > template, :scope > script[type="text/markdown"]');
  // A <template>'s Markdown was parsed as HTML: its serialization gives the tags back, and only
  // the four characters the serializer escapes in text need undoing.
  const raw = !holder ? el.textContent : holder.content
    ? holder.innerHTML.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&nbsp;/g, "\u00a0").replace(/&amp;/g, "&")
    // In <script type="text/markdown"> the Markdown is written with `</` as `<\/` and `<!--` as
    // `<\!--` (what `preflight embed` prints): raw, the first `</script` in a checklist would end
    // the element and the rest would run as the host page's HTML.
    // ("$1": a literal `<!--` here would itself be refused by scripts/bundle.mjs's inline check.)
    : holder.textContent.replace(/<\\\//g, "</").replace(/<\\(!--)/g, "<$1");
  const lines = raw.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines.at(-1).trim()) lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n") + "\n";
}

/** Fresh runs started on this page, by namespace and checklist: see `load`. */
const freshRuns = new Map();

class PreflightChecklist extends HTMLElement {
  static observedAttributes = ["src", "namespace", "compact", "sample", "from-link"];

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: "open" });
    shadow.adoptedStyleSheets = [styles()];
    this.noticeEl = h("div", { class: "notice", role: "alert", hidden: true });
    this.toolsEl = h("div", { class: "pf-tools" });
    this.viewEl = h("div", {}, h("p", { class: "muted" }, "Loading the checklist…"));
    shadow.append(h("div", { class: "pf-root", part: "root" }, this.toolsEl, this.noticeEl, this.viewEl));
    this.notice = new Notice(this.noticeEl);
    this.loading = null;
  }

  connectedCallback() { this.reload(); }
  /** Taken out of the page (a host's navigation): what was typed is kept as leaving the page keeps it. */
  disconnectedCallback() { this.view?.destroy(); }
  attributeChangedCallback(_name, old, value) { if (old !== value && this.isConnected) this.reload(); }

  /** The attributes a load reads, as one string: a load that read others is loaded again. */
  attributesRead() { return PreflightChecklist.observedAttributes.map((n) => `${n}=${this.getAttribute(n)}`).join("\n"); }

  /** The run's scorecard, checklist and run, for host pages that want more than the events. */
  get checklist() { return this.view?.checklist ?? null; }
  get run() { return this.view?.run ?? null; }
  get scorecard() { return this.view?.checklist ? this.view.checklist.score(this.view.run) : null; }
  /** The report as text (a promise: reports load on first use): format "md", "html" or "json". */
  export(format = "md") { return this.view.report(format); }

  reload() {
    // Several attribute changes in one task load once. A change while a load is under way (its
    // fetch, its storage) is not lost: once it ends, what it read is compared with what the
    // attributes say now, and a difference loads again, so ticks never land on a checklist the
    // host has already replaced.
    if (this.loading) return this.loading;
    let read = "";
    this.loading = Promise.resolve().then(() => { read = this.attributesRead(); return this.load(); })
      .catch((e) => this.notice.show(`Preflight could not load this checklist: ${e.message}`, "error"))
      .finally(() => {
        this.loading = null;
        if (this.isConnected && this.attributesRead() !== read) this.reload();
      });
    return this.loading;
  }

  async load() {
    // Upgraded while the parser is still inside the element: wait for its content.
    if (!this.hasAttribute("src") && document.readyState === "loading") await new Promise((r) => document.addEventListener("DOMContentLoaded", r, { once: true }));
    await ready();
    const src = this.getAttribute("src");
    let bytes, name, origin = null;
    if (src) {
      const url = new URL(src, document.baseURI);
      const response = await fetch(url, { credentials: "same-origin" }).catch((e) => { throw new Error(`${url} could not be fetched (${e.message}; another site must allow it with CORS)`); });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      bytes = new Uint8Array(await response.arrayBuffer());
      name = decodeURIComponent(url.pathname.split("/").pop() || url.host);
      origin = { kind: this.hasAttribute("from-link") ? "link" : "host", url: url.href };
    } else if (this.hasAttribute("sample")) {
      bytes = null;
      name = "DEPLOYMENT_CHECKLIST.md (sample)";
    } else {
      bytes = new TextEncoder().encode(inlineMarkdown(this));
      name = "checklist on this page";
    }
    const checklist = bytes ? Checklist.fromBytes(bytes) : Checklist.sample();
    // One store (a database connection, a channel to other tabs) per namespace, not per load.
    const namespace = this.getAttribute("namespace") || "embed";
    let store = this.store?.namespace === namespace ? this.store : null;
    // Another namespace's store is closed once the view that used it has no save left to make.
    const previous = store ? null : this.store;
    const retire = (view) => { if (previous) (view?.saving ?? Promise.resolve()).catch(() => {}).finally(() => previous.close()); };
    try { store ??= await Store.open(namespace); } catch (e) {
      this.notice.show(`Progress is kept in this page only (${e.message}).`);
    }
    this.store = store;
    // From a link: kept only once the user says so, unless this very text is kept already.
    const keep = origin?.kind !== "link" || Boolean(store && await store.templateInfo(checklist.sourceSha256).catch(() => null));
    const latest = keep ? await latestRun(store, checklist).catch((e) => { this.notice.show(e.message); return null; }) : null;
    // Two elements of one checklist and namespace on a page are one run: the second to start a
    // fresh run takes the first's id, so their saves merge instead of making two runs.
    const shared = `${namespace}\n${checklist.sourceSha256}`;
    const run = latest || checklist.newRun(freshRuns.get(shared) ?? uuid(), `Run of ${today()}`, now());
    if (!latest) freshRuns.set(shared, run.id);
    // Taken out of the page while loading: no view for it (the next connection loads again).
    if (!this.isConnected) return retire(this.view);
    // A fresh container per load: the previous view's delegated listeners stay with the old one,
    // and the previous view goes before the next opens, so what was typed in it reaches its run.
    this.view?.destroy();
    retire(this.view);
    const container = h("div");
    this.viewEl.replaceWith(container);
    this.viewEl = container;
    this.view = new ChecklistView(this.viewEl, {
      store, notice: this.notice, compact: this.hasAttribute("compact"), titleTag: "h2",
      onChange: (_view, card, cause) => this.emit(cause === "change" || cause === "merge" ? "preflight-change" : "preflight-ready", card),
    });
    this.view.watch();
    this.tools();
    if (checklist.model().items.length === 0) this.notice.show(`${name} has no task items (“- [ ] …”).`, "error");
    await this.view.open(checklist, run, name, undefined, { origin, keep });
  }

  tools() {
    const save = (format) => () => this.view.downloadReport(format);
    this.toolsEl.replaceChildren(...(this.hasAttribute("compact") ? [] : [
      h("button", { type: "button", onclick: save("md") }, "Markdown"),
      h("button", { type: "button", onclick: save("html") }, "HTML report"),
      h("button", { type: "button", onclick: save("json") }, "JSON")]));
  }

  emit(type, card) {
    const detail = { score: card.scoreTenths / 10, scoreTenths: card.scoreTenths, verdict: card.verdict, band: card.band.label, counts: card.counts, signOffs: card.signOffs };
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get("preflight-checklist")) customElements.define("preflight-checklist", PreflightChecklist);
