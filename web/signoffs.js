// Sign-off slots, shown in the stage they belong to. An approval (a role's name, date and the
// meaning of the signature) is signed; a record ("Deployed By", "Deployment Date") notes who did
// something or when, and is filled in like a form field. Both are stored with run.sign(…); the
// engine decides which a slot is and whether a signature is stale.
import { h, now, today, when } from "./dom.js";
import { whyButton } from "./reading.js";
import { signSignOff, sshSignatureKey, allowedSignersLine } from "./signing.js";

/**
 * The sign-off slots `items` (task-line sign-offs and other slots alike) as a panel, or null
 * when there are none. `stale`: ids of signatures the run has moved past.
 */
export function signOffPanel(view, items, stale, { empty = null, title = "Sign-off" } = {}) {
  if (!items.length && !empty) return null;
  const approvals = items.filter((i) => i.signOff.kind !== "record").map((item) => approvalRow(view, item, stale));
  const records = items.filter((i) => i.signOff.kind === "record").map((item) => recordRow(view, item, stale));
  return h("section", { class: "signoffs", "aria-label": title }, h("h3", {}, title),
    approvals.length || records.length ? null : h("p", { class: "muted" }, empty),
    approvals.flat(), records.length ? h("div", { class: "records" }, h("h4", {}, "Records"), records.flat()) : null);
}

/**
 * An approval. What someone has typed into a slot but not yet signed is a draft kept by the
 * view, so rebuilding the panel (a tick elsewhere, signing another slot, another tab's change)
 * never wipes it.
 */
function approvalRow(view, item, stale) {
  const sig = view.runState.signOffs[item.id]?.signature;
  const key = view.draftKey("slot", item.id); // drafts outlive a re-open of the same run
  const draft = sig ? null : view.drafts.get(key);
  // The date box shows today unless a date was typed; only a typed one is kept in the draft, or
  // a name typed yesterday and signed today would carry yesterday's date unasked.
  let dateTyped = typeof draft?.date === "string";
  const keep = () => view.drafts.set(key, { name: name.value, ...(dateTyped ? { date: date.value } : {}), meaning: meaning.value });
  const role = item.signOff.role;
  // Ids, so a redraw while someone types here gives focus back to the same box (view.render).
  const name = h("input", { id: `signoff-name-${item.id}`, "aria-label": `${role}: name`, placeholder: "Name", value: sig?.name || draft?.name || "", oninput: keep });
  const date = h("input", { id: `signoff-date-${item.id}`, type: "date", "aria-label": `${role}: date`, value: sig?.date || draft?.date || today(), oninput: () => { dateTyped = true; keep(); } });
  const chosen = sig?.meaning || draft?.meaning;
  // What a signature means (the statement signs it): approved, reviewed or rejected, which
  // holds up its gate. A meaning kept from elsewhere is shown as it is.
  const meanings = ["approved", "reviewed", "rejected", ...(chosen && !["approved", "reviewed", "rejected"].includes(chosen) ? [chosen] : [])];
  const meaning = h("select", { id: `signoff-meaning-${item.id}`, "aria-label": `${role}: meaning`, onchange: keep }, meanings.map((m) => h("option", { value: m, selected: chosen === m }, m)));
  const panel = view.readingPanel(item, "slot");
  // The day it is signed, unless one was typed: the box showed the day it was drawn, and a
  // page left open over midnight signed with yesterday's date.
  const signingDate = () => (dateTyped ? date.value : today());
  return [h("div", { class: "signoff", id: `item-${item.id}` },
    h("span", { class: "role" }, h("strong", {}, role), " ", whyButton(view, item, "slot")), name, date, meaning,
    sig ? h("span", {}, stale.has(item.id) ? h("span", { class: "stale" }, "stale ") : sig.meaning === "rejected" ? h("span", { class: "stale" }, "rejected ") : "signed ",
          h("button", { type: "button", id: `unsign-${item.id}`, onclick: () => view.change(() => { view.run.unsign(view.checklist, item.id, undefined, now()); view.signed(item.id); }, `sign-${item.id}`) }, "Unsign"))
        : h("span", { class: "sign-buttons" }, h("button", { type: "button", id: `sign-${item.id}`, onclick: () => view.change(() => {
          view.run.sign(view.checklist, item.id, name.value, signingDate(), meaning.value, undefined, name.value, now());
          view.signed(item.id);
          view.drafts.delete(key);
        }, `unsign-${item.id}`) }, "Sign"), " ",
        // WebCrypto's keys exist only in a secure context: a wiki on plain http signs by name.
        h("button", { type: "button", id: `keysign-${item.id}`, disabled: !globalThis.crypto?.subtle,
          title: globalThis.crypto?.subtle ? "Sign, and sign the statement with your own key (kept in this browser)" : "Signing with a key needs the page served over https",
          onclick: () => signWithKey(view, item, { name: name.value, date: signingDate(), meaning: meaning.value }, key) }, "Sign with my key"))),
    sig?.ssh ? keyLine(item, sig) : sig ? h("p", { class: "keyline" }, "Not cryptographically signed: a name and a date.") : null, panel];
}

/**
 * Sign, then sign the engine's statement with the person's own key (web/signing.js): both or
 * neither. The key is made on a person's first signing and kept in this browser.
 */
async function signWithKey(view, item, { name, date, meaning }, draftKey) {
  try {
    view.run.sign(view.checklist, item.id, name, date, meaning, undefined, name, now());
  } catch (e) { return view.notice.show(e.message, "error"); }
  try {
    const key = await signSignOff(view.run, view.checklist, item.id, name);
    view.signed(item.id);
    view.drafts.delete(draftKey);
    if (key.replaced) view.notice.show(`${name}'s stored key was damaged and a new one was made (${key.fingerprint}): give the new allowed_signers line to whoever checks signatures.`, "warning");
  } catch (e) {
    view.run.unsign(view.checklist, item.id, undefined, now());
    view.notice.show(`Could not sign with a key: ${e.message}. Nothing was signed.`, "error");
    return;
  }
  view.change(() => {}, `unsign-${item.id}`);
}

/** A key-signed approval: the key's fingerprint, and its line for git's allowed_signers. */
function keyLine(item, sig) {
  const fingerprint = h("code", { class: "fingerprint" }, "…");
  const principal = h("input", { "aria-label": `${item.signOff.role}: principal for allowed_signers (an e-mail address)`, placeholder: "e-mail address", autocomplete: "email" });
  const line = h("code", { class: "allowed-line", id: `allowed-${item.id}` });
  let publicKey = null;
  const show = () => {
    try { line.textContent = publicKey ? allowedSignersLine(principal.value.trim(), publicKey) : ""; } catch { line.textContent = principal.value ? "One word, such as an e-mail address." : ""; }
  };
  principal.addEventListener("input", show);
  sshSignatureKey(sig.ssh).then((k) => { fingerprint.textContent = k ? k.fingerprint : "unreadable signature"; publicKey = k?.opensshPublicKey ?? null; show(); });
  return h("div", { class: "keyline" }, "Signed with key ", fingerprint, " ",
    h("details", {}, h("summary", {}, "Line for allowed_signers"), principal, " ", line));
}

/** The input for one blank of a record (the `i`th): a date or a time where its label says so. */
function recordInput(item, field, value, i) {
  const type = /date|datum|fecha|data\b/i.test(field.label) ? "date" : /time|zeit|hora|heure/i.test(field.label) ? "time" : "text";
  return h("input", { id: `record-${i}-${item.id}`, type, "aria-label": field.label === item.signOff.role ? field.label : `${item.signOff.role}: ${field.label}`, value: value ?? (type === "date" ? today() : "") });
}

/**
 * A record: one input per blank on its line (the first holds the name or the value it records,
 * "Date" the date, the rest go by label), saved as a signature with meaning "recorded". What is
 * typed and not yet recorded is a draft kept by the view, as an approval's is.
 */
function recordRow(view, item, stale) {
  const sig = view.runState.signOffs[item.id]?.signature;
  const key = view.draftKey("slot", item.id);
  const draft = sig ? null : view.drafts.get(key);
  const fields = item.signOff.fields.length ? item.signOff.fields : [{ label: item.signOff.role }];
  // An empty draft value is no value: a date box is then drawn with the day it is drawn on.
  const valueOf = (field, i) => !sig ? (Array.isArray(draft) && typeof draft[i] === "string" && draft[i] !== "" ? draft[i] : undefined)
    : i === 0 ? sig.name : /^date$/i.test(field.label) ? sig.date : sig.values?.[field.label];
  const inputs = fields.map((f, i) => recordInput(item, f, valueOf(f, i), i));
  // A date box not typed in shows the day it was drawn: recorded, it is the day of recording.
  const typed = new Set(inputs.filter((_, i) => valueOf(fields[i], i) !== undefined));
  const valueNow = (/** @type {HTMLInputElement} */ input) => (input.type === "date" && !typed.has(input) ? today() : input.value);
  // The draft keeps what was typed; a date box left as drawn is kept empty, for the day it is used.
  for (const input of inputs) input.addEventListener("input", () => { typed.add(input); view.drafts.set(key, inputs.map((i) => (i.type === "date" && !typed.has(i) ? "" : i.value))); });
  const record = () => {
    const [first, ...rest] = inputs;
    const dateAt = fields.findIndex((f, i) => i > 0 && /^date$/i.test(f.label));
    const values = Object.fromEntries(fields.map((f, i) => [f.label, valueNow(inputs[i])]).filter(([, v], i) => i > 0 && i !== dateAt && v));
    const date = dateAt > 0 ? valueNow(inputs[dateAt]) : first.type === "date" ? valueNow(first) : today();
    view.run.sign(view.checklist, item.id, valueNow(first), date, "recorded", rest.length ? values : undefined, valueNow(first), now());
    view.signed(item.id);
    view.drafts.delete(key);
  };
  const by = view.runState.signOffs[item.id];
  return [h("div", { class: "record", id: `item-${item.id}` },
    h("span", { class: "role" }, h("strong", {}, item.signOff.role), " ", whyButton(view, item, "slot")),
    h("span", { class: "record-fields" }, inputs),
    sig ? h("span", {}, stale.has(item.id) ? h("span", { class: "stale" }, "stale ") : h("span", { class: "muted" }, `recorded ${when(by?.at)} `),
          h("button", { type: "button", id: `unsign-${item.id}`, "aria-label": `Clear ${item.signOff.role}`, onclick: () => view.change(() => { view.run.unsign(view.checklist, item.id, undefined, now()); view.signed(item.id); }, `sign-${item.id}`) }, "Clear"))
        : h("button", { type: "button", id: `sign-${item.id}`, "aria-label": `Record ${item.signOff.role}`, onclick: () => view.change(record, `unsign-${item.id}`) }, "Record")),
    view.readingPanel(item, "slot")];
}
