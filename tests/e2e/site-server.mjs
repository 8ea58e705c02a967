// Serves dist/site (and, for tests, tests/fixtures under /fixtures/ with CORS) on a loopback
// port. Shared by the e2e tests, the app benchmark and the screenshot script.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".md": "text/markdown" };

/** `dir`: the site to serve; `pages`: extra {path: text} (a host page for embed tests). */
export async function serveSite({ dir = join(root, "dist/site"), pages = {} } = {}) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const file = path.startsWith("/fixtures/") ? join(root, "tests", path) : join(dir, path === "/" ? "index.html" : path);
    let body = pages[path];
    if (body === undefined) try { body = readFileSync(file); } catch { res.writeHead(404); res.end(); return; }
    const headers = { "content-type": types[extname(path === "/" ? file : path)] || "application/octet-stream", "cache-control": "no-cache" };
    if (path.startsWith("/fixtures/")) headers["access-control-allow-origin"] = "*";
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  // A test that fails before its close() must not keep the test process (and the run) alive.
  server.unref();
  const close = () => { server.closeAllConnections(); server.close(); };
  return { base: `http://127.0.0.1:${server.address().port}/`, close };
}

/** Debian's Chromium, headless, driven by playwright-core (never a downloaded browser). */
export async function launchChromium() {
  const { chromium } = createRequire(join(root, "tools/package.json"))("playwright-core");
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
}

/**
 * A new browser context (downloads accepted, `options` on top) with the app at `url` ready (its
 * verdict shown). `errors` collects the page's uncaught errors and, with `failedRequests`, every
 * response of 400 or more (a missing favicon, say).
 */
export async function openApp(browser, url, options = {}, { failedRequests = false } = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  if (failedRequests) page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  await page.goto(url);
  await page.waitForSelector("#verdict");
  return { context, page, errors };
}

/** A checklist of `n` task items, 66 characters each: from 16,000 items, past the 1 Mi
 * characters from which the served app runs the second module in a worker (web/engine.js). */
export function longChecklist(n) {
  let text = "# Long\n\n## Steps\n";
  for (let i = 0; i < n; i++) text += `- [ ] Step ${String(i).padStart(5, "0")} of the rollout: check the dashboards and budgets\n`;
  return text;
}

/** How many objects with the prototype `prototype` (an expression) the page's own heap holds. */
async function countObjects(context, page, prototype) {
  const cdp = await context.newCDPSession(page);
  const { result: proto } = await cdp.send("Runtime.evaluate", { expression: prototype });
  const { objects } = await cdp.send("Runtime.queryObjects", { prototypeObjectId: proto.objectId });
  const { result } = await cdp.send("Runtime.callFunctionOn", { objectId: objects.objectId, functionDeclaration: "function () { return this.length; }", returnByValue: true });
  await cdp.detach();
  return result.value;
}

/**
 * How many wasm memories the page's own heap holds (a worker's are in the worker's heap): 1 when
 * the second module's calls ran in workers, 2 once it was instantiated in the page.
 */
export const wasmMemories = (context, page) => countObjects(context, page, "WebAssembly.Memory.prototype");

/** How many compiled wasm modules the page's own heap holds (each module's glue keeps its own). */
export const wasmModules = (context, page) => countObjects(context, page, "WebAssembly.Module.prototype");

/** axe-core's violations on `page` (the context must bypass CSP so axe can be injected). */
export async function axeViolations(page) {
  await page.addScriptTag({ path: join(root, "tools/node_modules/axe-core/axe.min.js") });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}
