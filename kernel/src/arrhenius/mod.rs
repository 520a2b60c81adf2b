//! Thermally activated switching: Arrhenius / Neel-Brown rates, the two-state master equation,
//! kinetic Monte Carlo over populations, magnetic viscosity, Sharrock's law, retention and
//! spin-torque-assisted thermal switching.
//!
//! Conventions (see the crate's Conventions section): energies in units of `kB T`, and names
//! say so (`barrier_kt`, `barrier_up_kt`); `delta = K V / (kB T)` is the zero-field stability
//! factor (`Delta` in MRAM, `sigma` or `xi` in the thermal-activation literature); fields `h_hk = H / H_K` as in [`crate::sw`], whose exact
//! barriers are used for oblique fields. "Up" is the minimum in
//! the `+u` hemisphere (state `s = +1`), "down" the other (`s = -1`).
//!
//! References: Neel, Ann. Geophys. 5, 99 (1949); Brown, Phys. Rev. 130, 1677 (1963);
//! Coffey & Kalmykov, J. Appl. Phys. 112, 121301 (2012) (review, IHD/Langer prefactor);
//! Sharrock, IEEE Trans. Magn. 26, 193 (1990) and J. Appl. Phys. 76, 6413 (1994);
//! Pfeiffer, Phys. Status Solidi A 118, 295 (1990); Neel, Ann. Geophys. 5, 99 (1949); Brown, Phys. Rev. 130, 1677 (1963); Street and
//! Woolley, Proc. Phys. Soc. A 62, 562 (1949); Sharrock, J. Appl. Phys. 76, 6413 (1994).

// `!(x > y)` is deliberate: it is true for NaN, which must be rejected too.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod kmc;
pub mod waiting;

pub use kmc::{kmc_relax, kmc_sweep, Grains};

use crate::error::{check_finite, check_min, check_range, Error};
use crate::math;
use crate::real::Real;
use crate::sw::{self, Equilibrium};
use crate::units::{GAMMA_E, KB};

/// Arrhenius rate `f0 exp(-barrier_kt)` (Hz) over a barrier `barrier_kt` in units of `kB T` (Neel 1949,
/// Brown 1963); exact, underflows to 0 for barriers above ~745.
///
/// ```
/// let w = larmor::arrhenius::rate(1e9, 40.0).unwrap();
/// assert!((w * 40f64.exp() - 1e9).abs() < 1e-3);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `f0 <= 0` or a non-finite barrier.
pub fn rate(f0: f64, barrier_kt: f64) -> Result<f64, Error> {
    check_f0(f0)?;
    check_finite("arrhenius.barrier_kt", barrier_kt)?;
    Ok(f0 * math::exp_f64(-barrier_kt))
}

/// Brown's high-barrier attempt frequencies `[f0_up, f0_down]` (Hz) for a uniaxial particle in a
/// field along its axis (Brown 1963; Coffey & Kalmykov 2012 eq. for the axially symmetric case):
///
/// `f0_(up|down) = alpha/(1 + alpha^2) gamma mu0 H_K sqrt(delta/pi) (1 - h_hk^2)(1 +- h_hk)`,
///
/// with `h_hk` the signed field along `+u` (the up well has barrier `delta (1 + h_hk)^2`). The escape
/// rate is `f0 exp(-barrier)`; asymptotic in `1/(delta (1 -+ h_hk)^2)` (a few % at barrier 10).
/// `hk_tesla = mu0 H_K` (T), `gamma` in rad/(s T) (e.g. [`GAMMA_E`]).
///
/// ```
/// use larmor::{arrhenius::brown_attempt_frequency, units::GAMMA_E};
/// let [up, down] = brown_attempt_frequency(40.0, 0.0, 1.0, 0.5, GAMMA_E).unwrap();
/// assert_eq!(up, down);
/// assert!((up / 1e9 - 0.5 * GAMMA_E * 0.5 * (40.0 / core::f64::consts::PI).sqrt() / 1e9).abs() < 1e-6);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `delta <= 0`, `|h_hk| >= 1` (no barrier: the formula does not apply),
/// `alpha <= 0`, `hk_tesla <= 0` or `gamma <= 0`.
pub fn brown_attempt_frequency(
    delta: f64,
    h_hk: f64,
    alpha: f64,
    hk_tesla: f64,
    gamma: f64,
) -> Result<[f64; 2], Error> {
    check_delta(delta)?;
    check_range(
        "arrhenius.h_hk",
        h_hk,
        -1.0 + f64::EPSILON,
        1.0 - f64::EPSILON,
        "|h| < 1 (H/H_K; at |h| >= 1 there is no barrier)",
    )?;
    check_brown(alpha, hk_tesla, gamma)?;
    let base = alpha / (1.0 + alpha * alpha)
        * gamma
        * hk_tesla
        * math::sqrt_f64(delta / core::f64::consts::PI)
        * (1.0 - h_hk * h_hk);
    Ok([base * (1.0 + h_hk), base * (1.0 - h_hk)])
}

/// Langer / Brown intermediate-to-high-damping prefactor (Hz) for escape from the minimum
/// `well` over `saddle` (reduced SW curvatures), `omega_k = gamma mu0 H_K` (rad/s).
fn ihd_prefactor(
    well: &Equilibrium<f64>,
    saddle: &Equilibrium<f64>,
    alpha: f64,
    omega_k: f64,
) -> f64 {
    let (c1, c2) = (saddle.stiffness, saddle.stiffness_out); // c1 < 0 < c2
    let a2 = alpha * alpha;
    let disc = a2 * (c1 + c2) * (c1 + c2) - 4.0 * (1.0 + a2) * c1 * c2;
    let kappa = omega_k * (-alpha * (c1 + c2) + math::sqrt_f64(disc.max(0.0))) / (2.0 * (1.0 + a2));
    let det_well = well.stiffness * well.stiffness_out;
    let det_saddle = -c1 * c2;
    kappa / (2.0 * core::f64::consts::PI) * math::sqrt_f64(det_well / det_saddle)
}

/// Which prefactor formula [`neel_brown_with`] uses.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Prefactor {
    /// A user-given attempt frequency `f0` (Hz) for both wells (Neel 1949).
    Fixed(f64),
    /// Brown's high-barrier prefactors: the axially symmetric formula for a field along the axis
    /// ([`brown_attempt_frequency`]), Langer's intermediate-to-high-damping (IHD) formula with
    /// the exact SW curvatures at the well and saddle for an oblique field.
    Brown {
        /// Gilbert damping, `> 0`.
        alpha: f64,
        /// `mu0 H_K` (T), `> 0`.
        hk_tesla: f64,
        /// Gyromagnetic ratio (rad/(s T)).
        gamma: f64,
    },
}

/// Which formula produced the prefactors of a [`NeelBrown`] result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Regime {
    /// User-given `f0`.
    Fixed,
    /// Brown's axially symmetric formula (field along the axis).
    Axial,
    /// Langer/Brown IHD formula (oblique field); needs `transverse_stiffness >> 1`.
    Ihd,
}

/// Thermal switching of one uniaxial particle in a field (all rates in Hz, barriers in `kB T`).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NeelBrown {
    /// Escape rate from the up minimum (`+u` hemisphere).
    pub rate_up: f64,
    /// Escape rate from the down minimum.
    pub rate_down: f64,
    /// Attempt frequency of the up well.
    pub f0_up: f64,
    /// Attempt frequency of the down well.
    pub f0_down: f64,
    /// Barrier from the up minimum (`kB T`).
    pub barrier_up_kt: f64,
    /// Barrier from the down minimum (`kB T`).
    pub barrier_down_kt: f64,
    /// Relaxation time of `<s>`, `1 / (rate_up + rate_down)` (the two-state master equation).
    pub tau: f64,
    /// Equilibrium `<s>` (`+1` all up), `(rate_down - rate_up) / (rate_up + rate_down)`.
    pub s0: f64,
    /// Saddle curvature across the pass, `2 delta e''_out` in `kB T` (0 for a field along the
    /// axis, where the saddle is a ring). The IHD formula holds for values `>> 1`; near 1 and
    /// below, the field is "almost axial" and the IHD prefactor overestimates.
    pub transverse_stiffness: f64,
    /// Formula used for the prefactors.
    pub regime: Regime,
}

/// Neel-Brown relaxation of a uniaxial particle: stability factor `delta = K V/(kB T)`, reduced
/// field `h_hk = H/H_K >= 0` at angle `psi` (rad) to the easy axis, damping `alpha`,
/// `hk_tesla = mu0 H_K`, `gamma = GAMMA_E`. Exact SW barriers; Brown's high-barrier prefactors
/// (axial formula along the axis, IHD otherwise), asymptotic in `1/barrier` (Brown 1963;
/// Coffey & Kalmykov 2012). `tau = 1/(rate_up + rate_down)`.
///
/// ```
/// let nb = larmor::arrhenius::neel_brown(40.0, 0.0, 0.1, 0.2, 0.0).unwrap();
/// assert!((nb.barrier_up_kt - 40.0).abs() < 1e-12);
/// assert!((nb.tau - 0.5 / nb.f0_up * 40f64.exp()).abs() < 1e-9 * nb.tau);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `delta <= 0`, `alpha <= 0`, `hk_tesla <= 0`, non-finite `h_hk` or
/// `psi`, or a field outside the astroid (`h_hk >= h_sw(psi)`: no barrier, the formula does not
/// apply).
pub fn neel_brown(
    delta: f64,
    h_hk: f64,
    alpha: f64,
    hk_tesla: f64,
    psi: f64,
) -> Result<NeelBrown, Error> {
    neel_brown_with(
        delta,
        h_hk,
        psi,
        Prefactor::Brown {
            alpha,
            hk_tesla,
            gamma: GAMMA_E,
        },
    )
}

/// [`neel_brown`] with a chosen [`Prefactor`] (e.g. a user-given `f0`).
///
/// ```
/// use larmor::arrhenius::{neel_brown_with, Prefactor};
/// let nb = neel_brown_with(30.0, 0.5, 0.0, Prefactor::Fixed(1e9)).unwrap();
/// assert!((nb.barrier_down_kt - 30.0 * 0.25).abs() < 1e-12); // field along +u: down is metastable
/// assert!((nb.barrier_up_kt - 30.0 * 2.25).abs() < 1e-12);
/// ```
///
/// # Errors
/// As [`neel_brown`]; `f0 <= 0` for [`Prefactor::Fixed`].
pub fn neel_brown_with(
    delta: f64,
    h_hk: f64,
    psi: f64,
    prefactor: Prefactor,
) -> Result<NeelBrown, Error> {
    check_delta(delta)?;
    check_min(
        "arrhenius.h_hk",
        h_hk,
        0.0,
        true,
        ">= 0 (H/H_K; the angle psi sets the direction)",
    )?;
    check_finite("arrhenius.psi", psi)?;
    let (sp, cp) = math::sin_cos_f64(psi);
    let (mut a, mut b) = (h_hk * cp, (h_hk * sp).abs());
    // angles within rounding of the axis are the axial case
    if b <= 1e-14 * h_hk {
        b = 0.0;
        a = if cp >= 0.0 { h_hk } else { -h_hk };
    }
    let eq = sw::equilibria(a, b)?;
    let bar = match (eq.up(), eq.down(), eq.saddle()) {
        (Some(&u), Some(&d), Some(&s)) => (u, d, s),
        _ => {
            return Err(Error::OutOfRange {
                param: "arrhenius.h_hk",
                value: h_hk,
                allowed: "< h_sw(psi) (inside the astroid; beyond it there is no barrier)",
            })
        }
    };
    let (up, down, saddle) = bar;
    let barrier_up_kt = 2.0 * delta * (saddle.energy - up.energy);
    let barrier_down_kt = 2.0 * delta * (saddle.energy - down.energy);
    let transverse_stiffness = 2.0 * delta * saddle.stiffness_out.max(0.0);
    let (f0_up, f0_down, regime) = match prefactor {
        Prefactor::Fixed(f0) => {
            check_f0(f0)?;
            (f0, f0, Regime::Fixed)
        }
        Prefactor::Brown {
            alpha,
            hk_tesla,
            gamma,
        } => {
            check_brown(alpha, hk_tesla, gamma)?;
            if b == 0.0 {
                let [u, d] = brown_attempt_frequency(delta, a, alpha, hk_tesla, gamma)?;
                (u, d, Regime::Axial)
            } else {
                let wk = gamma * hk_tesla;
                (
                    ihd_prefactor(&up, &saddle, alpha, wk),
                    ihd_prefactor(&down, &saddle, alpha, wk),
                    Regime::Ihd,
                )
            }
        }
    };
    let rate_up = f0_up * math::exp_f64(-barrier_up_kt);
    let rate_down = f0_down * math::exp_f64(-barrier_down_kt);
    let total = rate_up + rate_down;
    Ok(NeelBrown {
        rate_up,
        rate_down,
        f0_up,
        f0_down,
        barrier_up_kt,
        barrier_down_kt,
        tau: 1.0 / total,
        s0: if total > 0.0 {
            (rate_down - rate_up) / total
        } else {
            0.0
        },
        transverse_stiffness,
        regime,
    })
}

/// Two-state master equation (Neel 1949; Brown 1963): `d<s>/dt = Gamma (s0 - <s>)` with
/// `Gamma = w_ud + w_du` and `s0 = (w_du - w_ud) / Gamma`, advanced exactly over any `dt`
/// (`<s>(t + dt) = s0 + (<s> - s0) exp(-Gamma dt)`); any scalar.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TwoLevel<S> {
    /// Rate up -> down (Hz, or per unit of the caller's time).
    pub up_to_down: S,
    /// Rate down -> up.
    pub down_to_up: S,
}

impl<S: Real> TwoLevel<S> {
    /// From the two rates (`>= 0`, finite).
    ///
    /// ```
    /// let tl = larmor::arrhenius::TwoLevel::new(1.0f32, 3.0).unwrap();
    /// assert_eq!(tl.relaxation_rate(), 4.0);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a negative or non-finite rate.
    pub fn new(up_to_down: S, down_to_up: S) -> Result<Self, Error> {
        check_min(
            "arrhenius.up_to_down",
            up_to_down.to_f64(),
            0.0,
            true,
            ">= 0 (finite)",
        )?;
        check_min(
            "arrhenius.down_to_up",
            down_to_up.to_f64(),
            0.0,
            true,
            ">= 0 (finite)",
        )?;
        Ok(Self {
            up_to_down,
            down_to_up,
        })
    }

    /// Arrhenius rates over a common maximum (Neel 1949):
    /// `w_ud = f0 exp(-(e_max - e_up)/kT)`, `w_du = f0 exp(-(e_max - e_down)/kT)`; these satisfy
    /// detailed balance, `w_ud / w_du = exp(-(e_down - e_up)/kT)` (energies in any unit of `kT`).
    ///
    /// ```
    /// use larmor::arrhenius::TwoLevel;
    /// let tl = TwoLevel::<f64>::from_energies(1e9, -1.0, 1.0, 20.0, 1.0).unwrap();
    /// assert!((tl.equilibrium() - 1f64.tanh()).abs() < 1e-15); // s0 = tanh((E_d - E_u)/2kT)
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `f0 <= 0`, `kt <= 0`, non-finite energies, or `e_max` below
    /// either minimum.
    pub fn from_energies(
        f0: f64,
        e_up: f64,
        e_down: f64,
        e_max: f64,
        kt: f64,
    ) -> Result<Self, Error> {
        check_f0(f0)?;
        check_min("arrhenius.kt", kt, 0.0, false, "> 0")?;
        check_finite("arrhenius.e_up", e_up)?;
        check_finite("arrhenius.e_down", e_down)?;
        check_min(
            "arrhenius.e_max",
            e_max,
            e_up.max(e_down),
            true,
            ">= both minimum energies",
        )?;
        let w_ud = f0 * math::exp_f64(-(e_max - e_up) / kt);
        let w_du = f0 * math::exp_f64(-(e_max - e_down) / kt);
        Self::new(S::from_f64(w_ud), S::from_f64(w_du))
    }

    /// Relaxation rate `Gamma = w_ud + w_du` (the sum of the two escape rates).
    ///
    /// ```
    /// let tl = larmor::arrhenius::TwoLevel::new(0.5f64, 0.25).unwrap();
    /// assert_eq!(tl.relaxation_rate(), 0.75);
    /// ```
    pub fn relaxation_rate(&self) -> S {
        self.up_to_down + self.down_to_up
    }

    /// Equilibrium `s0 = (w_du - w_ud) / Gamma` (0 if both rates vanish).
    ///
    /// ```
    /// let tl = larmor::arrhenius::TwoLevel::new(1.0f64, 3.0).unwrap();
    /// assert_eq!(tl.equilibrium(), 0.5);
    /// ```
    pub fn equilibrium(&self) -> S {
        let g = self.relaxation_rate();
        if g > S::ZERO {
            (self.down_to_up - self.up_to_down) / g
        } else {
            S::ZERO
        }
    }

    /// `<s>` after a time `dt >= 0` from `<s> = s` (exact; the master equation integrated).
    ///
    /// ```
    /// let tl = larmor::arrhenius::TwoLevel::new(1.0f64, 1.0).unwrap();
    /// let s = tl.advance(1.0, 0.5);
    /// assert!((s - (-1.0f64).exp()).abs() < 1e-15); // Gamma = 2
    /// ```
    pub fn advance(&self, s: S, dt: S) -> S {
        let s0 = self.equilibrium();
        s0 + (s - s0) * (-(self.relaxation_rate() * dt)).exp()
    }

    /// Stationary occupations `(P_up, P_down) = (w_du, w_ud) / Gamma` (`(1/2, 1/2)` if both
    /// rates vanish); detailed balance `P_up w_ud = P_down w_du` holds to rounding.
    ///
    /// ```
    /// let tl = larmor::arrhenius::TwoLevel::new(1.0f64, 3.0).unwrap();
    /// assert_eq!(tl.occupations(), (0.75, 0.25));
    /// ```
    pub fn occupations(&self) -> (S, S) {
        // from the rates directly: no cancellation in 1 +- s0 for strongly biased states
        let g = self.relaxation_rate();
        if g > S::ZERO {
            (self.down_to_up / g, self.up_to_down / g)
        } else {
            (S::HALF, S::HALF)
        }
    }
}

/// Magnetic-viscosity coefficient `S = 2 kB T P(0) Ms` (A/m per unit of `ln t`) for a barrier
/// density `p0` (per joule) at the energy `kB T ln(t/tau0)` being probed (Street and Woolley 1949;
/// exact for a flat density away from its ends). Then `M(t) = M(t0) - S ln(t/t0)`.
///
/// ```
/// use larmor::{arrhenius::viscosity_coefficient, units::KB};
/// // barriers spread evenly over 20 kT at 300 K: P = 1/(20 kB T)
/// let s = viscosity_coefficient(1.0 / (20.0 * KB * 300.0), 300.0, 1e6).unwrap();
/// assert!((s - 1e5).abs() < 1e-6);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for negative `p0`, `temperature <= 0` or `ms <= 0`.
pub fn viscosity_coefficient(p0: f64, temperature: f64, ms: f64) -> Result<f64, Error> {
    check_min("arrhenius.p0", p0, 0.0, true, ">= 0 per joule")?;
    check_min("arrhenius.temperature", temperature, 0.0, false, "> 0 K")?;
    check_min("arrhenius.ms", ms, 0.0, false, "> 0 A/m")?;
    Ok(2.0 * KB * temperature * p0 * ms)
}

/// Sharrock's law: coercivity `Hc / H0` after a waiting time `t` (s) for a barrier
/// `delta (1 - H/H0)^m` and constant attempt frequency `f0` (Hz),
/// `Hc/H0 = 1 - (ln(f0 t / ln 2) / delta)^(1/m)` (Sharrock 1994, eq. 1, with the half-switched
/// criterion; Sharrock 1990). Exact for that barrier when back-switching is negligible.
/// `m = 2` for aligned particles, about 1.5 for misaligned ones ([`pfeiffer_exponent`]).
///
/// ```
/// let hc = larmor::arrhenius::sharrock(60.0, 1e9, 1.0, 2.0).unwrap();
/// assert!((hc - (1.0 - ((1e9f64 / 2f64.ln()).ln() / 60.0).sqrt())).abs() < 1e-15);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `delta <= 0`, `f0 <= 0`, `m <= 0`, `f0 t <= ln 2` (half the
/// particles do not switch even without a barrier), or `delta <= ln(f0 t / ln 2)`
/// (superparamagnetic over `t`: `Hc = 0`).
pub fn sharrock(delta: f64, f0: f64, t: f64, m: f64) -> Result<f64, Error> {
    check_delta(delta)?;
    check_f0(f0)?;
    check_sharrock_m(m)?;
    check_min(
        "arrhenius.t",
        t,
        core::f64::consts::LN_2 / f0,
        false,
        "> ln 2 / f0 (s)",
    )?;
    let x = math::ln_f64(f0 * t / core::f64::consts::LN_2);
    if !(delta > x) {
        return Err(Error::OutOfRange {
            param: "arrhenius.delta",
            value: delta,
            allowed: "> ln(f0 t / ln 2) (else superparamagnetic over t: Hc = 0)",
        });
    }
    Ok(1.0 - math::powf_f64(x / delta, 1.0 / m))
}

/// Pfeiffer's effective Sharrock exponent for a field at `psi` (rad) to the easy axis,
/// `m = 0.86 + 1.14 h_sw(psi)` (Pfeiffer 1990; a fit, about 2 % on the barrier): 2 aligned,
/// 1.43 at 45 degrees.
///
/// ```
/// let m = larmor::arrhenius::pfeiffer_exponent(0.0).unwrap();
/// assert!((m - 2.0).abs() < 1e-15);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for a non-finite `psi`.
pub fn pfeiffer_exponent(psi: f64) -> Result<f64, Error> {
    Ok(0.86 + 1.14 * sw::switching_field(psi)?)
}

/// Coercivity `Hc / H0` in a linear field sweep of rate `rate` (`H0` per second) for the barrier
/// `delta (1 - H/H0)^m` and constant `f0`: the field where the survival probability
/// `exp(-(f0/rate) int_0^h exp(-delta (1 - h')^m) dh')` is 1/2, the integral by adaptive
/// Simpson to 1e-10 relative (the exact sweep-rate form of Sharrock's law; Sharrock 1994).
/// Beyond `H0` the rate is `f0`.
///
/// ```
/// use larmor::arrhenius::{sharrock, sharrock_sweep};
/// let slow = sharrock_sweep(50.0, 1e9, 1.0, 2.0).unwrap();
/// let fast = sharrock_sweep(50.0, 1e9, 1e6, 2.0).unwrap();
/// assert!(fast > slow && slow > 0.0 && fast < 1.0);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `delta <= 0`, `f0 <= 0`, `rate <= 0`, `m <= 0`.
pub fn sharrock_sweep(delta: f64, f0: f64, rate: f64, m: f64) -> Result<f64, Error> {
    check_delta(delta)?;
    check_sharrock_m(m)?;
    sweep_coercivity(f0, rate, 1.0, |h| {
        if h >= 1.0 {
            0.0
        } else {
            delta * math::powf_f64(1.0 - h, m)
        }
    })
}

/// Half-switching field of a linear sweep for any barrier function: the `h` where
/// `(f0/rate) int_0^h exp(-barrier(h')) dh' = ln 2` (`barrier` in `kB T`, non-increasing;
/// `h_zero` is where it reaches 0). Adaptive Simpson to 1e-10 relative plus bisection; use with
/// the exact SW barrier of [`crate::sw::barrier`] for oblique fields.
///
/// ```
/// use larmor::arrhenius::sweep_coercivity;
/// let h = sweep_coercivity(1e9, 1e3, 1.0, |h: f64| if h < 1.0 { 40.0 * (1.0 - h).powi(2) } else { 0.0 }).unwrap();
/// assert!(h > 0.0 && h < 1.0);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `f0 <= 0`, `rate <= 0`, `h_zero <= 0`.
pub fn sweep_coercivity<F: Fn(f64) -> f64>(
    f0: f64,
    rate: f64,
    h_zero: f64,
    barrier: F,
) -> Result<f64, Error> {
    check_f0(f0)?;
    check_min("arrhenius.rate", rate, 0.0, false, "> 0 (H0 per second)")?;
    check_min("arrhenius.h_zero", h_zero, 0.0, false, "> 0")?;
    let target = core::f64::consts::LN_2 * rate / f0;
    let w = |h: f64| math::exp_f64(-barrier(h));
    let total = simpson(&w, 0.0, h_zero);
    if total <= target {
        // past h_zero the rate is f0 (no barrier)
        return Ok(h_zero + (target - total));
    }
    let (mut lo, mut hi) = (0.0, h_zero);
    // the hazard grows steeply: bisect on the cumulative integral
    for _ in 0..200 {
        if hi - lo <= 1e-13 * h_zero {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if simpson(&w, 0.0, mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(0.5 * (lo + hi))
}

/// Adaptive Simpson quadrature of `f` on `[a, b]` to ~1e-10 relative.
pub(crate) fn simpson<F: Fn(f64) -> f64>(f: &F, a: f64, b: f64) -> f64 {
    #[allow(clippy::too_many_arguments)]
    fn rec<F: Fn(f64) -> f64>(
        f: &F,
        a: f64,
        b: f64,
        fa: f64,
        fm: f64,
        fb: f64,
        whole: f64,
        tol: f64,
        depth: u32,
    ) -> f64 {
        let m = 0.5 * (a + b);
        let (lm, rm) = (0.5 * (a + m), 0.5 * (m + b));
        let (flm, frm) = (f(lm), f(rm));
        let left = (m - a) / 6.0 * (fa + 4.0 * flm + fm);
        let right = (b - m) / 6.0 * (fm + 4.0 * frm + fb);
        let delta = left + right - whole;
        if depth == 0 || delta.abs() <= 15.0 * tol {
            left + right + delta / 15.0
        } else {
            rec(f, a, m, fa, flm, fm, left, 0.5 * tol, depth - 1)
                + rec(f, m, b, fm, frm, fb, right, 0.5 * tol, depth - 1)
        }
    }
    if !(b > a) {
        return 0.0;
    }
    let (fa, fm, fb) = (f(a), f(0.5 * (a + b)), f(b));
    let whole = (b - a) / 6.0 * (fa + 4.0 * fm + fb);
    // absolute tolerance from a coarse estimate of the scale
    let scale = fa.abs().max(fm.abs()).max(fb.abs()) * (b - a);
    rec(
        f,
        a,
        b,
        fa,
        fm,
        fb,
        whole,
        1e-11 * scale.max(f64::MIN_POSITIVE),
        40,
    )
}

/// Thermal stability factor `Delta = K_eff V / (kB T)` (the usual rule: 25 for 100 s,
/// 40 for 10 years with tau0 = 1 ns); exact.
///
/// ```
/// let d = larmor::arrhenius::stability_factor(3e5, 1e-24, 300.0).unwrap();
/// assert!((d - 72.43).abs() < 0.01);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `k_eff <= 0`, `volume <= 0` or `temperature <= 0`.
pub fn stability_factor(k_eff: f64, volume: f64, temperature: f64) -> Result<f64, Error> {
    check_min("arrhenius.k_eff", k_eff, 0.0, false, "> 0 J/m^3")?;
    check_min("arrhenius.volume", volume, 0.0, false, "> 0 m^3")?;
    check_min("arrhenius.temperature", temperature, 0.0, false, "> 0 K")?;
    Ok(k_eff * volume / (KB * temperature))
}

/// Retention time (s): the time after which a bit with barrier `delta` (`kB T`) and attempt
/// frequency `f0` has flipped with probability `p_fail`, `t = -ln(1 - p) e^delta / f0` (Neel 1949); exact for a single escape channel.
///
/// ```
/// let t = larmor::arrhenius::retention_time(40.0, 1e9, 0.5).unwrap();
/// assert!((t / (2f64.ln() * 40f64.exp() / 1e9) - 1.0).abs() < 1e-14);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `delta < 0`, `f0 <= 0`, `p_fail` outside `(0, 1)`.
pub fn retention_time(delta: f64, f0: f64, p_fail: f64) -> Result<f64, Error> {
    check_min("arrhenius.delta", delta, 0.0, true, ">= 0 (kB T)")?;
    check_f0(f0)?;
    check_open01("arrhenius.p_fail", p_fail)?;
    Ok(-math::ln1p_f64(-p_fail) * math::exp_f64(delta) / f0)
}

/// The stability factor needed to keep the flip probability below `p_fail` for `t` seconds:
/// `delta = ln(f0 t / -ln(1 - p))` (inverse of [`retention_time`]).
///
/// ```
/// use larmor::arrhenius::{required_delta, retention_time};
/// let d = required_delta(1e9, 3.15e8, 1e-6).unwrap(); // 10 years, 1 ppm
/// assert!((retention_time(d, 1e9, 1e-6).unwrap() / 3.15e8 - 1.0).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `f0 <= 0`, `t <= 0`, `p_fail` outside `(0, 1)`.
pub fn required_delta(f0: f64, t: f64, p_fail: f64) -> Result<f64, Error> {
    check_f0(f0)?;
    check_min("arrhenius.t", t, 0.0, false, "> 0 s")?;
    check_open01("arrhenius.p_fail", p_fail)?;
    Ok(math::ln_f64(f0 * t / -math::ln1p_f64(-p_fail)).max(0.0))
}

/// Checks an attempt frequency `f0 > 0` (Hz).
fn check_f0(f0: f64) -> Result<f64, Error> {
    check_min("arrhenius.f0", f0, 0.0, false, "> 0 Hz")
}

/// Checks a thermal stability factor `delta = K V / kB T > 0`.
fn check_delta(delta: f64) -> Result<f64, Error> {
    check_min("arrhenius.delta", delta, 0.0, false, "> 0 (K V / kB T)")
}

/// Checks a Sharrock exponent `m > 0`.
fn check_sharrock_m(m: f64) -> Result<f64, Error> {
    check_min(
        "arrhenius.m",
        m,
        0.0,
        false,
        "> 0 (2 aligned, ~1.5 misaligned)",
    )
}

/// Checks Brown's prefactor parameters: damping, anisotropy field (T) and gyromagnetic ratio,
/// each > 0.
fn check_brown(alpha: f64, hk_tesla: f64, gamma: f64) -> Result<(), Error> {
    check_min("arrhenius.alpha", alpha, 0.0, false, "> 0")?;
    check_min("arrhenius.hk_tesla", hk_tesla, 0.0, false, "> 0 T")?;
    check_min("arrhenius.gamma", gamma, 0.0, false, "> 0 rad/(s T)")?;
    Ok(())
}

fn check_open01(param: &'static str, p: f64) -> Result<f64, Error> {
    if p.is_finite() && p > 0.0 && p < 1.0 {
        Ok(p)
    } else {
        Err(Error::OutOfRange {
            param,
            value: p,
            allowed: "0 < p < 1",
        })
    }
}

/// Probability that a current pulse of width `t` (s) writes a bit in the thermally activated
/// spin-torque regime: rate `f0 exp(-delta (1 - i))` with `i = I / I_c0 < 1`, so
/// `P = 1 - exp(-t f0 exp(-delta (1 - i)))` (Koch, Katine & Sun, PRL 92, 088302 (2004);
/// Li & Zhang, PRB 69, 134416 (2004)); exact for that rate.
///
/// ```
/// use larmor::arrhenius::stt_write_probability;
/// let p_lo = stt_write_probability(40.0, 0.5, 1e9, 10e-9).unwrap();
/// let p_hi = stt_write_probability(40.0, 0.95, 1e9, 10e-9).unwrap();
/// assert!(p_lo < 1e-6 && p_hi > 0.5);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `delta <= 0`, `f0 <= 0`, `t < 0`, and `i >= 1` (precessional
/// regime: the thermal formula does not apply) or non-finite `i`.
pub fn stt_write_probability(delta: f64, i: f64, f0: f64, t: f64) -> Result<f64, Error> {
    check_min("arrhenius.delta", delta, 0.0, false, "> 0 (kB T)")?;
    check_f0(f0)?;
    check_min("arrhenius.pulse_width", t, 0.0, true, ">= 0 s")?;
    check_range(
        "arrhenius.i_over_ic0",
        i,
        f64::MIN,
        1.0 - f64::EPSILON,
        "< 1 (I/I_c0; at and above 1 the switching is precessional, not thermal)",
    )?;
    let lambda = f0 * math::exp_f64(-delta * (1.0 - i));
    Ok(-math::expm1_f64(-lambda * t))
}

/// Current `I / I_c0` that writes with probability `p` in a pulse of width `t` (thermal regime):
/// `i = 1 - ln(f0 t / -ln(1 - p)) / delta` (inverse of [`stt_write_probability`]).
///
/// ```
/// use larmor::arrhenius::{stt_critical_current, stt_write_probability};
/// let i = stt_critical_current(40.0, 1e9, 10e-9, 0.5).unwrap();
/// assert!((stt_write_probability(40.0, i, 1e9, 10e-9).unwrap() - 0.5).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `delta <= 0`, `f0 <= 0`, `t <= 0`, `p` outside `(0, 1)`, or a pulse
/// so short that `i >= 1` would be needed (precessional regime).
pub fn stt_critical_current(delta: f64, f0: f64, t: f64, p: f64) -> Result<f64, Error> {
    check_min("arrhenius.delta", delta, 0.0, false, "> 0 (kB T)")?;
    check_f0(f0)?;
    check_min("arrhenius.pulse_width", t, 0.0, false, "> 0 s")?;
    check_open01("arrhenius.p", p)?;
    let x = math::ln_f64(f0 * t / -math::ln1p_f64(-p));
    if !(x > 0.0) {
        return Err(Error::OutOfRange {
            param: "arrhenius.pulse_width",
            value: t,
            allowed: "long enough that f0 t > -ln(1 - p) (shorter pulses switch precessionally)",
        });
    }
    Ok(1.0 - x / delta)
}
