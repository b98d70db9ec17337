//! Browser uploads with HTTP POST: the form carries a base64 policy document and its
//! signature. Unlike a request signature, the string to sign is the base64 policy itself:
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html>

use super::SigningKey;
use alloc::string::String;

/// Hex HMAC-SHA256 of `policy_base64` under the signing key of the policy's date: the
/// form's `X-Amz-Signature` field.
pub fn sign_policy(policy_base64: &str, key: &SigningKey) -> String {
    key.sign(policy_base64)
}
