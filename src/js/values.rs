//! JS options in, JS results out, for every operation through its declaration: one reader
//! and one writer, so no per-operation code reaches the wasm.

use super::options::Options;
use crate::encoding::decimal;
use crate::error::{Error, Result};
use crate::operations::{ByteRange, Field, Loc, Ty, Value};

/// Reads `fields` from an options object (groups declared [`Loc::Flat`] from the same object).
pub fn read(fields: &[Field], o: &Options) -> Result<Vec<Value>> {
    fields.iter().map(|field| read_field(field, o)).collect()
}

fn read_field(field: &Field, o: &Options) -> Result<Value> {
    let value = read_value(field, o)?;
    if field.required && matches!(value, Value::Absent) {
        return Err(o.missing(field.name));
    }
    Ok(value)
}

fn read_value(field: &Field, o: &Options) -> Result<Value> {
    let name = field.name;
    Ok(match field.ty() {
        Ty::Text => o.string(name)?.map_or(Value::Absent, Value::Text),
        Ty::Int => o.u64(name)?.map_or(Value::Absent, Value::Int),
        Ty::Bool => Value::Bool(o.bool(name, false)?),
        Ty::Date => o.date(name)?.map_or(Value::Absent, Value::Date),
        Ty::Map => {
            let map = o.string_map(name)?;
            if map.is_empty() {
                Value::Absent
            } else {
                Value::Map(map)
            }
        }
        Ty::Range => range(o, name)?.map_or(Value::Absent, Value::Range),
        Ty::Body => Value::Body(o.body()?),
        Ty::Record(inner) if field.loc() == Loc::Flat => Value::Record(read(inner, o)?),
        Ty::Record(inner) => match o.object(name)? {
            Some(nested) => Value::Record(read(inner, &nested)?),
            None => Value::Absent,
        },
        Ty::List(inner) => {
            let items = o.items(name)?;
            if items.is_empty() && o.raw(name).is_undefined() {
                Value::Absent
            } else {
                Value::List(items.iter().map(|item| read_item(inner, item)).collect::<Result<_>>()?)
            }
        }
    })
}

/// A list item: an object of exactly the declared fields.
fn read_item(fields: &[Field], item: &Options) -> Result<Vec<Value>> {
    item.only(&|name| fields.iter().any(|f| f.name == name))?;
    read(fields, item)
}

/// `{ start, end }`, `{ start }`, `{ suffix }` or a raw `"bytes=…"` string.
fn range(o: &Options, name: &str) -> Result<Option<ByteRange>> {
    if let Some(raw) = o.raw(name).as_string() {
        return Ok(Some(ByteRange::Raw(raw)));
    }
    let Some(range) = o.object(name)? else { return Ok(None) };
    range.only(&|key| matches!(key, "start" | "end" | "suffix"))?;
    match (range.u64("start")?, range.u64("end")?, range.u64("suffix")?) {
        (None, None, Some(suffix)) => Ok(Some(ByteRange::Suffix { suffix })),
        (Some(start), end, None) => Ok(Some(ByteRange::From { start, end })),
        _ => Err(Error::validation([name, " must be { start, end }, { start }, { suffix } or \"bytes=…\""].concat())),
    }
}

/// Whether `name` is an option of `fields` (looking into flat groups).
pub fn is_option(fields: &[Field], name: &str) -> bool {
    fields.iter().any(|field| match (field.loc(), field.ty()) {
        (Loc::Flat, Ty::Record(inner)) => is_option(inner, name),
        _ => field.name == name,
    })
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
        match (field.loc(), field.ty(), value) {
            (_, _, Value::Absent) => continue,
            (Loc::Flat, Ty::Record(inner), Value::Record(group)) => {
                write_members(inner, group, out, first);
                continue;
            }
            _ => {}
        }
        if !*first {
            out.push(',');
        }
        *first = false;
        write_string(field.name, out);
        out.push(':');
        write_value(field.ty(), value, out);
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
