//! `presignPost` for the package's server build (feature `server`): the browser build leaves
//! it out, since only servers hold the keys that sign a POST policy (README, Size).

use super::options::Options;
use crate::client::{PostMatch, PresignPostInput, S3Client};
use crate::error::{Error, Result};
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

const OPTIONS: &[&str] = &[
    "bucket",
    "key",
    "keyPrefix",
    "expiresIn",
    "contentLengthRange",
    "contentType",
    "contentTypePrefix",
    "fields",
    "conditions",
    "signingDate",
];

/// `{ url, fields }` as JSON text, for `client.js` to parse.
pub async fn presign_post(client: &S3Client, options: &JsValue) -> Result<JsValue> {
    let o = Options::new(options)?;
    o.only(&|name| OPTIONS.contains(&name))?;
    let key = one_of(&o, "key", "keyPrefix")?.ok_or_else(|| o.missing("key (or keyPrefix)"))?;
    let mut input = PresignPostInput::new(o.required_string("bucket")?, key);
    input.expires_in = o.u64("expiresIn")?.map(|s| u32::try_from(s).unwrap_or(u32::MAX));
    input.content_type = one_of(&o, "contentType", "contentTypePrefix")?;
    input.fields = o.string_map("fields")?;
    input.signing_date = o.date("signingDate")?;
    let range = numbers(&o.raw("contentLengthRange"), "contentLengthRange must be [min, max] in bytes")?;
    input.content_length_range = match range.as_deref() {
        None => None,
        Some(&[min, max]) => Some((min, max)),
        Some(_) => return Err(Error::validation("contentLengthRange must be [min, max] in bytes")),
    };
    input.conditions = conditions(&o.raw("conditions"))?;
    let signed = client.presign_post(input).await?;
    let mut json = String::from("{\"url\":");
    super::values::write_string(&signed.url, &mut json);
    json.push_str(",\"fields\":{");
    for (i, (name, value)) in signed.fields.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        super::values::write_string(name, &mut json);
        json.push(':');
        super::values::write_string(value, &mut json);
    }
    json.push_str("}}");
    Ok(json.into())
}

/// `exact` given as it is, or `prefix` as a `starts-with` match; not both.
fn one_of(o: &Options, exact: &str, prefix: &str) -> Result<Option<PostMatch>> {
    match (o.string(exact)?, o.string(prefix)?) {
        (Some(_), Some(_)) => Err(Error::validation(format!("give {exact} or {prefix}, not both"))),
        (Some(value), None) => Ok(Some(PostMatch::Exact(value))),
        (None, Some(value)) => Ok(Some(PostMatch::StartsWith(value))),
        (None, None) => Ok(None),
    }
}

/// An array of whole numbers of 0 or more (`None` when absent).
fn numbers(value: &JsValue, wrong: &str) -> Result<Option<Vec<u64>>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let array = value.dyn_ref::<Array>().ok_or_else(|| Error::validation(wrong))?;
    array
        .iter()
        .map(|n| super::options::whole_number(&n).ok_or_else(|| Error::validation(wrong)))
        .collect::<Result<_>>()
        .map(Some)
}

/// Conditions in the policy's own form: `["eq", "$field", value]` or `["starts-with", "$field", prefix]`.
fn conditions(value: &JsValue) -> Result<Vec<(String, PostMatch)>> {
    const WRONG: &str = "conditions must be [[\"eq\" or \"starts-with\", \"$field\", text], …]";
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let list = value.dyn_ref::<Array>().ok_or_else(|| Error::validation(WRONG))?;
    list.iter()
        .map(|item| {
            let item = item.dyn_into::<Array>().map_err(|_| Error::validation(WRONG))?;
            let text = |i| item.get(i).as_string().ok_or_else(|| Error::validation(WRONG));
            let (op, field, value) = (text(0)?, text(1)?, text(2)?);
            let name =
                field.strip_prefix('$').filter(|_| item.length() == 3).ok_or_else(|| Error::validation(WRONG))?;
            let rule = match op.as_str() {
                "eq" => PostMatch::Exact(value),
                "starts-with" => PostMatch::StartsWith(value),
                _ => return Err(Error::validation(WRONG)),
            };
            Ok((name.to_owned(), rule))
        })
        .collect()
}
