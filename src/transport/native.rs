//! The native transport: reqwest (hyper + rustls) on tokio.

use super::Transport;
use crate::body::Body;
use crate::error::{Error, Result};
use crate::http::{Headers, HttpRequest, HttpResponse, Method, ResponseBody};
use crate::platform::{BoxFuture, Signal};
use std::time::Duration;

/// Sends requests with a shared reqwest connection pool.
#[derive(Debug, Clone)]
pub struct NativeTransport {
    client: reqwest::Client,
}

impl NativeTransport {
    /// Fails when the TLS backend cannot start: a default client in its place would follow
    /// redirects.
    pub fn new() -> Result<Self> {
        Self::build(reqwest::Client::builder())
    }

    /// Without proxies, whatever `HTTP_PROXY` and friends say: for the instance's and the
    /// container's credential endpoints, link-local or loopback addresses that no proxy
    /// reaches, and whose tokens must not travel through one (the SDKs do the same).
    pub fn direct() -> Result<Self> {
        Self::build(reqwest::Client::builder().no_proxy())
    }

    fn build(builder: reqwest::ClientBuilder) -> Result<Self> {
        // A redirect would replay the signed request, session token and body included, to
        // whatever host the answer names; the 3xx comes back to the client instead.
        let client = builder
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Network(format!("cannot start the HTTP client: {e}{}", source_chain(&e))))?;
        Ok(NativeTransport { client })
    }

    /// Uses a configured reqwest client (proxies, timeouts, TLS roots). Give it
    /// `redirect(Policy::none())`, as [`NativeTransport::new`] does, and no automatic
    /// decompression: objects stored with a Content-Encoding must arrive as stored.
    pub fn with_client(client: reqwest::Client) -> Self {
        NativeTransport { client }
    }
}

impl Transport for NativeTransport {
    /// Cancelled by dropping the future; the deadline covers the wait for the status and
    /// headers.
    fn send<'a>(
        &'a self,
        request: HttpRequest,
        _signal: &'a Signal,
        timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<HttpResponse>> {
        Box::pin(async move {
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Head => reqwest::Method::HEAD,
                Method::Put => reqwest::Method::PUT,
                Method::Post => reqwest::Method::POST,
                Method::Delete => reqwest::Method::DELETE,
            };
            let mut builder = self.client.request(method, &request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            builder = match request.body {
                Body::Empty => builder,
                Body::Bytes(bytes) => builder.body(bytes),
                Body::Stream(stream) => builder.body(reqwest::Body::wrap_stream(
                    stream.take().ok_or_else(|| Error::validation("a stream body is sent once, and this one was"))?,
                )),
            };
            let response = match timeout {
                Some(limit) => tokio::time::timeout(limit, builder.send())
                    .await
                    .map_err(|_| Error::Timeout(format!("no answer within {} ms", limit.as_millis())))?,
                None => builder.send().await,
            }
            .map_err(network_error)?;
            let mut headers = Headers::new();
            for (name, value) in response.headers() {
                headers.append(name.as_str(), String::from_utf8_lossy(value.as_bytes()));
            }
            Ok(HttpResponse {
                status: response.status().as_u16(),
                headers,
                body: ResponseBody::from_reqwest(response, timeout),
            })
        })
    }
}

/// The next piece of a body; a read that brings nothing for `idle` is a `timeout` ("no bytes
/// for this long"), so a stalled download cannot hang its reader.
pub(crate) async fn next_chunk(
    response: &mut reqwest::Response,
    idle: Option<Duration>,
) -> Result<Option<bytes::Bytes>> {
    let read = response.chunk();
    let chunk = match idle {
        Some(idle) => tokio::time::timeout(idle, read)
            .await
            .map_err(|_| Error::Timeout(format!("no bytes of the body for {} ms", idle.as_millis())))?,
        None => read.await,
    };
    chunk.map_err(network_error)
}

/// reqwest's errors name the URL, never headers, so they carry no secret. A request body's
/// own error (a stream that failed, or brought another length than it was sent with) comes
/// back as it was: the caller's, not the network's.
pub(crate) fn network_error(e: reqwest::Error) -> Error {
    // Without the URL: a credentials endpoint's path can be a bearer secret (ECS's relative
    // URI), and a presigned one's query is; the error says which call it was.
    let e = e.without_url();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        if let Some(own) = cause.downcast_ref::<Error>() {
            return own.clone();
        }
        source = cause.source();
    }
    if e.is_timeout() {
        Error::Timeout(e.to_string())
    } else {
        Error::Network(format!("{e}{}", source_chain(&e)))
    }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut text = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
