//! UTC instants and the two date formats S3 speaks (ISO 8601 and HTTP dates), in `core` +
//! `alloc` only.

use alloc::string::String;
use core::fmt;

/// A UTC instant in milliseconds since the Unix epoch.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// The first instant a date from outside (a parsed string, a JS value) may name: 1970-01-01T00:00:00Z.
const MIN_MILLIS: i64 = 0;
/// The last: 9999-12-31T23:59:59.999Z, the end of the four-digit years both date formats write.
const MAX_MILLIS: i64 = 253_402_300_799_999;

impl Timestamp {
    /// Any instant, unchecked (the clock, tests). For a value from a user or a server use
    /// [`Timestamp::from_unix_millis_checked`].
    pub const fn from_unix_millis(ms: i64) -> Self {
        Timestamp(ms)
    }

    /// `None` outside 1970-01-01T00:00:00Z ..= 9999-12-31T23:59:59.999Z, so a huge or negative
    /// count is refused instead of becoming year 292277026596 (or 1969).
    pub const fn from_unix_millis_checked(ms: i64) -> Option<Self> {
        match ms {
            MIN_MILLIS..=MAX_MILLIS => Some(Timestamp(ms)),
            _ => None,
        }
    }

    /// Unchecked like [`Timestamp::from_unix_millis`]; saturates instead of overflowing.
    pub const fn from_unix_seconds(secs: i64) -> Self {
        Timestamp(secs.saturating_mul(1000))
    }

    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// ISO 8601 as S3 writes it in XML: `2009-10-12T17:50:30.000Z` (fraction and offset
    /// optional; `+hh:mm` offsets are applied). `None` for an instant before 1970 or after 9999
    /// (see [`Timestamp::from_unix_millis_checked`]).
    pub fn parse_iso8601(text: &str) -> Option<Self> {
        let b = text.trim_ascii().as_bytes();
        if b.len() < 19
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
        let (h, mi, s) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
        let mut rest = &b[19..];
        let mut millis = 0;
        if let [b'.', tail @ ..] = rest {
            let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            let frac = &tail[..n];
            millis = frac.iter().take(3).fold(0, |acc, c| acc * 10 + i64::from(c - b'0'))
                * [1000, 100, 10, 1][frac.len().min(3)];
            rest = &tail[n..];
        }
        let offset_secs = match rest {
            [] | [b'Z'] | [b'z'] => 0,
            [sign @ (b'+' | b'-'), hh1, hh2, b':', mm1, mm2] => {
                let secs = digits(&[*hh1, *hh2])? * 3600 + digits(&[*mm1, *mm2])? * 60;
                if *sign == b'+' {
                    secs
                } else {
                    -secs
                }
            }
            _ => return None,
        };
        let secs = civil_to_unix(y, mo, d, h, mi, s)? - offset_secs;
        Timestamp::from_unix_millis_checked(secs * 1000 + millis)
    }

    /// Either format: what S3 writes in XML, or what an HTTP header (or a user) writes.
    /// `None` outside 1970 ..= 9999, like both parsers.
    pub fn parse(text: &str) -> Option<Self> {
        Timestamp::parse_iso8601(text).or_else(|| Timestamp::parse_http_date(text))
    }

    /// RFC 7231 IMF-fixdate, the HTTP header format: `Wed, 12 Oct 2009 17:50:00 GMT`.
    /// `None` for a year outside 1970 ..= 9999.
    pub fn parse_http_date(text: &str) -> Option<Self> {
        // Fixed positions: `Www, DD Mon YYYY HH:MM:SS GMT`.
        let b = text.trim_ascii().as_bytes();
        let spaced = b.len() == 29 && [7, 11, 16].iter().all(|&i| b[i] == b' ');
        if !spaced || &b[3..5] != b", " || b[19] != b':' || b[22] != b':' || &b[25..] != b" GMT" {
            return None;
        }
        let mo = MONTHS.iter().position(|m| m.as_bytes() == &b[8..11])? as i64 + 1;
        let (d, y) = (digits(&b[5..7])?, digits(&b[12..16])?);
        let (h, mi, s) = (digits(&b[17..19])?, digits(&b[20..22])?, digits(&b[23..25])?);
        Timestamp::from_unix_millis_checked(civil_to_unix(y, mo, d, h, mi, s)? * 1000)
    }

    /// The HTTP header format, for `If-Modified-Since` and friends.
    pub fn to_http_date(self) -> String {
        let (y, mo, d, h, mi, s) = unix_to_civil(self.unix_seconds());
        let mut out = String::with_capacity(29);
        out.push_str(WEEKDAYS[(self.unix_seconds().div_euclid(86_400) + 4).rem_euclid(7) as usize]);
        out.push_str(", ");
        push_digits(&mut out, d, 2);
        out.push(' ');
        out.push_str(MONTHS[mo as usize - 1]);
        out.push(' ');
        push_digits(&mut out, y, 4);
        for (separator, value) in [(' ', h), (':', mi), (':', s)] {
            out.push(separator);
            push_digits(&mut out, value, 2);
        }
        out.push_str(" GMT");
        out
    }

    /// ISO 8601 with milliseconds, UTC.
    pub fn to_iso8601(self) -> String {
        let (y, mo, d, h, mi, s) = unix_to_civil(self.unix_seconds());
        let mut out = String::with_capacity(24);
        push_digits(&mut out, y, 4);
        for (separator, value) in [('-', mo), ('-', d), ('T', h), (':', mi), (':', s)] {
            out.push(separator);
            push_digits(&mut out, value, 2);
        }
        out.push('.');
        push_digits(&mut out, self.0.rem_euclid(1000), 3);
        out.push('Z');
        out
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// A short run of ASCII digits (at most 4: years, days, hours, …; more could overflow).
fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |acc, c| acc * 10 + i64::from(c - b'0')))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn civil_to_unix(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> Option<i64> {
    // 31 days in January, March, May, July, August, October and December, 30 in the other
    // months but February, which has 29 in leap years: 2024-02-31 is no date (not March 2).
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = if mo == 2 { 28 + i64::from(leap) } else { 30 + ((mo + mo / 8) & 1) };
    if !(1..=12).contains(&mo) || !(1..=month_days).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((mo + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}

/// Appends `value` as exactly `width` decimal digits (a year outside 0..=9999 is clamped):
/// what `format!("{value:0width$}")` does, without the formatter's padding code in the wasm,
/// and several times faster for the signer, which writes the date of every request.
pub fn push_digits(out: &mut String, value: i64, width: u32) {
    let value = value.clamp(0, 9999);
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (value / 10i64.pow(place) % 10) as u8));
    }
}

/// The inverse of [`civil_to_unix`]: (year, month, day, hour, minute, second), after H.
/// Hinnant's `civil_from_days` (<https://howardhinnant.github.io/date_algorithms.html#civil_from_days>).
pub fn unix_to_civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    (y, mo, d, sod / 3600, sod % 3600 / 60, sod % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_s3_dates() {
        let t = Timestamp::parse_iso8601("2009-10-12T17:50:30.000Z").unwrap();
        assert_eq!(t.unix_seconds(), 1_255_369_830);
        assert_eq!(t.to_iso8601(), "2009-10-12T17:50:30.000Z");
        assert_eq!(t.to_http_date(), "Mon, 12 Oct 2009 17:50:30 GMT");
        assert_eq!(Timestamp::parse_http_date("Mon, 12 Oct 2009 17:50:30 GMT"), Some(t));
        let frac = Timestamp::parse_iso8601("2024-02-29T23:59:59.5+01:00").unwrap();
        assert_eq!(frac.to_iso8601(), "2024-02-29T22:59:59.500Z");
        for bad in ["", "2009-13-12T17:50:30Z", "2009-10-12", "2009-10-12T17:50:30+0100", "2009-10-12T17x50x30Z"] {
            assert_eq!(Timestamp::parse_iso8601(bad), None, "{bad}");
        }
        assert_eq!(Timestamp::parse_http_date("Mon, 12 Foo 2009 17:50:30 GMT"), None);
        assert_eq!(Timestamp::parse_http_date("Mon, 12 Oct 99999999999999999999 17:50:30 GMT"), None);
        let november = Timestamp::parse_http_date("Tue, 24 Nov 2026 18:49:21 GMT").unwrap();
        assert_eq!(november.to_iso8601(), "2026-11-24T18:49:21.000Z");
    }

    #[test]
    fn dates_outside_1970_to_9999_are_refused() {
        let last = 253_402_300_799_999;
        assert_eq!(Timestamp::from_unix_millis_checked(0).map(Timestamp::unix_millis), Some(0));
        assert_eq!(Timestamp::from_unix_millis_checked(last).map(Timestamp::unix_millis), Some(last));
        for bad in [-1, last + 1, 8_640_000_000_000_000, i64::MAX, i64::MIN] {
            assert_eq!(Timestamp::from_unix_millis_checked(bad), None, "{bad}");
        }
        // What the JS reader gets from `1e300 as i64` (saturating) is refused too.
        assert_eq!(Timestamp::from_unix_millis_checked(1e300 as i64), None);
        assert_eq!(Timestamp::from_unix_seconds(i64::MAX).unix_millis(), i64::MAX);

        let epoch = Timestamp::parse_iso8601("1970-01-01T00:00:00Z").unwrap();
        assert_eq!(epoch.unix_millis(), 0);
        assert_eq!(Timestamp::parse("1970-01-01T00:00:00Z"), Some(epoch));
        assert_eq!(Timestamp::parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(epoch));
        let end = Timestamp::parse_iso8601("9999-12-31T23:59:59Z").unwrap();
        assert_eq!(end.to_iso8601(), "9999-12-31T23:59:59.000Z");
        assert_eq!(Timestamp::parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"), Some(end));
        assert_eq!(Timestamp::parse("Fri, 31 Dec 9999 23:59:59 GMT"), Some(end));
        assert_eq!(Timestamp::parse_iso8601("9999-12-31T23:59:59.999Z").unwrap().unix_millis(), last);

        for bad in [
            "1969-12-31T23:59:59Z",
            "1969-12-31T23:59:59.999Z",
            "0000-01-01T00:00:00Z",
            "10000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            // In range as written, out of range once the offset is applied.
            "1970-01-01T00:30:00+01:00",
            "9999-12-31T23:59:59-00:01",
            "9999-12-31T23:59:60Z",
            "Wed, 31 Dec 1969 23:59:59 GMT",
            "Sat, 01 Jan 10000 00:00:00 GMT",
            "Sat, 01 Jan 0001 00:00:00 GMT",
            "Mon, 12 Oct 99 17:50:30 GMT",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
            assert_eq!(Timestamp::parse_iso8601(bad), None, "{bad}");
            assert_eq!(Timestamp::parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_past_the_end_of_their_month_are_no_date() {
        for text in [
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "Wed, 31 Apr 2024 00:00:00 GMT",
            "Thu, 31 Nov 2026 00:00:00 GMT",
        ] {
            assert_eq!(Timestamp::parse(text), None, "{text}");
        }
        for text in [
            "2024-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "2026-12-31T23:59:59Z",
            "2026-09-30T00:00:00Z",
            "Thu, 31 Dec 2026 00:00:00 GMT",
            "Sat, 31 Aug 2024 00:00:00 GMT",
        ] {
            assert!(Timestamp::parse(text).is_some(), "{text}");
        }
    }

    #[test]
    fn civil_round_trip_over_four_centuries() {
        for days in (-200_000..200_000).step_by(97) {
            let secs = days * 86_400 + 12_345;
            let (y, mo, d, h, mi, s) = unix_to_civil(secs);
            assert_eq!(civil_to_unix(y, mo, d, h, mi, s), Some(secs));
        }
    }
}
