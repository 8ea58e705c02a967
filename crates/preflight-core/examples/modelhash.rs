//! The SHA-256 of each file's model, as JSON: `cargo run --release --example modelhash FILE…`.
//! Run before and after a change to the reader; the same hashes mean every document was read
//! the same (how the benchmark sessions check a fast path changed nothing).
use sha2::Digest;

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{path}: not readable");
            continue;
        };
        let checklist = preflight_core::parse(&bytes);
        let json = serde_json::to_string(&checklist).unwrap_or_default();
        println!("{:x} {path}", sha2::Sha256::digest(json.as_bytes()));
    }
}
