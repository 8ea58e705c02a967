//! Cost of each heading/item heuristic on typical titles, per call:
//! `cargo run --release --example heuristics`. For finding what the builder spends per heading.
use std::hint::black_box;
use std::time::Instant;

use preflight_core::{ids, markers, rubric};

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
    time("is_conditional_heading", &|t| {
        black_box(markers::is_conditional_heading(t));
    });
    time("is_critical_heading", &|t| {
        black_box(markers::is_critical_heading(t, t));
    });
    time("is_sign_off_heading", &|t| {
        black_box(markers::is_sign_off_heading(t));
    });
    time("is_critical_text", &|t| {
        black_box(markers::is_critical_text(t, t));
    });
    time("is_optional_text", &|t| {
        black_box(markers::is_optional_text(t));
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
    time("is_role_like", &|t| {
        black_box(markers::is_role_like(t));
    });
    time("mojibake::repair", &|t| {
        black_box(preflight_core::mojibake::repair(t));
    });
}
