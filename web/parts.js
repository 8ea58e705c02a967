// Long checklists on screen: progressive rendering, and no blank screen while scrolling.
//
// The first EAGER_ITEMS rows are built with the page. Every row after them goes into a part of
// its list (`ul.items.part`, at most CHUNK_ITEMS rows), placed at once, empty but as tall as its
// rows will be (view.css: --rows), so the scrollbar is right from the start. Parts are filled in
// document order between frames.
//
// Off screen, on a long checklist, the innermost sections and the filled parts are skipped by
// layout (content-visibility: auto), which keeps a 10,000-row page fast; but the browser learns that
// one has come into view only after painting the frame, so a jump would show a blank screen for
// a frame. So a scroll handler, which runs before the frame is laid out, marks what is on screen
// or within a screen below it `near` (laid out as usual) and fills the parts there at once; what
// moves further away is skipped again. Sections and parts are each kept in document order,
// so what is near is found by bisection: a few layout reads per scroll, however long the page.
import { h } from "./dom.js";
import { itemRow } from "./rows.js";

const EAGER_ITEMS = 300;
const CHUNK_ITEMS = 1000;

export class Parts {
  constructor(view) {
    this.view = view;
    this.job = 0;
    this.near = new Set();
    this.onScroll = () => this.update();
    this.reset();
  }

  /** A new render: forget every part and section of the last one. */
  reset() {
    this.job++;
    this.built = 0;
    this.pending = []; // [list, index] in document order, waiting for a part
    this.parts = []; // {el, rows: [index…], size (rows with sub-items), filled, section}, in document order
    this.sections = []; // the sections layout may skip (innermost), in document order
    this.next = 0; // parts before this one are filled
    this.partOf = new Map(); // item index (top-level in its list) → part
    this.near = new Set();
    this.stopListening();
  }

  /** A top-level row of `list`: built now while the first screen fills, else later in a part. */
  queue(list, index) {
    if (this.built < EAGER_ITEMS) {
      const node = itemRow(this.view, index);
      if (node) { list.append(node); this.built += 1 + this.descendants(index); }
    } else this.pending.push([list, index]);
  }

  /**
   * A section that layout may skip while it is far from the screen (sections.js, in document
   * order). Only on a long checklist: a skipped section is laid out at its estimated height until
   * it comes near, so a row scrolled into view (a jump, a focus, a test's click) can move by the
   * estimate's error a frame later — up to 300 px on a phone. On a page whose rows are all built
   * with it, laying everything out costs less than a frame, so nothing moves.
   */
  skippable(section) {
    if (this.view.items.length <= EAGER_ITEMS) return;
    section.classList.add("skippable");
    this.sections.push(section);
  }

  descendants(index) {
    const items = this.view.items;
    let n = 0; const stack = [...items[index].children];
    while (stack.length) { const i = stack.pop(); n++; stack.push(...items[i].children); }
    return n;
  }

  /**
   * Once the page is in place: a part per CHUNK_ITEMS waiting rows of each list, right after
   * the list (or its previous part), sized by its rows; then fill them. Appended to one list, a
   * flat section of 10,000 items was laid out whole for every chunk: 2.2 s to show them all.
   */
  place() {
    const last = new Map();
    for (const [list, index] of this.pending) {
      if (this.view.items[index].kind === "signOff") continue;
      let part = last.get(list);
      if (!part || part.rows.length >= CHUNK_ITEMS) {
        const el = h("ul", { class: "items part pending" });
        (part?.el || list).after(el);
        part = { el, rows: [], size: 0, filled: false, section: list.closest("section.skippable") };
        last.set(list, part);
        this.parts.push(part);
      }
      part.rows.push(index);
      part.size += 1 + this.descendants(index);
      this.partOf.set(index, part);
    }
    this.pending = [];
    for (const part of this.parts) part.el.style.setProperty("--rows", part.size); // CSSOM: allowed by the CSP
    if (this.sections.length || this.parts.length) this.startListening();
    this.update();
    if (!this.parts.length) return this.done();
    const job = this.job;
    setTimeout(() => this.pump(job), 0);
  }

  /**
   * Stop filling parts in the background (another checklist is on its way); parts that come
   * near the screen are still filled on scrolling. Returns what `resume` takes.
   */
  hold() {
    return ++this.job;
  }

  /** Fill the rest in the background again, unless the view was rendered anew since `hold`. */
  resume(held) {
    if (held !== this.job || this.next >= this.parts.length) return;
    setTimeout(() => this.pump(held), 0);
  }

  /** Fill one part with its rows. */
  fill(part) {
    if (part.filled) return;
    part.filled = true;
    const rows = [];
    for (const index of part.rows) { const node = itemRow(this.view, index); if (node) rows.push(node); }
    part.el.append(...rows);
    part.el.classList.remove("pending");
  }

  /** The next parts in document order, about CHUNK_ITEMS rows per task, until all are filled. */
  pump(job) {
    if (job !== this.job) return;
    let rows = 0;
    while (this.next < this.parts.length && rows < CHUNK_ITEMS) {
      const part = this.parts[this.next++];
      if (!part.filled) { this.fill(part); rows += part.size; }
    }
    if (this.next < this.parts.length) setTimeout(() => this.pump(job), 0);
    else this.done();
  }

  /**
   * Before this frame is laid out: what is on screen or within a screen below it is laid out
   * (and filled), what is more than two screens away may be skipped again.
   */
  update() {
    if (!this.view.container.isConnected) return this.stopListening();
    const height = window.innerHeight || 800;
    // What has focus stays where the browser (or a jump) put it: a section laid out here at its
    // real height instead of its estimate would otherwise move it, off screen at worst.
    const active = this.view.root.activeElement;
    const anchor = active && this.view.container.contains(active) ? active.getBoundingClientRect().top : null;
    const keep = new Set();
    const bring = (el) => { keep.add(el); if (!this.near.has(el)) { el.classList.add("near"); this.near.add(el); } };
    // From the top of the screen down: what changes size above it would move what is shown
    // (scroll anchoring has not picked its anchor yet at this point of the frame).
    for (const section of this.within(this.sections, (s) => s.getBoundingClientRect(), 0, 2 * height)) bring(section);
    // A part in a section still skipped is as far away as its section: measure that instead
    // (measuring inside a skipped section would lay it out).
    const rect = (part) => (part.section && !part.section.classList.contains("near") ? part.section : part.el).getBoundingClientRect();
    for (const part of this.within(this.parts, rect, 0, 2 * height)) { this.fill(part); bring(part.el); }
    for (const el of this.near) {
      if (keep.has(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.bottom < -2 * height || r.top > 3 * height) { el.classList.remove("near"); this.near.delete(el); }
    }
    // Only a focused element on screen: one off screen is not what the user is looking at.
    if (anchor !== null && anchor >= 0 && anchor < height) {
      const moved = active.getBoundingClientRect().top - anchor;
      if (Math.abs(moved) >= 1) scrollerOf(this.view.container).scrollBy({ top: moved, behavior: "instant" });
    }
  }

  /** The entries of `list` (in document order, not nested) that cross [top, bottom] of the screen. */
  within(list, rect, top, bottom) {
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rect(list[mid]).bottom <= top) lo = mid + 1; else hi = mid;
    }
    const out = [];
    for (let i = lo; i < list.length && rect(list[i]).top < bottom; i++) out.push(list[i]);
    return out;
  }

  /** Make sure the row of item `index` (or of the top-level item it sits under) is built. */
  ensure(index) {
    const items = this.view.items;
    let i = index;
    while (items[i]?.parent !== null && items[i]?.parent !== undefined && !this.partOf.has(i)) i = items[i].parent;
    const part = this.partOf.get(i);
    if (part) this.fill(part);
  }

  done() {
    performance.measure("preflight-render-complete", "preflight-render-start");
  }

  startListening() {
    if (this.listening) return;
    this.listening = true;
    // Capture: scrolls of any scrolling ancestor (a host page's pane) as well as the page's.
    document.addEventListener("scroll", this.onScroll, { capture: true, passive: true });
    window.addEventListener("resize", this.onScroll, { passive: true });
  }

  stopListening() {
    if (!this.listening) return;
    this.listening = false;
    document.removeEventListener("scroll", this.onScroll, { capture: true });
    window.removeEventListener("resize", this.onScroll);
  }
}

/** The box that scrolls `el`: the nearest scrolling ancestor (a host page's pane), else the page. */
function scrollerOf(el) {
  for (let node = el.parentElement || el.getRootNode().host; node; node = node.parentElement || node.getRootNode().host) {
    if (node === document.documentElement) break;
    const { overflowY } = getComputedStyle(node);
    if ((overflowY === "auto" || overflowY === "scroll") && node.scrollHeight > node.clientHeight) return node;
  }
  return document.scrollingElement || document.documentElement;
}
