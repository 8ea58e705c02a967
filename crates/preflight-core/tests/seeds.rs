//! The five checklists Preflight was created from: each imports with the right structure and
//! score. The model of each is pinned as a snapshot (tests/snapshots/), reviewed by hand.

mod fixtures;

use preflight_core::{parse, score, Block, Checklist, ItemKind, Run, Verdict};
use std::fmt::Write;

fn seed(prefix: &str) -> Checklist {
    let (_, bytes) = fixtures::seeds().into_iter().find(|(n, _)| n.starts_with(prefix)).expect("seed exists");
    parse(&bytes)
}

#[test]
fn seed_004_has_75_scored_items_8_sign_offs_and_its_own_rubric() {
    let c = seed("004");
    assert_eq!(c.tasks().count(), 75);
    assert_eq!(c.sign_offs().count(), 8);
    assert_eq!(c.declared_total.as_ref().map(|d| d.count), Some(75));
    let bands: Vec<u32> = c.rubric.as_ref().expect("document rubric").iter().map(|b| b.min).collect();
    assert_eq!(bands, [90, 80, 70, 0]);
    let labels: Vec<&str> = c.rubric.as_ref().unwrap().iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels[0], "Ready for production deployment");
    assert_eq!(labels[3], "Do not deploy, significant work required");
    // The rubric's total matches the count, so lint has nothing to say about it.
    assert!(c.diagnostics.iter().all(|d| d.code != "declared-total-mismatch"));
    // Mac Roman mojibake is reported with the repair proposed, and the text is not changed.
    let moji: Vec<_> = c.diagnostics.iter().filter(|d| d.code == "mojibake").collect();
    assert!(moji.iter().any(|d| d.repair.as_deref() == Some("## 📋 Pre-Deployment Requirements")), "{moji:#?}");
    assert!(c.source.contains("üìã"));
}

#[test]
fn seed_003_has_6_sign_offs_and_conditional_sections() {
    use preflight_core::model::{Gate, SlotKind};
    let c = seed("003");
    fn slot(i: &preflight_core::Item) -> (&str, SlotKind, Option<Gate>) {
        let s = i.sign_off.as_ref().unwrap();
        (s.role.as_str(), s.kind, i.gate)
    }
    let task_lines: Vec<_> = c.items.iter().filter(|i| i.kind == ItemKind::SignOff).map(slot).collect();
    use SlotKind::{Approval, Record};
    let (b, d, a) = (Some(Gate::Before), Some(Gate::During), Some(Gate::After));
    assert_eq!(
        task_lines,
        [
            ("Tech Lead", Approval, b),
            ("DevOps Lead", Approval, b),
            ("Product Owner", Approval, b),
            // "Post-Deployment Sign-Off": these answer for the after gate, not the go-live.
            ("Deployment Engineer", Record, a),
            ("QA Lead", Approval, a),
            ("Tech Lead", Approval, a),
        ]
    );
    // The two "Tech Lead" slots are in different sections, so they are different sign-offs.
    let ids: std::collections::HashSet<_> = c.sign_offs().map(|i| &i.id).collect();
    assert_eq!(ids.len(), 8);
    for title in ["Rollback Checklist", "Environment-Specific Checklists", "Special Deployment Scenarios"] {
        assert!(c.sections.iter().find(|s| s.title == title).unwrap().conditional, "{title}");
    }
    // The Notes block records who deployed and when (records of the during gate); the version
    // is a field.
    assert_eq!(
        c.slots.iter().map(slot).collect::<Vec<_>>(),
        [("Deployment Date", Record, d), ("Deployed By", Record, d)]
    );
    let labels: Vec<&str> = c.fields.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["Version"]);
}

#[test]
fn item_and_sign_off_counts_equal_the_task_count_of_each_seed() {
    let expected = [("000", 68), ("001", 87), ("002", 66), ("003", 183), ("004", 83)];
    for (prefix, count) in expected {
        assert_eq!(seed(prefix).items.len(), count, "seed {prefix}");
    }
}

#[test]
fn every_untouched_seed_is_no_go() {
    for (name, bytes) in fixtures::seeds() {
        let c = parse(&bytes);
        let run = Run::new(&c, "r1", "untouched", "2026-11-22T00:00:00Z");
        let card = score(&c, &run);
        assert_eq!(card.verdict, Verdict::NoGo, "{name}");
        assert_eq!(card.score_tenths, 0, "{name}");
        assert!(card.reasons.iter().any(|r| r.code == "below-threshold"), "{name}");
    }
}

#[test]
fn seed_004_done_items_move_the_score_through_its_bands() {
    let c = seed("004");
    let mut run = Run::new(&c, "r1", "v2.0.0", "2026-11-22T00:00:00Z");
    let card = score(&c, &run);
    // Items marked "(if applicable)"/"(if using …)" count only once done.
    let optional = c.tasks().filter(|i| i.optional).count() as u32;
    assert_eq!(card.counts.applicable, 75 - optional);
    let ids: Vec<String> = c.tasks().filter(|i| !i.optional).map(|i| i.id.clone()).collect();
    for id in &ids {
        run.set_status(&c, id, preflight_core::Status::Done, None, Some("ci"), "2026-11-22T01:00:00Z").unwrap();
    }
    let card = score(&c, &run);
    assert_eq!(card.score_tenths, 1000);
    assert_eq!(card.band.label, "Ready for production deployment");
    // Still NO-GO: nobody has signed.
    assert_eq!(card.verdict, Verdict::NoGo);
    assert_eq!(card.reasons.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["sign-off-missing"]);
}

#[test]
fn switched_off_section_is_neither_complete_nor_open() {
    let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
    let mut run = Run::new(&c, "r", "v", "2026-11-22T00:00:00Z");
    // The whole checklist: the rollback procedure is its contingency gate.
    fn score<'a>(c: &'a Checklist, run: &Run) -> preflight_core::Scorecard<'a> {
        preflight_core::score::score_gate(c, run, None)
    }
    let card = score(&c, &run);
    let rollback = card.sections.iter().find(|s| s.title.starts_with("4. Rollback")).unwrap();
    assert_eq!(preflight_core::score::section_percent(rollback), "off");
    assert_eq!(card.inactive.len(), 5, "3 rollback items + 2 optional items");
    let page = preflight_core::export::html::export(&c, &run, "now");
    assert!(page.contains("Open items (14)") && page.contains("Not counted (5)"), "{page}");
    // Switched on, its items count and are open.
    run.set_section(&c, &rollback.id, true, None, "2026-11-22T01:00:00Z").unwrap();
    let card = score(&c, &run);
    assert_eq!(card.inactive.len(), 2);
    assert_eq!(card.counts.applicable, 20);
}

/// A readable outline of the model: what a reviewer checks against the document.
fn outline(c: &Checklist) -> String {
    let mut out = String::new();
    writeln!(out, "title: {}", c.title).unwrap();
    writeln!(out, "source_sha256: {}", c.source_sha256).unwrap();
    for m in &c.metadata {
        writeln!(out, "meta {}:{} {} = {}", m.span.line, m.span.column, m.key, m.value).unwrap();
    }
    if let Some(d) = &c.declared_total {
        writeln!(out, "declared total: {} (line {})", d.count, d.span.line).unwrap();
    }
    match &c.rubric {
        Some(bands) => bands.iter().for_each(|b| writeln!(out, "band ≥{}%: {}", b.min, b.label).unwrap()),
        None => writeln!(out, "rubric: default").unwrap(),
    }
    for (i, s) in c.sections.iter().enumerate() {
        let gate = format!("gate={}", s.gate.map_or("none", |g| g.as_str()));
        let flags = [
            (true, gate.as_str()),
            (s.phase, "phase"),
            (s.conditional, "conditional"),
            (s.critical, "critical"),
            (s.non_blocking, "not-blocking"),
            (s.sign_off, "sign-off"),
        ]
        .iter()
        .filter(|f| f.0)
        .map(|f| f.1)
        .collect::<Vec<_>>()
        .join(",");
        writeln!(
            out,
            "{}§ {} [{}] {}",
            "  ".repeat(s.level as usize),
            if i == 0 { "(document)" } else { &s.title },
            s.id,
            flags
        )
        .unwrap();
        for b in &s.blocks {
            let pad = "  ".repeat(s.level as usize + 1);
            match b {
                Block::Item { item } => {
                    let mut stack = vec![(*item, 0usize)];
                    while let Some((i, depth)) = stack.pop() {
                        let it = &c.items[i];
                        let mut flags = Vec::new();
                        if it.critical {
                            flags.push("critical");
                        }
                        if it.optional {
                            flags.push("optional");
                        }
                        let kind = if it.kind == ItemKind::SignOff { "SIGN" } else { "item" };
                        let detail = match &it.sign_off {
                            Some(spec) => format!(
                                " role={} {:?} gate={:?} fields={:?}",
                                spec.role,
                                spec.kind,
                                it.gate,
                                spec.fields.iter().map(|f| (f.label.as_str(), f.value.as_deref())).collect::<Vec<_>>()
                            ),
                            None => String::new(),
                        };
                        writeln!(
                            out,
                            "{pad}{}{kind} {}:{} [{}] {} {} {{{}}}{detail} blocks={} details={}",
                            "  ".repeat(depth),
                            it.marker.line,
                            it.marker.column,
                            if it.checked { "x" } else { " " },
                            it.id,
                            it.text,
                            flags.join(","),
                            it.blocks().len(),
                            it.details().len()
                        )
                        .unwrap();
                        stack.extend(it.children().iter().rev().map(|&c| (c, depth + 1)));
                    }
                }
                Block::Code(code) => writeln!(
                    out,
                    "{pad}code {} `{}` {} lines",
                    code.span.line,
                    code.language,
                    code.text.lines().count()
                )
                .unwrap(),
                Block::Table(table) => writeln!(
                    out,
                    "{pad}table {} {} cols × {} rows",
                    table.span.line,
                    table.header.len(),
                    table.rows.len()
                )
                .unwrap(),
                Block::Paragraph(p) => writeln!(out, "{pad}paragraph {}", p.span.line).unwrap(),
                Block::List(list) => {
                    writeln!(out, "{pad}list {} ({} entries)", list.span.line, list.entries.len()).unwrap()
                }
                Block::Rule(_) => {}
            }
        }
    }
    for s in &c.slots {
        let spec = s.sign_off.as_ref().unwrap();
        writeln!(
            out,
            "slot {}:{} {} {:?} gate={:?} [{}]",
            s.span.line, s.span.column, spec.role, spec.kind, s.gate, s.id
        )
        .unwrap();
    }
    for f in &c.fields {
        writeln!(out, "field {}:{} {} [{}]", f.span.line, f.span.column, f.label, f.id).unwrap();
    }
    for d in &c.diagnostics {
        writeln!(out, "{} {}:{} {} {}", d.severity.as_str(), d.span.line, d.span.column, d.code, d.message).unwrap();
    }
    out
}

#[test]
fn seed_models_match_their_snapshots() {
    for (name, bytes) in fixtures::seeds() {
        let c = parse(&bytes);
        insta::assert_snapshot!(name.trim_end_matches(".md").to_string(), outline(&c));
    }
}

#[test]
fn sample_model_matches_its_snapshot() {
    let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
    insta::assert_snapshot!("sample", outline(&c));
}
