// Serves dist/site (and, for tests, tests/fixtures under /fixtures/ with CORS) on a loopback
// port. Shared by the e2e tests, the app benchmark and the screenshot script.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".md": "text/markdown" };

export async function serveSite() {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const file = path.startsWith("/fixtures/") ? join(root, "tests", path) : join(root, "dist/site", path === "/" ? "index.html" : path);
    let body;
    try { body = readFileSync(file); } catch { res.writeHead(404); res.end(); return; }
    const headers = { "content-type": types[extname(file)] || "application/octet-stream" };
    if (path.startsWith("/fixtures/")) headers["access-control-allow-origin"] = "*";
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { base: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}
