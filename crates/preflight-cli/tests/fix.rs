//! `preflight fix`: repairs printed or written in place, every other byte kept, exit 2 when
//! nothing was asked for.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn preflight(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_preflight")).args(args).output().expect("binary runs")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus").join(name)
}

const TABLE: &str = "# Release\n\nIntro.\n\n| Task | Status | Owner |\n|---|---|---|\n| Freeze | ✅ | Ana |\n| Ship | ❌ | Bo |\n\n## After\n\n- [ ] Announce\n";
const LIST: &str = "# Release\n\nIntro.\n\n- [x] Freeze — Ana\n- [ ] Ship — Bo\n\n## After\n\n- [ ] Announce\n";

fn file_with(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("CHECKLIST.md");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn tables_are_printed_as_task_lists() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with(&dir, TABLE);
    let out = preflight(&["fix", "--tables", s(&path)]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), LIST);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), TABLE, "without --write the file is not touched");
}

#[test]
fn write_replaces_the_file_and_keeps_every_other_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with(&dir, TABLE);
    let out = preflight(&["fix", "--tables", "--write", s(&path)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), LIST);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.ends_with("converted 1 table (2 rows) into task lists\n"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["CHECKLIST.md"], "no temporary file left behind");
}

#[test]
fn write_with_nothing_to_repair_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = "\u{FEFF}# Release\r\n\r\n- [ ] Ship\r\n";
    let path = file_with(&dir, crlf);
    let out = preflight(&["fix", "--tables", "--mojibake", "--write", s(&path)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), crlf, "not even normalized");
    assert!(String::from_utf8(out.stderr).unwrap().contains("no table checklist to convert; no mojibake to repair"));
}

#[test]
fn no_repair_chosen_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with(&dir, TABLE);
    let out = preflight(&["fix", s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8(out.stderr).unwrap().contains("--tables, --mojibake, or both"));
    assert_eq!(preflight(&["fix", "--tables", s(&dir.path().join("missing.md"))]).status.code(), Some(2));
}

#[test]
fn a_file_without_tables_is_printed_unchanged() {
    let path = corpus("54biying__fengshenbang-miniprogram__LAUNCH_CHECKLIST.md");
    let out = preflight(&["fix", "--tables", s(&path)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, std::fs::read(&path).unwrap(), "its status tables are all ✅: finished, not a checklist");
    let dir = tempfile::tempdir().unwrap();
    let plain = file_with(&dir, "# Plain\n\n- [ ] a\n\nNo table here.\n");
    assert_eq!(preflight(&["fix", "--tables", s(&plain)]).stdout, b"# Plain\n\n- [ ] a\n\nNo table here.\n");
}

#[test]
fn mojibake_is_repaired_and_only_mojibake() {
    let path = corpus("leninejunior__gestor-trafego-ia__DEPLOY_PRONTO.md");
    let original = preflight_core::normalize::normalize(&std::fs::read(&path).unwrap()).text;
    assert!(original.starts_with("# âœ… Sistema Pronto para Deploy em ProduÃ§Ã£o\n"));
    let out = preflight(&["fix", "--mojibake", s(&path)]);
    assert_eq!(out.status.code(), Some(0));
    let fixed = String::from_utf8(out.stdout).unwrap();
    assert!(fixed.starts_with("# ✅ Sistema Pronto para Deploy em Produção\n"), "{}", &fixed[..80]);
    assert!(!fixed.contains("âœ…"));
    assert_eq!(fixed, preflight_core::mojibake::repair(&original));
    assert_eq!(fixed.lines().count(), original.lines().count());
}

#[test]
fn mojibake_is_repaired_before_tables_are_read() {
    let dir = tempfile::tempdir().unwrap();
    // ❌ is E2 9D 8C; Windows-1252 has no character for 9D, so it survives as U+009D.
    let path = file_with(&dir, "| Task | Status |\n|---|---|\n| Ship | â\u{9d}Œ |\n| Freeze | âœ… |\n");
    let out = preflight(&["fix", "--tables", "--mojibake", "--write", s(&path)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "- [ ] Ship\n- [x] Freeze\n");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.ends_with("converted 1 table (2 rows) into task lists; repaired 2 mis-decoded characters\n"),
        "{stderr}"
    );
}

/// A file read with bytes replaced (Latin-1 `é`, a NUL) is never written over: `--write` would
/// put U+FFFD over those bytes for good. Refused with the first one's line and column, the file
/// untouched; printing the repaired text still works.
#[test]
fn write_refuses_a_file_whose_bytes_were_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("CHECKLIST.md");
    let bytes = b"# Caf\xE9\n## Pre-Deployment\n- [ ] \xC3\xA2\xC5\x93\xE2\x80\xA6 done\n- [ ] ok\0nul\n";
    std::fs::write(&path, bytes).unwrap();
    for kind in ["--mojibake", "--tables"] {
        let out = preflight(&["fix", kind, "--write", s(&path)]);
        assert_eq!(out.status.code(), Some(2), "{kind}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("CHECKLIST.md:1:6: the file is not valid UTF-8"), "{stderr}");
        assert!(stderr.contains("the file was left as it was"), "{stderr}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{kind}: not a byte changed");
    }
    let printed = preflight(&["fix", "--mojibake", s(&path)]);
    assert_eq!(printed.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&printed.stdout).contains("✅ done"));
}
