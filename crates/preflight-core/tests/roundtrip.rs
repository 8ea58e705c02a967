//! Export → import is lossless: for every seed and corpus document, a random run state exported
//! to Markdown and imported back is identical, and the template rebuilt from the report hashes
//! to the original. Values are drawn from an alphabet meant to break Markdown and comments.

mod fixtures;

use std::collections::BTreeMap;

use preflight_core::export::{html, markdown};
use preflight_core::import;
use preflight_core::run::{FieldState, ItemState, SectionState, SignOffState, Signature};
use preflight_core::{parse, report, Checklist, Run, Status};
use proptest::prelude::*;

/// A small deterministic generator, so one `u64` from proptest describes a whole run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "ok",
            "Jane Roe",
            " ",
            "\n",
            "-->",
            "<!--",
            "<script>alert(1)</script>",
            "`",
            "```",
            "**",
            "_",
            "___",
            "[x]",
            "- [ ] ",
            "# ",
            "===",
            "|",
            "\\",
            "\"",
            "'",
            "✅",
            "部署",
            "é",
            "\t",
            "&amp;",
            "javascript:x",
            "1. ",
            "~~~",
            "preflight:summary:end",
            "}",
            "{\"k\":\"s\"}",
            "2026-11-20",
        ];
        let n = 1 + self.below(5);
        (0..n).map(|_| PIECES[self.below(PIECES.len() as u64) as usize]).collect()
    }
    fn maybe(&mut self) -> Option<String> {
        self.chance(40).then(|| self.text())
    }
    fn stamp(&mut self) -> (Option<String>, Option<String>) {
        if self.chance(50) {
            (Some(self.text()), Some(format!("2026-11-{:02}T{:02}:00:00Z", 1 + self.below(28), self.below(24))))
        } else {
            (None, None)
        }
    }
}

fn random_run(c: &Checklist, seed: u64) -> Run {
    let mut rng = Rng(seed | 1);
    let mut run = Run::new(c, "run-1", &rng.text(), "2026-11-22T00:00:00Z");
    if rng.chance(50) {
        let name = rng.text();
        run.rename(&name, "2026-11-22T00:30:00Z");
    }
    for item in c.tasks() {
        let status = [Status::Todo, Status::Done, Status::Na, Status::Blocked][rng.below(4) as usize];
        let (by, at) = rng.stamp();
        run.items.insert(
            item.id.clone(),
            ItemState { status, reason: rng.maybe(), note: rng.maybe(), evidence: rng.maybe(), by, at },
        );
    }
    for item in c.sign_offs() {
        let (by, at) = rng.stamp();
        let signature = rng.chance(50).then(|| {
            let mut values = BTreeMap::new();
            if let Some(spec) = &item.sign_off {
                for f in spec.fields.iter().skip(1) {
                    if rng.chance(50) {
                        values.insert(f.label.clone(), rng.text());
                    }
                }
            }
            Signature {
                name: rng.text(),
                date: if rng.chance(70) { "2026-11-20".into() } else { String::new() },
                meaning: rng.text(),
                values,
                signed_at: "2026-11-21T10:00:00Z".into(),
                score_tenths: rng.below(1001) as u32,
                progress_sha256: "0".repeat(64),
                gate: item.gate,
                gate_state_sha256: rng.chance(70).then(|| "1".repeat(64)),
                ssh: rng
                    .chance(20)
                    .then(|| "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n".to_string()),
                run: rng.chance(60).then(|| ["run-1", "run-2"][rng.below(2) as usize].to_string()),
            }
        });
        run.sign_offs.insert(item.id.clone(), SignOffState { signature, by, at });
    }
    for field in &c.fields {
        if rng.chance(60) {
            let (by, at) = rng.stamp();
            run.fields.insert(field.id.clone(), FieldState { value: rng.text(), by, at });
        }
    }
    for section in c.sections.iter().filter(|s| s.conditional) {
        if rng.chance(50) {
            let (by, at) = rng.stamp();
            run.sections.insert(section.id.clone(), SectionState { on: rng.chance(50), by, at });
        }
    }
    run
}

fn documents() -> Vec<(String, Checklist)> {
    fixtures::seeds()
        .into_iter()
        .chain(fixtures::corpus())
        .map(|(n, b)| (n, parse(&b)))
        .chain(std::iter::once(("sample".to_string(), parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes()))))
        .collect()
}

fn check_round_trip(name: &str, c: &Checklist, seed: u64) -> Result<(), TestCaseError> {
    let run = random_run(c, seed);
    let exported = markdown::export(c, &run, "2026-11-22T12:00:00Z");
    // Without the template: rebuilt from the report's own edit log.
    let imported = import::from_markdown(&exported, None)
        .map_err(|e| TestCaseError::fail(format!("{name}: import failed: {e}")))?;
    prop_assert_eq!(imported.template.as_deref(), Some(c.source.as_str()), "{}: template not rebuilt", name);
    let run = run.compacted();
    if imported.run != run {
        let a = serde_json::to_value(&imported.run).unwrap();
        let b = serde_json::to_value(&run).unwrap();
        let diff = first_difference(&a, &b, String::new());
        return Err(TestCaseError::fail(format!("{name}: run differs after round trip at {diff}")));
    }
    // With the template.
    let with_template = import::from_markdown(&exported, Some(c)).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&with_template.run, &run);
    // The JSON report carries the run too.
    let json = report::json(c, &run, "2026-11-22T12:00:00Z");
    prop_assert_eq!(&import::from_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?, &run);
    Ok(())
}

/// The path and both values of the first place two JSON values differ.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> String {
    match (a, b) {
        (serde_json::Value::Object(x), serde_json::Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let (va, vb) =
                    (x.get(key).unwrap_or(&serde_json::Value::Null), y.get(key).unwrap_or(&serde_json::Value::Null));
                if va != vb {
                    return first_difference(va, vb, format!("{path}.{key}"));
                }
            }
            path
        }
        _ => format!("{path}: imported {a} vs exported {b}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn markdown_export_reimports_to_the_same_run(seed in any::<u64>()) {
        for (name, c) in documents() {
            check_round_trip(&name, &c, seed)?;
        }
    }
}

#[test]
fn untouched_run_exports_to_the_document_plus_a_summary() {
    let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
    let run = Run::new(&c, "r", "v2.4.0 to production", "2026-11-22T00:00:00Z");
    let md = markdown::export(&c, &run, "2026-11-22T12:00:00Z");
    let report = import::split(&md).expect("summary block");
    assert_eq!(report.body, c.source, "no annotations or ticks for an untouched run");
    assert!(md.contains("**NO\\-GO**") || md.contains("**NO-GO**"), "{}", &md[..600]);
    assert!(md.contains(&c.source_sha256));
    assert!(md.contains(&run.state_sha256()));
}

#[test]
fn ticked_box_on_github_still_imports() {
    let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
    let mut run = Run::new(&c, "r", "v1", "2026-11-22T00:00:00Z");
    let first = c.tasks().next().unwrap().id.clone();
    run.set_status(&c, &first, Status::Done, None, Some("ana"), "2026-11-22T01:00:00Z").unwrap();
    let md = markdown::export(&c, &run, "now");
    // Someone ticks the second item by hand in the rendered PR description.
    let second = c.tasks().nth(1).unwrap();
    let line = second.marker.line as usize;
    let edited: String = md
        .lines()
        .map(|l| {
            if l.contains(&second.text.replace('`', "")[..12]) && l.contains("[ ]") {
                l.replacen("[ ]", "[x]", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    assert_ne!(edited, md, "line {line} edited");
    let imported = import::from_markdown(&edited, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.run.item(&first).status, Status::Done);
    assert_eq!(imported.run.item(&second.id).status, Status::Done);
    assert_eq!(imported.template.as_deref(), Some(c.source.as_str()));
}

#[test]
fn html_report_is_self_contained_and_escapes_everything() {
    let c = parse(b"# T <script>\n- [ ] <img src=x onerror=alert(1)> [x](javascript:alert(1))\n- [ ] ok\n");
    let mut run = Run::new(&c, "r", "<b>run</b>", "2026-11-22T00:00:00Z");
    let id = c.items[0].id.clone();
    run.set_status(&c, &id, Status::Na, Some("<script>alert(2)</script>".into()), None, "t").unwrap();
    run.set_evidence(&c, &id, Some("</pre><script>alert(3)</script>".into()), None, "t").unwrap();
    let full = html::export(&c, &run, "now");
    // The page as rendered; the report data after it is inert JSON (checked below).
    let data_at = full.find("<script type=\"application/json\" id=\"preflight-report\">").expect("report data");
    let data = &full[data_at..];
    let inner = &data[data.find('>').unwrap() + 1..data.rfind("</script>").unwrap()];
    assert!(!inner.contains(['<', '>', '&']), "nothing in the data can close it or start markup");
    assert!(serde_json::from_str::<serde_json::Value>(inner).is_ok());
    let page = &full[..data_at];
    let lower = page.to_lowercase();
    assert!(!lower.contains("<script"), "{page}");
    assert!(!lower.contains("<img"));
    assert!(!lower.contains("javascript:"));
    assert!(
        !lower.contains("src=") && !lower.contains("http://") && !lower.contains("https://"),
        "no external requests"
    );
    assert!(page.contains("default-src 'none'"));
    assert!(page.contains(&c.source_sha256) && page.contains(&run.state_sha256()));
}

#[test]
fn a_report_gives_back_the_corrections_it_was_read_with() {
    let text = "# Patch\n\n## Before\n\n- [x] Tests green\n- [ ] Flag documented\n";
    let plain = parse(text.as_bytes());
    let flag = plain.tasks().find(|i| i.text == "Flag documented").map(|i| i.id.clone()).unwrap();
    let kept = vec![preflight_core::model::Correction {
        id: flag.clone(),
        what: "critical".into(),
        value: "true".into(),
        line: 0,
    }];
    let c = preflight_core::parse::parse_with_corrections(text.as_bytes(), &kept);
    assert!(c.item(&flag).is_some_and(|i| i.critical));
    let run = Run::new(&c, "r", "r", "2026-01-01T00:00:00Z");
    let imported = import::from_markdown(&markdown::export(&c, &run, "now"), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.corrections, kept, "a shared run means what it meant only with them");
}
