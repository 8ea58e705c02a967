//! Carrying a run over to an edited version of its checklist: in the second module because it
//! runs once per import of an edited version, and its matching of moved and repeated tasks is
//! about 24 KB gzip of code every page would otherwise load. Compiled into `preflight-wasm-extra`
//! and, with the `extra` feature, into `preflight-wasm` for the one-module builds.

use wasm_bindgen::prelude::*;

use crate::boundary::{corrections_from_js, run_error};

/// A new run of the checklist `text` (read with `corrections`) carrying the state of `run` (a run
/// of the earlier version `fromText`, read with `fromCorrections`) over: every task, field and
/// conditional section found again keeps its state; signatures and the timeline never come
/// along. Tasks of the same words (told apart only by their order) are found again by the items
/// they are under and their neighbours, so moving a block never puts one task's state on
/// another. Without `fromText`, only what kept its id is carried. `run` comes and goes as
/// canonical JSON (`run.toJson()`; `checklist.runFromJson(…)` makes it a Run again).
/// `counterparts` maps each id of the earlier version found for certain here to its id here:
/// corrections kept for that version follow it, as the run does.
#[wasm_bindgen(
    js_name = carryOver,
    unchecked_return_type = "{ run: string, carried: number, left: string[], signaturesLeft: number, eventsLeft: number, counterparts: Map<string, string> }"
)]
#[allow(clippy::too_many_arguments)] // each crosses from JavaScript as its own argument
pub fn carry_over(
    text: String,
    #[wasm_bindgen(unchecked_param_type = "Correction[] | undefined")] corrections: JsValue,
    from_text: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "Correction[] | undefined")] from_corrections: JsValue,
    run_json: &str,
    id: &str,
    name: &str,
    now: &str,
) -> Result<JsValue, JsValue> {
    let read = |text: String, corrections: &JsValue| {
        corrections_from_js(corrections)
            .map(|kept| preflight_core::parse::parse_owned_with_corrections(text.into_bytes(), &kept))
    };
    let checklist = read(text, &corrections)?;
    let run = preflight_core::Run::from_json(run_json).map_err(run_error)?;
    let carried = match from_text {
        Some(from_text) => {
            let from = read(from_text, &from_corrections)?;
            // The earlier version's text tells its tasks apart only if the run is of that text.
            let mut run = run;
            run.attach(&from).map_err(run_error)?;
            preflight_core::carry::carry_over_from(&from, &run, &checklist, id, name, now)
        }
        None => preflight_core::carry::carry_over(&run, &checklist, id, name, now),
    };
    carried_object(carried)
}

/// The object `carryOver` answers.
fn carried_object(carried: preflight_core::carry::Carried) -> Result<JsValue, JsValue> {
    let object = js_sys::Object::new();
    let left: js_sys::Array = carried.left.iter().map(|id| JsValue::from_str(id)).collect();
    js_sys::Reflect::set(&object, &"run".into(), &carried.run.canonical_json().into())?;
    js_sys::Reflect::set(&object, &"carried".into(), &(carried.carried as f64).into())?;
    js_sys::Reflect::set(&object, &"left".into(), &left.into())?;
    js_sys::Reflect::set(&object, &"signaturesLeft".into(), &(carried.signatures_left as f64).into())?;
    js_sys::Reflect::set(&object, &"eventsLeft".into(), &(carried.events_left as f64).into())?;
    // A Map, not an object: a correction's id is the page's to look up, and "constructor" or
    // "__proto__" must find nothing. A Map also crosses from a worker as it is.
    let counterparts = js_sys::Map::new();
    for (from, to) in &carried.counterparts {
        counterparts.set(&JsValue::from_str(from), &JsValue::from_str(to));
    }
    js_sys::Reflect::set(&object, &"counterparts".into(), &counterparts.into())?;
    Ok(object.into())
}
