//! pulldown-cmark's events for a document, read the way GitHub reads it.
//!
//! pulldown-cmark's YAML metadata blocks are not only front matter: with the option on, a `---`
//! line anywhere a block may start, followed by text and, somewhere later, another `---` or
//! `...` line, becomes one metadata block. A checklist that separates its phases with `---`
//! above each heading lost everything between two rules that way, items included, where GitHub
//! draws a rule and renders every checkbox. So metadata is read only as front matter: the
//! block at the very start is parsed on its own with the option on, and the rest of the
//! document without it. Nothing crosses that boundary: front matter is not Markdown, and the
//! parser starts the rest at a fresh line with no block open, as a new document would.
//!
//! The rest is parsed in pieces of at least [`PIECE_MIN_BYTES`] when it is long.
//! pulldown-cmark builds a tree of the whole input before its first event, about six times
//! the text; in pieces, that tree is only ever a piece's, and the model's peak is the model.
//! A piece ends only before an ATX heading at the start of a line after a blank line: there
//! every block GitHub knows is closed (a paragraph, table or HTML block by the blank line, a
//! list or quote by a line that is not indented and not their continuation), except a fenced
//! code block or an HTML comment, script or similar block (types 1–5) at the top level, which
//! runs until its closing line. A piece whose parse leaves one of those running to its end is
//! read again, at least twice as long, so a hostile text of headings inside one open fence is
//! read a logarithmic number of times, not once per heading.
//!
//! Link reference definitions are the one thing that reaches across pieces: `[label]` is a link
//! if the label is defined anywhere in the document, before or after it, and the first
//! definition wins. Each piece read to its end hands its definitions on, and a link whose label
//! a later piece defines again takes the first one. A label a piece does not define is looked
//! up there; if it is not there, and the text has a `]:` after text that ends as the label
//! does, the rest of the text, from the piece's start, gets pulldown-cmark's block pass once for
//! its definitions (its tree dropped at once). Most missing labels are fill-ins (`[Name]`,
//! `[Date]`) no definition could match, so that pass is rarely run. The one difference left is
//! pulldown-cmark's budget against links that expand quadratically (about the text's length in
//! expanded URLs and titles): each piece has its own, at least 100,000 bytes, so a piece stops
//! expanding a hostile run of references at its own budget, not at the whole text's. It is
//! still linear in the text.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;

use pulldown_cmark::{
    BrokenLink, BrokenLinkCallback, CodeBlockKind, CowStr, Event, LinkType, OffsetIter, Options, Parser, RefDefs, Tag,
};
use unicase::UniCase;

/// The least a piece holds: large enough that a parser's fixed costs do not show, small
/// enough that its tree is a small part of the model's peak.
pub const PIECE_MIN_BYTES: usize = 64 * 1024;

/// The pulldown-cmark options that match what GitHub renders.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH
}

/// Every event of `text`, with byte ranges into `text`: front matter (if the text starts with
/// it) as pulldown-cmark's metadata block, everything after it as Markdown.
pub fn events(text: &str) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    let split = front_matter_end(text).unwrap_or(0);
    let head = &text[..split];
    let front = (split > 0).then(|| {
        let front_options = options() | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        Parser::new_with_broken_link_callback(head, front_options, None::<Definitions<'_>>).into_offset_iter()
    });
    front.into_iter().flatten().chain(Pieces::new(text, split, PIECE_MIN_BYTES))
}

/// The link reference definitions the pieces resolve labels from, shared by every piece's
/// parser. Every parser here is of this one callback type, so pulldown-cmark's code is in the
/// wasm once.
#[derive(Clone, Default)]
struct Definitions<'a>(Rc<RefCell<Known<'a>>>);

#[derive(Default)]
struct Known<'a> {
    /// The text, and where the piece being read starts.
    text: &'a str,
    start: usize,
    /// The first definition of each label (by label as pulldown-cmark compares labels: its
    /// destination and title): from the pieces read to their end, and once `complete`, from
    /// all of the text.
    first: HashMap<Label<'a>, (CowStr<'a>, CowStr<'a>)>,
    complete: bool,
    /// The [`label_end`] of the text before every `]:`, and whether one of them could be any.
    ends: HashSet<[char; 3]>,
    any_end: bool,
}

type Label<'a> = UniCase<CowStr<'a>>;

impl<'a> Definitions<'a> {
    /// Definitions for reading `text[start..]` in pieces: none are known yet.
    fn new(text: &'a str, start: usize) -> Self {
        let mut known = Known { text, start, ..Known::default() };
        for at in memchr::memmem::find_iter(&text.as_bytes()[start..], b"]:").map(|i| start + i) {
            let line = crate::span::line_start(text, at);
            let (from, whole) = match text[line..at].rfind('[') {
                Some(i) => (line + i + 1, true),
                None => (line, false),
            };
            match label_end(&text[from..at], whole) {
                Some(end) => _ = known.ends.insert(end),
                None => known.any_end = true,
            }
        }
        Definitions(Rc::new(RefCell::new(known)))
    }

    /// Definitions for a text that has none: every label is missing.
    fn none() -> Self {
        Definitions(Rc::new(RefCell::new(Known { complete: true, ..Known::default() })))
    }

    /// Takes in the definitions of a piece read to its end, and where the next one starts.
    fn learn(&self, piece: &RefDefs<'_>, next: usize) {
        let mut known = self.0.borrow_mut();
        known.start = next;
        if !known.complete {
            known.add(piece);
        }
    }

    /// `event` as the whole text reads it: a link or image the piece resolved through this
    /// callback gets back the reference type it has in the whole text, and one whose label the
    /// piece defines again takes the document's first definition.
    fn resolve(&self, event: Event<'a>) -> Event<'a> {
        let known = self.0.borrow();
        if known.first.is_empty() {
            return event;
        }
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let (link_type, dest_url, title) = known.resolve(link_type, dest_url, title, &id);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let (link_type, dest_url, title) = known.resolve(link_type, dest_url, title, &id);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            event => event,
        }
    }
}

impl<'a> Known<'a> {
    /// Adds definitions found after those known: the first of each label stays.
    fn add(&mut self, definitions: &RefDefs<'_>) {
        let owned = |s: &str| CowStr::from(s.to_owned());
        for (label, d) in definitions.iter() {
            let title = d.title.as_deref().unwrap_or("");
            self.first.entry(UniCase::new(owned(label))).or_insert_with(|| (owned(&d.dest), owned(title)));
        }
    }

    /// Whether a definition of `label` could be in the text: some `]:` follows text that ends
    /// the way it does.
    fn may_define(&self, label: &str) -> bool {
        let label = label.rfind('[').map_or(label, |i| &label[i + 1..]);
        match label_end(label, true) {
            Some(end) => self.any_end || self.ends.contains(&end),
            None => self.any_end || !self.ends.is_empty(),
        }
    }

    /// The definition of `label`, reading the rest of the text for definitions the first time
    /// a label is missing that it may define. The rest is read from the start of the piece
    /// being read, where every block is closed, so it reads as the whole text does there;
    /// only pulldown-cmark's block pass runs, and its tree is dropped at once.
    fn get(&mut self, label: CowStr<'a>) -> Option<(CowStr<'a>, CowStr<'a>)> {
        let label: Label<'a> = UniCase::new(label);
        if let Some(found) = self.first.get(&label) {
            return Some(found.clone());
        }
        if self.complete || !self.may_define(label.as_ref()) {
            return None;
        }
        self.complete = true;
        let rest = Parser::new_with_broken_link_callback(&self.text[self.start..], options(), None::<Definitions<'_>>);
        self.add(rest.reference_definitions());
        self.first.get(&label).cloned()
    }

    fn resolve(
        &self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: &CowStr<'a>,
    ) -> (LinkType, CowStr<'a>, CowStr<'a>) {
        let link_type = match link_type {
            LinkType::ReferenceUnknown => LinkType::Reference,
            LinkType::CollapsedUnknown => LinkType::Collapsed,
            LinkType::ShortcutUnknown => LinkType::Shortcut,
            other => other,
        };
        if !matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut) {
            return (link_type, dest_url, title);
        }
        match self.first.get(&UniCase::new(id.clone())) {
            Some((first_url, first_title)) if (first_url, first_title) != (&dest_url, &title) => {
                (link_type, first_url.clone(), first_title.clone())
            }
            _ => (link_type, dest_url, title),
        }
    }
}

impl<'a> BrokenLinkCallback<'a> for Definitions<'a> {
    fn handle_broken_link(&mut self, link: BrokenLink<'a>) -> Option<(CowStr<'a>, CowStr<'a>)> {
        self.0.borrow_mut().get(link.reference)
    }
}

/// The last three characters of a link label that are not blank, as labels compare (ASCII
/// in lower case), so that a label can only be defined where the text before a `]:` ends the
/// same way. None where other text could match: a character case folding may turn into
/// others or others into it (only ASCII and scripts without case are kept), a `>` that may be
/// a quote's marker on a label's later line, or fewer than three characters after a line's
/// start (`whole`: after the label's last `[`, so all of its end is there).
fn label_end(label: &str, whole: bool) -> Option<[char; 3]> {
    let mut end = ['\0'; 3];
    let mut n = 0;
    for c in label.chars().rev().filter(|&c| c > ' ').take(3) {
        end[n] = match c {
            '>' => return None,
            c if c.is_ascii() => c.to_ascii_lowercase(),
            // Hiragana, katakana, CJK ideographs, hangul: no case, and no case folding
            // yields them.
            '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7a3}' => c,
            _ => return None,
        };
        n += 1;
    }
    (n == 3 || whole).then_some(end)
}

/// The events of `text[start..]`, parsed in pieces of at least `min` bytes where the text
/// allows (see the module's comment), with ranges into `text`.
struct Pieces<'a> {
    text: &'a str,
    min: usize,
    /// The piece being read: its parser, where it starts and ends, and how many of its events
    /// were given out.
    parser: OffsetIter<'a, Definitions<'a>>,
    start: usize,
    end: usize,
    given: usize,
    /// How many parsers were started: once per piece, and once per reading again.
    reads: usize,
    /// The whole text's link reference definitions, when it is read in pieces.
    definitions: Definitions<'a>,
}

impl<'a> Pieces<'a> {
    fn new(text: &'a str, start: usize, min: usize) -> Self {
        let whole = text.len() - start < 2 * min;
        let end = if whole { text.len() } else { cut_after(text, start + min, min) };
        let defines = !whole && memchr::memmem::find(&text.as_bytes()[start..], b"]:").is_some();
        let definitions = if defines { Definitions::new(text, start) } else { Definitions::none() };
        let parser = parser(text, start, end, &definitions);
        Pieces { text, min, parser, start, end, given: 0, reads: 1, definitions }
    }

    /// Reads the piece `start..end` from its start, passing over the `given` events already
    /// given out from it.
    fn read(&mut self) {
        self.parser = parser(self.text, self.start, self.end, &self.definitions);
        self.reads += 1;
        for _ in 0..self.given {
            self.parser.next();
        }
    }
}

fn parser<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    definitions: &Definitions<'a>,
) -> OffsetIter<'a, Definitions<'a>> {
    Parser::new_with_broken_link_callback(&text[start..end], options(), Some(definitions.clone())).into_offset_iter()
}

/// Where a piece that must reach at least `from` ends: before the next heading after a blank
/// line, unless what would be left is shorter than `min` (then at the text's end).
fn cut_after(text: &str, from: usize, min: usize) -> usize {
    match heading_after_blank(text, from) {
        Some(cut) if text.len() - cut >= min => cut,
        _ => text.len(),
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Some((event, r)) = self.parser.next() else {
                if self.end == self.text.len() {
                    return None;
                }
                self.definitions.learn(self.parser.reference_definitions(), self.end);
                self.start = self.end;
                self.end = cut_after(self.text, self.start + self.min, self.min);
                self.given = 0;
                self.read();
                continue;
            };
            if self.end < self.text.len() && runs_to_end(&event, &r, self.end - self.start) {
                // The piece is read again to a cut at least twice as far; what it gave out
                // before this block reads the same there (the property tests below check it),
                // so that many events are passed over.
                self.end = cut_after(self.text, self.end + (self.end - self.start), self.min);
                self.read();
                continue;
            }
            self.given += 1;
            return Some((self.definitions.resolve(event), r.start + self.start..r.end + self.start));
        }
    }
}

/// The start of the first line at or after `from` that is an ATX heading (`#` to `######`,
/// then a space, a tab or the line's end) at the line's start, after a line of only spaces and
/// tabs.
fn heading_after_blank(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // Each test stops at a line start, and each line is looked back over once: linear even
    // in a line of a million `#`.
    let heading = |at: usize| {
        let hashes = bytes[at..].iter().take(7).take_while(|&&b| b == b'#').count();
        hashes <= 6 && matches!(bytes.get(at + hashes), None | Some(b' ' | b'\t' | b'\n'))
    };
    let blank_before =
        |at: usize| bytes[..at - 1].iter().rev().take_while(|&&b| b != b'\n').all(|&b| b == b' ' || b == b'\t');
    memchr::memchr_iter(b'#', bytes.get(from..)?).map(|i| from + i).find(|&at| {
        at >= 2 && bytes[at - 1] == b'\n' && heading(at) && blank_before(at) && !after_empty_item(bytes, at)
    })
}

/// Whether the last line with text before `at` is a list marker with nothing after it but a
/// task box: pulldown-cmark ends such an empty item where the next line with text begins, so
/// its range would include the blank lines up to a cut there but not in the whole text.
fn after_empty_item(bytes: &[u8], at: usize) -> bool {
    fn space(b: &u8) -> bool {
        blank(*b)
    }
    fn trim(mut l: &[u8]) -> &[u8] {
        while let [first, rest @ ..] = l {
            if !space(first) {
                break;
            }
            l = rest;
        }
        while let [rest @ .., last] = l {
            if !space(last) {
                break;
            }
            l = rest;
        }
        l
    }
    let mut lines = bytes[..at].split(|&b| b == b'\n').rev().skip(1);
    let Some(line) = lines.find(|l| !l.iter().all(space)) else { return false };
    let mut line = trim(line);
    while let [b'>', rest @ ..] = line {
        line = trim(rest);
    }
    let rest = match line.first() {
        Some(b'-' | b'*' | b'+') => &line[1..],
        Some(b'0'..=b'9') => {
            let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
            match line.get(digits) {
                Some(b'.' | b')') => &line[digits + 1..],
                _ => return false,
            }
        }
        _ => return false,
    };
    matches!(trim(rest), b"" | b"[ ]" | b"[x]" | b"[X]")
}

/// pulldown-cmark's blank within a line: spaces, tabs, vertical tabs and form feeds.
fn blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0x0b | 0x0c)
}

/// Whether `event` starts a fenced code block or an HTML block that runs to `end`, the end of
/// its piece: its closing line was not in the piece, so in the whole text it may go on. (A
/// block's start event carries the range of the whole block.)
fn runs_to_end(event: &Event<'_>, r: &Range<usize>, end: usize) -> bool {
    r.end == end && matches!(event, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_)) | Tag::HtmlBlock))
}

/// Where the front matter at the start of `text` ends (after its closing line), by
/// pulldown-cmark's rule for a YAML metadata block: a first line of exactly `---` (then only
/// whitespace), a next line that is neither blank nor closing, and a closing line of exactly
/// `---` or `...` (then only spaces).
pub fn front_matter_end(text: &str) -> Option<usize> {
    let mut lines = text.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    });
    let (_, first) = lines.next()?;
    let rest = first.strip_prefix("---")?;
    if !rest.bytes().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let closes = |line: &str| {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let marks = body.strip_prefix("---").or_else(|| body.strip_prefix("..."));
        marks.is_some_and(|after| after.bytes().all(|b| b == b' '))
    };
    let empty = |line: &str| line.bytes().all(|b| blank(b) || b == b'\n');
    let (_, second) = lines.next()?;
    if closes(second) || empty(second) {
        return None;
    }
    lines.find(|(_, line)| closes(line)).map(|(start, line)| start + line.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{Tag, TagEnd};

    /// Where pulldown-cmark itself, with metadata blocks on, goes on after a metadata block at
    /// the start (its range stops before the closing line's newline).
    fn pulldown_front_matter_end(text: &str) -> Option<usize> {
        let mut events =
            Parser::new_ext(text, options() | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS).into_offset_iter();
        match events.next()? {
            (Event::Start(Tag::MetadataBlock(_)), r) if r.start == 0 => {
                let end = events.find(|(e, _)| matches!(e, Event::End(TagEnd::MetadataBlock(_))))?.1.end;
                Some(end + usize::from(text[end..].starts_with('\n')))
            }
            _ => None,
        }
    }

    #[test]
    fn front_matter_is_read_only_at_the_start() {
        let text = "---\ntitle: Release\n---\n# Release\n\n- [ ] a\n\n---\n## Phase 2\n- [ ] b\n\n---\n\n- [ ] c\n";
        assert_eq!(front_matter_end(text), Some(23));
        let metadata = events(text).filter(|(e, _)| matches!(e, Event::Start(Tag::MetadataBlock(_)))).count();
        assert_eq!(metadata, 1);
        let tasks: Vec<usize> =
            events(text).filter(|(e, _)| matches!(e, Event::TaskListMarker(_))).map(|(_, r)| r.start).collect();
        let expected: Vec<usize> =
            ["- [ ] a", "- [ ] b", "- [ ] c"].iter().map(|t| text.find(t).unwrap() + 2).collect();
        assert_eq!(tasks, expected, "every task, at its place in the whole text");
    }

    #[test]
    fn what_is_not_front_matter() {
        assert_eq!(front_matter_end("---\n\ntitle: x\n---\n"), None, "blank first line");
        assert_eq!(front_matter_end("---\n---\n"), None, "closed at once");
        assert_eq!(front_matter_end("----\ntitle: x\n----\n"), None, "four dashes");
        assert_eq!(front_matter_end("---\ntitle: x\n"), None, "never closed");
        assert_eq!(front_matter_end("---\ntitle: x\n...  \nrest"), Some(19));
        assert_eq!(front_matter_end("---\ntitle: x\n---"), Some(16));
        assert_eq!(front_matter_end(" ---\ntitle: x\n---\n"), None, "indented");
    }

    /// pulldown-cmark's events of the whole text, with no front matter and no pieces.
    fn whole(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
        Parser::new_ext(text, options()).into_offset_iter().collect()
    }

    fn pieces(text: &str, min: usize) -> Vec<(Event<'_>, Range<usize>)> {
        Pieces::new(text, 0, min).collect()
    }

    #[test]
    fn pieces_end_only_where_every_block_is_closed() {
        let text = "# A\n\n- [ ] a\n\n# B\n\n```\ncode\n\n# not a heading\n```\n\n# C\n<!--\n\n# in a comment\n-->\n\n## D\n- [x] d\n";
        assert_eq!(pieces(text, 1), whole(text));
        assert_eq!(heading_after_blank(text, 1), Some(text.find("# B").unwrap()));
        assert_eq!(heading_after_blank(text, text.find("# B").unwrap() + 1), Some(text.find("# not").unwrap()));
        // Cut before "# not a heading", the fence runs to the piece's end: that cut is not taken.
        let first = text.find("# not").unwrap();
        let fence = Parser::new_ext(&text[..first], options())
            .into_offset_iter()
            .find(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(_))));
        assert!(fence.is_some_and(|(e, r)| runs_to_end(&e, &r, first)));
        let shapes = "x\n#no\n\n#######\n\n#\tT\n";
        assert_eq!(heading_after_blank(shapes, 0), shapes.find("#\t"));
        assert_eq!(heading_after_blank("x\n# not after a blank\n", 0), None);
        for empty in ["-", "- [ ]", "  * [x] ", "1.", "> 2)", "+\t[X]", "-\x0c"] {
            let text = format!("a\n\n{empty}\n\n \n\x0c\n\n# H\n");
            assert_eq!(heading_after_blank(&text, 0), None, "after {empty:?}");
        }
        assert!(heading_after_blank("- a\n\n# H\n", 0).is_some());
        assert!(heading_after_blank("-a\n\n# H\n", 0).is_some());
        let run = format!("x\n\n{}\n", "#".repeat(200_000));
        assert_eq!(heading_after_blank(&run, 0), None, "seven or more `#` are text");
    }

    #[test]
    fn a_long_text_is_read_in_pieces_as_one() {
        let fixtures = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/corpus"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok());
        let text: String = fixtures.collect::<Vec<_>>().join("\n\n");
        assert!(text.contains("]:"), "the corpus defines links");
        assert!(text.len() > 4 * PIECE_MIN_BYTES);
        let mut starts = std::collections::BTreeSet::new();
        let mut p = Pieces::new(&text, 0, PIECE_MIN_BYTES);
        let mut got = Vec::new();
        while let Some(e) = p.next() {
            starts.insert(p.start);
            got.push(e);
        }
        assert!(starts.len() >= 4, "parsed in {} pieces", starts.len());
        assert!(got == whole(&text), "the pieces' events differ from the whole text's");
    }

    #[test]
    fn links_resolve_across_pieces_to_the_first_definition() {
        let text = "# A\n\n- [ ] see [the runbook] and [Docs][d]\n\n[d]: /first\n\n# B\n\n[d]: /second\n[the  RUNBOOK]: /run \"Run\"\n\n- [ ] [d] ![d] [none]\n";
        let got = pieces(text, 1);
        assert!(got == whole(text), "the pieces' events differ from the whole text's");
        let links: Vec<(LinkType, String)> = got
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Start(Tag::Link { link_type, dest_url, .. } | Tag::Image { link_type, dest_url, .. }) => {
                    Some((*link_type, dest_url.to_string()))
                }
                _ => None,
            })
            .collect();
        let expected = [
            (LinkType::Shortcut, "/run"),
            (LinkType::Reference, "/first"),
            (LinkType::Shortcut, "/first"),
            (LinkType::Shortcut, "/first"),
        ];
        assert_eq!(links, expected.map(|(t, u)| (t, u.to_string())));
        let mut p = Pieces::new(text, 0, 1);
        p.by_ref().for_each(drop);
        assert!(p.reads >= 2, "read in pieces");
    }

    #[test]
    fn the_rest_is_read_for_definitions_only_for_a_label_it_may_define() {
        let reads = |text: &str| {
            let mut p = Pieces::new(text, 0, 1);
            p.by_ref().for_each(drop);
            let complete = p.definitions.0.borrow().complete;
            complete
        };
        let text = "# A\n\nSigned: [Name]\n\n# B\n\n[runbook]: /run\n";
        assert!(!reads(text), "no `]:` ends like `Name`");
        assert!(reads(&text.replace("[Name]", "[the Runbook]")));
        assert!(reads(&text.replace("[Name]", "[Namé]")), "é may fold with others");
        assert!(reads(&text.replace("[runbook]", "[naMe]")));
        assert!(!reads(&text.replace("[runbook]", "[ab]")), "a two-letter label ends only with itself");
        assert!(reads(&text.replace("[runbook]", "[ab\nme]")), "too short on its last line");

        assert_eq!(label_end("Runbook ", true), Some(['k', 'o', 'o']));
        assert_eq!(label_end("a b\tc", false), Some(['c', 'b', 'a']));
        assert_eq!(label_end("1", true), Some(['1', '\0', '\0']));
        assert_eq!(label_end("1", false), None);
        assert_eq!(label_end("電話番号", true), Some(['号', '番', '話']));
        for any in ["ß", "x\u{212a}", "> ab", "Straße"] {
            assert_eq!(label_end(any, true), None, "{any:?}");
        }
    }

    #[test]
    fn headings_inside_one_open_fence_are_not_each_a_reading() {
        let text = format!("```\n{}", "text\n\n# h\n".repeat(5_000));
        let mut p = Pieces::new(&text, 0, 1024);
        let events = p.by_ref().count();
        assert_eq!(events, 3, "one code block of text");
        assert!(p.reads <= 8, "{} readings of a {} byte text in pieces of 1 KB", p.reads, text.len());
    }

    fn block() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "# H\n",
            "## H\n",
            "#no\n",
            "\n",
            "  \n",
            "- [ ] a\n",
            "  - [x] b\n",
            "> q\n",
            "text\n",
            "```\n",
            "~~~\n",
            "  ```\n",
            "<!--\n",
            "-->\n",
            "<div>\n",
            "<script>\n",
            "</script>\n",
            "<?\n",
            "?>\n",
            "| a |\n",
            "|---|\n",
            "    code\n",
            "---\n",
            "===\n",
            "[a]\n",
            "[a]: /u\n",
            "[A]: /v \"t\"\n",
            "[b]: /w\n",
            "- [b]: /x\n",
            "> [a]: /y\n",
            "[a][] [B] ![b][a]\n",
            "[c][b]\n",
            "[a]:\n",
            "[x\n",
            "a]: /m\n",
            "[x a]\n",
            "> [x\n",
            "> a]: /q\n",
            "> ab]: /r\n",
            "[x ab]\n",
            "[ß]: /s\n",
            "[SS] [ss]\n",
            "[語]: /g\n",
            "[語] [k]\n",
            "[\u{212a}]: /kelvin\n",
            "[a\\[b]: /e\n",
            "[a\\[B]\n",
            "| [a\\|b] |\n",
            "[a|b]: /p\n",
            "1. x\n",
            "# H #\n",
            "\t\n",
            "-\n",
            "- [ ]\n",
            "1.\n",
            "  -\n",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]
        #[test]
        fn pieces_read_as_the_whole_text(blocks in prop::collection::vec(block(), 0..40), min in 1usize..48) {
            let text = blocks.concat();
            prop_assert!(pieces(&text, min) == whole(&text), "{:?}", text);
        }
    }

    fn line() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "---", "--- ", "----", "...", ".. .", "---\t", "--- \x0b", "", " ", "\x0c", "title: x", "- [ ] a", "# H",
            "```", "---x", "...-",
        ])
    }

    proptest! {
        #[test]
        fn front_matter_ends_where_pulldown_cmark_ends_it(lines in prop::collection::vec(line(), 0..8), last_newline: bool) {
            let mut text = lines.join("\n");
            if last_newline {
                text.push('\n');
            }
            prop_assert_eq!(front_matter_end(&text), pulldown_front_matter_end(&text), "{:?}", text);
        }
    }
}
