//! Remanence and coercivity of a population of non-interacting Stoner-Wohlfarth particles on
//! the descending major branch, exact for the given particles, with standard errors of the
//! volume-weighted means over independently drawn particles (delta method for the coercivity).
//!
//! The work splits into chunks of particles: [`branch_sums`] per chunk (in parallel on a host),
//! [`branch_mean`] over the chunk sums in chunk order, so the result does not depend on how many
//! workers computed the chunks.

use core::ops::Range;

use crate::error::Error;
use crate::math;
use crate::sw::{major_branch, Population};

/// Weighted sums of one chunk at one field: `[sum w, sum w x, sum w^2, sum w^2 x, sum w^2 x^2]`
/// with `w` the particle volume and `x` its `m_par` on the descending major branch.
pub type BranchSums = [f64; 5];

/// The [`BranchSums`] of particles `range` of `pop` at the field `h_hk` (units of `H_K`, along the
/// measurement direction).
///
/// ```
/// use larmor::sw::coercivity::{branch_mean, branch_sums};
/// use larmor::{random::Dist, sw::{Axes, Population}};
/// let pop = Population {
///     axes: Axes::Aligned { psi: 0.0 },
///     hk: Dist::Fixed(1.0),
///     volume: Dist::Fixed(1.0),
///     n: 8,
///     seed: 0,
/// };
/// let (m, se) = branch_mean(&[branch_sums(&pop, 0..8, 0.0).unwrap()]);
/// assert!((m - 1.0).abs() < 1e-12 && se.abs() < 1e-12); // square loop: full remanence
/// ```
///
/// # Errors
/// The errors of [`major_branch`] (non-finite field, invalid particle).
pub fn branch_sums(
    pop: &Population<'_>,
    range: Range<usize>,
    h_hk: f64,
) -> Result<BranchSums, Error> {
    let mut s = [0.0; 5];
    for p in pop.iter(range) {
        let x = major_branch(&p, h_hk)?.0;
        let w = p.volume;
        s[0] += w;
        s[1] += w * x;
        s[2] += w * w;
        s[3] += w * w * x;
        s[4] += w * w * x * x;
    }
    Ok(s)
}

/// Volume-weighted mean of `m_par` and its standard error, from the chunk sums added in order.
/// NaN for an empty population.
pub fn branch_mean(chunks: &[BranchSums]) -> (f64, f64) {
    let mut t = [0.0; 5];
    for s in chunks {
        for i in 0..5 {
            t[i] += s[i];
        }
    }
    let mean = t[1] / t[0];
    let var = (t[4] - 2.0 * mean * t[3] + mean * mean * t[2]).max(0.0);
    (mean, math::sqrt_f64(var) / t[0])
}

/// Coercive field `Hc` (units of `H_K`, positive) of the descending major branch and its
/// standard error, where the mean `m_par` crosses 0, by bisection to `1e-11 (1 + hmax)`.
///
/// `remanence` is the mean at `h = 0` (no remanence, or NaN: `Hc = 0`); `bracket` a field pair
/// `(lo, hi)` with mean(lo) <= 0 < mean(hi), e.g. from a loop on a grid (checked, else
/// `(-hmax, 0)`); `mean(h)` returns the mean and its standard error at `h` (e.g. from
/// [`branch_sums`] and [`branch_mean`]). The standard error is that of the mean at `-Hc` over the
/// local slope of the branch (central difference). `None` if the mean stays positive down to
/// `-hmax`.
///
/// # Errors
/// Those of `mean`.
pub fn coercivity<E>(
    remanence: f64,
    bracket: Option<(f64, f64)>,
    hmax: f64,
    mut mean: impl FnMut(f64) -> Result<(f64, f64), E>,
) -> Result<Option<(f64, f64)>, E> {
    if remanence.is_nan() || remanence <= 0.0 {
        return Ok(Some((0.0, 0.0))); // no remanence: no coercive field
    }
    let mut m = |h: f64| mean(h).map(|m| m.0);
    // M(lo) <= 0 < M(hi) from the loop's grid; confirmed on the exact branch, else widened
    let (mut lo, mut hi) = bracket.unwrap_or((-hmax, 0.0));
    if !(m(lo)? <= 0.0 && m(hi)? > 0.0) {
        (lo, hi) = (-hmax, 0.0);
    }
    if m(lo)? > 0.0 {
        return Ok(None);
    }
    while hi - lo > 1e-11 * (1.0 + hmax) {
        let mid = 0.5 * (lo + hi);
        if m(mid)? > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let hc = -0.5 * (lo + hi);
    // standard error: SE of M at -Hc over the local slope of M(h) (delta method)
    let d = (1e-3 * hmax).min(0.5 * hc.max(1e-9));
    let se = mean(-hc)?.1;
    let mut m = |h: f64| mean(h).map(|m| m.0);
    let slope = (m(-hc + d)? - m(-hc - d)?) / (2.0 * d);
    Ok(Some((hc, if slope > 0.0 { se / slope } else { f64::NAN })))
}
