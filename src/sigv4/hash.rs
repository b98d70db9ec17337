//! SHA-256, hex-encoded the way SigV4 writes it (lower case). HMAC is in `key.rs`.

use super::sha256::{self, Sha256};
use alloc::string::String;

/// SHA-256 of the empty string: the payload hash of a request without a body.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Payload hash that leaves the body unsigned (presigned URLs, or bodies sent over TLS
/// that the caller chooses not to hash):
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&sha256::digest(data))
}

/// Incremental SHA-256, for a body that arrives in pieces.
#[derive(Clone, Debug, Default)]
pub struct PayloadHasher(Sha256);

impl PayloadHasher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    pub fn finish_hex(self) -> String {
        hex(&self.0.finish())
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // Written in place: pushing digit by digit checks the capacity each time.
    let mut out = alloc::vec![0u8; bytes.len() * 2];
    for (digits, &b) in out.chunks_exact_mut(2).zip(bytes) {
        digits.copy_from_slice(&[DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xf)]]);
    }
    // Only ASCII was written.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_hash_matches_one_shot() {
        let mut h = PayloadHasher::new();
        h.update(b"Welcome to ");
        h.update(b"Amazon S3.");
        assert_eq!(h.finish_hex(), sha256_hex(b"Welcome to Amazon S3."));
        assert_eq!(PayloadHasher::new().finish_hex(), EMPTY_SHA256);
    }
}
