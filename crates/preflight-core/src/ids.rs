//! Stable ids. An item's id depends on where it is (its section path) and what it says (its
//! normalized text), never on its position, so that inserting or moving other items keeps
//! everyone's progress attached to the right item. Repeats get `-2`, `-3`, … in document order.

use std::collections::HashMap;

/// FNV-1a, 64 bit: tiny, stable across platforms and versions, good enough to tell the items of
/// one document apart (collisions are disambiguated like repeats).
pub fn fnv1a64(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The identity of a piece of text: lower-case, whitespace collapsed, markup-free.
pub fn normalize_for_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// Hands out ids, disambiguating repeats.
#[derive(Default)]
pub struct IdAllocator {
    seen: HashMap<String, u32>,
}

impl IdAllocator {
    pub fn allocate(&mut self, prefix: &str, parts: &[&str]) -> String {
        let base = format!("{prefix}{:012x}", fnv1a64(parts) >> 16);
        let count = self.seen.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        }
    }
}

/// A readable slug for section ids: `pre-deployment`, `4-data-migration-if-applicable`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in crate::mojibake::repair(text).chars().flat_map(char::to_lowercase) {
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
        let a = ids.allocate("i-", &["s", "x"]);
        let b = ids.allocate("i-", &["s", "x"]);
        let c = ids.allocate("i-", &["t", "x"]);
        assert_eq!(b, format!("{a}-2"));
        assert_ne!(a, c);
    }

    #[test]
    fn normalized_text_ignores_case_and_spacing() {
        assert_eq!(normalize_for_id("  Run   the Tests "), normalize_for_id("run the tests"));
        assert_eq!(slug("4. Data Migration (if applicable)"), "4-data-migration-if-applicable");
        assert_eq!(slug("📋"), "section");
        assert_eq!(slug("\u{F8FF}üìã Pre-Deployment"), "pre-deployment");
    }
}
