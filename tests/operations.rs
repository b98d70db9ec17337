//! Every operation of the seed through the Rust API, against real servers: s3s-fs (verifies
//! every signature) for what it implements, moto for versioning, conditional GET/HEAD and
//! upload listings, and s3s-fs again for the NotImplemented path.
#![cfg(feature = "native")]

mod common;

use common::{read_body, Kind, Server};
use livery_s3::http::Method;
use livery_s3::operations::catalog::*;
use livery_s3::time::Timestamp;
use livery_s3::{Credentials, ErrorKind, PresignInput, S3Client};

async fn new_bucket(server: &Server) -> (S3Client, String) {
    let s3 = server.client();
    let name = common::bucket_name("ops");
    s3.create_bucket(CreateBucketInput::new(&name)).await.unwrap();
    (s3, name)
}

async fn put(s3: &S3Client, bucket: &str, key: &str, body: &'static str) -> PutObjectOutput {
    s3.put_object(PutObjectInput::new(bucket, key, body)).await.unwrap()
}

async fn get_text(s3: &S3Client, input: GetObjectInput) -> String {
    String::from_utf8(read_body(s3.get_object(input).await.unwrap().body).await).unwrap()
}

fn code(err: livery_s3::Error) -> String {
    err.code().unwrap_or("(none)").to_owned()
}

#[tokio::test]
async fn system_headers_and_metadata_round_trip() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    let mut input = PutObjectInput::new(&bucket, "doc.html", "<p>hi</p>");
    input.headers = WriteHeaders {
        content_type: Some("text/html; charset=utf-8".into()),
        cache_control: Some("max-age=60".into()),
        content_disposition: Some("attachment; filename=\"doc.html\"".into()),
        content_encoding: Some("identity".into()),
        content_language: Some("en-GB".into()),
        expires: Some(Timestamp::from_unix_seconds(2_000_000_000)),
        metadata: [("Plain", "ascii value"), ("accent", "café ☕ 日本"), ("spaces", "  inner  ")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
        ..Default::default()
    };
    input.content_md5 = true;
    s3.put_object(input).await.unwrap();

    let info = s3
        .head_object(HeadObjectInput { bucket: bucket.clone(), key: "doc.html".into(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(info.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(info.cache_control.as_deref(), Some("max-age=60"));
    assert_eq!(info.content_disposition.as_deref(), Some("attachment; filename=\"doc.html\""));
    assert_eq!(info.content_encoding.as_deref(), Some("identity"));
    assert_eq!(info.content_language.as_deref(), Some("en-GB"));
    assert_eq!(info.expires, Some(Timestamp::from_unix_seconds(2_000_000_000)));
    assert_eq!(info.metadata.get("plain").map(String::as_str), Some("ascii value"));
    assert_eq!(info.metadata.get("accent").map(String::as_str), Some("café ☕ 日本"));
    assert_eq!(info.content_length, Some(9));
}

#[tokio::test]
async fn ranges() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    put(&s3, &bucket, "r", "0123456789").await;
    for (range, want, content_range) in [
        (ByteRange::From { start: 2, end: Some(4) }, "234", "bytes 2-4/10"),
        (ByteRange::From { start: 7, end: None }, "789", "bytes 7-9/10"),
        (ByteRange::Suffix { suffix: 2 }, "89", "bytes 8-9/10"),
        (ByteRange::Raw("bytes=0-0".into()), "0", "bytes 0-0/10"),
    ] {
        let mut input = GetObjectInput::new(&bucket, "r");
        input.range = Some(range.clone());
        let object = s3.get_object(input).await.unwrap();
        assert_eq!(object.status, 206, "{range:?}");
        assert_eq!(object.info.content_range.as_deref(), Some(content_range));
        assert_eq!(read_body(object.body).await, want.as_bytes());
    }
    let mut past_end = GetObjectInput::new(&bucket, "r");
    past_end.range = Some(ByteRange::From { start: 50, end: None });
    assert_eq!(code(s3.get_object(past_end).await.unwrap_err()), "InvalidRange");
    for bad in
        [ByteRange::From { start: 5, end: Some(4) }, ByteRange::Suffix { suffix: 0 }, ByteRange::Raw("5-6".into())]
    {
        let mut input = GetObjectInput::new(&bucket, "r");
        input.range = Some(bad);
        assert_eq!(s3.get_object(input).await.unwrap_err().kind(), ErrorKind::Validation);
    }
}

#[tokio::test]
async fn conditional_reads_need_a_server_that_honours_them() {
    let server = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&server).await;
    let etag = put(&s3, &bucket, "c", "v1").await.etag.unwrap();
    let get = |f: fn(&mut ReadConditions, &str)| {
        let mut input = GetObjectInput::new(&bucket, "c");
        f(&mut input.conditions, &etag);
        s3.get_object(input)
    };
    assert_eq!(code(get(|c, e| c.if_none_match = Some(e.into())).await.unwrap_err()), "NotModified");
    let not_modified = get(|c, e| c.if_none_match = Some(e.into())).await.unwrap_err();
    assert_eq!((not_modified.status(), not_modified.kind()), (Some(304), ErrorKind::Service));
    assert_eq!(code(get(|c, _| c.if_match = Some("\"other\"".into())).await.unwrap_err()), "PreconditionFailed");
    // A matching If-Match reads the object itself.
    let matched = get(|c, e| c.if_match = Some(e.into())).await.unwrap();
    assert_eq!((matched.status, matched.info.etag.as_deref()), (200, Some(etag.as_str())));
    assert_eq!(read_body(matched.body).await, b"v1");
    let future = Timestamp::from_unix_seconds(4_000_000_000);
    let head = HeadObjectInput {
        bucket: bucket.clone(),
        key: "c".into(),
        conditions: ReadConditions { if_modified_since: Some(future), ..Default::default() },
        ..Default::default()
    };
    assert_eq!(code(s3.head_object(head).await.unwrap_err()), "NotModified");
    let head = HeadObjectInput {
        bucket: bucket.clone(),
        key: "c".into(),
        conditions: ReadConditions { if_unmodified_since: Some(Timestamp::from_unix_seconds(0)), ..Default::default() },
        ..Default::default()
    };
    assert_eq!(code(s3.head_object(head).await.unwrap_err()), "PreconditionFailed");
}

#[tokio::test]
async fn conditional_writes_and_content_md5() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    let mut create_only = PutObjectInput::new(&bucket, "once", "first");
    create_only.if_none_match = Some("*".into());
    let first = s3.put_object(create_only.clone()).await.unwrap();
    assert_eq!(code(s3.put_object(create_only).await.unwrap_err()), "PreconditionFailed");
    let mut replace = PutObjectInput::new(&bucket, "once", "second");
    replace.if_match = Some("\"0123456789abcdef0123456789abcdef\"".into());
    assert_eq!(code(s3.put_object(replace.clone()).await.unwrap_err()), "PreconditionFailed");
    replace.if_match = first.etag;
    s3.put_object(replace).await.unwrap();
    assert_eq!(get_text(&s3, GetObjectInput::new(&bucket, "once")).await, "second");
}

#[tokio::test]
async fn a_content_length_that_is_not_the_body_size_is_refused_before_sending_and_the_right_one_is_sent() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    let mut put = PutObjectInput::new(&bucket, "sized", "hello");
    put.content_length = Some(6);
    let err = s3.put_object(put.clone()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert!(err.to_string().contains("contentLength 6 is not the body's size, 5 bytes"), "{err}");
    let head = HeadObjectInput { bucket: bucket.clone(), key: "sized".into(), ..Default::default() };
    assert!(s3.head_object(head).await.is_err(), "the refused body was stored");
    put.content_length = Some(5);
    s3.put_object(put).await.unwrap();
    assert_eq!(get_text(&s3, GetObjectInput::new(&bucket, "sized")).await, "hello");
}

/// A body's chunks, as a stream that counts how many were taken.
struct Chunks(std::vec::IntoIter<bytes::Bytes>, std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Stream for Chunks {
    type Item = livery_s3::Result<bytes::Bytes>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let next = self.0.next();
        self.1.fetch_add(usize::from(next.is_some()), std::sync::atomic::Ordering::SeqCst);
        std::task::Poll::Ready(next.map(Ok))
    }
}

#[tokio::test]
async fn a_stream_body_is_sent_as_it_comes_with_its_content_length_and_refused_without_one() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    let chunks: Vec<bytes::Bytes> = (0..40u8).map(|i| vec![i; 100_000].into()).collect();
    let whole: Vec<u8> = chunks.concat();
    let taken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let body = || livery_s3::Body::stream(Chunks(chunks.clone().into_iter(), taken.clone()));

    let mut put = PutObjectInput::new(&bucket, "streamed", body());
    put.content_length = Some(whole.len() as u64);
    s3.put_object(put).await.unwrap();
    assert_eq!(taken.load(std::sync::atomic::Ordering::SeqCst), 40);
    let object = s3.get_object(GetObjectInput::new(&bucket, "streamed")).await.unwrap();
    assert_eq!(read_body(object.body).await, whole);

    taken.store(0, std::sync::atomic::Ordering::SeqCst);
    let err = s3.put_object(PutObjectInput::new(&bucket, "unsized", body())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert!(err.to_string().contains("needs contentLength"), "{err}");
    assert_eq!(taken.load(std::sync::atomic::Ordering::SeqCst), 0, "the refused stream was read");
}

/// s3s-fs and Garage check every chunk's signature (../shared/S3-SERVERS.md): a wrong one is
/// refused, so a stored object proves the chain right, and its bytes prove the framing.
#[tokio::test]
async fn stream_bodies_in_signed_chunks_are_stored_by_s3s_fs_and_garage_and_checksum_trailers_by_s3s_fs() {
    for kind in [Kind::S3sFs, Kind::Garage] {
        let server = Server::start(kind);
        let sent = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = sent.clone();
        let s3 = S3Client::builder()
            .region("us-east-1")
            .endpoint(&server.endpoint)
            .credentials(Credentials::new(server.access_key, server.secret_key))
            .sign_stream_chunks(true)
            .transport(common::Inspecting::new(move |request| {
                let header = |name: &str| request.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
                if request.method == Method::Put {
                    record
                        .lock()
                        .unwrap()
                        .push(["x-amz-content-sha256", "content-encoding", "x-amz-decoded-content-length"].map(header));
                }
                None
            }))
            .build()
            .unwrap();
        let bucket = common::bucket_name("chunks");
        s3.create_bucket(CreateBucketInput::new(&bucket)).await.unwrap();
        // 4 MB in pieces of 100,000 bytes: 61 full chunks of 64 KiB and the rest.
        let chunks: Vec<bytes::Bytes> = (0..40u8).map(|i| vec![i; 100_000].into()).collect();
        let whole: Vec<u8> = chunks.concat();
        let taken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut put =
            PutObjectInput::new(&bucket, "chunked", livery_s3::Body::stream(Chunks(chunks.into_iter(), taken.clone())));
        put.content_length = Some(whole.len() as u64);
        s3.put_object(put).await.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let object = s3.get_object(GetObjectInput::new(&bucket, "chunked")).await.unwrap();
        assert_eq!(object.info.content_length, Some(whole.len() as u64), "{kind:?}");
        assert!(read_body(object.body).await == whole, "{kind:?}: the stored bytes differ");
        let headers = sent.lock().unwrap().last().cloned().unwrap();
        assert_eq!(
            headers.map(Option::unwrap_or_default),
            ["STREAMING-AWS4-HMAC-SHA256-PAYLOAD".to_owned(), "aws-chunked".into(), whole.len().to_string()],
            "{kind:?}: not sent as signed chunks"
        );

        // A checksum of a stream goes in a signed trailer, which s3s-fs checks too. (Garage 2.5
        // signs trailers otherwise than AWS's rule, and refuses them: README, Known limits.)
        if kind == Kind::S3sFs {
            let hello = vec![bytes::Bytes::from_static(b"hello")];
            let mut put = PutObjectInput::new(
                &bucket,
                "summed",
                livery_s3::Body::stream(Chunks(hello.into_iter(), taken.clone())),
            );
            put.content_length = Some(5);
            put.checksum = Some("CRC32".into());
            // CRC-32 of "hello" is 0x3610a686.
            let summed = s3.put_object(put).await.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            assert_eq!(summed.checksum_crc32.as_deref(), Some("NhCmhg=="));
            let sent = sent.lock().unwrap().last().unwrap()[0].clone();
            assert_eq!(sent.as_deref(), Some("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"));
            assert_eq!(get_text(&s3, GetObjectInput::new(&bucket, "summed")).await, "hello");
        }

        // The object's own Content-Encoding follows aws-chunked in the request.
        let gzipped = vec![bytes::Bytes::from_static(b"\x1f\x8b not really gzip")];
        let size = gzipped[0].len() as u64;
        let mut put = PutObjectInput::new(
            &bucket,
            "gzipped",
            livery_s3::Body::stream(Chunks(gzipped.into_iter(), taken.clone())),
        );
        put.content_length = Some(size);
        put.headers.content_encoding = Some("gzip".into());
        s3.put_object(put).await.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(sent.lock().unwrap().last().unwrap()[1].as_deref(), Some("aws-chunked,gzip"));
        let head =
            s3.head_object(HeadObjectInput { bucket: bucket.clone(), key: "gzipped".into(), ..Default::default() });
        let head = head.await.unwrap();
        // As AWS does, Garage stores the object's own encoding; s3s-fs 0.14 keeps aws-chunked in
        // it (README, Known limits).
        let stored = if kind == Kind::Garage { "gzip" } else { "aws-chunked,gzip" };
        assert_eq!(head.content_encoding.as_deref(), Some(stored), "{kind:?}");

        // A stream shorter than its contentLength fails the call, and nothing is stored.
        let short = vec![bytes::Bytes::from(vec![1u8; 1000])];
        let mut put = PutObjectInput::new(&bucket, "short", livery_s3::Body::stream(Chunks(short.into_iter(), taken)));
        put.content_length = Some(5000);
        let err = s3.put_object(put).await.unwrap_err();
        assert!(err.to_string().contains("gave 1000 bytes, not the contentLength of 5000"), "{kind:?}: {err}");
        assert_eq!(err.kind(), ErrorKind::Validation, "{kind:?}: the caller's mistake, not the network's");
        let missing =
            s3.head_object(HeadObjectInput { bucket: bucket.clone(), key: "short".into(), ..Default::default() });
        let missing = missing.await.unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::Service, "{kind:?}: {missing}");
    }
}

#[tokio::test]
async fn opt_in_checksums_are_sent_stored_and_checked_on_the_way_back_and_a_bad_name_is_refused() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    let mut put = PutObjectInput::new(&bucket, "summed", "hello");
    put.checksum = Some("CRC32".into());
    // CRC-32 of "hello" is 0x3610a686.
    assert_eq!(s3.put_object(put.clone()).await.unwrap().checksum_crc32.as_deref(), Some("NhCmhg=="));
    put.checksum = Some("SHA256".into());
    s3.put_object(put.clone()).await.unwrap();
    put.checksum = Some("MD5".into());
    assert_eq!(s3.put_object(put).await.unwrap_err().kind(), ErrorKind::Validation);
    assert_eq!(get_text(&s3, GetObjectInput::new(&bucket, "summed")).await, "hello");
    // Read back with checksum_mode: the stored checksum comes back and the body matches it.
    let mut get = GetObjectInput::new(&bucket, "crc");
    s3.put_object({
        let mut put = PutObjectInput::new(&bucket, "crc", "hello");
        put.checksum = Some("CRC32".into());
        put
    })
    .await
    .unwrap();
    get.checksum_mode = Some("ENABLED".into());
    let object = s3.get_object(get).await.unwrap();
    assert_eq!(object.info.checksum_crc32.as_deref(), Some("NhCmhg=="));
    assert_eq!(read_body(object.body).await, b"hello");
}

#[tokio::test]
async fn copy_object_with_directives_conditions_and_awkward_keys() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    let source_key = "src dir/ü+=?#%.txt";
    let mut input = PutObjectInput::new(&bucket, source_key, "copy me");
    input.headers.content_type = Some("text/x-source".into());
    input.headers.metadata.insert("origin".into(), "source".into());
    let source = s3.put_object(input).await.unwrap();
    let copy = |key: &str, directive: Option<&str>| CopyObjectInput {
        bucket: bucket.clone(),
        key: key.into(),
        source: CopySource { source_bucket: bucket.clone(), source_key: source_key.into(), ..Default::default() },
        metadata_directive: directive.map(str::to_owned),
        ..Default::default()
    };
    let kept = s3.copy_object(copy("dest/kept", None)).await.unwrap();
    assert_eq!(kept.etag, source.etag);
    let info = s3
        .head_object(HeadObjectInput { bucket: bucket.clone(), key: "dest/kept".into(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(info.metadata.get("origin").map(String::as_str), Some("source"));
    assert_eq!(info.content_type.as_deref(), Some("text/x-source"));

    let mut replaced = copy("dest/replaced", Some("REPLACE"));
    replaced.headers.content_type = Some("text/x-new".into());
    replaced.headers.metadata.insert("origin".into(), "replaced".into());
    s3.copy_object(replaced).await.unwrap();
    let info = s3
        .head_object(HeadObjectInput { bucket: bucket.clone(), key: "dest/replaced".into(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(info.metadata.get("origin").map(String::as_str), Some("replaced"));
    assert_eq!(info.content_type.as_deref(), Some("text/x-new"));
    assert_eq!(get_text(&s3, GetObjectInput::new(&bucket, "dest/replaced")).await, "copy me");

    let mut guarded = copy("dest/guarded", None);
    guarded.source.copy_source_if_match = Some("\"00000000000000000000000000000000\"".into());
    assert_eq!(code(s3.copy_object(guarded).await.unwrap_err()), "PreconditionFailed");
    let mut metadata_without_replace = copy("dest/x", Some("COPY"));
    metadata_without_replace.headers.metadata.insert("a".into(), "b".into());
    assert_eq!(s3.copy_object(metadata_without_replace).await.unwrap_err().kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn buckets() {
    let server = Server::start(Kind::Moto);
    let s3 = server.client();
    let name = common::bucket_name("bkt");
    s3.create_bucket(CreateBucketInput::new(&name)).await.unwrap();
    assert!(s3.list_buckets().await.unwrap().buckets.iter().any(|b| b.name == name && b.creation_date.is_some()));
    assert_eq!(
        s3.head_bucket(HeadBucketInput { bucket: name.clone() }).await.unwrap().region.as_deref(),
        Some("us-east-1")
    );
    let location = s3.get_bucket_location(GetBucketLocationInput { bucket: name.clone() }).await.unwrap();
    assert_eq!(location.region, "us-east-1");

    // Outside us-east-1 the client's region becomes the LocationConstraint.
    let west = S3Client::builder()
        .region("eu-west-1")
        .endpoint(&server.endpoint)
        .credentials(Credentials::new(common::ACCESS_KEY, common::SECRET_KEY))
        .build()
        .unwrap();
    let west_name = common::bucket_name("west");
    west.create_bucket(CreateBucketInput::new(&west_name)).await.unwrap();
    let location = west.get_bucket_location(GetBucketLocationInput { bucket: west_name.clone() }).await.unwrap();
    assert_eq!(location.region, "eu-west-1");
    assert_eq!(
        code(west.create_bucket(CreateBucketInput::new(&west_name)).await.unwrap_err()),
        "BucketAlreadyOwnedByYou"
    );

    put(&s3, &name, "k", "v").await;
    assert_eq!(code(s3.delete_bucket(DeleteBucketInput { bucket: name.clone() }).await.unwrap_err()), "BucketNotEmpty");
    s3.delete_object(DeleteObjectInput { bucket: name.clone(), key: "k".into(), version_id: None }).await.unwrap();
    s3.delete_bucket(DeleteBucketInput { bucket: name.clone() }).await.unwrap();
    let gone = s3.head_bucket(HeadBucketInput { bucket: name.clone() }).await.unwrap_err();
    assert_eq!((gone.status(), code(gone)), (Some(404), "NotFound".to_owned()));
    assert_eq!(
        code(s3.get_bucket_location(GetBucketLocationInput { bucket: name }).await.unwrap_err()),
        "NoSuchBucket"
    );
}

#[tokio::test]
async fn listing_with_prefixes_delimiters_and_pages() {
    let server = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&server).await;
    let keys = ["a/1", "a/2", "a/sub/3", "b/4", "b/5", "c 6", "c+7", "d%8"];
    for key in keys {
        put(&s3, &bucket, key, "x").await;
    }
    let mut first = ListObjectsInput::new(&bucket);
    first.delimiter = Some("/".into());
    let page = s3.list_objects(first).await.unwrap();
    let prefixes: Vec<_> = page.common_prefixes.iter().map(|p| p.prefix.as_str()).collect();
    assert_eq!(prefixes, ["a/", "b/"]);
    let top: Vec<_> = page.contents.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(top, ["c 6", "c+7", "d%8"]);

    let mut under_a = ListObjectsInput::new(&bucket);
    under_a.prefix = Some("a/".into());
    let keys_a: Vec<_> = s3.list_objects(under_a).await.unwrap().contents.into_iter().map(|o| o.key).collect();
    assert_eq!(keys_a, ["a/1", "a/2", "a/sub/3"]);

    // Pages of 3, by hand and through the stream.
    let mut paged = ListObjectsInput::new(&bucket);
    paged.max_keys = Some(3);
    let mut seen = Vec::new();
    loop {
        let page = s3.list_objects(paged.clone()).await.unwrap();
        assert!(page.contents.len() <= 3);
        seen.extend(page.contents.into_iter().map(|o| o.key));
        if !page.is_truncated {
            break;
        }
        paged.continuation_token = page.next_continuation_token;
    }
    assert_eq!(seen, keys);
    let mut all = Vec::new();
    let mut stream = s3.list_objects_all(ListObjectsInput { max_keys: Some(2), ..ListObjectsInput::new(&bucket) });
    while let Some(object) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx)).await {
        all.push(object.unwrap().key);
    }
    assert_eq!(all, keys);

    let mut after = ListObjectsInput::new(&bucket);
    after.start_after = Some("b/5".into());
    let rest: Vec<_> = s3.list_objects(after).await.unwrap().contents.into_iter().map(|o| o.key).collect();
    assert_eq!(rest, ["c 6", "c+7", "d%8"]);

    let mut too_many = ListObjectsInput::new(&bucket);
    too_many.max_keys = Some(1001);
    assert_eq!(s3.list_objects(too_many).await.unwrap_err().kind(), ErrorKind::Validation);
}

use futures_core::Stream;

#[tokio::test]
async fn versioning() {
    let server = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&server).await;
    let get_status = || s3.get_bucket_versioning(GetBucketVersioningInput { bucket: bucket.clone() });
    assert_eq!(get_status().await.unwrap().status, None);
    s3.put_bucket_versioning(PutBucketVersioningInput { bucket: bucket.clone(), status: "Enabled".into() })
        .await
        .unwrap();
    assert_eq!(get_status().await.unwrap().status.as_deref(), Some("Enabled"));

    let v1 = put(&s3, &bucket, "doc", "one").await.version_id.unwrap();
    let v2 = put(&s3, &bucket, "doc", "two").await.version_id.unwrap();
    assert_ne!(v1, v2);
    let mut old = GetObjectInput::new(&bucket, "doc");
    old.version_id = Some(v1.clone());
    assert_eq!(get_text(&s3, old).await, "one");
    let head = HeadObjectInput {
        bucket: bucket.clone(),
        key: "doc".into(),
        version_id: Some(v1.clone()),
        ..Default::default()
    };
    assert_eq!(s3.head_object(head).await.unwrap().version_id.as_deref(), Some(v1.as_str()));

    let deleted = s3
        .delete_object(DeleteObjectInput { bucket: bucket.clone(), key: "doc".into(), version_id: None })
        .await
        .unwrap();
    assert!(deleted.delete_marker);
    assert_eq!(code(s3.get_object(GetObjectInput::new(&bucket, "doc")).await.unwrap_err()), "NoSuchKey");

    let listing = s3
        .list_object_versions(ListObjectVersionsInput { bucket: bucket.clone(), ..Default::default() })
        .await
        .unwrap();
    let versions: Vec<_> = listing.versions.iter().map(|v| v.version_id.clone().unwrap()).collect();
    assert_eq!(versions, [v2.clone(), v1.clone()]);
    assert_eq!(listing.delete_markers.len(), 1);
    assert!(listing.delete_markers[0].is_latest);

    // Pages of one entry, following both markers.
    let mut input = ListObjectVersionsInput { bucket: bucket.clone(), max_keys: Some(1), ..Default::default() };
    let mut entries = 0;
    loop {
        let page = s3.list_object_versions(input.clone()).await.unwrap();
        entries += page.versions.len() + page.delete_markers.len();
        if !page.is_truncated {
            break;
        }
        input.key_marker = page.next_key_marker;
        input.version_id_marker = page.next_version_id_marker;
    }
    assert_eq!(entries, 3);

    // Copy an old version; presign an old version.
    let copy = CopyObjectInput {
        bucket: bucket.clone(),
        key: "restored".into(),
        source: CopySource {
            source_bucket: bucket.clone(),
            source_key: "doc".into(),
            source_version_id: Some(v1.clone()),
            ..Default::default()
        },
        ..Default::default()
    };
    let copied = s3.copy_object(copy).await.unwrap();
    assert_eq!(copied.copy_source_version_id.as_deref(), Some(v1.as_str()));
    assert_eq!(get_text(&s3, GetObjectInput::new(&bucket, "restored")).await, "one");
    let mut presign = PresignInput::new(Method::Get, &bucket, "doc");
    presign.version_id = Some(v1.clone());
    let url = s3.presign(presign).await.unwrap();
    assert!(url.contains(&format!("versionId={v1}")));
    // The current version is a delete marker; the presigned URL still reads version 1.
    assert_eq!(common::fetch(&url).await, (200, b"one".to_vec()));

    let delete_v1 = DeleteObjectInput { bucket: bucket.clone(), key: "doc".into(), version_id: Some(v1.clone()) };
    assert_eq!(s3.delete_object(delete_v1).await.unwrap().version_id.as_deref(), Some(v1.as_str()));
}

#[tokio::test]
async fn versioning_on_a_server_without_it_is_not_implemented() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    let errors = [
        s3.get_bucket_versioning(GetBucketVersioningInput { bucket: bucket.clone() }).await.unwrap_err(),
        s3.put_bucket_versioning(PutBucketVersioningInput { bucket: bucket.clone(), status: "Enabled".into() })
            .await
            .unwrap_err(),
        s3.list_object_versions(ListObjectVersionsInput { bucket: bucket.clone(), ..Default::default() })
            .await
            .unwrap_err(),
    ];
    for err in errors {
        assert_eq!((err.kind(), err.status(), code(err)), (ErrorKind::Service, Some(501), "NotImplemented".to_owned()));
    }
    let bad_status = PutBucketVersioningInput { bucket, status: "On".into() };
    assert_eq!(s3.put_bucket_versioning(bad_status).await.unwrap_err().kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn multipart_upload_with_a_copied_part() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    const MIB: usize = 1 << 20;
    let part1: Vec<u8> = (0..5 * MIB).map(|i| (i % 253) as u8).collect();
    let source: Vec<u8> = (0..MIB).map(|i| (i % 241) as u8).collect();
    s3.put_object(PutObjectInput::new(&bucket, "source", source.clone())).await.unwrap();

    let mut create =
        CreateMultipartUploadInput { bucket: bucket.clone(), key: "big file".into(), ..Default::default() };
    create.headers.content_type = Some("application/x-big".into());
    create.headers.metadata.insert("kind".into(), "multipart".into());
    let upload = s3.create_multipart_upload(create).await.unwrap();
    let id = upload.upload_id.clone();
    let uploaded = s3
        .upload_part(UploadPartInput {
            bucket: bucket.clone(),
            key: "big file".into(),
            upload_id: id.clone(),
            part_number: 1,
            body: part1.clone().into(),
            content_md5: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let copied = s3
        .upload_part_copy(UploadPartCopyInput {
            bucket: bucket.clone(),
            key: "big file".into(),
            upload_id: id.clone(),
            part_number: 2,
            source: CopySource { source_bucket: bucket.clone(), source_key: "source".into(), ..Default::default() },
            source_range: Some(ByteRange::From { start: 10, end: Some(1009) }),
        })
        .await
        .unwrap();
    let parts = s3
        .list_parts(ListPartsInput {
            bucket: bucket.clone(),
            key: "big file".into(),
            upload_id: id.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut sizes: Vec<_> = parts.parts.iter().map(|p| (p.part_number, p.size)).collect();
    sizes.sort(); // s3s-fs lists parts in directory order, not ascending as S3 does
    assert_eq!(sizes, [(1, 5 * MIB as u64), (2, 1000)]);

    let complete = CompleteMultipartUploadInput {
        bucket: bucket.clone(),
        key: "big file".into(),
        upload_id: id.clone(),
        parts: vec![
            CompletedPart { part_number: 1, etag: uploaded.etag.unwrap(), ..Default::default() },
            CompletedPart { part_number: 2, etag: copied.etag.unwrap(), ..Default::default() },
        ],
        ..Default::default()
    };
    let done = s3.complete_multipart_upload(complete).await.unwrap();
    assert!(done.etag.unwrap().ends_with("-2\""));
    let object = s3.get_object(GetObjectInput::new(&bucket, "big file")).await.unwrap();
    assert_eq!(object.info.metadata.get("kind").map(String::as_str), Some("multipart"));
    let mut want = part1;
    want.extend_from_slice(&source[10..1010]);
    assert_eq!(read_body(object.body).await, want);

    for part_number in [0, 10_001] {
        let bad = UploadPartInput {
            bucket: bucket.clone(),
            key: "k".into(),
            upload_id: id.clone(),
            part_number,
            ..Default::default()
        };
        assert_eq!(s3.upload_part(bad).await.unwrap_err().kind(), ErrorKind::Validation);
    }
    let unordered = CompleteMultipartUploadInput {
        bucket: bucket.clone(),
        key: "k".into(),
        upload_id: id,
        parts: vec![
            CompletedPart { part_number: 2, etag: "a".into(), ..Default::default() },
            CompletedPart { part_number: 1, etag: "b".into(), ..Default::default() },
        ],
        ..Default::default()
    };
    assert_eq!(s3.complete_multipart_upload(unordered).await.unwrap_err().kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn completing_with_a_wrong_etag_is_an_error_not_a_success() {
    let server = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&server).await;
    let upload = s3
        .create_multipart_upload(CreateMultipartUploadInput {
            bucket: bucket.clone(),
            key: "k".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let part = UploadPartInput {
        bucket: bucket.clone(),
        key: "k".into(),
        upload_id: upload.upload_id.clone(),
        part_number: 1,
        body: "tiny".into(),
        content_md5: false,
        ..Default::default()
    };
    s3.upload_part(part).await.unwrap();
    let complete = CompleteMultipartUploadInput {
        bucket: bucket.clone(),
        key: "k".into(),
        upload_id: upload.upload_id.clone(),
        parts: vec![CompletedPart {
            part_number: 1,
            etag: "\"ffffffffffffffffffffffffffffffff\"".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    assert_eq!(code(s3.complete_multipart_upload(complete).await.unwrap_err()), "InvalidPart");
}

/// moto lists uploads but ignores max-uploads and delimiter; pagination is tested on Garage.
#[tokio::test]
async fn listing_and_aborting_uploads() {
    let server = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&server).await;
    let mut ids = Vec::new();
    for key in ["u/a", "u/b+c", "v/d e"] {
        let input = CreateMultipartUploadInput { bucket: bucket.clone(), key: key.into(), ..Default::default() };
        ids.push((key.to_string(), s3.create_multipart_upload(input).await.unwrap().upload_id));
    }
    let listed = s3.list_multipart_uploads(ListMultipartUploadsInput { bucket: bucket.clone(), ..Default::default() });
    let seen: Vec<_> = listed.await.unwrap().uploads.into_iter().map(|u| (u.key, u.upload_id)).collect();
    assert_eq!(seen, ids);
    for (key, id) in &ids {
        let abort = AbortMultipartUploadInput { bucket: bucket.clone(), key: key.clone(), upload_id: id.clone() };
        s3.abort_multipart_upload(abort).await.unwrap();
    }
    let after = s3.list_multipart_uploads(ListMultipartUploadsInput { bucket, ..Default::default() }).await.unwrap();
    assert!(after.uploads.is_empty());
}

/// Garage pages upload listings as S3 does, following both markers.
#[tokio::test]
async fn paging_through_uploads_follows_both_markers() {
    let server = Server::start(Kind::Garage);
    let (s3, bucket) = new_bucket(&server).await;
    let mut ids = Vec::new();
    // Two uploads of one key test the upload-id marker; the rest the key marker.
    for key in ["u/a", "u/a", "u/b c", "u/d+e", "v/f"] {
        let input = CreateMultipartUploadInput { bucket: bucket.clone(), key: key.into(), ..Default::default() };
        ids.push((key.to_string(), s3.create_multipart_upload(input).await.unwrap().upload_id));
    }
    let mut input = ListMultipartUploadsInput { bucket: bucket.clone(), max_uploads: Some(2), ..Default::default() };
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = s3.list_multipart_uploads(input.clone()).await.unwrap();
        pages += 1;
        assert!(page.uploads.len() <= 2);
        seen.extend(page.uploads.into_iter().map(|u| (u.key, u.upload_id)));
        if !page.is_truncated {
            break;
        }
        input.key_marker = page.next_key_marker;
        input.upload_id_marker = page.next_upload_id_marker;
    }
    assert_eq!(pages, 3);
    let mut want = ids.clone();
    want.sort();
    seen.sort();
    assert_eq!(seen, want);
    let grouped =
        ListMultipartUploadsInput { bucket: bucket.clone(), delimiter: Some("/".into()), ..Default::default() };
    let grouped = s3.list_multipart_uploads(grouped).await.unwrap();
    assert_eq!(grouped.common_prefixes.iter().map(|p| p.prefix.as_str()).collect::<Vec<_>>(), ["u/", "v/"]);
}

#[tokio::test]
async fn delete_objects_reports_each_key() {
    let server = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&server).await;
    for key in ["d/1", "d/2", "d 3+"] {
        put(&s3, &bucket, key, "x").await;
    }
    let objects = ["d/1", "d/2", "d 3+"].map(|key| ObjectIdentifier { key: key.into(), version_id: None }).to_vec();
    let result = s3
        .delete_objects(DeleteObjectsInput { bucket: bucket.clone(), objects: objects.clone(), quiet: false })
        .await
        .unwrap();
    let mut deleted: Vec<_> = result.deleted.iter().map(|d| d.key.as_str()).collect();
    deleted.sort();
    assert_eq!(deleted, ["d 3+", "d/1", "d/2"]);
    assert!(result.errors.is_empty());
    assert!(s3.list_objects(ListObjectsInput::new(&bucket)).await.unwrap().contents.is_empty());

    let too_many: Vec<_> = (0..1001).map(|i| ObjectIdentifier { key: format!("k{i}"), version_id: None }).collect();
    let err = s3
        .delete_objects(DeleteObjectsInput { bucket: bucket.clone(), objects: too_many, quiet: true })
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn response_overrides_storage_class_and_acl() {
    let server = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&server).await;
    let mut input = PutObjectInput::new(&bucket, "report.csv", "a,b\n1,2\n");
    input.headers.content_type = Some("text/csv".into());
    input.headers.storage_class = Some("STANDARD_IA".into());
    input.headers.acl = Some("public-read".into());
    s3.put_object(input).await.unwrap();
    let head = HeadObjectInput { bucket: bucket.clone(), key: "report.csv".into(), ..Default::default() };
    assert_eq!(s3.head_object(head).await.unwrap().storage_class.as_deref(), Some("STANDARD_IA"));

    let overrides = ResponseOverrides {
        response_content_type: Some("application/octet-stream".into()),
        response_content_disposition: Some("attachment; filename=\"r.csv\"".into()),
        response_cache_control: Some("no-store".into()),
        response_content_language: Some("fr".into()),
        response_content_encoding: Some("identity".into()),
        response_expires: Some("Thu, 01 Dec 2044 16:00:00 GMT".into()),
    };
    let mut get = GetObjectInput::new(&bucket, "report.csv");
    get.overrides = overrides.clone();
    let info = s3.get_object(get).await.unwrap().info;
    assert_eq!(info.content_type.as_deref(), Some("application/octet-stream"));
    assert_eq!(info.content_disposition.as_deref(), Some("attachment; filename=\"r.csv\""));
    assert_eq!(info.cache_control.as_deref(), Some("no-store"));
    assert_eq!(info.content_language.as_deref(), Some("fr"));
    assert_eq!(info.expires, Timestamp::parse_http_date("Thu, 01 Dec 2044 16:00:00 GMT"));

    // The same overrides through a presigned URL.
    let mut presign = PresignInput::new(Method::Get, &bucket, "report.csv");
    presign.overrides = overrides;
    let url = s3.presign(presign).await.unwrap();
    let response = common::fetch_response(&url).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.headers.get("content-type"), Some("application/octet-stream"));
    assert_eq!(response.headers.get("content-disposition"), Some("attachment; filename=\"r.csv\""));
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let s3 = common::offline_client();
    let mut big_metadata = PutObjectInput::new("bucket", "k", "x");
    big_metadata.headers.metadata.insert("big".into(), "v".repeat(2048));
    let mut crlf = PutObjectInput::new("bucket", "k", "x");
    crlf.headers.content_type = Some("text/plain\r\nx-amz-acl: public-read".into());
    let mut bad_meta_name = PutObjectInput::new("bucket", "k", "x");
    bad_meta_name.headers.metadata.insert("bad name".into(), "v".into());
    let mut non_ascii_header = PutObjectInput::new("bucket", "k", "x");
    non_ascii_header.headers.cache_control = Some("max-âge=1".into());
    for input in [big_metadata, crlf, bad_meta_name, non_ascii_header] {
        let err = s3.put_object(input.clone()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{input:?}: {err}");
    }
    let key_too_long = PutObjectInput::new("bucket", "k".repeat(1025), "x");
    assert_eq!(s3.put_object(key_too_long).await.unwrap_err().kind(), ErrorKind::Validation);
    let part = GetObjectInput { part_number: Some(10_001), ..GetObjectInput::new("bucket", "k") };
    assert_eq!(s3.get_object(part).await.unwrap_err().kind(), ErrorKind::Validation);
    let pages = ListObjectsInput { max_keys: Some(0), ..ListObjectsInput::new("bucket") };
    assert_eq!(s3.list_objects(pages).await.unwrap_err().kind(), ErrorKind::Validation);
    let empty_delete = DeleteObjectsInput { bucket: "bucket".into(), objects: vec![], quiet: false };
    assert_eq!(s3.delete_objects(empty_delete).await.unwrap_err().kind(), ErrorKind::Validation);
    let mut presign = PresignInput::new(Method::Get, "bucket", "k");
    presign.expires_in = Some(0);
    assert_eq!(s3.presign(presign).await.unwrap_err().kind(), ErrorKind::Validation);
    // The same input is valid once fixed: only the network fails.
    let fine = s3.put_object(PutObjectInput::new("bucket", "k", "x")).await.unwrap_err();
    assert_eq!(fine.kind(), ErrorKind::Network);
}

#[tokio::test]
async fn error_mapping() {
    let server = Server::start(Kind::S3sFs);
    let (s3, bucket) = new_bucket(&server).await;
    let missing = s3.get_object(GetObjectInput::new(&bucket, "nope")).await.unwrap_err();
    assert_eq!((missing.kind(), missing.status(), code(missing)), (ErrorKind::Service, Some(404), "NoSuchKey".into()));
    let no_bucket =
        s3.get_bucket_location(GetBucketLocationInput { bucket: "no-such-bucket-here".into() }).await.unwrap_err();
    assert_eq!(code(no_bucket), "NoSuchBucket");
    let wrong = server.client_with(Credentials::new(common::ACCESS_KEY, "wrong-secret"));
    assert_eq!(
        code(wrong.get_object(GetObjectInput::new(&bucket, "nope")).await.unwrap_err()),
        "SignatureDoesNotMatch"
    );
    let unknown_key = server.client_with(Credentials::new("AKIAUNKNOWN", common::SECRET_KEY));
    let denied = unknown_key.list_buckets().await.unwrap_err();
    assert_eq!(denied.status(), Some(403));

    // moto names a request id in every answer: each mapped error carries code, status and id.
    let moto = Server::start(Kind::Moto);
    let (s3, bucket) = new_bucket(&moto).await;
    let etag = put(&s3, &bucket, "k", "v").await.etag.unwrap();
    let west = S3Client::builder()
        .region("eu-west-1")
        .endpoint(&moto.endpoint)
        .credentials(Credentials::new(common::ACCESS_KEY, common::SECRET_KEY))
        .build()
        .unwrap();
    let west_bucket = common::bucket_name("west");
    west.create_bucket(CreateBucketInput::new(&west_bucket)).await.unwrap();
    let if_none_match = GetObjectInput {
        conditions: ReadConditions { if_none_match: Some(etag), ..Default::default() },
        ..GetObjectInput::new(&bucket, "k")
    };
    let if_match = GetObjectInput {
        conditions: ReadConditions { if_match: Some("\"0\"".into()), ..Default::default() },
        ..GetObjectInput::new(&bucket, "k")
    };
    let cases = [
        (s3.get_object(GetObjectInput::new(&bucket, "nope")).await.unwrap_err(), "NoSuchKey", 404),
        (s3.list_objects(ListObjectsInput::new("no-such-bucket-here")).await.unwrap_err(), "NoSuchBucket", 404),
        (west.create_bucket(CreateBucketInput::new(&west_bucket)).await.unwrap_err(), "BucketAlreadyOwnedByYou", 409),
        (s3.get_object(if_none_match).await.unwrap_err(), "NotModified", 304),
        (s3.get_object(if_match).await.unwrap_err(), "PreconditionFailed", 412),
    ];
    for (err, want_code, want_status) in cases {
        let service = err.service().unwrap_or_else(|| panic!("{err}"));
        assert_eq!((service.code.as_str(), service.status), (want_code, want_status));
        assert!(service.request_id.as_deref().is_some_and(|id| !id.is_empty()), "{service:?}");
        assert_eq!(err.kind(), ErrorKind::Service);
    }
}
