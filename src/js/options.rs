//! Reading `presignPost`'s options object by hand, in the server build (the package reads
//! every other option in JS: `options.js`). A serde deserializer over `JsValue` costs about
//! 120 KB of wasm (measured: see the README); these few readers cost a fraction. Absent
//! (`undefined` or `null`) is `None`; a value of the wrong type is a validation error naming
//! the field.

use crate::error::{Error, Result};
use crate::time::Timestamp;
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

/// An options object, or a nested object inside one (`path` names it in errors).
pub struct Options {
    path: String,
    /// Its own enumerable properties, read once (`Object.entries`): an operation declares up
    /// to twenty options and a call gives a few, so every lookup is answered here instead of
    /// by a call into JS.
    entries: Vec<(String, JsValue)>,
}

impl Options {
    pub fn new(value: &JsValue) -> Result<Options> {
        Options::at(value.clone(), "options".into())
    }

    fn at(value: JsValue, path: String) -> Result<Options> {
        if !value.is_object() || Array::is_array(&value) {
            return Err(Error::validation([&path, " must be an object"].concat()));
        }
        let entries = Object::entries(value.unchecked_ref::<Object>())
            .iter()
            .map(|entry| {
                let pair: Array = entry.unchecked_into();
                (pair.get(0).as_string().unwrap_or_default(), pair.get(1))
            })
            .collect();
        Ok(Options { path, entries })
    }

    /// The raw value of a field (`undefined` when absent).
    pub fn raw(&self, name: &str) -> JsValue {
        let entry = self.entries.iter().find(|(key, _)| key == name);
        entry.map_or(JsValue::UNDEFINED, |(_, value)| value.clone())
    }

    fn present(&self, name: &str) -> Option<JsValue> {
        Some(self.raw(name)).filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn wrong(&self, name: &str, expected: &str) -> Error {
        Error::validation([name, " must be ", expected, &self.context()].concat())
    }

    fn context(&self) -> String {
        if self.path == "options" {
            String::new()
        } else {
            [" (in ", &self.path, ")"].concat()
        }
    }

    /// A string. One with a lone UTF-16 surrogate is refused: it has no UTF-8 form, and
    /// replacing it would make two different keys address the same object.
    pub fn string(&self, name: &str) -> Result<Option<String>> {
        self.present(name).map(|value| self.text(name, &value)).transpose()
    }

    fn text(&self, name: &str, value: &JsValue) -> Result<String> {
        match value.dyn_ref::<js_sys::JsString>() {
            Some(text) if text.is_valid_utf16() => Ok(String::from(text)),
            Some(_) => Err(self.wrong(name, "text without lone UTF-16 surrogates")),
            None => Err(self.wrong(name, "a string")),
        }
    }

    pub fn required_string(&self, name: &str) -> Result<String> {
        self.string(name)?.ok_or_else(|| self.missing(name))
    }

    /// The error for a required option that is absent, naming where it was expected.
    pub fn missing(&self, name: &str) -> Error {
        Error::validation([name, " is required", &self.context()].concat())
    }

    /// A whole number from 0 to `u64::MAX` that JS can hold exactly.
    pub fn u64(&self, name: &str) -> Result<Option<u64>> {
        self.present(name)
            .map(|v| whole_number(&v).ok_or_else(|| self.wrong(name, "a whole number of 0 or more")))
            .transpose()
    }

    /// A `Date`, a date string (ISO 8601 or HTTP) or milliseconds since 1970.
    pub fn date(&self, name: &str) -> Result<Option<Timestamp>> {
        let Some(value) = self.present(name) else { return Ok(None) };
        let millis = if let Some(date) = value.dyn_ref::<js_sys::Date>() {
            Some(date.get_time())
        } else if let Some(text) = value.as_string() {
            return Timestamp::parse(&text)
                .map(Some)
                .ok_or_else(|| self.wrong(name, "an ISO 8601 or HTTP date from 1970 to 9999"));
        } else {
            value.as_f64()
        };
        match millis {
            Some(ms) if ms.is_finite() => Timestamp::from_unix_millis_checked(ms as i64)
                .map(Some)
                .ok_or_else(|| self.wrong(name, "a date from 1970 to 9999")),
            _ => Err(self.wrong(name, "a valid Date, date string or number of milliseconds")),
        }
    }

    /// A plain object of strings (metadata, headers), as (name, value) pairs in its order.
    pub fn string_map(&self, name: &str) -> Result<Vec<(String, String)>> {
        let Some(object) = self.object(name)? else { return Ok(Vec::new()) };
        object.entries.iter().map(|(key, value)| Ok((key.clone(), object.text(key, value)?))).collect()
    }

    pub fn object(&self, name: &str) -> Result<Option<Options>> {
        self.present(name).map(|v| Options::at(v, name.into())).transpose()
    }

    /// Refuses any option that is not in `known`: an option the client would not act on must
    /// not be silently ignored.
    pub fn only(&self, known: &dyn Fn(&str) -> bool) -> Result<()> {
        for (name, value) in &self.entries {
            if !known(name) && !value.is_undefined() {
                return Err(Error::validation(["unknown option ", name, &self.context()].concat()));
            }
        }
        Ok(())
    }
}

/// A JS number that is a whole number from 0 to 2^53 − 1 (which JS holds exactly).
pub fn whole_number(value: &JsValue) -> Option<u64> {
    value.as_f64().filter(|n| n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(n)).map(|n| n as u64)
}
