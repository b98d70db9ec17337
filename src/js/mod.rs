//! The wasm-bindgen surface: JS options in, plain JS objects out, errors as plain objects that
//! the package's `S3Error` class wraps. No S3 logic lives here.

mod convert;
mod inputs;
mod options;
mod outputs;

use crate::client::{Addressing, S3Client};
use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::platform::BoxFuture;
use crate::transport::fetch::FetchTransport;
use convert::error_to_js;
use inputs::FromOptions;
use js_sys::{Object, Promise, Reflect};
use options::Options;
use outputs::ToJs;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// Called by the browser entry point (`index.browser.js`): see [`bypass_http_cache`](crate::transport::fetch::bypass_http_cache).
#[wasm_bindgen(js_name = bypassHttpCache)]
pub fn bypass_http_cache() {
    crate::transport::fetch::bypass_http_cache();
}

/// The client as JS sees it (wrapped by `S3Client` in the package's `client.js`).
#[wasm_bindgen(js_name = WasmS3Client)]
pub struct WasmClient {
    client: S3Client,
}

impl WasmClient {
    fn build(options: &JsValue) -> Result<S3Client> {
        let o = Options::new(options)?;
        let addressing = match o.string("addressing")?.as_deref() {
            None | Some("path") => Addressing::Path,
            Some("virtual") => Addressing::Virtual,
            Some(other) => {
                return Err(Error::validation(format!("addressing {other:?} is not \"path\" or \"virtual\"")))
            }
        };
        let mut builder = S3Client::builder().region(o.required_string("region")?).addressing(addressing);
        if let Some(endpoint) = o.string("endpoint")? {
            builder = builder.endpoint(endpoint);
        }
        if o.raw("credentials").is_function() {
            return Err(Error::validation("credential callbacks are not supported yet; pass static credentials"));
        }
        let keys = o
            .object("credentials")?
            .ok_or_else(|| Error::Credentials("no credentials: pass { accessKeyId, secretAccessKey }".into()))?;
        if !keys.raw("webIdentity").is_undefined() {
            return Err(Error::validation("web identity credentials are not supported yet; pass static credentials"));
        }
        let mut credentials =
            Credentials::new(keys.required_string("accessKeyId")?, keys.required_string("secretAccessKey")?);
        if let Some(token) = keys.string("sessionToken")? {
            credentials = credentials.with_session_token(token);
        }
        builder = builder.credentials(credentials);
        builder = match o.raw("fetch").dyn_into::<js_sys::Function>() {
            Ok(f) => builder.transport(FetchTransport::with_function(f)),
            Err(other) if other.is_undefined() || other.is_null() => builder,
            Err(_) => return Err(Error::validation("fetch must be a function")),
        };
        builder.build()
    }

    /// Runs `work` as a JS promise that rejects with a plain error object.
    fn run<F>(&self, work: impl FnOnce(S3Client) -> F) -> Promise
    where
        F: std::future::Future<Output = Result<JsValue>> + 'static,
    {
        // Boxed so the promise machinery is compiled once, not once per operation (wasm size).
        let future: BoxFuture<'static, Result<JsValue>> = Box::pin(work(self.client.clone()));
        future_to_promise(async move { future.await.map_err(|e| error_to_js(&e)) })
    }
}

#[wasm_bindgen(js_class = WasmS3Client)]
impl WasmClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> std::result::Result<WasmClient, JsValue> {
        Self::build(&options).map(|client| WasmClient { client }).map_err(|e| error_to_js(&e))
    }

    #[wasm_bindgen(js_name = getObject)]
    pub fn get_object(&self, options: JsValue) -> Promise {
        self.run(|s3| async move {
            let output = s3.get_object(read(&options)?).await?;
            let result: Object = output.info.to_js().unchecked_into();
            let _ = Reflect::set(&result, &"status".into(), &output.status.into());
            let _ = Reflect::set(&result, &"body".into(), &output.body.into_readable_stream()?.into());
            Ok(result.into())
        })
    }

    #[wasm_bindgen(js_name = listBuckets)]
    pub fn list_buckets(&self) -> Promise {
        self.run(|s3| async move { Ok(s3.list_buckets().await?.to_js()) })
    }

    pub fn presign(&self, options: JsValue) -> Promise {
        self.run(|s3| async move { Ok(s3.presign(read(&options)?).await?.into()) })
    }
}

/// Operations whose result is a plain object.
macro_rules! plain_operations {
    ($($js_name:literal => $method:ident),* $(,)?) => {
        #[wasm_bindgen(js_class = WasmS3Client)]
        impl WasmClient {
            $(
                #[wasm_bindgen(js_name = $js_name)]
                pub fn $method(&self, options: JsValue) -> Promise {
                    self.run(|s3| async move { Ok(s3.$method(read(&options)?).await?.to_js()) })
                }
            )*
        }
    };
}

plain_operations! {
    "putObject" => put_object,
    "headObject" => head_object,
    "deleteObject" => delete_object,
    "copyObject" => copy_object,
    "deleteObjects" => delete_objects,
    "createBucket" => create_bucket,
    "deleteBucket" => delete_bucket,
    "headBucket" => head_bucket,
    "getBucketLocation" => get_bucket_location,
    "listObjects" => list_objects,
    "getBucketVersioning" => get_bucket_versioning,
    "putBucketVersioning" => put_bucket_versioning,
    "listObjectVersions" => list_object_versions,
    "createMultipartUpload" => create_multipart_upload,
    "uploadPart" => upload_part,
    "uploadPartCopy" => upload_part_copy,
    "completeMultipartUpload" => complete_multipart_upload,
    "abortMultipartUpload" => abort_multipart_upload,
    "listParts" => list_parts,
    "listMultipartUploads" => list_multipart_uploads,
}

fn read<T: FromOptions>(options: &JsValue) -> Result<T> {
    T::from_options(&Options::new(options)?)
}
