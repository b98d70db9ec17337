//! The client and its one request pipeline (DESIGN.md §1): a declared operation and its input
//! values are built into a request once, then each attempt picks its target, signs with fresh
//! credentials and time, sends with the caller's signal and a deadline, reads the answer as
//! the operation declares and classifies the outcome; the loop then decides, consulting the
//! layers (`crate::layers`): done, retry after a wait, follow a region redirect, correct
//! the clock, or fail.

// On wasm nothing is Send (JS values): the client's Arcs only share it between clones.
#![cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]

#[cfg(not(target_arch = "wasm32"))]
mod chunked_body;
mod endpoint;
#[cfg(test)]
mod hostile;
mod methods;
mod paginate;
// Presigned POST forms are signed by servers: not in the npm package's browser download, only
// in its server build (README, Size).
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
mod post;
mod presign;
pub(crate) mod read;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod resume;
mod service_error;

pub use endpoint::{Addressing, Endpoint};
pub use methods::GetObjectOutput;
pub use paginate::ObjectStream;
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub use post::{PostMatch, PresignPostInput, PresignedPost};
pub use presign::{operation_of_method, PresignInput, PresignOptions};

use crate::body::Body;
use crate::credentials::{CachedCredentials, Credentials, ProvideCredentials, StaticCredentials, WebIdentity};
use crate::encoding::decimal;
use crate::error::{Error, Result, ServiceError};
use crate::http::{HttpRequest, HttpResponse, ResponseBody};
use crate::layers::balance::{Balancer, Pick};
use crate::layers::breaker::BreakerPolicy;
#[cfg(not(target_arch = "wasm32"))]
use crate::layers::limit::Limited;
use crate::layers::region::{self, BucketRegions};
use crate::layers::retry::{self, RetryBudget, RetryPolicy};
use crate::layers::skew::ClockSkew;
use crate::operations::catalog::{COMPLETE_MULTIPART_UPLOAD, HEAD_OBJECT};
use crate::operations::{build, Operation, ResponseKind, S3Request, Value};
use crate::platform::Signal;
use crate::sigv4::{self, Scope, SignableRequest, SigningKey, SigningKeyCache, SigningTime};
use crate::time::{Clock, SystemClock, Timestamp};
use crate::transport::Transport;
use crate::validate;
use crate::xml::Document;
use endpoint::Location;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// XML answers larger than this are refused: no listing page or result comes near it.
pub const MAX_XML_BYTES: usize = 16 << 20;
/// Error bodies are read up to this much (an `<Error>` document is a few hundred bytes).
pub const MAX_ERROR_BYTES: usize = 64 << 10;
/// The default time an attempt may wait for an answer.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// An upload gets the timeout plus the time its body takes at this rate (512 kbit/s): fetch
/// cannot tell whether bytes still leave, so a slow link must not time a large PUT out.
const SLOWEST_UPLOAD_BYTES_PER_SEC: u64 = 64 * 1024;

/// An S3 client. Cheap to clone: clones share configuration, connections and caches.
#[derive(Clone)]
pub struct S3Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    region: String,
    /// One endpoint, or several that the balancer spreads attempts over.
    endpoints: Vec<Endpoint>,
    balancer: Balancer,
    /// The endpoint is AWS's own for the region (none was configured): a region redirect then
    /// also moves to the new region's AWS host.
    aws_endpoint: bool,
    addressing: Addressing,
    /// `None`: anonymous (requests go unsigned).
    credentials: Option<Arc<dyn ProvideCredentials>>,
    transport: Arc<dyn Transport>,
    clock: Arc<dyn Clock>,
    timeout: Option<Duration>,
    signing_keys: Mutex<SigningKeyCache>,
    retry: RetryPolicy,
    retry_budget: RetryBudget,
    skew: ClockSkew,
    follow_region_redirects: bool,
    bucket_regions: BucketRegions,
    #[cfg(not(target_arch = "wasm32"))]
    sign_stream_chunks: bool,
}

impl std::fmt::Debug for S3Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Client")
            .field("region", &self.inner.region)
            .field("endpoints", &self.inner.endpoints)
            .field("addressing", &self.inner.addressing)
            .finish_non_exhaustive()
    }
}

/// Where a client's credentials come from, as configured.
enum CredentialsSource {
    Static(Credentials),
    Anonymous,
    /// A provider made when the client is built (it may need the client's transport and
    /// clock). Deferred behind a function so that a source nobody configures, and the cache,
    /// are not compiled into the npm package's download.
    Provider(Box<MakeProvider>),
}

/// Makes a provider from what the client is built with.
type MakeProvider = dyn FnOnce(&ProviderContext) -> Result<Arc<dyn ProvideCredentials>>;

/// What a provider may need from the client being built.
struct ProviderContext {
    transport: Arc<dyn Transport>,
    clock: Arc<dyn Clock>,
    region: String,
    refresh_window: Duration,
}

impl ProviderContext {
    /// `source` behind the cache: refreshed before expiry, one refresh at a time.
    fn cached(&self, source: Arc<dyn ProvideCredentials>) -> Arc<dyn ProvideCredentials> {
        Arc::new(CachedCredentials::new(source, self.clock.clone(), self.refresh_window))
    }
}

/// Configures an [`S3Client`].
#[derive(Default)]
pub struct S3ClientBuilder {
    region: Option<String>,
    endpoints: Vec<String>,
    breaker: Option<BreakerPolicy>,
    #[cfg(not(target_arch = "wasm32"))]
    max_concurrency: Option<usize>,
    addressing: Addressing,
    credentials: Option<CredentialsSource>,
    refresh_window: Option<Duration>,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn Clock>>,
    timeout: Option<Option<Duration>>,
    retry: Option<RetryPolicy>,
    follow_region_redirects: Option<bool>,
    #[cfg(not(target_arch = "wasm32"))]
    sign_stream_chunks: bool,
}

impl S3ClientBuilder {
    /// The signing region (required).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// `http(s)://host[:port]`; AWS's regional endpoint when not set.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoints = vec![endpoint.into()];
        self
    }

    /// Several endpoints serving the same buckets (replicas behind no load balancer): each
    /// attempt goes to the one with the fewest requests outstanding, a retry to another than
    /// the one that failed, and with [`S3ClientBuilder::circuit_breaker`] an endpoint whose
    /// circuit is open is passed over. Presigned URLs name the first.
    pub fn endpoints<S: Into<String>>(mut self, endpoints: impl IntoIterator<Item = S>) -> Self {
        self.endpoints = endpoints.into_iter().map(Into::into).collect();
        self
    }

    /// A circuit breaker per endpoint (off by default; see [`BreakerPolicy`]): after
    /// `failure_threshold` consecutive failures that retrying could fix, calls to it fail at
    /// once with [`Error::CircuitOpen`] until `reset_after` has passed and a probe succeeds.
    pub fn circuit_breaker(mut self, policy: BreakerPolicy) -> Self {
        self.breaker = Some(policy);
        self
    }

    /// At most `max` requests in flight across the client (no cap by default), each until
    /// its answer's status and headers arrive; the others wait their turn in arrival order.
    /// The cap wraps the transport ([`Limited`]): a waiting call is cancelled by dropping it.
    /// (The npm package keeps this queue in its fetch helper, where the caller's
    /// `AbortSignal` also takes a call out of it.)
    #[cfg(not(target_arch = "wasm32"))]
    pub fn max_concurrency(mut self, max: usize) -> Self {
        self.max_concurrency = Some(max);
        self
    }

    pub fn addressing(mut self, addressing: Addressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// Fixed credentials (with a session token, for temporary ones handed over by a server).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialsSource::Static(credentials));
        self
    }

    /// Credentials from a provider (a [`crate::credentials::CredentialsFn`], or any source
    /// of your own). What it returns is cached: asked again only shortly before the
    /// `expiration` it carries (see [`S3ClientBuilder::credentials_refresh_window`]), or
    /// after S3 answers `ExpiredToken`, one refresh at a time however many calls need it.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        let make = move |context: &ProviderContext| Ok(context.cached(Arc::new(provider)));
        self.credentials = Some(CredentialsSource::Provider(Box::new(make)));
        self
    }

    /// A provider that caches by itself (the npm package's, which keeps its cache in JS).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn credentials_uncached(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        let make = move |_: &ProviderContext| Ok(Arc::new(provider) as Arc<dyn ProvideCredentials>);
        self.credentials = Some(CredentialsSource::Provider(Box::new(make)));
        self
    }

    /// Temporary credentials from STS `AssumeRoleWithWebIdentity`, fetched through this
    /// client's transport and refreshed (cached like [`S3ClientBuilder::credentials_provider`]).
    pub fn web_identity(mut self, web_identity: WebIdentity) -> Self {
        let make = move |context: &ProviderContext| {
            let provider = web_identity.into_provider(context.transport.clone(), &context.region)?;
            Ok(context.cached(Arc::new(provider)))
        };
        self.credentials = Some(CredentialsSource::Provider(Box::new(make)));
        self
    }

    /// No credentials: requests go unsigned, for public buckets. Presigning is refused.
    pub fn anonymous(mut self) -> Self {
        self.credentials = Some(CredentialsSource::Anonymous);
        self
    }

    /// How long before their expiry cached credentials are refreshed (5 minutes by default;
    /// credentials that live less than twice that are refreshed at half their life).
    pub fn credentials_refresh_window(mut self, window: Duration) -> Self {
        self.refresh_window = Some(window);
        self
    }

    /// The HTTP transport: reqwest natively (feature `native`) by default; on wasm a
    /// `transport::fetch::FetchTransport` over the package's JS helper.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Where the time used for signing comes from (tests fix it).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// How long one attempt may wait for bytes: for its answer's status and headers (an upload
    /// gets its body's time at 64 KiB/s on top) and, with the default transport, for each piece
    /// of its body, XML, error or object ("no bytes for this long"). 30 s by default, `None`
    /// for no limit.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How failed attempts are retried (on by default: [`RetryPolicy::default`]);
    /// [`RetryPolicy::none`] for one attempt.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Whether a bucket's region redirect is followed (on by default): the request is signed
    /// again for the region S3 names, once, and the bucket's region remembered. Off, the
    /// redirect is an error whose `region` says where the bucket is.
    pub fn follow_region_redirects(mut self, follow: bool) -> Self {
        self.follow_region_redirects = Some(follow);
        self
    }

    /// Stream bodies ([`Body::stream`]) sent as signed aws-chunked data: every 64 KiB signed
    /// with the signature before it, so the server checks the bytes against the key as it checks
    /// a hashed body (otherwise a stream goes as `UNSIGNED-PAYLOAD`). Off by default: not every
    /// S3-compatible store decodes aws-chunked.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html>
    #[cfg(not(target_arch = "wasm32"))]
    pub fn sign_stream_chunks(mut self, sign: bool) -> Self {
        self.sign_stream_chunks = sign;
        self
    }

    pub fn build(self) -> Result<S3Client> {
        let region = self.region.ok_or_else(|| Error::validation("region is required"))?;
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(Error::validation(["region \"", &region, "\" is not a region name"].concat()));
        }
        if self.endpoints.len() > 64 {
            return Err(Error::validation("endpoints takes 1 to 64 endpoints"));
        }
        let mut endpoints = Vec::new();
        for url in &self.endpoints {
            endpoints.push(Endpoint::parse(url)?);
        }
        if endpoints.is_empty() {
            endpoints.push(Endpoint::aws(&region));
        }
        if self.breaker.is_some_and(|b| b.failure_threshold == 0) {
            return Err(Error::validation("circuitBreaker.failureThreshold must be 1 or more"));
        }
        #[cfg(not(target_arch = "wasm32"))]
        if self.max_concurrency == Some(0) {
            return Err(Error::validation("maxConcurrency must be 1 or more"));
        }
        let retry = self.retry.unwrap_or_default();
        if retry.max_attempts == 0 || retry.base_delay > retry.max_delay {
            return Err(Error::validation("retry needs maxAttempts of 1 or more and baseDelayMs up to maxDelayMs"));
        }
        let transport = match self.transport {
            Some(t) => t,
            None => crate::transport::default_transport()?,
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let source = match self.credentials {
            Some(source) => source,
            None => default_credentials()?,
        };
        // Settings that would do nothing are refused (the package reads its own in JS).
        #[cfg(not(target_arch = "wasm32"))]
        {
            let provided = matches!(source, CredentialsSource::Provider(_));
            if self.refresh_window.is_some() && !provided {
                return Err(Error::validation(
                    "credentials_refresh_window is for credentials that expire (a provider)",
                ));
            }
            if self.sign_stream_chunks && matches!(source, CredentialsSource::Anonymous) {
                return Err(Error::validation(
                    "sign_stream_chunks needs credentials: an anonymous client signs nothing",
                ));
            }
        }
        let credentials = match source {
            CredentialsSource::Static(credentials) => Some(Arc::new(StaticCredentials::new(credentials)) as Arc<_>),
            CredentialsSource::Anonymous => None,
            CredentialsSource::Provider(make) => Some(make(&ProviderContext {
                transport: transport.clone(),
                clock: clock.clone(),
                region: region.clone(),
                refresh_window: self.refresh_window.unwrap_or(crate::credentials::DEFAULT_REFRESH_WINDOW),
            })?),
        };
        #[cfg(not(target_arch = "wasm32"))]
        let transport = match self.max_concurrency {
            Some(max) => Arc::new(Limited::new(transport, max)),
            None => transport,
        };
        let inner = Arc::new(ClientInner {
            region,
            balancer: Balancer::new(endpoints.len(), self.breaker),
            endpoints,
            aws_endpoint: self.endpoints.is_empty(),
            addressing: self.addressing,
            credentials,
            transport,
            clock,
            timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
            signing_keys: Mutex::new(SigningKeyCache::new()),
            retry,
            retry_budget: RetryBudget::default(),
            skew: ClockSkew::default(),
            follow_region_redirects: self.follow_region_redirects.unwrap_or(true),
            bucket_regions: BucketRegions::default(),
            #[cfg(not(target_arch = "wasm32"))]
            sign_stream_chunks: self.sign_stream_chunks,
        });
        Ok(S3Client { inner })
    }
}

/// A request that passed validation, with everything that does not change between attempts.
struct Prepared {
    request: S3Request,
    payload_hash: String,
}

/// What a successful call returns: the declared output values, and the body of a streamed
/// answer.
pub struct Reply {
    pub values: Vec<Value>,
    pub body: Option<ResponseBody>,
}

/// What the loop does after an attempt.
enum Decision {
    Return(Reply),
    /// Try again after this wait (re-signed, with whatever the layers learned).
    Retry(Duration),
    Fail(Error),
}

/// What one call has done so far, for the loop's decisions.
#[derive(Default)]
struct CallState {
    attempts: u32,
    /// Retries spent from the budget, and the cost of the last (refunded on success).
    retries: u32,
    last_cost: u32,
    followed_redirect: bool,
    corrected_skew: bool,
    /// The clock offset before this call corrected it, until the next answer shows whether the
    /// correction was right.
    skew_before: Option<i64>,
    /// The endpoint of the last attempt, which a retry avoids while another will take it.
    last_endpoint: Option<usize>,
    /// The credentials the last attempt was signed with (`ExpiredToken` invalidates them).
    signed_with: Option<Credentials>,
    refreshed_credentials: bool,
}

impl S3Client {
    pub fn builder() -> S3ClientBuilder {
        S3ClientBuilder::default()
    }

    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// How long a call waits for bytes (`None`: no limit); see [`S3ClientBuilder::timeout`].
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// How this client retries.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// Runs one declared operation on its input values: the whole pipeline. Every typed
    /// method and the JS boundary come through here.
    pub async fn call(&self, operation: &'static Operation, values: Vec<Value>, signal: &Signal) -> Result<Reply> {
        self.call_counting(operation, values, signal).await.0
    }

    /// [`S3Client::call`], and how many attempts it made (0 when the input was refused before
    /// any): JS reports it as `S3Error.attempts`.
    pub async fn call_counting(
        &self,
        operation: &'static Operation,
        values: Vec<Value>,
        signal: &Signal,
    ) -> (Result<Reply>, u32) {
        let prepared = build::build(operation, values, &self.inner.region).map_err(Error::from);
        let mut prepared = match prepared.and_then(|request| self.prepare(request)) {
            Ok(prepared) => prepared,
            Err(error) => return (Err(error), 0),
        };
        let mut state = CallState::default();
        // What this call may have written was written after this (a minute's leeway for clocks).
        let started = Timestamp::from_unix_millis(self.now().unix_millis() - 60_000);
        // What this loop sends: the operation, or the HEAD that confirms a lost completion.
        let mut sending = operation;
        let mut confirming: Option<Confirming> = None;
        loop {
            state.attempts += 1;
            let outcome = self.attempt(sending, &prepared, signal, &mut state).await;
            match self.decide(sending, &prepared, outcome, &mut state) {
                Decision::Return(reply) => {
                    self.inner.retry_budget.earn(if state.retries > 0 { state.last_cost } else { 1 });
                    let result = match confirming {
                        Some(confirming) => confirming.conclude(operation, reply),
                        None => Ok(reply),
                    };
                    return (result, state.attempts);
                }
                Decision::Fail(error) => {
                    // S3 says NoSuchUpload; s3s-fs says AccessDenied. Either way the HEAD decides.
                    let lost_completion = state.retries > 0
                        && confirming.is_none()
                        && matches!(error.code(), Some("NoSuchUpload" | "AccessDenied"))
                        && std::ptr::eq(operation, &COMPLETE_MULTIPART_UPLOAD);
                    let error = if lost_completion {
                        match confirm(&prepared, error, started) {
                            Ok((head, found)) => {
                                (sending, prepared, confirming) = (&HEAD_OBJECT, head, Some(found));
                                continue;
                            }
                            Err(error) => error,
                        }
                    } else {
                        error
                    };
                    return (Err(confirming.map_or(error, |c| c.error)), state.attempts);
                }
                Decision::Retry(wait) => {
                    if let Err(error) = self.inner.transport.wait(wait, signal).await {
                        return (Err(error), state.attempts);
                    }
                }
            }
        }
    }

    /// The loop's policy, from the classified outcome of the last attempt.
    fn decide(
        &self,
        operation: &Operation,
        prepared: &Prepared,
        outcome: Result<Reply>,
        state: &mut CallState,
    ) -> Decision {
        // A clock correction that the next answer still refuses (403) came from a `Date` not to
        // be trusted (a hostile or broken server's): it is undone, not kept for every later call.
        if let Some(before) = state.skew_before.take() {
            if matches!(&outcome, Err(error) if error.service().is_some_and(|service| service.status == 403)) {
                self.inner.skew.restore(before);
            }
        }
        let error = match outcome {
            Ok(reply) => return Decision::Return(reply),
            Err(error) => error,
        };
        let replayable = prepared.request.body.is_replayable();
        // Credentials S3 calls expired are dropped from the cache whatever the body, so the next
        // call signs with new ones; one retry here does too, when the body can be sent again.
        let expired = error.service().is_some_and(|service| is_expired_token(&service.code));
        if expired && !state.refreshed_credentials {
            if let (Some(provider), Some(stale)) = (&self.inner.credentials, &state.signed_with) {
                state.refreshed_credentials = provider.invalidate(stale);
                if state.refreshed_credentials && replayable {
                    return Decision::Retry(Duration::ZERO);
                }
            }
        }
        if let (Some(service), true) = (error.service(), replayable) {
            // A redirect or a skewed clock is fixed by what the answer says, and the request
            // did not take effect: one more attempt each, at once, outside the retry count.
            if self.inner.follow_region_redirects && !state.followed_redirect {
                let signed_for = self.region_of(&prepared.request);
                if let (Some(bucket), Some(region)) =
                    (&prepared.request.bucket, region::redirect_region(service, &signed_for))
                {
                    // A configured endpoint keeps its host; AWS hosts stay in the partition.
                    if !self.inner.aws_endpoint || region::same_partition(region, &self.inner.region) {
                        self.inner.bucket_regions.remember(bucket, region);
                        state.followed_redirect = true;
                        return Decision::Retry(Duration::ZERO);
                    }
                }
            }
            if let Some(before) =
                (!state.corrected_skew).then(|| self.inner.skew.learn(service, self.inner.clock.now())).flatten()
            {
                state.corrected_skew = true;
                state.skew_before = Some(before);
                return Decision::Retry(Duration::ZERO);
            }
        }
        if !error.is_retryable() {
            return Decision::Fail(error);
        }
        let conditional =
            prepared.request.headers.iter().any(|(name, _)| matches!(name.as_str(), "if-match" | "if-none-match"));
        if let Some(why) = retry::not_repeatable(operation, replayable, conditional, &error) {
            return Decision::Fail(error.with_note(why));
        }
        let policy = self.inner.retry;
        if state.retries + 1 >= policy.max_attempts {
            return Decision::Fail(error);
        }
        let cost = RetryBudget::cost(&error);
        if !self.inner.retry_budget.try_spend(cost) {
            return Decision::Fail(
                error.with_note("not retried: the client's retry budget is spent (most calls fail)"),
            );
        }
        state.retries += 1;
        state.last_cost = cost;
        let retry_after = error.service().and_then(|e| e.retry_after_secs).map(Duration::from_secs);
        Decision::Retry(policy.delay(state.retries, retry_after, crate::platform::random_u64()))
    }

    fn prepare(&self, mut request: S3Request) -> Result<Prepared> {
        self.validate_names(&request)?;
        validate::headers(&request.headers)?;
        self.validate_length(&request)?;
        if request.content_md5 {
            let md5 = request.body.digest("MD5")?;
            request.headers.push(("content-md5".into(), md5));
        }
        // A stream signed in chunks as it is sent, its checksum (if asked) in a signed trailer.
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(length) = self.chunked_length(&request) {
            let payload_hash = chunked_body::chunked_headers(&mut request.headers, length)?.to_owned();
            return Ok(Prepared { request, payload_hash });
        }
        // An opt-in checksum (`checksum`), which S3 checks against the body.
        if let Some((_, algorithm)) = request.headers.iter().find(|(name, _)| name == "x-amz-sdk-checksum-algorithm") {
            if let Some(header) = crate::checksum::header(algorithm) {
                let sum = request.body.digest(algorithm)?;
                request.headers.push((header.into(), sum));
            }
        }
        let payload_hash = match &request.body {
            Body::Empty => sigv4::EMPTY_SHA256.to_owned(),
            Body::Bytes(bytes) => sigv4::sha256_hex(bytes),
            // A stream cannot be hashed before it is sent, and JS bodies stay in JS (hashing
            // would copy every byte into wasm before sending).
            #[cfg(not(target_arch = "wasm32"))]
            Body::Stream(_) => sigv4::UNSIGNED_PAYLOAD.to_owned(),
            #[cfg(target_arch = "wasm32")]
            Body::Js(_) => sigv4::UNSIGNED_PAYLOAD.to_owned(),
        };
        Ok(Prepared { request, payload_hash })
    }

    /// The length of a stream body to send in signed chunks, when the client was asked to
    /// ([`S3ClientBuilder::sign_stream_chunks`], which an anonymous client refuses).
    #[cfg(not(target_arch = "wasm32"))]
    fn chunked_length(&self, request: &S3Request) -> Option<u64> {
        let chunked = self.inner.sign_stream_chunks && matches!(request.body, Body::Stream(_));
        chunked.then(|| declared_length(request)?.parse().ok())?
    }

    fn validate_names(&self, request: &S3Request) -> Result<()> {
        if let Some(bucket) = &request.bucket {
            validate::bucket_name(bucket)?;
        }
        if let Some(key) = &request.key {
            validate::object_key(key, self.inner.transport.preserves_dot_segments())?;
        }
        Ok(())
    }

    /// A body against its declared `contentLength`: a stream, which cannot tell its size,
    /// needs one and a transport that sends it with it; any other body must be that size.
    fn validate_length(&self, request: &S3Request) -> Result<()> {
        let declared = declared_length(request);
        // A stream is the one body that cannot be sent twice.
        if !request.body.is_replayable() {
            return self.validate_stream(declared.is_some());
        }
        // Only when declared: a string body's size is counted by reading it into wasm.
        if let Some((declared, size)) = declared.and_then(|declared| Some((declared, request.body.exact_length()?))) {
            let size = decimal(size);
            if declared != size {
                return Err(Error::validation(
                    ["contentLength ", declared, " is not the body's size, ", &size, " bytes"].concat(),
                ));
            }
        }
        Ok(())
    }

    /// The browser build sends no stream body: fetch streams one only over HTTP/2, and then
    /// without a length.
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    fn validate_stream(&self, _sized: bool) -> Result<()> {
        Err(Error::validation("a browser cannot send a ReadableStream with its length; upload() sends it in parts"))
    }

    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    fn validate_stream(&self, sized: bool) -> Result<()> {
        if !sized {
            return Err(Error::validation(
                "a stream body (a ReadableStream) needs contentLength, its size in bytes; upload() sends a stream of unknown size in parts",
            ));
        }
        if !self.inner.transport.streams_request_bodies() {
            return Err(Error::validation(
                "this transport cannot send a stream body with its length (Deno streams only chunked); upload() sends it in parts",
            ));
        }
        Ok(())
    }

    /// How long sending may take until the answer's head arrives: the timeout, plus the body's
    /// time on a slow link (a stream's size is its declared `contentLength`).
    fn send_deadline(&self, prepared: &Prepared) -> Option<Duration> {
        let request = &prepared.request;
        let size = request.body.length_hint().or_else(|| declared_length(request)?.parse().ok())?;
        let upload = size / SLOWEST_UPLOAD_BYTES_PER_SEC;
        Some(self.inner.timeout?.saturating_add(Duration::from_secs(upload)))
    }

    /// The region a request is signed for: the bucket's, once a redirect taught it, else the
    /// client's.
    fn region_of(&self, request: &S3Request) -> String {
        let learned = request.bucket.as_deref().and_then(|bucket| self.inner.bucket_regions.get(bucket));
        learned.unwrap_or_else(|| self.inner.region.clone())
    }

    /// Where a request goes on endpoint number `endpoint`, and the region it is signed for. A
    /// bucket in another region keeps a configured endpoint (only the signature changes) or
    /// moves to its region's AWS host.
    fn target(&self, request: &S3Request, endpoint: usize) -> (Location, String) {
        let region = self.region_of(request);
        let moved = (self.inner.aws_endpoint && region != self.inner.region).then(|| Endpoint::aws(&region));
        let endpoint = moved.as_ref().unwrap_or(&self.inner.endpoints[endpoint]);
        (endpoint.locate(self.inner.addressing, request.bucket.as_deref(), request.key.as_deref()), region)
    }

    /// One signed attempt: an endpoint from the balancer (whose breaker learns how it went),
    /// and credentials and time read afresh, so every attempt is signed anew.
    async fn attempt(
        &self,
        operation: &Operation,
        prepared: &Prepared,
        signal: &Signal,
        state: &mut CallState,
    ) -> Result<Reply> {
        let pick = self.pick(&mut state.last_endpoint).inspect_err(|_| {
            // Refused by the breaker: nothing was sent, so it was no attempt.
            state.attempts -= 1;
        })?;
        let (location, region) = self.target(&prepared.request, pick.index);
        let outcome = self.send(operation, prepared, signal, &location, &region, &mut state.signed_with).await;
        pick.record(breaker_verdict(&outcome), self.inner.clock.now());
        outcome
    }

    /// The endpoint for an attempt (see [`Balancer::pick`]), remembered in `last_endpoint`.
    fn pick(&self, last_endpoint: &mut Option<usize>) -> Result<Pick<'_>> {
        let Some(pick) = self.inner.balancer.pick(*last_endpoint, self.inner.clock.now()) else {
            let endpoints = &self.inner.endpoints;
            let which = if endpoints.len() > 1 { "every endpoint".into() } else { endpoints[0].authority.clone() };
            return Err(Error::CircuitOpen(which));
        };
        *last_endpoint = Some(pick.index);
        Ok(pick)
    }

    async fn send(
        &self,
        operation: &Operation,
        prepared: &Prepared,
        signal: &Signal,
        location: &Location,
        region: &str,
        signed_with: &mut Option<Credentials>,
    ) -> Result<Reply> {
        // Read afresh for every attempt (`None`: anonymous), and checked before they sign.
        *signed_with = match &self.inner.credentials {
            Some(provider) => Some(validate::credentials(provider.provide().await?)?),
            None => None,
        };
        let request = self.sign(prepared, location, region, signed_with.as_ref());
        let response = self.inner.transport.send(request, signal, self.send_deadline(prepared)).await?;
        // The body of an XML or error answer is watched piece by piece ("no bytes for this long"),
        // not as a whole: S3 answers a long CopyObject or CompleteMultipartUpload at once, then
        // keeps the connection alive with spaces until its document is ready, minutes later.
        match read_answer(operation, response).await {
            Err(Error::Service(mut service)) => {
                service.endpoint = Some(location.origin());
                Err(Error::Service(service))
            }
            outcome => outcome,
        }
    }

    /// The request of one attempt, signed with `credentials` (or sent unsigned without them).
    fn sign(
        &self,
        prepared: &Prepared,
        location: &Location,
        region: &str,
        credentials: Option<&Credentials>,
    ) -> HttpRequest {
        let request = &prepared.request;
        let mut headers = request.headers.clone();
        let Some(credentials) = credentials else {
            return HttpRequest {
                method: request.method,
                url: location.url(&sigv4::canonical_query(&request.query)),
                headers,
                body: request.body.clone(),
            };
        };
        let signing = credentials.for_signing();
        let scope = self.scope(region, self.now());
        headers.push(("x-amz-date".into(), scope.time.amz_date()));
        headers.push(("x-amz-content-sha256".into(), prepared.payload_hash.clone()));
        if let Some(token) = signing.session_token {
            headers.push(("x-amz-security-token".into(), token.to_owned()));
        }
        let mut signed_headers = headers.clone();
        signed_headers.push(("host".into(), location.authority.clone()));
        let signable = SignableRequest {
            method: request.method.as_str(),
            path: &location.path,
            query: &request.query,
            headers: &signed_headers,
            payload_hash: &prepared.payload_hash,
        };
        let key = self.signing_key(credentials, &scope);
        let signature = sigv4::sign(&signable, &scope, &key);
        headers.push(("authorization".into(), sigv4::authorization_header(&signing, &scope, &signature)));
        HttpRequest {
            method: request.method,
            // The signed query, encoded and sorted, is the one sent.
            url: location.url(&signature.canonical_query),
            headers,
            body: body_to_send(prepared, &signature.signature, &scope, key),
        }
    }

    /// The time to sign with: the clock, corrected by the skew learned from the servers.
    pub(crate) fn now(&self) -> Timestamp {
        self.inner.skew.now(self.inner.clock.now())
    }

    fn scope<'r>(&self, region: &'r str, now: Timestamp) -> Scope<'r> {
        Scope { region, service: "s3", time: SigningTime::from_unix_seconds(now.unix_seconds()) }
    }

    fn signing_key(&self, credentials: &Credentials, scope: &Scope) -> SigningKey {
        let mut cache = self.inner.signing_keys.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.get(credentials.for_signing().secret_access_key, &scope.time.date_stamp(), scope.region, scope.service)
    }
}

/// The body of a signed attempt: natively a stream signed in chunks when `prepare` chose so
/// (see [`chunked_body`]), chained from the request's `signature`; otherwise the body as it is.
#[cfg(not(target_arch = "wasm32"))]
fn body_to_send(prepared: &Prepared, signature: &str, scope: &Scope, key: SigningKey) -> Body {
    let request = &prepared.request;
    match chunked_body::decoded_length(&request.headers) {
        Some(length) if prepared.payload_hash.starts_with(sigv4::chunked::STREAMING_PAYLOAD) => {
            let signer = sigv4::chunked::ChunkSigner::new(signature, scope, &key);
            chunked_body::signed_chunks(&request.body, signer, length, chunked_body::trailer(&request.headers))
        }
        _ => request.body.clone(),
    }
}

#[cfg(target_arch = "wasm32")]
fn body_to_send(prepared: &Prepared, _: &str, _: &Scope, _: SigningKey) -> Body {
    prepared.request.body.clone()
}

/// The codes S3 answers when a session token has expired.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>
fn is_expired_token(code: &str) -> bool {
    matches!(code, "ExpiredToken" | "TokenRefreshRequired" | "InvalidToken")
}

/// Where credentials come from when none were configured: natively the default chain (env,
/// web identity from env, profile, container, IMDS); on wasm nothing is implicit.
fn default_credentials() -> Result<CredentialsSource> {
    #[cfg(feature = "native")]
    return Ok(CredentialsSource::Provider(Box::new(|context: &ProviderContext| {
        let chain = crate::credentials::DefaultChain::new(context.transport.clone(), context.region.clone())?;
        Ok(context.cached(Arc::new(chain)))
    })));
    #[allow(unreachable_code)]
    {
        Err(Error::Credentials(
            "no credentials: pass { accessKeyId, secretAccessKey }, an async function, { webIdentity } or \"anonymous\""
                .into(),
        ))
    }
}

/// What an attempt tells its endpoint's breaker: `Some(true)` a failure retrying could fix
/// (a CORS refusal included: in a browser it is how an unreachable server looks), `Some(false)`
/// an answer, `None` nothing about the server.
fn breaker_verdict(outcome: &Result<Reply>) -> Option<bool> {
    match outcome {
        Ok(_) => Some(false),
        Err(Error::Aborted(_) | Error::Credentials(_) | Error::CredentialsRefused(_) | Error::Validation(_)) => None,
        Err(error) => Some(error.is_retryable() || matches!(error, Error::Cors(_))),
    }
}

/// A retried CompleteMultipartUpload that answered `NoSuchUpload`: an earlier attempt may have
/// completed the upload and lost its answer. It did when the object now has a multipart ETag
/// of as many parts (`"…-N"`), which one HEAD of the key shows; the call then succeeds with
/// that ETag and version. Values are matched by field name (no typed shapes in the download).
struct Confirming {
    bucket: String,
    key: String,
    parts: usize,
    /// When the call started: an object written before is an older one, not this call's.
    started: Timestamp,
    /// What the call fails with when the object does not confirm it.
    error: Error,
}

/// The body's size as the caller declared it (`contentLength`), before any check.
fn declared_length(request: &S3Request) -> Option<&str> {
    request.headers.iter().find(|(name, _)| name == "content-length").map(|(_, size)| size.as_str())
}

/// The HEAD that confirms a lost completion, sent through the same loop.
fn confirm(
    complete: &Prepared,
    error: Error,
    started: Timestamp,
) -> std::result::Result<(Prepared, Confirming), Error> {
    let request = &complete.request;
    let (Body::Bytes(document), Some(bucket), Some(key)) = (&request.body, &request.bucket, &request.key) else {
        return Err(error);
    };
    let parts = document.windows(6).filter(|w| w == b"<Part>").count();
    let (bucket, key) = (bucket.clone(), key.clone());
    let head = S3Request {
        method: crate::http::Method::Head,
        bucket: Some(bucket.clone()),
        key: Some(key.clone()),
        query: Vec::new(),
        headers: Vec::new(),
        body: Body::Empty,
        content_md5: false,
    };
    let prepared = Prepared { request: head, payload_hash: sigv4::EMPTY_SHA256.to_owned() };
    Ok((prepared, Confirming { bucket, key, parts, started, error }))
}

impl Confirming {
    /// The completion's result from the HEAD's answer, or the original error.
    fn conclude(self, complete: &Operation, head: Reply) -> Result<Reply> {
        let value_of =
            |name: &str| HEAD_OBJECT.output.iter().position(|f| f.name == name).and_then(|at| head.values.get(at));
        let text_of = |name: &str| match value_of(name) {
            Some(Value::Text(text)) => Some(text.clone()),
            _ => None,
        };
        let etag = text_of("etag").unwrap_or_default();
        let parts =
            etag.trim_matches('"').bytes().rposition(|b| b == b'-').map(|dash| &etag.trim_matches('"')[dash + 1..]);
        // As many parts, and written during this call: an older object of as many parts (the
        // upload aborted by someone else meanwhile) is not what this call made.
        if parts != Some(decimal(self.parts as u64).as_str())
            || !matches!(value_of("lastModified"), Some(Value::Date(date)) if *date >= self.started)
        {
            return Err(self.error);
        }
        let values = complete
            .output
            .iter()
            .map(|field| match field.name {
                "bucket" => Value::Text(self.bucket.clone()),
                "key" => Value::Text(self.key.clone()),
                "etag" => Value::Text(etag.clone()),
                "versionId" => text_of("versionId").map_or(Value::Absent, Value::Text),
                _ => Value::Absent,
            })
            .collect();
        Ok(Reply { values, body: None })
    }
}

/// Reads an answer as the operation declares it and classifies it: ok, a service error (any
/// status outside 2xx, or a 200 whose XML is an `<Error>`), or an unreadable answer.
async fn read_answer(operation: &Operation, response: HttpResponse) -> Result<Reply> {
    let HttpResponse { status, headers, body } = response;
    if !(200..300).contains(&status) {
        // A cut-off or oversized error body still leaves the status and headers to go on; an
        // error document longer than the cap is read as far as the cap.
        let bytes = body.read_up_to(MAX_ERROR_BYTES).await.map(|(bytes, _)| bytes).unwrap_or_default();
        return Err(Error::Service(Box::new(service_error::service_error(status, &headers, &bytes))));
    }
    let (document, body) = match operation.response {
        ResponseKind::Empty => {
            // Read to its (empty or short) end so the connection can be reused; what it says
            // is not part of the answer.
            let _ = body.read_up_to(MAX_ERROR_BYTES).await;
            (None, None)
        }
        ResponseKind::Stream => (None, Some(body)),
        ResponseKind::Xml => {
            let (bytes, whole) = body.read_up_to(MAX_XML_BYTES).await?;
            if !whole {
                return Err(Error::too_large(status, MAX_XML_BYTES));
            }
            (Some(bytes), None)
        }
    };
    let parsed = match &document {
        Some(bytes) => {
            let parsed = Document::parse(bytes)
                .map_err(|e| Error::invalid_response(status, ["unreadable XML: ", e].concat()))?;
            // CopyObject, CompleteMultipartUpload and UploadPartCopy can fail after a 200.
            // <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html>
            if let Some(error) = service_error::from_document(status, &headers, parsed.root()) {
                return Err(Error::Service(Box::new(error)));
            }
            Some(parsed)
        }
        None => None,
    };
    let answer = read::Answer { status, headers: &headers, root: parsed.as_ref().map(Document::root) };
    Ok(Reply { values: read::read_output(operation.output, &answer)?, body })
}

impl Error {
    /// An answer larger than the pipeline reads into memory.
    pub(crate) fn too_large(status: u16, limit: usize) -> Self {
        Error::Service(Box::new(ServiceError {
            status,
            code: "ResponseTooLarge".into(),
            message: ["the answer is over ", &decimal(limit as u64), " bytes, more than the client reads into memory"]
                .concat(),
            ..ServiceError::default()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_gets_the_timeout_plus_its_time_at_the_slowest_rate() {
        struct NoTransport;
        impl Transport for NoTransport {
            fn send<'a>(
                &'a self,
                _: HttpRequest,
                _: &'a Signal,
                _: Option<Duration>,
            ) -> crate::platform::BoxFuture<'a, Result<HttpResponse>> {
                Box::pin(async { Err(Error::Network("unused".into())) })
            }
        }
        let client = |timeout| {
            S3Client::builder()
                .region("us-east-1")
                .credentials(Credentials::new("AK", "SK"))
                .transport(NoTransport)
                .timeout(timeout)
                .build()
                .unwrap()
        };
        let prepared = |body: Body| Prepared {
            request: S3Request {
                method: crate::http::Method::Put,
                bucket: None,
                key: None,
                query: Vec::new(),
                headers: Vec::new(),
                body,
                content_md5: false,
            },
            payload_hash: String::new(),
        };
        let s3 = client(Some(Duration::from_secs(30)));
        assert_eq!(s3.send_deadline(&prepared(Body::Empty)), Some(Duration::from_secs(30)));
        let ten_seconds_of_upload = Body::from(vec![0u8; 10 * 64 * 1024]);
        assert_eq!(s3.send_deadline(&prepared(ten_seconds_of_upload.clone())), Some(Duration::from_secs(40)));
        assert_eq!(client(None).send_deadline(&prepared(ten_seconds_of_upload)), None);
    }
}
