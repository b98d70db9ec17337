//! Where the signer's keys come from: one file per source, and the cache in front of them.
//!
//! Every attempt asks the client's provider for credentials, so a provider that refreshes (web
//! identity, a callback, IMDS) is honoured by retries and redirects without the pipeline
//! knowing. Temporary credentials pass through [`CachedCredentials`]: reused until shortly
//! before they expire, refreshed by one caller while the others wait (or keep using the old
//! ones while they are still valid).

mod cache;
mod callback;
#[cfg(feature = "native")]
mod chain;
#[cfg(feature = "native")]
mod container;
#[cfg(feature = "native")]
mod env;
#[cfg(feature = "native")]
mod http_source;
#[cfg(feature = "native")]
mod imds;
#[cfg(feature = "native")]
mod profile;
mod web_identity;

pub use cache::{CachedCredentials, DEFAULT_REFRESH_WINDOW};
pub use callback::CredentialsFn;
#[cfg(feature = "native")]
pub use chain::DefaultChain;
#[cfg(feature = "native")]
pub use container::ContainerCredentials;
#[cfg(feature = "native")]
pub use env::{process_vars, EnvCredentials, Vars};
#[cfg(feature = "native")]
pub use imds::{ImdsCredentials, ImdsVersion};
#[cfg(feature = "native")]
pub use profile::ProfileCredentials;
#[cfg(target_arch = "wasm32")]
pub(crate) use web_identity::read_sts_answer;
pub use web_identity::{StsAnswer, StsCredentials, StsError, TokenFn, TokenSource, WebIdentity};

use crate::error::Result;
use crate::platform::{BoxFuture, MaybeSend, MaybeSync};

/// Reads a small local file (a profile, a token) without blocking the caller's thread: on a
/// tokio worker thread for blocking work when there is a runtime, else at once.
#[cfg(feature = "native")]
pub(crate) async fn read_file(path: std::path::PathBuf) -> std::io::Result<String> {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => runtime
            .spawn_blocking(move || std::fs::read_to_string(path))
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e))),
        Err(_) => std::fs::read_to_string(path),
    }
}
use crate::sigv4::SigningCredentials;
use crate::time::Timestamp;
use std::fmt;

/// An access key, its secret, an optional session token and, for temporary credentials, when
/// they expire. `Debug` never shows the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiration: Option<Timestamp>,
}

impl Credentials {
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expiration: None,
        }
    }

    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// When these credentials stop working; the cache refreshes them before then.
    pub fn with_expiration(mut self, expiration: Timestamp) -> Self {
        self.expiration = Some(expiration);
        self
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub fn expiration(&self) -> Option<Timestamp> {
        self.expiration
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
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// Something that yields credentials when a request is about to be signed.
pub trait ProvideCredentials: MaybeSend + MaybeSync {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>>;

    /// S3 refused `stale` as expired (`ExpiredToken`): a caching provider drops them, so the
    /// next [`ProvideCredentials::provide`] fetches new ones, and says so (the call is then
    /// retried once). Sources that cannot refresh return `false`.
    fn invalidate(&self, stale: &Credentials) -> bool {
        let _ = stale;
        false
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for std::sync::Arc<P> {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        (**self).provide()
    }

    fn invalidate(&self, stale: &Credentials) -> bool {
        (**self).invalidate(stale)
    }
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

/// `count` texts of up to `max_pieces` of `pieces` each, in a fixed pseudo-random order
/// (xorshift from `seed`): inputs for the readers' must-not-panic tests.
#[cfg(test)]
pub(crate) fn random_texts(pieces: &[&str], count: usize, max_pieces: u64, mut seed: u64) -> Vec<String> {
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..(seed % max_pieces) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            text
        })
        .collect()
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
