//! The one place where wasm and native differ: trait bounds, and how a caller cancels.
//!
//! wasm32 is single-threaded and JS values are not `Send`, so futures and providers there are
//! not `Send`; natively they must be, so one client can be shared across tokio tasks.

use std::future::Future;
use std::pin::Pin;

#[cfg(not(target_arch = "wasm32"))]
mod bounds {
    pub trait MaybeSend: Send {}
    impl<T: Send + ?Sized> MaybeSend for T {}
    pub trait MaybeSync: Sync {}
    impl<T: Sync + ?Sized> MaybeSync for T {}
}

#[cfg(target_arch = "wasm32")]
mod bounds {
    pub trait MaybeSend {}
    impl<T: ?Sized> MaybeSend for T {}
    pub trait MaybeSync {}
    impl<T: ?Sized> MaybeSync for T {}
}

pub use bounds::{MaybeSend, MaybeSync};

/// A boxed future that is `Send` natively and not on wasm.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// How the caller cancels a call. On wasm, the JS `AbortSignal` of the `signal` option: the
/// fetch in flight is aborted with it. Natively a call is cancelled by dropping its future,
/// so there is nothing to carry.
#[derive(Debug, Clone, Default)]
pub struct Signal {
    #[cfg(target_arch = "wasm32")]
    pub(crate) abort: Option<wasm_bindgen::JsValue>,
}
