//! `preflight run new|set|sign|show`: a pipeline drives a run of a checklist from a job —
//! records an automated check with its output as evidence, signs, shows — in the run JSON the
//! app imports (documented in docs/run-schema.md). Every command takes the checklist first.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use preflight_core::model::{Checklist, ItemKind};
use preflight_core::{Run, Status};

use crate::terminal::plain;

#[derive(Subcommand)]
pub enum RunCommand {
    /// Start a run of FILE and write it to -o RUN.json.
    New {
        file: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// The run's name ("v2.4.0 to production"); the file name and the time unless given.
        #[arg(long)]
        name: Option<String>,
    },
    /// Record an item's status (with --note, --evidence-file) in RUN.json.
    Set(SetArgs),
    /// Sign a sign-off slot (by role) in RUN.json.
    Sign(SignArgs),
    /// Show a run: each gate's verdict, what was recorded, signatures, timeline.
    Show {
        file: PathBuf,
        run: PathBuf,
        /// Print the exact bytes a signature of this sign-off (id or role words) would sign.
        #[arg(long, value_name = "SIGNOFF")]
        statement: Option<String>,
    },
}

#[derive(Args)]
pub struct SetArgs {
    pub file: PathBuf,
    pub run: PathBuf,
    /// An item id, or words found (case-insensitively) in exactly one item's text.
    pub item: String,
    #[arg(long, group = "status")]
    pub done: bool,
    #[arg(long, group = "status", value_name = "REASON")]
    pub na: Option<String>,
    #[arg(long, group = "status", value_name = "REASON")]
    pub blocked: Option<String>,
    #[arg(long, group = "status")]
    pub todo: bool,
    #[arg(long)]
    pub note: Option<String>,
    /// A file whose text (a command's output) becomes the item's evidence.
    #[arg(long, value_name = "F")]
    pub evidence_file: Option<PathBuf>,
    /// Who: PREFLIGHT_BY, else git's user.name, else the OS user, unless given.
    #[arg(long)]
    pub by: Option<String>,
}

#[derive(Args)]
pub struct SignArgs {
    pub file: PathBuf,
    pub run: PathBuf,
    /// The sign-off's role (or id), as the checklist names it.
    #[arg(long)]
    pub role: String,
    #[arg(long)]
    pub name: String,
    /// What the signature means: approved, reviewed or rejected.
    #[arg(long, default_value = "approved")]
    pub meaning: String,
    /// The date written in the slot, YYYY-MM-DD (today, UTC, when absent).
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub by: Option<String>,
    /// Sign with this SSH private key (Ed25519 or ECDSA P-256; asks for its passphrase on a
    /// terminal, or reads PREFLIGHT_SSH_PASSPHRASE): an SSHSIG over the sign-off's statement.
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
}

/// Run a `preflight run …` command. `Err` is an exit-2 message.
pub fn run(
    command: RunCommand,
    read: &dyn Fn(&Path) -> Result<Vec<u8>, String>,
    now: &str,
) -> Result<(u8, String), String> {
    let checklist = |file: &Path| -> Result<Checklist, String> { Ok(preflight_core::parse(&read(file)?)) };
    let load = |c: &Checklist, path: &Path| -> Result<Run, String> {
        let text = preflight_core::normalize::normalize(&read(path)?).text;
        let mut run = preflight_core::import::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        run.attach(c).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(run)
    };
    match command {
        RunCommand::New { file, output, name } => {
            let c = checklist(&file)?;
            let name = name.unwrap_or_else(|| {
                format!("{} {now}", file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default())
            });
            let id = format!(
                "cli-{}",
                &preflight_core::normalize::source_sha256(&format!("{now}{name}{}", std::process::id()))[..16]
            );
            let run = Run::new(&c, &id, &name, now);
            save(&output, &run)?;
            Ok((
                0,
                format!(
                    "started run “{}” of {} in {}\n",
                    plain(&name),
                    plain(&c.title),
                    plain(&output.display().to_string())
                ),
            ))
        }
        RunCommand::Set(a) => {
            let c = checklist(&a.file)?;
            let _held = hold(&a.run)?;
            let mut run = load(&c, &a.run)?;
            let item = find_item(&c, &a.item, ItemKind::Task)?;
            let by = a.by.clone().or_else(default_by);
            let (status, reason) = match (&a.na, &a.blocked) {
                (Some(r), _) => (Status::Na, Some(r.clone())),
                (_, Some(r)) => (Status::Blocked, Some(r.clone())),
                _ if a.todo => (Status::Todo, None),
                _ if a.done => (Status::Done, None),
                _ => (run.item(&item).status, run.item(&item).reason),
            };
            run.set_status(&c, &item, status, reason, by.as_deref(), now).map_err(|e| e.to_string())?;
            if let Some(note) = a.note {
                run.set_note(&c, &item, Some(note), by.as_deref(), now).map_err(|e| e.to_string())?;
            }
            if let Some(path) = &a.evidence_file {
                let text = String::from_utf8_lossy(&read(path)?).into_owned();
                run.set_evidence(&c, &item, Some(text), by.as_deref(), now).map_err(|e| e.to_string())?;
            }
            save(&a.run, &run)?;
            let text = c.item(&item).map(|i| i.text.clone()).unwrap_or_default();
            Ok((0, format!("{}: {} — {}\n", status.as_str(), plain(&text), plain(&a.run.display().to_string()))))
        }
        RunCommand::Sign(a) => {
            let c = checklist(&a.file)?;
            let _held = hold(&a.run)?;
            let mut run = load(&c, &a.run)?;
            let id = find_item(&c, &a.role, ItemKind::SignOff)?;
            if !["approved", "reviewed", "rejected"].contains(&a.meaning.as_str()) {
                return Err(format!("--meaning is approved, reviewed or rejected, not `{}`", a.meaning));
            }
            if let Some(date) = a.date.as_deref().filter(|d| !calendar_date(d)) {
                return Err(format!("--date is a day of the calendar as YYYY-MM-DD, not `{}`", plain(date)));
            }
            let date = a.date.clone().unwrap_or_else(|| now.get(..10).unwrap_or(now).to_string());
            let by = a.by.clone().or_else(default_by);
            run.sign(&c, &id, &a.name, &date, &a.meaning, Default::default(), by.as_deref(), now)
                .map_err(|e| e.to_string())?;
            let mut how = "not cryptographically signed".to_string();
            if let Some(key) = &a.key {
                let sig = run
                    .sign_offs
                    .get_mut(&id)
                    .and_then(|s| s.signature.as_mut())
                    .ok_or("the signature was not recorded")?;
                let statement = preflight_core::statement::Statement::of(&c, &id, sig).canonical();
                let pem = crate::ssh::sign(key, &statement)?;
                let fingerprint = ssh_key::SshSig::from_pem(&pem)
                    .map(|s| s.public_key().fingerprint(ssh_key::HashAlg::Sha256).to_string())
                    .unwrap_or_default();
                how = format!("SSH signature by {fingerprint}");
                sig.ssh = Some(pem);
            }
            save(&a.run, &run)?;
            let role = c.item(&id).and_then(|i| i.sign_off.as_ref()).map(|s| s.role.clone()).unwrap_or_default();
            Ok((0, format!("{} signed as {} ({}) — {how}\n", plain(&a.name), plain(&role), a.meaning)))
        }
        RunCommand::Show { file, run: path, statement } => {
            let c = checklist(&file)?;
            let run = load(&c, &path)?;
            if let Some(which) = statement {
                let id = find_item(&c, &which, ItemKind::SignOff)?;
                return Ok((0, statement_bytes(&c, &run, &id, now)));
            }
            Ok((0, show(&c, &run)))
        }
    }
}

/// The run file held from one command's reading of it to its writing: jobs of a pipeline that
/// act on one run at once (parallel steps) take turns, where each read the same copy, and the
/// last to write dropped the others' changes. An advisory lock on `RUN.lock` beside it: the run
/// file itself is replaced on each write, so a lock on it would be left behind on the old file.
/// The lock file stays (empty); the lock goes when the command ends.
fn hold(path: &Path) -> Result<std::fs::File, String> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let lock = Path::new(&name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock)
        .map_err(|e| format!("cannot open {} to hold the run: {e}", lock.display()))?;
    file.lock().map_err(|e| format!("cannot hold {}: {e}", lock.display()))?;
    Ok(file)
}

fn save(path: &Path, run: &Run) -> Result<(), String> {
    let json = serde_json::to_string_pretty(run).map_err(|e| e.to_string())? + "\n";
    // Written beside and renamed over: a job killed mid-write leaves the old run whole.
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, json)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Who is acting: PREFLIGHT_BY, else git's `user.name`, else the OS user.
fn default_by() -> Option<String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    env("PREFLIGHT_BY")
        .or_else(|| {
            std::process::Command::new("git")
                .args(["config", "user.name"])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .filter(|s| !s.is_empty())
        })
        .or_else(|| env("USER"))
        .or_else(|| env("USERNAME"))
}

/// An item (or sign-off) by id, or by words found in exactly one item's text (or role).
fn find_item(c: &Checklist, what: &str, kind: ItemKind) -> Result<String, String> {
    if let Some(item) = c.item(what).filter(|i| i.kind == kind) {
        return Ok(item.id.clone());
    }
    let needle = what.to_lowercase();
    // Items of this kind whose text or role, lower-cased, passes `test`.
    let matching = |test: &dyn Fn(&str) -> bool| -> Vec<&preflight_core::Item> {
        c.items
            .iter()
            .chain(c.slots.iter())
            .filter(|i| i.kind == kind)
            .filter(|i| {
                test(&i.text.to_lowercase()) || i.sign_off.as_ref().is_some_and(|s| test(&s.role.to_lowercase()))
            })
            .collect()
    };
    // The whole text (or role), case aside, names one item even when other texts contain it.
    if let [one] = matching(&|t| t == needle).as_slice() {
        return Ok(one.id.clone());
    }
    let candidates = matching(&|t| t.contains(&needle));
    let noun = if kind == ItemKind::Task { "item" } else { "sign-off" };
    match candidates.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(format!("no {noun} has the id or the words `{}`", plain(what))),
        many => {
            let mut msg = format!("`{}` matches {} {noun}s; name one by id:\n", plain(what), many.len());
            for i in many.iter().take(20) {
                let line = if i.marker.end > i.marker.start { i.marker.line } else { i.span.line };
                msg.push_str(&format!("  {}  line {line}  {}\n", i.id, plain(&i.text)));
            }
            Err(msg.trim_end().to_string())
        }
    }
}

/// Whether `s` is a day that exists, written YYYY-MM-DD: a signature's date is what an audit
/// reads, so "2026-13-45" or "yesterday" is refused rather than kept as typed.
fn calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()].iter().all(u8::is_ascii_digit).then(|| s[r].parse::<u32>().ok()).flatten()
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else { return false };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The canonical statement a signature of sign-off `id` signs (RFC 8785 JSON): the checklist,
/// the run, the gate and its state, the role, the meaning, the name and the time.
pub fn statement_bytes(c: &Checklist, run: &Run, id: &str, now: &str) -> String {
    let item = c.item(id);
    let gate = item.and_then(|i| i.gate);
    let sig = run.sign_offs.get(id).and_then(|s| s.signature.as_ref());
    let statement = preflight_core::statement::Statement {
        checklist_sha256: c.source_sha256.clone(),
        gate: gate.map_or("none", |g| g.as_str()).to_string(),
        gate_state_sha256: sig
            .and_then(|s| s.gate_state_sha256.clone())
            .unwrap_or_else(|| run.gate_state_sha256(c, gate)),
        role: item.and_then(|i| i.sign_off.as_ref()).map(|s| s.role.clone()).unwrap_or_default(),
        meaning: sig.map_or("approved".to_string(), |s| s.meaning.clone()),
        name: sig.map(|s| s.name.clone()).unwrap_or_default(),
        at: sig.map_or(now.to_string(), |s| s.signed_at.clone()),
        // What a signature made now would name; a kept one names what it named when made.
        run: sig.map_or(Some(run.id.clone()), |s| s.run.clone()),
    };
    statement.canonical()
}

fn show(c: &Checklist, run: &Run) -> String {
    let card = preflight_core::score(c, run);
    let mut out = format!("{} — run “{}” ({})\n", plain(&c.title), plain(&run.name), run.id);
    for g in card.gates.iter().filter(|g| g.verdict.is_some()) {
        let verdict = g.verdict.map_or("—", |v| v.as_str());
        out.push_str(&format!(
            "  {:<12} {:<6} {:>6}  {}/{} done · sign-offs {}/{}{}\n",
            g.gate.as_str(),
            verdict.to_uppercase(),
            preflight_core::score::percent(g.score_tenths),
            g.counts.done,
            g.counts.applicable,
            g.sign_offs.signed,
            g.sign_offs.total,
            if run.passed(g.gate) { " · passed" } else { "" }
        ));
    }
    let mut recorded: Vec<_> = run.items.iter().filter(|(_, s)| s.status != Status::Todo || s.note.is_some()).collect();
    recorded.sort_by(|a, b| a.1.at.cmp(&b.1.at));
    if !recorded.is_empty() {
        out.push_str("recorded:\n");
        for (id, s) in recorded {
            let text = c.item(id).map(|i| i.text.clone()).unwrap_or_else(|| id.clone());
            let reason = s.reason.as_deref().map(|r| format!(" ({})", plain(r))).unwrap_or_default();
            let who = s.by.as_deref().map(|b| format!(" — {}", plain(b))).unwrap_or_default();
            out.push_str(&format!(
                "  {:<8} {}{reason}{who} {}\n",
                s.status.as_str(),
                plain(&text),
                s.at.as_deref().unwrap_or("")
            ));
        }
    }
    for item in c.sign_offs() {
        if let Some(sig) = run.sign_offs.get(&item.id).and_then(|s| s.signature.as_ref()) {
            let role = item.sign_off.as_ref().map(|s| s.role.clone()).unwrap_or_default();
            let stale = if card.is_stale(&item.id) { " · STALE" } else { "" };
            out.push_str(&format!(
                "signed: {} — {} ({}) {}{stale}\n",
                plain(&role),
                plain(&sig.name),
                plain(&sig.meaning),
                sig.signed_at
            ));
        }
    }
    for e in &run.timeline {
        out.push_str(&format!(
            "{} {}{}{}\n",
            e.at,
            e.event,
            e.gate.map(|g| format!(" {}", g.as_str())).unwrap_or_default(),
            e.by.as_deref().map(|b| format!(" by {}", plain(b))).unwrap_or_default()
        ));
    }
    out
}
