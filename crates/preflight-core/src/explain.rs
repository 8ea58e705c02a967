//! `explain`: how the engine read a checklist, inference by inference. The `preflight.explain/1`
//! contract: every section with its gate and whether it is conditional, every task line with
//! its kind, marks and gate, every sign-off slot (task line or not) with its kind and gate, the
//! rubric and the declared total; each with `why` (rule, line, words). Built from the model
//! alone, so the CLI, the app and the tests all see the same reading.

use serde::Serialize;

use crate::model::{Band, Checklist, Gate, ItemKind, SlotKind, Why};
use crate::rubric::default_bands;

pub const EXPLAIN_SCHEMA: &str = "preflight.explain/1";

#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub schema: &'static str,
    pub title: String,
    pub source_sha256: String,
    pub sections: Vec<SectionReading>,
    pub items: Vec<ItemReading>,
    pub signoffs: Vec<SignOffReading>,
    pub rubric: RubricReading,
    pub declared_total: Option<DeclaredTotalReading>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionReading {
    pub id: String,
    pub title: String,
    pub line: u32,
    pub level: u8,
    pub gate: Option<Gate>,
    pub conditional: bool,
    pub critical: bool,
    pub non_blocking: bool,
    pub why: Vec<Why>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemReading {
    pub id: String,
    pub line: u32,
    pub text: String,
    /// `task` or `sign-off`.
    pub kind: &'static str,
    pub critical: bool,
    pub optional: bool,
    pub gate: Option<Gate>,
    pub why: Vec<Why>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignOffReading {
    pub id: String,
    pub line: u32,
    pub role: String,
    pub kind: SlotKind,
    pub gate: Option<Gate>,
    /// A task line (`- [ ] Tech Lead: ____`), or a table row or plain line.
    pub task_line: bool,
    pub why: Vec<Why>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RubricReading {
    /// `document` when the checklist brings its own, else `default`.
    pub source: &'static str,
    pub line: Option<u32>,
    pub bands: Vec<Band>,
    /// The GO threshold: the lowest percent of the top band.
    pub go_min: u32,
    pub rule: Option<RuleReading>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleReading {
    pub all_critical: bool,
    pub rest_min: u32,
    pub text: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeclaredTotalReading {
    pub value: u32,
    pub line: u32,
}

pub fn explain(c: &Checklist) -> Explanation {
    let sections = c
        .sections
        .iter()
        .skip(1)
        .map(|s| SectionReading {
            id: s.id.clone(),
            title: s.title.clone(),
            line: s.span.line,
            level: s.level,
            gate: s.gate,
            conditional: s.conditional,
            critical: s.critical,
            non_blocking: s.non_blocking,
            why: s.why.clone(),
        })
        .collect();
    let items = c
        .items
        .iter()
        .map(|i| ItemReading {
            id: i.id.clone(),
            line: i.marker.line,
            text: i.text.clone(),
            kind: if i.kind == ItemKind::SignOff { "sign-off" } else { "task" },
            critical: i.critical,
            optional: i.optional,
            gate: i.gate,
            why: i.why.clone(),
        })
        .collect();
    let mut signoffs: Vec<SignOffReading> = c
        .sign_offs()
        .map(|i| SignOffReading {
            id: i.id.clone(),
            line: if i.marker.end > i.marker.start { i.marker.line } else { i.span.line },
            role: i.sign_off.as_ref().map(|s| s.role.clone()).unwrap_or_default(),
            kind: i.sign_off.as_ref().map(|s| s.kind).unwrap_or_default(),
            gate: i.gate,
            task_line: i.marker.end > i.marker.start,
            why: i.why.clone(),
        })
        .collect();
    signoffs.sort_by_key(|s| s.line);
    let bands = c.rubric.clone().unwrap_or_else(default_bands);
    let rubric = RubricReading {
        source: if c.rubric.is_some() { "document" } else { "default" },
        line: c.rubric_line,
        go_min: bands.first().map_or(0, |b| b.min),
        bands,
        rule: c.rubric_rule.as_ref().map(|r| RuleReading {
            all_critical: r.all_critical,
            rest_min: r.rest_min,
            text: r.text.clone(),
            line: r.line,
        }),
    };
    Explanation {
        schema: EXPLAIN_SCHEMA,
        title: c.title.clone(),
        source_sha256: c.source_sha256.clone(),
        sections,
        items,
        signoffs,
        rubric,
        declared_total: c.declared_total.as_ref().map(|d| DeclaredTotalReading { value: d.count, line: d.span.line }),
    }
}
