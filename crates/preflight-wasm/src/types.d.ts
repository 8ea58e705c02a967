/** A source position: byte offsets into the normalized text, their UTF-16 equivalents
 * (`start16`/`end16`, for indexing JS strings), and the 1-based line and column. */
export interface Span { start: number; end: number; start16: number; end16: number; line: number; column: number; }
export interface Inline { text: string; code?: boolean; emphasis?: boolean; strong?: boolean; strikethrough?: boolean; href?: string; }
export interface RichText { text: string; inline: Inline[]; }
export interface ListEntry { depth: number; text: RichText; }
export type Block =
  | { type: "item"; item: number }
  | { type: "code"; language: string; text: string; span: Span }
  | { type: "table"; header: RichText[]; rows: RichText[][]; span: Span }
  | { type: "paragraph"; text: RichText; span: Span }
  | { type: "list"; entries: ListEntry[]; span: Span }
  | { type: "rule"; span: Span };
export type Gate = "before" | "during" | "after" | "contingency";
/** One inference and what triggered it. `rule` is a vocabulary table, `inherited`, `correction`, … */
export interface Why { about: string; value: string; rule: string; line: number; words: string; }
/** A person's word over the reading: `what` is critical | optional | sign-off | conditional | gate. */
export interface Correction { id: string; what: "critical" | "optional" | "sign-off" | "conditional" | "gate"; value: string; line: number; }
export interface Section {
  id: string; title: string; level: number; parent: number | null; children: number[]; blocks: Block[];
  conditional: boolean; critical: boolean; phase: boolean; span: Span;
  gate: Gate | null; nonBlocking?: boolean; optional?: boolean; signOff?: boolean; why?: Why[];
}
export interface SignOffField { label: string; value?: string | null; span: Span; }
export interface SignOffSpec { role: string; kind: "approval" | "record"; fields: SignOffField[]; }
export interface Item {
  id: string; kind: "task" | "signOff"; text: string; inline: Inline[]; checked: boolean; critical: boolean;
  optional: boolean; section: number; parent: number | null; children: number[]; details: ListEntry[];
  blocks: Block[]; signOff?: SignOffSpec | null; span: Span; marker: Span; gate: Gate | null; why?: Why[];
}
export interface Field { id: string; label: string; section: number; span: Span; }
export interface Band { min: number; label: string; }
export interface Diagnostic { severity: "info" | "warning" | "error"; code: string; message: string; span: Span; repair?: string | null; }
export interface ChecklistModel {
  title: string; sourceSha256: string; metadata: { key: string; value: string; span: Span }[];
  sections: Section[]; items: Item[]; fields: Field[]; rubric: Band[] | null;
  declaredTotal: { count: number; span: Span } | null; diagnostics: Diagnostic[];
  /** Sign-off slots that are not task lines (table rows, plain or bold lines). */
  slots: Item[]; rubricLine?: number; corrections?: Correction[];
  rubricRule?: { allCritical: boolean; restMin: number; text: string; line: number };
}
export interface Explanation {
  schema: "preflight.explain/1"; title: string; source_sha256: string;
  sections: { id: string; title: string; line: number; level: number; gate: Gate | null; conditional: boolean; critical: boolean; non_blocking: boolean; why: Why[] }[];
  items: { id: string; line: number; text: string; kind: "task" | "sign-off"; critical: boolean; optional: boolean; gate: Gate | null; why: Why[] }[];
  signoffs: { id: string; line: number; role: string; kind: "approval" | "record"; gate: Gate | null; task_line: boolean; why: Why[] }[];
  rubric: { source: "document" | "default"; line: number | null; bands: Band[]; go_min: number; rule: { all_critical: boolean; rest_min: number; text: string; line: number } | null };
  declared_total: { value: number; line: number } | null;
}
export interface Counts { total: number; done: number; na: number; blocked: number; open: number; inactive: number; applicable: number; }
export interface Reason { code: "no-items" | "critical-open" | "below-threshold" | "sign-off-missing" | "sign-off-stale" | "sign-off-rejected" | "corrections-unreadable"; message: string; items?: string[]; }
export interface SectionScore { id: string; title: string; level: number; phase: boolean; conditional: boolean; active: boolean; counts: Counts; scoreTenths: number; }
export interface GateCard {
  gate: Gate; sections: string[]; counts: Counts; signOffs: { total: number; signed: number; stale: number; required: number };
  scoreTenths: number; band: Band; verdict: "go" | "no-go" | null; reasons: Reason[]; openCritical: string[];
}
export interface Scorecard {
  /** The gate this card answers for; null for the whole checklist. */
  gate: Gate | null; gates: GateCard[];
  counts: Counts; signOffs: { total: number; signed: number; stale: number; required: number };
  /** Tenths of a percent: 725 is 72.5%. */
  scoreTenths: number; bands: Band[]; band: Band; bandsSource: "document" | "default";
  verdict: "go" | "no-go"; reasons: Reason[]; sections: SectionScore[]; openCritical: string[];
  staleSignOffs: string[]; inactive: string[];
}
export type Status = "todo" | "done" | "na" | "blocked";
export interface ItemState { status: Status; reason?: string; note?: string; evidence?: string; by?: string; at?: string; }
export interface Signature { name: string; date: string; meaning: string; values?: Record<string, string>; signedAt: string; scoreTenths: number; progressSha256: string; gate?: Gate; gateStateSha256?: string; ssh?: string; run?: string; }
/** A moment of a run: go-declared, gate-passed, contingency-started, closed. */
export interface RunEvent { at: string; event: "go-declared" | "gate-passed" | "contingency-started" | "closed"; gate?: Gate; section?: string; by?: string; note?: string; }
export interface RunState {
  schema: "preflight.run/1"; id: string; name: string; templateSha256: string; createdAt: string;
  items: Record<string, ItemState>; fields: Record<string, { value: string; by?: string; at?: string }>;
  signOffs: Record<string, { signature?: Signature; by?: string; at?: string }>;
  sections: Record<string, { on: boolean; by?: string; at?: string }>;
  renamedAt?: string; timeline?: RunEvent[];
  /** Every change, chained by hash (preflight_core::history). */
  log?: LogEntry[];
}
/** One change of a run: `id` is the SHA-256 of the other fields; `parents` the entries it follows. */
export interface LogEntry {
  id: string; parents: string[]; at: string; by?: string;
  what: "status" | "note" | "evidence" | "field" | "section" | "signature" | "unsign" | "gate-passed" | "go-declared" | "contingency-started" | "closed" | "rename" | "merge";
  target?: string; before?: string; after?: string;
}
/** Where a kept checklist came from; none for the user's own file, drop or paste. */
export interface Origin { kind: "link" | "host"; url: string; }
export interface TemplateInfo { sha256: string; name: string; title: string; importedAt: string; origin: Origin | null; items: number; /** The info record to keep (meta `info/<sha256>`) when the one read was missing or did not fit. */ record?: string; }
export interface RunInfo { id: string; name: string; templateSha256: string; createdAt: string; updatedAt: string; closed: boolean; }
export interface Keyed { sha256: string; id?: string; value: string; }
export interface BackupContents { templates: Keyed[]; runs: Keyed[]; corrections: Keyed[]; problems: string[]; }
