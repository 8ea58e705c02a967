//! Inputs known to make Markdown parsers slow or deep: cmark's `test/pathological_tests.py` at
//! its sizes, plus Preflight's own (30,000-deep nesting of task lists and quotes, and inputs
//! that once hit quadratic paths in the model builder). Shared by the
//! robustness test (which checks results) and the benchmark (which reports times).

/// (name, document) pairs.
pub fn cases() -> Vec<(&'static str, String)> {
    let mut cases = vec![
        ("nested strong emph", format!("{}b{}", "*a **a ".repeat(65_000), " a** a*".repeat(65_000))),
        ("many emph closers with no openers", "a_ ".repeat(65_000)),
        ("many emph openers with no closers", "_a ".repeat(65_000)),
        ("many link closers with no openers", "a]".repeat(65_000)),
        ("many link openers with no closers", "[a".repeat(65_000)),
        ("mismatched openers and closers", "*a_ ".repeat(50_000)),
        ("openers and closers multiple of 3", format!("a**b{}", "c* ".repeat(50_000))),
        ("link openers and emph closers", "[ a_".repeat(50_000)),
        ("pattern [ (]( repeated", "[ (](".repeat(80_000)),
        ("pattern ![[]() repeated", "![[]()".repeat(160_000)),
        ("nested brackets", format!("{}a{}", "[".repeat(50_000), "]".repeat(50_000))),
        ("nested block quotes", format!("{}a", ">".repeat(50_000))),
        ("U+0000 in input", "abc\u{0}de\u{0}".to_string()),
        ("backticks", (1..5_000).map(|n| format!("e{}", "`".repeat(n))).collect()),
        ("unclosed links A", "[a](<b".repeat(30_000)),
        ("unclosed links B", "[a](b".repeat(30_000)),
        ("unclosed <!--", format!("</{}", "<!--".repeat(300_000))),
        ("many references", {
            let mut s: String = (0..50_000).map(|i| format!("[{i}]: u\n")).collect();
            s.push_str(&"[0] ".repeat(50_000));
            s
        }),
        ("many tables", "| a | b |\n|---|---|\n| c | d |\n\n".repeat(20_000)),
        ("many task items", "- [ ] task ___ (critical)\n".repeat(50_000)),
        // Preflight's own hot spots, each once quadratic (1–24 s): section-id suffixes searched
        // from 1 for every repeat, columns counted from the line start per span, every
        // front-matter `critical:` name compared with every item, and every legend entry with
        // every other.
        ("20,000 equal headings", "## Same\n- [ ] x\n".repeat(20_000)),
        // Each unclosed bracket of an item or heading searched for its close to the end of the
        // text (a 2.4 MB item took 3 s).
        // Each correction of a `preflight:` block looked its item or section up by a scan.
        ("a preflight: block naming 20,000 items and sections", {
            let items: String = (0..10_000).map(|i| format!("## S{i}\n- [ ] task {i}\n")).collect();
            let checklist = crate::parse::parse_str(&items);
            let mut block = String::from("---\npreflight:\n  critical:\n");
            for item in &checklist.items {
                block.push_str(&format!("    - {}\n", item.id));
            }
            block.push_str("  conditional:\n");
            for section in &checklist.sections[1..] {
                block.push_str(&format!("    - {}\n", section.id));
            }
            format!("{block}---\n{items}")
        }),
        ("an item of 200,000 unclosed brackets", format!("- [ ] {}\n", "(a [b ".repeat(100_000))),
        ("a heading of 200,000 unclosed brackets", format!("## {}\n- [ ] x\n", "(a [b ".repeat(100_000))),
        ("100,000 blanks on one line", format!("Notes: {}\n", "x ___ ".repeat(100_000))),
        ("mojibake all along one 600 KB line", format!("{}\n", "âœ… ".repeat(100_000))),
        ("front matter naming 2,000 critical items", {
            let names: String = (0..2_000).map(|i| format!("  - item {i}\n")).collect();
            let items: String = (0..20_000).map(|i| format!("- [ ] item {i}\n")).collect();
            format!("---\ncritical:\n{names}---\n{items}")
        }),
        ("20,000 legend lines", {
            let legend: String = (0..20_000).map(|i| format!("- L{i} = critical\n")).collect();
            format!("{legend}\n## Tasks\n- [ ] L7 checked\n")
        }),
    ];
    // cmark's deeply nested lists: 1,000 levels by indentation (quadratic in size, so 1,000).
    cases.push(("deeply nested lists", (0..1_000).map(|x| format!("{}* a\n", "  ".repeat(x))).collect()));
    cases.push(("deeply nested task lists", (0..1_000).map(|x| format!("{}- [ ] a\n", "  ".repeat(x))).collect()));
    // 30,000 levels of nesting on one line: lists, then quotes, ending in a task item.
    cases.push(("30,000-deep nested list ending in a task", format!("{}[ ] deep\n", "- ".repeat(30_000))));
    cases.push(("30,000-deep block quotes ending in a task", format!("{}- [ ] deep\n", "> ".repeat(30_000))));
    cases.push(("30,000-deep mixed containers", format!("{}[x] deep\n", "> 1. - ".repeat(10_000))));
    cases
}
