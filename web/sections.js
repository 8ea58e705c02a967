// The document's sections, drawn into the stage they belong to: a heading with its progress,
// its conditional switch and its why; its items (rows.js, progressively: parts.js), blocks and
// fields; its subsections. A section whose content belongs to another stage appears only as
// the frame (a plain heading) of the subsections that belong here. Which stage a section is in,
// whether it is conditional and whether it applies are the engine's answers (model, scores).
import { h, now } from "./dom.js";
import { percent } from "./engine.js";
import { whyButton } from "./reading.js";
import { blockNode } from "./rows.js";

/** A section's progress in words, from its score card. */
export function sectionProgress(score) {
  const shown = score.counts.applicable ? percent(score.scoreTenths) : score.conditional && !score.active ? "off" : "—";
  return `${score.counts.done}/${score.counts.applicable} · ${shown}`;
}

/** A section's progress figure, registered so changeItem can keep it current wherever it is shown. */
export function progressLabel(view, score) {
  const el = h("span", { class: "section-progress" }, sectionProgress(score));
  if (!view.sectionLabels.has(score.id)) view.sectionLabels.set(score.id, []);
  view.sectionLabels.get(score.id).push(el);
  return el;
}

/** Bits for the parts of the page a section's content can belong to (partMasks). */
const PART = { preamble: 1, before: 2, during: 4, after: 8, contingency: 16, null: 32 };

/** The section that is the checklist's title (already the view's title). */
export function isTitle(view, s) { return s.level === 1 && s.title === view.model.title; }

/**
 * Where section `index`'s own content belongs: its gate, or null (notes, references); the
 * text before the first heading and under the title is the "preamble" unless it has a gate
 * (a flat checklist's items sit there).
 */
function ownPart(view, index) {
  const s = view.model.sections[index];
  return s.gate ?? (index === 0 || isTitle(view, s) ? "preamble" : null);
}

/**
 * Which parts (PART bits) each section's subtree holds, so that drawing one part visits only
 * the sections that have something in it: one pass, children after their parents.
 */
export function partMasks(view) {
  const sections = view.model.sections;
  const mask = new Uint8Array(sections.length);
  for (let i = sections.length - 1; i >= 0; i--) {
    mask[i] |= PART[ownPart(view, i)];
    const p = sections[i].parent;
    if (p !== null && p !== undefined) mask[p] |= mask[i];
  }
  return mask;
}

/** How many tasks each section holds, its subsections' included (by section index): one pass, children after their parents. */
export function tasksUnder(model) {
  const sections = model.sections;
  const n = new Uint32Array(sections.length);
  for (const item of model.items) if (item.kind === "task" && sections[item.section]) n[item.section]++;
  for (let i = sections.length - 1; i > 0; i--) {
    const p = sections[i].parent;
    if (p !== null && p !== undefined && p < i) n[p] += n[i];
  }
  return n;
}

/** Does section `s` hold tasks of its own (not only in subsections)? */
const ownTasks = (view, s) => s.blocks.some((b) => b.type === "item" && view.items[b.item].kind !== "signOff");

/**
 * The switch of a conditional section, beside its heading, or null. Each conditional section
 * with tasks of its own carries one, so every scenario of "Special Deployment Scenarios" is
 * switched by itself; a section that only groups conditional subsections carries none (unless
 * the run has it switched on, so it can be switched off again). A subsection whose parent is
 * switched on applies with it (the engine's rule): its switch shows that, and is not a control.
 */
function sectionSwitch(view, index, scores) {
  const s = view.model.sections[index];
  if (!s.conditional || s.gate === "contingency") return null;
  const conditionalChildren = s.children.some((c) => view.model.sections[c].conditional);
  const switchedOn = Boolean(view.runState.sections[s.id]?.on);
  if (!ownTasks(view, s) && conditionalChildren && !switchedOn) return null;
  const parent = view.model.sections[s.parent];
  const byParent = parent?.conditional && scores.get(parent.id)?.active;
  const id = `switch-${s.id}`;
  const box = h("input", { type: "checkbox", id, checked: Boolean(scores.get(s.id)?.active), disabled: byParent,
    "aria-label": byParent ? `“${s.title}” applies with “${parent.title}”` : `“${s.title}” applies to this deployment`,
    onchange: (e) => view.change(() => view.run.setSection(view.checklist, s.id, e.target.checked, undefined, now()), id) });
  return h("label", { class: "section-switch" }, box, byParent ? ` applies with “${parent.title}”` : " applies to this deployment");
}

/** How tall a section's own content is likely to be (rem), for layout to reserve while it is skipped. */
function estimate(view, s) {
  let rem = 3;
  for (const b of s.blocks) rem += b.type === "item" ? (1 + view.parts.descendants(b.item)) * ROW_REM : 2.5;
  return rem;
}
const ROW_REM = 2.2; // one row, as view.css draws it (--pf-row-h)

/**
 * Section `index` as far as it belongs to `part` (a gate, null for no stage, or "preamble"):
 * its heading, items, blocks and fields when its own content belongs there, only its heading
 * (as context, no id) when only some subsections do; null when nothing of it does.
 */
export function sectionNode(view, index, scores, part) {
  if (!(view.masks[index] & PART[part])) return null;
  const s = view.model.sections[index];
  const own = ownPart(view, index) === part;
  const children = s.children.map((c) => sectionNode(view, c, scores, part)).filter(Boolean);
  if (!own && !children.length) return null;
  const content = [];
  const fields = [];
  if (own) {
    let items = null;
    for (const b of s.blocks) {
      if (b.type === "item") {
        if (view.items[b.item].kind === "signOff") continue;
        if (!items) { items = h("ul", { class: "items" }); content.push(items); }
        view.parts.queue(items, b.item);
      } else { items = null; content.push(blockNode(b)); }
    }
    for (const f of view.fieldsBySection.get(index) ?? []) {
      // What is typed and not yet saved (saving waits for Enter or leaving the field) is a draft
      // kept by the view: a redraw (a tick, another tab's change) must not wipe it.
      const key = view.draftKey("field", f.id);
      const draft = view.drafts.get(key);
      const value = typeof draft === "string" ? draft : view.runState.fields[f.id]?.value || "";
      fields.push(h("div", { class: "field" }, h("label", { for: `field-${f.id}` }, f.label),
        // Saved without redrawing the page: a field changes no score, and Tab has already
        // chosen where focus goes next.
        h("input", { id: `field-${f.id}`, value, oninput: (e) => view.drafts.set(key, e.target.value),
          onchange: (e) => view.change(() => { view.setTyped("field", f.id, e.target.value); view.drafts.delete(key); view.handed("field", f.id); }, null, false) })));
    }
  }
  // A section whose only items are sign-offs (shown in their stage's panel) has nothing to show.
  if (own && !content.length && !fields.length && !children.length && s.blocks.length) return null;
  const level = Math.min(Math.max(s.level + 1, 3), 5);
  const score = scores.get(s.id);
  let heading = null;
  if (index > 0 && !isTitle(view, s)) {
    heading = own
      ? h(`h${level}`, { id: `section-${s.id}`, tabindex: s.gate === "contingency" ? "-1" : null }, s.title, score && score.counts.total ? progressLabel(view, score) : null,
        sectionSwitch(view, index, scores), view.compact ? null : whyButton(view, s, "section"))
      : h(`h${level}`, { class: "context" }, s.title);
  }
  const reading = own && heading && !view.compact ? view.readingPanel(s, "section") : null;
  // Muted while nothing in it counts (a group of scenarios with one switched on is not).
  const off = own && s.conditional && score && !score.active && !score.counts.applicable;
  const node = h("section", { class: `checklist-section${own ? "" : " context"}${off ? " off" : ""}` }, heading, reading, content, fields, children);
  node.pfEstimate = (own ? estimate(view, s) : 2) + children.reduce((n, c) => n + c.pfEstimate, 0);
  node.style.setProperty("--est", `${node.pfEstimate.toFixed(1)}rem`); // CSSOM: allowed by the CSP
  if (index > 0 && !children.length) view.parts.skippable(node); // innermost: skipped while far off screen
  return node;
}
