// Browser benchmark of the wasm engine (issue 3): parse + model + score throughput in headless
// Chromium for the seeds, a 1 MB and a 10 MB checklist; against the native build on the same
// files, and against markdown-it + markdown-it-task-lists tokenizing the same text in the same
// page. Also reports wasm linear memory after the 10 MB document.
// Run: node tests/bench/wasm-bench.mjs   (after scripts/build-pkg.sh). Prints JSON and a table.
import { createServer } from "node:http";
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(join(root, "tools/package.json"));
const { chromium } = require("playwright-core");

// The documents: all seeds, and the seeds + corpus repeated to 1 MB and 10 MB.
const fixtures = ["seeds", "corpus"].flatMap((d) =>
  readdirSync(join(root, "tests/fixtures", d)).filter((f) => f.endsWith(".md")).sort()
    .map((f) => readFileSync(join(root, "tests/fixtures", d, f), "utf8")));
const seeds = readdirSync(join(root, "tests/fixtures/seeds")).sort()
  .map((f) => readFileSync(join(root, "tests/fixtures/seeds", f), "utf8")).join("\n\n");
const ofSize = (n) => {
  let s = "";
  while (s.length < n) s += fixtures.join("\n\n") + "\n\n";
  return s.slice(0, s.lastIndexOf("\n", n) + 1); // whole lines, just under n characters
};
const docs = { "seeds (5 files, joined)": seeds, "1 MB": ofSize(1 << 20), "10 MB": ofSize(10 << 20) };
const dir = "/tmp/preflight-bench"; mkdirSync(dir, { recursive: true });
const files = Object.entries(docs).map(([name, text], i) => { const p = join(dir, `doc${i}.md`); writeFileSync(p, text); return [name, p]; });

// The baseline module: the same engine build plus `bareWalk` (feature bench-baseline), made the
// way build-pkg.sh makes pkg/, into the scratch directory.
const walkPkg = join(dir, "walk-pkg");
execFileSync("cargo", ["build", "--quiet", "--release", "--target", "wasm32-unknown-unknown", "-p", "preflight-wasm",
  "--features", "bench-baseline", "--target-dir", join(root, "target/bench-baseline")], { cwd: root, stdio: "inherit" });
execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", walkPkg, "--out-name", "preflight",
  join(root, "target/bench-baseline/wasm32-unknown-unknown/release/preflight_wasm.wasm")], { stdio: "inherit" });
execFileSync(join(root, "tools/node_modules/.bin/wasm-opt"), ["-O3", "--strip-debug", "--strip-producers",
  "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals",
  "--enable-multivalue", "--enable-reference-types", join(walkPkg, "preflight_bg.wasm"), "-o", join(walkPkg, "preflight_bg.wasm")],
  { stdio: "inherit" });

// Native timings of the same files.
execFileSync("cargo", ["build", "--quiet", "--release", "-p", "preflight-core", "--example", "timing"], { cwd: root, stdio: "inherit" });
const native = JSON.parse(execFileSync(join(root, "target/release/examples/timing"), files.map((f) => f[1]), { encoding: "utf8" }));

const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".md": "text/plain" };
const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/") { res.writeHead(200, { "content-type": "text/html" }); res.end("<!doctype html><title>bench</title>"); return; }
  const path = url.pathname.startsWith("/doc/") ? join(dir, url.pathname.slice(5))
    : url.pathname.startsWith("/walk-pkg/") ? join(dir, url.pathname) : join(root, url.pathname);
  try { const body = readFileSync(path); res.writeHead(200, { "content-type": types[extname(path)] || "application/octet-stream" }); res.end(body); }
  catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const page = await browser.newPage();
await page.goto(base + "/");
const results = await page.evaluate(async ({ files }) => {
  const engine = await import("/pkg/preflight.js");
  const wasm = await engine.default();
  const walker = await import("/walk-pkg/preflight.js");
  await walker.default();
  const md = (await import("/tools/node_modules/markdown-it/dist/browser/markdown-it.esm.min.mjs")).default();
  const plugin = { exports: {} };
  new Function("module", "exports", await (await fetch("/tools/node_modules/markdown-it-task-lists/index.js")).text())(plugin, plugin.exports);
  md.use(plugin.exports);
  const best = (f, runs) => { let b = Infinity; for (let i = 0; i < runs; i++) { const t = performance.now(); f(); b = Math.min(b, performance.now() - t); } return b; };
  const out = [];
  for (const [name, path] of files) {
    const text = await (await fetch("/doc/" + path.split("/").pop())).text();
    const bytes = new TextEncoder().encode(text);
    const runs = bytes.length > 4e6 ? 7 : 25;
    const run = () => { const c = engine.Checklist.fromBytes(bytes); const r = c.newRun("b", "b", "t"); c.score(r); r.free(); c.free(); };
    // V8 tiers wasm up lazily: warm up well before measuring.
    for (let i = 0; i < (bytes.length > 4e6 ? 3 : 20); i++) run();
    const wasmMs = best(run, runs);
    const walk = () => walker.bareWalk(bytes);
    for (let i = 0; i < (bytes.length > 4e6 ? 3 : 20); i++) walk();
    const walkMs = best(walk, runs);
    for (let i = 0; i < 3; i++) md.parse(text, {});
    const mdMs = best(() => md.parse(text, {}), Math.min(runs, 7));
    out.push({ name, bytes: bytes.length, wasmMs, walkMs, markdownItMs: mdMs, memoryBytes: wasm.memory.buffer.byteLength });
  }
  return out;
}, { files });
await browser.close(); server.close();

const rows = results.map((r, i) => ({ ...r, nativeMs: native[i].ms,
  wasmMBs: r.bytes / 1e6 / (r.wasmMs / 1e3), wasmVsNative: native[i].ms / r.wasmMs, vsMarkdownIt: r.markdownItMs / r.wasmMs,
  walkVsMarkdownIt: r.markdownItMs / r.walkMs, engineOverWalk: r.wasmMs / r.walkMs }));
const pkg = join(root, "pkg/preflight_bg.wasm");
const raw = readFileSync(pkg);
const gz = execFileSync("gzip", ["-9", "-c", pkg], { maxBuffer: 1 << 26 }).length;
const br = (() => { try { return execFileSync("brotli", ["-c", "-q", "11", pkg], { maxBuffer: 1 << 26 }).length; } catch { return null; } })();
console.log(JSON.stringify({ wasm: { bytes: raw.length, gzip: gz, brotli: br }, rows }, null, 2));
console.log("\n| document | size | wasm ms | MB/s | native ms | wasm speed ÷ native | markdown-it ms | wasm × faster than markdown-it | bare walk in wasm ms | bare walk × faster than markdown-it | engine ÷ walk (wasm) | wasm memory after |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${(r.bytes / 1e6).toFixed(2)} MB | ${r.wasmMs.toFixed(1)} | ${r.wasmMBs.toFixed(1)} | ${r.nativeMs.toFixed(1)} | ${r.wasmVsNative.toFixed(2)}× | ${r.markdownItMs.toFixed(1)} | ${r.vsMarkdownIt.toFixed(1)}× | ${r.walkMs.toFixed(1)} | ${r.walkVsMarkdownIt.toFixed(1)}× | ${r.engineOverWalk.toFixed(2)}× | ${(r.memoryBytes / 2 ** 20).toFixed(0)} MiB |`);
console.log(`\nwasm: ${raw.length} bytes, ${gz} gzip, ${br ?? "n/a"} brotli`);
