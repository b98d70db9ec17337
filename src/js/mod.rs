//! The wasm-bindgen surface, type-erased: one `call` for every operation (looked up by name
//! in the declarations), one `presign`, errors as plain objects that the package's `S3Error`
//! wraps. No S3 logic and no per-operation code live here.

mod checksum;
mod convert;
mod credentials;
#[cfg(feature = "server")]
mod post;
mod task;
mod values;

use crate::body::Body;
use crate::client::Reply;
use crate::client::{Addressing, PresignOptions, S3Client};
use crate::error::{Error, Result};
use crate::layers::breaker::BreakerPolicy;
use crate::layers::retry::RetryPolicy;
use crate::operations::{self, Operation, ResponseKind, Value};
use crate::platform::Signal;
use crate::transport::fetch::{FetchTransport, JsTransport};
use convert::error_to_js;
use js_sys::Array;
use std::future::Future;
use std::time::Duration;
use wasm_bindgen::prelude::*;

/// The client as JS sees it (wrapped by `S3Client` in the package's `client.js`).
#[wasm_bindgen(js_name = WasmS3Client)]
pub struct WasmClient {
    client: S3Client,
}

impl WasmClient {
    /// A client from the settings `client.js` read and checked from the caller's options:
    /// `[region, endpoints (an array, empty for AWS's), virtual-hosted addressing, timeoutMs,
    /// maxAttempts, baseDelayMs, maxDelayMs, followRegionRedirects, circuit breaker on,
    /// failureThreshold, resetAfterMs]`, a number absent (`undefined`) where not given. Reading
    /// the options object in JS instead of here keeps 1.6 KiB out of the browser download.
    fn build(settings: &Array, credentials: JsValue, transport: JsTransport) -> Result<S3Client> {
        let setting = |at| settings.get_unchecked(at);
        let number = |at| setting(at).as_f64().map(|n| n as u64);
        let addressing = if setting(2).is_truthy() { Addressing::Virtual } else { Addressing::Path };
        let mut builder = S3Client::builder().region(setting(0).as_string().unwrap_or_default()).addressing(addressing);
        let endpoints: Vec<String> =
            setting(1).unchecked_into::<Array>().iter().map(|url| url.as_string().unwrap_or_default()).collect();
        if !endpoints.is_empty() {
            builder = builder.endpoints(endpoints);
        }
        if let Some(ms) = number(3) {
            builder = builder.timeout((ms > 0).then(|| Duration::from_millis(ms)));
        }
        let retry = RetryPolicy::default();
        let breaker = BreakerPolicy::default();
        builder = builder
            .retry(RetryPolicy {
                max_attempts: number(4).map_or(retry.max_attempts, |n| n.min(100) as u32),
                base_delay: number(5).map_or(retry.base_delay, Duration::from_millis),
                max_delay: number(6).map_or(retry.max_delay, Duration::from_millis),
            })
            .follow_region_redirects(setting(7).is_truthy());
        if setting(8).is_truthy() {
            builder = builder.circuit_breaker(BreakerPolicy {
                failure_threshold: number(9).map_or(breaker.failure_threshold, |n| n.min(u32::MAX.into()) as u32),
                reset_after: number(10).map_or(breaker.reset_after, Duration::from_millis),
            });
        }
        // The `fetch` option is the transport's (client.js checked it and made `transport`).
        credentials::configure(credentials, builder).transport(FetchTransport::new(transport)).build()
    }

    /// `work` as a task for `client.js` to drive (see [`task::resume`]). Its first step runs
    /// there at once: what finishes without waiting (a presign, a validation error) settles
    /// right away, and a request is sent before the call returns.
    fn run(&self, work: impl Future<Output = (Result<JsValue>, u32)> + 'static) -> u32 {
        task::start(Box::pin(work))
    }
}

#[wasm_bindgen(js_class = WasmS3Client)]
impl WasmClient {
    #[wasm_bindgen(constructor)]
    /// A client from its settings (see [`WasmClient::build`]), its credentials (see
    /// [`credentials::configure`]) and the package's fetch transport (`transport.js`).
    pub fn new(
        settings: Array,
        credentials: JsValue,
        transport: JsTransport,
    ) -> std::result::Result<WasmClient, JsValue> {
        Self::build(&settings, credentials, transport)
            .map(|client| WasmClient { client })
            .map_err(|e| error_to_js(&e, 0))
    }

    /// Any operation by its JS name, as a task whose result is `[text, ops]` (see
    /// [`values::Tape`]), with a ReadableStream after them for a streamed answer. `values` are
    /// its options as `client.js` read them (see
    /// [`values::from_js`]); `signal` an AbortSignal or `undefined`; `digests` those `client.js`
    /// computed of a JS body (`{ MD5, CRC32, … }`, see
    /// [`JsBody::set_digests`](crate::body::JsBody::set_digests)), `undefined` on a first call
    /// that is to stop where it would need them.
    pub fn call(&self, name: String, values: JsValue, signal: JsValue, digests: JsValue) -> u32 {
        let client = self.client.clone();
        self.run(async move {
            let (operation, input) = match read_call(&name, &values, digests) {
                Ok(read) => read,
                Err(error) => return (Err(error), 0),
            };
            let signal = Signal { abort: (!signal.is_undefined()).then_some(signal) };
            let (reply, attempts) = client.call_counting(operation, input, &signal).await;
            (reply.and_then(|reply| reply_to_js(operation, reply)), attempts)
        })
    }

    /// The client's timeout in milliseconds (0: none), which `client.js` also applies to each
    /// read of an object body.
    #[wasm_bindgen(getter, js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> f64 {
        self.client.timeout().map_or(0.0, |timeout| timeout.as_millis() as u64 as f64)
    }

    /// Attempts a call may make (1: no retries); `client.js` resumes a cut-off object body up
    /// to one time fewer.
    #[wasm_bindgen(getter, js_name = maxAttempts)]
    pub fn max_attempts(&self) -> u32 {
        self.client.retry_policy().max_attempts
    }

    /// A presigned URL for an operation (its name and its options' `values`, as for
    /// [`WasmClient::call`]), `expiresIn` seconds, extra `headers` as `[name, value]` pairs, and
    /// `signingDate` (milliseconds or a date string), each `undefined` when not given.
    pub fn presign(
        &self,
        operation: String,
        values: JsValue,
        expires_in: JsValue,
        headers: JsValue,
        signing_date: JsValue,
    ) -> u32 {
        let client = self.client.clone();
        self.run(async move {
            let signed = async {
                let operation = find(&operation)?;
                let input = values::from_js(operation.input, &values)?;
                let options = PresignOptions {
                    expires_in: expires_in.as_f64().map(|s| s.min(f64::from(u32::MAX)) as u32),
                    headers: values::text_pairs(&headers),
                    signing_date: values::signing_date(&signing_date)?,
                };
                Ok(client.presign_operation(operation, input, &options).await?.into())
            };
            (signed.await, 0)
        })
    }
}

#[cfg(feature = "server")]
#[wasm_bindgen(js_class = WasmS3Client)]
impl WasmClient {
    /// A presigned POST form, as JSON `{ url, fields }` (the server build only), from the
    /// options as `presign-post.js` read them (see [`post::presign_post`]).
    #[wasm_bindgen(js_name = presignPost)]
    pub fn presign_post(&self, values: JsValue) -> u32 {
        let client = self.client.clone();
        self.run(async move { (post::presign_post(&client, &values).await, 0) })
    }
}

/// Every operation's input fields, for the package's option reader (see
/// [`operations::js_inputs`]); each entry asks once, when its wasm is ready.
#[wasm_bindgen(js_name = operationInputs)]
pub fn operation_inputs() -> String {
    operations::js_inputs()
}

/// The operation a `call` names and its input.
fn read_call(name: &str, values: &JsValue, digests: JsValue) -> Result<(&'static Operation, Vec<Value>)> {
    let operation = find(name)?;
    let mut input = values::from_js(operation.input, values)?;
    for value in &mut input {
        if let Value::Body(Body::Js(body)) = value {
            body.set_digests(digests.clone());
        }
    }
    Ok((operation, input))
}

/// A reply as JS gets it: the result's [`values::Tape`] as `[text, ops]`, with the object
/// body's ReadableStream after them for a stream.
fn reply_to_js(operation: &Operation, reply: Reply) -> Result<JsValue> {
    let tape = values::Tape::new(operation.output, &reply.values);
    Ok(match (operation.response, reply.body) {
        (ResponseKind::Stream, Some(body)) => tape.into_js(Some(body.into_readable_stream()?.into())),
        _ => tape.into_js(None),
    })
}

/// The operation of a JS name.
fn find(name: &str) -> Result<&'static Operation> {
    operations::find(name).ok_or_else(|| Error::validation(["no operation ", name].concat()))
}
