//! The geometry of a dynamics' state: what a stepper does after combining stages.
//!
//! Every equation of motion declares the manifold its state lives on
//! ([`crate::llg::Dynamics::Geometry`]); the steppers are written once against [`Geometry`] and
//! never assume a unit vector:
//!
//! | geometry | state | after a step |
//! |---|---|---|
//! | [`UnitSphere`] | `n` unit vectors `m_i` (LLG) | renormalise each `m_i` |
//! | [`FreeVector`] | `n` vectors of free length (LLB, any ODE in R^3n) | nothing |
//! | [`TangentBundle`] | `(m_0..m_{n-1}, v_0..v_{n-1})`, `2n` vectors (inertial LLG, `v = dm/dt`) | renormalise `m_i`, project `v_i` onto the tangent plane of `m_i` |
//!
//! Every [`FLUSH_EVERY`] steps the integrator ([`crate::integrate::Integrator`]) then flushes
//! the state's components below [`Real::TINY`] to zero ([`flush`], [`Real::flush_tiny`]): a
//! settling state's deviations from equilibrium decay geometrically, and without the flush they
//! end as subnormal numbers, which x86 processes about a hundred times slower (a settled 1 us
//! run was 2.4x slower in f64 and 8x in f32 than a fresh one). The flush is plain comparisons
//! at a cadence fixed by the step count, identical on every target, so host and firmware stay
//! bit-exact; a loop that calls a stepper directly flushes the same way ([`flush_due`]).
//! Flushing every step instead cost 15 to 20 instructions per step on a Cortex-M4F (a tenth of
//! an RK4 step); every 64 steps it costs a fraction of one.
//!
//! Each commit checks finiteness first and leaves the old state untouched on failure, so a
//! stepper error never destroys the last good state.
//!
//! Every algorithm (field terms, dynamics, steppers, geometries) works on slices of any length;
//! capacity lives only in storage ([`Storage`]: a fixed array, or a `heapless::Vec` whose length
//! comes from a file) and in the steppers' scratch (`Rk4<S, N>` holds up to `N` vectors).

use crate::error::Error;
use crate::real::Real;
use crate::vec3::Vec3;

/// The manifold of a state of vectors: how a stepper's combined stage result returns to it,
/// and which part of it an adaptive stepper controls. Every method works on slices of any
/// length; the state's capacity lives in the caller's storage.
pub trait Geometry {
    /// Short name (`"unit-sphere"`, `"free"`, `"tangent-bundle"`).
    const NAME: &'static str;
    /// `true` when every vector of the state is a unit vector and nothing else, so that an
    /// update may be a rotation (what [`crate::stepper::Midpoint`] needs).
    const ROTATION: bool;

    /// Brings `new` back onto the manifold, in place, testing each vector on the way.
    ///
    /// # Errors
    /// [`Error::NonFiniteState`] (with time `t`) if any vector of `new` is not finite, and
    /// [`Error::Inconsistent`] if its length does not fit the geometry.
    fn restore<S: Real>(new: &mut [Vec3<S>], t: S) -> Result<(), Error>;

    /// Brings `new` back onto the manifold ([`Geometry::restore`]) and copies it into `state`
    /// (of the same length). `new` is the stepper's scratch and is overwritten.
    ///
    /// # Errors
    /// [`Error::NonFiniteState`] (with time `t`) if any vector of `new` is not finite, and
    /// [`Error::Inconsistent`] if the slices' lengths do not fit the geometry; `state` is then
    /// left as it was (it is written only once every vector has passed).
    #[inline(always)]
    fn commit<S: Real>(state: &mut [Vec3<S>], new: &mut [Vec3<S>], t: S) -> Result<(), Error> {
        if state.len() != new.len() {
            return Err(Error::Inconsistent {
                what: "a step's new state and the state it replaces differ in length",
            });
        }
        Self::restore(new, t)?;
        state.copy_from_slice(new);
        Ok(())
    }

    /// How many of the state's `len` leading vectors an adaptive stepper controls the error of
    /// (all by default). The scaled error is the RMS norm of Hairer, Norsett and Wanner 1993,
    /// eq. II.4.11, over their components.
    #[inline(always)]
    fn controlled(len: usize) -> usize {
        len
    }
}

/// Unit vectors (the LLG state): renormalised after each step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnitSphere;

/// Vectors of free length (the LLB state): nothing to restore after a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FreeVector;

/// `(m, v)` with `|m| = 1` and `m . v = 0` (the inertial-LLG state, `v = dm/dt`): the first half
/// of the `2n` vectors are the directions `m_i`, the second half their velocities `v_i`.
/// After a step `m_i` is renormalised and `v_i` loses its component along the new `m_i`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TangentBundle;

impl Geometry for UnitSphere {
    const NAME: &'static str = "unit-sphere";
    const ROTATION: bool = true;

    #[inline(always)]
    fn restore<S: Real>(new: &mut [Vec3<S>], t: S) -> Result<(), Error> {
        for v in new.iter_mut() {
            let n2 = v.norm2();
            if !n2.is_finite() {
                return Err(Error::NonFiniteState { t: t.to_f64() });
            }
            *v = v.renormalized_from(n2);
        }
        Ok(())
    }
}

impl Geometry for FreeVector {
    const NAME: &'static str = "free";
    const ROTATION: bool = false;

    /// One test per vector (`|v|^2` is finite exactly when every component is; an overflow to
    /// infinity counts as a failure too); the vectors are left as they are.
    #[inline(always)]
    fn restore<S: Real>(new: &mut [Vec3<S>], t: S) -> Result<(), Error> {
        for v in new.iter() {
            if !v.norm2().is_finite() {
                return Err(Error::NonFiniteState { t: t.to_f64() });
            }
        }
        Ok(())
    }
}

impl Geometry for TangentBundle {
    const NAME: &'static str = "tangent-bundle";
    const ROTATION: bool = false;

    #[inline(always)]
    fn restore<S: Real>(new: &mut [Vec3<S>], t: S) -> Result<(), Error> {
        if new.len() % 2 != 0 {
            return Err(Error::Inconsistent {
                what: "a tangent-bundle state holds (m, v) pairs: its length is even",
            });
        }
        // as for the unit sphere: restored in the scratch, each norm tested once on the way
        let (ms, vs) = new.split_at_mut(new.len() / 2);
        for (m, v) in ms.iter_mut().zip(vs.iter_mut()) {
            let n2 = m.norm2();
            if !n2.is_finite() || !v.norm2().is_finite() {
                return Err(Error::NonFiniteState { t: t.to_f64() });
            }
            *m = m.renormalized_from(n2);
            *v = *v - m.scale(m.dot(*v));
        }
        Ok(())
    }

    /// Only the directions `m_i`: the velocities are slaved to them (their error is the
    /// derivative of the direction error) and their scale, `1/tau`, differs by orders of
    /// magnitude from that of `m`.
    #[inline(always)]
    fn controlled(len: usize) -> usize {
        len / 2
    }
}

/// Steps between two flushes of a state's tiny components ([`flush`], [`flush_due`]): 64.
///
/// Why 64: a component that has just fallen below [`Real::TINY`] is flushed within 64 steps,
/// and in 64 steps it stays a normal number unless it shrinks by more than 2^(90/64) = 2.65x
/// in every one of them (f32: from 2^-36 to the smallest normal 2^-126, 90 binades; f64: from
/// 2^-240 to 2^-1022, 782 binades, 4700x per step). A deviation that decays that fast (a rate
/// of more than 0.97 per unit of `dt`) is not resolved by the step at all, and a settling
/// magnet's modes decay by far less per step (the standard free layer's precession: 9e-5 per
/// step). Should a component go subnormal anyway (an unresolved mode, a cancellation), it costs
/// at most 64 slow steps before it is flushed. A power of two, so the test is a mask; the
/// flush then costs 1/64 of its 15 to 20 Cortex-M4F instructions per step.
pub const FLUSH_EVERY: u64 = 64;

/// Whether a run flushes its state ([`flush`]) after its `steps`-th step: every
/// [`FLUSH_EVERY`] steps, counted from the start of the run (`steps` > 0), so a run that is
/// resumed from a checkpoint with its step count flushes exactly where the uninterrupted run
/// did.
///
/// ```
/// use larmor::state::{flush_due, FLUSH_EVERY};
/// assert!(!flush_due(1) && flush_due(FLUSH_EVERY) && flush_due(3 * FLUSH_EVERY));
/// ```
#[inline(always)]
pub const fn flush_due(steps: u64) -> bool {
    steps % FLUSH_EVERY == 0
}

/// Sets every component of `state` below [`Real::TINY`] to zero ([`Real::flush_tiny`]), so a
/// settling state never decays into subnormal numbers. Far below rounding (see
/// [`Real::TINY`]): a unit vector stays a unit vector to rounding and a tangent-bundle velocity
/// tangent to it; nothing at all for fixed point. What [`crate::integrate::Integrator`] does
/// after every [`FLUSH_EVERY`]-th step ([`flush_due`]).
///
/// ```
/// use larmor::{state::flush, Vec3};
/// let mut m = [Vec3::new(1e-20f32, 0.5, -1e-12)];
/// flush(&mut m);
/// assert_eq!(m[0], Vec3::new(0.0, 0.5, 0.0));
/// ```
#[inline(always)]
pub fn flush<S: Real>(state: &mut [Vec3<S>]) {
    for v in state.iter_mut() {
        *v = v.flush_tiny();
    }
}

/// Where a state of capacity `N` lives: the algorithms see a slice, the storage holds the
/// capacity (the split of
/// heapless's `Vec<T, N>` and its view). A fixed array `[Vec3<S>; N]` has its length in its
/// type (a macrospin, an `(m, v)` pair: the compiler unrolls every loop); a
/// `heapless::Vec<Vec3<S>, N>` has a length chosen at run time up to its capacity `N` (a lattice
/// whose size comes from a file).
pub trait Storage<S, const N: usize>: Clone {
    /// The state's vectors.
    fn as_slice(&self) -> &[Vec3<S>];
    /// The state's vectors, to step.
    fn as_mut_slice(&mut self) -> &mut [Vec3<S>];
}

macro_rules! storage {
    ($($ty:ty),*) => {$(
        impl<S: Copy, const N: usize> Storage<S, N> for $ty {
            #[inline(always)]
            fn as_slice(&self) -> &[Vec3<S>] {
                self
            }
            #[inline(always)]
            fn as_mut_slice(&mut self) -> &mut [Vec3<S>] {
                self
            }
        }
    )*};
}
storage!([Vec3<S>; N], heapless::Vec<Vec3<S>, N>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_sphere_renormalises() {
        let mut s = [Vec3::X];
        UnitSphere::commit(&mut s, &mut [Vec3::new(2.0f64, 0.0, 0.0)], 0.0).unwrap();
        assert!((s[0].norm() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn free_vector_keeps_length_and_refuses_nan() {
        let mut s = [Vec3::X];
        FreeVector::commit(&mut s, &mut [Vec3::new(0.5f64, 0.0, 0.0)], 0.0).unwrap();
        assert_eq!(s[0].x, 0.5);
        let mut bad = [Vec3::new(f64::NAN, 0.0, 0.0)];
        assert!(FreeVector::commit(&mut s, &mut bad, 1.0).is_err());
        assert_eq!(s[0].x, 0.5, "old state kept");
    }

    #[test]
    fn tangent_bundle_projects_velocity() {
        let mut s = [Vec3::Z, Vec3::ZERO];
        let mut new = [Vec3::new(0.0f64, 0.0, 1.1), Vec3::new(0.3, 0.0, 0.2)];
        TangentBundle::commit(&mut s, &mut new, 0.0).unwrap();
        assert!((s[0].norm() - 1.0).abs() < 1e-15);
        assert!(s[0].dot(s[1]).abs() < 1e-15);
        assert_eq!(s[1].x, 0.3);
    }
}
