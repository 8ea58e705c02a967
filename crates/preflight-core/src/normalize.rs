//! Bytes in, normalized text out. Owns the one definition of "the text" that everything else
//! (parsing, spans, the source hash) is computed from: UTF-8, no BOM, LF line ends, no NUL.
//! It never rejects input: invalid UTF-8 is decoded lossily and reported, not refused. UTF-16
//! with a byte-order mark (what Windows PowerShell 5's `>` and Notepad's "Unicode" write) is
//! decoded to the same text, and so the same source hash, as the UTF-8 file.

use sha2::{Digest, Sha256};

use crate::diagnostic::{code, Diagnostic, Severity};
use crate::span::Span;

/// The normalized source plus what normalization had to change.
pub struct Normalized {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Normalized {
    /// The first place where bytes were replaced (not UTF-8, a NUL, broken UTF-16), with its
    /// line and column: what a reader that must keep every byte (a file to rewrite, a run's
    /// notes and evidence) refuses rather than read.
    pub fn first_loss(&self) -> Option<Diagnostic> {
        let d = self
            .diagnostics
            .iter()
            .find(|d| [code::INVALID_UTF8, code::NUL_BYTE, code::INVALID_UTF16].contains(&d.code.as_ref()))?;
        let mut d = d.clone();
        crate::span::LineIndex::new(&self.text).locate(&mut d.span);
        Some(d)
    }
}

/// Whether bytes look like a binary file rather than text: NUL bytes in the first 8 KiB, other
/// than those of UTF-16 (which a byte-order mark announces, and `normalize` decodes).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    !matches!(head, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) && memchr::memchr_iter(0, head).nth(8).is_some()
}

/// [`normalize`] of bytes the caller gives up: the common case (valid UTF-8, no BOM, CR or
/// NUL) keeps the buffer as the text instead of copying it.
pub fn normalize_owned(bytes: Vec<u8>) -> Normalized {
    if bytes.starts_with(b"\xEF\xBB\xBF") || memchr::memchr2(b'\r', 0, &bytes).is_some() {
        return normalize(&bytes);
    }
    // Invalid UTF-8 (also UTF-16, whose byte-order marks never are UTF-8): the full path.
    match String::from_utf8(bytes) {
        Ok(text) => Normalized { text, diagnostics: Vec::new() },
        Err(e) => normalize(e.as_bytes()),
    }
}

/// Decode and normalize raw bytes: strict UTF-8 where possible, U+FFFD for invalid sequences
/// and NUL, BOM stripped, CRLF and lone CR turned into LF.
pub fn normalize(bytes: &[u8]) -> Normalized {
    if let Some(decoded) = utf16(bytes) {
        return decoded;
    }
    // Every leading BOM: a file saved twice by a BOM-adding editor has two, and normalizing
    // must be idempotent (a report embeds normalized text and is normalized again on reading).
    let mut bytes = bytes;
    while let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        bytes = rest;
    }
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
        diagnostics.push(replaced(
            Severity::Error,
            code::INVALID_UTF8,
            format!(
                "the file is not valid UTF-8: {invalid_count} byte{} replaced with U+FFFD, the first is 0x{byte:02X}",
                plural(invalid_count)
            ),
            at,
        ));
    }
    if let Some(at) = first_nul {
        // A third or more of the bytes NUL: text in UTF-16 or UTF-32 without its byte-order mark
        // (or UTF-32 read as UTF-16), every character split by NULs and nothing readable. Not
        // decoded on a guess, but said as the error it is, not as a few stray NULs.
        let wide = bytes.len() >= 8 && nul_count * 3 >= bytes.len();
        let (severity, message) = if wide {
            (
                Severity::Error,
                format!(
                    "{nul_count} of the file's {} bytes are NUL: it seems to be UTF-16 or UTF-32 without a byte-order mark (or UTF-32 with one); save it as UTF-8",
                    bytes.len()
                ),
            )
        } else {
            (Severity::Warning, format!("{nul_count} NUL byte{} replaced with U+FFFD", plural(nul_count)))
        };
        diagnostics.push(replaced(severity, code::NUL_BYTE, message, at));
    }
    Normalized { text, diagnostics }
}

/// A diagnostic about input replaced with U+FFFD, pointing at the first replacement (at `at`).
fn replaced(severity: Severity, code: &str, message: String, at: usize) -> Diagnostic {
    Diagnostic::new(severity, code, message, Span::new(at, at + '\u{FFFD}'.len_utf8()))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A file that starts with a UTF-16 byte-order mark, decoded and then normalized like any text;
/// an info diagnostic says so (exports are UTF-8), an error counts what could not be decoded
/// (unpaired surrogates, an odd last byte). `None` for anything else: without a mark, UTF-16 is
/// a guess, and a wrong guess would turn a readable file into noise.
fn utf16(bytes: &[u8]) -> Option<Normalized> {
    let (little, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(body.len());
    let mut first_bad: Option<usize> = None;
    let mut bad = 0usize;
    let mut replace = |text: &mut String| {
        first_bad.get_or_insert(text.len());
        bad += 1;
        text.push('\u{FFFD}');
    };
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => replace(&mut text),
        }
    }
    if body.len() % 2 == 1 {
        replace(&mut text);
    }
    // Decoded text is valid UTF-8 and cannot start with another UTF-16 mark: this recursion
    // is one level deep.
    let mut normalized = normalize(text.as_bytes());
    let name = if little { "UTF-16LE" } else { "UTF-16BE" };
    normalized.diagnostics.insert(
        0,
        Diagnostic::new(
            Severity::Info,
            code::UTF16,
            format!("the file is {name} (it starts with a byte-order mark): read as that; exports are UTF-8"),
            Span::new(0, 0),
        ),
    );
    if let Some(at) = first_bad {
        // `at` is before line ends and NULs were normalized: where the text before it ends now.
        let at = normalize(&text.as_bytes()[..at]).text.len();
        normalized.diagnostics.insert(
            1,
            replaced(
                Severity::Error,
                code::INVALID_UTF16,
                format!("the file is not valid {name}: {bad} code unit{} replaced with U+FFFD", plural(bad)),
                at,
            ),
        );
    }
    Some(normalized)
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
    #[test]
    fn binary_is_told_from_text_in_any_of_its_encodings() {
        assert!(super::looks_binary(&[0u8; 100]));
        assert!(super::looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0"));
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("# Deploy\n- [ ] a\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert!(!super::looks_binary(&utf16));
        assert!(!super::looks_binary("# Deploy\n- [ ] a\0\n".as_bytes()), "a stray NUL is text");
    }

    use super::*;

    #[test]
    fn normalizing_twice_changes_nothing() {
        for bytes in [&b"\xEF\xBB\xBF\xEF\xBB\xBFx"[..], b"a\r\r\nb\0", b"\xff\xfe", b"\xEF\xBB\xBF\r\n- [ ] x"] {
            let once = normalize(bytes).text;
            assert_eq!(normalize(once.as_bytes()).text, once, "{bytes:?}");
        }
    }

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
    fn text_in_a_wide_encoding_without_its_mark_is_an_error() {
        let utf16le: Vec<u8> = "# Deploy\n- [ ] a\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut utf32le = vec![0xFF, 0xFE, 0, 0];
        utf32le.extend("# Deploy\n- [ ] a\n".chars().flat_map(|c| (c as u32).to_le_bytes()));
        for bytes in [utf16le, utf32le] {
            let n = normalize(&bytes);
            let d = n.diagnostics.iter().find(|d| d.code == code::NUL_BYTE).expect("said");
            assert_eq!(d.severity, Severity::Error);
            assert!(d.message.contains("without a byte-order mark"), "{}", d.message);
        }
        // A stray NUL stays a warning.
        assert_eq!(normalize(b"# Deploy\n- [ ] a\0\n").diagnostics[0].severity, Severity::Warning);
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

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        let mut out = if little { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for unit in text.encode_utf16() {
            out.extend(if little { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        out
    }

    #[test]
    fn utf16_with_a_byte_order_mark_reads_as_the_same_text_and_hash() {
        let source = "# Release ✅\r\n\r\n- [ ] Tag the build 🚀\r\n- [x] Notify #ops\r\n";
        let plain = normalize(source.as_bytes());
        for little in [true, false] {
            let n = normalize(&utf16(source, little));
            assert_eq!(n.text, plain.text);
            assert_eq!(source_sha256(&n.text), source_sha256(&plain.text));
            assert_eq!(n.diagnostics.len(), 1, "{:?}", n.diagnostics);
            assert_eq!(n.diagnostics[0].code, code::UTF16);
            assert_eq!(n.diagnostics[0].severity, Severity::Info);
            let name = if little { "UTF-16LE" } else { "UTF-16BE" };
            assert!(n.diagnostics[0].message.contains(name), "{}", n.diagnostics[0].message);
        }
    }

    #[test]
    fn broken_utf16_is_replaced_and_reported_where_it_is() {
        // "a\r\nb" then an unpaired high surrogate, "c", and an odd last byte.
        let mut bytes = utf16("a\r\nb", true);
        bytes.extend([0x00, 0xD8]);
        bytes.extend(utf16("c", true).split_off(2));
        bytes.push(0x41);
        let n = normalize(&bytes);
        assert_eq!(n.text, "a\nb\u{FFFD}c\u{FFFD}");
        let bad = n.diagnostics.iter().find(|d| d.code == code::INVALID_UTF16).expect("reported");
        assert_eq!(bad.severity, Severity::Error);
        assert_eq!(bad.span.start, 3, "after `a`, LF, `b` of the normalized text");
        assert!(bad.message.contains("2 code units"), "{}", bad.message);
    }

    #[test]
    fn a_mark_alone_or_a_lone_ff_is_not_mistaken() {
        assert_eq!(normalize(b"\xFF\xFE").text, "");
        // Latin-1 text starting with `ÿ` (0xFF) followed by a non-0xFE byte stays a UTF-8 error.
        let n = normalize(b"\xFFabc");
        assert_eq!(n.diagnostics[0].code, code::INVALID_UTF8);
    }
}
