//! The request pipeline against tiny HTTP servers written here (one thread, canned answers,
//! `Connection: close`): timeouts, cancellation, 200-with-<Error>, capped XML and error
//! bodies, what a service error carries, and odd listings; then many concurrent calls on one
//! client against s3s-fs.
#![cfg(feature = "native")]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use common::canned::{respond, serve, Canned};
use common::{read_body, Kind, Server};
use livery_s3::operations::catalog::*;
use livery_s3::presigned_upload::{PresignedUploads, UploadPolicy};
use livery_s3::time::Timestamp;
use livery_s3::{Credentials, ErrorKind, RetryPolicy, S3Client};

/// Writes a chunked answer's head; the caller writes chunks with [`write_chunk`].
fn respond_chunked_head(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)]) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())
}

fn write_chunk(stream: &mut TcpStream, chunk: &[u8]) -> std::io::Result<()> {
    stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())?;
    stream.write_all(chunk)?;
    stream.write_all(b"\r\n")
}

/// Blocks until the client closes the connection (or 30 s pass); true when it did.
fn wait_for_close(stream: &mut TcpStream) -> bool {
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return false
            }
            Err(_) => return true, // reset
        }
    }
}

/// One attempt per call: these tests are about what a single attempt does and reports
/// (retries have their own tests in tests/resilience.rs).
fn client(endpoint: &str, timeout: Option<Duration>) -> S3Client {
    S3Client::builder()
        .region("us-east-1")
        .endpoint(endpoint)
        .credentials(Credentials::new("AKIDPIPELINE", "pipeline-secret"))
        .timeout(timeout)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Runs a call with a guard: a client that hangs fails the test instead of the whole run.
async fn within<T>(limit: Duration, call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(limit, call).await.unwrap_or_else(|_| panic!("the call did not end within {limit:?}"))
}

const ERROR_XML: &str = "<Error><Code>InternalError</Code><Message>m</Message><RequestId>r1</RequestId></Error>";

fn complete_input() -> CompleteMultipartUploadInput {
    CompleteMultipartUploadInput {
        bucket: "bucket".into(),
        key: "k".into(),
        upload_id: "up-1".into(),
        parts: vec![CompletedPart { part_number: 1, etag: "\"e1\"".into(), ..Default::default() }],
        ..Default::default()
    }
}

// ------------------------------------------------------------------------------ timeouts

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout_after_the_client_timeout() {
    let server = serve(|mut stream, _| {
        wait_for_close(&mut stream);
    });
    let s3 = client(&server.endpoint, Some(Duration::from_millis(200)));
    let started = Instant::now();
    let err = within(Duration::from_secs(10), s3.list_objects(ListObjectsInput::new("bucket"))).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(took >= Duration::from_millis(200), "timed out before the limit: {took:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 1, "the request reached the server");
}

/// A server that writes `answer` (a head and the start of a body) and then sends nothing more
/// until the client hangs up.
fn stalling_after(answer: &'static str) -> Canned {
    serve(move |mut stream, _| {
        let _ = stream.write_all(answer.as_bytes());
        let _ = stream.flush();
        wait_for_close(&mut stream);
    })
}

/// The builder promises the timeout covers "the whole body of an XML answer": a server that
/// sends the head of a listing and then stalls must not hold the call forever.
#[tokio::test]
async fn a_listing_whose_body_stalls_is_a_timeout() {
    let server = stalling_after(
        "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 1000\r\n\
         Connection: close\r\n\r\n<ListBucketResult>",
    );
    let s3 = client(&server.endpoint, Some(Duration::from_millis(300)));
    let started = Instant::now();
    let err = within(Duration::from_secs(10), s3.list_objects(ListObjectsInput::new("bucket"))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}

/// An error answer whose body stalls after the head ends the call within the timeout, as a
/// timeout or as the service error its status names; it never hangs.
#[tokio::test]
async fn an_error_answer_whose_body_stalls_ends_within_the_timeout() {
    let server = stalling_after(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 500\r\nx-amz-request-id: stall-1\r\n\
         Connection: close\r\n\r\n<Error><Code>SlowDown</Code>",
    );
    let s3 = client(&server.endpoint, Some(Duration::from_millis(300)));
    let started = Instant::now();
    let err = within(Duration::from_secs(10), s3.list_objects(ListObjectsInput::new("bucket"))).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    match err.service() {
        Some(service) => assert_eq!(service.status, 503, "{err}"),
        None => assert_eq!(err.kind(), ErrorKind::Timeout, "{err}"),
    }
}

#[tokio::test]
async fn dropping_the_call_closes_its_connection() {
    let (closed_tx, closed_rx) = mpsc::channel::<bool>();
    let closed_tx = std::sync::Mutex::new(closed_tx);
    let server = serve(move |mut stream, _| {
        let closed = wait_for_close(&mut stream);
        let _ = closed_tx.lock().unwrap().send(closed);
    });
    let s3 = client(&server.endpoint, None);
    let dropped = tokio::time::timeout(Duration::from_millis(300), s3.list_objects(ListObjectsInput::new("bucket")));
    assert!(dropped.await.is_err(), "the server never answers: the call cannot have ended");
    assert_eq!(server.requests.load(Ordering::SeqCst), 1, "the request reached the server");
    let dropped_at = Instant::now();
    // Wait off the runtime: the connection's task must keep running to notice the drop.
    let closed = tokio::task::spawn_blocking(move || closed_rx.recv_timeout(Duration::from_secs(10))).await.unwrap();
    assert_eq!(closed, Ok(true), "the server did not see the connection closed");
    assert!(dropped_at.elapsed() < Duration::from_secs(2), "closed only after {:?}", dropped_at.elapsed());
}

// ------------------------------------------------------------------ classifying answers

#[tokio::test]
async fn a_200_whose_body_is_an_error_is_a_service_error() {
    let server = serve(|stream, request| {
        assert!(request.head.starts_with("POST /bucket/k?uploadId=up-1 "), "{}", request.head);
        respond(stream, "200 OK", &[("Content-Type", "application/xml")], ERROR_XML.as_bytes());
    });
    let s3 = client(&server.endpoint, Some(Duration::from_secs(5)));
    let err = s3.complete_multipart_upload(complete_input()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service, "{err}");
    let service = err.service().unwrap();
    assert_eq!(
        (service.code.as_str(), service.status, service.message.as_str(), service.request_id.as_deref()),
        ("InternalError", 200, "m", Some("r1"))
    );
    assert_eq!(service.endpoint.as_deref(), Some(server.endpoint.as_str()));
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}

/// A server that answers 200 at once, then sends `filler` `times` times, `pause` apart (as S3
/// keeps a long CompleteMultipartUpload or copy alive), then `document`.
fn keep_alive_then(filler: &'static [u8], times: usize, pause: Duration, document: String) -> Canned {
    serve(move |mut stream, _| {
        if respond_chunked_head(&mut stream, "200 OK", &[("Content-Type", "application/xml")]).is_err() {
            return;
        }
        for _ in 0..times {
            let _ = write_chunk(&mut stream, filler);
            std::thread::sleep(pause);
        }
        let _ = write_chunk(&mut stream, document.as_bytes());
        let _ = stream.write_all(b"0\r\n\r\n");
    })
}

/// S3 keeps a CompleteMultipartUpload connection alive by sending whitespace before the
/// document, which may then turn out to be an `<Error>`.
#[tokio::test]
async fn a_200_error_after_keep_alive_whitespace_is_a_service_error() {
    let document = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{ERROR_XML}");
    let server = keep_alive_then(b" \n", 3, Duration::from_millis(20), document);
    let s3 = client(&server.endpoint, Some(Duration::from_secs(5)));
    let err = s3.complete_multipart_upload(complete_input()).await.unwrap_err();
    let service = err.service().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(
        (service.code.as_str(), service.status, service.request_id.as_deref()),
        ("InternalError", 200, Some("r1"))
    );
}

/// S3 answers a long CompleteMultipartUpload (or copy) at once, then sends spaces until its
/// document is ready: the timeout is for each piece, not for the whole body.
#[tokio::test]
async fn keep_alive_spaces_for_longer_than_the_timeout_then_the_document_are_read() {
    let document = "<CompleteMultipartUploadResult><Key>k</Key><ETag>\"e-2\"</ETag></CompleteMultipartUploadResult>";
    let server = keep_alive_then(b" ", 8, Duration::from_millis(100), document.into());
    let s3 = client(&server.endpoint, Some(Duration::from_millis(400)));
    let done = s3.complete_multipart_upload(complete_input()).await.unwrap();
    assert_eq!(done.etag.as_deref(), Some("\"e-2\""));
}

/// A 17 MiB listing page, the body `chunked` or with a Content-Length.
fn huge_listing() -> Vec<u8> {
    let entry = b"<Contents><Key>some/fairly/long/key/name-0000000000</Key><Size>1</Size></Contents>\n";
    let mut body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>bucket</Name>".to_vec();
    while body.len() < 17 << 20 {
        body.extend_from_slice(entry);
    }
    body.extend_from_slice(b"</ListBucketResult>");
    body
}

#[tokio::test]
async fn an_xml_answer_over_16_mib_is_response_too_large() {
    assert_eq!(livery_s3::client::MAX_XML_BYTES, 16 << 20);
    let body = Arc::new(huge_listing());
    for chunked in [false, true] {
        let body = body.clone();
        let server = serve(move |mut stream, _| {
            if chunked {
                if respond_chunked_head(&mut stream, "200 OK", &[("Content-Type", "application/xml")]).is_err() {
                    return;
                }
                for piece in body.chunks(64 << 10) {
                    if write_chunk(&mut stream, piece).is_err() {
                        return;
                    }
                }
                let _ = stream.write_all(b"0\r\n\r\n");
            } else {
                respond(stream, "200 OK", &[("Content-Type", "application/xml")], &body);
            }
        });
        let s3 = client(&server.endpoint, Some(Duration::from_secs(20)));
        let err = within(Duration::from_secs(30), s3.list_objects(ListObjectsInput::new("bucket"))).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Service, "chunked {chunked}: {err}");
        assert_eq!(err.code(), Some("ResponseTooLarge"), "chunked {chunked}: {err}");
    }
}

#[tokio::test]
async fn a_503_slow_down_carries_code_retry_after_date_and_endpoint() {
    let server = serve(|stream, _| {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>\
                    <Message>Please reduce your request rate.</Message><RequestId>slow-1</RequestId></Error>";
        let headers = [
            ("Retry-After", "7"),
            ("Date", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ("Content-Type", "application/xml"),
            ("x-amz-request-id", "slow-1"),
        ];
        respond(stream, "503 Slow Down", &headers, body.as_bytes());
    });
    let s3 = client(&server.endpoint, Some(Duration::from_secs(5)));
    let err = s3.put_object(PutObjectInput::new("bucket", "k", "body")).await.unwrap_err();
    let service = err.service().unwrap_or_else(|| panic!("{err}"));
    assert_eq!((service.code.as_str(), service.status), ("SlowDown", 503));
    assert_eq!(service.message, "Please reduce your request rate.");
    assert_eq!(service.request_id.as_deref(), Some("slow-1"));
    assert_eq!(service.retry_after_secs, Some(7));
    assert_eq!(service.server_date.map(Timestamp::unix_seconds), Some(1_445_412_480));
    assert_eq!(service.endpoint, Some(server.endpoint.clone()));
    assert!(service.is_retryable() && err.is_retryable());
}

/// A valid `<Error>` document padded past the cap, sent whole with a Content-Length, and an
/// error body that never ends: both stop at the cap and classify by their status.
#[tokio::test]
async fn an_error_body_over_64_kib_is_cut_and_still_a_service_error() {
    assert_eq!(livery_s3::client::MAX_ERROR_BYTES, 64 << 10);
    let headers = [("Content-Type", "application/xml"), ("x-amz-request-id", "big-1")];
    for endless in [false, true] {
        let server = serve(move |mut stream, _| {
            let start = b"<Error><Code>AccessDenied</Code><RequestId>big-1</RequestId><Message>";
            if endless {
                if respond_chunked_head(&mut stream, "403 Forbidden", &headers).is_err()
                    || write_chunk(&mut stream, start).is_err()
                {
                    return;
                }
                let padding = vec![b'x'; 16 << 10];
                // Stops when the client hangs up; 64 MiB at most, so a client that reads on
                // forever fails the test instead of running out of memory.
                for _ in 0..4096 {
                    if write_chunk(&mut stream, &padding).is_err() {
                        return;
                    }
                }
            } else {
                let mut body = start.to_vec();
                body.resize(body.len() + (100 << 10), b'x');
                body.extend_from_slice(b"</Message></Error>");
                respond(stream, "403 Forbidden", &headers, &body);
            }
        });
        let s3 = client(&server.endpoint, Some(Duration::from_secs(5)));
        let err = within(Duration::from_secs(10), s3.get_object(GetObjectInput::new("bucket", "k"))).await.unwrap_err();
        let service = err.service().unwrap_or_else(|| panic!("endless {endless}: {err}"));
        assert_eq!(service.status, 403, "endless {endless}");
        // Cut at the cap, the document is unreadable: the code comes from the status (or, from
        // a reader that salvages a cut document, from its <Code>).
        assert!(matches!(service.code.as_str(), "Forbidden" | "AccessDenied"), "endless {endless}: {service:?}");
        assert_eq!(service.request_id.as_deref(), Some("big-1"), "endless {endless}");
        assert_eq!(service.endpoint, Some(server.endpoint.clone()));
    }
}

// ------------------------------------------------------------------------------ listings

fn listing_server(document: &'static str) -> Canned {
    serve(move |stream, _| respond(stream, "200 OK", &[("Content-Type", "application/xml")], document.as_bytes()))
}

#[tokio::test]
async fn a_listing_with_a_garbage_max_keys_is_read_without_it() {
    let server = listing_server(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket</Name>\
         <Prefix>p/</Prefix><KeyCount>1</KeyCount><MaxKeys>a thousand</MaxKeys><Delimiter>/</Delimiter>\
         <IsTruncated>true</IsTruncated><NextContinuationToken>next/token=</NextContinuationToken>\
         <Contents><Key>p/one</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>\
         <ETag>&quot;e1&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>\
         <CommonPrefixes><Prefix>p/sub/</Prefix></CommonPrefixes></ListBucketResult>",
    );
    let s3 = client(&server.endpoint, Some(Duration::from_secs(5)));
    let page = s3.list_objects(ListObjectsInput::new("bucket")).await.unwrap();
    assert_eq!(page.max_keys, None);
    assert_eq!(page.name.as_deref(), Some("bucket"));
    assert_eq!(page.prefix.as_deref(), Some("p/"));
    assert_eq!(page.delimiter.as_deref(), Some("/"));
    assert_eq!(page.key_count, Some(1));
    assert!(page.is_truncated);
    assert_eq!(page.next_continuation_token.as_deref(), Some("next/token="));
    assert_eq!(page.contents.len(), 1);
    let object = &page.contents[0];
    assert_eq!(
        (object.key.as_str(), object.etag.as_deref(), object.size, object.storage_class.as_deref()),
        ("p/one", Some("\"e1\""), 42, Some("STANDARD"))
    );
    assert_eq!(object.last_modified.map(Timestamp::unix_seconds), Some(1_255_369_830));
    assert_eq!(page.common_prefixes.iter().map(|p| p.prefix.as_str()).collect::<Vec<_>>(), ["p/sub/"]);
}

#[tokio::test]
async fn a_listing_that_echoes_url_encoding_without_encoding_keeps_keys_as_written() {
    let server = listing_server(
        "<ListBucketResult><Name>bucket</Name><EncodingType>url</EncodingType><KeyCount>2</KeyCount>\
         <Contents><Key>a+b</Key><Size>1</Size></Contents>\
         <Contents><Key>dir/c d</Key><Size>2</Size></Contents></ListBucketResult>",
    );
    let s3 = client(&server.endpoint, Some(Duration::from_secs(5)));
    let page = s3.list_objects(ListObjectsInput::new("bucket")).await.unwrap();
    let keys: Vec<_> = page.contents.iter().map(|o| (o.key.as_str(), o.size)).collect();
    assert_eq!(keys, [("a+b", 1), ("dir/c d", 2)]);
}

/// A server that answers the n-th request (from 0) with `page(n)`, as XML.
fn paging_server(page: impl Fn(usize) -> String + Send + Sync + 'static) -> Canned {
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    serve(move |stream, _| {
        let document = page(served.fetch_add(1, Ordering::SeqCst));
        respond(stream, "200 OK", &[("Content-Type", "application/xml")], document.as_bytes())
    })
}

fn uploads_policy() -> UploadPolicy {
    UploadPolicy {
        bucket: "bucket".into(),
        key_prefix: "uploads/".into(),
        max_size: 1 << 30,
        part_size: 5 << 20,
        expires_in: None,
    }
}

#[tokio::test]
async fn a_list_parts_that_stops_moving_on_fails_instead_of_listing_forever() {
    // Markers 1, then 2, then 2 again: two pages of progress, then a page it had.
    let server = paging_server(|n| {
        let next = (n + 1).min(2);
        format!(
            "<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>{next}</NextPartNumberMarker>\
             <Part><PartNumber>{next}</PartNumber><ETag>\"e\"</ETag><Size>5</Size></Part></ListPartsResult>"
        )
    });
    let uploads = PresignedUploads::new(client(&server.endpoint, Some(Duration::from_secs(5))), uploads_policy());
    let error = within(Duration::from_secs(20), uploads.unwrap().complete("uploads/k", "up-1", &[])).await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidResponse"), "{error}");
    assert!(error.to_string().contains("ListParts"), "{error}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 3, "two pages that moved on, then the repeat");

    // A marker that grows by one each page, with no parts, would list for 2^32 pages: part
    // numbers end at 10,000 (a page ending there may still say it is truncated, once).
    let growing = paging_server(|n| {
        format!(
            "<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>{}</NextPartNumberMarker>\
             </ListPartsResult>",
            9_998 + n
        )
    });
    let uploads = PresignedUploads::new(client(&growing.endpoint, Some(Duration::from_secs(5))), uploads_policy());
    let error = within(Duration::from_secs(20), uploads.unwrap().complete("uploads/k", "up-1", &[])).await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidResponse"), "{error}");
    assert_eq!(growing.requests.load(Ordering::SeqCst), 4, "markers 9998, 9999, 10000 (the last part's), then 10001");
}

#[tokio::test]
async fn part_sizes_that_add_up_past_u64_max_are_over_the_policy() {
    // Two listed parts of 2^64 - 1 and 1 bytes: their sum wrapped to 0, under any policy.
    let server = listing_server(
        "<ListPartsResult><IsTruncated>false</IsTruncated>\
         <Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag><Size>18446744073709551615</Size></Part>\
         <Part><PartNumber>2</PartNumber><ETag>\"e2\"</ETag><Size>1</Size></Part></ListPartsResult>",
    );
    let uploads = PresignedUploads::new(client(&server.endpoint, Some(Duration::from_secs(5))), uploads_policy());
    let error = within(Duration::from_secs(20), uploads.unwrap().complete("uploads/k", "up-1", &[])).await.unwrap_err();
    // Refused as over the policy: the upload is aborted (this server answers the DELETE with
    // the same document, which the abort does not read) and the call fails.
    assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    assert!(error.to_string().contains("outside the upload policy"), "{error}");
}

/// A ListMultipartUploads page: truncated with `next` markers when given, listing one upload
/// started in 2009.
fn uploads_page(next: Option<(&str, &str)>) -> String {
    let (truncated, markers) = match next {
        Some((key, id)) => {
            ("true", format!("<NextKeyMarker>{key}</NextKeyMarker><NextUploadIdMarker>{id}</NextUploadIdMarker>"))
        }
        None => ("false", String::new()),
    };
    format!(
        "<ListMultipartUploadsResult><Bucket>bucket</Bucket><IsTruncated>{truncated}</IsTruncated>{markers}\
         <Upload><Key>k</Key><UploadId>up-1</UploadId><Initiated>2009-10-12T17:50:30.000Z</Initiated></Upload>\
         </ListMultipartUploadsResult>"
    )
}

#[tokio::test]
async fn a_list_multipart_uploads_that_cycles_fails_before_aborting_anything() {
    // Markers a, then b, then a again: a cycle of two pages.
    let server = paging_server(|n| uploads_page(Some(if n % 2 == 0 { ("a", "1") } else { ("b", "2") })));
    let s3 = client(&server.endpoint, Some(Duration::from_secs(5)));
    // Every listed upload is stale (started in 2009), and none may be aborted: the listing is bad.
    let error =
        within(Duration::from_secs(20), s3.abort_incomplete_uploads("bucket", None, Duration::ZERO)).await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidResponse"), "{error}");
    assert!(error.to_string().contains("ListMultipartUploads"), "{error}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 3, "three GETs, no DELETE");
}

#[tokio::test]
async fn the_longest_older_than_aborts_nothing() {
    // `Duration::MAX` once wrapped to -1000 ms: every upload, even one started now, was stale.
    let server = paging_server(|_| uploads_page(None));
    let s3 = client(&server.endpoint, Some(Duration::from_secs(5)));
    let aborted = s3.abort_incomplete_uploads("bucket", None, Duration::MAX).await.unwrap();
    assert_eq!(aborted, []);
    assert_eq!(server.requests.load(Ordering::SeqCst), 1, "the listing, no DELETE");
    let aborted = s3.abort_incomplete_uploads("bucket", None, Duration::from_secs(3600)).await;
    assert_eq!(aborted.unwrap(), [("k".to_string(), "up-1".to_string())], "a 2009 upload is older than an hour");
}

// --------------------------------------------------------------------------- concurrency

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_calls_on_one_client_each_read_back_their_own_bytes() {
    const CALLS: usize = 64;
    let server = Server::start(Kind::S3sFs);
    let s3 = server.client();
    let bucket = common::bucket_name("many");
    s3.create_bucket(CreateBucketInput::new(&bucket)).await.unwrap();
    // Different lengths and contents per key, so no answer can pass for another's.
    let payload = |i: usize| -> Vec<u8> { (0..1000 + i * 37).map(|j| (j * (i + 1) % 251) as u8).collect() };

    let puts: Vec<_> = (0..CALLS)
        .map(|i| {
            let (s3, bucket) = (s3.clone(), bucket.clone());
            tokio::spawn(async move { s3.put_object(PutObjectInput::new(bucket, format!("k/{i}"), payload(i))).await })
        })
        .collect();
    let mut etags = Vec::new();
    for (i, put) in puts.into_iter().enumerate() {
        let written = put.await.unwrap().unwrap_or_else(|e| panic!("put {i}: {e}"));
        etags.push(written.etag.unwrap_or_else(|| panic!("put {i} has no etag")));
    }

    let gets: Vec<_> = (0..CALLS)
        .map(|i| {
            let (s3, bucket) = (s3.clone(), bucket.clone());
            tokio::spawn(async move {
                let object = s3.get_object(GetObjectInput::new(bucket, format!("k/{i}"))).await?;
                Ok::<_, livery_s3::Error>((object.info.etag.clone(), read_body(object.body).await))
            })
        })
        .collect();
    for (i, get) in gets.into_iter().enumerate() {
        let (etag, bytes) = get.await.unwrap().unwrap_or_else(|e| panic!("get {i}: {e}"));
        assert_eq!(etag.as_ref(), Some(&etags[i]), "get {i}");
        assert!(bytes == payload(i), "get {i} read {} bytes that are not its own", bytes.len());
    }
    let listed = s3.list_objects(ListObjectsInput::new(&bucket)).await.unwrap();
    assert_eq!(listed.key_count, Some(CALLS as u32));
}

/// An object body that stops arriving after its first bytes: with the default transport, the
/// read that brings nothing for the client's timeout fails as a timeout instead of hanging.
#[tokio::test]
async fn an_object_body_that_stalls_mid_stream_fails_its_read_as_a_timeout() {
    let server = stalling_after(
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\
         Connection: close\r\n\r\nfirst bytes",
    );
    let s3 = client(&server.endpoint, Some(Duration::from_millis(300)));
    let mut object = within(Duration::from_secs(10), s3.get_object(GetObjectInput::new("bucket", "k"))).await.unwrap();
    let started = Instant::now();
    let mut read = Vec::new();
    let err = within(Duration::from_secs(10), async {
        loop {
            match object.body.chunk().await {
                Ok(Some(chunk)) => read.extend_from_slice(&chunk),
                Ok(None) => panic!("the stalled body ended"),
                Err(err) => return err,
            }
        }
    })
    .await;
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(read, b"first bytes");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}
