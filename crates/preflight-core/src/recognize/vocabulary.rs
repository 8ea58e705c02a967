//! The words Preflight reads, per rule and per language. Data, not code: every decision about
//! what a heading, item or line means asks one of these tables (through `fold::find`), and the
//! table's name is the `rule` an explanation cites. Phrases are written folded (see `fold.rs`:
//! lower case, no accents, hyphens as spaces); `*` at an end lets the word continue there.
//!
//! Languages: English, Spanish, Portuguese, French, German, Italian, Russian, Chinese, Japanese,
//! plus the common words of Dutch, Turkish, Korean, Polish, Swedish and Indonesian where they
//! were cheap to add.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::fold;
use super::trie::Trie;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
    Pt,
    Fr,
    De,
    It,
    Ru,
    Zh,
    Ja,
    Nl,
    Tr,
    Ko,
    Pl,
    Sv,
    Id,
    Vi,
    Cs,
    Uk,
    Da,
    Fi,
    Hu,
}

/// One rule: its name (cited in explanations) and its phrases per language.
pub struct Rule {
    pub name: &'static str,
    pub words: &'static [(Lang, &'static [&'static str])],
}

/// What a rule found: the rule's name and the words of the text that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: &'static str,
    pub words: String,
    /// Byte offset of the match in the folded text.
    pub at: usize,
}

impl Rule {
    /// The earliest phrase of this rule in `folded` text (the longest one at that place).
    pub fn find(&self, folded: &str) -> Option<Hit> {
        let index = index();
        match index.rules.get(self.name) {
            Some(&rule) => index.with_scan(folded, |found| {
                found.iter().find(|m| m.0 == rule).map(|&(_, at, end)| Hit {
                    rule: self.name,
                    words: folded[at..end].to_string(),
                    at,
                })
            }),
            None => self.find_slowly(folded),
        }
    }

    /// What [`Rule::find`] finds, by a scan of this rule's phrases alone: for a text no other
    /// rule is asked of (an item's words, asked only whether they make it optional), where
    /// scanning for every rule at once walks the whole vocabulary from each word for nothing.
    pub fn find_alone(&self, folded: &str) -> Option<Hit> {
        let Some(&rule) = index().rules.get(self.name) else { return self.find_slowly(folded) };
        SCANS.with(|scans| {
            let Scans { alone: found, here, .. } = &mut *scans.borrow_mut();
            found.clear();
            alone(rule).scan(folded, found, here);
            let hit =
                found.first().map(|&(_, at, end)| Hit { rule: self.name, words: folded[at..end].to_string(), at });
            if found.capacity() > REUSED_UP_TO {
                *found = Vec::new();
            }
            hit
        })
    }

    pub fn matches(&self, folded: &str) -> bool {
        self.find(folded).is_some()
    }

    /// Every phrase searched in turn: the reference the index is checked against.
    fn find_slowly(&self, folded: &str) -> Option<Hit> {
        let mut best: Option<(usize, usize)> = None;
        for (_, phrases) in self.words {
            for phrase in *phrases {
                if let Some((s, e)) = fold::find(folded, phrase) {
                    if best.is_none_or(|(bs, be)| s < bs || (s == bs && e > be)) {
                        best = Some((s, e));
                    }
                }
            }
        }
        best.map(|(s, e)| Hit { rule: self.name, words: folded[s..e].to_string(), at: s })
    }
}

/// Every rule's phrases, each tagged with its rule (its place in `ALL`), keyed by how a match
/// can start: the first word (exact), the first word of an open single-word phrase (`deploy*`:
/// any word it begins), or the first character of a phrase in a script written without spaces.
/// Reading a text is then one pass over its words for all rules at once, instead of a search
/// per phrase (a 10 MB checklist took 20 s that way) or a pass per rule (a heading is asked
/// about six to eight rules in turn: `with_scan` keeps the last few texts' matches).
#[derive(Default)]
struct Index {
    /// Phrases by their first word, exact (`deploy`) or open (`deploy*`).
    first_words: Words,
    by_char: HashMap<char, Vec<Entry>, BuildHasherDefault<Fnv>>,
    /// Rule name → its place in `ALL`.
    rules: HashMap<&'static str, u8, BuildHasherDefault<Fnv>>,
}

/// The phrases' first words as a byte trie (`trie.rs`), walked once from the start of each word
/// of a text: a node where a first word ends holds the phrases that start with it, those needing
/// the text's word to end there (`exact`) and those letting it go on (`open`, `deploy*`).
/// Looking each word and each of its cuts up in hash maps hashed every cut again.
#[derive(Default)]
struct Words {
    trie: Option<Trie>,
    /// By trie node: its phrases, exact then open, as ranges of `entries`.
    phrases: Vec<((u32, u32), (u32, u32))>,
    entries: Vec<Entry>,
}

impl Words {
    /// From (first word, phrase): those whose first word is exact, then the open ones. First
    /// words are made of word characters.
    fn build(mut keys: Vec<(&'static str, Entry)>, open: Vec<(&'static str, Entry)>) -> Words {
        // Exact first words before open ones, so that each node's phrases are exact then open.
        let exact = keys.len() as u32;
        keys.extend(open);
        let (trie, ends) = Trie::new(&keys.iter().map(|k| k.0.as_bytes()).collect::<Vec<_>>());
        let (ranges, order) = trie.keys_by_node(&ends);
        // The root (an empty first word: a phrase starting with a non-word character) is never
        // asked, as a word is never empty.
        let entries: Vec<Entry> = order.iter().map(|&k| keys[k as usize].1).collect();
        let phrases = ranges
            .iter()
            .map(|&(start, len)| {
                // A node's keys keep the order given: its exact ones come first.
                let exact =
                    order[start as usize..(start + len) as usize].iter().take_while(|&&k| k < exact).count() as u32;
                ((start, exact), (start + exact, len - exact))
            })
            .collect();
        Words { trie: Some(trie), phrases, entries }
    }

    fn entries(&self, (start, len): (u32, u32)) -> &[Entry] {
        &self.entries[start as usize..(start + len) as usize]
    }

    /// `each` of the phrases whose first word starts `text` (open ones) or is the word that
    /// starts it (exact ones: the word ends where the first word does).
    fn starting(&self, text: &str, mut each: impl FnMut(&[Entry])) {
        let Some(trie) = &self.trie else { return };
        trie.walk(text.as_bytes(), |node, depth| {
            let (exact, open) = self.phrases[node];
            if open.1 != 0 {
                each(self.entries(open));
            }
            if exact.1 != 0 && text.get(depth..).and_then(|t| t.chars().next()).is_none_or(|c| !fold::word_char(c)) {
                each(self.entries(exact));
            }
        });
    }
}

/// A phrase and the rule (its place in `ALL`) it belongs to.
type Entry = (u8, fold::Phrase<'static>);

/// Where a rule matched in a text: (rule, start, end), in text order.
type Found = Vec<(u8, usize, usize)>;

/// How many texts' matches are kept: a rule asked of each label of an item in turn, then the
/// next rule of each label, finds them all still here.
const SCANS_KEPT: usize = 6;

/// The last few texts scanned and their matches, newest first, and the scan's working list.
/// Their buffers are reused: a scan allocated its text's copy, its matches and its working list
/// and freed the oldest entry's, about six calls into the allocator per heading or item.
struct Scans {
    kept: Vec<(String, Found)>,
    here: Vec<(u8, usize)>,
    /// The matches of a scan for one rule alone.
    alone: Found,
}

/// A kept text or match list grown past this is not reused, so that one long line does not
/// hold its size for the rest of the session.
const REUSED_UP_TO: usize = 4096;

thread_local! {
    static SCANS: std::cell::RefCell<Scans> =
        const { std::cell::RefCell::new(Scans { kept: Vec::new(), here: Vec::new(), alone: Vec::new() }) };
}

/// FNV-1a: the keys are short words, where SipHash's setup costs more than the lookup.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    // ALL has fewer than 256 rules (asserted below).
    INDEX.get_or_init(|| Index::of(&ALL.iter().enumerate().map(|(rule, r)| (rule as u8, *r)).collect::<Vec<_>>()))
}

/// Per rule of `ALL`, an index of its phrases alone, made the first time it is asked for.
fn alone(rule: u8) -> &'static Index {
    static ALONE: OnceLock<Vec<OnceLock<Index>>> = OnceLock::new();
    let each = ALONE.get_or_init(|| ALL.iter().map(|_| OnceLock::new()).collect());
    each[usize::from(rule)].get_or_init(|| Index::of(&[(rule, ALL[usize::from(rule)])]))
}

impl Index {
    /// The index of `rules`' phrases, each tagged with the rule's place in `ALL`. (A slice, not
    /// an iterator: one copy of this code in the wasm module, not one per caller.)
    fn of(rules: &[(u8, &'static Rule)]) -> Index {
        let mut index = Index::default();
        let phrases = rules.iter().flat_map(|(_, r)| r.words.iter()).map(|(_, p)| p.len()).sum();
        // First words that must end where the text's word does, and open ones (`deploy*`).
        let (mut exact, mut open) = (Vec::with_capacity(phrases), Vec::new());
        for &(rule, r) in rules {
            index.rules.insert(r.name, rule);
            for &(_, list) in r.words {
                for &phrase in list {
                    let phrase = fold::Phrase::new(phrase);
                    let core = phrase.core();
                    let Some(&b) = core.as_bytes().first() else { continue };
                    if b >= 0x80 {
                        if let Some(first) = core.chars().next().filter(|&c| fold::unspaced(c)) {
                            index.by_char.entry(first).or_default().push((rule, phrase));
                            continue;
                        }
                    }
                    let word_end = fold::word_len(core);
                    let to = if word_end == core.len() && phrase.open_end() { &mut open } else { &mut exact };
                    to.push((&core[..word_end], (rule, phrase)));
                }
            }
        }
        index.first_words = Words::build(exact, open);
        index
    }

    /// `f` of every rule's matches in `folded`, scanned once for the last few texts asked.
    fn with_scan<T>(&self, folded: &str, f: impl FnOnce(&Found) -> T) -> T {
        SCANS.with(|scans| {
            let Scans { kept, here, .. } = &mut *scans.borrow_mut();
            if let Some(at) = kept.iter().position(|(text, _)| text == folded) {
                return f(&kept[at].1);
            }
            let (mut text, mut found) =
                if kept.len() == SCANS_KEPT { kept.pop().unwrap_or_default() } else { Default::default() };
            if text.capacity() > REUSED_UP_TO || found.capacity() > REUSED_UP_TO {
                (text, found) = Default::default();
            }
            text.clear();
            text.push_str(folded);
            found.clear();
            self.scan(folded, &mut found, here);
            kept.insert(0, (text, found));
            f(&kept[0].1)
        })
    }

    /// Into `found` (empty): every place a phrase of any rule matches, in text order: for each
    /// rule, the longest of its phrases at each place. `here` is working room.
    fn scan(&self, folded: &str, found: &mut Found, here: &mut Vec<(u8, usize)>) {
        let bytes = folded.as_bytes();
        let mut at = 0;
        // Whether the char before `at` is a word character.
        let mut in_word = false;
        while at < bytes.len() {
            let b = bytes[at];
            if b.is_ascii() {
                let word = b.is_ascii_alphanumeric();
                if word && in_word {
                    // ASCII inside a word (most of every text): nothing can start there, so the
                    // rest of the run is skipped in one tight loop, not a char at a time.
                    while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                        at += 1;
                    }
                    continue;
                }
                // An ASCII space or sign starts nothing (only a word or a char of a script
                // written without spaces can), so it is passed without decoding a char.
                in_word = word;
                if word {
                    self.note_at(folded, at, char::from(b), true, found, here);
                }
                at += 1;
                continue;
            }
            // `at` is on a char boundary: runs above are ASCII, other steps a whole char.
            let Some(c) = folded[at..].chars().next() else { break };
            let word = fold::word_char(c);
            self.note_at(folded, at, c, word && !in_word, found, here);
            in_word = word;
            at += c.len_utf8();
        }
    }

    /// Into `found`: the matches starting at `at`, where `c` is, for each rule its longest.
    fn note_at(
        &self,
        folded: &str,
        at: usize,
        c: char,
        starts_word: bool,
        found: &mut Found,
        here: &mut Vec<(u8, usize)>,
    ) {
        here.clear();
        self.ends_at(folded, at, c, starts_word, here);
        here.sort_unstable();
        found.extend(here.iter().map(|&(rule, end)| (rule, at, end)));
    }

    /// Into `here`: for each rule with a phrase starting at `at` (where `c` is), the end of its
    /// longest one there.
    fn ends_at(&self, folded: &str, at: usize, c: char, starts_word: bool, here: &mut Vec<(u8, usize)>) {
        let mut note = |entries: Option<&[Entry]>| {
            for &(rule, phrase) in entries.into_iter().flatten() {
                if let Some(end) = phrase.match_at(folded, at) {
                    match here.iter_mut().find(|(r, _)| *r == rule) {
                        Some((_, best)) => *best = (*best).max(end),
                        None => here.push((rule, end)),
                    }
                }
            }
        };
        if fold::unspaced(c) {
            return note(self.by_char.get(&c).map(Vec::as_slice));
        }
        if starts_word {
            self.first_words.starting(&folded[at..], |entries| note(Some(entries)));
        }
    }
}

impl Rule {
    /// Every place this rule's phrases match in `folded`, as byte ranges in text order.
    pub fn find_all(&self, folded: &str) -> Vec<(usize, usize)> {
        let index = index();
        match index.rules.get(self.name) {
            Some(&rule) => index.with_scan(folded, |found| {
                found.iter().filter(|m| m.0 == rule).map(|&(_, at, end)| (at, end)).collect()
            }),
            None => self.find_slowly(folded).map(|h| (h.at, h.at + h.words.len())).into_iter().collect(),
        }
    }
}

use Lang::*;

/// Marks that make an item (or, in a heading, its section) blocking for go-live.
pub const CRITICAL: Rule = Rule {
    name: "critical-mark",
    words: &[
        (
            En,
            &[
                "critical",
                "blocker",
                "blockers",
                "blocking",
                "launch blocker*",
                "mandatory",
                "must",
                "must have",
                "must haves",
                "must pass",
                "must be green",
                "must do",
                "p0",
                "showstopper*",
                "show stopper*",
                "go live blocker*",
                "release blocker*",
            ],
        ),
        (
            Es,
            &[
                "critico",
                "critica",
                "criticos",
                "criticas",
                "bloqueante*",
                "bloqueador*",
                "obligatorio*",
                "obligatoria*",
                "imprescindible*",
            ],
        ),
        (
            Pt,
            &[
                "critico",
                "critica",
                "criticos",
                "criticas",
                "bloqueante*",
                "bloqueador*",
                "obrigatorio*",
                "obrigatoria*",
                "impeditivo*",
                "imprescindive*",
            ],
        ),
        (Fr, &["critique*", "bloquant*", "bloquante*", "obligatoire*", "indispensable*"]),
        (
            De,
            &[
                "kritisch*",
                "blocker",
                "blockierend*",
                "pflicht*",
                "zwingend*",
                "muss",
                "verpflichtend*",
                "zwingend erforderlich",
                "zwingend notwendig",
                "unbedingt erforderlich",
                "unbedingt notwendig",
            ],
        ),
        (It, &["critico", "critica", "critici", "critiche", "bloccante*", "obbligatori*", "indispensabil*"]),
        (Ru, &["критичн*", "критическ*", "блокер*", "блокирующ*", "обязательн*"]),
        (Zh, &["关键", "必须", "必需", "阻塞", "阻断", "必做", "必选", "强制"]),
        (Ja, &["必須", "ブロッカー", "クリティカル"]),
        (Nl, &["kritiek", "blokkerend*", "verplicht*"]),
        (Tr, &["kritik", "zorunlu", "engelleyici"]),
        (Ko, &["필수", "치명적", "블로커", "배포 차단", "릴리스 차단", "릴리즈 차단", "출시 차단"]),
        (Pl, &["krytyczn*", "obowiazkow*", "blokujac*", "bloker*"]),
        (Sv, &["obligatorisk*", "blockerande", "maste", "kritisk*"]),
        (Id, &["wajib", "kritis", "pemblokir", "harus selesai", "harus dilakukan"]),
        (It, &["bloccanti"]),
        (Vi, &["bắt buộc", "chặn phat hanh", "chặn triển khai"]),
        (Cs, &["blokujici*", "povinne", "povinny", "povinna"]),
        (Uk, &["обов'язков*", "обов’язков*", "блокуюч*", "блокер*", "критичн*"]),
        (Da, &["pakrævet", "blokerende", "obligatorisk*"]),
        (Fi, &["pakollinen", "pakolliset", "estava", "kriittinen", "julkaisun estava"]),
        (Hu, &["kotelezo", "blokkolo"]),
    ],
};

/// "Required" as a label ("(required)", "REQUIRED:", a heading "Required"): it marks only where
/// it stands alone, since "Required status checks" describes the checks.
pub const REQUIRED: Rule = Rule {
    name: "required-mark",
    words: &[
        (En, &["required"]),
        (Es, &["requerido*", "requerida*", "necesario"]),
        (Pt, &["requerido*", "necessario", "exigido*"]),
        (Fr, &["requis", "requise*", "exige*"]),
        (De, &["erforderlich*", "notwendig*", "benotigt"]),
        (It, &["richiest*", "necessari*"]),
        (Ru, &["требуется", "необходимо"]),
        (Zh, &["必要"]),
        (Ja, &["必要"]),
        (Pl, &["wymagan*"]),
        (Sv, &["kravs", "krav"]),
        (Id, &["diperlukan", "dibutuhkan"]),
    ],
};

/// Marks that say an item or section does not block go-live. They win over `CRITICAL`:
/// "Non-Blocking (track, but not launch blockers)" mentions "blockers" and blocks nothing.
pub const NON_BLOCKING: Rule = Rule {
    name: "non-blocking",
    words: &[
        (
            En,
            &[
                "non blocking",
                "nonblocking",
                "not blocking",
                "not a blocker",
                "not blockers",
                "not launch blocker*",
                "not blocking the release",
                "not blocking release",
                "does not block the release",
                "does not block release",
                "non critical",
                "noncritical",
                "not critical",
                "nice to have",
                "nice to haves",
                "recommended",
                "should have",
                "could have",
                "won t have",
                "wont have",
                "if possible",
                "if time permits",
                "optional but recommended",
                "not required",
                "low priority",
                "best effort",
                "stretch goal*",
                "suggested",
                "suggestion*",
                "if you can",
            ],
        ),
        (
            Es,
            &[
                "no bloqueante*",
                "no critico*",
                "recomendado*",
                "recomendable*",
                "deseable*",
                "si es posible",
                "opcional pero recomendado",
            ],
        ),
        (
            Pt,
            &[
                "nao bloqueante*",
                "nao critico*",
                "recomendado*",
                "recomendavel",
                "desejavel",
                "desejaveis",
                "se possivel",
                "nao obrigatorio*",
                "opcional mas recomendado",
            ],
        ),
        (
            Fr,
            &[
                "non bloquant*",
                "non critique*",
                "recommande*",
                "souhaitable*",
                "si possible",
                "facultatif mais recommande",
            ],
        ),
        (
            De,
            &[
                "nicht blockierend*",
                "nicht kritisch*",
                "unkritisch*",
                "empfohlen*",
                "wunschenswert*",
                "nice to have",
                "wenn moglich",
                "falls moglich",
                "nicht erforderlich*",
                "kein blocker",
                "keine blocker",
                "kein go live blocker",
                "kein release blocker",
                "nicht zwingend*",
                "nicht verpflichtend*",
            ],
        ),
        (
            It,
            &[
                "non bloccante*",
                "non critico*",
                "consigliato*",
                "consigliati",
                "raccomandato*",
                "auspicabile*",
                "se possibile",
            ],
        ),
        (
            Ru,
            &[
                "не блокирующ*",
                "неблокирующ*",
                "некритичн*",
                "не критичн*",
                "рекомендуется",
                "рекомендуем*",
                "желательно",
                "по возможности",
                "не блокирует*",
                "не блокирует релиз",
                "не блокирует выпуск",
                "не блокирует запуск",
                "не блокирует деплой",
                "не блокер*",
                "не является блокер*",
                "не обязательно",
            ],
        ),
        (Zh, &["非阻塞", "不阻塞", "非关键", "非必须", "建议", "推荐", "可以有", "锦上添花", "尽量"]),
        (
            Ja,
            &[
                "非ブロッキング",
                "推奨",
                "あれば望ましい",
                "できれば",
                "ブロッカーではない",
                "ブロッカーではありません",
                "ブロッカーでない",
                "ブロックしない",
                "ブロックしません",
                "あれば尚可",
                "あれば良い",
                "あればよい",
                "必須ではない",
                "必須ではありません",
            ],
        ),
        (Nl, &["niet blokkerend*", "aanbevolen", "wenselijk", "niet kritiek", "niet verplicht", "geen blocker"]),
        (
            Tr,
            &[
                "onerilen",
                "onerilir",
                "tavsiye edilen",
                "tavsiye edilir",
                "olsa iyi olur",
                "engelleyici degil",
                "kritik degil",
                "zorunlu degil",
            ],
        ),
        (Ko, &["권장", "차단 아님", "차단하지 않음", "필수 아님", "비필수", "있으면 좋음", "있으면 좋은"]),
        (
            Pl,
            &[
                "nieblokujac*",
                "nie blokuje*",
                "nie blokujace",
                "zalecan*",
                "mile widziane",
                "jesli to mozliwe",
                "niekrytyczn*",
                "nieobowiazkow*",
            ],
        ),
        (
            Sv,
            &[
                "inte blockerande",
                "ej blockerande",
                "icke blockerande",
                "rekommender*",
                "bra att ha",
                "om mojligt",
                "inte kritisk*",
                "onskvard*",
            ],
        ),
        (
            Id,
            &[
                "bukan pemblokir",
                "tidak memblokir",
                "tidak wajib",
                "disarankan",
                "direkomendasikan",
                "jika memungkinkan",
                "tidak kritis",
            ],
        ),
        (Zh, &["非阻断", "不阻断", "非必需"]),
        (
            Vi,
            &[
                "khong bắt buộc",
                "khong chặn phat hanh",
                "khong chặn triển khai",
                "khong chặn",
                "khuyến nghị",
                "khuyến khich",
                "nen co",
            ],
        ),
        (
            Cs,
            &[
                "neblokujici*",
                "nepovinne",
                "nepovinny",
                "nepovinna",
                "doporuceno",
                "doporucene",
                "doporuceny",
                "nekriticke",
                "pokud mozno",
            ],
        ),
        (
            Uk,
            &[
                "не блокує*",
                "не блокує реліз",
                "не блокує випуск",
                "не блокує розгортання",
                "неблокуюч*",
                "рекомендовано",
                "рекомендується",
                "бажано",
                "некритичн*",
            ],
        ),
        (
            Da,
            &[
                "ikke blokerende",
                "ikke kritisk*",
                "anbefalet",
                "anbefales",
                "ikke pakrævet",
                "onskeligt",
                "hvis muligt",
            ],
        ),
        (Fi, &["ei estava", "ei pakollinen", "suositeltava", "suositellaan", "ei kriittinen", "jos mahdollista"]),
        (Hu, &["nem kotelezo", "nem blokkolo", "ajanlott", "javasolt", "ha lehetseges"]),
    ],
};

/// Marks that an item counts only when it applies: "(optional)", "(if applicable)".
pub const OPTIONAL: Rule = Rule {
    name: "optional-mark",
    words: &[
        (
            En,
            &[
                "optional",
                "optionally",
                "if applicable",
                "when applicable",
                "where applicable",
                "as applicable",
                "if needed",
                "when needed",
                "as needed",
                "if required",
                "if necessary",
                "where necessary",
                "as necessary",
                "if relevant",
                "if any",
                "if used",
                "if using",
                "if enabled",
                "if changed",
                "if appropriate",
                "if desired",
                "if wanted",
                "if available",
                "when available",
                "where available",
                "if possible",
            ],
        ),
        (
            Es,
            &[
                "opcional*",
                "opcionales",
                "segun sea necesario",
                "si aplica",
                "si corresponde",
                "si procede",
                "si es necesario",
                "cuando aplique",
                "en su caso",
                "si es aplicable",
            ],
        ),
        (
            Pt,
            &[
                "opcional*",
                "opcionais",
                "conforme necessario",
                "conforme a necessidade",
                "se aplicavel",
                "se aplicaveis",
                "quando aplicavel",
                "se necessario",
                "se for necessario",
                "caso necessario",
                "caso aplicavel",
                "se houver",
                "quando necessario",
            ],
        ),
        (
            Fr,
            &[
                "optionnel*",
                "facultati*",
                "si applicable",
                "le cas echeant",
                "si necessaire",
                "si besoin",
                "au besoin",
                "s il y a lieu",
                "si pertinent",
            ],
        ),
        (
            De,
            &[
                "optional",
                "falls zutreffend",
                "wenn zutreffend",
                "falls notig",
                "falls erforderlich",
                "wenn notig",
                "bei bedarf",
                "falls vorhanden",
                "sofern zutreffend",
                "ggf",
                "gegebenenfalls",
            ],
        ),
        (
            It,
            &[
                "opzional*",
                "facoltativ*",
                "se applicabile",
                "se necessario",
                "se pertinente",
                "ove applicabile",
                "se previsto",
            ],
        ),
        (
            Ru,
            &[
                "опционально",
                "необязательн*",
                "при необходимости",
                "если применимо",
                "если нужно",
                "если требуется",
                "по желанию",
            ],
        ),
        (Zh, &["可选", "选填", "如适用", "若适用", "如需要", "如需", "如有需要", "如有", "视情况", "按需"]),
        (Ja, &["任意", "オプション", "該当する場合", "必要に応じて", "必要な場合", "該当時"]),
        (Nl, &["optioneel", "indien van toepassing", "indien nodig"]),
        (
            Tr,
            &[
                "istege bagli",
                "gerekirse",
                "varsa",
                "uygulanabilirse",
                "gerekiyorsa",
                "ihtiyac halinde",
                "ihtiyac varsa",
            ],
        ),
        (Ko, &["선택", "해당되는 경우", "해당하는 경우", "필요시", "필요한 경우"]),
        (Pl, &["opcjonaln*", "jesli dotyczy", "jezeli dotyczy", "w razie potrzeby", "gdy dotyczy", "o ile dotyczy"]),
        (Sv, &["valfri*", "om tillampligt", "vid behov", "frivillig*"]),
        (Id, &["opsional", "jika diperlukan", "bila diperlukan", "jika ada", "jika berlaku", "jika perlu"]),
        (Vi, &["nếu co", "nếu cần", "tuy chọn", "tuỳ chọn", "nếu ap dụng", "khi cần"]),
        (
            Cs,
            &[
                "volitelne",
                "volitelny",
                "volitelna",
                "pokud je relevantni",
                "je li relevantni",
                "dle potreby",
                "v pripade potreby",
            ],
        ),
        (
            Uk,
            &[
                "необов'язково",
                "необов’язково",
                "за потреби",
                "у разі потреби",
                "якщо застосовно",
                "опціонально",
                "за бажанням",
            ],
        ),
        (Da, &["valgfri*", "hvis relevant", "hvis nodvendigt", "efter behov", "om nodvendigt", "hvis aktuelt"]),
        (Fi, &["valinnainen", "vapaaehtoinen", "tarvittaessa", "jos tarpeen", "jos sovellettavissa"]),
        (Hu, &["ha relevans", "ha szukseges", "szukseg eseten", "valaszthato", "opcionalis"]),
    ],
};

/// Optional marks that count only as a whole label ("(해당 시)", "(필요 시)"): Korean is matched
/// without word boundaries, and "해당 시" ("when it applies") also begins "해당 시스템" ("the
/// system concerned"), "필요 시" ("when needed") begins "필요 시간" ("time needed").
pub const OPTIONAL_LABEL: Rule = Rule {
    name: "optional-label",
    words: &[(Ko, &["해당 시", "해당시", "해당 시에만", "해당시에만", "필요 시", "필요 시에만", "필요시에만"])],
};

/// Sections that apply only in some deployments (beyond "optional"/"if applicable").
pub const CIRCUMSTANTIAL: Rule = Rule {
    name: "circumstantial-section",
    words: &[
        (
            En,
            &[
                "special scenario*",
                "special deployment scenario*",
                "special case*",
                "environment specific",
                "per environment",
                "scenario specific",
                "alternative*",
                "option 1",
                "option 2",
                "option 3",
                "option a",
                "option b",
                "option c",
                "method 1",
                "method 2",
                "method a",
                "method b",
                "if you",
                "only if",
                "only when",
                "in case of",
                "when deploying to",
            ],
        ),
        (
            Es,
            &[
                "escenarios especiales",
                "casos especiales",
                "alternativa*",
                "opcion 1",
                "opcion 2",
                "opcion a",
                "opcion b",
                "metodo 1",
                "metodo 2",
                "especifico del entorno",
                "especificos del entorno",
                "solo si",
                "en caso de",
            ],
        ),
        (
            Pt,
            &[
                "cenarios especiais",
                "casos especiais",
                "alternativa*",
                "opcao 1",
                "opcao 2",
                "opcao 3",
                "opcao a",
                "opcao b",
                "metodo 1",
                "metodo 2",
                "especifico do ambiente",
                "especificos do ambiente",
                "somente se",
                "apenas se",
                "em caso de",
            ],
        ),
        (
            Fr,
            &[
                "scenarios speciaux",
                "cas particuliers",
                "alternative*",
                "option 1",
                "option 2",
                "methode 1",
                "methode 2",
                "specifique a l environnement",
                "seulement si",
                "en cas de",
            ],
        ),
        (
            De,
            &[
                "sonderfall*",
                "sonderfalle",
                "spezielle szenarien",
                "alternative*",
                "variante 1",
                "variante 2",
                "option 1",
                "option 2",
                "umgebungsspezifisch*",
                "nur wenn",
                "im falle",
            ],
        ),
        (
            It,
            &[
                "scenari speciali",
                "casi speciali",
                "alternativa*",
                "opzione 1",
                "opzione 2",
                "metodo 1",
                "metodo 2",
                "specifico per ambiente",
                "solo se",
                "in caso di",
            ],
        ),
        (
            Ru,
            &[
                "особые случаи",
                "специальные сценарии",
                "альтернатив*",
                "вариант 1",
                "вариант 2",
                "способ 1",
                "способ 2",
                "для конкретного окружения",
                "только если",
                "в случае",
            ],
        ),
        (
            Zh,
            &[
                "特殊场景",
                "特殊情况",
                "环境特定",
                "仅当",
                "如果",
                "方法1",
                "方法2",
                "方法一",
                "方法二",
                "方案一",
                "方案二",
                "方式一",
                "方式二",
                "备选",
            ],
        ),
        (Ja, &["特殊なケース", "特別なシナリオ", "環境固有", "場合のみ", "方法1", "方法2", "代替"]),
        (Vi, &["chỉ khi", "chỉ trong trường hợp"]),
        (Cs, &["pouze pokud", "jen pokud", "pouze v pripade", "pouze pri"]),
        (Uk, &["лише якщо", "тільки якщо", "лише у разі", "тільки у разі"]),
        (Da, &["kun hvis", "kun ved", "kun i tilfælde af"]),
        (Fi, &["vain jos", "vain kun"]),
        (Hu, &["csak ha", "csak akkor", "eseten"]),
        (De, &["nur bei"]),
    ],
};

/// Headings that scope their section to one case ("Only for the EU region", "Spécifique à la
/// région Canada"): the section is conditional and its items apply only in that case. Read in
/// headings only: in an item, "Enable the flag only for internal users" is the task's scope.
pub const ONLY_FOR: Rule = Rule {
    name: "only-for",
    words: &[
        (En, &["only for", "region specific"]),
        (Fr, &["specifique a la region", "specifique au pays", "uniquement pour"]),
        (Nl, &["alleen voor", "alleen van toepassing", "specifiek voor"]),
        (Pl, &["tylko dla"]),
        (Sv, &["endast for", "bara for"]),
        (Id, &["hanya untuk"]),
        (It, &["solo per"]),
        (Es, &["solo para", "unicamente para"]),
        (Pt, &["somente para", "apenas para"]),
        (De, &["nur fur"]),
        (Ru, &["только для"]),
        (Vi, &["chỉ danh cho", "chỉ ap dụng cho"]),
        (Cs, &["pouze pro", "jen pro"]),
        (Uk, &["лише для", "тільки для"]),
        (Da, &["kun for", "kun til"]),
    ],
};

/// A contingency heading's own condition: "Rollback (only if the deployment fails)",
/// "Rollback-Verfahren (nur im Fehlerfall)", "切り戻し手順（障害発生時のみ）". Its items apply only
/// in that case, as under "(if applicable)". Read in contingency headings only: elsewhere the
/// words can be the go-live's rule ("Proceed only if every check passed"), which scopes nothing.
pub const ONLY_IN_CASE: Rule = Rule {
    name: "only-in-case",
    words: &[
        (En, &["only if", "only when", "only in case", "only in the event", "only on failure", "only on incident"]),
        (Es, &["solo si", "solo en caso", "solamente si", "unicamente si", "unicamente en caso"]),
        (Pt, &["somente se", "somente em caso", "apenas se", "apenas em caso"]),
        (Fr, &["uniquement si", "uniquement en cas", "seulement si", "seulement en cas"]),
        (De, &["nur im fehlerfall", "nur im notfall", "nur bei", "nur wenn", "nur falls"]),
        (It, &["solo se", "solo in caso"]),
        (Ru, &["только при", "только если", "только в случае"]),
        (Zh, &["仅在", "仅当", "僅在", "僅當"]),
        (Ja, &["時のみ", "場合のみ"]),
        (Nl, &["alleen bij", "alleen als", "alleen indien"]),
        (Tr, &["yalnizca", "sadece"]),
        (Ko, &["시에만", "경우에만"]),
        (Pl, &["tylko gdy", "tylko jesli", "tylko w razie", "w razie problemow", "w razie awarii"]),
        (Sv, &["endast vid", "endast om", "bara om", "vid problem"]),
        (Id, &["hanya jika", "hanya bila", "jika terjadi masalah", "bila terjadi masalah"]),
        (Vi, &["chỉ khi", "chỉ trong trường hợp", "khi co sự cố"]),
        (Cs, &["pouze pokud", "jen pokud", "pouze v pripade", "pouze pri", "pri selhani", "v pripade selhani"]),
        (Uk, &["лише у разі", "лише якщо", "тільки у разі", "тільки якщо", "у разі проблем", "у разі збою"]),
        (Da, &["kun hvis", "kun ved", "ved fejl", "kun i tilfælde af"]),
        (Fi, &["vain jos", "vain kun", "vain ongelmatilanteessa"]),
        (Hu, &["csak hiba eseten", "csak ha", "hiba eseten", "csak problema eseten", "csak"]),
    ],
};

/// The procedure used only when something goes wrong.
pub const CONTINGENCY: Rule = Rule {
    name: "contingency",
    words: &[
        (
            En,
            &[
                "rollback*",
                "roll back*",
                "rolling back",
                "revert*",
                "incident*",
                "emergency",
                "disaster recovery",
                "contingency",
                "contingencies",
                "failure recovery",
                "recovery procedure*",
                "if something goes wrong",
                "if deployment fails",
                "when things go wrong",
                "abort*",
                "backout*",
                "back out",
                "troubleshoot*",
                "fallback*",
                "failover*",
                "if something fails",
                "if anything fails",
                "if it fails",
                "when something fails",
                "something goes wrong",
                "in case of failure",
                "on failure",
            ],
        ),
        (
            Es,
            &[
                "reversion",
                "revertir",
                "marcha atras",
                "si algo falla",
                "en caso de fallo",
                "incidente*",
                "emergencia*",
                "contingencia*",
                "recuperacion ante desastres",
                "solucion de problemas",
            ],
        ),
        (
            Pt,
            &[
                "reversao",
                "reverter",
                "se algo falhar",
                "em caso de falha",
                "incidente*",
                "emergencia*",
                "contingencia*",
                "recuperacao de desastre*",
                "solucao de problemas",
                "resolucao de problemas",
                "plano b",
            ],
        ),
        (
            Fr,
            &[
                "retour arriere",
                "restauration",
                "en cas d echec",
                "si quelque chose echoue",
                "incident*",
                "urgence*",
                "contingence",
                "reprise apres sinistre",
                "depannage",
                "plan b",
            ],
        ),
        (
            De,
            &[
                "ruckfall*",
                "ruckrollen",
                "wenn etwas schiefgeht",
                "im fehlerfall",
                "ruckgangig",
                "ruckabwicklung",
                "zuruckrollen",
                "notfall*",
                "storung*",
                "vorfall*",
                "wiederherstellung",
                "fehlerbehebung",
            ],
        ),
        (
            It,
            &[
                "ripristino",
                "annullamento",
                "emergenz*",
                "incident*",
                "contingenza",
                "risoluzione dei problemi",
                "disaster recovery",
            ],
        ),
        (
            Ru,
            &[
                "откат*",
                "откатить",
                "если что то пошло не так",
                "инцидент*",
                "аварийн*",
                "восстановлени*",
                "чрезвычайн*",
            ],
        ),
        (
            Zh,
            &[
                "回滚",
                "回退",
                "应急",
                "出现问题",
                "失败处理",
                "紧急",
                "故障",
                "事故",
                "灾难恢复",
                "容灾",
                "异常处理",
                "问题排查",
            ],
        ),
        (Ja, &["ロールバック", "切り戻し", "緊急", "障害", "インシデント", "復旧", "トラブルシューティング"]),
        (Nl, &["terugdraaien", "terugdraai*", "terugrol*", "noodgeval*", "incident*"]),
        (Tr, &["geri alma", "geri donus", "acil durum"]),
        (Ko, &["롤백", "장애", "긴급"]),
        (
            Pl,
            &[
                "wycofanie",
                "wycofania",
                "wycofaniu",
                "wycofanie zmian",
                "przywracanie",
                "awaria",
                "awarie",
                "incydent*",
                "plan awaryjny",
            ],
        ),
        (Sv, &["aterstallning*", "aterstall", "incident*", "nodlage", "vid problem"]),
        (Id, &["pemulihan", "insiden", "darurat", "pengembalian"]),
        (Vi, &["hoan tac", "sự cố", "khoi phục phien bản"]),
        (Cs, &["postup pri selhani", "navrat na predchozi verzi", "vraceni zmen", "havarijni*"]),
        (Uk, &["відкат*", "інцидент*", "аварійн*"]),
        (Da, &["tilbagerulning*", "nodprocedure", "ved fejl"]),
        (Fi, &["palautusmenettely", "palautus", "paluu edelliseen versioon", "hairiotilanne*"]),
        (Hu, &["visszaallitas*", "visszagorgetes", "incidens*", "veszhelyzet*"]),
    ],
};

/// Words that make a rollback heading about readiness of the plan (required preparation),
/// not the procedure itself.
pub const READINESS: Rule = Rule {
    name: "rollback-readiness",
    words: &[
        (
            En,
            &[
                "plan",
                "plans",
                "planning",
                "ready",
                "readiness",
                "prepared",
                "preparation",
                "documented",
                "tested",
                "verified",
                "strategy",
            ],
        ),
        (Es, &["plan", "preparado*", "preparacion", "documentado*", "probado*", "estrategia"]),
        (Pt, &["plano", "preparado*", "preparacao", "documentado*", "testado*", "estrategia"]),
        (Fr, &["plan", "prepare*", "preparation", "documente*", "teste*", "strategie"]),
        (De, &["plan", "bereit", "vorbereitet", "vorbereitung", "dokumentiert", "getestet", "strategie"]),
        (It, &["piano", "pronto", "preparato", "preparazione", "documentato", "testato", "strategia"]),
        (Ru, &["план*", "готов*", "подготовк*", "задокументирован*", "протестирован*", "стратеги*"]),
        (Zh, &["计划", "方案", "预案", "准备", "就绪"]),
        (Ja, &["計画", "準備", "手順書"]),
        (Nl, &["plan", "voorbereiding", "voorbereid", "gereedheid"]),
        (Tr, &["plan", "plani", "planlari", "planlama", "hazirlik", "hazirligi"]),
        (Ko, &["계획", "플랜", "준비"]),
        (Pl, &["plan", "gotowosc", "przygotowany", "udokumentowany"]),
        (Sv, &["plan", "aterstallningsplan*", "beredskap", "dokumenterad"]),
        (Id, &["rencana", "kesiapan", "siap"]),
        (Vi, &["kế hoạch", "sẵn sang", "chuẩn bị"]),
        (Cs, &["plan", "pripraven*", "pripravenost", "zdokumentovan*"]),
        (Uk, &["план*", "готовн*", "підготовк*"]),
        (Da, &["plan", "tilbagerulningsplan*", "beredskab", "klar"]),
        (Fi, &["suunnitelma", "palautussuunnitelma", "valmius", "valmistelu"]),
        (Hu, &["terv", "tervezes", "felkeszules", "visszaallitasi terv"]),
    ],
};

/// A heading that opens the steps of a procedure rather than its readiness.
pub const PROCEDURE: Rule = Rule {
    name: "procedure",
    words: &[
        (
            En,
            &[
                "procedure*",
                "steps",
                "execution",
                "execute",
                "how to",
                "process",
                "runbook",
                "playbook",
                "when to",
                "triggers",
                "if needed",
                "if required",
            ],
        ),
        (Es, &["procedimiento*", "pasos", "ejecucion"]),
        (Pt, &["procedimento*", "passos", "execucao", "etapas"]),
        (Fr, &["procedure*", "etapes", "execution"]),
        (De, &["verfahren", "ablauf", "schritte", "durchfuhrung", "ausfuhrung"]),
        (It, &["procedura", "passi", "esecuzione"]),
        (Ru, &["процедур*", "шаги", "выполнени*", "порядок"]),
        (Zh, &["步骤", "流程", "执行", "操作"]),
        (Ja, &["手順", "実行"]),
        (Nl, &["procedure", "stappen", "uitvoering"]),
        (Tr, &["prosedur*", "adimlar", "adimlari"]),
        (Ko, &["절차", "실행"]),
        (Pl, &["procedura", "kroki"]),
        (Sv, &["rutin", "aterstallningsrutin*", "steg"]),
        (Id, &["prosedur", "langkah"]),
        (Vi, &["quy trinh", "cac bước", "thủ tục"]),
        (Cs, &["postup", "kroky"]),
        (Uk, &["процедур*", "кроки", "порядок"]),
        (Da, &["procedure", "trin", "fremgangsmade"]),
        (Fi, &["menettely", "vaiheet", "toimenpiteet"]),
        (Hu, &["eljaras", "lepesek", "teendok"]),
    ],
};

/// Preparation and the go/no-go decision.
pub const BEFORE: Rule = Rule {
    name: "gate-before",
    words: &[
        (
            En,
            &[
                "pre deploy*",
                "predeploy*",
                "pre release",
                "prerelease",
                "pre launch",
                "prelaunch",
                "pre production",
                "pre flight",
                "preflight",
                "pre go live",
                "pre rollout",
                "pre merge",
                "pre cutover",
                "before deploy*",
                "before release",
                "before launch",
                "before going live",
                "before go live",
                "before merging",
                "prior to deploy*",
                "prior to release",
                "prerequisite*",
                "pre requisite*",
                "preparation",
                "preparations",
                "prepare",
                "preparing",
                "readiness",
                "ready for",
                "go no go",
                "go live decision",
                "launch readiness",
                "release readiness",
                "day -1",
                "day -2",
                "d -1",
                "t -1",
                "t minus",
                "week -1",
                "planning",
                "requirements",
            ],
        ),
        (
            Es,
            &[
                "pre despliegue",
                "predespliegue",
                "pre produccion",
                "antes del despliegue",
                "antes de desplegar",
                "antes del lanzamiento",
                "pre lanzamiento",
                "prelanzamiento",
                "preparacion",
                "requisitos",
                "prerrequisitos",
                "previo al despliegue",
            ],
        ),
        (
            Pt,
            &[
                "pre deploy",
                "pre implantacao",
                "pre implementacao",
                "pre lancamento",
                "pre producao",
                "antes do deploy",
                "antes da implantacao",
                "antes do lancamento",
                "antes de publicar",
                "preparacao",
                "pre requisitos",
                "prerequisitos",
                "requisitos",
            ],
        ),
        (
            Fr,
            &[
                "pre deploiement",
                "predeploiement",
                "avant le deploiement",
                "avant deploiement",
                "avant la mise en production",
                "avant la mise en prod",
                "pre production",
                "avant le lancement",
                "preparation",
                "prerequis",
                "pre requis",
            ],
        ),
        (
            De,
            &[
                "vor dem deployment",
                "vor der bereitstellung",
                "vor dem release",
                "vor dem go live",
                "vor dem livegang",
                "vor der inbetriebnahme",
                "vorbereitung*",
                "voraussetzung*",
                "vorab",
                "pre deployment",
            ],
        ),
        (
            It,
            &[
                "pre rilascio",
                "prima del rilascio",
                "prima del deploy",
                "prima della messa in produzione",
                "preparazione",
                "prerequisiti",
                "pre deployment",
            ],
        ),
        (
            Ru,
            &[
                "перед развертыванием",
                "перед деплоем",
                "перед релизом",
                "перед запуском",
                "перед выкаткой",
                "подготовк*",
                "предварительн*",
                "до развертывания",
                "до релиза",
            ],
        ),
        (Zh, &["部署前", "上线前", "发布前", "发版前", "准备工作", "准备阶段", "前置", "预发布", "预检"]),
        (Ja, &["デプロイ前", "リリース前", "本番前", "事前", "準備"]),
        (Nl, &["voor de uitrol", "voorbereiding"]),
        (Tr, &["dagitim oncesi", "yayin oncesi", "hazirlik"]),
        (Ko, &["배포 전", "사전", "배포 차단", "릴리스 차단", "릴리즈 차단", "출시 차단"]),
        (Pl, &["przed wdrozeniem", "przygotowanie", "przygotowania", "przedwdrozeniow*", "wymagania wstepne"]),
        (Sv, &["fore driftsattning", "forberedelse*", "forutsattningar", "dag -1"]),
        (Id, &["persiapan", "sebelum rilis", "sebelum deploy", "pra rilis", "prasyarat"]),
        (Vi, &["trước triển khai", "trước khi triển khai", "chuẩn bị", "trước phat hanh", "trước khi phat hanh"]),
        (Cs, &["pred nasazenim", "priprava", "pripravy", "pripravna faze", "predpoklady"]),
        (Uk, &["підготовка", "перед розгортанням", "перед релізом", "передумови"]),
        (Da, &["for udrulning", "forberedelse*", "inden udrulning", "for release", "forudsætninger"]),
        (Fi, &["ennen julkaisua", "valmistelu*", "esivalmistelut", "ennen kayttoonottoa", "esiehdot"]),
        (Hu, &["elesites elott*", "elokeszites", "elokeszuletek", "felkeszules", "elofeltetelek"]),
        (En, &["d -2", "d -3", "d -7", "t -2", "j -1", "j -2", "h -1"]),
    ],
};

/// The deployment steps themselves.
pub const DURING: Rule = Rule {
    name: "gate-during",
    words: &[
        (
            En,
            &[
                "deploy",
                "deployment",
                "deploying",
                "deployment steps",
                "deployment process",
                "deployment procedure",
                "deployment day",
                "deploy day",
                "rollout",
                "roll out",
                "rolling out",
                "cutover",
                "cut over",
                "go live",
                "launch",
                "launch day",
                "release day",
                "release process",
                "release steps",
                "releasing",
                "publish*",
                "ship it",
                "execution",
                "day 0",
                "d day",
                "t 0",
                "migration",
                "migrate",
                "deployment phase",
                "during deploy*",
                "step",
                "step 1",
                "step 2",
                "step 3",
                "step 4",
                "step 5",
                "step 6",
                "step 7",
                "step 8",
                "step 9",
                "steps",
            ],
        ),
        (
            Es,
            &[
                "despliegue",
                "desplegar",
                "paso",
                "implementacion",
                "lanzamiento",
                "puesta en produccion",
                "publicacion",
                "durante el despliegue",
                "ejecucion",
            ],
        ),
        (
            Pt,
            &[
                "deploy",
                "implantacao",
                "passo",
                "etapa",
                "implementacao",
                "publicacao",
                "lancamento",
                "durante o deploy",
                "execucao",
                "go live",
                "subida",
            ],
        ),
        (
            Fr,
            &[
                "deploiement",
                "etape",
                "mise en production",
                "mise en prod",
                "lancement",
                "pendant le deploiement",
                "execution",
                "bascule",
            ],
        ),
        (
            De,
            &[
                "deployment",
                "schritt",
                "bereitstellung",
                "ausrollen",
                "rollout",
                "livegang",
                "go live",
                "inbetriebnahme",
                "durchfuhrung",
                "veroffentlichung",
                "installation",
            ],
        ),
        (It, &["rilascio", "deploy", "messa in produzione", "durante il rilascio", "esecuzione", "pubblicazione"]),
        (Ru, &["развертывани*", "шаг", "деплой", "выкатк*", "релиз", "запуск", "во время развертывания"]),
        (Zh, &["部署", "上线", "发布", "发版", "部署步骤", "部署过程", "部署中", "实施"]),
        (Ja, &["デプロイ", "リリース", "本番反映", "移行", "ステップ"]),
        (Nl, &["uitrol", "implementatie"]),
        (Tr, &["dagitim", "yayin"]),
        (Ko, &["배포"]),
        (Pl, &["wdrozenie", "wdrozenia", "wdrazanie", "kroki wdrozenia", "przebieg wdrozenia"]),
        (Sv, &["driftsattning", "driftsattningen", "lansering", "utrullning", "produktionssattning", "dag 0"]),
        (Id, &["pelaksanaan rilis", "pelaksanaan", "rilis", "peluncuran", "penerapan", "hari h"]),
        (Vi, &["triển khai", "phat hanh", "ngay triển khai", "ngay phat hanh"]),
        (Cs, &["nasazeni", "den nasazeni", "prubeh nasazeni", "vydani"]),
        (Uk, &["розгортання", "реліз", "випуск", "день релізу"]),
        (Da, &["udrulning", "idriftsættelse", "udrulningsdag"]),
        (Fi, &["julkaisu", "kayttoonotto", "asennus", "julkaisupaiva"]),
        (Hu, &["elesites", "telepites", "kiadas", "bevezetes"]),
        (En, &["d0", "t0"]),
    ],
};

/// Verification, monitoring and cleanup once deployed.
pub const AFTER: Rule = Rule {
    name: "gate-after",
    words: &[
        (
            En,
            &[
                "post deploy*",
                "postdeploy*",
                "post release",
                "post launch",
                "post go live",
                "post rollout",
                "post cutover",
                "post production",
                "post merge",
                "after deploy*",
                "after release",
                "after launch",
                "after go live",
                "after going live",
                "verification",
                "verify",
                "validation",
                "smoke test*",
                "monitoring",
                "monitor",
                "observe",
                "observation",
                "first 15 minutes",
                "first hour",
                "first 24 hours",
                "first week",
                "day +1",
                "day +2",
                "day 1",
                "day 2",
                "d +1",
                "week +1",
                "week 1",
                "week 2",
                "final check*",
                "final checklist",
                "final verification",
                "final validation",
                "cleanup",
                "clean up",
                "housekeeping",
                "success criteria",
                "acceptance",
                "retrospective",
                "retro",
                "post mortem",
                "postmortem",
                "follow up",
                "follow ups",
                "wrap up",
                "hypercare",
                "announce*",
                "communicat* after",
            ],
        ),
        (
            Es,
            &[
                "post despliegue",
                "post produccion",
                "despues del despliegue",
                "posterior al despliegue",
                "verificacion",
                "validacion",
                "monitoreo",
                "monitorizacion",
                "pruebas de humo",
                "limpieza",
                "criterios de exito",
                "seguimiento",
            ],
        ),
        (
            Pt,
            &[
                "pos deploy",
                "pos implantacao",
                "pos implementacao",
                "pos lancamento",
                "pos producao",
                "apos o deploy",
                "apos deploy",
                "depois do deploy",
                "verificacao",
                "validacao",
                "monitoramento",
                "testes de fumaca",
                "limpeza",
                "criterios de sucesso",
                "acompanhamento",
            ],
        ),
        (
            Fr,
            &[
                "post deploiement",
                "apres le deploiement",
                "apres deploiement",
                "apres la mise en production",
                "verification*",
                "validation",
                "surveillance",
                "supervision",
                "tests de fumee",
                "nettoyage",
                "criteres de succes",
                "criteres de reussite",
                "suivi",
            ],
        ),
        (
            De,
            &[
                "nach dem deployment",
                "nach der bereitstellung",
                "nach dem release",
                "nach dem go live",
                "nach dem livegang",
                "post deployment",
                "verifikation",
                "verifizierung",
                "uberprufung",
                "validierung",
                "uberwachung",
                "monitoring",
                "smoke test*",
                "aufraumen",
                "bereinigung",
                "erfolgskriterien",
                "nachbereitung",
                "abnahme",
            ],
        ),
        (
            It,
            &[
                "post rilascio",
                "dopo il rilascio",
                "dopo il deploy",
                "verifica",
                "verifiche",
                "validazione",
                "monitoraggio",
                "pulizia",
                "criteri di successo",
            ],
        ),
        (
            Ru,
            &[
                "после развертывания",
                "после деплоя",
                "после релиза",
                "после запуска",
                "проверка после",
                "верификаци*",
                "мониторинг*",
                "наблюдени*",
                "смоук*",
                "очистк*",
                "критерии успеха",
            ],
        ),
        (
            Zh,
            &[
                "部署后",
                "上线后",
                "发布后",
                "验证",
                "监控",
                "观察",
                "冒烟测试",
                "清理",
                "成功标准",
                "验收",
                "复盘",
                "回访",
            ],
        ),
        (
            Ja,
            &["デプロイ後", "リリース後", "本番後", "事後", "確認", "検証", "監視", "動作確認", "後片付け", "成功基準"],
        ),
        (Nl, &["na de uitrol", "nazorg", "na livegang", "na de livegang", "verificatie", "monitoring"]),
        (Tr, &["dagitim sonrasi", "dogrulama", "izleme"]),
        (Ko, &["배포 후", "검증", "모니터링"]),
        (Pl, &["po wdrozeniu", "weryfikacja", "monitorowanie", "odbior powdrozeniowy", "powdrozeniow*", "sprzatanie"]),
        (
            Sv,
            &[
                "uppfoljning",
                "efter driftsattning",
                "verifiering",
                "overvakning",
                "efterarbete",
                "stadning",
                "dag +1",
                "dag 1",
            ],
        ),
        (
            Id,
            &[
                "pasca rilis",
                "pasca deploy",
                "setelah rilis",
                "setelah deploy",
                "verifikasi",
                "pemantauan",
                "pembersihan",
                "h +1",
            ],
        ),
        (Vi, &["sau triển khai", "sau khi triển khai", "sau phat hanh", "giam sat", "dọn dẹp"]),
        (Cs, &["po nasazeni", "den po nasazeni", "uklid", "nasledna kontrola"]),
        (Uk, &["після релізу", "після розгортання", "моніторинг", "прибирання"]),
        (Da, &["efter udrulning", "efter release", "opfolgning", "overvagning", "oprydning", "efterkontrol"]),
        (Fi, &["julkaisun jalkeen", "kayttoonoton jalkeen", "jalkitarkastus", "seuranta", "siivous", "jalkitoimet"]),
        (Hu, &["elesites utan*", "utolagos ellenorzes", "monitorozas", "takaritas", "utokovetes"]),
        (De, &["nachkontrolle", "nachsorge"]),
        (En, &["d +2", "d +7", "t +1", "j +1", "h +1"]),
    ],
};

/// Parts of a document that are not a stage of the deployment.
pub const NO_GATE: Rule = Rule {
    name: "no-gate",
    words: &[
        (
            En,
            &[
                "notes",
                "note",
                "references",
                "reference",
                "quick reference",
                "resources",
                "links",
                "useful links",
                "important urls",
                "urls",
                "contacts",
                "contact",
                "contact information",
                "emergency contacts",
                "escalation",
                "escalation path",
                "on call",
                "table of contents",
                "contents",
                "toc",
                "appendix",
                "glossary",
                "metrics",
                "metrics to track",
                "key metrics",
                "deployment metrics",
                "kpis",
                "changelog",
                "change log",
                "revision history",
                "document history",
                "version history",
                "related",
                "related documents",
                "see also",
                "further reading",
                "faq",
                "support",
                "legend",
                "commands",
                "useful commands",
                "common commands",
                "critical commands",
                "cheat sheet",
                "license",
                "credits",
                "acknowledgements",
                "acknowledgments",
                "templates",
                "template",
                "example",
                "examples",
                "timeline",
                "schedule",
                "owners",
                "team",
                "roles and responsibilities",
            ],
        ),
        (
            Es,
            &[
                "notas",
                "referencias",
                "recursos",
                "enlaces",
                "contactos",
                "contacto",
                "escalamiento",
                "indice",
                "glosario",
                "apendice",
                "anexo",
                "metricas",
                "historial de cambios",
                "comandos utiles",
            ],
        ),
        (
            Pt,
            &[
                "notas",
                "observacoes",
                "referencias",
                "recursos",
                "links",
                "links uteis",
                "contatos",
                "contato",
                "escalonamento",
                "indice",
                "sumario",
                "glossario",
                "apendice",
                "anexo",
                "metricas",
                "historico de alteracoes",
                "comandos uteis",
            ],
        ),
        (
            Fr,
            &[
                "notes",
                "remarques",
                "references",
                "ressources",
                "liens",
                "liens utiles",
                "contacts",
                "escalade",
                "table des matieres",
                "sommaire",
                "glossaire",
                "annexe",
                "metriques",
                "historique des modifications",
                "commandes utiles",
            ],
        ),
        (
            De,
            &[
                "notizen",
                "hinweise",
                "anmerkungen",
                "referenzen",
                "ressourcen",
                "links",
                "kontakte",
                "ansprechpartner",
                "eskalation",
                "inhaltsverzeichnis",
                "glossar",
                "anhang",
                "metriken",
                "kennzahlen",
                "anderungshistorie",
                "nutzliche befehle",
            ],
        ),
        (
            It,
            &[
                "note",
                "riferimenti",
                "risorse",
                "collegamenti",
                "link utili",
                "contatti",
                "escalation",
                "indice",
                "glossario",
                "appendice",
                "allegato",
                "metriche",
                "cronologia delle modifiche",
                "comandi utili",
            ],
        ),
        (
            Ru,
            &[
                "примечани*",
                "заметки",
                "ссылки",
                "ресурсы",
                "полезные ссылки",
                "контакты",
                "эскалаци*",
                "содержание",
                "оглавление",
                "глоссарий",
                "приложени*",
                "метрики",
                "история изменений",
                "полезные команды",
            ],
        ),
        (
            Zh,
            &[
                "备注",
                "注意事项",
                "参考",
                "参考资料",
                "相关链接",
                "资源",
                "联系人",
                "联系方式",
                "紧急联系",
                "升级路径",
                "目录",
                "附录",
                "术语",
                "指标",
                "关键指标",
                "变更记录",
                "更新日志",
                "常用命令",
                "快速参考",
            ],
        ),
        (
            Ja,
            &[
                "備考",
                "注意事項",
                "参考",
                "参考資料",
                "リンク",
                "連絡先",
                "緊急連絡先",
                "エスカレーション",
                "目次",
                "付録",
                "用語集",
                "メトリクス",
                "指標",
                "変更履歴",
                "よく使うコマンド",
            ],
        ),
        (Pl, &["notatki", "uwagi", "kontakty", "zalaczniki", "zalacznik", "metryki", "odnosniki", "slownik"]),
        (Sv, &["anteckningar", "kontakter", "bilagor", "bilaga", "referenser", "ordlista"]),
        (Id, &["catatan", "kontak", "lampiran", "referensi", "metrik", "glosarium"]),
        (En, &["scorecard", "readiness scorecard", "scoring"]),
        (Zh, &["评分", "得分"]),
        (It, &["punteggio"]),
        (Es, &["puntuacion"]),
        (Sv, &["poang"]),
        (Pl, &["punktacja"]),
        (Id, &["penilaian", "skor"]),
        (Vi, &["ghi chu", "lien hệ", "danh bạ", "phụ lục", "tham khảo"]),
        (Cs, &["poznamky", "kontakty", "prilohy", "priloha", "odkazy", "hodnoceni"]),
        (Uk, &["примітки", "контакти", "додатки", "додаток", "посилання", "оцінювання"]),
        (Da, &["noter", "bemærkninger", "kontakter", "bilag", "referencer", "pointgivning"]),
        (Fi, &["muistiinpanot", "huomiot", "yhteystiedot", "liitteet", "viitteet", "pisteytys", "arviointi"]),
        (
            Hu,
            &[
                "megjegyzesek",
                "kapcsolattartok",
                "elerhetosegek",
                "mellekletek",
                "hivatkozasok",
                "pontozas",
                "ertekeles",
            ],
        ),
    ],
};

/// Introductory headings: no stage of their own when they hold no task.
pub const PREAMBLE: Rule = Rule {
    name: "preamble",
    words: &[
        (
            En,
            &[
                "overview",
                "introduction",
                "intro",
                "summary",
                "executive summary",
                "purpose",
                "scope",
                "background",
                "about",
                "context",
                "description",
                "how to use",
                "usage",
                "instructions",
                "status",
                "current status",
                "motivation",
                "goals",
                "non goals",
                "proposal",
                "design details",
                "alternatives",
                "history",
                "architecture",
                "what changed",
                "changes",
                "deployment summary",
                "report",
                "results",
            ],
        ),
        (Es, &["resumen", "introduccion", "descripcion", "objetivo", "alcance", "contexto", "estado", "instrucciones"]),
        (
            Pt,
            &[
                "resumo",
                "introducao",
                "descricao",
                "visao geral",
                "objetivo",
                "escopo",
                "contexto",
                "status",
                "instrucoes",
                "como usar",
            ],
        ),
        (
            Fr,
            &[
                "apercu",
                "vue d ensemble",
                "introduction",
                "resume",
                "objectif",
                "perimetre",
                "contexte",
                "statut",
                "mode d emploi",
            ],
        ),
        (
            De,
            &[
                "uberblick",
                "ubersicht",
                "einleitung",
                "zusammenfassung",
                "zweck",
                "umfang",
                "hintergrund",
                "kontext",
                "status",
                "anleitung",
            ],
        ),
        (
            It,
            &[
                "panoramica",
                "introduzione",
                "riepilogo",
                "sommario",
                "scopo",
                "ambito",
                "contesto",
                "stato",
                "istruzioni",
            ],
        ),
        (Ru, &["обзор", "введение", "описание", "цель", "назначение", "контекст", "статус", "инструкци*"]),
        (Zh, &["概述", "简介", "介绍", "总结", "摘要", "目的", "范围", "背景", "说明", "状态", "使用说明", "架构"]),
        (Ja, &["概要", "はじめに", "目的", "範囲", "背景", "説明", "使い方", "状態"]),
        (Nl, &["go no go regel", "beslisregel", "puntentelling"]),
        (Tr, &["puan*", "puanlama"]),
        (Ko, &["평가", "점수", "준비도"]),
    ],
};

/// Headings (and lead-in lines) under which lines are slots for people's approval.
pub const SIGN_OFF_HEADING: Rule = Rule {
    name: "sign-off-heading",
    words: &[
        (
            En,
            &[
                "sign off*",
                "signoff*",
                "signed off",
                "signature*",
                "approvals",
                "approval",
                "approved by",
                "approvers",
                "authorized by",
                "authorised by",
                "go no go decision",
                "go no go",
                "final decision",
                "launch decision",
                "release decision",
                "deployment decision",
                "go live decision",
                "release approval",
                "deployment approval",
                "attestation",
                "acknowledgement",
                "acknowledgment",
            ],
        ),
        (Es, &["aprobacion*", "aprobado por", "firmas", "firma", "autorizado por", "visto bueno", "conformidad"]),
        (Pt, &["aprovacao", "aprovacoes", "aprovado por", "assinatura*", "autorizado por", "homologacao", "de acordo"]),
        (Fr, &["approbation*", "approuve par", "signature*", "validation finale", "autorise par", "visa", "visas"]),
        (
            De,
            &[
                "freigabe*",
                "genehmigung*",
                "genehmigt von",
                "freigegeben von",
                "unterschrift*",
                "abzeichnung",
                "autorisiert",
            ],
        ),
        (It, &["approvazion*", "approvato da", "firme", "firma", "autorizzato da", "benestare"]),
        (
            Ru,
            &[
                "утверждени*",
                "утверждено",
                "согласовани*",
                "согласовано",
                "подпис*",
                "одобрени*",
                "одобрено",
                "визирование",
            ],
        ),
        (Zh, &["签字", "签核", "签署", "审批", "批准", "确认签字", "验收签字", "签名"]),
        (Ja, &["承認", "サインオフ", "署名", "決裁"]),
        (Nl, &["goedkeuring*", "handtekening*", "akkoord", "aftekening", "ondertekening"]),
        (Tr, &["onay", "onaylar", "imza", "imzalar"]),
        (Ko, &["승인", "서명", "결재"]),
        (Pl, &["zatwierdzeni*", "akceptacj*", "podpisy", "podpis", "odbior"]),
        (Sv, &["godkannande*", "attest*", "underskrift*", "signering*"]),
        (Id, &["persetujuan", "pengesahan", "tanda tangan"]),
        (Vi, &["phe duyệt", "ky duyệt", "chữ ky"]),
        (Cs, &["schvaleni", "podpisy", "odsouhlaseni"]),
        (Uk, &["погодження", "затвердження", "підписи"]),
        (Da, &["godkendelse*", "underskrift*"]),
        (Fi, &["hyvaksyn*", "allekirjoitukset", "allekirjoitus"]),
        (Hu, &["jovahagyas*", "alairas*", "engedelyezes"]),
    ],
};

/// A line label that makes its blank an approval slot: "Approved by: ____".
pub const APPROVAL_LABEL: Rule = Rule {
    name: "approval-label",
    words: &[
        (
            En,
            &[
                "approved by",
                "approver",
                "approval",
                "sign off",
                "signoff",
                "signed off by",
                "signed by",
                "signature",
                "authorized by",
                "authorised by",
                "reviewed by",
                "accepted by",
                "go no go",
                "go no go decision",
                "decision by",
                "decision",
            ],
        ),
        (Es, &["aprobado por", "aprobador", "aprobacion", "firma", "firmado por", "autorizado por", "revisado por"]),
        (
            Pt,
            &["aprovado por", "aprovador", "aprovacao", "assinatura", "assinado por", "autorizado por", "revisado por"],
        ),
        (
            Fr,
            &[
                "approuve par",
                "approbateur",
                "approbation",
                "signature",
                "signe par",
                "autorise par",
                "valide par",
                "revu par",
            ],
        ),
        (
            De,
            &[
                "genehmigt von",
                "freigegeben von",
                "freigabe",
                "genehmigung",
                "unterschrift",
                "unterschrieben von",
                "autorisiert von",
                "gepruft von",
                "abgenommen von",
            ],
        ),
        (
            It,
            &["approvato da", "approvatore", "approvazione", "firma", "firmato da", "autorizzato da", "revisionato da"],
        ),
        (Ru, &["утвердил", "утверждено", "согласовано", "подпись", "подписал", "одобрено", "одобрил"]),
        (Zh, &["批准人", "审批人", "签字", "签名", "批准", "审批", "审核人", "确认人"]),
        (Ja, &["承認者", "承認", "署名", "決裁者"]),
        (Nl, &["goedgekeurd door", "handtekening", "akkoord"]),
        (Tr, &["onaylayan", "imza", "karar", "karari"]),
        (Ko, &["승인자", "서명"]),
        (Pl, &["zatwierdzil", "zatwierdzila", "zatwierdzone przez", "zaakceptowal", "podpis", "decyzja"]),
        (Sv, &["godkand av", "godkant av", "attesterad av", "underskrift", "beslut"]),
        (Id, &["disetujui oleh", "persetujuan", "tanda tangan", "keputusan"]),
        (Vi, &["phe duyệt", "người phe duyệt", "quyết định", "chữ ky", "duyệt bởi"]),
        (Cs, &["schvalil", "schvalila", "schvaleno", "rozhodnuti", "podpis"]),
        (Uk, &["погоджено", "затверджено", "затвердив", "рішення", "підпис"]),
        (Da, &["godkendt af", "beslutning", "underskrift"]),
        (Fi, &["hyvaksyja", "hyvaksynyt", "paatos", "allekirjoitus"]),
        (Hu, &["jovahagyta", "jovahagyo", "dontes", "alairas"]),
        (De, &["entscheidung"]),
    ],
};

/// A line label that records who did or confirmed something: "Deployed By", "Deployment Date".
pub const RECORD_LABEL: Rule = Rule {
    name: "record-label",
    words: &[
        (
            En,
            &[
                "deployed by",
                "deployer",
                "deployment engineer",
                "deployment date",
                "date of deployment",
                "date of release",
                "date deployed",
                "deploy date",
                "date deployed",
                "deployed at",
                "deployed on",
                "deployment time",
                "deploy time",
                "time deployed",
                "executed by",
                "performed by",
                "completed by",
                "done by",
                "implemented by",
                "released by",
                "release date",
                "release manager on duty",
                "verified by",
                "verification complete*",
                "verification completed",
                "checked by",
                "tested by",
                "rolled back by",
                "rollback by",
                "decision date",
                "launch date",
                "go live date",
                "launched by",
                "started at",
                "completed at",
                "finished at",
                "start time",
                "end time",
            ],
        ),
        (
            Es,
            &[
                "desplegado por",
                "ejecutado por",
                "realizado por",
                "fecha de despliegue",
                "fecha de implementacion",
                "verificado por",
                "completado por",
            ],
        ),
        (
            Pt,
            &[
                "implantado por",
                "deploy feito por",
                "executado por",
                "realizado por",
                "data do deploy",
                "data de implantacao",
                "data da implantacao",
                "verificado por",
                "concluido por",
                "responsavel pelo deploy",
            ],
        ),
        (
            Fr,
            &[
                "deploye par",
                "execute par",
                "realise par",
                "date de deploiement",
                "date de mise en production",
                "verifie par",
                "effectue par",
                "effectuee par",
                "realisee par",
                "deployee par",
                "verifiee par",
                "executee par",
            ],
        ),
        (
            De,
            &[
                "bereitgestellt von",
                "durchgefuhrt von",
                "ausgefuhrt von",
                "deployed von",
                "datum der bereitstellung",
                "deployment datum",
                "verifiziert von",
                "erledigt von",
                "abgeschlossen von",
                "gepruft von",
                "kontrolliert von",
                "bestatigt von",
            ],
        ),
        (
            It,
            &[
                "rilasciato da",
                "eseguito da",
                "effettuato da",
                "data di rilascio",
                "data del deploy",
                "verificato da",
                "completato da",
            ],
        ),
        (Ru, &["развернул", "выполнил", "выполнено", "дата развертывания", "дата релиза", "проверил", "исполнитель"]),
        (
            Zh,
            &[
                "部署人",
                "执行人",
                "操作人",
                "部署日期",
                "部署时间",
                "上线时间",
                "上线日期",
                "发布时间",
                "验证人",
                "完成人",
            ],
        ),
        (Ja, &["デプロイ担当", "実施者", "作業者", "デプロイ日", "リリース日", "確認者"]),
        (Nl, &["uitgerold door", "uitgevoerd door", "gecontroleerd door", "geverifieerd door", "geinstalleerd door"]),
        (Tr, &["yapan", "gerceklestiren", "dogrulayan", "kontrol eden"]),
        (Ko, &["배포 담당자", "배포자", "작업자", "수행자", "확인자", "검증 완료"]),
        (
            Pl,
            &[
                "wykonal",
                "wykonala",
                "wdrozyl",
                "wdrozyla",
                "potwierdzil",
                "potwierdzila",
                "data wdrozenia",
                "zweryfikowal",
            ],
        ),
        (Sv, &["driftsatt av", "utford av", "utfort av", "verifierad av", "kontrollerad av"]),
        (Id, &["pelaksana", "dilakukan oleh", "selesai oleh", "diverifikasi oleh"]),
        (Vi, &["người triển khai", "người thực hiện", "thực hiện bởi", "triển khai bởi"]),
        (Cs, &["nasadil", "nasadila", "provedl", "provedla", "overil", "overila"]),
        (Uk, &["виконав", "виконала", "розгорнув", "перевірив", "перевірила"]),
        (Da, &["udrullet af", "udfort af", "verificeret af", "kontrolleret af"]),
        (Fi, &["suoritti", "suorittaja", "tarkastaja"]),
        (Hu, &["vegezte", "ellenorizte", "telepitette"]),
    ],
};

/// Words that name a person's role: a blank after one is somebody's slot.
pub const ROLE: Rule = Rule {
    name: "role",
    words: &[
        (
            En,
            &[
                "lead",
                "leader",
                "manager",
                "owner",
                "engineer",
                "reviewer",
                "approver",
                "officer",
                "director",
                "architect",
                "qa",
                "sre",
                "cto",
                "ceo",
                "cio",
                "ciso",
                "vp",
                "head",
                "admin",
                "administrator",
                "on call",
                "oncall",
                "devops",
                "security team",
                "security",
                "product",
                "operations",
                "ops",
                "stakeholder*",
                "sponsor",
                "developer",
                "tester",
                "dba",
                "pm",
                "release manager",
                "release captain",
                "maintainer",
                "coordinator",
                "supervisor",
                "analyst",
                "consultant",
                "customer",
                "client",
                "legal",
                "compliance",
                "auditor",
                "signer",
                "signatory",
                "name",
                "person",
                "responsible",
                "assignee",
                "author",
                "committer",
                "champion",
            ],
        ),
        (
            Es,
            &[
                "lider",
                "jefe",
                "gerente",
                "responsable",
                "encargado",
                "ingeniero",
                "desarrollador",
                "arquitecto",
                "revisor",
                "aprobador",
                "director",
                "propietario",
                "nombre",
            ],
        ),
        (
            Pt,
            &[
                "lider",
                "gerente",
                "gestor",
                "responsavel",
                "engenheiro",
                "desenvolvedor",
                "arquiteto",
                "revisor",
                "aprovador",
                "diretor",
                "dono",
                "nome",
                "analista",
                "coordenador",
            ],
        ),
        (
            Fr,
            &[
                "chef",
                "responsable",
                "responsables",
                "gestionnaire",
                "ingenieur",
                "developpeur",
                "architecte",
                "relecteur",
                "approbateur",
                "directeur",
                "proprietaire",
                "nom",
                "referent",
            ],
        ),
        (
            De,
            &[
                "leiter*",
                "leitung",
                "lead",
                "verantwortlich*",
                "manager",
                "entwickler",
                "ingenieur",
                "architekt",
                "prufer",
                "freigeber",
                "projektleiter",
                "teamleiter",
                "entscheider",
                "eigentumer",
                "name",
                "betreiber",
                "admin",
            ],
        ),
        (
            It,
            &[
                "responsabile",
                "capo",
                "manager",
                "ingegnere",
                "sviluppatore",
                "architetto",
                "revisore",
                "approvatore",
                "direttore",
                "proprietario",
                "nome",
            ],
        ),
        (
            Ru,
            &[
                "руководител*",
                "ответственн*",
                "менеджер",
                "инженер",
                "разработчик",
                "архитектор",
                "тимлид",
                "техлид",
                "владелец",
                "директор",
                "администратор",
                "фио",
                "имя",
            ],
        ),
        (
            Zh,
            &[
                "负责人",
                "经理",
                "工程师",
                "主管",
                "开发",
                "测试",
                "运维",
                "产品",
                "审批人",
                "签字人",
                "架构师",
                "组长",
                "总监",
                "姓名",
                "责任人",
            ],
        ),
        (Ja, &["責任者", "担当", "担当者", "マネージャー", "エンジニア", "リーダー", "承認者", "氏名", "名前"]),
        (Nl, &["verantwoordelijke", "beheerder", "naam", "teamlead", "teamleider", "projectleider", "productowner"]),
        (Tr, &["sorumlu*", "yonetici*", "muhendis", "isim", "lider", "lideri", "sahibi"]),
        (
            Ko,
            &[
                "담당자",
                "책임자",
                "관리자",
                "이름",
                "리더",
                "팀장",
                "개발 리드",
                "기술 리드",
                "테크 리드",
                "팀 리드",
                "프로덕트 오너",
                "제품 오너",
                "서비스 오너",
            ],
        ),
        (Pl, &["kierownik*", "wlasciciel*", "architekt*", "tester*", "lider*", "inzynier*", "menedzer*", "dyrektor*"]),
        (Sv, &["ansvarig*", "testledare", "produktagare", "chef*", "arkitekt*", "ledare"]),
        (Id, &["manajer", "pemilik produk", "kepala", "penanggung jawab", "insinyur"]),
        (Vi, &["trưởng nhom", "trưởng phong", "đại diện", "kỹ sư", "quản ly", "chủ sản phẩm"]),
        (Cs, &["vedouci", "manazer*", "vlastnik produktu", "spravce"]),
        (Uk, &["тімлід", "керівник*", "менеджер*", "інженер*", "власник продукту", "архітектор*"]),
        (Da, &["ansvarlig*", "driftschef", "leder", "produktejer", "teamlead"]),
        (Fi, &["vetaja", "*paallikko", "tuoteomistaja", "johtaja", "arkkitehti", "vastaava"]),
        (Hu, &["vezeto", "termekgazda", "felelos", "mernok"]),
    ],
};

/// Fill-ins that record a measurement, a version or a note: fields, never sign-offs.
pub const MEASUREMENT: Rule = Rule {
    name: "measurement",
    words: &[
        (
            En,
            &[
                "actual",
                "target",
                "expected",
                "measured",
                "result",
                "results",
                "value",
                "baseline",
                "p50",
                "p90",
                "p95",
                "p99",
                "latency",
                "ms",
                "seconds",
                "sec",
                "minutes",
                "rps",
                "qps",
                "rate",
                "error rate",
                "uptime",
                "throughput",
                "response time",
                "duration",
                "count",
                "number",
                "total",
                "size",
                "score",
                "percent",
                "percentage",
                "cpu",
                "memory",
                "disk",
                "version",
                "build",
                "build number",
                "commit",
                "sha",
                "hash",
                "tag",
                "ticket",
                "issue",
                "pr",
                "url",
                "link",
                "notes",
                "note",
                "comments",
                "comment",
                "remarks",
                "reason",
                "details",
                "description",
                "environment",
                "region",
                "host",
                "server",
                "ip",
                "port",
                "branch",
                "window",
                "time window",
                "maintenance window",
                "start",
                "end",
                "eta",
                "output",
                "status",
                "id",
            ],
        ),
        (
            Es,
            &[
                "real",
                "objetivo",
                "esperado",
                "medido",
                "resultado",
                "valor",
                "latencia",
                "duracion",
                "version",
                "notas",
                "comentarios",
                "estado",
            ],
        ),
        (
            Pt,
            &[
                "real",
                "meta",
                "alvo",
                "esperado",
                "medido",
                "resultado",
                "valor",
                "latencia",
                "duracao",
                "versao",
                "notas",
                "observacoes",
                "comentarios",
                "status",
            ],
        ),
        (
            Fr,
            &[
                "reel",
                "cible",
                "attendu",
                "mesure",
                "resultat",
                "valeur",
                "latence",
                "duree",
                "version",
                "notes",
                "commentaires",
                "statut",
            ],
        ),
        (
            De,
            &[
                "tatsachlich",
                "ist",
                "ziel",
                "soll",
                "erwartet",
                "gemessen",
                "ergebnis",
                "wert",
                "latenz",
                "dauer",
                "version",
                "notizen",
                "kommentar*",
                "anmerkung*",
                "status",
            ],
        ),
        (
            It,
            &[
                "effettivo",
                "reale",
                "obiettivo",
                "atteso",
                "misurato",
                "risultato",
                "valore",
                "latenza",
                "durata",
                "versione",
                "note",
                "commenti",
                "stato",
            ],
        ),
        (
            Ru,
            &[
                "фактическ*",
                "цель",
                "ожидаем*",
                "измерен*",
                "результат",
                "значение",
                "задержка",
                "длительность",
                "версия",
                "примечани*",
                "комментари*",
                "статус",
            ],
        ),
        (Zh, &["实际", "目标", "预期", "实测", "结果", "数值", "延迟", "耗时", "版本", "备注", "说明", "状态", "数量"]),
        (
            Ja,
            &["実測", "目標", "期待", "結果", "値", "レイテンシ", "所要時間", "バージョン", "備考", "コメント", "状態"],
        ),
    ],
};

/// A lone date or time label: part of the slot on its line, never a slot of its own.
pub const DATE_LABEL: Rule = Rule {
    name: "date-label",
    words: &[
        (En, &["date", "time", "date time", "datetime", "when", "timestamp", "signed on", "date signed"]),
        (Es, &["fecha", "hora"]),
        (Pt, &["data", "hora", "horario"]),
        (Fr, &["date", "heure"]),
        (De, &["datum", "zeit", "uhrzeit"]),
        (It, &["data", "ora"]),
        (Ru, &["дата", "время"]),
        (Zh, &["日期", "时间"]),
        (Ja, &["日付", "日時", "時刻"]),
        (Nl, &["datum", "tijdstip", "tijd"]),
        (Tr, &["tarih", "saat", "saati"]),
        (Ko, &["날짜", "일자", "일시", "시각"]),
        (Pl, &["data"]),
        (Sv, &["datum"]),
        (Id, &["tanggal", "jam"]),
        (Vi, &["ngay"]),
        (Cs, &["datum"]),
        (Uk, &["дата"]),
        (Da, &["dato"]),
        (Fi, &["paivays", "paivamaara"]),
        (Hu, &["datum"]),
    ],
};

/// Phrases that name a moment of the deployment rather than an activity: a subsection with one
/// of these moves to that gate ("Day 0" under "Go-Live"); see `gates.rs`.
pub const MOMENT: Rule = Rule {
    name: "moment",
    words: &[
        (
            En,
            &[
                "pre deploy*",
                "predeploy*",
                "pre release",
                "prerelease",
                "pre launch",
                "prelaunch",
                "pre production",
                "pre go live",
                "pre rollout",
                "pre cutover",
                "before deploy*",
                "before release",
                "before launch",
                "before going live",
                "before go live",
                "prior to deploy*",
                "post deploy*",
                "postdeploy*",
                "post release",
                "post launch",
                "post go live",
                "post rollout",
                "post cutover",
                "after deploy*",
                "after release",
                "after launch",
                "after go live",
                "after going live",
                "day -1",
                "day -2",
                "d -1",
                "t -1",
                "t minus",
                "day 0",
                "d day",
                "t 0",
                "day +1",
                "d +1",
                "day +2",
                "week +1",
                "week -1",
                "first 15 minutes",
                "first hour",
                "first 24 hours",
                "first week",
                "deployment steps",
                "deployment process",
                "deployment procedure",
                "deployment day",
                "launch day",
                "release day",
                "during deploy*",
                "deployment phase",
            ],
        ),
        (Es, &["pre despliegue", "antes del despliegue", "post despliegue", "despues del despliegue"]),
        (Pt, &["pre deploy", "pos deploy", "apos o deploy", "antes do deploy", "pre implantacao", "pos implantacao"]),
        (Fr, &["pre deploiement", "avant le deploiement", "post deploiement", "apres le deploiement"]),
        (De, &["vor dem deployment", "nach dem deployment", "vor der bereitstellung", "nach der bereitstellung"]),
        (It, &["pre rilascio", "prima del rilascio", "post rilascio", "dopo il rilascio"]),
        (Ru, &["перед развертыванием", "после развертывания", "перед релизом", "после релиза"]),
        (Zh, &["部署前", "上线前", "发布前", "部署后", "上线后", "发布后", "部署步骤"]),
        (Ja, &["デプロイ前", "リリース前", "デプロイ後", "リリース後"]),
        (Nl, &["voor de uitrol", "na de uitrol", "na livegang", "na de livegang", "nazorg"]),
        (Pl, &["przed wdrozeniem", "po wdrozeniu", "przedwdrozeniow*", "powdrozeniow*"]),
        (Sv, &["dag -1", "dag 0", "dag +1", "fore driftsattning", "efter driftsattning"]),
        (Id, &["sebelum rilis", "setelah rilis", "pasca rilis", "hari h"]),
        (Vi, &["trước triển khai", "sau triển khai"]),
        (Cs, &["pred nasazenim", "po nasazeni"]),
        (Uk, &["перед релізом", "після релізу", "перед розгортанням", "після розгортання"]),
        (Da, &["for udrulning", "efter udrulning"]),
        (Fi, &["ennen julkaisua", "julkaisun jalkeen"]),
        (Hu, &["elesites elott*", "elesites utan*"]),
    ],
};

// A rule's place in `ALL` is kept as a `u8` in the index.
const _: () = assert!(ALL.len() < 256);

/// Every table, for the explanation tests and for anyone listing what Preflight reads.
pub const ALL: &[&Rule] = &[
    &CRITICAL,
    &REQUIRED,
    &NON_BLOCKING,
    &OPTIONAL,
    &OPTIONAL_LABEL,
    &CIRCUMSTANTIAL,
    &ONLY_FOR,
    &ONLY_IN_CASE,
    &CONTINGENCY,
    &READINESS,
    &PROCEDURE,
    &BEFORE,
    &DURING,
    &AFTER,
    &NO_GATE,
    &PREAMBLE,
    &SIGN_OFF_HEADING,
    &APPROVAL_LABEL,
    &RECORD_LABEL,
    &ROLE,
    &MEASUREMENT,
    &DATE_LABEL,
    &MOMENT,
];

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The index finds what searching every phrase finds.
        #[test]
        fn the_index_agrees_with_the_plain_search(
            text in "(pre|post|deploy|deployment|rollback|not|blocking|non|critical|部署|前|后|回滚|必须|if|needed|se|aplicavel|day|-1|\\+1| |x|é){0,12}"
        ) {
            for rule in ALL {
                let folded = fold::fold(&text);
                proptest::prop_assert_eq!(rule.find(&folded), rule.find_slowly(&folded), "{}", rule.name);
            }
        }
    }

    /// The kept scans answer for the text asked, whatever was asked before: texts asked in
    /// turn, more of them than are kept, each rule of each, twice round.
    #[test]
    fn kept_scans_answer_only_for_their_own_text() {
        let texts: Vec<String> =
            ["pre deployment", "rollback if needed", "blocking", "optional", "部署前", "day 1", "x", ""]
                .iter()
                .cycle()
                .take(2 * (SCANS_KEPT + 3))
                .map(|t| fold::fold(t))
                .collect();
        for rule in ALL {
            for text in &texts {
                assert_eq!(rule.find(text), rule.find_slowly(text), "{} on {text:?}", rule.name);
            }
        }
        for text in &texts {
            for rule in ALL {
                assert_eq!(rule.find(text), rule.find_slowly(text), "{} on {text:?}", rule.name);
            }
        }
    }

    /// A long text's buffers leave with it: the kept scans reuse the buffers of the texts they
    /// drop, except one grown past `REUSED_UP_TO`.
    #[test]
    fn a_long_text_is_not_held_by_the_kept_scans() {
        let long = "deploy ".repeat(2 * REUSED_UP_TO);
        assert!(CRITICAL.find(&long).is_none());
        for i in 0..=SCANS_KEPT {
            assert!(CRITICAL.find(&format!("step {i}")).is_none());
        }
        SCANS.with(|scans| {
            for (text, found) in &scans.borrow().kept {
                assert!(text.capacity() <= REUSED_UP_TO && found.capacity() <= REUSED_UP_TO, "{text:?}");
            }
        });
    }

    /// Pieces of every table's phrases (whole, cut short, run on) and a few joiners: texts
    /// where the index's shortcuts (first byte, prefix lengths) are exercised on real words.
    fn phrase_pieces() -> Vec<String> {
        let mut out: Vec<String> = [" ", "-", "x", "é", "(", ")", ":", "re", "s", "ing"].map(String::from).to_vec();
        for rule in ALL {
            for phrase in rule.words.iter().flat_map(|(_, p)| p.iter()) {
                let core = phrase.trim_matches('*');
                out.push(core.to_string());
                if let Some((cut, _)) = core.char_indices().nth(3) {
                    out.push(core[..cut].to_string());
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn a_rule_read_alone_finds_what_all_rules_read_together_find(
            pieces in proptest::collection::vec(proptest::sample::select(phrase_pieces()), 0..8)
        ) {
            let folded = fold::fold(&pieces.concat());
            for rule in ALL {
                proptest::prop_assert_eq!(rule.find_alone(&folded), rule.find(&folded), "{}", rule.name);
            }
        }

        #[test]
        fn the_index_agrees_with_the_plain_search_on_table_words(
            pieces in proptest::collection::vec(proptest::sample::select(phrase_pieces()), 0..8)
        ) {
            let text = pieces.concat();
            let folded = fold::fold(&text);
            for rule in ALL {
                proptest::prop_assert_eq!(rule.find(&folded), rule.find_slowly(&folded), "{}", rule.name);
            }
        }
    }

    #[test]
    fn every_phrase_is_written_folded() {
        for rule in ALL {
            for (lang, phrases) in rule.words {
                for p in *phrases {
                    let core = p.trim_matches('*');
                    assert_eq!(fold::fold(core), core, "{} ({lang:?}): `{p}` is not folded", rule.name);
                }
            }
        }
    }

    #[test]
    fn every_rule_covers_the_nine_languages() {
        for rule in
            [&CRITICAL, &NON_BLOCKING, &OPTIONAL, &CONTINGENCY, &BEFORE, &DURING, &AFTER, &SIGN_OFF_HEADING, &ROLE]
        {
            for lang in [En, Es, Pt, Fr, De, It, Ru, Zh, Ja] {
                assert!(rule.words.iter().any(|(l, w)| *l == lang && !w.is_empty()), "{} lacks {lang:?}", rule.name);
            }
        }
    }
}
