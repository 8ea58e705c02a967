// The top of the view: the summary (title, run, where the checklist came from, the stages in
// order) and the status bar under it, which stays in view while scrolling (sticky) with the
// current stage, its verdict, score, band and counts. Every figure is the engine's
// (checklist.scoreGate); this module only lays them out.
import { h, when } from "./dom.js";
import { percent } from "./engine.js";
import { STAGE_NAMES } from "./reading.js";
import { stageStrip, verdictChip, countsLine, changedSince } from "./stages.js";

/** Where a checklist came from, as people read it: "host/path" (nothing for a local file). */
export function originLabel(origin) {
  if (!origin) return "";
  try { const u = new URL(origin.url); return u.protocol === "file:" ? u.pathname : `${u.host}${u.pathname}`; } catch { return origin.url; }
}

/** The stage the status bar follows: the current one, else the first. */
const headOf = (stages, where) => stages.find((g) => g.gate === where.current) || stages[0];

/** The summary: title, run, provenance and the stages in order. */
export function summary(view, stages, where) {
  return h("section", { class: "summary", "aria-label": "Readiness" },
    h(view.titleTag, { id: "view-title", tabindex: "-1" }, view.model.title),
    view.compact ? null : h("p", { class: "muted" }, `Run “${view.run.name}” · ${view.name}`, where.closed ? ` · closed ${when(where.closed.at)}` : "",
      changedSince(view.runState, where.closed) ? h("span", { class: "stale" }, ", changed since") : ""),
    provenance(view),
    view.compact ? null : stageStrip(view, stages, where));
}

/**
 * The status bar: the current stage, its verdict, score, band, counts and a progress bar. It
 * sticks below the page's own sticky header (--pf-sticky-top), except in a compact view.
 */
export function statusBar(view, stages, where) {
  const head = headOf(stages, where);
  const bar = h("div", { class: `pf-status${view.compact ? " static" : ""}`, role: "group", "aria-label": "Readiness now" });
  if (!head) { bar.append(h("p", { id: "counts" }, "Nothing to check.")); return bar; }
  const fill = h("span");
  fill.style.width = `${head.scoreTenths / 10}%`; // CSSOM, which the CSP allows (style attributes it would not)
  bar.append(
    h("p", { class: "headline" },
      stages.length > 1 ? h("span", { class: "stage-name" }, STAGE_NAMES[head.gate]) : null,
      verdictChip(head.verdict, "verdict"),
      h("span", { class: "score", id: "score" }, percent(head.scoreTenths)),
      h("span", { id: "band" }, head.band.label)),
    h("p", { id: "counts" }, countsLine(head)),
    h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(head.scoreTenths / 10), "aria-label": `Score: ${STAGE_NAMES[head.gate]}` }, fill));
  return bar;
}

/**
 * Where a checklist from a link or a host page came from, always in view; a link's checklist
 * is not kept (nor is anything carried into it) until the user says so here.
 */
function provenance(view) {
  if (!view.origin) return null;
  const from = originLabel(view.origin);
  if (view.origin.kind !== "link") return h("p", { class: "provenance", id: "provenance" }, "From ", h("strong", {}, from));
  if (view.keep) return h("p", { class: "provenance", id: "provenance" }, "From a link: ", h("strong", {}, from), " · kept in this browser");
  return h("p", { class: "provenance unkept", id: "provenance", role: "note" },
    "From a link: ", h("strong", {}, from), ". Nothing of it is kept in this browser, and nothing is carried into it, until you keep it. ",
    h("button", { type: "button", id: "keep-link", onclick: async () => {
      await view.keepNow();
      view.render("keep");
      view.byId("view-title")?.focus();
      view.onKeep?.(view);
    } }, "Keep it in this browser"));
}
