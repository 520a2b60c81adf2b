use super::fixed_stepper;
use crate::error::Error;
use crate::real::Real;
use crate::state::Geometry;
use crate::vec3::Vec3;

fixed_stepper! {
    /// Semi-implicit midpoint scheme "SIB" of Mentink et al., J. Phys.: Condens. Matter 22,
    /// 176001 (2010): order 2, and every update is an exact rotation (Cayley transform), so `|m|`
    /// is preserved to rounding without any renormalisation.
    ///
    /// Writing the right-hand side as `dm/dtau = w(m) x m` with `w = m x f(m) / |m|^2` (exact
    /// for any torque perpendicular to `m`), each stage solves `x = m + (dt/2) w x (m + x)` in
    /// closed form: `x = [(1 - |a|^2) m + 2 a x m + 2 (a.m) a] / (1 + |a|^2)`, `a = w dt/2`. The
    /// predictor uses `w(m_n)`, the corrector `w` at the predicted midpoint `(m_n + m~)/2`.
    Midpoint, "midpoint", stochastic: true, scratch: 2,
    fn stages(sys, t, m, dt, [f, pred]) {
        if !D::Geometry::ROTATION {
            return Err(Error::Inconsistent {
                what: "the midpoint (Cayley) stepper rotates unit vectors: use rk4, heun or dopri45 for a state that is not on the unit sphere",
            });
        }
        let n = m.len();
        let half = dt * S::HALF;
        sys.rhs(t, m, f);
        for i in 0..n {
            let a = omega(m[i], f[i]).scale(half);
            // midpoint of m_n and the predictor
            pred[i] = (m[i] + cayley(a, m[i])).scale(S::HALF);
        }
        sys.rhs(t + half, pred, f);
        for i in 0..n {
            let a = omega(pred[i], f[i]).scale(half);
            pred[i] = cayley(a, m[i]);
        }
        for v in pred.iter() {
            if !v.is_finite() {
                return Err(Error::NonFiniteState { t: t.to_f64() });
            }
        }
        // a rotation needs no renormalisation (the integrator flushes tiny components:
        // crate::state::flush)
        m.copy_from_slice(pred);
        Ok(())
    }
}

/// Cayley rotation of `m` by `a = w dt / 2`.
#[inline(always)]
fn cayley<S: Real>(a: Vec3<S>, m: Vec3<S>) -> Vec3<S> {
    let a2 = a.norm2();
    let num = m.scale(S::ONE - a2) + a.cross(m).scale(S::TWO) + a.scale(S::TWO * a.dot(m));
    num.scale((S::ONE + a2).recip())
}

/// Rotation vector `w` with `w x m = f` for `f` perpendicular to `m`.
#[inline(always)]
fn omega<S: Real>(m: Vec3<S>, f: Vec3<S>) -> Vec3<S> {
    m.cross(f).scale(m.norm2().recip())
}
