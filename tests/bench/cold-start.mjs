// Cold start to the first checkbox (issue 15): a fresh browser profile opens the served app and
// the single file from disk; timed in the page from navigation start until the first checkbox
// of the sample is in the page and a frame has been painted after it. Also when the wasm
// module arrived and when the engine was ready, to show where the time goes.
// Run: node tests/bench/cold-start.mjs [runs]   (dist/ built by scripts/build-site.sh).
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { serveSite, launchChromium, root } from "../e2e/site-server.mjs";

const runs = Number(process.argv[2] || 7);
// The floor: a page with one checkbox in its HTML and nothing else, opened the same way.
const server = await serveSite({ pages: { "/floor.html": '<!doctype html><meta charset="utf-8"><title>floor</title><div id="view"><input type="checkbox"></div>' } });
const browser = await launchChromium();

/** Installed before any script of the page runs: notes when the first checkbox shows. */
function watch() {
  const seen = () => {
    if (window.firstBox) return;
    if (!document.querySelector("#view input[type=checkbox], preflight-checklist")) return;
    window.firstBox = performance.now();
    requestAnimationFrame(() => setTimeout(() => { window.painted = performance.now(); }, 0));
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
}

async function once(url) {
  const context = await browser.newContext(); // a fresh profile: no cache, no storage, no service worker
  const page = await context.newPage();
  await page.addInitScript(watch);
  await page.goto(url);
  await page.waitForFunction(() => window.painted, null, { timeout: 30000, polling: 10 });
  const out = await page.evaluate(() => {
    const wasm = performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"));
    const nav = performance.getEntriesByType("navigation")[0];
    return {
      firstCheckbox: Math.round(window.painted),
      domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
      wasmArrived: wasm ? Math.round(wasm.responseEnd) : null,
      engineReady: Math.round(performance.getEntriesByName("preflight-engine-ready")[0]?.startTime ?? NaN) || null,
    };
  });
  await context.close();
  return out;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const results = {};
for (const [name, url] of [["floor: one checkbox in static HTML", `${server.base}floor.html`], ["served", server.base], ["single file from disk", pathToFileURL(join(root, "dist/preflight.html")).href]]) {
  await once(url); // the browser process itself warm (its own start is not the page's)
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await once(url));
  const summary = {};
  for (const key of Object.keys(all[0])) {
    const xs = all.map((r) => r[key]).filter((x) => x !== null);
    summary[key] = xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) } : null;
  }
  results[name] = summary;
}
console.log(JSON.stringify(results, null, 1));
await browser.close(); server.close();
