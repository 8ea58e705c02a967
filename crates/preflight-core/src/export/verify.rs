//! `verify`: a report is believed only if it can be recomputed. Every report carries what made
//! it — the normalized checklist text (the Markdown report *is* that text, plus its edit log),
//! the corrections it was read with, the run and the time it was written — so `verify`
//! rebuilds the checklist and the run from the report alone, writes the report again and
//! compares: every value, every line, every byte. A changed verdict, score, status, name, date,
//! reason, item text, code block, threshold, reorder or added whitespace is a difference, named
//! by its JSON path or its line. A report that cannot be read (not a report, truncated, its
//! edit log broken) is an error, not a difference.

use serde::Serialize;
use serde_json::Value;

use crate::export::{html, markdown};
use crate::import;
use crate::model::Checklist;
use crate::normalize::normalize;
use crate::parse::parse_with_corrections;
use crate::report::{self, JsonReport, REPORT_SCHEMA, REPORT_SCHEMA_V1};

/// What verification found.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// `json`, `markdown` or `html`.
    pub format: &'static str,
    pub source_sha256: String,
    pub state_sha256: String,
    /// Every place where the report differs from its recomputation (empty: verified).
    pub differences: Vec<Difference>,
    /// The checklist and run the report was recomputed from (for checking its signatures).
    #[serde(skip)]
    pub recomputed: Option<Box<(Checklist, crate::run::Run)>>,
}

/// One place where the report says something its own contents do not produce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// A JSON path (`summary.verdict`, `items[3].status`) or `line N`.
    pub place: String,
    /// What the recomputed report has there.
    pub expected: String,
    /// What the report says.
    pub found: String,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.differences.is_empty()
    }
}

/// A history whose links do not hold: an entry dropped, altered or inserted.
fn log_differences(run: &crate::run::Run) -> Vec<Difference> {
    crate::history::problems(&run.log)
        .into_iter()
        .map(|p| Difference {
            place: "run.log".into(),
            expected: "every entry linked to the one before it".into(),
            found: p,
        })
        .collect()
}

/// How many differences to list: enough to see what was changed.
const MAX_DIFFERENCES: usize = 20;

/// Verify a report (JSON, Markdown or HTML). With `template`, also check that the report is of
/// that checklist. `Err` means the report cannot be read at all.
pub fn verify(text: &str, template: Option<&Checklist>) -> Result<Verification, String> {
    let text = normalize(text.as_bytes()).text;
    let trimmed = text.trim_start();
    let mut v = if trimmed.starts_with('{') {
        verify_json(&text)?
    } else if text.contains("<script type=\"application/json\" id=\"preflight-report\">") {
        verify_html(&text)?
    } else if text.contains(markdown::SUMMARY_BEGIN) {
        verify_markdown(&text, template)?
    } else {
        return Err(
            "not a Preflight report: no JSON report, no report data in the HTML, no `preflight:summary` block".into()
        );
    };
    if let Some(c) = template {
        if c.source_sha256 != v.source_sha256 {
            v.differences.insert(
                0,
                Difference {
                    place: "checklist".into(),
                    expected: c.source_sha256.clone(),
                    found: v.source_sha256.clone(),
                },
            );
        }
    }
    Ok(v)
}

fn verify_json(text: &str) -> Result<Verification, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let what = if e.is_eof() { "truncated" } else { "not JSON" };
        format!("{what}: {e} (line {}, column {})", e.line(), e.column())
    })?;
    match value.get("schema").and_then(Value::as_str) {
        Some(REPORT_SCHEMA) => {}
        Some(REPORT_SCHEMA_V1) => {
            return Err(format!("a `{REPORT_SCHEMA_V1}` report does not carry its checklist: it cannot be recomputed"))
        }
        _ => return Err(format!("not a Preflight report: `schema` is not `{REPORT_SCHEMA}`")),
    }
    let report: JsonReport<'static> =
        serde_json::from_value(value.clone()).map_err(|e| format!("malformed report: {e}"))?;
    let (c, expected) = recompute_json(&report);
    let mut differences = Vec::new();
    diff_values("", &expected, &value, &mut differences);
    if differences.is_empty() {
        // Same values, other bytes (added whitespace, reordered keys): still not what was written.
        let canonical = report::json(&c, &report.run, &report.generated_at);
        if text.trim_end() != canonical.trim_end() {
            differences.push(first_line_difference(&canonical, text));
        }
    }
    differences.extend(log_differences(&report.run));
    differences.truncate(MAX_DIFFERENCES);
    let state_sha256 = report.run.state_sha256();
    Ok(Verification {
        format: "json",
        source_sha256: c.source_sha256.clone(),
        state_sha256,
        differences,
        recomputed: Some(Box::new((c, report.run.into_owned()))),
    })
}

/// The checklist a JSON report names (its own text, read with its corrections) and the report
/// that text and run produce.
fn recompute_json(report: &JsonReport<'_>) -> (Checklist, Value) {
    // Corrections from the document's own block are applied by parsing its text; only the
    // ones kept beside it are applied again.
    let beside: Vec<_> = report.corrections.iter().filter(|k| k.line == 0).cloned().collect();
    let c = parse_with_corrections(report.source.as_bytes(), &beside);
    let rebuilt = serde_json::to_value(report::build(&c, &report.run, &report.generated_at)).unwrap_or(Value::Null);
    (c, rebuilt)
}

fn verify_html(text: &str) -> Result<Verification, String> {
    const OPEN: &str = "<script type=\"application/json\" id=\"preflight-report\">";
    let start = text.find(OPEN).map(|i| i + OPEN.len()).ok_or("no report data in the HTML")?;
    let end = text[start..].find("</script>").map(|i| start + i).ok_or("truncated: the report data never ends")?;
    let value: Value = serde_json::from_str(&text[start..end]).map_err(|e| {
        let what = if e.is_eof() { "truncated" } else { "damaged" };
        format!("{what} report data: {e}")
    })?;
    if value.get("schema").and_then(Value::as_str) != Some(REPORT_SCHEMA) {
        return Err(format!("not a Preflight report: `schema` is not `{REPORT_SCHEMA}`"));
    }
    let report: JsonReport<'static> =
        serde_json::from_value(value.clone()).map_err(|e| format!("malformed report: {e}"))?;
    let (c, expected) = recompute_json(&report);
    let mut differences = Vec::new();
    diff_values("", &expected, &value, &mut differences);
    if differences.is_empty() {
        // What the page shows, and every byte of it, is what that data writes.
        let page = html::export(&c, &report.run, &report.generated_at);
        if page != text {
            differences.push(truncation_or_difference(&page, text)?);
        }
    }
    differences.extend(log_differences(&report.run));
    differences.truncate(MAX_DIFFERENCES);
    let state_sha256 = report.run.state_sha256();
    Ok(Verification {
        format: "html",
        source_sha256: c.source_sha256.clone(),
        state_sha256,
        differences,
        recomputed: Some(Box::new((c, report.run.into_owned()))),
    })
}

fn verify_markdown(text: &str, given: Option<&Checklist>) -> Result<Verification, String> {
    let report = import::split(text).ok_or(
        "truncated or damaged: the summary on top or the machine block at the end (`<!-- preflight:data`) cannot be read",
    )?;
    if report.is_first_format() {
        return Err("this Markdown report was written in Preflight's first report format (its state in a comment \
                    after each checkbox), which cannot be recomputed: import it and export it again"
            .into());
    }
    let generated_at = report.header.generated_at.clone();
    // Every export ends its last line; a report that does not was cut short.
    let truncated = !text.ends_with('\n');
    let original = report.header.template_sha256.clone();
    let changed = |why: &str| {
        if truncated {
            Err(format!("truncated: the report ends in the middle of line {}", text.lines().count()))
        } else {
            Ok(Verification {
                format: "markdown",
                source_sha256: original.clone(),
                state_sha256: String::new(),
                differences: vec![Difference {
                    place: "checklist text".into(),
                    expected: format!("checklist {original}"),
                    found: why.into(),
                }],
                recomputed: None,
            })
        }
    };
    let rebuilt = import::rebuild(&report, None);
    let c = rebuilt.as_ref().map(|r| parse_with_corrections(r.template.as_bytes(), &report.header.corrections));
    let (rebuilt, c) = match (rebuilt, c) {
        (Some(r), Some(c)) if c.source_sha256 == original => (r, c),
        (_, c) => {
            // Given the checklist itself, name the first line that differs from what the
            // recorded run writes for it: the line that was edited.
            if let Some(g) = given.filter(|g| g.source_sha256 == original) {
                if !truncated {
                    let g = parse_with_corrections(g.source.as_bytes(), &report.header.corrections);
                    let expected = markdown::export(&g, &report.header.run, &generated_at);
                    return Ok(Verification {
                        format: "markdown",
                        source_sha256: original.clone(),
                        state_sha256: String::new(),
                        differences: vec![first_line_difference(&expected, text)],
                        recomputed: None,
                    });
                }
            }
            let items = report.header.boxes.chars().count();
            return changed(&match c {
                None => "the document was edited beyond its edit log: lines added, removed or rewritten".to_string(),
                Some(c) if c.items.len() != items => {
                    format!("{} checklist items where the report had {items}", c.items.len())
                }
                Some(c) => format!(
                    "text that hashes to {}: an item, heading, command or table was edited, or a line under an item",
                    c.source_sha256
                ),
            });
        }
    };
    // The run the report records, its boxes as shown; everything else it shows is recomputed.
    let run = import::read_run(&report, &c, &rebuilt.ticked);
    let expected = markdown::export(&c, &run, &generated_at);
    let mut differences = Vec::new();
    if expected != text {
        differences.push(truncation_or_difference(&expected, text)?);
    }
    differences.extend(log_differences(&run));
    Ok(Verification {
        format: "markdown",
        source_sha256: c.source_sha256.clone(),
        state_sha256: run.state_sha256(),
        differences,
        recomputed: Some(Box::new((c, run))),
    })
}

/// The first line where `found` departs from `expected`; a `found` that is a strict prefix of
/// `expected` was cut short.
fn truncation_or_difference(expected: &str, found: &str) -> Result<Difference, String> {
    if expected.starts_with(found) && found.len() < expected.len() {
        let line = found.lines().count();
        return Err(format!("truncated: the report ends at line {line}, before its end"));
    }
    Ok(first_line_difference(expected, found))
}

fn first_line_difference(expected: &str, found: &str) -> Difference {
    let mut e = expected.lines();
    let mut f = found.lines();
    let mut n = 0;
    loop {
        n += 1;
        match (e.next(), f.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (a, b) => {
                return Difference {
                    place: format!("line {n}"),
                    expected: a.unwrap_or("(end of report)").chars().take(200).collect(),
                    found: b.unwrap_or("(end of report)").chars().take(200).collect(),
                }
            }
        }
    }
}

/// Walk two JSON values, recording every place they differ (by path).
fn diff_values(path: &str, expected: &Value, found: &Value, out: &mut Vec<Difference>) {
    if out.len() >= MAX_DIFFERENCES {
        return;
    }
    match (expected, found) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match b.get(k) {
                    Some(vb) => diff_values(&p, va, vb, out),
                    None => out.push(Difference { place: p, expected: short(va), found: "(missing)".into() }),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    out.push(Difference { place: p, expected: "(absent)".into(), found: short(vb) });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff_values(&format!("{path}[{i}]"), va, vb, out);
            }
            if a.len() != b.len() {
                out.push(Difference {
                    place: format!("{path}.length"),
                    expected: a.len().to_string(),
                    found: b.len().to_string(),
                });
            }
        }
        (a, b) if a != b => out.push(Difference { place: path.to_string(), expected: short(a), found: short(b) }),
        _ => {}
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        s.chars().take(119).collect::<String>() + "…"
    } else {
        s
    }
}
