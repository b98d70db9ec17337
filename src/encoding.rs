//! Small encodings S3 needs: base64 (Content-MD5, POST policies) and RFC 2047 encoded words
//! (non-ASCII user metadata). `core` + `alloc` only.

pub mod base64 {
    use alloc::string::String;
    use alloc::vec::Vec;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// Standard base64 with padding.
    pub fn encode(data: &[u8]) -> String {
        let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
        for chunk in data.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Standard base64, padding optional; `None` on any other character.
    pub fn decode(text: &str) -> Option<Vec<u8>> {
        let text = text.trim_end_matches('=');
        let mut out = Vec::with_capacity(text.len() * 3 / 4);
        let (mut acc, mut bits) = (0u32, 0);
        for c in text.bytes() {
            let v = ALPHABET.iter().position(|a| *a == c)? as u32;
            acc = acc << 6 | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
        Some(out)
    }
}

/// `parts` with `separator` between them: `[..].join(separator)` without its generic copy
/// loop, which weighs 0.9 KB in the wasm.
pub fn join(parts: &[&str], separator: &str) -> alloc::string::String {
    // Sized first: growing as it goes would copy the text again at each doubling.
    let length = parts.iter().map(|part| part.len() + separator.len()).sum();
    let mut out = alloc::string::String::with_capacity(length);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
    out
}

/// `n` in decimal, as `n.to_string()` writes it. Messages and headers are joined from pieces
/// (`[a, b].concat()`) rather than `format!`, which would bring the formatting machinery (width,
/// padding, `Arguments`) into the npm package's download.
pub fn decimal(n: u64) -> alloc::string::String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    core::str::from_utf8(&digits[at..]).unwrap_or_default().into()
}

/// A character as Unicode writes it (`U+00E9`): its code point in upper-case hex, at least four
/// digits, as messages name characters that are not allowed.
pub fn code_point(c: char) -> alloc::string::String {
    let mut out = alloc::string::String::from("U+");
    let code = c as u32;
    let width = (8 - code.leading_zeros() / 4).max(4);
    for shift in (0..width).rev() {
        out.push(char::from(b"0123456789ABCDEF"[((code >> (shift * 4)) & 15) as usize]));
    }
    out
}

/// Decodes `<escape>XX` hex escapes, and `space_as` as a space: URL form encoding (`%`, `+`)
/// and RFC 2047's Q encoding (`=`, `_`). A malformed escape makes it `None` when `strict`, and is
/// otherwise kept as it is.
pub fn unescape_hex(text: &str, escape: u8, space_as: u8, strict: bool) -> Option<alloc::vec::Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = alloc::vec::Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let hex = bytes.get(i + 1..i + 3).and_then(|h| Some(hex_digit(h[0])? << 4 | hex_digit(h[1])?));
        match (b, hex) {
            (b, _) if b == space_as => out.push(b' '),
            (b, Some(decoded)) if b == escape => {
                out.push(decoded);
                i += 2;
            }
            (b, None) if b == escape && strict => return None,
            (b, _) => out.push(b),
        }
        i += 1;
    }
    Some(out)
}

fn hex_digit(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// RFC 2047 encoded words: S3 returns a non-ASCII metadata value as `=?UTF-8?B?…?=`, so the
/// client sends such values the same way and decodes them (B or Q) on the way back.
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html>
pub mod encoded_word {
    use super::base64;
    use alloc::borrow::ToOwned;
    use alloc::string::String;
    use alloc::vec::Vec;

    /// The value as it can travel in a header: unchanged when it is printable ASCII that HTTP
    /// keeps as is. Edge spaces (which HTTP trims) and text that looks like an encoded word
    /// (which would be decoded on the way back) are encoded too, so every value round-trips.
    pub fn encode(value: &str) -> String {
        let plain = value.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
            && value.trim_ascii() == value
            && !value.starts_with("=?");
        if plain {
            value.to_owned()
        } else {
            ["=?UTF-8?B?", &base64::encode(value.as_bytes()), "?="].concat()
        }
    }

    /// Decodes a value of `=?charset?B|Q?text?=` words (UTF-8 or ASCII charsets, each with some
    /// text); anything else as is. A long value can come back from S3 as several words (as in
    /// aws-sdk-ios#241), and the spaces between them are not part of the text (RFC 2047 §6.2;
    /// S3 writes spaces, and words separated otherwise stay as sent). The words' bytes are
    /// joined before they are read as UTF-8, so even a character split across two words (which
    /// §5 forbids) survives.
    /// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html>
    pub fn decode(value: &str) -> String {
        let mut bytes = Vec::new();
        for word in value.split(' ').filter(|word| !word.is_empty()) {
            match word_bytes(word) {
                Some(decoded) => bytes.extend_from_slice(&decoded),
                None => return value.to_owned(),
            }
        }
        match String::from_utf8(bytes) {
            Ok(text) if !text.is_empty() => text,
            _ => value.to_owned(),
        }
    }

    fn word_bytes(word: &str) -> Option<Vec<u8>> {
        let mut parts = word.strip_prefix("=?")?.strip_suffix("?=")?.splitn(3, '?');
        let charset = parts.next()?;
        if !charset.eq_ignore_ascii_case("UTF-8") && !charset.eq_ignore_ascii_case("US-ASCII") {
            return None;
        }
        let bytes = match (parts.next()?, parts.next()?) {
            ("B" | "b", text) => base64::decode(text)?,
            ("Q" | "q", text) => quoted_printable(text)?,
            _ => return None,
        };
        (!bytes.is_empty()).then_some(bytes)
    }

    fn quoted_printable(text: &str) -> Option<Vec<u8>> {
        super::unescape_hex(text, b'=', b'_', true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_have_at_least_four_hex_digits() {
        assert_eq!(code_point('\0'), "U+0000");
        assert_eq!(code_point('\u{7f}'), "U+007F");
        assert_eq!(code_point('é'), "U+00E9");
        assert_eq!(code_point('\u{FFFD}'), "U+FFFD");
        assert_eq!(code_point('😀'), "U+1F600");
        assert_eq!(code_point('\u{10FFFF}'), "U+10FFFF");
    }

    #[test]
    fn decimal_is_what_to_string_writes() {
        for n in [0, 7, 10, 99, 100, 1_000_000, 9_007_199_254_740_991, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn base64_round_trips() {
        for (raw, b64) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64::encode(raw.as_bytes()), b64);
            assert_eq!(base64::decode(b64).unwrap(), raw.as_bytes());
        }
        assert_eq!(base64::decode("Zm9v!"), None);
    }

    #[test]
    fn encoded_words() {
        assert_eq!(encoded_word::encode("plain value"), "plain value");
        let word = encoded_word::encode("café ☕");
        assert_eq!(word, "=?UTF-8?B?Y2Fmw6kg4piV?=");
        assert_eq!(encoded_word::decode(&word), "café ☕");
        assert_eq!(encoded_word::decode("=?utf-8?Q?caf=C3=A9_au_lait?="), "café au lait");
        assert_eq!(encoded_word::decode("=?koi8-r?B?abc?="), "=?koi8-r?B?abc?=");
        // A long value as S3 splits it: the spaces between words are not text, and "é"
        // (C3 A9) is split across two B words.
        assert_eq!(
            encoded_word::decode("=?UTF-8?Q?You_just_comp?= =?UTF-8?Q?leted_the_=E2=80=9Cworkout=E2=80=9D?="),
            "You just completed the \u{201c}workout\u{201d}"
        );
        assert_eq!(encoded_word::decode("=?UTF-8?B?Y2Fmww==?=  =?UTF-8?B?qQ==?="), "café");
        // Anything that is not all encoded words stays as it is.
        for raw in
            ["", " ", "a =?UTF-8?B?aGk=?=", "=?UTF-8?B?aGk=?= b", "=?UTF-8?B?/w==?=", "=?UTF-8?B??= =?UTF-8?B?aGk=?="]
        {
            assert_eq!(encoded_word::decode(raw), raw);
        }
        for tricky in ["  padded  ", "=?UTF-8?B?YQ==?=", "tab\there", ""] {
            assert_eq!(encoded_word::decode(&encoded_word::encode(tricky)), tricky);
        }
    }
}
