//! Clock skew: a machine whose clock is off (common in browsers) signs requests S3 refuses
//! (`RequestTimeTooSkewed`, more than 15 minutes off). The server's `Date` on such an answer
//! gives the offset; later requests are signed with the local time plus that offset.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html#RESTAuthenticationTimeStamp>

use crate::error::ServiceError;
use crate::time::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};

/// A 403 whose server `Date` is further off than this is taken as skew too (some S3 look-alikes
/// answer `AccessDenied` or `SignatureDoesNotMatch` to a skewed request).
const SUSPICIOUS_MILLIS: i64 = 5 * 60 * 1000;

/// The server's clock minus the local one, in milliseconds, as last learned.
#[derive(Debug, Default)]
pub struct ClockSkew(AtomicI64);

impl ClockSkew {
    /// The time to sign with.
    pub fn now(&self, local: Timestamp) -> Timestamp {
        Timestamp::from_unix_millis(local.unix_millis() + self.0.load(Ordering::Relaxed))
    }

    /// Learns the offset from an error that skew explains (`RequestTimeTooSkewed`, or a 403
    /// with a `Date` more than five minutes off), answered at local time `local`. When it
    /// changed what requests are signed with (so that another attempt may now succeed), the
    /// offset it replaced, for [`ClockSkew::restore`] should that attempt be refused too.
    pub fn learn(&self, error: &ServiceError, local: Timestamp) -> Option<i64> {
        let server = error.server_date?;
        let offset = server.unix_millis() - local.unix_millis();
        let skewed = error.code == "RequestTimeTooSkewed" || (error.status == 403 && offset.abs() > SUSPICIOUS_MILLIS);
        // The Date header has whole seconds: offsets within a few seconds change nothing.
        let before = self.0.load(Ordering::Relaxed);
        if !(skewed && (offset - before).abs() > 2000) {
            return None;
        }
        self.0.store(offset, Ordering::Relaxed);
        Some(before)
    }

    /// Puts back an offset a wrong correction replaced.
    pub fn restore(&self, offset: i64) {
        self.0.store(offset, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, code: &str, server_secs: i64) -> ServiceError {
        ServiceError {
            status,
            code: code.into(),
            server_date: Some(Timestamp::from_unix_millis(server_secs * 1000)),
            ..ServiceError::default()
        }
    }

    #[test]
    fn learns_the_offset_from_a_skewed_answer_and_signs_with_it() {
        let skew = ClockSkew::default();
        let local = Timestamp::from_unix_millis(1_000_000_000);
        assert_eq!(skew.now(local), local);
        assert!(skew.learn(&answer(403, "RequestTimeTooSkewed", 1_000_000 + 3600), local).is_some());
        assert_eq!(skew.now(local).unix_millis(), 1_000_000_000 + 3_600_000);
        // The same offset again changes nothing: no second retry for it.
        assert!(skew.learn(&answer(403, "RequestTimeTooSkewed", 1_000_000 + 3600), local).is_none());
    }

    #[test]
    fn a_403_counts_only_when_its_date_is_far_off() {
        let skew = ClockSkew::default();
        let local = Timestamp::from_unix_millis(1_000_000_000);
        assert!(skew.learn(&answer(403, "AccessDenied", 1_000_000 + 60), local).is_none());
        assert!(skew.learn(&answer(404, "NoSuchKey", 1_000_000 + 3600), local).is_none());
        assert!(skew.learn(&answer(403, "SignatureDoesNotMatch", 1_000_000 - 1800), local).is_some());
        assert_eq!(skew.now(local).unix_millis(), 1_000_000_000 - 1_800_000);
        let no_date = ServiceError { server_date: None, ..answer(403, "RequestTimeTooSkewed", 0) };
        assert!(skew.learn(&no_date, local).is_none());
    }
}
