//! Sign-off slots: which lines are a place for a *person's* approval or record, and which are
//! fill-ins for a measurement, a version or a note. A slot is a role or person word (or an
//! "Approved by" / "Deployed by" label) with a blank or a filled name, in a task list, a table
//! row or a plain or bold line alike. "Actual: ____ ms" is a field, never a slot; a date on a
//! slot's line belongs to that slot.

use super::fold::fold;
use super::vocabulary::{Hit, APPROVAL_LABEL, DATE_LABEL, MEASUREMENT, RECORD_LABEL, ROLE};
use crate::model::SlotKind;

/// Where the line sits, as far as reading it goes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Context {
    /// Under a sign-off / approval heading, or right after a "Sign-off:" lead-in.
    pub sign_off: bool,
    /// In a reference part (contacts, notes): a role there is a contact, not a signature.
    pub reference: bool,
    /// The line has a blank (`___`) or an empty table cell to fill.
    pub blank: bool,
    /// A value is already written where the name goes (`Tech Lead: Jane Roe`).
    pub filled: bool,
    /// Another label on the same line asks for a date or signature (`… Date: ____`).
    pub dated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub kind: SlotKind,
    pub hit: Hit,
}

/// Person words that alone do not make a slot outside a sign-off block ("Project Name: ___").
const PERSON_ONLY: &[&str] = &[
    "name", "nome", "nom", "nombre", "имя", "фио", "姓名", "氏名", "名前", "person", "signer", "isim", "naam", "이름",
];

/// Read one line's first label (`label`, the words before its first blank or value).
pub fn classify(label: &str, cx: Context) -> Option<Slot> {
    // "Go/No-Go-Entscheidung: ☐ Go ☐ No-Go — Entscheider: ____": the options to tick follow the
    // decision's name, which is the label.
    let label = match label.split_once(['☐', '☑', '☒']) {
        Some((head, _)) if head.chars().any(char::is_alphanumeric) => head,
        _ => label,
    };
    // "Final decision (GO / GO WITH RISK / NO-GO): ____": the options in parentheses are what
    // is chosen, not part of the decision's name.
    let label = match label.split_once('(') {
        Some((head, options))
            if head.chars().any(char::is_alphanumeric)
                && options.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case("go")) =>
        {
            head
        }
        _ => label,
    };
    let folded = fold(label);
    let folded = folded.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    if folded.is_empty() || folded.split(' ').count() > 6 {
        return None;
    }
    if !(cx.blank || cx.filled || cx.sign_off) {
        return None;
    }
    if let Some(hit) = RECORD_LABEL.find(&folded) {
        return Some(Slot { kind: SlotKind::Record, hit });
    }
    if let Some(hit) = APPROVAL_LABEL.find(&folded) {
        // "Approval workflow", "Signature verification": the word names a feature, unless the
        // line sits in an approval block ("Canlıya geçiş kararı (Go/No-Go)").
        if folded.split(' ').count() <= 4 || cx.sign_off {
            return Some(Slot { kind: SlotKind::Approval, hit });
        }
    }
    if cx.reference {
        return None;
    }
    let role = ROLE.find(&folded);
    let measured = MEASUREMENT.find(&folded);
    // A date label ("Date", "Planned go-live date") is a field of its block or line.
    if DATE_LABEL.find(&folded).is_some_and(|h| h.at == 0 || h.at + h.words.len() == folded.len()) {
        return None;
    }
    match (role, measured) {
        (Some(role), _) if PERSON_ONLY.contains(&role.words.as_str()) && !cx.sign_off => None,
        (Some(role), None) => {
            (cx.sign_off || cx.blank || cx.dated).then_some(Slot { kind: SlotKind::Approval, hit: role })
        }
        // "Security Lead" is a person; "Build version" and "p95 latency" are measurements.
        (Some(role), Some(m)) if role.at <= m.at && cx.sign_off => Some(Slot { kind: SlotKind::Approval, hit: role }),
        // In an approval block, a team or area with a name and a date to fill is who approves
        // for it: "Infraestrutura: ______ Data: ______".
        (None, None) if cx.sign_off && cx.blank && cx.dated && folded.split(' ').count() <= 3 => {
            Some(Slot { kind: SlotKind::Approval, hit: Hit { rule: "sign-off-block", words: folded.clone(), at: 0 } })
        }
        // "All Systems Operational: ____" in a sign-off block: somebody confirms a state.
        (None, None) if cx.sign_off && cx.blank && folded.split(' ').count() <= 5 => {
            Some(Slot { kind: SlotKind::Record, hit: Hit { rule: "sign-off-block", words: folded.clone(), at: 0 } })
        }
        _ => None,
    }
}

/// A go/no-go decision line: `**GO** - all critical items pass`, `Go / No-Go: …`. `decision`:
/// under a decision or sign-off heading, where a bare "GO" is a choice to tick.
pub fn decision(label: &str, decision: bool) -> Option<Slot> {
    // Every phrase below has at most 15 letters, all ASCII, and folding keeps every ASCII letter
    // and digit (it lower-cases them; mojibake it repairs is never ASCII): a label with more
    // (most items' first words) is none of them, and is not folded to find out.
    if label.bytes().filter(u8::is_ascii_alphanumeric).nth(DECISION_LETTERS).is_some() {
        return None;
    }
    decision_folded(label, decision)
}

/// The most letters and digits of a phrase [`decision`] knows.
const DECISION_LETTERS: usize = 15;

fn decision_folded(label: &str, decision: bool) -> Option<Slot> {
    let folded = fold(label);
    let folded = folded.trim_matches(|c: char| !c.is_alphanumeric());
    let two_sided =
        ["go no go", "go no go decision", "go nogo", "go live decision", "launch decision", "release decision"];
    let one_sided = ["go", "no go", "nogo", "go live", "approved", "rejected", "approve", "reject"];
    let hit =
        |w: &str| Some(Slot { kind: SlotKind::Approval, hit: Hit { rule: "go-no-go", words: w.to_string(), at: 0 } });
    if two_sided.contains(&folded) {
        return hit(folded);
    }
    if decision && one_sided.contains(&folded) {
        return hit(folded);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(label: &str, cx: Context) -> Option<SlotKind> {
        classify(label, cx).map(|s| s.kind)
    }

    proptest::proptest! {
        /// A label too long to be a decision is answered unfolded as folded: decision phrases,
        /// words added after them, joined by spaces, signs or mojibake dashes (`â€”`, letters
        /// that fold away), in any case.
        #[test]
        fn a_long_label_is_no_decision_as_its_folded_words_say(
            phrase in proptest::sample::select(vec![
                "go no go", "go no go decision", "go live decision", "launch decision", "release decision",
                "go", "no go", "approved", "reject",
            ]),
            more in proptest::collection::vec(proptest::sample::select(vec!["x", "now", "déploiement", "a1"]), 0..3),
            seps in proptest::collection::vec(proptest::sample::select(vec![
                " ", "-", " / ", "â€”", " â€” ", "**", "Ã©", "  ",
            ]), 8),
            upper in proptest::bool::ANY,
            under in proptest::bool::ANY,
        ) {
            let mut label = String::new();
            for (word, sep) in phrase.split(' ').chain(more).zip(&seps) {
                label.push_str(word);
                label.push_str(sep);
            }
            let label = if upper { label.to_uppercase() } else { label };
            proptest::prop_assert_eq!(decision(&label, under), decision_folded(&label, under));
        }
    }

    #[test]
    fn slots_and_fields() {
        let blank = Context { blank: true, ..Context::default() };
        let block = Context { blank: true, sign_off: true, ..Context::default() };
        let table: &[(&str, Context, Option<SlotKind>)] = &[
            ("Tech Lead", blank, Some(SlotKind::Approval)),
            ("Approved by", blank, Some(SlotKind::Approval)),
            ("**Operations Lead:**", blank, Some(SlotKind::Approval)),
            ("Deployed By", blank, Some(SlotKind::Record)),
            ("Deployment Date", blank, Some(SlotKind::Record)),
            ("Verification Complete", block, Some(SlotKind::Record)),
            ("Actual", blank, None),
            ("p95", blank, None),
            ("Version", blank, None),
            ("Date", block, None),
            ("Notes", block, None),
            ("Project Name", blank, None),
            ("Name", block, Some(SlotKind::Approval)),
            ("Responsável técnico", blank, Some(SlotKind::Approval)),
            ("Aprovado por", blank, Some(SlotKind::Approval)),
            ("Genehmigt von", blank, Some(SlotKind::Approval)),
            ("技术负责人", blank, Some(SlotKind::Approval)),
            ("部署人", blank, Some(SlotKind::Record)),
            ("承認者", blank, Some(SlotKind::Approval)),
            ("Руководитель проекта", blank, Some(SlotKind::Approval)),
            ("Engineering Lead", Context { reference: true, ..blank }, None),
            ("QA Lead", Context::default(), None),
            ("Infraestrutura", Context { dated: true, ..block }, Some(SlotKind::Approval)),
            ("Data de Go-Live Planejada", block, None),
            ("Date of Deployment", blank, Some(SlotKind::Record)),
            ("Verification Complete", blank, Some(SlotKind::Record)),
            // The options to choose in parentheses are not part of the decision's name.
            ("**Final decision (GO / GO WITH RISK / NO-GO):**", blank, Some(SlotKind::Approval)),
            ("Keputusan akhir (GO / NO-GO)", blank, Some(SlotKind::Approval)),
            ("Build number (from the release pipeline, if any)", blank, None),
            ("**Go/No-Go-Entscheidung:** ☐ Go ☐ No-Go — Entscheider", blank, Some(SlotKind::Approval)),
            ("Canlıya geçiş kararı (Go/No-Go)", block, Some(SlotKind::Approval)),
        ];
        for (label, cx, want) in table {
            assert_eq!(kind(label, *cx), *want, "{label}");
        }
        assert!(decision("**GO**", true).is_some());
        assert!(decision("GO", false).is_none());
        assert!(decision("Go / No-Go", false).is_some());
    }
}
