//! A stream body sent as signed aws-chunked data (natively, with
//! [`S3ClientBuilder::sign_stream_chunks`](super::S3ClientBuilder::sign_stream_chunks)): cut
//! into chunks of [`CHUNK_SIZE`] bytes, each signed with the signature before it, the request's
//! own first, so the server checks every byte against the key, as it does a hashed body. A
//! `checksum`, which cannot be known before a stream is read, follows the data in a signed
//! trailer.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html>
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html>

use crate::body::Body;
use crate::buffer::Bytes;
use crate::checksum::Checksum;
use crate::error::{Error, Result};
use crate::sigv4::chunked::{
    encoded_length, frame_chunk, frame_final_chunk, ChunkSigner, STREAMING_PAYLOAD, STREAMING_PAYLOAD_TRAILER,
};
use core::pin::Pin;
use core::task::{ready, Context, Poll};
use futures_core::Stream;

/// The data of each chunk but the last (AWS asks for at least 8 KiB; its SDKs send 64).
pub(crate) const CHUNK_SIZE: usize = 64 * 1024;

/// The most one request's body may hold: S3-compatible stores take up to 5 TiB in one PUT
/// (AWS itself 5 GiB). A larger `content_length` is a mistake, and would overflow the
/// encoded length.
const MAX_LENGTH: u64 = 5 << 40;

/// The algorithm a request asks for (`checksum`) and the header S3 reads it from.
fn checksum_asked(headers: &[(String, String)]) -> Option<(&str, &'static str)> {
    let (_, algorithm) = headers.iter().find(|(name, _)| name == "x-amz-sdk-checksum-algorithm")?;
    Some((algorithm, crate::checksum::header(algorithm)?))
}

/// The headers of a stream body of `length` bytes sent in signed chunks: the encoded length
/// as `content-length`, the data's as `x-amz-decoded-content-length`, `aws-chunked` first in
/// `content-encoding` (before one the caller gave, such as `gzip`), and with a checksum the
/// trailer that will carry it (`x-amz-trailer`). Gives the payload hash to sign.
pub(crate) fn chunked_headers(headers: &mut Vec<(String, String)>, length: u64) -> Result<&'static str> {
    if length > MAX_LENGTH {
        return Err(Error::validation(format!(
            "contentLength {length} is over 5 TiB, more than one request can carry"
        )));
    }
    let mut encoded = encoded_length(length, CHUNK_SIZE as u64);
    let trailer = checksum_asked(headers).map(|(algorithm, name)| {
        // `name:value\r\n`, then `x-amz-trailer-signature:` with 64 hex digits and `\r\n`.
        let value = Checksum::of(algorithm, b"").len() as u64;
        encoded += name.len() as u64 + 1 + value + 2 + 24 + 64 + 2;
        name
    });
    if let Some(name) = trailer {
        headers.push(("x-amz-trailer".into(), name.into()));
    }
    headers.retain(|(name, _)| name != "content-length");
    headers.push(("content-length".into(), encoded.to_string()));
    headers.push(("x-amz-decoded-content-length".into(), length.to_string()));
    match headers.iter_mut().find(|(name, _)| name == "content-encoding") {
        Some((_, encoding)) if !encoding.trim().is_empty() && !encoding.starts_with("aws-chunked") => {
            *encoding = format!("aws-chunked,{encoding}");
        }
        Some((_, encoding)) if !encoding.starts_with("aws-chunked") => *encoding = "aws-chunked".into(),
        Some(_) => {}
        None => headers.push(("content-encoding".into(), "aws-chunked".into())),
    }
    Ok(if trailer.is_some() { STREAMING_PAYLOAD_TRAILER } else { STREAMING_PAYLOAD })
}

/// The checksum a chunked body computes as it goes, and the trailer it ends up in.
pub(crate) fn trailer(headers: &[(String, String)]) -> Option<(&'static str, Checksum)> {
    let (algorithm, name) = checksum_asked(headers)?;
    Some((name, Checksum::new(algorithm)?))
}

/// The data's length that [`chunked_headers`] noted.
pub(crate) fn decoded_length(headers: &[(String, String)]) -> Option<u64> {
    headers.iter().find(|(name, _)| name == "x-amz-decoded-content-length")?.1.parse().ok()
}

/// `body` (a stream) framed as signed chunks by `signer`, which starts from the request's
/// signature. It must bring exactly `length` bytes, as its headers said. A stream already
/// taken stays as it is (the transport refuses to send it twice).
pub(crate) fn signed_chunks(
    body: &Body,
    signer: ChunkSigner,
    length: u64,
    trailer: Option<(&'static str, Checksum)>,
) -> Body {
    match body {
        Body::Stream(stream) => match stream.take() {
            Some(inner) => Body::stream(SignedChunks {
                inner,
                signer,
                piece: Bytes::new(),
                partial: Vec::new(),
                read: 0,
                length,
                trailer,
                done: false,
            }),
            None => body.clone(),
        },
        _ => body.clone(),
    }
}

struct SignedChunks {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>,
    signer: ChunkSigner,
    /// The rest of the last piece the stream gave; chunks are cut from it without a copy.
    piece: Bytes,
    /// A chunk being put together from pieces smaller than one.
    partial: Vec<u8>,
    read: u64,
    length: u64,
    /// The checksum's header and its sum so far.
    trailer: Option<(&'static str, Checksum)>,
    done: bool,
}

impl SignedChunks {
    fn chunk(&mut self, data: &[u8]) -> Bytes {
        if let Some((_, sum)) = &mut self.trailer {
            sum.update(data);
        }
        let signature = self.signer.sign_chunk(data);
        frame_chunk(data, &signature).into()
    }

    /// The empty chunk that ends the data, then the signed trailer, if any.
    fn end(&mut self) -> Vec<u8> {
        let signature = self.signer.sign_chunk(&[]);
        let Some((name, sum)) = self.trailer.take() else { return frame_chunk(&[], &signature) };
        let mut lines = vec![(String::from(name), sum.finish())];
        let trailer_signature = self.signer.sign_trailer(&lines);
        lines.push(("x-amz-trailer-signature".into(), trailer_signature));
        frame_final_chunk(Some(&signature), &lines)
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
            if !this.piece.is_empty() {
                // A whole chunk of the piece is signed as it is; smaller rests are gathered.
                if this.partial.is_empty() && this.piece.len() >= CHUNK_SIZE {
                    let data = this.piece.split_to(CHUNK_SIZE);
                    return Poll::Ready(Some(Ok(this.chunk(&data))));
                }
                let wanted = (CHUNK_SIZE - this.partial.len()).min(this.piece.len());
                this.partial.extend_from_slice(&this.piece.split_to(wanted));
                if this.partial.len() == CHUNK_SIZE {
                    let data = core::mem::take(&mut this.partial);
                    return Poll::Ready(Some(Ok(this.chunk(&data))));
                }
                continue;
            }
            match ready!(this.inner.as_mut().poll_next(cx)) {
                Some(Ok(piece)) => {
                    this.read += piece.len() as u64;
                    if this.read > this.length {
                        this.done = true;
                        return Poll::Ready(Some(Err(this.wrong_length())));
                    }
                    this.piece = piece;
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
                    // The last data, then the empty chunk that ends the body (and the trailer).
                    let data = core::mem::take(&mut this.partial);
                    let mut end = if data.is_empty() { Vec::new() } else { this.chunk(&data).to_vec() };
                    end.extend(this.end());
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
        let body = signed_chunks(&pieces(&[1000, 70_000, 0, 31_400]), signer(), length, None);
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
    fn one_piece_of_many_chunks_is_sent_as_those_chunks() {
        // One 8 MiB piece: 128 chunks, each cut from it (not copied out of what follows it,
        // which would move 512 MiB here and make a piece of gigabytes take hours).
        let length = 8 << 20;
        let sent = collect(signed_chunks(&pieces(&[length as usize]), signer(), length, None)).unwrap();
        assert_eq!(sent.len() as u64, encoded_length(length, CHUNK_SIZE as u64));
        let mut expected = signer();
        let chunk = vec![b'a'; CHUNK_SIZE];
        let first = frame_chunk(&chunk, &expected.sign_chunk(&chunk));
        assert!(sent.starts_with(&first));
    }

    #[test]
    fn a_checksum_follows_the_data_in_a_signed_trailer_counted_in_the_content_length() {
        for algorithm in ["CRC32", "CRC32C", "SHA256"] {
            let mut headers = vec![("x-amz-sdk-checksum-algorithm".into(), algorithm.into())];
            let length = 70_000;
            assert_eq!(chunked_headers(&mut headers, length).unwrap(), STREAMING_PAYLOAD_TRAILER);
            let get = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            let header = crate::checksum::header(algorithm).unwrap();
            assert_eq!(get("x-amz-trailer").as_deref(), Some(header));
            let sent = collect(signed_chunks(&pieces(&[30_000, 40_000]), signer(), length, trailer(&headers))).unwrap();
            assert_eq!(get("content-length"), Some(sent.len().to_string()), "{algorithm}");

            let mut expected = signer();
            let (first, rest) = ([b'a'; CHUNK_SIZE], vec![b'a'; 70_000 - CHUNK_SIZE]);
            let mut want = frame_chunk(&first, &expected.sign_chunk(&first));
            want.extend(frame_chunk(&rest, &expected.sign_chunk(&rest)));
            let last = expected.sign_chunk(&[]);
            let mut lines = vec![(header.to_string(), Checksum::of(algorithm, &[b'a'; 70_000]))];
            let trailer_signature = expected.sign_trailer(&lines);
            lines.push(("x-amz-trailer-signature".into(), trailer_signature));
            want.extend(frame_final_chunk(Some(&last), &lines));
            assert_eq!(sent, want, "{algorithm}");
        }
    }

    #[test]
    fn a_stream_longer_or_shorter_than_its_length_fails() {
        for sizes in [&[10, 10][..], &[5]] {
            let error = collect(signed_chunks(&pieces(sizes), signer(), 15, None)).unwrap_err();
            assert!(error.to_string().contains("not the contentLength of 15"), "{error}");
        }
    }

    #[test]
    fn headers_carry_both_lengths_and_aws_chunked_first_and_lengths_over_5_tib_are_refused() {
        let mut headers = vec![("content-length".into(), "5".into()), ("content-encoding".into(), "gzip".into())];
        chunked_headers(&mut headers, 5).unwrap();
        let get = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("content-length"), Some(&*encoded_length(5, CHUNK_SIZE as u64).to_string()));
        assert_eq!(get("x-amz-decoded-content-length"), Some("5"));
        assert_eq!(get("content-encoding"), Some("aws-chunked,gzip"));
        for given in ["", " ", "aws-chunked", "aws-chunked,br"] {
            let mut headers = vec![("content-encoding".into(), given.into())];
            chunked_headers(&mut headers, 5).unwrap();
            let encoding = &headers.iter().find(|(n, _)| n == "content-encoding").unwrap().1;
            assert_eq!(encoding, if given.trim().is_empty() { "aws-chunked" } else { given });
        }
        let error = chunked_headers(&mut Vec::new(), u64::MAX).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Validation, "{error}");
    }
}
