// One row per item: the box, the text, its marks (critical, optional), N/A and Blocked (or
// Reopen), and the button that opens its note, evidence and marks; under the row, the reason of
// an N/A or blocked item, the item's own detail bullets and blocks, and its sub-items. Rows are
// cloned from one template and carry no listeners: the view delegates (10,000 rows need no
// 50,000 closures). What an item is and whether it counts is the engine's.
import { h, inline } from "./dom.js";
import { itemMarks } from "./reading.js";

/** The parts every row has, built once per kind of view and cloned: far cheaper than building each. */
const templates = new Map();
function template(compact) {
  if (!templates.has(compact)) {
    templates.set(compact, h("li", { class: "item" },
      h("div", { class: "row" },
        h("input", { type: "checkbox" }),
        h("label"),
        h("span", { class: "item-tools" }, h("button", { type: "button", "data-status": "na" }, "N/A"), h("button", { type: "button", "data-status": "blocked" }, "Blocked"))),
      compact ? null : h("button", { type: "button", class: "more", "aria-expanded": "false" }, "Note, evidence, marks")));
  }
  return templates.get(compact);
}

/** The row of task `index` of the view's model, with its sub-items (null for a sign-off line). */
export function itemRow(view, index) {
  const item = view.items[index];
  if (item.kind === "signOff") return null;
  const st = view.runState.items[item.id] || { status: "todo" };
  const li = template(view.compact).cloneNode(true);
  li.className = `item ${st.status}${view.inactiveSet.has(item.id) ? " inactive" : ""}${item.critical ? " critical" : ""}`;
  li.id = `item-${item.id}`;
  li.dataset.index = index;
  const row = li.firstChild;
  const [box, label, tools] = row.children;
  box.id = label.htmlFor = `cb-${item.id}`;
  box.checked = st.status === "done";
  label.append(...inline(item.inline));
  if (item.critical) tools.before(markTag(view, "critical", "tag critical"));
  if (item.optional) tools.before(markTag(view, "optional", "tag"));
  if (st.status === "na" || st.status === "blocked") tools.replaceChildren(h("button", { type: "button", "data-status": "todo" }, "Reopen"));
  const more = row.nextSibling; // null when compact
  if (more && (st.note || st.evidence)) more.textContent = "Note, evidence, marks ✎";
  const extra = [
    st.reason ? h("div", { class: "reason" }, `${st.status === "na" ? "N/A" : "Blocked"}: ${st.reason}`) : null,
    item.details.length ? h("ul", {}, item.details.map((d) => h("li", {}, inline(d.text.inline)))) : null,
    ...item.blocks.map((b) => blockNode(b)),
  ].filter(Boolean);
  if (extra.length) row.after(...extra);
  if (more && view.openPanels.has(`editors-${item.id}`)) editors(view, more, true, false, li);
  if (item.children.length) li.append(h("ul", { class: "items" }, item.children.map((c) => itemRow(view, c))));
  return li;
}

/**
 * Show or hide an item's note, evidence and marks. They are built when first opened:
 * 10,000 idle textareas (or <details> elements, each with its own shadow tree) would triple
 * the time to render a long checklist. `li`: the row, while it is being built.
 */
export function editors(view, toggle, open, focus, li = null) {
  const item = li ? view.items[Number(li.dataset.index)] : view.itemOf(toggle);
  toggle.setAttribute("aria-expanded", String(open));
  const id = `editors-${item.id}`;
  if (open) view.openPanels.add(id); else view.openPanels.delete(id);
  let panel = toggle.nextElementSibling?.classList.contains("editors") ? toggle.nextElementSibling : null;
  if (!panel && open) {
    const st = view.runState.items[item.id] || {};
    panel = h("div", { class: "editors", id },
      h("label", {}, "Note", h("textarea", { id: `note-${item.id}`, rows: 2, "data-edit": "note" }, st.note || "")),
      h("label", {}, "Evidence (command output)", h("textarea", { id: `evidence-${item.id}`, rows: 4, "data-edit": "evidence" }, st.evidence || "")),
      itemMarks(view, item), view.history(item.id));
    toggle.after(panel);
    toggle.setAttribute("aria-controls", panel.id);
  } else if (panel) panel.hidden = !open;
  if (open && focus) (typeof focus === "string" ? view.byId(focus) : panel.querySelector("textarea"))?.focus();
}

/** A mark the engine inferred on an item, as a button that shows why and lets it be corrected. */
function markTag(view, what, className) {
  if (view.compact) return h("span", { class: className }, what);
  return h("button", { type: "button", class: `${className} mark`, "data-why": what, "aria-label": `${what}: why, and correct it` }, what);
}

/** A block of the document (code with a copy button, table, paragraph, list), under its item or in its section. */
export function blockNode(b) {
  switch (b.type) {
    case "code": {
      const pre = h("pre", { class: "code" }, h("code", {}, b.text));
      pre.prepend(h("button", { type: "button", class: "copy", "aria-label": "Copy command", onclick: async (e) => {
        try { await navigator.clipboard.writeText(b.text); e.target.textContent = "Copied"; } catch { e.target.textContent = "Select and copy"; }
      } }, "Copy"));
      return pre;
    }
    case "table":
      return h("table", {}, h("thead", {}, h("tr", {}, b.header.map((c) => h("th", {}, inline(c.inline))))),
        h("tbody", {}, b.rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, inline(c.inline)))))));
    case "paragraph": return h("p", {}, inline(b.text.inline));
    case "list": return h("ul", {}, b.entries.map((e) => h("li", {}, inline(e.text.inline))));
    default: return null;
  }
}
