//! The derived signing key, and a one-entry cache for it.

use super::hash::{hex, hmac_sha256};
use alloc::{format, string::String};
use core::fmt;
use sha2::{Digest, Sha256};

/// `kSigning`, the key every signature of one day, region and service is made with.
#[derive(Clone)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    /// kDate = HMAC("AWS4" + secret, date), kRegion = HMAC(kDate, region),
    /// kService = HMAC(kRegion, service), kSigning = HMAC(kService, "aws4_request"):
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>
    pub fn derive(secret: &str, date_stamp: &str, region: &str, service: &str) -> Self {
        let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date_stamp.as_bytes());
        let k_region = hmac_sha256(&k_date, region.as_bytes());
        let k_service = hmac_sha256(&k_region, service.as_bytes());
        Self(hmac_sha256(&k_service, b"aws4_request"))
    }

    /// Hex HMAC-SHA256 of `message` under this key: a SigV4 signature.
    pub(crate) fn sign(&self, message: &str) -> String {
        hex(&hmac_sha256(&self.0, message.as_bytes()))
    }
}

/// The key is as good as the secret for a day, so it is never printed.
impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// Remembers the last derived key. A key depends only on (secret, date, region, service),
/// so it changes once a day and deriving it for every request (four HMACs) is waste:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>
/// The inputs are remembered only as a SHA-256 fingerprint, so the secret is not kept in
/// clear. Not synchronised: share it behind a lock.
#[derive(Clone, Default)]
pub struct SigningKeyCache {
    last: Option<([u8; 32], SigningKey)>,
    /// How many keys `get` derived (tests only: proves the cache caches).
    #[cfg(test)]
    derivations: usize,
}

impl SigningKeyCache {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&mut self, secret: &str, date_stamp: &str, region: &str, service: &str) -> SigningKey {
        let mut h = Sha256::new();
        for part in [secret, date_stamp, region, service] {
            // Length prefixes keep ("ab", "c") and ("a", "bc") apart.
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        let fingerprint: [u8; 32] = h.finalize().into();
        match &self.last {
            Some((fp, key)) if *fp == fingerprint => key.clone(),
            _ => {
                let key = SigningKey::derive(secret, date_stamp, region, service);
                #[cfg(test)]
                {
                    self.derivations += 1;
                }
                self.last = Some((fingerprint, key.clone()));
                key
            }
        }
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache").field("cached", &self.last.is_some()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // "Examples of how to derive a signing key", formerly
    // https://docs.aws.amazon.com/general/latest/gr/signature-v4-examples.html
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const K_SIGNING: &str = "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d";

    #[test]
    fn derives_the_documented_key() {
        assert_eq!(hex(&SigningKey::derive(SECRET, "20120215", "us-east-1", "iam").0), K_SIGNING);
    }

    #[test]
    fn cache_returns_the_key_for_the_current_inputs() {
        let mut cache = SigningKeyCache::new();
        assert_eq!(hex(&cache.get(SECRET, "20120215", "us-east-1", "iam").0), K_SIGNING);
        assert_eq!(hex(&cache.get(SECRET, "20120215", "us-east-1", "iam").0), K_SIGNING);
        let next_day = cache.get(SECRET, "20120216", "us-east-1", "iam").0;
        assert_eq!(next_day, SigningKey::derive(SECRET, "20120216", "us-east-1", "iam").0);
        assert_ne!(hex(&next_day), K_SIGNING);
    }

    #[test]
    fn cache_derives_once_per_inputs_and_again_when_any_input_changes() {
        let mut cache = SigningKeyCache::new();
        let get = |cache: &mut SigningKeyCache, secret: &str, date: &str, region: &str, service: &str| {
            let before = cache.derivations;
            let key = cache.get(secret, date, region, service).0;
            assert_eq!(key, SigningKey::derive(secret, date, region, service).0, "{secret} {date} {region} {service}");
            cache.derivations - before
        };
        assert_eq!(get(&mut cache, SECRET, "20120215", "us-east-1", "s3"), 1, "the first get derives");
        assert_eq!(get(&mut cache, SECRET, "20120215", "us-east-1", "s3"), 0, "the same inputs derive nothing");
        assert_eq!(get(&mut cache, SECRET, "20120215", "us-east-1", "s3"), 0);
        assert_eq!(get(&mut cache, SECRET, "20120216", "us-east-1", "s3"), 1, "a new date derives");
        assert_eq!(get(&mut cache, SECRET, "20120216", "us-east-1", "s3"), 0);
        assert_eq!(get(&mut cache, SECRET, "20120216", "eu-west-1", "s3"), 1, "a new region derives");
        assert_eq!(get(&mut cache, "another-secret", "20120216", "eu-west-1", "s3"), 1, "a new secret derives");
        assert_eq!(get(&mut cache, "another-secret", "20120216", "eu-west-1", "iam"), 1, "a new service derives");
        // Inputs whose concatenations are equal are still different inputs.
        assert_eq!(get(&mut cache, "ab", "c", "r", "s"), 1);
        assert_eq!(get(&mut cache, "a", "bc", "r", "s"), 1);
        // One entry: going back to earlier inputs derives again.
        assert_eq!(get(&mut cache, SECRET, "20120215", "us-east-1", "s3"), 1);
        assert_eq!(cache.derivations, 8);
    }

    #[test]
    fn debug_output_has_no_secret_material() {
        let key = SigningKey::derive(SECRET, "20120215", "us-east-1", "iam");
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
        let mut cache = SigningKeyCache::new();
        cache.get(SECRET, "20120215", "us-east-1", "iam");
        let shown = format!("{cache:?}");
        assert!(!shown.contains(SECRET) && !shown.contains(&K_SIGNING[..8]), "{shown}");
    }
}
