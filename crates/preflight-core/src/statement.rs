//! What a sign-off's signature signs: a statement naming the checklist, the run, the gate and the
//! state of that gate, the role, the meaning, the signer's name and the time, as RFC 8785 canonical
//! JSON (keys sorted, no whitespace, ECMAScript string escapes). The same bytes are signed by the
//! CLI with an SSH key and by the browser with WebCrypto, and `preflight run show --statement`
//! prints them, so anyone can check a signature with `ssh-keygen -Y verify -n preflight`.

use serde::{Deserialize, Serialize};

/// The statement's schema: `/2` names the run signed in; `/1`, without it, is what signatures
/// made before then signed, and is still what they are checked against.
pub const STATEMENT_SCHEMA: &str = "preflight.signoff/2";
const STATEMENT_SCHEMA_V1: &str = "preflight.signoff/1";
/// The SSHSIG namespace of every Preflight signature.
pub const SSH_NAMESPACE: &str = "preflight";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    pub checklist_sha256: String,
    pub gate: String,
    pub gate_state_sha256: String,
    pub role: String,
    /// approved, reviewed or rejected.
    pub meaning: String,
    pub name: String,
    pub at: String,
    /// The run signed in (`/2`); `None` for a signature that did not name it (`/1`).
    pub run: Option<String>,
}

impl Statement {
    /// The statement a signature of sign-off `id` vouches for, from the signature's own record
    /// (name, meaning, time, gate state) and the checklist (its hash, the slot's role and gate).
    pub fn of(c: &crate::model::Checklist, id: &str, sig: &crate::run::Signature) -> Statement {
        let item = c.item(id);
        Statement {
            checklist_sha256: c.source_sha256.clone(),
            gate: item.and_then(|i| i.gate).map_or("none", |g| g.as_str()).to_string(),
            gate_state_sha256: sig.gate_state_sha256.clone().unwrap_or_else(|| sig.progress_sha256.clone()),
            role: item.and_then(|i| i.sign_off.as_ref()).map(|s| s.role.clone()).unwrap_or_default(),
            meaning: sig.meaning.clone(),
            name: sig.name.clone(),
            at: sig.signed_at.clone(),
            run: sig.run.clone(),
        }
    }

    /// RFC 8785: members sorted by key (all keys here are ASCII, so UTF-16 order is byte
    /// order), no insignificant whitespace, strings escaped as JSON.stringify does.
    pub fn canonical(&self) -> String {
        let schema = if self.run.is_some() { STATEMENT_SCHEMA } else { STATEMENT_SCHEMA_V1 };
        let fields = [
            ("at", Some(&self.at)),
            ("checklistSha256", Some(&self.checklist_sha256)),
            ("gate", Some(&self.gate)),
            ("gateStateSha256", Some(&self.gate_state_sha256)),
            ("meaning", Some(&self.meaning)),
            ("name", Some(&self.name)),
            ("role", Some(&self.role)),
            ("run", self.run.as_ref()),
            ("schema", Some(&schema.to_string())),
        ];
        let mut out = String::from("{");
        for (i, (k, v)) in fields.iter().filter_map(|(k, v)| Some((k, (*v)?))).enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(k).unwrap_or_default());
            out.push(':');
            out.push_str(&serde_json::to_string(v).unwrap_or_default());
        }
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_is_canonical_json() {
        let s = Statement {
            checklist_sha256: "ab".into(),
            gate: "before".into(),
            gate_state_sha256: "cd".into(),
            role: "Tech Lead".into(),
            meaning: "approved".into(),
            name: "Zoë \"Z\" Ng\u{1}".into(),
            at: "2026-12-01T10:00:00Z".into(),
            run: None,
        };
        assert_eq!(
            s.canonical(),
            "{\"at\":\"2026-12-01T10:00:00Z\",\"checklistSha256\":\"ab\",\"gate\":\"before\",\"gateStateSha256\":\"cd\",\"meaning\":\"approved\",\"name\":\"Zoë \\\"Z\\\" Ng\\u0001\",\"role\":\"Tech Lead\",\"schema\":\"preflight.signoff/1\"}"
        );
        // Keys in the order JSON.parse + sort would give: the canonical form parses back.
        let v: serde_json::Value = serde_json::from_str(&s.canonical()).unwrap();
        assert_eq!(v["name"], "Zoë \"Z\" Ng\u{1}");
        // Naming the run makes it the second version, the run's key in its sorted place.
        let named = Statement { run: Some("r-1".into()), ..s }.canonical();
        assert!(
            named.ends_with(",\"role\":\"Tech Lead\",\"run\":\"r-1\",\"schema\":\"preflight.signoff/2\"}"),
            "{named}"
        );
    }
}
