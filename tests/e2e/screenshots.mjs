// Screenshots of the main views at laptop and phone sizes into docs/screenshots/.
// Run: node tests/e2e/screenshots.mjs (with dist/site built).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { root, serveSite } from "./site-server.mjs";
const { chromium } = createRequire(join(root, "tools/package.json"))("playwright-core");
const server = await serveSite();
const base = server.base;
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
