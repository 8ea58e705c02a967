//! Preflight's engine: Markdown checklists in, a scored readiness model, run state and signed
//! reports out. Pure Rust with no I/O, no clock and no browser types; it never panics on input
//! and never fails to parse: every document yields a [`Checklist`] plus diagnostics.
//!
//! The data flow is `bytes → normalize → parse → Checklist`, then `Checklist + Run → score →
//! Scorecard`, then `Checklist + Run → export → Markdown | HTML | JSON`. See ARCHITECTURE.md.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod assemble;
pub mod carry;
mod codepage;
pub mod corrections;
pub mod diagnostic;
pub mod explain;
pub mod export;
pub mod fix;
pub mod history;
pub mod ids;
pub mod import;
mod line_diff;
mod lint;
pub mod markdown;
pub mod markers;
pub mod metadata;
pub mod model;
pub mod mojibake;
pub mod normalize;
pub mod parse;
pub mod pathological;
pub mod recognize;
pub mod report;
pub mod rubric;
pub mod run;
pub mod sample;
pub mod score;
pub mod span;
pub mod statement;
pub mod words;

pub use diagnostic::{Diagnostic, Severity};
pub use model::{Band, Block, Checklist, Item, ItemKind, Section};
pub use parse::{parse, parse_str};
pub use run::{Run, RunError, Status};
pub use score::{score, Scorecard, Verdict};

/// The engine's version, written into every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
