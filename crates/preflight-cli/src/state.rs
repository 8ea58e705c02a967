//! `--state`: the run to score or report, read from a run or report JSON or a filled Markdown
//! report, and checked against the checklist.

use std::path::Path;

use preflight_core::normalize::normalize;
use preflight_core::{import, Checklist, Run};

use crate::input;

/// The run for `c`: from `state` when given (`Err`: a message for exit code 2), else a fresh
/// run of what the document says.
pub fn load(c: &Checklist, state: Option<&Path>, limit: u64, now: &str) -> Result<Run, String> {
    let Some(path) = state else {
        return Ok(Run::new(c, "cli", "untouched", now));
    };
    // Normalized like a checklist: a state file saved by PowerShell's `>` is UTF-16.
    let text = normalize(&input::read(path, limit)?).text;
    let trimmed = text.trim_start();
    let result = if trimmed.starts_with('{') {
        import::from_json(trimmed).and_then(|mut run| run.attach(c).map(|_| run))
    } else {
        import::from_markdown(&text, Some(c)).map(|i| i.run)
    };
    result.map_err(|e| format!("{}: {e}", path.display()))
}
