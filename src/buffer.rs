//! The byte buffer of bodies: the `bytes` crate's `Bytes` natively (reqwest sends it without a
//! copy); on wasm a shared `Vec`, which does the same job there for about 2 KB less download
//! (README, Size). Both are cheap to clone: a retried request sends the same bytes again.

#[cfg(not(target_arch = "wasm32"))]
pub use bytes::Bytes;

#[cfg(target_arch = "wasm32")]
pub use shared::Bytes;

#[cfg(target_arch = "wasm32")]
mod shared {
    use std::rc::Rc;

    /// Immutable bytes behind a reference count (wasm is single-threaded).
    #[derive(Clone, Default, PartialEq, Eq, Debug)]
    pub struct Bytes(Rc<Vec<u8>>);

    impl Bytes {
        pub fn from_static(bytes: &'static [u8]) -> Self {
            Bytes(Rc::new(bytes.to_vec()))
        }

        /// The first `range.end` bytes (a copy: only error bodies are cut).
        pub fn slice(&self, range: core::ops::RangeTo<usize>) -> Self {
            Bytes(Rc::new(self.0[range].to_vec()))
        }
    }

    impl core::ops::Deref for Bytes {
        type Target = [u8];

        fn deref(&self) -> &[u8] {
            &self.0
        }
    }

    impl AsRef<[u8]> for Bytes {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }

    impl From<Vec<u8>> for Bytes {
        fn from(bytes: Vec<u8>) -> Self {
            Bytes(Rc::new(bytes))
        }
    }

    impl From<String> for Bytes {
        fn from(text: String) -> Self {
            Bytes(Rc::new(text.into_bytes()))
        }
    }
}
