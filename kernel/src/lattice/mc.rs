//! Single-spin Monte Carlo: Metropolis and heat-bath moves for Ising, XY and Heisenberg spins,
//! O(1) per move through [`FieldTerm::delta_energy`].
//!
//! The spins are the same unit vectors the LLG integrates (`&mut [Vec3<S>]`), in the energy
//! of any [`FieldTerm`] (evaluated at time 0), temperature `T` in units of `J_ref / kB`:
//!
//! | spin | state | Metropolis proposal | heat-bath draw |
//! |---|---|---|---|
//! | [`Spin::Ising`] | `+-u` (the initial direction of each spin) | flip | flip with probability `1 / (1 + exp(dE / T))` |
//! | [`Spin::Xy`] | unit vectors in the xy-plane | Gaussian step in the angle, or uniform | von Mises `exp(h . m / T)` (Best and Fisher 1979) |
//! | [`Spin::Heisenberg`] | unit vectors | `normalise(m + s g)`, `g` Gaussian (Hinzke and Nowak 1999), or uniform | `exp(h . m / T)` on the sphere (Miyatake et al. 1986) |
//!
//! Metropolis accepts with probability `min(1, exp(-dE/T))` (Metropolis et al. 1953), exactly
//! for any energy. The continuous heat-bath draws sample `exp(m . h_i / T)` with the local
//! field `h_i` that three single-spin changes give: exact when the energy is **linear in each
//! spin** (exchange, DMI, dipolar, Zeeman); with single-ion anisotropy use Metropolis. Sweeps
//! visit the sites in order (balance holds for each move). Random numbers come from any
//! `rand_core` generator through the kernel's one uniform and normal convention
//! ([`crate::random`]).

use crate::error::{check_min, Error};
use crate::field::FieldTerm;
use crate::math;
use crate::random::{uniform_f64, Gaussian, Rng};
use crate::real::Real;
use crate::vec3::Vec3;

/// The kind of spin a Monte Carlo run moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Spin {
    /// Two states `+-u` per site.
    Ising,
    /// A unit vector in the xy-plane.
    Xy,
    /// A unit vector.
    Heisenberg,
}

/// The move of a Monte Carlo run.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Rule {
    /// Metropolis: propose, accept with `min(1, exp(-dE/T))`. `step` is the width of the
    /// Gaussian proposal for XY (radians) and Heisenberg spins (`f64::INFINITY`: a uniform
    /// proposal); Ising spins ignore it.
    Metropolis {
        /// Proposal width (> 0).
        step: f64,
    },
    /// Heat bath: draw the new spin from its conditional distribution (no rejection).
    HeatBath,
}

/// A single-spin Monte Carlo sampler at temperature `T` (reduced, `kB T / J_ref`) drawing from
/// its generator `R`.
///
/// ```
/// use larmor::lattice::mc::{MonteCarlo, Rule, Spin};
/// use larmor::lattice::{Boundary, Exchange, Lattice, LatticeSpec};
/// use larmor::{random::Philox, Vec3};
/// let lat = Lattice::<64, 256>::build(&LatticeSpec::square(8, 8, Boundary::Periodic)).unwrap();
/// let ex = Exchange::<f64>::uniform(lat.neighbours(), 1.0);
/// let mut m = [Vec3::Z; 64];
/// let mut mc = MonteCarlo::new(Spin::Ising, Rule::HeatBath, 1.0, Philox::new(1, 0)).unwrap();
/// for _ in 0..100 {
///     mc.sweep(&ex, &mut m);
/// }
/// let mz: f64 = m.iter().map(|v| v.z).sum::<f64>() / 64.0;
/// assert!(mz > 0.99); // far below Tc = 2.269
/// ```
#[derive(Clone, Debug)]
pub struct MonteCarlo<R> {
    rng: R,
    spin: Spin,
    rule: Rule,
    temperature: f64,
    beta: f64,
    proposed: u64,
    accepted: u64,
}

impl<R: Rng> MonteCarlo<R> {
    /// A sampler of `spin`s with `rule` at temperature `temperature` (>= 0; 0 accepts only
    /// moves that do not raise the energy).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `mc.temperature` unless finite and >= 0, `mc.step` unless the
    /// Metropolis step is > 0 (infinity allowed).
    pub fn new(spin: Spin, rule: Rule, temperature: f64, rng: R) -> Result<Self, Error> {
        if let Rule::Metropolis { step } = rule {
            if step.is_nan() || step <= 0.0 {
                return Err(Error::OutOfRange {
                    param: "mc.step",
                    value: step,
                    allowed: "> 0 (infinity: uniform proposals)",
                });
            }
        }
        let mut mc = Self {
            rng,
            spin,
            rule,
            temperature: 0.0,
            beta: f64::INFINITY,
            proposed: 0,
            accepted: 0,
        };
        mc.set_temperature(temperature)?;
        Ok(mc)
    }
    /// Changes the temperature (the state and the generator carry on).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `mc.temperature` unless finite and >= 0.
    pub fn set_temperature(&mut self, temperature: f64) -> Result<(), Error> {
        check_min(
            "mc.temperature",
            temperature,
            0.0,
            true,
            ">= 0 (and finite)",
        )?;
        self.temperature = temperature;
        self.beta = 1.0 / temperature;
        Ok(())
    }
    /// The temperature.
    pub fn temperature(&self) -> f64 {
        self.temperature
    }
    /// Fraction of the moves so far that changed a spin (continuous heat-bath moves always do).
    pub fn acceptance(&self) -> f64 {
        if self.proposed == 0 {
            0.0
        } else {
            self.accepted as f64 / self.proposed as f64
        }
    }
    /// The generator (its position, for a checkpoint).
    pub fn rng(&self) -> &R {
        &self.rng
    }

    /// `-dE/T` as a Boltzmann exponent; an unchanged energy never overflows at `T = 0`.
    #[inline(always)]
    fn exponent(&self, de: f64) -> f64 {
        if de == 0.0 {
            0.0
        } else {
            -de * self.beta
        }
    }

    /// Metropolis acceptance of an energy change `de`.
    #[inline(always)]
    fn accept(&mut self, de: f64) -> bool {
        de <= 0.0 || uniform_f64(&mut self.rng) <= math::exp_f64(self.exponent(de))
    }

    /// A Gaussian in f64 from the kernel's one sampler.
    #[inline(always)]
    fn normal(&mut self) -> f64 {
        f64::std_normal(&mut self.rng)
    }

    /// A uniform unit vector (Marsaglia, Ann. Math. Stat. 43, 645 (1972): `z` uniform in
    /// [-1, 1], azimuth uniform).
    fn uniform_sphere(&mut self) -> [f64; 3] {
        let z = 2.0 * uniform_f64(&mut self.rng) - 1.0;
        let phi = core::f64::consts::TAU * uniform_f64(&mut self.rng);
        let s = math::sqrt_f64((1.0 - z * z).max(0.0));
        let (sp, cp) = math::sin_cos_f64(phi);
        [s * cp, s * sp, z]
    }

    /// One move of spin `site`; returns the energy change (0 if rejected or out of range).
    pub fn step_site<S: Real, F: FieldTerm<S>>(
        &mut self,
        terms: &F,
        m: &mut [Vec3<S>],
        site: usize,
    ) -> f64 {
        let Some(&old) = m.get(site) else { return 0.0 };
        self.proposed += 1;
        let (new, de) = match (self.spin, self.rule) {
            (Spin::Ising, rule) => {
                let new = -old;
                let de = terms.delta_energy(S::ZERO, m, site, new).to_f64();
                let flip = match rule {
                    Rule::Metropolis { .. } => self.accept(de),
                    // flip with probability 1 / (1 + exp(dE / T))
                    Rule::HeatBath => {
                        let p = 1.0 / (1.0 + math::exp_f64(-self.exponent(de)));
                        uniform_f64(&mut self.rng) <= p
                    }
                };
                if !flip {
                    return 0.0;
                }
                (new, de)
            }
            (spin, Rule::Metropolis { step }) => {
                let o = old.to_f64();
                let v = match spin {
                    Spin::Xy if step.is_finite() => {
                        let phi = math::atan2_f64(o[1], o[0]) + step * self.normal();
                        let (s, c) = math::sin_cos_f64(phi);
                        [c, s, 0.0]
                    }
                    Spin::Xy => {
                        let phi = core::f64::consts::TAU * uniform_f64(&mut self.rng);
                        let (s, c) = math::sin_cos_f64(phi);
                        [c, s, 0.0]
                    }
                    _ if step.is_finite() => {
                        let g = [self.normal(), self.normal(), self.normal()];
                        let w = [o[0] + step * g[0], o[1] + step * g[1], o[2] + step * g[2]];
                        let n = math::sqrt_f64(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
                        if n.is_nan() || n <= 0.0 {
                            return 0.0;
                        }
                        [w[0] / n, w[1] / n, w[2] / n]
                    }
                    _ => self.uniform_sphere(),
                };
                let new = Vec3::from_f64(v);
                let de = terms.delta_energy(S::ZERO, m, site, new).to_f64();
                if !self.accept(de) {
                    return 0.0;
                }
                (new, de)
            }
            (spin, Rule::HeatBath) => {
                // local field from three single-spin changes: dE(old + e_k) = -h_k (linear)
                let h = [Vec3::X, Vec3::Y, Vec3::Z]
                    .map(|e| -terms.delta_energy(S::ZERO, m, site, old + e).to_f64());
                let v = match spin {
                    Spin::Xy => self.heat_bath_xy(h),
                    _ => self.heat_bath_sphere(h),
                };
                let new = Vec3::from_f64(v);
                let d = (new - old).to_f64();
                (new, -(d[0] * h[0] + d[1] * h[1] + d[2] * h[2]))
            }
        };
        m[site] = new;
        self.accepted += 1;
        de
    }

    /// A draw from `exp(m . h / T)` on the unit sphere: `cos(theta) = 1 + ln(u + (1 - u)
    /// exp(-2a)) / a`, `a = |h| / T`, about `h` (Miyatake et al., J. Phys. C 19, 2539 (1986)).
    fn heat_bath_sphere(&mut self, h: [f64; 3]) -> [f64; 3] {
        let hn = math::sqrt_f64(h[0] * h[0] + h[1] * h[1] + h[2] * h[2]);
        let a = hn * self.beta;
        if a.is_nan() || a <= 1e-12 {
            return self.uniform_sphere();
        }
        let u = uniform_f64(&mut self.rng);
        let c = if a.is_finite() {
            // ln(u + (1 - u) e^-2a) = ln(1 - (1 - u)(1 - e^-2a)), accurate at small a too
            let x = (1.0 - u) * -math::expm1_f64(-2.0 * a);
            (1.0 + math::ln1p_f64(-x) / a).clamp(-1.0, 1.0)
        } else {
            1.0
        };
        let s = math::sqrt_f64((1.0 - c * c).max(0.0));
        let phi = core::f64::consts::TAU * uniform_f64(&mut self.rng);
        let (sp, cp) = math::sin_cos_f64(phi);
        // an orthonormal frame (e1, e2, z') about z' = h / |h|
        let z = [h[0] / hn, h[1] / hn, h[2] / hn];
        let t = if z[0].abs() < 0.9 {
            [1.0, 0.0, 0.0]
        } else {
            [0.0, 1.0, 0.0]
        };
        let e1 = {
            let d = t[0] * z[0] + t[1] * z[1] + t[2] * z[2];
            let w = [t[0] - d * z[0], t[1] - d * z[1], t[2] - d * z[2]];
            let n = math::sqrt_f64(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
            [w[0] / n, w[1] / n, w[2] / n]
        };
        let e2 = [
            z[1] * e1[2] - z[2] * e1[1],
            z[2] * e1[0] - z[0] * e1[2],
            z[0] * e1[1] - z[1] * e1[0],
        ];
        let (x, y) = (s * cp, s * sp);
        [
            x * e1[0] + y * e2[0] + c * z[0],
            x * e1[1] + y * e2[1] + c * z[1],
            x * e1[2] + y * e2[2] + c * z[2],
        ]
    }

    /// A draw from `exp(a cos(phi - phi_h))` (von Mises), `a = |h_xy| / T`, by the rejection
    /// method of Best and Fisher, Appl. Statist. 28, 152 (1979) (acceptance above 0.65 for
    /// every `a`).
    fn heat_bath_xy(&mut self, h: [f64; 3]) -> [f64; 3] {
        let hn = math::sqrt_f64(h[0] * h[0] + h[1] * h[1]);
        let a = hn * self.beta;
        let phi_h = math::atan2_f64(h[1], h[0]);
        let dphi = if a.is_nan() || a <= 1e-12 {
            core::f64::consts::TAU * uniform_f64(&mut self.rng)
        } else if !a.is_finite() {
            0.0
        } else {
            let tau = 1.0 + math::sqrt_f64(1.0 + 4.0 * a * a);
            // Best and Fisher's (tau - sqrt(2 tau)) / (2a), without its cancellation at small a
            let rho = 2.0 * a / (tau + math::sqrt_f64(2.0 * tau));
            let r = (1.0 + rho * rho) / (2.0 * rho);
            let mut f = 1.0;
            // each round accepts with probability > 0.65: 64 rounds fail with p < 1e-29
            for _ in 0..64 {
                let u1 = uniform_f64(&mut self.rng);
                let u2 = uniform_f64(&mut self.rng);
                let z = math::cos_f64(core::f64::consts::PI * u1);
                f = (1.0 + r * z) / (r + z);
                let c = a * (r - f);
                if c * (2.0 - c) > u2 || math::ln_f64(c / u2) + 1.0 >= c {
                    break;
                }
            }
            let th = math::acos_f64(f.clamp(-1.0, 1.0));
            if uniform_f64(&mut self.rng) > 0.5 {
                th
            } else {
                -th
            }
        };
        let (s, c) = math::sin_cos_f64(phi_h + dphi);
        [c, s, 0.0]
    }

    /// One sweep: one move per site, in order. Returns the total energy change.
    pub fn sweep<S: Real, F: FieldTerm<S>>(&mut self, terms: &F, m: &mut [Vec3<S>]) -> f64 {
        let mut de = 0.0;
        for i in 0..m.len() {
            de += self.step_site(terms, m, i);
        }
        de
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::ConstantZeeman;
    use crate::random::Philox;

    /// `I1(a) / I0(a)` by their power series (set-up accuracy, a < 5).
    fn bessel_ratio(a: f64) -> f64 {
        let (mut i0, mut i1, mut t0, mut t1) = (0.0, 0.0, 1.0, a / 2.0);
        for k in 0..60 {
            i0 += t0;
            i1 += t1;
            let k = k as f64;
            t0 *= (a / 2.0) * (a / 2.0) / ((k + 1.0) * (k + 1.0));
            t1 *= (a / 2.0) * (a / 2.0) / ((k + 1.0) * (k + 2.0));
        }
        i1 / i0
    }

    /// One spin in a field `h` at temperature `T`, `a = h / T`: `<m . h> / h` is `tanh a`
    /// (Ising), `I1(a) / I0(a)` (XY) and the Langevin function `coth a - 1/a` (Heisenberg),
    /// for both rules, within 4 standard errors of 200k moves.
    #[test]
    fn one_spin_in_a_field() {
        let (h, t) = (0.7, 0.5);
        let a = h / t;
        let cases = [
            (Spin::Ising, Vec3::Z, math::tanh_f64(a)),
            (Spin::Xy, Vec3::X, bessel_ratio(a)),
            (Spin::Heisenberg, Vec3::Z, 1.0 / math::tanh_f64(a) - 1.0 / a),
        ];
        for (spin, axis, exact) in cases {
            for rule in [
                Rule::Metropolis { step: 1.0 },
                Rule::Metropolis {
                    step: f64::INFINITY,
                },
                Rule::HeatBath,
            ] {
                let z = ConstantZeeman::new(axis.scale(h));
                let mut mc = MonteCarlo::new(spin, rule, t, Philox::new(3, 1)).unwrap();
                let mut m = [axis];
                let n = 200_000;
                let (mut s, mut s2) = (0.0, 0.0);
                for _ in 0..n {
                    mc.sweep(&z, &mut m);
                    let x = m[0].dot(axis);
                    s += x;
                    s2 += x * x;
                }
                let mean = s / n as f64;
                // autocorrelated moves: the plain error times 3 is generous for rejections
                let err = 3.0 * math::sqrt_f64((s2 / n as f64 - mean * mean) / n as f64);
                assert!(
                    (mean - exact).abs() < 4.0 * err,
                    "{spin:?} {rule:?}: {mean} vs {exact} (err {err})"
                );
                assert!((m[0].norm() - 1.0).abs() < 1e-12);
                if spin == Spin::Xy {
                    assert_eq!(m[0].z, 0.0);
                }
            }
        }
    }

    #[test]
    fn zero_temperature_and_bad_input() {
        let z = ConstantZeeman::new(Vec3::new(0.0, 0.0, 1.0f64));
        let mut mc =
            MonteCarlo::new(Spin::Heisenberg, Rule::HeatBath, 0.0, Philox::new(1, 1)).unwrap();
        let mut m = [Vec3::new(0.6, 0.0, 0.8)];
        mc.sweep(&z, &mut m);
        assert!(
            (m[0].z - 1.0).abs() < 1e-12,
            "T = 0 heat bath aligns: {:?}",
            m[0]
        );
        let mut mc = MonteCarlo::new(
            Spin::Ising,
            Rule::Metropolis { step: 1.0 },
            0.0,
            Philox::new(1, 1),
        )
        .unwrap();
        let mut m = [Vec3::Z];
        assert_eq!(mc.sweep(&z, &mut m), 0.0);
        assert_eq!(m[0], Vec3::Z, "T = 0 never raises the energy");
        assert_eq!(
            mc.step_site(&z, &mut m, 5),
            0.0,
            "a site out of range changes nothing"
        );
        assert!(MonteCarlo::new(Spin::Xy, Rule::HeatBath, -1.0, Philox::new(1, 1)).is_err());
        assert!(MonteCarlo::new(Spin::Xy, Rule::HeatBath, f64::NAN, Philox::new(1, 1)).is_err());
        assert!(MonteCarlo::new(
            Spin::Xy,
            Rule::Metropolis { step: 0.0 },
            1.0,
            Philox::new(1, 1)
        )
        .is_err());
        assert!(mc.set_temperature(f64::INFINITY).is_err());
    }
}
