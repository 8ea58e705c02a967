//! A run's history: every change (status, reason, note, evidence, field, section switch,
//! signature, gate passed, rollback started, rename) appended as an entry that names the SHA-256
//! of the entry or entries before it, like git commits. Merging two copies (another tab, an
//! imported copy) keeps every entry of both and adds a merge entry with both heads as parents,
//! so nothing is lost or rewritten, and any entry dropped or altered breaks a link that `verify`
//! finds.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// SHA-256 of every other field of this entry (canonical JSON).
    pub id: String,
    pub parents: Vec<String>,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// status, note, evidence, field, section, signature, unsign, gate-passed, go-declared,
    /// contingency-started, closed, rename, merge.
    pub what: String,
    /// The item, field, section or sign-off id concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl Entry {
    fn hash(&self) -> String {
        #[derive(Serialize)]
        struct Body<'a> {
            parents: &'a [String],
            at: &'a str,
            by: &'a Option<String>,
            what: &'a str,
            target: &'a Option<String>,
            before: &'a Option<String>,
            after: &'a Option<String>,
        }
        crate::run::sha256_json(&Body {
            parents: &self.parents,
            at: &self.at,
            by: &self.by,
            what: &self.what,
            target: &self.target,
            before: &self.before,
            after: &self.after,
        })
    }
}

/// The entries nothing follows yet.
pub fn heads(log: &[Entry]) -> Vec<String> {
    // Every change asks this of the whole log. Sized first: grown as it was filled, the set
    // was rehashed at each doubling, half the cost of a change to a long run.
    let mut named = std::collections::HashSet::with_capacity(log.iter().map(|e| e.parents.len()).sum());
    named.extend(log.iter().flat_map(|e| e.parents.iter().map(String::as_str)));
    log.iter().filter(|e| !named.contains(e.id.as_str())).map(|e| e.id.clone()).collect()
}

/// Append a change after the current heads.
#[allow(clippy::too_many_arguments)]
pub fn append(
    log: &mut Vec<Entry>,
    what: &str,
    target: Option<&str>,
    before: Option<String>,
    after: Option<String>,
    by: Option<&str>,
    at: &str,
) {
    let mut entry = Entry {
        id: String::new(),
        parents: heads(log),
        at: at.to_string(),
        by: by.map(str::to_string).filter(|b| !b.is_empty()),
        what: what.to_string(),
        target: target.map(str::to_string),
        before,
        after,
    };
    entry.id = entry.hash();
    log.push(entry);
}

/// Merge another copy's log: every entry either side has, once; then, if the two histories
/// diverged, a merge entry naming all heads (its time the latest of theirs, so two tabs merging
/// the same pair make the same entry).
pub fn merge(mine: &mut Vec<Entry>, theirs: &[Entry]) {
    // Borrowed ids: another tab's copy is merged at each of its saves, and a copy of every id
    // was an allocation per entry of the log.
    let new: Vec<&Entry> = {
        let mut known = std::collections::HashSet::with_capacity(mine.len());
        known.extend(mine.iter().map(|e| e.id.as_str()));
        theirs.iter().filter(|e| !known.contains(e.id.as_str())).collect()
    };
    let added = !new.is_empty();
    mine.extend(new.into_iter().cloned());
    let mut heads = heads(mine);
    // Sorted: which side merged which must not change the merge entry.
    heads.sort();
    if added && heads.len() > 1 {
        let at = mine.iter().filter(|e| heads.contains(&e.id)).map(|e| e.at.clone()).max().unwrap_or_default();
        let mut entry = Entry {
            id: String::new(),
            parents: heads,
            at,
            by: None,
            what: "merge".into(),
            target: None,
            before: None,
            after: None,
        };
        entry.id = entry.hash();
        if !mine.iter().any(|e| e.id == entry.id) {
            mine.push(entry);
        }
    }
}

/// Broken links: an entry whose id is not the hash of its contents, or that names a parent the
/// log does not hold.
pub fn problems(log: &[Entry]) -> Vec<String> {
    let ids: std::collections::HashSet<&str> = log.iter().map(|e| e.id.as_str()).collect();
    let mut out = Vec::new();
    for (i, e) in log.iter().enumerate() {
        if e.hash() != e.id {
            out.push(format!("log entry {i} ({} at {}) was altered: its hash does not match", e.what, e.at));
        }
        for p in &e.parents {
            if !ids.contains(p.as_str()) {
                out.push(format!(
                    "log entry {i} ({} at {}) follows {}…, which is missing",
                    e.what,
                    e.at,
                    p.get(..12).unwrap_or(p)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_link_and_merges_keep_both_sides() {
        let mut a = Vec::new();
        append(&mut a, "status", Some("i-1"), Some("todo".into()), Some("done".into()), Some("ana"), "t1");
        append(&mut a, "note", Some("i-1"), None, Some("ok".into()), Some("ana"), "t2");
        assert_eq!(a[1].parents, [a[0].id.clone()]);
        assert_eq!(heads(&a), [a[1].id.clone()]);
        let mut b = a[..1].to_vec();
        append(&mut b, "status", Some("i-2"), Some("todo".into()), Some("done".into()), Some("bo"), "t3");
        let mut merged = a.clone();
        merge(&mut merged, &b);
        assert_eq!(merged.len(), 4, "both changes and a merge entry");
        let m = merged.last().unwrap();
        assert_eq!((m.what.as_str(), m.parents.len()), ("merge", 2));
        // Merging the other way round gives the same merge entry.
        let mut other = b.clone();
        merge(&mut other, &a);
        assert_eq!(other.last().unwrap().id, m.id);
        assert!(problems(&merged).is_empty());
        // Dropping a middle entry or changing one breaks a link.
        let mut dropped = merged.clone();
        dropped.remove(1);
        assert!(!problems(&dropped).is_empty());
        let mut changed = merged.clone();
        changed[0].after = Some("na".into());
        assert!(problems(&changed)[0].contains("altered"));
    }
}
