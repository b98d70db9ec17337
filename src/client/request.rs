//! The request an operation describes, before it has a URL or a signature, and the trait
//! that ties an operation's input to its output.

use crate::body::Body;
use crate::error::Result;
use crate::http::{HttpResponse, Method};
use crate::platform::MaybeSend;
use std::future::Future;

/// One S3 call as the model builds it: what, on which bucket and key, with which sub-resource
/// query, headers and body. The pipeline validates it, addresses it, signs it and sends it.
#[derive(Debug, Clone)]
pub struct S3Request {
    pub method: Method,
    pub bucket: Option<String>,
    pub key: Option<String>,
    /// Decoded (name, value) pairs; encoded once when the URL is built.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Send `Content-MD5` of the body (read in chunks).
    pub content_md5: bool,
}

impl S3Request {
    pub fn new(method: Method) -> Self {
        S3Request {
            method,
            bucket: None,
            key: None,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            content_md5: false,
        }
    }

    pub fn bucket(mut self, bucket: &str) -> Self {
        self.bucket = Some(bucket.to_owned());
        self
    }

    pub fn object(self, bucket: &str, key: &str) -> Self {
        let mut request = self.bucket(bucket);
        request.key = Some(key.to_owned());
        request
    }

    /// Adds a query parameter (a value-less sub-resource such as `uploads` takes `""`).
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    pub fn query_opt(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(name, v.to_string()),
            None => self,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn header_opt(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.header(name, v.to_string()),
            None => self,
        }
    }

    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    pub fn content_md5(mut self, on: bool) -> Self {
        self.content_md5 = on;
        self
    }
}

/// An S3 operation: how its input becomes a request and how a successful response becomes
/// its output. Every operation goes through [`S3Client::execute`](crate::S3Client), which
/// owns validation, signing, layers and error mapping.
pub trait Operation {
    type Output;

    fn into_request(self) -> Result<S3Request>;

    fn parse(response: HttpResponse) -> impl Future<Output = Result<Self::Output>> + MaybeSend;
}
