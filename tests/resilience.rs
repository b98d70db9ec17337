//! The attempt loop's layers over the wire, natively: retries (which failures, how many, how
//! long apart, re-signed each time), Retry-After, region redirects, clock skew, and a
//! CompleteMultipartUpload whose first answer was lost. Servers are canned (tests/common) so
//! each fault is exact; the soak through a fault proxy in front of a real server is in
//! tests/js/faults.test.mjs.
#![cfg(feature = "native")]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::canned::{respond, serve, Canned, Request};
use livery_s3::credentials::ProvideCredentials;
use livery_s3::operations::catalog::*;
use livery_s3::operations::Shape;
use livery_s3::platform::{BoxFuture, Signal};
use livery_s3::time::{Clock, SystemClock, Timestamp};
use livery_s3::{Credentials, ErrorKind, PresignInput, RetryPolicy, S3Client};

/// Retries without real waiting: 1 ms backoff.
fn quick() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() }
}

fn client(server: &Canned, retry: RetryPolicy) -> S3Client {
    S3Client::builder()
        .region("us-east-1")
        .endpoint(&server.endpoint)
        .credentials(Credentials::new("AKIDRESILIENCE", "resilience-secret"))
        .timeout(Some(Duration::from_secs(5)))
        .retry(retry)
        .build()
        .unwrap()
}

/// Answers the `n`th request (from 0) with `answer(n, request)`.
fn by_count(
    answer: impl Fn(usize, &Request) -> (&'static str, Vec<(&'static str, String)>, String) + Send + Sync + 'static,
) -> Canned {
    let seen = Arc::new(AtomicUsize::new(0));
    serve(move |stream, request| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        let (status, headers, body) = answer(n, &request);
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        respond(stream, status, &headers, body.as_bytes());
    })
}

fn error_xml(code: &str, extra: &str) -> String {
    format!("<Error><Code>{code}</Code><Message>m</Message>{extra}<RequestId>r</RequestId></Error>")
}

const OK: (&str, Vec<(&str, String)>, String) = ("200 OK", Vec::new(), String::new());

/// A clock that moves an hour each time it is read.
struct Hourly(std::sync::atomic::AtomicI64);

impl Clock for Hourly {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_seconds(self.0.fetch_add(3600, Ordering::SeqCst))
    }
}

/// Hands out credentials with a new session token each time, valid for half an hour of the
/// hourly clock: every attempt finds the last one's expired, so the server sees which attempt
/// was signed with which credentials.
struct Rotating(AtomicUsize, Arc<Hourly>);

impl ProvideCredentials for Rotating {
    fn provide(&self) -> BoxFuture<'_, livery_s3::Result<Credentials>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        let expires = Timestamp::from_unix_seconds(self.1 .0.load(Ordering::SeqCst) + 1800);
        Box::pin(async move {
            let credentials =
                Credentials::new("AKIDROTATING", "rotating-secret").with_session_token(format!("token-{n}"));
            Ok(credentials.with_expiration(expires))
        })
    }
}

async fn put(s3: &S3Client) -> (livery_s3::Result<()>, u32) {
    let input = PutObjectInput::new("bucket", "k", "body").into_values();
    let (result, attempts) = s3.call_counting(&PUT_OBJECT, input, &Signal::default()).await;
    (result.map(drop), attempts)
}

#[tokio::test]
async fn a_503_slow_down_twice_then_ok_succeeds_on_the_third_attempt_each_signed_afresh() {
    let tokens = Arc::new(Mutex::new(Vec::new()));
    let seen = tokens.clone();
    let server = by_count(move |n, request| {
        seen.lock().unwrap().push(request.header("x-amz-security-token").unwrap_or_default().to_owned());
        match n {
            0 | 1 => ("503 Slow Down", vec![], error_xml("SlowDown", "")),
            _ => OK,
        }
    });
    let clock = Arc::new(Hourly(1_800_000_000.into()));
    let s3 = S3Client::builder()
        .region("us-east-1")
        .endpoint(&server.endpoint)
        .credentials_provider(Rotating(AtomicUsize::new(0), clock.clone()))
        .clock(clock)
        .retry(quick())
        .build()
        .unwrap();
    let (result, attempts) = put(&s3).await;
    result.unwrap();
    assert_eq!((attempts, server.requests.load(Ordering::SeqCst)), (3, 3));
    assert_eq!(*tokens.lock().unwrap(), ["token-0", "token-1", "token-2"], "credentials are read per attempt");
}

#[tokio::test]
async fn a_failure_that_stays_ends_after_max_attempts_with_the_last_error() {
    let server = by_count(|_, _| ("500 Internal Server Error", vec![], error_xml("InternalError", "")));
    let s3 = client(&server, RetryPolicy { max_attempts: 4, ..quick() });
    let (result, attempts) = put(&s3).await;
    let err = result.unwrap_err();
    assert_eq!((err.code(), err.status()), (Some("InternalError"), Some(500)));
    assert_eq!((attempts, server.requests.load(Ordering::SeqCst)), (4, 4));
}

#[tokio::test]
async fn errors_a_retry_cannot_fix_are_not_retried() {
    for (status, code) in [
        ("404 Not Found", "NoSuchBucket"),
        ("403 Forbidden", "SignatureDoesNotMatch"),
        ("412 Precondition Failed", "PreconditionFailed"),
    ] {
        let server = by_count(move |_, _| (status, vec![], error_xml(code, "")));
        let (result, attempts) = put(&client(&server, quick())).await;
        assert_eq!(result.unwrap_err().code(), Some(code));
        assert_eq!((attempts, server.requests.load(Ordering::SeqCst)), (1, 1), "{code}");
    }
}

#[tokio::test]
async fn retry_none_makes_one_attempt() {
    let server = by_count(|_, _| ("503 Service Unavailable", vec![], String::new()));
    let (result, attempts) = put(&client(&server, RetryPolicy::none())).await;
    assert_eq!(result.unwrap_err().code(), Some("ServiceUnavailable"));
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_retried() {
    let seen = Arc::new(AtomicUsize::new(0));
    let server = serve(move |stream, _| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            drop(stream); // no answer at all
        } else {
            respond(stream, "200 OK", &[], b"");
        }
    });
    let (result, attempts) = put(&client(&server, quick())).await;
    result.unwrap();
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn retry_after_is_waited_when_longer_than_the_backoff_and_capped_by_max_delay() {
    let server = by_count(|n, _| match n {
        0 => ("503 Slow Down", vec![("Retry-After", "1".into())], error_xml("SlowDown", "")),
        _ => OK,
    });
    let started = Instant::now();
    put(&client(&server, quick())).await.0.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited only {:?}", started.elapsed());

    let server = by_count(|n, _| match n {
        0 => ("503 Slow Down", vec![("Retry-After", "60".into())], error_xml("SlowDown", "")),
        _ => OK,
    });
    let capped = RetryPolicy { max_delay: Duration::from_millis(300), ..quick() };
    let started = Instant::now();
    put(&client(&server, capped)).await.0.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(300) && waited < Duration::from_secs(5), "waited {waited:?}");
}

/// The region a request was signed for, from its credential scope.
fn signed_region(request: &Request) -> String {
    let auth = request.header("authorization").unwrap_or_default();
    auth.split('/').nth(2).unwrap_or_default().to_owned()
}

/// A bucket in eu-west-1 behind one endpoint: requests signed for another region get the
/// 400 AuthorizationHeaderMalformed that names the right one.
fn bucket_in_eu_west_1() -> Canned {
    by_count(|_, request| {
        if signed_region(request) == "eu-west-1" {
            OK
        } else {
            ("400 Bad Request", vec![], error_xml("AuthorizationHeaderMalformed", "<Region>eu-west-1</Region>"))
        }
    })
}

#[tokio::test]
async fn a_region_redirect_is_followed_once_and_the_bucket_region_remembered() {
    let server = bucket_in_eu_west_1();
    let s3 = client(&server, quick());
    let (result, attempts) = put(&s3).await;
    result.unwrap();
    assert_eq!(attempts, 2);
    let (result, attempts) = put(&s3).await;
    result.unwrap();
    assert_eq!((attempts, server.requests.load(Ordering::SeqCst)), (1, 3), "the second call goes to eu-west-1 at once");
    // Presigned URLs are signed for the bucket's region too.
    let url =
        s3.presign(livery_s3::PresignInput::new(livery_s3::operations::Method::Get, "bucket", "k")).await.unwrap();
    assert!(url.contains("%2Feu-west-1%2Fs3%2Faws4_request"), "{url}");
}

#[tokio::test]
async fn with_region_redirects_off_the_error_names_the_region() {
    let server = bucket_in_eu_west_1();
    let s3 = S3Client::builder()
        .region("us-east-1")
        .endpoint(&server.endpoint)
        .credentials(Credentials::new("AK", "SK"))
        .follow_region_redirects(false)
        .build()
        .unwrap();
    let (result, attempts) = put(&s3).await;
    let err = result.unwrap_err();
    assert_eq!(
        (err.code(), err.service().unwrap().region.as_deref()),
        (Some("AuthorizationHeaderMalformed"), Some("eu-west-1"))
    );
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn a_redirect_to_a_name_that_is_no_region_is_not_followed() {
    let server = by_count(|_, _| {
        (
            "301 Moved Permanently",
            vec![("x-amz-bucket-region", "evil.example.com/x".into())],
            error_xml("PermanentRedirect", ""),
        )
    });
    let (result, attempts) = put(&client(&server, quick())).await;
    assert_eq!(result.unwrap_err().code(), Some("PermanentRedirect"));
    assert_eq!(attempts, 1);
}

/// `20261201T152533Z`, the basic ISO 8601 form SigV4 writes.
fn amz_date(basic: &str) -> Timestamp {
    let b = basic.as_bytes();
    let part = |from: usize, to: usize| std::str::from_utf8(&b[from..to]).unwrap();
    let extended =
        format!("{}-{}-{}T{}:{}:{}Z", part(0, 4), part(4, 6), part(6, 8), part(9, 11), part(11, 13), part(13, 15));
    Timestamp::parse_iso8601(&extended).unwrap()
}

/// A server whose clock is an hour ahead, refusing requests signed more than 15 minutes off
/// its own time as S3 does.
#[tokio::test]
async fn a_skewed_clock_is_corrected_from_the_server_date_and_later_calls_sign_with_it() {
    let hour_ahead = || Timestamp::from_unix_millis(SystemClock.now().unix_millis() + 3_600_000);
    let server = by_count(move |_, request| {
        let now = hour_ahead();
        let signed = amz_date(request.header("x-amz-date").unwrap());
        let date = vec![("Date", now.to_http_date())];
        if (signed.unix_seconds() - now.unix_seconds()).abs() > 900 {
            ("403 Forbidden", date, error_xml("RequestTimeTooSkewed", ""))
        } else {
            ("200 OK", date, String::new())
        }
    });
    let s3 = client(&server, RetryPolicy::none());
    let (result, attempts) = put(&s3).await;
    result.unwrap();
    assert_eq!(attempts, 2, "one correction, even with retries off");
    let (result, attempts) = put(&s3).await;
    result.unwrap();
    assert_eq!(attempts, 1);
}

/// A server that refuses everything with a `Date` ten years off: the correction it suggests does
/// not help, so it is undone, and later requests (and presigned URLs) sign with the local clock.
#[tokio::test]
async fn a_clock_correction_the_server_still_refuses_is_undone() {
    let server = by_count(|_, _| {
        let decade_ahead = Timestamp::from_unix_millis(SystemClock.now().unix_millis() + 315_360_000_000);
        ("403 Forbidden", vec![("Date", decade_ahead.to_http_date())], error_xml("AccessDenied", ""))
    });
    let s3 = client(&server, RetryPolicy::none());
    let (result, attempts) = put(&s3).await;
    assert_eq!(result.unwrap_err().code(), Some("AccessDenied"));
    assert_eq!(attempts, 2, "one correction was tried");
    let url = s3.presign(PresignInput::new(livery_s3::http::Method::Get, "bucket", "key")).await.unwrap();
    let signed = amz_date(url.split("X-Amz-Date=").nth(1).unwrap().split('&').next().unwrap());
    assert!((signed.unix_seconds() - SystemClock.now().unix_seconds()).abs() < 600, "signed years off: {url}");
}

/// A server where the first CompleteMultipartUpload takes effect but its answer is lost (the
/// connection drops), later ones answer NoSuchUpload, and a HEAD of the key answers with
/// `object_headers` and the object's Last-Modified, `age_secs` ago.
fn lost_completion(object_headers: &'static [(&'static str, &'static str)], age_secs: i64) -> Canned {
    let completes = Arc::new(AtomicUsize::new(0));
    serve(move |stream, request| {
        if !request.head.starts_with("POST ") {
            assert!(request.head.starts_with("HEAD /bucket/k "), "{}", request.head);
            let modified =
                Timestamp::from_unix_millis(SystemClock.now().unix_millis() - age_secs * 1000).to_http_date();
            let mut headers = object_headers.to_vec();
            headers.push(("Last-Modified", &modified));
            respond(stream, "200 OK", &headers, b"");
        } else if completes.fetch_add(1, Ordering::SeqCst) == 0 {
            drop(stream);
        } else {
            respond(stream, "404 Not Found", &[], error_xml("NoSuchUpload", "").as_bytes());
        }
    })
}

fn complete_input(parts: u32) -> CompleteMultipartUploadInput {
    CompleteMultipartUploadInput {
        bucket: "bucket".into(),
        key: "k".into(),
        upload_id: "up".into(),
        parts: (1..=parts)
            .map(|n| CompletedPart { part_number: n, etag: format!("\"p{n}\""), ..Default::default() })
            .collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_complete_whose_answer_was_lost_is_confirmed_by_the_object_it_made() {
    let server = lost_completion(&[("ETag", "\"3858f62230ac3c915f300c664312c11f-2\""), ("x-amz-version-id", "v7")], 0);
    let done = client(&server, quick()).complete_multipart_upload(complete_input(2)).await.unwrap();
    assert_eq!(done.etag.as_deref(), Some("\"3858f62230ac3c915f300c664312c11f-2\""));
    assert_eq!(done.version_id.as_deref(), Some("v7"));
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_lost_complete_of_another_object_is_still_an_error() {
    // The key holds an object of one part (an older upload): not what this Complete made.
    let server = lost_completion(&[("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"")], 0);
    let err = client(&server, quick()).complete_multipart_upload(complete_input(1)).await.unwrap_err();
    assert_eq!(err.code(), Some("NoSuchUpload"));
    assert_eq!(err.kind(), ErrorKind::Service);
    // Of as many parts, but written yesterday (this upload was aborted by someone else
    // meanwhile): not this call's object either, and its data is not reported as stored.
    let server = lost_completion(&[("ETag", "\"3858f62230ac3c915f300c664312c11f-2\"")], 86_400);
    let err = client(&server, quick()).complete_multipart_upload(complete_input(2)).await.unwrap_err();
    assert_eq!(err.code(), Some("NoSuchUpload"));
}

// ---- circuit breaker, endpoint balancing, concurrency cap ------------------------------------

fn always(status: &'static str, code: &'static str) -> Canned {
    by_count(move |_, _| (status, Vec::new(), error_xml(code, "")))
}

fn builder() -> livery_s3::S3ClientBuilder {
    S3Client::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDRESILIENCE", "resilience-secret"))
        .timeout(Some(Duration::from_secs(5)))
}

#[tokio::test]
async fn an_open_circuit_fails_fast_without_sending_anything() {
    let server = always("503 Service Unavailable", "ServiceUnavailable");
    let breaker = livery_s3::BreakerPolicy { failure_threshold: 2, reset_after: Duration::from_secs(60) };
    let s3 = builder().endpoint(&server.endpoint).retry(RetryPolicy::none()).circuit_breaker(breaker).build().unwrap();
    for _ in 0..2 {
        assert_eq!(put(&s3).await.0.unwrap_err().kind(), ErrorKind::Service);
    }
    let (result, attempts) = put(&s3).await;
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::CircuitOpen, "{error}");
    assert_eq!(attempts, 0, "a call the breaker refuses sent nothing: no attempt");
    assert_eq!(server.requests.load(Ordering::SeqCst), 2, "the open circuit sent nothing");
}

#[tokio::test]
async fn a_404_keeps_the_circuit_closed() {
    let server = always("404 Not Found", "NoSuchKey");
    let breaker = livery_s3::BreakerPolicy { failure_threshold: 1, reset_after: Duration::from_secs(60) };
    let s3 = builder().endpoint(&server.endpoint).retry(RetryPolicy::none()).circuit_breaker(breaker).build().unwrap();
    for _ in 0..3 {
        assert_eq!(put(&s3).await.0.unwrap_err().code(), Some("NoSuchKey"));
    }
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn calls_spread_over_the_endpoints_and_a_failed_attempt_is_retried_on_another() {
    let failing = always("503 Service Unavailable", "ServiceUnavailable");
    let healthy = by_count(|_, _| OK);
    let s3 = builder().endpoints([&failing.endpoint, &healthy.endpoint]).retry(quick()).build().unwrap();
    for _ in 0..6 {
        let (result, attempts) = put(&s3).await;
        result.unwrap();
        assert!(attempts <= 2, "a retry went to the failing endpoint again ({attempts} attempts)");
    }
    assert!(failing.requests.load(Ordering::SeqCst) >= 1, "the first endpoint never got a call");
    assert_eq!(healthy.requests.load(Ordering::SeqCst), 6);
}

#[tokio::test]
async fn with_the_breaker_on_a_dead_endpoint_is_passed_over() {
    let failing = always("503 Service Unavailable", "ServiceUnavailable");
    let healthy = by_count(|_, _| OK);
    let breaker = livery_s3::BreakerPolicy { failure_threshold: 1, reset_after: Duration::from_secs(60) };
    let s3 = builder()
        .endpoints([&failing.endpoint, &healthy.endpoint])
        .retry(quick())
        .circuit_breaker(breaker)
        .build()
        .unwrap();
    for _ in 0..6 {
        put(&s3).await.0.unwrap();
    }
    assert_eq!(failing.requests.load(Ordering::SeqCst), 1, "the open endpoint got calls after its failure");
}

#[tokio::test]
async fn max_concurrency_keeps_the_requests_in_flight_under_the_cap() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (now, peak) = (in_flight.clone(), most.clone());
    let server = serve(move |stream, _| {
        peak.fetch_max(now.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(40));
        now.fetch_sub(1, Ordering::SeqCst);
        respond(stream, "200 OK", &[], b"");
    });
    let s3 = builder().endpoint(&server.endpoint).max_concurrency(2).build().unwrap();
    let calls: Vec<_> = (0..8).map(|_| put(&s3)).collect();
    for (result, _) in futures_join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(server.requests.load(Ordering::SeqCst), 8);
    assert_eq!(most.load(Ordering::SeqCst), 2, "in flight at once");
}

/// Runs the futures concurrently on this task.
async fn futures_join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (future, out) in futures.iter_mut().zip(done.iter_mut()) {
            if out.is_none() {
                if let std::task::Poll::Ready(value) = future.as_mut().poll(cx) {
                    *out = Some(value);
                }
            }
        }
        if done.iter().all(Option::is_some) {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    done.into_iter().map(Option::unwrap).collect()
}

/// An object of `len` bytes served in pieces: answer `n` (from 0) sends the bytes asked for
/// (all, or from a `Range: bytes=START-`) but stops after `cut_after[n]` of them and closes
/// the connection, its `Content-Length` still announcing them all. Records each request's
/// `range` and `if-match`.
/// Each request's `range` and `if-match` headers.
type RangeLog = Arc<Mutex<Vec<(Option<String>, Option<String>)>>>;

fn cutting_server(object: Arc<Vec<u8>>, cut_after: Vec<Option<usize>>, ignore_range: bool) -> (Canned, RangeLog) {
    use std::io::Write;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let answers = AtomicUsize::new(0);
    let server = serve(move |mut stream, request| {
        let n = answers.fetch_add(1, Ordering::SeqCst);
        let range = request.header("range").map(str::to_owned);
        log.lock().unwrap().push((range.clone(), request.header("if-match").map(str::to_owned)));
        let start = match (&range, ignore_range) {
            (Some(range), false) => range.trim_start_matches("bytes=").trim_end_matches('-').parse().unwrap(),
            _ => 0,
        };
        let body = &object[start..];
        let mut head = format!(
            "HTTP/1.1 {}\r\nContent-Length: {}\r\nETag: \"v1\"\r\nConnection: close\r\n",
            if start > 0 { "206 Partial Content" } else { "200 OK" },
            body.len()
        );
        if start > 0 {
            head.push_str(&format!("Content-Range: bytes {start}-{}/{}\r\n", object.len() - 1, object.len()));
        }
        head.push_str("\r\n");
        let _ = stream.write_all(head.as_bytes());
        let sent = cut_after.get(n).copied().flatten().unwrap_or(body.len()).min(body.len());
        let _ = stream.write_all(&body[..sent]);
        let _ = stream.flush();
    });
    (server, seen)
}

async fn download(s3: &S3Client) -> livery_s3::Result<Vec<u8>> {
    let mut object = s3.get_object(GetObjectInput::new("bucket", "k")).await?;
    let mut out = Vec::new();
    while let Some(chunk) = object.body.chunk().await? {
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

#[tokio::test]
async fn a_download_cut_off_twice_arrives_whole_from_ranged_gets_pinned_to_its_etag() {
    let object: Arc<Vec<u8>> = Arc::new((0..300_000u32).map(|i| (i % 253) as u8).collect());
    let (server, seen) = cutting_server(object.clone(), vec![Some(100_000), Some(80_000)], false);
    let s3 = client(&server, quick());
    assert_eq!(download(&s3).await.unwrap(), *object);
    let seen = seen.lock().unwrap().clone();
    let tail = |from: &str| (Some(format!("bytes={from}-")), Some("\"v1\"".to_owned()));
    assert_eq!(seen, [(None, None), tail("100000"), tail("180000")]);
}

#[tokio::test]
async fn a_download_is_not_resumed_past_the_attempts_or_from_a_server_that_ignores_range() {
    let object: Arc<Vec<u8>> = Arc::new(vec![7u8; 200_000]);
    let (server, seen) = cutting_server(object.clone(), vec![Some(50_000), Some(10), Some(10)], false);
    let error = download(&client(&server, quick())).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert_eq!(seen.lock().unwrap().len(), 3, "maxAttempts 3: two resumes");

    let (server, _) = cutting_server(object.clone(), vec![Some(50_000)], true);
    let error = download(&client(&server, quick())).await.unwrap_err();
    assert!(error.to_string().contains("did not resume it from byte 50000"), "{error}");

    let (server, seen) = cutting_server(object, vec![Some(50_000)], false);
    assert!(download(&client(&server, RetryPolicy::none())).await.is_err());
    assert_eq!(seen.lock().unwrap().len(), 1, "retries off: no resume");
}

#[tokio::test]
async fn an_object_that_changed_while_its_download_resumes_is_precondition_failed_not_a_mix() {
    use std::io::Write;
    let server = serve(|mut stream, request| {
        if request.header("if-match").is_some() {
            let xml = error_xml("PreconditionFailed", "");
            return respond(stream, "412 Precondition Failed", &[], xml.as_bytes());
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n";
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&[1u8; 400]);
    });
    let error = download(&client(&server, quick())).await.unwrap_err();
    assert_eq!(error.code(), Some("PreconditionFailed"), "{error}");
}

/// An object GET answered with `body` and a stored CRC32 of `checksum`.
fn summed(checksum: &'static str) -> Canned {
    by_count(move |_, _| {
        (
            "200 OK",
            vec![("x-amz-checksum-crc32", checksum.to_owned()), ("etag", "\"e\"".to_owned())],
            "hello".to_owned(),
        )
    })
}

#[tokio::test]
async fn checksum_mode_checks_the_body_as_it_streams_and_fails_at_its_end_on_a_mismatch() {
    let mut input = GetObjectInput::new("bucket", "k");
    input.checksum_mode = Some("ENABLED".into());
    // CRC-32 of "hello" is 0x3610a686.
    let right = summed("NhCmhg==");
    let s3 = builder().endpoint(&right.endpoint).build().unwrap();
    let object = s3.get_object(input.clone()).await.unwrap();
    assert_eq!(object.info.checksum_crc32.as_deref(), Some("NhCmhg=="));
    assert_eq!(object.body.bytes().await.unwrap().as_ref(), b"hello");

    let wrong = summed("AAAAAA==");
    let s3 = builder().endpoint(&wrong.endpoint).build().unwrap();
    let error = s3.get_object(input.clone()).await.unwrap().body.bytes().await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidResponse"));
    assert!(error.to_string().contains("x-amz-checksum-crc32"), "{error}");
    // Without checksum_mode nothing is checked.
    input.checksum_mode = None;
    assert_eq!(s3.get_object(input).await.unwrap().body.bytes().await.unwrap().as_ref(), b"hello");
}
