//! Region redirects: a bucket in another region than the client's answers 301
//! `PermanentRedirect`, 307 `TemporaryRedirect` or 400 `AuthorizationHeaderMalformed` (a
//! bodiless 400 to a HEAD), naming its region in `x-amz-bucket-region` or `<Region>`. The request is signed again for that
//! region (and, on AWS's own endpoints, sent to that region's host), once, and the bucket's
//! region is remembered for later calls.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/RESTRedirect.html>

use crate::error::ServiceError;
use std::sync::Mutex;

/// The region a redirect names, when the answer is one and the region is a valid name other
/// than `signed_for`. Anything else in the answer (a `Location` host) is never followed:
/// credentials only go to the configured endpoint or AWS's hosts for the named region.
pub fn redirect_region<'e>(error: &'e ServiceError, signed_for: &str) -> Option<&'e str> {
    let redirect = matches!(
        (error.status, error.code.as_str()),
        (301, _) | (307, _) | (400, "AuthorizationHeaderMalformed" | "BadRequest")
    );
    let region = error.region.as_deref().filter(|r| is_region_name(r) && *r != signed_for)?;
    redirect.then_some(region)
}

/// Whether two regions are in one AWS partition (`aws`, `aws-cn`, `aws-us-gov`): a redirect
/// never crosses one, since an account's credentials are only valid within their partition.
pub fn same_partition(a: &str, b: &str) -> bool {
    let partition = |r: &str| ["cn-", "us-gov-", "us-iso-", "us-isob-"].into_iter().find(|p| r.starts_with(p));
    partition(a) == partition(b)
}

/// `us-east-1`, `eu-central-2`, `cn-north-1`, `us-gov-west-1`: lower-case letters, digits
/// and dashes (what a host name can carry), at most 32.
pub fn is_region_name(region: &str) -> bool {
    (1..=32).contains(&region.len())
        && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// Which region answers for which bucket, as learned from redirects. Few buckets live outside
/// the client's region, so a short list (bounded: past it the oldest is forgotten) is both
/// quick and far smaller in wasm than a map.
#[derive(Debug, Default)]
pub struct BucketRegions(Mutex<Vec<(String, String)>>);

const REMEMBERED: usize = 100;

impl BucketRegions {
    pub fn get(&self, bucket: &str) -> Option<String> {
        let regions = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        regions.iter().find(|(b, _)| b == bucket).map(|(_, region)| region.clone())
    }

    pub fn remember(&self, bucket: &str, region: &str) {
        let mut regions = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        regions.retain(|(b, _)| b != bucket);
        if regions.len() >= REMEMBERED {
            regions.remove(0);
        }
        regions.push((bucket.to_owned(), region.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, code: &str, region: Option<&str>) -> ServiceError {
        ServiceError { status, code: code.into(), region: region.map(Into::into), ..ServiceError::default() }
    }

    #[test]
    fn follows_the_three_redirect_forms_to_another_valid_region() {
        for (status, code) in
            [(301, "PermanentRedirect"), (307, "TemporaryRedirect"), (400, "AuthorizationHeaderMalformed")]
        {
            assert_eq!(redirect_region(&answer(status, code, Some("eu-west-1")), "us-east-1"), Some("eu-west-1"));
        }
        assert_eq!(redirect_region(&answer(301, "PermanentRedirect", Some("us-east-1")), "us-east-1"), None);
        assert_eq!(redirect_region(&answer(301, "PermanentRedirect", None), "us-east-1"), None);
        assert_eq!(redirect_region(&answer(400, "BadRequest", Some("eu-west-1")), "us-east-1"), Some("eu-west-1"));
        assert_eq!(redirect_region(&answer(400, "InvalidArgument", Some("eu-west-1")), "us-east-1"), None);
        assert_eq!(redirect_region(&answer(403, "AccessDenied", Some("eu-west-1")), "us-east-1"), None);
        for hostile in ["evil.example.com", "EU-WEST-1", "eu west", "", "-x", "a/b", "x".repeat(33).as_str()] {
            assert_eq!(
                redirect_region(&answer(301, "PermanentRedirect", Some(hostile)), "us-east-1"),
                None,
                "{hostile}"
            );
        }
    }

    #[test]
    fn partitions() {
        assert!(same_partition("us-east-1", "eu-west-1"));
        assert!(same_partition("cn-north-1", "cn-northwest-1"));
        assert!(!same_partition("us-east-1", "cn-north-1"));
        assert!(!same_partition("us-gov-west-1", "us-west-1"));
    }

    #[test]
    fn remembers_bucket_regions_within_a_bound() {
        let regions = BucketRegions::default();
        assert_eq!(regions.get("b"), None);
        regions.remember("b", "eu-west-1");
        assert_eq!(regions.get("b").as_deref(), Some("eu-west-1"));
        regions.remember("b", "eu-central-1");
        assert_eq!(regions.get("b").as_deref(), Some("eu-central-1"));
        for i in 0..REMEMBERED {
            regions.remember(&format!("bucket-{i}"), "us-west-2");
        }
        assert_eq!(regions.0.lock().unwrap().len(), REMEMBERED);
        assert_eq!(regions.get("b"), None, "the oldest is forgotten");
        assert_eq!(regions.get("bucket-99").as_deref(), Some("us-west-2"));
    }
}
