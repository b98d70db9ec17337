//! One method per S3 operation, each a thin call into the pipeline.

use super::S3Client;
use crate::error::Result;
use crate::model::bucket::*;
use crate::model::object::*;

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
}
