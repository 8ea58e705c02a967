//! Stable ids. An item's id depends on where it is (its section path) and what it says (its
//! normalized text), never on its position, so that inserting or moving other items keeps
//! everyone's progress attached to the right item. Repeats get `-2`, `-3`, … in document order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64 bit: tiny, stable across platforms and versions, good enough to tell the items of
/// one document apart (collisions are disambiguated like repeats).
pub fn fnv1a64(parts: &[&str]) -> u64 {
    parts.iter().fold(Fnv::START, |h, p| h.part(p)).value()
}

/// [`fnv1a64`] fed a piece at a time, so that a prefix shared by many ids (a section's path,
/// a key for each of a long checklist's headings) is hashed once and held as 8 bytes instead
/// of as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv(u64);

impl Fnv {
    pub const START: Fnv = Fnv(0xcbf2_9ce4_8422_2325);

    /// `text`'s bytes, the part still open.
    pub fn bytes(self, text: &str) -> Fnv {
        Fnv(text.bytes().fold(self.0, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)))
    }

    /// End the open part, as `fnv1a64` ends each of its parts.
    pub fn end_part(self) -> Fnv {
        Fnv((self.0 ^ 0xff).wrapping_mul(0x0000_0100_0000_01b3))
    }

    /// One whole part.
    pub fn part(self, text: &str) -> Fnv {
        self.bytes(text).end_part()
    }

    /// The bytes of [`normalize_for_id`]`(text)`, the part still open, without making that text.
    pub fn normalized(self, text: &str) -> Fnv {
        let mut h = self.0;
        let mut utf8 = [0; 4];
        normalized_chars(text, |c| {
            for &b in c.encode_utf8(&mut utf8).as_bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        });
        Fnv(h)
    }

    pub fn value(self) -> u64 {
        self.0
    }
}

/// The identity of a piece of text: lower-case, whitespace collapsed, markup-free.
pub fn normalize_for_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalized_chars(text, |c| out.push(c));
    out
}

/// The first char of [`normalize_for_id`]`(text)`, without making that text: its first char
/// that is not whitespace, lower-cased (its first char, where lower case is more than one).
pub fn first_normalized(text: &str) -> Option<char> {
    let c = text.chars().find(|c| !c.is_whitespace())?;
    if c.is_ascii() {
        Some(c.to_ascii_lowercase())
    } else {
        c.to_lowercase().next()
    }
}

/// The chars of [`normalize_for_id`]`(text)`, in one pass and without allocating: ids hash the
/// normalized text of every item and heading, and only the hash is kept. Words are what
/// `char::is_whitespace` separates (as [`crate::words::words`]), joined by single spaces, each
/// char lower-cased; ASCII goes a byte at a time, without decoding.
fn normalized_chars(text: &str, mut emit: impl FnMut(char)) {
    let bytes = text.as_bytes();
    let (mut at, mut gap, mut started) = (0, false, false);
    while at < bytes.len() {
        let b = bytes[at];
        let c = if b.is_ascii() {
            at += 1;
            char::from(b)
        } else {
            // `at` is a char boundary: every step is a whole char.
            let Some(c) = text.get(at..).and_then(|t| t.chars().next()) else { break };
            at += c.len_utf8();
            c
        };
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && started {
            emit(' ');
        }
        (gap, started) = (false, true);
        if c.is_ascii() {
            emit(c.to_ascii_lowercase());
        } else if crate::recognize::fold::caseless(c) {
            emit(c);
        } else {
            c.to_lowercase().for_each(&mut emit);
        }
    }
}

/// Hands out ids, disambiguating repeats. Keyed by the hash itself (with a cheap hasher: the
/// keys already are hashes), because it runs once per item of documents with 10,000s of them.
#[derive(Default)]
pub struct IdAllocator {
    seen: HashMap<(u8, u64), (u32, usize), BuildHasherDefault<KeyHasher>>,
}

impl IdAllocator {
    /// The id for `parts` under `prefix` (`i-`, `s-`, `f-`), and for a repeat, the `owner` that
    /// got the plain id first.
    pub fn allocate(&mut self, prefix: &str, parts: &[&str], owner: usize) -> (String, Option<usize>) {
        self.allocate_hashed(prefix, fnv1a64(parts), owner)
    }

    /// [`IdAllocator::allocate`] of `[path, text]`, the path hashed so far (its part open).
    pub fn allocate_in(&mut self, prefix: &str, path: Fnv, text: &str, owner: usize) -> (String, Option<usize>) {
        self.allocate_hashed(prefix, path.end_part().part(text).value(), owner)
    }

    /// [`IdAllocator::allocate_in`] of `normalize_for_id(text)`, without making that text.
    pub fn allocate_normalized(
        &mut self,
        prefix: &str,
        path: Fnv,
        text: &str,
        owner: usize,
    ) -> (String, Option<usize>) {
        self.allocate_hashed(prefix, path.end_part().normalized(text).end_part().value(), owner)
    }

    fn allocate_hashed(&mut self, prefix: &str, hash: u64, owner: usize) -> (String, Option<usize>) {
        let hash = hash >> 16;
        let key = (prefix.as_bytes().first().copied().unwrap_or(0), hash);
        let (count, first) = self.seen.entry(key).or_insert((0, owner));
        *count += 1;
        let mut id = String::with_capacity(prefix.len() + 16);
        id.push_str(prefix);
        push_hex(&mut id, hash, 12);
        if *count == 1 {
            (id, None)
        } else {
            id.push('-');
            id.push_str(&count.to_string());
            (id, Some(*first))
        }
    }
}

/// `digits` lower-case hex digits of `value`, zero-padded: what `{:012x}` prints.
fn push_hex(out: &mut String, value: u64, digits: u32) {
    for shift in (0..digits).rev() {
        let nibble = (value >> (shift * 4)) & 15;
        out.push(char::from(b"0123456789abcdef"[nibble as usize]));
    }
}

/// Multiply-and-fold hasher for keys that are already well-mixed hashes.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// A readable slug for section ids: `pre-deployment`, `4-data-migration-if-applicable`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    // Mojibake needs non-ASCII characters: ASCII titles skip the repair.
    let repaired =
        if text.is_ascii() { std::borrow::Cow::Borrowed(text) } else { crate::mojibake::repair(text).into() };
    for c in repaired.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_disambiguated_in_order() {
        let mut ids = IdAllocator::default();
        let (a, first) = ids.allocate("i-", &["s", "x"], 0);
        assert_eq!((a.as_str(), first), (format!("i-{:012x}", fnv1a64(&["s", "x"]) >> 16).as_str(), None));
        let (b, first) = ids.allocate("i-", &["s", "x"], 1);
        assert_eq!((b, first), (format!("{a}-2"), Some(0)));
        let (c, _) = ids.allocate("i-", &["t", "x"], 2);
        assert_ne!(a, c);
        let (s, first) = ids.allocate("s-", &["s", "x"], 3);
        assert_eq!((s, first), (format!("s-{}", &a[2..]), None), "prefixes count apart");
    }

    #[test]
    fn hashes_are_the_ones_ids_were_always_made_of() {
        // Computed outside Rust; a change here renames every id in everyone's runs.
        assert_eq!(fnv1a64(&["document"]), 0x88c6_32a2_1c5a_6ed1);
        assert_eq!(fnv1a64(&["/release/before", "back up the database"]), 0xb1ff_ef68_83d4_7d21);
    }

    /// [`normalize_for_id`] as it was written first: the words, each lower-cased, joined by spaces.
    fn normalize_plain(text: &str) -> String {
        text.split_whitespace()
            .map(|w| w.chars().flat_map(char::to_lowercase).collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn normalizing_in_one_pass_is_the_words_lower_cased_and_joined(
            text in "[aB Z\\t\\n\\x0b\\x0c\\ré\u{130}\u{1E9E}\u{85}\u{a0}\u{1680}\u{2003}\u{3000}✅İΣ]{0,24}",
            any in "\\PC{0,16}",
        ) {
            for t in [&text, &any] {
                let plain = normalize_plain(t);
                proptest::prop_assert_eq!(&normalize_for_id(t), &plain);
                proptest::prop_assert_eq!(Fnv::START.normalized(t), Fnv::START.bytes(&plain));
                proptest::prop_assert_eq!(first_normalized(t), plain.chars().next());
            }
        }

        #[test]
        fn a_path_hashed_piece_by_piece_is_the_path_hashed_whole(
            path in proptest::collection::vec("\\PC{0,12}", 0..5),
            last in "\\PC{0,12}",
        ) {
            let whole = path.iter().fold(String::new(), |key, p| format!("{key}/{p}"));
            let state = path.iter().fold(Fnv::START, |h, p| h.bytes("/").bytes(p));
            proptest::prop_assert_eq!(state.end_part().value(), fnv1a64(&[&whole]));
            proptest::prop_assert_eq!(state.end_part().part(&last).value(), fnv1a64(&[&whole, &last]));
        }

        #[test]
        fn ascii_fast_path_matches_the_general_one(text in "[ -~\\t\\n\\x0b\\x0c\\r]{0,40}") {
            let general: String = text
                .split_whitespace()
                .map(|w| w.chars().flat_map(char::to_lowercase).collect::<String>())
                .collect::<Vec<_>>()
                .join(" ");
            proptest::prop_assert_eq!(normalize_for_id(&text), general);
        }
    }

    #[test]
    fn normalized_text_ignores_case_and_spacing() {
        assert_eq!(normalize_for_id("  Run   the Tests "), normalize_for_id("run the tests"));
        assert_eq!(slug("4. Data Migration (if applicable)"), "4-data-migration-if-applicable");
        assert_eq!(slug("📋"), "section");
        assert_eq!(slug("\u{F8FF}üìã Pre-Deployment"), "pre-deployment");
    }
}
