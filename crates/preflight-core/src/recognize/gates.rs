//! Which pause point of a deployment a heading opens: `before` (preparation, the go/no-go
//! decision), `during` (the steps), `after` (verification, monitoring, cleanup), `contingency`
//! (the rollback or incident procedure) or none (notes, references, contacts, metrics).
//!
//! Words come in two strengths. *Strong* words name a moment ("Pre-Deployment", "Day +1",
//! "Post-Launch", "Deployment Steps"); *weak* words name an activity that usually belongs to a
//! stage ("Monitoring", "Verification", "Deployment", "Requirements"). A top-level heading takes
//! its gate from either. A subsection keeps its parent's gate unless a strong word moves it
//! forward in time ("Day 0" under "Go-Live"), it names the contingency procedure, or it is a
//! reference part ("Emergency Contacts"): "Verification" inside "Deployment Phase" is a step of
//! the deployment, and "Pre-Deployment" inside "Deployment Steps" is its first step.

use super::fold::fold;
use super::vocabulary::{
    Hit, AFTER, BEFORE, CONTINGENCY, DURING, MOMENT, NO_GATE, ONLY_IN_CASE, PREAMBLE, PROCEDURE, READINESS,
};
use crate::model::Gate;

/// A heading's own reading: the gate its words name (or `None` for a reference part), how
/// strongly, and the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingGate {
    pub gate: Option<Gate>,
    pub strong: bool,
    /// The heading names a rollback or incident part that is about readiness of the plan
    /// ("Rollback plan", "Rollback readiness"), not the procedure itself.
    pub readiness: bool,
    pub hit: Hit,
}

/// What the heading's words say, if anything. `has_tasks`: the section or its subsections hold
/// task items (an introduction with no tasks belongs to no gate).
pub fn heading(title: &str, has_tasks: bool) -> Option<HeadingGate> {
    let folded = fold(title);
    let strong_ranges = MOMENT.find_all(&folded);
    let strong = |hit: &Hit| strong_ranges.iter().any(|&(s, e)| hit.at < e && hit.at + hit.words.len().max(1) > s);
    // "Release notes" are written as a step of the release, not kept as notes.
    let reference = NO_GATE.find(&folded).filter(|_| !folded.contains("release notes"));
    // "Emergency Contacts" and "Incident Escalation" are reference parts; "Rollback Commands"
    // and "Rollback Timeline" are still the procedure.
    let procedure_words = [
        "commands",
        "useful commands",
        "common commands",
        "timeline",
        "schedule",
        "template",
        "templates",
        "example",
        "examples",
        "team",
        "owners",
        "metrics",
    ];
    // "Anexo A · Procedimiento de reversión", "Appendix: Rollback": a container word holds the
    // part, and names no gate over the words that do.
    const CONTAINERS: &[&str] = &[
        "appendix",
        "annex",
        "anexo",
        "apendice",
        "anhang",
        "allegato",
        "appendice",
        "annexe",
        "bijlage",
        "bilaga",
        "lampiran",
        "zalacznik",
    ];
    let named = || {
        CONTINGENCY.find(&folded).is_some()
            || BEFORE.find(&folded).is_some()
            || DURING.find(&folded).is_some()
            || AFTER.find(&folded).is_some()
    };
    if let Some(hit) = reference.clone().filter(|h| {
        (!procedure_words.contains(&h.words.as_str()) || CONTINGENCY.find(&folded).is_none())
            && !(CONTAINERS.contains(&h.words.as_str()) && named())
    }) {
        return Some(HeadingGate { gate: None, strong: true, readiness: false, hit });
    }
    if let Some(hit) = CONTINGENCY.find(&folded) {
        // Readiness of the plan, unless the heading names the procedure's steps or the case
        // that starts it: "Rollback plan", "Rollback", "Backups and rollback", not "Rollback
        // procedure" or "Rollback (only if the deploy fails)" unless it also says "plan". (The
        // caller decides by the parent: only under preparation is it the plan's readiness.)
        let readiness = PROCEDURE.find(&folded).is_none()
            && (READINESS.find(&folded).is_some()
                || hit.words.len() + 2 >= folded.len()
                || ONLY_IN_CASE.find(&folded).is_none());
        return Some(HeadingGate { gate: Some(Gate::Contingency), strong: true, readiness, hit });
    }
    // An introduction or a report ("Deployment Summary") with no task is no stage.
    if !has_tasks {
        if let Some(hit) = PREAMBLE.find(&folded) {
            return Some(HeadingGate { gate: None, strong: false, readiness: false, hit });
        }
    }
    let before = BEFORE.find(&folded);
    let after = AFTER.find(&folded);
    let timed = match (before, after) {
        (Some(b), Some(a)) => Some(if a.at < b.at { (Gate::After, a) } else { (Gate::Before, b) }),
        (Some(b), None) => Some((Gate::Before, b)),
        (None, Some(a)) => Some((Gate::After, a)),
        (None, None) => None,
    };
    // "Pre-Launch" holds "launch": a step word inside a before/after phrase is not a step.
    // Every before/after phrase, not only the first: in "Verifiche post-rilascio" the first is
    // "verifiche", and "rilascio" inside "post rilascio" is no step either.
    let mut masked = folded.clone();
    if timed.is_some() {
        for (s, e) in BEFORE.find_all(&folded).into_iter().chain(AFTER.find_all(&folded)) {
            masked.replace_range(s..e, &" ".repeat(e - s));
        }
    }
    let during = DURING.find(&masked).map(|mut h| {
        h.words = folded[h.at..h.at + h.words.len()].to_string();
        (Gate::During, h)
    });
    // "Vor öffentlicher Veröffentlichung", "antes do lançamento", "after the rollout": a step
    // word after a before/after preposition names that moment.
    if timed.is_none() {
        if let Some((_, h)) = &during {
            let lead: Vec<&str> = folded[..h.at].split(' ').filter(|w| !w.is_empty()).collect();
            let near = &lead[lead.len().saturating_sub(3)..];
            const BEFORE_WORDS: &[&str] = &[
                "before",
                "prior",
                "pre",
                "antes",
                "avant",
                "vor",
                "prima",
                "перед",
                "до",
                "przed",
                "fore",
                "sebelum",
                "pra",
            ];
            const AFTER_WORDS: &[&str] = &[
                "after",
                "post",
                "apos",
                "depois",
                "despues",
                "tras",
                "apres",
                "nach",
                "dopo",
                "после",
                "po",
                "efter",
                "pasca",
                "setelah",
                "sesudah",
            ];
            let moment = if near.iter().any(|w| BEFORE_WORDS.contains(w)) {
                Some(Gate::Before)
            } else if near.iter().any(|w| AFTER_WORDS.contains(w)) {
                Some(Gate::After)
            } else {
                None
            };
            if let Some(g) = moment {
                let words = format!("{} {}", near.join(" "), h.words);
                return Some(HeadingGate {
                    gate: Some(g),
                    strong: true,
                    readiness: false,
                    hit: Hit { rule: if g == Gate::Before { "gate-before" } else { "gate-after" }, words, at: h.at },
                });
            }
        }
    }
    // "Deployment steps" is strong and wins over a weak "verification" after it; otherwise the
    // named moment wins over the plain activity ("Deployment Verification" is verification).
    let pick = match (timed, during) {
        (Some(t), Some(d)) if strong(&d.1) && !strong(&t.1) => Some(d),
        (Some(t), _) => Some(t),
        (None, Some(d)) => {
            // "Deployment Checklist", "Special Deployment Scenarios": the word names the whole
            // document or a case, not the steps.
            let whole =
                ["checklist", "check list", "checkliste", "清单", "チェックリスト", "scenario", "cenario", "szenario"]
                    .iter()
                    .any(|w| folded.contains(w));
            (!whole || strong(&d.1)).then_some(d)
        }
        (None, None) => None,
    };
    if let Some((gate, hit)) = pick {
        let strong = strong(&hit);
        return Some(HeadingGate { gate: Some(gate), strong, readiness: false, hit });
    }
    None
}

/// Order in time, for "a subsection only moves forward".
pub fn rank(g: Gate) -> u8 {
    match g {
        Gate::Before => 0,
        Gate::During => 1,
        Gate::After => 2,
        Gate::Contingency => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(t: &str) -> Option<Option<Gate>> {
        heading(t, true).map(|h| h.gate)
    }

    #[test]
    fn headings_name_their_gate() {
        use Gate::*;
        let table: &[(&str, Option<Option<Gate>>)] = &[
            ("Pre-Deployment Phase", Some(Some(Before))),
            ("Deployment Phase", Some(Some(During))),
            ("Post-Deployment Phase", Some(Some(After))),
            ("Rollback Checklist", Some(Some(Contingency))),
            ("Day -1 (Pre-Launch)", Some(Some(Before))),
            ("Day 0 (Launch)", Some(Some(During))),
            ("Day +1 (Post-Launch)", Some(Some(After))),
            ("Week +1", Some(Some(After))),
            ("Step 2: Database Updates", Some(Some(During))),
            ("If Something Fails", Some(Some(Contingency))),
            ("Final Checks", Some(Some(After))),
            ("Pré-Produção", Some(Some(Before))),
            ("Deployment Verification", Some(Some(After))),
            ("Smoke Testing", Some(Some(After))),
            ("Success Criteria", Some(Some(After))),
            ("Deployment Metrics", Some(None)),
            ("Emergency Contacts", Some(None)),
            ("Rollback Commands", Some(Some(Contingency))),
            ("Notes", Some(None)),
            ("Quick Reference", Some(None)),
            ("Deployment Checklist", None),
            ("Special Deployment Scenarios", None),
            ("Code Review", None),
            ("Pré-implantação", Some(Some(Before))),
            ("배포 차단 항목", Some(Some(Before))),
            ("Terugrolprocedure", Some(Some(Contingency))),
            ("Nazorg", Some(Some(After))),
            ("Pós-Deploy", Some(Some(After))),
            ("部署前检查", Some(Some(Before))),
            ("部署步骤", Some(Some(During))),
            ("上线后验证", Some(Some(After))),
            ("回滚方案", Some(Some(Contingency))),
            ("Vor dem Deployment", Some(Some(Before))),
            ("Nach dem Deployment", Some(Some(After))),
            ("Rückfallplan", Some(Some(Contingency))),
            ("Avant le déploiement", Some(Some(Before))),
            ("Après le déploiement", Some(Some(After))),
            ("Перед развертыванием", Some(Some(Before))),
            ("Откат", Some(Some(Contingency))),
            ("デプロイ前確認", Some(Some(Before))),
            ("Antes del despliegue", Some(Some(Before))),
            ("Prima del rilascio", Some(Some(Before))),
            ("Vor öffentlicher Veröffentlichung erforderlich", Some(Some(Before))),
            ("Antes do lançamento", Some(Some(Before))),
            ("After the rollout", Some(Some(After))),
        ];
        for (t, want) in table {
            assert_eq!(&gate(t), want, "{t}");
        }
        assert!(heading("Rollback Plan", true).unwrap().readiness);
        assert!(!heading("Rollback Procedure", true).unwrap().readiness);
        assert!(heading("Pre-Deployment", true).unwrap().strong);
        assert!(!heading("Monitoring", true).unwrap().strong);
        assert!(heading("Nazorg", true).unwrap().strong);
        assert!(heading("Geri Alma Planı", true).unwrap().readiness);
        assert!(heading("롤백 계획", true).unwrap().readiness);
        assert_eq!(heading("Overview", false).map(|h| h.gate), Some(None));
        assert_eq!(heading("Overview", true), None);
    }
}
