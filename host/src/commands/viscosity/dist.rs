//! Command `larmor viscosity`: the `--barrier` distribution (parsing and checks) and the exact
//! expectations over it (composite Simpson, 2^16 intervals) behind the `m_exact`, `s_exact` and
//! `s_theory` columns.
//!
//! The kernel has the same rule and density ([`Dist::expectation`], [`Dist::pdf`]), computed
//! with the kernel's libm `exp`/`ln`. This copy uses std's `exp`/`ln`, which differ from libm's
//! in the last bit: switching to the kernel's changes `m_exact`, `s_exact` and `s_theory` in the
//! 16th-17th significant digit for normal and log-normal barriers (uniform and fixed are
//! byte-identical), so it stays until the CSV may change. The test below keeps the two within
//! `1e-13` relative.

use larmor::random::Dist;

use crate::commands::checks::kerr;
use crate::error::{HostError, Result};

/// Parses `--barrier`.
pub(super) fn parse_dist(s: &str) -> Result<Dist> {
    const FORMS: &str = "fixed:E, uniform:LO:HI, normal:MEAN:SD or lognormal:MEDIAN:SD (kB T)";
    let bad = |why: &str| HostError::input(format!("--barrier = {s}: {why}; allowed {FORMS}"));
    let mut it = s.split(':');
    let kind = it.next().unwrap_or("").trim().to_ascii_lowercase();
    let vals: Vec<f64> = it
        .map(|v| v.trim().parse::<f64>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| bad("not a number"))?;
    let need = |n: usize| {
        if vals.len() == n {
            Ok(())
        } else {
            Err(bad(&format!("{kind} takes {n} number(s)")))
        }
    };
    let d = match kind.as_str() {
        "fixed" => {
            need(1)?;
            Dist::Fixed(vals[0])
        }
        "uniform" => {
            need(2)?;
            Dist::Uniform {
                lo: vals[0],
                hi: vals[1],
            }
        }
        "normal" => {
            need(2)?;
            Dist::Normal {
                mean: vals[0],
                sd: vals[1],
            }
        }
        "lognormal" => {
            need(2)?;
            Dist::LogNormal {
                median: vals[0],
                sd: vals[1],
            }
        }
        _ => return Err(bad("unknown distribution")),
    };
    if vals.iter().any(|v| !v.is_finite()) {
        return Err(bad("values must be finite"));
    }
    let ok = match d {
        Dist::Fixed(e) => e >= 0.0,
        Dist::Uniform { lo, hi } => lo >= 0.0 && hi >= lo,
        Dist::Normal { mean, sd } => mean > 0.0 && sd >= 0.0,
        Dist::LogNormal { median, sd } => median > 0.0 && sd >= 0.0,
    };
    if !ok {
        return Err(bad(
            "out of range (E >= 0; uniform 0 <= LO <= HI; normal MEAN > 0, SD >= 0; lognormal \
             MEDIAN > 0, SD >= 0)",
        ));
    }
    d.validate("--barrier", false).map_err(kerr)?;
    Ok(d)
}

/// Composite Simpson over the barrier distribution: `E[f(E)]` with `E = max(draw, 0)` as in
/// `Grains::draw`, by quantile (uniform) or standard-normal (normal, log-normal) variables.
pub(super) fn expect(d: &Dist, f: impl Fn(f64) -> f64) -> f64 {
    const N: usize = 1 << 16;
    let simpson = |g: &dyn Fn(f64) -> f64, a: f64, b: f64| {
        let h = (b - a) / N as f64;
        let mut s = g(a) + g(b);
        for k in 1..N {
            s += g(a + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
        }
        s * h / 3.0
    };
    let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let zmax = 8.5; // tails beyond carry < 1e-16
    match *d {
        Dist::Fixed(e) => f(e.max(0.0)),
        Dist::Uniform { lo, hi } => {
            if hi > lo {
                simpson(&|u| f((lo + (hi - lo) * u).max(0.0)), 0.0, 1.0)
            } else {
                f(lo.max(0.0))
            }
        }
        Dist::Normal { mean, sd } => {
            simpson(&|z| phi(z) * f((mean + sd * z).max(0.0)), -zmax, zmax)
        }
        Dist::LogNormal { median, sd } => {
            simpson(&|z| phi(z) * f(median * (sd * z).exp()), -zmax, zmax)
        }
    }
}

/// Probability density of the barrier at `e` (per kB T); 0 for a fixed barrier.
pub(super) fn density(d: &Dist, e: f64) -> f64 {
    let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    match *d {
        Dist::Fixed(_) => 0.0,
        Dist::Uniform { lo, hi } => {
            if hi > lo && e >= lo && e <= hi {
                1.0 / (hi - lo)
            } else {
                0.0
            }
        }
        Dist::Normal { mean, sd } => {
            if sd > 0.0 && e > 0.0 {
                phi((e - mean) / sd) / sd
            } else {
                0.0
            }
        }
        Dist::LogNormal { median, sd } => {
            if sd > 0.0 && e > 0.0 {
                phi((e / median).ln() / sd) / (sd * e)
            } else {
                0.0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_kernel_quadrature() {
        let dists = [
            Dist::Uniform { lo: 10.0, hi: 50.0 },
            Dist::Normal {
                mean: 30.0,
                sd: 5.0,
            },
            Dist::LogNormal {
                median: 30.0,
                sd: 0.3,
            },
            Dist::Fixed(20.0),
        ];
        for d in dists {
            let f = |e: f64| (-1e9 * (-e).exp() * 1e-3).exp(); // M(t = 1 ms), f0 = 1 GHz
            let host = expect(&d, f);
            let kernel = d.expectation("d", |e| f(e.max(0.0))).unwrap();
            assert!(
                (host - kernel).abs() <= 1e-13 * host.abs(),
                "{d:?}: {host} {kernel}"
            );
            for e in [5.0, 20.0, 30.0, 45.0] {
                let (h, k) = (density(&d, e), d.pdf(e));
                assert!((h - k).abs() <= 1e-13 * h.abs(), "{d:?} at {e}: {h} {k}");
            }
        }
    }
}
