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

/// Parse one band line in any of its written forms: `90-100%: Ready`, `**<70%**: Do not
/// deploy`, `≥ 95 %`, `80% to 89%`, a tier written label first (`GO ≥ 90`, `GO WITH RISK:
/// 80–89%`, `NO-GO < 80`), or points out of a total (`34–40 of 40: launch ready`, converted to
/// percent).
pub fn band_line(text: &str) -> Option<BandLine> {
    percent_band(text).or_else(|| points_band(text)).or_else(|| tier_band(text))
}

/// Several bands on one line: `GO ≥ 90 / GO WITH RISK 80–89 / NO-GO < 80`.
pub fn band_lines(text: &str) -> Vec<BandLine> {
    // Every band form reads an ASCII number (`Cursor::number`, a points total), and this runs
    // on every item and paragraph line: most have no digit, and cost only this scan.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let pieces: Vec<&str> = parts(text).collect();
    if pieces.len() > 1 {
        let found: Vec<BandLine> = pieces.iter().filter_map(|p| band_line(p)).collect();
        if found.len() > 1 {
            return found;
        }
    }
    band_line(text).into_iter().collect()
}

/// The pieces of a line that may each be a band: cut at `;`, `|`, ` / ` and ` · `.
fn parts(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '|']).flat_map(|p| p.split(" / ")).flat_map(|p| p.split(" · "))
}

/// Tier words: a band named GO, NO-GO, GO WITH RISK, READY, … (the label comes first and the
/// number may come without `%`).
fn tier_band(text: &str) -> Option<BandLine> {
    // ASCII case only: the tier words are ASCII, and the offsets found here cut `text`, which a
    // Unicode lower-casing could lengthen or shorten (`İ` becomes three bytes).
    let lower = text.to_ascii_lowercase();
    let trimmed = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    const TIERS: &[&str] = &[
        "no-go",
        "no go",
        "nogo",
        "go with risk",
        "go with risks",
        "conditional go",
        "go",
        "ready",
        "not ready",
        "launch",
        "ship",
    ];
    let tier = TIERS
        .iter()
        .find(|t| trimmed.starts_with(**t) && !trimmed[t.len()..].starts_with(|c: char| c.is_alphabetic()))?;
    let label_end = text.len() - trimmed.len() + tier.len();
    // The rest of the label runs to the comparison or the number.
    let rest = &text[label_end..];
    let cut = rest.find(|c: char| c.is_ascii_digit() || "<>≥≤=:(".contains(c)).unwrap_or(rest.len());
    let label = clean_label(&format!("{}{}", &text[..label_end], &rest[..cut]));
    let mut range = rest[cut..].trim_start_matches([':', '(', '=', ' ']).to_string();
    if !range.contains('%') {
        // `GO ≥ 90`: a tier's number is a percentage.
        let end = range
            .find(|c: char| !(c.is_ascii_digit() || " <>≥≤=-–—.".contains(c) || c == 't' || c == 'o'))
            .unwrap_or(range.len());
        range.insert(end, '%');
    }
    let mut line = percent_band(&range)?;
    if line.label.is_empty() {
        line.label = label;
    }
    Some(line)
}

/// `34–40 of 40: launch ready`, `28-33/40 points: almost`, `< 28 / 40: not ready`.
fn points_band(text: &str) -> Option<BandLine> {
    // ASCII case only, as in `tier_band`: offsets found in `lower` cut `text`.
    let lower = text.to_ascii_lowercase();
    let (head, total, tail) = ["out of", " of ", "/"].iter().find_map(|sep| {
        let i = lower.find(sep)?;
        let after = lower[i + sep.len()..].trim_start();
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let total: u32 = after.get(..digits)?.parse().ok()?;
        let tail_start = lower.len() - after.len() + digits;
        Some((&text[..i], total, &text[tail_start..]))
    })?;
    if total == 0 || total > 1000 || head.contains('%') {
        return None;
    }
    let mut cur = Cursor { rest: head.trim_start_matches(|c: char| !(c.is_ascii_digit() || "<>≥≤".contains(c))) };
    let below = ["<=", "≤", "<"].into_iter().any(|t| cur.eat(t));
    let above = !below && [">=", "≥", ">"].into_iter().any(|t| cur.eat(t));
    let digits = cur.rest.trim_start().bytes().take_while(u8::is_ascii_digit).count();
    let a: u32 = cur.rest.trim_start().get(..digits)?.parse().ok()?;
    cur.rest = &cur.rest.trim_start()[digits..];
    let b: Option<u32> = if ["-", "–", "—", "to"].into_iter().any(|t| cur.eat(t)) {
        let r = cur.rest.trim_start();
        let d = r.bytes().take_while(u8::is_ascii_digit).count();
        r.get(..d).and_then(|n| n.parse().ok())
    } else {
        None
    };
    if !cur.rest.trim().is_empty() && b.is_none() {
        return None;
    }
    let pct = |n: u32| (n.min(total) * 100) / total;
    let tail = tail.trim_start().trim_start_matches(|c: char| c.is_alphabetic() && c.is_ascii()).trim_start();
    if !(tail.is_empty() || tail.starts_with(|c: char| ":-–—=→|)".contains(c))) {
        return None;
    }
    let label = clean_label(tail.trim_start_matches(|c: char| c.is_whitespace() || ":-–—=→|)".contains(c)));
    let (min, max) = match (below, above, b) {
        (true, _, _) => (0, Some(pct(a.saturating_sub(1)))),
        (_, true, _) => (pct(a), None),
        (_, _, Some(b)) => (pct(a.min(b)), Some(pct(a.max(b)))),
        _ => return None,
    };
    Some(BandLine { min, max, label, at: 0 })
}

/// A rule that is not one percentage: "all blocking items and ≥ 80 % of the recommended ones".
/// Returns the share the rest must reach.
pub fn rule(text: &str) -> Option<u32> {
    let folded = crate::recognize::fold::fold(text);
    let all = [
        "all",
        "every",
        "todos",
        "todas",
        "tous",
        "toutes",
        "alle",
        "tutti",
        "tutte",
        "все",
        "всех",
        "所有",
        "全部",
        "すべて",
        "全て",
    ]
    .iter()
    .any(|w| crate::recognize::fold::find(&folded, w).is_some());
    let blocking = crate::recognize::vocabulary::CRITICAL.find(&folded).is_some()
        || crate::recognize::fold::find(&folded, "required").is_some();
    if !(all && blocking) {
        return None;
    }
    let at = folded.find('%')?;
    let digits: String = folded[..at]
        .trim_end()
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let n: u32 = digits.parse().ok()?;
    (1..=100).contains(&n).then_some(n)
}

fn percent_band(text: &str) -> Option<BandLine> {
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
        // "0/13 complete" is one part's progress, not the whole checklist's size.
        let progress =
            before.ends_with('/') && before[..before.len() - 1].trim_end().ends_with(|c: char| c.is_ascii_digit());
        let out_of = !progress
            && (before.ends_with('/') || before.ends_with("out of"))
            && (countable(after) || after.starts_with("total"));
        let labelled = [
            "total items:",
            "total tasks:",
            "total checks:",
            "total items",
            "items total:",
            "total de itens:",
            "total de items:",
            "total de tarefas:",
            "total de tareas:",
            "gesamtzahl:",
            "insgesamt",
        ]
        .iter()
        .any(|l| before.ends_with(l));
        let in_total = countable(after)
            && ["in total", "total", "no total", "en total", "au total", "insgesamt"]
                .iter()
                .any(|t| after.trim_start_matches(|c: char| c.is_alphabetic()).trim_start().starts_with(t));
        let cjk = (before.ends_with('共')
            || before.ends_with("总计")
            || before.ends_with("合计")
            || before.ends_with('全')
            || before.ends_with("合計"))
            && ["项", "個", "个", "項目", "条"].iter().any(|u| after.starts_with(u));
        if total_after || after_items_total || out_of || labelled || in_total || cjk {
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

    proptest::proptest! {
        /// The digit test in `band_lines` only skips lines no band form could read.
        #[test]
        fn a_line_without_digits_has_no_band(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "GO", "NO-GO", "go with risk", "ready", "Ready", "%", " ", ":", "-", "–", "/", " / ", ";", "|", "·", " · ",
                "<", ">", "≥", "≤", "=", "below", "at least", "of", "out of", "to", "points", "✅", "**", "_", "(", ")",
                "ninety", "٩٠", "９０", "Ⅸ", "½", "x", "+", "and above",
            ]), 0..12),
        ) {
            let text: String = pieces.concat();
            proptest::prop_assert!(!text.bytes().any(|b| b.is_ascii_digit()));
            // What every form would read, asked directly (band_line) and part by part.
            proptest::prop_assert_eq!(band_line(&text), None);
            for part in parts(&text) {
                proptest::prop_assert_eq!(band_line(part), None);
            }
        }
    }

    /// Letters whose lower case is longer or shorter in bytes (`İ` → `i̇`, `Ⱥ` → `ⱥ`) before a
    /// band's words once moved the offsets that cut the line: a panic on arbitrary bytes.
    #[test]
    fn letters_that_change_length_when_lowered_cut_nothing_apart() {
        let lines =
            ["34–40 of 40: launch ready", "< 28 / 40: not ready", "GO ≥ 90", "NO-GO < 80", "GO WITH RISK: 80–89%"];
        for lead in ["İİİ ", "ȺȺ ", "ẞ "] {
            for line in lines {
                // Read as the same line with a plain word in front, before and after the band.
                let plain = |at_end: bool| if at_end { format!("{line} x") } else { format!("x {line}") };
                assert_eq!(band_line(&format!("{lead}{line}")), band_line(&plain(false)), "{lead}{line}");
                assert_eq!(
                    band_line(&format!("{line} {lead}")).map(|l| (l.min, l.max)),
                    band_line(&plain(true)).map(|l| (l.min, l.max)),
                    "{line} {lead}"
                );
            }
        }
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
    fn tiers_points_and_rules() {
        assert_eq!(band_line("GO ≥ 90").map(|l| (l.min, l.label)), Some((90, "GO".into())));
        assert_eq!(band_line("**GO WITH RISK**: 80–89%").map(|l| (l.min, l.label)), Some((80, "GO WITH RISK".into())));
        assert_eq!(band_line("NO-GO < 80").map(|l| (l.min, l.max, l.label)), Some((0, Some(79), "NO-GO".into())));
        let one_line = band_lines("GO ≥ 90 / GO WITH RISK 80–89 / NO-GO < 80");
        assert_eq!(one_line.iter().map(|l| l.min).collect::<Vec<_>>(), [90, 80, 0]);
        assert_eq!(band_line("34–40 of 40: launch ready").map(|l| (l.min, l.label)), Some((85, "launch ready".into())));
        assert_eq!(band_line("28-33/40 points: almost there").map(|l| l.min), Some(70));
        assert_eq!(band_line("< 28 / 40: not ready").map(|l| (l.min, l.max)), Some((0, Some(67))));
        assert_eq!(band_line("Go to the dashboard"), None);
        assert_eq!(band_line("Step 3 of 10: deploy"), None);
        assert_eq!(rule("All blocking items and ≥ 80 % of the recommended ones"), Some(80));
        assert_eq!(rule("Todos os itens bloqueantes e pelo menos 80% dos recomendados"), Some(80));
        assert_eq!(rule("Alle blockierenden Punkte und mindestens 75 % der übrigen"), Some(75));
        assert_eq!(rule("80% of the items"), None);
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
        assert_eq!(declared_total("Total Items: 280").map(|t| t.0), Some(280));
        assert_eq!(declared_total("42 items in total").map(|t| t.0), Some(42));
        assert_eq!(declared_total("共 40 项检查").map(|t| t.0), Some(40));
        assert_eq!(declared_total("Sprint 18 Progress: 0/13 complete"), None);
        assert_eq!(declared_total("Sprint 18 Progress: 0/13 tasks complete"), None);
        assert_eq!(declared_total("Version 2.0.0"), None);
    }
}
