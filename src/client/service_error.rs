//! S3 error responses.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>

use crate::error::ServiceError;
use crate::http::Headers;
use crate::time::Timestamp;
use crate::xml::Element;

/// The error of a non-2xx answer, from its (capped) body when that holds an `<Error>`
/// document. Bodies are optional (HEAD, 304), so the code falls back to one named after the
/// status.
pub(crate) fn service_error(status: u16, headers: &Headers, body: &[u8]) -> ServiceError {
    let root = Element::parse(body).ok();
    root.and_then(|root| from_document(status, headers, &root))
        .unwrap_or_else(|| ServiceError { code: code_for_status(status).into(), ..from_headers(status, headers) })
}

/// What every error answer says in its headers.
fn from_headers(status: u16, headers: &Headers) -> ServiceError {
    ServiceError {
        status,
        request_id: request_id(headers),
        region: headers.get("x-amz-bucket-region").map(str::to_owned),
        // Seconds only: S3 and its look-alikes never send the HTTP-date form.
        retry_after_secs: headers.get("retry-after").and_then(|v| v.trim().parse().ok()),
        server_date: headers.get("date").and_then(Timestamp::parse_http_date),
        ..ServiceError::default()
    }
}

/// The error a parsed document describes, when its root is `<Error>`.
pub(crate) fn from_document(status: u16, headers: &Headers, root: &Element) -> Option<ServiceError> {
    if root.name != "Error" {
        return None;
    }
    let text = |name| root.child(name).map(|e| e.text.to_string());
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
        let root = Element::parse(b"<ListBucketResult/>").unwrap();
        assert!(from_document(200, &headers, &root).is_none());
        headers.append("retry-after", "3");
        let e = service_error(503, &headers, b"not xml");
        assert_eq!(
            (e.code.as_str(), e.retry_after_secs, e.request_id.as_deref()),
            ("ServiceUnavailable", Some(3), Some("hdr-id"))
        );
    }
}
