//! The wasm transport: `globalThis.fetch` (looked up at each call, so a polyfill or test
//! double installed later is used) or any fetch-compatible function the caller passes in. Its
//! Response is read by duck typing, so undici's, a polyfill's or a test double's work too.
//!
//! Each attempt has its own `AbortController`: the caller's `AbortSignal` and the attempt's
//! deadline both abort it, and which one fired decides whether the error is `aborted` or
//! `timeout`.

use super::Transport;
use crate::body::Body;
use crate::error::{Error, Result, ServiceError};
use crate::http::{Headers, HttpRequest, HttpResponse, ResponseBody};
use crate::platform::{BoxFuture, Signal};
use bytes::Bytes;
use js_sys::{Function, Object, Reflect, Uint8Array};
use std::cell::Cell;
use std::time::Duration;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    static BYPASS_HTTP_CACHE: Cell<bool> = const { Cell::new(false) };
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Makes every fetch skip the HTTP cache (`cache: "no-store"`). The browser entry point turns
/// it on; elsewhere fetch has no HTTP cache, and workerd refuses the option on older
/// compatibility dates.
pub fn bypass_http_cache() {
    BYPASS_HTTP_CACHE.with(|bypass| bypass.set(true));
}

/// Sends requests through a JS `fetch`.
#[derive(Debug, Clone)]
pub struct FetchTransport {
    fetch: Option<Function>,
}

impl FetchTransport {
    /// Uses `globalThis.fetch`.
    pub fn global() -> Self {
        FetchTransport { fetch: None }
    }

    /// Uses the given fetch-compatible function.
    pub fn with_function(fetch: Function) -> Self {
        FetchTransport { fetch: Some(fetch) }
    }

    async fn call(&self, request: HttpRequest, signal: &Signal, timeout: Option<Duration>) -> Result<HttpResponse> {
        let attempt = Attempt::start(signal, timeout)?;
        let init = Object::new();
        set(&init, "method", &request.method.as_str().into());
        // A redirect would replay the signed request (session token and body included) to
        // whatever host the answer names; the 3xx comes back to the client instead.
        set(&init, "redirect", &"manual".into());
        set(&init, "signal", &attempt.controller_signal());
        if BYPASS_HTTP_CACHE.with(Cell::get) {
            // Every signed GET of a key has the same URL, so a browser's cache would answer a
            // read after a write with the old object.
            set(&init, "cache", &"no-store".into());
        }
        let headers = Object::new();
        for (name, value) in &request.headers {
            set(&headers, name, &value.into());
        }
        set(&init, "headers", &headers);
        match &request.body {
            Body::Empty => {}
            Body::Bytes(bytes) => set(&init, "body", &Uint8Array::from(bytes.as_ref())),
            Body::Js(js) => {
                set(&init, "body", js.fetch_value());
                if !js.is_replayable() {
                    // Node and Chromium refuse a streamed request body without it.
                    set(&init, "duplex", &"half".into());
                }
            }
        }
        let global = js_sys::global();
        let fetch = match &self.fetch {
            Some(f) => f.clone(),
            None => Reflect::get(&global, &"fetch".into())
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .ok_or_else(|| Error::Network("globalThis.fetch is not available; pass the `fetch` option".into()))?,
        };
        let url: JsValue = request.url.as_str().into();
        // Node's fetch copies a buffer body twice when given (url, init) and once when given a
        // Request made from them (a 64 MiB PUT: +128 MiB resident against +64 MiB). Only for
        // the global fetch: a caller's fetch function gets the (url, init) it may inspect.
        let buffer_body = matches!(&request.body, Body::Js(js) if js.is_buffer());
        let sent = match (self.fetch.is_none() && buffer_body)
            .then(|| get(&global, "Request").dyn_into::<Function>().ok())
            .flatten()
        {
            Some(class) => Reflect::construct(&class, &js_sys::Array::of2(&url, &init))
                .and_then(|prepared| fetch.call1(&global, &prepared)),
            None => fetch.call2(&global, &url, &init),
        };
        let sent = match sent {
            Ok(promise) => JsFuture::from(js_sys::Promise::resolve(&promise)).await,
            Err(e) => Err(e),
        };
        let response = match sent {
            Ok(response) if response.is_object() => response,
            Ok(_) => return Err(Error::Network("fetch resolved to something that is not a Response".into())),
            Err(e) => return Err(attempt.failed(&e, Some(&request.url))),
        };
        let status = get(&response, "status").as_f64().unwrap_or(0.0) as u16;
        if get(&response, "type").as_string().as_deref() == Some("opaqueredirect") {
            // Browsers hide a manual redirect's status and headers.
            return Err(Error::Service(Box::new(ServiceError {
                code: "RedirectNotFollowed".into(),
                message: "the server answered with a redirect, which is not followed: it would send the signed \
                          request to another address"
                    .into(),
                ..ServiceError::default()
            })));
        }
        let mut headers = Headers::new();
        if let Ok(Some(entries)) = js_sys::try_iter(&get(&response, "headers")) {
            for entry in entries.flatten() {
                let pair: js_sys::Array = entry.unchecked_into();
                headers
                    .append(&pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default());
            }
        }
        let body = FetchBody { response, attempt };
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
}

/// One attempt's cancellation: its controller, the deadline timer and the link from the
/// caller's signal. Dropping it stops the timer and unlinks the caller's signal.
pub(crate) struct Attempt {
    controller: JsValue,
    timer: Option<JsValue>,
    /// The caller's signal and the listener that forwards its abort.
    link: Option<(JsValue, Function)>,
}

impl Attempt {
    fn start(signal: &Signal, timeout: Option<Duration>) -> Result<Attempt> {
        let global = js_sys::global();
        let controller_class: Function = get(&global, "AbortController").unchecked_into();
        let controller = Reflect::construct(&controller_class, &js_sys::Array::new())
            .map_err(|_| Error::Network("AbortController is not available".into()))?;
        let abort: Function = get(&controller, "abort").unchecked_into();
        let mut attempt = Attempt { controller: controller.clone(), timer: None, link: None };
        if let Some(user) = &signal.abort {
            if get(user, "aborted").is_truthy() {
                return Err(Error::Aborted("the signal was aborted before the request was sent".into()));
            }
            // `abort(undefined)`: the listener's event must not become the abort reason.
            let forward: Function = JsValue::from(abort.bind1(&controller, &JsValue::UNDEFINED)).unchecked_into();
            call_method(user, "addEventListener", &["abort".into(), forward.clone().into()]);
            attempt.link = Some((user.clone(), forward));
        }
        if let Some(timeout) = timeout {
            let millis = timeout.as_millis().min(u64::MAX.into()) as u64;
            let reason = js_sys::Error::new(&format!("no answer within {millis} ms"));
            reason.set_name("TimeoutError");
            let fire: Function = JsValue::from(abort.bind1(&controller, &reason)).unchecked_into();
            attempt.timer = Some(set_timeout(&fire, millis as f64));
        }
        Ok(attempt)
    }

    fn controller_signal(&self) -> JsValue {
        get(&self.controller, "signal")
    }

    /// The body may take as long as it takes: only the wait for the answer has a deadline.
    fn stop_timer(&mut self) {
        if let Some(timer) = self.timer.take() {
            clear_timeout(&timer);
        }
    }

    /// Classifies a rejected fetch (`url` given) or body read (`None`): the caller's abort,
    /// the deadline, or the network (connection refused, DNS, TLS, a cut body, CORS).
    fn failed(&self, e: &JsValue, url: Option<&str>) -> Error {
        let text = get(e, "message").as_string().unwrap_or_else(|| "fetch failed".into());
        if self.link.as_ref().is_some_and(|(user, _)| get(user, "aborted").is_truthy()) {
            return Error::Aborted(text);
        }
        if get(&self.controller_signal(), "aborted").is_truthy()
            || get(e, "name").as_string().as_deref() == Some("TimeoutError")
        {
            return Error::Timeout(text);
        }
        if get(e, "name").as_string().as_deref() == Some("AbortError") {
            return Error::Aborted(text);
        }
        let cause = get(e, "cause");
        let cause = get(&cause, "message").as_string().map(|m| format!(" ({m})")).unwrap_or_default();
        match url {
            // Browsers report a CORS refusal as a bare network error on purpose. For another
            // origin it is by far the likeliest cause, and retrying cannot fix it; a body cut
            // off after readable headers, or a same-origin request, is no CORS refusal.
            Some(url) if in_browser() && !same_origin(url) => Error::Cors(format!(
                "{text}{cause}: the request to {url} got no readable answer (it may still have reached the server). \
                 In a browser this is most often CORS: the bucket's CORS rules must allow this page's origin, the \
                 method and the headers sent (and expose ETag to read it)"
            )),
            Some(_) => Error::Network(format!("{text}{cause}")),
            None => Error::Network(format!("the answer's body was cut off: {text}{cause}")),
        }
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        self.stop_timer();
        if let Some((user, forward)) = self.link.take() {
            call_method(&user, "removeEventListener", &["abort".into(), forward.into()]);
        }
    }
}

/// A fetch Response's body with the attempt that fetched it: reading it is still cancelled
/// by the caller's signal.
pub(crate) struct FetchBody {
    response: JsValue,
    attempt: Attempt,
}

impl FetchBody {
    /// The body stream, untouched by wasm. The caller's signal still aborts it (the link lives
    /// as long as the stream's reader may need it, so it is left to the garbage collector).
    pub(crate) fn into_stream(mut self) -> Result<web_sys::ReadableStream> {
        self.attempt.stop_timer();
        self.attempt.link = None;
        let stream = get(&self.response, "body");
        if stream.is_object() {
            Ok(stream.unchecked_into())
        } else {
            stream_of(&[])
        }
    }
}

/// Reads at most `limit` bytes of a body, a chunk at a time, and whether that was all of it;
/// a longer body is cancelled at the limit.
pub(crate) async fn read_up_to(body: FetchBody, limit: usize) -> Result<(Bytes, bool)> {
    let stream = get(&body.response, "body");
    if !stream.is_object() {
        return Ok((Bytes::new(), true));
    }
    let reader = call_method(&stream, "getReader", &[]);
    let mut out = Vec::new();
    loop {
        let next = JsFuture::from(js_sys::Promise::resolve(&call_method(&reader, "read", &[])))
            .await
            .map_err(|e| body.attempt.failed(&e, None))?;
        if get(&next, "done").is_truthy() {
            return Ok((out.into(), true));
        }
        let chunk: Uint8Array = get(&next, "value").unchecked_into();
        let room = limit - out.len();
        let take = room.min(chunk.length() as usize);
        let start = out.len();
        out.resize(start + take, 0);
        chunk.subarray(0, take as u32).copy_to(&mut out[start..]);
        if take < chunk.length() as usize {
            call_method(&reader, "cancel", &[]);
            return Ok((out.into(), false));
        }
    }
}

pub(crate) fn stream_of(bytes: &[u8]) -> Result<web_sys::ReadableStream> {
    let response = web_sys::Response::new_with_opt_u8_array(Some(&mut bytes.to_vec()))
        .map_err(|_| Error::Network("cannot make a Response".into()))?;
    response.body().ok_or_else(|| Error::Network("Response has no body stream".into()))
}

/// Whether this runs in a browser page or worker, where a failed fetch may be CORS.
fn in_browser() -> bool {
    let global = js_sys::global();
    get(&global, "document").is_object() || get(&global, "importScripts").is_function()
}

/// Whether `url` is on the page's own origin, where CORS does not apply.
fn same_origin(url: &str) -> bool {
    let origin = get(&get(&js_sys::global(), "location"), "origin").as_string();
    origin.is_some_and(|origin| url.strip_prefix(origin.as_str()).is_some_and(|rest| rest.starts_with('/')))
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &Object, name: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &name.into(), value);
}

/// Calls `target[name](...args)`; `undefined` when there is no such method or it throws.
fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> JsValue {
    let Ok(method) = get(target, name).dyn_into::<Function>() else { return JsValue::UNDEFINED };
    let args: js_sys::Array = args.iter().collect();
    Reflect::apply(&method, target, &args).unwrap_or(JsValue::UNDEFINED)
}
