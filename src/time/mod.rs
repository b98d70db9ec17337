//! Instants, the clock they come from, and the two date formats S3 speaks.
//!
//! `std::time::SystemTime::now()` panics on wasm32-unknown-unknown, so the client never reads
//! time itself: it asks a [`Clock`] (JS `Date.now()` on wasm, `SystemTime` natively).

mod timestamp;

pub use timestamp::Timestamp;
pub(crate) use timestamp::{push_digits, unix_to_civil};

use crate::platform::{MaybeSend, MaybeSync};

/// Where the client reads the current time.
pub trait Clock: MaybeSend + MaybeSync {
    fn now(&self) -> Timestamp;
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

/// The platform clock: JS `Date.now()` on wasm, `SystemTime` natively.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[cfg(target_arch = "wasm32")]
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(js_sys::Date::now() as i64)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn now(&self) -> Timestamp {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Timestamp::from_unix_millis(since_epoch.as_millis() as i64)
    }
}
