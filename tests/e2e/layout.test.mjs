// The layout of the checklist view at 1280×800 and 390×844 (issue 13): one line per item, the
// details panel (beside the list, or a sheet) that saves as you type without running the page's
// shortcuts, the sticky status bar, each conditional sub-scenario switched by itself, inactive
// items muted rather than struck through, and no blank screen when jumping through a long list.
// Serves dist/site (scripts/build-site.sh). Run: node --test tests/e2e/layout.test.mjs
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

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SEED_003 = join(root, "tests/fixtures/seeds/003_296308206fa363ea.md");

const fresh = (viewport = DESKTOP, options = {}) => openApp(browser, base, { viewport, ...options });

async function importSeed003(page) {
  await page.setInputFiles("#file", SEED_003);
  await page.waitForFunction(() => document.querySelector(".summary .muted")?.textContent.includes("003_"));
}

/** Wait until `selector`'s text includes `text`; on timeout, fail with what it says. */
async function says(page, selector, text) {
  try {
    await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent.includes(t), [selector, text], { timeout: 5000 });
  } catch {
    assert.fail(`${selector} should say “${text}”: ${await page.textContent(selector).catch(() => "(not on the page)")}`);
  }
}

/** The details button of the item whose text is `text`. */
const detailsOf = (page, text) => page.locator("li.item", { hasText: text }).first().locator(":scope > .row .details-button");
const activeId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

test("each item takes one line: its own row is one line tall, and seed 003 is a third shorter", async () => {
  const { context, page, errors } = await fresh(DESKTOP, { bypassCSP: true }); // bypassCSP: to render every section for measuring
  await importSeed003(page);
  const rows = await page.evaluate(() => [...document.querySelectorAll("#view li.item")].map((li) => {
    const label = li.querySelector(":scope > .row label");
    const line = parseFloat(getComputedStyle(label).lineHeight);
    // The item's own part: everything but its reason, its detail bullets, blocks and sub-items.
    const own = li.getBoundingClientRect().height - [...li.children].filter((c) => !c.classList.contains("row"))
      .reduce((n, c) => n + c.getBoundingClientRect().height + parseFloat(getComputedStyle(c).marginTop) + parseFloat(getComputedStyle(c).marginBottom), 0);
    return { text: label.textContent, own, line, siblings: li.querySelectorAll(":scope > button").length };
  }));
  assert.ok(rows.length >= 150, `${rows.length} rows`);
  for (const r of rows) {
    assert.equal(r.siblings, 0, `no second line of buttons under “${r.text}”`);
    assert.ok(r.own < 1.75 * r.line, `“${r.text}” takes ${r.own}px, more than one ${r.line}px line`);
  }
  // Every section drawn (none skipped by content-visibility), the page's whole height. It was
  // 15,390 px before the rows became one line (the outline, now open, adds about 440 px).
  await page.addStyleTag({ content: "* { content-visibility: visible !important; }" });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 12000, `seed 003 is ${height}px tall at 1280×800`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the details panel opens beside the list at 1280×800, with focus in it, and closes back to its button", async () => {
  const { context, page, errors } = await fresh(DESKTOP);
  await importSeed003(page);
  const button = detailsOf(page, "All tests passing");
  assert.match(await button.getAttribute("aria-label"), /^Details: All tests passing/);
  await button.click();
  await page.waitForSelector("#details:not([hidden])");
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  assert.match(await activeId(page), /^note-/, "focus moves into the panel, on the note");
  const box = await page.evaluate(() => {
    const panel = document.getElementById("details").getBoundingClientRect();
    const list = document.querySelector("#view .pf-list").getBoundingClientRect();
    return { panel: { left: panel.left, top: panel.top, bottom: panel.bottom }, listRight: list.right };
  });
  assert.ok(box.panel.left >= box.listRight, `the panel (left ${box.panel.left}) is beside the list (right ${box.listRight})`);
  assert.ok(box.panel.top >= 0 && box.panel.top < DESKTOP.height, `the panel is on screen (top ${box.panel.top})`);
  // It stays in view while the list scrolls, under the status bar.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  await page.waitForFunction(() => {
    const p = document.getElementById("details").getBoundingClientRect();
    return p.top >= document.querySelector("#view .pf-status").getBoundingClientRect().bottom && p.top < 200;
  });
  await page.keyboard.press("Escape");
  await page.waitForSelector("#details", { state: "hidden" });
  assert.equal(await activeId(page), await button.getAttribute("id"), "Escape returns focus to the item's Details button");
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  // The Close button does the same.
  await button.click();
  await page.click("#details-close");
  await page.waitForSelector("#details", { state: "hidden" });
  assert.equal(await activeId(page), await button.getAttribute("id"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("the details panel is a sheet over the bottom of a phone screen, with its row above it", async () => {
  const { context, page, errors } = await fresh(PHONE);
  await importSeed003(page);
  const button = detailsOf(page, "Code coverage meets minimum threshold");
  await button.click();
  await page.waitForSelector("#details:not([hidden])");
  const box = await page.evaluate(() => {
    const panel = document.getElementById("details");
    const r = panel.getBoundingClientRect();
    const row = document.activeElement && [...document.querySelectorAll("li.item")].find((li) => li.textContent.includes("Code coverage meets")).getBoundingClientRect();
    return { position: getComputedStyle(panel).position, left: r.left, right: r.right, bottom: r.bottom, top: r.top, rowTop: row.top, rowBottom: row.bottom };
  });
  assert.equal(box.position, "fixed");
  assert.equal(Math.round(box.bottom), PHONE.height, "at the bottom of the screen");
  assert.ok(box.left <= 0.5 && Math.round(box.right) === PHONE.width, "the screen's width");
  assert.ok(box.top > PHONE.height * 0.3, `it leaves the upper part of the screen (top ${box.top})`);
  assert.ok(box.rowTop >= 0 && box.rowBottom <= box.top, `the row (${box.rowTop}–${box.rowBottom}) is above the sheet (${box.top})`);
  assert.match(await activeId(page), /^note-/);
  await page.keyboard.press("Escape");
  await page.waitForSelector("#details", { state: "hidden" });
  assert.equal(await activeId(page), await button.getAttribute("id"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a note typed with shortcut letters lands whole in the note, is saved after a pause as one log entry, and survives a reload", async () => {
  const { context, page, errors } = await fresh(DESKTOP);
  const item = "Database backup taken and restore verified";
  const button = detailsOf(page, item);
  await button.click();
  await page.waitForSelector("#details:not([hidden])");
  // Every one of these letters is a shortcut on the page (o, c, j, k, n, b, l).
  const note = "lock ok; checked both backups, n=2, job log clean";
  await page.keyboard.type(note);
  assert.equal(await page.locator("#details textarea[data-edit=note]").inputValue(), note);
  assert.equal(await page.isChecked("#filter-open"), false, "o did not filter");
  assert.equal(await page.isChecked("#filter-critical"), false, "c did not filter");
  assert.equal(await page.isHidden("#library"), true, "l did not open the library");
  assert.equal(await page.locator("dialog[open]").count(), 0, "n and b opened no reason dialog");
  // Saved after a pause, focus still in the note: the row shows it has a note.
  await page.waitForFunction(() => /✎/.test(document.querySelector("#details-btn-" + document.activeElement.id.slice(5))?.textContent || ""), null, { timeout: 3000 });
  assert.match(await activeId(page), /^note-/, "focus stays in the note after saving");
  await says(page, "#details .history", "History (1 change)");
  await says(page, "#details .history", `note: — → ${note}`);
  await says(page, "#details-saved", "Saved");
  // Tab goes on to the evidence, in the panel; leaving the note unchanged logs nothing more.
  await page.keyboard.press("Tab");
  assert.match(await activeId(page), /^evidence-/);
  await page.keyboard.type("$ pg_restore --list backup.dump | wc -l\n1284");
  await page.keyboard.press("Shift+Tab");
  assert.match(await activeId(page), /^note-/, "back to the note");
  await says(page, "#details .history", "History (2 changes)");
  const [json] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  const report = JSON.parse(readFileSync(await json.path(), "utf8"));
  const id = (await button.getAttribute("id")).replace("details-btn-", "");
  const log = report.run.log.filter((e) => e.target === id);
  assert.deepEqual(log.map((e) => e.what), ["note", "evidence"], "one log entry per edit, not per keystroke");
  await page.reload();
  await page.waitForSelector("#verdict");
  await detailsOf(page, item).click();
  assert.equal(await page.locator("#details textarea[data-edit=note]").inputValue(), note);
  assert.equal(await page.locator("#details textarea[data-edit=evidence]").inputValue(), "$ pg_restore --list backup.dump | wc -l\n1284");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a space or line break typed just before a pause stays where it was typed", async () => {
  const { context, page, errors } = await fresh(DESKTOP);
  const item = "Database backup taken and restore verified";
  await detailsOf(page, item).click();
  const note = page.locator("#details textarea[data-edit=note]");
  const evidence = page.locator("#details textarea[data-edit=evidence]");
  // The engine keeps "Checked the backup" (trimmed); the box must not take that back mid-sentence.
  await page.keyboard.type("Checked the backup ");
  await says(page, "#details .history", "History (1 change)");
  await page.keyboard.type("and the restore");
  assert.equal(await note.inputValue(), "Checked the backup and the restore");
  await page.keyboard.press("Tab");
  await page.keyboard.type("$ make check");
  await page.keyboard.press("Enter");
  await says(page, "#details .history", "History (3 changes)");
  await page.keyboard.type("ok");
  assert.equal(await evidence.inputValue(), "$ make check\nok");
  await page.keyboard.press("Shift+Tab");
  await says(page, "#details .history", "History (4 changes)");
  await page.reload();
  await page.waitForSelector("#verdict");
  await detailsOf(page, item).click();
  assert.equal(await note.inputValue(), "Checked the backup and the restore");
  assert.equal(await evidence.inputValue(), "$ make check\nok");
  assert.deepEqual(errors, []);
  await context.close();
});

test("what is being typed in the panel survives another tab's change and a tick elsewhere", async () => {
  const { context, page, errors } = await fresh(DESKTOP);
  await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).click(); // the sample is kept from here on
  await detailsOf(page, "Database backup taken").click();
  await page.keyboard.type("first half");
  const other = await context.newPage();
  await other.goto(base);
  await other.waitForSelector("#verdict");
  await other.getByRole("checkbox", { name: "Rollout to 100% completed", exact: true }).click();
  await page.waitForFunction(() => document.getElementById("stage-head-during")?.textContent.includes("2/4 items done"));
  assert.match(await activeId(page), /^note-/, "still typing in the note");
  await page.keyboard.type(", second half");
  assert.equal(await page.locator("#details textarea[data-edit=note]").inputValue(), "first half, second half");
  await other.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a dropped text file becomes evidence, not an imported checklist", async () => {
  const { context, page, errors } = await fresh(DESKTOP);
  await detailsOf(page, "Database backup taken").click();
  const title = await page.textContent("#view h1");
  await page.evaluate(() => {
    const area = document.querySelector("#details textarea[data-edit=evidence]");
    const data = new DataTransfer();
    data.items.add(new File(["- [ ] not a checklist to import\nrestore ok\n"], "restore.log", { type: "text/plain" }));
    area.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.querySelector("#details textarea[data-edit=evidence]").value.includes("restore ok"));
  await says(page, "#details .history", "evidence");
  assert.equal(await page.textContent("#view h1"), title, "the page did not import the file");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the outline is open on a wide screen, folded on a phone, and stays as the user leaves it", async () => {
  const { context, page, errors } = await fresh(DESKTOP);
  await importSeed003(page);
  const outline = page.locator("details.outline");
  assert.equal(await outline.getAttribute("open"), "", "open at 1280×800 (seed 003 has 32 sections with items)");
  await outline.locator("summary").click();
  assert.equal(await outline.getAttribute("open"), null);
  // A redraw of the whole page (a conditional section switched on) keeps it folded.
  await page.locator("#section-staging-deployment input[type=checkbox], #section-environment-specific-checklists input[type=checkbox]").first().click();
  await page.waitForFunction(() => !document.querySelector("#counts")?.textContent.startsWith("0/50 "));
  assert.equal(await page.locator("details.outline").getAttribute("open"), null, "still folded after the page was redrawn");
  await context.close();
  const phone = await fresh(PHONE);
  await importSeed003(phone.page);
  assert.equal(await phone.page.locator("details.outline").getAttribute("open"), null, "folded on a phone");
  assert.deepEqual([...errors, ...phone.errors], []);
  await phone.context.close();
});

test("the status bar stays in view to the bottom of a long checklist, and never covers a heading reached from the outline", async () => {
  const { context, page, errors } = await fresh(DESKTOP);
  await importSeed003(page);
  assert.equal(await page.locator("details.outline").getAttribute("open"), "", "the outline is open on a wide screen");
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => window.scrollY > 5000);
  const seen = await page.evaluate(() => {
    const r = document.getElementById("verdict").getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { top: r.top, visible: document.getElementById("verdict").contains(hit), stage: document.querySelector(".pf-status").textContent };
  });
  assert.ok(seen.visible && seen.top > 0, `the verdict is on screen, not under the page header (top ${seen.top})`);
  assert.match(seen.stage, /Ready to deploy\?.*NO-GO.*0%.*0\/50 items done/);
  // A heading reached from the outline sits below the page header and the status bar.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator("details.outline").evaluate((outline) => { outline.open = true; });
  await page.locator("nav[aria-label=Sections]").getByRole("link", { name: "Monitoring (First Hour)" }).click();
  await page.waitForFunction(() => location.hash === "#section-monitoring-first-hour");
  const clear = await page.evaluate(() => ({
    heading: document.getElementById("section-monitoring-first-hour").getBoundingClientRect().top,
    bar: document.querySelector(".pf-status").getBoundingClientRect().bottom,
  }));
  assert.ok(clear.heading >= clear.bar, `the heading (${clear.heading}) is below the status bar (${clear.bar})`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("each sub-scenario switches on by itself; items that do not count look inactive, not struck through, and stay tickable", async () => {
  const { context, page, errors } = await fresh(DESKTOP);
  await importSeed003(page);
  const inactive = (text) => page.locator("li.item.inactive", { hasText: text }).count();
  assert.equal(await page.locator("#section-special-deployment-scenarios input[type=checkbox]").count(), 0, "the group has no switch of its own");
  const look = await page.evaluate(() => {
    const li = [...document.querySelectorAll("li.item")].find((l) => l.textContent.includes("API versioning implemented"));
    const label = li.querySelector("label");
    return { line: getComputedStyle(label).textDecorationLine, tag: li.querySelector(".inactive-tag")?.textContent, disabled: li.querySelector("input").disabled };
  });
  assert.deepEqual(look, { line: "none", tag: "not counted", disabled: false });
  await page.getByRole("checkbox", { name: "“Breaking API Changes” applies to this deployment" }).click();
  await page.waitForFunction(() => document.getElementById("switch-breaking-api-changes")?.checked);
  assert.equal(await inactive("API versioning implemented"), 0, "its items count now");
  assert.equal(await inactive("Migration guide provided"), 0);
  for (const other of ["Migration tested with production-like data volume", "Infrastructure changes tested in staging", "Security patch tested"]) {
    assert.equal(await inactive(other), 1, `${other}: its scenario is still off`);
  }
  assert.equal(await activeId(page), "switch-breaking-api-changes", "focus stays on the switch");
  await says(page, "#counts", "0/54 items done"); // its four required items and the optional one (not counted until done)
  // A switched-off item can still be ticked (it counts once done).
  await page.getByRole("checkbox", { name: "Security patch tested", exact: true }).click();
  await says(page, "#counts", "1/55 items done");
  await page.reload();
  await page.waitForSelector("#verdict");
  assert.equal(await page.isChecked("#switch-breaking-api-changes"), true);
  assert.equal(await page.isChecked("#switch-security-updates"), false);
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * Every `every`-th row's checkbox from row `first`, last first, brought into view from the top of the page
 * (`bring`: "scroll" into view at the bottom of the screen, or "focus"), then read again two
 * frames later: `out` lists the rows that moved more than `tolerance` px.
 */
function rowsThatMove(page, { bring, every, first, tolerance }) {
  return page.evaluate(async ({ bring, every, first, tolerance }) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const out = [];
    const boxes = [...document.querySelectorAll("#view li.item > .row > input[type=checkbox]")].filter((_, i) => i % every === first).reverse();
    for (const box of boxes) {
      window.scrollTo(0, 0); await frame(); await frame();
      if (bring === "focus") box.focus(); else box.scrollIntoView({ block: "end" });
      const put = box.getBoundingClientRect().top;
      await frame(); await frame();
      const now = box.getBoundingClientRect().top;
      if (Math.abs(now - put) > tolerance) out.push(`${box.labels[0].textContent.slice(0, 40)}: ${put.toFixed(0)} → ${now.toFixed(0)} px`);
    }
    return { rows: boxes.length, out };
  }, { bring, every, first, tolerance });
}

test("a row scrolled into view stays where it was put, on a wide screen and a phone", async () => {
  // A click lands where the row was a moment ago: were it to move a frame after it came into
  // view (a section laid out late at other than its estimated height), the click would miss it
  // or tick the row that took its place.
  for (const viewport of [DESKTOP, PHONE]) {
    const { context, page, errors } = await fresh(viewport);
    // From the last up: the longest jumps first.
    const moved = await rowsThatMove(page, { bring: "scroll", every: 1, first: 0, tolerance: 0.5 });
    assert.ok(moved.rows > 15, `the sample's rows: ${moved.rows}`);
    assert.deepEqual(moved.out, [], `at ${viewport.width}×${viewport.height}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("on a long checklist, a row given focus far down stays where the browser scrolled it", async () => {
  // Long enough that sections off screen are skipped by layout, sized by an estimate that prose
  // wrapping on a phone makes wrong.
  let doc = "# Long\n\n";
  for (let s = 0; s < 60; s++) {
    doc += `## Phase ${s}\n\nSome prose about phase ${s} that wraps over a line or two on a phone screen.\n\n`;
    for (let i = 0; i < 8; i++) doc += `- [ ] Step ${s}.${i} ${"with words ".repeat(s % 5)}\n`;
    doc += "\n";
  }
  for (const viewport of [DESKTOP, PHONE]) {
    const { context, page, errors } = await fresh(viewport);
    await page.setInputFiles("#file", { name: "long.md", mimeType: "text/markdown", buffer: Buffer.from(doc) });
    await page.waitForFunction(() => document.querySelector("#counts")?.textContent.startsWith("0/480") && document.querySelectorAll("#view li.item").length === 480);
    const moved = await rowsThatMove(page, { bring: "focus", every: 23, first: 5, tolerance: 2 });
    assert.deepEqual(moved.out, [], `at ${viewport.width}×${viewport.height}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("jumping through a 10,000-item checklist while it renders never shows a blank screen", async () => {
  const { context, page, errors } = await fresh(DESKTOP);
  const n = 10_000;
  const doc = `# Flat\n\n${Array.from({ length: n }, (_, i) => `- [ ] row ${i}`).join("\n")}\n`;
  await page.setInputFiles("#file", { name: "flat.md", mimeType: "text/markdown", buffer: Buffer.from(doc) });
  await page.waitForFunction((n) => document.querySelector("#counts")?.textContent.startsWith(`0/${n} items done`), n, { polling: 5 });
  // Jump at once (rows are still being rendered) to the end, then to the middle; after every
  // frame painted, rows must cover the screen.
  const frames = await page.evaluate(() => new Promise((resolve) => {
    const seen = [];
    // What is under each point down the list's column: a row's text, else what else is there
    // (a blank: a part of the list not drawn, or nothing at all).
    const look = () => {
      const points = [];
      for (let y = 120; y < innerHeight - 40; y += 60) {
        const hit = document.elementFromPoint(innerWidth / 2 - 200, y);
        const row = hit?.closest("li.item");
        points.push(row ? row.querySelector("label").textContent
          : !hit || hit.matches("ul.part") ? "BLANK" : hit.tagName);
      }
      return points;
    };
    const steps = [
      () => window.scrollTo(0, document.documentElement.scrollHeight),
      null, null,
      () => window.scrollTo(0, document.documentElement.scrollHeight / 2),
      null, null,
      () => window.scrollTo(0, document.documentElement.scrollHeight / 4),
      null, null,
    ];
    let i = 0;
    const frame = () => {
      steps[i]?.();
      // After the frame is painted: what the user saw.
      requestAnimationFrame(() => setTimeout(() => {
        seen.push({ step: i, y: Math.round(scrollY), height: document.documentElement.scrollHeight, rows: look() });
        if (++i < steps.length) frame(); else resolve(seen);
      }, 0));
    };
    frame();
  }));
  for (const f of frames) {
    assert.ok(!f.rows.includes("BLANK"), `frame ${f.step} at ${f.y}/${f.height}px: ${JSON.stringify(f.rows)}`);
    if (f.step >= 3) assert.ok(f.rows.every((r) => /^row \d+$/.test(r)), `frame ${f.step}: rows all down the screen: ${JSON.stringify(f.rows)}`);
  }
  assert.ok(frames[0].rows.includes("row 9999"), `the end of the list is on screen after the jump: ${JSON.stringify(frames[0].rows)}`);
  const middle = frames[3].rows.map((r) => Number(r.slice(4)));
  assert.ok(middle.every((r) => r > 3000 && r < 7000), `the middle of the list in the middle: ${middle}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("axe-core finds no violations with the details panel open, beside the list and as a sheet", async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    const { context, page } = await fresh(viewport, { bypassCSP: true }); // only so the test can inject axe
    await page.getByRole("checkbox", { name: "Migrations applied", exact: true }).click();
    await detailsOf(page, "Migrations applied").click();
    await page.keyboard.type("applied at 10:42, no locks");
    await says(page, "#details .history", "History (2 changes)");
    assert.deepEqual(await axeViolations(page), [], `${viewport.width}×${viewport.height}`);
    await context.close();
  }
});
