//! Inputs, outputs and wire formats, one module per operation family. Pure: each input
//! becomes an [`S3Request`](crate::client::S3Request) and each response becomes an output,
//! with no I/O beyond reading the response body.

pub mod bucket;
pub mod copy;
pub mod delete_objects;
pub(crate) mod error;
pub mod list;
pub mod multipart;
pub mod object;
pub mod versioning;
pub(crate) mod xml;

use crate::error::{Error, Result};
use crate::http::{Headers, HttpResponse};
use xml::Element;

/// Reads an XML response body. S3 answers some calls (CopyObject, CompleteMultipartUpload,
/// UploadPartCopy) with 200 and an `<Error>` body: that is an error.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html>
pub(crate) async fn read_xml(response: HttpResponse) -> Result<Element> {
    let status = response.status;
    let headers = response.headers;
    let bytes = response.body.bytes().await?;
    let root = Element::parse(&bytes).map_err(|e| Error::invalid_response(status, format!("unreadable XML: {e}")))?;
    match error::from_document(status, &headers, &root) {
        Some(e) => Err(Error::Service(Box::new(e))),
        None => Ok(root),
    }
}

/// Part numbers run from 1 to 10000.
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html>
pub(crate) fn check_part_number(part_number: Option<u32>) -> Result<Option<u32>> {
    match part_number {
        Some(n) if !(1..=10_000).contains(&n) => {
            Err(Error::validation(format!("part number {n} is outside 1..=10000")))
        }
        other => Ok(other),
    }
}

pub(crate) fn header(headers: &Headers, name: &str) -> Option<String> {
    headers.get(name).map(str::to_owned)
}

/// The owner of a bucket, object or upload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owner {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

impl Owner {
    fn from_xml(parent: &Element) -> Option<Owner> {
        let owner = parent.child("Owner")?;
        Some(Owner { id: owner.text("ID"), display_name: owner.text("DisplayName") })
    }
}

/// The `<CommonPrefixes><Prefix>` groups of a listing with a delimiter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommonPrefix {
    pub prefix: String,
}

impl CommonPrefix {
    fn all_from_xml(parent: &Element, decode: &impl Fn(String) -> String) -> Vec<CommonPrefix> {
        parent
            .children("CommonPrefixes")
            .filter_map(|group| group.text("Prefix"))
            .map(|prefix| CommonPrefix { prefix: decode(prefix) })
            .collect()
    }
}

/// Polls a future that never waits (parsing an in-memory body), for unit tests.
#[cfg(test)]
pub(crate) fn parse_now<F: std::future::Future>(future: F) -> F::Output {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut cx) {
        std::task::Poll::Ready(v) => v,
        std::task::Poll::Pending => panic!("an in-memory parse waited"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Headers, ResponseBody};

    #[test]
    fn a_200_with_an_error_body_is_an_error() {
        // CompleteMultipartUpload can fail after S3 has sent 200 OK.
        let xml = "<?xml version=\"1.0\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>r1</RequestId></Error>";
        let response = HttpResponse {
            status: 200,
            headers: Headers::new(),
            body: ResponseBody::from_bytes(xml.as_bytes().to_vec()),
        };
        let err = parse_now(read_xml(response)).unwrap_err();
        let service = err.service().unwrap();
        assert_eq!(
            (service.status, service.code.as_str(), service.request_id.as_deref()),
            (200, "InternalError", Some("r1"))
        );
        assert!(err.is_retryable());
    }

    #[test]
    fn unreadable_xml_is_an_invalid_response() {
        let response = HttpResponse {
            status: 200,
            headers: Headers::new(),
            body: ResponseBody::from_bytes(&b"<ListBucketResult><IsTruncated>maybe"[..]),
        };
        let err = parse_now(read_xml(response)).unwrap_err();
        assert_eq!(err.code(), Some("InvalidResponse"));
    }
}
