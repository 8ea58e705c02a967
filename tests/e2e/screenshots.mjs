// Screenshots of the main views at laptop and phone sizes into docs/screenshots/.
// Run: node tests/e2e/screenshots.mjs (with dist/site built).
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const { chromium } = createRequire(join(root, "tools/package.json"))("playwright-core");
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  try { const f = join(root, "dist/site", new URL(req.url, "http://x").pathname.replace(/^\/$/, "/index.html"));
    const body = readFileSync(f); res.writeHead(200, { "content-type": types[extname(f)] || "text/plain" }); res.end(body);
  } catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
for (const [label, viewport, scheme] of [["1280x800", { width: 1280, height: 800 }, "light"], ["390x844", { width: 390, height: 844 }, "light"], ["1280x800-dark", { width: 1280, height: 800 }, "dark"]]) {
  const context = await browser.newContext({ viewport, colorScheme: scheme, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(base); await page.waitForSelector("#verdict");
  await page.getByRole("checkbox", { name: "Release branch release/2.4.0 cut from main and CI green", exact: true }).check();
  await page.getByRole("checkbox", { name: "Database backup taken and restore verified", exact: true }).check();
  await page.screenshot({ path: join(root, `docs/screenshots/checklist-${label}.png`) });
  if (scheme === "light") {
    await page.locator("#item-" + (await page.$eval("li.item:nth-of-type(2)", (li) => li.id.slice(5)))).scrollIntoViewIfNeeded();
    await page.locator(".signoffs").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(root, `docs/screenshots/signoff-${label}.png`) });
    await page.click("#library-button");
    await page.locator("#library").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(root, `docs/screenshots/library-${label}.png`) });
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-html")]);
    await page.setContent(readFileSync(await download.path(), "utf8"));
    await page.screenshot({ path: join(root, `docs/screenshots/report-${label}.png`) });
  }
  await context.close();
}
await browser.close(); server.close();
