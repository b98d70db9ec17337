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

use crate::error::{Error, Result};
use crate::http::HttpResponse;
use crate::time::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Reads an XML response body into `T`. S3 answers some calls (CopyObject,
/// CompleteMultipartUpload, UploadPartCopy) with 200 and an `<Error>` body: that is an error.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html>
pub(crate) async fn read_xml<T: DeserializeOwned>(response: HttpResponse) -> Result<T> {
    let status = response.status;
    let headers = response.headers;
    let bytes = response.body.bytes().await?;
    if let Some(e) = error::parse_error_document(status, &headers, &bytes) {
        return Err(Error::Service(Box::new(e)));
    }
    parse_xml(status, &bytes)
}

pub(crate) fn parse_xml<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T> {
    let text = std::str::from_utf8(bytes).map_err(|_| Error::invalid_response(status, "XML body is not UTF-8"))?;
    quick_xml::de::from_str(text).map_err(|e| Error::invalid_response(status, format!("unreadable XML: {e}")))
}

/// An XML request body with the S3 namespace.
pub(crate) fn to_xml<T: serde::Serialize>(root: &str, value: &T) -> Result<bytes::Bytes> {
    let mut text = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let serializer = quick_xml::se::Serializer::with_root(&mut text, Some(root))
        .map_err(|e| Error::validation(format!("cannot write {root}: {e}")))?;
    value.serialize(serializer).map_err(|e| Error::validation(format!("cannot write {root}: {e}")))?;
    Ok(text.into_bytes().into())
}

/// Reads an XML date element. (quick-xml offers elements as maps to `deserialize_any`, so
/// `Timestamp`'s own impl, made for JS numbers and strings, cannot read them.)
pub(crate) fn xml_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<Timestamp>, D::Error> {
    let text = String::deserialize(deserializer)?;
    Timestamp::parse_iso8601(&text)
        .or_else(|| Timestamp::parse_http_date(&text))
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a date")))
}

/// The S3 XML namespace, written as the `xmlns` attribute of request bodies.
pub(crate) const S3_XMLNS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// The owner of a bucket, object or upload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "PascalCase"))]
pub struct Owner {
    #[serde(rename(deserialize = "ID"))]
    pub id: Option<String>,
    pub display_name: Option<String>,
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
        let err = parse_now(read_xml::<multipart::CompleteMultipartUploadOutput>(response)).unwrap_err();
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
        let err = parse_now(read_xml::<list::ListObjectsOutput>(response)).unwrap_err();
        assert_eq!(err.code(), Some("InvalidResponse"));
    }
}
