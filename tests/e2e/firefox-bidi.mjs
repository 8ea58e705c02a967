// The smallest WebDriver BiDi client for Debian's firefox-esr (this playwright-core needs a newer
// Firefox than ESR for its own BiDi driver): commands by id, evaluation in one or more tabs.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { root } from "./site-server.mjs";

const WebSocket = createRequire(join(root, "tools/package.json"))("ws");
export const firefox = (() => { try { return execFileSync("sh", ["-c", "command -v firefox-esr"]).toString().trim(); } catch { return null; } })();

/** `promise`, or a failure naming `what` after `ms`. */
function bounded(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer from Firefox in ${ms / 1000} s: ${what}`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The smallest BiDi client: commands by id, nothing else. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "preflight-ff-"));
  writeFileSync(join(profile, "user.js"), 'user_pref("browser.shell.checkDefaultBrowser", false);\nuser_pref("datareporting.policy.dataSubmissionEnabled", false);\n');
  const proc = spawn(firefox, ["--headless", "--remote-debugging-port=0", "--profile", profile], { stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise((r) => proc.once("exit", r));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill();
      // A Firefox that ignores SIGTERM is killed after five seconds.
      const kill = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(kill);
    }
    rmSync(profile, { recursive: true, force: true });
  };
  let url;
  try {
    url = await bounded(new Promise((resolve, reject) => {
      let seen = "";
      proc.stderr.on("data", (d) => { seen += d; const m = seen.match(/WebDriver BiDi listening on (ws:\/\/\S+)/); if (m) resolve(m[1]); });
      proc.on("exit", () => reject(new Error(`firefox exited: ${seen}`)));
    }), 60000, "Firefox to start");
  } catch (e) { await stop(); throw e; }
  const ws = new WebSocket(`${url}/session`);
  try { await bounded(new Promise((r, j) => { ws.once("open", r); ws.once("error", j); }), 60000, "the BiDi socket"); } catch (e) { ws.terminate(); await stop(); throw e; }
  let next = 0; const waiting = new Map();
  ws.on("message", (raw) => {
    const msg = JSON.parse(raw);
    if (msg.id === undefined || !waiting.has(msg.id)) return;
    const { resolve, reject } = waiting.get(msg.id); waiting.delete(msg.id);
    msg.type === "error" ? reject(new Error(`${msg.error}: ${msg.message}`)) : resolve(msg.result);
  });
  // Every command answers within a minute or fails: a Firefox that stops answering fails the test
  // instead of holding the run.
  const send = (method, params = {}) => bounded(new Promise((resolve, reject) => { const id = ++next; waiting.set(id, { resolve, reject }); ws.send(JSON.stringify({ id, method, params })); }), 60000, method);
  let contexts;
  try {
    await send("session.new", { capabilities: {} });
    ({ contexts } = await send("browsingContext.getTree", {}));
  } catch (e) { ws.terminate(); await stop(); throw e; }
  const context = contexts[0].context;
  const evaluate = async (expression, target = context) => {
    const { result, exceptionDetails } = await send("script.evaluate", { expression, target: { context: target }, awaitPromise: true, resultOwnership: "root" });
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.text}`);
    return result;
  };
  const value = async (expression, target) => (await evaluate(expression, target)).value;
  /** Another tab of the same profile (same storage), at `url`; resolves to its context id. */
  const newTab = async (url) => {
    const { context: tab } = await send("browsingContext.create", { type: "tab" });
    await send("browsingContext.navigate", { context: tab, url, wait: "complete" });
    return tab;
  };
  const until = async (expression, what) => {
    for (let i = 0; i < 200; i++) { if (await value(expression).catch(() => false)) return; await new Promise((r) => setTimeout(r, 100)); }
    throw new Error(`timed out waiting for ${what}: ${await value("document.querySelector('#notice')?.textContent || document.body.innerText.slice(0, 300)")}`);
  };
  const close = async () => { await send("session.end").catch(() => {}); ws.close(); await stop(); };
  return { send, context, evaluate, value, until, close, newTab };
}

