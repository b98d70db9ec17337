//! The `credentials` option as wasm sees it: `{ accessKeyId, secretAccessKey, sessionToken }`,
//! `"anonymous"`, or a function. The package's `credentials.js` turns the user's async
//! function and `{ webIdentity }` into that function, with the cache in JS: one refresh at a
//! time is a shared promise there, at a fraction of the download the Rust cache costs. It
//! resolves to `[accessKeyId, secretAccessKey, sessionToken?, expirationMs?]`; its
//! `invalidate(accessKeyId)` drops credentials S3 called expired. STS answers are read here
//! ([`read_sts_answer`]), by the same XML reader as S3's.

use crate::client::S3ClientBuilder;
use crate::credentials::{self, StsAnswer};
use crate::credentials::{Credentials, ProvideCredentials};
use crate::error::Result;
use crate::operations::Shape;
use crate::platform::js_await::settled;
use crate::platform::BoxFuture;
use crate::time::Timestamp;
use crate::transport::fetch::failure;
use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

/// The `credentials` setting as `credentials.js` made it: `"anonymous"`, a function (see
/// [`JsCredentials`]), static keys `[accessKeyId, secretAccessKey, sessionToken?]`, or
/// `undefined` when none were given (the builder's error then says how to give them).
pub(super) fn configure(value: JsValue, builder: S3ClientBuilder) -> S3ClientBuilder {
    match value.dyn_into::<Function>() {
        Ok(get) => builder.credentials_uncached(JsCredentials { get }),
        Err(none) if none.is_undefined() => builder,
        Err(anonymous) if anonymous.is_string() => builder.anonymous(),
        Err(keys) => builder.credentials(keys_of(keys.unchecked_ref())),
    }
}

/// `[accessKeyId, secretAccessKey, sessionToken?, expirationMs?]`, whose key id and secret
/// `credentials.js` checked are strings.
fn keys_of(keys: &Array) -> Credentials {
    let text = |at| keys.get_unchecked(at).as_string();
    let mut credentials = Credentials::new(text(0).unwrap_or_default(), text(1).unwrap_or_default());
    if let Some(token) = text(2) {
        credentials = credentials.with_session_token(token);
    }
    if let Some(ms) = keys.get_unchecked(3).as_f64() {
        credentials = credentials.with_expiration(Timestamp::from_unix_millis(ms as i64));
    }
    credentials
}

/// Credentials from `credentials.js`, which caches them.
struct JsCredentials {
    get: Function,
}

impl ProvideCredentials for JsCredentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        Box::pin(async move {
            let mut keys = self.get.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED).map_err(failure)?;
            // Cached keys come at once; a refresh as a promise.
            if !Array::is_array(&keys) {
                keys = settled(keys.unchecked_into()).await.map_err(failure)?;
            }
            Ok(keys_of(keys.unchecked_ref()))
        })
    }

    fn invalidate(&self, stale: &Credentials) -> bool {
        self.get.call1(&JsValue::UNDEFINED, &stale.access_key_id().into()).is_ok()
    }
}

/// An STS `AssumeRoleWithWebIdentity` answer (or its error) as `[text, ops]` (see
/// [`values::Tape`](super::values::Tape)), read by the same declarations and reader as
/// natively (`credentials::StsAnswer`): `{ credentials: { accessKeyId, secretAccessKey,
/// sessionToken, expiration (a Date) }, error: { code, message }, requestId }`, each part
/// present only when the document holds it.
#[wasm_bindgen(js_name = readStsAnswer)]
pub fn read_sts_answer(text: &str) -> JsValue {
    super::values::Tape::new(StsAnswer::FIELDS, &credentials::read_sts_answer(text.as_bytes())).into_js(None)
}
