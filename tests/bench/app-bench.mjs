// Browser benchmark of the app (issue 4): a 10,000-item checklist imported and rendered, and one
// click updating score, verdict and storage. Run: node tests/bench/app-bench.mjs (dist/site built).
import { serveSite, launchChromium } from "../e2e/site-server.mjs";
const server = await serveSite();
let doc = "# 10,000 items\n";
for (let s = 0; s < 100; s++) { doc += `\n## Phase ${s}\n\n`; for (let i = 0; i < 100; i++) doc += `- [ ] Check ${s}.${i}: verify \`service-${i}\` is healthy\n`; }
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(server.base);
await page.waitForSelector("#verdict");
const imports = [], allItems = [], lastTickable = [];
// Issue 15's measure: from the import until the last item can be reached (a jump to the end)
// and ticked, whether or not every row before it is built yet.
for (let k = 3; k < 6; k++) {
  const t0 = Date.now();
  await page.setInputFiles("#file", { name: `big${k}.md`, mimeType: "text/markdown", buffer: Buffer.from(doc.replace("# 10,000", `# 10,000 (${k})`)) });
  await page.waitForFunction((k) => document.querySelector("h1")?.textContent.includes(`(${k})`) && document.querySelector("#counts").textContent.startsWith("0/10000"), k, { timeout: 60000, polling: 5 });
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const last = page.getByRole("checkbox", { name: "Check 99.99: verify service-99 is healthy", exact: true });
  await last.click({ timeout: 60000 });
  await page.waitForFunction(() => document.querySelector("#counts").textContent.startsWith("1/10000"), null, { timeout: 60000, polling: 5 });
  lastTickable.push(Date.now() - t0);
}
for (let k = 0; k < 3; k++) {
  const t0 = Date.now();
  await page.setInputFiles("#file", { name: `big${k}.md`, mimeType: "text/markdown", buffer: Buffer.from(doc.replace("# 10,000", `# 10,000 (${k})`)) });
  await page.waitForFunction((k) => document.querySelector("h1")?.textContent.includes(`(${k})`) && document.querySelector("#counts").textContent.startsWith("0/10000"), k, { timeout: 60000, polling: 5 });
  imports.push(Date.now() - t0);
  await page.waitForFunction(() => document.querySelectorAll("#view li.item").length === 10000, null, { timeout: 60000, polling: 5 });
  allItems.push(Date.now() - t0);
}
const renders = await page.evaluate(() => performance.getEntriesByName("preflight-render").slice(-3).map((m) => +m.duration.toFixed(1)));
const complete = await page.evaluate(() => performance.getEntriesByName("preflight-render-complete").slice(-1).map((m) => +m.duration.toFixed(1)));
const items = await page.evaluate(() => document.querySelectorAll("#view li.item").length);
const clicks = await page.evaluate(() => {
  const out = [];
  for (let i = 0; i < 10; i++) {
    const box = document.querySelectorAll("#view li.item input[type=checkbox]")[i * 37];
    const t = performance.now();
    box.click(); // synchronous: status change, score, DOM update; the IndexedDB save runs after, off this path
    out.push(performance.now() - t);
  }
  return { out, counts: document.querySelector("#counts").textContent };
});
console.log(JSON.stringify({ importToFirstScreenMs: imports, importToAllItemsMs: allItems, importToLastTickedMs: lastTickable, firstRenderMs: renders, renderCompleteMs: complete, itemsInDom: items, clickMs: clicks.out.map((x) => +x.toFixed(1)), counts: clicks.counts }));
await browser.close(); server.close();
