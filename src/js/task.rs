//! A call as JS drives it: a task that `client.js` resumes each time the promise it waits on
//! settles (see `platform::js_await`). No executor, task queue or closure lives in the wasm,
//! and no JS object per task: a task is a number, its work a slot here.

use super::convert::error_to_js;
use crate::error::Result;
use crate::platform::js_await;
use crate::platform::BoxFuture;
use std::cell::RefCell;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;

/// What a call's work yields: its result, and how many attempts it made (`S3Error.attempts`).
pub(super) type Work = BoxFuture<'static, (Result<JsValue>, u32)>;

thread_local! {
    /// The calls in progress, by task number (a finished call's slot is reused).
    static TASKS: RefCell<Vec<Option<Work>>> = const { RefCell::new(Vec::new()) };
}

/// Registers `work`; its number is what `client.js` resumes.
pub(super) fn start(work: Work) -> u32 {
    TASKS.with(|tasks| {
        let mut tasks = tasks.borrow_mut();
        let free = tasks.iter().position(Option::is_none).unwrap_or(tasks.len());
        if free == tasks.len() {
            tasks.push(None);
        }
        tasks[free] = Some(work);
        free as u32
    })
}

/// Polls task `task`, first with nothing, later with the outcome of the promise it waited on
/// (`ok`: resolved with `value`; otherwise rejected with it). Returns the promise it waits on
/// next, or once done its result (never a promise: JSON text or `[json, stream]`), or throws
/// its error in the shape `client.js` makes an S3Error of.
#[wasm_bindgen]
pub fn resume(task: u32, value: JsValue, ok: bool) -> std::result::Result<JsValue, JsValue> {
    // Taken out while it runs: what it calls in JS (a credentials function) may start another.
    let taken = TASKS.with(|tasks| tasks.borrow_mut().get_mut(task as usize).and_then(Option::take));
    let Some(mut work) = taken else { return Ok(JsValue::UNDEFINED) };
    js_await::resume_with(if ok { Ok(value) } else { Err(value) });
    let (result, attempts) = match work.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Pending => match js_await::awaited() {
            Some(promise) => {
                TASKS.with(|tasks| tasks.borrow_mut()[task as usize] = Some(work));
                return Ok(promise.into());
            }
            // Nothing would ever wake it: fail rather than hang.
            None => (Err(crate::Error::Network("a call waited on no JS promise".into())), 0),
        },
        Poll::Ready(outcome) => outcome,
    };
    result.map_err(|e| error_to_js(&e, attempts))
}
