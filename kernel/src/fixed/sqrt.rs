//! Square root of [`Fx`], correctly rounded (error <= 1/2 lsb); negative input gives 0.
//!
//! Bit-by-bit integer square root of `bits << F` in `u64` (32 iterations of shifts and
//! subtractions: a few hundred instructions on a Cortex-M0, so not for hot loops; the kernel's
//! normalisation uses [`Real::rsqrt`](crate::Real::rsqrt) instead).

use super::Fx;

/// Largest error against the exact square root, in units of the result's lsb.
pub const MAX_ERROR_LSB: f64 = 0.5;

/// `(x, sqrt(x))` pairs checked to [`MAX_ERROR_LSB`] (in [`super::Q26`]).
pub const TEST_VECTORS: &[(f64, f64)] = &[
    (0.0, 0.0),
    (1.0, 1.0),
    (4.0, 2.0),
    (2.0, core::f64::consts::SQRT_2),
    (0.5, core::f64::consts::FRAC_1_SQRT_2),
    (0.25, 0.5),
    (1.0 / 1024.0, 1.0 / 32.0),
    (31.999_999_98, 5.656_854_247_5),
    (1.000_001, 1.000_000_5),
    (0.999_999, 0.999_999_5),
];

macro_rules! isqrt {
    ($(#[$doc:meta] $name:ident, $t:ty;)*) => {$(
        #[$doc]
        #[inline]
        pub(crate) fn $name(n: $t) -> $t {
            let mut rem = n;
            let mut root: $t = 0;
            let mut bit: $t = 1 << (<$t>::BITS - 2);
            while bit > n {
                bit >>= 2;
            }
            while bit != 0 {
                if rem >= root + bit {
                    rem -= root + bit;
                    root = (root >> 1) + bit;
                } else {
                    root >>= 1;
                }
                bit >>= 2;
            }
            // root = floor(sqrt(n)), rem = n - root^2; round up iff n >= root^2 + root + 1/4.
            if rem > root {
                root + 1
            } else {
                root
            }
        }
    )*};
}
isqrt! {
    /// `floor(sqrt(n) + 1/2)`.
    isqrt_round, u64;
    /// `floor(sqrt(n) + 1/2)` (slow: 64 iterations on 128-bit values).
    isqrt_round_u128, u128;
}

/// Square root, correctly rounded; negative input gives 0.
///
/// ```
/// use larmor::{fixed::Q26, Real};
/// assert_eq!(Q26::from_f64(6.25).sqrt(), Q26::from_f64(2.5));
/// assert_eq!(Q26::from_f64(-1.0).sqrt(), Q26::ZERO);
/// ```
#[inline]
pub fn sqrt<const F: u32>(x: Fx<F>) -> Fx<F> {
    let bits = x.to_bits();
    if bits <= 0 {
        return Fx::from_bits(0);
    }
    // sqrt(bits / 2^F) * 2^F = sqrt(bits * 2^F); bits * 2^F < 2^61, root < 2^31.
    Fx::from_bits(isqrt_round((bits as u64) << F) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::Q26;
    use crate::Real;

    #[test]
    fn test_vectors() {
        for &(x, want) in TEST_VECTORS {
            let got = Q26::from_f64(x).sqrt().to_f64();
            let exact = libm::sqrt(Q26::from_f64(x).to_f64());
            assert!((got - exact).abs() <= MAX_ERROR_LSB * Q26::LSB, "sqrt({x})");
            assert!(
                (got - want).abs() <= 2.0 * Q26::LSB,
                "sqrt({x}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn correctly_rounded_sweep() {
        let mut bits = 1i64;
        while bits < i64::from(i32::MAX) {
            for b in [bits, bits + 1, bits * 3 / 2] {
                let b = b.min(i64::from(i32::MAX)) as i32;
                let x = Q26::from_bits(b);
                let got = x.sqrt().to_f64();
                let exact = libm::sqrt(x.to_f64());
                assert!(
                    (got - exact).abs() <= 0.5 * Q26::LSB + 1e-15,
                    "sqrt bits {b}"
                );
            }
            bits = bits + bits / 7 + 1;
        }
        assert_eq!(isqrt_round(u64::MAX >> 2), 1 << 31);
        assert_eq!(isqrt_round(0), 0);
        assert_eq!(isqrt_round(2), 1);
        assert_eq!(isqrt_round(3), 2);
    }
}
