// The section outline: every section with items, its progress (done/applicable · score, or
// "off" for a switched-off conditional section), linking to the section.
import { h } from "./dom.js";
import { isTitle, progressLabel } from "./sections.js";

/** The outline of the sections with items (null when there are fewer than two). */
export function outline(view, scores) {
  if (view.compact) return null;
  const rows = view.model.sections.map((s, index) => [s, index, scores.get(s.id)])
    .filter(([s, index, score]) => index > 0 && score?.counts.total && !isTitle(view, s) && !view.underFold(s));
  if (rows.length < 2) return null;
  const top = Math.min(...rows.map(([s]) => s.level));
  const list = h("ol", {}, rows.map(([s, , score]) => h("li", { class: `depth-${Math.min(s.level - top, 3)}` },
    h("a", { href: `#section-${s.id}`, onclick: (e) => view.reveal(e, `section-${s.id}`) }, s.title), " ", progressLabel(view, score))));
  // Open when it fits on a screen; a long checklist's outline is one click away.
  return h("details", { class: "outline", open: rows.length <= 15 },
    h("summary", {}, `Sections (${rows.length})`), h("nav", { "aria-label": "Sections" }, list));
}
