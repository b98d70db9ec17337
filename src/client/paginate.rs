//! Every object of a listing, page after page, as a `Stream`.

use super::S3Client;
use crate::error::{Error, Result};
use crate::operations::catalog::{ListObjectsInput, ListObjectsOutput, ObjectSummary};
use crate::platform::BoxFuture;
use futures_core::Stream;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The objects of a ListObjectsV2 listing, fetched a page at a time as the stream is read.
pub struct ObjectStream {
    client: S3Client,
    input: ListObjectsInput,
    /// False once the last page has been asked for (or a page failed).
    more: bool,
    buffered: VecDeque<ObjectSummary>,
    pending: Option<BoxFuture<'static, Result<ListObjectsOutput>>>,
}

impl S3Client {
    /// Every object under the input's prefix, across pages.
    pub fn list_objects_all(&self, input: ListObjectsInput) -> ObjectStream {
        ObjectStream { client: self.clone(), input, more: true, buffered: VecDeque::new(), pending: None }
    }
}

impl Stream for ObjectStream {
    type Item = Result<ObjectSummary>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(object) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(object)));
            }
            if self.pending.is_none() {
                if !self.more {
                    return Poll::Ready(None);
                }
                let (client, input) = (self.client.clone(), self.input.clone());
                self.pending = Some(Box::pin(async move { client.list_objects(input).await }));
            }
            let Some(Poll::Ready(page)) = self.pending.as_mut().map(|f| f.as_mut().poll(cx)) else {
                return Poll::Pending;
            };
            self.pending = None;
            match page.and_then(next_token) {
                Ok((token, contents)) => {
                    self.more = token.is_some();
                    self.input.continuation_token = token;
                    self.buffered.extend(contents);
                }
                Err(e) => {
                    self.more = false;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }
}

/// The token of the page after this one. A truncated page without a token would make the
/// listing loop forever, so it is an error.
fn next_token(page: ListObjectsOutput) -> Result<(Option<String>, Vec<ObjectSummary>)> {
    match (page.is_truncated, page.next_continuation_token) {
        (false, _) => Ok((None, page.contents)),
        (true, Some(token)) if !token.is_empty() => Ok((Some(token), page.contents)),
        (true, _) => Err(Error::invalid_response(200, "a truncated listing page has no NextContinuationToken")),
    }
}
