//! Resumed downloads, natively: an object body cut off mid-stream (a reset, a stall past the
//! timeout, an answer shorter than its `Content-Length`) continues with a ranged GET from the
//! next byte, pinned with `If-Match` to the first answer's ETag, within the retry policy's
//! attempts. The reader sees one uninterrupted body, or a typed error; a changed object is
//! `PreconditionFailed`, never a mix of two. (In the package `client.js` does the same.)

use super::S3Client;
use crate::buffer::Bytes;
use crate::error::{Error, Result};
use crate::http::ResponseBody;
use crate::operations::catalog::{GetObjectInput, ObjectInfo};
use crate::operations::ByteRange;

/// The state of a body that resumes.
pub(crate) struct Resuming {
    body: ResponseBody,
    client: S3Client,
    input: GetObjectInput,
    etag: String,
    /// Where the wanted bytes start in the object, and end (inclusive) when known.
    start: u64,
    end: Option<u64>,
    /// Bytes handed to the reader so far, and how many the first answer announced.
    received: u64,
    expected: Option<u64>,
    resumes_left: u32,
}

impl Resuming {
    /// Wraps the body of a GetObject answer, or gives it back as it is when it cannot resume:
    /// no ETag to pin, a part (which cannot be asked for by range), or no retries.
    pub(crate) fn wrap(
        client: &S3Client,
        input: GetObjectInput,
        info: &ObjectInfo,
        body: ResponseBody,
    ) -> ResponseBody {
        let resumes = client.retry_policy().max_attempts.saturating_sub(1);
        let span = info.content_range.as_deref().map(content_range);
        // A weak ETag (`W/"…"`) never matches If-Match: an unchanged object would look changed.
        let etag = info.etag.clone().filter(|etag| !etag.starts_with("W/"));
        let (Some(etag), None, true) = (etag, input.part_number, resumes > 0) else { return body };
        let (start, end) = match span {
            Some(Some((start, end))) => (start, Some(end)),
            Some(None) => return body,
            None => (0, None),
        };
        ResponseBody::resuming(Resuming {
            body,
            client: client.clone(),
            input,
            etag,
            start,
            end,
            received: 0,
            expected: info.content_length,
            resumes_left: resumes,
        })
    }

    /// The next piece of the body, resuming as often as the retry policy allows.
    pub(crate) async fn chunk(&mut self) -> Result<Option<Bytes>> {
        loop {
            let cut = match self.body.chunk().await {
                Ok(Some(chunk)) => {
                    self.received += chunk.len() as u64;
                    return Ok(Some(chunk));
                }
                Ok(None) if self.expected.is_none_or(|expected| self.received >= expected) => return Ok(None),
                Ok(None) => Error::Network(format!(
                    "the object's body ended after {} of {} bytes",
                    self.received,
                    self.expected.unwrap_or_default()
                )),
                Err(error) if error.is_retryable() => error,
                Err(error) => return Err(error),
            };
            if self.resumes_left == 0 {
                return Err(cut);
            }
            self.resumes_left -= 1;
            self.body = self.rest().await?;
        }
    }

    /// A GET of the rest of the same object.
    async fn rest(&self) -> Result<ResponseBody> {
        // Saturating: a server's `Content-Range` may say any start, up to u64::MAX.
        let from = self.start.saturating_add(self.received);
        let mut input = self.input.clone();
        input.range = Some(ByteRange::From { start: from, end: self.end });
        input.conditions.if_match = Some(self.etag.clone());
        let answer = self.client.get_object_once(input).await?;
        // A server that ignores Range sends the object from its start (its bytes would repeat),
        // and one that sends more than asked would run past the first answer's end.
        let last = self.end.or(self.expected.map(|size| self.start.saturating_add(size).saturating_sub(1)));
        let span = answer.info.content_range.as_deref().and_then(content_range);
        if span.map(|(start, _)| start) != Some(from) || last.is_some_and(|last| span.map(|(_, end)| end) != Some(last))
        {
            return Err(Error::Network(format!(
                "the object's body was cut off, and the server did not resume it from byte {from}"
            )));
        }
        Ok(answer.body)
    }
}

/// `bytes START-END/SIZE` as (START, END).
fn content_range(value: &str) -> Option<(u64, u64)> {
    let span = value.trim_ascii().strip_prefix("bytes ")?.split('/').next()?;
    let (start, end) = span.split_once('-')?;
    Some((start.parse().ok()?, end.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_content_ranges() {
        assert_eq!(content_range("bytes 100-199/1000"), Some((100, 199)));
        assert_eq!(content_range("bytes */1000"), None);
        assert_eq!(content_range("items 1-2/3"), None);
    }
}
