//! The 64-byte blocks that MD5 and SHA-256 are computed over: input buffered into blocks, and
//! the final padding (`0x80`, zeros, the message length in bits). The two differ only in their
//! compression function and in the byte order of the length, so they share this.
//! <https://www.rfc-editor.org/rfc/rfc1321#section-3.1>, FIPS 180-4 §5.1.1.

/// One block's worth of input not yet compressed, and how many bytes came in.
#[derive(Clone)]
pub(crate) struct Blocks {
    block: [u8; 64],
    length: u64,
}

impl Blocks {
    pub(crate) const fn new() -> Blocks {
        Blocks { block: [0; 64], length: 0 }
    }

    /// Buffers `data`, handing each full block to `compress`.
    pub(crate) fn update(&mut self, mut data: &[u8], compress: &mut dyn FnMut(&[u8; 64])) {
        while !data.is_empty() {
            let at = (self.length % 64) as usize;
            let take = (64 - at).min(data.len());
            self.block[at..at + take].copy_from_slice(&data[..take]);
            self.length += take as u64;
            data = &data[take..];
            if at + take == 64 {
                compress(&self.block);
            }
        }
    }

    /// Pads the message and compresses what is left; the length goes in big-endian for
    /// SHA-256, little-endian for MD5.
    pub(crate) fn finish(mut self, big_endian: bool, compress: &mut dyn FnMut(&[u8; 64])) {
        let bits = self.length.wrapping_mul(8);
        // `0x80` and zeros up to 8 bytes short of a block's end (into the next block if need be).
        let mut padding = [0u8; 64];
        padding[0] = 0x80;
        let fill = (119 - self.length % 64) % 64 + 1;
        self.update(&padding[..fill as usize], compress);
        self.update(&if big_endian { bits.to_be_bytes() } else { bits.to_le_bytes() }, compress);
    }
}
