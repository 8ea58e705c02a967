//! Source positions. Inside the core a position is a byte range into the normalized text;
//! line and column (1-based, column counted in Unicode scalar values) are filled in once, by
//! [`LineIndex`], when the model is finished. Boundaries that need UTF-16 convert from bytes.

use serde::{Deserialize, Serialize};

/// A byte range in the normalized source plus the line and column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
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
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and column of a byte offset; offsets past the end clamp to the end, and an
    /// offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column =
            self.text.get(start..).unwrap_or("").char_indices().take_while(|&(i, _)| start + i < offset).count();
        (line as u32 + 1, column as u32 + 1)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let index = LineIndex::new("ab\n✅ x\n");
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(3), (2, 1));
        assert_eq!(index.line_col(7), (2, 3)); // after the 3-byte ✅ and a space
        assert_eq!(index.line_text(2), "✅ x");
        assert_eq!(index.line_col(999), (3, 1));
    }
}
