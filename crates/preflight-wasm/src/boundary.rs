//! Conversions at the JavaScript boundary: Rust values to plain JS objects, byte spans to
//! UTF-16 offsets (what JS strings index by), and every failure to one `Error` type.

use preflight_core::RunError;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A JS `Error` with `name` set, so callers can tell failures apart (`PreflightQuotaError`, …).
pub fn error(name: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    e.into()
}

pub fn run_error(e: RunError) -> JsValue {
    let name = match e {
        RunError::WrongTemplate { .. } => "PreflightWrongTemplateError",
        RunError::Invalid(_) => "PreflightInvalidError",
        _ => "PreflightError",
    };
    error(name, &e.to_string())
}

/// One serializer for everything (serde_json), parsed by the engine's native `JSON.parse`:
/// a second serializer (serde-wasm-bindgen) would duplicate every type's code in the wasm.
///
/// The JSON goes to JavaScript in pieces ([`Pieces`]) and is parsed there as one string, never
/// held whole in wasm memory, which only grows: a 10 MB checklist's model is 41 MB of JSON, and
/// building it in one string took the page's wasm memory from 64 to 184 MiB for good.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    json_parse(&to_json(value)?)
}

/// `value` as JSON text in JavaScript, made as [`to_js`] makes it: for values kept as text
/// (stored templates, the size of their checklist).
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<js_sys::JsString, JsValue> {
    let mut pieces = Pieces { buf: Vec::new(), parts: js_sys::Array::new() };
    serde_json::to_writer(&mut pieces, value)
        .map_err(|e| error("PreflightError", &format!("cannot convert to JS: {e}")))?;
    Ok(pieces.finish())
}

/// What `write` writes (UTF-8), as one JavaScript string, sent in pieces as it is written: a
/// long text (a JSON report) is never held whole in wasm memory.
#[allow(dead_code)] // used by the second module's functions only (reports.rs)
pub fn written(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<js_sys::JsString, JsValue> {
    let mut pieces = Pieces { buf: Vec::new(), parts: js_sys::Array::new() };
    write(&mut pieces).map_err(|e| error("PreflightError", &format!("cannot write the text: {e}")))?;
    Ok(pieces.finish())
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a string already in JavaScript (js-sys's takes a Rust `&str`).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;
}

/// Bytes of JSON held in wasm memory before they go to JavaScript: small next to any model
/// that needs pieces, large enough that a piece costs nothing to send.
const PIECE: usize = 256 << 10;

/// serde_json's output, sent to JavaScript as strings of at most [`PIECE`] bytes.
struct Pieces {
    buf: Vec<u8>,
    parts: js_sys::Array,
}

impl Pieces {
    /// Everything written, as one JS string.
    fn finish(mut self) -> js_sys::JsString {
        self.send(self.buf.len());
        self.parts.join("")
    }

    /// Send the first `n` bytes (whole characters) as one JS string.
    fn send(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        // serde_json writes UTF-8, and `n` ends a character (`whole_chars`).
        let text = String::from_utf8_lossy(&self.buf[..n]);
        self.parts.push(&js_sys::JsString::from(text.as_ref()));
        self.buf.drain(..n);
    }
}

impl std::io::Write for Pieces {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        // Sent before it would hold more than a piece, so its room stays at most a piece (only
        // a single write longer than a piece, one long text, can make it grow past that).
        if self.buf.len() + data.len() > PIECE {
            self.send(whole_chars(&self.buf));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The length of the longest prefix of `bytes` that ends on a character boundary, when `bytes`
/// is UTF-8 cut anywhere: a character whose last bytes are missing is left out.
pub fn whole_chars(bytes: &[u8]) -> usize {
    let len = bytes.len();
    // The last byte that starts a character, at most 3 back (a character is at most 4 bytes).
    for back in 1..=len.min(4) {
        let b = bytes[len - back];
        if b & 0xC0 == 0x80 {
            continue; // a continuation byte
        }
        let needs = match b {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        return if needs > back { len - back } else { len };
    }
    len
}

/// Serialize with every span also carrying UTF-16 offsets `start16`/`end16` into `text`
/// (JavaScript strings index in UTF-16 code units), in the same single pass.
pub fn to_js_with_utf16<T: Serialize>(value: &T, text: &str) -> Result<JsValue, JsValue> {
    preflight_core::span::with_utf16_offsets(text, || to_js(value))
}

/// Corrections from JS (an array of `{id, what, value, line}`); `undefined` or `null` is none.
pub fn corrections_from_js(value: &JsValue) -> Result<Vec<preflight_core::model::Correction>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    // Read field by field, not through `JSON.stringify`: a host page may give `Array.prototype`
    // a `toJSON` (Prototype.js did), and every array would then arrive as a string.
    let bad = |why: &str| {
        error("PreflightInvalidError", &format!("corrections must be {{id, what, value, line}} objects: {why}"))
    };
    if !js_sys::Array::is_array(value) {
        return Err(bad("not a list"));
    }
    let field =
        |item: &JsValue, key: &str| js_sys::Reflect::get(item, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    js_sys::Array::from(value)
        .iter()
        .enumerate()
        .map(|(n, item)| {
            if !item.is_object() {
                return Err(bad(&format!("entry {} is not an object", n + 1)));
            }
            let text = |key: &str| {
                field(&item, key).as_string().ok_or_else(|| bad(&format!("entry {}: `{key}` is not text", n + 1)))
            };
            let line = field(&item, "line")
                .as_f64()
                .filter(|l| l.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(l))
                .ok_or_else(|| bad(&format!("entry {}: `line` is not a line number", n + 1)))?;
            // Whole and in range, checked just above.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let line = line as u32;
            Ok(preflight_core::model::Correction { id: text("id")?, what: text("what")?, value: text("value")?, line })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::whole_chars;

    #[test]
    fn a_piece_ends_at_the_last_whole_character() {
        let text = "a\u{e9}\u{20ac}\u{1f534}b\u{1f534}\u{e9}\u{20ac}";
        for cut in 0..=text.len() {
            let end = whole_chars(&text.as_bytes()[..cut]);
            let expected = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap();
            assert_eq!(end, expected, "cut at {cut}");
        }
    }
}
