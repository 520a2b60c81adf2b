use super::dopri::{Tolerance, MAX_REJECTIONS};
use super::{fits, Step, Stepper};
use crate::error::Error;
use crate::llg::Dynamics;
use crate::math::sqrt_f64;
use crate::real::Real;
use crate::state::Geometry;
use crate::vec3::Vec3;

// Dormand & Prince's RK8(5,3) "DOP853": Hairer, Norsett and Wanner, Solving Ordinary
// Differential Equations I (2nd ed., Springer 1993), sec. II.5 and II.10, the coefficients of
// Hairer's code dop853.f (as in SciPy's `DOP853`), rounded to f64.
/// Stage times `c[s]` (fractions of the step).
const C: [f64; 12] = [
    0.0,
    0.05260015195876773,
    0.0789002279381516,
    0.1183503419072274,
    0.2816496580927726,
    0.3333333333333333,
    0.25,
    0.3076923076923077,
    0.6512820512820513,
    0.6,
    0.8571428571428571,
    1.0,
];
/// Stage coefficients `a[s][j]`, `j < s` (row 12: the eighth-order weights `b`).
const A: [[f64; 12]; 13] = [
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [
        0.05260015195876773,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
    [
        0.0197250569845379,
        0.0591751709536137,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
    [
        0.02958758547680685,
        0.0,
        0.08876275643042054,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
    [
        0.2413651341592667,
        0.0,
        -0.8845494793282861,
        0.924834003261792,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
    [
        0.037037037037037035,
        0.0,
        0.0,
        0.17082860872947386,
        0.12546768756682242,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
    [
        0.037109375,
        0.0,
        0.0,
        0.17025221101954405,
        0.06021653898045596,
        -0.017578125,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
    [
        0.03709200011850479,
        0.0,
        0.0,
        0.17038392571223998,
        0.10726203044637328,
        -0.015319437748624402,
        0.008273789163814023,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
    [
        0.6241109587160757,
        0.0,
        0.0,
        -3.3608926294469414,
        -0.868219346841726,
        27.59209969944671,
        20.154067550477894,
        -43.48988418106996,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
    [
        0.47766253643826434,
        0.0,
        0.0,
        -2.4881146199716677,
        -0.590290826836843,
        21.230051448181193,
        15.279233632882423,
        -33.28821096898486,
        -0.020331201708508627,
        0.0,
        0.0,
        0.0,
    ],
    [
        -0.9371424300859873,
        0.0,
        0.0,
        5.186372428844064,
        1.0914373489967295,
        -8.149787010746927,
        -18.52006565999696,
        22.739487099350505,
        2.4936055526796523,
        -3.0467644718982196,
        0.0,
        0.0,
    ],
    [
        2.273310147516538,
        0.0,
        0.0,
        -10.53449546673725,
        -2.0008720582248625,
        -17.9589318631188,
        27.94888452941996,
        -2.8589982771350235,
        -8.87285693353063,
        12.360567175794303,
        0.6433927460157636,
        0.0,
    ],
    [
        0.054293734116568765,
        0.0,
        0.0,
        0.0,
        0.0,
        4.450312892752409,
        1.8915178993145003,
        -5.801203960010585,
        0.3111643669578199,
        -0.1521609496625161,
        0.20136540080403034,
        0.04471061572777259,
    ],
];
/// Eighth-order minus fifth-order weights.
const E5: [f64; 12] = [
    0.01312004499419488,
    0.0,
    0.0,
    0.0,
    0.0,
    -1.2251564463762044,
    -0.4957589496572502,
    1.6643771824549864,
    -0.35032884874997366,
    0.3341791187130175,
    0.08192320648511571,
    -0.022355307863886294,
];
/// Eighth-order minus third-order weights.
const E3: [f64; 12] = [
    -0.18980075407240762,
    0.0,
    0.0,
    0.0,
    0.0,
    4.450312892752409,
    1.8915178993145003,
    -5.801203960010585,
    -0.4226823213237919,
    -0.1521609496625161,
    0.20136540080403034,
    0.02265179219836082,
];
/// Stages per attempt.
const STAGES: usize = 12;

/// `y_i = m_i + sum_j dt a[j] k[j]_i` over the stages `k` (the nonzero `a[j]` only, in stage
/// order): the input of the next stage, or the solution for the weights of the last row.
#[inline(always)]
fn stage_sum<S: Real, const N: usize>(
    k: &[[Vec3<S>; N]],
    a: &[f64],
    m: &[Vec3<S>],
    dt: S,
    y: &mut [Vec3<S>],
) {
    for (i, (&mi, yi)) in m.iter().zip(y.iter_mut()).enumerate() {
        let mut acc = mi;
        for (kj, &aj) in k.iter().zip(a) {
            if aj != 0.0 {
                acc += kj[i].scale(dt * S::from_f64(aj));
            }
        }
        *yi = acc;
    }
}

/// Adaptive Dormand-Prince 8(5,3) (`"dop853"`, Hairer's DOP853): eighth order, twelve field
/// evaluations per attempt, for smooth deterministic runs at tight tolerances, where its steps
/// are several times longer than those of [`super::DormandPrince`] (error `~ dt^8` against
/// `dt^5`). Error estimate of Hairer et al. (1993, sec. II.10): the fifth-order estimate
/// `e5` corrected by the third-order `e3`, `err = |e5|^2 / sqrt(|e5|^2 + 0.01 |e3|^2)` in the
/// RMS norm with `sc = atol + rtol max(|y_n|, |y_n+1|)`; controller `dt_new = dt * clamp(0.9
/// err^(-1/8), 0.2, 10)` (SciPy's bounds). The eighth-order solution is propagated and
/// committed through the dynamics' geometry (renormalised on the unit sphere).
#[derive(Clone, Debug)]
pub struct Dop853<S, const N: usize> {
    /// Tolerances.
    pub tol: Tolerance,
    k: [[Vec3<S>; N]; STAGES],
    y: [Vec3<S>; N],
}

impl<S: Real, const N: usize> Dop853<S, N> {
    /// A stepper with the given tolerances.
    pub fn new(tol: Tolerance) -> Self {
        Self {
            tol,
            k: [[Vec3::ZERO; N]; STAGES],
            y: [Vec3::ZERO; N],
        }
    }
}

impl<S: Real, const N: usize> Stepper<S, N> for Dop853<S, N> {
    const NAME: &'static str = "dop853";
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
            // the stages written out, so that each combination sees its constants (the zero
            // coefficients drop out at compile time)
            macro_rules! stages {
                ($($s:literal)*) => {$(
                    stage_sum(&self.k[..$s], &A[$s][..$s], m, hs, &mut self.y[..n]);
                    let (_, rest) = self.k.split_at_mut($s);
                    sys.rhs(t + hs * S::from_f64(C[$s]), &self.y[..n], &mut rest[0][..n]);
                )*};
            }
            stages!(1 2 3 4 5 6 7 8 9 10 11);
            stage_sum(&self.k, &A[STAGES], m, hs, &mut self.y[..n]);
            // |e5|^2 and |e3|^2 over the controlled vectors, scaled (summed in f64)
            let (mut s5, mut s3) = (0.0f64, 0.0f64);
            let mut finite = true;
            for i in 0..n {
                let (mut e5, mut e3) = (Vec3::<S>::ZERO, Vec3::<S>::ZERO);
                for (s, ks) in self.k.iter().enumerate() {
                    if E5[s] != 0.0 {
                        e5 += ks[i].scale(S::from_f64(E5[s]));
                    }
                    if E3[s] != 0.0 {
                        e3 += ks[i].scale(S::from_f64(E3[s]));
                    }
                }
                finite &= self.y[i].is_finite();
                if i < controlled {
                    let (e5, e3) = (e5.to_f64(), e3.to_f64());
                    let (y0, y1) = (m[i].to_f64(), self.y[i].to_f64());
                    for c in 0..3 {
                        let sc = self.tol.atol + self.tol.rtol * y0[c].abs().max(y1[c].abs());
                        let inv = 1.0 / sc;
                        let (r5, r3) = (e5[c] * inv, e3[c] * inv);
                        s5 += r5 * r5;
                        s3 += r3 * r3;
                    }
                }
            }
            let denom = s5 + 0.01 * s3;
            let err = if denom == 0.0 {
                0.0
            } else {
                h * s5 / sqrt_f64(denom * (3 * controlled.max(1)) as f64)
            };
            // err^(-1/8) as three square roots and a division: correctly rounded everywhere
            // (the math chokepoint), and a third of `pow`'s time on the step's critical path
            let factor = if err == 0.0 {
                10.0
            } else {
                let r8 = sqrt_f64(sqrt_f64(sqrt_f64(err)));
                (0.9 / r8).clamp(0.2, 10.0)
            };
            if finite && err.is_finite() && err <= 1.0 {
                D::Geometry::commit(m, &mut self.y[..n], t)?;
                let next = (h * factor).clamp(self.tol.dt_min, self.tol.dt_max);
                return Ok(Step {
                    taken: hs,
                    next: S::from_f64(next),
                    rejected,
                });
            }
            rejected += 1;
            h *= if finite && err.is_finite() {
                factor.min(0.9)
            } else {
                0.2
            };
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
    use crate::stepper::DormandPrince;

    #[test]
    fn meets_tolerance_in_fewer_steps_than_dopri45() {
        let tol = Tolerance::new(1e-10, 1e-10, 1e-12, 5.0).unwrap();
        let mut st = Dop853::<f64, 1>::new(tol);
        let (err, steps) = precession_error(&mut st, 0.2, 1.0, 20.0, 1e-3);
        let mut dp = DormandPrince::<f64, 1>::new(tol);
        let (err_dp, steps_dp) = precession_error(&mut dp, 0.2, 1.0, 20.0, 1e-3);
        assert!(err < 1e-8, "err {err}");
        assert!(
            3 * steps < steps_dp,
            "dop853 {steps} steps (error {err:.1e}), dopri45 {steps_dp} ({err_dp:.1e})"
        );
    }

    /// The tableau: rows sum to the stage times, the weights to 1 and the error weights to 0
    /// (the conditions of consistency, to rounding).
    #[test]
    fn tableau_is_consistent() {
        for (s, row) in A.iter().enumerate().take(STAGES) {
            let sum: f64 = row.iter().sum();
            assert!((sum - C[s]).abs() < 1e-14, "row {s}: {sum} vs {}", C[s]);
        }
        assert!((A[STAGES].iter().sum::<f64>() - 1.0).abs() < 1e-14);
        assert!(E5.iter().sum::<f64>().abs() < 1e-14);
        assert!(E3.iter().sum::<f64>().abs() < 1e-14);
    }
}
