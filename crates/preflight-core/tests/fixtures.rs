//! Shared access to the fixture documents in the repository's `tests/fixtures`.
#![allow(dead_code)]

use std::path::PathBuf;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// (file name, bytes) of every seed, in name order.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    read_dir("seeds")
}

/// (file name, bytes) of every corpus document, in name order.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    read_dir("corpus")
}

fn read_dir(dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(root().join(dir))
        .expect("fixture directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

/// The corpus's own record of GitHub's task count per file (SOURCES.tsv, column `task_items`).
pub fn github_task_counts() -> Vec<(String, usize)> {
    let tsv = std::fs::read_to_string(root().join("corpus/SOURCES.tsv")).unwrap();
    tsv.lines()
        .skip(1)
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[0].to_string(), cols[4].parse().unwrap())
        })
        .collect()
}
