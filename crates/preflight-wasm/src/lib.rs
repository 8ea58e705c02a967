//! Preflight's engine for JavaScript: a thin wasm-bindgen facade over `preflight-core`, plus
//! the checks on every value the browser keeps (`stored.rs`). It owns the conversions at the boundary — plain JS objects
//! for the model, UTF-16 offsets for spans, one `Error` type for failures — and nothing else:
//! every decision is the core's. No call may panic (a panic kills the wasm instance), so every
//! fallible path returns an `Error` instead.

mod boundary;
mod stored;

#[cfg(feature = "extra")]
#[path = "../../preflight-wasm-extra/src/carry.rs"]
mod carry;
/// With the `extra` feature: the second module's functions in this one (see Cargo.toml).
#[cfg(feature = "extra")]
#[path = "../../preflight-wasm-extra/src/reports.rs"]
mod reports;

use std::collections::BTreeMap;

use preflight_core::{import, score, Status};
use wasm_bindgen::prelude::*;

pub use boundary::error;
pub use stored::Stored;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = include_str!("types.d.ts");

/// A parsed checklist: the template a run works through.
#[wasm_bindgen]
pub struct Checklist {
    inner: preflight_core::Checklist,
    /// How many of `inner.corrections` (the last ones) were kept beside the text rather than
    /// written in it: what the second module needs, with the text, to read it the same way.
    kept: usize,
}

#[wasm_bindgen]
impl Checklist {
    // The text and bytes below are taken as owned buffers (wasm-bindgen copies them into the
    // module either way): text that needs no normalizing becomes the model's source as it is,
    // instead of being held twice, in the argument and in a normalized copy, while the model
    // is built.

    /// Parse Markdown text. Never fails: problems are in `diagnostics()`.
    pub fn parse(text: String) -> Checklist {
        Checklist { inner: preflight_core::parse::parse_owned(text.into_bytes()), kept: 0 }
    }

    /// Parse raw bytes (a `Uint8Array` from a file): invalid UTF-8 is decoded and reported.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: Vec<u8>) -> Checklist {
        Checklist { inner: preflight_core::parse::parse_owned(bytes), kept: 0 }
    }

    /// Parse Markdown text and apply corrections kept beside it (a JSON array of
    /// `{id, what, value, line}`, as `corrections()` returns). The identity stays the text's hash.
    #[wasm_bindgen(js_name = parseWithCorrections)]
    pub fn parse_with_corrections(
        text: String,
        #[wasm_bindgen(unchecked_param_type = "Correction[]")] corrections: JsValue,
    ) -> Result<Checklist, JsValue> {
        let corrections = boundary::corrections_from_js(&corrections)?;
        let inner = preflight_core::parse::parse_owned_with_corrections(text.into_bytes(), &corrections);
        Ok(Checklist { inner, kept: corrections.len() })
    }

    /// The built-in sample checklist.
    pub fn sample() -> Checklist {
        Checklist { inner: preflight_core::parse_str(preflight_core::sample::SAMPLE_MARKDOWN), kept: 0 }
    }

    #[wasm_bindgen(getter)]
    pub fn title(&self) -> String {
        self.inner.title.clone()
    }

    #[wasm_bindgen(getter, js_name = sourceSha256)]
    pub fn source_sha256(&self) -> String {
        self.inner.source_sha256.clone()
    }

    /// The normalized source text (what the hash is of). Copied straight from the model's
    /// text to JavaScript: a `String` return cloned it in wasm memory first, which never
    /// shrinks (10 MiB kept for good by the page after one export of a 10 MB checklist).
    #[wasm_bindgen(getter)]
    pub fn text(&self) -> js_sys::JsString {
        js_sys::JsString::from(self.inner.source.as_str())
    }

    /// The whole model as a plain object; every span also carries `start16`/`end16`.
    #[wasm_bindgen(unchecked_return_type = "ChecklistModel")]
    pub fn model(&self) -> Result<JsValue, JsValue> {
        boundary::to_js_with_utf16(&self.inner, &self.inner.source)
    }

    #[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
    pub fn diagnostics(&self) -> Result<JsValue, JsValue> {
        boundary::to_js_with_utf16(&self.inner.diagnostics, &self.inner.source)
    }

    /// The text with mis-decoded characters repaired, for the user to accept or not.
    #[wasm_bindgen(js_name = repairedText)]
    pub fn repaired_text(&self) -> String {
        preflight_core::mojibake::repair(&self.inner.source)
    }

    /// Does the text look mis-decoded (mojibake)?
    #[wasm_bindgen(js_name = hasMojibake)]
    pub fn has_mojibake(&self) -> bool {
        self.inner.diagnostics.iter().any(|d| d.code == "mojibake")
    }

    /// The corrections applied to this reading (the document's `preflight:` block and those
    /// kept beside it), in the order applied.
    #[wasm_bindgen(unchecked_return_type = "Correction[]")]
    pub fn corrections(&self) -> Result<JsValue, JsValue> {
        boundary::to_js(&self.inner.corrections)
    }

    /// The corrections kept beside the text that this reading applied (those given to
    /// `parseWithCorrections`; none for `parse`): with `text`, what reads this checklist again
    /// the same way, as the second module does for reports and `explain`.
    #[wasm_bindgen(js_name = keptCorrections, unchecked_return_type = "Correction[]")]
    pub fn kept_corrections(&self) -> Result<JsValue, JsValue> {
        let all = &self.inner.corrections;
        boundary::to_js(&all[all.len().saturating_sub(self.kept)..])
    }

    /// The document's text with `corrections` written into its front matter as a `preflight:`
    /// block (every other byte unchanged): a new version of the checklist that reads the same
    /// in every tool.
    #[wasm_bindgen(js_name = withCorrectionsBlock)]
    pub fn with_corrections_block(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Correction[]")] corrections: JsValue,
    ) -> Result<String, JsValue> {
        let corrections = boundary::corrections_from_js(&corrections)?;
        Ok(preflight_core::corrections::write_block(&self.inner.source, &self.inner, &corrections))
    }

    /// Tables whose rows carry a status mark (☐ ✅ ❌ `[ ]`) but no checkbox, as
    /// `{line, rows, open, done}`: items people meant, which the app offers to convert.
    #[wasm_bindgen(js_name = tableChecklists, unchecked_return_type = "{ line: number; rows: number; open: number; done: number }[]")]
    pub fn table_checklists(&self) -> Result<JsValue, JsValue> {
        let found: Vec<_> = preflight_core::fix::table_checklists(&self.inner.source)
            .into_iter()
            .map(|t| serde_json::json!({ "line": t.line, "rows": t.rows, "open": t.open, "done": t.done }))
            .collect();
        boundary::to_js(&found)
    }

    /// The scorecard of one gate (`"before"`, `"during"`, `"after"`, `"contingency"`), or of the
    /// whole checklist (`"all"`). `score()` answers for the before gate.
    #[wasm_bindgen(js_name = scoreGate, unchecked_return_type = "Scorecard")]
    pub fn score_gate(&self, run: &Run, gate: &str) -> Result<JsValue, JsValue> {
        let gate = match gate {
            "all" => None,
            g => Some(
                preflight_core::model::Gate::parse(g)
                    .ok_or_else(|| error("PreflightError", &format!("`{g}` is not a gate")))?,
            ),
        };
        boundary::to_js(&preflight_core::score::score_gate(&self.inner, &run.inner, gate))
    }

    /// A fresh run whose state is what the document says (`[x]` done, filled sign-offs signed).
    #[wasm_bindgen(js_name = newRun)]
    pub fn new_run(&self, id: &str, name: &str, now: &str) -> Run {
        Run { inner: preflight_core::Run::new(&self.inner, id, name, now) }
    }

    /// A run from JSON: a bare run or a `preflight.report/1` report. Must belong to this checklist.
    #[wasm_bindgen(js_name = runFromJson)]
    pub fn run_from_json(&self, json: &str) -> Result<Run, JsValue> {
        let mut run = import::from_json(json).map_err(boundary::run_error)?;
        run.attach(&self.inner).map_err(boundary::run_error)?;
        Ok(Run { inner: run })
    }

    /// Score, band, verdict and reasons of `run` on this checklist.
    #[wasm_bindgen(unchecked_return_type = "Scorecard")]
    pub fn score(&self, run: &Run) -> Result<JsValue, JsValue> {
        boundary::to_js(&score(&self.inner, &run.inner))
    }

    /// `score(run)` with `sections` holding only the sections an edit of item `id` can move:
    /// its own and those above it. For re-scoring after one click on a large checklist.
    #[wasm_bindgen(js_name = scoreForItem, unchecked_return_type = "Scorecard")]
    pub fn score_for_item(&self, run: &Run, id: &str) -> Result<JsValue, JsValue> {
        boundary::to_js(&preflight_core::score::score_for_item(&self.inner, &run.inner, id))
    }
}

/// Bytes as the engine reads them: UTF-16 with a byte-order mark decoded, UTF-8 with invalid
/// sequences as U+FFFD, line ends LF. The same text `Checklist.fromBytes` parses.
#[wasm_bindgen(js_name = textFromBytes)]
pub fn decode_text(bytes: &[u8]) -> String {
    preflight_core::normalize::normalize(bytes).text
}

/// Whether bytes look like a binary file (NUL bytes that no text encoding explains).
#[wasm_bindgen(js_name = looksBinary)]
pub fn looks_binary(bytes: &[u8]) -> bool {
    preflight_core::normalize::looks_binary(bytes)
}

/// The run in a file: a run (`preflight.run/1`) or a JSON report that carries one
/// (`preflight.report/…`). Anything else is a `PreflightInvalidError` that says what it is not.
#[wasm_bindgen(js_name = runFromFile)]
pub fn run_from_file(text: &str) -> Result<Run, JsValue> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        error("PreflightInvalidError", &format!("not JSON (line {}, column {}): {e}", e.line(), e.column()))
    })?;
    let schema = value.get("schema").and_then(|s| s.as_str()).unwrap_or_default();
    let run = if schema.starts_with("preflight.report/") {
        value.get("run").cloned().ok_or_else(|| error("PreflightInvalidError", "a report without its run"))?
    } else if schema.starts_with("preflight.run/") {
        value
    } else {
        return Err(error(
            "PreflightInvalidError",
            &format!("neither a Preflight run nor a report (schema `{schema}`): export one with Library → Export JSON"),
        ));
    };
    preflight_core::Run::from_json(&run.to_string()).map(|inner| Run { inner }).map_err(boundary::run_error)
}

/// Tenths of a percent as reports and the CLI write them: `72%`, `72.5%`.
#[wasm_bindgen]
pub fn percent(tenths: u32) -> String {
    preflight_core::score::percent(tenths)
}

/// The engine version, as written into reports.
#[wasm_bindgen]
pub fn version() -> String {
    preflight_core::VERSION.to_string()
}

/// One pass through a checklist. Changes take the checklist so ids are checked against it.
#[wasm_bindgen]
pub struct Run {
    pub(crate) inner: preflight_core::Run,
}

#[wasm_bindgen]
impl Run {
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// Rename the run; the later rename wins when two tabs' copies merge.
    pub fn rename(&mut self, name: &str, now: &str) {
        self.inner.rename(name, now);
    }

    #[wasm_bindgen(getter, js_name = templateSha256)]
    pub fn template_sha256(&self) -> String {
        self.inner.template_sha256.clone()
    }

    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> String {
        self.inner.created_at.clone()
    }

    /// SHA-256 of the canonical run state.
    #[wasm_bindgen(getter, js_name = stateSha256)]
    pub fn state_sha256(&self) -> String {
        self.inner.state_sha256()
    }

    /// The canonical JSON of the run (schema `preflight.run/1`).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.canonical_json()
    }

    /// How many entries its history holds (it only grows).
    #[wasm_bindgen(js_name = logLength)]
    pub fn log_length(&self) -> u32 {
        u32::try_from(self.inner.log.len()).unwrap_or(u32::MAX)
    }

    /// `toJson` without the first `logged` entries of its history: what a copy stored with them
    /// lacks; merged into that copy it makes this run again.
    #[wasm_bindgen(js_name = toJsonAfter)]
    pub fn to_json_after(&self, logged: u32) -> String {
        self.inner.canonical_json_after(logged as usize)
    }

    /// The run as a plain object.
    #[wasm_bindgen(js_name = toObject, unchecked_return_type = "RunState")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        boundary::to_js(&self.inner)
    }

    /// The text kept for a `note` or `evidence` of item `id`, or for `field` `id`; "" for none.
    /// One value, where `toObject` converts the whole run (tens of ms at 10,000 items).
    pub fn typed(&self, kind: &str, id: &str) -> String {
        let text = match kind {
            "field" => self.inner.fields.get(id).map(|f| f.value.as_str()),
            "note" => self.inner.items.get(id).and_then(|i| i.note.as_deref()),
            "evidence" => self.inner.items.get(id).and_then(|i| i.evidence.as_deref()),
            _ => None,
        };
        text.unwrap_or_default().to_string()
    }

    /// A copy with a new id and name (for "duplicate run"), made `now`: its creation and its
    /// last change are the copy's, not the original's. Its entries and log are the original's.
    #[wasm_bindgen(js_name = duplicate)]
    pub fn duplicate(&self, id: &str, name: &str, now: Option<String>) -> Run {
        let mut inner = self.inner.clone();
        inner.id = id.to_string();
        inner.name = name.to_string();
        if let Some(now) = now {
            inner.created_at = now.clone();
            inner.renamed_at = Some(now);
        }
        Run { inner }
    }

    /// Set an item's status: `todo`, `done`, `na` or `blocked` (the last two need a reason).
    #[wasm_bindgen(js_name = setStatus)]
    pub fn set_status(
        &mut self,
        checklist: &Checklist,
        id: &str,
        status: &str,
        reason: Option<String>,
        by: Option<String>,
        now: &str,
    ) -> Result<(), JsValue> {
        let status = Status::parse(status).ok_or_else(|| {
            error("PreflightError", &format!("unknown status `{status}`: use todo, done, na or blocked"))
        })?;
        self.inner.set_status(&checklist.inner, id, status, reason, by.as_deref(), now).map_err(boundary::run_error)
    }

    #[wasm_bindgen(js_name = setNote)]
    pub fn set_note(
        &mut self,
        checklist: &Checklist,
        id: &str,
        note: Option<String>,
        by: Option<String>,
        now: &str,
    ) -> Result<(), JsValue> {
        self.inner.set_note(&checklist.inner, id, note, by.as_deref(), now).map_err(boundary::run_error)
    }

    #[wasm_bindgen(js_name = setEvidence)]
    pub fn set_evidence(
        &mut self,
        checklist: &Checklist,
        id: &str,
        evidence: Option<String>,
        by: Option<String>,
        now: &str,
    ) -> Result<(), JsValue> {
        self.inner.set_evidence(&checklist.inner, id, evidence, by.as_deref(), now).map_err(boundary::run_error)
    }

    #[wasm_bindgen(js_name = setField)]
    pub fn set_field(
        &mut self,
        checklist: &Checklist,
        id: &str,
        value: &str,
        by: Option<String>,
        now: &str,
    ) -> Result<(), JsValue> {
        self.inner.set_field(&checklist.inner, id, value, by.as_deref(), now).map_err(boundary::run_error)
    }

    /// Switch a conditional section (Rollback, "if applicable", …) on or off.
    #[wasm_bindgen(js_name = setSection)]
    pub fn set_section(
        &mut self,
        checklist: &Checklist,
        id: &str,
        on: bool,
        by: Option<String>,
        now: &str,
    ) -> Result<(), JsValue> {
        self.inner.set_section(&checklist.inner, id, on, by.as_deref(), now).map_err(boundary::run_error)
    }

    /// Sign a sign-off slot. `values` holds the line's other fields by label (`{Time: "14:00"}`).
    #[allow(clippy::too_many_arguments)]
    pub fn sign(
        &mut self,
        checklist: &Checklist,
        id: &str,
        name: &str,
        date: &str,
        meaning: &str,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string> | undefined")] values: JsValue,
        by: Option<String>,
        now: &str,
    ) -> Result<(), JsValue> {
        let values: BTreeMap<String, String> = if values.is_undefined() || values.is_null() {
            BTreeMap::new()
        } else {
            let json = js_sys::JSON::stringify(&values).ok().and_then(|s| s.as_string()).unwrap_or_default();
            serde_json::from_str(&json)
                .map_err(|e| error("PreflightError", &format!("sign-off values must be strings by label: {e}")))?
        };
        self.inner
            .sign(&checklist.inner, id, name, date, meaning, values, by.as_deref(), now)
            .map_err(boundary::run_error)
    }

    pub fn unsign(&mut self, checklist: &Checklist, id: &str, by: Option<String>, now: &str) -> Result<(), JsValue> {
        self.inner.unsign(&checklist.inner, id, by.as_deref(), now).map_err(boundary::run_error)
    }

    /// Pass a gate (`"before"` declares GO): only when its verdict is GO and the gates before
    /// it were passed. Recorded in the run's timeline with who and when.
    #[wasm_bindgen(js_name = passGate)]
    pub fn pass_gate(
        &mut self,
        checklist: &Checklist,
        gate: &str,
        by: Option<String>,
        now: &str,
    ) -> Result<(), JsValue> {
        let gate = preflight_core::model::Gate::parse(gate)
            .ok_or_else(|| error("PreflightError", &format!("`{gate}` is not a gate")))?;
        self.inner.pass_gate(&checklist.inner, gate, by.as_deref(), now).map_err(boundary::run_error)
    }

    /// Start a contingency procedure (e.g. Rollback): switches it on and records when, by whom
    /// and why. `why` is required.
    #[wasm_bindgen(js_name = startContingency)]
    pub fn start_contingency(
        &mut self,
        checklist: &Checklist,
        section: &str,
        why: &str,
        by: Option<String>,
        now: &str,
    ) -> Result<(), JsValue> {
        self.inner.start_contingency(&checklist.inner, section, why, by.as_deref(), now).map_err(boundary::run_error)
    }

    /// The exact bytes a cryptographic signature of sign-off `id` signs: its canonical
    /// `preflight.signoff/2` statement (RFC 8785 JSON), from the signature recorded by `sign`.
    #[wasm_bindgen(js_name = signOffStatement)]
    pub fn sign_off_statement(&self, checklist: &Checklist, id: &str) -> Result<String, JsValue> {
        let sig = self.inner.sign_offs.get(id).and_then(|s| s.signature.as_ref()).ok_or_else(|| {
            error("PreflightError", &format!("`{id}` is not signed: sign it first, then sign its statement"))
        })?;
        Ok(preflight_core::statement::Statement::of(&checklist.inner, id, sig).canonical())
    }

    /// Keep an SSH signature (an armored SSHSIG, namespace `preflight`, made over
    /// `signOffStatement(id)` by WebCrypto) with the sign-off's signature.
    #[wasm_bindgen(js_name = attachSshSignature)]
    pub fn attach_ssh_signature(&mut self, id: &str, armored: &str) -> Result<(), JsValue> {
        let armored = armored.trim();
        if !(armored.starts_with("-----BEGIN SSH SIGNATURE-----") && armored.ends_with("-----END SSH SIGNATURE-----")) {
            return Err(error("PreflightInvalidError", "not an armored SSH signature"));
        }
        let sig = self
            .inner
            .sign_offs
            .get_mut(id)
            .and_then(|s| s.signature.as_mut())
            .ok_or_else(|| error("PreflightError", &format!("`{id}` is not signed")))?;
        sig.ssh = Some(format!("{armored}\n"));
        Ok(())
    }

    /// Close the run: recorded in its timeline.
    pub fn close(&mut self, by: Option<String>, now: &str) {
        self.inner.close(by.as_deref(), now);
    }

    /// Merge another copy of this run (another tab, another browser): per entry, the later
    /// change wins; nothing either side did is lost. True when this run changed (as `toJson`
    /// shows it).
    pub fn merge(&mut self, other: &Run) -> Result<bool, JsValue> {
        if other.inner.id != self.inner.id || other.inner.template_sha256 != self.inner.template_sha256 {
            return Err(error("PreflightError", "cannot merge two different runs"));
        }
        Ok(self.inner.merge(&other.inner))
    }
}

/// The browser benchmark's baseline, built only with the `bench-baseline` feature (never into
/// pkg/): a bare pulldown-cmark event walk with the engine's options, so that the wasm engine,
/// the walk it is built on and markdown-it are measured in one page.
#[cfg(feature = "bench-baseline")]
#[wasm_bindgen(js_name = bareWalk)]
pub fn bare_walk(bytes: &[u8]) -> u32 {
    let text = String::from_utf8_lossy(bytes);
    let events = pulldown_cmark::Parser::new_ext(&text, preflight_core::parse::options()).into_offset_iter();
    events.fold(0u32, |n, (_, range)| n.wrapping_add(range.len() as u32))
}
