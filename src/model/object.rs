//! Objects: PutObject, GetObject, HeadObject, DeleteObject, and the headers they share.

use super::{check_part_number, header};
use crate::body::Body;
use crate::client::{Operation, S3Request};
use crate::encoding::encoded_word;
use crate::error::{Error, Result};
use crate::http::{Headers, HttpResponse, Method, ResponseBody};
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// User metadata may total 2 KB (names and values, UTF-8).
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html>
const MAX_METADATA_BYTES: usize = 2048;

/// System headers and user metadata written with an object (PutObject, CopyObject with
/// `REPLACE`, CreateMultipartUpload).
#[derive(Debug, Clone, Default)]
pub struct WriteHeaders {
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    pub expires: Option<Timestamp>,
    /// `STANDARD`, `STANDARD_IA`, `GLACIER`, …
    pub storage_class: Option<String>,
    /// A canned ACL: `private`, `public-read`, …
    pub acl: Option<String>,
    /// User metadata, sent as `x-amz-meta-<name>`; names are case-insensitive (S3 lower-cases
    /// them) and non-ASCII values travel as RFC 2047 encoded words.
    pub metadata: BTreeMap<String, String>,
}

impl WriteHeaders {
    pub(crate) fn apply(self, request: S3Request) -> Result<S3Request> {
        let mut size = 0;
        let mut request = request
            .header_opt("content-type", self.content_type)
            .header_opt("cache-control", self.cache_control)
            .header_opt("content-disposition", self.content_disposition)
            .header_opt("content-encoding", self.content_encoding)
            .header_opt("content-language", self.content_language)
            .header_opt("expires", self.expires.map(Timestamp::to_http_date))
            .header_opt("x-amz-storage-class", self.storage_class)
            .header_opt("x-amz-acl", self.acl);
        for (name, value) in self.metadata {
            // The pipeline checks every header name; an empty one would still be a valid name.
            if name.is_empty() {
                return Err(Error::validation("a metadata name is empty"));
            }
            size += name.len() + value.len();
            request =
                request.header(&format!("x-amz-meta-{}", name.to_ascii_lowercase()), encoded_word::encode(&value));
        }
        if size > MAX_METADATA_BYTES {
            return Err(Error::validation(format!(
                "user metadata is {size} bytes; S3 allows {MAX_METADATA_BYTES} (names and values together)"
            )));
        }
        Ok(request)
    }
}

/// Conditions on reading an object (GET/HEAD): unmet ones answer `NotModified` (304) or
/// `PreconditionFailed` (412).
#[derive(Debug, Clone, Default)]
pub struct ReadConditions {
    pub if_match: Option<String>,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<Timestamp>,
    pub if_unmodified_since: Option<Timestamp>,
}

impl ReadConditions {
    fn apply(self, request: S3Request) -> S3Request {
        request
            .header_opt("if-match", self.if_match)
            .header_opt("if-none-match", self.if_none_match)
            .header_opt("if-modified-since", self.if_modified_since.map(Timestamp::to_http_date))
            .header_opt("if-unmodified-since", self.if_unmodified_since.map(Timestamp::to_http_date))
    }
}

/// Headers S3 should answer a GET with, whatever was stored (handy for presigned downloads).
#[derive(Debug, Clone, Default)]
pub struct ResponseOverrides {
    pub response_content_type: Option<String>,
    pub response_content_language: Option<String>,
    pub response_expires: Option<String>,
    pub response_cache_control: Option<String>,
    pub response_content_disposition: Option<String>,
    pub response_content_encoding: Option<String>,
}

impl ResponseOverrides {
    pub(crate) fn into_query(self) -> Vec<(String, String)> {
        [
            ("response-content-type", self.response_content_type),
            ("response-content-language", self.response_content_language),
            ("response-expires", self.response_expires),
            ("response-cache-control", self.response_cache_control),
            ("response-content-disposition", self.response_content_disposition),
            ("response-content-encoding", self.response_content_encoding),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_owned(), value?)))
        .collect()
    }
}

/// A byte range: `{start, end}` (inclusive), `{start}` to the end, `{suffix: n}` for the last
/// n bytes, or a raw `bytes=…` header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ByteRange {
    Raw(String),
    Suffix { suffix: u64 },
    From { start: u64, end: Option<u64> },
}

impl ByteRange {
    fn header_value(&self) -> Result<String> {
        match self {
            ByteRange::Raw(raw) if raw.starts_with("bytes=") && raw.len() > 6 => Ok(raw.clone()),
            ByteRange::Raw(raw) => Err(Error::validation(format!("range {raw:?} must look like \"bytes=0-99\""))),
            ByteRange::Suffix { suffix: 0 } => Err(Error::validation("a suffix range must ask for at least 1 byte")),
            ByteRange::Suffix { suffix } => Ok(format!("bytes=-{suffix}")),
            ByteRange::From { start, end: None } => Ok(format!("bytes={start}-")),
            ByteRange::From { start, end: Some(end) } if end < start => {
                Err(Error::validation(format!("range end {end} is before its start {start}")))
            }
            ByteRange::From { start, end: Some(end) } => Ok(format!("bytes={start}-{end}")),
        }
    }
}

/// PutObject.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html>
#[derive(Debug, Clone, Default)]
pub struct PutObjectInput {
    pub bucket: String,
    pub key: String,
    pub body: Body,
    pub headers: WriteHeaders,
    /// Compute and send `Content-MD5`; S3 then refuses a body that changed on the way.
    pub content_md5: bool,
    /// `*`: create only if no object has the key. An ETag: replace only that version.
    pub if_none_match: Option<String>,
    pub if_match: Option<String>,
}

impl PutObjectInput {
    pub fn new(bucket: impl Into<String>, key: impl Into<String>, body: impl Into<Body>) -> Self {
        PutObjectInput { bucket: bucket.into(), key: key.into(), body: body.into(), ..Default::default() }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutObjectOutput {
    pub etag: Option<String>,
    pub version_id: Option<String>,
}

impl Operation for PutObjectInput {
    type Output = PutObjectOutput;

    fn into_request(self) -> Result<S3Request> {
        let request = S3Request::new(Method::Put)
            .object(&self.bucket, &self.key)
            .header_opt("if-none-match", self.if_none_match)
            .header_opt("if-match", self.if_match)
            .content_md5(self.content_md5)
            .body(self.body);
        self.headers.apply(request)
    }

    async fn parse(response: HttpResponse) -> Result<PutObjectOutput> {
        Ok(PutObjectOutput {
            etag: header(&response.headers, "etag"),
            version_id: header(&response.headers, "x-amz-version-id"),
        })
    }
}

/// GetObject.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html>
#[derive(Debug, Clone, Default)]
pub struct GetObjectInput {
    pub bucket: String,
    pub key: String,
    pub version_id: Option<String>,
    pub range: Option<ByteRange>,
    pub part_number: Option<u32>,
    pub conditions: ReadConditions,
    pub overrides: ResponseOverrides,
}

impl GetObjectInput {
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        GetObjectInput { bucket: bucket.into(), key: key.into(), ..Default::default() }
    }
}

/// What HeadObject and GetObject say about an object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectInfo {
    pub content_length: Option<u64>,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<Timestamp>,
    pub metadata: BTreeMap<String, String>,
    pub version_id: Option<String>,
    pub content_range: Option<String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    /// `Expires`, when it holds a valid HTTP date.
    pub expires: Option<Timestamp>,
    pub storage_class: Option<String>,
    pub delete_marker: bool,
    pub accept_ranges: Option<String>,
}

impl ObjectInfo {
    pub(crate) fn from_headers(headers: &Headers) -> Self {
        let metadata = headers
            .iter()
            .filter_map(|(name, value)| {
                Some((name.strip_prefix("x-amz-meta-")?.to_owned(), encoded_word::decode(value)))
            })
            .collect();
        ObjectInfo {
            content_length: headers.get("content-length").and_then(|v| v.trim().parse().ok()),
            content_type: header(headers, "content-type"),
            etag: header(headers, "etag"),
            last_modified: headers.get("last-modified").and_then(Timestamp::parse_http_date),
            metadata,
            version_id: header(headers, "x-amz-version-id"),
            content_range: header(headers, "content-range"),
            cache_control: header(headers, "cache-control"),
            content_disposition: header(headers, "content-disposition"),
            content_encoding: header(headers, "content-encoding"),
            content_language: header(headers, "content-language"),
            expires: headers.get("expires").and_then(Timestamp::parse_http_date),
            storage_class: header(headers, "x-amz-storage-class"),
            delete_marker: headers.get("x-amz-delete-marker") == Some("true"),
            accept_ranges: header(headers, "accept-ranges"),
        }
    }
}

/// An object's body (still streaming) and what S3 said about it.
#[derive(Debug)]
pub struct GetObjectOutput {
    pub body: ResponseBody,
    /// `206` for a range, `200` otherwise.
    pub status: u16,
    pub info: ObjectInfo,
}

impl Operation for GetObjectInput {
    type Output = GetObjectOutput;

    fn into_request(self) -> Result<S3Request> {
        let range = self.range.as_ref().map(ByteRange::header_value).transpose()?;
        let mut request = S3Request::new(Method::Get)
            .object(&self.bucket, &self.key)
            .query_opt("versionId", self.version_id)
            .query_opt("partNumber", check_part_number(self.part_number)?)
            .header_opt("range", range);
        request.query.extend(self.overrides.into_query());
        Ok(self.conditions.apply(request))
    }

    async fn parse(response: HttpResponse) -> Result<GetObjectOutput> {
        Ok(GetObjectOutput {
            info: ObjectInfo::from_headers(&response.headers),
            status: response.status,
            body: response.body,
        })
    }
}

/// HeadObject.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html>
#[derive(Debug, Clone, Default)]
pub struct HeadObjectInput {
    pub bucket: String,
    pub key: String,
    pub version_id: Option<String>,
    pub range: Option<ByteRange>,
    pub part_number: Option<u32>,
    pub conditions: ReadConditions,
}

impl Operation for HeadObjectInput {
    type Output = ObjectInfo;

    fn into_request(self) -> Result<S3Request> {
        let range = self.range.as_ref().map(ByteRange::header_value).transpose()?;
        let request = S3Request::new(Method::Head)
            .object(&self.bucket, &self.key)
            .query_opt("versionId", self.version_id)
            .query_opt("partNumber", check_part_number(self.part_number)?)
            .header_opt("range", range);
        Ok(self.conditions.apply(request))
    }

    async fn parse(response: HttpResponse) -> Result<ObjectInfo> {
        Ok(ObjectInfo::from_headers(&response.headers))
    }
}

/// DeleteObject.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html>
#[derive(Debug, Clone, Default)]
pub struct DeleteObjectInput {
    pub bucket: String,
    pub key: String,
    pub version_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteObjectOutput {
    pub version_id: Option<String>,
    pub delete_marker: bool,
}

impl Operation for DeleteObjectInput {
    type Output = DeleteObjectOutput;

    fn into_request(self) -> Result<S3Request> {
        Ok(S3Request::new(Method::Delete).object(&self.bucket, &self.key).query_opt("versionId", self.version_id))
    }

    async fn parse(response: HttpResponse) -> Result<DeleteObjectOutput> {
        Ok(DeleteObjectOutput {
            version_id: header(&response.headers, "x-amz-version-id"),
            delete_marker: response.headers.get("x-amz-delete-marker") == Some("true"),
        })
    }
}
