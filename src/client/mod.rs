//! The typed Rust client and its one request pipeline:
//! input -> [`S3Request`] -> validated -> addressed -> signed -> transport -> status checked ->
//! parsed output or typed error. Every operation goes through [`S3Client::execute`].

mod endpoint;
mod operations;
mod paginate;
mod presign;
mod request;

pub use endpoint::{Addressing, Endpoint};
pub use paginate::ObjectStream;
pub use presign::PresignInput;
pub use request::{Operation, S3Request};

use crate::body::Body;
use crate::credentials::{Credentials, ProvideCredentials, StaticCredentials};
use crate::encoding::base64;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::model::error::service_error;
use crate::sigv4::{self, Scope, SignableRequest, SigningKey, SigningKeyCache, SigningTime};
use crate::time::{Clock, SystemClock, Timestamp};
use crate::transport::Transport;
use crate::validate;
use endpoint::Location;
use md5::Digest;
use std::sync::{Arc, Mutex};

/// An S3 client. Cheap to clone: clones share configuration, connections and caches.
#[derive(Clone)]
pub struct S3Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    region: String,
    endpoint: Endpoint,
    addressing: Addressing,
    credentials: Arc<dyn ProvideCredentials>,
    transport: Arc<dyn Transport>,
    clock: Arc<dyn Clock>,
    signing_keys: Mutex<SigningKeyCache>,
}

impl std::fmt::Debug for S3Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Client")
            .field("region", &self.inner.region)
            .field("endpoint", &self.inner.endpoint)
            .field("addressing", &self.inner.addressing)
            .finish_non_exhaustive()
    }
}

/// Configures an [`S3Client`].
#[derive(Default)]
pub struct S3ClientBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    addressing: Addressing,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn Clock>>,
}

impl S3ClientBuilder {
    /// The signing region (required).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// `http(s)://host[:port]`; AWS's regional endpoint when not set.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    pub fn addressing(mut self, addressing: Addressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// Fixed credentials.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(StaticCredentials::new(credentials))
    }

    /// Credentials asked for before every attempt.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// The HTTP transport; fetch on wasm and reqwest natively (feature `native`) by default.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Where the time used for signing comes from (tests fix it).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    pub fn build(self) -> Result<S3Client> {
        let region = self.region.ok_or_else(|| Error::validation("region is required"))?;
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(Error::validation(format!("region {region:?} is not a region name")));
        }
        let endpoint = match &self.endpoint {
            Some(url) => Endpoint::parse(url)?,
            None => Endpoint::aws(&region),
        };
        let credentials = self.credentials.ok_or_else(|| {
            Error::Credentials("no credentials configured: pass access key credentials or a provider".into())
        })?;
        let transport = match self.transport {
            Some(t) => t,
            None => crate::transport::default_transport()
                .ok_or_else(|| Error::validation("no transport: enable the `native` feature or pass a Transport"))?,
        };
        // On wasm nothing is Send (JS values); the Arc only shares the client between clones.
        #[cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]
        let inner = Arc::new(ClientInner {
            region,
            endpoint,
            addressing: self.addressing,
            credentials,
            transport,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            signing_keys: Mutex::new(SigningKeyCache::new()),
        });
        Ok(S3Client { inner })
    }
}

/// A request that passed validation, with everything that does not change between attempts.
struct Prepared {
    method: crate::http::Method,
    location: Location,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    payload_hash: String,
    body: Body,
}

impl S3Client {
    pub fn builder() -> S3ClientBuilder {
        S3ClientBuilder::default()
    }

    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// Runs one operation through the pipeline.
    pub async fn execute<O: Operation>(&self, operation: O) -> Result<O::Output> {
        let request = operation.into_request()?;
        let response = self.send(request).await?;
        O::parse(response).await
    }

    /// Validates, signs and sends a request; any status outside 2xx becomes an [`Error`].
    pub async fn send(&self, request: S3Request) -> Result<HttpResponse> {
        let prepared = self.prepare(request).await?;
        self.attempt(&prepared).await
    }

    async fn prepare(&self, request: S3Request) -> Result<Prepared> {
        let location = self.validate_and_locate(&request)?;
        validate::headers(&request.headers)?;
        let mut headers = request.headers;
        if request.content_md5 {
            let mut md5 = md5::Md5::new();
            request.body.for_each_chunk(|chunk| md5.update(chunk)).await?;
            headers.push(("content-md5".into(), base64::encode(&md5.finalize())));
        }
        let payload_hash = match &request.body {
            Body::Empty => sigv4::EMPTY_SHA256.to_owned(),
            Body::Bytes(bytes) => sigv4::sha256_hex(bytes),
            // JS bodies stay in JS: hashing would copy every byte into wasm before sending.
            #[cfg(target_arch = "wasm32")]
            Body::Js(_) => sigv4::UNSIGNED_PAYLOAD.to_owned(),
        };
        Ok(Prepared {
            method: request.method,
            location,
            query: request.query,
            headers,
            payload_hash,
            body: request.body,
        })
    }

    fn validate_and_locate(&self, request: &S3Request) -> Result<Location> {
        if let Some(bucket) = &request.bucket {
            validate::bucket_name(bucket)?;
        }
        if let Some(key) = &request.key {
            validate::object_key(key, self.inner.transport.preserves_dot_segments())?;
        }
        Ok(self.inner.endpoint.locate(self.inner.addressing, request.bucket.as_deref(), request.key.as_deref()))
    }

    /// One signed attempt. Credentials and time are read afresh, so a later retry layer
    /// re-signs each attempt.
    async fn attempt(&self, prepared: &Prepared) -> Result<HttpResponse> {
        let credentials = self.inner.credentials.provide().await?;
        validate::credentials(&credentials)?;
        let signing = credentials.for_signing();
        let scope = self.scope(self.inner.clock.now());
        let mut headers = prepared.headers.clone();
        headers.push(("x-amz-date".into(), scope.time.amz_date()));
        headers.push(("x-amz-content-sha256".into(), prepared.payload_hash.clone()));
        if let Some(token) = signing.session_token {
            headers.push(("x-amz-security-token".into(), token.to_owned()));
        }
        let mut signed_headers = headers.clone();
        signed_headers.push(("host".into(), prepared.location.authority.clone()));
        let signable = SignableRequest {
            method: prepared.method.as_str(),
            path: &prepared.location.path,
            query: &prepared.query,
            headers: &signed_headers,
            payload_hash: &prepared.payload_hash,
        };
        let signature = sigv4::sign(&signable, &scope, &self.signing_key(&credentials, &scope));
        headers.push(("authorization".into(), sigv4::authorization_header(&signing, &scope, &signature)));
        let request = HttpRequest {
            method: prepared.method,
            url: prepared.location.url(&sigv4::canonical_query(&prepared.query)),
            headers,
            body: prepared.body.clone(),
        };
        let response = self.inner.transport.send(request).await?;
        if (200..300).contains(&response.status) {
            Ok(response)
        } else {
            Err(service_error(response).await)
        }
    }

    fn scope(&self, now: Timestamp) -> Scope<'_> {
        Scope { region: &self.inner.region, service: "s3", time: SigningTime::from_unix_seconds(now.unix_seconds()) }
    }

    fn signing_key(&self, credentials: &Credentials, scope: &Scope) -> SigningKey {
        let mut cache = self.inner.signing_keys.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.get(credentials.for_signing().secret_access_key, &scope.time.date_stamp(), scope.region, scope.service)
    }
}
