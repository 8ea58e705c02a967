// The view's questions: who (and why) before a run's explicit steps, and the reason an item is
// N/A or blocked. Each is a modal <dialog> placed after the view's container (so the page's
// keyboard shortcuts stay off while it is open) and answers with a value or null; what the
// answer does is the view's business, not this module's.
import { h, shown } from "./dom.js";

/** The name last given in a who-dialog, kept with the store (of this namespace); "" without one. */
export async function readWho(store) { try { return store ? await store.who() : ""; } catch { return ""; } }
function saveWho(store, who) { store?.setWho(who).catch(() => { /* remembered for this page only */ }); }

/** The who-dialog open in each view that asks why, with what it is for (journaled while open). */
const whyAsked = new WeakMap();

/**
 * Ask who (and why) in a dialog; resolves to {who, why?} or null when cancelled. `asking`: what
 * the why is for ({id, status, label}), journaled while it is typed; `text` starts the why.
 * @param {any} view
 * @param {{title: string, submit: string, why?: string, asking?: {id: string, status: string, label: string}, text?: string}} what
 */
export function askWho(view, { title, submit, why, asking, text }) {
  const field = (id, label, value, empty) => {
    const input = h("input", { id: `ask-${id}`, required: true, value: value || "", autocomplete: id === "who" ? "name" : "off",
      oninput: (e) => e.target.setCustomValidity(e.target.value.trim() ? "" : empty) });
    input.setCustomValidity(input.value.trim() ? "" : empty);
    return [h("label", { for: input.id }, label), input];
  };
  const fields = [field("who", "Your name", view.who, "Say who you are."), why ? field("why", why, text || "", "Say why.") : []];
  const dialog = h("dialog", { id: "action-dialog", "aria-labelledby": "action-title" }, h("form", { method: "dialog" },
    h("h2", { id: "action-title" }, title), ...fields.flat(),
    h("menu", {}, h("button", { type: "button", class: "cancel", onclick: () => dialog.close("") }, "Cancel"), h("button", { value: "ok", id: "action-ok" }, submit))));
  view.container.after(dialog);
  if (why && asking) whyAsked.set(view, { dialog, asking });
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      if (whyAsked.get(view)?.dialog === dialog) whyAsked.delete(view);
      const value = (id) => view.byId(`ask-${id}`)?.value.trim();
      const answer = dialog.returnValue === "ok" ? { who: value("who"), why: why ? value("why") : undefined } : null;
      dialog.remove();
      if (answer) { view.who = answer.who; saveWho(view.store, answer.who); }
      resolve(answer);
    });
    dialog.showModal();
  });
}

const reasonDialogs = new WeakMap();
/**
 * One reason dialog per view, built on first use; resolves to the reason or null. `what` names
 * the item and the status asked for (shown, and journaled while the dialog is open, so a reason
 * typed before a reload comes back); `text` starts the answer (a reason brought back).
 * @param {any} view @param {string} label
 * @param {{id: string, title: string, status: string, text?: string}} what
 */
export function askReason(view, label, what) {
  let d = reasonDialogs.get(view);
  if (!d) {
    const input = h("input", { id: "reason-text", required: true });
    const text = h("label", { for: "reason-text" }, "Reason");
    const about = h("p", { id: "reason-item", class: "reason-item" });
    const dialog = h("dialog", { id: "reason-dialog", "aria-labelledby": "reason-label", "aria-describedby": "reason-item" }, h("form", { method: "dialog" }, text, about, input,
      h("menu", {}, h("button", { type: "button", class: "cancel", onclick: () => dialog.close("") }, "Cancel"), h("button", { value: "ok" }, "Save"))));
    text.id = "reason-label";
    view.container.after(dialog);
    d = { dialog, input, text, about, asking: null };
    reasonDialogs.set(view, d);
  }
  return new Promise((resolve) => {
    d.text.textContent = label;
    d.about.textContent = shown(what.title);
    d.input.value = what.text || "";
    d.asking = { id: what.id, status: what.status };
    d.dialog.onclose = () => { d.asking = null; resolve(d.dialog.returnValue === "ok" ? d.input.value.trim() : null); };
    d.dialog.returnValue = "";
    d.dialog.showModal();
  });
}

/**
 * The reason being typed in `view`'s open reason dialog, or the why in its who-dialog, as {id,
 * status, text, label?}; null when none is.
 */
export function reasonTyped(view) {
  const d = reasonDialogs.get(view);
  const text = d?.asking && d.dialog.open ? d.input.value : "";
  if (text.trim()) return { ...d.asking, text };
  const w = whyAsked.get(view);
  const why = w?.dialog.open ? /** @type {HTMLInputElement | null} */ (w.dialog.querySelector("#ask-why"))?.value ?? "" : "";
  return why.trim() ? { ...w.asking, text: why } : null;
}
