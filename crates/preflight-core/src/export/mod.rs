//! Reports: the run rendered for people and machines. Markdown (the original document, filled
//! in, re-importable), HTML (one self-contained printable file, its JSON inside) and JSON
//! (`preflight.report/2`). All three carry what made them, so `verify` recomputes them.

pub mod html;
pub mod markdown;
pub mod verify;

pub use crate::report::json;
