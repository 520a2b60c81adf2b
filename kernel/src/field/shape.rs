//! Demagnetising factors of uniformly magnetised bodies (magnetometric, diagonal tensor, the
//! body's symmetry axes along x, y, z). Set-up code in f64.
//!
//! - General ellipsoid with semi-axes a, b, c (Osborn, Phys. Rev. 67, 351 (1945)), written with
//!   Carlson's symmetric integral: `N_a = (abc/3) R_D(b^2, c^2, a^2)` (Carlson, Numer. Algorithms
//!   10, 13 (1995), duplication algorithm).
//! - Right circular cylinder / disc of diameter D and length L along z: the exact magnetometric
//!   factor from the shape's Fourier transform,
//!   `N_z = (2R/L) int_0^inf J1(x)^2 / x^2 (1 - exp(-x L/R)) dx` (R = D/2), which agrees with the
//!   tables of Chen, Brug and Goldfarb, IEEE Trans. Magn. 27, 3601 (1991); `N_x = N_y = (1-N_z)/2`.
//! - Rectangular prism with edges (2a, 2b, 2c): Aharoni, J. Appl. Phys. 83, 3432 (1998), eq. (1).

use crate::error::{check_min, Error};
use crate::math::{atan_f64, ln_f64, sqrt_f64};

/// Largest deviation of `Nx + Ny + Nz` from 1 that is accepted.
pub const SUM_TOLERANCE: f64 = 1e-6;

/// Checks user-given factors: finite, each in [0, 1], summing to 1 within [`SUM_TOLERANCE`].
///
/// ```
/// assert!(larmor::field::shape::check_factors([0.0, 0.0, 1.0]).is_ok());
/// assert!(larmor::field::shape::check_factors([0.0, 0.0, 0.9]).is_err());
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] (key `magnet.demag`) for a factor that is not finite or outside
/// [0, 1]; [`Error::DemagSum`] unless they sum to 1 within the tolerance.
pub fn check_factors(n: [f64; 3]) -> Result<[f64; 3], Error> {
    // each factor first, so that a negative one is named as such (its sum may well be 1)
    if let Some(&x) = n
        .iter()
        .find(|&&x| !x.is_finite() || !(-1e-12..=1.0 + 1e-12).contains(&x))
    {
        return Err(Error::OutOfRange {
            param: "magnet.demag",
            value: x,
            allowed: "each factor in [0, 1], the three summing to 1",
        });
    }
    let sum = n[0] + n[1] + n[2];
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        return Err(Error::DemagSum { sum });
    }
    Ok(n)
}

/// Carlson's symmetric elliptic integral of the second kind
/// `R_D(x, y, z) = (3/2) int_0^inf dt / ((t+z) sqrt((t+x)(t+y)(t+z)))`, relative error < 1e-15
/// for x, y >= 0 (not both 0) and z > 0.
pub fn carlson_rd(mut x: f64, mut y: f64, mut z: f64) -> f64 {
    const ERRTOL: f64 = 0.0015;
    const C1: f64 = 3.0 / 14.0;
    const C2: f64 = 1.0 / 6.0;
    const C3: f64 = 9.0 / 22.0;
    const C4: f64 = 3.0 / 26.0;
    const C5: f64 = 0.25 * C3;
    const C6: f64 = 1.5 * C4;
    let mut sum = 0.0;
    let mut fac = 1.0;
    // Each round shrinks the spread by 4; 60 rounds cover any f64 input.
    for _ in 0..60 {
        let (sx, sy, sz) = (sqrt_f64(x), sqrt_f64(y), sqrt_f64(z));
        let lam = sx * (sy + sz) + sy * sz;
        sum += fac / (sz * (z + lam));
        fac *= 0.25;
        x = 0.25 * (x + lam);
        y = 0.25 * (y + lam);
        z = 0.25 * (z + lam);
        let ave = 0.2 * (x + y + 3.0 * z);
        let (dx, dy, dz) = ((ave - x) / ave, (ave - y) / ave, (ave - z) / ave);
        if dx.abs().max(dy.abs()).max(dz.abs()) < ERRTOL {
            let ea = dx * dy;
            let eb = dz * dz;
            let ec = ea - eb;
            let ed = ea - 6.0 * eb;
            let ee = ed + ec + ec;
            return 3.0 * sum
                + fac
                    * (1.0
                        + ed * (-C1 + C5 * ed - C6 * dz * ee)
                        + dz * (C2 * ee + dz * (-C3 * ec + dz * C4 * ea)))
                    / (ave * sqrt_f64(ave));
        }
    }
    f64::NAN
}

/// Demagnetising factors of an ellipsoid with semi-axes `a`, `b`, `c` (m) along x, y, z.
///
/// ```
/// let n = larmor::field::shape::ellipsoid(1.0, 1.0, 1.0).unwrap();
/// assert!((n[0] - 1.0 / 3.0).abs() < 1e-15);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] unless every semi-axis is finite and > 0 (and the result finite).
pub fn ellipsoid(a: f64, b: f64, c: f64) -> Result<[f64; 3], Error> {
    check_min("shape.ellipsoid.a", a, 0.0, false, "> 0 m")?;
    check_min("shape.ellipsoid.b", b, 0.0, false, "> 0 m")?;
    check_min("shape.ellipsoid.c", c, 0.0, false, "> 0 m")?;
    // Scale-free: use ratios to the largest axis to avoid under/overflow of squares.
    let s = a.max(b).max(c);
    let (a, b, c) = (a / s, b / s, c / s);
    let abc3 = a * b * c / 3.0;
    let (a2, b2, c2) = (a * a, b * b, c * c);
    Ok([
        abc3 * carlson_rd(b2, c2, a2),
        abc3 * carlson_rd(c2, a2, b2),
        abc3 * carlson_rd(a2, b2, c2),
    ])
}

/// Demagnetising factors of a cylinder (disc) of `diameter` and `length` (thickness) along z.
/// Accuracy about 1e-12 for thickness/diameter in [1e-4, 1e4].
///
/// ```
/// let n = larmor::field::shape::cylinder(1.0, 1.0).unwrap();
/// assert!((n[2] - 0.3116).abs() < 1e-4); // Chen, Brug, Goldfarb (1991), L/D = 1
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] unless the diameter and length are finite and > 0.
pub fn cylinder(diameter: f64, length: f64) -> Result<[f64; 3], Error> {
    check_min("shape.disc.diameter", diameter, 0.0, false, "> 0 m")?;
    check_min("shape.disc.thickness", length, 0.0, false, "> 0 m")?;
    let ratio = length / diameter;
    if !(1e-4..=1e4).contains(&ratio) {
        return Err(Error::OutOfRange {
            param: "shape.disc.thickness",
            value: length,
            allowed: "thickness/diameter in [1e-4, 1e4]",
        });
    }
    let a = 2.0 * ratio; // L / R
                         // N_z = (2/a) [ 4/(3 pi) - int_0^inf J1^2/x^2 exp(-a x) dx ]; the remaining integral
                         // converges exponentially.
                         // Gauss-Legendre (8 points) on intervals of width min(pi, 1/a), so both the Bessel
                         // oscillation and the exponential are resolved, up to exp(-a x) < 1e-18.
    let x_max = 42.0 / a;
    let width = core::f64::consts::PI.min(1.0 / a);
    let n_int = (x_max / width) as usize + 1;
    let mut integral = 0.0;
    for k in 0..n_int {
        let lo = k as f64 * width;
        integral += gauss_legendre8(lo, lo + width, |x| {
            let j = libm::j1(x);
            let q = if x < 1e-8 { 0.25 } else { j * j / (x * x) };
            q * crate::math::exp_f64(-a * x)
        });
    }
    let nz = (2.0 / a) * (4.0 / (3.0 * core::f64::consts::PI) - integral);
    let nxy = 0.5 * (1.0 - nz);
    Ok([nxy, nxy, nz])
}

/// Demagnetising factors of a rectangular prism with edge lengths `lx`, `ly`, `lz` (m).
///
/// ```
/// let n = larmor::field::shape::prism(1.0, 1.0, 1.0).unwrap();
/// assert!((n[2] - 1.0 / 3.0).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] unless every edge is finite and > 0.
pub fn prism(lx: f64, ly: f64, lz: f64) -> Result<[f64; 3], Error> {
    check_min("shape.prism.x", lx, 0.0, false, "> 0 m")?;
    check_min("shape.prism.y", ly, 0.0, false, "> 0 m")?;
    check_min("shape.prism.z", lz, 0.0, false, "> 0 m")?;
    let s = lx.max(ly).max(lz);
    let (a, b, c) = (0.5 * lx / s, 0.5 * ly / s, 0.5 * lz / s);
    Ok([
        aharoni_dz(b, c, a),
        aharoni_dz(c, a, b),
        aharoni_dz(a, b, c),
    ])
}

/// Aharoni (1998) eq. (1): D_z of the prism `2a x 2b x 2c`.
fn aharoni_dz(a: f64, b: f64, c: f64) -> f64 {
    let pi = core::f64::consts::PI;
    let (a2, b2, c2) = (a * a, b * b, c * c);
    let abc = sqrt_f64(a2 + b2 + c2);
    let ab = sqrt_f64(a2 + b2);
    let bc = sqrt_f64(b2 + c2);
    let ac = sqrt_f64(a2 + c2);
    let pow32 = |x: f64| x * sqrt_f64(x);
    let t = (b2 - c2) / (2.0 * b * c) * ln_f64((abc - a) / (abc + a))
        + (a2 - c2) / (2.0 * a * c) * ln_f64((abc - b) / (abc + b))
        + b / (2.0 * c) * ln_f64((ab + a) / (ab - a))
        + a / (2.0 * c) * ln_f64((ab + b) / (ab - b))
        + c / (2.0 * a) * ln_f64((bc - b) / (bc + b))
        + c / (2.0 * b) * ln_f64((ac - a) / (ac + a))
        + 2.0 * atan_f64(a * b / (c * abc))
        + (a2 * a + b2 * b - 2.0 * c2 * c) / (3.0 * a * b * c)
        + (a2 + b2 - 2.0 * c2) / (3.0 * a * b * c) * abc
        + c / (a * b) * (ac + bc)
        - (pow32(a2 + b2) + pow32(b2 + c2) + pow32(c2 + a2)) / (3.0 * a * b * c);
    t / pi
}

fn gauss_legendre8(lo: f64, hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    const X: [f64; 4] = [
        0.183_434_642_495_649_8,
        0.525_532_409_916_329,
        0.796_666_477_413_626_7,
        0.960_289_856_497_536_3,
    ];
    const W: [f64; 4] = [
        0.362_683_783_378_362,
        0.313_706_645_877_887_3,
        0.222_381_034_453_374_5,
        0.101_228_536_290_376_3,
    ];
    let (m, h) = (0.5 * (lo + hi), 0.5 * (hi - lo));
    let mut s = 0.0;
    for i in 0..4 {
        s += W[i] * (f(m - h * X[i]) + f(m + h * X[i]));
    }
    s * h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(n: [f64; 3]) -> f64 {
        n[0] + n[1] + n[2]
    }

    #[test]
    fn carlson_rd_reference_values() {
        // R_D(x,x,x) = x^(-3/2); Carlson (1995) test value R_D(0,2,1) = 1.7972103521034
        assert!((carlson_rd(4.0, 4.0, 4.0) - 0.125).abs() < 1e-16);
        assert!((carlson_rd(0.0, 2.0, 1.0) - 1.797_210_352_103_4).abs() < 1e-12);
        assert!((carlson_rd(2.0, 3.0, 4.0) - 0.165_105_272_942_9).abs() < 1e-12);
    }

    #[test]
    fn ellipsoid_matches_spheroid_closed_form() {
        // prolate spheroid, c > a = b: N_z = (1-e^2)/e^3 (atanh e - e)
        for ratio in [1.5f64, 3.0, 10.0] {
            let n = ellipsoid(1.0, 1.0, ratio).unwrap();
            let e = sqrt_f64(1.0 - 1.0 / (ratio * ratio));
            let nz = (1.0 - e * e) / (e * e * e) * (libm::atanh(e) - e);
            assert!((n[2] - nz).abs() < 1e-13, "{ratio}: {} vs {nz}", n[2]);
            assert!((sum(n) - 1.0).abs() < 1e-13);
            assert!((n[0] - n[1]).abs() < 1e-15);
        }
        let n = ellipsoid(1.0, 2.0, 3.5).unwrap();
        assert!((sum(n) - 1.0).abs() < 1e-13);
        assert!(n[0] > n[1] && n[1] > n[2]);
    }

    #[test]
    fn cylinder_limits_and_table() {
        // Chen, Brug, Goldfarb (1991) table (chi = 0, magnetometric), 4 digits: L/D -> N_m
        for (g, nm) in [(0.1, 0.7967), (1.0, 0.3116), (2.0, 0.1819)] {
            let n = cylinder(1.0, g).unwrap();
            assert!((n[2] - nm).abs() < 1e-4, "L/D={g}: {} vs {nm}", n[2]);
        }
        // the same integral by an independent adaptive oscillatory quadrature (mpmath quadosc,
        // 20 digits) of the undivided form
        for (g, nm) in [
            (0.5, 0.474_489_975_748_072_5),
            (10.0, 0.041_192_875_796_277_07),
        ] {
            let n = cylinder(1.0, g).unwrap();
            assert!((n[2] - nm).abs() < 1e-12, "L/D={g}: {} vs {nm}", n[2]);
            assert!((sum(n) - 1.0).abs() < 1e-14);
        }
        // thin-disc limit: N_z -> 1
        assert!(cylinder(1.0, 1e-4).unwrap()[2] > 0.999);
        assert!(cylinder(1.0, 0.0).is_err());
    }

    #[test]
    fn prism_sum_rule_and_limits() {
        for dims in [
            (1.0, 1.0, 1.0),
            (2.0, 1.0, 0.1),
            (40.0, 20.0, 1.5),
            (1.0, 3.0, 7.0),
        ] {
            let n = prism(dims.0, dims.1, dims.2).unwrap();
            assert!((sum(n) - 1.0).abs() < 1e-12, "{dims:?}: {n:?}");
            assert!(n.iter().all(|&x| (0.0..=1.0).contains(&x)));
        }
        let cube = prism(2.0, 2.0, 2.0).unwrap();
        for x in cube {
            assert!((x - 1.0 / 3.0).abs() < 1e-12);
        }
        // thin film
        assert!(prism(1.0, 1.0, 1e-4).unwrap()[2] > 0.999);
    }

    #[test]
    fn factor_check() {
        assert!(check_factors([0.2, 0.3, 0.5]).is_ok());
        assert!(matches!(
            check_factors([0.2, 0.3, 0.4]),
            Err(Error::DemagSum { .. })
        ));
        assert!(check_factors([-0.5, 0.5, 1.0]).is_err());
        assert!(check_factors([f64::NAN, 0.0, 1.0]).is_err());
    }
}
