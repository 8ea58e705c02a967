//! Document metadata: YAML-style front matter and `**Key**: value` lines at the top or bottom of
//! the document. Deliberately not a YAML parser: it reads the flat `key: value` and `key:` +
//! `- item` shapes checklists use, and reports lines it cannot read instead of failing.

/// One `key: value` line, with markup around the key removed; `None` for anything else.
pub fn key_value_line(line: &str) -> Option<(String, String)> {
    let line = line.trim().trim_start_matches(['-', '+', '>']).trim();
    let bold = line.starts_with("**") || line.starts_with("__");
    let (key, value) = line.split_once(':')?;
    let key = key.trim().trim_matches(|c| c == '*' || c == '_').trim();
    let value = value.trim().trim_matches(|c| c == '*' || c == '_').trim();
    let key_ok = !key.is_empty()
        && key.chars().count() <= 32
        && key.split_whitespace().count() <= 4
        && key.chars().next().is_some_and(char::is_alphabetic)
        && key.chars().all(|c| c.is_alphanumeric() || " -/._()".contains(c))
        // `Use this checklist: …` is prose; `**Owner**:`, `Version:` and `Last Updated:` are keys.
        && (bold || !key.contains(' ') || key.split_whitespace().all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase())));
    (key_ok && !value.is_empty() && !value.starts_with("//")).then(|| (key.to_string(), value.to_string()))
}

/// Front matter, parsed leniently. `malformed` holds 0-based line numbers it could not read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub entries: Vec<(String, String, usize)>,
    /// Each list's key, and its values with the byte offset of each in the front matter.
    pub lists: Vec<(String, Vec<(String, usize)>)>,
    pub malformed: Vec<usize>,
}

pub fn front_matter(text: &str) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let mut open_list: Option<(String, Vec<(String, usize)>)> = None;
    let mut line_start = 0;
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let here = line_start;
        line_start += raw.len();
        let line = raw.trim_end();
        // Where `part` (a slice of `raw`) starts in the front matter.
        let at = |part: &str| here + (part.as_ptr() as usize).saturating_sub(raw.as_ptr() as usize);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if let Some(item) = line.trim_start().strip_prefix("- ") {
            if let Some((_, items)) = open_list.as_mut() {
                items.push((unquote(item), at(item.trim_start())));
                continue;
            }
        }
        if line.starts_with([' ', '\t']) {
            continue; // nested structure we do not model
        }
        if let Some(list) = open_list.take() {
            fm.lists.push(list);
        }
        match line.split_once(':') {
            Some((key, value)) if !key.trim().is_empty() => {
                if !value.is_empty() && !value.starts_with(' ') {
                    fm.malformed.push(n);
                }
                let value = value.trim();
                if value.is_empty() {
                    open_list = Some((key.trim().to_string(), Vec::new()));
                } else if let Some(inline) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                    let items = inline
                        .split(',')
                        .map(|v| (unquote(v), at(v.trim_start())))
                        .filter(|(s, _)| !s.is_empty())
                        .collect();
                    fm.lists.push((key.trim().to_string(), items));
                } else {
                    fm.entries.push((key.trim().to_string(), unquote(value), n));
                }
            }
            _ => fm.malformed.push(n),
        }
    }
    if let Some(list) = open_list {
        fm.lists.push(list);
    }
    fm
}

fn unquote(value: &str) -> String {
    let v = value.trim();
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(v)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_lines() {
        assert_eq!(key_value_line("**Version**: 2.0.0"), Some(("Version".into(), "2.0.0".into())));
        assert_eq!(key_value_line("**Last Updated:** 2026-02-07"), Some(("Last Updated".into(), "2026-02-07".into())));
        assert_eq!(key_value_line("Use this checklist: carefully and with a long explanation"), None);
        assert_eq!(key_value_line("https://example.com"), None);
        assert_eq!(key_value_line("**iSwitch Roofs CRM - Streamlit Dashboard**"), None);
    }

    #[test]
    fn front_matter_entries_lists_and_malformed_lines() {
        let fm = front_matter(
            "title: \"Release\"\ncritical:\n  - Backups verified\n  - 'DNS switched'\ntags: [a, b]\nabout:\nname:[X]\n",
        );
        assert_eq!(fm.entries[0], ("title".into(), "Release".into(), 0));
        assert_eq!(
            fm.lists[0],
            ("critical".into(), vec![("Backups verified".to_string(), 31), ("DNS switched".to_string(), 52)])
        );
        assert_eq!(fm.lists[1].1, [("a".to_string(), 74), ("b".to_string(), 77)]);
        assert_eq!(fm.malformed, [6]);
    }
}
