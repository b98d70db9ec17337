//! JS options in, JS results out, for every operation through its declaration: one reader
//! and one writer, so no per-operation code reaches the wasm.
//!
//! Arrays are read with js-sys's `get_unchecked`: the same `array[i]` as its `get`, under the
//! name its array iterator uses, so the glue holds one import for both.

use crate::body::{Body, JsBody};
use crate::error::{Error, Result};
use crate::operations::{ByteRange, Field, Loc, Ty, Value};
use crate::time::Timestamp;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// The values of `fields` from what `client.js` read and checked from the caller's options
/// (`readFields` in `options.js`, from the same declarations): an array in declaration order,
/// `undefined` where absent (a flat group given none of its fields too); a flat group or
/// record as a nested array, a list as an array of
/// them, a map as `[name, value]` pairs, a range as `"bytes=…"` or `[start, end, suffix]`, a
/// date as milliseconds or a date string. Reading the options object in JS keeps 2.9 KiB out
/// of the browser download.
pub fn from_js(fields: &[Field], values: &JsValue) -> Result<Vec<Value>> {
    let values: &Array = values.unchecked_ref();
    fields.iter().enumerate().map(|(at, field)| value(field, values.get_unchecked(at as u32))).collect()
}

fn value(field: &Field, value: JsValue) -> Result<Value> {
    Ok(match field.ty() {
        // Never absent: a flag not given is false, a body not given is none.
        Ty::Bool => Value::Bool(value.is_truthy()),
        Ty::Body => Value::Body(JsBody::from_js(value)?.map(Body::Js).unwrap_or_default()),
        _ if value.is_undefined() => Value::Absent,
        Ty::Text => Value::Text(value.as_string().unwrap_or_default()),
        Ty::Int => Value::Int(value.as_f64().unwrap_or_default() as u64),
        Ty::Date => Value::Date(date(field.name, &value)?),
        Ty::Map => {
            let pairs = text_pairs(&value);
            if pairs.is_empty() {
                Value::Absent
            } else {
                Value::Map(pairs)
            }
        }
        Ty::Range => Value::Range(match value.as_string() {
            Some(raw) => ByteRange::Raw(raw),
            None => range(field.name, value.unchecked_ref())?,
        }),
        Ty::Record(inner) => Value::Record(from_js(inner, &value)?),
        Ty::List(inner) => Value::List(
            value.unchecked_into::<Array>().iter().map(|item| from_js(inner, &item)).collect::<Result<_>>()?,
        ),
    })
}

/// `[[name, value], …]`, all strings (`client.js` checked them); none when not given.
pub fn text_pairs(pairs: &JsValue) -> Vec<(String, String)> {
    let Some(pairs) = pairs.dyn_ref::<Array>() else { return Vec::new() };
    let text = |pair: &Array, at| pair.get_unchecked(at).as_string().unwrap_or_default();
    pairs.iter().map(|pair| (text(pair.unchecked_ref(), 0), text(pair.unchecked_ref(), 1))).collect()
}

/// A signing date as presign and presignPost take it: [`date`], or `None` when not given.
pub fn signing_date(value: &JsValue) -> Result<Option<Timestamp>> {
    if value.is_undefined() {
        return Ok(None);
    }
    date("signingDate", value).map(Some)
}

/// Milliseconds since 1970 or a date string (ISO 8601 or HTTP), from 1970 to 9999.
pub fn date(name: &str, value: &JsValue) -> Result<Timestamp> {
    let wrong = |expected: &str| Error::validation([name, " must be ", expected].concat());
    match value.as_f64() {
        Some(ms) => Timestamp::from_unix_millis_checked(ms as i64).ok_or_else(|| wrong("a date from 1970 to 9999")),
        None => Timestamp::parse(&value.as_string().unwrap_or_default())
            .ok_or_else(|| wrong("an ISO 8601 or HTTP date from 1970 to 9999")),
    }
}

/// `[start, end, suffix]` of `{ start, end }`, `{ start }` or `{ suffix }`.
fn range(name: &str, parts: &Array) -> Result<ByteRange> {
    let part = |at| parts.get_unchecked(at).as_f64().map(|n| n as u64);
    match (part(0), part(1), part(2)) {
        (None, None, Some(suffix)) => Ok(ByteRange::Suffix { suffix }),
        (Some(start), end, None) => Ok(ByteRange::From { start, end }),
        _ => Err(Error::validation([name, " must be { start, end }, { start }, { suffix } or \"bytes=…\""].concat())),
    }
}

/// Output values as `client.js` turns them into a result (`fromTape`): `text`, every string of
/// the result one after another, and `ops`, numbers that say what to build. JSON text and
/// `JSON.parse` took about twice as long for a 1000-key listing page (README, Performance).
///
/// A record is its members, then -1. A member is `id * 8 + tag`, the member's name then
/// (when `id` is new: its length in `text`, names numbered as they first come) and its value
/// by tag: 0 text (its length), 1 a number, 2 a date (milliseconds), 3 false, 4 true, 5 a
/// record, 6 a list (its length, then each item's record), 7 a map (its length, then each
/// name's and text's length). Lengths count UTF-16 units, as JS strings do. Absent values are
/// left out.
pub struct Tape {
    text: String,
    /// The numbers as f64s, little-endian as in wasm's memory: JS reads them as a
    /// Float64Array over a copy of these bytes (a Uint8Array, which the glue makes anyway).
    ops: Vec<u8>,
    names: Vec<&'static str>,
}

impl Tape {
    pub fn new(fields: &[Field], values: &[Value]) -> Tape {
        let mut tape = Tape { text: String::new(), ops: Vec::new(), names: Vec::new() };
        tape.record(fields, values);
        tape
    }

    /// `[text, ops]`, and the object body's stream after them when there is one.
    pub fn into_js(self, stream: Option<JsValue>) -> JsValue {
        let parts = Array::new();
        parts.push(&self.text.into());
        parts.push(&Uint8Array::from(&self.ops[..]));
        if let Some(stream) = stream {
            parts.push(&stream);
        }
        parts.into()
    }

    fn record(&mut self, fields: &[Field], values: &[Value]) {
        self.members(fields, values);
        self.op(-1.0);
    }

    fn members(&mut self, fields: &[Field], values: &[Value]) {
        for (field, value) in fields.iter().zip(values) {
            let name = field.name;
            match (field.loc(), field.ty(), value) {
                (Loc::Flat, Ty::Record(inner), Value::Record(group)) => self.members(inner, group),
                // What the declarations say a result always has (flags, lists, required
                // numbers) is false, empty or 0 when the answer lacks it, as in the typed Rust
                // outputs.
                (_, Ty::Bool, Value::Absent) => self.member(name, 3),
                (_, Ty::List(_), Value::Absent) => self.number(name, 6, 0.0),
                (_, Ty::Int, Value::Absent) if field.required => self.number(name, 1, 0.0),
                (_, _, Value::Bool(flag)) => self.member(name, 3 + u8::from(*flag)),
                (_, _, Value::Text(text)) => {
                    self.member(name, 0);
                    self.text(text);
                }
                (_, _, Value::Int(n)) => self.number(name, 1, *n as f64),
                // Dates run from 1970 (`Timestamp`): never negative.
                (_, _, Value::Date(date)) => self.number(name, 2, date.unix_millis() as f64),
                (_, Ty::Record(inner), Value::Record(values)) => {
                    self.member(name, 5);
                    self.record(inner, values);
                }
                (_, Ty::List(inner), Value::List(items)) => {
                    self.number(name, 6, items.len() as f64);
                    for item in items {
                        self.record(inner, item);
                    }
                }
                (_, _, Value::Map(pairs)) => {
                    self.number(name, 7, pairs.len() as f64);
                    for (name, text) in pairs {
                        self.text(name);
                        self.text(text);
                    }
                }
                _ => {}
            }
        }
    }

    /// A member's head, and its name when it is the first member of that name. Names are
    /// compared by address, which is cheap: a name declared in two places may be sent twice,
    /// and reads the same.
    fn member(&mut self, name: &'static str, tag: u8) {
        let known = self.names.iter().position(|seen| core::ptr::eq(*seen, name));
        self.op((known.unwrap_or(self.names.len()) * 8 + usize::from(tag)) as f64);
        if known.is_none() {
            self.names.push(name);
            self.text(name);
        }
    }

    fn number(&mut self, name: &'static str, tag: u8, n: f64) {
        self.member(name, tag);
        self.op(n);
    }

    fn text(&mut self, text: &str) {
        // UTF-16 units: one per character, two for those past U+FFFF (4-byte UTF-8).
        let units: usize = text.bytes().map(|b| usize::from(b & 0xc0 != 0x80) + usize::from(b >= 0xf0)).sum();
        self.op(units as f64);
        self.text.push_str(text);
    }

    fn op(&mut self, n: f64) {
        self.ops.extend_from_slice(&n.to_le_bytes());
    }
}
