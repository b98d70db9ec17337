//! The circuit breaker (opt-in): after `failure_threshold` consecutive failures that retrying
//! could fix (the network, timeouts, 5xx, throttling), requests fail at once with kind
//! `circuit-open` and are not sent; after `reset_after` one probe is let through (half-open),
//! and its success closes the circuit again. It spares a struggling server, and the caller
//! the wait for timeouts that are sure to come.

use crate::time::Timestamp;
use std::sync::Mutex;
use std::time::Duration;

/// When a circuit opens, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerPolicy {
    pub failure_threshold: u32,
    pub reset_after: Duration,
}

impl Default for BreakerPolicy {
    fn default() -> Self {
        BreakerPolicy { failure_threshold: 5, reset_after: Duration::from_secs(30) }
    }
}

#[derive(Debug)]
pub struct CircuitBreaker {
    policy: BreakerPolicy,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Consecutive failures.
    failures: u32,
    /// When the circuit opened (or re-opened after a failed probe); `None` while closed.
    opened: Option<Timestamp>,
    /// A probe is in flight (half-open): others still fail fast.
    probing: bool,
}

impl CircuitBreaker {
    pub fn new(policy: BreakerPolicy) -> Self {
        CircuitBreaker { policy, state: Mutex::new(State::default()) }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether a request may be sent at `now`: always while closed; while open, only the one
    /// probe once `reset_after` has passed.
    pub fn admit(&self, now: Timestamp) -> bool {
        let mut state = self.state();
        let Some(opened) = state.opened else { return true };
        let waited = now.unix_millis() - opened.unix_millis() >= self.policy.reset_after.as_millis() as i64;
        let probe = waited && !state.probing;
        state.probing |= probe;
        probe
    }

    /// What an admitted request came to: `Some(true)` for a failure retrying could fix,
    /// `Some(false)` for an answer (a 404 too proves the server answers), `None` when it says
    /// nothing about the server (the caller aborted): a probe may then be tried again.
    pub fn record(&self, failed: Option<bool>, now: Timestamp) {
        let mut state = self.state();
        match failed {
            None => {
                state.probing = false;
                return;
            }
            Some(false) => {
                *state = State::default();
                return;
            }
            Some(true) => {}
        }
        state.failures = state.failures.saturating_add(1);
        if state.probing || state.failures >= self.policy.failure_threshold {
            state.opened = Some(now);
            state.probing = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_unix_millis(secs * 1000)
    }

    #[test]
    fn opens_after_the_threshold_probes_once_after_the_reset_and_closes_on_success() {
        let breaker = CircuitBreaker::new(BreakerPolicy { failure_threshold: 3, reset_after: Duration::from_secs(10) });
        for _ in 0..2 {
            assert!(breaker.admit(at(0)));
            breaker.record(Some(true), at(0));
        }
        assert!(breaker.admit(at(0)), "two failures of three: still closed");
        breaker.record(Some(false), at(0));
        for _ in 0..3 {
            assert!(breaker.admit(at(1)));
            breaker.record(Some(true), at(1));
        }
        assert!(!breaker.admit(at(1)), "open");
        assert!(!breaker.admit(at(10)), "open until reset_after has passed");
        assert!(breaker.admit(at(11)), "the probe");
        assert!(!breaker.admit(at(11)), "one probe at a time");
        breaker.record(Some(false), at(11));
        assert!(breaker.admit(at(11)) && breaker.admit(at(11)), "closed again");
    }

    #[test]
    fn a_failed_probe_opens_the_circuit_for_another_period() {
        let breaker = CircuitBreaker::new(BreakerPolicy { failure_threshold: 1, reset_after: Duration::from_secs(10) });
        breaker.record(Some(true), at(0));
        assert!(breaker.admit(at(10)));
        breaker.record(Some(true), at(10));
        assert!(!breaker.admit(at(15)));
        assert!(breaker.admit(at(20)));
        breaker.record(None, at(20));
        assert!(breaker.admit(at(20)), "an aborted probe frees the way for the next");
    }
}
