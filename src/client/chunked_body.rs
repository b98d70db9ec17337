//! A stream body sent as signed aws-chunked data (natively, with
//! [`S3ClientBuilder::sign_stream_chunks`](super::S3ClientBuilder::sign_stream_chunks)): cut
//! into chunks of [`CHUNK_SIZE`] bytes, each signed with the signature before it, the request's
//! own first, so the server checks every byte against the key, as it does a hashed body.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html>

use crate::body::Body;
use crate::buffer::Bytes;
use crate::error::{Error, Result};
use crate::sigv4::chunked::{encoded_length, frame_chunk, ChunkSigner};
use core::pin::Pin;
use core::task::{ready, Context, Poll};
use futures_core::Stream;

/// The data of each chunk but the last (AWS asks for at least 8 KiB; its SDKs send 64).
pub(crate) const CHUNK_SIZE: usize = 64 * 1024;

/// The headers of a stream body of `length` bytes sent in signed chunks: the encoded length
/// as `content-length`, the data's as `x-amz-decoded-content-length`, and `aws-chunked` first
/// in `content-encoding` (before one the caller gave, such as `gzip`).
pub(crate) fn chunked_headers(headers: &mut Vec<(String, String)>, length: u64) {
    headers.retain(|(name, _)| name != "content-length");
    headers.push(("content-length".into(), encoded_length(length, CHUNK_SIZE as u64).to_string()));
    headers.push(("x-amz-decoded-content-length".into(), length.to_string()));
    match headers.iter_mut().find(|(name, _)| name == "content-encoding") {
        Some((_, encoding)) => *encoding = format!("aws-chunked,{encoding}"),
        None => headers.push(("content-encoding".into(), "aws-chunked".into())),
    }
}

/// The data's length that [`chunked_headers`] noted.
pub(crate) fn decoded_length(headers: &[(String, String)]) -> Option<u64> {
    headers.iter().find(|(name, _)| name == "x-amz-decoded-content-length")?.1.parse().ok()
}

/// `body` (a stream) framed as signed chunks by `signer`, which starts from the request's
/// signature. It must bring exactly `length` bytes, as its headers said. A stream already
/// taken stays as it is (the transport refuses to send it twice).
pub(crate) fn signed_chunks(body: &Body, signer: ChunkSigner, length: u64) -> Body {
    match body {
        Body::Stream(stream) => match stream.take() {
            Some(inner) => {
                Body::stream(SignedChunks { inner, signer, pending: Vec::new(), read: 0, length, done: false })
            }
            None => body.clone(),
        },
        _ => body.clone(),
    }
}

struct SignedChunks {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>,
    signer: ChunkSigner,
    /// Data read and not yet sent: less than a chunk, but while a chunk is cut off.
    pending: Vec<u8>,
    read: u64,
    length: u64,
    done: bool,
}

impl SignedChunks {
    fn chunk(&mut self, data: &[u8]) -> Vec<u8> {
        let signature = self.signer.sign_chunk(data);
        frame_chunk(data, &signature)
    }

    fn wrong_length(&self) -> Error {
        Error::validation(format!(
            "the body's stream gave {} bytes, not the contentLength of {} it was sent with",
            self.read, self.length
        ))
    }
}

impl Stream for SignedChunks {
    type Item = Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes>>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if this.pending.len() >= CHUNK_SIZE {
                let rest = this.pending.split_off(CHUNK_SIZE);
                let data = core::mem::replace(&mut this.pending, rest);
                return Poll::Ready(Some(Ok(this.chunk(&data).into())));
            }
            match ready!(this.inner.as_mut().poll_next(cx)) {
                Some(Ok(bytes)) => {
                    this.read += bytes.len() as u64;
                    if this.read > this.length {
                        this.done = true;
                        return Poll::Ready(Some(Err(this.wrong_length())));
                    }
                    this.pending.extend_from_slice(&bytes);
                }
                Some(Err(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                None => {
                    this.done = true;
                    if this.read != this.length {
                        return Poll::Ready(Some(Err(this.wrong_length())));
                    }
                    // The last data, then the empty chunk that ends the body.
                    let data = core::mem::take(&mut this.pending);
                    let mut end = if data.is_empty() { Vec::new() } else { this.chunk(&data) };
                    end.extend(this.chunk(&[]));
                    return Poll::Ready(Some(Ok(end.into())));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigv4::{Scope, SigningKey, SigningTime};

    fn signer() -> ChunkSigner {
        let scope = Scope { region: "us-east-1", service: "s3", time: SigningTime::from_unix_seconds(1_369_353_600) };
        let key = SigningKey::derive("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3");
        ChunkSigner::new("seed", &scope, &key)
    }

    fn pieces(sizes: &[usize]) -> Body {
        let pieces: Vec<Result<Bytes>> = sizes.iter().map(|&n| Ok(Bytes::from(vec![b'a'; n]))).collect();
        Body::stream(Pieces(pieces.into_iter()))
    }

    struct Pieces(std::vec::IntoIter<Result<Bytes>>);

    impl Stream for Pieces {
        type Item = Result<Bytes>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Bytes>>> {
            Poll::Ready(self.0.next())
        }
    }

    fn collect(body: Body) -> Result<Vec<u8>> {
        let Body::Stream(stream) = body else { panic!("not a stream") };
        let mut stream = stream.take().unwrap();
        let waker = std::task::Waker::noop();
        let mut out = Vec::new();
        while let Poll::Ready(Some(piece)) = stream.as_mut().poll_next(&mut Context::from_waker(waker)) {
            out.extend_from_slice(&piece?);
        }
        Ok(out)
    }

    #[test]
    fn pieces_of_any_size_are_sent_as_full_chunks_then_the_rest_then_the_end() {
        // 100 KiB in pieces that straddle the chunk boundary: one 64 KiB chunk, one of 36 KiB.
        let length = 100 * 1024;
        let body = signed_chunks(&pieces(&[1000, 70_000, 0, 31_400]), signer(), length);
        let sent = collect(body).unwrap();
        let mut expected = signer();
        let mut want = frame_chunk(&[b'a'; CHUNK_SIZE], &expected.sign_chunk(&[b'a'; CHUNK_SIZE]));
        let rest = vec![b'a'; 100 * 1024 - CHUNK_SIZE];
        want.extend(frame_chunk(&rest, &expected.sign_chunk(&rest)));
        want.extend(frame_chunk(&[], &expected.sign_chunk(&[])));
        assert_eq!(sent, want);
        assert_eq!(sent.len() as u64, encoded_length(length, CHUNK_SIZE as u64), "the content-length sent");
    }

    #[test]
    fn a_stream_longer_or_shorter_than_its_length_fails() {
        for sizes in [&[10, 10][..], &[5]] {
            let error = collect(signed_chunks(&pieces(sizes), signer(), 15)).unwrap_err();
            assert!(error.to_string().contains("not the contentLength of 15"), "{error}");
        }
    }

    #[test]
    fn headers_carry_both_lengths_and_aws_chunked_first() {
        let mut headers = vec![("content-length".into(), "5".into()), ("content-encoding".into(), "gzip".into())];
        chunked_headers(&mut headers, 5);
        let get = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("content-length"), Some(&*encoded_length(5, CHUNK_SIZE as u64).to_string()));
        assert_eq!(get("x-amz-decoded-content-length"), Some("5"));
        assert_eq!(get("content-encoding"), Some("aws-chunked,gzip"));
    }
}
