//! The canonical query string and canonical headers of a canonical request:
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>

use super::uri_encode;
use alloc::{string::String, vec::Vec};

/// Encodes a decoded query for the canonical request (and the wire): every name and value
/// URI-encoded strictly, pairs sorted by encoded name and then by encoded value, joined
/// with `&`. A parameter without a value is written `name=` (S3's `?lifecycle` becomes
/// `lifecycle=`).
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> =
        query.iter().map(|(k, v)| (uri_encode(k, false), uri_encode(v, false))).collect();
    sort_by(&mut pairs, |a, b| a < b);
    let mut out = String::new();
    for (k, v) in &pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
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
