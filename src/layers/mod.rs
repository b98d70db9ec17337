//! The attempt loop's decisions (DESIGN.md §1), each pure: time, randomness and answers come in
//! as arguments, so every rule is tested natively with plain numbers and no sleeping.
//!
//! - [`retry`]: what may be tried again, after how long, and the budget that stops retry storms;
//! - [`skew`]: the server's clock, learned from its answers, for signing;
//! - [`region`]: region redirects, and which region answers for a bucket.

pub mod region;
pub mod retry;
pub mod skew;
