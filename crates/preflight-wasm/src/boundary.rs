//! Conversions at the JavaScript boundary: Rust values to plain JS objects, byte spans to
//! UTF-16 offsets (what JS strings index by), and every failure to one `Error` type.

use preflight_core::RunError;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A JS `Error` with `name` set, so callers can tell failures apart (`PreflightQuotaError`, …).
pub fn error(name: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    e.into()
}

pub fn run_error(e: RunError) -> JsValue {
    let name = match e {
        RunError::WrongTemplate { .. } => "PreflightWrongTemplateError",
        RunError::Invalid(_) => "PreflightInvalidError",
        _ => "PreflightError",
    };
    error(name, &e.to_string())
}

/// One serializer for everything (serde_json), parsed by the engine's native `JSON.parse`:
/// a second serializer (serde-wasm-bindgen) would duplicate every type's code in the wasm.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let json =
        serde_json::to_string(value).map_err(|e| error("PreflightError", &format!("cannot convert to JS: {e}")))?;
    js_sys::JSON::parse(&json)
}

/// Serialize with every span also carrying UTF-16 offsets `start16`/`end16` into `text`
/// (JavaScript strings index in UTF-16 code units), in the same single pass.
pub fn to_js_with_utf16<T: Serialize>(value: &T, text: &str) -> Result<JsValue, JsValue> {
    preflight_core::span::with_utf16_offsets(text, || to_js(value))
}

/// Corrections from JS (an array of `{id, what, value, line}`); `undefined` or `null` is none.
pub fn corrections_from_js(value: &JsValue) -> Result<Vec<preflight_core::model::Correction>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let json = js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default();
    serde_json::from_str(&json).map_err(|e| {
        error("PreflightInvalidError", &format!("corrections must be {{id, what, value, line}} objects: {e}"))
    })
}
