//! Counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy
//! as 1, 2, 3", SC'11).
//!
//! A generator is fixed by `(seed, stream)`: trial `k` of an ensemble uses stream `k`, so its
//! numbers never depend on how many threads, shards or machines run the campaign, and any trial
//! can be replayed alone. Passes BigCrush (per the authors); 10 rounds of 32x32->64 multiplies
//! per 128-bit block, cheap on a Cortex-M4 and acceptable on an M0.

use core::convert::Infallible;

const M0: u32 = 0xD251_1F53;
const M1: u32 = 0xCD9E_8D57;
const W0: u32 = 0x9E37_79B9;
const W1: u32 = 0xBB67_AE85;

#[inline(always)]
fn mulhilo(a: u32, b: u32) -> (u32, u32) {
    let p = (a as u64) * (b as u64);
    ((p >> 32) as u32, p as u32)
}

/// The Philox4x32-10 bijection of one 128-bit counter under a 64-bit key.
///
/// ```
/// // Random123 known-answer vector
/// assert_eq!(larmor::random::philox4x32_10([0; 4], [0; 2]), [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
/// ```
#[inline]
pub fn philox4x32_10(mut ctr: [u32; 4], mut key: [u32; 2]) -> [u32; 4] {
    for r in 0..10 {
        if r > 0 {
            key[0] = key[0].wrapping_add(W0);
            key[1] = key[1].wrapping_add(W1);
        }
        let (hi0, lo0) = mulhilo(M0, ctr[0]);
        let (hi1, lo1) = mulhilo(M1, ctr[2]);
        ctr = [hi1 ^ ctr[1] ^ key[0], lo1, hi0 ^ ctr[3] ^ key[1], lo0];
    }
    ctr
}

/// Philox4x32-10 stream `(seed, stream)`, implementing `rand_core::Rng` (via `TryRng` with
/// `Infallible`). Period 2^64 blocks of 128 bits per stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Philox {
    key: [u32; 2],
    stream: [u32; 2],
    block: u64,
    buf: [u32; 4],
    idx: usize,
}

impl Philox {
    /// Stream `stream` of the generator keyed by `seed`.
    ///
    /// ```
    /// use rand_core::Rng;
    /// let mut a = larmor::random::Philox::new(42, 7);
    /// let mut b = larmor::random::Philox::new(42, 7);
    /// assert_eq!(a.next_u64(), b.next_u64());
    /// assert_ne!(larmor::random::Philox::new(42, 8).next_u64(), larmor::random::Philox::new(42, 7).next_u64());
    /// ```
    pub fn new(seed: u64, stream: u64) -> Self {
        Self {
            key: [seed as u32, (seed >> 32) as u32],
            stream: [stream as u32, (stream >> 32) as u32],
            block: 0,
            buf: [0; 4],
            idx: 4,
        }
    }

    /// Jumps to the start of block `block` of this stream (4 words per block).
    pub fn seek_block(&mut self, block: u64) {
        self.block = block;
        self.idx = 4;
    }

    #[inline(always)]
    fn refill(&mut self) {
        let c = [
            self.block as u32,
            (self.block >> 32) as u32,
            self.stream[0],
            self.stream[1],
        ];
        self.buf = philox4x32_10(c, self.key);
        self.block = self.block.wrapping_add(1);
        self.idx = 0;
    }

    /// Next 32 random bits.
    #[inline(always)]
    pub fn next_word(&mut self) -> u32 {
        if self.idx >= 4 {
            self.refill();
        }
        let w = self.buf[self.idx];
        self.idx += 1;
        w
    }
}

impl rand_core::TryRng for Philox {
    type Error = Infallible;
    #[inline(always)]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.next_word())
    }
    #[inline(always)]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let lo = self.next_word() as u64;
        let hi = self.next_word() as u64;
        Ok(lo | (hi << 32))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(4) {
            let w = self.next_word().to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng;

    #[test]
    fn random123_known_answers() {
        assert_eq!(
            philox4x32_10([0; 4], [0; 2]),
            [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
        );
        assert_eq!(
            philox4x32_10([u32::MAX; 4], [u32::MAX; 2]),
            [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]
        );
        assert_eq!(
            philox4x32_10(
                [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
                [0xa4093822, 0x299f31d0]
            ),
            [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]
        );
    }

    #[test]
    fn streams_are_reproducible_and_seekable() {
        let mut a = Philox::new(1, 2);
        let first: [u32; 8] = core::array::from_fn(|_| a.next_u32());
        let mut b = Philox::new(1, 2);
        b.seek_block(1);
        assert_eq!(b.next_u32(), first[4]);
        let mut c = Philox::new(1, 3);
        assert_ne!(c.next_u32(), first[0]);
        let mut bytes = [0u8; 6];
        Philox::new(1, 2).fill_bytes(&mut bytes);
        assert_eq!(&bytes[..4], &first[0].to_le_bytes());
    }
}
