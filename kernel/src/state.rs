//! The geometry of a dynamics' state: what a stepper does after combining stages.
//!
//! Every equation of motion declares the manifold its state lives on
//! ([`crate::llg::Dynamics::Geometry`]); the steppers are written once against [`Geometry`] and
//! never assume a unit vector:
//!
//! | geometry | state | after a step |
//! |---|---|---|
//! | [`UnitSphere`] | `N` unit vectors `m_i` (LLG) | renormalise each `m_i` |
//! | [`FreeVector`] | `N` vectors of free length (LLB, any ODE in R^3N) | nothing |
//! | [`TangentBundle`] | `(m_0..m_{n-1}, v_0..v_{n-1})`, `N = 2n` (inertial LLG, `v = dm/dt`) | renormalise `m_i`, project `v_i` onto the tangent plane of `m_i` |
//!
//! Each commit checks finiteness first and leaves the old state untouched on failure, so a
//! stepper error never destroys the last good state.

use crate::error::Error;
use crate::real::Real;
use crate::vec3::Vec3;

/// The manifold of a state of `N` vectors: how a stepper's combined stage result returns to it,
/// and the error norm an adaptive stepper controls.
pub trait Geometry {
    /// Short name (`"unit-sphere"`, `"free"`, `"tangent-bundle"`).
    const NAME: &'static str;
    /// `true` when every vector of the state is a unit vector and nothing else, so that an
    /// update may be a rotation (what [`crate::stepper::Midpoint`] needs).
    const ROTATION: bool;

    /// Writes `new`, brought back onto the manifold, into `state`.
    ///
    /// # Errors
    /// [`Error::NonFiniteState`] (with time `t`) if any vector of `new` is not finite; `state`
    /// is then left as it was.
    fn commit<S: Real, const N: usize>(
        state: &mut [Vec3<S>; N],
        new: &[Vec3<S>; N],
        t: S,
    ) -> Result<(), Error>;

    /// Sum of squared scaled errors `sum_c (err_c / (atol + rtol max(|y0_c|, |y1_c|)))^2` over
    /// the components the adaptive stepper controls, and how many there are (the RMS norm of
    /// Hairer, Norsett and Wanner 1993, eq. II.4.11). Every component by default.
    #[inline]
    fn error_sum<const N: usize>(
        err: &[[f64; 3]; N],
        y0: &[[f64; 3]; N],
        y1: &[[f64; 3]; N],
        atol: f64,
        rtol: f64,
    ) -> (f64, usize) {
        scaled_error_sum(err, y0, y1, atol, rtol, N)
    }
}

/// `N` unit vectors (the LLG state): renormalised after each step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnitSphere;

/// `N` vectors of free length (the LLB state): nothing to restore after a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FreeVector;

/// `(m, v)` with `|m| = 1` and `m . v = 0` (the inertial-LLG state, `v = dm/dt`): the first half
/// of the `N = 2n` vectors are the directions `m_i`, the second half their velocities `v_i`.
/// After a step `m_i` is renormalised and `v_i` loses its component along the new `m_i`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TangentBundle;

/// The scaled squared error of the first `n` vectors and the number of components summed (see
/// [`Geometry::error_sum`]).
#[inline]
fn scaled_error_sum<const N: usize>(
    err: &[[f64; 3]; N],
    y0: &[[f64; 3]; N],
    y1: &[[f64; 3]; N],
    atol: f64,
    rtol: f64,
    n: usize,
) -> (f64, usize) {
    let mut sum = 0.0f64;
    for i in 0..n.min(N) {
        for c in 0..3 {
            let sc = atol + rtol * y0[i][c].abs().max(y1[i][c].abs());
            let r = err[i][c] / sc;
            sum += r * r;
        }
    }
    (sum, 3 * n.min(N))
}

/// `|v|^2` of every vector, or the error if one is not finite. One test per vector: `|v|^2` is
/// finite exactly when every component is (an overflow to infinity counts as a failure too).
#[inline(always)]
fn norms2<S: Real, const N: usize>(new: &[Vec3<S>; N], t: S) -> Result<[S; N], Error> {
    let mut n2 = [S::ZERO; N];
    for i in 0..N {
        n2[i] = new[i].norm2();
        if !n2[i].is_finite() {
            return Err(Error::NonFiniteState { t: t.to_f64() });
        }
    }
    Ok(n2)
}

impl Geometry for UnitSphere {
    const NAME: &'static str = "unit-sphere";
    const ROTATION: bool = true;

    #[inline(always)]
    fn commit<S: Real, const N: usize>(
        state: &mut [Vec3<S>; N],
        new: &[Vec3<S>; N],
        t: S,
    ) -> Result<(), Error> {
        let n2 = norms2(new, t)?;
        for i in 0..N {
            state[i] = new[i].renormalized_from(n2[i]);
        }
        Ok(())
    }
}

impl Geometry for FreeVector {
    const NAME: &'static str = "free";
    const ROTATION: bool = false;

    #[inline(always)]
    fn commit<S: Real, const N: usize>(
        state: &mut [Vec3<S>; N],
        new: &[Vec3<S>; N],
        t: S,
    ) -> Result<(), Error> {
        norms2(new, t)?;
        *state = *new;
        Ok(())
    }
}

impl Geometry for TangentBundle {
    const NAME: &'static str = "tangent-bundle";
    const ROTATION: bool = false;

    #[inline(always)]
    fn commit<S: Real, const N: usize>(
        state: &mut [Vec3<S>; N],
        new: &[Vec3<S>; N],
        t: S,
    ) -> Result<(), Error> {
        const {
            assert!(
                N % 2 == 0,
                "a tangent-bundle state holds (m, v) pairs: N is even"
            )
        };
        let n = N / 2;
        let n2 = norms2(new, t)?;
        for i in 0..n {
            let m = new[i].renormalized_from(n2[i]);
            let v = new[n + i];
            state[i] = m;
            state[n + i] = v - m.scale(m.dot(v));
        }
        Ok(())
    }

    /// Only the directions `m_i`: the velocities are slaved to them (their error is the
    /// derivative of the direction error) and their scale, `1/tau`, differs by orders of
    /// magnitude from that of `m`.
    #[inline]
    fn error_sum<const N: usize>(
        err: &[[f64; 3]; N],
        y0: &[[f64; 3]; N],
        y1: &[[f64; 3]; N],
        atol: f64,
        rtol: f64,
    ) -> (f64, usize) {
        scaled_error_sum(err, y0, y1, atol, rtol, N / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_sphere_renormalises() {
        let mut s = [Vec3::X];
        UnitSphere::commit(&mut s, &[Vec3::new(2.0f64, 0.0, 0.0)], 0.0).unwrap();
        assert!((s[0].norm() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn free_vector_keeps_length_and_refuses_nan() {
        let mut s = [Vec3::X];
        FreeVector::commit(&mut s, &[Vec3::new(0.5f64, 0.0, 0.0)], 0.0).unwrap();
        assert_eq!(s[0].x, 0.5);
        let bad = [Vec3::new(f64::NAN, 0.0, 0.0)];
        assert!(FreeVector::commit(&mut s, &bad, 1.0).is_err());
        assert_eq!(s[0].x, 0.5, "old state kept");
    }

    #[test]
    fn tangent_bundle_projects_velocity() {
        let mut s = [Vec3::Z, Vec3::ZERO];
        let new = [Vec3::new(0.0f64, 0.0, 1.1), Vec3::new(0.3, 0.0, 0.2)];
        TangentBundle::commit(&mut s, &new, 0.0).unwrap();
        assert!((s[0].norm() - 1.0).abs() < 1e-15);
        assert!(s[0].dot(s[1]).abs() < 1e-15);
        assert_eq!(s[1].x, 0.3);
    }
}
