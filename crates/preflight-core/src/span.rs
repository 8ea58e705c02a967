//! Source positions. Inside the core a position is a byte range into the normalized text;
//! line and column (1-based, column counted in Unicode scalar values) are filled in once, by
//! [`LineIndex`], when the model is finished. Boundaries that need UTF-16 convert from bytes.

use std::cell::RefCell;

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
    starts: Vec<usize>,
    /// Characters before each CHUNK-byte block: a column is a difference of two prefix counts,
    /// so locating many spans on one long line costs no more than on short lines. (Counting
    /// from the line start each time made 100,000 blanks on one line take 19 s.)
    chars_before: Vec<usize>,
}

const CHUNK: usize = 64;

/// Not a UTF-8 continuation byte: one per character.
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        // Both are kept through the model build's peak, so they get exactly their room: a
        // guess that fell short doubled them (and held both buffers while copying).
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let mut starts = Vec::with_capacity(lines);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut chars_before = Vec::with_capacity(text.len().div_ceil(CHUNK) + 1);
        let mut count = 0;
        for chunk in text.as_bytes().chunks(CHUNK) {
            chars_before.push(count);
            count += chunk.iter().filter(|&&b| starts_char(b)).count();
        }
        // The end of the text, when it falls on a block boundary, is a block of its own.
        chars_before.push(count);
        LineIndex { text, starts, chars_before }
    }

    /// Characters in the text before byte `offset` (a character that `offset` falls inside
    /// counts as before it).
    fn chars_to(&self, offset: usize) -> usize {
        let block = offset / CHUNK;
        let base = self.chars_before.get(block).copied().unwrap_or(0);
        let tail = self.text.as_bytes().get(block * CHUNK..offset).unwrap_or(&[]);
        base + tail.iter().filter(|&&b| starts_char(b)).count()
    }

    /// 1-based line and column of a byte offset; offsets past the end clamp to the end, and an
    /// offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self.chars_to(offset).saturating_sub(self.chars_to(start));
        (line as u32 + 1, column as u32 + 1)
    }

    /// 1-based line of a byte offset: `line_col(offset).0` without counting characters for the
    /// column (the readings cite lines only, for every heading and item).
    pub fn line(&self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        self.starts.partition_point(|&s| s <= offset).max(1) as u32
    }

    pub fn locate(&self, span: &mut Span) {
        let (line, column) = self.line_col(span.start);
        span.line = line;
        span.column = column;
    }

    /// The text of the 1-based line `line`, without its newline.
    pub fn line_text(&self, line: u32) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let start = self.starts.get(i).copied().unwrap_or(self.text.len());
        let end = self.starts.get(i + 1).map(|e| e - 1).unwrap_or(self.text.len());
        self.text.get(start..end.max(start)).unwrap_or("")
    }

    pub fn line_start(&self, line: u32) -> usize {
        self.starts.get((line as usize).saturating_sub(1)).copied().unwrap_or(self.text.len())
    }
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
    fn the_index_holds_exactly_its_room() {
        for len in [0, 1, 63, 64, 65, 128, 1000, 4096 + 7] {
            for line in [1, 2, 39, 41, 80] {
                let text: String = (0..len).map(|i| if i % line == line - 1 { '\n' } else { 'é' }).collect();
                let index = LineIndex::new(&text);
                assert_eq!(index.starts.capacity(), index.starts.len(), "{len} chars, lines of {line}");
                assert_eq!(index.chars_before.capacity(), index.chars_before.len(), "{len} chars, lines of {line}");
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

    proptest::proptest! {
        #[test]
        fn columns_count_characters_from_the_line_start(text in "[a\\né✅📋]{0,300}", at in 0usize..1200) {
            let index = LineIndex::new(&text);
            let offset = at.min(text.len());
            let start = text.as_bytes()[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let expected = text[start..].char_indices().take_while(|&(i, _)| start + i < offset).count();
            let line = text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count();
            proptest::prop_assert_eq!(index.line_col(offset), (line as u32 + 1, expected as u32 + 1));
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
