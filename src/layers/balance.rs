//! Endpoint balancing (opt-in `endpoints`): each attempt goes to the endpoint with the fewest
//! requests outstanding, ties taken in turn so that one call after another still spreads; an
//! endpoint whose circuit breaker is open is passed over, and a retry avoids the endpoint
//! that just failed while another will take it. Endpoints are known by their position.

use super::breaker::{BreakerPolicy, CircuitBreaker};
use crate::time::Timestamp;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug)]
pub struct Balancer {
    outstanding: Vec<AtomicUsize>,
    /// One per endpoint when the breaker is on; none when it is off.
    breakers: Vec<CircuitBreaker>,
    turn: AtomicUsize,
}

impl Balancer {
    /// A balancer over `endpoints` endpoints (one or more), each with its own breaker when
    /// `breaker` is given.
    pub fn new(endpoints: usize, breaker: Option<BreakerPolicy>) -> Self {
        Balancer {
            outstanding: (0..endpoints).map(|_| AtomicUsize::new(0)).collect(),
            breakers: breaker
                .map_or_else(Vec::new, |policy| (0..endpoints).map(|_| CircuitBreaker::new(policy)).collect()),
            turn: AtomicUsize::new(0),
        }
    }

    /// The endpoint for the next attempt, counted outstanding until the pick is dropped;
    /// `None` when every breaker refuses. `avoid` (the endpoint of a failed attempt) is taken
    /// only when no other admits.
    pub fn pick(&self, avoid: Option<usize>, now: Timestamp) -> Option<Pick<'_>> {
        let count = self.outstanding.len();
        let turn = self.turn.fetch_add(1, Ordering::Relaxed);
        let mut refused = 0u64;
        loop {
            // Lowest first: not the endpoint to avoid, then fewest outstanding, then whose turn
            // it is (endpoints are at most 64: the turn takes the low 6 bits).
            let rank = |i: usize| {
                let outstanding = self.outstanding[i].load(Ordering::Relaxed) as u64;
                u64::from(Some(i) == avoid) << 63 | outstanding << 6 | ((i + count - turn % count) % count) as u64
            };
            let index = (0..count.min(64)).filter(|i| refused & (1 << i) == 0).min_by_key(|&i| rank(i))?;
            if self.breakers.get(index).is_none_or(|breaker| breaker.admit(now)) {
                self.outstanding[index].fetch_add(1, Ordering::Relaxed);
                return Some(Pick { balancer: self, index, recorded: false });
            }
            refused |= 1 << index;
        }
    }
}

/// An attempt's endpoint (see [`Balancer::pick`]).
#[derive(Debug)]
pub struct Pick<'a> {
    balancer: &'a Balancer,
    pub index: usize,
    recorded: bool,
}

impl Pick<'_> {
    /// What the attempt came to, for the endpoint's breaker: `Some(true)` a failure retrying
    /// could fix, `Some(false)` an answer, `None` nothing learned (see
    /// [`CircuitBreaker::record`]).
    pub fn record(mut self, failed: Option<bool>, now: Timestamp) {
        self.recorded = true;
        if let Some(breaker) = self.balancer.breakers.get(self.index) {
            breaker.record(failed, now);
        }
    }
}

impl Drop for Pick<'_> {
    fn drop(&mut self) {
        self.balancer.outstanding[self.index].fetch_sub(1, Ordering::Relaxed);
        // An attempt dropped before it came to anything (its call's future was dropped) taught
        // nothing, but may have been the probe of an open circuit: another may try.
        if !self.recorded {
            if let Some(breaker) = self.balancer.breakers.get(self.index) {
                breaker.record(None, Timestamp::from_unix_millis(0));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const NOW: Timestamp = Timestamp::from_unix_millis(0);

    #[test]
    fn calls_one_after_another_go_round_the_endpoints() {
        let balancer = Balancer::new(3, None);
        let picked: Vec<usize> = (0..6).map(|_| balancer.pick(None, NOW).unwrap().index).collect();
        assert_eq!(picked, [0, 1, 2, 0, 1, 2]);
    }

    #[test]
    fn the_endpoint_with_fewest_outstanding_is_picked() {
        let balancer = Balancer::new(3, None);
        let held: Vec<Pick> = (0..3).map(|_| balancer.pick(None, NOW).unwrap()).collect();
        let busy = balancer.pick(None, NOW).unwrap(); // every endpoint has one: endpoint 0 again
        assert_eq!(busy.index, 0);
        drop(held); // 0 still has one outstanding, 1 and 2 none
        for _ in 0..4 {
            assert_ne!(balancer.pick(None, NOW).unwrap().index, 0, "0 is the busiest");
        }
    }

    #[test]
    fn a_retry_avoids_the_endpoint_that_failed_unless_it_is_the_only_one_left() {
        let balancer = Balancer::new(2, None);
        for _ in 0..4 {
            assert_eq!(balancer.pick(Some(0), NOW).unwrap().index, 1);
        }
        let single = Balancer::new(1, None);
        assert_eq!(single.pick(Some(0), NOW).unwrap().index, 0);
    }

    #[test]
    fn an_endpoint_whose_circuit_is_open_is_ejected_until_its_probe() {
        let policy = BreakerPolicy { failure_threshold: 2, reset_after: Duration::from_secs(10) };
        let balancer = Balancer::new(2, Some(policy));
        for _ in 0..2 {
            let pick = balancer.pick(Some(1), NOW).unwrap();
            assert_eq!(pick.index, 0);
            pick.record(Some(true), NOW);
        }
        for _ in 0..4 {
            assert_eq!(balancer.pick(None, NOW).unwrap().index, 1, "endpoint 0 is open");
        }
        let later = Timestamp::from_unix_millis(10_000);
        let probe = balancer.pick(Some(1), later).unwrap();
        assert_eq!(probe.index, 0, "after the reset, 0 gets its probe");
        probe.record(Some(false), later);
        let picked: Vec<usize> = (0..4).map(|_| balancer.pick(None, later).unwrap().index).collect();
        assert!(picked.contains(&0) && picked.contains(&1), "both serve again: {picked:?}");
    }

    #[test]
    fn with_every_circuit_open_there_is_no_pick() {
        let policy = BreakerPolicy { failure_threshold: 1, reset_after: Duration::from_secs(10) };
        let balancer = Balancer::new(2, Some(policy));
        for _ in 0..2 {
            balancer.pick(None, NOW).unwrap().record(Some(true), NOW);
        }
        assert!(balancer.pick(None, NOW).is_none());
    }

    #[test]
    fn a_probe_dropped_before_it_came_to_anything_lets_another_probe() {
        let policy = BreakerPolicy { failure_threshold: 1, reset_after: Duration::from_secs(10) };
        let balancer = Balancer::new(1, Some(policy));
        balancer.pick(None, NOW).unwrap().record(Some(true), NOW);
        let later = Timestamp::from_unix_millis(10_000);
        let probe = balancer.pick(None, later).unwrap();
        assert!(balancer.pick(None, later).is_none(), "one probe at a time");
        // Its call's future was dropped (natively, cancelling is dropping).
        drop(probe);
        assert!(balancer.pick(None, later).is_some(), "the circuit would stay open for good");
    }
}
