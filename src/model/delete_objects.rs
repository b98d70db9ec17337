//! DeleteObjects: up to 1000 keys in one call, each with its own result.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html>

use super::read_xml;
use super::xml::{document, escape, Element};
use crate::client::{Operation, S3Request};
use crate::error::{Error, Result};
use crate::http::{HttpResponse, Method};

/// S3's limit per call. More keys are refused rather than split, so one call stays one request
/// (callers batch, and see each batch's errors).
const MAX_KEYS: usize = 1000;

#[derive(Debug, Clone, Default)]
pub struct DeleteObjectsInput {
    pub bucket: String,
    pub objects: Vec<ObjectIdentifier>,
    /// Report only failures.
    pub quiet: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectIdentifier {
    pub key: String,
    pub version_id: Option<String>,
}

/// `deleted` lists what was removed (empty in quiet mode); `errors` what was not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteObjectsOutput {
    pub deleted: Vec<DeletedObject>,
    pub errors: Vec<DeleteError>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeletedObject {
    pub key: String,
    pub version_id: Option<String>,
    pub delete_marker: bool,
    pub delete_marker_version_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteError {
    pub key: String,
    pub version_id: Option<String>,
    pub code: String,
    pub message: String,
}

impl DeleteObjectsOutput {
    fn from_xml(root: &Element) -> Result<Self> {
        let deleted = |e: &Element| -> Result<DeletedObject> {
            Ok(DeletedObject {
                key: e.required("Key")?,
                version_id: e.text("VersionId"),
                delete_marker: e.flag("DeleteMarker")?,
                delete_marker_version_id: e.text("DeleteMarkerVersionId"),
            })
        };
        let error = |e: &Element| -> Result<DeleteError> {
            Ok(DeleteError {
                key: e.text("Key").unwrap_or_default(),
                version_id: e.text("VersionId"),
                code: e.required("Code")?,
                message: e.text("Message").unwrap_or_default(),
            })
        };
        Ok(DeleteObjectsOutput {
            deleted: root.children("Deleted").map(deleted).collect::<Result<_>>()?,
            errors: root.children("Error").map(error).collect::<Result<_>>()?,
        })
    }
}

impl Operation for DeleteObjectsInput {
    type Output = DeleteObjectsOutput;

    fn into_request(self) -> Result<S3Request> {
        if self.objects.is_empty() || self.objects.len() > MAX_KEYS {
            return Err(Error::validation(format!(
                "deleteObjects takes 1 to {MAX_KEYS} objects per call, not {}",
                self.objects.len()
            )));
        }
        for object in &self.objects {
            crate::validate::object_key(&object.key, true)?;
            // XML 1.0 cannot carry these characters at all, escaped or not.
            if object.key.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
                return Err(Error::validation(format!(
                    "key {:?} holds a control character, which deleteObjects' XML body cannot carry; use deleteObject",
                    object.key
                )));
            }
        }
        let mut inner = format!("<Quiet>{}</Quiet>", self.quiet);
        for object in &self.objects {
            inner.push_str(&format!("<Object><Key>{}</Key>", escape(&object.key)));
            if let Some(version) = &object.version_id {
                inner.push_str(&format!("<VersionId>{}</VersionId>", escape(version)));
            }
            inner.push_str("</Object>");
        }
        let body = document("Delete", &inner);
        // S3 requires Content-MD5 (or a checksum) on DeleteObjects.
        Ok(S3Request::new(Method::Post).bucket(&self.bucket).query("delete", "").body(body.into()).content_md5(true))
    }

    async fn parse(response: HttpResponse) -> Result<DeleteObjectsOutput> {
        DeleteObjectsOutput::from_xml(&read_xml(response).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Body;
    use crate::http::ResponseBody;

    #[test]
    fn request_body_lists_keys_and_quiet_mode() {
        let input = DeleteObjectsInput {
            bucket: "b".into(),
            objects: vec![
                ObjectIdentifier { key: "a&b<c>".into(), version_id: None },
                ObjectIdentifier { key: "k".into(), version_id: Some("v1".into()) },
            ],
            quiet: true,
        };
        let request = input.into_request().unwrap();
        assert!(request.content_md5);
        let Body::Bytes(xml) = request.body else { panic!("no body") };
        let xml = std::str::from_utf8(&xml).unwrap();
        assert!(xml.contains("<Quiet>true</Quiet>"), "{xml}");
        assert!(xml.contains("<Object><Key>a&amp;b&lt;c&gt;</Key></Object>"), "{xml}");
        assert!(xml.contains("<Object><Key>k</Key><VersionId>v1</VersionId></Object>"), "{xml}");
    }

    #[test]
    fn per_key_errors_are_part_of_the_result() {
        let xml = r#"<DeleteResult><Deleted><Key>ok</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>m1</DeleteMarkerVersionId></Deleted>
<Error><Key>locked</Key><VersionId>v9</VersionId><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>"#;
        let response = HttpResponse {
            status: 200,
            headers: Default::default(),
            body: ResponseBody::from_bytes(xml.as_bytes().to_vec()),
        };
        let result = crate::model::parse_now(DeleteObjectsInput::parse(response)).unwrap();
        assert_eq!(result.deleted.len(), 1);
        assert!(result.deleted[0].delete_marker);
        assert_eq!(result.errors[0].code, "AccessDenied");
        assert_eq!(result.errors[0].version_id.as_deref(), Some("v9"));
    }
}
