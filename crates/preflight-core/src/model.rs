//! The checklist model: what a Markdown document means as a checklist. Plain data, built once
//! by `parse`, never mutated by a run. Items and sections live in flat arenas and refer to each
//! other by index, so no structure here is recursive and nothing walks it recursively.

use std::borrow::Cow;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::diagnostic::Diagnostic;
use crate::span::Span;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checklist {
    pub title: String,
    pub source_sha256: String,
    pub metadata: Vec<MetadataEntry>,
    /// `sections[0]` is the document itself: the text before the first heading.
    pub sections: Vec<Section>,
    pub items: Vec<Item>,
    /// Sign-off slots that are not task lines: table rows and plain or bold lines
    /// (`**Operations Lead:** ____`). Signed like sign-off items; never counted as tasks.
    #[serde(default)]
    pub slots: Vec<Item>,
    /// Blanks outside task items (a "Notes" form, a deployment date in a code block, …).
    pub fields: Vec<Field>,
    /// The document's own readiness rubric, if it has one.
    pub rubric: Option<Vec<Band>>,
    /// 1-based line where the rubric starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric_line: Option<u32>,
    pub declared_total: Option<DeclaredTotal>,
    /// A rule beyond one percentage ("all blocking items and ≥ 80 % of the rest").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric_rule: Option<RubricRule>,
    /// Corrections from the document's `preflight:` front-matter block, as applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    pub diagnostics: Vec<Diagnostic>,
    /// The normalized source, kept for exports; not part of the serialized model.
    #[serde(skip)]
    pub source: String,
    /// Item id → index, built on the first lookup (see [`Checklist::item`]).
    #[serde(skip)]
    #[doc(hidden)]
    pub item_index: ItemIndex,
}

/// A lazily built map from item id to index. Derived data: it takes no part in equality, and a
/// lookup it cannot confirm falls back to a scan, so a stale index is never wrong.
///
/// Keyed by a keyed hash of the id, not by a copy of it: the index lives as long as the model,
/// and copies of 86,750 ids took 5.9 MB of a 10 MB checklist's peak (the hashes take 2.2). Two
/// ids with one hash find the first of them; the other, not confirmed, is found by the scan.
#[derive(Default, Clone)]
pub struct ItemIndex(std::sync::OnceLock<IdTable>);

#[derive(Clone)]
struct IdTable {
    keys: std::hash::RandomState,
    at: std::collections::HashMap<u64, u32, std::hash::BuildHasherDefault<crate::ids::KeyHasher>>,
}

impl IdTable {
    fn new(items: &[Item]) -> IdTable {
        use std::hash::BuildHasher;
        let keys = std::hash::RandomState::new();
        let mut at = std::collections::HashMap::with_capacity_and_hasher(items.len(), Default::default());
        // Last to first, so that of two items with one key the first is kept.
        for (i, item) in items.iter().enumerate().rev() {
            if let Ok(i) = u32::try_from(i) {
                at.insert(keys.hash_one(item.id.as_str()), i);
            }
        }
        IdTable { keys, at }
    }

    fn get(&self, id: &str) -> Option<usize> {
        use std::hash::BuildHasher;
        self.at.get(&self.keys.hash_one(id)).map(|&i| i as usize)
    }
}

impl PartialEq for ItemIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for ItemIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ItemIndex")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataEntry {
    pub key: String,
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    pub id: String,
    pub title: String,
    /// Heading level 1–6; 0 for the document root.
    pub level: u8,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub blocks: Vec<Block>,
    /// Its items count only once done or once the section is switched on (Rollback, "if
    /// applicable", special scenarios, …). Inherited by subsections.
    pub conditional: bool,
    /// Items under it are critical (a `🔴`, `(critical)` or `CRITICAL` heading). Inherited.
    pub critical: bool,
    /// A top-level stage of the checklist (Pre-deployment, Deployment, …).
    pub phase: bool,
    /// The pause point this section belongs to; `None` for notes, references, contacts.
    #[serde(default)]
    pub gate: Option<Gate>,
    /// Items under it explicitly do not block ("Non-Blocking", "Nice to have"). Inherited.
    #[serde(default, skip_serializing_if = "is_false")]
    pub non_blocking: bool,
    /// Items under it count only when they apply ("(if applicable)", "Optional"). Inherited.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// Lines under it are sign-off slots (a "Sign-Off" or "Approvals" heading). Inherited.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sign_off: bool,
    /// How each of the above was read: the rule, the line and the words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<Why>,
    pub span: Span,
}

/// The pause points of a deployment, in the order they are passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gate {
    /// Preparation and the go/no-go decision (including a ready rollback plan).
    Before,
    /// The deployment steps.
    During,
    /// Verification, monitoring, success criteria, cleanup.
    After,
    /// The rollback or incident procedure: used only when started.
    Contingency,
}

impl Gate {
    pub const ALL: [Gate; 4] = [Gate::Before, Gate::During, Gate::After, Gate::Contingency];

    pub fn as_str(self) -> &'static str {
        match self {
            Gate::Before => "before",
            Gate::During => "during",
            Gate::After => "after",
            Gate::Contingency => "contingency",
        }
    }

    pub fn parse(s: &str) -> Option<Gate> {
        Gate::ALL.into_iter().find(|g| g.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// What a sign-off slot is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotKind {
    /// Authorises: Tech Lead, QA Lead, Security Review. Blocks its gate until signed.
    #[default]
    Approval,
    /// Notes who did or confirmed something: Deployed By, Deployment Date. A field to fill.
    Record,
}

/// One inference and what triggered it: the rule, the line and the words read.
///
/// `about`, `value` and `rule` come from small fixed sets, so they borrow the engine's own
/// words instead of allocating a copy for every item (they were a tenth of the model's peak).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Why {
    /// What was inferred: `critical`, `optional`, `kind`, `gate`, `conditional`, …
    pub about: Cow<'static, str>,
    /// The inferred value (`true`, `false`, `before`, `approval`, …).
    pub value: Cow<'static, str>,
    /// The rule's name (a vocabulary table, or `inherited`, `correction`, `default`).
    pub rule: Cow<'static, str>,
    /// 1-based line of the words (a heading, the item itself, a front-matter line).
    pub line: u32,
    /// The words read: boxed, as a reason is never edited (a vector's room word more, for
    /// each of the 26,000 reasons in the 10 MB benchmark checklist).
    pub words: Box<str>,
}

impl Why {
    /// Put this reason in `whys` in place of any about the same thing, growing `whys` by
    /// exactly one if it must grow (the reader keeps every reason vector exactly full).
    pub(crate) fn replace_in(self, whys: &mut Vec<Why>) {
        whys.retain(|w| w.about != self.about);
        whys.reserve_exact(1);
        whys.push(self);
    }
}

/// A correction from the `preflight:` block: a mark set on an item or a section by a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The item or section id it names.
    pub id: String,
    /// `critical`, `optional`, `sign-off`, `gate`, `conditional`.
    pub what: String,
    /// `true` / `false`, or a gate name (`none` for no gate).
    pub value: String,
    /// 1-based line of the correction in the front matter.
    pub line: u32,
}

/// A readiness rule that is more than one percentage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RubricRule {
    /// Every critical (blocking) item must be done.
    pub all_critical: bool,
    /// The percentage the other items must reach.
    pub rest_min: u32,
    pub text: String,
    pub line: u32,
}

/// Styled run of inline text. Flat rather than a tree, so that hostile nesting cannot make
/// serialization or rendering recurse. Its strings are boxed, without room to grow: a run is
/// made whole by the reader and never edited, and a long checklist holds one per styled
/// stretch (86,800 in the 10 MB benchmark checklist, through the model build's peak).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Inline {
    pub text: Box<str>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub code: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub emphasis: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub strong: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub strikethrough: bool,
    /// Only http, https, mailto and relative links survive; anything else is plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<Box<str>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Text with both its plain form and its styled runs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct RichText {
    pub text: String,
    pub inline: Runs,
}

impl Serialize for RichText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RichText", 2)?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("inline", &self.inline.of(&self.text))?;
        st.end()
    }
}

/// The styled runs of a text. Most texts are one unstyled run that is the plain text itself
/// (54,367 of 88,916 in the 10 MB benchmark checklist): `Plain` holds that run without a
/// second copy of the text. Serialized, both forms are the list of runs, so JSON readers see
/// `[{"text": …}]` either way; a text's runs serialize only beside their text
/// ([`Runs::of`]). Read back from JSON, runs are always `Styled`. A boxed slice, not a
/// `Vec`: runs are never added to once read, and every item, list entry, paragraph and cell
/// has runs (eight bytes each, 0.7 MB on the 10 MB benchmark checklist).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "Vec<Inline>")]
pub enum Runs {
    /// One run, unstyled and unlinked, equal to the text.
    Plain,
    /// Any other runs, also none at all (a sign-off slot's, an empty text's).
    Styled(Box<[Inline]>),
}

impl Default for Runs {
    fn default() -> Self {
        Runs::Styled(Box::default())
    }
}

impl From<Vec<Inline>> for Runs {
    fn from(runs: Vec<Inline>) -> Self {
        Runs::Styled(runs.into_boxed_slice())
    }
}

impl Inline {
    /// No style and no link: such a run says nothing beyond its text.
    pub fn unstyled(&self) -> bool {
        is_unstyled(self.code, self.emphasis, self.strong, self.strikethrough, self.href.is_some())
    }
}

/// A run with these marks has no style and no link (the reader's open runs ask too).
pub(crate) fn is_unstyled(code: bool, emphasis: bool, strong: bool, strikethrough: bool, linked: bool) -> bool {
    !(code || emphasis || strong || strikethrough || linked)
}

impl Runs {
    /// `Plain` for one unstyled run equal to `text`; the runs as they are otherwise.
    pub fn new(runs: Vec<Inline>, text: &str) -> Self {
        if Runs::make_plain(runs.iter().map(|r| (r.unstyled(), &*r.text)), text) {
            Runs::Plain
        } else {
            Runs::from(runs)
        }
    }

    /// Whether runs, given as (unstyled, text), are `Plain` for `text`: exactly one, unstyled,
    /// equal to it. The reader decides with this before it closes its runs.
    pub(crate) fn make_plain<'t>(mut runs: impl ExactSizeIterator<Item = (bool, &'t str)>, text: &str) -> bool {
        runs.len() == 1 && runs.next().is_some_and(|(unstyled, run)| unstyled && run == text)
    }

    /// The runs carrying emphasis, strength, code, strikethrough or a link: empty for a plain
    /// text, whose only run says nothing a recognizer reads beyond the text.
    pub fn styled(&self) -> &[Inline] {
        match self {
            Runs::Plain => &[],
            Runs::Styled(runs) => runs,
        }
    }

    /// Every run of `text`, the plain one included.
    pub fn all<'a>(&'a self, text: &str) -> Cow<'a, [Inline]> {
        match self {
            Runs::Plain => Cow::Owned(vec![Inline { text: text.into(), ..Inline::default() }]),
            Runs::Styled(runs) => Cow::Borrowed(runs),
        }
    }

    /// These runs of `text`, to serialize.
    pub fn of<'a>(&'a self, text: &'a str) -> RunsOf<'a> {
        RunsOf { runs: self, text }
    }
}

/// [`Runs`] beside their text: serializes as the list of runs.
pub struct RunsOf<'a> {
    runs: &'a Runs,
    text: &'a str,
}

impl Serialize for RunsOf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.runs {
            Runs::Styled(runs) => runs.serialize(s),
            Runs::Plain => {
                // The same JSON as an `Inline` with only its text.
                #[derive(Serialize)]
                struct PlainRun<'a> {
                    text: &'a str,
                }
                [PlainRun { text: self.text }].serialize(s)
            }
        }
    }
}

/// What a section or an item holds, in document order: its task items (by index) and the
/// blocks between them.
///
/// Every block but an item's place is boxed: an item's place is most of the entries of an
/// item-dense checklist, and in place the largest block (72 bytes natively) made every entry
/// 80. Boxed, an entry is 16 bytes (8 in wasm). The JSON is the same either way: serde writes
/// a boxed struct of a tagged variant with its tag beside its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Block {
    Item {
        item: usize,
    },
    Code(Box<CodeBlock>),
    Table(Box<TableBlock>),
    Paragraph(Box<ParagraphBlock>),
    /// A plain (non-task) list; `depth` is the nesting below this list's first level.
    List(Box<ListBlock>),
    Rule(Box<RuleBlock>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeBlock {
    pub language: String,
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableBlock {
    pub header: Vec<RichText>,
    pub rows: Vec<Vec<RichText>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParagraphBlock {
    pub text: RichText,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListBlock {
    pub entries: Vec<ListEntry>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleBlock {
    pub span: Span,
}

impl Block {
    pub fn code(language: String, text: String, span: Span) -> Block {
        Block::Code(Box::new(CodeBlock { language, text, span }))
    }

    pub fn table(header: Vec<RichText>, rows: Vec<Vec<RichText>>, span: Span) -> Block {
        Block::Table(Box::new(TableBlock { header, rows, span }))
    }

    pub fn paragraph(text: RichText, span: Span) -> Block {
        Block::Paragraph(Box::new(ParagraphBlock { text, span }))
    }

    pub fn list(entries: Vec<ListEntry>, span: Span) -> Block {
        Block::List(Box::new(ListBlock { entries, span }))
    }

    pub fn rule(span: Span) -> Block {
        Block::Rule(Box::new(RuleBlock { span }))
    }

    /// Where the block is in the source; `None` for an item's place (the item has its own).
    pub fn span(&self) -> Option<&Span> {
        match self {
            Block::Item { .. } => None,
            Block::Code(b) => Some(&b.span),
            Block::Table(b) => Some(&b.span),
            Block::Paragraph(b) => Some(&b.span),
            Block::List(b) => Some(&b.span),
            Block::Rule(b) => Some(&b.span),
        }
    }

    pub fn span_mut(&mut self) -> Option<&mut Span> {
        match self {
            Block::Item { .. } => None,
            Block::Code(b) => Some(&mut b.span),
            Block::Table(b) => Some(&mut b.span),
            Block::Paragraph(b) => Some(&mut b.span),
            Block::List(b) => Some(&mut b.span),
            Block::Rule(b) => Some(&mut b.span),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListEntry {
    pub depth: u32,
    pub text: RichText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemKind {
    Task,
    SignOff,
}

/// Serialized by hand (below) only because its runs serialize beside its text, and read
/// through [`ItemIn`] because what it rarely has is boxed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "ItemIn")]
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    pub text: String,
    pub inline: Runs,
    /// `[x]` or `[X]` in the source.
    pub checked: bool,
    pub critical: bool,
    /// `(optional)`, `(if applicable)`, `(if needed)`, …: counts only once done.
    pub optional: bool,
    pub section: usize,
    pub parent: Option<usize>,
    /// What few items have: nested items, bullets and blocks, an annotation. `None` when it
    /// has none of them (never an empty box). Read through [`Item::children`],
    /// [`Item::details`], [`Item::blocks`] and [`Item::annotation`].
    pub attached: Option<Box<Attached>>,
    /// For a sign-off: the role and its fill-in fields. Boxed: few items are sign-offs, and
    /// in place it took 56 of every item's bytes.
    pub sign_off: Option<Box<SignOffSpec>>,
    /// The item's gate: its section's, or for a sign-off the gate it approves or records.
    pub gate: Option<Gate>,
    /// How its marks and kind were read.
    pub why: Vec<Why>,
    pub span: Span,
    /// The `[ ]` marker itself.
    pub marker: Span,
    /// Byte offset just after the item's own text, where an annotation can be appended.
    pub text_end: usize,
}

/// What an item rarely has, boxed apart from its record: in the benchmark checklists under
/// 5 % of the items have any of it, and in place its four lists took 96 of every item's 288
/// bytes (48 of 156 in wasm).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attached {
    /// Task items nested under the item.
    pub children: Vec<usize>,
    /// Non-task bullets nested under the item.
    pub details: Vec<ListEntry>,
    /// Code blocks, paragraphs and tables nested inside the list item.
    pub blocks: Vec<Block>,
    /// A `<!-- preflight: … -->` annotation found on the item (from an exported report).
    pub annotation: Option<String>,
}

impl Attached {
    fn is_empty(&self) -> bool {
        self.children.is_empty() && self.details.is_empty() && self.blocks.is_empty() && self.annotation.is_none()
    }

    /// Boxed, or `None` when there is nothing.
    pub fn boxed(self) -> Option<Box<Attached>> {
        (!self.is_empty()).then(|| Box::new(self))
    }
}

impl Item {
    /// Task items nested under this one, by index.
    pub fn children(&self) -> &[usize] {
        self.attached.as_ref().map_or(&[], |a| &a.children)
    }

    /// Non-task bullets nested under the item.
    pub fn details(&self) -> &[ListEntry] {
        self.attached.as_ref().map_or(&[], |a| &a.details)
    }

    /// Code blocks, paragraphs and tables nested inside the list item.
    pub fn blocks(&self) -> &[Block] {
        self.attached.as_ref().map_or(&[], |a| &a.blocks)
    }

    /// A `<!-- preflight: … -->` annotation found on the item (from an exported report).
    pub fn annotation(&self) -> Option<&str> {
        self.attached.as_ref().and_then(|a| a.annotation.as_deref())
    }

    /// To attach something: the box, made if there was none.
    pub(crate) fn attached_mut(&mut self) -> &mut Attached {
        self.attached.get_or_insert_with(Default::default)
    }
}

/// An item as JSON has it, every list in place.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemIn {
    id: String,
    kind: ItemKind,
    text: String,
    inline: Runs,
    checked: bool,
    critical: bool,
    optional: bool,
    section: usize,
    parent: Option<usize>,
    children: Vec<usize>,
    details: Vec<ListEntry>,
    blocks: Vec<Block>,
    #[serde(default)]
    sign_off: Option<Box<SignOffSpec>>,
    #[serde(default)]
    gate: Option<Gate>,
    #[serde(default)]
    why: Vec<Why>,
    span: Span,
    marker: Span,
}

impl From<ItemIn> for Item {
    fn from(i: ItemIn) -> Item {
        Item {
            id: i.id,
            kind: i.kind,
            text: i.text,
            inline: i.inline,
            checked: i.checked,
            critical: i.critical,
            optional: i.optional,
            section: i.section,
            parent: i.parent,
            attached: Attached { children: i.children, details: i.details, blocks: i.blocks, annotation: None }.boxed(),
            sign_off: i.sign_off,
            gate: i.gate,
            why: i.why,
            span: i.span,
            marker: i.marker,
            // Not in JSON: where an annotation would go is known only from the source.
            text_end: 0,
        }
    }
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Every field named, none with `..`: a field added to `Item` fails to compile here
        // until it is serialized or skipped on purpose.
        let Item {
            id,
            kind,
            text,
            inline,
            checked,
            critical,
            optional,
            section,
            parent,
            attached: _,
            sign_off,
            gate,
            why,
            span,
            marker,
            text_end: _,
        } = self;
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out<'a> {
            id: &'a str,
            kind: ItemKind,
            text: &'a str,
            inline: RunsOf<'a>,
            checked: bool,
            critical: bool,
            optional: bool,
            section: usize,
            parent: Option<usize>,
            children: &'a [usize],
            details: &'a [ListEntry],
            blocks: &'a [Block],
            #[serde(skip_serializing_if = "Option::is_none")]
            sign_off: Option<&'a SignOffSpec>,
            gate: Option<Gate>,
            #[serde(skip_serializing_if = "no_whys")]
            why: &'a [Why],
            span: &'a Span,
            marker: &'a Span,
        }
        fn no_whys(why: &&[Why]) -> bool {
            why.is_empty()
        }
        Out {
            id,
            kind: *kind,
            text,
            inline: inline.of(text),
            checked: *checked,
            critical: *critical,
            optional: *optional,
            section: *section,
            parent: *parent,
            children: self.children(),
            details: self.details(),
            blocks: self.blocks(),
            sign_off: sign_off.as_deref(),
            gate: *gate,
            why,
            span,
            marker,
        }
        .serialize(s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffSpec {
    /// The first label: `Tech Lead`, `QA Lead`, `Deployment Date`.
    pub role: String,
    #[serde(default)]
    pub kind: SlotKind,
    pub fields: Vec<SignOffField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffField {
    pub label: String,
    /// Filled in the source (`- [x] SRE On-call: Dana Whitfield Date: 2026-11-20`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Byte range of the blank (or of the filled value) in the source.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub section: usize,
    /// Byte range of the underscores.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// The lowest score (percent) in this band.
    pub min: u32,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclaredTotal {
    pub count: u32,
    pub span: Span,
}

impl Checklist {
    pub fn tasks(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.kind == ItemKind::Task)
    }

    /// Every sign-off slot: task lines first, then table rows and plain lines, each in
    /// document order.
    pub fn sign_offs(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.kind == ItemKind::SignOff).chain(self.slots.iter())
    }

    /// Items and slots of one gate (`None`: every gate).
    pub fn in_gate(&self, gate: Option<Gate>) -> impl Iterator<Item = &Item> {
        self.items.iter().chain(self.slots.iter()).filter(move |i| gate.is_none() || i.gate == gate)
    }

    /// Whether a fill-in field has this id (what a run may hold a value for).
    pub fn has_field(&self, id: &str) -> bool {
        self.fields.iter().any(|f| f.id == id)
    }

    /// Whether a conditional section has this id (what a run may switch on or off).
    pub fn has_conditional_section(&self, id: &str) -> bool {
        self.sections.iter().any(|s| s.id == id && s.conditional)
    }

    /// The item with this id. By index: a linear scan per lookup made importing a filled
    /// report of 50,000 items take 9 s and every click cost a pass over the items.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.item_position(id).and_then(|i| self.items.get(i)).or_else(|| self.slot(id))
    }

    /// A sign-off slot that is not a task line, by id.
    pub fn slot(&self, id: &str) -> Option<&Item> {
        self.slots.iter().find(|s| s.id == id)
    }

    /// Where the item with this id is in `items`, through the same index as [`Checklist::item`].
    pub fn item_position(&self, id: &str) -> Option<usize> {
        let index = self.item_index.0.get_or_init(|| IdTable::new(&self.items));
        match index.get(id) {
            Some(i) if self.items.get(i).is_some_and(|item| item.id == id) => Some(i),
            // Not indexed, or the items changed since: only a scan can say. (Unknown ids are
            // rare, errors or foreign runs, so the scan stays off the common path.)
            _ => self.items.iter().position(|i| i.id == id),
        }
    }

    /// Section `index` and the sections above it, innermost first, as indices. At most one
    /// step per section, so a model whose parents loop (built by hand) still ends.
    pub fn ancestry(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let mut next = Some(index);
        std::iter::from_fn(move || {
            let at = next?;
            next = self.sections.get(at)?.parent;
            Some(at)
        })
        .take(self.sections.len())
    }
}

impl Item {
    /// Byte offset of the character inside the checkbox (` `, `x`, `X`): right after the `[`
    /// of the marker. (With tab indentation the marker's range can start before the `[`.)
    pub fn box_at(&self, source: &str) -> usize {
        let open = source.get(self.marker.start..self.marker.end).and_then(|m| m.find('[')).unwrap_or(0);
        self.marker.start + open + 1
    }
}

impl RichText {
    pub fn plain(text: impl Into<String>) -> Self {
        let text = text.into();
        RichText { inline: Runs::Plain, text }
    }
}

#[cfg(test)]
mod tests {
    use super::{Block, Inline, Runs};
    use crate::parse_str;

    /// The model as it was before `Runs::Plain`: every plain text's run spelled out.
    fn spelled_out(c: &super::Checklist) -> super::Checklist {
        let mut c = c.clone();
        let spell = |runs: &mut Runs, text: &str| {
            if *runs == Runs::Plain {
                *runs = Runs::from(vec![Inline { text: text.into(), ..Inline::default() }]);
            }
        };
        let rich = |t: &mut super::RichText| spell(&mut t.inline, &t.text);
        let blocks = |blocks: &mut Vec<Block>| {
            for b in blocks {
                match b {
                    Block::Table(t) => t.header.iter_mut().chain(t.rows.iter_mut().flatten()).for_each(rich),
                    Block::Paragraph(p) => rich(&mut p.text),
                    Block::List(list) => list.entries.iter_mut().for_each(|e| rich(&mut e.text)),
                    _ => {}
                }
            }
        };
        for item in c.items.iter_mut().chain(c.slots.iter_mut()) {
            spell(&mut item.inline, &item.text);
            if let Some(a) = &mut item.attached {
                a.details.iter_mut().for_each(|e| rich(&mut e.text));
                blocks(&mut a.blocks);
            }
        }
        c.sections.iter_mut().for_each(|s| blocks(&mut s.blocks));
        c
    }

    #[test]
    fn a_plain_text_holds_no_run_and_serializes_as_if_it_did() {
        let doc = "# Release\n\n## Before\n- [ ] Back up the database\n- [ ] Tag **v2** [notes](https://x.test)\n  \
                   - plain detail\n- [ ] `make check` passes\n\n| Check | Owner |\n|---|---|\n| Smoke tests | *QA* |\n\n\
                   Plain paragraph.\n\n- [ ] QA Lead: ______ Date: ____\n";
        let c = parse_str(doc);
        assert_eq!(c.items[0].inline, Runs::Plain);
        assert!(matches!(&c.items[1].inline, Runs::Styled(r) if r.len() == 4), "{:?}", c.items[1].inline);
        assert!(matches!(&c.items[2].inline, Runs::Styled(r) if r.len() == 2 && r[0].code));
        assert_eq!(c.items[1].details()[0].text.inline, Runs::Plain);
        let spelled = spelled_out(&c);
        assert_ne!(c, spelled, "the document has plain texts in items, details, cells and paragraphs");
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, serde_json::to_string(&spelled).unwrap());
        assert!(json.contains(r#""text":"Back up the database","inline":[{"text":"Back up the database"}]"#), "{json}");
        assert!(json.contains(r#""inline":[{"text":"Smoke tests"}]"#), "{json}");
        assert!(json.contains(r#""inline":[{"text":"Plain paragraph."}]"#), "{json}");
        // Texts without runs stay without: a sign-off slot from a table, an empty cell.
        let c = parse_str("## Sign-off\n| Role | Name | Date |\n|---|---|---|\n| Tech Lead | | |\n");
        assert_eq!(c.slots[0].inline, Runs::default());
        assert!(serde_json::to_string(&c).unwrap().contains(r#""inline":[]"#));
    }

    #[test]
    fn only_one_unstyled_unlinked_run_equal_to_the_text_is_plain() {
        let run = |text: &str| Inline { text: text.into(), ..Inline::default() };
        assert_eq!(Runs::new(vec![run("a b")], "a b"), Runs::Plain);
        assert_eq!(Runs::new(vec![run("a\nb")], "a b"), Runs::from(vec![run("a\nb")]));
        assert_eq!(Runs::new(vec![run("a"), run(" b")], "a b"), Runs::from(vec![run("a"), run(" b")]));
        assert_eq!(Runs::new(Vec::new(), ""), Runs::default());
        for styled in [
            Inline { code: true, ..run("a") },
            Inline { emphasis: true, ..run("a") },
            Inline { strong: true, ..run("a") },
            Inline { strikethrough: true, ..run("a") },
            Inline { href: Some("https://x.test".into()), ..run("a") },
        ] {
            assert_eq!(Runs::new(vec![styled.clone()], "a"), Runs::from(vec![styled]));
        }
        assert!(Runs::Plain.styled().is_empty());
        assert_eq!(Runs::Plain.all("a b").as_ref(), [run("a b")]);
    }

    #[cfg(target_pointer_width = "64")]
    #[test]
    fn an_item_record_holds_no_sign_off_and_nothing_nested_in_place() {
        assert!(std::mem::size_of::<super::Item>() <= 192, "{} bytes", std::mem::size_of::<super::Item>());
    }

    /// A run's text and link are boxed strings, without room to grow.
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn a_styled_run_is_five_words() {
        assert!(std::mem::size_of::<super::Inline>() <= 40, "{} bytes", std::mem::size_of::<super::Inline>());
        // And a text's runs are a boxed slice (two words), not a vector (three).
        assert!(std::mem::size_of::<Runs>() <= 16, "{} bytes", std::mem::size_of::<Runs>());
    }

    /// A reason's words are a boxed string: 96 bytes a reason, not 104.
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn a_reason_holds_its_words_without_room() {
        assert!(std::mem::size_of::<super::Why>() <= 96, "{} bytes", std::mem::size_of::<super::Why>());
    }

    #[test]
    fn only_an_item_with_something_attached_has_a_box() {
        let doc = "## S\n- [ ] plain\n- [ ] parent\n  - [ ] child\n- [ ] with a detail\n  - a bullet\n\
                   - [ ] with code\n\n  ```sh\n  make\n  ```\n\n\
                   - [ ] <!-- preflight: {\"k\":\"t\"} --> annotated\n";
        let c = parse_str(doc);
        let by_text = |t: &str| c.items.iter().find(|i| i.text == t).unwrap_or_else(|| panic!("{t}: {:?}", c.items));
        for plain in ["plain", "child"] {
            assert!(by_text(plain).attached.is_none(), "{plain}");
        }
        assert_eq!(by_text("parent").children(), [2]);
        assert_eq!(by_text("with a detail").details()[0].text.text, "a bullet");
        assert!(matches!(by_text("with code").blocks(), [Block::Code(_)]));
        let annotated = c.items.iter().find(|i| i.annotation().is_some()).expect("an annotated item");
        assert_eq!(annotated.annotation(), Some(r#"{"k":"t"}"#));
        assert!(annotated.children().is_empty() && annotated.details().is_empty() && annotated.blocks().is_empty());
        // As JSON, every item has its three lists, and they read back into the same boxes.
        let json = serde_json::to_value(&c).unwrap();
        for item in json["items"].as_array().unwrap() {
            assert!(item["children"].is_array() && item["details"].is_array() && item["blocks"].is_array(), "{item}");
        }
        let back: super::Checklist = serde_json::from_value(json).unwrap();
        for (b, i) in back.items.iter().zip(&c.items) {
            assert_eq!(b.children(), i.children());
            // An annotation is not in the JSON: what it alone had boxed reads back as no box.
            assert_eq!(
                b.attached.is_none(),
                i.children().is_empty() && i.details().is_empty() && i.blocks().is_empty()
            );
        }
    }

    #[test]
    fn a_block_entry_is_two_words_and_its_json_is_the_unboxed_one() {
        // An item's place is most entries of an item-dense checklist; the other blocks are boxed.
        assert!(
            std::mem::size_of::<Block>() <= 2 * std::mem::size_of::<usize>(),
            "{} bytes",
            std::mem::size_of::<Block>()
        );
        let doc = "## S\n\nSome words.\n\n- [ ] Run it\n\n  ```sh\n  make\n  ```\n\n- a plain bullet\n\n\
                   | A | B |\n|---|---|\n| 1 | 2 |\n\n---\n";
        let c = parse_str(doc);
        let json = serde_json::to_value(&c).unwrap();
        let blocks = &json["sections"][1]["blocks"];
        let types: Vec<&str> = blocks.as_array().unwrap().iter().map(|b| b["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["paragraph", "item", "list", "table", "rule"], "{blocks}");
        // Tag and fields side by side, as the struct variants had them.
        assert_eq!(blocks[0]["text"]["text"], "Some words.");
        assert_eq!(blocks[1]["item"], 0);
        assert_eq!(blocks[2]["entries"][0]["text"]["text"], "a plain bullet");
        assert_eq!(blocks[3]["header"][0]["text"], "A");
        assert_eq!(blocks[3]["rows"][0][1]["text"], "2");
        assert_eq!(blocks[4]["span"]["line"], 17);
        let code = &json["items"][0]["blocks"][0];
        assert_eq!(
            (code["type"].as_str(), code["language"].as_str(), code["text"].as_str()),
            (Some("code"), Some("sh"), Some("make\n"))
        );
        // Read back, the same blocks (their runs spelled out, as JSON always reads them).
        let back: super::Checklist = serde_json::from_value(json).unwrap();
        let spelled = spelled_out(&c);
        assert_eq!(back.sections[1].blocks, spelled.sections[1].blocks);
        assert_eq!(back.items[0].blocks(), spelled.items[0].blocks());
        let lines: Vec<_> = c.sections[1].blocks.iter().map(|b| b.span().map(|s| s.line)).collect();
        assert_eq!(lines, [Some(3), None, Some(5), Some(13), Some(17)]);
    }

    #[test]
    fn items_are_found_by_id_through_the_index_and_never_wrongly() {
        let mut c = parse_str("## S\n- [ ] alpha\n- [ ] beta\n- [ ] gamma\n");
        let beta = c.items[1].id.clone();
        assert_eq!(c.item(&beta).map(|i| i.text.as_str()), Some("beta"));
        assert!(c.item("i-nope").is_none());
        // The index is derived data: a copy compares equal whether or not it was built.
        let fresh = parse_str("## S\n- [ ] alpha\n- [ ] beta\n- [ ] gamma\n");
        assert_eq!(c, fresh);
        // Items changed after the index was built: lookups still answer from the items.
        c.items[1].id = "renamed".into();
        assert!(c.item(&beta).is_none());
        assert_eq!(c.item("renamed").map(|i| i.text.as_str()), Some("beta"));
        c.items.remove(0);
        assert_eq!(c.item("renamed").map(|i| i.text.as_str()), Some("beta"));
    }

    proptest::proptest! {
        /// The index answers as a scan of the items: the first item with the id, none for an id
        /// no item has. After the items change under it, an item with the id (of repeated ids,
        /// not always the first: a model's ids do not repeat).
        #[test]
        fn the_index_finds_what_a_scan_finds(
            ids in proptest::collection::vec("[ab]{0,3}", 1..40),
            asked in proptest::collection::vec("[abc]{0,3}", 1..20),
            swap in proptest::collection::vec((0usize..40, 0usize..40), 0..6),
        ) {
            let mut c = parse_str("- [ ] x\n");
            let template = c.items[0].clone();
            c.items = ids.iter().map(|id| super::Item { id: id.clone(), ..template.clone() }).collect();
            let scan = |c: &super::Checklist, id: &str| c.items.iter().position(|i| i.id == id);
            for id in asked.iter().chain(&ids) {
                proptest::prop_assert_eq!(c.item_position(id), scan(&c, id));
            }
            for &(a, b) in &swap {
                let n = c.items.len();
                c.items.swap(a % n, b % n);
            }
            for id in asked.iter().chain(&ids) {
                let found = c.item_position(id);
                proptest::prop_assert_eq!(found.is_some(), scan(&c, id).is_some());
                proptest::prop_assert!(found.is_none_or(|i| c.items[i].id == *id));
            }
        }
    }
}
