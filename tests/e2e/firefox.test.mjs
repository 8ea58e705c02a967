// dist/preflight.html from file:// in Firefox (Debian's firefox-esr), driven over WebDriver
// BiDi directly: this playwright-core needs a newer Firefox than ESR for its own BiDi driver.
// Skipped, and saying so, where firefox-esr is not installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { root, serveSite, longChecklist } from "./site-server.mjs";
import { firefox, launch } from "./firefox-bidi.mjs";

test("Firefox: dist/preflight.html from file:// renders the sample, imports a seed, keeps a tick across a reload, exports", { skip: !firefox && "firefox-esr is not installed" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "preflight-file-"));
  const file = join(dir, "preflight.html");
  writeFileSync(file, readFileSync(join(root, "dist/preflight.html")));
  const ff = await launch();
  try {
    await ff.send("browsingContext.navigate", { context: ff.context, url: pathToFileURL(file).href, wait: "complete" });
    await ff.until("document.querySelector('#verdict')", "the sample");
    assert.equal(await ff.value("document.querySelector('#score').textContent"), "0%");

    const input = await ff.evaluate("document.querySelector('#file')");
    await ff.send("input.setFiles", { context: ff.context, element: { sharedId: input.sharedId }, files: [join(root, "tests/fixtures/seeds/001_f7f6cd75f7e48165.md")] });
    await ff.until("document.querySelector('.summary .muted')?.textContent.includes('001_f7f6cd75')", "the seed");
    assert.match(await ff.value("document.querySelector('#counts').textContent"), /^0\/14 /);
    await ff.value("document.querySelector('#view li.item input[type=checkbox]').click(), true");
    await ff.until("document.querySelector('#counts').textContent.startsWith('1/14')", "the tick");

    await ff.send("browsingContext.reload", { context: ff.context, wait: "complete" });
    await ff.until("document.querySelector('#counts')?.textContent.startsWith('1/14')", "the tick after a reload");
    assert.ok(await ff.value("document.querySelector('#view li.item input[type=checkbox]').checked"));

    // The export is a Blob handed to a download link; read the Blob itself.
    const md = await ff.value(`new Promise((resolve) => {
      const create = URL.createObjectURL;
      URL.createObjectURL = (blob) => { blob.text().then(resolve); return create.call(URL, blob); };
      document.querySelector('#export-md').click();
    })`);
    assert.match(md, /"templateSha256": ?"[0-9a-f]{64}"/);
    assert.match(md, /1\/14 items done/); // the before gate
  } finally {
    await ff.close();
    rmSync(dir, { recursive: true });
  }
});

test("Firefox: the served app makes a long checklist's reports in a worker", { skip: !firefox && "firefox-esr is not installed" }, async () => {
  const server = await serveSite({ pages: { "/long.md": longChecklist(17000) } });
  const ff = await launch();
  try {
    await ff.send("browsingContext.navigate", { context: ff.context, url: server.base, wait: "complete" });
    await ff.until("document.querySelector('#verdict')", "the sample");
    // Count the workers the engine starts and the answers they send (not their "loaded").
    const made = JSON.parse(await ff.value(`(async () => {
      const Real = Worker;
      let started = 0, answered = 0;
      window.Worker = class extends Real {
        constructor(...args) { super(...args); started++; this.addEventListener("message", (e) => { if (!e.data?.loaded) answered++; }); }
      };
      const text = await (await fetch("/long.md")).text();
      const { exportReport } = await import("./extra.js");
      const { Checklist } = await import("./engine.js");
      const checklist = Checklist.parse(text);
      const report = await exportReport("json", checklist, checklist.newRun("r", "Run", "2026-12-03T00:00:00Z"), "2026-12-03T00:00:00Z");
      return JSON.stringify({ started, answered, schema: JSON.parse(report).schema });
    })()`));
    assert.deepEqual(made, { started: 1, answered: 1, schema: "preflight.report/2" }, "one worker, which answered (no fallback to the page)");
  } finally {
    await ff.close();
    server.close();
  }
});
