//! The wasm transport: `globalThis.fetch` (looked up at each call, so a polyfill or test
//! double installed later is used) or a fetch function the caller passes in.

use super::Transport;
use crate::body::Body;
use crate::error::{Error, Result, ServiceError};
use crate::http::{Headers, HttpRequest, HttpResponse, ResponseBody};
use crate::platform::BoxFuture;
use bytes::Bytes;
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::Cell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    static BYPASS_HTTP_CACHE: Cell<bool> = const { Cell::new(false) };
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
    fetch: Option<js_sys::Function>,
}

impl FetchTransport {
    /// Uses `globalThis.fetch`.
    pub fn global() -> Self {
        FetchTransport { fetch: None }
    }

    /// Uses the given fetch-compatible function.
    pub fn with_function(fetch: js_sys::Function) -> Self {
        FetchTransport { fetch: Some(fetch) }
    }

    async fn call(&self, request: HttpRequest) -> Result<HttpResponse> {
        let init = Object::new();
        set(&init, "method", &request.method.as_str().into());
        // A redirect would replay the signed request (session token and body included) to
        // whatever host the answer names; the 3xx comes back to the client instead.
        set(&init, "redirect", &"manual".into());
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
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .ok_or_else(|| Error::Network("globalThis.fetch is not available; pass the `fetch` option".into()))?,
        };
        let promise = fetch.call2(&global, &request.url.into(), &init).map_err(|e| fetch_error(&e))?;
        let response: web_sys::Response = JsFuture::from(js_sys::Promise::resolve(&promise))
            .await
            .map_err(|e| fetch_error(&e))?
            .dyn_into()
            .map_err(|_| Error::Network("fetch resolved to something that is not a Response".into()))?;
        if response.type_() == web_sys::ResponseType::Opaqueredirect {
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
        if let Ok(Some(entries)) = js_sys::try_iter(&response.headers()) {
            for entry in entries.flatten() {
                let pair: js_sys::Array = entry.unchecked_into();
                headers
                    .append(&pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default());
            }
        }
        Ok(HttpResponse { status: response.status(), headers, body: ResponseBody::from_fetch(response) })
    }
}

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse>> {
        Box::pin(self.call(request))
    }
}

fn set(target: &Object, name: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &name.into(), value);
}

/// A rejected fetch: an `AbortError` is the caller's cancellation, anything else a network
/// failure (connection refused, DNS, CORS, TLS).
fn fetch_error(e: &JsValue) -> Error {
    let name = Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    let message = Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string());
    let text = message.unwrap_or_else(|| format!("{e:?}"));
    let cause = Reflect::get(e, &"cause".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .and_then(|c| Reflect::get(&c, &"message".into()).ok())
        .and_then(|m| m.as_string())
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    match name.as_str() {
        "AbortError" => Error::Aborted(text),
        "TimeoutError" => Error::Timeout(text),
        _ => Error::Network(format!("{text}{cause}")),
    }
}

pub(crate) async fn read_all(response: &web_sys::Response) -> Result<Bytes> {
    let promise = response.array_buffer().map_err(|e| fetch_error(&e))?;
    let buffer = JsFuture::from(promise).await.map_err(|e| fetch_error(&e))?;
    Ok(Uint8Array::new(&buffer).to_vec().into())
}

pub(crate) fn stream_of(bytes: &[u8]) -> Result<web_sys::ReadableStream> {
    let response = web_sys::Response::new_with_opt_u8_array(Some(&mut bytes.to_vec())).map_err(|e| fetch_error(&e))?;
    response.body().ok_or_else(|| Error::Network("Response has no body stream".into()))
}
