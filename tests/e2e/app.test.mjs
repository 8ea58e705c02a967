// End-to-end tests of the static app in headless Chromium (playwright-core + Debian chromium).
// Serves dist/site (scripts/build-site.sh) on a loopback port. Run: node --test tests/e2e/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { root, serveSite, launchChromium, axeViolations, openApp, wasmMemories, wasmModules, longChecklist } from "./site-server.mjs";

let server, base, browser;

before(async () => {
  server = await serveSite();
  base = server.base;
  browser = await launchChromium();
});
after(async () => { await browser?.close(); server?.close(); });

const fresh = () => openApp(browser, base);
/** Items in a checklist long enough (over 1 Mi characters) for the second module's worker. */
const LONG = 17000;

/** Wait until the counts line starts with `prefix`; on timeout, fail with what it says. */
async function counts(page, prefix) {
  try {
    await page.waitForFunction((p) => document.querySelector("#counts")?.textContent.startsWith(p), prefix, { timeout: 5000 });
  } catch {
    assert.fail(`counts should start with ${prefix}: ${await page.textContent("#counts")} | notice: ${await page.textContent("#notice")}`);
  }
}

/** Wait until a stage's header (gate "before", "during", …) shows `text`; on timeout, fail with what it says. */
async function stageSays(page, gate, text) {
  try {
    await page.waitForFunction(([g, t]) => document.getElementById(`stage-head-${g}`)?.textContent.includes(t), [gate, text], { timeout: 5000 });
  } catch {
    assert.fail(`stage ${gate} should say ${text}: ${await page.textContent(`#stage-head-${gate}`).catch(() => "(no such stage)")}`);
  }
}

const seedFiles = readdirSync(join(root, "tests/fixtures/seeds")).sort();

test("a long checklist's reports are made in a worker that ends with the call; the page keeps none of its memory", async () => {
  const { context, page, errors } = await fresh();
  assert.equal(await wasmModules(context, page), 1, "the first module, compiled");
  const workers = [];
  page.on("worker", (w) => {
    const seen = { url: w.url(), closed: false };
    workers.push(seen);
    w.on("close", () => { seen.closed = true; });
  });
  await page.setInputFiles("#file", { name: "long.md", mimeType: "text/markdown", buffer: Buffer.from(longChecklist(LONG)) });
  await counts(page, `0/${LONG} items done`);
  for (const format of ["html", "json", "md"]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#export-${format}`)]);
    assert.ok(readFileSync(await download.path(), "utf8").length > 1 << 20, format);
  }
  // A worker is ended as it answers; its close may reach the test a moment after the download.
  for (let i = 0; i < 100 && !workers.every((w) => w.closed); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(workers.length, 3, JSON.stringify(workers));
  assert.ok(workers.every((w) => w.url.endsWith("/extra-worker.js") && w.closed), JSON.stringify(workers));
  assert.equal(await wasmMemories(context, page), 1, "the page holds the first module's memory only");
  // But it keeps the second module's code, compiled once: each worker's compile of the same
  // bytes shares it, with the optimized code earlier calls earned (engine.js, keepCompiled).
  // Not awaited by the calls, so it may end after them.
  let modules = 0;
  for (let i = 0; i < 100 && (modules = await wasmModules(context, page)) < 2; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(modules, 2, "the second module, compiled and kept");
  // An error the engine raises in the worker reaches the caller with its name and message.
  const failed = await page.evaluate(async (text) => {
    const { exportReport } = await import("./extra.js");
    const bad = { toJson: () => "{not json" };
    try { await exportReport("md", { text, keptCorrections: () => undefined }, bad, "2026-12-03T00:00:00Z"); return "no error"; }
    catch (e) { return `${e.name}: ${e.message}`; }
  }, longChecklist(LONG));
  assert.match(failed, /^PreflightInvalidError: not a Preflight run: .* line 1 column 2$/, failed);
  assert.equal(workers.length, 4);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a short checklist's reports are made in the page, where the second module stays", async () => {
  const { context, page, errors } = await fresh();
  let started = 0;
  page.on("worker", () => { started++; });
  for (const format of ["html", "json"]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#export-${format}`)]);
    assert.ok(readFileSync(await download.path(), "utf8").length > 1000, format);
  }
  assert.equal(started, 0, "no worker for the sample");
  assert.equal(await wasmMemories(context, page), 2);
  assert.equal(await wasmModules(context, page), 2, "the second module's glue keeps its own; none compiled besides");
  assert.deepEqual(errors, []);
  await context.close();
});

/** Export `formats` of a long checklist through web/extra.js, all asked for at once. */
const exportLong = (page, formats) => page.evaluate(async ([text, formats]) => {
  const { exportReport } = await import("./extra.js");
  const { Checklist } = await import("./engine.js");
  const checklist = Checklist.parse(text);
  const run = checklist.newRun("r", "Run", "2026-12-03T00:00:00Z");
  const done = [];
  await Promise.all(formats.map((f) => exportReport(f, checklist, run, "2026-12-03T00:00:00Z").then((report) => done.push([f, report.length > 1 << 20]))));
  run.free();
  checklist.free();
  return done;
}, [longChecklist(LONG), formats]);

test("calls about long texts run one at a time, in order, each in its own worker", async () => {
  const { context, page, errors } = await fresh();
  let alive = 0, most = 0, started = 0;
  page.on("worker", (w) => { started++; most = Math.max(most, ++alive); w.on("close", () => { alive--; }); });
  const done = await exportLong(page, ["html", "json", "md"]);
  assert.deepEqual(done, [["html", true], ["json", true], ["md", true]], "answered in the order asked");
  for (let i = 0; i < 100 && alive > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(started, 3);
  assert.equal(most, 1, "never two workers at once");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a worker whose script cannot be had: the call is made in the page", async () => {
  // No service worker: it would answer from its cache, where the route below cannot reach.
  const { context, page, errors } = await openApp(browser, base, { serviceWorkers: "block" });
  await context.route("**/extra-worker.js", (route) => route.fulfill({ status: 404, body: "" }));
  assert.deepEqual(await exportLong(page, ["json"]), [["json", true]]);
  assert.equal(await wasmMemories(context, page), 2, "the second module runs in the page");
  assert.deepEqual(errors, []);
  await context.close();
});

test("where no worker can start, reports are made in the page", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.addInitScript(() => { Object.defineProperty(window, "Worker", { value: undefined }); });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForSelector("#verdict");
  assert.deepEqual(await exportLong(page, ["json"]), [["json", true]]);
  assert.equal(await wasmMemories(context, page), 2, "the second module runs in the page");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the sample opens, scored, with what blocks GO", async () => {
  const { context, page, errors } = await fresh();
  assert.equal(await page.textContent("#verdict"), "NO-GO");
  assert.equal(await page.textContent("#score"), "0%");
  // The header answers "may we deploy?": the before gate. Its two critical items block GO; the
  // third (🔴 Maintenance banner enabled) is a deployment step and blocks the Deploying stage.
  assert.match(await page.textContent("#reasons"), /2 critical items are not done/);
  await stageSays(page, "during", "1 critical item is not done — 🔴 Maintenance banner enabled");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a new run is named, and a sign-off dated, for the signer's own day", async () => {
  const context = await browser.newContext({ locale: "de-DE", timezoneId: "Pacific/Kiritimati" });
  // 20:00 UTC on the 1st is 10:00 on the 2nd at UTC+14: a UTC date would be a day behind.
  await context.clock.setFixedTime(new Date("2026-12-01T20:00:00Z"));
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForSelector("#verdict");
  await page.setInputFiles("#file", { name: "r.md", mimeType: "text/markdown", buffer: Buffer.from("# R\n\n- [ ] one\n- [ ] two\n\n## Sign-off\n\n- [ ] QA Lead: ____ Date: ____\n") });
  await page.waitForFunction(() => document.querySelector("#counts")?.textContent.startsWith("0/2"));
  const signDate = await page.getByLabel("QA Lead: date").first().inputValue();
  await page.click("#library-button");
  const name = await page.locator("#library .runs li .name").first().textContent();
  // The page's own calendar day (UTC+14 here), as YYYY-MM-DD: not "2.12.2026", nor UTC's day.
  const day = "2026-12-02";
  assert.equal(name.replace(/\s*\(open\)$/, ""), `Run of ${day}`);
  // A sign-off is dated today where the signer is, not in UTC.
  assert.equal(signDate, day);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a sign-off's name typed one day and signed the next is dated the day it is signed, unless a date was typed", async () => {
  const context = await browser.newContext();
  await context.clock.setFixedTime(new Date("2026-12-01T10:00:00Z"));
  let page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForSelector("#verdict");
  await page.setInputFiles("#file", { name: "r.md", mimeType: "text/markdown", buffer: Buffer.from("# R\n\n- [ ] one\n\n## Sign-off\n\n- [ ] QA Lead: ____ Date: ____\n- [ ] Tech Lead: ____ Date: ____\n") });
  await page.waitForFunction(() => document.querySelector("#counts")?.textContent.startsWith("0/1"));
  await page.getByRole("checkbox", { name: "one", exact: true }).click(); // kept
  await page.getByLabel("QA Lead: name").fill("Quinn Okafor");
  await page.getByLabel("Tech Lead: name").fill("Tam Lee");
  await page.getByLabel("Tech Lead: date").fill("2026-11-30"); // typed: kept as typed
  await page.close(); // the drafts go to the journal
  await context.clock.setFixedTime(new Date("2026-12-02T10:00:00Z"));
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForFunction(() => document.querySelector("#counts")?.textContent.startsWith("1/1"));
  assert.equal(await page.getByLabel("QA Lead: name").inputValue(), "Quinn Okafor");
  assert.equal(await page.getByLabel("QA Lead: date").inputValue(), "2026-12-02");
  assert.equal(await page.getByLabel("Tech Lead: date").inputValue(), "2026-11-30");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a page left open over midnight signs and records with the day of signing", async () => {
  const context = await browser.newContext({ timezoneId: "UTC" });
  await context.clock.install({ time: new Date("2026-12-01T23:58:00Z") });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForSelector("#verdict");
  await page.setInputFiles("#file", { name: "r.md", mimeType: "text/markdown", buffer: Buffer.from("# R\n\n## Deploy\n\n- [ ] one\n- [ ] Deployed by: ____ Date: ____\n\n## Sign-off\n\n- [ ] QA Lead: ____ Date: ____\n") });
  await page.waitForFunction(() => document.querySelector("#counts")?.textContent.startsWith("0/"));
  await page.getByLabel("QA Lead: name").fill("Quinn Okafor");
  await page.getByLabel("Deployed by", { exact: true }).fill("Dana");
  assert.equal(await page.getByLabel("QA Lead: date").inputValue(), "2026-12-01", "drawn before midnight");
  await context.clock.fastForward("04:00"); // 00:02 on the 2nd; the page is not drawn again
  await page.click("[id^=sign-s-] >> text=Sign");
  await page.getByRole("button", { name: "Record Deployed by" }).click();
  await page.waitForFunction(() => document.querySelectorAll("[id^=unsign-]").length === 2);
  assert.equal(await page.getByLabel("QA Lead: date").inputValue(), "2026-12-02");
  assert.equal(await page.getByLabel("Deployed by: Date").inputValue(), "2026-12-02");
  assert.deepEqual(errors, []);
  await context.close();
});

test("each seed imports by file input with its counts on screen", async () => {
  // Applicable items of each seed's before gate, as `preflight score --json` reports them
  // (optional items and switched-off conditional sections do not count until done).
  const expected = { "000": "0/17", "001": "0/14", "002": "0/33", "003": "0/50", "004": "0/70" };
  const { context, page } = await fresh();
  for (const f of seedFiles) {
    await page.setInputFiles("#file", join(root, "tests/fixtures/seeds", f));
    await page.waitForFunction((name) => document.querySelector(".summary .muted")?.textContent.includes(name), f);
    const line = await page.textContent("#counts");
    assert.ok(line.startsWith(expected[f.slice(0, 3)] + " "), `${f}: ${line}`);
    // The before gate's approvals; records (Deployed By, …) belong to the stage they record.
    if (f.startsWith("004")) assert.match(line, /0\/3 sign-offs signed/);
    if (f.startsWith("003")) assert.match(line, /0\/3 sign-offs signed/);
    assert.equal(await page.textContent("#verdict"), "NO-GO");
  }
  await context.close();
});

test("a tick, an N/A with its reason and evidence survive a reload and re-import from Markdown", async () => {
  const { context, page } = await fresh();
  const first = page.getByRole("checkbox", { name: "Release branch release/2.4.0 cut from main and CI green", exact: true });
  await first.check();
  await counts(page, "1/10");
  // N/A needs a reason.
  const row = page.locator("li.item", { hasText: "Customer support briefed" });
  await row.getByRole("button", { name: "N/A" }).click();
  await page.fill("#reason-text", "no user-facing change");
  await page.click("#reason-dialog button[value=ok]");
  await page.waitForSelector("text=N/A: no user-facing change");
  // Command output pasted as evidence on the ticked item, in its details; they stay open once saved.
  const ticked = page.locator("li.item", { hasText: "Release branch release/2.4.0" }).first();
  await ticked.getByRole("button", { name: /^Details/ }).click();
  const details = page.locator("#details");
  await details.getByLabel("Evidence (command output)").fill("$ gh run view 812\n✓ main CI green");
  await details.getByLabel("Evidence (command output)").blur();
  await page.waitForFunction(() => /✎/.test(document.querySelector("li.item .details-button").textContent));
  assert.equal(await details.getByLabel("Evidence (command output)").inputValue(), "$ gh run view 812\n✓ main CI green");
  await page.reload();
  await page.waitForSelector("#verdict");
  assert.ok(await page.getByRole("checkbox", { name: "Release branch release/2.4.0 cut from main and CI green", exact: true }).isChecked());
  assert.ok(await page.isVisible("text=N/A: no user-facing change"));
  // Export Markdown, check it, and import it into a fresh browser: same state.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-md")]);
  const md = readFileSync(await download.path(), "utf8");
  assert.match(md, /- \[x\] .*Release branch/);
  assert.match(md, /preflight:summary:begin/);
  // The JSON and HTML reports carry the same state and both hashes.
  const [json] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  const report = JSON.parse(readFileSync(await json.path(), "utf8"));
  assert.equal(report.schema, "preflight.report/2");
  assert.equal(report.summary.items.done, 1);
  assert.equal(report.items.find((i) => i.text.startsWith("Customer support briefed")).reason, "no user-facing change");
  assert.match(report.sourceSha256, /^[0-9a-f]{64}$/);
  assert.equal(report.items.find((i) => i.text.startsWith("Release branch")).evidence, "$ gh run view 812\n✓ main CI green");
  const [htmlDownload] = await Promise.all([page.waitForEvent("download"), page.click("#export-html")]);
  const html = readFileSync(await htmlDownload.path(), "utf8");
  assert.ok(html.includes(report.sourceSha256) && html.includes(report.stateSha256.slice(0, 16)));
  assert.match(html, /no user-facing change/);
  const other = await fresh();
  await other.page.setInputFiles("#file", { name: "report.md", mimeType: "text/markdown", buffer: Buffer.from(md) });
  // The N/A item is optional ("if user-facing changes"), so it was never in the denominator.
  await counts(other.page, "1/10 items done · 1 N/A");
  assert.ok(await other.page.isVisible("text=N/A: no user-facing change"));
  await other.context.close();
  await context.close();
});

test("a hostile document executes nothing", async () => {
  const hostile = [
    "# <script>window.__pwned = 1</script> Checklist",
    "<img src=x onerror=\"window.__pwned = 2\">",
    "- [ ] [a](javascript:window.__pwned=3) [b](JaVaScRiPt:window.__pwned=4) [c]( java\tscript:window.__pwned=5)",
    "- [ ] <svg onload=\"window.__pwned=6\"></svg> <math><mtext><img src=x onerror=window.__pwned=7></mtext></math>",
    "- [ ] [d](data:text/html,<script>parent.__pwned=8</script>) [e](vbscript:x) <a href=\"javascript:window.__pwned=9\">f</a>",
    "- [ ] <iframe src=\"javascript:parent.__pwned=10\"></iframe> &lt;script&gt;",
  ].join("\n\n"); // blank lines: an HTML block would otherwise swallow the items after it
  const { context, page, errors } = await fresh();
  let dialogs = 0;
  page.on("dialog", (d) => { dialogs++; d.dismiss(); });
  await page.setInputFiles("#file", { name: "hostile.md", mimeType: "text/markdown", buffer: Buffer.from(hostile) });
  await page.waitForFunction(() => document.querySelector(".summary .muted")?.textContent.includes("hostile.md"));
  for (const a of await page.locator("#view a[href]").all()) {
    await a.click({ modifiers: [] }).catch(() => {});
  }
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);
  assert.equal(await page.locator("main script, main img, main svg, main iframe, main math").count(), 0);
  const hrefs = await page.$$eval("#view a[href]", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.every((h) => h.startsWith("#") || /^(https?:|mailto:|\.|\/)/.test(h)), hrefs.join(" "));
  assert.deepEqual(errors, []);
  await context.close();
});

test("bidi overrides in a document are shown, not obeyed", async () => {
  const doc = "# Release \u202Enoitcudorp\n\n## Pre\u2067flight\n\n- [ ] Open [invoice\u202Efdp.exe](https://x.test/a) now\n- [ ] Tag\n";
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "bidi.md", mimeType: "text/markdown", buffer: Buffer.from(doc) });
  await page.waitForFunction(() => document.querySelector(".summary .muted")?.textContent.includes("bidi.md"));
  const text = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(text, /[\u202A-\u202E\u2066-\u2069]/);
  assert.ok(text.includes("invoice\\u{202e}fdp.exe"), text);
  assert.ok(text.includes("Pre\\u{2067}flight"), text);
  // What a person writes keeps its characters: a note is edited and saved as typed.
  const row = page.locator("li.item", { hasText: "Tag" }).first();
  await row.locator("button.details-button").click();
  await page.fill("textarea[data-edit=note]", "checked \u202Eok");
  await page.keyboard.press("Tab");
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForSelector("#verdict");
  await page.locator("li.item", { hasText: "Tag" }).first().locator("button.details-button").click();
  assert.equal(await page.inputValue("textarea[data-edit=note]"), "checked \u202Eok");
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * Make every IndexedDB write fail as a full disk does (a QuotaExceededError DOMException), or
 * stop. Chromium's CDP quota override does not reach a Playwright context's storage, so the
 * failure is raised where the browser raises it: at the write.
 */
async function fillStorage(page, full) {
  await page.evaluate((full) => {
    if (!window.__realPut) {
      window.__realPut = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        if (window.__storageFull) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        return window.__realPut.apply(this, args);
      };
    }
    window.__storageFull = full;
  }, full);
}

test("the library reads while storage is full, even where an info record must be made again", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "KEPT.md", mimeType: "text/markdown", buffer: Buffer.from("# Kept checklist\n\n- [ ] one\n- [ ] two\n") });
  await page.getByRole("checkbox", { name: "one", exact: true }).check();
  const records = () => page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open("preflight/app");
    open.onsuccess = () => {
      const t = open.result.transaction("meta", "readwrite");
      const keys = t.objectStore("meta").getAllKeys();
      t.oncomplete = () => { open.result.close(); resolve(keys.result.filter((k) => String(k).startsWith("info/"))); };
    };
  }));
  const oneRecord = async () => { for (let i = 0; i < 50 && (await records()).length !== 1; i++) await page.waitForTimeout(100); assert.equal((await records()).length, 1); };
  await oneRecord();
  // The record gone (an older version kept this checklist, say), and no room to write it again.
  await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open("preflight/app");
    open.onsuccess = () => {
      const t = open.result.transaction("meta", "readwrite");
      t.objectStore("meta").delete(IDBKeyRange.bound("info/", "info/\uffff"));
      t.oncomplete = () => { open.result.close(); resolve(); };
    };
  }));
  await fillStorage(page, true);
  await page.click("#library-button");
  await page.waitForSelector("#library:not([hidden]) .template");
  assert.match(await page.textContent("#library"), /Kept checklist/);
  assert.doesNotMatch(await page.textContent("#library"), /could not be read/);
  assert.deepEqual(await records(), [], "nothing written while storage is full");
  // With room again, the next read keeps the record.
  await fillStorage(page, false);
  await page.click("#library-button");
  await page.click("#library-button");
  await page.waitForSelector("#library:not([hidden]) .template");
  await oneRecord();
  assert.deepEqual(errors, []);
  await context.close();
});

test("full storage: a warning, the run offered, no click lost, and a retry that saves everything", async () => {
  const { context, page } = await fresh();
  await page.getByRole("checkbox", { name: "Database backup taken and restore verified", exact: true }).check();
  await page.waitForFunction(() => document.querySelector("#notice").hidden);
  await fillStorage(page, true);
  await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  await page.waitForSelector("#notice:not([hidden])");
  assert.match(await page.textContent("#notice"), /storage is full/);
  await page.getByRole("checkbox", { name: "Rollout to 100% completed", exact: true }).check();
  await stageSays(page, "during", "2/4 items done");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#notice >> text=Download the run")]);
  const run = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(Object.values(run.items).filter((s) => s.status === "done").length, 3);
  // While storage refuses, opening something else asks first and can stay.
  await page.setInputFiles("#file", { name: "OTHER.md", mimeType: "text/markdown", buffer: Buffer.from("# Other\n\n- [ ] one\n") });
  await page.waitForSelector("#unsaved-dialog[open]");
  await page.click("#unsaved-dialog >> text=Stay here");
  await stageSays(page, "during", "2/4 items done");
  // Space again: Try again stores every change, and a reload shows them.
  await fillStorage(page, false);
  await page.click("#save-retry");
  await page.waitForFunction(() => document.querySelector("#notice").hidden);
  await page.reload();
  await stageSays(page, "during", "2/4 items done");
  assert.ok(await page.getByRole("checkbox", { name: "Database backup taken and restore verified", exact: true }).isChecked());
  await context.close();
});

/**
 * `text` (with a task "Tag the build", `total` tasks in all) imported in tab `a`, that task
 * ticked, and tab `b` opened on the same run.
 */
async function twoTabs(text, total) {
  const { context, page: a, errors } = await fresh();
  await a.setInputFiles("#file", { name: "checklist.md", mimeType: "text/markdown", buffer: Buffer.from(text) });
  await counts(a, `0/${total} items done`);
  await a.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(a, `1/${total} items done`);
  const b = await context.newPage();
  await b.goto(base);
  await counts(b, `1/${total} items done`);
  return { context, a, b, errors };
}

test("text typed in a field or a record, not yet saved, survives a redraw and keeps its caret", async () => {
  const { context, a, b, errors } = await twoTabs("# Release\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n\nRelease version: ________\n\n## Sign-off\n\n- [ ] QA Lead: ______ Date: ____\n- [ ] Deployed By: ______ Date: ____\n", 2);
  // A field is saved on Enter or on leaving it: until then, another tab's tick redraws this one.
  const field = a.locator("input[id^=field-]");
  await field.click();
  await a.keyboard.type("2.4.1");
  await b.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await counts(a, "2/2 items done");
  assert.equal(await field.inputValue(), "2.4.1", "the redraw kept what was typed");
  await a.keyboard.type("-rc1");
  assert.equal(await field.inputValue(), "2.4.1-rc1", "and the caret where it was");
  await a.keyboard.press("Tab");
  // A record is saved by its button: what is typed in it survives signing another slot here.
  const record = a.getByRole("textbox", { name: "Deployed By", exact: true });
  await record.click();
  await a.keyboard.type("Dana");
  await a.getByRole("textbox", { name: "QA Lead: name" }).fill("Quinn");
  await a.getByRole("textbox", { name: "Deployed By", exact: true }).click();
  await a.keyboard.press("End");
  await a.getByRole("button", { name: "Sign", exact: true }).click();
  await a.waitForSelector("[id^=unsign-]");
  assert.equal(await record.inputValue(), "Dana", "signing another slot kept the record's text");
  await record.click();
  await a.keyboard.press("End");
  await b.getByRole("checkbox", { name: "Notify the team", exact: true }).click(); // undone elsewhere: a redraw
  await counts(a, "1/2 items done");
  assert.match(await a.evaluate(() => document.activeElement?.id ?? ""), /^record-0-/, "focus is back in the record");
  await a.keyboard.type(" Whitfield");
  assert.equal(await record.inputValue(), "Dana Whitfield");
  await a.getByRole("button", { name: "Record Deployed By" }).click();
  const [json] = await Promise.all([a.waitForEvent("download"), a.click("#export-json")]);
  const run = JSON.parse(readFileSync(await json.path(), "utf8")).run;
  assert.deepEqual(Object.values(run.fields).map((f) => f.value), ["2.4.1-rc1"]);
  assert.ok(Object.values(run.signOffs).some((s) => s.signature?.name === "Dana Whitfield"), JSON.stringify(run.signOffs));
  assert.deepEqual(errors, []);
  await context.close();
});

test("two pages on one run both end with every change, in the pages and in storage", async () => {
  const { context, page } = await fresh();
  await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  const second = await context.newPage();
  await second.goto(base);
  await second.waitForSelector("#verdict");
  await stageSays(second, "during", "1/4 items done");
  await second.getByRole("checkbox", { name: "Rollout to 100% completed", exact: true }).check();
  await page.getByRole("checkbox", { name: "Maintenance banner enabled", exact: false }).check();
  for (const p of [page, second]) {
    await stageSays(p, "during", "3/4 items done");
    assert.ok(await p.getByRole("checkbox", { name: "Migrations applied", exact: true }).isChecked());
    assert.ok(await p.getByRole("checkbox", { name: "Rollout to 100% completed", exact: true }).isChecked());
  }
  await second.close();
  await page.reload();
  await stageSays(page, "during", "3/4 items done");
  await context.close();
});

test("a click or Tab right after typing in the details lands where it was aimed, and what was typed is saved", async () => {
  const { context, page, errors } = await fresh();
  await page.waitForSelector("#verdict");
  const row = page.locator("li.item", { hasText: "Database backup taken and restore verified" }).first();
  const id = (await row.getAttribute("id")).slice(5);
  await row.getByRole("button", { name: /^Details/ }).click();
  await page.waitForSelector("#details:not([hidden])");
  await page.keyboard.type("restore tested on staging");
  await page.click(`#cb-${id}`); // within the typing pause: the note is handed over as focus leaves
  await page.waitForFunction((id) => document.getElementById(`cb-${id}`)?.checked, id);
  assert.equal(await page.locator(`#note-${id}`).inputValue(), "restore tested on staging");
  await page.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Saved.");
  // Keyboard: evidence typed, Tab to the marks, Space marks it critical.
  await page.click(`#evidence-${id}`);
  await page.keyboard.type("$ pg_restore --list ok");
  await page.keyboard.press("Tab");
  assert.match(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName), /^mark-/, "focus goes on to the next control");
  // A field left by clicking another item's checkbox: both kept.
  const field = page.locator(".field input").first();
  const other = page.locator("li.item input[type=checkbox]:not(:checked)").first();
  const otherId = await other.getAttribute("id");
  await field.fill("42 ms");
  await other.click();
  await page.waitForFunction((id) => document.getElementById(id)?.checked, otherId);
  await page.waitForFunction(() => document.querySelector(".field input")?.value === "42 ms");
  // A report asked for by the press that took the focus holds what was just typed.
  const share = async () => { const [d] = await Promise.all([page.waitForEvent("download"), page.click("#share")]); return readFileSync(await d.path(), "utf8"); };
  await share(); // the reports' module is loaded from now on
  await page.click(`#note-${id}`);
  await page.keyboard.type(", and checksums match");
  assert.match(await share(), /restore tested on staging, and checksums match/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the library keeps runs: new, rename, duplicate, delete with undo; the sample is kept only once worked on", async () => {
  const { context, page } = await fresh();
  await page.click("#library-button");
  await page.waitForSelector("#library:not([hidden]) >> text=Nothing kept yet.");
  await page.click("#library-button");
  await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  await page.click("#library-button");
  await page.waitForSelector("#library:not([hidden]) .runs li");
  assert.equal(await page.locator("#library .runs li").count(), 1);
  assert.match(await page.textContent("#library .runs li"), /\(open\)/);
  await page.click("#library >> text=New run");
  await page.waitForSelector("#library", { state: "hidden" }); // the new run is open
  await page.click("#library-button");
  await page.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 2);
  await page.locator("#library .runs li").first().getByRole("button", { name: /^Rename/ }).click();
  await page.fill("#library input.rename", "v2.4.1 hotfix");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#library >> text=v2.4.1 hotfix");
  await page.locator("#library .runs li").first().getByRole("button", { name: "Duplicate" }).click();
  await page.waitForSelector("#library >> text=v2.4.1 hotfix (copy)");
  assert.equal(await page.locator("#library .runs li").count(), 3);
  // A second copy of the same run takes the next free name, so no two runs share one.
  await page.locator("#library .runs li").filter({ has: page.locator(".name", { hasText: /^v2\.4\.1 hotfix( \(open\))?$/ }) })
    .getByRole("button", { name: "Duplicate" }).click();
  await page.waitForSelector("#library >> text=v2.4.1 hotfix (copy) (2)");
  const names = await page.locator("#library .runs li .name").allTextContents();
  assert.equal(names.length, 4);
  assert.equal(new Set(names.map((n) => n.replace(/ \(open\)$/, ""))).size, 4, names.join(" | "));
  await page.locator("#library .runs li", { hasText: "(copy) (2)" }).getByRole("button", { name: "Delete" }).click();
  await page.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 3);
  await page.locator("#library .runs li", { hasText: "(copy)" }).getByRole("button", { name: "Delete" }).click();
  await page.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 2);
  await page.click("#undo");
  await page.waitForSelector("#library >> text=v2.4.1 hotfix (copy)");
  assert.equal(await page.locator("#library .runs li").count(), 3);
  await context.close();
});

test("undoing the deletion of the open run opens it again, without an empty twin", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "hotfix.md", mimeType: "text/markdown", buffer: Buffer.from("# Hotfix\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n- [ ] Freeze merges\n") });
  await counts(page, "0/3 items done");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await page.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await counts(page, "2/3 items done");
  const [kept] = await storedRuns(page);
  await page.click("#library-button");
  await page.locator("#library .runs li.current").getByRole("button", { name: "Delete" }).click();
  await counts(page, "0/3 items done"); // a fresh run in its place
  // What storage holds the moment the page shows the run again (read in the same task as the
  // drawing, ahead of anything the page writes after it): a reload then cannot find the empty twin.
  await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open("preflight/app");
    open.onsuccess = () => {
      const db = open.result;
      new MutationObserver((_, observer) => {
        if (!document.querySelector("#counts")?.textContent.startsWith("2/3")) return;
        observer.disconnect();
        const t = db.transaction(["runs", "meta"]), keys = t.objectStore("runs").getAllKeys(), last = t.objectStore("meta").get("last");
        t.oncomplete = () => { window.seenAtUndo = { runs: keys.result.map(String), last: JSON.parse(last.result).run }; db.close(); };
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
      resolve();
    };
  }));
  await page.dblclick("#undo"); // twice: undone once
  await counts(page, "2/3 items done");
  await page.waitForFunction(() => window.seenAtUndo);
  const seen = await page.evaluate(() => window.seenAtUndo);
  assert.deepEqual(seen.runs.filter((k) => k.startsWith(kept.split("/")[0])), [kept], "the fresh run is gone before the page shows the undone one");
  assert.equal(seen.last, kept.split("/")[1], "a reload opens the undone run");
  await page.reload();
  await counts(page, "2/3 items done");
  await page.click("#library-button");
  await page.waitForSelector("#library:not([hidden]) .runs li");
  const runs = await page.$$eval("#library .runs li", (lis) => lis.map((li) => li.textContent));
  assert.equal(runs.filter((t) => /Hotfix|hotfix|Run of/.test(t)).length, 1, JSON.stringify(runs));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a sign-off name typed in the fresh run shown after a deletion goes with the run brought back by Undo", async () => {
  const { context, page, errors } = await fresh();
  const doc = "# Hotfix\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n\n## Sign-off\n\n- [ ] QA Lead: ______ Date: ____\n- [ ] Tech Lead: ______ Date: ____\n";
  await page.setInputFiles("#file", { name: "hotfix.md", mimeType: "text/markdown", buffer: Buffer.from(doc) });
  await counts(page, "0/2 items done");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/2 items done");
  await page.click("#library-button");
  await page.locator("#library .runs li.current").getByRole("button", { name: "Delete" }).click();
  await counts(page, "0/2 items done"); // a fresh run in its place
  await page.getByLabel("QA Lead: name").fill("Dana Whitfield"); // typed, not signed
  await page.click("#undo");
  await counts(page, "1/2 items done");
  assert.equal(await page.getByLabel("QA Lead: name").inputValue(), "Dana Whitfield", "the name is still there, on the run brought back");
  assert.equal(Object.keys(await storedRunValues(page)).length, 1, "and no empty twin is kept for it");
  await page.reload();
  await counts(page, "1/2 items done");
  assert.equal(await page.getByLabel("QA Lead: name").inputValue(), "Dana Whitfield", "and after a reload");
  // Where the run brought back has a name typed on that sign-off already, the fresh run stays,
  // with its own: nothing typed is dropped.
  await page.click("#library-button");
  await page.locator("#library .runs li.current").getByRole("button", { name: "Delete" }).click();
  await counts(page, "0/2 items done");
  await page.getByLabel("QA Lead: name").fill("Sam Lee");
  await page.click("#undo");
  await counts(page, "1/2 items done");
  assert.equal(await page.getByLabel("QA Lead: name").inputValue(), "Dana Whitfield");
  assert.equal(Object.keys(await storedRunValues(page)).length, 2, "the fresh run is kept with what was typed in it");
  await page.locator("#library .runs li:not(.current)").first().getByRole("button", { name: "Open" }).click();
  await counts(page, "0/2 items done");
  assert.equal(await page.getByLabel("QA Lead: name").inputValue(), "Sam Lee");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a run brought back after its name was given to another run takes the next free name", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "hotfix.md", mimeType: "text/markdown", buffer: Buffer.from("# Hotfix\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n") });
  await counts(page, "0/2 items done");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/2 items done");
  const [original] = Object.values(await storedRunValues(page)).map((v) => JSON.parse(v).name);
  await page.click("#library-button");
  await page.locator("#library .runs li.current").getByRole("button", { name: "Delete" }).click();
  await counts(page, "0/2 items done");
  // Worked on, the fresh run stays when the deletion is undone; it has the deleted run's name.
  await page.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await counts(page, "1/2 items done");
  await page.click("#undo");
  await page.waitForFunction(() => /Brought back as “.* \(2\)”/.test(document.querySelector("#notice")?.textContent ?? ""));
  const names = Object.values(await storedRunValues(page)).map((v) => JSON.parse(v).name).sort();
  assert.deepEqual(names, [original, `${original} (2)`]);
  await page.waitForFunction((n) => document.querySelector("#library .runs li.current .name")?.textContent === `${n} (open)`, `${original} (2)`);
  assert.deepEqual(errors, []);
  await context.close();
});

/** The runs the app's store holds, read from IndexedDB directly: key → the stored JSON. */
const storedRunValues = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open("preflight/app");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const t = open.result.transaction("runs"), keys = t.objectStore("runs").getAllKeys(), values = t.objectStore("runs").getAll();
    t.oncomplete = () => { open.result.close(); resolve(Object.fromEntries(keys.result.map((k, i) => [String(k), values.result[i]]))); };
    t.onerror = () => reject(t.error);
  };
}));
const storedRuns = async (page) => Object.keys(await storedRunValues(page)).sort();

test("a run deleted in another tab is not saved back by a tab still showing it, and nothing typed there is lost", async () => {
  const { context, a, b, errors } = await twoTabs("# Hotfix\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n- [ ] Freeze merges\n", 3);
  const [run] = await storedRuns(b);
  const deleteOpen = async () => {
    if (await b.isHidden("#library")) await b.click("#library-button");
    await b.locator("#library .runs li.current").getByRole("button", { name: "Delete" }).click();
    await counts(b, "0/3 items done"); // b shows a fresh run in its place
  };
  await deleteOpen();
  await a.waitForFunction(() => /was deleted in another tab/.test(document.querySelector("#notice")?.textContent ?? ""));
  // A change here is kept in the page, not written back under the deleted run.
  await a.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await counts(a, "2/3 items done");
  await a.waitForFunction(() => /Your changes here are not saved/.test(document.querySelector("#notice")?.textContent ?? ""));
  assert.ok(!(await storedRuns(b)).includes(run), "the deleted run stays deleted");
  // Undone where it was deleted: the run is back, with what was done here meanwhile.
  await b.click("#undo");
  await counts(b, "2/3 items done");
  await a.waitForFunction(() => document.querySelector("#notice")?.hidden);
  assert.deepEqual(await storedRuns(b), [run], "the run is back, and b's untouched fresh run gone");
  // Deleted again: this time the tab still showing it keeps it.
  await deleteOpen();
  await a.waitForSelector("#keep-deleted");
  await a.getByRole("checkbox", { name: "Freeze merges", exact: true }).click();
  await counts(a, "3/3 items done");
  await a.waitForFunction(() => /Your changes here are not saved/.test(document.querySelector("#notice")?.textContent ?? ""));
  await a.click("#keep-deleted");
  // b's fresh run took the name meanwhile: the run kept again takes the next free one, and says so.
  await a.waitForFunction(() => /Kept again as “.* \(2\)”: another run of this checklist is now named/.test(document.querySelector("#notice")?.textContent ?? ""));
  const values = await storedRunValues(b);
  const kept = JSON.parse(values[run]);
  assert.equal(Object.values(kept.items).filter((i) => i.status === "done").length, 3, "kept again, with every tick made here");
  const names = Object.values(values).map((v) => JSON.parse(v).name);
  assert.equal(names.length, 2);
  assert.equal(new Set(names).size, 2, `two runs, two names: ${names}`);
  assert.match(kept.name, / \(2\)$/);
  await b.click("#library-button");
  await b.waitForFunction((n) => [...document.querySelectorAll("#library .runs li")].some((li) => li.textContent.includes(n)), kept.name);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an open library follows other tabs, keeps a name being typed, and says when a run in it is gone", async () => {
  const { context, a, b, errors } = await twoTabs("# Hotfix\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n", 2);
  const runs = (page) => page.locator("#library .runs li");
  await a.click("#library-button");
  await a.waitForSelector("#library:not([hidden]) .runs li");
  // Another tab adds a run: the library open here shows it.
  await b.click("#library-button");
  await b.click("#library >> text=New run");
  await b.waitForSelector("#library", { state: "hidden" });
  await a.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 2);
  // A rename being typed here is not dropped by another tab's change.
  await runs(a).filter({ hasText: "(open)" }).getByRole("button", { name: /^Rename/ }).click();
  await a.keyboard.type("renamed");
  await b.click("#library-button");
  await runs(b).filter({ hasNotText: "(open)" }).getByRole("button", { name: "Delete" }).click();
  await b.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 1);
  await new Promise((r) => setTimeout(r, 500)); // longer than the library's wait before drawing again
  assert.equal(await a.inputValue("#library input.rename"), "renamed");
  // Renaming a run deleted meanwhile says so, and the library drops it, drawn once.
  await a.evaluate(() => {
    window.libraryDrawn = 0;
    new MutationObserver((records) => { window.libraryDrawn += records.some((r) => r.type === "childList") ? 1 : 0; })
      .observe(document.querySelector("#library"), { childList: true });
  });
  await a.keyboard.press("Enter");
  await a.waitForFunction(() => /no longer in this browser: it was deleted in another tab/.test(document.querySelector("#notice")?.textContent ?? ""));
  await a.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 1);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await a.evaluate(() => window.libraryDrawn), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("carrying a run over to a version with blocks moved keeps each task's state on that task", async () => {
  const { context, page, errors } = await fresh();
  const v1 = "# Rollout\n\n## Deploy\n\n- [ ] Deploy service Alpha\n  - [ ] Verify health\n- [ ] Deploy service Beta\n  - [ ] Verify health\n- [ ] Restart workers\n";
  const v2 = "# Rollout\n\n## Deploy\n\n- [ ] Deploy service Beta\n  - [ ] Verify health\n- [ ] Deploy service Alpha\n  - [ ] Verify health\n- [ ] Restart workers\n";
  const check = (parent) => page.locator("li.item", { hasText: `Deploy service ${parent}` }).locator("li.item", { hasText: "Verify health" }).locator(":scope > .row input[type=checkbox]");
  await page.setInputFiles("#file", { name: "ROLLOUT.md", mimeType: "text/markdown", buffer: Buffer.from(v1) });
  await counts(page, "0/5 items done");
  await check("Beta").click();
  await counts(page, "1/5 items done");
  await page.setInputFiles("#file", { name: "ROLLOUT.md", mimeType: "text/markdown", buffer: Buffer.from(v2) });
  await page.waitForSelector("#carry-over");
  assert.match(await page.textContent("#notice"), /Deploy service Beta › Verify health/, "the offer names the task with what it is under");
  await page.click("#carry-over");
  await counts(page, "1/5 items done");
  assert.equal(await check("Beta").isChecked(), true, "Beta's check is still done");
  assert.equal(await check("Alpha").isChecked(), false, "Alpha's is not");
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * RELEASE.md imported with one tick, then its version with "Rotate keys" added: the page offers
 * to carry the run over. Returns that version's text.
 */
async function carryOffered(page) {
  const v1 = "# Release\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n- [ ] Freeze merges\n";
  const v2 = v1.replace("- [ ] Freeze merges\n", "- [ ] Freeze merges\n- [ ] Rotate keys\n");
  await page.setInputFiles("#file", { name: "RELEASE.md", mimeType: "text/markdown", buffer: Buffer.from(v1) });
  await counts(page, "0/3 items done");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/3 items done");
  await page.setInputFiles("#file", { name: "RELEASE.md", mimeType: "text/markdown", buffer: Buffer.from(v2) });
  await page.waitForSelector("#carry-over");
  return v2;
}

test("the offer to carry a run over comes again while the new version's run is untouched", async () => {
  const { context, page, errors } = await fresh();
  const v2 = await carryOffered(page);
  await page.getByRole("button", { name: "Keep the fresh run" }).click();
  await page.waitForSelector("#carry-over", { state: "hidden" });
  // The same version again: its run is still untouched, so the offer comes again.
  await page.setInputFiles("#file", { name: "RELEASE.md", mimeType: "text/markdown", buffer: Buffer.from(v2) });
  await page.waitForSelector("#carry-over");
  // And after a reload, on the untouched run the page reopens.
  await page.waitForTimeout(300);
  await page.reload();
  await counts(page, "0/4 items done");
  await page.waitForSelector("#carry-over");
  await page.click("#carry-over");
  await counts(page, "1/4 items done");
  // Once worked on, it is the user's run: no offer.
  await page.getByRole("checkbox", { name: "Rotate keys", exact: true }).click();
  await counts(page, "2/4 items done");
  await page.waitForTimeout(300);
  await page.reload();
  await counts(page, "2/4 items done");
  await page.waitForTimeout(500); // an offer would have come by now
  assert.equal(await page.locator("#carry-over").isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a name typed in a sign-off of the fresh run stays when the run is carried over", async () => {
  const { context, page, errors } = await fresh();
  const v1 = "# Release\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n\n## Sign-off\n\n- [ ] QA Lead: ______ Date: ____\n";
  const v2 = v1.replace("- [ ] Notify the team\n", "- [ ] Notify the team\n- [ ] Rotate keys\n");
  await page.setInputFiles("#file", { name: "RELEASE.md", mimeType: "text/markdown", buffer: Buffer.from(v1) });
  await counts(page, "0/2 items done");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/2 items done");
  await page.setInputFiles("#file", { name: "RELEASE.md", mimeType: "text/markdown", buffer: Buffer.from(v2) });
  await page.waitForSelector("#carry-over");
  // Typed, not signed: a draft, not yet the run's, so the fresh run is still untouched.
  await page.getByRole("textbox", { name: "QA Lead: name" }).fill("Quinn Okafor");
  await page.click("#carry-over");
  await counts(page, "1/3 items done");
  assert.equal(await page.getByRole("textbox", { name: "QA Lead: name" }).inputValue(), "Quinn Okafor");
  await page.waitForTimeout(300);
  await page.reload();
  await counts(page, "1/3 items done");
  assert.equal(await page.getByRole("textbox", { name: "QA Lead: name" }).inputValue(), "Quinn Okafor");
  assert.deepEqual(errors, []);
  await context.close();
});

test("carrying over after working in the fresh run keeps that work in the one run", async () => {
  const { context, page, errors } = await fresh();
  await carryOffered(page);
  await page.getByRole("checkbox", { name: "Rotate keys", exact: true }).click(); // work before agreeing
  await counts(page, "1/4 items done");
  await page.click("#carry-over");
  await counts(page, "2/4 items done");
  await page.waitForFunction(() => /kept with them/.test(document.querySelector("#notice").textContent));
  await page.waitForTimeout(300);
  await page.click("#library-button");
  await page.waitForSelector("#library .template");
  const lines = await page.locator("#library .template").evaluateAll((ts) => ts.map((t) => t.querySelectorAll(".runs li").length));
  assert.deepEqual(lines.sort(), [1, 1], "one run of each version");
  await page.reload();
  await counts(page, "2/4 items done");
  assert.deepEqual(errors, []);
  await context.close();
});

test("filters and keyboard: open only, critical only, j/k and n", async () => {
  const { context, page } = await fresh();
  await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  await page.keyboard.press("o");
  assert.equal(await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).isVisible(), false);
  await page.keyboard.press("o");
  await page.keyboard.press("c");
  const visible = await page.$$eval("#view li.item", (lis) => lis.filter((li) => li.offsetParent).map((li) => li.classList.contains("critical")));
  assert.ok(visible.length >= 3 && visible.every(Boolean), JSON.stringify(visible));
  await page.keyboard.press("c");
  await page.getByRole("checkbox", { name: "Release branch release/2.4.0 cut from main and CI green", exact: true }).focus();
  await page.keyboard.press("j");
  const focused = await page.evaluate(() => document.activeElement.closest("li").querySelector("label").textContent);
  assert.match(focused, /Changelog and release notes/);
  await page.keyboard.press("n");
  await page.keyboard.type("docs only release");
  await page.keyboard.press("Enter");
  await page.waitForSelector("text=N/A: docs only release");
  await context.close();
});

test("j and k go on from a row the keyboard just ticked out of view (open items only), not from the top", async () => {
  const { context, page, errors } = await fresh();
  await page.keyboard.press("o");
  const shown = () => page.$$eval("#view li.item > .row input[type=checkbox]", (boxes) => boxes.filter((b) => b.offsetParent).map((b) => b.id));
  const focused = () => page.evaluate(() => document.activeElement?.id);
  const [, second, third, fourth] = await shown();
  await page.focus(`#${third}`);
  await page.keyboard.press(" ");
  await page.waitForFunction((id) => !document.getElementById(id)?.offsetParent, third);
  await page.keyboard.press("j");
  assert.equal(await focused(), fourth, "j: the item after the one ticked");
  await page.keyboard.press("k");
  assert.equal(await focused(), second, "k: the open item before it");
  assert.deepEqual(errors, []);
  await context.close();
});

test("after N/A's reason dialog, focus is back on the item's row though another tab redrew the page meanwhile", async () => {
  const { context, page, errors } = await fresh();
  const boxes = await page.$$eval("#view li.item > .row input[type=checkbox]", (all) => all.filter((b) => b.offsetParent).map((b) => b.id));
  await page.check(`#${boxes[0]}`); // kept: the other tab opens this run
  const other = await context.newPage();
  await other.goto(base);
  await other.waitForSelector(`#${boxes[0]}:checked`);
  await page.focus(`#${boxes[2]}`);
  await page.keyboard.press("n");
  await page.waitForSelector("#reason-dialog[open]");
  await page.evaluate(() => { document.querySelector("#view li.item").dataset.before = "1"; });
  await other.check(`#${boxes[1]}`);
  await page.waitForFunction(() => !document.querySelector("#view li.item[data-before]")); // redrawn
  await page.keyboard.type("not this release");
  await page.keyboard.press("Enter");
  await page.waitForSelector("text=N/A: not this release");
  const row = await page.evaluate(() => document.activeElement?.closest("li.item")?.querySelector(":scope > .row input[type=checkbox]")?.id);
  assert.equal(row, boxes[2], "focus is on the item's row");
  assert.deepEqual(errors, []);
  await context.close();
});

test("axe-core finds no accessibility violations in the library and checklist views or the report", async () => {
  const context = await browser.newContext({ bypassCSP: true }); // only so the test can inject axe
  const page = await context.newPage();
  await page.goto(base);
  await page.waitForSelector("#verdict");
  const check = async (what) => assert.deepEqual(await axeViolations(page), [], what);
  await check("checklist view");
  await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  await page.click("#library-button");
  await page.waitForSelector("#library:not([hidden]) .runs li");
  await check("library view");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-html")]);
  // The download has no .html name on disk, so load its content as the page.
  await page.setContent(readFileSync(await download.path(), "utf8"));
  await check("HTML report");
  await context.close();
});

test("?src= imports from a URL, and a refused fetch says why", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seed = seedFiles.find((f) => f.startsWith("004"));
  await page.goto(`${base}?src=${encodeURIComponent(`${base}fixtures/seeds/${seed}`)}`);
  await page.waitForFunction((name) => document.querySelector(".summary .muted")?.textContent.includes(name), seed);
  assert.match(await page.textContent("#counts"), /0\/3 sign-offs signed/);
  // A host that is not listening: the fetch fails; the page explains instead of going blank.
  await page.goto(`${base}?src=${encodeURIComponent("http://127.0.0.1:9/CHECKLIST.md")}`);
  await page.waitForSelector("#notice:not([hidden])");
  assert.match(await page.textContent("#notice"), /Could not load .*CORS/);
  await context.close();
});

test("bad files get a clear message; mojibake gets a repair offer", async () => {
  const { context, page } = await fresh();
  await page.setInputFiles("#file", { name: "photo.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, ...new Array(200).fill(0)]) });
  await page.waitForSelector("#notice:not([hidden])");
  assert.match(await page.textContent("#notice"), /photo\.png looks like a binary file/);
  await page.setInputFiles("#file", { name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from("# Notes\n\nJust prose.\n") });
  await page.waitForFunction(() => /no task items/.test(document.querySelector("#notice").textContent));
  assert.equal(await page.textContent("#verdict"), "NO-GO", "the previous checklist stays on screen");
  await page.setInputFiles("#file", { name: "moji.md", mimeType: "text/markdown", buffer: Buffer.from("# Release\n\n- [ ] âœ… Tests green\n- [ ] Deploy\n") });
  await page.waitForFunction(() => /mis-decoded/.test(document.querySelector("#notice").textContent));
  await page.click("#notice button");
  await page.waitForSelector("label:has-text('✅ Tests green')");
  // A file saved as Windows-1252 (é is 0xE9): readable characters are offered back.
  await page.setInputFiles("#file", { name: "legacy.md", mimeType: "text/markdown", buffer: Buffer.from("# Release\n\n- [ ] Caf\xe9 menu updated\n- [ ] Deploy\n", "latin1") });
  await page.waitForFunction(() => /legacy\.md: .*not valid UTF-8.*line 3/.test(document.querySelector("#notice").textContent));
  await page.waitForSelector("label:has-text('Caf� menu updated')");
  await page.click("#notice button");
  await page.waitForSelector("label:has-text('Café menu updated')");
  await context.close();
});

test("re-importing an edited checklist carries the progress of every unchanged item over", async () => {
  const { context, page, errors } = await fresh();
  const v1 = "# Hotfix checklist\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n- [ ] Freeze merges\n\n## Sign-off\n\n- [ ] QA Lead: ______ Date: ____\n";
  const v2 = v1.replace("Notify the team", "Notify the whole team").replace("- [ ] Freeze merges", "- [ ] Freeze merges\n- [ ] Page the on-call");
  await page.setInputFiles("#file", { name: "HOTFIX.md", mimeType: "text/markdown", buffer: Buffer.from(v1) });
  await counts(page, "0/3 ");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await page.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await counts(page, "2/3 ");
  await page.setInputFiles("#file", { name: "HOTFIX.md", mimeType: "text/markdown", buffer: Buffer.from(v2) });
  await page.waitForSelector("#carry-over");
  // Nothing is carried before the user has seen what would be.
  await counts(page, "0/4 ");
  const message = await page.textContent("#notice");
  assert.match(message, /earlier version of this checklist \(HOTFIX.md\).*1 entry of it matches this version/);
  assert.match(message, /1 entry matches nothing here and would stay in that run/);
  assert.match(message, /✓ · Tag the build/);
  await page.click("#carry-over");
  await counts(page, "1/4 ");
  assert.ok(await page.getByRole("checkbox", { name: "Tag the build", exact: true }).isChecked());
  assert.equal(await page.getByRole("checkbox", { name: "Notify the whole team", exact: true }).isChecked(), false);
  // The notice follows the redraw (the counts), so wait for it rather than read it at once.
  await page.waitForFunction(() => /Carried 1 entry over/.test(document.querySelector("#notice").textContent), null, { timeout: 5000 })
    .catch(async () => assert.fail(`notice: ${await page.textContent("#notice")}`));
  // The earlier run is untouched in the library; the empty run the offer replaced is gone.
  await page.click("#library-button");
  await page.waitForSelector("#library:not([hidden]) .runs li");
  assert.equal(await page.locator("#library .template").count(), 2, "v1 and v2");
  assert.equal(await page.locator("#library .template", { hasText: "HOTFIX.md" }).first().locator(".runs li").count(), 1);
  await page.locator("#library .template:not(:has(li.current))", { hasText: "HOTFIX.md" }).locator(".runs li").first().getByRole("button", { name: "Open" }).click();
  await counts(page, "2/3 ");
  assert.deepEqual(errors, []);
  await context.close();
});

/** What Windows PowerShell 5's `>` writes: UTF-16LE with a byte-order mark, CRLF line ends. */
const asPowerShellWroteIt = (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, "\r\n"), "utf16le")]);

test("a checklist and a filled report saved as UTF-16 import like their UTF-8 originals", async () => {
  const { context, page, errors } = await fresh();
  const seed = seedFiles.find((f) => f.startsWith("004"));
  const text = readFileSync(join(root, "tests/fixtures/seeds", seed), "utf8");
  await page.setInputFiles("#file", { name: "CHECKLIST.md", mimeType: "text/markdown", buffer: asPowerShellWroteIt(text) });
  await counts(page, "0/70 ");
  assert.match(await page.textContent("#counts"), /0\/3 sign-offs signed/);
  assert.doesNotMatch(await page.textContent("#notice"), /binary|problem|UTF/, "no binary-file or decoding complaint");
  // Tick one, export the filled Markdown, save it as UTF-16 and import it in a fresh browser.
  await page.locator("li.item input[type=checkbox]").first().click();
  await counts(page, "1/70 ");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-md")]);
  const md = readFileSync(await download.path(), "utf8");
  const other = await fresh();
  await other.page.setInputFiles("#file", { name: "report.md", mimeType: "text/markdown", buffer: asPowerShellWroteIt(md) });
  await counts(other.page, "1/70 ");
  assert.deepEqual([...errors, ...other.errors], []);
  await other.context.close();
  await context.close();
});

test("the section outline shows each section's progress, follows clicks, and links to the section", async () => {
  const { context, page } = await fresh();
  const outline = page.locator("nav[aria-label=Sections]");
  const row = outline.locator("li", { hasText: "Data safety" });
  assert.match(await row.textContent(), /Data safety 0\/4 · 0%/);
  await page.getByRole("checkbox", { name: "Database backup taken and restore verified", exact: true }).check();
  await page.waitForFunction(() => /Data safety 1\/4 · 25%/.test([...document.querySelectorAll("nav[aria-label=Sections] li")].map((li) => li.textContent).join("|")));
  await row.getByRole("link", { name: "Data safety" }).click();
  await page.waitForFunction(() => location.hash.startsWith("#section-"));
  const heading = await page.evaluate(() => { const r = document.getElementById(location.hash.slice(1)).getBoundingClientRect(); return { top: r.top, text: document.getElementById(location.hash.slice(1)).textContent }; });
  assert.match(heading.text, /^Data safety/);
  assert.ok(heading.top >= 0 && heading.top < 800, `heading at ${heading.top}`);
  await context.close();
});

test("a long flat list renders every row in order, in parts layout can skip, and a late row works", async () => {
  const { context, page, errors } = await fresh();
  const n = 2_500;
  const doc = `# Flat\n\n${Array.from({ length: n }, (_, i) => `- [ ] row ${i}`).join("\n")}\n`;
  await page.setInputFiles("#file", { name: "flat.md", mimeType: "text/markdown", buffer: Buffer.from(doc) });
  await counts(page, `0/${n} items done`);
  await page.waitForFunction((n) => document.querySelectorAll("#view li.item").length === n, n);
  const shape = await page.evaluate(() => ({
    order: [...document.querySelectorAll("#view li.item label")].map((l) => Number(l.textContent.replace("row ", ""))),
    parts: [...document.querySelectorAll("#view ul.items.part")].map((p) => [p.children.length, getComputedStyle(p).contentVisibility]),
  }));
  assert.deepEqual(shape.order, Array.from({ length: n }, (_, i) => i), "document order");
  // 300 rows on the first screen, then parts of 1,000 (the last one shorter), each skippable.
  assert.deepEqual(shape.parts, [[1000, "auto"], [1000, "auto"], [200, "auto"]]);
  const late = page.getByRole("checkbox", { name: "row 2400", exact: true });
  await late.check();
  await counts(page, `1/${n} items done`);
  assert.ok(await late.isChecked());
  assert.deepEqual(errors, []);
  await context.close();
});

test("a long list still being built goes on filling when the next import is refused", async () => {
  const { context, page, errors } = await fresh();
  const n = 20_000;
  const doc = `# Flat\n\n${Array.from({ length: n }, (_, i) => `- [ ] row ${i}`).join("\n")}\n`;
  await page.setInputFiles("#file", { name: "flat.md", mimeType: "text/markdown", buffer: Buffer.from(doc) });
  // The moment the first screen is up (most rows not built yet), a binary file comes in.
  const built = await page.evaluate(async (n) => {
    while (!document.querySelector("#counts")?.textContent.startsWith(`0/${n}`)) await new Promise((r) => requestAnimationFrame(r));
    const rows = document.querySelectorAll("#view li.item").length;
    const input = /** @type {HTMLInputElement} */ (document.querySelector("#file"));
    const files = new DataTransfer();
    files.items.add(new File([new Uint8Array(4096)], "image.bin"));
    input.files = files.files;
    input.dispatchEvent(new Event("change"));
    while (!/image\.bin looks like a binary file/.test(document.querySelector("#notice").textContent)) await new Promise((r) => requestAnimationFrame(r));
    return [rows, document.querySelectorAll("#view li.item").length];
  }, n);
  // Both still short of every row: the refusal came while the list was being built.
  assert.ok(built[0] < n && built[1] < n, `rows built when the next import came and when it was refused: ${built}`);
  await page.waitForFunction((n) => document.querySelectorAll("#view li.item").length === n, n, { timeout: 30000 });
  const last = await page.evaluate(() => [...document.querySelectorAll("#view li.item label")].slice(-1)[0].textContent);
  assert.equal(last, `row ${n - 1}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a long list still being built goes on filling when a run file is refused", async () => {
  const { context, page, errors } = await fresh();
  const n = 20_000;
  const doc = `# Flat\n\n${Array.from({ length: n }, (_, i) => `- [ ] row ${i}`).join("\n")}\n`;
  // The library is open (its "Import a run" at hand) while the long list comes in.
  await page.click("#library-button");
  await page.waitForSelector("#import-run");
  await page.setInputFiles("#file", { name: "flat.md", mimeType: "text/markdown", buffer: Buffer.from(doc) });
  // The moment the first screen is up, "Import a run" gets a file that is no run.
  const built = await page.evaluate(async (n) => {
    while (!document.querySelector("#counts")?.textContent.startsWith(`0/${n}`)) await new Promise((r) => requestAnimationFrame(r));
    const rows = document.querySelectorAll("#view li.item").length;
    if (!document.querySelector("#import-run")) document.querySelector("#library-button").click();
    while (!document.querySelector("#import-run")) await new Promise((r) => requestAnimationFrame(r));
    const input = /** @type {HTMLInputElement} */ (document.querySelector("#import-run + input[type=file]"));
    const files = new DataTransfer();
    files.items.add(new File(['{"not": "a run"}'], "notes.json", { type: "application/json" }));
    input.files = files.files;
    input.dispatchEvent(new Event("change"));
    while (!/Could not import notes\.json/.test(document.querySelector("#notice").textContent)) await new Promise((r) => requestAnimationFrame(r));
    return [rows, document.querySelectorAll("#view li.item").length];
  }, n);
  assert.ok(built[0] < n && built[1] < n, `rows built when the run file came and when it was refused: ${built}`);
  await page.waitForFunction((n) => document.querySelectorAll("#view li.item").length === n, n, { timeout: 30000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a name typed into a sign-off slot survives ticks and signing another slot", async () => {
  const { context, page, errors } = await fresh();
  const lead = page.getByRole("textbox", { name: "Tech Lead: name" });
  const sre = page.getByRole("textbox", { name: "SRE On-call: name" });
  await lead.fill("Dana Whitfield");
  // click, not check: the row is replaced by its updated copy, which check() would not see.
  await page.getByRole("checkbox", { name: "Database backup taken and restore verified", exact: true }).click();
  await counts(page, "1/");
  assert.equal(await lead.inputValue(), "Dana Whitfield", "a tick keeps the draft");
  await sre.fill("Ana Ruiz");
  await page.locator(".signoff", { hasText: "Tech Lead" }).getByRole("button", { name: "Sign", exact: true }).click();
  await page.waitForFunction(() => /signed/.test(document.querySelector(".signoffs")?.textContent || ""));
  assert.equal(await page.getByRole("textbox", { name: "SRE On-call: name" }).inputValue(), "Ana Ruiz", "signing another slot keeps it");
  // With a signature in place the panel is rebuilt on a tick (it may turn stale): still kept.
  await page.getByRole("checkbox", { name: "Migrations reviewed for locking behaviour on large tables", exact: true }).click();
  await counts(page, "2/");
  assert.match(await page.textContent(".signoffs"), /stale/);
  assert.equal(await page.getByRole("textbox", { name: "SRE On-call: name" }).inputValue(), "Ana Ruiz");
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a plain-http intranet origin (no secure context) a checklist imports, is worked on and kept", async () => {
  const { createRequire } = await import("node:module");
  const { chromium } = createRequire(join(root, "tools/package.json"))("playwright-core");
  const insecure = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--host-resolver-rules=MAP preflight.internal 127.0.0.1"] });
  try {
    const url = base.replace("127.0.0.1", "preflight.internal");
    const { context, page, errors } = await openApp(insecure, url);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    const text = "# Wiki release\n\n## Before\n- [ ] Tag the build\n- [ ] Tell support\n\n## Sign-off\n- Tech Lead: ______\n";
    await page.setInputFiles("#file", { name: "wiki.md", mimeType: "text/markdown", buffer: Buffer.from(text) });
    await page.getByRole("checkbox", { name: "Tag the build", exact: true }).check();
    await page.waitForFunction(() => document.querySelector("#counts")?.textContent.startsWith("1/2 "));
    await page.waitForTimeout(300);
    await page.reload();
    await page.waitForFunction(() => document.querySelector("#counts")?.textContent.startsWith("1/2 "));
    // No WebCrypto keys here: signing by name works, signing with a key is not offered.
    assert.equal(await page.isDisabled(".signoff button:text-is('Sign with my key')"), true);
    await page.getByRole("textbox", { name: "Tech Lead: name" }).fill("Ann Ito");
    await page.locator(".signoff", { hasText: "Tech Lead" }).getByRole("button", { name: "Sign", exact: true }).click();
    await page.waitForSelector('.signoff:has-text("Tech Lead") button:text-is("Unsign")');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await insecure.close();
  }
});
