use super::{axpy, fixed_stepper};
use crate::state::Geometry;

fixed_stepper! {
    /// Classical fourth-order Runge-Kutta; `m` renormalised after each step (a projection that
    /// keeps the order). Four field evaluations per step.
    Rk4, "rk4", stochastic: false, scratch: 5,
    fn stages(sys, t, m, dt, [k1, k2, k3, k4, tmp]) {
        let n = m.len();
        let half = dt * S::HALF;
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stepper::test_support::*;

    #[test]
    fn tracks_damped_precession() {
        let (err, _) = precession_error(&mut Rk4::<f64, 1>::new(), 0.1, 1.0, 20.0, 0.01);
        assert!(err < 1e-9, "err {err}");
    }
}
