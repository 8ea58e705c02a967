// Progressive rendering of long checklists: the first EAGER_ITEMS rows at once, the rest in
// document order in chunks between frames, so a 10,000-item checklist is on screen and usable
// immediately. Rows after the first screen go into parts of their list, one `ul.items.part` per
// chunk, each skipped by layout while off screen (view.css).
import { h } from "./dom.js";
import { itemRow } from "./rows.js";

const EAGER_ITEMS = 300;
const CHUNK_ITEMS = 1000;

export class Parts {
  constructor(view) {
    this.view = view;
    this.job = 0;
    this.reset();
  }

  /** A new render: forget every part of the last one. */
  reset() {
    this.job++;
    this.built = 0;
    this.pending = [];
    this.lastPart = new Map();
  }

  /** A top-level row of `list`: built now while the first screen fills, else later in a part. */
  queue(list, index) {
    if (this.built < EAGER_ITEMS) {
      const node = itemRow(this.view, index);
      if (node) { list.append(node); this.built += 1 + this.descendants(index); }
    } else this.pending.push([list, index]);
  }

  descendants(index) {
    const items = this.view.items;
    let n = 0; const stack = [...items[index].children];
    while (stack.length) { const i = stack.pop(); n++; stack.push(...items[i].children); }
    return n;
  }

  /** Once the page is in place: the rows still waiting, between frames. */
  place() {
    const job = this.job;
    if (this.pending.length) setTimeout(() => this.pump(job), 0);
    else performance.measure("preflight-render-complete", "preflight-render-start");
  }

  /** Build every row still waiting now (the row of an item the details panel goes back to). */
  ensure() {
    if (this.pending.length) this.pump(this.job, this.pending.length);
  }

  /**
   * Rows after the first screen go into parts of their list, one `ul.items.part` per chunk,
   * each skipped by layout while off screen (view.css). Appended to one list, a flat section
   * of 10,000 items was laid out whole for every chunk: 2.2 s to show them all, 17 s for 50,000.
   */
  pump(job, size = CHUNK_ITEMS) {
    if (job !== this.job) return;
    const chunk = this.pending.splice(0, size);
    const parts = new Map();
    for (const [list, index] of chunk) {
      const node = itemRow(this.view, index);
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
}
