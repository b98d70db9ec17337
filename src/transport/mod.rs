//! Sending a signed request and getting the response back. One trait, two backends:
//! `fetch` (globalThis.fetch, or the `fetch` option) on wasm and `native` (reqwest) behind the
//! `native` feature. The client never sees which one it talks to.

use crate::error::Result;
use crate::http::{HttpRequest, HttpResponse};
use crate::platform::{BoxFuture, MaybeSend, MaybeSync, Signal};
use std::time::Duration;

#[cfg(target_arch = "wasm32")]
pub mod fetch;
#[cfg(feature = "native")]
pub mod native;

/// Sends one HTTP request. A transport does no signing, retrying or error mapping: any HTTP
/// answer, whatever its status, is `Ok`; only a request that got no answer is an `Err`
/// (`network`, `timeout` when no answer came within `timeout`, `aborted` when the caller's
/// signal fired). The pipeline's `timeout` already includes an upload's time. Natively the
/// answer's body then fails a read that brings nothing for that long; on wasm the deadline
/// keeps running while an XML body is read, and the package watches object bodies in JS.
pub trait Transport: MaybeSend + MaybeSync {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
        signal: &'a Signal,
        timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<HttpResponse>>;

    /// Waits `duration` before a retry. The caller's signal ends the wait with an `aborted`
    /// error (natively, dropping the call's future does; this default only sleeps).
    fn wait<'a>(&'a self, duration: Duration, signal: &'a Signal) -> BoxFuture<'a, Result<()>> {
        let _ = signal;
        Box::pin(async move {
            crate::platform::sleep(duration).await;
            Ok(())
        })
    }

    /// Whether the transport sends the URL path byte for byte. WHATWG URL parsers (fetch,
    /// reqwest's `url`) drop `.` and `..` segments, so keys holding them are refused unless
    /// the transport keeps the path as it is.
    fn preserves_dot_segments(&self) -> bool {
        false
    }

    /// Whether the transport can send a stream body ([`crate::Body::stream`] natively, a JS
    /// `ReadableStream` on wasm) with its `Content-Length`, which S3 needs. Natively a transport
    /// is expected to; fetch can in Node and Workers, not in browsers (they stream request
    /// bodies only over HTTP/2, and without a length) nor in Deno (chunked only).
    fn streams_request_bodies(&self) -> bool {
        cfg!(not(target_arch = "wasm32"))
    }
}

/// The transport a client gets when it names none.
pub(crate) fn default_transport() -> Result<std::sync::Arc<dyn Transport>> {
    #[cfg(target_arch = "wasm32")]
    return Err(crate::Error::validation("no transport: pass a FetchTransport"));
    #[cfg(all(feature = "native", not(target_arch = "wasm32")))]
    return Ok(std::sync::Arc::new(native::NativeTransport::new()?));
    #[allow(unreachable_code)]
    Err(crate::Error::validation("no transport: enable the `native` feature or pass a Transport"))
}
