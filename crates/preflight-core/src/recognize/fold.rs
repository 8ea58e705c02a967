//! Text as the vocabulary compares it: lower case, Latin accents and `ё` folded, hyphens,
//! underscores and slashes read as spaces, whitespace collapsed. "Pre-Deployment",
//! "pre_deployment" and "PRE DEPLOYMENT" fold alike; "aplicável" and "aplicavel" too. Phrases in
//! `vocabulary.rs` are written folded, so matching is a plain search plus a word-boundary check.

/// The folded form of `text`. Allocates once; runs once per heading, item or line asked about.
/// Text that was once mis-decoded (`OpÃ§Ã£o` for `Opção`) is read as what it spells: the
/// document itself is never changed, but its words mean what their author wrote.
pub fn fold(text: &str) -> String {
    if !text.is_ascii() && text.contains(['Ã', 'â', 'ð', '√', '‚', 'Ô', 'Â']) {
        return fold_repaired(&crate::mojibake::repair(text));
    }
    fold_repaired(text)
}

/// Each ASCII byte folded: lower case, and the separators a space. `-` is a space too unless it
/// is a sign before a digit (decided where it is read).
const ASCII_FOLDED: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'-' | b'_' | b'/' | b'\\' | b'|' | b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => b' ',
            c => c.to_ascii_lowercase(),
        };
        b += 1;
    }
    table
};

fn fold_repaired(text: &str) -> String {
    let bytes = text.as_bytes();
    // Bytes, not a `String`: a byte pushed is one store, where a char pushed is first asked
    // how long it is in UTF-8. Only whole chars go in, so the bytes are UTF-8 at the end.
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut space = true;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        // ASCII (most of most texts) byte by byte through a table, without decoding a char:
        // folding is asked of every heading, item and line, and was 7 % of a model build.
        if let Some(&folded) = ASCII_FOLDED.get(usize::from(b)) {
            at += 1;
            // "D-1", "T+1", "J-2": a one-letter day name and its signed offset read as "D -1",
            // as "Day -1" does, not as "d 1".
            if (b == b'-' || b == b'+')
                && !space
                && bytes.get(at).is_some_and(u8::is_ascii_digit)
                && out.last().is_some_and(u8::is_ascii_lowercase)
                && out.len().checked_sub(2).is_none_or(|i| out[i] == b' ')
            {
                out.push(b' ');
                out.push(b);
                continue;
            }
            if folded != b' ' {
                out.push(folded);
                space = false;
            } else if b == b'-' && space && bytes.get(at).is_some_and(u8::is_ascii_digit) {
                // "Day -1" keeps its sign: it is a day before, not day one.
                out.push(b'-');
                space = false;
            } else {
                if !space {
                    out.push(b' ');
                }
                space = true;
            }
            continue;
        }
        // `at` is a char boundary: every step is a whole char.
        let Some(c) = text.get(at..).and_then(|t| t.chars().next()) else { break };
        at += c.len_utf8();
        // The minus sign as the hyphen-minus: "Dag −1" is "Dag -1".
        if c == '−' && space && bytes.get(at).is_some_and(u8::is_ascii_digit) {
            out.push(b'-');
            space = false;
            continue;
        }
        if matches!(c, '–' | '—' | '·' | '−') || c.is_whitespace() {
            if !space {
                out.push(b' ');
            }
            space = true;
            continue;
        }
        space = false;
        if caseless(c) {
            out.extend_from_slice(&bytes[at - c.len_utf8()..at]);
            continue;
        }
        let mut utf8 = [0; 4];
        for l in c.to_lowercase() {
            out.extend_from_slice(unaccent(l).encode_utf8(&mut utf8).as_bytes());
        }
    }
    if out.last() == Some(&b' ') {
        out.pop();
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Chars of scripts and symbol blocks without case: lower-cased, they are themselves, which
/// spares a search of the case tables (150 instructions a char) in texts written in them, and
/// for marks like `✅`. (A test checks every char.)
pub(crate) fn caseless(c: char) -> bool {
    unspaced(c)
        || matches!(c as u32,
            0x590..=0x6FF // Hebrew, Arabic
            | 0x2010..=0x2064 // dashes, quotes, bullets
            | 0x2190..=0x23FF // arrows, mathematical operators, technical symbols
            | 0x2500..=0x27BF // box drawing, shapes, symbols, dingbats (✅ ✓ ❌)
            | 0x1F000..=0x1FAFF // emoji
        )
}

/// Latin letters with diacritics as their base letter; `ё` as `е`. Everything else unchanged.
fn unaccent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ı' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' | 'ľ' | 'ĺ' => 'l',
        'ř' | 'ŕ' => 'r',
        'ť' => 't',
        'ď' => 'd',
        'ğ' => 'g',
        'ё' => 'е',
        c => c,
    }
}

/// Scripts written without spaces between words: a phrase in them needs no word boundary.
pub(crate) fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // kana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF // Hangul
    )
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Letters of the runs below (Latin, Greek, Cyrillic, Hebrew, Arabic) are answered without
    // a search of the Unicode tables (300 instructions a char: 6 % of reading a small
    // checklist, most of it building the vocabulary's index, and more in every text in them).
    letters_throughout(c) || (!unspaced(c) && c.is_alphanumeric())
}

/// Runs of Latin, Greek, Cyrillic, Hebrew and Arabic letters with no other char among them
/// (a test checks each char against `char::is_alphanumeric`).
fn letters_throughout(c: char) -> bool {
    matches!(c as u32,
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2C1 // Latin-1 letters, Latin Extended-A and -B, IPA
        | 0x38E..=0x3A1 | 0x3A3..=0x3F5 | 0x3F7..=0x481 | 0x48A..=0x52F // Greek, Cyrillic
        | 0x5D0..=0x5EA // Hebrew
        | 0x620..=0x657 // Arabic
        | 0x1E00..=0x1F15 // Latin Extended Additional (Vietnamese), Greek Extended
    )
}

pub(crate) fn word_char(c: char) -> bool {
    is_word_char(c)
}

/// The byte length of the word `text` starts with: its leading word chars. ASCII by bytes.
pub(crate) fn word_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
        at += 1;
    }
    match bytes.get(at) {
        Some(&b) if b >= 0x80 => at + text[at..].find(|c: char| !is_word_char(c)).unwrap_or(text.len() - at),
        _ => at,
    }
}

/// A phrase read once for [`Phrase::match_at`] (and [`find`]): its words without the `*`s, and which of its
/// ends need a word boundary. The vocabulary's index keeps its phrases this way, as they are
/// matched tens of thousands of times in a long checklist.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Phrase<'p> {
    core: &'p str,
    /// `*` at the start, or a first char of a script written without spaces.
    left_free: bool,
    /// `*` at the end, or a last char of a script written without spaces.
    right_free: bool,
    /// `*` at the end: the match runs on to the end of the word.
    open_end: bool,
}

impl<'p> Phrase<'p> {
    pub(crate) fn new(phrase: &'p str) -> Phrase<'p> {
        // By bytes: `*` is ASCII, and a char of a script written without spaces is never one
        // byte. (The vocabulary's index reads its 2,000 phrases once per process or page: by
        // chars, that was a noticeable part of reading a small checklist.)
        let bytes = phrase.as_bytes();
        let open_start = bytes.first() == Some(&b'*');
        let open_end = bytes.last() == Some(&b'*') && bytes.len() > 1;
        let start = bytes.iter().position(|&b| b != b'*').unwrap_or(bytes.len());
        let end = bytes.iter().rposition(|&b| b != b'*').map_or(start, |i| i + 1);
        let core = &phrase[start..end];
        let wide = |b: Option<&u8>| b.is_some_and(|&b| b >= 0x80);
        let first = wide(core.as_bytes().first()) && core.chars().next().is_some_and(unspaced);
        let last = wide(core.as_bytes().last()) && core.chars().next_back().is_some_and(unspaced);
        Phrase { core, left_free: open_start || first, right_free: open_end || last, open_end }
    }

    /// The phrase without its `*`s.
    pub(crate) fn core(&self) -> &'p str {
        self.core
    }

    /// `*` at the end: the match runs on to the end of the word.
    pub(crate) fn open_end(&self) -> bool {
        self.open_end
    }

    /// Where this phrase matched at byte `at` of `folded` ends, with the same boundary rules as
    /// [`find`]; `None` when it does not match there.
    pub(crate) fn match_at(&self, folded: &str, at: usize) -> Option<usize> {
        let rest = folded.get(at..)?;
        if self.core.is_empty() || !rest.starts_with(self.core) {
            return None;
        }
        let end = at + self.core.len();
        if !self.left_free && folded[..at].chars().next_back().is_some_and(is_word_char) {
            return None;
        }
        if !self.right_free && folded[end..].chars().next().is_some_and(is_word_char) {
            return None;
        }
        Some(if self.open_end {
            end + folded[end..].find(|c: char| !is_word_char(c)).unwrap_or(folded.len() - end)
        } else {
            end
        })
    }
}

/// Where `phrase` (folded; `*` at an end = the word may continue there) occurs in `folded` as
/// whole words. Returns the byte range of the first occurrence.
pub fn find(folded: &str, phrase: &str) -> Option<(usize, usize)> {
    let phrase = Phrase::new(phrase);
    let first = phrase.core.chars().next()?;
    let mut from = 0;
    // memmem, not `str::find`: the texts are short and searched once per phrase, where the
    // standard searcher's setup cost more than the search (3 % of a model build). A match of
    // a whole UTF-8 phrase starts on a char boundary.
    while let Some(i) =
        folded.as_bytes().get(from..).and_then(|rest| memchr::memmem::find(rest, phrase.core.as_bytes()))
    {
        let start = from + i;
        if let Some(end) = phrase.match_at(folded, start) {
            return Some((start, end));
        }
        from = start + first.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`fold_repaired`] as a reference, in steps: each char mapped (separators to spaces, a
    /// sign before a digit kept), then the words joined by single spaces, lower-cased and
    /// unaccented.
    fn fold_plain(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut mapped: Vec<char> = Vec::with_capacity(chars.len());
        for (i, &c) in chars.iter().enumerate() {
            let after_space = mapped.last().is_none_or(|&m| m == ' ');
            let digit_next = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            let signed = c == '-' && after_space && digit_next;
            let n = mapped.len();
            let folded_last =
                |c: char| c.to_lowercase().map(unaccent).next_back().is_some_and(|l| l.is_ascii_lowercase());
            let one_letter = n >= 1 && folded_last(mapped[n - 1]) && (n == 1 || mapped[n - 2] == ' ');
            if matches!(c, '-' | '+') && digit_next && one_letter {
                mapped.extend([' ', c]);
                continue;
            }
            let separator = matches!(c, '-' | '–' | '—' | '_' | '/' | '\\' | '·' | '|') || c.is_whitespace();
            mapped.push(if separator && !signed { ' ' } else { c });
        }
        let words: String = mapped.into_iter().collect();
        let lower = |w: &str| w.chars().flat_map(char::to_lowercase).map(unaccent).collect::<String>();
        words.split(' ').filter(|w| !w.is_empty()).map(lower).collect::<Vec<_>>().join(" ")
    }

    /// [`Phrase::match_at`] as it was written first: every boundary char looked at before deciding.
    fn match_at_plain(folded: &str, at: usize, phrase: &str) -> Option<usize> {
        let open_start = phrase.starts_with('*');
        let open_end = phrase.ends_with('*') && phrase.len() > 1;
        let core = phrase.trim_matches('*');
        let rest = folded.get(at..)?;
        if core.is_empty() || !rest.starts_with(core) {
            return None;
        }
        let end = at + core.len();
        let before = folded[..at].chars().next_back();
        let after = folded[end..].chars().next();
        let first = core.chars().next().unwrap_or(' ');
        let last = core.chars().next_back().unwrap_or(' ');
        let left_ok = open_start || unspaced(first) || !before.is_some_and(is_word_char);
        let right_ok = open_end || unspaced(last) || !after.is_some_and(is_word_char);
        if !(left_ok && right_ok) {
            return None;
        }
        Some(if open_end {
            end + folded[end..].find(|c: char| !is_word_char(c)).unwrap_or(folded.len() - end)
        } else {
            end
        })
    }

    proptest::proptest! {
        /// A phrase read once matches where and as far as the plain reading does.
        #[test]
        fn a_phrase_read_once_matches_as_the_plain_reading(
            folded in "[ab é前后-]{0,12}",
            phrase in "\\*{0,2}(a|ab|b a|é|前|后|前后|a-b|)\\*{0,2}",
            at in 0usize..14
        ) {
            proptest::prop_assert_eq!(Phrase::new(&phrase).match_at(&folded, at), match_at_plain(&folded, at, &phrase));
        }

        /// `find` answers as trying the phrase at every char boundary in turn: the byte search
        /// never stops inside a char or skips a match.
        #[test]
        fn a_phrase_is_found_where_trying_every_char_first_finds_it(
            folded in "[ab é前-]{0,16}",
            phrase in "\\*?(a|ab|b a|a a|é|前|后|前后|a-b|éa|aé)\\*?",
        ) {
            let plain = folded
                .char_indices()
                .find_map(|(at, _)| match_at_plain(&folded, at, &phrase).map(|end| (at, end)));
            proptest::prop_assert_eq!(find(&folded, &phrase), plain);
        }

        #[test]
        fn a_words_length_is_where_its_first_other_char_is(text in "[a-z09 é前ж-]{0,10}") {
            let plain = text.find(|c: char| !is_word_char(c)).unwrap_or(text.len());
            proptest::prop_assert_eq!(word_len(&text), plain);
        }

        #[test]
        fn folding_byte_by_byte_folds_as_char_by_char(text in "([ -~\t\n\x0b\x0c\r\x1c-\x1f\u{85}\u{a0}–—·ÀÉüİẞΣё部Ã§✅שع→Ω]|-[0-9]){0,40}") {
            proptest::prop_assert_eq!(fold_repaired(&text), fold_plain(&text));
        }
    }

    /// Every char answered as caseless lower-cases to itself alone, and folding leaves it be.
    #[test]
    fn caseless_chars_lower_case_to_themselves() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32).filter(|&c| caseless(c)) {
            assert!(c.to_lowercase().eq([c]), "{c:?} ({:x})", c as u32);
            assert_eq!(unaccent(c), c, "{c:?}");
        }
    }

    /// Every char: a word char is alphanumeric and not of a script written without spaces,
    /// whether or not the letter blocks answered it.
    #[test]
    fn the_letter_blocks_hold_only_letters() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert!(!letters_throughout(c) || c.is_alphanumeric(), "{c:?} ({:x})", c as u32);
            assert_eq!(is_word_char(c), c.is_alphanumeric() && !unspaced(c), "{c:?}");
        }
    }

    #[test]
    fn folding_makes_spellings_meet() {
        assert_eq!(fold("Pre-Deployment  Checks"), "pre deployment checks");
        assert_eq!(fold("(Se Aplicável)"), "(se aplicavel)");
        assert_eq!(fold("Rückfall_Plan"), "ruckfall plan");
        assert_eq!(fold("Ещё"), "еще");
        assert_eq!(fold("部署前检查"), "部署前检查");
        assert_eq!(fold("Day -1 (Pre-Launch)"), "day -1 (pre launch)");
        assert_eq!(fold("Day +1"), "day +1");
        assert_eq!(fold("OpÃ§Ã£o 1"), "opcao 1");
        // A one-letter day name and its offset read as "Day -1" does; a version does not.
        assert_eq!(fold("D-1 / D0 / D+1"), "d -1 d0 d +1");
        assert_eq!(fold("J-2"), "j -2");
        assert_eq!(fold("v2-1 ab-1"), "v2 1 ab 1");
        assert_eq!(fold("Přípravná fáze, Visszaállítási terv, Ťažké"), "pripravna faze, visszaallitasi terv, tazke");
    }

    #[test]
    fn phrases_match_whole_words_unless_open() {
        assert!(find("non blocking items", "blocking").is_some());
        assert!(find("unblocking", "blocking").is_none());
        assert_eq!(find("deployment steps", "deploy*"), Some((0, 10)));
        assert!(find("redeploy", "deploy*").is_none());
        assert!(find("redeploy", "*deploy*").is_some());
        assert!(find("部署前检查", "部署前").is_some());
        assert!(find("critical: yes", "critical").is_some());
        assert!(find("", "x").is_none());
        // A match that fails its boundary does not hide one overlapping it.
        assert_eq!(find("ba a a", "a a"), Some((3, 6)));
    }
}
