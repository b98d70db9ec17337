//! S3 operations as data. Each operation is ONE declaration ([`catalog`]): its method and
//! sub-resource, each input field (where it travels: path, query, header, XML body; its type
//! and its check) and each output field (which header or XML element it comes from). From that
//! one declaration come the typed Rust inputs and outputs (the [`shape!`](crate::shape) macro), the JS option
//! reader and result writer (one generic interpreter each, in `js/`), request building
//! ([`build`]), presigning of any operation and the TypeScript declarations
//! (`tests/generated.rs`), so a field is written once.
//!
//! `core` + `alloc` only, like [`sigv4`](crate::sigv4): `tests/no-std-core` builds it as a
//! `#![no_std]` crate.

pub mod build;
pub mod catalog;
mod js_inputs;
pub use js_inputs::js_inputs;
mod shape;

use crate::body::Body;
use crate::time::Timestamp;
use alloc::string::String;
use alloc::vec::Vec;

pub use build::{Invalid, S3Request};
pub use shape::{FieldType, Shape};

/// An HTTP method S3 uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Put,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One S3 operation: how its input becomes a request and what its answer holds.
#[derive(Debug)]
pub struct Operation {
    /// The JS method name (`putObject`); also what errors and the TypeScript call it.
    pub name: &'static str,
    pub method: Method,
    /// Fixed query parameters that select the sub-resource (`uploads`, `list-type=2`).
    pub subresource: &'static [(&'static str, &'static str)],
    pub input: &'static [Field],
    /// The root element of the request's XML body, when fields travel in it.
    pub xml_root: Option<&'static str>,
    /// S3 requires `Content-MD5` on this call (DeleteObjects, PutBucketVersioning).
    pub requires_md5: bool,
    /// How the pipeline reads a successful answer.
    pub response: ResponseKind,
    pub output: &'static [Field],
    /// A rule that spans fields (checked after every field's own check).
    pub check: Option<CrossCheck>,
    /// A POST that means the same when sent twice (the retry layer repeats it); GET, HEAD,
    /// PUT and DELETE always do.
    pub idempotent: bool,
}

impl Operation {
    /// An operation on `input` whose answer is read as `response` into `output`; the methods
    /// below add a sub-resource, an XML body, a required Content-MD5 or a rule across fields.
    pub const fn new(
        name: &'static str,
        method: Method,
        input: &'static [Field],
        response: ResponseKind,
        output: &'static [Field],
    ) -> Operation {
        Operation {
            name,
            method,
            subresource: &[],
            input,
            xml_root: None,
            requires_md5: false,
            response,
            output,
            check: None,
            idempotent: false,
        }
    }

    pub const fn on(self, subresource: &'static [(&'static str, &'static str)]) -> Operation {
        Operation { subresource, ..self }
    }

    pub const fn xml_body(self, root: &'static str) -> Operation {
        Operation { xml_root: Some(root), ..self }
    }

    pub const fn with_md5(self) -> Operation {
        Operation { requires_md5: true, ..self }
    }

    pub const fn checked(self, check: CrossCheck) -> Operation {
        Operation { check: Some(check), ..self }
    }

    /// Declares a POST safe to send twice.
    pub const fn idempotent(self) -> Operation {
        Operation { idempotent: true, ..self }
    }
}

/// A rule over an operation's input values (in declaration order).
pub type CrossCheck = fn(&[Value]) -> Result<(), Invalid>;

/// What a successful answer's body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// Nothing to read: the output comes from the status and headers.
    Empty,
    /// An XML document (capped in size), read into the declared output.
    Xml,
    /// The object's bytes, handed to the caller as a stream.
    Stream,
}

/// One field of an input or output shape. Stored compactly (32 bytes on wasm32: a few hundred
/// of these ship in every download); [`Field::loc`] and [`Field::ty`] give it back as enums.
#[derive(Debug)]
pub struct Field {
    /// The camelCase name in JS options and results.
    pub name: &'static str,
    /// The header, query parameter or element name of `loc`, when it has one.
    wire: &'static str,
    /// The fields of a record or list item.
    nested: &'static [Field],
    check: &'static Check,
    loc: LocKind,
    ty: TyKind,
    /// Must be given (inputs) or present (outputs).
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LocKind {
    Bucket,
    Key,
    Query,
    Header,
    /// A header named `x-amz-` and the field's name in kebab case.
    AmzHeader,
    Metadata,
    Payload,
    ContentMd5,
    Flat,
    Xml,
    XmlKey,
    LocationConstraint,
    RootText,
    EncodingType,
    CopyBucket,
    CopyKey,
    CopyVersionId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TyKind {
    Text,
    Int,
    Bool,
    Date,
    Map,
    Range,
    Body,
    Record,
    List,
}

impl Field {
    /// Packs a declared field (used by [`shape!`](crate::shape)).
    pub const fn new(name: &'static str, loc: Loc, ty: Ty, required: bool, check: &'static Check) -> Field {
        let (loc, wire) = match loc {
            Loc::Bucket => (LocKind::Bucket, ""),
            Loc::Key => (LocKind::Key, ""),
            Loc::Query(wire) => (LocKind::Query, wire),
            Loc::Header(wire) => (LocKind::Header, wire),
            Loc::Metadata => (LocKind::Metadata, ""),
            Loc::Payload => (LocKind::Payload, ""),
            Loc::ContentMd5 => (LocKind::ContentMd5, ""),
            Loc::Flat => (LocKind::Flat, ""),
            Loc::Xml(wire) => (LocKind::Xml, wire),
            Loc::XmlKey(wire) => (LocKind::XmlKey, wire),
            Loc::LocationConstraint => (LocKind::LocationConstraint, ""),
            Loc::RootText => (LocKind::RootText, ""),
            Loc::EncodingType => (LocKind::EncodingType, ""),
            Loc::CopySource(CopyPart::Bucket) => (LocKind::CopyBucket, ""),
            Loc::CopySource(CopyPart::Key) => (LocKind::CopyKey, ""),
            Loc::CopySource(CopyPart::VersionId) => (LocKind::CopyVersionId, ""),
        };
        let (ty, nested): (TyKind, &'static [Field]) = match ty {
            Ty::Text => (TyKind::Text, &[]),
            Ty::Int => (TyKind::Int, &[]),
            Ty::Bool => (TyKind::Bool, &[]),
            Ty::Date => (TyKind::Date, &[]),
            Ty::Map => (TyKind::Map, &[]),
            Ty::Range => (TyKind::Range, &[]),
            Ty::Body => (TyKind::Body, &[]),
            Ty::Record(fields) => (TyKind::Record, fields),
            Ty::List(fields) => (TyKind::List, fields),
        };
        assert!(wire.len() <= MAX_WIRE, "a wire name is longer than Wire holds");
        // A wire name that follows from the field's name is left out of the download.
        let (loc, wire) = if matches!(loc, LocKind::Header) && follows_from(LocKind::AmzHeader, name, wire) {
            (LocKind::AmzHeader, "")
        } else if follows_from(loc, name, wire) {
            (loc, "")
        } else {
            (loc, wire)
        };
        Field { name, wire, nested, check, loc, ty, required }
    }

    /// Where the field travels; [`Field::wire`] gives the name it travels under.
    pub fn loc(&self) -> Loc<()> {
        let wire = ();
        match self.loc {
            LocKind::Bucket => Loc::Bucket,
            LocKind::Key => Loc::Key,
            LocKind::Query => Loc::Query(wire),
            LocKind::Header | LocKind::AmzHeader => Loc::Header(wire),
            LocKind::Metadata => Loc::Metadata,
            LocKind::Payload => Loc::Payload,
            LocKind::ContentMd5 => Loc::ContentMd5,
            LocKind::Flat => Loc::Flat,
            LocKind::Xml => Loc::Xml(wire),
            LocKind::XmlKey => Loc::XmlKey(wire),
            LocKind::LocationConstraint => Loc::LocationConstraint,
            LocKind::RootText => Loc::RootText,
            LocKind::EncodingType => Loc::EncodingType,
            LocKind::CopyBucket => Loc::CopySource(CopyPart::Bucket),
            LocKind::CopyKey => Loc::CopySource(CopyPart::Key),
            LocKind::CopyVersionId => Loc::CopySource(CopyPart::VersionId),
        }
    }

    /// The header, query parameter or element name of the field's [`Loc`]: as declared, or
    /// when the declaration gave the name that follows from the field's (AWS's usual naming:
    /// `maxKeys` is the query parameter `max-keys`, `contentType` the header `content-type`,
    /// `keyCount` the element `KeyCount`), made from it again.
    pub fn wire(&self) -> Wire {
        let mut wire = Wire { bytes: [0; MAX_WIRE], len: 0 };
        let kebab = matches!(self.loc, LocKind::Header | LocKind::AmzHeader | LocKind::Query);
        if self.loc == LocKind::AmzHeader {
            wire.push(AMZ.as_bytes());
        }
        if !self.wire.is_empty() || !(kebab || matches!(self.loc, LocKind::Xml | LocKind::XmlKey)) {
            wire.push(self.wire.as_bytes());
            return wire;
        }
        if !kebab {
            // An element: the name capitalized (names are ASCII camelCase).
            wire.push(self.name.as_bytes());
            wire.bytes[0].make_ascii_uppercase();
            return wire;
        }
        for &c in self.name.as_bytes() {
            if c.is_ascii_uppercase() {
                wire.push(&[b'-', c.to_ascii_lowercase()]);
            } else {
                wire.push(&[c]);
            }
        }
        wire
    }

    /// The field's type.
    pub fn ty(&self) -> Ty {
        match self.ty {
            TyKind::Text => Ty::Text,
            TyKind::Int => Ty::Int,
            TyKind::Bool => Ty::Bool,
            TyKind::Date => Ty::Date,
            TyKind::Map => Ty::Map,
            TyKind::Range => Ty::Range,
            TyKind::Body => Ty::Body,
            TyKind::Record => Ty::Record(self.nested),
            TyKind::List => Ty::List(self.nested),
        }
    }

    /// The field's own rule.
    pub fn check(&self) -> Check {
        *self.check
    }
}

/// The longest header, query parameter or element name (or element path) a field may declare.
const MAX_WIRE: usize = 48;

/// A field's header, query parameter or element name, as [`Field::wire`] gives it back: on the
/// stack (names are short, and read for every field of every request and answer), `&str` by
/// `Deref`.
pub struct Wire {
    bytes: [u8; MAX_WIRE],
    len: usize,
}

impl Wire {
    /// Appends whole UTF-8 text (a declared name) or ASCII (a name made from a field's).
    fn push(&mut self, text: &[u8]) {
        let end = (self.len + text.len()).min(MAX_WIRE);
        self.bytes[self.len..end].copy_from_slice(&text[..end - self.len]);
        self.len = end;
    }
}

impl core::ops::Deref for Wire {
    type Target = str;

    fn deref(&self) -> &str {
        core::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// Where a field travels. Declared with its header, query parameter or element name; read
/// back from a [`Field`] without it (`Loc<()>`): [`Field::wire`] gives the name, which is not
/// stored when it follows from the field's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loc<S = &'static str> {
    /// The bucket (path or host, by addressing).
    Bucket,
    /// The object key (path).
    Key,
    Query(S),
    Header(S),
    /// User metadata: `x-amz-meta-<name>` headers.
    Metadata,
    /// The request body, or (outputs) the HTTP status.
    Payload,
    /// `true` asks for `Content-MD5` of the body, read in chunks.
    ContentMd5,
    /// A group of fields (a nested Rust struct) that JS writes flat, in the same object.
    Flat,
    /// An element of the XML body: one per value, or one per item of a list.
    Xml(S),
    /// A listing's key-like element: URL-decoded when the listing says it encoded them.
    XmlKey(S),
    /// CreateBucket's `<LocationConstraint>`: the client's region unless given, and none for
    /// us-east-1 (which refuses it).
    LocationConstraint,
    /// The whole text of the XML root (GetBucketLocation).
    RootText,
    /// `encoding-type`: `url` unless `"none"` (listings decode the keys again).
    EncodingType,
    /// A part of `x-amz-copy-source`.
    CopySource(CopyPart),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyPart {
    Bucket,
    Key,
    VersionId,
}

/// A field's type, as JS gives and receives it.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Text,
    /// A whole number (sizes up to 2^53 in JS).
    Int,
    Bool,
    Date,
    /// Text to text (metadata, signed headers).
    Map,
    Range,
    Body,
    /// A nested shape: one object (or, with [`Loc::Flat`], fields of the parent object).
    Record(&'static [Field]),
    /// A list of objects of one shape.
    List(&'static [Field]),
}

/// A field's own rule, checked before any request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    None,
    /// A whole number in this inclusive range.
    Between(u32, u32),
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// A list of this many items at most (and at least one).
    Items(usize),
    /// A closed `{ start, end }` range (copy source ranges).
    ClosedRange,
}

/// A field's value inside the interpreter: what JS options and typed Rust inputs become, and
/// what answers are read into.
#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Absent,
    Text(String),
    Int(u64),
    Bool(bool),
    Date(Timestamp),
    Map(Vec<(String, String)>),
    Range(ByteRange),
    Body(Body),
    Record(Vec<Value>),
    List(Vec<Vec<Value>>),
}

/// A byte range: `{start, end}` (inclusive), `{start}` to the end, `{suffix: n}` for the last
/// n bytes, or a raw `bytes=…` header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ByteRange {
    Raw(String),
    Suffix { suffix: u64 },
    From { start: u64, end: Option<u64> },
}

/// The prefix of S3's own headers.
const AMZ: &str = "x-amz-";

/// Looks an operation up by its JS name.
pub fn find(name: &str) -> Option<&'static Operation> {
    catalog::ALL.iter().copied().find(|op| op.name == name)
}

/// Whether `wire` is the name [`Field::wire`] makes from `name` for a field at `loc`: the name
/// capitalized for an element, the name in kebab case for a header or query parameter, and
/// prefixed with `x-amz-` for one of S3's own headers.
const fn follows_from(loc: LocKind, name: &str, wire: &str) -> bool {
    let (name, mut wire) = (name.as_bytes(), wire.as_bytes());
    if matches!(loc, LocKind::AmzHeader) {
        let Some((prefix, rest)) = wire.split_at_checked(AMZ.len()) else { return false };
        let mut i = 0;
        while i < AMZ.len() {
            if prefix[i] != AMZ.as_bytes()[i] {
                return false;
            }
            i += 1;
        }
        wire = rest;
    }
    let kebab = matches!(loc, LocKind::Header | LocKind::AmzHeader | LocKind::Query);
    if !(kebab || matches!(loc, LocKind::Xml | LocKind::XmlKey)) || name.is_empty() {
        return false;
    }
    // `const fn` has no iterators: index by hand.
    let (mut i, mut j) = (0, 0);
    while i < name.len() {
        let c = name[i];
        if kebab && c.is_ascii_uppercase() {
            if j + 1 >= wire.len() || wire[j] != b'-' || wire[j + 1] != c.to_ascii_lowercase() {
                return false;
            }
            j += 2;
        } else {
            let expected = if !kebab && i == 0 { c.to_ascii_uppercase() } else { c };
            if j >= wire.len() || wire[j] != expected {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    j == wire.len()
}
