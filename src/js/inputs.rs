//! Each operation's input, read from its JS options object. Field names are the camelCase
//! names of DESIGN.md §2.

use super::options::Options;
use crate::client::PresignInput;
use crate::error::{Error, Result};
use crate::http::Method;
use crate::model::bucket::*;
use crate::model::copy::*;
use crate::model::delete_objects::*;
use crate::model::list::*;
use crate::model::multipart::*;
use crate::model::object::*;
use crate::model::versioning::*;

pub trait FromOptions: Sized {
    fn from_options(o: &Options) -> Result<Self>;
}

fn write_headers(o: &Options) -> Result<WriteHeaders> {
    Ok(WriteHeaders {
        content_type: o.string("contentType")?,
        cache_control: o.string("cacheControl")?,
        content_disposition: o.string("contentDisposition")?,
        content_encoding: o.string("contentEncoding")?,
        content_language: o.string("contentLanguage")?,
        expires: o.date("expires")?,
        storage_class: o.string("storageClass")?,
        acl: o.string("acl")?,
        metadata: o.string_map("metadata")?,
    })
}

fn read_conditions(o: &Options) -> Result<ReadConditions> {
    Ok(ReadConditions {
        if_match: o.string("ifMatch")?,
        if_none_match: o.string("ifNoneMatch")?,
        if_modified_since: o.date("ifModifiedSince")?,
        if_unmodified_since: o.date("ifUnmodifiedSince")?,
    })
}

fn response_overrides(o: &Options) -> Result<ResponseOverrides> {
    Ok(ResponseOverrides {
        response_content_type: o.string("responseContentType")?,
        response_content_language: o.string("responseContentLanguage")?,
        response_expires: o.string("responseExpires")?,
        response_cache_control: o.string("responseCacheControl")?,
        response_content_disposition: o.string("responseContentDisposition")?,
        response_content_encoding: o.string("responseContentEncoding")?,
    })
}

/// `{ start, end }`, `{ start }`, `{ suffix }` or a raw `"bytes=…"` string.
fn range(o: &Options) -> Result<Option<ByteRange>> {
    if let Some(raw) = o.raw("range").as_string() {
        return Ok(Some(ByteRange::Raw(raw)));
    }
    let Some(range) = o.object("range")? else { return Ok(None) };
    match (range.u64("start")?, range.u64("end")?, range.u64("suffix")?) {
        (None, None, Some(suffix)) => Ok(Some(ByteRange::Suffix { suffix })),
        (Some(start), end, None) => Ok(Some(ByteRange::From { start, end })),
        _ => Err(Error::validation("range must be { start, end }, { start }, { suffix } or \"bytes=…\"")),
    }
}

fn copy_source(o: &Options) -> Result<CopySource> {
    Ok(CopySource {
        source_bucket: o.required_string("sourceBucket")?,
        source_key: o.required_string("sourceKey")?,
        source_version_id: o.string("sourceVersionId")?,
        copy_source_if_match: o.string("copySourceIfMatch")?,
        copy_source_if_none_match: o.string("copySourceIfNoneMatch")?,
        copy_source_if_modified_since: o.date("copySourceIfModifiedSince")?,
        copy_source_if_unmodified_since: o.date("copySourceIfUnmodifiedSince")?,
    })
}

fn bucket(o: &Options) -> Result<String> {
    o.required_string("bucket")
}

fn key(o: &Options) -> Result<String> {
    o.required_string("key")
}

impl FromOptions for PutObjectInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(PutObjectInput {
            bucket: bucket(o)?,
            key: key(o)?,
            body: o.body()?,
            headers: write_headers(o)?,
            content_md5: o.bool("contentMd5")?,
            if_none_match: o.string("ifNoneMatch")?,
            if_match: o.string("ifMatch")?,
        })
    }
}

impl FromOptions for GetObjectInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(GetObjectInput {
            bucket: bucket(o)?,
            key: key(o)?,
            version_id: o.string("versionId")?,
            range: range(o)?,
            part_number: o.u32("partNumber")?,
            conditions: read_conditions(o)?,
            overrides: response_overrides(o)?,
        })
    }
}

impl FromOptions for HeadObjectInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(HeadObjectInput {
            bucket: bucket(o)?,
            key: key(o)?,
            version_id: o.string("versionId")?,
            range: range(o)?,
            part_number: o.u32("partNumber")?,
            conditions: read_conditions(o)?,
        })
    }
}

impl FromOptions for DeleteObjectInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(DeleteObjectInput { bucket: bucket(o)?, key: key(o)?, version_id: o.string("versionId")? })
    }
}

impl FromOptions for CopyObjectInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(CopyObjectInput {
            bucket: bucket(o)?,
            key: key(o)?,
            source: copy_source(o)?,
            metadata_directive: o.string("metadataDirective")?,
            headers: write_headers(o)?,
        })
    }
}

impl FromOptions for DeleteObjectsInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(DeleteObjectsInput {
            bucket: bucket(o)?,
            objects: o.list("objects", |item| {
                Ok(ObjectIdentifier { key: key(item)?, version_id: item.string("versionId")? })
            })?,
            quiet: o.bool("quiet")?,
        })
    }
}

impl FromOptions for CreateBucketInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(CreateBucketInput {
            bucket: bucket(o)?,
            location_constraint: o.string("locationConstraint")?,
            acl: o.string("acl")?,
        })
    }
}

impl FromOptions for DeleteBucketInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(DeleteBucketInput { bucket: bucket(o)? })
    }
}

impl FromOptions for HeadBucketInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(HeadBucketInput { bucket: bucket(o)? })
    }
}

impl FromOptions for GetBucketLocationInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(GetBucketLocationInput { bucket: bucket(o)? })
    }
}

impl FromOptions for ListObjectsInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(ListObjectsInput {
            bucket: bucket(o)?,
            prefix: o.string("prefix")?,
            delimiter: o.string("delimiter")?,
            max_keys: o.u32("maxKeys")?,
            continuation_token: o.string("continuationToken")?,
            start_after: o.string("startAfter")?,
            fetch_owner: o.bool("fetchOwner")?.then_some(true),
            encoding_type: o.string("encodingType")?,
        })
    }
}

impl FromOptions for GetBucketVersioningInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(GetBucketVersioningInput { bucket: bucket(o)? })
    }
}

impl FromOptions for PutBucketVersioningInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(PutBucketVersioningInput { bucket: bucket(o)?, status: o.required_string("status")? })
    }
}

impl FromOptions for ListObjectVersionsInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(ListObjectVersionsInput {
            bucket: bucket(o)?,
            prefix: o.string("prefix")?,
            delimiter: o.string("delimiter")?,
            max_keys: o.u32("maxKeys")?,
            key_marker: o.string("keyMarker")?,
            version_id_marker: o.string("versionIdMarker")?,
            encoding_type: o.string("encodingType")?,
        })
    }
}

impl FromOptions for CreateMultipartUploadInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(CreateMultipartUploadInput { bucket: bucket(o)?, key: key(o)?, headers: write_headers(o)? })
    }
}

impl FromOptions for UploadPartInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(UploadPartInput {
            bucket: bucket(o)?,
            key: key(o)?,
            upload_id: o.required_string("uploadId")?,
            part_number: o.required_u32("partNumber")?,
            body: o.body()?,
            content_md5: o.bool("contentMd5")?,
        })
    }
}

impl FromOptions for UploadPartCopyInput {
    fn from_options(o: &Options) -> Result<Self> {
        let source_range = match o.object("sourceRange")? {
            Some(r) => Some(SourceRange {
                start: r.u64("start")?.ok_or_else(|| Error::validation("sourceRange needs start"))?,
                end: r.u64("end")?.ok_or_else(|| Error::validation("sourceRange needs end"))?,
            }),
            None => None,
        };
        Ok(UploadPartCopyInput {
            bucket: bucket(o)?,
            key: key(o)?,
            upload_id: o.required_string("uploadId")?,
            part_number: o.required_u32("partNumber")?,
            source: copy_source(o)?,
            source_range,
        })
    }
}

impl FromOptions for CompleteMultipartUploadInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(CompleteMultipartUploadInput {
            bucket: bucket(o)?,
            key: key(o)?,
            upload_id: o.required_string("uploadId")?,
            parts: o.list("parts", |part| {
                Ok(CompletedPart { part_number: part.required_u32("partNumber")?, etag: part.required_string("etag")? })
            })?,
        })
    }
}

impl FromOptions for AbortMultipartUploadInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(AbortMultipartUploadInput { bucket: bucket(o)?, key: key(o)?, upload_id: o.required_string("uploadId")? })
    }
}

impl FromOptions for ListPartsInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(ListPartsInput {
            bucket: bucket(o)?,
            key: key(o)?,
            upload_id: o.required_string("uploadId")?,
            max_parts: o.u32("maxParts")?,
            part_number_marker: o.u32("partNumberMarker")?,
        })
    }
}

impl FromOptions for ListMultipartUploadsInput {
    fn from_options(o: &Options) -> Result<Self> {
        Ok(ListMultipartUploadsInput {
            bucket: bucket(o)?,
            prefix: o.string("prefix")?,
            delimiter: o.string("delimiter")?,
            max_uploads: o.u32("maxUploads")?,
            key_marker: o.string("keyMarker")?,
            upload_id_marker: o.string("uploadIdMarker")?,
            encoding_type: o.string("encodingType")?,
        })
    }
}

impl FromOptions for PresignInput {
    fn from_options(o: &Options) -> Result<Self> {
        let method = match o.string("method")?.map(|m| m.to_ascii_uppercase()).as_deref() {
            None | Some("GET") => Method::Get,
            Some("PUT") => Method::Put,
            Some("HEAD") => Method::Head,
            Some("DELETE") => Method::Delete,
            Some("POST") => Method::Post,
            Some(other) => {
                return Err(Error::validation(format!("method {other:?} is not GET, PUT, HEAD, DELETE or POST")))
            }
        };
        Ok(PresignInput {
            method,
            bucket: bucket(o)?,
            key: o.string("key")?,
            expires_in: o.u32("expiresIn")?,
            version_id: o.string("versionId")?,
            overrides: response_overrides(o)?,
            headers: o.string_map("headers")?,
            signing_date: o.date("signingDate")?,
        })
    }
}
