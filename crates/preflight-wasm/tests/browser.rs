//! The facade and the storage layer in a real browser (headless Chromium via
//! wasm-bindgen-test): every call returns or throws a JS `Error`, never panics; storage survives
//! a full quota, a corrupt value, an old-schema value and two writers on one run.
#![cfg(target_arch = "wasm32")]

use preflight_wasm::{Checklist, Store};
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

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn task_ids(c: &Checklist) -> Vec<String> {
    let items = js_sys::Array::from(&get(&c.model().unwrap(), "items"));
    items
        .iter()
        .filter(|i| get(i, "kind").as_string().as_deref() == Some("task"))
        .map(|i| get(&i, "id").as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn sample_parses_into_a_plain_object_model_with_utf16_spans() {
    let c = Checklist::sample();
    assert_eq!(c.title(), "Checkout Service — Production Deployment Checklist");
    let model = c.model().unwrap();
    let items = js_sys::Array::from(&get(&model, "items"));
    assert_eq!(items.length(), 25);
    // The 🔴 item: JS indexes strings in UTF-16 units, so start16 must point at "- [ ] 🔴".
    let red =
        items.iter().find(|i| get(i, "text").as_string().unwrap().contains("Maintenance banner enabled")).unwrap();
    let span = get(&red, "span");
    let start16 = get(&span, "start16").as_f64().unwrap() as u32;
    let text = js_sys::JsString::from(c.text());
    let line: String = text.substring(start16, start16 + 8).into();
    assert_eq!(line, "- [ ] 🔴");
    assert!(get(&span, "start").as_f64().unwrap() > start16 as f64, "byte offsets differ from UTF-16 after non-ASCII");
}

#[wasm_bindgen_test]
fn bytes_with_invalid_utf8_parse_and_report_a_diagnostic() {
    let c = Checklist::from_bytes(b"# T\n- [ ] ok\n- [ ] caf\xe9\n");
    let diags = js_sys::Array::from(&c.diagnostics().unwrap());
    let first = diags.get(0);
    assert_eq!(get(&first, "code").as_string().unwrap(), "invalid-utf8");
    assert_eq!(get(&get(&first, "span"), "line").as_f64().unwrap(), 3.0);
}

#[wasm_bindgen_test]
fn changing_items_rescores_and_errors_are_js_errors() {
    let c = Checklist::sample();
    let mut run = c.new_run("r1", "v2.4.0", "2026-11-22T00:00:00.000Z");
    let ids = task_ids(&c);
    run.set_status(&c, &ids[0], "done", None, Some("ana".into()), "2026-11-22T00:01:00.000Z").unwrap();
    let card = c.score(&run).unwrap();
    assert_eq!(get(&get(&card, "counts"), "done").as_f64().unwrap(), 1.0);
    assert_eq!(get(&card, "verdict").as_string().unwrap(), "no-go");
    // Re-scoring for one item: the same figures, sections only where that item sits.
    let one = c.score_for_item(&run, &ids[0]).unwrap();
    assert_eq!(get(&get(&one, "counts"), "done").as_f64().unwrap(), 1.0);
    let all = js_sys::Array::from(&get(&card, "sections")).length();
    let mine = js_sys::Array::from(&get(&one, "sections")).length();
    assert!(mine >= 1 && mine < all, "{mine} of {all} sections");
    // N/A without a reason, an unknown id, an unknown status: clear errors, no panic.
    let e = run.set_status(&c, &ids[1], "na", None, None, "t").unwrap_err();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert!(String::from(e.dyn_ref::<js_sys::Error>().unwrap().message()).contains("reason is required"));
    assert!(run.set_status(&c, "nope", "done", None, None, "t").is_err());
    assert!(run.set_status(&c, &ids[1], "finished", None, None, "t").is_err());
    assert_eq!(error_name(&c.run_from_json("{ not json").err().unwrap()), "PreflightInvalidError");
    let other = Checklist::parse("- [ ] x\n");
    let foreign = other.new_run("r", "r", "t").to_json();
    assert_eq!(error_name(&c.run_from_json(&foreign).err().unwrap()), "PreflightWrongTemplateError");
}

#[wasm_bindgen_test]
fn exports_reimport_to_the_same_run() {
    let c = Checklist::sample();
    let mut run = c.new_run("r1", "v2.4.0", "2026-11-22T00:00:00.000Z");
    let ids = task_ids(&c);
    run.set_status(&c, &ids[2], "blocked", Some("waiting for the scan".into()), None, "2026-11-22T00:02:00.000Z")
        .unwrap();
    run.set_evidence(&c, &ids[3], Some("$ make check\nok".into()), None, "2026-11-22T00:03:00.000Z").unwrap();
    let md = c.export_markdown(&run, "2026-11-22T01:00:00.000Z");
    assert_eq!(c.run_from_markdown(&md).unwrap().to_json(), run.to_json());
    let json = c.export_json(&run, "2026-11-22T01:00:00.000Z");
    assert_eq!(c.run_from_json(&json).unwrap().to_json(), run.to_json());
    let split = preflight_wasm::split_report(&md).unwrap();
    assert_eq!(get(&split, "template").as_string().unwrap(), c.text());
    assert!(c.export_html(&run, "now").contains(&run.state_sha256()));
}

#[wasm_bindgen_test]
fn a_run_carries_over_to_an_edited_checklist() {
    let v1 = Checklist::parse("# R\n\n- [ ] Tag the build\n- [ ] Old step\n\n## Sign-off\n\n- [ ] QA: ____\n");
    let v2 = Checklist::parse("# R\n\n- [ ] Tag the build\n- [ ] New step\n\n## Sign-off\n\n- [ ] QA: ____\n");
    let mut run = v1.new_run("r1", "v2.4", "2026-11-22T00:00:00.000Z");
    for id in task_ids(&v1) {
        run.set_status(&v1, &id, "done", None, None, "2026-11-22T00:01:00.000Z").unwrap();
    }
    let out = v2.carry_over(&run, "r2", "v2.4", "2026-11-22T00:02:00.000Z").unwrap();
    assert_eq!(get(&out, "carried").as_f64(), Some(1.0));
    assert_eq!(get(&out, "signaturesLeft").as_f64(), Some(0.0));
    assert_eq!(js_sys::Array::from(&get(&out, "left")).length(), 1);
    let carried = js_sys::Reflect::get(&out, &"run".into()).unwrap();
    assert!(carried.is_object());
    // The Run crossed as the wasm class: it attaches to the new checklist.
    let json: String = js_sys::Reflect::get(&carried, &"toJson".into())
        .unwrap()
        .dyn_into::<js_sys::Function>()
        .unwrap()
        .call0(&carried)
        .unwrap()
        .as_string()
        .unwrap();
    let back = v2.run_from_json(&json).unwrap();
    assert_eq!(get(&get(&v2.score(&back).unwrap(), "counts"), "done").as_f64(), Some(1.0));
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
        let c = Checklist::from_bytes(&bytes);
        let run = c.new_run("r", "r", "t");
        c.model().unwrap();
        c.score(&run).unwrap();
        let md = c.export_markdown(&run, "t");
        c.run_from_markdown(&md).unwrap();
        c.export_html(&run, "t");
    }
}

fn fresh_store(ns: &str) -> Store {
    let ls = local_storage();
    let n = ls.length().unwrap();
    let keys: Vec<String> = (0..n)
        .filter_map(|i| ls.key(i).unwrap())
        .filter(|k| k.contains(ns) || k.starts_with("preflight:") || k.starts_with("filler-"))
        .collect();
    for k in keys {
        ls.remove_item(&k).unwrap();
    }
    Store::new(Some(ns.into())).unwrap()
}

#[wasm_bindgen_test]
fn runs_survive_a_reload_of_the_store() {
    let store = fresh_store("reload");
    let c = Checklist::sample();
    store.save_template(&c, "DEPLOYMENT_CHECKLIST.md", "2026-11-22T00:00:00.000Z").unwrap();
    let mut run = c.new_run("r1", "v2.4.0", "2026-11-22T00:00:00.000Z");
    run.set_status(&c, &task_ids(&c)[0], "done", None, None, "2026-11-22T00:01:00.000Z").unwrap();
    store.save_run(&mut run).unwrap();
    let again = Store::new(Some("reload".into())).unwrap();
    let template = again.load_template(&c.source_sha256()).unwrap().unwrap();
    assert_eq!(template.source_sha256(), c.source_sha256());
    let back = again.load_run(&c.source_sha256(), "r1").unwrap().unwrap();
    assert_eq!(back.to_json(), run.to_json());
    let library = js_sys::Array::from(&again.library().unwrap());
    assert_eq!(library.length(), 1);
    assert_eq!(js_sys::Array::from(&get(&library.get(0), "runs")).length(), 1);
}

#[wasm_bindgen_test]
fn a_full_quota_is_a_distinct_error_and_the_run_keeps_working() {
    let store = fresh_store("quota");
    let c = Checklist::sample();
    let mut run = c.new_run("r1", "v", "2026-11-22T00:00:00.000Z");
    let ls = local_storage();
    // Fill localStorage to the brim.
    let mut chunk = "x".repeat(1 << 20);
    let mut i = 0;
    while chunk.len() > 16 {
        if ls.set_item(&format!("filler-{i}"), &chunk).is_err() {
            chunk.truncate(chunk.len() / 2);
        }
        i += 1;
    }
    let ids = task_ids(&c);
    run.set_status(&c, &ids[0], "done", None, None, "2026-11-22T00:01:00.000Z").unwrap();
    let e = store.save_run(&mut run).unwrap_err();
    assert_eq!(error_name(&e), "PreflightQuotaError");
    // The in-memory run still has the click, and further clicks work.
    run.set_status(&c, &ids[1], "done", None, None, "2026-11-22T00:02:00.000Z").unwrap();
    assert_eq!(get(&get(&c.score(&run).unwrap(), "counts"), "done").as_f64().unwrap(), 2.0);
    // Once there is room again, the save goes through with both clicks.
    for k in 0..i {
        ls.remove_item(&format!("filler-{k}")).unwrap();
    }
    store.save_run(&mut run).unwrap();
    let back = store.load_run(&c.source_sha256(), "r1").unwrap().unwrap();
    assert_eq!(get(&get(&c.score(&back).unwrap(), "counts"), "done").as_f64().unwrap(), 2.0);
}

#[wasm_bindgen_test]
fn a_corrupt_stored_run_is_kept_aside_never_overwritten() {
    let store = fresh_store("corrupt");
    let c = Checklist::sample();
    let key = store.run_key(&c.source_sha256(), "r1");
    local_storage().set_item(&key, "{\"schema\":\"preflight.run/1\", truncated").unwrap();
    let e = store.load_run(&c.source_sha256(), "r1").err().unwrap();
    assert_eq!(error_name(&e), "PreflightCorruptError");
    let aside = store.quarantined();
    assert_eq!(aside.len(), 1);
    assert_eq!(local_storage().get_item(&aside[0]).unwrap().unwrap(), "{\"schema\":\"preflight.run/1\", truncated");
    // Saving a new run under that key keeps the quarantined copy.
    let mut run = c.new_run("r1", "v", "t");
    store.save_run(&mut run).unwrap();
    assert_eq!(store.quarantined().len(), 1);
    assert!(store.load_run(&c.source_sha256(), "r1").unwrap().is_some());
}

#[wasm_bindgen_test]
fn preview_layout_values_are_migrated_and_kept() {
    let _ = fresh_store("migrate");
    let c = Checklist::sample();
    let ids = task_ids(&c);
    let old_key = format!("preflight:{}:old-run", c.source_sha256());
    let old = format!(
        "{{\"id\":\"old-run\",\"name\":\"from the preview\",\"template\":\"{}\",\"created\":\"2026-10-01T00:00:00Z\",\"items\":{{\"{}\":\"done\"}}}}",
        c.source_sha256(),
        ids[0]
    );
    local_storage().set_item(&old_key, &old).unwrap();
    let store = Store::new(Some("migrate".into())).unwrap();
    let run = store.load_run(&c.source_sha256(), "old-run").unwrap().unwrap();
    assert_eq!(run.name(), "from the preview");
    assert_eq!(get(&get(&c.score(&run).unwrap(), "counts"), "done").as_f64().unwrap(), 1.0);
    assert_eq!(local_storage().get_item(&old_key).unwrap().unwrap(), old, "the original is kept");
}

#[wasm_bindgen_test]
fn two_writers_on_one_run_both_keep_their_changes() {
    let _ = fresh_store("tabs");
    let c = Checklist::sample();
    let ids = task_ids(&c);
    let (tab_a, tab_b) = (Store::new(Some("tabs".into())).unwrap(), Store::new(Some("tabs".into())).unwrap());
    let mut a = c.new_run("r1", "v", "2026-11-22T00:00:00.000Z");
    tab_a.save_run(&mut a).unwrap();
    let mut b = tab_b.load_run(&c.source_sha256(), "r1").unwrap().unwrap();
    a.set_status(&c, &ids[0], "done", None, Some("ana".into()), "2026-11-22T00:01:00.000Z").unwrap();
    b.set_status(&c, &ids[1], "na", Some("no UI change".into()), Some("ben".into()), "2026-11-22T00:01:30.000Z")
        .unwrap();
    // Both edit the same item; the later change wins.
    a.set_note(&c, &ids[2], Some("from a".into()), None, "2026-11-22T00:02:00.000Z").unwrap();
    b.set_note(&c, &ids[2], Some("from b".into()), None, "2026-11-22T00:03:00.000Z").unwrap();
    // A renames first, B renames later: B's name wins on both sides, whatever the letters.
    a.rename("zeta release", "2026-11-22T00:04:00.000Z");
    b.rename("alpha release", "2026-11-22T00:05:00.000Z");
    tab_a.save_run(&mut a).unwrap();
    tab_b.save_run(&mut b).unwrap();
    tab_a.save_run(&mut a).unwrap();
    assert_eq!(a.name(), "alpha release");
    assert_eq!(b.name(), "alpha release");
    for run in [&a, &b, &tab_a.load_run(&c.source_sha256(), "r1").unwrap().unwrap()] {
        let state = run.to_object().unwrap();
        let items = get(&state, "items");
        assert_eq!(get(&get(&items, &ids[0]), "status").as_string().unwrap(), "done");
        assert_eq!(get(&get(&items, &ids[1]), "status").as_string().unwrap(), "na");
        assert_eq!(get(&get(&items, &ids[2]), "note").as_string().unwrap(), "from b");
    }
}

/// Gates in JavaScript: the reading with its whys, per-gate scores, declaring GO and starting a
/// rollback, corrections kept beside the text, and the statement a WebCrypto signature signs.
#[wasm_bindgen_test]
fn gates_explain_corrections_and_statements_cross_the_boundary() {
    let c = Checklist::sample();
    let e = c.explain().unwrap();
    assert_eq!(get(&e, "schema").as_string().as_deref(), Some("preflight.explain/1"));
    let sections = js_sys::Array::from(&get(&e, "sections"));
    let rollback = sections.iter().find(|s| get(s, "gate").as_string().as_deref() == Some("contingency")).unwrap();
    assert!(js_sys::Array::from(&get(&rollback, "why")).length() > 0);
    let mut run = c.new_run("r", "v", "2026-12-01T00:00:00Z");
    let card = c.score(&run).unwrap();
    assert_eq!(get(&card, "gate").as_string().as_deref(), Some("before"));
    assert_eq!(js_sys::Array::from(&get(&card, "gates")).length(), 4);
    assert!(c.score_gate(&run, "sometime").is_err());
    let all = c.score_gate(&run, "all").unwrap();
    assert!(get(&all, "gate").is_null());
    // NO-GO: declaring GO is refused with the reason, as a JS error.
    let refused = run.pass_gate(&c, "before", None, "2026-12-01T00:00:01Z").unwrap_err();
    assert_eq!(error_name(&refused), "PreflightInvalidError");
    let rollback_id = get(&rollback, "id").as_string().unwrap();
    run.start_contingency(&c, &rollback_id, "errors after rollout", Some("ana".into()), "2026-12-01T00:00:02Z")
        .unwrap();
    let timeline = js_sys::Array::from(&get(&run.to_object().unwrap(), "timeline"));
    assert_eq!(get(&timeline.get(0), "event").as_string().as_deref(), Some("contingency-started"));
    // A correction kept beside the text changes the reading, not the identity.
    let first = task_ids(&c)[0].clone();
    let corrections =
        js_sys::JSON::parse(&format!(r#"[{{"id":"{first}","what":"critical","value":"true","line":0}}]"#)).unwrap();
    let corrected = Checklist::parse_with_corrections(&c.text(), corrections.clone()).unwrap();
    assert_eq!(corrected.source_sha256(), c.source_sha256());
    let items = js_sys::Array::from(&get(&corrected.model().unwrap(), "items"));
    assert_eq!(get(&items.get(0), "critical"), JsValue::TRUE);
    assert!(c.with_corrections_block(corrections).unwrap().contains("preflight:\n  critical:\n"));
    // Signing: the statement exists once a sign-off is signed; an SSH signature is kept with it.
    let lead = js_sys::Array::from(&get(&c.model().unwrap(), "items"))
        .iter()
        .find(|i| get(i, "kind").as_string().as_deref() == Some("signOff"))
        .map(|i| get(&i, "id").as_string().unwrap())
        .unwrap();
    assert!(run.sign_off_statement(&c, &lead).is_err());
    run.sign(&c, &lead, "Jane Roe", "2026-12-01", "approved", JsValue::UNDEFINED, None, "2026-12-01T00:00:03Z")
        .unwrap();
    let statement = run.sign_off_statement(&c, &lead).unwrap();
    assert!(statement.starts_with("{\"at\":\"2026-12-01T00:00:03Z\",\"checklistSha256\":"), "{statement}");
    assert!(run.attach_ssh_signature(&lead, "not a signature").is_err());
    run.attach_ssh_signature(&lead, "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----").unwrap();
    assert!(run.to_json().contains("BEGIN SSH SIGNATURE"));
}

fn correction(id: &str, what: &str, value: &str) -> JsValue {
    let text = format!("[{{\"id\":\"{id}\",\"what\":\"{what}\",\"value\":\"{value}\",\"line\":0}}]");
    js_sys::JSON::parse(&text).unwrap()
}

#[wasm_bindgen_test]
fn corrections_are_kept_per_template_and_reread() {
    let store = fresh_store("corrections");
    let c = Checklist::sample();
    let sha = c.source_sha256();
    assert_eq!(js_sys::Array::from(&store.load_corrections(&sha).unwrap()).length(), 0, "none kept yet");
    let first = task_ids(&c)[0].clone();
    store.save_corrections(&sha, correction(&first, "critical", "true")).unwrap();
    let again = Store::new(Some("corrections".into())).unwrap();
    let kept = again.load_corrections(&sha).unwrap();
    let corrected = Checklist::parse_with_corrections(&c.text(), kept).unwrap();
    assert_eq!(corrected.source_sha256(), sha, "the identity stays the text's hash");
    let critical =
        js_sys::Array::from(&get(&corrected.score(&corrected.new_run("r", "r", "t")).unwrap(), "openCritical"));
    assert!(critical.iter().any(|id| id.as_string().as_deref() == Some(first.as_str())));
    // A mark the engine does not know is refused before anything is written.
    let e = store.save_corrections(&sha, correction(&first, "urgent", "true")).unwrap_err();
    assert_eq!(error_name(&e), "PreflightInvalidError");
    let e = store.save_corrections(&sha, correction(&first, "gate", "later")).unwrap_err();
    assert_eq!(error_name(&e), "PreflightInvalidError");
    assert_eq!(js_sys::Array::from(&store.load_corrections(&sha).unwrap()).length(), 1);
    // An empty list removes them; deleting the template removes them too.
    store.save_corrections(&sha, js_sys::Array::new().into()).unwrap();
    assert!(local_storage().get_item(&store.corrections_key(&sha)).unwrap().is_none());
    store.save_corrections(&sha, correction(&first, "optional", "true")).unwrap();
    store.delete_template(&sha).unwrap();
    assert!(local_storage().get_item(&store.corrections_key(&sha)).unwrap().is_none());
}

#[wasm_bindgen_test]
fn corrupt_corrections_are_kept_aside_and_do_not_lock_the_template() {
    let store = fresh_store("corrupt-corrections");
    let c = Checklist::sample();
    let sha = c.source_sha256();
    local_storage().set_item(&store.corrections_key(&sha), "{\"schema\":\"preflight.corrections/1\",").unwrap();
    let e = store.load_corrections(&sha).unwrap_err();
    assert_eq!(error_name(&e), "PreflightCorruptError");
    assert_eq!(store.quarantined().len(), 1);
    // The template still opens, and new corrections replace the damaged value (its copy stays).
    store.save_template(&c, "DEPLOYMENT_CHECKLIST.md", "t").unwrap();
    assert!(store.load_template(&sha).unwrap().is_some());
    store.save_corrections(&sha, correction(&task_ids(&c)[0], "critical", "true")).unwrap();
    assert_eq!(js_sys::Array::from(&store.load_corrections(&sha).unwrap()).length(), 1);
    assert_eq!(store.quarantined().len(), 1);
}
