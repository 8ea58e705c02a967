//! A readiness rubric written in the document ("90-100%: ✅ Ready", "<70%: 🛑 Do not deploy", in a
//! list, paragraph lines or a table) and a declared item total ("/ 75 total items"). One line
//! mentioning a percentage is not a rubric: it takes two or more band lines in the same block.

use crate::markers::clean_label;
use crate::model::Band;

/// One line of a rubric: the range it covers and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandLine {
    pub min: u32,
    pub max: Option<u32>,
    pub label: String,
    /// Byte offset of the line in the document (set by the caller).
    pub at: usize,
}

/// The defaults when the document has no rubric of its own.
pub fn default_bands() -> Vec<Band> {
    [(90, "Ready"), (80, "Nearly ready"), (70, "Not ready"), (0, "Do not deploy")]
        .into_iter()
        .map(|(min, label)| Band { min, label: label.to_string() })
        .collect()
}

struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn skip_ws(&mut self) {
        self.rest = self.rest.trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
    }
    fn eat(&mut self, token: &str) -> bool {
        self.skip_ws();
        if self.rest.as_bytes().get(..token.len()).is_some_and(|b| b.eq_ignore_ascii_case(token.as_bytes())) {
            self.rest = &self.rest[token.len()..];
            true
        } else {
            false
        }
    }
    fn number(&mut self) -> Option<u32> {
        self.skip_ws();
        let digits = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 3 {
            return None;
        }
        let value: u32 = self.rest[..digits].parse().ok()?;
        self.rest = &self.rest[digits..];
        // Decimals ("89.9%") belong to the number's band.
        if let Some(after) = self.rest.strip_prefix('.') {
            let frac = after.bytes().take_while(u8::is_ascii_digit).count();
            if frac > 0 {
                self.rest = &after[frac..];
            }
        }
        (value <= 100).then_some(value)
    }
}

/// Parse one band line: `90-100%: Ready`, `**<70%**: Do not deploy`, `≥ 95 %`, `80% to 89%`.
pub fn band_line(text: &str) -> Option<BandLine> {
    // Every band names a percentage; most lines of a document do not.
    if !text.contains('%') {
        return None;
    }
    let start = text.find(|c: char| c.is_ascii_digit() || "<>≥≤".contains(c) || c.is_alphabetic())?;
    let mut cur = Cursor { rest: &text[start..] };
    let below = ["<=", "≤", "<", "below", "under", "less than"].into_iter().any(|t| cur.eat(t));
    let above = !below && [">=", "≥", ">", "above", "over", "at least"].into_iter().any(|t| cur.eat(t));
    let a = cur.number()?;
    let mut percent = cur.eat("%");
    let mut b = None;
    if ["-", "–", "—", "to"].into_iter().any(|t| cur.eat(t)) {
        b = Some(cur.number()?);
        percent |= cur.eat("%");
    }
    let plus = cur.eat("+") || cur.eat("and above") || cur.eat("or more") || cur.eat("or higher") || cur.eat("and up");
    percent |= cur.eat("%");
    if !percent {
        return None;
    }
    let (min, max) = match (below, above || plus, b) {
        (true, _, _) => (0, Some(a.saturating_sub(1))),
        (false, true, _) => (a, None),
        (false, false, Some(b)) => (a.min(b), Some(a.max(b))),
        (false, false, None) => (a, None),
    };
    // "90-100%: Ready" has a separator; "99.9% uptime" is a statement, not a band. A label in
    // the next table cell (empty rest) is the caller's to fill.
    let rest = cur.rest.trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
    if !(rest.is_empty() || rest.starts_with(|c: char| ":-–—=→|)".contains(c))) {
        return None;
    }
    let label = clean_label(rest.trim_start_matches(|c: char| c.is_whitespace() || "*_):-–—=→|".contains(c)));
    Some(BandLine { min, max, label, at: 0 })
}

/// Bands from the band lines of one block, highest first, the last starting at 0.
pub fn bands(lines: &[BandLine]) -> Option<Vec<Band>> {
    let mut lines: Vec<&BandLine> = lines.iter().filter(|l| !l.label.is_empty()).collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.min));
    lines.dedup_by_key(|l| l.min);
    if lines.len() < 2 {
        return None;
    }
    let mut bands: Vec<Band> = lines.iter().map(|l| Band { min: l.min, label: l.label.clone() }).collect();
    if let Some(last) = bands.last() {
        if last.min > 0 {
            let label = format!("Below {}%", last.min);
            bands.push(Band { min: 0, label });
        }
    }
    Some(bands)
}

/// Ranges not covered between consecutive band lines, e.g. 70–79 missing between 80 and 60.
pub fn gaps(lines: &[BandLine]) -> Vec<(u32, u32, usize)> {
    let mut sorted: Vec<&BandLine> = lines.iter().collect();
    sorted.sort_by_key(|l| std::cmp::Reverse(l.min));
    sorted
        .windows(2)
        .filter_map(|w| {
            let upper_min = w[0].min;
            let lower_max = w[1].max?;
            (lower_max + 1 < upper_min).then(|| (lower_max + 1, upper_min - 1, w[1].at))
        })
        .collect()
}

/// A declared number of items: `/ 75 total items`, `75 total items`, `out of 40 tasks`.
/// Returns the count and the byte offset of the number.
pub fn declared_total(text: &str) -> Option<(u32, usize)> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let lower = text.to_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let end = i + bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let before = lower[..i].trim_end();
        let after = lower[end..].trim_start();
        let countable = |s: &str| ["item", "task", "check"].iter().any(|w| s.starts_with(w));
        let total_after = after.strip_prefix("total").map(str::trim_start).is_some_and(countable);
        let after_items_total = countable(after) && {
            let rest = after.trim_start_matches(|c: char| c.is_alphabetic());
            rest.trim_start().starts_with("total")
        };
        let out_of =
            (before.ends_with('/') || before.ends_with("out of")) && (countable(after) || after.starts_with("total"));
        if total_after || after_items_total || out_of {
            if let Ok(n) = lower[i..end].parse() {
                return Some((n, i));
            }
        }
        i = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(min: u32, max: Option<u32>, label: &str) -> BandLine {
        BandLine { min, max, label: label.into(), at: 0 }
    }

    #[test]
    fn band_lines_in_their_usual_spellings() {
        assert_eq!(
            band_line("**90-100%**: ✅ Ready for production"),
            Some(line(90, Some(100), "Ready for production"))
        );
        assert_eq!(band_line("80–89% – Nearly ready"), Some(line(80, Some(89), "Nearly ready")));
        assert_eq!(band_line("**<70%**: 🛑 Do not deploy"), Some(line(0, Some(69), "Do not deploy")));
        assert_eq!(band_line("≥ 95%: Go"), Some(line(95, None, "Go")));
        assert_eq!(band_line("70% to 79%: Not ready"), Some(line(70, Some(79), "Not ready")));
        assert_eq!(band_line("Below 50%: Stop"), Some(line(0, Some(49), "Stop")));
        assert_eq!(band_line("95%+ = Ship it"), Some(line(95, None, "Ship it")));
        assert_eq!(band_line("1. Level 1: Check logs"), None);
        assert_eq!(band_line("✅ 99.9% uptime"), None);
        assert_eq!(band_line("✅ < 1% data quality issues"), None);
        assert_eq!(band_line("Code coverage meets minimum threshold (>80%)").map(|l| l.min), None);
    }

    #[test]
    fn bands_are_sorted_and_end_at_zero() {
        let lines = [
            line(90, Some(100), "Ready"),
            line(0, Some(69), "Stop"),
            line(80, Some(89), "Nearly"),
            line(70, Some(79), "Not"),
        ];
        let bands = bands(&lines).unwrap();
        assert_eq!(bands.iter().map(|b| b.min).collect::<Vec<_>>(), [90, 80, 70, 0]);
        assert!(gaps(&lines).is_empty());
        let two = bands_of(&[line(90, Some(100), "Ready"), line(60, Some(69), "Meh")]);
        assert_eq!(two.last().unwrap().min, 0);
        assert_eq!(gaps(&[line(90, Some(100), "R"), line(60, Some(69), "M")]), [(70, 89, 0)]);
    }

    fn bands_of(lines: &[BandLine]) -> Vec<Band> {
        bands(lines).unwrap()
    }

    /// Found by `markdown_token_soup_never_panics`: `then_some` evaluated `0 - 1` eagerly.
    #[test]
    fn regression_two_bands_starting_at_zero() {
        let lines = [line(0, Some(69), "stop"), line(0, Some(69), "stop")];
        assert!(gaps(&lines).is_empty());
        assert!(bands(&lines).is_none());
    }

    #[test]
    fn a_single_percentage_is_not_a_rubric() {
        assert!(bands(&[line(80, None, "coverage")]).is_none());
    }

    #[test]
    fn declared_totals() {
        assert_eq!(declared_total("(total items completed / 75 total items × 100)").map(|t| t.0), Some(75));
        assert_eq!(declared_total("Score: done / 40 items").map(|t| t.0), Some(40));
        assert_eq!(declared_total("out of 12 tasks").map(|t| t.0), Some(12));
        assert_eq!(declared_total("All 18 tests passing"), None);
        assert_eq!(declared_total("Version 2.0.0"), None);
    }
}
