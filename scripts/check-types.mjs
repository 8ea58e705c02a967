// The engine's TypeScript types (crates/preflight-wasm/src/types.d.ts, shipped in pkg/) checked
// against what the engine really returns. Every seed and corpus checklist is parsed by the built
// wasm, worked on through the public API (ticks, N/A and blocked with reasons, a note and
// evidence, a field, a section switched, a sign-off signed, a gate passed, a rename, a close),
// and what comes back — the model, whole and per-gate scorecards, the run state, the library's
// infos, a backup read back, `explain` — is written out as TypeScript literals typed with the
// shipped types. `tsc --strict` then refuses any field the types lack (excess property checks),
// any they require that is missing, and any value outside a union ("task" | "signOff").
// A type that drifts from the Rust it describes (the run's `renamedAt` once did) fails the
// test command. Run by scripts/test.sh after scripts/build-pkg.sh.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const engine = await import(join(root, "pkg/preflight.js"));
await engine.default({ module_or_path: readFileSync(join(root, "pkg/preflight_bg.wasm")) });
const extra = await import(join(root, "pkg/preflight_extra.js"));
await extra.default({ module_or_path: readFileSync(join(root, "pkg/preflight_extra_bg.wasm")) });
const { Checklist, Stored } = engine;

const files = ["seeds", "corpus"].flatMap((d) => readdirSync(join(root, "tests/fixtures", d)).filter((f) => f.endsWith(".md")).sort()
  .map((f) => [`${d}/${f}`, readFileSync(join(root, "tests/fixtures", d, f), "utf8")]));

const at = "2026-12-02T10:00:00.000Z";
const values = []; // [type, value, where]
const tryTo = (f) => { try { f(); } catch { /* not every checklist has what this step needs */ } };
for (const [where, text] of files) {
  const checklist = Checklist.parse(text);
  const model = checklist.model();
  const run = checklist.newRun("r1", "Run", at);
  const tasks = model.items.filter((i) => i.kind === "task");
  tryTo(() => run.setStatus(checklist, tasks[0].id, "done", undefined, "ana", at));
  tryTo(() => run.setStatus(checklist, tasks[1].id, "na", "not this release", "ana", at));
  tryTo(() => run.setStatus(checklist, tasks[2].id, "blocked", "waiting on DBA", "ana", at));
  tryTo(() => run.setNote(checklist, tasks[3].id, "checked by hand", "ana", at));
  tryTo(() => run.setEvidence(checklist, tasks[3].id, "https://ci.example/run/1", "ana", at));
  tryTo(() => run.setField(checklist, model.fields[0].id, "42 ms", "ana", at));
  const conditional = model.sections.find((s) => s.conditional);
  tryTo(() => run.setSection(checklist, conditional.id, false, "ana", at));
  const signOff = [...model.items, ...(model.slots || [])].find((i) => i.kind === "signOff");
  tryTo(() => run.sign(checklist, signOff.id, "Ana Lima", "2026-12-02", "approved", undefined, "ana", at));
  tryTo(() => run.passGate(checklist, "before", "ana", at));
  run.rename("Run, renamed", at);
  run.close("ana", at);
  values.push(["ChecklistModel", model, where]);
  values.push(["Scorecard", checklist.score(run), where]);
  tryTo(() => values.push(["Scorecard", checklist.scoreGate(run, "before"), where]));
  values.push(["RunState", run.toObject(), where]);
  values.push(["Explanation", extra.explain(text, undefined), where]);
  const kept = Stored.templateValue(checklist, "CHECKLIST.md", at, { kind: "link", url: "https://wiki.example/CHECKLIST.md" });
  values.push(["TemplateInfo", Stored.templateInfo(checklist.sourceSha256, kept, undefined), where]);
  values.push(["RunInfo", Stored.runInfo(checklist.sourceSha256, "r1", run.toJson()), where]);
  const backup = JSON.stringify({ schema: "preflight.backup/1", createdAt: at, namespace: "app", templates: [{ sha256: checklist.sourceSha256, value: kept }],
    runs: [{ sha256: checklist.sourceSha256, id: "r1", value: run.toJson() }, { sha256: checklist.sourceSha256, id: "r2", value: "{}" }], corrections: [] });
  values.push(["BackupContents", Stored.readBackup(backup), where]);
  run.free(); checklist.free();
}

const types = [...new Set(values.map(([t]) => t))].sort();
const out = join(root, "target/types-check");
mkdirSync(out, { recursive: true });
const ts = [
  `import type { ${types.join(", ")} } from "../../pkg/preflight.js";`,
  ...values.map(([type, value, where], i) => `// ${where}\nexport const v${i}: ${type} = ${JSON.stringify(value)};`),
].join("\n");
writeFileSync(join(out, "values.ts"), `${ts}\n`);
const tsc = join(root, "tools/node_modules/.bin/tsc");
try {
  execFileSync(tsc, ["--noEmit", "--strict", "--exactOptionalPropertyTypes", "--target", "ES2023", "--lib", "ESNext,DOM", "--module", "ESNext", "--moduleResolution", "Bundler",
    join(out, "values.ts")], { stdio: "pipe", cwd: root });
} catch (e) {
  const lines = String(e.stdout || e.message).split("\n").filter(Boolean);
  console.error(`The engine's types differ from what it returns (${lines.length} lines from tsc; ${join(out, "values.ts")}):\n${lines.slice(0, 20).join("\n")}`);
  process.exit(1);
}
console.log(`types checked: ${values.length} values the engine returned for ${files.length} checklists (${types.join(", ")})`);
