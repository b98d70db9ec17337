//! The table of every operation's input fields that the npm package's option reader takes
//! from the wasm at start-up.

use super::{catalog, Field, LocKind};
use alloc::string::String;

/// Every operation's input fields as `client.js` reads them (`readFields` in options.js), as
/// JSON text (tests/generated.rs keeps a copy in tests/js/ for the tests that build options
/// from it): `{ operation: [[name, type, required, fields], …], … }`, `required` 0 or 1, the
/// type one letter (`t`ext, `i`nteger, `b`oolean, `d`ate, `m`ap, `r`ange, `B`ody, `R`ecord,
/// `L`ist, and `F` for a flat group, read from the same object) and `fields` only for the
/// last three. Made from the declarations the wasm holds anyway, where a generated copy in the
/// JS cost 0.5 KiB of the browser download.
pub fn js_inputs() -> String {
    let mut json = String::from("{");
    for (i, operation) in catalog::ALL.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('"');
        json.push_str(operation.name);
        json.push_str("\":");
        write_inputs(operation.input, &mut json);
    }
    json.push('}');
    json
}

/// Names are plain ASCII identifiers: nothing in them needs escaping.
fn write_inputs(fields: &[Field], json: &mut String) {
    json.push('[');
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str("[\"");
        json.push_str(field.name);
        json.push_str("\",\"");
        // By `TyKind`'s order; a flat group is a record read from the same object.
        let code = if field.loc == LocKind::Flat { 'F' } else { char::from(b"tibdmrBRL"[field.ty as usize]) };
        json.push(code);
        json.push_str(if field.required { "\",1" } else { "\",0" });
        if matches!(code, 'F' | 'R' | 'L') {
            json.push(',');
            write_inputs(field.nested, json);
        }
        json.push(']');
    }
    json.push(']');
}
