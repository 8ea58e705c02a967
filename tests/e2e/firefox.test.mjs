// dist/preflight.html from file:// in Firefox (Debian's firefox-esr), driven over WebDriver
// BiDi directly: this playwright-core needs a newer Firefox than ESR for its own BiDi driver.
// Skipped, and saying so, where firefox-esr is not installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { root, serveSite } from "./site-server.mjs";
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

test("Firefox: the served app makes its reports in a worker per call", { skip: !firefox && "firefox-esr is not installed" }, async () => {
  const server = await serveSite();
  const ff = await launch();
  try {
    await ff.send("browsingContext.navigate", { context: ff.context, url: server.base, wait: "complete" });
    await ff.until("document.querySelector('#verdict')", "the sample");
    // Count the workers the engine starts and the answers they send, and read the exported Blob.
    const made = JSON.parse(await ff.value(`new Promise((resolve) => {
      const Real = Worker;
      let started = 0, answered = 0;
      window.Worker = class extends Real {
        constructor(...args) { super(...args); started++; this.addEventListener("message", (e) => { if (!e.data?.loaded) answered++; }); }
      };
      const create = URL.createObjectURL;
      URL.createObjectURL = (blob) => { blob.text().then((text) => resolve(JSON.stringify({ started, answered, text }))); return create.call(URL, blob); };
      document.querySelector('#export-json').click();
    })`));
    assert.deepEqual([made.started, made.answered], [1, 1], "one worker, which answered (no fallback to the page)");
    assert.equal(JSON.parse(made.text).schema, "preflight.report/2");
  } finally {
    await ff.close();
    server.close();
  }
});
