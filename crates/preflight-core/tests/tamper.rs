//! The tamper matrix: every value a report displays, changed in every format, is detected by
//! `verify` — as a difference (exit 1) or, for a report cut short or no longer readable, as an
//! error (exit 2). Never as "verified".

use preflight_core::export::verify::verify;
use preflight_core::export::{html, markdown};
use preflight_core::{parse, report, Checklist, Run, Status};
use proptest::prelude::*;

const NOW: &str = "2026-12-01T10:00:00Z";

fn sample_run() -> (Checklist, Run) {
    let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
    let mut run = Run::new(&c, "r1", "v2.4.0 to production", "2026-12-01T08:00:00Z");
    let tasks: Vec<_> = c.tasks().map(|i| i.id.clone()).collect();
    for (n, id) in tasks.iter().enumerate().take(12) {
        let (status, reason) = match n % 5 {
            3 => (Status::Na, Some("no schema change".to_string())),
            4 => (Status::Blocked, Some("waiting for the DBA".to_string())),
            _ => (Status::Done, None),
        };
        run.set_status(&c, id, status, reason, Some("dana"), "2026-12-01T09:00:00Z").unwrap();
    }
    let lead = c.sign_offs().next().unwrap().id.clone();
    run.sign(
        &c,
        &lead,
        "Dana Whitfield",
        "2026-11-20",
        "approved",
        Default::default(),
        Some("dana"),
        "2026-12-01T09:30:00Z",
    )
    .unwrap();
    (c, run)
}

fn reports() -> Vec<(&'static str, String)> {
    let (c, run) = sample_run();
    vec![
        ("json", report::json(&c, &run, NOW)),
        ("markdown", markdown::export(&c, &run, NOW)),
        ("html", html::export(&c, &run, NOW)),
    ]
}

/// Replace the first occurrence of `from` after byte `after` (so a value shown twice is changed
/// where it is displayed, not only in the machine data).
fn replace_once(text: &str, from: &str, to: &str) -> Option<String> {
    let i = text.find(from)?;
    Some(format!("{}{}{}", &text[..i], to, &text[i + from.len()..]))
}

fn detected(text: &str, c: &Checklist) -> bool {
    match verify(text, Some(c)) {
        Ok(v) => !v.ok(),
        Err(_) => true,
    }
}

#[test]
fn every_format_verifies_as_written() {
    let (c, _) = sample_run();
    for (format, text) in reports() {
        let v = verify(&text, Some(&c)).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert!(v.ok(), "{format}: {:?}", v.differences);
        assert_eq!(v.format, format);
        // Alone, without the checklist, too: the report carries it.
        assert!(verify(&text, None).unwrap().ok(), "{format} alone");
    }
}

#[test]
fn the_tamper_matrix() {
    let (c, _) = sample_run();
    type Mutation = fn(&str, &str) -> Option<String>;
    let cases: &[(&str, Mutation)] = &[
        ("headline verdict", |f, t| match f {
            "json" => replace_once(t, "\"verdict\": \"no-go\"", "\"verdict\": \"go\""),
            "markdown" => replace_once(t, "**NO-GO**", "**GO**"),
            _ => replace_once(t, ">NO-GO<", ">GO<"),
        }),
        ("score", |f, t| match f {
            "json" => replace_once(t, "\"score\": ", "\"score\": 1"),
            "markdown" => replace_once(t, "score **", "score **1"),
            _ => replace_once(t, "Score <strong>", "Score <strong>1"),
        }),
        ("an item's status", |f, t| match f {
            "json" => replace_once(t, "\"status\": \"blocked\"", "\"status\": \"done\""),
            "markdown" => {
                let body = t.find("preflight:summary:end")?;
                let i = body + t[body..].find("- [x] ")?;
                Some(format!("{}- [ ] {}", &t[..i], &t[i + 6..]))
            }
            _ => replace_once(t, "blocked", "done"),
        }),
        ("an item's text", |_, t| replace_once(t, "Migrations applied", "Migrations applied and verified")),
        ("a reason", |_, t| replace_once(t, "waiting for the DBA", "waiting for nobody")),
        ("the signer's name", |_, t| replace_once(t, "Dana Whitfield", "Eve Mallory")),
        ("the signing date", |_, t| {
            replace_once(t, "2026-11-20", "2026-11-19").or_else(|| replace_once(t, "2026\\-11\\-20", "2026\\-11\\-19"))
        }),
        ("a command in a code block", |_, t| replace_once(t, "rollout undo", "rollout restart")),
        ("a table threshold", |_, t| {
            replace_once(t, "&lt; 400 ms", "&lt; 900 ms").or_else(|| replace_once(t, "< 400 ms", "< 900 ms"))
        }),
        ("the timeline or run name", |_, t| replace_once(t, "v2.4.0 to production", "v2.4.1 to production")),
        ("two lines reordered", |_, t| {
            let lines: Vec<&str> = t.lines().collect();
            let i = lines.iter().position(|l| l.contains("Migrations applied"))?;
            let mut swapped = lines.clone();
            swapped.swap(i, i + 1);
            Some(swapped.join("\n") + "\n")
        }),
        ("whitespace added", |_, t| {
            let i = t.find("Migrations applied")?;
            Some(format!("{} {}", &t[..i], &t[i..]))
        }),
        ("truncated", |_, t| Some(t[..t.len() * 2 / 3].to_string())),
        ("an item added", |f, t| {
            match f {
            "markdown" => replace_once(t, "- [ ] Migrations applied", "- [x] Skip the review\n- [ ] Migrations applied"),
            "json" => replace_once(t, "\"items\": [", "\"items\": [{\"id\": \"i-x\", \"text\": \"Skip\", \"section\": \"\", \"line\": 1, \"critical\": false, \"optional\": false, \"status\": \"done\"},"),
            _ => replace_once(t, "<li>", "<li>Skip the review</li><li>"),
        }
        }),
        ("a middle history entry dropped", |f, t| match f {
            "json" => {
                let mut v: serde_json::Value = serde_json::from_str(t).ok()?;
                let log = v["run"]["log"].as_array_mut()?;
                log.remove(log.len() / 2);
                Some(serde_json::to_string_pretty(&v).ok()? + "\n")
            }
            _ => None,
        }),
        ("an item deleted", |_, t| {
            let i = t.find("Migrations applied")?;
            let start = t[..i].rfind('\n').map_or(0, |s| s + 1);
            let end = t[i..].find('\n').map_or(t.len(), |e| i + e + 1);
            Some(format!("{}{}", &t[..start], &t[end..]))
        }),
    ];
    let mut table = String::from("| change | json | markdown | html |\n|---|---|---|---|\n");
    let mut missed = Vec::new();
    for (name, mutate) in cases {
        table.push_str(&format!("| {name} |"));
        for (format, text) in reports() {
            let cell = match mutate(format, &text) {
                Some(changed) if changed != text => {
                    if detected(&changed, &c) {
                        "detected"
                    } else {
                        missed.push(format!("{name} in {format}"));
                        "MISSED"
                    }
                }
                _ => "n/a",
            };
            table.push_str(&format!(" {cell} |"));
        }
        table.push('\n');
    }
    println!("{table}");
    assert!(missed.is_empty(), "not detected: {missed:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random runs verify; any one printable byte changed anywhere in the report is detected.
    #[test]
    fn any_one_byte_change_is_detected(
        statuses in proptest::collection::vec(0u8..4, 20),
        format in 0usize..3,
        at in 0.0f64..1.0,
        byte in 0x21u8..0x7e,
    ) {
        let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
        let mut run = Run::new(&c, "r", "random", "2026-12-01T00:00:00Z");
        let ids: Vec<String> = c.tasks().map(|i| i.id.clone()).collect();
        for (id, s) in ids.iter().zip(&statuses) {
            let status = [Status::Todo, Status::Done, Status::Na, Status::Blocked][*s as usize];
            let _ = run.set_status(&c, id, status, Some("because".into()), Some("x"), "2026-12-01T01:00:00Z");
        }
        let text = match format {
            0 => report::json(&c, &run, NOW),
            1 => markdown::export(&c, &run, NOW),
            _ => html::export(&c, &run, NOW),
        };
        prop_assert!(verify(&text, Some(&c)).unwrap().ok());
        let mut bytes = text.clone().into_bytes();
        let i = ((bytes.len() - 1) as f64 * at) as usize;
        prop_assume!(bytes[i].is_ascii_graphic() && bytes[i] != byte);
        // The JSON report's own time is what it says: nothing else in it repeats it, and only a
        // signature could bind it. (The Markdown and HTML reports show it twice.)
        if format == 0 {
            let t = text.find("\"generatedAt\"").unwrap();
            prop_assume!(!(t..t + 40).contains(&i));
        }
        bytes[i] = byte;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(detected(&changed, &c), "byte {} at {} in format {}", byte as char, i, format);
    }
}
