//! The typed Rust API: one method per declared operation, each a call into the pipeline with
//! the input's values and the output read back from the declared fields.

use super::S3Client;
use crate::error::Result;
use crate::http::ResponseBody;
use crate::operations::catalog::*;
use crate::operations::Shape;
use crate::platform::Signal;

/// An object's body (still streaming) and what S3 said about it.
#[derive(Debug)]
pub struct GetObjectOutput {
    pub body: ResponseBody,
    /// `206` for a range, `200` otherwise.
    pub status: u16,
    pub info: ObjectInfo,
}

macro_rules! typed_methods {
    ($( $(#[$doc:meta])* $method:ident($input:ty) -> $output:ty = $operation:ident; )*) => {
        impl S3Client {
            $(
                $(#[$doc])*
                pub async fn $method(&self, input: $input) -> Result<$output> {
                    let reply = self.call(&$operation, input.into_values(), &Signal::default()).await?;
                    Ok(<$output>::from_values(reply.values))
                }
            )*
        }
    };
}

typed_methods! {
    put_object(PutObjectInput) -> PutObjectOutput = PUT_OBJECT;
    head_object(HeadObjectInput) -> ObjectInfo = HEAD_OBJECT;
    delete_object(DeleteObjectInput) -> DeleteObjectOutput = DELETE_OBJECT;
    copy_object(CopyObjectInput) -> CopyObjectOutput = COPY_OBJECT;
    delete_objects(DeleteObjectsInput) -> DeleteObjectsOutput = DELETE_OBJECTS;
    create_bucket(CreateBucketInput) -> CreateBucketOutput = CREATE_BUCKET;
    delete_bucket(BucketInput) -> () = DELETE_BUCKET;
    head_bucket(BucketInput) -> HeadBucketOutput = HEAD_BUCKET;
    get_bucket_location(BucketInput) -> GetBucketLocationOutput = GET_BUCKET_LOCATION;
    /// One page of ListObjectsV2; see [`S3Client::list_objects_all`] for every object.
    list_objects(ListObjectsInput) -> ListObjectsOutput = LIST_OBJECTS;
    get_bucket_versioning(BucketInput) -> GetBucketVersioningOutput = GET_BUCKET_VERSIONING;
    put_bucket_versioning(PutBucketVersioningInput) -> () = PUT_BUCKET_VERSIONING;
    list_object_versions(ListObjectVersionsInput) -> ListObjectVersionsOutput = LIST_OBJECT_VERSIONS;
    create_multipart_upload(CreateMultipartUploadInput) -> CreateMultipartUploadOutput = CREATE_MULTIPART_UPLOAD;
    upload_part(UploadPartInput) -> UploadPartOutput = UPLOAD_PART;
    upload_part_copy(UploadPartCopyInput) -> UploadPartCopyOutput = UPLOAD_PART_COPY;
    complete_multipart_upload(CompleteMultipartUploadInput) -> CompleteMultipartUploadOutput = COMPLETE_MULTIPART_UPLOAD;
    abort_multipart_upload(UploadInput) -> () = ABORT_MULTIPART_UPLOAD;
    list_parts(ListPartsInput) -> ListPartsOutput = LIST_PARTS;
    list_multipart_uploads(ListMultipartUploadsInput) -> ListMultipartUploadsOutput = LIST_MULTIPART_UPLOADS;
}

impl S3Client {
    pub async fn list_buckets(&self) -> Result<ListBucketsOutput> {
        let reply = self.call(&LIST_BUCKETS, Vec::new(), &Signal::default()).await?;
        Ok(ListBucketsOutput::from_values(reply.values))
    }

    /// The object's body streams: nothing is read until the caller reads it. A body cut off
    /// mid-way continues from the next byte, pinned to the same ETag, as often as the retry
    /// policy allows more attempts (`client/resume.rs`).
    pub async fn get_object(&self, input: GetObjectInput) -> Result<GetObjectOutput> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            // A range or a part is not the object: the object's checksum is not theirs.
            let checking = input.checksum_mode.is_some() && input.range.is_none() && input.part_number.is_none();
            let output = self.get_object_once(input.clone()).await?;
            let body = super::resume::Resuming::wrap(self, input, &output.info, output.body);
            let body = if checking { checked(body, &output.info) } else { body };
            Ok(GetObjectOutput { body, ..output })
        }
        #[cfg(target_arch = "wasm32")]
        self.get_object_once(input).await
    }

    /// One GetObject, its body as it comes.
    pub(crate) async fn get_object_once(&self, input: GetObjectInput) -> Result<GetObjectOutput> {
        let reply = self.call(&GET_OBJECT, input.into_values(), &Signal::default()).await?;
        let head = GetObjectHead::from_values(reply.values);
        let body = reply.body.unwrap_or_else(|| ResponseBody::from_bytes(Vec::new()));
        Ok(GetObjectOutput { body, status: head.status, info: head.info })
    }
}

/// The body checked against the full-object checksum its answer named (with `checksum_mode`).
/// A composite checksum (`…-N`, of a multipart object's parts) is not one of its bytes: left as
/// it is.
#[cfg(not(target_arch = "wasm32"))]
fn checked(body: ResponseBody, info: &crate::operations::catalog::ObjectInfo) -> ResponseBody {
    let named = [("CRC32", &info.checksum_crc32), ("CRC32C", &info.checksum_crc32c), ("SHA256", &info.checksum_sha256)];
    let Some((algorithm, expected)) =
        named.into_iter().find_map(|(name, value)| Some((name, value.as_ref().filter(|v| !v.contains('-'))?)))
    else {
        return body;
    };
    ResponseBody::checked(crate::http::Checked {
        body,
        sum: crate::checksum::Checksum::new(algorithm),
        header: crate::checksum::header(algorithm).unwrap_or_default(),
        expected: expected.clone(),
    })
}
