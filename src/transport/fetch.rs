//! The wasm transport: fetch, through the package's JS helper (`pkg-template/transport.js`),
//! which the package hands to the client. Driving fetch, AbortController, timers and streams
//! call by call from wasm costs glue on both sides of the boundary; the helper is a few hundred
//! bytes of JS, and this side three calls:
//!
//! - `send(method, url, headers, body, signal, timeoutMs)` → `{ status, headers }` (an
//!   answer), or a rejection `{ kind, message }`; headers travel as `name:value` lines;
//! - `read(answer, limit)` → up to `limit + 1` bytes of its body;
//! - `stream(answer)` → its body as a `ReadableStream`, untouched by wasm;
//! - `sleep(ms, signal)` → the wait before a retry, which the caller's signal cuts short.
//!
//! Each attempt gets its own AbortController there: the caller's signal and the deadline both
//! abort it, and which fired decides `aborted` or `timeout`.

use super::Transport;
use crate::body::Body;
use crate::buffer::Bytes;
use crate::error::{Error, Result, ServiceError};
use crate::http::{Headers, HttpRequest, HttpResponse, ResponseBody};
use crate::platform::js_await::settled;
use crate::platform::{BoxFuture, Signal};
use js_sys::{Promise, Uint8Array};
use std::time::Duration;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// The JS helper's transport object (`fetchTransport(fetch)` in `transport.js`).
    #[derive(Debug, Clone)]
    pub type JsTransport;
    #[wasm_bindgen(method)]
    fn send(
        this: &JsTransport,
        method: &str,
        url: &str,
        headers: &str,
        body: &JsValue,
        signal: &JsValue,
        timeout_ms: f64,
    ) -> Promise;
    #[wasm_bindgen(method)]
    fn read(this: &JsTransport, answer: &Answer, limit: f64) -> Promise;
    #[wasm_bindgen(method)]
    fn stream(this: &JsTransport, answer: &Answer) -> web_sys::ReadableStream;
    #[wasm_bindgen(method)]
    fn sleep(this: &JsTransport, ms: f64, signal: &JsValue) -> Promise;
    #[cfg(feature = "server")]
    #[wasm_bindgen(method, getter, js_name = streamsBodies)]
    fn streams_bodies(this: &JsTransport) -> bool;

    /// What `send` resolves to.
    type Answer;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Answer) -> u16;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &Answer) -> String;
}

/// Sends requests through the JS helper's fetch.
#[derive(Debug, Clone)]
pub struct FetchTransport {
    js: JsTransport,
}

impl FetchTransport {
    pub fn new(js: JsTransport) -> Self {
        FetchTransport { js }
    }

    async fn call(&self, request: HttpRequest, signal: &Signal, timeout: Option<Duration>) -> Result<HttpResponse> {
        // One string for all headers: a crossing per header costs more (values are visible
        // ASCII, so lines cannot break inside one).
        let mut headers = String::new();
        for (name, value) in &request.headers {
            for part in [name.as_str(), ":", value, "\n"] {
                headers.push_str(part);
            }
        }
        let body = match &request.body {
            Body::Empty => JsValue::UNDEFINED,
            Body::Bytes(bytes) => Uint8Array::from(bytes.as_ref()).into(),
            Body::Js(js) => js.fetch_value().clone(),
        };
        let abort = signal.abort.clone().unwrap_or(JsValue::UNDEFINED);
        let timeout_ms = timeout.map_or(0.0, |t| t.as_millis() as u64 as f64);
        let sent = self.js.send(request.method.as_str(), &request.url, &headers, &body, &abort, timeout_ms);
        let answer: Answer = settled(sent).await.map_err(failure)?.unchecked_into();
        let mut headers = Headers::new();
        for line in answer.headers().lines() {
            if let Some((name, value)) = line.split_once(':') {
                headers.append(name, value.to_string());
            }
        }
        let status = answer.status();
        let body = FetchBody { js: self.js.clone(), answer };
        Ok(HttpResponse { status, headers, body: ResponseBody::from_fetch(body) })
    }
}

impl Transport for FetchTransport {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
        signal: &'a Signal,
        timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<HttpResponse>> {
        Box::pin(self.call(request, signal, timeout))
    }

    #[cfg(feature = "server")]
    fn streams_request_bodies(&self) -> bool {
        self.js.streams_bodies()
    }

    fn wait<'a>(&'a self, duration: Duration, signal: &'a Signal) -> BoxFuture<'a, Result<()>> {
        let abort = signal.abort.clone().unwrap_or(JsValue::UNDEFINED);
        let slept = self.js.sleep(duration.as_millis() as u64 as f64, &abort);
        Box::pin(async move { settled(slept).await.map(drop).map_err(failure) })
    }
}

/// A typed error from what the package's JS rejected with: `{ kind, message }` from the fetch
/// helper, and from `credentials.js` `{ kind: "credentials", message }`, with `code`, `status`
/// and `requestId` when STS refused (one reader for both: a typed getter per field costs glue
/// on both sides).
pub(crate) fn failure(e: JsValue) -> Error {
    let field = |name: &str| js_sys::Reflect::get(&e, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let message = field("message").as_string().unwrap_or_else(|| "fetch failed".into());
    match field("kind").as_string().as_deref() {
        Some("aborted") => Error::Aborted(message),
        Some("timeout") => Error::Timeout(message),
        Some("cors") => Error::Cors(message),
        Some("redirect") => Error::Service(Box::new(ServiceError {
            code: "RedirectNotFollowed".into(),
            message,
            ..ServiceError::default()
        })),
        Some("credentials") => match (field("code").as_string(), field("status").as_f64()) {
            (Some(code), Some(status)) => Error::CredentialsRefused(Box::new(ServiceError {
                status: status as u16,
                code,
                message,
                request_id: field("requestId").as_string(),
                ..ServiceError::default()
            })),
            _ => Error::Credentials(message),
        },
        _ => Error::Network(message),
    }
}

/// An answer's body, still in JS.
pub(crate) struct FetchBody {
    js: JsTransport,
    answer: Answer,
}

impl FetchBody {
    /// The body stream, untouched by wasm.
    pub(crate) fn into_stream(self) -> Result<web_sys::ReadableStream> {
        Ok(self.js.stream(&self.answer))
    }
}

/// Reads at most `limit` bytes of a body, and whether that was all of it; a longer body is
/// cancelled just past the limit.
pub(crate) async fn read_up_to(body: FetchBody, limit: usize) -> Result<(Bytes, bool)> {
    let read = body.js.read(&body.answer, limit as f64);
    let bytes: Uint8Array = settled(read).await.map_err(failure)?.unchecked_into();
    let mut bytes = bytes.to_vec();
    let whole = bytes.len() <= limit;
    bytes.truncate(limit);
    Ok((bytes.into(), whole))
}

pub(crate) fn stream_of(bytes: &[u8]) -> Result<web_sys::ReadableStream> {
    let response = web_sys::Response::new_with_opt_u8_array(Some(&mut bytes.to_vec())).ok();
    response.and_then(|response| response.body()).ok_or_else(|| Error::Network("cannot make a body stream".into()))
}
