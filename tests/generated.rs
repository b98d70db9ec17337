//! The package's generated files, made from the operation declarations: the TypeScript
//! declarations of every operation's options and result (`pkg-template/operations.d.ts`) and
//! the operations, their input fields and the date fields of their results that `client.js`
//! uses (`pkg-template/operations.js`).
//!
//! This test fails when a committed file differs from what the declarations give (a field
//! added, renamed or retyped in Rust and not in TypeScript), so the types cannot drift from
//! the wasm. `LIVERY_WRITE_GENERATED=1 cargo test --test generated` rewrites them.

use livery_s3::operations::catalog::ALL;
use livery_s3::operations::{Check, Field, Loc, ResponseKind, Ty};
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

/// An operation's input fields as `client.js` reads them (`readFields` in options.js):
/// `[name, type, required, fields]`, the type one letter: `t`ext, `i`nteger, `b`oolean,
/// `d`ate, `m`ap, `r`ange, `B`ody, `R`ecord, `L`ist, and `F` for a flat group (read from the
/// same object).
fn input_table(fields: &[Field]) -> String {
    let items: Vec<String> = fields
        .iter()
        .map(|field| {
            let (code, inner) = match (field.loc(), field.ty()) {
                (Loc::Flat, Ty::Record(inner)) => ('F', Some(inner)),
                (_, Ty::Text) => ('t', None),
                (_, Ty::Int) => ('i', None),
                (_, Ty::Bool) => ('b', None),
                (_, Ty::Date) => ('d', None),
                (_, Ty::Map) => ('m', None),
                (_, Ty::Range) => ('r', None),
                (_, Ty::Body) => ('B', None),
                (_, Ty::Record(inner)) => ('R', Some(inner)),
                (_, Ty::List(inner)) => ('L', Some(inner)),
            };
            let required = u8::from(field.required);
            match inner {
                Some(inner) => format!("['{}', '{code}', {required}, {}]", field.name, input_table(inner)),
                None if field.required => format!("['{}', '{code}', 1]", field.name),
                None => format!("['{}', '{code}']", field.name),
            }
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn client_tables() -> String {
    let inputs: Vec<String> = ALL.iter().map(|op| format!("  {}: {},", op.name, input_table(op.input))).collect();
    format!(
        "// {HEADER}\n// Every operation, with its input fields (options.js, `readFields`).\nexport const INPUTS = {{\n{}\n}};\n",
        inputs.join("\n")
    )
}

#[test]
fn generated_files_match_the_declarations() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg-template/");
    let mut stale = Vec::new();
    for (file, text) in [("operations.d.ts", declarations()), ("operations.js", client_tables())] {
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
