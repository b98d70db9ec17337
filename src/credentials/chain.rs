//! The default chain, natively: the first source the environment configures that yields
//! credentials wins, in the AWS SDKs' order: environment variables, web identity from the
//! environment, the shared profile files, a container endpoint, the instance's IMDS. A source
//! that is not configured is skipped and says why; one that is configured but fails ends the
//! chain with its error (a broken setup must not fall through to another identity). The final
//! error names every step.

use super::container::ContainerCredentials;
use super::env::{process_vars, EnvCredentials, Vars};
use super::imds::ImdsCredentials;
use super::profile::{self, ProfileCredentials};
use super::web_identity::{TokenSource, WebIdentity};
use super::{Credentials, ProvideCredentials};
use crate::error::{Error, Result};
use crate::platform::BoxFuture;
use crate::transport::native::NativeTransport;
use crate::transport::Transport;
use std::sync::Arc;

pub struct DefaultChain {
    vars: Vars,
    /// STS's calls (web identity), through the client's transport.
    transport: Arc<dyn Transport>,
    /// The container's and the instance's endpoints, reached without a proxy (see
    /// [`NativeTransport::direct`]); `imds` holds it too.
    metadata: Arc<dyn Transport>,
    /// One for the chain's life, so its IMDSv2 session token serves every refresh.
    imds: ImdsCredentials,
    region: String,
}

impl DefaultChain {
    /// Over the process's environment: `transport` carries the STS calls; the container's and
    /// the instance's endpoints are reached directly, never through a proxy.
    pub fn new(transport: Arc<dyn Transport>, region: impl Into<String>) -> Result<Self> {
        let direct: Arc<dyn Transport> = Arc::new(NativeTransport::direct()?);
        Ok(Self::with_transports(process_vars(), transport, direct, region))
    }

    /// Over `vars`, every call through `transport`.
    pub fn with_vars(vars: Vars, transport: Arc<dyn Transport>, region: impl Into<String>) -> Self {
        Self::with_transports(vars, transport.clone(), transport, region)
    }

    fn with_transports(
        vars: Vars,
        transport: Arc<dyn Transport>,
        metadata: Arc<dyn Transport>,
        region: impl Into<String>,
    ) -> Self {
        let imds = ImdsCredentials::new(&vars, metadata.clone());
        DefaultChain { vars, transport, metadata, imds, region: region.into() }
    }

    async fn resolve(&self) -> Result<Credentials> {
        let vars = &self.vars;
        let mut skipped = Vec::new();
        let fail = |step: &str, error: Error, skipped: &[String]| {
            // STS's refusal keeps its code, status and request id (`Error::code` finds them).
            if let Error::CredentialsRefused(_) = error {
                return error;
            }
            let mut message = format!("{step}: {error}");
            if !skipped.is_empty() {
                message = format!("{message} (after {})", skipped.join("; "));
            }
            Error::Credentials(message)
        };

        if vars("AWS_ACCESS_KEY_ID").is_some() {
            return EnvCredentials::with_vars(vars.clone()).read().map_err(|e| fail("environment", e, &skipped));
        }
        skipped.push("environment: AWS_ACCESS_KEY_ID is not set".into());

        match (vars("AWS_WEB_IDENTITY_TOKEN_FILE"), vars("AWS_ROLE_ARN")) {
            (Some(file), Some(role_arn)) => {
                let mut web_identity = WebIdentity::new(role_arn, TokenSource::File(file.into()));
                web_identity.role_session_name = vars("AWS_ROLE_SESSION_NAME");
                let provider = web_identity.into_provider(self.transport.clone(), &self.region);
                let result = match provider {
                    Ok(provider) => provider.provide().await,
                    Err(e) => Err(e),
                };
                return result.map_err(|e| fail("web identity", e, &skipped));
            }
            _ => skipped.push("web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set".into()),
        }

        let profile = ProfileCredentials::new(vars.clone(), self.transport.clone(), self.region.clone());
        match profile.provide().await {
            Ok(credentials) => return Ok(credentials),
            // A profile named by AWS_PROFILE must be there: no falling through to another identity.
            Err(e) if is_absent(&e, vars("AWS_PROFILE").is_some()) => {
                skipped.push(format!("profile: {}", message_of(&e)))
            }
            Err(e) => return Err(fail("profile", e, &skipped)),
        }

        if ContainerCredentials::configured(vars) {
            let container = ContainerCredentials::new(vars.clone(), self.metadata.clone());
            return container.provide().await.map_err(|e| fail("container", e, &skipped));
        }
        skipped.push("container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set".into());

        self.imds.provide().await.map_err(|e| fail("IMDS", e, &skipped))
    }
}

/// Whether a profile error means "no credentials here" rather than "a profile that is broken":
/// a profile that sets no credentials (only a region), or, unless `AWS_PROFILE` named one, no
/// shared files or no `default` profile in them.
fn is_absent(error: &Error, named: bool) -> bool {
    let message = message_of(error);
    let not_there = message.starts_with("no ~/.aws/") || message.ends_with(profile::NOT_THERE);
    message.ends_with(profile::NO_CREDENTIALS) || !named && not_there
}

fn message_of(error: &Error) -> String {
    match error {
        Error::Credentials(message) => message.clone(),
        other => other.to_string(),
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        Box::pin(self.resolve())
    }
}
