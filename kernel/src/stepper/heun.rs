use super::{axpy, too_long, Step, Stepper};
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
    k1: [Vec3<S>; N],
    k2: [Vec3<S>; N],
    tmp: [Vec3<S>; N],
}

impl<S: Real, const N: usize> Default for Heun<S, N> {
    fn default() -> Self {
        Self {
            k1: [Vec3::ZERO; N],
            k2: [Vec3::ZERO; N],
            tmp: [Vec3::ZERO; N],
        }
    }
}

impl<S: Real, const N: usize> Heun<S, N> {
    /// A new stepper with zeroed scratch.
    pub fn new() -> Self {
        Self::default()
    }
}

/// One Heun step of `m` using the buffers `k1`, `k2` (slopes) and `tmp`.
#[inline(always)]
fn stages<S: Real, D: Dynamics<S>, const N: usize>(
    sys: &D,
    t: S,
    m: &mut [Vec3<S>],
    dt: S,
    k1: &mut [Vec3<S>; N],
    k2: &mut [Vec3<S>; N],
    tmp: &mut [Vec3<S>; N],
) -> Result<(), Error> {
    let n = m.len();
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
        if m.len() > N {
            return Err(too_long(N));
        }
        if N <= 4 {
            // small N: stages in locals (registers), as in `Rk4`
            let (mut k1, mut k2, mut tmp) = ([Vec3::ZERO; N], [Vec3::ZERO; N], [Vec3::ZERO; N]);
            stages(sys, t, m, dt, &mut k1, &mut k2, &mut tmp)?;
        } else {
            stages(sys, t, m, dt, &mut self.k1, &mut self.k2, &mut self.tmp)?;
        }
        Ok(Step {
            taken: dt,
            next: dt,
            rejected: 0,
        })
    }
}
