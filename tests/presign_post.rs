//! Presigned POST uploads on Garage, which checks the policy's signature and enforces its
//! conditions (S3-SERVERS.md): a form within the policy is stored; a body over
//! `content-length-range`, a key outside the prefix or a tampered field is refused.
#![cfg(feature = "native")]

mod common;

use common::{Kind, Server};
use livery_s3::client::{PostMatch, PresignPostInput, PresignedPost};
use livery_s3::operations::catalog::*;
use livery_s3::ErrorKind;

/// Posts a multipart form: the presigned fields (with `changes` applied), then the file.
async fn post(form: &PresignedPost, changes: &[(&str, &str)], file: &[u8]) -> reqwest::Result<u16> {
    let boundary = "livery-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in &form.fields {
        let value = changes.iter().find(|(n, _)| n == name).map_or(value.as_str(), |(_, v)| v);
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let answer = reqwest::Client::new()
        .post(&form.url)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await?;
    Ok(answer.status().as_u16())
}

#[tokio::test]
async fn a_form_within_the_policy_is_stored_and_one_outside_it_is_refused() {
    let garage = Server::start(Kind::Garage);
    let s3 = garage.client();
    let bucket = common::bucket_name("post");
    s3.create_bucket(CreateBucketInput::new(bucket.clone())).await.unwrap();
    let mut input = PresignPostInput::new(bucket.clone(), PostMatch::StartsWith("uploads/user-42/".into()));
    input.content_length_range = Some((1, 1000));
    input.content_type = Some(PostMatch::StartsWith("image/".into()));
    input.fields.push(("success_action_status".into(), "201".into()));
    input.conditions.push(("Content-Type".into(), PostMatch::StartsWith("image/".into())));
    let form = s3.presign_post(input).await.unwrap();
    let field = |name: &str| form.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    assert_eq!(field("key").as_deref(), Some("uploads/user-42/${filename}"));
    assert!(field("x-amz-signature").is_some() && field("policy").is_some());

    let mut fields = form.clone();
    fields.fields.push(("Content-Type".into(), "image/jpeg".into()));
    assert_eq!(post(&fields, &[], b"a small photo").await.unwrap(), 201);
    let stored = s3.get_object(GetObjectInput::new(bucket.as_str(), "uploads/user-42/photo.jpg")).await.unwrap();
    assert_eq!(common::read_body(stored.body).await, b"a small photo");

    // Over the size cap: Garage cuts the connection mid-body, or refuses it.
    let refused = post(&fields, &[], &vec![0u8; 4000]).await;
    assert!(refused.map_or(true, |status| status >= 400), "an oversized body was accepted");
    // A key outside the prefix, or a content type the policy does not allow: refused.
    assert!(post(&fields, &[("key", "elsewhere/photo.jpg")], b"x").await.unwrap() >= 400);
    assert!(post(&fields, &[("Content-Type", "text/html")], b"x").await.unwrap() >= 400);
    // And a form whose signature does not match its policy.
    assert!(post(&fields, &[("x-amz-signature", &"0".repeat(64))], b"x").await.unwrap() >= 400);
    let listing = s3.list_objects(ListObjectsInput::new(bucket.as_str())).await.unwrap();
    assert_eq!(listing.contents.len(), 1, "only the form within the policy was stored");
}

#[tokio::test]
async fn bad_post_policies_are_refused_before_signing() {
    let s3 = common::offline_client();
    let mut input = PresignPostInput::new("photos", PostMatch::Exact("a.jpg".into()));
    input.content_length_range = Some((10, 1));
    assert_eq!(s3.presign_post(input).await.unwrap_err().kind(), ErrorKind::Validation);
    let mut input = PresignPostInput::new("photos", PostMatch::Exact("a.jpg".into()));
    input.fields.push(("Policy".into(), "mine".into()));
    assert_eq!(s3.presign_post(input).await.unwrap_err().kind(), ErrorKind::Validation);
    let anonymous = livery_s3::S3Client::builder().region("us-east-1").anonymous().build().unwrap();
    let input = PresignPostInput::new("photos", PostMatch::Exact("a.jpg".into()));
    assert_eq!(anonymous.presign_post(input).await.unwrap_err().kind(), ErrorKind::Credentials);
}
