//! Magnetoresistive field sensors: TMR, GMR and AMR elements in half and full Wheatstone
//! bridges, with hysteresis from the Stoner-Wohlfarth engine, set/reset, offset strap,
//! temperature coefficients, the four noise sources, and sampling at a fixed rate.
//!
//! # Elements
//! Every element is characterised by its resistance `r_ohm` at the zero-field operating point,
//! its magnetoresistance ratio `mr` and its free layer (anisotropy field `H_K`, easy axis along
//! `x`; the sensitive axis is `y`). With `m = (m_x, m_y)` the free-layer direction and `s = +-1`
//! the arm's orientation:
//! - **TMR**: conductance linear in `cos theta` (Slonczewski, Phys. Rev. B 39, 6995 (1989);
//!   Julliere, Phys. Lett. A 54, 225 (1975)): `G = G0 (1 + P^2 cos theta)`,
//!   `P^2 = TMR / (2 + TMR)`, `cos theta = s m . r` with `r` the reference direction;
//!   `G0 = 1 / r_ohm`.
//! - **GMR**: resistance linear in `cos theta` (Dieny, J. Magn. Magn. Mater. 136, 335 (1994)):
//!   `R = r_ohm (1 - g cos theta)`, `g = GMR / (2 + GMR)`, so `R_AP / R_P - 1 = GMR`.
//! - **AMR**: `R = R_perp + dR cos^2 phi` (McGuire & Potter, IEEE Trans. Magn. 11, 1018 (1975)), `phi` the angle between current and moment, with barber-pole biasing: the current
//!   runs at `-s 45 deg` to the easy axis, so `cos^2 phi = (1 - s sin 2 alpha) / 2 = (1 - 2 s m_x
//!   m_y) / 2`, linear in `m_y` near `m_x = +-1`; `dR = mr R_perp`, `r_ohm = R_perp + dR / 2`.
//!
//! # Free layer and history
//! All arms of a bridge are made of the same film in the same field, so they share one free-layer
//! state: a Stoner-Wohlfarth [`Loop`] (Stoner & Wohlfarth 1948) in the reduced field `H / H_K`,
//! which follows the occupied minimum through any field history (major and minor loops,
//! return-point memory). A macrospin integrated elsewhere (stochastic LLG, [`crate::integrate`])
//! can drive the same bridge through [`Bridge::output_v_for`]. A field along the sensitive (hard) axis gives the reversible response
//! `m_y = H_y / H_K`; a field along the easy axis switches `m_x` at `H_K` (the astroid).
//!
//! # Bridge
//! Arms `lt, lb, rt, rb` (left/right divider, top/bottom) have orientations `s = +1, -1, -1, +1`;
//! the full-bridge output is `V = V_b (R_lb / (R_lt + R_lb) - R_rb / (R_rt + R_rb)) + V_off`, the
//! half bridge uses the left divider against `V_b / 2`. For TMR (push-pull, reference along `y`)
//! this is exactly `V / V_b = P^2 m_y = P^2 H / H_K` below saturation; for AMR it is
//! `V / V_b = (dR / r_ohm) m_x m_y`, whose sign follows `m_x`: a set pulse (`+x`) or reset pulse
//! (`-x`) flips the sensitivity, and `(V_set - V_reset) / 2` cancels the offset `V_off` exactly.
//! An offset strap adds `I / k` gauss along `y` (`k` in mA/gauss, as in the Honeywell HMC1001/1002
//! datasheet). Temperature: `R(T) = R (1 + tcr (T - T_ref))` for every arm (cancels in the
//! ratiometric output, enters the noise) and `mr(T) = mr (1 + tcs (T - T_ref))`.
//!
//! # Noise (one-sided spectral densities, V^2/Hz at the bridge output)
//! Each arm's noise is a series voltage source `e_i`, seen at the output through its divider as
//! `e_i R_other / (R_i + R_other)`; sources are independent and add in power.
//! - **Johnson** (Nyquist, Phys. Rev. 32, 110 (1928)): `4 kB T R` per arm (GMR, AMR).
//! - **Shot** in a tunnel junction (Blanter & Buttiker, Phys. Rep. 336, 1 (2000): tunnel junction):
//!   `S_I = 2 e I coth(e V / 2 kB T)`, i.e. `S_V = 2 e I R^2 coth(e V / 2 kB T)` per TMR arm,
//!   which contains the Johnson noise (`-> 4 kB T R` for `e V << kB T`), so it replaces it.
//! - **1/f (Hooge)**: `S_V / V^2 = alpha_H / (N_c f)` per arm (Hooge, Phys. Lett. A 29, 139 (1969)), `V` the voltage across the arm, `N_c` its number of carriers, `alpha_H` the Hooge
//!   parameter.
//! - **Magnetic** (fluctuation-dissipation; Brown, Phys. Rev. 130, 1677 (1963), in
//!   spectral form): `S_B = 4 alpha kB T / (gamma Ms V)` T^2/Hz of the free layer, seen through
//!   the small-signal sensitivity `dV/dB` (white below the free layer's resonance).
//!
//! # Time domain and sampling
//! [`Flicker`] generates 1/f noise as a sum of first-order relaxation (Ornstein-Uhlenbeck)
//! processes with log-spaced rates and equal variances (van der Ziel, Physica 16, 359 (1950);
//! Kasdin, Proc. IEEE 83, 802 (1995)), each updated exactly as an AR(1) recursion; its
//! exact spectrum is [`Flicker::psd`]. [`Sampler`] samples the bridge at a fixed rate `fs` from a
//! field waveform: the field is point-sampled at `t_n = n / fs` (field content above `fs / 2`
//! aliases, as in an ADC without an analogue anti-alias filter), while the electronic noise is
//! band-limited to the Nyquist band: the white part has variance `S_white fs / 2` per sample, as
//! behind an ideal brick-wall anti-alias filter at `fs / 2`. Random numbers come from
//! [`crate::random`] (Philox streams, the one normal sampler).
//!
//! ```
//! use larmor::device::sensor::{BridgeSpec, ElementKind, Topology};
//! let mut spec = BridgeSpec::new(ElementKind::Tmr, 5e3, 1.5, 2e3);
//! spec.topology = Topology::Full;
//! let mut b = spec.build::<f64>().unwrap();
//! let v = b.apply_field([0.0, 200.0]).unwrap(); // 0.1 H_K along the sensitive axis
//! let p2 = 1.5 / 3.5;
//! assert!((v / spec.supply_v - p2 * 0.1).abs() < 1e-12);
//! ```

use crate::error::{check_min, check_range, Error};
use crate::math;
use crate::random::{Gaussian, Philox};
use crate::real::Real;
use crate::sw::Loop;
use crate::units::{E_CHARGE, KB, MU0};
use crate::vec3::Vec3;

/// One gauss in A/m (`1e-4 T / mu0`).
pub const GAUSS_AM: f64 = 1e-4 / MU0;

/// The magnetoresistance mechanism of the bridge's elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ElementKind {
    /// Tunnel magnetoresistance: `G = G0 (1 + P^2 cos theta)`; shot noise.
    Tmr,
    /// Giant magnetoresistance (spin valve): `R = R0 (1 - g cos theta)`; Johnson noise.
    Gmr,
    /// Anisotropic magnetoresistance with barber poles: `R = R_perp + dR cos^2 phi`.
    Amr,
}

/// Half or full Wheatstone bridge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Topology {
    /// Two arms (one divider) read against `V_b / 2`.
    Half,
    /// Four arms (two dividers in push-pull).
    Full,
}

/// Hooge 1/f noise of one arm: `S_V / V^2 = alpha_h / (carriers f)`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Hooge {
    /// Hooge parameter `alpha_H` (dimensionless), `> 0`.
    pub alpha_h: f64,
    /// Number of carriers `N_c` in one arm (carrier density times volume), `> 0`.
    pub carriers: f64,
}

/// Free-layer parameters of the fluctuation-dissipation (magnetic) noise.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MagneticNoise {
    /// Gilbert damping `alpha`, `> 0`.
    pub alpha: f64,
    /// Saturation magnetisation `Ms` (A/m), `> 0`.
    pub ms: f64,
    /// Free-layer volume `V` (m^3), `> 0`.
    pub volume_m3: f64,
    /// Gyromagnetic ratio (rad s^-1 T^-1), `> 0`.
    pub gamma: f64,
}

/// SI description of a magnetoresistive bridge (validated by [`BridgeSpec::build`]).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BridgeSpec {
    /// Element mechanism.
    pub kind: ElementKind,
    /// Half or full bridge (default full).
    pub topology: Topology,
    /// Arm resistance at the zero-field operating point (ohm), `> 0` (`sensor.r_ohm`).
    pub r_ohm: f64,
    /// Magnetoresistance ratio at `t_ref_k`: TMR `(R_AP - R_P) / R_P` in `[0, 20]`, GMR in
    /// `[0, 2]`, AMR `dR / R_perp` in `[0, 0.2]` (`sensor.mr`).
    pub mr: f64,
    /// Free-layer anisotropy field `H_K` (A/m), `> 0` (`sensor.hk`).
    pub hk_am: f64,
    /// Reference-layer direction (TMR, GMR), angle from the easy axis (rad); `pi/2` (crossed
    /// anisotropy, linear sensor) by default.
    pub reference_rad: f64,
    /// Bridge supply `V_b` (V), `>= 0` (`sensor.supply_v`).
    pub supply_v: f64,
    /// Output offset (mV/V of supply), finite (`sensor.offset_mv_per_v`).
    pub offset_mv_per_v: f64,
    /// Offset-strap constant (mA per gauss), `> 0` (`sensor.strap_ma_per_gauss`).
    pub strap_ma_per_gauss: f64,
    /// Set/reset pulse amplitude along the easy axis, in units of `H_K`, in `(1, 100]`
    /// (`sensor.set_reset_hk`).
    pub set_reset_hk: f64,
    /// Reference temperature of `r_ohm` and `mr` (K), `> 0`.
    pub t_ref_k: f64,
    /// Temperature coefficient of resistance (1/K), in `[-0.1, 0.1]` (`sensor.tcr`).
    pub tcr_per_k: f64,
    /// Temperature coefficient of the MR ratio, i.e. of sensitivity (1/K), in `[-0.1, 0.1]`
    /// (`sensor.tcs`).
    pub tcs_per_k: f64,
    /// 1/f noise per arm (none if `None`).
    pub hooge: Option<Hooge>,
    /// Magnetic (fluctuation-dissipation) noise of the free layer (none if `None`).
    pub magnetic: Option<MagneticNoise>,
}

impl BridgeSpec {
    /// A full bridge of `kind` with arm resistance `r_ohm`, MR ratio `mr` and anisotropy field
    /// `hk_am` (A/m); 5 V supply, no offset, reference along `y`, 300 K, no temperature
    /// coefficients, strap 50 mA/gauss, set/reset pulse `4 H_K`, no 1/f or magnetic noise.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let s = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0);
    /// assert_eq!(s.supply_v, 5.0);
    /// ```
    pub fn new(kind: ElementKind, r_ohm: f64, mr: f64, hk_am: f64) -> Self {
        Self {
            kind,
            topology: Topology::Full,
            r_ohm,
            mr,
            hk_am,
            reference_rad: core::f64::consts::FRAC_PI_2,
            supply_v: 5.0,
            offset_mv_per_v: 0.0,
            strap_ma_per_gauss: 50.0,
            set_reset_hk: 4.0,
            t_ref_k: 300.0,
            tcr_per_k: 0.0,
            tcs_per_k: 0.0,
            hooge: None,
            magnetic: None,
        }
    }

    /// Validates the spec and builds the bridge, relaxed in zero field with the free layer along
    /// `+x` (the state after a set pulse), at `t_ref_k`.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let mut s = BridgeSpec::new(ElementKind::Gmr, 1e3, 0.1, 1e3);
    /// assert!(s.build::<f32>().is_ok());
    /// s.mr = -0.1;
    /// assert!(s.build::<f64>().is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming the parameter (`sensor.r_ohm`, `sensor.mr`, `sensor.hk`,
    /// `sensor.reference`, `sensor.supply_v`, `sensor.offset_mv_per_v`,
    /// `sensor.strap_ma_per_gauss`, `sensor.set_reset_hk`, `sensor.t_ref`, `sensor.tcr`,
    /// `sensor.tcs`, `sensor.hooge.alpha_h`, `sensor.hooge.carriers`, `sensor.magnetic.*`) and
    /// its allowed range.
    pub fn build<S: Real>(&self) -> Result<Bridge<S>, Error> {
        check_min("sensor.r_ohm", self.r_ohm, 0.0, false, "> 0 ohm")?;
        match self.kind {
            ElementKind::Tmr => check_range("sensor.mr", self.mr, 0.0, 20.0, "0 ..= 20 (TMR)")?,
            ElementKind::Gmr => check_range("sensor.mr", self.mr, 0.0, 2.0, "0 ..= 2 (GMR)")?,
            ElementKind::Amr => check_range("sensor.mr", self.mr, 0.0, 0.2, "0 ..= 0.2 (AMR)")?,
        };
        check_min("sensor.hk", self.hk_am, 0.0, false, "> 0 A/m")?;
        check_range(
            "sensor.reference",
            self.reference_rad,
            -7.0,
            7.0,
            "-7 ..= 7 rad",
        )?;
        check_range("sensor.supply_v", self.supply_v, 0.0, 1e3, "0 ..= 1000 V")?;
        check_range(
            "sensor.offset_mv_per_v",
            self.offset_mv_per_v,
            -1e3,
            1e3,
            "-1000 ..= 1000 mV/V",
        )?;
        check_min(
            "sensor.strap_ma_per_gauss",
            self.strap_ma_per_gauss,
            0.0,
            false,
            "> 0 mA/gauss",
        )?;
        check_range(
            "sensor.set_reset_hk",
            self.set_reset_hk,
            1.0,
            100.0,
            "1 < x <= 100 (units of H_K)",
        )?;
        if self.set_reset_hk <= 1.0 {
            return Err(Error::OutOfRange {
                param: "sensor.set_reset_hk",
                value: self.set_reset_hk,
                allowed: "1 < x <= 100 (units of H_K)",
            });
        }
        check_range("sensor.t_ref", self.t_ref_k, 1e-3, 2e3, "1e-3 ..= 2000 K")?;
        check_range("sensor.tcr", self.tcr_per_k, -0.1, 0.1, "-0.1 ..= 0.1 1/K")?;
        check_range("sensor.tcs", self.tcs_per_k, -0.1, 0.1, "-0.1 ..= 0.1 1/K")?;
        if let Some(h) = self.hooge {
            check_min("sensor.hooge.alpha_h", h.alpha_h, 0.0, false, "> 0")?;
            check_min("sensor.hooge.carriers", h.carriers, 0.0, false, "> 0")?;
        }
        if let Some(m) = self.magnetic {
            check_min("sensor.magnetic.alpha", m.alpha, 0.0, false, "> 0")?;
            check_min("sensor.magnetic.ms", m.ms, 0.0, false, "> 0 A/m")?;
            check_min("sensor.magnetic.volume", m.volume_m3, 0.0, false, "> 0 m^3")?;
            check_min(
                "sensor.magnetic.gamma",
                m.gamma,
                0.0,
                false,
                "> 0 rad/(s T)",
            )?;
        }
        let free = Loop::new(Vec3::X, Vec3::Y, Vec3::X)?;
        let (sr, cr) = math::sin_cos_f64(self.reference_rad);
        Ok(Bridge {
            spec: *self,
            reference: [cr, sr],
            free,
            field_am: [0.0, 0.0],
            strap_ma: 0.0,
            temperature_k: self.t_ref_k,
        })
    }
}

/// Spectral densities of the bridge output at one frequency (V^2/Hz, one-sided).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NoisePsd {
    /// Johnson (GMR, AMR) or shot (TMR, Johnson included) noise.
    pub thermal: f64,
    /// Hooge 1/f noise at this frequency.
    pub flicker: f64,
    /// Magnetic (fluctuation-dissipation) noise through the sensitivity.
    pub magnetic: f64,
    /// Sum of the above.
    pub total: f64,
}

/// Arm orientations `lt, lb, rt, rb`.
const ARM_SIGN: [f64; 4] = [1.0, -1.0, -1.0, 1.0];

/// A magnetoresistive bridge with its free-layer state (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bridge<S> {
    spec: BridgeSpec,
    reference: [f64; 2],
    free: Loop<S>,
    field_am: [f64; 2],
    strap_ma: f64,
    temperature_k: f64,
}

impl<S: Real> Bridge<S> {
    /// The validated spec.
    pub fn spec(&self) -> &BridgeSpec {
        &self.spec
    }

    /// The free-layer direction `(m_x, m_y)` (easy axis `x`, sensitive axis `y`).
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let mut b = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0).build::<f64>().unwrap();
    /// b.apply_field([0.0, 200.0]).unwrap(); // hard axis: m_y = H / H_K
    /// assert!((b.m()[1] - 0.5).abs() < 1e-12);
    /// ```
    pub fn m(&self) -> [f64; 2] {
        let m = self.free.m();
        [m.x.to_f64(), m.y.to_f64()]
    }

    /// Number of irreversible free-layer jumps so far (switching events).
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let mut b = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0).build::<f64>().unwrap();
    /// b.reset_pulse().unwrap();
    /// assert_eq!(b.jumps(), 1);
    /// ```
    pub fn jumps(&self) -> u64 {
        self.free.jumps()
    }

    /// The applied field (A/m, without the strap field).
    pub fn field_am(&self) -> [f64; 2] {
        self.field_am
    }

    /// The temperature (K).
    pub fn temperature_k(&self) -> f64 {
        self.temperature_k
    }

    /// Field of the offset strap along `y` (A/m) at the present strap current.
    pub fn strap_field_am(&self) -> f64 {
        self.strap_ma / self.spec.strap_ma_per_gauss * GAUSS_AM
    }

    /// Moves the applied in-plane field to `h_am` (A/m) on a straight segment, the free layer
    /// following its minimum (with history), and returns the noiseless output voltage (V).
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let mut b = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0).build::<f64>().unwrap();
    /// let v = b.apply_field([0.0, 40.0]).unwrap(); // 0.1 H_K
    /// let expect = 5.0 * (0.02 / 1.01) * 0.99f64.sqrt() * 0.1; // V_b dR/r m_x m_y
    /// assert!((v - expect).abs() < 1e-12);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a non-finite field (`sensor.field`).
    pub fn apply_field(&mut self, h_am: [f64; 2]) -> Result<f64, Error> {
        for c in h_am {
            crate::error::check_finite("sensor.field", c)?;
        }
        self.field_am = h_am;
        self.relax()?;
        Ok(self.output_v())
    }

    fn relax(&mut self) -> Result<(), Error> {
        let hk = self.spec.hk_am;
        let hy = self.field_am[1] + self.strap_field_am();
        let h = Vec3::new(
            S::from_f64(self.field_am[0] / hk),
            S::from_f64(hy / hk),
            S::ZERO,
        );
        self.free.apply(h)?;
        Ok(())
    }

    /// Sets the offset-strap current (mA); the strap adds `I / k` gauss along `y`.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let mut b = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0).build::<f64>().unwrap();
    /// b.set_strap_ma(25.0).unwrap(); // 50 mA/gauss: 0.5 gauss
    /// assert!((b.strap_field_am() - 0.5 * larmor::device::sensor::GAUSS_AM).abs() < 1e-9);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a non-finite current (`sensor.strap_ma`).
    pub fn set_strap_ma(&mut self, i_ma: f64) -> Result<f64, Error> {
        self.strap_ma = crate::error::check_finite("sensor.strap_ma", i_ma)?;
        self.relax()?;
        Ok(self.output_v())
    }

    /// Sets the temperature (K).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] outside `1e-3 ..= 2000 K` (`sensor.temperature`).
    pub fn set_temperature_k(&mut self, t_k: f64) -> Result<(), Error> {
        self.temperature_k = check_range("sensor.temperature", t_k, 1e-3, 2e3, "1e-3 ..= 2000 K")?;
        Ok(())
    }

    /// A set pulse: the field goes to `+set_reset_hk H_K` along the easy axis and back to the
    /// applied field, leaving the free layer along `+x`. Returns the output afterwards.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let mut b = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0).build::<f64>().unwrap();
    /// b.apply_field([0.0, 40.0]).unwrap();
    /// let v_set = b.set_pulse().unwrap();
    /// let v_reset = b.reset_pulse().unwrap();
    /// assert!((v_set + v_reset).abs() < 1e-15); // no offset: the sensitivity flips
    /// ```
    ///
    /// # Errors
    /// As [`Bridge::apply_field`].
    pub fn set_pulse(&mut self) -> Result<f64, Error> {
        self.pulse(1.0)
    }

    /// A reset pulse (as [`Bridge::set_pulse`], along `-x`): for AMR the sensitivity flips sign.
    ///
    /// # Errors
    /// As [`Bridge::apply_field`].
    pub fn reset_pulse(&mut self) -> Result<f64, Error> {
        self.pulse(-1.0)
    }

    fn pulse(&mut self, sign: f64) -> Result<f64, Error> {
        let h = self.field_am;
        let hk = self.spec.hk_am;
        let hp = sign * self.spec.set_reset_hk * hk;
        self.field_am = [hp, h[1]];
        self.relax()?;
        self.field_am = h;
        self.relax()?;
        Ok(self.output_v())
    }

    /// MR ratio at the present temperature (clamped at 0).
    fn mr_t(&self) -> f64 {
        let mr =
            self.spec.mr * (1.0 + self.spec.tcs_per_k * (self.temperature_k - self.spec.t_ref_k));
        if mr > 0.0 {
            mr
        } else {
            0.0
        }
    }

    /// Arm resistances `[lt, lb, rt, rb]` (ohm) at the present state and temperature (the half
    /// bridge uses `lt, lb`); the TCR factor `1 + tcr (T - T_ref)` is floored at `1e-3`.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let b = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0).build::<f64>().unwrap();
    /// assert!(b.arm_resistances().iter().all(|r| (r - 850.0).abs() < 1e-9)); // zero field
    /// ```
    pub fn arm_resistances(&self) -> [f64; 4] {
        self.arm_resistances_for(self.m())
    }

    /// Arm resistances for a free-layer direction `m = (m_x, m_y)` given from outside (e.g. the
    /// in-plane components of a macrospin integrated with [`crate::integrate::Integrator`]),
    /// instead of the Stoner-Wohlfarth state.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let b = BridgeSpec::new(ElementKind::Tmr, 1e3, 1.0, 1e3).build::<f64>().unwrap();
    /// let r = b.arm_resistances_for([0.0, 1.0]); // along the reference: P^2 = 1/3
    /// assert!((r[0] - 750.0).abs() < 1e-9 && (r[1] - 1500.0).abs() < 1e-9);
    /// ```
    pub fn arm_resistances_for(&self, m: [f64; 2]) -> [f64; 4] {
        let mr = self.mr_t();
        // floored at 1e-3: a linear TCR extrapolated far from T_ref must not reach R <= 0
        let scale = 1.0 + self.spec.tcr_per_k * (self.temperature_k - self.spec.t_ref_k);
        let scale = if scale > 1e-3 { scale } else { 1e-3 };
        let r0 = self.spec.r_ohm * scale;
        let cos_ref = m[0] * self.reference[0] + m[1] * self.reference[1];
        let mut r = [0.0; 4];
        for (ri, s) in r.iter_mut().zip(ARM_SIGN) {
            *ri = match self.spec.kind {
                ElementKind::Tmr => {
                    let p2 = mr / (2.0 + mr);
                    r0 / (1.0 + p2 * s * cos_ref)
                }
                ElementKind::Gmr => {
                    let g = mr / (2.0 + mr);
                    r0 * (1.0 - g * s * cos_ref)
                }
                ElementKind::Amr => {
                    let r_perp = r0 / (1.0 + 0.5 * mr);
                    let cos2 = 0.5 * (1.0 - 2.0 * s * m[0] * m[1]);
                    r_perp * (1.0 + mr * cos2)
                }
            };
        }
        r
    }

    /// Noiseless output voltage (V) at the present state, offset included.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let mut s = BridgeSpec::new(ElementKind::Gmr, 1e3, 0.1, 1e3);
    /// s.offset_mv_per_v = 2.0;
    /// let b = s.build::<f64>().unwrap();
    /// assert!((b.output_v() - 0.01).abs() < 1e-15); // 2 mV/V at 5 V, zero field
    /// ```
    pub fn output_v(&self) -> f64 {
        self.output_v_for(self.m())
    }

    /// Noiseless output voltage (V) for a free-layer direction given from outside (see
    /// [`Bridge::arm_resistances_for`]), offset included.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let b = BridgeSpec::new(ElementKind::Tmr, 1e3, 1.0, 1e3).build::<f64>().unwrap();
    /// assert!((b.output_v_for([0.8, 0.6]) - 5.0 * 0.6 / 3.0).abs() < 1e-12); // V_b P^2 m_y
    /// ```
    pub fn output_v_for(&self, m: [f64; 2]) -> f64 {
        let r = self.arm_resistances_for(m);
        let vb = self.spec.supply_v;
        let left = r[1] / (r[0] + r[1]);
        let right = match self.spec.topology {
            Topology::Full => r[3] / (r[2] + r[3]),
            Topology::Half => 0.5,
        };
        vb * (left - right) + self.spec.offset_mv_per_v * 1e-3 * vb
    }

    /// Output resistance of the bridge (ohm): `R_lt || R_lb` (+ `R_rt || R_rb` for the full
    /// bridge).
    pub fn output_resistance_ohm(&self) -> f64 {
        let r = self.arm_resistances();
        let par = |a: f64, b: f64| a * b / (a + b);
        match self.spec.topology {
            Topology::Full => par(r[0], r[1]) + par(r[2], r[3]),
            Topology::Half => par(r[0], r[1]),
        }
    }

    /// Arms in use, with the divider factor `R_other / (R_i + R_other)` and the voltage across
    /// the arm.
    fn arms(&self) -> ([(f64, f64, f64); 4], usize) {
        let r = self.arm_resistances();
        let vb = self.spec.supply_v;
        let n = match self.spec.topology {
            Topology::Full => 4,
            Topology::Half => 2,
        };
        let mut out = [(0.0, 0.0, 0.0); 4];
        for i in 0..n {
            let other = r[i ^ 1];
            let k = other / (r[i] + other);
            let v = vb * r[i] / (r[i] + other);
            out[i] = (r[i], k, v);
        }
        (out, n)
    }

    /// White electronic noise of the output (V^2/Hz): Johnson `4 kB T R` per arm for GMR and
    /// AMR, shot noise `2 e I R^2 coth(e V / 2 kB T)` per arm for TMR.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let b = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0).build::<f64>().unwrap();
    /// let floor = b.thermal_psd().sqrt(); // 4 kB T R_out, R_out = 850 ohm
    /// assert!((floor * 1e9 - 3.752).abs() < 1e-3);
    /// ```
    pub fn thermal_psd(&self) -> f64 {
        let kt = KB * self.temperature_k;
        let (arms, n) = self.arms();
        let mut s = 0.0;
        for &(r, k, v) in arms.iter().take(n) {
            let e_arm = match self.spec.kind {
                ElementKind::Tmr => shot_psd(v, r, kt),
                _ => 4.0 * kt * r,
            };
            s += k * k * e_arm;
        }
        s
    }

    /// Coefficient `K` (V^2) of the output's Hooge noise `S(f) = K / f` (0 without [`Hooge`]).
    pub fn flicker_coefficient(&self) -> f64 {
        let Some(h) = self.spec.hooge else {
            return 0.0;
        };
        let (arms, n) = self.arms();
        let mut s = 0.0;
        for &(_, k, v) in arms.iter().take(n) {
            s += k * k * h.alpha_h * v * v / h.carriers;
        }
        s
    }

    /// Small-signal sensitivity `dV/dH_y` (V per A/m) at the present state, by a central
    /// difference of `1e-6 H_K` on copies of the free layer (the state is not changed).
    pub fn sensitivity_v_per_am(&self) -> f64 {
        let d = 1e-6 * self.spec.hk_am;
        let mut up = *self;
        let mut dn = *self;
        let hy = self.field_am[1];
        let (Ok(vu), Ok(vd)) = (
            up.apply_field([self.field_am[0], hy + d]),
            dn.apply_field([self.field_am[0], hy - d]),
        ) else {
            return 0.0;
        };
        (vu - vd) / (2.0 * d)
    }

    /// Magnetic white noise of the free layer, `S_B = 4 alpha kB T / (gamma Ms V)` (T^2/Hz;
    /// 0 without [`MagneticNoise`]).
    pub fn magnetic_field_psd_t2(&self) -> f64 {
        match self.spec.magnetic {
            Some(m) => 4.0 * m.alpha * KB * self.temperature_k / (m.gamma * m.ms * m.volume_m3),
            None => 0.0,
        }
    }

    /// All white noise at the output (V^2/Hz): thermal plus magnetic.
    pub fn white_psd(&self) -> f64 {
        if self.spec.magnetic.is_none() {
            return self.thermal_psd();
        }
        let sens_t = self.sensitivity_v_per_am() / MU0; // V per tesla of mu0 H
        self.thermal_psd() + sens_t * sens_t * self.magnetic_field_psd_t2()
    }

    /// Output noise spectral densities at frequency `f_hz`.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind, Hooge};
    /// let mut s = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0);
    /// s.hooge = Some(Hooge { alpha_h: 2e-3, carriers: 9e13 });
    /// let b = s.build::<f64>().unwrap();
    /// let p = b.noise_psd(b.corner_hz()).unwrap();
    /// assert!((p.flicker / p.thermal - 1.0).abs() < 1e-12);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `f_hz <= 0` (`sensor.f`).
    pub fn noise_psd(&self, f_hz: f64) -> Result<NoisePsd, Error> {
        check_min("sensor.f", f_hz, 0.0, false, "> 0 Hz")?;
        let thermal = self.thermal_psd();
        let sens_t = self.sensitivity_v_per_am() / MU0;
        let magnetic = sens_t * sens_t * self.magnetic_field_psd_t2();
        let flicker = self.flicker_coefficient() / f_hz;
        Ok(NoisePsd {
            thermal,
            flicker,
            magnetic,
            total: thermal + flicker + magnetic,
        })
    }

    /// Field-equivalent noise (T/sqrt(Hz)) of an output density `psd_v2` (V^2/Hz):
    /// `sqrt(psd_v2) / |dV/dB|` with `B = mu0 H_y` along the sensitive axis, the field whose
    /// signal equals the noise in a 1 Hz band (the detectivity, e.g. of [`NoisePsd::total`]).
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind};
    /// let b = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0).build::<f64>().unwrap();
    /// let d = b.field_equivalent_t(b.white_psd()).unwrap();
    /// let s = b.sensitivity_v_per_am() / larmor::units::MU0; // V/T
    /// assert!((d * s - b.white_psd().sqrt()).abs() < 1e-15);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a negative or non-finite `psd_v2` (`sensor.psd`), or a zero
    /// sensitivity (`sensor.sensitivity`: no supply, or a saturated free layer).
    pub fn field_equivalent_t(&self, psd_v2: f64) -> Result<f64, Error> {
        check_range("sensor.psd", psd_v2, 0.0, f64::MAX, ">= 0 V^2/Hz, finite")?;
        let sens_t = (self.sensitivity_v_per_am() / MU0).abs();
        if !(sens_t > 0.0 && sens_t.is_finite()) {
            return Err(Error::OutOfRange {
                param: "sensor.sensitivity",
                value: sens_t,
                allowed: "> 0 V/T (supply_v > 0, free layer not saturated)",
            });
        }
        Ok(math::sqrt_f64(psd_v2) / sens_t)
    }

    /// The 1/f corner `f_c = K / S_white` (Hz) where the 1/f and white densities are equal
    /// (0 without 1/f noise; infinite without white noise).
    pub fn corner_hz(&self) -> f64 {
        self.flicker_coefficient() / self.white_psd()
    }
}

/// Shot-noise voltage density `2 e I R^2 coth(e V / 2 kB T)` of a junction of resistance `r`
/// biased at `v` (Blanter & Buttiker 2000); `4 kB T R` at zero bias.
fn shot_psd(v: f64, r: f64, kt: f64) -> f64 {
    let x = E_CHARGE * v.abs() / (2.0 * kt);
    if x < 1e-4 {
        // x coth x = 1 + x^2 / 3 + O(x^4)
        4.0 * kt * r * (1.0 + x * x / 3.0)
    } else {
        2.0 * E_CHARGE * v.abs() * r / math::tanh_f64(x)
    }
}

/// Time-domain 1/f noise of unit coefficient (`S(f) = 1 / f`, V^2/Hz per V^2 of coefficient):
/// a sum of at most `N` AR(1) relaxation processes with rates log-spaced from `f_lo` to `fs / 2`,
/// `per_decade` per decade, and equal variances `ln d` (`d = 10^(1 / per_decade)`), so that
/// `sum 4 var lambda / (lambda^2 + omega^2) ~ 1 / f` (van der Ziel 1950; Kasdin 1995).
///
/// Validity (3 poles per decade, measured on the exact spectrum [`Flicker::psd`]): within 5% of
/// `1/f` from `10 f_lo` to `fs / 20` and within 1% from `50 f_lo` to `fs / 100`; the ripple
/// between poles is below 0.1%, the band edges lose the tails of the missing poles (below `f_lo`:
/// a deficit `~ (2/pi) f_lo / f`) and the AR(1) discretisation adds power towards `fs / 2`.
///
/// ```
/// use larmor::device::sensor::Flicker;
/// use larmor::random::Philox;
/// let mut fl = Flicker::<24>::new(0.01, 1e3, 3).unwrap();
/// let mut rng = Philox::new(1, 0);
/// let x = fl.next(&mut rng);
/// assert!(x.is_finite());
/// assert!((fl.psd(10.0) * 10.0 - 1.0).abs() < 0.03);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flicker<const N: usize> {
    a: [f64; N],
    b: [f64; N],
    x: [f64; N],
    n: usize,
    fs: f64,
}

impl<const N: usize> Flicker<N> {
    /// A generator at sample rate `fs` (Hz) whose 1/f band starts near `10 f_lo`; the processes
    /// start at 0: call [`Flicker::stationary`] to start in the stationary state instead of
    /// discarding `~1 / (2 pi f_lo)` s of warm-up.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `f_lo` outside `(0, fs / 2)` (`sensor.flicker.f_lo`), `fs <= 0`
    /// (`sensor.flicker.fs`) or `per_decade` outside `1 ..= 10`; [`Error::Capacity`] when more
    /// than `N` processes are needed.
    pub fn new(f_lo: f64, fs: f64, per_decade: u32) -> Result<Self, Error> {
        check_min("sensor.flicker.fs", fs, 0.0, false, "> 0 Hz")?;
        check_range(
            "sensor.flicker.per_decade",
            per_decade as f64,
            1.0,
            10.0,
            "1 ..= 10",
        )?;
        if !(f_lo > 0.0 && f_lo < 0.5 * fs) {
            return Err(Error::OutOfRange {
                param: "sensor.flicker.f_lo",
                value: f_lo,
                allowed: "0 < f_lo < fs / 2",
            });
        }
        let decades = math::ln_f64(0.5 * fs / f_lo) / core::f64::consts::LN_10;
        let n = (decades * per_decade as f64) as usize + 1;
        if n > N {
            return Err(Error::Capacity {
                what: "sensor.flicker poles",
                capacity: N,
            });
        }
        let ln_d = core::f64::consts::LN_10 / per_decade as f64;
        let mut a = [0.0; N];
        let mut b = [0.0; N];
        for k in 0..n {
            let f_k = f_lo * math::exp_f64(ln_d * k as f64);
            let ak = math::exp_f64(-2.0 * core::f64::consts::PI * f_k / fs);
            a[k] = ak;
            b[k] = math::sqrt_f64(ln_d * (1.0 - ak * ak));
        }
        Ok(Self {
            a,
            b,
            x: [0.0; N],
            n,
            fs,
        })
    }

    /// Draws every process from its stationary distribution `N(0, ln d)`, so the output is
    /// stationary from the first sample (no warm-up).
    pub fn stationary<R: crate::random::Rng + ?Sized>(&mut self, rng: &mut R) {
        for k in 0..self.n {
            let (a, b) = (self.a[k], self.b[k]);
            let sd = math::sqrt_f64(b * b / (1.0 - a * a));
            self.x[k] = sd * f64::std_normal(rng);
        }
    }

    /// Number of relaxation processes in use.
    pub fn poles(&self) -> usize {
        self.n
    }

    /// The next sample (unit coefficient: multiply by `sqrt(K)` for `S = K / f`).
    pub fn next<R: crate::random::Rng + ?Sized>(&mut self, rng: &mut R) -> f64 {
        let mut sum = 0.0;
        for k in 0..self.n {
            let z = f64::std_normal(rng);
            self.x[k] = self.a[k] * self.x[k] + self.b[k] * z;
            sum += self.x[k];
        }
        sum
    }

    /// Exact one-sided spectrum of the generated sequence at `f_hz` (per unit coefficient):
    /// `sum 2 b^2 / (fs (1 - 2 a cos(2 pi f / fs) + a^2))`.
    pub fn psd(&self, f_hz: f64) -> f64 {
        let c = math::cos_f64(2.0 * core::f64::consts::PI * f_hz / self.fs);
        let mut s = 0.0;
        for k in 0..self.n {
            let (a, b) = (self.a[k], self.b[k]);
            s += 2.0 * b * b / (self.fs * (1.0 - 2.0 * a * c + a * a));
        }
        s
    }
}

/// Capacity of the sampler's 1/f generator (poles).
pub const SAMPLER_POLES: usize = 32;

/// A bridge sampled at a fixed rate `fs` with its noise (see the [module docs](self) for the
/// anti-alias behaviour): sample `n` is the output at `t_n = n / fs` for the field at `t_n`,
/// plus white noise of variance `S_white fs / 2` and the 1/f process scaled by `sqrt(K)`.
#[derive(Clone, Debug)]
pub struct Sampler<S> {
    bridge: Bridge<S>,
    fs: f64,
    flicker: Flicker<SAMPLER_POLES>,
    rng: Philox,
    n: u64,
}

impl<S: Real> Sampler<S> {
    /// A sampler at `fs` (Hz), 1/f band from `10 f_lo` (`f_lo` in Hz), noise from Philox stream
    /// `(seed, stream)`; the 1/f processes start stationary.
    ///
    /// ```
    /// use larmor::device::sensor::{BridgeSpec, ElementKind, Sampler};
    /// let b = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 400.0).build::<f64>().unwrap();
    /// let mut s = Sampler::new(b, 1e3, 0.01, 7, 0).unwrap();
    /// let v = s.sample(|_t| [0.0, 40.0]).unwrap();
    /// assert!(v > 0.0);
    /// ```
    ///
    /// # Errors
    /// As [`Flicker::new`].
    pub fn new(
        bridge: Bridge<S>,
        fs: f64,
        f_lo: f64,
        seed: u64,
        stream: u64,
    ) -> Result<Self, Error> {
        let mut rng = Philox::new(seed, stream);
        let mut flicker = Flicker::new(f_lo, fs, 3)?;
        flicker.stationary(&mut rng);
        Ok(Self {
            bridge,
            fs,
            flicker,
            rng,
            n: 0,
        })
    }

    /// The bridge (state, spec).
    pub fn bridge(&self) -> &Bridge<S> {
        &self.bridge
    }

    /// The bridge, mutably (set/reset, strap, temperature).
    pub fn bridge_mut(&mut self) -> &mut Bridge<S> {
        &mut self.bridge
    }

    /// Time of the next sample (s).
    pub fn time_s(&self) -> f64 {
        self.n as f64 / self.fs
    }

    /// Takes the next sample: evaluates `field(t_n)` (A/m), moves the free layer, returns the
    /// noisy output voltage (V).
    ///
    /// # Errors
    /// As [`Bridge::apply_field`].
    pub fn sample<F: FnMut(f64) -> [f64; 2]>(&mut self, mut field: F) -> Result<f64, Error> {
        let t = self.time_s();
        let v = self.bridge.apply_field(field(t))?;
        self.n += 1;
        Ok(v + self.noise())
    }

    /// One noise sample at the present state (V): white with variance `S_white fs / 2` plus
    /// `sqrt(K)` times the unit 1/f process.
    pub fn noise(&mut self) -> f64 {
        let sd = math::sqrt_f64(self.bridge.white_psd() * 0.5 * self.fs);
        let z = f64::std_normal(&mut self.rng);
        let fl = self.flicker.next(&mut self.rng);
        sd * z + math::sqrt_f64(self.bridge.flicker_coefficient()) * fl
    }
}
