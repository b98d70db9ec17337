//! The managed upload (natively) against real servers: one PUT for a small body, parallel parts
//! with progress and checkpoints, bounded reading of a stream of unknown size, every failure
//! aborting the multipart upload, resume from a checkpoint without sending confirmed parts
//! again, and cleaning stale uploads. moto lists parts and uploads; s3s-fs checks every
//! signature of a multipart upload; Garage dates the uploads it lists.
#![cfg(feature = "native")]

mod common;

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use common::{Kind, Server};
use futures_core::Stream;
use livery_s3::operations::catalog::*;
use livery_s3::upload::{Checkpoint, Progress, UploadBody, UploadOptions};
use livery_s3::{Bytes, ErrorKind, S3Client};

const MIB: usize = 1 << 20;

/// Deterministic bytes that differ part to part.
fn body(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8 ^ (i / MIB) as u8).collect()
}

/// A stream of `chunk`-byte chunks of `data` that counts what was pulled, and fails once
/// `fail_at` bytes were pulled.
struct Chunks {
    data: Bytes,
    at: usize,
    chunk: usize,
    pulled: Arc<AtomicU64>,
    fail_at: Option<usize>,
}

impl Stream for Chunks {
    type Item = livery_s3::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.fail_at.is_some_and(|at| self.at >= at) {
            return Poll::Ready(Some(Err(livery_s3::Error::Network("the source failed".into()))));
        }
        if self.at == self.data.len() {
            return Poll::Ready(None);
        }
        let end = (self.at + self.chunk).min(self.data.len());
        let chunk = self.data.slice(self.at..end);
        self.at = end;
        self.pulled.store(end as u64, Ordering::SeqCst);
        Poll::Ready(Some(Ok(chunk)))
    }
}

fn chunks(data: &[u8], size: Option<u64>, fail_at: Option<usize>) -> (UploadBody, Arc<AtomicU64>) {
    chunks_of(64 * 1024, data, size, fail_at)
}

fn chunks_of(chunk: usize, data: &[u8], size: Option<u64>, fail_at: Option<usize>) -> (UploadBody, Arc<AtomicU64>) {
    let pulled = Arc::new(AtomicU64::new(0));
    let stream = Chunks { data: Bytes::copy_from_slice(data), at: 0, chunk, pulled: pulled.clone(), fail_at };
    (UploadBody::stream(stream, size), pulled)
}

async fn new_bucket(server: &Server) -> (S3Client, String) {
    let s3 = server.client();
    let bucket = common::bucket_name("upload");
    s3.create_bucket(CreateBucketInput::new(bucket.clone())).await.unwrap();
    (s3, bucket)
}

async fn read_back(s3: &S3Client, bucket: &str, key: &str) -> Vec<u8> {
    common::read_body(s3.get_object(GetObjectInput::new(bucket, key)).await.unwrap().body).await
}

async fn open_uploads(s3: &S3Client, bucket: &str) -> usize {
    let listing = ListMultipartUploadsInput { bucket: bucket.into(), ..Default::default() };
    s3.list_multipart_uploads(listing).await.unwrap().uploads.len()
}

#[tokio::test]
async fn a_body_of_one_part_goes_as_one_put() {
    let moto = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&moto).await;
    let reports = Arc::new(Mutex::new(Vec::new()));
    let seen = reports.clone();
    let options =
        UploadOptions { on_progress: Some(Box::new(move |p| seen.lock().unwrap().push(p))), ..Default::default() };
    let output = s3.upload(&bucket, "small", body(1000), options).await.unwrap();
    assert_eq!((output.upload_id, output.parts), (None, None));
    assert!(output.etag.is_some());
    assert_eq!(read_back(&s3, &bucket, "small").await, body(1000));
    assert_eq!(*reports.lock().unwrap(), [Progress { loaded: 1000, total: Some(1000) }]);
}

#[tokio::test]
async fn a_large_body_goes_in_parallel_parts_with_progress_and_a_checkpoint_per_part_signed_for_s3s_fs() {
    for kind in [Kind::Moto, Kind::S3sFs] {
        let server = Server::start(kind);
        let (s3, bucket) = new_bucket(&server).await;
        let data = body(12 * MIB + 123);
        let progress = Arc::new(Mutex::new(Vec::new()));
        let checkpoints = Arc::new(Mutex::new(Vec::<Checkpoint>::new()));
        let (p, c) = (progress.clone(), checkpoints.clone());
        let mut options = UploadOptions {
            part_size: Some(5 * MIB as u64),
            concurrency: Some(2),
            on_progress: Some(Box::new(move |report| p.lock().unwrap().push(report.loaded))),
            on_checkpoint: Some(Box::new(move |cp| c.lock().unwrap().push(cp.clone()))),
            ..Default::default()
        };
        options.headers.content_type = Some("application/x-test".into());
        let output = s3.upload(&bucket, "large", data.clone(), options).await.unwrap();
        assert_eq!(output.parts, Some(3), "{kind:?}");
        assert_eq!(read_back(&s3, &bucket, "large").await, data, "{kind:?}");
        let head =
            s3.head_object(HeadObjectInput { bucket: bucket.clone(), key: "large".into(), ..Default::default() });
        assert_eq!(head.await.unwrap().content_type.as_deref(), Some("application/x-test"));
        let loaded = progress.lock().unwrap().clone();
        assert!(loaded.windows(2).all(|w| w[0] <= w[1]), "{loaded:?}");
        assert_eq!(loaded.last(), Some(&(data.len() as u64)));
        let checkpoints = checkpoints.lock().unwrap().clone();
        // The first as soon as the upload exists: one interrupted before any part lands can
        // still be resumed or aborted.
        assert_eq!(checkpoints.iter().map(|c| c.parts.len()).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!(checkpoints[3].parts.iter().map(|p| p.size).sum::<u64>(), data.len() as u64);
        if kind == Kind::Moto {
            assert_eq!(open_uploads(&s3, &bucket).await, 0);
        }
    }
}

#[tokio::test]
async fn a_stream_of_unknown_size_is_read_only_as_parts_free_up() {
    let moto = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&moto).await;
    let data = body(23 * MIB);
    let (stream, pulled) = chunks(&data, None, None);
    let most_ahead = Arc::new(AtomicU64::new(0));
    let ahead = most_ahead.clone();
    let watched = pulled.clone();
    let options = UploadOptions {
        part_size: Some(5 * MIB as u64),
        concurrency: Some(2),
        on_progress: Some(Box::new(move |p| {
            ahead.fetch_max(watched.load(Ordering::SeqCst) - p.loaded, Ordering::SeqCst);
        })),
        ..Default::default()
    };
    let output = s3.upload(&bucket, "streamed", stream, options).await.unwrap();
    assert_eq!(output.parts, Some(5));
    assert_eq!(read_back(&s3, &bucket, "streamed").await, data);
    // At most the parts in flight plus the one being read: (2 + 1) × 5 MiB.
    let ahead = most_ahead.load(Ordering::SeqCst);
    assert!(ahead <= 15 * MIB as u64, "read {ahead} bytes ahead of what S3 confirmed");
}

#[tokio::test]
async fn chunks_that_straddle_parts_are_split_and_a_stream_of_exactly_one_part_goes_as_one_put() {
    let moto = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&moto).await;
    // 100,000-byte chunks do not divide 5 MiB: every part boundary cuts a chunk in two.
    let data = body(11 * MIB + 7);
    let (stream, _) = chunks_of(100_000, &data, None, None);
    let options = UploadOptions { part_size: Some(5 * MIB as u64), ..Default::default() };
    assert_eq!(s3.upload(&bucket, "straddled", stream, options).await.unwrap().parts, Some(3));
    assert_eq!(read_back(&s3, &bucket, "straddled").await, data);

    let exact = body(5 * MIB);
    let (stream, _) = chunks_of(MIB, &exact, None, None);
    let options = UploadOptions { part_size: Some(5 * MIB as u64), ..Default::default() };
    let output = s3.upload(&bucket, "exact", stream, options).await.unwrap();
    assert_eq!(output.upload_id, None, "one PUT");
    assert_eq!(read_back(&s3, &bucket, "exact").await, exact);
}

#[tokio::test]
async fn every_failure_aborts_the_multipart_upload() {
    let moto = Server::start(Kind::Moto);
    let (owner, bucket) = new_bucket(&moto).await;
    for what in ["part", "complete"] {
        let s3 = S3Client::builder()
            .region("us-east-1")
            .endpoint(&moto.endpoint)
            .credentials(livery_s3::Credentials::new(moto.access_key, moto.secret_key))
            .retry(livery_s3::RetryPolicy { base_delay: Duration::from_millis(1), ..Default::default() })
            // Every UploadPart of part 2, or every CompleteMultipartUpload, fails.
            .transport(common::Inspecting::new(move |request| {
                let fails = match what {
                    "part" => request.url.contains("partNumber=2&"),
                    _ => request.method == livery_s3::http::Method::Post && request.url.contains("uploadId="),
                };
                fails.then(|| livery_s3::Error::Network(format!("{what} refused by the test")))
            }))
            .build()
            .unwrap();
        let options = UploadOptions { part_size: Some(5 * MIB as u64), ..Default::default() };
        let error = s3.upload(&bucket, what, body(11 * MIB), options).await.unwrap_err();
        assert!(error.to_string().contains("refused by the test"), "{what}: {error}");
        assert_eq!(open_uploads(&owner, &bucket).await, 0, "{what}: the upload was aborted");
    }
}

#[tokio::test]
async fn a_failing_body_aborts_the_multipart_upload() {
    let moto = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&moto).await;
    let data = body(17 * MIB);
    let (stream, _) = chunks(&data, None, Some(12 * MIB));
    let options = UploadOptions { part_size: Some(5 * MIB as u64), ..Default::default() };
    let error = s3.upload(&bucket, "broken", stream, options).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert_eq!(open_uploads(&s3, &bucket).await, 0, "the upload was aborted");

    // A stream shorter than the size it was given is refused, and aborted too.
    let (short, _) = chunks(&data, Some(18 * MIB as u64), None);
    let options = UploadOptions { part_size: Some(5 * MIB as u64), ..Default::default() };
    let error = s3.upload(&bucket, "short", short, options).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    assert_eq!(open_uploads(&s3, &bucket).await, 0);
}

/// Uploads `data` in 5 MiB parts, one at a time, until two are confirmed; then the process
/// "dies" (the upload future is dropped). Returns the last checkpoint.
async fn interrupted_after_two_parts(
    s3: &S3Client,
    bucket: &str,
    key: &str,
    data: &[u8],
    options: UploadOptions,
) -> Checkpoint {
    let latest = Arc::new(Mutex::new(None::<Checkpoint>));
    let stop = Arc::new(tokio::sync::Notify::new());
    let (kept, stopper) = (latest.clone(), stop.clone());
    let options = UploadOptions {
        part_size: Some(5 * MIB as u64),
        concurrency: Some(1),
        on_checkpoint: Some(Box::new(move |cp| {
            *kept.lock().unwrap() = Some(cp.clone());
            if cp.parts.len() == 2 {
                stopper.notify_one();
            }
        })),
        ..options
    };
    tokio::select! {
        _ = s3.upload(bucket, key, data.to_vec(), options) => panic!("the upload finished before the interruption"),
        _ = stop.notified() => {}
    }
    let checkpoint = latest.lock().unwrap().clone();
    checkpoint.expect("a checkpoint")
}

#[tokio::test]
async fn an_interrupted_upload_resumes_from_its_checkpoint_without_resending_confirmed_parts() {
    let moto = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&moto).await;
    let data = body(21 * MIB);
    let checkpoint = interrupted_after_two_parts(&s3, &bucket, "resumed", &data, UploadOptions::default()).await;
    assert_eq!(checkpoint.parts.len(), 2);

    let sent = Arc::new(AtomicUsize::new(0));
    let counted = sent.clone();
    let options = UploadOptions {
        resume: Some(checkpoint.clone()),
        on_checkpoint: Some(Box::new(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
        })),
        ..Default::default()
    };
    let output = s3.upload(&bucket, "resumed", data.clone(), options).await.unwrap();
    assert_eq!(output.upload_id.as_deref(), Some(checkpoint.upload_id.as_str()));
    assert_eq!(output.parts, Some(5));
    assert!(sent.load(Ordering::SeqCst) <= 3, "confirmed parts were sent again");
    assert_eq!(read_back(&s3, &bucket, "resumed").await, data);

    // A checkpoint of another key is refused before any request.
    let options = UploadOptions { resume: Some(checkpoint), ..Default::default() };
    let error = s3.upload(&bucket, "other-key", data, options).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
}

/// On Garage: moto answers every upload's `Initiated` with one date of 2010.
#[tokio::test]
async fn stale_uploads_are_aborted_by_age_and_prefix() {
    let garage = Server::start(Kind::Garage);
    let (s3, bucket) = new_bucket(&garage).await;
    for key in ["tmp/a", "tmp/b", "keep/c"] {
        let create = CreateMultipartUploadInput { bucket: bucket.clone(), key: key.into(), ..Default::default() };
        s3.create_multipart_upload(create).await.unwrap();
    }
    let none = s3.abort_incomplete_uploads(&bucket, Some("tmp/".into()), Duration::from_secs(3600)).await.unwrap();
    assert!(none.is_empty(), "nothing is an hour old: {none:?}");
    let aborted = s3.abort_incomplete_uploads(&bucket, Some("tmp/".into()), Duration::ZERO).await.unwrap();
    let mut keys: Vec<_> = aborted.into_iter().map(|(key, _)| key).collect();
    keys.sort();
    assert_eq!(keys, ["tmp/a", "tmp/b"]);
    assert_eq!(open_uploads(&s3, &bucket).await, 1);
}

#[tokio::test]
async fn bad_settings_are_refused_before_any_request() {
    let s3 = common::offline_client();
    for options in [
        UploadOptions { part_size: Some(MIB as u64), ..Default::default() },
        UploadOptions { concurrency: Some(0), ..Default::default() },
    ] {
        let error = s3.upload("bucket", "key", body(10), options).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    }
}

/// Garage checks every part's checksum, and the completion's list of them.
#[tokio::test]
async fn a_checksummed_upload_sends_each_parts_checksum_and_keeps_it_across_a_resume() {
    let garage = Server::start(Kind::Garage);
    let (s3, bucket) = new_bucket(&garage).await;
    let data = body(16 * MIB);
    let options = UploadOptions { checksum: Some("CRC32C".into()), ..Default::default() };
    let checkpoint = interrupted_after_two_parts(&s3, &bucket, "summed", &data, options).await;
    assert_eq!(checkpoint.checksum.as_deref(), Some("CRC32C"));
    assert!(checkpoint.parts.iter().all(|p| p.checksum.as_deref().is_some_and(|c| c.len() == 8)), "{checkpoint:?}");

    // A checksum given again on resume is refused: the upload's is the checkpoint's.
    let again =
        UploadOptions { resume: Some(checkpoint.clone()), checksum: Some("SHA256".into()), ..Default::default() };
    assert_eq!(s3.upload(&bucket, "summed", data.clone(), again).await.unwrap_err().kind(), ErrorKind::Validation);
    // Resumed from the checkpoint before the last: S3 holds part 2, which this one lacks, so
    // its checksum comes from the listing or the part is sent again; either way the
    // completion names every part's checksum.
    let mut older = checkpoint;
    older.parts.truncate(1);
    let options = UploadOptions { resume: Some(older), ..Default::default() };
    assert_eq!(s3.upload(&bucket, "summed", data.clone(), options).await.unwrap().parts, Some(4));
    assert_eq!(read_back(&s3, &bucket, "summed").await, data);
}

/// moto lists each part's ETag, so a part replaced since the checkpoint shows.
#[tokio::test]
async fn a_resume_sends_again_a_part_replaced_since_its_checkpoint_and_refuses_another_body_or_headers() {
    let moto = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&moto).await;
    let data = body(16 * MIB);
    let checkpoint = interrupted_after_two_parts(&s3, &bucket, "replaced", &data, UploadOptions::default()).await;
    assert_eq!(checkpoint.size, Some(data.len() as u64));

    // Another run of the same upload sends another part 1 of the same size.
    let other: Vec<u8> = data[..5 * MIB].iter().map(|b| !b).collect();
    let part = UploadPartInput {
        bucket: bucket.clone(),
        key: "replaced".into(),
        upload_id: checkpoint.upload_id.clone(),
        part_number: 1,
        body: other.into(),
        ..Default::default()
    };
    s3.upload_part(part).await.unwrap();

    // Another body (by its size) or headers given again are refused before any request.
    let resume = |checkpoint: &Checkpoint| UploadOptions { resume: Some(checkpoint.clone()), ..Default::default() };
    let longer = s3.upload(&bucket, "replaced", body(17 * MIB), resume(&checkpoint)).await.unwrap_err();
    assert_eq!(longer.kind(), ErrorKind::Validation, "{longer}");
    let mut headers = resume(&checkpoint);
    headers.headers.content_type = Some("text/plain".into());
    let refused = s3.upload(&bucket, "replaced", data.clone(), headers).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Validation, "{refused}");

    let output = s3.upload(&bucket, "replaced", data.clone(), resume(&checkpoint)).await.unwrap();
    assert_eq!(output.parts, Some(4));
    assert!(read_back(&s3, &bucket, "replaced").await == data, "the other run's part 1 is in the object");
}
