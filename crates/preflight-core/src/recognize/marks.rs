//! Marks on items and headings: critical (blocks go-live), explicitly not blocking, optional
//! (counts only when it applies), and circumstantial sections. Pure functions of the text; the
//! scope (a heading's class reaching its subsections) is `assemble`'s business.
//!
//! An item's own words are read strictly: a mark is a label (in brackets, a bold run, a
//! `Critical:` prefix, an all-caps word, 🔴), never a word of the task's sentence. "Critical
//! alerts configured" and "Backups must be verified" are phrasing, not marks.

use super::fold::fold;
use super::trie::Trie;
use super::vocabulary::{
    Hit, Rule, CIRCUMSTANTIAL, CRITICAL, NON_BLOCKING, ONLY_FOR, ONLY_IN_CASE, OPTIONAL, OPTIONAL_LABEL, REQUIRED,
};
use crate::model::Inline;

/// What the words of one heading say about the items under it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HeadingMarks {
    pub critical: Option<Hit>,
    pub non_blocking: Option<Hit>,
    pub optional: Option<Hit>,
    pub circumstantial: Option<Hit>,
}

pub fn heading(title: &str) -> HeadingMarks {
    let folded = fold(title);
    let non_blocking = NON_BLOCKING.find(&folded);
    // The heading's labels, read when a rule first asks for them (most headings are answered
    // by the rules over their whole words), once for every rule that does.
    let read = std::cell::OnceCell::new();
    let title_labels = || read.get_or_init(|| labels(title, &[]));
    let optional = OPTIONAL
        .find(&folded)
        .or_else(|| title_labels().iter().find_map(|l| anchored(&OPTIONAL_LABEL, l)))
        .or_else(|| ONLY_FOR.find(&folded));
    // "Non-Blocking (track, but not launch blockers)": the negation owns the heading. A
    // "required" heading marks its items only as a label ("Required", "(REQUIRED)"):
    // "Required Packages" describes the packages.
    let critical = if non_blocking.is_some() {
        None
    } else {
        CRITICAL
            .find(&folded)
            .or_else(|| title_labels().iter().find_map(|l| anchored(&REQUIRED, l)))
            .or_else(|| anchored(&REQUIRED, folded.trim_matches(|c: char| !c.is_alphanumeric())))
            // "Vor öffentlicher Veröffentlichung erforderlich", "Before launch: required": the
            // word as the heading's predicate, unless it is the end of an optional mark
            // ("Rollback (somente se necessário)", "Rollback (if required)").
            .or_else(|| {
                let t = folded.trim_end_matches(|c: char| !c.is_alphanumeric());
                REQUIRED.find(t).filter(|h| {
                    h.at + h.words.len() == t.len()
                        && h.at > 0
                        && !optional
                            .as_ref()
                            .is_some_and(|o| o.at < h.at + h.words.len() && h.at < o.at + o.words.len())
                })
            })
    }
    .or_else(|| blocking_emoji(title));
    HeadingMarks { critical, non_blocking, optional, circumstantial: CIRCUMSTANTIAL.find(&folded) }
}

/// What an item's own words mark it as.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ItemMarks {
    pub critical: Option<Hit>,
    pub non_blocking: Option<Hit>,
    pub optional: Option<Hit>,
}

pub fn item(text: &str, inline: &[Inline]) -> ItemMarks {
    let labels = labels(text, inline);
    // Folded once for every rule below (it was folded twice per item).
    let folded = fold(text);
    let find = |rule: &Rule| labels.iter().find_map(|l| anchored(rule, l));
    let non_blocking = find(&NON_BLOCKING);
    let critical = if non_blocking.is_some() {
        None
    } else {
        find(&CRITICAL)
            .or_else(|| find(&REQUIRED))
            .or_else(|| blocking_emoji(text))
            .or_else(|| {
                text.trim_start().starts_with("(R) ").then(|| Hit { rule: "critical-mark", words: "(R)".into(), at: 0 })
            })
            .or_else(|| shouted(text))
            .or_else(|| {
                if !(folded.contains("must") || folded.contains("blocker")) {
                    return None;
                }
                ["must be green", "must pass", "launch blocker", "release blocker"].into_iter().find_map(|p| {
                    super::fold::find(&folded, p).map(|(s, e)| Hit {
                        rule: "critical-mark",
                        words: folded[s..e].to_string(),
                        at: s,
                    })
                })
            })
    };
    // "API versioning if needed", "If the PR has dependencies, mention them": a condition in
    // the item's own sentence makes it apply only in that case.
    let optional = find(&OPTIONAL)
        .or_else(|| find(&OPTIONAL_LABEL))
        .or_else(|| conditional_aside(text))
        .or_else(|| OPTIONAL.find_alone(&folded).filter(|h| h.words != "optional" || h.at > 0))
        .or_else(|| conditional_opening(&folded));
    ItemMarks { critical, non_blocking, optional }
}

/// An item whose sentence opens with its condition: "If …", "When …", "In case …".
fn conditional_opening(folded: &str) -> Option<Hit> {
    const OPENINGS: &[&str] = &[
        "if ",
        "when ",
        "in case ",
        "unless ",
        "only if",
        "only for",
        "se ",
        "caso ",
        "si ",
        "cuando ",
        "en caso ",
        "falls ",
        "wenn ",
        "sofern ",
        "если ",
        "в случае",
        "如果",
        "若",
        "如需",
        "場合",
        "lorsque ",
        "quand ",
        "qualora ",
        "nel caso ",
    ];
    let start = folded.trim_start_matches(|c: char| !c.is_alphanumeric());
    OPENINGS.iter().find(|o| start.starts_with(**o)).map(|o| Hit {
        rule: "conditional-opening",
        words: o.trim().to_string(),
        at: 0,
    })
}

/// A phrase of `rule` that opens `label` and is all the label says, or is followed only by a
/// separator or a scope ("critical, if it applies", "required for production"): a mark, not a
/// word of a description ("critical workflows", "ambientes críticos").
fn anchored(rule: &Rule, label: &str) -> Option<Hit> {
    let label = label.trim_matches(|c: char| c.is_whitespace() || "*_`'\"".contains(c));
    let hit = rule.find(label)?;
    if hit.at != 0 {
        return None;
    }
    let rest = label[hit.words.len()..].trim_start();
    const SCOPES: &[&str] = &[
        "for ",
        "if ",
        "when ",
        "before ",
        "in ",
        "on ",
        "but ",
        "and ",
        "or ",
        "to ",
        "para ",
        "pour ",
        "fur ",
        "per ",
        "se ",
        "si ",
        "wenn ",
        "для ",
        "если ",
    ];
    let separated = rest.is_empty()
        || rest.starts_with([',', ';', ':', '!', '.', '-', '–', '—', '|', ')', '，', '；', '：', '、'])
        || SCOPES.iter().any(|s| rest.starts_with(s))
        || !hit.words.is_ascii() && !hit.words.chars().next().is_some_and(char::is_alphabetic);
    separated.then_some(hit)
}

/// What a legend's label is followed by: a verb or a separator.
const LEGEND_VERBS: &[&str] = &[
    " indicates ",
    " means ",
    " = ",
    " – ",
    " — ",
    " - ",
    ": ",
    " marks ",
    " significa ",
    " signifie ",
    " bedeutet ",
    " означает ",
    "：",
    "＝",
];

/// `text` around the first legend verb in it: before and after. Every paragraph and item line is
/// asked, so the verbs are looked for in one pass over the bytes where one can start (a space,
/// `:`, or 0xEF, the lead byte of `：` and `＝`) instead of a substring search per verb (6 % of
/// a model build). No two verbs can start at the same place, so the first place is the answer.
fn split_at_verb(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b' ', b':', 0xEF, bytes).find_map(|at| {
        let rest = &text[at..];
        LEGEND_VERBS.iter().find(|v| rest.starts_with(**v)).map(|v| (&text[..at], &rest[v.len()..]))
    })
}

/// [`split_at_verb`] as a search per verb: the reference it is checked against.
#[cfg(test)]
fn split_at_verb_searched(text: &str) -> Option<(&str, &str)> {
    LEGEND_VERBS.iter().filter_map(|v| text.split_once(v)).min_by_key(|(l, _)| l.len())
}

/// A legend's words for "critical": each holds "omitted", "must be" or "blocks" ([`legend`]
/// looks for those first).
const NEVER_OMITTED: [&str; 10] = [
    "cannot be omitted",
    "can not be omitted",
    "must not be omitted",
    "never be omitted",
    "must be done",
    "must be fixed",
    "blocks the release",
    "blocks release",
    "blocks launch",
    "blocks deployment",
];

/// A legend's words for "not blocking": each holds "omitted" or "skipped".
const MAY_OMIT: [&str; 5] =
    ["can be omitted", "can potentially be omitted", "may be omitted", "can be skipped", "may be skipped"];

/// A contingency heading's own condition ("Rollback (only if the deployment fails)"): its items
/// apply only in that case. Asked of contingency headings only ([`ONLY_IN_CASE`]).
pub fn only_in_case(title: &str) -> Option<Hit> {
    ONLY_IN_CASE.find(&fold(title))
}

/// A heading that is itself the case its part applies in: "Only if the gateway changes",
/// "3.2 Pouze pokud …", "外部決済連携を変更する場合のみ" ([`ONLY_IN_CASE`] opening or closing it).
pub fn own_case(title: &str) -> Option<Hit> {
    let folded = fold(title);
    ONLY_IN_CASE.find(&folded).filter(|h| leads(&folded, h))
}

/// Whether `hit` (found in `folded`, a title's folded text) opens the title, only numbering
/// ("3.2", "IV.") and marks before it, or closes it as languages that put the case last write it
/// ("外部決済連携を変更する場合のみ").
pub fn leads(folded: &str, hit: &Hit) -> bool {
    let after = folded.get(hit.at + hit.words.len()..).unwrap_or("");
    if !hit.words.is_empty()
        && crate::recognize::fold::unspaced(hit.words.chars().next().unwrap_or(' '))
        && !after.chars().any(char::is_alphanumeric)
    {
        return true;
    }
    let before = folded.get(..hit.at).unwrap_or("");
    let words: Vec<&str> = before.split(' ').filter(|w| w.chars().any(char::is_alphanumeric)).collect();
    words.iter().all(|w| {
        w.chars().all(|c| !c.is_alphabetic() || matches!(c, 'i' | 'v' | 'x'))
            && w.chars().any(|c| c.is_ascii_digit() || matches!(c, 'i' | 'v' | 'x'))
            && w.len() <= 6
    })
}

/// What a legend entry says of the items bearing its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendMark {
    /// They block the go-live when open: `🔴 = blocker`.
    Critical,
    /// They never block it: `🟢 = nice to have`, `Low … can be omitted`.
    NotBlocking,
    /// They apply only in some cases, or may be left out: `⚪ = optional`.
    Optional,
}

/// The entries of a document's own priority legend in one line or paragraph: `🔴 = blocker`,
/// `![High] indicates that the item cannot be omitted`, `P2: nice to have`, or several at once,
/// `Legend: 🔴 = required · 🟡 = desirable · ⚪ = optional` (one line, or one per line of a
/// paragraph). Each is its label (as written), what it marks, and why.
pub fn legend_entries(text: &str) -> Vec<(String, LegendMark, Hit)> {
    // Several entries are split by a separator, each piece read as an entry of its own; two at
    // least must be, or the text is read whole ("High indicates …; it can never be omitted").
    // Pieces are judged (folded, their words looked up) only when two have an entry's shape:
    // most paragraphs of several lines have none, and were read twice.
    const SEPARATORS: [char; 7] = ['\n', '·', '•', '|', ';', '；', '｜'];
    // Commas part entries only where signs are given meanings ("ℹ️ = ikke blokerende, 💡 =
    // valgfrit"): "Owner: Ann, Date: today" is no legend, and is not judged piece by piece.
    const WITH_COMMAS: [char; 9] = ['\n', '·', '•', '|', ';', '；', '｜', ',', '，'];
    let separators: &[char] = if text.contains('=') { &WITH_COMMAS } else { &SEPARATORS };
    if text.contains(separators) {
        let shaped: Vec<(&str, &str)> = text.split(separators).filter_map(shape).collect();
        if shaped.len() > 1 {
            let found: Vec<_> = shaped.into_iter().filter_map(|(label, rest)| entry(label, rest)).collect();
            if found.len() > 1 {
                return found;
            }
        }
    }
    legend(text).into_iter().collect()
}

/// One legend entry. A word before the first entry (`Legend: 🔴 = blocker`, `Legenda:`,
/// `凡例：`) is no label: where what follows it is an entry of a sign, that entry is the one.
pub fn legend(text: &str) -> Option<(String, LegendMark, Hit)> {
    let (label, rest) = shape(text)?;
    entry(label, rest)
}

/// A text in an entry's shape, its label and the words after the verb: the label a sign, or a
/// few words (the entry after a word such as "Legend:" when that entry's label is a sign).
fn shape(text: &str) -> Option<(&str, &str)> {
    let (label, rest) = split_at_verb(text.trim())?;
    let sign = |l: &str| {
        let l = l.trim();
        !l.is_empty() && !l.chars().any(char::is_alphanumeric)
    };
    // A sign's first character is no letter or digit: most rests ("Dana Smith — on call") are
    // not searched for a second verb.
    let rest_trimmed = rest.trim();
    if rest_trimmed.chars().next().is_some_and(|c| !c.is_alphanumeric()) {
        if let Some((inner, inner_rest)) = split_at_verb(rest_trimmed).filter(|(l, _)| sign(l)) {
            return Some((bare(inner), inner_rest));
        }
    }
    let label = bare(label);
    (!label.is_empty() && label.chars().count() <= 24 && label.split_whitespace().count() <= 3).then_some((label, rest))
}

/// A legend label without the emphasis, code and brackets around it ("**[P1]**").
fn bare(label: &str) -> &str {
    label.trim().trim_matches(|c: char| "*_`[]()".contains(c)).trim()
}

/// A legend entry of `label` (as [`shape`] gives it), from the words after its verb.
fn entry(label: &str, rest: &str) -> Option<(String, LegendMark, Hit)> {
    // A sign of brackets alone ("(*)") is bare of everything.
    if label.is_empty() {
        return None;
    }
    let folded = fold(rest);
    let found = |mark: LegendMark, hit: Hit| Some((label.to_string(), mark, Hit { rule: "document-legend", ..hit }));
    let phrase = |p: &str| Hit { rule: "document-legend", words: p.to_string(), at: 0 };
    // Most texts asked (every paragraph and list entry) say none of these: a search for each
    // word the phrases hold spares fifteen.
    let says = |w: &str| folded.contains(w);
    let omitted = says("omitted");
    if omitted || says("must be") || says("blocks") {
        if let Some(p) = NEVER_OMITTED.iter().find(|p| folded.contains(*p)) {
            return found(LegendMark::Critical, phrase(p));
        }
    }
    if omitted || says("skipped") {
        if let Some(p) = MAY_OMIT.iter().find(|p| folded.contains(*p)) {
            return found(LegendMark::NotBlocking, phrase(p));
        }
    }
    if let Some(h) = NON_BLOCKING.find(&folded) {
        return found(LegendMark::NotBlocking, h);
    }
    if let Some(h) = CRITICAL.find(&folded).or_else(|| anchored(&REQUIRED, &folded)) {
        return found(LegendMark::Critical, h);
    }
    // Only as the entry's first words ("⚪ = optional", "(O): if applicable"): a sentence that
    // merely speaks of optional steps names no mark.
    if let Some(h) = anchored(&OPTIONAL, &folded).or_else(|| anchored(&OPTIONAL_LABEL, &folded)) {
        return found(LegendMark::Optional, h);
    }
    None
}

/// Every label of a document's legend, looked for in an item at once: which one, in legend
/// order, stands in the text as a token of its own. A legend gathered from a long document can
/// name dozens of labels, many sharing their first bytes (`FR-001` … `FR-060`), and a searcher
/// per label run over every item cost a tenth of the model build. The labels are a byte trie:
/// one pass over the item meets every occurrence of every label where it starts, and judges it
/// there. A legend's labels are at most 24 characters, so the walk from any byte is short, and
/// a thousand labels on one first byte cost no more than one.
pub struct LegendFinder<'l> {
    labels: Vec<&'l str>,
    alphanumeric: Vec<bool>,
    trie: Trie,
    /// By trie node: the labels ending there, as a range of `ends`.
    at_node: Vec<(u32, u32)>,
    ends: Vec<u32>,
    /// Empty labels, which occur in every text.
    empty: Vec<usize>,
}

impl<'l> LegendFinder<'l> {
    pub fn new(labels: impl IntoIterator<Item = &'l str>) -> Self {
        let labels: Vec<&str> = labels.into_iter().collect();
        let (trie, nodes) = Trie::new(&labels.iter().map(|l| l.as_bytes()).collect::<Vec<_>>());
        // Empty labels end at the root, which a walk never reports: they are `empty`.
        let (at_node, ends) = trie.keys_by_node(&nodes);
        LegendFinder {
            alphanumeric: labels.iter().map(|l| l.chars().any(char::is_alphanumeric)).collect(),
            empty: (0..labels.len()).filter(|&k| labels[k].is_empty()).collect(),
            labels,
            trie,
            at_node,
            ends,
        }
    }

    /// The first label, in legend order, that stands in `text` as a token of its own (no letter
    /// or digit just before or after it; a label without letters or digits anywhere).
    pub fn first_in(&self, text: &str) -> Option<usize> {
        if self.labels.is_empty() {
            return None;
        }
        let bytes = text.as_bytes();
        // The earliest label in legend order found so far: a later one is not judged at all. (A
        // list of which labels stand, sized to the legend for each item naming one, cost the
        // legend's length per such item: 20,000 labels named by 20,000 items took 0.2 s.)
        let mut first = self.empty.first().copied();
        for at in 0..bytes.len() {
            self.trie.walk(&bytes[at..], |node, len| {
                let (start, n) = self.at_node[node];
                for &k in &self.ends[start as usize..(start + n) as usize] {
                    let k = k as usize;
                    if first.is_none_or(|f| k < f) && (!self.alphanumeric[k] || stands_alone(text, at, at + len)) {
                        first = Some(k);
                    }
                }
            });
        }
        first
    }
}

/// Whether `text[at..end]` is a token of its own: no letter or digit just before or after it.
fn stands_alone(text: &str, at: usize, end: usize) -> bool {
    // Both are char boundaries where a label (whole UTF-8) matched; `get` keeps a mistake from
    // panicking.
    let before = text.get(..at).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// 🔴, or ⛔ ("no entry"): the signs a checklist marks a go-live blocker with.
pub(crate) fn blocking_emoji(text: &str) -> Option<Hit> {
    ['🔴', '⛔'].into_iter().find(|e| text.contains(*e)).map(|e| emoji(e.encode_utf8(&mut [0; 4])))
}

fn emoji(e: &str) -> Hit {
    Hit { rule: "critical-mark", words: e.to_string(), at: 0 }
}

/// The separators a `— label` suffix follows.
const SUFFIX_SEPARATORS: [&str; 4] = [" — ", " – ", " - ", " -- "];

/// The `— label` suffixes of `text`, folded, after the last of each separator. Every item asks,
/// and most have no dash at all: one scan for `-` and the lead byte of `—`/`–` (0xE2) spares
/// them four substring searchers (2.6 % of a model build).
fn suffix_labels(text: &str, out: &mut Vec<String>) {
    if memchr::memchr2(b'-', 0xE2, text.as_bytes()).is_none() {
        return;
    }
    suffix_labels_searched(text, out);
}

/// [`suffix_labels`] without the scan: every separator searched.
fn suffix_labels_searched(text: &str, out: &mut Vec<String>) {
    for sep in SUFFIX_SEPARATORS {
        // memmem, not `rsplit_once`: the standard searcher's setup costs more than the search
        // of a short text. Forward, one byte past each match, so that the last one is found as
        // `rsplit_once` finds it (overlaps too) without a reverse searcher's code in the wasm.
        // The match is whole UTF-8, so its end is a char boundary.
        let (bytes, mut last, mut from) = (text.as_bytes(), None, 0);
        while let Some(i) = bytes.get(from..).and_then(|rest| memchr::memmem::find(rest, sep.as_bytes())) {
            last = Some(from + i);
            from += i + 1;
        }
        if let Some(tail) = last.and_then(|at| text.get(at + sep.len()..)) {
            if tail.chars().count() <= 30 {
                out.push(fold(tail));
            }
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes searched for closing brackets, for the test that the search stays linear.
    static SEARCHED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Bracketed asides, `(…)` `[…]` `（…）` `【…】` `「…」`, folded. Most texts have none: one scan
/// for `(`, `[` and the first bytes of the others (`（` EF, `【` `「` E3) spares a search per kind.
fn bracket_labels(text: &str, out: &mut Vec<String>) {
    let bytes = text.as_bytes();
    if memchr::memchr2(b'(', b'[', bytes).is_some() || memchr::memchr2(0xEF, 0xE3, bytes).is_some() {
        bracket_labels_searched(text, out);
    }
}

/// [`bracket_labels`] without the scan: every kind of bracket searched.
fn bracket_labels_searched(text: &str, out: &mut Vec<String>) {
    for (open, close) in [('(', ')'), ('[', ']'), ('（', '）'), ('【', '】'), ('「', '」')] {
        let mut rest = text;
        // Once no closing bracket is left, none is searched for again: each unclosed one
        // searched to the end of the text, quadratic in an item of thousands of `(`.
        let mut closes = true;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len_utf8()..];
            let closed = if closes {
                #[cfg(test)]
                SEARCHED.with(|n| n.set(n.get() + after.len()));
                after.find(close)
            } else {
                None
            };
            closes = closed.is_some();
            // Unclosed: at most 60 characters (a byte count could cut one in half).
            let end = closed.unwrap_or_else(|| after.char_indices().nth(60).map_or(after.len(), |(i, _)| i));
            let inner = &after[..end];
            if inner.chars().count() <= 60 {
                out.push(fold(inner));
            }
            rest = &after[end.min(after.len())..];
        }
    }
}

/// The parts of an item that can carry a mark, folded: bracketed asides, bold or italic runs
/// that stand alone at either end, a `Label:` prefix and a `— label` suffix.
fn labels(text: &str, inline: &[Inline]) -> Vec<String> {
    let mut out = Vec::new();
    bracket_labels(text, &mut out);
    let styled = |r: &Inline| (r.strong || r.emphasis) && r.text.trim().chars().count() <= 40;
    if let Some(first) = inline.iter().find(|r| !r.text.trim().is_empty()) {
        if styled(first) {
            out.push(fold(&first.text));
        }
    }
    if let Some(last) = inline.iter().rev().find(|r| !r.text.trim().is_empty()) {
        if styled(last) && inline.len() > 1 {
            out.push(fold(&last.text));
        }
    }
    if let Some(head) = colon_label(text.trim_start_matches(|c: char| !c.is_alphanumeric())) {
        out.push(fold(head));
    }
    suffix_labels(text, &mut out);
    out
}

/// `Label: …`: what comes before the first colon, when it is at most 24 characters. Only the
/// first 25 characters are looked at: a colon after them ends a longer head.
fn colon_label(text: &str) -> Option<&str> {
    let (at, _) = text.char_indices().take(25).find(|&(_, c)| c == ':' || c == '：')?;
    Some(&text[..at])
}

/// An all-caps mark word standing on its own: `CRITICAL`, `BLOCKER`, `MUST`, `REQUIRED`.
/// Only at the start (as a label) or the end of the item, or as `MUST` between words (RFC 2119).
fn shouted(text: &str) -> Option<Hit> {
    const WORDS: &[&str] = &["CRITICAL", "BLOCKER", "BLOCKING", "REQUIRED", "MANDATORY", "MUST", "P0"];
    // An item none of the words is written in (most) is answered by one pass over its bytes,
    // not split into words: each opens with two capitals, or is `P0`.
    let bytes = text.as_bytes();
    let written = (0..bytes.len().saturating_sub(1)).any(|i| {
        bytes[i].is_ascii_uppercase()
            && (bytes[i + 1].is_ascii_uppercase() || bytes[i + 1] == b'0')
            && WORDS.iter().any(|w| bytes[i..].starts_with(w.as_bytes()))
    });
    if !written {
        return None;
    }
    // The first word, the last one, whether there are two or more, and a `MUST`: one pass over
    // the words, nothing collected (this is asked of every item without another mark).
    let mut words = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    let first = words.next()?;
    let (mut last, mut several, mut rfc) = (first, false, (first == "MUST").then_some(first));
    for word in words {
        (last, several) = (word, true);
        if rfc.is_none() && word == "MUST" {
            rfc = Some(word);
        }
    }
    let is_mark = |w: &&str| WORDS.contains(w);
    let label_start = Some(first).filter(is_mark).filter(|_| {
        // `CRITICAL vulnerabilities scanned` describes the vulnerabilities; `CRITICAL: rotate`
        // and `**CRITICAL** rotate` label the task.
        let rest = text.trim_start_matches(|c: char| !c.is_alphanumeric());
        let after = rest.get(first.len()..).unwrap_or("");
        after.trim_start_matches(['*', '_']).starts_with([':', '-', '—', ')', ']', '!']) || after.starts_with("**")
    });
    let at_end = Some(last).filter(is_mark).filter(|_| several);
    label_start.or(at_end).or(rfc).map(|w| Hit { rule: "critical-mark", words: w.to_lowercase(), at: 0 })
}

/// `(if schema changes affect tasks)`, `(when using Redis)`, `(se houver)`: an aside that makes
/// the item apply only in some case.
fn conditional_aside(text: &str) -> Option<Hit> {
    const OPENERS: &[&str] = &[
        "if ",
        "when ",
        "unless ",
        "only if",
        "only for",
        "for ",
        "se ",
        "caso ",
        "quando ",
        "si ",
        "cuando ",
        "falls ",
        "wenn ",
        "sofern ",
        "если ",
        "при ",
        "如",
        "若",
        "仅",
        "場合",
    ];
    for (open, close) in [('(', ')'), ('（', '）')] {
        let mut rest = text;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len_utf8()..];
            let end = after.find(close).unwrap_or(after.len());
            let inner = fold(&after[..end]);
            if let Some(o) = OPENERS
                .iter()
                .find(|o| inner.starts_with(**o) && !inner.starts_with("for example") && !inner.starts_with("for ex"))
            {
                // "(for staging)" is a scope; "(for example …)" is not a condition.
                if !o.starts_with("for") || inner.split(' ').count() <= 4 {
                    return Some(Hit { rule: "conditional-aside", words: inner, at: 0 });
                }
            }
            rest = &after[end.min(after.len())..];
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An item of thousands of unclosed `(` (or `[`): the closing bracket is searched for once,
    /// not from each of them to the end of the text (a 2.4 MB item took 3 s, 9.6 MB a minute).
    #[test]
    fn unclosed_brackets_are_searched_past_once() {
        for open in ["(a ", "[a ", "（a "] {
            let text = open.repeat(20_000);
            SEARCHED.with(|n| n.set(0));
            let mut out = Vec::new();
            bracket_labels(&text, &mut out);
            let searched = SEARCHED.with(std::cell::Cell::get);
            assert!(searched <= 2 * text.len(), "{open}: {searched} bytes searched in {}", text.len());
            assert!(!out.is_empty());
        }
        // Closed ones are still each found.
        let mut out = Vec::new();
        bracket_labels("Backups (critical) and [P0] then (a", &mut out);
        assert_eq!(out, ["critical", "a", "p0"]);
    }

    #[test]
    fn an_unclosed_aside_is_cut_at_a_character_never_inside_one() {
        // An unclosed `(`, then `a` and three-byte characters: byte 60 falls inside one.
        let text = format!("deploy (a{}", "\u{FFFD}".repeat(61));
        assert_eq!(labels(&text, &[]).len(), 1);
    }

    fn crit(text: &str) -> bool {
        item(text, &[Inline { text: text.into(), ..Inline::default() }]).critical.is_some()
    }
    fn opt(text: &str) -> bool {
        item(text, &[]).optional.is_some()
    }

    #[test]
    fn critical_items_by_their_own_label_only() {
        for t in [
            "Backups verified (critical)",
            "CRITICAL: rotate keys",
            "🔴 Database migrated",
            "(R) Enhancement issue in release milestone",
            "Pipeline must be green",
            "Backups restored [BLOCKER]",
            "Certificado SSL válido (obrigatório)",
            "Datenbank gesichert (Pflicht)",
            "数据库备份（必须）",
            "Sauvegarde vérifiée (bloquant)",
            "Резервная копия (обязательно)",
            "バックアップ確認（必須）",
            "Backups verified — required",
            "Certificate renewed (critical, if it applies)",
            "⛔ Script de migration validé par un DBA",
        ] {
            assert!(crit(t), "{t}");
        }
        for t in [
            "No critical or high-severity vulnerabilities",
            "Critical endpoints responding correctly",
            "CRITICAL vulnerabilities scanned",
            "Required status checks enabled",
            "Backups must be verified",
            "Dark mode (nice to have, not a blocker)",
            "Critical alerts configured",
            "Downtime communicated (if required)",
            "Expedited deployment approved (if critical)",
            "End-to-end tests passing (critical workflows)",
            "Backups on (ambientes críticos)",
            "Configure pooling (PgBouncer recommended)",
        ] {
            assert!(!crit(t), "{t}");
        }
        let bold = [
            Inline { text: "CRITICAL".into(), strong: true, ..Inline::default() },
            Inline { text: " rotate keys".into(), ..Inline::default() },
        ];
        assert!(item("CRITICAL rotate keys", &bold).critical.is_some());
    }

    #[test]
    fn optional_items_say_when_they_apply() {
        for t in [
            "Secrets rotated (if needed)",
            "Set `DEFAULT_ORG_ID` (Optional)",
            "Celery workers stopped (if schema changes affect tasks)",
            "Certificado renovado (se aplicável)",
            "Cache limpo (se necessário)",
            "Index neu aufbauen (falls zutreffend)",
            "Purger le cache (si applicable)",
            "清理缓存（如适用）",
            "キャッシュ削除（必要に応じて）",
            "Очистить кэш (при необходимости)",
            "역방향 마이그레이션 준비 (필요 시)",
            "인덱스 사전 생성 (해당 시)",
        ] {
            assert!(opt(t), "{t}");
        }
        for t in [
            "Configure monitoring (PagerDuty, Slack, etc.)",
            "Run tests (for example `make test`)",
            "Load test",
            "해당 시스템 담당자에게 공지",
            "배포 필요 시간 확인 (30분)",
        ] {
            assert!(!opt(t), "{t}");
        }
    }

    #[test]
    fn a_documents_own_legend_names_its_marks() {
        use LegendMark::*;
        let high = legend("High indicates that the item cannot be omitted under any circumstances.").unwrap();
        assert_eq!((high.0.as_str(), high.1), ("High", Critical));
        let low =
            legend("Low indicates that the item is recommended but can be omitted in certain situations.").unwrap();
        assert_eq!((low.0.as_str(), low.1), ("Low", NotBlocking));
        assert_eq!(legend("🔴 = launch blocker").map(|l| (l.0, l.1)), Some(("🔴".to_string(), Critical)));
        assert_eq!(legend("🟢 = nice to have").map(|l| (l.0, l.1)), Some(("🟢".to_string(), NotBlocking)));
        assert_eq!(legend("⚪ = optional").map(|l| (l.0, l.1)), Some(("⚪".to_string(), Optional)));
        assert!(legend("Run the migrations before restarting the workers").is_none());
        // Optional only as the entry's first words; a word before the entries is no label.
        assert!(legend("Note - optional steps are marked with a star").is_none());
        assert_eq!(legend("Legend: 🔴 = blocker").map(|l| (l.0, l.1)), Some(("🔴".to_string(), Critical)));
        assert_eq!(legend("P1: Blocker").map(|l| (l.0, l.1)), Some(("P1".to_string(), Critical)));
        // Several entries in one line or paragraph, in any language's words.
        let entries = |t: &str| legend_entries(t).into_iter().map(|(l, m, _)| (l, m)).collect::<Vec<_>>();
        let want = |v: &[(&str, LegendMark)]| v.iter().map(|(l, m)| (l.to_string(), *m)).collect::<Vec<_>>();
        assert_eq!(
            entries("Markeringer: ⛔ = skal være klar, ℹ️ = ikke blokerende, 💡 = valgfrit."),
            want(&[("ℹ️", NotBlocking), ("💡", Optional)])
        );
        assert_eq!(
            entries("Legenda: 🔴 = obrigatório (bloqueia o go-live) · 🟡 = desejável · ⚪ = opcional"),
            want(&[("🔴", Critical), ("🟡", NotBlocking), ("⚪", Optional)])
        );
        assert_eq!(
            entries("🔴 = blocker\n🟢 = nice to have\n⚪ = optional"),
            want(&[("🔴", Critical), ("🟢", NotBlocking), ("⚪", Optional)])
        );
        assert_eq!(entries("High indicates that the item cannot be omitted; see below"), want(&[("High", Critical)]));
        assert!(entries("Deploy | verify | monitor").is_empty());
        assert!(has_label("Doctype: High The Doctype is HTML5", "High"));
        assert!(!has_label("Highly available database", "High"));
    }

    /// The obvious version the legend's one pass is checked against: a `str::find` per
    /// occurrence of one label, each judged as a token (the test around each hit is shared).
    fn has_label_searched(text: &str, label: &str) -> bool {
        if !label.chars().any(char::is_alphanumeric) {
            return text.contains(label);
        }
        let mut from = 0;
        while let Some(i) = text.get(from..).and_then(|t| t.find(label)) {
            let at = from + i;
            if stands_alone(text, at, at + label.len()) {
                return true;
            }
            // The next occurrence may overlap this one: in "xa a a", "a a" stands alone at 3.
            from = at + label.chars().next().map_or(1, char::len_utf8);
        }
        false
    }

    /// Whether the legend's one pass finds `label` alone in `text`.
    fn has_label(text: &str, label: &str) -> bool {
        LegendFinder::new([label]).first_in(text).is_some()
    }

    /// A legend of many labels on one first byte (hostile: a thousand `aNNNN = must be done`)
    /// costs one walk per byte of an item, not a comparison per label.
    #[test]
    fn a_crowded_legend_is_found_in_one_pass() {
        let labels: Vec<String> = (0..1000).map(|n| format!("a{n:04}")).collect();
        let finder = LegendFinder::new(labels.iter().map(String::as_str));
        let item = format!("a0999 a0500 {}", "a".repeat(10_000));
        assert_eq!(finder.first_in(&item), Some(500));
        let few = LegendFinder::new(["a1", "b2", "🔴"]);
        assert_eq!(few.first_in("x b2 🔴"), Some(1));
        let ids = LegendFinder::new(["FR-001", "FR-0", "FR-002"]);
        assert_eq!(ids.first_in("see FR-002 and FR-0012"), Some(2));
    }

    /// [`legend`] looks for these phrases only in texts holding a word each of them holds.
    #[test]
    fn every_legend_phrase_holds_the_word_looked_for_first() {
        assert!(NEVER_OMITTED.iter().all(|p| ["omitted", "must be", "blocks"].iter().any(|w| p.contains(w))));
        assert!(MAY_OMIT.iter().all(|p| ["omitted", "skipped"].iter().any(|w| p.contains(w))));
    }

    /// An occurrence inside a word does not hide one that overlaps it and stands alone.
    #[test]
    fn a_label_overlapping_a_rejected_occurrence_is_found() {
        assert!(has_label("xa a a", "a a"));
        assert!(has_label_searched("xa a a", "a a"));
        assert_eq!(LegendFinder::new(["a a"]).first_in("xa a a"), Some(0));
        assert!(!has_label("xa a ax", "a a"));
        assert_eq!(LegendFinder::new(["zz", "a a"]).first_in("xa a ax"), None);
    }

    proptest::proptest! {
        /// Of several labels, the one found is the first in legend order that stands alone.
        #[test]
        fn the_first_label_standing_alone_in_legend_order_is_found(
            labels in proptest::collection::vec("[ab🔴]{0,2}", 1..6),
            text in "[ab🔴 x]{0,12}",
        ) {
            let finder = LegendFinder::new(labels.iter().map(String::as_str));
            let searched = labels.iter().position(|l| has_label_searched(&text, l));
            proptest::prop_assert_eq!(finder.first_in(&text), searched);
        }
    }

    /// [`shouted`] as it was first written: the words collected, then looked at.
    fn shouted_plain(text: &str) -> Option<Hit> {
        const WORDS: &[&str] = &["CRITICAL", "BLOCKER", "BLOCKING", "REQUIRED", "MANDATORY", "MUST", "P0"];
        let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let is_mark = |w: &&&str| WORDS.contains(*w);
        let label_start = words.first().filter(is_mark).filter(|_| {
            let rest = text.trim_start_matches(|c: char| !c.is_alphanumeric());
            let after = rest.get(words[0].len()..).unwrap_or("");
            after.trim_start_matches(['*', '_']).starts_with([':', '-', '—', ')', ']', '!']) || after.starts_with("**")
        });
        let at_end = words.last().filter(is_mark).filter(|_| words.len() > 1);
        let rfc = words.iter().find(|w| **w == "MUST");
        label_start.or(at_end).or(rfc).map(|w| Hit { rule: "critical-mark", words: w.to_lowercase(), at: 0 })
    }

    proptest::proptest! {
        #[test]
        fn shouting_read_in_one_pass_reads_as_the_collected_words(
            text in "(CRITICAL|MUST|P0|BLOCKER|must|do it|\\*\\*|: |-|a| |é|P|0|M|UST|AP){0,8}"
        ) {
            proptest::prop_assert_eq!(shouted(&text), shouted_plain(&text));
        }

        #[test]
        fn a_legend_verb_found_in_one_pass_is_the_first_searched(
            parts in proptest::collection::vec("( indicates | means | = | – | — | - |: | marks | significa | signifie | bedeutet | означает |：|＝|[a-z🔴 :=\\-]{0,3}|￼)", 0..8)
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(split_at_verb(&text), split_at_verb_searched(&text));
        }

        #[test]
        fn bracket_labels_skip_only_texts_without_a_bracket(text in "[a-z (\\[\\])（）【】「」é€]{0,24}") {
            let (mut fast, mut plain) = (Vec::new(), Vec::new());
            bracket_labels(&text, &mut fast);
            bracket_labels_searched(&text, &mut plain);
            proptest::prop_assert_eq!(fast, plain);
        }

        #[test]
        fn a_colon_label_is_the_head_before_the_first_colon(
            head in "[a-zé ]{0,30}",
            colon in "[:：]?",
            tail in "[a-zé：: ]{0,10}"
        ) {
            let text = format!("{head}{colon}{tail}");
            let plain = text.split_once([':', '：']).map(|(head, _)| head).filter(|h| h.chars().count() <= 24);
            proptest::prop_assert_eq!(colon_label(&text), plain);
        }

        /// Skipping texts without a dash, and searching bytes, find the suffixes `rsplit_once`
        /// finds.
        #[test]
        fn suffix_labels_skip_only_texts_without_a_separator(
            text in "([a-z —–\\-é🔴:]{0,4}( - | — | – | -- |—|-)?){0,6}"
        ) {
            let (mut fast, mut searched) = (Vec::new(), Vec::new());
            suffix_labels(&text, &mut fast);
            suffix_labels_searched(&text, &mut searched);
            let plain: Vec<String> = SUFFIX_SEPARATORS
                .iter()
                .filter_map(|sep| text.rsplit_once(sep).map(|(_, tail)| tail))
                .filter(|tail| tail.chars().count() <= 30)
                .map(fold)
                .collect();
            proptest::prop_assert_eq!(&fast, &plain);
            proptest::prop_assert_eq!(searched, plain);
        }

        #[test]
        fn one_label_found_in_one_pass_is_found_by_a_search(
            text in "[Hhigh 🔴é:]{0,16}",
            label in "(High|hi|h|🔴|🔴 |:|)"
        ) {
            proptest::prop_assert_eq!(has_label(&text, &label), has_label_searched(&text, &label));
        }

        #[test]
        fn a_legend_found_in_one_pass_names_the_first_label_each_finder_finds(
            text in "[Hhig a.🔴é:\\[\\]P0\\-]{0,24}",
            labels in proptest::collection::vec("(High|hi|h|🔴|🔴 |:|a.a|\\[P0\\]|P0|P|é|aa|-a-|a a|)", 0..6)
        ) {
            let one_pass = LegendFinder::new(labels.iter().map(String::as_str)).first_in(&text);
            let each = labels.iter().position(|l| has_label_searched(&text, l));
            proptest::prop_assert_eq!(one_pass, each);
            // Many labels sharing their first bytes: the same answer.
            let crowded: Vec<String> = (0..=9).map(|n| format!("Hz{n}")).chain(labels.iter().cloned()).collect();
            let one_pass = LegendFinder::new(crowded.iter().map(String::as_str)).first_in(&text);
            let each = crowded.iter().position(|l| has_label_searched(&text, l));
            proptest::prop_assert_eq!(one_pass, each);
        }
    }

    #[test]
    fn headings_negation_owns_the_heading() {
        let h = heading("Non-Blocking (track, but not launch blockers)");
        assert!(h.critical.is_none() && h.non_blocking.is_some());
        assert!(heading("Blocking Items (must be green)").critical.is_some());
        assert!(heading("🔴 Must pass").critical.is_some());
        assert!(heading("Fonctionnalités Critiques").critical.is_some());
        assert!(heading("Блокеры").critical.is_some());
        assert!(heading("Nice to have").non_blocking.is_some());
        assert!(heading("Recommended").critical.is_none());
        assert!(heading("Data Migration (if applicable)").optional.is_some());
        assert!(heading("Special Deployment Scenarios").circumstantial.is_some());
        assert!(heading("Pre-Deployment").critical.is_none());
        assert!(heading("Required Packages").critical.is_none());
        assert!(heading("2. Database (REQUIRED)").critical.is_some());
        assert!(heading("Required").critical.is_some());
        assert!(heading("Vor öffentlicher Veröffentlichung erforderlich").critical.is_some());
        assert!(heading("Suggested").non_blocking.is_some());
        let h = heading("⏪ Procedimento de Rollback (somente se necessário)");
        assert!(h.critical.is_none() && h.optional.is_some());
        assert!(heading("Rollback (if required)").critical.is_none());
        assert!(heading("### 배포 차단 항목").critical.is_some());
        assert!(heading("역방향 마이그레이션 (필요 시)").optional.is_some());
        assert!(heading("해당 시스템 점검").optional.is_none());
        assert!(heading("⛔ Go-Live-Blocker").critical.is_some());
        assert!(heading("Spécifique à la région Canada").optional.is_some());
        assert!(heading("Alleen voor de Belgische winkel").optional.is_some());
    }

    /// The last separator is found even where it overlaps the one before (` - - `): the tail
    /// after the first would be two chars too long for a label.
    #[test]
    fn a_suffix_follows_the_last_separator_even_overlapping() {
        let text = format!("Check a - - {}", "b".repeat(29));
        let mut out = Vec::new();
        suffix_labels(&text, &mut out);
        assert_eq!(out, vec!["b".repeat(29)]);
    }
}
