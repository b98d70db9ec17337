//! livery-s3: a small, correct S3 client for browsers, Workers, Deno, Node (through
//! WebAssembly) and native Rust.
//!
//! ```no_run
//! # async fn demo() -> livery_s3::Result<()> {
//! use livery_s3::{Credentials, S3Client, operations::catalog::{GetObjectInput, PutObjectInput}};
//! let s3 = S3Client::builder()
//!     .region("us-east-1")
//!     .endpoint("http://127.0.0.1:9000")
//!     .credentials(Credentials::new("AKID", "SECRET"))
//!     .build()?;
//! s3.put_object(PutObjectInput::new("bucket", "hello.txt", "hi")).await?;
//! let object = s3.get_object(GetObjectInput::new("bucket", "hello.txt")).await?;
//! assert_eq!(&object.body.bytes().await?[..], b"hi");
//! # Ok(()) }
//! ```

extern crate alloc;

mod blocks;
pub mod body;
mod buffer;
pub mod checksum;
pub mod client;
pub mod credentials;
mod encoding;
pub mod error;
pub mod http;
pub mod layers;
mod md5;
pub mod operations;
pub mod platform;
#[cfg(not(target_arch = "wasm32"))]
pub mod presigned_upload;
pub mod sigv4;
pub mod time;
pub mod transport;
#[cfg(not(target_arch = "wasm32"))]
pub mod upload;
mod validate;
mod xml;

#[cfg(all(feature = "js", target_arch = "wasm32"))]
mod js;

#[cfg(all(feature = "small-alloc", target_arch = "wasm32"))]
mod small_alloc;

#[cfg(all(feature = "small-alloc", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: small_alloc::SmallAlloc = small_alloc::SmallAlloc::new();

pub use body::Body;
pub use buffer::Bytes;
pub use client::{Addressing, PresignInput, S3Client, S3ClientBuilder};
pub use credentials::Credentials;
pub use error::{Error, ErrorKind, Result, ServiceError};
pub use layers::breaker::BreakerPolicy;
pub use layers::retry::RetryPolicy;
