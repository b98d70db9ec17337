//! The `credentials` option as wasm sees it: `{ accessKeyId, secretAccessKey, sessionToken }`,
//! `"anonymous"`, or a function. The package's `credentials.js` turns the user's async
//! function and `{ webIdentity }` into that function, with the cache in JS: one refresh at a
//! time is a shared promise there, at a fraction of the download the Rust cache costs. It
//! resolves to `[accessKeyId, secretAccessKey, sessionToken?, expirationMs?]`; its
//! `invalidate(accessKeyId)` drops credentials S3 called expired. STS answers are read here
//! ([`read_sts_answer`]), by the same XML reader as S3's.

use super::options::Options;
use crate::client::S3ClientBuilder;
use crate::credentials::{self, StsAnswer};
use crate::credentials::{Credentials, ProvideCredentials};
use crate::error::{Error, Result, ServiceError};
use crate::operations::Shape;
use crate::platform::js_await::settled;
use crate::platform::BoxFuture;
use crate::time::Timestamp;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;

pub(super) fn configure(o: &Options, builder: S3ClientBuilder) -> Result<S3ClientBuilder> {
    let value = o.raw("credentials");
    if value.as_string().as_deref() == Some("anonymous") {
        return Ok(builder.anonymous());
    }
    if let Some(get) = value.dyn_ref::<Function>() {
        return Ok(builder.credentials_uncached(JsCredentials { get: get.clone() }));
    }
    let keys = o.object("credentials")?.ok_or_else(|| {
        Error::Credentials(
            "no credentials: pass { accessKeyId, secretAccessKey }, an async function, { webIdentity } or \"anonymous\""
                .into(),
        )
    })?;
    keys.only(&|name| matches!(name, "accessKeyId" | "secretAccessKey" | "sessionToken"))?;
    let mut credentials =
        Credentials::new(keys.required_string("accessKeyId")?, keys.required_string("secretAccessKey")?);
    if let Some(token) = keys.string("sessionToken")? {
        credentials = credentials.with_session_token(token);
    }
    Ok(builder.credentials(credentials))
}

/// Credentials from `credentials.js`, which caches them.
struct JsCredentials {
    get: Function,
}

impl ProvideCredentials for JsCredentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        Box::pin(async move {
            let mut keys = self.get.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED).map_err(refused)?;
            // Cached keys come at once; a refresh as a promise.
            if !Array::is_array(&keys) {
                keys = settled(keys.unchecked_into()).await.map_err(refused)?;
            }
            let keys = Array::from(&keys);
            // `credentials.js` checked the key id and secret are strings.
            let text = |at| keys.get(at).as_string();
            let mut credentials = Credentials::new(text(0).unwrap_or_default(), text(1).unwrap_or_default());
            if let Some(token) = text(2) {
                credentials = credentials.with_session_token(token);
            }
            if let Some(ms) = keys.get(3).as_f64() {
                credentials = credentials.with_expiration(Timestamp::from_unix_millis(ms as i64));
            }
            Ok(credentials)
        })
    }

    fn invalidate(&self, stale: &Credentials) -> bool {
        self.get.call1(&JsValue::UNDEFINED, &stale.access_key_id().into()).is_ok()
    }
}

/// What the credentials function rejected with: `{ message, code, status, requestId }` from
/// `credentials.js` (an STS refusal keeps its code, status and request id).
fn refused(thrown: JsValue) -> Error {
    let field = |name: &str| Reflect::get(&thrown, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let message = field("message").as_string().unwrap_or_else(|| "the credentials could not be obtained".into());
    match (field("code").as_string(), field("status").as_f64()) {
        (Some(code), Some(status)) => Error::CredentialsRefused(Box::new(ServiceError {
            status: status as u16,
            code,
            message,
            request_id: field("requestId").as_string(),
            ..ServiceError::default()
        })),
        _ => Error::Credentials(message),
    }
}

/// An STS `AssumeRoleWithWebIdentity` answer (or its error) as JSON, read by the same
/// declarations and reader as natively (`credentials::StsAnswer`): `{ credentials: {
/// accessKeyId, secretAccessKey, sessionToken, expiration (ms) }, error: { code, message },
/// requestId }`, each part present only when the document holds it.
#[wasm_bindgen(js_name = readStsAnswer)]
pub fn read_sts_answer(text: &str) -> JsValue {
    let mut json = String::new();
    super::values::write_json(StsAnswer::FIELDS, &credentials::read_sts_answer(text.as_bytes()), &mut json);
    json.into()
}
