//! The default chain, natively: the first source the environment configures that yields
//! credentials wins, in the AWS SDKs' order: environment variables, web identity from the
//! environment, the shared profile files, a container endpoint, the instance's IMDS. A source
//! that is not configured is skipped and says why; one that is configured but fails ends the
//! chain with its error (a broken setup must not fall through to another identity). The final
//! error names every step.

use super::container::ContainerCredentials;
use super::env::{process_vars, EnvCredentials, Vars};
use super::imds::ImdsCredentials;
use super::profile::ProfileCredentials;
use super::web_identity::{TokenSource, WebIdentity};
use super::{Credentials, ProvideCredentials};
use crate::error::{Error, Result};
use crate::platform::BoxFuture;
use crate::transport::Transport;
use std::sync::Arc;

pub struct DefaultChain {
    vars: Vars,
    transport: Arc<dyn Transport>,
    region: String,
}

impl DefaultChain {
    /// Over the process's environment; `transport` carries the STS, container and IMDS calls.
    pub fn new(transport: Arc<dyn Transport>, region: impl Into<String>) -> Self {
        Self::with_vars(process_vars(), transport, region)
    }

    pub fn with_vars(vars: Vars, transport: Arc<dyn Transport>, region: impl Into<String>) -> Self {
        DefaultChain { vars, transport, region: region.into() }
    }

    async fn resolve(&self) -> Result<Credentials> {
        let vars = &self.vars;
        let mut skipped = Vec::new();
        let fail = |step: &str, error: Error, skipped: &[String]| {
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
            Err(e) if is_absent(&e) && vars("AWS_PROFILE").is_none() => {
                skipped.push(format!("profile: {}", message_of(&e)))
            }
            Err(e) => return Err(fail("profile", e, &skipped)),
        }

        if ContainerCredentials::configured(vars) {
            let container = ContainerCredentials::new(vars.clone(), self.transport.clone());
            return container.provide().await.map_err(|e| fail("container", e, &skipped));
        }
        skipped.push("container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set".into());

        ImdsCredentials::new(vars, self.transport.clone()).provide().await.map_err(|e| fail("IMDS", e, &skipped))
    }
}

/// Whether a profile error means "no profile here" rather than "a profile that is broken".
fn is_absent(error: &Error) -> bool {
    let message = message_of(error);
    message.starts_with("no ~/.aws/")
        || (message.starts_with("profile ") && message.ends_with("is not in the shared files, or sets no credentials"))
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
