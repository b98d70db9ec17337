//! Versioning: GetBucketVersioning, PutBucketVersioning, ListObjectVersions. A server without
//! versioning answers `NotImplemented`, which surfaces as that service error.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html>

use super::list::{check_max, encoding_query, key_decoder};
use super::xml::{document, Element};
use super::{read_xml, CommonPrefix, Owner};
use crate::client::{Operation, S3Request};
use crate::error::{Error, Result};
use crate::http::{HttpResponse, Method};
use crate::time::Timestamp;

#[derive(Debug, Clone, Default)]
pub struct GetBucketVersioningInput {
    pub bucket: String,
}

/// `status` is absent for a bucket that never had versioning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetBucketVersioningOutput {
    pub status: Option<String>,
    pub mfa_delete: Option<String>,
}

impl Operation for GetBucketVersioningInput {
    type Output = GetBucketVersioningOutput;

    fn into_request(self) -> Result<S3Request> {
        Ok(S3Request::new(Method::Get).bucket(&self.bucket).query("versioning", ""))
    }

    async fn parse(response: HttpResponse) -> Result<GetBucketVersioningOutput> {
        let root = read_xml(response).await?;
        Ok(GetBucketVersioningOutput { status: root.text("Status"), mfa_delete: root.text("MfaDelete") })
    }
}

#[derive(Debug, Clone, Default)]
pub struct PutBucketVersioningInput {
    pub bucket: String,
    /// `Enabled` or `Suspended`.
    pub status: String,
}

impl Operation for PutBucketVersioningInput {
    type Output = ();

    fn into_request(self) -> Result<S3Request> {
        if self.status != "Enabled" && self.status != "Suspended" {
            return Err(Error::validation(format!("versioning status {:?} is not Enabled or Suspended", self.status)));
        }
        // The status was checked to be one of two plain words: nothing to escape.
        let body = document("VersioningConfiguration", &format!("<Status>{}</Status>", self.status));
        // S3 requires Content-MD5 on this call.
        Ok(S3Request::new(Method::Put).bucket(&self.bucket).query("versioning", "").body(body.into()).content_md5(true))
    }

    async fn parse(_: HttpResponse) -> Result<()> {
        Ok(())
    }
}

/// ListObjectVersions: one page of versions and delete markers.
#[derive(Debug, Clone, Default)]
pub struct ListObjectVersionsInput {
    pub bucket: String,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    pub max_keys: Option<u32>,
    pub key_marker: Option<String>,
    pub version_id_marker: Option<String>,
    /// `"url"` (default) or `"none"`.
    pub encoding_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListObjectVersionsOutput {
    pub name: Option<String>,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    pub max_keys: Option<u32>,
    pub is_truncated: bool,
    pub key_marker: Option<String>,
    pub version_id_marker: Option<String>,
    pub next_key_marker: Option<String>,
    pub next_version_id_marker: Option<String>,
    pub versions: Vec<ObjectVersion>,
    pub delete_markers: Vec<DeleteMarkerEntry>,
    pub common_prefixes: Vec<CommonPrefix>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectVersion {
    pub key: String,
    pub version_id: Option<String>,
    pub is_latest: bool,
    pub last_modified: Option<Timestamp>,
    pub etag: Option<String>,
    pub size: u64,
    pub storage_class: Option<String>,
    pub owner: Option<Owner>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteMarkerEntry {
    pub key: String,
    pub version_id: Option<String>,
    pub is_latest: bool,
    pub last_modified: Option<Timestamp>,
    pub owner: Option<Owner>,
}

impl ListObjectVersionsOutput {
    fn from_xml(root: &Element) -> Result<Self> {
        let decode = key_decoder(root);
        let version = |e: &Element| -> Result<ObjectVersion> {
            Ok(ObjectVersion {
                key: decode(e.required("Key")?),
                version_id: e.text("VersionId"),
                is_latest: e.flag("IsLatest")?,
                last_modified: e.date("LastModified")?,
                etag: e.text("ETag"),
                size: e.number("Size")?.unwrap_or(0),
                storage_class: e.text("StorageClass"),
                owner: Owner::from_xml(e),
            })
        };
        let marker = |e: &Element| -> Result<DeleteMarkerEntry> {
            Ok(DeleteMarkerEntry {
                key: decode(e.required("Key")?),
                version_id: e.text("VersionId"),
                is_latest: e.flag("IsLatest")?,
                last_modified: e.date("LastModified")?,
                owner: Owner::from_xml(e),
            })
        };
        Ok(ListObjectVersionsOutput {
            name: root.text("Name"),
            prefix: root.text("Prefix").map(&decode),
            delimiter: root.text("Delimiter").map(&decode),
            max_keys: root.number("MaxKeys")?,
            is_truncated: root.flag("IsTruncated")?,
            key_marker: root.text("KeyMarker").map(&decode),
            version_id_marker: root.text("VersionIdMarker"),
            next_key_marker: root.text("NextKeyMarker").map(&decode),
            next_version_id_marker: root.text("NextVersionIdMarker"),
            versions: root.children("Version").map(version).collect::<Result<_>>()?,
            delete_markers: root.children("DeleteMarker").map(marker).collect::<Result<_>>()?,
            common_prefixes: CommonPrefix::all_from_xml(root, &decode),
        })
    }
}

impl Operation for ListObjectVersionsInput {
    type Output = ListObjectVersionsOutput;

    fn into_request(self) -> Result<S3Request> {
        check_max("maxKeys", self.max_keys)?;
        if self.version_id_marker.is_some() && self.key_marker.is_none() {
            return Err(Error::validation("versionIdMarker needs keyMarker"));
        }
        let request = S3Request::new(Method::Get)
            .bucket(&self.bucket)
            .query("versions", "")
            .query_opt("prefix", self.prefix)
            .query_opt("delimiter", self.delimiter)
            .query_opt("max-keys", self.max_keys)
            .query_opt("key-marker", self.key_marker)
            .query_opt("version-id-marker", self.version_id_marker);
        encoding_query(request, self.encoding_type.as_deref())
    }

    async fn parse(response: HttpResponse) -> Result<ListObjectVersionsOutput> {
        ListObjectVersionsOutput::from_xml(&read_xml(response).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::ResponseBody;

    #[test]
    fn versions_and_delete_markers_interleave() {
        let xml = r#"<ListVersionsResult><Name>b</Name><IsTruncated>false</IsTruncated>
<Version><Key>k</Key><VersionId>v3</VersionId><IsLatest>false</IsLatest><LastModified>2020-01-01T00:00:00Z</LastModified><ETag>"a"</ETag><Size>1</Size></Version>
<DeleteMarker><Key>k</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest><LastModified>2020-01-02T00:00:00Z</LastModified></DeleteMarker>
<Version><Key>k</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest><LastModified>2019-01-01T00:00:00Z</LastModified><ETag>"b"</ETag><Size>2</Size></Version>
</ListVersionsResult>"#;
        let response = HttpResponse {
            status: 200,
            headers: Default::default(),
            body: ResponseBody::from_bytes(xml.as_bytes().to_vec()),
        };
        let page = crate::model::parse_now(ListObjectVersionsInput::parse(response)).unwrap();
        let ids: Vec<_> = page.versions.iter().map(|v| v.version_id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["v3", "v1"]);
        assert_eq!(page.delete_markers.len(), 1);
        assert!(page.delete_markers[0].is_latest);
    }
}
