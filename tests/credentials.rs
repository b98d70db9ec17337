//! Credential providers over the wire, natively: web identity against moto's real STS and
//! then S3 with the session credentials, anonymous reads of a public object, an `ExpiredToken`
//! answer refreshed once, IMDS and container endpoints (small servers the tests start: nothing
//! real exists off EC2 and ECS), and the default chain.
#![cfg(feature = "native")]

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::canned::{respond, serve};
use common::{Kind, Server};
use livery_s3::credentials::{
    ContainerCredentials, CredentialsFn, DefaultChain, ImdsCredentials, ImdsVersion, ProvideCredentials, StsAnswer,
    StsCredentials, TokenSource, Vars, WebIdentity,
};
use livery_s3::operations::catalog::*;
use livery_s3::transport::native::NativeTransport;
use livery_s3::transport::Transport;
use livery_s3::{Credentials, ErrorKind, S3Client};

fn vars(pairs: &[(&str, &str)]) -> Vars {
    let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Arc::new(move |name| map.get(name).cloned())
}

fn transport() -> Arc<dyn Transport> {
    Arc::new(NativeTransport::new().unwrap())
}

const ROLE: &str = "arn:aws:iam::123456789012:role/livery-test";

#[tokio::test]
async fn web_identity_credentials_from_moto_sts_sign_s3_calls() {
    let moto = Server::start(Kind::Moto);
    let tokens_asked = Arc::new(AtomicUsize::new(0));
    let asked = tokens_asked.clone();
    let token = TokenSource::Fn(Box::new(move || {
        asked.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok("eyJhbGciOiJub25lIn0.eyJzdWIiOiJsaXZlcnkifQ.".to_owned()) })
    }));
    let mut web_identity = WebIdentity::new(ROLE, token);
    web_identity.sts_endpoint = Some(moto.endpoint.clone());
    web_identity.role_session_name = Some("livery-session".into());
    // Each request's session token and signing key id.
    let tokens_sent = Arc::new(Mutex::new(Vec::new()));
    let record = tokens_sent.clone();
    let recorder = common::Inspecting::new(move |request| {
        let header = |name: &str| request.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let key =
            header("authorization").and_then(|a| Some(a.split("Credential=").nth(1)?.split('/').next()?.to_owned()));
        record.lock().unwrap().push((header("x-amz-security-token"), key));
        None
    });
    let s3 = S3Client::builder()
        .region("us-east-1")
        .endpoint(&moto.endpoint)
        .transport(recorder)
        .web_identity(web_identity)
        .build()
        .unwrap();

    s3.create_bucket(CreateBucketInput::new("sts-bucket")).await.unwrap();
    s3.put_object(PutObjectInput::new("sts-bucket", "k", "signed with a session")).await.unwrap();
    let got = s3.get_object(GetObjectInput::new("sts-bucket", "k")).await.unwrap();
    assert_eq!(common::read_body(got.body).await, b"signed with a session");
    assert_eq!(tokens_asked.load(Ordering::SeqCst), 1, "the STS credentials are cached across calls");
    // moto checks no signature: what reached S3 is checked here. The STS call itself is
    // unsigned; every S3 call carries moto's session token and its temporary key id.
    let sent: Vec<(Option<String>, Option<String>)> = tokens_sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 4, "{sent:?}");
    assert_eq!(sent[0], (None, None), "the STS call");
    for (token, key) in &sent[1..] {
        assert!(token.as_deref().is_some_and(|t| t.len() > 20), "{sent:?}");
        assert!(key.as_deref().is_some_and(|k| k.starts_with("ASIA")), "{sent:?}");
    }
}

#[tokio::test]
async fn an_sts_refusal_is_a_credentials_error_with_the_sts_code_and_request_id() {
    let sts = serve(|stream, request| {
        let body = String::from_utf8_lossy(&request.body).into_owned();
        assert!(body.contains("Action=AssumeRoleWithWebIdentity") && body.contains("WebIdentityToken=bad%2Btoken"));
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>\
                   <Message>Couldn't retrieve verification key</Message></Error><RequestId>sts-req-7</RequestId></ErrorResponse>";
        respond(stream, "400 Bad Request", &[], xml.as_bytes());
    });
    let mut web_identity = WebIdentity::new(ROLE, TokenSource::Fixed("bad+token".into()));
    web_identity.sts_endpoint = Some(sts.endpoint.clone());
    let s3 = S3Client::builder().region("us-east-1").endpoint("http://127.0.0.1:9").web_identity(web_identity);
    let error = s3.build().unwrap().list_buckets().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert_eq!(error.code(), Some("InvalidIdentityToken"));
    assert_eq!(error.answer().and_then(|a| a.request_id.as_deref()), Some("sts-req-7"));
}

#[tokio::test]
async fn anonymous_clients_read_public_objects_and_are_refused_private_ones() {
    let moto = Server::start(Kind::Moto);
    let owner = moto.client();
    owner.create_bucket(CreateBucketInput::new("public")).await.unwrap();
    let mut public = PutObjectInput::new("public", "open.txt", "for everyone");
    public.headers.acl = Some("public-read".into());
    owner.put_object(public).await.unwrap();
    owner.put_object(PutObjectInput::new("public", "closed.txt", "owner only")).await.unwrap();

    let anonymous = S3Client::builder().region("us-east-1").endpoint(&moto.endpoint).anonymous().build().unwrap();
    let got = anonymous.get_object(GetObjectInput::new("public", "open.txt")).await.unwrap();
    assert_eq!(common::read_body(got.body).await, b"for everyone");
    let refused = anonymous.get_object(GetObjectInput::new("public", "closed.txt")).await.unwrap_err();
    assert_eq!(refused.status(), Some(403), "{refused}");
    let presign = anonymous
        .presign(livery_s3::PresignInput::new(livery_s3::http::Method::Get, "public", "open.txt"))
        .await
        .unwrap_err();
    assert_eq!(presign.kind(), ErrorKind::Credentials);
}

#[tokio::test]
async fn expired_token_refreshes_the_credentials_once_and_retries() {
    let authorizations = Arc::new(Mutex::new(Vec::new()));
    let seen = authorizations.clone();
    let server = serve(move |stream, request| {
        let authorization = request.header("authorization").unwrap_or_default().to_owned();
        seen.lock().unwrap().push(authorization.clone());
        if authorization.contains("Credential=AKIDFIRST/") {
            let xml = "<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>";
            respond(stream, "400 Bad Request", &[], xml.as_bytes());
        } else {
            respond(stream, "200 OK", &[("etag", "\"e\"")], b"");
        }
    });
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let provider = CredentialsFn(move || {
        let n = counted.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            let id = if n == 0 { "AKIDFIRST" } else { "AKIDSECOND" };
            Ok(Credentials::new(id, "secret").with_session_token(format!("token-{n}")))
        }) as livery_s3::platform::BoxFuture<'static, _>
    });
    let s3 = S3Client::builder()
        .region("us-east-1")
        .endpoint(&server.endpoint)
        .credentials_provider(provider)
        .build()
        .unwrap();
    s3.put_object(PutObjectInput::new("bucket", "k", "x")).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one refresh");
    let sent = authorizations.lock().unwrap().clone();
    assert_eq!(sent.len(), 2, "one retry: {sent:?}");
    assert!(sent[1].contains("Credential=AKIDSECOND/"));
    // Static credentials cannot be refreshed: the ExpiredToken is the answer, not a loop.
    let fixed = S3Client::builder()
        .region("us-east-1")
        .endpoint(&server.endpoint)
        .credentials(Credentials::new("AKIDFIRST", "secret"))
        .build()
        .unwrap();
    let error = fixed.put_object(PutObjectInput::new("bucket", "k", "x")).await.unwrap_err();
    assert_eq!(error.code(), Some("ExpiredToken"));
    assert_eq!(authorizations.lock().unwrap().len(), 3);
}

/// A fake instance metadata service: IMDSv2 tokens (each PUT gives a new one; `expire_first`
/// makes the first token answer 401 once), one role, and its credentials.
fn imds(role: Option<&'static str>, expire_first: bool) -> (common::canned::Canned, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let tokens = Arc::new(AtomicUsize::new(0));
    let server = serve(move |stream, request| {
        let line = request.head.lines().next().unwrap_or_default().to_owned();
        let token = request.header("x-aws-ec2-metadata-token").unwrap_or("-").to_owned();
        seen.lock().unwrap().push(format!("{line} token={token}"));
        if line.starts_with("PUT /latest/api/token") {
            assert_eq!(request.header("x-aws-ec2-metadata-token-ttl-seconds"), Some("21600"));
            let n = tokens.fetch_add(1, Ordering::SeqCst);
            return respond(stream, "200 OK", &[], format!("token-{n}").as_bytes());
        }
        if token == "-" || (expire_first && token == "token-0") {
            return respond(stream, "401 Unauthorized", &[], b"");
        }
        match (line.split(' ').nth(1).unwrap_or_default(), role) {
            ("/latest/meta-data/iam/security-credentials/", Some(role)) => {
                respond(stream, "200 OK", &[], format!("{role}\n").as_bytes())
            }
            (path, Some(role)) if path.ends_with(role) => respond(
                stream,
                "200 OK",
                &[],
                br#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2099-01-01T00:00:00Z"}"#,
            ),
            _ => respond(stream, "404 Not Found", &[], b""),
        }
    });
    (server, log)
}

#[tokio::test]
async fn imds_v2_takes_a_token_then_the_role_and_its_credentials() {
    let (server, log) = imds(Some("web-role"), false);
    let provider = ImdsCredentials::new(&vars(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint)]), transport());
    let c = provider.provide().await.unwrap();
    assert_eq!(c.access_key_id(), "ASIAIMDS");
    assert_eq!(c.expiration().unwrap().to_iso8601(), "2099-01-01T00:00:00.000Z");
    provider.provide().await.unwrap();
    let log = log.lock().unwrap().clone();
    assert_eq!(log.iter().filter(|l| l.starts_with("PUT")).count(), 1, "the token is reused: {log:?}");
    assert!(log.iter().skip(1).all(|l| l.ends_with("token=token-0")), "{log:?}");
}

#[tokio::test]
async fn an_imds_token_refused_as_expired_is_replaced_once() {
    let (server, log) = imds(Some("web-role"), true);
    let provider = ImdsCredentials::new(&vars(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint)]), transport());
    assert_eq!(provider.provide().await.unwrap().access_key_id(), "ASIAIMDS");
    let puts = log.lock().unwrap().iter().filter(|l| l.starts_with("PUT")).count();
    assert_eq!(puts, 2);
}

#[tokio::test]
async fn imds_without_a_role_or_an_answer_or_allowed_is_a_clear_credentials_error() {
    let (server, _) = imds(None, false);
    let endpoint = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.endpoint.as_str())];
    let error = ImdsCredentials::new(&vars(&endpoint), transport()).provide().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert!(error.to_string().contains("no IAM role"), "{error}");

    // A service that accepts connections and never answers: the provider's timeout ends it.
    let silent = serve(|stream, _| {
        std::thread::sleep(Duration::from_secs(3));
        drop(stream);
    });
    let endpoint = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent.endpoint.as_str())];
    let started = std::time::Instant::now();
    let provider = ImdsCredentials::new(&vars(&endpoint), transport()).timeout(Duration::from_millis(200));
    let error = provider.provide().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "{error}");
    assert_eq!(error.kind(), ErrorKind::Credentials);

    let disabled =
        vars(&[("AWS_EC2_METADATA_DISABLED", "true"), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &silent.endpoint)]);
    let error = ImdsCredentials::new(&disabled, transport()).provide().await.unwrap_err();
    assert!(error.to_string().contains("disabled"), "{error}");
}

#[tokio::test]
async fn imds_v1_is_used_only_when_asked_for() {
    // A service without IMDSv2: the token PUT answers 403, and calls without a token work.
    let v1 = serve(|stream, request| {
        let line = request.head.lines().next().unwrap_or_default().to_owned();
        match line.split(' ').nth(1).unwrap_or_default() {
            _ if line.starts_with("PUT") => respond(stream, "403 Forbidden", &[], b""),
            "/latest/meta-data/iam/security-credentials/" => respond(stream, "200 OK", &[], b"old-role"),
            _ => respond(stream, "200 OK", &[], br#"{"AccessKeyId":"ASIAV1","SecretAccessKey":"s","Token":"t"}"#),
        }
    });
    let endpoint = vars(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &v1.endpoint)]);
    let error = ImdsCredentials::new(&endpoint, transport()).provide().await.unwrap_err();
    assert!(error.to_string().contains("HTTP 403"), "{error}");
    let allowed = ImdsCredentials::new(&endpoint, transport()).version(ImdsVersion::V2OrV1);
    let before = v1.requests.load(Ordering::SeqCst);
    assert_eq!(allowed.provide().await.unwrap().access_key_id(), "ASIAV1");
    assert_eq!(allowed.provide().await.unwrap().access_key_id(), "ASIAV1");
    // One refused token PUT, then two GETs per refresh: the refusal is remembered, not asked again.
    assert_eq!(v1.requests.load(Ordering::SeqCst) - before, 5);
}

#[tokio::test]
async fn container_credentials_send_the_authorization_token_from_env_or_file() {
    let server = serve(|stream, request| {
        let answer: &[u8] = match request.header("authorization") {
            Some("Bearer pod-token") => {
                br#"{"AccessKeyId":"ASIAPOD","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#
            }
            _ => b"",
        };
        let status = if answer.is_empty() { "401 Unauthorized" } else { "200 OK" };
        respond(stream, status, &[], answer);
    });
    let url = format!("{}/v2/credentials", server.endpoint);
    let with_env = vars(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer pod-token"),
    ]);
    let c = ContainerCredentials::new(with_env, transport()).provide().await.unwrap();
    assert_eq!(c.access_key_id(), "ASIAPOD");

    let file = std::env::temp_dir().join(format!("livery-pod-token-{}", std::process::id()));
    std::fs::write(&file, "Bearer pod-token\n").unwrap();
    let with_file = vars(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.to_str().unwrap()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong"),
    ]);
    assert_eq!(ContainerCredentials::new(with_file, transport()).provide().await.unwrap().access_key_id(), "ASIAPOD");
    std::fs::remove_file(&file).unwrap();

    let without = vars(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)]);
    let error = ContainerCredentials::new(without, transport()).provide().await.unwrap_err();
    assert!(error.to_string().contains("HTTP 401"), "{error}");

    // The token goes nowhere but https or a container agent's / loopback address.
    let foreign = vars(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://attacker.example/creds")]);
    let error = ContainerCredentials::new(foreign, transport()).provide().await.unwrap_err();
    assert!(error.to_string().contains("attacker.example"), "{error}");
    for (variable, value) in [
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://localhost:80@attacker.example/creds"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1\\@attacker.example/creds"),
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "@attacker.example/creds"),
    ] {
        let error = ContainerCredentials::new(vars(&[(variable, value)]), transport()).provide().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Credentials, "{value}: {error}");
    }
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);

    // Any loopback address, and scheme and host in any case, as the SDKs read them.
    let upper = url.replacen("http://", "HTTP://", 1);
    let with_env = vars(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &upper),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer pod-token"),
    ]);
    assert_eq!(ContainerCredentials::new(with_env, transport()).provide().await.unwrap().access_key_id(), "ASIAPOD");
    let other_loopback = url.replacen("127.0.0.1", "127.0.0.2", 1);
    let provider =
        ContainerCredentials::new(vars(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &other_loopback)]), transport());
    let error = provider.timeout(Duration::from_millis(500)).provide().await.unwrap_err();
    assert!(!error.to_string().contains("trusted"), "127.0.0.2 is loopback, tried, not refused: {error}");
}

#[tokio::test]
async fn container_errors_name_the_endpoint_but_not_its_path() {
    // ECS's relative URI works as a bearer key: it must not reach logs through an error.
    let relative = vars(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/0b7e-secret-guid")]);
    let provider = ContainerCredentials::new(relative, transport()).timeout(Duration::from_millis(200));
    let error = provider.provide().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert!(error.to_string().contains("169.254.170.2"), "{error}");
    assert!(!error.to_string().contains("secret-guid"), "{error}");
    let refusing = serve(|stream, _| respond(stream, "403 Forbidden", &[], b""));
    let full = format!("{}/creds?token=query-secret", refusing.endpoint);
    let provider = ContainerCredentials::new(vars(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full)]), transport());
    let error = provider.provide().await.unwrap_err();
    assert!(error.to_string().contains("HTTP 403") && error.to_string().contains(&refusing.endpoint), "{error}");
    assert!(!error.to_string().contains("query-secret"), "{error}");
    // An answer whose body stalls: the timeout's message names no path either.
    let stalling = serve(|mut stream, _| {
        use std::io::Write;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{");
        std::thread::sleep(Duration::from_secs(2));
    });
    let full = format!("{}/v2/credentials/0b7e-secret-guid", stalling.endpoint);
    let provider = ContainerCredentials::new(vars(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full)]), transport());
    let error = provider.timeout(Duration::from_millis(300)).provide().await.unwrap_err();
    assert!(error.to_string().contains(&stalling.endpoint), "{error}");
    assert!(!error.to_string().contains("secret-guid"), "{error}");
}

#[tokio::test]
async fn the_default_chain_takes_the_first_configured_source_and_names_every_step_otherwise() {
    let from_env = DefaultChain::with_vars(
        vars(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_PROFILE", "absent")]),
        transport(),
        "us-east-1",
    );
    assert_eq!(from_env.provide().await.unwrap().access_key_id(), "AKIDENV");

    let (server, _) = imds(Some("chain-role"), false);
    let home = std::env::temp_dir().join(format!("livery-empty-home-{}", std::process::id()));
    let nothing_but_imds =
        vars(&[("HOME", home.to_str().unwrap()), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint)]);
    let chain = DefaultChain::with_vars(nothing_but_imds, transport(), "us-east-1");
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "ASIAIMDS");

    let nothing = vars(&[("HOME", home.to_str().unwrap()), ("AWS_EC2_METADATA_DISABLED", "true")]);
    let error = DefaultChain::with_vars(nothing, transport(), "us-east-1").provide().await.unwrap_err();
    let message = error.to_string();
    for step in ["environment", "web identity", "profile", "container", "IMDS"] {
        assert!(message.contains(step), "{step} missing from: {message}");
    }

    // A profile named by AWS_PROFILE that is not there ends the chain too.
    let named = vars(&[
        ("HOME", home.to_str().unwrap()),
        ("AWS_PROFILE", "prod"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint),
    ]);
    let error = DefaultChain::with_vars(named, transport(), "us-east-1").provide().await.unwrap_err();
    assert!(error.to_string().starts_with("credentials: profile:"), "{error}");

    // Configured but broken ends the chain: no fall-through to another identity.
    let broken = vars(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint)]);
    let error = DefaultChain::with_vars(broken, transport(), "us-east-1").provide().await.unwrap_err();
    assert!(error.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{error}");

    // A config file that only sets a region (as `aws configure set region` writes one, in many
    // base images) holds no credentials: the chain goes on to the instance's.
    let region_only = std::env::temp_dir().join(format!("livery-region-only-{}", std::process::id()));
    std::fs::write(&region_only, "[default]\nregion = eu-west-1\n").unwrap();
    let only_a_region = vars(&[
        ("HOME", home.to_str().unwrap()),
        ("AWS_CONFIG_FILE", region_only.to_str().unwrap()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint),
    ]);
    let chain = DefaultChain::with_vars(only_a_region, transport(), "us-east-1");
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "ASIAIMDS");
    // So does a profile named by AWS_PROFILE that sets only a region: it is there, and holds
    // no credentials (the SDKs go on too); only a profile that is not there at all is fatal.
    std::fs::write(&region_only, "[profile prod]\nregion = eu-west-1\n").unwrap();
    let named_region_only = vars(&[
        ("HOME", home.to_str().unwrap()),
        ("AWS_PROFILE", "prod"),
        ("AWS_CONFIG_FILE", region_only.to_str().unwrap()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint),
    ]);
    let chain = DefaultChain::with_vars(named_region_only, transport(), "us-east-1");
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "ASIAIMDS");
    let _ = std::fs::remove_file(region_only);
}

#[tokio::test]
async fn the_default_chain_reuses_its_imds_session_token_across_refreshes() {
    let (server, log) = imds(Some("chain-role"), false);
    let home = std::env::temp_dir().join(format!("livery-empty-home-{}", std::process::id()));
    let chain = DefaultChain::with_vars(
        vars(&[("HOME", home.to_str().unwrap()), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint)]),
        transport(),
        "us-east-1",
    );
    for _ in 0..3 {
        assert_eq!(chain.provide().await.unwrap().access_key_id(), "ASIAIMDS");
    }
    let log = log.lock().unwrap().clone();
    assert_eq!(log.iter().filter(|line| line.starts_with("PUT")).count(), 1, "one token for every refresh: {log:?}");
}

#[test]
fn no_provider_shows_a_secret_in_debug_or_errors() {
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET";
    let token = "FQoGZXIvYXdzEBYaDSESSIONTOKEN";
    let c = Credentials::new("AKIDSWEEP", secret).with_session_token(token);
    let client = S3Client::builder().region("us-east-1").credentials(c.clone()).build().unwrap();
    let web = WebIdentity::new(ROLE, TokenSource::Fixed(token.into()));
    let sts = StsAnswer {
        credentials: Some(StsCredentials {
            access_key_id: Some("ASIASWEEP".into()),
            secret_access_key: Some(secret.into()),
            session_token: Some(token.into()),
            expiration: None,
        }),
        ..Default::default()
    };
    let request = livery_s3::http::HttpRequest {
        method: livery_s3::http::Method::Post,
        url: "https://sts.example.com/".into(),
        headers: vec![("x-aws-ec2-metadata-token".into(), token.into())],
        body: format!("Action=AssumeRoleWithWebIdentity&WebIdentityToken={token}").into(),
    };
    for shown in
        [format!("{c:?}"), format!("{client:?}"), format!("{web:?}"), format!("{sts:?}"), format!("{request:?}")]
    {
        assert!(!shown.contains(secret) && !shown.contains(token) && !shown.contains("SECRET"), "{shown}");
    }
}
