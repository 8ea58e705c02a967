// The run as stages: its gates in order ("Ready to deploy?" → "Deploying" → "Verified"), each
// with its verdict, score, what blocks it and the action that passes it; the contingency
// procedures, folded until someone starts one; and the run's timeline with who, when and how
// long each stage took. Every verdict is the engine's (checklist.scoreGate); this module only
// shows them and asks for the run's explicit steps (run.passGate, startContingency, close).
import { h, when } from "./dom.js";
import { percent } from "./engine.js";
import { STAGE_NAMES, whyButton } from "./reading.js";
import { signOffPanel } from "./signoffs.js";
import { sectionNode } from "./sections.js";

export const ORDER = ["before", "during", "after"];
const ACTION = { before: "Declare GO", during: "Mark deployed", after: "Mark verified" };
export const PASSED = { before: "GO declared", during: "Deployed", after: "Verified" };

/** The stages this run shows: gates with sections or sign-offs, in order. A flat checklist has one. */
export function stagesOf(card) {
  return ORDER.map((g) => card.gates.find((x) => x.gate === g)).filter((g) => g && (g.sections.length || g.signOffs.total));
}

const passedEvent = (timeline, gate) => timeline.find((e) => e.gate === gate && (e.event === "go-declared" || e.event === "gate-passed"));
export const closedEvent = (timeline) => timeline.find((e) => e.event === "closed");

/**
 * Whether the run was changed after `event` (closing it): its log holds a later entry. The page
 * lets work go on in a closed run, so the closed label must not stand for the state shown.
 */
export function changedSince(state, event) {
  const at = event && Date.parse(event.at);
  return Boolean(at) && (state.log || []).some((e) => e.what !== "closed" && Date.parse(e.at) > at);
}

/**
 * Where the run is: per stage its pass event, when it started, and whether it is the current
 * one (the first stage with something to pass that has not been passed). Empty stages (no
 * verdict) are skipped by the engine too.
 */
export function progress(stages, state) {
  const timeline = state.timeline || [];
  const out = new Map();
  let start = state.createdAt;
  let current = null;
  for (const g of stages) {
    const passed = passedEvent(timeline, g.gate);
    const waitingFor = current && !passed ? current : null;
    out.set(g.gate, { passed, start: passed || !current ? start : null, waitingFor, current: false });
    if (passed) start = passed.at;
    else if (!current && g.verdict !== null) { current = g.gate; out.get(g.gate).current = true; }
  }
  return { stages: out, current: current || stages.at(-1)?.gate || "before", closed: closedEvent(timeline) };
}

/** A span of time in words: "under a minute", "12 min", "1 h 5 min", "2 d 3 h". */
export function duration(from, to) {
  const ms = new Date(to).getTime() - new Date(from).getTime();
  if (!Number.isFinite(ms) || ms < 0) return "";
  const min = Math.floor(ms / 60000);
  if (min < 1) return "under a minute";
  if (min < 60) return `${min} min`;
  const hours = Math.floor(min / 60);
  if (hours < 24) return `${hours} h${min % 60 ? ` ${min % 60} min` : ""}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ""}`;
}

const time = (at) => h("time", { datetime: at }, when(at));
const byWhom = (e) => (e.by ? ` by ${e.by}` : "");

export function verdictChip(verdict, id) {
  return h("span", { class: `verdict ${verdict || "none"}`, id }, verdict === "go" ? "GO" : verdict === "no-go" ? "NO-GO" : "—");
}

/** The summary's strip: each stage with its verdict and where the run stands. */
export function stageStrip(view, stages, where) {
  if (stages.length < 2) return null;
  return h("ol", { class: "stage-strip", "aria-label": "Stages" }, stages.map((g, i) => {
    const at = where.stages.get(g.gate);
    const state = at.passed ? `${PASSED[g.gate]}${byWhom(at.passed)}${undone(g, at) ? ", NO-GO since" : ""}` : at.current && !where.closed ? "now" : g.verdict === null ? "nothing to check" : "later";
    return h("li", { class: `${at.passed ? "passed" : ""}${undone(g, at) ? " undone" : ""}${at.current ? " current" : ""}`, "aria-current": at.current && !where.closed ? "step" : null },
      h("a", { href: `#stage-${g.gate}`, onclick: (e) => view.reveal(e, `stage-${g.gate}`) }, `${i + 1}. ${STAGE_NAMES[g.gate]}`), " ",
      verdictChip(g.verdict), " ", h("span", { class: "muted" }, g.verdict === null ? "" : `${percent(g.scoreTenths)} · ${state}`));
  }));
}

/** What blocks a stage: the engine's reasons naming their items, and the stage's blocked items. */
export function reasonsList(view, card, id) {
  const name = (itemId) => {
    const item = view.byItemId.get(itemId);
    return h("a", { href: `#item-${itemId}`, onclick: (e) => view.reveal(e, `item-${itemId}`) }, item?.signOff?.role || item?.text || itemId);
  };
  const lines = card.reasons.map((r) => h("li", {}, r.message,
    r.items?.length ? [" — ", ...r.items.slice(0, 5).flatMap((itemId, i) => [i ? ", " : "", name(itemId)]), r.items.length > 5 ? `, and ${r.items.length - 5} more` : ""] : null));
  // From the run's entries, not every item: a click on a 10,000-item checklist stays cheap.
  const blocked = Object.entries(view.runState.items).filter(([, st]) => st.status === "blocked")
    .map(([id]) => view.byItemId.get(id)).filter((i) => i && i.kind === "task" && i.gate === card.gate)
    .sort((a, b) => a.span.start - b.span.start);
  if (blocked.length) {
    lines.push(h("li", {}, `${blocked.length} blocked: `, ...blocked.slice(0, 5).flatMap((i, n) =>
      [n ? "; " : "", name(i.id), ` (${view.runState.items[i.id].reason})`])));
  }
  if (!lines.length) return h("p", { class: "reasons", id }, card.verdict === null ? "Nothing to check in this stage." : "Nothing blocks GO.");
  return h("div", { class: "reasons" }, h("strong", {}, "What blocks GO"), h("ul", { id }, lines));
}

/**
 * A scorecard's counts in one line: "3/10 items done · 1 N/A · 0 blocked · 1/2 sign-offs signed".
 * The engine counts a stale signature as signed; the line says how many are, since a stale one
 * no longer vouches for what the stage holds now.
 */
export function countsLine(card) {
  const stale = card.signOffs.stale ? ` (${card.signOffs.stale} stale)` : "";
  return `${card.counts.done}/${card.counts.applicable} items done · ${card.counts.na} N/A · ${card.counts.blocked} blocked · ${card.signOffs.signed}/${card.signOffs.total} sign-offs signed${stale}`;
}

/** Whether a passed stage has gone back to NO-GO since: a change after its pass undid what it vouched for. */
const undone = (card, at) => Boolean(at.passed) && card.verdict === "no-go";

/** A stage's header: its name, verdict, score, counts, what blocks it, and whether it was passed. */
export function stageHeader(view, card, at, number, where) {
  // The only stage (number 0) says its verdict, score and counts in the status bar: once is enough.
  const figures = number > 0;
  const counts = !figures || card.verdict === null ? "" : countsLine(card);
  return h("header", { class: "stage-head", id: `stage-head-${card.gate}` },
    h("h2", { id: `stage-${card.gate}`, tabindex: "-1" }, number ? `${number}. ` : "", STAGE_NAMES[card.gate],
      ...(figures ? [" ", verdictChip(card.verdict), card.verdict === null ? null : h("span", { class: "stage-score" }, `${percent(card.scoreTenths)} · ${card.band.label}`)] : [])),
    counts ? h("p", { class: "muted" }, counts) : null,
    at.passed ? h("p", { class: "passed" }, `✓ ${PASSED[card.gate]}${byWhom(at.passed)}, `, time(at.passed.at), at.start ? ` · took ${duration(at.start, at.passed.at)}` : "") : null,
    // A passed stage that a later change took back to NO-GO says why, as one never passed does.
    undone(card, at) ? h("p", { class: "undone", role: "note" }, `It is NO-GO now: something changed after “${PASSED[card.gate]}”.`) : null,
    (at.passed && !undone(card, at)) || view.compact ? null : reasonsList(view, card, at.current ? "reasons" : `reasons-${card.gate}`));
}

/**
 * A stage's pause point, after its sections and sign-offs: the action that passes it (enabled
 * only when its verdict is GO and the stage before it has been passed) or who passed it, when.
 */
export function stageFooter(view, card, at, where) {
  const box = h("div", { class: "pause-point", id: `pause-${card.gate}` });
  if (card.verdict === null) return box;
  const state = h("p", { class: "stage-state", id: `stage-state-${card.gate}`, tabindex: "-1" });
  if (at.passed) {
    state.append(`✓ ${PASSED[card.gate]}${byWhom(at.passed)}, `, time(at.passed.at));
    box.append(state);
    return box;
  }
  if (where.closed) return box;
  const blockedBy = at.waitingFor ? `${ACTION[at.waitingFor]} first.` : card.verdict !== "go" ? "Possible once nothing blocks GO." : "";
  state.append(blockedBy);
  box.append(h("button", { type: "button", class: "primary", id: `pass-${card.gate}`, disabled: Boolean(blockedBy),
    "aria-describedby": blockedBy ? state.id : null, onclick: () => view.passGate(card.gate, ACTION[card.gate]) }, ACTION[card.gate]), " ", state);
  return box;
}

/** A contingency section (`index` in the model's sections), folded until started: its title, its size, and the button that starts it. */
export function contingencyFold(view, section, index, why) {
  const steps = view.tasksUnder[index];
  const label = /roll\s*back|rollback/i.test(section.title) ? "Start rollback" : `Start ${section.title.replace(/^[\d.\s]+/, "")}`;
  return h("section", { class: "checklist-section contingency folded" },
    h("h3", { id: `section-${section.id}`, tabindex: "-1" }, section.title, " ", why),
    h("p", { class: "muted" }, `${steps} ${steps === 1 ? "step" : "steps"}, folded until started: they count only once someone starts this procedure.`),
    h("button", { type: "button", id: `start-${section.id}`, onclick: () => view.startContingency(section, label) }, label));
}

/** The run's timeline: started, each stage passed (who, when, how long it took), contingencies, closed. */
export function timelinePanel(view, stages, where, state) {
  const events = [...(state.timeline || [])].sort((a, b) => a.at.localeCompare(b.at));
  const took = new Map([...where.stages].filter(([, s]) => s.passed && s.start).map(([, s]) => [s.passed, duration(s.start, s.passed.at)]));
  const sectionTitle = (id) => view.model.sections.find((s) => s.id === id)?.title || id;
  const line = (e) => {
    switch (e.event) {
      case "go-declared": case "gate-passed":
        return [`${PASSED[e.gate] || `${e.gate} passed`}${byWhom(e)}`, e.note ? ` at ${e.note}` : "", took.get(e) ? ` · “${STAGE_NAMES[e.gate]}” took ${took.get(e)}` : ""];
      case "contingency-started": return [`${sectionTitle(e.section)} started${byWhom(e)}`, e.note ? `: ${e.note}` : ""];
      case "closed": return [`Run closed${byWhom(e)}`, ` · ${duration(state.createdAt, e.at)} in all`];
      default: return [e.event, byWhom(e)];
    }
  };
  const close = where.closed || view.compact ? null
    : h("button", { type: "button", id: "close-run", onclick: () => view.closeRun() }, "Close run");
  return h("section", { class: "timeline", "aria-labelledby": "timeline-title" }, h("h2", { id: "timeline-title", tabindex: "-1" }, "Timeline"),
    h("ol", { id: "timeline" },
      h("li", {}, time(state.createdAt), " ", `Run “${state.name}” started`),
      events.map((e) => h("li", { class: e.event }, time(e.at), " ", ...line(e)))),
    close);
}

// ---- the stages as drawn in the view's list ----------------------------------------------------

/** The sign-off slots (task lines and others) of one gate (null: none), in document order. */
function slotsOf(view, gate) {
  return [...view.items.filter((i) => i.kind === "signOff"), ...view.slots]
    .filter((i) => (i.gate ?? null) === gate).sort((a, b) => a.span.start - b.span.start);
}

/** A sign-off panel that the view can rebuild when a signature may have turned stale. */
function trackedSignOffs(view, key, slots, stale, options) {
  const make = (st) => signOffPanel(view, slots, st, options);
  const el = make(stale);
  if (el) view.signOffPanels.set(key, { el, make });
  return el;
}

/** One stage: its header, its sections, its sign-offs in place, and its pause point. */
export function stageNode(view, g, i, stages, where, scores, stale, anySlots) {
  const at = where.stages.get(g.gate);
  const name = STAGE_NAMES[g.gate];
  const panel = trackedSignOffs(view, g.gate, slotsOf(view, g.gate), stale,
    { title: stages.length > 1 ? `Sign-off: ${name}` : "Sign-off", empty: i === 0 && !anySlots ? "This checklist has no sign-off lines." : null });
  return h("section", { class: `stage ${g.gate}${at.current && !where.closed ? " current" : ""}${at.passed ? " passed" : ""}`, "aria-labelledby": `stage-${g.gate}` },
    stageHeader(view, g, at, stages.length > 1 ? i + 1 : 0, where),
    sectionNode(view, 0, scores, g.gate), panel, stageFooter(view, g, at, where));
}

/**
 * The contingency procedures (rollback, incident): each folded until someone starts it, then
 * shown with who started it, when and why, and counted in the contingency gate.
 */
export function contingencyNode(view, card, scores, stale) {
  const sections = view.model.sections;
  const tops = sections.map((s, i) => [s, i]).filter(([s]) => s.gate === "contingency" && sections[s.parent]?.gate !== "contingency");
  if (!tops.length) return null;
  const timeline = view.runState.timeline || [];
  let started = 0;
  const parts = tops.map(([s, i]) => {
    const event = timeline.find((e) => e.event === "contingency-started" && e.section === s.id);
    if (!event && !(s.conditional && view.runState.sections[s.id]?.on)) {
      view.folded.add(s.id);
      const fold = contingencyFold(view, s, i, view.compact ? null : whyButton(view, s, "section"));
      fold.querySelector("h3").after(view.readingPanel(s, "section") || "");
      return fold;
    }
    started++;
    const node = sectionNode(view, i, scores, "contingency");
    if (node && event) node.querySelector(":scope > h3, :scope > h4, :scope > h5")?.after(
      h("p", { class: "started" }, `Started${event.by ? ` by ${event.by}` : ""}, `, h("time", { datetime: event.at }, when(event.at)), event.note ? `: ${event.note}` : ""));
    return node;
  });
  view.contingencyStarted = started;
  return h("section", { class: "stage contingency", "aria-labelledby": "stage-contingency" },
    contingencyHeader(view, card.gates.find((x) => x.gate === "contingency")),
    parts, started ? trackedSignOffs(view, "contingency", slotsOf(view, "contingency"), stale, { title: "Sign-off: Contingency" }) : null);
}

/** The contingency gate's header: its figures once a procedure has started. */
function contingencyHeader(view, g) {
  const started = view.contingencyStarted && g;
  return h("header", { class: "stage-head", id: "stage-head-contingency" },
    h("h2", { id: "stage-contingency", tabindex: "-1" }, STAGE_NAMES.contingency, " ",
      started ? [verdictChip(g.verdict), g.verdict === null ? null : h("span", { class: "stage-score" }, `${percent(g.scoreTenths)} · ${g.band.label}`)] : null),
    h("p", { class: "muted" }, started ? `${g.counts.done}/${g.counts.applicable} steps done · ${g.counts.na} N/A · ${g.counts.blocked} blocked. Procedures not started stay folded.`
      : "Rollback and incident procedures stay folded until someone starts one."));
}

/** Parts of the document in no stage (notes, references, contacts), after the stages. */
export function otherParts(view, scores, stale) {
  const body = sectionNode(view, 0, scores, null);
  const panel = trackedSignOffs(view, "none", slotsOf(view, null), stale, { title: "Other sign-offs" });
  if (!body && !panel) return null;
  return h("section", { class: "stage other", "aria-labelledby": "stage-other" },
    h("header", { class: "stage-head" }, h("h2", { id: "stage-other" }, "Notes and references")), body, panel);
}

/** Every stage's header and pause point, and the contingency header, from a card's `gates`. */
export function refreshStageHeads(view, card, stages, where) {
  stages.forEach((g, i) => {
    const at = where.stages.get(g.gate);
    view.byId(`stage-head-${g.gate}`)?.replaceWith(stageHeader(view, g, at, stages.length > 1 ? i + 1 : 0, where));
    view.byId(`pause-${g.gate}`)?.replaceWith(stageFooter(view, g, at, where));
  });
  view.byId("stage-head-contingency")?.replaceWith(contingencyHeader(view, card.gates.find((x) => x.gate === "contingency")));
}
