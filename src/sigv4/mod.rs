//! AWS Signature Version 4 signing, in `core` + `alloc` only (no clock, no I/O), so the
//! same code runs on wasm32 and native. Time is always a parameter.
//!
//! Overview: <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>
//! S3 specifics: <https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html>

mod canonical;
pub mod chunked;
mod encode;
mod hash;
mod key;
pub mod post_policy;
pub mod sha256;
mod sign;
mod time;

pub use canonical::canonical_query;
pub use encode::uri_encode;
pub use hash::{sha256_hex, PayloadHasher, EMPTY_SHA256, UNSIGNED_PAYLOAD};
pub use key::{SigningKey, SigningKeyCache};
pub use sign::{authorization_header, presign, sign, Scope, SignableRequest, Signature, SigningCredentials};
pub use time::SigningTime;
