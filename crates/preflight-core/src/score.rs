//! Scoring: a pure function of (checklist, run). Score = done ÷ applicable, where N/A items leave
//! the denominator and conditional or optional items join it only once done or switched on.
//! The verdict is GO only in the top band, with no open critical item and every required
//! sign-off signed and current. Re-scoring after a click is one pass over the items: no parse.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::model::{Band, Checklist, Gate, ItemKind, SlotKind};
use crate::rubric::default_bands;
use crate::run::{Run, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Scored items: every task that is not a sign-off.
    pub total: u32,
    pub done: u32,
    pub na: u32,
    pub blocked: u32,
    /// Applicable, not done, not blocked.
    pub open: u32,
    /// Conditional or optional items not done and not switched on: outside the score.
    pub inactive: u32,
    /// The denominator.
    pub applicable: u32,
}

impl Counts {
    fn add(&mut self, class: Class) {
        self.total += 1;
        match class {
            Class::Done => {
                self.done += 1;
                self.applicable += 1;
            }
            Class::Na => self.na += 1,
            Class::Blocked => {
                self.blocked += 1;
                self.applicable += 1;
            }
            Class::Open => {
                self.open += 1;
                self.applicable += 1;
            }
            Class::Inactive => self.inactive += 1,
        }
    }

    /// Percent in tenths (0–1000). No applicable item: complete if there were items at all.
    pub fn score_tenths(&self) -> u32 {
        if self.applicable == 0 {
            return if self.total > 0 { 1000 } else { 0 };
        }
        ((u64::from(self.done) * 1000 + u64::from(self.applicable) / 2) / u64::from(self.applicable)) as u32
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Done,
    Na,
    Blocked,
    Open,
    Inactive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SignOffCounts {
    pub total: u32,
    pub signed: u32,
    pub stale: u32,
    /// Sign-offs that must be signed for GO (not optional, not in a switched-off section).
    pub required: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Go,
    NoGo,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Go => "go",
            Verdict::NoGo => "no-go",
        }
    }
}

/// Why the verdict is NO-GO, with the items concerned. A scorecard borrows its ids and titles
/// from the checklist it scored (`'a`); one read back from a report owns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason<'a> {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Cow<'a, str>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionScore<'a> {
    pub id: Cow<'a, str>,
    pub title: Cow<'a, str>,
    pub level: u8,
    pub phase: bool,
    pub conditional: bool,
    /// For a conditional section: is it switched on?
    pub active: bool,
    /// Items of this section and its subsections.
    pub counts: Counts,
    pub score_tenths: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scorecard<'a> {
    /// The gate this scorecard answers for; `None` for the whole checklist.
    #[serde(default)]
    pub gate: Option<Gate>,
    pub counts: Counts,
    pub sign_offs: SignOffCounts,
    pub score_tenths: u32,
    pub bands: Vec<Band>,
    pub band: Band,
    /// "document" when the checklist brings its own rubric, else "default".
    pub bands_source: String,
    pub verdict: Verdict,
    pub reasons: Vec<Reason<'a>>,
    pub sections: Vec<SectionScore<'a>>,
    /// Critical items that are applicable and not done.
    pub open_critical: Vec<Cow<'a, str>>,
    pub stale_sign_offs: Vec<Cow<'a, str>>,
    /// Scored items outside the score right now: optional, or in a switched-off conditional
    /// section, and not done.
    pub inactive: Vec<Cow<'a, str>>,
    /// Every gate's own card, in order (before, during, after, contingency).
    #[serde(default)]
    pub gates: Vec<GateCard<'a>>,
}

/// One gate's verdict: the same figures as the scorecard, for that gate's items and sign-offs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GateCard<'a> {
    pub gate: Gate,
    /// Ids of the sections that belong to it.
    pub sections: Vec<Cow<'a, str>>,
    pub counts: Counts,
    pub sign_offs: SignOffCounts,
    pub score_tenths: u32,
    pub band: Band,
    /// `None` for a gate with no items and no sign-offs.
    pub verdict: Option<Verdict>,
    pub reasons: Vec<Reason<'a>>,
    pub open_critical: Vec<Cow<'a, str>>,
}

impl Scorecard<'_> {
    /// The score as a percentage, to one decimal.
    pub fn score(&self) -> f64 {
        f64::from(self.score_tenths) / 10.0
    }

    /// Whether sign-off `id` is signed but stale: items changed after it was signed, or it was
    /// signed in another run.
    pub fn is_stale(&self, id: &str) -> bool {
        self.stale_sign_offs.iter().any(|s| s == id)
    }
}

/// A section's score for display: `—` when nothing in it counts (switched off, all N/A).
pub fn section_percent(s: &SectionScore<'_>) -> String {
    if s.counts.applicable == 0 {
        if s.conditional && !s.active {
            "off".into()
        } else {
            "—".into()
        }
    } else {
        percent(s.score_tenths)
    }
}

/// Format tenths of a percent the way people read it: `72%`, `72.5%`.
pub fn percent(tenths: u32) -> String {
    if tenths % 10 == 0 {
        format!("{}%", tenths / 10)
    } else {
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

/// The scorecard of the question a pipeline asks before deploying: the `before` gate's (the
/// whole checklist when nothing belongs to it), with every gate's card beside it.
pub fn score<'a>(c: &'a Checklist, run: &Run) -> Scorecard<'a> {
    score_gate(c, run, default_gate(c))
}

/// The gate `score` answers for: `before`, unless the checklist has nothing in it.
pub fn default_gate(c: &Checklist) -> Option<Gate> {
    c.in_gate(Some(Gate::Before)).next().map(|_| Gate::Before)
}

/// The scorecard for one gate (`None`: the whole checklist).
pub fn score_gate<'a>(c: &'a Checklist, run: &Run, gate: Option<Gate>) -> Scorecard<'a> {
    score_with_sections(c, run, gate, None)
}

/// [`score_gate`] without its per-section scores (`sections` is empty; everything else is the
/// same): for a caller that reads the verdict, the counts, the gates or the sign-offs. Each
/// section's score is an 88-byte record, 17,510 of them on the 10 MB benchmark checklist.
pub fn score_gate_summary<'a>(c: &'a Checklist, run: &Run, gate: Option<Gate>) -> Scorecard<'a> {
    score_with_sections(c, run, gate, Some(&[]))
}

/// The scorecard with `sections` holding only the section of item `id` and the sections
/// above it: everything one change to that item can move. A click re-scores with this, so
/// its cost does not grow with the number of sections (50,000 of them made it 100 ms).
pub fn score_for_item<'a>(c: &'a Checklist, run: &Run, id: &str) -> Scorecard<'a> {
    let mut wanted = vec![false; c.sections.len()];
    for i in c.item(id).into_iter().flat_map(|item| c.ancestry(item.section)) {
        if let Some(w) = wanted.get_mut(i) {
            *w = true;
        }
    }
    score_with_sections(c, run, default_gate(c), Some(&wanted))
}

/// What one scope (a gate, or everything) has collected on the pass over the items.
#[derive(Default)]
struct Tally<'a> {
    counts: Counts,
    sign_offs: SignOffCounts,
    open_critical: Vec<&'a str>,
    /// Critical items' own counts, for a rubric rule over "the rest".
    critical: Counts,
    unsigned: Vec<&'a str>,
    stale: Vec<&'a str>,
    /// Signatures made in another run (their statement names it): they vouch for nothing here.
    elsewhere: Vec<&'a str>,
    /// Sign-offs signed with the meaning "rejected": someone who must approve said no.
    rejected: Vec<&'a str>,
    inactive: Vec<&'a str>,
}

/// Ids as a scorecard holds them: borrowed from the checklist.
fn borrowed<'a>(ids: &[&'a str]) -> Vec<Cow<'a, str>> {
    ids.iter().map(|&id| Cow::Borrowed(id)).collect()
}

/// Where a gate's figures go in a per-gate array: before, during, after, contingency, then none.
pub(crate) fn slot(gate: Option<Gate>) -> usize {
    gate.map_or(4, |g| g as usize)
}

#[cfg(test)]
thread_local! {
    /// How many times this thread scored a run: the tests of callers that should score once.
    pub(crate) static SCORINGS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `wanted`: which sections to report (all when `None`). Not a closure: one copy of this
/// function in the wasm, not one per caller.
fn score_with_sections<'a>(c: &'a Checklist, run: &Run, gate: Option<Gate>, wanted: Option<&[bool]>) -> Scorecard<'a> {
    #[cfg(test)]
    SCORINGS.with(|n| n.set(n.get() + 1));
    let mut sections: Vec<Counts> = vec![Counts::default(); c.sections.len()];
    let section_on = run.sections_on(c);
    // Per gate (before, during, after, contingency, none) and for the whole checklist.
    let mut per_gate: [Tally<'a>; 5] = Default::default();
    let mut all = Tally::default();
    // Staleness needs the state hashes; skip hashing every item when nothing is signed.
    let any_signature = run.sign_offs.values().any(|s| s.signature.is_some());
    let progress = if any_signature { run.progress_sha256() } else { String::new() };
    let mut gate_hashes: [Option<String>; 5] = Default::default();
    for item in c.items.iter().chain(c.slots.iter()) {
        let section = c.sections.get(item.section);
        let on = section_on.get(item.section).copied().unwrap_or(false);
        let conditional = section.is_some_and(|s| s.conditional) && !on;
        // "Rollback (if needed)" makes its items optional; switching the section on says they
        // apply now.
        let optional = item.optional && !(on && section.is_some_and(|s| s.optional));
        let g = slot(item.gate);
        if item.kind == ItemKind::SignOff {
            let state = run.sign_offs.get(&item.id);
            let signature = state.and_then(|s| s.signature.as_ref());
            let record = item.sign_off.as_ref().is_some_and(|s| s.kind == SlotKind::Record);
            // Records note who did what; they never hold up the decision to deploy.
            let before_record = record && item.gate == Some(Gate::Before);
            let required = !(optional || conditional || before_record);
            let is_stale = signature.is_some_and(|sig| match &sig.gate_state_sha256 {
                Some(hash) => {
                    let at = slot(sig.gate);
                    let current = gate_hashes[at].get_or_insert_with(|| run.gate_state_sha256(c, sig.gate));
                    hash != current
                }
                None => sig.progress_sha256 != progress,
            });
            let elsewhere = signature.is_some_and(|sig| sig.run.as_deref().is_some_and(|r| r != run.id));
            for t in [&mut per_gate[g], &mut all] {
                t.sign_offs.total += 1;
                if required {
                    t.sign_offs.required += 1;
                }
                match signature {
                    // A rejection is a signed "no": it holds up its gate whether or not the slot
                    // was required, and is not counted as signed.
                    Some(sig) if sig.meaning.eq_ignore_ascii_case("rejected") => t.rejected.push(&item.id),
                    Some(_) => {
                        t.sign_offs.signed += 1;
                        if elsewhere {
                            t.sign_offs.stale += 1;
                            t.elsewhere.push(&item.id);
                        } else if is_stale {
                            t.sign_offs.stale += 1;
                            t.stale.push(&item.id);
                        }
                    }
                    None if required => t.unsigned.push(&item.id),
                    None => {}
                }
            }
            continue;
        }
        let state = run.items.get(&item.id);
        let status = state.map(|s| s.status).unwrap_or_default();
        let class = match status {
            Status::Done => Class::Done,
            Status::Na => Class::Na,
            _ if optional || conditional => Class::Inactive,
            Status::Blocked => Class::Blocked,
            Status::Todo => Class::Open,
        };
        for t in [&mut per_gate[g], &mut all] {
            t.counts.add(class);
            if item.critical {
                t.critical.add(class);
            }
            if class == Class::Inactive {
                t.inactive.push(&item.id);
            }
            if item.critical && matches!(class, Class::Open | Class::Blocked) {
                t.open_critical.push(&item.id);
            }
        }
        let mut s = Some(item.section);
        while let Some(i) = s {
            if let Some(sc) = sections.get_mut(i) {
                sc.add(class);
            }
            s = c.sections.get(i).and_then(|x| x.parent);
        }
    }
    let bands = c.rubric.clone().unwrap_or_else(default_bands);
    // The document's own corrections could not all be read (a `critical:` indented wrongly):
    // what it meant to mark is unknown, so no gate is GO on the reading without them. Found
    // once, for every scope judged.
    let unreadable = c
        .diagnostics
        .iter()
        .find(|d| d.code == crate::diagnostic::code::CORRECTIONS && d.severity == crate::diagnostic::Severity::Error);
    let bands_source = if c.rubric.is_some() { "document" } else { "default" }.to_string();
    let gates: Vec<GateCard<'a>> = Gate::ALL
        .iter()
        .map(|&g| {
            let t = &per_gate[g as usize];
            let (verdict, reasons, score_tenths, band) = judge(c, t, &bands, unreadable);
            GateCard {
                gate: g,
                sections: c
                    .sections
                    .iter()
                    .filter(|s| s.gate == Some(g))
                    .map(|s| Cow::Borrowed(s.id.as_str()))
                    .collect(),
                counts: t.counts,
                sign_offs: t.sign_offs,
                score_tenths,
                band,
                // A contingency that nobody started has nothing to judge yet.
                verdict: (t.counts.total > 0 || t.sign_offs.total > 0)
                    .then_some(verdict)
                    .filter(|_| g != Gate::Contingency || t.counts.applicable > 0 || t.sign_offs.required > 0),
                reasons,
                open_critical: borrowed(&t.open_critical),
            }
        })
        .collect();
    let chosen = match gate {
        Some(g) => std::mem::take(&mut per_gate[g as usize]),
        None => all,
    };
    let (verdict, reasons, score_tenths, band) = judge(c, &chosen, &bands, unreadable);
    // Room for exactly the sections asked for: collected through a filter, the list grew by
    // doubling, up to twice its size (2.4 MB more on a 10 MB checklist's 38,170 sections).
    let asked = match wanted {
        None => c.sections.len().saturating_sub(1),
        Some(w) => w.iter().skip(1).filter(|&&w| w).count(),
    };
    let mut sections_asked = Vec::with_capacity(asked);
    sections_asked.extend(
        c.sections
            .iter()
            .zip(sections)
            .enumerate()
            .skip(1)
            .filter(|(i, _)| wanted.is_none_or(|w| w.get(*i).copied().unwrap_or(false)))
            .map(|(i, (s, counts))| SectionScore {
                id: Cow::Borrowed(&s.id),
                title: Cow::Borrowed(&s.title),
                level: s.level,
                phase: s.phase,
                conditional: s.conditional,
                active: !s.conditional || section_on[i],
                score_tenths: counts.score_tenths(),
                counts,
            }),
    );
    let sections = sections_asked;
    Scorecard {
        gate,
        counts: chosen.counts,
        sign_offs: chosen.sign_offs,
        score_tenths,
        bands,
        band,
        bands_source,
        verdict,
        reasons,
        sections,
        open_critical: borrowed(&chosen.open_critical),
        stale_sign_offs: borrowed(&chosen.stale).into_iter().chain(borrowed(&chosen.elsewhere)).collect(),
        inactive: borrowed(&chosen.inactive),
        gates,
    }
}

/// The verdict of one scope: GO only in the top band (or, under a rubric rule, with every
/// critical item done and the rest at the rule's share), with no open critical item and every
/// required sign-off signed and current.
/// `unreadable`: the first error of the document's `preflight:` block, which no scope is GO with.
fn judge<'a>(
    c: &Checklist,
    t: &Tally<'a>,
    bands: &[Band],
    unreadable: Option<&crate::diagnostic::Diagnostic>,
) -> (Verdict, Vec<Reason<'a>>, u32, Band) {
    let counts = t.counts;
    let score_tenths = counts.score_tenths();
    let band = bands
        .iter()
        .find(|b| score_tenths >= b.min * 10)
        .or(bands.last())
        .cloned()
        .unwrap_or(Band { min: 0, label: String::new() });
    let top = bands.first().map(|b| b.min).unwrap_or(0);
    let mut reasons = Vec::new();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if counts.total == 0 && t.sign_offs.total == 0 {
        reasons.push(Reason {
            code: "no-items".into(),
            message: "the checklist has no scored items".into(),
            items: vec![],
        });
    }
    if let Some(d) = unreadable {
        reasons.push(Reason {
            code: "corrections-unreadable".into(),
            message: format!(
                "the document's `preflight:` block could not be read (line {}: {}), so its corrections are not all applied",
                d.span.line, d.message
            ),
            items: vec![],
        });
    }
    if !t.open_critical.is_empty() {
        reasons.push(Reason {
            code: "critical-open".into(),
            message: format!("{} not done", plural(t.open_critical.len(), "critical item is", "critical items are")),
            items: borrowed(&t.open_critical),
        });
    }
    match &c.rubric_rule {
        Some(rule) => {
            // "All blocking items and ≥ N % of the rest": the rest are the non-critical items.
            let rest = Counts {
                total: counts.total - t.critical.total,
                done: counts.done - t.critical.done,
                na: counts.na - t.critical.na,
                blocked: counts.blocked - t.critical.blocked,
                open: counts.open - t.critical.open,
                inactive: counts.inactive - t.critical.inactive,
                applicable: counts.applicable - t.critical.applicable,
            };
            if rest.total > 0 && rest.score_tenths() < rule.rest_min * 10 {
                reasons.push(Reason {
                    code: "below-threshold".into(),
                    message: format!(
                        "{} of the non-blocking items are done; the document's rule asks for {}%",
                        percent(rest.score_tenths()),
                        rule.rest_min
                    ),
                    items: vec![],
                });
            }
        }
        None if counts.total > 0 && score_tenths < top * 10 => reasons.push(Reason {
            code: "below-threshold".into(),
            message: format!("score {} is in band “{}”; GO needs {}%", percent(score_tenths), band.label, top),
            items: vec![],
        }),
        None => {}
    }
    if !t.unsigned.is_empty() {
        reasons.push(Reason {
            code: "sign-off-missing".into(),
            message: format!(
                "{} not signed",
                plural(t.unsigned.len(), "required sign-off is", "required sign-offs are")
            ),
            items: borrowed(&t.unsigned),
        });
    }
    if !t.rejected.is_empty() {
        reasons.push(Reason {
            code: "sign-off-rejected".into(),
            message: format!("{} rejected", plural(t.rejected.len(), "sign-off was", "sign-offs were")),
            items: borrowed(&t.rejected),
        });
    }
    if !t.stale.is_empty() {
        reasons.push(Reason {
            code: "sign-off-stale".into(),
            message: format!("{} predate later changes", plural(t.stale.len(), "signature", "signatures")),
            items: borrowed(&t.stale),
        });
    }
    if !t.elsewhere.is_empty() {
        reasons.push(Reason {
            code: "sign-off-other-run".into(),
            message: format!("{} made in another run", plural(t.elsewhere.len(), "signature was", "signatures were")),
            items: borrowed(&t.elsewhere),
        });
    }
    let verdict = if reasons.is_empty() { Verdict::Go } else { Verdict::NoGo };
    (verdict, reasons, score_tenths, band)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_str;

    /// A `preflight:` block the reader could not read (here a `critical:` indented by three) may
    /// have meant to mark what is still open: no gate is GO on the reading without it.
    #[test]
    fn an_unreadable_corrections_block_is_no_go() {
        let body = "# T\n## Pre-Deployment\n- [x] a\n- [x] b\n";
        let broken = format!("---\npreflight:\n   critical:\n    - i-000000000000\n---\n{body}");
        let c = crate::parse::parse_str(&broken);
        let card = score_gate(&c, &Run::new(&c, "r", "r", "t0"), Some(Gate::Before));
        assert_eq!(card.verdict, Verdict::NoGo);
        let reason = card.reasons.iter().find(|r| r.code == "corrections-unreadable").expect("named");
        assert!(reason.message.contains("line 3"), "{}", reason.message);
        let read = crate::parse::parse_str(&broken.replace("   critical:", "  critical:"));
        assert!(
            read.diagnostics.iter().all(|d| d.code != crate::diagnostic::code::CORRECTIONS),
            "{:?}",
            read.diagnostics
        );
        assert_eq!(score_gate(&read, &Run::new(&read, "r", "r", "t0"), Some(Gate::Before)).verdict, Verdict::Go);
    }

    #[test]
    fn a_rejected_sign_off_holds_up_its_gate_and_is_not_counted_as_signed() {
        let c = parse_str("# T\n## Prep\n- [ ] a\n## Sign-off\n- [ ] Tech Lead: ______ Date: ____\n");
        let mut run = Run::new(&c, "r", "r", "2026-12-01T00:00:00Z");
        let a = c.tasks().next().map(|i| i.id.clone()).unwrap_or_default();
        let lead = c.items.iter().find(|i| i.kind == ItemKind::SignOff).map(|i| i.id.clone()).unwrap_or_default();
        run.set_status(&c, &a, Status::Done, None, None, "2026-12-01T00:00:01Z").expect("a is an item");
        run.sign(&c, &lead, "Kim", "2026-12-01", "approved", Default::default(), None, "2026-12-01T00:00:02Z")
            .expect("signs");
        assert_eq!(score(&c, &run).verdict, Verdict::Go);
        run.sign(&c, &lead, "Kim", "2026-12-01", "rejected", Default::default(), None, "2026-12-01T00:00:03Z")
            .expect("signs");
        let card = score(&c, &run);
        assert_eq!(card.verdict, Verdict::NoGo);
        assert_eq!(card.sign_offs.signed, 0);
        let reason = card.reasons.iter().find(|r| r.code == "sign-off-rejected").expect("a rejection reason");
        assert_eq!(reason.items, vec![lead]);
    }

    #[test]
    fn scoring_for_one_item_reports_its_sections_and_agrees_with_the_full_score() {
        let c =
            parse_str("# T\n## A\n### A1\n- [ ] a1\n### A2\n- [ ] a2\n## Rollback\n### R1\n- [ ] r1\n## B\n- [x] b\n");
        let mut run = Run::new(&c, "r", "r", "t");
        let a2 = c.items.iter().find(|i| i.text == "a2").map(|i| i.id.clone()).unwrap_or_default();
        run.set_status(&c, &a2, Status::Done, None, None, "t2").unwrap();
        let rollback = c.sections.iter().find(|s| s.title == "Rollback").map(|s| s.id.clone()).unwrap_or_default();
        run.set_section(&c, &rollback, true, None, "t3").unwrap();
        let full = score(&c, &run);
        let one = score_for_item(&c, &run, &a2);
        let titles: Vec<&str> = one.sections.iter().map(|s| &*s.title).collect();
        assert_eq!(titles, ["T", "A", "A2"], "the item's section and those above it, in document order");
        for s in &one.sections {
            assert_eq!(Some(s), full.sections.iter().find(|f| f.id == s.id));
        }
        assert_eq!(Scorecard { sections: full.sections.clone(), ..one }, full, "all else identical");
        // Switching Rollback on reaches its subsection through the parent.
        let r1 = full.sections.iter().find(|s| s.title == "R1").unwrap();
        assert!(r1.active && r1.counts.applicable == 1, "{r1:?}");
        assert!(score_for_item(&c, &run, "i-unknown").sections.is_empty());
    }

    #[test]
    fn a_scorecard_borrows_its_ids_and_titles_from_the_checklist() {
        // Copies of every section's id and title, each gate's section ids and the ids of open
        // and unsigned items were 12.6 MB of `preflight score`'s peak on a 10 MB checklist.
        let c = parse_str(
            "# T\n## Prep (optional)\n- [ ] a (critical)\n- [ ] b (optional)\n## Sign-off\n- [ ] Tech Lead: ______\n",
        );
        let card = score(&c, &Run::new(&c, "r", "r", "t"));
        let reasons = card.reasons.iter().chain(card.gates.iter().flat_map(|g| &g.reasons));
        let ids: Vec<&Cow<'_, str>> = card
            .sections
            .iter()
            .flat_map(|s| [&s.id, &s.title])
            .chain(card.gates.iter().flat_map(|g| g.sections.iter().chain(&g.open_critical)))
            .chain(reasons.flat_map(|r| &r.items))
            .chain(card.open_critical.iter().chain(&card.inactive))
            .collect();
        assert!(ids.len() >= 8, "{card:?}");
        assert!(ids.iter().all(|id| matches!(id, Cow::Borrowed(_))), "{ids:?}");
        // And the sections' list holds no spare room, whole or cut to one item's sections.
        let one = score_for_item(&c, &Run::new(&c, "r", "r", "t"), &c.items[0].id);
        for sections in [&card.sections, &one.sections] {
            assert_eq!(sections.capacity(), sections.len());
        }
        assert_eq!((card.sections.len(), one.sections.len()), (3, 2));
    }

    #[test]
    fn percent_shows_a_tenth_only_when_there_is_one() {
        assert_eq!(percent(0), "0%");
        assert_eq!(percent(725), "72.5%");
        assert_eq!(percent(720), "72%");
        assert_eq!(percent(1000), "100%");
        assert_eq!(percent(14), "1.4%");
    }
}
