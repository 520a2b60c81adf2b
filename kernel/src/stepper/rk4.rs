use super::{axpy, fits, scratch_stepper, Scratch, Step, Stepper};
use crate::error::Error;
use crate::llg::Dynamics;
use crate::real::Real;
use crate::state::Geometry;
use crate::vec3::Vec3;

/// Classical fourth-order Runge-Kutta; `m` renormalised after each step (a projection that keeps
/// the order). Four field evaluations per step.
#[derive(Clone, Debug)]
pub struct Rk4<S, const N: usize> {
    /// Stage slopes `k1..k4` and the stage input.
    s: Scratch<S, N, 5>,
}

scratch_stepper!(Rk4);

/// One RK4 step of `m` using the buffers `v` (four stage slopes and the stage input), each at
/// least as long as `m`.
#[inline(always)]
fn stages<S: Real, D: Dynamics<S>, const N: usize>(
    sys: &D,
    t: S,
    m: &mut [Vec3<S>],
    dt: S,
    v: &mut [[Vec3<S>; N]; 5],
) -> Result<(), Error> {
    let n = m.len();
    let half = dt * S::HALF;
    let [k1, k2, k3, k4, tmp] = v;
    let (k1, k2, k3, k4, tmp) = (
        &mut k1[..n],
        &mut k2[..n],
        &mut k3[..n],
        &mut k4[..n],
        &mut tmp[..n],
    );
    sys.rhs(t, m, k1);
    axpy(tmp, m, k1, half);
    sys.rhs(t + half, tmp, k2);
    axpy(tmp, m, k2, half);
    sys.rhs(t + half, tmp, k3);
    axpy(tmp, m, k3, dt);
    sys.rhs(t + dt, tmp, k4);
    let sixth = dt * S::from_f64(1.0 / 6.0);
    for i in 0..n {
        let sum = k1[i] + k4[i] + (k2[i] + k3[i]).scale(S::TWO);
        tmp[i] = m[i] + sum.scale(sixth);
    }
    D::Geometry::commit(m, tmp, t)
}

impl<S: Real, const N: usize> Stepper<S, N> for Rk4<S, N> {
    const NAME: &'static str = "rk4";

    #[inline]
    fn step<D: Dynamics<S>>(
        &mut self,
        sys: &D,
        t: S,
        m: &mut [Vec3<S>],
        dt: S,
    ) -> Result<Step<S>, Error> {
        fits::<S, N>(m)?;
        // Stage values live in locals so that, for small N, they stay in registers (the
        // critical path is the chain of four dependent stages); the stepper's own buffers keep
        // large lattices off the stack.
        if N <= 4 {
            stages(sys, t, m, dt, &mut Scratch::<S, N, 5>::default().v)?;
        } else {
            stages(sys, t, m, dt, &mut self.s.v)?;
        }
        Ok(Step::fixed(dt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stepper::test_support::*;

    #[test]
    fn tracks_damped_precession() {
        let (alpha, h) = (0.1, 1.0);
        let sys = precession(alpha, h);
        let mut st = Rk4::<f64, 1>::new();
        let mut m = [Vec3::X];
        let dt = 0.01;
        for k in 0..2000 {
            st.step(&sys, k as f64 * dt, &mut m, dt).unwrap();
        }
        assert!((m[0].z - exact_mz(alpha, h, 20.0)).abs() < 1e-9);
    }
}
