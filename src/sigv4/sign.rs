//! AWS Signature Version 4: the Authorization header and presigned URLs.
//! Steps: <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>

use super::canonical::{canonical_headers, canonical_query, canonical_query_of};
use super::{sha256_hex, SigningKey, SigningTime};
use crate::encoding::join;
use alloc::{
    string::{String, ToString},
    vec,
    vec::Vec,
};
use core::fmt;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Credentials as the signer sees them.
#[derive(Clone, Copy)]
pub struct SigningCredentials<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub session_token: Option<&'a str>,
}

/// Shows the access key ID (it names the key, it does not unlock it); hides the rest.
impl fmt::Debug for SigningCredentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &self.session_token.map(|_| "<redacted>"))
            .finish()
    }
}

/// Where and when a signature is valid: the credential scope.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    pub region: &'a str,
    pub service: &'a str,
    pub time: SigningTime,
}

impl Scope<'_> {
    /// `date/region/service/aws4_request`, as in `X-Amz-Credential` after the key ID.
    pub fn credential_scope(&self) -> String {
        self.credential_scope_on(&self.time.date_stamp())
    }

    fn credential_scope_on(&self, date_stamp: &str) -> String {
        join(&[date_stamp, self.region, self.service, "aws4_request"], "/")
    }
}

/// A request as the signer sees it.
#[derive(Clone, Copy, Debug)]
pub struct SignableRequest<'a> {
    pub method: &'a str,
    /// The canonical URI exactly as sent: already encoded. S3 encodes the object key once
    /// (`/` kept) and never normalises it, so `a//b/../c` is signed as is.
    pub path: &'a str,
    /// Decoded (name, value) pairs; the signer encodes and sorts them.
    pub query: &'a [(String, String)],
    /// The headers to sign, `host` included; any case, values untrimmed.
    pub headers: &'a [(String, String)],
    /// Hex SHA-256 of the body, or a literal such as `UNSIGNED-PAYLOAD`.
    pub payload_hash: &'a str,
}

/// A signature and the strings it was computed from (compare them with a server's when it
/// disagrees). `Debug` shows only the signed header names: the canonical request can hold a
/// session token, and a signature authorises its request until it expires.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    /// The encoded, sorted query that was signed: a presigned URL's query, but for the
    /// signature that follows it.
    pub canonical_query: String,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
    pub signed_headers: String,
}

/// Signs for the Authorization header. The caller has already put `x-amz-date`,
/// `x-amz-content-sha256` (S3 requires it) and, with temporary credentials,
/// `x-amz-security-token` into `req.headers`.
pub fn sign(req: &SignableRequest, scope: &Scope, key: &SigningKey) -> Signature {
    sign_canonical(req, canonical_query(req.query), canonical_headers(req.headers), &Stamp::of(scope), key)
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("signed_headers", &self.signed_headers)
            .field("signature", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// `AWS4-HMAC-SHA256 Credential=AK/scope, SignedHeaders=a;b, Signature=hex`:
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html>
pub fn authorization_header(creds: &SigningCredentials, scope: &Scope, sig: &Signature) -> String {
    [
        ALGORITHM,
        " Credential=",
        creds.access_key_id,
        "/",
        &scope.credential_scope(),
        ", SignedHeaders=",
        &sig.signed_headers,
        ", Signature=",
        &sig.signature,
    ]
    .concat()
}

/// Signs with query parameters (a presigned URL):
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>
///
/// Returns the decoded pairs to append after `req.query`, in the order aws-c-auth emits
/// them: Algorithm, Credential, Date, SignedHeaders, Expires, [Security-Token], Signature.
/// All but the signature are part of the canonical query; the token too unless
/// `sign_session_token` is false (some services want it added after signing; S3 wants it
/// signed). Servers sort the query themselves, so the order on the wire is free.
/// For S3, `req.payload_hash` is `UNSIGNED-PAYLOAD` and `expires_in_secs` is at most
/// 604800 (7 days).
pub fn presign(
    req: &SignableRequest,
    creds: &SigningCredentials,
    scope: &Scope,
    key: &SigningKey,
    expires_in_secs: u32,
    sign_session_token: bool,
) -> (Vec<(String, String)>, Signature) {
    let headers = canonical_headers(req.headers);
    let stamp = Stamp::of(scope);
    let mut params = vec![
        ("X-Amz-Algorithm".to_string(), ALGORITHM.to_string()),
        ("X-Amz-Credential".to_string(), [creds.access_key_id, "/", &stamp.credential_scope].concat()),
        ("X-Amz-Date".to_string(), stamp.amz_date.clone()),
        ("X-Amz-SignedHeaders".to_string(), headers.1.clone()),
        ("X-Amz-Expires".to_string(), crate::encoding::decimal(expires_in_secs.into())),
    ];
    let token = creds.session_token.map(|t| ("X-Amz-Security-Token".to_string(), t.to_string()));
    if sign_session_token {
        params.extend(token.clone());
    }
    let sig = sign_canonical(req, canonical_query_of(req.query, &params), headers, &stamp, key);
    if !sign_session_token {
        params.extend(token);
    }
    params.push(("X-Amz-Signature".to_string(), sig.signature.clone()));
    (params, sig)
}

/// What a signature states of its time: `x-amz-date`'s form of it and the credential scope,
/// each written once per signature.
struct Stamp {
    amz_date: String,
    credential_scope: String,
}

impl Stamp {
    fn of(scope: &Scope) -> Stamp {
        let amz_date = scope.time.amz_date();
        // `x-amz-date` begins with the date stamp.
        let credential_scope = scope.credential_scope_on(amz_date.get(..8).unwrap_or_default());
        Stamp { amz_date, credential_scope }
    }
}

/// Canonical request -> string to sign -> signature, the three steps of
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>.
fn sign_canonical(
    req: &SignableRequest,
    query: String,
    (headers, signed_headers): (String, String),
    stamp: &Stamp,
    key: &SigningKey,
) -> Signature {
    // "If the absolute path is empty, use a forward slash character (/)."
    let path = if req.path.is_empty() { "/" } else { req.path };
    let canonical_request = join(&[req.method, path, &query, &headers, &signed_headers, req.payload_hash], "\n");
    let string_to_sign =
        join(&[ALGORITHM, &stamp.amz_date, &stamp.credential_scope, &sha256_hex(canonical_request.as_bytes())], "\n");
    let signature = key.sign(&string_to_sign);
    Signature { canonical_query: query, canonical_request, string_to_sign, signature, signed_headers }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_debug_hides_secret_and_token() {
        let creds = SigningCredentials {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token: Some("AQoDYXdzEPT//////////wEXAMPLE"),
        };
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
        assert!(!shown.contains("bPxRfiCY") && !shown.contains("AQoDYXdz"), "{shown}");
    }

    #[test]
    fn empty_path_is_signed_as_slash() {
        let scope = Scope { region: "us-east-1", service: "s3", time: SigningTime::from_unix_seconds(0) };
        let key = SigningKey::derive("secret", "19700101", "us-east-1", "s3");
        let headers = [("host".to_string(), "example.com".to_string())];
        let req = |path| SignableRequest {
            method: "GET",
            path,
            query: &[],
            headers: &headers,
            payload_hash: "UNSIGNED-PAYLOAD",
        };
        assert_eq!(sign(&req(""), &scope, &key), sign(&req("/"), &scope, &key));
    }

    #[test]
    fn signature_debug_hides_the_token_and_the_signature() {
        let scope = Scope { region: "us-east-1", service: "s3", time: SigningTime::from_unix_seconds(0) };
        let key = SigningKey::derive("secret", "19700101", "us-east-1", "s3");
        let headers =
            [("host".to_string(), "h".to_string()), ("x-amz-security-token".to_string(), "TOKEN".to_string())];
        let req = SignableRequest {
            method: "GET",
            path: "/",
            query: &[],
            headers: &headers,
            payload_hash: "UNSIGNED-PAYLOAD",
        };
        let signature = sign(&req, &scope, &key);
        let shown = format!("{signature:?}");
        assert!(!shown.contains("TOKEN") && !shown.contains(&signature.signature), "{shown}");
    }
}
