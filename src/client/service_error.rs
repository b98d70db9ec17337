//! S3 error responses.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>

use crate::error::ServiceError;
use crate::http::Headers;
use crate::time::Timestamp;
use crate::xml::{Document, Element};

/// The error of a non-2xx answer, from its (capped) body when that holds an `<Error>`
/// document. Bodies are optional (HEAD, 304), so the code falls back to one named after the
/// status.
pub(crate) fn service_error(status: u16, headers: &Headers, body: &[u8]) -> ServiceError {
    let document = Document::parse(body).ok();
    document
        .and_then(|document| from_document(status, headers, document.root()))
        .unwrap_or_else(|| ServiceError { code: code_for_status(status).into(), ..from_headers(status, headers) })
}

/// What every error answer says in its headers.
fn from_headers(status: u16, headers: &Headers) -> ServiceError {
    let server_date = headers.get("date").and_then(Timestamp::parse_http_date);
    ServiceError {
        status,
        request_id: request_id(headers),
        region: headers.get("x-amz-bucket-region").filter(|r| !r.is_empty()).map(str::to_owned),
        retry_after_secs: headers.get("retry-after").and_then(|v| retry_after(v, server_date)),
        server_date,
        ..ServiceError::default()
    }
}

/// `Retry-After` in seconds: given as seconds, or as an HTTP date (then counted from the
/// answer's own `Date`, so a skewed local clock does not matter).
/// <https://www.rfc-editor.org/rfc/rfc9110#name-retry-after>
fn retry_after(value: &str, server_date: Option<Timestamp>) -> Option<u64> {
    let value = value.trim_ascii();
    if let Ok(seconds) = value.parse() {
        return Some(seconds);
    }
    let at = Timestamp::parse_http_date(value)?;
    Some((at.unix_seconds() - server_date?.unix_seconds()).max(0) as u64)
}

/// The error a parsed document describes, when its root is `<Error>`.
pub(crate) fn from_document(status: u16, headers: &Headers, root: Element) -> Option<ServiceError> {
    if root.name() != "Error" {
        return None;
    }
    let text = |name| root.child(name).map(|e| e.text().to_owned());
    let base = from_headers(status, headers);
    Some(ServiceError {
        code: text("Code").unwrap_or_else(|| code_for_status(status).into()),
        message: text("Message").unwrap_or_default(),
        request_id: text("RequestId").or(base.request_id.clone()),
        region: base.region.clone().or_else(|| text("Region")),
        ..base
    })
}

/// S3 names the request in `x-amz-request-id`; other AWS services (and some S3 look-alikes)
/// in `x-amzn-requestid`.
fn request_id(headers: &Headers) -> Option<String> {
    headers.get("x-amz-request-id").or_else(|| headers.get("x-amzn-requestid")).map(str::to_owned)
}

/// The code for a response without a body, named as AWS SDKs name it.
fn code_for_status(status: u16) -> &'static str {
    match status {
        301 => "PermanentRedirect",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        400 => "BadRequest",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        412 => "PreconditionFailed",
        416 => "InvalidRange",
        429 => "TooManyRequests",
        500 => "InternalError",
        501 => "NotImplemented",
        503 => "ServiceUnavailable",
        _ => "UnknownError",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_error_documents() {
        let mut headers = Headers::new();
        headers.append("x-amz-request-id", "hdr-id");
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AuthorizationHeaderMalformed</Code><Message>wrong region</Message>
<Region>eu-west-1</Region><RequestId>4442587FB7D0A2F9</RequestId></Error>"#;
        let e = service_error(400, &headers, body);
        assert_eq!(e.code, "AuthorizationHeaderMalformed");
        assert_eq!(e.region.as_deref(), Some("eu-west-1"));
        assert_eq!(e.request_id.as_deref(), Some("4442587FB7D0A2F9"));
        let document = Document::parse(b"<ListBucketResult/>").unwrap();
        assert!(from_document(200, &headers, document.root()).is_none());
        headers.append("retry-after", "3");
        let e = service_error(503, &headers, b"not xml");
        assert_eq!(
            (e.code.as_str(), e.retry_after_secs, e.request_id.as_deref()),
            ("ServiceUnavailable", Some(3), Some("hdr-id"))
        );
    }

    #[test]
    fn retry_after_as_seconds_or_an_http_date_counted_from_the_answers_date() {
        let date = Timestamp::parse_http_date("Tue, 01 Dec 2026 15:00:00 GMT");
        assert_eq!(retry_after(" 7 ", None), Some(7));
        assert_eq!(retry_after("Tue, 01 Dec 2026 15:00:30 GMT", date), Some(30));
        assert_eq!(retry_after("Tue, 01 Dec 2026 14:00:00 GMT", date), Some(0));
        assert_eq!(retry_after("Tue, 01 Dec 2026 15:00:30 GMT", None), None);
        assert_eq!(retry_after("soon", date), None);
    }
}
