//! The server half of a browser upload by presigned parts: the server holds the keys, starts
//! the multipart upload, hands the browser one URL per part and completes (or aborts) it; no key
//! reaches the page. It signs only what its [`UploadPolicy`] allows: one bucket, keys under one
//! prefix, a size limit and a part count, so it cannot be made to sign arbitrary requests. Each
//! part URL signs its part's length (`content-length`), which a server that checks signatures
//! holds the PUT to, so the parts together never pass the limit. For servers that check less,
//! [`PresignedUploads::complete`] checks the sizes S3 received (ListParts) and aborts an upload
//! over the limit instead of completing it, then checks the completed object's own size (a
//! server that lists no sizes) and deletes one over the limit.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html>

use crate::client::{PresignOptions, S3Client};
use crate::error::{Error, Result};
use crate::operations::catalog::*;
use crate::operations::Shape;
use crate::upload::{MAX_PARTS, MIN_PART_SIZE};

/// What a [`PresignedUploads`] may sign.
#[derive(Debug, Clone)]
pub struct UploadPolicy {
    pub bucket: String,
    /// Every key must start with it: a folder, ending in `/` (`uploads/user-42/`, so that
    /// `uploads/user-4` cannot take in `uploads/user-42/…`); empty allows any key.
    pub key_prefix: String,
    /// The largest object, in bytes.
    pub max_size: u64,
    /// Bytes per part (5 MiB or more); grown when `max_size` needs more than 10,000 parts.
    pub part_size: u64,
    /// How long each part URL lives, in seconds (900 by default).
    pub expires_in: Option<u32>,
}

/// A started upload: what the browser needs to send its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedUpload {
    pub key: String,
    pub upload_id: String,
    pub part_size: u64,
    /// One URL per part, in order (part `n` is `part_urls[n - 1]`).
    pub part_urls: Vec<String>,
}

/// Signs the parts of uploads within a policy.
#[derive(Debug, Clone)]
pub struct PresignedUploads {
    client: S3Client,
    policy: UploadPolicy,
}

impl PresignedUploads {
    /// Refuses a policy that could not work or would allow more than it says: no bucket, a key
    /// prefix that is not a folder, a part size under S3's minimum, a size limit beyond S3's
    /// largest object (10,000 parts of 5 GiB), or an expiry outside 1 s to 7 days.
    pub fn new(client: S3Client, mut policy: UploadPolicy) -> Result<Self> {
        if policy.bucket.is_empty() {
            return Err(Error::validation("the upload policy needs a bucket"));
        }
        if !(policy.key_prefix.is_empty() || policy.key_prefix.ends_with('/')) {
            return Err(Error::validation("the policy's key_prefix must end with '/' (or be empty, for any key)"));
        }
        if policy.expires_in.is_some_and(|seconds| !(1..=604_800).contains(&seconds)) {
            return Err(Error::validation("the policy's expires_in must be 1 s to 7 days"));
        }
        if policy.part_size < MIN_PART_SIZE {
            return Err(Error::validation("the policy's part_size is under S3's 5 MiB"));
        }
        policy.part_size = policy.part_size.max(policy.max_size.div_ceil(MAX_PARTS));
        if policy.part_size > crate::upload::MAX_PART_SIZE {
            return Err(Error::validation("the policy's max_size is beyond S3's largest object"));
        }
        Ok(PresignedUploads { client, policy })
    }

    fn check_key(&self, key: &str) -> Result<()> {
        if !key.starts_with(&self.policy.key_prefix) {
            return Err(Error::validation(format!(
                "key \"{key}\" is outside the upload policy's prefix \"{}\"",
                self.policy.key_prefix
            )));
        }
        Ok(())
    }

    fn check_size(&self, size: u64) -> Result<()> {
        if size > self.policy.max_size {
            return Err(Error::validation(format!(
                "{size} bytes is over the upload policy's {}",
                self.policy.max_size
            )));
        }
        Ok(())
    }

    /// How many parts an object of `size` bytes has (at least one).
    fn parts_for(&self, size: u64) -> u32 {
        size.div_ceil(self.policy.part_size).max(1) as u32
    }

    /// Starts an upload of `size` bytes to `key` and signs all its part URLs.
    pub async fn start(&self, key: &str, size: u64, headers: WriteHeaders) -> Result<StartedUpload> {
        self.check_key(key)?;
        self.check_size(size)?;
        let bucket = self.policy.bucket.clone();
        let create = CreateMultipartUploadInput { bucket, key: key.into(), headers, ..Default::default() };
        let upload_id = self.client.create_multipart_upload(create).await?.upload_id;
        let mut part_urls = Vec::new();
        for part_number in 1..=self.parts_for(size) {
            match self.sign_part(key, &upload_id, part_number, size).await {
                Ok(url) => part_urls.push(url),
                Err(error) => {
                    // No upload is left behind (and billed) for URLs that could not be made.
                    let _ = self.abort(key, &upload_id).await;
                    return Err(error);
                }
            }
        }
        Ok(StartedUpload { key: key.into(), upload_id, part_size: self.policy.part_size, part_urls })
    }

    /// The URL of one part, on demand: part `part_number` of an upload of `size` bytes (the
    /// size [`start`](Self::start) was given), signed for that part's length as `start` signs it.
    pub async fn part_url(&self, key: &str, upload_id: &str, part_number: u32, size: u64) -> Result<String> {
        self.check_key(key)?;
        self.check_size(size)?;
        if !(1..=self.parts_for(size)).contains(&part_number) {
            return Err(Error::validation(format!(
                "part {part_number} is outside an upload of {size} bytes in parts of {}",
                self.policy.part_size
            )));
        }
        self.sign_part(key, upload_id, part_number, size).await
    }

    /// Part `part_number`'s URL, signed for its length in an upload of `size` bytes: a server
    /// that checks signatures refuses a PUT of any other length.
    async fn sign_part(&self, key: &str, upload_id: &str, part_number: u32, size: u64) -> Result<String> {
        let part_size = self.policy.part_size;
        let input = UploadPartInput {
            bucket: self.policy.bucket.clone(),
            key: key.into(),
            upload_id: upload_id.into(),
            part_number,
            content_length: Some(part_size.min(size - u64::from(part_number - 1) * part_size)),
            ..Default::default()
        };
        let options = PresignOptions { expires_in: self.policy.expires_in, ..Default::default() };
        self.client.presign_operation(&UPLOAD_PART, input.into_values(), &options).await
    }

    /// Completes an upload with the parts S3 has: their sizes from ListParts (never the
    /// browser's word), their ETags from ListParts too, or from `reported` (the part answers
    /// the browser saw) where a server lists none. One over the policy's size is aborted
    /// instead, and the call fails.
    pub async fn complete(
        &self,
        key: &str,
        upload_id: &str,
        reported: &[CompletedPart],
    ) -> Result<CompleteMultipartUploadOutput> {
        self.check_key(key)?;
        let (bucket, key, upload_id) = (self.policy.bucket.clone(), key.to_owned(), upload_id.to_owned());
        let parts = self.client.all_parts(&bucket, &key, &upload_id).await?;
        // Saturating: sizes a server lists that add up past u64::MAX are over any policy.
        let size = parts.iter().fold(0u64, |sum, part| sum.saturating_add(part.size));
        if size > self.policy.max_size || parts.is_empty() {
            self.abort(&key, &upload_id).await?;
            return Err(Error::validation(format!(
                "the upload holds {size} bytes in {} parts, outside the upload policy's {} bytes: it was aborted",
                parts.len(),
                self.policy.max_size
            )));
        }
        let etag_of = |part: &Part| {
            let reported = reported.iter().find(|r| r.part_number == part.part_number).map(|r| r.etag.clone());
            part.etag.clone().or(reported).ok_or_else(|| {
                Error::validation(format!("part {} has no ETag: give the one its upload answered", part.part_number))
            })
        };
        let parts = parts
            .iter()
            .map(|p| Ok(CompletedPart { part_number: p.part_number, etag: etag_of(p)?, ..Default::default() }))
            .collect::<Result<_>>()?;
        let done = self
            .client
            .complete_multipart_upload(CompleteMultipartUploadInput {
                bucket: bucket.clone(),
                key: key.clone(),
                upload_id,
                parts,
                ..Default::default()
            })
            .await?;
        // What S3 assembled, by the object's own size: a part sent again through its URL after
        // the listing, or a listing without sizes, cannot carry an object past the limit. In a
        // versioned bucket the version this completion made is the one measured (another upload
        // to the key may have landed since) and the one deleted (not hidden behind a marker).
        // The current object is asked first: naming a version needs s3:GetObjectVersion, which
        // a signing role may not have, so only a newer version in between makes it ask by version.
        // ("null" is what an unversioned bucket's object is called: no version to name.)
        let version_id = done.version_id.clone().filter(|id| id != "null");
        let head =
            |version_id| HeadObjectInput { bucket: bucket.clone(), key: key.clone(), version_id, ..Default::default() };
        let mut current = self.client.head_object(head(None)).await?;
        if version_id.is_some() && current.version_id != version_id {
            current = self.client.head_object(head(version_id.clone())).await?;
        }
        let stored = current.content_length.unwrap_or(u64::MAX);
        if stored > self.policy.max_size {
            self.client.delete_object(DeleteObjectInput { bucket, key, version_id }).await?;
            return Err(Error::validation(format!(
                "the completed object holds {stored} bytes, over the upload policy's {}: it was deleted",
                self.policy.max_size
            )));
        }
        Ok(done)
    }

    /// Aborts an upload (the browser gave up, or its user left).
    pub async fn abort(&self, key: &str, upload_id: &str) -> Result<()> {
        self.check_key(key)?;
        let input = UploadInput { bucket: self.policy.bucket.clone(), key: key.into(), upload_id: upload_id.into() };
        self.client.abort_multipart_upload(input).await
    }
}
