//! After the walk: what the document means. Takes the raw model the walk built (sections with
//! titles, items with text, blank-bearing lines and tables) and decides, through `recognize`,
//! each section's gate and classes, each item's kind and marks, which lines are sign-off slots
//! and which are fields, and ids where they depend on those decisions. Every decision records
//! a [`Why`]. Top-down over the section arena, then one pass over items and lines: no recursion.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use crate::ids::{normalize_for_id, Fnv, IdAllocator};
use crate::markers;
use crate::model::{Block, Checklist, Field, Gate, Item, ItemKind, Runs, SignOffField, SignOffSpec, SlotKind, Why};
use crate::recognize::fold::fold;
use crate::recognize::signoff::{self, Context};
use crate::recognize::vocabulary::{Hit, APPROVAL_LABEL, DATE_LABEL, RECORD_LABEL, ROLE};
use crate::recognize::{gates, marks, sign_off_heading};
use crate::span::LineIndex;
use crate::span::Span;

/// A short paragraph right before a list (`**Sign-off:**`, `**Required Variables:**`): it
/// labels the list's items like a small heading. Shared by every item and line it leads in
/// (it was copied into each, and then each held its text's two words and its offset: 16
/// bytes more per item fact, held through the model build's peak).
#[derive(Debug)]
pub(crate) struct LeadIn {
    pub text: Box<str>,
    pub at: usize,
}

pub(crate) type SharedLeadIn = std::rc::Rc<LeadIn>;

/// What the walk saw of one task item, beyond the model's fields. One per item, all held
/// through the model build's peak: what few items have is boxed (it took half the record).
#[derive(Debug, Default)]
pub(crate) struct ItemFacts {
    pub rare: Option<Box<RareItemFacts>>,
    /// Byte range of the item's own text.
    pub source: Range<usize>,
    pub lead_in: Option<SharedLeadIn>,
}

#[derive(Debug, Default)]
pub(crate) struct RareItemFacts {
    /// Blanks in the item's own text: label and absolute byte range.
    pub blanks: Vec<(String, usize, usize)>,
    /// An exported report's annotation says this was a sign-off (and which role).
    pub annotated_sign_off: bool,
    pub annotated_role: Option<String>,
}

impl ItemFacts {
    pub fn blanks(&self) -> &[(String, usize, usize)] {
        self.rare.as_ref().map_or(&[], |r| &r.blanks)
    }
    pub fn annotated_sign_off(&self) -> bool {
        self.rare.as_ref().is_some_and(|r| r.annotated_sign_off)
    }
    pub fn annotated_role(&self) -> Option<&String> {
        self.rare.as_ref().and_then(|r| r.annotated_role.as_ref())
    }
}

/// A line with blanks outside task items (paragraph, list entry, code block line).
#[derive(Debug)]
pub(crate) struct LineFacts {
    pub section: usize,
    pub range: Range<usize>,
    pub lead_in: Option<SharedLeadIn>,
}

/// A table outside task items, with each row's cells and byte range.
#[derive(Debug)]
pub(crate) struct TableFacts {
    pub section: usize,
    pub header: Vec<String>,
    pub rows: Vec<(Vec<String>, Range<usize>)>,
    pub lead_in: Option<SharedLeadIn>,
}

pub(crate) struct Walked<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex<'a>,
    pub section_keys: &'a [Fnv],
    pub items: Vec<ItemFacts>,
    pub lines: Vec<LineFacts>,
    pub tables: Vec<TableFacts>,
    pub ids: &'a mut IdAllocator,
    pub field_ids: &'a mut IdAllocator,
    /// (item, first item) pairs whose ids repeat: the duplicate lint's candidates.
    pub repeats: &'a mut Vec<(usize, usize)>,
}

impl Walked<'_> {
    /// The section's id path, hashed so far: what its items', fields' and slots' ids are under.
    fn section_key(&self, section: usize) -> Fnv {
        self.section_keys.get(section).copied().unwrap_or(Fnv::START)
    }
}

/// Per-section reading, kept beside the model while items are read.
#[derive(Debug, Default, Clone)]
struct SectionReading {
    /// A reference part (contacts, notes): roles there are contacts, not signatures.
    reference: bool,
    /// The gate came from the heading's own strong words (or a sign-off heading's).
    named_gate: bool,
    /// Shared down the headings below, not copied: a reading per heading of a long
    /// checklist, three reasons each, was a tenth of the model's peak.
    critical_why: Option<Rc<Why>>,
    non_blocking_why: Option<Rc<Why>>,
    optional_why: Option<Rc<Why>>,
}

fn why(
    about: &'static str,
    value: impl Into<Cow<'static, str>>,
    rule: &'static str,
    line: u32,
    words: impl Into<Box<str>>,
) -> Why {
    Why { about: about.into(), value: value.into(), rule: rule.into(), line, words: words.into() }
}

/// The reasons gathered in `whys`, in a vector of exactly their number, `whys` left empty to
/// gather the next: pushed one by one they took room for four (416 bytes) for the one or two
/// most items and headings have.
fn exact(whys: &mut Vec<Why>) -> Vec<Why> {
    let mut exact = Vec::with_capacity(whys.len());
    exact.append(whys);
    exact
}

fn hit_why(about: &'static str, value: impl Into<Cow<'static, str>>, hit: &Hit, line: u32) -> Why {
    why(about, value, hit.rule, line, hit.words.clone())
}

pub(crate) fn read(c: &mut Checklist, mut w: Walked<'_>) {
    let readings = read_sections(c, &w);
    read_items(c, &mut w, &readings);
    read_lines(c, &mut w, &readings);
}

fn line_of(w: &Walked<'_>, at: usize) -> u32 {
    w.index.line(at)
}

fn gate_name(g: Option<Gate>) -> &'static str {
    g.map_or("none", Gate::as_str)
}

/// Per section: it holds a table asking for a name or signature with rows left to fill, and
/// its own tasks (if any) are all a role with a blank to fill: a block of slots, whatever its
/// heading says. (A table of roles already described, or of score bands, is no such block.)
fn signature_blocks(c: &Checklist, w: &Walked<'_>, has_tasks: &[bool]) -> Vec<bool> {
    let mut blocks = vec![false; c.sections.len()];
    let blank = |cell: &String| cell.trim().chars().all(|ch| ch == '_');
    for t in &w.tables {
        let open_rows = t
            .rows
            .iter()
            .any(|(cells, _)| cells.first().is_some_and(|first| !blank(first)) && cells.iter().skip(1).any(blank));
        if let Some(b) = blocks.get_mut(t.section).filter(|b| !**b && open_rows) {
            *b = asks_person(&t.header.iter().map(|h| fold(h)).collect::<Vec<_>>());
        }
    }
    // Only the items of a section such a table made a block can undo it: the rest are not read
    // for their blanks again (every item's were, a second time, for nothing).
    for item in &c.items {
        if !blocks.get(item.section).copied().unwrap_or(false) {
            continue;
        }
        let role_slot = markers::labelled_blanks(&item.text).first().is_some_and(|(label, _, _)| {
            let label = fold(label);
            ROLE.find(&label).is_some() || APPROVAL_LABEL.find(&label).is_some()
        });
        if !role_slot {
            if let Some(b) = blocks.get_mut(item.section) {
                *b = false;
            }
        }
    }
    // Tasks in a subsection are not slots of this block.
    for (s, tasks) in c.sections.iter().zip(has_tasks) {
        if let Some(b) = s.parent.and_then(|p| blocks.get_mut(p)).filter(|_| *tasks) {
            *b = false;
        }
    }
    blocks
}

/// A table header that asks for a person: a name, a signature or an approval.
fn asks_person(header: &[String]) -> bool {
    header.iter().any(|h| {
        APPROVAL_LABEL.find(h).is_some()
            || [
                "name",
                "nome",
                "nom",
                "nombre",
                "имя",
                "姓名",
                "氏名",
                "signature",
                "assinatura",
                "unterschrift",
                "firma",
                "подпись",
                "签字",
                "签名",
                "署名",
            ]
            .iter()
            .any(|p| crate::recognize::fold::find(h, p).is_some())
    })
}

fn read_sections(c: &mut Checklist, w: &Walked<'_>) -> Vec<SectionReading> {
    let n = c.sections.len();
    // Which sections hold task items, themselves or below.
    let mut has_tasks = vec![false; n];
    let mut direct = vec![false; n];
    for item in &c.items {
        if let Some(d) = direct.get_mut(item.section) {
            *d = true;
        }
        // Up to the first section already known to hold tasks: above it, so are all the rest.
        let mut at = Some(item.section);
        while let Some(s) = at {
            match has_tasks.get_mut(s) {
                Some(h) if !*h => *h = true,
                _ => break,
            }
            at = c.sections[s].parent;
        }
    }
    // The title: the one level-1 heading, first in the document, over everything else. Its
    // subsections are the top-level parts; it has no gate unless it holds tasks itself.
    let h1s = c.sections.iter().filter(|s| s.level == 1).count();
    let title = (h1s == 1 && c.sections.get(1).is_some_and(|s| s.level == 1) && !direct[0]).then_some(1);
    let signature_blocks = signature_blocks(c, w, &has_tasks);
    let mut readings = vec![SectionReading::default(); n];
    // Whether a part named for the deployment steps has been passed, in document order; and per
    // section, the gate of its latest child that has one (kept as we go: a scan of the earlier
    // siblings for each of 20,000 sibling headings was quadratic).
    let mut seen_during = false;
    let mut last_sibling_gate: Vec<Option<Gate>> = vec![None; n];
    let mut whys = Vec::new();
    for i in 1..n {
        let parent = c.sections[i].parent.unwrap_or(0);
        let title_text = c.sections[i].title.clone();
        let line = line_of(w, c.sections[i].span.start);
        let top = parent == 0 || Some(parent) == title;
        let (pg, p_conditional, p_critical, p_non_blocking, p_optional, p_sign_off) = {
            let p = &c.sections[parent];
            (p.gate, p.conditional, p.critical, p.non_blocking, p.optional, p.sign_off)
        };
        let p_reading = readings[parent].clone();
        whys.clear();
        let m = marks::heading(&title_text);
        let sign_off = sign_off_heading(&title_text).or_else(|| {
            // "## Validation" over a `| Rôle | Nom | Signature |` table and role slots: the
            // heading names the sign-off there, not the verification it often names.
            let weak = gates::heading(&title_text, has_tasks[i]).is_none_or(|h| !h.strong);
            (signature_blocks[i] && weak).then(|| Hit { rule: "sign-off-block", words: fold(&title_text), at: 0 })
        });
        // A sign-off heading is the go-live approval unless it names its moment strongly
        // ("Post-Deployment Sign-Off"): "Launch Decision" and "Template de Aprovação" are not
        // the launch steps or a reference part.
        let hg =
            gates::heading(&title_text, has_tasks[i]).filter(|h| sign_off.is_none() || (h.strong && h.gate.is_some()));
        let mut reading = SectionReading::default();
        let mut required = false;
        // The gate.
        let gate: Option<Gate> = if Some(i) == title {
            let g = direct[i].then_some(Gate::Before);
            whys.push(why("gate", gate_name(g), "title", line, title_text.clone()));
            g
        } else {
            match (&hg, top) {
                (Some(h), _) if h.gate.is_none() && h.strong => {
                    reading.reference = true;
                    whys.push(hit_why("gate", "none", &h.hit, line));
                    None
                }
                (Some(h), _) if h.gate == Some(Gate::Contingency) => {
                    if pg == Some(Gate::Before) && !top && h.readiness {
                        required = true;
                        whys.push(hit_why("gate", "before", &h.hit, line));
                        whys.push(why("conditional", "false", "rollback-readiness", line, h.hit.words.clone()));
                        Some(Gate::Before)
                    } else {
                        reading.named_gate = true;
                        whys.push(hit_why("gate", "contingency", &h.hit, line));
                        Some(Gate::Contingency)
                    }
                }
                _ if pg == Some(Gate::Contingency) && !top => {
                    whys.push(why("gate", "contingency", "inherited", line, title_text.clone()));
                    Some(Gate::Contingency)
                }
                // "Monitoring" or "Verification" as a top-level part of a readiness checklist is
                // a topic to prepare; only after the deployment steps is it the verification.
                (Some(h), true) if h.gate == Some(Gate::After) && !h.strong && !seen_during => {
                    let g = (has_tasks[i] || sign_off.is_some()).then_some(Gate::Before);
                    whys.push(why("gate", gate_name(g), "topic-before-deploying", line, h.hit.words.clone()));
                    g
                }
                (Some(h), true) if h.gate.is_some() => {
                    reading.named_gate = h.strong;
                    whys.push(hit_why("gate", gate_name(h.gate), &h.hit, line));
                    h.gate
                }
                (Some(h), true) => {
                    whys.push(hit_why("gate", "none", &h.hit, line));
                    None
                }
                // A subsection moves only forward in time ("Day 0" under "Go-Live"), unless its
                // parent's stage was only a weak guess ("Pré-Produção" under "Go-Live").
                (Some(h), false)
                    if h.gate.is_some()
                        && (pg.is_none()
                            || (h.strong
                                && (h.gate.map(gates::rank) > pg.map(gates::rank) || !p_reading.named_gate))) =>
                {
                    reading.named_gate = h.strong;
                    whys.push(hit_why("gate", gate_name(h.gate), &h.hit, line));
                    h.gate
                }
                // A top-level part with no gate words (or one under a reference heading such as a
                // table of contents, which holds no tasks of its own): preparation, unless it
                // follows the verification part, which it then continues ("Security checks"
                // after "Post-deployment").
                _ if top || (pg.is_none() && has_tasks[i]) => {
                    let follows_after = last_sibling_gate[parent] == Some(Gate::After);
                    let (g, rule) = if sign_off.is_some() {
                        (Some(Gate::Before), "sign-off-heading")
                    } else if has_tasks[i] && follows_after {
                        (Some(Gate::After), "follows-after")
                    } else if has_tasks[i] {
                        (Some(Gate::Before), "default-before")
                    } else {
                        (None, "no-tasks")
                    };
                    whys.push(why("gate", gate_name(g), rule, line, title_text.clone()));
                    g
                }
                _ => {
                    reading.reference = p_reading.reference;
                    whys.push(why("gate", gate_name(pg), "inherited", line, title_text.clone()));
                    pg
                }
            }
        };
        if sign_off.is_some() && !reading.named_gate && gate == Some(Gate::Before) {
            reading.named_gate = hg.as_ref().is_some_and(|h| h.strong);
        }
        // Classes that reach the section and its subsections.
        let contingency = gate == Some(Gate::Contingency);
        // "Rollback (only if the deployment fails)": the procedure's own condition scopes its
        // items as "(if applicable)" does.
        // A heading that is itself the case ("Only if the gateway changes", "Pouze pokud se mění
        // platební brána") scopes its items so too; elsewhere in a heading the words can be the
        // go-live's rule ("Go / No-Go (proceed only if every check passed)"), which scopes nothing.
        let only_in_case = if m.optional.is_some() {
            None
        } else if contingency {
            marks::only_in_case(&title_text)
        } else {
            marks::own_case(&title_text)
        };
        let heading_optional = m.optional.as_ref().or(only_in_case.as_ref());
        let own_conditional = heading_optional.or(m.circumstantial.as_ref());
        // The title names the whole checklist: "Hotfix checklist" is not a special case of itself.
        let own_conditional = own_conditional.filter(|_| Some(i) != title);
        let conditional = !required && (p_conditional || contingency || own_conditional.is_some());
        if let Some(h) = own_conditional {
            if !required {
                whys.push(hit_why("conditional", "true", h, line));
            }
        } else if contingency && !p_conditional {
            whys.push(why("conditional", "true", "contingency", line, title_text.clone()));
        }
        let critical = m.critical.is_some() || (p_critical && m.non_blocking.is_none());
        let non_blocking = m.non_blocking.is_some() || (p_non_blocking && m.critical.is_none());
        if let Some(h) = &m.critical {
            let wy = hit_why("critical", "true", h, line);
            whys.push(wy.clone());
            reading.critical_why = Some(Rc::new(wy));
        } else if critical {
            reading.critical_why = p_reading.critical_why.clone();
        }
        if let Some(h) = &m.non_blocking {
            let wy = hit_why("critical", "false", h, line);
            whys.push(wy.clone());
            reading.non_blocking_why = Some(Rc::new(wy));
        } else if non_blocking {
            reading.non_blocking_why = p_reading.non_blocking_why.clone();
        }
        let own_optional = heading_optional.filter(|_| Some(i) != title);
        let optional = own_optional.is_some() || p_optional;
        reading.optional_why = match own_optional {
            Some(h) => Some(Rc::new(hit_why("optional", "true", h, line))),
            None => p_reading.optional_why.clone(),
        };
        if let Some(h) = &sign_off {
            whys.push(hit_why("sign-off", "true", h, line));
        }
        seen_during |= gate == Some(Gate::During);
        if gate.is_some() {
            last_sibling_gate[parent] = gate;
        }
        let s = &mut c.sections[i];
        s.gate = gate;
        s.conditional = conditional;
        s.critical = critical;
        s.non_blocking = non_blocking;
        s.optional = optional;
        s.sign_off = p_sign_off || sign_off.is_some();
        s.why = exact(&mut whys);
        readings[i] = reading;
    }
    // A document without headings is one flat list: a single before gate.
    if c.sections.len() == 1 || direct[0] {
        c.sections[0].gate = Some(Gate::Before);
    }
    // A title over a flat checklist (no part names another stage) is that one before gate.
    if let Some(t) = title {
        let flat = c.sections.iter().skip(2).all(|s| matches!(s.gate, None | Some(Gate::Before)));
        if flat && c.sections[t].gate.is_none() && has_tasks[t] {
            c.sections[t].gate = Some(Gate::Before);
            let line = line_of(w, c.sections[t].span.start);
            let words = c.sections[t].title.clone();
            c.sections[t].why = vec![why("gate", "before", "flat-checklist", line, words)];
        }
    }
    readings
}

/// The document's own priority legend (`🔴 = blocker`, `High indicates … cannot be omitted`,
/// `⚪ = optional`), from its plain lists and paragraphs: (label, what it marks, why).
fn legends(c: &Checklist, w: &Walked<'_>) -> Vec<(String, marks::LegendMark, Why)> {
    let mut out = Vec::new();
    for s in &c.sections {
        for b in &s.blocks {
            let (texts, at): (Vec<&str>, usize) = match b {
                Block::List(list) => (list.entries.iter().map(|e| e.text.text.as_str()).collect(), list.span.start),
                Block::Paragraph(p) => (vec![p.text.text.as_str()], p.span.start),
                _ => continue,
            };
            for t in texts {
                for (label, mark, hit) in marks::legend_entries(t) {
                    let (what, value) = match mark {
                        marks::LegendMark::Critical => ("critical", "true"),
                        marks::LegendMark::NotBlocking => ("critical", "false"),
                        marks::LegendMark::Optional => ("optional", "true"),
                    };
                    out.push((label, mark, hit_why(what, value, &hit, line_of(w, at))));
                }
            }
        }
    }
    agreed(out)
}

/// The first entry of each label, in order, where all of that label's entries agree: two that
/// disagree cancel out, and that label is no legend. One pass and a map: comparing each entry
/// with every other was quadratic (20,000 legend lines took 1.1 s).
fn agreed<M: PartialEq, T>(entries: Vec<(String, M, T)>) -> Vec<(String, M, T)> {
    // Per label: its first entry's place, and whether every entry says the same.
    let mut labels: HashMap<&str, (usize, bool)> = HashMap::new();
    for (k, (label, critical, _)) in entries.iter().enumerate() {
        labels
            .entry(label.as_str())
            .and_modify(|(first, same)| *same &= entries[*first].1 == *critical)
            .or_insert((k, true));
    }
    let keep: Vec<bool> =
        entries.iter().enumerate().map(|(k, (label, _, _))| labels.get(label.as_str()) == Some(&(k, true))).collect();
    entries.into_iter().zip(keep).filter_map(|(entry, kept)| kept.then_some(entry)).collect()
}

/// What a lead-in's words say: its marks, whether it opens sign-offs, and its line.
type LeadReading = (marks::HeadingMarks, Option<Hit>, u32);

fn read_items(c: &mut Checklist, w: &mut Walked<'_>, readings: &[SectionReading]) {
    // A legend's marks for blocking and for optional are looked for apart: an item can bear one
    // of each (`🔴 ⚪`, critical where it applies).
    let (legend, legend_optional): (Vec<_>, Vec<_>) =
        legends(c, w).into_iter().partition(|(_, mark, _)| *mark != marks::LegendMark::Optional);
    let legend_finder = marks::LegendFinder::new(legend.iter().map(|(label, _, _)| label.as_str()));
    let optional_finder = marks::LegendFinder::new(legend_optional.iter().map(|(label, _, _)| label.as_str()));
    let mut last_lead: Option<(usize, LeadReading)> = None;
    let mut whys = Vec::new();
    for index in 0..c.items.len() {
        let facts = std::mem::take(&mut w.items[index]);
        let section = c.items[index].section;
        let (s_gate, s_sign_off, s_critical, s_non_blocking, s_optional) = {
            let s = &c.sections[section];
            (s.gate, s.sign_off, s.critical, s.non_blocking, s.optional)
        };
        let reading = &readings[section];
        let line = line_of(w, c.items[index].marker.start);
        // Taken, not cloned, and put back below: one allocation and copy less per item.
        let text = std::mem::take(&mut c.items[index].text);
        // Every item of a list shares its lead-in: read it once per lead-in, not per item.
        let lead = facts.lead_in.as_ref().map(|l| match &last_lead {
            Some((at, read)) if *at == l.at => read.clone(),
            _ => {
                let read = (marks::heading(&l.text), sign_off_heading(&l.text), line_of(w, l.at));
                last_lead = Some((l.at, read.clone()));
                read
            }
        });
        let sign_off_context = s_sign_off || lead.as_ref().is_some_and(|l| l.1.is_some());
        whys.clear();
        // Kind: a sign-off slot or a task.
        let inline = std::mem::take(&mut c.items[index].inline);
        let spec =
            read_item_kind(c, w, &facts, &text, inline.styled(), sign_off_context, reading.reference, line, &mut whys);
        let item_marks = marks::item(&text, inline.styled());
        c.items[index].inline = inline;
        let parent_optional = c.items[index].parent.and_then(|p| c.items.get(p)).is_some_and(|p| p.optional);
        let item = &mut c.items[index];
        // Critical: the item's own label, then a lead-in, then its heading; a "not blocking"
        // mark at any of those levels wins over the levels above it.
        let lead_marks = lead.as_ref().map(|l| (&l.0, l.2));
        let (critical, cwhy) = if let Some(h) = &item_marks.non_blocking {
            (false, Some(hit_why("critical", "false", h, line)))
        } else if let Some(h) = &item_marks.critical {
            (true, Some(hit_why("critical", "true", h, line)))
        } else if let Some((_, mark, wy)) = legend_finder.first_in(&text).and_then(|k| legend.get(k)) {
            (*mark == marks::LegendMark::Critical, Some(wy.clone()))
        } else if let Some((m, l)) = lead_marks.filter(|(m, _)| m.non_blocking.is_some()) {
            (false, m.non_blocking.as_ref().map(|h| hit_why("critical", "false", h, l)))
        } else if let Some((m, l)) = lead_marks.filter(|(m, _)| m.critical.is_some()) {
            (true, m.critical.as_ref().map(|h| hit_why("critical", "true", h, l)))
        } else if s_critical && !s_non_blocking {
            (
                true,
                reading.critical_why.as_deref().cloned().map(|mut wy| {
                    wy.rule = format!("heading:{}", wy.rule).into();
                    wy
                }),
            )
        } else if s_non_blocking {
            (false, reading.non_blocking_why.as_deref().cloned())
        } else {
            (false, None)
        };
        whys.extend(cwhy);
        let lead_optional =
            lead_marks.and_then(|(m, l)| m.optional.as_ref().map(|h| hit_why("optional", "true", h, l)));
        let (optional, owhy) = if let Some(h) = &item_marks.optional {
            (true, Some(hit_why("optional", "true", h, line)))
        } else if let Some((_, _, wy)) = optional_finder.first_in(&text).and_then(|k| legend_optional.get(k)) {
            (true, Some(wy.clone()))
        } else if let Some(wy) = lead_optional {
            (true, Some(wy))
        } else if s_optional {
            (true, reading.optional_why.as_deref().cloned())
        } else if parent_optional {
            (true, Some(why("optional", "true", "parent-item", line, text.clone())))
        } else {
            (false, None)
        };
        whys.extend(owhy);
        item.critical = critical;
        item.optional = optional;
        let key = w.section_key(section);
        match spec {
            Some(spec) => {
                item.kind = ItemKind::SignOff;
                item.gate = slot_gate(&spec, s_gate, reading.named_gate, s_sign_off, line, &mut whys);
                item.id = w.ids.allocate_in("s-", key, &normalize_for_id(&spec.role), index).0;
                item.sign_off = Some(Box::new(spec));
            }
            None => {
                item.kind = ItemKind::Task;
                item.gate = s_gate;
                let (id, first) = w.ids.allocate_normalized("i-", key, &text, index);
                if let Some(first) = first {
                    w.repeats.push((index, first));
                }
                item.id = id;
                // The blanks of a task are fill-in fields ("Actual: ____ ms").
                for (label, s, e) in facts.blanks() {
                    push_field(c, w, section, label, *s, *e);
                }
            }
        }
        c.items[index].why = exact(&mut whys);
        c.items[index].text = text;
    }
}

#[allow(clippy::too_many_arguments)]
fn read_item_kind(
    c: &Checklist,
    _w: &Walked<'_>,
    facts: &ItemFacts,
    text: &str,
    inline: &[crate::model::Inline],
    sign_off_context: bool,
    reference: bool,
    line: u32,
    whys: &mut Vec<Why>,
) -> Option<SignOffSpec> {
    let _ = c;
    if !facts.blanks().is_empty() {
        let label = facts.blanks()[0].0.clone();
        let dated = facts.blanks().iter().skip(1).any(|(l, _, _)| {
            let f = fold(l);
            DATE_LABEL.find(&f).is_some() || APPROVAL_LABEL.find(&f).is_some()
        });
        let cx = Context { sign_off: sign_off_context, reference, blank: true, filled: false, dated };
        // The label may be empty ("- [ ] ______ (QA)"): then the words after the blank name it.
        let label_for_reading = if label.is_empty() { text.to_string() } else { label.clone() };
        let slot = signoff::classify(&label_for_reading, cx);
        if slot.is_none() && !facts.annotated_sign_off() {
            whys.push(why("kind", "task", "fill-in-field", line, label));
            return None;
        }
        let kind = slot.as_ref().map_or(SlotKind::Approval, |s| s.kind);
        let mut fields: Vec<SignOffField> = facts
            .blanks()
            .iter()
            .map(|(label, s, e)| SignOffField { label: label.clone(), value: None, span: Span::new(*s, *e) })
            .collect();
        let role = match fields.first().map(|f| f.label.clone()) {
            Some(role) if !role.is_empty() => role,
            _ => facts.annotated_role().cloned().unwrap_or_else(|| "Sign-off".to_string()),
        };
        if let Some(first) = fields.first_mut() {
            first.label = role.clone();
        }
        match &slot {
            Some(s) => whys.push(hit_why("kind", kind_name(kind), &s.hit, line)),
            None => whys.push(why("kind", kind_name(kind), "report-annotation", line, role.clone())),
        }
        return Some(SignOffSpec { role, kind, fields });
    }
    // A go/no-go decision line: `**GO** - all critical items pass`, `Go / No-Go: …`.
    let first_label = c_first_label(text, inline);
    if let Some(found) = signoff::decision(first_label, sign_off_context) {
        whys.push(hit_why("kind", "approval", &found.hit, line));
        let span = Span::new(facts.source.start, facts.source.end);
        let role = markers::clean_label(first_label);
        return Some(SignOffSpec {
            fields: vec![SignOffField { label: role.clone(), value: None, span }],
            role,
            kind: SlotKind::Approval,
        });
    }
    if !(facts.annotated_sign_off() || sign_off_context) {
        return None;
    }
    let source = Span::new(facts.source.start, facts.source.end);
    // A filled line (`SRE On-call: Dana Whitfield Date: 2026-11-20`) is a signature when it
    // names a role or carries a date or name; a bare role (`DevOps Lead`) is an open slot.
    let pairs = markers::filled_pairs(text);
    let filled = pairs.as_ref().filter(|p| {
        let dated = p.iter().skip(1).any(|(l, _)| l.eq_ignore_ascii_case("date") || l.eq_ignore_ascii_case("name"));
        let cx = Context { sign_off: true, filled: true, dated, ..Context::default() };
        facts.annotated_sign_off()
            || (p.iter().any(|(_, v)| !v.is_empty()) && (signoff::classify(&p[0].0, cx).is_some() || dated))
    });
    let role_only = || {
        let words = text.split_whitespace().count();
        let cx = Context { sign_off: true, ..Context::default() };
        ((1..=5).contains(&words) && !text.trim_end().ends_with('.'))
            .then(|| signoff::classify(text, cx))
            .flatten()
            .map(|_| vec![(markers::clean_label(text), String::new())])
    };
    let pairs = filled
        .cloned()
        .or_else(role_only)
        .or_else(|| facts.annotated_sign_off().then(|| vec![(text.to_string(), String::new())]))?;
    let mut pairs = pairs;
    if let Some(role) = facts.annotated_role() {
        pairs[0].0 = role.clone();
    }
    let kind = kind_of_label(&pairs[0].0);
    whys.push(why(
        "kind",
        kind_name(kind),
        if facts.annotated_sign_off() { "report-annotation" } else { "sign-off-heading" },
        line,
        pairs[0].0.clone(),
    ));
    Some(SignOffSpec {
        role: pairs[0].0.clone(),
        kind,
        fields: pairs
            .into_iter()
            .map(|(label, value)| SignOffField { label, value: (!value.is_empty()).then_some(value), span: source })
            .collect(),
    })
}

/// An item's leading label: its first bold or italic run, else the words before `:` or ` - `.
fn c_first_label<'a>(text: &'a str, inline: &'a [crate::model::Inline]) -> &'a str {
    if let Some(first) = inline.iter().find(|r| !r.text.trim().is_empty()) {
        if first.strong || first.emphasis {
            return first.text.trim();
        }
    }
    &text[..label_end(text)]
}

/// Where the first `:`, ` - `, ` – ` or ` — ` of `text` starts (its length when none): one pass
/// over the bytes instead of a substring search per separator for every item.
fn label_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let dash_after = |i: usize| {
        let rest = &bytes[i + 1..];
        rest.starts_with(b"- ") || rest.starts_with("– ".as_bytes()) || rest.starts_with("— ".as_bytes())
    };
    bytes.iter().enumerate().position(|(i, &b)| b == b':' || (b == b' ' && dash_after(i))).unwrap_or(text.len())
}

fn kind_name(k: SlotKind) -> &'static str {
    match k {
        SlotKind::Approval => "approval",
        SlotKind::Record => "record",
    }
}

fn kind_of_label(label: &str) -> SlotKind {
    if RECORD_LABEL.find(&fold(label)).is_some() {
        SlotKind::Record
    } else {
        SlotKind::Approval
    }
}

/// The gate a slot approves or records. A record belongs to the gate it records (its words,
/// else a heading that names a gate, else its section's); an approval in a closing sign-off
/// section authorises the go-live unless its heading or role names another gate.
fn slot_gate(
    spec: &SignOffSpec,
    section_gate: Option<Gate>,
    named: bool,
    in_sign_off_section: bool,
    line: u32,
    whys: &mut Vec<Why>,
) -> Option<Gate> {
    let folded = fold(&spec.role);
    let own = gates::heading(&spec.role, true).and_then(|h| h.gate.map(|g| (g, h.hit, h.strong)));
    let decision = ["go no go", "go live decision", "decision"].iter().any(|d| folded.contains(d));
    let (gate, rule, words): (Option<Gate>, &str, String) = match spec.kind {
        SlotKind::Approval if decision => (Some(Gate::Before), "go-no-go", spec.role.clone()),
        SlotKind::Approval => match own {
            Some((g, hit, true)) => (Some(g), hit.rule, hit.words),
            _ if named => (section_gate, "heading", spec.role.clone()),
            _ if in_sign_off_section || section_gate.is_none() => {
                (Some(Gate::Before), "closing-sign-off", spec.role.clone())
            }
            _ => (section_gate, "section", spec.role.clone()),
        },
        SlotKind::Record => match own {
            _ if named && section_gate.is_some() => (section_gate, "heading", spec.role.clone()),
            Some((g, hit, _)) => (Some(g), hit.rule, hit.words),
            None if section_gate.is_some() && section_gate != Some(Gate::Before) => {
                (section_gate, "section", spec.role.clone())
            }
            None => (Some(Gate::During), "record-default", spec.role.clone()),
        },
    };
    whys.push(why("gate", gate_name(gate), rule, line, words));
    gate
}

fn push_field(c: &mut Checklist, w: &mut Walked<'_>, section: usize, label: &str, s: usize, e: usize) {
    let key = w.section_key(section);
    let (id, _) = w.field_ids.allocate_in("f-", key, &normalize_for_id(label), c.fields.len());
    let label = if label.is_empty() { "Value".to_string() } else { label.to_string() };
    c.fields.push(Field { id, label, section, span: Span::new(s, e) });
}

/// Blank-bearing lines and tables outside task items: sign-off slots or document fields.
fn read_lines(c: &mut Checklist, w: &mut Walked<'_>, readings: &[SectionReading]) {
    let mut lines = std::mem::take(&mut w.lines);
    let mut tables = std::mem::take(&mut w.tables);
    // Lines and tables in document order, so ids are handed out in reading order: the walk
    // records each kind in that order already, so the two are merged as they are read (a
    // line before a table at the same place), not gathered into a third vector (a megabyte
    // at the model's peak on a 1 MB checklist) and sorted.
    let table_at = |t: &TableFacts| t.rows.first().map_or(0, |r| r.1.start);
    if !lines.is_sorted_by_key(|l| l.range.start) {
        lines.sort_by_key(|l| l.range.start);
    }
    if !tables.is_sorted_by_key(table_at) {
        tables.sort_by_key(table_at);
    }
    let mut tables = tables.into_iter().peekable();
    for l in lines {
        while let Some(t) = tables.next_if(|t| table_at(t) < l.range.start) {
            read_table(c, w, readings, t);
        }
        read_line(c, w, readings, l);
    }
    for t in tables {
        read_table(c, w, readings, t);
    }
}

fn read_line(c: &mut Checklist, w: &mut Walked<'_>, readings: &[SectionReading], l: LineFacts) {
    let Some(source) = w.text.get(l.range.clone()) else { return };
    let section = l.section;
    let s = &c.sections[section];
    let sign_off = s.sign_off || l.lead_in.as_ref().is_some_and(|li| sign_off_heading(&li.text).is_some());
    let reference = readings[section].reference;
    let blanks = markers::labelled_blanks(source);
    if blanks.is_empty() {
        // A filled slot in a sign-off block: `**Decision By:** Development Team`.
        if !sign_off || reference {
            return;
        }
        let Some(pairs) = markers::filled_pairs(source.trim_start_matches(['-', '*', '+', ' ', '>'])) else { return };
        let cx = Context { sign_off, reference, blank: false, filled: true, dated: pairs.len() > 1 };
        let Some(found) = pairs.first().filter(|p| !p.1.is_empty()).and_then(|p| signoff::classify(&p.0, cx)) else {
            return;
        };
        let line = line_of(w, l.range.start);
        let span = Span::new(l.range.start, l.range.end);
        let fields = pairs
            .iter()
            .map(|(label, value)| SignOffField {
                label: label.clone(),
                value: Some(value.clone()).filter(|v| !v.is_empty()),
                span,
            })
            .collect();
        let spec = SignOffSpec { role: pairs[0].0.clone(), kind: found.kind, fields };
        let mut whys = vec![hit_why("kind", kind_name(found.kind), &found.hit, line)];
        push_slot(c, w, readings, section, spec, l.range.clone(), line, &mut whys);
        return;
    }
    let dated = blanks.iter().skip(1).any(|(lab, _, _)| DATE_LABEL.find(&fold(lab)).is_some());
    let cx = Context { sign_off, reference, blank: true, filled: false, dated };
    let line = line_of(w, l.range.start);
    let slot = signoff::classify(&blanks[0].0, cx);
    match slot {
        Some(found) => {
            let role = blanks[0].0.clone();
            let fields = blanks
                .iter()
                .map(|(label, a, b)| SignOffField {
                    label: if label.is_empty() { role.clone() } else { label.clone() },
                    value: None,
                    span: Span::new(l.range.start + a, l.range.start + b),
                })
                .collect();
            let spec = SignOffSpec { role: role.clone(), kind: found.kind, fields };
            let mut whys = vec![hit_why("kind", kind_name(found.kind), &found.hit, line)];
            push_slot(c, w, readings, section, spec, l.range.clone(), line, &mut whys);
        }
        None => {
            for (label, a, b) in blanks {
                push_field(c, w, section, &label, l.range.start + a, l.range.start + b);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn push_slot(
    c: &mut Checklist,
    w: &mut Walked<'_>,
    readings: &[SectionReading],
    section: usize,
    spec: SignOffSpec,
    range: Range<usize>,
    line: u32,
    whys: &mut Vec<Why>,
) {
    let s = &c.sections[section];
    let gate = slot_gate(&spec, s.gate, readings[section].named_gate, s.sign_off, line, whys);
    let key = w.section_key(section);
    let owner = c.items.len() + c.slots.len();
    let id = w.ids.allocate_in("s-", key, &normalize_for_id(&spec.role), owner).0;
    let text =
        markers::collapse_whitespace(w.text.get(range.clone()).unwrap_or("").trim_start_matches(['|', ' ', '>']));
    c.slots.push(Item {
        id,
        kind: ItemKind::SignOff,
        text,
        inline: Runs::default(),
        checked: spec.fields.iter().any(|f| f.value.is_some()),
        critical: false,
        optional: false,
        section,
        parent: None,
        attached: None,
        sign_off: Some(Box::new(spec)),
        gate,
        why: exact(whys),
        span: Span::new(range.start, range.end),
        marker: Span::new(range.start, range.start),
        text_end: range.end,
    });
}

/// A table is a sign-off table when it sits under a sign-off heading or its header asks for a
/// name, signature or approval; each row naming a role is then one slot, its empty cells the
/// blanks. Any other table's `___` cells are fields.
fn read_table(c: &mut Checklist, w: &mut Walked<'_>, readings: &[SectionReading], t: TableFacts) {
    let section = t.section;
    let header: Vec<String> = t.header.iter().map(|h| fold(h)).collect();
    let asks_person = asks_person(&header);
    // A column that says "role" names the role, before one holding a role word ("氏名", the
    // name: `| 役割 | 氏名 | 承認日 |`).
    let role_column = header
        .iter()
        .position(|h| {
            ["role", "papel", "rolle", "ruolo", "角色", "роль", "役割", "역할"].iter().any(|r| h.contains(r))
                || h.split(' ').any(|w| w == "rol")
        })
        .or_else(|| header.iter().position(|h| ROLE.find(h).is_some()));
    let sign_off =
        c.sections[section].sign_off || t.lead_in.as_ref().is_some_and(|li| sign_off_heading(&li.text).is_some());
    let reference = readings[section].reference;
    let slot_table = (sign_off || asks_person) && !reference;
    for (cells, range) in t.rows {
        let Some(source) = w.text.get(range.clone()) else { continue };
        let line = line_of(w, range.start);
        let blank_cells: Vec<usize> = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.trim().is_empty() || c.trim().chars().all(|ch| ch == '_'))
            .map(|(i, _)| i)
            .collect();
        if slot_table && (!blank_cells.is_empty() || sign_off) {
            let role_cell = role_column.unwrap_or(0);
            let role = cells.get(role_cell).map(|r| markers::clean_label(r)).unwrap_or_default();
            let cx = Context {
                sign_off: true,
                reference,
                blank: !blank_cells.is_empty(),
                filled: blank_cells.len() < cells.len().saturating_sub(1),
                dated: true,
            };
            if let Some(found) = signoff::classify(&role, cx) {
                let fields = cells
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != role_cell)
                    .map(|(i, cell)| SignOffField {
                        label: t.header.get(i).map(|h| markers::clean_label(h)).unwrap_or_default(),
                        value: Some(cell.trim())
                            .filter(|v| !v.is_empty() && !v.chars().all(|ch| ch == '_'))
                            .map(str::to_string),
                        span: Span::new(range.start, range.end),
                    })
                    .collect();
                let spec = SignOffSpec { role: role.clone(), kind: found.kind, fields };
                let mut whys = vec![hit_why("kind", kind_name(found.kind), &found.hit, line)];
                push_slot(c, w, readings, section, spec, range.clone(), line, &mut whys);
                continue;
            }
        }
        // A key/value row of any other table, "| Deployed by | |": its empty cells are the
        // blanks of the line "Deployed by: ____", and it is read as that line is, except that a
        // bare role ("| Release captain | |") names who is assigned, not an approval asked for.
        if !slot_table && !reference && cells.len() >= 2 && blank_cells.len() == cells.len() - 1 && blank_cells[0] == 1
        {
            let role = markers::clean_label(&cells[0]);
            let cx = Context { sign_off: false, reference, blank: true, filled: false, dated: false };
            if let Some(found) = signoff::classify(&role, cx).filter(|s| s.hit.rule != "role") {
                let fields = (1..cells.len())
                    .map(|i| SignOffField {
                        label: t
                            .header
                            .get(i)
                            .map(|h| markers::clean_label(h))
                            .filter(|h| cells.len() > 2 && !h.is_empty())
                            .unwrap_or_else(|| role.clone()),
                        value: None,
                        span: Span::new(range.start, range.end),
                    })
                    .collect();
                let spec = SignOffSpec { role, kind: found.kind, fields };
                let mut whys = vec![hit_why("kind", kind_name(found.kind), &found.hit, line)];
                push_slot(c, w, readings, section, spec, range.clone(), line, &mut whys);
                continue;
            }
        }
        if markers::has_blank(source) {
            for (label, a, b) in markers::labelled_blanks(source) {
                push_field(c, w, section, &label, range.start + a, range.start + b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_pointer_width = "64")]
    #[test]
    fn item_facts_hold_what_few_items_have_out_of_line() {
        assert!(std::mem::size_of::<ItemFacts>() <= 32, "{} bytes", std::mem::size_of::<ItemFacts>());
        assert!(std::mem::size_of::<LineFacts>() <= 32, "{} bytes", std::mem::size_of::<LineFacts>());
    }

    /// Legend entries compared each with every other, as first written: the reference.
    fn agreed_plain(out: Vec<(String, bool, usize)>) -> Vec<(String, bool, usize)> {
        let mut keep = Vec::new();
        for (l, crit, why) in out.iter() {
            if out.iter().all(|(l2, c2, _)| l2 != l || c2 == crit)
                && !keep.iter().any(|(k, _, _): &(String, bool, usize)| k == l)
            {
                keep.push((l.clone(), *crit, *why));
            }
        }
        keep
    }

    proptest::proptest! {
        #[test]
        fn legend_entries_agree_as_when_each_was_compared_with_every_other(
            entries in proptest::collection::vec(("[a-d]{0,2}", proptest::bool::ANY), 0..12)
        ) {
            let entries: Vec<(String, bool, usize)> =
                entries.into_iter().enumerate().map(|(k, (label, critical))| (label, critical, k)).collect();
            proptest::prop_assert_eq!(agreed(entries.clone()), agreed_plain(entries));
        }
    }

    /// A heading that is itself the case ("Only if …", numbered or not) makes its items apply
    /// only then; the same words later in a heading are the go-live's rule, and scope nothing.
    #[test]
    fn a_heading_that_is_its_case_makes_its_items_optional() {
        let optional = |heading: &str| {
            let c = crate::parse_str(&format!("## Prepare\n- [ ] a\n### {heading}\n- [ ] b [BLOCKING]\n"));
            (c.items[1].optional, c.items[1].critical)
        };
        for heading in ["Only if the gateway changes", "3.2 Pouze pokud se mění brána", "IV. Csak séma változás esetén"]
        {
            assert_eq!(optional(heading), (true, true), "{heading}");
        }
        assert_eq!(optional("Go / No-Go (proceed only if every check passed)"), (false, true));
    }

    /// Under preparation, a part naming the rollback without its steps or its case is the
    /// plan's readiness (before); with its steps or its case it is the procedure.
    #[test]
    fn a_rollback_part_of_the_preparation_is_its_readiness() {
        let gate = |sub: &str| {
            let c = crate::parse_str(&format!("## Before deploying\n### {sub}\n- [ ] a\n## Deploy\n- [ ] b\n"));
            c.items[0].gate
        };
        assert_eq!(gate("Backups and rollback"), Some(Gate::Before));
        assert_eq!(gate("Data og tilbagerulning"), Some(Gate::Before));
        assert_eq!(gate("Rollback procedure"), Some(Gate::Contingency));
        assert_eq!(gate("Rollback (only if the deploy fails)"), Some(Gate::Contingency));
    }

    /// A key/value row with its value cell empty is the line "label: ____": a record or an
    /// approval asked for by its words, in any table; a bare role there is an assignment.
    #[test]
    fn a_key_value_rows_empty_cell_is_a_blank_to_sign_into() {
        let doc =
            "## Deploy\n- [ ] Roll out\n\n| Field | Value |\n|---|---|\n| Deployed by | |\n| Approved by | ___ |\n\
                   | Release captain | |\n| Security review | |\n| Version | 2.1 |\n";
        let c = crate::parse_str(doc);
        let slots: Vec<(&str, SlotKind, Option<Gate>)> = c
            .slots
            .iter()
            .map(|s| {
                let spec = s.sign_off.as_deref().unwrap();
                (spec.role.as_str(), spec.kind, s.gate)
            })
            .collect();
        assert_eq!(
            slots,
            [
                ("Deployed by", SlotKind::Record, Some(Gate::During)),
                ("Approved by", SlotKind::Approval, Some(Gate::During))
            ]
        );
        assert_eq!(c.slots[0].sign_off.as_deref().unwrap().fields[0].label, "Deployed by");
        // A filled row is a value written down, not a slot; a row of three cells with only the
        // last empty is a row of a table, not a label and its blank.
        let doc = "| Field | Value |\n|---|---|\n| Deployed by | Ann |\n\n| A | B | C |\n|---|---|---|\n| Deployed by | x | |\n";
        assert!(crate::parse_str(doc).slots.is_empty());
    }

    /// A contingency heading's "only if …" scopes its items as "(if applicable)" does; the same
    /// words over the go-live's checks are its rule, and scope nothing.
    #[test]
    fn a_contingency_headings_own_condition_makes_its_items_optional() {
        let optional = |doc: &str| -> Vec<bool> {
            let c = crate::parse_str(doc);
            c.items.iter().map(|i| i.optional).collect()
        };
        for heading in [
            "Rollback (only if the deployment fails)",
            "Rollback-Verfahren (nur im Fehlerfall)",
            "切り戻し手順（障害発生時のみ）",
            "롤백 절차 (장애 발생 시에만)",
            "Процедура отката (только при инцидентах)",
            "Geri Alma Prosedürü (yalnızca sorun durumunda)",
        ] {
            let doc = format!("## Deploy\n- [ ] Ship it\n## {heading}\n- [ ] Switch traffic back\n");
            assert_eq!(optional(&doc), [false, true], "{heading}");
        }
        let doc =
            "## Go / No-Go (proceed only if every check passed)\n- [ ] Smoke tests green\n## Deploy\n- [ ] Ship it\n";
        assert_eq!(optional(doc), [false, false]);
    }

    #[test]
    fn a_sign_off_tables_role_column_is_the_one_saying_role() {
        let c = crate::parse_str(
            "## 承認\n\n| 役割 | 氏名 | 承認日 |\n|---|---|---|\n| テックリード | | |\n| QA リーダー | | |\n",
        );
        let roles: Vec<_> = c.slots.iter().map(|s| s.sign_off.as_ref().unwrap().role.clone()).collect();
        assert_eq!(roles, ["テックリード", "QA リーダー"]);
    }

    #[test]
    fn a_section_of_signature_slots_is_a_sign_off_whatever_its_heading() {
        let doc = "## Déploiement\n- [ ] Déployer\n## Vérification\n- [ ] Tests de fumée\n## Validation\n\n\
                   | Rôle | Nom | Signature |\n|---|---|---|\n| Responsable QA | | |\n\n\
                   - [ ] Responsable sécurité : ______ Date : ______\n";
        let c = crate::parse_str(doc);
        let validation = c.sections.iter().find(|s| s.title == "Validation").unwrap();
        assert!(validation.sign_off);
        assert_eq!(validation.gate, Some(Gate::Before));
        let doc = "## Déploiement\n- [ ] Déployer\n## Validation\n- [ ] Tests de fumée\n\n\
                   | Rôle | Nom | Signature |\n|---|---|---|\n| Responsable QA | | |\n";
        let c = crate::parse_str(doc);
        assert_eq!(c.sections.iter().find(|s| s.title == "Validation").unwrap().gate, Some(Gate::After));
    }

    #[test]
    fn a_tasks_blanks_still_become_its_fields() {
        let c = crate::parse_str("## Checks\n- [ ] Latency: ____ ms\n- [ ] Plain task\n");
        assert_eq!(c.fields.len(), 1, "{:?}", c.fields);
        assert_eq!(c.fields[0].label, "Latency");
    }

    #[test]
    fn reasons_are_kept_in_vectors_of_exactly_their_number() {
        let c = crate::parse(crate::sample::SAMPLE_MARKDOWN.as_bytes());
        let whys = c.items.iter().chain(&c.slots).map(|i| &i.why).chain(c.sections.iter().map(|s| &s.why));
        let (mut kept, mut with_reasons) = (0, 0);
        for why in whys {
            kept += why.len();
            with_reasons += usize::from(!why.is_empty());
            assert_eq!(why.capacity(), why.len(), "{why:?}");
        }
        assert!(with_reasons >= 5 && kept > with_reasons, "{with_reasons} with reasons, {kept} reasons");
    }

    proptest::proptest! {
        #[test]
        fn label_end_is_the_first_separator_a_search_finds(text in "[a :\\-–—é]{0,16}") {
            let searched =
                [":", " - ", " – ", " — "].iter().filter_map(|s| text.find(s)).min().unwrap_or(text.len());
            proptest::prop_assert_eq!(label_end(&text), searched);
        }
    }
}
