// Offline and embedded use: dist/preflight.html from file://, the served app with the network
// gone, and <preflight-checklist> / embed.html on a host page of another origin.
// Needs scripts/build-site.sh first. Run: node --test tests/e2e/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, cpSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { root, serveSite, launchChromium, longChecklist } from "./site-server.mjs";

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

/** A page that records script errors and any Content-Security-Policy refusal. */
async function page(context) {
  const p = await context.newPage();
  p.errors = [];
  p.on("pageerror", (e) => p.errors.push(e.message));
  p.on("console", (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) p.errors.push(m.text()); });
  return p;
}

const seed = join(root, "tests/fixtures/seeds/004_065e3ef5f210a303.md");

test("dist/preflight.html from file:// renders the sample, imports a seed, keeps a tick across a reload, exports", async () => {
  const html = readFileSync(join(root, "dist/preflight.html"), "utf8");
  assert.ok(html.length < 1024 * 1024, `preflight.html is ${html.length} bytes`);
  // (a `data:` icon is inside the file: it only stops the browser asking for /favicon.ico)
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href="(?!data:)|type="module"/, "one file: nothing else loaded");
  // A copy elsewhere on disk, as a user would have it after a download.
  const dir = mkdtempSync(join(tmpdir(), "preflight-file-"));
  const file = join(dir, "preflight.html");
  writeFileSync(file, html);
  const context = await browser.newContext({ acceptDownloads: true, offline: true });
  const p = await page(context);
  await p.goto(pathToFileURL(file).href);
  await p.waitForSelector("#verdict");
  assert.match(await p.textContent("#view h1"), /Deployment Checklist/i);
  assert.equal(await p.textContent("#score"), "0%");

  await p.setInputFiles("#file", seed);
  await p.waitForFunction(() => document.querySelector(".summary .muted")?.textContent.includes("004_065e3ef5"));
  const first = p.locator("#view li.item input[type=checkbox]").first();
  const name = await first.evaluate((box) => box.labels[0].textContent);
  await first.check();
  await p.waitForFunction(() => document.querySelector("#counts").textContent.startsWith("1/"));
  await p.reload();
  await p.waitForSelector("#verdict");
  assert.match(await p.textContent(".summary .muted"), /004_065e3ef5/, "the imported checklist reopens");
  assert.ok(await p.getByRole("checkbox", { name, exact: true }).first().isChecked(), "the tick survived the reload");

  const [download] = await Promise.all([p.waitForEvent("download"), p.click("#export-md")]);
  const md = readFileSync(await download.path(), "utf8");
  assert.match(md, /"templateSha256": ?"[0-9a-f]{64}",\s*"stateSha256": ?"[0-9a-f]{64}"/);
  assert.match(md, /1\/70 items done/); // the before gate
  assert.match(md, /^- \[x\] .*`\.env` file created/m, "the tick is in the report");
  // The other reports too: the single file's one module carries everything.
  const [report] = await Promise.all([p.waitForEvent("download"), p.click("#export-html")]);
  assert.match(readFileSync(await report.path(), "utf8"), /^<!doctype html>/i);
  const [json] = await Promise.all([p.waitForEvent("download"), p.click("#export-json")]);
  assert.match(JSON.parse(readFileSync(await json.path(), "utf8")).schema, /^preflight\.report\//);
  assert.deepEqual(p.errors, []);
  await context.close();
  rmSync(dir, { recursive: true });
});

test("the single file starts in a browser without Uint8Array.fromBase64 as in one with it", async () => {
  const file = pathToFileURL(join(root, "dist/preflight.html")).href;
  for (const without of [false, true]) {
    const context = await browser.newContext({ offline: true });
    // Older browsers (Safari before 18.2, Chromium before 140) decode the inline wasm by hand.
    if (without) await context.addInitScript(() => { delete Uint8Array.fromBase64; });
    const p = await page(context);
    await p.goto(file);
    await p.waitForSelector("#verdict");
    assert.equal(await p.evaluate(() => typeof Uint8Array.fromBase64), without ? "undefined" : "function");
    assert.equal(await p.textContent("#score"), "0%");
    assert.match(await p.textContent("#view h1"), /Deployment Checklist/i);
    await context.close();
  }
});

test("the served app fetches the engine's second module only when an export is first used", async () => {
  const server = await serveSite();
  // No service worker here: it caches every file of the site for offline use, in the background.
  const context = await browser.newContext({ acceptDownloads: true, serviceWorkers: "block" });
  const p = await page(context);
  const fetched = [];
  p.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  await p.goto(server.base);
  await p.waitForSelector("#verdict");
  await p.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  await p.waitForTimeout(500);
  assert.ok(fetched.includes("/pkg/preflight_bg.wasm"));
  assert.deepEqual(fetched.filter((f) => f.includes("preflight_extra")), [], "nothing of the second module before an export");
  const [md] = await Promise.all([p.waitForEvent("download"), p.click("#export-md")]);
  assert.match(readFileSync(await md.path(), "utf8"), /^- \[x\] .*Migrations applied/m);
  const [json] = await Promise.all([p.waitForEvent("download"), p.click("#export-json")]);
  assert.match(JSON.parse(readFileSync(await json.path(), "utf8")).schema, /^preflight\.report\//);
  assert.deepEqual(fetched.filter((f) => f.includes("preflight_extra")), ["/pkg/preflight_extra.js", "/pkg/preflight_extra_bg.wasm"], "fetched once, on first use");
  assert.deepEqual(p.errors, []);
  await context.close();
  server.close();
});

async function controlled(p) {
  await p.evaluate(() => navigator.serviceWorker.ready);
  await p.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test("the served app, once loaded, reloads and works offline; a new build is announced", async () => {
  // A copy of the site, so this test can publish a "new build" without touching dist/.
  const dir = mkdtempSync(join(tmpdir(), "preflight-site-"));
  cpSync(join(root, "dist/site"), dir, { recursive: true });
  const server = await serveSite({ dir });
  const context = await browser.newContext({ acceptDownloads: true });
  const p = await page(context);
  await p.goto(server.base);
  await p.waitForSelector("#verdict");
  await controlled(p);

  await context.setOffline(true);
  await p.reload();
  await p.waitForSelector("#verdict");
  await p.getByRole("checkbox", { name: "Migrations applied", exact: true }).check();
  // A deployment step: it counts in the Deploying stage, not in "Ready to deploy?".
  await p.waitForFunction(() => document.querySelector("#stage-head-during").textContent.includes("1/4 items done"));
  await p.reload();
  await p.waitForSelector("#verdict");
  assert.ok(await p.getByRole("checkbox", { name: "Migrations applied", exact: true }).isChecked());
  // The engine's second module and its worker were cached with the rest: reports work
  // offline, a short checklist's in the page, a long one's in a worker.
  const [md] = await Promise.all([p.waitForEvent("download"), p.click("#export-md")]);
  assert.match(readFileSync(await md.path(), "utf8"), /^- \[x\] .*Migrations applied/m);
  const workers = [];
  p.on("worker", (w) => workers.push(w.url()));
  const long = await p.evaluate(async (text) => {
    const { exportReport } = await import("./extra.js");
    const { Checklist } = await import("./engine.js");
    const checklist = Checklist.parse(text);
    return (await exportReport("json", checklist, checklist.newRun("r", "Run", "2026-12-03T00:00:00Z"), "2026-12-03T00:00:00Z")).length;
  }, longChecklist(17000));
  assert.ok(long > 1 << 20);
  assert.deepEqual(workers.map((u) => new URL(u).pathname), ["/extra-worker.js"]);
  // The embed page and the element script are cached too.
  const embed = await page(context);
  await embed.goto(`${server.base}embed.html?ns=offline`);
  await embed.waitForSelector("preflight-checklist >> #verdict");
  await embed.close();
  await context.setOffline(false);

  // A new build: the next load installs it and says so; the run is untouched.
  const sw = join(dir, "sw.js");
  writeFileSync(sw, readFileSync(sw, "utf8").replace(/const BUILD = "[^"]*"/, 'const BUILD = "next-build"'));
  await p.reload();
  await p.waitForFunction(() => /updated: the new version takes effect/.test(document.querySelector("#notice").textContent), null, { timeout: 10000 });
  assert.ok(await p.getByRole("checkbox", { name: "Migrations applied", exact: true }).isChecked());
  // The old build's cache goes once the new worker has activated (just after it took over).
  await p.waitForFunction(async () => JSON.stringify(await caches.keys()) === '["preflight-next-build"]');
  assert.deepEqual(p.errors, []);
  await context.close();
  server.close();
  rmSync(dir, { recursive: true });
});

test("the embed page alone (as in a wiki's iframe) also works offline after its first visit", async () => {
  const server = await serveSite();
  const context = await browser.newContext();
  const p = await page(context);
  await p.goto(`${server.base}embed.html?ns=alone`);
  await p.waitForSelector("preflight-checklist >> #verdict");
  await controlled(p);
  await context.setOffline(true);
  await p.reload();
  await p.waitForSelector("preflight-checklist >> #verdict");
  assert.deepEqual(p.errors, []);
  await context.close();
  server.close();
});

// ---- embeds ----------------------------------------------------------------------------------

const CHECKLIST = `# Payments release

- [ ] Schema migrated
- [ ] Canary healthy
- [ ] Dashboards green

## Sign-off
- [ ] Release manager: ______ Date: ____
`;

/** The host page: its own (hostile) CSS, two elements, one by src, and the iframe. */
function hostPage(app, { hostile }) {
  const css = hostile ? `<style>
    * { font-family: "Comic Sans MS", cursive !important; color: red !important; letter-spacing: 3px; line-height: 3; }
    body { font-size: 30px; text-transform: uppercase; }
    input, label, li, section, h2, button { display: inline !important; margin: 40px !important; border: 5px solid lime !important; }
    preflight-checklist { font-size: 40px; }
  </style>` : "";
  return `<!doctype html><html><head><meta charset="utf-8"><title>Wiki page</title>${css}</head><body>
  <h1>Runbook</h1>
  <!-- At a whole-pixel position whatever the host's CSS does above it, so pixels compare. -->
  <div style="position: absolute; top: 1200px; left: 0; width: 900px">
  <preflight-checklist id="a" namespace="team-a"><script type="text/markdown">
    ${CHECKLIST.split("\n").join("\n    ")}
  </script></preflight-checklist>
  <preflight-checklist id="b" namespace="team-b"><script type="text/markdown">
    ${CHECKLIST.split("\n").join("\n    ")}
  </script></preflight-checklist>
  <preflight-checklist id="c" src="/checklist.md" namespace="team-c" compact></preflight-checklist>
  </div>
  <iframe id="frame" title="Deployment checklist" src="${app}embed.html?src=${encodeURIComponent(app + "fixtures/seeds/004_065e3ef5f210a303.md")}&ns=wiki" style="width:100%;border:0"></iframe>
  <script>window.events = []; addEventListener("preflight-change", (e) => events.push({ id: e.target.id, ...e.detail }));</script>
  <script src="${app}preflight-checklist.js"></script>
  <script src="${app}embed-host.js"></script>
  </body></html>`;
}

async function embeds() {
  const app = await serveSite();
  const host = await serveSite({ pages: {
    "/plain.html": hostPage(app.base, { hostile: false }),
    "/hostile.html": hostPage(app.base, { hostile: true }),
    "/checklist.md": CHECKLIST.replace("Payments release", "Payments release (by src)"),
    "/other.md": "# Other release\n\n- [ ] One\n- [ ] Two\n- [ ] Three\n- [ ] Four\n",
    "/same.html": `<!doctype html><html><body>
      <preflight-checklist id="a" namespace="team-same"><script type="text/markdown">${CHECKLIST}</script></preflight-checklist>
      <preflight-checklist id="b" namespace="team-same"><script type="text/markdown">${CHECKLIST}</script></preflight-checklist>
      <script src="${app.base}preflight-checklist.js"></script></body></html>`,
    // A host whose arrays answer toJSON with a string, as Prototype.js made them.
    "/prototype.html": `<!doctype html><html><body>
      <script>Array.prototype.toJSON = function () { return "[" + this.join(",") + "]"; };</script>
      <preflight-checklist id="p" namespace="team-prototype"><script type="text/markdown">${CHECKLIST}</script></preflight-checklist>
      <script src="${app.base}preflight-checklist.js"></script></body></html>`,
    // A host whose JSON.parse turns date strings into Date objects, as some libraries make it.
    "/reviver.html": `<!doctype html><html><body>
      <script>(() => { const parse = JSON.parse, iso = /^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z$/;
        JSON.parse = (text, reviver) => parse(text, function (k, v) { if (typeof v === "string" && iso.test(v)) v = new Date(v); return reviver ? reviver.call(this, k, v) : v; }); })();</script>
      <preflight-checklist id="p" namespace="team-reviver"><script type="text/markdown">${CHECKLIST}</script></preflight-checklist>
      <script src="${app.base}preflight-checklist.js"></script></body></html>`,
    // A single-page host: it takes the element out of the page and puts it back, or changes it.
    "/spa.html": `<!doctype html><html><body>
      <script>
        // Every listener added to the document or the window, and whether it still listens.
        const add = EventTarget.prototype.addEventListener, added = [];
        EventTarget.prototype.addEventListener = function (type, fn, options) {
          if (this === document || this === window) added.push({ type, signal: typeof options === "object" ? options?.signal : undefined });
          return add.call(this, type, fn, options);
        };
        window.listening = (type) => added.filter((l) => l.type === type && !l.signal?.aborted).length;
      </script>
      <div id="slot"><preflight-checklist id="s" sample namespace="team-spa"></preflight-checklist></div>
      <script src="${app.base}preflight-checklist.js"></script></body></html>`,
    // The host changes src once the first checklist is on its way: during the element's load.
    "/switch.html": `<!doctype html><html><body>
      <preflight-checklist id="s" src="/checklist.md" namespace="team-switch"></preflight-checklist>
      <script>const t = setInterval(() => { if (performance.getEntriesByType("resource").some((r) => r.name.endsWith("/checklist.md"))) { clearInterval(t); document.getElementById("s").setAttribute("src", "/other.md"); } }, 1);</script>
      <script src="${app.base}preflight-checklist.js"></script></body></html>`,
  } });
  assert.notEqual(new URL(app.base).port, new URL(host.base).port);
  return { app, host, close: () => { app.close(); host.close(); } };
}

const inside = (id, selector) => `#${id} >> ${selector}`; // Playwright pierces open shadow roots

test("a host page on another origin embeds the element and the iframe: both render, the iframe sizes itself", async () => {
  const { host, close } = await embeds();
  const context = await browser.newContext();
  const p = await page(context);
  const requested = [];
  p.on("request", (r) => { if (r.frame() === p.mainFrame()) requested.push(new URL(r.url()).pathname); });
  await p.goto(`${host.base}plain.html`);
  for (const id of ["a", "b", "c"]) await p.waitForSelector(inside(id, "#verdict"));
  assert.match(await p.textContent(inside("c", "h2")), /by src/);
  assert.equal(await p.locator(inside("c", "button.details-button")).count(), 0, "compact: no details (notes, evidence)");
  // One stage: its verdict, score and counts are said once (the status bar), not again in its head.
  for (const id of ["a", "c"]) {
    const said = await p.evaluate((id) => {
      const root = document.getElementById(id).shadowRoot;
      return { chips: root.querySelectorAll(".verdict").length, counts: (root.textContent.match(/0\/3 items done/g) || []).length };
    }, id);
    assert.deepEqual(said, { chips: 1, counts: 1 }, `#${id}`);
  }
  assert.equal(await p.locator(inside("a", "li.item")).count(), 3);
  assert.equal(await p.locator(inside("a", ".signoff")).count(), 1);

  const frame = p.frameLocator("#frame");
  await frame.locator("preflight-checklist >> #verdict").waitFor();
  await p.waitForFunction(() => document.getElementById("frame").getBoundingClientRect().height > 1000);
  const height = await p.evaluate(() => document.getElementById("frame").getBoundingClientRect().height);
  const content = await p.frames().find((f) => f.url().includes("embed.html")).evaluate(() => document.documentElement.scrollHeight);
  assert.ok(Math.abs(height - content) <= 2, `iframe ${height}px for ${content}px of content`);
  // It follows its content: the open-items filter is not there, but a section's why panel grows it.
  await frame.locator("preflight-checklist >> button.why").first().click();
  await p.waitForFunction((h) => document.getElementById("frame").getBoundingClientRect().height > h, height);

  // Pointed at another checklist, the element loads it, and a click still counts once.
  await p.evaluate(() => document.getElementById("c").setAttribute("src", "/other.md"));
  await p.waitForFunction(() => document.getElementById("c").shadowRoot.querySelector("h2")?.textContent === "Other release"
    && document.getElementById("c").shadowRoot.querySelectorAll("li.item").length === 4);
  await p.locator(inside("c", "li.item button[data-status=na]")).first().click();
  assert.equal(await p.locator(inside("c", "dialog[open]")).count(), 1, "one dialog, not one per load");
  await p.locator(inside("c", "#reason-text")).fill("not this release");
  await p.locator(inside("c", "dialog[open] button[value=ok]")).click();
  await p.waitForFunction(() => /0\/3 items done · 1 N\/A/.test(document.getElementById("c").shadowRoot.querySelector("#counts").textContent));

  // The element reports changes to the host page.
  await p.getByRole("checkbox", { name: "Schema migrated" }).first().check();
  await p.waitForFunction(() => window.events.length > 0);
  const event = await p.evaluate(() => window.events.at(-1));
  assert.equal(event.id, "a");
  assert.equal(event.verdict, "no-go");
  assert.equal(event.scoreTenths, 333);
  // Reports come from the module the element script carries: nothing is fetched.
  const report = await p.evaluate(() => document.getElementById("a").export("json"));
  assert.match(JSON.parse(report).schema, /^preflight\.report\//);
  assert.match(report, /"status":\s*"done"/);
  assert.deepEqual(requested.filter((f) => f.endsWith(".wasm") || f.includes("extra")), [], "the element fetches no wasm");
  assert.deepEqual(p.errors, []);
  await context.close();
  close();
});

test("two embeds with different namespaces keep separate progress across a reload", async () => {
  const { host, close } = await embeds();
  const context = await browser.newContext();
  const p = await page(context);
  await p.goto(`${host.base}plain.html`);
  await p.waitForSelector(inside("b", "#verdict"));
  await p.locator(inside("a", "li.item input[type=checkbox]")).nth(1).check();
  await p.waitForFunction(() => document.getElementById("a").shadowRoot.querySelector("#counts").textContent.startsWith("1/3"));
  await p.reload();
  await p.waitForSelector(inside("b", "#verdict"));
  await p.waitForSelector(inside("a", "#verdict"));
  assert.match(await p.textContent(inside("a", "#counts")), /^1\/3/);
  assert.match(await p.textContent(inside("b", "#counts")), /^0\/3/);
  assert.ok(await p.locator(inside("a", "li.item input[type=checkbox]")).nth(1).isChecked());
  assert.ok(!(await p.locator(inside("b", "li.item input[type=checkbox]")).nth(1).isChecked()));
  await context.close();
  close();
});

test("two embeds of one checklist and namespace on a page are one run: ticks in each are kept together", async () => {
  const { host, close } = await embeds();
  const context = await browser.newContext();
  const p = await page(context);
  await p.goto(`${host.base}same.html`);
  for (const id of ["a", "b"]) await p.waitForSelector(inside(id, "#verdict"));
  await p.locator(inside("a", "li.item input[type=checkbox]")).nth(0).check();
  await p.locator(inside("b", "li.item input[type=checkbox]")).nth(1).check();
  await p.waitForTimeout(500);
  await p.reload();
  for (const id of ["a", "b"]) {
    await p.waitForSelector(inside(id, "#verdict"));
    await p.waitForFunction((id) => document.getElementById(id).shadowRoot.querySelector("#counts")?.textContent.startsWith("2/3"), id);
  }
  assert.deepEqual(p.errors, []);
  await context.close();
  close();
});

test("an embed taken out of its page and put back, or loaded again, keeps what was typed in it and leaves no listeners behind", async () => {
  const { host, close } = await embeds();
  const context = await browser.newContext();
  const p = await page(context);
  await p.goto(`${host.base}spa.html`);
  await p.waitForSelector(inside("s", "#verdict"));
  const listening = () => p.evaluate(() => ["visibilitychange", "pointerdown", "blur"].map((t) => window.listening(t)));
  const views = await listening();
  // Typed and not yet handed over: a field not left, a sign-off's name, a note within its pause.
  const field = p.locator(inside("s", ".field input")).first();
  await field.click();
  await p.keyboard.type("2.4.1");
  await p.locator(inside("s", "input[id^=signoff-name-]")).first().fill("Quinn Okafor");
  await p.locator(inside("s", "li.item")).first().locator("button.details-button").click();
  await p.locator(inside("s", "#details textarea[data-edit=note]")).fill("typed in the embed");
  const shown = async () => {
    await p.waitForFunction(() => document.getElementById("s")?.shadowRoot.querySelector(".pf-view:not([data-old]) #verdict"));
    assert.equal(await p.locator(inside("s", ".field input")).first().inputValue(), "2.4.1");
    assert.equal(await p.locator(inside("s", "input[id^=signoff-name-]")).first().inputValue(), "Quinn Okafor");
    await p.locator(inside("s", "li.item")).first().locator("button.details-button").click();
    assert.equal(await p.locator(inside("s", "#details textarea[data-edit=note]")).inputValue(), "typed in the embed");
  };
  const old = () => p.evaluate(() => { document.getElementById("s").shadowRoot.querySelector(".pf-view").dataset.old = "1"; });
  // The host navigates away and back.
  await old();
  await p.evaluate(() => { const el = document.getElementById("s"); el.remove(); setTimeout(() => document.getElementById("slot").append(el), 200); });
  await shown();
  // The host changes the element: it loads again, four times.
  for (const change of ["set", "remove", "set", "remove"]) {
    await old();
    await p.evaluate((change) => document.getElementById("s")[`${change}Attribute`]("compact", ""), change);
    await p.waitForFunction(() => document.getElementById("s")?.shadowRoot.querySelector(".pf-view:not([data-old]) #verdict"));
  }
  await shown();
  assert.deepEqual(await listening(), views, "one view's listeners on the document and the window, however often it loaded");
  // Taken out of the page while it loads again: no view is made for it, so none is left listening.
  const left = await p.evaluate(async () => {
    const el = document.getElementById("s");
    el.toggleAttribute("compact");
    el.remove();
    await el.loading;
    return window.listening("visibilitychange");
  });
  assert.equal(left, 0, "no view listens for an element out of the page");
  assert.deepEqual(p.errors, []);
  await context.close();
  close();
});

test("an embed moved to another namespace closes the first one's storage once its saves are made, and keeps them", async () => {
  const { host, close } = await embeds();
  const context = await browser.newContext();
  const p = await page(context);
  await p.goto(`${host.base}spa.html`);
  await p.waitForSelector(inside("s", "#verdict"));
  await p.locator(inside("s", "li.item input[type=checkbox]")).first().check();
  const out = await p.evaluate(async () => {
    const el = document.getElementById("s");
    const old = el.store;
    // A tick made as the namespace changes: its save is still to run when the next load starts.
    el.shadowRoot.querySelectorAll("li.item input[type=checkbox]")[1].click();
    el.setAttribute("namespace", "team-spa-2");
    while (el.store === old || el.loading) await new Promise((r) => setTimeout(r, 20));
    const closed = (f) => { try { f(); return false; } catch { return true; } };
    for (let i = 0; i < 100 && !closed(() => old.db.transaction("runs")); i++) await new Promise((r) => setTimeout(r, 20));
    return { db: closed(() => old.db.transaction("runs")), channel: closed(() => old.channel.postMessage({ sha: null })), now: el.store.namespace };
  });
  assert.deepEqual(out, { db: true, channel: true, now: "team-spa-2" });
  await p.waitForFunction(() => document.getElementById("s").shadowRoot.querySelectorAll("li.item input[type=checkbox]:checked").length === 0);
  // Back in the first namespace: both ticks were kept there.
  await p.evaluate(() => document.getElementById("s").setAttribute("namespace", "team-spa"));
  await p.waitForFunction(() => document.getElementById("s").shadowRoot.querySelectorAll("li.item input[type=checkbox]:checked").length === 2);
  assert.deepEqual(p.errors, []);
  await context.close();
  close();
});

test("an embed whose src the host changes while it loads shows, and keeps progress for, the new checklist", async () => {
  const { host, close } = await embeds();
  const context = await browser.newContext();
  const p = await page(context);
  await p.goto(`${host.base}switch.html`);
  await p.waitForFunction(() => /Other release/.test(document.getElementById("s").shadowRoot.querySelector("h2")?.textContent || ""));
  await p.waitForTimeout(500);
  assert.match(await p.textContent(inside("s", "h2")), /Other release/, "the checklist the attribute names");
  assert.deepEqual(p.errors, []);
  await context.close();
  close();
});

test("a host whose arrays have a toJSON (Prototype.js) breaks neither corrections nor what the journal keeps", async () => {
  const { host, close } = await embeds();
  const context = await browser.newContext();
  const p = await page(context);
  await p.goto(`${host.base}prototype.html`);
  await p.waitForSelector(inside("p", "#verdict"));
  const row = p.locator(inside("p", "li.item")).first();
  await row.locator("button.details-button").click();
  await p.locator(inside("p", "#details")).getByRole("checkbox", { name: "Critical: GO waits for it" }).check();
  await p.waitForFunction(() => /1 correction/.test(document.getElementById("p").shadowRoot.querySelector("#corrections")?.textContent || ""));
  await p.locator(inside("p", "#details textarea[data-edit=note]")).fill("typed, then the page was left");
  await p.reload(); // within the typing pause: only the journal has it
  await p.waitForSelector(inside("p", "#verdict"));
  await p.locator(inside("p", "li.item")).first().locator("button.details-button").click();
  assert.equal(await p.locator(inside("p", "#details textarea[data-edit=note]")).inputValue(), "typed, then the page was left");
  assert.deepEqual(p.errors, []);
  await context.close();
  close();
});

test("a host whose JSON.parse revives dates does not lose what the journal keeps", async () => {
  const { host, close } = await embeds();
  const context = await browser.newContext();
  const p = await page(context);
  await p.goto(`${host.base}reviver.html`);
  await p.waitForSelector(inside("p", "#verdict"));
  assert.equal(await p.evaluate(() => JSON.parse('"2026-12-01T10:00:00Z"') instanceof Date), true, "the host's parse is patched");
  await p.locator(inside("p", "li.item")).first().locator("button.details-button").click();
  await p.locator(inside("p", "#details textarea[data-edit=note]")).fill("typed, then the page was left");
  await p.reload(); // within the typing pause: only the journal has it
  await p.waitForSelector(inside("p", "#verdict"));
  await p.locator(inside("p", "li.item")).first().locator("button.details-button").click();
  assert.equal(await p.locator(inside("p", "#details textarea[data-edit=note]")).inputValue(), "typed, then the page was left");
  assert.deepEqual(p.errors, []);
  await context.close();
  close();
});

test("host-page CSS does not change the checklist's look", async () => {
  const { host, close } = await embeds();
  const look = async (path) => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    // One moment for both pages: the timeline and the date field show the time.
    await context.clock.setFixedTime(new Date("2026-12-01T10:00:00Z"));
    const p = await page(context);
    await p.goto(`${host.base}${path}`);
    await p.waitForSelector(inside("a", "#verdict"));
    const measured = await p.evaluate(() => {
      const root = document.getElementById("a").shadowRoot;
      const pick = (sel) => { const el = root.querySelector(sel); const s = getComputedStyle(el); const r = el.getBoundingClientRect();
        return { font: s.fontFamily, size: s.fontSize, color: s.color, display: s.display, spacing: s.letterSpacing, transform: s.textTransform, width: Math.round(r.width), height: Math.round(r.height) }; };
      return { label: pick("li.item label"), box: pick("li.item input"), heading: pick("h2"), button: pick("li.item button"), summary: pick(".summary"),
        element: Math.round(document.getElementById("a").getBoundingClientRect().height) };
    });
    // Compare settled looks: the element renders in steps (rows after the first screen, the
    // save after opening), so shoot until two shots 150 ms apart are the same.
    let shot = await p.locator("#a").screenshot();
    for (let i = 0; i < 20; i++) {
      await p.waitForTimeout(150);
      const again = await p.locator("#a").screenshot({ path: join(tmpdir(), `preflight-${path}.png`) });
      if (again.equals(shot)) break;
      shot = again;
    }
    await context.close();
    return { measured, shot };
  };
  // How many pixels two shots differ in, decoded by the browser.
  const differing = async (a, b) => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const n = await p.evaluate(async ([a, b]) => {
      const pixels = async (s) => {
        const img = new Image();
        await new Promise((resolve) => { img.onload = resolve; img.src = `data:image/png;base64,${s}`; });
        const c = document.createElement("canvas");
        [c.width, c.height] = [img.width, img.height];
        c.getContext("2d").drawImage(img, 0, 0);
        return c.getContext("2d").getImageData(0, 0, img.width, img.height).data;
      };
      const [x, y] = await Promise.all([pixels(a), pixels(b)]);
      if (x.length !== y.length) return Infinity;
      let n = 0;
      for (let i = 0; i < x.length; i += 4) if (x[i] !== y[i] || x[i + 1] !== y[i + 1] || x[i + 2] !== y[i + 2]) n++;
      return n;
    }, [a.toString("base64"), b.toString("base64")]);
    await context.close();
    return n;
  };
  try {
    let plain = await look("plain.html"), hostile = await look("hostile.html");
    // Under load (test files run in parallel on two cores) a shot can still catch a step of the
    // render: a real difference is there on a second look as well.
    if (!plain.shot.equals(hostile.shot)) { plain = await look("plain.html"); hostile = await look("hostile.html"); }
    assert.deepEqual(hostile.measured, plain.measured);
    // Chromium paints a native select's border a few pixels differently from one paint to the
    // next (17 pixels of 807,300, 1 run in 4, before this session's changes as after them); a
    // host rule that reached the element would change thousands.
    const n = plain.shot.equals(hostile.shot) ? 0 : await differing(plain.shot, hostile.shot);
    assert.ok(n <= 40, `the element looks the same: ${n} pixels differ (see ${join(tmpdir(), "preflight-plain.html.png")} and preflight-hostile.html.png)`);
  } finally {
    close();
  }
});
