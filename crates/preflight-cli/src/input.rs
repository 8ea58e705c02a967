//! Reading a checklist, a state or a report: a file or standard input (`-`), never more than
//! the input limit. A reader that stops one byte past the limit means `/dev/zero`, a named pipe
//! or an endless standard input ends in a clear error instead of an ever-growing buffer.
//! Nothing here looks at what the bytes mean.

use std::io::Read;
use std::path::Path;

use crate::terminal::plain;

/// `--max-bytes`: a number of bytes, or a number with `K`, `M` or `G` (powers of 1024, `KiB`,
/// `MiB`, `GiB` also accepted).
pub fn parse_limit(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().map_err(|_| format!("`{text}` is not a number of bytes"))?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        other => return Err(format!("unknown unit `{other}` (use K, M or G)")),
    };
    number.checked_mul(scale).ok_or_else(|| format!("`{text}` is too large"))
}

/// The bytes of `path` (`-`: standard input), or a message for exit code 2 when it cannot be
/// read or holds more than `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    if path == Path::new("-") {
        return read_bounded(std::io::stdin().lock(), None, limit, "standard input");
    }
    let name = plain(&path.display().to_string()).into_owned();
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    // A regular file's size is known: refuse it before reading a byte. Devices and pipes say 0.
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    if let Some(size) = size.filter(|&s| s > limit) {
        return Err(too_large(&name, Some(size), limit));
    }
    read_bounded(file, size, limit, &name)
}

fn read_bounded(source: impl Read, size: Option<u64>, limit: u64, name: &str) -> Result<Vec<u8>, String> {
    // The known size (+1 to see the end) up front, so the buffer never doubles past it.
    let capacity = size.map_or(8 * 1024, |s| s.min(limit).saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    source.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(name, size, limit));
    }
    Ok(bytes)
}

fn too_large(name: &str, size: Option<u64>, limit: u64) -> String {
    match size {
        Some(size) => {
            format!("{name} is {size} bytes, more than the input limit of {limit} bytes (raise it with --max-bytes)")
        }
        None => format!("{name} holds more than the input limit of {limit} bytes (raise it with --max-bytes)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_with_units() {
        assert_eq!(parse_limit("1000"), Ok(1000));
        assert_eq!(parse_limit("64M"), Ok(64 * 1024 * 1024));
        assert_eq!(parse_limit("2KiB"), Ok(2048));
        assert_eq!(parse_limit("1g"), Ok(1 << 30));
        assert!(parse_limit("ten").is_err());
        assert!(parse_limit("5T").is_err());
        assert!(parse_limit("99999999999999999999G").is_err());
    }

    #[test]
    fn an_endless_reader_stops_one_byte_past_the_limit() {
        let err = read_bounded(std::io::repeat(0), None, 1000, "standard input").unwrap_err();
        assert!(err.contains("standard input holds more than the input limit of 1000 bytes"), "{err}");
        assert!(err.contains("--max-bytes"), "{err}");
        assert_eq!(read_bounded(&b"12345"[..], Some(5), 5, "f").unwrap(), b"12345");
        assert!(read_bounded(&b"123456"[..], None, 5, "f").is_err());
    }
}
