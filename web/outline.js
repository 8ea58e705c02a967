// The section outline: every section with items, its progress (done/applicable · score, or
// "off" for a switched-off conditional section), linking to the section. Open on wide screens
// (up to WIDE_MAX sections) and whenever it fits on a screen; once the user opens or closes it,
// it stays that way.
import { h } from "./dom.js";
import { isTitle, progressLabel } from "./sections.js";

const WIDE = "(min-width: 64rem)";
const WIDE_MAX = 100;

/** The outline of the sections with items (null when there are fewer than two). */
export function outline(view, scores) {
  if (view.compact) return null;
  const rows = view.model.sections.map((s, index) => [s, index, scores.get(s.id)])
    .filter(([s, index, score]) => index > 0 && score?.counts.total && !isTitle(view, s) && !view.underFold(s));
  if (rows.length < 2) return null;
  const top = Math.min(...rows.map(([s]) => s.level));
  const list = h("ol", {}, rows.map(([s, , score]) => h("li", { class: `depth-${Math.min(s.level - top, 3)}` },
    h("a", { href: `#section-${s.id}`, onclick: (e) => view.reveal(e, `section-${s.id}`) }, s.title), " ", progressLabel(view, score))));
  const chosen = view.openPanels.has("outline") ? true : view.openPanels.has("outline-closed") ? false : null;
  // Open when it fits on a screen, or on a wide screen when it is not a book of its own (laying
  // out 20,000 entries took seconds); otherwise one click away.
  const open = chosen ?? (rows.length <= 15 || (rows.length <= WIDE_MAX && typeof matchMedia === "function" && matchMedia(WIDE).matches));
  const details = h("details", { class: "outline", open }, h("summary", {}, `Sections (${rows.length})`), h("nav", { "aria-label": "Sections" }, list));
  details.addEventListener("toggle", () => {
    if (details.open === open) return; // the toggle event of being built open
    view.openPanels.delete(details.open ? "outline-closed" : "outline");
    view.openPanels.add(details.open ? "outline" : "outline-closed");
  });
  return details;
}
