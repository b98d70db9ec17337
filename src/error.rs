//! One error type for every operation, with the `kind` the JS API exposes.
//!
//! Nothing here ever holds a secret: messages are built from status codes, S3 error codes and
//! the user's own (non-secret) input.

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

/// The error of every livery-s3 operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{}", service_message(.0))]
    Service(Box<ServiceError>),
    #[error("invalid input: {0}")]
    Validation(String),
    #[error("network error: {0}")]
    Network(String),
    /// A browser fetch that failed the way CORS refusals do: a network error, not retried.
    #[error("network error: {0}")]
    Cors(String),
    #[error("timed out: {0}")]
    Timeout(String),
    #[error("aborted: {0}")]
    Aborted(String),
    #[error("circuit open for {0}: not trying until it resets")]
    CircuitOpen(String),
    #[error("credentials: {0}")]
    Credentials(String),
    /// The credentials service (STS) refused: its code, status and request id.
    #[error("credentials refused: {}", service_message(.0))]
    CredentialsRefused(Box<ServiceError>),
}

fn service_message(e: &ServiceError) -> String {
    let mut text = format!("{} (HTTP {})", e.code, u32::from(e.status));
    if !e.message.is_empty() {
        text.push_str(": ");
        text.push_str(&e.message);
    }
    text
}

impl Error {
    pub fn validation(message: impl fmt::Display) -> Self {
        Error::Validation(message.to_string())
    }

    /// A response that does not follow the S3 protocol (unparseable XML, missing fields).
    pub(crate) fn invalid_response(status: u16, message: impl fmt::Display) -> Self {
        Error::Service(Box::new(ServiceError {
            status,
            code: "InvalidResponse".into(),
            message: message.to_string(),
            ..ServiceError::default()
        }))
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
        let add = |text: String| format!("{text} ({note})");
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
