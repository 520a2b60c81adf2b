//! Exponential of [`Fx`]; error <= 1 lsb + 2e-9 relative for `F <= 26` (measured on
//! [`Q26`](super::Q26)); saturates to [`Fx::MAX`] above `(31 - F) ln 2` and rounds to 0 below
//! `-(F + 1) ln 2`.
//!
//! `x = k ln 2 + r` with `|r| <= ln2 / 2` (reduction in 64-bit `Q(30+F)`, `ln 2` to 62 bits), a
//! Taylor polynomial to `r^9` (truncation < 1e-11) by Horner in 64-bit Q30, then a shift by `k`
//! with rounding. Integer only, identical on every target.

use super::{saturate, Fx, INV_FACT_Q30};

/// Largest error against the exact value, in lsb of [`super::Q26`], plus [`MAX_REL_ERROR`].
pub const MAX_ERROR_LSB: f64 = 1.0;
/// Relative part of the error bound (from the Q30 polynomial).
pub const MAX_REL_ERROR: f64 = 2e-9;

/// `(x, exp x)` checked to the bound (in [`super::Q26`]).
pub const TEST_VECTORS: &[(f64, f64)] = &[
    (0.0, 1.0),
    (1.0, core::f64::consts::E),
    (-1.0, 0.367_879_441_171_442_33),
    (0.5, 1.648_721_270_700_128_2),
    (-0.001, 0.999_000_499_833_375),
    (3.4, 29.964_100_047_397_01),
    (-10.0, 4.539_992_976_248_485e-5),
    (-17.0, 4.139_937_718_785_167e-8),
    (-20.0, 2.061_153_622_438_558e-9),
    (core::f64::consts::LN_2, 2.0),
];

/// ln 2 * 2^62, rounded.
const LN2_Q62: i64 = 3_196_577_161_300_663_915;

/// `exp(x)`.
///
/// ```
/// use larmor::{fixed::Q26, Real};
/// assert!((Q26::from_f64(1.0).exp().to_f64() - core::f64::consts::E).abs() < 1e-7);
/// assert_eq!(Q26::from_f64(10.0).exp(), Q26::MAX);
/// ```
pub fn exp<const F: u32>(x: Fx<F>) -> Fx<F> {
    let xw = i64::from(x.to_bits()) << 30; // Q(30+F)
    let ln2 = LN2_Q62 >> (32 - F);
    let k = (xw + ln2 / 2).div_euclid(ln2);
    if k > i64::from(31 - F) {
        return Fx::MAX;
    }
    if k < -i64::from(F) - 2 {
        return Fx::from_bits(0);
    }
    let r = xw - k * ln2;
    let r30 = (r + (1 << (F - 1))) >> F;
    let mut p = INV_FACT_Q30[9];
    for n in (0..9).rev() {
        p = ((p * r30 + (1 << 29)) >> 30) + INV_FACT_Q30[n];
    }
    // p in Q30, value in [0.70, 1.42]; result bits = p * 2^(k + F - 30).
    let shift = k + i64::from(F) - 30;
    let mag = if shift >= 0 {
        (p as u64) << shift
    } else {
        let s = (-shift) as u32;
        ((p as u64) + (1u64 << (s - 1))) >> s
    };
    Fx::from_bits(saturate(false, mag))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::Q26;
    use crate::Real;

    fn bound(y: f64) -> f64 {
        MAX_ERROR_LSB * Q26::LSB + MAX_REL_ERROR * y.abs()
    }

    #[test]
    fn test_vectors() {
        for &(x, want) in TEST_VECTORS {
            let xq = Q26::from_f64(x);
            let got = xq.exp().to_f64();
            let exact = libm::exp(xq.to_f64());
            assert!(
                (got - exact).abs() <= bound(exact),
                "exp({x}) = {got}, exact {exact}"
            );
            // and against the vector for x itself (input rounding: 0.5 lsb * exp(x))
            assert!(
                (got - want).abs() <= bound(want) + 0.5 * Q26::LSB * want,
                "exp({x})"
            );
        }
    }

    #[test]
    fn max_error_over_the_range() {
        let mut worst = 0.0f64;
        let mut bits = -(30 << 26);
        // up to ln(32 - lsb), where the result saturates
        let top = (libm::log(32.0 - Q26::LSB) * 67_108_864.0) as i32;
        while bits <= top {
            let x = Q26::from_bits(bits);
            let exact = libm::exp(x.to_f64());
            let got = x.exp().to_f64();
            worst = worst.max((got - exact).abs() / bound(exact));
            bits += 9_973;
        }
        assert!(worst <= 1.0, "worst {worst} of the bound");
        assert_eq!(Q26::from_f64(3.5).exp(), Q26::MAX);
        assert_eq!(Q26::from_bits(top + 100).exp(), Q26::MAX);
        assert_eq!(Q26::from_f64(-32.0).exp(), Q26::ZERO);
        let e = crate::fixed::Fx::<30>::from_f64(0.3).exp().to_f64();
        assert!((e - libm::exp(0.3)).abs() < 8e-9);
    }
}
