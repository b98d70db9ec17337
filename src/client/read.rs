//! A successful answer read into the values its operation declares: headers, the status, and
//! elements of the XML document. One reader for every operation.

use crate::encoding::encoded_word;
use crate::error::{Error, Result};
use crate::http::Headers;
use crate::operations::{Field, Loc, Ty, Value};
use crate::time::Timestamp;
use crate::xml::Element;

/// What the output fields are read from.
pub(crate) struct Answer<'a> {
    pub status: u16,
    pub headers: &'a Headers,
    pub root: Option<Element<'a>>,
}

/// Reads `fields` from an answer. Unreadable numbers and dates are left out (one odd
/// `<MaxKeys>` must not fail a whole listing); a missing required text (a key, an upload id)
/// is an error.
pub(crate) fn read_output(fields: &[Field], answer: &Answer) -> Result<Vec<Value>> {
    let decode_keys = answer.root.is_some_and(|root| keys_are_url_encoded(fields, root));
    Reader { answer, decode_keys }.fields(fields, answer.root)
}

struct Reader<'a> {
    answer: &'a Answer<'a>,
    decode_keys: bool,
}

impl Reader<'_> {
    fn fields(&self, fields: &[Field], element: Option<Element>) -> Result<Vec<Value>> {
        fields.iter().map(|field| self.field(field, element)).collect()
    }

    fn field(&self, field: &Field, element: Option<Element>) -> Result<Value> {
        let value = match field.loc() {
            Loc::Header(_) => {
                self.answer.headers.get(&field.wire()).map_or(Value::Absent, |text| typed(field.ty(), text))
            }
            Loc::Payload => Value::Int(self.answer.status.into()),
            Loc::Metadata => metadata(self.answer.headers),
            Loc::Flat => match field.ty() {
                Ty::Record(inner) => Value::Record(self.fields(inner, element)?),
                _ => Value::Absent,
            },
            Loc::RootText => Value::Text(normalize_region(element.map_or("", |e| e.text().trim_ascii())).into()),
            Loc::Xml(_) | Loc::XmlKey(_) => {
                let Some(element) = element else { return Ok(Value::Absent) };
                self.element(field, &field.wire(), element)?
            }
            _ => Value::Absent,
        };
        // Only text is required of an answer, and empty text is none (an empty `<UploadId/>`
        // would only fail the calls that use it). A missing number (`<Size>`) reads as 0 in the
        // typed outputs and in JS results (`values::Tape`), a missing flag as false.
        let empty = match &value {
            Value::Absent => true,
            Value::Text(text) => text.is_empty(),
            _ => false,
        };
        if empty && field.required && matches!(field.ty(), Ty::Text) {
            return Err(Error::invalid_response(
                self.answer.status,
                ["the answer has no ", &field.loc_name()].concat(),
            ));
        }
        Ok(value)
    }

    fn element(&self, field: &Field, path: &str, parent: Element) -> Result<Value> {
        // `Buckets/Bucket`: a list inside a wrapper element.
        let (parent, name) = match path.split_once('/') {
            Some((wrapper, name)) => match parent.child(wrapper) {
                Some(wrapper) => (wrapper, name),
                None => return Ok(Value::Absent),
            },
            None => (parent, path),
        };
        Ok(match field.ty() {
            Ty::List(inner) => {
                Value::List(parent.children(name).map(|item| self.fields(inner, Some(item))).collect::<Result<_>>()?)
            }
            Ty::Record(inner) => match parent.child(name) {
                Some(child) => Value::Record(self.fields(inner, Some(child))?),
                None => Value::Absent,
            },
            Ty::Bool => match parent.child(name).map(|c| c.text().trim_ascii()) {
                None | Some("false") => Value::Bool(false),
                Some("true") => Value::Bool(true),
                Some(other) => {
                    return Err(Error::invalid_response(
                        self.answer.status,
                        ["<", name, "> holds \"", other, "\", not true or false"].concat(),
                    ))
                }
            },
            ty => match parent.child(name) {
                Some(child) if matches!(field.loc(), Loc::XmlKey(_)) && self.decode_keys => {
                    Value::Text(url_decode(child.text()))
                }
                Some(child) => typed(ty, child.text()),
                None => Value::Absent,
            },
        })
    }
}

impl Field {
    /// The header or element a field is read from, for messages.
    fn loc_name(&self) -> String {
        match self.loc() {
            Loc::Header(_) | Loc::Xml(_) | Loc::XmlKey(_) => String::from(&*self.wire()),
            _ => String::from(self.name),
        }
    }
}

/// Text read as the field's type; unreadable text is absent.
fn typed(ty: Ty, text: &str) -> Value {
    match ty {
        Ty::Int => text.trim_ascii().parse().map_or(Value::Absent, Value::Int),
        Ty::Date => Timestamp::parse(text).map_or(Value::Absent, Value::Date),
        Ty::Bool => Value::Bool(text.trim_ascii() == "true"),
        _ => Value::Text(text.to_owned()),
    }
}

fn metadata(headers: &Headers) -> Value {
    let pairs: Vec<_> = headers
        .iter()
        .filter_map(|(name, value)| Some((name.strip_prefix("x-amz-meta-")?.to_owned(), encoded_word::decode(value))))
        .collect();
    // Always there, empty when the object has none: `metadata.x` needs no guard.
    Value::Map(pairs)
}

/// GetBucketLocation answers an empty constraint for us-east-1 and `EU` for eu-west-1.
fn normalize_region(region: &str) -> &str {
    match region {
        "" => "us-east-1",
        "EU" => "eu-west-1",
        other => other,
    }
}

/// Whether a listing's keys really are URL-encoded: it must say `<EncodingType>url`, and every
/// key-like text must use only what such encodings write (`A-Z a-z 0-9 . - * _ ~ / + %XX`; some
/// leave `/` as it is). A
/// server that echoes the parameter without encoding (`a b/c`) is read as it is; only a listing
/// whose every key already looks encoded stays ambiguous.
fn keys_are_url_encoded(fields: &[Field], root: Element) -> bool {
    root.child("EncodingType").is_some_and(|e| e.text().trim_ascii() == "url") && keys_look_encoded(fields, root)
}

fn keys_look_encoded(fields: &[Field], element: Element) -> bool {
    fields.iter().all(|field| match (field.loc(), field.ty()) {
        (Loc::XmlKey(_), _) => element.children(&field.wire()).all(|e| looks_encoded(e.text())),
        (Loc::Xml(_), Ty::List(inner)) => element.children(&field.wire()).all(|item| keys_look_encoded(inner, item)),
        _ => true,
    })
}

fn looks_encoded(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| match b {
        b'%' => bytes.get(i + 1..i + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)),
        b => b.is_ascii_alphanumeric() || b"+.-*_~/".contains(b),
    })
}

/// Reverses S3's `encoding-type=url`, which encodes like an HTML form (`+` for a space). Text
/// that does not decode to UTF-8 is kept as the server sent it: nothing is replaced or lost.
pub(crate) fn url_decode(text: &str) -> String {
    crate::encoding::unescape_hex(text, b'%', b'+', false)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::catalog::*;
    use crate::operations::Shape;

    fn page(xml: &str) -> ListObjectsOutput {
        let document = crate::xml::Document::parse(xml.as_bytes()).unwrap();
        let headers = Headers::new();
        let answer = Answer { status: 200, headers: &headers, root: Some(document.root()) };
        ListObjectsOutput::from_values(read_output(ListObjectsOutput::FIELDS, &answer).unwrap())
    }

    #[test]
    fn decodes_url_encoded_keys() {
        assert_eq!(url_decode("a+b%2Bc%3D%25%2F%C3%A9"), "a b+c=%/é");
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode("%zz"), "%zz");
    }

    #[test]
    fn reads_a_listing_page() {
        let page = page(
            r#"<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>a%2F</Prefix>
<KeyCount>2</KeyCount><MaxKeys>odd</MaxKeys><IsTruncated>true</IsTruncated><EncodingType>url</EncodingType>
<Contents><Key>a%2Fx+y</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>"e"</ETag><Size>3</Size><Owner><ID>o</ID></Owner></Contents>
<CommonPrefixes><Prefix>a%2Fd%2F</Prefix></CommonPrefixes>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken></ListBucketResult>"#,
        );
        assert_eq!(page.contents[0].key, "a/x y");
        assert_eq!(page.contents[0].size, 3);
        assert_eq!(page.contents[0].last_modified.map(Timestamp::unix_seconds), Some(1_255_369_830));
        assert_eq!(page.contents[0].owner.as_ref().and_then(|o| o.id.as_deref()), Some("o"));
        assert_eq!(page.common_prefixes[0].prefix, "a/d/");
        assert_eq!(page.prefix.as_deref(), Some("a/"));
        assert_eq!((page.key_count, page.max_keys), (Some(2), None), "an odd MaxKeys is left out, not fatal");
        assert!(page.is_truncated);
        assert_eq!(page.next_continuation_token.as_deref(), Some("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="));
    }

    /// The guess is per page: one key that cannot be encoded text (`dir/c d`, with a space)
    /// shows that none was encoded. A page whose every echoed key looks encoded (`a+b` alone)
    /// stays ambiguous and is decoded (README, Every operation).
    #[test]
    fn a_page_with_a_key_that_cannot_be_encoded_text_is_read_as_sent() {
        // s3s-fs answers `<EncodingType>url` but writes keys as they are.
        let page = page(
            "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>a+b</Key></Contents>\
             <Contents><Key>dir/c d</Key></Contents></ListBucketResult>",
        );
        let keys: Vec<_> = page.contents.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["a+b", "dir/c d"]);
    }

    #[test]
    fn a_missing_required_element_is_an_invalid_response() {
        let document =
            crate::xml::Document::parse(b"<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>")
                .unwrap();
        let headers = Headers::new();
        let answer = Answer { status: 200, headers: &headers, root: Some(document.root()) };
        let err = read_output(ListObjectsOutput::FIELDS, &answer).unwrap_err();
        assert_eq!(err.code(), Some("InvalidResponse"));
    }

    /// An empty `<UploadId/>` would only fail the uploadPart and abort that use it, leaving an
    /// upload the client cannot name; an empty key is no key either.
    #[test]
    fn an_empty_required_element_is_an_invalid_response() {
        let headers = Headers::new();
        for (fields, xml) in [
            (
                CreateMultipartUploadOutput::FIELDS,
                "<InitiateMultipartUploadResult><UploadId/></InitiateMultipartUploadResult>",
            ),
            (ListObjectsOutput::FIELDS, "<ListBucketResult><Contents><Key></Key></Contents></ListBucketResult>"),
        ] {
            let document = crate::xml::Document::parse(xml.as_bytes()).unwrap();
            let answer = Answer { status: 200, headers: &headers, root: Some(document.root()) };
            let err = read_output(fields, &answer).unwrap_err();
            assert_eq!(err.code(), Some("InvalidResponse"), "{xml}");
        }
    }
}
