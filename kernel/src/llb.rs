//! The Landau-Lifshitz-Bloch equation (Garanin 1997, Phys. Rev. B 55, 3050; in the form of
//! Evans et al. 2012, Phys. Rev. B 85, 014433, eq. 1): a macrospin whose length is free, for
//! temperatures up to and above the Curie temperature, where LLG's fixed `|m|` fails.
//!
//! In reduced units (time `1/(gamma mu0 H_ref)`, fields over `H_ref`, `m = M / Ms(0)`):
//!
//! `dm/dtau = -m x h + alpha_par (m . h) m / m^2 - alpha_perp m x (m x h) / m^2`,
//!
//! with `h` the applied field (any [`FieldTerm`]), the anisotropy field
//! `-(m - (m . e) e) / chi_perp` and the longitudinal field
//!
//! - `(1 / (2 chi_par)) (1 - m^2 / m_e^2) m` below `Tc`,
//! - `-(1 / chi_par) (1 + 3 Tc m^2 / (5 (T - Tc))) m` above it,
//!
//! and the damping `alpha_par = 2 lambda T / (3 Tc)`, `alpha_perp = lambda (1 - T / (3 Tc))`
//! below `Tc`, `alpha_perp = alpha_par` above. Linearised about `m_e` the length relaxes with
//! `tau_par = chi_par / alpha_par` (reduced; `chi_par / (gamma alpha_par)` in SI); as
//! `T -> 0` (`m_e -> 1`, `alpha_par -> 0`) the equation is the Landau-Lifshitz form of LLG with
//! damping `lambda` and gyromagnetic ratio `gamma`, i.e. the kernel's Gilbert LLG
//! ([`crate::llg::Llg`]) with time scaled by `1 + lambda^2`.
//!
//! `m_e(T)`, `chi_par(T)` and `chi_perp(T)` come from a table built once ([`Equilibrium`]),
//! from the Weiss mean field ([`crate::meanfield`]) or from any function (measured or atomistic
//! data); the temperature is any [`Waveform`] in kelvin: a [`Drive`], or the electron
//! temperature of a laser-heated two-temperature model ([`crate::ttm::TwoTemperature`]). The state is [`FreeVector`]: the steppers do not renormalise it.
//!
//! ```
//! use larmor::llb::{Equilibrium, Llb};
//! use larmor::meanfield::{MeanField, Spin};
//! use larmor::{drive::Drive, integrate::Integrator, stepper::Rk4, units::KB, Vec3};
//! let mf = MeanField::new(Spin::Classical, 3.0 * KB * 600.0).unwrap();
//! // moment 2 Bohr magnetons, reference field 1 T, anisotropy field 0.1 (reduced)
//! let table = Equilibrium::<f64, 256>::mean_field(&mf, 900.0, 2.0 * 9.274e-24 * 1.0, 0.1, 3.0).unwrap();
//! let llb = Llb::new(0.1, table, Drive::constant(450.0), [0.0, 0.0, 1.0], ()).unwrap();
//! let mut run = Integrator::new(llb, Rk4::<f64, 1>::new(), [Vec3::new(0.0, 0.0, 0.2)], 0.01).unwrap();
//! run.advance_to(2000.0).unwrap();
//! let m_e = mf.magnetisation(450.0, 0.0).unwrap();
//! // within the table's interpolation error, O(dT^2): 1e-5 for 3.5 K rows
//! assert!((run.state()[0].z - m_e).abs() < 3e-5);
//! ```

use crate::drive::{Drive, Waveform};
use crate::error::{check_min, check_range, Error};
use crate::field::FieldTerm;
use crate::integrate::Kick;
use crate::llg::Dynamics;
use crate::meanfield::MeanField;
use crate::random::{Gaussian, Rng};
use crate::real::Real;
use crate::state::FreeVector;
use crate::stepper::{fits, Step, Stepper};
use crate::vec3::Vec3;

/// The LLB's temperature-dependent coefficients on `K` temperatures `0, dT, .., (K-1) dT`,
/// linearly interpolated between them: `m_e`, the two dampings over `lambda`, the longitudinal
/// rates and `1/chi_perp`. `K` is the capacity (6 scalars a row: 1.5 KiB for 64 rows in f32).
/// The longitudinal field is interpolated as `(a + b m^2) m`, so between rows the equilibrium
/// length `sqrt(-a/b)` differs from the interpolated `m_e` by `O(dT^2)`: 1.6e-4 at `T = 0.75
/// Tc` with rows 0.024 `Tc` apart (mean field, classical), 1e-5 with rows 0.006 `Tc` apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Equilibrium<S, const K: usize> {
    tc: f64,
    step: f64,
    inv_step: S,
    /// Rows `[m_e, alpha_par / lambda, alpha_perp / lambda, a / lambda, b / lambda, 1/chi_perp]`
    /// with the longitudinal term `alpha_par (a + b m^2) m`.
    rows: [[S; 6]; K],
}

impl<S: Real, const K: usize> Equilibrium<S, K> {
    /// Tabulates from `f(T) = (m_e, chi_par, 1/chi_perp)` (reduced: `chi_par = dm/dh` with `h`
    /// in units of the reference field) up to `t_max` kelvin, for a Curie temperature `tc`.
    /// Near `T = 0` and `Tc`, where the longitudinal stiffness `1/chi_par` diverges or
    /// vanishes, the rows are taken 1e-6 `Tc` off the singular point.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `llb.tc`, `llb.t_max` (above 0, up to 100 `Tc`) or a
    /// non-finite or negative value of `f` (`llb.m_e`, `llb.chi_par`, `llb.chi_perp`);
    /// [`Error::Capacity`] for `K < 2`.
    pub fn from_fn<F>(tc: f64, t_max: f64, mut f: F) -> Result<Self, Error>
    where
        F: FnMut(f64) -> Result<(f64, f64, f64), Error>,
    {
        check_min("llb.tc", tc, 0.0, false, "> 0 K")?;
        check_range(
            "llb.t_max",
            t_max,
            1e-3 * tc,
            100.0 * tc,
            "(1e-3 Tc, 100 Tc] K",
        )?;
        if K < 2 {
            return Err(Error::Capacity {
                what: "llb table rows",
                capacity: K,
            });
        }
        let step = t_max / (K - 1) as f64;
        let mut rows = [[S::ZERO; 6]; K];
        for (k, row) in rows.iter_mut().enumerate() {
            let mut t = k as f64 * step;
            let eps = 1e-6 * tc;
            if t < eps {
                t = eps;
            } else if (t - tc).abs() < eps {
                t = tc + if t < tc { -eps } else { eps };
            }
            let (m_e, chi, inv_perp) = f(t)?;
            check_range("llb.m_e", m_e, 0.0, 1.0, "[0, 1]")?;
            check_min("llb.chi_par", chi, 0.0, false, "> 0")?;
            check_min("llb.chi_perp", inv_perp, 0.0, true, "1/chi_perp >= 0")?;
            let a_par = 2.0 * t / (3.0 * tc);
            let (a_perp, a, b) = if t < tc {
                if m_e <= 0.0 {
                    return Err(Error::OutOfRange {
                        param: "llb.m_e",
                        value: m_e,
                        allowed: "> 0 below Tc",
                    });
                }
                let a = 1.0 / (2.0 * chi);
                (1.0 - t / (3.0 * tc), a, -a / (m_e * m_e))
            } else {
                let a = -1.0 / chi;
                (a_par, a, a * 3.0 * tc / (5.0 * (t - tc)))
            };
            *row = [m_e, a_par, a_perp, a_par * a, a_par * b, inv_perp].map(S::from_f64);
        }
        Ok(Self {
            tc,
            step,
            inv_step: S::from_f64(1.0 / step),
            rows,
        })
    }

    /// Tabulates the Weiss mean field `mf` up to `t_max` kelvin. `field_energy` (J) is the
    /// Zeeman energy of one aligned moment in the reference field, `mu_s mu0 H_ref`, which
    /// turns `dm/d(mu B)` into the reduced `chi_par`; the anisotropy field is `h_k0` (reduced)
    /// at `T = 0`, scaling as `m_e^(p - 2)` for `K(T) ~ m_e^p` (Callen and Callen: `p = 3`
    /// for uniaxial anisotropy), zero above `Tc`.
    ///
    /// # Errors
    /// As [`Equilibrium::from_fn`]; [`Error::OutOfRange`] for `llb.field_energy` not positive,
    /// `llb.h_k0` negative or `llb.callen` outside [2, 10].
    pub fn mean_field(
        mf: &MeanField,
        t_max: f64,
        field_energy: f64,
        h_k0: f64,
        p: f64,
    ) -> Result<Self, Error> {
        check_min("llb.field_energy", field_energy, 0.0, false, "> 0 J")?;
        check_min("llb.h_k0", h_k0, 0.0, true, ">= 0")?;
        check_range("llb.callen", p, 2.0, 10.0, "[2, 10]")?;
        Self::from_fn(mf.tc(), t_max, |t| {
            let m_e = mf.magnetisation(t, 0.0)?;
            let chi = mf.susceptibility(t, 0.0)? * field_energy;
            let perp = if m_e > 0.0 {
                h_k0 * crate::math::powf_f64(m_e, p - 2.0)
            } else {
                0.0
            };
            Ok((m_e, chi, perp))
        })
    }

    /// The Curie temperature (K).
    pub fn tc(&self) -> f64 {
        self.tc
    }

    /// The highest temperature tabulated (K); above it the last row holds.
    pub fn t_max(&self) -> f64 {
        self.step * (K - 1) as f64
    }

    /// The interpolated row at `kelvin` (clamped to the table: see [`Llb::new`]).
    #[inline]
    fn at(&self, kelvin: S) -> [S; 6] {
        let x = kelvin * self.inv_step;
        let xf = x.to_f64();
        if xf.is_nan() || xf <= 0.0 {
            return self.rows[0];
        }
        let k = xf as usize;
        if k >= K - 1 {
            return self.rows[K - 1];
        }
        let w = x - S::from_f64(k as f64);
        let (r0, r1) = (self.rows[k], self.rows[k + 1]);
        core::array::from_fn(|j| r0[j] + w * (r1[j] - r0[j]))
    }

    /// `m_e` at `kelvin` (interpolated).
    pub fn m_e(&self, kelvin: f64) -> f64 {
        self.at(S::from_f64(kelvin))[0].to_f64()
    }
}

/// The LLB dynamics of any number of independent macrospins (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq)]
pub struct Llb<S, F, const K: usize, W = Drive<S>> {
    lambda: S,
    table: Equilibrium<S, K>,
    temperature: W,
    axis: Vec3<S>,
    field: F,
}

impl<S: Real, F: FieldTerm<S>, const K: usize, W: Waveform<S>> Llb<S, F, K, W> {
    /// An LLB macrospin with coupling `lambda` to the bath, the coefficients of `table`, the
    /// temperature `temperature` (K, a waveform in reduced time: a [`Drive`] or the electron
    /// temperature of a two-temperature model, [`crate::ttm::TwoTemperature`]), the anisotropy axis `axis`
    /// and the applied field `field` (its terms see `m` of free length: use Zeeman terms; the
    /// anisotropy is the LLB one above).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `llb.lambda` outside (0, 10], an axis that is not a finite
    /// non-zero vector (`llb.axis`), or a constant temperature outside [0, `t_max`]
    /// (`llb.temperature`; a waveform must stay inside the table too: above it the last row
    /// holds).
    pub fn new(
        lambda: f64,
        table: Equilibrium<S, K>,
        temperature: W,
        axis: [f64; 3],
        field: F,
    ) -> Result<Self, Error> {
        check_range("llb.lambda", lambda, 1e-6, 10.0, "(0, 10]")?;
        let n2 = axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2];
        check_min("llb.axis", n2, 0.0, false, "a finite non-zero vector")?;
        if let Some(t) = temperature.as_constant() {
            check_range(
                "llb.temperature",
                t.to_f64(),
                0.0,
                table.t_max(),
                "[0, t_max of the table] K",
            )?;
        }
        let n = crate::math::sqrt_f64(n2);
        Ok(Self {
            lambda: S::from_f64(lambda),
            table,
            temperature,
            axis: Vec3::new(
                S::from_f64(axis[0] / n),
                S::from_f64(axis[1] / n),
                S::from_f64(axis[2] / n),
            ),
            field,
        })
    }

    /// The coefficient table.
    pub fn table(&self) -> &Equilibrium<S, K> {
        &self.table
    }

    /// The temperature waveform.
    pub fn temperature(&self) -> &W {
        &self.temperature
    }
}

impl<S: Real, F: FieldTerm<S>, const K: usize, W: Waveform<S>> Llb<S, F, K, W> {
    /// The right-hand side with this step's noise (`perp`: the transverse field `zeta_perp`,
    /// `ad`: the additive rate `zeta_ad`, one vector per spin; empty for none).
    #[inline(always)]
    fn rhs_noisy(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>], perp: &[Vec3<S>], ad: &[Vec3<S>]) {
        self.field.set_field(t, m, dm);
        let [_, a_par, a_perp, a, b, inv_perp] = self.table.at(self.temperature.value(t));
        let (a_par, a_perp) = (self.lambda * a_par, self.lambda * a_perp);
        let (a, b) = (self.lambda * a, self.lambda * b);
        let e = self.axis;
        for (i, (d, &mi)) in dm.iter_mut().zip(m).enumerate() {
            // applied plus anisotropy field; the longitudinal field is parallel to m
            let h = *d - (mi - e * mi.dot(e)) * inv_perp;
            let hp = match perp.get(i) {
                Some(&z) => h + z,
                None => h,
            };
            let m2 = mi.norm2();
            let mut out = if m2 > S::ZERO {
                let inv = m2.recip();
                -mi.cross(h) + mi * (a_par * mi.dot(h) * inv + a + b * m2)
                    - mi.cross(mi.cross(hp)) * (a_perp * inv)
            } else {
                // at m = 0 the field induces a moment along itself
                h * a_par
            };
            if let Some(&z) = ad.get(i) {
                out += z;
            }
            *d = out;
        }
    }
}

impl<S: Real, F: FieldTerm<S>, const K: usize, W: Waveform<S>> Dynamics<S> for Llb<S, F, K, W> {
    type Geometry = FreeVector;

    fn rhs(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>]) {
        self.rhs_noisy(t, m, dm, &[], &[]);
    }

    fn rebase(&mut self, epoch: f64) -> f64 {
        self.temperature.rebase(epoch).min(self.field.rebase(epoch))
    }
}

/// The thermal noise of the stochastic LLB (Evans et al. 2012, eq. 2): a transverse field
/// `zeta_perp` inside the transverse damping term and an additive rate `zeta_ad`, white, with
/// reduced diffusion constants
///
/// `<zeta_perp zeta_perp> = 2 eps (alpha_perp - alpha_par) / alpha_perp^2`,
/// `<zeta_ad zeta_ad> = 2 eps alpha_par`, `eps = kB T / (mu0 Ms(0) H_ref V)`,
///
/// drawn once a step and held over its stages (Stratonovich: use [`crate::stepper::Heun`]).
/// The diffusion tensor is then `eps (alpha_par P_par + alpha_perp P_perp)`, the drift the same
/// tensor times `h`, and the transverse noise's projector has no divergence along itself: the
/// stationary density is the Boltzmann one, `exp(-V F(m) / kB T)`. Use as the kick of
/// [`crate::integrate::Integrator::with_kick`].
#[derive(Clone, Debug)]
pub struct LlbNoise<S, R, const N: usize> {
    /// `kB / (mu0 Ms(0) H_ref V)` per kelvin.
    eps_per_kelvin: S,
    rng: R,
    perp: [Vec3<S>; N],
    ad: [Vec3<S>; N],
}

impl<S: Real, R, const N: usize> LlbNoise<S, R, N> {
    /// Noise for particles of Zeeman energy `energy = mu0 Ms(0) H_ref V` (J) in the
    /// reference field, drawn from `rng`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (`llb.energy`) unless `energy` is positive and finite.
    pub fn new(energy: f64, rng: R) -> Result<Self, Error> {
        check_min("llb.energy", energy, 0.0, false, "> 0 J")?;
        Ok(Self {
            eps_per_kelvin: S::from_f64(crate::units::KB / energy),
            rng,
            perp: [Vec3::ZERO; N],
            ad: [Vec3::ZERO; N],
        })
    }
}

struct NoisyLlb<'a, S, F, const K: usize, W> {
    llb: &'a Llb<S, F, K, W>,
    perp: &'a [Vec3<S>],
    ad: &'a [Vec3<S>],
}

impl<S: Real, F: FieldTerm<S>, const K: usize, W: Waveform<S>> Dynamics<S>
    for NoisyLlb<'_, S, F, K, W>
{
    type Geometry = FreeVector;
    #[inline(always)]
    fn rhs(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>]) {
        self.llb.rhs_noisy(t, m, dm, self.perp, self.ad);
    }
}

impl<S, F, W, R, const K: usize, const N: usize> Kick<S, Llb<S, F, K, W>, N> for LlbNoise<S, R, N>
where
    S: Real + Gaussian,
    F: FieldTerm<S>,
    W: Waveform<S>,
    R: Rng,
{
    fn step<St: Stepper<S, N>>(
        &mut self,
        llb: &Llb<S, F, K, W>,
        stepper: &mut St,
        t: S,
        m: &mut [Vec3<S>],
        dt: S,
    ) -> Result<Step<S>, Error> {
        fits::<S, N>(m)?;
        let n = m.len();
        let kelvin = llb.temperature.value(t).max(S::ZERO);
        let [_, a_par, a_perp, ..] = llb.table.at(kelvin);
        let (a_par, a_perp) = (llb.lambda * a_par, llb.lambda * a_perp);
        let eps = self.eps_per_kelvin * kelvin;
        let d_perp = if a_perp > a_par {
            S::TWO * eps * (a_perp - a_par) / (a_perp * a_perp)
        } else {
            S::ZERO
        };
        let (s_perp, s_ad) = ((d_perp / dt).sqrt(), (S::TWO * eps * a_par / dt).sqrt());
        let draw = |s: S, rng: &mut R| {
            let (x, y, z) = (S::std_normal(rng), S::std_normal(rng), S::std_normal(rng));
            Vec3::new(x, y, z).scale(s)
        };
        for (p, a) in self.perp.iter_mut().zip(self.ad.iter_mut()).take(n) {
            *p = draw(s_perp, &mut self.rng);
            *a = draw(s_ad, &mut self.rng);
        }
        let noisy = NoisyLlb {
            llb,
            perp: &self.perp[..n],
            ad: &self.ad[..n],
        };
        stepper.step(&noisy, t, m, dt)
    }
    const AUTONOMOUS: bool = false;
}
