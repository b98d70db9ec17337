//! CopyObject, and the copy source it shares with UploadPartCopy.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html>

use super::header;
use super::object::WriteHeaders;
use super::read_xml;
use crate::client::{Operation, S3Request};
use crate::error::{Error, Result};
use crate::http::{HttpResponse, Method};
use crate::sigv4::uri_encode;
use crate::time::Timestamp;

/// The object to copy from, and conditions on it (unmet ones answer `PreconditionFailed`).
#[derive(Debug, Clone, Default)]
pub struct CopySource {
    pub source_bucket: String,
    pub source_key: String,
    pub source_version_id: Option<String>,
    pub copy_source_if_match: Option<String>,
    pub copy_source_if_none_match: Option<String>,
    pub copy_source_if_modified_since: Option<Timestamp>,
    pub copy_source_if_unmodified_since: Option<Timestamp>,
}

impl CopySource {
    /// `x-amz-copy-source` is `/bucket/key` with the key URI-encoded (`/` kept), then
    /// `?versionId=…`; the conditions are their own headers.
    pub(crate) fn apply(self, request: S3Request) -> Result<S3Request> {
        crate::validate::bucket_name(&self.source_bucket)?;
        crate::validate::object_key(&self.source_key, true)?;
        let mut source = format!("/{}/{}", self.source_bucket, uri_encode(&self.source_key, true));
        if let Some(version) = &self.source_version_id {
            source.push_str("?versionId=");
            source.push_str(&uri_encode(version, false));
        }
        Ok(request
            .header("x-amz-copy-source", source)
            .header_opt("x-amz-copy-source-if-match", self.copy_source_if_match)
            .header_opt("x-amz-copy-source-if-none-match", self.copy_source_if_none_match)
            .header_opt(
                "x-amz-copy-source-if-modified-since",
                self.copy_source_if_modified_since.map(Timestamp::to_http_date),
            )
            .header_opt(
                "x-amz-copy-source-if-unmodified-since",
                self.copy_source_if_unmodified_since.map(Timestamp::to_http_date),
            ))
    }
}

/// CopyObject. With `metadataDirective: "REPLACE"` the copy takes the given headers and
/// metadata; with `COPY` (the default) it keeps the source's, and giving any is an error.
#[derive(Debug, Clone, Default)]
pub struct CopyObjectInput {
    pub bucket: String,
    pub key: String,
    pub source: CopySource,
    /// `COPY` or `REPLACE`.
    pub metadata_directive: Option<String>,
    pub headers: WriteHeaders,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyObjectOutput {
    pub etag: Option<String>,
    pub last_modified: Option<Timestamp>,
    pub version_id: Option<String>,
    pub copy_source_version_id: Option<String>,
}

impl Operation for CopyObjectInput {
    type Output = CopyObjectOutput;

    fn into_request(self) -> Result<S3Request> {
        let replace = match self.metadata_directive.as_deref() {
            None | Some("COPY") => false,
            Some("REPLACE") => true,
            Some(other) => {
                return Err(Error::validation(format!("metadataDirective {other:?} is not COPY or REPLACE")))
            }
        };
        // Storage class and ACL apply to the copy itself; the rest are the object's metadata.
        let h = &self.headers;
        let sets_metadata = h.content_type.is_some()
            || h.cache_control.is_some()
            || h.content_disposition.is_some()
            || h.content_encoding.is_some()
            || h.content_language.is_some()
            || h.expires.is_some()
            || !h.metadata.is_empty();
        if sets_metadata && !replace {
            return Err(Error::validation(
                "metadata or content headers on a copy need metadataDirective: \"REPLACE\" (COPY keeps the source's)",
            ));
        }
        let request = S3Request::new(Method::Put)
            .object(&self.bucket, &self.key)
            .header_opt("x-amz-metadata-directive", self.metadata_directive);
        let request = self.source.apply(request)?;
        self.headers.apply(request)
    }

    async fn parse(response: HttpResponse) -> Result<CopyObjectOutput> {
        let version_id = header(&response.headers, "x-amz-version-id");
        let copy_source_version_id = header(&response.headers, "x-amz-copy-source-version-id");
        let root = read_xml(response).await?;
        Ok(CopyObjectOutput {
            etag: root.text("ETag"),
            last_modified: root.date("LastModified")?,
            version_id,
            copy_source_version_id,
        })
    }
}
