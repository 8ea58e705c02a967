//! Parse + model + score of a 10 MB checklist against a bare pulldown-cmark event walk of the
//! same text, in the same process; and the pathological inputs. `cargo bench -p preflight-core`.
//! Prints the engine/walk ratio and MB/s at the end; figures go into BENCHMARKS.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use preflight_core::{parse, parse::options, score, Run};
use pulldown_cmark::Parser;

/// Real checklists (the seeds and the corpus) concatenated until the text reaches `bytes`.
fn checklist_of_size(bytes: usize) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut docs: Vec<String> = Vec::new();
    for dir in ["seeds", "corpus"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths.into_iter().filter(|p| p.extension().is_some_and(|x| x == "md")) {
            docs.push(preflight_core::normalize::normalize(&std::fs::read(p).unwrap()).text);
        }
    }
    let mut out = String::with_capacity(bytes + 300_000);
    while out.len() < bytes {
        for d in &docs {
            out.push_str(d);
            out.push_str("\n\n");
        }
    }
    out
}

#[inline(never)]
fn bare_walk(text: &str) -> usize {
    let mut n = 0;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        black_box(&event);
        n += range.len();
    }
    n
}

/// The least any model of the document costs on top of the walk: the display text of every
/// block kept (appended to one arena, so no allocation per block) and an id for every heading
/// and item (normalized text, hashed). No heuristics, no sections, no spans: a floor, not an
/// engine.
#[inline(never)]
fn floor(text: &str) -> usize {
    text_floor(text, |_| 0)
}

/// The text floor plus reading the words once: every heading's and item's text folded once
/// (case, accents, dashes) and its words looked up once in the vocabulary, for all rules and
/// languages at a time (`Rule::find` scans the whole index and keeps the matches). Nothing is
/// decided from the matches and nothing more is kept: what recognizing any mark, gate or
/// sign-off (MEANING.md) cannot do without, with the engine's own fold and index.
#[inline(never)]
fn floor_words(text: &str) -> usize {
    use preflight_core::recognize::{fold::fold, vocabulary::CRITICAL};
    text_floor(text, |own| usize::from(CRITICAL.find(&fold(own)).is_some()))
}

/// The text and ids floor, with `read` of each heading's and item's own text.
#[inline(always)]
fn text_floor(text: &str, mut read: impl FnMut(&str) -> usize) -> usize {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut arena = String::new();
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut ids: Vec<u64> = Vec::new();
    let mut found = 0;
    let mut from = 0;
    for (event, _) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Text(t) | Event::Code(t) => arena.push_str(&t),
            Event::SoftBreak => arena.push(' '),
            Event::End(TagEnd::Heading(_) | TagEnd::Item) => {
                let own = &arena[from..];
                ids.push(preflight_core::ids::Fnv::START.normalized(own).end_part().value());
                found += read(own);
                blocks.push((from, arena.len()));
                from = arena.len();
            }
            Event::Start(Tag::List(_) | Tag::CodeBlock(_))
            | Event::End(TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::TableCell)
                if arena.len() > from =>
            {
                blocks.push((from, arena.len()));
                from = arena.len();
            }
            _ => {}
        }
    }
    blocks.len() + ids.len() + found
}

/// Less still: no text kept at all, only a hash per heading and item of its lower-cased text,
/// fed event by event without allocating. What stable ids cannot do without.
#[inline(never)]
fn floor_ids_only(text: &str) -> usize {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut ids: Vec<u64> = Vec::new();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    // Only a heading's or an item's own text is hashed (not paragraphs, code or nested lists).
    let mut own_text = false;
    for (event, _) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Text(t) | Event::Code(t) if own_text => {
                for &b in t.as_bytes() {
                    hash ^= u64::from(b.to_ascii_lowercase());
                    hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
                }
            }
            Event::Start(Tag::Heading { .. } | Tag::Item) => own_text = true,
            // Its own text ends at its end or where a nested block starts.
            Event::Start(Tag::List(_) | Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::Table(_))
            | Event::End(TagEnd::Heading(_) | TagEnd::Item) => {
                if own_text {
                    ids.push(hash);
                    hash = 0xcbf2_9ce4_8422_2325;
                }
                own_text = false;
            }
            _ => {}
        }
    }
    ids.len()
}

fn engine(text: &str) -> u32 {
    let c = parse(text.as_bytes());
    let run = Run::new(&c, "bench", "bench", "2026-01-01T00:00:00Z");
    score(&c, &run).counts.total
}

fn ten_megabytes(c: &mut Criterion, text: &str) {
    let mut group = c.benchmark_group("10 MB checklist");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("bare pulldown-cmark walk", |b| b.iter(|| bare_walk(black_box(text))));
    group.bench_function("engine: parse + model + score", |b| b.iter(|| engine(black_box(text))));
    group.finish();
}

fn pathological(c: &mut Criterion) {
    let mut group = c.benchmark_group("pathological");
    group.sample_size(10).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_millis(500));
    for (name, doc) in preflight_core::pathological::cases() {
        group.bench_with_input(BenchmarkId::from_parameter(name), &doc, |b, doc| b.iter(|| engine(black_box(doc))));
    }
    group.finish();
}

/// Interleaved runs of each, best of N: the ratio printed for BENCHMARKS.md. Each timed run
/// follows an untimed run of the same function: what ran before changes glibc's allocator
/// state (its mmap threshold moves after large frees), which moved the bare walk between 50
/// and 70 ms depending only on its neighbours in the loop.
fn ratio_summary(text: &str) {
    let time = |f: &dyn Fn() -> u64| {
        black_box(f());
        let start = Instant::now();
        black_box(f());
        start.elapsed()
    };
    let (mut walk, mut least, mut full) = (Duration::MAX, Duration::MAX, Duration::MAX);
    let mut ids_only = Duration::MAX;
    let mut words = Duration::MAX;
    let mut normalizing = Duration::MAX;
    for _ in 0..15 {
        walk = walk.min(time(&|| bare_walk(text) as u64));
        ids_only = ids_only.min(time(&|| floor_ids_only(text) as u64));
        least = least.min(time(&|| floor(text) as u64));
        words = words.min(time(&|| floor_words(text) as u64));
        full = full.min(time(&|| u64::from(engine(text))));
        normalizing =
            normalizing.min(time(&|| preflight_core::normalize::normalize(text.as_bytes()).text.len() as u64));
    }
    let mb = text.len() as f64 / 1e6;
    println!("\nsummary: {mb:.1} MB checklist, best of 15 interleaved runs");
    println!(
        "  bare pulldown-cmark walk       {:>8.1} ms  {:>7.1} MB/s",
        walk.as_secs_f64() * 1e3,
        mb / walk.as_secs_f64()
    );
    println!(
        "  normalizing the bytes alone    {:>8.1} ms  {:>7.1} MB/s",
        normalizing.as_secs_f64() * 1e3,
        mb / normalizing.as_secs_f64()
    );
    println!(
        "  floor: walk + id hashes only   {:>8.1} ms  {:>7.1} MB/s  ({:.2}× the walk)",
        ids_only.as_secs_f64() * 1e3,
        mb / ids_only.as_secs_f64(),
        ids_only.as_secs_f64() / walk.as_secs_f64()
    );
    println!(
        "  floor: walk + text + ids       {:>8.1} ms  {:>7.1} MB/s  ({:.2}× the walk)",
        least.as_secs_f64() * 1e3,
        mb / least.as_secs_f64(),
        least.as_secs_f64() / walk.as_secs_f64()
    );
    println!(
        "  floor: + words read once       {:>8.1} ms  {:>7.1} MB/s  ({:.2}× the walk)",
        words.as_secs_f64() * 1e3,
        mb / words.as_secs_f64(),
        words.as_secs_f64() / walk.as_secs_f64()
    );
    println!(
        "  engine: parse + model + score  {:>8.1} ms  {:>7.1} MB/s",
        full.as_secs_f64() * 1e3,
        mb / full.as_secs_f64()
    );
    println!("  ratio engine / walk            {:>8.2}×", full.as_secs_f64() / walk.as_secs_f64());
    let mut slowest = ("", Duration::ZERO);
    for (name, doc) in preflight_core::pathological::cases() {
        let t = (0..3).map(|_| time(&|| u64::from(engine(&doc)))).min().unwrap_or_default();
        println!("  pathological {name:<44} {:>8.1} ms  ({} KB)", t.as_secs_f64() * 1e3, doc.len() / 1024);
        if t > slowest.1 {
            slowest = (name, t);
        }
    }
    println!("  slowest pathological input: {} at {:.1} ms", slowest.0, slowest.1.as_secs_f64() * 1e3);
}

fn main() {
    let text = checklist_of_size(10 * 1024 * 1024);
    let summary_only = std::env::args().any(|a| a == "--summary");
    if !summary_only {
        let mut c = Criterion::default().configure_from_args();
        ten_megabytes(&mut c, &text);
        pathological(&mut c);
        c.final_summary();
    }
    ratio_summary(&text);
}
