//! Request bodies. Bytes natively; on wasm, JS values (Blob, ReadableStream, ArrayBuffer,
//! typed array, string) pass to fetch as they are and are only read, in chunks, when
//! something must see their bytes (Content-MD5).

use crate::buffer::Bytes;
use crate::error::Result;

/// The body of a request. `Debug` shows its kind and length, never its bytes (a form body may
/// hold a web identity token).
#[derive(Clone, Default)]
pub enum Body {
    #[default]
    Empty,
    Bytes(Bytes),
    /// A body that stays in JS; see [`JsBody`].
    #[cfg(target_arch = "wasm32")]
    Js(JsBody),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            #[cfg(target_arch = "wasm32")]
            Body::Js(_) => f.write_str("Js"),
        }
    }
}

impl Body {
    /// Whether the body can be sent again (by a retry or a redirect): all but a JS
    /// `ReadableStream`, which its first send consumes.
    pub fn is_replayable(&self) -> bool {
        match self {
            Body::Empty | Body::Bytes(_) => true,
            #[cfg(target_arch = "wasm32")]
            Body::Js(js) => js.is_replayable(),
        }
    }

    /// How many bytes it sends, when that is known before sending (not for a stream; a
    /// string's is an upper bound).
    pub fn length_hint(&self) -> Option<u64> {
        match self {
            Body::Empty => Some(0),
            Body::Bytes(b) => Some(b.len() as u64),
            #[cfg(target_arch = "wasm32")]
            Body::Js(js) => js.length_hint(),
        }
    }

    /// Feeds every byte of the body to `sink`, a bounded piece at a time.
    pub(crate) async fn for_each_chunk(&self, mut sink: impl FnMut(&[u8])) -> Result<()> {
        match self {
            Body::Empty => Ok(()),
            Body::Bytes(b) => {
                sink(b);
                Ok(())
            }
            #[cfg(target_arch = "wasm32")]
            Body::Js(js) => js.for_each_chunk(sink).await,
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

#[cfg(target_arch = "wasm32")]
pub use js_body::JsBody;

#[cfg(target_arch = "wasm32")]
mod js_body {
    use crate::error::{Error, Result};
    use crate::platform::js_await::settled;
    use js_sys::{ArrayBuffer, Uint8Array};
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::{JsCast, JsValue};

    #[wasm_bindgen]
    extern "C" {
        /// `TextEncoder`, taking the string as a JS value so it is not copied into wasm first.
        type TextEncoder;
        #[wasm_bindgen(constructor)]
        fn new() -> TextEncoder;
        #[wasm_bindgen(method)]
        fn encode(this: &TextEncoder, text: &JsValue) -> BufferView;

        /// An `ArrayBuffer` view (typed array, `DataView`) whose offset and size are read as JS
        /// numbers: js-sys reads them as u32, which wraps for a view past 4 GiB.
        type BufferView;
        #[wasm_bindgen(method, getter)]
        fn buffer(this: &BufferView) -> JsValue;
        #[wasm_bindgen(method, getter, js_name = byteOffset)]
        fn byte_offset(this: &BufferView) -> f64;
        #[wasm_bindgen(method, getter, js_name = byteLength)]
        fn byte_length(this: &BufferView) -> f64;

        /// `new Uint8Array(buffer, byteOffset, length)` taking JS numbers (js-sys's constructor
        /// takes u32, so it cannot start a chunk past 4 GiB).
        #[wasm_bindgen(js_name = Uint8Array)]
        type ByteWindow;
        #[wasm_bindgen(constructor, js_class = "Uint8Array")]
        fn new(buffer: &JsValue, byte_offset: f64, length: f64) -> ByteWindow;
    }

    /// How much of a JS body is copied into wasm at once when it must be read.
    const READ_CHUNK: u32 = 1 << 20;

    /// A JS value used as a request body, handed to fetch unchanged.
    #[derive(Debug, Clone)]
    pub struct JsBody {
        value: JsValue,
        kind: JsBodyKind,
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
            Ok(Some(JsBody { value, kind }))
        }

        /// Whether the body can be sent again (a ReadableStream is consumed by the first send).
        pub fn is_replayable(&self) -> bool {
            self.kind != JsBodyKind::Stream
        }

        /// Its size in bytes: a Blob's `size`, a buffer's `byteLength`, at most three bytes
        /// per UTF-16 unit of a string; unknown for a stream.
        pub(crate) fn length_hint(&self) -> Option<u64> {
            let number = |name: &str| js_sys::Reflect::get(&self.value, &name.into()).ok()?.as_f64();
            match self.kind {
                JsBodyKind::Text => number("length").map(|units| units as u64 * 3),
                JsBodyKind::Buffer => number("byteLength").map(|bytes| bytes as u64),
                JsBodyKind::Blob => number("size").map(|bytes| bytes as u64),
                JsBodyKind::Stream => None,
            }
        }

        /// The value to give fetch. Typed arrays are passed as the same bytes.
        pub(crate) fn fetch_value(&self) -> &JsValue {
            &self.value
        }

        pub(crate) async fn for_each_chunk(&self, mut sink: impl FnMut(&[u8])) -> Result<()> {
            match self.kind {
                JsBodyKind::Stream => Err(Error::validation(
                    "a ReadableStream body cannot be read twice; pass a Blob or ArrayBuffer to compute contentMd5",
                )),
                JsBodyKind::Blob => self.for_each_blob_chunk(&mut sink).await,
                JsBodyKind::Buffer => {
                    for_each_view_chunk(&byte_range(&self.value), &mut sink);
                    Ok(())
                }
                JsBodyKind::Text => {
                    // Encoded in JS, then copied a chunk at a time like any other buffer.
                    for_each_view_chunk(&byte_range(&TextEncoder::new().encode(&self.value)), &mut sink);
                    Ok(())
                }
            }
        }

        async fn for_each_blob_chunk(&self, sink: &mut impl FnMut(&[u8])) -> Result<()> {
            let blob: &web_sys::Blob = self.value.unchecked_ref();
            let size = blob.size();
            let mut start = 0.0;
            while start < size {
                let end = (start + f64::from(READ_CHUNK)).min(size);
                let piece = blob
                    .slice_with_f64_and_f64(start, end)
                    .map_err(|_| Error::validation("reading the Blob failed"))?;
                let buffer =
                    settled(piece.array_buffer()).await.map_err(|_| Error::validation("reading the Blob failed"))?;
                sink(&Uint8Array::new(&buffer).to_vec());
                start = end;
            }
            Ok(())
        }
    }

    /// The bytes of a buffer body: `length` bytes of `buffer` from `offset`. u64, not u32: a
    /// JS buffer can be larger than 4 GiB (its sizes are integers below 2^53, exact in u64 and f64).
    struct ByteRange {
        buffer: JsValue,
        offset: u64,
        length: u64,
    }

    /// An `ArrayBuffer` or any view of one (typed array of any element type, `DataView`), as bytes.
    fn byte_range(value: &JsValue) -> ByteRange {
        // An ArrayBuffer has a `byteLength` getter too (and no `byteOffset`).
        let view: &BufferView = value.unchecked_ref();
        if value.is_instance_of::<ArrayBuffer>() {
            return ByteRange { buffer: value.clone(), offset: 0, length: js_size(view.byte_length()) };
        }
        ByteRange { buffer: view.buffer(), offset: js_size(view.byte_offset()), length: js_size(view.byte_length()) }
    }

    /// A size or offset read from JS (an integer in 0 ..= 2^53 - 1; `as` maps NaN to 0).
    fn js_size(n: f64) -> u64 {
        n as u64
    }

    /// Copies the range into wasm `READ_CHUNK` bytes at a time. The cursor is u64 and every
    /// chunk is at least one byte, so the loop ends for any size (no u32 to wrap at 4 GiB).
    fn for_each_view_chunk(bytes: &ByteRange, sink: &mut impl FnMut(&[u8])) {
        let mut done = 0u64;
        while done < bytes.length {
            let len = (bytes.length - done).min(u64::from(READ_CHUNK));
            // Both below 2^53, so exact as f64.
            let chunk: Uint8Array =
                ByteWindow::new(&bytes.buffer, (bytes.offset + done) as f64, len as f64).unchecked_into();
            sink(&chunk.to_vec());
            done += len;
        }
    }
}
