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

/// Waits `duration`: a JS timer on wasm (a promise, as every wait there: see `js_await`;
/// the package's transport has its own, which the caller's signal cuts short), tokio's
/// natively (feature `native`).
pub async fn sleep(duration: Duration) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let ms = duration.as_millis().min(i32::MAX as u128) as i32;
        let timer = js_sys::Promise::new(&mut |resolve, _| {
            let set_timeout = js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into());
            if let Ok(set_timeout) = set_timeout.and_then(|f| f.dyn_into::<js_sys::Function>()) {
                let _ = set_timeout.call2(&wasm_bindgen::JsValue::UNDEFINED, &resolve, &ms.into());
            }
        });
        let _ = js_await::settled(timer).await;
    }
    #[cfg(all(feature = "native", not(target_arch = "wasm32")))]
    tokio::time::sleep(duration).await;
    #[cfg(not(any(target_arch = "wasm32", feature = "native")))]
    std::thread::sleep(duration);
}

/// Runs `future` until `limit` passes (`None` when it did): a tokio timer, for the credential
/// endpoints of the `native` feature (S3's answers are timed piece by piece by the transports).
#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
pub(crate) async fn deadline<F: Future>(limit: Duration, future: F) -> Option<F::Output> {
    tokio::time::timeout(limit, future).await.ok()
}

/// On wasm, how the client's futures wait: on a JS promise, handed to whoever drives them.
///
/// Every future of the client on wasm waits on one JS promise at a time (a fetch, a body read,
/// a timer, a credentials function). The package's driver (`js/task.rs` with `client.js`)
/// polls a call; a future that needs a promise's outcome leaves the promise here and returns
/// `Pending`; the driver takes it, awaits it in JS and polls again with its outcome. This
/// replaces wasm-bindgen-futures' executor, task queue and closures: about 5 KB less download
/// (README, Size). It also means these futures make progress only under that driver.
#[cfg(target_arch = "wasm32")]
pub(crate) mod js_await {
    use js_sys::Promise;
    use std::cell::RefCell;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use wasm_bindgen::JsValue;

    thread_local! {
        /// The promise the polled future now waits on (taken by the driver).
        static AWAITED: RefCell<Option<Promise>> = const { RefCell::new(None) };
        /// The outcome of that promise, given back by the driver before it polls again.
        static OUTCOME: RefCell<Option<Result<JsValue, JsValue>>> = const { RefCell::new(None) };
    }

    /// Waits for `promise`: resolves to its value, or to what it rejected with.
    pub(crate) fn settled(promise: Promise) -> Settled {
        Settled(Some(promise))
    }

    pub(crate) struct Settled(Option<Promise>);

    impl Future for Settled {
        type Output = Result<JsValue, JsValue>;

        fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
            match self.0.take() {
                Some(promise) => {
                    AWAITED.with(|awaited| *awaited.borrow_mut() = Some(promise));
                    Poll::Pending
                }
                None => {
                    Poll::Ready(OUTCOME.with(|outcome| outcome.borrow_mut().take()).unwrap_or(Ok(JsValue::UNDEFINED)))
                }
            }
        }
    }

    /// For the driver: hands over the outcome of the promise the future waited on.
    pub(crate) fn resume_with(outcome: Result<JsValue, JsValue>) {
        OUTCOME.with(|slot| *slot.borrow_mut() = Some(outcome));
    }

    /// For the driver: the promise the future now waits on, if it waits on one.
    pub(crate) fn awaited() -> Option<Promise> {
        AWAITED.with(|awaited| awaited.borrow_mut().take())
    }
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
