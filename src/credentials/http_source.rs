//! What the IMDS and container providers share: a small GET through the client's transport
//! with its own short timeout, and the JSON both answer with.

use super::Credentials;
use crate::body::Body;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, Method};
use crate::platform::Signal;
use crate::time::Timestamp;
use crate::transport::Transport;
use std::time::Duration;

/// Credential documents are a few hundred bytes.
const MAX_ANSWER_BYTES: usize = 64 << 10;

/// Sends `method url` with `headers`; the status and the body as text.
pub(super) async fn fetch_text(
    transport: &dyn Transport,
    method: Method,
    url: &str,
    headers: Vec<(String, String)>,
    timeout: Duration,
) -> Result<(u16, String)> {
    let request = HttpRequest { method, url: url.to_owned(), headers, body: Body::Empty };
    let response = transport.send(request, &Signal::default(), Some(timeout)).await?;
    let status = response.status;
    let read = crate::platform::deadline(timeout, response.body.read_up_to(MAX_ANSWER_BYTES)).await;
    // Without the URL: a container endpoint's path can be a secret (the caller names the origin).
    let (bytes, _) = read.unwrap_or_else(|| Err(Error::Timeout("the answer did not finish in time".into())))?;
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

/// `{ "AccessKeyId", "SecretAccessKey", "Token", "Expiration" }`, as IMDS and the container
/// endpoints write it. IMDS adds `"Code": "Success"`; anything else there is its error.
pub(super) fn credentials_from_json(source: &str, text: &str) -> Result<Credentials> {
    let bad = |why: &str| Error::Credentials(format!("{source}: {why}"));
    let document: serde_json::Value = serde_json::from_str(text).map_err(|_| bad("the answer is not JSON"))?;
    let field = |name: &str| document.get(name).and_then(|v| v.as_str()).filter(|v| !v.is_empty());
    if let Some(code) = field("Code").filter(|code| *code != "Success") {
        return Err(bad(&format!("the answer's Code is {code}")));
    }
    let (Some(id), Some(secret)) = (field("AccessKeyId"), field("SecretAccessKey")) else {
        return Err(bad("the answer has no AccessKeyId and SecretAccessKey"));
    };
    let mut credentials = Credentials::new(id, secret);
    if let Some(token) = field("Token") {
        credentials = credentials.with_session_token(token);
    }
    if let Some(expiration) = field("Expiration") {
        let at = Timestamp::parse_iso8601(expiration).ok_or_else(|| bad("its Expiration is not an ISO 8601 date"))?;
        credentials = credentials.with_expiration(at);
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_credentials_document() {
        let c = credentials_from_json(
            "imds",
            r#"{"Code":"Success","AccessKeyId":"ASIA1","SecretAccessKey":"s","Token":"t","Expiration":"2026-12-01T20:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "ASIA1");
        assert_eq!(c.expiration().unwrap().to_iso8601(), "2026-12-01T20:00:00.000Z");
        let failed = credentials_from_json("imds", r#"{"Code":"AssumeRoleUnauthorizedAccess"}"#).unwrap_err();
        assert!(failed.to_string().contains("AssumeRoleUnauthorizedAccess"), "{failed}");
        assert!(credentials_from_json("container", "<html>").is_err());
    }
}
