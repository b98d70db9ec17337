//! Builds the signer and the operation model (declarations and request building) as a
//! `#![no_std]` crate, to prove they need only `core` and `alloc`. The request body is the
//! platform's (bytes natively, JS values on wasm), so this crate gives the model a plain one.
#![no_std]
extern crate alloc;

#[path = "../../../src/sigv4/mod.rs"]
pub mod sigv4;

#[path = "../../../src/operations/mod.rs"]
pub mod operations;

#[path = "../../../src/time/timestamp.rs"]
pub mod time;

#[path = "../../../src/encoding.rs"]
pub mod encoding;

#[path = "../../../src/checksum.rs"]
pub mod checksum;

#[path = "../../../src/md5.rs"]
pub mod md5;

#[path = "../../../src/blocks.rs"]
mod blocks;

/// The model's request body, as the platform supplies it.
pub mod body {
    #[derive(Debug, Clone, Default)]
    pub enum Body {
        #[default]
        Empty,
        Bytes(alloc::vec::Vec<u8>),
    }

    impl From<alloc::string::String> for Body {
        fn from(text: alloc::string::String) -> Self {
            Body::Bytes(text.into_bytes())
        }
    }
}
