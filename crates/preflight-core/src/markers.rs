//! Text mechanics of a checklist line: fill-in blanks and their labels, filled `Role: value`
//! pairs, display labels, leftover template placeholders. What words *mean* is `recognize/`'s.

use crate::mojibake;

/// Collapse runs of whitespace into one space and trim.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A label for display: mojibake repaired, markup, emoji and punctuation trimmed from both ends.
pub fn clean_label(text: &str) -> String {
    let repaired = mojibake::repair(text);
    let trimmed = repaired.trim_matches(|c: char| !(c.is_alphanumeric() || c == ')' || c == '(' || c == '%'));
    let trimmed = trimmed.trim_start_matches([')', '%']).trim_end_matches('(');
    collapse_whitespace(trimmed)
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The full-width low line (U+FF3F): Japanese and Chinese forms draw their blanks with it
/// (`氏名：＿＿＿＿`), as English ones do with `_`.
const WIDE_LINE: &str = "\u{FF3F}";

/// Three of them: the shortest wide blank.
const WIDE_BLANK: &str = "\u{FF3F}\u{FF3F}\u{FF3F}";

/// Whether `text` has a fill-in blank: three underscores in a row (ASCII or full-width). Asked
/// of every paragraph, line and item; most have no underscore at all, found with one `memchr`.
pub fn has_blank(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'_', bytes).any(|i| bytes.get(i + 1..i + 3) == Some(b"__"))
        || (memchr::memchr(WIDE_BLANK.as_bytes()[0], bytes).is_some()
            && memchr::memmem::find(bytes, WIDE_BLANK.as_bytes()).is_some())
}

/// Whether `text` starts with a fill-in blank.
pub fn is_blank(text: &str) -> bool {
    text.starts_with("___") || text.starts_with(WIDE_BLANK)
}

/// Byte ranges of fill-in blanks (runs of three or more underscores, ASCII or full-width) in
/// `text`. Asked of every item's source: most have no underscore, and `memchr` passes to the
/// next one (a byte loop over every item was about 1 % of a model build).
pub fn blanks(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'_', &bytes[i..]) {
        let start = i + found;
        let run = bytes[start..].iter().take_while(|&&b| b == b'_').count();
        if run >= 3 {
            out.push((start, start + run));
        }
        i = start + run;
    }
    // Most texts lack its lead byte (EF) and are answered by one `memchr`; the rest (EF also
    // opens the emoji variation selector) are searched for its bytes, not with a `str` searcher.
    if memchr::memchr(WIDE_BLANK.as_bytes()[0], bytes).is_none() {
        return out;
    }
    let ascii = out.len();
    let wide = WIDE_LINE.as_bytes();
    let mut i = 0;
    while let Some(found) = memchr::memmem::find(&bytes[i..], WIDE_BLANK.as_bytes()) {
        let start = i + found;
        let mut end = start;
        while bytes[end..].starts_with(wide) {
            end += wide.len();
        }
        out.push((start, end));
        i = end;
    }
    if out.len() > ascii && ascii > 0 {
        out.sort_unstable();
    }
    out
}

/// Each blank with its label: the words between the previous blank (or the start) and it.
pub fn labelled_blanks(text: &str) -> Vec<(String, usize, usize)> {
    let mut at = 0;
    blanks(text)
        .into_iter()
        .map(|(start, end)| {
            let before = &text[at..start];
            // A label is what stands right before the blank on its own line.
            let before = before.rsplit('\n').next().unwrap_or(before);
            at = end;
            (field_label(before), start, end)
        })
        .collect()
}

fn field_label(text: &str) -> String {
    let label = clean_label(text.trim_end().trim_end_matches(':'));
    // "Notes (optional): ____" keeps its words; "| Owner | ____" loses the table pipes.
    label.rsplit('|').next().map(str::trim).unwrap_or("").to_string()
}

/// Labels that may follow a filled value inside one sign-off line (`… Date: 2026-11-20`).
const SECOND_LABELS: &[&str] = &[
    "date",
    "time",
    "signature",
    "signed",
    "sign",
    "name",
    "email",
    "version",
    "approved",
    "comments",
    "notes",
    "ticket",
    "build",
    "release",
    "role",
    "meaning",
];

/// A filled sign-off line, `Role: value Date: value`, as (label, value) pairs; `None` when the
/// text is not of that shape.
pub fn filled_pairs(text: &str) -> Option<Vec<(String, String)>> {
    let (role, rest) = text.split_once(": ").or_else(|| text.strip_suffix(':').map(|r| (r, "")))?;
    let role = clean_label(role);
    if role.is_empty() || role.split_whitespace().count() > 5 {
        return None;
    }
    let mut pairs = vec![(role, String::new())];
    for token in rest.split_whitespace() {
        let lower = token.trim_end_matches(':').to_lowercase();
        if token.ends_with(':') && SECOND_LABELS.contains(&lower.as_str()) {
            pairs.push((token.trim_end_matches(':').to_string(), String::new()));
        } else if let Some(last) = pairs.last_mut() {
            if !last.1.is_empty() {
                last.1.push(' ');
            }
            last.1.push_str(token);
        }
    }
    Some(pairs)
}

/// Leftover template placeholders: `[Name]`, `[Your Name]`, `$(date)`, `YYYY-MM-DD`, `<your-…>`.
/// Runs over every item and paragraph, so it jumps between candidate bytes with `memchr`.
pub fn placeholders(text: &str) -> Vec<(usize, usize)> {
    const PATTERNS: [&str; 5] = ["$(date)", "YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY", "${DATE}"];
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Every pattern starts with `$`, `Y`, `M` or `D`; none overlaps itself, so checking each
    // candidate position finds what a search per pattern finds.
    let mut candidates = |at: usize| {
        for pattern in PATTERNS {
            if bytes[at..].starts_with(pattern.as_bytes()) {
                out.push((at, at + pattern.len()));
            }
        }
    };
    memchr::memchr3_iter(b'Y', b'M', b'D', bytes).for_each(&mut candidates);
    memchr::memchr_iter(b'$', bytes).for_each(&mut candidates);
    for (open, close) in [(b'[', b']'), (b'<', b'>')] {
        let mut i = 0;
        while let Some(skip) = memchr::memchr(open, &bytes[i..]) {
            i += skip;
            if let Some(len) = bytes[i + 1..].iter().take(40).position(|&b| b == close) {
                let inner = &text[i + 1..i + 1 + len];
                if is_placeholder_word(inner, open == b'<') {
                    out.push((i, i + len + 2));
                }
                i += len + 1;
                continue;
            }
            i += 1;
        }
    }
    out.sort_unstable();
    out
}

/// `text` contains `needle` (lower-case) once lower-cased; allocates only for non-ASCII text.
pub fn contains_lowercased(text: &str, needle: &str) -> bool {
    if text.is_ascii() {
        let n = needle.as_bytes();
        text.as_bytes().windows(n.len().max(1)).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        text.to_lowercase().contains(needle)
    }
}

fn is_placeholder_word(inner: &str, angle: bool) -> bool {
    if inner.is_empty() || inner.contains(['[', ']', '(', ')', '/', ':', '=', '"']) {
        return false;
    }
    let starts_your = inner.as_bytes().get(..4).is_some_and(|b| b.eq_ignore_ascii_case(b"your"));
    if angle {
        return starts_your || inner.to_ascii_lowercase().contains("placeholder");
    }
    // Cheap checks first: only capitalised or "your…" brackets are worth lower-casing.
    if !(starts_your || inner.chars().next().is_some_and(char::is_uppercase)) {
        return false;
    }
    const KEY: &[&str] = &[
        "name",
        "phone",
        "contact",
        "email",
        "date",
        "url",
        "your",
        "link",
        "tbd",
        "owner",
        "team",
        "company",
        "project",
        "version",
        "number",
        "slack",
        "placeholder",
    ];
    let lower = inner.to_lowercase();
    let keyworded = words(&lower).any(|w| KEY.contains(&w));
    keyworded
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`blanks`] as first written: every byte looked at in turn.
    fn blanks_by_byte(text: &str) -> Vec<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'_' {
                let start = i;
                while i < bytes.len() && bytes[i] == b'_' {
                    i += 1;
                }
                if i - start >= 3 {
                    out.push((start, i));
                }
            } else {
                i += 1;
            }
        }
        out
    }

    /// The obvious version of `placeholders`: one search per pattern, a byte loop per bracket.
    fn placeholders_reference(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for pattern in ["$(date)", "YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY", "${DATE}"] {
            out.extend(text.match_indices(pattern).map(|(i, m)| (i, i + m.len())));
        }
        let bytes = text.as_bytes();
        for (open, close) in [(b'[', b']'), (b'<', b'>')] {
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == open {
                    if let Some(len) = bytes[i + 1..].iter().take(40).position(|&b| b == close) {
                        if is_placeholder_word(&text[i + 1..i + 1 + len], open == b'<') {
                            out.push((i, i + len + 2));
                        }
                        i += len + 1;
                        continue;
                    }
                }
                i += 1;
            }
        }
        out.sort_unstable();
        out
    }

    proptest::proptest! {
        #[test]
        fn a_blank_is_found_as_a_search_finds_it(text in "[a_ _é\n]{0,16}") {
            proptest::prop_assert_eq!(has_blank(&text), text.contains("___"));
        }

        #[test]
        fn blanks_are_the_runs_a_byte_loop_finds(text in "[a_ _é\n]{0,24}") {
            proptest::prop_assert_eq!(blanks(&text), blanks_by_byte(&text));
        }

        #[test]
        fn placeholders_match_the_reference(
            text in "([\\[\\]<>$(){}]|Name|Your|DATE|date|YYYY-MM-DD|MM/DD/YYYY|DD/MM/YYYY|YM|D|-|/| |x|é|✅){0,40}"
        ) {
            proptest::prop_assert_eq!(placeholders(&text), placeholders_reference(&text));
        }

        #[test]
        fn contains_lowercased_matches_to_lowercase(text in "(Check|LIST|list|checklist|İ|K|é| ){0,8}") {
            proptest::prop_assert_eq!(
                contains_lowercased(&text, "checklist"),
                text.to_lowercase().contains("checklist")
            );
        }
    }

    #[test]
    fn blanks_and_their_labels() {
        let text = "Tech Lead: _____________________ Date: _____";
        let fields = labelled_blanks(text);
        assert_eq!(fields.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), ["Tech Lead", "Date"]);
        assert_eq!(&text[fields[1].1..fields[1].2], "_____");
        assert!(blanks("snake_case and __init__").is_empty());
        // Full-width blanks, as Japanese and Chinese forms draw them, in order with ASCII ones.
        let wide = "作業実施者：＿＿＿＿　時刻：___ 日付：＿＿";
        assert_eq!(
            labelled_blanks(wide).iter().map(|(l, s, e)| (l.as_str(), &wide[*s..*e])).collect::<Vec<_>>(),
            [("作業実施者", "＿＿＿＿"), ("時刻", "___")]
        );
        assert!(has_blank("氏名：＿＿＿") && !has_blank("氏名：＿＿") && is_blank("＿＿＿ x") && !is_blank("＿＿"));
        assert_eq!(labelled_blanks("**Approved by**: ______")[0].0, "Approved by");
    }

    #[test]
    fn filled_sign_off_pairs() {
        let pairs = filled_pairs("SRE On-call: Dana Whitfield Date: 2026-11-20").unwrap();
        assert_eq!(pairs, [("SRE On-call".into(), "Dana Whitfield".into()), ("Date".into(), "2026-11-20".into())]);
        assert!(filled_pairs("Deploy the thing").is_none());
        assert_eq!(filled_pairs("Window: 10:30 UTC").unwrap()[0].1, "10:30 UTC");
    }

    #[test]
    fn placeholder_detection() {
        let text = "Primary: [Name] - [Phone], updated $(date), see [the guide] and <your-email@x>";
        let found: Vec<&str> = placeholders(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, ["[Name]", "[Phone]", "$(date)", "<your-email@x>"]);
        assert!(placeholders("[NEEDS CLARIFICATION: x]").is_empty());
    }

    #[test]
    fn labels_lose_emoji_mojibake_and_markup() {
        assert_eq!(clean_label("‚úÖ Ready for production deployment"), "Ready for production deployment");
        assert_eq!(
            clean_label(" 🛑 Do not deploy, significant work required "),
            "Do not deploy, significant work required"
        );
        assert_eq!(clean_label("**Tech Lead**"), "Tech Lead");
    }
}
