//! What a stored value must be before it reaches the model.
//!
//! The browser keeps templates, runs and corrections in IndexedDB (`web/store.js` owns the
//! transactions, because only a transaction's own callbacks can read, merge and write
//! atomically). Nothing read back is trusted: every value passes through here, is checked
//! against the key it was found under and its shape, and is either returned as the engine's
//! type or refused with a `PreflightCorruptError` that says why. The store then keeps the value
//! aside (quarantine) and never overwrites it without a copy.
//!
//! The values written are made here too, so the shape lives in one place.

use preflight_core::model::{Correction, Gate};
use preflight_core::run::{ItemState, Status};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::boundary::{corrections_from_js, error, json_parse, to_js, to_json};
use crate::{Checklist, Run};

const TEMPLATE_SCHEMA: &str = "preflight.template/1";
const CORRECTIONS_SCHEMA: &str = "preflight.corrections/1";
const BACKUP_SCHEMA: &str = "preflight.backup/1";
const INFO_SCHEMA: &str = "preflight.template-info/1";

/// Where a checklist came from. `None` (no `origin`) is the user's own import: a file, a drop,
/// a paste. A link is kept with its URL, so wherever the name shows, its host and path can.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Origin {
    /// `link` (the app's `?src=`, the embed page's `?src=`) or `host` (a page's own
    /// `<preflight-checklist src>`).
    pub kind: String,
    pub url: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoredTemplate<'a> {
    schema: String,
    name: String,
    /// Borrowed when written: it is the checklist's whole text.
    text: std::borrow::Cow<'a, str>,
    imported_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    origin: Option<Origin>,
}

/// What the library shows of a kept template, kept beside it (meta `info/<sha256>`). Its title
/// and item count come from reading the text as a checklist, which costs ~120 ms for 10,000
/// items in the browser; the library is read on every import (to offer carrying a run over), so
/// that is done once, when the template is kept. A record is believed only for the key it names
/// and, wherever the template itself is read, only while it says what the template says. It is
/// derived: a missing or damaged one is made again from the text, never kept aside.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoredInfo {
    schema: String,
    sha256: String,
    name: String,
    title: String,
    imported_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    origin: Option<Origin>,
    items: usize,
}

impl StoredInfo {
    fn of(t: &StoredTemplate<'_>, c: &preflight_core::Checklist) -> StoredInfo {
        StoredInfo {
            schema: INFO_SCHEMA.into(),
            sha256: c.source_sha256.clone(),
            name: t.name.clone(),
            title: c.title.clone(),
            imported_at: t.imported_at.clone(),
            origin: t.origin.clone(),
            items: c.tasks().count(),
        }
    }

    /// The record kept for `sha256`, when it is one and names it; `None` for anything else.
    fn read(sha256: &str, raw: &JsValue) -> Option<StoredInfo> {
        let info: StoredInfo = serde_json::from_str(&raw.as_string()?).ok()?;
        (info.schema == INFO_SCHEMA && info.sha256 == sha256 && check_origin(&info.origin).is_ok()).then_some(info)
    }

    /// Whether this record was made from `t` (the fields both keep agree).
    fn describes(&self, t: &StoredTemplate<'_>) -> bool {
        self.name == t.name && self.imported_at == t.imported_at && self.origin == t.origin
    }

    fn value(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoredCorrections {
    schema: String,
    corrections: Vec<Correction>,
}

fn corrupt(what: &str, why: impl std::fmt::Display) -> JsValue {
    error("PreflightCorruptError", &format!("the stored {what} is damaged: {why}"))
}

/// The text of a stored value; anything else (a number, an object) is damaged.
fn text_of(raw: &JsValue, what: &str) -> Result<String, JsValue> {
    raw.as_string()
        .ok_or_else(|| corrupt(what, format!("it is a {}, not text", raw.js_typeof().as_string().unwrap_or_default())))
}

/// The longest id, in bytes, that storage keeps a run under. Ids come from run files and may be
/// anything; the last-run pointer and the journal are refused beyond it when read back, so a
/// run with another id is given a new one as it arrives.
const MAX_RUN_ID_BYTES: usize = 200;

fn is_run_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_RUN_ID_BYTES
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn check_origin(origin: &Option<Origin>) -> Result<(), String> {
    match origin {
        None => Ok(()),
        Some(o) if !matches!(o.kind.as_str(), "link" | "host") => Err(format!("`{}` is not an origin kind", o.kind)),
        Some(o) if !(o.url.starts_with("https://") || o.url.starts_with("http://") || o.url.starts_with("file:")) => {
            Err("an origin must be an http(s) or file URL".into())
        }
        Some(_) => Ok(()),
    }
}

/// A stored template's value checked for its shape, not yet read as a checklist.
fn template_value(raw: &JsValue) -> Result<StoredTemplate<'static>, JsValue> {
    let what = "checklist";
    let text = text_of(raw, what)?;
    let t: StoredTemplate<'static> = serde_json::from_str(&text).map_err(|e| corrupt(what, e))?;
    if t.schema != TEMPLATE_SCHEMA {
        return Err(corrupt(what, format!("unknown schema `{}`", t.schema)));
    }
    check_origin(&t.origin).map_err(|e| corrupt(what, e))?;
    Ok(t)
}

fn parse_template(sha256: &str, raw: &JsValue) -> Result<(StoredTemplate<'static>, Checklist), JsValue> {
    let mut t = template_value(raw)?;
    // The text becomes the checklist's source, not copied: callers keep only the rest of `t`.
    let checklist = Checklist::parse(std::mem::take(&mut t.text).into_owned());
    if checklist.inner.source_sha256 != sha256 {
        return Err(corrupt("checklist", format!("its text is another checklist's (kept under {sha256})")));
    }
    Ok((t, checklist))
}

/// A correction the engine can apply: a known mark, and a value that mark can take.
fn check_correction(k: &Correction) -> Result<(), String> {
    let fits = match k.what.as_str() {
        "critical" | "optional" | "sign-off" | "conditional" => matches!(k.value.as_str(), "true" | "false"),
        "gate" => k.value == "none" || Gate::parse(&k.value).is_some(),
        other => return Err(format!("`{other}` is not a mark: use critical, optional, sign-off, conditional or gate")),
    };
    if k.id.is_empty() {
        return Err(format!("a {} correction names no item or section", k.what));
    }
    if !fits {
        return Err(format!("`{}` is not a value for {}", k.value, k.what));
    }
    Ok(())
}

fn parse_run(sha256: &str, id: &str, raw: &JsValue) -> Result<preflight_core::Run, JsValue> {
    let what = "run";
    let text = text_of(raw, what)?;
    let run = preflight_core::Run::from_json(&text).map_err(|e| corrupt(what, e))?;
    if run.template_sha256 != sha256 || run.id != id {
        return Err(corrupt(
            what,
            format!("it is run {} of checklist {}, kept under another key", run.id, run.template_sha256),
        ));
    }
    if !is_sha256(&run.template_sha256) {
        return Err(corrupt(what, "its checklist hash is not a SHA-256"));
    }
    Ok(run)
}

/// What the library shows of a kept template.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TemplateInfo {
    sha256: String,
    name: String,
    title: String,
    imported_at: String,
    origin: Option<Origin>,
    items: usize,
    /// The info record to keep for this template when the one read was missing or did not fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<String>,
}

/// What the library shows of a kept run.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunInfo {
    id: String,
    name: String,
    template_sha256: String,
    created_at: String,
    updated_at: String,
    closed: bool,
}

/// The latest change in a run.
pub(crate) fn latest_change(r: &preflight_core::Run) -> String {
    let times = r
        .items
        .values()
        .filter_map(|s| s.at.clone())
        .chain(r.fields.values().filter_map(|s| s.at.clone()))
        .chain(r.sign_offs.values().filter_map(|s| s.at.clone()))
        .chain(r.sections.values().filter_map(|s| s.at.clone()))
        .chain(r.renamed_at.clone())
        .chain(r.timeline.iter().map(|e| e.at.clone()));
    times.max().unwrap_or_else(|| r.created_at.clone())
}

impl TemplateInfo {
    fn new(info: StoredInfo, record: Option<String>) -> TemplateInfo {
        TemplateInfo {
            sha256: info.sha256,
            name: info.name,
            title: info.title,
            imported_at: info.imported_at,
            origin: info.origin,
            items: info.items,
            record,
        }
    }
}

fn run_info(r: &preflight_core::Run) -> RunInfo {
    RunInfo {
        id: r.id.clone(),
        name: r.name.clone(),
        template_sha256: r.template_sha256.clone(),
        created_at: r.created_at.clone(),
        updated_at: latest_change(r),
        closed: r.timeline.iter().any(|e| e.event == "closed"),
    }
}

/// Checking and making the values the browser keeps. All functions, no state.
#[wasm_bindgen]
pub struct Stored;

#[wasm_bindgen]
impl Stored {
    /// The value to keep for `checklist` under its `sourceSha256`. `origin` is where it came
    /// from (`{kind: "link" | "host", url}`), or nothing for the user's own import.
    #[wasm_bindgen(js_name = templateValue)]
    pub fn template_value(
        checklist: &Checklist,
        name: &str,
        imported_at: &str,
        #[wasm_bindgen(unchecked_param_type = "Origin | null | undefined")] origin: JsValue,
    ) -> Result<js_sys::JsString, JsValue> {
        let origin: Option<Origin> = if origin.is_null() || origin.is_undefined() {
            None
        } else {
            let json = js_sys::JSON::stringify(&origin).ok().and_then(|s| s.as_string()).unwrap_or_default();
            Some(
                serde_json::from_str(&json)
                    .map_err(|e| error("PreflightInvalidError", &format!("an origin is {{kind, url}}: {e}")))?,
            )
        };
        check_origin(&origin).map_err(|e| error("PreflightInvalidError", &e))?;
        let stored = StoredTemplate {
            schema: TEMPLATE_SCHEMA.into(),
            name: name.to_string(),
            text: std::borrow::Cow::Borrowed(&checklist.inner.source),
            imported_at: imported_at.to_string(),
            origin,
        };
        // Written to JavaScript in pieces: a copy of the text and its JSON, whole, took 40 MiB
        // of wasm memory for a 10 MB checklist, which wasm memory never gives back.
        to_json(&stored)
    }

    /// The checklist kept under `sha256`, read again. Damaged (not text, not the shape, another
    /// checklist's text): `PreflightCorruptError`.
    pub fn template(sha256: &str, raw: &JsValue) -> Result<Checklist, JsValue> {
        parse_template(sha256, raw).map(|(_, c)| c)
    }

    /// What the library shows of the checklist kept under `sha256`, checked as `template` is:
    /// its shape, its origin and that its text is the one `sha256` names. `record` is the info
    /// record kept beside it (`templateRecord`); when it fits, the text is hashed instead of
    /// read as a checklist again. Otherwise the text is read, and the answer's `record` is the
    /// one to keep.
    #[wasm_bindgen(js_name = templateInfo, unchecked_return_type = "TemplateInfo")]
    pub fn template_info(
        sha256: &str,
        raw: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] record: &JsValue,
    ) -> Result<JsValue, JsValue> {
        if let Some(info) = StoredInfo::read(sha256, record) {
            let t = template_value(raw)?;
            // A text that hashes to its key is the checklist the record was made from; one that
            // does not may still normalize to it (kept by an older version), so only a full
            // reading can call it damaged.
            if info.describes(&t) && preflight_core::normalize::source_sha256(&t.text) == sha256 {
                return to_js(&TemplateInfo::new(info, None));
            }
        }
        let (t, c) = parse_template(sha256, raw)?;
        let info = StoredInfo::of(&t, &c.inner);
        let record = info.value();
        to_js(&TemplateInfo::new(info, Some(record)))
    }

    /// What the info record kept for `sha256` says, without reading the checklist: `undefined`
    /// when it is missing or does not fit (then `templateInfo` reads the text). For choosing
    /// among kept checklists; whatever is chosen is read with `templateInfo` before it is used.
    #[wasm_bindgen(js_name = templateSummary, unchecked_return_type = "TemplateInfo | undefined")]
    pub fn template_summary(
        sha256: &str,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] record: &JsValue,
    ) -> Result<JsValue, JsValue> {
        match StoredInfo::read(sha256, record) {
            Some(info) => to_js(&TemplateInfo::new(info, None)),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The info record to keep beside a template: `value` is the one `templateValue` made for
    /// `checklist`.
    #[wasm_bindgen(js_name = templateRecord)]
    pub fn template_record(
        checklist: &Checklist,
        #[wasm_bindgen(unchecked_param_type = "string")] value: &JsValue,
    ) -> Result<String, JsValue> {
        // Its text, the size of the checklist, is compared in JavaScript and never copied into
        // wasm memory (three copies took 31 MiB there for a 10 MB checklist); the rest is
        // checked here like any stored value.
        let another = || error("PreflightInvalidError", "the value kept is another checklist's");
        let value = value.dyn_ref::<js_sys::JsString>().ok_or_else(another)?;
        let parsed = json_parse(value).map_err(|_| another())?;
        let text = js_sys::Reflect::get(&parsed, &"text".into()).map_err(|_| another())?;
        if !parsed.is_object() || text != JsValue::from(js_sys::JsString::from(checklist.inner.source.as_str())) {
            return Err(another());
        }
        js_sys::Reflect::set(&parsed, &"text".into(), &"".into()).map_err(|_| another())?;
        let rest = js_sys::JSON::stringify(&parsed).map_err(|_| another())?;
        let t = template_value(&rest.into())?;
        Ok(StoredInfo::of(&t, &checklist.inner).value())
    }

    /// The run kept under `sha256/id`, checked against both.
    pub fn run(sha256: &str, id: &str, raw: &JsValue) -> Result<Run, JsValue> {
        parse_run(sha256, id, raw).map(|inner| Run { inner })
    }

    /// What the library shows of the run kept under `sha256/id`, checked as `run` is.
    #[wasm_bindgen(js_name = runInfo, unchecked_return_type = "RunInfo")]
    pub fn run_info(sha256: &str, id: &str, raw: &JsValue) -> Result<JsValue, JsValue> {
        to_js(&run_info(&parse_run(sha256, id, raw)?))
    }

    /// The value to keep for a template's corrections. A malformed correction is refused
    /// (`PreflightInvalidError`) before anything is written.
    #[wasm_bindgen(js_name = correctionsValue)]
    pub fn corrections_value(
        #[wasm_bindgen(unchecked_param_type = "Correction[]")] corrections: JsValue,
    ) -> Result<String, JsValue> {
        let corrections = corrections_from_js(&corrections)?;
        for k in &corrections {
            check_correction(k).map_err(|m| error("PreflightInvalidError", &m))?;
        }
        let stored = StoredCorrections { schema: CORRECTIONS_SCHEMA.into(), corrections };
        serde_json::to_string(&stored).map_err(|e| error("PreflightError", &e.to_string()))
    }

    /// The corrections kept for a template, each one checked.
    #[wasm_bindgen(unchecked_return_type = "Correction[]")]
    pub fn corrections(raw: &JsValue) -> Result<JsValue, JsValue> {
        let what = "corrections";
        let text = text_of(raw, what)?;
        let stored: StoredCorrections = serde_json::from_str(&text).map_err(|e| corrupt(what, e))?;
        if stored.schema != CORRECTIONS_SCHEMA {
            return Err(corrupt(what, format!("unknown schema `{}`", stored.schema)));
        }
        for k in &stored.corrections {
            check_correction(k).map_err(|e| corrupt(what, e))?;
        }
        to_js(&stored.corrections)
    }

    /// Whether storage keeps a run under `id`: 1 to 200 bytes.
    #[wasm_bindgen(js_name = isRunId)]
    pub fn run_id_kept(id: &str) -> bool {
        is_run_id(id)
    }

    /// The pointer to the run last open: `{sha256, run}`, or `PreflightCorruptError`.
    #[wasm_bindgen(unchecked_return_type = "{ sha256: string; run: string }")]
    pub fn pointer(raw: &JsValue) -> Result<JsValue, JsValue> {
        #[derive(Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        struct Pointer {
            sha256: String,
            run: String,
        }
        let what = "pointer to the last run";
        let text = text_of(raw, what)?;
        let p: Pointer = serde_json::from_str(&text).map_err(|e| corrupt(what, e))?;
        if !is_sha256(&p.sha256) || !is_run_id(&p.run) {
            return Err(corrupt(what, "it names no checklist or run"));
        }
        to_js(&p)
    }

    /// A run of the unversioned preview layout (`{id, name, template, created, items}` under
    /// `preflight:<sha256>:<run id>`) as a current run; `undefined` for anything else.
    #[wasm_bindgen(js_name = previewRun)]
    pub fn preview_run(raw: &str) -> Option<Run> {
        migrate_preview_run(raw).map(|inner| Run { inner })
    }

    /// Read a backup (`preflight.backup/1`, see docs/backup-schema.md): every entry checked as
    /// if it were read from storage. Entries that fail are listed in `problems`, the rest are
    /// returned as values ready to keep: `{templates: [{sha256, value}], runs: [{sha256, id,
    /// value}], corrections: [{sha256, value}], problems: [string]}`. A file that is not a backup
    /// at all is a `PreflightInvalidError`.
    #[wasm_bindgen(js_name = readBackup, unchecked_return_type = "BackupContents")]
    pub fn read_backup(text: &str) -> Result<JsValue, JsValue> {
        to_js(&read_backup(text).map_err(|m| error("PreflightInvalidError", &m))?)
    }
}

/// A backup file: everything one namespace keeps, as the stored values themselves.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    pub schema: String,
    pub created_at: String,
    pub namespace: String,
    pub templates: Vec<Keyed>,
    pub runs: Vec<Keyed>,
    pub corrections: Vec<Keyed>,
}

/// One stored value and what it is kept under.
#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Keyed {
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The value exactly as stored (JSON text).
    pub value: String,
}

#[derive(Serialize)]
struct BackupContents {
    templates: Vec<Keyed>,
    runs: Vec<Keyed>,
    corrections: Vec<Keyed>,
    problems: Vec<String>,
}

fn read_backup(text: &str) -> Result<BackupContents, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not a Preflight backup: {e}"))?;
    match value.get("schema").and_then(|s| s.as_str()) {
        Some(BACKUP_SCHEMA) => {}
        Some(other) => return Err(format!("unsupported backup schema `{other}` (expected `{BACKUP_SCHEMA}`)")),
        None => return Err("not a Preflight backup: it names no schema".into()),
    }
    let backup: Backup = serde_json::from_value(value).map_err(|e| format!("not a Preflight backup: {e}"))?;
    let mut out = BackupContents { templates: vec![], runs: vec![], corrections: vec![], problems: vec![] };
    let message =
        |e: JsValue| js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
    for t in backup.templates {
        match parse_template(&t.sha256, &JsValue::from_str(&t.value)) {
            Ok(_) => out.templates.push(t),
            Err(e) => out.problems.push(format!("checklist {}: {}", short(&t.sha256), message(e))),
        }
    }
    for r in backup.runs {
        let id = r.id.clone().unwrap_or_default();
        match parse_run(&r.sha256, &id, &JsValue::from_str(&r.value)) {
            Ok(_) => out.runs.push(r),
            Err(e) => out.problems.push(format!("run {id}: {}", message(e))),
        }
    }
    for k in backup.corrections {
        match Stored::corrections(&JsValue::from_str(&k.value)) {
            Ok(_) if is_sha256(&k.sha256) => out.corrections.push(k),
            Ok(_) => out.problems.push("corrections kept under no checklist".into()),
            Err(e) => out.problems.push(format!("corrections of {}: {}", short(&k.sha256), message(e))),
        }
    }
    Ok(out)
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// The preview layout to a current run; `None` for anything else.
fn migrate_preview_run(raw: &str) -> Option<preflight_core::Run> {
    #[derive(Deserialize)]
    struct Preview {
        id: String,
        name: String,
        template: String,
        created: String,
        #[serde(default)]
        items: std::collections::BTreeMap<String, String>,
    }
    let p: Preview = serde_json::from_str(raw).ok()?;
    if !is_sha256(&p.template) {
        return None;
    }
    let mut run = preflight_core::Run {
        schema: preflight_core::run::RUN_SCHEMA.into(),
        id: p.id,
        name: p.name,
        template_sha256: p.template,
        created_at: p.created,
        items: Default::default(),
        fields: Default::default(),
        sign_offs: Default::default(),
        sections: Default::default(),
        renamed_at: None,
        timeline: Vec::new(),
        log: Vec::new(),
    };
    for (id, status) in p.items {
        let status = Status::parse(&status)?;
        run.items.insert(id, ItemState { status, ..ItemState::default() });
    }
    Some(run.compacted())
}
