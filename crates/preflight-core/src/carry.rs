//! Carrying a run over to a changed checklist. Teams edit their checklist between (and during)
//! deployments: a reworded item, a new step, a section moved. Ids follow an item's section path
//! and words, never its position, so every item that did not change is found again under the same
//! id in the new version, and its state comes along. Where ids do follow the order (tasks or
//! blanks of the same words in one section, sections of the same title), knowing the old
//! version ([`carry_over_from`]) each is found by its place instead. What finds no counterpart
//! for certain stays in the old run, which is left as it was: carrying over copies, it never
//! moves or deletes.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

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
    /// Old id → new id of every task, sign-off, field and section of the old checklist found
    /// for certain in the new one (most keep their id): what else was said about the old
    /// version's items (a person's corrections) follows these, as the run's state does, and
    /// what is not here is not carried. Without the old checklist ([`carry_over`]), only the
    /// entries carried, each to itself.
    pub counterparts: BTreeMap<String, String>,
}

/// A new run of `c` with `old`'s state for every task, field and conditional section `c` still
/// has (same id, same kind). Entries keep their who/when, so a later merge still orders them.
/// Without the checklist `old` was a run of, tasks of the same words in one section are told
/// apart by their order alone: prefer [`carry_over_from`].
pub fn carry_over(old: &Run, c: &Checklist, id: &str, name: &str, now: &str) -> Carried {
    carry(None, old, c, id, name, now)
}

/// [`carry_over`], knowing `old_c`, the checklist `old` is a run of. Tasks of the same words in
/// one section ("Verify health" under each of two services, or after each deploy of a flat
/// list) have ids told apart by their order, so moving, inserting or deleting a block shifted
/// them: the state of one service's check went to another's. Such tasks are found again by what
/// they are nested under (the texts of the items above them), then by their neighbours of other
/// words; one that cannot be found for certain is left in the old run, never put on another.
/// A task's fill-in blanks go where the task goes, and a conditional section's switch goes to
/// the section of the same heading path.
pub fn carry_over_from(old_c: &Checklist, old: &Run, c: &Checklist, id: &str, name: &str, now: &str) -> Carried {
    carry(Some(old_c), old, c, id, name, now)
}

/// Each section's heading path: the normalized titles from the document down to it, joined by
/// `/` (the document itself is `""`). What the ids of its items are made of, and what tells
/// apart two sections of the same title under different headings.
fn heading_paths(c: &Checklist) -> Vec<String> {
    let mut paths: Vec<String> = Vec::with_capacity(c.sections.len());
    for (at, section) in c.sections.iter().enumerate() {
        // A parent always comes before its child; anything else reads as the document's.
        let above = section.parent.filter(|&p| p < at).and_then(|p| paths.get(p)).map_or("", String::as_str);
        let path = if at == 0 { String::new() } else { format!("{above}/{}", normalize_for_id(&section.title)) };
        paths.push(path);
    }
    paths
}

/// Each key's places (0, 1, … in the order given), in order: tasks, fields, sections and
/// sign-offs alike are counted and told apart by these.
fn positions<K: Hash + Eq>(keys: impl IntoIterator<Item = K>) -> HashMap<K, Vec<usize>> {
    let mut by: HashMap<K, Vec<usize>> = HashMap::new();
    for (at, key) in keys.into_iter().enumerate() {
        by.entry(key).or_default().push(at);
    }
    by
}

/// A task as carrying over sees it. `alike`: its section's heading path and its words, what its
/// id is made of (tasks alike have ids told apart by their order alone). `base`: the same with
/// the words of the items it is nested under. `prev` and `next`: its nearest siblings (same
/// section, same parent) whose words differ from its own, by position in `Tasks::list`.
struct Task<'c> {
    id: &'c str,
    words: String,
    alike: String,
    base: String,
    prev: Option<usize>,
    next: Option<usize>,
}

struct Tasks<'c> {
    list: Vec<Task<'c>>,
    alike: HashMap<String, Vec<usize>>,
    base: HashMap<String, Vec<usize>>,
}

impl<'c> Tasks<'c> {
    fn of(c: &'c Checklist, paths: &[String]) -> Tasks<'c> {
        let mut list = Vec::new();
        let mut siblings: HashMap<(usize, Option<usize>), Vec<usize>> = HashMap::new();
        for (at, item) in c.items.iter().enumerate().filter(|(_, i)| i.kind == ItemKind::Task) {
            let path = paths.get(item.section).map_or("", String::as_str);
            let words = normalize_for_id(&item.text);
            let mut above = Vec::new();
            let mut up = item.parent;
            // Bounded by the item count: a parent always comes before its child.
            for _ in 0..c.items.len() {
                let Some(parent) = up.filter(|&p| p < at).and_then(|p| c.items.get(p)) else { break };
                above.push(normalize_for_id(&parent.text));
                up = parent.parent;
            }
            above.reverse();
            let alike = format!("{path}\n{words}");
            let base = format!("{path}\n{}\n{words}", above.join("\n"));
            siblings.entry((item.section, item.parent)).or_default().push(list.len());
            list.push(Task { id: item.id.as_str(), words, alike, base, prev: None, next: None });
        }
        // The nearest sibling of other words, in one pass each way: in a run of tasks alike it is
        // the run's neighbour, taken from the task before (or after) in the run.
        for row in siblings.values() {
            for k in 1..row.len() {
                let (before, here) = (row[k - 1], row[k]);
                list[here].prev = if list[before].words == list[here].words { list[before].prev } else { Some(before) };
            }
            for k in (0..row.len().saturating_sub(1)).rev() {
                let (after, here) = (row[k + 1], row[k]);
                list[here].next = if list[after].words == list[here].words { list[after].next } else { Some(after) };
            }
        }
        let alike = positions(list.iter().map(|t| t.alike.clone()));
        let base = positions(list.iter().map(|t| t.base.clone()));
        Tasks { list, alike, base }
    }

    fn words_of(&self, at: Option<usize>) -> Option<&str> {
        at.and_then(|a| self.list.get(a)).map(|t| t.words.as_str())
    }

    /// Positions by `key`, in document order.
    fn group<'t, K: Hash + Eq>(&'t self, key: impl Fn(&'t Task<'c>) -> K) -> HashMap<K, Vec<usize>> {
        positions(self.list.iter().map(key))
    }
}

/// Where one way of placing a task finds it in the other version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// No task there is placed so.
    Nowhere,
    /// As many are placed so in both versions: the one of the same order among them.
    At(usize),
    /// A different number are placed so: which one is a guess.
    Unsure,
}

fn found<K: Hash + Eq>(key: &K, old_at: usize, then: &HashMap<K, Vec<usize>>, here: &HashMap<K, Vec<usize>>) -> Found {
    let Some(there) = here.get(key) else { return Found::Nowhere };
    let Some(mine) = then.get(key) else { return Found::Unsure };
    // Groups are in document order: a binary search, as a long run of alike tasks is one group.
    match mine.binary_search(&old_at) {
        Ok(order) if mine.len() == there.len() => there.get(order).map_or(Found::Unsure, |&at| Found::At(at)),
        _ => Found::Unsure,
    }
}

/// For every task of `old_c` found for certain in `c`, its id there. A task whose words are its
/// section's own keeps its id. Tasks alike (same section, same words) have ids that follow
/// their order, so inserting, deleting or moving one shifts the others': each is found by what
/// it is nested under, then by its neighbours of other words ("Verify health" after "Deploy to
/// production"). Either neighbour alone is enough when the other says nothing against it, so
/// a step appended after a block does not cost the block; when the two point at different
/// tasks (a block inserted next to it: is it the one before or after?), when as many are not
/// placed so in both versions, or when two tasks would land on one, the task is not found:
/// its state is left in the old run rather than put on a step it was never given to.
fn task_counterparts<'c>(old_c: &Checklist, c: &'c Checklist) -> HashMap<String, &'c str> {
    let (then, here) = (Tasks::of(old_c, &heading_paths(old_c)), Tasks::of(c, &heading_paths(c)));
    let repeated =
        |alike: &str| [&then, &here].iter().any(|t| t.alike.get(alike).is_some_and(|places| places.len() > 1));
    let full = |t: &Tasks<'_>| {
        t.group(|task| {
            (task.base.clone(), t.words_of(task.prev).map(str::to_owned), t.words_of(task.next).map(str::to_owned))
        })
    };
    let prev = |t: &Tasks<'_>| t.group(|task| (task.base.clone(), t.words_of(task.prev).map(str::to_owned)));
    let next = |t: &Tasks<'_>| t.group(|task| (task.base.clone(), t.words_of(task.next).map(str::to_owned)));
    let (full_then, full_here) = (full(&then), full(&here));
    let (prev_then, prev_here) = (prev(&then), prev(&here));
    let (next_then, next_here) = (next(&then), next(&here));
    let mut out = HashMap::new();
    let mut claims: HashMap<usize, Vec<&str>> = HashMap::new();
    for (at, task) in then.list.iter().enumerate() {
        if !repeated(&task.alike) {
            // Of any kind: a task read as a sign-off in one version (a correction) is the same
            // line; only a task there takes a task's state.
            if let Some(same) = c.item(task.id) {
                out.insert(task.id.to_string(), same.id.as_str());
            }
            continue;
        }
        let (p, n) = (then.words_of(task.prev).map(str::to_owned), then.words_of(task.next).map(str::to_owned));
        let unique = |t: &Tasks<'_>| t.base.get(&task.base).filter(|b| b.len() == 1).map(|b| b[0]);
        let to = match (unique(&then), unique(&here)) {
            // What it is nested under names it ("Deploy service Beta › Verify health").
            (Some(_), Some(there)) => Some(there),
            _ => match found(&(task.base.clone(), p.clone(), n.clone()), at, &full_then, &full_here) {
                Found::At(there) => Some(there),
                Found::Unsure => None,
                Found::Nowhere => match (
                    found(&(task.base.clone(), p), at, &prev_then, &prev_here),
                    found(&(task.base.clone(), n), at, &next_then, &next_here),
                ) {
                    (Found::At(a), Found::At(b)) if a == b => Some(a),
                    (Found::At(a), Found::Nowhere) | (Found::Nowhere, Found::At(a)) => Some(a),
                    _ => None,
                },
            },
        };
        if let Some(there) = to {
            claims.entry(there).or_default().push(task.id);
        }
    }
    for (there, from) in claims {
        if let ([only], Some(task)) = (from.as_slice(), here.list.get(there)) {
            out.insert(only.to_string(), task.id);
        }
    }
    out
}

/// The task each field is a blank of ("p95 latency: ____ ms" under "EU cluster"), by position
/// in `c.items`: the innermost task whose source holds it. `None` for a document's own fields.
fn field_owners(c: &Checklist) -> Vec<Option<usize>> {
    c.fields
        .iter()
        .map(|f| {
            // Items are in document order: the last to start at or before the blank, then up
            // through what it is nested in to the first that holds the blank.
            let mut up = c.items.partition_point(|i| i.span.start <= f.span.start).checked_sub(1);
            for _ in 0..c.items.len() {
                let (at, item) = up.and_then(|at| c.items.get(at).map(|i| (at, i)))?;
                if item.span.start <= f.span.start && f.span.end <= item.span.end {
                    return (item.kind == ItemKind::Task).then_some(at);
                }
                up = item.parent.filter(|&p| p < at);
            }
            None
        })
        .collect()
}

/// For every field of `old_c` found for certain in `c`, its id there. A field's id is its
/// section and label, numbered in document order among those alike, so a block inserted above
/// shifted the values of fields of the same label ("p95 latency: ____ ms" in each cluster's
/// block) onto the wrong clusters. A field whose label is its section's own keeps its id. One of
/// a repeated label follows its task: the field of the same label and order in the task found
/// for it (`tasks`). The document's own fields of a repeated label are found by their order
/// among those alike, when as many are in both versions; otherwise they are left.
fn field_counterparts<'c>(
    old_c: &Checklist,
    c: &'c Checklist,
    tasks: &HashMap<String, &str>,
) -> HashMap<String, &'c str> {
    struct Fields {
        alike: Vec<String>,
        owner: Vec<Option<usize>>,
        count: HashMap<String, Vec<usize>>,
        /// Fields by owner (or none) and alike key, in document order.
        by: HashMap<(Option<usize>, String), Vec<usize>>,
    }
    let read = |c: &Checklist| {
        let paths = heading_paths(c);
        let owner = field_owners(c);
        let alike: Vec<String> = c
            .fields
            .iter()
            .map(|f| format!("{}\n{}", paths.get(f.section).map_or("", String::as_str), normalize_for_id(&f.label)))
            .collect();
        let count = positions(alike.iter().cloned());
        let by = positions(alike.iter().enumerate().map(|(at, key)| (owner.get(at).copied().flatten(), key.clone())));
        Fields { alike, owner, count, by }
    };
    let (then, here) = (read(old_c), read(c));
    let item_at: HashMap<&str, usize> = c.items.iter().enumerate().map(|(at, i)| (i.id.as_str(), at)).collect();
    let field_ids: HashMap<&str, &str> = c.fields.iter().map(|f| (f.id.as_str(), f.id.as_str())).collect();
    let mut out = HashMap::new();
    for (at, field) in old_c.fields.iter().enumerate() {
        let alike = &then.alike[at];
        let repeated = [&then, &here].iter().any(|f| f.count.get(alike).is_some_and(|places| places.len() > 1));
        if !repeated {
            if let Some(&same) = field_ids.get(field.id.as_str()) {
                out.insert(field.id.clone(), same);
            }
            continue;
        }
        let owner = then.owner.get(at).copied().flatten();
        // The owner there: the task this field's task was found as (none for a document field).
        let owner_there = match owner {
            Some(task) => {
                let Some(to) = old_c.items.get(task).and_then(|t| tasks.get(&t.id)) else { continue };
                let Some(&to) = item_at.get(to) else { continue };
                Some(to)
            }
            None => None,
        };
        let (Some(mine), Some(there)) =
            (then.by.get(&(owner, alike.clone())), here.by.get(&(owner_there, alike.clone())))
        else {
            continue;
        };
        // In a task the order is the task's own ("Actual: ____ and Actual: ____" is rare), and
        // the task has the same words, so the same blanks; between document fields, as many
        // alike on both sides, or which is which is a guess.
        if mine.len() != there.len() {
            continue;
        }
        if let Some(to) =
            mine.binary_search(&at).ok().and_then(|order| there.get(order)).and_then(|&to| c.fields.get(to))
        {
            out.insert(field.id.clone(), to.id.as_str());
        }
    }
    out
}

/// For every section of `old_c` found for certain in `c`, its id there. A section's id is its
/// title's slug, and a second section of that title (a "Schema migration (if applicable)" under
/// each of two services) gets a suffix: the first in the document has the bare slug, so swapping
/// the two moved one's switch onto the other. Sections are found by their heading path instead
/// (the titles above them and their own); where two share a path, neither is found.
fn section_counterparts<'c>(old_c: &Checklist, c: &'c Checklist) -> HashMap<String, &'c str> {
    let (then, here) = (heading_paths(old_c), heading_paths(c));
    let (then_by, here_by) = (positions(&then), positions(&here));
    let mut out = HashMap::new();
    for (section, path) in old_c.sections.iter().zip(&then) {
        let mine = then_by.get(path).map_or(0, Vec::len);
        if let (1, Some([to])) = (mine, here_by.get(path).map(Vec::as_slice)) {
            if let Some(to) = c.sections.get(*to) {
                out.insert(section.id.clone(), to.id.as_str());
            }
        }
    }
    out
}

/// For every sign-off of `old_c` (a sign-off item or slot) found for certain in `c`, its id
/// there: its id is its section and role, numbered in order among those alike, so one whose
/// role is its section's own in both versions keeps its id, and one of a repeated role is not
/// found (sign-offs carry no state; only what was said about them follows this).
fn sign_off_counterparts<'c>(old_c: &Checklist, c: &'c Checklist) -> HashMap<String, &'c str> {
    let alike = |c: &Checklist| {
        let paths = heading_paths(c);
        let mut keys = Vec::new();
        for item in c.items.iter().chain(&c.slots).filter(|i| i.kind == ItemKind::SignOff) {
            let role =
                item.sign_off.as_ref().map_or_else(|| normalize_for_id(&item.text), |s| normalize_for_id(&s.role));
            keys.push((item.id.clone(), format!("{}\n{role}", paths.get(item.section).map_or("", String::as_str))));
        }
        let count = positions(keys.iter().map(|(_, key)| key.clone()));
        (keys, count)
    };
    let ((then, then_count), (_, here_count)) = (alike(old_c), alike(c));
    let mut out = HashMap::new();
    for (id, key) in then {
        let once = |count: &HashMap<String, Vec<usize>>| count.get(&key).is_some_and(|places| places.len() == 1);
        if let Some(same) = c.item(&id).filter(|_| once(&then_count) && once(&here_count)) {
            out.insert(id, same.id.as_str());
        }
    }
    out
}

fn carry(old_c: Option<&Checklist>, old: &Run, c: &Checklist, id: &str, name: &str, now: &str) -> Carried {
    let mut run = Run::new(c, id, name, now);
    let mut carried = 0;
    let mut left = Vec::new();
    let tasks = old_c.map(|old_c| task_counterparts(old_c, c));
    for (item_id, state) in &old.items {
        let to = match &tasks {
            Some(tasks) => tasks.get(item_id).copied(),
            None => Some(item_id.as_str()),
        };
        match to.and_then(|to| c.item(to)) {
            Some(item) if item.kind == ItemKind::Task => {
                run.items.insert(item.id.clone(), state.clone());
                carried += 1;
            }
            _ => left.push(item_id.clone()),
        }
    }
    let fields = old_c.zip(tasks.as_ref()).map(|(old_c, tasks)| field_counterparts(old_c, c, tasks));
    for (field_id, state) in &old.fields {
        let to = match &fields {
            Some(fields) => fields.get(field_id).copied(),
            None => c.has_field(field_id).then_some(field_id.as_str()),
        };
        match to {
            Some(to) => {
                run.fields.insert(to.to_string(), state.clone());
                carried += 1;
            }
            None => left.push(field_id.clone()),
        }
    }
    let sections = old_c.map(|old_c| section_counterparts(old_c, c));
    for (section_id, state) in &old.sections {
        let to = match &sections {
            Some(sections) => sections.get(section_id).copied(),
            None => Some(section_id.as_str()),
        };
        match to.filter(|to| c.has_conditional_section(to)) {
            Some(to) => {
                run.sections.insert(to.to_string(), state.clone());
                carried += 1;
            }
            None => left.push(section_id.clone()),
        }
    }
    let signatures_left = old.sign_offs.values().filter(|s| s.signature.is_some()).count();
    let counterparts = match (old_c, tasks, fields, sections) {
        (Some(old_c), Some(tasks), Some(fields), Some(sections)) => {
            let sign_offs = sign_off_counterparts(old_c, c);
            [tasks, sign_offs, fields, sections]
                .into_iter()
                .flatten()
                .map(|(from, to)| (from, to.to_string()))
                .collect()
        }
        _ => run
            .items
            .keys()
            .chain(run.fields.keys())
            .chain(run.sections.keys())
            .map(|id| (id.clone(), id.clone()))
            .collect(),
    };
    Carried { run, carried, left, signatures_left, events_left: old.timeline.len(), counterparts }
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

    /// The `n`th (from 0) task of these words.
    fn nth(c: &Checklist, text: &str, n: usize) -> String {
        c.items.iter().filter(|i| i.text == text).nth(n).unwrap().id.clone()
    }

    /// A run of `c` with every task ticked.
    fn all_done(c: &Checklist) -> Run {
        let mut run = Run::new(c, "r1", "r", "t0");
        for item in &c.items {
            run.set_status(c, &item.id, Status::Done, None, None, "t1").unwrap();
        }
        run
    }

    const FLAT: &str = "# R\n\n## Deploy\n\n- [ ] Deploy to staging\n- [ ] Verify health\n\
                        - [ ] Deploy to production\n- [ ] Verify health\n";
    const FLAT_CANARY: &str = "# R\n\n## Deploy\n\n- [ ] Deploy to staging\n- [ ] Verify health\n\
                               - [ ] Deploy to canary\n- [ ] Verify health\n\
                               - [ ] Deploy to production\n- [ ] Verify health\n";

    /// The browser audit's F1: in a flat list, a block inserted between two "Verify health"
    /// steps took production's tick and note to canary's, which was never deployed.
    #[test]
    fn a_step_inserted_among_alike_ones_takes_none_of_their_state() {
        let (v1, v2) = (parse_str(FLAT), parse_str(FLAT_CANARY));
        let mut old = all_done(&v1);
        let prod = nth(&v1, "Verify health", 1);
        old.set_note(&v1, &prod, Some("prod health: 0 errors in 30 min".into()), None, "t1").unwrap();

        let carried = carry_over_from(&v1, &old, &v2, "r2", "r", "t2");
        let run = &carried.run;
        let on_prod = run.item(&nth(&v2, "Verify health", 2));
        assert_eq!((on_prod.status, on_prod.note.as_deref()), (Status::Done, Some("prod health: 0 errors in 30 min")));
        let canary = run.item(&nth(&v2, "Verify health", 1));
        assert_eq!((canary.status, canary.note.as_deref()), (Status::Todo, None), "canary's was never checked");
        // Staging's might be either of the first two now (was the block put after it, or before
        // it?): it is left in the old run, not guessed.
        assert_eq!(run.item(&nth(&v2, "Verify health", 0)).status, Status::Todo);
        assert_eq!(carried.left, [nth(&v1, "Verify health", 0)]);
        assert_eq!(carried.carried, 3, "staging, production and production's check");
    }

    /// F1 the other way: deleting a block must not move its check's state to the next one alike.
    #[test]
    fn a_deleted_steps_state_moves_to_no_other() {
        let (v1, v2) = (parse_str(FLAT_CANARY), parse_str(FLAT));
        let mut old = Run::new(&v1, "r1", "r", "t0");
        old.set_status(&v1, &nth(&v1, "Verify health", 1), Status::Done, None, None, "t1").unwrap();
        old.set_note(&v1, &nth(&v1, "Verify health", 2), Some("prod".into()), None, "t1").unwrap();

        let carried = carry_over_from(&v1, &old, &v2, "r2", "r", "t2");
        assert_eq!(carried.run.item(&nth(&v2, "Verify health", 0)).status, Status::Todo, "canary's is gone");
        assert_eq!(carried.run.item(&nth(&v2, "Verify health", 1)).note.as_deref(), Some("prod"));
        assert_eq!(carried.left, [nth(&v1, "Verify health", 1)]);
    }

    /// A step that comes before the one it is for ("Announce" before each deploy): inserting a
    /// block after the first must not give the second's state to the new one.
    #[test]
    fn a_step_is_not_placed_by_one_neighbour_when_the_other_disagrees() {
        let v1 = parse_str("# R\n\n- [ ] Announce\n- [ ] Deploy A\n- [ ] Announce\n- [ ] Deploy B\n");
        let v2 = parse_str(
            "# R\n\n- [ ] Announce\n- [ ] Deploy A\n- [ ] Announce\n- [ ] Deploy C\n- [ ] Announce\n- [ ] Deploy B\n",
        );
        let mut old = Run::new(&v1, "r1", "r", "t0");
        old.set_note(&v1, &nth(&v1, "Announce", 1), Some("B announced".into()), None, "t1").unwrap();
        let carried = carry_over_from(&v1, &old, &v2, "r2", "r", "t2");
        assert!(carried.run.items.is_empty(), "before C or before B: not certain, so left");
        assert_eq!(carried.left, [nth(&v1, "Announce", 1)]);
    }

    /// What stays certain comes along: an unchanged section of alike steps, and one with a step
    /// appended after its last block.
    #[test]
    fn alike_steps_in_place_keep_their_state() {
        let v1 =
            parse_str("# R\n\n## A\n\n- [ ] Deploy\n- [ ] Verify\n- [ ] Deploy\n- [ ] Verify\n\n## B\n\n- [ ] Old\n");
        let v2 = parse_str("# R\n\n## A\n\n- [ ] Deploy\n- [ ] Verify\n- [ ] Deploy\n- [ ] Verify\n- [ ] Announce\n\n## B\n\n- [ ] New\n");
        let mut old = Run::new(&v1, "r1", "r", "t0");
        for n in 0..2 {
            old.set_note(&v1, &nth(&v1, "Deploy", n), Some(format!("deploy {n}")), None, "t1").unwrap();
            old.set_note(&v1, &nth(&v1, "Verify", n), Some(format!("verify {n}")), None, "t1").unwrap();
        }
        let carried = carry_over_from(&v1, &old, &v2, "r2", "r", "t2");
        for n in 0..2 {
            assert_eq!(carried.run.item(&nth(&v2, "Deploy", n)).note, Some(format!("deploy {n}")));
            assert_eq!(carried.run.item(&nth(&v2, "Verify", n)).note, Some(format!("verify {n}")));
        }
        assert!(carried.left.is_empty());
    }

    fn cluster(name: &str) -> String {
        format!("- [ ] {name} cluster\n  - [ ] p95 latency: ____ ms\n")
    }

    /// The field of the `p95 latency` task under `parent`.
    fn p95_under(c: &Checklist, parent: &str) -> String {
        let p = c.items.iter().position(|i| i.text == format!("{parent} cluster")).unwrap();
        let task = c.items.iter().position(|i| i.parent == Some(p)).unwrap();
        let span = c.items[task].span;
        c.fields.iter().find(|f| span.start <= f.span.start && f.span.end <= span.end).unwrap().id.clone()
    }

    /// The browser audit's F2: blanks of one label in tasks under different clusters are
    /// numbered in document order; a cluster inserted above (or the blocks swapped) put EU's
    /// value on APAC's field and US's on EU's, while the ticks stayed where they were.
    #[test]
    fn a_tasks_blank_follows_its_task() {
        let v1 = parse_str(&format!("# R\n\n## Verify\n\n{}{}", cluster("EU"), cluster("US")));
        let inserted = parse_str(&format!("# R\n\n## Verify\n\n{}{}{}", cluster("APAC"), cluster("EU"), cluster("US")));
        let swapped = parse_str(&format!("# R\n\n## Verify\n\n{}{}", cluster("US"), cluster("EU")));
        let mut old = Run::new(&v1, "r1", "r", "t0");
        old.set_field(&v1, &p95_under(&v1, "EU"), "120", None, "t1").unwrap();
        old.set_field(&v1, &p95_under(&v1, "US"), "340", None, "t1").unwrap();
        for v2 in [&inserted, &swapped] {
            let carried = carry_over_from(&v1, &old, v2, "r2", "r", "t2");
            let value = |parent| carried.run.fields.get(&p95_under(v2, parent)).map(|f| f.value.as_str());
            assert_eq!((value("EU"), value("US")), (Some("120"), Some("340")));
            assert_eq!(carried.run.fields.len(), 2, "nothing on APAC's");
            assert!(carried.left.is_empty());
        }
        // A field whose task is not found for certain is left with it.
        let reworded = parse_str(&format!(
            "# R\n\n## Verify\n\n{}- [ ] US region\n  - [ ] p95 latency: ____ ms\n",
            cluster("APAC")
        ));
        let carried = carry_over_from(&v1, &old, &reworded, "r2", "r", "t2");
        assert!(carried.run.fields.is_empty());
        assert_eq!(carried.left.len(), 2);
    }

    /// Blanks of one label outside tasks are told apart by their order among those alike, when
    /// as many are in both versions; a blank of that label in a task does not shift them.
    #[test]
    fn document_blanks_of_one_label_are_carried_only_when_certain() {
        let lines = "Build number: ____\n\nBuild number: ____\n";
        let doc = format!("# R\n\n## Window\n\n{lines}");
        let v1 = parse_str(&doc);
        assert_eq!(v1.fields.len(), 2);
        let mut old = Run::new(&v1, "r1", "r", "t0");
        old.set_field(&v1, &v1.fields[0].id, "41", None, "t1").unwrap();
        old.set_field(&v1, &v1.fields[1].id, "42", None, "t1").unwrap();
        let with_task = parse_str(&format!("# R\n\n## Window\n\n- [ ] Build number: ____\n\n{lines}"));
        assert_eq!(with_task.fields.len(), 3);
        let carried = carry_over_from(&v1, &old, &with_task, "r2", "r", "t2");
        let values: Vec<_> =
            with_task.fields.iter().map(|f| carried.run.fields.get(&f.id).map(|f| f.value.as_str())).collect();
        assert_eq!(values, [None, Some("41"), Some("42")]);
        let three = parse_str(&format!("{doc}\nBuild number: ____\n"));
        let carried = carry_over_from(&v1, &old, &three, "r2", "r", "t2");
        assert!(carried.run.fields.is_empty(), "which two of three: a guess");
        assert_eq!(carried.left.len(), 2);
    }

    fn service(name: &str) -> String {
        format!("## Service {name}\n\n- [ ] Deploy {name}\n\n### Schema migration (if applicable)\n\n- [ ] Migrate {name} schema\n\n")
    }

    /// The conditional section holding `task`.
    fn section_of(c: &Checklist, task: &str) -> String {
        c.sections[c.items.iter().find(|i| i.text == task).unwrap().section].id.clone()
    }

    /// The browser audit's F3: two sections of one title; the first in the document has the
    /// bare slug, so swapping the services switched Beta's migration on instead of Alpha's.
    #[test]
    fn a_section_switch_follows_its_heading_path() {
        let v1 = parse_str(&format!("# R\n\n{}{}", service("Alpha"), service("Beta")));
        let v2 = parse_str(&format!("# R\n\n{}{}", service("Beta"), service("Alpha")));
        let (alpha, beta) = (section_of(&v1, "Migrate Alpha schema"), section_of(&v1, "Migrate Beta schema"));
        assert_eq!(alpha, section_of(&v2, "Migrate Beta schema"), "the ids swapped places");
        let mut old = Run::new(&v1, "r1", "r", "t0");
        old.set_section(&v1, &alpha, true, None, "t1").unwrap();
        old.set_section(&v1, &beta, false, None, "t1").unwrap();
        let carried = carry_over_from(&v1, &old, &v2, "r2", "r", "t2");
        assert!(carried.run.sections[&section_of(&v2, "Migrate Alpha schema")].on);
        assert!(!carried.run.sections[&section_of(&v2, "Migrate Beta schema")].on);
        assert_eq!((carried.carried, carried.left.len()), (2, 0));

        // Two of one path (the same heading twice under one service): which is which is a guess.
        let twice = parse_str(&format!(
            "# R\n\n{}### Schema migration (if applicable)\n\n- [ ] More\n\n{}",
            service("Alpha"),
            service("Beta")
        ));
        let carried = carry_over_from(&v1, &old, &twice, "r2", "r", "t2");
        assert_eq!(carried.left, [alpha], "Alpha's is left; Beta's is still certain");
        assert!(!carried.run.sections[&section_of(&twice, "Migrate Beta schema")].on);
    }

    /// The browser audit's F4: the page's corrections ("this item is critical") are kept by
    /// id; carried by id, EU's landed on US's "Dashboards green" while EU's tick went to EU's.
    /// The map carrying over answers sends each id where the run's state went, and has those
    /// of items without state too, as a correction needs no tick.
    #[test]
    fn counterparts_name_where_each_old_id_went() {
        let block = |name: &str| format!("- [ ] {name} cluster\n  - [ ] Dashboards green\n");
        let v1 = parse_str(&format!(
            "# R\n\n## Verify\n\n{}{}## Rollback (if needed)\n\n- [ ] Revert\n\n## Sign-off\n\n- [ ] QA Lead: ______\n",
            block("EU"),
            block("US")
        ));
        let v2 = parse_str(&format!(
            "# R\n\n## Verify\n\n{}{}{}## Rollback (if needed)\n\n- [ ] Revert\n\n## Sign-off\n\n- [ ] QA Lead: ______\n",
            block("US"),
            block("EU"),
            block("APAC")
        ));
        let under = |c: &Checklist, parent: &str| {
            let p = c.items.iter().position(|i| i.text == format!("{parent} cluster")).unwrap();
            c.items.iter().find(|i| i.parent == Some(p)).unwrap().id.clone()
        };
        assert_eq!(under(&v1, "EU"), under(&v2, "US"), "the ids swapped places");
        let mut old = Run::new(&v1, "r1", "r", "t0");
        old.set_status(&v1, &under(&v1, "EU"), Status::Done, None, None, "t1").unwrap();

        let carried = carry_over_from(&v1, &old, &v2, "r2", "r", "t2");
        let map = &carried.counterparts;
        assert_eq!(map.get(&under(&v1, "EU")), Some(&under(&v2, "EU")));
        assert_eq!(carried.run.item(&under(&v2, "EU")).status, Status::Done, "where the tick went");
        assert_eq!(map.get(&under(&v1, "US")), Some(&under(&v2, "US")), "no state, still found");
        let rollback = |c: &Checklist| c.sections.iter().find(|s| s.conditional).unwrap().id.clone();
        assert_eq!(map.get(&rollback(&v1)), Some(&rollback(&v2)));
        assert_eq!(map.get(&id_of(&v1, "Revert")), Some(&id_of(&v2, "Revert")));
        let qa = |c: &Checklist| c.sign_offs().next().unwrap().id.clone();
        assert_eq!(map.get(&qa(&v1)), Some(&qa(&v2)));
        assert!(map.values().all(|to| v2.item(to).is_some() || v2.sections.iter().any(|s| &s.id == to)));

        // What is not found for certain is not in it: staging's check of F1.
        let (flat, canary) = (parse_str(FLAT), parse_str(FLAT_CANARY));
        let carried = carry_over_from(&flat, &Run::new(&flat, "r1", "r", "t0"), &canary, "r2", "r", "t2");
        assert!(!carried.counterparts.contains_key(&nth(&flat, "Verify health", 0)));
        assert_eq!(carried.counterparts.get(&nth(&flat, "Verify health", 1)), Some(&nth(&canary, "Verify health", 2)));
        // Without the old checklist only what was carried, each to itself.
        let blind = carry_over(&old, &v2, "r2", "r", "t2");
        assert_eq!(blind.counterparts.into_iter().collect::<Vec<_>>(), [(under(&v1, "EU"), under(&v1, "EU"))]);
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
