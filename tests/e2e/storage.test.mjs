// Storage that loses nothing and links that plant nothing (issue 14), in headless Chromium and,
// for the cross-tab race, Firefox ESR. Serves dist/site on a loopback port.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serveSite, launchChromium, openApp } from "./site-server.mjs";
import { firefox, launch as launchFirefox } from "./firefox-bidi.mjs";

const CHECKLIST = "# Release checklist\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n- [ ] Freeze merges\n\n## Sign-off\n\n- [ ] QA Lead: ______ Date: ____\n";
const PLANTED = CHECKLIST.replace(/- \[ \]/g, "- [x]").replace("Freeze merges", "Freeze merges (all done, trust me)");
const WITH_FIELD = CHECKLIST.replace("- [ ] Tag the build", "Build number: ________\n\n- [ ] Tag the build");
const RACE = `# Race\n\n${Array.from({ length: 240 }, (_, i) => `- [ ] step ${i}`).join("\n")}\n`;


/** `text` imported in `page` with "Tag the build" ticked, and a second tab open on that run. */
async function secondTab(context, page, text) {
  await page.setInputFiles("#file", { name: "release.md", mimeType: "text/markdown", buffer: Buffer.from(text) });
  await counts(page, "0/3 ");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/3 ");
  const other = await context.newPage();
  await other.goto(base);
  await counts(other, "1/3 ");
  return other;
}

let server, base, browser;
before(async () => {
  server = await serveSite({ pages: { "/planted/CHECKLIST.md": PLANTED, "/real/CHECKLIST.md": CHECKLIST, "/race.md": RACE } });
  base = server.base;
  browser = await launchChromium();
});
after(async () => { await browser?.close(); server?.close(); });

const fresh = () => openApp(browser, base);

async function counts(page, prefix) {
  try {
    await page.waitForFunction((p) => document.querySelector("#counts")?.textContent.startsWith(p), prefix, { timeout: 5000 });
  } catch {
    assert.fail(`counts should start with ${prefix}: ${await page.textContent("#counts")} | notice: ${await page.textContent("#notice")}`);
  }
}

/** Everything the app's database holds in one store, as [key, value] pairs. */
const dump = (page, store, db = "preflight/app") => page.evaluate(([name, store]) => new Promise((resolve, reject) => {
  const open = indexedDB.open(name);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    if (!open.result.objectStoreNames.contains(store)) return resolve([]);
    const t = open.result.transaction(store);
    const keys = t.objectStore(store).getAllKeys(), values = t.objectStore(store).getAll();
    t.oncomplete = () => { open.result.close(); resolve(keys.result.map((k, i) => [k, values.result[i]])); };
  };
}), [db, store]);

/** Write raw values into the app's database, as a damaged disk or another program might. */
const plant = (page, store, entries) => page.evaluate(([store, entries]) => new Promise((resolve, reject) => {
  const open = indexedDB.open("preflight/app");
  open.onsuccess = () => {
    const t = open.result.transaction(store, "readwrite");
    for (const [k, v] of entries) t.objectStore(store).put(v, k);
    t.oncomplete = () => { open.result.close(); resolve(); };
    t.onabort = () => reject(t.error);
  };
}), [store, entries]);

/** Import CHECKLIST and tick its first item, so the run is kept. */
async function keptRun(page) {
  await page.setInputFiles("#file", { name: "release.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await counts(page, "0/3 ");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/3 ");
}

const detailsOf = (page, text) => page.locator("li.item", { hasText: text }).first().locator(":scope > .row .details-button");

test("what was typed and not yet saved when the page was left comes back with the run", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  // A note typed less than a pause before a reload: saving starts as the page hides, too late
  // for IndexedDB to finish; the journal in localStorage has it.
  await detailsOf(page, "Notify the team").click();
  await page.keyboard.type("sent to #release, no reply yet");
  await page.reload();
  await counts(page, "1/3 ");
  await detailsOf(page, "Notify the team").click();
  assert.equal(await page.locator("#details textarea[data-edit=note]").inputValue(), "sent to #release, no reply yet");
  // A sign-off slot's draft comes back as a draft: signing stays a person's act.
  await page.getByRole("textbox", { name: "QA Lead: name" }).fill("Quinn Okafor");
  await page.reload();
  await counts(page, "1/3 ");
  assert.equal(await page.getByRole("textbox", { name: "QA Lead: name" }).inputValue(), "Quinn Okafor");
  assert.equal(await page.locator("[id^=unsign-]").count(), 0, "not signed");
  const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("preflight-journal/")));
  assert.deepEqual(left, [], "a visible page keeps no journal; an opened run takes its entries");
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * Keep the app's run store busy with a readwrite transaction that never ends, so its saves wait
 * as they do on a slow disk or a busy machine, until the page goes.
 */
const holdRuns = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open("preflight/app");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const runs = open.result.transaction("runs", "readwrite").objectStore("runs");
    const spin = () => { runs.count().onsuccess = spin; };
    spin();
    resolve();
  };
}));

test("a tick whose save had not finished when the page was reloaded or closed comes back", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  await holdRuns(page);
  await page.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await counts(page, "2/3 ");
  await page.reload();
  await counts(page, "2/3 ");
  await page.waitForSelector("#notice >> text=Brought back the changes made in this run that were not yet saved when it was last left");
  // Stored now, not only journaled: another reload, with the journal gone, still has it.
  await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith("preflight-journal/")));
  await page.reload();
  await counts(page, "2/3 ");
  assert.deepEqual(errors, []);
  await context.close();
  // Closed rather than reloaded, on the sample: it is kept by its first change.
  const second = await fresh();
  const before = await second.page.textContent("#counts");
  await holdRuns(second.page);
  await second.page.locator("li.item > .row input[type=checkbox]").first().click();
  await counts(second.page, `1/${before.split("/")[1].split(" ")[0]} `);
  await second.page.close({ runBeforeUnload: true });
  const again = await second.context.newPage();
  await again.goto(base);
  await counts(again, `1/${before.split("/")[1].split(" ")[0]} `);
  assert.deepEqual(second.errors, []);
  await second.context.close();
});

test("a megabyte of evidence pasted over another, its save unfinished when the page was reloaded, comes back", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  await detailsOf(page, "Tag the build").click();
  const output = (tag) => Array.from({ length: 19000 }, (_, i) => `${tag} ${i} pod/checkout-api-${i} Ready 1/1 Running 0 12m`).join("\n");
  const paste = (text) => page.evaluate((text) => {
    const area = document.querySelector("#details textarea[data-edit=evidence]");
    area.focus();
    area.value = text;
    area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  }, text);
  await paste(output("first"));
  await page.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Saved.");
  await holdRuns(page);
  const second = output("second");
  await paste(second);
  // Handed over to the run (the typing pause is over), its save held: the run's history holds
  // both outputs, before and after, more than a journal can keep whole.
  await page.waitForTimeout(1500);
  await page.reload();
  await counts(page, "1/3 ");
  await detailsOf(page, "Tag the build").click();
  assert.equal(await page.inputValue("#details textarea[data-edit=evidence]"), second);
  assert.deepEqual(errors, []);
  await context.close();
});

/** From now on the page's storage refuses every write of a run, as a full disk does. */
const refuseRunWrites = (page) => page.evaluate(() => {
  const put = IDBObjectStore.prototype.put;
  window.runWritesRefused = true;
  IDBObjectStore.prototype.put = function (...args) {
    if (window.runWritesRefused && this.name === "runs") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    return put.apply(this, args);
  };
});

/** Space again: the page's storage takes runs' writes once more. */
const allowRunWrites = (page) => page.evaluate(() => { window.runWritesRefused = false; });

test("a checklist first imported while storage was full, its tab closed, comes back with its work when imported again", async () => {
  const { context, page, errors } = await fresh();
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (["runs", "templates"].includes(this.name)) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return put.apply(this, args);
    };
  });
  await page.setInputFiles("#file", { name: "release.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await counts(page, "0/3 ");
  for (const name of ["Tag the build", "Freeze merges"]) await page.getByRole("checkbox", { name, exact: true }).click();
  await page.waitForSelector("#notice >> text=Browser storage is full");
  await page.close(); // no leave prompt: a phone discards a hidden tab without one
  const next = await context.newPage();
  await next.goto(base);
  await next.waitForSelector("#verdict");
  await next.setInputFiles("#file", { name: "release.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await counts(next, "2/3 ");
  assert.deepEqual(errors, []);
  await context.close();
});

test("with storage full, a note already handed over and a tick come back after the tab is closed", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  await refuseRunWrites(page);
  await detailsOf(page, "Notify the team").click();
  await page.keyboard.type("paused after typing");
  await page.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Saved." || /storage is full/.test(document.querySelector("#notice")?.textContent));
  await page.getByRole("checkbox", { name: "Freeze merges", exact: true }).click();
  await page.waitForSelector("#notice >> text=Browser storage is full");
  await page.close(); // no leave prompt: a phone discards a hidden tab without one
  const next = await context.newPage();
  await next.goto(base);
  await counts(next, "2/3 ");
  await detailsOf(next, "Notify the team").click();
  assert.equal(await next.locator("#details textarea[data-edit=note]").inputValue(), "paused after typing");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the details panel's \"Not saved\" gives way to \"Saved.\" once a later save stores the run", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  await refuseRunWrites(page);
  await detailsOf(page, "Notify the team").click();
  await page.keyboard.type("waiting on space");
  await page.keyboard.press("Tab");
  await page.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Not saved: see the message above.");
  await allowRunWrites(page);
  await page.click("#save-retry");
  await page.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Saved.");
  assert.deepEqual(errors, []);
  await context.close();
});

test("with storage full, a tick and a note on a run too large to journal whole come back after the tab is closed", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  // Command output pasted as evidence, then replaced: the history keeps the text before and
  // after each edit, so the run passes what the journal (localStorage) takes whole.
  const output = (tag) => Array.from({ length: 16000 }, (_, i) => `${tag} ${i} pod/checkout-api-${i} Ready 1/1 Running`).join("\n");
  await detailsOf(page, "Tag the build").click();
  for (const tag of ["first", "second"]) {
    // Pasted: as one input event (typing 700 KB into the box would take minutes).
    await page.evaluate((text) => {
      const area = document.querySelector("#details textarea[data-edit=evidence]");
      area.focus();
      area.value = text;
      area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
    }, output(tag));
    await page.keyboard.press("Tab");
    await page.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Saved.");
  }
  await page.keyboard.press("Escape");
  const [[, stored]] = await dump(page, "runs");
  assert.ok(stored.length > 2 * 1024 * 1024, `the stored run is ${stored.length} chars`);
  await refuseRunWrites(page);
  await page.getByRole("checkbox", { name: "Freeze merges", exact: true }).click();
  await page.waitForSelector("#notice >> text=Browser storage is full");
  await detailsOf(page, "Notify the team").click();
  await page.keyboard.type("agreed with Dana");
  await page.keyboard.press("Tab");
  await page.close();
  const next = await context.newPage();
  await next.goto(base);
  await counts(next, "2/3 ");
  await detailsOf(next, "Notify the team").click();
  assert.equal(await next.locator("#details textarea[data-edit=note]").inputValue(), "agreed with Dana");
  assert.deepEqual(errors, []);
  await context.close();
});

test("two tabs opened together on a first visit work in one sample run: a reload shows both tabs' ticks", async () => {
  const { context, page, errors } = await fresh();
  const other = await context.newPage();
  other.on("pageerror", (e) => errors.push(e.message));
  await other.goto(base);
  await other.waitForSelector("#verdict");
  for (const p of [page, other]) if (await p.isVisible("#welcome-sample")) await p.click("#welcome-sample");
  const total = (await page.textContent("#counts")).split("/")[1].split(" ")[0];
  const boxes = (p) => p.locator("li.item > .row input[type=checkbox]");
  await boxes(page).nth(0).click();
  await counts(page, `1/${total} `);
  await boxes(other).nth(1).click();
  // Each tab's save merges what the other stored: the second holds both ticks.
  await counts(other, `2/${total} `);
  await page.reload();
  await counts(page, `2/${total} `);
  await page.click("#library-button");
  await page.waitForSelector("#library .runs li");
  assert.equal(await page.locator("#library .runs li").count(), 1, "one run of the sample, not one per tab");
  assert.deepEqual(errors, []);
  await context.close();
});

test("what was typed in a run whose id holds spaces (a run file's) comes back too", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  // A run file can name its run anything: this one's id has spaces, as a hand-made file's might.
  const [[, stored]] = await dump(page, "runs");
  const run = { ...JSON.parse(stored), id: "release run 2", name: "Release run 2" };
  await page.click("#library-button");
  await page.setInputFiles("#library input[type=file] >> nth=0", { name: "release-run.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(run)) });
  await page.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 2);
  await page.locator("#library .runs li", { hasText: "Release run 2" }).getByRole("button", { name: "Open" }).click();
  await page.waitForSelector("#library", { state: "hidden" });
  await detailsOf(page, "Notify the team").click();
  await page.keyboard.type("asked twice");
  await page.getByRole("textbox", { name: "QA Lead: name" }).fill("Quinn Okafor");
  await page.reload();
  await counts(page, "1/3 ");
  await page.click("#library-button");
  await page.waitForSelector("#library .runs li.current >> text=Release run 2");
  await page.click("#library-button");
  assert.equal(await page.getByRole("textbox", { name: "QA Lead: name" }).inputValue(), "Quinn Okafor");
  await detailsOf(page, "Notify the team").click();
  assert.equal(await page.locator("#details textarea[data-edit=note]").inputValue(), "asked twice");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a journal is believed only where it is what the app writes, and never over a later change", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  const id = await page.evaluate(() => document.querySelector("li.item .details-button").id.replace("details-btn-", ""));
  await detailsOf(page, "Tag the build").click();
  await page.keyboard.type("tagged v2");
  await page.keyboard.press("Tab");
  await page.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Saved.");
  const runId = await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open("preflight/app");
    open.onsuccess = () => { const t = open.result.transaction("meta"); const r = t.objectStore("meta").get("last"); t.oncomplete = () => { open.result.close(); resolve(JSON.parse(r.result).run); }; };
  }));
  assert.equal(typeof runId, "string", `the last run's id: ${runId}`);
  // A run's copy is believed only as the engine reads a stored run: of this checklist, this run.
  const [[, stored]] = await dump(page, "runs");
  const mine = JSON.parse(stored), sha = mine.templateSha256;
  const renamed = (over) => JSON.stringify({ ...mine, name: "Planted", renamedAt: "2999-01-01T00:00:00Z", ...over });
  const runs = [
    { run: runId, kind: "run", id: runId, value: renamed() }, // no checklist named
    { sha, run: runId, kind: "run", id: "another", value: renamed() },
    { sha, run: runId, kind: "run", id: runId, value: "{not a run" },
    { sha, run: runId, kind: "run", id: runId, value: renamed({ templateSha256: "0".repeat(64) }) },
    { sha, run: runId, kind: "run", id: runId, value: renamed({ id: "another" }) },
  ];
  await page.evaluate(([runId, id, runs]) => {
    localStorage.setItem("preflight-journal/app/old-1", JSON.stringify({ v: 1, at: "2020-01-01T00:00:00Z", entries: [{ run: runId, kind: "note", id, value: "typed before the later change" }] }));
    // An entry's own time is never taken past its journal's (yesterday's, before the note above).
    localStorage.setItem("preflight-journal/app/future-1", JSON.stringify({ v: 1, at: new Date(Date.now() - 864e5).toISOString(), entries: [{ run: runId, kind: "note", id, value: "dated in the future", at: "2999-01-01T00:00:00Z" }] }));
    localStorage.setItem("preflight-journal/app/bad-1", "{not json");
    localStorage.setItem("preflight-journal/app/bad-2", JSON.stringify({ v: 1, at: new Date().toISOString(), entries: [{ run: runId, kind: "script", id, value: "<img src=x onerror=alert(1)>" }, { run: runId, kind: "note", id, value: 42 }, ...runs] }));
  }, [runId, id, runs]);
  await page.reload();
  await counts(page, "1/3 ");
  assert.equal(JSON.parse((await dump(page, "runs"))[0][1]).name, mine.name, "no planted copy of the run was merged");
  await detailsOf(page, "Tag the build").click();
  assert.equal(await page.locator("#details textarea[data-edit=note]").inputValue(), "tagged v2", "the later change stands");
  const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("preflight-journal/")));
  assert.deepEqual(left, [], "read journals are removed, damaged ones too");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a note typed on the sample and the page reloaded at once comes back, and the run is kept", async () => {
  const { context, page, errors } = await fresh();
  await detailsOf(page, "Migrations applied").click();
  await page.keyboard.type("ran at 14:02, 3 migrations");
  await page.reload(); // before the typing pause ends: the sample's first save never ran
  await page.waitForSelector("#verdict");
  await detailsOf(page, "Migrations applied").click();
  assert.equal(await page.locator("#details textarea[data-edit=note]").inputValue(), "ran at 14:02, 3 migrations");
  let runs = [];
  for (let i = 0; i < 50 && !runs.length; i++) { await page.waitForTimeout(100); runs = await dump(page, "runs"); }
  assert.equal(runs.length, 1);
  assert.match(runs[0][1], /ran at 14:02, 3 migrations/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a reason half typed into the N/A dialog and the page reloaded is asked again with it, for its item", async () => {
  const { context, page, errors } = await fresh();
  // The sample is kept from its first change.
  await page.getByRole("checkbox", { name: "Release branch release/2.4.0 cut from main and CI green", exact: true }).check();
  await counts(page, "1/10");
  const row = page.locator("li.item", { hasText: "Customer support briefed" });
  await row.getByRole("button", { name: "N/A" }).click();
  assert.equal(await page.textContent("#reason-item"), "Customer support briefed (if user-facing changes)", "the dialog names its item");
  await page.fill("#reason-text", "no user-facing change in 2.4");
  await page.reload();
  await page.waitForSelector("#reason-dialog[open]");
  assert.equal(await page.inputValue("#reason-text"), "no user-facing change in 2.4");
  assert.equal(await page.textContent("#reason-label"), "Why does this not apply?");
  assert.equal(await page.textContent("#reason-item"), "Customer support briefed (if user-facing changes)");
  await page.click("#reason-dialog button[value=ok]");
  await page.waitForSelector("text=N/A: no user-facing change in 2.4");
  // Answered: the next reload asks nothing, and the reason is the run's.
  await page.reload();
  await page.waitForSelector("text=N/A: no user-facing change in 2.4");
  assert.equal(await page.locator("#reason-dialog[open]").count(), 0);
  // Cancelled, or nothing typed: nothing is asked again.
  await page.locator("li.item", { hasText: "Maintenance banner removed" }).getByRole("button", { name: "Blocked" }).click();
  await page.waitForSelector("#reason-dialog[open]");
  await page.reload();
  await page.waitForSelector("#verdict");
  await page.waitForTimeout(300);
  assert.equal(await page.locator("#reason-dialog[open]").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Drop a Markdown file on the page, as from a file manager: nothing on the page is clicked. */
const drop = (page, name, text) => page.evaluate(([name, text]) => {
  const data = new DataTransfer();
  data.items.add(new File([text], name, { type: "text/markdown" }));
  document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
}, [name, text]);

test("a checklist dropped while a note or a field is being typed: the text is stored with the run it was typed in", async () => {
  const { context, page, errors } = await fresh();
  const OTHER = "# Other release\n\n- [ ] Other thing\n";
  await page.setInputFiles("#file", { name: "release.md", mimeType: "text/markdown", buffer: Buffer.from(WITH_FIELD) });
  await counts(page, "0/3 ");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/3 ");
  const [[key]] = await dump(page, "runs");
  const stored = async () => JSON.parse(Object.fromEntries(await dump(page, "runs"))[key]);
  const id = await page.evaluate(() => document.querySelector("li.item .details-button").id.replace("details-btn-", ""));
  const backToRelease = async () => {
    await page.click("#library-button");
    await page.locator("#library .template", { hasText: "Release checklist" }).getByRole("button", { name: "Open" }).first().click();
    await counts(page, "1/3 ");
  };
  // A note within its typing pause.
  await detailsOf(page, "Tag the build").click();
  await page.keyboard.type("tagged v2.4.1");
  await drop(page, "other.md", OTHER);
  await page.waitForSelector("h1 >> text=Other release");
  for (let i = 0; i < 50 && (await stored()).items[id]?.note !== "tagged v2.4.1"; i++) await page.waitForTimeout(100);
  assert.equal((await stored()).items[id]?.note, "tagged v2.4.1", "the note is stored with its run");
  // A field not yet left.
  await backToRelease();
  await page.locator(".field input").first().click();
  await page.keyboard.type("2.4.1-rc3");
  await drop(page, "other.md", OTHER);
  await page.waitForSelector("h1 >> text=Other release");
  const field = async () => Object.values((await stored()).fields ?? {})[0]?.value;
  for (let i = 0; i < 50 && (await field()) !== "2.4.1-rc3"; i++) await page.waitForTimeout(100);
  assert.equal(await field(), "2.4.1-rc3", "the field is stored with its run");
  await backToRelease();
  assert.equal(await page.locator(".field input").first().inputValue(), "2.4.1-rc3");
  assert.deepEqual(errors, []);
  await context.close();
});

test("text being composed with an input method is not broken by another tab's change", async () => {
  const { context, page, errors } = await fresh();
  const other = await secondTab(context, page, WITH_FIELD);
  const cdp = await context.newCDPSession(page);
  await page.locator(".field input").first().click();
  await page.keyboard.type("b-");
  for (const s of ["に", "にひ", "にひゃ", "にひゃく"]) await cdp.send("Input.imeSetComposition", { text: s, selectionStart: s.length, selectionEnd: s.length });
  // Another tab ticks while the composition is open: its change reaches this page meanwhile.
  await other.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await counts(other, "2/3 ");
  await page.waitForTimeout(800);
  await cdp.send("Input.insertText", { text: "二百" });
  assert.equal(await page.locator(".field input").first().inputValue(), "b-二百");
  await counts(page, "2/3 "); // the other tab's tick, drawn once the composition ended
  await page.keyboard.press("Tab");
  const field = async () => Object.values(JSON.parse((await dump(page, "runs"))[0][1]).fields ?? {})[0]?.value;
  for (let i = 0; i < 50 && (await field()) !== "b-二百"; i++) await page.waitForTimeout(100);
  assert.equal(await field(), "b-二百");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a signature replaced by another tab's is not replaced silently", async () => {
  const { context, page, errors } = await fresh();
  const other = await secondTab(context, page, CHECKLIST);
  await page.getByLabel("QA Lead: name").fill("Alice Approver");
  await page.locator("[id^=sign-s-]").first().click();
  await page.waitForSelector("[id^=unsign-]");
  // The other tab has Alice's signature; its user takes it back and signs as Bob.
  await other.waitForSelector("[id^=unsign-]");
  await other.locator("[id^=unsign-]").first().click();
  await other.getByLabel("QA Lead: name").fill("Bob Builder");
  await other.locator("[id^=sign-s-]").first().click();
  await other.waitForSelector("[id^=unsign-]");
  await page.waitForSelector("#notice >> text=was signed by Bob Builder");
  assert.equal(await page.getByLabel("QA Lead: name").inputValue(), "Bob Builder");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a field typed and never left does not stand, after a reload, over what another tab saved since", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "release.md", mimeType: "text/markdown", buffer: Buffer.from(WITH_FIELD) });
  await counts(page, "0/3 ");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/3 ");
  // Typed and not left (no change event): set as typing sets it, without focus, so that the
  // other tab taking focus does not blur it and hand it over.
  await page.locator(".field input").first().evaluate((input) => { input.value = "typed first"; input.dispatchEvent(new Event("input", { bubbles: true })); });
  const other = await context.newPage();
  await other.goto(base);
  await counts(other, "1/3 ");
  await other.locator(".field input").first().fill("saved later");
  await other.keyboard.press("Enter");
  const field = async () => Object.values(JSON.parse((await dump(page, "runs"))[0][1]).fields ?? {})[0]?.value;
  for (let i = 0; i < 50 && (await field()) !== "saved later"; i++) await page.waitForTimeout(100);
  assert.equal(await field(), "saved later");
  await other.close();
  await page.reload(); // the field is journaled with when it was typed, before the other tab's save
  await counts(page, "1/3 ");
  assert.equal(await page.locator(".field input").first().inputValue(), "saved later");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a note typed here and replaced by another tab's later note is not replaced silently: Keep mine puts it back", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  const other = await context.newPage();
  await other.goto(base);
  await counts(other, "1/3 ");
  const note = (p) => p.locator("#details textarea[data-edit=note]");
  await detailsOf(page, "Notify the team").click();
  await page.keyboard.type("sent to #release");
  await page.keyboard.press("Tab");
  await page.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Saved.");
  await detailsOf(other, "Notify the team").click();
  await note(other).fill("sent by email instead");
  await other.keyboard.press("Tab");
  await page.waitForSelector("#notice >> text=Another tab or window changed the note on “Notify the team” after you did");
  assert.equal(await note(page).inputValue(), "sent by email instead", "the later text stands, and shows");
  await page.click("#keep-mine");
  await page.waitForFunction(() => document.querySelector("#details textarea[data-edit=note]")?.value === "sent to #release");
  const stored = async () => Object.values(JSON.parse((await dump(page, "runs"))[0][1]).items).map((i) => i.note).filter(Boolean);
  for (let i = 0; i < 50 && !(await stored()).includes("sent to #release"); i++) await page.waitForTimeout(100);
  assert.deepEqual(await stored(), ["sent to #release"]);
  // The other tab is told in its turn, and nothing was lost: both texts are in the history.
  await other.waitForSelector("#notice >> text=Another tab or window changed the note");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a field filled here and replaced by another tab's later value is not replaced silently either", async () => {
  const { context, page, errors } = await fresh();
  const other = await secondTab(context, page, WITH_FIELD);
  await page.locator(".field input").first().fill("2.4.1");
  await page.keyboard.press("Enter");
  await other.waitForFunction(() => document.querySelector(".field input")?.value === "2.4.1");
  await other.locator(".field input").first().fill("2.4.2");
  await other.keyboard.press("Enter");
  await page.waitForSelector("#notice >> text=Another tab or window changed “Build number” after you did");
  await page.click("#keep-mine");
  await page.waitForFunction(() => document.querySelector(".field input")?.value === "2.4.1");
  await other.waitForFunction(() => document.querySelector(".field input")?.value === "2.4.1");
  assert.deepEqual(errors, []);
  await context.close();
});

test("another tab's later note is told of too when it arrives by this tab's own save, and a tab's own journaled text is not", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "release.md", mimeType: "text/markdown", buffer: Buffer.from(WITH_FIELD) });
  await counts(page, "0/3 ");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/3 ");
  // A tab that never announces its saves: this one learns of them only as its own save merges.
  const quiet = await context.newPage();
  await quiet.addInitScript(() => { BroadcastChannel.prototype.postMessage = () => {}; });
  await quiet.goto(base);
  await counts(quiet, "1/3 ");
  const note = (p) => p.locator("#details textarea[data-edit=note]");
  await detailsOf(page, "Notify the team").click();
  await note(page).fill("sent to #release");
  await page.keyboard.press("Tab");
  await page.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Saved.");
  await detailsOf(quiet, "Notify the team").click();
  await note(quiet).fill("sent by email instead");
  await quiet.keyboard.press("Tab");
  await quiet.waitForFunction(() => document.querySelector("#details-saved")?.textContent === "Saved.");
  await quiet.close();
  await page.getByRole("checkbox", { name: "Freeze merges", exact: true }).click(); // its save merges
  await page.waitForSelector("#notice >> text=Another tab or window changed the note on “Notify the team” after you did");
  await page.click("#keep-mine");
  await page.waitForSelector("#notice", { state: "hidden" });
  // The field, filled here, then typed on and not yet left: a tab that takes this page's journal
  // (as after a crash) stores that text. It is this page's own, so nothing is said.
  const field = page.locator(".field input").first();
  await field.fill("2.4.1");
  await page.keyboard.press("Enter");
  await field.evaluate((input) => { input.value = "2.4.1-rc2"; input.dispatchEvent(new Event("input", { bubbles: true })); });
  const fieldId = (await field.getAttribute("id")).replace("field-", "");
  const run = JSON.parse((await dump(page, "runs"))[0][1]);
  await page.evaluate(([fieldId, run, sha]) => localStorage.setItem("preflight-journal/app/crashed", JSON.stringify({ v: 1, at: new Date().toISOString(), entries: [{ sha, run, kind: "field", id: fieldId, value: "2.4.1-rc2" }] })), [fieldId, run.id, run.templateSha256]);
  await page.evaluate(() => { document.querySelector("#view li.item").dataset.before = "1"; });
  const other = await context.newPage();
  await other.goto(base);
  await other.waitForFunction(() => document.querySelector(".field input")?.value === "2.4.1-rc2");
  await page.waitForFunction(() => !document.querySelector("#view li.item[data-before]")); // merged here
  assert.ok(!(await page.isVisible("#notice")) || !/Another tab/.test(await page.textContent("#notice")), "nothing said");
  assert.equal(await field.inputValue(), "2.4.1-rc2");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a reload reopens this tab's run after another tab opened and worked on another run", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page); // tab A's run: 1/3
  const other = await context.newPage();
  await other.goto(base);
  await counts(other, "1/3 ");
  await other.click("#library-button");
  await other.click("#library >> text=New run");
  await other.waitForSelector("#library", { state: "hidden" });
  await other.getByRole("checkbox", { name: "Freeze merges", exact: true }).click();
  await counts(other, "1/3 "); // tab B's new run
  await page.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await counts(page, "2/3 ");
  await page.waitForTimeout(300);
  await page.reload();
  await counts(page, "2/3 ");
  // The next visit opens the run worked on last, in whichever tab.
  const next = await context.newPage();
  await next.goto(base);
  await counts(next, "2/3 ");
  assert.deepEqual(errors, []);
  await context.close();
});

test("importing the open checklist again stays on the open run, not the run changed last", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page); // the first run: 1/3
  await page.click("#library-button");
  await page.click("#library >> text=New run");
  await page.waitForSelector("#library", { state: "hidden" });
  await counts(page, "0/3 ");
  for (const name of ["Notify the team", "Freeze merges"]) await page.getByRole("checkbox", { name, exact: true }).click();
  await counts(page, "2/3 "); // the second run, changed last
  await page.click("#library-button");
  await page.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 2);
  await page.locator("#library .runs li:not(.current)").getByRole("button", { name: "Open" }).click();
  await page.waitForSelector("#library", { state: "hidden" });
  await counts(page, "1/3 ");
  const openRun = () => page.evaluate(() => document.querySelector("#library .runs li.current .name")?.textContent);
  await page.click("#library-button");
  const first = await openRun();
  await page.click("#library-button");
  await page.evaluate(() => { document.querySelector("#view li.item").dataset.before = "1"; });
  await page.setInputFiles("#file", { name: "release.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await page.waitForFunction(() => !document.querySelector("#view li.item[data-before]")); // the import is drawn
  await counts(page, "1/3 ");
  await page.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await counts(page, "2/3 ");
  await page.click("#library-button");
  await page.waitForFunction(() => document.querySelectorAll("#library .runs li").length === 2);
  assert.equal(await openRun(), first, "the run that was open before the import");
  // Stored in that run: the other still has its own two ticks and no third.
  const runs = async () => (await dump(page, "runs")).map(([, v]) => JSON.parse(v));
  const done = (r) => Object.values(r.items).filter((i) => i.status === "done").length;
  for (let i = 0; i < 50 && !(await runs()).every((r) => done(r) === 2); i++) await page.waitForTimeout(100);
  assert.deepEqual((await runs()).map(done), [2, 2]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a note handed over as another checklist opens, its save refused, is kept and comes back", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  await refuseRunWrites(page);
  await detailsOf(page, "Notify the team").click();
  // Typed, and the drop in the same task: within the typing pause however busy the machine (a
  // save of the note refused before the drop would make the page ask before leaving).
  await page.evaluate((text) => {
    const note = /** @type {HTMLTextAreaElement} */ (document.querySelector("#details textarea[data-edit=note]"));
    note.value = "asked in #release";
    note.dispatchEvent(new Event("input", { bubbles: true }));
    const data = new DataTransfer();
    data.items.add(new File([text], "other.md", { type: "text/markdown" }));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, "# Other release\n\n- [ ] Other thing\n");
  await page.waitForSelector("h1 >> text=Other release");
  await page.close(); // storage refused both runs; the tab goes without a prompt
  const next = await context.newPage();
  await next.goto(base);
  await next.waitForSelector("#verdict");
  await next.click("#library-button");
  await next.locator("#library .template", { hasText: "Release checklist" }).getByRole("button", { name: "Open" }).first().click();
  await counts(next, "1/3 ");
  await detailsOf(next, "Notify the team").click();
  assert.equal(await next.locator("#details textarea[data-edit=note]").inputValue(), "asked in #release");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a journaled note comes back though its item was ticked later (in another tab): only a later note stands over it", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page); // "Tag the build" ticked now: the item's time is after the journal's
  const id = await page.evaluate(() => document.querySelector("li.item .details-button").id.replace("details-btn-", ""));
  const runId = await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open("preflight/app");
    open.onsuccess = () => { const t = open.result.transaction("meta"); const r = t.objectStore("meta").get("last"); t.oncomplete = () => { open.result.close(); resolve(JSON.parse(r.result).run); }; };
  }));
  await page.evaluate(([runId, id]) => {
    const at = new Date(Date.now() - 60_000).toISOString();
    localStorage.setItem("preflight-journal/app/closed-tab", JSON.stringify({ v: 1, at, entries: [{ run: runId, kind: "note", id, value: "typed in the tab that closed" }] }));
  }, [runId, id]);
  await page.reload();
  await counts(page, "1/3 ");
  await detailsOf(page, "Tag the build").click();
  assert.equal(await page.locator("#details textarea[data-edit=note]").inputValue(), "typed in the tab that closed");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a kept link opened again offline shows the kept copy's run, and says so", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const link = `${base}?src=${encodeURIComponent(`${base}real/CHECKLIST.md`)}`;
  await page.goto(link);
  await page.click("#keep-link");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/3 ");
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10000 });
  await context.setOffline(true);
  await page.goto(link);
  await counts(page, "1/3 ");
  // Said once the kept run is open, which the counts may show a moment before.
  await page.waitForSelector("#notice >> text=showing the copy kept in this browser");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a link's checklist kept from two tabs is one run: each tab's ticks are in it", async () => {
  const { context, page, errors } = await fresh();
  const link = `${base}?src=${encodeURIComponent(`${base}real/CHECKLIST.md`)}`;
  const second = await context.newPage();
  for (const p of [page, second]) { await p.goto(link); await p.waitForSelector("#keep-link"); }
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await page.click("#keep-link");
  await page.waitForSelector("#provenance:not(.unkept)");
  await second.getByRole("checkbox", { name: "Notify the team", exact: true }).click();
  await second.click("#keep-link");
  await second.waitForSelector("#provenance:not(.unkept)");
  await counts(second, "2/3 ");
  await page.reload();
  await counts(page, "2/3 ");
  await page.click("#library-button");
  await page.waitForSelector("#library .runs li");
  assert.equal(await page.locator("#library .runs li").count(), 1, "one run of the link's checklist");
  assert.deepEqual(errors, []);
  await context.close();
});

/** A link's checklist open in this tab and in a second one, which keeps it first. */
async function keptInAnotherTab(context, page) {
  const link = `${base}?src=${encodeURIComponent(`${base}real/CHECKLIST.md`)}`;
  const second = await context.newPage();
  for (const p of [page, second]) { await p.goto(link); await p.waitForSelector("#keep-link"); }
  await second.click("#keep-link");
  await second.waitForSelector("#provenance:not(.unkept)");
  return second;
}

test("a name typed in a sign-off stays when a link's checklist is kept into the run another tab kept", async () => {
  const { context, page, errors } = await fresh();
  await keptInAnotherTab(context, page);
  // Typed, not signed; then kept: this tab's run becomes the one the other tab kept.
  await page.getByRole("textbox", { name: "QA Lead: name" }).fill("Quinn Okafor");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await page.click("#keep-link");
  await page.waitForSelector("#provenance:not(.unkept)");
  assert.equal(await page.getByRole("textbox", { name: "QA Lead: name" }).inputValue(), "Quinn Okafor");
  await page.waitForTimeout(300);
  await page.reload();
  await counts(page, "1/3 ");
  assert.equal(await page.getByRole("textbox", { name: "QA Lead: name" }).inputValue(), "Quinn Okafor");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a link's checklist signed here and then kept stays its own run, so its signature still vouches for it", async () => {
  const { context, page, errors } = await fresh();
  await keptInAnotherTab(context, page);
  await page.getByRole("textbox", { name: "QA Lead: name" }).fill("Quinn Okafor");
  await page.locator(".signoff", { hasText: "QA Lead" }).getByRole("button", { name: "Sign", exact: true }).click();
  await page.waitForSelector('.signoff:has-text("QA Lead") button:text-is("Unsign")');
  await page.click("#keep-link");
  await page.waitForSelector("#provenance:not(.unkept)");
  // The signature names the run it was made in: merged into the other tab's run, it would be
  // one made elsewhere (shown stale, and failing verify).
  const signoff = page.locator(".signoff", { hasText: "QA Lead" });
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForSelector("#verdict");
  assert.match(await signoff.textContent(), /signed/);
  assert.doesNotMatch(await signoff.textContent(), /stale/);
  await page.click("#library-button");
  await page.waitForSelector("#library .runs li");
  assert.equal(await page.locator("#library .runs li").count(), 2, "the other tab's run and this one");
  assert.deepEqual(errors, []);
  await context.close();
});

test("leaving a link's checklist worked on and not kept asks first; once kept, it does not", async () => {
  const { context, page, errors } = await fresh();
  await page.goto(`${base}?src=${encodeURIComponent(`${base}real/CHECKLIST.md`)}`);
  await page.waitForSelector("#keep-link");
  const asked = [];
  page.on("dialog", (d) => { asked.push(d.type()); d.dismiss(); });
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  const dialog = page.waitForEvent("dialog"); // before closing: the dialog may come at once
  await page.close({ runBeforeUnload: true });
  await dialog;
  assert.deepEqual(asked, ["beforeunload"]);
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).waitFor();
  assert.equal(page.isClosed(), false, "dismissed: the page and its ticks stay");
  assert.equal(await page.getByRole("checkbox", { name: "Tag the build", exact: true }).isChecked(), true);
  await page.click("#keep-link");
  // Not a text match: the unkept line says "Nothing of it is kept in this browser" too.
  await page.waitForSelector("#provenance:not(.unkept)");
  // Whichever comes first (both waits start before closing: either may come at once).
  const outcome = Promise.race([page.waitForEvent("close").then(() => "closed"), page.waitForEvent("dialog").then(() => "asked")]);
  await page.close({ runBeforeUnload: true });
  assert.equal(await outcome, "closed", "kept: nothing asked");
  assert.deepEqual(asked, ["beforeunload"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a link plants nothing: its checklist shows where it came from and is kept, or carried from, only when the user says so", async () => {
  const { context, page, errors } = await fresh();
  await page.goto(`${base}?src=${encodeURIComponent(`${base}planted/CHECKLIST.md`)}`);
  await page.waitForSelector("#provenance.unkept");
  const host = new URL(base).host;
  assert.match(await page.textContent("#provenance"), new RegExp(`From a link: ${host.replace(/\./g, "\\.")}/planted/CHECKLIST\\.md`));
  assert.deepEqual(await dump(page, "templates"), [], "nothing from the link is stored");
  assert.deepEqual(await dump(page, "runs"), []);
  // The team's real checklist, imported: nothing is carried from the planted copy.
  await page.setInputFiles("#file", { name: "CHECKLIST.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await counts(page, "0/3 ");
  assert.equal(await page.locator("#carry-over").count(), 0);
  assert.equal(await page.locator("#provenance").count(), 0, "a local file has no provenance line");
  // Kept on purpose, a link's checklist still never feeds a local one's run.
  await page.goto(`${base}?src=${encodeURIComponent(`${base}planted/CHECKLIST.md`)}`);
  await page.click("#keep-link");
  await page.waitForSelector("#provenance:not(.unkept)");
  assert.equal((await dump(page, "templates")).length, 2);
  const kept = JSON.parse((await dump(page, "templates")).find(([, v]) => v.includes("trust me"))[1]);
  assert.deepEqual(kept.origin, { kind: "link", url: `${base}planted/CHECKLIST.md` });
  const edited = CHECKLIST.replace("Notify the team", "Notify everyone");
  await page.setInputFiles("#file", { name: "CHECKLIST.md", mimeType: "text/markdown", buffer: Buffer.from(edited) });
  await counts(page, "0/3 ");
  await page.waitForTimeout(300);
  assert.equal(await page.locator("#carry-over").count(), 0, "no carry-over from another source");
  // The library says where the kept link came from.
  await page.click("#library-button");
  await page.waitForSelector(`#library >> text=from ${host}/planted/CHECKLIST.md`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a kept checklist's info record is believed only where it says what the checklist is", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "CHECKLIST.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await counts(page, "0/3 ");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/3 ");
  // Kept with the checklist: what the library shows of it, so an import need not read it again.
  const record = async (title) => {
    await page.waitForFunction(async (title) => {
      const db = await new Promise((r) => { const o = indexedDB.open("preflight/app"); o.onsuccess = () => r(o.result); });
      const all = await new Promise((r) => { const q = db.transaction("meta").objectStore("meta").getAll(); q.onsuccess = () => r(q.result); });
      db.close();
      return all.some((v) => typeof v === "string" && v.includes(`"title":${JSON.stringify(title)}`));
    }, title, { timeout: 5000 });
    return (await dump(page, "meta")).filter(([k]) => k.startsWith("info/"));
  };
  const [[key, value]] = await record("Release checklist");
  const info = JSON.parse(value);
  assert.equal(info.name, "CHECKLIST.md");
  assert.equal(info.items, 3, "the three items (the sign-off line is a sign-off)");
  assert.equal(key, `info/${info.sha256}`);
  // Another checklist, worked on later, whose record is made to claim the first one's title and
  // file name: it is read before anything is carried from it, and the true earlier version wins.
  await page.setInputFiles("#file", { name: "other.md", mimeType: "text/markdown", buffer: Buffer.from("# Other work\n\n- [ ] Tag the build\n- [ ] Something else\n") });
  await counts(page, "0/2 ");
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/2 ");
  const [[otherKey, otherValue]] = (await record("Other work")).filter(([k]) => k !== key);
  const lie = otherValue.replace('"title":"Other work"', '"title":"Release checklist"');
  await plant(page, "meta", [[otherKey, lie]]);
  await page.setInputFiles("#file", { name: "CHECKLIST.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST.replace("Notify the team", "Notify everyone")) });
  await page.waitForSelector("#carry-over");
  assert.match(await page.textContent("#notice"), /earlier version of this checklist \(CHECKLIST\.md\).*1 entry of it matches/);
  // The planted record was found out when read, and made again from the text.
  assert.ok((await record("Other work")).some(([k, v]) => k === otherKey && v === otherValue));
  // A damaged record is no damage to the work: the library reads the text and shows the truth.
  await plant(page, "meta", [[key, "{not a record"]]);
  await page.click("#library-button");
  await page.waitForSelector("#library:not([hidden]) .template");
  assert.equal(await page.locator("#library .template", { hasText: "Release checklist" }).count(), 2, "both versions, by their own titles");
  assert.equal(await page.locator("#library .template", { hasText: "Other work" }).count(), 1);
  assert.ok((await record("Release checklist")).some(([k, v]) => k === key && v === value), "the damaged record was made again");
  assert.deepEqual((await dump(page, "quarantine")), [], "a record is derived, never kept aside");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the embed page's ?src= is a link too: shown with its source, nothing stored until kept", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}embed.html?ns=wiki&src=${encodeURIComponent(`${base}planted/CHECKLIST.md`)}`);
  const provenance = page.locator("preflight-checklist #provenance.unkept");
  await provenance.waitFor();
  assert.match(await provenance.textContent(), /planted\/CHECKLIST\.md/);
  await page.locator("preflight-checklist").getByRole("checkbox", { name: "Tag the build", exact: true }).uncheck();
  assert.deepEqual(await dump(page, "runs", "preflight/wiki"), []);
  await page.locator("preflight-checklist #keep-link").click();
  await page.waitForFunction(() => !document.querySelector("preflight-checklist").shadowRoot.querySelector("#provenance.unkept"));
  await page.waitForFunction(async () => {
    const open = await new Promise((r) => { const o = indexedDB.open("preflight/wiki"); o.onsuccess = () => r(o.result); });
    const n = await new Promise((r) => { const q = open.transaction("runs").objectStore("runs").count(); q.onsuccess = () => r(q.result); });
    open.close();
    return n === 1;
  });
  await context.close();
});

test("one damaged value locks nobody out: it is moved aside, announced, and can be downloaded", async () => {
  const { context, page, errors } = await fresh();
  await page.setInputFiles("#file", { name: "CHECKLIST.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).check();
  await page.waitForFunction(() => document.querySelector("#notice").hidden);
  const [[runKey, runValue]] = await dump(page, "runs");
  const [sha] = runKey.split("/");
  const other = "0".repeat(64);
  await plant(page, "meta", [["last", "{not json"]]);
  await plant(page, "runs", [[`${sha}/object`, { id: "object" }], [`${sha}/number`, 42], [`${other}/moved`, runValue]]);
  await plant(page, "templates", [[other, (await dump(page, "templates"))[0][1]]]);
  await page.reload();
  await page.waitForSelector("#verdict");
  await page.click("#library-button");
  await page.waitForSelector("#quarantine");
  // The real run is still there and opens with its tick.
  await page.locator("#library .runs li").first().getByRole("button", { name: "Open" }).click();
  await counts(page, "1/3 ");
  const aside = await dump(page, "quarantine");
  const keys = aside.map(([k]) => k).join(" ");
  for (const damaged of [`runs/${sha}/object`, `runs/${sha}/number`, `runs/${other}/moved`, `templates/${other}`, "meta/last"]) assert.ok(keys.includes(damaged), `${damaged} kept aside: ${keys}`);
  assert.ok(aside.every(([, v]) => v.reason), "each says why");
  // The run stored under another checklist's key is not a second copy of the run any more.
  assert.deepEqual((await dump(page, "runs")).map(([k]) => k), [runKey]);
  await page.click("#library-button");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#quarantine-download")]);
  const file = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.ok(file.some((q) => q.raw === 42), "the damaged values themselves are in the download");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the app starts whatever the pointer to the last run holds, and after damage says what it kept aside", async () => {
  const { context, page, errors } = await fresh();
  await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  await page.waitForFunction(() => document.querySelector("#notice").hidden);
  const [[key]] = await dump(page, "runs");
  await plant(page, "runs", [[key, "{\"schema\": \"preflight.run/1\", broken"]]);
  await page.reload();
  await page.waitForSelector("#verdict");
  await page.waitForSelector("#notice:not([hidden])");
  assert.match(await page.textContent("#notice"), /damaged.*kept aside/);
  assert.equal((await dump(page, "quarantine")).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the name given in a who-dialog is kept in the store, offered again after a reload, and checked when read", async () => {
  const { context, page, errors } = await fresh();
  await page.locator("section.stage.contingency").getByRole("button", { name: "Start rollback" }).click();
  await page.waitForSelector("#action-dialog[open]");
  assert.equal(await page.inputValue("#ask-who"), "", "nobody yet");
  await page.fill("#ask-who", "Dana Whitfield");
  await page.fill("#ask-why", "error rate above 2%");
  await page.click("#action-ok");
  await page.waitForSelector("#action-dialog", { state: "detached" });
  await page.waitForFunction(() => document.querySelector("#notice").hidden);
  assert.deepEqual((await dump(page, "meta")).filter(([k]) => k === "who"), [["who", "Dana Whitfield"]]);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith("/who"))), [], "no key outside the store");
  await page.reload();
  await page.waitForSelector("#verdict");
  await page.click("#close-run");
  await page.waitForSelector("#action-dialog[open]");
  assert.equal(await page.inputValue("#ask-who"), "Dana Whitfield", "offered again");
  await page.click("#action-dialog .cancel");
  // A stored "name" that is no name (control characters) is kept aside, not offered.
  await plant(page, "meta", [["who", "Dana\u001b[2J"]]);
  await page.reload();
  await page.waitForSelector("#verdict");
  await page.click("#close-run");
  await page.waitForSelector("#action-dialog[open]");
  assert.equal(await page.inputValue("#ask-who"), "");
  assert.ok((await dump(page, "quarantine")).some(([k]) => k.startsWith("meta/who")), "kept aside");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a checklist imported while storage is full is stored with its first saved change", async () => {
  const { context, page } = await fresh();
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (window.__full) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return put.apply(this, args);
    };
    window.__full = true;
  });
  await page.setInputFiles("#file", { name: "CHECKLIST.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await page.waitForSelector("#notice:not([hidden])");
  assert.match(await page.textContent("#notice"), /storage is full/);
  assert.deepEqual(await dump(page, "templates"), []);
  await page.evaluate(() => { window.__full = false; });
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).check();
  await page.waitForFunction(() => document.querySelector("#notice").hidden);
  await page.reload();
  await counts(page, "1/3 ");
  await page.click("#library-button");
  await page.waitForSelector("#library >> text=CHECKLIST.md");
  await context.close();
});

test("what localStorage held is migrated into IndexedDB without losing anything, damaged values kept aside", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Values as the localStorage version of Preflight wrote them.
  await page.goto(`${base}race.md`);
  const { sha, template, run } = await page.evaluate(async ([text, base]) => {
    const { ready, Checklist, Stored } = await import(`${base}engine.js`);
    await ready();
    const c = Checklist.parse(text);
    const r = c.newRun("old-run", "Old run", "2026-11-01T10:00:00Z");
    r.setStatus(c, c.model().items[0].id, "done", undefined, "Ann", "2026-11-01T10:05:00Z");
    return { sha: c.sourceSha256, template: Stored.templateValue(c, "CHECKLIST.md", "2026-11-01T10:00:00Z"), run: r.toJson() };
  }, [CHECKLIST, base]);
  await page.evaluate(([sha, template, run]) => {
    localStorage.setItem(`preflight/1/app/template/${sha}`, template);
    localStorage.setItem(`preflight/1/app/run/${sha}/old-run`, run);
    localStorage.setItem(`preflight/1/app/run/${sha}/broken`, "{oops");
    localStorage.setItem("preflight/1/app/last", JSON.stringify({ sha, run: "old-run" }));
    localStorage.setItem(`preflight:${sha}:preview-run`, JSON.stringify({ id: "preview-run", name: "Preview", template: sha, created: "2026-10-01T00:00:00Z", items: {} }));
  }, [sha, template, run]);
  await page.goto(base);
  await counts(page, "1/3 ");
  assert.match(await page.textContent(".summary .muted"), /Old run/);
  assert.deepEqual((await dump(page, "runs")).map(([k]) => k).sort(), [`${sha}/old-run`, `${sha}/preview-run`]);
  assert.equal((await dump(page, "quarantine")).length, 1);
  assert.ok(await page.evaluate((sha) => localStorage.getItem(`preflight/1/app/run/${sha}/old-run`) !== null, sha), "originals stay");
  await context.close();
});

test("a migration that finds a damaged copy of a run in IndexedDB keeps that copy aside before writing its own", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}race.md`);
  const { sha, template, run, theirs } = await page.evaluate(async ([text, base]) => {
    const { ready, Checklist, Stored } = await import(`${base}engine.js`);
    const { Store } = await import(`${base}store.js`);
    await ready();
    const c = Checklist.parse(text);
    const r = c.newRun("old-run", "Old run", "2026-11-01T10:00:00Z");
    r.setStatus(c, c.model().items[0].id, "done", undefined, "Ann", "2026-11-01T10:05:00Z");
    // An IndexedDB that holds a damaged copy of the run, a correction, and, by some mishap, no
    // migration mark.
    const store = await Store.open("app");
    const ids = c.model().items.map((i) => i.id);
    await new Promise((resolve, reject) => {
      const t = store.db.transaction(["runs", "meta", "corrections"], "readwrite");
      t.objectStore("runs").put("{damaged", `${c.sourceSha256}/old-run`);
      t.objectStore("corrections").put(Stored.correctionsValue([{ id: ids[1], what: "critical", value: "true", line: 0 }]), c.sourceSha256);
      t.objectStore("meta").delete("migrated");
      t.oncomplete = resolve; t.onabort = () => reject(t.error);
    });
    store.db.close();
    const theirs = Stored.correctionsValue([{ id: ids[2], what: "critical", value: "true", line: 0 }]);
    return { sha: c.sourceSha256, template: Stored.templateValue(c, "CHECKLIST.md", "2026-11-01T10:00:00Z"), run: r.toJson(), theirs };
  }, [CHECKLIST, base]);
  await page.evaluate(([sha, template, run, theirs]) => {
    localStorage.setItem(`preflight/1/app/template/${sha}`, template);
    localStorage.setItem(`preflight/1/app/run/${sha}/old-run`, run);
    localStorage.setItem(`preflight/1/app/corrections/${sha}`, theirs);
    localStorage.setItem("preflight/1/app/last", JSON.stringify({ sha, run: "old-run" }));
  }, [sha, template, run, theirs]);
  await page.goto(base);
  await counts(page, "1/3 ");
  const aside = await dump(page, "quarantine");
  assert.equal(aside.length, 1);
  assert.equal(aside[0][1].raw, "{damaged", "the damaged copy is kept aside, not overwritten");
  const [[, kept]] = await dump(page, "corrections");
  assert.equal(JSON.parse(kept).corrections.length, 2, "the corrections in IndexedDB and those migrated, together");
  await context.close();
});

test("a backup of everything restores into another browser, merging with what is there", async () => {
  const { context, page } = await fresh();
  await page.setInputFiles("#file", { name: "CHECKLIST.md", mimeType: "text/markdown", buffer: Buffer.from(CHECKLIST) });
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).check();
  await page.waitForFunction(() => document.querySelector("#notice").hidden);
  await page.click("#library-button");
  assert.match(await page.textContent("#persistence"), /storage/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#backup")]);
  const backup = readFileSync(await download.path(), "utf8");
  assert.equal(JSON.parse(backup).schema, "preflight.backup/1");
  // Another browser, with its own tick on the same run: both survive the restore.
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(base);
  await second.waitForSelector("#verdict");
  await second.click("#library-button");
  await second.setInputFiles("#library input[type=file] >> nth=1", { name: "backup.json", mimeType: "application/json", buffer: Buffer.from(backup) });
  await second.waitForSelector("#notice >> text=Restored 1 checklist and 1 run");
  await second.locator("#library .runs li").first().getByRole("button", { name: "Open" }).click();
  await counts(second, "1/3 ");
  await second.getByRole("checkbox", { name: "Notify the team", exact: true }).check();
  await counts(second, "2/3 ");
  await second.click("#library-button");
  await second.setInputFiles("#library input[type=file] >> nth=1", { name: "backup.json", mimeType: "application/json", buffer: Buffer.from(backup) });
  await second.waitForSelector("#notice >> text=Restored");
  await second.reload();
  await counts(second, "2/3 ");
  // A file that is not a backup says so.
  await second.click("#library-button");
  await second.setInputFiles("#library input[type=file] >> nth=1", { name: "x.json", mimeType: "application/json", buffer: Buffer.from("{\"schema\":\"nope\"}") });
  await second.waitForSelector("#notice >> text=unsupported backup schema `nope`");
  await other.close();
  await context.close();
});

test("a backup that holds one run twice keeps both copies' changes, and counts the run once", async () => {
  const { context, page, errors } = await fresh();
  const out = JSON.parse(await page.evaluate(`(async () => {
    const { ready, Checklist } = await import("${base}engine.js");
    const { Store } = await import("${base}store.js");
    await ready();
    const store = await Store.open("twice");
    const checklist = Checklist.parse(${JSON.stringify(CHECKLIST)}), sha = checklist.sourceSha256;
    const ids = checklist.model().items.map((i) => i.id);
    const run = checklist.newRun("r1", "one", new Date().toISOString());
    run.setStatus(checklist, ids[0], "done", undefined, undefined, new Date().toISOString());
    await store.saveRun(run, { checklist, name: "release.md" });
    const later = new Date(Date.now() + 1000).toISOString();
    const copy = (n) => { const c = checklist.runFromJson(run.toJson()); c.setStatus(checklist, ids[n], "done", undefined, undefined, later); return c.toJson(); };
    const backup = JSON.parse(await store.backup());
    backup.runs = [{ sha256: sha, id: "r1", value: copy(1) }, { sha256: sha, id: "r1", value: copy(2) }];
    const counts = await store.restore(JSON.stringify(backup));
    const items = (await store.loadRun(sha, "r1")).toObject().items;
    return JSON.stringify({ runs: counts.runs, done: ids.filter((id) => items[id]?.status === "done").length });
  })()`));
  assert.deepEqual(out, { runs: 1, done: 3 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("an edited Markdown report gets a message, never an uncaught error, and is read with its checklist when that is kept", async () => {
  const { context, page, errors } = await fresh();
  await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-md")]);
  const report = readFileSync(await download.path(), "utf8");
  // Edited beyond ticking boxes: an item's words changed, a box ticked by hand, a line typed
  // under an item, a blank filled in.
  const edited = report.replace("Synthetic checkout test passing in every region", "Synthetic checkout test passing in every region we serve")
    .replace("- [ ] Rollout to 100% completed\n", "- [x] Rollout to 100% completed\n  canary held at 5% for an hour\n")
    .replace("Change ticket: _______________", "Change ticket: CHG-1234");
  assert.ok(edited.includes("canary held") && edited.includes("CHG-1234"));
  await page.setInputFiles("#file", { name: "report.md", mimeType: "text/markdown", buffer: Buffer.from(edited) });
  // The same run is here: what the report brings is shown, then merged, typed lines with it.
  await page.click("#merge-run");
  await page.waitForFunction(() => document.getElementById("stage-head-during")?.textContent.includes("2/4 items done"));
  const kept = async () => JSON.parse((await dump(page, "runs"))[0][1]);
  for (let i = 0; i < 50 && !Object.values((await kept()).fields || {}).some((f) => f.value === "CHG-1234"); i++) await page.waitForTimeout(100);
  const run = await kept();
  assert.ok(Object.values(run.fields).some((f) => f.value === "CHG-1234"), JSON.stringify(run.fields));
  assert.ok(Object.values(run.items).some((i) => i.note === "canary held at 5% for an hour"), JSON.stringify(run.items));
  // A line typed where a run has no place for it: refused with its line, nothing half-read.
  const outside = report.replace("## Readiness score\n", "## Readiness score\n\nDeployed by Sam.\n");
  await page.setInputFiles("#file", { name: "report.md", mimeType: "text/markdown", buffer: Buffer.from(outside) });
  await page.waitForSelector("#notice >> text=typed by hand outside any item");
  const line = outside.split("\n").indexOf("Deployed by Sam.") + 1;
  assert.match(await page.textContent("#notice"), new RegExp(`line ${line} of the report was typed by hand outside any item`));
  // In a browser without that checklist: a message that says what to do.
  const other = await browser.newContext();
  const second = await other.newPage();
  const errors2 = [];
  second.on("pageerror", (e) => errors2.push(e.message));
  await second.goto(base);
  await second.waitForSelector("#verdict");
  await second.setInputFiles("#file", { name: "report.md", mimeType: "text/markdown", buffer: Buffer.from(edited) });
  await second.waitForSelector("#notice:not([hidden])");
  assert.match(await second.textContent("#notice"), /Could not import report\.md: its text was changed beyond ticking boxes.*Import the checklist it was made from first, then the report/);
  assert.deepEqual([...errors, ...errors2], []);
  await other.close();
  await context.close();
});

test("a deletion is noted: a page's own save does not bring the run or its checklist back, the user's word does", async () => {
  const { context, page, errors } = await fresh();
  const out = JSON.parse(await page.evaluate(`(async () => {
    const { ready, Checklist } = await import("${base}engine.js");
    const { Store } = await import("${base}store.js");
    await ready();
    const store = await Store.open("deletions");
    const checklist = Checklist.parse(${JSON.stringify(CHECKLIST)}), sha = checklist.sourceSha256;
    const template = { checklist, name: "release.md" };
    const run = checklist.newRun("r1", "one", new Date().toISOString());
    const meta = () => new Promise((resolve) => {
      const t = store.db.transaction("meta").objectStore("meta").getAllKeys();
      t.onsuccess = () => resolve(t.result.map(String).filter((k) => k.startsWith("deleted/")).sort());
    });
    const out = {};
    await store.saveRun(run, template);
    await store.deleteRun(sha, "r1");
    out.noted = await meta();
    out.autosave = await store.saveRun(run, template, { revive: false });
    out.afterAutosave = Boolean(await store.loadRun(sha, "r1"));
    out.undo = await store.saveRun(run);
    out.afterUndo = Boolean(await store.loadRun(sha, "r1"));
    out.notedAfterUndo = await meta();
    // Notes older than 90 days go with the next deletion.
    await new Promise((resolve) => { const t = store.db.transaction("meta", "readwrite"); t.objectStore("meta").put("2000-01-01T00:00:00.000Z", "deleted/" + sha + "/ancient"); t.oncomplete = resolve; });
    const two = checklist.newRun("r2", "two", new Date().toISOString());
    await store.saveRun(two);
    await store.deleteTemplate(sha);
    out.notedAfterTemplate = await meta();
    out.afterTemplate = await store.saveRun(two, template, { revive: false });
    out.templateBack = Boolean(await store.templateInfo(sha));
    out.runsBack = (await store.runsOf(sha)).length;
    return JSON.stringify({ ...out, sha });
  })()`));
  const { sha } = out;
  assert.deepEqual(out.noted, [`deleted/${sha}/r1`]);
  const saved = ({ merged, deleted }) => ({ merged, deleted });
  assert.deepEqual(saved(out.autosave), { merged: false, deleted: true });
  assert.equal(out.afterAutosave, false, "a page's own save leaves it deleted");
  assert.deepEqual(saved(out.undo), { merged: false, deleted: false });
  assert.equal(out.undo.logged, 0, "a new run's history, stored whole");
  assert.equal(out.afterUndo, true, "the user's word brings it back");
  assert.deepEqual(out.notedAfterUndo, []);
  assert.deepEqual(out.notedAfterTemplate, [`deleted/${sha}/r1`, `deleted/${sha}/r2`], "every run of a forgotten checklist, the 90-day-old note gone");
  assert.deepEqual(saved(out.afterTemplate), { merged: false, deleted: true });
  assert.equal(out.templateBack, false, "nor its checklist");
  assert.equal(out.runsBack, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a run deleted here and then imported on purpose is kept again: from its JSON file and from a shared report", async () => {
  for (const kind of ["json", "report"]) {
    const { context, page, errors } = await openApp(browser, base, { acceptDownloads: true });
    await keptRun(page);
    const [download] = await Promise.all([page.waitForEvent("download"), kind === "json"
      ? page.click("#library-button").then(() => page.locator("#library .runs li").first().getByRole("button", { name: "Export JSON" }).click())
      : page.click("#share")]);
    const file = { name: download.suggestedFilename(), mimeType: kind === "json" ? "application/json" : "text/markdown", buffer: readFileSync(await download.path()) };
    if (!(await page.isVisible("#library"))) await page.click("#library-button");
    await page.locator("#library .runs li").first().getByRole("button", { name: "Delete" }).click();
    await page.waitForSelector("#undo");
    await page.setInputFiles(kind === "json" ? "#library input[type=file] >> nth=0" : "#file", file);
    await counts(page, "1/3 ");
    const doneRuns = async () => (await dump(page, "runs")).map(([, v]) => JSON.parse(v)).filter((r) => Object.values(r.items).some((i) => i.status === "done"));
    for (let i = 0; i < 50 && !(await doneRuns()).length; i++) await page.waitForTimeout(100);
    assert.equal((await doneRuns()).length, 1, `${kind}: the imported run is stored`);
    assert.doesNotMatch(await page.textContent("#notice"), /was deleted in another tab/);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("a run file whose run id storage cannot keep (empty, over 200 bytes) is kept under a new id, and opens after a reload", async () => {
  for (const id of ["", "é".repeat(101)]) {
    const { context, page, errors } = await fresh();
    await keptRun(page);
    const [[, stored]] = await dump(page, "runs");
    await page.click("#library-button");
    await page.setInputFiles("#library input[type=file] >> nth=0", { name: "odd.run.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ ...JSON.parse(stored), id, name: "Odd run" })) });
    await page.waitForFunction(() => /kept under a new one/.test(document.querySelector("#notice").textContent));
    await page.getByRole("checkbox", { name: "Freeze merges", exact: true }).click();
    await counts(page, "2/3 ");
    let runs = [];
    for (let i = 0; i < 50 && runs.length < 2; i++) { await page.waitForTimeout(100); runs = await dump(page, "runs"); }
    assert.equal(runs.length, 2, "the imported run is kept beside the one it came from");
    for (let i = 0; i < 50 && !runs.some(([, v]) => /"Odd run"/.test(v) && (v.match(/"done"/g) || []).length === 2); i++) { await page.waitForTimeout(100); runs = await dump(page, "runs"); }
    await page.reload();
    await counts(page, "2/3 ");
    assert.doesNotMatch(await page.textContent("#notice"), /damaged/);
    assert.deepEqual(await dump(page, "quarantine"), []);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("two checklists' runs of one id (run files may name their run anything) keep apart: open mark, rename, delete, journal", async () => {
  const { context, page, errors } = await fresh();
  const V2 = CHECKLIST.replace("Freeze merges", "Freeze merges and deploys");
  for (const [text, name] of [[CHECKLIST, "release.md"], [V2, "release-v2.md"]]) {
    await page.setInputFiles("#file", { name, mimeType: "text/markdown", buffer: Buffer.from(text) });
    await counts(page, "0/3 ");
  }
  let templates = [];
  for (let i = 0; i < 50 && templates.length < 2; i++) { await page.waitForTimeout(100); templates = await dump(page, "templates"); }
  const shaOf = (v2) => templates.find(([, v]) => JSON.stringify(v).includes("and deploys") === v2)[0];
  const [shaA, shaB] = [shaOf(false), shaOf(true)];
  const runFile = (sha, name) => ({ schema: "preflight.run/1", id: "release", name, templateSha256: sha, createdAt: new Date().toISOString(), items: {}, fields: {}, signOffs: {}, sections: {} });
  const stored = async () => Object.fromEntries((await dump(page, "runs")).map(([k, v]) => [k, JSON.parse(v)]));
  for (const [sha, name] of [[shaB, "B release"], [shaA, "A release"]]) { // A last: A stays open
    if (await page.locator("#library").isHidden()) await page.click("#library-button");
    await page.setInputFiles("#library input[type=file] >> nth=0", { name: `${name}.run.json`, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(runFile(sha, name))) });
    for (let i = 0; i < 50 && !(await stored())[`${sha}/release`]; i++) await page.waitForTimeout(100);
  }
  // Run A is open: the library marks it alone.
  await page.getByRole("checkbox", { name: "Tag the build", exact: true }).click();
  await counts(page, "1/3 ");
  if (await page.locator("#library").isHidden()) await page.click("#library-button");
  await page.waitForSelector("#library .runs li.current");
  assert.deepEqual(await page.locator("#library .runs li.current .name").allTextContents(), ["A release (open)"]);
  // Each shows its own standing: A has a tick, B none.
  await page.waitForFunction(() => [...document.querySelectorAll("#library .runs li")].some((li) => /A release/.test(li.textContent) && /33/.test(li.querySelector(".standing")?.textContent || "")));
  assert.match(await page.locator("#library .runs li", { hasText: "B release" }).locator(".standing").textContent(), / 0(\.0)?% /);
  // Renaming B renames B only.
  await page.locator("#library .runs li", { hasText: "B release" }).getByRole("button", { name: /^Rename/ }).click();
  await page.fill("#library input.rename", "B renamed");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#library >> text=B renamed");
  assert.equal((await stored())[`${shaB}/release`].name, "B renamed");
  assert.equal((await stored())[`${shaA}/release`].name, "A release");
  assert.deepEqual(await page.locator("#library .runs li.current .name").allTextContents(), ["A release (open)"]);
  // Deleting B leaves A open, with its tick.
  const runsOfA = async () => Object.keys(await stored()).filter((k) => k.startsWith(`${shaA}/`)).length;
  const before = await runsOfA();
  await page.locator("#library .runs li", { hasText: "B renamed" }).getByRole("button", { name: "Delete" }).click();
  await page.waitForSelector("#undo");
  await counts(page, "1/3 ");
  assert.deepEqual(await page.locator("#library .runs li.current .name").allTextContents(), ["A release (open)"]);
  await page.waitForTimeout(300);
  assert.equal(await runsOfA(), before, "no fresh run took A's place");
  // A journal entry of B's run is not restored into A, and waits for B.
  const id = await page.evaluate(() => document.querySelector("li.item .details-button").id.replace("details-btn-", ""));
  await page.evaluate(([shaB, id]) => localStorage.setItem("preflight-journal/app/other", JSON.stringify({ v: 1, at: new Date().toISOString(), entries: [{ sha: shaB, run: "release", kind: "note", id, value: "typed in B" }] })), [shaB, id]);
  await page.reload();
  await counts(page, "1/3 ");
  await detailsOf(page, "Tag the build").click();
  assert.equal(await page.locator("#details textarea[data-edit=note]").inputValue(), "");
  assert.match(await page.evaluate(() => localStorage.getItem("preflight-journal/app/other") || ""), /typed in B/);
  assert.deepEqual(errors, []);
  await context.close();
});

// ---- two tabs, one run, the same moment ------------------------------------------------------

/** In one tab: open the race store and hold the run in memory, as the app holds its open run. */
const SETUP = (base, text) => `(async () => {
  const { ready, Checklist } = await import("${base}engine.js");
  const { Store } = await import("${base}store.js");
  await ready();
  const store = await Store.open("race");
  const checklist = Checklist.parse(${JSON.stringify(text)});
  let run = await store.loadRun(checklist.sourceSha256, "race-run");
  if (!run) { run = checklist.newRun("race-run", "race", new Date().toISOString()); await store.saveRun(run); }
  window.__race = { store, checklist, run, ids: checklist.model().items.map((i) => i.id) };
  return true;
})()`;

/** In one tab: tick item `n` at wall-clock time `at`, then save. */
const TICK = (n, at) => `(async () => {
  const { store, checklist, run, ids } = window.__race;
  run.setStatus(checklist, ids[${n}], "done", undefined, undefined, new Date().toISOString());
  while (Date.now() < ${at}) await new Promise((r) => setTimeout(r, 0));
  await store.saveRun(run);
  return true;
})()`;

/** In one tab: the items stored as done, read from storage. */
const STORED = `(async () => {
  const { store, checklist } = window.__race;
  const run = await store.loadRun(checklist.sourceSha256, "race-run");
  const items = run.toObject().items;
  return JSON.stringify(window.__race.ids.map((id, i) => items[id]?.status === "done" ? i : -1).filter((i) => i >= 0));
})()`;

const TRIALS = 100;

test(`two tabs saving different ticks of one run at the same moment keep both, ${TRIALS} of ${TRIALS} (Chromium)`, async () => {
  const context = await browser.newContext();
  const [a, b] = [await context.newPage(), await context.newPage()];
  for (const p of [a, b]) { await p.goto(`${base}race.md`); await p.evaluate(SETUP(base, RACE)); }
  let kept = 0;
  for (let i = 0; i < TRIALS; i++) {
    const at = Date.now() + 30;
    await Promise.all([a.evaluate(TICK(2 * i, at)), b.evaluate(TICK(2 * i + 1, at))]);
    const done = JSON.parse(await a.evaluate(STORED));
    if (done.includes(2 * i) && done.includes(2 * i + 1)) kept++;
  }
  assert.equal(kept, TRIALS);
  await context.close();
});

test(`two tabs saving different ticks of one run at the same moment keep both, ${TRIALS} of ${TRIALS} (Firefox)`, { skip: !firefox && "firefox-esr is not installed" }, async () => {
  const ff = await launchFirefox();
  try {
    await ff.send("browsingContext.navigate", { context: ff.context, url: `${base}race.md`, wait: "complete" });
    const tabs = [ff.context, await ff.newTab(`${base}race.md`)];
    for (const tab of tabs) await ff.value(SETUP(base, RACE), tab);
    let kept = 0;
    for (let i = 0; i < TRIALS; i++) {
      const at = Date.now() + 40;
      await Promise.all([ff.value(TICK(2 * i, at), tabs[0]), ff.value(TICK(2 * i + 1, at), tabs[1])]);
      const done = JSON.parse(await ff.value(STORED, tabs[0]));
      if (done.includes(2 * i) && done.includes(2 * i + 1)) kept++;
    }
    assert.equal(kept, TRIALS);
  } finally { await ff.close(); }
});

test("two tabs correcting the checklist's reading at the same moment keep both corrections", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  const second = await context.newPage();
  second.on("pageerror", (e) => errors.push(e.message));
  await second.goto(base);
  await counts(second, "1/3 ");
  await detailsOf(page, "Notify the team").click();
  await detailsOf(second, "Freeze merges").click();
  for (const p of [page, second]) await p.waitForSelector("#details input[data-mark=critical]");
  // Both marks clicked at one instant, each in its own tab.
  const at = Date.now() + 400;
  const click = (p) => p.evaluate((at) => new Promise((resolve) => setTimeout(() => {
    /** @type {HTMLInputElement} */ (document.querySelector("#details input[data-mark=critical]")).click();
    resolve();
  }, at - Date.now())), at);
  await Promise.all([click(page), click(second)]);
  const kept = async () => (await dump(page, "corrections")).flatMap(([, v]) => JSON.parse(v).corrections.map((k) => k.id));
  for (let i = 0; i < 50 && (await kept()).length < 2; i++) await page.waitForTimeout(100);
  assert.equal((await kept()).length, 2, "both corrections are kept");
  // Each tab shows both, the other's too, without a reload.
  for (const p of [page, second]) await p.waitForSelector("#corrections summary >> text=2 corrections to how this checklist is read");
  await page.reload();
  await page.waitForSelector("#corrections summary >> text=2 corrections to how this checklist is read");
  // Undone in one tab, while the other corrects a third mark: the undo and the third both hold.
  await page.click("#corrections summary");
  await detailsOf(second, "Tag the build").click();
  await second.waitForSelector("#details input[data-mark=critical]");
  await Promise.all([page.click("#uncorrect-0"), second.locator("#details input[data-mark=critical]").click()]);
  for (let i = 0; i < 50 && (await kept()).length !== 2; i++) await page.waitForTimeout(100);
  await page.waitForTimeout(300);
  assert.equal((await kept()).length, 2, "one undone, one more");
  for (const p of [page, second]) await p.waitForSelector("#corrections summary >> text=2 corrections to how this checklist is read");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a correction storage refused still applies on the page after a later one is kept", async () => {
  const { context, page, errors } = await fresh();
  await keptRun(page);
  // The next write of corrections is refused, as by a full quota; the one after is kept.
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    let refuse = 1;
    IDBObjectStore.prototype.put = function (...args) {
      if (this.name === "corrections" && refuse-- > 0) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return put.apply(this, args);
    };
  });
  await detailsOf(page, "Notify the team").click();
  await page.locator("#details input[data-mark=critical]").check();
  await page.waitForSelector("#notice >> text=the correction applies in this tab only");
  await detailsOf(page, "Freeze merges").click();
  await page.locator("#details input[data-mark=critical]").check();
  const stored = async () => (await dump(page, "corrections")).flatMap(([, v]) => JSON.parse(v).corrections.map((k) => k.id));
  for (let i = 0; i < 50 && (await stored()).length < 1; i++) await page.waitForTimeout(100);
  await page.waitForTimeout(300);
  assert.equal((await stored()).length, 1, "the second is kept");
  await page.waitForSelector("#corrections summary >> text=2 corrections to how this checklist is read");
  assert.deepEqual(errors, []);
  await context.close();
});
