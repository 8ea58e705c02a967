//! The JSON report, schema `preflight.report/2` (documented in docs/report-schema.md): what a
//! run shows, plus everything needed to recompute it — the normalized checklist text, the
//! corrections it was read with, and the run itself. `export::verify` recomputes the report from
//! those and compares every value it displays.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::model::{Band, Checklist};
use crate::run::{Run, Signature, Status};
use crate::score::{score, score_gate_summary, Counts, Reason, Scorecard, SectionScore, SignOffCounts};

pub const REPORT_SCHEMA: &str = "preflight.report/2";
/// Reports written before gates: still imported (their run), not verifiable by recomputation.
pub const REPORT_SCHEMA_V1: &str = "preflight.report/1";

/// A report as written (borrowing the checklist's text, the run and every item's words: on a
/// 10 MB checklist copies of those were 15 MiB of a report's memory) or as read back (owning
/// them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonReport<'a> {
    pub schema: String,
    pub generator: Generator,
    pub generated_at: String,
    pub title: Cow<'a, str>,
    pub source_sha256: Cow<'a, str>,
    pub state_sha256: String,
    pub summary: Summary<'a>,
    pub sections: Vec<SectionScore<'a>>,
    pub items: Vec<ReportItem<'a>>,
    pub sign_offs: Vec<ReportSignOff>,
    pub fields: Vec<ReportField>,
    pub diagnostics: Vec<Diagnostic>,
    /// The gate the summary answers for (`before`), and every gate's own verdict.
    #[serde(default)]
    pub gate: Option<crate::model::Gate>,
    #[serde(default)]
    pub gates: Vec<crate::score::GateCard<'a>>,
    /// The run's moments, as displayed (also inside `run`).
    #[serde(default)]
    pub timeline: Vec<crate::run::Event>,
    /// The corrections the checklist was read with (its own `preflight:` block and any kept
    /// beside it), so verifying reads it the same way.
    #[serde(default)]
    pub corrections: Vec<crate::model::Correction>,
    /// The run itself, so the report can be re-imported and its hash recomputed.
    pub run: Cow<'a, Run>,
    /// The normalized checklist text: the report verifies alone.
    #[serde(default)]
    pub source: Cow<'a, str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generator {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary<'a> {
    pub run_name: String,
    pub score: f64,
    pub verdict: String,
    pub band: Band,
    pub bands: Vec<Band>,
    pub bands_source: String,
    pub items: Counts,
    pub sign_offs: SignOffCounts,
    pub declared_total: Option<u32>,
    pub reasons: Vec<Reason<'a>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportItem<'a> {
    pub id: Cow<'a, str>,
    pub text: Cow<'a, str>,
    pub section: Cow<'a, str>,
    pub line: u32,
    pub critical: bool,
    pub optional: bool,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportSignOff {
    pub id: String,
    pub role: String,
    pub section: String,
    pub line: u32,
    pub signature: Option<Signature>,
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportField {
    pub id: String,
    pub label: String,
    pub section: String,
    pub value: String,
}

pub fn build<'a>(c: &'a Checklist, run: &'a Run, generated_at: &str) -> JsonReport<'a> {
    build_scored(c, run, generated_at, score(c, run), &score_gate_summary(c, run, None))
}

/// [`build`], from the run's scorecard (`score`) and its whole-run card (`score_gate_summary`
/// of no gate), for a caller that computed them already: the HTML page shows both, and scoring a
/// long checklist's run is a seventh of writing its page.
pub(crate) fn build_scored<'a>(
    c: &'a Checklist,
    run: &'a Run,
    generated_at: &str,
    card: Scorecard<'a>,
    whole: &Scorecard<'_>,
) -> JsonReport<'a> {
    let section_title = |i: usize| c.sections.get(i).map_or("", |s| s.title.as_str());
    let items = c
        .tasks()
        .map(|item| {
            let s = run.item(&item.id);
            ReportItem {
                id: Cow::Borrowed(&item.id),
                text: Cow::Borrowed(&item.text),
                section: Cow::Borrowed(section_title(item.section)),
                line: item.marker.line,
                critical: item.critical,
                optional: item.optional,
                status: s.status,
                reason: s.reason,
                note: s.note,
                evidence: s.evidence,
                by: s.by,
                at: s.at,
            }
        })
        .collect();
    let sign_offs = c
        .sign_offs()
        .map(|item| ReportSignOff {
            id: item.id.clone(),
            role: item.sign_off.as_ref().map(|s| s.role.clone()).unwrap_or_default(),
            section: section_title(item.section).to_string(),
            line: if item.marker.end > item.marker.start { item.marker.line } else { item.span.line },
            signature: run.sign_offs.get(&item.id).and_then(|s| s.signature.clone()),
            stale: whole.is_stale(&item.id),
        })
        .collect();
    let fields = c
        .fields
        .iter()
        .map(|f| ReportField {
            id: f.id.clone(),
            label: f.label.clone(),
            section: section_title(f.section).to_string(),
            value: run.fields.get(&f.id).map(|v| v.value.clone()).unwrap_or_default(),
        })
        .collect();
    JsonReport {
        schema: REPORT_SCHEMA.to_string(),
        generator: Generator { name: "preflight".into(), version: crate::VERSION.into() },
        generated_at: generated_at.to_string(),
        title: Cow::Borrowed(&c.title),
        source_sha256: Cow::Borrowed(&c.source_sha256),
        state_sha256: run.state_sha256(),
        summary: Summary {
            run_name: run.name.clone(),
            score: card.score(),
            verdict: card.verdict.as_str().to_string(),
            band: card.band.clone(),
            bands: card.bands.clone(),
            bands_source: card.bands_source.clone(),
            items: card.counts,
            sign_offs: card.sign_offs,
            declared_total: c.declared_total.as_ref().map(|d| d.count),
            reasons: card.reasons.clone(),
        },
        sections: card.sections,
        items,
        sign_offs,
        fields,
        // Diagnostics of the checklist as embedded (its normalized text); what decoding the
        // original bytes found (invalid UTF-8, UTF-16, NUL) is about the file, not the report.
        diagnostics: c
            .diagnostics
            .iter()
            .filter(|d| {
                use crate::diagnostic::code::*;
                ![INVALID_UTF8, UTF16, INVALID_UTF16, NUL_BYTE].contains(&d.code.as_str())
            })
            .cloned()
            .collect(),
        gate: card.gate,
        gates: card.gates.clone(),
        timeline: run.timeline.clone(),
        corrections: c.corrections.clone(),
        run: Cow::Borrowed(run),
        source: Cow::Borrowed(&c.source),
    }
}

pub fn json(c: &Checklist, run: &Run, generated_at: &str) -> String {
    let mut out = Vec::new();
    // Writing to a `Vec` fails only if serializing does, which the report's types never do.
    let _ = write_json(c, run, generated_at, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`json`], written to `out` as it is made instead of returned whole: the report of a long
/// checklist is about three times its text, and a page's wasm memory keeps every byte it
/// ever held. One writer type (`dyn Write`) for every caller, so the report's serializer is
/// compiled once however many kinds of output there are.
pub fn write_json(c: &Checklist, run: &Run, generated_at: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_report(&build(c, run, generated_at), out)
}

/// A built report, as [`write_json`] writes it.
pub(crate) fn write_report(report: &JsonReport<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // serde_json writes a report in many tiny pieces (a brace, a key, a comma): through a
    // buffer, the writer behind `dyn Write` gets them in blocks. Blocks may cut a character.
    let mut out = std::io::BufWriter::with_capacity(16 * 1024, out);
    serde_json::to_writer_pretty(&mut out, report).map_err(std::io::Error::from)?;
    std::io::Write::flush(&mut out)
}

/// What `verify` found: each check with whether it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report being written holds no copy of the checklist's text, the run or any item's
    /// words: it borrows them (on a 10 MB checklist the copies were 15 MiB).
    #[test]
    fn a_report_borrows_what_it_writes() {
        let c = crate::parse_str("# T\n## Prep\n- [ ] one\n- [ ] two\n");
        let run = Run::new(&c, "r", "r", "2026-12-01T00:00:00Z");
        let report = build(&c, &run, "2026-12-01T00:00:01Z");
        assert!(matches!(report.source, Cow::Borrowed(s) if std::ptr::eq(s, c.source.as_str())));
        assert!(matches!(report.run, Cow::Borrowed(r) if std::ptr::eq(r, &run)));
        assert_eq!(report.items.len(), 2);
        for item in &report.items {
            assert!(matches!(
                (&item.id, &item.text, &item.section),
                (Cow::Borrowed(_), Cow::Borrowed(_), Cow::Borrowed(_))
            ));
        }
        assert!(matches!(report.title, Cow::Borrowed(_)));
    }
}
