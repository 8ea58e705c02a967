// One row per item: the box, the text, its marks (critical, optional, "not counted" while it
// does not count), N/A, Blocked (or Reopen) and the button that opens its details; under the
// row, the reason of an N/A or blocked item, the item's own detail bullets and blocks, and its
// sub-items. Rows are cloned from one template and carry no listeners: the view delegates
// (10,000 rows need no 50,000 closures). What an item is and whether it counts is the engine's.
import { h, inline } from "./dom.js";

/** The parts every row has, built once per kind of view and cloned: far cheaper than building each. */
const templates = new Map();
function template(compact) {
  if (!templates.has(compact)) {
    templates.set(compact, h("li", { class: "item" },
      h("div", { class: "row" },
        h("input", { type: "checkbox" }),
        // Text, marks and tools share one line; on a narrow view a long text takes the line and
        // the tools wrap under it (view.css).
        h("div", { class: "row-main" },
          h("label"),
          h("span", { class: "item-tools" },
            h("button", { type: "button", "data-status": "na" }, "N/A"),
            h("button", { type: "button", "data-status": "blocked" }, "Blocked"),
            compact ? null : h("button", { type: "button", class: "details-button", "aria-expanded": "false", "aria-controls": "details" }, "Details"))))));
  }
  return templates.get(compact);
}

/** The row of task `index` of the view's model, with its sub-items (null for a sign-off line). */
export function itemRow(view, index) {
  const item = view.items[index];
  if (item.kind === "signOff") return null;
  const st = view.runState.items[item.id] || { status: "todo" };
  const inactive = view.inactiveSet.has(item.id);
  const li = template(view.compact).cloneNode(true);
  li.className = `item ${st.status}${inactive ? " inactive" : ""}${item.critical ? " critical" : ""}`;
  li.id = `item-${item.id}`;
  li.dataset.index = index;
  const row = li.firstChild;
  const [box, main] = row.children;
  const [label, tools] = main.children;
  box.id = label.htmlFor = `cb-${item.id}`;
  box.checked = st.status === "done";
  label.append(...inline(item.inline));
  if (item.critical) tools.before(markTag(view, "critical", "tag critical"));
  if (item.optional) tools.before(markTag(view, "optional", "tag"));
  // Tickable, but outside the score until done (an optional item, a switched-off section).
  if (inactive) tools.before(h("span", { class: "tag inactive-tag", title: "Not counted in the score until it is done or its section applies" }, "not counted"));
  if (st.status === "na" || st.status === "blocked") {
    tools.firstChild.replaceWith(h("button", { type: "button", "data-status": "todo" }, "Reopen"));
    tools.children[1].remove();
  }
  const details = tools.lastChild.classList.contains("details-button") ? tools.lastChild : null;
  if (details) {
    const marked = Boolean(st.note || st.evidence);
    details.id = `details-btn-${item.id}`;
    details.setAttribute("aria-label", `Details${marked ? " (note or evidence)" : ""}: ${item.text}`);
    if (marked) details.textContent = "Details ✎";
    if (view.details?.id === item.id) details.setAttribute("aria-expanded", "true");
  }
  const extra = [
    st.reason ? h("div", { class: "reason" }, `${st.status === "na" ? "N/A" : "Blocked"}: ${st.reason}`) : null,
    item.details.length ? h("ul", { class: "item-details" }, item.details.map((d) => h("li", {}, inline(d.text.inline)))) : null,
    ...item.blocks.map((b) => blockNode(b)),
  ].filter(Boolean);
  if (extra.length) row.after(...extra);
  if (item.children.length) li.append(h("ul", { class: "items" }, item.children.map((c) => itemRow(view, c))));
  return li;
}

/** A mark the engine inferred on an item, as a button that opens its details at that mark. */
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
