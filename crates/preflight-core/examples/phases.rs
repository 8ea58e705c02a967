//! Where parse time goes, phase by phase, on a large file: `cargo run --release --example phases FILE`.
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases FILE");
    let bytes = std::fs::read(path).expect("file");
    let t = |name: &str, f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        println!("{name:<28} {:>8.1} ms", start.elapsed().as_secs_f64() * 1e3);
    };
    let mut text = String::new();
    t("normalize", &mut || text = preflight_core::normalize::normalize(&bytes).text);
    t("sha256", &mut || drop(preflight_core::normalize::source_sha256(&text)));
    t("mojibake::find", &mut || drop(preflight_core::mojibake::find(&text)));
    t("line index", &mut || drop(preflight_core::span::LineIndex::new(&text)));
    t("bare walk", &mut || {
        for e in pulldown_cmark::Parser::new_ext(&text, preflight_core::parse::options()).into_offset_iter() {
            std::hint::black_box(e);
        }
    });
    let mut c = None;
    t("parse (all)", &mut || c = Some(preflight_core::parse(&bytes)));
    let c = c.unwrap();
    let mut run = None;
    t("Run::new", &mut || run = Some(preflight_core::Run::new(&c, "r", "r", "t")));
    let run = run.unwrap();
    t("score", &mut || drop(preflight_core::score(&c, &run)));
    println!("items {} sections {} diagnostics {}", c.items.len(), c.sections.len(), c.diagnostics.len());
}
