//! What a person typed into an exported Markdown report by hand, beyond its boxes: a blank
//! filled in, a line typed under an item, a sign-off slot's names written in. Read into the run
//! where the run has a place for it; refused with its line where it has none, never dropped.
//!
//! The report's document is compared line by line with what the export wrote for the run it
//! records (the template with the export's changes): the lines that differ are the hand edits.
//! A line with a blank is read against its own words, the blank's place giving the value; a
//! value the export wrote that was changed is refused, as the export's other lines are. Other
//! reworded document text is the checklist's, not the run's, and reads as the checklist says.

use std::collections::HashMap;
use std::ops::Range;

use crate::export::markdown::{self, Change};
use crate::line_diff;
use crate::model::{Checklist, ItemKind};
use crate::run::{FieldState, Run, RunError, Signature};

use super::Report;

/// The most steps the line comparison may take over a whole report (about a tenth of a second
/// natively): a log of any length pasted under an item costs none, 2,000 blanks filled between
/// two items 8.6 million (44 ms), 3,000 18.7 million (91 ms); past this (some 4,500 lines
/// replaced wholesale) the report is taken for rewritten from the stretch where it ran out.
const MOST_DIFF_WORK: usize = 20_000_000;

/// A place on a line of the report as exported where a person may have written something.
#[derive(Clone, Copy)]
enum Hole {
    /// A field's blank: the value written there is the field's.
    Field(usize),
    /// A value the export wrote (a field's, a sign-off's name): it must still read the same.
    Written,
    /// A blank of a sign-off line with a box: read when the box is ticked (by its item).
    SignOff(usize),
    /// A blank of a sign-off slot with no box (a table row, a plain line): names written there
    /// sign it in the document. (slot, field)
    Slot(usize, usize),
}

/// The report's text as lines, with where each starts.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Lines { text, starts }
    }

    fn get(&self, line: usize) -> &'a str {
        let start = self.starts[line];
        let end = self.starts.get(line + 1).map_or(self.text.len(), |&next| next - 1);
        &self.text[start..end]
    }

    fn all(&self) -> Vec<&'a str> {
        (0..self.starts.len()).map(|l| self.get(l)).collect()
    }

    /// The line byte `at` is on.
    fn of(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).saturating_sub(1)
    }
}

/// Read into `run` what was typed by hand in `report`, given its checklist `c` (the report's
/// items already matched to it one for one, their boxes read). `recorded` is the run the
/// report's machine block holds; `signed` lists the sign-offs signed in the document, for their
/// gate's hash.
pub(super) fn read(
    report: &Report,
    c: &Checklist,
    recorded: &Run,
    filled: &Checklist,
    run: &mut Run,
    signed: &mut Vec<String>,
) -> Result<(), RunError> {
    let source = c.source.as_str();
    let planned = markdown::plan(c, recorded);
    // The document as the export wrote it, and where each of its changes landed.
    let mut wrote = String::with_capacity(source.len() + planned.iter().map(|p| p.text.len()).sum::<usize>());
    let mut shifts: Vec<(usize, bool, isize)> = Vec::with_capacity(planned.len()); // (at, insertion, delta after)
    let mut holes: Vec<(Range<usize>, Hole)> = Vec::new();
    let (mut at, mut delta) = (0, 0isize);
    for p in &planned {
        wrote.push_str(source.get(at..p.at).unwrap_or(""));
        let start = wrote.len();
        wrote.push_str(&p.text);
        if p.change == Change::Fill {
            holes.push((start..wrote.len(), Hole::Written));
        }
        at = p.at + p.original.len();
        delta += p.text.len() as isize - p.original.len() as isize;
        shifts.push((p.at, p.original.is_empty(), delta));
    }
    wrote.push_str(source.get(at..).unwrap_or(""));
    // Where a template position is in what the export wrote: after every change before it, and
    // after lines inserted at it when `past_inserts`.
    let place = |t: usize, past_inserts: bool| -> usize {
        let before = shifts.partition_point(|&(a, ins, _)| a < t || (past_inserts && a == t && ins));
        let shift = if before == 0 { 0 } else { shifts[before - 1].2 };
        (t as isize + shift).max(0) as usize
    };
    let blank = |span: &crate::span::Span| source.get(span.start..span.end).is_some_and(crate::markers::is_blank);
    for (i, field) in c.fields.iter().enumerate() {
        if recorded.fields.get(&field.id).is_none_or(|s| s.value.trim().is_empty()) {
            let start = place(field.span.start, true);
            holes.push((start..start + field.span.end - field.span.start, Hole::Field(i)));
        }
    }
    for (k, item) in c.items.iter().enumerate().filter(|(_, i)| i.kind == ItemKind::SignOff) {
        let signed_before = recorded.sign_offs.get(&item.id).is_some_and(|s| s.signature.is_some());
        for field in item.sign_off.iter().flat_map(|s| &s.fields).filter(|f| f.value.is_none() && blank(&f.span)) {
            if !signed_before {
                let start = place(field.span.start, true);
                holes.push((start..start + field.span.end - field.span.start, Hole::SignOff(k)));
            }
        }
    }
    for (s, slot) in c.slots.iter().enumerate() {
        let fields = slot.sign_off.as_ref().map_or(&[][..], |s| s.fields.as_slice());
        let row = source.get(slot.span.start..slot.span.end).unwrap_or("");
        if row.trim_start().starts_with('|') {
            // A table row: its fields are its blank cells, in order.
            for (f, cell) in blank_cells(row).into_iter().take(fields.len()).enumerate() {
                let start = place(slot.span.start + cell.start, true);
                holes.push((start..start + cell.len(), Hole::Slot(s, f)));
            }
            continue;
        }
        for (f, field) in fields.iter().enumerate() {
            if field.value.is_none() && blank(&field.span) {
                let start = place(field.span.start, true);
                holes.push((start..start + field.span.end - field.span.start, Hole::Slot(s, f)));
            }
        }
    }

    let wrote_lines = Lines::new(&wrote);
    let found_lines = Lines::new(&filled.source);
    // Few, and looked up only on the few lines edited by hand: in no order.
    let holes_by_line: Vec<(usize, (Range<usize>, Hole))> = holes
        .into_iter()
        .map(|(range, hole)| (wrote_lines.of(range.start), (range, hole)))
        .filter(|(line, (range, _))| wrote_lines.of(range.end.saturating_sub(1).max(range.start)) == *line)
        .collect();
    // Boxes are read by their items: on a line with a blank they are not the blank's business.
    let (mut boxes_wrote, mut boxes_found) = (Vec::new(), Vec::new());
    // Each item's line, in both: a line that differs is that item's own line.
    let (mut item_wrote, mut item_found) = (Vec::new(), Vec::with_capacity(c.items.len()));
    // Where a line typed under an item lands in what the export wrote: after the item's words
    // and any lines the export wrote under it.
    let mut under = Vec::new();
    for (k, (item, found)) in c.items.iter().zip(&filled.items).enumerate() {
        let b = place(item.box_at(source), true);
        let line = wrote_lines.of(b);
        boxes_wrote.push((line, b - wrote_lines.starts[line]));
        item_wrote.push((line, k));
        let f = found.box_at(&filled.source);
        let line = found_lines.of(f);
        boxes_found.push((line, f - found_lines.starts[line]));
        item_found.push(line);
        let after = markdown::line_after(source, item);
        let written = markdown::under(source, item, recorded).filter(|(a, _)| *a == after).map_or(0, |(_, t)| t.len());
        let end = place(after, false) + written;
        // An item that ends the file without a line end: what is typed under it comes after it.
        let line =
            if end >= wrote.len() && !wrote.ends_with('\n') { wrote_lines.starts.len() } else { wrote_lines.of(end) };
        // Typed between the item's words and the lines the export wrote under it: under it too.
        if written > 0 && place(after, false) < wrote.len() {
            under.push((wrote_lines.of(place(after, false)), k));
        }
        under.push((line, k));
    }
    // Items are in document order, so all of these are in line order already.
    let (boxes_wrote, boxes_found, item_wrote, under) =
        (ByLine::new(boxes_wrote), ByLine::new(boxes_found), ByLine::new(item_wrote), ByLine::new(under));

    let wrote_all = wrote_lines.all();
    let found_all = found_lines.all();
    // Each line as a number (`numbered`): the comparison below compares numbers.
    let mut numbers = HashMap::new();
    let keyed_wrote = numbered(&wrote_all, &mut numbers);
    let keyed_found = numbered(&found_all, &mut numbers);
    // Items are matched one for one already: the lines between two items are compared with the
    // lines between the same two, so a diff never spans more than one stretch of text, and an
    // item's own line with its own.
    let mut hunks = Vec::new();
    let mut work = MOST_DIFF_WORK;
    let (mut w0, mut f0) = (0, 0);
    let items = item_wrote.0.iter().map(|&(w, k)| (w, item_found[k]));
    for (w, f) in items.chain([(wrote_all.len(), found_all.len())]) {
        let (w, f) = (w.max(w0), f.max(f0));
        let stretch = line_diff::diff(&keyed_wrote[w0..w], &keyed_found[f0..f], &mut work).ok_or_else(|| {
            RunError::Invalid(format!(
                "line {} of the report: from here on the report was changed by hand too much to be compared line \
                 by line with what the export wrote, so what was typed in it cannot be read. Change the run in \
                 Preflight and export again",
                report.line_of(found_lines.starts.get(f0).copied().unwrap_or(0))
            ))
        })?;
        hunks.extend(
            stretch
                .into_iter()
                .map(|h| line_diff::Hunk { a: h.a.start + w0..h.a.end + w0, b: h.b.start + f0..h.b.end + f0 }),
        );
        if w < wrote_all.len() && f < found_all.len() && keyed_wrote[w] != keyed_found[f] {
            hunks.push(line_diff::Hunk { a: w..w + 1, b: f..f + 1 });
        }
        (w0, f0) = (w + 1, f + 1);
    }
    let mut reader = Reader {
        report,
        c,
        run,
        wrote: &wrote,
        wrote_lines: &wrote_lines,
        wrote_all: &wrote_all,
        found_lines: &found_lines,
        found_all: &found_all,
        holes_by_line: &holes_by_line,
        boxes_wrote: &boxes_wrote,
        boxes_found: &boxes_found,
        under: &under,
        item_wrote: &item_wrote,
        slots_written: Vec::new(),
    };
    for hunk in hunks {
        // Lines that must be one another's, whatever lies between: an item's line and its line
        // in the report, a line with a blank and the first line after that reads as it filled.
        let mut anchors: Vec<(usize, usize)> = Vec::new();
        let mut next = hunk.b.start;
        for w in hunk.a.clone() {
            let partner = match item_wrote.first(w) {
                Some(&k) => Some(item_found[k]).filter(|f| (next..hunk.b.end).contains(f)),
                None if holes_by_line.iter().any(|h| h.0 == w) => {
                    (next..hunk.b.end).find(|f| item_found.binary_search(f).is_err() && reader.values(w, *f).is_some())
                }
                None => None,
            };
            if let Some(f) = partner {
                anchors.push((w, f));
                next = f + 1;
            }
        }
        // Between them, lines changed one for one (reworded, or filled as they should not be),
        // and lines typed in.
        let (mut w0, mut f0) = (hunk.a.start, hunk.b.start);
        for (w, f) in anchors.into_iter().chain([(hunk.a.end, hunk.b.end)]) {
            let paired = (w - w0).min(f - f0);
            for i in 0..paired {
                reader.pair(w0 + i, f0 + i)?;
            }
            reader.typed_in(w0 + paired, f0 + paired..f)?;
            if w < hunk.a.end {
                reader.pair(w, f)?;
            }
            (w0, f0) = (w + 1, f + 1);
        }
    }
    let slots_written = reader.slots_written;
    for (s, slot) in c.slots.iter().enumerate() {
        let written: Vec<&(usize, usize, String, usize)> = slots_written.iter().filter(|w| w.0 == s).collect();
        if written.is_empty() {
            continue;
        }
        // Signed already (in Preflight; the row shows its blanks, the summary the signature):
        // names written over it are another signature, which the row cannot hold.
        if let Some(sig) = run.sign_offs.get(&slot.id).and_then(|st| st.signature.as_ref()) {
            let same = written.iter().all(|w| {
                if w.1 == 0 {
                    w.2 == sig.name
                } else {
                    w.2 == sig.date || sig.values.values().any(|v| *v == w.2)
                }
            });
            if same {
                continue;
            }
            return Err(RunError::Invalid(format!(
                "line {} of the report: “{}” was written on the sign-off “{}”, which {} signed already. Unsign it in \
                 Preflight to sign it again, or clear what was written",
                written[0].3,
                written[0].2,
                role(slot),
                sig.name
            )));
        }
        if written.iter().all(|w| w.1 != 0) {
            return Err(RunError::Invalid(format!(
                "line {} of the report: the sign-off “{}” was filled in without a name. Write who signs in its first \
                 blank, or clear it",
                written[0].3,
                role(slot)
            )));
        }
        let fields = slot.sign_off.as_ref().map(|s| s.fields.as_slice()).unwrap_or(&[]);
        let mut sig = Signature { meaning: "signed in the document".into(), ..Signature::default() };
        for (_, f, value, _) in written {
            match fields.get(*f) {
                Some(_) if *f == 0 => sig.name = value.clone(),
                Some(field) if field.label.eq_ignore_ascii_case("date") => sig.date = value.clone(),
                Some(field) => {
                    sig.values.insert(field.label.clone(), value.clone());
                }
                None => {}
            }
        }
        run.sign_offs.entry(slot.id.clone()).or_default().signature = Some(sig);
        signed.push(slot.id.clone());
    }
    Ok(())
}

/// The report read against what the export wrote, one differing line at a time.
struct Reader<'a> {
    report: &'a Report,
    c: &'a Checklist,
    run: &'a mut Run,
    wrote: &'a str,
    wrote_lines: &'a Lines<'a>,
    wrote_all: &'a [&'a str],
    found_lines: &'a Lines<'a>,
    found_all: &'a [&'a str],
    holes_by_line: &'a [(usize, (Range<usize>, Hole))],
    boxes_wrote: &'a ByLine<usize>,
    boxes_found: &'a ByLine<usize>,
    under: &'a ByLine<usize>,
    item_wrote: &'a ByLine<usize>,
    /// (slot, field, value, line) written in sign-off slots, read once all are known.
    slots_written: Vec<(usize, usize, String, usize)>,
}

impl Reader<'_> {
    fn report_line(&self, found: usize) -> usize {
        self.report.line_of(self.found_lines.starts[found])
    }

    /// The holes of line `w` as exported, in order, and what line `f` of the report has in
    /// them; `None` when the rest of the line differs.
    fn values(&self, w: usize, f: usize) -> Option<Vec<(Range<usize>, Hole, String)>> {
        let mut on_line: Vec<(Range<usize>, Hole)> =
            self.holes_by_line.iter().filter(|e| e.0 == w).map(|e| e.1.clone()).collect();
        if on_line.is_empty() {
            return None;
        }
        // In their order on the line (two or three: no sort's code for it).
        for i in 1..on_line.len() {
            let mut j = i;
            while j > 0 && on_line[j - 1].0.start > on_line[j].0.start {
                on_line.swap(j - 1, j);
                j -= 1;
            }
        }
        let start = self.wrote_lines.starts[w];
        let ranges: Vec<Range<usize>> = on_line.iter().map(|(r, _)| r.start - start..r.end - start).collect();
        let wrote = without_boxes(self.wrote_all[w], self.boxes_wrote.on(w));
        let found = without_boxes(self.found_all[f], self.boxes_found.on(f));
        let values = fill_in(&wrote, &ranges, &found)?;
        Some(on_line.into_iter().zip(values).map(|((r, h), v)| (r, h, v.trim().to_string())).collect())
    }

    /// Line `w` as exported became line `f` of the report: what was written in its blanks.
    fn pair(&mut self, w: usize, f: usize) -> Result<(), RunError> {
        if !self.holes_by_line.iter().any(|h| h.0 == w) {
            // Words added after a task's own (its line as exported, then more): a note on it.
            // Other changes are rewording: the checklist's words, not the run's.
            if let Some(&k) = self.item_wrote.first(w).filter(|&&k| self.c.items[k].kind == ItemKind::Task) {
                let wrote = without_boxes(self.wrote_all[w], self.boxes_wrote.on(w));
                let found = without_boxes(self.found_all[f], self.boxes_found.on(f));
                let (wrote, found) = (wrote.trim_end(), found.trim_end());
                if let Some(more) = found.strip_prefix(wrote).filter(|m| m.starts_with([' ', '\t'])) {
                    let more = more.trim().trim_start_matches(['—', '–', '-', ':', ';', ',']).trim();
                    if !more.is_empty() {
                        let id = self.c.items[k].id.clone();
                        add_line(&mut self.run.items.entry(id).or_default().note, more.to_string());
                    }
                }
            }
            return Ok(());
        }
        let Some(values) = self.values(w, f) else {
            // Reworded or reformatted (a table padded again), its blanks still blank: nothing
            // was written in them.
            if self.blanks_untouched(w, f) {
                return Ok(());
            }
            return Err(RunError::Invalid(format!(
                "line {} of the report was changed by hand around a blank: it reads “{}” where the export wrote “{}”. \
                 Write the value in place of the underscores and keep the rest of the line, or fill it in Preflight \
                 and export again",
                self.report_line(f),
                self.found_all[f].trim(),
                self.wrote_all[w].trim()
            )));
        };
        for (range, hole, value) in values {
            let was = self.wrote.get(range).unwrap_or("").trim();
            // Underscores left beside what was written are the blank's, not the value's.
            let value = match hole {
                Hole::Written => value,
                _ => value.trim_matches(|ch: char| ch == '_' || ch.is_whitespace()).to_string(),
            };
            let empty = value.is_empty();
            match hole {
                Hole::Written if value != was => {
                    return Err(super::changed_by_hand(self.report, self.found_lines.starts[f], was, &value));
                }
                Hole::Field(i) if !empty => {
                    self.run.fields.insert(self.c.fields[i].id.clone(), FieldState { value, ..FieldState::default() });
                }
                Hole::SignOff(k) if !empty => {
                    let item = &self.c.items[k];
                    if self.run.sign_offs.get(&item.id).is_none_or(|s| s.signature.is_none()) {
                        return Err(RunError::Invalid(format!(
                            "line {} of the report: “{value}” was written on the sign-off “{}”, but its box is not \
                             ticked. Tick the box to sign, or clear what was written",
                            self.report_line(f),
                            role(item)
                        )));
                    }
                }
                Hole::Slot(s, field) if !empty => {
                    let line = self.report_line(f);
                    self.slots_written.push((s, field, value, line));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Line `f` still has a blank for each blank of line `w` as exported, and each value the
    /// export wrote there.
    fn blanks_untouched(&self, w: usize, f: usize) -> bool {
        let found = self.found_all[f];
        let blanks = found.split(|ch: char| ch != '_').filter(|run| run.len() >= 3).count();
        let on_line = self.holes_by_line.iter().filter(|h| h.0 == w);
        let wanted = on_line.clone().filter(|h| !matches!(h.1 .1, Hole::Written)).count();
        blanks >= wanted
            && on_line
                .filter(|h| matches!(h.1 .1, Hole::Written))
                .all(|h| self.wrote.get(h.1 .0.clone()).is_some_and(|v| found.contains(v.trim())))
    }

    /// Lines `lines` of the report were typed in before line `at` as exported: a note of the
    /// item they are under; anywhere else a run has no place for them.
    fn typed_in(&mut self, at: usize, lines: Range<usize>) -> Result<(), RunError> {
        let all = lines.clone();
        let typed: Vec<usize> = lines.filter(|&f| !self.found_all[f].trim().is_empty()).collect();
        let Some(&first) = typed.first() else { return Ok(()) };
        // After a blank line, indented text is still inside the item above; text at the margin
        // has left the list.
        let indented = self.found_all[first].trim_start_matches('>').starts_with([' ', '\t']);
        let mut at = at;
        let owner = loop {
            if let Some(&k) = self.under.first(at) {
                break Some(k);
            }
            match at.checked_sub(1) {
                Some(before) if indented && self.wrote_all[before].trim().is_empty() => at = before,
                _ => break None,
            }
        };
        match owner.map(|k| &self.c.items[k]) {
            Some(item) if item.kind == ItemKind::Task => {
                let (note, evidence) = note_and_evidence(&self.found_all[all]);
                let state = self.run.items.entry(item.id.clone()).or_default();
                add_line(&mut state.note, note);
                add_line(&mut state.evidence, evidence);
                Ok(())
            }
            Some(item) => Err(RunError::Invalid(format!(
                "line {} of the report was typed by hand under the sign-off “{}”, where a run keeps no note. Put it \
                 under a task, or leave it out",
                self.report_line(first),
                role(item)
            ))),
            None => Err(RunError::Invalid(format!(
                "line {} of the report was typed by hand outside any item: “{}”. A run keeps notes under their items \
                 only: type it on the line under an item, or change the checklist in Preflight",
                self.report_line(first),
                self.found_all[first].trim()
            ))),
        }
    }
}

/// Each line's number in `numbers`, given in turn to each line not seen before, equal for lines
/// equal as people see them: trailing spaces do not count (editors strip them). Compared as
/// numbers, lines are not trimmed again at every step of a comparison.
pub(super) fn numbered<'a>(lines: &[&'a str], numbers: &mut HashMap<&'a str, u32>) -> Vec<u32> {
    lines
        .iter()
        .map(|line| {
            let next = numbers.len() as u32;
            *numbers.entry(line.trim_end()).or_insert(next)
        })
        .collect()
}

fn role(item: &crate::model::Item) -> &str {
    item.sign_off.as_ref().map_or(item.text.as_str(), |s| s.role.as_str())
}

/// The blank cells of a table row (empty, or underscores), as ranges of `row`: the
/// underscores, or all of an empty cell.
fn blank_cells(row: &str) -> Vec<Range<usize>> {
    let bytes = row.as_bytes();
    let pipes: Vec<usize> =
        (0..bytes.len()).filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\')).collect();
    pipes
        .windows(2)
        .filter_map(|w| {
            let inner = w[0] + 1..w[1];
            let cell = &row[inner.clone()];
            let content = cell.trim();
            if content.is_empty() {
                Some(inner)
            } else if content.bytes().all(|b| b == b'_') {
                let start = inner.start + (cell.len() - cell.trim_start().len());
                Some(start..start + content.len())
            } else {
                None
            }
        })
        .collect()
}

/// Things on lines, found by line.
struct ByLine<T>(Vec<(usize, T)>);

impl<T> ByLine<T> {
    /// `v` in line order.
    fn new(v: Vec<(usize, T)>) -> Self {
        debug_assert!(v.windows(2).all(|w| w[0].0 <= w[1].0));
        ByLine(v)
    }

    fn on(&self, line: usize) -> &[(usize, T)] {
        let from = self.0.partition_point(|e| e.0 < line);
        let to = from + self.0[from..].partition_point(|e| e.0 == line);
        &self.0[from..to]
    }

    fn first(&self, line: usize) -> Option<&T> {
        self.on(line).first().map(|e| &e.1)
    }
}

/// `line` with the boxes at `columns` cleared.
fn without_boxes(line: &str, columns: &[(usize, usize)]) -> String {
    let mut out = line.to_string();
    for &(_, c) in columns {
        if out.get(c..c + 1).is_some_and(|b| " xX".contains(b)) {
            out.replace_range(c..c + 1, " ");
        }
    }
    out
}

/// What `found` has in the places of `holes` (ranges of `wrote`, in order), the rest of the
/// line read as written, spaces beside a blank aside; `None` when the rest differs.
fn fill_in<'a>(wrote: &str, holes: &[Range<usize>], found: &'a str) -> Option<Vec<&'a str>> {
    let mut pieces = Vec::with_capacity(holes.len() + 1);
    let mut at = 0;
    for h in holes {
        pieces.push(wrote.get(at..h.start)?);
        at = h.end;
    }
    pieces.push(wrote.get(at..)?);
    let found = found.trim_end();
    let first = pieces[0].trim_end();
    let last = pieces[holes.len()].trim();
    let mut rest = found.strip_prefix(first)?;
    let mut values = Vec::with_capacity(holes.len());
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        if i == holes.len() {
            let end = rest.len().checked_sub(last.len()).filter(|&e| rest.get(e..) == Some(last))?;
            values.push(&rest[..end]);
            rest = "";
        } else {
            let piece = piece.trim();
            let end =
                if piece.is_empty() { rest.find(char::is_whitespace).unwrap_or(rest.len()) } else { rest.find(piece)? };
            values.push(&rest[..end]);
            rest = &rest[end + piece.len()..];
        }
    }
    rest.is_empty().then_some(values)
}

/// `more` on a line of its own after what `kept` holds (nothing to add: unchanged).
fn add_line(kept: &mut Option<String>, more: String) {
    if !more.is_empty() {
        *kept = Some(match kept.take().filter(|k| !k.trim().is_empty()) {
            Some(before) => format!("{before}\n{more}"),
            None => more,
        });
    }
}

/// Lines typed under a task: a fenced code block in them is evidence (command output pasted
/// under it, as the export writes evidence), the rest its note.
fn note_and_evidence(lines: &[&str]) -> (String, String) {
    let (mut note, mut evidence): (Vec<&str>, Vec<String>) = (Vec::new(), Vec::new());
    let mut fence: Option<(&str, usize)> = None; // (the fence's characters, its indentation)
    for line in lines {
        let inner = line.trim_start_matches(['>', ' ', '\t']);
        let opens = ["```", "~~~"].into_iter().find(|f| inner.starts_with(f));
        match (fence, opens) {
            (None, Some(f)) => fence = Some((f, line.len() - inner.len())),
            (Some((f, _)), Some(g)) if f == g && inner.trim_end().chars().all(|ch| ch == g.as_bytes()[0] as char) => {
                fence = None
            }
            (Some((_, indent)), _) => {
                // The block's own indentation goes; the output's own stays.
                let cut = line.len() - line.trim_start_matches(['>', ' ', '\t']).len();
                evidence.push(line.get(indent.min(cut)..).unwrap_or("").trim_end().to_string());
            }
            (None, None) => {
                let text = note_text(line);
                if !text.is_empty() {
                    note.push(text);
                }
            }
        }
    }
    let start = evidence.iter().position(|l| !l.is_empty()).unwrap_or(evidence.len());
    let end = evidence.iter().rposition(|l| !l.is_empty()).map_or(start, |e| e + 1);
    (note.join("\n"), evidence[start..end].join("\n"))
}

/// A line typed under an item, as a note: its indentation, block quote markers and a list
/// bullet are the document's, and a "Note:" label the export's.
fn note_text(line: &str) -> &str {
    let mut text = line.trim_start_matches([' ', '\t', '>']).trim();
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = text.strip_prefix(bullet) {
            text = rest.trim_start();
            break;
        }
    }
    for label in ["**Note**:", "**Note:**", "Note:"] {
        if let Some(rest) = text.strip_prefix(label) {
            return rest.trim();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_is_read_by_the_words_around_it() {
        let wrote = "| p95 latency | ____ ms |";
        let hole: &[Range<usize>] = &[Range { start: 16, end: 20 }];
        assert_eq!(fill_in(wrote, hole, "| p95 latency | 120 ms |"), Some(vec![" 120 "]));
        assert_eq!(fill_in(wrote, hole, "| p95 latency | ____ ms |   "), Some(vec![" ____ "]));
        assert_eq!(fill_in(wrote, hole, "| p99 latency | 120 ms |"), None, "the words changed too");
        let two = "Name: ____ Date: ____";
        assert_eq!(
            fill_in(two, &[6..10, 17..21], "Name: Jo Ro Date: 2026-12-01"),
            Some(vec![" Jo Ro ", " 2026-12-01"])
        );
        assert_eq!(note_text("  > - **Note**: restarted twice"), "restarted twice");
        let typed = [
            "  restored in 9 min",
            "  ```",
            "  $ pg_restore --list b.dump | wc -l",
            "    1423",
            "",
            "  ```",
            "  - checked by Kim",
        ];
        assert_eq!(
            note_and_evidence(&typed),
            ("restored in 9 min\nchecked by Kim".to_string(), "$ pg_restore --list b.dump | wc -l\n  1423".to_string())
        );
        assert_eq!(blank_cells("| QA Lead | ____ || ok \\| x |"), vec![12..16, 18..18]);
    }
}
