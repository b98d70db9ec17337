//! One error type for every operation, with the `kind` the JS API exposes.
//!
//! Nothing here ever holds a secret: messages are built from status codes, S3 error codes and
//! the user's own (non-secret) input.

use crate::encoding::decimal;
use std::fmt;

/// The broad class of an [`Error`]; the JS `S3Error.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// S3 answered with an error status (or a 200 whose body is an `<Error>`).
    Service,
    /// The input was refused before any request was sent.
    Validation,
    /// The request never got an HTTP answer (connection refused, reset, DNS, CORS).
    Network,
    /// An attempt or the whole call took too long.
    Timeout,
    /// The caller cancelled (AbortSignal).
    Aborted,
    /// A circuit breaker refused the call without trying.
    CircuitOpen,
    /// No usable credentials could be obtained.
    Credentials,
}

impl ErrorKind {
    /// The name used in JS (`"service"`, `"circuit-open"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Service => "service",
            ErrorKind::Validation => "validation",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::CircuitOpen => "circuit-open",
            ErrorKind::Credentials => "credentials",
        }
    }
}

/// An error S3 (or a server speaking its protocol) answered with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceError {
    /// HTTP status.
    pub status: u16,
    /// The S3 error code (`NoSuchKey`, `SignatureDoesNotMatch`, …); derived from the status when
    /// the response has no body (HEAD, 304).
    pub code: String,
    pub message: String,
    /// `x-amz-request-id` (or `<RequestId>` in the body).
    pub request_id: Option<String>,
    /// The region S3 names in the error (`x-amz-bucket-region` or `<Region>`), used by region
    /// redirects.
    pub region: Option<String>,
    /// `Retry-After`, in seconds (throttling).
    pub retry_after_secs: Option<u64>,
    /// The server's `Date`, against which clock skew is measured.
    pub server_date: Option<crate::time::Timestamp>,
    /// The endpoint that answered (`scheme://host[:port]`).
    pub endpoint: Option<String>,
}

impl ServiceError {
    /// Whether a later attempt of the same request may succeed: throttling and server-side
    /// failures. (A skewed clock is corrected from the answer's `Date` before its one retry,
    /// outside this rule.) <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>
    pub fn is_retryable(&self) -> bool {
        matches!(self.status, 429 | 500 | 502 | 503 | 504)
            || matches!(self.code.as_str(), "SlowDown" | "RequestTimeout" | "InternalError")
    }
}

/// The error of every livery-s3 operation. Its message (`Display`) is built without
/// `format!`: the formatting machinery would be in the npm package's download only for this.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    Service(Box<ServiceError>),
    Validation(String),
    Network(String),
    /// A browser fetch that failed the way CORS refusals do: a network error, not retried.
    Cors(String),
    Timeout(String),
    Aborted(String),
    CircuitOpen(String),
    Credentials(String),
    /// The credentials service (STS) refused: its code, status and request id.
    CredentialsRefused(Box<ServiceError>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

/// `CODE (HTTP status): message`.
fn service_message(e: &ServiceError) -> String {
    let mut text = [e.code.as_str(), " (HTTP ", &decimal(e.status.into()), ")"].concat();
    if !e.message.is_empty() {
        text.push_str(": ");
        text.push_str(&e.message);
    }
    text
}

impl Error {
    pub fn validation(message: impl Into<String>) -> Self {
        Error::Validation(message.into())
    }

    /// A response that does not follow the S3 protocol (unparseable XML, missing fields).
    pub(crate) fn invalid_response(status: u16, message: impl Into<String>) -> Self {
        Error::Service(Box::new(ServiceError {
            status,
            code: "InvalidResponse".into(),
            message: message.into(),
            ..ServiceError::default()
        }))
    }

    /// What went wrong, for people: `invalid input: …`, `NoSuchKey (HTTP 404): …`.
    pub fn message(&self) -> String {
        match self {
            Error::Service(e) => service_message(e),
            Error::Validation(m) => ["invalid input: ", m].concat(),
            Error::Network(m) | Error::Cors(m) => ["network error: ", m].concat(),
            Error::Timeout(m) => ["timed out: ", m].concat(),
            Error::Aborted(m) => ["aborted: ", m].concat(),
            Error::CircuitOpen(m) => ["circuit open for ", m, ": not trying until it resets"].concat(),
            Error::Credentials(m) => ["credentials: ", m].concat(),
            Error::CredentialsRefused(e) => ["credentials refused: ", &service_message(e)].concat(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Service(_) => ErrorKind::Service,
            Error::Validation(_) => ErrorKind::Validation,
            Error::Network(_) | Error::Cors(_) => ErrorKind::Network,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Aborted(_) => ErrorKind::Aborted,
            Error::CircuitOpen(_) => ErrorKind::CircuitOpen,
            Error::Credentials(_) | Error::CredentialsRefused(_) => ErrorKind::Credentials,
        }
    }

    /// The error code the server answered with: S3's for service errors, STS's for refused
    /// credentials.
    pub fn code(&self) -> Option<&str> {
        self.answer().map(|e| e.code.as_str())
    }

    /// The error answer behind this error, from S3 or from the credentials service.
    pub fn answer(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) | Error::CredentialsRefused(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, for service errors.
    pub fn status(&self) -> Option<u16> {
        self.service().map(|e| e.status)
    }

    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The same error with `note` added to its message (why it was not retried).
    pub(crate) fn with_note(self, note: &str) -> Self {
        let add = |text: String| [&text, " (", note, ")"].concat();
        match self {
            Error::Service(mut e) => {
                e.message = add(std::mem::take(&mut e.message));
                Error::Service(e)
            }
            Error::Network(m) => Error::Network(add(m)),
            Error::Timeout(m) => Error::Timeout(add(m)),
            other => other,
        }
    }

    /// Whether retrying the same call may succeed: the network (not a CORS refusal, which a
    /// retry cannot fix), a timeout, or a retryable service error. The retry layer retries
    /// exactly these.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Service(e) => e.is_retryable(),
            Error::Network(_) | Error::Timeout(_) => true,
            _ => false,
        }
    }
}

impl From<crate::operations::Invalid> for Error {
    fn from(invalid: crate::operations::Invalid) -> Self {
        Error::Validation(invalid.0)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
