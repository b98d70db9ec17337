//! Input checks made before any request is sent, so bad input is a clear `validation` error
//! instead of a confusing server answer (or, worse, a request to another object).

use crate::credentials::Credentials;
use crate::encoding::{code_point, decimal};
use crate::error::{Error, Result};

/// Bucket naming rules.
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>
pub fn bucket_name(name: &str) -> Result<()> {
    let fail = |why: &str| Err(Error::validation(["bucket name \"", name, "\" ", why].concat()));
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
    if name.as_bytes().windows(2).any(|pair| matches!(pair, b".." | b".-" | b"-.")) {
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
        return Err(Error::validation(
            ["object key is ", &decimal(key.len() as u64), " bytes; the limit is 1024"].concat(),
        ));
    }
    if !transport_keeps_dot_segments && key.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(Error::validation(
            [
                "object key \"",
                key,
                "\" has a '.' or '..' path segment, which fetch's URL parser removes (even when written \
                 %2E), so the request would address another object",
            ]
            .concat(),
        ));
    }
    Ok(())
}

/// Header values must be visible ASCII, space or tab: a CR or LF would split the request and
/// fetch rejects anything outside Latin-1.
pub fn header_value(name: &str, value: &str) -> Result<()> {
    match value.chars().find(|c| !(c.is_ascii_graphic() || *c == ' ' || *c == '\t')) {
        None => Ok(()),
        Some(c) => Err(Error::validation(
            [
                "header ",
                name,
                " holds ",
                &code_point(c),
                ", which is not allowed in an HTTP header value (visible ASCII only)",
            ]
            .concat(),
        )),
    }
}

/// Headers the signer writes: one given by the caller would be sent twice, or would sign
/// something other than what the client checked.
const SIGNER_HEADERS: [&str; 5] =
    ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "host"];

/// Header names must be HTTP tokens and appear once, whatever their case: fetch keeps only the
/// last of two, so the signature (which joins both) would never match. The signer's own
/// headers (`host` comes from the endpoint) cannot be given.
pub fn headers(headers: &[(String, String)]) -> Result<()> {
    for (i, (name, value)) in headers.iter().enumerate() {
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(Error::validation(["\"", name, "\" is not a valid HTTP header name"].concat()));
        }
        if SIGNER_HEADERS.iter().any(|own| name.eq_ignore_ascii_case(own)) {
            return Err(Error::validation(
                ["the ", &name.to_ascii_lowercase(), " header is the signer's; it cannot be given"].concat(),
            ));
        }
        if headers[..i].iter().any(|(earlier, _)| earlier.eq_ignore_ascii_case(name)) {
            return Err(Error::validation(["header ", name, " is given twice (names are case-insensitive)"].concat()));
        }
        header_value(name, value)?;
    }
    Ok(())
}

/// RFC 7230 `tchar`.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Keys travel in headers (the key id in `Authorization`, the token in its own header), so they
/// must be visible ASCII. The check says which part is wrong and never quotes it; it passes
/// good credentials through.
pub fn credentials(credentials: Credentials) -> Result<Credentials> {
    let signing = credentials.for_signing();
    let visible = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic());
    if !visible(signing.access_key_id) {
        return Err(Error::Credentials("the access key id is empty or holds spaces or control characters".into()));
    }
    if signing.secret_access_key.is_empty() {
        return Err(Error::Credentials("the secret access key is empty".into()));
    }
    if signing.session_token.is_some_and(|token| !visible(token)) {
        return Err(Error::Credentials("the session token is empty or holds spaces or control characters".into()));
    }
    Ok(credentials)
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
    fn header_names() {
        let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
        };
        assert!(headers(&h(&[("content-type", "a"), ("x-amz-meta-a", "b")])).is_ok());
        for bad in [
            h(&[("x-amz-meta-a", "1"), ("X-Amz-Meta-A", "2")]),
            h(&[("Host", "evil.example")]),
            h(&[("bad name", "v")]),
            h(&[("", "v")]),
            h(&[("x", "a\r\nb")]),
        ] {
            assert!(headers(&bad).is_err(), "{bad:?}");
        }
        for own in ["Authorization", "X-Amz-Date", "x-amz-content-sha256", "X-AMZ-SECURITY-TOKEN", "host"] {
            let err = headers(&h(&[(own, "v")])).unwrap_err();
            assert!(err.to_string().contains("the signer's"), "{own}: {err}");
        }
    }

    #[test]
    fn credentials_are_checked_without_quoting_them() {
        assert!(credentials(Credentials::new("AKID", "secret")).is_ok());
        let err = credentials(Credentials::new("AK\nID", "secret")).unwrap_err();
        assert!(!err.to_string().contains("AK"), "{err}");
        let token = Credentials::new("AKID", "secret").with_session_token("line1\nline2");
        let err = credentials(token).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Credentials);
        assert!(!err.to_string().contains("line1"), "{err}");
        assert!(credentials(Credentials::new("AKID", "")).is_err());
    }

    #[test]
    fn header_values() {
        assert!(header_value("x", "text/plain; charset=utf-8").is_ok());
        for bad in ["a\r\nb", "a\nb", "caf\u{e9}", "\u{7f}"] {
            assert!(header_value("x", bad).is_err(), "{bad:?}");
        }
    }
}
