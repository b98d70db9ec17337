//! The HTTP request and response every transport speaks; no transport type leaks past here.

use crate::body::Body;
use crate::buffer::Bytes;
use crate::error::Result;

pub use crate::operations::Method;

/// A signed request, ready for a [`Transport`](crate::transport::Transport). `Debug` hides the
/// session token, the signature, an IMDS token and the body's bytes, so logging a request
/// leaks no credential.
pub struct HttpRequest {
    pub method: Method,
    /// Absolute URL; the path is already percent-encoded exactly as it was signed.
    pub url: String,
    /// Headers to send. `host` is not among them: every transport derives it from the URL
    /// (fetch forbids setting it), and the signer signs the same value.
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| match name.to_ascii_lowercase().as_str() {
                "authorization" | "x-amz-security-token" | "x-aws-ec2-metadata-token" => (name.as_str(), "<redacted>"),
                _ => (name.as_str(), value.as_str()),
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// Response headers with lower-cased names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn append(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_ascii_lowercase(), value.into()));
    }

    /// The first value of a header, by case-insensitive name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

/// What came back from the transport. The body is not read until asked for, so an object
/// download streams straight from the network to the caller.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Headers,
    pub body: ResponseBody,
}

/// A response body, still on the wire.
pub struct ResponseBody(BodySource);

enum BodySource {
    Bytes(Bytes),
    /// With how long one read may bring nothing.
    #[cfg(feature = "native")]
    Native(reqwest::Response, Option<std::time::Duration>),
    #[cfg(target_arch = "wasm32")]
    Fetch(crate::transport::fetch::FetchBody),
    /// An object body that continues where it was cut off (`client/resume.rs`).
    #[cfg(not(target_arch = "wasm32"))]
    Resuming(Box<crate::client::resume::Resuming>),
    /// A body checked against the checksum its answer named, as it streams.
    #[cfg(not(target_arch = "wasm32"))]
    Checked(Box<Checked>),
}

/// A body and the checksum it must have: each chunk passes through the sum, and the end of the
/// body fails if the sum is not the expected one.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct Checked {
    pub body: ResponseBody,
    pub sum: Option<crate::checksum::Checksum>,
    pub header: &'static str,
    pub expected: String,
}

impl std::fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResponseBody")
    }
}

impl ResponseBody {
    /// A body already in memory (tests, and transports that buffer).
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        ResponseBody(BodySource::Bytes(bytes.into()))
    }

    /// A reqwest body whose every read fails as a `timeout` after `idle` without a byte.
    #[cfg(feature = "native")]
    pub(crate) fn from_reqwest(response: reqwest::Response, idle: Option<std::time::Duration>) -> Self {
        ResponseBody(BodySource::Native(response, idle))
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn resuming(resuming: crate::client::resume::Resuming) -> Self {
        ResponseBody(BodySource::Resuming(Box::new(resuming)))
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn checked(checked: Checked) -> Self {
        ResponseBody(BodySource::Checked(Box::new(checked)))
    }

    #[cfg(target_arch = "wasm32")]
    pub(crate) fn from_fetch(body: crate::transport::fetch::FetchBody) -> Self {
        ResponseBody(BodySource::Fetch(body))
    }

    /// Reads the whole body. For objects prefer `chunk` (natively) or
    /// `into_readable_stream` (wasm), which never hold it whole.
    pub async fn bytes(self) -> Result<Bytes> {
        Ok(self.read_up_to(usize::MAX).await?.0)
    }

    /// Reads at most `limit` bytes of the body, and whether that was all of it. Reading stops
    /// at the limit, so a huge or endless body costs no more than `limit` bytes of memory.
    pub async fn read_up_to(self, limit: usize) -> Result<(Bytes, bool)> {
        match self.0 {
            BodySource::Bytes(b) if b.len() > limit => Ok((b.slice(..limit), false)),
            BodySource::Bytes(b) => Ok((b, true)),
            #[cfg(target_arch = "wasm32")]
            BodySource::Fetch(r) => crate::transport::fetch::read_up_to(r, limit).await,
            // Natively the rest streams: read it piece by piece up to the limit.
            #[cfg(not(target_arch = "wasm32"))]
            source => {
                let mut body = ResponseBody(source);
                let mut out = Vec::new();
                while let Some(chunk) = body.chunk().await? {
                    let room = limit - out.len();
                    if chunk.len() > room {
                        out.extend_from_slice(&chunk[..room]);
                        return Ok((out.into(), false));
                    }
                    out.extend_from_slice(&chunk);
                }
                Ok((out.into(), true))
            }
        }
    }

    /// The next piece of the body, `None` at the end.
    #[cfg(not(target_arch = "wasm32"))]
    pub async fn chunk(&mut self) -> Result<Option<Bytes>> {
        match &mut self.0 {
            BodySource::Bytes(b) if b.is_empty() => Ok(None),
            BodySource::Bytes(b) => Ok(Some(std::mem::take(b))),
            #[cfg(feature = "native")]
            BodySource::Native(r, idle) => crate::transport::native::next_chunk(r, *idle).await,
            BodySource::Resuming(r) => Box::pin(r.chunk()).await,
            BodySource::Checked(c) => {
                let chunk = Box::pin(c.body.chunk()).await?;
                match (&chunk, c.sum.as_mut()) {
                    (Some(bytes), Some(sum)) => sum.update(bytes),
                    (None, Some(_)) => {
                        let got = c.sum.take().map(crate::checksum::Checksum::finish).unwrap_or_default();
                        if got != c.expected {
                            return Err(crate::error::Error::invalid_response(
                                200,
                                [
                                    "the object's body does not match its ",
                                    c.header,
                                    " (",
                                    &got,
                                    ", not ",
                                    &c.expected,
                                    ")",
                                ]
                                .concat(),
                            ));
                        }
                    }
                    _ => {}
                }
                Ok(chunk)
            }
        }
    }

    /// The body as a JS `ReadableStream`, untouched by wasm: bytes flow from fetch to the
    /// caller without being copied into wasm memory.
    #[cfg(target_arch = "wasm32")]
    pub fn into_readable_stream(self) -> Result<web_sys::ReadableStream> {
        match self.0 {
            BodySource::Fetch(body) => body.into_stream(),
            BodySource::Bytes(b) => crate::transport::fetch::stream_of(&b),
        }
    }
}

impl From<Bytes> for ResponseBody {
    fn from(b: Bytes) -> Self {
        ResponseBody::from_bytes(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token_and_the_signature() {
        let request = HttpRequest {
            method: Method::Get,
            url: "https://s3.example.com/b/k".into(),
            headers: vec![
                ("Authorization".into(), "AWS4-HMAC-SHA256 Credential=AK/x, Signature=abcdef0123".into()),
                ("x-amz-security-token".into(), "SESSIONTOKEN".into()),
                ("range".into(), "bytes=0-1".into()),
            ],
            body: Body::Empty,
        };
        let shown = format!("{request:?}");
        assert!(!shown.contains("abcdef0123") && !shown.contains("SESSIONTOKEN"), "{shown}");
        assert!(shown.contains("bytes=0-1"));
    }
}
