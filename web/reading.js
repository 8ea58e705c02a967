// Why and correct. Beside every mark the engine inferred (an item critical or optional, a line
// read as a sign-off, a section's stage, a section conditional) a "why" disclosure shows the
// rule, line and words behind it, and lets the user correct the reading. A correction belongs
// to the checklist, not to a run: ChecklistView.correct keeps it with the stored template and
// reads the checklist again, so every verdict follows at once.
import { h, download, fileBase } from "./dom.js";

export const STAGE_NAMES = { before: "Ready to deploy?", during: "Deploying", after: "Verified", contingency: "Contingency" };
const GATE_CHOICES = [
  ["before", "Ready to deploy? (before deploying)"],
  ["during", "Deploying (the deployment steps)"],
  ["after", "Verified (after deploying)"],
  ["contingency", "Contingency (rollback, incident; folded until started)"],
  ["none", "No stage (notes, references, contacts)"],
];

/** What one inference says, in words: "critical", "in “Deploying”", "an approval", … */
function claim(w) {
  const yes = w.value === "true";
  switch (w.about) {
    case "gate": return w.value === "none" ? "in no stage" : `in “${STAGE_NAMES[w.value] || w.value}”`;
    case "conditional": return yes ? "conditional: counts only when switched on" : "required";
    case "critical": return yes ? "critical" : "not critical";
    case "optional": return yes ? "optional: counts once done" : "not optional";
    case "non-blocking": case "nonBlocking": return yes ? "non-blocking" : "blocking";
    case "sign-off": return yes ? "a sign-off section" : "not a sign-off section";
    case "kind": return { approval: "an approval", record: "a record", "sign-off": "a sign-off line", task: "a task" }[w.value] || w.value;
    default: return `${w.about}: ${w.value}`;
  }
}

/** Where an inference comes from: the words and line that triggered it, or a correction. */
function source(w) {
  if (w.rule === "correction") return w.line ? `the document's preflight: block, line ${w.line}` : "a correction kept in this browser";
  if (w.rule === "inherited") return `as the part it is in: nothing in its heading (line ${w.line}) says otherwise`;
  return `“${w.words}”, line ${w.line} · rule ${w.rule}`;
}

/** The why list of a model item or section: one line per inference. */
export function whyList(why, fallback) {
  if (!why?.length) return h("p", { class: "muted" }, fallback);
  return h("ul", { class: "why-list" }, why.map((w) => h("li", {}, h("strong", {}, claim(w)), " — ", source(w))));
}

/** The parts of every why button, built once and cloned (a checklist may have 50,000 sections). */
const WHY = typeof document === "undefined" ? null : Object.assign(document.createElement("button"), { type: "button", className: "why", textContent: "why" });

/**
 * The "why" button beside a section heading or a sign-off slot; the view's delegated click
 * opens its reading panel (built on first use: thousands of idle panels would slow a long
 * checklist down). `kind`: "section" or "slot".
 */
export function whyButton(view, target, kind) {
  const panel = `reading-${kind}-${target.id}`;
  const open = view.openPanels.has(panel);
  const button = /** @type {HTMLButtonElement} */ (WHY.cloneNode(true));
  button.id = `why-${kind}-${target.id}`;
  button.dataset.reading = kind;
  button.dataset.target = target.id;
  button.setAttribute("aria-expanded", String(open));
  if (open) button.setAttribute("aria-controls", panel);
  button.setAttribute("aria-label", `why: ${kind === "section" ? target.title : target.signOff?.role || target.text}`);
  return button;
}

/** The reading panel of a section: why, and the stage and conditional switch to correct. */
export function sectionReading(view, section) {
  const id = section.id;
  const gate = h("select", { id: `gate-${id}`, onchange: (e) => view.correct({ id, what: "gate", value: e.target.value }, `gate-${id}`) },
    GATE_CHOICES.map(([value, label]) => h("option", { value, selected: (section.gate || "none") === value }, label)));
  return h("div", { class: "reading", id: `reading-section-${id}`, role: "group", "aria-label": `How “${section.title}” is read` },
    whyList(section.why, "Nothing in its heading marks it: it takes the reading of the part it is in."),
    h("div", { class: "corrections-row" },
      h("label", { for: `gate-${id}` }, "Stage "), gate,
      h("label", {}, h("input", { type: "checkbox", id: `conditional-${id}`, checked: section.conditional,
        onchange: (e) => view.correct({ id, what: "conditional", value: String(e.target.checked) }, `conditional-${id}`) }),
      " Conditional (counts only when switched on)")));
}

/** The reading panel of a sign-off slot: why it is a slot (approval or record) and its stage. */
export function slotReading(view, item) {
  return h("div", { class: "reading", id: `reading-slot-${item.id}`, role: "group", "aria-label": `How “${item.signOff.role}” is read` },
    whyList(item.why, "Read as a sign-off from its words."),
    h("label", {}, h("input", { type: "checkbox", id: `mark-signoff-${item.id}`, checked: true,
      onchange: (e) => view.correct({ id: item.id, what: "sign-off", value: String(e.target.checked) }, `mark-signoff-${item.id}`) }),
    " A sign-off line (signed or recorded, not scored)"));
}

/** The marks of a task, inside its note-and-evidence panel: why, and three switches. */
export function itemMarks(view, item) {
  const mark = (what, label, checked) => h("label", {}, h("input", { type: "checkbox", id: `mark-${what.replace("-", "")}-${item.id}`, checked,
    "data-mark": what }), ` ${label}`);
  return h("fieldset", { class: "reading marks" }, h("legend", {}, "How this line is read"),
    whyList(item.why, "No mark in its words: a task that counts toward its stage."),
    mark("critical", "Critical: GO waits for it", item.critical),
    mark("optional", "Optional: counts once done", item.optional),
    mark("sign-off", "A sign-off line: signed, not ticked", false));
}

/** Corrections as the engine reads them: the last word on one mark of one line wins. */
export function latestOnly(corrections) {
  const last = new Map();
  for (const k of corrections) last.set(`${k.id} ${k.what}`, { id: k.id, what: k.what, value: k.value, line: 0 });
  return [...last.values()];
}

/** The value the document itself gives `what` on `id` (items, slots and sections of `model`). */
export function documentValue(model, { id, what }) {
  const section = model.sections.find((s) => s.id === id);
  if (section) return what === "gate" ? section.gate || "none" : what === "conditional" ? String(section.conditional) : null;
  const item = model.items.find((i) => i.id === id) || model.slots.find((i) => i.id === id);
  if (!item) return null;
  if (what === "sign-off") return String(item.kind === "signOff");
  return String(Boolean(item[what]));
}

/** A correction for people: “Database backup …”: not critical. */
export function describe(model, k) {
  const section = model.sections.find((s) => s.id === k.id);
  const item = section ? null : model.items.find((i) => i.id === k.id) || model.slots.find((i) => i.id === k.id);
  const what = section ? `Section “${section.title}”` : item ? `“${item.signOff?.role || item.text}”` : k.id;
  const said = k.what === "sign-off" ? (k.value === "true" ? "a sign-off line" : "not a sign-off line")
    : claim({ about: k.what, value: k.value });
  return `${what}: ${said}`;
}

// ---- the panels: a section's or slot's reading, and the corrections kept ----------------------

/** Show or hide the reading panel of a section or sign-off slot under its why button. */
export function toggleReading(view, button, target, kind) {
  const id = `reading-${kind}-${target.id}`;
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  if (open) button.setAttribute("aria-controls", id); else button.removeAttribute("aria-controls");
  const existing = view.byId(id);
  if (open) {
    view.openPanels.add(id);
    // After the heading or the sign-off row its button sits in.
    if (!existing) button.closest(".signoff, .record, h2, h3, h4, h5").after(kind === "section" ? sectionReading(view, target) : slotReading(view, target));
  } else {
    view.openPanels.delete(id);
    existing?.remove();
  }
}

/** A section's or slot's reading panel when it is open (rebuilt open after a re-render), else null. */
export function readingPanel(view, target, kind) {
  return view.openPanels.has(`reading-${kind}-${target.id}`) ? (kind === "section" ? sectionReading(view, target) : slotReading(view, target)) : null;
}

/** The text with every correction in a preflight: front-matter block, as a file: a new version. */
function writeCorrections(view) {
  const text = view.checklist.withCorrectionsBlock(latestOnly(view.checklist.corrections()));
  const name = /\.(md|markdown|txt)$/i.test(view.name) ? view.name : `${fileBase(view.name)}.md`;
  download(name, text, "text/markdown");
  view.notice.show(`Saved ${name} with the corrections in its front matter (a preflight: block), so every tool reads it the same way. `, "info",
    view.onNewVersion ? h("button", { type: "button", id: "open-new-version", onclick: () => { view.notice.clear(); view.onNewVersion(text, name); } }, "Open it as a new version") : null);
}

/** The corrections kept for this checklist, each with an undo, and the way into the document. */
export function correctionsBar(view) {
  if (view.compact || !view.kept.length) return null;
  const n = view.kept.length;
  const bar = h("details", { class: "corrections", id: "corrections", open: view.openPanels.has("corrections") },
    h("summary", { id: "corrections-summary" }, `${n} ${n === 1 ? "correction" : "corrections"} to how this checklist is read, kept in this browser`),
    h("ul", {}, view.kept.map((k, i) => h("li", {}, describe(view.model, k), " ",
      h("button", { type: "button", id: `uncorrect-${i}`, "aria-label": `Undo: ${describe(view.model, k)}`,
        onclick: () => view.setKept({ id: k.id, what: k.what }, null, view.kept.length > 1 ? "corrections-summary" : "view-title") }, "Undo")))),
    h("button", { type: "button", id: "write-corrections", onclick: () => writeCorrections(view) }, "Write corrections into the document"));
  bar.addEventListener("toggle", () => { if (bar.open) view.openPanels.add("corrections"); else view.openPanels.delete("corrections"); });
  return bar;
}
