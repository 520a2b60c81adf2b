//! Equations of motion.
//!
//! The Landau-Lifshitz-Gilbert equation `dm/dt = -gamma mu0 m x H + alpha m x dm/dt` is integrated
//! in its equivalent explicit Landau-Lifshitz form (Landau and Lifshitz 1935; Gilbert, IEEE Trans. Magn. 40, 3443 (2004)), in reduced units
//! (see [`crate::units`]):
//!
//! `dm/dtau = -1/(1+alpha^2) [ m x h + alpha m x (m x h) ] + torques`.

use crate::field::{total_field, FieldTerm};
use crate::real::Real;
use crate::state::{Geometry, UnitSphere};
use crate::vec3::Vec3;

/// A first-order system `dm/dtau = f(tau, m)` on a state of vectors; every stepper's input.
///
/// The state is a slice whose length the caller chooses (one vector for a macrospin, `2n` for
/// the `(m, v)` state of `n` inertial spins, a lattice read from a file); `dm` has the same
/// length. Capacity lives in the caller's storage, never in the algorithm.
pub trait Dynamics<S: Real> {
    /// The manifold of the state (unit vectors for LLG, free vectors for LLB, `(m, dm/dt)`
    /// pairs for inertial LLG): what a stepper restores after each step.
    type Geometry: Geometry;
    /// `false` if the right-hand side depends on time (drives); an autonomous system lets the
    /// integrator skip all local-time bookkeeping.
    const AUTONOMOUS: bool = false;
    /// Writes `f(t, m)` into `dm`; `t` is the local time of the current window (see
    /// [`crate::integrate`]).
    fn rhs(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>]);
    /// Reduced total energy at `(t, m)` (0 if the system has none).
    fn energy(&self, _t: S, _m: &[Vec3<S>]) -> S {
        S::ZERO
    }
    /// Re-expresses every waveform in the local-time window that starts at absolute reduced
    /// time `epoch` (see [`crate::drive::Drive::rebase`]); returns the local time up to which
    /// they are exact (infinite when nothing depends on time).
    fn rebase(&mut self, _epoch: f64) -> f64 {
        f64::INFINITY
    }
}

/// Extra torques added to the LLG right-hand side (spin-transfer, spin-orbit): each adds its
/// contribution to `dm/dtau` in Landau-Lifshitz form. `()` adds nothing.
///
/// **Needs `|m| = 1`**: the torques use `m x (p x m) = p - (m.p) m` and an efficiency of `m.p`
/// as the cosine of the angle, both valid on the unit sphere only. A dynamics whose state is
/// not on the unit sphere (LLB) must not add them as they are.
pub trait Torque<S: Real> {
    /// Adds the torque on `m` (LL form, alpha-dependent prefactors included) into `dm`.
    fn add_torque(&self, t: S, m: &[Vec3<S>], alpha: S, dm: &mut [Vec3<S>]);
    /// `false` if the torque depends on time (a current waveform).
    const AUTONOMOUS: bool = false;
    /// Re-expresses the torque's waveforms relative to `epoch`; returns their horizon (see
    /// [`Dynamics::rebase`]).
    fn rebase(&mut self, _epoch: f64) -> f64 {
        f64::INFINITY
    }
}

impl<S: Real> Torque<S> for () {
    const AUTONOMOUS: bool = true;
    #[inline(always)]
    fn add_torque(&self, _: S, _: &[Vec3<S>], _: S, _: &mut [Vec3<S>]) {}
}

/// The LLG equation with field terms `F` and extra torques `T`.
#[derive(Clone, Debug, PartialEq)]
pub struct Llg<S, F, T = ()> {
    /// Gilbert damping alpha (>= 0); private: the prefactors below are cached from it.
    alpha: S,
    /// Effective-field terms.
    pub terms: F,
    /// Extra torques.
    pub torque: T,
    /// -1/(1+alpha^2), cached (negated: saves a negation on the critical path, same bits).
    neg_pre: S,
    /// -alpha/(1+alpha^2), cached.
    neg_alpha_pre: S,
}

impl<S: Real, F: FieldTerm<S>> Llg<S, F, ()> {
    /// LLG with damping `alpha` and field terms `terms`, no extra torque.
    ///
    /// ```
    /// use larmor::{field::Zeeman, llg::{Dynamics, Llg}, Vec3};
    /// let llg = Llg::new(0.0f64, Zeeman::constant(Vec3::Z));
    /// let mut dm = [Vec3::ZERO];
    /// llg.rhs(0.0, &[Vec3::X], &mut dm);
    /// assert_eq!(dm[0], Vec3::new(0.0, 1.0, 0.0)); // -m x h = -(x x z) = +y
    /// ```
    pub fn new(alpha: S, terms: F) -> Self {
        Llg::with_torque(alpha, terms, ())
    }
}

impl<S: Real, F: FieldTerm<S>, T: Torque<S>> Llg<S, F, T> {
    /// LLG with an extra torque.
    pub fn with_torque(alpha: S, terms: F, torque: T) -> Self {
        let pre = (S::ONE + alpha * alpha).recip();
        Self {
            alpha,
            terms,
            torque,
            neg_pre: -pre,
            neg_alpha_pre: -(alpha * pre),
        }
    }

    /// Gilbert damping alpha.
    pub fn alpha(&self) -> S {
        self.alpha
    }

    /// Precession-plus-damping part for a given field: `-(m x h + alpha m x (m x h))/(1+alpha^2)`.
    #[inline(always)]
    pub fn ll_torque(&self, m: Vec3<S>, h: Vec3<S>) -> Vec3<S> {
        let mxh = m.cross(h);
        let mxmxh = m.cross(mxh);
        mxh.scale(self.neg_pre) + mxmxh.scale(self.neg_alpha_pre)
    }
}

/// A dynamics borrowed mutably for a run: the integrator can re-express its waveforms, and a
/// large model is not copied into the integrator (what the firmware does on a small stack).
impl<S: Real, D: Dynamics<S>> Dynamics<S> for &mut D {
    type Geometry = D::Geometry;
    const AUTONOMOUS: bool = D::AUTONOMOUS;
    #[inline(always)]
    fn rhs(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>]) {
        (**self).rhs(t, m, dm)
    }
    fn energy(&self, t: S, m: &[Vec3<S>]) -> S {
        (**self).energy(t, m)
    }
    fn rebase(&mut self, epoch: f64) -> f64 {
        (**self).rebase(epoch)
    }
}

/// An LLG system, owned or borrowed: what a stochastic kick adds Brown's field to.
pub trait LlgSystem<S: Real> {
    /// Field terms.
    type Terms: FieldTerm<S>;
    /// Torques.
    type Torques: Torque<S>;
    /// The LLG equation.
    fn llg(&self) -> &Llg<S, Self::Terms, Self::Torques>;
}

impl<S: Real, F: FieldTerm<S>, T: Torque<S>> LlgSystem<S> for Llg<S, F, T> {
    type Terms = F;
    type Torques = T;
    #[inline(always)]
    fn llg(&self) -> &Self {
        self
    }
}

impl<S: Real, L: LlgSystem<S>> LlgSystem<S> for &mut L {
    type Terms = L::Terms;
    type Torques = L::Torques;
    #[inline(always)]
    fn llg(&self) -> &Llg<S, L::Terms, L::Torques> {
        (**self).llg()
    }
}

impl<S: Real, F: FieldTerm<S>, T: Torque<S>> Dynamics<S> for Llg<S, F, T> {
    type Geometry = UnitSphere;
    const AUTONOMOUS: bool = F::AUTONOMOUS && T::AUTONOMOUS;
    #[inline(always)]
    fn rhs(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>]) {
        // The field is written into `dm` and turned into the torque in place: no scratch.
        total_field(&self.terms, t, m, dm);
        for (d, &mi) in dm.iter_mut().zip(m) {
            *d = self.ll_torque(mi, *d);
        }
        self.torque.add_torque(t, m, self.alpha, dm);
    }
    fn energy(&self, t: S, m: &[Vec3<S>]) -> S {
        self.terms.energy(t, m)
    }
    fn rebase(&mut self, epoch: f64) -> f64 {
        self.terms.rebase(epoch).min(self.torque.rebase(epoch))
    }
}
