//! Import: a run back from where it was exported. From JSON (a run, or a `preflight.report/1`
//! report carrying one) and from a filled Markdown report, whose summary block holds the edit
//! log that rebuilds the exact template, so a report imports even where the template is not.

use std::collections::BTreeMap;

use crate::export::markdown::{Annotation, Header, RUN_MARK, SUMMARY_BEGIN, SUMMARY_END};
use crate::markers;
use crate::model::{Checklist, ItemKind};
use crate::normalize::normalize;
use crate::parse::parse_str;
use crate::run::{ItemState, Run, RunError, SignOffState, Signature, Status, RUN_SCHEMA};

/// A filled Markdown report taken apart: its header, and the document without the summary.
pub struct Report {
    pub header: Header,
    pub body: String,
}

/// Find the summary block of an exported Markdown report.
pub fn split(text: &str) -> Option<Report> {
    // The exporter's own block opens with the report line; a document that merely contains
    // the marker text (before it, in its front matter) must not be taken for it.
    let mut begin = find_line(text, SUMMARY_BEGIN, 0)?;
    let mut probe = begin;
    while !text[probe + SUMMARY_BEGIN.len()..].starts_with("\n> **Preflight report**") {
        match find_line(text, SUMMARY_BEGIN, probe + SUMMARY_BEGIN.len()) {
            Some(next) => probe = next,
            None => break,
        }
    }
    if text[probe + SUMMARY_BEGIN.len()..].starts_with("\n> **Preflight report**") {
        begin = probe;
    }
    let end = find_line(text, SUMMARY_END, begin)?;
    let block = &text[begin..end];
    let json_start = block.find(RUN_MARK)? + RUN_MARK.len();
    let json_end = block[json_start..].find(" -->")? + json_start;
    let header: Header = serde_json::from_str(&block[json_start..json_end]).ok()?;
    let mut after = end + SUMMARY_END.len();
    for _ in 0..2 {
        if text[after..].starts_with('\n') {
            after += 1;
        }
    }
    Some(Report { header, body: format!("{}{}", &text[..begin], &text[after..]) })
}

fn find_line(text: &str, needle: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = text.get(at..)?.find(needle) {
        let pos = at + i;
        if pos == 0 || text.as_bytes()[pos - 1] == b'\n' {
            return Some(pos);
        }
        at = pos + needle.len();
    }
    None
}

/// Undo the edit log on `body`; `None` when the body no longer matches it (it was edited
/// beyond ticking boxes).
pub fn rebuild_template(report: &Report) -> Option<String> {
    let body = &report.body;
    let mut out = String::with_capacity(body.len());
    let mut at = 0; // in body
    let mut delta: isize = 0;
    for edit in &report.header.edits {
        let pos = (edit.0 as isize + delta) as usize;
        let found = body.get(pos..pos + edit.2.len())?;
        // A box ticked or unticked by hand (on GitHub) is still the same edit.
        let is_box = edit.1.len() == 1 && edit.2.len() == 1 && " xX".contains(edit.1.as_str());
        if found != edit.2 && !(is_box && " xX".contains(found)) {
            return None;
        }
        out.push_str(body.get(at..pos)?);
        out.push_str(&edit.1);
        at = pos + edit.2.len();
        delta += edit.2.len() as isize - edit.1.len() as isize;
    }
    out.push_str(body.get(at..)?);
    // Boxes ticked by hand are not in the edit log: restore every box to the template's state.
    let boxes: Vec<char> = report.header.boxes.chars().collect();
    if !boxes.is_empty() {
        let parsed = parse_str(&out);
        if parsed.items.len() != boxes.len() {
            return None;
        }
        let mut bytes = out.into_bytes();
        for (item, &b) in parsed.items.iter().zip(&boxes) {
            let at = item.box_at(parsed.source.as_str());
            if let (Some(slot), true) = (bytes.get_mut(at), b.is_ascii()) {
                *slot = b as u8;
            }
        }
        out = String::from_utf8(bytes).ok()?;
    }
    Some(out)
}

/// The result of importing a filled Markdown report.
pub struct Imported {
    /// The template rebuilt from the report, when it could be.
    pub template: Option<String>,
    pub run: Run,
}

/// A run from a filled Markdown report. With `template`, items are matched to it; without,
/// the template is rebuilt from the report's edit log.
pub fn from_markdown(text: &str, template: Option<&Checklist>) -> Result<Imported, RunError> {
    let text = normalize(text.as_bytes()).text;
    let report = split(&text).ok_or_else(|| {
        RunError::Invalid("not a Preflight Markdown report: it has no `preflight:summary` block".into())
    })?;
    let rebuilt = rebuild_template(&report);
    let parsed;
    let checklist = match template {
        Some(c) => c,
        None => {
            let source = rebuilt.as_deref().ok_or_else(|| {
                RunError::Invalid(
                    "the report was edited beyond ticking boxes; import it together with its template".into(),
                )
            })?;
            parsed = parse_str(source);
            &parsed
        }
    };
    if checklist.source_sha256 != report.header.template_sha256 {
        return Err(RunError::WrongTemplate {
            expected: checklist.source_sha256.clone(),
            found: report.header.template_sha256.clone(),
        });
    }
    let filled = parse_str(&report.body);
    let header = report.header;
    let mut run = Run {
        schema: RUN_SCHEMA.to_string(),
        id: header.id,
        name: header.name,
        template_sha256: header.template_sha256,
        created_at: header.created_at,
        items: BTreeMap::new(),
        fields: header.fields,
        sign_offs: header.slots,
        sections: header.sections,
        renamed_at: header.renamed_at,
        timeline: header.timeline,
        log: header.log,
    };
    // Sign-offs whose name was typed into the document rather than signed in Preflight.
    let mut typed: Vec<String> = Vec::new();
    for item in &filled.items {
        let annotation: Option<Annotation> = item
            .annotation
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .or_else(|| header.annotations.get(&item.id).cloned());
        if checklist.item(&item.id).is_none() {
            continue;
        }
        match item.kind {
            ItemKind::Task => {
                let a = annotation.unwrap_or_default();
                let status = a.s.unwrap_or(if item.checked { Status::Done } else { Status::Todo });
                run.items.insert(
                    item.id.clone(),
                    ItemState { status, reason: a.r, note: a.n, evidence: a.e, by: a.b, at: a.a },
                );
            }
            ItemKind::SignOff => {
                let state = match annotation {
                    Some(a) => SignOffState { signature: a.sig.filter(|_| item.checked), by: a.b, at: a.a },
                    None if item.checked => {
                        typed.push(item.id.clone());
                        SignOffState { signature: Some(signature_from_text(&item.text)), by: None, at: None }
                    }
                    None => SignOffState::default(),
                };
                run.sign_offs.insert(item.id.clone(), state);
            }
        }
    }
    // A name and date written on the line by hand sign the state the report shows now: its
    // gate's state as read, so a complete, hand-filled report is GO, not stale.
    let hashes: Vec<(String, Option<crate::model::Gate>, String)> = typed
        .iter()
        .map(|id| {
            let gate = checklist.item(id).and_then(|i| i.gate);
            (id.clone(), gate, run.gate_state_sha256(checklist, gate))
        })
        .collect();
    for (id, gate, hash) in hashes {
        if let Some(sig) = run.sign_offs.get_mut(&id).and_then(|s| s.signature.as_mut()) {
            sig.gate = gate;
            sig.gate_state_sha256 = Some(hash);
        }
    }
    run.attach(checklist)?;
    Ok(Imported { template: rebuilt, run: run.compacted() })
}

/// A signature typed straight into the Markdown (`Tech Lead: Jane Roe Date: 2026-11-20`).
fn signature_from_text(text: &str) -> Signature {
    let pairs = markers::filled_pairs(text).unwrap_or_default();
    let mut sig = Signature { meaning: "signed in the document".into(), ..Signature::default() };
    for (i, (label, value)) in pairs.into_iter().enumerate() {
        if i == 0 {
            sig.name = value;
        } else if label.eq_ignore_ascii_case("date") {
            sig.date = value;
        } else {
            sig.values.insert(label, value);
        }
    }
    sig
}

/// A run from JSON: a bare run, or a `preflight.report/1` report that carries one.
pub fn from_json(json: &str) -> Result<Run, RunError> {
    let value: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| RunError::Invalid(format!("not JSON: {e} (line {}, column {})", e.line(), e.column())))?;
    let run = match value.get("schema").and_then(|s| s.as_str()) {
        Some(crate::report::REPORT_SCHEMA | crate::report::REPORT_SCHEMA_V1) => {
            value.get("run").cloned().ok_or_else(|| RunError::Invalid("the report has no `run`".into()))?
        }
        _ => value,
    };
    Run::from_json(&run.to_string())
}
