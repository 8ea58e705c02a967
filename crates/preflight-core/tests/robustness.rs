//! No input makes the core panic, overflow its stack or lose its invariants: arbitrary bytes,
//! Markdown token soup, and the pathological inputs (cmark's, at their sizes, and 30,000-deep
//! nesting). Times for the pathological inputs are reported by `cargo bench`, not asserted here.

use preflight_core::export::{html, markdown};
use preflight_core::{import, parse, report, score, ItemKind, Run, Status};
use proptest::prelude::*;

/// Everything a user can do to a document, end to end; panics are the failure.
fn exercise(bytes: &[u8]) {
    let c = parse(bytes);
    // Invariants of the model.
    for (i, item) in c.items.iter().enumerate() {
        assert!(item.span.start <= item.marker.start && item.marker.end <= c.source.len());
        assert!(item.span.line >= 1 && item.marker.line >= 1);
        assert_eq!(&c.source[item.marker.start..item.marker.start + 1], "[");
        if let Some(p) = item.parent {
            assert!(p < i && c.items[p].children().contains(&i));
        }
        assert_eq!(item.kind == ItemKind::SignOff, item.sign_off.is_some());
    }
    let ids: std::collections::HashSet<_> = c.items.iter().map(|i| &i.id).collect();
    assert_eq!(ids.len(), c.items.len(), "ids are unique");
    for d in &c.diagnostics {
        assert!(d.span.line >= 1 && d.span.start <= c.source.len(), "{d:?}");
    }
    let mut run = Run::new(&c, "r", "fuzz", "2026-01-01T00:00:00Z");
    for (n, item) in c.tasks().enumerate().take(50) {
        let status = [Status::Done, Status::Na, Status::Blocked, Status::Todo][n % 4];
        let _ = run.set_status(&c, &item.id, status, Some("because".into()), None, "2026-01-01T00:00:01Z");
    }
    let card = score(&c, &run);
    assert!(card.score_tenths <= 1000);
    let md = markdown::export(&c, &run, "now");
    let back = import::from_markdown(&md, Some(&c)).expect("own export imports");
    assert_eq!(back.run, run);
    // Every report recomputes from its own contents.
    let page = html::export(&c, &run, "now");
    let json = report::json(&c, &run, "now");
    for text in [&json, &page, &md] {
        let v = preflight_core::export::verify::verify(text, Some(&c)).expect("own report reads");
        assert!(v.ok(), "{:?}", v.differences);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        exercise(&bytes);
    }

    #[test]
    fn markdown_token_soup_never_panics(tokens in proptest::collection::vec(prop::sample::select(vec![
        "- ", "* ", "+ ", "1. ", "2) ", "[ ] ", "[x] ", "[X] ", "> ", "  ", "\t", "\n", "\n\n", "# ", "## ", "---\n",
        "===\n", "```", "~~~", "    ", "`", "**", "_", "___", "<!-- ", " -->", "<script>", "[a](javascript:x)", "|",
        "|---|", "90-100%: Ready", "<70%: stop", "/ 3 total items", "Tech Lead: ", "Date: ", "(critical)",
        "(optional)", "Rollback", "Sign-off:", "\\", "&amp;", "✅", "âœ…", "\u{0}", "\r", "\r\n", "\u{FEFF}",
        "<!-- preflight: {\"k\":\"s\"} -->", "<!-- preflight:summary:begin -->", "text", "Version: 1",
    ]), 0..120)) {
        exercise(tokens.concat().as_bytes());
    }
}

#[test]
fn pathological_inputs_parse_without_panic_or_overflow() {
    for (name, doc) in preflight_core::pathological::cases() {
        let c = parse(doc.as_bytes());
        assert!(c.source.len() >= doc.len() / 2, "{name}");
        if name.starts_with("30,000-deep") {
            assert_eq!(c.items.len(), 1, "{name}: the innermost task is found");
            assert_eq!(c.items[0].text, "deep", "{name}");
        }
        if name == "deeply nested task lists" {
            assert_eq!(c.items.len(), 1_000);
            assert_eq!(c.items.iter().filter(|i| i.parent.is_some()).count(), 999, "a chain of parents");
        }
        if name == "20,000 equal headings" {
            let ids: std::collections::HashSet<_> = c.sections.iter().map(|s| &s.id).collect();
            assert_eq!(ids.len(), 20_001, "{name}: every section id distinct");
        }
        if name == "100,000 blanks on one line" {
            assert_eq!(c.fields.len(), 100_000, "{name}");
            let last = &c.fields[99_999];
            assert_eq!((last.span.line, last.span.column), (1, 6 * 99_999 + 10), "{name}: located on the line");
        }
        if name == "mojibake all along one 600 KB line" {
            let found: Vec<_> = c.diagnostics.iter().filter(|d| d.code == "mojibake").collect();
            assert_eq!(found.len(), 1, "{name}: one diagnostic per line");
            assert_eq!((found[0].span.line, found[0].span.column), (1, 1));
        }
        if name == "front matter naming 2,000 critical items" {
            assert_eq!(c.items.iter().filter(|i| i.critical).count(), 2_000, "{name}");
            assert!(c.items[1_999].critical && !c.items[2_000].critical, "{name}");
        }
        if name == "20,000 legend lines" {
            // The document's own legend says `L7` is critical: the item naming it is.
            assert_eq!(c.items.len(), 1, "{name}");
            let why = c.items[0].why.iter().find(|w| w.about == "critical");
            assert!(
                c.items[0].critical && why.is_some_and(|w| w.rule == "document-legend"),
                "{name}: {:?}",
                c.items[0].why
            );
        }
        if name == "many task items" {
            // "task ___": no role names the blank, so it is a fill-in field of a task.
            assert_eq!(c.tasks().filter(|i| i.critical).count(), 50_000, "{name}");
            assert_eq!(c.fields.len(), 50_000, "{name}");
        }
        let run = Run::new(&c, "r", "p", "2026-01-01T00:00:00Z");
        let _ = score(&c, &run);
        let _ = markdown::export(&c, &run, "now");
    }
}

/// Found by `markdown_token_soup_never_panics`: a template whose sign-off line already holds an
/// annotation-shaped comment after its blank.
#[test]
fn regression_template_with_annotation_shaped_comment_after_a_blank() {
    exercise(b"- [x] ___<!-- preflight: {\"k\":\"s\"} -->");
}
