//! Multipart uploads: create, upload a part (or copy one), complete, abort, list parts and
//! list uploads.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html>

use super::copy::CopySource;
use super::list::{check_max, decode_in_place, encoding_query, url_decode, CommonPrefix};
use super::object::{check_part_number, header, WriteHeaders};
use super::{read_xml, to_xml, xml_date, Owner, S3_XMLNS};
use crate::body::Body;
use crate::client::{Operation, S3Request};
use crate::error::{Error, Result};
use crate::http::{HttpResponse, Method};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// CreateMultipartUpload: takes the same headers and metadata as PutObject.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateMultipartUploadInput {
    pub bucket: String,
    pub key: String,
    #[serde(flatten)]
    pub headers: WriteHeaders,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "PascalCase"))]
pub struct CreateMultipartUploadOutput {
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub upload_id: String,
}

impl Operation for CreateMultipartUploadInput {
    type Output = CreateMultipartUploadOutput;

    fn into_request(self) -> Result<S3Request> {
        self.headers.apply(S3Request::new(Method::Post).object(&self.bucket, &self.key).query("uploads", ""))
    }

    async fn parse(response: HttpResponse) -> Result<CreateMultipartUploadOutput> {
        read_xml(response).await
    }
}

/// UploadPart: parts are 1..=10000; all but the last at least 5 MiB.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadPartInput {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub part_number: u32,
    #[serde(skip)]
    pub body: Body,
    #[serde(default)]
    pub content_md5: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadPartOutput {
    pub etag: Option<String>,
}

impl Operation for UploadPartInput {
    type Output = UploadPartOutput;

    fn into_request(self) -> Result<S3Request> {
        check_part_number(Some(self.part_number))?;
        check_upload_id(&self.upload_id)?;
        Ok(S3Request::new(Method::Put)
            .object(&self.bucket, &self.key)
            .query("partNumber", self.part_number.to_string())
            .query("uploadId", self.upload_id)
            .content_md5(self.content_md5)
            .body(self.body))
    }

    async fn parse(response: HttpResponse) -> Result<UploadPartOutput> {
        Ok(UploadPartOutput { etag: header(&response.headers, "etag") })
    }
}

/// UploadPartCopy: a part copied from (a range of) an existing object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadPartCopyInput {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub part_number: u32,
    #[serde(flatten)]
    pub source: CopySource,
    /// `{start, end}` (inclusive) of the source; the whole object when absent.
    pub source_range: Option<SourceRange>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct SourceRange {
    pub start: u64,
    pub end: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "PascalCase"))]
pub struct UploadPartCopyOutput {
    #[serde(rename(deserialize = "ETag"))]
    pub etag: Option<String>,
    #[serde(default, deserialize_with = "xml_date")]
    pub last_modified: Option<Timestamp>,
}

impl Operation for UploadPartCopyInput {
    type Output = UploadPartCopyOutput;

    fn into_request(self) -> Result<S3Request> {
        check_part_number(Some(self.part_number))?;
        check_upload_id(&self.upload_id)?;
        let range = match self.source_range {
            Some(SourceRange { start, end }) if end < start => {
                return Err(Error::validation(format!("sourceRange end {end} is before its start {start}")))
            }
            Some(SourceRange { start, end }) => Some(format!("bytes={start}-{end}")),
            None => None,
        };
        let request = S3Request::new(Method::Put)
            .object(&self.bucket, &self.key)
            .query("partNumber", self.part_number.to_string())
            .query("uploadId", self.upload_id)
            .header_opt("x-amz-copy-source-range", range);
        self.source.apply(request)
    }

    async fn parse(response: HttpResponse) -> Result<UploadPartCopyOutput> {
        read_xml(response).await
    }
}

/// CompleteMultipartUpload: the parts in ascending order, each with the ETag its upload
/// returned.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompleteMultipartUploadInput {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub parts: Vec<CompletedPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "PascalCase", deserialize = "camelCase"))]
pub struct CompletedPart {
    pub part_number: u32,
    #[serde(rename(serialize = "ETag"))]
    pub etag: String,
}

#[derive(Serialize)]
struct CompleteMultipartUpload<'a> {
    #[serde(rename = "@xmlns")]
    xmlns: &'a str,
    #[serde(rename = "Part")]
    parts: &'a [CompletedPart],
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "PascalCase"))]
pub struct CompleteMultipartUploadOutput {
    pub location: Option<String>,
    pub bucket: Option<String>,
    pub key: Option<String>,
    #[serde(rename(deserialize = "ETag"))]
    pub etag: Option<String>,
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
}

impl Operation for CompleteMultipartUploadInput {
    type Output = CompleteMultipartUploadOutput;

    fn into_request(self) -> Result<S3Request> {
        check_upload_id(&self.upload_id)?;
        if self.parts.is_empty() {
            return Err(Error::validation("completeMultipartUpload needs at least one part"));
        }
        for pair in self.parts.windows(2) {
            if pair[0].part_number >= pair[1].part_number {
                return Err(Error::validation(format!(
                    "parts must be in strictly ascending order of partNumber ({} then {})",
                    pair[0].part_number, pair[1].part_number
                )));
            }
        }
        for part in &self.parts {
            check_part_number(Some(part.part_number))?;
        }
        let body = to_xml("CompleteMultipartUpload", &CompleteMultipartUpload { xmlns: S3_XMLNS, parts: &self.parts })?;
        Ok(S3Request::new(Method::Post)
            .object(&self.bucket, &self.key)
            .query("uploadId", self.upload_id)
            .body(body.into()))
    }

    async fn parse(response: HttpResponse) -> Result<CompleteMultipartUploadOutput> {
        let version_id = header(&response.headers, "x-amz-version-id");
        let mut output: CompleteMultipartUploadOutput = read_xml(response).await?;
        output.version_id = version_id;
        Ok(output)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AbortMultipartUploadInput {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
}

impl Operation for AbortMultipartUploadInput {
    type Output = ();

    fn into_request(self) -> Result<S3Request> {
        check_upload_id(&self.upload_id)?;
        Ok(S3Request::new(Method::Delete).object(&self.bucket, &self.key).query("uploadId", self.upload_id))
    }

    async fn parse(_: HttpResponse) -> Result<()> {
        Ok(())
    }
}

/// ListParts: one page of an upload's parts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListPartsInput {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub max_parts: Option<u32>,
    pub part_number_marker: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "PascalCase"))]
pub struct ListPartsOutput {
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub upload_id: Option<String>,
    pub part_number_marker: Option<u32>,
    pub next_part_number_marker: Option<u32>,
    pub max_parts: Option<u32>,
    #[serde(default)]
    pub is_truncated: bool,
    pub storage_class: Option<String>,
    pub owner: Option<Owner>,
    #[serde(default, rename(deserialize = "Part"))]
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "PascalCase"))]
pub struct Part {
    pub part_number: u32,
    #[serde(default, deserialize_with = "xml_date")]
    pub last_modified: Option<Timestamp>,
    #[serde(rename(deserialize = "ETag"))]
    pub etag: Option<String>,
    #[serde(default)]
    pub size: u64,
}

impl Operation for ListPartsInput {
    type Output = ListPartsOutput;

    fn into_request(self) -> Result<S3Request> {
        check_upload_id(&self.upload_id)?;
        check_max("maxParts", self.max_parts)?;
        Ok(S3Request::new(Method::Get)
            .object(&self.bucket, &self.key)
            .query("uploadId", self.upload_id)
            .query_opt("max-parts", self.max_parts)
            .query_opt("part-number-marker", self.part_number_marker))
    }

    async fn parse(response: HttpResponse) -> Result<ListPartsOutput> {
        read_xml(response).await
    }
}

/// ListMultipartUploads: one page of the uploads in progress.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListMultipartUploadsInput {
    pub bucket: String,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    pub max_uploads: Option<u32>,
    pub key_marker: Option<String>,
    pub upload_id_marker: Option<String>,
    /// `"url"` (default) or `"none"`.
    pub encoding_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "PascalCase"))]
pub struct ListMultipartUploadsOutput {
    pub bucket: Option<String>,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    pub key_marker: Option<String>,
    pub upload_id_marker: Option<String>,
    pub next_key_marker: Option<String>,
    pub next_upload_id_marker: Option<String>,
    pub max_uploads: Option<u32>,
    #[serde(default)]
    pub is_truncated: bool,
    pub encoding_type: Option<String>,
    #[serde(default, rename(deserialize = "Upload"))]
    pub uploads: Vec<MultipartUpload>,
    #[serde(default)]
    pub common_prefixes: Vec<CommonPrefix>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "PascalCase"))]
pub struct MultipartUpload {
    pub key: String,
    pub upload_id: String,
    #[serde(default, deserialize_with = "xml_date")]
    pub initiated: Option<Timestamp>,
    pub storage_class: Option<String>,
    pub owner: Option<Owner>,
}

impl Operation for ListMultipartUploadsInput {
    type Output = ListMultipartUploadsOutput;

    fn into_request(self) -> Result<S3Request> {
        check_max("maxUploads", self.max_uploads)?;
        if self.upload_id_marker.is_some() && self.key_marker.is_none() {
            return Err(Error::validation("uploadIdMarker needs keyMarker"));
        }
        let request = S3Request::new(Method::Get)
            .bucket(&self.bucket)
            .query("uploads", "")
            .query_opt("prefix", self.prefix)
            .query_opt("delimiter", self.delimiter)
            .query_opt("max-uploads", self.max_uploads)
            .query_opt("key-marker", self.key_marker)
            .query_opt("upload-id-marker", self.upload_id_marker);
        encoding_query(request, self.encoding_type.as_deref())
    }

    async fn parse(response: HttpResponse) -> Result<ListMultipartUploadsOutput> {
        let mut page: ListMultipartUploadsOutput = read_xml(response).await?;
        let encoded = page.encoding_type.take().as_deref() == Some("url");
        for field in [&mut page.prefix, &mut page.delimiter, &mut page.key_marker, &mut page.next_key_marker] {
            decode_in_place(field, encoded);
        }
        if encoded {
            page.uploads.iter_mut().for_each(|u| u.key = url_decode(&u.key));
            page.common_prefixes.iter_mut().for_each(|p| p.prefix = url_decode(&p.prefix));
        }
        Ok(page)
    }
}

fn check_upload_id(upload_id: &str) -> Result<()> {
    if upload_id.is_empty() {
        return Err(Error::validation("uploadId must not be empty"));
    }
    Ok(())
}
