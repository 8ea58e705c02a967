//! Print the items the engine finds in a file: `cargo run --example dump FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let c = preflight_core::parse(&std::fs::read(path).expect("readable file"));
    for i in &c.items {
        println!(
            "{:>5}:{:<3} {:?} {} {} | {}",
            i.span.line,
            i.span.column,
            i.kind,
            if i.checked { "x" } else { " " },
            i.id,
            i.text
        );
    }
}
