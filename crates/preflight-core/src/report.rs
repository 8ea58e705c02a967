//! The JSON report, schema `preflight.report/1` (documented in docs/report-schema.md), and its
//! verification: a report carries the run itself, so its hashes and its verdict can be
//! recomputed from it (and from the template, when given) to detect any later change.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::model::{Band, Checklist, ItemKind};
use crate::run::{Run, Signature, Status};
use crate::score::{score, Counts, Reason, SectionScore, SignOffCounts};

pub const REPORT_SCHEMA: &str = "preflight.report/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonReport {
    pub schema: String,
    pub generator: Generator,
    pub generated_at: String,
    pub title: String,
    pub source_sha256: String,
    pub state_sha256: String,
    pub summary: Summary,
    pub sections: Vec<SectionScore>,
    pub items: Vec<ReportItem>,
    pub sign_offs: Vec<ReportSignOff>,
    pub fields: Vec<ReportField>,
    pub diagnostics: Vec<Diagnostic>,
    /// The run itself, so the report can be re-imported and its hash recomputed.
    pub run: Run,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generator {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub run_name: String,
    pub score: f64,
    pub verdict: String,
    pub band: Band,
    pub bands: Vec<Band>,
    pub bands_source: String,
    pub items: Counts,
    pub sign_offs: SignOffCounts,
    pub declared_total: Option<u32>,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportItem {
    pub id: String,
    pub text: String,
    pub section: String,
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

pub fn build(c: &Checklist, run: &Run, generated_at: &str) -> JsonReport {
    let card = score(c, run);
    let section_title = |i: usize| c.sections.get(i).map(|s| s.title.clone()).unwrap_or_default();
    let items = c
        .tasks()
        .map(|item| {
            let s = run.item(&item.id);
            ReportItem {
                id: item.id.clone(),
                text: item.text.clone(),
                section: section_title(item.section),
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
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::SignOff)
        .map(|item| ReportSignOff {
            id: item.id.clone(),
            role: item.sign_off.as_ref().map(|s| s.role.clone()).unwrap_or_default(),
            section: section_title(item.section),
            line: item.marker.line,
            signature: run.sign_offs.get(&item.id).and_then(|s| s.signature.clone()),
            stale: card.stale_sign_offs.contains(&item.id),
        })
        .collect();
    let fields = c
        .fields
        .iter()
        .map(|f| ReportField {
            id: f.id.clone(),
            label: f.label.clone(),
            section: section_title(f.section),
            value: run.fields.get(&f.id).map(|v| v.value.clone()).unwrap_or_default(),
        })
        .collect();
    JsonReport {
        schema: REPORT_SCHEMA.to_string(),
        generator: Generator { name: "preflight".into(), version: crate::VERSION.into() },
        generated_at: generated_at.to_string(),
        title: c.title.clone(),
        source_sha256: c.source_sha256.clone(),
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
        diagnostics: c.diagnostics.clone(),
        run: run.clone(),
    }
}

pub fn json(c: &Checklist, run: &Run, generated_at: &str) -> String {
    serde_json::to_string_pretty(&build(c, run, generated_at)).unwrap_or_default()
}

/// What `verify` found: each check with whether it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

/// Recompute a JSON report's hashes (and, given the template, its source hash and verdict).
pub fn verify(report_json: &str, template: Option<&Checklist>) -> Result<Vec<Check>, String> {
    let value: serde_json::Value = serde_json::from_str(report_json)
        .map_err(|e| format!("not JSON: {e} (line {}, column {})", e.line(), e.column()))?;
    if value.get("schema").and_then(|s| s.as_str()) != Some(REPORT_SCHEMA) {
        return Err(format!("not a Preflight report: `schema` is not `{REPORT_SCHEMA}`"));
    }
    let report: JsonReport = serde_json::from_value(value).map_err(|e| format!("malformed report: {e}"))?;
    let mut checks = Vec::new();
    let state = report.run.state_sha256();
    checks.push(Check {
        name: "state-sha256".into(),
        ok: state == report.state_sha256,
        detail: format!("recomputed {state}, report says {}", report.state_sha256),
    });
    checks.push(Check {
        name: "run-template".into(),
        ok: report.run.template_sha256 == report.source_sha256,
        detail: format!("run belongs to {}, report names {}", report.run.template_sha256, report.source_sha256),
    });
    if let Some(c) = template {
        checks.push(Check {
            name: "source-sha256".into(),
            ok: c.source_sha256 == report.source_sha256,
            detail: format!("template hashes to {}, report says {}", c.source_sha256, report.source_sha256),
        });
        let card = score(c, &report.run);
        let ok = card.verdict.as_str() == report.summary.verdict && (card.score() - report.summary.score).abs() < 0.05;
        checks.push(Check {
            name: "verdict".into(),
            ok,
            detail: format!(
                "recomputed {} at {}, report says {} at {}",
                card.verdict.as_str(),
                crate::score::percent(card.score_tenths),
                report.summary.verdict,
                report.summary.score
            ),
        });
    }
    Ok(checks)
}
