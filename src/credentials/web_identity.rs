//! Web identity: an OpenID Connect token (from a browser sign-in, a Kubernetes service account)
//! exchanged for temporary credentials with STS `AssumeRoleWithWebIdentity`.
//! <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html>
//!
//! The call is unsigned (the token is the proof) and goes through the client's own transport,
//! so the JS `fetch` option and the native TLS setup apply to it too. It is a form POST, which
//! a browser sends without a CORS preflight. The answer is read by the same XML reader as
//! S3's. The client caches what it returns ([`super::CachedCredentials`]).

use super::{Credentials, ProvideCredentials};
use crate::body::Body;
use crate::client::read::{read_output, Answer};
use crate::client::{Addressing, Endpoint};
use crate::error::{Error, Result, ServiceError};
use crate::http::Headers;
use crate::http::{HttpRequest, Method};
use crate::operations::{Loc, Shape, Value};
use crate::platform::{BoxFuture, MaybeSend, MaybeSync, Signal};
use crate::shape;
use crate::sigv4::uri_encode;
use crate::time::Timestamp;
use crate::transport::Transport;
use crate::xml::Document;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// STS answers are a few KB; anything longer is not one.
const MAX_ANSWER_BYTES: usize = 64 << 10;
/// How long one call to STS may take.
const STS_TIMEOUT: Duration = Duration::from_secs(15);

/// Where the identity token comes from. It is read again at every refresh (tokens expire
/// too: a browser's sign-in renews them, Kubernetes rewrites its token file).
pub enum TokenSource {
    /// A fixed token.
    Fixed(String),
    /// A file holding the token (`AWS_WEB_IDENTITY_TOKEN_FILE`), read at each refresh.
    #[cfg(feature = "native")]
    File(std::path::PathBuf),
    /// The application's function (in JS: `token: async () => string`).
    Fn(Box<dyn TokenFn>),
}

/// A function that yields a token (`Send` natively; a JS function on wasm).
pub trait TokenFn: Fn() -> BoxFuture<'static, Result<String>> + MaybeSend + MaybeSync {}
impl<F: Fn() -> BoxFuture<'static, Result<String>> + MaybeSend + MaybeSync> TokenFn for F {}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Fixed(_) => f.write_str("Fixed(<redacted>)"),
            #[cfg(feature = "native")]
            TokenSource::File(path) => f.debug_tuple("File").field(path).finish(),
            TokenSource::Fn(_) => f.write_str("Fn"),
        }
    }
}

impl TokenSource {
    async fn token(&self) -> Result<String> {
        let token = match self {
            TokenSource::Fixed(token) => token.clone(),
            #[cfg(feature = "native")]
            TokenSource::File(path) => super::read_file(path.clone())
                .await
                .map_err(|e| Error::Credentials(format!("web identity token file {}: {e}", path.display())))?,
            TokenSource::Fn(function) => function().await?,
        };
        let token = token.trim_ascii();
        if token.is_empty() {
            return Err(Error::Credentials("the web identity token is empty".into()));
        }
        Ok(token.to_owned())
    }
}

/// What `AssumeRoleWithWebIdentity` needs; the client builder turns it into a provider
/// ([`crate::S3ClientBuilder::web_identity`]).
#[derive(Debug)]
pub struct WebIdentity {
    pub role_arn: String,
    pub token: TokenSource,
    /// Names the session in CloudTrail; `livery-s3-` and 16 random hex digits when absent.
    pub role_session_name: Option<String>,
    /// 900 to 43200 seconds; STS's default (one hour) when absent.
    pub duration_seconds: Option<u32>,
    /// `http(s)://host[:port]`; STS's regional endpoint for the client's region when absent.
    pub sts_endpoint: Option<String>,
}

impl WebIdentity {
    pub fn new(role_arn: impl Into<String>, token: TokenSource) -> Self {
        WebIdentity {
            role_arn: role_arn.into(),
            token,
            role_session_name: None,
            duration_seconds: None,
            sts_endpoint: None,
        }
    }

    /// Checks the settings (before any request) and binds them to a transport.
    pub(crate) fn into_provider(self, transport: Arc<dyn Transport>, region: &str) -> Result<WebIdentityProvider> {
        if !self.role_arn.starts_with("arn:") {
            return Err(Error::validation("webIdentity.roleArn must be a role ARN (arn:aws:iam::…:role/…)"));
        }
        if let Some(name) = &self.role_session_name {
            let allowed = |b: u8| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b);
            if !(2..=64).contains(&name.len()) || !name.bytes().all(allowed) {
                return Err(Error::validation(
                    "webIdentity.roleSessionName must be 2 to 64 letters, digits or _+=,.@-",
                ));
            }
        }
        if self.duration_seconds.is_some_and(|s| !(900..=43200).contains(&s)) {
            return Err(Error::validation("webIdentity.durationSeconds must be 900 to 43200"));
        }
        let endpoint = match &self.sts_endpoint {
            Some(url) => Endpoint::parse(url)?,
            None => Endpoint::aws_service("sts", region),
        };
        let url = endpoint.locate(Addressing::Path, None, None).url("");
        Ok(WebIdentityProvider { config: self, url, transport })
    }
}

/// The provider [`WebIdentity`] becomes.
pub(crate) struct WebIdentityProvider {
    config: WebIdentity,
    url: String,
    transport: Arc<dyn Transport>,
}

impl WebIdentityProvider {
    async fn assume_role(&self) -> Result<Credentials> {
        let c = &self.config;
        let token = c.token.token().await?;
        let session_name =
            c.role_session_name.clone().unwrap_or_else(|| format!("livery-s3-{:016x}", crate::platform::random_u64()));
        let mut form = format!(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn={}&RoleSessionName={}&WebIdentityToken={}",
            uri_encode(&c.role_arn, false),
            uri_encode(&session_name, false),
            uri_encode(&token, false),
        );
        if let Some(seconds) = c.duration_seconds {
            form.push_str(&format!("&DurationSeconds={seconds}"));
        }
        let request = HttpRequest {
            method: Method::Post,
            url: self.url.clone(),
            headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
            body: Body::from(form.into_bytes()),
        };
        let unreachable = |e: Error| Error::Credentials(format!("web identity: STS at {} failed: {e}", self.url));
        let response =
            self.transport.send(request, &Signal::default(), Some(STS_TIMEOUT)).await.map_err(unreachable)?;
        let status = response.status;
        let (bytes, _) = response.body.read_up_to(MAX_ANSWER_BYTES).await.map_err(unreachable)?;
        let answer = StsAnswer::from_values(read_sts_answer(&bytes));
        if !(200..300).contains(&status) {
            let refused = refusal(status, answer, response.headers.get("x-amzn-requestid"));
            return Err(Error::CredentialsRefused(Box::new(refused)));
        }
        credentials_in(&answer).ok_or_else(|| {
            Error::Credentials(format!("web identity: STS answered {status} without readable credentials"))
        })
    }
}

shape! {
    /// What is read of an STS `AssumeRoleWithWebIdentity` answer, or of its error
    /// (`<ErrorResponse><Error><Code>…`). Declared like an S3 output, so the one reader
    /// serves it natively and in the npm package (`readStsAnswer`, which hands its values to JS
    /// as a tape).
    #[derive(Debug, Default)]
    pub struct StsAnswer {
        credentials: Option<StsCredentials> = "credentials" Loc::Xml("AssumeRoleWithWebIdentityResult/Credentials"),
        error: Option<StsError> = "error" Loc::Xml("Error"),
        request_id: Option<String> = "requestId" Loc::Xml("RequestId"),
    }
}

shape! {
    /// `Debug` shows the access key id only.
    #[derive(Default)]
    pub struct StsCredentials {
        access_key_id: Option<String> = "accessKeyId" Loc::Xml("AccessKeyId"),
        secret_access_key: Option<String> = "secretAccessKey" Loc::Xml("SecretAccessKey"),
        session_token: Option<String> = "sessionToken" Loc::Xml("SessionToken"),
        expiration: Option<Timestamp> = "expiration" Loc::Xml("Expiration"),
    }
}

shape! {
    #[derive(Debug, Default)]
    pub struct StsError {
        code: Option<String> = "code" Loc::Xml("Code"),
        message: Option<String> = "message" Loc::Xml("Message"),
    }
}

impl fmt::Debug for StsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("expiration", &self.expiration)
            .finish_non_exhaustive()
    }
}

/// An STS answer's document read as [`StsAnswer`] (empty when it is not XML).
pub(crate) fn read_sts_answer(document: &[u8]) -> Vec<Value> {
    let document = Document::parse(document).ok();
    let headers = Headers::new();
    let answer = Answer { status: 200, headers: &headers, root: document.as_ref().map(Document::root) };
    read_output(StsAnswer::FIELDS, &answer).unwrap_or_default()
}

/// The credentials of an answer, when it holds all four parts.
fn credentials_in(answer: &StsAnswer) -> Option<Credentials> {
    let c = answer.credentials.as_ref()?;
    let nonempty = |text: &Option<String>| text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    let credentials = Credentials::new(nonempty(&c.access_key_id)?, nonempty(&c.secret_access_key)?);
    Some(credentials.with_session_token(nonempty(&c.session_token)?).with_expiration(c.expiration?))
}

/// STS's refusal: its code, message and request id (InvalidIdentityToken,
/// ExpiredTokenException, AccessDenied, …), which the `credentials` error keeps.
fn refusal(status: u16, answer: StsAnswer, request_id: Option<&str>) -> ServiceError {
    let error = answer.error.unwrap_or_default();
    ServiceError {
        status,
        code: error.code.unwrap_or_else(|| format!("HTTP{status}")),
        message: error.message.unwrap_or_default(),
        request_id: answer.request_id.or(request_id.map(str::to_owned)),
        ..ServiceError::default()
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        Box::pin(self.assume_role())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_credentials_of_an_sts_answer() {
        let xml = br#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult><Credentials>
            <AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>
            <SessionToken>token</SessionToken><Expiration>2026-12-01T18:00:00Z</Expiration>
          </Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"#;
        let c = credentials_in(&StsAnswer::from_values(read_sts_answer(xml))).unwrap();
        assert_eq!(c.access_key_id(), "ASIAEXAMPLE");
        assert_eq!(c.for_signing().session_token, Some("token"));
        assert_eq!(c.expiration().unwrap().to_iso8601(), "2026-12-01T18:00:00.000Z");
    }

    #[test]
    fn any_answer_reads_without_panicking() {
        const PIECES: &[&str] = &[
            "<AssumeRoleWithWebIdentityResult>",
            "</AssumeRoleWithWebIdentityResult>",
            "<Credentials>",
            "</Credentials>",
            "<AccessKeyId>",
            "</AccessKeyId>",
            "<Expiration>",
            "</Expiration>",
            "2026-12-01T18:00:00Z",
            "<Error>",
            "</Error>",
            "&amp;",
            "&#x41;",
            "<![CDATA[x]]>",
            "<!--c-->",
            "<",
            ">",
            "/",
            "é",
            "\0",
        ];
        for text in super::super::random_texts(PIECES, 3000, 30, 0x2545_f491_4f6c_dd1d) {
            let answer = StsAnswer::from_values(read_sts_answer(text.as_bytes()));
            let _ = (credentials_in(&answer), refusal(400, answer, None));
        }
    }

    #[test]
    fn an_sts_error_keeps_its_code_and_request_id() {
        let xml = br#"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>
          <Message>Token is expired</Message></Error><RequestId>req-1</RequestId></ErrorResponse>"#;
        let answer = StsAnswer::from_values(read_sts_answer(xml));
        let error = Error::CredentialsRefused(Box::new(refusal(400, answer, None)));
        assert_eq!(error.kind(), crate::ErrorKind::Credentials);
        assert_eq!(error.code(), Some("InvalidIdentityToken"));
        assert_eq!(error.answer().and_then(|a| a.request_id.as_deref()), Some("req-1"));
        assert!(error.to_string().contains("Token is expired"), "{error}");
    }

    #[test]
    fn settings_are_checked_before_any_request() {
        struct Never;
        impl Transport for Never {
            fn send<'a>(
                &'a self,
                _: HttpRequest,
                _: &'a Signal,
                _: Option<Duration>,
            ) -> BoxFuture<'a, Result<crate::http::HttpResponse>> {
                unreachable!("nothing is sent while building")
            }
        }
        let build = |w: WebIdentity| w.into_provider(Arc::new(Never), "eu-west-1").map(|p| p.url);
        let token = || TokenSource::Fixed("t".into());
        assert_eq!(
            build(WebIdentity::new("arn:aws:iam::1:role/r", token())).unwrap(),
            "https://sts.eu-west-1.amazonaws.com/"
        );
        assert!(build(WebIdentity::new("role/r", token())).is_err());
        let mut w = WebIdentity::new("arn:aws:iam::1:role/r", token());
        w.duration_seconds = Some(60);
        assert!(build(w).is_err());
        let mut w = WebIdentity::new("arn:aws:iam::1:role/r", token());
        w.role_session_name = Some("has space".into());
        assert!(build(w).is_err());
        assert!(format!("{:?}", token()).contains("redacted"));
    }
}
