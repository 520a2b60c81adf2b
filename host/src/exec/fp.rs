//! Execution stage: the write-error rate of an axially symmetric scenario from the kernel's
//! Fokker-Planck solver ([`larmor::fokker_planck`]), with a discretisation-error estimate from
//! Richardson extrapolation between grid and time-step levels.
//!
//! Three solves: `(N, dt)`, `(N/2, dt)` and `(N, 2 dt)`. The scheme is second order in the cell
//! width and first order in the step, and a rare-event rate is a product of many factors, so
//! the levels are compared in `ln WER`: the grid error of the finest level is
//! `e_g = (L(N) - L(N/2)) / 3`, the step error `e_t = L(dt) - L(2 dt)`, the extrapolated value
//! `L* = L(N, dt) + e_g + e_t` (L. F. Richardson, Phil. Trans. R. Soc. A 210, 307 (1911)), and
//! the interval `exp(L* +- (|e_g| + |e_t|))`: the whole correction as the error bar, which holds
//! the finest level and, as long as the levels are in the asymptotic range, the exact value.

use larmor::fokker_planck::{work_len, FokkerPlanck, Initial};
use larmor::params::Validated;

/// A write-error rate with its discretisation-error interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct FpEstimate {
    /// Extrapolated write-error rate.
    pub wer: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
    /// WER of the finest level `(N, dt)`.
    pub fine: f64,
    /// WER on the coarse grid `(N/2, dt)`.
    pub coarse_grid: f64,
    /// WER with the coarse step `(N, 2 dt)`.
    pub coarse_step: f64,
    /// Estimated grid error of the finest level in `ln WER` (`-e_g`: the finest level is
    /// about `exp(grid_error + step_error)` times the exact value).
    pub grid_error: f64,
    /// Estimated step error of the finest level in `ln WER` (`-e_t`).
    pub step_error: f64,
}

/// The write-error rate of `spec` read at `read_time` (s) on `grid` cells with steps of at most
/// `dt` (s), from `initial`.
///
/// # Errors
/// The kernel's ([`FokkerPlanck::new`], [`FokkerPlanck::advance`]).
pub fn fp_wer(
    spec: &Validated,
    read_time: f64,
    grid: usize,
    dt: f64,
    initial: Initial,
) -> Result<FpEstimate, larmor::Error> {
    let u = spec.units();
    let (t_read, dt) = (u.time_to_reduced(read_time), u.time_to_reduced(dt));
    let level = |n: usize, dt: f64| -> Result<f64, larmor::Error> {
        let mut fp = FokkerPlanck::new(spec, n)?;
        let mut work = vec![0.0; work_len(n)];
        fp.write_error_rate(initial, t_read, dt, &mut work)
    };
    // the three levels are independent: the finest alone on one thread, the two coarse ones
    // (half its cost each) together on another
    let (fine, (coarse_grid, coarse_step)) = std::thread::scope(|s| {
        let coarse = s.spawn(|| (level(grid / 2, dt), level(grid, 2.0 * dt)));
        let fine = level(grid, dt);
        let coarse = coarse
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (fine, coarse)
    });
    let (fine, coarse_grid, coarse_step) = (fine?, coarse_grid?, coarse_step?);
    Ok(estimate(fine, coarse_grid, coarse_step))
}

/// Richardson's estimate in `ln WER` from the three levels (see the module docs).
fn estimate(fine: f64, coarse_grid: f64, coarse_step: f64) -> FpEstimate {
    let tiny = f64::MIN_POSITIVE;
    let l = |w: f64| w.max(tiny).ln();
    let (l0, lg, lt) = (l(fine), l(coarse_grid), l(coarse_step));
    let e_g = (l0 - lg) / 3.0;
    let e_t = l0 - lt;
    let centre = l0 + e_g + e_t;
    let half = e_g.abs() + e_t.abs();
    FpEstimate {
        wer: centre.exp().min(1.0),
        low: (centre - half).exp().min(1.0),
        high: (centre + half).exp().min(1.0),
        fine,
        coarse_grid,
        coarse_step,
        grid_error: -e_g,
        step_error: -e_t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn richardson_removes_the_leading_errors() {
        // ln W = ln W* + c h^2 + d dt: levels (h, dt), (2h, dt), (h, 2 dt)
        let (w, c, d) = (1e-9f64, 0.02, 0.05);
        let at = |h: f64, t: f64| (w.ln() + c * h * h + d * t).exp();
        let e = estimate(at(1.0, 1.0), at(2.0, 1.0), at(1.0, 2.0));
        assert!((e.wer / w - 1.0).abs() < 1e-12, "{e:?}");
        // the interval holds the exact value and, at its edge, the finest level
        assert!(e.low < w && w < e.high && e.low < e.fine, "{e:?}");
        assert!((e.fine / e.high - 1.0).abs() < 1e-12, "{e:?}");
        assert!((e.grid_error - c).abs() < 1e-12 && (e.step_error - d).abs() < 1e-12);
    }
}
