//! Multipart uploads: create, upload a part (or copy one), complete, abort, list parts and
//! list uploads.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html>

use super::copy::CopySource;
use super::list::{check_max, encoding_query, key_decoder};
use super::object::WriteHeaders;
use super::xml::{document, escape, Element};
use super::{check_part_number, header};
use super::{read_xml, CommonPrefix, Owner};
use crate::body::Body;
use crate::client::{Operation, S3Request};
use crate::error::{Error, Result};
use crate::http::{HttpResponse, Method};
use crate::time::Timestamp;

/// CreateMultipartUpload: takes the same headers and metadata as PutObject.
#[derive(Debug, Clone, Default)]
pub struct CreateMultipartUploadInput {
    pub bucket: String,
    pub key: String,
    pub headers: WriteHeaders,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
        let root = read_xml(response).await?;
        Ok(CreateMultipartUploadOutput {
            bucket: root.text("Bucket"),
            key: root.text("Key"),
            upload_id: root.required("UploadId")?,
        })
    }
}

/// UploadPart: parts are 1..=10000; all but the last at least 5 MiB.
#[derive(Debug, Clone, Default)]
pub struct UploadPartInput {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub part_number: u32,
    pub body: Body,
    pub content_md5: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
#[derive(Debug, Clone, Default)]
pub struct UploadPartCopyInput {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub part_number: u32,
    pub source: CopySource,
    /// `{start, end}` (inclusive) of the source; the whole object when absent.
    pub source_range: Option<SourceRange>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceRange {
    pub start: u64,
    pub end: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadPartCopyOutput {
    pub etag: Option<String>,
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
        let root = read_xml(response).await?;
        Ok(UploadPartCopyOutput { etag: root.text("ETag"), last_modified: root.date("LastModified")? })
    }
}

/// CompleteMultipartUpload: the parts in ascending order, each with the ETag its upload
/// returned.
#[derive(Debug, Clone, Default)]
pub struct CompleteMultipartUploadInput {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub parts: Vec<CompletedPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedPart {
    pub part_number: u32,
    pub etag: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompleteMultipartUploadOutput {
    pub location: Option<String>,
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub etag: Option<String>,
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
        let parts: String = self
            .parts
            .iter()
            .map(|p| format!("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", p.part_number, escape(&p.etag)))
            .collect();
        let body = document("CompleteMultipartUpload", &parts);
        Ok(S3Request::new(Method::Post)
            .object(&self.bucket, &self.key)
            .query("uploadId", self.upload_id)
            .body(body.into()))
    }

    async fn parse(response: HttpResponse) -> Result<CompleteMultipartUploadOutput> {
        let version_id = header(&response.headers, "x-amz-version-id");
        let root = read_xml(response).await?;
        Ok(CompleteMultipartUploadOutput {
            location: root.text("Location"),
            bucket: root.text("Bucket"),
            key: root.text("Key"),
            etag: root.text("ETag"),
            version_id,
        })
    }
}

#[derive(Debug, Clone, Default)]
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
#[derive(Debug, Clone, Default)]
pub struct ListPartsInput {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub max_parts: Option<u32>,
    pub part_number_marker: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPartsOutput {
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub upload_id: Option<String>,
    pub part_number_marker: Option<u32>,
    pub next_part_number_marker: Option<u32>,
    pub max_parts: Option<u32>,
    pub is_truncated: bool,
    pub storage_class: Option<String>,
    pub owner: Option<Owner>,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    pub part_number: u32,
    pub last_modified: Option<Timestamp>,
    pub etag: Option<String>,
    pub size: u64,
}

impl ListPartsOutput {
    fn from_xml(root: &Element) -> Result<Self> {
        let part = |e: &Element| -> Result<Part> {
            Ok(Part {
                part_number: e
                    .number("PartNumber")?
                    .ok_or_else(|| Error::invalid_response(200, "<Part> has no <PartNumber>"))?,
                last_modified: e.date("LastModified")?,
                etag: e.text("ETag"),
                size: e.number("Size")?.unwrap_or(0),
            })
        };
        Ok(ListPartsOutput {
            bucket: root.text("Bucket"),
            key: root.text("Key"),
            upload_id: root.text("UploadId"),
            part_number_marker: root.number("PartNumberMarker")?,
            next_part_number_marker: root.number("NextPartNumberMarker")?,
            max_parts: root.number("MaxParts")?,
            is_truncated: root.flag("IsTruncated")?,
            storage_class: root.text("StorageClass"),
            owner: Owner::from_xml(root),
            parts: root.children("Part").map(part).collect::<Result<_>>()?,
        })
    }
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
        ListPartsOutput::from_xml(&read_xml(response).await?)
    }
}

/// ListMultipartUploads: one page of the uploads in progress.
#[derive(Debug, Clone, Default)]
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListMultipartUploadsOutput {
    pub bucket: Option<String>,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    pub key_marker: Option<String>,
    pub upload_id_marker: Option<String>,
    pub next_key_marker: Option<String>,
    pub next_upload_id_marker: Option<String>,
    pub max_uploads: Option<u32>,
    pub is_truncated: bool,
    pub uploads: Vec<MultipartUpload>,
    pub common_prefixes: Vec<CommonPrefix>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MultipartUpload {
    pub key: String,
    pub upload_id: String,
    pub initiated: Option<Timestamp>,
    pub storage_class: Option<String>,
    pub owner: Option<Owner>,
}

impl ListMultipartUploadsOutput {
    fn from_xml(root: &Element) -> Result<Self> {
        let decode = key_decoder(root);
        let upload = |e: &Element| -> Result<MultipartUpload> {
            Ok(MultipartUpload {
                key: decode(e.required("Key")?),
                upload_id: e.required("UploadId")?,
                initiated: e.date("Initiated")?,
                storage_class: e.text("StorageClass"),
                owner: Owner::from_xml(e),
            })
        };
        Ok(ListMultipartUploadsOutput {
            bucket: root.text("Bucket"),
            prefix: root.text("Prefix").map(&decode),
            delimiter: root.text("Delimiter").map(&decode),
            key_marker: root.text("KeyMarker").map(&decode),
            upload_id_marker: root.text("UploadIdMarker"),
            next_key_marker: root.text("NextKeyMarker").map(&decode),
            next_upload_id_marker: root.text("NextUploadIdMarker"),
            max_uploads: root.number("MaxUploads")?,
            is_truncated: root.flag("IsTruncated")?,
            uploads: root.children("Upload").map(upload).collect::<Result<_>>()?,
            common_prefixes: CommonPrefix::all_from_xml(root, &decode),
        })
    }
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
        ListMultipartUploadsOutput::from_xml(&read_xml(response).await?)
    }
}

fn check_upload_id(upload_id: &str) -> Result<()> {
    if upload_id.is_empty() {
        return Err(Error::validation("uploadId must not be empty"));
    }
    Ok(())
}
