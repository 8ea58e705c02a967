//! What the words of a checklist mean: the one place where Preflight reads language. The walk
//! (`parse.rs`) only walks; `assemble.rs` asks these functions about each heading, item and
//! line, and records every answer with its rule, line and words, so that `explain` can show
//! it and a person can correct it.
//!
//! - `vocabulary.rs`: the word tables, per rule and per language.
//! - `fold.rs`: how text and phrases are compared (case, accents, hyphens, word boundaries).
//! - `marks.rs`: critical, non-blocking, optional, circumstantial.
//! - `gates.rs`: which pause point a heading opens.
//! - `signoff.rs`: which lines are slots for a person's approval or record.
//! - `trie.rs`: the byte trie the vocabulary's first words and a legend's labels are found with.
//!
//! Everything here is a pure function of text: no model, no state, never a panic.

pub mod fold;
pub mod gates;
pub mod marks;
pub mod signoff;
pub mod trie;
pub mod vocabulary;

use vocabulary::{Hit, SIGN_OFF_HEADING};

/// A heading (or a short lead-in line such as `**Sign-off:**`) under which lines are sign-off
/// slots. "Approval workflow testing" names a feature: the approval word must end the heading
/// or be one of the unmistakable forms.
pub fn sign_off_heading(title: &str) -> Option<Hit> {
    let folded = fold::fold(title);
    let folded = folded.trim_end_matches(|c: char| !c.is_alphanumeric());
    let hit = SIGN_OFF_HEADING.find(folded)?;
    let at_end = hit.at + hit.words.len() == folded.len();
    let explicit = [
        "sign off",
        "signoff",
        "signed off",
        "signatures",
        "approvals",
        "approved by",
        "approvers",
        "authorized by",
        "authorised by",
        "go no go decision",
    ]
    .iter()
    .any(|w| hit.words.starts_with(w));
    let cjk = !hit.words.is_ascii();
    (at_end || explicit || cjk || folded.split(' ').count() <= 2).then_some(hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_off_headings() {
        for t in [
            "📝 Sign-Off",
            "Approvals",
            "Final approval",
            "Signatures",
            "Deployment Authorized By:",
            "Pre-Deployment Sign-Off",
            "Aprovações",
            "Freigabe",
            "Согласование",
            "签字确认",
            "承認",
        ] {
            assert!(sign_off_heading(t).is_some(), "{t}");
        }
        for t in ["Expense Approval Flow", "Approval workflow testing", "Notes", "✅ Authentication & Authorization"] {
            assert!(sign_off_heading(t).is_none(), "{t}");
        }
    }
}
