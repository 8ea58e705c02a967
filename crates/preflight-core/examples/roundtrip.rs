//! Export a file's untouched run to Markdown and import it back, printing both:
//! `cargo run --example roundtrip FILE`
fn main() {
    let path = std::env::args().nth(1).expect("usage: roundtrip FILE");
    let c = preflight_core::parse(&std::fs::read(path).expect("file"));
    let run = preflight_core::Run::new(&c, "r", "r", "2026-01-01T00:00:00Z");
    let md = preflight_core::export::markdown::export(&c, &run, "now");
    println!("{md}");
    match preflight_core::import::from_markdown(&md, Some(&c)) {
        Ok(i) => println!("same run: {}\n{:#?}", i.run == run, i.run.sign_offs),
        Err(e) => println!("import failed: {e}"),
    }
}
