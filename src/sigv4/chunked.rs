//! aws-chunked uploads: a body sent as chunks, each signed with the previous signature
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html>), optionally
//! ending with trailing headers such as a checksum
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html>).

use super::canonical::canonical_headers;
use super::{sha256_hex, Scope, SigningKey, EMPTY_SHA256};
use alloc::{format, string::String, vec::Vec};
use core::fmt;

/// `x-amz-content-sha256` of a body of signed chunks.
pub const STREAMING_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
/// `x-amz-content-sha256` of a body of signed chunks followed by signed trailers.
pub const STREAMING_PAYLOAD_TRAILER: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
/// `x-amz-content-sha256` of a body of unsigned chunks followed by unsigned trailers.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// Signs the chunks of one body in order. Start it from the seed signature: the one
/// `sign` made for the request head with a `STREAMING-*` payload hash. `Debug` hides the
/// chained signature.
pub struct ChunkSigner {
    previous: String,
    amz_date: String,
    scope: String,
    key: SigningKey,
}

impl fmt::Debug for ChunkSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("amz_date", &self.amz_date)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl ChunkSigner {
    pub fn new(seed_signature: &str, scope: &Scope, key: &SigningKey) -> Self {
        Self {
            previous: seed_signature.into(),
            amz_date: scope.time.amz_date(),
            scope: scope.credential_scope(),
            key: key.clone(),
        }
    }

    /// Signs the next chunk; an empty `data` is the final chunk. String to sign:
    /// `AWS4-HMAC-SHA256-PAYLOAD`, date, scope, previous signature, SHA-256(""), SHA-256(data).
    pub fn sign_chunk(&mut self, data: &[u8]) -> String {
        let hashes = format!("{EMPTY_SHA256}\n{}", sha256_hex(data));
        self.chain("AWS4-HMAC-SHA256-PAYLOAD", &hashes)
    }

    /// Signs the trailing headers, after the final chunk. String to sign:
    /// `AWS4-HMAC-SHA256-TRAILER`, date, scope, previous signature, SHA-256 of the
    /// canonical trailers (`name:value\n` lines, canonicalised like signed headers).
    pub fn sign_trailer(&mut self, trailers: &[(String, String)]) -> String {
        let (canonical, _) = canonical_headers(trailers);
        self.chain("AWS4-HMAC-SHA256-TRAILER", &sha256_hex(canonical.as_bytes()))
    }

    fn chain(&mut self, algorithm: &str, hashes: &str) -> String {
        let sts = format!("{algorithm}\n{}\n{}\n{}\n{hashes}", self.amz_date, self.scope, self.previous);
        self.previous = self.key.sign(&sts);
        self.previous.clone()
    }
}

/// `{hex size};chunk-signature={signature}\r\n{data}\r\n`. With empty `data` this is the
/// end of a body without trailers.
pub fn frame_chunk(data: &[u8], signature: &str) -> Vec<u8> {
    frame(data, Some(signature))
}

/// `{hex size}\r\n{data}\r\n`, a chunk of a `STREAMING-UNSIGNED-PAYLOAD-TRAILER` body.
pub fn frame_unsigned_chunk(data: &[u8]) -> Vec<u8> {
    frame(data, None)
}

/// The end of a body with trailers, in place of the empty final chunk: the zero-size chunk
/// line (signed when `signature` is given), one `name:value\r\n` line per trailer, then
/// the empty line. For signed trailers the last trailer is
/// `("x-amz-trailer-signature", ChunkSigner::sign_trailer(..))`.
pub fn frame_final_chunk(signature: Option<&str>, trailers: &[(String, String)]) -> Vec<u8> {
    let mut out = chunk_line(0, signature);
    for (name, value) in trailers {
        out.extend_from_slice(format!("{name}:{value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The Content-Length of a body of signed chunks (no trailers) carrying `decoded_len`
/// bytes in chunks of `chunk_size` (> 0) bytes, the final empty chunk included.
pub fn encoded_length(decoded_len: u64, chunk_size: u64) -> u64 {
    // hex size + ";chunk-signature=" + 64 hex digits + CRLF, then data + CRLF.
    let framed = |size: u64| format!("{size:x}").len() as u64 + 17 + 64 + 2 + size + 2;
    let (full, rest) = (decoded_len / chunk_size, decoded_len % chunk_size);
    full * framed(chunk_size) + if rest > 0 { framed(rest) } else { 0 } + framed(0)
}

fn frame(data: &[u8], signature: Option<&str>) -> Vec<u8> {
    let mut out = chunk_line(data.len(), signature);
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

fn chunk_line(size: usize, signature: Option<&str>) -> Vec<u8> {
    match signature {
        Some(sig) => format!("{size:x};chunk-signature={sig}\r\n"),
        None => format!("{size:x}\r\n"),
    }
    .into_bytes()
}
