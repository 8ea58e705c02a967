// dist/preflight.html from file:// in Firefox (Debian's firefox-esr), driven over WebDriver
// BiDi directly: this playwright-core needs a newer Firefox than ESR for its own BiDi driver.
// Skipped, and saying so, where firefox-esr is not installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { root } from "./site-server.mjs";

const WebSocket = createRequire(join(root, "tools/package.json"))("ws");
const firefox = (() => { try { return execFileSync("sh", ["-c", "command -v firefox-esr"]).toString().trim(); } catch { return null; } })();

/** The smallest BiDi client: commands by id, nothing else. */
async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "preflight-ff-"));
  writeFileSync(join(profile, "user.js"), 'user_pref("browser.shell.checkDefaultBrowser", false);\nuser_pref("datareporting.policy.dataSubmissionEnabled", false);\n');
  const proc = spawn(firefox, ["--headless", "--remote-debugging-port=0", "--profile", profile], { stdio: ["ignore", "ignore", "pipe"] });
  const url = await new Promise((resolve, reject) => {
    let seen = "";
    proc.stderr.on("data", (d) => { seen += d; const m = seen.match(/WebDriver BiDi listening on (ws:\/\/\S+)/); if (m) resolve(m[1]); });
    proc.on("exit", () => reject(new Error(`firefox exited: ${seen}`)));
  });
  const ws = new WebSocket(`${url}/session`);
  await new Promise((r, j) => { ws.once("open", r); ws.once("error", j); });
  let next = 0; const waiting = new Map();
  ws.on("message", (raw) => {
    const msg = JSON.parse(raw);
    if (msg.id === undefined || !waiting.has(msg.id)) return;
    const { resolve, reject } = waiting.get(msg.id); waiting.delete(msg.id);
    msg.type === "error" ? reject(new Error(`${msg.error}: ${msg.message}`)) : resolve(msg.result);
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => { const id = ++next; waiting.set(id, { resolve, reject }); ws.send(JSON.stringify({ id, method, params })); });
  await send("session.new", { capabilities: {} });
  const { contexts } = await send("browsingContext.getTree", {});
  const context = contexts[0].context;
  const evaluate = async (expression) => {
    const { result, exceptionDetails } = await send("script.evaluate", { expression, target: { context }, awaitPromise: true, resultOwnership: "root" });
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.text}`);
    return result;
  };
  const value = async (expression) => (await evaluate(expression)).value;
  const until = async (expression, what) => {
    for (let i = 0; i < 200; i++) { if (await value(expression).catch(() => false)) return; await new Promise((r) => setTimeout(r, 100)); }
    throw new Error(`timed out waiting for ${what}: ${await value("document.querySelector('#notice')?.textContent || document.body.innerText.slice(0, 300)")}`);
  };
  const close = async () => { await send("session.end").catch(() => {}); ws.close(); proc.kill(); await new Promise((r) => proc.once("exit", r)); rmSync(profile, { recursive: true, force: true }); };
  return { send, context, evaluate, value, until, close };
}

test("Firefox: dist/preflight.html from file:// renders the sample, imports a seed, keeps a tick across a reload, exports", { skip: !firefox && "firefox-esr is not installed" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "preflight-file-"));
  const file = join(dir, "preflight.html");
  writeFileSync(file, readFileSync(join(root, "dist/preflight.html")));
  const ff = await launch();
  try {
    await ff.send("browsingContext.navigate", { context: ff.context, url: pathToFileURL(file).href, wait: "complete" });
    await ff.until("document.querySelector('#verdict')", "the sample");
    assert.equal(await ff.value("document.querySelector('#score').textContent"), "0%");

    const input = await ff.evaluate("document.querySelector('#file')");
    await ff.send("input.setFiles", { context: ff.context, element: { sharedId: input.sharedId }, files: [join(root, "tests/fixtures/seeds/001_f7f6cd75f7e48165.md")] });
    await ff.until("document.querySelector('.summary .muted')?.textContent.includes('001_f7f6cd75')", "the seed");
    assert.match(await ff.value("document.querySelector('#counts').textContent"), /^0\/14 /);
    await ff.value("document.querySelector('#view li.item input[type=checkbox]').click(), true");
    await ff.until("document.querySelector('#counts').textContent.startsWith('1/14')", "the tick");

    await ff.send("browsingContext.reload", { context: ff.context, wait: "complete" });
    await ff.until("document.querySelector('#counts')?.textContent.startsWith('1/14')", "the tick after a reload");
    assert.ok(await ff.value("document.querySelector('#view li.item input[type=checkbox]').checked"));

    // The export is a Blob handed to a download link; read the Blob itself.
    const md = await ff.value(`new Promise((resolve) => {
      const create = URL.createObjectURL;
      URL.createObjectURL = (blob) => { blob.text().then(resolve); return create.call(URL, blob); };
      document.querySelector('#export-md').click();
    })`);
    assert.match(md, /Source SHA-256 `[0-9a-f]{64}`/);
    assert.match(md, /1\/14 items done/); // the before gate
  } finally {
    await ff.close();
    rmSync(dir, { recursive: true });
  }
});
