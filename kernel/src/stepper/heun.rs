use super::{axpy, fixed_stepper};
use crate::state::Geometry;

fixed_stepper! {
    /// Heun predictor-corrector (explicit trapezoidal rule): order 2 deterministically, strong
    /// order 1 and Stratonovich-consistent when the thermal field is drawn once per step and
    /// reused in both stages. Two field evaluations per step; `m` renormalised after each step.
    Heun, "heun", stochastic: true, scratch: 3,
    fn stages(sys, t, m, dt, [k1, k2, tmp]) {
        let n = m.len();
        sys.rhs(t, m, k1);
        axpy(tmp, m, k1, dt);
        sys.rhs(t + dt, tmp, k2);
        let half = dt * S::HALF;
        for i in 0..n {
            tmp[i] = m[i] + (k1[i] + k2[i]).scale(half);
        }
        D::Geometry::commit(m, tmp, t)
    }
}
