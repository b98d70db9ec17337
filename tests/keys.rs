//! Awkward keys round-trip exactly: put -> list -> get -> presign -> copy -> delete, through the
//! Rust API, on s3s-fs (which recomputes every signature from the encoded path) and on moto.
#![cfg(feature = "native")]

mod common;

use common::{read_body, Kind, Server};
use livery_s3::http::Method;
use livery_s3::operations::catalog::*;
use livery_s3::{ErrorKind, PresignInput};

/// Keys that a file-system-backed server (s3s-fs) cannot store as given: empty path segments
/// and a trailing slash mean nothing to a file system, and it answers 500 for a 1 KB key
/// (its temporary file names grow with the key). moto stores them exactly.
fn fs_safe(key: &str) -> bool {
    !key.contains("//") && !key.starts_with('/') && !key.ends_with('/') && !key.contains('\\') && key.len() < 512
}

fn awkward_keys() -> Vec<String> {
    let mut keys: Vec<String> = [
        "plain",
        "with space",
        "two  spaces",
        "plus+sign",
        "a+b+c",
        "equals=sign",
        "k=v&x=y",
        "percent%",
        "percent%20literal",
        "percent%2Fslash",
        "%2E%2E",
        "question?mark",
        "hash#tag",
        "amp&ersand",
        "semi;colon",
        "colon:name",
        "comma,name",
        "at@sign",
        "dollar$sign",
        "bang!",
        "star*",
        "quote'single",
        "quote\"double",
        "paren(s)",
        "bracket[s]",
        "brace{s}",
        "caret^",
        "backtick`",
        "pipe|",
        "tilde~",
        "under_score",
        "dash-name",
        "dot.name",
        "..leading-dots",
        "trailing-dots..",
        "a./b",
        "a/.b/c",
        "unicode/ünïcödé",
        "emoji/😀🎉",
        "cjk/日本語のキー",
        "rtl/שלום",
        "combining/e\u{301}",
        "nbsp\u{a0}here",
        "tab\there",
        "lt<gt>",
        "nested//double",
        "trailing/slash/",
        "/leading-slash",
        "x//y//z",
        "back\\slash",
        "mixed +=%?#&;:@ é/ok",
    ]
    .map(String::from)
    .to_vec();
    keys.push(format!("{}end", "abcdefghi/".repeat(100))); // 1003 bytes
    keys
}

async fn round_trip_every_key(kind: Kind) {
    let server = Server::start(kind);
    let s3 = server.client();
    let bucket = common::bucket_name("keys");
    s3.create_bucket(CreateBucketInput::new(&bucket)).await.unwrap();
    let keys: Vec<String> = awkward_keys().into_iter().filter(|k| kind == Kind::Moto || fs_safe(k)).collect();
    assert!(keys.len() >= 40, "only {} keys", keys.len());

    for key in &keys {
        let body = format!("body of {key}");
        s3.put_object(PutObjectInput::new(&bucket, key, body.clone()))
            .await
            .unwrap_or_else(|e| panic!("put {key:?}: {e}"));

        let mut list = ListObjectsInput::new(&bucket);
        list.prefix = Some(key.clone());
        // s3s-fs echoes encoding-type=url without encoding; moto encodes as S3 does.
        list.encoding_type = (kind == Kind::S3sFs).then(|| "none".into());
        let listed = s3.list_objects(list).await.unwrap_or_else(|e| panic!("list {key:?}: {e}"));
        assert!(listed.contents.iter().any(|o| &o.key == key), "{key:?} not listed: {:?}", listed.contents);

        let got = s3.get_object(GetObjectInput::new(&bucket, key)).await.unwrap_or_else(|e| panic!("get {key:?}: {e}"));
        assert_eq!(read_body(got.body).await, body.as_bytes(), "get {key:?}");

        let url = s3.presign(PresignInput::new(Method::Get, &bucket, key)).await.unwrap();
        assert_eq!(common::fetch(&url).await, (200, body.clone().into_bytes()), "presigned {key:?}: {url}");

        let copy_key = format!("{key}.copy");
        let copy = CopyObjectInput {
            bucket: bucket.clone(),
            key: copy_key.clone(),
            source: CopySource { source_bucket: bucket.clone(), source_key: key.clone(), ..Default::default() },
            ..Default::default()
        };
        s3.copy_object(copy).await.unwrap_or_else(|e| panic!("copy {key:?}: {e}"));
        let copied = s3.get_object(GetObjectInput::new(&bucket, &copy_key)).await.unwrap();
        assert_eq!(read_body(copied.body).await, body.as_bytes(), "copy of {key:?}");

        for k in [key, &copy_key] {
            s3.delete_object(DeleteObjectInput { bucket: bucket.clone(), key: k.clone(), version_id: None })
                .await
                .unwrap();
            let head = HeadObjectInput { bucket: bucket.clone(), key: k.clone(), ..Default::default() };
            assert_eq!(s3.head_object(head).await.unwrap_err().status(), Some(404), "{k:?} still there");
        }
    }
}

#[tokio::test]
async fn awkward_keys_on_a_signature_checking_server() {
    round_trip_every_key(Kind::S3sFs).await;
}

#[tokio::test]
async fn awkward_keys_on_moto_with_url_encoded_listings() {
    round_trip_every_key(Kind::Moto).await;
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let server = Server::start(Kind::S3sFs);
    let s3 = server.client();
    for key in [".", "..", "a/./b", "a/../b", "./a", "a/.."] {
        let err = s3.put_object(PutObjectInput::new("any-bucket", key, "x")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{key}");
        assert!(err.to_string().contains("segment"), "{err}");
    }
}
