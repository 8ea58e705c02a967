//! Source positions. Inside the core a position is a byte range into the normalized text;
//! line and column (1-based, column counted in Unicode scalar values) are filled in once, by
//! [`LineIndex`], when the model is finished. Boundaries that need UTF-16 convert from bytes.

use std::cell::{OnceCell, RefCell};

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

/// A byte range in the normalized source plus the line and column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

thread_local! {
    /// Set by [`with_utf16_offsets`] while a boundary that indexes strings in UTF-16 (JavaScript)
    /// serializes: spans then also carry `start16` and `end16`.
    static UTF16: RefCell<Option<Utf16Index>> = const { RefCell::new(None) };
}

/// Serialize inside `f` with every span also giving UTF-16 offsets into `text`.
pub fn with_utf16_offsets<R>(text: &str, f: impl FnOnce() -> R) -> R {
    UTF16.with(|u| *u.borrow_mut() = Some(Utf16Index::new(text)));
    let result = f();
    UTF16.with(|u| *u.borrow_mut() = None);
    result
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let utf16 = UTF16.with(|u| u.borrow().as_ref().map(|index| (index.utf16(self.start), index.utf16(self.end))));
        let mut s = serializer.serialize_struct("Span", if utf16.is_some() { 6 } else { 4 })?;
        s.serialize_field("start", &self.start)?;
        s.serialize_field("end", &self.end)?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("column", &self.column)?;
        if let Some((start16, end16)) = utf16 {
            s.serialize_field("start16", &start16)?;
            s.serialize_field("end16", &end16)?;
        }
        s.end()
    }
}

/// Byte offset → UTF-16 offset, from counts per 64-byte block. It holds no copy of the text
/// (the copy was the size of the document, held while the model is converted for JavaScript):
/// an ASCII block needs nothing more, any other keeps which of its bytes start a character and
/// which start one that UTF-16 writes as two units.
pub struct Utf16Index {
    len: usize,
    /// UTF-16 units of the characters that start before each block.
    units_before: Vec<usize>,
    /// Blocks that are not all ASCII, in order: (block, character starts, 4-byte starts).
    mixed: Vec<(usize, u64, u64)>,
}

const STEP: usize = 64;

impl Utf16Index {
    pub fn new(text: &str) -> Self {
        let blocks = text.len().div_ceil(STEP);
        let mut units_before = Vec::with_capacity(blocks + 1);
        let mut mixed = Vec::new();
        let mut units = 0;
        for (k, block) in text.as_bytes().chunks(STEP).enumerate() {
            units_before.push(units);
            if block.is_ascii() {
                units += block.len();
                continue;
            }
            let (mut starts, mut astral) = (0u64, 0u64);
            for (i, &b) in block.iter().enumerate() {
                starts |= u64::from(b & 0xC0 != 0x80) << i;
                astral |= u64::from(b >= 0xF0) << i;
            }
            units += (starts.count_ones() + astral.count_ones()) as usize;
            mixed.push((k, starts, astral));
        }
        units_before.push(units);
        Utf16Index { len: text.len(), units_before, mixed }
    }

    /// UTF-16 units of the characters that start before `byte`.
    pub fn utf16(&self, byte: usize) -> usize {
        let byte = byte.min(self.len);
        let (k, within) = (byte / STEP, byte % STEP);
        let before = self.units_before.get(k).copied().unwrap_or(0);
        match self.mixed.binary_search_by_key(&k, |m| m.0) {
            Ok(at) => {
                let (_, starts, astral) = self.mixed[at];
                let mask = (1u64 << within) - 1;
                before + (starts & mask).count_ones() as usize + (astral & mask).count_ones() as usize
            }
            Err(_) => before + within,
        }
    }
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end, line: 0, column: 0 }
    }
}

/// Byte offsets of line starts, for turning byte offsets into line/column cheaply.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Offsets,
    /// Characters before each CHUNK-byte block: a column is a difference of two prefix counts,
    /// so locating many spans on one long line costs no more than on short lines. (Counting
    /// from the line start each time made 100,000 blanks on one line take 19 s.) Counted on
    /// the first column asked for: the model build asks only once its reading is done and its
    /// working records are gone, so these are not held through its peak.
    chars_before: OnceCell<Offsets>,
    wide: bool,
}

const CHUNK: usize = 64;

/// Offsets into the text, four bytes each for any text under 4 GiB (every text a page or the
/// CLI accepts): the line starts are held through the model build's peak, where eight bytes
/// each were 1.6 MB of the 10 MB benchmark checklist's peak.
#[derive(Debug)]
enum Offsets {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl Offsets {
    /// `values` must yield at most `len` non-decreasing offsets no larger than the text.
    fn collect(wide: bool, len: usize, values: impl Iterator<Item = usize>) -> Offsets {
        if wide {
            let mut v = Vec::with_capacity(len);
            v.extend(values);
            Offsets::Wide(v)
        } else {
            let mut v = Vec::with_capacity(len);
            v.extend(values.map(|x| u32::try_from(x).unwrap_or(u32::MAX)));
            Offsets::Narrow(v)
        }
    }

    fn get(&self, i: usize) -> Option<usize> {
        match self {
            Offsets::Narrow(v) => v.get(i).map(|&x| x as usize),
            Offsets::Wide(v) => v.get(i).copied(),
        }
    }

    /// How many offsets are at or before `offset`.
    fn at_or_before(&self, offset: usize) -> usize {
        match self {
            Offsets::Narrow(v) => {
                let offset = u32::try_from(offset).unwrap_or(u32::MAX);
                v.partition_point(|&s| s <= offset)
            }
            Offsets::Wide(v) => v.partition_point(|&s| s <= offset),
        }
    }

    #[cfg(test)]
    fn room(&self) -> (usize, usize) {
        match self {
            Offsets::Narrow(v) => (v.len(), v.capacity()),
            Offsets::Wide(v) => (v.len(), v.capacity()),
        }
    }
}

/// Not a UTF-8 continuation byte: one per character.
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        Self::with_width(text, u32::try_from(text.len()).is_err())
    }

    /// `wide`: eight-byte offsets, which a text of 4 GiB or more needs (and tests ask for, to
    /// check both widths agree).
    fn with_width(text: &'a str, wide: bool) -> Self {
        // Kept through the model build's peak, so they get exactly their room: a guess that
        // fell short doubled them (and held both buffers while copying).
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let starts = Offsets::collect(
            wide,
            lines,
            std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)),
        );
        LineIndex { text, starts, chars_before: OnceCell::new(), wide }
    }

    fn chars_before(&self) -> &Offsets {
        self.chars_before.get_or_init(|| {
            let blocks =
                self.text.as_bytes().chunks(CHUNK).map(|chunk| chunk.iter().filter(|&&b| starts_char(b)).count());
            // The end of the text, when it falls on a block boundary, is a block of its own:
            // the empty block after the last one carries the total.
            let before = blocks.chain(std::iter::once(0)).scan(0, |count, n| {
                let before = *count;
                *count += n;
                Some(before)
            });
            Offsets::collect(self.wide, self.text.len().div_ceil(CHUNK) + 1, before)
        })
    }

    /// Whether a column has been asked for (the column table exists).
    #[cfg(test)]
    pub(crate) fn counted_columns(&self) -> bool {
        self.chars_before.get().is_some()
    }

    /// Characters in the text before byte `offset` (a character that `offset` falls inside
    /// counts as before it).
    fn chars_to(&self, offset: usize) -> usize {
        let block = offset / CHUNK;
        let base = self.chars_before().get(block).unwrap_or(0);
        let tail = self.text.as_bytes().get(block * CHUNK..offset).unwrap_or(&[]);
        base + tail.iter().filter(|&&b| starts_char(b)).count()
    }

    /// 1-based line and column of a byte offset; offsets past the end clamp to the end, and an
    /// offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.at_or_before(offset).saturating_sub(1);
        let start = self.starts.get(line).unwrap_or(0);
        // Near the line's start (every heading and item), counted on the spot: the table of
        // counts costs a pass over the whole text, and is built only for an offset far into a
        // long line, where counting from the start again and again would be quadratic.
        let column = match self.text.as_bytes().get(start..offset) {
            Some(head) if head.len() <= 4 * CHUNK => head.iter().filter(|&&b| starts_char(b)).count(),
            _ => self.chars_to(offset).saturating_sub(self.chars_to(start)),
        };
        (line as u32 + 1, column as u32 + 1)
    }

    /// 1-based line of a byte offset: `line_col(offset).0` without counting characters for the
    /// column (the readings cite lines only, for every heading and item).
    pub fn line(&self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        self.starts.at_or_before(offset).max(1) as u32
    }

    pub fn locate(&self, span: &mut Span) {
        let (line, column) = self.line_col(span.start);
        span.line = line;
        span.column = column;
    }

    /// The text of the 1-based line `line`, without its newline.
    pub fn line_text(&self, line: u32) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let start = self.starts.get(i).unwrap_or(self.text.len());
        let end = self.starts.get(i + 1).map(|e| e - 1).unwrap_or(self.text.len());
        self.text.get(start..end.max(start)).unwrap_or("")
    }

    pub fn line_start(&self, line: u32) -> usize {
        self.starts.get((line as usize).saturating_sub(1)).unwrap_or(self.text.len())
    }
}

/// Where the line holding byte `at` of `text` starts: just after the last `\n` before `at`, or
/// 0 (also for an `at` past the end or inside a char, which no caller passes).
pub(crate) fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1)
}

/// The part of `line` to show for a position at 1-based `column`: the whole line when it has at
/// most `width` characters, else `width` characters around the column with `…` where it was
/// cut. Also returns how many characters of the excerpt come before the column (for a caret).
/// A report about a 600 KB line should not print it once per diagnostic.
pub fn excerpt(line: &str, column: u32, width: usize) -> (String, usize) {
    let at = (column as usize).saturating_sub(1);
    let total = line.chars().count();
    if total <= width {
        return (line.to_string(), at.min(total));
    }
    let start = at.saturating_sub(width / 3).min(total.saturating_sub(width));
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(line.chars().skip(start).take(width));
    if start + width < total {
        out.push('…');
    }
    (out, at - start + usize::from(start > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_starts_after_the_newline_before_it() {
        let text = "ab\ncd\n\nef";
        assert_eq!([0, 1, 2, 3, 4, 6, 7, 8, 10].map(|at| line_start(text, at)), [0, 0, 0, 3, 3, 6, 7, 7, 0]);
    }

    #[test]
    fn the_index_holds_exactly_its_room() {
        for len in [0, 1, 63, 64, 65, 128, 1000, 4096 + 7] {
            for line in [1, 2, 39, 41, 80] {
                let text: String = (0..len).map(|i| if i % line == line - 1 { '\n' } else { 'é' }).collect();
                let index = LineIndex::new(&text);
                let (starts, room) = index.starts.room();
                assert_eq!(starts, room, "{len} chars, lines of {line}");
                let (blocks, room) = index.chars_before().room();
                assert_eq!(blocks, room, "{len} chars, lines of {line}");
            }
        }
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = format!("a✅b📋c{}", "x".repeat(200));
        let index = Utf16Index::new(&text);
        for b in (0..=text.len()).filter(|&b| text.is_char_boundary(b)) {
            assert_eq!(index.utf16(b), text[..b].encode_utf16().count(), "at byte {b}");
        }
    }

    proptest::proptest! {
        #[test]
        fn utf16_offsets_are_what_javascript_counts(text in "[ax\\né✅📋\u{10ffff}]{0,400}", at in 0usize..2000) {
            let index = Utf16Index::new(&text);
            let byte = at.min(text.len());
            // Inside a character, that character has started before it too.
            let whole = (0..=byte).rev().find(|&b| text.is_char_boundary(b)).unwrap_or(0);
            let started = text[whole..].chars().next().filter(|_| whole < byte).map_or(0, char::len_utf16);
            proptest::prop_assert_eq!(index.utf16(byte), text[..whole].encode_utf16().count() + started);
        }
    }

    #[test]
    fn spans_carry_utf16_offsets_only_when_asked() {
        let span = Span { start: 4, end: 9, line: 1, column: 3 };
        assert_eq!(serde_json::to_string(&span).unwrap(), r#"{"start":4,"end":9,"line":1,"column":3}"#);
        let with = with_utf16_offsets("a✅b📋c", || serde_json::to_string(&span).unwrap());
        assert_eq!(with, r#"{"start":4,"end":9,"line":1,"column":3,"start16":2,"end16":5}"#);
        assert!(!serde_json::to_string(&span).unwrap().contains("16"), "reset afterwards");
    }

    /// The 1-based column of byte `offset`, counted from its line's start a character at a time.
    fn column_by_hand(text: &str, offset: usize) -> u32 {
        let start = text.as_bytes()[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        text[start..].char_indices().take_while(|&(i, _)| start + i < offset).count() as u32 + 1
    }

    proptest::proptest! {
        #[test]
        fn columns_count_characters_from_the_line_start(text in "[a\\né✅📋]{0,300}", at in 0usize..1200) {
            let offset = at.min(text.len());
            let line = text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count();
            proptest::prop_assert_eq!(LineIndex::new(&text).line_col(offset), (line as u32 + 1, column_by_hand(&text, offset)));
        }

        #[test]
        fn columns_far_into_long_lines_count_alike(text in "[aé✅📋]{0,400}(\\n[aé✅📋]{0,400}){0,2}", at in 0usize..3400) {
            let offset = at.min(text.len());
            proptest::prop_assert_eq!(LineIndex::new(&text).line_col(offset).1, column_by_hand(&text, offset));
        }

        #[test]
        fn both_offset_widths_answer_alike(text in "[a\\r\\né✅]{0,300}", at in 0usize..1200, line in 0u32..80) {
            let (narrow, wide) = (LineIndex::with_width(&text, false), LineIndex::with_width(&text, true));
            proptest::prop_assert!(matches!(narrow.starts, Offsets::Narrow(_)) && matches!(wide.chars_before(), Offsets::Wide(_)));
            proptest::prop_assert_eq!(narrow.line_col(at), wide.line_col(at));
            proptest::prop_assert_eq!(narrow.line(at), wide.line(at));
            proptest::prop_assert_eq!(narrow.line_text(line), wide.line_text(line));
            proptest::prop_assert_eq!(narrow.line_start(line), wide.line_start(line));
        }

        #[test]
        fn the_line_alone_is_the_line_of_line_col(text in "[a\r\né✅]{0,300}", at in 0usize..1200) {
            let index = LineIndex::new(&text);
            proptest::prop_assert_eq!(index.line(at), index.line_col(at).0);
        }
    }

    #[test]
    fn long_lines_are_shown_around_the_column() {
        assert_eq!(excerpt("short line", 3, 20), ("short line".to_string(), 2));
        let long: String = (0..1000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let (shown, caret) = excerpt(&long, 501, 30);
        assert_eq!(shown.chars().count(), 32, "30 characters and two ellipses");
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(caret), long.chars().nth(500), "the caret lands on the column");
        let (head, caret) = excerpt(&long, 1, 30);
        assert_eq!((head.chars().next(), caret), (Some('a'), 0));
        let (tail, caret) = excerpt(&long, 1000, 30);
        assert!(tail.starts_with('…') && !tail.ends_with('…'));
        assert_eq!(tail.chars().nth(caret), long.chars().nth(999));
    }

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let index = LineIndex::new("ab\n✅ x\n");
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(3), (2, 1));
        assert_eq!(index.line_col(7), (2, 3)); // after the 3-byte ✅ and a space
        assert_eq!(index.line_text(2), "✅ x");
        assert_eq!(index.line_col(999), (3, 1));
        // Found by the property test: the end of a text whose length is a multiple of the block.
        let a64 = "a".repeat(64);
        assert_eq!(LineIndex::new(&a64).line_col(64), (1, 65));
    }
}
