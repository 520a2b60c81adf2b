//! Magnetic tunnel junction (MTJ) cell: the electrical side of an MRAM bit.
//!
//! - Angle dependence (Julliere / Slonczewski conductance): with `cos(theta) = m . p`,
//!   `R(theta) = R_P + (R_AP - R_P) (1 - cos theta) / 2`;
//! - bias dependence of the magnetoresistance: `TMR(V) = TMR0 / (1 + (V / V_h)^2)`, so
//!   `R_AP(V) = R_P (1 + TMR(V))` (R_P taken bias independent);
//! - write: a voltage pulse drives `J = V / (R(theta, V) A)` through the free layer (see
//!   [`crate::torque::Current::Voltage`]); read: a read current `I` gives `V = I R(theta, V)`
//!   (solved self-consistently), and the same current's torque is the read disturb.
//!
//! Everything is `no_std` and generic over the scalar type, so a firmware can emulate a cell.

use crate::error::{check_min, Error};
use crate::real::Real;

/// SI description of a junction.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MtjSpec {
    /// Parallel resistance R_P (ohm), > 0.
    pub r_p: f64,
    /// Zero-bias TMR ratio (R_AP - R_P)/R_P, >= 0 (1.5 = 150 %).
    pub tmr0: f64,
    /// Bias at which the TMR has halved (V), > 0.
    pub v_half: f64,
    /// Junction area (m^2), > 0.
    pub area: f64,
}

impl MtjSpec {
    /// Validates and converts to scalar `S`.
    ///
    /// ```
    /// let mtj = larmor::mtj::MtjSpec { r_p: 2e3, tmr0: 1.5, v_half: 0.5, area: 1.26e-15 }
    ///     .compile::<f64>().unwrap();
    /// assert!((mtj.resistance(-1.0, 0.0) - 5e3).abs() < 1e-9); // antiparallel at zero bias
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming the `stt.mtj` key of a resistance, TMR, bias or area out of
    /// range.
    pub fn compile<S: Real>(&self) -> Result<Mtj<S>, Error> {
        check_min("stt.mtj.r_p", self.r_p, 0.0, false, "> 0 ohm")?;
        check_min("stt.mtj.tmr0", self.tmr0, 0.0, true, ">= 0")?;
        check_min("stt.mtj.v_half", self.v_half, 0.0, false, "> 0 V")?;
        check_min("stt.mtj.area", self.area, 0.0, false, "> 0 m^2")?;
        Ok(Mtj {
            r_p: S::from_f64(self.r_p),
            tmr0: S::from_f64(self.tmr0),
            inv_v_half: S::from_f64(1.0 / self.v_half),
            // J in units of 1e12 A/m^2 per ampere
            inv_area_tera: S::from_f64(1e-12 / self.area),
        })
    }
}

/// A compiled junction (see the module docs for the equations).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mtj<S> {
    r_p: S,
    tmr0: S,
    inv_v_half: S,
    inv_area_tera: S,
}

impl<S: Real> Mtj<S> {
    /// TMR ratio at bias `v` (V).
    #[inline]
    pub fn tmr(&self, v: S) -> S {
        let x = v * self.inv_v_half;
        self.tmr0 / (S::ONE + x * x)
    }
    /// Resistance (ohm) at `m . p = cos_theta` and bias `v`.
    #[inline]
    pub fn resistance(&self, cos_theta: S, v: S) -> S {
        self.r_p * (S::ONE + self.tmr(v) * (S::ONE - cos_theta) * S::HALF)
    }
    /// Current (A) at bias `v`.
    #[inline]
    pub fn current(&self, v: S, cos_theta: S) -> S {
        v / self.resistance(cos_theta, v)
    }
    /// Current density in units of 1e12 A/m^2 at bias `v`.
    #[inline]
    pub fn current_density_tera(&self, v: S, cos_theta: S) -> S {
        self.current(v, cos_theta) * self.inv_area_tera
    }
    /// Read: the voltage (V) across the junction for a read current `i` (A), solving
    /// `V = i R(theta, V)` by fixed-point iteration (contractive: |dR/dV| i < R here).
    pub fn read_voltage(&self, i: S, cos_theta: S) -> S {
        let mut v = i * self.resistance(cos_theta, S::ZERO);
        for _ in 0..32 {
            v = i * self.resistance(cos_theta, v);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bias_dependence_halves_tmr_at_v_half() {
        let m = MtjSpec {
            r_p: 1e3,
            tmr0: 2.0,
            v_half: 0.4,
            area: 1e-15,
        }
        .compile::<f64>()
        .unwrap();
        assert!((m.tmr(0.4) - 1.0).abs() < 1e-15);
        assert!((m.resistance(1.0, 0.3) - 1e3).abs() < 1e-12);
        assert!((m.resistance(0.0, 0.0) - 2e3).abs() < 1e-12); // 90 degrees: halfway
        let v = m.read_voltage(1e-4, -1.0);
        assert!((v - 1e-4 * m.resistance(-1.0, v)).abs() < 1e-15);
        // 1 V over 1 kOhm through 1e-15 m^2 = 1e12 A/m^2
        assert!((m.current_density_tera(1.0, 1.0) - 1.0).abs() < 1e-12);
        assert!(MtjSpec {
            r_p: 0.0,
            tmr0: 1.0,
            v_half: 0.4,
            area: 1e-15
        }
        .compile::<f64>()
        .is_err());
    }
}

/// A behavioural MRAM bit for real-time emulation (no LLG): a junction, the free layer's thermal
/// stability factor `delta`, attempt frequency `f0` and zero-temperature critical current `ic0`.
///
/// - writes below `I_c0` are thermally activated, rate `f0 exp(-delta (1 - I/I_c0))` (Koch et
///   al. 2004; [`crate::arrhenius::stt_write_probability`]);
/// - writes above `I_c0` are precessional: `P = exp(-(pi^2 delta / 4) exp(-2 (I/I_c0 - 1) t / tau_d))`
///   for a thermal distribution of initial angles (Sun, PRB 62, 570 (2000); Butler et al., IEEE
///   Trans. Magn. 48, 4684 (2012)), `tau_d = (1 + alpha^2) / (alpha gamma mu0 H_K,eff)`;
/// - reads disturb with the thermally activated write probability of the read current (which
///   favours one state: positive current pushes towards parallel);
/// - retention: no flip with probability `exp(-t f0 e^-delta)`.
///
/// The state is `parallel` (low resistance) or not; positive current favours parallel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MtjCell {
    /// The junction.
    pub mtj: Mtj<f64>,
    /// Thermal stability factor (K_eff V / kB T).
    pub delta: f64,
    /// Attempt frequency (Hz).
    pub f0: f64,
    /// Zero-temperature critical current (A), > 0.
    pub ic0: f64,
    /// Precessional time constant tau_d (s).
    pub tau_d: f64,
    /// `true` when the free layer is parallel to the reference layer.
    pub parallel: bool,
}

impl MtjCell {
    /// A cell in the parallel state.
    ///
    /// ```
    /// use larmor::mtj::{MtjCell, MtjSpec};
    /// let spec = MtjSpec { r_p: 3e3, tmr0: 1.5, v_half: 0.5, area: 1.26e-15 };
    /// let cell = MtjCell::new(spec, 60.0, 1e9, 40e-6, 0.5e-9).unwrap();
    /// assert!(cell.write_probability(-0.03, 10e-9).unwrap() < 1e-9); // far below I_c0
    /// assert!(cell.write_probability(-0.6, 10e-9).unwrap() > 0.999); // well above
    /// ```
    ///
    /// # Errors
    /// Invalid junction, `delta <= 0`, `f0 <= 0`, `ic0 <= 0`, `tau_d <= 0`.
    pub fn new(spec: MtjSpec, delta: f64, f0: f64, ic0: f64, tau_d: f64) -> Result<Self, Error> {
        let mtj = spec.compile()?;
        check_min("mtj.delta", delta, 0.0, false, "> 0 (kB T)")?;
        check_min("mtj.f0", f0, 0.0, false, "> 0 Hz")?;
        check_min("mtj.ic0", ic0, 0.0, false, "> 0 A")?;
        check_min("mtj.tau_d", tau_d, 0.0, false, "> 0 s")?;
        Ok(Self {
            mtj,
            delta,
            f0,
            ic0,
            tau_d,
            parallel: true,
        })
    }

    fn cos(&self) -> f64 {
        if self.parallel {
            1.0
        } else {
            -1.0
        }
    }

    /// Resistance (ohm) of the current state at bias `v`.
    pub fn resistance(&self, v: f64) -> f64 {
        self.mtj.resistance(self.cos(), v)
    }

    /// Probability that a current `i` (A, sign included) held for `t` seconds flips the state.
    fn flip_probability(&self, i: f64, t: f64) -> Result<f64, Error> {
        // the current favours parallel when positive
        let toward = if self.parallel { -i } else { i };
        let x = toward / self.ic0;
        if x < 1.0 {
            crate::arrhenius::stt_write_probability(self.delta, x, self.f0, t)
        } else {
            check_min("mtj.pulse_width", t, 0.0, true, ">= 0 s")?;
            let pi2 = core::f64::consts::PI * core::f64::consts::PI;
            let q =
                pi2 * self.delta / 4.0 * crate::math::exp_f64(-2.0 * (x - 1.0) * t / self.tau_d);
            Ok(crate::math::exp_f64(-q))
        }
    }

    /// Probability that a voltage pulse `v` (V) of width `t` (s) flips the cell
    /// (negative voltage writes antiparallel, positive writes parallel).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a negative or non-finite pulse width (key `mtj.pulse_width`).
    pub fn write_probability(&self, v: f64, t: f64) -> Result<f64, Error> {
        self.flip_probability(self.mtj.current(v, self.cos()), t)
    }

    /// Applies a write pulse; `u` is a uniform draw in [0, 1) (the caller's RNG). Returns `true`
    /// if the state flipped.
    ///
    /// # Errors
    /// As [`MtjCell::write_probability`].
    pub fn write(&mut self, v: f64, t: f64, u: f64) -> Result<bool, Error> {
        let flipped = u < self.write_probability(v, t)?;
        if flipped {
            self.parallel = !self.parallel;
        }
        Ok(flipped)
    }

    /// Reads with current `i` (A) for `t` seconds: returns the sensed voltage and the
    /// probability that the read flipped the bit (read disturb).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a negative or non-finite read time.
    pub fn read(&self, i: f64, t: f64) -> Result<(f64, f64), Error> {
        let v = self.mtj.read_voltage(i, self.cos());
        Ok((v, self.flip_probability(i, t)?))
    }

    /// Probability that the bit keeps its state for `t` seconds at rest.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (key `mtj.time`) for a negative or non-finite time.
    pub fn retention_probability(&self, t: f64) -> Result<f64, Error> {
        check_min("mtj.time", t, 0.0, true, ">= 0 s")?;
        Ok(crate::math::exp_f64(
            -t * self.f0 * crate::math::exp_f64(-self.delta),
        ))
    }
}

#[cfg(test)]
mod cell_tests {
    use super::*;

    fn cell() -> MtjCell {
        let spec = MtjSpec {
            r_p: 3e3,
            tmr0: 1.5,
            v_half: 0.5,
            area: 1.26e-15,
        };
        MtjCell::new(spec, 60.0, 1e9, 40e-6, 0.5e-9).unwrap()
    }

    #[test]
    fn writes_follow_polarity_and_width() {
        let mut c = cell();
        // positive voltage favours parallel: a parallel cell never flips
        assert!(c.write_probability(0.6, 10e-9).unwrap() < 1e-12);
        let p1 = c.write_probability(-0.3, 5e-9).unwrap();
        let p2 = c.write_probability(-0.3, 20e-9).unwrap();
        let p3 = c.write_probability(-0.5, 5e-9).unwrap();
        assert!(p1 < p2 && p1 < p3, "{p1} {p2} {p3}");
        assert!(c.write(-0.8, 20e-9, 0.5).unwrap());
        assert!(!c.parallel);
        assert!(c.resistance(0.0) > 7e3);
        // continuity of the write probability across I = I_c0 is not required, but both
        // regimes must be probabilities
        for v in [-0.05, -0.1, -0.119, -0.121, -0.2] {
            let p = cell().write_probability(v, 10e-9).unwrap();
            assert!((0.0..=1.0).contains(&p));
        }
    }

    #[test]
    fn read_disturb_and_retention() {
        let c = cell();
        let (v, p) = c.read(10e-6, 10e-9).unwrap();
        assert!((v - 10e-6 * 3e3).abs() < 1e-12);
        assert!(p < 1e-9);
        let r = c.retention_probability(3.15e8).unwrap(); // ten years at delta = 60
        assert!(r > 0.99 && r < 1.0);
        assert!(c.retention_probability(-1.0).is_err());
    }
}
