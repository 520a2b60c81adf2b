//! The kernel's one uniform convention.
//!
//! A uniform variate is a point of the lattice `2^-p` built from the **top** `p` bits of one
//! random word: `p = 53` from one `next_u64` for f64, `p = 24` from one `next_u32` for f32.
//! With `k` those bits (`0 <= k < 2^p`), the variate is
//!
//! `u = (k + 1) 2^-p`, in the half-open interval **(0, 1]**,
//!
//! exact (every lattice point is representable), never 0, so `ln u` is always finite
//! (exponential waiting times, Gaussian tails), and `P(u <= x) = x` for every lattice point `x`
//! (so `u <= p` accepts with probability `p`, exactly at `p = 0` and `p = 1`). The top bits are
//! used because they are the best bits of any generator; for Philox all bits are equally good.
//!
//! The ziggurat of [`super::normal`] reads the same bits as the lattice point below,
//! `k 2^-p = u - 2^-p` in `[0, 1)` (its signed abscissa `2 k 2^-p - 1` lies in `[-1, 1)`); that
//! form is internal to the normal sampler and is not a second convention.

use rand_core::Rng;

/// `2^-53`, the f64 lattice spacing.
const STEP_F64: f64 = 1.0 / 9_007_199_254_740_992.0;
/// `2^-24`, the f32 lattice spacing.
const STEP_F32: f32 = 1.0 / 16_777_216.0;

/// The uniform variate `(k + 1) 2^-53` in (0, 1] of the top 53 bits `k` of `bits`.
///
/// ```
/// use larmor::random::uniform_f64_from_bits;
/// assert_eq!(uniform_f64_from_bits(0), 1.0 / 9_007_199_254_740_992.0); // never 0
/// assert_eq!(uniform_f64_from_bits(u64::MAX), 1.0);
/// ```
#[inline(always)]
pub fn uniform_f64_from_bits(bits: u64) -> f64 {
    ((bits >> 11) + 1) as f64 * STEP_F64
}

/// The uniform variate `(k + 1) 2^-24` in (0, 1] of the top 24 bits `k` of `bits`.
///
/// ```
/// use larmor::random::uniform_f32_from_bits;
/// assert_eq!(uniform_f32_from_bits(0), 1.0 / 16_777_216.0);
/// assert_eq!(uniform_f32_from_bits(u32::MAX), 1.0);
/// ```
#[inline(always)]
pub fn uniform_f32_from_bits(bits: u32) -> f32 {
    ((bits >> 8) + 1) as f32 * STEP_F32
}

/// One uniform f64 in (0, 1] from one `next_u64` (see the [module](self) convention).
///
/// ```
/// let mut rng = larmor::random::Philox::new(1, 0);
/// let u = larmor::random::uniform_f64(&mut rng);
/// assert!(u > 0.0 && u <= 1.0);
/// ```
#[inline(always)]
pub fn uniform_f64<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    uniform_f64_from_bits(rng.next_u64())
}

/// One uniform f32 in (0, 1] from one `next_u32` (see the [module](self) convention).
///
/// ```
/// let mut rng = larmor::random::Philox::new(1, 0);
/// let u = larmor::random::uniform_f32(&mut rng);
/// assert!(u > 0.0 && u <= 1.0);
/// ```
#[inline(always)]
pub fn uniform_f32<R: Rng + ?Sized>(rng: &mut R) -> f32 {
    uniform_f32_from_bits(rng.next_u32())
}

/// The lattice point below the uniform, `k 2^-53 = u - 2^-53` in [0, 1): the ziggurat's form.
#[inline(always)]
pub(crate) fn lattice_f64(bits: u64) -> f64 {
    (bits >> 11) as f64 * STEP_F64
}

/// The lattice point below the uniform, `k 2^-24 = u - 2^-24` in [0, 1): the ziggurat's form.
#[inline(always)]
pub(crate) fn lattice_f32(bits: u32) -> f32 {
    (bits >> 8) as f32 * STEP_F32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_of_the_interval() {
        assert_eq!(uniform_f64_from_bits(0), STEP_F64);
        assert_eq!(uniform_f64_from_bits(u64::MAX), 1.0);
        assert_eq!(uniform_f32_from_bits(0), STEP_F32);
        assert_eq!(uniform_f32_from_bits(u32::MAX), 1.0);
        assert_eq!(lattice_f64(0), 0.0);
        assert!(lattice_f64(u64::MAX) < 1.0);
        assert_eq!(lattice_f32(0), 0.0);
        assert!(lattice_f32(u32::MAX) < 1.0);
    }

    #[test]
    fn the_lattice_is_the_uniform_minus_one_step() {
        // exact: both are lattice points, so the subtraction does not round
        for bits in [0u64, 1 << 11, 12_345_678_901_234_567, u64::MAX] {
            assert_eq!(lattice_f64(bits), uniform_f64_from_bits(bits) - STEP_F64);
        }
        for bits in [0u32, 1 << 8, 0x8765_4321, u32::MAX] {
            assert_eq!(lattice_f32(bits), uniform_f32_from_bits(bits) - STEP_F32);
        }
    }
}
