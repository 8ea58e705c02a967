//! Bulk paths on a large or hostile file, timed once each: every task set done with a note,
//! score, the three exports, and importing the filled Markdown report back (with and without
//! its template). `cargo run --release --example bulk FILE`. Figures go into BENCHMARKS.md.
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: bulk FILE");
    let c = preflight_core::parse(&std::fs::read(path).expect("file"));
    let mut run = preflight_core::Run::new(&c, "r", "r", "2026-01-01T00:00:00Z");
    let time = |name: &str, start: Instant| println!("{name:<28} {:>9.1} ms", start.elapsed().as_secs_f64() * 1e3);
    let ids: Vec<String> = c.tasks().map(|i| i.id.clone()).collect();
    let t = Instant::now();
    for id in &ids {
        let at = "2026-01-02T00:00:00Z";
        let _ = run.set_status(&c, id, preflight_core::Status::Done, None, Some("me"), at);
        let _ = run.set_note(&c, id, Some("note".to_string()), Some("me"), at);
    }
    time(&format!("set {} items done + note", ids.len()), t);
    let t = Instant::now();
    std::hint::black_box(preflight_core::score(&c, &run));
    time("score", t);
    let t = Instant::now();
    let md = preflight_core::export::markdown::export(&c, &run, "now");
    time("export Markdown", t);
    let t = Instant::now();
    std::hint::black_box(preflight_core::export::html::export(&c, &run, "now"));
    time("export HTML", t);
    let t = Instant::now();
    std::hint::black_box(preflight_core::report::json(&c, &run, "now"));
    time("export JSON", t);
    let t = Instant::now();
    let back = preflight_core::import::from_markdown(&md, Some(&c)).map(|i| i.run.items == run.compacted().items);
    time("import with template", t);
    let t = Instant::now();
    let alone = preflight_core::import::from_markdown(&md, None).map(|i| i.run.items == run.compacted().items);
    time("import without template", t);
    println!("round trip: {back:?} / {alone:?}");
}
