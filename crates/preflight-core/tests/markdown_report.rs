//! The Markdown report as people and tools meet it: rendered by GitHub's parser it shows the
//! run (states, reasons, notes, evidence, signers) outside comments and keeps the template's
//! checkboxes; one more tick changes a line or two a person reads; lines edited by hand are
//! reported with their line; reports written by earlier versions still import.

mod fixtures;

use std::io::Write;
use std::process::{Command, Stdio};

use preflight_core::export::markdown;
use preflight_core::export::verify::verify;
use preflight_core::import;
use preflight_core::{parse, Checklist, Run, Status};

const NOW: &str = "2026-12-01T12:30:00Z";

fn data(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// HTML as GitHub's parser (Debian's `cmark-gfm`) renders `markdown`, raw HTML kept (GitHub
/// keeps `<details>`, `<summary>` and comments); `None` when cmark-gfm is not installed
/// (a failure under `CI`, where scripts/test.sh installs it).
fn cmark_gfm(markdown: &str) -> Option<String> {
    let mut child = match Command::new("cmark-gfm")
        .args(["-e", "tasklist", "-e", "table", "--unsafe"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A skipped rendering check must not pass for a checked one where it counts.
            assert!(std::env::var_os("CI").is_none(), "CI must install cmark-gfm (the GitHub oracle)");
            return None;
        }
        Err(e) => panic!("cmark-gfm: {e}"),
    };
    let mut stdin = child.stdin.take().unwrap();
    let input = markdown.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success());
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The HTML without its comments: what a reader of the rendered page can see.
fn outside_comments(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("-->").map_or("", |j| &rest[i + j + 3..]);
    }
    out.push_str(rest);
    out
}

const RELEASE: &str = "# Payments API release

## Pre-Deployment
- [ ] Backups verified (critical)
- [ ] Schema migration reviewed
    - [ ] Dry run on staging
- [ ] Support briefed (optional)

## Sign-Off
- [ ] Tech Lead: ________ Date: ______
- [ ] SRE On-call: ________ Date: ______
";

fn id(c: &Checklist, text: &str) -> String {
    c.items.iter().find(|i| i.text.starts_with(text)).unwrap().id.clone()
}

/// A run with one of each: done with a note and evidence, N/A, blocked, signed.
fn release_run() -> (Checklist, Run) {
    let c = parse(RELEASE.as_bytes());
    let mut run = Run::new(&c, "run-1", "v3.1.0 to production", "2026-12-01T08:00:00Z");
    let backups = id(&c, "Backups");
    run.set_status(&c, &backups, Status::Done, None, Some("dana"), "2026-12-01T09:00:00Z").unwrap();
    run.set_note(
        &c,
        &backups,
        Some("restore took *12 min*, checked by <Kim>".into()),
        Some("dana"),
        "2026-12-01T09:01:00Z",
    )
    .unwrap();
    let evidence = "$ pg_restore --list backup.dump | wc -l\n1423\n``` not a fence\n\n$ echo done";
    run.set_evidence(&c, &backups, Some(evidence.into()), Some("dana"), "2026-12-01T09:02:00Z").unwrap();
    let schema = id(&c, "Schema");
    run.set_status(
        &c,
        &schema,
        Status::Na,
        Some("no schema change in 3.1".into()),
        Some("dana"),
        "2026-12-01T09:05:00Z",
    )
    .unwrap();
    let dry = id(&c, "Dry run");
    run.set_status(
        &c,
        &dry,
        Status::Blocked,
        Some("staging snapshot is 3 days old".into()),
        Some("sam"),
        "2026-12-01T09:06:00Z",
    )
    .unwrap();
    let lead = id(&c, "Tech Lead");
    run.sign(
        &c,
        &lead,
        "Dana Whitfield",
        "2026-12-01",
        "approved",
        Default::default(),
        Some("dana"),
        "2026-12-01T10:00:00Z",
    )
    .unwrap();
    (c, run)
}

#[test]
fn github_shows_each_state_its_reason_the_note_the_evidence_and_the_signer() {
    let (c, run) = release_run();
    let md = markdown::export(&c, &run, NOW);
    let Some(html) = cmark_gfm(&md) else {
        eprintln!("SKIPPED: cmark-gfm is not installed (apt-get install cmark-gfm), so the rendering is not checked");
        return;
    };
    let seen = outside_comments(&html);
    for shown in [
        "<strong>N/A</strong>: no schema change in 3.1 — dana, 2026-12-01 09:05 UTC",
        "<strong>Blocked</strong>: staging snapshot is 3 days old — sam, 2026-12-01 09:06 UTC",
        "<strong>Done</strong> — dana, 2026-12-01 09:02 UTC",
        // The note as typed: its stars and angle brackets are text, not markup.
        "<strong>Note</strong>: restore took *12 min*, checked by &lt;Kim&gt;",
        "<summary>Evidence (5 lines)</summary>",
        "<pre><code>$ pg_restore --list backup.dump | wc -l\n1423\n``` not a fence\n\n$ echo done\n</code></pre>",
        "Tech Lead: Dana Whitfield Date: 2026-12-01",
        "<strong>Signed</strong> by Dana Whitfield on 2026-12-01: approved — dana, 2026-12-01 10:00 UTC",
        "<strong>NO-GO</strong> · score <strong>50%</strong>",
    ] {
        assert!(seen.contains(shown), "not shown: {shown}\n{seen}");
    }
    // Each state sits inside its own item, right under its checkbox.
    let item = |text: &str| {
        let at = seen.find(text).unwrap();
        let start = seen[..at].rfind("<li>").unwrap();
        seen[start + 4..].split("<li><input").next().unwrap().to_string()
    };
    assert!(item("Schema migration reviewed").contains("<strong>N/A</strong>"), "{seen}");
    assert!(item("Dry run on staging").contains("<strong>Blocked</strong>"), "{seen}");
    // The machine data is a comment: nothing of it shows.
    assert!(!seen.contains("preflight.run/1") && !seen.contains("stateSha256"), "{seen}");
    // GitHub counts the same checkboxes as in the checklist, ticked where the run is done or signed.
    let template = cmark_gfm(RELEASE).unwrap();
    assert_eq!(html.matches("<input type=\"checkbox\"").count(), template.matches("<input type=\"checkbox\"").count());
    assert_eq!(html.matches("checked=\"\"").count(), 2, "Backups done and the Tech Lead signed");
}

/// Every fixture with a state on every item (reasons, notes, evidence, signatures): GitHub's
/// parser finds exactly the checklist's checkboxes in the report, so the lines added under
/// items neither swallow an item nor add one.
#[test]
fn the_lines_under_items_keep_every_checkbox_of_every_fixture() {
    if cmark_gfm("").is_none() {
        eprintln!("SKIPPED: cmark-gfm is not installed");
        return;
    }
    let documents = fixtures::seeds().into_iter().chain(fixtures::corpus());
    for (name, bytes) in documents {
        let c = parse(&bytes);
        let mut run = Run::new(&c, "r", "every state", "2026-12-01T08:00:00Z");
        let tasks: Vec<String> = c.tasks().map(|i| i.id.clone()).collect();
        for (n, task) in tasks.iter().enumerate() {
            let (status, reason) = match n % 4 {
                0 => (Status::Done, None),
                1 => (Status::Na, Some("not this time".to_string())),
                2 => (Status::Blocked, Some("waiting".to_string())),
                _ => (Status::Todo, None),
            };
            run.set_status(&c, task, status, reason, Some("dana"), "2026-12-01T09:00:00Z").unwrap();
            if n % 3 == 0 {
                run.set_note(&c, task, Some("a note\non two lines".into()), Some("dana"), "2026-12-01T09:01:00Z")
                    .unwrap();
                run.set_evidence(&c, task, Some("$ make check\nok\n\n```".into()), None, "2026-12-01T09:02:00Z")
                    .unwrap();
            }
        }
        let signoffs: Vec<String> = c.sign_offs().map(|i| i.id.clone()).collect();
        for s in &signoffs {
            run.sign(
                &c,
                s,
                "Dana Whitfield",
                "2026-12-01",
                "approved",
                Default::default(),
                None,
                "2026-12-01T10:00:00Z",
            )
            .unwrap();
        }
        let md = markdown::export(&c, &run, NOW);
        let boxes = |html: &str| html.matches("<input type=\"checkbox\"").count();
        let (in_template, in_report) = (boxes(&cmark_gfm(&c.source).unwrap()), boxes(&cmark_gfm(&md).unwrap()));
        assert_eq!(in_report, in_template, "{name}: checkboxes in the rendered report");
    }
}

/// The number of lines of `b` that are not in a longest common subsequence with `a`, and of `a`
/// not in it with `b`: what a line diff shows as added and removed.
fn changed_lines(a: &[&str], b: &[&str]) -> (usize, usize) {
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let common = lcs[0][0] as usize;
    (b.len() - common, a.len() - common)
}

/// The lines of a report a person reads: all but the machine block at its end.
fn read_by_people(md: &str) -> Vec<&str> {
    md[..md.rfind(&format!("\n{}\n", markdown::DATA_BEGIN)).unwrap()].lines().collect()
}

#[test]
fn one_more_tick_changes_three_lines_a_person_reads_at_most() {
    let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
    let mut run = Run::new(&c, "r1", "v2.4.0 to production", "2026-12-01T08:00:00Z");
    let tasks: Vec<String> = c.tasks().map(|i| i.id.clone()).collect();
    for id in tasks.iter().take(4) {
        run.set_status(&c, id, Status::Done, None, Some("dana"), "2026-12-01T09:00:00Z").unwrap();
    }
    run.set_status(&c, &tasks[4], Status::Na, Some("no schema change".into()), Some("dana"), "2026-12-01T09:05:00Z")
        .unwrap();
    let lead = c.sign_offs().next().unwrap().id.clone();
    run.sign(
        &c,
        &lead,
        "Dana Whitfield",
        "2026-12-01",
        "approved",
        Default::default(),
        Some("dana"),
        "2026-12-01T09:30:00Z",
    )
    .unwrap();
    let before = markdown::export(&c, &run, "2026-12-01T10:00:00Z");
    run.set_status(&c, &tasks[6], Status::Done, None, Some("sam"), "2026-12-01T10:10:00Z").unwrap();
    let after = markdown::export(&c, &run, "2026-12-01T10:15:00Z");
    let (added, removed) = changed_lines(&read_by_people(&before), &read_by_people(&after));
    // The item's box, the line under it that says who and when, the summary's counts.
    assert!(added <= 3 && removed <= 2, "{added} lines added, {removed} removed");
    assert!(added >= 2, "the tick shows: {added} lines added");
    // The machine block changes as it must: the item, the state hash, a log entry, an edit.
    let block =
        |md: &str| md[md.rfind(markdown::DATA_BEGIN).unwrap()..].lines().map(str::to_string).collect::<Vec<_>>();
    let (b, a) = (block(&before), block(&after));
    let (added, removed) = changed_lines(
        &b.iter().map(String::as_str).collect::<Vec<_>>(),
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(added <= 8 && removed <= 4, "machine block: {added} lines added, {removed} removed");
}

#[test]
fn the_summary_and_the_document_escape_only_what_markdown_needs() {
    let (c, mut run) = release_run();
    run.rename("v3.1.0 — 100% rollout", "2026-12-01T08:10:00Z");
    let md = markdown::export(&c, &run, NOW);
    let summary = &md[..md.find(markdown::SUMMARY_END).unwrap()];
    assert!(summary.contains("run “v3.1.0 — 100% rollout”\n"), "{summary}");
    assert!(summary.contains(
        "score **50%** (Do not deploy) · 1/2 items done · 1 N/A · 1 blocked · 1/2 sign-offs signed · exported 2026-12-01T12:30:00Z"
    ));
    for needless in ["\\-", "\\%", "\\.", "\\:", "\\u002d", "\\u005f", "\\u0060"] {
        assert!(!md.contains(needless), "`{needless}` in\n{md}");
    }
    // One comment holds the machine data, at the end; no line carries a comment of its own.
    let comments: Vec<&str> = md.lines().filter(|l| l.contains("<!--")).collect();
    assert_eq!(comments, [markdown::SUMMARY_BEGIN, markdown::SUMMARY_END, markdown::DATA_BEGIN]);
    assert!(md.ends_with("}\n-->\n"));
}

#[test]
fn a_state_line_edited_by_hand_is_reported_with_its_line() {
    let (c, run) = release_run();
    let md = markdown::export(&c, &run, NOW);
    let line = md.lines().position(|l| l.contains("no schema change in 3.1")).unwrap() + 1;
    for (what, from, to) in [
        ("same length", "no schema change in 3.1", "no schema change in 3.2"),
        ("longer", "no schema change in 3.1", "no schema change in 3.1 or 3.2"),
        ("the state", "**N/A**: no schema", "**Done**: no schema"),
    ] {
        let edited = md.replacen(from, to, 1);
        for template in [None, Some(&c)] {
            let err = match import::from_markdown(&edited, template) {
                Ok(_) => panic!("{what} (template {}): read as if nothing happened", template.is_some()),
                Err(e) => e.to_string(),
            };
            // Without its checklist, a report whose lines do not come back to it is one edited
            // beyond its boxes; otherwise the line is named.
            let named = err.contains(&format!("line {line} of the report was changed by hand"));
            assert!(named || (template.is_none() && err.contains("template")), "{what}: {err}");
            if what == "same length" || template.is_some() {
                assert!(named, "{what} (template {}): {err}", template.is_some());
                assert!(err.contains(to.trim_start_matches("**")), "{err}");
            }
        }
        let v = verify(&edited, Some(&c)).unwrap();
        assert_eq!(v.differences.first().map(|d| d.place.as_str()), Some(format!("line {line}").as_str()), "{what}");
    }
}

#[test]
fn a_box_ticked_or_cleared_by_hand_is_read_as_done_or_open() {
    let (c, run) = release_run();
    let md = markdown::export(&c, &run, NOW);
    // On GitHub: the N/A item ticked, the done one cleared, the second sign-off ticked.
    let edited = md
        .replacen("- [ ] Schema migration reviewed", "- [x] Schema migration reviewed", 1)
        .replacen("- [x] Backups verified", "- [ ] Backups verified", 1)
        .replacen("- [ ] SRE On-call", "- [x] SRE On-call", 1);
    for template in [None, Some(&c)] {
        let back = import::from_markdown(&edited, template).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.template.as_deref(), Some(c.source.as_str()));
        let schema = back.run.item(&id(&c, "Schema"));
        assert_eq!((schema.status, schema.reason), (Status::Done, None));
        let backups = back.run.item(&id(&c, "Backups"));
        assert_eq!(backups.status, Status::Todo);
        assert!(backups.note.is_some() && backups.evidence.is_some(), "the note and evidence stay");
        let sre = &back.run.sign_offs[&id(&c, "SRE")];
        assert_eq!(sre.signature.as_ref().unwrap().meaning, "signed in the document");
    }
    // verify sees what changed.
    assert!(!verify(&edited, Some(&c)).unwrap().ok());
}

/// Given its checklist, a report whose document text was edited (an item reworded, names
/// written on a sign-off line by hand) is read by item id, as before; its state lines must
/// still be what was written.
#[test]
fn an_edited_document_is_read_with_its_checklist() {
    let (c, run) = release_run();
    let md = markdown::export(&c, &run, NOW);
    let edited = md.replacen("Support briefed (optional)", "Support and sales briefed (optional)", 1).replacen(
        "- [ ] SRE On-call: ________ Date: ______",
        "- [x] SRE On-call: Sam Lee Date: 2026-12-02",
        1,
    );
    assert!(import::from_markdown(&edited, None).is_err(), "not without its checklist");
    let back = import::from_markdown(&edited, Some(&c)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.run.item(&id(&c, "Schema")).reason.as_deref(), Some("no schema change in 3.1"));
    let sre = back.run.sign_offs[&id(&c, "SRE")].signature.clone().unwrap();
    assert_eq!((sre.name.as_str(), sre.date.as_str()), ("Sam Lee", "2026-12-02"));
    // A state line edited as well is still named.
    let both = edited.replacen("3 days old", "a week old", 1);
    let err = import::from_markdown(&both, Some(&c)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("was changed by hand") && err.contains("a week old"), "{err}");
}

/// Given its checklist, an edited report's boxes are its items' by place: an item whose words
/// were edited keeps its box; items added, removed or moved are refused with their line, never
/// read for another item (removing one of two items of the same words moved the other's tick).
#[test]
fn an_edited_report_reads_boxes_by_place_and_refuses_items_added_removed_or_moved() {
    let (c, run) = release_run();
    let md = markdown::export(&c, &run, NOW);
    let reworded = md.replacen("- [ ] Support briefed (optional)", "- [x] Support and sales briefed (optional)", 1);
    let back = import::from_markdown(&reworded, Some(&c)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.run.item(&id(&c, "Support")).status, Status::Done, "the reworded item's tick is read");

    let twice = "# Restart\n\n## Clusters\n- [ ] Restart service\n  blue cluster\n- [ ] Restart service\n  green cluster\n- [ ] Announce\n";
    let c2 = parse(twice.as_bytes());
    let run2 = Run::new(&c2, "r", "restart", "2026-12-01T08:00:00Z");
    let md2 = markdown::export(&c2, &run2, NOW);
    let removed = md2.replacen("- [ ] Restart service\n  blue cluster\n", "", 1).replacen(
        "- [ ] Restart service",
        "- [x] Restart service",
        1,
    );
    let err = import::from_markdown(&removed, Some(&c2)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.contains("items were added or removed by hand") && err.contains("2 in the report, 3 in the checklist"),
        "{err}"
    );
    let line = md2.lines().position(|l| l.starts_with("- [ ] Restart service")).unwrap() + 1;
    assert!(err.starts_with(&format!("line {line} of the report")), "{err}");

    let two = parse("# T\n\n- [ ] Alpha\n- [ ] Beta\n- [ ] Gamma\n".as_bytes());
    let md3 = markdown::export(&two, &Run::new(&two, "r", "t", "2026-12-01T08:00:00Z"), NOW);
    let moved = md3.replacen("- [ ] Alpha\n- [ ] Beta\n", "- [x] Beta\n- [ ] Alpha\n", 1);
    assert_ne!(moved, md3);
    let err = import::from_markdown(&moved, Some(&two)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("items were moved by hand"), "{err}");
}

/// Templates whose shape makes the lines under an item harder to place: the last line without
/// a line end, block quotes, ordered lists, tabs, an item with no words, all front matter.
#[test]
fn awkward_templates_round_trip_and_render_their_checkboxes() {
    let documents = [
        "# T\n- [ ] last line without a line end",
        "# T\n> - [ ] quoted\n>   - [ ] quoted child\n> - [ ] quoted sibling\n",
        "# T\n1. [ ] first\n2. [ ] second\n\n   more of the second\n",
        "# T\n-\t[ ] tab after the marker\n\t- [ ] tab-indented child\n",
        "# T\n- [ ] \n- [ ] the one before has no words\n",
        "---\ntitle: only front matter\n---",
        "---\ntitle: T\n---\n- [ ] after front matter",
        "# T\n- [ ] item\n  ```\n  code in the item\n  ```\n- [ ] next\n",
        "# T\n- [ ] a\n\n- [ ] loose list\n",
    ];
    for doc in documents {
        let c = parse(doc.as_bytes());
        let mut run = Run::new(&c, "r", "awkward", "2026-12-01T08:00:00Z");
        for (n, task) in c.tasks().map(|i| i.id.clone()).collect::<Vec<_>>().iter().enumerate() {
            let status = if n % 2 == 0 { Status::Na } else { Status::Done };
            run.set_status(&c, task, status, Some("because".into()), Some("dana"), "2026-12-01T09:00:00Z").unwrap();
            run.set_evidence(&c, task, Some("ok\r\nline two\0".into()), None, "2026-12-01T09:01:00Z").unwrap();
        }
        let md = markdown::export(&c, &run, NOW);
        let back = import::from_markdown(&md, None).unwrap_or_else(|e| panic!("{doc:?}: {e}\n{md}"));
        assert_eq!(back.template.as_deref(), Some(c.source.as_str()), "{doc:?}");
        assert_eq!(back.run, run.compacted(), "{doc:?}");
        assert!(verify(&md, Some(&c)).unwrap().ok(), "{doc:?}");
        if let (Some(template), Some(report)) = (cmark_gfm(&c.source), cmark_gfm(&md)) {
            let boxes = |html: &str| html.matches("<input type=\"checkbox\"").count();
            assert_eq!(boxes(&report), boxes(&template), "{doc:?}\n{md}\n{report}");
        }
    }
}

/// A checklist read with corrections kept beside it (in the browser): its report carries them,
/// and imports and verifies with the plain template as well as alone.
#[test]
fn a_report_read_with_corrections_imports_with_the_plain_template() {
    let plain = parse(RELEASE.as_bytes());
    let support = id(&plain, "Support");
    let correction = preflight_core::model::Correction {
        id: support.clone(),
        what: "sign-off".into(),
        value: "true".into(),
        line: 0,
    };
    let c = preflight_core::parse::parse_with_corrections(RELEASE.as_bytes(), &[correction]);
    let mut run = Run::new(&c, "r", "corrected", "2026-12-01T08:00:00Z");
    run.sign(
        &c,
        &support,
        "Kim Park",
        "2026-12-01",
        "briefed",
        Default::default(),
        Some("kim"),
        "2026-12-01T09:00:00Z",
    )
    .unwrap();
    let md = markdown::export(&c, &run, NOW);
    assert!(md.contains("**Signed** by Kim Park on 2026-12-01: briefed"), "{md}");
    for template in [None, Some(&plain)] {
        let back = import::from_markdown(&md, template).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.run, run.compacted());
    }
    assert!(verify(&md, Some(&plain)).unwrap().ok());
    // Its document text edited too: read by id, the corrected item still a sign-off.
    let edited = md.replacen("Backups verified (critical)", "Backups verified and restored (critical)", 1);
    let back = import::from_markdown(&edited, Some(&plain)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.run.sign_offs[&support].signature.as_ref().unwrap().name, "Kim Park");
}

/// `tests/data/report-format-1.md` was written by the exporter before reports moved their state
/// out of HTML comments (an annotation after each checkbox, the run in the summary on top). It
/// must keep importing, with its template or without.
#[test]
fn a_report_in_the_first_format_still_imports() {
    let report = data("report-format-1.md");
    let template = data("report-format-1.template.md");
    let expected = Run::from_json(&data("report-format-1.run.json")).unwrap();
    let alone = import::from_markdown(&report, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(alone.template.as_deref(), Some(template.as_str()), "the template is rebuilt byte for byte");
    assert_eq!(alone.run, expected);
    let c = parse(template.as_bytes());
    let with = import::from_markdown(&report, Some(&c)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(with.run, expected);
    // Exported again, it is a report of today's format with the same run.
    let again = markdown::export(&c, &with.run, NOW);
    assert_eq!(import::from_markdown(&again, None).unwrap().run, expected);
    // It cannot be recomputed, and verify says so rather than listing differences.
    let err = verify(&report, Some(&c)).err().unwrap_or_default();
    assert!(err.contains("first report format"), "{err}");
}

/// A report of the first format keeps no record of what its export wrote beyond its edit log, so
/// it is read for its boxes, its comments and names typed on a ticked sign-off line. Anything
/// else typed into it is refused with its line: read by id, a reworded item lost its state, and
/// a typed line was dropped without a word.
#[test]
fn a_first_format_report_refuses_what_it_cannot_read() {
    let report = data("report-format-1.md");
    let c = parse(data("report-format-1.template.md").as_bytes());
    let sre = id(&c, "SRE");
    let support = id(&c, "Support");
    let read = |text: &str| import::from_markdown(text, Some(&c));
    let line_of = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;

    // What it can read: a box ticked by hand, and names typed on a ticked sign-off line.
    let ticked = report.replacen("- [ ] Support briefed (optional)", "- [x] Support briefed (optional)", 1);
    assert_eq!(read(&ticked).unwrap_or_else(|e| panic!("{e}")).run.item(&support).status, Status::Done);
    let signed =
        report.replacen("- [ ] SRE On-call: ________ Date: ______", "- [x] SRE On-call: Sam Lee Date: 2026-12-02", 1);
    let back = read(&signed).unwrap_or_else(|e| panic!("{e}")).run;
    assert_eq!(back.sign_offs[&sre].signature.as_ref().map(|s| s.name.as_str()), Some("Sam Lee"));
    // Trailing spaces an editor adds or strips change nothing a reader sees.
    let spaced = report.replacen("- [ ] Support briefed (optional)\n", "- [ ] Support briefed (optional)  \n", 1);
    assert_eq!(
        read(&spaced).unwrap_or_else(|e| panic!("{e}")).run,
        read(&report).unwrap_or_else(|e| panic!("{e}")).run
    );

    // What it cannot: each refused with the report line where it was typed.
    let note = report.replacen(
        "- [ ] Support briefed (optional)\n",
        "- [ ] Support briefed (optional)\n  waiting for the support lead\n",
        1,
    );
    let reworded = report.replacen("Support briefed (optional)", "Support team briefed (optional)", 1);
    let unticked_names = report.replacen("SRE On-call: ________", "SRE On-call: Sam Lee", 1);
    let field = report.replacen("**QA Lead:** ____________", "**QA Lead:** Kim Ode", 1);
    let removed = report.replacen("- [ ] Support briefed (optional)\n", "", 1);
    for (edited, at) in [
        (&note, line_of(&note, "waiting for the support lead")),
        (&reworded, line_of(&reworded, "Support team briefed")),
        (&unticked_names, line_of(&unticked_names, "Sam Lee")),
        (&field, line_of(&field, "Kim Ode")),
        (&removed, line_of(&removed, "Quoted item in a note")),
    ] {
        let err = read(edited).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains(&format!("line {at} of the report was changed by hand")), "{err}");
        assert!(import::from_markdown(edited, None).is_err(), "without its checklist it cannot be read either");
    }
}

const FILLED_BY_HAND: &str = "# Payments API release

Version: ________

## Pre-Deployment
- [ ] Backups verified (critical)
- [ ] Schema migration reviewed
- [ ] Latency checked: p95 ____ ms
- [ ] Support briefed

## Sign-Off
- [ ] Tech Lead: ________ Date: ______

| Role | Name | Date |
|------|------|------|
| Product owner | ________ | ______ |
";

/// Given its checklist, what a person typed into a report by hand is read where the run has a
/// place for it (a blank filled: the field's value; a line under a task: its note; names in a
/// sign-off row: signed in the document) and refused with its line where it has none; never
/// dropped. A value the export wrote, changed by hand, is refused like its other lines.
#[test]
fn what_is_typed_into_a_report_is_read_or_refused_never_dropped() {
    let c = parse(FILLED_BY_HAND.as_bytes());
    let mut run = Run::new(&c, "run-1", "v3.1.0", "2026-12-01T08:00:00Z");
    let backups = id(&c, "Backups");
    run.set_status(&c, &backups, Status::Done, None, Some("dana"), "2026-12-01T09:00:00Z").unwrap();
    run.set_note(&c, &backups, Some("restore took 12 min".into()), Some("dana"), "2026-12-01T09:01:00Z").unwrap();
    let md = markdown::export(&c, &run, NOW);
    assert!(md.contains("Version: ________\n") && md.contains("| Product owner | ________ | ______ |"), "{md}");
    let field = |c: &Checklist, label: &str| c.fields.iter().find(|f| f.label.contains(label)).unwrap().id.clone();

    let typed = md
        .replacen("Version: ________", "Version: 3.1.0", 1)
        .replacen("- [ ] Latency checked: p95 ____ ms", "- [x] Latency checked: p95 182 ms", 1)
        .replacen(
            "- [ ] Schema migration reviewed\n",
            "- [ ] Schema migration reviewed\n  waiting on the DBA, ticket 4411\n",
            1,
        )
        .replacen("restore took 12 min\n", "restore took 12 min\n  - second restore: 9 min\n", 1)
        .replacen("| Product owner | ________ | ______ |", "| Product owner | Kim Ode | 2026-12-02 |", 1)
        .replacen(
            "- [ ] Support briefed\n",
            "- [x] Support briefed\n  ```\n  $ grep -c ack support.log\n  14\n  ```\n",
            1,
        );
    assert!(import::from_markdown(&typed, None).is_err(), "without its checklist it cannot be read");
    let back = import::from_markdown(&typed, Some(&c)).unwrap_or_else(|e| panic!("{e}")).run;
    assert_eq!(back.fields[&field(&c, "Version")].value, "3.1.0");
    assert_eq!(back.fields[&field(&c, "p95")].value, "182");
    let latency = id(&c, "Latency");
    assert_eq!(back.item(&latency).status, Status::Done, "its box is read as well");
    assert_eq!(back.item(&id(&c, "Schema")).note.as_deref(), Some("waiting on the DBA, ticket 4411"));
    assert_eq!(back.item(&backups).note.as_deref(), Some("restore took 12 min\nsecond restore: 9 min"));
    let support = back.item(&id(&c, "Support"));
    assert_eq!(support.evidence.as_deref(), Some("$ grep -c ack support.log\n14"), "a code block typed is evidence");
    assert_eq!((support.status, support.note.as_deref()), (Status::Done, None));
    let owner = c.slots.iter().find(|s| s.text.contains("Product owner")).unwrap();
    let sig = back.sign_offs[&owner.id].signature.clone().expect("the row is signed in the document");
    assert_eq!(
        (sig.name.as_str(), sig.date.as_str(), sig.meaning.as_str()),
        ("Kim Ode", "2026-12-02", "signed in the document")
    );
    assert!(sig.gate_state_sha256.is_some(), "it signs the state the report shows");
    // Exported again, all of it is there, and it reads back the same without a hand in it.
    let again = markdown::export(&c, &back, NOW);
    assert!(again.contains("Version: 3.1.0") && again.contains("ticket 4411"), "{again}");
    assert_eq!(import::from_markdown(&again, Some(&c)).unwrap().run, back);
    // A reworded heading is the checklist's words, not the run's: read as the checklist says.
    let heading = typed.replacen("## Pre-Deployment", "## Before deploying", 1);
    assert_eq!(import::from_markdown(&heading, Some(&c)).unwrap().run, back);

    let refused = |text: &str| import::from_markdown(text, Some(&c)).err().map(|e| e.to_string()).unwrap_or_default();
    let line = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let outside = md.replacen("## Sign-Off\n", "Deployed at 10:02 by Sam.\n\n## Sign-Off\n", 1);
    let err = refused(&outside);
    assert!(err.starts_with(&format!("line {} of the report", line(&outside, "Deployed at"))), "{err}");
    assert!(err.contains("outside any item") && err.contains("Deployed at 10:02 by Sam."), "{err}");
    let in_summary =
        md.replacen("<!-- preflight:summary:end -->", "> deployed by Sam at 10:02\n<!-- preflight:summary:end -->", 1);
    let err = refused(&in_summary);
    assert!(
        err.starts_with(&format!("line {} of the report is in the summary", line(&in_summary, "deployed by Sam"))),
        "{err}"
    );
    assert!(import::from_markdown(&in_summary, None).is_err(), "nor without its checklist");
    let under_sign_off = md.replacen(
        "- [ ] Tech Lead: ________ Date: ______\n",
        "- [ ] Tech Lead: ________ Date: ______\n  on leave until Monday\n",
        1,
    );
    assert!(refused(&under_sign_off).contains("under the sign-off “Tech Lead”"), "{}", refused(&under_sign_off));
    let unticked =
        md.replacen("- [ ] Tech Lead: ________ Date: ______", "- [ ] Tech Lead: Dana Whitfield Date: ______", 1);
    let err = refused(&unticked);
    assert!(
        err.contains("its box is not ticked") && err.contains(&format!("line {}", line(&unticked, "Tech Lead:"))),
        "{err}"
    );
    let reworded = md.replacen("Version: ________", "Release version 3.1.0", 1);
    assert!(refused(&reworded).contains("changed by hand around a blank"), "{}", refused(&reworded));
    let no_name = md.replacen("| Product owner | ________ | ______ |", "| Product owner | ________ | 2026-12-02 |", 1);
    assert!(refused(&no_name).contains("without a name"), "{}", refused(&no_name));
    // A value the export wrote, changed by hand.
    let mut filled_run = run.clone();
    filled_run.set_field(&c, &field(&c, "Version"), "3.1.0", Some("dana"), "2026-12-01T09:30:00Z").unwrap();
    let md2 = markdown::export(&c, &filled_run, NOW);
    let changed = md2.replacen("Version: 3.1.0", "Version: 3.1.1", 1).replacen(
        "- [ ] Support briefed",
        "- [ ] Support team briefed",
        1,
    );
    let err = refused(&changed);
    assert!(err.contains("was changed by hand") && err.contains("3.1.1"), "{err}");
}

/// Templates of every shape a typed line may land in: nested, quoted, loose and ordered lists,
/// code in an item, fields and sign-off rows, a last line without a line end.
const SHAPES: [&str; 6] = [
    FILLED_BY_HAND,
    RELEASE,
    "# T\n> - [ ] quoted\n>   - [ ] quoted child\n> - [ ] quoted sibling\n",
    "# T\n1. [ ] first\n2. [ ] second\n\n   more of the second\n\nA paragraph.\n",
    "# T\n- [ ] item\n  ```\n  code in the item\n  ```\n- [ ] a\n\n- [ ] loose list\n\n| Role | Name |\n|---|---|\n| QA | ____ |",
    "# T\n- [ ] last line without a line end",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

    /// One line typed anywhere into a report, read with its checklist: either the run has it
    /// (as a note, a value, a signature) or the import is refused; it is never read and lost.
    #[test]
    fn a_line_typed_anywhere_is_kept_or_refused(
        shape in 0..SHAPES.len(),
        at in 0usize..200,
        lead in proptest::sample::select(vec!["", "  ", "    ", "\t", "> ", "  - ", "- ", "  > ", "| "]),
        done in proptest::prelude::any::<bool>(),
    ) {
        let c = parse(SHAPES[shape].as_bytes());
        let mut run = Run::new(&c, "r", "typed", "2026-12-01T08:00:00Z");
        if done {
            for task in c.tasks().map(|i| i.id.clone()).collect::<Vec<_>>() {
                run.set_status(&c, &task, Status::Done, None, Some("dana"), "2026-12-01T09:00:00Z").unwrap();
            }
        }
        let md = markdown::export(&c, &run, NOW);
        let mut lines: Vec<&str> = md.split('\n').collect();
        let typed = format!("{lead}zq17 typed by hand");
        lines.insert(at % lines.len(), &typed);
        let edited = lines.join("\n");
        if let Ok(back) = import::from_markdown(&edited, Some(&c)) {
            proptest::prop_assert!(
                back.run.canonical_json().contains("zq17 typed by hand"),
                "read without the typed line:\n{edited}"
            );
        }
    }
}

/// Lines are compared between the same two items: every item of a long checklist reworded
/// reads as before; a long stretch between two items reads as a short one would (a log pasted
/// under an item, hundreds of blanks filled, prose reworded), and one rewritten beyond what can
/// be compared line by line in bounded time is refused with its line.
#[test]
fn a_report_is_compared_stretch_by_stretch_and_refused_where_rewritten() {
    let doc: String =
        std::iter::once("# Long\n\n".to_string()).chain((0..1500).map(|i| format!("- [ ] step {i}\n"))).collect();
    let c = parse(doc.as_bytes());
    let md = markdown::export(&c, &Run::new(&c, "r", "long", "2026-12-01T08:00:00Z"), NOW);
    let all = md.replace("- [ ] step", "- [ ] stage").replacen("- [ ] stage 7\n", "- [x] stage 7\n", 1);
    let back = import::from_markdown(&all, Some(&c)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.run.items.len(), 1, "every item reworded, one ticked");

    // A log of 3,000 lines pasted under an item: its note, every line of it.
    let c = parse(b"# Deploy\n\n- [ ] Smoke tests pass\n- [ ] Announce\n");
    let md = markdown::export(&c, &Run::new(&c, "r", "log", "2026-12-01T08:00:00Z"), NOW);
    let log: String = (0..3000).map(|i| format!("  test {i} ... ok\n")).collect();
    let pasted = md.replacen("- [ ] Smoke tests pass\n", &format!("- [ ] Smoke tests pass\n{log}"), 1);
    let back = import::from_markdown(&pasted, Some(&c)).unwrap_or_else(|e| panic!("{e}")).run;
    let note = back.item(&id(&c, "Smoke")).note.clone().unwrap_or_default();
    assert_eq!((note.lines().count(), note.lines().last()), (3000, Some("test 2999 ... ok")));

    // 600 blanks between two items, every one filled: more differing lines (1,200) than the
    // comparison once took.
    let blanks: String = (0..600).map(|i| format!("Host {i} latency: ____ ms\n\n")).collect();
    let doc = format!("# Checks\n\n- [ ] first\n\n{blanks}- [ ] last\n");
    let c = parse(doc.as_bytes());
    assert_eq!(c.fields.len(), 600);
    let md = markdown::export(&c, &Run::new(&c, "r", "fills", "2026-12-01T08:00:00Z"), NOW);
    let mut filled = md.clone();
    for i in 0..600 {
        filled =
            filled.replacen(&format!("Host {i} latency: ____ ms"), &format!("Host {i} latency: {} ms", 100 + i), 1);
    }
    let back = import::from_markdown(&filled, Some(&c)).unwrap_or_else(|e| panic!("{e}")).run;
    let values: Vec<String> = c.fields.iter().map(|f| back.fields[&f.id].value.clone()).collect();
    assert_eq!(values, (0..600).map(|i| (100 + i).to_string()).collect::<Vec<_>>());

    // Prose reworded reads alike whether it is 3 lines or 1,500 long; 5,000 lines rewritten
    // whole between two items are more than the comparison is allowed to take on.
    let reworded = |lines: usize| {
        let prose: String = (0..lines).map(|i| format!("Paragraph line {i}.\n")).collect();
        let doc = format!("# Long\n\n- [ ] first\n\n{prose}\n- [ ] last\n");
        let c = parse(doc.as_bytes());
        let md = markdown::export(&c, &Run::new(&c, "r", "long", "2026-12-01T08:00:00Z"), NOW);
        let rewritten = md.replace("Paragraph line", "Rewritten line");
        (import::from_markdown(&rewritten, Some(&c)).map(|b| b.run.items.len()).map_err(|e| e.to_string()), rewritten)
    };
    assert_eq!(reworded(3).0, Ok(0));
    assert_eq!(reworded(1500).0, Ok(0));
    let (err, rewritten) = reworded(5_000);
    let err = err.err().unwrap_or_default();
    let line = rewritten.lines().position(|l| l == "- [ ] first").unwrap() + 2;
    assert!(
        err.starts_with(&format!("line {line} of the report: from here on the report was changed by hand too much")),
        "{err}"
    );
}

/// What a review found typed text could still do: words added after an item's own, a line typed
/// between an item and the lines the export wrote under it, underscores left beside a value,
/// names written over a row signed already; and reformatting around a blank left blank is no
/// hand edit to refuse.
#[test]
fn typed_beside_an_item_or_a_blank_is_read_and_reformatting_is_not_refused() {
    let c = parse(FILLED_BY_HAND.as_bytes());
    let mut run = Run::new(&c, "run-1", "v3.1.0", "2026-12-01T08:00:00Z");
    let backups = id(&c, "Backups");
    run.set_note(&c, &backups, Some("restore took 12 min".into()), Some("dana"), "2026-12-01T09:01:00Z").unwrap();
    let md = markdown::export(&c, &run, NOW);
    let read = |text: &str| import::from_markdown(text, Some(&c)).unwrap_or_else(|e| panic!("{e}\n{text}")).run;
    let field = |label: &str| c.fields.iter().find(|f| f.label.contains(label)).unwrap().id.clone();

    let appended = md.replacen("- [ ] Support briefed\n", "- [x] Support briefed — told them on Slack\n", 1);
    let back = read(&appended);
    let support = back.item(&id(&c, "Support"));
    assert_eq!((support.status, support.note.as_deref()), (Status::Done, Some("told them on Slack")));

    let between = md.replacen(
        "- [ ] Backups verified (critical)\n",
        "- [ ] Backups verified (critical)\n  typed above the note\n",
        1,
    );
    assert_eq!(read(&between).item(&backups).note.as_deref(), Some("restore took 12 min\ntyped above the note"));

    // The export's own line under an item replaced by a typed one: refused, naming that line.
    let open = md.lines().find(|l| l.starts_with("  - **Open** — dana")).unwrap_or_else(|| panic!("{md}"));
    let replaced = md.replacen(&format!("{open}\n"), "  restore took 14 min\n", 1);
    let err = import::from_markdown(&replaced, Some(&c)).err().map(|e| e.to_string()).unwrap_or_default();
    let line = replaced.lines().position(|l| l == "  restore took 14 min").unwrap() + 1;
    assert!(
        err.starts_with(&format!("line {line} of the report was changed by hand: it reads “restore took 14 min”")),
        "{err}"
    );

    let leftover = md.replacen("Version: ________", "Version: ________ 3.1", 1);
    assert_eq!(read(&leftover).fields[&field("Version")].value, "3.1");

    let padded = md
        .replacen("| Product owner | ________ | ______ |", "| Product owner   | ________ | ______ |", 1)
        .replacen("- [ ] Latency checked: p95 ____ ms", "- [x] Latency check: p95 ____ ms", 1);
    let back = read(&padded);
    assert_eq!(back.item(&id(&c, "Latency")).status, Status::Done);
    assert!(back.fields.is_empty() && back.sign_offs.is_empty(), "nothing was written in the blanks");

    let owner = c.slots.iter().find(|s| s.text.contains("Product owner")).unwrap().id.clone();
    let mut signed = run.clone();
    signed
        .sign(&c, &owner, "Kim Ode", "2026-12-02", "approved", Default::default(), None, "2026-12-02T10:00:00Z")
        .unwrap();
    let md2 = markdown::export(&c, &signed, NOW);
    let same = md2.replacen("| Product owner | ________ | ______ |", "| Product owner | Kim Ode | 2026-12-02 |", 1);
    assert_eq!(read(&same).sign_offs[&owner].signature.as_ref().unwrap().name, "Kim Ode");
    let over = md2.replacen("| Product owner | ________ | ______ |", "| Product owner | Lee Ray | 2026-12-05 |", 1);
    let err = import::from_markdown(&over, Some(&c)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.contains("“Lee Ray” was written on the sign-off “Product owner”, which Kim Ode signed already"),
        "{err}"
    );
}

/// Blanks drawn with the full-width low line (`＿`), as Japanese and Chinese forms draw them:
/// a signature is written into its blank, and a value typed into one is read back.
#[test]
fn full_width_blanks_are_signed_and_typed_like_ascii_ones() {
    let c = parse(
        "# リリースチェックリスト\n## デプロイ前\n- [ ] バックアップ確認\n\nバージョン：＿＿＿＿＿＿\n\n## 承認\n- [ ] セキュリティ責任者：＿＿＿＿＿＿＿＿　日付：＿＿＿＿\n"
            .as_bytes(),
    );
    let lead = c.sign_offs().next().unwrap_or_else(|| panic!("no sign-off in {:?}", c.items)).id.clone();
    assert_eq!(c.fields.len(), 1, "{:?}", c.fields);
    let mut run = Run::new(&c, "run-1", "v1", "2026-12-01T08:00:00Z");
    run.sign(&c, &lead, "佐藤 花子", "2026-12-02", "approved", Default::default(), None, "2026-12-02T10:00:00Z")
        .unwrap();
    let md = markdown::export(&c, &run, NOW);
    assert!(md.contains("セキュリティ責任者：佐藤 花子"), "{md}");
    let typed = md.replacen("バージョン：＿＿＿＿＿＿", "バージョン：3.1", 1);
    let back = import::from_markdown(&typed, Some(&c)).unwrap_or_else(|e| panic!("{e}\n{typed}")).run;
    assert_eq!(back.sign_offs[&lead].signature.as_ref().unwrap().name, "佐藤 花子");
    assert_eq!(back.fields[&c.fields[0].id].value, "3.1");
}
