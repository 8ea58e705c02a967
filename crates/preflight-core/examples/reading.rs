//! What reading the words costs, apart from the model build: every heading's and item's own
//! text in FILE folded (`fold`) and scanned against the vocabulary once (`Rule::find` scans
//! for all rules at a time), each timed over all texts, three rounds.
//! `cargo run --release --example reading FILE`
use preflight_core::recognize::{fold::fold, vocabulary::CRITICAL};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: reading FILE");
    let text = std::fs::read_to_string(path).expect("a UTF-8 file");
    let mut texts = Vec::new();
    let mut own: Option<String> = None;
    for (event, _) in Parser::new_ext(&text, preflight_core::parse::options()).into_offset_iter() {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if let Some(own) = &mut own {
                    own.push_str(&t);
                }
            }
            Event::Start(Tag::Heading { .. } | Tag::Item) => own = Some(String::new()),
            // A heading's or item's own text ends at its end or where a nested block starts.
            Event::Start(Tag::List(_) | Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::Table(_))
            | Event::End(TagEnd::Heading(_) | TagEnd::Item) => texts.extend(own.take()),
            _ => {}
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    println!("{} texts, {bytes} bytes", texts.len());
    let folded: Vec<String> = texts.iter().map(|t| fold(t)).collect();
    let per_byte = |d: std::time::Duration| d.as_nanos() as f64 / bytes as f64;
    for _ in 0..3 {
        let start = Instant::now();
        let n: usize = texts.iter().map(|t| fold(t).len()).sum();
        let folding = start.elapsed();
        let start = Instant::now();
        let hits = folded.iter().filter(|t| CRITICAL.find(t).is_some()).count();
        let scanning = start.elapsed();
        println!(
            "fold {folding:.1?} ({:.1} ns/B)  scan {scanning:.1?} ({:.1} ns/B)  [{n} bytes folded, {hits} critical]",
            per_byte(folding),
            per_byte(scanning)
        );
    }
}
