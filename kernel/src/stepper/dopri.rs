use super::{fits, Step, Stepper};
use crate::error::{check_min, Error};
use crate::llg::Dynamics;
use crate::math::powf_f64;
use crate::real::Real;
use crate::state::Geometry;
use crate::vec3::Vec3;

/// Error tolerances of the adaptive stepper.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Tolerance {
    /// Absolute tolerance per component (> 0).
    pub atol: f64,
    /// Relative tolerance per component (>= 0).
    pub rtol: f64,
    /// Smallest step (reduced time) before giving up (> 0).
    pub dt_min: f64,
    /// Largest step (reduced time).
    pub dt_max: f64,
}

impl Tolerance {
    /// Validated tolerances.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (keys `solver.atol`, `solver.rtol`, `solver.dt_min`,
    /// `solver.dt_max`) for `atol <= 0`, `rtol < 0`, `dt_min <= 0` or `dt_max <= dt_min`.
    pub fn new(atol: f64, rtol: f64, dt_min: f64, dt_max: f64) -> Result<Self, Error> {
        check_min("solver.atol", atol, 0.0, false, "> 0")?;
        check_min("solver.rtol", rtol, 0.0, true, ">= 0")?;
        check_min("solver.dt_min", dt_min, 0.0, false, "> 0")?;
        check_min("solver.dt_max", dt_max, dt_min, false, "> dt_min")?;
        Ok(Self {
            atol,
            rtol,
            dt_min,
            dt_max,
        })
    }
}

impl Default for Tolerance {
    fn default() -> Self {
        Self {
            atol: 1e-8,
            rtol: 1e-8,
            dt_min: 1e-10,
            dt_max: 1.0,
        }
    }
}

// Dormand & Prince, J. Comput. Appl. Math. 6, 19 (1980): RK5(4)7M.
const C: [f64; 7] = [0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0];
const A: [[f64; 6]; 7] = [
    [0.0; 6],
    [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [
        19372.0 / 6561.0,
        -25360.0 / 2187.0,
        64448.0 / 6561.0,
        -212.0 / 729.0,
        0.0,
        0.0,
    ],
    [
        9017.0 / 3168.0,
        -355.0 / 33.0,
        46732.0 / 5247.0,
        49.0 / 176.0,
        -5103.0 / 18656.0,
        0.0,
    ],
    [
        35.0 / 384.0,
        0.0,
        500.0 / 1113.0,
        125.0 / 192.0,
        -2187.0 / 6784.0,
        11.0 / 84.0,
    ],
];
/// Fifth-order minus embedded fourth-order weights.
const E: [f64; 7] = [
    71.0 / 57600.0,
    0.0,
    -71.0 / 16695.0,
    71.0 / 1920.0,
    -17253.0 / 339200.0,
    22.0 / 525.0,
    -1.0 / 40.0,
];
/// Most rejected attempts in one call before giving up.
pub(super) const MAX_REJECTIONS: u32 = 64;

/// Adaptive Dormand-Prince 5(4) with the standard controller
/// (`dt_new = dt * clamp(0.9 err^(-1/5), 0.2, 5)`, Hairer-Norsett-Wanner RMS error norm with
/// `sc = atol + rtol max(|y_n|, |y_n+1|)`); the fifth-order solution is propagated and `m` is
/// renormalised after each accepted step. Seven field evaluations per attempt.
#[derive(Clone, Debug)]
pub struct DormandPrince<S, const N: usize> {
    /// Tolerances.
    pub tol: Tolerance,
    k: [[Vec3<S>; N]; 7],
    y: [Vec3<S>; N],
}

impl<S: Real, const N: usize> DormandPrince<S, N> {
    /// A stepper with the given tolerances.
    pub fn new(tol: Tolerance) -> Self {
        Self {
            tol,
            k: [[Vec3::ZERO; N]; 7],
            y: [Vec3::ZERO; N],
        }
    }

    fn stage_input(&mut self, m: &[Vec3<S>], s: usize, dt: S) {
        for (i, &mi) in m.iter().enumerate() {
            let mut acc = mi;
            for (j, kj) in self.k.iter().enumerate().take(s) {
                if A[s][j] != 0.0 {
                    acc += kj[i].scale(dt * S::from_f64(A[s][j]));
                }
            }
            self.y[i] = acc;
        }
    }
}

impl<S: Real, const N: usize> Stepper<S, N> for DormandPrince<S, N> {
    const NAME: &'static str = "dopri45";
    const ADAPTIVE: bool = true;

    fn step<D: Dynamics<S>>(
        &mut self,
        sys: &D,
        t: S,
        m: &mut [Vec3<S>],
        dt: S,
    ) -> Result<Step<S>, Error> {
        fits::<S, N>(m)?;
        let n = m.len();
        let controlled = D::Geometry::controlled(n).min(n);
        let mut h = dt.to_f64().min(self.tol.dt_max);
        let mut rejected = 0;
        sys.rhs(t, m, &mut self.k[0][..n]);
        loop {
            let hs = S::from_f64(h);
            for s in 1..7 {
                self.stage_input(m, s, hs);
                let (_, rest) = self.k.split_at_mut(s);
                sys.rhs(t + hs * S::from_f64(C[s]), &self.y[..n], &mut rest[0][..n]);
            }
            // The scaled RMS error over the controlled vectors (Hairer, Norsett and Wanner
            // 1993, eq. II.4.11), summed in f64 as the state is visited: no per-step array.
            let mut sum = 0.0f64;
            let mut finite = true;
            for i in 0..n {
                let mut err = Vec3::<S>::ZERO;
                for (s, ks) in self.k.iter().enumerate() {
                    if E[s] != 0.0 {
                        err += ks[i].scale(hs * S::from_f64(E[s]));
                    }
                }
                finite &= self.y[i].is_finite();
                if i < controlled {
                    let (e, y0, y1) = (err.to_f64(), m[i].to_f64(), self.y[i].to_f64());
                    for c in 0..3 {
                        let sc = self.tol.atol + self.tol.rtol * y0[c].abs().max(y1[c].abs());
                        let r = e[c] / sc;
                        sum += r * r;
                    }
                }
            }
            let count = 3 * controlled;
            let err = crate::math::sqrt_f64(sum / count as f64);
            let factor = if err == 0.0 {
                5.0
            } else {
                (0.9 * powf_f64(err, -0.2)).clamp(0.2, 5.0)
            };
            if finite && err <= 1.0 {
                D::Geometry::commit(m, &mut self.y[..n], t)?;
                let next = (h * factor).clamp(self.tol.dt_min, self.tol.dt_max);
                return Ok(Step {
                    taken: hs,
                    next: S::from_f64(next),
                    rejected,
                });
            }
            rejected += 1;
            h *= if finite { factor.min(0.9) } else { 0.2 };
            if h < self.tol.dt_min || rejected > MAX_REJECTIONS {
                return Err(Error::StepSizeUnderflow {
                    t: t.to_f64(),
                    dt: h,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stepper::test_support::*;

    #[test]
    fn meets_tolerance_and_adapts() {
        let tol = Tolerance::new(1e-9, 1e-9, 1e-12, 0.5).unwrap();
        let mut st = DormandPrince::<f64, 1>::new(tol);
        let (err, steps) = precession_error(&mut st, 0.2, 1.0, 20.0, 1e-3);
        assert!(err < 1e-7, "err {err}");
        assert!(steps < 400, "steps {steps}");
    }
}
