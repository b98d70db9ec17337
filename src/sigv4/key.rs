//! The derived signing key, and a one-entry cache for it.

use super::hash::hex;
use super::sha256::{self, Sha256};
use alloc::string::String;
use core::fmt;

/// `kSigning`, the key every signature of one day, region and service is made with, and the
/// two SHA-256 states HMAC starts from under it (computed once per key, not per signature).
#[derive(Clone)]
pub struct SigningKey {
    keyed: Keyed,
    /// The key itself, for tests to compare with published values.
    #[cfg(test)]
    bytes: [u8; 32],
}

/// HMAC-SHA256 under one key, as the two SHA-256 states it starts from (RFC 2104: the key,
/// hashed when longer than the 64-byte block, padded to it and XORed with each pad).
/// <https://www.rfc-editor.org/rfc/rfc2104>
#[derive(Clone)]
pub(crate) struct Keyed {
    inner: Sha256,
    outer: Sha256,
}

impl Keyed {
    pub(crate) fn new(key: &[u8]) -> Keyed {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            block[..32].copy_from_slice(&sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let (mut inner, mut outer) = (Sha256::new(), Sha256::new());
        inner.update(&block.map(|b| b ^ 0x36));
        outer.update(&block.map(|b| b ^ 0x5c));
        Keyed { inner, outer }
    }

    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut inner = self.inner.clone();
        inner.update(message);
        let mut outer = self.outer.clone();
        outer.update(&inner.finish());
        outer.finish()
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    Keyed::new(key).mac(message)
}

impl SigningKey {
    /// kDate = HMAC("AWS4" + secret, date), kRegion = HMAC(kDate, region),
    /// kService = HMAC(kRegion, service), kSigning = HMAC(kService, "aws4_request"):
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>
    pub fn derive(secret: &str, date_stamp: &str, region: &str, service: &str) -> Self {
        let k_date = hmac_sha256(["AWS4", secret].concat().as_bytes(), date_stamp.as_bytes());
        let k_region = hmac_sha256(&k_date, region.as_bytes());
        let k_service = hmac_sha256(&k_region, service.as_bytes());
        let key = hmac_sha256(&k_service, b"aws4_request");
        SigningKey {
            keyed: Keyed::new(&key),
            #[cfg(test)]
            bytes: key,
        }
    }

    /// Hex HMAC-SHA256 of `message` under this key: a SigV4 signature.
    pub(crate) fn sign(&self, message: &str) -> String {
        hex(&self.keyed.mac(message.as_bytes()))
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
/// The inputs are remembered only as a 64-bit FNV-1a fingerprint, so the secret is not kept
/// in clear (a SHA-256 fingerprint cost more per request than the rest of signing's lookups).
/// Two inputs with one fingerprint, which no caller can arrange for secrets it does not know,
/// would sign with the wrong key: the request fails, it never passes. Not synchronised: share
/// it behind a lock.
#[derive(Clone, Default)]
pub struct SigningKeyCache {
    last: Option<(u64, SigningKey)>,
    /// How many keys `get` derived (tests only: proves the cache caches).
    #[cfg(test)]
    derivations: usize,
}

impl SigningKeyCache {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&mut self, secret: &str, date_stamp: &str, region: &str, service: &str) -> SigningKey {
        let mut fingerprint: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [secret, date_stamp, region, service] {
            // Length prefixes keep ("ab", "c") and ("a", "bc") apart.
            for byte in (part.len() as u64).to_be_bytes().iter().chain(part.as_bytes()) {
                fingerprint = (fingerprint ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
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

    /// RFC 4231 test cases 1, 2 and 6 (a key longer than the block is hashed first).
    #[test]
    fn hmac_matches_rfc_4231() {
        let hex_of = |bytes: [u8; 32]| hex(&bytes);
        assert_eq!(
            hex_of(hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex_of(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex_of(hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    // "Examples of how to derive a signing key", formerly
    // https://docs.aws.amazon.com/general/latest/gr/signature-v4-examples.html
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const K_SIGNING: &str = "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d";

    #[test]
    fn derives_the_documented_key() {
        assert_eq!(hex(&SigningKey::derive(SECRET, "20120215", "us-east-1", "iam").bytes), K_SIGNING);
    }

    #[test]
    fn cache_returns_the_key_for_the_current_inputs() {
        let mut cache = SigningKeyCache::new();
        assert_eq!(hex(&cache.get(SECRET, "20120215", "us-east-1", "iam").bytes), K_SIGNING);
        assert_eq!(hex(&cache.get(SECRET, "20120215", "us-east-1", "iam").bytes), K_SIGNING);
        let next_day = cache.get(SECRET, "20120216", "us-east-1", "iam").bytes;
        assert_eq!(next_day, SigningKey::derive(SECRET, "20120216", "us-east-1", "iam").bytes);
        assert_ne!(hex(&next_day), K_SIGNING);
    }

    #[test]
    fn cache_derives_once_per_inputs_and_again_when_any_input_changes() {
        let mut cache = SigningKeyCache::new();
        let get = |cache: &mut SigningKeyCache, secret: &str, date: &str, region: &str, service: &str| {
            let before = cache.derivations;
            let key = cache.get(secret, date, region, service).bytes;
            assert_eq!(
                key,
                SigningKey::derive(secret, date, region, service).bytes,
                "{secret} {date} {region} {service}"
            );
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
