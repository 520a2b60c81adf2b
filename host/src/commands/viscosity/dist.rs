//! Command `larmor viscosity`: the `--barrier` distribution (parsing and checks) and the exact
//! expectations over it (composite Simpson, 2^16 intervals) behind the `m_exact`, `s_exact` and
//! `s_theory` columns.
//!
//! This quadrature is physics and belongs in the kernel, but it stays here for now: the host's
//! kernel is built with `deterministic` (libm, through `larmor-scenarios`), whose `exp`/`ln`
//! differ from std's in the last bit, so moving it would change the CSV in the 16th digit.

use larmor::sw::Dist;

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
                sigma: vals[1],
            }
        }
        "lognormal" => {
            need(2)?;
            Dist::LogNormal {
                median: vals[0],
                sigma: vals[1],
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
        Dist::Normal { mean, sigma } => mean > 0.0 && sigma >= 0.0,
        Dist::LogNormal { median, sigma } => median > 0.0 && sigma >= 0.0,
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
        Dist::Normal { mean, sigma } => {
            simpson(&|z| phi(z) * f((mean + sigma * z).max(0.0)), -zmax, zmax)
        }
        Dist::LogNormal { median, sigma } => {
            simpson(&|z| phi(z) * f(median * (sigma * z).exp()), -zmax, zmax)
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
        Dist::Normal { mean, sigma } => {
            if sigma > 0.0 && e > 0.0 {
                phi((e - mean) / sigma) / sigma
            } else {
                0.0
            }
        }
        Dist::LogNormal { median, sigma } => {
            if sigma > 0.0 && e > 0.0 {
                phi((e / median).ln() / sigma) / (sigma * e)
            } else {
                0.0
            }
        }
    }
}
