//! The JSON report's memory, alone in its own wasm instance: wasm memory only grows, so what a
//! call adds can only be measured before any other test has grown it.

#![cfg(target_arch = "wasm32")]

mod common;

use preflight_wasm_extra::export_report;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use common::growth;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
fn a_long_json_report_goes_to_javascript_in_pieces() {
    let (text, run) = common::long_checklist(60_000, |i| format!("Step {i} — vérifie ✅ 📋 the release"));
    let (report, grown) = growth(|| export_report("json", text.clone(), JsValue::UNDEFINED, &run, "t").unwrap());
    // Read back into wasm memory only now that the growth is measured.
    let json = String::from(report);
    // `long_checklist` left room for a model, which the call's parse takes again:
    // what grows is what the report adds. Nothing, when measured; written whole into one string
    // (growing by doubling) before it went to JavaScript, 1.98× the report.
    assert!(grown * 2 < json.len(), "wasm memory grew {grown} bytes for a report of {} bytes", json.len());
    // Cut into pieces only between whole characters, and joined back intact.
    let report = js_sys::JSON::parse(&json).unwrap();
    let items = js_sys::Array::from(&get(&report, "items"));
    assert_eq!(items.length(), 60_000);
    assert_eq!(get(&items.get(59_999), "text").as_string().unwrap(), "Step 59999 — vérifie ✅ 📋 the release");
}
