//! JS options in, JS results out, for every operation through its declaration: one reader
//! and one writer, so no per-operation code reaches the wasm.

use crate::body::{Body, JsBody};
use crate::encoding::decimal;
use crate::error::{Error, Result};
use crate::operations::{ByteRange, Field, Loc, Ty, Value};
use crate::time::Timestamp;
use js_sys::Array;
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
    fields.iter().enumerate().map(|(at, field)| value(field, values.get(at as u32))).collect()
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
    let text = |pair: &Array, at| pair.get(at).as_string().unwrap_or_default();
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
    let part = |at| parts.get(at).as_f64().map(|n| n as u64);
    match (part(0), part(1), part(2)) {
        (None, None, Some(suffix)) => Ok(ByteRange::Suffix { suffix }),
        (Some(start), end, None) => Ok(ByteRange::From { start, end }),
        _ => Err(Error::validation([name, " must be { start, end }, { start }, { suffix } or \"bytes=…\""].concat())),
    }
}

/// Writes output values as JSON for `JSON.parse` in `client.js`: one string crosses the
/// boundary instead of one call per property. Dates are milliseconds, turned into `Date`s by
/// the reviver from the declarations' date fields; absent values are left out.
pub fn write_json(fields: &[Field], values: &[Value], out: &mut String) {
    out.push('{');
    let mut first = true;
    write_members(fields, values, out, &mut first);
    out.push('}');
}

fn write_members(fields: &[Field], values: &[Value], out: &mut String, first: &mut bool) {
    for (field, value) in fields.iter().zip(values) {
        let missing = match (field.loc(), field.ty(), value) {
            (Loc::Flat, Ty::Record(inner), Value::Record(group)) => {
                write_members(inner, group, out, first);
                continue;
            }
            // What the declarations say a result always has (flags, lists, required numbers)
            // is false, empty or 0 when the answer lacks it, as in the typed Rust outputs.
            (_, Ty::Bool, Value::Absent) => "false",
            (_, Ty::List(_), Value::Absent) => "[]",
            (_, Ty::Int, Value::Absent) if field.required => "0",
            (_, _, Value::Absent) => continue,
            _ => "",
        };
        if !*first {
            out.push(',');
        }
        *first = false;
        write_string(field.name, out);
        out.push(':');
        if missing.is_empty() {
            write_value(field.ty(), value, out);
        } else {
            out.push_str(missing);
        }
    }
}

fn write_value(ty: Ty, value: &Value, out: &mut String) {
    match (ty, value) {
        (_, Value::Text(text)) => write_string(text, out),
        (_, Value::Int(n)) => out.push_str(&decimal(*n)),
        (_, Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        // Dates run from 1970 (`Timestamp`): never negative.
        (_, Value::Date(date)) => out.push_str(&decimal(date.unix_millis() as u64)),
        (_, Value::Map(pairs)) => {
            out.push('{');
            for (i, (name, text)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                write_string(text, out);
            }
            out.push('}');
        }
        (Ty::Record(inner), Value::Record(values)) => write_json(inner, values, out),
        (Ty::List(inner), Value::List(items)) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(inner, item, out);
            }
            out.push(']');
        }
        _ => out.push_str("null"),
    }
}

pub(crate) fn write_string(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    // Copies the runs that need no escape whole: a listing page is mostly such runs.
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|b| b == b'"' || b == b'\\' || b < 0x20) {
        let b = rest.as_bytes()[at];
        out.push_str(rest.get(..at).unwrap_or_default());
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            _ => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        rest = rest.get(at + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out.push('"');
}
