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
    /// The first of `tokens` that is there (ASCII case aside), taken: the space, `*` and `_`
    /// before them skipped once, each compared in place (bound words in ten languages are
    /// asked of every band).
    fn eat_any(&mut self, tokens: &[&str]) -> bool {
        self.skip_ws();
        let rest = self.rest.as_bytes();
        match tokens.iter().find(|t| rest.get(..t.len()).is_some_and(|b| b.eq_ignore_ascii_case(t.as_bytes()))) {
            Some(t) => {
                self.rest = &self.rest[t.len()..];
                true
            }
            None => false,
        }
    }
    /// A band's unit: a percent sign (ASCII or full-width), or Korean and Japanese points
    /// (`90점 이상`, `90点以上`: marks out of 100).
    fn unit(&mut self) -> bool {
        self.eat_any(&UNITS)
    }
    /// A case suffix written after a number with an apostrophe (Turkish `%80'in altı`).
    fn suffix(&mut self) {
        if let Some(after) = self.rest.strip_prefix(['\'', '’']) {
            let letters = after.len() - after.trim_start_matches(char::is_alphabetic).len();
            if letters > 0 {
                self.rest = &after[letters..];
            }
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
    // "of" in the languages the vocabulary reads ("36–40 de 40", "32 из 40"); ASCII-lowered
    // text keeps every offset of `text`.
    const OF: [&str; 9] = ["out of", " of ", "/", " de ", " sur ", " von ", " su ", " van ", " из "];
    let (head, total, tail) = OF.iter().find_map(|sep| {
        let i = memchr::memmem::find(lower.as_bytes(), sep.as_bytes())?;
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
    let below = cur.eat_any(&["<=", "≤", "<"]);
    let above = !below && cur.eat_any(&[">=", "≥", ">"]);
    let digits = cur.rest.trim_start().bytes().take_while(u8::is_ascii_digit).count();
    let a: u32 = cur.rest.trim_start().get(..digits)?.parse().ok()?;
    cur.rest = &cur.rest.trim_start()[digits..];
    let b: Option<u32> = if cur.eat_any(&["-", "–", "—", "to"]) {
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
    // The unit after the total ("points", "itens", "баллов") is not the label.
    let markup = |c: char| c.is_whitespace() || c == '*' || c == '_';
    let tail = tail.trim_start_matches(markup).trim_start_matches(char::is_alphabetic).trim_start_matches(markup);
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

/// A band counted in items, with neither a percent sign nor a total of its own: "36–40 itens:
/// pronto", "Menos de 30: não fazer o deploy". It means something only beside the document's
/// declared total ([`count_bands`]); alone, "1–2 days: hotfix" would read the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountBand {
    pub min: u32,
    /// The highest count (inclusive); `None` when open ("36+ items").
    pub max: Option<u32>,
    /// Whether it names what it counts ("itens", "items", "задач").
    pub counted: bool,
    pub label: String,
    /// Byte offset of the line in the document (set by the caller).
    pub at: usize,
}

/// The highest score a list of bands can reach, where the words before it say it: "(max 17)",
/// "maximum 40", "满分 36 分", "最高 36".
pub fn stated_max(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    // "計40点満点" (40 points full marks): the number comes before the word.
    if let Some(at) = memchr::memmem::find(lower.as_bytes(), "満点".as_bytes()) {
        let before = lower[..at].trim_end_matches(['点', ' ']);
        let digits = before.bytes().rev().take_while(u8::is_ascii_digit).count();
        if let Some(n) = before.get(before.len() - digits..).and_then(|d| d.parse().ok()).filter(|&n: &u32| n > 0) {
            return Some(n);
        }
    }
    ["maximum", "max.", "max", "满分", "最高"].iter().find_map(|w| {
        let at = memchr::memmem::find(lower.as_bytes(), w.as_bytes())?;
        // "max" a word of its own (not "maxima", "climax").
        let before = lower[..at].chars().next_back();
        if w.is_ascii() && before.is_some_and(char::is_alphanumeric) {
            return None;
        }
        let after = lower[at + w.len()..].trim_start_matches([' ', ':', '：', '.', '为', '=']);
        // One short word between ("maximum is 40", "maximum je 40 bodů").
        let after = match after.split_once(' ') {
            Some((word, rest)) if !after.starts_with(|c: char| c.is_ascii_digit()) && word.chars().count() <= 3 => {
                rest.trim_start()
            }
            _ => after,
        };
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        after.get(..digits).filter(|d| !d.is_empty() && d.len() <= 4)?.parse().ok().filter(|&n| n > 0)
    })
}

/// Words for points, as a band counted in them names its unit ("16–17 poäng", "33–36 分").
const POINTS: &[&str] = &[
    "points",
    "point",
    "pts",
    "poäng",
    "punkte",
    "punti",
    "puntos",
    "pontos",
    "punkty",
    "punktów",
    "poin",
    "分",
    "点",
    "bodů",
    "bodu",
    "body",
    "pontot",
    "pont",
    "pistettä",
    "pisteet",
    "pistettä",
    "балів",
    "бали",
    "điểm",
];

/// One band counted in items ([`CountBand`]).
pub fn count_band(text: &str) -> Option<CountBand> {
    // A band starts with its number or a bound word before it ("menos de 30", "≥ 36"): a text
    // whose first digit comes later ("Deploy version 2.4") is none, and is not read further.
    let first_digit = text.bytes().position(|b| b.is_ascii_digit())?;
    if text[..first_digit].trim_start_matches(['*', '_', ' ']).len() > 24 || text.contains(['%', '％']) {
        return None;
    }
    let count = |cur: &mut Cursor<'_>| -> Option<u32> {
        cur.skip_ws();
        let digits = cur.rest.bytes().take_while(u8::is_ascii_digit).count();
        let n = cur.rest.get(..digits).filter(|d| !d.is_empty() && d.len() <= 4)?.parse().ok()?;
        cur.rest = &cur.rest[digits..];
        Some(n)
    };
    let mut cur = Cursor { rest: text };
    let below = cur.eat_any(BELOW);
    let above = !below && cur.eat_any(ABOVE);
    let a = count(&mut cur)?;
    let before_dash = cur.rest;
    let b = if cur.eat_any(&DASHES) { count(&mut cur) } else { None };
    if b.is_none() {
        cur.rest = before_dash;
    }
    // "36+ items", "36 items or more".
    let mut plus = !below && cur.eat_any(AND_ABOVE);
    // What is counted: a word of its own after the number ("36–40 itens", "16–17 poäng", "33–36 分").
    cur.skip_ws();
    let head: String = cur.rest.chars().take(12).collect::<String>().to_lowercase();
    let unit = COUNTABLE.iter().chain(POINTS).find(|w| head.starts_with(**w));
    let counted = unit.is_some();
    if let Some(unit) = unit {
        // A word's ending goes with it ("itens", "poängen"); a CJK unit is one sign, and what
        // follows it ("以下") is read next.
        let rest = cur.rest.get(unit.len()..).unwrap_or("");
        cur.rest = if unit.is_ascii() || unit.chars().all(|c| c.is_alphabetic() && !crate::recognize::fold::unspaced(c))
        {
            rest.trim_start_matches(char::is_alphabetic)
        } else {
            rest
        };
    }
    plus |= !below && cur.eat_any(AND_ABOVE);
    // "29 分以下" (29 or fewer), "30개 미만" (fewer than 30).
    let up_to = !plus && !below && cur.eat_any(UP_TO);
    let below_after = !plus && !below && !up_to && cur.eat_any(BELOW_AFTER);
    // An empty label (nothing after the number) is no band here: there is no table cell to fill it.
    let label = label_after(cur.rest)?;
    let (min, max) = match (below || below_after, above || plus, b) {
        (true, _, _) => (0, Some(a.checked_sub(1)?)),
        (false, _, _) if up_to => (0, Some(a)),
        (false, true, _) => (a, None),
        (false, false, Some(b)) => (a.min(b), Some(a.max(b))),
        (false, false, None) => return None,
    };
    (!label.is_empty()).then_some(CountBand { min, max, counted, label, at: 0 })
}

/// Bands counted in items, as percent of the document's declared total: read only when at
/// least two lines of one list are such bands, one of them names what it counts, and the
/// highest reaches the total (36–40 of 40 items, or "36+ items"), so that a list of durations
/// or versions is never taken for a rubric.
pub fn count_bands(lines: &[CountBand], total: u32) -> Option<Vec<BandLine>> {
    let reaches = |l: &CountBand| l.max.map_or(l.min <= total, |max| max == total);
    if lines.len() < 2
        || total == 0
        || !lines.iter().any(|l| l.counted)
        || !lines.iter().any(reaches)
        || lines.iter().any(|l| l.max.unwrap_or(l.min) > total)
    {
        return None;
    }
    // A band from 36 of 40 items starts at 90 %; one up to 35 ends just below 36's share (89 %,
    // not 87): counts leave no gap between them that percent would.
    let from = |n: u32| n * 100 / total;
    let to = |n: u32| if n >= total { 100 } else { ((n + 1) * 100).div_ceil(total) - 1 };
    Some(
        lines
            .iter()
            .map(|l| BandLine { min: from(l.min), max: l.max.map(to), label: l.label.clone(), at: l.at })
            .collect(),
    )
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
        "wszystkie",
        "wszystkich",
        "alla",
        "samtliga",
        "semua",
        "tum",
        "모든",
        "minden",
        "vsechny",
        "vsech",
        "усі",
        "всі",
        "kaikki",
        "tất cả",
    ]
    .iter()
    .any(|w| crate::recognize::fold::find(&folded, w).is_some());
    // The blocking items named by their words or by the sign that marks them ("all 🔴 items").
    let blocking = crate::recognize::vocabulary::CRITICAL.find(&folded).is_some()
        || crate::recognize::fold::find(&folded, "required").is_some()
        || crate::recognize::marks::blocking_emoji(text).is_some();
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

/// A GO threshold stated in a sentence: "Go-Live nur bei mindestens 95 % erledigten Punkten",
/// "Deploy only when at least 95% of the items are done". It needs all three: words of going
/// live, of items done, and "at least" before the share; "at least 80% test coverage before
/// release" is a check, not the rubric. Returns the share.
pub fn prose_go(text: &str) -> Option<u32> {
    if !text.contains(['%', '％']) {
        return None;
    }
    const AT_LEAST: &[&str] = &[
        "at least",
        "minimum of",
        "minimum",
        "mindestens",
        "au moins",
        "al menos",
        "almeno",
        "pelo menos",
        "no mínimo",
        "не менее",
        "минимум",
        "minimálně",
        "alespoň",
        "vähintään",
        "legalább",
        "ít nhất",
        "щонайменше",
        "mindst",
        "minst",
        "co najmniej",
        "en az",
        "≥",
        ">=",
        "至少",
    ];
    const DONE: &[&str] = &[
        "done",
        "complete",
        "checked",
        "ticked",
        "score",
        "erledigt",
        "abgeschlossen",
        "fertig",
        "termin",
        "conclu",
        "complet",
        "hotov",
        "splněn",
        "valmi",
        "teljesült",
        "hoàn thành",
        "выполнен",
        "виконан",
        "完成",
        "済",
        "완료",
    ];
    let lower = text.to_lowercase();
    let folded = crate::recognize::fold::fold(text);
    let goes = crate::recognize::vocabulary::DURING.find(&folded).is_some()
        || crate::recognize::fold::find(&folded, "go").is_some();
    let done = DONE.iter().chain(COUNTABLE).any(|w| lower.contains(w));
    if !(goes && done) {
        return None;
    }
    AT_LEAST.iter().find_map(|w| {
        let at = lower.find(w)?;
        let after = lower[at + w.len()..].trim_start();
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n: u32 = after.get(..digits).filter(|d| !d.is_empty() && d.len() <= 3)?.parse().ok()?;
        let unit = after[digits..].trim_start();
        (unit.starts_with(['%', '％']) && (1..=100).contains(&n)).then_some(n)
    })
}

/// What a band's number is measured in: see [`Cursor::unit`].
const UNITS: [&str; 4] = ["%", "％", "점", "点"];

/// Range dashes, with the wave dashes Chinese, Japanese and Korean write (`80~89점`).
const DASHES: [&str; 12] = ["-", "–", "—", "to", "~", "～", "〜", "до", "bis", "à", "tot", "ile"];

/// Words before a number that make it an upper bound (exclusive): "below 70%", "menos de 70%".
const BELOW: &[&str] = &[
    "<=",
    "≤",
    "<",
    "below",
    "under",
    "less than",
    "fewer than",
    "menos de",
    "menos del",
    "abaixo de",
    "por debajo de",
    "moins de",
    "en dessous de",
    "unter",
    "weniger als",
    "meno di",
    "meno del",
    "sotto il",
    "minder dan",
    "onder",
    "ниже",
    "менее",
    "меньше",
    "低于",
    "少于",
    "不足",
    "méně než",
    "dưới",
    "менше",
    "нижче",
];

/// Words before a number that make it a lower bound: "above 90%", "ab 90 %", "至少 90%".
const ABOVE: &[&str] = &[
    ">=",
    "≥",
    ">",
    "above",
    "over",
    "at least",
    "mais de",
    "más de",
    "plus de",
    "au moins",
    "mindestens",
    "über",
    "mehr als",
    "ab",
    "almeno",
    "oltre",
    "minstens",
    "meer dan",
    "boven",
    "не менее",
    "от",
    "выше",
    "более",
    "至少",
    "不低于",
    "高于",
    "大于",
];

/// Words after a number that make it a lower bound: "95%+", "90 % or more", "90%以上",
/// "%90 ve üzeri", "90점 이상".
const AND_ABOVE: &[&str] = &[
    "+",
    "and above",
    "or more",
    "or higher",
    "and up",
    "and over",
    "以上",
    "及以上",
    "이상",
    "ve üzeri",
    "ve üstü",
    "ve uzeri",
    "ve ustu",
    "üzeri",
    "y más",
    "o más",
    "ou mais",
    "ou plus",
    "et plus",
    "und mehr",
    "oder mehr",
    "und höher",
    "o più",
    "e oltre",
    "of meer",
    "of hoger",
    "en hoger",
    "и выше",
    "и более",
];

/// Words after a number that make it an upper bound (exclusive): "80%未満", "80점 미만",
/// "%80'in altı".
const BELOW_AFTER: &[&str] = &["未満", "未满", "미만", "altı", "altında", "alti", "altinda"];

/// Words after a number that make it an upper bound (inclusive): "70%以下", "70점 이하".
const UP_TO: &[&str] = &["以下", "이하", "or less", "or lower", "or below", "ve altı", "ve alti"];

/// The label after a band's numbers: after a separator ("90-100%: Ready", "— Ship"), or none at
/// all (a label in the next table cell, the caller's to fill). Other words right after the
/// numbers ("99.9% uptime") make the text a statement, not a band: `None`.
fn label_after(rest: &str) -> Option<String> {
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
    if !(rest.is_empty() || rest.starts_with(|c: char| ":-–—=→|)：".contains(c))) {
        return None;
    }
    Some(clean_label(rest.trim_start_matches(|c: char| c.is_whitespace() || "*_):-–—=→|：".contains(c))))
}

fn percent_band(text: &str) -> Option<BandLine> {
    // Every band names a percentage (or points, in Korean and Japanese); most lines of a
    // document do not.
    if !(text.contains('%') || (!text.is_ascii() && text.contains(['％', '점', '点']))) {
        return None;
    }
    let start = text.find(|c: char| c.is_ascii_digit() || "<>≥≤".contains(c) || c.is_alphabetic())?;
    let before = text[..start].trim_end_matches(['*', '_']);
    // "-5%" is below any score, not the band from 5: the minus sign is the number's.
    if before.ends_with(['-', '−']) {
        return None;
    }
    // Turkish writes the sign first: `%90 ve üzeri`.
    let lead = before.trim_end_matches([' ', '*', '_']).ends_with(['%', '％']);
    let mut cur = Cursor { rest: &text[start..] };
    let below = cur.eat_any(BELOW);
    // "≥ 90%": the band from 90, which is the number itself; the word is only eaten.
    if !below {
        cur.eat_any(ABOVE);
    }
    let a = cur.number()?;
    let mut percent = lead | cur.unit();
    let mut b = None;
    let before_dash = cur.rest;
    if cur.eat_any(&DASHES) {
        match cur.number() {
            Some(n) => {
                b = Some(n);
                percent |= cur.unit();
            }
            // A dash after the one number is the separator before the label: `≥ 95% — Go`.
            None => cur.rest = before_dash,
        }
    }
    cur.suffix();
    // "90% or more" is the band from 90: like a lower bound before the number, only eaten.
    let plus = cur.eat_any(AND_ABOVE);
    let below_after = !plus && cur.eat_any(BELOW_AFTER);
    let up_to = !plus && !below_after && cur.eat_any(UP_TO);
    percent |= cur.unit();
    if !percent {
        return None;
    }
    let (min, max) = match (below || below_after, up_to, b) {
        (true, _, _) => (0, Some(a.saturating_sub(1))),
        (false, true, _) => (0, Some(a)),
        // "от 80 до 89%": a range, whatever word came before it.
        (false, false, Some(b)) => (a.min(b), Some(a.max(b))),
        (false, false, None) => (a, None),
    };
    // "90-100%: Ready" has a separator; "99.9% uptime" is a statement, not a band. A label in
    // the next table cell (empty rest) is the caller's to fill.
    let label = label_after(cur.rest)?;
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

/// Words for what a checklist counts, as a count's next word starts (lower case): "items",
/// "tasks", and their like in the languages the vocabulary reads.
const COUNTABLE: &[&str] = &[
    "mục",
    "bod",
    "polož",
    "kohta",
    "tarkistuskoh",
    "pont",
    "tétel",
    "item",
    "task",
    "check",
    "itens",
    "ítem",
    "tarefa",
    "tarea",
    "elemento",
    "élément",
    "punkt",
    "aufgabe",
    "prüfpunkt",
    "voci",
    "compiti",
    "controlli",
    "punten",
    "taken",
    "controles",
    "пункт",
    "задач",
    "проверок",
    "madde",
    "görev",
    "kontrol",
    "개 항목",
    "개의 항목",
    "항목",
];

/// Words that say the count after them is the whole ("Total: 40 items", "Всего 36 пунктов").
const TOTAL_WORDS: &[&str] = &[
    "total",
    "totaal",
    "totale",
    "totalt",
    "sammanlagt",
    "łącznie",
    "razem",
    "gesamt",
    "всего",
    "итого",
    "toplam",
    "총",
    "전체",
    "celkem",
    "yhteensä",
    "összesen",
    "всього",
    "tổng cộng",
];

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
        let countable = |s: &str| COUNTABLE.iter().any(|w| s.starts_with(w));
        let total_after = after.strip_prefix("total").map(str::trim_start).is_some_and(countable);
        // Asked once per number: the list of units is long, and most numbers count nothing.
        let counted = countable(after);
        let after_items_total = counted && {
            let rest = after.trim_start_matches(|c: char| c.is_alphabetic());
            rest.trim_start().starts_with("total")
        };
        // "0/13 complete" is one part's progress, not the whole checklist's size.
        let progress =
            before.ends_with('/') && before[..before.len() - 1].trim_end().ends_with(|c: char| c.is_ascii_digit());
        let out_of = !progress
            && (before.ends_with('/') || before.ends_with("out of"))
            && (counted || after.starts_with("total"));
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
            "всего пунктов:",
            "всего задач:",
            "всего проверок:",
            "итого пунктов:",
            "voci totali:",
            "totale voci:",
            "numero di voci:",
            "toplam madde:",
            "toplam madde sayısı:",
            "toplam madde sayisi:",
            "toplam görev:",
            "totaal aantal items:",
            "aantal items:",
            "전체 항목:",
            "총 항목:",
            "항목 수:",
        ]
        .iter()
        .any(|l| before.ends_with(l));
        // "Всего 36 пунктов", "Toplam 35 madde", "Totaal: 40 punten", "총 40개 항목".
        let total_word = counted && {
            let b = before.trim_end_matches(':').trim_end();
            TOTAL_WORDS.iter().any(|w| b.ends_with(w) && !b[..b.len() - w.len()].ends_with(char::is_alphanumeric))
        };
        let in_total = counted
            && [
                "in total",
                "total",
                "no total",
                "en total",
                "au total",
                "insgesamt",
                "i alt",
                "celkem",
                "yhteensä",
                "összesen",
            ]
            .iter()
            .any(|t| after.trim_start_matches(|c: char| c.is_alphabetic()).trim_start().starts_with(t));
        let cjk = (before.ends_with('共')
            || before.ends_with("总计")
            || before.ends_with("合计")
            || before.ends_with('全')
            || before.ends_with("合計"))
            && ["项", "個", "个", "項目", "条"].iter().any(|u| after.starts_with(u));
        // "Tổng cộng checklist có 46 mục": the total is said first, the count after "có" (has).
        let has_total = counted && before.ends_with(" có") && before.contains("tổng");
        if total_after || after_items_total || out_of || labelled || in_total || cjk || total_word || has_total {
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
        // A negative number is no band from its digits.
        assert_eq!(band_line("**-5%**: Neg"), None);
        assert_eq!(band_line("−10%: worse than the last release"), None);
        assert_eq!(band_line("- 5%: barely started"), Some(line(5, None, "barely started")));
    }

    /// Bands counted in items, as percent of the declared total; a list of numbers that is no
    /// rubric stays none.
    #[test]
    fn bands_counted_in_items_against_the_declared_total() {
        let read = |lines: &[&str], total| {
            let found: Vec<CountBand> = lines.iter().filter_map(|l| count_band(l)).collect();
            count_bands(&found, total).map(|b| b.into_iter().map(|l| (l.min, l.max, l.label)).collect::<Vec<_>>())
        };
        let pt = [
            "**36–40 itens**: pronto para produção 🚀",
            "**30–35 itens**: revisar pendências",
            "**Menos de 30**: não fazer o deploy",
        ];
        assert_eq!(
            read(&pt, 40),
            Some(vec![
                (90, Some(100), "pronto para produção".to_string()),
                (75, Some(89), "revisar pendências".to_string()),
                (0, Some(74), "não fazer o deploy".to_string()),
            ])
        );
        assert_eq!(read(&["36+ items: ship", "< 36 items: hold"], 40).map(|b| b[0].0), Some(90));
        // Not the total's scale, nothing counted, or one line only: no rubric.
        assert_eq!(read(&pt, 50), None);
        assert_eq!(read(&["1–2 days: hotfix", "3–5 days: minor release"], 5), None);
        assert_eq!(read(&pt[..1], 40), None);
        assert_eq!(count_band("Step 3: deploy"), None);
        assert_eq!(count_band("36–40 itens (90%): pronto"), None);
        // In a document: the rubric, only beside its declared total, after any in percent.
        let doc = "# Go-live\n\nTotal de itens: 40\n\n- [ ] a\n\n## Pontuação\n\n\
                   - **36–40 itens**: pronto\n- **30–35 itens**: revisar\n- **Menos de 30**: parar\n";
        let mins = |doc: &str| crate::parse_str(doc).rubric.map(|r| r.iter().map(|b| b.min).collect::<Vec<_>>());
        assert_eq!(mins(doc), Some(vec![90, 75, 0]));
        assert_eq!(mins(&doc.replace("Total de itens: 40", "")), None);
        assert_eq!(mins(&format!("{doc}\n## Bands\n\n- 95-100%: ship\n- <95%: hold\n")), Some(vec![95, 0]));
        // Points against the maximum the words before the list state, in any unit's words.
        let points = "# Go-live\n\n- [ ] a\n\n## Poäng\n\nEn poäng per punkt (max 17):\n\n\
                      - **16–17 poäng** – Kör\n- **14–15 poäng** – Kör med risk\n- **Under 14 poäng** – Kör inte\n";
        assert_eq!(mins(points), Some(vec![94, 82, 0]));
        let zh = "# 上线\n\n- [ ] a\n\n## 评分\n\n每项 1 分，满分 36 分：\n\n- 33–36 分：可以上线\n- 29–32 分：有条件上线\n- 29 分以下：禁止上线\n";
        assert_eq!(mins(zh), Some(vec![91, 80, 0]));
        assert_eq!(stated_max("En poäng per punkt (max 17):"), Some(17));
        assert_eq!(stated_max("满分 36 分"), Some(36));
        assert_eq!(stated_max("各項目1点、計40点満点で評価する。"), Some(40));
        assert_eq!(stated_max("Každý splněný bod = 1 bod, maximum je 40 bodů."), Some(40));
        assert_eq!(stated_max("maximum effort, 3 people"), None);
        assert_eq!(
            prose_go("Go-Live nur bei mindestens 95 % erledigten Punkten; zwischen 85 % und 94 % entscheidet die Teamleitung."),
            Some(95)
        );
        assert_eq!(prose_go("Deploy only when at least 92% of the items are done."), Some(92));
        assert_eq!(prose_go("Test coverage at least 80% before release."), None);
        assert_eq!(prose_go("At least 95% of the items are done."), None, "no going live named");
        assert_eq!(stated_max("the climax 3 of the show"), None);
        // Without a stated maximum or a total, points are no rubric.
        assert_eq!(mins(&points.replace(" (max 17)", "")), None);
    }

    /// Bands as other languages write them: the sign first (Turkish), a bound after the number
    /// (以上, 이상, ve üzeri, 未満, 미만, altı, 以下), Korean and Japanese points out of 100, wave
    /// dashes, full-width signs, and a dash before the label after one number.
    #[test]
    fn band_lines_in_other_languages() {
        let band = |text: &str| band_line(text).map(|l| (l.min, l.max, l.label));
        let go = |min: u32, max: Option<u32>, label: &str| Some((min, max, label.to_string()));
        assert_eq!(band("- ≥ 95% — релиз можно выпускать"), go(95, None, "релиз можно выпускать"));
        assert_eq!(band("≥ 90% - Ready"), go(90, None, "Ready"));
        assert_eq!(band("- **%90 ve üzeri:** CANLIYA GEÇ"), go(90, None, "CANLIYA GEÇ"));
        assert_eq!(band("- **%80–89:** RİSKLE GEÇ"), go(80, Some(89), "RİSKLE GEÇ"));
        assert_eq!(band("- **%80'in altı:** GEÇME"), go(0, Some(79), "GEÇME"));
        assert_eq!(band("| 90점 이상 | 배포 가능 (GO) |"), go(90, None, "배포 가능 (GO)"));
        assert_eq!(band("| 80~89점 | 조건부 배포 |"), go(80, Some(89), "조건부 배포"));
        assert_eq!(band("| 80점 미만 | 배포 불가 |"), go(0, Some(79), "배포 불가"));
        assert_eq!(band("90％以上：リリース可"), go(90, None, "リリース可"));
        assert_eq!(band("70%以下：リリース不可"), go(0, Some(70), "リリース不可"));
        assert_eq!(band("低于 70%：禁止发布"), go(0, Some(69), "禁止发布"));
        assert_eq!(band("Menos de 70%: não publicar"), go(0, Some(69), "não publicar"));
        assert_eq!(band("от 80 до 89% — с одобрения CTO"), go(80, Some(89), "с одобрения CTO"));
        assert_eq!(band("unter 70 %: nicht ausrollen"), go(0, Some(69), "nicht ausrollen"));
        // Statements with a number stay statements.
        assert_eq!(band("下午5点前完成"), None);
        assert_eq!(band("エラー率 1%以下"), None);
        assert_eq!(band("90% of tests pass"), None);
        assert_eq!(band("- **36–40 de 40**: pronto para produção"), go(90, Some(100), "pronto para produção"));
        assert_eq!(band("32–40 из 40 баллов — можно выпускать"), go(80, Some(100), "можно выпускать"));
        assert_eq!(band("Paso 3 de 10: desplegar"), None);
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
        // Polish, Swedish, Indonesian; the blocking items named by the sign that marks them.
        assert_eq!(
            rule("gdy zamknięte są **wszystkie** punkty ⛔/[KRYTYCZNE] **oraz co najmniej 80%** pozostałych"),
            Some(80)
        );
        assert_eq!(rule("Alla obligatoriska punkter och minst 85 % av resten"), Some(85));
        assert_eq!(rule("Semua item wajib dan minimal 80% sisanya"), Some(80));
        assert_eq!(rule("Go when all 🔴 items are closed and at least 80 % of the rest"), Some(80));
        assert_eq!(rule("All items 🟢 and 80 % uptime"), None);
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
        assert_eq!(declared_total("Всего пунктов: 36").map(|t| t.0), Some(36));
        assert_eq!(declared_total("Всего 36 пунктов").map(|t| t.0), Some(36));
        assert_eq!(declared_total("Toplam madde sayısı: 35").map(|t| t.0), Some(35));
        assert_eq!(declared_total("Toplam 35 madde").map(|t| t.0), Some(35));
        assert_eq!(declared_total("Totaal: 40 punten").map(|t| t.0), Some(40));
        assert_eq!(declared_total("Total: 40 items").map(|t: (u32, usize)| t.0), Some(40));
        assert_eq!(declared_total("총 40개 항목").map(|t| t.0), Some(40));
        assert_eq!(declared_total("Total: 40 hours of downtime budget"), None);
        assert_eq!(declared_total("Subtotal: 12 items"), None);
        assert_eq!(declared_total("Kontrolní seznam obsahuje celkem 40 bodů.").map(|t| t.0), Some(40));
        assert_eq!(declared_total("Listen har 38 punkter i alt.").map(|t| t.0), Some(38));
        assert_eq!(declared_total("Listassa on yhteensä 41 tarkistuskohtaa.").map(|t| t.0), Some(41));
        assert_eq!(declared_total("Az ellenőrzőlista összesen 44 pontból áll.").map(|t| t.0), Some(44));
        assert_eq!(declared_total("Tổng cộng checklist có 46 mục cần kiểm tra.").map(|t| t.0), Some(46));
        assert_eq!(declared_total("Сервер có 4 mục"), None);
    }
}
