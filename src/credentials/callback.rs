//! Credentials from the application's own function: a closure in Rust, an async function in
//! JS (`credentials: async () => ({ … })`, see `js/credentials.rs`). The client puts the cache in
//! front of it: the function runs again shortly before the `expiration` it returned (never,
//! when it returned none, unless S3 says the credentials expired).

use super::{Credentials, ProvideCredentials};
use crate::error::Result;
use crate::platform::{BoxFuture, MaybeSend, MaybeSync};

/// A provider made of a function that returns a future of [`Credentials`].
pub struct CredentialsFn<F>(pub F);

impl<F> ProvideCredentials for CredentialsFn<F>
where
    F: Fn() -> BoxFuture<'static, Result<Credentials>> + MaybeSend + MaybeSync,
{
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        (self.0)()
    }
}
