//! One parse + run + score of a file, for profilers (callgrind, perf):
//! `cargo run --release --example once FILE [--walk]` (`--walk`: only a bare pulldown-cmark walk,
//! the baseline of the benchmark).
fn main() {
    let path = std::env::args().nth(1).expect("usage: once FILE [--walk]");
    let bytes = std::fs::read(path).expect("file");
    if std::env::args().any(|a| a == "--walk") {
        let text = std::str::from_utf8(&bytes).expect("UTF-8");
        let parser = pulldown_cmark::Parser::new_ext(text, preflight_core::parse::options());
        std::hint::black_box(parser.into_offset_iter().count());
        return;
    }
    let c = preflight_core::parse(&bytes);
    let run = preflight_core::Run::new(&c, "r", "r", "t");
    std::hint::black_box(preflight_core::score(&c, &run));
}
