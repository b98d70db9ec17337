//! The signing time. The signer never reads a clock: the caller passes the time in,
//! so signing is deterministic and works the same on wasm32 and native.

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
        let s = self.secs.rem_euclid(86_400) as u32;
        out.push('T');
        for part in [s / 3600, s / 60 % 60, s % 60] {
            push_digits(&mut out, part, 2);
        }
        out.push('Z');
        out
    }

    /// `YYYYMMDD`, the date part of the credential scope.
    pub fn date_stamp(&self) -> String {
        let (y, m, d) = civil_from_days(self.secs.div_euclid(86_400));
        let mut out = String::with_capacity(16);
        push_digits(&mut out, y.clamp(0, 9999) as u32, 4);
        push_digits(&mut out, m, 2);
        push_digits(&mut out, d, 2);
        out
    }
}

/// Appends `value` as exactly `width` decimal digits (signing runs for every request, and
/// `format!` with widths is several times slower).
fn push_digits(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
/// Howard Hinnant's `civil_from_days`: <https://howardhinnant.github.io/date_algorithms.html#civil_from_days>
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365], year starting in March
    let mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (era * 400 + yoe + i64::from(m <= 2), m, d)
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
