//! Spin torques in Landau-Lifshitz form: Slonczewski spin-transfer torque (STT) from a fixed
//! polariser and spin-orbit torque (SOT), in the mumax3 convention
//! (Vansteenkiste et al., AIP Advances 4, 107133 (2014), eqs. 8-9; cmtj 1.15 differs: no
//! `alpha m x p` term and the opposite field-like sign, see the README's peer benchmark):
//!
//! `dm/dtau += b(t) eps [ (1 - alpha beta) m x (p x m) - (beta - alpha) m x p ] / (1 + alpha^2)`
//!
//! with the reduced strength `b = a_J / Ms = hbar J / (mu0 e Ms^2 d)` (J current density, d free
//! layer thickness), `eps` the spin-transfer efficiency and `beta` the field-like to
//! damping-like ratio. The damping-like part `m x (p x m) = -m x (m x p)` pushes `m` towards `p`
//! for `J > 0`.
//!
//! - STT: `eps = P Lambda^2 / ((Lambda^2 + 1) + (Lambda^2 - 1) m.p)` (Slonczewski 1996, Xiao
//!   et al. 2004 asymmetry), polariser `p`.
//! - SOT: `eps = theta_SH / 2` (spin Hall angle), `p` = spin polarisation direction
//!   `sigma = z x j` for current along `j` in a heavy metal under the layer; the field-like
//!   ratio `beta` covers the Rashba-like term.
//!
//! The current density is a drive; it may also come from a voltage across an MTJ
//! ([`crate::mtj::Mtj`]), in which case `J = V / (R(theta, V) A)` follows the free layer's angle.

use crate::drive::Drive;
use crate::llg::Torque;
use crate::mtj::Mtj;
use crate::real::Real;
use crate::vec3::Vec3;

/// How the spin-transfer efficiency depends on the angle between m and p.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Efficiency<S> {
    /// Slonczewski: `P Lambda^2 / ((Lambda^2+1) + (Lambda^2-1) m.p)`.
    Slonczewski {
        /// `P Lambda^2`.
        p_lambda2: S,
        /// `Lambda^2 + 1`.
        lambda2_plus: S,
        /// `Lambda^2 - 1`.
        lambda2_minus: S,
    },
    /// Angle-independent efficiency (SOT: `theta_SH / 2`).
    Constant(S),
}

impl<S: Real> Efficiency<S> {
    /// Slonczewski efficiency for polarisation `p` in [0, 1] and asymmetry `lambda` > 0.
    pub fn slonczewski(p: S, lambda: S) -> Self {
        let l2 = lambda * lambda;
        Efficiency::Slonczewski {
            p_lambda2: p * l2,
            lambda2_plus: l2 + S::ONE,
            lambda2_minus: l2 - S::ONE,
        }
    }
    /// Efficiency at `m . p = c`.
    #[inline(always)]
    pub fn at(&self, c: S) -> S {
        match *self {
            Efficiency::Slonczewski {
                p_lambda2,
                lambda2_plus,
                lambda2_minus,
            } => p_lambda2 / (lambda2_plus + lambda2_minus * c),
            Efficiency::Constant(e) => e,
        }
    }
}

/// Where the current comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Current<S> {
    /// Reduced strength `b(t) = hbar J(t) / (mu0 e Ms^2 d)` as a waveform.
    Density(Drive<S>),
    /// A voltage waveform (V) across an MTJ whose reference layer is the polariser:
    /// `b = b_per_j V / (R(m.p, V) A)`.
    Voltage {
        /// Voltage waveform (V).
        volts: Drive<S>,
        /// The junction.
        mtj: Mtj<S>,
        /// `hbar / (mu0 e Ms^2 d)`, reduced strength per A/m^2 (in units of 1e-12 to stay
        /// representable in f32: `b = b_per_tj * J / 1e12`).
        b_per_tj: S,
    },
}

/// A spin torque (STT or SOT) acting on every spin.
#[derive(Clone, Debug, PartialEq)]
pub struct SpinTorque<S> {
    /// Polariser / spin polarisation direction (unit).
    pub p: Vec3<S>,
    /// Efficiency model.
    pub efficiency: Efficiency<S>,
    /// Current source.
    pub current: Current<S>,
    /// `(1 - alpha beta) / (1 + alpha^2)`.
    c_dl: S,
    /// `(beta - alpha) / (1 + alpha^2)`.
    c_fl: S,
}

impl<S: Real> SpinTorque<S> {
    /// A torque for a layer with damping `alpha` and field-like ratio `beta`.
    ///
    /// ```
    /// use larmor::{drive::Drive, llg::Torque, torque::{Current, Efficiency, SpinTorque}, Vec3};
    /// let stt = SpinTorque::new(Vec3::Z, Efficiency::slonczewski(0.6, 1.0),
    ///     Current::Density(Drive::constant(0.1)), 0.0, 0.0);
    /// let mut dm = [Vec3::ZERO];
    /// stt.add_torque(0.0f64, &[Vec3::X], 0.0, &mut dm);
    /// assert!(dm[0].z > 0.0); // positive current pushes m towards p
    /// ```
    pub fn new(
        p: Vec3<S>,
        efficiency: Efficiency<S>,
        current: Current<S>,
        alpha: S,
        beta: S,
    ) -> Self {
        let pre = (S::ONE + alpha * alpha).recip();
        Self {
            p,
            efficiency,
            current,
            c_dl: (S::ONE - alpha * beta) * pre,
            c_fl: (beta - alpha) * pre,
        }
    }

    /// Reduced strength `b` at time `t` for a spin at `m . p = c`.
    #[inline(always)]
    pub fn strength(&self, t: S, c: S) -> S {
        match &self.current {
            Current::Density(d) => d.value(t),
            Current::Voltage {
                volts,
                mtj,
                b_per_tj,
            } => {
                let v = volts.value(t);
                *b_per_tj * mtj.current_density_tera(v, c)
            }
        }
    }
}

impl<S: Real> Torque<S> for SpinTorque<S> {
    fn rebase(&mut self, epoch: f64) -> f64 {
        match &mut self.current {
            Current::Density(d) => d.rebase(epoch),
            Current::Voltage { volts, .. } => volts.rebase(epoch),
        }
    }
    #[inline(always)]
    fn add_torque(&self, t: S, m: &[Vec3<S>], _alpha: S, dm: &mut [Vec3<S>]) {
        for (d, &mi) in dm.iter_mut().zip(m) {
            let c = mi.dot(self.p);
            let b = self.strength(t, c);
            if b == S::ZERO {
                continue;
            }
            let k = b * self.efficiency.at(c);
            // m x (p x m) = p - (m.p) m  (for |m| = 1)
            let dl = self.p - mi.scale(c);
            let fl = mi.cross(self.p);
            *d += dl.scale(k * self.c_dl) - fl.scale(k * self.c_fl);
        }
    }
}

impl<S: Real, T: Torque<S>> Torque<S> for Option<T> {
    const AUTONOMOUS: bool = T::AUTONOMOUS;
    fn rebase(&mut self, epoch: f64) -> f64 {
        self.as_mut().map_or(f64::INFINITY, |t| t.rebase(epoch))
    }
    #[inline(always)]
    fn add_torque(&self, t: S, m: &[Vec3<S>], alpha: S, dm: &mut [Vec3<S>]) {
        if let Some(tq) = self {
            tq.add_torque(t, m, alpha, dm);
        }
    }
}

impl<S: Real, A: Torque<S>, B: Torque<S>> Torque<S> for (A, B) {
    const AUTONOMOUS: bool = A::AUTONOMOUS && B::AUTONOMOUS;
    fn rebase(&mut self, epoch: f64) -> f64 {
        self.0.rebase(epoch).min(self.1.rebase(epoch))
    }
    #[inline(always)]
    fn add_torque(&self, t: S, m: &[Vec3<S>], alpha: S, dm: &mut [Vec3<S>]) {
        self.0.add_torque(t, m, alpha, dm);
        self.1.add_torque(t, m, alpha, dm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torque_is_perpendicular_to_m() {
        let stt = SpinTorque::new(
            Vec3::new(0.0, 0.6, 0.8),
            Efficiency::slonczewski(0.6, 2.0),
            Current::Density(Drive::constant(0.3)),
            0.05,
            0.2,
        );
        let m = Vec3::new(0.48, 0.6, 0.64);
        let mut dm = [Vec3::ZERO];
        stt.add_torque(0.0f64, &[m], 0.05, &mut dm);
        assert!(dm[0].dot(m).abs() < 1e-15);
        assert!(dm[0].norm() > 0.0);
    }

    #[test]
    fn slonczewski_efficiency_asymmetry() {
        let e = Efficiency::slonczewski(0.6f64, 2.0);
        // Lambda = 2: eps(m.p = -1) = P L^2 / 2, eps(+1) = P L^2 / (2 L^2) = P / 2
        assert!((e.at(-1.0) - 0.6 * 4.0 / 2.0).abs() < 1e-15);
        assert!((e.at(1.0) - 0.3).abs() < 1e-15);
        assert!((Efficiency::slonczewski(0.6f64, 1.0).at(0.3) - 0.3).abs() < 1e-15);
    }
}
