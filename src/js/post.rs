//! `presignPost` for the package's server build (feature `server`): the browser build leaves
//! it out, since only servers hold the keys that sign a POST policy (README, Size).

use crate::client::{PostMatch, PresignPostInput, S3Client};
use crate::error::Result;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

/// `{ url, fields }` as JSON text, for `client.js` to parse, from the options as the package's
/// `presign-post.js` read and checked them: `[bucket, key, keyIsPrefix, expiresIn, [min, max],
/// contentType, contentTypeIsPrefix, fields as [name, value] pairs, conditions as [field, text,
/// isPrefix], signingDate]`, `undefined` where not given. The policy's own rules (a range's
/// order, the signer's fields, the lifetime) are the client's to check.
pub async fn presign_post(client: &S3Client, values: &JsValue) -> Result<JsValue> {
    let values: &Array = values.unchecked_ref();
    let text = |value: JsValue| value.as_string().unwrap_or_default();
    let matching = |at: u32| {
        let value = values.get_unchecked(at);
        (!value.is_undefined()).then(|| post_match(text(value), values.get_unchecked(at + 1).is_truthy()))
    };
    let mut input =
        PresignPostInput::new(text(values.get_unchecked(0)), matching(1).unwrap_or(PostMatch::Exact(String::new())));
    input.expires_in = values.get_unchecked(3).as_f64().map(|s| s.min(f64::from(u32::MAX)) as u32);
    input.content_length_range = values.get_unchecked(4).dyn_into::<Array>().ok().map(|range| {
        let bytes = |at| range.get_unchecked(at).as_f64().unwrap_or_default() as u64;
        (bytes(0), bytes(1))
    });
    input.content_type = matching(5);
    input.fields = super::values::text_pairs(&values.get_unchecked(7));
    input.conditions = Array::from(&values.get_unchecked(8))
        .iter()
        .map(|condition| {
            let condition: Array = condition.unchecked_into();
            (
                text(condition.get_unchecked(0)),
                post_match(text(condition.get_unchecked(1)), condition.get_unchecked(2).is_truthy()),
            )
        })
        .collect();
    input.signing_date = super::values::signing_date(&values.get_unchecked(9))?;
    let signed = client.presign_post(input).await?;
    let mut json = String::from("{\"url\":");
    write_string(&signed.url, &mut json);
    json.push_str(",\"fields\":{");
    for (i, (name, value)) in signed.fields.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        write_string(name, &mut json);
        json.push(':');
        write_string(value, &mut json);
    }
    json.push_str("}}");
    Ok(json.into())
}

fn post_match(text: String, prefix: bool) -> PostMatch {
    if prefix {
        PostMatch::StartsWith(text)
    } else {
        PostMatch::Exact(text)
    }
}

/// `text` as a JSON string.
fn write_string(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|b| b == b'"' || b == b'\\' || b < 0x20) {
        let b = rest.as_bytes()[at];
        out.push_str(rest.get(..at).unwrap_or_default());
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            _ => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        rest = rest.get(at + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out.push('"');
}
