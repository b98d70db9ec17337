//! The first slice end to end through the Rust API and the native transport, against s3s-fs,
//! which verifies every SigV4 signature.
#![cfg(feature = "native")]

mod common;

use common::{read_body, Kind, Server};
use livery_s3::http::{HttpRequest, Method};
use livery_s3::operations::catalog::*;
use livery_s3::transport::{native::NativeTransport, Transport};
use livery_s3::{Addressing, Body, Credentials, ErrorKind, PresignInput, S3Client};

#[tokio::test]
async fn put_get_and_presign_round_trip() {
    let server = Server::start(Kind::S3sFs);
    let s3 = server.client();
    let bucket = common::bucket_name("slice");
    s3.create_bucket(CreateBucketInput::new(&bucket)).await.unwrap();

    let key = "dir/a b+c=d%e?f#g/ünï©ødé.txt";
    let payload: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut put = PutObjectInput::new(&bucket, key, payload.clone());
    put.headers.content_type = Some("application/octet-stream".into());
    put.headers.metadata.insert("Colour".into(), "blue".into());
    let written = s3.put_object(put).await.unwrap();
    assert!(written.etag.is_some());

    let object = s3.get_object(GetObjectInput::new(&bucket, key)).await.unwrap();
    assert_eq!(object.status, 200);
    assert_eq!(object.info.content_length, Some(payload.len() as u64));
    assert_eq!(object.info.etag, written.etag);
    assert_eq!(object.info.metadata.get("colour").map(String::as_str), Some("blue"));
    assert!(object.info.last_modified.is_some());
    assert_eq!(read_body(object.body).await, payload);

    let url = s3.presign(PresignInput::new(Method::Get, &bucket, key)).await.unwrap();
    let (status, body) = common::fetch(&url).await;
    assert_eq!(status, 200);
    assert_eq!(body, payload);

    // One changed character of the signature: the server must refuse it.
    let tampered = format!("{}{}", &url[..url.len() - 1], if url.ends_with('0') { '1' } else { '0' });
    assert_eq!(common::fetch(&tampered).await.0, 403);
}

#[tokio::test]
async fn the_server_really_checks_signatures() {
    let server = Server::start(Kind::S3sFs);
    let wrong = server.client_with(Credentials::new(common::ACCESS_KEY, "not-the-secret"));
    let err = wrong.list_buckets().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
    assert_eq!(err.status(), Some(403));
    // The secret never shows in the error.
    assert!(!format!("{err} {err:?}").contains("not-the-secret"));
}

/// The browser direct-upload flow: the server signs a PUT for one key and content type; the
/// URL's user must send exactly that content type.
#[tokio::test]
async fn presigned_put_with_a_signed_content_type() {
    let server = Server::start(Kind::S3sFs);
    let s3 = server.client();
    let bucket = common::bucket_name("upload");
    s3.create_bucket(CreateBucketInput::new(&bucket)).await.unwrap();
    let mut presign = PresignInput::new(Method::Put, &bucket, "uploads/photo 1.png");
    presign.headers.insert("Content-Type".into(), "image/png".into());
    presign.expires_in = Some(300);
    let url = s3.presign(presign).await.unwrap();
    assert!(url.contains("X-Amz-SignedHeaders=content-type%3Bhost"), "{url}");

    let put = |content_type: &'static str| {
        let request = HttpRequest {
            method: Method::Put,
            url: url.clone(),
            headers: vec![("content-type".into(), content_type.into())],
            body: Body::from("PNG bytes"),
        };
        async move { NativeTransport::new().unwrap().send(request, &Default::default(), None).await.unwrap().status }
    };
    assert_eq!(put("text/plain").await, 403, "another content type must not match the signature");
    assert_eq!(put("image/png").await, 200);
    let object = s3.get_object(GetObjectInput::new(&bucket, "uploads/photo 1.png")).await.unwrap();
    assert_eq!(object.info.content_type.as_deref(), Some("image/png"));
    assert_eq!(read_body(object.body).await, b"PNG bytes");
}

/// A copy source among a presigned PUT's headers would let the URL's user copy any object the
/// signer can read into the key: refused, in any case, for the copy headers too.
#[tokio::test]
async fn a_presigned_put_refuses_copy_source_headers() {
    let s3 = common::offline_client();
    for name in ["x-amz-copy-source", "X-Amz-Copy-Source", "x-amz-copy-source-range"] {
        let mut presign = PresignInput::new(Method::Put, "bucket", "k");
        presign.headers.insert(name.into(), "other/secret".into());
        let error = s3.presign(presign).await.unwrap_err();
        assert!(error.to_string().contains("would make the URL a copy"), "{name}: {error}");
    }
    let mut presign = PresignInput::new(Method::Put, "bucket", "k");
    presign.headers.insert("x-amz-copy".into(), "not a copy header".into());
    assert!(s3.presign(presign).await.is_ok());
}

#[tokio::test]
async fn a_presigned_url_lives_1_s_to_7_days() {
    let s3 = common::offline_client();
    let lasting = |seconds| {
        let mut presign = PresignInput::new(Method::Get, "bucket", "k");
        presign.expires_in = Some(seconds);
        s3.presign(presign)
    };
    for seconds in [0, 604_801] {
        let error = lasting(seconds).await.unwrap_err();
        assert_eq!(error.to_string(), "invalid input: expiresIn must be 1 s to 7 days (604800 s)");
    }
    for seconds in [1, 604_800] {
        assert!(lasting(seconds).await.unwrap().contains(&format!("X-Amz-Expires={seconds}&")));
    }
}

#[tokio::test]
async fn virtual_hosted_addressing() {
    let server = Server::start(Kind::S3sFs);
    let bucket = common::bucket_name("virtual");
    let port: u16 = server.endpoint.rsplit(':').next().unwrap().parse().unwrap();
    let http = reqwest::Client::builder()
        .resolve(&format!("{bucket}.localhost"), ([127, 0, 0, 1], port).into())
        .build()
        .unwrap();
    let s3 = S3Client::builder()
        .region("us-east-1")
        .endpoint(format!("http://localhost:{port}"))
        .addressing(Addressing::Virtual)
        .credentials(Credentials::new(common::ACCESS_KEY, common::SECRET_KEY))
        .transport(NativeTransport::with_client(http))
        .build()
        .unwrap();
    server.client().create_bucket(CreateBucketInput::new(&bucket)).await.unwrap();
    s3.put_object(PutObjectInput::new(&bucket, "v/key 1", "virtual")).await.unwrap();
    let object = s3.get_object(GetObjectInput::new(&bucket, "v/key 1")).await.unwrap();
    assert_eq!(read_body(object.body).await, b"virtual");
    // The same object is visible path-style: both addressings name the same thing.
    let again = server.client().get_object(GetObjectInput::new(&bucket, "v/key 1")).await.unwrap();
    assert_eq!(read_body(again.body).await, b"virtual");
}

/// A server that answers everything with a redirect to another listener, which counts the
/// connections it gets: the signed request must not follow.
#[tokio::test]
async fn redirects_are_not_followed() {
    use std::io::{Read, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let elsewhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let elsewhere_port = elsewhere.local_addr().unwrap().port();
    let visits = Arc::new(AtomicUsize::new(0));
    let counted = visits.clone();
    std::thread::spawn(move || {
        for _ in elsewhere.incoming() {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    });
    let redirector = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = redirector.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in redirector.incoming() {
            let mut stream = stream.unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let answer = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{elsewhere_port}/b/k\r\n\
                 x-amz-bucket-region: eu-west-1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    let s3 = S3Client::builder()
        .region("us-east-1")
        .endpoint(format!("http://127.0.0.1:{port}"))
        .credentials(Credentials::new("AK", "SK").with_session_token("TOKEN"))
        .build()
        .unwrap();
    let err = s3.put_object(PutObjectInput::new("bucket", "k", "body")).await.unwrap_err();
    let service = err.service().unwrap();
    assert_eq!((service.status, service.code.as_str()), (307, "TemporaryRedirect"));
    assert_eq!(service.region.as_deref(), Some("eu-west-1"));
    assert_eq!(visits.load(Ordering::SeqCst), 0, "the signed request followed the redirect");
}

#[tokio::test]
async fn bad_input_fails_before_any_request() {
    let s3 = common::offline_client();
    for (bucket, key) in [("Upper", "k"), ("ok-bucket", ""), ("ok-bucket", "a/../b")] {
        let err = s3.put_object(PutObjectInput::new(bucket, key, "x")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{bucket} {key}: {err}");
    }
    let mut presign = PresignInput::new(Method::Get, "ok-bucket", "k");
    presign.expires_in = Some(604_801);
    assert_eq!(s3.presign(presign).await.unwrap_err().kind(), ErrorKind::Validation);
    // And an unreachable server is a network error, not a panic.
    let err = s3.get_object(GetObjectInput::new("ok-bucket", "k")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
}

#[test]
fn settings_that_would_do_nothing_are_refused() {
    let builder = || S3Client::builder().region("us-east-1").endpoint("http://127.0.0.1:9");
    // Static keys never expire: a refresh window would refresh nothing.
    let refresh = builder()
        .credentials(Credentials::new("AKID", "secret"))
        .credentials_refresh_window(std::time::Duration::from_secs(60))
        .build();
    assert_eq!(refresh.unwrap_err().kind(), ErrorKind::Validation);
    // An anonymous client signs nothing, its chunks included.
    let chunks = builder().anonymous().sign_stream_chunks(true).build();
    assert_eq!(chunks.unwrap_err().kind(), ErrorKind::Validation);
    assert!(builder().credentials(Credentials::new("AKID", "secret")).sign_stream_chunks(true).build().is_ok());
}
