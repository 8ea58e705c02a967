//! Scoring: a pure function of (checklist, run). Score = done ÷ applicable, where N/A items leave
//! the denominator and conditional or optional items join it only once done or switched on.
//! The verdict is GO only in the top band, with no open critical item and every required
//! sign-off signed and current. Re-scoring after a click is one pass over the items: no parse.

use serde::{Deserialize, Serialize};

use crate::model::{Band, Checklist, ItemKind};
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

/// Why the verdict is NO-GO, with the items concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionScore {
    pub id: String,
    pub title: String,
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
pub struct Scorecard {
    pub counts: Counts,
    pub sign_offs: SignOffCounts,
    pub score_tenths: u32,
    pub bands: Vec<Band>,
    pub band: Band,
    /// "document" when the checklist brings its own rubric, else "default".
    pub bands_source: String,
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
    pub sections: Vec<SectionScore>,
    /// Critical items that are applicable and not done.
    pub open_critical: Vec<String>,
    pub stale_sign_offs: Vec<String>,
    /// Scored items outside the score right now: optional, or in a switched-off conditional
    /// section, and not done.
    pub inactive: Vec<String>,
}

impl Scorecard {
    /// The score as a percentage, to one decimal.
    pub fn score(&self) -> f64 {
        f64::from(self.score_tenths) / 10.0
    }
}

/// A section's score for display: `—` when nothing in it counts (switched off, all N/A).
pub fn section_percent(s: &SectionScore) -> String {
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

pub fn score(c: &Checklist, run: &Run) -> Scorecard {
    score_with_sections(c, run, None)
}

/// The scorecard with `sections` holding only the section of item `id` and the sections
/// above it: everything one change to that item can move. A click re-scores with this, so
/// its cost does not grow with the number of sections (50,000 of them made it 100 ms).
pub fn score_for_item(c: &Checklist, run: &Run, id: &str) -> Scorecard {
    let mut wanted = vec![false; c.sections.len()];
    for i in c.item(id).into_iter().flat_map(|item| c.ancestry(item.section)) {
        if let Some(w) = wanted.get_mut(i) {
            *w = true;
        }
    }
    score_with_sections(c, run, Some(&wanted))
}

/// `wanted`: which sections to report (all when `None`). Not a closure: one copy of this
/// function in the wasm, not one per caller.
fn score_with_sections(c: &Checklist, run: &Run, wanted: Option<&[bool]>) -> Scorecard {
    let mut sections: Vec<Counts> = vec![Counts::default(); c.sections.len()];
    let section_on = run.sections_on(c);
    let mut counts = Counts::default();
    let mut open_critical = Vec::new();
    let mut sign_offs = SignOffCounts::default();
    let mut unsigned = Vec::new();
    let mut stale = Vec::new();
    let mut inactive = Vec::new();
    // Staleness needs the progress hash; skip hashing every item when nothing is signed.
    let any_signature = run.sign_offs.values().any(|s| s.signature.is_some());
    let progress = if any_signature { run.progress_sha256() } else { String::new() };
    for item in &c.items {
        let conditional = c.sections.get(item.section).is_some_and(|s| s.conditional) && !section_on[item.section];
        if item.kind == ItemKind::SignOff {
            sign_offs.total += 1;
            let state = run.sign_offs.get(&item.id);
            let signature = state.and_then(|s| s.signature.as_ref());
            let required = !item.optional && !conditional;
            if required {
                sign_offs.required += 1;
            }
            match signature {
                Some(sig) => {
                    sign_offs.signed += 1;
                    if sig.progress_sha256 != progress {
                        sign_offs.stale += 1;
                        stale.push(item.id.clone());
                    }
                }
                None if required => unsigned.push(item.id.clone()),
                None => {}
            }
            continue;
        }
        let state = run.items.get(&item.id);
        let status = state.map(|s| s.status).unwrap_or_default();
        let class = match status {
            Status::Done => Class::Done,
            Status::Na => Class::Na,
            _ if item.optional || conditional => Class::Inactive,
            Status::Blocked => Class::Blocked,
            Status::Todo => Class::Open,
        };
        counts.add(class);
        if class == Class::Inactive {
            inactive.push(item.id.clone());
        }
        if item.critical && matches!(class, Class::Open | Class::Blocked) {
            open_critical.push(item.id.clone());
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
    let bands_source = if c.rubric.is_some() { "document" } else { "default" }.to_string();
    let score_tenths = counts.score_tenths();
    let band = bands
        .iter()
        .find(|b| score_tenths >= b.min * 10)
        .or(bands.last())
        .cloned()
        .unwrap_or(Band { min: 0, label: String::new() });
    let top = bands.first().map(|b| b.min).unwrap_or(0);
    let mut reasons = Vec::new();
    if counts.total == 0 {
        reasons.push(Reason {
            code: "no-items".into(),
            message: "the checklist has no scored items".into(),
            items: vec![],
        });
    }
    if !open_critical.is_empty() {
        reasons.push(Reason {
            code: "critical-open".into(),
            message: format!(
                "{} critical item{} not done",
                open_critical.len(),
                if open_critical.len() == 1 { " is" } else { "s are" }
            ),
            items: open_critical.clone(),
        });
    }
    if counts.total > 0 && score_tenths < top * 10 {
        reasons.push(Reason {
            code: "below-threshold".into(),
            message: format!("score {} is in band “{}”; GO needs {}%", percent(score_tenths), band.label, top),
            items: vec![],
        });
    }
    if !unsigned.is_empty() {
        reasons.push(Reason {
            code: "sign-off-missing".into(),
            message: format!(
                "{} required sign-off{} not signed",
                unsigned.len(),
                if unsigned.len() == 1 { " is" } else { "s are" }
            ),
            items: unsigned,
        });
    }
    if !stale.is_empty() {
        reasons.push(Reason {
            code: "sign-off-stale".into(),
            message: format!(
                "{} signature{} predate later changes",
                stale.len(),
                if stale.len() == 1 { "" } else { "s" }
            ),
            items: stale.clone(),
        });
    }
    let verdict = if reasons.is_empty() { Verdict::Go } else { Verdict::NoGo };
    let sections = c
        .sections
        .iter()
        .zip(sections)
        .enumerate()
        .skip(1)
        .filter(|(i, _)| wanted.is_none_or(|w| w.get(*i).copied().unwrap_or(false)))
        .map(|(i, (s, counts))| SectionScore {
            id: s.id.clone(),
            title: s.title.clone(),
            level: s.level,
            phase: s.phase,
            conditional: s.conditional,
            active: !s.conditional || section_on[i],
            score_tenths: counts.score_tenths(),
            counts,
        })
        .collect();
    Scorecard {
        counts,
        sign_offs,
        score_tenths,
        bands,
        band,
        bands_source,
        verdict,
        reasons,
        sections,
        open_critical,
        stale_sign_offs: stale,
        inactive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_str;

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
        let titles: Vec<&str> = one.sections.iter().map(|s| s.title.as_str()).collect();
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
}
