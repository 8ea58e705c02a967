//! `--state`: the run to score or report, read from a run or report JSON or a filled Markdown
//! report, and checked against the checklist. Entries under ids the checklist does not have
//! (a task, sign-off, field or conditional section that is not there) are left out of the run
//! and named in a warning, so a state file cannot plant progress that nobody can see.

use std::collections::HashSet;
use std::path::Path;

use preflight_core::normalize::normalize;
use preflight_core::{import, Checklist, Run, Status};

use crate::input;
use crate::terminal::plain;

/// How many unknown ids a warning names before it says "+N more".
const NAMED: usize = 10;

/// The run for `c`: from `state` when given (`Err`: a message for exit code 2), else a fresh
/// run of what the document says. Warnings go to standard error.
pub fn load(c: &Checklist, state: Option<&Path>, limit: u64, now: &str) -> Result<Run, String> {
    let Some(path) = state else {
        return Ok(Run::new(c, "cli", "untouched", now));
    };
    // Normalized like a checklist: a state file saved by PowerShell's `>` is UTF-16. Bytes it
    // would replace (not UTF-8, a NUL) are refused: a note or evidence read with U+FFFD in
    // their place would be scored, reported and signed as if that were what was written.
    let normalized = normalize(&input::read(path, limit)?);
    if let Some(d) = normalized.first_loss() {
        return Err(format!(
            "{}:{}:{}: {}; a run file must be text in UTF-8 (or UTF-16 with its mark)",
            path.display(),
            d.span.line,
            d.span.column,
            d.message
        ));
    }
    let text = normalized.text;
    let trimmed = text.trim_start();
    // JSON of any kind is read as JSON ("null" is no run, not a Markdown report); a Markdown
    // report is refused as JSON at its first byte.
    let json = trimmed.starts_with(['{', '[', '"']) || serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok();
    let result = if json {
        import::from_json(trimmed).and_then(|mut run| run.attach(c).map(|_| run))
    } else {
        import::from_markdown(&text, Some(c)).map(|i| i.run)
    };
    let mut run = result.map_err(|e| format!("{}: {e}", path.display()))?;
    // N/A and blocked take an item out of the score or hold it: each needs its reason, as `run
    // set` asks for one. A file without it is refused, not scored more kindly than it says.
    if let Some((id, st)) = run.items.iter().find(|(_, st)| {
        matches!(st.status, Status::Na | Status::Blocked) && st.reason.as_deref().is_none_or(|r| r.trim().is_empty())
    }) {
        return Err(format!(
            "{}: item `{}` is {} without a reason: N/A and blocked each need one",
            path.display(),
            plain(id),
            if st.status == Status::Na { "N/A" } else { "blocked" }
        ));
    }
    let unknown = drop_unknown(c, &mut run);
    if !unknown.is_empty() {
        eprintln!("{}", plain(&warning(&path.display().to_string(), &unknown)));
    }
    Ok(run)
}

/// Remove every entry of `run` whose id `c` lacks; returns them as "task `id`", "field `id`"…
pub fn drop_unknown(c: &Checklist, run: &mut Run) -> Vec<String> {
    let tasks: HashSet<&str> = c.tasks().map(|i| i.id.as_str()).collect();
    let sign_offs: HashSet<&str> = c.sign_offs().map(|i| i.id.as_str()).collect();
    let fields: HashSet<&str> = c.fields.iter().map(|f| f.id.as_str()).collect();
    let sections: HashSet<&str> = c.sections.iter().filter(|s| s.conditional).map(|s| s.id.as_str()).collect();
    let mut unknown = Vec::new();
    let mut keep = |known: &HashSet<&str>, what: &str, id: &String| {
        let ok = known.contains(id.as_str());
        if !ok {
            unknown.push(format!("{what} `{id}`"));
        }
        ok
    };
    run.items.retain(|id, _| keep(&tasks, "task", id));
    run.sign_offs.retain(|id, _| keep(&sign_offs, "sign-off", id));
    run.fields.retain(|id, _| keep(&fields, "field", id));
    run.sections.retain(|id, _| keep(&sections, "conditional section", id));
    unknown
}

/// "run.json names 12 ids this checklist does not have, left out: task `a`, … +2 more"
fn warning(file: &str, unknown: &[String]) -> String {
    let named = unknown.iter().take(NAMED).cloned().collect::<Vec<_>>().join(", ");
    let more = unknown.len().saturating_sub(NAMED);
    let more = if more > 0 { format!(" +{more} more") } else { String::new() };
    let (n, ids) = if unknown.len() == 1 { (String::new(), "an id") } else { (format!("{} ", unknown.len()), "ids") };
    format!(
        "preflight: warning: {file} names {n}{ids} this checklist does not have, left out of the run: {named}{more}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_names_ten_ids_then_counts_the_rest() {
        let ids: Vec<String> = (0..12).map(|i| format!("item `x{i}`")).collect();
        let text = warning("run.json", &ids);
        assert!(text.contains("run.json names 12 ids this checklist does not have"), "{text}");
        assert!(text.contains("item `x9` +2 more"), "{text}");
        assert!(!text.contains("x10"), "{text}");
        assert!(warning("r", &ids[..1]).contains("names an id this checklist"));
    }
}
