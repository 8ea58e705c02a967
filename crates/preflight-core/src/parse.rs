//! Markdown → [`Checklist`]. Walks pulldown-cmark's event stream once with an explicit stack
//! (never recursion over nesting depth, so a 30,000-deep list is just a long loop) and builds
//! the flat arenas of the model. It cannot fail: whatever the input, the result is a model plus
//! diagnostics. An item is exactly what GitHub renders as a checkbox; nothing else is.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, MetadataBlockKind, Tag, TagEnd};

use crate::assemble::{self, ItemFacts, LeadIn, LineFacts, RareItemFacts, SharedLeadIn, TableFacts, Walked};
use crate::diagnostic::{code, Diagnostic, Severity};
use crate::ids::{first_normalized, fnv1a64, normalize_for_id, slug, Fnv, IdAllocator, KeyHasher};
use crate::markers;
use crate::metadata;
use crate::model::{
    Block, Checklist, DeclaredTotal, Field, Inline, Item, ItemKind, ListEntry, MetadataEntry, RichText, Runs, Section,
};
use crate::normalize::{normalize, source_sha256};
use crate::rubric::{self, BandLine};
use crate::span::{LineIndex, Span};
use crate::{lint, mojibake, words};

pub use crate::markdown::options;

/// Parse raw bytes: normalize, then build the model.
pub fn parse(bytes: &[u8]) -> Checklist {
    parse_with_corrections(bytes, &[])
}

/// Parse, then apply corrections kept beside the template (after the document's own
/// `preflight:` block, so the later word wins). The identity stays the text's SHA-256.
pub fn parse_with_corrections(bytes: &[u8], corrections: &[crate::model::Correction]) -> Checklist {
    corrected(normalize(bytes), corrections)
}

/// [`parse_with_corrections`] of bytes the caller gives up, kept without a copy as in
/// [`parse_owned`].
pub fn parse_owned_with_corrections(bytes: Vec<u8>, corrections: &[crate::model::Correction]) -> Checklist {
    corrected(crate::normalize::normalize_owned(bytes), corrections)
}

fn corrected(normalized: crate::normalize::Normalized, corrections: &[crate::model::Correction]) -> Checklist {
    let mut c = build(normalized.text, normalized.diagnostics);
    if !corrections.is_empty() {
        let warnings = crate::corrections::apply(&mut c, corrections);
        let index = LineIndex::new(&c.source);
        for (line, message) in warnings {
            let at = index.line_start(line.max(1));
            let mut d = Diagnostic::new(Severity::Warning, code::UNKNOWN_CORRECTION, message, Span::new(at, at));
            index.locate(&mut d.span);
            c.diagnostics.push(d);
        }
    }
    c
}

/// Parse bytes the caller gives up: text that needs no normalizing (valid UTF-8, no BOM, CR
/// or NUL: nearly every file) becomes the model's source without a copy, so the input is not
/// held twice while the model is built.
pub fn parse_owned(bytes: Vec<u8>) -> Checklist {
    parse_owned_with_corrections(bytes, &[])
}

/// Parse text that is already a Rust string (still normalized: BOM, CR, NUL).
pub fn parse_str(text: &str) -> Checklist {
    parse(text.as_bytes())
}

/// Accumulates the styled runs of one block of inline content and the source range they cover.
#[derive(Default)]
struct InlineBuf {
    runs: Vec<OpenRun>,
    range: Option<Range<usize>>,
    /// The exporter's annotation and the byte offset where it ends.
    annotation: Option<(String, usize)>,
}

/// A run while its text still grows: adjacent text events of one style join into one run.
struct OpenRun {
    text: String,
    code: bool,
    emphasis: bool,
    strong: bool,
    strikethrough: bool,
    href: Option<Box<str>>,
}

impl OpenRun {
    fn unstyled(&self) -> bool {
        crate::model::is_unstyled(self.code, self.emphasis, self.strong, self.strikethrough, self.href.is_some())
    }

    fn close(self) -> Inline {
        Inline {
            text: self.text.into_boxed_str(),
            code: self.code,
            emphasis: self.emphasis,
            strong: self.strong,
            strikethrough: self.strikethrough,
            href: self.href,
        }
    }
}

impl InlineBuf {
    fn touch(&mut self, r: &Range<usize>) {
        self.range = Some(match self.range.take() {
            Some(cur) => cur.start.min(r.start)..cur.end.max(r.end),
            None => r.clone(),
        });
    }

    fn push(&mut self, text: &str, style: &Style, code: bool) {
        let href = style.links.last().and_then(Option::as_deref);
        if let Some(last) = self.runs.last_mut() {
            if last.code == code
                && last.emphasis == style.emphasis
                && last.strong == style.strong
                && last.strikethrough == style.strikethrough
                && last.href.as_deref() == href
            {
                last.text.push_str(text);
                return;
            }
        }
        self.runs.push(OpenRun {
            text: text.to_string(),
            code,
            emphasis: style.emphasis,
            strong: style.strong,
            strikethrough: style.strikethrough,
            href: href.map(Box::from),
        });
    }

    fn finish(self) -> (RichText, Option<Range<usize>>, Option<(String, usize)>) {
        let mut runs = self.runs;
        if let Some(first) = runs.first_mut() {
            let cut = first.text.len() - first.text.trim_start().len();
            first.text.drain(..cut);
        }
        if let Some(last) = runs.last_mut() {
            let keep = last.text.trim_end().len();
            last.text.truncate(keep);
        }
        runs.retain(|r| !r.text.is_empty());
        // Most texts are one unstyled run already on one line (a plain item, heading or cell):
        // that run's text is the plain text, kept as it is rather than copied word by word.
        if let [only] = runs.as_slice() {
            if only.unstyled() && is_plain_line(&only.text) {
                let text = runs.pop().map(|r| r.text).unwrap_or_default();
                return (RichText { text, inline: Runs::Plain }, self.range, self.annotation);
            }
        }
        let plain = plain_text(runs.iter().map(|r| r.text.as_str()));
        // One unstyled run equal to the text: `Runs::Plain` keeps no second copy.
        let inline = if Runs::make_plain(runs.iter().map(|r| (r.unstyled(), r.text.as_str())), &plain) {
            Runs::Plain
        } else {
            // Exactly as many runs as there are, each text exactly as long as it is: kept in
            // the model for every item, heading, paragraph and cell (a one-run text held room
            // for four, 168 bytes each, 14 MB on a 10 MB checklist). Not `collect` into a Vec:
            // reusing the open runs' larger buffer would keep its room, and boxing it then
            // would move every run.
            let mut closed = Vec::with_capacity(runs.len());
            closed.extend(runs.into_iter().map(OpenRun::close));
            Runs::from(closed)
        };
        (RichText { text: plain, inline }, self.range, self.annotation)
    }
}

/// Whether `text` is already what [`plain_text`] makes of it: no whitespace at either end, and
/// only single spaces between words.
fn is_plain_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    // At the start a space would be leading; at the end, trailing.
    let mut after_space = true;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            9..=13 => return false,
            b if b < 0x80 => after_space = false,
            _ => {
                let (space, width) = words::class_at(text, at);
                if space {
                    return false;
                }
                after_space = false;
                at += width;
                continue;
            }
        }
        at += 1;
    }
    !after_space || bytes.is_empty()
}

/// The runs' text as one line: whitespace runs (also across runs) collapsed to one space,
/// none at either end. The same as `concat().split_whitespace().join(" ")`, without the
/// intermediate strings: every item, heading, paragraph and table cell goes through here.
fn plain_text<'t>(runs: impl Iterator<Item = &'t str> + Clone) -> String {
    let mut plain = String::with_capacity(runs.clone().map(str::len).sum());
    // Whitespace seen since the last word; a word is copied whole once its end is found.
    let mut gap = false;
    let put = |plain: &mut String, word: &str, gap: &mut bool| {
        if *gap && !plain.is_empty() {
            plain.push(' ');
        }
        plain.push_str(word);
        *gap = false;
    };
    for text in runs {
        let bytes = text.as_bytes();
        let (mut at, mut word) = (0, 0);
        while at < bytes.len() {
            // `at` is a char boundary: every step is a whole char.
            let (space, width) = words::class_at(text, at);
            if space {
                if let Some(w) = text.get(word..at).filter(|w| !w.is_empty()) {
                    put(&mut plain, w, &mut gap);
                }
                gap = true;
                word = at + width;
            }
            at += width;
        }
        if let Some(w) = text.get(word..).filter(|w| !w.is_empty()) {
            put(&mut plain, w, &mut gap);
        }
    }
    plain
}

/// Inline styling in force; styles cannot span blocks, so one instance serves the whole walk.
#[derive(Default)]
struct Style {
    emphasis: bool,
    strong: bool,
    strikethrough: bool,
    depth_emphasis: u32,
    depth_strong: u32,
    depth_strike: u32,
    links: Vec<Option<String>>,
}

impl Style {
    fn sync(&mut self) {
        self.emphasis = self.depth_emphasis > 0;
        self.strong = self.depth_strong > 0;
        self.strikethrough = self.depth_strike > 0;
    }
}

/// Only http, https, mailto and relative links stay links.
pub fn safe_href(url: &str, link_type: LinkType) -> Option<String> {
    // Browsers drop tabs and newlines anywhere and C0/space at the ends before reading a
    // scheme, so `java\tscript:` and ` javascript:` must be judged as `javascript:`.
    let cleaned: String = url.chars().filter(|c| !c.is_ascii_control() && !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return None;
    }
    if link_type == LinkType::Email {
        return Some(format!("mailto:{cleaned}"));
    }
    // `//host/path` (also `\\host\path`, which browsers read the same way) names another host,
    // not a relative path: opened from disk it would become `file://host/…` (a network share on
    // Windows). Spell the scheme out.
    if cleaned.starts_with("//")
        || cleaned.starts_with("\\\\")
        || cleaned.starts_with("/\\")
        || cleaned.starts_with("\\/")
    {
        let rest = cleaned.trim_start_matches(['/', '\\']);
        return (!rest.is_empty()).then(|| format!("https://{rest}"));
    }
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if cleaned[i..].starts_with(':') => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto").then_some(cleaned)
        }
        _ if cleaned.contains(['\\', '&', '%']) && cleaned.to_ascii_lowercase().contains("script") => None,
        _ => Some(cleaned),
    }
}

enum Frame {
    Heading {
        buf: InlineBuf,
        level: u8,
        start: usize,
    },
    Paragraph {
        buf: InlineBuf,
        start: usize,
        item_text: bool,
    },
    List,
    ListItem(ListItemFrame),
    BlockQuote,
    Code {
        language: String,
        text: String,
        start: usize,
    },
    Table {
        header: Vec<RichText>,
        rows: Vec<Vec<RichText>>,
        row: Vec<RichText>,
        start: usize,
        row_ranges: Vec<Range<usize>>,
        /// The header's width and each body row's cell ranges: what a table checklist is read
        /// from, so finding one needs no second parse.
        columns: usize,
        cells: Vec<Range<usize>>,
        body: Vec<crate::fix::Row>,
    },
    Cell {
        buf: InlineBuf,
        range: Range<usize>,
    },
    Html,
    FrontMatter {
        text: String,
        start: usize,
    },
    Other,
}

struct ListItemFrame {
    start: usize,
    end: usize,
    buf: InlineBuf,
    task: Option<usize>,
    text_done: bool,
    /// How many lists enclose this item.
    list_depth: u32,
}

struct Builder<'a> {
    text: &'a str,
    sections: Vec<Section>,
    /// Per section: the normalized path used in ids (`/release/before`), hashed so far
    /// ([`Fnv`]): as text, a long checklist's paths took 1.4 MB through the model build.
    section_keys: Vec<Fnv>,
    /// Which sections a bold or italic phase label opened (`phase_label`), by index.
    pseudo: Vec<bool>,
    /// The block just before was a short lead-in paragraph (`**Sign-off:**`).
    lead_in: Option<SharedLeadIn>,
    /// Per item, what the walk saw beyond the model; per blank-bearing line and table outside
    /// items, where it is. `assemble` decides what they mean.
    item_facts: Vec<ItemFacts>,
    line_facts: Vec<LineFacts>,
    table_facts: Vec<TableFacts>,
    /// Every table, in or out of items, that holds a mark meaning open: where a table
    /// checklist could be.
    open_tables: Vec<crate::fix::Table>,
    heading_stack: Vec<usize>,
    current: usize,
    items: Vec<Item>,
    fields: Vec<Field>,
    stack: Vec<Frame>,
    /// Open task items with the list depth at which each was opened.
    tasks: Vec<(usize, u32)>,
    list_depth: u32,
    style: Style,
    pending_list: Option<(usize, usize, Vec<ListEntry>)>,
    /// Rubric band lines, in document order, with the section each was read in. One list, not
    /// one per section: a long checklist's sections nearly all have none, and an empty list
    /// each was 0.4 MB of the 10 MB benchmark checklist's peak.
    band_lines: Vec<(usize, BandLine)>,
    /// Band lines counted in items ("36–40 itens: pronto"), with their section and the words
    /// before their list (which may state the maximum, "max 17"): a rubric only beside a stated
    /// maximum or a declared total, and only when the document has none in percent.
    count_lines: Vec<(usize, rubric::CountBand, Option<SharedLeadIn>)>,
    /// The maximum a section's paragraph states ("maximum je 40 bodů", "計40点満点"), by
    /// section: what its bands counted in points are a share of.
    section_max: Vec<(usize, u32)>,
    rubric_rule: Option<(u32, String, usize)>,
    /// A GO threshold stated in a sentence (`rubric::prose_go`), and where: the rubric when
    /// the document gives no bands and no rule.
    prose_go: Option<(u32, usize)>,
    declared_total: Option<DeclaredTotal>,
    /// Section-level paragraphs with the number of items seen before them (for metadata).
    meta_candidates: Vec<(Range<usize>, usize)>,
    front_matter: Option<(String, usize)>,
    ids: IdAllocator,
    /// Task items whose id repeats an earlier one's (item, first item): candidates for the
    /// duplicate-item lint.
    repeats: Vec<(usize, usize)>,
    section_ids: HashSet<u64, BuildHasherDefault<KeyHasher>>,
    /// Per repeated section-id base: the suffix it last got.
    suffixes: HashMap<u64, u32, BuildHasherDefault<KeyHasher>>,
    /// Taken ids tried while finding a free suffix (kept linear in the number of headings).
    suffix_probes: usize,
    field_ids: IdAllocator,
    diagnostics: Vec<Diagnostic>,
}

/// What needs only the text, not the model: the source hash, the line index and the mojibake
/// scan. Natively it runs on a second core while the walk builds the model.
struct TextFacts<'a> {
    sha256: String,
    index: LineIndex<'a>,
    mojibake: Vec<Diagnostic>,
}

fn text_facts(text: &str) -> TextFacts<'_> {
    let index = LineIndex::new(text);
    let mojibake = mojibake::diagnose(text, &index);
    TextFacts { sha256: source_sha256(text), index, mojibake }
}

/// Below this a second thread costs more than it saves.
const PARALLEL_MIN_BYTES: usize = 256 * 1024;

fn build(text: String, diagnostics: Vec<Diagnostic>) -> Checklist {
    let parallel = text.len() >= PARALLEL_MIN_BYTES;
    build_on(text, diagnostics, parallel)
}

/// `parallel`: compute the text facts on a second thread (natively; wasm has one thread).
fn build_on(text: String, diagnostics: Vec<Diagnostic>, parallel: bool) -> Checklist {
    #[cfg(not(target_family = "wasm"))]
    if parallel {
        let mut checklist = std::thread::scope(|scope| {
            let side = std::thread::Builder::new().spawn_scoped(scope, || text_facts(&text));
            let builder = walk(&text, diagnostics);
            // A thread that could not start, or died, is redone here.
            let facts = side.ok().and_then(|h| h.join().ok()).unwrap_or_else(|| text_facts(&text));
            builder.finish(&text, facts)
        });
        checklist.source = text;
        return checklist;
    }
    #[cfg(target_family = "wasm")]
    let _ = parallel;
    let builder = walk(&text, diagnostics);
    let mut checklist = builder.finish(&text, text_facts(&text));
    checklist.source = text;
    checklist
}

/// How many task items the text could hold, for allocating the item records once at about
/// their final size: growing them by doubling held the old and the new buffer at once, the
/// model build's peak. Counted: `[ ]`, `[x]` or `[X]` right after a list marker (`-`, `*`, `+`,
/// `1.`, `1)`) and whitespace, with only indentation and `>` before it on its line. Capped at
/// one per 32 bytes (+64; the densest real checklist here has one per 38), so a document of
/// such lines in code blocks cannot make it reserve much more than real items of that density
/// would take. Only a size hint: a miss costs growth.
fn item_bound(text: &str) -> usize {
    task_lines(text).min(text.len() / 32 + 64)
}

/// How many lines of `text` look like task lines (as [`item_bound`] counts them).
fn task_lines(text: &str) -> usize {
    let bytes = text.as_bytes();
    let at_list_start = |at: usize| {
        let mut j = at;
        let gap = bytes[..j].iter().rev().take_while(|b| matches!(b, b' ' | b'\t')).count();
        j -= gap;
        if gap == 0 || j == 0 {
            return false;
        }
        j -= 1;
        match bytes[j] {
            b'-' | b'*' | b'+' => {}
            b'.' | b')' => {
                let digits = bytes[..j].iter().rev().take_while(|b| b.is_ascii_digit()).count();
                if digits == 0 {
                    return false;
                }
                j -= digits;
            }
            _ => return false,
        }
        bytes[..j].iter().rev().take_while(|b| **b != b'\n').all(|b| matches!(b, b' ' | b'\t' | b'>'))
    };
    memchr::memchr_iter(b'[', bytes)
        .filter(|&at| matches!(bytes.get(at + 1..at + 3), Some([b' ' | b'x' | b'X', b']'])) && at_list_start(at))
        .count()
}

/// A fence line's character and length: "```" or "~~~~" after indentation and `>`.
fn fence(line: &str) -> Option<(u8, usize)> {
    let line = line.trim_start_matches([' ', '\t', '>']);
    let c = *line.as_bytes().first().filter(|c| matches!(c, b'`' | b'~'))?;
    let n = line.bytes().take_while(|&b| b == c).count();
    (n >= 3).then_some((c, n))
}

/// A code fence or an HTML comment that runs to the end of the document because it is never
/// closed: everything after it is its text (GitHub shows it so too), and one stray "```" or
/// "<!--" turned a NO-GO into GO without a word. Said when it hides task lines.
fn unclosed_block(text: &str, block: Range<usize>, code: bool) -> Option<Diagnostic> {
    if block.end < text.trim_end().len() {
        return None;
    }
    let body = text.get(block.clone())?;
    let (first, rest) = body.split_once('\n').unwrap_or((body, ""));
    let what = if code {
        let (c, n) = fence(first)?;
        let closed = rest.lines().rev().find(|l| !l.trim().is_empty()).and_then(|l| {
            let (c2, n2) = fence(l)?;
            (c2 == c && n2 >= n && l.trim_start_matches([' ', '\t', '>']).trim_matches(c as char).trim().is_empty())
                .then_some(())
        });
        if closed.is_some() {
            return None;
        }
        format!("this code block is never closed (with {})", String::from(c as char).repeat(n))
    } else {
        if !first.trim_start_matches([' ', '\t', '>']).starts_with("<!--") || body.contains("-->") {
            return None;
        }
        "this HTML comment is never closed (with -->)".to_string()
    };
    let hidden = task_lines(rest);
    (hidden > 0).then(|| {
        Diagnostic::new(
            Severity::Warning,
            code::UNCLOSED_BLOCK,
            format!(
                "{what}: the {hidden} task line{} after it, to the end of the document, are its text, not items",
                if hidden == 1 { "" } else { "s" }
            ),
            Span::new(block.start, block.start + first.len()),
        )
    })
}

fn walk(text: &str, diagnostics: Vec<Diagnostic>) -> Builder<'_> {
    let items = item_bound(text);
    let mut b = Builder {
        text,
        sections: vec![Section {
            id: "document".into(),
            title: String::new(),
            level: 0,
            parent: None,
            children: Vec::new(),
            blocks: Vec::new(),
            conditional: false,
            critical: false,
            phase: false,
            gate: None,
            non_blocking: false,
            optional: false,
            sign_off: false,
            why: Vec::new(),
            span: Span::new(0, text.len()),
        }],
        section_keys: vec![Fnv::START],
        pseudo: Vec::new(),
        lead_in: None,
        item_facts: Vec::with_capacity(items),
        line_facts: Vec::new(),
        table_facts: Vec::new(),
        open_tables: Vec::new(),
        heading_stack: Vec::new(),
        current: 0,
        items: Vec::with_capacity(items),
        fields: Vec::new(),
        stack: Vec::new(),
        tasks: Vec::new(),
        list_depth: 0,
        style: Style::default(),
        pending_list: None,
        band_lines: Vec::new(),
        count_lines: Vec::new(),
        section_max: Vec::new(),
        rubric_rule: None,
        prose_go: None,
        declared_total: None,
        meta_candidates: Vec::new(),
        front_matter: None,
        ids: IdAllocator::default(),
        repeats: Vec::new(),
        section_ids: [fnv1a64(&["document"])].into_iter().collect(),
        suffixes: HashMap::default(),
        suffix_probes: 0,
        field_ids: IdAllocator::default(),
        diagnostics,
    };
    for (event, range) in crate::markdown::events(text) {
        b.event(event, range);
    }
    b.flush_list();
    // What grew by doubling keeps its unused room through assembly, the build's peak, unless
    // it is given back here; the items and their facts were sized from a bound that code
    // blocks can inflate.
    b.sections.shrink_to_fit();
    b.section_keys.shrink_to_fit();
    b.band_lines.shrink_to_fit();
    b.line_facts.shrink_to_fit();
    b.table_facts.shrink_to_fit();
    b.items.shrink_to_fit();
    b.item_facts.shrink_to_fit();
    // And the model's own lists: a section's blocks are a third unused on average (2.7 MB
    // on the 10 MB benchmark checklist, natively). Closed sections gave theirs back already.
    for s in &mut b.sections {
        s.blocks.shrink_to_fit();
        s.children.shrink_to_fit();
    }
    for a in b.items.iter_mut().filter_map(|i| i.attached.as_deref_mut()) {
        a.details.shrink_to_fit();
        a.children.shrink_to_fit();
        a.blocks.shrink_to_fit();
    }
    b
}

impl<'a> Builder<'a> {
    fn event(&mut self, event: Event<'_>, r: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, r),
            Event::End(tag) => self.end(tag, r),
            Event::Text(t) => self.text_event(&t, &r, false),
            Event::Code(t) => {
                if let Some(buf) = self.inline_target() {
                    buf.touch(&r);
                }
                let style = std::mem::take(&mut self.style);
                if let Some(buf) = self.inline_target() {
                    buf.push(&t, &style, true);
                }
                self.style = style;
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text_event(&t, &r, true),
            Event::SoftBreak => self.text_event(" ", &r, false),
            Event::HardBreak => self.text_event("\n", &r, false),
            Event::InlineHtml(html) => {
                if let Some(buf) = self.inline_target() {
                    // Only the exporter's own `<!-- preflight: {…} -->`, and only as the first
                    // thing after the checkbox, where the exporter writes it: a comment of that
                    // shape anywhere else is the document's text, not state.
                    let first = buf.range.is_none();
                    buf.touch(&r);
                    let body = html.strip_prefix("<!-- preflight: {").and_then(|h| h.strip_suffix("} -->"));
                    if let (Some(body), true) = (body, first) {
                        buf.annotation = Some((format!("{{{body}}}"), r.end));
                    }
                }
            }
            Event::Html(_) => {}
            Event::FootnoteReference(label) => self.text_event(&format!("[^{label}]"), &r, false),
            Event::Rule => {
                if self.stack.is_empty() {
                    self.push_block(Block::rule(Span::new(r.start, r.end)));
                }
            }
            Event::TaskListMarker(checked) => self.task_marker(checked, r),
        }
    }

    fn text_event(&mut self, t: &str, r: &Range<usize>, code: bool) {
        match self.stack.last_mut() {
            Some(Frame::Code { text, .. }) => text.push_str(t),
            Some(Frame::FrontMatter { text, .. }) => text.push_str(t),
            _ => {
                let style = std::mem::take(&mut self.style);
                if let Some(buf) = self.inline_target() {
                    buf.touch(r);
                    buf.push(t, &style, code);
                }
                self.style = style;
            }
        }
    }

    /// Where inline content goes: the innermost open block that takes inline text.
    fn inline_target(&mut self) -> Option<&mut InlineBuf> {
        match self.stack.last_mut()? {
            Frame::Heading { buf, .. } | Frame::Paragraph { buf, .. } | Frame::Cell { buf, .. } => Some(buf),
            Frame::ListItem(li) if !li.text_done => Some(&mut li.buf),
            _ => None,
        }
    }

    fn in_list_item(&self) -> bool {
        self.list_depth > 0
    }

    fn start(&mut self, tag: Tag<'_>, r: Range<usize>) {
        // Any block opening inside a list item ends that item's own text.
        if matches!(
            tag,
            Tag::List(_)
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::Table(_)
                | Tag::HtmlBlock
                | Tag::Heading { .. }
        ) {
            self.close_item_text();
        }
        let frame = match tag {
            Tag::Heading { level, .. } if !self.in_list_item() => {
                self.flush_list();
                Frame::Heading { buf: InlineBuf::default(), level: heading_level(level), start: r.start }
            }
            Tag::Heading { .. } => Frame::Paragraph { buf: InlineBuf::default(), start: r.start, item_text: false },
            Tag::Paragraph => {
                let item_text = matches!(self.stack.last(), Some(Frame::ListItem(li)) if !li.text_done);
                Frame::Paragraph { buf: InlineBuf::default(), start: r.start, item_text }
            }
            Tag::List(_) => {
                self.list_depth += 1;
                if self.list_depth == 1 && self.pending_list.is_none() {
                    self.pending_list = Some((r.start, r.end, Vec::new()));
                }
                Frame::List
            }
            Tag::Item => Frame::ListItem(ListItemFrame {
                start: r.start,
                end: r.end,
                buf: InlineBuf::default(),
                task: None,
                text_done: false,
                list_depth: self.list_depth,
            }),
            Tag::BlockQuote(_) => Frame::BlockQuote,
            Tag::CodeBlock(kind) => {
                if matches!(kind, CodeBlockKind::Fenced(_)) {
                    self.diagnostics.extend(unclosed_block(self.text, r.clone(), true));
                }
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                Frame::Code { language, text: String::new(), start: r.start }
            }
            Tag::Table(alignments) => Frame::Table {
                header: Vec::new(),
                rows: Vec::new(),
                row: Vec::new(),
                start: r.start,
                row_ranges: Vec::new(),
                columns: alignments.len(),
                cells: Vec::new(),
                body: Vec::new(),
            },
            Tag::TableCell => Frame::Cell { buf: InlineBuf::default(), range: r },
            Tag::HtmlBlock => {
                self.diagnostics.extend(unclosed_block(self.text, r.clone(), false));
                Frame::Html
            }
            Tag::MetadataBlock(MetadataBlockKind::YamlStyle) if r.start == 0 => {
                Frame::FrontMatter { text: String::new(), start: r.start }
            }
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
                if self.inline_target().is_some() =>
            {
                if let Some(buf) = self.inline_target() {
                    buf.touch(&r);
                }
                return self.start_inline(tag);
            }
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. } => {
                return self.start_inline(tag);
            }
            Tag::TableHead | Tag::TableRow => return,
            _ => Frame::Other,
        };
        self.stack.push(frame);
    }

    fn start_inline(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Emphasis => {
                self.style.depth_emphasis += 1;
                self.style.sync();
            }
            Tag::Strong => {
                self.style.depth_strong += 1;
                self.style.sync();
            }
            Tag::Strikethrough => {
                self.style.depth_strike += 1;
                self.style.sync();
            }
            Tag::Link { link_type, dest_url, .. } => {
                self.style.links.push(safe_href(&dest_url, link_type));
            }
            // Images are never loaded (that would be a request the user did not make); their
            // alt text reads as plain text.
            Tag::Image { .. } => {
                self.style.links.push(None);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, r: Range<usize>) {
        match tag {
            TagEnd::Emphasis => {
                self.style.depth_emphasis = self.style.depth_emphasis.saturating_sub(1);
                self.style.sync();
                return;
            }
            TagEnd::Strong => {
                self.style.depth_strong = self.style.depth_strong.saturating_sub(1);
                self.style.sync();
                return;
            }
            TagEnd::Strikethrough => {
                self.style.depth_strike = self.style.depth_strike.saturating_sub(1);
                self.style.sync();
                return;
            }
            TagEnd::Link | TagEnd::Image => {
                self.style.links.pop();
                return;
            }
            TagEnd::TableHead => {
                if let Some(Frame::Table { header, row, cells, .. }) = self.stack.last_mut() {
                    *header = std::mem::take(row);
                    cells.clear();
                }
                return;
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { rows, row, row_ranges, cells, body, .. }) = self.stack.last_mut() {
                    rows.push(std::mem::take(row));
                    row_ranges.push(r.clone());
                    body.push(crate::fix::Row { cells: std::mem::take(cells) });
                }
                return;
            }
            _ => {}
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Heading { buf, level, start } => self.heading(buf, level, start..r.end),
            Frame::Paragraph { buf, start, item_text } => {
                if item_text {
                    if let Some(Frame::ListItem(li)) = self.stack.last_mut() {
                        li.buf = buf;
                    }
                    self.close_item_text();
                } else {
                    let (text, range, _) = buf.finish();
                    self.paragraph(text, start..r.end, range);
                }
            }
            Frame::List => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    self.flush_list();
                }
            }
            Frame::ListItem(mut li) => {
                li.end = r.end;
                self.stack.push(Frame::ListItem(li));
                self.close_item_text();
                if let Some(Frame::ListItem(li)) = self.stack.pop() {
                    if let Some(task) = li.task {
                        if let Some(item) = self.items.get_mut(task) {
                            // With tab indentation pulldown-cmark may start an item's range on the
                            // line before; an item starts on the line of its `[ ]`.
                            let line_start = crate::span::line_start(self.text, item.marker.start);
                            item.span = Span::new(li.start.max(line_start), li.end);
                        }
                        if self.tasks.last().map(|t| t.0) == Some(task) {
                            self.tasks.pop();
                        }
                    }
                }
            }
            Frame::Code { language, text, start } => {
                if self.tasks.is_empty() {
                    self.document_fields(start..r.end);
                }
                self.push_block(Block::code(language, text, Span::new(start, r.end)));
            }
            Frame::Table { header, rows, start, row_ranges, columns, body, .. } => {
                if self.text.get(start..r.end).is_some_and(crate::fix::has_open_mark) {
                    self.open_tables.push(crate::fix::Table { range: start..r.end, columns, rows: body });
                }
                if self.tasks.is_empty() {
                    for (row, at) in rows.iter().zip(&row_ranges) {
                        let first = row.first().map(|c| c.text.as_str()).unwrap_or("");
                        // A label and its value ("| 检查项总数 | 共 36 项 |", "| Total items | 40 |")
                        // say what the line "label: value" says.
                        if let [_, value] = row.as_slice() {
                            if self.declared_total.is_none() && value.text.bytes().any(|b| b.is_ascii_digit()) {
                                self.declared(&format!("{first}: {}", value.text), at.start);
                            }
                        }
                        // A tier first and its threshold after ("| GO | ≥ 90 % | Ship |") reads as
                        // the tier written before its threshold ("GO ≥ 90 %").
                        let tier_first = || {
                            let second = row.get(1).map(|c| c.text.as_str())?;
                            rubric::band_line(&format!("{first} {second}")).filter(|_| !first.trim().is_empty())
                        };
                        if let Some(mut line) = rubric::band_line(first).or_else(tier_first) {
                            line.at = start;
                            if line.label.is_empty() {
                                let label = row.iter().skip(1).map(|c| c.text.as_str()).find(|t| !t.trim().is_empty());
                                line.label = markers::clean_label(label.unwrap_or(""));
                            }
                            self.band_line(line);
                        }
                    }
                    self.table_facts.push(TableFacts {
                        section: self.current,
                        header: header.iter().map(|h| h.text.clone()).collect(),
                        rows: rows
                            .iter()
                            .map(|row| row.iter().map(|c| c.text.clone()).collect())
                            .zip(row_ranges)
                            .collect(),
                        lead_in: self.lead_in.clone(),
                    });
                }
                self.push_block(Block::table(header, rows, Span::new(start, r.end)));
            }
            Frame::Cell { buf, range } => {
                let (text, _, _) = buf.finish();
                if let Some(Frame::Table { row, cells, .. }) = self.stack.last_mut() {
                    row.push(text);
                    cells.push(range);
                }
            }
            Frame::FrontMatter { text, start } => self.front_matter = Some((text, start)),
            Frame::BlockQuote | Frame::Html | Frame::Other => {}
        }
    }

    fn task_marker(&mut self, checked: bool, r: Range<usize>) {
        // GitHub wants something after `]` on the line: `- [ ]` alone is literal text.
        let rest = &self.text[r.end.min(self.text.len())..];
        let li_index = self.stack.iter().rposition(|f| matches!(f, Frame::ListItem(_)));
        // A marker whose range starts inside a tab (`  - \t[ ] x`, `- - \t[ ] x`): the tab's
        // columns put the brackets past where GitHub looks for them, so it renders no box.
        let at_bracket = self.text.as_bytes().get(r.start) == Some(&b'[');
        let is_task = !(rest.is_empty() || rest.starts_with('\n')) && li_index.is_some() && at_bracket;
        if !is_task {
            let literal = if checked { "[x]" } else { "[ ]" };
            let literal = self.text.get(r.clone()).unwrap_or(literal).to_string();
            self.text_event(&literal, &r, false);
            return;
        }
        let parent = self.tasks.last().map(|t| t.0);
        let index = self.items.len();
        let Some(Frame::ListItem(li)) = li_index.and_then(|i| self.stack.get_mut(i)) else {
            return;
        };
        li.task = Some(index);
        let start = li.start;
        let end = li.end;
        let depth = li.list_depth;
        self.item_facts.push(ItemFacts {
            lead_in: if parent.is_none() { self.lead_in.clone() } else { None },
            ..ItemFacts::default()
        });
        self.items.push(Item {
            id: String::new(),
            kind: ItemKind::Task,
            text: String::new(),
            inline: Runs::default(),
            checked,
            critical: false,
            optional: false,
            section: self.current,
            parent,
            attached: None,
            sign_off: None,
            gate: None,
            why: Vec::new(),
            span: Span::new(start, end),
            marker: Span::new(r.start, r.end),
            text_end: r.end,
        });
        match parent {
            Some(p) => self.items[p].attached_mut().children.push(index),
            None => {
                self.flush_list();
                self.sections[self.current].blocks.push(Block::Item { item: index });
                // A task list inside a plain list continues the plain list after it.
                if self.list_depth > 0 {
                    self.pending_list = Some((start, end, Vec::new()));
                }
            }
        }
        self.tasks.push((index, depth));
    }

    /// The innermost list item's own text is complete: give it to its item or list entry.
    fn close_item_text(&mut self) {
        let Some(Frame::ListItem(li)) = self.stack.last_mut() else {
            return;
        };
        if li.text_done {
            return;
        }
        li.text_done = true;
        let buf = std::mem::take(&mut li.buf);
        let task = li.task;
        let depth = li.list_depth;
        let (text, range, annotation) = buf.finish();
        match task {
            Some(index) => self.finish_item(index, text, range, annotation),
            None => {
                let base = self.tasks.last().map(|t| t.1).unwrap_or(0);
                let entry = ListEntry { depth: depth.saturating_sub(base + 1), text };
                match self.tasks.last() {
                    Some(&(task, _)) => self.items[task].attached_mut().details.push(entry),
                    None => {
                        if let Some(range) = &range {
                            self.document_fields(range.clone());
                            self.declared(&entry.text.text, range.start);
                        }
                        let at = range.as_ref().map_or(0, |r| r.start);
                        let mut bands = rubric::band_lines(&entry.text.text);
                        // Under a stated maximum, "36点以上" is 36 of its points, not 36 %.
                        let of_max = self.section_max.last().is_some_and(|&(s, _)| s == self.current);
                        if bands.is_empty() || of_max {
                            if let Some(mut band) =
                                rubric::count_band(&entry.text.text).filter(|b| bands.is_empty() || b.counted)
                            {
                                band.at = at;
                                self.count_lines.push((self.current, band, self.lead_in.clone()));
                                bands.clear();
                            }
                        }
                        for mut line in bands {
                            line.at = at;
                            self.band_line(line);
                        }
                        self.rule(&entry.text.text, at);
                        if let Some((_, _, entries)) = self.pending_list.as_mut() {
                            entries.push(entry);
                        }
                    }
                }
            }
        }
    }

    fn finish_item(
        &mut self,
        index: usize,
        text: RichText,
        range: Option<Range<usize>>,
        annotation: Option<(String, usize)>,
    ) {
        // The item's own words start after an exporter's annotation.
        let (annotation, range) = match annotation {
            Some((a, end)) => (Some(a), range.map(|r| r.start.max(end).min(r.end)..r.end)),
            None => (None, range),
        };
        let marker_end = self.items[index].marker.end;
        let source_range = range.clone().unwrap_or(marker_end..line_end(self.text, marker_end));
        let source = self.text.get(source_range.clone()).unwrap_or("");
        let annotated: Option<crate::export::markdown::Annotation> =
            annotation.as_deref().and_then(|a| serde_json::from_str(a).ok());
        if let Some(facts) = self.item_facts.get_mut(index) {
            let rare = RareItemFacts {
                blanks: markers::labelled_blanks(source)
                    .into_iter()
                    .map(|(label, s, e)| (label, source_range.start + s, source_range.start + e))
                    .collect(),
                annotated_sign_off: annotated.as_ref().is_some_and(|a| a.k == "s"),
                annotated_role: annotated.as_ref().and_then(|a| a.role.clone()),
            };
            let any = !rare.blanks.is_empty() || rare.annotated_sign_off || rare.annotated_role.is_some();
            facts.rare = any.then(|| Box::new(rare));
            facts.source = source_range;
        }
        let item = &mut self.items[index];
        if annotation.is_some() {
            item.attached_mut().annotation = annotation;
        }
        // Annotations go after the item's own text: never inside a code span, after any link.
        item.text_end = range.map(|r| r.end).unwrap_or(marker_end);
        item.text = text.text;
        item.inline = text.inline;
    }

    fn heading(&mut self, buf: InlineBuf, level: u8, range: Range<usize>) {
        let (text, _, _) = buf.finish();
        self.open_section(text, level, range, false);
    }

    /// A phase named by a paragraph of bold (or italic) words alone, as some checklists write
    /// their stages ("**Før udrulning**", "**■ リリース後の確認**"): its level under the
    /// innermost real heading, one deeper for bold and two for italic (an italic label under a
    /// bold phase is its part). Only words that name a stage, a sign-off or a case make one: a
    /// bold line is more often emphasis than a heading.
    fn phase_label(&self, text: &str, range: &Range<usize>) -> Option<u8> {
        let source = self.text.get(range.clone())?.trim();
        // A label, not a sentence or a lead-in: a few words, no colon ("Step 2: Verify …" is a
        // step), no sentence's end ("Good luck with the deploy!").
        if source.contains('\n')
            || text.chars().count() > 60
            || text.split_whitespace().count() > 6
            || text.contains([':', '：', '!', '?', '！', '？'])
            || text.trim_end().ends_with(['.', '。'])
        {
            return None;
        }
        let bold = (source.starts_with("**") && source.ends_with("**"))
            || (source.starts_with("__") && source.ends_with("__"));
        let italic = !bold
            && source.len() > 2
            && ((source.starts_with('*') && source.ends_with('*'))
                || (source.starts_with('_') && source.ends_with('_')));
        if !(bold || italic) {
            return None;
        }
        let folded = crate::recognize::fold::fold(text);
        let names = crate::recognize::gates::heading(text, true).is_some_and(|h| h.gate.is_some())
            || crate::recognize::vocabulary::SIGN_OFF_HEADING
                .find(&folded)
                .is_some_and(|h| crate::recognize::marks::leads(&folded, &h))
            || crate::recognize::marks::own_case(text).is_some();
        if !names {
            return None;
        }
        let real = self.heading_stack.iter().rev().find(|&&s| !self.pseudo.get(s).copied().unwrap_or(false));
        let base = real.map_or(1, |&s| self.sections[s].level);
        Some((base + if bold { 1 } else { 2 }).min(7))
    }

    fn open_section(&mut self, text: RichText, level: u8, range: Range<usize>, pseudo: bool) {
        self.lead_in = None;
        self.declared(&text.text, range.start);
        while let Some(&top) = self.heading_stack.last() {
            if self.sections[top].level >= level {
                self.heading_stack.pop();
            } else {
                break;
            }
        }
        let parent = self.heading_stack.last().copied().unwrap_or(0);
        let index = self.sections.len();
        let key = self.section_keys.get(parent).copied().unwrap_or(Fnv::START).bytes("/").normalized(&text.text);
        // Readable, unique section ids: the slug, or slug plus a hash of the path on repeats.
        // The set holds hashes of the ids handed out: two equal ids always collide, and a
        // (64-bit) false collision only adds a suffix.
        let mut id = slug(&text.text);
        let mut id_hash = fnv1a64(&[&id]);
        if self.section_ids.contains(&id_hash) {
            id = format!("{id}-{:06x}", key.end_part().value() & 0xff_ffff);
            let base = id.clone();
            let base_hash = fnv1a64(&[&base]);
            // The first free `base-N`, searched from where the last search for this base
            // stopped: ids are only ever added, so every N below it is still taken. (From 1
            // each time, 20,000 equal headings took 19 s.)
            let mut n = self.suffixes.get(&base_hash).copied().unwrap_or(1);
            if n > 1 {
                id = format!("{base}-{n}");
            }
            id_hash = fnv1a64(&[&id]);
            while self.section_ids.contains(&id_hash) {
                self.suffix_probes += 1;
                n += 1;
                id = format!("{base}-{n}");
                id_hash = fnv1a64(&[&id]);
            }
            self.suffixes.insert(base_hash, n);
        }
        self.section_ids.insert(id_hash);
        let section = Section {
            id,
            title: text.text,
            level,
            parent: Some(parent),
            children: Vec::new(),
            blocks: Vec::new(),
            conditional: false,
            critical: false,
            phase: false,
            gate: None,
            non_blocking: false,
            optional: false,
            sign_off: false,
            why: Vec::new(),
            span: Span::new(range.start, range.end),
        };
        self.sections.push(section);
        self.sections[parent].children.push(index);
        self.section_keys.push(key);
        self.pseudo.resize(index, false);
        self.pseudo.push(pseudo);
        self.heading_stack.push(index);
        // The section before takes no more blocks: its unused room is free for what follows.
        if let Some(before) = self.sections.get_mut(self.current) {
            before.blocks.shrink_to_fit();
        }
        self.current = index;
    }

    fn paragraph(&mut self, text: RichText, range: Range<usize>, inline_range: Option<Range<usize>>) {
        let at_section_level = self.tasks.is_empty();
        if at_section_level && self.stack.iter().all(|f| !matches!(f, Frame::ListItem(_) | Frame::BlockQuote)) {
            if let Some(level) = self.phase_label(&text.text, &range) {
                return self.open_section(text, level, range, true);
            }
        }
        if at_section_level {
            self.declared(&text.text, range.start);
            // Every word `stated_max` knows has an x or is one of three CJK signs: most
            // paragraphs with a number are not asked.
            let may_state = |t: &str| t.bytes().any(|b| b | 0x20 == b'x') || t.contains(['満', '满', '最']);
            if text.text.bytes().any(|b| b.is_ascii_digit()) && may_state(&text.text) {
                if let Some(max) = rubric::stated_max(&text.text) {
                    self.section_max.push((self.current, max));
                }
            }
            if self.stack.iter().all(|f| !matches!(f, Frame::ListItem(_))) {
                let source = self.text.get(range.clone()).unwrap_or("");
                let mut at = range.start;
                for line in source.split_inclusive('\n') {
                    for mut band in rubric::band_lines(line) {
                        band.at = at;
                        self.band_line(band);
                    }
                    self.rule(line, at);
                    at += line.len();
                }
                self.meta_candidates.push((range.clone(), self.items.len()));
            }
            self.document_fields(inline_range.unwrap_or(range.clone()));
        }
        // A short line ending in a colon (`**Sign-off:**`, `**Required Variables:**`) leads in
        // the list after it; what it means is `assemble`'s to read.
        let lead_in =
            (at_section_level && text.text.chars().count() <= 80 && text.text.trim_end().ends_with([':', '：']))
                .then(|| SharedLeadIn::new(LeadIn { text: text.text.as_str().into(), at: range.start }));
        self.push_block(Block::paragraph(text, Span::new(range.start, range.end)));
        self.lead_in = lead_in;
    }

    /// "All blocking items and ≥ 80 % of the rest": the document's first such rule.
    fn rule(&mut self, text: &str, at: usize) {
        if self.prose_go.is_none() && text.contains(['%', '％']) {
            self.prose_go = rubric::prose_go(text).map(|n| (n, at));
        }
        if self.rubric_rule.is_none() && text.contains('%') {
            if let Some(n) = rubric::rule(text) {
                self.rubric_rule = Some((n, markers::collapse_whitespace(text), at));
            }
        }
    }

    fn band_line(&mut self, line: BandLine) {
        self.band_lines.push((self.current, line));
    }

    fn declared(&mut self, text: &str, at: usize) {
        if self.declared_total.is_none() {
            if let Some((count, _)) = rubric::declared_total(text) {
                self.declared_total = Some(DeclaredTotal { count, span: Span::new(at, at + 1) });
            }
        }
    }

    /// Lines with blanks outside task items: `assemble` reads each as a sign-off slot or a
    /// document field.
    fn document_fields(&mut self, range: Range<usize>) {
        let Some(source) = self.text.get(range.clone()) else {
            return;
        };
        // Blanks to fill, or a short `Label: value` line (a filled slot, when it sits in a
        // sign-off block).
        if !source.contains(':') && !markers::has_blank(source) {
            return;
        }
        let mut at = range.start;
        for line in source.split_inclusive('\n') {
            if markers::has_blank(line) || (line.len() <= 160 && line.contains(':')) {
                let end = at + line.trim_end_matches('\n').len();
                self.line_facts.push(LineFacts {
                    section: self.current,
                    range: at..end,
                    lead_in: self.lead_in.clone(),
                });
            }
            at += line.len();
        }
    }

    /// A block at section level (or inside the innermost task item).
    fn push_block(&mut self, block: Block) {
        match self.tasks.last() {
            Some(&(task, _)) => self.items[task].attached_mut().blocks.push(block),
            None => {
                self.flush_list();
                self.sections[self.current].blocks.push(block);
                self.lead_in = None;
            }
        }
    }

    fn flush_list(&mut self) {
        if let Some((start, end, entries)) = self.pending_list.take() {
            if !entries.is_empty() {
                let list = Block::list(entries, Span::new(start, end));
                self.sections[self.current].blocks.push(list);
            }
        }
    }

    fn finish(mut self, text: &str, facts: TextFacts<'_>) -> Checklist {
        let index = facts.index;
        let raw_front = self.front_matter.take();
        let front = raw_front.as_ref().map(|(fm, start)| (metadata::front_matter(fm), *start));
        let mut metadata = Vec::new();
        let mut critical_names = Vec::new();
        let mut title = None;
        if let Some((fm, start)) = &front {
            let first_line = index.line(*start) + 1;
            for (key, value, line) in &fm.entries {
                let at = index.line_start(first_line + *line as u32);
                if key.eq_ignore_ascii_case("title") {
                    title = Some(value.clone());
                }
                metadata.push(MetadataEntry { key: key.clone(), value: value.clone(), span: Span::new(at, at) });
            }
            for (key, values) in &fm.lists {
                if key.eq_ignore_ascii_case("critical") {
                    // Where each name is in the document: a warning about it points there.
                    let body = index.line_start(first_line);
                    critical_names.extend(values.iter().map(|(name, at)| (name.clone(), body + at)));
                }
            }
            for line in &fm.malformed {
                let at = index.line_start(first_line + *line as u32);
                self.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    code::FRONT_MATTER,
                    format!(
                        "front matter line is not `key: value`: `{}`",
                        index.line_text(first_line + *line as u32).trim()
                    ),
                    Span::new(at, at),
                ));
            }
        }
        // Metadata lines: paragraphs before the first item or after the last one.
        let total_items = self.items.len();
        for (range, before) in &self.meta_candidates {
            if *before != 0 && *before != total_items {
                continue;
            }
            let source = text.get(range.clone()).unwrap_or("");
            let mut at = range.start;
            for line in source.split_inclusive('\n') {
                if let Some((key, value)) = metadata::key_value_line(line) {
                    metadata.push(MetadataEntry { key, value, span: Span::new(at, at + line.trim_end().len()) });
                }
                at += line.len();
            }
        }
        let title = title
            .or_else(|| self.sections.iter().find(|s| s.level == 1).map(|s| s.title.clone()))
            .or_else(|| self.sections.get(1).map(|s| s.title.clone()))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "Untitled checklist".to_string());
        // Phases: the top-level stages. Under a single H1 title they are its H2s.
        let h1s = self.sections.iter().filter(|s| s.level == 1).count();
        let phase_level =
            if h1s > 1 { 1 } else { self.sections.iter().map(|s| s.level).filter(|&l| l >= 2).min().unwrap_or(1) };
        for s in &mut self.sections {
            s.phase = s.level == phase_level;
        }
        let mut rubric = None;
        let mut rubric_line = None;
        // A section's lines are together: sections are read in order. Bands counted in items
        // come after every one in percent, each section's as percent of the declared total.
        let total = self.declared_total.as_ref().map(|d| d.count);
        let in_percent =
            self.band_lines.chunk_by(|a, b| a.0 == b.0).map(|g| g.iter().map(|(_, l)| l.clone()).collect());
        let counted = self.count_lines.chunk_by(|a, b| a.0 == b.0).filter_map(|g| {
            let lines: Vec<rubric::CountBand> = g.iter().map(|(_, l, _)| l.clone()).collect();
            // The maximum the words before the list state (read once per list), else the
            // checklist's declared total.
            let mut asked: Option<&SharedLeadIn> = None;
            let stated = g.iter().find_map(|(_, _, lead)| {
                let lead = lead.as_ref()?;
                if asked.is_some_and(|a| std::rc::Rc::ptr_eq(a, lead)) {
                    return None; // the same list's words, asked already
                }
                asked = Some(lead);
                rubric::stated_max(&lead.text)
            });
            let section = g[0].0;
            let paragraph = self.section_max.iter().rev().find(|&&(s, _)| s == section).map(|&(_, m)| m);
            rubric::count_bands(&lines, stated.or(paragraph).or(total)?)
        });
        for lines in in_percent.chain(counted) {
            let lines: Vec<BandLine> = lines;
            if let Some(bands) = rubric::bands(&lines) {
                for (lo, hi, at) in rubric::gaps(&lines) {
                    self.diagnostics.push(Diagnostic::new(
                        Severity::Warning,
                        code::RUBRIC_GAP,
                        format!("the readiness rubric does not say what {lo}–{hi}% means"),
                        Span::new(at, at),
                    ));
                }
                rubric = Some(bands);
                rubric_line = lines.iter().map(|l| l.at).min().map(|at| index.line(at));
                break;
            }
        }
        // No bands and no rule: a threshold said in a sentence is the rubric's top band.
        if let (None, None, Some((n, at))) = (&rubric, &self.rubric_rule, self.prose_go) {
            let lines = [
                BandLine { min: n, max: None, label: "Ready".into(), at },
                BandLine { min: 0, max: Some(n.saturating_sub(1)), label: "Not ready".into(), at },
            ];
            if let Some(bands) = rubric::bands(&lines) {
                rubric = Some(bands);
                rubric_line = Some(index.line(at));
            }
        }
        let sha = facts.sha256;
        let mut checklist = Checklist {
            title,
            source_sha256: sha,
            metadata,
            sections: self.sections,
            items: self.items,
            slots: Vec::new(),
            fields: self.fields,
            rubric,
            rubric_line,
            declared_total: self.declared_total,
            rubric_rule: self.rubric_rule.take().map(|(rest_min, text, at)| crate::model::RubricRule {
                all_critical: true,
                rest_min,
                text,
                line: index.line(at),
            }),
            corrections: Vec::new(),
            diagnostics: self.diagnostics,
            source: String::new(),
            item_index: Default::default(),
        };
        assemble::read(
            &mut checklist,
            Walked {
                text,
                index: &index,
                section_keys: &self.section_keys,
                items: std::mem::take(&mut self.item_facts),
                lines: std::mem::take(&mut self.line_facts),
                tables: std::mem::take(&mut self.table_facts),
                ids: &mut self.ids,
                field_ids: &mut self.field_ids,
                repeats: &mut self.repeats,
            },
        );
        let front_at = front.as_ref().map_or(0, |f| f.1);
        // The document's own corrections: after the reading, before lint.
        if let Some((raw, _)) = &raw_front {
            let first_line = index.line(front_at) + 1;
            let (corrections, errors) = crate::corrections::parse_block(raw, first_line);
            let warnings = crate::corrections::apply(&mut checklist, &corrections);
            for (line, message, severity, code) in errors
                .into_iter()
                .map(|(l, m)| (l, m, Severity::Error, code::CORRECTIONS))
                .chain(warnings.into_iter().map(|(l, m)| (l, m, Severity::Warning, code::UNKNOWN_CORRECTION)))
            {
                // At what the line names: its key, or an entry's id past its `- `.
                let text = index.line_text(line);
                let rest = text.trim_start();
                let at =
                    index.line_start(line) + (text.len() - rest.len()) + if rest.starts_with("- ") { 2 } else { 0 };
                checklist.diagnostics.push(Diagnostic::new(severity, code, message, Span::new(at, at)));
            }
        }
        let places: Vec<(usize, u32)> = critical_names.iter().map(|&(_, at)| (at, index.line(at))).collect();
        let critical_names: Vec<String> = critical_names.into_iter().map(|(name, _)| name).collect();
        mark_critical(&mut checklist, &critical_names, &places);
        locate_all(&mut checklist, &index);
        let mut later = facts.mojibake;
        later.extend(lint::lint(&checklist, text, &self.repeats));
        // Tables whose rows carry a status mark but no checkbox: items people meant. Read from
        // the cells this walk delimited, only where a table holds an open mark (which a table
        // checklist must).
        if !self.open_tables.is_empty() {
            let tables = std::mem::take(&mut self.open_tables);
            later.extend(crate::fix::table_checklist_diagnostics_in(text, tables, &index));
        }
        for d in &mut later {
            index.locate(&mut d.span);
        }
        checklist.diagnostics.extend(later);
        checklist.diagnostics.sort_by_key(|d| (d.span.start, d.severity));
        checklist
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Where an annotation can go on the line that holds byte `from`: before the newline, and
/// before a trailing hard break (two spaces or a backslash) so that the break survives.
fn line_end(text: &str, from: usize) -> usize {
    let from = from.min(text.len());
    let end = text[from..].find('\n').map(|i| from + i).unwrap_or(text.len());
    let line = &text[from..end];
    let trimmed = line.trim_end_matches([' ', '\t']);
    let trimmed = trimmed.strip_suffix('\\').unwrap_or(trimmed);
    from + trimmed.len()
}

/// Front matter `critical:` names items by id or by text. The names are few and the items
/// many: each name's normalized text is keyed by its hash, and the items are read once, each
/// text hashed without being copied and compared only on a hash that a name has. (Comparing
/// every name with every item was quadratic: 2,000 names and 20,000 items took 2 s. A map of
/// every item's normalized text cost a copy per item, 2 % of reading the sample.) A name that
/// matches nothing is reported at the front matter (`at`).
/// `places`: each name's byte offset and line in the document.
fn mark_critical(c: &mut Checklist, names: &[String], places: &[(usize, u32)]) {
    if names.is_empty() {
        return;
    }
    let texts: Vec<String> = names.iter().map(|n| normalize_for_id(n)).collect();
    let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, name) in names.iter().enumerate() {
        by_hash.entry(Fnv::START.normalized(name).value()).or_default().push(k);
        by_id.entry(name.as_str()).or_default().push(k);
    }
    // A text is hashed only when a name starts as it does: its first char, lower-cased, is the
    // first of its normalized text (an ASCII one looked up in a table, any other hashed).
    let (mut ascii_first, mut other_first) = ([false; 128], false);
    for first in texts.iter().map(|t| t.chars().next()) {
        match first {
            Some(f) if f.is_ascii() => ascii_first[usize::from(f as u8)] = true,
            _ => other_first = true,
        }
    }
    // (Not ASCII can lower-case to ASCII: `K`, the Kelvin sign, to `k`.)
    let may_match = |text: &str| match first_normalized(text) {
        Some(f) if f.is_ascii() => ascii_first[usize::from(f as u8)],
        _ => other_first,
    };
    // Per name: the first item with it as id, and every item with it as text, in order.
    let mut id_hits: Vec<Option<usize>> = vec![None; names.len()];
    let mut text_hits: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, item) in c.items.iter().enumerate() {
        for &k in by_id.get(item.id.as_str()).into_iter().flatten() {
            id_hits[k].get_or_insert(i);
        }
        if !may_match(&item.text) {
            continue;
        }
        if let Some(ks) = by_hash.get(&Fnv::START.normalized(&item.text).value()) {
            let text = normalize_for_id(&item.text);
            for &k in ks.iter().filter(|&&k| texts[k] == text) {
                text_hits[k].push(i);
            }
        }
    }
    // (item, name) pairs, by the name's place in `names`.
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for (k, name) in names.iter().enumerate() {
        let found = hits.len();
        hits.extend(id_hits[k].map(|i| (i, k)));
        hits.extend(text_hits[k].iter().map(|&i| (i, k)));
        if hits.len() == found {
            let at = places.get(k).map_or(0, |p| p.0);
            c.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                code::UNKNOWN_CRITICAL,
                format!("front matter names `{name}` as critical, but no item has that id or text"),
                Span::new(at, at + name.len()),
            ));
        }
    }
    for (i, k) in hits {
        let (name, line) = (&names[k], places.get(k).map_or(1, |p| p.1));
        if let Some(item) = c.items.get_mut(i) {
            item.critical = true;
            crate::model::Why {
                about: "critical".into(),
                value: "true".into(),
                rule: "front-matter".into(),
                line,
                words: name.as_str().into(),
            }
            .replace_in(&mut item.why);
        }
    }
}

/// Fill in line and column of every span, once, now that the model is complete.
fn locate_all(c: &mut Checklist, index: &LineIndex<'_>) {
    fn blocks(blocks: &mut [Block], index: &LineIndex<'_>) {
        for b in blocks {
            if let Some(span) = b.span_mut() {
                index.locate(span);
            }
        }
    }
    for s in &mut c.sections {
        index.locate(&mut s.span);
        blocks(&mut s.blocks, index);
    }
    for item in c.items.iter_mut().chain(c.slots.iter_mut()) {
        index.locate(&mut item.span);
        index.locate(&mut item.marker);
        if let Some(a) = &mut item.attached {
            blocks(&mut a.blocks, index);
        }
        if let Some(spec) = &mut item.sign_off {
            for f in &mut spec.fields {
                index.locate(&mut f.span);
            }
        }
    }
    for f in &mut c.fields {
        index.locate(&mut f.span);
    }
    for m in &mut c.metadata {
        index.locate(&mut m.span);
    }
    if let Some(d) = &mut c.declared_total {
        index.locate(&mut d.span);
    }
    for d in &mut c.diagnostics {
        index.locate(&mut d.span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The item records are allocated once from the bound: on every seed and corpus checklist
    /// it is at least the items found (so they never grow), and over all of them not far over
    /// (lines like items inside code blocks are counted).
    /// One stray "```" or "<!--" hides every task line after it (as GitHub shows it): said, with
    /// the line it opens on; a closed one, or one hiding no task line, is not.
    /// A name in the front matter's `critical:` list is pointed at where it is written: a
    /// warning for a name no item has, and the reason an item is critical.
    #[test]
    fn front_matter_critical_names_are_located_where_written() {
        let c = parse_str(
            "---\ntitle: x\ncritical:\n  - nope one\n  - Backups verified\n---\n# T\n- [ ] Backups verified\n",
        );
        let unknown: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|d| d.code == code::UNKNOWN_CRITICAL)
            .map(|d| (d.span.line, d.span.column))
            .collect();
        assert_eq!(unknown, [(4, 5)]);
        let why = c.items[0].why.iter().find(|w| w.rule == "front-matter").expect("critical by the front matter");
        assert_eq!(why.line, 5);
        let inline = parse_str("---\ncritical: [Backups verified, nope]\n---\n# T\n- [ ] Backups verified\n");
        let d = inline.diagnostics.iter().find(|d| d.code == code::UNKNOWN_CRITICAL).unwrap();
        assert_eq!((d.span.line, d.span.column), (2, 30));
    }

    #[test]
    fn an_unclosed_fence_or_comment_hiding_tasks_is_said() {
        let warned = |doc: &str| {
            let c = parse_str(doc);
            c.diagnostics
                .iter()
                .filter(|d| d.code == code::UNCLOSED_BLOCK)
                .map(|d| (d.span.line, d.message.clone()))
                .collect::<Vec<_>>()
        };
        let base = "# T\n## Pre-Deployment\n- [x] a\n";
        for (opening, what, quote) in [
            ("```\n", "code block", ""),
            ("~~~~ sh\n", "code block", ""),
            ("<!--\n", "HTML comment", ""),
            ("> ```\n", "code block", "> "),
        ] {
            let doc =
                format!("{base}{opening}{quote}- [ ] Backups verified (critical)\n{quote}- [ ] Rollback tested\n");
            let found = warned(&doc);
            assert_eq!(found.len(), 1, "{opening:?}: {found:?}");
            assert_eq!(found[0].0, 4, "{opening:?}");
            assert!(found[0].1.contains(what) && found[0].1.contains("the 2 task lines"), "{}", found[0].1);
        }
        assert!(warned(&format!("{base}```\n- [ ] in a sample\n```\n")).is_empty());
        assert!(warned(&format!("{base}````\n```\n- [ ] in a sample\n````\n")).is_empty());
        assert!(warned(&format!("{base}<!--\n- [ ] hidden on purpose\n-->\n")).is_empty());
        assert!(warned(&format!("{base}```\necho done\n")).is_empty(), "no task line hidden");
    }

    #[test]
    fn the_item_bound_covers_every_real_checklist() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
        let (mut checked, mut bounds, mut found) = (0, 0, 0);
        for dir in ["seeds", "corpus"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let c = crate::parse(&std::fs::read(&path).unwrap());
                let (bound, items) = (item_bound(&c.source), c.items.len());
                assert!(bound >= items, "{}: bound {bound} < {items} items", path.display());
                (bounds, found) = (bounds + bound, found + items);
                checked += 1;
            }
        }
        assert!(checked >= 60);
        assert!(bounds * 10 <= found * 11, "bound {bounds} for {found} items");
    }

    /// Lines that look like items in code blocks, or markers anywhere else on a line, are not
    /// counted past one per 32 bytes: a hostile document reserves no more than dense real items.
    #[test]
    fn the_item_bound_is_capped_and_reads_only_line_starts() {
        assert_eq!(item_bound("- [ ] a\n* [x] b\n+ [X] c\n1. [ ] d\n2) [ ] e\n> - [ ] f\n  -\t[ ] g\n"), 7);
        assert_eq!(item_bound("text [ ] and - [ ] x [x]\n[ ] y\n-[ ] z\n- [y] w\n"), 0);
        let fenced = format!("```\n{}```\n", "- [ ] x\n".repeat(10_000));
        assert_eq!(item_bound(&fenced), fenced.len() / 32 + 64);
        let one_line = "- [ ] ".repeat(100_000);
        assert_eq!(item_bound(&one_line), 1);
    }

    /// Tabs after a list marker, as cmark-gfm (GitHub's parser) reads them: a tab that carries
    /// the brackets to the item's content column makes a box; one whose columns put them past
    /// it (an indented marker, a nested list) makes none. pulldown-cmark reports a marker for
    /// both, starting at the tab in the second case.
    #[test]
    fn a_task_marker_inside_a_tab_is_no_box_as_on_github() {
        let items = |doc: &str| crate::parse_str(doc).tasks().count();
        for doc in ["- \t[ ] x\n", "-\t[ ] x\n", "1.\t[ ] x\n", "- [ ]\tx\n"] {
            assert_eq!(items(doc), 1, "{doc:?}");
        }
        for doc in ["  - \t[ ] x\n", "- - \t[ ] x\n"] {
            assert_eq!(items(doc), 0, "{doc:?}");
        }
        // The marker of every item is where its brackets are.
        let c = crate::parse_str("- > -   \t[ ] x\n- \t[x] y\n");
        for item in &c.items {
            assert_eq!(&c.source[item.marker.start..item.marker.start + 1], "[");
        }
    }

    #[test]
    fn repeated_headings_get_suffixes_in_linear_work() {
        let text = "## Same\n- [ ] x\n".repeat(5_000);
        let b = walk(&text, Vec::new());
        let ids: Vec<&str> = b.sections.iter().map(|s| s.id.as_str()).collect();
        let base = ids[2].to_string();
        assert_eq!(&ids[..3], ["document", "same", base.as_str()]);
        assert!(base.starts_with("same-") && base.len() == "same-".len() + 6, "{base}");
        assert_eq!(ids[3], format!("{base}-2"));
        assert_eq!(ids[5_000], format!("{base}-4999"));
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "all distinct");
        // Each heading tries its predecessor's id once; searching from 1 every time made
        // 12.5 million tries here.
        assert!(b.suffix_probes < 2 * 5_000, "{} probes", b.suffix_probes);
    }

    #[test]
    fn a_heading_that_spells_a_suffixed_id_is_skipped_over() {
        let first = walk("## A\n## A\n", Vec::new()).sections[2].id.clone();
        let text = format!("## A\n## A\n## {first}-2\n## A\n");
        let b = walk(&text, Vec::new());
        let ids: Vec<&str> = b.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids[3], format!("{first}-2"), "the literal title took it");
        assert_eq!(ids[4], format!("{first}-3"));
    }

    proptest::proptest! {
        #[test]
        fn parsing_owned_bytes_is_parsing_borrowed_ones(
            text in "(\u{feff})?(# T\n|- \\[ \\] a\n|\r\n|\r|x|\u{0}|é| ){0,12}"
        ) {
            proptest::prop_assert_eq!(parse_owned(text.clone().into_bytes()), parse_str(&text));
        }
    }

    #[test]
    fn the_model_keeps_no_room_it_grew_and_did_not_use() {
        let text = format!("{}\n```\n{}```\n", crate::sample::SAMPLE_MARKDOWN.repeat(9), "- [ ] in code\n".repeat(40));
        let c = parse_str(&text);
        assert!(c.items.len() > 50 && c.sections.len() > 50);
        assert_eq!(c.sections.capacity(), c.sections.len());
        assert_eq!(c.items.capacity(), c.items.len(), "the bound counted the code block's lines");
        for s in &c.sections {
            assert_eq!(s.blocks.capacity(), s.blocks.len(), "blocks of {}", s.id);
            assert_eq!(s.children.capacity(), s.children.len(), "children of {}", s.id);
        }
        for (i, a) in c.items.iter().filter_map(|i| Some((i, i.attached.as_deref()?))) {
            assert_eq!(a.details.capacity(), a.details.len(), "details of {}", i.id);
            assert_eq!(a.children.capacity(), a.children.len(), "children of {}", i.id);
            assert_eq!(a.blocks.capacity(), a.blocks.len(), "blocks of {}", i.id);
        }
    }

    #[test]
    fn owned_bytes_become_the_source_without_a_copy() {
        let bytes = crate::sample::SAMPLE_MARKDOWN.as_bytes().to_vec();
        let at = bytes.as_ptr();
        let c = parse_owned(bytes);
        assert_eq!(c.source.as_ptr(), at, "the caller's buffer is the source");
    }

    #[test]
    fn owned_bytes_that_need_normalizing_are_normalized() {
        let mut bytes = b"\xEF\xBB\xBF- [ ] a\r\n- [x] b\xFF\n".to_vec();
        assert_eq!(parse_owned(bytes.clone()), parse(&bytes));
        bytes.push(0);
        assert_eq!(parse_owned(bytes.clone()), parse(&bytes));
    }

    #[test]
    fn the_second_thread_changes_nothing() {
        let mut text = String::new();
        while text.len() < 2 * PARALLEL_MIN_BYTES {
            text.push_str(crate::sample::SAMPLE_MARKDOWN);
            text.push_str("\n\nâœ… mojibake line\n\n");
        }
        let parallel = build_on(text.clone(), Vec::new(), true);
        assert_eq!(parallel, build_on(text.clone(), Vec::new(), false));
        assert_eq!(parallel, parse_str(&text));
        assert!(parallel.diagnostics.iter().any(|d| d.code == code::MOJIBAKE && d.span.line > 0));
        assert_eq!(parallel.source_sha256, source_sha256(&text));
        // Columns are counted once the reading is done, not beside the walk.
        assert!(!text_facts(&text).index.counted_columns());
    }

    proptest::proptest! {
        #[test]
        fn plain_text_collapses_whitespace_across_runs(
            runs in proptest::collection::vec("[a b\\t\\n\\x0bé\\u{a0}\\u{2003}✅]{0,8}", 0..5)
        ) {
            let expected = runs.concat().split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(plain_text(runs.iter().map(String::as_str)), expected);
        }

        /// Names read against the items in one pass mark what comparing each name with each
        /// item's id and normalized text marks, in the same order (the last name's words kept).
        #[test]
        fn front_matter_names_mark_what_comparing_each_with_each_item_marks(
            texts in proptest::collection::vec("[aB Ä\u{212a}İ]{1,4}", 1..12),
            names in proptest::collection::vec("[ab äAki]{0,4}|i-x", 1..6),
        ) {
            let mut c = parse_str("- [ ] x\n");
            let template = c.items[0].clone();
            c.items.clear();
            for (n, text) in texts.iter().enumerate() {
                let id = if n == 1 { "i-x".to_string() } else { format!("i-{n}") };
                c.items.push(Item { id, text: text.clone(), ..template.clone() });
            }
            let mut plain = c.clone();
            mark_critical(&mut c, &names, &vec![(0, 1); names.len()]);
            // As it was: a scan per name for the id, and a map of every item's normalized text.
            let mut hits = Vec::new();
            for name in &names {
                let found = hits.len();
                hits.extend(plain.items.iter().position(|i| i.id == *name).map(|i| (i, name.clone())));
                let wanted = normalize_for_id(name);
                hits.extend((0..plain.items.len()).filter(|&i| normalize_for_id(&plain.items[i].text) == wanted).map(|i| (i, name.clone())));
                if hits.len() == found {
                    plain.diagnostics.push(Diagnostic::new(
                        Severity::Warning,
                        code::UNKNOWN_CRITICAL,
                        format!("front matter names `{name}` as critical, but no item has that id or text"),
                        Span::new(0, name.len()),
                    ));
                }
            }
            for (i, name) in hits {
                plain.items[i].critical = true;
                crate::model::Why { about: "critical".into(), value: "true".into(), rule: "front-matter".into(), line: 1, words: name.as_str().into() }.replace_in(&mut plain.items[i].why);
            }
            proptest::prop_assert_eq!(c, plain);
        }

        #[test]
        fn a_plain_line_is_its_own_plain_text(text in "[a b\\t\\n\\r\\x0b\\x0cé\\u{85}\\u{a0}\\u{2003}\\u{3000}✅]{0,8}") {
            proptest::prop_assert_eq!(is_plain_line(&text), plain_text(std::iter::once(text.as_str())) == text);
        }
    }

    fn tasks(c: &Checklist) -> Vec<&str> {
        c.tasks().map(|i| i.text.as_str()).collect()
    }

    #[test]
    fn only_rendered_checkboxes_are_items() {
        let c = parse_str(
            "# T\n\n- [ ] real\n* [x] star\n+ [X] plus\n1. [ ] one\n2) [ ] two\n\n```\n- [ ] fenced\n```\n\n    - [ ] indented code\n\n<!-- - [ ] comment -->\n\n\\- [ ] escaped\n- \\[ ] escaped bracket\n- [ ]\n- [ ]no-space\n",
        );
        assert_eq!(tasks(&c), ["real", "star", "plus", "one", "two"]);
        assert_eq!(c.tasks().filter(|i| i.checked).count(), 2);
    }

    #[test]
    fn nested_tasks_details_and_blocks_stay_with_their_item() {
        let c = parse_str("## S\n- [ ] parent\n  - detail bullet\n  - [ ] child\n\n  ```bash\n  make check\n  ```\n");
        let parent = &c.items[0];
        assert_eq!(parent.children(), [1]);
        assert_eq!(c.items[1].parent, Some(0));
        assert_eq!(parent.details()[0].text.text, "detail bullet");
        assert!(
            matches!(&parent.blocks()[0], Block::Code(code) if code.language == "bash" && code.text == "make check\n")
        );
    }

    #[test]
    fn sign_off_line_is_not_scored() {
        let c = parse_str("## Sign-Off\n- [ ] Tech Lead: _____________________ Date: _____\n- [ ] Reviewed\n");
        assert_eq!(c.sign_offs().count(), 1);
        assert_eq!(c.tasks().count(), 1);
        let spec = c.items[0].sign_off.as_ref().unwrap();
        assert_eq!(spec.role, "Tech Lead");
        assert_eq!(spec.fields.iter().map(|f| f.label.as_str()).collect::<Vec<_>>(), ["Tech Lead", "Date"]);
        assert_eq!(&c.source[spec.fields[1].span.start..spec.fields[1].span.end], "_____");
    }

    #[test]
    fn filled_sign_off_under_approval_heading_keeps_its_values() {
        let c = parse_str("## Approvals\n- [x] SRE On-call: Dana Whitfield Date: 2026-11-20\n");
        let item = &c.items[0];
        assert_eq!(item.kind, ItemKind::SignOff);
        let spec = item.sign_off.as_ref().unwrap();
        assert_eq!(spec.role, "SRE On-call");
        assert_eq!(spec.fields[0].value.as_deref(), Some("Dana Whitfield"));
        assert_eq!(spec.fields[1].value.as_deref(), Some("2026-11-20"));
    }

    #[test]
    fn role_items_after_a_sign_off_label_are_sign_offs() {
        let c = parse_str("## Done\n\n- [ ] Docs updated\n\n**Sign-off:**\n- [ ] DevOps Lead\n- [ ] Security Lead\n\nLater:\n- [ ] Security Lead review scheduled\n");
        let roles: Vec<_> = c.sign_offs().map(|i| i.sign_off.as_ref().unwrap().role.as_str()).collect();
        assert_eq!(roles, ["DevOps Lead", "Security Lead"]);
        assert_eq!(c.tasks().count(), 2);
    }

    #[test]
    fn ids_survive_insertions_elsewhere() {
        let a = parse_str("## S\n- [ ] alpha\n- [ ] beta\n");
        let b = parse_str("## S\n- [ ] new first\n- [ ] alpha\n- [ ] inserted\n- [ ] beta\n");
        assert_eq!(a.item_id("alpha"), b.item_id("alpha"));
        assert_eq!(a.item_id("beta"), b.item_id("beta"));
        let dup = parse_str("## S\n- [ ] same\n- [ ] same\n## T\n- [ ] same\n");
        let ids: std::collections::HashSet<_> = dup.items.iter().map(|i| &i.id).collect();
        assert_eq!(ids.len(), 3);
    }

    impl Checklist {
        fn item_id(&self, text: &str) -> String {
            self.items.iter().find(|i| i.text == text).unwrap().id.clone()
        }
    }

    #[test]
    fn sections_nest_by_level_and_inherit_conditions() {
        let c = parse_str("# Title\n## Deploy\n### Step\n- [ ] go\n## Rollback Plan\n### DB\n- [ ] restore\n\nSetext\n------\n- [ ] x\n");
        assert_eq!(c.title, "Title");
        let db = c.sections.iter().find(|s| s.title == "DB").unwrap();
        assert!(db.conditional);
        assert!(!c.sections.iter().find(|s| s.title == "Step").unwrap().conditional);
        assert_eq!(
            c.sections.iter().filter(|s| s.phase).map(|s| s.title.as_str()).collect::<Vec<_>>(),
            ["Deploy", "Rollback Plan", "Setext"]
        );
    }

    #[test]
    fn rubric_and_declared_total_come_from_the_document() {
        let c = parse_str("## Score\n\n**Calculate** (done / 3 total items × 100):\n\n- **90-100%**: ✅ Ready\n- **75-89%**: ⚠️ Almost\n- **<75%**: 🛑 Stop\n\n## S\n- [ ] a\n- [ ] b\n- [ ] c\n");
        let bands = c.rubric.as_ref().unwrap();
        assert_eq!(
            bands.iter().map(|b| (b.min, b.label.as_str())).collect::<Vec<_>>(),
            [(90, "Ready"), (75, "Almost"), (0, "Stop")]
        );
        assert_eq!(c.declared_total.as_ref().unwrap().count, 3);
    }

    /// A paragraph of bold words alone that names a stage opens that stage's part, as a heading
    /// does; an italic one under it is its part. Emphasis, steps and sentences stay paragraphs.
    #[test]
    fn a_bold_phase_label_opens_a_part() {
        let c = parse_str(
            "# Release\n\n**Før udrulning**\n\n*Kun hvis integrationen er ændret*\n\n- [ ] a\n\n**Udrulning**\n\n- [ ] b\n\n\
             **Efter udrulning**\n\n- [ ] c\n\n**Important**\n\n**Step 2: Verify the deploy**\n\n**Good luck with the deploy!**\n",
        );
        let parts: Vec<(&str, u8)> = c.sections.iter().skip(1).map(|s| (s.title.as_str(), s.level)).collect();
        assert_eq!(
            parts,
            [
                ("Release", 1),
                ("Før udrulning", 2),
                ("Kun hvis integrationen er ændret", 3),
                ("Udrulning", 2),
                ("Efter udrulning", 2)
            ]
        );
        let gates: Vec<Option<crate::model::Gate>> = c.items.iter().map(|i| i.gate).collect();
        assert_eq!(
            gates,
            [Some(crate::model::Gate::Before), Some(crate::model::Gate::During), Some(crate::model::Gate::After)]
        );
        assert!(c.items[0].optional, "the italic case scopes its item");
    }

    /// A two-cell row is a label and its value: a total there is declared as on its own line.
    /// A row of more cells is no such pair, and its number is not the checklist's size.
    #[test]
    fn a_declared_total_is_read_from_a_label_and_value_row() {
        for row in ["| 检查项总数 | 共 36 项 |", "| Total items | 36 |", "| Всего пунктов | 36 |"] {
            let c =
                parse_str(&format!("# R\n\n| Field | Value |\n|---|---|\n| Version | 4.0 |\n{row}\n\n## S\n- [ ] a\n"));
            let total = c.declared_total.as_ref().expect(row);
            assert_eq!((total.count, total.span.line), (36, 6), "{row}");
        }
        let c = parse_str("| A | B | C |\n|---|---|---|\n| Total items | 36 | 12 |\n\n- [ ] a\n");
        assert!(c.declared_total.is_none());
    }

    /// A rubric is one section's band lines: lines under a later heading are another rubric
    /// (and the first one read wins), even with headings without bands between them.
    #[test]
    fn a_rubric_is_read_from_one_section() {
        let c = parse_str(
            "## Readiness\n\n- 90-100%: Ready\n- 70-89%: Caution\n\n## Notes\n\nNone.\n\n\
             ## Another rubric\n\n- 50-100%: Go\n- 0-49%: No go\n\n## S\n- [ ] a\n",
        );
        let bands = c.rubric.as_ref().unwrap();
        assert_eq!(
            bands.iter().map(|b| (b.min, b.label.as_str())).collect::<Vec<_>>(),
            [(90, "Ready"), (70, "Caution"), (0, "Below 70%")]
        );
        assert_eq!(c.rubric_line, Some(3));
    }

    #[test]
    fn links_are_sanitized() {
        assert_eq!(safe_href("https://x.test/a", LinkType::Inline).as_deref(), Some("https://x.test/a"));
        assert_eq!(safe_href("./docs/a.md", LinkType::Inline).as_deref(), Some("./docs/a.md"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
            "\u{1}javascript:x",
        ] {
            assert_eq!(safe_href(bad, LinkType::Inline), None, "{bad:?}");
        }
        assert_eq!(safe_href("//evil.test/share", LinkType::Inline).as_deref(), Some("https://evil.test/share"));
        assert_eq!(safe_href("\\\\server\\share", LinkType::Inline).as_deref(), Some("https://server\\share"));
        assert_eq!(safe_href("/docs/a.md", LinkType::Inline).as_deref(), Some("/docs/a.md"));
        let c = parse_str("- [ ] [click](javascript:alert(1)) and [ok](https://ok.test)\n");
        let hrefs: Vec<_> = c.items[0].inline.styled().iter().map(|r| r.href.clone()).collect();
        assert!(hrefs.contains(&Some("https://ok.test".into())));
        assert!(hrefs.iter().flatten().all(|h| !h.contains("javascript")));
    }

    #[test]
    fn document_fields_outside_items() {
        let c = parse_str("## Notes\n\n```\nDeployment Date: _______________\nVersion: _______________\n```\n");
        // "Deployment Date" records who deployed when: a record slot, not a field.
        assert_eq!(c.fields.iter().map(|f| f.label.as_str()).collect::<Vec<_>>(), ["Version"]);
        assert_eq!(
            c.slots.iter().map(|s| s.sign_off.as_ref().unwrap().role.as_str()).collect::<Vec<_>>(),
            ["Deployment Date"]
        );
    }

    #[test]
    fn metadata_at_top_and_bottom() {
        let c = parse_str("# T\n**Version**: 2.0.0\n**Date**: 2025-10-10\n\n- [ ] x\n\n**Last Updated**: 2026-02-07\n");
        let keys: Vec<_> = c.metadata.iter().map(|m| (m.key.as_str(), m.value.as_str())).collect();
        assert_eq!(keys, [("Version", "2.0.0"), ("Date", "2025-10-10"), ("Last Updated", "2026-02-07")]);
    }

    #[test]
    fn front_matter_title_and_critical_list() {
        let c = parse_str(
            "---\ntitle: Release 2.4\ncritical:\n  - Backups verified\n---\n- [ ] Backups verified\n- [ ] Other\n",
        );
        assert_eq!(c.title, "Release 2.4");
        assert!(c.items[0].critical);
        assert!(!c.items[1].critical);
    }
}
