//! parse → score → export (Markdown, HTML, JSON) → import, on arbitrary bytes. Any panic is a
//! bug; any crash found becomes a named regression test in crates/preflight-core/tests.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preflight_core::export::{html, markdown};
use preflight_core::{import, parse, report, score, Run, Status};

fuzz_target!(|data: &[u8]| {
    let c = parse(data);
    let mut run = Run::new(&c, "r", "fuzz", "2026-01-01T00:00:00Z");
    for (n, item) in c.tasks().enumerate().take(64) {
        let status = [Status::Done, Status::Na, Status::Blocked, Status::Todo][n % 4];
        let _ = run.set_status(&c, &item.id, status, Some("r".into()), Some("f"), "2026-01-01T00:00:01Z");
    }
    let _ = score(&c, &run);
    let md = markdown::export(&c, &run, "now");
    let back = import::from_markdown(&md, Some(&c)).expect("an export always re-imports");
    assert_eq!(back.run, run.compacted(), "lossless round trip");
    let _ = html::export(&c, &run, "now");
    let _ = report::json(&c, &run, "now");
});
