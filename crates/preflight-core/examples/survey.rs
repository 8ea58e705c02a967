//! Survey a directory of checklists: rubric, declared total and diagnostic codes per file.
//! `cargo run --example survey DIR`
fn main() {
    let dir = std::env::args().nth(1).expect("usage: survey DIR");
    let mut paths: Vec<_> = std::fs::read_dir(dir).expect("dir").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths.iter().filter(|p| p.extension().is_some_and(|x| x == "md")) {
        let c = preflight_core::parse(&std::fs::read(p).expect("file"));
        let mut codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
        codes.dedup();
        let rubric = c
            .rubric
            .as_ref()
            .map(|b| b.iter().map(|b| format!("{}:{}", b.min, b.label)).collect::<Vec<_>>().join(" / "));
        println!(
            "{:<60} items={:<4} sign={:<3} fields={:<3} total={:?} rubric={:?} diags={:?}",
            p.file_name().unwrap().to_string_lossy().chars().take(60).collect::<String>(),
            c.tasks().count(),
            c.sign_offs().count(),
            c.fields.len(),
            c.declared_total.as_ref().map(|d| d.count),
            rubric,
            codes
        );
    }
}
