//! What the memory tests share: a long checklist with a fresh run, and the growth of wasm
//! memory across one call.

use wasm_bindgen::JsCast;

/// A checklist of `n` task items (`item(i)` their words) under one section, and a fresh run of
/// it as canonical JSON. It is parsed here once and dropped: a call that parses it again takes
/// that room, so what grows across the call is what the call adds beyond a model.
pub fn long_checklist(n: usize, item: impl Fn(usize) -> String) -> (String, String) {
    let mut text = String::from("# Big\n\n## Steps\n");
    for i in 0..n {
        text.push_str(&format!("- [ ] {}\n", item(i)));
    }
    let c = preflight_core::parse_str(&text);
    let run = preflight_core::Run::new(&c, "r", "r", "2026-12-01T00:00:00Z").canonical_json();
    (text, run)
}

/// What `call` returned, and by how many bytes it grew wasm memory (which never shrinks).
pub fn growth<T>(call: impl FnOnce() -> T) -> (T, usize) {
    let memory = || {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length() as usize
    };
    let before = memory();
    let out = call();
    (out, memory() - before)
}
