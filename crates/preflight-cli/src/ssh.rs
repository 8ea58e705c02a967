//! SSH signatures of sign-offs: SSHSIG (what `ssh-keygen -Y sign` and git make), namespace
//! `preflight`, over the sign-off's canonical `preflight.signoff/2` statement. Signing takes the
//! person's own Ed25519 or ECDSA P-256 key; checking takes git's `allowed_signers` file, whose
//! entry for the key that made a signature names its principal (the typed name is only shown).

use std::collections::BTreeMap;
use std::path::Path;

use preflight_core::model::{Checklist, Gate};
use preflight_core::statement::{Statement, SSH_NAMESPACE};
use preflight_core::Run;
use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use crate::short_scalar;

/// Sign `statement` with the private key at `path` (asking for its passphrase if it has one).
pub fn sign(path: &Path, statement: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the key {}: {e}", path.display()))?;
    let mut key = match PrivateKey::from_openssh(&text) {
        Ok(key) => key,
        Err(e) => short_scalar::plain(&text)
            .ok_or_else(|| format!("{} is not an OpenSSH private key: {e}", path.display()))?,
    };
    if key.is_encrypted() {
        let passphrase = passphrase(path)?;
        key = key
            .decrypt(passphrase.as_bytes())
            .ok()
            .or_else(|| short_scalar::decrypt(&key, passphrase.as_bytes()))
            .ok_or_else(|| format!("wrong passphrase for {}", path.display()))?;
    }
    let sig = key
        .sign(SSH_NAMESPACE, HashAlg::Sha512, statement.as_bytes())
        .map_err(|e| format!("cannot sign with {}: {e}", path.display()))?;
    sig.to_pem(LineEnding::LF).map_err(|e| e.to_string())
}

/// `PREFLIGHT_SSH_PASSPHRASE`, else asked on the terminal without echo.
fn passphrase(path: &Path) -> Result<String, String> {
    if let Ok(p) = std::env::var("PREFLIGHT_SSH_PASSPHRASE") {
        return Ok(p);
    }
    use std::io::{BufRead, Write};
    let mut tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty").map_err(|_| {
        format!("{} has a passphrase: set PREFLIGHT_SSH_PASSPHRASE or run on a terminal", path.display())
    })?;
    let echo = |on: bool| {
        let _ = std::process::Command::new("stty")
            .arg(if on { "echo" } else { "-echo" })
            .stdin(std::fs::File::open("/dev/tty").map_or(std::process::Stdio::null(), std::process::Stdio::from))
            .status();
    };
    let _ = write!(tty, "Passphrase for {}: ", path.display());
    echo(false);
    let mut line = String::new();
    let read = std::io::BufReader::new(&tty).read_line(&mut line);
    echo(true);
    let _ = writeln!(tty);
    read.map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// One line of an `allowed_signers` file: its principals and key.
pub struct AllowedSigner {
    pub principals: Vec<String>,
    pub key: PublicKey,
}

/// Read git's `allowed_signers`: `principal[,principal…] [options] keytype base64 [comment]`.
/// A line restricted to other namespaces (`namespaces="git"`) does not vouch for Preflight.
pub fn allowed_signers(text: &str) -> Result<Vec<AllowedSigner>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let principals: Vec<String> = fields.next().unwrap_or("").split(',').map(str::to_string).collect();
        let mut rest: Vec<&str> = fields.collect();
        if rest.first().is_some_and(|f| !f.starts_with("ssh-") && !f.starts_with("ecdsa-")) {
            let options = rest.remove(0);
            if let Some(ns) = options.split(',').find_map(|o| o.strip_prefix("namespaces=")) {
                if !ns.trim_matches('"').split(',').any(|n| n == SSH_NAMESPACE) {
                    continue;
                }
            }
        }
        let key =
            PublicKey::from_openssh(&rest.join(" ")).map_err(|e| format!("allowed signers line {}: {e}", n + 1))?;
        out.push(AllowedSigner { principals, key });
    }
    Ok(out)
}

/// A signature as checked: whose (the allowed-signers principal) and whether it holds.
#[derive(Debug, Clone)]
pub struct Checked {
    pub id: String,
    pub role: String,
    pub gate: Option<Gate>,
    pub name: String,
    /// The principal whose key made it, when the key is allowed.
    pub principal: Option<String>,
    pub problem: Option<String>,
    pub stale: bool,
}

/// Check every SSH signature of `run` against `allowed`.
pub fn check(c: &Checklist, run: &Run, allowed: &[AllowedSigner]) -> Vec<Checked> {
    let card = preflight_core::score::score_gate_summary(c, run, None);
    let mut out = Vec::new();
    for item in c.sign_offs() {
        let Some(sig) = run.sign_offs.get(&item.id).and_then(|s| s.signature.as_ref()) else { continue };
        let role = item.sign_off.as_ref().map(|s| s.role.clone()).unwrap_or_default();
        let mut checked = Checked {
            id: item.id.clone(),
            role,
            gate: item.gate,
            name: sig.name.clone(),
            principal: None,
            problem: None,
            stale: card.is_stale(&item.id),
        };
        match &sig.ssh {
            None => checked.problem = Some("not cryptographically signed".into()),
            Some(pem) => match SshSig::from_pem(pem) {
                Err(e) => checked.problem = Some(format!("the signature cannot be read: {e}")),
                Ok(ssh) => {
                    let statement = Statement::of(c, &item.id, sig).canonical();
                    let signer = allowed.iter().find(|a| a.key.key_data() == ssh.public_key());
                    match signer {
                        None => checked.problem = Some("made by a key that is not in the allowed signers".into()),
                        Some(a) => match a.key.verify(SSH_NAMESPACE, statement.as_bytes(), &ssh) {
                            // Valid, but for the run its statement names: copied here, it
                            // vouches for nothing in this one.
                            Ok(()) if sig.run.as_deref().is_some_and(|r| r != run.id) => {
                                checked.problem = Some("made in another run, not in this one".into())
                            }
                            Ok(()) => checked.principal = a.principals.first().cloned(),
                            Err(_) => {
                                checked.problem = Some(
                                    "invalid: it does not sign this checklist, run, gate, role, name and time".into(),
                                )
                            }
                        },
                    }
                }
            },
        }
        out.push(checked);
    }
    out
}

/// `--require ROLE[=PRINCIPAL,…]` and `--separation-of-duties`: what the signatures fail.
pub fn policy(c: &Checklist, run: &Run, checked: &[Checked], require: &[String], separation: bool) -> Vec<String> {
    let mut failures = Vec::new();
    for rule in require {
        let (role, who) = match rule.split_once('=') {
            Some((r, p)) => (r.trim(), p.split(',').map(|s| s.trim().to_string()).collect::<Vec<_>>()),
            None => (rule.trim(), Vec::new()),
        };
        let ok = checked.iter().any(|k| {
            k.role.eq_ignore_ascii_case(role)
                && k.problem.is_none()
                && (who.is_empty() || k.principal.as_ref().is_some_and(|p| who.contains(p)))
        });
        if !ok {
            let by = if who.is_empty() { String::new() } else { format!(" by {}", who.join(" or ")) };
            failures.push(format!("role `{role}` has no valid signature{by}"));
        }
    }
    if separation {
        let mut doers: BTreeMap<Option<Gate>, Vec<String>> = BTreeMap::new();
        for item in c.tasks() {
            if let Some(by) = run.items.get(&item.id).and_then(|s| s.by.clone()) {
                doers.entry(item.gate).or_default().push(by);
            }
        }
        for k in checked.iter().filter(|k| k.problem.is_none()) {
            let did =
                doers.get(&k.gate).into_iter().flatten().any(|by| Some(by) == k.principal.as_ref() || *by == k.name);
            if did {
                failures.push(format!(
                    "separation of duties: {} did work of the {} gate and approves it as {}",
                    k.principal.as_deref().unwrap_or(&k.name),
                    k.gate.map_or("none", |g| g.as_str()),
                    k.role
                ));
            }
        }
    }
    for k in checked.iter().filter(|k| k.problem.as_deref().is_some_and(|p| p != "not cryptographically signed")) {
        failures.push(format!("{} ({}): {}", k.role, k.name, k.problem.as_deref().unwrap_or("")));
    }
    failures
}
