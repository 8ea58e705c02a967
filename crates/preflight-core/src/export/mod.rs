//! Reports: the run rendered for people and machines. Markdown (the original document, filled
//! in, re-importable), HTML (one self-contained printable file) and JSON (`preflight.report/1`).
//! All three carry the source SHA-256 and the run-state SHA-256.

pub mod html;
pub mod markdown;

pub use crate::report::json;
