//! Browser persistence in `localStorage` that loses nothing.
//!
//! Keys: `preflight/1/<namespace>/template/<sha256>` (the template text),
//! `preflight/1/<namespace>/corrections/<sha256>` (a person's corrections to how the template is
//! read: they belong to the checklist, not to one run) and
//! `preflight/1/<namespace>/run/<sha256>/<run id>` (the run's canonical JSON); `1` is the storage
//! schema version, the namespace separates embeds. Rules:
//! - every write is read back and compared; a full quota is a `PreflightQuotaError` (matched by
//!   every browser's name and code), any other failure a `PreflightStorageError`; the caller's
//!   in-memory run is untouched either way;
//! - a stored value that does not parse is copied aside under `…/quarantine/…` before anything
//!   else happens, and a value that could not be kept aside is never overwritten;
//! - a save first merges what is stored (another tab's changes) into the run, per entry by time;
//! - values of the unversioned preview layout (`preflight:<sha256>:<run id>`) are migrated to the
//!   current layout on open, and the originals are left where they were.

use preflight_core::model::{Correction, Gate};
use preflight_core::run::{ItemState, Status};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::boundary::{corrections_from_js, error, to_js};
use crate::{Checklist, Run};

const VERSION: u32 = 1;
/// Keys of the unversioned preview layout start with this.
const PREVIEW_PREFIX: &str = "preflight:";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredTemplate {
    schema: String,
    name: String,
    text: String,
    imported_at: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredCorrections {
    schema: String,
    corrections: Vec<Correction>,
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TemplateEntry {
    sha256: String,
    name: String,
    title: String,
    imported_at: String,
    runs: Vec<RunEntry>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunEntry {
    id: String,
    name: String,
    template_sha256: String,
    created_at: String,
    /// The latest change in the run.
    updated_at: String,
}

/// `localStorage`, organised for Preflight. One per page or per embed namespace.
#[wasm_bindgen]
pub struct Store {
    storage: web_sys::Storage,
    prefix: String,
    namespace: String,
}

fn storage_error(e: JsValue, what: &str) -> JsValue {
    // Chromium and WebKit: QuotaExceededError / 22; Firefox: NS_ERROR_DOM_QUOTA_REACHED / 1014.
    let (name, code, message) = match e.dyn_ref::<web_sys::DomException>() {
        Some(d) => (d.name(), d.code(), d.message()),
        None => {
            let name = js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
            let message =
                js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
            (name, 0, message)
        }
    };
    let quota =
        matches!(name.as_str(), "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED") || code == 22 || code == 1014;
    if quota {
        error("PreflightQuotaError", &format!("browser storage is full: {what} was not saved ({name})"))
    } else {
        error("PreflightStorageError", &format!("browser storage refused to save {what}: {name} {message}"))
    }
}

#[wasm_bindgen]
impl Store {
    /// The store for `namespace` (embeds use their own; the app uses `"app"`). Fails with
    /// `PreflightStorageError` where the browser gives no storage (private modes, sandboxed
    /// iframes): the app then keeps working in memory.
    #[wasm_bindgen(constructor)]
    pub fn new(namespace: Option<String>) -> Result<Store, JsValue> {
        let namespace = namespace.filter(|n| !n.is_empty()).unwrap_or_else(|| "app".into());
        if namespace.contains('/') {
            return Err(error("PreflightError", "a namespace cannot contain `/`"));
        }
        let window = web_sys::window()
            .ok_or_else(|| error("PreflightStorageError", "no window: storage needs a browser page"))?;
        let storage = window
            .local_storage()
            .map_err(|e| storage_error(e, "anything"))?
            .ok_or_else(|| error("PreflightStorageError", "this browser context has no localStorage"))?;
        let prefix = format!("preflight/{VERSION}/{namespace}/");
        let store = Store { storage, prefix, namespace };
        store.migrate_preview_layout();
        Ok(store)
    }

    #[wasm_bindgen(getter)]
    pub fn namespace(&self) -> String {
        self.namespace.clone()
    }

    #[wasm_bindgen(js_name = templateKey)]
    pub fn template_key(&self, sha256: &str) -> String {
        format!("{}template/{sha256}", self.prefix)
    }

    #[wasm_bindgen(js_name = correctionsKey)]
    pub fn corrections_key(&self, sha256: &str) -> String {
        format!("{}corrections/{sha256}", self.prefix)
    }

    #[wasm_bindgen(js_name = runKey)]
    pub fn run_key(&self, template_sha256: &str, run_id: &str) -> String {
        format!("{}run/{template_sha256}/{run_id}", self.prefix)
    }

    /// Write, then read back and compare.
    fn write(&self, key: &str, value: &str, what: &str) -> Result<(), JsValue> {
        if self.is_quarantined_unkept(key) {
            return Err(error(
                "PreflightStorageError",
                &format!("{what} was not saved: the stored copy is corrupt and could not be kept aside"),
            ));
        }
        self.storage.set_item(key, value).map_err(|e| storage_error(e, what))?;
        match self.storage.get_item(key) {
            Ok(Some(back)) if back == value => Ok(()),
            _ => Err(error("PreflightStorageError", &format!("{what} did not read back as written"))),
        }
    }

    fn read(&self, key: &str) -> Result<Option<String>, JsValue> {
        self.storage.get_item(key).map_err(|e| storage_error(e, key))
    }

    /// Copy a value that does not parse aside, so that nothing overwrites the only copy.
    fn quarantine(&self, key: &str, raw: &str) -> String {
        // The same damaged value is kept aside once, however often it is met.
        let under = format!("{}quarantine/{key}/", self.prefix);
        if let Some(existing) =
            self.keys_under(&under).into_iter().find(|k| matches!(self.storage.get_item(k), Ok(Some(v)) if v == raw))
        {
            return existing;
        }
        let aside = format!("{under}{}", js_sys::Date::now() as u64);
        if self.storage.set_item(&aside, raw).is_err() {
            // No room to keep it aside: remember not to overwrite the original.
            let _ = self.storage.set_item(&format!("{}unkept/{key}", self.prefix), "1");
        }
        aside
    }

    fn is_quarantined_unkept(&self, key: &str) -> bool {
        matches!(self.storage.get_item(&format!("{}unkept/{key}", self.prefix)), Ok(Some(_)))
    }

    /// Keep a template (its text) so runs can be reopened later.
    #[wasm_bindgen(js_name = saveTemplate)]
    pub fn save_template(&self, checklist: &Checklist, name: &str, now: &str) -> Result<(), JsValue> {
        let key = self.template_key(&checklist.inner.source_sha256);
        if let Ok(Some(existing)) = self.read(&key) {
            if serde_json::from_str::<StoredTemplate>(&existing).is_ok_and(|t| t.text == checklist.inner.source) {
                return Ok(()); // already kept, and templates never change
            }
        }
        let stored = StoredTemplate {
            schema: "preflight.template/1".into(),
            name: name.to_string(),
            text: checklist.inner.source.clone(),
            imported_at: now.to_string(),
        };
        let json = serde_json::to_string(&stored).map_err(|e| error("PreflightError", &e.to_string()))?;
        self.write(&key, &json, "the checklist")
    }

    /// The kept template with this hash, parsed again.
    #[wasm_bindgen(js_name = loadTemplate)]
    pub fn load_template(&self, sha256: &str) -> Result<Option<Checklist>, JsValue> {
        let key = self.template_key(sha256);
        let Some(raw) = self.read(&key)? else { return Ok(None) };
        match serde_json::from_str::<StoredTemplate>(&raw) {
            Ok(t) => Ok(Some(Checklist::parse(&t.text))),
            Err(e) => {
                let aside = self.quarantine(&key, &raw);
                Err(error(
                    "PreflightCorruptError",
                    &format!("the stored checklist is damaged ({e}); a copy is kept at {aside}"),
                ))
            }
        }
    }

    /// Keep the corrections to the reading of the template with this hash (what
    /// `Checklist.parseWithCorrections` takes). They replace the ones kept before; an empty list
    /// removes them. A stored value that does not parse is kept aside first, and a malformed
    /// correction is refused (`PreflightInvalidError`) before anything is written.
    #[wasm_bindgen(js_name = saveCorrections)]
    pub fn save_corrections(
        &self,
        sha256: &str,
        #[wasm_bindgen(unchecked_param_type = "Correction[]")] corrections: JsValue,
    ) -> Result<(), JsValue> {
        let corrections = corrections_from_js(&corrections)?;
        for k in &corrections {
            check_correction(k).map_err(|m| error("PreflightInvalidError", &m))?;
        }
        let key = self.corrections_key(sha256);
        if let Some(raw) = self.read(&key)? {
            if serde_json::from_str::<StoredCorrections>(&raw).is_err() {
                self.quarantine(&key, &raw);
            }
        }
        if corrections.is_empty() {
            if self.is_quarantined_unkept(&key) {
                return Err(error(
                    "PreflightStorageError",
                    "the corrections were not removed: the stored copy is corrupt and could not be kept aside",
                ));
            }
            return self.storage.remove_item(&key).map_err(|e| storage_error(e, "the corrections"));
        }
        let stored = StoredCorrections { schema: "preflight.corrections/1".into(), corrections };
        let json = serde_json::to_string(&stored).map_err(|e| error("PreflightError", &e.to_string()))?;
        self.write(&key, &json, "the corrections")
    }

    /// The corrections kept for the template with this hash (an empty list when there are
    /// none). A damaged value is kept aside and reported as `PreflightCorruptError`: the
    /// template still opens, read as its text says, and new corrections can be saved.
    #[wasm_bindgen(js_name = loadCorrections, unchecked_return_type = "Correction[]")]
    pub fn load_corrections(&self, sha256: &str) -> Result<JsValue, JsValue> {
        let key = self.corrections_key(sha256);
        let Some(raw) = self.read(&key)? else { return to_js(&Vec::<Correction>::new()) };
        match serde_json::from_str::<StoredCorrections>(&raw) {
            Ok(stored) if stored.corrections.iter().all(|k| check_correction(k).is_ok()) => to_js(&stored.corrections),
            parsed => {
                let why = match parsed {
                    Err(e) => e.to_string(),
                    Ok(_) => "a correction names no known mark or value".into(),
                };
                let aside = self.quarantine(&key, &raw);
                Err(error(
                    "PreflightCorruptError",
                    &format!("the stored corrections are damaged ({why}); a copy is kept at {aside}"),
                ))
            }
        }
    }

    /// Save a run. What another tab stored meanwhile is merged in first (per entry, later change
    /// wins), so `run` ends up with both; then it is written and read back.
    #[wasm_bindgen(js_name = saveRun)]
    pub fn save_run(&self, run: &mut Run) -> Result<(), JsValue> {
        let key = self.run_key(&run.inner.template_sha256, &run.inner.id);
        if let Some(raw) = self.read(&key)? {
            match preflight_core::Run::from_json(&raw) {
                Ok(stored) => run.inner.merge(&stored),
                Err(_) => {
                    self.quarantine(&key, &raw);
                }
            }
        }
        self.write(&key, &run.inner.canonical_json(), "the run")
    }

    /// Load a run; `undefined` when there is none. A damaged value is kept aside and reported as
    /// `PreflightCorruptError`.
    #[wasm_bindgen(js_name = loadRun)]
    pub fn load_run(&self, template_sha256: &str, run_id: &str) -> Result<Option<Run>, JsValue> {
        let key = self.run_key(template_sha256, run_id);
        let Some(raw) = self.read(&key)? else { return Ok(None) };
        match preflight_core::Run::from_json(&raw) {
            Ok(inner) => Ok(Some(Run { inner })),
            Err(e) => {
                let aside = self.quarantine(&key, &raw);
                Err(error(
                    "PreflightCorruptError",
                    &format!("the stored run is damaged ({e}); a copy is kept at {aside}"),
                ))
            }
        }
    }

    #[wasm_bindgen(js_name = deleteRun)]
    pub fn delete_run(&self, template_sha256: &str, run_id: &str) -> Result<(), JsValue> {
        self.storage.remove_item(&self.run_key(template_sha256, run_id)).map_err(|e| storage_error(e, "the deletion"))
    }

    #[wasm_bindgen(js_name = deleteTemplate)]
    pub fn delete_template(&self, sha256: &str) -> Result<(), JsValue> {
        for key in self.keys_under(&format!("{}run/{sha256}/", self.prefix)) {
            self.storage.remove_item(&key).map_err(|e| storage_error(e, "the deletion"))?;
        }
        self.storage.remove_item(&self.corrections_key(sha256)).map_err(|e| storage_error(e, "the deletion"))?;
        self.storage.remove_item(&self.template_key(sha256)).map_err(|e| storage_error(e, "the deletion"))
    }

    fn keys_under(&self, prefix: &str) -> Vec<String> {
        let n = self.storage.length().unwrap_or(0);
        (0..n).filter_map(|i| self.storage.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
    }

    /// Every kept template with its runs, newest change first.
    #[wasm_bindgen(unchecked_return_type = "LibraryEntry[]")]
    pub fn library(&self) -> Result<JsValue, JsValue> {
        let mut out = Vec::new();
        for key in self.keys_under(&format!("{}template/", self.prefix)) {
            let Some(raw) = self.read(&key)? else { continue };
            let Ok(t) = serde_json::from_str::<StoredTemplate>(&raw) else { continue };
            let checklist = preflight_core::parse_str(&t.text);
            let sha = checklist.source_sha256.clone();
            let runs = self.run_entries(&sha);
            out.push(TemplateEntry {
                sha256: sha,
                name: t.name,
                title: checklist.title,
                imported_at: t.imported_at,
                runs,
            });
        }
        out.sort_by(|a, b| b.imported_at.cmp(&a.imported_at));
        to_js(&out)
    }

    /// The runs of one template, newest change first, without parsing any template.
    #[wasm_bindgen(js_name = runsOf, unchecked_return_type = "LibraryEntry[\"runs\"]")]
    pub fn runs_of(&self, sha256: &str) -> Result<JsValue, JsValue> {
        to_js(&self.run_entries(sha256))
    }

    fn run_entries(&self, sha256: &str) -> Vec<RunEntry> {
        let mut runs: Vec<RunEntry> = self
            .keys_under(&format!("{}run/{sha256}/", self.prefix))
            .into_iter()
            .filter_map(|k| self.read(&k).ok().flatten())
            .filter_map(|raw| preflight_core::Run::from_json(&raw).ok())
            .map(|r| RunEntry {
                updated_at: latest_change(&r),
                id: r.id,
                name: r.name,
                template_sha256: r.template_sha256,
                created_at: r.created_at,
            })
            .collect();
        runs.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
        runs
    }

    /// Keys of values kept aside because they did not parse.
    pub fn quarantined(&self) -> Vec<String> {
        self.keys_under(&format!("{}quarantine/", self.prefix))
    }

    /// Call `callback(templateSha256, runId)` when another tab changes a run of this store, and
    /// `callback(templateSha256, null)` when it changes the corrections of a template.
    pub fn watch(&self, callback: js_sys::Function) -> Result<(), JsValue> {
        let window = web_sys::window().ok_or_else(|| error("PreflightStorageError", "no window"))?;
        let runs = format!("{}run/", self.prefix);
        let corrections = format!("{}corrections/", self.prefix);
        let listener = Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            let Some(key) = event.key() else { return };
            if let Some((sha, id)) = key.strip_prefix(&runs).and_then(|rest| rest.split_once('/')) {
                let _ = callback.call2(&JsValue::NULL, &sha.into(), &id.into());
            } else if let Some(sha) = key.strip_prefix(&corrections) {
                let _ = callback.call2(&JsValue::NULL, &sha.into(), &JsValue::NULL);
            }
        });
        window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref())?;
        // The listener lives as long as the page.
        listener.forget();
        Ok(())
    }

    /// Migrate runs of the preview layout, `preflight:<sha256>:<run id>` holding
    /// `{id, name, template, created, items: {id: "done" | …}}`. Originals stay.
    fn migrate_preview_layout(&self) {
        let old: Vec<String> =
            self.keys_under(PREVIEW_PREFIX).into_iter().filter(|k| k.matches(':').count() == 2).collect();
        for key in old {
            let Ok(Some(raw)) = self.storage.get_item(&key) else { continue };
            let Some(run) = migrate_preview_run(&raw) else { continue };
            let new_key = self.run_key(&run.template_sha256, &run.id);
            if matches!(self.storage.get_item(&new_key), Ok(Some(_))) {
                continue; // migrated before
            }
            let _ = self.storage.set_item(&new_key, &run.canonical_json());
        }
    }

    /// How many values of the preview layout this browser holds (kept after migration).
    #[wasm_bindgen(js_name = previewValues)]
    pub fn preview_values(&self) -> u32 {
        self.keys_under(PREVIEW_PREFIX).len() as u32
    }
}

fn latest_change(r: &preflight_core::Run) -> String {
    let times = r
        .items
        .values()
        .filter_map(|s| s.at.clone())
        .chain(r.fields.values().filter_map(|s| s.at.clone()))
        .chain(r.sign_offs.values().filter_map(|s| s.at.clone()))
        .chain(r.sections.values().filter_map(|s| s.at.clone()))
        .chain(r.timeline.iter().map(|e| e.at.clone()));
    times.max().unwrap_or_else(|| r.created_at.clone())
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
