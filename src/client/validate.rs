//! Input checks made before any request is sent, so bad input is a clear `validation` error
//! instead of a confusing server answer (or, worse, a request to another object).

use crate::error::{Error, Result};

/// Bucket naming rules.
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>
pub fn bucket_name(name: &str) -> Result<()> {
    let fail = |why: &str| Err(Error::validation(format!("bucket name {name:?} {why}")));
    if !(3..=63).contains(&name.len()) {
        return fail("must be 3 to 63 characters long");
    }
    if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-') {
        return fail("may hold only lower-case letters, digits, '.' and '-'");
    }
    let edge_ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !edge_ok(name.as_bytes()[0]) || !edge_ok(name.as_bytes()[name.len() - 1]) {
        return fail("must begin and end with a letter or digit");
    }
    if name.contains("..") || name.contains(".-") || name.contains("-.") {
        return fail("must not have adjacent periods or a period next to a hyphen");
    }
    if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return fail("must not be formatted as an IP address");
    }
    Ok(())
}

/// Object keys: 1 to 1024 bytes of UTF-8.
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html>
pub fn object_key(key: &str, transport_keeps_dot_segments: bool) -> Result<()> {
    if key.is_empty() {
        return Err(Error::validation("object key must not be empty"));
    }
    if key.len() > 1024 {
        return Err(Error::validation(format!("object key is {} bytes; the limit is 1024", key.len())));
    }
    if !transport_keeps_dot_segments && key.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(Error::validation(format!(
            "object key {key:?} has a '.' or '..' path segment, which fetch's URL parser removes \
             (even when written %2E), so the request would address another object"
        )));
    }
    Ok(())
}

/// Header values must be visible ASCII, space or tab: a CR or LF would split the request and
/// fetch rejects anything outside Latin-1.
pub fn header_value(name: &str, value: &str) -> Result<()> {
    match value.chars().find(|c| !(c.is_ascii_graphic() || *c == ' ' || *c == '\t')) {
        None => Ok(()),
        Some(c) => Err(Error::validation(format!(
            "header {name} holds {c:?}, which is not allowed in an HTTP header value (visible ASCII only)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_rules() {
        for good in ["abc", "my-bucket.v2", "a1b", &"x".repeat(63)] {
            assert!(bucket_name(good).is_ok(), "{good}");
        }
        for bad in ["ab", "Abc", "a_b", "-ab", "ab-", "a..b", "a.-b", "192.168.5.4", &"x".repeat(64)] {
            assert!(bucket_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn key_rules() {
        for good in ["a", "a/b", "..a", "a./b", "a/.b/", "//", &"é".repeat(512)] {
            assert!(object_key(good, false).is_ok(), "{good}");
        }
        for bad in ["", ".", "..", "a/./b", "a/../b", "a/..", "./a", &"k".repeat(1025)] {
            assert!(object_key(bad, false).is_err(), "{bad}");
        }
        assert!(object_key("a/../b", true).is_ok());
    }

    #[test]
    fn header_values() {
        assert!(header_value("x", "text/plain; charset=utf-8").is_ok());
        for bad in ["a\r\nb", "a\nb", "caf\u{e9}", "\u{7f}"] {
            assert!(header_value("x", bad).is_err(), "{bad:?}");
        }
    }
}
