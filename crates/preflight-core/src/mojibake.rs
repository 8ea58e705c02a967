//! Mojibake: UTF-8 that was once decoded as Windows-1252 or Mac Roman and saved again, so that
//! `✅` reads `âœ…` or `‚úÖ`. Detection re-encodes runs of characters through the code page and
//! keeps those that form valid multi-byte UTF-8. It only proposes: the repaired text goes into a
//! diagnostic, and applying it is the user's choice. Nothing here changes the document.

use std::sync::OnceLock;

use crate::codepage::{MAC_ROMAN, WINDOWS_1252};
use crate::diagnostic::{code, Diagnostic, Severity};
use crate::span::{excerpt, LineIndex, Span};

/// Characters of a line quoted in a diagnostic message.
const MESSAGE_WIDTH: usize = 160;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePage {
    Windows1252,
    MacRoman,
}

impl CodePage {
    pub fn name(self) -> &'static str {
        match self {
            CodePage::Windows1252 => "Windows-1252",
            CodePage::MacRoman => "Mac Roman",
        }
    }

    /// The byte this code page decodes to `c`, if any.
    fn byte_of(self, c: char) -> Option<u8> {
        let u = c as u32;
        if u < 0x80 {
            return None;
        }
        // Cheap rejection: every character either table produces is below U+2300 or one of
        // Mac Roman's three private-use/ligature code points. CJK and emoji stop here.
        if u >= 0x2300 && !matches!(u, 0x25CA | 0xF8FF | 0xFB01 | 0xFB02) {
            return None;
        }
        // Nor does either table hold a char between Mac Roman's `π` and the dashes: Greek,
        // Cyrillic, Hebrew, Arabic and Indic text stops here too, not in two table searches
        // per char (a test checks both tables).
        if (NEITHER_TABLE_FROM..NEITHER_TABLE_TO).contains(&u) {
            return None;
        }
        if self == CodePage::Windows1252 && (0xA0..=0xFF).contains(&u) {
            return Some(u as u8); // the Latin-1 half maps to itself
        }
        let reverse = match self {
            CodePage::Windows1252 => reverse_table(&WINDOWS_1252_REVERSE, &WINDOWS_1252),
            CodePage::MacRoman => reverse_table(&MAC_ROMAN_REVERSE, &MAC_ROMAN),
        };
        reverse.binary_search_by_key(&c, |&(k, _)| k).ok().map(|i| reverse[i].1)
    }
}

/// Chars from here up to (not including) `NEITHER_TABLE_TO` are in neither code page.
const NEITHER_TABLE_FROM: u32 = 0x3C1;
const NEITHER_TABLE_TO: u32 = 0x2013;

static WINDOWS_1252_REVERSE: OnceLock<Vec<(char, u8)>> = OnceLock::new();
static MAC_ROMAN_REVERSE: OnceLock<Vec<(char, u8)>> = OnceLock::new();

/// (character, byte) pairs of a code page's upper half, sorted by character.
fn reverse_table<'a>(cell: &'a OnceLock<Vec<(char, u8)>>, table: &[char; 128]) -> &'a [(char, u8)] {
    cell.get_or_init(|| {
        let mut pairs: Vec<(char, u8)> = table.iter().enumerate().map(|(i, &c)| (c, 0x80 + i as u8)).collect();
        pairs.sort_unstable();
        pairs
    })
}

/// One mis-decoded character: `range` in the text spells what `repaired` really is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    pub start: usize,
    pub end: usize,
    pub repaired: char,
    pub code_page: CodePage,
}

/// Every mis-decoded multi-byte character in `text`, in order. Scans bytes and only decodes
/// characters at non-ASCII positions, so ASCII-heavy documents cost one pass.
pub fn find(text: &str) -> Vec<Sequence> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match first_non_ascii(&bytes[i..]) {
            Some(skip) => i += skip,
            None => break,
        }
        // A char from U+3000 on (CJK, kana, Hangul, emoji) is in neither code page, so no
        // spelling starts with it: stepped over by its lead byte, not decoded twice.
        match bytes[i] {
            0xE3..=0xEE => {
                i += 3;
                continue;
            }
            0xF0..=0xF4 => {
                i += 4;
                continue;
            }
            _ => {}
        }
        let mut matched = false;
        for page in [CodePage::Windows1252, CodePage::MacRoman] {
            if let Some((end, repaired)) = decode_at(text, i, page) {
                found.push(Sequence { start: i, end, repaired, code_page: page });
                i = end;
                matched = true;
                break;
            }
        }
        if !matched {
            // Step over this (multi-byte) character.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// Where the first byte ≥ 0x80 of `bytes` is. Whole runs of 32 bytes are checked with
/// `<[u8]>::is_ascii` (a word at a time): every document is scanned once, and is mostly ASCII.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    for chunk in bytes.chunks(32) {
        if !chunk.is_ascii() {
            return chunk.iter().position(|&b| b >= 0x80).map(|p| at + p);
        }
        at += chunk.len();
    }
    None
}

/// Try to read one UTF-8 character spelled by the code page's characters starting at byte `at`;
/// returns where the spelling ends and the character it spells.
fn decode_at(text: &str, at: usize, page: CodePage) -> Option<(usize, char)> {
    let mut chars = text.get(at..)?.char_indices();
    let lead = page.byte_of(chars.next()?.1)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    for slot in &mut bytes[1..len] {
        let b = page.byte_of(chars.next()?.1)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *slot = b;
    }
    let end = chars.next().map_or(text.len(), |(offset, _)| at + offset);
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    Some((end, decoded))
}

/// `text` with every mis-decoded character replaced by what it spells.
pub fn repair(text: &str) -> String {
    let found = find(text);
    if found.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in &found {
        out.push_str(&text[at..s.start]);
        out.push(s.repaired);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// One warning per affected line, each proposing the repaired line.
pub fn diagnose(text: &str, index: &LineIndex<'_>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut last_line = 0;
    for s in find(text) {
        let line = index.line(s.start);
        if line == last_line {
            continue;
        }
        last_line = line;
        let original = index.line_text(line);
        // Counted here rather than by the index: its column table would then be built while
        // the model build holds its working records (this runs beside the walk).
        let start = index.line_start(line);
        let column =
            s.start.checked_sub(start).and_then(|n| original.get(..n)).map_or(0, |t| t.chars().count()) as u32 + 1;
        let repaired = repair(original);
        // The message quotes the line (around the spot, if long); `repair` holds all of it.
        let (shown, _) = excerpt(original.trim_end(), column, MESSAGE_WIDTH);
        let mut d = Diagnostic::new(
            Severity::Warning,
            code::MOJIBAKE,
            format!(
                "text looks like UTF-8 mis-read as {}: `{}` is probably `{}`",
                s.code_page.name(),
                shown.trim(),
                repair(&shown).trim()
            ),
            Span::new(s.start, s.end),
        );
        d.repair = Some(repaired);
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`find`] as it was first written: every char outside ASCII tried with each code page.
    fn find_plain(text: &str) -> Vec<Sequence> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let matched = [CodePage::Windows1252, CodePage::MacRoman]
                .into_iter()
                .find_map(|page| decode_at(text, i, page).map(|(end, repaired)| (end, repaired, page)));
            match matched {
                Some((end, repaired, code_page)) => {
                    found.push(Sequence { start: i, end, repaired, code_page });
                    i = end;
                }
                None => i += text[i..].chars().next().map_or(1, char::len_utf8),
            }
        }
        found
    }

    proptest::proptest! {
        /// Stepping over chars no spelling starts with finds every sequence the plain scan does.
        #[test]
        fn sequences_are_found_as_by_trying_every_char(
            text in "(âœ…|â€”|ðŸš€|‚úÖ|Ã©|[a é部🚀€—◊ﬁ\u{f8ff}≈√ƒ✅])*",
        ) {
            proptest::prop_assert_eq!(find(&text), find_plain(&text));
        }

        #[test]
        fn the_first_non_ascii_byte_is_found_as_by_a_plain_search(
            text in proptest::collection::vec(proptest::prop_oneof![60 => 0u8..0x80, 1 => 0x80u8..=0xff], 0..200),
        ) {
            proptest::prop_assert_eq!(first_non_ascii(&text), text.iter().position(|&b| b >= 0x80));
        }
    }

    /// The range `byte_of` rejects before searching holds no char of either code page, and
    /// every char answers as a search of the tables alone answers.
    #[test]
    fn the_chars_rejected_unsearched_are_in_neither_table() {
        for c in WINDOWS_1252.iter().chain(MAC_ROMAN.iter()) {
            assert!(!(NEITHER_TABLE_FROM..NEITHER_TABLE_TO).contains(&(*c as u32)), "{c:?}");
        }
        for page in [CodePage::Windows1252, CodePage::MacRoman] {
            let table = if page == CodePage::Windows1252 { &WINDOWS_1252 } else { &MAC_ROMAN };
            for c in (0..0x3000).filter_map(char::from_u32) {
                let searched = table.iter().position(|&t| t == c && c as u32 >= 0x80).map(|i| 0x80 + i as u8);
                assert_eq!(page.byte_of(c), searched, "{c:?} in {}", page.name());
            }
        }
    }

    /// The warning quotes the line around the spot (so its column is right), and finding it
    /// leaves the index's column table uncounted: this runs beside the model build, whose peak
    /// that table would add to.
    #[test]
    fn a_long_line_is_quoted_around_the_spot_without_counting_columns() {
        let text = format!("# Title\n{}âœ… done {}\n", "é".repeat(300), "x".repeat(300));
        let index = LineIndex::new(&text);
        let found = diagnose(&text, &index);
        assert!(!index.counted_columns(), "the column table was built");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`…ééé"), "{}", found[0].message);
        assert!(found[0].message.contains("âœ… done xxx"), "{}", found[0].message);
        let mut span = found[0].span;
        index.locate(&mut span);
        assert_eq!((span.line, span.column), (2, 301));
    }

    #[test]
    fn windows_1252_emoji_and_dash_are_found_and_repaired() {
        assert_eq!(repair("âœ… Done â€” ok"), "✅ Done — ok");
        assert_eq!(repair("ðŸš€ Launch"), "🚀 Launch");
    }

    #[test]
    fn undefined_windows_1252_bytes_survive_as_c1_controls() {
        // U+1F50D 🔍 is F0 9F 94 8D; 0x8D is undefined in Windows-1252.
        assert_eq!(repair("ðŸ”\u{8d} Search"), "🔍 Search");
    }

    #[test]
    fn mac_roman_is_found_and_repaired() {
        assert_eq!(repair("## \u{F8FF}üìã Pre-Deployment"), "## 📋 Pre-Deployment");
        assert_eq!(repair("‚úÖ Ready"), "✅ Ready");
        assert_eq!(find("‚úÖ")[0].code_page, CodePage::MacRoman);
    }

    #[test]
    fn ordinary_text_in_other_scripts_is_left_alone() {
        for text in ["café naïve — “quotes” ✅ 🚀", "部署检查清单 ✅", "Ação não é fácil", "مرحبا", "Größe ±5 °C"]
        {
            assert!(find(text).is_empty(), "false positive in {text}");
        }
    }
}
