// Sign-offs signed in the browser (web/signing.js: WebCrypto keys kept in IndexedDB, SSHSIG
// envelopes) and checked outside it: by `preflight verify --allowed-signers` and by OpenSSH's
// own `ssh-keygen -Y verify -n preflight`. Serves dist/site (scripts/build-site.sh) and uses the
// CLI from $CARGO_TARGET_DIR (or target/)/debug/preflight, built here when it is missing.
// Run: node --test tests/e2e/signing.test.mjs
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, serveSite, launchChromium } from "./site-server.mjs";

// A page of the built site that loads the engine the way the app does (engine.js) and the
// signing module, with nothing else on it.
const HARNESS = `<!doctype html><meta charset="utf-8"><title>signing</title>
<script type="module">
import { ready, Checklist } from "./engine.js";
import { exportReport } from "./extra.js";
import * as signing from "./signing.js";
await ready();
window.preflight = { Checklist, exportReport, signing };
</script>`;

const NOW = "2026-12-01T10:00:00Z";
const server = await serveSite({ pages: { "/signing-harness.html": HARNESS } });
const browser = await launchChromium();
after(async () => { await browser.close(); server.close(); });

/** A page with the harness loaded, in a fresh browser context (its own IndexedDB). */
async function harness() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  await page.goto(server.base + "signing-harness.html");
  try {
    await page.waitForFunction(() => window.preflight, null, { timeout: 10000 });
  } catch {
    assert.fail(`the engine and web/signing.js did not load: ${errors.join(" | ") || "no error reported"}`);
  }
  return { context, page };
}

// Whether this Chromium has WebCrypto Ed25519: the tests below say which keys they cover.
const ed25519 = await (async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.base + "signing-harness.html");
  const has = await page.evaluate(() => crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]).then(() => true, () => false));
  await context.close();
  return has;
})();
const kinds = ed25519 ? "Ed25519 and P-256" : "P-256 only: this Chromium has no WebCrypto Ed25519";
if (!ed25519) console.log(`# signing.test.mjs: ${kinds}; the Ed25519 path is not covered here`);

/** The CLI, built once when it is missing. */
const cli = (() => {
  const path = join(process.env.CARGO_TARGET_DIR || join(root, "target"), "debug/preflight");
  if (!existsSync(path)) {
    const built = spawnSync("cargo", ["build", "--quiet", "-p", "preflight-cli"], { cwd: root, encoding: "utf8" });
    assert.equal(built.status, 0, `cargo build -p preflight-cli failed: ${built.stderr}`);
  }
  return path;
})();

function run(command, args, { cwd, input } = {}) {
  const out = spawnSync(command, args, { cwd, input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (out.error) assert.fail(`${command} did not run: ${out.error.message}`);
  return out;
}

/** `ssh-keygen -Y verify` of `signature` over `statement` by `principal`, as the README shows it. */
function sshKeygenVerify(dir, principal, signature, statement) {
  writeFileSync(join(dir, "sig"), signature);
  return run("ssh-keygen", ["-Y", "verify", "-f", "allowed_signers", "-I", principal, "-n", "preflight", "-s", "sig"], { cwd: dir, input: statement });
}

/** The armored signature of the sign-off signed by `name`, taken from a JSON report. */
function signatureIn(report, name) {
  const signOffs = report.run.signOffs;
  const entry = (Array.isArray(signOffs) ? signOffs : Object.values(signOffs)).find((s) => s.signature?.name === name);
  assert.ok(entry?.signature?.ssh, `the report carries ${name}'s SSH signature`);
  return entry.signature.ssh;
}

/**
 * In the page: the sample, a run, "Tech Lead" and "SRE On-call" signed by name and date, then
 * cryptographically (Kim's key forced to P-256), the JSON report and the allowed_signers lines.
 * `pickSre` ({lengths: source of mpintLengths, want: "long" | "short"}) signs Kim's statement
 * again until r or s has that mpint length: see the mpint test.
 */
async function signSample(page, { pickSre } = {}) {
  return page.evaluate(async ({ now, pickSre }) => {
    const { Checklist, exportReport, signing } = window.preflight;
    const checklist = Checklist.sample();
    const signOffs = checklist.model().items.filter((i) => i.kind === "signOff");
    const idOf = (role) => signOffs.find((i) => i.signOff?.role === role).id;
    const [tech, sre] = [idOf("Tech Lead"), idOf("SRE On-call")];
    const run = checklist.newRun(crypto.randomUUID(), "v2.4.0 to production", now);
    run.sign(checklist, tech, "Jane Roe", "2026-12-01", "approved", undefined, "Jane Roe", now);
    run.sign(checklist, sre, "Kim Park", "2026-12-01", "approved", undefined, "Kim Park", now);
    const jane = await signing.signSignOff(run, checklist, tech, "Jane Roe");
    const kim = await signing.signSignOff(run, checklist, sre, "Kim Park", { algorithm: "ECDSA" });
    let tries = 1;
    if (pickSre) {
      const lengths = new Function(`return (${pickSre.lengths})`)();
      const pick = (pem) => pickSre.want === "long" ? lengths(pem).includes(33) : lengths(pem).some((n) => n < 32);
      const key = await signing.signerKey("Kim Park");
      const statement = run.signOffStatement(checklist, sre);
      for (;;) {
        const pem = await signing.signStatement(key, statement);
        if (pick(pem)) { run.attachSshSignature(sre, pem); break; }
        // Half of all signatures have a high top bit in r or s, and 1 in 128 a leading zero byte:
        // never finding one means the encoding is not SSH's mpint.
        if (++tries > 20000) throw new Error(`in 20000 P-256 signatures, no r or s encoded ${pickSre.want === "long" ? "with a 0x00 before a high top bit" : "without its leading zero byte"}`);
      }
    }
    return {
      report: await exportReport("json", checklist, run, now),
      statements: { jane: run.signOffStatement(checklist, tech), kim: run.signOffStatement(checklist, sre) },
      jane, kim, tries,
      allowed: [signing.allowedSignersLine("jane@example.com", jane.opensshPublicKey), signing.allowedSignersLine("kim@example.com", kim.opensshPublicKey)],
    };
  }, { now: NOW, pickSre });
}

/** Write the report, the checklist and allowed_signers; `preflight verify` them. */
function verifyWithCli(signed) {
  const dir = mkdtempSync(join(tmpdir(), "preflight-signing-"));
  writeFileSync(join(dir, "report.json"), signed.report);
  writeFileSync(join(dir, "allowed_signers"), signed.allowed.join("\n") + "\n");
  writeFileSync(join(dir, "CHECKLIST.md"), run(cli, ["sample"]).stdout);
  const out = run(cli, ["verify", "report.json", "--allowed-signers", "allowed_signers",
    "--require", "Tech Lead=jane@example.com", "--require", "SRE On-call=kim@example.com"], { cwd: dir });
  return { dir, out };
}

test(`sign-offs signed in the browser (${kinds}) pass preflight verify and ssh-keygen -Y verify`, async () => {
  const { context, page } = await harness();
  const signed = await signSample(page);
  await context.close();
  assert.equal(signed.jane.algorithm, ed25519 ? "Ed25519" : "ECDSA-P256");
  assert.match(signed.jane.opensshPublicKey, ed25519 ? /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} preflight:Jane Roe$/ : /^ecdsa-sha2-nistp256 /);
  assert.equal(signed.kim.algorithm, "ECDSA-P256");
  assert.match(signed.kim.opensshPublicKey, /^ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB[A-Za-z0-9+/]{86}= preflight:Kim Park$/);
  assert.equal(signed.allowed[0], `jane@example.com namespaces="preflight" ${signed.jane.opensshPublicKey}`);

  const { dir, out } = verifyWithCli(signed);
  try {
    assert.equal(out.status, 0, `preflight verify:\n${out.stdout}${out.stderr}`);
    assert.match(out.stdout, /signature Tech Lead \(Jane Roe\): signed by jane@example\.com/);
    assert.match(out.stdout, /signature SRE On-call \(Kim Park\): signed by kim@example\.com/);

    const report = JSON.parse(signed.report);
    for (const [who, name, principal] of [["jane", "Jane Roe", "jane@example.com"], ["kim", "Kim Park", "kim@example.com"]]) {
      const statement = signed.statements[who];
      // The browser signed exactly the bytes the CLI prints for checking by hand.
      const role = who === "jane" ? "Tech Lead" : "SRE On-call";
      assert.equal(run(cli, ["run", "show", "CHECKLIST.md", "report.json", "--statement", role], { cwd: dir }).stdout, statement);
      const pem = signatureIn(report, name);
      assert.match(pem, /^-----BEGIN SSH SIGNATURE-----\n([A-Za-z0-9+/]{70}\n)+[A-Za-z0-9+/=]{1,70}\n-----END SSH SIGNATURE-----\n$/);
      const ok = sshKeygenVerify(dir, principal, pem, statement);
      assert.equal(ok.status, 0, `ssh-keygen -Y verify rejects ${name}'s signature: ${ok.stdout}${ok.stderr}`);
      assert.match(ok.stdout, new RegExp(`Good "preflight" signature for ${principal.replace(".", "\\.")} with (ED25519|ECDSA) key SHA256:`));
      // Not vacuous: another statement, or another principal, is refused.
      assert.notEqual(sshKeygenVerify(dir, principal, pem, statement.replace(name, "Eve Mallory")).status, 0);
      assert.notEqual(sshKeygenVerify(dir, principal === "jane@example.com" ? "kim@example.com" : "jane@example.com", pem, statement).status, 0);
    }
    // The fingerprints shown are the ones ssh-keygen prints for these keys.
    for (const key of [signed.jane, signed.kim]) {
      writeFileSync(join(dir, "key.pub"), key.opensshPublicKey + "\n");
      assert.match(run("ssh-keygen", ["-l", "-f", "key.pub"], { cwd: dir }).stdout, new RegExp(`^256 ${key.fingerprint.replace(/[+/]/g, "\\$&")} `));
    }
    // A key that is not listed fails verify.
    writeFileSync(join(dir, "allowed_signers"), signed.allowed[0] + "\n");
    const unknown = run(cli, ["verify", "report.json", "--allowed-signers", "allowed_signers"], { cwd: dir });
    assert.equal(unknown.status, 1, unknown.stdout);
    assert.match(unknown.stdout, /SRE On-call \(Kim Park\): made by a key that is not in the allowed signers/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The lengths of r and s, as mpints, in an armored P-256 SSHSIG. Runs in node and in the page
 * (atob, no Buffer).
 */
function mpintLengths(pem) {
  const bytes = Uint8Array.from(atob(pem.split("\n").filter((l) => l && !l.startsWith("-----")).join("")), (c) => c.charCodeAt(0));
  const strings = (buf) => {
    const out = [];
    for (let at = 0; at < buf.length;) {
      const n = new DataView(buf.buffer, buf.byteOffset + at, 4).getUint32(0);
      out.push(buf.subarray(at + 4, at + 4 + n));
      at += 4 + n;
    }
    return out;
  };
  // "SSHSIG", uint32 version, then: publickey, namespace, reserved, hash, signature.
  const signature = strings(bytes.subarray(10))[4];
  const [, rs] = strings(signature);
  return strings(rs).map((m) => m.length);
}

test("P-256 signatures whose r or s needs a 0x00, or loses leading zeros, as an SSH mpint verify", async () => {
  // WebCrypto gives r || s, 32 bytes each; SSH wants each as an mpint: a number whose top byte
  // is 0x80 or more gets a 0x00 in front, and leading zero bytes are dropped. A P-256 signature
  // is random: sign until each case comes up (a leading zero byte is about 1 in 128).
  for (const [what, want] of [["r or s of 33 bytes (0x00 before a high top bit)", "long"], ["r or s under 32 bytes (a leading zero dropped)", "short"]]) {
    const { context, page } = await harness();
    const signed = await signSample(page, { pickSre: { lengths: mpintLengths.toString(), want } });
    await context.close();
    const pem = signatureIn(JSON.parse(signed.report), "Kim Park");
    const lengths = mpintLengths(pem);
    assert.ok(want === "long" ? lengths.includes(33) : lengths.some((n) => n < 32), `${what}: picked ${lengths}`);
    const { dir, out } = verifyWithCli(signed);
    try {
      assert.equal(out.status, 0, `${what} (after ${signed.tries} tries): preflight verify:\n${out.stdout}${out.stderr}`);
      assert.match(out.stdout, /SRE On-call \(Kim Park\): signed by kim@example\.com/);
      const ok = sshKeygenVerify(dir, "kim@example.com", pem, signed.statements.kim);
      assert.equal(ok.status, 0, `${what}: ssh-keygen -Y verify: ${ok.stdout}${ok.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("a person's key is kept in IndexedDB: the same fingerprint after a reload, its private key never exported", async () => {
  const { context, page } = await harness();
  const first = await page.evaluate(async () => {
    const key = await window.preflight.signing.signerKey("Jane Roe");
    return { fingerprint: key.fingerprint, openssh: key.opensshPublicKey, replaced: key.replaced, extractable: key.privateKey.extractable };
  });
  assert.equal(first.replaced, false);
  assert.equal(first.extractable, false);
  await page.reload();
  await page.waitForFunction(() => window.preflight);
  const again = await page.evaluate(async () => {
    const { signing } = window.preflight;
    const key = await signing.signerKey("Jane Roe");
    const other = await signing.signerKey("Kim Park");
    const refused = [];
    for (const format of ["pkcs8", "jwk", "raw"]) {
      await crypto.subtle.exportKey(format, key.privateKey).then(() => {}, (e) => refused.push(`${format}: ${e.name}`));
    }
    // What IndexedDB holds: the record under the person's name, in database preflight-keys, store keys.
    const db = await new Promise((resolve, reject) => { const r = indexedDB.open("preflight-keys"); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const stored = await new Promise((resolve) => { const r = db.transaction("keys").objectStore("keys").get("Jane Roe"); r.onsuccess = () => resolve(r.result); });
    const names = await new Promise((resolve) => { const r = db.transaction("keys").objectStore("keys").getAllKeys(); r.onsuccess = () => resolve(r.result); });
    db.close();
    return {
      fingerprint: key.fingerprint, openssh: key.opensshPublicKey, replaced: key.replaced, other: other.fingerprint, refused, names,
      storedPrivate: stored.privateKey instanceof CryptoKey && stored.privateKey.type === "private" && stored.privateKey.extractable,
    };
  });
  await context.close();
  assert.equal(again.fingerprint, first.fingerprint, "the key made before the reload signs after it");
  assert.equal(again.openssh, first.openssh);
  assert.equal(again.replaced, false);
  assert.notEqual(again.other, first.fingerprint, "each person has their own key");
  assert.deepEqual(again.names, ["Jane Roe", "Kim Park"]);
  assert.equal(again.storedPrivate, false, "IndexedDB keeps a CryptoKey, not extractable");
  assert.deepEqual(again.refused, ["pkcs8: InvalidAccessError", "jwk: InvalidAccessError", "raw: InvalidAccessError"]);
});

test("a damaged stored key is replaced with a new one, said so, not thrown at the user", async () => {
  const { context, page } = await harness();
  const result = await page.evaluate(async () => {
    const { signing } = window.preflight;
    const put = async (name, value) => {
      await signing.signerKey("someone else"); // makes the database and its store
      const db = await new Promise((resolve, reject) => { const r = indexedDB.open("preflight-keys"); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      await new Promise((resolve, reject) => { const t = db.transaction("keys", "readwrite"); t.objectStore("keys").put(value, name); t.oncomplete = resolve; t.onerror = () => reject(t.error); });
      db.close();
    };
    const a = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const b = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const damaged = {
      "not an object": "garbage",
      "keys missing": { version: 1, person: "keys missing", algorithm: "Ed25519" },
      // Two halves of different pairs: what it signs, its public key does not verify.
      "mismatched pair": { version: 1, person: "mismatched pair", algorithm: "ECDSA-P256", publicKey: a.publicKey, privateKey: b.privateKey, created: "2026-01-01T00:00:00Z" },
    };
    const out = {};
    for (const [name, value] of Object.entries(damaged)) {
      await put(name, value);
      const key = await signing.signerKey(name);
      const pem = await signing.signStatement(key, "{}");
      const next = await signing.signerKey(name);
      out[name] = { replaced: key.replaced, signs: pem.startsWith("-----BEGIN SSH SIGNATURE-----"), kept: next.fingerprint === key.fingerprint && next.replaced === false };
    }
    return out;
  });
  await context.close();
  for (const [name, r] of Object.entries(result)) assert.deepEqual(r, { replaced: true, signs: true, kept: true }, name);
});

test("where WebCrypto has no Ed25519, a new key is ECDSA P-256 and signs", async () => {
  const { context, page } = await harness();
  const key = await page.evaluate(async () => {
    const generate = crypto.subtle.generateKey.bind(crypto.subtle);
    crypto.subtle.generateKey = (algorithm, ...rest) => algorithm?.name === "Ed25519"
      ? Promise.reject(new DOMException("Unrecognized name.", "NotSupportedError"))
      : generate(algorithm, ...rest);
    const { signing } = window.preflight;
    const key = await signing.signerKey("Old Browser");
    const pem = await signing.signStatement(key, "{}");
    return { algorithm: key.algorithm, openssh: key.opensshPublicKey, signs: pem.endsWith("-----END SSH SIGNATURE-----\n") };
  });
  await context.close();
  assert.deepEqual({ ...key, openssh: key.openssh.split(" ")[0] }, { algorithm: "ECDSA-P256", openssh: "ecdsa-sha2-nistp256", signs: true });
});

test("allowedSignersLine refuses a principal git's allowed_signers would misread", async () => {
  const { context, page } = await harness();
  const out = await page.evaluate(() => {
    const { signing } = window.preflight;
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOSx9pOx5E4Fv3vCeB0m9uGLM8T6VUmOdMT0bVxhLk3E preflight:Jane Roe";
    const refused = (principal) => { try { signing.allowedSignersLine(principal, key); return false; } catch (e) { return e.name === "RangeError"; } };
    return { line: signing.allowedSignersLine("jane@example.com", key), spaced: refused("Jane Roe"), comma: refused("a,b"), empty: refused(""), badKey: (() => { try { signing.allowedSignersLine("jane@example.com", "not a key"); return false; } catch { return true; } })() };
  });
  await context.close();
  assert.deepEqual(out, { line: `jane@example.com namespaces="preflight" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOSx9pOx5E4Fv3vCeB0m9uGLM8T6VUmOdMT0bVxhLk3E preflight:Jane Roe`, spaced: true, comma: true, empty: true, badKey: true });
});

test("in the app: Sign with my key shows the key and its allowed_signers line, the downloaded report passes preflight verify, and the item keeps its history", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.base);
  await page.waitForSelector("#verdict");
  await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  await page.getByLabel("Tech Lead: name").fill("Jane Roe");
  await page.getByRole("button", { name: "Sign with my key" }).first().click();
  const fingerprint = page.locator(".keyline code.fingerprint").first();
  await page.waitForFunction(() => document.querySelector(".keyline code.fingerprint")?.textContent.startsWith("SHA256:"));
  assert.match(await fingerprint.textContent(), /^SHA256:[A-Za-z0-9+/]{43}$/);
  await page.locator(".keyline summary").first().click();
  await page.getByLabel("Tech Lead: principal for allowed_signers (an e-mail address)").fill("jane@example.com");
  const line = await page.locator(".keyline .allowed-line").first().textContent();
  assert.match(line, /^jane@example\.com namespaces="preflight" (ssh-ed25519|ecdsa-sha2-nistp256) [A-Za-z0-9+/]+=*$/);
  // The item's history: the tick, by when.
  const row = page.locator("li.item", { hasText: "Migrations applied" });
  await row.getByRole("button", { name: /^Details/ }).click();
  assert.match(await page.locator("#details .history").textContent(), /History \(1 change\).*status: todo → done/s);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  const dir = mkdtempSync(join(tmpdir(), "preflight-app-signing-"));
  writeFileSync(join(dir, "report.json"), readFileSync(await download.path(), "utf8"));
  writeFileSync(join(dir, "allowed_signers"), line + "\n");
  try {
    const out = run(cli, ["verify", "report.json", "--allowed-signers", "allowed_signers", "--require", "Tech Lead=jane@example.com"], { cwd: dir });
    assert.equal(out.status, 0, `preflight verify:\n${out.stdout}${out.stderr}`);
    // Someone else's principal is not enough.
    writeFileSync(join(dir, "allowed_signers"), line.replace("jane@", "mallory@") + "\n");
    const wrong = run(cli, ["verify", "report.json", "--allowed-signers", "allowed_signers", "--require", "Tech Lead=jane@example.com"], { cwd: dir });
    assert.notEqual(wrong.status, 0);
  } finally { rmSync(dir, { recursive: true, force: true }); }
  assert.deepEqual(errors, []);
  await context.close();
});
