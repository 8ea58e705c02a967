// Builds what needs bundling after scripts/build-site.sh has copied web/ and pkg/ to dist/site:
//   dist/preflight.html (and a copy in dist/site): the whole app in one file that works from
//     file:// — CSS inline, the JS as one classic script, the wasm inside it (gzip + base64),
//     and a Content-Security-Policy that allows exactly those inline blocks by hash;
//   dist/site/preflight-checklist.js: the <preflight-checklist> element, one script to include;
//   dist/site/sw.js: the service worker, its cache named for this build's content.
import { build } from "../tools/node_modules/esbuild/lib/main.js";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "web");
const site = join(root, "dist/site");
// The one-module build (scripts/build-pkg.sh): the first module with the second's functions.
const wasm = readFileSync(join(root, "pkg/all/preflight_bg.wasm"));

// engine.js fetches the wasm (the second module on first use); bundles take engine-inline.js,
// which carries one module with everything.
const inlineEngine = {
  name: "inline-engine",
  setup(b) {
    b.onResolve({ filter: /^\.\/engine\.js$/ }, () => ({ path: join(web, "engine-inline.js") }));
    b.onResolve({ filter: /^\.\/pkg\/preflight\.js$/ }, () => ({ path: join(root, "pkg/all/preflight.js") }));
    b.onResolve({ filter: /^preflight:wasm$/ }, () => ({ path: "wasm", namespace: "preflight" }));
    b.onLoad({ filter: /.*/, namespace: "preflight" }, () => ({
      contents: `export default ${JSON.stringify(gzipSync(wasm, { level: 9 }).toString("base64"))};`, loader: "js",
    }));
  },
};

async function bundle(entry) {
  const out = await build({
    entryPoints: [join(web, entry)], bundle: true, format: "iife", minify: true, write: false,
    target: ["chrome105", "firefox113", "safari16.4"], loader: { ".css": "text" }, plugins: [inlineEngine],
    logLevel: "error", legalComments: "none",
  });
  const js = out.outputFiles[0].text;
  if (/<\/script/i.test(js) || /<!--/.test(js)) throw new Error(`${entry}: the bundle contains </script or <!--, unsafe inline`);
  return js;
}

const sha = (text) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

// ---- the single file ----------------------------------------------------------------------
const app = await bundle("app.js");
const css = readFileSync(join(web, "view.css"), "utf8") + readFileSync(join(web, "style.css"), "utf8");
let html = readFileSync(join(web, "index.html"), "utf8");
const csp = `default-src 'none'; script-src ${sha(app)} 'wasm-unsafe-eval'; style-src ${sha(css)}; img-src data:; connect-src https: http:; object-src 'none'; base-uri 'none'; form-action 'none'`;
html = html
  .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`)
  .replace(/<link rel="stylesheet" href="view.css">\n<link rel="stylesheet" href="style.css">/, () => `<style>${css}</style>`)
  .replace(/<script type="module" src="app.js"><\/script>\n/, "")
  .replace(/ *<p class="offline-copy">.*<\/p>\n/, "")
  .replace("</body>", () => `<script>${app}</script>\n</body>`);
for (const must of ["<style>", "<script>", "sha256-"]) if (!html.includes(must)) throw new Error(`preflight.html: ${must} missing; index.html changed shape`);
if (/<script[^>]+src=|<link[^>]+stylesheet/.test(html)) throw new Error("preflight.html still refers to another file");
writeFileSync(join(root, "dist/preflight.html"), html);
writeFileSync(join(site, "preflight.html"), html);

// ---- the element ----------------------------------------------------------------------------
writeFileSync(join(site, "preflight-checklist.js"), await bundle("element.js"));

// ---- the service worker -----------------------------------------------------------------------
const files = (dir) => readdirSync(dir).flatMap((f) => statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]);
// preflight.html too: "Download Preflight as one HTML file" must work offline.
const cached = files(site).map((f) => relative(site, f)).filter((f) => f !== "sw.js").sort();
const hash = createHash("sha256").update(readFileSync(join(web, "sw.js")));
for (const f of cached) hash.update(f).update(readFileSync(join(site, f)));
const buildId = hash.digest("hex").slice(0, 16);
const sw = readFileSync(join(web, "sw.js"), "utf8").replace("__BUILD__", buildId).replace("__FILES__", JSON.stringify(["./", ...cached]));
writeFileSync(join(site, "sw.js"), sw);

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const element = readFileSync(join(site, "preflight-checklist.js"));
console.error(`dist/preflight.html ${kb(html.length)} (${kb(gzipSync(html).length)} gzipped); preflight-checklist.js ${kb(element.length)} (${kb(gzipSync(element).length)} gzipped); build ${buildId}`);
