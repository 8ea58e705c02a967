// Small DOM helpers shared by the app, the embed page and <preflight-checklist>. Document text
// only ever becomes text nodes: nothing here assigns innerHTML.

// The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): in a
// document's text they are shown as their code points (`\u{202e}`), as the CLI and the HTML
// report show them, never obeyed: "invoice\u202Efdp.exe" must not read "invoiceexe.pdf".
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** `text` with its bidi controls shown, not obeyed. */
export const shown = (text) => text.replace(BIDI_CONTROLS, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);

/** Build an element: h("a", {href, class}, "text", child…). Strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  // A textarea's text is what the user edits and saves: given as it is, or a note would be
  // saved with `\u{202e}` written in it.
  const text = tag === "textarea" ? String : (/** @type {any} */ c) => shown(String(c));
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : text(c));
  return el;
}

/**
 * A random id (UUID v4) for a run. `crypto.randomUUID` exists only in a secure context (https,
 * localhost, a file); an intranet wiki served over plain http has `getRandomValues` alone, and
 * importing a checklist there failed for want of it.
 */
export function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The engine's styled runs as DOM. Links arrive already limited to http(s), mailto, relative. */
export function inline(runs) {
  return runs.map((r) => {
    let node = document.createTextNode(shown(r.text));
    if (r.code) node = h("code", {}, node);
    if (r.emphasis) node = h("em", {}, node);
    if (r.strong) node = h("strong", {}, node);
    if (r.strikethrough) node = h("del", {}, node);
    if (r.href) node = h("a", { href: r.href, rel: "noopener noreferrer", target: "_blank" }, node);
    return node;
  });
}

export const now = () => new Date().toISOString();

/**
 * JSON text of plain data (text, numbers, true/false/null, arrays, plain objects), written
 * without asking any value for its `toJSON`: a host page may give `Array.prototype` one
 * (Prototype.js did), and `JSON.stringify` would then write every array as a string, so that
 * what the journal kept could not be read back. Keys whose value is undefined are left out.
 */
export function plainJson(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "string") return JSON.stringify(value); // a string has no toJSON to ask
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + plainJson(value[i]);
    return out + "]";
  }
  let out = "{", first = true;
  for (const key of Object.keys(value)) {
    if (value[key] === undefined || typeof value[key] === "function") continue;
    out += (first ? "" : ",") + JSON.stringify(key) + ":" + plainJson(value[key]);
    first = false;
  }
  return out + "}";
}

/**
 * JSON text read without the page's `JSON.parse`: a host page may replace it (one that turns
 * date strings into `Date` objects made every journal unreadable, and so dropped). Strict JSON;
 * throws a SyntaxError on anything else. Keys are defined, never assigned (`__proto__` is a key).
 */
export function plainParse(text) {
  let i = 0;
  const fail = () => { throw new SyntaxError(`JSON: unexpected text at ${i}`); };
  const ws = () => { while (i < text.length && " \t\n\r".includes(text[i])) i++; };
  const literal = (word, value) => { if (text.startsWith(word, i)) { i += word.length; return value; } return fail(); };
  const special = /["\\\u0000-\u001f]/g;
  const string = () => {
    let out = "";
    for (i++; i < text.length;) {
      // Plain characters in one slice: a journal can hold a megabyte of note.
      special.lastIndex = i;
      const found = special.exec(text);
      if (!found) break;
      out += text.slice(i, found.index);
      i = found.index;
      const c = text[i++];
      if (c === "\"") return out;
      if (c !== "\\") fail();
      const e = text[i++];
      if (e === "u") {
        const hex = text.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail();
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else {
        const plain = { "\"": "\"", "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" }[e];
        if (plain === undefined) fail();
        out += plain;
      }
    }
    return fail();
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{") {
      const obj = {};
      i++; ws();
      if (text[i] === "}") { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== "\"") fail();
        const key = string();
        ws();
        if (text[i++] !== ":") fail();
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i++] === "}") return obj;
        fail();
      }
    }
    if (c === "[") {
      const arr = [];
      i++; ws();
      if (text[i] === "]") { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i++] === "]") return arr;
        fail();
      }
    }
    if (c === "\"") return string();
    if (c === "t") return literal("true", true);
    if (c === "f") return literal("false", false);
    if (c === "n") return literal("null", null);
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 40));
    if (!m) fail();
    i += m[0].length;
    return Number(m[0]);
  };
  const out = value();
  ws();
  if (i !== text.length) fail();
  return out;
}

/** A moment for people: the browser's own words for its local date and time. */
export function when(at) {
  return at ? new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
}

/**
 * Today's local date as YYYY-MM-DD, for a new run's name and a sign-off's date: the same in
 * every locale (a report read in another country means the same day), the signer's own day
 * (not UTC's), and without Intl, whose first use costs a cold start 45-60 ms.
 */
export const today = (d = new Date()) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name });
  // The link's click is ours, not the user's: it must not reach the page's listeners, such as
  // the export menu's "a click elsewhere closes it" (a report made while the menu was open
  // closed it under the user's next click).
  a.addEventListener("click", (e) => e.stopPropagation());
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function fileBase(name) { return (name || "run").replace(/[^\w.-]+/g, "-").slice(0, 60); }

/** One message area (role=alert). `kind` on a message lets its cause clear it later. */
export class Notice {
  constructor(el) { this.el = el; this.kind = null; }
  show(message, level = "warning", ...extra) {
    this.el.replaceChildren(message, ...extra);
    this.el.className = `notice ${level}`;
    this.el.hidden = false;
    this.kind = null;
    return this;
  }
  clear(kind) { if (kind === undefined || this.kind === kind) { this.el.hidden = true; this.kind = null; } }
}
