//! Markdown export: the original document, filled in, for people who read it as GitHub or GitLab
//! renders it, and for `import`, which turns it back into the exact template and run.
//!
//! What a reviewer sees (format 2):
//! - on top, after any front matter, a short summary: title, run, verdict, score and counts, and
//!   sign-offs recorded on lines that have no checkbox;
//! - `[x]` on done items, sign-off blanks filled with names and dates, field blanks with values;
//! - under an item whose state says more than its box, a nested list inside its list item: the
//!   state with its reason and who and when (`- **N/A**: no schema change — dana, 2026-12-01
//!   10:05 UTC`), the note, the evidence folded in a `<details>` block, a signature's name, date
//!   and meaning.
//!
//! What a machine reads: one HTML comment at the very end, `<!-- preflight:data`, holding JSON
//! one entry a line: the run, its state hash, and the edit log that undoes every byte the export
//! added to the template. The log records where each change is, what the template had there
//! and how many bytes replaced it; what replaced it is what this module writes for the run, so
//! the importer cuts it out, writes it again from the run and compares. A line edited by hand
//! is reported, never read as something else.
//!
//! Escaping: only what CommonMark and GitHub would otherwise read as markup (`*`, `` ` ``, `[`,
//! `<` before a tag, …); nothing in a date, a percentage or a name that renders as itself.
//! Reports written before format 2 (state in HTML comments after each checkbox, the run in the
//! summary) are still read by `import`: [`Header`] and [`Annotation`] are that format.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Block, Checklist, Correction, Item, ItemKind};
use crate::run::{FieldState, ItemState, Run, SectionState, SignOffState, Signature, Status};
use crate::score::{percent, score};

pub const SUMMARY_BEGIN: &str = "<!-- preflight:summary:begin -->";
pub const SUMMARY_END: &str = "<!-- preflight:summary:end -->";
/// Opens the machine block, on a line of its own; the block is the last thing in the file.
pub const DATA_BEGIN: &str = "<!-- preflight:data";
/// Closes the machine block, on a line of its own.
pub const DATA_END: &str = "-->";
/// The `schema` of the machine block.
pub const DATA_SCHEMA: &str = "preflight.markdown/2";
/// Format 1: the summary comment that held the run.
pub const RUN_MARK: &str = "<!-- preflight:run ";

/// One change to the template: at byte `.0` of the template, `.1` was replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit(pub usize, pub String, pub Replacement);

/// What replaced a template's bytes: in format 2 the number of bytes (the text is what this
/// module writes for the run, and is checked against it); in format 1 the text itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Replacement {
    Len(usize),
    Text(String),
}

impl Replacement {
    pub fn len(&self) -> usize {
        match self {
            Replacement::Len(n) => *n,
            Replacement::Text(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The machine block of a format 2 report, as read back: everything needed to rebuild the
/// template and the run from the report alone.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Data {
    pub schema: String,
    /// When the report was written (as displayed in the summary), so it can be recomputed.
    pub generated_at: String,
    /// The checklist's identity, as the run names it.
    pub template_sha256: String,
    /// [`Run::state_sha256`] of `run`.
    pub state_sha256: String,
    /// The run, compacted.
    pub run: Run,
    /// Corrections the checklist was read with beyond its own `preflight:` block.
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// Where the summary was inserted (a byte offset of the template).
    pub insert_at: usize,
    /// The template's checkbox characters (` `, `x`, `X`), one per item in document order, so
    /// that boxes ticked by hand after export do not change the rebuilt template.
    pub boxes: String,
    /// Every change to the template, in template order.
    pub edits: Vec<Edit>,
}

/// Format 1: the run-level state that has no line of its own, kept in the summary block.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub schema: String,
    pub id: String,
    pub name: String,
    pub template_sha256: String,
    pub created_at: String,
    #[serde(default)]
    pub fields: BTreeMap<String, FieldState>,
    #[serde(default)]
    pub sections: BTreeMap<String, SectionState>,
    #[serde(default)]
    pub renamed_at: Option<String>,
    /// Signatures of sign-off slots that are not task lines.
    #[serde(default)]
    pub slots: BTreeMap<String, SignOffState>,
    #[serde(default)]
    pub generated_at: String,
    #[serde(default)]
    pub corrections: Vec<Correction>,
    #[serde(default)]
    pub log: Vec<crate::history::Entry>,
    #[serde(default)]
    pub timeline: Vec<crate::run::Event>,
    pub insert_at: usize,
    pub edits: Vec<Edit>,
    #[serde(default)]
    pub boxes: String,
    /// Annotations of items with no text of their own.
    #[serde(default)]
    pub annotations: BTreeMap<String, Annotation>,
}

/// Format 1: what an item's annotation comment records. Still read from old reports (and by
/// `parse`, which takes the item's words to start after it).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Annotation {
    /// "t" for a task, "s" for a sign-off.
    pub k: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<Signature>,
}

/// The state of an item or sign-off the run has no entry for.
const NO_ITEM: ItemState =
    ItemState { status: Status::Todo, reason: None, note: None, evidence: None, by: None, at: None };
const NO_SIGN_OFF: SignOffState = SignOffState { signature: None, by: None, at: None };

/// What a change to the template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A checkbox ticked or cleared. Boxes may be changed by hand after export.
    Box,
    /// A blank filled with a name, a date or a value.
    Fill,
    /// Lines under an item: its state, note, evidence or signature.
    Lines,
    /// The line end a template without one gets, so the machine block starts its own line.
    LineEnd,
}

/// One change the export makes to the template, with the text it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub at: usize,
    pub original: String,
    pub text: String,
    pub change: Change,
}

/// Every change the export of `run` makes to the template of `c`, in template order. The same
/// list the report's edit log records, with the text of each change.
pub fn plan(c: &Checklist, run: &Run) -> Vec<Planned> {
    let source = c.source.as_str();
    let mut edits: Vec<Planned> = Vec::new();
    let mut push = |at: usize, original: &str, text: String, change: Change| {
        edits.push(Planned { at, original: original.to_string(), text, change })
    };
    for item in &c.items {
        let box_at = item.box_at(source);
        let original = source.get(box_at..box_at + 1).unwrap_or(" ");
        let (checked, lines) = match item.kind {
            ItemKind::Task => {
                let state = run.items.get(&item.id).unwrap_or(&NO_ITEM);
                (state.status == Status::Done, task_lines(state))
            }
            ItemKind::SignOff => {
                let state = run.sign_offs.get(&item.id).unwrap_or(&NO_SIGN_OFF);
                let signature = state.signature.as_ref();
                if let (Some(sig), Some(spec)) = (signature, &item.sign_off) {
                    for (i, field) in spec.fields.iter().enumerate() {
                        let blank = source.get(field.span.start..field.span.end).unwrap_or("");
                        if field.value.is_some() || !crate::markers::is_blank(blank) {
                            continue;
                        }
                        let value = if i == 0 {
                            sig.name.clone()
                        } else if field.label.eq_ignore_ascii_case("date") {
                            signature_date(sig).to_string()
                        } else {
                            sig.values.get(&field.label).cloned().unwrap_or_default()
                        };
                        let context =
                            if opens_line(source, field.span.start) { Context::LineStart } else { Context::Inline };
                        push(field.span.start, blank, filled(&value, context), Change::Fill);
                    }
                }
                (signature.is_some(), sign_off_lines(state))
            }
        };
        let wanted = if checked { "x" } else { " " };
        if !((original == "X" && checked) || original == wanted) {
            push(box_at, original, wanted.to_string(), Change::Box);
        }
        if let Some((at, text)) = placed(source, item, &lines) {
            push(at, "", text, Change::Lines);
        }
    }
    for field in &c.fields {
        if let Some(state) = run.fields.get(&field.id) {
            if !state.value.trim().is_empty() {
                let blank = source.get(field.span.start..field.span.end).unwrap_or("");
                let value = if in_block(c, field.section, field.span.start, |b| matches!(b, Block::Code(_))) {
                    code_text(&state.value)
                } else if in_block(c, field.section, field.span.start, |b| matches!(b, Block::Table(_))) {
                    filled(&state.value, Context::TableCell)
                } else if opens_line(source, field.span.start) {
                    filled(&state.value, Context::LineStart)
                } else {
                    filled(&state.value, Context::Inline)
                };
                push(field.span.start, blank, value, Change::Fill);
            }
        }
    }
    if !source.is_empty() && !source.ends_with('\n') && summary_position(source) < source.len() {
        push(source.len(), "", "\n".to_string(), Change::LineEnd);
    }
    // Stable: lines inserted at a line start stay before a blank that starts that line.
    edits.sort_by_key(|e| e.at);
    edits
}

/// The report: the template with [`plan`]'s changes, the summary after any front matter, and
/// the machine block at the end. `generated_at` is shown as given and kept, so `verify` can
/// write the same report again.
pub fn export(c: &Checklist, run: &Run, generated_at: &str) -> String {
    let source = c.source.as_str();
    let compacted;
    let run = if is_compact(run) {
        run
    } else {
        compacted = run.compacted();
        &compacted
    };
    let edits = plan(c, run);
    let insert_at = summary_position(source);
    // A template that is all front matter without a last line end: the summary starts a line.
    let own_line = insert_at == source.len() && !source.is_empty() && !source.ends_with('\n');
    let summary = summary(c, run, generated_at, own_line);
    let corrections: Vec<Correction> = c.corrections.iter().filter(|k| k.line == 0).cloned().collect();
    let boxes: String =
        c.items.iter().map(|i| source.get(i.box_at(source)..i.box_at(source) + 1).unwrap_or(" ")).collect();
    let log: Vec<Edit> = edits.iter().map(|e| Edit(e.at, e.original.clone(), Replacement::Len(e.text.len()))).collect();
    let data = DataView {
        generated_at,
        template_sha256: &run.template_sha256,
        state_sha256: &run.state_sha256(),
        run,
        corrections: &corrections,
        insert_at,
        boxes: &boxes,
        edits: &log,
    };
    // The machine block first, so the report is sized with it: one entry per item of the run,
    // it outgrew a fixed allowance on long checklists, and the whole report doubled its room
    // (and was copied) as the block went in.
    let mut block = String::new();
    write_data(&mut block, &data);
    let added: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(source.len() + summary.len() + added + 1 + block.len());
    let mut at = 0;
    let mut summary_done = false;
    for edit in &edits {
        if !summary_done && insert_at <= edit.at {
            out.push_str(source.get(at..insert_at).unwrap_or(""));
            out.push_str(&summary);
            at = insert_at;
            summary_done = true;
        }
        out.push_str(source.get(at..edit.at).unwrap_or(""));
        out.push_str(&edit.text);
        at = edit.at + edit.original.len();
    }
    if !summary_done {
        out.push_str(source.get(at..insert_at.max(at)).unwrap_or(""));
        out.push_str(&summary);
        at = insert_at.max(at);
    }
    out.push_str(source.get(at..).unwrap_or(""));
    out.push('\n');
    out.push_str(&block);
    out
}

/// The summary on top of the report of `run`, as [`export`] writes it.
pub fn summary_of(c: &Checklist, run: &Run, generated_at: &str) -> String {
    let source = c.source.as_str();
    let own_line = summary_position(source) == source.len() && !source.is_empty() && !source.ends_with('\n');
    summary(c, run, generated_at, own_line)
}

/// The lines the export writes under `item` of the template `source` for `run`, and where:
/// at the start of the line after the item's own words. `None` when its box says it all.
pub fn under(source: &str, item: &Item, run: &Run) -> Option<(usize, String)> {
    let lines = match item.kind {
        ItemKind::Task => task_lines(run.items.get(&item.id).unwrap_or(&NO_ITEM)),
        ItemKind::SignOff => sign_off_lines(run.sign_offs.get(&item.id).unwrap_or(&NO_SIGN_OFF)),
    };
    placed(source, item, &lines)
}

/// Where the lines under `item` go: the start of the line after its own words.
pub fn line_after(source: &str, item: &Item) -> usize {
    Site::of(source, item).at
}

fn placed(source: &str, item: &Item, lines: &[Line]) -> Option<(usize, String)> {
    if lines.is_empty() {
        return None;
    }
    let site = Site::of(source, item);
    Some((site.at, site.write(lines)))
}

/// No default entries: what [`Run::compacted`] would return.
fn is_compact(run: &Run) -> bool {
    run.items.values().all(|s| *s != NO_ITEM)
        && run.fields.values().all(|s| *s != FieldState::default())
        && run.sign_offs.values().all(|s| *s != NO_SIGN_OFF)
        && run.sections.values().all(|s| *s != SectionState::default())
}

/// The summary on top: what the report is of, what it says (verdict, score, counts, when), and the signatures of sign-off
/// slots that have no checkbox to show them under.
fn summary(c: &Checklist, run: &Run, generated_at: &str, own_line: bool) -> String {
    let card = score(c, run);
    let mut s = String::new();
    if own_line {
        s.push('\n');
    }
    s.push_str(SUMMARY_BEGIN);
    s.push_str("\n> **Preflight report**");
    if !c.title.trim().is_empty() {
        s.push_str(" · ");
        s.push_str(&text(&c.title, Context::Inline));
    }
    s.push_str(&format!(" · run “{}”\n>\n", text(&run.name, Context::Inline)));
    let counts = &card.counts;
    s.push_str(&format!(
        "> **{}** · score **{}** ({}) · {}/{} items done",
        card.verdict.as_str().to_uppercase(),
        percent(card.score_tenths),
        text(&card.band.label, Context::Inline),
        counts.done,
        counts.applicable,
    ));
    if counts.na > 0 {
        s.push_str(&format!(" · {} N/A", counts.na));
    }
    if counts.blocked > 0 {
        s.push_str(&format!(" · {} blocked", counts.blocked));
    }
    s.push_str(&format!(" · {}/{} sign-offs signed", card.sign_offs.signed, card.sign_offs.total));
    if card.sign_offs.stale > 0 {
        s.push_str(&format!(" ({} stale)", card.sign_offs.stale));
    }
    // On the line that changes anyway when the run does: the title line stays put.
    s.push_str(&format!(" · exported {}\n", text(generated_at, Context::Inline)));
    let mut first = true;
    for slot in &c.slots {
        let Some(state) = run.sign_offs.get(&slot.id) else { continue };
        let Some(line) = sign_off_lines(state).into_iter().next() else { continue };
        if std::mem::take(&mut first) {
            s.push_str(">\n");
        }
        let role = slot.sign_off.as_ref().map_or(slot.text.as_str(), |spec| spec.role.as_str());
        s.push_str(&format!("> - {}: {}\n", text(role, Context::Inline), line.text));
    }
    s.push_str(SUMMARY_END);
    s.push_str("\n\n");
    s
}

/// One part of what is shown under an item.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    /// Markdown text; several lines for a note (joined by hard breaks).
    text: String,
    /// Evidence: shown as a fenced block folded in `<details>`.
    evidence: Option<String>,
}

impl Line {
    fn text(text: String) -> Line {
        Line { text, evidence: None }
    }
}

/// Append ` — dana, 2026-12-01 10:05 UTC`: who and when, as far as they are known.
fn push_who_when(out: &mut String, by: &Option<String>, at: &Option<String>) {
    let by = by.as_deref().map(|b| text(b, Context::Inline)).filter(|b| !b.is_empty());
    let at = at.as_deref().filter(|a| !a.trim().is_empty());
    if by.is_none() && at.is_none() {
        return;
    }
    out.push_str(" — ");
    if let Some(by) = &by {
        out.push_str(by);
        if at.is_some() {
            out.push_str(", ");
        }
    }
    if let Some(at) = at {
        push_when(out, at);
    }
}

/// Append `2026-12-01T10:05:00Z` as `2026-12-01 10:05 UTC`; any other text as it is.
fn push_when(out: &mut String, at: &str) {
    let b = at.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shaped = b.len() >= 17
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && at.ends_with('Z')
        && at[16..at.len() - 1].bytes().all(|c| c.is_ascii_digit() || c == b':' || c == b'.');
    if shaped {
        out.push_str(&at[..10]);
        out.push(' ');
        out.push_str(&at[11..16]);
        out.push_str(" UTC");
    } else {
        out.push_str(&text(at, Context::Inline));
    }
}

fn task_lines(state: &ItemState) -> Vec<Line> {
    let stamped = state.by.is_some() || state.at.is_some();
    let more = state.reason.is_some() || state.note.is_some() || state.evidence.is_some();
    // The box says it all: open and untouched, or done with nothing recorded beyond the tick.
    if !stamped && !more && matches!(state.status, Status::Todo | Status::Done) {
        return Vec::new();
    }
    let word = match state.status {
        Status::Done => "Done",
        Status::Na => "N/A",
        Status::Blocked => "Blocked",
        Status::Todo => "Open",
    };
    let mut first = String::with_capacity(64);
    first.push_str("**");
    first.push_str(word);
    first.push_str("**");
    if let Some(reason) = &state.reason {
        first.push_str(": ");
        first.push_str(&text(reason, Context::Inline));
    }
    push_who_when(&mut first, &state.by, &state.at);
    let mut lines = vec![Line::text(first)];
    if let Some(note) = &state.note {
        let shown: Vec<String> = visible(note)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| text(l, if i == 0 { Context::Inline } else { Context::LineStart }).into_owned())
            .collect();
        if !shown.is_empty() {
            lines.push(Line::text(format!("**Note**: {}", shown.join("\\\n"))));
        }
    }
    if let Some(evidence) = &state.evidence {
        let cleaned = visible(evidence);
        let body: Vec<&str> = cleaned.lines().map(str::trim_end).collect();
        let start = body.iter().position(|l| !l.is_empty());
        let end = body.iter().rposition(|l| !l.is_empty());
        if let (Some(start), Some(end)) = (start, end) {
            let n = end - start + 1;
            lines.push(Line {
                text: format!("<details><summary>Evidence ({n} line{})</summary>", if n == 1 { "" } else { "s" }),
                evidence: Some(body[start..=end].join("\n")),
            });
        }
    }
    lines
}

fn sign_off_lines(state: &SignOffState) -> Vec<Line> {
    match &state.signature {
        Some(sig) => {
            let mut line = format!("**Signed** by {}", text(&sig.name, Context::Inline));
            let date = signature_date(sig);
            if !date.trim().is_empty() {
                line.push_str(" on ");
                line.push_str(&text(date, Context::Inline));
            }
            if !sig.meaning.trim().is_empty() {
                line.push_str(": ");
                line.push_str(&text(&sig.meaning, Context::Inline));
            }
            for (label, value) in &sig.values {
                line.push_str(&format!(" · {}: {}", text(label, Context::Inline), text(value, Context::Inline)));
            }
            if sig.ssh.is_some() {
                line.push_str(" · SSH-signed");
            }
            push_who_when(&mut line, &state.by, &state.at);
            vec![Line::text(line)]
        }
        None if state.by.is_some() || state.at.is_some() => {
            let mut line = "**Not signed**".to_string();
            push_who_when(&mut line, &state.by, &state.at);
            vec![Line::text(line)]
        }
        None => Vec::new(),
    }
}

/// The date a signature shows: the one written, else the day it was made.
fn signature_date(sig: &Signature) -> &str {
    if sig.date.is_empty() {
        sig.signed_at.get(..10).unwrap_or("")
    } else {
        &sig.date
    }
}

/// Where the lines under an item go: at the start of the line after its own words, indented
/// to stay inside its list item (block quote markers kept) and deep enough that the next line,
/// a nested item written with more indentation, does not fall inside them.
struct Site {
    at: usize,
    /// The item's words end the file without a line end.
    at_end: bool,
    /// What goes before `- ` of each line.
    bullet: String,
    /// What goes before the contents of a line's continuation.
    inner: String,
    /// What a blank line inside them holds: the block quote markers.
    blank: String,
}

impl Site {
    fn of(source: &str, item: &Item) -> Site {
        let end = item.text_end.max(item.marker.end).min(source.len());
        let (at, at_end) = match source.get(end..).and_then(|rest| rest.find('\n')) {
            Some(i) => (end + i + 1, false),
            None => (source.len(), true),
        };
        let line_start = crate::span::line_start(source, item.marker.start);
        let lead = source.get(line_start..item.marker.start).unwrap_or("");
        let base: String = lead.chars().map(|ch| if ch == '>' || ch == '\t' { ch } else { ' ' }).collect();
        let column = width(&base);
        let next = source.get(at..).unwrap_or("").split('\n').find_map(|line| {
            let indent = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
            (indent < line.len()).then(|| width(&line[..indent]))
        });
        let deeper = next.map_or(0, |n| n.saturating_sub(column + 1)).min(3);
        let bullet = format!("{base}{}", " ".repeat(deeper));
        Site { at, at_end, inner: format!("{bullet}  "), blank: base.trim_end_matches([' ', '\t']).to_string(), bullet }
    }

    fn write(&self, lines: &[Line]) -> String {
        let size: usize =
            lines.iter().map(|l| l.text.len() + l.evidence.as_ref().map_or(0, |e| e.len() * 2 + 64)).sum();
        let mut out = String::with_capacity(size + lines.len() * (self.bullet.len() + 4) + 1);
        if self.at_end {
            out.push('\n');
        }
        let put = |out: &mut String, prefix: &str, text: &str| {
            out.push_str(prefix);
            out.push_str(text);
            out.push('\n');
        };
        for line in lines {
            out.push_str(&self.bullet);
            out.push_str("- ");
            for (i, part) in line.text.split('\n').enumerate() {
                if i > 0 {
                    out.push_str(&self.inner);
                }
                out.push_str(part);
                out.push('\n');
            }
            if let Some(evidence) = &line.evidence {
                let fence = "`".repeat(longest_run(evidence, '`').max(2) + 1);
                put(&mut out, &self.blank, "");
                put(&mut out, &self.inner, &fence);
                for l in evidence.split('\n') {
                    if l.is_empty() {
                        put(&mut out, &self.blank, "");
                    } else {
                        put(&mut out, &self.inner, l);
                    }
                }
                put(&mut out, &self.inner, &fence);
                put(&mut out, &self.blank, "");
                put(&mut out, &self.inner, "</details>");
            }
        }
        if self.at_end {
            out.pop();
        }
        out
    }
}

/// Columns of leading whitespace and block quote markers (tabs to the next multiple of 4).
fn width(lead: &str) -> usize {
    lead.chars().fold(0, |col, ch| if ch == '\t' { col + 4 - col % 4 } else { col + 1 })
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in s.chars() {
        run = if c == ch { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Text as the normalized report will hold it: CR line ends become LF, NUL becomes U+FFFD.
fn visible(value: &str) -> String {
    value.replace("\r\n", "\n").replace('\r', "\n").replace('\0', "\u{FFFD}")
}

/// Where a piece of text goes, which decides what must be escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Inside a line.
    Inline,
    /// At the start of a line, where `#`, `>`, `-`, `+`, `=`, `|`, `:` and `1.` open blocks.
    LineStart,
    /// In a table cell, where `|` ends the cell.
    TableCell,
}

/// Markdown that renders as `value` on one line: runs of whitespace become one space, and a
/// backslash goes only before what would otherwise be read as markup.
fn text(value: &str, context: Context) -> Cow<'_, str> {
    // Most values (names, times, reasons in words) need nothing.
    let plain = value.bytes().all(|b| b.is_ascii_alphanumeric() || b" ,;:.'\"()/@+%=!?#-".contains(&b))
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && !value.contains("  ");
    if plain && context == Context::Inline {
        return Cow::Borrowed(value);
    }
    let value = visible(value);
    let chars: Vec<char> =
        value.split_whitespace().flat_map(|w| std::iter::once(' ').chain(w.chars())).skip(1).collect();
    let mut out = String::with_capacity(value.len() + 8);
    for (i, &ch) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let escape = match ch {
            // Before punctuation (or a line end) a backslash escapes; elsewhere it is itself.
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
            '`' | '*' | '[' | ']' | '~' | '$' => true,
            // Inside a word `_` is a letter (GitHub's rule for intraword underscores).
            '_' => !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)),
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => entity_follows(&chars[i + 1..]),
            '|' => context == Context::TableCell,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(ch);
    }
    if context == Context::LineStart {
        let digits = out.bytes().take_while(u8::is_ascii_digit).count();
        let first = out.as_bytes().get(digits).copied();
        if digits == 0 && matches!(first, Some(b'#' | b'>' | b'-' | b'+' | b'=' | b'|' | b':')) {
            out.insert(0, '\\');
        } else if digits > 0 && matches!(first, Some(b'.' | b')')) {
            out.insert(digits, '\\');
        }
    }
    Cow::Owned(out)
}

/// A filled blank: the value's text, or a dash for an empty one.
fn filled(value: &str, context: Context) -> String {
    let shown = text(value, context);
    if shown.is_empty() {
        "—".to_string()
    } else {
        shown.into_owned()
    }
}

/// `&name;`, `&#123;` or `&#x1F;`: what CommonMark reads as a character reference.
fn entity_follows(rest: &[char]) -> bool {
    let (numeric, hex) = match (rest.first(), rest.get(1)) {
        (Some('#'), Some('x' | 'X')) => (true, true),
        (Some('#'), _) => (true, false),
        _ => (false, false),
    };
    let skip = usize::from(numeric) + usize::from(hex);
    let body: Vec<char> = rest.iter().skip(skip).take_while(|c| c.is_ascii_alphanumeric()).copied().collect();
    !body.is_empty() && rest.get(skip + body.len()) == Some(&';')
}

/// A value shown inside a code block: one line, and no run of backticks or tildes that could
/// close the fence. The exact value is kept in the machine block.
fn code_text(value: &str) -> String {
    visible(value).split_whitespace().collect::<Vec<_>>().join(" ").replace('`', "'").replace('~', "-")
}

/// Only whitespace and block quote markers before byte `at` on its line.
fn opens_line(source: &str, at: usize) -> bool {
    let start = crate::span::line_start(source, at);
    source.get(start..at).is_some_and(|lead| lead.chars().all(|c| matches!(c, ' ' | '\t' | '>')))
}

/// After front matter, if any, else at the very top.
pub fn summary_position(source: &str) -> usize {
    if let Some(rest) = source.strip_prefix("---\n") {
        let mut at = 4;
        for line in rest.split_inclusive('\n') {
            at += line.len();
            if line.trim_end() == "---" || line.trim_end() == "..." {
                return at;
            }
        }
    }
    0
}

/// Is byte `at` inside a block of section `section` that `kind` accepts?
fn in_block(c: &Checklist, section: usize, at: usize, kind: impl Fn(&Block) -> bool) -> bool {
    c.sections.get(section).is_some_and(|s| {
        s.blocks.iter().any(|b| {
            kind(b)
                && match b {
                    Block::Code(_) | Block::Table(_) => b.span().is_some_and(|span| span.start <= at && at < span.end),
                    _ => false,
                }
        })
    })
}

/// JSON that can sit inside `<!-- … -->`: `-->` (and `--!>`, which ends a comment in browsers)
/// only ever occurs inside strings here, where `>` can be written `\u003e`.
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    if json.contains("--") {
        json.replace("-->", "--\\u003e").replace("--!>", "--!\\u003e")
    } else {
        json
    }
}

/// What the machine block holds, borrowed for writing ([`Data`] is what is read back).
struct DataView<'a> {
    generated_at: &'a str,
    template_sha256: &'a str,
    state_sha256: &'a str,
    run: &'a Run,
    corrections: &'a [Correction],
    insert_at: usize,
    boxes: &'a str,
    edits: &'a [Edit],
}

/// The machine block: pretty JSON with one entry a line, so that a change to one item changes
/// a line or two of it.
fn write_data(out: &mut String, data: &DataView<'_>) {
    out.push_str(DATA_BEGIN);
    out.push_str("\n{");
    let mut top = Members::new(out, "  ");
    top.value("schema", DATA_SCHEMA);
    top.value("generatedAt", data.generated_at);
    top.value("templateSha256", data.template_sha256);
    top.value("stateSha256", data.state_sha256);
    top.open("run", '{');
    {
        let run = data.run;
        let mut r = Members::new(top.out, "    ");
        r.value("schema", &run.schema);
        r.value("id", &run.id);
        r.value("name", &run.name);
        r.value("templateSha256", &run.template_sha256);
        r.value("createdAt", &run.created_at);
        if let Some(renamed) = &run.renamed_at {
            r.value("renamedAt", renamed);
        }
        r.map("items", &run.items);
        r.map("fields", &run.fields);
        r.map("signOffs", &run.sign_offs);
        r.map("sections", &run.sections);
        r.list("timeline", &run.timeline);
        r.list("log", &run.log);
        top.out.push('\n');
    }
    top.out.push_str("  }");
    top.list("corrections", data.corrections);
    top.value("insertAt", &data.insert_at);
    top.value("boxes", data.boxes);
    top.list("edits", data.edits);
    out.push_str("\n}\n");
    out.push_str(DATA_END);
    out.push('\n');
}

/// Writes the members of one JSON object, one a line, at one indentation.
struct Members<'a> {
    out: &'a mut String,
    indent: &'static str,
    first: bool,
}

impl<'a> Members<'a> {
    fn new(out: &'a mut String, indent: &'static str) -> Self {
        Members { out, indent, first: true }
    }

    fn key(&mut self, key: &str) {
        if !std::mem::take(&mut self.first) {
            self.out.push(',');
        }
        self.out.push('\n');
        self.out.push_str(self.indent);
        self.out.push_str(&json(key));
        self.out.push_str(": ");
    }

    fn value<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.key(key);
        self.out.push_str(&json(value));
    }

    fn open(&mut self, key: &str, bracket: char) {
        self.key(key);
        self.out.push(bracket);
    }

    fn map<T: Serialize>(&mut self, key: &str, entries: &BTreeMap<String, T>) {
        self.open(key, '{');
        self.entries(entries.iter().map(|(k, v)| format!("{}: {}", json(k), json(v))), '}');
    }

    fn list<T: Serialize>(&mut self, key: &str, entries: &[T]) {
        self.open(key, '[');
        self.entries(entries.iter().map(|v| json(v)), ']');
    }

    fn entries(&mut self, entries: impl Iterator<Item = String>, close: char) {
        let mut any = false;
        for entry in entries {
            self.out.push_str(if any { ",\n" } else { "\n" });
            self.out.push_str(self.indent);
            self.out.push_str("  ");
            self.out.push_str(&entry);
            any = true;
        }
        if any {
            self.out.push('\n');
            self.out.push_str(self.indent);
        }
        self.out.push(close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_markup_is_escaped() {
        assert_eq!(
            text("score 75% on 2026-12-01T10:30:00Z: ok.", Context::Inline),
            "score 75% on 2026-12-01T10:30:00Z: ok."
        );
        assert_eq!(text("snake_case and a_b but _x_", Context::Inline), "snake_case and a_b but \\_x\\_");
        assert_eq!(
            text("*a* `b` [c](d) <b> <!-- e ~f~ $g$", Context::Inline),
            "\\*a\\* \\`b\\` \\[c\\](d) \\<b> \\<!-- e \\~f\\~ \\$g\\$"
        );
        assert_eq!(
            text("a < b & c &amp; d &#123; \\ e\\*", Context::Inline),
            "a < b & c \\&amp; d \\&#123; \\ e\\\\\\*"
        );
        assert_eq!(text("  two\n lines\t ", Context::Inline), "two lines");
        assert_eq!(text("a | b", Context::Inline), "a | b");
        assert_eq!(text("a | b", Context::TableCell), "a \\| b");
        assert_eq!(text("# not a heading", Context::LineStart), "\\# not a heading");
        assert_eq!(text("12. not a list", Context::LineStart), "12\\. not a list");
        assert_eq!(text("- x", Context::Inline), "- x");
        assert_eq!(text("- x", Context::LineStart), "\\- x");
    }

    fn when(at: &str) -> String {
        let mut out = String::new();
        push_when(&mut out, at);
        out
    }

    #[test]
    fn times_are_shown_to_the_minute() {
        assert_eq!(when("2026-12-01T10:05:00Z"), "2026-12-01 10:05 UTC");
        assert_eq!(when("2026-12-01T10:05:00.123Z"), "2026-12-01 10:05 UTC");
        assert_eq!(when("2026-12-01T10:05Z"), "2026-12-01 10:05 UTC");
        assert_eq!(when("now"), "now");
        assert_eq!(when("2026-12-01T10:05:00+01:00"), "2026-12-01T10:05:00+01:00");
    }

    #[test]
    fn the_machine_block_writes_every_member_of_a_run() {
        let mut run: serde_json::Value = serde_json::from_str(
            r#"{"schema":"preflight.run/1","id":"r","name":"n","templateSha256":"t","createdAt":"c","items":{}}"#,
        )
        .unwrap();
        let full: Run = serde_json::from_value(run.clone()).unwrap();
        // Every member `Run` serializes must be one `write_data` writes.
        let written = [
            "schema",
            "id",
            "name",
            "templateSha256",
            "createdAt",
            "renamedAt",
            "items",
            "fields",
            "signOffs",
            "sections",
            "timeline",
            "log",
        ];
        let mut all = full.clone();
        all.renamed_at = Some("x".into());
        all.timeline.push(crate::run::Event {
            at: "a".into(),
            event: "closed".into(),
            gate: None,
            section: None,
            by: None,
            note: None,
        });
        crate::history::append(&mut all.log, "rename", None, None, Some("n".into()), None, "t");
        run = serde_json::to_value(&all).unwrap();
        for key in run.as_object().unwrap().keys() {
            assert!(written.contains(&key.as_str()), "`{key}` is not written into the machine block");
        }
        let data = Data {
            schema: DATA_SCHEMA.into(),
            generated_at: "g".into(),
            template_sha256: "t".into(),
            state_sha256: all.state_sha256(),
            run: all.clone(),
            corrections: Vec::new(),
            insert_at: 0,
            boxes: String::new(),
            edits: vec![Edit(3, " ".into(), Replacement::Len(1))],
        };
        let view = DataView {
            generated_at: &data.generated_at,
            template_sha256: &data.template_sha256,
            state_sha256: &data.state_sha256,
            run: &data.run,
            corrections: &data.corrections,
            insert_at: data.insert_at,
            boxes: &data.boxes,
            edits: &data.edits,
        };
        let mut out = String::new();
        write_data(&mut out, &view);
        let json = out.strip_prefix(DATA_BEGIN).unwrap().strip_suffix("-->\n").unwrap();
        assert_eq!(serde_json::from_str::<Data>(json).unwrap(), data);
    }

    /// A long report is written into the room counted for it, its machine block (an entry per
    /// item of the run) included: it used to outgrow a fixed allowance, and the whole report
    /// doubled its room and was copied as the block went in.
    #[test]
    fn a_long_report_is_written_into_its_room() {
        let items: String = (0..1000).map(|i| format!("- [ ] step {i}\n")).collect();
        let c = crate::parse_str(&format!("# T\n## Prep\n{items}"));
        let mut run = Run::new(&c, "r", "r", "2026-12-01T00:00:00Z");
        let ids: Vec<String> = c.tasks().map(|i| i.id.clone()).collect();
        for id in &ids {
            run.set_status(&c, id, crate::run::Status::Done, None, None, "2026-12-01T00:00:01Z").expect("an item");
        }
        let md = export(&c, &run, "2026-12-01T00:00:02Z");
        assert!(md.len() > 2 * c.source.len(), "the machine block is long: {} bytes for {}", md.len(), c.source.len());
        assert!(md.capacity() < md.len() + md.len() / 16, "room {} for {} bytes", md.capacity(), md.len());
    }
}
