//! Presigned URLs: query-string SigV4 so a browser or `curl` can make one call without keys.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>

use super::S3Client;
use crate::error::{Error, Result};
use crate::http::Method;
use crate::model::object::ResponseOverrides;
use crate::sigv4::{self, SignableRequest};
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// AWS SDKs' default lifetime of a presigned URL.
const DEFAULT_EXPIRES_IN: u32 = 900;
/// SigV4 query signatures live at most 7 days.
const MAX_EXPIRES_IN: u32 = 7 * 24 * 3600;

/// What to presign.
#[derive(Debug, Clone)]
pub struct PresignInput {
    pub method: Method,
    pub bucket: String,
    pub key: Option<String>,
    /// Lifetime in seconds, 1 to 604800 (7 days); 900 when not set.
    pub expires_in: Option<u32>,
    pub version_id: Option<String>,
    pub overrides: ResponseOverrides,
    /// Headers the URL's user must send exactly (e.g. `content-type` for a PUT); they are signed.
    pub headers: BTreeMap<String, String>,
    /// Signs as of this instant instead of now (reproducible URLs, tests).
    pub signing_date: Option<Timestamp>,
}

impl PresignInput {
    pub fn new(method: Method, bucket: impl Into<String>, key: impl Into<String>) -> Self {
        PresignInput {
            method,
            bucket: bucket.into(),
            key: Some(key.into()),
            expires_in: None,
            version_id: None,
            overrides: ResponseOverrides::default(),
            headers: BTreeMap::new(),
            signing_date: None,
        }
    }
}

impl S3Client {
    /// A presigned URL for one request.
    pub async fn presign(&self, input: PresignInput) -> Result<String> {
        let expires_in = input.expires_in.unwrap_or(DEFAULT_EXPIRES_IN);
        if !(1..=MAX_EXPIRES_IN).contains(&expires_in) {
            return Err(Error::validation(format!(
                "expiresIn is {expires_in} s; a presigned URL lives 1 s to 7 days ({MAX_EXPIRES_IN} s)"
            )));
        }
        let mut request = super::S3Request::new(input.method).bucket(&input.bucket);
        request.key = input.key;
        request = request.query_opt("versionId", input.version_id.as_deref());
        request.query.extend(input.overrides.into_query());
        let location = self.validate_and_locate(&request)?;
        let mut headers: Vec<(String, String)> = input.headers.into_iter().collect();
        crate::validate::headers(&headers)?;
        headers.push(("host".into(), location.authority.clone()));

        let credentials = self.inner.credentials.provide().await?;
        crate::validate::credentials(&credentials)?;
        let now = input.signing_date.unwrap_or_else(|| self.inner.clock.now());
        let scope = self.scope(now);
        let signable = SignableRequest {
            method: input.method.as_str(),
            path: &location.path,
            query: &request.query,
            headers: &headers,
            payload_hash: sigv4::UNSIGNED_PAYLOAD,
        };
        let key = self.signing_key(&credentials, &scope);
        let (mut auth_query, _) = sigv4::presign(&signable, &credentials.for_signing(), &scope, &key, expires_in, true);
        // The signature goes last, as AWS prints it; the rest in canonical order.
        let signature = auth_query.pop().map(|(_, sig)| sig).unwrap_or_default();
        let mut query = request.query;
        query.extend(auth_query);
        Ok(location.url(&format!("{}&X-Amz-Signature={signature}", sigv4::canonical_query(&query))))
    }
}
