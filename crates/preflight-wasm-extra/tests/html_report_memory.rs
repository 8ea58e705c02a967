//! The HTML report's memory, alone in its own wasm instance: wasm memory only grows, so what a
//! call adds can only be measured before any other test has grown it.

#![cfg(target_arch = "wasm32")]

mod common;

use preflight_wasm_extra::export_report;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use common::growth;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_long_html_report_goes_to_javascript_in_pieces() {
    let (text, run) = common::long_checklist(20_000, |i| format!("Step {i} checks the release & verifies it"));
    let (report, grown) = growth(|| export_report("html", text.clone(), JsValue::UNDEFINED, &run, "t").unwrap());
    // Read back into wasm memory only now that the growth is measured.
    let html = String::from(report);
    assert!(html.contains("<h2>Open items (20000)</h2>"), "{}", &html[..html.len().min(4000)]);
    assert!(html.contains("Step 19999 checks the release &amp; verifies it"));
    // `long_checklist` left room for a model, which the call's parse takes again:
    // what grows is what the report adds. Nothing, when measured: the page goes to JavaScript
    // in pieces as it is written. Held whole, it was 1.42× the page; with the JSON report
    // held whole beside it too, 3.84×.
    assert!(grown * 2 < html.len(), "wasm memory grew {grown} bytes for a page of {} bytes", html.len());
}
