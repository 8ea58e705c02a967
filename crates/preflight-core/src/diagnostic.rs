//! Diagnostics are values, never errors: the core always returns a model, and everything it
//! noticed about the document travels beside it with a severity, a stable code and a span.

use serde::{Deserialize, Serialize};

use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Stable diagnostic codes: part of the `lint --json` contract, so only ever add to this list.
pub mod code {
    pub const INVALID_UTF8: &str = "invalid-utf8";
    pub const UTF16: &str = "utf-16";
    pub const INVALID_UTF16: &str = "invalid-utf-16";
    pub const NUL_BYTE: &str = "nul-byte";
    pub const MOJIBAKE: &str = "mojibake";
    pub const DECLARED_TOTAL_MISMATCH: &str = "declared-total-mismatch";
    pub const DUPLICATE_ITEM: &str = "duplicate-item";
    pub const EMPTY_ITEM: &str = "empty-item";
    pub const EMPTY_CHECKLIST_SECTION: &str = "empty-checklist-section";
    pub const PLACEHOLDER: &str = "placeholder";
    pub const NO_ITEMS: &str = "no-items";
    pub const RUBRIC_GAP: &str = "rubric-gap";
    pub const UNKNOWN_CRITICAL: &str = "unknown-critical";
    /// A line of the front matter's `preflight:` corrections block that cannot be read.
    pub const CORRECTIONS: &str = "corrections";
    /// A correction naming an item or section the checklist does not have.
    pub const UNKNOWN_CORRECTION: &str = "unknown-correction";
    pub const FRONT_MATTER: &str = "front-matter";
    pub const TABLE_CHECKLIST: &str = "table-checklist";
    /// A code fence or HTML comment never closed, which hides the task lines after it.
    pub const UNCLOSED_BLOCK: &str = "unclosed-block";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub span: Span,
    /// A proposed replacement for the text of the span's line (mojibake repair), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic { severity, code: code.to_string(), message: message.into(), span, repair: None }
    }
}
