use super::{axpy, fits, scratch_stepper, Scratch, Step, Stepper};
use crate::error::Error;
use crate::llg::Dynamics;
use crate::real::Real;
use crate::state::Geometry;
use crate::vec3::Vec3;

/// Heun predictor-corrector (explicit trapezoidal rule): order 2 deterministically, strong order 1
/// and Stratonovich-consistent when the thermal field is drawn once per step and reused in both
/// stages. Two field evaluations per step; `m` renormalised after each step.
#[derive(Clone, Debug)]
pub struct Heun<S, const N: usize> {
    /// Slopes `k1`, `k2` and the stage input.
    s: Scratch<S, N, 3>,
}

scratch_stepper!(Heun);

/// One Heun step of `m` using the buffers `v` (slopes `k1`, `k2` and the stage input).
#[inline(always)]
fn stages<S: Real, D: Dynamics<S>, const N: usize>(
    sys: &D,
    t: S,
    m: &mut [Vec3<S>],
    dt: S,
    v: &mut [[Vec3<S>; N]; 3],
) -> Result<(), Error> {
    let n = m.len();
    let [k1, k2, tmp] = v;
    let (k1, k2, tmp) = (&mut k1[..n], &mut k2[..n], &mut tmp[..n]);
    sys.rhs(t, m, k1);
    axpy(tmp, m, k1, dt);
    sys.rhs(t + dt, tmp, k2);
    let half = dt * S::HALF;
    for i in 0..n {
        tmp[i] = m[i] + (k1[i] + k2[i]).scale(half);
    }
    D::Geometry::commit(m, tmp, t)
}

impl<S: Real, const N: usize> Stepper<S, N> for Heun<S, N> {
    const NAME: &'static str = "heun";
    const STOCHASTIC: bool = true;

    #[inline]
    fn step<D: Dynamics<S>>(
        &mut self,
        sys: &D,
        t: S,
        m: &mut [Vec3<S>],
        dt: S,
    ) -> Result<Step<S>, Error> {
        fits::<S, N>(m)?;
        if N <= 4 {
            // small N: stages in locals (registers), as in `Rk4`
            stages(sys, t, m, dt, &mut Scratch::<S, N, 3>::default().v)?;
        } else {
            stages(sys, t, m, dt, &mut self.s.v)?;
        }
        Ok(Step::fixed(dt))
    }
}
