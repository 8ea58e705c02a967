//! Carrying a run over to a changed checklist. Teams edit their checklist between (and during)
//! deployments: a reworded item, a new step, a section moved. Ids follow an item's section path
//! and words, never its position, so every item that did not change is found again under the same
//! id in the new version, and its state comes along. What finds no counterpart stays in the old
//! run, which is left as it was: carrying over copies, it never moves or deletes.

use std::collections::{HashMap, HashSet};

use crate::ids::normalize_for_id;
use crate::model::{Checklist, ItemKind};
use crate::run::Run;

/// The new run and an account of what did not come along.
#[derive(Debug, Clone)]
pub struct Carried {
    pub run: Run,
    /// Items, fields and conditional-section switches whose state came along.
    pub carried: usize,
    /// Ids with state in the old run and no counterpart in the new checklist.
    pub left: Vec<String>,
    /// Signatures are never carried: they vouched for another document and another state.
    pub signatures_left: usize,
    /// Nor is the timeline (GO declared, gates passed, a contingency started, the run closed):
    /// each verdict was reached on the other document. How many of its moments stay behind.
    pub events_left: usize,
}

/// A new run of `c` with `old`'s state for every task, field and conditional section `c` still
/// has (same id, same kind). Entries keep their who/when, so a later merge still orders them.
/// Without the checklist `old` was a run of, tasks of the same words in one section are told
/// apart by their order alone: prefer [`carry_over_from`].
pub fn carry_over(old: &Run, c: &Checklist, id: &str, name: &str, now: &str) -> Carried {
    carry(None, old, c, id, name, now)
}

/// [`carry_over`], knowing `old_c`, the checklist `old` is a run of. Tasks of the same words in
/// one section ("Verify health" under each of two services) have ids told apart by their order,
/// so moving one block above the other swapped them: the state of one service's check went to
/// the other's. Such tasks are found again by what they are nested under (the texts of the
/// items above them), then by their order among those alike; one that cannot be found so is
/// left in the old run, never put on another.
pub fn carry_over_from(old_c: &Checklist, old: &Run, c: &Checklist, id: &str, name: &str, now: &str) -> Carried {
    carry(Some(old_c), old, c, id, name, now)
}

/// Each task's place: its section, the texts of the items it is nested under and its own, and
/// how many tasks before it in the document have the same; and the ids of tasks whose words
/// repeat in their section (their ids depend on their order).
struct Places<'c> {
    of: HashMap<&'c str, (Vec<&'c str>, usize)>,
    by: HashMap<(Vec<&'c str>, usize), &'c str>,
    repeated: HashSet<&'c str>,
}

fn places(c: &Checklist) -> Places<'_> {
    let mut seen: HashMap<Vec<&str>, usize> = HashMap::new();
    let mut words: HashMap<(usize, String), Vec<&str>> = HashMap::new();
    let (mut of, mut by) = (HashMap::new(), HashMap::new());
    for item in c.items.iter().filter(|i| i.kind == ItemKind::Task) {
        let mut path = vec![item.text.as_str()];
        let mut up = item.parent;
        // Bounded by the item count: a parent always comes before its child.
        for _ in 0..c.items.len() {
            let Some(p) = up.and_then(|p| c.items.get(p)) else { break };
            path.push(p.text.as_str());
            up = p.parent;
        }
        path.push(c.sections.get(item.section).map_or("", |s| s.id.as_str()));
        path.reverse();
        let n = seen.entry(path.clone()).or_default();
        of.insert(item.id.as_str(), (path.clone(), *n));
        by.insert((path, *n), item.id.as_str());
        *n += 1;
        words.entry((item.section, normalize_for_id(&item.text))).or_default().push(item.id.as_str());
    }
    let repeated = words.into_values().filter(|ids| ids.len() > 1).flatten().collect();
    Places { of, by, repeated }
}

fn carry(old_c: Option<&Checklist>, old: &Run, c: &Checklist, id: &str, name: &str, now: &str) -> Carried {
    let mut run = Run::new(c, id, name, now);
    let mut carried = 0;
    let mut left = Vec::new();
    let known = old_c.map(|old_c| (places(old_c), places(c)));
    for (item_id, state) in &old.items {
        let to = match &known {
            Some((then, here))
                if then.repeated.contains(item_id.as_str()) || here.repeated.contains(item_id.as_str()) =>
            {
                then.of.get(item_id.as_str()).and_then(|place| here.by.get(place)).map(|to| to.to_string())
            }
            _ => Some(item_id.clone()),
        };
        match to.as_deref().and_then(|to| c.item(to)) {
            Some(item) if item.kind == ItemKind::Task => {
                run.items.insert(item.id.clone(), state.clone());
                carried += 1;
            }
            _ => left.push(item_id.clone()),
        }
    }
    for (field_id, state) in &old.fields {
        if c.has_field(field_id) {
            run.fields.insert(field_id.clone(), state.clone());
            carried += 1;
        } else {
            left.push(field_id.clone());
        }
    }
    for (section_id, state) in &old.sections {
        if c.has_conditional_section(section_id) {
            run.sections.insert(section_id.clone(), state.clone());
            carried += 1;
        } else {
            left.push(section_id.clone());
        }
    }
    let signatures_left = old.sign_offs.values().filter(|s| s.signature.is_some()).count();
    Carried { run, carried, left, signatures_left, events_left: old.timeline.len() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Status;
    use crate::{parse_str, score};

    const V1: &str = "# Release\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the team\n- [ ] Old step\n\n\
                      Release version: ____\n\n## Rollback (if needed)\n\n- [ ] Revert\n\n## Sign-off\n\n\
                      - [ ] QA Lead: ______ Date: ____\n";
    /// Reworded one item, dropped one, added one, moved nothing else.
    const V2: &str = "# Release\n\n## Before\n\n- [ ] Tag the build\n- [ ] Notify the whole team\n- [ ] New step\n\n\
                      Release version: ____\n\n## Rollback (if needed)\n\n- [ ] Revert\n\n## Sign-off\n\n\
                      - [ ] QA Lead: ______ Date: ____\n";

    fn id_of(c: &Checklist, text: &str) -> String {
        c.items.iter().find(|i| i.text.starts_with(text)).unwrap().id.clone()
    }

    #[test]
    fn unchanged_items_keep_their_state_and_the_rest_is_accounted_for() {
        let (v1, v2) = (parse_str(V1), parse_str(V2));
        let mut old = Run::new(&v1, "r1", "v2.4", "2026-11-22T00:00:00Z");
        let t = "2026-11-22T01:00:00Z";
        old.set_status(&v1, &id_of(&v1, "Tag the build"), Status::Done, None, Some("ana"), t).unwrap();
        old.set_note(&v1, &id_of(&v1, "Tag the build"), Some("v2.4.0".into()), Some("ana"), t).unwrap();
        old.set_status(&v1, &id_of(&v1, "Notify the team"), Status::Done, None, None, t).unwrap();
        old.set_status(&v1, &id_of(&v1, "Old step"), Status::Blocked, Some("waiting".to_string()), None, t).unwrap();
        old.set_field(&v1, &v1.fields[0].id, "Dana", None, t).unwrap();
        let rollback = v1.sections.iter().find(|s| s.conditional).unwrap().id.clone();
        old.set_section(&v1, &rollback, true, None, t).unwrap();
        let qa = v1.sign_offs().next().unwrap().id.clone();
        old.sign(&v1, &qa, "Kim", "2026-11-22", "approved", Default::default(), None, t).unwrap();
        old.close(Some("ana"), t);
        let before = old.clone();

        let carried = carry_over(&old, &v2, "r2", "v2.4", "2026-11-22T02:00:00Z");
        assert_eq!(old, before, "the old run is not touched");
        let run = &carried.run;
        assert_eq!(run.template_sha256, v2.source_sha256);
        let tag = run.item(&id_of(&v2, "Tag the build"));
        assert_eq!((tag.status, tag.note.as_deref(), tag.by.as_deref()), (Status::Done, Some("v2.4.0"), Some("ana")));
        assert_eq!(run.item(&id_of(&v2, "Notify the whole team")).status, Status::Todo, "reworded: a new item");
        assert_eq!(run.item(&id_of(&v2, "New step")).status, Status::Todo);
        assert_eq!(run.fields[&v2.fields[0].id].value, "Dana");
        assert!(run.sections[&rollback].on);
        assert!(run.sign_offs.is_empty(), "signatures are never carried");
        assert_eq!(carried.carried, 3, "Tag the build, the field, the Rollback switch");
        let mut left = carried.left.clone();
        left.sort();
        let mut expected = vec![id_of(&v1, "Notify the team"), id_of(&v1, "Old step")];
        expected.sort();
        assert_eq!(left, expected);
        assert_eq!(carried.signatures_left, 1);
        assert!(run.timeline.is_empty(), "the timeline is never carried");
        assert_eq!(carried.events_left, 1, "closing the old run stays with it");
        // The carried run scores against the new checklist like any other.
        assert_eq!(score(&v2, run).counts.done, 1);
    }

    /// Two services each with a "Verify health" step: their ids differ by order only. Moving
    /// one service's block above the other must not move its checks' state to the other's.
    #[test]
    fn tasks_of_the_same_words_are_found_by_what_they_are_under() {
        let v1 = parse_str("# R\n\n## Deploy\n\n- [ ] Deploy service Alpha\n  - [ ] Verify health\n- [ ] Deploy service Beta\n  - [ ] Verify health\n- [ ] Verify health\n");
        let v2 = parse_str("# R\n\n## Deploy\n\n- [ ] Deploy service Beta\n  - [ ] Verify health\n- [ ] Deploy service Alpha\n  - [ ] Verify health\n- [ ] Announce\n");
        let under = |c: &Checklist, parent: &str| {
            let p = c.items.iter().position(|i| i.text == parent).unwrap();
            c.items.iter().find(|i| i.parent == Some(p)).unwrap().id.clone()
        };
        let mut old = Run::new(&v1, "r1", "r", "t0");
        old.set_status(&v1, &under(&v1, "Deploy service Beta"), Status::Done, None, None, "t1").unwrap();
        old.set_note(&v1, &under(&v1, "Deploy service Beta"), Some("Beta healthy".into()), None, "t1").unwrap();
        let alone = v1.items.iter().rfind(|i| i.text == "Verify health" && i.parent.is_none()).unwrap().id.clone();
        old.set_status(&v1, &alone, Status::Done, None, None, "t1").unwrap();
        assert_eq!(under(&v1, "Deploy service Alpha"), under(&v2, "Deploy service Beta"), "the ids swapped places");

        let carried = carry_over_from(&v1, &old, &v2, "r2", "r", "t2");
        let beta = carried.run.item(&under(&v2, "Deploy service Beta"));
        assert_eq!((beta.status, beta.note.as_deref()), (Status::Done, Some("Beta healthy")));
        assert_eq!(carried.run.item(&under(&v2, "Deploy service Alpha")).status, Status::Todo);
        assert_eq!(carried.carried, 1);
        assert_eq!(carried.left, [alone], "the third one has no counterpart: left, not put on another");

        // Without the old checklist, the order decides (and gets it wrong): what carry_over says.
        let blind = carry_over(&old, &v2, "r2", "r", "t2");
        assert_eq!(blind.run.item(&under(&v2, "Deploy service Alpha")).status, Status::Done);
        // Tasks whose words are their section's own are carried by id as before.
        let (v1, v2) = (parse_str(V1), parse_str(V2));
        let mut old = Run::new(&v1, "r1", "v2.4", "t0");
        old.set_status(&v1, &id_of(&v1, "Tag the build"), Status::Done, None, None, "t1").unwrap();
        let carried = carry_over_from(&v1, &old, &v2, "r2", "r", "t2");
        assert_eq!(carried.run.item(&id_of(&v2, "Tag the build")).status, Status::Done);
    }

    #[test]
    fn what_the_team_set_wins_over_what_the_new_text_says() {
        // The new version was saved with the item ticked; the team had unticked it in the run.
        let v1 = parse_str("# R\n\n- [x] Smoke test\n- [ ] Deploy\n");
        let v2 = parse_str("# R\n\n- [x] Smoke test\n- [x] Deploy\n- [ ] Announce\n");
        let mut old = Run::new(&v1, "r1", "r", "t0");
        old.set_status(&v1, &v1.items[0].id, Status::Todo, None, None, "t1").unwrap();
        let carried = carry_over(&old, &v2, "r2", "r", "t2");
        assert_eq!(carried.run.item(&v2.items[0].id).status, Status::Todo, "the team's untick stays");
        assert_eq!(carried.run.item(&v2.items[1].id).status, Status::Done, "the new text's tick stands");
        assert_eq!((carried.carried, carried.left.len()), (1, 0));
    }
}
