//! Presigned URLs for any declared operation: the request is built exactly as the pipeline
//! would send it, then signed in the query string so a browser or `curl` can make that one
//! call without keys. <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>

use super::S3Client;
use crate::body::Body;
use crate::error::{Error, Result};
use crate::operations::catalog::*;
use crate::operations::{build, Method, Operation, Shape, Value};
use crate::sigv4::{self, SignableRequest};
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// AWS SDKs' default lifetime of a presigned URL.
const DEFAULT_EXPIRES_IN: u32 = 900;
/// SigV4 query signatures live at most 7 days.
const MAX_EXPIRES_IN: u32 = 7 * 24 * 3600;
/// The name every copy header starts with (`x-amz-copy-source`, `…-range`, `…-if-match`, …).
const COPY_SOURCE: &[u8] = b"x-amz-copy-source";

/// How a presigned URL is signed, whatever the operation.
#[derive(Debug, Clone, Default)]
pub struct PresignOptions {
    /// Lifetime in seconds, 1 to 604800 (7 days); 900 when not set.
    pub expires_in: Option<u32>,
    /// Headers the URL's user must send exactly; they are signed.
    pub headers: Vec<(String, String)>,
    /// Signs as of this instant instead of now (reproducible URLs, tests).
    pub signing_date: Option<Timestamp>,
}

/// A presigned GET, PUT, HEAD or DELETE of an object: the common case, by method.
#[derive(Debug, Clone)]
pub struct PresignInput {
    pub method: Method,
    pub bucket: String,
    pub key: String,
    pub version_id: Option<String>,
    pub overrides: ResponseOverrides,
    /// Lifetime in seconds, 1 to 604800 (7 days); 900 when not set.
    pub expires_in: Option<u32>,
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
            key: key.into(),
            version_id: None,
            overrides: ResponseOverrides::default(),
            expires_in: None,
            headers: BTreeMap::new(),
            signing_date: None,
        }
    }
}

/// The object operation a method presigns.
pub fn operation_of_method(method: Method) -> Result<&'static Operation> {
    match method {
        Method::Get => Ok(&GET_OBJECT),
        Method::Put => Ok(&PUT_OBJECT),
        Method::Head => Ok(&HEAD_OBJECT),
        Method::Delete => Ok(&DELETE_OBJECT),
        Method::Post => Err(Error::validation("a POST is presigned by naming its operation")),
    }
}

impl S3Client {
    /// A presigned URL for an object by method.
    pub async fn presign(&self, input: PresignInput) -> Result<String> {
        let operation = operation_of_method(input.method)?;
        let (bucket, key, version_id) = (input.bucket, input.key, input.version_id);
        let overridden = input.overrides.clone().into_values().iter().any(|v| !matches!(v, Value::Absent));
        if overridden && input.method != Method::Get {
            return Err(Error::validation("response overrides apply to a GET only"));
        }
        let values = match input.method {
            Method::Get => GetObjectInput { bucket, key, version_id, overrides: input.overrides, ..Default::default() }
                .into_values(),
            Method::Head => HeadObjectInput { bucket, key, version_id, ..Default::default() }.into_values(),
            Method::Delete => DeleteObjectInput { bucket, key, version_id }.into_values(),
            _ if version_id.is_some() => return Err(Error::validation("versionId cannot be given to a PUT")),
            _ => PutObjectInput { bucket, key, ..Default::default() }.into_values(),
        };
        let options = PresignOptions {
            expires_in: input.expires_in,
            headers: input.headers.into_iter().collect(),
            signing_date: input.signing_date,
        };
        self.presign_operation(operation, values, &options).await
    }

    /// A presigned URL for any operation, with its input values (a body is refused: the URL's
    /// user sends it).
    pub async fn presign_operation(
        &self,
        operation: &'static Operation,
        values: Vec<Value>,
        options: &PresignOptions,
    ) -> Result<String> {
        let expires_in = options.expires_in.unwrap_or(DEFAULT_EXPIRES_IN);
        if !(1..=MAX_EXPIRES_IN).contains(&expires_in) {
            return Err(Error::validation("expiresIn must be 1 s to 7 days (604800 s)"));
        }
        let mut request = build::build(operation, values, &self.inner.region)?;
        if !matches!(request.body, Body::Empty) || request.content_md5 {
            return Err(Error::validation(
                ["a presigned ", operation.name, " URL carries no body: its user sends the body (and any Content-MD5)"]
                    .concat(),
            ));
        }
        self.validate_names(&request)?;
        // A copy source would turn a presigned PUT (or part upload) into a copy of any object
        // the signer can read; the copy operations take theirs from their declared fields.
        let copy_source =
            |name: &String| name.as_bytes().get(..17).is_some_and(|p| p.eq_ignore_ascii_case(COPY_SOURCE));
        if let Some((name, _)) = options.headers.iter().find(|(name, _)| copy_source(name)) {
            return Err(Error::validation(
                ["header ", name, " would make the URL a copy (presign copyObject)"].concat(),
            ));
        }
        request.headers.extend(options.headers.iter().cloned());
        crate::validate::headers(&request.headers)?;
        let (location, region) = self.target(&request, 0);
        let mut headers = request.headers;
        headers.push(("host".into(), location.authority.clone()));

        let Some(provider) = &self.inner.credentials else {
            return Err(Error::Credentials("presigning needs credentials: this client is anonymous".into()));
        };
        let credentials = crate::validate::credentials(provider.provide().await?)?;
        let now = options.signing_date.unwrap_or_else(|| self.now());
        let scope = self.scope(&region, now);
        let signable = SignableRequest {
            method: request.method.as_str(),
            path: &location.path,
            query: &request.query,
            headers: &headers,
            payload_hash: sigv4::UNSIGNED_PAYLOAD,
        };
        let key = self.signing_key(&credentials, &scope);
        let (_, signature) = sigv4::presign(&signable, &credentials.for_signing(), &scope, &key, expires_in, true);
        // The signed query in canonical order, then the signature, as AWS prints it.
        let query = [&signature.canonical_query, "&X-Amz-Signature=", &signature.signature].concat();
        Ok(location.url(&query))
    }
}
