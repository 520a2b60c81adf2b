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

/// Blocks a [`Philox`] computes at once: on 64-bit targets sixteen consecutive counters go
/// through the rounds side by side (the compiler keeps them in vector registers, and sixteen
/// independent multiply chains hide each other's latency); 32-bit targets (the firmware's
/// Cortex-M) compute one block at a time, the smallest buffer. The words, and their order,
/// are the same either way: only when they are computed differs.
pub const PHILOX_BATCH: usize = if cfg!(target_pointer_width = "64") {
    16
} else {
    1
};

/// Words held by a [`Philox`]'s buffer.
const WORDS: usize = 4 * PHILOX_BATCH;

/// The Philox4x32-10 bijection of the [`PHILOX_BATCH`] counters
/// `(block + l, stream)`, `l = 0, 1, ..`, under `key`, word by word into `out` (block `l` in
/// `out[4 l..4 l + 4]`): the rounds of [`philox4x32_10`] on lanes.
#[inline(always)]
fn philox_batch(block: u64, stream: [u32; 2], key: [u32; 2], out: &mut [u32; WORDS]) {
    const L: usize = PHILOX_BATCH;
    let mut c0 = [0u32; L];
    let mut c1 = [0u32; L];
    let mut c2 = [stream[0]; L];
    let mut c3 = [stream[1]; L];
    for l in 0..L {
        let b = block.wrapping_add(l as u64);
        c0[l] = b as u32;
        c1[l] = (b >> 32) as u32;
    }
    let mut key = key;
    for r in 0..10 {
        if r > 0 {
            key[0] = key[0].wrapping_add(W0);
            key[1] = key[1].wrapping_add(W1);
        }
        for l in 0..L {
            let p0 = (M0 as u64) * (c0[l] as u64);
            let p1 = (M1 as u64) * (c2[l] as u64);
            let n0 = ((p1 >> 32) as u32) ^ c1[l] ^ key[0];
            let n2 = ((p0 >> 32) as u32) ^ c3[l] ^ key[1];
            c0[l] = n0;
            c1[l] = p1 as u32;
            c2[l] = n2;
            c3[l] = p0 as u32;
        }
    }
    for l in 0..L {
        out[4 * l] = c0[l];
        out[4 * l + 1] = c1[l];
        out[4 * l + 2] = c2[l];
        out[4 * l + 3] = c3[l];
    }
}

/// Philox4x32-10 stream `(seed, stream)`, implementing `rand_core::Rng` (via `TryRng` with
/// `Infallible`). Period 2^64 blocks of 128 bits per stream. The words come out of a buffer of
/// [`PHILOX_BATCH`] blocks; the sequence does not depend on its size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Philox {
    key: [u32; 2],
    stream: [u32; 2],
    /// The block of the first word of the next refill.
    block: u64,
    buf: [u32; WORDS],
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
            buf: [0; WORDS],
            idx: WORDS,
        }
    }

    /// Jumps to the start of block `block` of this stream (4 words per block).
    pub fn seek_block(&mut self, block: u64) {
        self.block = block;
        self.idx = WORDS;
    }

    // a batch refill stays out of line (once per 64 words); a single block inline, as before
    #[cfg_attr(target_pointer_width = "64", inline(never))]
    #[cfg_attr(not(target_pointer_width = "64"), inline(always))]
    fn refill(&mut self) {
        philox_batch(self.block, self.stream, self.key, &mut self.buf);
        self.block = self.block.wrapping_add(PHILOX_BATCH as u64);
        self.idx = 0;
    }

    /// Next 32 random bits.
    #[inline(always)]
    pub fn next_word(&mut self) -> u32 {
        if self.idx >= WORDS {
            self.refill();
        }
        // idx < WORDS here: the mask only removes the bounds check
        let w = self.buf[self.idx & (WORDS - 1)];
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
        // the batched buffer gives the words of the one-block bijection, in order, across
        // refills and after a seek into the middle of a batch
        let mut d = Philox::new(0x1234_5678_9abc_def0, 0xfeed_beef_0000_0001);
        for blk in 0..(3 * PHILOX_BATCH as u64 + 2) {
            let c = [blk as u32, (blk >> 32) as u32, 0x0000_0001, 0xfeed_beef];
            let want = philox4x32_10(c, [0x9abc_def0, 0x1234_5678]);
            let got: [u32; 4] = core::array::from_fn(|_| d.next_u32());
            assert_eq!(got, want, "block {blk}");
        }
        let mut e = Philox::new(5, 6);
        e.seek_block(u64::MAX);
        let c = [u32::MAX, u32::MAX, 6, 0];
        let want = philox4x32_10(c, [5, 0]);
        assert_eq!(core::array::from_fn(|_| e.next_u32()), want);
        let c = [0, 0, 6, 0];
        assert_eq!(
            e.next_u32(),
            philox4x32_10(c, [5, 0])[0],
            "the counter wraps"
        );
        let mut bytes = [0u8; 6];
        Philox::new(1, 2).fill_bytes(&mut bytes);
        assert_eq!(&bytes[..4], &first[0].to_le_bytes());
    }
}
