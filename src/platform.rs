//! The one place where wasm and native differ: trait bounds, and how a caller cancels.
//!
//! wasm32 is single-threaded and JS values are not `Send`, so futures and providers there are
//! not `Send`; natively they must be, so one client can be shared across tokio tasks.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

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

/// Waits `duration`: a JS timer on wasm, tokio's natively (feature `native`).
pub async fn sleep(duration: Duration) {
    #[cfg(target_arch = "wasm32")]
    gloo_timers::future::sleep(duration).await;
    #[cfg(all(feature = "native", not(target_arch = "wasm32")))]
    tokio::time::sleep(duration).await;
    #[cfg(not(any(target_arch = "wasm32", feature = "native")))]
    std::thread::sleep(duration);
}

/// Runs `future` until `limit` passes (`None` when it did). Natively a tokio timer (feature
/// `native`); on wasm the fetch transport's own deadline already aborts the attempt, body
/// included, so the future simply runs.
pub(crate) async fn deadline<F: Future>(limit: Option<Duration>, future: F) -> Option<F::Output> {
    #[cfg(all(feature = "native", not(target_arch = "wasm32")))]
    if let Some(limit) = limit {
        return tokio::time::timeout(limit, future).await.ok();
    }
    let _ = limit;
    Some(future.await)
}

/// A random number for retry jitter (nothing secret rests on it). Natively from the OS
/// (getrandom; 0 where it has none, which only makes jitter predictable); on wasm from
/// `Math.random`, since getrandom's JS backend costs about 1 KB of download for the same job.
pub fn random_u64() -> u64 {
    #[cfg(target_arch = "wasm32")]
    return (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    #[cfg(not(target_arch = "wasm32"))]
    {
        let mut bytes = [0u8; 8];
        match getrandom::getrandom(&mut bytes) {
            Ok(()) => u64::from_le_bytes(bytes),
            Err(_) => 0,
        }
    }
}

#[cfg(all(test, feature = "native"))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sleeps_at_least_as_long_as_asked() {
        let start = std::time::Instant::now();
        sleep(Duration::from_millis(30)).await;
        assert!(start.elapsed() >= Duration::from_millis(30));
    }

    #[test]
    fn random_numbers_differ() {
        let draws: std::collections::BTreeSet<u64> = (0..8).map(|_| random_u64()).collect();
        assert!(draws.len() > 1, "eight draws gave one number: {draws:?}");
    }
}
