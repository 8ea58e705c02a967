//! `preflight fix`: the repairs a person asks for, applied to one file. Reads the bytes,
//! normalizes them (the result is the normalized text: UTF-8, no byte-order mark, LF line
//! ends), applies the chosen repairs from `preflight_core::fix` and prints the result, or with
//! `--write` replaces the file atomically. Decides nothing about Markdown itself: what a table
//! checklist is and how mojibake is undone belong to the core.

use std::io::Write;
use std::path::{Path, PathBuf};

use preflight_core::fix::{repair_mojibake, tables_to_tasks};
use preflight_core::normalize::normalize;

use crate::input;
use crate::terminal::plain;

/// Run `preflight fix`. `Ok` is the exit code; `Err` is a message for exit code 2.
///
/// Mojibake is repaired before tables are converted, so a status cell that reads `âŒ` is
/// recognized as the `❌` it spells.
pub fn run(file: &Path, tables: bool, mojibake: bool, write: bool, limit: u64) -> Result<u8, String> {
    if !tables && !mojibake {
        return Err("fix: choose what to repair: --tables, --mojibake, or both".to_string());
    }
    let stdin = file == Path::new("-");
    if stdin && write {
        return Err("fix: --write needs a file, not standard input".to_string());
    }
    let bytes = input::read(file, limit)?;
    let normalized = normalize(&bytes);
    if write {
        refuse_lossy(file, &normalized)?;
    }
    let mut text = normalized.text;
    let mut repaired = 0;
    if mojibake {
        let fixed = repair_mojibake(&text);
        repaired = fixed.repaired;
        text = fixed.text;
    }
    let (mut converted, mut rows) = (0, 0);
    if tables {
        let fixed = tables_to_tasks(&text);
        (converted, rows) = (fixed.tables, fixed.items);
        text = fixed.text;
    }
    if !write {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|e| format!("cannot write output: {e}"))?;
        return Ok(0);
    }
    let summary = summary(tables.then_some((converted, rows)), mojibake.then_some(repaired));
    if converted == 0 && repaired == 0 {
        // Nothing to repair: the file keeps its bytes (even its line ends and byte-order mark).
        eprintln!("{}: {summary}; file left as it was", plain(&file.display().to_string()));
        return Ok(0);
    }
    replace(file, &text)?;
    eprintln!("{}: {summary}", plain(&file.display().to_string()));
    Ok(0)
}

/// `--write` of a text read with bytes replaced (not UTF-8, NUL, broken UTF-16) would put
/// U+FFFD over them in the file for good: refused, naming the first, before anything is
/// written. Printing the repaired text (no `--write`) leaves the file as it is.
fn refuse_lossy(file: &Path, normalized: &preflight_core::normalize::Normalized) -> Result<(), String> {
    let Some(d) = normalized.first_loss() else {
        return Ok(());
    };
    Err(format!(
        "fix: {}:{}:{}: {}; --write would lose those bytes, so the file was left as it was (convert it to UTF-8 first, or run without --write to see the repaired text)",
        plain(&file.display().to_string()),
        d.span.line,
        d.span.column,
        plain(&d.message)
    ))
}

/// "converted 2 tables (45 rows) into task lists; repaired 3 mis-decoded characters"
fn summary(tables: Option<(u32, u32)>, repaired: Option<u32>) -> String {
    let mut parts = Vec::new();
    if let Some((converted, rows)) = tables {
        parts.push(if converted == 0 {
            "no table checklist to convert".to_string()
        } else {
            format!("converted {converted} table{} ({rows} row{}) into task lists", plural(converted), plural(rows))
        });
    }
    if let Some(repaired) = repaired {
        parts.push(if repaired == 0 {
            "no mojibake to repair".to_string()
        } else {
            format!("repaired {repaired} mis-decoded character{}", plural(repaired))
        });
    }
    parts.join("; ")
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Write `text` over `file` atomically: a temporary file in the same directory (so the rename
/// stays on one file system), with the original's permissions, renamed over the original. A
/// symbolic link is followed, so the link stays and its target changes.
fn replace(file: &Path, text: &str) -> Result<(), String> {
    let target = std::fs::canonicalize(file).map_err(|e| format!("cannot resolve {}: {e}", file.display()))?;
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp: PathBuf = target.with_file_name(format!(".{name}.preflight-fix-{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut out = std::fs::File::create(&temp)?;
        out.write_all(text.as_bytes())?;
        out.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(&target) {
            std::fs::set_permissions(&temp, metadata.permissions())?;
        }
        std::fs::rename(&temp, &target)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("cannot write {}: {e}", file.display())
    })
}
