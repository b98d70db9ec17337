//! Credentials from the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and an
//! optional `AWS_SESSION_TOKEN`.
//! <https://docs.aws.amazon.com/sdkref/latest/guide/feature-static-credentials.html>

use super::{Credentials, ProvideCredentials};
use crate::error::{Error, Result};
use crate::platform::BoxFuture;
use std::sync::Arc;

/// How providers read environment variables: the process's, or a fixed map in tests.
pub type Vars = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The process's environment variables (empty values count as unset).
pub fn process_vars() -> Vars {
    Arc::new(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
}

/// Reads the environment at each call.
pub struct EnvCredentials {
    vars: Vars,
}

impl EnvCredentials {
    pub fn new() -> Self {
        Self::with_vars(process_vars())
    }

    pub fn with_vars(vars: Vars) -> Self {
        EnvCredentials { vars }
    }

    pub(crate) fn read(&self) -> Result<Credentials> {
        let var = |name| (self.vars)(name);
        let Some(id) = var("AWS_ACCESS_KEY_ID") else {
            return Err(Error::Credentials("AWS_ACCESS_KEY_ID is not set".into()));
        };
        let secret = var("AWS_SECRET_ACCESS_KEY")
            .ok_or_else(|| Error::Credentials("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".into()))?;
        let credentials = Credentials::new(id, secret);
        Ok(match var("AWS_SESSION_TOKEN") {
            Some(token) => credentials.with_session_token(token),
            None => credentials,
        })
    }
}

impl Default for EnvCredentials {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for EnvCredentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        let read = self.read();
        Box::pin(async move { read })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn vars(pairs: &[(&str, &str)]) -> Vars {
        let map: std::collections::HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Arc::new(move |name| map.get(name).cloned())
    }

    #[test]
    fn reads_keys_and_token_and_names_what_is_missing() {
        let env = EnvCredentials::with_vars(vars(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ]));
        let c = env.read().unwrap();
        assert_eq!((c.access_key_id(), c.for_signing().session_token), ("AKID", Some("TOKEN")));
        let half = EnvCredentials::with_vars(vars(&[("AWS_ACCESS_KEY_ID", "AKID")])).read().unwrap_err();
        assert!(half.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{half}");
        assert!(EnvCredentials::with_vars(vars(&[])).read().is_err());
    }
}
