//! Retries: which failures are worth another attempt, which requests are safe to send twice,
//! how long to wait, and a budget shared by the client's calls.
//!
//! Backoff is exponential with full jitter (a uniform draw below the exponential cap), which
//! spreads the retries of many clients best:
//! <https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/>. A server's
//! `Retry-After` wins when it asks for longer, up to the policy's longest delay.

use crate::error::Error;
use crate::http::Method;
use crate::operations::Operation;
use std::sync::Mutex;
use std::time::Duration;

/// How a client retries (on by default: 3 attempts, waits from 100 ms up to 20 s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: no retries).
    pub max_attempts: u32,
    /// The cap of the first retry's wait; each later retry doubles it.
    pub base_delay: Duration,
    /// No wait is longer, whatever the backoff or a `Retry-After` says.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(20) }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The wait before retry number `retry` (1 for the first): a uniform draw (`random`) from
    /// zero to `min(max_delay, base_delay × 2^(retry-1))`, or the server's `retry_after` when
    /// that is longer, capped at `max_delay`.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>, random: u64) -> Duration {
        let exponential = self.base_delay.saturating_mul(1u32 << retry.saturating_sub(1).min(30));
        let cap = exponential.min(self.max_delay).as_millis().min(u64::MAX.into()) as u64;
        // `cap + 1` saturates: a policy of `Duration::MAX` must not overflow into a division by 0.
        let jittered = Duration::from_millis(if cap == 0 { 0 } else { random % cap.saturating_add(1) });
        match retry_after {
            Some(asked) if asked > jittered => asked.min(self.max_delay),
            _ => jittered,
        }
    }
}

/// Why sending this request again could do harm or cannot work, if it could: only requests
/// that mean the same the second time are repeated (GET, HEAD, DELETE, PUT, and the POSTs
/// declared idempotent, but no write with a condition: one that took effect would be refused
/// by its own success, `PreconditionFailed`), unless the failure shows the server turned it
/// away unseen (throttling), and only with a body that can be sent again.
pub fn not_repeatable(
    operation: &Operation,
    body_replayable: bool,
    conditional: bool,
    error: &Error,
) -> Option<&'static str> {
    let write = !matches!(operation.method, Method::Get | Method::Head);
    let safe = (!write || !conditional)
        && (matches!(operation.method, Method::Get | Method::Head | Method::Delete | Method::Put)
            || operation.idempotent);
    if !(safe || refused_unseen(error)) {
        Some("not retried: sending it twice could act twice")
    } else if !body_replayable {
        Some("not retried: its body was a stream, which the first attempt consumed")
    } else {
        None
    }
}

/// A throttling answer (503 Slow Down or Service Unavailable, 429): the server turned the
/// request away before acting on it, so even a request that is not idempotent may be sent again.
fn refused_unseen(error: &Error) -> bool {
    error.service().is_some_and(|e| matches!(e.status, 429 | 503) || e.code == "SlowDown")
}

/// Tokens every retry spends and successes earn back, shared by a client's calls: when most
/// calls fail (an outage), retries stop instead of multiplying the load. The figures are the
/// AWS SDKs' standard mode: 500 tokens, 5 per retry (10 after a timeout), 1 back per success.
#[derive(Debug)]
pub struct RetryBudget {
    tokens: Mutex<u32>,
}

const BUDGET: u32 = 500;

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget { tokens: Mutex::new(BUDGET) }
    }
}

impl RetryBudget {
    /// The cost of retrying after `error`.
    pub fn cost(error: &Error) -> u32 {
        if matches!(error, Error::Timeout(_)) {
            10
        } else {
            5
        }
    }

    /// Takes `cost` tokens for a retry; `false` (and nothing taken) when too few are left.
    pub fn try_spend(&self, cost: u32) -> bool {
        let mut tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let enough = *tokens >= cost;
        if enough {
            *tokens -= cost;
        }
        enough
    }

    /// A call succeeded: it earns back `refund` tokens (its last retry's cost, or 1).
    pub fn earn(&self, refund: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *tokens = (*tokens + refund).min(BUDGET);
    }

    #[cfg(test)]
    fn left(&self) -> u32 {
        *self.tokens.lock().unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;
    use crate::operations::catalog::{COMPLETE_MULTIPART_UPLOAD, CREATE_MULTIPART_UPLOAD, GET_OBJECT, PUT_OBJECT};

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn backoff_doubles_within_full_jitter_and_stops_at_the_longest_delay() {
        let policy = RetryPolicy::default();
        for (retry, cap) in [(1, 100), (2, 200), (3, 400), (9, 20_000), (40, 20_000)] {
            assert_eq!(policy.delay(retry, None, cap), MS(cap), "the top of the range, retry {retry}");
            assert_eq!(policy.delay(retry, None, cap + 1), MS(0), "the bottom, retry {retry}");
            // Draws land anywhere in [0, cap].
            let draws: Vec<Duration> = (0..200u64).map(|r| policy.delay(retry, None, r * 7919)).collect();
            assert!(draws.iter().all(|d| *d <= MS(cap)));
            assert!(draws.iter().any(|d| *d < MS(cap / 4)) && draws.iter().any(|d| *d > MS(cap * 3 / 4)));
        }
    }

    #[test]
    fn retry_after_wins_when_longer_and_is_capped() {
        let policy = RetryPolicy { max_delay: Duration::from_secs(5), ..RetryPolicy::default() };
        assert_eq!(policy.delay(1, Some(Duration::from_secs(2)), 50), Duration::from_secs(2));
        assert_eq!(policy.delay(1, Some(Duration::from_secs(60)), 50), Duration::from_secs(5));
        assert_eq!(policy.delay(1, Some(Duration::ZERO), 50), MS(50));
    }

    #[test]
    fn the_longest_delays_a_policy_can_hold_do_not_overflow() {
        let policy = RetryPolicy { max_attempts: 3, base_delay: Duration::MAX, max_delay: Duration::MAX };
        for random in [0, 7, u64::MAX - 1, u64::MAX] {
            let delay = policy.delay(2, Some(Duration::MAX), random);
            assert_eq!(delay, Duration::MAX, "Retry-After is longer than any draw");
            // The cap is u64::MAX ms: a draw is taken below it, not below a wrapped one.
            assert_eq!(policy.delay(1, None, random), MS(random % u64::MAX));
        }
        // Milliseconds past u64::MAX cap at it rather than wrap (to 384 ms here).
        let huge = Duration::from_secs(18_446_744_073_709_552);
        let policy = RetryPolicy { max_attempts: 3, base_delay: huge, max_delay: huge };
        assert_eq!(policy.delay(1, None, 1_000_000), MS(1_000_000));
    }

    #[test]
    fn retried_failures_are_the_network_timeouts_throttling_and_5xx() {
        let service = |status, code: &str| {
            Error::Service(Box::new(ServiceError { status, code: code.into(), ..ServiceError::default() }))
        };
        for e in [
            Error::Network("reset".into()),
            Error::Timeout("slow".into()),
            service(503, "SlowDown"),
            service(500, "InternalError"),
            service(502, "BadGateway"),
            service(504, "GatewayTimeout"),
            service(429, "TooManyRequests"),
            service(400, "RequestTimeout"),
        ] {
            assert!(e.is_retryable(), "{e}");
        }
        for e in [
            Error::Cors("blocked".into()),
            Error::Aborted("user".into()),
            Error::validation("bad"),
            service(404, "NoSuchKey"),
            service(403, "SignatureDoesNotMatch"),
            service(412, "PreconditionFailed"),
            service(403, "RequestTimeTooSkewed"),
            service(400, "ExpiredToken"),
        ] {
            assert!(!e.is_retryable(), "{e}");
        }
    }

    #[test]
    fn only_requests_that_mean_the_same_twice_are_repeated() {
        let reset = Error::Network("reset".into());
        assert_eq!(not_repeatable(&GET_OBJECT, true, false, &reset), None);
        assert_eq!(not_repeatable(&GET_OBJECT, true, true, &reset), None, "a conditional read");
        assert_eq!(not_repeatable(&PUT_OBJECT, true, false, &reset), None);
        assert!(not_repeatable(&PUT_OBJECT, false, false, &reset).unwrap().contains("stream"));
        assert_eq!(not_repeatable(&COMPLETE_MULTIPART_UPLOAD, true, false, &reset), None);
        assert!(not_repeatable(&CREATE_MULTIPART_UPLOAD, true, false, &reset).unwrap().contains("twice"));
        // If-None-Match: * that took effect would answer PreconditionFailed the second time.
        assert!(not_repeatable(&PUT_OBJECT, true, true, &reset).unwrap().contains("twice"));
        assert!(not_repeatable(&COMPLETE_MULTIPART_UPLOAD, true, true, &reset).unwrap().contains("twice"));
        // Turned away unseen: safe to send again, whatever the operation.
        let slow_down =
            Error::Service(Box::new(ServiceError { status: 503, code: "SlowDown".into(), ..ServiceError::default() }));
        assert_eq!(not_repeatable(&CREATE_MULTIPART_UPLOAD, true, false, &slow_down), None);
        assert!(not_repeatable(&PUT_OBJECT, false, false, &slow_down).unwrap().contains("stream"));
    }

    #[test]
    fn the_budget_runs_out_under_constant_failure_and_refills_with_successes() {
        let budget = RetryBudget::default();
        let retries = (0..1000).take_while(|_| budget.try_spend(5)).count();
        assert_eq!(retries, 100);
        assert!(!budget.try_spend(5));
        budget.earn(1);
        assert_eq!(budget.left(), 1);
        budget.earn(10_000);
        assert_eq!(budget.left(), BUDGET);
        assert_eq!(RetryBudget::cost(&Error::Timeout("t".into())), 10);
    }
}
