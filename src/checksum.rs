//! Opt-in checksums (`x-amz-checksum-*`): CRC32, CRC32C or SHA-256 of a body, sent for S3 to
//! check. Off unless asked for: R2 and other S3s refuse checksum headers they do not know, and
//! presigned PUTs cannot carry them. The same computation gives `Content-MD5` (algorithm
//! `MD5`, which is no `checksum` option), so one hasher serves every digest of a body, and in
//! the npm package one class (`Checksum`) hashes JS bodies where they live.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html>

use crate::encoding::base64;
use crate::md5::Md5;
use crate::sigv4::sha256::Sha256;
use alloc::boxed::Box;
use alloc::string::String;

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
    Crc(Box<[u32; 256]>, u32),
    Sha256(Sha256),
    Md5(Md5),
}

impl Checksum {
    /// A checksum of an algorithm of [`NAMES`], or `MD5`.
    pub fn new(algorithm: &str) -> Option<Checksum> {
        Some(match algorithm {
            // CRC-32 (ISO-HDLC, as zlib) and CRC-32C (Castagnoli), reflected. Their tables are
            // made when needed: 2 KB of constants would ship in every download.
            "CRC32" => Checksum::Crc(table(0xEDB8_8320), !0),
            "CRC32C" => Checksum::Crc(table(0x82F6_3B78), !0),
            "SHA256" => Checksum::Sha256(Sha256::new()),
            "MD5" => Checksum::Md5(Md5::default()),
            _ => return None,
        })
    }

    /// The checksum of `bytes` in one go (empty for an unknown algorithm).
    pub fn of(algorithm: &str, bytes: &[u8]) -> String {
        let Some(mut sum) = Checksum::new(algorithm) else { return String::new() };
        sum.update(bytes);
        sum.finish()
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Checksum::Crc(table, crc) => {
                for &byte in bytes {
                    *crc = table[((*crc ^ u32::from(byte)) & 0xff) as usize] ^ (*crc >> 8);
                }
            }
            Checksum::Sha256(sha) => sha.update(bytes),
            Checksum::Md5(md5) => md5.update(bytes),
        }
    }

    /// The value of its header: the checksum's big-endian bytes (an MD5's digest) in base64.
    pub fn finish(self) -> String {
        match self {
            Checksum::Crc(_, crc) => base64::encode(&(!crc).to_be_bytes()),
            Checksum::Sha256(sha) => base64::encode(&sha.finish()),
            Checksum::Md5(md5) => base64::encode(&md5.finish()),
        }
    }
}

/// The byte-at-a-time table of a reflected CRC-32 polynomial.
fn table(polynomial: u32) -> Box<[u32; 256]> {
    let mut table = Box::new([0; 256]);
    for (i, entry) in table.iter_mut().enumerate() {
        let mut crc = i as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ polynomial } else { crc >> 1 };
        }
        *entry = crc;
    }
    table
}

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
        // MD5 of "abc" (RFC 1321), as Content-MD5 carries it.
        assert_eq!(of("MD5", b"abc"), "kAFQmDzST7DWlj99KOF/cg==");
        assert!(Checksum::new("md5").is_none() && header("crc32").is_none() && header("MD5").is_none());
    }
}
