//! What the CLI prints. The JSON shapes here are a stable contract for pipelines (snake_case,
//! only ever extended); the text forms are for people and may change. Every document-derived
//! string in a text form goes through [`plain`] first, and columns are measured in terminal
//! columns ([`terminal::width`]), so CJK and emoji titles line up.

use std::borrow::Cow;
use std::collections::HashMap;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use preflight_core::model::{Band, Checklist, Item};
use preflight_core::score::{percent, Counts, Reason, Scorecard, SignOffCounts};
use preflight_core::span::{excerpt, LineIndex};
use preflight_core::{Run, Severity, Verdict};
use serde::{Serialize, Serializer};

use crate::terminal::{self, paint, plain, BOLD, DIM, GREEN, RED, YELLOW};

/// A JSON array written straight from an iterator: `score --json` on a 10 MB checklist built
/// a `serde_json::Value` several times the size of the input before printing it.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

// The structs below write the JSON contracts field by field, without an intermediate
// `serde_json::Value`. Fields are in alphabetical order: the order `json!` maps printed them in,
// so the bytes of every contract are what they were.

#[derive(Serialize)]
struct CountsJson {
    applicable: u32,
    blocked: u32,
    done: u32,
    inactive: u32,
    na: u32,
    open: u32,
    total: u32,
}

impl From<&Counts> for CountsJson {
    fn from(c: &Counts) -> Self {
        CountsJson {
            applicable: c.applicable,
            blocked: c.blocked,
            done: c.done,
            inactive: c.inactive,
            na: c.na,
            open: c.open,
            total: c.total,
        }
    }
}

#[derive(Serialize)]
struct SignOffsJson {
    required: u32,
    signed: u32,
    stale: u32,
    total: u32,
}

impl From<&SignOffCounts> for SignOffsJson {
    fn from(s: &SignOffCounts) -> Self {
        SignOffsJson { required: s.required, signed: s.signed, stale: s.stale, total: s.total }
    }
}

#[derive(Serialize)]
struct BandJson<'a> {
    label: &'a str,
    min: u32,
}

impl<'a> From<&'a Band> for BandJson<'a> {
    fn from(b: &'a Band) -> Self {
        BandJson { label: &b.label, min: b.min }
    }
}

#[derive(Serialize)]
struct ItemRefJson<'a> {
    id: &'a str,
    line: Option<u32>,
    #[serde(skip_serializing_if = "Skip::no")]
    text: Skip<Option<&'a str>>,
}

/// A field that is written, or left out when `write` is false (`critical_open` has no `text`).
struct Skip<T> {
    value: T,
    write: bool,
}

impl<T> Skip<T> {
    fn no(&self) -> bool {
        !self.write
    }
}

impl<T: Serialize> Serialize for Skip<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// Items and sign-off slots by id, resolved like [`Checklist::item`] (the first item with the
/// id, else the first slot), built once per `score --json`: `Checklist::item` scans every item
/// for an id that is only a slot's, and a reason may name thousands of slots.
pub struct ItemIndex<'a>(HashMap<&'a str, &'a Item>);

impl<'a> ItemIndex<'a> {
    pub fn new(c: &'a Checklist) -> Self {
        // Later inserts win: slots, then items, each backwards, so the first of each wins.
        let all = c.slots.iter().rev().chain(c.items.iter().rev());
        ItemIndex(all.map(|i| (i.id.as_str(), i)).collect())
    }

    fn get(&self, id: &str) -> Option<&'a Item> {
        self.0.get(id).copied()
    }
}

fn item_ref<'a>(index: &ItemIndex<'a>, id: &'a str, text: bool) -> ItemRefJson<'a> {
    let item = index.get(id);
    ItemRefJson {
        id,
        line: item.map(|i| i.marker.line),
        text: Skip { value: item.map(|i| i.text.as_str()), write: text },
    }
}

#[derive(Serialize)]
struct ReasonJson<'a, I> {
    code: &'a str,
    items: I,
    message: &'a str,
}

fn reasons_json<'a>(index: &'a ItemIndex<'a>, reasons: &'a [Reason<'a>]) -> impl Serialize + 'a {
    Seq(move || {
        reasons.iter().map(move |r| ReasonJson {
            code: &r.code,
            items: Seq(move || r.items.iter().map(move |id| item_ref(index, id, true))),
            message: &r.message,
        })
    })
}

#[derive(Serialize)]
struct GateJson<'a, R> {
    band: BandJson<'a>,
    id: &'a str,
    items: CountsJson,
    reasons: R,
    score: f64,
    sections: &'a [Cow<'a, str>],
    signoffs: SignOffsJson,
    verdict: Option<&'a str>,
}

#[derive(Serialize)]
struct SectionJson<'a> {
    active: bool,
    conditional: bool,
    id: &'a str,
    items: CountsJson,
    level: u8,
    phase: bool,
    score: f64,
    title: &'a str,
}

#[derive(Serialize)]
struct RunJson<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct ScoreJson<'a, G, B, C, R, S> {
    band: BandJson<'a>,
    bands: B,
    bands_source: &'a str,
    critical_open: C,
    declared_total: Option<u32>,
    gate: &'a str,
    gates: G,
    items: CountsJson,
    reasons: R,
    run: RunJson<'a>,
    schema: &'a str,
    score: f64,
    sections: S,
    signoffs: SignOffsJson,
    source_sha256: &'a str,
    state_sha256: String,
    title: &'a str,
    verdict: &'a str,
}

/// `preflight.score/2`.
pub fn score_json<'a>(
    c: &'a Checklist,
    run: &'a Run,
    card: &'a Scorecard<'a>,
    index: &'a ItemIndex<'a>,
) -> impl Serialize + 'a {
    ScoreJson {
        band: (&card.band).into(),
        bands: Seq(|| card.bands.iter().map(BandJson::from)),
        bands_source: &card.bands_source,
        critical_open: Seq(|| card.open_critical.iter().map(|id| item_ref(index, id, false))),
        declared_total: c.declared_total.as_ref().map(|d| d.count),
        gate: card.gate.map_or("all", |g| g.as_str()),
        gates: Seq(|| {
            card.gates.iter().map(|g| GateJson {
                band: (&g.band).into(),
                id: g.gate.as_str(),
                items: (&g.counts).into(),
                reasons: reasons_json(index, &g.reasons),
                score: f64::from(g.score_tenths) / 10.0,
                sections: &g.sections,
                signoffs: (&g.sign_offs).into(),
                verdict: g.verdict.map(|v| v.as_str()),
            })
        }),
        items: (&card.counts).into(),
        reasons: reasons_json(index, &card.reasons),
        run: RunJson { id: &run.id, name: &run.name },
        schema: "preflight.score/2",
        score: card.score(),
        sections: Seq(|| {
            card.sections.iter().map(|s| SectionJson {
                active: s.active,
                conditional: s.conditional,
                id: &s.id,
                items: (&s.counts).into(),
                level: s.level,
                phase: s.phase,
                score: f64::from(s.score_tenths) / 10.0,
                title: &s.title,
            })
        }),
        signoffs: (&card.sign_offs).into(),
        source_sha256: &c.source_sha256,
        state_sha256: run.state_sha256(),
        title: &c.title,
        verdict: card.verdict.as_str(),
    }
}

fn bar(tenths: u32, width: usize) -> String {
    let filled = (tenths as usize * width + 500) / 1000;
    format!("{}{}", "█".repeat(filled.min(width)), "░".repeat(width - filled.min(width)))
}

/// Columns a section title (with its indent) takes in `score` text before the counts.
const TITLE_COLUMNS: usize = 45;

/// Text handed to a writer as it is made, whole lines at a time, in blocks of about 64 KiB:
/// `score`'s text on a 10 MB checklist is 2.7 MB, which was held whole until printed, beside
/// the model and the scorecard at the command's peak. A write error stops the writing and is
/// what [`Lines::finish`] returns.
pub struct Lines<'w> {
    buf: String,
    to: &'w mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

const LINES_BLOCK: usize = 64 * 1024;

impl<'w> Lines<'w> {
    pub fn new(to: &'w mut dyn std::io::Write) -> Lines<'w> {
        Lines { buf: String::new(), to, error: None }
    }

    fn push_str(&mut self, text: &str) {
        self.buf.push_str(text);
        // At a line's end only: a block never ends inside a style's escape sequence.
        if self.buf.len() >= LINES_BLOCK && self.buf.ends_with('\n') {
            self.hand_over();
        }
    }

    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    fn hand_over(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.to.write_all(self.buf.as_bytes()) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    /// The rest handed over, and the first write error if there was one.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.hand_over();
        self.error.map_or(Ok(()), Err)
    }
}

pub fn write_score_text(c: &Checklist, run: &Run, card: &Scorecard<'_>, file: &str, out: &mut Lines<'_>) {
    let file = plain(file);
    out.push_str(&format!("{}\n", paint(BOLD, &plain(&c.title))));
    let bands = card.bands.iter().map(|b| b.min.to_string()).collect::<Vec<_>>().join("/");
    out.push_str(&paint(
        DIM,
        &format!(
            "{file} · source {} · run “{}” · bands {bands} ({})",
            c.source_sha256.get(..12).unwrap_or(&c.source_sha256),
            plain(&run.name),
            card.bands_source
        ),
    ));
    out.push_str("\n\n");
    let verdict = match card.verdict {
        Verdict::Go => paint(GREEN, " GO "),
        Verdict::NoGo => paint(RED, " NO-GO "),
    };
    let gate = card.gate.map_or("the whole checklist".to_string(), |g| format!("the {} gate", g.as_str()));
    out.push_str(&format!("  {}\n", paint(DIM, &format!("answering for {gate}"))));
    out.push_str(&format!(
        "  {verdict}  score {} {} — {}\n",
        paint(BOLD, &percent(card.score_tenths)),
        bar(card.score_tenths, 20),
        plain(&card.band.label)
    ));
    let n = &card.counts;
    out.push_str(&format!(
        "  items {}/{} done · {} N/A · {} blocked · {} open{}\n",
        n.done,
        n.applicable,
        n.na,
        n.blocked,
        n.open,
        if n.inactive > 0 { format!(" · {} optional/conditional not counted", n.inactive) } else { String::new() }
    ));
    if let Some(d) = &c.declared_total {
        out.push_str(&format!("  the document declares {} items; it has {}\n", d.count, c.tasks().count()));
    }
    let s = &card.sign_offs;
    out.push_str(&format!(
        "  sign-offs {}/{} signed{}\n\n",
        s.signed,
        s.total,
        if s.stale > 0 { format!(" · {} stale", s.stale) } else { String::new() }
    ));
    let gates: Vec<_> = card.gates.iter().filter(|g| g.verdict.is_some()).collect();
    if gates.len() > 1 {
        out.push_str(&format!("{}\n", paint(BOLD, "Gates")));
        for g in gates {
            // Padded before it is painted: a style's bytes take no columns.
            let v = match g.verdict {
                Some(Verdict::Go) => paint(GREEN, &terminal::pad("GO", 6)),
                _ => paint(RED, &terminal::pad("NO-GO", 6)),
            };
            out.push_str(&format!(
                "  {:<12} {v} {:>6}  {}/{} done · sign-offs {}/{}\n",
                g.gate.as_str(),
                percent(g.score_tenths),
                g.counts.done,
                g.counts.applicable,
                g.sign_offs.signed,
                g.sign_offs.total
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("{}\n", paint(BOLD, "Sections")));
    for sec in card.sections.iter().filter(|s| s.counts.total > 0 && s.level <= 3) {
        let indent = "  ".repeat(usize::from(sec.level.saturating_sub(1)).min(3));
        let title = format!("{indent}{}", plain(&sec.title));
        let title = terminal::pad(&terminal::truncate(&title, TITLE_COLUMNS - 1), TITLE_COLUMNS);
        let state = if sec.conditional && !sec.active { paint(DIM, " (conditional, off)") } else { String::new() };
        out.push_str(&format!(
            "  {title} {:>4}/{:<4} {:>6} {}{state}\n",
            sec.counts.done,
            sec.counts.applicable,
            preflight_core::score::section_percent(sec),
            bar(if sec.counts.applicable == 0 { 0 } else { sec.score_tenths }, 10)
        ));
    }
    if !card.reasons.is_empty() {
        out.push_str(&format!("\n{}\n", paint(BOLD, "Why NO-GO")));
        for r in &card.reasons {
            out.push_str(&format!("  • {}\n", plain(&r.message)));
            for id in r.items.iter().take(8) {
                if let Some(item) = c.item(id) {
                    let text = match &item.sign_off {
                        Some(spec) => plain(&spec.role).into_owned(),
                        None => terminal::truncate(&plain(&item.text), 70).into_owned(),
                    };
                    out.push_str(&paint(DIM, &format!("      {file}:{}  {text}", item.marker.line)));
                    out.push('\n');
                }
            }
            if r.items.len() > 8 {
                out.push_str(&paint(DIM, &format!("      … and {} more", r.items.len() - 8)));
                out.push('\n');
            }
        }
    }
    let errors = c.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = c.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    if errors + warnings > 0 {
        out.push('\n');
        out.push_str(&paint(
            DIM,
            &format!("{errors} lint error(s), {warnings} warning(s): run `preflight lint {file}` for details"),
        ));
        out.push('\n');
    }
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    code: &'a str,
    column: u32,
    end: usize,
    line: u32,
    message: &'a str,
    repair: Option<&'a str>,
    severity: &'a str,
    start: usize,
}

#[derive(Serialize)]
struct LintJson<'a, D> {
    diagnostics: D,
    schema: &'a str,
    source_sha256: &'a str,
}

/// `preflight.lint/1`.
pub fn lint_json(c: &Checklist) -> impl Serialize + '_ {
    LintJson {
        diagnostics: Seq(|| {
            c.diagnostics.iter().map(|d| DiagnosticJson {
                code: &d.code,
                column: d.span.column,
                end: d.span.end,
                line: d.span.line,
                message: &d.message,
                repair: d.repair.as_deref(),
                severity: d.severity.as_str(),
                start: d.span.start,
            })
        }),
        schema: "preflight.lint/1",
        source_sha256: &c.source_sha256,
    }
}

/// Characters of a source line shown under a diagnostic.
const SOURCE_WIDTH: usize = 120;

/// `file:line:col: severity[code]: message`, then the source line with the diagnostic's span
/// underlined (drawn by `annotate-snippets`) and the proposed repair, if any.
///
/// Only an excerpt of the line around the column goes to the renderer: 2,000 placeholders on
/// one long line printed that line 2,000 times, and rendering a whole long line per diagnostic
/// would cost its length each time. The excerpt is cut into before / span / after and each part
/// made inert on its own, so the underline stays under the span whatever was escaped.
pub fn lint_text(c: &Checklist, file: &str) -> String {
    let file = plain(file);
    let index = LineIndex::new(&c.source);
    // Styled; anstream strips the styles when they are not wanted. Wide enough never to cut
    // an excerpt again (120 characters of up to 2 columns each, and the gutter).
    let renderer = Renderer::styled().term_width(2 * SOURCE_WIDTH + 40);
    let mut out = String::new();
    for d in &c.diagnostics {
        let (severity, level) = match d.severity {
            Severity::Error => (paint(RED, "error"), Level::ERROR),
            Severity::Warning => (paint(YELLOW, "warning"), Level::WARNING),
            Severity::Info => (paint(DIM, "info"), Level::INFO),
        };
        out.push_str(&format!(
            "{}: {severity}[{}]: {}\n",
            paint(BOLD, &format!("{file}:{}:{}", d.span.line, d.span.column)),
            plain(&d.code),
            plain(&d.message)
        ));
        let line = index.line_text(d.span.line);
        let (excerpt_text, before) = excerpt(line, d.span.column, SOURCE_WIDTH);
        // How many characters of the line the span covers (bounded: the excerpt shows no more).
        let line_end = index.line_start(d.span.line) + line.len();
        let covered = c
            .source
            .get(d.span.start.min(line_end)..d.span.end.min(line_end))
            .map_or(0, |s| s.chars().take(SOURCE_WIDTH + 1).count());
        let from = byte_at(&excerpt_text, before);
        let to = byte_at(&excerpt_text, before + covered);
        let (head, mid, tail) =
            (plain(&excerpt_text[..from]), plain(&excerpt_text[from..to]), plain(&excerpt_text[to..]));
        let source = format!("{head}{mid}{tail}");
        let span = head.len()..head.len() + mid.len();
        let snippet = Snippet::source(source.as_str())
            .line_start(d.span.line as usize)
            .annotation(AnnotationKind::Primary.span(span));
        let mut group = Group::with_level(level).element(snippet);
        let repair;
        if let Some(r) = &d.repair {
            repair = plain(&excerpt(r, d.span.column, SOURCE_WIDTH).0).into_owned();
            group = group.element(Level::HELP.with_name(Some("proposed")).message(repair.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    let errors = c.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let others = c.diagnostics.len() - errors;
    out.push_str(&format!("{file}: {errors} error(s), {others} warning(s)\n"));
    out
}

/// The byte offset of the `chars`-th character of `text` (its length past the end).
fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
}

/// Verify a Markdown report: its run state hash and, given the template, its source hash.
/// `verify` for people: what was recomputed and, if anything differs, where.
pub fn verification_text(v: &preflight_core::export::verify::Verification, file: &str) -> String {
    let sha = v.source_sha256.get(..12).unwrap_or(&v.source_sha256);
    let mut out = format!("{}: {} report of checklist {sha}\n", plain(file), v.format);
    if v.ok() {
        out.push_str(&paint(GREEN, "report verified: recomputed from its own contents, every value matches"));
        out.push('\n');
        return out;
    }
    for d in &v.differences {
        out.push_str(&format!(
            "{} {}\n  recomputed: {}\n  report:     {}\n",
            paint(RED, "DIFFERS"),
            plain(&d.place),
            plain(&d.expected),
            plain(&d.found)
        ));
    }
    out.push_str(&paint(RED, "report does NOT match: it was changed"));
    out.push('\n');
    out
}

pub fn explain_text(e: &preflight_core::explain::Explanation) -> String {
    let gate = |g: Option<preflight_core::model::Gate>| g.map_or("none", |g| g.as_str());
    let why = |w: &[preflight_core::model::Why]| {
        let text = w
            .iter()
            .map(|w| format!("{} {} ({}, line {}: “{}”)", w.about, w.value, w.rule, w.line, w.words))
            .collect::<Vec<_>>()
            .join("; ");
        plain(&text).into_owned()
    };
    let mut out = format!("{}\n", paint(BOLD, &plain(&e.title)));
    out.push_str(&format!("\n{}\n", paint(BOLD, "Sections")));
    for s in &e.sections {
        let mut marks = vec![format!("gate {}", gate(s.gate))];
        if s.conditional {
            marks.push("conditional".into());
        }
        if s.critical {
            marks.push("critical".into());
        }
        if s.non_blocking {
            marks.push("not blocking".into());
        }
        out.push_str(&format!(
            "{:>5}  {}{} [{}]\n",
            s.line,
            "  ".repeat(s.level.saturating_sub(1) as usize),
            plain(&s.title),
            marks.join(", ")
        ));
        if !s.why.is_empty() {
            out.push_str(&paint(DIM, &format!("       {}", why(&s.why))));
            out.push('\n');
        }
    }
    out.push_str(&format!("\n{}\n", paint(BOLD, "Items")));
    for i in &e.items {
        let mut marks = vec![i.kind.to_string(), format!("gate {}", gate(i.gate))];
        if i.critical {
            marks.push("critical".into());
        }
        if i.optional {
            marks.push("optional".into());
        }
        out.push_str(&format!("{:>5}  {} [{}]\n", i.line, plain(&i.text), marks.join(", ")));
        if !i.why.is_empty() {
            out.push_str(&paint(DIM, &format!("       {}", why(&i.why))));
            out.push('\n');
        }
    }
    out.push_str(&format!("\n{}\n", paint(BOLD, "Sign-off slots")));
    for s in &e.signoffs {
        let kind = match s.kind {
            preflight_core::model::SlotKind::Approval => "approval",
            preflight_core::model::SlotKind::Record => "record",
        };
        let place = if s.task_line { "task line" } else { "line" };
        out.push_str(&format!("{:>5}  {} [{kind}, gate {}, {place}]\n", s.line, plain(&s.role), gate(s.gate)));
    }
    let bands =
        e.rubric.bands.iter().map(|b| format!("{}% {}", b.min, plain(&b.label))).collect::<Vec<_>>().join(" / ");
    out.push_str(&format!("\nRubric ({}): {bands}; GO from {}%\n", e.rubric.source, e.rubric.go_min));
    if let Some(r) = &e.rubric.rule {
        out.push_str(&format!("Rule (line {}): all critical items and {}% of the rest\n", r.line, r.rest_min));
    }
    match &e.declared_total {
        Some(d) => out.push_str(&format!("Declared total: {} (line {})\n", d.value, d.line)),
        None => out.push_str("Declared total: none\n"),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Lines;

    /// Every write it took, as given; from its `refusing_from`th write on (when not 0), a
    /// refusal. `tries` counts both.
    #[derive(Default)]
    struct Writes {
        taken: Vec<Vec<u8>>,
        tries: usize,
        refusing_from: usize,
    }

    impl std::io::Write for Writes {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.tries += 1;
            if self.refusing_from != 0 && self.tries >= self.refusing_from {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.taken.push(bytes.to_vec());
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn lines(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("  \u{1b}[2msection {i:>6}\u{1b}[0m {}\n", "█".repeat(i % 7))).collect()
    }

    #[test]
    fn text_is_handed_over_in_blocks_of_whole_lines() {
        let mut to = Writes::default();
        let mut out = Lines::new(&mut to);
        for line in lines(5_000) {
            // A line made of pieces, as `write_score_text` makes them.
            let (head, tail) = line.split_at(line.len() / 2);
            out.push_str(head);
            out.push_str(tail.trim_end_matches('\n'));
            out.push('\n');
        }
        out.finish().expect("every write taken");
        assert!(to.taken.len() >= 3, "in blocks: {} writes", to.taken.len());
        assert!(to.taken.iter().all(|w| w.ends_with(b"\n") && w.len() < 2 * super::LINES_BLOCK));
        assert_eq!(String::from_utf8(to.taken.concat()).expect("UTF-8"), lines(5_000).concat());
    }

    #[test]
    fn a_write_error_stops_the_writing_and_is_returned() {
        // The first block is taken, the second refused (a reader that went away).
        let mut to = Writes { refusing_from: 2, ..Writes::default() };
        let mut out = Lines::new(&mut to);
        for line in lines(10_000) {
            out.push_str(&line);
        }
        let error = out.finish().expect_err("the refused write");
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe);
        assert_eq!((to.taken.len(), to.tries), (1, 2), "nothing tried after the refusal");
    }
}
