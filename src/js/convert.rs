//! Moving values across the JS boundary.

use crate::error::{Error, Result};
use js_sys::{Object, Reflect};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// A property of an options object (`undefined` when absent or not an object).
pub fn get(options: &JsValue, name: &str) -> JsValue {
    if options.is_object() {
        Reflect::get(options, &name.into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// Reads an options object into a Rust input. Only plain data reaches serde: `Date` values
/// become ISO strings (serde sees a `Date` as an empty object), and bodies, streams, signals and
/// functions are left out (they are read separately, and serde would copy or reject them). A
/// missing or mistyped field is a validation error.
pub fn from_js<T: DeserializeOwned>(options: &JsValue) -> Result<T> {
    if !options.is_object() {
        return Err(Error::validation("options must be an object"));
    }
    let copy = Object::new();
    for entry in Object::entries(options.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let value = pair.get(1);
        let value = match value.dyn_ref::<js_sys::Date>() {
            Some(date) if date.get_time().is_nan() => {
                return Err(Error::validation(format!(
                    "{} is an invalid Date",
                    pair.get(0).as_string().unwrap_or_default()
                )))
            }
            Some(date) => JsValue::from(date.to_iso_string()),
            None if is_plain_data(&value) => value,
            None => continue,
        };
        let _ = Reflect::set(&copy, &pair.get(0), &value);
    }
    serde_wasm_bindgen::from_value(copy.into()).map_err(|e| Error::validation(e.to_string()))
}

/// Primitives, arrays and plain objects: what an options object holds besides bodies.
fn is_plain_data(value: &JsValue) -> bool {
    if !value.is_object() {
        return !value.is_function();
    }
    if js_sys::Array::is_array(value) {
        return true;
    }
    let prototype = Object::get_prototype_of(value);
    prototype.is_null() || prototype == Object::get_prototype_of(&Object::new())
}

/// Writes an output as a plain JS object (maps as objects, dates as `Date`s).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value.serialize(&serializer).map_err(|e| Error::invalid_response(0, e))
}

/// The plain object `client.js` turns into an `S3Error`.
pub fn error_to_js(error: &Error) -> JsValue {
    let object = Object::new();
    let set = |name: &str, value: JsValue| {
        let _ = Reflect::set(&object, &name.into(), &value);
    };
    let code = match error {
        Error::Service(e) => e.code.as_str(),
        Error::Validation(_) => "ValidationError",
        Error::Network(_) => "NetworkError",
        Error::Timeout(_) => "TimeoutError",
        Error::Aborted(_) => "AbortError",
        Error::CircuitOpen(_) => "CircuitOpen",
        Error::Credentials(_) => "CredentialsError",
    };
    set("message", error.to_string().into());
    set("kind", error.kind().as_str().into());
    set("code", code.into());
    set("retryable", error.is_retryable().into());
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
