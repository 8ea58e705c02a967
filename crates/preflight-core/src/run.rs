//! A run: one pass through a template ("v2.4.0 to production"). Holds what people did, keyed by
//! the model's stable ids, never by position. Every entry carries who changed it and when, so
//! two copies of a run (two tabs, two browsers) merge entry by entry, newest change winning.
//! Times are ISO-8601 UTC strings supplied by the caller: the core has no clock.
//!
//! A run is sparse: an item, field, sign-off or section with no entry is in its default state
//! (todo, empty, unsigned, off). The canonical form, which is hashed, leaves defaults out, so
//! the same state always has the same hash however it was built.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Checklist, Gate, ItemKind};
use crate::normalize::hex;

pub const RUN_SCHEMA: &str = "preflight.run/1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Todo,
    Done,
    Na,
    Blocked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::Done => "done",
            Status::Na => "na",
            Status::Blocked => "blocked",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s.to_ascii_lowercase().as_str() {
            "todo" | "open" => Some(Status::Todo),
            "done" => Some(Status::Done),
            "na" | "n/a" => Some(Status::Na),
            "blocked" => Some(Status::Blocked),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemState {
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldState {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionState {
    pub on: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// A signature: who, when, what it means, and the state it vouched for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signature {
    pub name: String,
    pub date: String,
    /// What the signer asserts: "reviewed", "approved", "deployed", …
    pub meaning: String,
    /// Other fields of the sign-off line by label (Time, Version, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "distinct::keys")]
    pub values: BTreeMap<String, String>,
    pub signed_at: String,
    /// Score (tenths of a percent) at the moment of signing.
    pub score_tenths: u32,
    /// [`Run::progress_sha256`] at the moment of signing (signatures made before gates).
    pub progress_sha256: String,
    /// The gate the signature approves or records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
    /// [`Run::gate_state_sha256`] of that gate at the moment of signing: only a change to its
    /// own gate or an earlier one makes the signature stale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate_state_sha256: Option<String>,
    /// An SSH signature (SSHSIG, namespace `preflight`, armored) over this sign-off's
    /// statement (`preflight.signoff/2`, or `/1` without `run`): who signed, provable with their key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh: Option<String>,
    /// The id of the run it was signed in, which its statement names: copied into another run
    /// of the same checklist, whose gate state may hash the same, it vouches for nothing there.
    /// Absent in signatures made before statements named their run, and in names read from a
    /// document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOffState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub schema: String,
    pub id: String,
    pub name: String,
    pub template_sha256: String,
    pub created_at: String,
    #[serde(deserialize_with = "distinct::keys")]
    pub items: BTreeMap<String, ItemState>,
    #[serde(default, deserialize_with = "distinct::keys")]
    pub fields: BTreeMap<String, FieldState>,
    #[serde(default, deserialize_with = "distinct::keys")]
    pub sign_offs: BTreeMap<String, SignOffState>,
    /// Conditional sections switched on (or explicitly off) by id.
    #[serde(default, deserialize_with = "distinct::keys")]
    pub sections: BTreeMap<String, SectionState>,
    /// When the run was last renamed, so renames merge like every other change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_at: Option<String>,
    /// What happened to the run as a whole, in order: GO declared, gates passed, a contingency
    /// started, the run closed. Each with who and when; durations follow from the times.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Event>,
    /// Every change, hash-linked (see `history.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<crate::history::Entry>,
}

/// One moment of a run: `go-declared` (the before gate passed), `gate-passed`,
/// `contingency-started`, `closed`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub at: String,
    pub event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
    /// For a contingency: the section started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Why (a contingency's reason), or the verdict's score when a gate was passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    UnknownItem(String),
    UnknownField(String),
    UnknownSection(String),
    NotASignOff(String),
    IsASignOff(String),
    ReasonRequired(Status),
    NameRequired,
    WrongTemplate { expected: String, found: String },
    Invalid(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::UnknownItem(id) => write!(f, "no item with id `{id}` in this checklist"),
            RunError::UnknownField(id) => write!(f, "no field with id `{id}` in this checklist"),
            RunError::UnknownSection(id) => {
                write!(f, "no conditional section with id `{id}` in this checklist")
            }
            RunError::NotASignOff(id) => write!(f, "`{id}` is a task, not a sign-off"),
            RunError::IsASignOff(id) => write!(f, "`{id}` is a sign-off: sign it instead of setting a status"),
            RunError::ReasonRequired(s) => {
                write!(f, "a reason is required to mark an item {}", s.as_str())
            }
            RunError::NameRequired => write!(f, "a signature needs the signer's name"),
            RunError::WrongTemplate { expected, found } => {
                write!(f, "this run belongs to template {found}, not to {expected}")
            }
            RunError::Invalid(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for RunError {}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl Run {
    /// A fresh run whose state is what the document says: `[x]` items done, filled sign-offs signed.
    pub fn new(c: &Checklist, id: &str, name: &str, now: &str) -> Run {
        let mut run = Run {
            schema: RUN_SCHEMA.to_string(),
            id: id.to_string(),
            name: name.to_string(),
            template_sha256: c.source_sha256.clone(),
            created_at: now.to_string(),
            items: BTreeMap::new(),
            fields: BTreeMap::new(),
            sign_offs: BTreeMap::new(),
            sections: BTreeMap::new(),
            renamed_at: None,
            timeline: Vec::new(),
            log: Vec::new(),
        };
        for item in c.tasks().filter(|i| i.checked) {
            run.items.insert(item.id.clone(), ItemState { status: Status::Done, ..ItemState::default() });
        }
        // Hashing every item costs; only a document with filled sign-offs needs it here.
        let filled = c.sign_offs().any(|i| i.checked);
        let progress = if filled { run.progress_sha256() } else { String::new() };
        // Each gate's state hashed once, and only for a gate one of them signs for (by
        // `score::slot`, as scoring keeps them).
        let mut gate_hashes: [Option<String>; 5] = Default::default();
        for item in c.sign_offs() {
            let mut state = SignOffState::default();
            if item.checked {
                let spec = item.sign_off.as_ref();
                let value =
                    |i: usize| spec.and_then(|s| s.fields.get(i)).and_then(|f| f.value.clone()).unwrap_or_default();
                let mut values = BTreeMap::new();
                let mut date = String::new();
                for f in spec.map(|s| &s.fields[1.min(s.fields.len())..]).unwrap_or(&[]) {
                    let v = f.value.clone().unwrap_or_default();
                    if f.label.eq_ignore_ascii_case("date") {
                        date = v;
                    } else if !v.is_empty() {
                        values.insert(f.label.clone(), v);
                    }
                }
                state.signature = Some(Signature {
                    name: value(0),
                    date,
                    meaning: "signed in the document".to_string(),
                    values,
                    signed_at: now.to_string(),
                    score_tenths: 0,
                    progress_sha256: progress.clone(),
                    gate: item.gate,
                    gate_state_sha256: Some(
                        gate_hashes[crate::score::slot(item.gate)]
                            .get_or_insert_with(|| run.gate_state_sha256(c, item.gate))
                            .clone(),
                    ),
                    ssh: None,
                    run: None,
                });
            }
            if state != SignOffState::default() {
                run.sign_offs.insert(item.id.clone(), state);
            }
        }
        run
    }

    pub fn item(&self, id: &str) -> ItemState {
        self.items.get(id).cloned().unwrap_or_default()
    }

    fn task_entry(&mut self, c: &Checklist, id: &str) -> Result<&mut ItemState, RunError> {
        match c.item(id) {
            None => Err(RunError::UnknownItem(id.to_string())),
            Some(i) if i.kind == ItemKind::SignOff => Err(RunError::IsASignOff(id.to_string())),
            Some(_) => Ok(self.items.entry(id.to_string()).or_default()),
        }
    }

    /// Set an item's status. `na` and `blocked` need a reason; `todo` and `done` clear it.
    pub fn set_status(
        &mut self,
        c: &Checklist,
        id: &str,
        status: Status,
        reason: Option<String>,
        by: Option<&str>,
        now: &str,
    ) -> Result<(), RunError> {
        let reason = nonempty(reason);
        if matches!(status, Status::Na | Status::Blocked) && reason.is_none() {
            return Err(RunError::ReasonRequired(status));
        }
        let entry = self.task_entry(c, id)?;
        let show = |s: Status, r: &Option<String>| match r {
            Some(r) => format!("{} ({r})", s.as_str()),
            None => s.as_str().to_string(),
        };
        let before = show(entry.status, &entry.reason);
        entry.status = status;
        entry.reason = if matches!(status, Status::Na | Status::Blocked) { reason } else { None };
        stamp(&mut entry.by, &mut entry.at, by, now);
        let after = show(entry.status, &entry.reason);
        self.record("status", id, Some(before), Some(after), by, now);
        Ok(())
    }

    pub fn set_note(
        &mut self,
        c: &Checklist,
        id: &str,
        note: Option<String>,
        by: Option<&str>,
        now: &str,
    ) -> Result<(), RunError> {
        let entry = self.task_entry(c, id)?;
        let before = entry.note.clone();
        entry.note = nonempty(note);
        stamp(&mut entry.by, &mut entry.at, by, now);
        let after = entry.note.clone();
        self.record("note", id, before, after, by, now);
        Ok(())
    }

    pub fn set_evidence(
        &mut self,
        c: &Checklist,
        id: &str,
        evidence: Option<String>,
        by: Option<&str>,
        now: &str,
    ) -> Result<(), RunError> {
        let entry = self.task_entry(c, id)?;
        let before = entry.evidence.clone();
        // Pasted command output keeps its lines; only surrounding blank space goes.
        entry.evidence = evidence.map(|e| e.trim_matches('\n').trim_end().to_string()).filter(|e| !e.trim().is_empty());
        stamp(&mut entry.by, &mut entry.at, by, now);
        let after = entry.evidence.clone();
        self.record("evidence", id, before, after, by, now);
        Ok(())
    }

    pub fn set_field(
        &mut self,
        c: &Checklist,
        id: &str,
        value: &str,
        by: Option<&str>,
        now: &str,
    ) -> Result<(), RunError> {
        if !c.has_field(id) {
            return Err(RunError::UnknownField(id.to_string()));
        }
        let entry = self.fields.entry(id.to_string()).or_default();
        let before = Some(entry.value.clone()).filter(|v| !v.is_empty());
        entry.value = value.to_string();
        stamp(&mut entry.by, &mut entry.at, by, now);
        self.record("field", id, before, Some(value.to_string()).filter(|v| !v.is_empty()), by, now);
        Ok(())
    }

    /// Switch a conditional section (Rollback, "if applicable", …) on or off.
    pub fn set_section(
        &mut self,
        c: &Checklist,
        id: &str,
        on: bool,
        by: Option<&str>,
        now: &str,
    ) -> Result<(), RunError> {
        if !c.has_conditional_section(id) {
            return Err(RunError::UnknownSection(id.to_string()));
        }
        let entry = self.sections.entry(id.to_string()).or_default();
        let before = if entry.on { "on" } else { "off" };
        entry.on = on;
        stamp(&mut entry.by, &mut entry.at, by, now);
        self.record("section", id, Some(before.into()), Some(if on { "on" } else { "off" }.into()), by, now);
        Ok(())
    }

    /// Rename the run; the later rename wins when two copies merge.
    pub fn rename(&mut self, name: &str, now: &str) {
        let before = std::mem::replace(&mut self.name, name.trim().to_string());
        self.renamed_at = Some(now.to_string());
        let after = self.name.clone();
        self.record("rename", "", Some(before), Some(after), None, now);
    }

    /// One entry in the history, unless nothing changed.
    fn record(
        &mut self,
        what: &str,
        target: &str,
        before: Option<String>,
        after: Option<String>,
        by: Option<&str>,
        now: &str,
    ) {
        if before != after
            || matches!(what, "signature" | "go-declared" | "gate-passed" | "contingency-started" | "closed")
        {
            let target = (!target.is_empty()).then_some(target);
            crate::history::append(&mut self.log, what, target, before, after, by, now);
        }
    }

    /// For every section: is it, or a section above it, switched on? One pass: parents come
    /// before their children in `c.sections`.
    pub fn sections_on(&self, c: &Checklist) -> Vec<bool> {
        let mut on: Vec<bool> = Vec::with_capacity(c.sections.len());
        for s in &c.sections {
            let own = !self.sections.is_empty() && self.sections.get(&s.id).is_some_and(|st| st.on);
            let inherited = s.parent.and_then(|p| on.get(p).copied()).unwrap_or(false);
            on.push(own || inherited);
        }
        on
    }

    /// Sign a sign-off slot. Records the score and progress hash of this moment.
    #[allow(clippy::too_many_arguments)]
    pub fn sign(
        &mut self,
        c: &Checklist,
        id: &str,
        name: &str,
        date: &str,
        meaning: &str,
        values: BTreeMap<String, String>,
        by: Option<&str>,
        now: &str,
    ) -> Result<(), RunError> {
        let gate = match c.item(id) {
            None => return Err(RunError::UnknownItem(id.to_string())),
            Some(i) if i.kind != ItemKind::SignOff => return Err(RunError::NotASignOff(id.to_string())),
            Some(i) => i.gate,
        };
        if name.trim().is_empty() {
            return Err(RunError::NameRequired);
        }
        let score_tenths = crate::score::score_gate_summary(c, self, gate).score_tenths;
        let signature = Signature {
            name: name.trim().to_string(),
            date: date.trim().to_string(),
            meaning: meaning.trim().to_string(),
            values,
            signed_at: now.to_string(),
            score_tenths,
            progress_sha256: self.progress_sha256(),
            gate,
            gate_state_sha256: Some(self.gate_state_sha256(c, gate)),
            ssh: None,
            run: Some(self.id.clone()),
        };
        let after = format!("{} ({})", signature.name, signature.meaning);
        let entry = self.sign_offs.entry(id.to_string()).or_default();
        let before = entry.signature.as_ref().map(|s| format!("{} ({})", s.name, s.meaning));
        entry.signature = Some(signature);
        stamp(&mut entry.by, &mut entry.at, by, now);
        self.record("signature", id, before, Some(after), by, now);
        Ok(())
    }

    pub fn unsign(&mut self, c: &Checklist, id: &str, by: Option<&str>, now: &str) -> Result<(), RunError> {
        match c.item(id) {
            None => return Err(RunError::UnknownItem(id.to_string())),
            Some(i) if i.kind != ItemKind::SignOff => return Err(RunError::NotASignOff(id.to_string())),
            Some(_) => {}
        }
        let entry = self.sign_offs.entry(id.to_string()).or_default();
        let before = entry.signature.take().map(|s| format!("{} ({})", s.name, s.meaning));
        stamp(&mut entry.by, &mut entry.at, by, now);
        self.record("unsign", id, before, None, by, now);
        Ok(())
    }

    /// Pass a gate: the before gate's pass is the declared GO. Only a gate whose verdict is GO
    /// can be passed, once; the gates before it must have been passed (or be empty).
    pub fn pass_gate(&mut self, c: &Checklist, gate: Gate, by: Option<&str>, now: &str) -> Result<(), RunError> {
        let card = crate::score::score_gate_summary(c, self, Some(gate));
        let own = card.gates.iter().find(|g| g.gate == gate);
        if own.is_none_or(|g| g.verdict.is_none()) {
            return Err(RunError::Invalid(format!("the {} gate has nothing to pass", gate.as_str())));
        }
        if card.verdict != crate::score::Verdict::Go {
            let why = card.reasons.first().map(|r| r.message.clone()).unwrap_or_default();
            return Err(RunError::Invalid(format!("the {} gate is NO-GO: {why}", gate.as_str())));
        }
        if self.passed(gate) {
            return Err(RunError::Invalid(format!("the {} gate was already passed", gate.as_str())));
        }
        for earlier in
            [Gate::Before, Gate::During, Gate::After].into_iter().filter(|g| *g < gate && gate != Gate::Contingency)
        {
            let has = card.gates.iter().any(|g| g.gate == earlier && g.verdict.is_some());
            if has && !self.passed(earlier) {
                return Err(RunError::Invalid(format!("pass the {} gate first", earlier.as_str())));
            }
        }
        let event = if gate == Gate::Before { "go-declared" } else { "gate-passed" };
        self.record(event, gate.as_str(), None, Some(crate::score::percent(card.score_tenths)), by, now);
        self.timeline.push(Event {
            at: now.to_string(),
            event: event.into(),
            gate: Some(gate),
            section: None,
            by: by.map(str::to_string).filter(|b| !b.is_empty()),
            note: Some(crate::score::percent(card.score_tenths)),
        });
        Ok(())
    }

    /// Whether `gate` has been passed in this run.
    pub fn passed(&self, gate: Gate) -> bool {
        self.timeline.iter().any(|e| e.gate == Some(gate) && matches!(e.event.as_str(), "go-declared" | "gate-passed"))
    }

    /// Start a contingency (the rollback or incident procedure): switches its section on and
    /// records when, by whom and why. A reason is required.
    pub fn start_contingency(
        &mut self,
        c: &Checklist,
        section: &str,
        why: &str,
        by: Option<&str>,
        now: &str,
    ) -> Result<(), RunError> {
        let s =
            c.sections.iter().find(|s| s.id == section).ok_or_else(|| RunError::UnknownSection(section.to_string()))?;
        if s.gate != Some(Gate::Contingency) {
            return Err(RunError::Invalid(format!("`{}` is not a contingency procedure", s.title)));
        }
        if why.trim().is_empty() {
            return Err(RunError::Invalid("say why the contingency starts".into()));
        }
        if s.conditional {
            self.set_section(c, section, true, by, now)?;
        }
        self.record("contingency-started", section, None, Some(why.trim().to_string()), by, now);
        self.timeline.push(Event {
            at: now.to_string(),
            event: "contingency-started".into(),
            gate: Some(Gate::Contingency),
            section: Some(section.to_string()),
            by: by.map(str::to_string).filter(|b| !b.is_empty()),
            note: Some(why.trim().to_string()),
        });
        Ok(())
    }

    /// Close the run: nothing more is expected of it.
    pub fn close(&mut self, by: Option<&str>, now: &str) {
        if !self.timeline.iter().any(|e| e.event == "closed") {
            self.record("closed", "", None, None, by, now);
            self.timeline.push(Event {
                at: now.to_string(),
                event: "closed".into(),
                gate: None,
                section: None,
                by: by.map(str::to_string).filter(|b| !b.is_empty()),
                note: None,
            });
        }
    }

    /// SHA-256 of what the items and section switches say (not who or when): what a signature
    /// vouches for. Any change to an item after signing changes it.
    pub fn progress_sha256(&self) -> String {
        /// status, reason, note, evidence
        type Entry<'a> = (&'a str, &'a Option<String>, &'a Option<String>, &'a Option<String>);
        #[derive(Serialize)]
        struct Progress<'a> {
            items: BTreeMap<&'a str, Entry<'a>>,
            sections: BTreeMap<&'a str, bool>,
        }
        let progress = Progress {
            items: self
                .items
                .iter()
                // Who and when do not count, and an untouched item is the same as a missing one.
                .filter(|(_, s)| {
                    s.status != Status::Todo || s.reason.is_some() || s.note.is_some() || s.evidence.is_some()
                })
                .map(|(id, s)| (id.as_str(), (s.status.as_str(), &s.reason, &s.note, &s.evidence)))
                .collect(),
            sections: self.sections.iter().filter(|(_, s)| s.on).map(|(id, s)| (id.as_str(), s.on)).collect(),
        };
        sha256_json(&progress)
    }

    /// SHA-256 of what a signature at `gate` vouches for: the statuses, reasons, notes and
    /// evidence of the items of that gate and the gates before it, the fill-in fields and
    /// section switches of their sections. No sign-offs, no who or when, nothing of later gates
    /// or of parts that belong to no gate. `None` hashes every gate (a signature with no gate).
    pub fn gate_state_sha256(&self, c: &Checklist, gate: Option<Gate>) -> String {
        type Entry<'a> = (&'a str, &'a Option<String>, &'a Option<String>, &'a Option<String>);
        #[derive(Serialize)]
        struct GateState<'a> {
            gate: Option<Gate>,
            items: BTreeMap<&'a str, Entry<'a>>,
            fields: BTreeMap<&'a str, &'a str>,
            sections: BTreeMap<&'a str, bool>,
        }
        let within = |g: Option<Gate>| match (g, gate) {
            (Some(g), Some(limit)) => g <= limit,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let section_within = |i: usize| c.sections.get(i).is_some_and(|s| within(s.gate));
        let state = GateState {
            gate,
            items: c
                .tasks()
                .filter(|i| within(i.gate))
                .filter_map(|i| self.items.get_key_value(i.id.as_str()))
                .filter(|(_, s)| {
                    s.status != Status::Todo || s.reason.is_some() || s.note.is_some() || s.evidence.is_some()
                })
                .map(|(id, s)| (id.as_str(), (s.status.as_str(), &s.reason, &s.note, &s.evidence)))
                .collect(),
            fields: c
                .fields
                .iter()
                .filter(|f| section_within(f.section))
                .filter_map(|f| self.fields.get_key_value(f.id.as_str()))
                .filter(|(_, v)| !v.value.is_empty())
                .map(|(id, v)| (id.as_str(), v.value.as_str()))
                .collect(),
            sections: c
                .sections
                .iter()
                .enumerate()
                .filter(|(i, _)| section_within(*i))
                .filter_map(|(_, s)| self.sections.get_key_value(s.id.as_str()))
                .filter(|(_, s)| s.on)
                .map(|(id, s)| (id.as_str(), s.on))
                .collect(),
        };
        sha256_json(&state)
    }

    /// The canonical serialization of the whole run: compact JSON, keys in a fixed order,
    /// default entries left out.
    pub fn canonical_json(&self) -> String {
        if self.is_compact() {
            serde_json::to_string(self).unwrap_or_default()
        } else {
            serde_json::to_string(&self.compacted()).unwrap_or_default()
        }
    }

    /// [`Run::canonical_json`] without the first `logged` entries of the log: what a copy kept
    /// elsewhere (stored, with those entries) lacks. Merged into that copy it makes this run again
    /// ([`Run::merge`]), and it is far smaller: the log keeps each note's text before and after
    /// every edit, most of a long run.
    ///
    /// Of the entries left out, those a merge still weighs are kept: for an item's status, note
    /// or evidence changed since, the stored entry of it that is later than every one since (a
    /// clock set back between them); the merge compares each part's last change by its time.
    pub fn canonical_json_after(&self, logged: usize) -> String {
        let (stored, since) = self.log.split_at(logged.min(self.log.len()));
        let last_since = last_changes(since);
        // By part changed since: the place in `stored` of its latest entry later than those.
        let mut later: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
        for (at, e) in stored.iter().enumerate() {
            let Some(target) = e.target.as_deref() else { continue };
            let key = (e.what.as_str(), target);
            let Some(&since_at) = last_since.get(&key) else { continue };
            if e.at.as_str() > since_at && later.get(&key).is_none_or(|&l| stored[l].at < e.at) {
                later.insert(key, at);
            }
        }
        let mut kept: Vec<usize> = later.into_values().collect();
        kept.sort_unstable();
        let mut lighter = self.clone_without_log();
        lighter.log.extend(kept.into_iter().map(|at| stored[at].clone()));
        lighter.log.extend(since.iter().cloned());
        lighter.canonical_json()
    }

    /// This run with an empty log, without copying the log.
    fn clone_without_log(&self) -> Run {
        Run {
            schema: self.schema.clone(),
            id: self.id.clone(),
            name: self.name.clone(),
            template_sha256: self.template_sha256.clone(),
            created_at: self.created_at.clone(),
            items: self.items.clone(),
            fields: self.fields.clone(),
            sign_offs: self.sign_offs.clone(),
            sections: self.sections.clone(),
            renamed_at: self.renamed_at.clone(),
            timeline: self.timeline.clone(),
            log: Vec::new(),
        }
    }

    fn is_compact(&self) -> bool {
        // (the timeline has no default entries to leave out)
        self.items.values().all(|s| *s != ItemState::default())
            && self.fields.values().all(|s| *s != FieldState::default())
            && self.sign_offs.values().all(|s| *s != SignOffState::default())
            && self.sections.values().all(|s| *s != SectionState::default())
    }

    /// The same state without default entries: what two equal runs have in common.
    pub fn compacted(&self) -> Run {
        let mut run = self.clone();
        run.items.retain(|_, s| *s != ItemState::default());
        run.fields.retain(|_, s| *s != FieldState::default());
        run.sign_offs.retain(|_, s| *s != SignOffState::default());
        run.sections.retain(|_, s| *s != SectionState::default());
        run
    }

    /// SHA-256 of [`Run::canonical_json`]: every report carries it, so any edit shows.
    pub fn state_sha256(&self) -> String {
        hex(&Sha256::digest(self.canonical_json().as_bytes()))
    }

    pub fn from_json(json: &str) -> Result<Run, RunError> {
        let run: Run =
            serde_json::from_str(json).map_err(|e| RunError::Invalid(format!("not a Preflight run: {e}")))?;
        Run::check_schema(run)
    }

    /// `run`, when its schema is the one this engine reads.
    pub(crate) fn check_schema(run: Run) -> Result<Run, RunError> {
        if run.schema != RUN_SCHEMA {
            return Err(RunError::Invalid(format!(
                "unsupported run schema `{}` (expected `{RUN_SCHEMA}`)",
                run.schema
            )));
        }
        Ok(run)
    }

    /// Merge another copy of the same run, entry by entry: the later `at` wins; an entry only one
    /// side has is kept. Neither side's changes are lost.
    ///
    /// True when the run changed as [`Run::canonical_json`] shows it (an entry at its default is
    /// no entry): a page then knows whether another tab's copy brought anything without writing
    /// the whole run twice to compare (5.5 ms each at 10,000 log entries in wasm).
    pub fn merge(&mut self, other: &Run) -> bool {
        // An item's status, note and evidence are each the latest one either copy made: two
        // tabs writing a note and evidence of one item a few milliseconds apart both stand.
        // Each copy's log says when it last changed which part.
        let (mine_last, theirs_last) = (last_changes(&self.log), last_changes(&other.log));
        let mut changed = false;
        for (id, theirs) in &other.items {
            let Some(mine) = self.items.get_mut(id) else {
                changed |= *theirs != ItemState::default();
                self.items.insert(id.clone(), theirs.clone());
                continue;
            };
            let theirs_win = mine.at < theirs.at;
            let (winner, loser, winner_last, loser_last) = if theirs_win {
                (theirs, &*mine, &theirs_last, &mine_last)
            } else {
                (&*mine, theirs, &mine_last, &theirs_last)
            };
            let later = |what: &str| loser_last.get(&(what, id.as_str())) > winner_last.get(&(what, id.as_str()));
            let (status, note, evidence) = (later("status"), later("note"), later("evidence"));
            if !theirs_win && !status && !note && !evidence {
                // Mine as it is: nothing of theirs is later.
                continue;
            }
            let mut merged = winner.clone();
            if status {
                merged.status = loser.status;
                merged.reason = loser.reason.clone();
            }
            if note {
                merged.note = loser.note.clone();
            }
            if evidence {
                merged.evidence = loser.evidence.clone();
            }
            if *mine != merged {
                changed = true;
                *mine = merged;
            }
        }
        changed |= merge_map(&mut self.fields, &other.fields, |s| s.at.as_deref());
        changed |= merge_map(&mut self.sign_offs, &other.sign_offs, |s| s.at.as_deref());
        changed |= merge_map(&mut self.sections, &other.sections, |s| s.at.as_deref());
        if other.renamed_at > self.renamed_at {
            // A later rename time is a change whatever the name.
            changed = true;
            self.name = other.name.clone();
            self.renamed_at = other.renamed_at.clone();
        }
        let logged = self.log.len();
        crate::history::merge(&mut self.log, &other.log);
        // The log only grows.
        changed |= self.log.len() != logged;
        // Moments are facts: keep every one either copy saw, once, in time order.
        for e in &other.timeline {
            if !self.timeline.contains(e) {
                self.timeline.push(e.clone());
                changed = true;
            }
        }
        // A timeline read out of order is put in order, which changes the run too.
        changed |= !self.timeline.is_sorted();
        self.timeline.sort();
        changed
    }

    /// Check that this run belongs to `c`.
    pub fn attach(&mut self, c: &Checklist) -> Result<(), RunError> {
        if self.template_sha256 != c.source_sha256 {
            return Err(RunError::WrongTemplate {
                expected: c.source_sha256.clone(),
                found: self.template_sha256.clone(),
            });
        }
        Ok(())
    }
}

/// When a log last changed each part of each item: (what, item) → time.
fn last_changes(log: &[crate::history::Entry]) -> std::collections::HashMap<(&str, &str), &str> {
    let mut last = std::collections::HashMap::new();
    for e in log {
        let (Some(target), "status" | "note" | "evidence") = (e.target.as_deref(), e.what.as_str()) else { continue };
        let at = last.entry((e.what.as_str(), target)).or_insert(e.at.as_str());
        if *at < e.at.as_str() {
            *at = e.at.as_str();
        }
    }
    last
}

/// Theirs where it is later; true when that changed what [`Run::canonical_json`] shows (a
/// missing entry and one at its default are alike).
fn merge_map<T: Clone + Default + PartialEq>(
    mine: &mut BTreeMap<String, T>,
    theirs: &BTreeMap<String, T>,
    at: impl Fn(&T) -> Option<&str>,
) -> bool {
    let mut changed = false;
    for (id, other) in theirs {
        match mine.get(id) {
            Some(current) if at(current) >= at(other) => {}
            current => {
                changed |= *current.unwrap_or(&T::default()) != *other;
                mine.insert(id.clone(), other.clone());
            }
        }
    }
    changed
}

fn stamp(by_slot: &mut Option<String>, at_slot: &mut Option<String>, by: Option<&str>, now: &str) {
    *by_slot = by.map(str::to_string).filter(|b| !b.is_empty());
    *at_slot = Some(now.to_string());
}

pub(crate) fn sha256_json<T: Serialize>(value: &T) -> String {
    hex(&Sha256::digest(serde_json::to_vec(value).unwrap_or_default()))
}

/// A run's maps read with each key once. JSON readers differ on a key given twice (serde_json's
/// map keeps the last, others the first): a run file holding an item "blocked" and again "done"
/// would read as one state to a person or another tool and as the other here. Refused instead,
/// at the second one's line and column.
mod distinct {
    use std::collections::BTreeMap;
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

    pub fn keys<'de, D: Deserializer<'de>, V: Deserialize<'de>>(d: D) -> Result<BTreeMap<String, V>, D::Error> {
        struct Keys<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Keys<V> {
            type Value = BTreeMap<String, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        // Named as far as a reader needs: a key can be megabytes long.
                        let cut = key.char_indices().nth(64).map_or(key.len(), |(at, _)| at);
                        let more = if cut < key.len() { "…" } else { "" };
                        return Err(de::Error::custom(format_args!("`{}{more}` is given twice", &key[..cut])));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(out)
            }
        }
        d.deserialize_map(Keys(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_str;

    const DOC: &str = "# R\n## Pre-Deployment\n- [ ] Backups verified\n## Deployment\n- [ ] Rolled out\n## Post-Deployment\n- [ ] Smoke tests pass\n## Rollback\n- [ ] Revert\n## Sign-Off\n- [ ] Tech Lead: ____ Date: ____\n";

    fn id(c: &Checklist, text: &str) -> String {
        c.items.iter().find(|i| i.text.starts_with(text)).map(|i| i.id.clone()).unwrap_or_default()
    }

    const MERGED: &str = "# R\n## Pre-Deployment\n- [ ] Backups verified\n- [ ] Latency p95: ____ ms\n## Deployment\n- [ ] Rolled out\n## Post-Deployment\n- [ ] Smoke tests pass\n## Rollback\n- [ ] Revert\n## Sign-Off\n- [ ] Tech Lead: ____ Date: ____\n- [ ] QA Lead: ____\n\nDeployed version: ____\n";

    /// One change a tab can make, drawn at random: what, on which entry, when (four times, so
    /// that two copies often change one thing at one moment), and with which value.
    type Change = (u8, usize, usize, usize);

    fn change(c: &Checklist, run: &mut Run, (what, which, when, value): Change) {
        const TIMES: [&str; 4] = ["t0", "t1", "t2", "t3"];
        const TEXTS: [&str; 3] = ["a", "b", ""];
        let now = TIMES[when % 4];
        let text = TEXTS[value % 3];
        let item = &c.items[which % c.items.len()].id;
        let field = c.fields.first().map(|f| f.id.clone()).unwrap_or_default();
        let section = c.sections.iter().find(|s| s.gate == Some(Gate::Contingency)).map(|s| s.id.clone());
        let section = section.unwrap_or_default();
        let by = (value % 2 == 0).then_some("ana");
        // Refused changes (a task that is a sign-off, …) change nothing, as in a page.
        let refused = match what % 14 {
            0 => {
                run.set_status(c, item, [Status::Todo, Status::Done, Status::Na][value % 3], Some(text.into()), by, now)
            }
            1 => run.set_note(c, item, Some(text.into()), by, now),
            2 => run.set_evidence(c, item, Some(text.into()), by, now),
            3 => run.set_field(c, &field, text, by, now),
            4 => run.set_section(c, &section, value % 2 == 0, by, now),
            6 => run.sign(c, item, "Kim", "2026-12-01", "approved", BTreeMap::new(), by, now),
            7 => run.unsign(c, item, by, now),
            8 => run.pass_gate(c, Gate::ALL[value % 4], by, now),
            9 => run.start_contingency(c, &section, "5xx", by, now),
            _ => Ok(()),
        };
        drop(refused);
        match what % 14 {
            5 => run.rename(text, now),
            10 => run.close(by, now),
            // What a stored copy may hold that no change makes: entries at their default, and a
            // timeline out of order.
            11 => drop(run.items.insert(item.clone(), ItemState::default())),
            12 => drop(run.sign_offs.insert(item.clone(), SignOffState::default())),
            13 => run.timeline.insert(
                0,
                Event {
                    at: now.into(),
                    event: "closed".into(),
                    gate: None,
                    section: None,
                    by: None,
                    note: Some(text.into()),
                },
            ),
            _ => {}
        }
    }

    /// Another tab wrote the very note this one has, before this tab's later tick: its log
    /// is news, its item is not; and the same copy merged again brings nothing.
    #[test]
    fn a_copy_merged_twice_brings_nothing_the_second_time() {
        let c = parse_str(MERGED);
        let item = id(&c, "Backups verified");
        let start = Run::new(&c, "r", "r", "t0");
        let (mut a, mut b) = (start.clone(), start);
        a.set_note(&c, &item, Some("restore tested".into()), None, "t1").unwrap();
        a.set_status(&c, &item, Status::Done, None, None, "t3").unwrap();
        b.set_note(&c, &item, Some("restore tested".into()), None, "t2").unwrap();
        let mut merged = a.clone();
        assert!(merged.merge(&b), "b's log entry is new");
        assert_eq!(merged.items, a.items, "the item as it was");
        let once = merged.canonical_json();
        assert!(!merged.merge(&b));
        assert_eq!(merged.canonical_json(), once);
    }

    /// A clock set back between the stored copy and a later change: the stored tick at t1, an
    /// untick at t0, a note at t2. The copy without the stored history keeps the tick's entry,
    /// later than the untick, or merging it would bring the tick back over the untick.
    #[test]
    fn a_copy_without_the_stored_history_keeps_what_a_clock_set_back_needs() {
        let c = parse_str(MERGED);
        let item = id(&c, "Backups verified");
        let mut run = Run::new(&c, "r", "r", "t0");
        run.set_status(&c, &item, Status::Done, None, None, "t1").unwrap();
        let (kept, logged) = (run.clone(), run.log.len());
        run.set_status(&c, &item, Status::Todo, None, None, "t0").unwrap();
        run.set_note(&c, &item, Some("a".into()), None, "t2").unwrap();
        let lighter = Run::from_json(&run.canonical_json_after(logged)).unwrap();
        assert_eq!(lighter.log.len(), 3, "the stored tick's entry, then both since");
        let mut back = kept.clone();
        back.merge(&lighter);
        assert_eq!(back.item(&item).status, Status::Todo);
        let mut whole = kept;
        whole.merge(&run);
        assert_eq!(back.canonical_json(), whole.canonical_json());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// A copy without the log entries a stored copy has, merged into that stored copy, makes
        /// the run again: what a page hiding with a save unfinished keeps when the whole run is
        /// too large to keep.
        #[test]
        fn a_run_without_its_stored_log_merged_into_the_stored_copy_is_the_run(
            stored in proptest::collection::vec(proptest::prelude::any::<Change>(), 0..8),
            later in proptest::collection::vec(proptest::prelude::any::<Change>(), 0..8),
        ) {
            let c = parse_str(MERGED);
            let mut run = Run::new(&c, "r", "r", "t0");
            for ch in stored {
                change(&c, &mut run, ch);
            }
            let (kept, logged) = (run.clone(), run.log.len());
            // Changes a page makes (each one logged), not what only a stored copy may hold.
            for (what, which, when, value) in later {
                change(&c, &mut run, (what % 11, which, when, value));
            }
            let lighter = Run::from_json(&run.canonical_json_after(logged)).unwrap();
            // Every entry since the store, after at most the few stored ones a merge weighs.
            let ids = |log: &[crate::history::Entry]| log.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
            proptest::prop_assert!(ids(&lighter.log).ends_with(&ids(&run.log[logged..])));
            let mut back = kept.clone();
            back.merge(&lighter);
            let mut whole = kept;
            whole.merge(&run);
            proptest::prop_assert_eq!(back.canonical_json(), whole.canonical_json());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// `merge` says the run changed exactly when its canonical JSON did: what a page
        /// compared by writing the whole run before and after.
        #[test]
        fn a_merge_says_whether_the_run_changed_as_its_json_shows(
            base in proptest::collection::vec(proptest::prelude::any::<Change>(), 0..6),
            mine in proptest::collection::vec(proptest::prelude::any::<Change>(), 0..8),
            theirs in proptest::collection::vec(proptest::prelude::any::<Change>(), 0..8),
            apart: bool,
        ) {
            let c = parse_str(MERGED);
            let mut start = Run::new(&c, "r", "r", "t0");
            for ch in base {
                change(&c, &mut start, ch);
            }
            // Two copies of one start, or (`apart`) two runs of one id started apart.
            let (mut a, mut b) = (start.clone(), if apart { Run::new(&c, "r", "r", "t1") } else { start });
            for ch in mine {
                change(&c, &mut a, ch);
            }
            for ch in theirs {
                change(&c, &mut b, ch);
            }
            for (one, two) in [(&a, &b), (&b, &a), (&a, &a)] {
                let mut merged = one.clone();
                let changed = merged.merge(two);
                proptest::prop_assert_eq!(changed, merged.canonical_json() != one.canonical_json());
            }
        }
    }

    /// Two tabs write a note and evidence of one item milliseconds apart: both stand, whichever
    /// copy merges which; a later status from one keeps the other's note.
    #[test]
    fn each_part_of_an_item_is_the_latest_either_copy_made() {
        let c = parse_str(DOC);
        let item = id(&c, "Backups verified");
        let base = Run::new(&c, "r", "r", "2026-12-03T10:00:00.000Z");
        let mut a = base.clone();
        let mut b = base.clone();
        a.set_note(&c, &item, Some("restore tested".into()), None, "2026-12-03T10:00:01.000Z").unwrap();
        b.set_evidence(&c, &item, Some("$ pg_restore ok".into()), None, "2026-12-03T10:00:01.005Z").unwrap();
        for (one, two) in [(&a, &b), (&b, &a)] {
            let mut merged = one.clone();
            merged.merge(two);
            let st = merged.item(&item);
            assert_eq!((st.note.as_deref(), st.evidence.as_deref()), (Some("restore tested"), Some("$ pg_restore ok")));
        }
        // A later status from b, an earlier note from a: both.
        b.set_status(&c, &item, Status::Blocked, Some("waiting on DBA".into()), None, "2026-12-03T10:00:02.000Z")
            .unwrap();
        a.set_note(&c, &item, Some("restore tested twice".into()), None, "2026-12-03T10:00:03.000Z").unwrap();
        let mut merged = b.clone();
        merged.merge(&a);
        let st = merged.item(&item);
        assert_eq!(
            (st.status, st.reason.as_deref(), st.note.as_deref(), st.evidence.as_deref()),
            (Status::Blocked, Some("waiting on DBA"), Some("restore tested twice"), Some("$ pg_restore ok"))
        );
        let mut other = a.clone();
        other.merge(&b);
        assert_eq!(other.items, merged.items, "the same whichever merges which");
    }

    /// Sign-offs filled in the document vouch for their own gate's state, as signing then would:
    /// not for the whole run's, which holds later gates' work too.
    #[test]
    fn sign_offs_filled_in_the_document_hash_their_own_gate() {
        let c = parse_str(
            "# R\n## Pre-Deployment\n- [x] Backups verified\n### Pre-Deployment Sign-Off\n- [x] QA Lead: Ana Date: 2026-12-01\n- [x] DBA: Lee Date: 2026-12-01\n## Deployment\n- [x] Rolled out\n### Deployment Sign-Off\n- [x] Release Manager: Kim Date: 2026-12-02\n## Post-Deployment\n- [x] Smoke tests pass\n",
        );
        let run = Run::new(&c, "r", "r", "t0");
        assert_eq!(c.sign_offs().count(), 3);
        for item in c.sign_offs() {
            let sig = run.sign_offs[&item.id].signature.clone().expect("signed in the document");
            let own = run.gate_state_sha256(&c, item.gate);
            assert_ne!(own, run.gate_state_sha256(&c, None), "{}: a gate before the last", item.text);
            assert_eq!((sig.gate, sig.gate_state_sha256), (item.gate, Some(own)), "{}", item.text);
        }
    }

    /// A signature names the run it was made in: copied into another run of the checklist,
    /// whose gate state hashes the same, it holds that run's gate up as a stale one would. One
    /// made before signatures named their run is judged by the gate state alone, as it was.
    #[test]
    fn a_signature_copied_into_another_run_vouches_for_nothing_there() {
        let c = parse_str(DOC);
        let lead = c.sign_offs().next().unwrap().id.clone();
        let mut a = Run::new(&c, "a", "A", "t0");
        let mut b = Run::new(&c, "b", "B", "t0");
        for run in [&mut a, &mut b] {
            run.set_status(&c, &id(&c, "Backups"), Status::Done, None, None, "t1").unwrap();
        }
        a.sign(&c, &lead, "Kim", "2026-12-01", "approved", Default::default(), None, "t2").unwrap();
        let sig = a.sign_offs[&lead].signature.clone().unwrap();
        assert_eq!(sig.run.as_deref(), Some("a"));
        assert_eq!(crate::score::score_gate(&c, &a, Some(Gate::Before)).verdict, crate::score::Verdict::Go);
        b.sign_offs.entry(lead.clone()).or_default().signature = Some(sig.clone());
        let card = crate::score::score_gate(&c, &b, Some(Gate::Before));
        assert_eq!(card.verdict, crate::score::Verdict::NoGo);
        assert!(card.reasons.iter().any(|r| r.code == "sign-off-other-run" && r.items == [lead.as_str()]));
        assert_eq!(card.stale_sign_offs, [lead.as_str()]);
        b.sign_offs.get_mut(&lead).unwrap().signature = Some(Signature { run: None, ..sig });
        assert_eq!(crate::score::score_gate(&c, &b, Some(Gate::Before)).verdict, crate::score::Verdict::Go);
    }

    #[test]
    fn a_run_moves_through_its_gates_in_order_and_records_each_moment() {
        let c = parse_str(DOC);
        let mut run = Run::new(&c, "r", "v1", "t0");
        // NO-GO: nothing done, nobody signed.
        let err = run.pass_gate(&c, Gate::Before, Some("ana"), "t1").unwrap_err();
        assert!(err.to_string().contains("NO-GO"), "{err}");
        run.set_status(&c, &id(&c, "Backups"), Status::Done, None, Some("ana"), "t1").unwrap();
        let lead = c.sign_offs().next().unwrap().id.clone();
        run.sign(&c, &lead, "Kim", "2026-12-01", "approved", Default::default(), Some("kim"), "t2").unwrap();
        // The during gate cannot be passed before GO is declared.
        run.set_status(&c, &id(&c, "Rolled out"), Status::Done, None, Some("ana"), "t3").unwrap();
        assert!(run
            .pass_gate(&c, Gate::During, Some("ana"), "t3")
            .unwrap_err()
            .to_string()
            .contains("before gate first"));
        run.pass_gate(&c, Gate::Before, Some("kim"), "t2").unwrap();
        assert!(run.passed(Gate::Before));
        assert!(run.pass_gate(&c, Gate::Before, None, "t4").is_err(), "once");
        run.pass_gate(&c, Gate::During, Some("ana"), "t4").unwrap();
        // A later gate's work does not make the go-live signature stale.
        run.set_status(&c, &id(&c, "Smoke"), Status::Done, None, Some("ana"), "t5").unwrap();
        assert!(crate::score::score(&c, &run).stale_sign_offs.is_empty());
        // Rollback: started with a reason, which switches the procedure on.
        let rollback = c.sections.iter().find(|s| s.title == "Rollback").unwrap().id.clone();
        assert!(run.start_contingency(&c, &rollback, " ", None, "t6").is_err(), "a reason is required");
        run.start_contingency(&c, &rollback, "5xx after rollout", Some("ana"), "t6").unwrap();
        assert!(run.sections_on(&c)[c.sections.iter().position(|s| s.id == rollback).unwrap()]);
        run.close(Some("ana"), "t7");
        let events: Vec<(&str, Option<Gate>)> = run.timeline.iter().map(|e| (e.event.as_str(), e.gate)).collect();
        assert_eq!(
            events,
            [
                ("go-declared", Some(Gate::Before)),
                ("gate-passed", Some(Gate::During)),
                ("contingency-started", Some(Gate::Contingency)),
                ("closed", None)
            ]
        );
        // Two copies that each saw other moments keep all of them, once, in time order.
        let mut other = run.clone();
        other.timeline.retain(|e| e.event != "closed");
        other.timeline.push(Event {
            at: "t5".into(),
            event: "gate-passed".into(),
            gate: Some(Gate::After),
            section: None,
            by: None,
            note: None,
        });
        run.merge(&other);
        assert_eq!(run.timeline.len(), 5);
        assert!(run.timeline.windows(2).all(|w| w[0].at <= w[1].at));
    }
}
