//! Commands stage: checks of command-line values shared by the particle commands (`sw`,
//! `neel-brown`, `viscosity`, `sharrock`), with the kernel's wording for range errors, and the
//! scenario loading that `run`, `ensemble` and `sweep` share.

use std::path::Path;

use crate::error::{HostError, Result};
use crate::output::check_files;
use crate::output::csv::num;
use crate::scenario::Scenario;

/// Kernel parameter names of the thermal-activation commands and the options that set them.
pub const ARRHENIUS_NAMES: &[(&str, &str)] = &[
    ("arrhenius.delta", "--sigma"),
    ("arrhenius.h_hk", "--h"),
    ("arrhenius.alpha", "--alpha"),
    ("arrhenius.hk_tesla", "--hk"),
    ("arrhenius.gamma", "--gamma"),
    ("arrhenius.psi", "--psi"),
    ("arrhenius.f0", "--f0"),
    ("arrhenius.rate", "--from/--to"),
    ("arrhenius.t", "--from/--to"),
    ("arrhenius.m", "--exponent"),
    ("arrhenius.grains.barrier", "--barrier"),
    ("arrhenius.grains.bias", "--bias"),
    ("arrhenius.grains.f0", "--f0"),
    ("sw.psi", "--psi"),
];

/// A kernel error of a thermal-activation command, named by its options.
pub fn kerr(e: larmor::Error) -> HostError {
    kernel_err(e, ARRHENIUS_NAMES)
}

/// `OPT = VALUE is out of range: allowed RANGE` (exit code 2), the kernel's wording.
pub fn out_of_range(opt: &str, value: f64, allowed: &str) -> HostError {
    HostError::input(format!(
        "{opt} = {} is out of range: allowed {allowed}",
        num(value)
    ))
}

/// A kernel error as bad input, with kernel parameter names replaced by command-line options.
pub fn kernel_err(e: larmor::Error, names: &[(&str, &str)]) -> HostError {
    let mut s = e.to_string();
    for (param, opt) in names {
        s = s.replace(param, opt);
    }
    HostError::input(s)
}

/// Loads the scenario at `path`, then checks that no output of `outputs` (option, path) is that
/// file or another output, before any work (the scenario commands `run`, `ensemble`, `sweep`).
pub fn load_scenario(path: &Path, outputs: &[(&str, Option<&Path>)]) -> Result<Scenario> {
    let sc = Scenario::load(path)?;
    check_files(&[("scenario", path)], outputs)?;
    Ok(sc)
}

/// `--points` within `[lo, hi]`.
pub fn check_points(n: usize, lo: usize, hi: usize) -> Result<()> {
    if n < lo || n > hi {
        return Err(out_of_range(
            "--points",
            n as f64,
            &format!("{lo} <= N <= {}", num(hi as f64)),
        ));
    }
    Ok(())
}

/// A finite angle in degrees (|deg| <= 1e6), in radians.
pub fn check_angle(opt: &str, deg: f64) -> Result<f64> {
    if !deg.is_finite() || deg.abs() > 1e6 {
        return Err(out_of_range(
            opt,
            deg,
            "finite angle in degrees (|psi| <= 1e6)",
        ));
    }
    Ok(deg.to_radians())
}

/// `x > 0` and finite, else the one-line range error.
pub fn positive(opt: &str, x: f64, unit: &str) -> Result<f64> {
    if x > 0.0 && x.is_finite() {
        Ok(x)
    } else {
        Err(out_of_range(opt, x, format!("> 0 {unit}").trim_end()))
    }
}

/// Checks `--from/--to` of a log grid: `lo < from <= to < inf`.
pub fn check_range(from: f64, to: f64, lo: f64, what: &str) -> Result<()> {
    if !(from > lo && from.is_finite()) {
        return Err(out_of_range(
            "--from",
            from,
            &format!("> {} {what}", num(lo)),
        ));
    }
    if !(to >= from && to.is_finite()) {
        return Err(out_of_range(
            "--to",
            to,
            &format!(">= --from = {} {what} (finite)", num(from)),
        ));
    }
    Ok(())
}

/// `n` log-spaced values from `a` to `b` (`[a]` for `n = 1`).
pub fn log_grid(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![a];
    }
    (0..n)
        .map(|i| {
            if i == n - 1 {
                b
            } else {
                (a.ln() + (b.ln() - a.ln()) * i as f64 / (n - 1) as f64).exp()
            }
        })
        .collect()
}
