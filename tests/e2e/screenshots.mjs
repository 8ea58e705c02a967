// Screenshots of the main views at laptop and phone sizes into docs/screenshots/.
// Run: node tests/e2e/screenshots.mjs (with dist/site built).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root, serveSite, launchChromium } from "./site-server.mjs";
const server = await serveSite();
const base = server.base;
const browser = await launchChromium();
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
// An embed: a wiki-like host page on another origin with the element and the iframe.
const host = await serveSite({ pages: { "/wiki.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Team wiki</title>
<style>body { font: 16px Georgia, serif; max-width: 900px; margin: 2rem auto; color: #333; } h1 { border-bottom: 2px solid #999; }</style></head>
<body><h1>Payments runbook</h1><p>Work through this before every payments release.</p>
<preflight-checklist namespace="payments"><script type="text/markdown">
# Payments release
- [ ] Schema migrated (critical)
- [x] Canary healthy for 30 minutes
- [ ] Dashboards green
## Sign-off
- [ ] Release manager: ______ Date: ____
</script></preflight-checklist>
<p>Or, where the wiki allows only iframes:</p>
<iframe src="${base}embed.html?ns=wiki" title="Deployment checklist" style="width:100%;border:1px solid #ccc"></iframe>
<script src="${base}preflight-checklist.js"></script><script src="${base}embed-host.js"></script></body></html>` } });
{
  // Tall enough to hold both: off-screen parts (a cross-origin iframe, content-visibility
  // sections) are not painted, and a full-page capture does not scroll them into view.
  const context = await browser.newContext({ viewport: { width: 1280, height: 6000 } });
  const page = await context.newPage();
  await page.goto(`${host.base}wiki.html`);
  await page.waitForSelector("preflight-checklist >> #verdict");
  await page.frameLocator("iframe").locator("preflight-checklist >> #verdict").waitFor();
  await page.waitForFunction(() => document.querySelector("iframe").getBoundingClientRect().height > 400);
  const height = await page.evaluate(() => Math.ceil(document.body.getBoundingClientRect().bottom) + 16);
  await page.screenshot({ path: join(root, "docs/screenshots/embed-1280.png"), clip: { x: 0, y: 0, width: 1280, height } });
  await context.close();
}
await browser.close(); server.close(); host.close();
