//! Errors across the JS boundary.

use crate::error::Error;
use js_sys::Array;
use wasm_bindgen::JsValue;

/// The fields of an `S3Error`, as an array `client.js` turns into one: `[message, kind, code,
/// retryable, attempts, status, requestId, region]` (the last three only for errors a server answered).
/// `attempts` is how many attempts the call made (0: refused before any).
pub fn error_to_js(error: &Error, attempts: u32) -> JsValue {
    let code = match error {
        Error::Service(e) | Error::CredentialsRefused(e) => e.code.as_str(),
        Error::Validation(_) => "ValidationError",
        Error::Network(_) | Error::Cors(_) => "NetworkError",
        Error::Timeout(_) => "TimeoutError",
        Error::Aborted(_) => "AbortError",
        Error::CircuitOpen(_) => "CircuitOpen",
        Error::Credentials(_) => "CredentialsError",
    };
    let fields = Array::new();
    let text = |value: Option<&str>| value.map_or(JsValue::UNDEFINED, JsValue::from);
    fields.push(&error.message().into());
    fields.push(&error.kind().as_str().into());
    fields.push(&code.into());
    fields.push(&error.is_retryable().into());
    fields.push(&attempts.into());
    if let Some(e) = error.answer() {
        fields.push(&e.status.into());
        fields.push(&text(e.request_id.as_deref()));
        fields.push(&text(e.region.as_deref()));
    }
    fields.into()
}
