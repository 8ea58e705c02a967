//! Words of text, split where `char::is_whitespace` says, a byte at a time for ASCII. Item
//! text, ids and labels are built from words for every item of a document, and the text is
//! mostly ASCII with an emoji here and there: `str::split_whitespace` decodes every character.

/// Whether the character at byte `i` is whitespace, and its length in bytes.
#[inline]
pub(crate) fn class_at(text: &str, i: usize) -> (bool, usize) {
    match text.as_bytes().get(i) {
        // U+0009–U+000D and U+0020: vertical tab and form feed included, like `char`.
        Some(&b) if b < 0x80 => (matches!(b, 9..=13 | 32), 1),
        Some(_) => match text.get(i..).and_then(|t| t.chars().next()) {
            Some(c) => (c.is_whitespace(), c.len_utf8()),
            None => (false, 1),
        },
        None => (false, 1),
    }
}

/// The same words as `text.split_whitespace()`.
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

pub struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.skip(true);
        let start = self.at;
        self.skip(false);
        (self.at > start).then(|| self.text.get(start..self.at)).flatten()
    }
}

impl Words<'_> {
    /// Step over characters while their being whitespace equals `space`.
    fn skip(&mut self, space: bool) {
        while self.at < self.text.len() {
            let (is_space, width) = class_at(self.text, self.at);
            if is_space != space {
                break;
            }
            self.at += width;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn same_words_as_split_whitespace(text in "[a b\\t\\n\\x0b\\x0c\\ré\\u{85}\\u{a0}\\u{1680}\\u{2003}\\u{3000}✅]{0,24}") {
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), text.split_whitespace().collect::<Vec<_>>());
        }
    }
}
