//! Errors across the JS boundary.

use crate::error::Error;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// The plain object `client.js` turns into an `S3Error`; `attempts` is how many attempts the
/// call made (0: refused before any).
pub fn error_to_js(error: &Error, attempts: u32) -> JsValue {
    let object = Object::new();
    let set = |name: &str, value: JsValue| {
        let _ = Reflect::set(&object, &name.into(), &value);
    };
    let code = match error {
        Error::Service(e) => e.code.as_str(),
        Error::Validation(_) => "ValidationError",
        Error::Network(_) | Error::Cors(_) => "NetworkError",
        Error::Timeout(_) => "TimeoutError",
        Error::Aborted(_) => "AbortError",
        Error::CircuitOpen(_) => "CircuitOpen",
        Error::Credentials(_) => "CredentialsError",
    };
    set("message", error.to_string().into());
    set("kind", error.kind().as_str().into());
    set("code", code.into());
    set("retryable", error.is_retryable().into());
    set("attempts", attempts.into());
    if let Some(e) = error.service() {
        set("status", e.status.into());
        if let Some(id) = &e.request_id {
            set("requestId", id.into());
        }
        if let Some(region) = &e.region {
            set("region", region.into());
        }
    }
    object.into()
}
