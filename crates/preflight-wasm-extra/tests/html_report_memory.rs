//! The HTML report's memory, alone in its own wasm instance: wasm memory only grows, so what a
//! call adds can only be measured before any other test has grown it.

#![cfg(target_arch = "wasm32")]

use preflight_wasm_extra::export_report;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_long_html_report_goes_to_javascript_in_pieces() {
    let mut text = String::from("# Big\n\n## Steps\n");
    for i in 0..20_000 {
        text.push_str(&format!("- [ ] Step {i} checks the release & verifies it\n"));
    }
    let c = preflight_core::parse_str(&text);
    let run = preflight_core::Run::new(&c, "r", "r", "2026-12-01T00:00:00Z").canonical_json();
    drop(c);
    let memory = || {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length() as usize
    };
    let before = memory();
    let report = export_report("html", text.clone(), JsValue::UNDEFINED, &run, "t").unwrap();
    let grown = memory() - before;
    // Read back into wasm memory only now that the growth is measured.
    let html = String::from(report);
    assert!(html.contains("<h2>Open items (20000)</h2>"), "{}", &html[..html.len().min(4000)]);
    assert!(html.contains("Step 19999 checks the release &amp; verifies it"));
    // The test's own parse above left room for a model, which the call's parse takes again:
    // what grows is what the report adds. Nothing, when measured: the page goes to JavaScript
    // in pieces as it is written. Held whole, it was 1.42× the page; with the JSON report
    // held whole beside it too, 3.84×.
    assert!(grown * 2 < html.len(), "wasm memory grew {grown} bytes for a page of {} bytes", html.len());
}
