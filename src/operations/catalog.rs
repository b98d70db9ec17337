//! Every S3 operation the client speaks, each declared once: the shapes of its input and
//! output (typed Rust structs and the interpreter's field tables at once) and its
//! [`Operation`] entry. Field names are DESIGN.md §2's; each operation links the AWS page its
//! binding comes from.

pub use super::ByteRange;
use super::{Check, CopyPart, Invalid, Loc, Method, Operation, ResponseKind, Shape, Value};
use crate::body::Body;
use crate::shape;
use crate::time::Timestamp;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// Part numbers run from 1 to 10000. <https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html>
const PART_NUMBER: Check = Check::Between(1, 10_000);
/// Listing pages hold 1 to 1000 entries.
const PAGE_SIZE: Check = Check::Between(1, 1000);
const ENCODING: Check = Check::OneOf(&["url", "none"]);

// ---------------------------------------------------------------- shared groups

shape! {
    /// System headers and user metadata written with an object (PutObject, CopyObject with
    /// `REPLACE`, CreateMultipartUpload).
    #[derive(Debug, Clone, Default)]
    pub struct WriteHeaders {
        content_type: Option<String> = "contentType" Loc::Header("content-type"),
        cache_control: Option<String> = "cacheControl" Loc::Header("cache-control"),
        content_disposition: Option<String> = "contentDisposition" Loc::Header("content-disposition"),
        content_encoding: Option<String> = "contentEncoding" Loc::Header("content-encoding"),
        content_language: Option<String> = "contentLanguage" Loc::Header("content-language"),
        expires: Option<Timestamp> = "expires" Loc::Header("expires"),
        /// `STANDARD`, `STANDARD_IA`, `GLACIER`, …
        storage_class: Option<String> = "storageClass" Loc::Header("x-amz-storage-class"),
        /// A canned ACL: `private`, `public-read`, …
        acl: Option<String> = "acl" Loc::Header("x-amz-acl"),
        /// User metadata (`x-amz-meta-<name>`); names are case-insensitive (S3 lower-cases
        /// them) and non-ASCII values travel as RFC 2047 encoded words.
        metadata: BTreeMap<String, String> = "metadata" Loc::Metadata,
    }
}

shape! {
    /// Conditions on reading an object: unmet ones answer `NotModified` (304) or
    /// `PreconditionFailed` (412).
    #[derive(Debug, Clone, Default)]
    pub struct ReadConditions {
        if_match: Option<String> = "ifMatch" Loc::Header("if-match"),
        if_none_match: Option<String> = "ifNoneMatch" Loc::Header("if-none-match"),
        if_modified_since: Option<Timestamp> = "ifModifiedSince" Loc::Header("if-modified-since"),
        if_unmodified_since: Option<Timestamp> = "ifUnmodifiedSince" Loc::Header("if-unmodified-since"),
    }
}

shape! {
    /// Headers S3 should answer a GET with, whatever was stored (handy for presigned downloads).
    #[derive(Debug, Clone, Default)]
    pub struct ResponseOverrides {
        response_content_type: Option<String> = "responseContentType" Loc::Query("response-content-type"),
        response_content_language: Option<String> = "responseContentLanguage" Loc::Query("response-content-language"),
        response_expires: Option<String> = "responseExpires" Loc::Query("response-expires"),
        response_cache_control: Option<String> = "responseCacheControl" Loc::Query("response-cache-control"),
        response_content_disposition: Option<String> = "responseContentDisposition" Loc::Query("response-content-disposition"),
        response_content_encoding: Option<String> = "responseContentEncoding" Loc::Query("response-content-encoding"),
    }
}

shape! {
    /// The object to copy from, and conditions on it (unmet ones answer `PreconditionFailed`).
    #[derive(Debug, Clone, Default)]
    pub struct CopySource {
        source_bucket: String = "sourceBucket" Loc::CopySource(CopyPart::Bucket),
        source_key: String = "sourceKey" Loc::CopySource(CopyPart::Key),
        source_version_id: Option<String> = "sourceVersionId" Loc::CopySource(CopyPart::VersionId),
        copy_source_if_match: Option<String> = "copySourceIfMatch" Loc::Header("x-amz-copy-source-if-match"),
        copy_source_if_none_match: Option<String> = "copySourceIfNoneMatch" Loc::Header("x-amz-copy-source-if-none-match"),
        copy_source_if_modified_since: Option<Timestamp> = "copySourceIfModifiedSince" Loc::Header("x-amz-copy-source-if-modified-since"),
        copy_source_if_unmodified_since: Option<Timestamp> = "copySourceIfUnmodifiedSince" Loc::Header("x-amz-copy-source-if-unmodified-since"),
    }
}

shape! {
    /// The owner of a bucket, object or upload.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Owner {
        id: Option<String> = "id" Loc::Xml("ID"),
        display_name: Option<String> = "displayName" Loc::Xml("DisplayName"),
    }
}

shape! {
    /// A `<CommonPrefixes>` group of a listing with a delimiter.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct CommonPrefix {
        prefix: String = "prefix" Loc::XmlKey("Prefix"),
    }
}

/// No input beyond the bucket, or no output at all.
impl Shape for () {
    const FIELDS: &'static [super::Field] = &[];
    fn into_values(self) -> Vec<Value> {
        Vec::new()
    }
    fn from_values(_: Vec<Value>) -> Self {}
}

// ---------------------------------------------------------------- objects

shape! {
    /// PutObject. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html>
    #[derive(Debug, Clone, Default)]
    pub struct PutObjectInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        body: Body = "body" Loc::Payload,
        /// The body's size in bytes: required with a stream (a JS `ReadableStream`, which cannot
        /// tell it), checked against any other body.
        content_length: Option<u64> = "contentLength" Loc::Header("content-length"),
        headers: WriteHeaders = "headers" Loc::Flat,
        /// Compute and send `Content-MD5`; S3 then refuses a body that changed on the way.
        content_md5: bool = "contentMd5" Loc::ContentMd5,
        /// `*`: create only if no object has the key.
        if_none_match: Option<String> = "ifNoneMatch" Loc::Header("if-none-match"),
        /// An ETag: replace only that version.
        if_match: Option<String> = "ifMatch" Loc::Header("if-match"),
        /// `CRC32`, `CRC32C` or `SHA256`: computed over the body and sent for S3 to check (opt-in).
        checksum: Option<String> = "checksum" Loc::Header("x-amz-sdk-checksum-algorithm"); Check::OneOf(crate::checksum::NAMES),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct PutObjectOutput {
        etag: Option<String> = "etag" Loc::Header("etag"),
        version_id: Option<String> = "versionId" Loc::Header("x-amz-version-id"),
        /// The checksum S3 stored, when one was sent.
        checksum_crc32: Option<String> = "checksumCrc32" Loc::Header("x-amz-checksum-crc32"),
        checksum_crc32c: Option<String> = "checksumCrc32c" Loc::Header("x-amz-checksum-crc32c"),
        checksum_sha256: Option<String> = "checksumSha256" Loc::Header("x-amz-checksum-sha256"),
    }
}

impl PutObjectInput {
    pub fn new(bucket: impl Into<String>, key: impl Into<String>, body: impl Into<Body>) -> Self {
        PutObjectInput { bucket: bucket.into(), key: key.into(), body: body.into(), ..Default::default() }
    }
}

pub static PUT_OBJECT: Operation =
    Operation::new("putObject", Method::Put, PutObjectInput::FIELDS, ResponseKind::Empty, PutObjectOutput::FIELDS);

shape! {
    /// GetObject. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html>
    #[derive(Debug, Clone, Default)]
    pub struct GetObjectInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        version_id: Option<String> = "versionId" Loc::Query("versionId"),
        range: Option<ByteRange> = "range" Loc::Header("range"),
        part_number: Option<u32> = "partNumber" Loc::Query("partNumber"); PART_NUMBER,
        conditions: ReadConditions = "conditions" Loc::Flat,
        overrides: ResponseOverrides = "overrides" Loc::Flat,
        /// `ENABLED`: S3 answers the object's stored checksum, and the body is checked against
        /// it as it streams (not for a range or a part, nor a composite checksum of a multipart
        /// object's parts).
        checksum_mode: Option<String> = "checksumMode" Loc::Header("x-amz-checksum-mode"); Check::OneOf(&["ENABLED"]),
    }
}

shape! {
    /// What HeadObject and GetObject say about an object.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ObjectInfo {
        content_length: Option<u64> = "contentLength" Loc::Header("content-length"),
        content_type: Option<String> = "contentType" Loc::Header("content-type"),
        etag: Option<String> = "etag" Loc::Header("etag"),
        last_modified: Option<Timestamp> = "lastModified" Loc::Header("last-modified"),
        metadata: BTreeMap<String, String> = "metadata" Loc::Metadata,
        version_id: Option<String> = "versionId" Loc::Header("x-amz-version-id"),
        content_range: Option<String> = "contentRange" Loc::Header("content-range"),
        cache_control: Option<String> = "cacheControl" Loc::Header("cache-control"),
        content_disposition: Option<String> = "contentDisposition" Loc::Header("content-disposition"),
        content_encoding: Option<String> = "contentEncoding" Loc::Header("content-encoding"),
        content_language: Option<String> = "contentLanguage" Loc::Header("content-language"),
        /// `Expires`, when it holds a valid HTTP date.
        expires: Option<Timestamp> = "expires" Loc::Header("expires"),
        storage_class: Option<String> = "storageClass" Loc::Header("x-amz-storage-class"),
        delete_marker: bool = "deleteMarker" Loc::Header("x-amz-delete-marker"),
        accept_ranges: Option<String> = "acceptRanges" Loc::Header("accept-ranges"),
        /// The stored checksum, when asked for with `checksum_mode`.
        checksum_crc32: Option<String> = "checksumCrc32" Loc::Header("x-amz-checksum-crc32"),
        checksum_crc32c: Option<String> = "checksumCrc32c" Loc::Header("x-amz-checksum-crc32c"),
        checksum_sha256: Option<String> = "checksumSha256" Loc::Header("x-amz-checksum-sha256"),
    }
}

shape! {
    /// What GetObject answers besides the body: `206` for a range, `200` otherwise.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct GetObjectHead {
        status: u16 = "status" Loc::Payload,
        info: ObjectInfo = "info" Loc::Flat,
    }
}

impl GetObjectInput {
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        GetObjectInput { bucket: bucket.into(), key: key.into(), ..Default::default() }
    }
}

pub static GET_OBJECT: Operation =
    Operation::new("getObject", Method::Get, GetObjectInput::FIELDS, ResponseKind::Stream, GetObjectHead::FIELDS);

shape! {
    /// HeadObject. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html>
    #[derive(Debug, Clone, Default)]
    pub struct HeadObjectInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        version_id: Option<String> = "versionId" Loc::Query("versionId"),
        range: Option<ByteRange> = "range" Loc::Header("range"),
        part_number: Option<u32> = "partNumber" Loc::Query("partNumber"); PART_NUMBER,
        conditions: ReadConditions = "conditions" Loc::Flat,
    }
}

pub static HEAD_OBJECT: Operation =
    Operation::new("headObject", Method::Head, HeadObjectInput::FIELDS, ResponseKind::Empty, ObjectInfo::FIELDS);

shape! {
    /// DeleteObject. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html>
    #[derive(Debug, Clone, Default)]
    pub struct DeleteObjectInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        version_id: Option<String> = "versionId" Loc::Query("versionId"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct DeleteObjectOutput {
        version_id: Option<String> = "versionId" Loc::Header("x-amz-version-id"),
        delete_marker: bool = "deleteMarker" Loc::Header("x-amz-delete-marker"),
    }
}

pub static DELETE_OBJECT: Operation = Operation::new(
    "deleteObject",
    Method::Delete,
    DeleteObjectInput::FIELDS,
    ResponseKind::Empty,
    DeleteObjectOutput::FIELDS,
);

shape! {
    /// CopyObject. With `metadataDirective: "REPLACE"` the copy takes the given headers and
    /// metadata; with `COPY` (the default) it keeps the source's, and giving any is an error.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html>
    #[derive(Debug, Clone, Default)]
    pub struct CopyObjectInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        source: CopySource = "source" Loc::Flat,
        /// `COPY` or `REPLACE`.
        metadata_directive: Option<String> = "metadataDirective" Loc::Header("x-amz-metadata-directive");
            Check::OneOf(&["COPY", "REPLACE"]),
        headers: WriteHeaders = "headers" Loc::Flat,
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct CopyObjectOutput {
        etag: Option<String> = "etag" Loc::Xml("ETag"),
        last_modified: Option<Timestamp> = "lastModified" Loc::Xml("LastModified"),
        version_id: Option<String> = "versionId" Loc::Header("x-amz-version-id"),
        copy_source_version_id: Option<String> = "copySourceVersionId" Loc::Header("x-amz-copy-source-version-id"),
    }
}

/// Headers for the copy only make sense when they replace the source's. (Indices follow
/// `CopyObjectInput`'s fields.)
fn check_copy(values: &[Value]) -> Result<(), Invalid> {
    let replace = matches!(&values[3], Value::Text(directive) if directive == "REPLACE");
    let headers_given = matches!(&values[4], Value::Record(group) if group.iter().any(|v| !matches!(v, Value::Absent)));
    if headers_given && !replace {
        return Err(Invalid::new(
            "metadata or content headers on a copy need metadataDirective: \"REPLACE\" (COPY keeps the source's)",
        ));
    }
    Ok(())
}

pub static COPY_OBJECT: Operation =
    Operation::new("copyObject", Method::Put, CopyObjectInput::FIELDS, ResponseKind::Xml, CopyObjectOutput::FIELDS)
        .checked(check_copy);

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ObjectIdentifier {
        key: String = "key" Loc::Xml("Key"),
        version_id: Option<String> = "versionId" Loc::Xml("VersionId"),
    }
}

shape! {
    /// DeleteObjects: up to 1000 keys in one call.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html>
    #[derive(Debug, Clone, Default)]
    pub struct DeleteObjectsInput {
        bucket: String = "bucket" Loc::Bucket,
        objects: Vec<ObjectIdentifier> = "objects" Loc::Xml("Object"); Check::Items(1000),
        /// Report only failures.
        quiet: bool = "quiet" Loc::Xml("Quiet"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct DeletedObject {
        key: String = "key" Loc::Xml("Key"),
        version_id: Option<String> = "versionId" Loc::Xml("VersionId"),
        delete_marker: bool = "deleteMarker" Loc::Xml("DeleteMarker"),
        delete_marker_version_id: Option<String> = "deleteMarkerVersionId" Loc::Xml("DeleteMarkerVersionId"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct DeleteError {
        key: Option<String> = "key" Loc::Xml("Key"),
        version_id: Option<String> = "versionId" Loc::Xml("VersionId"),
        code: String = "code" Loc::Xml("Code"),
        message: Option<String> = "message" Loc::Xml("Message"),
    }
}

shape! {
    /// `deleted` lists what was removed (empty in quiet mode); `errors` what was not.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct DeleteObjectsOutput {
        deleted: Vec<DeletedObject> = "deleted" Loc::Xml("Deleted"),
        errors: Vec<DeleteError> = "errors" Loc::Xml("Error"),
    }
}

/// XML 1.0 cannot carry control characters at all, escaped or not.
fn check_delete_keys(values: &[Value]) -> Result<(), Invalid> {
    let Value::List(objects) = &values[1] else { return Ok(()) };
    for object in objects {
        let Some(Value::Text(key)) = object.first() else { continue };
        if let Some(c) = key.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            return Err(Invalid(
                [
                    "a key holds the control character ",
                    &crate::encoding::code_point(c),
                    ", which deleteObjects' XML body cannot carry; use deleteObject",
                ]
                .concat(),
            ));
        }
    }
    Ok(())
}

pub static DELETE_OBJECTS: Operation = Operation::new(
    "deleteObjects",
    Method::Post,
    DeleteObjectsInput::FIELDS,
    ResponseKind::Xml,
    DeleteObjectsOutput::FIELDS,
)
.on(&[("delete", "")])
.xml_body("Delete")
.with_md5()
.checked(check_delete_keys)
// Deleting what is already deleted answers the same.
.idempotent();

// ---------------------------------------------------------------- buckets

shape! {
    /// A request on a bucket alone.
    #[derive(Debug, Clone, Default)]
    pub struct BucketInput {
        bucket: String = "bucket" Loc::Bucket,
    }
}

/// The input of DeleteBucket, HeadBucket, GetBucketLocation and GetBucketVersioning.
pub type DeleteBucketInput = BucketInput;
pub type HeadBucketInput = BucketInput;
pub type GetBucketLocationInput = BucketInput;
pub type GetBucketVersioningInput = BucketInput;

shape! {
    /// CreateBucket. The location constraint defaults to the client's region (none for
    /// us-east-1). <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html>
    #[derive(Debug, Clone, Default)]
    pub struct CreateBucketInput {
        bucket: String = "bucket" Loc::Bucket,
        location_constraint: Option<String> = "locationConstraint" Loc::LocationConstraint,
        acl: Option<String> = "acl" Loc::Header("x-amz-acl"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct CreateBucketOutput {
        location: Option<String> = "location" Loc::Header("location"),
    }
}

impl CreateBucketInput {
    pub fn new(bucket: impl Into<String>) -> Self {
        CreateBucketInput { bucket: bucket.into(), ..Default::default() }
    }
}

pub static CREATE_BUCKET: Operation = Operation::new(
    "createBucket",
    Method::Put,
    CreateBucketInput::FIELDS,
    ResponseKind::Empty,
    CreateBucketOutput::FIELDS,
)
.xml_body("CreateBucketConfiguration");

pub static DELETE_BUCKET: Operation =
    Operation::new("deleteBucket", Method::Delete, BucketInput::FIELDS, ResponseKind::Empty, &[]);

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct HeadBucketOutput {
        region: Option<String> = "region" Loc::Header("x-amz-bucket-region"),
    }
}

pub static HEAD_BUCKET: Operation =
    Operation::new("headBucket", Method::Head, BucketInput::FIELDS, ResponseKind::Empty, HeadBucketOutput::FIELDS);

shape! {
    /// The bucket's region, normalised: empty is `us-east-1`, `EU` is `eu-west-1`.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html>
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct GetBucketLocationOutput {
        region: String = "region" Loc::RootText,
    }
}

pub static GET_BUCKET_LOCATION: Operation = Operation::new(
    "getBucketLocation",
    Method::Get,
    BucketInput::FIELDS,
    ResponseKind::Xml,
    GetBucketLocationOutput::FIELDS,
)
.on(&[("location", "")]);

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct BucketSummary {
        name: String = "name" Loc::Xml("Name"),
        creation_date: Option<Timestamp> = "creationDate" Loc::Xml("CreationDate"),
    }
}

shape! {
    /// ListBuckets. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html>
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ListBucketsOutput {
        buckets: Vec<BucketSummary> = "buckets" Loc::Xml("Buckets/Bucket"),
        owner: Option<Owner> = "owner" Loc::Xml("Owner"),
    }
}

pub static LIST_BUCKETS: Operation =
    Operation::new("listBuckets", Method::Get, &[], ResponseKind::Xml, ListBucketsOutput::FIELDS);

// ---------------------------------------------------------------- listing

shape! {
    /// ListObjectsV2: one page of a bucket's objects.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html>
    #[derive(Debug, Clone, Default)]
    pub struct ListObjectsInput {
        bucket: String = "bucket" Loc::Bucket,
        prefix: Option<String> = "prefix" Loc::Query("prefix"),
        delimiter: Option<String> = "delimiter" Loc::Query("delimiter"),
        /// At most 1000 per page.
        max_keys: Option<u32> = "maxKeys" Loc::Query("max-keys"); PAGE_SIZE,
        continuation_token: Option<String> = "continuationToken" Loc::Query("continuation-token"),
        start_after: Option<String> = "startAfter" Loc::Query("start-after"),
        fetch_owner: bool = "fetchOwner" Loc::Query("fetch-owner"),
        /// `"url"` (default) or `"none"`.
        encoding_type: Option<String> = "encodingType" Loc::EncodingType; ENCODING,
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ObjectSummary {
        key: String = "key" Loc::XmlKey("Key"),
        last_modified: Option<Timestamp> = "lastModified" Loc::Xml("LastModified"),
        etag: Option<String> = "etag" Loc::Xml("ETag"),
        size: u64 = "size" Loc::Xml("Size"),
        storage_class: Option<String> = "storageClass" Loc::Xml("StorageClass"),
        owner: Option<Owner> = "owner" Loc::Xml("Owner"),
    }
}

shape! {
    /// One page of a listing; names follow `ListBucketResult` in lowerCamelCase.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ListObjectsOutput {
        name: Option<String> = "name" Loc::Xml("Name"),
        prefix: Option<String> = "prefix" Loc::XmlKey("Prefix"),
        delimiter: Option<String> = "delimiter" Loc::XmlKey("Delimiter"),
        max_keys: Option<u32> = "maxKeys" Loc::Xml("MaxKeys"),
        key_count: Option<u32> = "keyCount" Loc::Xml("KeyCount"),
        is_truncated: bool = "isTruncated" Loc::Xml("IsTruncated"),
        continuation_token: Option<String> = "continuationToken" Loc::Xml("ContinuationToken"),
        next_continuation_token: Option<String> = "nextContinuationToken" Loc::Xml("NextContinuationToken"),
        start_after: Option<String> = "startAfter" Loc::XmlKey("StartAfter"),
        contents: Vec<ObjectSummary> = "contents" Loc::Xml("Contents"),
        common_prefixes: Vec<CommonPrefix> = "commonPrefixes" Loc::Xml("CommonPrefixes"),
    }
}

impl ListObjectsInput {
    pub fn new(bucket: impl Into<String>) -> Self {
        ListObjectsInput { bucket: bucket.into(), ..Default::default() }
    }
}

pub static LIST_OBJECTS: Operation =
    Operation::new("listObjects", Method::Get, ListObjectsInput::FIELDS, ResponseKind::Xml, ListObjectsOutput::FIELDS)
        .on(&[("list-type", "2")]);

// ---------------------------------------------------------------- versioning

shape! {
    /// `status` is absent for a bucket that never had versioning. A server without versioning
    /// answers `NotImplemented`.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html>
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct GetBucketVersioningOutput {
        status: Option<String> = "status" Loc::Xml("Status"),
        mfa_delete: Option<String> = "mfaDelete" Loc::Xml("MfaDelete"),
    }
}

pub static GET_BUCKET_VERSIONING: Operation = Operation::new(
    "getBucketVersioning",
    Method::Get,
    BucketInput::FIELDS,
    ResponseKind::Xml,
    GetBucketVersioningOutput::FIELDS,
)
.on(&[("versioning", "")]);

shape! {
    /// PutBucketVersioning. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html>
    #[derive(Debug, Clone, Default)]
    pub struct PutBucketVersioningInput {
        bucket: String = "bucket" Loc::Bucket,
        /// `Enabled` or `Suspended`.
        status: String = "status" Loc::Xml("Status"); Check::OneOf(&["Enabled", "Suspended"]),
    }
}

pub static PUT_BUCKET_VERSIONING: Operation =
    Operation::new("putBucketVersioning", Method::Put, PutBucketVersioningInput::FIELDS, ResponseKind::Empty, &[])
        .on(&[("versioning", "")])
        .xml_body("VersioningConfiguration")
        .with_md5();

shape! {
    /// ListObjectVersions: one page of versions and delete markers.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html>
    #[derive(Debug, Clone, Default)]
    pub struct ListObjectVersionsInput {
        bucket: String = "bucket" Loc::Bucket,
        prefix: Option<String> = "prefix" Loc::Query("prefix"),
        delimiter: Option<String> = "delimiter" Loc::Query("delimiter"),
        max_keys: Option<u32> = "maxKeys" Loc::Query("max-keys"); PAGE_SIZE,
        key_marker: Option<String> = "keyMarker" Loc::Query("key-marker"),
        version_id_marker: Option<String> = "versionIdMarker" Loc::Query("version-id-marker"),
        encoding_type: Option<String> = "encodingType" Loc::EncodingType; ENCODING,
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ObjectVersion {
        key: String = "key" Loc::XmlKey("Key"),
        version_id: Option<String> = "versionId" Loc::Xml("VersionId"),
        is_latest: bool = "isLatest" Loc::Xml("IsLatest"),
        last_modified: Option<Timestamp> = "lastModified" Loc::Xml("LastModified"),
        etag: Option<String> = "etag" Loc::Xml("ETag"),
        size: u64 = "size" Loc::Xml("Size"),
        storage_class: Option<String> = "storageClass" Loc::Xml("StorageClass"),
        owner: Option<Owner> = "owner" Loc::Xml("Owner"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct DeleteMarkerEntry {
        key: String = "key" Loc::XmlKey("Key"),
        version_id: Option<String> = "versionId" Loc::Xml("VersionId"),
        is_latest: bool = "isLatest" Loc::Xml("IsLatest"),
        last_modified: Option<Timestamp> = "lastModified" Loc::Xml("LastModified"),
        owner: Option<Owner> = "owner" Loc::Xml("Owner"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ListObjectVersionsOutput {
        name: Option<String> = "name" Loc::Xml("Name"),
        prefix: Option<String> = "prefix" Loc::XmlKey("Prefix"),
        delimiter: Option<String> = "delimiter" Loc::XmlKey("Delimiter"),
        max_keys: Option<u32> = "maxKeys" Loc::Xml("MaxKeys"),
        is_truncated: bool = "isTruncated" Loc::Xml("IsTruncated"),
        key_marker: Option<String> = "keyMarker" Loc::XmlKey("KeyMarker"),
        version_id_marker: Option<String> = "versionIdMarker" Loc::Xml("VersionIdMarker"),
        next_key_marker: Option<String> = "nextKeyMarker" Loc::XmlKey("NextKeyMarker"),
        next_version_id_marker: Option<String> = "nextVersionIdMarker" Loc::Xml("NextVersionIdMarker"),
        versions: Vec<ObjectVersion> = "versions" Loc::Xml("Version"),
        delete_markers: Vec<DeleteMarkerEntry> = "deleteMarkers" Loc::Xml("DeleteMarker"),
        common_prefixes: Vec<CommonPrefix> = "commonPrefixes" Loc::Xml("CommonPrefixes"),
    }
}

fn check_version_marker(values: &[Value]) -> Result<(), Invalid> {
    if !matches!(values[5], Value::Absent) && matches!(values[4], Value::Absent) {
        return Err(Invalid::new("versionIdMarker needs keyMarker"));
    }
    Ok(())
}

pub static LIST_OBJECT_VERSIONS: Operation = Operation::new(
    "listObjectVersions",
    Method::Get,
    ListObjectVersionsInput::FIELDS,
    ResponseKind::Xml,
    ListObjectVersionsOutput::FIELDS,
)
.on(&[("versions", "")])
.checked(check_version_marker);

// ---------------------------------------------------------------- multipart

shape! {
    /// CreateMultipartUpload: takes the same headers and metadata as PutObject.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html>
    #[derive(Debug, Clone, Default)]
    pub struct CreateMultipartUploadInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        headers: WriteHeaders = "headers" Loc::Flat,
        /// `CRC32`, `CRC32C` or `SHA256`: every part then carries its checksum, and the
        /// completion lists them (opt-in).
        checksum: Option<String> = "checksum" Loc::Header("x-amz-checksum-algorithm"); Check::OneOf(crate::checksum::NAMES),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct CreateMultipartUploadOutput {
        bucket: Option<String> = "bucket" Loc::Xml("Bucket"),
        key: Option<String> = "key" Loc::Xml("Key"),
        upload_id: String = "uploadId" Loc::Xml("UploadId"),
    }
}

pub static CREATE_MULTIPART_UPLOAD: Operation = Operation::new(
    "createMultipartUpload",
    Method::Post,
    CreateMultipartUploadInput::FIELDS,
    ResponseKind::Xml,
    CreateMultipartUploadOutput::FIELDS,
)
.on(&[("uploads", "")]);

shape! {
    /// UploadPart. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html>
    #[derive(Debug, Clone, Default)]
    pub struct UploadPartInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        upload_id: String = "uploadId" Loc::Query("uploadId"),
        part_number: u32 = "partNumber" Loc::Query("partNumber"); PART_NUMBER,
        body: Body = "body" Loc::Payload,
        /// The part's size in bytes: required with a stream (a JS `ReadableStream`, which cannot
        /// tell it), checked against any other body.
        content_length: Option<u64> = "contentLength" Loc::Header("content-length"),
        content_md5: bool = "contentMd5" Loc::ContentMd5,
        /// `CRC32`, `CRC32C` or `SHA256`: computed over the part and sent for S3 to check; required
        /// when the upload was created with one (opt-in).
        checksum: Option<String> = "checksum" Loc::Header("x-amz-sdk-checksum-algorithm"); Check::OneOf(crate::checksum::NAMES),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct UploadPartOutput {
        etag: Option<String> = "etag" Loc::Header("etag"),
        /// The checksum S3 stored, when one was sent.
        checksum_crc32: Option<String> = "checksumCrc32" Loc::Header("x-amz-checksum-crc32"),
        checksum_crc32c: Option<String> = "checksumCrc32c" Loc::Header("x-amz-checksum-crc32c"),
        checksum_sha256: Option<String> = "checksumSha256" Loc::Header("x-amz-checksum-sha256"),
    }
}

pub static UPLOAD_PART: Operation =
    Operation::new("uploadPart", Method::Put, UploadPartInput::FIELDS, ResponseKind::Empty, UploadPartOutput::FIELDS);

shape! {
    /// UploadPartCopy: a part copied from an existing object (or a byte range of it).
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html>
    #[derive(Debug, Clone, Default)]
    pub struct UploadPartCopyInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        upload_id: String = "uploadId" Loc::Query("uploadId"),
        part_number: u32 = "partNumber" Loc::Query("partNumber"); PART_NUMBER,
        source: CopySource = "source" Loc::Flat,
        /// `{ start, end }` (inclusive) of the source.
        source_range: Option<ByteRange> = "sourceRange" Loc::Header("x-amz-copy-source-range"); Check::ClosedRange,
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct UploadPartCopyOutput {
        etag: Option<String> = "etag" Loc::Xml("ETag"),
        last_modified: Option<Timestamp> = "lastModified" Loc::Xml("LastModified"),
    }
}

pub static UPLOAD_PART_COPY: Operation = Operation::new(
    "uploadPartCopy",
    Method::Put,
    UploadPartCopyInput::FIELDS,
    ResponseKind::Xml,
    UploadPartCopyOutput::FIELDS,
);

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct CompletedPart {
        part_number: u32 = "partNumber" Loc::Xml("PartNumber"); PART_NUMBER,
        etag: String = "etag" Loc::Xml("ETag"),
        /// The part's checksum as its upload answered, for an upload created with one.
        checksum_crc32: Option<String> = "checksumCrc32" Loc::Xml("ChecksumCRC32"),
        checksum_crc32c: Option<String> = "checksumCrc32c" Loc::Xml("ChecksumCRC32C"),
        checksum_sha256: Option<String> = "checksumSha256" Loc::Xml("ChecksumSHA256"),
    }
}

shape! {
    /// CompleteMultipartUpload: the parts in ascending order, each with the ETag its upload
    /// returned. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html>
    #[derive(Debug, Clone, Default)]
    pub struct CompleteMultipartUploadInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        upload_id: String = "uploadId" Loc::Query("uploadId"),
        parts: Vec<CompletedPart> = "parts" Loc::Xml("Part"); Check::Items(10_000),
        /// `*`: complete only if no object has the key (else `PreconditionFailed`).
        if_none_match: Option<String> = "ifNoneMatch" Loc::Header("if-none-match"),
        /// An ETag: complete only if the object still has it.
        if_match: Option<String> = "ifMatch" Loc::Header("if-match"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct CompleteMultipartUploadOutput {
        location: Option<String> = "location" Loc::Xml("Location"),
        bucket: Option<String> = "bucket" Loc::Xml("Bucket"),
        key: Option<String> = "key" Loc::Xml("Key"),
        etag: Option<String> = "etag" Loc::Xml("ETag"),
        version_id: Option<String> = "versionId" Loc::Header("x-amz-version-id"),
    }
}

fn check_part_order(values: &[Value]) -> Result<(), Invalid> {
    let Value::List(parts) = &values[3] else { return Ok(()) };
    let mut last = 0;
    for part in parts {
        // Every part's number is there and in 1..=10000 (its field's own check ran first).
        let Some(&Value::Int(number)) = part.first() else { continue };
        if number <= last {
            let (last, number) = (crate::encoding::decimal(last), crate::encoding::decimal(number));
            return Err(Invalid(
                ["parts must be in strictly ascending order of partNumber (", &last, " then ", &number, ")"].concat(),
            ));
        }
        last = number;
    }
    Ok(())
}

pub static COMPLETE_MULTIPART_UPLOAD: Operation = Operation::new(
    "completeMultipartUpload",
    Method::Post,
    CompleteMultipartUploadInput::FIELDS,
    ResponseKind::Xml,
    CompleteMultipartUploadOutput::FIELDS,
)
.xml_body("CompleteMultipartUpload")
.checked(check_part_order)
// A repeat after the first took effect answers NoSuchUpload; the client then checks the
// object (see client::complete_again).
.idempotent();

shape! {
    /// AbortMultipartUpload. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html>
    #[derive(Debug, Clone, Default)]
    pub struct UploadInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        upload_id: String = "uploadId" Loc::Query("uploadId"),
    }
}

pub type AbortMultipartUploadInput = UploadInput;

pub static ABORT_MULTIPART_UPLOAD: Operation =
    Operation::new("abortMultipartUpload", Method::Delete, UploadInput::FIELDS, ResponseKind::Empty, &[]);

shape! {
    /// ListParts. <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html>
    #[derive(Debug, Clone, Default)]
    pub struct ListPartsInput {
        bucket: String = "bucket" Loc::Bucket,
        key: String = "key" Loc::Key,
        upload_id: String = "uploadId" Loc::Query("uploadId"),
        max_parts: Option<u32> = "maxParts" Loc::Query("max-parts"); PAGE_SIZE,
        part_number_marker: Option<u32> = "partNumberMarker" Loc::Query("part-number-marker"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Part {
        part_number: u32 = "partNumber" Loc::Xml("PartNumber"),
        last_modified: Option<Timestamp> = "lastModified" Loc::Xml("LastModified"),
        etag: Option<String> = "etag" Loc::Xml("ETag"),
        size: u64 = "size" Loc::Xml("Size"),
        /// The part's checksum, when its upload has an algorithm and the server lists it (AWS
        /// does).
        checksum_crc32: Option<String> = "checksumCrc32" Loc::Xml("ChecksumCRC32"),
        checksum_crc32c: Option<String> = "checksumCrc32c" Loc::Xml("ChecksumCRC32C"),
        checksum_sha256: Option<String> = "checksumSha256" Loc::Xml("ChecksumSHA256"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ListPartsOutput {
        bucket: Option<String> = "bucket" Loc::Xml("Bucket"),
        key: Option<String> = "key" Loc::Xml("Key"),
        upload_id: Option<String> = "uploadId" Loc::Xml("UploadId"),
        part_number_marker: Option<u32> = "partNumberMarker" Loc::Xml("PartNumberMarker"),
        next_part_number_marker: Option<u32> = "nextPartNumberMarker" Loc::Xml("NextPartNumberMarker"),
        max_parts: Option<u32> = "maxParts" Loc::Xml("MaxParts"),
        is_truncated: bool = "isTruncated" Loc::Xml("IsTruncated"),
        storage_class: Option<String> = "storageClass" Loc::Xml("StorageClass"),
        owner: Option<Owner> = "owner" Loc::Xml("Owner"),
        parts: Vec<Part> = "parts" Loc::Xml("Part"),
    }
}

pub static LIST_PARTS: Operation =
    Operation::new("listParts", Method::Get, ListPartsInput::FIELDS, ResponseKind::Xml, ListPartsOutput::FIELDS);

shape! {
    /// ListMultipartUploads: one page of the uploads in progress.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html>
    #[derive(Debug, Clone, Default)]
    pub struct ListMultipartUploadsInput {
        bucket: String = "bucket" Loc::Bucket,
        prefix: Option<String> = "prefix" Loc::Query("prefix"),
        delimiter: Option<String> = "delimiter" Loc::Query("delimiter"),
        max_uploads: Option<u32> = "maxUploads" Loc::Query("max-uploads"); PAGE_SIZE,
        key_marker: Option<String> = "keyMarker" Loc::Query("key-marker"),
        upload_id_marker: Option<String> = "uploadIdMarker" Loc::Query("upload-id-marker"),
        encoding_type: Option<String> = "encodingType" Loc::EncodingType; ENCODING,
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct MultipartUpload {
        key: String = "key" Loc::XmlKey("Key"),
        upload_id: String = "uploadId" Loc::Xml("UploadId"),
        initiated: Option<Timestamp> = "initiated" Loc::Xml("Initiated"),
        storage_class: Option<String> = "storageClass" Loc::Xml("StorageClass"),
        owner: Option<Owner> = "owner" Loc::Xml("Owner"),
    }
}

shape! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ListMultipartUploadsOutput {
        bucket: Option<String> = "bucket" Loc::Xml("Bucket"),
        prefix: Option<String> = "prefix" Loc::XmlKey("Prefix"),
        delimiter: Option<String> = "delimiter" Loc::XmlKey("Delimiter"),
        key_marker: Option<String> = "keyMarker" Loc::XmlKey("KeyMarker"),
        upload_id_marker: Option<String> = "uploadIdMarker" Loc::Xml("UploadIdMarker"),
        next_key_marker: Option<String> = "nextKeyMarker" Loc::XmlKey("NextKeyMarker"),
        next_upload_id_marker: Option<String> = "nextUploadIdMarker" Loc::Xml("NextUploadIdMarker"),
        max_uploads: Option<u32> = "maxUploads" Loc::Xml("MaxUploads"),
        is_truncated: bool = "isTruncated" Loc::Xml("IsTruncated"),
        uploads: Vec<MultipartUpload> = "uploads" Loc::Xml("Upload"),
        common_prefixes: Vec<CommonPrefix> = "commonPrefixes" Loc::Xml("CommonPrefixes"),
    }
}

pub static LIST_MULTIPART_UPLOADS: Operation = Operation::new(
    "listMultipartUploads",
    Method::Get,
    ListMultipartUploadsInput::FIELDS,
    ResponseKind::Xml,
    ListMultipartUploadsOutput::FIELDS,
)
.on(&[("uploads", "")]);

/// Every operation, in the order the JS client and its TypeScript declarations list them.
pub static ALL: &[&Operation] = &[
    &PUT_OBJECT,
    &GET_OBJECT,
    &HEAD_OBJECT,
    &DELETE_OBJECT,
    &COPY_OBJECT,
    &DELETE_OBJECTS,
    &LIST_BUCKETS,
    &CREATE_BUCKET,
    &DELETE_BUCKET,
    &HEAD_BUCKET,
    &GET_BUCKET_LOCATION,
    &LIST_OBJECTS,
    &GET_BUCKET_VERSIONING,
    &PUT_BUCKET_VERSIONING,
    &LIST_OBJECT_VERSIONS,
    &CREATE_MULTIPART_UPLOAD,
    &UPLOAD_PART,
    &UPLOAD_PART_COPY,
    &COMPLETE_MULTIPART_UPLOAD,
    &ABORT_MULTIPART_UPLOAD,
    &LIST_PARTS,
    &LIST_MULTIPART_UPLOADS,
];
