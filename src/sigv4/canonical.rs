//! The canonical query string and canonical headers of a canonical request:
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>

use super::encode::uri_encode_into;
use alloc::{string::String, vec::Vec};

/// Encodes a decoded query for the canonical request (and the wire): every name and value
/// URI-encoded strictly, pairs sorted by encoded name and then by encoded value, joined
/// with `&`. A parameter without a value is written `name=` (S3's `?lifecycle` becomes
/// `lifecycle=`).
pub fn canonical_query(query: &[(String, String)]) -> String {
    canonical_query_of(query, &[])
}

/// The canonical query of `query` and `more` together (a presigned URL's own `X-Amz-*`
/// parameters), without copying either. Every name and value is encoded into one buffer and a
/// pair is its range there (name start, `=`, end): two allocations instead of two per pair.
pub(crate) fn canonical_query_of(query: &[(String, String)], more: &[(String, String)]) -> String {
    let mut encoded = Vec::new();
    let mut pairs = Vec::with_capacity(query.len() + more.len());
    for (name, value) in query.iter().chain(more) {
        let start = encoded.len();
        uri_encode_into(&mut encoded, name, false);
        let equals = encoded.len();
        uri_encode_into(&mut encoded, value, false);
        pairs.push((start, equals, encoded.len()));
    }
    let text = |(start, equals, end): (usize, usize, usize)| (&encoded[start..equals], &encoded[equals..end]);
    sort_by(&mut pairs, |a, b| text(*a) < text(*b));
    let mut out = Vec::with_capacity(encoded.len() + 2 * pairs.len());
    for (i, pair) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        let (name, value) = text(*pair);
        out.extend_from_slice(name);
        out.push(b'=');
        out.extend_from_slice(value);
    }
    // Only ASCII was written.
    String::from_utf8(out).unwrap_or_default()
}

/// Returns (canonical headers, signed headers). Names are lower-cased and sorted; values
/// are trimmed, runs of whitespace (folded lines included) collapse to one space, and a
/// repeated header becomes one line with its values joined by `,` in the order given.
pub(crate) fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut sorted: Vec<(String, &str)> = headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.as_str())).collect();
    sort_by(&mut sorted, |a, b| a.0 < b.0); // stable: repeated headers keep their order
    let (mut canonical, mut signed) = (String::new(), String::new());
    for (i, (name, value)) in sorted.iter().enumerate() {
        if i > 0 && sorted[i - 1].0 == *name {
            canonical.pop(); // the '\n' of the previous value of this header
            canonical.push(',');
        } else {
            if !signed.is_empty() {
                signed.push(';');
            }
            signed.push_str(name);
            canonical.push_str(name);
            canonical.push(':');
        }
        for (j, word) in value.split_ascii_whitespace().enumerate() {
            if j > 0 {
                canonical.push(' ');
            }
            canonical.push_str(word);
        }
        canonical.push('\n');
    }
    (canonical, signed)
}

/// A stable insertion sort. Requests have a few dozen headers and parameters at most, and the
/// standard library's sorts cost several KB of wasm per element type.
fn sort_by<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && less(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn query_is_encoded_then_sorted() {
        let q = pairs(&[("prefix", "a b/c"), ("max-keys", "2"), ("lifecycle", ""), ("a", "2"), ("a", "1")]);
        assert_eq!(canonical_query(&q), "a=1&a=2&lifecycle=&max-keys=2&prefix=a%20b%2Fc");
    }

    #[test]
    fn headers_are_lowered_trimmed_collapsed_and_joined() {
        let h = pairs(&[("X-B", " two\n   words "), ("Host", "h"), ("x-b", "second"), ("X-A", "")]);
        let (canonical, signed) = canonical_headers(&h);
        assert_eq!(canonical, "host:h\nx-a:\nx-b:two words,second\n");
        assert_eq!(signed, "host;x-a;x-b");
    }
}
