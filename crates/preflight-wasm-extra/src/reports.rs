//! The second module's functions: reports, report import, `explain`, `fix`. Compiled into
//! `preflight-wasm-extra` (the second module) and, with the `extra` feature, into
//! `preflight-wasm` itself for the builds that carry one module with everything (the single
//! file and the element script, scripts/build-pkg.sh).

use preflight_core::export::{html, markdown};
use preflight_core::{import, report};
use wasm_bindgen::prelude::*;

use crate::boundary::{corrections_from_js, error, run_error, to_js, written};

/// The checklist as the first module read it: its text and the corrections kept beside it.
/// The text is taken, not borrowed: clean text becomes the model's source without a copy.
fn checklist(text: String, corrections: &JsValue) -> Result<preflight_core::Checklist, JsValue> {
    let corrections = corrections_from_js(corrections)?;
    Ok(preflight_core::parse::parse_owned_with_corrections(text.into_bytes(), &corrections))
}

/// The checklist and a run of it (canonical JSON, as `run.toJson()` gives).
fn checklist_and_run(
    text: String,
    corrections: &JsValue,
    run_json: &str,
) -> Result<(preflight_core::Checklist, preflight_core::Run), JsValue> {
    let c = checklist(text, corrections)?;
    let mut run = preflight_core::Run::from_json(run_json).map_err(run_error)?;
    run.attach(&c).map_err(run_error)?;
    Ok((c, run))
}

/// The report of a run: `format` is `"md"`, `"html"` or `"json"`. The HTML and JSON reports
/// go to JavaScript in pieces as they are written, never whole in wasm memory (each about three
/// times the checklist's text).
#[wasm_bindgen(js_name = exportReport)]
pub fn export_report(
    format: &str,
    text: String,
    #[wasm_bindgen(unchecked_param_type = "Correction[] | undefined")] corrections: JsValue,
    run_json: &str,
    now: &str,
) -> Result<js_sys::JsString, JsValue> {
    let (c, run) = checklist_and_run(text, &corrections, run_json)?;
    match format {
        "md" => Ok(markdown::export(&c, &run, now).as_str().into()),
        "html" => written(|out| html::write(&c, &run, now, out)),
        "json" => written(|out| report::write_json(&c, &run, now, out)),
        other => Err(error("PreflightError", &format!("`{other}` is not a report format: use md, html or json"))),
    }
}

/// The run in a filled Markdown report of this checklist, as canonical JSON.
#[wasm_bindgen(js_name = runFromMarkdown)]
pub fn run_from_markdown(
    text: String,
    #[wasm_bindgen(unchecked_param_type = "Correction[] | undefined")] corrections: JsValue,
    report: &str,
) -> Result<String, JsValue> {
    let c = checklist(text, &corrections)?;
    let imported = import::from_markdown(report, Some(&c)).map_err(run_error)?;
    Ok(imported.run.canonical_json())
}

/// A filled Markdown report taken apart without its template: the template text rebuilt from
/// the report's edit log, the run as canonical JSON, and the corrections the report was read
/// with where it was made. `undefined` when `text` is not a Preflight report.
#[wasm_bindgen(js_name = splitReport, unchecked_return_type = "{ template: string, run: string, corrections: Correction[] } | undefined")]
pub fn split_report(text: &str) -> Result<JsValue, JsValue> {
    if import::split(text).is_none() {
        return Ok(JsValue::UNDEFINED);
    }
    let imported = import::from_markdown(text, None).map_err(run_error)?;
    let object = js_sys::Object::new();
    let template = imported.template.unwrap_or_default();
    js_sys::Reflect::set(&object, &"template".into(), &template.into())?;
    js_sys::Reflect::set(&object, &"run".into(), &imported.run.canonical_json().into())?;
    js_sys::Reflect::set(&object, &"corrections".into(), &to_js(&imported.corrections)?)?;
    Ok(object.into())
}

/// The SHA-256 of the checklist a Markdown report was made from, as its summary block says;
/// `undefined` when `text` is not a Preflight report.
#[wasm_bindgen(js_name = reportTemplateSha256)]
pub fn report_template_sha256(text: &str) -> Option<String> {
    import::split(&preflight_core::normalize::normalize(text.as_bytes()).text).map(|r| r.header.template_sha256)
}

/// How the checklist was read (`preflight.explain/1`): every section's gate, every item's kind
/// and marks, every sign-off slot, the rubric, each with why (rule, line, words).
#[wasm_bindgen(unchecked_return_type = "Explanation")]
pub fn explain(
    text: String,
    #[wasm_bindgen(unchecked_param_type = "Correction[] | undefined")] corrections: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&preflight_core::explain::explain(&checklist(text, &corrections)?))
}

/// The text with every table checklist rewritten as a task list (every other byte kept).
#[wasm_bindgen(js_name = tablesAsTasks)]
pub fn tables_as_tasks(text: &str) -> String {
    preflight_core::fix::tables_to_tasks(text).text
}
