//! A change to a run with a long history, and merging another tab's copy of it: each against
//! the code it replaced, in the same process. `cargo bench -p preflight-core --bench history`.
//! A run's log grows by an entry per change, and every change names the log's heads, so its
//! cost grows with the log (BENCHMARKS.md, "A run's history").

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use preflight_core::history::{self, Entry};
use preflight_core::run::Status;
use preflight_core::{parse, Checklist, Run};

/// The sample's run after `changes` ticks and unticks: a log of that many entries.
fn run_with(changes: usize) -> (Checklist, Run) {
    let c = parse(preflight_core::sample::SAMPLE_MARKDOWN.as_bytes());
    let mut run = Run::new(&c, "r", "r", "2026-12-04T00:00:00Z");
    let ids: Vec<String> = c.tasks().map(|i| i.id.clone()).collect();
    for n in 0..changes {
        let status = if n % 2 == 0 { Status::Done } else { Status::Todo };
        let at = format!("2026-12-04T{:02}:{:02}:{:02}Z", n / 3600 % 24, n / 60 % 60, n % 60);
        run.set_status(&c, &ids[(n / 2) % ids.len()], status, None, None, &at).expect("a task");
    }
    (c, run)
}

/// `history::heads` before: the set of named entries grown as it was filled.
fn heads_grown(log: &[Entry]) -> Vec<String> {
    let named: HashSet<&str> = log.iter().flat_map(|e| e.parents.iter().map(String::as_str)).collect();
    log.iter().filter(|e| !named.contains(e.id.as_str())).map(|e| e.id.clone()).collect()
}

/// How `history::merge` began before: every id of `mine` copied into the set it looks up in.
/// (The rest, the merge entry, is unchanged, and the one new entry here needs none.)
fn merge_copying(mine: &mut Vec<Entry>, theirs: &[Entry]) {
    let known: HashSet<String> = mine.iter().map(|e| e.id.clone()).collect();
    for e in theirs {
        if !known.contains(&e.id) {
            mine.push(e.clone());
        }
    }
    black_box(heads_grown(mine));
}

/// Best of 15, each timed run after an untimed one.
fn best(f: &dyn Fn() -> usize) -> Duration {
    (0..15)
        .map(|_| {
            black_box(f());
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    println!("a run's history, best of 15, interleaved three times");
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for changes in [1_000, 10_000, 40_000] {
        let (c, run) = run_with(changes);
        assert_eq!(history::heads(&run.log), heads_grown(&run.log), "the same heads");
        let mut theirs = run.clone();
        let first = c.tasks().next().expect("a task").id.clone();
        theirs
            .set_status(&c, &first, Status::Blocked, Some("waiting".into()), None, "2026-12-05T00:00:00Z")
            .expect("a task");
        let (mut now_heads, mut old_heads) = (Duration::MAX, Duration::MAX);
        let (mut copy, mut now_merge, mut old_merge) = (Duration::MAX, Duration::MAX, Duration::MAX);
        for _ in 0..3 {
            now_heads = now_heads.min(best(&|| history::heads(&run.log).len()));
            old_heads = old_heads.min(best(&|| heads_grown(&run.log).len()));
            // Each merge goes into a copy of the log: timed alone, and taken off.
            copy = copy.min(best(&|| run.log.clone().len()));
            now_merge = now_merge.min(best(&|| {
                let mut mine = run.log.clone();
                history::merge(&mut mine, &theirs.log);
                mine.len()
            }));
            old_merge = old_merge.min(best(&|| {
                let mut mine = run.log.clone();
                merge_copying(&mut mine, &theirs.log);
                mine.len()
            }));
        }
        let (now_merge, old_merge) = (now_merge.saturating_sub(copy), old_merge.saturating_sub(copy));
        println!(
            "  {changes:>6} entries: heads {:.3} ms (a set grown as filled {:.3} ms: {:.2}×); merging a copy with one more entry {:.3} ms (copying every id {:.3} ms: {:.2}×)",
            ms(now_heads),
            ms(old_heads),
            now_heads.as_secs_f64() / old_heads.as_secs_f64(),
            ms(now_merge),
            ms(old_merge),
            now_merge.as_secs_f64() / old_merge.as_secs_f64(),
        );
    }
}
