//! ListObjectsV2, and every listing's `encoding-type=url` handling.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html>

use super::xml::Element;
use super::{read_xml, CommonPrefix, Owner};
use crate::client::{Operation, S3Request};
use crate::error::{Error, Result};
use crate::http::{HttpResponse, Method};
use crate::time::Timestamp;

/// Listings ask S3 to URL-encode keys (XML 1.0 cannot carry every character a key may hold)
/// and decode them here, so callers always see keys as they were written. `"none"` turns it
/// off for servers that echo the parameter without encoding.
pub(crate) fn encoding_query(request: S3Request, encoding_type: Option<&str>) -> Result<S3Request> {
    match encoding_type {
        None | Some("url") => Ok(request.query("encoding-type", "url")),
        Some("none") => Ok(request),
        Some(other) => Err(Error::validation(format!("encodingType {other:?} is not \"url\" or \"none\""))),
    }
}

/// Reverses S3's `encoding-type=url`, which encodes like an HTML form (`+` for a space).
pub(crate) fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// ListObjectsV2: one page of a bucket's objects.
#[derive(Debug, Clone, Default)]
pub struct ListObjectsInput {
    pub bucket: String,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    /// At most 1000 per page.
    pub max_keys: Option<u32>,
    pub continuation_token: Option<String>,
    pub start_after: Option<String>,
    pub fetch_owner: Option<bool>,
    /// `"url"` (default) or `"none"`.
    pub encoding_type: Option<String>,
}

impl ListObjectsInput {
    pub fn new(bucket: impl Into<String>) -> Self {
        ListObjectsInput { bucket: bucket.into(), ..Default::default() }
    }
}

/// One page of a listing; names follow `ListBucketResult` in lowerCamelCase.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListObjectsOutput {
    pub name: Option<String>,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    pub max_keys: Option<u32>,
    pub key_count: Option<u32>,
    pub is_truncated: bool,
    pub continuation_token: Option<String>,
    pub next_continuation_token: Option<String>,
    pub start_after: Option<String>,
    pub contents: Vec<ObjectSummary>,
    pub common_prefixes: Vec<CommonPrefix>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectSummary {
    pub key: String,
    pub last_modified: Option<Timestamp>,
    pub etag: Option<String>,
    pub size: u64,
    pub storage_class: Option<String>,
    pub owner: Option<Owner>,
}

impl ObjectSummary {
    fn from_xml(e: &Element, decode: &impl Fn(String) -> String) -> Result<Self> {
        Ok(ObjectSummary {
            key: decode(e.required("Key")?),
            last_modified: e.date("LastModified")?,
            etag: e.text("ETag"),
            size: e.number("Size")?.unwrap_or(0),
            storage_class: e.text("StorageClass"),
            owner: Owner::from_xml(e),
        })
    }
}

/// How to read the keys of a listing: URL-decoded when S3 says it encoded them.
pub(crate) fn key_decoder(root: &Element) -> impl Fn(String) -> String {
    let encoded = root.text("EncodingType").as_deref() == Some("url");
    move |text| if encoded { url_decode(&text) } else { text }
}

impl ListObjectsOutput {
    fn from_xml(root: &Element) -> Result<Self> {
        let decode = key_decoder(root);
        Ok(ListObjectsOutput {
            name: root.text("Name"),
            prefix: root.text("Prefix").map(&decode),
            delimiter: root.text("Delimiter").map(&decode),
            max_keys: root.number("MaxKeys")?,
            key_count: root.number("KeyCount")?,
            is_truncated: root.flag("IsTruncated")?,
            continuation_token: root.text("ContinuationToken"),
            next_continuation_token: root.text("NextContinuationToken"),
            start_after: root.text("StartAfter").map(&decode),
            contents: root.children("Contents").map(|c| ObjectSummary::from_xml(c, &decode)).collect::<Result<_>>()?,
            common_prefixes: CommonPrefix::all_from_xml(root, &decode),
        })
    }
}

impl Operation for ListObjectsInput {
    type Output = ListObjectsOutput;

    fn into_request(self) -> Result<S3Request> {
        check_max("maxKeys", self.max_keys)?;
        let request = S3Request::new(Method::Get)
            .bucket(&self.bucket)
            .query("list-type", "2")
            .query_opt("prefix", self.prefix)
            .query_opt("delimiter", self.delimiter)
            .query_opt("max-keys", self.max_keys)
            .query_opt("continuation-token", self.continuation_token)
            .query_opt("start-after", self.start_after)
            .query_opt("fetch-owner", self.fetch_owner);
        encoding_query(request, self.encoding_type.as_deref())
    }

    async fn parse(response: HttpResponse) -> Result<ListObjectsOutput> {
        ListObjectsOutput::from_xml(&read_xml(response).await?)
    }
}

/// Page sizes run from 1 to 1000.
pub(crate) fn check_max(name: &str, value: Option<u32>) -> Result<()> {
    match value {
        Some(n) if !(1..=1000).contains(&n) => Err(Error::validation(format!("{name} {n} is outside 1..=1000"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_url_encoded_keys() {
        assert_eq!(url_decode("a+b%2Bc%3D%25%2F%C3%A9"), "a b+c=%/é");
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode("%zz"), "%zz");
    }

    #[test]
    fn parses_a_page() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>a%2F</Prefix>
<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><EncodingType>url</EncodingType>
<Contents><Key>a%2Fx+y</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>"e"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>
<CommonPrefixes><Prefix>a%2Fd%2F</Prefix></CommonPrefixes>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken></ListBucketResult>"#;
        let response = HttpResponse {
            status: 200,
            headers: Default::default(),
            body: crate::http::ResponseBody::from_bytes(xml.as_bytes().to_vec()),
        };
        let page = crate::model::parse_now(ListObjectsInput::parse(response)).unwrap();
        assert_eq!(page.contents[0].key, "a/x y");
        assert_eq!(page.contents[0].size, 3);
        assert_eq!(page.contents[0].etag.as_deref(), Some("\"e\""));
        assert_eq!(page.common_prefixes[0].prefix, "a/d/");
        assert_eq!(page.prefix.as_deref(), Some("a/"));
        assert!(page.is_truncated);
        assert_eq!(page.next_continuation_token.as_deref(), Some("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="));
    }
}
