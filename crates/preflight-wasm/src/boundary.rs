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
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json =
        serde_json::to_string(value).map_err(|e| error("PreflightError", &format!("cannot convert to JS: {e}")))?;
    js_sys::JSON::parse(&json)
}

/// Serialize, then give every span object (`{start, end, line, column}`) UTF-16 offsets
/// `start16`/`end16` into `text`. Walks the parsed JS object with an explicit stack (models can
/// be deep, and this never recurses), so no second serializer is compiled in.
pub fn to_js_with_utf16<T: Serialize>(value: &T, text: &str) -> Result<JsValue, JsValue> {
    let root = to_js(value)?;
    let index = Utf16Index::new(text);
    let keys: [JsValue; 4] = ["start".into(), "end".into(), "line".into(), "column".into()];
    let (start16, end16): (JsValue, JsValue) = ("start16".into(), "end16".into());
    let mut stack = vec![root.clone()];
    while let Some(v) = stack.pop() {
        if js_sys::Array::is_array(&v) {
            stack.extend(js_sys::Array::from(&v).iter().filter(|x| x.is_object()));
            continue;
        }
        let fields: Vec<Option<f64>> =
            keys.iter().map(|k| js_sys::Reflect::get(&v, k).ok().and_then(|x| x.as_f64())).collect();
        if let [Some(start), Some(end), Some(_), Some(_)] = fields[..] {
            js_sys::Reflect::set(&v, &start16, &(index.utf16(start as usize) as f64).into())?;
            js_sys::Reflect::set(&v, &end16, &(index.utf16(end as usize) as f64).into())?;
        } else {
            let object = js_sys::Object::from(v);
            stack.extend(js_sys::Object::values(&object).iter().filter(|x| x.is_object()));
        }
    }
    Ok(root)
}

/// Byte offset → UTF-16 offset, by checkpoints every 64 bytes (fast for any number of spans).
pub struct Utf16Index<'a> {
    text: &'a str,
    /// UTF-16 offset at each byte offset that is a multiple of STEP (or the char start before it).
    checkpoints: Vec<(usize, usize)>,
}

const STEP: usize = 64;

impl<'a> Utf16Index<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STEP + 1);
        let mut units = 0;
        let mut next = 0;
        for (i, c) in text.char_indices() {
            if i >= next {
                checkpoints.push((i, units));
                next = i + STEP;
            }
            units += c.len_utf16();
        }
        checkpoints.push((text.len(), units));
        Utf16Index { text, checkpoints }
    }

    pub fn utf16(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let k = self.checkpoints.partition_point(|&(b, _)| b <= byte).saturating_sub(1);
        let (base, units) = self.checkpoints.get(k).copied().unwrap_or((0, 0));
        units
            + self
                .text
                .get(base..)
                .unwrap_or("")
                .char_indices()
                .take_while(|&(i, _)| base + i < byte)
                .map(|(_, c)| c.len_utf16())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::Utf16Index;

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = format!("a✅b📋c{}", "x".repeat(200));
        let index = Utf16Index::new(&text);
        assert_eq!(index.utf16(0), 0);
        assert_eq!(index.utf16(1), 1); // after a
        assert_eq!(index.utf16(4), 2); // after ✅ (3 bytes, 1 unit)
        assert_eq!(index.utf16(5), 3); // after b
        assert_eq!(index.utf16(9), 5); // after 📋 (4 bytes, 2 units)
        assert_eq!(index.utf16(text.len()), 6 + 200);
        for b in (0..text.len()).filter(|&b| text.is_char_boundary(b)) {
            assert_eq!(index.utf16(b), text[..b].encode_utf16().count(), "at byte {b}");
        }
    }
}
