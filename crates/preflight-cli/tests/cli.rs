//! The `preflight` command as a pipeline uses it: files in, JSON or text out, exit codes 0/1/2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use preflight_core::export::markdown;
use preflight_core::{parse, Run, Status};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn seed(prefix: &str) -> PathBuf {
    let dir = fixtures().join("seeds");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

fn preflight(args: &[&str]) -> Output {
    preflight_with(args, &[])
}

/// The binary with a clean colour environment plus `env`.
fn preflight_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_preflight"));
    command.args(args).env("PREFLIGHT_NOW", "2026-11-22T12:00:00Z");
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied()).output().expect("binary runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn score_json_is_the_documented_contract() {
    let out = preflight(&["score", s(&seed("004")), "--json"]);
    assert_eq!(out.status.code(), Some(1), "an untouched checklist is NO-GO");
    let v = json(&out);
    assert_eq!(v["title"], "Production Deployment Checklist");
    assert_eq!(v["source_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["items"]["total"], 75);
    assert_eq!(v["items"]["done"], 0);
    for key in ["na", "blocked", "open"] {
        assert!(v["items"][key].is_u64(), "{key}");
    }
    // `preflight.score/2`: the figures answer for the before gate; every gate has its card.
    assert_eq!(v["schema"], "preflight.score/2");
    assert_eq!(v["gate"], "before");
    let gates: Vec<&str> = v["gates"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
    assert_eq!(gates, ["before", "during", "after", "contingency"]);
    let before = &v["gates"][0];
    assert_eq!(before["items"]["total"], 75);
    assert_eq!(before["verdict"], "no-go");
    assert!(before["sections"].as_array().unwrap().len() > 10);
    assert_eq!(v["gates"][3]["verdict"], Value::Null, "no contingency items: no verdict");
    // Three go-live approvals; the deployment records belong to later gates.
    assert_eq!(v["signoffs"]["total"], 3);
    assert_eq!(v["signoffs"]["signed"], 0);
    let all = json(&preflight(&["score", s(&seed("004")), "--json", "--gate", "all"]));
    assert_eq!(all["gate"], "all");
    assert_eq!(all["signoffs"]["total"], 8);
    assert_eq!(v["declared_total"], 75);
    let mins: Vec<u64> = v["bands"].as_array().unwrap().iter().map(|b| b["min"].as_u64().unwrap()).collect();
    assert_eq!(mins, [90, 80, 70, 0]);
    assert_eq!(v["band"]["min"], 0);
    assert_eq!(v["score"], 0.0);
    assert_eq!(v["verdict"], "no-go");
    assert!(v["reasons"].as_array().unwrap().iter().any(|r| r["code"] == "below-threshold"));
    assert!(v["sections"].as_array().unwrap().len() > 10);
    let no_rubric = json(&preflight(&["score", s(&seed("001")), "--json"]));
    assert_eq!(no_rubric["declared_total"], Value::Null);
    assert_eq!(no_rubric["bands_source"], "default");
}

#[test]
fn a_finished_run_from_a_filled_markdown_report_is_go_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("CHECKLIST.md");
    std::fs::write(&template, preflight_core::sample::SAMPLE_MARKDOWN).unwrap();
    let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
    let mut run = Run::new(&c, "r1", "v2.4.0 to production", "2026-11-22T00:00:00Z");
    for item in c.tasks() {
        run.set_status(&c, &item.id, Status::Done, None, Some("ci"), "2026-11-22T01:00:00Z").unwrap();
    }
    for item in c.sign_offs() {
        run.sign(
            &c,
            &item.id,
            "Dana Whitfield",
            "2026-11-22",
            "approved",
            Default::default(),
            None,
            "2026-11-22T02:00:00Z",
        )
        .unwrap();
    }
    let filled = dir.path().join("FILLED.md");
    std::fs::write(&filled, markdown::export(&c, &run, "2026-11-22T03:00:00Z")).unwrap();
    let out = preflight(&["score", s(&template), "--state", s(&filled), "--json"]);
    let v = json(&out);
    assert_eq!(v["verdict"], "go", "{v:#}");
    assert_eq!(v["score"], 100.0);
    assert_eq!(v["signoffs"]["signed"], 3);
    assert_eq!(out.status.code(), Some(0));
    // The same run as JSON scores the same.
    let run_json = dir.path().join("run.json");
    std::fs::write(&run_json, run.canonical_json()).unwrap();
    assert_eq!(preflight(&["score", s(&template), "--state", s(&run_json)]).status.code(), Some(0));
}

#[test]
fn lint_reports_mojibake_with_the_repair_and_exits_0_on_warnings() {
    let out = preflight(&["lint", s(&seed("004")), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let first = &v["diagnostics"][0];
    assert_eq!(first["code"], "mojibake");
    assert_eq!(first["line"], 10);
    assert_eq!(first["column"], 4);
    assert_eq!(first["repair"], "## 📋 Pre-Deployment Requirements");
    assert!(first["message"].as_str().unwrap().contains("📋"));
}

#[test]
fn lint_text_points_at_file_line_and_column_with_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.md");
    std::fs::write(&f, "# T\n\nScore: done / 3 total items\n\n- [ ] a\n- [ ] a\n").unwrap();
    let out = preflight(&["lint", s(&f)]);
    assert_eq!(out.status.code(), Some(1), "declared total ≠ count is an error");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("{}:3:", s(&f))), "{text}");
    assert!(text.contains("error[declared-total-mismatch]"), "{text}");
    assert!(text.contains("warning[duplicate-item]"), "{text}");
    assert!(text.contains("6 | - [ ] a\n  |   ^"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn lint_text_shows_a_long_line_only_around_each_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.md");
    // 2,000 placeholders on one 14 KB line: 2,000 diagnostics, each quoting the line.
    std::fs::write(&f, format!("- [ ] task\n\nOwner: {}\n", "[Name] ".repeat(2_000))).unwrap();
    let out = preflight(&["lint", s(&f)]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("warning[placeholder]").count(), 2_000);
    assert!(text.len() < 2_000 * 400, "{} bytes: the whole line once per diagnostic", text.len());
    // The 1,500th: shown from an ellipsis, the caret under its `[`.
    let at = text.match_indices(&format!("{}:3:", s(&f))).nth(1_499).map(|(i, _)| i).unwrap();
    let block: Vec<&str> = text[at..].lines().take(4).collect();
    assert!(block[2].starts_with("3 | …"), "{block:?}");
    let caret = block[3].chars().position(|c| c == '^').unwrap();
    assert_eq!(block[2].chars().nth(caret), Some('['), "{block:?}");
}

#[test]
fn invalid_utf8_is_a_lint_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.md");
    std::fs::write(&f, b"# T\n- [ ] ok\n- [ ] caf\xe9\n").unwrap();
    let out = preflight(&["lint", s(&f), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["diagnostics"][0]["code"], "invalid-utf8");
    assert_eq!(v["diagnostics"][0]["line"], 3);
}

#[test]
fn unreadable_input_exits_2() {
    let out = preflight(&["score", "/nonexistent/CHECKLIST.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/CHECKLIST.md"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("run.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let out = preflight(&["score", s(&seed("000")), "--state", s(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at line 1 column 3"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A run of another checklist is refused, not silently mis-scored.
    let other = dir.path().join("other.json");
    let c = parse(b"- [ ] x\n");
    std::fs::write(&other, Run::new(&c, "r", "r", "t").canonical_json()).unwrap();
    assert_eq!(preflight(&["score", s(&seed("000")), "--state", s(&other)]).status.code(), Some(2));
}

/// What Windows PowerShell 5's `>` writes: UTF-16LE with a byte-order mark, CRLF line ends.
fn as_powershell_wrote_it(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        out.extend(unit.to_le_bytes());
    }
    out
}

#[test]
fn files_saved_as_utf16_read_like_their_utf8_originals() {
    let dir = tempfile::tempdir().unwrap();
    let f = seed("004");
    let utf16 = dir.path().join("CHECKLIST.md");
    std::fs::write(&utf16, as_powershell_wrote_it(&std::fs::read_to_string(&f).unwrap())).unwrap();
    let (a, b) = (preflight(&["score", s(&f), "--json"]), preflight(&["score", s(&utf16), "--json"]));
    assert_eq!(json(&a), json(&b), "same model, same source hash");
    let lint = json(&preflight(&["lint", s(&utf16), "--json"]));
    assert_eq!(lint["diagnostics"][0]["code"], "utf-16");
    assert_eq!(lint["diagnostics"][0]["severity"], "info");

    // State and reports written through PowerShell too.
    let c = parse(&std::fs::read(&f).unwrap());
    let mut run = Run::new(&c, "r1", "win", "2026-11-22T00:00:00Z");
    for item in c.tasks() {
        run.set_status(&c, &item.id, Status::Done, None, Some("ci"), "2026-11-22T01:00:00Z").unwrap();
    }
    let run_json = dir.path().join("run.json");
    std::fs::write(&run_json, as_powershell_wrote_it(&run.canonical_json())).unwrap();
    let filled = dir.path().join("FILLED.md");
    std::fs::write(&filled, as_powershell_wrote_it(&markdown::export(&c, &run, "2026-11-22T03:00:00Z"))).unwrap();
    let from_json = json(&preflight(&["score", s(&utf16), "--state", s(&run_json), "--json"]));
    let from_md = json(&preflight(&["score", s(&utf16), "--state", s(&filled), "--json"]));
    assert_eq!(from_json["items"]["done"], 75);
    assert_eq!(from_md["items"]["done"], 75);
    for (format, name) in [("json", "r.json"), ("md", "r.md")] {
        let out = preflight(&["report", s(&f), "--state", s(&run_json), "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{format}");
        let report = dir.path().join(name);
        std::fs::write(&report, as_powershell_wrote_it(&String::from_utf8(out.stdout).unwrap())).unwrap();
        let verified = preflight(&["verify", s(&report), s(&utf16)]);
        assert_eq!(verified.status.code(), Some(0), "{format}: {}", String::from_utf8_lossy(&verified.stdout));
    }
}

#[test]
fn reports_verify_and_tampering_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let f = seed("003");
    for (format, name) in [("json", "r.json"), ("md", "r.md"), ("html", "r.html")] {
        let out_path = dir.path().join(name);
        let out = preflight(&["report", s(&f), "--format", format, "-o", s(&out_path)]);
        assert_eq!(out.status.code(), Some(0), "{format}");
        let text = std::fs::read_to_string(&out_path).unwrap();
        let c = parse(&std::fs::read(&f).unwrap());
        assert!(text.contains(&c.source_sha256), "{format} carries the source hash");
        // A report written as it is made still says when it cannot be written at all.
        let nowhere = dir.path().join("missing").join(name);
        let out = preflight(&["report", s(&f), "--format", format, "-o", s(&nowhere)]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"), "{format}");
    }
    let report = dir.path().join("r.json");
    assert_eq!(preflight(&["verify", s(&report), s(&f)]).status.code(), Some(0));
    assert_eq!(preflight(&["verify", s(&dir.path().join("r.md")), s(&f)]).status.code(), Some(0));
    // Someone marks an item done in the report's run without re-signing it.
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let first = v["items"][0]["id"].as_str().unwrap().to_string();
    v["run"]["items"][&first] = serde_json::json!({ "status": "done" });
    let tampered = dir.path().join("t.json");
    std::fs::write(&tampered, serde_json::to_string(&v).unwrap()).unwrap();
    let out = preflight(&["verify", s(&tampered), s(&f), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["ok"], false);
    // Verifying against a different checklist fails too.
    assert_eq!(preflight(&["verify", s(&report), s(&seed("000"))]).status.code(), Some(1));
}

#[test]
fn standard_input_and_the_sample() {
    let sample = preflight(&["sample"]);
    assert_eq!(sample.status.code(), Some(0));
    let mut child = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["score", "-", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&sample.stdout).unwrap();
    let out = child.wait_with_output().unwrap();
    let v = json(&out);
    assert_eq!(v["title"], "Checkout Service — Production Deployment Checklist");
    assert_eq!(v["signoffs"]["total"], 3);
}

/// A checklist whose title, headings, items and sign-off roles try to drive the terminal: clear
/// the screen, retitle the window, link, paint a green GO, reorder text with bidi overrides.
const SPOOF: &str = "# \x1b[2J\x1b]0;pwned\x07\x1b[32m GO \u{9b}31m\u{202e}txet\u{2066}\n\n\
## Build \x1b[1;32mGREEN\x1b[0m \u{85}next \u{202d}\n\n\
- [ ] Tag \x1b]8;;https://evil.invalid\x07the release\x1b]8;;\x07 \u{202e}\n\
- [ ] Owner: [Name] \x1b[31m\u{9b}2J \u{7f}\t\u{2069}\n\
- [ ] Owner: [Name] \x1b[31m\u{9b}2J \u{7f}\t\u{2069}\n\n\
## Sign-off\n\n\
- [ ] Release \x1b]0;owned\x07Manager \u{9b}2J\u{2067}: ____ Date: ____\n";

/// `text` without the SGR sequences (`ESC [ digits ; … m`) our own styles are made of.
fn without_our_styles(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let params = after.find(|c: char| !c.is_ascii_digit() && c != ';').unwrap_or(after.len());
        if after[params..].starts_with('m') {
            rest = &after[params + 1..];
        } else {
            out.push_str("\x1b[");
            rest = after;
        }
    }
    out + rest
}

/// No byte or character that a terminal acts on: no ESC, BEL or other C0 control but the line
/// end, no DEL, no C1 control (U+009B is a one-byte CSI), no bidi embedding/override/isolate.
fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    let text = without_our_styles(&text);
    for forbidden in [0x1b, 0x07, 0x9b] {
        assert!(!text.as_bytes().contains(&forbidden), "{what}: byte {forbidden:#x} in\n{text}");
    }
    for (at, c) in text.char_indices() {
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        let acts = bidi || (c.is_control() && c != '\n');
        assert!(!acts, "{what}: {c:?} at byte {at} in\n{text}");
    }
}

#[test]
fn document_text_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c\x1b[2J.md");
    std::fs::write(&f, SPOOF).unwrap();
    let c = parse(SPOOF.as_bytes());
    let state = dir.path().join("run.json");
    let mut run = Run::new(&c, "r", "\x1b[32m GO \x1b]0;x\x07\u{202e}", "2026-11-22T00:00:00Z");
    run.set_status(&c, &c.tasks().next().unwrap().id, Status::Done, None, Some("\x1b[2J"), "2026-11-22T01:00:00Z")
        .unwrap();
    std::fs::write(&state, run.canonical_json()).unwrap();
    let missing = dir.path().join("missing\x1b]0;x\x07.md");
    let commands: [&[&str]; 5] = [
        &["score", s(&f)],
        &["score", s(&f), "--state", s(&state), "--gate", "all"],
        &["lint", s(&f)],
        &["explain", s(&f)],
        &["score", s(&missing)],
    ];
    // Piped (anstream strips styles), and forced colour (styles kept, so only plain() stands
    // between the document and the terminal).
    for env in [&[][..], &[("CLICOLOR_FORCE", "1")][..]] {
        for args in commands {
            let out = preflight_with(args, env);
            let what = format!("{} {env:?}", args[0]);
            assert_inert(&format!("{what} stdout"), &out.stdout);
            assert_inert(&format!("{what} stderr"), &out.stderr);
        }
    }
    let score = String::from_utf8(preflight(&["score", s(&f)]).stdout).unwrap();
    assert!(score.starts_with("\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{1b}[32m GO \\u{9b}31m\\u{202e}txet"), "{score}");
    let lint = String::from_utf8(preflight(&["lint", s(&f)]).stdout).unwrap();
    assert!(lint.contains("warning[placeholder]"), "{lint}");
    assert!(lint.contains("6 | - [ ] Owner: [Name] \\u{1b}[31m\\u{9b}2J \\u{7f} \\u{2069}"), "{lint}");
    let explain = String::from_utf8(preflight(&["explain", s(&f)]).stdout).unwrap();
    assert!(explain.contains("Release \\u{1b}]0;owned\\u{7}Manager"), "{explain}");
}

#[test]
fn section_counts_line_up_for_ascii_cjk_and_emoji_titles() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.md");
    let titles = [
        "ASCII tasks",
        "確認セクション",
        "🚀📋 Emoji tasks ✅",
        "本番環境デプロイ前の最終確認チェックリスト項目の一覧と詳細な説明",
    ];
    let body: String = titles.iter().map(|t| format!("## {t}\n\n- [ ] one\n\n")).collect();
    std::fs::write(&f, format!("# Widths\n\n{body}")).unwrap();
    let text = String::from_utf8(preflight(&["score", s(&f)]).stdout).unwrap();
    let columns: Vec<usize> = titles
        .iter()
        .map(|t| {
            let start: String = t.chars().take(4).collect();
            let line = text.lines().find(|l| l.contains(&start)).unwrap_or_else(|| panic!("{t}: {text}"));
            unicode_width::UnicodeWidthStr::width(&line[..line.find("0/1").unwrap()])
        })
        .collect();
    assert!(columns.iter().all(|&c| c == columns[0]), "counts start at columns {columns:?}:\n{text}");
}

#[test]
fn colour_only_when_wanted() {
    let f = seed("003");
    let forced = preflight_with(&["score", s(&f)], &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.stdout.contains(&0x1b), "CLICOLOR_FORCE keeps the styles");
    for (what, env) in [("piped", &[][..]), ("NO_COLOR", &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")][..])] {
        for command in ["score", "lint", "explain"] {
            let out = preflight_with(&[command, s(&f)], env);
            assert!(!out.stdout.is_empty(), "{what} {command}");
            assert!(!out.stdout.contains(&0x1b), "{what} {command}: {}", String::from_utf8_lossy(&out.stdout));
        }
    }
}

#[test]
fn inputs_over_the_limit_exit_2_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.md");
    let head = "# T\n\n- [ ] a\n";
    std::fs::write(&f, format!("{head}{}", "x".repeat(1001 - head.len()))).unwrap();
    assert_eq!(std::fs::metadata(&f).unwrap().len(), 1001);
    for args in [
        &["score", s(&f), "--max-bytes", "1000"][..],
        &["--max-bytes", "1000", "lint", s(&f)],
        &["explain", s(&f), "--max-bytes", "1000"],
        &["fix", "--tables", s(&f), "--max-bytes", "1000"],
        &["report", s(&f), "--max-bytes", "1000"],
    ] {
        let out = preflight(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&format!("{} is 1001 bytes", s(&f))), "{args:?}: {err}");
        assert!(err.contains("input limit of 1000 bytes") && err.contains("--max-bytes"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(preflight(&["score", s(&f), "--max-bytes", "1001"]).status.code(), Some(1), "at the limit it reads");
    assert_eq!(preflight(&["score", s(&f), "--max-bytes", "1K"]).status.code(), Some(1), "1K is 1024 bytes");
    assert_eq!(
        preflight(&["score", s(&f), "--max-bytes", "lots"]).status.code(),
        Some(2),
        "a bad limit is a usage error"
    );
    // A state and a report are bounded too.
    let small = dir.path().join("small.md");
    std::fs::write(&small, "- [ ] a\n").unwrap();
    let out = preflight(&["score", s(&small), "--state", s(&f), "--max-bytes", "1000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("big.md is 1001 bytes"));
    let out = preflight(&["verify", s(&f), "--max-bytes", "1000"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_endless_file_stops_at_the_limit() {
    let out = preflight(&["score", "/dev/zero"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("/dev/zero holds more than the input limit of 67108864 bytes"), "{err}");
    assert!(err.contains("--max-bytes"), "{err}");
}

#[test]
fn standard_input_over_the_limit_exits_2() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["score", "-", "--max-bytes", "4K"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // More than the limit, in a thread: the reader stops early and the pipe may break.
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let chunk = "- [ ] task\n".repeat(100);
        for _ in 0..1_000 {
            if stdin.write_all(chunk.as_bytes()).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("standard input holds more than the input limit of 4096 bytes"), "{err}");
}

#[test]
fn a_state_naming_ids_the_checklist_lacks_is_warned_about_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("CHECKLIST.md");
    std::fs::write(&template, preflight_core::sample::SAMPLE_MARKDOWN).unwrap();
    let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
    let mut run = Run::new(&c, "r1", "planted", "2026-11-22T00:00:00Z");
    let first = c.tasks().next().unwrap().id.clone();
    run.set_status(&c, &first, Status::Done, None, Some("ci"), "2026-11-22T01:00:00Z").unwrap();
    let clean = run.clone();
    let mut v: Value = serde_json::from_str(&run.canonical_json()).unwrap();
    for i in 0..12 {
        v["items"][format!("ghost-{i:02}")] = serde_json::json!({ "status": "done", "by": "x" });
    }
    v["items"][c.sign_offs().next().unwrap().id.as_str()] = serde_json::json!({ "status": "done" });
    v["fields"]["ghost-field"] = serde_json::json!({ "value": "v2.4.0" });
    v["signOffs"]["ghost-signoff"] = serde_json::json!({ "signature": null, "by": "x", "at": "t" });
    v["sections"]["ghost-section"] = serde_json::json!({ "on": true });
    let state = dir.path().join("run.json");
    std::fs::write(&state, v.to_string()).unwrap();

    let out = preflight(&["score", s(&template), "--state", s(&state), "--json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("warning: {} names 16 ids this checklist does not have", s(&state))), "{err}");
    assert!(err.contains("task `ghost-00`") && err.contains("+6 more"), "{err}");
    assert!(!err.contains("ghost-10"), "ten named, the rest counted: {err}");
    let scored = json(&out);
    assert_eq!(scored["items"]["done"], 1);
    assert_eq!(scored["state_sha256"], clean.state_sha256(), "the unknown entries are not in the scored run");
    // A state with only known ids says nothing.
    std::fs::write(&state, clean.canonical_json()).unwrap();
    let out = preflight(&["score", s(&template), "--state", s(&state)]);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    // The report of a run leaves them out too.
    std::fs::write(&state, v.to_string()).unwrap();
    let report = preflight(&["report", s(&template), "--state", s(&state), "--format", "json"]);
    assert_eq!(report.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&report.stdout).contains("ghost"));
}

/// A Markdown report filled in by hand — every box ticked, names and dates written on the
/// sign-off lines — reads back as signed now, not stale: a complete one is GO.
#[test]
fn a_report_filled_in_by_hand_is_go() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("CHECKLIST.md");
    std::fs::write(&template, preflight_core::sample::SAMPLE_MARKDOWN).unwrap();
    let report = preflight(&["report", s(&template), "--format", "md"]);
    assert_eq!(report.status.code(), Some(0));
    let text = String::from_utf8(report.stdout).unwrap();
    let mut filled = String::new();
    for line in text.split_inclusive('\n') {
        let line = line.replace("- [ ]", "- [x]");
        let line = if line.contains("Date: ___") {
            // `- [x] Tech Lead: ______ Date: ______` → a name and a date, by hand.
            let role = line.split(':').next().unwrap().to_string();
            format!("{role}: Jane Roe Date: 2026-11-22\n")
        } else {
            line
        };
        filled.push_str(&line);
    }
    let state = dir.path().join("filled.md");
    std::fs::write(&state, &filled).unwrap();
    let out = preflight(&["score", s(&template), "--state", s(&state), "--json"]);
    let v = json(&out);
    assert_eq!(v["signoffs"]["signed"], 3, "{v}");
    assert_eq!(v["signoffs"]["stale"], 0, "{v}");
    assert_eq!(v["verdict"], "go", "{}", v["reasons"]);
    assert_eq!(out.status.code(), Some(0));
}

/// Parallel steps of a pipeline recording their checks in one run at once: every one is kept
/// (each command holds the run from reading to writing it).
#[test]
fn parallel_jobs_on_one_run_keep_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("CHECKLIST.md");
    let steps: Vec<String> = (0..24).map(|i| format!("- [ ] Check unit-{i:02}")).collect();
    std::fs::write(&file, format!("# Parallel\n\n## Checks\n\n{}\n", steps.join("\n"))).unwrap();
    let run = dir.path().join("run.json");
    assert_eq!(preflight(&["run", "new", s(&file), "-o", s(&run)]).status.code(), Some(0));
    let jobs: Vec<_> = (0..24)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_preflight"))
                .args(["run", "set", s(&file), s(&run), &format!("unit-{i:02}"), "--done"])
                .env("PREFLIGHT_BY", "ci-bot")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for job in jobs {
        let out = job.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&run).unwrap()).unwrap();
    let done = stored["items"].as_object().unwrap().values().filter(|i| i["status"] == "done").count();
    assert_eq!(done, 24);
}

/// A pipeline drives a run: start it, record a check with its output as evidence, sign, show,
/// and gate on it. Words that match several items are refused with the list.
#[test]
fn a_pipeline_drives_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("CHECKLIST.md");
    std::fs::write(&file, preflight_core::sample::SAMPLE_MARKDOWN).unwrap();
    let run = dir.path().join("run.json");
    let out = preflight(&["run", "new", s(&file), "-o", s(&run), "--name", "v2.4.0"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let evidence = dir.path().join("ci.log");
    std::fs::write(&evidence, "42 tests passed\n").unwrap();
    let set = |args: &[&str]| {
        let mut all = vec!["run", "set", s(&file), s(&run)];
        all.extend_from_slice(args);
        preflight_with(&all, &[("PREFLIGHT_BY", "ci-bot")])
    };
    // "Migrations applied" is the whole text of one item, though another contains it.
    assert_eq!(set(&["Migrations applied", "--done"]).status.code(), Some(0));
    assert_eq!(
        set(&["release branch", "--done", "--evidence-file", s(&evidence), "--note", "CI #42"]).status.code(),
        Some(0)
    );
    assert_eq!(set(&["Customer support", "--na", "no user-facing change"]).status.code(), Some(0));
    let ambiguous = set(&["migration", "--done"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    let listed = String::from_utf8_lossy(&ambiguous.stderr);
    assert!(listed.contains("matches 4 items") && listed.contains("line 33") && listed.contains("line 72"), "{listed}");
    let stored: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&run).unwrap()).unwrap();
    let items = stored["items"].as_object().unwrap();
    let branch = items
        .values()
        .find(|i| i["evidence"].as_str().is_some_and(|e| e.contains("42 tests passed")))
        .expect("evidence recorded");
    assert_eq!((branch["by"].as_str(), branch["note"].as_str()), (Some("ci-bot"), Some("CI #42")));
    assert!(items.values().any(|i| i["status"] == "na" && i["reason"] == "no user-facing change"));
    // A date that is no day of the calendar is refused, and nothing is signed.
    for bad in ["2026-13-45", "2026-02-29", "yesterday", "2026-1-05"] {
        let refused =
            preflight(&["run", "sign", s(&file), s(&run), "--role", "Tech Lead", "--name", "Jane Roe", "--date", bad]);
        assert_eq!(refused.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&refused.stderr).contains(&format!("not `{bad}`")), "{bad}");
    }
    assert!(!std::fs::read_to_string(&run).unwrap().contains("Jane Roe"));
    let sign = preflight(&[
        "run",
        "sign",
        s(&file),
        s(&run),
        "--role",
        "Tech Lead",
        "--name",
        "Jane Roe",
        "--date",
        "2028-02-29",
    ]);
    assert_eq!(sign.status.code(), Some(0));
    let statement = preflight(&["run", "show", s(&file), s(&run), "--statement", "Tech Lead"]);
    let bytes = String::from_utf8(statement.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&bytes).unwrap();
    assert_eq!(
        (v["schema"].as_str(), v["role"].as_str(), v["name"].as_str(), v["gate"].as_str()),
        (Some("preflight.signoff/2"), Some("Tech Lead"), Some("Jane Roe"), Some("before"))
    );
    // It names the run it was signed in.
    let stored: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&run).unwrap()).unwrap();
    assert_eq!(v["run"], stored["id"]);
    assert!(bytes.starts_with("{\"at\":"), "canonical: keys sorted, no whitespace: {bytes}");
    let show = String::from_utf8(preflight(&["run", "show", s(&file), s(&run)]).stdout).unwrap();
    assert!(
        show.contains("signed: Tech Lead — Jane Roe (approved)") && show.contains("na       Customer support"),
        "{show}"
    );
    // The app imports the same file; the gate is the pipeline's.
    assert_eq!(preflight(&["score", s(&file), "--state", s(&run)]).status.code(), Some(1));
}

/// `preflight embed` prints the inline embed with nothing in the Markdown able to end its
/// element: every `</` is `<\/`, every `<!--` is `<\!--`, and attributes are escaped.
#[test]
fn embed_prints_a_snippet_nothing_can_break_out_of() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hotfix.md");
    let text = "# Hotfix\n- [ ] a </script><img src=x onerror=alert(1)>\n- [ ] b <!-- <script> --> </SCRIPT >\n";
    std::fs::write(&file, text).unwrap();
    let out = preflight(&["embed", s(&file), "--namespace", "a\"b<c", "--compact"]);
    assert_eq!(out.status.code(), Some(0));
    let snippet = String::from_utf8(out.stdout).unwrap();
    assert!(snippet.contains("namespace=\"a&quot;b&lt;c\" compact"), "{snippet}");
    let open = "<script type=\"text/markdown\">\n";
    let inner = &snippet[snippet.find(open).unwrap() + open.len()..snippet.rfind("</script>").unwrap()];
    assert!(!inner.to_lowercase().contains("</"), "{inner}");
    assert!(!inner.contains("<!--"), "{inner}");
    assert_eq!(inner.replace("<\\/", "</").replace("<\\!--", "<!--"), text, "what the element reads back");
}

/// A run file marking an item N/A (out of the score) or blocked without a reason is refused,
/// as `run set` refuses it: a hand-edited file is not scored more kindly than the rules allow.
#[test]
fn a_run_file_with_n_a_and_no_reason_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = dir.path().join("CHECKLIST.md");
    std::fs::write(&checklist, "# T\n## Pre-Deployment\n- [ ] Backups verified\n- [ ] DNS switched\n").unwrap();
    let c = parse(&std::fs::read(&checklist).unwrap());
    let mut run = Run::new(&c, "r", "r", "2026-12-04T00:00:00Z");
    run.set_status(&c, &c.items[0].id, preflight_core::Status::Na, Some("no DNS change".into()), None, "t1").unwrap();
    let state = dir.path().join("run.json");
    std::fs::write(&state, run.canonical_json()).unwrap();
    assert_eq!(preflight(&["score", s(&checklist), "--state", s(&state)]).status.code(), Some(1), "with its reason");
    std::fs::write(&state, run.canonical_json().replace(",\"reason\":\"no DNS change\"", "")).unwrap();
    let out = preflight(&["score", s(&checklist), "--state", s(&state)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("item `{}` is N/A without a reason", c.items[0].id)), "{stderr}");
}

/// A run file with bytes that are not UTF-8, or a NUL, is refused at the first one: read with
/// U+FFFD in their place, a note or evidence would be scored and reported as something nobody
/// wrote.
#[test]
fn a_run_file_that_is_not_utf8_is_refused_where_it_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = dir.path().join("CHECKLIST.md");
    std::fs::write(&checklist, "# T\n## Pre-Deployment\n- [ ] Backups verified\n").unwrap();
    let c = parse(&std::fs::read(&checklist).unwrap());
    let mut run = Run::new(&c, "r", "r", "2026-12-04T00:00:00Z");
    run.set_note(&c, &c.items[0].id, Some("caf\u{e9} ok".into()), None, "2026-12-04T00:00:01Z").unwrap();
    let json = serde_json::to_string_pretty(&run).unwrap();
    let state = dir.path().join("run.json");
    std::fs::write(&state, &json).unwrap();
    assert_eq!(preflight(&["score", s(&checklist), "--state", s(&state)]).status.code(), Some(1), "as UTF-8");
    for (bad, what) in [(&b"\xE9"[..], "Latin-1"), (&b"\0"[..], "a NUL")] {
        let at = json.find("caf").unwrap() + 3;
        let bytes = [json.as_bytes()[..at].to_vec(), bad.to_vec(), json.as_bytes()[at + 2..].to_vec()].concat();
        std::fs::write(&state, &bytes).unwrap();
        let out = preflight(&["score", s(&checklist), "--state", s(&state)]);
        assert_eq!(out.status.code(), Some(2), "{what}");
        let line = json[..at].lines().count();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("run.json:{line}:")), "{what}: {stderr}");
    }
}
