//! The concurrency cap (opt-in `maxConcurrency`): at most `max` requests in flight across a
//! client, each until its answer's status and headers arrive; the rest wait their turn in
//! arrival order. It spares a server that throttles many requests at once, and a browser
//! that opens six connections per host and queues the rest out of the caller's sight. A
//! waiting call stays cancellable: dropping its [`Acquire`] leaves the queue without taking
//! anyone's turn.
//!
//! Like object_store's `LimitStore`, the cap is a layer around the transport ([`Limited`]).
//! The npm package keeps the same queue in its fetch helper (`pkg-template/transport.js`),
//! where the caller's `AbortSignal` is at hand and no wasm is spent on it.

use crate::error::Result;
use crate::http::{HttpRequest, HttpResponse};
use crate::platform::{BoxFuture, Signal};
use crate::transport::Transport;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// A transport that sends at most `max` requests at once.
pub struct Limited {
    limit: ConcurrencyLimit,
    inner: Arc<dyn Transport>,
}

impl Limited {
    pub fn new(inner: Arc<dyn Transport>, max: usize) -> Self {
        Limited { limit: ConcurrencyLimit::new(max), inner }
    }
}

impl Transport for Limited {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
        signal: &'a Signal,
        timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<HttpResponse>> {
        Box::pin(async move {
            let _turn = self.limit.acquire().await;
            self.inner.send(request, signal, timeout).await
        })
    }

    fn wait<'a>(&'a self, duration: Duration, signal: &'a Signal) -> BoxFuture<'a, Result<()>> {
        self.inner.wait(duration, signal)
    }

    fn preserves_dot_segments(&self) -> bool {
        self.inner.preserves_dot_segments()
    }

    fn streams_request_bodies(&self) -> bool {
        self.inner.streams_request_bodies()
    }
}

#[derive(Debug)]
pub struct ConcurrencyLimit {
    max: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    in_flight: usize,
    /// Waiting calls, first come first: their ticket, the waker of their last poll, and
    /// whether a release has handed them its permit (which their next poll collects).
    queue: Vec<(u64, Waker, bool)>,
    next_ticket: u64,
}

impl ConcurrencyLimit {
    /// A cap of `max` requests in flight (at least one).
    pub fn new(max: usize) -> Self {
        ConcurrencyLimit { max: max.max(1), state: Mutex::new(State::default()) }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for a turn; the permit it yields holds it until dropped.
    pub fn acquire(&self) -> Acquire<'_> {
        Acquire { limit: self, ticket: None }
    }

    /// Requests in flight now.
    pub fn in_flight(&self) -> usize {
        self.state().in_flight
    }

    /// A permit given back: the first waiter not yet served inherits it, else one fewer is in
    /// flight.
    fn release(&self) {
        let mut state = self.state();
        match state.queue.iter_mut().find(|(_, _, granted)| !granted) {
            Some((_, waker, granted)) => {
                *granted = true;
                waker.wake_by_ref();
            }
            None => state.in_flight -= 1,
        }
    }
}

/// A turn waited for (see [`ConcurrencyLimit::acquire`]).
pub struct Acquire<'a> {
    limit: &'a ConcurrencyLimit,
    ticket: Option<u64>,
}

impl<'a> Future for Acquire<'a> {
    type Output = Permit<'a>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit<'a>> {
        let limit = self.limit;
        let mut state = limit.state();
        let State { in_flight, queue, next_ticket } = &mut *state;
        match self.ticket {
            None if queue.is_empty() && *in_flight < limit.max => *in_flight += 1,
            None => {
                queue.push((*next_ticket, cx.waker().clone(), false));
                self.ticket = Some(*next_ticket);
                *next_ticket += 1;
                return Poll::Pending;
            }
            Some(ticket) => {
                let at = queue.iter().position(|(t, _, _)| *t == ticket).expect("a waiting ticket is queued");
                if !queue[at].2 {
                    queue[at].1 = cx.waker().clone();
                    return Poll::Pending;
                }
                queue.remove(at);
            }
        }
        self.ticket = None;
        Poll::Ready(Permit { limit })
    }
}

impl Drop for Acquire<'_> {
    /// A waiter that gives up leaves the queue; one handed a permit it never collected passes
    /// it on.
    fn drop(&mut self) {
        let Some(ticket) = self.ticket else { return };
        let mut state = self.limit.state();
        let Some(at) = state.queue.iter().position(|(t, _, _)| *t == ticket) else { return };
        let (_, _, granted) = state.queue.remove(at);
        drop(state);
        if granted {
            self.limit.release();
        }
    }
}

/// A request's place in flight, given back when dropped.
pub struct Permit<'a> {
    limit: &'a ConcurrencyLimit,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.limit.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Waker;

    fn poll<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
        Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn never_more_than_the_cap_in_flight_and_waiters_go_in_arrival_order() {
        let limit = ConcurrencyLimit::new(2);
        let mut waiting: Vec<Acquire> = (0..5).map(|_| limit.acquire()).collect();
        let mut permits: Vec<(usize, Permit)> = Vec::new();
        for (i, acquire) in waiting.iter_mut().enumerate() {
            if let Poll::Ready(permit) = poll(acquire) {
                permits.push((i, permit));
            }
        }
        assert_eq!(permits.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1]);
        let mut order = Vec::new();
        while !permits.is_empty() {
            let (finished, permit) = permits.remove(0);
            order.push(finished);
            drop(permit);
            for (i, acquire) in waiting.iter_mut().enumerate().skip(2) {
                if order.contains(&i) || permits.iter().any(|(p, _)| *p == i) {
                    continue;
                }
                if let Poll::Ready(permit) = poll(acquire) {
                    permits.push((i, permit));
                }
            }
            assert!(limit.in_flight() <= 2, "the cap was exceeded");
        }
        assert_eq!(order, [0, 1, 2, 3, 4], "first come, first served");
        assert_eq!(limit.in_flight(), 0);
    }

    #[test]
    fn a_waiter_that_gives_up_leaves_the_queue_without_taking_a_turn() {
        let limit = ConcurrencyLimit::new(1);
        let Poll::Ready(first) = poll(&mut limit.acquire()) else { panic!("the first is admitted") };
        let mut gives_up = limit.acquire();
        let mut next = limit.acquire();
        assert!(poll(&mut gives_up).is_pending() && poll(&mut next).is_pending());
        drop(gives_up);
        drop(first);
        let Poll::Ready(_permit) = poll(&mut next) else { panic!("the turn went past the one that left") };
        assert_eq!(limit.in_flight(), 1);
    }

    #[test]
    fn a_permit_granted_but_never_collected_is_passed_on() {
        let limit = ConcurrencyLimit::new(1);
        let Poll::Ready(first) = poll(&mut limit.acquire()) else { panic!("the first is admitted") };
        let mut granted = limit.acquire();
        let mut after = limit.acquire();
        assert!(poll(&mut granted).is_pending() && poll(&mut after).is_pending());
        drop(first); // `granted` now holds the turn, but is dropped before it polls again
        drop(granted);
        let Poll::Ready(_permit) = poll(&mut after) else { panic!("the turn was passed on") };
        assert_eq!(limit.in_flight(), 1);
    }
}
