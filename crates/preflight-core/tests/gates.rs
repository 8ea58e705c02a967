//! The misreadings that gates and the recognition module fix, each as the document shape that
//! showed it: a verdict per pause point, negation, rollback plan vs procedure, measurement
//! fill-ins vs sign-offs, other languages, and rubrics in their written forms.

use preflight_core::model::{Gate, ItemKind, SlotKind};
use preflight_core::score::score_gate;
use preflight_core::{parse_str, score, Checklist, Run, Status, Verdict};

fn item<'c>(c: &'c Checklist, text: &str) -> &'c preflight_core::Item {
    c.items.iter().find(|i| i.text.starts_with(text)).unwrap_or_else(|| panic!("no item `{text}`"))
}

fn done_all_but(c: &Checklist, gate: Gate, except: &[&str]) -> Run {
    let mut run = Run::new(c, "r", "r", "2026-12-01T00:00:00Z");
    for i in c.tasks().filter(|i| i.gate == Some(gate) && !except.iter().any(|e| i.text.starts_with(e))) {
        run.set_status(c, &i.id, Status::Done, None, Some("ci"), "2026-12-01T00:00:01Z").unwrap();
    }
    run
}

#[test]
fn non_blocking_items_never_block_and_blocking_ones_do() {
    let c = parse_str(
        "# Launch\n## Blocking Items (must be green)\n- [ ] Payments work\n- [ ] Login works\n\
         ## Non-Blocking (track, but not launch blockers)\n- [ ] Dark mode\n- [ ] Confetti\n",
    );
    assert!(item(&c, "Payments").critical && item(&c, "Login").critical);
    assert!(!item(&c, "Dark mode").critical && !item(&c, "Confetti").critical);
    let run = done_all_but(&c, Gate::Before, &["Payments"]);
    let card = score(&c, &run);
    assert_eq!(card.verdict, Verdict::NoGo);
    assert!(card.reasons.iter().any(|r| r.code == "critical-open" && r.items == [item(&c, "Payments").id.clone()]));
}

#[test]
fn a_rollback_plan_before_deploying_is_required_and_the_procedure_is_contingency() {
    let c = parse_str(
        "# Release\n## Pre-Deployment\n- [ ] Tests pass\n### Rollback\n- [ ] Rollback plan documented and tested\n\
         ## Deployment\n- [ ] Deploy\n## Rollback Procedure\n- [ ] Revert the release\n",
    );
    let plan = item(&c, "Rollback plan");
    assert_eq!(plan.gate, Some(Gate::Before));
    assert!(!c.sections[plan.section].conditional, "required preparation, not switched off");
    assert_eq!(item(&c, "Revert").gate, Some(Gate::Contingency));
    // Everything else before deploying is done: still NO-GO without the plan.
    let card = score(&c, &done_all_but(&c, Gate::Before, &["Rollback plan"]));
    assert_eq!(card.verdict, Verdict::NoGo);
    assert!(card.reasons.iter().any(|r| r.code == "below-threshold"));
}

#[test]
fn later_gates_do_not_count_toward_the_decision_to_deploy() {
    let c = parse_str(
        "# Deploy\n## Pre-Deployment\n- [ ] Backups\n- [ ] Tests\n## Deployment\n- [ ] Ship\n\
         ## Post-Deployment\n- [ ] Smoke tests\n- [ ] Monitor 24h\n- [ ] Cleanup\n",
    );
    let run = done_all_but(&c, Gate::Before, &[]);
    let card = score(&c, &run);
    assert_eq!((card.gate, card.verdict, card.score_tenths), (Some(Gate::Before), Verdict::Go, 1000));
    let after = card.gates.iter().find(|g| g.gate == Gate::After).unwrap();
    assert_eq!((after.verdict, after.counts.open), (Some(Verdict::NoGo), 3));
    // The whole checklist is still far from done: that is a different question.
    assert_eq!(score_gate(&c, &run, None).verdict, Verdict::NoGo);
}

#[test]
fn measurement_fill_ins_are_fields_and_sign_off_lines_anywhere_are_slots() {
    let c = parse_str(
        "# Go-live\n## Performance\n- [ ] p95 latency measured. Actual: ____ ms\n- [ ] Error rate. Actual: ____ %\n\
         ## Approvals\n| Role | Name | Date |\n|---|---|---|\n| Engineering Manager | | |\n| QA Lead | | |\n\n\
         **Operations Lead:** ____________\n",
    );
    assert_eq!(c.tasks().count(), 2, "measurements stay tasks");
    assert_eq!(c.fields.len(), 2);
    let roles: Vec<(&str, SlotKind, Option<Gate>)> = c
        .slots
        .iter()
        .map(|s| (s.sign_off.as_ref().unwrap().role.as_str(), s.sign_off.as_ref().unwrap().kind, s.gate))
        .collect();
    assert_eq!(
        roles,
        [
            ("Engineering Manager", SlotKind::Approval, Some(Gate::Before)),
            ("QA Lead", SlotKind::Approval, Some(Gate::Before)),
            ("Operations Lead", SlotKind::Approval, Some(Gate::Before)),
        ]
    );
    // Every task done: GO still needs the three signatures.
    let mut run = done_all_but(&c, Gate::Before, &[]);
    let card = score(&c, &run);
    assert!(card.reasons.iter().any(|r| r.code == "sign-off-missing" && r.items.len() == 3), "{:?}", card.reasons);
    for s in c.slots.clone() {
        run.sign(&c, &s.id, "Dana", "2026-12-01", "approved", Default::default(), None, "2026-12-01T01:00:00Z")
            .unwrap();
    }
    assert_eq!(score(&c, &run).verdict, Verdict::Go);
}

#[test]
fn records_never_block_the_go_live_and_approvals_do() {
    let c = parse_str(
        "# D\n## Pre-Deployment\n- [ ] Ready\n## Sign-Off\n- [ ] Tech Lead: ____ Date: ____\n- [ ] Deployed By: ____\n\
         - [ ] Deployment Date: ____\n",
    );
    let kinds: Vec<(SlotKind, Option<Gate>)> =
        c.sign_offs().map(|s| (s.sign_off.as_ref().unwrap().kind, s.gate)).collect();
    assert_eq!(
        kinds,
        [
            (SlotKind::Approval, Some(Gate::Before)),
            (SlotKind::Record, Some(Gate::During)),
            (SlotKind::Record, Some(Gate::During))
        ]
    );
    let mut run = done_all_but(&c, Gate::Before, &[]);
    let lead = c.sign_offs().next().unwrap().id.clone();
    assert_eq!(score(&c, &run).verdict, Verdict::NoGo);
    run.sign(&c, &lead, "Kim", "2026-12-01", "approved", Default::default(), None, "t").unwrap();
    assert_eq!(score(&c, &run).verdict, Verdict::Go, "the records are filled when deploying");
}

#[test]
fn the_words_of_other_languages_mean_what_they_say() {
    let c = parse_str(
        "# Implantação\n## Pré-Deploy\n- [ ] Certificado renovado (se aplicável)\n- [ ] Cache limpo (se necessário)\n\
         ## Блокеры\n- [ ] Миграции применены\n## Fonctionnalités Critiques\n- [ ] Paiement\n\
         ## Freigabe\n- [ ] Autorisiert von: ______ Datum: ____\n## 部署后验证\n- [ ] 监控正常\n",
    );
    assert!(item(&c, "Certificado").optional && item(&c, "Cache").optional);
    assert!(item(&c, "Миграции").critical);
    assert!(item(&c, "Paiement").critical);
    let slot = c.items.iter().find(|i| i.kind == ItemKind::SignOff).expect("German approval slot");
    assert_eq!(slot.sign_off.as_ref().unwrap().kind, SlotKind::Approval);
    assert_eq!(item(&c, "监控").gate, Some(Gate::After));
    assert_eq!(item(&c, "Certificado").gate, Some(Gate::Before));
}

#[test]
fn rubrics_in_their_written_forms() {
    // Tiers: only the top tier is GO.
    let c = parse_str("# R\n## Score\n- GO ≥ 90\n- GO WITH RISK 80–89\n- NO-GO < 80\n## Checks\n- [x] a\n- [x] b\n- [x] c\n- [x] d\n- [x] e\n- [x] f\n- [x] g\n- [x] h\n- [ ] i\n- [ ] j\n");
    let mins: Vec<u32> = c.rubric.as_ref().unwrap().iter().map(|b| b.min).collect();
    assert_eq!(mins, [90, 80, 0]);
    let run = Run::new(&c, "r", "r", "t");
    let card = score(&c, &run);
    assert_eq!((card.score_tenths, card.band.label.as_str(), card.verdict), (800, "GO WITH RISK", Verdict::NoGo));
    // Points out of a total, converted to percent.
    let c = parse_str("# R\n## Score\n- 34–40 of 40: launch ready\n- 28–33 of 40: almost\n- < 28 of 40: not ready\n## Checks\n- [ ] a\n");
    assert_eq!(c.rubric.as_ref().unwrap().iter().map(|b| b.min).collect::<Vec<_>>(), [85, 70, 0]);
    // A rule: all blocking items and ≥ 80 % of the rest; both must hold.
    let doc = "# R\nGO when all blocking items and ≥ 80 % of the recommended ones are done.\n## Blocking\n- [ ] b1\n- [ ] b2\n## Recommended\n- [ ] r1\n- [ ] r2\n- [ ] r3\n- [ ] r4\n- [ ] r5\n";
    let c = parse_str(doc);
    assert_eq!(c.rubric_rule.as_ref().map(|r| r.rest_min), Some(80));
    let mut run = Run::new(&c, "r", "r", "t");
    for t in ["b1", "b2", "r1", "r2", "r3", "r4"] {
        run.set_status(&c, &item(&c, t).id, Status::Done, None, None, "t").unwrap();
    }
    assert_eq!(score(&c, &run).verdict, Verdict::Go, "4 of 5 recommended is 80 %");
    run.set_status(&c, &item(&c, "r4").id, Status::Todo, None, None, "t2").unwrap();
    assert_eq!(score(&c, &run).verdict, Verdict::NoGo);
    // One part's progress is not the checklist's declared total.
    let c = parse_str("# R\nSprint 18 Progress: 0/13 complete\n- [ ] a\n");
    assert!(c.declared_total.is_none());
    assert!(c.diagnostics.iter().all(|d| d.code != "declared-total-mismatch"));
}

#[test]
fn every_inference_says_why() {
    let c = parse_str("# R\n## Non-Blocking\n- [ ] Confetti\n## Pre-Deployment\n- [ ] Backups (critical)\n");
    let e = preflight_core::explain::explain(&c);
    let backups = e.items.iter().find(|i| i.text.starts_with("Backups")).unwrap();
    let why = backups.why.iter().find(|w| w.about == "critical").unwrap();
    assert_eq!((why.rule.as_ref(), why.line, &*why.words), ("critical-mark", 5, "critical"));
    let confetti = e.items.iter().find(|i| i.text == "Confetti").unwrap();
    assert!(confetti.why.iter().any(|w| w.about == "critical" && w.value == "false" && w.line == 2));
    let pre = e.sections.iter().find(|s| s.title == "Pre-Deployment").unwrap();
    assert!(pre.why.iter().any(|w| w.about == "gate" && w.value == "before" && &*w.words == "pre deployment"));
}

#[test]
fn a_title_never_makes_the_whole_checklist_conditional() {
    let c = parse_str("# Hotfix checklist (if needed)\n- [ ] Patch reviewed\n- [ ] Deployed\n");
    assert!(c.sections.iter().all(|s| !s.conditional));
    let run = Run::new(&c, "r", "r", "t");
    let card = score(&c, &run);
    assert_eq!((card.counts.applicable, card.verdict), (2, Verdict::NoGo));
}
