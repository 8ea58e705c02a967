// The served index.html names, in its head, every module app.js imports (statically, at any
// depth) and the wasm module the engine fetches, so the browser fetches them all at once
// instead of finding each only after the one importing it has arrived and been parsed
// (a waterfall five modules deep), and the wasm compiles while the modules load.
// Run by scripts/build-site.sh on dist/site.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname, relative, posix } from "node:path";
import { fileURLToPath } from "node:url";

const site = join(dirname(fileURLToPath(import.meta.url)), "../dist/site");
const seen = new Set();
function visit(file) {
  if (seen.has(file)) return;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  // Static imports and re-exports only: a dynamic import() is what is fetched later, on use.
  for (const [, spec] of text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"/gms)) {
    const target = join(dirname(file), spec);
    if (!existsSync(target)) throw new Error(`${relative(site, file)} imports ${spec}, which is not in dist/site`);
    visit(target);
  }
}
const entry = join(site, "app.js");
visit(entry);
const modules = [...seen].filter((f) => f !== entry).map((f) => relative(site, f).split("\\").join(posix.sep)).sort();
const links = [
  ...modules.map((m) => `<link rel="modulepreload" href="${m}">`),
  // The glue fetches it with fetch()'s defaults (CORS mode, same-origin credentials): crossorigin matches.
  '<link rel="preload" href="pkg/preflight_bg.wasm" as="fetch" type="application/wasm" crossorigin>',
].join("\n");
const index = join(site, "index.html");
const html = readFileSync(index, "utf8");
const script = '<script type="module" src="app.js"></script>';
if (!html.includes(script)) throw new Error("index.html: the app's script tag changed shape");
writeFileSync(index, html.replace(script, `${links}\n${script}`));
console.log(`index.html preloads ${modules.length} modules and the engine's wasm`);
