//! The second module in a real browser (headless Chromium via wasm-bindgen-test): what crosses is
//! text, kept corrections and a run's canonical JSON, and what comes back reads back to the same
//! run; every call returns or throws a JS `Error`, never panics.
#![cfg(target_arch = "wasm32")]

use preflight_core::Status;
use preflight_wasm_extra::{
    carry_over, explain, export_report, report_template_sha256, run_from_markdown, split_report,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap()
}

fn error_name(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.name())).unwrap_or_default()
}

/// The sample, and a run of it with a blocked item and evidence, as canonical JSON.
fn sample_run() -> (String, String) {
    let text = preflight_core::sample::SAMPLE_MARKDOWN.to_string();
    let c = preflight_core::parse_str(&text);
    let mut run = preflight_core::Run::new(&c, "r1", "v2.4.0", "2026-11-22T00:00:00.000Z");
    let tasks: Vec<String> =
        c.items.iter().filter(|i| i.kind == preflight_core::ItemKind::Task).map(|i| i.id.clone()).collect();
    run.set_status(&c, &tasks[2], Status::Blocked, Some("waiting for the scan".into()), None, "2026-11-22T00:02:00Z")
        .unwrap();
    run.set_evidence(&c, &tasks[3], Some("$ make check\nok".into()), None, "2026-11-22T00:03:00.000Z").unwrap();
    (c.source.clone(), run.canonical_json())
}

#[wasm_bindgen_test]
fn reports_read_back_to_the_same_run() {
    let (text, run) = sample_run();
    let md =
        String::from(export_report("md", text.clone(), JsValue::UNDEFINED, &run, "2026-11-22T01:00:00.000Z").unwrap());
    assert_eq!(run_from_markdown(text.clone(), JsValue::UNDEFINED, &md).unwrap(), run);
    let json =
        String::from(export_report("json", text.clone(), JsValue::NULL, &run, "2026-11-22T01:00:00.000Z").unwrap());
    assert!(json.contains("\"schema\""));
    let split = split_report(&md).unwrap();
    assert_eq!(get(&split, "template").as_string().unwrap(), text);
    assert_eq!(get(&split, "run").as_string().unwrap(), run);
    let sha = preflight_core::parse_str(&text).source_sha256;
    assert_eq!(report_template_sha256(&md), Some(sha));
    assert!(split_report("# not a report\n").unwrap().is_undefined());
    assert_eq!(report_template_sha256("# not a report\n"), None);
    let state = preflight_core::Run::from_json(&run).unwrap().state_sha256();
    assert!(
        String::from(export_report("html", text.clone(), JsValue::UNDEFINED, &run, "now").unwrap()).contains(&state)
    );
}

#[wasm_bindgen_test]
fn wrong_inputs_are_errors_not_panics() {
    let (text, run) = sample_run();
    let other = preflight_core::parse_str("- [ ] x\n");
    let foreign = preflight_core::Run::new(&other, "r", "r", "t").canonical_json();
    let e = export_report("md", text.clone(), JsValue::UNDEFINED, &foreign, "t").unwrap_err();
    assert_eq!(error_name(&e), "PreflightWrongTemplateError");
    assert_eq!(
        error_name(&export_report("pdf", text.clone(), JsValue::UNDEFINED, &run, "t").unwrap_err()),
        "PreflightError"
    );
    assert_eq!(
        error_name(&export_report("md", text.clone(), JsValue::UNDEFINED, "{", "t").unwrap_err()),
        "PreflightInvalidError"
    );
    let bad = js_sys::JSON::parse(r#"[{"id": 3}]"#).unwrap();
    assert_eq!(error_name(&explain(text.clone(), bad).unwrap_err()), "PreflightInvalidError");
}

#[wasm_bindgen_test]
fn explain_reads_with_the_kept_corrections() {
    let (text, _) = sample_run();
    let first = preflight_core::parse_str(&text).items[0].id.clone();
    let e = explain(text.clone(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&e, "schema").as_string().as_deref(), Some("preflight.explain/1"));
    let sections = js_sys::Array::from(&get(&e, "sections"));
    let rollback = sections.iter().find(|s| get(s, "gate").as_string().as_deref() == Some("contingency")).unwrap();
    assert!(js_sys::Array::from(&get(&rollback, "why")).length() > 0);
    let kept =
        js_sys::JSON::parse(&format!(r#"[{{"id":"{first}","what":"critical","value":"true","line":0}}]"#)).unwrap();
    let corrected = explain(text.clone(), kept).unwrap();
    let item = js_sys::Array::from(&get(&corrected, "items")).get(0);
    assert_eq!(get(&item, "critical"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn a_run_carries_over_to_an_edited_checklist() {
    // A block moved: the second "Verify health" (production's) keeps its note on production's.
    let v1 = "# R\n\n- [ ] Deploy staging\n- [ ] Verify health\n- [ ] Deploy production\n- [ ] Verify health\n\n\
              ## Sign-off\n\n- [ ] QA: ____\n";
    let v2 = "# R\n\n- [ ] Deploy staging\n- [ ] Verify health\n- [ ] Deploy canary\n- [ ] Verify health\n\
              - [ ] Deploy production\n- [ ] Verify health\n\n## Sign-off\n\n- [ ] QA: ____\n";
    let (c1, c2) = (preflight_core::parse_str(v1), preflight_core::parse_str(v2));
    let tasks = |c: &preflight_core::Checklist| -> Vec<String> {
        c.items.iter().filter(|i| i.kind == preflight_core::ItemKind::Task).map(|i| i.id.clone()).collect()
    };
    let mut run = preflight_core::Run::new(&c1, "r1", "v2.4", "2026-11-22T00:00:00.000Z");
    run.set_note(&c1, &tasks(&c1)[3], Some("production is healthy".into()), None, "2026-11-22T00:01:00.000Z").unwrap();
    let json = run.canonical_json();
    let out = carry_over(
        v2.into(),
        JsValue::UNDEFINED,
        Some(v1.into()),
        JsValue::UNDEFINED,
        &json,
        "r2",
        "v2.4",
        "2026-11-22T00:02:00.000Z",
    )
    .unwrap();
    assert_eq!(get(&out, "carried").as_f64(), Some(1.0));
    assert_eq!(get(&out, "signaturesLeft").as_f64(), Some(0.0));
    assert_eq!(get(&out, "eventsLeft").as_f64(), Some(0.0));
    assert_eq!(js_sys::Array::from(&get(&out, "left")).length(), 0);
    // The run comes back as canonical JSON of a run of the new text, the note on production's.
    let mut back = preflight_core::Run::from_json(&get(&out, "run").as_string().unwrap()).unwrap();
    back.attach(&c2).unwrap();
    let production = &tasks(&c2)[5];
    assert_eq!(back.canonical_json().matches("production is healthy").count(), 1);
    assert!(back.items.get(production).and_then(|s| s.note.as_deref()) == Some("production is healthy"));
    let counterparts = get(&out, "counterparts").dyn_into::<js_sys::Map>().unwrap();
    assert_eq!(counterparts.get(&JsValue::from_str(&tasks(&c1)[3])).as_string().as_ref(), Some(production));
    // Without the earlier text, only what kept its id comes along; a run of another text is refused.
    let blind = carry_over(v2.into(), JsValue::NULL, None, JsValue::NULL, &json, "r3", "v", "t").unwrap();
    assert!(get(&blind, "run").is_string());
    let e = carry_over(v2.into(), JsValue::NULL, Some(v2.into()), JsValue::NULL, &json, "r4", "v", "t").unwrap_err();
    assert_eq!(error_name(&e), "PreflightWrongTemplateError");
    assert_eq!(
        error_name(&carry_over(v2.into(), JsValue::NULL, None, JsValue::NULL, "{", "r5", "v", "t").unwrap_err()),
        "PreflightInvalidError"
    );
}

#[wasm_bindgen_test]
fn hostile_inputs_never_panic() {
    let inputs: Vec<Vec<u8>> = vec![
        vec![0xff; 100],
        b"- [ ] <script>alert(1)</script> [x](javascript:alert(1))\n".to_vec(),
        "- ".repeat(30_000).into_bytes().into_iter().chain(b"[ ] deep\n".iter().copied()).collect(),
        b"\xEF\xBB\xBF\r\n\0- [x] \r- [ ]".to_vec(),
        (0u8..=255).cycle().take(5_000).collect(),
    ];
    for bytes in inputs {
        let c = preflight_core::parse(&bytes);
        let run = preflight_core::Run::new(&c, "r", "r", "t").canonical_json();
        for format in ["md", "html", "json"] {
            let report = String::from(export_report(format, c.source.clone(), JsValue::UNDEFINED, &run, "t").unwrap());
            if format == "md" {
                run_from_markdown(c.source.clone(), JsValue::UNDEFINED, &report).unwrap();
            }
        }
        explain(c.source.clone(), JsValue::UNDEFINED).unwrap();
    }
}
