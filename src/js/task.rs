//! A call as JS drives it: a task that `client.js` resumes each time the promise it waits on
//! settles (see `platform::js_await`). No executor, task queue or closure lives in the wasm,
//! and no JS object per task: a task is a number, its work kept here while it waits.

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
    /// The calls waiting for a promise, by task number (numbers are never reused, so a task
    /// started while another runs cannot take its place).
    static TASKS: RefCell<(u32, Vec<(u32, Work)>)> = const { RefCell::new((0, Vec::new())) };
}

/// Registers `work`; its number is what `client.js` resumes.
pub(super) fn start(work: Work) -> u32 {
    TASKS.with(|tasks| {
        let (last, waiting) = &mut *tasks.borrow_mut();
        *last = last.wrapping_add(1);
        waiting.push((*last, work));
        *last
    })
}

/// Polls task `task`, first with nothing, later with the outcome of the promise it waited on
/// (`ok`: resolved with `value`; otherwise rejected with it). Returns the promise it waits on
/// next, or once done its result (never a promise: `[text, ops]` or `[text, ops, stream]`), or throws
/// its error in the shape `client.js` makes an S3Error of.
#[wasm_bindgen]
pub fn resume(task: u32, value: JsValue, ok: bool) -> std::result::Result<JsValue, JsValue> {
    // Taken out while it runs: what it calls in JS (a credentials function) may start and run
    // another task.
    let taken = TASKS.with(|tasks| {
        let waiting = &mut tasks.borrow_mut().1;
        let at = waiting.iter().position(|(number, _)| *number == task)?;
        Some(waiting.swap_remove(at).1)
    });
    let Some(mut work) = taken else { return Ok(JsValue::UNDEFINED) };
    js_await::resume_with(if ok { Ok(value) } else { Err(value) });
    let (result, attempts) = match work.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Pending => match js_await::awaited() {
            Some(promise) => {
                TASKS.with(|tasks| tasks.borrow_mut().1.push((task, work)));
                return Ok(promise.into());
            }
            // Nothing would ever wake it: fail rather than hang.
            None => (Err(crate::Error::Network("a call waited on no JS promise".into())), 0),
        },
        Poll::Ready(outcome) => outcome,
    };
    result.map_err(|e| error_to_js(&e, attempts))
}
