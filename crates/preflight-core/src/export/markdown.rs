//! Markdown export: the original document with `[x]` for done items, filled sign-offs and
//! fields, and what Markdown cannot show (N/A and its reason, notes, evidence, signatures) in an
//! HTML comment on the item's line, right after its checkbox. A summary block goes on top. Every byte changed
//! is listed in the summary's edit log, so `import` can rebuild the exact template and run.

use serde::{Deserialize, Serialize};

use crate::model::{Checklist, ItemKind};
use crate::run::{FieldState, Run, SectionState, Signature, Status};
use crate::score::{percent, score};
use std::collections::BTreeMap;

pub const SUMMARY_BEGIN: &str = "<!-- preflight:summary:begin -->";
pub const SUMMARY_END: &str = "<!-- preflight:summary:end -->";
pub const RUN_MARK: &str = "<!-- preflight:run ";
pub const ANNOTATION: &str = "<!-- preflight: ";

/// One change to the template: at byte `at` of the template, `original` became `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit(pub usize, pub String, pub String);

/// The run-level state that has no line of its own, kept in the summary block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_at: Option<String>,
    /// Signatures of sign-off slots that are not task lines (table rows, plain lines): they
    /// have no checkbox to annotate.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub slots: BTreeMap<String, crate::run::SignOffState>,
    /// When the report was written (as displayed), so it can be recomputed exactly.
    #[serde(default)]
    pub generated_at: String,
    /// Corrections the checklist was read with beyond its own `preflight:` block.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<crate::model::Correction>,
    /// The run's history, hash-linked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<crate::history::Entry>,
    /// The run's moments: GO declared, gates passed, contingencies started, closed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<crate::run::Event>,
    /// Where the summary block was inserted (a byte offset of the template).
    pub insert_at: usize,
    pub edits: Vec<Edit>,
    /// The template's checkbox characters (` `, `x`, `X`), one per item in document order, so
    /// that boxes ticked by hand after export do not change the rebuilt template.
    #[serde(default)]
    pub boxes: String,
    /// Annotations of items with no text of their own: a comment on their line would open a
    /// paragraph and pull the next line into the item.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, Annotation>,
}

/// What an item's annotation records. Short keys keep the lines readable.
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

/// JSON that is safe inside `<!-- … -->` and on one line: `-`, `<`, `>` and `_` only ever occur in
/// strings here, so they can be written as `\u` escapes, which JSON decodes back.
pub fn comment_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    // `_` too: three of them in a note would read as a fill-in blank on the item's line.
    json.replace('-', "\\u002d")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('_', "\\u005f")
        .replace('`', "\\u0060")
}

/// Escape text for use inside a Markdown line (a filled name or date): every ASCII punctuation
/// character is backslash-escaped, which CommonMark allows, so a value can never open a list,
/// a heading, a link or HTML, or turn the line above into a setext heading.
fn inline_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
    }
    if out.is_empty() {
        out.push('—');
    }
    out
}

/// A value shown inside a code block: one line, and no run of backticks or tildes that could
/// close the fence. The exact value is kept in the summary block.
fn code_text(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ").replace('`', "'").replace('~', "-")
}

pub fn export(c: &Checklist, run: &Run, generated_at: &str) -> String {
    let source = c.source.as_str();
    let mut edits: Vec<Edit> = Vec::new();
    let mut header_annotations = BTreeMap::new();
    for item in &c.items {
        let marker_char = item.box_at(source);
        let original = source.get(marker_char..marker_char + 1).unwrap_or(" ").to_string();
        let mut annotation = Annotation::default();
        let checked = match item.kind {
            ItemKind::Task => {
                let state = run.item(&item.id);
                annotation.k = "t".into();
                if matches!(state.status, Status::Na | Status::Blocked) {
                    annotation.s = Some(state.status);
                }
                annotation.r = state.reason;
                annotation.n = state.note;
                annotation.e = state.evidence;
                annotation.b = state.by;
                annotation.a = state.at;
                state.status == Status::Done
            }
            ItemKind::SignOff => {
                let state = run.sign_offs.get(&item.id).cloned().unwrap_or_default();
                annotation.k = "s".into();
                annotation.role = item.sign_off.as_ref().map(|s| s.role.clone());
                annotation.b = state.by;
                annotation.a = state.at;
                if let (Some(sig), Some(spec)) = (&state.signature, &item.sign_off) {
                    for (i, field) in spec.fields.iter().enumerate() {
                        let value = if i == 0 {
                            sig.name.clone()
                        } else if field.label.eq_ignore_ascii_case("date") {
                            if sig.date.is_empty() {
                                sig.signed_at.get(..10).unwrap_or("").to_string()
                            } else {
                                sig.date.clone()
                            }
                        } else {
                            sig.values.get(&field.label).cloned().unwrap_or_default()
                        };
                        let blank = source.get(field.span.start..field.span.end).unwrap_or("");
                        if field.value.is_none() && blank.starts_with("___") {
                            edits.push(Edit(field.span.start, blank.to_string(), inline_text(&value)));
                        }
                    }
                }
                annotation.sig = state.signature;
                annotation.sig.is_some()
            }
        };
        let wanted = if checked { "x" } else { " " };
        let keeps_original = (original == "X" && checked) || original == wanted;
        if !keeps_original {
            edits.push(Edit(marker_char, original, wanted.to_string()));
        }
        let bare = annotation.s.is_none()
            && annotation.r.is_none()
            && annotation.n.is_none()
            && annotation.e.is_none()
            && annotation.b.is_none()
            && annotation.a.is_none()
            && annotation.sig.is_none();
        if !bare && item.text_end <= item.marker.end {
            header_annotations.insert(item.id.clone(), annotation);
        } else if !bare {
            // Right after `[ ]`: nothing earlier on the line can swallow the comment there (an
            // unclosed `<!--`, code span or tag in the item's own text would at the line end),
            // and GitHub renders the item exactly as before.
            let at = item.marker.end;
            edits.push(Edit(at, String::new(), format!(" {ANNOTATION}{} -->", comment_json(&annotation))));
        }
    }
    for field in &c.fields {
        if let Some(state) = run.fields.get(&field.id) {
            if !state.value.trim().is_empty() {
                let blank = source.get(field.span.start..field.span.end).unwrap_or("").to_string();
                let in_code = is_in_code(c, field.section, field.span.start);
                let value = if in_code { code_text(&state.value) } else { inline_text(&state.value) };
                edits.push(Edit(field.span.start, blank, value));
            }
        }
    }
    edits.sort_by_key(|e| e.0);
    let insert_at = summary_position(source);
    let card = score(c, run);
    let header = Header {
        schema: run.schema.clone(),
        id: run.id.clone(),
        name: run.name.clone(),
        template_sha256: run.template_sha256.clone(),
        created_at: run.created_at.clone(),
        fields: run.fields.clone(),
        sections: run.sections.clone(),
        renamed_at: run.renamed_at.clone(),
        timeline: run.timeline.clone(),
        log: run.log.clone(),
        generated_at: generated_at.to_string(),
        corrections: c.corrections.iter().filter(|k| k.line == 0).cloned().collect(),
        slots: c.slots.iter().filter_map(|s| run.sign_offs.get(&s.id).map(|st| (s.id.clone(), st.clone()))).collect(),
        insert_at,
        edits: edits.clone(),
        annotations: header_annotations,
        boxes: c.items.iter().map(|i| source.get(i.box_at(source)..i.box_at(source) + 1).unwrap_or(" ")).collect(),
    };
    let verdict = card.verdict.as_str().to_uppercase();
    let mut summary = String::new();
    summary.push_str(SUMMARY_BEGIN);
    summary.push('\n');
    summary.push_str(&format!(
        "> **Preflight report** · run “{}” · **{}** · score **{}** ({}) · {}/{} items done · {}/{} sign-offs signed\n",
        inline_text(&run.name),
        verdict,
        percent(card.score_tenths),
        inline_text(&card.band.label),
        card.counts.done,
        card.counts.applicable,
        card.sign_offs.signed,
        card.sign_offs.total,
    ));
    for reason in &card.reasons {
        summary.push_str(&format!(">\n> - {}\n", inline_text(&reason.message)));
    }
    summary.push_str(&format!(
        ">\n> Source SHA-256 `{}` · run state SHA-256 `{}` · Preflight {} · {}\n",
        c.source_sha256,
        run.state_sha256(),
        crate::VERSION,
        inline_text(generated_at)
    ));
    summary.push_str(RUN_MARK);
    summary.push_str(&comment_json(&header));
    summary.push_str(" -->\n");
    summary.push_str(SUMMARY_END);
    summary.push_str("\n\n");

    let mut out = String::with_capacity(source.len() + summary.len() + edits.len() * 32);
    let mut at = 0;
    let mut summary_done = false;
    for edit in &edits {
        if !summary_done && insert_at <= edit.0 {
            out.push_str(&source[at..insert_at]);
            out.push_str(&summary);
            at = insert_at;
            summary_done = true;
        }
        out.push_str(source.get(at..edit.0).unwrap_or(""));
        out.push_str(&edit.2);
        at = edit.0 + edit.1.len();
    }
    if !summary_done {
        out.push_str(&source[at..insert_at.max(at)]);
        out.push_str(&summary);
        at = insert_at.max(at);
    }
    out.push_str(source.get(at..).unwrap_or(""));
    out
}

/// After front matter, if any, else at the very top.
fn summary_position(source: &str) -> usize {
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

/// Is byte `at` inside a code block of section `section` (a field's code block is in its section)?
fn is_in_code(c: &Checklist, section: usize, at: usize) -> bool {
    c.sections.get(section).is_some_and(|s| {
        s.blocks
            .iter()
            .any(|b| matches!(b, crate::model::Block::Code { span, .. } if span.start <= at && at < span.end))
    })
}
