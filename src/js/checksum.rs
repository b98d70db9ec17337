//! The server build's checksum for JS (`checksumMode` on getObject): `pkg-template/checksum.js`
//! passes each chunk of an object body through it as the body streams to its reader.

use wasm_bindgen::prelude::*;

/// A CRC32, CRC32C or SHA-256 being computed over chunks (see [`crate::checksum`]).
#[wasm_bindgen(js_name = Checksum)]
pub struct JsChecksum(Option<crate::checksum::Checksum>);

#[wasm_bindgen(js_class = Checksum)]
impl JsChecksum {
    /// A checksum of `algorithm` (`CRC32`, `CRC32C` or `SHA256`); any other computes nothing.
    #[wasm_bindgen(constructor)]
    pub fn new(algorithm: &str) -> JsChecksum {
        JsChecksum(crate::checksum::Checksum::new(algorithm))
    }

    pub fn update(&mut self, chunk: &[u8]) {
        if let Some(sum) = &mut self.0 {
            sum.update(chunk);
        }
    }

    /// The value S3 gives in `x-amz-checksum-*` (base64); empty once taken.
    pub fn finish(&mut self) -> String {
        self.0.take().map(crate::checksum::Checksum::finish).unwrap_or_default()
    }
}
