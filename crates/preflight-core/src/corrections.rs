//! Corrections: a person's word over the engine's reading. They live in the document's front
//! matter as a `preflight:` block (so every tool reads the checklist the same way), or beside a
//! stored template in the app; either way they are applied after `assemble` and every one
//! leaves a [`Why`] with rule `correction`. The block's grammar is small and parsed strictly:
//!
//! ```yaml
//! ---
//! preflight:
//!   critical:            # also: not-critical, optional, not-optional,
//!     - i-6266e2e56bfb   #   sign-off, not-sign-off, conditional, not-conditional
//!   gate:
//!     4-rollback: contingency   # before | during | after | contingency | none
//! ---
//! ```
//!
//! Keys at two spaces, entries at four; items and sections are named by id (the text after `#`
//! is for people and ignored). Anything else is an error that names its line; an id the
//! checklist does not have is a warning. A document's identity stays the SHA-256 of its text;
//! corrections kept beside it are hashed alongside ([`corrections_sha256`]).

use crate::model::{Checklist, Correction, Gate, ItemKind, SignOffField, SignOffSpec, SlotKind, Why};

/// The keys of the block and what each sets.
const LISTS: &[(&str, &str, &str)] = &[
    ("critical", "critical", "true"),
    ("not-critical", "critical", "false"),
    ("optional", "optional", "true"),
    ("not-optional", "optional", "false"),
    ("sign-off", "sign-off", "true"),
    ("not-sign-off", "sign-off", "false"),
    ("conditional", "conditional", "true"),
    ("not-conditional", "conditional", "false"),
];

/// Read the `preflight:` block of a front matter. `first_line` is the 1-based line of the front
/// matter's first line in the document. Returns the corrections and what could not be read.
pub fn parse_block(front_matter: &str, first_line: u32) -> (Vec<Correction>, Vec<(u32, String)>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut inside = false;
    let mut key: Option<&str> = None;
    let error = |line: u32, msg: String| (line, msg);
    for (n, raw) in front_matter.lines().enumerate() {
        let line_no = first_line + n as u32;
        let line = raw.split(" #").next().unwrap_or("").trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            inside = line.trim() == "preflight:";
            if line.starts_with("preflight:") && !inside {
                errors.push(error(
                    line_no,
                    "`preflight:` opens a block: put its keys on the lines below, indented by two spaces".into(),
                ));
            }
            key = None;
            continue;
        }
        if !inside {
            continue;
        }
        let text = line.trim();
        match indent {
            2 => match text.strip_suffix(':') {
                Some(k) if k == "gate" || LISTS.iter().any(|(name, _, _)| *name == k) => {
                    key = Some(if k == "gate" { "gate" } else { LISTS.iter().find(|l| l.0 == k).map_or("", |l| l.0) })
                }
                _ => {
                    key = None;
                    errors.push(error(
                        line_no,
                        format!(
                            "`{text}` is not a correction: expected one of {}, gate (each followed by `:`)",
                            LISTS.iter().map(|l| l.0).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            },
            4 => match key {
                Some("gate") => match text.split_once(':') {
                    Some((id, g)) if !id.trim().is_empty() => {
                        let g = g.trim();
                        if Gate::parse(g).is_some() || g == "none" {
                            out.push(Correction {
                                id: id.trim().into(),
                                what: "gate".into(),
                                value: g.into(),
                                line: line_no,
                            });
                        } else {
                            errors.push(error(
                                line_no,
                                format!("`{g}` is not a gate: before, during, after, contingency or none"),
                            ));
                        }
                    }
                    _ => errors.push(error(line_no, format!("`{text}` should be `section-id: gate`"))),
                },
                Some(k) => match text.strip_prefix("- ") {
                    Some(id) if !id.trim().is_empty() => {
                        let (_, what, value) = LISTS.iter().find(|l| l.0 == k).copied().unwrap_or(("", "", ""));
                        out.push(Correction {
                            id: id.trim().into(),
                            what: what.into(),
                            value: value.into(),
                            line: line_no,
                        });
                    }
                    _ => errors.push(error(line_no, format!("`{text}` should be `- id` under `{k}:`"))),
                },
                None => errors.push(error(line_no, format!("`{text}` is not under a correction key"))),
            },
            _ => errors.push(error(line_no, format!("indent keys by two spaces and entries by four (found {indent})"))),
        }
    }
    // One id under a key and its opposite (`critical:` and `not-critical:`), or under two gates:
    // which the author meant is not for the reader to choose.
    let mut first: std::collections::HashMap<(&str, &str), &Correction> = std::collections::HashMap::new();
    for k in &out {
        match first.get(&(k.id.as_str(), k.what.as_str())) {
            Some(earlier) if earlier.value != k.value => errors.push(error(
                k.line,
                format!(
                    "`{}` is under `{}` and, on line {}, under `{}`: keep the one meant",
                    k.id,
                    key_of(k),
                    earlier.line,
                    key_of(earlier)
                ),
            )),
            Some(_) => {}
            None => {
                first.insert((k.id.as_str(), k.what.as_str()), k);
            }
        }
    }
    (out, errors)
}

/// The block's key a correction was written under: `not-critical`, `gate: after`.
fn key_of(k: &Correction) -> String {
    match (k.what.as_str(), k.value.as_str()) {
        ("gate", gate) => format!("gate: {gate}"),
        (what, "false") => format!("not-{what}"),
        (what, _) => what.to_string(),
    }
}

/// A correction as its block says it, for the reason it gives: `not-critical: [id]` reads
/// "preflight: not-critical id" (not "critical", which says the opposite), a gate
/// "preflight: gate id: after".
fn written(k: &Correction) -> String {
    match k.what.as_str() {
        "gate" => format!("preflight: gate {}: {}", k.id, k.value),
        _ => format!("preflight: {} {}", key_of(k), k.id),
    }
}

/// Apply corrections to a read checklist. Returns (line, message) warnings for ids it does not
/// have.
pub fn apply(c: &mut Checklist, corrections: &[Correction]) -> Vec<(u32, String)> {
    let mut warnings = Vec::new();
    // Where each named item and section is, the first of an id, looked up once: a scan of every
    // item for each correction was quadratic (64,000 of each took 9 s).
    let (item_at, section_at): (Vec<Option<usize>>, Vec<Option<usize>>) = {
        let mut items = std::collections::HashMap::with_capacity(c.items.len());
        for (i, item) in c.items.iter().enumerate() {
            items.entry(item.id.as_str()).or_insert(i);
        }
        let mut sections = std::collections::HashMap::with_capacity(c.sections.len());
        for (i, section) in c.sections.iter().enumerate() {
            sections.entry(section.id.as_str()).or_insert(i);
        }
        corrections.iter().map(|k| (items.get(k.id.as_str()).copied(), sections.get(k.id.as_str()).copied())).unzip()
    };
    let in_order = (c.items.is_sorted_by_key(|i| i.section), c.slots.is_sorted_by_key(|i| i.section));
    for (n, k) in corrections.iter().enumerate() {
        let why = Why {
            about: k.what.clone().into(),
            value: k.value.clone().into(),
            rule: "correction".into(),
            line: k.line,
            words: written(k).into(),
        };
        let flag = k.value == "true";
        let found = match k.what.as_str() {
            "critical" | "optional" => match item_at[n].and_then(|i| c.items.get_mut(i)) {
                Some(item) => {
                    if k.what == "critical" {
                        item.critical = flag;
                    } else {
                        item.optional = flag;
                    }
                    why.replace_in(&mut item.why);
                    true
                }
                None => false,
            },
            "sign-off" => correct_kind(c, item_at[n], &k.id, flag, why),
            "conditional" | "gate" => section_at[n].is_some_and(|root| correct_section(c, root, k, why, in_order)),
            _ => false,
        };
        if !found {
            let what = if matches!(k.what.as_str(), "conditional" | "gate") { "section" } else { "item" };
            warnings.push((
                k.line,
                format!("the `preflight:` block names `{}`, but this checklist has no such {what}", k.id),
            ));
        }
    }
    c.corrections.extend(corrections.iter().cloned());
    c.item_index = Default::default();
    warnings
}

/// `at`: where the item `id` is, if it is a task line.
fn correct_kind(c: &mut Checklist, at: Option<usize>, id: &str, sign_off: bool, why: Why) -> bool {
    if let Some(item) = at.and_then(|i| c.items.get_mut(i)) {
        let section_gate = c.sections.get(item.section).and_then(|s| s.gate);
        // The id stays: a run keeps what it recorded for this line.
        if sign_off && item.kind == ItemKind::Task {
            let role = crate::markers::clean_label(&item.text);
            item.kind = ItemKind::SignOff;
            item.sign_off = Some(Box::new(SignOffSpec {
                role: role.clone(),
                kind: SlotKind::Approval,
                fields: vec![SignOffField { label: role, value: None, span: item.span }],
            }));
            item.gate = section_gate.or(Some(Gate::Before));
            item.critical = false;
        } else if !sign_off && item.kind == ItemKind::SignOff {
            item.kind = ItemKind::Task;
            item.sign_off = None;
            item.gate = section_gate;
        }
        Why { about: "kind".into(), value: if sign_off { "sign-off" } else { "task" }.into(), ..why }
            .replace_in(&mut item.why);
        return true;
    }
    if !sign_off {
        let before = c.slots.len();
        c.slots.retain(|s| s.id != id);
        return c.slots.len() < before;
    }
    false
}

/// A section (`root`, by index) and the subsections that took the same reading from it.
/// `in_order`: whether the items and the slots each run in section order (they do, as read),
/// so that a section's are found by a binary search rather than a pass over all of them.
fn correct_section(c: &mut Checklist, root: usize, k: &Correction, why: Why, in_order: (bool, bool)) -> bool {
    // Its subsections follow it, up to the first section outside it: only they are looked at,
    // not every section after it for each correction (quadratic in a block naming thousands).
    let mut end = root + 1;
    while c.sections.get(end).is_some_and(|s| s.parent.is_some_and(|p| p >= root && p < end)) {
        end += 1;
    }
    let mut affected = vec![false; end - root];
    affected[0] = true;
    for i in root + 1..end {
        let p = c.sections[i].parent.unwrap_or(root);
        let inherited = c.sections[i].why.iter().any(|w| w.about == k.what && w.rule == "inherited")
            || !c.sections[i].why.iter().any(|w| w.about == k.what);
        if affected[p - root] && inherited {
            affected[i - root] = true;
        }
    }
    let gate = if k.what == "gate" { Some(Gate::parse(&k.value)) } else { None };
    for (i, s) in c.sections[root..end].iter_mut().enumerate().filter(|(i, _)| affected[*i]) {
        match gate {
            Some(g) => s.gate = g,
            None => s.conditional = k.value == "true",
        }
        if i == 0 {
            why.clone().replace_in(&mut s.why);
        }
    }
    if let Some(g) = gate {
        let within = |items: &mut [crate::model::Item], in_order: bool| {
            let range = if in_order {
                items.partition_point(|i| i.section < root)..items.partition_point(|i| i.section < end)
            } else {
                0..items.len()
            };
            for item in &mut items[range] {
                let here = item.section.checked_sub(root).and_then(|i| affected.get(i)).copied().unwrap_or(false);
                if here
                    && (item.kind == ItemKind::Task
                        || item
                            .why
                            .iter()
                            .any(|w| w.about == "gate" && matches!(w.rule.as_ref(), "section" | "heading")))
                {
                    item.gate = g;
                }
            }
        };
        within(&mut c.items, in_order.0);
        within(&mut c.slots, in_order.1);
    }
    true
}

/// SHA-256 of the corrections kept beside a template (none: `None`), so a report names exactly
/// the reading it was scored with.
pub fn corrections_sha256(corrections: &[Correction]) -> Option<String> {
    (!corrections.is_empty()).then(|| crate::run::sha256_json(&corrections))
}

/// The `preflight:` block for these corrections, with each item's or section's text beside its
/// id for people.
pub fn block(c: &Checklist, corrections: &[Correction]) -> String {
    let mut out = String::from("preflight:\n");
    let label = |id: &str| {
        c.items
            .iter()
            .chain(c.slots.iter())
            .find(|i| i.id == id)
            .map(|i| i.text.clone())
            .or_else(|| c.sections.iter().find(|s| s.id == id).map(|s| s.title.clone()))
            .unwrap_or_default()
            .replace('\n', " ")
    };
    for (name, what, value) in LISTS {
        let ids: Vec<&Correction> = corrections.iter().filter(|k| k.what == *what && k.value == *value).collect();
        if ids.is_empty() {
            continue;
        }
        out.push_str(&format!("  {name}:\n"));
        for k in ids {
            out.push_str(&format!("    - {}  # {}\n", k.id, label(&k.id)));
        }
    }
    let gates: Vec<&Correction> = corrections.iter().filter(|k| k.what == "gate").collect();
    if !gates.is_empty() {
        out.push_str("  gate:\n");
        for k in gates {
            out.push_str(&format!("    {}: {}  # {}\n", k.id, k.value, label(&k.id)));
        }
    }
    out
}

/// The document with `corrections` written into its front matter as the `preflight:` block
/// (replacing one that is there, adding front matter when there is none). Every other byte stays.
pub fn write_block(text: &str, c: &Checklist, corrections: &[Correction]) -> String {
    let block = block(c, corrections);
    let Some(rest) = text.strip_prefix("---\n") else {
        return format!("---\n{block}---\n\n{text}");
    };
    let Some(end) = rest.find("\n---\n").map(|i| i + 1).or_else(|| rest.starts_with("---\n").then_some(0)) else {
        return format!("---\n{block}---\n\n{text}");
    };
    let fm = &rest[..end];
    // Drop an existing block: `preflight:` and its indented lines.
    let mut kept = String::new();
    let mut skipping = false;
    for line in fm.split_inclusive('\n') {
        if line.starts_with("preflight:") {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(' ') || line.trim().is_empty()) {
            continue;
        }
        skipping = false;
        kept.push_str(line);
    }
    format!("---\n{kept}{block}{}", &rest[end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::code;
    use crate::parse::{parse_str, parse_with_corrections};

    const DOC: &str = "---\ntitle: T\n---\n# T\n## Pre-Deployment\n- [ ] Backups verified\n- [ ] Tech Lead approval recorded\n## Rollback\n- [ ] Revert\n";

    /// One id under a key and its opposite is an error naming both lines (which one is meant is
    /// not the reader's to choose); twice under one key is not.
    #[test]
    fn an_id_under_a_key_and_its_opposite_is_an_error() {
        let block = "preflight:\n  critical:\n    - i-a\n    - i-b\n  not-critical:\n    - i-a\n  optional:\n    - i-b\n    - i-b\n";
        let (_, errors) = parse_block(block, 2);
        assert_eq!(
            errors,
            [(7, "`i-a` is under `not-critical` and, on line 4, under `critical`: keep the one meant".to_string())]
        );
        let c = parse_str(&format!("---\n{block}---\n# T\n- [ ] a\n"));
        let d = c.diagnostics.iter().find(|d| d.code == code::CORRECTIONS).expect("said");
        assert_eq!((d.span.line, d.span.column), (7, 7), "at the id");
    }

    /// A block's error or warning points at what its line names: the key, or an entry's id.
    #[test]
    fn a_corrections_diagnostic_points_at_what_its_line_names() {
        let c = parse_str("---\npreflight:\n   critical:\n    - i-a\n---\n# T\n- [ ] a\n");
        let d = c.diagnostics.iter().find(|d| d.code == code::CORRECTIONS).expect("said");
        assert_eq!((d.span.line, d.span.column), (3, 4));
        let c = parse_str("---\npreflight:\n  critical:\n    - i-nowhere\n---\n# T\n- [ ] a\n");
        let d = c.diagnostics.iter().find(|d| d.code == code::UNKNOWN_CORRECTION).expect("said");
        assert_eq!((d.span.line, d.span.column), (4, 7));
    }

    /// A correction's reason quotes it as the block writes it: `not-critical`, never `critical`.
    #[test]
    fn a_correction_is_quoted_as_written() {
        let c = parse_str(DOC);
        let id = c.items[0].id.clone();
        let section = c.sections.iter().find(|s| s.title == "Rollback").unwrap().id.clone();
        let k = |what: &str, value: &str, id: &str| Correction {
            id: id.into(),
            what: what.into(),
            value: value.into(),
            line: 0,
        };
        assert_eq!(written(&k("critical", "false", &id)), format!("preflight: not-critical {id}"));
        assert_eq!(written(&k("optional", "true", &id)), format!("preflight: optional {id}"));
        assert_eq!(written(&k("gate", "after", &section)), format!("preflight: gate {section}: after"));
        let read = parse_with_corrections(DOC.as_bytes(), &[k("critical", "false", &id)]);
        let why = read.items[0].why.iter().find(|w| w.rule == "correction").unwrap();
        assert_eq!(&*why.words, format!("preflight: not-critical {id}"));
        // And each such line reads back as the correction it quotes.
        let block = format!("---\npreflight:\n  not-critical:\n    - {id}\n---\n");
        assert_eq!(parse_block(&block, 1).0[0].value, "false");
    }

    /// A gate set on a section reaches its subsections and their items, and stops at the first
    /// section outside it; a subsection with a reading of its own keeps it.
    #[test]
    fn a_gate_correction_reaches_the_subsections_and_no_further() {
        let doc = "# T\n## Checks\n- [ ] a\n### More checks\n- [ ] b\n#### Deeper\n- [ ] c\n### Rollback\n- [ ] r\n## Deployment\n- [ ] d\n";
        let c = parse_str(doc);
        let checks = c.sections.iter().find(|s| s.title == "Checks").unwrap().id.clone();
        let k = Correction { id: checks, what: "gate".into(), value: "after".into(), line: 0 };
        let own = |c: &Checklist| {
            let rollback = c.sections.iter().find(|s| s.title == "Rollback").unwrap();
            assert!(rollback.why.iter().any(|w| w.about == "gate" && w.rule != "inherited"), "{:?}", rollback.why);
            rollback.gate
        };
        let before = own(&c);
        let c = parse_with_corrections(doc.as_bytes(), &[k]);
        let gate = |text: &str| c.items.iter().find(|i| i.text == text).unwrap().gate;
        let section = |title: &str| c.sections.iter().find(|s| s.title == title).unwrap().gate;
        assert_eq!([gate("a"), gate("b"), gate("c")], [Some(Gate::After); 3]);
        assert_eq!([section("Checks"), section("More checks"), section("Deeper")], [Some(Gate::After); 3]);
        assert_eq!((own(&c), gate("r")), (before, before), "its own reading");
        assert_eq!((section("Deployment"), gate("d")), (Some(Gate::During), Some(Gate::During)));
    }

    #[test]
    fn a_written_block_reads_back_as_the_same_corrections() {
        let c = parse_str(DOC);
        let backups = c.items[0].id.clone();
        let lead = c.items[1].id.clone();
        let rollback = c.sections.iter().find(|s| s.title == "Rollback").unwrap().id.clone();
        let wanted = vec![
            Correction { id: backups.clone(), what: "critical".into(), value: "true".into(), line: 0 },
            Correction { id: lead.clone(), what: "sign-off".into(), value: "true".into(), line: 0 },
            Correction { id: rollback.clone(), what: "gate".into(), value: "before".into(), line: 0 },
        ];
        let text = write_block(DOC, &c, &wanted);
        assert!(text.starts_with("---\ntitle: T\npreflight:\n  critical:\n    - "), "{text}");
        assert!(text.ends_with("# T\n## Pre-Deployment\n- [ ] Backups verified\n- [ ] Tech Lead approval recorded\n## Rollback\n- [ ] Revert\n"));
        let read = parse_str(&text);
        assert!(
            read.diagnostics.iter().all(|d| d.code != code::CORRECTIONS && d.code != code::UNKNOWN_CORRECTION),
            "{:?}",
            read.diagnostics
        );
        let item = |id: &str| read.items.iter().find(|i| i.id == id).unwrap();
        assert!(item(&backups).critical);
        assert!(item(&backups).why.iter().any(|w| w.rule == "correction" && w.about == "critical"));
        assert_eq!(item(&lead).kind, ItemKind::SignOff, "the id is kept");
        let rb = read.sections.iter().find(|s| s.id == rollback).unwrap();
        assert_eq!(rb.gate, Some(Gate::Before));
        assert_eq!(read.items[2].gate, Some(Gate::Before));
        // Writing again replaces the block instead of adding a second one.
        let again = write_block(&text, &read, &wanted);
        assert_eq!(again.matches("preflight:").count(), 1);
        // The same corrections kept beside the template read the same.
        let beside = parse_with_corrections(DOC.as_bytes(), &wanted);
        assert_eq!(
            beside.items.iter().map(|i| (i.critical, i.kind)).collect::<Vec<_>>(),
            read.items.iter().map(|i| (i.critical, i.kind)).collect::<Vec<_>>()
        );
        assert_eq!(beside.source_sha256, parse_str(DOC).source_sha256, "identity is the text as imported");
        let owned = crate::parse::parse_owned_with_corrections(DOC.as_bytes().to_vec(), &wanted);
        assert_eq!(owned, beside, "bytes given up read as bytes lent");
        let unknown = [Correction { id: "i-nope".into(), what: "critical".into(), value: "true".into(), line: 0 }];
        let owned = crate::parse::parse_owned_with_corrections(DOC.as_bytes().to_vec(), &unknown);
        assert_eq!(owned, parse_with_corrections(DOC.as_bytes(), &unknown), "with the warning it gives");
        assert!(owned.diagnostics.iter().any(|d| d.code == code::UNKNOWN_CORRECTION));
    }

    #[test]
    fn the_block_is_parsed_strictly_with_the_line_of_each_error() {
        let text = "---\npreflight:\n  critcal:\n    - i-1\n  gate:\n    s: sometime\n   - x\n  optional:\n    i-2\n---\n- [ ] a\n";
        let c = parse_str(text);
        let errors: Vec<(u32, &str)> = c
            .diagnostics
            .iter()
            .filter(|d| d.code == code::CORRECTIONS)
            .map(|d| (d.span.line, d.message.as_str()))
            .collect();
        assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), [3, 4, 6, 7, 9], "{errors:#?}");
        assert!(errors[0].1.contains("critcal"));
        assert!(errors[2].1.contains("sometime"));
        let unknown = parse_str("---\npreflight:\n  critical:\n    - i-nope\n---\n- [ ] a\n");
        let w = unknown.diagnostics.iter().find(|d| d.code == code::UNKNOWN_CORRECTION).unwrap();
        assert_eq!(w.span.line, 4);
    }
}
