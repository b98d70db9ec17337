//! Request bodies. Bytes or a stream of them natively; on wasm, JS values (Blob,
//! ReadableStream, ArrayBuffer, typed array, string) pass to fetch as they are, and the
//! package's JS reads them, in pieces, when something must see their bytes (a digest).

use crate::buffer::Bytes;
use crate::checksum::Checksum;
use crate::error::Result;

/// The body of a request. `Debug` shows its kind and length, never its bytes (a form body may
/// hold a web identity token).
#[derive(Clone, Default)]
pub enum Body {
    #[default]
    Empty,
    Bytes(Bytes),
    /// Bytes sent as a stream gives them, once; see [`Body::stream`].
    #[cfg(not(target_arch = "wasm32"))]
    Stream(StreamBody),
    /// A body that stays in JS; see [`JsBody`].
    #[cfg(target_arch = "wasm32")]
    Js(JsBody),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            #[cfg(not(target_arch = "wasm32"))]
            Body::Stream(_) => f.write_str("Stream"),
            #[cfg(target_arch = "wasm32")]
            Body::Js(_) => f.write_str("Js"),
        }
    }
}

impl Body {
    /// A body sent as `stream` gives it, never held whole. S3 needs its length before it
    /// starts: give the operation's `content_length`. It is sent once, so a failed attempt is
    /// not retried; `upload()` sends a stream of any size in parts, and retries them.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn stream(stream: impl futures_core::Stream<Item = Result<Bytes>> + Send + 'static) -> Body {
        Body::Stream(StreamBody(std::sync::Arc::new(std::sync::Mutex::new(Some(Box::pin(stream))))))
    }

    /// Whether the body can be sent again (by a retry or a redirect): all but a stream (a
    /// native one, or a JS `ReadableStream`), which its first send consumes.
    pub fn is_replayable(&self) -> bool {
        match self {
            Body::Empty | Body::Bytes(_) => true,
            #[cfg(not(target_arch = "wasm32"))]
            Body::Stream(_) => false,
            #[cfg(target_arch = "wasm32")]
            Body::Js(js) => js.is_replayable(),
        }
    }

    /// How many bytes it sends, when that is known before sending (not for a stream; a
    /// string's is an upper bound).
    pub fn length_hint(&self) -> Option<u64> {
        match self {
            #[cfg(target_arch = "wasm32")]
            Body::Js(js) => js.length_hint(),
            _ => self.exact_length(),
        }
    }

    /// How many bytes it sends, when that is known exactly before sending (not for a stream).
    pub fn exact_length(&self) -> Option<u64> {
        match self {
            Body::Empty => Some(0),
            Body::Bytes(b) => Some(b.len() as u64),
            #[cfg(not(target_arch = "wasm32"))]
            Body::Stream(_) => None,
            #[cfg(target_arch = "wasm32")]
            Body::Js(js) => js.exact_length(),
        }
    }

    /// The digest S3 checks the body against, as its header carries it: `Content-MD5`
    /// (algorithm `MD5`) or an `x-amz-checksum-*` (see [`Checksum`]). Bytes are hashed here;
    /// a JS body was hashed in JS, where it lives, before the call (see [`JsBody::digest`]);
    /// a stream is sent as it is read, and cannot be read twice.
    pub(crate) fn digest(&self, algorithm: &str) -> Result<String> {
        match self {
            Body::Empty => Ok(Checksum::of(algorithm, &[])),
            Body::Bytes(b) => Ok(Checksum::of(algorithm, b)),
            #[cfg(not(target_arch = "wasm32"))]
            Body::Stream(_) => Err(crate::Error::validation(
                "a stream body cannot be read twice; pass bytes to compute contentMd5 or a checksum",
            )),
            #[cfg(target_arch = "wasm32")]
            Body::Js(js) => js.digest(algorithm),
        }
    }
}

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Self {
        Body::Bytes(b)
    }
}

impl From<Vec<u8>> for Body {
    fn from(b: Vec<u8>) -> Self {
        Body::Bytes(b.into())
    }
}

impl From<&'static [u8]> for Body {
    fn from(b: &'static [u8]) -> Self {
        Body::Bytes(Bytes::from_static(b))
    }
}

impl From<String> for Body {
    fn from(s: String) -> Self {
        Body::Bytes(s.into())
    }
}

impl From<&'static str> for Body {
    fn from(s: &'static str) -> Self {
        Body::Bytes(Bytes::from_static(s.as_bytes()))
    }
}

/// The stream of a [`Body::stream`]: clones share it, and the attempt that sends it takes it
/// (a retry would find it gone, which is why such a body is not replayable).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone)]
pub struct StreamBody(std::sync::Arc<std::sync::Mutex<Option<Chunks>>>);

#[cfg(not(target_arch = "wasm32"))]
type Chunks = std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<Bytes>> + Send>>;

#[cfg(not(target_arch = "wasm32"))]
impl StreamBody {
    /// The stream, for the one attempt that sends it.
    pub(crate) fn take(&self) -> Option<Chunks> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()
    }
}

#[cfg(target_arch = "wasm32")]
pub use js_body::JsBody;

#[cfg(target_arch = "wasm32")]
mod js_body {
    use crate::error::{Error, Result};
    use js_sys::ArrayBuffer;
    use wasm_bindgen::{JsCast, JsValue};

    /// A JS value used as a request body, handed to fetch unchanged.
    #[derive(Debug, Clone)]
    pub struct JsBody {
        value: JsValue,
        kind: JsBodyKind,
        /// See [`JsBody::set_digests`].
        digests: JsValue,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum JsBodyKind {
        Text,
        Buffer,
        Blob,
        Stream,
    }

    impl JsBody {
        /// Classifies a JS value; anything else is a validation error.
        pub fn from_js(value: JsValue) -> Result<Option<JsBody>> {
            if value.is_undefined() || value.is_null() {
                return Ok(None);
            }
            let kind = if value.is_string() {
                JsBodyKind::Text
            } else if value.is_instance_of::<ArrayBuffer>() || ArrayBuffer::is_view(&value) {
                JsBodyKind::Buffer
            } else if value.is_instance_of::<web_sys::Blob>() {
                JsBodyKind::Blob
            } else if value.is_instance_of::<web_sys::ReadableStream>() {
                JsBodyKind::Stream
            } else {
                return Err(Error::validation(
                    "body must be a string, ArrayBuffer, typed array, Blob/File or ReadableStream",
                ));
            };
            Ok(Some(JsBody { value, kind, digests: JsValue::UNDEFINED }))
        }

        /// Whether the body can be sent again (a ReadableStream is consumed by the first send).
        pub fn is_replayable(&self) -> bool {
            self.kind != JsBodyKind::Stream
        }

        /// Its size in bytes: a Blob's `size`, a buffer's `byteLength`, at most three bytes
        /// per UTF-16 unit of a string; unknown for a stream.
        pub(crate) fn length_hint(&self) -> Option<u64> {
            match self.kind {
                JsBodyKind::Text => self.number("length").map(|units| units * 3),
                _ => self.exact_length(),
            }
        }

        /// A Blob's `size`, a buffer's `byteLength`, a string's UTF-8 length (read into wasm to
        /// count it); unknown for a stream.
        pub(crate) fn exact_length(&self) -> Option<u64> {
            match self.kind {
                JsBodyKind::Buffer => self.number("byteLength"),
                JsBodyKind::Blob => self.number("size"),
                JsBodyKind::Text => self.value.as_string().map(|text| text.len() as u64),
                JsBodyKind::Stream => None,
            }
        }

        fn number(&self, name: &str) -> Option<u64> {
            Some(js_sys::Reflect::get(&self.value, &name.into()).ok()?.as_f64()? as u64)
        }

        /// The value to give fetch. Typed arrays are passed as the same bytes.
        pub(crate) fn fetch_value(&self) -> &JsValue {
            &self.value
        }

        /// The digests the package's JS computed of it (`{ MD5, CRC32, … }`, base64;
        /// `client.js`), reading it where it lives, in pieces through the wasm's `Checksum`: a
        /// Blob by `slice`, never whole, and nothing kept in wasm memory. JS computes them once
        /// a first call without them has stopped at [`JsBody::digest`], past every check made
        /// before sending.
        pub(crate) fn set_digests(&mut self, digests: JsValue) {
            self.digests = digests;
        }

        /// The digest of `algorithm` computed in JS (see [`JsBody::set_digests`]); JS leaves a
        /// ReadableStream unhashed: its one read is the send.
        pub(crate) fn digest(&self, algorithm: &str) -> Result<String> {
            let given =
                js_sys::Reflect::get(&self.digests, &algorithm.into()).ok().and_then(|digest| digest.as_string());
            given.ok_or_else(|| {
                Error::validation(if self.kind == JsBodyKind::Stream {
                    "a ReadableStream body cannot be read twice; pass a Blob or ArrayBuffer to compute contentMd5 or a checksum"
                } else {
                    // client.js knows this message (`NO_DIGESTS`): it then hashes the body and
                    // calls again, so that a call refused for anything else never reads it.
                    "no digest of the body was given with the call"
                })
            })
        }
    }
}
