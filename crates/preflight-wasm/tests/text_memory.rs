//! Reading a long checklist's text copies it to JavaScript without a copy in wasm memory, which
//! never shrinks. Alone in its file: each test file is its own wasm instance, so what other
//! tests left in memory cannot hide or cause growth here.
#![cfg(target_arch = "wasm32")]

#[path = "../../preflight-wasm-extra/tests/common/mod.rs"]
mod common;

use preflight_wasm::Checklist;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn reading_a_long_checklists_text_grows_no_memory() {
    let (text, _) = common::long_checklist(60_000, |i| format!("Step {i} of the long rollout: check the dashboards"));
    let bytes = text.len();
    // As the app imports it: read, a fresh run scored, the model converted; then the text, as
    // an export reads it to hand to the second module.
    let c = Checklist::parse(text);
    let run = c.new_run("r", "Run", "2026-12-03T00:00:00Z");
    c.score(&run).unwrap();
    c.model().unwrap();
    let held = squeeze();
    let (length, grown) = common::growth(|| c.text().length() as usize);
    assert_eq!(length, bytes, "ASCII: one UTF-16 unit per byte");
    assert_eq!(grown, 0, "reading {bytes} bytes of text grew wasm memory by {grown}");
    drop(held);
}

/// Blocks of 1 MiB, held until one of them grows wasm memory: then no free room of 1 MiB is
/// left anywhere, and a copy of the text in wasm memory could only be made by growing it.
fn squeeze() -> Vec<Vec<u8>> {
    let mut held = Vec::new();
    loop {
        let ((), grown) = common::growth(|| held.push(vec![1u8; 1 << 20]));
        if grown > 0 {
            return held;
        }
    }
}
