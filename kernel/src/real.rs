//! The scalar trait: just what the kernel's hot loops need, so that fixed-point types implement
//! it completely, with no unimplemented methods (no `ln`, `powf` or `atan2` here: those live in
//! f64 set-up code).

use core::fmt::Debug;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::math;

/// A real scalar: `f32`, `f64`, or a fixed-point type (firmware).
///
/// Conversions from `f64` happen once, when a model is compiled; the hot loop only uses the
/// arithmetic operators and the few functions below.
pub trait Real:
    Copy
    + Debug
    + Default
    + PartialEq
    + PartialOrd
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// 1/2.
    const HALF: Self;
    /// 2.
    const TWO: Self;
    /// Human-readable name of the scalar type (`"f32"`, `"f64"`, `"I2F30"`, ...).
    const NAME: &'static str;

    /// Nearest representable value of `x` (fixed-point types saturate; NaN maps to 0 there).
    fn from_f64(x: f64) -> Self;
    /// The value as an `f64` (exact for every implemented type).
    fn to_f64(self) -> f64;
    /// `self * k` for an integer `k`, without an f64 on the way (floats: one rounding;
    /// fixed-point: exact, saturating): the integrator's local time `k dt`.
    fn mul_u32(self, k: u32) -> Self;
    /// Square root; negative input gives NaN for floats and 0 for fixed-point.
    fn sqrt(self) -> Self;
    /// Sine and cosine (radians).
    fn sin_cos(self) -> (Self, Self);
    /// Exponential.
    fn exp(self) -> Self;
    /// `false` for NaN and infinities (always `true` for fixed-point).
    fn is_finite(self) -> bool;

    /// Absolute value.
    #[inline(always)]
    fn abs(self) -> Self {
        if self < Self::ZERO {
            -self
        } else {
            self
        }
    }
    /// Reciprocal `1 / self`.
    #[inline(always)]
    fn recip(self) -> Self {
        Self::ONE / self
    }
    /// `1 / sqrt(self)`, for normalisation. Floats: exactly `self.sqrt().recip()` (same bits as
    /// before this method existed); fixed-point: Newton iteration with multiplications only.
    #[inline(always)]
    fn rsqrt(self) -> Self {
        self.sqrt().recip()
    }
    /// Larger of two values (`other` if either is NaN-incomparable).
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        if self > other {
            self
        } else {
            other
        }
    }
    /// Smaller of two values.
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        if self < other {
            self
        } else {
            other
        }
    }
    /// Zero when `|self|` is below [`Real::TINY`], else `self`: what the integrator does to
    /// every component of the state every [`crate::state::FLUSH_EVERY`] steps
    /// ([`crate::state::flush`]), so that a state settling towards an equilibrium never
    /// decays into subnormal numbers (each of which costs x86 about a hundred cycles per
    /// operation, and makes a settled run several times slower than a fresh one). Identity for
    /// fixed point, which has no subnormals.
    #[inline(always)]
    fn flush_tiny(self) -> Self {
        if self < Self::TINY && self > -Self::TINY {
            Self::ZERO
        } else {
            self
        }
    }
    /// The factor that puts a vector of squared length `self` back on the unit sphere after a
    /// step: one Newton step `(3 - n2) / 2` when `n2` is within 2^-10 of 1 (error
    /// O((n2 - 1)^2), below rounding after any step of an integrator), else `1 / sqrt(n2)`
    /// ([`Real::rsqrt`]), and 1 for a zero vector (which stays zero). What
    /// [`crate::Vec3::renormalized_from`] scales by; a lane scalar ([`crate::lanes::Lanes`])
    /// takes the branch lane by lane.
    #[inline(always)]
    fn unit_factor(self) -> Self {
        let e = self - Self::ONE;
        let tol = Self::from_f64(1.0 / 1024.0);
        if e < tol && e > -tol {
            Self::from_f64(1.5) - Self::HALF * self
        } else if self > Self::ZERO {
            self.rsqrt()
        } else {
            Self::ONE
        }
    }
    /// How many independent values the scalar carries: 1, or `L` for a lane scalar
    /// ([`crate::lanes::Lanes`], `L` trials of an ensemble in SIMD lanes).
    const LANES: usize = 1;
    /// Lane `i` as an `f64` (`i < LANES`; a plain scalar has only lane 0, which is
    /// [`Real::to_f64`]).
    #[inline(always)]
    fn lane(self, _i: usize) -> f64 {
        self.to_f64()
    }
    /// Below this magnitude a component of a dimensionless state is flushed to zero
    /// ([`Real::flush_tiny`]): far below rounding (a component of a unit vector below it changes
    /// the vector's direction by less than 10^-4 ulp), and large enough that products of up to
    /// three such components with O(10^-3) coefficients stay normal numbers. f32: 2^-36
    /// (1.5e-11); f64: 2^-240 (5.7e-73); fixed point: zero (no flushing).
    const TINY: Self;
    /// Whether the type has subnormal numbers, so that a settling state is flushed
    /// ([`crate::state::flush`]): true for the floats, false for fixed point, whose
    /// integrator runs then carry no flush schedule at all.
    const SUBNORMALS: bool = true;
}

macro_rules! float_real {
    ($t:ty, $tiny:expr, $sqrt:path, $sincos:path, $exp:path $(, $rsqrt:item)?) => {
        impl Real for $t {
            const TINY: Self = $tiny;
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const HALF: Self = 0.5;
            const TWO: Self = 2.0;
            const NAME: &'static str = stringify!($t);
            #[inline(always)]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn mul_u32(self, k: u32) -> Self {
                self * k as $t
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                $sqrt(self)
            }
            #[inline(always)]
            fn sin_cos(self) -> (Self, Self) {
                $sincos(self)
            }
            #[inline(always)]
            fn exp(self) -> Self {
                $exp(self)
            }
            #[inline(always)]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            $($rsqrt)*
        }
    };
}

float_real!(
    f64,
    5.659_799_424_266_695e-73,
    math::sqrt_f64,
    math::sin_cos_f64,
    math::exp_f64
);
float_real!(
    f32,
    1.455_191_5e-11,
    math::sqrt_f32,
    math::sin_cos_f32,
    math::exp_f32,
    /// Near 1 (`|x - 1| < 2^-12`, every renormalisation after a step): `1.5 - 0.5 x`, whose
    /// truncation error `3 (x-1)^2 / 8 < 2^-25` is below half an ulp, so the result is within
    /// 1.4 ulp of `1/sqrt(x)` (like `sqrt(x).recip()`, two roundings) at two flops instead of a
    /// software square root (libm: ~45 instructions on a Cortex-M4F) and a division. Elsewhere
    /// `sqrt(x).recip()`. Plain f32 arithmetic: identical bits on every target.
    #[inline(always)]
    fn rsqrt(self) -> f32 {
        let e = self - 1.0;
        if e < 2.441_406_3e-4 && e > -2.441_406_3e-4 {
            1.5 - 0.5 * self
        } else {
            math::sqrt_f32(self).recip()
        }
    }
);

/// A floating-point [`Real`] (f32 or f64) with the transcendentals that closed-form device
/// models need (logarithms, powers, `expm1`): the MRAM array computes in any `Float`, f32 on a
/// Cortex-M4F's FPU, f64 on the host. All go through [`crate::math`], so a host run reproduces
/// a firmware run bit for bit.
pub trait Float: Real + crate::random::Gaussian {
    /// Natural logarithm.
    fn ln(self) -> Self;
    /// `ln(1 + self)`, accurate for small `self`.
    fn ln1p(self) -> Self;
    /// `exp(self) - 1`, accurate for small `self`.
    fn expm1(self) -> Self;
    /// `self` raised to the real power `y`.
    fn powf(self, y: Self) -> Self;
    /// Largest integer not above `self`.
    fn floor(self) -> Self;
}

macro_rules! float_float {
    ($t:ty, $ln:path, $ln1p:path, $expm1:path, $pow:path, $floor:path) => {
        impl Float for $t {
            #[inline(always)]
            fn ln(self) -> Self {
                $ln(self)
            }
            #[inline(always)]
            fn ln1p(self) -> Self {
                $ln1p(self)
            }
            #[inline(always)]
            fn expm1(self) -> Self {
                $expm1(self)
            }
            #[inline(always)]
            fn powf(self, y: Self) -> Self {
                $pow(self, y)
            }
            #[inline(always)]
            fn floor(self) -> Self {
                $floor(self)
            }
        }
    };
}
float_float!(
    f64,
    math::ln_f64,
    math::ln1p_f64,
    math::expm1_f64,
    math::powf_f64,
    math::floor_f64
);
float_float!(
    f32,
    math::ln_f32,
    math::ln1p_f32,
    math::expm1_f32,
    math::powf_f32,
    math::floor_f32
);

#[cfg(test)]
mod tests {
    use super::*;

    fn generic_hypot<S: Real>(a: S, b: S) -> S {
        (a * a + b * b).sqrt()
    }

    #[test]
    fn floats_implement_real() {
        assert_eq!(generic_hypot(3.0f64, 4.0), 5.0);
        assert_eq!(generic_hypot(3.0f32, 4.0), 5.0);
        assert_eq!(f32::from_f64(0.5).to_f64(), 0.5);
        assert!(!f64::NAN.is_finite());
        assert_eq!((-2.0f64).abs(), 2.0);
        assert_eq!(Real::max(1.0f64, 2.0), 2.0);
    }
}
