//! Native timings for the browser benchmark: best of N runs of parse + model + score per file,
//! as JSON. `cargo run --release --example timing FILE...`
use std::time::Instant;

fn main() {
    let mut out = Vec::new();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("file");
        let runs = if bytes.len() > 4_000_000 { 7 } else { 25 };
        let mut best = f64::MAX;
        for _ in 0..runs {
            let t = Instant::now();
            let c = preflight_core::parse(&bytes);
            let run = preflight_core::Run::new(&c, "bench", "bench", "2026-01-01T00:00:00Z");
            std::hint::black_box(preflight_core::score(&c, &run));
            best = best.min(t.elapsed().as_secs_f64() * 1e3);
        }
        out.push(format!("{{\"file\":{:?},\"bytes\":{},\"ms\":{best:.3}}}", path, bytes.len()));
    }
    println!("[{}]", out.join(","));
}
