//! The attempt loop's decisions (DESIGN.md §1), each pure: time, randomness and answers come in
//! as arguments, so every rule is tested natively with plain numbers and no sleeping.
//!
//! - [`retry`]: what may be tried again, after how long, and the budget that stops retry storms;
//! - [`skew`]: the server's clock, learned from its answers, for signing;
//! - [`region`]: region redirects, and which region answers for a bucket;
//! - [`breaker`]: the circuit breaker, per endpoint (opt-in);
//! - [`limit`]: the concurrency cap (opt-in);
//! - [`balance`]: spreading attempts over several endpoints (opt-in).

pub mod balance;
pub mod breaker;
pub mod limit;
pub mod region;
pub mod retry;
pub mod skew;
