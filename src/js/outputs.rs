//! Each operation's result as a plain JS object, named after the S3 response in lowerCamelCase
//! (DESIGN.md §2): sizes are numbers, dates are `Date`s, absent values are left out. Written
//! by hand rather than through serde-wasm-bindgen, which cost more wasm (see the README).

use crate::model::bucket::*;
use crate::model::copy::*;
use crate::model::delete_objects::*;
use crate::model::list::*;
use crate::model::multipart::*;
use crate::model::object::*;
use crate::model::versioning::*;
use crate::model::{CommonPrefix, Owner};
use crate::time::Timestamp;
use js_sys::{Array, Object, Reflect};
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;

pub trait ToJs {
    fn to_js(&self) -> JsValue;
}

/// A plain object of the fields that are not `undefined`.
fn object(fields: &[(&'static str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in fields {
        if !value.is_undefined() {
            // Setting a property on a fresh plain object cannot fail.
            let _ = Reflect::set(&object, &field_name(name), value);
        }
    }
    object.into()
}

thread_local! {
    /// Field names as JS strings, made once: a listing page sets thousands of properties, and
    /// creating each name anew from UTF-8 made a 1000-key page 60% slower (`make bench`).
    /// Keyed by address and length: every name is a `'static` literal, and comparing two
    /// numbers is cheaper than comparing text.
    static FIELD_NAMES: std::cell::RefCell<BTreeMap<(usize, usize), JsValue>> = Default::default();
}

fn field_name(name: &'static str) -> JsValue {
    FIELD_NAMES.with(|names| {
        names.borrow_mut().entry((name.as_ptr() as usize, name.len())).or_insert_with(|| name.into()).clone()
    })
}

impl ToJs for () {
    fn to_js(&self) -> JsValue {
        JsValue::UNDEFINED
    }
}

impl ToJs for String {
    fn to_js(&self) -> JsValue {
        self.into()
    }
}

impl ToJs for bool {
    fn to_js(&self) -> JsValue {
        (*self).into()
    }
}

impl ToJs for u32 {
    fn to_js(&self) -> JsValue {
        (*self).into()
    }
}

impl ToJs for u64 {
    /// Sizes are JS numbers: exact up to 2^53 bytes (8 PiB), far beyond S3's 5 TiB objects.
    fn to_js(&self) -> JsValue {
        (*self as f64).into()
    }
}

impl ToJs for Timestamp {
    fn to_js(&self) -> JsValue {
        js_sys::Date::new(&(self.unix_millis() as f64).into()).into()
    }
}

impl<T: ToJs> ToJs for Option<T> {
    fn to_js(&self) -> JsValue {
        self.as_ref().map_or(JsValue::UNDEFINED, T::to_js)
    }
}

impl<T: ToJs> ToJs for Vec<T> {
    fn to_js(&self) -> JsValue {
        self.iter().map(T::to_js).collect::<Array>().into()
    }
}

impl ToJs for BTreeMap<String, String> {
    fn to_js(&self) -> JsValue {
        let object = Object::new();
        for (name, value) in self {
            let _ = Reflect::set(&object, &name.into(), &value.into());
        }
        object.into()
    }
}

impl ToJs for CreateBucketOutput {
    fn to_js(&self) -> JsValue {
        object(&[("location", self.location.to_js())])
    }
}

impl ToJs for HeadBucketOutput {
    fn to_js(&self) -> JsValue {
        object(&[("region", self.region.to_js())])
    }
}

impl ToJs for GetBucketLocationOutput {
    fn to_js(&self) -> JsValue {
        object(&[("region", self.region.to_js())])
    }
}

impl ToJs for ListBucketsOutput {
    fn to_js(&self) -> JsValue {
        object(&[("buckets", self.buckets.to_js()), ("owner", self.owner.to_js())])
    }
}

impl ToJs for BucketSummary {
    fn to_js(&self) -> JsValue {
        object(&[("name", self.name.to_js()), ("creationDate", self.creation_date.to_js())])
    }
}

impl ToJs for CopyObjectOutput {
    fn to_js(&self) -> JsValue {
        object(&[
            ("etag", self.etag.to_js()),
            ("lastModified", self.last_modified.to_js()),
            ("versionId", self.version_id.to_js()),
            ("copySourceVersionId", self.copy_source_version_id.to_js()),
        ])
    }
}

impl ToJs for DeleteObjectsOutput {
    fn to_js(&self) -> JsValue {
        object(&[("deleted", self.deleted.to_js()), ("errors", self.errors.to_js())])
    }
}

impl ToJs for DeletedObject {
    fn to_js(&self) -> JsValue {
        object(&[
            ("key", self.key.to_js()),
            ("versionId", self.version_id.to_js()),
            ("deleteMarker", self.delete_marker.then_some(true).to_js()),
            ("deleteMarkerVersionId", self.delete_marker_version_id.to_js()),
        ])
    }
}

impl ToJs for DeleteError {
    fn to_js(&self) -> JsValue {
        object(&[
            ("key", self.key.to_js()),
            ("versionId", self.version_id.to_js()),
            ("code", self.code.to_js()),
            ("message", self.message.to_js()),
        ])
    }
}

impl ToJs for ListObjectsOutput {
    fn to_js(&self) -> JsValue {
        object(&[
            ("name", self.name.to_js()),
            ("prefix", self.prefix.to_js()),
            ("delimiter", self.delimiter.to_js()),
            ("maxKeys", self.max_keys.to_js()),
            ("keyCount", self.key_count.to_js()),
            ("isTruncated", self.is_truncated.to_js()),
            ("continuationToken", self.continuation_token.to_js()),
            ("nextContinuationToken", self.next_continuation_token.to_js()),
            ("startAfter", self.start_after.to_js()),
            ("contents", self.contents.to_js()),
            ("commonPrefixes", self.common_prefixes.to_js()),
        ])
    }
}

impl ToJs for ObjectSummary {
    fn to_js(&self) -> JsValue {
        object(&[
            ("key", self.key.to_js()),
            ("lastModified", self.last_modified.to_js()),
            ("etag", self.etag.to_js()),
            ("size", self.size.to_js()),
            ("storageClass", self.storage_class.to_js()),
            ("owner", self.owner.to_js()),
        ])
    }
}

impl ToJs for Owner {
    fn to_js(&self) -> JsValue {
        object(&[("id", self.id.to_js()), ("displayName", self.display_name.to_js())])
    }
}

impl ToJs for CommonPrefix {
    fn to_js(&self) -> JsValue {
        object(&[("prefix", self.prefix.to_js())])
    }
}

impl ToJs for CreateMultipartUploadOutput {
    fn to_js(&self) -> JsValue {
        object(&[("bucket", self.bucket.to_js()), ("key", self.key.to_js()), ("uploadId", self.upload_id.to_js())])
    }
}

impl ToJs for UploadPartOutput {
    fn to_js(&self) -> JsValue {
        object(&[("etag", self.etag.to_js())])
    }
}

impl ToJs for UploadPartCopyOutput {
    fn to_js(&self) -> JsValue {
        object(&[("etag", self.etag.to_js()), ("lastModified", self.last_modified.to_js())])
    }
}

impl ToJs for CompleteMultipartUploadOutput {
    fn to_js(&self) -> JsValue {
        object(&[
            ("location", self.location.to_js()),
            ("bucket", self.bucket.to_js()),
            ("key", self.key.to_js()),
            ("etag", self.etag.to_js()),
            ("versionId", self.version_id.to_js()),
        ])
    }
}

impl ToJs for ListPartsOutput {
    fn to_js(&self) -> JsValue {
        object(&[
            ("bucket", self.bucket.to_js()),
            ("key", self.key.to_js()),
            ("uploadId", self.upload_id.to_js()),
            ("partNumberMarker", self.part_number_marker.to_js()),
            ("nextPartNumberMarker", self.next_part_number_marker.to_js()),
            ("maxParts", self.max_parts.to_js()),
            ("isTruncated", self.is_truncated.to_js()),
            ("storageClass", self.storage_class.to_js()),
            ("owner", self.owner.to_js()),
            ("parts", self.parts.to_js()),
        ])
    }
}

impl ToJs for Part {
    fn to_js(&self) -> JsValue {
        object(&[
            ("partNumber", self.part_number.to_js()),
            ("lastModified", self.last_modified.to_js()),
            ("etag", self.etag.to_js()),
            ("size", self.size.to_js()),
        ])
    }
}

impl ToJs for ListMultipartUploadsOutput {
    fn to_js(&self) -> JsValue {
        object(&[
            ("bucket", self.bucket.to_js()),
            ("prefix", self.prefix.to_js()),
            ("delimiter", self.delimiter.to_js()),
            ("keyMarker", self.key_marker.to_js()),
            ("uploadIdMarker", self.upload_id_marker.to_js()),
            ("nextKeyMarker", self.next_key_marker.to_js()),
            ("nextUploadIdMarker", self.next_upload_id_marker.to_js()),
            ("maxUploads", self.max_uploads.to_js()),
            ("isTruncated", self.is_truncated.to_js()),
            ("uploads", self.uploads.to_js()),
            ("commonPrefixes", self.common_prefixes.to_js()),
        ])
    }
}

impl ToJs for MultipartUpload {
    fn to_js(&self) -> JsValue {
        object(&[
            ("key", self.key.to_js()),
            ("uploadId", self.upload_id.to_js()),
            ("initiated", self.initiated.to_js()),
            ("storageClass", self.storage_class.to_js()),
            ("owner", self.owner.to_js()),
        ])
    }
}

impl ToJs for PutObjectOutput {
    fn to_js(&self) -> JsValue {
        object(&[("etag", self.etag.to_js()), ("versionId", self.version_id.to_js())])
    }
}

impl ToJs for ObjectInfo {
    fn to_js(&self) -> JsValue {
        object(&[
            ("contentLength", self.content_length.to_js()),
            ("contentType", self.content_type.to_js()),
            ("etag", self.etag.to_js()),
            ("lastModified", self.last_modified.to_js()),
            ("metadata", self.metadata.to_js()),
            ("versionId", self.version_id.to_js()),
            ("contentRange", self.content_range.to_js()),
            ("cacheControl", self.cache_control.to_js()),
            ("contentDisposition", self.content_disposition.to_js()),
            ("contentEncoding", self.content_encoding.to_js()),
            ("contentLanguage", self.content_language.to_js()),
            ("expires", self.expires.to_js()),
            ("storageClass", self.storage_class.to_js()),
            ("deleteMarker", self.delete_marker.then_some(true).to_js()),
            ("acceptRanges", self.accept_ranges.to_js()),
        ])
    }
}

impl ToJs for DeleteObjectOutput {
    fn to_js(&self) -> JsValue {
        object(&[("versionId", self.version_id.to_js()), ("deleteMarker", self.delete_marker.then_some(true).to_js())])
    }
}

impl ToJs for GetBucketVersioningOutput {
    fn to_js(&self) -> JsValue {
        object(&[("status", self.status.to_js()), ("mfaDelete", self.mfa_delete.to_js())])
    }
}

impl ToJs for ListObjectVersionsOutput {
    fn to_js(&self) -> JsValue {
        object(&[
            ("name", self.name.to_js()),
            ("prefix", self.prefix.to_js()),
            ("delimiter", self.delimiter.to_js()),
            ("maxKeys", self.max_keys.to_js()),
            ("isTruncated", self.is_truncated.to_js()),
            ("keyMarker", self.key_marker.to_js()),
            ("versionIdMarker", self.version_id_marker.to_js()),
            ("nextKeyMarker", self.next_key_marker.to_js()),
            ("nextVersionIdMarker", self.next_version_id_marker.to_js()),
            ("versions", self.versions.to_js()),
            ("deleteMarkers", self.delete_markers.to_js()),
            ("commonPrefixes", self.common_prefixes.to_js()),
        ])
    }
}

impl ToJs for ObjectVersion {
    fn to_js(&self) -> JsValue {
        object(&[
            ("key", self.key.to_js()),
            ("versionId", self.version_id.to_js()),
            ("isLatest", self.is_latest.to_js()),
            ("lastModified", self.last_modified.to_js()),
            ("etag", self.etag.to_js()),
            ("size", self.size.to_js()),
            ("storageClass", self.storage_class.to_js()),
            ("owner", self.owner.to_js()),
        ])
    }
}

impl ToJs for DeleteMarkerEntry {
    fn to_js(&self) -> JsValue {
        object(&[
            ("key", self.key.to_js()),
            ("versionId", self.version_id.to_js()),
            ("isLatest", self.is_latest.to_js()),
            ("lastModified", self.last_modified.to_js()),
            ("owner", self.owner.to_js()),
        ])
    }
}
