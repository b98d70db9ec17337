//! The managed upload, natively: one PUT for a small body, a multipart upload otherwise, with
//! parts in parallel, memory bounded by about `part_size × (concurrency + 1)` whatever the
//! body, progress and a checkpoint after each part, resume from a checkpoint (parts S3 already
//! has are not sent again, nor parts replaced since), and the multipart upload aborted on every
//! failure.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html>
//!
//! Built from the declared operations (CreateMultipartUpload, UploadPart, ListParts,
//! CompleteMultipartUpload, AbortMultipartUpload), each through the one pipeline, so every
//! part is retried, re-signed and cancelled like any call. Not on wasm: the package's driver
//! runs one promise per call (`platform::js_await`), and its managed upload belongs in JS.

use crate::buffer::Bytes;
use crate::client::S3Client;
use crate::error::{Error, Result};
use crate::operations::catalog::*;
use crate::operations::{Shape, Value};
use futures_core::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

/// S3's smallest part (all but the last).
pub const MIN_PART_SIZE: u64 = 5 << 20;
/// The part size when none is given (grown so a known size fits in [`MAX_PARTS`]).
pub const DEFAULT_PART_SIZE: u64 = 8 << 20;
/// S3's largest part.
pub const MAX_PART_SIZE: u64 = 5 << 30;
/// S3's most parts per upload: with the default part size, a body of unknown size may be up
/// to 80,000 MiB (about 78 GiB); give a larger `part_size` for more.
pub const MAX_PARTS: u64 = 10_000;
/// Parts in flight when no `concurrency` is given.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// A stream of body chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

/// What to upload: bytes in memory (each part a slice of them, no copy), or a stream read
/// only as parts free up, with its size when known.
pub enum UploadBody {
    Bytes(Bytes),
    Stream { stream: ByteStream, size: Option<u64> },
}

impl UploadBody {
    pub fn stream(stream: impl Stream<Item = Result<Bytes>> + Send + 'static, size: Option<u64>) -> Self {
        UploadBody::Stream { stream: Box::pin(stream), size }
    }

    fn size(&self) -> Option<u64> {
        match self {
            UploadBody::Bytes(bytes) => Some(bytes.len() as u64),
            UploadBody::Stream { size, .. } => *size,
        }
    }
}

impl From<Bytes> for UploadBody {
    fn from(bytes: Bytes) -> Self {
        UploadBody::Bytes(bytes)
    }
}

impl From<Vec<u8>> for UploadBody {
    fn from(bytes: Vec<u8>) -> Self {
        UploadBody::Bytes(bytes.into())
    }
}

/// How far an upload is: bytes S3 has confirmed, of `total` when the size is known. Never goes
/// backwards (a part counts once its upload succeeded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub loaded: u64,
    pub total: Option<u64>,
}

/// Where a multipart upload stands, to resume it (after a crash, in another process).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub part_size: u64,
    /// The body's size, when known: a resume with a body of another size is refused.
    pub size: Option<u64>,
    /// The parts S3 confirmed, in part-number order.
    pub parts: Vec<CheckpointPart>,
    /// The checksum algorithm the upload was created with ([`UploadOptions::checksum`]).
    pub checksum: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointPart {
    pub part_number: u32,
    pub etag: String,
    pub size: u64,
    /// The part's checksum as its upload answered, with [`Checkpoint::checksum`].
    pub checksum: Option<String>,
}

/// Told how far an upload is.
pub type OnProgress = Box<dyn Fn(Progress) + Send + Sync>;
/// Given the checkpoint after each confirmed part.
pub type OnCheckpoint = Box<dyn Fn(&Checkpoint) + Send + Sync>;

/// Settings of [`S3Client::upload`]; all optional.
#[derive(Default)]
pub struct UploadOptions {
    /// Bytes per part (5 MiB to 5 GiB); 8 MiB by default, grown for a known size so it fits in
    /// 10,000 parts. A body no larger than one part goes as one PUT.
    pub part_size: Option<u64>,
    /// Parts in flight (1 to 64; 4 by default).
    pub concurrency: Option<usize>,
    /// Content type, cache control, metadata, storage class, ACL…: on the PUT, or on the
    /// multipart upload's creation.
    pub headers: WriteHeaders,
    /// `*`: write only if no object has the key, checked by the PUT or by the completion.
    pub if_none_match: Option<String>,
    /// An ETag: replace only that version, checked by the PUT or by the completion.
    pub if_match: Option<String>,
    /// `CRC32`, `CRC32C` or `SHA256`: each part (or the single PUT) carries its checksum for
    /// S3 to check, and the completion lists the parts'. A resumed upload keeps its checkpoint's.
    pub checksum: Option<String>,
    pub on_progress: Option<OnProgress>,
    /// Called once the multipart upload exists (with no parts, so even an upload interrupted
    /// before its first part can be resumed or aborted), then after each confirmed part.
    pub on_checkpoint: Option<OnCheckpoint>,
    /// Continue this multipart upload: the same bucket, key, part size and body.
    pub resume: Option<Checkpoint>,
}

/// What an upload made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadOutput {
    pub etag: Option<String>,
    pub version_id: Option<String>,
    /// For a multipart upload: its id and how many parts it had.
    pub upload_id: Option<String>,
    pub parts: Option<u32>,
}

type PartResult = (CheckpointPart, Result<()>);
type PartFuture<'a> = Pin<Box<dyn Future<Output = PartResult> + Send + 'a>>;

impl S3Client {
    /// Uploads `body` to `bucket`/`key` (see the module documentation). Dropping the future
    /// cancels the parts in flight and leaves the multipart upload for [`Checkpoint`] resume
    /// (or [`S3Client::abort_incomplete_uploads`]); every failure aborts it.
    pub async fn upload(
        &self,
        bucket: impl Into<String>,
        key: impl Into<String>,
        body: impl Into<UploadBody>,
        mut options: UploadOptions,
    ) -> Result<UploadOutput> {
        let (bucket, key) = (bucket.into(), key.into());
        let headers = std::mem::take(&mut options.headers);
        let body = body.into();
        let size = body.size();
        let concurrency = options.concurrency.unwrap_or(DEFAULT_CONCURRENCY);
        if !(1..=64).contains(&concurrency) {
            return Err(Error::validation("concurrency must be 1 to 64"));
        }
        let part_size = part_size_for(options.part_size, size, options.resume.as_ref())?;
        if let Some(resume) = &options.resume {
            if resume.bucket != bucket || resume.key != key || resume.upload_id.is_empty() || resume.size != size {
                return Err(Error::validation("the checkpoint is of another upload (bucket, key, size or upload id)"));
            }
            if options.checksum.is_some() {
                return Err(Error::validation("a resumed upload keeps its checkpoint's checksum: give none"));
            }
            // The object's headers were set when the upload started; here they would do nothing.
            let given = headers.clone().into_values().into_iter().any(|value| !matches!(value, Value::Absent));
            if given {
                return Err(Error::validation("a resumed upload takes no headers: they were set when it started"));
            }
        }
        let mut parts = PartReader { body, part_size, offset: 0, next: 1, ended: false, leftover: None };
        let progress = |loaded| {
            if let Some(report) = &options.on_progress {
                report(Progress { loaded, total: size });
            }
        };
        // One PUT when the body fits in one part (a stream is read up to a part to find out).
        let first = if options.resume.is_none() { parts.next_part().await? } else { None };
        if let Some(first) = first.as_ref().filter(|_| parts.ended) {
            let length = first.len() as u64;
            let mut put = PutObjectInput::new(bucket, key, first.clone());
            put.headers = headers;
            put.if_none_match = options.if_none_match;
            put.if_match = options.if_match;
            put.checksum = options.checksum;
            let output = self.put_object(put).await?;
            progress(length);
            return Ok(UploadOutput { etag: output.etag, version_id: output.version_id, ..Default::default() });
        }

        let (upload_id, checksum) = match &options.resume {
            Some(resume) => (resume.upload_id.clone(), resume.checksum.clone()),
            None => {
                let create = CreateMultipartUploadInput {
                    bucket: bucket.clone(),
                    key: key.clone(),
                    headers,
                    checksum: options.checksum.clone(),
                };
                (self.create_multipart_upload(create).await?.upload_id, options.checksum.clone())
            }
        };
        let mut checkpoint = Checkpoint { bucket, key, upload_id, part_size, size, parts: Vec::new(), checksum };
        if let (None, Some(report)) = (&options.resume, &options.on_checkpoint) {
            report(&checkpoint);
        }
        // From here on every failure aborts the upload, a resumed one's too.
        let confirmed = match &options.resume {
            Some(resume) => self.resumed_parts(resume).await,
            None => Ok(Vec::new()),
        };
        let sent = match confirmed {
            Ok(confirmed) => {
                self.send_parts(&mut parts, first, &confirmed, concurrency, &mut checkpoint, &options, &progress).await
            }
            Err(error) => Err(error),
        };
        let completed = match sent {
            Ok(()) => self.complete(&checkpoint, &options).await,
            Err(error) => Err(error),
        };
        match completed {
            Ok(output) => Ok(UploadOutput {
                etag: output.etag,
                version_id: output.version_id,
                parts: Some(checkpoint.parts.len() as u32),
                upload_id: Some(checkpoint.upload_id),
            }),
            Err(error) => {
                let abort = UploadInput {
                    bucket: checkpoint.bucket.clone(),
                    key: checkpoint.key.clone(),
                    upload_id: checkpoint.upload_id.clone(),
                };
                // The failure is the answer; a failed abort leaves the upload for
                // `abort_incomplete_uploads`.
                let _ = self.abort_multipart_upload(abort).await;
                Err(error)
            }
        }
    }

    /// Sends every part not confirmed already, at most `concurrency` at a time, reading the
    /// body only as parts free up.
    #[allow(clippy::too_many_arguments)]
    async fn send_parts(
        &self,
        parts: &mut PartReader,
        mut first: Option<Bytes>,
        confirmed: &[CheckpointPart],
        concurrency: usize,
        checkpoint: &mut Checkpoint,
        options: &UploadOptions,
        progress: &dyn Fn(u64),
    ) -> Result<()> {
        let mut in_flight: Vec<PartFuture<'_>> = Vec::new();
        let mut loaded = 0;
        let failure = 'sending: loop {
            while in_flight.len() < concurrency && !(parts.ended && first.is_none()) {
                let bytes = match first.take() {
                    Some(bytes) => bytes,
                    None => match parts.next_part().await {
                        Ok(Some(bytes)) => bytes,
                        Ok(None) => break,
                        Err(error) => break 'sending error,
                    },
                };
                // The number of the part just read.
                let number = parts.next - 1;
                if u64::from(number) > MAX_PARTS {
                    break 'sending Error::validation(format!(
                        "the body is larger than {MAX_PARTS} parts of {} bytes: give a larger part_size",
                        parts.part_size
                    ));
                }
                let size = bytes.len() as u64;
                if let Some(done) = confirmed.iter().find(|p| p.part_number == number && p.size == size) {
                    loaded += size;
                    checkpoint.parts.push(done.clone());
                    continue;
                }
                in_flight.push(Box::pin(self.send_part(checkpoint, number, bytes)));
            }
            if in_flight.is_empty() {
                checkpoint.parts.sort_by_key(|p| p.part_number);
                progress(loaded);
                return Ok(());
            }
            let (part, result) = next_done(&mut in_flight).await;
            if let Err(error) = result {
                break error;
            }
            loaded += part.size;
            checkpoint.parts.push(part);
            checkpoint.parts.sort_by_key(|p| p.part_number);
            progress(loaded);
            if let Some(report) = &options.on_checkpoint {
                report(checkpoint);
            }
        };
        // The parts still in flight settle first (their outcome no longer matters): the abort
        // that follows must not race a part S3 may still store.
        while !in_flight.is_empty() {
            let _ = next_done(&mut in_flight).await;
        }
        Err(failure)
    }

    fn send_part(
        &self,
        checkpoint: &Checkpoint,
        part_number: u32,
        bytes: Bytes,
    ) -> impl Future<Output = PartResult> + Send + '_ {
        let size = bytes.len() as u64;
        let sent = bytes.clone();
        let input = UploadPartInput {
            bucket: checkpoint.bucket.clone(),
            key: checkpoint.key.clone(),
            upload_id: checkpoint.upload_id.clone(),
            part_number,
            body: bytes.into(),
            content_length: None,
            content_md5: false,
            checksum: checkpoint.checksum.clone(),
        };
        let algorithm = checkpoint.checksum.clone();
        async move {
            let mut part = CheckpointPart { part_number, etag: String::new(), size, checksum: None };
            let result = match self.upload_part(input).await {
                Ok(mut output) => match output.etag {
                    Some(etag) => {
                        part.etag = etag;
                        part.checksum = checksum_field(
                            algorithm.as_deref(),
                            [&mut output.checksum_crc32, &mut output.checksum_crc32c, &mut output.checksum_sha256],
                        )
                        .and_then(Option::take)
                        // An answer without it (a proxy that drops the header): the one sent,
                        // which S3 checked the part against.
                        .or_else(|| Some(crate::checksum::Checksum::of(algorithm.as_deref()?, &sent)));
                        Ok(())
                    }
                    None => {
                        Err(Error::invalid_response(200, format!("part {part_number} was answered without an ETag")))
                    }
                },
                Err(error) => Err(error),
            };
            (part, result)
        }
    }

    /// Every part S3 has of an upload, in part-number order (every page of ListParts; some
    /// servers list them out of order).
    pub(crate) async fn all_parts(&self, bucket: &str, key: &str, upload_id: &str) -> Result<Vec<Part>> {
        let mut parts = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .list_parts(ListPartsInput {
                    bucket: bucket.into(),
                    key: key.into(),
                    upload_id: upload_id.into(),
                    max_parts: None,
                    part_number_marker: marker,
                })
                .await?;
            parts.extend(page.parts);
            match page.next_part_number_marker.filter(|_| page.is_truncated) {
                // Each page must move on, and part numbers end at 10,000 (a server that calls the
                // page ending there truncated is asked once more): a server answering the same
                // marker again, or one growing without end, would keep this loop listing forever.
                Some(next)
                    if marker.is_none_or(|marker| next > marker)
                        && u64::from(next) <= MAX_PARTS
                        && parts.len() <= MAX_PARTS as usize =>
                {
                    marker = Some(next)
                }
                Some(_) => {
                    return Err(Error::invalid_response(
                        200,
                        "ListParts kept answering more pages without moving past the parts it had listed",
                    ))
                }
                None => break,
            }
        }
        parts.sort_by_key(|p| p.part_number);
        Ok(parts)
    }

    /// The parts S3 holds of a resumed upload that need not be sent again, each with its ETag
    /// (the listing's, else the checkpoint's: s3s-fs lists none) and its checksum (the
    /// listing's, which only AWS gives, else the checkpoint's). A part listed with another ETag
    /// than the checkpoint's was replaced since (by another run of the upload), and one without
    /// the upload's checksum could not be named by the completion: both are sent again.
    async fn resumed_parts(&self, resume: &Checkpoint) -> Result<Vec<CheckpointPart>> {
        let algorithm = resume.checksum.as_deref();
        let parts = self.all_parts(&resume.bucket, &resume.key, &resume.upload_id).await?;
        let unquoted = |etag: &str| etag.trim_matches('"').to_owned();
        Ok(parts
            .into_iter()
            .filter_map(|mut p| {
                let saved = resume.parts.iter().find(|saved| saved.part_number == p.part_number);
                let listed =
                    checksum_field(algorithm, [&mut p.checksum_crc32, &mut p.checksum_crc32c, &mut p.checksum_sha256])
                        .and_then(Option::take);
                let etag = match (p.etag, saved) {
                    (Some(listed), Some(saved)) if unquoted(&listed) != unquoted(&saved.etag) => return None,
                    (Some(listed), _) => listed,
                    (None, saved) => saved?.etag.clone(),
                };
                let checksum = listed.or_else(|| saved?.checksum.clone());
                if algorithm.is_some() && checksum.is_none() {
                    return None;
                }
                Some(CheckpointPart { part_number: p.part_number, etag, size: p.size, checksum })
            })
            .collect())
    }

    async fn complete(
        &self,
        checkpoint: &Checkpoint,
        options: &UploadOptions,
    ) -> Result<CompleteMultipartUploadOutput> {
        let parts = checkpoint
            .parts
            .iter()
            .map(|p| {
                let mut part = CompletedPart { part_number: p.part_number, etag: p.etag.clone(), ..Default::default() };
                if let Some(field) = checksum_field(
                    checkpoint.checksum.as_deref(),
                    [&mut part.checksum_crc32, &mut part.checksum_crc32c, &mut part.checksum_sha256],
                ) {
                    *field = p.checksum.clone();
                }
                part
            })
            .collect();
        self.complete_multipart_upload(CompleteMultipartUploadInput {
            bucket: checkpoint.bucket.clone(),
            key: checkpoint.key.clone(),
            upload_id: checkpoint.upload_id.clone(),
            parts,
            if_none_match: options.if_none_match.clone(),
            if_match: options.if_match.clone(),
        })
        .await
    }

    /// Aborts the multipart uploads of `bucket` under `prefix` started more than `older_than`
    /// ago (by this client's clock): the parts of abandoned uploads are stored, and billed,
    /// until then. Returns the (key, upload id) of each one aborted.
    pub async fn abort_incomplete_uploads(
        &self,
        bucket: impl Into<String>,
        prefix: Option<String>,
        older_than: Duration,
    ) -> Result<Vec<(String, String)>> {
        let bucket = bucket.into();
        let cutoff = self.now().unix_millis().saturating_sub(i64::try_from(older_than.as_millis()).unwrap_or(i64::MAX));
        let mut stale = Vec::new();
        let (mut key_marker, mut upload_id_marker) = (None, None);
        // The markers each later page was asked with (the first was asked with none).
        let mut asked = std::collections::HashSet::new();
        loop {
            let page = self
                .list_multipart_uploads(ListMultipartUploadsInput {
                    bucket: bucket.clone(),
                    prefix: prefix.clone(),
                    key_marker: key_marker.take(),
                    upload_id_marker: upload_id_marker.take(),
                    ..Default::default()
                })
                .await?;
            stale.extend(
                page.uploads
                    .into_iter()
                    .filter(|u| u.initiated.is_some_and(|at| at.unix_millis() <= cutoff))
                    .map(|u| (u.key, u.upload_id)),
            );
            if !page.is_truncated || page.next_key_marker.is_none() {
                break;
            }
            // A server answering markers it was given before would keep this loop listing forever.
            if !asked.insert((page.next_key_marker.clone(), page.next_upload_id_marker.clone())) {
                return Err(Error::invalid_response(
                    200,
                    "ListMultipartUploads kept answering more pages without moving past the uploads it had listed",
                ));
            }
            (key_marker, upload_id_marker) = (page.next_key_marker, page.next_upload_id_marker);
        }
        for (key, upload_id) in &stale {
            let abort = UploadInput { bucket: bucket.clone(), key: key.clone(), upload_id: upload_id.clone() };
            self.abort_multipart_upload(abort).await?;
        }
        Ok(stale)
    }
}

/// The part size to use: given (and valid), or the default grown so a known size fits.
fn part_size_for(given: Option<u64>, size: Option<u64>, resume: Option<&Checkpoint>) -> Result<u64> {
    if let Some(resume) = resume {
        if given.is_some_and(|g| g != resume.part_size) {
            return Err(Error::validation("part_size differs from the checkpoint's"));
        }
        return check_part_size(resume.part_size);
    }
    match given {
        Some(part_size) => {
            let part_size = check_part_size(part_size)?;
            if size.is_some_and(|s| s.div_ceil(part_size) > MAX_PARTS) {
                return Err(Error::validation(format!(
                    "the body needs more than {MAX_PARTS} parts of {part_size} bytes"
                )));
            }
            Ok(part_size)
        }
        None => {
            let fitting = size.map_or(0, |s| s.div_ceil(MAX_PARTS).next_multiple_of(1 << 20));
            check_part_size(DEFAULT_PART_SIZE.max(fitting))
        }
    }
}

fn check_part_size(part_size: u64) -> Result<u64> {
    if !(MIN_PART_SIZE..=MAX_PART_SIZE).contains(&part_size) {
        return Err(Error::validation(format!("part_size is {part_size}; S3 takes parts of 5 MiB to 5 GiB")));
    }
    Ok(part_size)
}

/// The body, cut into parts in order.
struct PartReader {
    body: UploadBody,
    part_size: u64,
    offset: u64,
    /// The number of the part `next_part` gives next.
    next: u32,
    ended: bool,
    /// Bytes read from a stream but not yet in a part (the rest of a chunk that straddled
    /// two parts, or the chunk read ahead).
    leftover: Option<Bytes>,
}

impl PartReader {
    /// The next part (`None` at the end); `ended` is set once the body has no more bytes.
    async fn next_part(&mut self) -> Result<Option<Bytes>> {
        let limit = self.part_size as usize;
        let part = match &mut self.body {
            UploadBody::Bytes(bytes) => {
                let start = (self.offset as usize).min(bytes.len());
                let end = start.saturating_add(limit).min(bytes.len());
                self.ended = end == bytes.len();
                (start < end || self.next == 1).then(|| bytes.slice(start..end))
            }
            UploadBody::Stream { stream, size } => {
                // Sized for the part, not grown by doubling (which could hold twice as much).
                let rest = size.map_or(limit, |size| size.saturating_sub(self.offset).min(limit as u64) as usize);
                let mut buffer = Vec::with_capacity(rest);
                while buffer.len() < limit {
                    let chunk = match self.leftover.take() {
                        Some(chunk) => chunk,
                        None => match next_chunk(stream).await? {
                            Some(chunk) => chunk,
                            None => {
                                self.ended = true;
                                break;
                            }
                        },
                    };
                    let room = limit - buffer.len();
                    if chunk.len() > room {
                        buffer.extend_from_slice(&chunk[..room]);
                        self.leftover = Some(chunk.slice(room..));
                    } else {
                        buffer.extend_from_slice(&chunk);
                    }
                }
                // A full part of a body of unknown size: one chunk ahead tells whether the body
                // ends here (then a body of exactly one part still goes as one PUT).
                if !self.ended && self.leftover.is_none() && size.is_none() {
                    match next_chunk(stream).await? {
                        Some(chunk) => self.leftover = Some(chunk),
                        None => self.ended = true,
                    }
                }
                let read = self.offset + buffer.len() as u64;
                if let Some(size) = size.filter(|size| read > *size || (self.ended && read != *size)) {
                    return Err(Error::validation(format!(
                        "the body's stream gave {read} bytes, not the {size} it was said to have"
                    )));
                }
                if size.is_some_and(|size| read == size) {
                    self.ended = true;
                }
                (!buffer.is_empty() || self.next == 1).then(|| buffer.into())
            }
        };
        if let Some(part) = &part {
            self.offset += part.len() as u64;
            self.next += 1;
        }
        Ok(part)
    }
}

async fn next_chunk(stream: &mut ByteStream) -> Result<Option<Bytes>> {
    std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await.transpose()
}

/// Waits for the first of `in_flight` to finish and takes it out.
async fn next_done(in_flight: &mut Vec<PartFuture<'_>>) -> PartResult {
    std::future::poll_fn(|cx| {
        for at in 0..in_flight.len() {
            if let Poll::Ready(done) = in_flight[at].as_mut().poll(cx) {
                drop(in_flight.swap_remove(at));
                return Poll::Ready(done);
            }
        }
        Poll::Pending
    })
    .await
}

/// Of a part's three checksum fields (CRC32, CRC32C, SHA-256, in the order of
/// [`crate::checksum::NAMES`]), the one of `algorithm`.
fn checksum_field<'a>(algorithm: Option<&str>, fields: [&'a mut Option<String>; 3]) -> Option<&'a mut Option<String>> {
    let at = crate::checksum::NAMES.iter().position(|name| Some(*name) == algorithm)?;
    fields.into_iter().nth(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_sizes_grow_to_fit_ten_thousand_parts_and_are_checked() {
        assert_eq!(part_size_for(None, Some(1 << 30), None).unwrap(), DEFAULT_PART_SIZE);
        let huge = 200u64 << 30; // 200 GiB: 8 MiB parts would be 25,600
        let grown = part_size_for(None, Some(huge), None).unwrap();
        assert!(huge.div_ceil(grown) <= MAX_PARTS && grown % (1 << 20) == 0, "{grown}");
        assert!(part_size_for(Some(1 << 20), None, None).is_err(), "under 5 MiB");
        assert!(part_size_for(Some(5 << 20), Some(60_000 << 20), None).is_err(), "12,000 parts");
        let checkpoint = Checkpoint {
            bucket: "b".into(),
            key: "k".into(),
            upload_id: "u".into(),
            part_size: 6 << 20,
            size: None,
            parts: vec![],
            checksum: None,
        };
        assert_eq!(part_size_for(None, None, Some(&checkpoint)).unwrap(), 6 << 20);
        assert!(part_size_for(Some(8 << 20), None, Some(&checkpoint)).is_err());
    }
}
