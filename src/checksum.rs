//! Opt-in checksums (`x-amz-checksum-*`): CRC32, CRC32C or SHA-256 of a body, sent for S3 to
//! check. Off unless asked for: R2 and other S3s refuse checksum headers they do not know, and
//! presigned PUTs cannot carry them. Natively and in the npm package's server build only (the
//! browser build leaves them out of its download).
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html>

use crate::encoding::base64;
use alloc::string::String;
use sha2::{Digest, Sha256};

/// The algorithms, by the names S3 gives them.
pub const NAMES: &[&str] = &["CRC32", "CRC32C", "SHA256"];

/// The header S3 reads a body's checksum from, for an algorithm of [`NAMES`].
pub fn header(algorithm: &str) -> Option<&'static str> {
    Some(match algorithm {
        "CRC32" => "x-amz-checksum-crc32",
        "CRC32C" => "x-amz-checksum-crc32c",
        "SHA256" => "x-amz-checksum-sha256",
        _ => return None,
    })
}

/// A checksum being computed, chunk by chunk.
pub enum Checksum {
    Crc(&'static [u32; 256], u32),
    Sha256(Sha256),
}

impl Checksum {
    /// A checksum of an algorithm of [`NAMES`].
    pub fn new(algorithm: &str) -> Option<Checksum> {
        Some(match algorithm {
            "CRC32" => Checksum::Crc(&CRC32, !0),
            "CRC32C" => Checksum::Crc(&CRC32C, !0),
            "SHA256" => Checksum::Sha256(Sha256::new()),
            _ => return None,
        })
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Checksum::Crc(table, crc) => {
                for &byte in bytes {
                    *crc = table[((*crc ^ u32::from(byte)) & 0xff) as usize] ^ (*crc >> 8);
                }
            }
            Checksum::Sha256(sha) => sha.update(bytes),
        }
    }

    /// The value of its header: the checksum's big-endian bytes in base64.
    pub fn finish(self) -> String {
        match self {
            Checksum::Crc(_, crc) => base64::encode(&(!crc).to_be_bytes()),
            Checksum::Sha256(sha) => base64::encode(&sha.finalize()),
        }
    }
}

/// The byte-at-a-time table of a reflected CRC-32 polynomial.
const fn table(polynomial: u32) -> [u32; 256] {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ polynomial } else { crc >> 1 };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

/// CRC-32 (ISO-HDLC, as zlib and S3's `CRC32`).
static CRC32: [u32; 256] = table(0xEDB8_8320);
/// CRC-32C (Castagnoli, S3's `CRC32C`).
static CRC32C: [u32; 256] = table(0x82F6_3B78);

#[cfg(test)]
mod tests {
    use super::*;

    fn of(algorithm: &str, bytes: &[u8]) -> String {
        let mut sum = Checksum::new(algorithm).unwrap();
        for chunk in bytes.chunks(3) {
            sum.update(chunk);
        }
        sum.finish()
    }

    #[test]
    fn the_check_values_of_each_algorithm() {
        // The catalogued check values of "123456789": CRC-32 0xCBF43926, CRC-32C 0xE3069283.
        assert_eq!(of("CRC32", b"123456789"), base64::encode(&0xCBF4_3926u32.to_be_bytes()));
        assert_eq!(of("CRC32C", b"123456789"), base64::encode(&0xE306_9283u32.to_be_bytes()));
        // SHA-256 of "abc" (FIPS 180-2).
        assert_eq!(of("SHA256", b"abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        assert_eq!(of("CRC32", b""), "AAAAAA==");
        assert!(Checksum::new("MD5").is_none() && header("crc32").is_none());
    }
}
