//! The cache in front of every temporary source: reuse until shortly before expiry, one
//! refresh at a time.
//!
//! When the credentials near their expiry, the first caller refreshes them while every other
//! keeps signing with the old ones (still valid), so 100 requests at that moment cause one
//! call to STS, not 100. Once they have expired, callers wait for that one refresh instead.
//! A refresh that fails while the old credentials still work keeps them and tries again a
//! little later; after expiry the failure is every waiting caller's `credentials` error (and
//! the next call tries again). Runtime-agnostic: a mutex and wakers, no tokio.

use super::{Credentials, ProvideCredentials};
use crate::error::{Error, Result};
use crate::platform::BoxFuture;
use crate::time::{Clock, Timestamp};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// How long before expiry credentials are refreshed by default (as the AWS SDKs do).
pub const DEFAULT_REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);
/// After a failed refresh while the old credentials still work, the next try waits this long.
const RETRY_FAILED_REFRESH_AFTER: Duration = Duration::from_secs(10);

/// Caches what `source` provides (see the module documentation).
pub struct CachedCredentials {
    source: Arc<dyn ProvideCredentials>,
    clock: Arc<dyn Clock>,
    refresh_window: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    current: Option<Cached>,
    refreshing: bool,
    /// No refresh starts before this (set after one failed while `current` still worked).
    quiet_until: Option<Timestamp>,
    /// Counts finished refreshes, so a waiter knows its refresh is over.
    generation: u64,
    /// What the last refresh failed with, for the callers that waited for it.
    failure: Option<Error>,
    waiters: Vec<Waker>,
}

struct Cached {
    credentials: Credentials,
    /// When a refresh is due: `refresh_window` before expiry, or halfway to it for credentials
    /// that live shorter than twice the window (otherwise every call would refresh them).
    refresh_at: Option<Timestamp>,
}

/// What a caller does, decided under the lock.
enum Step {
    Use(Credentials),
    Refresh,
    Wait(u64),
}

impl CachedCredentials {
    pub fn new(source: Arc<dyn ProvideCredentials>, clock: Arc<dyn Clock>, refresh_window: Duration) -> Self {
        CachedCredentials { source, clock, refresh_window, state: Mutex::new(State::default()) }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn step(&self, state: &mut State) -> Step {
        let now = self.clock.now();
        let usable = state.current.as_ref().filter(|c| c.credentials.expiration.is_none_or(|at| now < at));
        if let Some(cached) = usable {
            let due = cached.refresh_at.is_some_and(|at| now >= at);
            let quiet = state.quiet_until.is_some_and(|until| now < until);
            if !due || state.refreshing || quiet {
                return Step::Use(cached.credentials.clone());
            }
        } else if state.refreshing {
            return Step::Wait(state.generation);
        }
        state.refreshing = true;
        Step::Refresh
    }

    async fn refresh(&self) -> Result<Credentials> {
        let mut guard = RefreshGuard { cache: self, done: false };
        let fetched = self.source.provide().await;
        let now = self.clock.now();
        // Unusable credentials take the failure path: still-valid old ones are kept.
        let fetched = fetched.and_then(crate::validate::credentials).and_then(|c| match c.expiration {
            Some(at) if at <= now => Err(Error::Credentials(format!(
                "the credentials provider gave credentials that expired at {}",
                at.to_iso8601()
            ))),
            _ => Ok(c),
        });
        let mut state = self.lock();
        guard.done = true;
        let result = match fetched {
            Ok(credentials) => {
                let refresh_at = credentials.expiration.map(|at| {
                    let lifetime = Duration::from_millis((at.unix_millis() - now.unix_millis()) as u64);
                    let ahead = self.refresh_window.min(lifetime / 2);
                    Timestamp::from_unix_millis(at.unix_millis() - ahead.as_millis() as i64)
                });
                state.current = Some(Cached { credentials: credentials.clone(), refresh_at });
                state.quiet_until = None;
                state.failure = None;
                Ok(credentials)
            }
            Err(error) => {
                let still_valid = state
                    .current
                    .as_ref()
                    .filter(|c| c.credentials.expiration.is_none_or(|at| now < at))
                    .map(|c| c.credentials.clone());
                match still_valid {
                    Some(credentials) => {
                        let retry_at = now.unix_millis() + RETRY_FAILED_REFRESH_AFTER.as_millis() as i64;
                        state.quiet_until = Some(Timestamp::from_unix_millis(retry_at));
                        Ok(credentials)
                    }
                    None => {
                        state.failure = Some(error.clone());
                        Err(error)
                    }
                }
            }
        };
        finish(&mut state);
        result
    }
}

/// Ends a refresh: the next may start, and the waiters look again.
fn finish(state: &mut State) {
    state.refreshing = false;
    state.generation += 1;
    for waker in state.waiters.drain(..) {
        waker.wake();
    }
}

/// Ends a refresh whose caller went away mid-way (its call was cancelled): a waiter then
/// finds no refresh running and starts its own.
struct RefreshGuard<'a> {
    cache: &'a CachedCredentials,
    done: bool,
}

impl Drop for RefreshGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            let mut state = self.cache.lock();
            state.failure = None;
            finish(&mut state);
        }
    }
}

/// Resolves once the refresh of generation `seen` is over.
struct RefreshOver<'a> {
    cache: &'a CachedCredentials,
    seen: u64,
}

impl Future for RefreshOver<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.cache.lock();
        if state.generation != self.seen {
            return Poll::Ready(());
        }
        if !state.waiters.iter().any(|w| w.will_wake(cx.waker())) {
            state.waiters.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

impl ProvideCredentials for CachedCredentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        Box::pin(async move {
            loop {
                let step = self.step(&mut self.lock());
                match step {
                    Step::Use(credentials) => return Ok(credentials),
                    Step::Refresh => return self.refresh().await,
                    Step::Wait(seen) => {
                        RefreshOver { cache: self, seen }.await;
                        let state = self.lock();
                        // The refresh waited for failed: that is this call's answer too (one
                        // failing call to the source, not one per waiter).
                        if state.generation == seen + 1 {
                            if let Some(failure) = &state.failure {
                                return Err(failure.clone());
                            }
                        }
                    }
                }
            }
        })
    }

    fn invalidate(&self, stale: &Credentials) -> bool {
        let mut state = self.lock();
        if state.current.as_ref().is_some_and(|c| &c.credentials == stale) {
            state.current = None;
            state.quiet_until = None;
        }
        // Newer credentials than `stale` are already in place, or will be fetched.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};

    struct ManualClock(AtomicI64);
    impl Clock for ManualClock {
        fn now(&self) -> Timestamp {
            Timestamp::from_unix_seconds(self.0.load(Ordering::SeqCst))
        }
    }

    /// A source that counts its calls, hands out `key-N` valid for `lifetime` seconds, and can
    /// be told to fail or to wait until released.
    struct Source {
        clock: Arc<ManualClock>,
        calls: AtomicU32,
        lifetime: i64,
        failing: std::sync::atomic::AtomicBool,
        gate: Mutex<Option<Vec<Waker>>>,
    }

    impl Source {
        fn release(&self) {
            for waker in self.gate.lock().unwrap().take().unwrap_or_default() {
                waker.wake();
            }
        }
    }

    struct Gate<'a>(&'a Source);
    impl Future for Gate<'_> {
        type Output = ();
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            match self.0.gate.lock().unwrap().as_mut() {
                Some(waiting) => {
                    waiting.push(cx.waker().clone());
                    Poll::Pending
                }
                None => Poll::Ready(()),
            }
        }
    }

    impl ProvideCredentials for Source {
        fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                Gate(self).await;
                if self.failing.load(Ordering::SeqCst) {
                    return Err(Error::Credentials(format!("refresh {n} failed")));
                }
                let expires = self.clock.now().unix_seconds() + self.lifetime;
                Ok(Credentials::new(format!("key-{n}"), "secret")
                    .with_expiration(Timestamp::from_unix_seconds(expires)))
            })
        }
    }

    fn cache(lifetime: i64) -> (Arc<CachedCredentials>, Arc<Source>, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock(AtomicI64::new(1_700_000_000)));
        let source = Arc::new(Source {
            clock: clock.clone(),
            calls: AtomicU32::new(0),
            lifetime,
            failing: Default::default(),
            gate: Mutex::new(None),
        });
        let cache = CachedCredentials::new(source.clone(), clock.clone(), DEFAULT_REFRESH_WINDOW);
        (Arc::new(cache), source, clock)
    }

    fn now_or_never<F: Future>(future: F) -> Option<F::Output> {
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(value) => Some(value),
            Poll::Pending => None,
        }
    }

    fn key(result: Option<Result<Credentials>>) -> String {
        result.expect("ready").expect("credentials").access_key_id().to_owned()
    }

    fn advance(clock: &ManualClock, seconds: i64) {
        clock.0.fetch_add(seconds, Ordering::SeqCst);
    }

    #[test]
    fn reuses_until_the_refresh_window_then_refreshes_once() {
        let (cache, source, clock) = cache(3600);
        assert_eq!(key(now_or_never(cache.provide())), "key-1");
        advance(&clock, 3600 - 301);
        assert_eq!(key(now_or_never(cache.provide())), "key-1");
        advance(&clock, 2);
        assert_eq!(key(now_or_never(cache.provide())), "key-2");
        assert_eq!(key(now_or_never(cache.provide())), "key-2");
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_hundred_callers_at_expiry_cause_one_refresh() {
        let (cache, source, clock) = cache(3600);
        assert_eq!(key(now_or_never(cache.provide())), "key-1");
        advance(&clock, 3600);
        *source.gate.lock().unwrap() = Some(Vec::new());
        let mut callers: Vec<_> = (0..100).map(|_| cache.provide()).collect();
        let waker = Waker::noop();
        for caller in &mut callers {
            assert!(caller.as_mut().poll(&mut Context::from_waker(waker)).is_pending());
        }
        source.release();
        for caller in &mut callers {
            match caller.as_mut().poll(&mut Context::from_waker(waker)) {
                Poll::Ready(Ok(c)) => assert_eq!(c.access_key_id(), "key-2"),
                other => panic!("caller not served: {:?}", other.map(|r| r.map(|c| c.access_key_id().to_owned()))),
            }
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 2, "one first fetch and one refresh");
    }

    #[test]
    fn callers_keep_the_old_credentials_while_one_refreshes_ahead_of_expiry() {
        let (cache, source, clock) = cache(3600);
        now_or_never(cache.provide());
        advance(&clock, 3400);
        *source.gate.lock().unwrap() = Some(Vec::new());
        let mut refresher = cache.provide();
        assert!(refresher.as_mut().poll(&mut Context::from_waker(Waker::noop())).is_pending());
        assert_eq!(key(now_or_never(cache.provide())), "key-1", "not made to wait");
        source.release();
        assert_eq!(key(now_or_never(refresher)), "key-2");
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_failed_refresh_keeps_valid_credentials_and_tries_again_later() {
        let (cache, source, clock) = cache(3600);
        now_or_never(cache.provide());
        advance(&clock, 3400);
        source.failing.store(true, Ordering::SeqCst);
        assert_eq!(key(now_or_never(cache.provide())), "key-1");
        assert_eq!(key(now_or_never(cache.provide())), "key-1");
        assert_eq!(source.calls.load(Ordering::SeqCst), 2, "no second try at once");
        advance(&clock, 11);
        assert_eq!(key(now_or_never(cache.provide())), "key-1");
        assert_eq!(source.calls.load(Ordering::SeqCst), 3, "tried again after the pause");
        source.failing.store(false, Ordering::SeqCst);
        advance(&clock, 11);
        assert_eq!(key(now_or_never(cache.provide())), "key-4");
    }

    #[test]
    fn after_expiry_a_failed_refresh_is_a_credentials_error_for_every_waiter() {
        let (cache, source, clock) = cache(3600);
        now_or_never(cache.provide());
        advance(&clock, 3600);
        source.failing.store(true, Ordering::SeqCst);
        *source.gate.lock().unwrap() = Some(Vec::new());
        let mut first = cache.provide();
        let mut second = cache.provide();
        let cx = &mut Context::from_waker(Waker::noop());
        assert!(first.as_mut().poll(cx).is_pending() && second.as_mut().poll(cx).is_pending());
        source.release();
        for caller in [&mut first, &mut second] {
            let Poll::Ready(Err(error)) = caller.as_mut().poll(cx) else { panic!("expected an error") };
            assert_eq!(error.kind(), crate::ErrorKind::Credentials);
            assert!(error.to_string().contains("refresh 2 failed"), "{error}");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn invalidating_the_current_credentials_fetches_new_ones_but_not_for_older_ones() {
        let (cache, source, _) = cache(3600);
        let first = now_or_never(cache.provide()).unwrap().unwrap();
        cache.invalidate(&first);
        let second = now_or_never(cache.provide()).unwrap().unwrap();
        assert_eq!(second.access_key_id(), "key-2");
        cache.invalidate(&first);
        assert_eq!(key(now_or_never(cache.provide())), "key-2", "a stale report about older keys is ignored");
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_cancelled_refresh_lets_a_waiter_refresh() {
        let (cache, source, clock) = cache(3600);
        now_or_never(cache.provide());
        advance(&clock, 3600);
        *source.gate.lock().unwrap() = Some(Vec::new());
        let cx = &mut Context::from_waker(Waker::noop());
        let mut refresher = cache.provide();
        let mut waiter = cache.provide();
        assert!(refresher.as_mut().poll(cx).is_pending() && waiter.as_mut().poll(cx).is_pending());
        drop(refresher);
        *source.gate.lock().unwrap() = None;
        let Poll::Ready(Ok(c)) = waiter.as_mut().poll(cx) else { panic!("the waiter was not served") };
        assert_eq!(c.access_key_id(), "key-3");
    }

    #[test]
    fn unusable_credentials_from_a_refresh_are_a_failure_not_a_cache_entry() {
        struct Blank(AtomicU32);
        impl ProvideCredentials for Blank {
            fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
                let n = self.0.fetch_add(1, Ordering::SeqCst);
                let id = if n == 1 { "" } else { "AKIDGOOD" };
                let expires = Timestamp::from_unix_seconds(1_700_000_000 + 3600 * (i64::from(n) + 1));
                Box::pin(async move { Ok(Credentials::new(id, "secret").with_expiration(expires)) })
            }
        }
        let clock = Arc::new(ManualClock(AtomicI64::new(1_700_000_000)));
        let source = Arc::new(Blank(AtomicU32::new(0)));
        let cache = CachedCredentials::new(source.clone(), clock.clone(), DEFAULT_REFRESH_WINDOW);
        now_or_never(cache.provide()).unwrap().unwrap();
        advance(&clock, 3400);
        // The refresh gives an empty key id: the old credentials stay in use.
        assert_eq!(key(now_or_never(cache.provide())), "AKIDGOOD");
        advance(&clock, 11);
        assert_eq!(key(now_or_never(cache.provide())), "AKIDGOOD");
        assert_eq!(source.0.load(Ordering::SeqCst), 3, "tried again after the pause");
    }

    #[test]
    fn short_lived_credentials_are_refreshed_at_half_life_not_on_every_call() {
        let (cache, source, clock) = cache(240);
        now_or_never(cache.provide());
        advance(&clock, 100);
        now_or_never(cache.provide());
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);
        advance(&clock, 21);
        assert_eq!(key(now_or_never(cache.provide())), "key-2");
    }
}
