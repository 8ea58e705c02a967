//! Bytes in, normalized text out. Owns the one definition of "the text" that everything else
//! (parsing, spans, the source hash) is computed from: UTF-8, no BOM, LF line ends, no NUL.
//! It never rejects input: invalid UTF-8 is decoded lossily and reported, not refused.

use sha2::{Digest, Sha256};

use crate::diagnostic::{code, Diagnostic, Severity};
use crate::span::Span;

/// The normalized source plus what normalization had to change.
pub struct Normalized {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decode and normalize raw bytes: strict UTF-8 where possible, U+FFFD for invalid sequences
/// and NUL, BOM stripped, CRLF and lone CR turned into LF.
pub fn normalize(bytes: &[u8]) -> Normalized {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // The common case: valid UTF-8 with LF line ends and no NUL is copied as it is.
    if memchr::memchr2(b'\r', 0, bytes).is_none() {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return Normalized { text: text.to_string(), diagnostics: Vec::new() };
        }
    }
    let mut text = String::with_capacity(bytes.len());
    let mut first_invalid: Option<(usize, u8)> = None;
    let mut invalid_count = 0usize;
    let mut first_nul: Option<usize> = None;
    let mut nul_count = 0usize;
    let mut after_cr = false;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        if !valid.is_empty() {
            if valid.bytes().any(|b| b == b'\r' || b == 0) {
                for c in valid.chars() {
                    match c {
                        '\r' => text.push('\n'),
                        '\n' if after_cr => {}
                        '\0' => {
                            first_nul.get_or_insert(text.len());
                            nul_count += 1;
                            text.push('\u{FFFD}');
                        }
                        c => text.push(c),
                    }
                    after_cr = c == '\r';
                }
            } else {
                text.push_str(valid);
                after_cr = false;
            }
        }
        let invalid = chunk.invalid();
        if let Some(&first) = invalid.first() {
            first_invalid.get_or_insert((text.len(), first));
            invalid_count += invalid.len();
            text.push('\u{FFFD}');
            after_cr = false;
        }
    }
    let mut diagnostics = Vec::new();
    if let Some((at, byte)) = first_invalid {
        diagnostics.push(Diagnostic::new(
            Severity::Error,
            code::INVALID_UTF8,
            format!(
                "the file is not valid UTF-8: {invalid_count} byte{} replaced with U+FFFD, the first is 0x{byte:02X}",
                if invalid_count == 1 { "" } else { "s" }
            ),
            Span::new(at, at + '\u{FFFD}'.len_utf8()),
        ));
    }
    if let Some(at) = first_nul {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            code::NUL_BYTE,
            format!("{nul_count} NUL byte{} replaced with U+FFFD", if nul_count == 1 { "" } else { "s" }),
            Span::new(at, at + '\u{FFFD}'.len_utf8()),
        ));
    }
    Normalized { text, diagnostics }
}

/// SHA-256 (lower-case hex) of the normalized text: the identity of a template.
pub fn source_sha256(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_and_lone_cr_become_plain_lf() {
        let n = normalize(b"\xEF\xBB\xBFa\r\nb\rc\n");
        assert_eq!(n.text, "a\nb\nc\n");
        assert!(n.diagnostics.is_empty());
    }

    #[test]
    fn crlf_split_across_an_invalid_byte_is_not_merged() {
        let n = normalize(b"a\r\xFF\nb");
        assert_eq!(n.text, "a\n\u{FFFD}\nb");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_at_the_first_bad_byte() {
        let n = normalize(b"ok\nbad \x92 here \x80\n");
        assert_eq!(n.text, "ok\nbad \u{FFFD} here \u{FFFD}\n");
        assert_eq!(n.diagnostics.len(), 1);
        let d = &n.diagnostics[0];
        assert_eq!(d.code, code::INVALID_UTF8);
        assert_eq!(d.span.start, 7);
        assert!(d.message.contains("0x92"), "{}", d.message);
        assert!(d.message.contains("2 bytes"), "{}", d.message);
    }

    #[test]
    fn nul_is_replaced_before_hashing() {
        let n = normalize(b"a\0b");
        assert_eq!(n.text, "a\u{FFFD}b");
        assert_eq!(n.diagnostics[0].code, code::NUL_BYTE);
        assert_eq!(source_sha256(&n.text), source_sha256("a\u{FFFD}b"));
    }

    #[test]
    fn hash_is_of_normalized_text() {
        let a = normalize(b"\xEF\xBB\xBF# T\r\n- [ ] x\r\n").text;
        let b = normalize(b"# T\n- [ ] x\n").text;
        assert_eq!(source_sha256(&a), source_sha256(&b));
        assert_eq!(source_sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
