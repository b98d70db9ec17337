//! Credentials from a container's endpoint (ECS task roles, EKS Pod Identity):
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on ECS's fixed address) or
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with an optional authorization token
//! (`AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, read at each call, or
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`).
//! <https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html>

use super::env::Vars;
use super::http_source::{credentials_from_json, fetch_text};
use super::{Credentials, ProvideCredentials};
use crate::error::{Error, Result};
use crate::http::Method;
use crate::platform::BoxFuture;
use crate::transport::Transport;
use std::sync::Arc;
use std::time::Duration;

/// ECS's credentials address, which a relative URI is resolved against.
const ECS_ADDRESS: &str = "http://169.254.170.2";
/// The addresses a full URI may name over plain http besides loopback: the container agents'.
const AGENT_HOSTS: &[&str] = &["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost"];

pub struct ContainerCredentials {
    vars: Vars,
    transport: Arc<dyn Transport>,
    timeout: Duration,
}

impl ContainerCredentials {
    pub fn new(vars: Vars, transport: Arc<dyn Transport>) -> Self {
        ContainerCredentials { vars, transport, timeout: Duration::from_secs(2) }
    }

    /// How long the endpoint may take to answer (2 s by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether the environment names a container endpoint.
    pub(crate) fn configured(vars: &Vars) -> bool {
        vars("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_some() || vars("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some()
    }

    /// The endpoint's URL, and its origin (`scheme://host[:port]`) for messages: the path can be
    /// a secret (ECS's relative URI works as a bearer key). A full URI over http must name a
    /// trusted host: the authorization token must not go to whatever a variable says.
    fn url(&self) -> Result<(String, String)> {
        if let Some(relative) = (self.vars)("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            if !relative.starts_with('/') || relative.contains(['@', '\\']) {
                return Err(Error::Credentials("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path (/…)".into()));
            }
            return Ok((format!("{ECS_ADDRESS}{relative}"), ECS_ADDRESS.into()));
        }
        let full = (self.vars)("AWS_CONTAINER_CREDENTIALS_FULL_URI")
            .ok_or_else(|| Error::Credentials("AWS_CONTAINER_CREDENTIALS_(RELATIVE|FULL)_URI is not set".into()))?;
        let authority = full.split_once("://").map_or("", |(_, rest)| rest).split(['/', '?', '#']).next().unwrap_or("");
        // User info (`trusted@elsewhere`) or a backslash would make the host another than it reads.
        if authority.is_empty() || authority.contains(['@', '\\']) {
            return Err(Error::Credentials(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must be scheme://host[:port]/path".into(),
            ));
        }
        let scheme = full.split_once("://").map_or("", |(scheme, _)| scheme).to_ascii_lowercase();
        if scheme == "http" {
            let host = match authority.rsplit_once(':') {
                Some((host, port)) if !port.ends_with(']') => host,
                _ => authority,
            }
            .to_ascii_lowercase();
            let ip = host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>();
            if !(AGENT_HOSTS.contains(&host.as_str()) || ip.is_ok_and(|ip| ip.is_loopback())) {
                return Err(Error::Credentials(format!(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI names {host} over http: only https or a container agent's or loopback address is trusted"
                )));
            }
        } else if scheme != "https" {
            return Err(Error::Credentials("AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http(s) URL".into()));
        }
        let origin = [scheme.as_str(), "://", authority].concat();
        Ok((full, origin))
    }

    async fn fetch(&self) -> Result<Credentials> {
        let (url, origin) = self.url()?;
        let token = match (self.vars)("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(file) => Some(
                super::read_file(file.clone().into())
                    .await
                    .map_err(|e| Error::Credentials(format!("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {file}: {e}")))?,
            ),
            None => (self.vars)("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        let headers = token.map(|t| vec![("authorization".to_string(), t.trim().to_owned())]).unwrap_or_default();
        let failed = |e: Error| Error::Credentials(format!("container credentials at {origin}: {e}"));
        let (status, text) =
            fetch_text(&*self.transport, Method::Get, &url, headers, self.timeout).await.map_err(failed)?;
        if status != 200 {
            return Err(Error::Credentials(format!("container credentials at {origin} answered HTTP {status}")));
        }
        credentials_from_json("container credentials", &text)
    }
}

impl ProvideCredentials for ContainerCredentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        Box::pin(self.fetch())
    }
}
