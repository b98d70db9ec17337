//! Credentials of an EC2 instance's role from its metadata service (IMDS), IMDSv2: a session
//! token from a PUT, then the role's name and its credentials with that token. IMDSv1 (no
//! token) only when asked for. `AWS_EC2_METADATA_DISABLED=true` turns it off,
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it, and `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`
//! picks the service's IPv6 address (for IPv6-only instances).
//! <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html>

use super::env::Vars;
use super::http_source::{credentials_from_json, fetch_text};
use super::{Credentials, ProvideCredentials};
use crate::error::{Error, Result};
use crate::http::Method;
use crate::platform::BoxFuture;
use crate::transport::Transport;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const DEFAULT_IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const ROLES_PATH: &str = "/latest/meta-data/iam/security-credentials/";
/// How long a session token is asked to live (the maximum, six hours).
const TOKEN_TTL_SECS: u64 = 21_600;

/// Whether the provider may fall back to IMDSv1 when the token request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImdsVersion {
    /// IMDSv2 only (the default): a service that refuses tokens is an error.
    #[default]
    V2,
    /// IMDSv2, or unauthenticated IMDSv1 where the token PUT answers 403, 404 or 405.
    V2OrV1,
}

pub struct ImdsCredentials {
    transport: Arc<dyn Transport>,
    endpoint: String,
    disabled: bool,
    version: ImdsVersion,
    timeout: Duration,
    /// The session token and when to stop using it (a minute before its TTL ends); with
    /// [`ImdsVersion::V2OrV1`], an empty token once the service has refused to give one, so
    /// later calls go without one instead of asking again each time.
    token: Mutex<Option<(String, Instant)>>,
}

impl ImdsCredentials {
    pub fn new(vars: &Vars, transport: Arc<dyn Transport>) -> Self {
        let ipv6 = vars("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").is_some_and(|mode| mode.eq_ignore_ascii_case("IPv6"));
        let endpoint = vars("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .unwrap_or_else(|| if ipv6 { DEFAULT_IPV6_ENDPOINT } else { DEFAULT_ENDPOINT }.into());
        ImdsCredentials {
            transport,
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            disabled: vars("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")),
            version: ImdsVersion::V2,
            timeout: Duration::from_secs(1),
            token: Mutex::new(None),
        }
    }

    pub fn version(mut self, version: ImdsVersion) -> Self {
        self.version = version;
        self
    }

    /// How long each request to the service may take (1 s by default: off EC2 nothing answers).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn failed(&self, why: impl std::fmt::Display) -> Error {
        Error::Credentials(format!("IMDS at {}: {why}", self.endpoint))
    }

    /// A session token (cached while it lives), or `None` for IMDSv1.
    async fn session_token(&self) -> Result<Option<String>> {
        if let Some((token, until)) = self.token.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            if Instant::now() < until {
                return Ok(Some(token).filter(|token| !token.is_empty()));
            }
        }
        let url = format!("{}/latest/api/token", self.endpoint);
        let headers = vec![("x-aws-ec2-metadata-token-ttl-seconds".into(), TOKEN_TTL_SECS.to_string())];
        let (status, token) =
            fetch_text(&*self.transport, Method::Put, &url, headers, self.timeout).await.map_err(|e| self.failed(e))?;
        match status {
            200 if !token.trim().is_empty() => {
                let until = Instant::now() + Duration::from_secs(TOKEN_TTL_SECS - 60);
                *self.token.lock().unwrap_or_else(|p| p.into_inner()) = Some((token.trim().to_owned(), until));
                Ok(Some(token.trim().to_owned()))
            }
            403..=405 if self.version == ImdsVersion::V2OrV1 => {
                let until = Instant::now() + Duration::from_secs(TOKEN_TTL_SECS - 60);
                *self.token.lock().unwrap_or_else(|p| p.into_inner()) = Some((String::new(), until));
                Ok(None)
            }
            _ => Err(self.failed(format!("the session token request answered HTTP {status}"))),
        }
    }

    /// GET `path` with the session token; a 401 (the token expired early, or the service was
    /// restarted) fetches a new token and tries once more.
    async fn get(&self, path: &str) -> Result<(u16, String)> {
        let url = format!("{}{path}", self.endpoint);
        for last in [false, true] {
            let token = self.session_token().await?;
            let headers = token.map(|t| vec![("x-aws-ec2-metadata-token".into(), t)]).unwrap_or_default();
            let (status, text) = fetch_text(&*self.transport, Method::Get, &url, headers, self.timeout)
                .await
                .map_err(|e| self.failed(e))?;
            if status != 401 || last {
                return Ok((status, text));
            }
            *self.token.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
        unreachable!("the loop returns on its last pass")
    }

    async fn fetch(&self) -> Result<Credentials> {
        if self.disabled {
            return Err(Error::Credentials("IMDS is disabled (AWS_EC2_METADATA_DISABLED)".into()));
        }
        let (status, roles) = self.get(ROLES_PATH).await?;
        match status {
            200 => {}
            404 => return Err(self.failed("no IAM role is attached to this instance")),
            _ => return Err(self.failed(format!("listing the role answered HTTP {status}"))),
        }
        let role = roles.lines().map(str::trim).find(|l| !l.is_empty()).ok_or_else(|| self.failed("no role"))?;
        let (status, document) = self.get(&format!("{ROLES_PATH}{role}")).await?;
        if status != 200 {
            return Err(self.failed(format!("the role's credentials answered HTTP {status}")));
        }
        credentials_from_json("IMDS", &document)
    }
}

impl ProvideCredentials for ImdsCredentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        Box::pin(self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_mode_picks_the_ipv6_address_unless_an_endpoint_is_given() {
        struct Offline;
        impl Transport for Offline {
            fn send<'a>(
                &'a self,
                _: crate::http::HttpRequest,
                _: &'a crate::platform::Signal,
                _: Option<Duration>,
            ) -> BoxFuture<'a, Result<crate::http::HttpResponse>> {
                Box::pin(async { Err(Error::Network("offline".into())) })
            }
        }
        let endpoint = |pairs: &'static [(&'static str, &'static str)]| {
            let vars: Vars = Arc::new(move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()));
            ImdsCredentials::new(&vars, Arc::new(Offline)).endpoint
        };
        assert_eq!(endpoint(&[]), "http://169.254.169.254");
        assert_eq!(endpoint(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]), "http://[fd00:ec2::254]");
        assert_eq!(endpoint(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv4")]), "http://169.254.169.254");
        let both = &[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://[::1]:1338/"),
        ];
        assert_eq!(endpoint(both), "http://[::1]:1338");
    }
}
