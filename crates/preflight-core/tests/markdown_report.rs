//! The Markdown report as people and tools meet it: reports written by earlier versions still
//! import.

use preflight_core::import;
use preflight_core::{parse, Run};

fn data(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `tests/data/report-format-1.md` was written by the exporter before reports moved their state
/// out of HTML comments (an annotation after each checkbox, the run in the summary on top). It
/// must keep importing, with its template or without.
#[test]
fn a_report_in_the_first_format_still_imports() {
    let report = data("report-format-1.md");
    let template = data("report-format-1.template.md");
    let expected = Run::from_json(&data("report-format-1.run.json")).unwrap();
    let alone = import::from_markdown(&report, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(alone.template.as_deref(), Some(template.as_str()), "the template is rebuilt byte for byte");
    assert_eq!(alone.run, expected);
    let c = parse(template.as_bytes());
    let with = import::from_markdown(&report, Some(&c)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(with.run, expected);
}
