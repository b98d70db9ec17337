//! Buckets: CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation, ListBuckets.

use super::header;
use super::xml::{document, escape};
use super::{read_xml, Owner};
use crate::client::{Operation, S3Request};
use crate::error::Result;
use crate::http::{HttpResponse, Method};
use crate::time::Timestamp;

/// CreateBucket. Outside us-east-1 the bucket's region goes in a `LocationConstraint`.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html>
#[derive(Debug, Clone, Default)]
pub struct CreateBucketInput {
    pub bucket: String,
    /// The bucket's region; the client's region when not set.
    pub location_constraint: Option<String>,
    /// A canned ACL.
    pub acl: Option<String>,
}

impl CreateBucketInput {
    pub fn new(bucket: impl Into<String>) -> Self {
        CreateBucketInput { bucket: bucket.into(), ..Default::default() }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateBucketOutput {
    pub location: Option<String>,
}

/// CreateBucket needs the client's region when the input names none, so it is built by
/// [`CreateBucketInput::with_default_region`] before it runs.
pub(crate) struct CreateBucket {
    input: CreateBucketInput,
}

impl CreateBucketInput {
    pub(crate) fn with_default_region(mut self, region: &str) -> CreateBucket {
        self.location_constraint.get_or_insert_with(|| region.to_owned());
        CreateBucket { input: self }
    }
}

impl Operation for CreateBucket {
    type Output = CreateBucketOutput;

    fn into_request(self) -> Result<S3Request> {
        let input = self.input;
        let mut request = S3Request::new(Method::Put).bucket(&input.bucket).header_opt("x-amz-acl", input.acl);
        match input.location_constraint.as_deref() {
            // us-east-1 is the default location and refuses to be named.
            None | Some("us-east-1") | Some("") => {}
            Some(region) => {
                let constraint = format!("<LocationConstraint>{}</LocationConstraint>", escape(region));
                request = request.body(document("CreateBucketConfiguration", &constraint).into());
            }
        }
        Ok(request)
    }

    async fn parse(response: HttpResponse) -> Result<CreateBucketOutput> {
        Ok(CreateBucketOutput { location: header(&response.headers, "location") })
    }
}

/// DeleteBucket (the bucket must be empty).
#[derive(Debug, Clone, Default)]
pub struct DeleteBucketInput {
    pub bucket: String,
}

impl Operation for DeleteBucketInput {
    type Output = ();

    fn into_request(self) -> Result<S3Request> {
        Ok(S3Request::new(Method::Delete).bucket(&self.bucket))
    }

    async fn parse(_: HttpResponse) -> Result<()> {
        Ok(())
    }
}

/// HeadBucket: whether the bucket exists and is yours, and its region.
#[derive(Debug, Clone, Default)]
pub struct HeadBucketInput {
    pub bucket: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadBucketOutput {
    /// `x-amz-bucket-region`, when the server sends it.
    pub region: Option<String>,
}

impl Operation for HeadBucketInput {
    type Output = HeadBucketOutput;

    fn into_request(self) -> Result<S3Request> {
        Ok(S3Request::new(Method::Head).bucket(&self.bucket))
    }

    async fn parse(response: HttpResponse) -> Result<HeadBucketOutput> {
        Ok(HeadBucketOutput { region: header(&response.headers, "x-amz-bucket-region") })
    }
}

/// GetBucketLocation, with the legacy answers normalised: empty means us-east-1 and `EU`
/// means eu-west-1.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html>
#[derive(Debug, Clone, Default)]
pub struct GetBucketLocationInput {
    pub bucket: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetBucketLocationOutput {
    pub region: String,
}

impl Operation for GetBucketLocationInput {
    type Output = GetBucketLocationOutput;

    fn into_request(self) -> Result<S3Request> {
        Ok(S3Request::new(Method::Get).bucket(&self.bucket).query("location", ""))
    }

    async fn parse(response: HttpResponse) -> Result<GetBucketLocationOutput> {
        let location = read_xml(response).await?;
        Ok(GetBucketLocationOutput { region: normalize_region(location.text.trim()) })
    }
}

fn normalize_region(region: &str) -> String {
    match region {
        "" => "us-east-1".into(),
        "EU" => "eu-west-1".into(),
        other => other.into(),
    }
}

/// ListBuckets.
#[derive(Debug, Clone, Default)]
pub struct ListBucketsInput {}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListBucketsOutput {
    pub buckets: Vec<BucketSummary>,
    pub owner: Option<Owner>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BucketSummary {
    pub name: String,
    pub creation_date: Option<Timestamp>,
}

impl Operation for ListBucketsInput {
    type Output = ListBucketsOutput;

    fn into_request(self) -> Result<S3Request> {
        Ok(S3Request::new(Method::Get))
    }

    async fn parse(response: HttpResponse) -> Result<ListBucketsOutput> {
        let root = read_xml(response).await?;
        let buckets = root.child("Buckets").map(|b| b.children("Bucket").collect::<Vec<_>>()).unwrap_or_default();
        Ok(ListBucketsOutput {
            buckets: buckets
                .into_iter()
                .map(|b| Ok(BucketSummary { name: b.required("Name")?, creation_date: b.date("CreationDate")? }))
                .collect::<Result<_>>()?,
            owner: Owner::from_xml(&root),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_is_normalised() {
        assert_eq!(normalize_region(""), "us-east-1");
        assert_eq!(normalize_region("EU"), "eu-west-1");
        assert_eq!(normalize_region("ap-south-1"), "ap-south-1");
    }

    #[test]
    fn create_bucket_names_regions_other_than_us_east_1() {
        let east = CreateBucketInput::new("b1b").with_default_region("us-east-1").into_request().unwrap();
        assert!(matches!(east.body, crate::body::Body::Empty));
        let west = CreateBucketInput::new("b1b").with_default_region("eu-west-1").into_request().unwrap();
        let crate::body::Body::Bytes(xml) = west.body else { panic!("no body") };
        let xml = std::str::from_utf8(&xml).unwrap();
        assert!(xml.contains("<LocationConstraint>eu-west-1</LocationConstraint>"), "{xml}");
    }
}
