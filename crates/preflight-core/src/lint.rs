//! Lint: what is wrong with the document as a checklist. Runs over the finished model and
//! returns diagnostics; it never changes the model. Encoding problems are found earlier, by
//! `normalize` and `mojibake`, because they are about bytes rather than meaning.

use crate::diagnostic::{code, Diagnostic, Severity};
use crate::ids::normalize_for_id;
use crate::markers;
use crate::model::{Block, Checklist, ItemKind};
use crate::span::Span;

/// `repeats` holds (item, first item) for every task whose id the allocator had to suffix.
pub fn lint(c: &Checklist, text: &str, repeats: &[(usize, usize)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let scored = c.tasks().count();
    if let Some(declared) = &c.declared_total {
        if declared.count as usize != scored {
            out.push(Diagnostic::new(
                Severity::Error,
                code::DECLARED_TOTAL_MISMATCH,
                format!("the document declares {} items, but it has {scored} scored items", declared.count),
                declared.span,
            ));
        }
    }
    if c.items.is_empty() {
        out.push(Diagnostic::new(
            Severity::Warning,
            code::NO_ITEMS,
            "no task items (`- [ ] …`) found: nothing to score",
            Span::new(0, 0),
        ));
    }
    for item in c.items.iter().filter(|i| i.kind == ItemKind::Task && i.text.is_empty()) {
        out.push(Diagnostic::new(Severity::Warning, code::EMPTY_ITEM, "empty task item", item.marker));
    }
    // Ids already tell repeats apart: the allocator suffixes `-2`, `-3`, … to an item whose
    // section path and normalized text repeat an earlier one's, and the parser kept those pairs.
    for &(index, first) in repeats {
        let (Some(item), Some(original)) = (c.items.get(index), c.items.get(first)) else { continue };
        if item.kind != ItemKind::Task || original.kind != ItemKind::Task || item.text.is_empty() {
            continue;
        }
        // Same hash: the same text unless the 48-bit hash collided, which only the normalized
        // comparison can tell.
        let same_text = original.text == item.text || normalize_for_id(&original.text) == normalize_for_id(&item.text);
        if original.section == item.section && same_text {
            out.push(Diagnostic::new(
                Severity::Warning,
                code::DUPLICATE_ITEM,
                format!("`{}` is listed twice in this section (first on line {})", item.text, original.marker.line),
                item.marker,
            ));
        }
    }
    // A heading that announces a checklist but holds no items (even in its subsections).
    let mut has_items = vec![false; c.sections.len()];
    for item in &c.items {
        let mut s = Some(item.section);
        while let Some(i) = s {
            if has_items[i] {
                break;
            }
            has_items[i] = true;
            s = c.sections[i].parent;
        }
    }
    for (i, s) in c.sections.iter().enumerate() {
        let announces = || {
            markers::contains_lowercased(&s.title, "checklist") || markers::contains_lowercased(&s.title, "check list")
        };
        if i > 0 && !has_items[i] && announces() {
            out.push(Diagnostic::new(
                Severity::Warning,
                code::EMPTY_CHECKLIST_SECTION,
                format!("section `{}` is called a checklist but has no task items", s.title),
                s.span,
            ));
        }
    }
    placeholders(c, text, &mut out);
    out
}

/// Unfilled template placeholders in metadata, items and section-level text.
fn placeholders(c: &Checklist, text: &str, out: &mut Vec<Diagnostic>) {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for m in &c.metadata {
        ranges.push((m.span.start, m.span.end));
    }
    for item in &c.items {
        ranges.push((item.marker.end, item.text_end));
    }
    for s in &c.sections {
        for b in &s.blocks {
            if let (Block::Paragraph(_) | Block::List(_), Some(span)) = (b, b.span()) {
                ranges.push((span.start, span.end));
            }
        }
    }
    ranges.sort_unstable();
    ranges.dedup();
    let mut reported_until = 0;
    for (start, end) in ranges {
        let start = start.max(reported_until);
        let Some(slice) = text.get(start..end) else {
            continue;
        };
        for (s, e) in markers::placeholders(slice) {
            out.push(Diagnostic::new(
                Severity::Warning,
                code::PLACEHOLDER,
                format!("template placeholder `{}` was never filled in", &slice[s..e]),
                Span::new(start + s, start + e),
            ));
        }
        reported_until = reported_until.max(end);
    }
}
