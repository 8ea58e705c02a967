// Working a real deployment in the app (issue 13): hand-off in one file, merging a run that
// comes back, a run whose checklist is missing, keyboard import, repair that keeps progress,
// deleting the open run, the first visit and the library. Headless Chromium; serves dist/site.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serveSite, launchChromium, openApp } from "./site-server.mjs";

const CHECKLIST = "# Release checklist\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n- [ ] Freeze merges\n\n## Sign-off\n\n- [ ] QA Lead: ______ Date: ____\n";

let server, base, browser;
before(async () => {
  server = await serveSite();
  base = server.base;
  browser = await launchChromium();
});
after(async () => { await browser?.close(); server?.close(); });

const fresh = (options = {}) => openApp(browser, base, options, { failedRequests: true });

async function counts(page, prefix) {
  try {
    await page.waitForFunction((p) => document.querySelector("#counts")?.textContent.startsWith(p), prefix, { timeout: 5000 });
  } catch {
    assert.fail(`counts should start with ${prefix}: ${await page.textContent("#counts")} | notice: ${await page.textContent("#notice")}`);
  }
}

const importText = (page, name, text) => page.setInputFiles("#file", { name, mimeType: "text/markdown", buffer: Buffer.from(text) });
const box = (page, name) => page.getByRole("checkbox", { name, exact: true });
const saved = (page) => page.waitForFunction(() => document.querySelector("#notice").hidden || !/storage is full|Could not save/.test(document.querySelector("#notice").textContent));

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

/** Set an item N/A or blocked with a reason, through its button and the reason dialog. */
async function mark(page, item, which, reason) {
  await page.locator("li.item", { hasText: item }).getByRole("button", { name: which, exact: true }).first().click();
  await page.fill("#reason-text", reason);
  await page.keyboard.press("Enter");
  await page.waitForSelector(`text=${which === "N/A" ? "N/A" : "Blocked"}: ${reason}`);
}

test("a first visit says what Preflight does and offers import or the sample; nothing is stored until work starts", async () => {
  const { context, page, errors } = await fresh();
  await page.waitForSelector("#welcome:not([hidden])");
  assert.match(await page.textContent("#welcome"), /Markdown checklist/);
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.click("#welcome-import")]);
  assert.ok(chooser);
  await page.reload();
  await page.waitForSelector("#welcome:not([hidden])");
  await page.click("#welcome-sample");
  assert.equal(await page.isHidden("#welcome"), true);
  await box(page, "Migrations applied").check();
  await saved(page);
  await page.reload();
  await page.waitForSelector("#verdict");
  assert.equal(await page.isHidden("#welcome"), true, "no welcome once something is kept");
  assert.deepEqual(errors, [], "no console 404 (favicon) and no page errors");
  await context.close();
});

test("the welcome goes once work starts on the sample, without choosing it first", async () => {
  const { context, page, errors } = await fresh();
  await page.waitForSelector("#welcome:not([hidden])");
  await box(page, "Migrations applied").check();
  await page.waitForSelector("#welcome", { state: "hidden" });
  assert.deepEqual(errors, []);
  await context.close();
});

/** Press Enter on the button `id` and resolve whether it opened its hidden file input. */
async function enterOpensPicker(page, id) {
  await page.focus(`#${id}`);
  // The listener is in place before Enter is pressed (awaited), or a fast Enter goes unseen.
  await page.evaluate((id) => {
    window.__picked = new Promise((resolve) => {
      // Any file input clicked by the button now on the page (a library re-render may replace both).
      document.addEventListener("click", function picked(e) {
        if (!(e.target instanceof HTMLInputElement) || e.target.type !== "file") return;
        if (e.target.previousElementSibling?.id !== id) return;
        e.preventDefault();
        document.removeEventListener("click", picked, true);
        resolve(true);
      }, true);
      setTimeout(() => resolve(false), 5000);
    });
  }, id);
  await page.keyboard.press("Enter");
  return page.evaluate(() => window.__picked);
}

test("every import path works from the keyboard", async () => {
  const { context, page } = await fresh();
  assert.equal(await enterOpensPicker(page, "import"), true, "Import…");
  await page.focus("#library-button");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#library .template, #library >> text=Nothing kept yet.");
  assert.equal(await enterOpensPicker(page, "import-run"), true, "Import a run");
  await context.close();
});

test("Share run hands the run over in one file: a fresh browser imports it and continues", async () => {
  const a = await fresh();
  await importText(a.page, "CHECKLIST.md", CHECKLIST);
  await box(a.page, "Tag the build").check();
  await mark(a.page, "Freeze merges", "N/A", "no merges this week");
  await saved(a.page);
  const shared = await download(a.page, "#share");
  assert.match(shared.name, /\.preflight\.md$/);
  const b = await fresh();
  await importText(b.page, shared.name, shared.text);
  await counts(b.page, "1/2 ");
  assert.ok(await box(b.page, "Tag the build").isChecked());
  await b.page.waitForSelector("text=N/A: no merges this week");
  await box(b.page, "Notify the team").check();
  await counts(b.page, "2/2 ");
  await saved(b.page);
  await b.page.reload();
  await counts(b.page, "2/2 ");
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.context.close();
  await b.context.close();
});

test("restoring a backup updates the run open in the same tab", async () => {
  const a = await fresh();
  await importText(a.page, "CHECKLIST.md", CHECKLIST);
  await box(a.page, "Tag the build").check();
  await saved(a.page);
  const shared = await download(a.page, "#share");
  const b = await fresh();
  await importText(b.page, shared.name, shared.text);
  await counts(b.page, "1/3 ");
  await box(b.page, "Notify the team").check();
  await counts(b.page, "2/3 ");
  await saved(b.page);
  await b.page.click("#library-button");
  const backup = await download(b.page, "#backup");
  await a.page.click("#library-button");
  await a.page.setInputFiles("#restore + input[type=file]", { name: backup.name, mimeType: "application/json", buffer: Buffer.from(backup.text) });
  await a.page.waitForSelector("#notice >> text=Restored");
  // Without a reload: the open run is the restored one, as a report made now says.
  await counts(a.page, "2/3 ");
  assert.ok(await box(a.page, "Notify the team").isChecked());
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.context.close();
  await b.context.close();
});

test("a run that comes back is merged after showing what comes in and what differs", async () => {
  const a = await fresh();
  await importText(a.page, "CHECKLIST.md", CHECKLIST);
  await box(a.page, "Tag the build").check();
  await saved(a.page);
  const first = await download(a.page, "#share");
  // A teammate continues it: marks Freeze merges N/A, ticks Notify, shares it back.
  const b = await fresh();
  await importText(b.page, first.name, first.text);
  await counts(b.page, "1/3 ");
  await mark(b.page, "Freeze merges", "N/A", "release branch only");
  await box(b.page, "Notify the team").check();
  await saved(b.page);
  const back = await download(b.page, "#share");
  // Meanwhile here, Freeze merges was blocked (later than the teammate's N/A).
  await a.page.waitForTimeout(20);
  await mark(a.page, "Freeze merges", "Blocked", "merge queue stuck");
  await saved(a.page);
  await importText(a.page, back.name, back.text);
  await a.page.waitForSelector("#merge-run");
  const notice = await a.page.textContent("#notice");
  assert.match(notice, /already has\. 1 change comes in; 1 entry differs on both sides/);
  assert.match(notice, /Notify the team: done/);
  assert.match(notice, /Freeze merges: here blocked \(merge queue stuck\).*theirs na \(release branch only\).*this browser's is kept/);
  // Nothing applied yet.
  assert.equal(await box(a.page, "Notify the team").isChecked(), false);
  await a.page.click("#merge-run");
  await a.page.waitForFunction(() => document.querySelector("#notice")?.textContent.includes("Merged"));
  assert.ok(await box(a.page, "Notify the team").isChecked());
  await a.page.waitForSelector("text=Blocked: merge queue stuck");
  await a.page.reload();
  assert.ok(await box(a.page, "Notify the team").isChecked());
  await a.context.close();
  await b.context.close();
});

test("a run file whose checklist is missing asks for the checklist, checks it is the one, and continues", async () => {
  const a = await fresh();
  await importText(a.page, "CHECKLIST.md", CHECKLIST);
  await box(a.page, "Tag the build").check();
  await saved(a.page);
  const json = await download(a.page, "#export-json");
  const b = await fresh();
  await b.page.click("#library-button");
  await b.page.setInputFiles("#library input[type=file] >> nth=0", { name: "report.json", mimeType: "application/json", buffer: Buffer.from(json.text) });
  await b.page.waitForSelector("#choose-checklist");
  assert.match(await b.page.textContent("#notice"), /its checklist is not in this browser yet/);
  await b.page.setInputFiles("#notice input[type=file]", { name: "OTHER.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST.replace("Tag", "Sign")) });
  await b.page.waitForSelector("#notice >> text=is not the checklist");
  await b.page.setInputFiles("#notice input[type=file]", { name: "CHECKLIST.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await counts(b.page, "1/3 ");
  assert.ok(await box(b.page, "Tag the build").isChecked());
  // A file that is neither a run nor a report says so.
  await b.page.click("#library-button");
  await b.page.setInputFiles("#library input[type=file] >> nth=0", { name: "x.json", mimeType: "application/json", buffer: Buffer.from("{\"schema\":\"something/1\"}") });
  await b.page.waitForSelector("#notice >> text=neither a Preflight run nor a report");
  await a.context.close();
  await b.context.close();
});

test("Repair the text keeps the progress, and the library keeps one copy", async () => {
  const { context, page } = await fresh();
  const broken = "# Release\n\n## Before\n\n- [ ] Tag the build\n- [ ] Check â€œstatusâ€\u009d page\n";
  await importText(page, "BROKEN.md", broken);
  await page.waitForSelector("#repair-text");
  await box(page, "Tag the build").check();
  await saved(page);
  await page.click("#repair-text");
  await page.waitForFunction(() => document.querySelector("#notice")?.textContent.startsWith("Repaired the text."));
  assert.match(await page.textContent("#notice"), /1 entry of your run carried over/);
  assert.ok(await box(page, "Tag the build").isChecked());
  assert.match(await page.textContent("#view"), /Check “status” page/);
  await page.click("#library-button");
  await page.waitForSelector("#library .template");
  assert.equal(await page.locator("#library .template").count(), 1);
  await context.close();
});

test("a tick made while Repair the text is at work is carried with the rest", async () => {
  // The repair carries the run over in the engine's second module, loaded on first use: held
  // back here, so the user ticks while it works (no service worker: it would answer from its cache).
  const { context, page } = await fresh({ serviceWorkers: "block" });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route("**/preflight_extra_bg.wasm", async (route) => { await held; await route.continue(); });
  const broken = "# Release\n\n## Before\n\n- [ ] Tag the build\n- [ ] Freeze merges\n- [ ] Check â€œstatusâ€\u009d page\n";
  await importText(page, "BROKEN.md", broken);
  await page.waitForSelector("#repair-text");
  await box(page, "Tag the build").check();
  await saved(page);
  const asked = page.waitForRequest("**/preflight_extra_bg.wasm");
  await page.click("#repair-text");
  await asked;
  await box(page, "Freeze merges").check();
  await saved(page);
  release();
  await page.waitForFunction(() => document.querySelector("#notice")?.textContent.startsWith("Repaired the text."));
  assert.match(await page.textContent("#notice"), /2 entries of your run carried over/);
  assert.ok(await box(page, "Tag the build").isChecked());
  assert.ok(await box(page, "Freeze merges").isChecked());
  assert.match(await page.textContent("#view"), /Check “status” page/);
  await page.reload();
  await page.waitForSelector("#verdict");
  assert.ok(await box(page, "Freeze merges").isChecked(), "the tick is in the run kept for the repaired text");
  await context.close();
});

test("a name typed in a sign-off stays when the text is repaired", async () => {
  const { context, page } = await fresh();
  const broken = "# Release\n\nDonâ€™t skip steps.\n\n## Before\n\n- [ ] Tag the build\n\n## Sign-off\n\n- [ ] QA Lead: ______ Date: ____\n";
  await importText(page, "BROKEN.md", broken);
  await page.waitForSelector("#repair-text");
  await box(page, "Tag the build").check();
  await page.getByRole("textbox", { name: "QA Lead: name" }).fill("Quinn Okafor");
  await page.click("#repair-text");
  await page.waitForFunction(() => document.querySelector("#notice")?.textContent.startsWith("Repaired the text."));
  assert.equal(await page.getByRole("textbox", { name: "QA Lead: name" }).inputValue(), "Quinn Okafor");
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForSelector("#verdict");
  assert.ok(await box(page, "Tag the build").isChecked());
  assert.equal(await page.getByRole("textbox", { name: "QA Lead: name" }).inputValue(), "Quinn Okafor");
  await context.close();
});

test("a duplicated run keeps the work but none of the original's signatures", async () => {
  const { context, page, errors } = await fresh();
  await importText(page, "CHECKLIST.md", CHECKLIST);
  await box(page, "Tag the build").check();
  await page.getByRole("textbox", { name: "QA Lead: name" }).fill("Quinn Okafor");
  await page.locator("[id^=sign-s-]").first().click();
  await page.waitForSelector("[id^=unsign-]");
  await saved(page);
  await page.click("#library-button");
  await page.waitForSelector("#library .runs li");
  await page.locator("#library .runs li").first().getByRole("button", { name: "Duplicate" }).click();
  await page.waitForSelector("#library >> text=(copy)");
  await page.locator("#library .runs li", { hasText: "(copy)" }).getByRole("button", { name: "Open" }).click();
  await page.waitForSelector(".summary .muted >> text=(copy)");
  await counts(page, "1/3 ");
  assert.ok(await box(page, "Tag the build").isChecked(), "the work comes along");
  assert.equal(await page.locator("[id^=unsign-]").count(), 0, "no signature does");
  assert.equal(await page.getByRole("textbox", { name: "QA Lead: name" }).inputValue(), "");
  assert.deepEqual(errors, []);
  await context.close();
});

/** A mis-decoded checklist (Repair the text is offered) with a task ticked and QA Lead signed. */
async function signedMisdecoded(page) {
  const broken = "# Release\n\nDonâ€™t skip steps.\n\n## Before\n\n- [ ] Tag the build\n\n## Sign-off\n\n- [ ] QA Lead: ______ Date: ____\n";
  await importText(page, "BROKEN.md", broken);
  await page.waitForSelector("#repair-text");
  await box(page, "Tag the build").check();
  await page.getByRole("textbox", { name: "QA Lead: name" }).fill("Quinn Okafor");
  await page.locator("[id^=sign-s-]").first().click();
}

test("Repair the text keeps the unrepaired copy when its run holds a sign-off, which is never carried", async () => {
  const { context, page } = await fresh();
  await signedMisdecoded(page);
  await page.waitForSelector("[id^=unsign-]");
  await saved(page);
  await page.click("#repair-text");
  await page.waitForFunction(() => document.querySelector("#notice")?.textContent.startsWith("Repaired the text."));
  assert.match(await page.textContent("#notice"), /Sign-offs and the run's timeline are not carried over/);
  assert.doesNotMatch(await page.textContent("#notice"), /removed from the library/);
  assert.ok(await box(page, "Tag the build").isChecked());
  await page.click("#library-button");
  await page.waitForSelector("#library .template");
  assert.equal(await page.locator("#library .template").count(), 2, "the unrepaired copy and its signed run stay");
  const runs = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("preflight/app");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const t = open.result.transaction("runs");
      const all = t.objectStore("runs").getAll();
      t.oncomplete = () => { open.result.close(); resolve(all.result.map((v) => (typeof v === "string" ? v : JSON.stringify(v)))); };
    };
  }));
  assert.ok(runs.some((r) => r.includes("Quinn Okafor")), "the signed run is still stored");
  await context.close();
});

test("Repair the text after a sign-off was signed and then unsigned leaves one copy: nothing vouches any more", async () => {
  const { context, page } = await fresh();
  await signedMisdecoded(page);
  await page.locator("[id^=unsign-]").first().click();
  await page.waitForSelector("[id^=sign-s-]");
  await saved(page);
  await page.click("#repair-text");
  await page.waitForFunction(() => document.querySelector("#notice")?.textContent.startsWith("Repaired the text."));
  assert.match(await page.textContent("#notice"), /removed from the library/);
  await page.click("#library-button");
  await page.waitForSelector("#library .template");
  assert.equal(await page.locator("#library .template").count(), 1);
  await context.close();
});

test("deleting the open run takes it off the screen for good", async () => {
  const { context, page } = await fresh();
  await importText(page, "CHECKLIST.md", CHECKLIST);
  await box(page, "Tag the build").check();
  await saved(page);
  await page.click("#library-button");
  await page.locator("#library .runs li.current").getByRole("button", { name: "Delete" }).click();
  await counts(page, "0/3 ");
  await page.waitForTimeout(300);
  await page.reload();
  await counts(page, "0/3 ");
  await page.click("#library-button");
  await page.waitForSelector("#library .runs li");
  assert.equal(await page.locator("#library .runs li", { hasText: "(open)" }).count(), 1);
  assert.equal(await page.locator("#library .runs li").count(), 1, "only the fresh run");
  await context.close();
});

test("the library shows each run's stage, verdict and score, gives new runs their own names, renames in place and dates a copy now", async () => {
  const { context, page } = await fresh();
  await importText(page, "CHECKLIST.md", CHECKLIST);
  await box(page, "Tag the build").check();
  await saved(page);
  await page.click("#library-button");
  await page.waitForSelector("#library .standing");
  assert.match(await page.textContent("#library .runs li.current .standing"), /NO-GO 33(\.3)?% · Ready to deploy\?/);
  await page.click("#library >> text=New run");
  await page.waitForSelector("#library", { state: "hidden" });
  await page.click("#library-button");
  await page.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 2);
  const names = await page.$$eval("#library .runs li .name", (els) => els.map((e) => e.textContent.replace(" (open)", "")));
  assert.equal(new Set(names).size, 2, names.join(" | "));
  assert.ok(names.some((n) => / \(2\)$/.test(n)), names.join(" | "));
  // Rename in place: Enter keeps it, focus stays in the library.
  await page.locator("#library .runs li").first().getByRole("button", { name: /^Rename/ }).click();
  await page.keyboard.press("Control+a");
  await page.keyboard.type("hotfix 2.4.1");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#library >> text=hotfix 2.4.1");
  assert.equal(await page.locator("dialog[open]").count(), 0);
  // A copy's last change is now, not the original's.
  const older = await page.locator("#library .runs li", { hasText: "Run of" }).first();
  await older.getByRole("button", { name: "Duplicate" }).click();
  await page.waitForSelector("#library >> text=(copy)");
  const copyLine = await page.textContent("#library .runs li:has-text('(copy)')");
  const shown = copyLine.match(/last change (.*?)Open/)[1];
  assert.ok(Math.abs(Date.parse(shown) - Date.now()) < 120000 || new Date(shown).getMinutes() === new Date().getMinutes(), `the copy's last change: ${shown}`);
  await context.close();
});

test("the HTML report fits a phone's width and keeps the verdict's colour in print", async () => {
  const { context, page } = await fresh();
  await box(page, "Migrations applied").check();
  const report = await download(page, "#export-html");
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const p = await phone.newPage();
  await p.setContent(report.text);
  const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `the page scrolls sideways: ${scroll} > ${client}`);
  // Words stay whole: a narrow table scrolls by itself rather than breaking "Score" into "Scor e".
  const broken = await p.$$eval("th, .verdict", (els) => els.filter((el) => {
    const range = document.createRange(); range.selectNodeContents(el);
    return el.textContent.trim() && !/\s/.test(el.textContent.trim()) && range.getClientRects().length > 1;
  }).map((el) => el.textContent));
  assert.deepEqual(broken, [], "one-word headings and verdicts on one line");
  await p.emulateMedia({ media: "print" });
  const adjust = await p.$eval(".verdict", (el) => getComputedStyle(el).printColorAdjust || getComputedStyle(el).webkitPrintColorAdjust);
  assert.equal(adjust, "exact");
  const background = await p.$eval(".verdict", (el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(background, "rgba(0, 0, 0, 0)");
  await phone.close();
  await context.close();
});

test("a download that starts while the export menu is open leaves the menu open", async () => {
  const { context, page } = await fresh({ viewport: { width: 390, height: 844 } });
  await page.click("#export-toggle");
  assert.equal(await page.isVisible("#export-md"), true);
  // As a report that was asked for earlier (Share, say) arrives: the page's own link click.
  await Promise.all([page.waitForEvent("download"), page.evaluate(async () => (await import("./dom.js")).download("late.md", "# late", "text/markdown"))]);
  assert.equal(await page.isVisible("#export-md"), true, "the menu is still open under the user's next click");
  await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  await context.close();
});

test("the phone header is one row, with the exports behind one button", async () => {
  const { context, page } = await fresh({ viewport: { width: 390, height: 844 } });
  const rows = await page.$$eval(".bar .actions > button", (els) => new Set(els.filter((e) => e.offsetParent).map((e) => Math.round(e.getBoundingClientRect().top))).size);
  assert.equal(rows, 1);
  assert.equal(await page.isVisible("#export-md"), false);
  await page.click("#export-toggle");
  assert.equal(await page.isVisible("#export-md"), true);
  assert.match(await page.getAttribute("#export-md", "aria-label"), /^Export/);
  // Like any menu it closes: on a click elsewhere, once an export is chosen, and on Escape.
  await Promise.all([page.waitForEvent("download"), page.click("#share")]);
  assert.equal(await page.isVisible("#export-md"), false, "a click elsewhere closes it");
  await page.click("#export-toggle");
  await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  assert.equal(await page.isVisible("#export-md"), false, "choosing an export closes it");
  await page.click("#export-toggle");
  await page.focus("#export-md");
  await page.keyboard.press("Escape");
  assert.equal(await page.isVisible("#export-md"), false, "Escape closes it");
  assert.equal(await page.evaluate(() => document.activeElement.id), "export-toggle", "and focus goes back to its button");
  await context.close();
});
