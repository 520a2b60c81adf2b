//! The one math chokepoint: every transcendental of the kernel goes through here.
//!
//! The backend is [`libm`], on every target: a host run reproduces a firmware run bit for bit.
//! (An optional std backend existed and was removed: every host build pulled in libm through
//! the firmware scenarios anyway, so it was never compiled or tested; libm's `sqrt` is
//! correctly rounded and uses the hardware instruction where there is one, and the
//! transcendentals are off the hot path except `sin` for sine drives.)
//!
//! Nothing in the kernel calls `mul_add`, and Rust never contracts `a * b + c` into an FMA, so the
//! arithmetic between these calls is bit-reproducible too.

macro_rules! backend {
    ($(#[$doc:meta] $name:ident, $t:ty, $libm:path;)*) => {$(
        #[$doc]
        #[inline(always)]
        pub fn $name(x: $t) -> $t {
            $libm(x)
        }
    )*};
}

/// Square root, correctly rounded (IEEE 754) on every backend: the same bits everywhere.
///
/// On x86-64 the SSE2 intrinsic (baseline there), not libm's inline `sqrtsd`: the compiler
/// sees a square root it may vectorise (one `vsqrtpd` for the lanes of an ensemble) and
/// encode with VEX in AVX code, where libm's legacy-SSE instruction would stall on every
/// transition between the two encodings.
#[inline(always)]
pub fn sqrt_f64(x: f64) -> f64 {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[allow(unsafe_code)]
    // SAFETY: SSE2 is enabled (the cfg above; it is part of the x86-64 baseline), and these
    // intrinsics touch registers only
    unsafe {
        use core::arch::x86_64::{_mm_cvtsd_f64, _mm_set_sd, _mm_sqrt_pd};
        _mm_cvtsd_f64(_mm_sqrt_pd(_mm_set_sd(x)))
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        libm::sqrt(x)
    }
}

/// Square root, correctly rounded (IEEE 754) on every backend (x86-64: as [`sqrt_f64`]).
#[inline(always)]
pub fn sqrt_f32(x: f32) -> f32 {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[allow(unsafe_code)]
    // SAFETY: as in sqrt_f64
    unsafe {
        use core::arch::x86_64::{_mm_cvtss_f32, _mm_set_ss, _mm_sqrt_ps};
        _mm_cvtss_f32(_mm_sqrt_ps(_mm_set_ss(x)))
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        libm::sqrtf(x)
    }
}

backend! {
    /// Sine (radians); libm: < 1 ulp.
    sin_f64, f64, libm::sin;
    /// Sine (radians); libm: < 1 ulp.
    sin_f32, f32, libm::sinf;
    /// Cosine (radians); libm: < 1 ulp.
    cos_f64, f64, libm::cos;
    /// Cosine (radians); libm: < 1 ulp.
    cos_f32, f32, libm::cosf;
    /// Exponential; libm: < 1 ulp.
    exp_f64, f64, libm::exp;
    /// Exponential; libm: < 1 ulp.
    exp_f32, f32, libm::expf;
    /// Natural logarithm; libm: < 1 ulp. Set-up code and rare paths only, never in a hot loop.
    ln_f64, f64, libm::log;
    /// Natural logarithm; libm: < 1 ulp. Rare paths only (Gaussian tails).
    ln_f32, f32, libm::logf;
    /// Arc tangent; libm: < 1 ulp. Set-up code only.
    atan_f64, f64, libm::atan;
    /// Arc cosine; libm: < 1 ulp. Set-up code only.
    acos_f64, f64, libm::acos;
    /// Inverse hyperbolic sine; libm: < 1 ulp. Set-up code only (mutual demag tensors).
    asinh_f64, f64, libm::asinh;
    /// Hyperbolic tangent; libm: < 1 ulp.
    tanh_f64, f64, libm::tanh;
    /// Cube root; libm: < 1 ulp. Set-up code only.
    cbrt_f64, f64, libm::cbrt;
    /// `exp(x) - 1`, accurate for small `x`; libm: < 1 ulp.
    expm1_f64, f64, libm::expm1;
    /// `ln(1 + x)`, accurate for small `x`; libm: < 1 ulp.
    ln1p_f64, f64, libm::log1p;
    /// `exp(x) - 1`, accurate for small `x`; libm: < 1 ulp.
    expm1_f32, f32, libm::expm1f;
    /// `ln(1 + x)`, accurate for small `x`; libm: < 1 ulp.
    ln1p_f32, f32, libm::log1pf;
}

/// Two-argument arc tangent `atan2(y, x)` in (-pi, pi]; libm: < 1 ulp.
#[inline]
pub fn atan2_f64(y: f64, x: f64) -> f64 {
    libm::atan2(y, x)
}

/// `x` raised to the real power `y`; libm: < 1 ulp. Set-up code only.
#[inline]
pub fn powf_f64(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// `x` raised to the real power `y`; libm: < 1 ulp.
#[inline]
pub fn powf_f32(x: f32, y: f32) -> f32 {
    libm::powf(x, y)
}

/// Sine and cosine of `x` (radians) in one call.
#[inline]
pub fn sin_cos_f64(x: f64) -> (f64, f64) {
    (sin_f64(x), cos_f64(x))
}

/// Sine and cosine of `x` (radians) in one call.
#[inline]
pub fn sin_cos_f32(x: f32) -> (f32, f32) {
    (sin_f32(x), cos_f32(x))
}

/// Largest integer not above `x` (exact).
#[inline]
pub fn floor_f64(x: f64) -> f64 {
    libm::floor(x)
}

/// Smallest integer not below `x` (exact).
#[inline]
pub fn ceil_f64(x: f64) -> f64 {
    libm::ceil(x)
}

/// Largest integer not above `x` (exact).
#[inline]
pub fn floor_f32(x: f32) -> f32 {
    libm::floorf(x)
}

/// Remainder of `x / y` with the sign of `x` (C `fmod`; exact on every backend).
#[inline]
pub fn fmod_f64(x: f64, y: f64) -> f64 {
    libm::fmod(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spot_values() {
        assert_eq!(sqrt_f64(4.0), 2.0);
        assert_eq!(sqrt_f32(9.0), 3.0);
        assert!((sin_f64(core::f64::consts::FRAC_PI_2) - 1.0).abs() < 1e-16);
        assert!((exp_f64(1.0) - core::f64::consts::E).abs() < 1e-15);
        assert!((atan2_f64(1.0, 1.0) - core::f64::consts::FRAC_PI_4).abs() < 1e-16);
        assert!((cbrt_f64(27.0) - 3.0).abs() < 1e-15);
    }
}
