// Signing sign-offs in the browser: SSH signatures (SSHSIG, what `ssh-keygen -Y sign` and git
// make) over a sign-off's canonical statement, made with WebCrypto.
//
// Owns:
//   - each person's signing key: an Ed25519 pair (ECDSA P-256 where the browser has no Ed25519),
//     generated on first use with a non-extractable private key, kept in IndexedDB (database
//     `preflight-keys`, store `keys`, keyed by the person's name);
//   - the key's OpenSSH public line, its `SHA256:` fingerprint (as ssh-keygen prints it) and its
//     line for git's `allowed_signers`;
//   - the SSHSIG envelope (OpenSSH's PROTOCOL.sshsig): namespace `preflight`, message hash
//     sha512, armored in 70-column base64, checked by `preflight verify --allowed-signers` and by
//     `ssh-keygen -Y verify -n preflight`.
//
// Never:
//   - exports, logs or sends a private key (WebCrypto will not let it out: it is not
//     extractable), nor imports one;
//   - decides what is signed: the engine's `run.signOffStatement` gives the exact bytes, and the
//     engine keeps the signature (`run.attachSshSignature`);
//   - verifies signatures or trusts a key: that is `preflight verify --allowed-signers`, whose
//     file names the principal a key belongs to; the typed name is only shown;
//   - touches the page: no DOM here.

const NAMESPACE = "preflight";
const HASH = "sha512";
const DB = "preflight-keys";
const STORE = "keys";
const RECORD_VERSION = 1;

/** The two kinds of key, by what `signerKey` returns as `algorithm`. */
const KINDS = {
  Ed25519: {
    sshType: "ssh-ed25519",
    generate: { name: "Ed25519" },
    sign: { name: "Ed25519" },
    rawLength: 32,
  },
  "ECDSA-P256": {
    sshType: "ecdsa-sha2-nistp256",
    generate: { name: "ECDSA", namedCurve: "P-256" },
    // An ecdsa-sha2-nistp256 signature is over SHA-256 of the data (RFC 5656), whatever the
    // SSHSIG message hash is.
    sign: { name: "ECDSA", hash: "SHA-256" },
    rawLength: 65,
  },
};

/**
 * A person's signing key, generated on their first signing and kept in this browser.
 *
 * `options.algorithm`: "ECDSA" (or "ECDSA-P256") to make a new key ECDSA P-256 even where the
 * browser has Ed25519. It only chooses the kind of a key being generated: a person's stored key
 * is returned as it is (its `algorithm` says which).
 *
 * Returns `{person, algorithm: "Ed25519" | "ECDSA-P256", publicKey, privateKey,
 * opensshPublicKey, fingerprint, created, replaced}`. `replaced` is true when a stored record
 * was damaged (unreadable, not a key pair, or a pair that does not sign and verify together)
 * and a new key took its place: anyone who listed the old key must list the new one.
 *
 * Throws an Error named `PreflightKeyStoreError` when this browser keeps nothing (no IndexedDB,
 * or it refuses to open): a key that would be gone on the next signing is not made.
 */
export async function signerKey(person, options = {}) {
  if (typeof person !== "string" || person.trim() === "") throw new TypeError("signerKey: a person's name is needed");
  const prefer = options.algorithm === undefined ? undefined : kindOf(options.algorithm);
  const db = await openKeys();
  try {
    let replaced = false;
    let stored = await request(db.transaction(STORE, "readonly").objectStore(STORE).get(person));
    if (stored !== undefined) {
      const key = await usable(stored, person);
      if (key) return { ...key, replaced };
      replaced = true;
    }
    // Generate outside any transaction (IndexedDB commits an idle one), then keep it unless
    // another tab kept a good key for this person meanwhile: that one wins, and this is dropped.
    const fresh = await generate(person, prefer);
    const kept = await keepUnlessPresent(db, person, fresh, stored);
    if (kept !== fresh) {
      const key = await usable(kept, person);
      if (key) return { ...key, replaced };
      // Another tab wrote something unusable meanwhile: ours replaces it.
      await request(db.transaction(STORE, "readwrite").objectStore(STORE).put(fresh, person));
    }
    return { ...(await describe(fresh, person)), replaced };
  } finally {
    db.close();
  }
}

/**
 * The armored SSH signature (`-----BEGIN SSH SIGNATURE-----` …) of `statementText` by `key` (what
 * `signerKey` returns), namespace `preflight`, message hash sha512.
 */
export async function signStatement(key, statementText) {
  if (typeof statementText !== "string") throw new TypeError("signStatement: the statement is a string");
  const kind = KINDS[key?.algorithm];
  if (!kind || !(key.privateKey instanceof CryptoKey)) throw new TypeError("signStatement: a key from signerKey is needed");
  const message = new TextEncoder().encode(statementText);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", message));
  const signed = concat(ascii("SSHSIG"), string(NAMESPACE), string(""), string(HASH), string(digest));
  const raw = new Uint8Array(await crypto.subtle.sign(kind.sign, key.privateKey, signed));
  const blob = await publicKeyBlob(key.algorithm, key.publicKey);
  const signature = key.algorithm === "Ed25519"
    ? concat(string(kind.sshType), string(raw))
    : concat(string(kind.sshType), string(concat(mpint(raw.subarray(0, 32)), mpint(raw.subarray(32)))));
  const envelope = concat(ascii("SSHSIG"), uint32(1), string(blob), string(NAMESPACE), string(""), string(HASH), string(signature));
  return armor(envelope);
}

/**
 * Sign sign-off `id` of `run` cryptographically as `person`: after `run.sign(…)` recorded the
 * name and date, sign the statement the engine gives for it and keep the signature in the run.
 * Returns what to show: `{fingerprint, opensshPublicKey, algorithm, replaced}`.
 */
export async function signSignOff(run, checklist, id, person, options = {}) {
  const statement = run.signOffStatement(checklist, id);
  const key = await signerKey(person, options);
  run.attachSshSignature(id, await signStatement(key, statement));
  return { fingerprint: key.fingerprint, opensshPublicKey: key.opensshPublicKey, algorithm: key.algorithm, replaced: key.replaced };
}

/**
 * The key an armored SSH signature says it was made with: `{opensshPublicKey, fingerprint}`, or
 * null when the text is not an SSHSIG envelope. Only for showing: who may sign is decided by
 * `allowed_signers` in `preflight verify`, never here.
 */
export async function sshSignatureKey(armored) {
  try {
    const body = String(armored).replace(/-----(BEGIN|END) SSH SIGNATURE-----/g, "").replace(/\s+/g, "");
    const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
    if (String.fromCharCode(...bytes.subarray(0, 6)) !== "SSHSIG") return null;
    const view = new DataView(bytes.buffer);
    const length = view.getUint32(10);
    const blob = bytes.subarray(14, 14 + length);
    if (blob.length !== length || length < 4) return null;
    const typeLength = new DataView(blob.buffer, blob.byteOffset).getUint32(0);
    const type = String.fromCharCode(...blob.subarray(4, 4 + typeLength));
    if (!Object.values(KINDS).some((k) => k.sshType === type)) return null;
    const fingerprint = "SHA256:" + base64(new Uint8Array(await crypto.subtle.digest("SHA-256", blob))).replace(/=+$/, "");
    return { opensshPublicKey: `${type} ${base64(blob)}`, fingerprint };
  } catch { return null; }
}

/**
 * The line for git's `allowed_signers` that lets `principal` (an e-mail address or another name
 * without spaces, as `preflight verify --require ROLE=PRINCIPAL` will name it) sign with this
 * key, for Preflight only.
 */
export function allowedSignersLine(principal, opensshPublicKey) {
  if (typeof principal !== "string" || !/^[^\s",#]+$/.test(principal)) {
    throw new RangeError("allowedSignersLine: a principal is one word (an e-mail address), without spaces, commas, quotes or #");
  }
  if (typeof opensshPublicKey !== "string" || !/^(ssh-ed25519|ecdsa-sha2-nistp256) [A-Za-z0-9+/]+=*( |$)/.test(opensshPublicKey)) {
    throw new RangeError("allowedSignersLine: an OpenSSH public key line is needed");
  }
  return `${principal} namespaces="${NAMESPACE}" ${opensshPublicKey}`;
}

// ---- keys ----------------------------------------------------------------------------------

function kindOf(name) {
  if (name === "Ed25519") return "Ed25519";
  if (name === "ECDSA" || name === "ECDSA-P256" || name === "P-256") return "ECDSA-P256";
  throw new RangeError(`signerKey: no key kind ${JSON.stringify(name)}: Ed25519 or ECDSA`);
}

/** A new pair: Ed25519 unless `prefer` says otherwise or the browser has none. */
async function generate(person, prefer) {
  const order = prefer === "ECDSA-P256" ? ["ECDSA-P256"] : ["Ed25519", "ECDSA-P256"];
  let last;
  for (const algorithm of order) {
    try {
      const pair = await crypto.subtle.generateKey(KINDS[algorithm].generate, false, ["sign", "verify"]);
      return { version: RECORD_VERSION, person, algorithm, publicKey: pair.publicKey, privateKey: pair.privateKey, created: new Date().toISOString() };
    } catch (e) {
      last = e; // NotSupportedError (no Ed25519 here): try the next kind
    }
  }
  throw last;
}

/** The key of a stored record, or undefined when the record is damaged. */
async function usable(record, person) {
  if (!wellFormed(record, person)) return undefined;
  try {
    // A pair that belongs together: what the private key signs, the public key verifies.
    const kind = KINDS[record.algorithm];
    const probe = new TextEncoder().encode("preflight key check");
    const sig = await crypto.subtle.sign(kind.sign, record.privateKey, probe);
    if (!(await crypto.subtle.verify(kind.sign, record.publicKey, sig, probe))) return undefined;
    return await describe(record, person);
  } catch {
    return undefined;
  }
}

function wellFormed(record, person) {
  if (!record || typeof record !== "object" || record.version !== RECORD_VERSION || record.person !== person) return false;
  const kind = KINDS[record.algorithm];
  const { publicKey, privateKey } = record;
  return Boolean(kind)
    && publicKey instanceof CryptoKey && privateKey instanceof CryptoKey
    && publicKey.type === "public" && privateKey.type === "private"
    && !privateKey.extractable && privateKey.usages.includes("sign") && publicKey.usages.includes("verify")
    && publicKey.algorithm.name === kind.generate.name && privateKey.algorithm.name === kind.generate.name
    && (record.algorithm === "Ed25519" || (/** @type {EcKeyAlgorithm} */ (publicKey.algorithm).namedCurve === "P-256" && /** @type {EcKeyAlgorithm} */ (privateKey.algorithm).namedCurve === "P-256"));
}

async function describe(record, person) {
  const blob = await publicKeyBlob(record.algorithm, record.publicKey);
  const fingerprint = "SHA256:" + base64(new Uint8Array(await crypto.subtle.digest("SHA-256", blob))).replace(/=+$/, "");
  const comment = `preflight:${person}`.replace(/[\r\n]+/g, " ");
  return {
    person,
    algorithm: record.algorithm,
    publicKey: record.publicKey,
    privateKey: record.privateKey,
    opensshPublicKey: `${KINDS[record.algorithm].sshType} ${base64(blob)} ${comment}`,
    fingerprint,
    created: record.created,
  };
}

/** The SSH wire form of a public key (RFC 8709 for Ed25519, RFC 5656 for P-256). */
async function publicKeyBlob(algorithm, publicKey) {
  const kind = KINDS[algorithm];
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", publicKey));
  if (raw.length !== kind.rawLength) throw new Error(`a ${algorithm} public key of ${raw.length} bytes`);
  return algorithm === "Ed25519"
    ? concat(string(kind.sshType), string(raw))
    : concat(string(kind.sshType), string("nistp256"), string(raw));
}

// ---- IndexedDB -----------------------------------------------------------------------------

function keyStoreError(message) {
  const e = new Error(`this browser cannot keep signing keys: ${message}`);
  e.name = "PreflightKeyStoreError";
  return e;
}

function openKeys() {
  return new Promise((resolve, reject) => {
    let open;
    try {
      open = indexedDB.open(DB, 1);
    } catch (e) {
      reject(keyStoreError(e?.message || String(e)));
      return;
    }
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(keyStoreError(open.error?.message || "IndexedDB did not open"));
    open.onblocked = () => reject(keyStoreError("another tab holds an older version of the key store open"));
  });
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * Keep `fresh` for `person` in one read-write transaction (they run one at a time per store):
 * unless a record other than the damaged one we saw (`seen`) is there now, which is returned.
 */
function keepUnlessPresent(db, person, fresh, seen) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, "readwrite");
    const store = tx.objectStore(STORE);
    let result = fresh;
    const get = store.get(person);
    get.onsuccess = () => {
      const now = get.result;
      const untouched = now === undefined || (seen !== undefined && sameRecord(now, seen));
      if (untouched) store.put(fresh, person);
      else result = now;
    };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || keyStoreError("the key was not kept"));
  });
}

/** Structured clones are not ===: the same record has the same creation time and keys' kind. */
function sameRecord(a, b) {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  return a.created === b.created && a.algorithm === b.algorithm && a.version === b.version;
}

// ---- the SSH wire format -------------------------------------------------------------------

function ascii(text) {
  return new TextEncoder().encode(text);
}

function uint32(n) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/** SSH `string`: uint32 length, then the bytes (text as UTF-8). */
function string(value) {
  const bytes = typeof value === "string" ? ascii(value) : value;
  return concat(uint32(bytes.length), bytes);
}

/** SSH `mpint` of an unsigned big-endian number: no leading zeros, a 0x00 when the top bit is set. */
function mpint(unsigned) {
  let start = 0;
  while (start < unsigned.length && unsigned[start] === 0) start++;
  let digits = unsigned.subarray(start);
  if (digits.length > 0 && digits[0] & 0x80) digits = concat(new Uint8Array([0]), digits);
  return string(digits);
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function base64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function armor(bytes) {
  const lines = base64(bytes).match(/.{1,70}/g);
  return ["-----BEGIN SSH SIGNATURE-----", ...lines, "-----END SSH SIGNATURE-----", ""].join("\n");
}
