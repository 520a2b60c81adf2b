//! Scalar distributions of particle properties (anisotropy field, volume, barrier): parameters,
//! validation, sampling through the kernel's one uniform and one normal sampler, the density,
//! the mean and exact expectations by quadrature.

use rand_core::Rng;

use super::normal::Gaussian;
use super::uniform::uniform_f64;
use crate::error::{check_finite, check_min, Error};
use crate::math;

/// A scalar distribution (anisotropy field or volume, relative to a reference; or a barrier).
///
/// Standard deviations are named `sd` (see the crate's Conventions: `sigma` names no quantity
/// in the kernel API, where it used to mean both this and the thermal stability factor).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Dist {
    /// Every particle has this value.
    Fixed(f64),
    /// Uniform on `[lo, hi]`.
    Uniform {
        /// Lower end.
        lo: f64,
        /// Upper end (`>= lo`).
        hi: f64,
    },
    /// Normal with the given mean and standard deviation, truncated to positive values when used
    /// for a positive quantity (redrawn).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation, `>= 0`.
        sd: f64,
    },
    /// Log-normal: `ln x` is normal with mean `ln median` and standard deviation `sd`.
    LogNormal {
        /// Median, `> 0`.
        median: f64,
        /// Standard deviation of `ln x`, `>= 0`.
        sd: f64,
    },
}

/// Subintervals of the composite Simpson rule of [`Dist::expectation`].
const SIMPSON_INTERVALS: usize = 1 << 16;
/// Half-width of the standard-normal range integrated by [`Dist::expectation`]: the tails beyond
/// carry a probability below `1e-16`.
const Z_MAX: f64 = 8.5;

impl Dist {
    /// Validates the parameters; `param` names the distribution in errors. With `positive`, the
    /// values must be able to be positive (fixed and uniform values `> 0`, normal mean `> 0`).
    ///
    /// ```
    /// use larmor::random::Dist;
    /// assert!(Dist::LogNormal { median: 1.0, sd: 0.2 }.validate("hk", true).is_ok());
    /// assert!(Dist::Normal { mean: 1.0, sd: -0.1 }.validate("hk", true).is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming `param`, the offending parameter and its allowed range
    /// (e.g. `normal sd >= 0`).
    pub fn validate(&self, param: &'static str, positive: bool) -> Result<(), Error> {
        let lo_ok = |v: f64, allowed| {
            if positive {
                check_min(param, v, 0.0, false, allowed).map(|_| ())
            } else {
                check_finite(param, v).map(|_| ())
            }
        };
        match *self {
            Dist::Fixed(v) => lo_ok(v, "fixed value > 0"),
            Dist::Uniform { lo, hi } => {
                lo_ok(lo, "uniform lo > 0")?;
                check_finite(param, hi)?;
                if hi < lo {
                    return Err(Error::OutOfRange {
                        param,
                        value: hi,
                        allowed: "uniform hi >= lo",
                    });
                }
                Ok(())
            }
            Dist::Normal { mean, sd } => {
                lo_ok(mean, "normal mean > 0")?;
                check_min(param, sd, 0.0, true, "normal sd >= 0").map(|_| ())
            }
            Dist::LogNormal { median, sd } => {
                check_min(param, median, 0.0, false, "log-normal median > 0")?;
                check_min(param, sd, 0.0, true, "log-normal sd >= 0").map(|_| ())
            }
        }
    }

    /// Draws one value (validate first; never panics, whatever the parameters). Uniform values
    /// use one [`uniform_f64`], normal and log-normal values one [`Gaussian::std_normal`] per
    /// try; a fixed value draws nothing. With `positive`, normal draws are repeated until
    /// positive (at most 64 times, then the mean is returned).
    ///
    /// ```
    /// use larmor::random::{Dist, Philox};
    /// let mut rng = Philox::new(1, 0);
    /// let x = Dist::Uniform { lo: 1.0, hi: 3.0 }.sample(&mut rng, true);
    /// assert!(x > 1.0 && x <= 3.0);
    /// assert_eq!(Dist::Fixed(2.0).sample(&mut rng, true), 2.0);
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, positive: bool) -> f64 {
        match *self {
            Dist::Fixed(v) => v,
            Dist::Uniform { lo, hi } => lo + (hi - lo) * uniform_f64(rng),
            Dist::Normal { mean, sd } => {
                for _ in 0..64 {
                    let x = mean + sd * f64::std_normal(rng);
                    if !positive || x > 0.0 {
                        return x;
                    }
                }
                mean
            }
            Dist::LogNormal { median, sd } => median * math::exp_f64(sd * f64::std_normal(rng)),
        }
    }

    /// Mean of the distribution (of the untruncated normal).
    ///
    /// ```
    /// use larmor::random::Dist;
    /// assert_eq!(Dist::Uniform { lo: 1.0, hi: 3.0 }.mean(), 2.0);
    /// ```
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed(v) => v,
            Dist::Uniform { lo, hi } => 0.5 * (lo + hi),
            Dist::Normal { mean, .. } => mean,
            Dist::LogNormal { median, sd } => median * math::exp_f64(0.5 * sd * sd),
        }
    }

    /// Probability density at `x` (of the untruncated normal); 0 for a fixed value, outside the
    /// support and for degenerate parameters (`hi = lo`, `sd = 0`, or parameters that
    /// [`Dist::validate`] refuses). Never panics.
    ///
    /// ```
    /// use larmor::random::Dist;
    /// assert_eq!(Dist::Uniform { lo: 10.0, hi: 50.0 }.pdf(20.0), 0.025);
    /// let p = Dist::Normal { mean: 0.0, sd: 1.0 }.pdf(0.0);
    /// assert!((p - 0.398_942_280_401_432_7).abs() < 1e-15);
    /// ```
    pub fn pdf(&self, x: f64) -> f64 {
        match *self {
            Dist::Fixed(_) => 0.0,
            Dist::Uniform { lo, hi } => {
                if hi > lo && x >= lo && x <= hi {
                    1.0 / (hi - lo)
                } else {
                    0.0
                }
            }
            Dist::Normal { mean, sd } => {
                if sd > 0.0 {
                    std_normal_pdf((x - mean) / sd) / sd
                } else {
                    0.0
                }
            }
            Dist::LogNormal { median, sd } => {
                if sd > 0.0 && median > 0.0 && x > 0.0 {
                    std_normal_pdf(math::ln_f64(x / median) / sd) / (sd * x)
                } else {
                    0.0
                }
            }
        }
    }

    /// Expectation `E[f(X)]` by the composite Simpson rule with 2^16 subintervals, over the
    /// quantile for a uniform and over the standard-normal variable `z` in `[-8.5, 8.5]` (tails
    /// below `1e-16`) for the normal (untruncated) and the log-normal; exact for a fixed value.
    /// For a smooth `f` the error is `O(2^-64 f'''')`, at the rounding level; a kink (e.g. a
    /// clamp `f(x.max(0))`) costs `O(2^-32)`. `param` names the distribution in errors.
    ///
    /// ```
    /// use larmor::random::Dist;
    /// let d = Dist::Normal { mean: 30.0, sd: 5.0 };
    /// let m2 = d.expectation("barrier", |e| e * e).unwrap();
    /// assert!((m2 - (900.0 + 25.0)).abs() < 1e-9);
    /// assert!(Dist::Uniform { lo: 2.0, hi: 1.0 }.expectation("barrier", |e| e).is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] if [`Dist::validate`] refuses the parameters (`positive = false`).
    pub fn expectation<F: Fn(f64) -> f64>(&self, param: &'static str, f: F) -> Result<f64, Error> {
        self.validate(param, false)?;
        Ok(match *self {
            Dist::Fixed(v) => f(v),
            Dist::Uniform { lo, hi } => {
                if hi > lo {
                    simpson(|u| f(lo + (hi - lo) * u), 0.0, 1.0)
                } else {
                    f(lo)
                }
            }
            Dist::Normal { mean, sd } => {
                simpson(|z| std_normal_pdf(z) * f(mean + sd * z), -Z_MAX, Z_MAX)
            }
            Dist::LogNormal { median, sd } => simpson(
                |z| std_normal_pdf(z) * f(median * math::exp_f64(sd * z)),
                -Z_MAX,
                Z_MAX,
            ),
        })
    }
}

/// Standard normal density `exp(-z^2/2) / sqrt(2 pi)`.
fn std_normal_pdf(z: f64) -> f64 {
    math::exp_f64(-0.5 * z * z) / math::sqrt_f64(2.0 * core::f64::consts::PI)
}

/// Composite Simpson rule with [`SIMPSON_INTERVALS`] subintervals on `[a, b]`.
fn simpson<G: Fn(f64) -> f64>(g: G, a: f64, b: f64) -> f64 {
    let n = SIMPSON_INTERVALS;
    let h = (b - a) / n as f64;
    let mut s = g(a) + g(b);
    for k in 1..n {
        s += g(a + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * h / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Philox;

    #[test]
    fn sample_mean_matches_mean_and_expectation() {
        let dists = [
            Dist::Uniform { lo: 1.0, hi: 3.0 },
            Dist::Normal { mean: 2.0, sd: 0.5 },
            Dist::LogNormal {
                median: 1.0,
                sd: 0.3,
            },
        ];
        for d in dists {
            let mut rng = Philox::new(11, 0);
            let n = 200_000;
            let (mut s1, mut s2) = (0.0, 0.0);
            for _ in 0..n {
                let x = d.sample(&mut rng, false);
                s1 += x;
                s2 += x * x;
            }
            let mean = s1 / n as f64;
            let var = s2 / n as f64 - mean * mean;
            let exact_mean = d.expectation("d", |x| x).unwrap();
            assert!((exact_mean - d.mean()).abs() < 1e-12, "{d:?}");
            let exact_var = d.expectation("d", |x| x * x).unwrap() - exact_mean * exact_mean;
            // 5 standard errors of the sample mean
            let se = math::sqrt_f64(exact_var / n as f64);
            assert!((mean - exact_mean).abs() < 5.0 * se, "{d:?}: {mean}");
            assert!((var / exact_var - 1.0).abs() < 0.02, "{d:?}: {var}");
        }
    }

    #[test]
    fn pdf_integrates_to_one() {
        for d in [
            Dist::Normal { mean: 6.0, sd: 0.5 },
            Dist::LogNormal {
                median: 1.0,
                sd: 0.3,
            },
        ] {
            let s = simpson(|x| d.pdf(x), 1e-9, 12.0);
            assert!((s - 1.0).abs() < 1e-6, "{d:?}: {s}");
        }
        // on its support (the jumps at the ends would cost O(h) to a rule across them)
        let s = simpson(|x| Dist::Uniform { lo: 1.0, hi: 3.0 }.pdf(x), 1.0, 3.0);
        assert!((s - 1.0).abs() < 1e-12, "{s}");
        assert_eq!(Dist::Fixed(1.0).pdf(1.0), 0.0);
        assert_eq!(
            Dist::Normal {
                mean: 1.0,
                sd: -1.0
            }
            .pdf(1.0),
            0.0
        );
    }

    #[test]
    fn bad_parameters_are_named() {
        let e = Dist::Normal {
            mean: 1.0,
            sd: -0.1,
        }
        .validate("x", false)
        .unwrap_err();
        assert!(
            matches!(
                e,
                Error::OutOfRange {
                    param: "x",
                    allowed: "normal sd >= 0",
                    ..
                }
            ),
            "{e:?}"
        );
        let e = Dist::LogNormal {
            median: 0.0,
            sd: 0.1,
        }
        .expectation("y", |x| x)
        .unwrap_err();
        assert!(
            matches!(
                e,
                Error::OutOfRange {
                    param: "y",
                    allowed: "log-normal median > 0",
                    ..
                }
            ),
            "{e:?}"
        );
        // unvalidated parameters never panic
        let bad = Dist::Uniform {
            lo: f64::NAN,
            hi: 1.0,
        };
        let _ = bad.sample(&mut Philox::new(1, 0), true);
        let _ = bad.pdf(0.5);
    }
}
