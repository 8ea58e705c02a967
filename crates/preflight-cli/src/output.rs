//! What the CLI prints. The JSON shapes here are a stable contract for pipelines (snake_case,
//! only ever extended); the text forms are for people and may change.

use std::io::IsTerminal;

use preflight_core::model::Checklist;
use preflight_core::score::{percent, Scorecard};
use preflight_core::span::{excerpt, LineIndex};
use preflight_core::{Run, Severity, Verdict};
use serde_json::{json, Value};

/// Colour only on a terminal, and never when `NO_COLOR` is set (no-color.org).
pub fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.wrap("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.wrap("2", t)
    }
    fn red(&self, t: &str) -> String {
        self.wrap("1;31", t)
    }
    fn green(&self, t: &str) -> String {
        self.wrap("1;32", t)
    }
    fn yellow(&self, t: &str) -> String {
        self.wrap("1;33", t)
    }
}

fn counts_json(c: &preflight_core::score::Counts) -> Value {
    json!({
        "total": c.total, "done": c.done, "na": c.na, "blocked": c.blocked, "open": c.open,
        "inactive": c.inactive, "applicable": c.applicable,
    })
}

pub fn score_json(c: &Checklist, run: &Run, card: &Scorecard) -> Value {
    let line_of = |id: &str| c.item(id).map(|i| i.marker.line);
    let reasons_json = |reasons: &[preflight_core::score::Reason]| {
        reasons.iter().map(|r| json!({
            "code": r.code,
            "message": r.message,
            "items": r.items.iter().map(|id| json!({ "id": id, "line": line_of(id), "text": c.item(id).map(|i| i.text.as_str()) })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>()
    };
    let signoffs_json = |s: &preflight_core::score::SignOffCounts| json!({ "total": s.total, "signed": s.signed, "stale": s.stale, "required": s.required });
    json!({
        "schema": "preflight.score/2",
        "gate": card.gate.map_or("all", |g| g.as_str()),
        "gates": card.gates.iter().map(|g| json!({
            "id": g.gate.as_str(),
            "sections": g.sections,
            "items": counts_json(&g.counts),
            "signoffs": signoffs_json(&g.sign_offs),
            "score": f64::from(g.score_tenths) / 10.0,
            "band": { "min": g.band.min, "label": g.band.label },
            "verdict": g.verdict.map(|v| v.as_str()),
            "reasons": reasons_json(&g.reasons),
        })).collect::<Vec<_>>(),
        "title": c.title,
        "source_sha256": c.source_sha256,
        "state_sha256": run.state_sha256(),
        "run": { "id": run.id, "name": run.name },
        "items": counts_json(&card.counts),
        "signoffs": {
            "total": card.sign_offs.total, "signed": card.sign_offs.signed,
            "stale": card.sign_offs.stale, "required": card.sign_offs.required,
        },
        "declared_total": c.declared_total.as_ref().map(|d| d.count),
        "bands": card.bands.iter().map(|b| json!({ "min": b.min, "label": b.label })).collect::<Vec<_>>(),
        "bands_source": card.bands_source,
        "band": { "min": card.band.min, "label": card.band.label },
        "score": card.score(),
        "verdict": card.verdict.as_str(),
        "reasons": reasons_json(&card.reasons),
        "sections": card.sections.iter().map(|s| json!({
            "id": s.id, "title": s.title, "level": s.level, "phase": s.phase,
            "conditional": s.conditional, "active": s.active,
            "items": counts_json(&s.counts), "score": f64::from(s.score_tenths) / 10.0,
        })).collect::<Vec<_>>(),
        "critical_open": card.open_critical.iter().map(|id| json!({ "id": id, "line": line_of(id) })).collect::<Vec<_>>(),
    })
}

fn bar(tenths: u32, width: usize) -> String {
    let filled = (tenths as usize * width + 500) / 1000;
    format!("{}{}", "█".repeat(filled.min(width)), "░".repeat(width - filled.min(width)))
}

pub fn score_text(c: &Checklist, run: &Run, card: &Scorecard, file: &str, colour: bool) -> String {
    let p = Paint(colour);
    let mut out = String::new();
    out.push_str(&format!("{}\n", p.bold(&c.title)));
    let bands = card.bands.iter().map(|b| b.min.to_string()).collect::<Vec<_>>().join("/");
    out.push_str(&p.dim(&format!(
        "{file} · source {} · run “{}” · bands {bands} ({})\n",
        &c.source_sha256[..12],
        run.name,
        card.bands_source
    )));
    out.push('\n');
    let verdict = match card.verdict {
        Verdict::Go => p.green(" GO "),
        Verdict::NoGo => p.red(" NO-GO "),
    };
    let gate = card.gate.map_or("the whole checklist".to_string(), |g| format!("the {} gate", g.as_str()));
    out.push_str(&format!("  {}\n", p.dim(&format!("answering for {gate}"))));
    out.push_str(&format!(
        "  {verdict}  score {} {} — {}\n",
        p.bold(&percent(card.score_tenths)),
        bar(card.score_tenths, 20),
        card.band.label
    ));
    let n = &card.counts;
    out.push_str(&format!(
        "  items {}/{} done · {} N/A · {} blocked · {} open{}\n",
        n.done,
        n.applicable,
        n.na,
        n.blocked,
        n.open,
        if n.inactive > 0 { format!(" · {} optional/conditional not counted", n.inactive) } else { String::new() }
    ));
    if let Some(d) = &c.declared_total {
        out.push_str(&format!("  the document declares {} items; it has {}\n", d.count, c.tasks().count()));
    }
    let s = &card.sign_offs;
    out.push_str(&format!(
        "  sign-offs {}/{} signed{}\n\n",
        s.signed,
        s.total,
        if s.stale > 0 { format!(" · {} stale", s.stale) } else { String::new() }
    ));
    let gates: Vec<_> = card.gates.iter().filter(|g| g.verdict.is_some()).collect();
    if gates.len() > 1 {
        out.push_str(&format!("{}\n", p.bold("Gates")));
        for g in gates {
            let v = match g.verdict {
                Some(Verdict::Go) => p.green("GO"),
                _ => p.red("NO-GO"),
            };
            out.push_str(&format!(
                "  {:<12} {v:<6} {:>6}  {}/{} done · sign-offs {}/{}\n",
                g.gate.as_str(),
                percent(g.score_tenths),
                g.counts.done,
                g.counts.applicable,
                g.sign_offs.signed,
                g.sign_offs.total
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("{}\n", p.bold("Sections")));
    for sec in card.sections.iter().filter(|s| s.counts.total > 0 && s.level <= 3) {
        let indent = "  ".repeat(usize::from(sec.level.saturating_sub(1)).min(3));
        let mut title: String = format!("{indent}{}", sec.title);
        if title.chars().count() > 44 {
            title = title.chars().take(43).collect::<String>() + "…";
        }
        let pad = 45usize.saturating_sub(title.chars().count());
        let state = if sec.conditional && !sec.active { p.dim(" (conditional, off)") } else { String::new() };
        out.push_str(&format!(
            "  {title}{} {:>4}/{:<4} {:>6} {}{state}\n",
            " ".repeat(pad),
            sec.counts.done,
            sec.counts.applicable,
            preflight_core::score::section_percent(sec),
            bar(if sec.counts.applicable == 0 { 0 } else { sec.score_tenths }, 10)
        ));
    }
    if !card.reasons.is_empty() {
        out.push_str(&format!("\n{}\n", p.bold("Why NO-GO")));
        for r in &card.reasons {
            out.push_str(&format!("  • {}\n", r.message));
            for id in r.items.iter().take(8) {
                if let Some(item) = c.item(id) {
                    let text = match &item.sign_off {
                        Some(spec) => spec.role.clone(),
                        None => item.text.chars().take(70).collect(),
                    };
                    out.push_str(&p.dim(&format!("      {file}:{}  {text}\n", item.marker.line)));
                }
            }
            if r.items.len() > 8 {
                out.push_str(&p.dim(&format!("      … and {} more\n", r.items.len() - 8)));
            }
        }
    }
    let errors = c.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = c.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    if errors + warnings > 0 {
        out.push_str(&p.dim(&format!(
            "\n{errors} lint error(s), {warnings} warning(s): run `preflight lint {file}` for details\n"
        )));
    }
    out
}

pub fn lint_json(c: &Checklist) -> Value {
    json!({
        "schema": "preflight.lint/1",
        "source_sha256": c.source_sha256,
        "diagnostics": c.diagnostics.iter().map(|d| json!({
            "severity": d.severity.as_str(), "code": d.code, "message": d.message,
            "line": d.span.line, "column": d.span.column,
            "start": d.span.start, "end": d.span.end,
            "repair": d.repair,
        })).collect::<Vec<_>>(),
    })
}

/// Characters of a source line shown under a diagnostic.
const SOURCE_WIDTH: usize = 120;

/// `file:line:col: severity[code]: message`, the source line, and a caret under the column.
pub fn lint_text(c: &Checklist, file: &str, colour: bool) -> String {
    let p = Paint(colour);
    let index = LineIndex::new(&c.source);
    let mut out = String::new();
    for d in &c.diagnostics {
        let severity = match d.severity {
            Severity::Error => p.red("error"),
            Severity::Warning => p.yellow("warning"),
            Severity::Info => p.dim("info"),
        };
        out.push_str(&format!(
            "{}: {severity}[{}]: {}\n",
            p.bold(&format!("{file}:{}:{}", d.span.line, d.span.column)),
            d.code,
            d.message
        ));
        // Around the column only: 20,000 placeholders on one long line printed it 20,000 times.
        let (line, before) = excerpt(index.line_text(d.span.line), d.span.column, SOURCE_WIDTH);
        let gutter = d.span.line.to_string();
        out.push_str(&format!("{} |\n", " ".repeat(gutter.len())));
        out.push_str(&format!("{gutter} | {}\n", line.replace('\t', " ")));
        let caret_at: usize = line.chars().take(before).map(char_width).sum();
        out.push_str(&format!("{} | {}{}\n", " ".repeat(gutter.len()), " ".repeat(caret_at), p.red("^")));
        if let Some(repair) = &d.repair {
            let (repair, _) = excerpt(repair, d.span.column, SOURCE_WIDTH);
            out.push_str(&format!("{} = proposed: {repair}\n", " ".repeat(gutter.len())));
        }
        out.push('\n');
    }
    let errors = c.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let others = c.diagnostics.len() - errors;
    out.push_str(&format!("{file}: {errors} error(s), {others} warning(s)\n"));
    out
}

/// Terminal columns of a character: wide for CJK and emoji, so the caret lands right.
fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || (0x1F300..=0x1FAFF).contains(&u)
        || (0x20000..=0x3FFFD).contains(&u);
    if wide {
        2
    } else {
        1
    }
}

/// Verify a Markdown report: its run state hash and, given the template, its source hash.
/// `verify` for people: what was recomputed and, if anything differs, where.
pub fn verification_text(v: &preflight_core::export::verify::Verification, file: &str) -> String {
    let mut out =
        format!("{file}: {} report of checklist {}\n", v.format, &v.source_sha256[..v.source_sha256.len().min(12)]);
    if v.ok() {
        out.push_str("report verified: recomputed from its own contents, every value matches\n");
        return out;
    }
    for d in &v.differences {
        out.push_str(&format!("DIFFERS {}\n  recomputed: {}\n  report:     {}\n", d.place, d.expected, d.found));
    }
    out.push_str("report does NOT match: it was changed\n");
    out
}

/// `explain` for people: one line per section, item and slot, each with why.
pub fn explain_text(e: &preflight_core::explain::Explanation, colour: bool) -> String {
    let p = Paint(colour);
    let gate = |g: Option<preflight_core::model::Gate>| g.map_or("none", |g| g.as_str());
    let why = |w: &[preflight_core::model::Why]| {
        w.iter()
            .map(|w| format!("{} {} ({}, line {}: “{}”)", w.about, w.value, w.rule, w.line, w.words))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out = format!("{}\n", p.bold(&e.title));
    out.push_str(&p.bold("\nSections\n"));
    for s in &e.sections {
        let mut marks = vec![format!("gate {}", gate(s.gate))];
        if s.conditional {
            marks.push("conditional".into());
        }
        if s.critical {
            marks.push("critical".into());
        }
        if s.non_blocking {
            marks.push("not blocking".into());
        }
        out.push_str(&format!(
            "{:>5}  {}{} [{}]\n",
            s.line,
            "  ".repeat(s.level.saturating_sub(1) as usize),
            s.title,
            marks.join(", ")
        ));
        if !s.why.is_empty() {
            out.push_str(&p.dim(&format!("       {}\n", why(&s.why))));
        }
    }
    out.push_str(&p.bold("\nItems\n"));
    for i in &e.items {
        let mut marks = vec![i.kind.to_string(), format!("gate {}", gate(i.gate))];
        if i.critical {
            marks.push("critical".into());
        }
        if i.optional {
            marks.push("optional".into());
        }
        out.push_str(&format!("{:>5}  {} [{}]\n", i.line, i.text, marks.join(", ")));
        if !i.why.is_empty() {
            out.push_str(&p.dim(&format!("       {}\n", why(&i.why))));
        }
    }
    out.push_str(&p.bold("\nSign-off slots\n"));
    for s in &e.signoffs {
        let kind = match s.kind {
            preflight_core::model::SlotKind::Approval => "approval",
            preflight_core::model::SlotKind::Record => "record",
        };
        let place = if s.task_line { "task line" } else { "line" };
        out.push_str(&format!("{:>5}  {} [{kind}, gate {}, {place}]\n", s.line, s.role, gate(s.gate)));
    }
    let bands = e.rubric.bands.iter().map(|b| format!("{}% {}", b.min, b.label)).collect::<Vec<_>>().join(" / ");
    out.push_str(&format!("\nRubric ({}): {bands}; GO from {}%\n", e.rubric.source, e.rubric.go_min));
    if let Some(r) = &e.rubric.rule {
        out.push_str(&format!("Rule (line {}): all critical items and {}% of the rest\n", r.line, r.rest_min));
    }
    match &e.declared_total {
        Some(d) => out.push_str(&format!("Declared total: {} (line {})\n", d.value, d.line)),
        None => out.push_str("Declared total: none\n"),
    }
    out
}
