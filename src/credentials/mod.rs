//! Where the signer's keys come from.
//!
//! Every attempt asks its provider for credentials, so a provider that refreshes (web identity,
//! a JS callback) is honoured by retries and redirects without the pipeline knowing.

use crate::error::Result;
use crate::platform::{BoxFuture, MaybeSend, MaybeSync};
use crate::sigv4::SigningCredentials;
use std::fmt;

/// An access key, its secret and an optional session token. `Debug` never shows the secret
/// or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The view the signer needs.
    pub(crate) fn for_signing(&self) -> SigningCredentials<'_> {
        SigningCredentials {
            access_key_id: &self.access_key_id,
            secret_access_key: &self.secret_access_key,
            session_token: self.session_token.as_deref(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &self.session_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Something that yields credentials when a request is about to be signed.
pub trait ProvideCredentials: MaybeSend + MaybeSync {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>>;
}

/// Fixed credentials.
#[derive(Debug, Clone)]
pub struct StaticCredentials(Credentials);

impl StaticCredentials {
    pub fn new(credentials: Credentials) -> Self {
        StaticCredentials(credentials)
    }
}

impl ProvideCredentials for StaticCredentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        let credentials = self.0.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let c = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/SECRET").with_session_token("TOKEN123");
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(!shown.contains("SECRET") && !shown.contains("TOKEN123"), "{shown}");
    }
}
