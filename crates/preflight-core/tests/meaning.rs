//! The engine's reading measured against what people read: `tests/fixtures/meaning/*.labels`
//! hold, per document and by line, what a release engineer reads in it (the definitions in
//! `../shared/MEANING.md`; format in `tests/fixtures/meaning/README.md`). This test prints
//! precision and recall per category over all labelled documents, checks them against floors,
//! and plays the gate-verdict scenarios: every labelled before-gate task done leaves no critical
//! or threshold reason at the before gate; one labelled critical item open is NO-GO naming it.
//!
//! Run `cargo test -p preflight-core --test meaning -- --nocapture` to see the table and, with
//! `MEANING_DETAIL=1`, every disagreement by file and line.

mod fixtures;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use preflight_core::explain::explain;
use preflight_core::model::Gate;
use preflight_core::score::score_gate;
use preflight_core::{parse, Checklist, Run, Status, Verdict};

#[derive(Default, Debug)]
struct Labels {
    file: String,
    gates: BTreeMap<u32, Option<Gate>>,
    critical: BTreeSet<u32>,
    not_critical: BTreeSet<u32>,
    optional: BTreeSet<u32>,
    signoffs: BTreeMap<u32, (String, Option<Gate>)>,
    not_signoffs: BTreeSet<u32>,
    conditional: BTreeSet<u32>,
    required: BTreeSet<u32>,
    /// (line, min percent, go)
    rubric: Vec<(u32, u32, bool)>,
    declared_total: Option<(u32, u32)>,
}

fn gate(s: &str) -> Option<Gate> {
    Gate::parse(s)
}

fn read_labels(path: &std::path::Path) -> Labels {
    let text = std::fs::read_to_string(path).unwrap();
    let mut l = Labels::default();
    for raw in text.lines() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(f) = line.strip_prefix("file:") {
            l.file = f.trim().to_string();
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let n = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
        match parts[0] {
            "gate" => {
                l.gates.insert(n(1).unwrap(), gate(parts[2]));
            }
            "critical" => {
                l.critical.insert(n(1).unwrap());
            }
            "not-critical" => {
                l.not_critical.insert(n(1).unwrap());
            }
            "optional" => {
                l.optional.insert(n(1).unwrap());
            }
            "signoff" => {
                l.signoffs.insert(n(1).unwrap(), (parts[2].to_string(), gate(parts[3])));
            }
            "not-signoff" => {
                l.not_signoffs.insert(n(1).unwrap());
            }
            "conditional" => {
                l.conditional.insert(n(1).unwrap());
            }
            "required" => {
                l.required.insert(n(1).unwrap());
            }
            "rubric" => l.rubric.push((n(1).unwrap(), n(2).unwrap(), parts[3] == "go")),
            "rubric-rule" => {}
            "declared-total" => l.declared_total = n(1).zip(n(2)),
            other => panic!("{}: unknown label `{other}`", path.display()),
        }
    }
    l
}

#[derive(Default, Clone, Copy)]
struct Tally {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Tally {
    fn add(&mut self, predicted: &BTreeSet<u32>, labelled: &BTreeSet<u32>) -> (Vec<u32>, Vec<u32>) {
        let fp: Vec<u32> = predicted.difference(labelled).copied().collect();
        let fn_: Vec<u32> = labelled.difference(predicted).copied().collect();
        self.tp += predicted.intersection(labelled).count() as u32;
        self.fp += fp.len() as u32;
        self.fn_ += fn_.len() as u32;
        (fp, fn_)
    }
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fp)
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fn_)
        }
    }
}

struct Doc {
    labels: Labels,
    checklist: Checklist,
}

fn docs() -> Vec<Doc> {
    let dir = fixtures::root().join("meaning");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "labels"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let labels = read_labels(p);
            let bytes = std::fs::read(fixtures::root().join(&labels.file)).unwrap();
            Doc { checklist: parse(&bytes), labels }
        })
        .collect()
}

/// The labelled gate of each task line: the label of its section's heading (the document
/// itself, before any heading, is the flat `before` gate).
fn labelled_item_gates(d: &Doc) -> HashMap<u32, Option<Gate>> {
    let c = &d.checklist;
    c.items
        .iter()
        .map(|i| {
            let heading = c.sections[i.section].span.line;
            let g = if i.section == 0 { Some(Gate::Before) } else { d.labels.gates.get(&heading).copied().flatten() };
            (i.marker.line, g)
        })
        .collect()
}

#[test]
fn the_reading_matches_the_labels() {
    let docs = docs();
    assert!(docs.len() >= 45, "at least the five seeds and 40 corpus files are labelled");
    let detail = std::env::var_os("MEANING_DETAIL").is_some();
    let mut t: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut gate_headings = (0u32, 0u32);
    let mut gate_items = (0u32, 0u32);
    let mut slot_kind = (0u32, 0u32);
    let mut slot_gate = (0u32, 0u32);
    let mut rubric_go = (0u32, 0u32);
    for d in &docs {
        let c = &d.checklist;
        let e = explain(c);
        let file = &d.labels.file;
        macro_rules! report {
            ($name:expr, $predicted:expr, $labelled:expr) => {{
                let predicted: BTreeSet<u32> = $predicted;
                let (fp, fn_) = t.entry($name).or_default().add(&predicted, $labelled);
                if detail && !(fp.is_empty() && fn_.is_empty()) {
                    println!("{file}: {}: extra {fp:?} missing {fn_:?}", $name);
                }
            }};
        }
        let tasks: Vec<_> = e.items.iter().filter(|i| i.kind == "task").collect();
        report!("critical", tasks.iter().filter(|i| i.critical).map(|i| i.line).collect(), &d.labels.critical);
        let explicit_not = |i: &&&preflight_core::explain::ItemReading| {
            !i.critical && i.why.iter().any(|w| w.about == "critical" && w.value == "false")
        };
        report!("not critical", tasks.iter().filter(explicit_not).map(|i| i.line).collect(), &d.labels.not_critical);
        report!("optional", tasks.iter().filter(|i| i.optional).map(|i| i.line).collect(), &d.labels.optional);
        let slots: BTreeSet<u32> = e.signoffs.iter().map(|s| s.line).collect();
        let labelled_slots: BTreeSet<u32> = d.labels.signoffs.keys().copied().collect();
        report!("sign-offs", slots.clone(), &labelled_slots);
        for s in &e.signoffs {
            if let Some((kind, g)) = d.labels.signoffs.get(&s.line) {
                let k = match s.kind {
                    preflight_core::model::SlotKind::Approval => "approval",
                    preflight_core::model::SlotKind::Record => "record",
                };
                slot_kind.1 += 1;
                slot_gate.1 += 1;
                if k == kind {
                    slot_kind.0 += 1;
                } else if detail {
                    println!("{file}: slot kind {}: {k} (labelled {kind})", s.line);
                }
                if s.gate == *g {
                    slot_gate.0 += 1;
                } else if detail {
                    println!("{file}: slot gate {}: {:?} (labelled {g:?})", s.line, s.gate);
                }
            }
        }
        // Not sign-offs: a labelled fill-in line that the engine does not take as a slot is
        // read right (recall); a line whose blanks the engine keeps as a field, not a slot,
        // should not be a labelled slot (precision).
        let index = preflight_core::span::LineIndex::new(&c.source);
        let field_lines: BTreeSet<u32> =
            c.fields.iter().map(|f| index.line_col(f.span.start).0).filter(|l| !slots.contains(l)).collect();
        let rejected: BTreeSet<u32> = d.labels.not_signoffs.difference(&slots).copied().collect();
        let wrong_fields: BTreeSet<u32> = field_lines.intersection(&labelled_slots).copied().collect();
        let entry = t.entry("not sign-offs").or_default();
        entry.tp += rejected.len() as u32;
        entry.fn_ += (d.labels.not_signoffs.len() - rejected.len()) as u32;
        entry.fp += wrong_fields.len() as u32;
        if detail && (rejected.len() < d.labels.not_signoffs.len() || !wrong_fields.is_empty()) {
            let taken: Vec<_> = d.labels.not_signoffs.intersection(&slots).collect();
            println!("{file}: not sign-offs: taken as slots {taken:?}, fields that are slots {wrong_fields:?}");
        }
        report!(
            "conditional",
            e.sections.iter().filter(|s| s.conditional).map(|s| s.line).collect(),
            &d.labels.conditional
        );
        let required_predicted: BTreeSet<u32> = e
            .sections
            .iter()
            .filter(|s| !s.conditional && d.labels.required.contains(&s.line))
            .map(|s| s.line)
            .collect();
        report!("required", required_predicted, &d.labels.required);
        for s in &e.sections {
            if let Some(want) = d.labels.gates.get(&s.line) {
                gate_headings.1 += 1;
                if s.gate == *want {
                    gate_headings.0 += 1;
                } else if detail {
                    println!("{file}: gate {} `{}`: {:?} (labelled {want:?})", s.line, s.title, s.gate);
                }
            }
        }
        let item_gates = labelled_item_gates(d);
        for i in &tasks {
            if let Some(want) = item_gates.get(&i.line) {
                gate_items.1 += 1;
                if i.gate == *want {
                    gate_items.0 += 1;
                }
            }
        }
        // Rubric: the band floors, and which band is GO.
        let predicted_mins: BTreeSet<u32> = if e.rubric.source == "document" {
            e.rubric.bands.iter().map(|b| b.min).collect()
        } else {
            BTreeSet::new()
        };
        let mut labelled_mins: BTreeSet<u32> = d.labels.rubric.iter().map(|r| r.1).collect();
        if !labelled_mins.is_empty() {
            labelled_mins.insert(0);
        }
        report!("rubric bands", predicted_mins, &labelled_mins);
        if let Some(go) = d.labels.rubric.iter().filter(|r| r.2).map(|r| r.1).min() {
            rubric_go.1 += 1;
            if e.rubric.go_min == go {
                rubric_go.0 += 1;
            } else if detail {
                println!("{file}: rubric GO at {} (labelled {go})", e.rubric.go_min);
            }
        }
        let total: BTreeSet<u32> = e.declared_total.iter().map(|d| d.value).collect();
        let labelled_total: BTreeSet<u32> = d.labels.declared_total.iter().map(|d| d.1).collect();
        report!("declared total", total, &labelled_total);
    }
    println!("\n{:<16} {:>9} {:>7} {:>5} {:>5} {:>5}", "category", "precision", "recall", "tp", "fp", "fn");
    for (name, x) in &t {
        println!("{name:<16} {:>9.3} {:>7.3} {:>5} {:>5} {:>5}", x.precision(), x.recall(), x.tp, x.fp, x.fn_);
    }
    let ratio = |(a, b): (u32, u32)| if b == 0 { 1.0 } else { f64::from(a) / f64::from(b) };
    println!("gate (headings) accuracy {:.3} of {}", ratio(gate_headings), gate_headings.1);
    println!("gate (task lines) accuracy {:.3} of {}", ratio(gate_items), gate_items.1);
    println!("sign-off kind accuracy {:.3} of {}", ratio(slot_kind), slot_kind.1);
    println!("sign-off gate accuracy {:.3} of {}", ratio(slot_gate), slot_gate.1);
    println!("rubric GO threshold {:.3} of {}", ratio(rubric_go), rubric_go.1);
    // Floors: what the reading reaches today. A change that lowers one fails here; raise them
    // as the reading improves. Rubric band recall is below 1: a rubric stated in a sentence is
    // read as its GO threshold alone ("Go-Live nur bei mindestens 95 % …"), not its middle band.
    let floors: &[(&str, f64, f64)] = &[
        ("critical", 0.99, 0.92),
        ("sign-offs", 0.99, 0.98),
        ("not critical", 0.98, 0.94),
        ("not sign-offs", 0.99, 0.99),
        ("optional", 0.92, 0.81),
        ("conditional", 0.90, 0.81),
        ("required", 0.99, 0.93),
        ("rubric bands", 0.99, 0.98),
        ("declared total", 0.99, 0.99),
    ];
    for (name, p, r) in floors {
        let x = t.get(name).copied().unwrap_or_default();
        assert!(
            x.precision() >= *p && x.recall() >= *r,
            "{name}: {:.3}/{:.3} below {p}/{r}",
            x.precision(),
            x.recall()
        );
    }
    assert!(ratio(gate_headings) >= 0.84 && ratio(gate_items) >= 0.87, "gates below their floor");
    assert!(ratio(slot_kind) >= 0.99 && ratio(slot_gate) >= 0.97, "sign-off kinds or gates below their floor");
}

/// Every task of the labelled before gate done: the before gate has no critical or threshold
/// reason. Then each labelled critical item of the before gate left open alone: NO-GO, and the
/// reasons name it.
#[test]
fn before_gate_verdicts_follow_the_labels() {
    let mut failures = Vec::new();
    for d in docs() {
        let c = &d.checklist;
        let gates = labelled_item_gates(&d);
        let before: Vec<&preflight_core::Item> =
            c.tasks().filter(|i| gates.get(&i.marker.line).copied().flatten() == Some(Gate::Before)).collect();
        let mut run = Run::new(c, "r", "r", "2026-12-01T00:00:00Z");
        for i in &before {
            run.set_status(c, &i.id, Status::Done, None, None, "2026-12-01T00:00:01Z").unwrap();
        }
        let card = score_gate(c, &run, Some(Gate::Before));
        let bad: Vec<&str> = card
            .reasons
            .iter()
            .filter(|r| r.code == "critical-open" || r.code == "below-threshold")
            .map(|r| r.code.as_str())
            .collect();
        if !bad.is_empty() {
            failures.push(format!("{}: all before-gate tasks done, still {bad:?}", d.labels.file));
        }
        // A critical item that applies only in some case ("critical, if it applies") blocks only
        // where its case is switched on: left out here, as the scenario switches nothing on.
        for i in before
            .iter()
            .filter(|i| d.labels.critical.contains(&i.marker.line) && !d.labels.optional.contains(&i.marker.line))
        {
            let mut open = run.clone();
            open.set_status(c, &i.id, Status::Todo, None, None, "2026-12-01T00:00:02Z").unwrap();
            let card = score_gate(c, &open, Some(Gate::Before));
            let named = card.reasons.iter().any(|r| r.code == "critical-open" && r.items.iter().any(|id| *id == i.id));
            if card.verdict != Verdict::NoGo || !named {
                failures.push(format!(
                    "{}:{}: critical item open, verdict {:?}",
                    d.labels.file, i.marker.line, card.verdict
                ));
            }
        }
    }
    println!("{} gate-verdict disagreements", failures.len());
    for f in &failures {
        println!("  {f}");
    }
    // Floor: what the reading reaches today (see README, "How a checklist is read").
    let critical_misses = failures.iter().filter(|f| f.contains("critical item open")).count();
    let threshold_misses = failures.len() - critical_misses;
    assert!(
        critical_misses <= 35 && threshold_misses <= 16,
        "{critical_misses} critical, {threshold_misses} threshold"
    );
}
