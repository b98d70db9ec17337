//! SHA-256 (FIPS 180-4), one interface (`Sha256::new`, `update`, `finish`, [`digest`]) over two
//! implementations: natively the `sha2` crate, which uses the CPU's SHA instructions where it
//! has them (bodies of any size are hashed there); on wasm the loop over the 64 rounds below,
//! whose code is a fraction of what the crate's generic block and output wrappers bring into
//! the download (README, Size). Tests check the loop against the crate.
//! <https://nvlpubs.nist.gov/nistpubs/FIPS/NIST.FIPS.180-4.pdf>

#[cfg(target_arch = "wasm32")]
pub use compact::Sha256;
#[cfg(not(target_arch = "wasm32"))]
pub use crate_backed::Sha256;

/// The SHA-256 of `data`.
pub fn digest(data: &[u8]) -> [u8; 32] {
    let mut sha = Sha256::new();
    sha.update(data);
    sha.finish()
}

#[cfg(not(target_arch = "wasm32"))]
mod crate_backed {
    use sha2::Digest;

    #[derive(Clone, Debug, Default)]
    pub struct Sha256(sha2::Sha256);

    impl Sha256 {
        pub fn new() -> Self {
            Self::default()
        }

        pub fn update(&mut self, data: &[u8]) {
            self.0.update(data);
        }

        pub fn finish(self) -> [u8; 32] {
            self.0.finalize().into()
        }
    }
}

#[cfg(any(target_arch = "wasm32", test))]
mod compact {
    use crate::blocks::Blocks;

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    /// A SHA-256 computation over bytes that arrive in pieces.
    #[derive(Clone)]
    pub struct Sha256 {
        state: [u32; 8],
        blocks: Blocks,
    }

    impl Default for Sha256 {
        fn default() -> Self {
            Self::new()
        }
    }

    impl Sha256 {
        pub fn new() -> Self {
            // The first 32 bits of the fractional parts of the square roots of the first 8 primes.
            let state =
                [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
            Sha256 { state, blocks: Blocks::new() }
        }

        pub fn update(&mut self, data: &[u8]) {
            let state = &mut self.state;
            self.blocks.update(data, &mut |block| compress(state, block));
        }

        pub fn finish(mut self) -> [u8; 32] {
            let state = &mut self.state;
            self.blocks.finish(true, &mut |block| compress(state, block));
            let mut digest = [0u8; 32];
            for (out, word) in digest.chunks_exact_mut(4).zip(self.state) {
                out.copy_from_slice(&word.to_be_bytes());
            }
            digest
        }
    }

    impl core::fmt::Debug for Sha256 {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("Sha256")
        }
    }

    fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
        let mut w = [0u32; 64];
        for i in 0..64 {
            w[i] = if i < 16 {
                u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]])
            } else {
                let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
                let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
                w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1)
            };
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choose = (e & f) ^ (!e & g);
            let t1 = h.wrapping_add(s1).wrapping_add(choose).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            (h, g, f, e, d, c, b, a) =
                (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(s0).wrapping_add(majority));
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = s.wrapping_add(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use sha2::Digest;

    #[test]
    fn the_loop_agrees_with_the_crate_on_every_length_around_the_block_edges() {
        let data: alloc::vec::Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for len in 0..data.len() {
            let expected: [u8; 32] = sha2::Sha256::digest(&data[..len]).into();
            let mut sha = super::compact::Sha256::new();
            // In uneven pieces, to cross block edges mid-piece.
            for piece in data[..len].chunks(13) {
                sha.update(piece);
            }
            assert_eq!(sha.finish(), expected, "length {len}");
        }
    }
}
