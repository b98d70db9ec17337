//! The hasher of JS bodies: `client.js` feeds a request body to it a piece at a time for
//! `contentMd5` and `checksum` (the body stays in JS), and `pkg-template/checksum.js` passes
//! each chunk of an object body through it as the body streams to its reader (`checksumMode`).

use wasm_bindgen::prelude::*;

/// A CRC32, CRC32C or SHA-256 being computed over chunks (see [`crate::checksum`]).
#[wasm_bindgen(js_name = Checksum)]
pub struct JsChecksum(Option<crate::checksum::Checksum>);

#[wasm_bindgen(js_class = Checksum)]
impl JsChecksum {
    /// A checksum of `algorithm` (`CRC32`, `CRC32C`, `SHA256` or `MD5`); any other computes
    /// nothing.
    #[wasm_bindgen(constructor)]
    pub fn new(algorithm: &str) -> JsChecksum {
        JsChecksum(crate::checksum::Checksum::new(algorithm))
    }

    pub fn update(&mut self, chunk: &[u8]) {
        if let Some(sum) = &mut self.0 {
            sum.update(chunk);
        }
    }

    /// The value its header carries (`x-amz-checksum-*`, `Content-MD5`: base64); empty for an
    /// unknown algorithm. The hasher is freed.
    pub fn finish(self) -> JsValue {
        self.0.map(crate::checksum::Checksum::finish).unwrap_or_default().into()
    }
}
