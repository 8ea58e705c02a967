//! What reaches a person's terminal: document text made inert, widths measured in terminal
//! columns, and the few styles the text output uses.
//!
//! Every string that comes from a document, a state file, a report or a file name goes through
//! [`plain`] before it is printed for people, so a title cannot clear the screen, retitle the
//! window, hide text or paint a fake green GO. Styles are written as ANSI sequences here and
//! printed through `anstream`, which strips them when standard output is not a terminal or
//! `NO_COLOR` is set: the only escape sequences that can reach a terminal are our own.
//! JSON output never comes through here (serde_json escapes control characters itself).

use std::borrow::Cow;
use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const RED: Style = AnsiColor::Red.on_default().bold();
pub const GREEN: Style = AnsiColor::Green.on_default().bold();
pub const YELLOW: Style = AnsiColor::Yellow.on_default().bold();

/// `text` wrapped in `style` (and its reset). Only for text that already went through [`plain`].
pub fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// Whether a character must not reach a terminal as itself: C0 controls, DEL and C1 controls
/// (U+0080–U+009F, among them U+009B, the one-byte CSI), the bidirectional embeddings, overrides
/// and isolates (U+202A–U+202E, U+2066–U+2069, the "Trojan Source" characters), the bidi marks
/// (U+200E, U+200F, U+061C), the line and paragraph separators (U+2028, U+2029), which can
/// start a new line inside one field, and the invisible ones that make two texts look alike
/// (U+200B zero-width space, U+2060 word joiner, U+FEFF). The zero-width joiner and non-joiner
/// stay: emoji sequences (🏳️‍🌈) and Persian words need them.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
}

/// Text of many lines (a Markdown report) made inert for a terminal: as [`plain`], but line ends
/// and tabs are kept. Only for text shown on a terminal: a report written to a file or a pipe
/// keeps its bytes, as its format and its checks need them.
pub fn plain_lines(text: &str) -> Cow<'_, str> {
    inert(text, true)
}

/// Document text made inert for a terminal, as one line.
///
/// A tab becomes one space (it would break the columns); every other unsafe character (see
/// `is_unsafe`: C0 including line ends, DEL, C1, bidi controls, line and paragraph separators)
/// is written as its code point in Rust's escape form, `\u{1b}`, so it stays visible and names
/// exactly what was there, while its ESC, CSI or OSC sequence is only text. A document whose
/// title is `"\x1b[2J GO"` prints as `\u{1b}[2J GO`. Text without such characters is borrowed.
/// The form is for reading, not for decoding: a literal `\u{1b}` in a document looks the same.
pub fn plain(text: &str) -> Cow<'_, str> {
    inert(text, false)
}

/// [`plain`] (`lines`: false) or [`plain_lines`]: each unsafe character written as its code
/// point; a line end kept with `lines`, a tab kept with `lines` and a space without.
fn inert(text: &str, lines: bool) -> Cow<'_, str> {
    let kept = |c: char| lines && (c == '\n' || c == '\t');
    if !text.chars().any(|c| !kept(c) && (c == '\t' || is_unsafe(c))) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if kept(c) {
            out.push(c);
        } else if c == '\t' {
            out.push(' ');
        } else if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Terminal columns `text` takes (wide CJK and emoji count 2), for text that went through
/// [`plain`].
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to at most `columns` terminal columns, with `…` where it was cut.
pub fn truncate(text: &str, columns: usize) -> Cow<'_, str> {
    if width(text) <= columns {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// `text` followed by spaces up to `columns` terminal columns.
pub fn pad(text: &str, columns: usize) -> String {
    let mut out = text.to_string();
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(width(text))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_lines_keep_their_line_ends_and_lose_their_escapes() {
        let report = "# Run \x1b]0;owned\x07\n- [x] Tag — by \x1b[31mana\u{202e}\n\tindented\r\n";
        assert_eq!(
            plain_lines(report),
            "# Run \\u{1b}]0;owned\\u{7}\n- [x] Tag — by \\u{1b}[31mana\\u{202e}\n\tindented\\u{d}\n"
        );
        assert!(matches!(plain_lines("# Plain\n\n- [ ] a\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible_text() {
        let spoof = "\x1b[2J\x1b]0;pwned\x07\x1b[32m GO";
        assert_eq!(plain(spoof), "\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{1b}[32m GO");
        assert_eq!(plain("a\u{9b}31mb\u{85}c\u{7f}"), "a\\u{9b}31mb\\u{85}c\\u{7f}");
        assert_eq!(plain("tab\there\nnext\r"), "tab here\\u{a}next\\u{d}");
    }

    #[test]
    fn bidi_controls_are_escaped_and_ordinary_text_is_borrowed() {
        assert_eq!(plain("abc\u{202e}def\u{2066}x\u{2069}"), "abc\\u{202e}def\\u{2066}x\\u{2069}");
        assert_eq!(plain("a\u{2028}b"), "a\\u{2028}b");
        // Invisible characters that make two items look alike, and bidi marks, are shown.
        assert_eq!(plain("Dep\u{200b}loy\u{feff}\u{200f}"), "Dep\\u{200b}loy\\u{feff}\\u{200f}");
        for text in ["Production — 本番 ✅ 🚀", "שלום עולם", "مرحبا", "Zürich", "🏳️\u{200d}🌈", "می\u{200c}خواهم"]
        {
            assert!(matches!(plain(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn widths_count_terminal_columns() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("本番"), 4);
        assert_eq!(width("🚀 Go"), 5);
        assert_eq!(pad("本番", 6), "本番  ");
        assert_eq!(truncate("本番環境の確認", 7), "本番環…");
        assert!(width(&truncate("本番環境の確認", 7)) <= 7);
        assert_eq!(truncate("short", 7), "short");
    }
}
