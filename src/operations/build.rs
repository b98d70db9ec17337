//! From a declared operation and its input values to the request to sign: every field checked,
//! then placed where its declaration says (path, query, header, XML body). One interpreter for
//! every operation.

use super::{ByteRange, Check, CopyPart, Field, Loc, Method, Operation, Ty, Value};
use crate::body::Body;
use crate::encoding::{decimal, encoded_word};
use crate::sigv4::uri_encode;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// User metadata may total 2 KB (names and values, UTF-8).
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html>
const MAX_METADATA_BYTES: usize = 2048;

/// Input refused before any request: the message says which field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(message: &str) -> Self {
        Invalid(message.into())
    }
}

/// One S3 call as the declaration builds it: what, on which bucket and key, with which query,
/// headers and body. The pipeline validates the names, addresses it, signs it and sends it.
#[derive(Debug, Clone)]
pub struct S3Request {
    pub method: Method,
    pub bucket: Option<String>,
    pub key: Option<String>,
    /// Decoded (name, value) pairs; encoded once when the URL is built.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Send `Content-MD5` of the body (read in chunks by the pipeline).
    pub content_md5: bool,
}

/// Builds the request of `operation` from its input `values` (one per declared field).
/// `region` is the client's, for CreateBucket's location constraint.
pub fn build(operation: &Operation, values: Vec<Value>, region: &str) -> Result<S3Request, Invalid> {
    // One value per field (`S3Client::call` takes them from any Rust caller): fewer would leave
    // required fields unchecked. The package's values are made one per field (`js::values`).
    #[cfg(not(target_arch = "wasm32"))]
    if values.len() != operation.input.len() {
        return Err(Invalid::new("the input has not one value per declared field"));
    }
    check_all(operation.input, &values)?;
    if let Some(check) = operation.check {
        check(&values)?;
    }
    let mut request = S3Request {
        method: operation.method,
        bucket: None,
        key: None,
        query: operation.subresource.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        headers: Vec::new(),
        body: Body::Empty,
        content_md5: operation.requires_md5,
    };
    let mut xml = String::new();
    let mut copy_source = String::new();
    place(operation.input, values, region, &mut request, &mut xml, &mut copy_source)?;
    if !copy_source.is_empty() {
        request.headers.push(("x-amz-copy-source".into(), copy_source));
    }
    if let (Some(root), false) = (operation.xml_root, xml.is_empty()) {
        request.body = Body::from(
            [
                r#"<?xml version="1.0" encoding="UTF-8"?><"#,
                root,
                r#" xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#,
                &xml,
                "</",
                root,
                ">",
            ]
            .concat(),
        );
    }
    Ok(request)
}

fn place(
    fields: &[Field],
    values: Vec<Value>,
    region: &str,
    request: &mut S3Request,
    xml: &mut String,
    copy_source: &mut String,
) -> Result<(), Invalid> {
    for (field, value) in fields.iter().zip(values) {
        match (field.loc(), value) {
            (Loc::Flat, Value::Record(group)) => {
                let Ty::Record(inner) = field.ty() else { continue };
                place(inner, group, region, request, xml, copy_source)?;
            }
            (Loc::LocationConstraint, value) => {
                let constraint = match value {
                    Value::Text(text) => text,
                    _ => region.into(),
                };
                if !constraint.is_empty() && constraint != "us-east-1" {
                    xml_element(xml, "LocationConstraint", &constraint);
                }
            }
            (Loc::EncodingType, value) => match value {
                Value::Text(kind) if kind == "none" => {}
                _ => request.query.push(("encoding-type".into(), "url".into())),
            },
            (_, Value::Absent) | (_, Value::Bool(false)) => {}
            (Loc::Bucket, Value::Text(bucket)) => request.bucket = Some(bucket),
            (Loc::Key, Value::Text(key)) => request.key = Some(key),
            (Loc::Payload, Value::Body(body)) => request.body = body,
            (Loc::ContentMd5, _) => request.content_md5 = true,
            (Loc::Query(_), value) => request.query.push(((*field.wire()).into(), text_of(field, value)?)),
            (Loc::Header(_), value) => request.headers.push(((*field.wire()).into(), text_of(field, value)?)),
            (Loc::Metadata, Value::Map(pairs)) => metadata(pairs, &mut request.headers)?,
            (Loc::Xml(_), Value::List(items)) => {
                let Ty::List(inner) = field.ty() else { continue };
                let name = field.wire();
                for item in items {
                    xml.push('<');
                    xml.push_str(&name);
                    xml.push('>');
                    let mut unused = String::new();
                    place(inner, item, region, request, xml, &mut unused)?;
                    xml.push_str("</");
                    xml.push_str(&name);
                    xml.push('>');
                }
            }
            (Loc::Xml(_), value) => xml_element(xml, &field.wire(), &text_of(field, value)?),
            (Loc::CopySource(part), Value::Text(text)) => match part {
                // `/bucket/key` with the key URI-encoded (`/` kept), then `?versionId=…`.
                // A bucket's name holds none of these: `a/b` or `x?versionId=…` would copy
                // another object. (Its other rules are S3's to enforce: `core` + `alloc` here.)
                CopyPart::Bucket => {
                    if text.contains(['/', '?', '#', '%']) {
                        return Err(Invalid::new("sourceBucket must be a bucket's name"));
                    }
                    *copy_source = ["/", &text, copy_source].concat();
                }
                CopyPart::Key => {
                    copy_source.push('/');
                    copy_source.push_str(&uri_encode(&text, true));
                }
                CopyPart::VersionId => {
                    copy_source.push_str("?versionId=");
                    copy_source.push_str(&uri_encode(&text, false));
                }
            },
            (_, _) => return Err(cannot_hold(field)),
        }
    }
    Ok(())
}

/// A value as header, query or XML text.
fn text_of(field: &Field, value: Value) -> Result<String, Invalid> {
    Ok(match value {
        Value::Text(text) => text,
        Value::Int(n) => decimal(n),
        Value::Bool(b) => (if b { "true" } else { "false" }).into(),
        Value::Date(date) => date.to_http_date(),
        Value::Range(range) => range_header(&range)?,
        _ => return Err(cannot_hold(field)),
    })
}

/// A value of the wrong type for its field (a typed input cannot make one; JS is checked).
fn cannot_hold(field: &Field) -> Invalid {
    Invalid([field.name, " cannot hold that value"].concat())
}

fn xml_element(xml: &mut String, name: &str, text: &str) {
    xml.push('<');
    xml.push_str(name);
    xml.push('>');
    escape_into(xml, text);
    xml.push_str("</");
    xml.push_str(name);
    xml.push('>');
}

/// Escapes text for an XML element.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A parser would normalise a raw carriage return to a newline.
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

fn metadata(pairs: Vec<(String, String)>, headers: &mut Vec<(String, String)>) -> Result<(), Invalid> {
    let mut size = 0;
    for (name, value) in pairs {
        // The pipeline checks every header name; an empty one would still pass as a valid name.
        if name.is_empty() {
            return Err(Invalid::new("a metadata name is empty"));
        }
        size += name.len() + value.len();
        headers.push((["x-amz-meta-", &name.to_ascii_lowercase()].concat(), encoded_word::encode(&value)));
    }
    if size > MAX_METADATA_BYTES {
        return Err(Invalid(
            [
                "user metadata is ",
                &decimal(size as u64),
                " bytes; S3 allows ",
                &decimal(MAX_METADATA_BYTES as u64),
                " (names and values together)",
            ]
            .concat(),
        ));
    }
    Ok(())
}

/// The `Range` header value of a range, refusing ranges that name no bytes.
pub fn range_header(range: &ByteRange) -> Result<String, Invalid> {
    match range {
        // One range, as S3 reads them (a server ignores a malformed Range and sends it all).
        ByteRange::Raw(raw) if raw_range_is_one(raw) => Ok(raw.clone()),
        ByteRange::Raw(raw) => Err(Invalid(["range \"", raw, "\" must look like \"bytes=0-99\""].concat())),
        ByteRange::Suffix { suffix: 0 } => Err(Invalid::new("a suffix range must ask for at least 1 byte")),
        ByteRange::Suffix { suffix } => Ok(["bytes=-", &decimal(*suffix)].concat()),
        ByteRange::From { start, end: None } => Ok(["bytes=", &decimal(*start), "-"].concat()),
        ByteRange::From { start, end: Some(end) } if end < start => {
            Err(Invalid(["range end ", &decimal(*end), " is before its start ", &decimal(*start)].concat()))
        }
        ByteRange::From { start, end: Some(end) } => Ok(["bytes=", &decimal(*start), "-", &decimal(*end)].concat()),
    }
}

/// Whether a `bytes=` range is one range S3 serves: `bytes=START-END` (START <= END),
/// `bytes=START-` or `bytes=-SUFFIX` (SUFFIX > 0).
fn raw_range_is_one(raw: &str) -> bool {
    let number = |text: &str| text.parse::<u64>().ok().filter(|_| text.bytes().all(|b| b.is_ascii_digit()));
    let Some((start, end)) = raw.strip_prefix("bytes=").and_then(|spec| spec.split_once('-')) else { return false };
    match (number(start), number(end)) {
        (Some(start), Some(end)) => start <= end,
        (Some(_), None) => end.is_empty(),
        (None, Some(suffix)) => start.is_empty() && suffix > 0,
        (None, None) => false,
    }
}

/// Every field's own rules: required ones given, numbers in range, words from their list.
fn check_all(fields: &[Field], values: &[Value]) -> Result<(), Invalid> {
    for (field, value) in fields.iter().zip(values) {
        let name = field.name;
        match (value, field.check()) {
            (Value::Absent, _) if field.required => return Err(Invalid([name, " is required"].concat())),
            (Value::Text(text), _) if field.required && text.is_empty() => {
                return Err(Invalid([name, " must not be empty"].concat()))
            }
            (Value::Int(n), Check::Between(low, high)) if !(u64::from(low)..=u64::from(high)).contains(n) => {
                let (n, low, high) = (decimal(*n), decimal(low.into()), decimal(high.into()));
                return Err(Invalid([name, " ", &n, " is outside ", &low, "..=", &high].concat()));
            }
            (Value::Text(text), Check::OneOf(words)) if !words.contains(&text.as_str()) => {
                let words = crate::encoding::join(words, ", ");
                return Err(Invalid([name, " \"", text, "\" is not one of ", &words].concat()));
            }
            (Value::List(items), Check::Items(max)) if items.is_empty() || items.len() > max => {
                let (max, count) = (decimal(max as u64), decimal(items.len() as u64));
                return Err(Invalid([name, " takes 1 to ", &max, " items, not ", &count].concat()));
            }
            (Value::Range(range), Check::ClosedRange) if !matches!(range, ByteRange::From { end: Some(_), .. }) => {
                return Err(Invalid([name, " must be { start, end }"].concat()))
            }
            _ => {}
        }
        match (value, field.ty()) {
            (Value::Record(group), Ty::Record(inner)) => check_all(inner, group)?,
            (Value::List(items), Ty::List(inner)) => {
                for item in items {
                    check_all(inner, item)?;
                }
            }
            (Value::Range(range), _) => {
                range_header(range)?;
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::catalog::*;
    use crate::operations::Shape;

    fn request(op: &Operation, values: Vec<Value>) -> Result<S3Request, Invalid> {
        build(op, values, "eu-west-1")
    }

    #[test]
    fn a_flat_group_given_none_of_its_fields_is_one_absent_value() {
        // The package's JS passes such a group as one `undefined` (options.js, `readFields`),
        // which `place` skips whole: no field inside a flat group may act when absent, as
        // LocationConstraint (the client's region) and EncodingType (`url`) do.
        for op in ALL {
            for field in op.input.iter().filter(|field| field.loc() == Loc::Flat) {
                let Ty::Record(inner) = field.ty() else { panic!("{}.{} is flat but no record", op.name, field.name) };
                for member in inner.iter() {
                    assert!(
                        !matches!(member.loc(), Loc::LocationConstraint | Loc::EncodingType | Loc::Flat),
                        "{}.{} acts when absent, inside the flat group {}",
                        op.name,
                        member.name,
                        field.name
                    );
                }
            }
        }
        let input = CopyObjectInput { bucket: "b".into(), key: "k".into(), ..Default::default() };
        let mut values = input.into_values();
        values[2] = Value::Absent;
        values[4] = Value::Absent;
        let placed = request(&COPY_OBJECT, values).unwrap();
        assert!(placed.headers.is_empty() && placed.query.is_empty(), "an absent group is placed as nothing");
    }

    #[test]
    fn fields_go_where_their_declaration_says() {
        let mut input = GetObjectInput { bucket: "b".into(), key: "k".into(), ..Default::default() };
        input.version_id = Some("v1".into());
        input.part_number = Some(2);
        input.range = Some(ByteRange::From { start: 1, end: Some(5) });
        input.overrides.response_content_type = Some("text/plain".into());
        let r = request(&GET_OBJECT, input.into_values()).unwrap();
        assert_eq!((r.method, r.bucket.as_deref(), r.key.as_deref()), (Method::Get, Some("b"), Some("k")));
        let query: Vec<_> = r.query.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(query, [("versionId", "v1"), ("partNumber", "2"), ("response-content-type", "text/plain")]);
        assert_eq!(r.headers, [("range".to_string(), "bytes=1-5".to_string())]);
    }

    #[test]
    fn xml_bodies_are_written_from_the_declaration() {
        let input = DeleteObjectsInput {
            bucket: "b".into(),
            objects: vec![
                ObjectIdentifier { key: "a&<b>".into(), version_id: None },
                ObjectIdentifier { key: "c".into(), version_id: Some("v".into()) },
            ],
            quiet: true,
        };
        let r = request(&DELETE_OBJECTS, input.into_values()).unwrap();
        let Body::Bytes(body) = &r.body else { panic!("no XML body") };
        let text = core::str::from_utf8(body).unwrap();
        assert!(text.ends_with(
            "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a&amp;&lt;b&gt;</Key></Object>\
             <Object><Key>c</Key><VersionId>v</VersionId></Object><Quiet>true</Quiet></Delete>"
        ));
        assert!(r.content_md5, "S3 requires Content-MD5 on DeleteObjects");
        assert_eq!(r.query, [("delete".to_string(), String::new())]);
    }

    #[test]
    fn create_bucket_takes_the_client_region_and_none_for_us_east_1() {
        let values = || CreateBucketInput { bucket: "b".into(), ..Default::default() }.into_values();
        let Body::Bytes(body) = request(&CREATE_BUCKET, values()).unwrap().body else { panic!("no body") };
        assert!(core::str::from_utf8(&body).unwrap().contains("<LocationConstraint>eu-west-1</LocationConstraint>"));
        assert!(matches!(build(&CREATE_BUCKET, values(), "us-east-1").unwrap().body, Body::Empty));
    }

    #[test]
    fn copy_source_is_one_encoded_header() {
        let mut input = CopyObjectInput { bucket: "b".into(), key: "k".into(), ..Default::default() };
        input.source = CopySource {
            source_bucket: "src".into(),
            source_key: "a b/é+".into(),
            source_version_id: Some("v/1".into()),
            ..Default::default()
        };
        let r = request(&COPY_OBJECT, input.into_values()).unwrap();
        let header = r.headers.iter().find(|(n, _)| n == "x-amz-copy-source").unwrap();
        assert_eq!(header.1, "/src/a%20b/%C3%A9%2B?versionId=v%2F1");
    }

    #[test]
    fn a_copy_source_bucket_is_a_bucket_name_and_raw_ranges_are_one_range() {
        let mut input = CopyObjectInput { bucket: "b".into(), key: "k".into(), ..Default::default() };
        for bucket in ["a/b", "src?versionId=x", "a%2Fb"] {
            input.source = CopySource { source_bucket: bucket.into(), source_key: "k".into(), ..Default::default() };
            assert!(request(&COPY_OBJECT, input.clone().into_values()).is_err(), "{bucket}");
        }
        for good in ["bytes=0-99", "bytes=5-", "bytes=-7", "bytes=3-3"] {
            assert_eq!(range_header(&ByteRange::Raw(good.into())).as_deref().ok(), Some(good));
        }
        for bad in ["bytes=abc", "bytes=0-1,5-9", "bytes=9-2", "bytes=-0", "bytes=-", "bytes=+1-2", "bytes=", "0-9"] {
            assert!(range_header(&ByteRange::Raw(bad.into())).is_err(), "{bad}");
        }
        // One value per declared field: fewer would leave required ones unchecked.
        assert!(request(&COPY_OBJECT, Vec::new()).is_err());
    }

    #[test]
    fn bad_input_is_refused_with_the_field_named() {
        let cases: Vec<(&Operation, Vec<Value>, &str)> = vec![
            (
                &PUT_OBJECT,
                PutObjectInput { key: "k".into(), ..Default::default() }.into_values(),
                "bucket must not be empty",
            ),
            (
                &UPLOAD_PART,
                UploadPartInput {
                    bucket: "b".into(),
                    key: "k".into(),
                    upload_id: "u".into(),
                    part_number: 0,
                    ..Default::default()
                }
                .into_values(),
                "partNumber 0 is outside 1..=10000",
            ),
            (
                &PUT_BUCKET_VERSIONING,
                PutBucketVersioningInput { bucket: "b".into(), status: "On".into() }.into_values(),
                "status \"On\" is not one of",
            ),
            (
                &DELETE_OBJECTS,
                DeleteObjectsInput { bucket: "b".into(), ..Default::default() }.into_values(),
                "objects takes 1 to 1000 items, not 0",
            ),
            (
                &LIST_OBJECT_VERSIONS,
                ListObjectVersionsInput {
                    bucket: "b".into(),
                    version_id_marker: Some("v".into()),
                    ..Default::default()
                }
                .into_values(),
                "versionIdMarker needs keyMarker",
            ),
            (
                &COMPLETE_MULTIPART_UPLOAD,
                CompleteMultipartUploadInput {
                    bucket: "b".into(),
                    key: "k".into(),
                    upload_id: "u".into(),
                    parts: vec![
                        CompletedPart { part_number: 2, etag: "a".into(), ..Default::default() },
                        CompletedPart { part_number: 1, etag: "b".into(), ..Default::default() },
                    ],
                    ..Default::default()
                }
                .into_values(),
                "strictly ascending",
            ),
        ];
        for (op, values, want) in cases {
            let err = request(op, values).unwrap_err();
            assert!(err.0.contains(want), "{}: {err:?}", op.name);
        }
        let mut copy = CopyObjectInput { bucket: "b".into(), key: "k".into(), ..Default::default() };
        copy.source.source_bucket = "s".into();
        copy.source.source_key = "k".into();
        copy.headers.content_type = Some("text/plain".into());
        assert!(request(&COPY_OBJECT, copy.into_values()).unwrap_err().0.contains("REPLACE"));
    }
}
