//! The package's generated files, made from the operation declarations: the TypeScript
//! declarations of every operation's options and result (`pkg-template/operations.d.ts`), and
//! a copy of the table of input fields the wasm gives `client.js` (`tests/js/operation-inputs.json`,
//! for the tests that build options from it).
//!
//! This test fails when a committed file differs from what the declarations give (a field
//! added, renamed or retyped in Rust and not in TypeScript), so the types cannot drift from
//! the wasm. `LIVERY_WRITE_GENERATED=1 cargo test --test generated` rewrites them.

use livery_s3::operations::catalog::ALL;
use livery_s3::operations::{js_inputs, Check, Field, Loc, ResponseKind, Ty};
use std::fmt::Write;

const HEADER: &str = "Generated from src/operations/catalog.rs by tests/generated.rs \
                      (LIVERY_WRITE_GENERATED=1 cargo test --test generated): do not edit.";

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Input,
    Output,
}

fn pascal(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// The members of an object type, flat groups merged in.
fn members(fields: &[Field], side: Side, indent: &str, out: &mut String) {
    for field in fields {
        match (field.loc(), field.ty()) {
            (Loc::Flat, Ty::Record(inner)) => members(inner, side, indent, out),
            _ => {
                // Lists, flags and metadata are always in a result; inputs may leave out all but
                // the required.
                let always = match side {
                    Side::Input => field.required,
                    Side::Output => field.required || matches!(field.ty(), Ty::List(_) | Ty::Bool | Ty::Map),
                };
                let optional = if always { "" } else { "?" };
                let _ = writeln!(out, "{indent}{}{optional}: {};", field.name, ts_type(field, side, indent));
            }
        }
    }
}

fn ts_type(field: &Field, side: Side, indent: &str) -> String {
    if let (Check::OneOf(words), Side::Input) = (field.check(), side) {
        return words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" | ");
    }
    match (field.ty(), side) {
        (Ty::Text, _) => "string".into(),
        (Ty::Int, _) => "number".into(),
        (Ty::Bool, _) => "boolean".into(),
        (Ty::Date, Side::Input) => "DateInput".into(),
        (Ty::Date, Side::Output) => "Date".into(),
        (Ty::Map, _) => "Record<string, string>".into(),
        (Ty::Range, _) => "ByteRange".into(),
        (Ty::Body, _) => "Body".into(),
        (Ty::Record(inner), _) => object(inner, side, indent),
        (Ty::List(inner), _) => format!("Array<{}>", object(inner, side, indent)),
    }
}

fn object(fields: &[Field], side: Side, indent: &str) -> String {
    let inner_indent = format!("{indent}  ");
    let mut out = String::from("{\n");
    members(fields, side, &inner_indent, &mut out);
    out.push_str(indent);
    out.push('}');
    out
}

fn declarations() -> String {
    let mut out = format!("// {HEADER}\n");
    out.push_str("import type { Body, ByteRange, DateInput, StreamedBody } from './index.js';\n\n");
    out.push_str("/** Every operation also takes `signal`, an AbortSignal that cancels it. */\n");
    out.push_str("export interface CallOptions {\n  signal?: AbortSignal;\n}\n");
    for op in ALL {
        let name = pascal(op.name);
        let _ = write!(out, "\nexport interface {name}Options extends CallOptions {{\n");
        members(op.input, Side::Input, "  ", &mut out);
        out.push_str("}\n");
        let _ = write!(out, "\nexport interface {name}Result {{\n");
        members(op.output, Side::Output, "  ", &mut out);
        out.push_str("}\n");
    }
    out.push_str(
        "\n/** One method per S3 operation, each taking its options object. */\nexport interface Operations {\n",
    );
    for op in ALL {
        let name = pascal(op.name);
        let result = match op.response {
            ResponseKind::Stream => format!("{name}Result & StreamedBody"),
            _ if op.output.is_empty() => "void".into(),
            _ => format!("{name}Result"),
        };
        let optional = if op.input.iter().any(|f| f.required) { "" } else { "?" };
        let _ = writeln!(out, "  {}(options{optional}: {name}Options): Promise<{result}>;", op.name);
    }
    out.push_str("}\n");
    out
}

#[test]
fn generated_files_match_the_declarations() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/");
    let mut stale = Vec::new();
    // The option reader's table is the wasm's own (`js_inputs`): the tests that build options
    // from it read this copy.
    let inputs = js_inputs() + "\n";
    for (file, text) in [("pkg-template/operations.d.ts", declarations()), ("tests/js/operation-inputs.json", inputs)] {
        let path = format!("{dir}{file}");
        if std::env::var_os("LIVERY_WRITE_GENERATED").is_some() {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from the declarations: run LIVERY_WRITE_GENERATED=1 cargo test --test generated"
    );
}
