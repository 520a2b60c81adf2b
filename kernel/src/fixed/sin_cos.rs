//! Sine and cosine of [`Fx`] together; error <= 1 lsb for `F <= 26` (measured 0.51 lsb on
//! [`Q26`](super::Q26)), independent of the argument over the whole range `[-2^(31-F), 2^(31-F))`.
//!
//! Range reduction in 64-bit `Q(30+F)`: `x = k pi/2 + r`, `|r| <= pi/4`, with `pi/2` to 62
//! bits; then odd and even Taylor polynomials (to `r^11` and `r^12`, truncation < 1e-11) by
//! Horner in 64-bit Q30, and the quadrant `k mod 4` picks signs and order. Integer only, so the
//! result is identical on every target.

use super::{Fx, INV_FACT_Q30};

/// Largest error of either result against the exact value, in lsb of [`super::Q26`].
pub const MAX_ERROR_LSB: f64 = 1.0;

/// `(x, sin x, cos x)` checked to [`MAX_ERROR_LSB`] (in [`super::Q26`]).
pub const TEST_VECTORS: &[(f64, f64, f64)] = &[
    (0.0, 0.0, 1.0),
    (0.5, 0.479_425_538_604_203, 0.877_582_561_890_372_8),
    (-0.5, -0.479_425_538_604_203, 0.877_582_561_890_372_8),
    (
        core::f64::consts::FRAC_PI_4,
        core::f64::consts::FRAC_1_SQRT_2,
        core::f64::consts::FRAC_1_SQRT_2,
    ),
    (1.0, 0.841_470_984_807_896_5, 0.540_302_305_868_139_8),
    (core::f64::consts::FRAC_PI_2, 1.0, 0.0),
    (3.0, 0.141_120_008_059_867_2, -0.989_992_496_600_445_4),
    (-3.0, -0.141_120_008_059_867_2, -0.989_992_496_600_445_4),
    (10.0, -0.544_021_110_889_369_8, -0.839_071_529_076_452_4),
    (31.5, 0.083_974_455_691_746_83, 0.996_467_907_557_124_9),
    (-31.9, -0.465_388_476_354_955_45, 0.885_106_528_094_789_8),
];

/// pi/2 * 2^62, rounded.
const HALF_PI_Q62: i64 = 7_244_019_458_077_122_842;

/// Q30 product, rounded.
#[inline(always)]
fn mul30(a: i64, b: i64) -> i64 {
    (a * b + (1 << 29)) >> 30
}

/// Q30 to `Fx<F>` bits, rounded.
#[inline(always)]
fn to_fx<const F: u32>(v: i64) -> Fx<F> {
    let s = 30 - F;
    if s == 0 {
        Fx::from_bits(v as i32)
    } else {
        Fx::from_bits(((v + (1 << (s - 1))) >> s) as i32)
    }
}

/// `(sin x, cos x)`.
///
/// ```
/// use larmor::{fixed::Q26, Real};
/// let (s, c) = Q26::from_f64(0.5).sin_cos();
/// assert!((s.to_f64() - 0.5f64.sin()).abs() < 2e-8);
/// assert!((c.to_f64() - 0.5f64.cos()).abs() < 2e-8);
/// ```
pub fn sin_cos<const F: u32>(x: Fx<F>) -> (Fx<F>, Fx<F>) {
    // x in Q(30+F): |x| < 2^61.
    let xw = i64::from(x.to_bits()) << 30;
    let hp = HALF_PI_Q62 >> (32 - F);
    let k = (xw + hp / 2).div_euclid(hp);
    let r = xw - k * hp; // |r| <= pi/4 (+ 1 ulp)
    let r30 = (r + (1 << (F - 1))) >> F;
    let r2 = mul30(r30, r30);
    // Horner: sin = r (1 - r^2/3! (1 - ...)) written with signed coefficients.
    let mut s = 0i64;
    for n in [11usize, 9, 7, 5, 3] {
        let c = if (n / 2) % 2 == 1 {
            -INV_FACT_Q30[n]
        } else {
            INV_FACT_Q30[n]
        };
        s = mul30(s + c, r2);
    }
    let sin = r30 + mul30(s, r30);
    let mut c = 0i64;
    for n in [12usize, 10, 8, 6, 4, 2] {
        let k = if (n / 2) % 2 == 1 {
            -INV_FACT_Q30[n]
        } else {
            INV_FACT_Q30[n]
        };
        c = mul30(c + k, r2);
    }
    let cos = (1 << 30) + c;
    let (s, c) = match k.rem_euclid(4) {
        0 => (sin, cos),
        1 => (cos, -sin),
        2 => (-sin, -cos),
        _ => (-cos, sin),
    };
    (to_fx(s), to_fx(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::Q26;
    use crate::Real;

    #[test]
    fn test_vectors() {
        for &(x, s, c) in TEST_VECTORS {
            let (gs, gc) = Q26::from_f64(x).sin_cos();
            // the vectors are for x itself; the input carries its own rounding (<= 0.5 lsb)
            let tol = (MAX_ERROR_LSB + 0.5) * Q26::LSB;
            assert!(
                (gs.to_f64() - s).abs() <= tol,
                "sin({x}) = {gs:?}, want {s}"
            );
            assert!(
                (gc.to_f64() - c).abs() <= tol,
                "cos({x}) = {gc:?}, want {c}"
            );
        }
    }

    #[test]
    fn max_error_over_the_range() {
        let mut worst = 0.0f64;
        let mut bits = i32::MIN;
        loop {
            let x = Q26::from_bits(bits);
            let (s, c) = x.sin_cos();
            let xv = x.to_f64();
            worst = worst
                .max((s.to_f64() - libm::sin(xv)).abs())
                .max((c.to_f64() - libm::cos(xv)).abs());
            match bits.checked_add(40_009) {
                Some(b) => bits = b,
                None => break,
            }
        }
        let worst = worst / Q26::LSB;
        assert!(worst <= MAX_ERROR_LSB, "worst {worst} lsb");
        // other formats: within a few lsb
        for f in [0.1f64, -2.0, 1.9] {
            let (s, c) = crate::fixed::Fx::<30>::from_f64(f).sin_cos();
            assert!((s.to_f64() - libm::sin(f)).abs() < 8e-9);
            assert!((c.to_f64() - libm::cos(f)).abs() < 8e-9);
        }
    }
}
