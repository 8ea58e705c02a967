//! pulldown-cmark's events for a document, read the way GitHub reads it.
//!
//! pulldown-cmark's YAML metadata blocks are not only front matter: with the option on, a `---`
//! line anywhere a block may start, followed by text and, somewhere later, another `---` or
//! `...` line, becomes one metadata block. A checklist that separates its phases with `---`
//! above each heading lost everything between two rules that way, items included, where GitHub
//! draws a rule and renders every checkbox. So metadata is read only as front matter: the
//! block at the very start is parsed on its own with the option on, and the rest of the
//! document without it. Nothing crosses that boundary: front matter is not Markdown, and the
//! parser starts the rest at a fresh line with no block open, as a new document would.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

/// The pulldown-cmark options that match what GitHub renders.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH
}

/// Every event of `text`, with byte ranges into `text`: front matter (if the text starts with
/// it) as pulldown-cmark's metadata block, everything after it as Markdown.
pub fn events(text: &str) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    let split = front_matter_end(text).unwrap_or(0);
    let (head, rest) = text.split_at(split);
    let front = (split > 0)
        .then(|| Parser::new_ext(head, options() | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS).into_offset_iter());
    let body = Parser::new_ext(rest, options())
        .into_offset_iter()
        .map(move |(event, r)| (event, r.start + split..r.end + split));
    front.into_iter().flatten().chain(body)
}

/// Where the front matter at the start of `text` ends (after its closing line), by
/// pulldown-cmark's rule for a YAML metadata block: a first line of exactly `---` (then only
/// whitespace), a next line that is neither blank nor closing, and a closing line of exactly
/// `---` or `...` (then only spaces).
pub fn front_matter_end(text: &str) -> Option<usize> {
    let mut lines = text.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    });
    let (_, first) = lines.next()?;
    let rest = first.strip_prefix("---")?;
    if !rest.bytes().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let closes = |line: &str| {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let marks = body.strip_prefix("---").or_else(|| body.strip_prefix("..."));
        marks.is_some_and(|after| after.bytes().all(|b| b == b' '))
    };
    let blank = |line: &str| line.trim_start_matches([' ', '\t', '\x0b', '\x0c']).trim_end_matches('\n').is_empty();
    let (_, second) = lines.next()?;
    if closes(second) || blank(second) {
        return None;
    }
    lines.find(|(_, line)| closes(line)).map(|(start, line)| start + line.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{Tag, TagEnd};

    /// Where pulldown-cmark itself, with metadata blocks on, goes on after a metadata block at
    /// the start (its range stops before the closing line's newline).
    fn pulldown_front_matter_end(text: &str) -> Option<usize> {
        let mut events =
            Parser::new_ext(text, options() | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS).into_offset_iter();
        match events.next()? {
            (Event::Start(Tag::MetadataBlock(_)), r) if r.start == 0 => {
                let end = events.find(|(e, _)| matches!(e, Event::End(TagEnd::MetadataBlock(_))))?.1.end;
                Some(end + usize::from(text[end..].starts_with('\n')))
            }
            _ => None,
        }
    }

    #[test]
    fn front_matter_is_read_only_at_the_start() {
        let text = "---\ntitle: Release\n---\n# Release\n\n- [ ] a\n\n---\n## Phase 2\n- [ ] b\n\n---\n\n- [ ] c\n";
        assert_eq!(front_matter_end(text), Some(23));
        let metadata = events(text).filter(|(e, _)| matches!(e, Event::Start(Tag::MetadataBlock(_)))).count();
        assert_eq!(metadata, 1);
        let tasks: Vec<usize> =
            events(text).filter(|(e, _)| matches!(e, Event::TaskListMarker(_))).map(|(_, r)| r.start).collect();
        let expected: Vec<usize> =
            ["- [ ] a", "- [ ] b", "- [ ] c"].iter().map(|t| text.find(t).unwrap() + 2).collect();
        assert_eq!(tasks, expected, "every task, at its place in the whole text");
    }

    #[test]
    fn what_is_not_front_matter() {
        assert_eq!(front_matter_end("---\n\ntitle: x\n---\n"), None, "blank first line");
        assert_eq!(front_matter_end("---\n---\n"), None, "closed at once");
        assert_eq!(front_matter_end("----\ntitle: x\n----\n"), None, "four dashes");
        assert_eq!(front_matter_end("---\ntitle: x\n"), None, "never closed");
        assert_eq!(front_matter_end("---\ntitle: x\n...  \nrest"), Some(19));
        assert_eq!(front_matter_end("---\ntitle: x\n---"), Some(16));
        assert_eq!(front_matter_end(" ---\ntitle: x\n---\n"), None, "indented");
    }

    fn line() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "---", "--- ", "----", "...", ".. .", "---\t", "--- \x0b", "", " ", "\x0c", "title: x", "- [ ] a", "# H",
            "```", "---x", "...-",
        ])
    }

    proptest! {
        #[test]
        fn front_matter_ends_where_pulldown_cmark_ends_it(lines in prop::collection::vec(line(), 0..8), last_newline: bool) {
            let mut text = lines.join("\n");
            if last_newline {
                text.push('\n');
            }
            prop_assert_eq!(front_matter_end(&text), pulldown_front_matter_end(&text), "{:?}", text);
        }
    }
}
