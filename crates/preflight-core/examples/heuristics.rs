//! Cost of each heading/item heuristic on typical titles, per call:
//! `cargo run --release --example heuristics`. For finding what the builder spends per heading.
use std::hint::black_box;
use std::time::Instant;

use preflight_core::{ids, markers, recognize, rubric};

fn main() {
    let titles = [
        "📋 Pre-Deployment Requirements",
        "4. Data Migration (if applicable)",
        "Rollback Plan",
        "✅ Post-Deployment Verification 12",
        "Security Review and Sign-off",
        "Monitoring & Alerting",
    ];
    let n = 200_000;
    // Each call's result goes through black_box so the work is not optimized away.
    let time = |name: &str, f: &dyn Fn(&str)| {
        let start = Instant::now();
        for i in 0..n {
            f(black_box(titles[i % titles.len()]));
        }
        println!("{name:<28} {:>7.0} ns", start.elapsed().as_nanos() as f64 / n as f64);
    };
    time("normalize_for_id", &|t| {
        black_box(ids::normalize_for_id(t));
    });
    time("slug", &|t| {
        black_box(ids::slug(t));
    });
    time("recognize::marks::heading", &|t| {
        black_box(recognize::marks::heading(t));
    });
    time("recognize::gates::heading", &|t| {
        black_box(recognize::gates::heading(t, true));
    });
    time("recognize::sign_off_heading", &|t| {
        black_box(recognize::sign_off_heading(t));
    });
    time("recognize::marks::item", &|t| {
        black_box(recognize::marks::item(t, &[]));
    });
    time("labelled_blanks", &|t| {
        black_box(markers::labelled_blanks(t));
    });
    time("declared_total", &|t| {
        black_box(rubric::declared_total(t));
    });
    time("band_line", &|t| {
        black_box(rubric::band_line(t));
    });
    time("recognize::signoff::classify", &|t| {
        let cx = recognize::signoff::Context { blank: true, ..Default::default() };
        black_box(recognize::signoff::classify(t, cx));
    });
    time("mojibake::repair", &|t| {
        black_box(preflight_core::mojibake::repair(t));
    });
}
