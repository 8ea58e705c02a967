//! The facade and the checks on stored values in a real browser (headless Chromium via
//! wasm-bindgen-test): every call returns or throws a JS `Error`, never panics; a stored value
//! reaches the model only when it is what its key says. (The IndexedDB transactions around these
//! checks are web/store.js's, tested end to end in tests/e2e/storage.test.mjs.)
#![cfg(target_arch = "wasm32")]

use preflight_wasm::{Checklist, Stored};
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
    let text = c.text();
    let line: String = text.substring(start16, start16 + 8).into();
    assert_eq!(line, "- [ ] 🔴");
    assert!(get(&span, "start").as_f64().unwrap() > start16 as f64, "byte offsets differ from UTF-16 after non-ASCII");
}

#[wasm_bindgen_test]
fn bytes_with_invalid_utf8_parse_and_report_a_diagnostic() {
    let c = Checklist::from_bytes(b"# T\n- [ ] ok\n- [ ] caf\xe9\n".to_vec());
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
    let other = Checklist::parse("- [ ] x\n".into());
    let foreign = other.new_run("r", "r", "t").to_json();
    assert_eq!(error_name(&c.run_from_json(&foreign).err().unwrap()), "PreflightWrongTemplateError");
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
        let c = Checklist::from_bytes(bytes);
        let run = c.new_run("r", "r", "t");
        c.model().unwrap();
        c.score(&run).unwrap();
        c.run_from_json(&run.to_json()).unwrap();
    }
}

/// Gates in JavaScript: the reading with its whys (the model's; the full `explain` report is the
/// second module's, tested in crates/preflight-wasm-extra), per-gate scores, declaring GO and starting a
/// rollback, corrections kept beside the text, and the statement a WebCrypto signature signs.
#[wasm_bindgen_test]
fn gates_explain_corrections_and_statements_cross_the_boundary() {
    let c = Checklist::sample();
    let sections = js_sys::Array::from(&get(&c.model().unwrap(), "sections"));
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
    let corrected = Checklist::parse_with_corrections(c.text().into(), corrections.clone()).unwrap();
    assert_eq!(corrected.source_sha256(), c.source_sha256());
    let items = js_sys::Array::from(&get(&corrected.model().unwrap(), "items"));
    assert_eq!(get(&items.get(0), "critical"), JsValue::TRUE);
    assert!(c.with_corrections_block(corrections.clone()).unwrap().contains("preflight:\n  critical:\n"));
    // What the second module needs to read it the same way: the text and the kept corrections.
    assert_eq!(js_sys::Array::from(&c.kept_corrections().unwrap()).length(), 0);
    let kept = corrected.kept_corrections().unwrap();
    assert_eq!(js_sys::JSON::stringify(&kept).unwrap(), js_sys::JSON::stringify(&corrections).unwrap());
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

fn corrupt(r: Result<impl Sized, JsValue>) -> String {
    match r {
        Ok(_) => panic!("a damaged value was accepted"),
        Err(e) => {
            assert_eq!(error_name(&e), "PreflightCorruptError");
            e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default()
        }
    }
}

#[wasm_bindgen_test]
fn a_stored_checklist_is_believed_only_under_its_own_hash() {
    let c = Checklist::sample();
    let sha = c.source_sha256();
    let value = String::from(
        Stored::template_value(&c, "DEPLOYMENT_CHECKLIST.md", "2026-12-01T00:00:00Z", JsValue::NULL).unwrap(),
    );
    let raw = JsValue::from_str(&value);
    assert_eq!(Stored::template(&sha, &raw).unwrap().source_sha256(), sha);
    let info = Stored::template_info(&sha, &raw, &JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&info, "name").as_string().as_deref(), Some("DEPLOYMENT_CHECKLIST.md"));
    assert!(get(&info, "origin").is_null());
    // Under another checklist's key, it is not that checklist.
    let other = "0".repeat(64);
    assert!(corrupt(Stored::template(&other, &raw)).contains("another checklist"));
    // Not text, not the shape, not the schema: damaged, with why.
    assert!(corrupt(Stored::template(&sha, &JsValue::from_f64(42.0))).contains("number"));
    assert!(corrupt(Stored::template(&sha, &js_sys::Object::new().into())).contains("object"));
    corrupt(Stored::template(&sha, &JsValue::from_str("{not json")));
    corrupt(Stored::template(&sha, &JsValue::from_str(&value.replace("preflight.template/1", "preflight.template/9"))));
    // Where it came from is kept, and only http(s) or file URLs are origins.
    let origin = js_sys::JSON::parse(r#"{"kind":"link","url":"https://wiki.example/CHECKLIST.md"}"#).unwrap();
    let linked = String::from(Stored::template_value(&c, "CHECKLIST.md", "t", origin).unwrap());
    let info = Stored::template_info(&sha, &JsValue::from_str(&linked), &JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&get(&info, "origin"), "url").as_string().as_deref(), Some("https://wiki.example/CHECKLIST.md"));
    let script = js_sys::JSON::parse(r#"{"kind":"link","url":"javascript:alert(1)"}"#).unwrap();
    assert_eq!(error_name(&Stored::template_value(&c, "x", "t", script).unwrap_err()), "PreflightInvalidError");
    corrupt(Stored::template(
        &sha,
        &JsValue::from_str(&linked.replace("https://wiki.example", "javascript:alert(1)//")),
    ));
}

#[wasm_bindgen_test]
fn the_library_believes_an_info_record_only_for_the_text_it_names() {
    let c = Checklist::sample();
    let sha = c.source_sha256();
    let value = String::from(Stored::template_value(&c, "a.md", "t", JsValue::NULL).unwrap());
    let raw = JsValue::from_str(&value);
    let record = Stored::template_record(&c, &raw).unwrap();
    // Without a record the text is read, and the record to keep is the one made when it was kept.
    let read = Stored::template_info(&sha, &raw, &JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&read, "record").as_string().as_deref(), Some(record.as_str()));
    let items = get(&read, "items").as_f64().unwrap();
    assert!(items > 20.0, "the sample's task items: {items}");
    // With it, the answer is the same and nothing needs keeping again.
    let fast = Stored::template_info(&sha, &raw, &JsValue::from_str(&record)).unwrap();
    assert!(get(&fast, "record").is_undefined());
    for key in ["title", "name", "importedAt"] {
        assert_eq!(get(&fast, key).as_string(), get(&read, key).as_string(), "{key}");
    }
    assert_eq!(get(&fast, "items").as_f64(), Some(items));
    let summary = Stored::template_summary(&sha, &JsValue::from_str(&record)).unwrap();
    assert_eq!(get(&summary, "title").as_string(), get(&read, "title").as_string());
    // A record naming another checklist, of another shape, or saying what the template does not
    // (another name) is not believed: the text is read and the record made again.
    let swapped = record.replace(&sha, &"0".repeat(64));
    let renamed = record.replace("\"name\":\"a.md\"", "\"name\":\"b.md\"");
    assert_ne!(renamed, record);
    for bad in [swapped.as_str(), renamed.as_str(), "{not json", r#"{"schema":"preflight.template-info/1"}"#] {
        let again = Stored::template_info(&sha, &raw, &JsValue::from_str(bad)).unwrap();
        assert_eq!(get(&again, "record").as_string().as_deref(), Some(record.as_str()), "{bad}");
    }
    assert!(Stored::template_summary(&sha, &JsValue::from_str(&swapped)).unwrap().is_undefined());
    assert!(Stored::template_summary(&sha, &JsValue::from_f64(1.0)).unwrap().is_undefined());
    let script = record.replace("\"items\"", "\"origin\":{\"kind\":\"link\",\"url\":\"javascript:x\"},\"items\"");
    assert!(Stored::template_summary(&sha, &JsValue::from_str(&script)).unwrap().is_undefined());
    // A record does not make a damaged value sound: the text must still be the key's.
    let other = "0".repeat(64);
    assert!(corrupt(Stored::template_info(&other, &raw, &JsValue::from_str(&swapped))).contains("another checklist"));
    corrupt(Stored::template_info(&sha, &JsValue::from_str("{not json"), &JsValue::from_str(&record)));
    // A record is made only for the checklist whose value it describes.
    let elsewhere = Checklist::parse("# Other\n\n- [ ] one\n".into());
    assert_eq!(error_name(&Stored::template_record(&elsewhere, &raw).unwrap_err()), "PreflightInvalidError");
    // Only a template value of this checklist makes a record: not a number, not other JSON, not
    // one of another schema or with an origin that is not a link.
    for bad in [JsValue::from_f64(1.0), JsValue::from_str("{not json"), JsValue::from_str("[]")] {
        assert_eq!(error_name(&Stored::template_record(&c, &bad).unwrap_err()), "PreflightInvalidError");
    }
    let other_schema = JsValue::from_str(&value.replace("preflight.template/1", "preflight.template/9"));
    assert_eq!(error_name(&Stored::template_record(&c, &other_schema).unwrap_err()), "PreflightCorruptError");
}

#[wasm_bindgen_test]
fn a_stored_run_is_believed_only_under_its_own_checklist_and_id() {
    let c = Checklist::sample();
    let sha = c.source_sha256();
    let mut run = c.new_run("r1", "v2.4.0", "2026-12-01T00:00:00Z");
    run.set_status(&c, &task_ids(&c)[0], "done", None, None, "2026-12-01T00:01:00Z").unwrap();
    let raw = JsValue::from_str(&run.to_json());
    assert_eq!(Stored::run(&sha, "r1", &raw).unwrap().to_json(), run.to_json());
    let info = Stored::run_info(&sha, "r1", &raw).unwrap();
    assert_eq!(get(&info, "updatedAt").as_string().as_deref(), Some("2026-12-01T00:01:00Z"));
    assert_eq!(get(&info, "closed"), JsValue::FALSE);
    assert!(corrupt(Stored::run(&sha, "r2", &raw)).contains("another key"));
    assert!(corrupt(Stored::run(&"0".repeat(64), "r1", &raw)).contains("another key"));
    corrupt(Stored::run(&sha, "r1", &JsValue::from_str("{\"schema\":\"preflight.run/1\",")));
    corrupt(Stored::run(&sha, "r1", &JsValue::from_f64(1.0)));
    corrupt(Stored::run(&sha, "r1", &JsValue::NULL));
}

#[wasm_bindgen_test]
fn corrections_pointers_and_preview_runs_are_checked() {
    let c = Checklist::sample();
    let first = task_ids(&c)[0].clone();
    let value = Stored::corrections_value(correction(&first, "critical", "true")).unwrap();
    let kept = Stored::corrections(&JsValue::from_str(&value)).unwrap();
    let corrected = Checklist::parse_with_corrections(c.text().into(), kept).unwrap();
    assert_eq!(corrected.source_sha256(), c.source_sha256(), "the identity stays the text's hash");
    // A mark the engine does not know is refused before anything is written, and never read back.
    for (what, v) in [("urgent", "true"), ("gate", "later"), ("critical", "maybe")] {
        assert_eq!(
            error_name(&Stored::corrections_value(correction(&first, what, v)).unwrap_err()),
            "PreflightInvalidError"
        );
    }
    corrupt(Stored::corrections(&JsValue::from_str(&value.replace("\"critical\"", "\"urgent\""))));
    corrupt(Stored::corrections(&JsValue::from_str("{\"schema\":\"preflight.corrections/1\",")));
    // The pointer to the last run.
    let sha = c.source_sha256();
    let p = Stored::pointer(&JsValue::from_str(&format!("{{\"sha256\":\"{sha}\",\"run\":\"r1\"}}"))).unwrap();
    assert_eq!(get(&p, "run").as_string().as_deref(), Some("r1"));
    corrupt(Stored::pointer(&JsValue::from_str("{not json")));
    corrupt(Stored::pointer(&JsValue::from_str("{\"sha256\":\"abc\",\"run\":\"r1\"}")));
    // Run ids storage keeps a run under: 1 to 200 bytes, counted as UTF-8; the pointer agrees.
    for (id, kept) in
        [("", false), ("r", true), (&*"é".repeat(100), true), (&*"é".repeat(101), false), (&*"x".repeat(201), false)]
    {
        assert_eq!(Stored::run_id_kept(id), kept, "{} bytes", id.len());
        let pointer = Stored::pointer(&JsValue::from_str(&format!("{{\"sha256\":\"{sha}\",\"run\":\"{id}\"}}")));
        assert_eq!(pointer.is_ok(), kept, "the pointer to a run of {} bytes", id.len());
    }
    // The preview layout's runs become current runs; anything else is not one.
    let preview = format!(
        r#"{{"id":"p","name":"Preview","template":"{sha}","created":"2026-10-01T00:00:00Z","items":{{"{first}":"done"}}}}"#
    );
    let run = Stored::preview_run(&preview).unwrap();
    assert!(run.to_json().contains("\"done\""));
    assert!(Stored::preview_run("{\"id\":1}").is_none());
}

#[wasm_bindgen_test]
fn a_backup_is_read_entry_by_entry() {
    let c = Checklist::sample();
    let sha = c.source_sha256();
    let template = String::from(Stored::template_value(&c, "DEPLOYMENT_CHECKLIST.md", "t", JsValue::NULL).unwrap());
    let run = c.new_run("r1", "v", "2026-12-01T00:00:00Z").to_json();
    let backup = serde_json::json!({
        "schema": "preflight.backup/1", "createdAt": "2026-12-01T00:00:00Z", "namespace": "app",
        "templates": [{"sha256": sha, "value": template}, {"sha256": "0".repeat(64), "value": template}],
        "runs": [{"sha256": sha, "id": "r1", "value": run}, {"sha256": sha, "id": "r2", "value": run}],
        "corrections": [],
    });
    let read = Stored::read_backup(&backup.to_string()).unwrap();
    assert_eq!(js_sys::Array::from(&get(&read, "templates")).length(), 1);
    assert_eq!(js_sys::Array::from(&get(&read, "runs")).length(), 1);
    assert_eq!(js_sys::Array::from(&get(&read, "problems")).length(), 2, "the entries under other keys");
    let e = Stored::read_backup(r#"{"schema":"preflight.run/1"}"#).unwrap_err();
    assert_eq!(error_name(&e), "PreflightInvalidError");
    assert!(Stored::read_backup("[]").is_err());
}

#[wasm_bindgen_test]
fn a_large_model_reaches_js_whole_without_its_json_held_in_wasm_memory() {
    // Item texts mix 1- to 4-byte characters, so the pieces the JSON is sent in end inside them.
    let text = |i: usize| format!("Étape {i} — vérifier 🔴 le déploiement ✅ numéro {i}");
    let mut doc = String::from("# Big\n\n## Steps\n");
    for i in 0..30_000 {
        doc.push_str(&format!("- [ ] {}\n", text(i)));
    }
    let c = Checklist::parse(doc);
    let memory = || {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length()
    };
    let before = memory();
    let model = c.model().unwrap();
    let grown = memory() - before;
    let items = js_sys::Array::from(&get(&model, "items"));
    assert_eq!(items.length(), 30_000);
    for i in [0, 1, 7_777, 29_999] {
        assert_eq!(get(&items.get(i as u32), "text").as_string().unwrap(), text(i));
    }
    let json = js_sys::JSON::stringify(&model).unwrap().length();
    assert!(json > 16 << 20, "{json} UTF-16 units of JSON: many pieces");
    // Held whole, the JSON (and its string's doubling) took more than its own size.
    assert!(grown < 4 << 20, "wasm memory grew {grown} bytes for {json} units of JSON");
    // Keeping it: its value and record are made without a copy of its text in wasm memory.
    let before = memory();
    let value = Stored::template_value(&c, "big.md", "t", JsValue::NULL).unwrap();
    let record = Stored::template_record(&c, &value).unwrap();
    let grown = memory() - before;
    assert!(value.length() as usize > 30_000 * 60, "the whole text is in the value");
    assert!(record.contains("\"items\":30000"), "{record}");
    assert!(grown < 1 << 20, "wasm memory grew {grown} bytes for a value of {} units", value.length());
}
