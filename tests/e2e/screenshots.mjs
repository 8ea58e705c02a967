// Screenshots of the main views at laptop and phone sizes into docs/screenshots/.
// Run: node tests/e2e/screenshots.mjs (with dist/site built).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
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
    await page.locator(".signoffs").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(root, `docs/screenshots/signoff-${label}.png`) });
    // The details panel: beside the list on a laptop, a sheet on a phone; saved as you type.
    await page.locator("li.item", { hasText: "Database backup taken" }).first().locator(":scope > .row .details-button").click();
    await page.waitForSelector("#details:not([hidden])");
    await page.keyboard.type("Restored into staging at 09:40; row counts match.");
    await page.waitForTimeout(800); // saved after a pause: the history shows the note
    await page.screenshot({ path: join(root, `docs/screenshots/details-${label}.png`) });
    await page.keyboard.press("Escape");
    // Share run, then the teammate's copy comes back: what comes in is shown before it is applied.
    const [shared] = await Promise.all([page.waitForEvent("download"), page.click("#share")]);
    const sharedText = readFileSync(await shared.path(), "utf8");
    const mate = await browser.newContext({ viewport, colorScheme: scheme, acceptDownloads: true });
    const matePage = await mate.newPage();
    await matePage.goto(base); await matePage.waitForSelector("#verdict");
    await matePage.setInputFiles("#file", { name: shared.suggestedFilename(), mimeType: "text/markdown", buffer: Buffer.from(sharedText) });
    await matePage.waitForFunction(() => document.querySelector("#counts")?.textContent.startsWith("2/"));
    await matePage.getByRole("checkbox", { name: "Deployment window announced in #release (at least 24h ahead)", exact: true }).check();
    await matePage.waitForTimeout(300);
    const [back] = await Promise.all([matePage.waitForEvent("download"), matePage.click("#share")]);
    const backText = readFileSync(await back.path(), "utf8");
    await mate.close();
    await page.setInputFiles("#file", { name: back.suggestedFilename(), mimeType: "text/markdown", buffer: Buffer.from(backText) });
    await page.waitForSelector("#merge-run");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(root, `docs/screenshots/share-merge-${label}.png`) });
    await page.click("#merge-run");
    await page.waitForFunction(() => document.querySelector("#notice")?.textContent.includes("Merged"));
    await page.click("#library-button");
    await page.locator("#library").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(root, `docs/screenshots/library-${label}.png`) });
    if (label === "390x844") await page.click("#export-toggle"); // the exports are behind one button on a phone
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-html")]);
    // Opened as a file, as a reader would: setContent keeps the app page's CSP, which refuses
    // the report's own inline style and shows it unstyled.
    const report = join(tmpdir(), "preflight-report.html");
    writeFileSync(report, readFileSync(await download.path(), "utf8"));
    await page.goto(pathToFileURL(report).href);
    await page.screenshot({ path: join(root, `docs/screenshots/report-${label}.png`) });
  }
  await context.close();
}
// A run at each gate, the why and correction UI, and a phone width.
{
  const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // `locator` just below the sticky header (`above`: how much to show above it).
  const shot = async (page, name, locator, above = 16) => {
    await page.locator(locator).first().scrollIntoViewIfNeeded();
    await page.evaluate(([sel, above]) => window.scrollTo(0, document.querySelector(sel).getBoundingClientRect().top + window.scrollY
      - document.querySelector(".bar").offsetHeight - above), [locator, above]);
    await settle(page);
    await page.screenshot({ path: join(root, `docs/screenshots/${name}.png`) });
  };
  const tickAll = async (page, gate) => {
    for (let i = 0; i < 50; i++) {
      const box = page.locator(`section.stage.${gate} li.item:not(.done):not(.na) > .row input[type=checkbox]`).first();
      if (!(await box.count())) return;
      await box.click();
    }
  };
  const answer = async (page, who, why) => {
    await page.waitForSelector("#action-dialog[open]");
    await page.fill("#ask-who", who);
    if (why) await page.fill("#ask-why", why);
    await page.click("#action-ok");
    await page.waitForSelector("#action-dialog", { state: "detached" });
  };
  for (const [label, viewport] of [["1280x800", { width: 1280, height: 800 }], ["390x844", { width: 390, height: 844 }]]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(base); await page.waitForSelector("#verdict");
    // Before: most of it done, a blocked item, one approval signed.
    for (const name of ["Release branch release/2.4.0 cut from main and CI green", "Changelog and release notes reviewed by the product owner",
      "Container image built, scanned, and pushed as checkout-api:2.4.0", "Database backup taken and restore verified", "Deployment window announced in #release (at least 24h ahead)"]) {
      await page.getByRole("checkbox", { name, exact: true }).click();
    }
    await page.locator("li.item", { hasText: "On-call engineer confirmed" }).getByRole("button", { name: "Blocked" }).click();
    await page.fill("#reason-text", "waiting for the SRE rota");
    await page.click("#reason-dialog button[value=ok]");
    await page.getByRole("textbox", { name: "Tech Lead: name" }).fill("Dana Whitfield");
    await page.locator(".signoff", { hasText: "Tech Lead" }).getByRole("button", { name: "Sign", exact: true }).click();
    await shot(page, `gate-before-${label}`, "#view h1");
    if (label === "1280x800") await shot(page, `gate-before-stage-${label}`, "#stage-head-before");
    // The why of a section and of an item's marks, and a correction made.
    await page.click("#why-section-data-safety");
    const row = page.locator("li.item", { hasText: "Migrations reviewed for locking behaviour" }).first();
    await row.locator(":scope > .row .details-button").click();
    await page.locator("#details").getByRole("checkbox", { name: "Critical: GO waits for it" }).check();
    await shot(page, `why-${label}`, "#section-data-safety");
    await page.click("#details-close");
    await page.click("#corrections summary");
    await shot(page, `corrections-${label}`, "#corrections", 100);
    // Undo the correction, finish the before gate, declare GO.
    await page.locator("#corrections").getByRole("button", { name: /^Undo/ }).click();
    await page.locator("li.item", { hasText: "On-call engineer confirmed" }).getByRole("button", { name: "Reopen" }).click();
    await tickAll(page, "before");
    // Tech Lead signed before the last ticks: stale now, signed again.
    await page.locator(".signoff", { hasText: "Tech Lead" }).getByRole("button", { name: "Unsign" }).click();
    for (const [role, name] of [["Tech Lead", "Dana Whitfield"], ["SRE On-call", "Ana Ruiz"], ["Product Owner", "Lee Chen"]]) {
      await page.getByRole("textbox", { name: `${role}: name` }).fill(name);
      await page.locator(".signoff", { hasText: role }).getByRole("button", { name: "Sign", exact: true }).click();
    }
    await page.click("#pass-before");
    await answer(page, "Dana Whitfield");
    await page.getByRole("checkbox", { name: "Maintenance banner enabled", exact: false }).first().click();
    await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).click();
    await shot(page, `gate-during-${label}`, "#stage-head-during");
    await tickAll(page, "during");
    await page.locator(".record", { hasText: "Deployment Date" }).getByRole("button", { name: "Record Deployment Date" }).click();
    await page.click("#pass-during");
    await answer(page, "Ana Ruiz");
    await page.getByRole("checkbox", { name: "Error rate and latency within thresholds for 30 minutes", exact: true }).click();
    await shot(page, `gate-after-${label}`, "#stage-head-after");
    await page.getByRole("button", { name: "Start rollback" }).click();
    await answer(page, "Ana Ruiz", "checkout errors above 2% in eu-west");
    await shot(page, `contingency-${label}`, "section.stage.contingency");
    await shot(page, `timeline-${label}`, "section.timeline", 250);
    await context.close();
  }
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
