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
//! read a logarithmic number of times, not once per heading. Link reference definitions are
//! the one thing that reaches across a document (a link can use a definition from further
//! down), so a text with `]:` anywhere is parsed whole.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, OffsetIter, Options, Parser, Tag};

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
    let front = (split > 0)
        .then(|| Parser::new_ext(head, options() | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS).into_offset_iter());
    front.into_iter().flatten().chain(Pieces::new(text, split, PIECE_MIN_BYTES))
}

/// The events of `text[start..]`, parsed in pieces of at least `min` bytes where the text
/// allows (see the module's comment), with ranges into `text`.
struct Pieces<'a> {
    text: &'a str,
    min: usize,
    /// The piece being read: its parser, where it starts and ends, and how many of its events
    /// were given out.
    parser: OffsetIter<'a>,
    start: usize,
    end: usize,
    given: usize,
    /// How many parsers were started: once per piece, and once per reading again.
    reads: usize,
}

impl<'a> Pieces<'a> {
    fn new(text: &'a str, start: usize, min: usize) -> Self {
        let whole = text.len() - start < 2 * min || memchr::memmem::find(&text.as_bytes()[start..], b"]:").is_some();
        let end = if whole { text.len() } else { cut_after(text, start + min, min) };
        Pieces { text, min, parser: parser(text, start, end), start, end, given: 0, reads: 1 }
    }

    /// Reads the piece `start..end` from its start, passing over the `given` events already
    /// given out from it.
    fn read(&mut self) {
        self.parser = parser(self.text, self.start, self.end);
        self.reads += 1;
        for _ in 0..self.given {
            self.parser.next();
        }
    }
}

fn parser(text: &str, start: usize, end: usize) -> OffsetIter<'_> {
    Parser::new_ext(&text[start..end], options()).into_offset_iter()
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
            return Some((event, r.start + self.start..r.end + self.start));
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
    // pulldown-cmark's blank: spaces, tabs, vertical tabs and form feeds.
    fn space(b: &u8) -> bool {
        matches!(b, b' ' | b'\t' | 0x0b | 0x0c)
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
    let blank = |line: &str| line.trim_start_matches([' ', '\t', '\x0b', '\x0c']).trim_end_matches('\n').is_empty();
    let (_, second) = lines.next()?;
    if closes(second) || blank(second) {
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
        let text = text.replace("]:", "] :");
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
