//! The signing time. The signer never reads a clock: the caller passes the time in,
//! so signing is deterministic and works the same on wasm32 and native.

use crate::time::{push_digits, unix_to_civil};
use alloc::string::String;

/// A UTC instant, in whole seconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningTime {
    secs: i64,
}

impl SigningTime {
    pub fn from_unix_seconds(secs: i64) -> Self {
        Self { secs }
    }

    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`, the ISO 8601 basic form that `X-Amz-Date` uses
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>).
    pub fn amz_date(&self) -> String {
        let mut out = self.date_stamp();
        let (_, _, _, h, mi, s) = unix_to_civil(self.secs);
        out.push('T');
        for value in [h, mi, s] {
            push_digits(&mut out, value, 2);
        }
        out.push('Z');
        out
    }

    /// `YYYYMMDD`, the date part of the credential scope.
    pub fn date_stamp(&self) -> String {
        let (y, mo, d, ..) = unix_to_civil(self.secs);
        let mut out = String::with_capacity(16);
        push_digits(&mut out, y, 4);
        push_digits(&mut out, mo, 2);
        push_digits(&mut out, d, 2);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let cases = [
            (0, "19700101T000000Z"),
            (1_369_353_600, "20130524T000000Z"),
            (1_440_938_160, "20150830T123600Z"),
            (951_782_400, "20000229T000000Z"),   // leap day of a year divisible by 400
            (4_107_542_399, "21000228T235959Z"), // 2100 is not a leap year
            (-1, "19691231T235959Z"),
        ];
        for (secs, want) in cases {
            let t = SigningTime::from_unix_seconds(secs);
            assert_eq!(t.amz_date(), want);
            assert_eq!(t.date_stamp(), &want[..8]);
            assert_eq!(t.unix_seconds(), secs);
        }
    }
}
