//! What the CLI prints. The JSON shapes here are a stable contract for pipelines (snake_case,
//! only ever extended); the text forms are for people and may change. Every document-derived
//! string in a text form goes through [`plain`] first, and columns are measured in terminal
//! columns ([`terminal::width`]), so CJK and emoji titles line up.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use preflight_core::import;
use preflight_core::model::Checklist;
use preflight_core::report::Check;
use preflight_core::score::{percent, Scorecard};
use preflight_core::span::{excerpt, LineIndex};
use preflight_core::{Run, Severity, Verdict};
use serde_json::{json, Value};

use crate::terminal::{self, paint, plain, BOLD, DIM, GREEN, RED, YELLOW};

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

/// Columns a section title (with its indent) takes in `score` text before the counts.
const TITLE_COLUMNS: usize = 45;

pub fn score_text(c: &Checklist, run: &Run, card: &Scorecard, file: &str) -> String {
    let file = plain(file);
    let mut out = String::new();
    out.push_str(&format!("{}\n", paint(BOLD, &plain(&c.title))));
    let bands = card.bands.iter().map(|b| b.min.to_string()).collect::<Vec<_>>().join("/");
    out.push_str(&paint(
        DIM,
        &format!(
            "{file} · source {} · run “{}” · bands {bands} ({})",
            c.source_sha256.get(..12).unwrap_or(&c.source_sha256),
            plain(&run.name),
            card.bands_source
        ),
    ));
    out.push_str("\n\n");
    let verdict = match card.verdict {
        Verdict::Go => paint(GREEN, " GO "),
        Verdict::NoGo => paint(RED, " NO-GO "),
    };
    let gate = card.gate.map_or("the whole checklist".to_string(), |g| format!("the {} gate", g.as_str()));
    out.push_str(&format!("  {}\n", paint(DIM, &format!("answering for {gate}"))));
    out.push_str(&format!(
        "  {verdict}  score {} {} — {}\n",
        paint(BOLD, &percent(card.score_tenths)),
        bar(card.score_tenths, 20),
        plain(&card.band.label)
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
        out.push_str(&format!("{}\n", paint(BOLD, "Gates")));
        for g in gates {
            // Padded before it is painted: a style's bytes take no columns.
            let v = match g.verdict {
                Some(Verdict::Go) => paint(GREEN, &terminal::pad("GO", 6)),
                _ => paint(RED, &terminal::pad("NO-GO", 6)),
            };
            out.push_str(&format!(
                "  {:<12} {v} {:>6}  {}/{} done · sign-offs {}/{}\n",
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
    out.push_str(&format!("{}\n", paint(BOLD, "Sections")));
    for sec in card.sections.iter().filter(|s| s.counts.total > 0 && s.level <= 3) {
        let indent = "  ".repeat(usize::from(sec.level.saturating_sub(1)).min(3));
        let title = format!("{indent}{}", plain(&sec.title));
        let title = terminal::pad(&terminal::truncate(&title, TITLE_COLUMNS - 1), TITLE_COLUMNS);
        let state = if sec.conditional && !sec.active { paint(DIM, " (conditional, off)") } else { String::new() };
        out.push_str(&format!(
            "  {title} {:>4}/{:<4} {:>6} {}{state}\n",
            sec.counts.done,
            sec.counts.applicable,
            preflight_core::score::section_percent(sec),
            bar(if sec.counts.applicable == 0 { 0 } else { sec.score_tenths }, 10)
        ));
    }
    if !card.reasons.is_empty() {
        out.push_str(&format!("\n{}\n", paint(BOLD, "Why NO-GO")));
        for r in &card.reasons {
            out.push_str(&format!("  • {}\n", plain(&r.message)));
            for id in r.items.iter().take(8) {
                if let Some(item) = c.item(id) {
                    let text = match &item.sign_off {
                        Some(spec) => plain(&spec.role).into_owned(),
                        None => terminal::truncate(&plain(&item.text), 70).into_owned(),
                    };
                    out.push_str(&paint(DIM, &format!("      {file}:{}  {text}", item.marker.line)));
                    out.push('\n');
                }
            }
            if r.items.len() > 8 {
                out.push_str(&paint(DIM, &format!("      … and {} more", r.items.len() - 8)));
                out.push('\n');
            }
        }
    }
    let errors = c.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = c.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    if errors + warnings > 0 {
        out.push('\n');
        out.push_str(&paint(
            DIM,
            &format!("{errors} lint error(s), {warnings} warning(s): run `preflight lint {file}` for details"),
        ));
        out.push('\n');
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

/// `file:line:col: severity[code]: message`, then the source line with the diagnostic's span
/// underlined (drawn by `annotate-snippets`) and the proposed repair, if any.
///
/// Only an excerpt of the line around the column goes to the renderer: 2,000 placeholders on
/// one long line printed that line 2,000 times, and rendering a whole long line per diagnostic
/// would cost its length each time. The excerpt is cut into before / span / after and each part
/// made inert on its own, so the underline stays under the span whatever was escaped.
pub fn lint_text(c: &Checklist, file: &str) -> String {
    let file = plain(file);
    let index = LineIndex::new(&c.source);
    // Styled; anstream strips the styles when they are not wanted. Wide enough never to cut
    // an excerpt again (120 characters of up to 2 columns each, and the gutter).
    let renderer = Renderer::styled().term_width(2 * SOURCE_WIDTH + 40);
    let mut out = String::new();
    for d in &c.diagnostics {
        let (severity, level) = match d.severity {
            Severity::Error => (paint(RED, "error"), Level::ERROR),
            Severity::Warning => (paint(YELLOW, "warning"), Level::WARNING),
            Severity::Info => (paint(DIM, "info"), Level::INFO),
        };
        out.push_str(&format!(
            "{}: {severity}[{}]: {}\n",
            paint(BOLD, &format!("{file}:{}:{}", d.span.line, d.span.column)),
            plain(&d.code),
            plain(&d.message)
        ));
        let line = index.line_text(d.span.line);
        let (excerpt_text, before) = excerpt(line, d.span.column, SOURCE_WIDTH);
        // How many characters of the line the span covers (bounded: the excerpt shows no more).
        let line_end = index.line_start(d.span.line) + line.len();
        let covered = c
            .source
            .get(d.span.start.min(line_end)..d.span.end.min(line_end))
            .map_or(0, |s| s.chars().take(SOURCE_WIDTH + 1).count());
        let from = byte_at(&excerpt_text, before);
        let to = byte_at(&excerpt_text, before + covered);
        let (head, mid, tail) =
            (plain(&excerpt_text[..from]), plain(&excerpt_text[from..to]), plain(&excerpt_text[to..]));
        let source = format!("{head}{mid}{tail}");
        let span = head.len()..head.len() + mid.len();
        let snippet = Snippet::source(source.as_str())
            .line_start(d.span.line as usize)
            .annotation(AnnotationKind::Primary.span(span));
        let mut group = Group::with_level(level).element(snippet);
        let repair;
        if let Some(r) = &d.repair {
            repair = plain(&excerpt(r, d.span.column, SOURCE_WIDTH).0).into_owned();
            group = group.element(Level::HELP.with_name(Some("proposed")).message(repair.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    let errors = c.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let others = c.diagnostics.len() - errors;
    out.push_str(&format!("{file}: {errors} error(s), {others} warning(s)\n"));
    out
}

/// The byte offset of the `chars`-th character of `text` (its length past the end).
fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
}

/// Verify a Markdown report: its run state hash and, given the template, its source hash.
pub fn verify_markdown(text: &str, template: Option<&Checklist>) -> Result<Vec<Check>, String> {
    let split = import::split(text).ok_or("not a Preflight report (neither JSON nor a Markdown report)")?;
    let claimed = text
        .split("run state SHA-256 `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .ok_or("the report's summary names no run state SHA-256")?
        .to_string();
    let imported = import::from_markdown(text, template).map_err(|e| e.to_string())?;
    let mut checks = vec![Check {
        name: "state-sha256".into(),
        ok: imported.run.state_sha256() == claimed,
        detail: format!("recomputed {}, report says {claimed}", imported.run.state_sha256()),
    }];
    if let Some(c) = template {
        checks.push(Check {
            name: "source-sha256".into(),
            ok: c.source_sha256 == split.header.template_sha256,
            detail: format!("template hashes to {}, report says {}", c.source_sha256, split.header.template_sha256),
        });
    }
    Ok(checks)
}

/// `verify` for people: one line per check, then the answer.
pub fn verify_text(checks: &[Check], ok: bool) -> String {
    let mut out = String::new();
    for c in checks {
        let mark = if c.ok { paint(GREEN, "ok  ") } else { paint(RED, "FAIL") };
        out.push_str(&format!("{mark} {}: {}\n", plain(&c.name), plain(&c.detail)));
    }
    out.push_str(&if ok {
        paint(GREEN, "report verified")
    } else {
        paint(RED, "report does NOT match: it was changed")
    });
    out.push('\n');
    out
}

/// `explain` for people: one line per section, item and slot, each with why.
pub fn explain_text(e: &preflight_core::explain::Explanation) -> String {
    let gate = |g: Option<preflight_core::model::Gate>| g.map_or("none", |g| g.as_str());
    let why = |w: &[preflight_core::model::Why]| {
        let text = w
            .iter()
            .map(|w| format!("{} {} ({}, line {}: “{}”)", w.about, w.value, w.rule, w.line, w.words))
            .collect::<Vec<_>>()
            .join("; ");
        plain(&text).into_owned()
    };
    let mut out = format!("{}\n", paint(BOLD, &plain(&e.title)));
    out.push_str(&format!("\n{}\n", paint(BOLD, "Sections")));
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
            plain(&s.title),
            marks.join(", ")
        ));
        if !s.why.is_empty() {
            out.push_str(&paint(DIM, &format!("       {}", why(&s.why))));
            out.push('\n');
        }
    }
    out.push_str(&format!("\n{}\n", paint(BOLD, "Items")));
    for i in &e.items {
        let mut marks = vec![i.kind.to_string(), format!("gate {}", gate(i.gate))];
        if i.critical {
            marks.push("critical".into());
        }
        if i.optional {
            marks.push("optional".into());
        }
        out.push_str(&format!("{:>5}  {} [{}]\n", i.line, plain(&i.text), marks.join(", ")));
        if !i.why.is_empty() {
            out.push_str(&paint(DIM, &format!("       {}", why(&i.why))));
            out.push('\n');
        }
    }
    out.push_str(&format!("\n{}\n", paint(BOLD, "Sign-off slots")));
    for s in &e.signoffs {
        let kind = match s.kind {
            preflight_core::model::SlotKind::Approval => "approval",
            preflight_core::model::SlotKind::Record => "record",
        };
        let place = if s.task_line { "task line" } else { "line" };
        out.push_str(&format!("{:>5}  {} [{kind}, gate {}, {place}]\n", s.line, plain(&s.role), gate(s.gate)));
    }
    let bands =
        e.rubric.bands.iter().map(|b| format!("{}% {}", b.min, plain(&b.label))).collect::<Vec<_>>().join(" / ");
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
