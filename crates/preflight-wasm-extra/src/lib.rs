//! The rarely used half of Preflight's engine for JavaScript (`pkg/preflight_extra_bg.wasm`):
//! the Markdown, HTML and JSON reports, reading a report back, the full `explain` report, `fix`,
//! and carrying a run over to an edited checklist. Every page loads `preflight-wasm`; this
//! module is fetched (or, in the single file and the embed script, inflated) only when one of
//! these is first used, so what every page loads stays small.
//!
//! It is a separate wasm instance: nothing of the first module's memory is shared. A checklist
//! crosses as its text and the corrections it was read with (`checklist.text`,
//! `checklist.keptCorrections()`), and is read again here, a run as its canonical JSON
//! (`run.toJson()`); what comes back is plain text or a plain object. Like the first module it
//! never panics: every failure is a JS `Error` with a `name`.

/// The first module's conversions at the boundary (errors, JSON in pieces, corrections),
/// compiled here too: the two modules share no memory, but they convert alike. Not every one
/// is used here (UTF-16 spans are the first module's).
#[allow(dead_code)]
#[path = "../../preflight-wasm/src/boundary.rs"]
mod boundary;
mod carry;
mod reports;

pub use carry::*;
pub use reports::*;
use wasm_bindgen::prelude::*;

/// The engine version, as written into reports: the same as the first module's.
#[wasm_bindgen]
pub fn version() -> String {
    preflight_core::VERSION.to_string()
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"import type { Correction, Explanation } from "./preflight.js";"#;
