// The inline embed cannot run the host's HTML: a checklist whose text holds `</script>` and
// markup, written into the host page by `preflight embed` (every `</` as `<\/`), stays text
// inside the element — nothing runs, nothing leaks into the page — and the element reads back
// exactly the Markdown it was given.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { root, serveSite, launchChromium } from "./site-server.mjs";

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

function preflightBinary() {
  const dir = process.env.CARGO_TARGET_DIR || join(root, "target");
  const bin = join(dir, "debug/preflight");
  if (!existsSync(bin)) execFileSync("cargo", ["build", "-q", "-p", "preflight-cli"], { cwd: root, stdio: "inherit" });
  return bin;
}

const HOSTILE = `# Hotfix
- [ ] Patch reviewed </script><img src=x onerror="window.pwned=1"><script>window.pwned=2</script>
- [ ] Ship it <!-- <script> --> after review
`;

test("preflight embed escapes the inline Markdown: the host runs nothing and the element reads it exactly", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pf-embed-"));
  writeFileSync(join(dir, "hotfix.md"), HOSTILE);
  const app = await serveSite();
  const snippet = execFileSync(preflightBinary(), ["embed", join(dir, "hotfix.md"), "--namespace", "hotfix", "--script", `${app.base}preflight-checklist.js`]).toString();
  assert.equal(snippet.match(/<\/script/g).length, 2, "only the loader's and the holder's own end tags");
  const host = await serveSite({ pages: { "/host.html": `<!doctype html><html><body><h1>Wiki</h1>\n${snippet}<p id="after">after the embed</p></body></html>` } });
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    const errors = [];
    p.on("pageerror", (e) => errors.push(String(e)));
    await p.goto(`${host.base}host.html`);
    // The holder's text is the escaped Markdown: nothing in it became elements of the page.
    assert.equal(await p.evaluate(() => document.querySelectorAll("preflight-checklist > script").length), 1);
    await p.waitForFunction(() => document.querySelector("preflight-checklist")?.shadowRoot?.textContent.includes("Ship it"), null, { timeout: 15000 });
    assert.equal(await p.evaluate(() => window.pwned), undefined, "no payload ran in the host page");
    assert.equal(await p.locator("img").count(), 0, "no markup leaked into the host page");
    assert.equal(await p.locator("#after").count(), 1, "the host page goes on after the element");
    const shown = await p.evaluate(() => document.querySelector("preflight-checklist").shadowRoot.textContent);
    // The item is there with its words; its raw HTML is dropped, as all raw HTML is.
    assert.ok(shown.includes("Patch reviewed"), shown);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    app.close();
    host.close();
  }
});

test("embed-host.js resizes only Preflight's own iframes, never a third party's", async () => {
  const app = await serveSite();
  const other = await serveSite({ pages: { "/widget.html": `<!doctype html><p>ad</p><script>parent.postMessage({ type: "preflight:height", height: 4321 }, "*");</script>` } });
  const host = await serveSite({ pages: { "/host.html": `<!doctype html><html><body>
    <iframe id="third" src="${other.base}widget.html" style="height: 100px"></iframe>
    <iframe id="pf" src="${app.base}embed.html?sample" style="height: 100px"></iframe>
    <script src="${app.base}embed-host.js"></script></body></html>` } });
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await p.goto(`${host.base}host.html`);
    await p.waitForFunction(() => document.getElementById("pf").style.height !== "100px", null, { timeout: 15000 });
    // The widget posted its message at load; give any handler time to (wrongly) act on it.
    await p.waitForTimeout(300);
    assert.equal(await p.evaluate(() => document.getElementById("third").style.height), "100px");
    assert.notEqual(await p.evaluate(() => document.getElementById("pf").style.height), "100px");
  } finally {
    await context.close();
    app.close(); other.close(); host.close();
  }
});
