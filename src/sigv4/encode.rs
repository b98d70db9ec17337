//! URI encoding as SigV4 defines it, which is stricter than most URL libraries.

use alloc::string::String;

/// Percent-encodes `input` byte by byte (UTF-8): the unreserved characters
/// `A-Z a-z 0-9 - . _ ~` stay, everything else becomes `%XX` with upper-case hex.
/// A space is `%20`, never `+`. `/` stays only when `keep_slash` is set, which is how an
/// S3 object key is encoded into the path; query names and values are encoded with
/// `keep_slash = false`. Rules: "UriEncode" in
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>
/// and <https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html>.
pub fn uri_encode(input: &str, keep_slash: bool) -> String {
    let mut out = alloc::vec::Vec::new();
    uri_encode_into(&mut out, input, keep_slash);
    // Only ASCII was written.
    String::from_utf8(out).unwrap_or_default()
}

/// [`uri_encode`] appended to `out` (ASCII only): the canonical query encodes every name and
/// value into one buffer rather than a string each.
pub(crate) fn uri_encode_into(out: &mut alloc::vec::Vec<u8>, input: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(input.len());
    let keep = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (keep_slash && b == b'/');
    // Runs that stay as they are are copied whole: most of a key or a parameter is such a run.
    let mut rest = input.as_bytes();
    while let Some(at) = rest.iter().position(|&b| !keep(b)) {
        let (run, b) = (&rest[..at], rest[at]);
        out.extend_from_slice(run);
        out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_space_plus_and_utf8() {
        assert_eq!(uri_encode("a b+c/d~e", false), "a%20b%2Bc%2Fd~e");
        assert_eq!(uri_encode("photos/2024 jan/ሴ$.jpg", true), "photos/2024%20jan/%E1%88%B4%24.jpg");
    }
}
