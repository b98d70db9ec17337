//! The server half of presigned multipart uploads, natively: the server starts an upload and
//! signs its part URLs within a policy, a key-less client (plain HTTP, as a browser would)
//! PUTs the parts, the server completes. s3s-fs checks every presigned signature; moto lists
//! the uploads left, to show an oversized one was aborted.
#![cfg(feature = "native")]

mod common;

use common::{Kind, Server};
use livery_s3::operations::catalog::*;
use livery_s3::presigned_upload::{PresignedUploads, UploadPolicy};
use livery_s3::ErrorKind;

const MIB: usize = 1 << 20;

fn policy(bucket: &str, max_size: u64) -> UploadPolicy {
    UploadPolicy {
        bucket: bucket.into(),
        key_prefix: "uploads/user-42/".into(),
        max_size,
        part_size: 5 * MIB as u64,
        expires_in: Some(600),
    }
}

/// PUTs `bytes` to a presigned URL with no credentials, as a browser would.
/// Returns the status and the ETag answered.
async fn put(url: &str, bytes: Vec<u8>) -> (u16, String) {
    let answer = reqwest::Client::new().put(url).body(bytes).send().await.unwrap();
    let etag = answer.headers().get("etag").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (answer.status().as_u16(), etag)
}

#[tokio::test]
async fn a_keyless_client_uploads_parts_to_presigned_urls_and_the_server_completes() {
    for kind in [Kind::S3sFs, Kind::Moto] {
        let server = Server::start(kind);
        let s3 = server.client();
        let bucket = common::bucket_name("presigned");
        s3.create_bucket(CreateBucketInput::new(bucket.clone())).await.unwrap();
        let uploads = PresignedUploads::new(s3.clone(), policy(&bucket, 20 * MIB as u64)).unwrap();
        let data: Vec<u8> = (0..12 * MIB).map(|i| (i % 249) as u8).collect();
        let key = "uploads/user-42/video.bin";
        let started = uploads.start(key, data.len() as u64, WriteHeaders::default()).await.unwrap();
        assert_eq!(started.part_urls.len(), 3, "{kind:?}");
        if matches!(kind, Kind::S3sFs) {
            // Each URL signs its part's length: a server that checks signatures refuses another.
            // (A short body: s3s-fs answers before reading, and a long one would meet a closed
            // connection instead of the answer.)
            assert_eq!(put(&started.part_urls[2], vec![1; 10]).await.0, 403);
        }
        let mut reported = Vec::new();
        for (n, (url, part)) in started.part_urls.iter().zip(data.chunks(started.part_size as usize)).enumerate() {
            let (status, etag) = put(url, part.to_vec()).await;
            assert_eq!(status, 200, "{kind:?}");
            reported.push(CompletedPart { part_number: n as u32 + 1, etag, ..Default::default() });
        }
        // A URL on demand is the same kind of URL.
        let again = uploads.part_url(key, &started.upload_id, 3, data.len() as u64).await.unwrap();
        assert!(again.contains("partNumber=3") && again.contains("X-Amz-SignedHeaders=content-length%3Bhost"));
        uploads.complete(key, &started.upload_id, &reported).await.unwrap();
        let got = s3.get_object(GetObjectInput::new(bucket.as_str(), key)).await.unwrap();
        assert_eq!(common::read_body(got.body).await, data, "{kind:?}");
    }
}

#[tokio::test]
async fn an_upload_over_the_policy_size_is_aborted_not_completed() {
    let moto = Server::start(Kind::Moto);
    let s3 = moto.client();
    let bucket = common::bucket_name("oversize");
    s3.create_bucket(CreateBucketInput::new(bucket.clone())).await.unwrap();
    let uploads = PresignedUploads::new(s3.clone(), policy(&bucket, 6 * MIB as u64)).unwrap();
    let key = "uploads/user-42/big.bin";
    // Declared 6 MiB (two parts), but each presigned PUT carries 5 MiB: 10 MiB in all (moto
    // checks no presigned signature, so the second URL's signed length does not stop it).
    let started = uploads.start(key, 6 * MIB as u64, WriteHeaders::default()).await.unwrap();
    for url in &started.part_urls {
        assert_eq!(put(url, vec![1; 5 * MIB]).await.0, 200);
    }
    let error = uploads.complete(key, &started.upload_id, &[]).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    assert!(error.to_string().contains("aborted"), "{error}");
    let listing = ListMultipartUploadsInput { bucket: bucket.clone(), ..Default::default() };
    assert!(s3.list_multipart_uploads(listing).await.unwrap().uploads.is_empty());
    assert!(s3.head_object(HeadObjectInput { bucket, key: key.into(), ..Default::default() }).await.is_err());
}

#[tokio::test]
async fn nothing_outside_the_policy_is_signed() {
    let uploads = PresignedUploads::new(common::offline_client(), policy("photos", 20 * MIB as u64)).unwrap();
    let refused = [
        uploads.start("uploads/user-7/x", 1, WriteHeaders::default()).await.unwrap_err(),
        uploads.start("../uploads/user-42/x", 1, WriteHeaders::default()).await.unwrap_err(),
        uploads.start("uploads/user-42/x", 21 * MIB as u64, WriteHeaders::default()).await.unwrap_err(),
        uploads.part_url("uploads/user-42/x", "id", 5, 20 * MIB as u64).await.unwrap_err(),
        uploads.part_url("uploads/user-42/x", "id", 2, 5 * MIB as u64).await.unwrap_err(),
        uploads.part_url("uploads/user-42/x", "id", 1, 21 * MIB as u64).await.unwrap_err(),
        uploads.part_url("uploads/user-42/x", "id", 0, 1).await.unwrap_err(),
        uploads.part_url("elsewhere/x", "id", 1, 1).await.unwrap_err(),
        uploads.complete("elsewhere/x", "id", &[]).await.unwrap_err(),
        uploads.abort("elsewhere/x", "id").await.unwrap_err(),
    ];
    for error in refused {
        assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    }
    let mut too_small = policy("photos", MIB as u64);
    too_small.part_size = MIB as u64;
    assert!(PresignedUploads::new(common::offline_client(), too_small).is_err());
}

#[test]
fn a_policy_that_would_allow_more_than_it_says_is_refused() {
    let s3 = common::offline_client();
    let folder = |prefix: &str| UploadPolicy { key_prefix: prefix.into(), ..policy("b", 1) };
    // `uploads/user-4` would take in `uploads/user-42/…` too.
    let error = PresignedUploads::new(s3.clone(), folder("uploads/user-4")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    assert!(PresignedUploads::new(s3.clone(), folder("")).is_ok(), "empty: any key, as documented");
    for seconds in [0, 604_801] {
        let expiring = UploadPolicy { expires_in: Some(seconds), ..policy("b", 1) };
        assert_eq!(PresignedUploads::new(s3.clone(), expiring).unwrap_err().kind(), ErrorKind::Validation);
    }
}
