//! S3 error responses.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>

use super::xml::Element;
use crate::error::{Error, ServiceError};
use crate::http::{Headers, HttpResponse};

/// Turns a non-2xx response into an [`Error`]. Bodies are optional (HEAD, 304), so the code
/// falls back to one derived from the status.
pub(crate) async fn service_error(response: HttpResponse) -> Error {
    let status = response.status;
    let headers = response.headers;
    let body = response.body.bytes().await.unwrap_or_default();
    let error = parse_error_document(status, &headers, &body).unwrap_or_else(|| ServiceError {
        status,
        code: code_for_status(status).into(),
        message: String::new(),
        request_id: request_id(&headers),
        region: headers.get("x-amz-bucket-region").map(str::to_owned),
    });
    Error::Service(Box::new(error))
}

/// Reads an `<Error>` document; `None` when the body is not one.
pub(crate) fn parse_error_document(status: u16, headers: &Headers, body: &[u8]) -> Option<ServiceError> {
    from_document(status, headers, &Element::parse(body).ok()?)
}

/// The error a parsed document describes, when its root is `<Error>`.
pub(crate) fn from_document(status: u16, headers: &Headers, root: &Element) -> Option<ServiceError> {
    if root.name != "Error" {
        return None;
    }
    Some(ServiceError {
        status,
        code: root.text("Code").unwrap_or_else(|| code_for_status(status).into()),
        message: root.text("Message").unwrap_or_default(),
        request_id: root.text("RequestId").or_else(|| request_id(headers)),
        region: headers.get("x-amz-bucket-region").map(str::to_owned).or_else(|| root.text("Region")),
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
        let e = parse_error_document(400, &headers, body).unwrap();
        assert_eq!(e.code, "AuthorizationHeaderMalformed");
        assert_eq!(e.region.as_deref(), Some("eu-west-1"));
        assert_eq!(e.request_id.as_deref(), Some("4442587FB7D0A2F9"));
        assert!(parse_error_document(200, &headers, b"<ListBucketResult/>").is_none());
        assert!(parse_error_document(200, &headers, b"not xml").is_none());
    }
}
