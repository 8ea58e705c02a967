// End-to-end tests of the run's stages in the app: gates passed in order with who and when,
// contingency procedures started with a reason, corrections to how a checklist is read, and
// table checklists converted on import. Serves dist/site (scripts/build-site.sh) on a loopback
// port. Run: node --test tests/e2e/gates.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root, serveSite, launchChromium, axeViolations, openApp } from "./site-server.mjs";

let server, base, browser;

before(async () => {
  server = await serveSite();
  base = server.base;
  browser = await launchChromium();
});
after(async () => { await browser?.close(); server?.close(); });

const fresh = (options = {}) => openApp(browser, base, options);

/** Wait until `selector`'s text includes `text`; on timeout, fail with what it says. */
async function says(page, selector, text) {
  try {
    await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent.includes(t), [selector, text], { timeout: 5000 });
  } catch {
    assert.fail(`${selector} should say “${text}”: ${await page.textContent(selector).catch(() => "(not on the page)")} | notice: ${await page.textContent("#notice")}`);
  }
}

/** Tick every open task of one stage ("before", "during", "after"). */
async function tickAll(page, gate) {
  for (let guard = 0; guard < 100; guard++) {
    const box = page.locator(`section.stage.${gate} li.item:not(.done):not(.na) > .row input[type=checkbox]`).first();
    if (!(await box.count())) return;
    await box.click();
  }
  assert.fail(`stage ${gate} still has open items`);
}

/** Answer the who (and why) dialog of an action. */
async function answer(page, who, why) {
  await page.waitForSelector("#action-dialog[open]");
  await page.fill("#ask-who", who);
  if (why !== undefined) await page.fill("#ask-why", why);
  await page.click("#action-ok");
  await page.waitForSelector("#action-dialog", { state: "detached" });
}

async function sign(page, role, name) {
  await page.getByRole("textbox", { name: `${role}: name` }).fill(name);
  await page.locator(".signoff", { hasText: role }).getByRole("button", { name: "Sign", exact: true }).click();
  await page.waitForSelector(`.signoff:has-text("${role}") button:text-is("Unsign")`);
}

const PATCH = `# Patch release 1.2.1

## Before deploying
- [x] Unit tests green
- [x] Integration tests green
- [x] Changelog written
- [x] Version bumped
- [x] Release notes reviewed
- [x] Staging deploy verified
- [x] Database backup taken
- [x] On-call engineer confirmed
- [x] Rollback plan reviewed
- [ ] Feature flag documented

## Deploy
- [ ] Deploy to production

## After deploying
- [ ] Smoke tests pass

## Rollback
- [ ] Previous release restored
`;

test("a run moves through its gates: GO declared, deployed, verified, closed, each with who and when", async () => {
  const { context, page, errors } = await fresh();
  // Three stages in order, the first one current; nothing can be passed yet.
  assert.deepEqual(await page.$$eval(".stage-strip li a", (as) => as.map((a) => a.textContent)), ["1. Ready to deploy?", "2. Deploying", "3. Verified"]);
  assert.equal(await page.getAttribute(".stage-strip li:first-child", "aria-current"), "step");
  assert.ok(await page.isDisabled("#pass-before"));
  assert.ok(await page.isDisabled("#pass-during"));
  assert.match(await page.textContent("#stage-state-during"), /Declare GO first/);

  // Before: every item and the three approvals, then GO can be declared.
  await tickAll(page, "before");
  for (const [role, name] of [["Tech Lead", "Dana Whitfield"], ["SRE On-call", "Ana Ruiz"], ["Product Owner", "Lee Chen"]]) await sign(page, role, name);
  await says(page, "#stage-head-before", "11/11 items done"); // the optional one counts once done
  assert.equal(await page.textContent("#verdict"), "GO");
  assert.equal(await page.isEnabled("#pass-before"), true);
  await page.click("#pass-before");
  await answer(page, "Dana Whitfield");
  await says(page, "#stage-state-before", "GO declared by Dana Whitfield");
  assert.equal(await page.evaluate(() => document.activeElement.id), "stage-state-before", "focus stays at the stage just passed");
  // The header now answers for the stage the run is in.
  await says(page, ".headline", "Deploying");
  assert.equal(await page.getAttribute(".stage-strip li:nth-child(2)", "aria-current"), "step");

  // During: its steps, and its record ("Deployment Date"), which is a field to fill, not an approval.
  await tickAll(page, "during");
  const record = page.locator(".record", { hasText: "Deployment Date" });
  assert.equal(await record.getByRole("combobox").count(), 0, "a record has no meaning to choose");
  await record.getByRole("button", { name: "Record Deployment Date" }).click();
  await says(page, "#stage-head-during", "1/1 sign-offs signed");
  await page.click("#pass-during");
  await answer(page, "Ana Ruiz");
  await says(page, "#stage-state-during", "Deployed by Ana Ruiz");

  // After: verification, then the run is closed.
  assert.ok(await page.isDisabled("#pass-after"), "not before its items are done");
  await tickAll(page, "after");
  await page.click("#pass-after");
  await answer(page, "Lee Chen");
  await says(page, "#stage-state-after", "Verified by Lee Chen");
  await page.click("#close-run");
  await answer(page, "Lee Chen");
  await says(page, "#timeline", "Run closed by Lee Chen");

  const timeline = async (p) => p.$$eval("#timeline li", (lis) => lis.map((li) => li.textContent));
  const expectTimeline = (lines) => {
    assert.equal(lines.length, 5, lines.join("\n"));
    assert.match(lines[0], /Run “.*” started/);
    assert.match(lines[1], /GO declared by Dana Whitfield at 100% · “Ready to deploy\?” took (under a minute|\d+ min)/);
    assert.match(lines[2], /Deployed by Ana Ruiz .*“Deploying” took/);
    assert.match(lines[3], /Verified by Lee Chen .*“Verified” took/);
    assert.match(lines[4], /Run closed by Lee Chen · .* in all/);
  };
  expectTimeline(await timeline(page));
  assert.equal(await page.locator("#close-run").count(), 0, "a closed run cannot be closed again");

  // A reload keeps every step; the Markdown export carries them and re-imports with them.
  await page.reload();
  await page.waitForSelector("#verdict");
  expectTimeline(await timeline(page));
  await says(page, "#stage-state-before", "GO declared by Dana Whitfield");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-md")]);
  const md = readFileSync(await download.path(), "utf8");
  const other = await fresh();
  await other.page.setInputFiles("#file", { name: "report.md", mimeType: "text/markdown", buffer: Buffer.from(md) });
  await says(other.page, "#stage-state-after", "Verified by Lee Chen");
  expectTimeline(await timeline(other.page));
  assert.deepEqual([...errors, ...other.errors], []);
  await other.context.close();
  await context.close();
});

test("a passed and closed run changed afterwards says it is NO-GO now, why, and that it changed since closing", async () => {
  const { context, page, errors } = await fresh();
  const text = "# Hotfix 3.1\n\n## Before deploying\n- [ ] Database backup taken (blocking)\n- [ ] Tests green\n- [ ] Tech Lead: ______\n\n" +
    "## Deploy\n- [ ] Deploy to production\n\n## After deploying\n- [ ] Smoke test passes\n";
  await page.setInputFiles("#file", { name: "hotfix.md", mimeType: "text/markdown", buffer: Buffer.from(text) });
  await page.waitForSelector("#pass-before");
  await tickAll(page, "before");
  await sign(page, "Tech Lead", "Ann Ito");
  for (const gate of ["before", "during", "after"]) {
    await tickAll(page, gate);
    await page.click(`#pass-${gate}`);
    await answer(page, "Ann Ito");
  }
  await page.click("#close-run");
  await answer(page, "Ann Ito");
  await says(page, "#timeline", "Run closed by Ann Ito");
  assert.equal(await page.locator("#stage-head-before .reasons").count(), 0, "passed and still GO: its pass stands for it");

  await page.getByRole("checkbox", { name: "Database backup taken (blocking)" }).uncheck();
  const check = async () => {
    await says(page, "#stage-head-before", "It is NO-GO now: something changed after “GO declared”.");
    await says(page, "#stage-head-before", "GO declared by Ann Ito"); // what happened stays told
    await says(page, "#stage-head-before .reasons", "What blocks GO");
    await says(page, "#stage-head-before .reasons", "Database backup taken (blocking)");
    await says(page, "#stage-head-before", "1/1 sign-offs signed (1 stale)");
    await says(page, ".stage-strip li:first-child", "GO declared by Ann Ito, NO-GO since");
    await says(page, ".summary", ", changed since");
  };
  await check();
  await page.reload();
  await page.waitForSelector("#verdict");
  await check();
  await page.click("#library-button");
  await says(page, "#library .runs li.current .standing", "Closed, changed since");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a folded procedure counts the steps of its subsections and nested steps, and a field shows in its own section", async () => {
  const { context, page, errors } = await fresh();
  const text = "# Release\n\n## Before\n\n- [ ] Tag the build\n\nRelease version: ________\n\n## Deploy\n\n- [ ] Roll out\n\n" +
    "## Rollback (if needed)\n\n- [ ] Announce the rollback\n\n### Database\n\n- [ ] Restore the snapshot\n  - [ ] Check the row counts\n\n" +
    "## Incident (if needed)\n\n- [ ] Page the on-call\n";
  await page.setInputFiles("#file", { name: "release.md", mimeType: "text/markdown", buffer: Buffer.from(text) });
  await page.waitForSelector("#start-" + "rollback-if-needed");
  const folds = await page.locator("section.contingency.folded").allTextContents();
  assert.equal(folds.length, 2, JSON.stringify(folds));
  assert.match(folds[0], /Rollback[^]*3 steps, folded until started/);
  assert.match(folds[1], /Incident[^]*1 step, folded until started/);
  const field = page.locator("input[id^=field-]");
  assert.equal(await field.count(), 1);
  assert.match(await field.evaluate((el) => el.closest("section.checklist-section").querySelector("h3, h4, h5").textContent), /^Before/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("why a rollback starts, half typed and the page reloaded, is asked again with it", async () => {
  const { context, page, errors } = await fresh();
  await page.getByRole("checkbox", { name: "Release branch release/2.4.0 cut from main and CI green", exact: true }).check();
  await page.locator("section.stage.contingency").getByRole("button", { name: "Start rollback" }).click();
  await page.waitForSelector("#action-dialog[open]");
  await page.fill("#ask-why", "error rate above 2%");
  await page.reload();
  await page.waitForSelector("#action-dialog[open]");
  assert.equal(await page.inputValue("#ask-why"), "error rate above 2%");
  assert.match(await page.textContent("#action-title"), /^Start rollback: 4\. Rollback \(if needed\)/);
  await page.fill("#ask-who", "Dana Whitfield");
  await page.click("#action-ok");
  await says(page, "section.stage.contingency", "error rate above 2%");
  await page.reload();
  await page.waitForSelector("#verdict");
  await page.waitForTimeout(300);
  assert.equal(await page.locator("#action-dialog[open]").count(), 0, "started: not asked again");
  assert.deepEqual(errors, []);
  await context.close();
});

test("Start rollback asks why, then unfolds the procedure and counts it", async () => {
  const { context, page, errors } = await fresh();
  const fold = page.locator("section.stage.contingency");
  assert.equal(await fold.locator("li.item").count(), 0, "folded: its steps are not on the page");
  assert.match(await fold.textContent(), /3 steps, folded until started/);
  await fold.getByRole("button", { name: "Start rollback" }).click();
  await page.waitForSelector("#action-dialog[open]");
  assert.match(await page.textContent("#action-dialog"), /Why does “4\. Rollback \(if needed\)” start\?/);
  // The reason is required: submitting without one keeps the dialog open.
  await page.fill("#ask-who", "Dana Whitfield");
  await page.click("#action-ok");
  assert.ok(await page.isVisible("#action-dialog[open]"), "no reason, no start");
  assert.equal(await page.evaluate(() => document.getElementById("ask-why").validity.valid), false);
  await page.fill("#ask-why", "error rate above 2% after the rollout");
  await page.click("#action-ok");
  await page.waitForSelector("#action-dialog", { state: "detached" });
  await says(page, "section.stage.contingency", "Started by Dana Whitfield");
  await says(page, "section.stage.contingency", "error rate above 2% after the rollout");
  assert.equal(await fold.locator("li.item").count(), 3, "unfolded");
  assert.equal(await page.evaluate(() => document.activeElement.id), "section-4-rollback-if-needed", "focus on the procedure just started");
  await says(page, "section.stage.contingency .stage-head", "0%");
  await page.getByRole("checkbox", { name: "Traffic shifted back to the previous release", exact: true }).click();
  await says(page, "section.stage.contingency .stage-head", "33.3%");
  await says(page, "#timeline", "4. Rollback (if needed) started by Dana Whitfield: error rate above 2% after the rollout");
  await page.reload();
  await page.waitForSelector("#verdict");
  assert.equal(await fold.locator("li.item").count(), 3, "still unfolded after a reload");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a shared run brings the corrections it was read with: the teammate sees the same verdict, from the Markdown and the JSON report", async () => {
  const a = await fresh();
  await a.page.setInputFiles("#file", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(PATCH) });
  await says(a.page, "#counts", "9/10 items done");
  await a.page.locator("li.item", { hasText: "Feature flag documented" }).getByRole("button", { name: /^Details/ }).click();
  await a.page.locator("#details").getByRole("checkbox", { name: "Critical: GO waits for it" }).check();
  await says(a.page, "#verdict", "NO-GO");
  const file = async (selector) => { const [d] = await Promise.all([a.page.waitForEvent("download"), a.page.click(selector)]); return { name: d.suggestedFilename(), buffer: readFileSync(await d.path()) }; };
  const md = await file("#share"), json = await file("#export-json");
  for (const [kind, shared] of [["Markdown", md], ["JSON", json]]) {
    const b = await fresh();
    if (kind === "Markdown") await b.page.setInputFiles("#file", { ...shared, mimeType: "text/markdown" });
    else {
      await b.page.click("#library-button");
      await b.page.setInputFiles("#library input[type=file] >> nth=0", { ...shared, mimeType: "application/json" });
      await b.page.waitForSelector("#choose-checklist");
      await b.page.setInputFiles("#notice input[type=file]", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(PATCH) });
    }
    await says(b.page, "#counts", "9/10 items done");
    await says(b.page, "#verdict", "NO-GO");
    await says(b.page, "#reasons", "Feature flag documented");
    await says(b.page, "#corrections", "1 correction to how this checklist is read");
    await b.page.waitForTimeout(300);
    await b.page.reload();
    await b.page.waitForSelector("#verdict");
    assert.equal(await b.page.textContent("#verdict"), "NO-GO", `${kind}: the correction is kept with the run`);
    assert.deepEqual(b.errors, []);
    await b.context.close();
  }
  await a.context.close();
});

test("the offer to carry a run over says its declared GO stays with the earlier version", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(PATCH) });
  await says(page, "#counts", "9/10 items done");
  await page.getByRole("checkbox", { name: "Feature flag documented", exact: true }).check();
  await says(page, "#verdict", "GO");
  await page.click("#pass-before");
  await answer(page, "Dana Whitfield");
  await says(page, "#stage-state-before", "GO declared by Dana Whitfield");
  await page.waitForFunction(() => new Promise((resolve) => { // GO declared is stored
    const open = indexedDB.open("preflight/app");
    open.onsuccess = () => {
      const t = open.result.transaction("runs"), all = t.objectStore("runs").getAll();
      t.oncomplete = () => { open.result.close(); resolve(all.result.some((v) => v.includes("go-declared"))); };
    };
  }));
  const v2 = PATCH.replace(/\n$/, "") + "\n- [ ] Post-release check\n";
  await page.setInputFiles("#file", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(v2) });
  await page.waitForSelector("#carry-over");
  assert.match(await page.textContent("#notice"), /Its timeline \(1 moment, such as GO declared\) was for the earlier version and would not be carried/);
  await page.click("#carry-over");
  assert.equal(await page.isEnabled("#pass-before"), true, "GO is declared again on this version");
  assert.deepEqual(errors, []);
  await context.close();
});

/** PATCH imported, its one open item corrected to critical in the page: NO-GO at 90 %. */
async function patchWithCriticalCorrection(page) {
  await page.setInputFiles("#file", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(PATCH) });
  await says(page, "#counts", "9/10 items done");
  await page.locator("li.item", { hasText: "Feature flag documented" }).getByRole("button", { name: /^Details/ }).click();
  await page.locator("#details").getByRole("checkbox", { name: "Critical: GO waits for it" }).check();
  await says(page, "#verdict", "NO-GO");
}

test("the library shows a run's stage and verdict as its page does: corrections applied, a flat checklist's GO declared", async () => {
  const { context, page, errors } = await fresh();
  await patchWithCriticalCorrection(page);
  await page.waitForTimeout(300);
  await page.click("#library-button");
  await says(page, "#library .runs li.current .standing", "NO-GO 90% · Ready to deploy?");
  // A checklist without stages: GO declared is its only pause point, and the run stays GO.
  const flat = "# Hotfix\n\n- [ ] Patch applied\n- [ ] Service restarted\n";
  await page.setInputFiles("#file", { name: "flat.md", mimeType: "text/markdown", buffer: Buffer.from(flat) });
  await page.getByRole("checkbox", { name: "Patch applied", exact: true }).check();
  await page.getByRole("checkbox", { name: "Service restarted", exact: true }).check();
  await page.click("#pass-before");
  await answer(page, "Ann Ito");
  await page.waitForTimeout(300);
  await page.click("#library-button");
  await says(page, "#library .runs li.current .standing", "GO 100% · GO declared");
  assert.deepEqual(errors, []);
  await context.close();
});

test("carrying a run over to a new version brings the corrections kept for the earlier one", async () => {
  const { context, page, errors } = await fresh();
  await patchWithCriticalCorrection(page);
  await page.getByRole("checkbox", { name: "Smoke tests pass", exact: true }).check(); // an entry to carry
  await page.waitForTimeout(300);
  const v2 = PATCH.replace(/\n$/, "") + "\n- [ ] Post-release check\n";
  await page.setInputFiles("#file", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(v2) });
  await page.waitForSelector("#carry-over");
  assert.match(await page.textContent("#notice"), /1 correction to how it is read would come along/);
  await page.click("#carry-over");
  await says(page, "#corrections", "1 correction to how this checklist is read");
  await says(page, "#verdict", "NO-GO");
  await says(page, "#reasons", "Feature flag documented");
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForSelector("#verdict");
  await says(page, "#corrections", "1 correction to how this checklist is read");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a correction made on the sample before it is kept is kept with it", async () => {
  const { context, page, errors } = await fresh();
  await page.waitForSelector("#verdict");
  const row = page.locator("li.item", { hasText: "Changelog and release notes reviewed" }).first();
  await row.getByRole("button", { name: /^Details/ }).click();
  await page.locator("#details").getByRole("checkbox", { name: "Critical: GO waits for it" }).check();
  await says(page, "#corrections", "1 correction to how this checklist is read");
  await page.waitForTimeout(500);
  await page.reload();
  await page.waitForSelector("#verdict");
  await says(page, "#corrections", "1 correction to how this checklist is read");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an item corrected to a sign-off line just after its note was typed: no page error, the note kept", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(PATCH) });
  await says(page, "#counts", "9/10 items done");
  const row = page.locator("li.item", { hasText: "Feature flag documented" });
  await row.getByRole("button", { name: /^Details/ }).click();
  const id = await row.getAttribute("id").then((i) => i.replace("item-", ""));
  await page.locator("#details textarea[data-edit=note]").fill("documented in the wiki");
  // The press hands the note over (its row's redraw waits for the click), and the click makes
  // the item a sign-off: the row is gone by the time the redraw runs.
  await page.click(`#mark-signoff-${id}`);
  await page.waitForSelector(`.signoff#item-${id}`);
  const [json] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  assert.match(readFileSync(await json.path(), "utf8"), /documented in the wiki/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a correction made in the app changes the verdict at once, survives reload and export, and can be written into the document", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(PATCH) });
  await says(page, "#counts", "9/10 items done");
  assert.equal(await page.textContent("#verdict"), "GO");
  // Mark the open item critical, from its marks: NO-GO, naming it.
  const row = page.locator("li.item", { hasText: "Feature flag documented" });
  await row.getByRole("button", { name: /^Details/ }).click();
  assert.match(await page.locator("#details fieldset.marks").textContent(), /No mark in its words/);
  await page.locator("#details").getByRole("checkbox", { name: "Critical: GO waits for it" }).check();
  await says(page, "#verdict", "NO-GO");
  await says(page, "#reasons", "1 critical item is not done — Feature flag documented");
  assert.match(await page.evaluate(() => document.activeElement.id), /^mark-critical-/, "focus stays on the mark");
  // Its why now names the correction, and its tag is a button that opens the marks.
  await says(page, "#details fieldset.marks", "critical — a correction kept in this browser");
  await says(page, "#corrections", "1 correction to how this checklist is read");
  await page.reload();
  await page.waitForSelector("#verdict");
  assert.equal(await page.textContent("#verdict"), "NO-GO", "the correction survives a reload");
  assert.match(await page.textContent("#reasons"), /Feature flag documented/);
  // The reports are scored with the corrected reading.
  const [json] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  const report = JSON.parse(readFileSync(await json.path(), "utf8"));
  assert.equal(report.summary.verdict, "no-go");
  assert.equal(report.items.find((i) => i.text === "Feature flag documented").critical, true);
  const [html] = await Promise.all([page.waitForEvent("download"), page.click("#export-html")]);
  assert.match(readFileSync(await html.path(), "utf8"), /class="verdict no-go">NO-GO/);
  // Written into the document: a preflight: block in the front matter, as a new version.
  await page.click("#corrections summary");
  const [written] = await Promise.all([page.waitForEvent("download"), page.click("#write-corrections")]);
  const text = readFileSync(await written.path(), "utf8");
  assert.match(text, /^---\npreflight:\n {2}critical:\n {4}- i-[0-9a-f]+ {2}# Feature flag documented\n---\n/);
  assert.ok(text.endsWith(PATCH), "every other byte as it was");
  await page.click("#open-new-version");
  // The new version has the same name: it is open once the corrections kept beside the old one are gone.
  await page.waitForSelector("#corrections", { state: "detached", timeout: 5000 }).catch(() => assert.fail("nothing kept beside it: the document says it"));
  await says(page, ".summary .muted", "PATCH.md");
  assert.equal(await page.textContent("#verdict"), "NO-GO", "the new version reads the same by itself");

  // Un-mark it again in the first version (Library), from the critical tag: GO once more.
  await page.click("#library-button");
  await page.locator("#library .template", { hasText: "PATCH.md" }).last().getByRole("button", { name: "Open" }).first().click();
  await says(page, "#corrections", "1 correction");
  await page.getByRole("button", { name: "critical: why, and correct it" }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id.startsWith("mark-critical-")), true, "the tag opens the marks at that mark");
  await page.keyboard.press("Space");
  await says(page, "#verdict", "GO");
  assert.equal(await page.locator("#corrections").count(), 0, "back to what the document says: no correction kept");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a section's stage and a conditional switch are corrected from its why", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(PATCH) });
  await says(page, "#counts", "9/10 items done");
  const why = page.locator("#why-section-rollback");
  assert.equal(await why.getAttribute("aria-expanded"), "false");
  await why.click();
  await says(page, "#reading-section-rollback", "in “Contingency” — “rollback”");
  // Moved into the before gate, Rollback shows there, still conditional: switched off, not counted.
  await page.selectOption("#gate-rollback", "before");
  await says(page, "section.stage.before", "Previous release restored");
  assert.equal(await page.locator("section.stage.before li.item.inactive", { hasText: "Previous release restored" }).count(), 1);
  assert.equal(await page.locator("section.stage.contingency").count(), 0, "no contingency left");
  assert.equal(await page.evaluate(() => document.activeElement.id), "gate-rollback", "focus stays on the control");
  await says(page, "#counts", "9/10 items done");
  // Required instead of conditional: its step now counts toward GO, and GO is gone.
  await page.getByRole("checkbox", { name: "Conditional (counts only when switched on)" }).uncheck();
  await says(page, "#counts", "9/11 items done");
  assert.equal(await page.textContent("#verdict"), "NO-GO");
  await says(page, "#corrections", "2 corrections");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a table checklist is offered as a task list on import, by keyboard too", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", join(root, "tests/fixtures/app/status-table.md"));
  await says(page, "#notice", "A table at line 5 is a checklist with no checkboxes: 3 rows with a status mark (2 open)");
  await says(page, "#counts", "0/1 items done");
  await page.focus("#convert-tables");
  await page.keyboard.press("Enter");
  await says(page, "#counts", "1/4 items done");
  assert.ok(await page.getByRole("checkbox", { name: "Tests green on main — CI", exact: true }).isChecked(), "✅ became a ticked item");
  assert.equal(await page.getByRole("checkbox", { name: "Changelog written — Dana", exact: true }).isChecked(), false);
  assert.equal(await page.locator("#view table").count(), 1, "the table without status marks stays a table");
  assert.equal(await page.isVisible("#notice"), false);
  // A file holding only a table checklist is not refused: the conversion is offered instead.
  const only = "# Go-live\n\n| Done | Step |\n|---|---|\n| [ ] | DNS switched |\n| [x] | Certificates issued |\n";
  await page.setInputFiles("#file", { name: "golive.md", mimeType: "text/markdown", buffer: Buffer.from(only) });
  await says(page, "#notice", "golive.md has no task items");
  await page.click("#convert-tables");
  await says(page, ".summary .muted", "golive.md");
  await says(page, "#counts", "1/2 items done");
  assert.deepEqual(errors, []);
  await context.close();
});

test("axe-core finds no accessibility violations in the stages, the why panels, a dialog, the corrections and the timeline", async () => {
  const context = await browser.newContext({ bypassCSP: true }); // only so the test can inject axe
  const page = await context.newPage();
  await page.goto(base);
  await page.waitForSelector("#verdict");
  const check = async (what) => assert.deepEqual(await axeViolations(page), [], what);
  await page.setInputFiles("#file", { name: "PATCH.md", mimeType: "text/markdown", buffer: Buffer.from(PATCH) });
  await says(page, "#counts", "9/10 items done");
  await page.click("#why-section-before-deploying");
  await page.locator("li.item", { hasText: "Feature flag documented" }).getByRole("button", { name: /^Details/ }).click();
  await page.getByRole("checkbox", { name: "Critical: GO waits for it" }).check();
  await page.click("#corrections summary");
  await check("stages with why panels, marks and corrections");
  await page.getByRole("checkbox", { name: "Critical: GO waits for it" }).uncheck();
  await page.click("#pass-before");
  await page.waitForSelector("#action-dialog[open]");
  await check("the who dialog");
  await page.fill("#ask-who", "Dana Whitfield");
  await page.click("#action-ok");
  await says(page, "#stage-state-before", "GO declared");
  await page.getByRole("button", { name: "Start rollback" }).click();
  await answer(page, "Dana Whitfield", "smoke tests failed");
  await says(page, "#timeline", "started by Dana Whitfield");
  await check("a passed stage, an unfolded contingency and the timeline");
  await context.close();
});
