//! One method per S3 operation, each a thin call into the pipeline.

use super::S3Client;
use crate::error::Result;
use crate::model::bucket::*;
use crate::model::copy::*;
use crate::model::delete_objects::*;
use crate::model::list::*;
use crate::model::multipart::*;
use crate::model::object::*;
use crate::model::versioning::*;

impl S3Client {
    pub async fn put_object(&self, input: PutObjectInput) -> Result<PutObjectOutput> {
        self.execute(input).await
    }

    pub async fn get_object(&self, input: GetObjectInput) -> Result<GetObjectOutput> {
        self.execute(input).await
    }

    pub async fn head_object(&self, input: HeadObjectInput) -> Result<ObjectInfo> {
        self.execute(input).await
    }

    pub async fn delete_object(&self, input: DeleteObjectInput) -> Result<DeleteObjectOutput> {
        self.execute(input).await
    }

    pub async fn copy_object(&self, input: CopyObjectInput) -> Result<CopyObjectOutput> {
        self.execute(input).await
    }

    pub async fn delete_objects(&self, input: DeleteObjectsInput) -> Result<DeleteObjectsOutput> {
        self.execute(input).await
    }

    pub async fn create_bucket(&self, input: CreateBucketInput) -> Result<CreateBucketOutput> {
        self.execute(input.with_default_region(self.region())).await
    }

    pub async fn delete_bucket(&self, input: DeleteBucketInput) -> Result<()> {
        self.execute(input).await
    }

    pub async fn head_bucket(&self, input: HeadBucketInput) -> Result<HeadBucketOutput> {
        self.execute(input).await
    }

    pub async fn get_bucket_location(&self, input: GetBucketLocationInput) -> Result<GetBucketLocationOutput> {
        self.execute(input).await
    }

    pub async fn list_buckets(&self) -> Result<ListBucketsOutput> {
        self.execute(ListBucketsInput {}).await
    }

    /// One page of ListObjectsV2; see [`S3Client::list_objects_all`] for every object.
    pub async fn list_objects(&self, input: ListObjectsInput) -> Result<ListObjectsOutput> {
        self.execute(input).await
    }

    pub async fn get_bucket_versioning(&self, input: GetBucketVersioningInput) -> Result<GetBucketVersioningOutput> {
        self.execute(input).await
    }

    pub async fn put_bucket_versioning(&self, input: PutBucketVersioningInput) -> Result<()> {
        self.execute(input).await
    }

    pub async fn list_object_versions(&self, input: ListObjectVersionsInput) -> Result<ListObjectVersionsOutput> {
        self.execute(input).await
    }

    pub async fn create_multipart_upload(
        &self,
        input: CreateMultipartUploadInput,
    ) -> Result<CreateMultipartUploadOutput> {
        self.execute(input).await
    }

    pub async fn upload_part(&self, input: UploadPartInput) -> Result<UploadPartOutput> {
        self.execute(input).await
    }

    pub async fn upload_part_copy(&self, input: UploadPartCopyInput) -> Result<UploadPartCopyOutput> {
        self.execute(input).await
    }

    pub async fn complete_multipart_upload(
        &self,
        input: CompleteMultipartUploadInput,
    ) -> Result<CompleteMultipartUploadOutput> {
        self.execute(input).await
    }

    pub async fn abort_multipart_upload(&self, input: AbortMultipartUploadInput) -> Result<()> {
        self.execute(input).await
    }

    pub async fn list_parts(&self, input: ListPartsInput) -> Result<ListPartsOutput> {
        self.execute(input).await
    }

    pub async fn list_multipart_uploads(&self, input: ListMultipartUploadsInput) -> Result<ListMultipartUploadsOutput> {
        self.execute(input).await
    }
}
