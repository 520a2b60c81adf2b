//! Fixed-point scalar for cores without an FPU (Cortex-M0/M0+, RISC-V without F): [`Fx<F>`], a
//! signed 32-bit two's-complement number with `F` fraction bits, and the kernel's standard
//! format [`Q26`] (`F = 26`, the `fixed` crate's `I6F26`: range `[-32, 32)`, resolution
//! `2^-26 = 1.49e-8`).
//!
//! # Why this format
//! In reduced units (see [`crate::units`]) a macrospin has `|m| = 1`, fields `|h|` of order one
//! (`|h| < 4` for practical magnets: `h = H/Ms`), torques `|dm/dtau| <= |h|`, and the largest
//! intermediate of the steppers is RK4's `k1 + 2 k2 + 2 k3 + k4`, bounded by `6 |h| < 24`. Five
//! integer bits cover that; the other 26 bits go to resolution, which is what a long run needs.
//! A 16-bit fraction (`I16F16`, lsb 1.5e-5) is fast but an RK4 increment `dt |dm/dtau|` at
//! `dt ~ 0.02` carries only ~4 significant digits and the run drifts; `I32F32` (64-bit) is
//! accurate but slower than soft-float on a Cortex-M0.
//!
//! # Arithmetic (all integer, deterministic: identical bits on every target)
//! - `+`, `-`, unary `-`: wrapping two's-complement (one instruction). **Range contract**: the
//!   kernel's values must stay inside `[-32, 32)`; the macrospin models do when `|h| < 5`.
//!   Out-of-range results wrap instead of panicking (never a panic in the kernel; `fixed`'s own
//!   operators would panic in debug builds, which is why they are not used).
//! - `*`: **round to nearest** (ties up) of the exact 64-bit product, computed from four
//!   16x16-bit partial products with 32-bit registers only ([`Fx::mul_round`], ~20 Thumb-1
//!   instructions, no `__aeabi_lmul` call); bit-identical to
//!   `((a as i64 * b as i64 + 2^(F-1)) >> F)` whenever the result is in range.
//!   Truncating products (what `fixed` and most Q-format code do) are biased by half an lsb per
//!   operation and make long runs drift: that, more than the lsb, sank `I16F16`.
//! - `/`: round to nearest of the exact quotient (64-bit division, slow: set-up code only);
//!   division by zero saturates to the signed extreme (0/0 gives 0).
//! - [`Real::recip`] and [`Real::rsqrt`] near 1 (the hot loop's `|m|^2 ~ 1` and `1 + |a|^2`) use
//!   a first-order guess plus Newton steps with multiplications only; far from 1 they fall back
//!   to division. Both are within 2 lsb.
//! - [`Real::sqrt`]: correctly rounded integer square root; negative input gives 0.
//! - [`Real::sin_cos`], [`Real::exp`]: range reduction plus polynomials in 64-bit Q30
//!   ([`sin_cos`](mod@sin_cos), [`exp`](mod@exp)); errors and test vectors next to the code.
//! - [`Real::from_f64`] rounds to nearest and saturates (NaN gives 0); [`Real::to_f64`] is exact.
//!
//! The `fixed` crate (1.x) is the conversion layer: [`Q26`] converts bit-exactly to and from
//! `fixed::types::I6F26` (and `Fx<24>`, `Fx<28>`, `Fx<30>` to `I8F24`, `I4F28`, `I2F30`), so
//! values can be handed to code written against `fixed`. Its operator implementations are not
//! used: they truncate and they panic on overflow in debug builds.
//!
//! ```
//! use larmor::{fixed::Q26, Real};
//! let x = Q26::from_f64(0.6);
//! let y = x * x + Q26::from_f64(0.64);
//! assert!((y.to_f64() - 1.0).abs() <= Q26::LSB);
//! assert_eq!(Q26::from_f64(2.0).sqrt(), Q26::from_f64(core::f64::consts::SQRT_2));
//! ```

pub mod exp;
pub mod sin_cos;
pub mod sqrt;

use core::fmt;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::real::Real;

/// `1/n! * 2^30`, rounded, `n = 0..=12`: the Taylor coefficients of [`exp`] (to `n = 9`) and
/// [`sin_cos`] (`n = 2..=12`).
pub(crate) const INV_FACT_Q30: [i64; 13] = [
    1 << 30,
    1 << 30,
    536_870_912,
    178_956_971,
    44_739_243,
    8_947_849,
    1_491_308,
    213_044,
    26_631,
    2_959,
    296,
    27,
    2,
];

/// Signed fixed-point number: `i32` bits with `F` fraction bits (`17 <= F <= 30`), value
/// `bits / 2^F`. See the [module documentation](self) for the arithmetic and its range contract.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Fx<const F: u32>(i32);

/// The kernel's standard fixed-point format: I6F26 (5 integer bits + sign, 26 fraction bits),
/// range `[-32, 32)`, resolution `2^-26 = 1.49e-8`.
pub type Q26 = Fx<26>;

impl<const F: u32> Fx<F> {
    /// Compile-time check of the format (evaluated by every constant below).
    const VALID: () = assert!(F >= 17 && F <= 30, "Fx<F> needs 17 <= F <= 30");
    const ONE_BITS: i32 = {
        let () = Self::VALID;
        1 << F
    };
    /// Resolution (value of one lsb), `2^-F`.
    pub const LSB: f64 = 1.0 / Self::ONE_BITS as f64;
    /// Largest value, `2^(31-F) - 2^-F`.
    pub const MAX: Self = Self(i32::MAX);
    /// Smallest value, `-2^(31-F)`.
    pub const MIN: Self = Self(i32::MIN);

    /// The number whose raw two's-complement bits are `bits` (value `bits / 2^F`).
    #[inline(always)]
    pub const fn from_bits(bits: i32) -> Self {
        Self(bits)
    }
    /// Raw bits (value times `2^F`).
    #[inline(always)]
    pub const fn to_bits(self) -> i32 {
        self.0
    }

    /// Product rounded to nearest (ties toward +infinity), with 32-bit operations only.
    ///
    /// Splits each operand into a signed high and a *signed* low half (`a = ah 2^16 + al`,
    /// `al` in `[-2^15, 2^15)`), so that every partial product and the middle sum fit in `i32`:
    /// `a b = hh 2^32 + (ah bl + al bh) 2^16 + al bl`. Then
    /// `round(a b / 2^F) = hh 2^(32-F) + floor((mid + floor(ll / 2^16) + 2^(F-17)) / 2^(F-16))`,
    /// exact by `floor((n + y)/k) = floor((n + floor(y))/k)` for integers `n`, `k`. Equal to the
    /// 64-bit reference whenever the result is representable (checked in the tests on edge
    /// cases and random operands); wraps otherwise.
    ///
    /// ```
    /// use larmor::fixed::Q26;
    /// let (a, b) = (Q26::from_bits(-123_456_789), Q26::from_bits(98_765_432));
    /// let exact = ((-123_456_789i64 * 98_765_432 + (1 << 25)) >> 26) as i32;
    /// assert_eq!(a.mul_round(b).to_bits(), exact);
    /// ```
    #[inline(always)]
    pub const fn mul_round(self, rhs: Self) -> Self {
        let (a, b) = (self.0, rhs.0);
        let al = a as i16 as i32;
        // round(a / 2^16): the high half that goes with the signed low half (no overflow).
        let ah = ((a >> 15) + 1) >> 1;
        let bl = b as i16 as i32;
        let bh = ((b >> 15) + 1) >> 1;
        let ll = al * bl; // |.| <= 2^30
        let mid = (ah * bl).wrapping_add(al * bh); // each |.| <= 2^30
        let hh = ah.wrapping_mul(bh);
        let s = mid.wrapping_add(ll >> 16).wrapping_add(1 << (F - 17));
        Self(hh.wrapping_shl(32 - F).wrapping_add(s >> (F - 16)))
    }

    /// Quotient rounded to nearest (ties away from zero) of the exact 64-bit division;
    /// saturates on overflow and on division by zero (`0 / 0 = 0`). Slow on a Cortex-M0
    /// (`__aeabi_uldivmod`): keep it out of hot loops.
    #[inline]
    pub fn div_round(self, rhs: Self) -> Self {
        let (a, b) = (self.0, rhs.0);
        if b == 0 {
            return Self(match a {
                0 => 0,
                a if a > 0 => i32::MAX,
                _ => i32::MIN,
            });
        }
        let n = (i64::from(a).unsigned_abs()) << F;
        let d = i64::from(b).unsigned_abs();
        let q = (n + d / 2) / d;
        Self(saturate((a < 0) != (b < 0), q))
    }

    /// The value as `f32` (rounded to nearest).
    #[inline]
    pub fn to_f32(self) -> f32 {
        self.0 as f32 * (Self::LSB as f32)
    }
}

/// `+-magnitude` clamped to `i32`.
#[inline]
pub(crate) fn saturate(neg: bool, magnitude: u64) -> i32 {
    if neg {
        if magnitude >= 1 << 31 {
            i32::MIN
        } else {
            -(magnitude as i32)
        }
    } else if magnitude > i32::MAX as u64 {
        i32::MAX
    } else {
        magnitude as i32
    }
}

impl<const F: u32> Add for Fx<F> {
    type Output = Self;
    #[inline(always)]
    fn add(self, rhs: Self) -> Self {
        Self(self.0.wrapping_add(rhs.0))
    }
}
impl<const F: u32> Sub for Fx<F> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, rhs: Self) -> Self {
        Self(self.0.wrapping_sub(rhs.0))
    }
}
impl<const F: u32> Neg for Fx<F> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Self(self.0.wrapping_neg())
    }
}
impl<const F: u32> Mul for Fx<F> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, rhs: Self) -> Self {
        self.mul_round(rhs)
    }
}
impl<const F: u32> Div for Fx<F> {
    type Output = Self;
    #[inline]
    fn div(self, rhs: Self) -> Self {
        self.div_round(rhs)
    }
}
impl<const F: u32> AddAssign for Fx<F> {
    #[inline(always)]
    fn add_assign(&mut self, rhs: Self) {
        *self = *self + rhs;
    }
}
impl<const F: u32> SubAssign for Fx<F> {
    #[inline(always)]
    fn sub_assign(&mut self, rhs: Self) {
        *self = *self - rhs;
    }
}
impl<const F: u32> MulAssign for Fx<F> {
    #[inline(always)]
    fn mul_assign(&mut self, rhs: Self) {
        *self = *self * rhs;
    }
}
impl<const F: u32> DivAssign for Fx<F> {
    #[inline]
    fn div_assign(&mut self, rhs: Self) {
        *self = *self / rhs;
    }
}

impl<const F: u32> fmt::Debug for Fx<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_f64())
    }
}
impl<const F: u32> fmt::Display for Fx<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_f64(), f)
    }
}

#[cfg(feature = "defmt")]
impl<const F: u32> defmt::Format for Fx<F> {
    fn format(&self, f: defmt::Formatter) {
        defmt::write!(f, "{=f32}", self.to_f32())
    }
}

/// `|e| < 2^-(F/2 + 1)`: a first-order guess is already within half an lsb (`e^2 < 2^-(F+2)`).
#[inline(always)]
const fn tiny<const F: u32>(e: i32) -> bool {
    let lim = 1i32 << (F - F / 2 - 1);
    e > -lim && e < lim
}

/// `|e| < 1/16`: two Newton steps from the first-order guess reach full precision.
#[inline(always)]
const fn near<const F: u32>(e: i32) -> bool {
    let lim = 1i32 << (F - 4);
    e > -lim && e < lim
}

impl<const F: u32> Real for Fx<F> {
    const TINY: Self = Self(0);
    const SUBNORMALS: bool = false;
    const ZERO: Self = Self(0);
    const ONE: Self = Self(Self::ONE_BITS);
    const HALF: Self = Self(Self::ONE_BITS >> 1);
    const TWO: Self = Self(Self::ONE_BITS << 1);
    const NAME: &'static str = match F {
        24 => "I8F24",
        26 => "I6F26",
        28 => "I4F28",
        30 => "I2F30",
        _ => "fixed-point",
    };

    /// Nearest value (ties away from zero), saturating; NaN gives 0.
    #[inline]
    fn from_f64(x: f64) -> Self {
        // Scaling by a power of two is exact; `as` saturates and maps NaN to 0.
        Self(libm::round(x * Self::ONE_BITS as f64) as i32)
    }
    #[inline]
    fn to_f64(self) -> f64 {
        self.0 as f64 * Self::LSB
    }
    /// No subnormals in fixed point: nothing to flush.
    #[inline(always)]
    fn flush_tiny(self) -> Self {
        self
    }
    #[inline]
    fn mul_u32(self, k: u32) -> Self {
        let k = i32::try_from(k).unwrap_or(i32::MAX);
        Self(self.0.saturating_mul(k))
    }
    /// Correctly rounded square root; negative input gives 0.
    #[inline]
    fn sqrt(self) -> Self {
        sqrt::sqrt(self)
    }
    #[inline]
    fn sin_cos(self) -> (Self, Self) {
        sin_cos::sin_cos(self)
    }
    #[inline]
    fn exp(self) -> Self {
        exp::exp(self)
    }
    /// Always `true`: fixed-point has no NaN or infinity.
    #[inline(always)]
    fn is_finite(self) -> bool {
        true
    }
    /// `1 / self` within 2 lsb; multiplications only when `|self - 1| < 1/16`.
    #[inline]
    fn recip(self) -> Self {
        let one = Self::ONE;
        let e = self.0.wrapping_sub(Self::ONE_BITS);
        // y0 = 1 - e: relative error e^2.
        let y0 = Self(Self::ONE_BITS.wrapping_sub(e));
        if tiny::<F>(e) {
            return y0;
        }
        if near::<F>(e) {
            // Newton for 1/x: y <- y (2 - x y), relative error squares: 2^-8 -> 2^-16 -> 2^-32.
            let y1 = y0 * (Self::TWO - self * y0);
            return y1 * (Self::TWO - self * y1);
        }
        one.div_round(self)
    }
    /// `1 / sqrt(self)` within 2 lsb; multiplications only when `|self - 1| < 1/16`, else one
    /// 128-bit division (slow); saturates; `0` and negative input give [`Fx::MAX`].
    #[inline]
    fn rsqrt(self) -> Self {
        let e = self.0.wrapping_sub(Self::ONE_BITS);
        // y0 = 1 - e/2 (rounded): relative error 3 e^2 / 8.
        let y0 = Self(Self::ONE_BITS.wrapping_sub((e + 1) >> 1));
        if tiny::<F>(e) {
            return y0;
        }
        if near::<F>(e) {
            // Newton for 1/sqrt(x): y <- y (3 - x y^2) / 2; error 1.5e-3 -> 3.4e-6 -> 1.7e-11.
            let three_halves = Self(Self::ONE_BITS + (Self::ONE_BITS >> 1));
            let y1 = y0 * (three_halves - Self::HALF * self * y0 * y0);
            return y1 * (three_halves - Self::HALF * self * y1 * y1);
        }
        if self.0 <= 0 {
            return Self::MAX;
        }
        // bits of 1/sqrt(b / 2^F) = sqrt(2^(3F) / b): one u128 division, then a rounded root.
        let q = (1u128 << (3 * F)) / (self.0 as u128);
        Self(saturate(false, sqrt::isqrt_round_u128(q) as u64))
    }
}

macro_rules! fixed_interop {
    ($($f:literal => $t:ident),*) => {$(
        impl From<::fixed::types::$t> for Fx<$f> {
            /// Bit-exact conversion from the `fixed` crate's type.
            #[inline(always)]
            fn from(x: ::fixed::types::$t) -> Self {
                Self(x.to_bits())
            }
        }
        impl From<Fx<$f>> for ::fixed::types::$t {
            /// Bit-exact conversion to the `fixed` crate's type.
            #[inline(always)]
            fn from(x: Fx<$f>) -> Self {
                Self::from_bits(x.0)
            }
        }
    )*};
}
fixed_interop!(24 => I8F24, 26 => I6F26, 28 => I4F28, 30 => I2F30);

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic xorshift stream for the randomised checks.
    pub(crate) struct Xs(pub u64);
    impl Xs {
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    fn reference_mul<const F: u32>(a: i32, b: i32) -> Option<i32> {
        let p = (i64::from(a) * i64::from(b) + (1i64 << (F - 1))) >> F;
        i32::try_from(p).ok()
    }

    fn check_mul<const F: u32>() {
        let edges = [
            0,
            1,
            -1,
            2,
            0x7fff,
            0x8000,
            -0x8000,
            0xffff,
            0x1_0000,
            -0x1_0000,
            0x7fff_ffff,
            -0x8000_0000,
            0x7fff_8000,
            -0x7fff_8000,
            1 << F,
            -(1 << F),
            (1 << F) + 1,
            (1 << F) - 1,
            0x3fff_ffff,
            -0x4000_0000,
        ];
        let mut checked = 0;
        for &a in &edges {
            for &b in &edges {
                if let Some(r) = reference_mul::<F>(a, b) {
                    assert_eq!(Fx::<F>(a).mul_round(Fx(b)).0, r, "{a} * {b} (F = {F})");
                    checked += 1;
                }
            }
        }
        let mut rng = Xs(0x9e37_79b9_7f4a_7c15);
        for i in 0..400_000 {
            // vary magnitudes: full range, |x| < 2^(F+2), |x| < 2^16
            let shift = [0, 29 - F.min(29), 15][i % 3];
            let a = (rng.next() as i32) >> shift;
            let b = (rng.next() as i32) >> (shift / 2);
            if let Some(r) = reference_mul::<F>(a, b) {
                assert_eq!(Fx::<F>(a).mul_round(Fx(b)).0, r, "{a} * {b} (F = {F})");
                checked += 1;
            }
        }
        assert!(checked > 100_000);
    }

    #[test]
    fn mul_matches_64_bit_reference() {
        check_mul::<17>();
        check_mul::<24>();
        check_mul::<26>();
        check_mul::<28>();
        check_mul::<30>();
    }

    #[test]
    fn div_rounds_and_saturates() {
        let q = |x: f64| Q26::from_f64(x);
        assert_eq!(q(1.0) / q(3.0), q(1.0 / 3.0));
        assert_eq!(q(-7.5) / q(2.5), q(-3.0));
        assert_eq!(q(1.0) / Q26::ZERO, Q26::MAX);
        assert_eq!(q(-1.0) / Q26::ZERO, Q26::MIN);
        assert_eq!(Q26::ZERO / Q26::ZERO, Q26::ZERO);
        assert_eq!(q(30.0) / q(0.5), Q26::MAX);
        assert_eq!(q(-30.0) / q(0.5), Q26::MIN);
        let mut rng = Xs(12345);
        for _ in 0..100_000 {
            let a = rng.next() as i32;
            let b = (rng.next() as i32) >> (rng.next() % 24);
            if b == 0 {
                continue;
            }
            let exact = (f64::from(a) * 67_108_864.0) / f64::from(b);
            let got = Fx::<26>(a).div_round(Fx(b)).0;
            let clamped = exact.clamp(i32::MIN as f64, i32::MAX as f64);
            assert!((f64::from(got) - clamped).abs() <= 0.5 + 1e-6, "{a} / {b}");
        }
    }

    #[test]
    fn conversions() {
        assert_eq!(Q26::from_f64(1.0), Q26::ONE);
        assert_eq!(Q26::from_f64(0.5), Q26::HALF);
        assert_eq!(Q26::from_f64(f64::NAN), Q26::ZERO);
        assert_eq!(Q26::from_f64(1e9), Q26::MAX);
        assert_eq!(Q26::from_f64(f64::NEG_INFINITY), Q26::MIN);
        assert_eq!(Q26::from_f64(-32.0), Q26::MIN);
        assert_eq!(Q26::from_f64(1.4e-8).to_bits(), 1);
        assert_eq!(Q26::MAX.to_f64(), 32.0 - Q26::LSB);
        assert_eq!(Q26::NAME, "I6F26");
        assert_eq!(Fx::<24>::NAME, "I8F24");
        let f = ::fixed::types::I6F26::from_num(0.75);
        assert_eq!(Q26::from(f), Q26::from_f64(0.75));
        assert_eq!(::fixed::types::I6F26::from(Q26::from_f64(-2.5)), -2.5);
        assert!(Q26::MAX.is_finite());
        assert_eq!(Q26::from_f64(-3.0).abs(), Q26::from_f64(3.0));
        assert_eq!(Real::max(Q26::ONE, Q26::TWO), Q26::TWO);
    }

    fn lsb_err(got: Q26, want: f64) -> f64 {
        (got.to_f64() - want).abs() / Q26::LSB
    }

    #[test]
    fn recip_and_rsqrt_within_two_lsb() {
        let mut worst = (0.0f64, 0.0f64);
        // dense near 1 (hot path), then a wide sweep (division path)
        let mut xs: heapless::Vec<f64, 8192> = heapless::Vec::new();
        for i in 0..4000 {
            let _ = xs.push(1.0 + (i as f64 - 2000.0) * 4e-5);
        }
        for i in 1..4000 {
            let _ = xs.push(i as f64 * 7.9e-3);
        }
        for &x in &xs {
            let q = Q26::from_f64(x);
            let xv = q.to_f64();
            let max = Q26::MAX.to_f64();
            worst.0 = worst.0.max(lsb_err(q.recip(), (1.0 / xv).min(max)));
            worst.1 = worst
                .1
                .max(lsb_err(q.rsqrt(), (1.0 / libm::sqrt(xv)).min(max)));
        }
        assert!(worst.0 <= 2.0 && worst.1 <= 2.0, "worst (lsb) {worst:?}");
        assert_eq!(Q26::ZERO.rsqrt(), Q26::MAX);
        assert_eq!(Q26::from_f64(-1.0).rsqrt(), Q26::MAX);
        assert_eq!(Q26::ZERO.recip(), Q26::MAX);
    }
}
