//! Presigned POST uploads: a policy the server signs, and the form fields a browser posts with
//! the file (a plain HTML form or `FormData`). Unlike a presigned PUT, the policy can cap the
//! upload's size (`content-length-range`) and constrain its key and content type.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html>
//! (R2 does not implement POST Object.)

use super::{Location, S3Client};
use crate::body::Body;
use crate::encoding::base64;
use crate::error::{Error, Result};
use crate::http::Method;
use crate::operations::S3Request;
use crate::sigv4::post_policy;
use crate::time::Timestamp;

/// How a posted field must match: exactly, or by its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostMatch {
    Exact(String),
    StartsWith(String),
}

/// What a presigned POST allows.
#[derive(Debug, Clone)]
pub struct PresignPostInput {
    pub bucket: String,
    /// The object key: exact (not empty), or a folder ending in `/` (the form's `key` is then
    /// `prefix${filename}`, which S3 fills in with the uploaded file's name; the browser may also
    /// set it under the prefix).
    pub key: PostMatch,
    /// Seconds the policy lives, 1 to 604800 (900 by default).
    pub expires_in: Option<u32>,
    /// The smallest and largest body, in bytes.
    pub content_length_range: Option<(u64, u64)>,
    pub content_type: Option<PostMatch>,
    /// Further form fields the browser posts as they are (`acl`, `x-amz-meta-*`,
    /// `success_action_status`, …): each is in the form and required exactly by the policy.
    pub fields: Vec<(String, String)>,
    /// Further conditions on fields the browser chooses (`x-amz-meta-tag` starting with …).
    pub conditions: Vec<(String, PostMatch)>,
    /// Signs as of this instant instead of now (tests).
    pub signing_date: Option<Timestamp>,
}

impl PresignPostInput {
    pub fn new(bucket: impl Into<String>, key: PostMatch) -> Self {
        PresignPostInput {
            bucket: bucket.into(),
            key,
            expires_in: None,
            content_length_range: None,
            content_type: None,
            fields: Vec::new(),
            conditions: Vec::new(),
            signing_date: None,
        }
    }
}

/// Where to post, and the fields to post before the file (the file goes last, as `file`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedPost {
    pub url: String,
    pub fields: Vec<(String, String)>,
}

impl S3Client {
    /// Signs a POST policy (see the module documentation).
    pub async fn presign_post(&self, input: PresignPostInput) -> Result<PresignedPost> {
        let expires_in = input.expires_in.unwrap_or(900);
        if !(1..=604_800).contains(&expires_in) {
            return Err(Error::validation("expiresIn must be 1 s to 7 days"));
        }
        if let Some((min, max)) = input.content_length_range {
            if min > max {
                return Err(Error::validation("the content-length range must be (min, max) with min <= max"));
            }
        }
        crate::validate::bucket_name(&input.bucket)?;
        match &input.key {
            PostMatch::Exact(key) if key.is_empty() => return Err(Error::validation("key must not be empty")),
            // A folder: `users/4` would take in `users/42/…` too, and an empty prefix every key.
            PostMatch::StartsWith(prefix) if !prefix.ends_with('/') => {
                return Err(Error::validation("keyPrefix must be a folder, ending with \"/\""));
            }
            _ => {}
        }
        let Some(provider) = &self.inner.credentials else {
            return Err(Error::Credentials("presigning needs credentials: this client is anonymous".into()));
        };
        let credentials = crate::validate::credentials(provider.provide().await?)?;
        let request = S3Request {
            method: Method::Post,
            bucket: Some(input.bucket.clone()),
            key: None,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            content_md5: false,
        };
        let (location, region): (Location, String) = self.target(&request, 0);
        let now = input.signing_date.unwrap_or_else(|| self.now());
        let scope = self.scope(&region, now);
        let signing = credentials.for_signing();
        let credential = [signing.access_key_id, "/", &scope.credential_scope()].concat();

        // The form's fields, each also a condition of the policy.
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut conditions = vec![exact("bucket", &input.bucket)];
        let (key_field, key_condition) = match &input.key {
            PostMatch::Exact(key) => (key.clone(), exact("key", key)),
            PostMatch::StartsWith(prefix) => ([prefix, "${filename}"].concat(), starts_with("key", prefix)),
        };
        fields.push(("key".into(), key_field));
        conditions.push(key_condition);
        if let Some(content_type) = &input.content_type {
            match content_type {
                PostMatch::Exact(value) => {
                    fields.push(("Content-Type".into(), value.clone()));
                    conditions.push(exact("Content-Type", value));
                }
                PostMatch::StartsWith(prefix) => conditions.push(starts_with("Content-Type", prefix)),
            }
        }
        for (name, value) in &input.fields {
            if is_signer_field(name) {
                return Err(Error::validation(format!("the {name} field is the signer's; it cannot be given")));
            }
            fields.push((name.clone(), value.clone()));
            conditions.push(exact(name, value));
        }
        for (name, rule) in &input.conditions {
            conditions.push(match rule {
                PostMatch::Exact(value) => exact(name, value),
                PostMatch::StartsWith(prefix) => starts_with(name, prefix),
            });
        }
        if let Some((min, max)) = input.content_length_range {
            conditions.push(format!("[\"content-length-range\",{min},{max}]"));
        }
        let mut signed = vec![
            ("x-amz-algorithm".to_owned(), "AWS4-HMAC-SHA256".to_owned()),
            ("x-amz-credential".to_owned(), credential),
            ("x-amz-date".to_owned(), scope.time.amz_date()),
        ];
        if let Some(token) = signing.session_token {
            signed.push(("x-amz-security-token".into(), token.into()));
        }
        conditions.extend(signed.iter().map(|(name, value)| exact(name, value)));
        fields.extend(signed);

        let expiration = Timestamp::from_unix_millis(now.unix_millis().saturating_add(i64::from(expires_in) * 1000));
        let policy =
            format!("{{\"expiration\":\"{}\",\"conditions\":[{}]}}", expiration.to_iso8601(), conditions.join(","));
        let policy = base64::encode(policy.as_bytes());
        let signature = post_policy::sign_policy(&policy, &self.signing_key(&credentials, &scope));
        fields.push(("policy".into(), policy));
        fields.push(("x-amz-signature".into(), signature));
        Ok(PresignedPost { url: location.url(""), fields })
    }
}

/// Fields the signer writes into the form itself.
fn is_signer_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "key"
            | "policy"
            | "x-amz-algorithm"
            | "x-amz-credential"
            | "x-amz-date"
            | "x-amz-signature"
            | "x-amz-security-token"
    ) || name == "content-type"
        || name == "bucket"
        || name == "file"
}

/// `{"name":"value"}`, a field that must be exactly this.
fn exact(name: &str, value: &str) -> String {
    format!("{{{}:{}}}", json_string(name), json_string(value))
}

/// `["starts-with","$name","prefix"]`.
fn starts_with(name: &str, prefix: &str) -> String {
    format!("[\"starts-with\",{},{}]", json_string(&["$", name].concat()), json_string(prefix))
}

fn json_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_conditions_are_json_and_escaped() {
        assert_eq!(exact("key", "a\"b\\c\n"), r#"{"key":"a\"b\\c\u000a"}"#);
        assert_eq!(starts_with("Content-Type", "image/"), r#"["starts-with","$Content-Type","image/"]"#);
        assert!(is_signer_field("X-Amz-Signature") && is_signer_field("Policy") && !is_signer_field("acl"));
    }
}
