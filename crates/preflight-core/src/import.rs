//! Import: a run back from where it was exported. From JSON (a run, or a `preflight.report/1`
//! report carrying one) and from a filled Markdown report, whose machine block holds the run and
//! the edit log that rebuilds the exact template, so a report imports even where the template
//! is not.
//!
//! A Markdown report is read as written, except for its checkboxes: a box ticked or cleared by
//! hand (on GitHub, in an editor) is read as that item done or open, a sign-off's box ticked by
//! hand with the names written on its line as signed in the document. Every other line the
//! export added (states, notes, evidence, filled names) is checked against what the export
//! writes for the run the report holds; one edited by hand is an error naming its line, never
//! read as something else. Given its checklist, a report whose document text was edited is read
//! item by item, each box as its checklist's item in the same place; items added, removed or
//! moved are refused. What was typed in by hand is read where a run has a place for it (a blank
//! filled, a line under a task, names in a sign-off row: `typed`) and refused with its line
//! where it has none, the summary on top included. Reports in the first format (state in a
//! comment after each checkbox) are read too, for their boxes, their comments and names typed on
//! a ticked sign-off line; any other change to one is refused with its line.

use std::collections::BTreeMap;

use crate::export::markdown::{
    self, Annotation, Change, Data, Edit, Header, Replacement, DATA_BEGIN, DATA_END, DATA_SCHEMA, RUN_MARK,
    SUMMARY_BEGIN, SUMMARY_END,
};
use crate::line_diff;
use crate::markers;
use crate::model::{Checklist, Correction, ItemKind};
use crate::normalize::normalize;
use crate::parse::{parse_str, parse_with_corrections};
use crate::run::{ItemState, Run, RunError, SignOffState, Signature, Status, RUN_SCHEMA};
use crate::span::line_start;

mod typed;

/// A filled Markdown report taken apart: what it records about itself, and the document without
/// the summary on top and the machine block at the end.
pub struct Report {
    /// The machine block (in the first format: its summary comment, read into the same shape,
    /// with no items in its run: those are in the annotations).
    pub header: Data,
    pub body: String,
    /// Where the summary was taken out of the body, how many lines it had, and its text.
    summary_at: usize,
    summary_lines: usize,
    summary: String,
    /// First format only: annotations of items with no text of their own.
    legacy: Option<BTreeMap<String, Annotation>>,
}

impl Report {
    /// Written in the first format, which kept the state in comments after each checkbox.
    pub fn is_first_format(&self) -> bool {
        self.legacy.is_some()
    }

    /// The report's line number of byte `at` of the body.
    fn line_of(&self, at: usize) -> usize {
        let before = self.body.get(..at).map_or(0, |b| b.matches('\n').count());
        before + 1 + if at >= self.summary_at { self.summary_lines } else { 0 }
    }
}

/// Take a Markdown report apart; `None` when `text` is not one.
pub fn split(text: &str) -> Option<Report> {
    split_data(text).or_else(|| split_first_format(text))
}

/// Format 2: the machine block is the last thing in the file; it places the summary.
fn split_data(text: &str) -> Option<Report> {
    let open = format!("\n{DATA_BEGIN}\n");
    let at = text.rfind(&open)?;
    let rest = text.get(at + open.len()..)?;
    let close = format!("\n{DATA_END}");
    let end = rest.rfind(&close)?;
    if !rest.get(end + close.len()..)?.trim().is_empty() {
        return None;
    }
    let header: Data = serde_json::from_str(rest.get(..end)?).ok()?;
    if header.schema != DATA_SCHEMA {
        return None;
    }
    let head = text.get(..at)?;
    // The summary went in at `insertAt` of the template, before the changes made there.
    let shift: isize =
        header.edits.iter().filter(|e| e.0 < header.insert_at).map(|e| e.2.len() as isize - e.1.len() as isize).sum();
    let begin = usize::try_from(header.insert_at as isize + shift).ok()?;
    let from = head.get(begin..)?;
    let own_line = if from.starts_with(SUMMARY_BEGIN) {
        0
    } else if from.strip_prefix('\n')?.starts_with(SUMMARY_BEGIN) {
        1
    } else {
        return None;
    };
    let mut after = find_line(head, SUMMARY_END, begin + own_line)? + SUMMARY_END.len();
    for _ in 0..2 {
        if head.get(after..)?.starts_with('\n') {
            after += 1;
        }
    }
    let summary = head.get(begin..after)?.to_string();
    Some(Report {
        body: format!("{}{}", head.get(..begin)?, head.get(after..)?),
        header,
        summary_at: begin,
        summary_lines: summary.matches('\n').count(),
        summary,
        legacy: None,
    })
}

/// Format 1: the summary block on top holds the run in a comment.
fn split_first_format(text: &str) -> Option<Report> {
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
    let old: Header = serde_json::from_str(&block[json_start..json_end]).ok()?;
    let mut after = end + SUMMARY_END.len();
    for _ in 0..2 {
        if text[after..].starts_with('\n') {
            after += 1;
        }
    }
    let run = Run {
        schema: RUN_SCHEMA.to_string(),
        id: old.id,
        name: old.name,
        template_sha256: old.template_sha256.clone(),
        created_at: old.created_at,
        items: BTreeMap::new(),
        fields: old.fields,
        sign_offs: old.slots,
        sections: old.sections,
        renamed_at: old.renamed_at,
        timeline: old.timeline,
        log: old.log,
    };
    let header = Data {
        schema: old.schema,
        generated_at: old.generated_at,
        template_sha256: old.template_sha256,
        state_sha256: String::new(),
        run,
        corrections: old.corrections,
        insert_at: old.insert_at,
        boxes: old.boxes,
        edits: old.edits,
    };
    Some(Report {
        body: format!("{}{}", &text[..begin], &text[after..]),
        header,
        summary_at: begin,
        summary_lines: text[begin..after].matches('\n').count(),
        summary: text[begin..after].to_string(),
        legacy: Some(old.annotations),
    })
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

/// A report's template, rebuilt, and which boxes the report shows ticked.
pub struct Rebuilt {
    pub template: String,
    /// One per item of the template, in document order: is its box ticked in the report?
    pub ticked: Vec<bool>,
}

/// Undo the edit log on the body; `None` when the body no longer matches it (it was edited
/// beyond ticking boxes).
pub fn rebuild_template(report: &Report) -> Option<String> {
    rebuild(report, None).map(|r| r.template)
}

/// [`rebuild_template`], with the boxes the report shows. With `given`, its items say where the
/// boxes are (a template that differs is no use, and the caller finds out by comparing).
pub fn rebuild(report: &Report, given: Option<&Checklist>) -> Option<Rebuilt> {
    let body = report.body.as_str();
    let mut out = String::with_capacity(body.len());
    let mut at = 0; // in body
    let mut delta: isize = 0;
    // (template offset of a change, body − template after it)
    let mut shifts: Vec<(usize, isize)> = Vec::with_capacity(report.header.edits.len());
    for edit in &report.header.edits {
        let pos = usize::try_from(edit.0 as isize + delta).ok().filter(|&p| p >= at)?;
        let found = body.get(pos..pos + edit.2.len())?;
        if let Replacement::Text(text) = &edit.2 {
            // A box ticked or unticked by hand (on GitHub) is still the same edit.
            let is_box = edit.1.len() == 1 && text.len() == 1 && " xX".contains(edit.1.as_str());
            if found != text && !(is_box && " xX".contains(found)) {
                return None;
            }
        }
        out.push_str(body.get(at..pos)?);
        out.push_str(&edit.1);
        at = pos + edit.2.len();
        delta += edit.2.len() as isize - edit.1.len() as isize;
        shifts.push((edit.0, delta));
    }
    out.push_str(body.get(at..)?);
    // Boxes ticked by hand are not in the edit log: restore every box to the template's state.
    let boxes: Vec<char> = report.header.boxes.chars().collect();
    if boxes.is_empty() && report.is_first_format() {
        return Some(Rebuilt { template: out, ticked: Vec::new() });
    }
    let positions: Vec<usize> = match given {
        Some(c) => c.items.iter().map(|i| i.box_at(&c.source)).collect(),
        None => {
            let parsed = parse_str(&out);
            parsed.items.iter().map(|i| i.box_at(&parsed.source)).collect()
        }
    };
    if positions.len() != boxes.len() {
        return None;
    }
    let mut bytes = out.into_bytes();
    let mut ticked = Vec::with_capacity(positions.len());
    let (mut next, mut shift) = (0, 0isize);
    for (&p, &b) in positions.iter().zip(&boxes) {
        while let Some(&(_, after)) = shifts.get(next).filter(|s| s.0 < p) {
            shift = after;
            next += 1;
        }
        let in_body = usize::try_from(p as isize + shift).ok().and_then(|i| body.as_bytes().get(i));
        ticked.push(matches!(in_body, Some(b'x' | b'X')));
        if let (Some(slot), true) = (bytes.get_mut(p), b.is_ascii()) {
            *slot = b as u8;
        }
    }
    Some(Rebuilt { template: String::from_utf8(bytes).ok()?, ticked })
}

/// The result of importing a filled Markdown report.
pub struct Imported {
    /// The template rebuilt from the report, when it could be.
    pub template: Option<String>,
    pub run: Run,
    /// The corrections the report was read with (kept beside its template where it was made):
    /// a shared run means what it meant there only when they come along.
    pub corrections: Vec<Correction>,
}

/// A run from a filled Markdown report. With `template`, items are matched to it; without,
/// the template is rebuilt from the report's edit log.
pub fn from_markdown(text: &str, template: Option<&Checklist>) -> Result<Imported, RunError> {
    let text = normalize(text.as_bytes()).text;
    let report = split(&text).ok_or_else(|| {
        RunError::Invalid(if text.contains(&format!("\n{DATA_BEGIN}\n")) {
            format!("the report's machine block (`{DATA_BEGIN}` … `{DATA_END}`) is damaged, or is no longer the end of the file")
        } else {
            "not a Preflight Markdown report: it has no `preflight:summary` block".into()
        })
    })?;
    if report.is_first_format() {
        return from_first_format(&report, template);
    }
    let rebuilt = rebuild(&report, template);
    let parsed;
    let checklist = match template {
        Some(c) => c,
        None => {
            let source = rebuilt.as_ref().map(|r| r.template.as_str()).ok_or_else(edited_beyond_boxes)?;
            parsed = parse_with_corrections(source.as_bytes(), &report.header.corrections);
            &parsed
        }
    };
    if checklist.source_sha256 != report.header.template_sha256 {
        return Err(RunError::WrongTemplate {
            expected: checklist.source_sha256.clone(),
            found: report.header.template_sha256.clone(),
        });
    }
    // Read as the export read it: with the corrections it kept beside the template.
    let reread;
    let reading = if template.is_none() || report.header.corrections.is_empty() {
        checklist
    } else {
        reread = parse_with_corrections(checklist.source.as_bytes(), &report.header.corrections);
        &reread
    };
    summary_as_written(&report, reading)?;
    let (template, mut run) = match rebuilt {
        Some(r) if r.template == checklist.source => {
            check(&report, reading)?;
            let run = read_run(&report, reading, &r.ticked);
            (Some(r.template), run)
        }
        // Given its checklist, a report whose text was edited is read item by item, by place.
        rebuilt => (rebuilt.map(|r| r.template), read_edited(&report, reading)?),
    };
    run.attach(checklist)?;
    Ok(Imported { template, run, corrections: report.header.corrections.clone() })
}

/// The summary on top is the export's, made from the run the report records: a line typed
/// into it would be taken out with it, unread. Refused with its line instead.
fn summary_as_written(report: &Report, c: &Checklist) -> Result<(), RunError> {
    let wrote = markdown::summary_of(c, &report.header.run, &report.header.generated_at);
    // Taken out with the blank lines after it, which the body may have had already.
    if report.summary.trim_end_matches('\n') == wrote.trim_end_matches('\n') {
        return Ok(());
    }
    let found_lines: Vec<&str> = report.summary.split('\n').collect();
    let mut numbers = std::collections::HashMap::new();
    let expected = typed::numbered(&wrote.split('\n').collect::<Vec<_>>(), &mut numbers);
    let found = typed::numbered(&found_lines, &mut numbers);
    let first_line = report.body.get(..report.summary_at).map_or(0, |b| b.matches('\n').count()) + 1;
    let typed = line_diff::diff(&expected, &found, &mut 100_000)
        .map(|hunks| hunks.into_iter().flat_map(|h| h.b).find(|&i| !found_lines[i].trim().is_empty()))
        .unwrap_or_else(|| found.iter().position(|l| !expected.contains(l)));
    match typed {
        Some(i) => Err(RunError::Invalid(format!(
            "line {} of the report is in the summary on top, which the export writes from the run it records: it \
             reads “{}”. Type notes on the line under their item, or change the run in Preflight and export again",
            first_line + i,
            found_lines[i].trim()
        ))),
        None => Ok(()),
    }
}

fn edited_beyond_boxes() -> RunError {
    RunError::Invalid("the report was edited beyond ticking boxes; import it together with its template".into())
}

/// The lines the export added (states, notes, evidence, filled names and values) and its edit
/// log are what the export writes for the run the machine block holds, and that run is the one
/// its hash names. A difference is a hand edit: reported with its line, never read.
fn check(report: &Report, c: &Checklist) -> Result<(), RunError> {
    let data = &report.header;
    if data.run.state_sha256() != data.state_sha256 {
        return Err(RunError::Invalid(format!(
            "the run in the report's machine block (`{DATA_BEGIN}`) was edited: it no longer hashes to its stateSha256"
        )));
    }
    let planned = markdown::plan(c, &data.run);
    let same = planned.len() == data.edits.len()
        && planned.iter().zip(&data.edits).all(|(p, e)| p.at == e.0 && p.original == e.1 && e.2.len() == p.text.len());
    if !same {
        return Err(RunError::Invalid(format!(
            "the edit log in the report's machine block (`{DATA_BEGIN}`) does not match its run"
        )));
    }
    let mut delta: isize = 0;
    for p in &planned {
        let pos = usize::try_from(p.at as isize + delta).unwrap_or(0);
        let found = report.body.get(pos..pos + p.text.len()).unwrap_or("");
        if p.change != Change::Box && found != p.text {
            return Err(changed_by_hand(report, pos, &p.text, found));
        }
        delta += p.text.len() as isize - p.original.len() as isize;
    }
    Ok(())
}

/// The first line where two texts differ: how many lines come before it, and both versions.
fn first_difference<'a>(expected: &'a str, found: &'a str) -> (usize, &'a str, &'a str) {
    let mut e = expected.split('\n');
    let mut f = found.split('\n');
    let mut n = 0;
    loop {
        match (e.next(), f.next()) {
            (Some(a), Some(b)) if a == b => n += 1,
            (a, b) => return (n, a.unwrap_or(""), b.unwrap_or("")),
        }
    }
}

/// The run a report records, with its boxes as the report shows them: a task's box ticked or
/// cleared by hand is that task done or open; a sign-off's box ticked by hand is signed in the
/// document (its line names who), cleared is unsigned.
pub fn read_run(report: &Report, c: &Checklist, ticked: &[bool]) -> Run {
    let mut run = report.header.run.clone();
    let mut typed = Vec::new();
    for (item, &found) in c.items.iter().zip(ticked) {
        by_hand(&mut run, &item.id, item.kind, found, &item.text, &mut typed);
    }
    sign_typed(&mut run, c, &typed);
    run.compacted()
}

/// A report whose document text was edited, read with its checklist: the run it records, and
/// each item's box as the report shows it. An item is its checklist's item in the same place
/// (the n-th box is the n-th item), so one whose words were edited keeps its box. Items added,
/// removed or moved by hand are refused with the line where the report parts from its
/// checklist: a box read by place would be read for another item (remove one of two items of
/// the same words, and the other's tick went to it). The lines under each item must still be
/// what the export wrote for it; lines typed in and blanks filled are read by [`typed::read`].
fn read_edited(report: &Report, c: &Checklist) -> Result<Run, RunError> {
    let filled = parse_str(&report.body);
    let recorded = &report.header.run;
    let mut run = recorded.clone();
    let mut typed = Vec::new();
    let parted = |at: usize, what: &str| {
        let line = filled.items.get(at).or(filled.items.last()).map_or(1, |i| report.line_of(i.span.start));
        RunError::Invalid(format!(
            "line {line} of the report: {what} by hand ({} in the report, {} in the checklist it records), so its \
             boxes cannot be matched to their items. Change the run in Preflight and export again",
            filled.items.len(),
            c.items.len()
        ))
    };
    if filled.items.len() != c.items.len() {
        let at = filled
            .items
            .iter()
            .zip(&c.items)
            .position(|(f, o)| f.id != o.id)
            .unwrap_or(filled.items.len().min(c.items.len()));
        return Err(parted(at, "items were added or removed"));
    }
    for (at, (item, own)) in filled.items.iter().zip(&c.items).enumerate() {
        if item.id != own.id && c.item(&item.id).is_some() {
            return Err(parted(at, "items were moved"));
        }
        if let Some((_, wrote)) = markdown::under(&c.source, own, recorded).filter(|(_, t)| !t.starts_with('\n')) {
            // Where the export's lines were: as many lines after the item's line as its words
            // take in the checklist. Lines typed in between are read as a note (`typed`), so the
            // lines may also follow the item's words as they read now.
            let own_lines = c.source.get(line_start(&c.source, own.marker.start)..markdown::line_after(&c.source, own));
            let mut at = line_start(&filled.source, item.marker.start);
            for _ in 0..own_lines.map_or(0, |t| t.matches('\n').count()) {
                at = filled.source.get(at..).and_then(|t| t.find('\n')).map_or(filled.source.len(), |i| at + i + 1);
            }
            let after_words = markdown::line_after(&filled.source, item);
            let found = |at: usize| report.body.get(at..).unwrap_or("");
            if !found(at).starts_with(&wrote) && !found(after_words).starts_with(&wrote) {
                let found = found(at);
                let mut end = wrote.len().min(found.len());
                while !found.is_char_boundary(end) {
                    end -= 1;
                }
                return Err(changed_by_hand(report, at, &wrote, &found[..end]));
            }
        }
        by_hand(&mut run, &own.id, own.kind, item.checked, &item.text, &mut typed);
    }
    typed::read(report, c, recorded, &filled, &mut run, &mut typed)?;
    sign_typed(&mut run, c, &typed);
    Ok(run.compacted())
}

fn changed_by_hand(report: &Report, at: usize, wrote: &str, found: &str) -> RunError {
    let (skip, wrote, reads) = first_difference(wrote, found);
    RunError::Invalid(format!(
        "line {} of the report was changed by hand: it reads “{}” where the export of the run it records wrote “{}”. \
         Change states, notes and sign-offs in Preflight and export again",
        report.line_of(at) + skip,
        reads.trim(),
        wrote.trim()
    ))
}

/// What a box that differs from the run means: the box wins.
fn by_hand(run: &mut Run, id: &str, kind: ItemKind, ticked: bool, text: &str, typed: &mut Vec<String>) {
    match kind {
        ItemKind::Task => {
            let done = run.items.get(id).is_some_and(|s| s.status == Status::Done);
            if ticked != done {
                let state = run.items.entry(id.to_string()).or_default();
                state.status = if ticked { Status::Done } else { Status::Todo };
                state.reason = None;
            }
        }
        ItemKind::SignOff => {
            let signed = run.sign_offs.get(id).is_some_and(|s| s.signature.is_some());
            if ticked && !signed {
                typed.push(id.to_string());
                run.sign_offs.entry(id.to_string()).or_default().signature = Some(signature_from_text(text));
            } else if !ticked && signed {
                if let Some(state) = run.sign_offs.get_mut(id) {
                    state.signature = None;
                }
            }
        }
    }
}

/// A name and date written on the line by hand sign the state the report shows now: its gate's
/// state as read, so a complete, hand-filled report is GO, not stale.
fn sign_typed(run: &mut Run, c: &Checklist, typed: &[String]) {
    let hashes: Vec<(String, Option<crate::model::Gate>, String)> = typed
        .iter()
        .map(|id| {
            let gate = c.item(id).and_then(|i| i.gate);
            (id.clone(), gate, run.gate_state_sha256(c, gate))
        })
        .collect();
    for (id, gate, hash) in hashes {
        if let Some(sig) = run.sign_offs.get_mut(&id).and_then(|s| s.signature.as_mut()) {
            sig.gate = gate;
            sig.gate_state_sha256 = Some(hash);
        }
    }
}

/// The first format: each item's state in the comment after its checkbox.
fn from_first_format(report: &Report, template: Option<&Checklist>) -> Result<Imported, RunError> {
    let rebuilt = rebuild_template(report);
    let parsed;
    let checklist = match template {
        Some(c) => c,
        None => {
            parsed = parse_str(rebuilt.as_deref().ok_or_else(edited_beyond_boxes)?);
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
    let annotations = report.legacy.clone().unwrap_or_default();
    let annotation_of = |item: &crate::model::Item| -> Option<Annotation> {
        item.annotation().and_then(|a| serde_json::from_str(a).ok()).or_else(|| annotations.get(&item.id).cloned())
    };
    // Names typed on a ticked sign-off line with no comment of its own: read as signed in the
    // document. Every other change to the text is refused below, never dropped.
    let signed_lines: std::collections::HashSet<u32> = filled
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::SignOff && i.checked && checklist.item(&i.id).is_some())
        .filter(|i| annotation_of(i).is_none())
        .map(|i| i.span.line)
        .collect();
    check_first_format(report, checklist, &signed_lines)?;
    let mut run = report.header.run.clone();
    // Sign-offs whose name was typed into the document rather than signed in Preflight.
    let mut typed: Vec<String> = Vec::new();
    for item in &filled.items {
        let annotation = annotation_of(item);
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
    sign_typed(&mut run, checklist, &typed);
    run.attach(checklist)?;
    Ok(Imported { template: rebuilt, run: run.compacted(), corrections: Vec::new() })
}

/// A report of the first format has no record of what its export wrote beyond its edit log, so
/// it is read for its boxes, its comments and the names on a ticked sign-off line
/// (`signed_lines`, the body's line numbers) only. Any other line changed, added or removed by
/// hand is refused with its line: read by id, an item whose words were changed would lose its
/// state, and what was typed would be lost with it.
fn check_first_format(
    report: &Report,
    c: &Checklist,
    signed_lines: &std::collections::HashSet<u32>,
) -> Result<(), RunError> {
    let written = written_body(report, &c.source)
        .ok_or_else(|| RunError::Invalid("the report's edit log does not fit its checklist".into()))?;
    // Lines as numbers, equal where the lines are, their boxes open and trailing spaces (which
    // editors strip) left out.
    let open_wrote: Vec<std::borrow::Cow<'_, str>> = written.split('\n').map(unticked).collect();
    let open_found: Vec<std::borrow::Cow<'_, str>> = report.body.split('\n').map(unticked).collect();
    let mut numbers = std::collections::HashMap::new();
    let keyed_wrote = typed::numbered(&open_wrote.iter().map(|l| &**l).collect::<Vec<_>>(), &mut numbers);
    let keyed_found = typed::numbered(&open_found.iter().map(|l| &**l).collect::<Vec<_>>(), &mut numbers);
    // The report line of the body's line `i`, asked only to name a refused one.
    let line_at = |i: usize| {
        let at: usize = report.body.split('\n').take(i).map(|l| l.len() + 1).sum();
        report.line_of(at.min(report.body.len()))
    };
    let mut work = 20_000_000;
    let hunks = line_diff::diff(&keyed_wrote, &keyed_found, &mut work).ok_or_else(|| {
        RunError::Invalid(
            "this report, in Preflight's first report format, was changed by hand too much to be compared with what \
             its export wrote; import it as it was exported, then make the changes in Preflight"
                .into(),
        )
    })?;
    for hunk in hunks {
        // A line for a line, each a ticked sign-off with names typed on it.
        let names = hunk.a.len() == hunk.b.len()
            && hunk.b.clone().all(|i| u32::try_from(i + 1).is_ok_and(|l| signed_lines.contains(&l)));
        if !names {
            return Err(RunError::Invalid(format!(
                "line {} of the report was changed by hand. A report in Preflight's first report format (its state \
                 in a comment after each box) is read only for its boxes and for names typed on a ticked sign-off \
                 line, so what was typed here cannot be read. Undo the change and import it, then type it in \
                 Preflight, or export the run again: today's reports read what is typed into them",
                line_at(hunk.b.start)
            )));
        }
    }
    Ok(())
}

/// The body a first-format report's export wrote: the template with the edit log applied.
fn written_body(report: &Report, source: &str) -> Option<String> {
    let mut out = String::with_capacity(report.body.len());
    let mut at = 0;
    for Edit(offset, original, replacement) in &report.header.edits {
        let Replacement::Text(text) = replacement else { return None };
        let end = offset.checked_add(original.len())?;
        if *offset < at || source.get(*offset..end)? != original {
            return None;
        }
        out.push_str(source.get(at..*offset)?);
        out.push_str(text);
        at = end;
    }
    out.push_str(source.get(at..)?);
    Some(out)
}

/// A line with its task box, if it has one, shown open: a box ticked or cleared by hand is
/// read as the item's state, not as an edit.
fn unticked(line: &str) -> std::borrow::Cow<'_, str> {
    let Some(open) = line.find('[') else { return line.into() };
    let marker = line[..open].bytes().all(|b| b" \t>-*+.)".contains(&b) || b.is_ascii_digit());
    match line.get(open + 1..open + 3) {
        Some("x]" | "X]") if marker => format!("{}[ ]{}", &line[..open], &line[open + 3..]).into(),
        _ => line.into(),
    }
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
    // serde_json's message ends with the line and column.
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| RunError::Invalid(format!("not JSON: {e}")))?;
    if !value.is_object() {
        return Err(RunError::Invalid(format!("not a Preflight run: expected a JSON object, found {}", kind(&value))));
    }
    match value.get("schema").and_then(|s| s.as_str()) {
        Some(crate::report::REPORT_SCHEMA | crate::report::REPORT_SCHEMA_V1) => {
            // The run read from the text as well: a key given twice in it is refused (the value
            // above kept only the last), and an error's line and column are the file's.
            #[derive(serde::Deserialize)]
            struct Report {
                run: Option<Run>,
            }
            let report: Report =
                serde_json::from_str(json).map_err(|e| RunError::Invalid(format!("not a Preflight run: {e}")))?;
            let run = report.run.ok_or_else(|| RunError::Invalid("the report has no `run`".into()))?;
            Run::check_schema(run)
        }
        // Read from the text itself, so that an error's line and column are the file's (not
        // those of a copy written again on one line).
        _ => Run::from_json(json),
    }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run file's error is placed in the file as written (not in a copy written again on one
    /// line), and JSON that is no object says so.
    #[test]
    fn a_run_files_errors_name_its_own_line_and_column() {
        let c = crate::parse_str("# T\n- [ ] a\n");
        let mut run = serde_json::to_value(Run::new(&c, "r", "r", "t0")).unwrap();
        run["createdAt"] = serde_json::json!(42);
        let pretty = serde_json::to_string_pretty(&run).unwrap();
        let line = pretty.lines().position(|l| l.contains("createdAt")).unwrap() + 1;
        let err = from_json(&pretty).unwrap_err().to_string();
        assert!(err.contains(&format!("at line {line} column")), "{err}");
        assert!(from_json("null").unwrap_err().to_string().contains("expected a JSON object, found null"));
        let truncated = from_json("{\"schema\":").unwrap_err().to_string();
        assert_eq!(truncated.matches("line").count(), 1, "{truncated}");
    }

    /// An id, a label or a report's run given twice is refused where it is given again: readers
    /// differ on which one counts ("blocked" to one, "done" to another).
    #[test]
    fn a_key_given_twice_is_refused_at_its_second_place() {
        let c = crate::parse_str("# T\n- [ ] a\n- [ ] b\n\n## Sign-off\n\n- [ ] QA: ____ Version: ____\n");
        let run = Run::new(&c, "r", "r", "t0");
        let (a, qa) = (&c.items[0].id, &c.sign_offs().next().unwrap().id);
        let json = serde_json::to_string(&run).unwrap();
        // A fresh run's maps are empty: `entry` is all of one.
        let twice = |within: &str, entry: &str| {
            json.replacen(&format!("\"{within}\":{{}}"), &format!("\"{within}\":{{{entry}}}"), 1)
        };
        let item = format!("\"{a}\":{{\"status\":\"blocked\",\"reason\":\"r\"}},\"{a}\":{{\"status\":\"done\"}}");
        let doubled = twice("items", &item);
        let err = from_json(&doubled).unwrap_err().to_string();
        // At the second key (serde_json places it after the key's closing quote).
        let column = doubled.find(&format!("\"{a}\":{{\"status\":\"done")).unwrap() + a.len() + 2;
        assert!(err.contains(&format!("`{a}` is given twice at line 1 column {column}")), "{err}");
        // Once is fine, and so is the same id in two maps.
        assert!(from_json(&twice("items", &format!("\"{a}\":{{\"status\":\"done\"}}"))).is_ok());
        let sign = format!("\"{qa}\":{{}}");
        assert!(from_json(&twice("signOffs", &sign)).is_ok());
        assert!(from_json(&twice("signOffs", &format!("{sign},{sign}"))).is_err());
        for map in ["fields", "sections"] {
            let err =
                from_json(&twice(map, "\"x\":{\"value\":\"1\",\"on\":true},\"x\":{\"value\":\"2\",\"on\":false}"));
            assert!(err.unwrap_err().to_string().contains("`x` is given twice"), "{map}");
        }
        // A long key is named by its start.
        let long = "k".repeat(10_000);
        let err = from_json(&twice(
            "items",
            &format!("\"{long}\":{{\"status\":\"done\"}},\"{long}\":{{\"status\":\"done\"}}"),
        ));
        assert!(err.unwrap_err().to_string().len() < 300);
        // In a report, the run inside is read the same way.
        let report = format!("{{\"schema\":\"{}\",\"run\":{doubled}}}", crate::report::REPORT_SCHEMA);
        assert!(from_json(&report).unwrap_err().to_string().contains("is given twice"));
        let report = format!("{{\"schema\":\"{}\",\"run\":{json}}}", crate::report::REPORT_SCHEMA);
        assert_eq!(from_json(&report).unwrap(), run);
        let bare = format!("{{\"schema\":\"{}\"}}", crate::report::REPORT_SCHEMA);
        assert!(from_json(&bare).unwrap_err().to_string().contains("the report has no `run`"));
    }
}
