//! Repairs a person asks for: rewriting a table of status marks as a task list, and undoing
//! mojibake. Owns what a "table checklist" is (one column of ✅ ❌ ☐ `[ ]` … beside the words of
//! each row, with something still open) and how one is written as `- [ ]` items.
//!
//! Every function here is a pure function of the normalized text: no I/O, never a panic, and
//! byte-exact outside what it rewrites. It must never change a document on its own initiative:
//! the parser and the linter only *report* table checklists (`table-checklist`) and mojibake;
//! a rewrite happens when someone calls [`tables_to_tasks`] or [`repair_mojibake`]
//! (`preflight fix`). Tables are found with pulldown-cmark and the parser's own options, so a
//! table in a code fence, an HTML block or a comment is left alone exactly as GitHub leaves it.
//!
//! Choices, and why:
//! - **Marks.** Done: ✅ ☑ ✔ ✓ ☒ `[x]` `[X]`. Open: ☐ ⬜ ❌ `[ ]` ⏳ 🔄. A variation selector
//!   (✔️, ☑️) and surrounding markup (`**✅**`, `` `[ ]` ``) do not matter. ❌ is open because
//!   the people writing these tables use it for "not done yet" (issue 11), not "failed". ☒ is
//!   done: it is the *marked* ballot box — what Word and printed forms show for a ticked box,
//!   beside ☐ for an empty one. ⏳ (waiting) and 🔄 (in progress) say the work is not finished,
//!   so they are open. A mark followed by words (`✅ Complete`) is not a mark: the column then
//!   holds prose, and turning it into a checkbox would drop or guess at the words.
//! - **One column.** Exactly one column may hold only marks (and empty cells), with at least one
//!   mark, and no other cell may start with a mark. Marks in two columns make a matrix (browser
//!   support, plan features, the capability tables of a Kubernetes KEP in the corpus, whose one
//!   bare-mark column sits between columns of `❌¹` and `✅ Can omit`), not a list of tasks.
//! - **Something open.** A table whose marks are all done is a finished report; nobody will tick
//!   anything in it, so it is not reported and not rewritten.
//! - **Item text.** The other cells of a row, left to right, each trimmed and with `\|`
//!   unescaped, the empty ones skipped, joined by ` — `: the first one (usually the task) leads,
//!   the rest (notes, owners, commits) follow it. Column names are not repeated on every row:
//!   they are mostly "Task", "Notes", "Status", and the list reads better without them. The
//!   header row is dropped. A row with no words at all is not a task and is dropped; cells past
//!   the header's width are dropped, as GitHub does not show them either.
//! - **Containers.** A table in a block quote or a list item keeps that container: the first
//!   item takes the header's place after the header line's prefix, and every later item gets
//!   that prefix with any list marker in it turned into spaces (`> `, `  `, `>   `).
//! - **Blank lines.** None is added before the list: a bullet item with text may interrupt a
//!   paragraph. One is added after it when the next line has content, or that line would be
//!   read as a lazy continuation of the last item; it carries the next line's `>` markers.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostic::{code, Diagnostic, Severity};
use crate::span::{LineIndex, Span};

/// A GFM table that people mean as a checklist: rows with a status cell, some still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChecklist {
    /// Byte range of the table, from its header row to the end of its last row (after the
    /// newline, when there is one). A container's prefix on the header line is outside it.
    pub start: usize,
    pub end: usize,
    /// 1-based line of the header row.
    pub line: u32,
    /// Rows that become items (rows with some words besides the status cell).
    pub rows: u32,
    /// Rows with an open mark or an empty status cell.
    pub open: u32,
    /// Rows with a done mark.
    pub done: u32,
    /// 0-based index of the status column.
    pub status_column: usize,
}

/// A rewritten text and what changed in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Tables rewritten as task lists.
    pub tables: u32,
    /// Task items written in their place (one per row).
    pub items: u32,
    /// Mis-decoded characters (mojibake sequences) replaced by what they spell.
    pub repaired: u32,
}

/// Every table in `text` that holds a checklist, in document order.
pub fn table_checklists(text: &str) -> Vec<TableChecklist> {
    conversions(text).into_iter().map(|c| c.checklist).collect()
}

/// `text` with every table checklist rewritten as a task list (done marks `- [x]`, open marks
/// and empty status cells `- [ ]`); every other byte as it was.
pub fn tables_to_tasks(text: &str) -> Fixed {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let (mut tables, mut items) = (0u32, 0u32);
    let mut at = 0;
    for conversion in conversions(text) {
        let TableChecklist { start, end, .. } = conversion.checklist;
        let Some(before) = text.get(at..start) else { continue };
        out.push_str(before);
        write_list(text, &conversion, &mut out);
        at = end;
        tables += 1;
        items = items.saturating_add(conversion.checklist.rows);
    }
    out.push_str(text.get(at..).unwrap_or(""));
    Fixed { text: out, tables, items, repaired: 0 }
}

/// `text` with every mojibake sequence the engine finds (see [`crate::mojibake`]) replaced by
/// the character it spells: exactly the repairs `lint` proposes, nothing else.
pub fn repair_mojibake(text: &str) -> Fixed {
    let repaired = count(crate::mojibake::find(text).len());
    let text = if repaired == 0 { text.to_string() } else { crate::mojibake::repair(text) };
    Fixed { text, tables: 0, items: 0, repaired }
}

/// One warning per table checklist, spanning the table.
pub fn table_checklist_diagnostics(text: &str, index: &LineIndex<'_>) -> Vec<Diagnostic> {
    diagnostics_of(conversions(text), index)
}

/// [`table_checklist_diagnostics`] for tables the parser's own walk already delimited: a second
/// parse of the whole document cost a tenth of the model build wherever a table held an open mark.
pub(crate) fn table_checklist_diagnostics_in(text: &str, tables: Vec<Table>, index: &LineIndex<'_>) -> Vec<Diagnostic> {
    diagnostics_of(conversions_of(text, tables), index)
}

fn diagnostics_of(conversions: Vec<Conversion>, index: &LineIndex<'_>) -> Vec<Diagnostic> {
    conversions
        .into_iter()
        .map(|c| c.checklist)
        .map(|t| {
            let mut span = Span::new(t.start, t.end);
            index.locate(&mut span);
            let message = format!(
                "this table holds {} status row{} ({} open) but no checkboxes: `preflight fix --tables` turns it into a task list",
                t.rows,
                if t.rows == 1 { "" } else { "s" },
                t.open
            );
            Diagnostic::new(Severity::Warning, code::TABLE_CHECKLIST, message, span)
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Done,
    Open,
}

/// Marks that mean done and open, after markup and a variation selector are stripped.
const DONE: [&str; 7] = ["✅", "☑", "✔", "✓", "☒", "[x]", "[X]"];
const OPEN: [&str; 6] = ["☐", "⬜", "❌", "[ ]", "⏳", "🔄"];

/// A cell's source without surrounding whitespace, emphasis or code markup.
fn bare(cell: &str) -> &str {
    cell.trim_matches(|c: char| c.is_ascii_whitespace() || matches!(c, '*' | '_' | '~' | '`'))
}

/// Whether `source` holds a mark that means open: a table without one is no table checklist
/// (`convert` needs an open mark), so the parser asks this before looking closer.
pub(crate) fn has_open_mark(source: &str) -> bool {
    OPEN.iter().any(|m| source.contains(m))
}

/// The status a cell's source stands for: `Some(None)` when the cell is empty, `None` when it
/// holds anything but one mark.
fn status(cell: &str) -> Option<Option<Mark>> {
    let core = bare(cell).trim_end_matches(['\u{FE0F}', '\u{FE0E}']);
    // "✅ Complete", "⏳ Pending": a mark and a word that says the same is still a status.
    let core = match DONE.iter().chain(OPEN.iter()).find(|m| core.starts_with(**m)) {
        Some(m) if is_status_word(&core[m.len()..]) => &core[..m.len()],
        _ => core,
    };
    if core.is_empty() {
        Some(None)
    } else if DONE.contains(&core) {
        Some(Some(Mark::Done))
    } else if OPEN.contains(&core) {
        Some(Some(Mark::Open))
    } else {
        None
    }
}

/// Words that only restate a status: done, complete, pending, open, in progress, …
fn is_status_word(rest: &str) -> bool {
    const WORDS: &[&str] = &[
        "done",
        "complete",
        "completed",
        "finished",
        "ok",
        "yes",
        "passed",
        "pass",
        "ready",
        "pending",
        "todo",
        "to do",
        "open",
        "not started",
        "in progress",
        "wip",
        "blocked",
        "waiting",
        "missing",
        "no",
        "failed",
        "fail",
        "concluido",
        "concluído",
        "feito",
        "pendente",
        "hecho",
        "completado",
        "pendiente",
        "erledigt",
        "fertig",
        "offen",
        "ausstehend",
        "fait",
        "terminé",
        "en attente",
        "fatto",
        "completato",
        "in attesa",
        "готово",
        "выполнено",
        "в работе",
        "完成",
        "已完成",
        "未完成",
        "待办",
        "进行中",
        "完了",
        "未着手",
        "対応中",
    ];
    let rest = rest
        .trim_start_matches(['\u{FE0F}', '\u{FE0E}'])
        .trim()
        .trim_matches(|c: char| matches!(c, '*' | '_' | '(' | ')' | '.'));
    !rest.is_empty() && WORDS.iter().any(|w| rest.eq_ignore_ascii_case(w) || rest.to_lowercase() == *w)
}

/// A cell that opens with a mark, like `✅ Can omit` or `❌¹`.
fn starts_with_mark(cell: &str) -> bool {
    let core = bare(cell);
    DONE.iter().chain(OPEN.iter()).any(|m| core.starts_with(m))
}

/// A table as pulldown-cmark delimits it: the header's width and each body row's cells.
pub(crate) struct Table {
    pub(crate) range: Range<usize>,
    pub(crate) columns: usize,
    pub(crate) rows: Vec<Row>,
}

pub(crate) struct Row {
    pub(crate) cells: Vec<Range<usize>>,
}

/// Every GFM table in the text, found by the same parser and options as the model.
fn tables(text: &str) -> Vec<Table> {
    let mut found = Vec::new();
    let mut current: Option<Table> = None;
    let mut in_head = false;
    for (event, range) in crate::markdown::events(text) {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                current = Some(Table { range, columns: alignments.len(), rows: Vec::new() });
            }
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => {
                if let Some(table) = current.as_mut() {
                    table.rows.push(Row { cells: Vec::new() });
                }
            }
            Event::Start(Tag::TableCell) if !in_head => {
                if let Some(row) = current.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.cells.push(range);
                }
            }
            Event::End(TagEnd::Table) => found.extend(current.take()),
            _ => {}
        }
    }
    found
}

/// A table checklist and the items it becomes.
struct Conversion {
    checklist: TableChecklist,
    items: Vec<TableItem>,
}

struct TableItem {
    done: bool,
    text: String,
}

fn conversions(text: &str) -> Vec<Conversion> {
    conversions_of(text, tables(text))
}

/// `tables` in document order.
fn conversions_of(text: &str, tables: Vec<Table>) -> Vec<Conversion> {
    let mut found = Vec::new();
    // Lines are counted forward from the previous table, so the whole scan is one pass.
    let (mut line, mut counted_to) = (1usize, 0usize);
    for table in tables {
        let Some(mut conversion) = convert(text, &table) else { continue };
        let start = table.range.start;
        line += text.as_bytes().get(counted_to..start).map_or(0, |b| memchr::memchr_iter(b'\n', b).count());
        counted_to = start;
        conversion.checklist.line = count(line);
        found.push(conversion);
    }
    found
}

/// The source of a cell, trimmed (an absent cell of a short row is empty).
fn cell_text<'a>(text: &'a str, range: Option<&Range<usize>>) -> &'a str {
    range.and_then(|r| text.get(r.clone())).unwrap_or("").trim_ascii()
}

fn convert(text: &str, table: &Table) -> Option<Conversion> {
    if table.columns < 2 {
        return None;
    }
    let cell = |row: &Row, column: usize| cell_text(text, row.cells.get(column));
    // Only marks and empty cells, and at least one mark.
    let is_status_column = |column: usize| {
        let mut marks = 0;
        for row in &table.rows {
            match status(cell(row, column)) {
                None => return false,
                Some(Some(_)) => marks += 1,
                Some(None) => {}
            }
        }
        marks > 0
    };
    let mut status_columns = (0..table.columns).filter(|&c| is_status_column(c));
    let status_column = status_columns.next()?;
    if status_columns.next().is_some() {
        return None;
    }
    // Marks in another column too (`✅ Can omit`, `❌¹`): a matrix whose cleanest column
    // happens to hold bare marks.
    let marked_elsewhere =
        (0..table.columns).any(|c| c != status_column && table.rows.iter().any(|row| starts_with_mark(cell(row, c))));
    if marked_elsewhere {
        return None;
    }
    let mut items = Vec::new();
    let (mut open, mut done, mut open_marks) = (0, 0, 0);
    for row in &table.rows {
        let words: Vec<String> = (0..table.columns)
            .filter(|&c| c != status_column)
            .map(|c| cell(row, c))
            .filter(|s| !s.is_empty())
            // In a table `\|` is a pipe in the cell; in a list item it is just a pipe.
            .map(|s| s.replace("\\|", "|"))
            .collect();
        if words.is_empty() {
            continue;
        }
        let mark = status(cell(row, status_column)).flatten();
        match mark {
            Some(Mark::Done) => done += 1,
            Some(Mark::Open) => {
                open += 1;
                open_marks += 1;
            }
            None => open += 1,
        }
        items.push(TableItem { done: mark == Some(Mark::Done), text: words.join(" — ") });
    }
    if open_marks == 0 {
        return None;
    }
    let checklist = TableChecklist {
        start: table.range.start,
        end: table.range.end,
        line: 0,
        rows: count(items.len()),
        open,
        done,
        status_column,
    };
    Some(Conversion { checklist, items })
}

/// What continues the table's container on the lines after its header: the header's prefix
/// with any list marker on it (`- `, `1. `) turned into spaces, so the following items line up
/// inside that list item. Every row of a table belongs to the header's container, whatever
/// indentation a row line happens to have (rows may be indented more, which before a list item
/// would make an indented continuation, not an item).
fn continuation(text: &str, start: usize) -> String {
    let head = text.get(..start).unwrap_or("");
    let prefix = head.rfind('\n').map_or(head, |i| head.get(i + 1..).unwrap_or(""));
    prefix.chars().map(|c| if c == '>' || c == '\t' { c } else { ' ' }).collect()
}

fn write_list(text: &str, conversion: &Conversion, out: &mut String) {
    let TableChecklist { start, end, .. } = conversion.checklist;
    let prefix = continuation(text, start);
    for (k, item) in conversion.items.iter().enumerate() {
        if k > 0 {
            out.push_str(&prefix);
        }
        out.push_str(if item.done { "- [x] " } else { "- [ ] " });
        out.push_str(&item.text);
        out.push('\n');
    }
    let ended_line = end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n');
    if !ended_line {
        // The table was the end of the text, without a final newline: so is the list.
        out.pop();
        return;
    }
    let next = text.get(end..).unwrap_or("").split('\n').next().unwrap_or("");
    let is_blank = |c: char| c == ' ' || c == '\t' || c == '>';
    if !next.trim_start_matches(is_blank).is_empty() {
        let markers = next.get(..next.len() - next.trim_start_matches(is_blank).len()).unwrap_or("");
        out.push_str(markers.trim_end());
        out.push('\n');
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_str;

    /// (what it pins, input, the rewritten text — `None` when the input is not a table checklist)
    const CASES: &[(&str, &str, Option<&str>)] = &[
        (
            "check and cross marks become done and open items; notes follow the task",
            "# Launch\n\n| Task | Status | Owner |\n|------|:------:|-------|\n| Run migrations | ✅ | Ana |\n| Rotate keys | ❌ | |\n| Tell support | ❌ | Bo |\n\nDone.\n",
            Some("# Launch\n\n- [x] Run migrations — Ana\n- [ ] Rotate keys\n- [ ] Tell support — Bo\n\nDone.\n"),
        ),
        (
            "bracket cells, in any markup, with the status column first",
            "| Done | Step |\n|---|---|\n| `[x]` | **Build** the image |\n| [ ] | Push `v2` |\n| [X] | Tag |\n",
            Some("- [x] **Build** the image\n- [ ] Push `v2`\n- [x] Tag\n"),
        ),
        (
            "an empty status cell is open; a row with no words is dropped",
            "| Step | ✓ |\n|---|---|\n| Backup | ✅ |\n| Restore test | |\n| | ⬜ |\n| Announce | ⬜ |\n",
            Some("- [x] Backup\n- [ ] Restore test\n- [ ] Announce\n"),
        ),
        (
            "variation selectors and the other marks",
            "| Step | Status |\n|---|---|\n| a | ✔️ |\n| b | ☒ |\n| c | ⏳ |\n| d | 🔄 |\n| e | ☐ |\n| f | ☑️ |\n",
            Some("- [x] a\n- [x] b\n- [ ] c\n- [ ] d\n- [ ] e\n- [x] f\n"),
        ),
        (
            "an escaped pipe reads as a pipe in the item",
            "| Check | Status |\n|---|---|\n| `a \\| b` works | ❌ |\n",
            Some("- [ ] `a | b` works\n"),
        ),
        (
            "a table in a block quote keeps the quote on every line",
            "> Before:\n>\n> | Task | Status |\n> |---|---|\n> | Freeze | ✅ |\n> | Ship | ❌ |\n>\n> after\n",
            Some("> Before:\n>\n> - [x] Freeze\n> - [ ] Ship\n>\n> after\n"),
        ),
        (
            "a table in a list item keeps its indentation",
            "- Release\n\n  | Task | Status |\n  |---|---|\n  | Freeze | ✅ |\n  | Ship | ❌ |\n- Next\n",
            Some("- Release\n\n  - [x] Freeze\n  - [ ] Ship\n\n- Next\n"),
        ),
        (
            "a table that starts a list item's first line nests the list in that item",
            "- | Task | Status |\n  |---|---|\n  | a | ❌ |\n  | b | ✅ |\n",
            Some("- - [ ] a\n  - [x] b\n"),
        ),
        (
            // Found by the property test: with the row's own four spaces, `b` was a continuation.
            "a row indented deeper than the header is still an item of the same list",
            "text\n   | Task | Status |\n   | --- | --- |\n   | a | ❌ |\n    | b |  |\n",
            Some("text\n   - [ ] a\n   - [ ] b\n"),
        ),
        (
            "a line right after the table gets a blank line first, carrying the quote",
            "> | Task | Status |\n> |---|---|\n> | Ship | ❌ |\n> # Heading\nafter\n",
            Some("> - [ ] Ship\n>\n> # Heading\nafter\n"),
        ),
        (
            "a table that ends the text without a newline",
            "| Task | Status |\n|---|---|\n| Ship | ❌ |",
            Some("- [ ] Ship"),
        ),
        (
            "a table with no unchecked mark is a finished report",
            "| Task | Status |\n|---|---|\n| Freeze | ✅ |\n| Ship | ✅ |\n| Docs | |\n",
            None,
        ),
        (
            "a status column that also holds words is not a status column",
            "| Task | Status |\n|---|---|\n| Freeze | ✅ |\n| Ship | ❌ see the incident |\n",
            None,
        ),
        (
            "a mark with a word that restates it is a status",
            "| Task | Status |\n|---|---|\n| Freeze | ✅ Complete |\n| Ship | ⏳ Pending |\n",
            Some("- [x] Freeze\n- [ ] Ship\n"),
        ),
        (
            "a column of words only is not a status column",
            "| Task | Status |\n|---|---|\n| Freeze | Done |\n| Ship | Pending |\n",
            None,
        ),
        (
            "two columns of marks make a matrix, not a checklist",
            "| Feature | Chrome | Firefox |\n|---|---|---|\n| Grid | ✅ | ❌ |\n| Has | ✅ | ✅ |\n",
            None,
        ),
        (
            // The shape of the capability tables in the corpus's Kubernetes KEP 5073.
            "one bare column beside columns of marks with footnotes or words is a matrix",
            "| Pattern | CREATE | UPDATE | AddItem |\n| :--- | :--- | :--- | :--- |\n| Optional | ✅ Can omit | ✅ | ✅ |\n| Required | ✅ Must have one | ❌¹ | ❌ |\n",
            None,
        ),
        ("a table in a code fence is code", "```\n| Task | Status |\n|---|---|\n| Ship | ❌ |\n```\n", None),
        ("a table in an HTML comment is hidden", "<!--\n| Task | Status |\n|---|---|\n| Ship | ❌ |\n-->\n", None),
        ("a lone column of marks has no words to keep", "| Status |\n|---|\n| ❌ |\n", None),
        ("a task list is already a task list", "- [ ] Ship\n- [x] Freeze\n", None),
    ];

    #[test]
    fn table_cases() {
        for &(name, input, expected) in CASES {
            let found = table_checklists(input);
            let fixed = tables_to_tasks(input);
            match expected {
                None => {
                    assert!(found.is_empty(), "{name}: {found:?}");
                    assert_eq!(fixed.text, input, "{name}");
                    assert_eq!((fixed.tables, fixed.items), (0, 0), "{name}");
                }
                Some(output) => {
                    assert_eq!(fixed.text, output, "{name}");
                    assert_eq!(found.len(), 1, "{name}");
                    assert_eq!((fixed.tables, fixed.items), (1, found[0].rows), "{name}");
                    let (before, after) = (parse_str(input).items.len(), parse_str(output).items.len());
                    assert_eq!(after, before + fixed.items as usize, "{name}: every row is a task item");
                    assert!(table_checklists(output).is_empty(), "{name}: nothing left to convert");
                }
            }
        }
    }

    #[test]
    fn a_table_checklist_reports_its_place_and_counts() {
        let text = CASES[0].1;
        let found = table_checklists(text);
        assert_eq!(
            found,
            [TableChecklist {
                start: 10,
                end: text.len() - "\nDone.\n".len(),
                line: 3,
                rows: 3,
                open: 2,
                done: 1,
                status_column: 1
            }]
        );
        assert!(text[found[0].start..].starts_with("| Task |"));
        let quoted = table_checklists(CASES[5].1);
        assert_eq!((quoted[0].line, &CASES[5].1[quoted[0].start..quoted[0].start + 6]), (3, "| Task"));
    }

    /// The parser looks for table checklists only where a table holds an open mark: on every
    /// case, and on tables inside items and quotes, it finds exactly what a full scan finds.
    #[test]
    fn parsing_reports_every_table_checklist_a_full_scan_finds() {
        let nested = "# Run\n\n- [ ] step\n\n  | Task | Done |\n  |---|---|\n  | a | ☐ |\n\n> | Task | Done |\n> |---|---|\n> | b | ⏳ |\n";
        let only_done = "# Run\n\n| Task | Done |\n|---|---|\n| a | ✅ |\n";
        for text in CASES.iter().map(|c| c.1).chain([nested, only_done]) {
            let full = table_checklist_diagnostics(text, &LineIndex::new(text));
            let parsed: Vec<Diagnostic> =
                crate::parse_str(text).diagnostics.into_iter().filter(|d| d.code == code::TABLE_CHECKLIST).collect();
            assert_eq!(parsed, full, "{text}");
        }
        assert_eq!(table_checklist_diagnostics(nested, &LineIndex::new(nested)).len(), 2);
    }

    #[test]
    fn the_diagnostic_spans_the_table_and_names_the_fix() {
        let text = CASES[0].1;
        let index = LineIndex::new(text);
        let found = table_checklist_diagnostics(text, &index);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!((d.severity, d.code.as_str()), (Severity::Warning, code::TABLE_CHECKLIST));
        assert_eq!(
            d.message,
            "this table holds 3 status rows (2 open) but no checkboxes: `preflight fix --tables` turns it into a task list"
        );
        assert_eq!((d.span.start, d.span.line, d.span.column), (10, 3, 1));
        let one = table_checklist_diagnostics(CASES[10].1, &LineIndex::new(CASES[10].1));
        assert!(one[0].message.contains("holds 1 status row (1 open)"), "{}", one[0].message);
    }

    #[test]
    fn mojibake_repair_changes_only_the_sequences_and_counts_them() {
        let fixed = repair_mojibake("# âœ… Pronto\n\n- [ ] ProduÃ§Ã£o â€” ok\n");
        assert_eq!(fixed.text, "# ✅ Pronto\n\n- [ ] Produção — ok\n");
        assert_eq!((fixed.repaired, fixed.tables, fixed.items), (4, 0, 0));
        let clean = "café ✅ — 部署\n";
        assert_eq!(repair_mojibake(clean), Fixed { text: clean.to_string(), tables: 0, items: 0, repaired: 0 });
    }

    const FENGSHENBANG: &str =
        include_str!("../../../tests/fixtures/corpus/54biying__fengshenbang-miniprogram__LAUNCH_CHECKLIST.md");

    #[test]
    fn real_status_tables_that_are_finished_or_labelled_are_left_alone() {
        // fengshenbang: two status tables (8 and 10 rows), every mark ✅: finished reports.
        // siteproc: one 7-row table, every cell `✅ Complete`: words, and nothing open.
        // 444Radio: one 20-row table of `✅ Complete` / `⏭️ Deferred`: words, not marks.
        for text in [
            FENGSHENBANG,
            include_str!("../../../tests/fixtures/corpus/12313131dBossza__siteproc__LAUNCH-CHECKLIST.md"),
            include_str!("../../../tests/fixtures/corpus/101world__444Radio__COMPLETE-DEPLOYMENT.md"),
        ] {
            assert!(table_checklists(text).is_empty());
            assert_eq!(tables_to_tasks(text).text, text);
        }
    }

    #[test]
    fn a_real_status_table_with_one_open_row_becomes_ten_items() {
        // The fixture's API table with one task not yet done.
        let text = FENGSHENBANG.replace("| 支付 | /api/payment/* | ✅ |", "| 支付 | /api/payment/* | ❌ |");
        let found = table_checklists(&text);
        assert_eq!(found.len(), 1, "the page table above it is still all ✅");
        let t = &found[0];
        assert_eq!((t.line, t.rows, t.open, t.done, t.status_column), (18, 10, 1, 9, 2));
        let fixed = tables_to_tasks(&text);
        assert_eq!((fixed.tables, fixed.items), (1, 10));
        assert!(fixed
            .text
            .contains("### 1.2 API接口（全部完成）\n- [x] 登录 — /api/login-password\n- [x] 用户 — /api/user/*\n"));
        assert!(fixed
            .text
            .contains("- [ ] 支付 — /api/payment/*\n- [x] 勋章 — /api/badges\n- [x] 任务 — /api/tasks\n\n---\n"));
        assert_eq!((parse_str(&text).items.len(), parse_str(&fixed.text).items.len()), (33, 43));
        // Every byte outside the table is as it was.
        assert_eq!(fixed.text[..t.start], text[..t.start]);
        assert_eq!(fixed.text[fixed.text.len() - (text.len() - t.end)..], text[t.end..]);
    }

    #[test]
    fn pathological_inputs_are_handled_in_one_pass() {
        for (name, doc) in crate::pathological::cases() {
            let fixed = tables_to_tasks(&doc);
            assert_eq!(fixed.text, doc, "{name}: no status marks, nothing rewritten");
        }
        // Twenty thousand table checklists, one after another.
        let doc = "| Task | Status |\n|---|---|\n| c | ❌ |\n\n".repeat(20_000);
        let fixed = tables_to_tasks(&doc);
        assert_eq!((fixed.tables, fixed.items), (20_000, 20_000));
        assert_eq!(table_checklists(&doc).last().map(|t| t.line), Some(79_997));
    }

    fn word() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "", "ship it", "a \\| b", "`code`", "✅ Done", "Done", "*x*", "# h", "- y", "1.", "\\", "<b>", "[x] z",
        ])
    }

    fn mark() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec!["", "✅", "❌", "[ ]", "[x]", "**✅**", "⬜", "⏳", "☒", "✔️"])
    }

    /// A table whose column `status` (when in range) holds marks, the others words or marks.
    fn table() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (2usize..5, 0usize..6, 0usize..6).prop_flat_map(|(columns, rows, status)| {
            let cell = move |c: usize| {
                if c == status {
                    mark().boxed()
                } else {
                    prop_oneof![3 => word(), 1 => mark()].boxed()
                }
            };
            let row = move || (0..columns).map(cell).collect::<Vec<_>>();
            (Just(columns), proptest::collection::vec(row(), rows), any::<bool>()).prop_map(|(columns, rows, pipes)| {
                let line = |cells: &[&str]| {
                    let inner = cells.join(" | ");
                    if pipes {
                        format!("| {inner} |\n")
                    } else {
                        format!("{inner}\n")
                    }
                };
                let mut out = line(&vec!["H"; columns]);
                out.push_str(&line(&vec!["---"; columns]));
                for row in &rows {
                    out.push_str(&line(row));
                }
                out
            })
        })
    }

    /// A block of a document: a table (bare, quoted, in a list item, fenced) or something else.
    fn block() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let prefixed = |prefix: &'static str, first: &'static str| {
            move |t: String| {
                let body: String = t.lines().map(|l| format!("{prefix}{l}\n")).collect();
                format!("{first}{body}")
            }
        };
        prop_oneof![
            table(),
            table().prop_map(prefixed("> ", "")),
            table().prop_map(prefixed("> ", "> quoted\n")),
            table().prop_map(prefixed("  ", "- item\n\n")),
            table().prop_map(prefixed("   ", "1. item\n\n")),
            table().prop_map(|t| format!("```\n{t}```\n")),
            Just("Some words\n".to_string()),
            Just("- [ ] a\n- [x] b\n".to_string()),
            Just("## Heading\n".to_string()),
            Just("> quote\n".to_string()),
            Just("- item\n".to_string()),
            Just("    indented\n".to_string()),
        ]
    }

    fn document() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec((block(), prop::sample::select(vec!["", "\n"])), 0..6)
            .prop_map(|blocks| blocks.into_iter().map(|(b, gap)| b + gap).collect())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        #[test]
        fn tables_become_exactly_their_rows_of_task_items(text in document()) {
            let found = table_checklists(&text);
            let fixed = tables_to_tasks(&text);
            proptest::prop_assert_eq!(fixed.tables as usize, found.len());
            proptest::prop_assert_eq!(fixed.items, found.iter().map(|t| t.rows).sum::<u32>());
            if found.is_empty() {
                proptest::prop_assert_eq!(&fixed.text, &text);
            }
            let (before, after) = (parse_str(&text).items.len(), parse_str(&fixed.text).items.len());
            proptest::prop_assert_eq!(after, before + fixed.items as usize, "{}\n=>\n{}", text, fixed.text);
            proptest::prop_assert!(table_checklists(&fixed.text).is_empty(), "{}", fixed.text);
        }

        /// The parser reads table checklists from the cells its own walk delimited; a second
        /// parse of the whole text (the plain version) finds exactly the same ones.
        #[test]
        fn parsing_reports_the_table_checklists_a_second_parse_finds(text in document()) {
            let full = table_checklist_diagnostics(&text, &LineIndex::new(&text));
            let parsed: Vec<Diagnostic> =
                parse_str(&text).diagnostics.into_iter().filter(|d| d.code == code::TABLE_CHECKLIST).collect();
            proptest::prop_assert_eq!(parsed, full, "{}", text);
        }

        #[test]
        fn mixed_containers_keep_the_item_count(
            before in proptest::sample::select(vec!["", "text\n", "> q\n", "- i\n", "- i\n\n", "1. i\n\n", "> - i\n>\n", "- "]),
            container in proptest::sample::select(vec!["", "> ", "  ", "   ", ">", "> > ", "\t", ">   "]),
            table in table(),
            strays in proptest::collection::vec(proptest::sample::select(vec![
                None, None, None, None, None, None, None, None, None, None, None, None,
                Some(""), Some("> "), Some("  "), Some(">"), Some("    "),
            ]), 8),
            after in proptest::sample::select(vec!["", "text\n", "> q\n", "  q\n", "- j\n", "# h\n", "```\n", "\n"]),
        ) {
            let lines = table.lines().enumerate().map(|(k, l)| {
                let prefix = if k == 0 { "" } else { strays[k % 8].unwrap_or(container) };
                format!("{prefix}{l}\n")
            });
            let first = if before.ends_with('\n') { container } else { "" };
            let text = format!("{before}{first}{}{after}", lines.collect::<String>());
            let fixed = tables_to_tasks(&text);
            let _ = repair_mojibake(&text);
            let (before, after) = (parse_str(&text).items.len(), parse_str(&fixed.text).items.len());
            proptest::prop_assert_eq!(after, before + fixed.items as usize, "{:?}\n=>\n{:?}", text, fixed.text);
        }
    }
}
