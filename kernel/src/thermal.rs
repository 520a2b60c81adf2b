//! Thermal fluctuations: Brown's stochastic field (W. F. Brown, Phys. Rev. 130, 1677 (1963)).
//!
//! Convention: the thermal field `H_th` is added to the effective field of the *Gilbert*
//! equation; each Cartesian component is an independent Gaussian, constant over a step, with
//! variance `2 alpha kB T / (gamma0 mu0 Ms V dt)` in (A/m)^2, where `gamma0 = mu0 gamma`
//! (m A^-1 s^-1). Equivalently `B_th = mu0 H_th` has variance `2 alpha kB T / (gamma Ms V dt)`
//! in T^2 with gamma in rad s^-1 T^-1 (as in mumax3). In reduced units
//! (`h = H/Ms`, `tau = gamma mu0 Ms t`, see [`crate::units`]) the variance is
//! `2 D / dtau` with `D = alpha kB T / (mu0 Ms^2 V)`.
//!
//! The field is drawn once per step and reused by every stage of the step, which makes Heun's
//! method converge to the Stratonovich solution (the interpretation under which this LLG
//! equation has the Boltzmann distribution as its stationary state). Temperature may be a drive.

use rand_core::Rng;

use crate::drive::Drive;
use crate::field::{total_field, FieldTerm};
use crate::llg::{Dynamics, Llg, Torque};
use crate::random::{Gaussian, NormalSource};
use crate::real::Real;
use crate::state::UnitSphere;
use crate::vec3::Vec3;

/// Brown's thermal field for `N` spins: strength, temperature waveform and the current draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Thermal<S, const N: usize> {
    /// `alpha kB / (mu0 Ms^2 V)` per kelvin (reduced diffusion constant per kelvin).
    pub d_per_kelvin: S,
    /// Temperature in kelvin as a waveform (constant, pulse, ramp...).
    pub temperature: Drive<S>,
    /// The thermal field (reduced) of the current step.
    pub h: [Vec3<S>; N],
    /// `(d_per_kelvin, temperature, dt)` of the last draw and its `sigma`: a constant
    /// temperature at a fixed step (nearly every run) reuses the root and the division.
    last: Option<(S, S, S, S)>,
}

impl<S: Real, const N: usize> Thermal<S, N> {
    /// Thermal field with diffusion `d_per_kelvin` (see [`Thermal::d_per_kelvin`]) and a
    /// temperature waveform in kelvin.
    ///
    /// ```
    /// use larmor::{drive::Drive, thermal::Thermal};
    /// let mut th = Thermal::<f64, 1>::new(1e-7, Drive::constant(300.0));
    /// th.draw(0.0, 0.02, &mut larmor::random::Philox::new(1, 0));
    /// assert!(th.h[0].norm() > 0.0);
    /// ```
    pub fn new(d_per_kelvin: S, temperature: Drive<S>) -> Self {
        Self {
            d_per_kelvin,
            temperature,
            h: [Vec3::ZERO; N],
            last: None,
        }
    }
}

impl<S: Real + Gaussian, const N: usize> Thermal<S, N> {
    /// Draws the field of all `N` spins for a step of length `dt` starting at `t` (3N
    /// Gaussian draws). Negative temperatures from a waveform count as 0 K.
    #[inline]
    pub fn draw<R: Rng + ?Sized>(&mut self, t: S, dt: S, rng: &mut R) {
        self.draw_first(N, t, dt, rng);
    }

    /// As [`Thermal::draw`] for the first `n` spins only (a state shorter than the capacity);
    /// `n` above `N` draws `N`.
    #[inline]
    pub fn draw_first<R: Rng + ?Sized>(&mut self, n: usize, t: S, dt: S, rng: &mut R) {
        self.draw_from(n, t, dt, rng);
    }
}

impl<S: Real, const N: usize> Thermal<S, N> {
    /// As [`Thermal::draw_first`], from any [`NormalSource`] (a generator, or one generator per
    /// lane for a lane scalar): per spin the x, y and z draws in that order.
    #[inline(always)]
    pub fn draw_from<G: NormalSource<S> + ?Sized>(&mut self, n: usize, t: S, dt: S, src: &mut G) {
        let temp = self.temperature.value(t).max(S::ZERO);
        let d = self.d_per_kelvin;
        // the same inputs give the same sigma to the bit: computed once while they hold
        let sigma = match self.last {
            Some((ld, lt, ldt, sigma)) if ld == d && lt == temp && ldt == dt => sigma,
            _ => {
                let sigma = (S::TWO * d * temp / dt).sqrt();
                self.last = Some((d, temp, dt, sigma));
                sigma
            }
        };
        for h in self.h.iter_mut().take(n) {
            let x = src.normal();
            let y = src.normal();
            let z = src.normal();
            *h = Vec3::new(x, y, z).scale(sigma);
        }
    }
}

/// The LLG system with the thermal field of the current step added to the effective field:
/// what a stochastic stepper integrates during one step.
pub struct Noisy<'a, S, F, T> {
    /// The deterministic system.
    pub llg: &'a Llg<S, F, T>,
    /// This step's thermal field, one vector per spin (as long as the state).
    pub h: &'a [Vec3<S>],
}

impl<S: Real, F: FieldTerm<S>, T: Torque<S>> Dynamics<S> for Noisy<'_, S, F, T> {
    type Geometry = UnitSphere;
    const AUTONOMOUS: bool = F::AUTONOMOUS && T::AUTONOMOUS;
    #[inline(always)]
    fn rhs(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>]) {
        // the field is written into `dm` and turned into the torque in place: no scratch
        total_field(&self.llg.terms, t, m, dm);
        for ((d, &mi), &hi) in dm.iter_mut().zip(m).zip(self.h) {
            *d = self.llg.ll_torque(mi, *d + hi);
        }
        self.llg.torque.add_torque(t, m, self.llg.alpha(), dm);
    }
    fn energy(&self, t: S, m: &[Vec3<S>]) -> S {
        self.llg.terms.energy(t, m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Philox;

    #[test]
    fn variance_is_2d_over_dt() {
        let d = 2e-5;
        let dt = 0.05;
        let mut th = Thermal::<f64, 1>::new(d / 300.0, Drive::constant(300.0));
        let mut rng = Philox::new(3, 0);
        let n = 200_000;
        let mut s2 = 0.0;
        for _ in 0..n {
            th.draw(0.0, dt, &mut rng);
            s2 += th.h[0].norm2();
        }
        let var = s2 / (3.0 * n as f64);
        let expect = 2.0 * d / dt;
        // relative standard error of a variance estimate from 3n samples: sqrt(2/(3n)) = 1.8e-3
        assert!((var / expect - 1.0).abs() < 1e-2, "{var} vs {expect}");
    }

    #[test]
    fn zero_temperature_gives_no_field() {
        let mut th = Thermal::<f32, 2>::new(1e-6, Drive::constant(0.0));
        th.draw(0.0, 0.01, &mut Philox::new(3, 0));
        assert_eq!(th.h, [Vec3::ZERO; 2]);
    }
}
